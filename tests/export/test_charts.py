"""Charts: real figures from plain data, readable without colour, honest when empty."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, timedelta

import pytest

from renewal_coach.export.charts import (
    BAND_STYLE,
    LIGHT,
    SEGMENT_STYLE,
    STATUS_STYLE,
    ChartColours,
    EngagementPoint,
    HorizonBubble,
    TimelineContact,
    TimelineMilestone,
    contract_timeline_figure,
    engagement_figure,
    figure_png,
    horizon_figure,
    installed_fallback_fonts,
    virtual_line_figure,
)
from renewal_coach.export.charts import VirtualLinePoint as VLP

TODAY = date(2026, 11, 23)
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def _texts(fig) -> str:
    return " ".join(t.get_text() for t in fig.findobj(match=lambda a: hasattr(a, "get_text")))


def test_markers_differ_per_category_so_greyscale_still_reads() -> None:
    for styles in (SEGMENT_STYLE, BAND_STYLE, STATUS_STYLE):
        markers = [style[2] for style in styles.values()]
        assert len(set(markers)) == len(markers)


def test_virtual_line_ranks_by_contribution_and_marks_the_80_percent_line() -> None:
    from renewal_coach.export.charts import VirtualLinePoint

    points = [
        VirtualLinePoint("Small", 10_000_00, "maintain"),
        VirtualLinePoint("Big", 90_000_00, "treasure"),
        VirtualLinePoint("Loss", -5_000_00, "drain"),
    ]
    fig = virtual_line_figure(points, highlight="Small")
    bars_axis, share_axis = fig.axes
    heights = sorted(
        (round(p.get_x() + p.get_width() / 2), p.get_height()) for p in bars_axis.patches
    )
    # Ranked: Big (90k) first, Small (10k), then the loss (-5k).
    assert heights == [(1, 90_000.0), (2, 10_000.0), (3, -5_000.0)]
    line = share_axis.lines[0]
    # Cumulative share of positive contribution: 90/100, 100/100, 100/100.
    assert list(line.get_ydata()) == pytest.approx([90.0, 100.0, 100.0])
    assert "80% of contribution" in _texts(fig)
    assert "Small" in _texts(fig)
    assert figure_png(fig).startswith(PNG_MAGIC)


def test_horizon_places_contracts_at_anchor_and_risk_and_skips_the_out_of_range() -> None:
    bubbles = [
        HorizonBubble("Near", TODAY + timedelta(days=30), 70.0, 500_000_00, "obsessive"),
        HorizonBubble("Far", TODAY + timedelta(days=900), 20.0, 100_000_00, "neglect"),
        HorizonBubble("Past", TODAY - timedelta(days=5), 50.0, 100_000_00, "intense"),
    ]
    fig = horizon_figure(bubbles, TODAY)
    ax = fig.axes[0]
    plotted = {c.get_gid(): c.get_offsets().tolist() for c in ax.collections}
    assert set(plotted) == {"obsessive", "neglect"}
    assert plotted["obsessive"][0][1] == 70.0
    legend = " ".join(t.get_text() for t in ax.get_legend().get_texts())
    assert "Obsessive" in legend and "Neglect" in legend and "Intense" not in legend


def test_engagement_chart_shades_the_proportionate_band() -> None:
    points = [
        EngagementPoint("Over", 0.30, 0.05, "develop"),
        EngagementPoint("Under", 0.02, 0.40, "treasure"),
    ]
    fig = engagement_figure(points)
    text = _texts(fig)
    assert "Proportionate band" in text and "over-serving" in text and "Under" in text


def test_timeline_shows_milestones_by_status_and_contact_by_month() -> None:
    milestones = [
        TimelineMilestone("M0", date(2024, 4, 1), "done"),
        TimelineMilestone("M1", date(2024, 10, 1), "before_tracking"),
        TimelineMilestone("M3", date(2026, 10, 1), "overdue"),
        TimelineMilestone("M4", date(2027, 1, 1), "upcoming"),
    ]
    contacts = [
        TimelineContact(date(2026, 10, 3), 2.0, False),
        TimelineContact(date(2026, 10, 20), 1.0, True),
    ]
    fig = contract_timeline_figure(
        "Fleet", date(2024, 4, 1), date(2028, 3, 31), milestones, contacts, TODAY
    )
    lane, bars = fig.axes
    labels = {c.get_label() for c in lane.collections}
    assert labels >= {"Done", "Overdue", "Upcoming", "Before tracking"}
    # October 2026: 2 points from us, 1 from the customer stacked on top (total 3).
    tops = sorted(round(p.get_y() + p.get_height(), 3) for p in bars.patches)
    assert tops == [2.0, 3.0]
    assert figure_png(fig).startswith(PNG_MAGIC)


@pytest.mark.parametrize(
    "build",
    [
        lambda: virtual_line_figure([]),
        lambda: horizon_figure([], TODAY),
        lambda: engagement_figure([]),
        lambda: contract_timeline_figure("Void", TODAY, TODAY, [], [], TODAY),
    ],
)
def test_empty_inputs_say_there_is_nothing_to_show(build) -> None:
    fig = build()
    text = _texts(fig)
    assert any(word in text for word in ("No ", "no valid"))
    assert figure_png(fig, dpi=60).startswith(PNG_MAGIC)


def test_a_single_account_portfolio_renders() -> None:
    from renewal_coach.export.charts import VirtualLinePoint

    fig = virtual_line_figure([VirtualLinePoint("Only", 1_00, "treasure")])
    assert figure_png(fig, dpi=60).startswith(PNG_MAGIC)
    fig = engagement_figure([EngagementPoint("Only", 1.0, 1.0, "treasure")])
    assert figure_png(fig, dpi=60).startswith(PNG_MAGIC)


def test_charts_never_touch_pyplot_state() -> None:
    code = (
        "import sys\n"
        "from renewal_coach.export.charts import virtual_line_figure, figure_png, "
        "VirtualLinePoint\n"
        "figure_png(virtual_line_figure([VirtualLinePoint('A', 100, 'treasure')]))\n"
        "assert 'matplotlib.pyplot' not in sys.modules, 'pyplot was imported'\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


EMOJI_NAME = "Pip & Bloom 🌱 Garden Centres ✔"
DARK = ChartColours(
    background="#2d2d2d",
    text="#ececec",
    muted="#b8b8b8",
    grid="#4a4a4a",
    rule="#6a6a6a",
    edge="#2d2d2d",
)


def test_a_name_with_an_emoji_draws_without_missing_glyphs() -> None:
    import warnings

    assert len(installed_fallback_fonts()) > 1, (
        "no symbol font for the charts: install packaging/apt-packages.txt's [qt] group"
    )
    fig = virtual_line_figure(
        [VLP(EMOJI_NAME, 500_000, "treasure"), VLP("Other", 100_000, "drain")],
        highlight=EMOJI_NAME,
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert figure_png(fig).startswith(PNG_MAGIC)
    missing = [str(w.message) for w in caught if "missing from font" in str(w.message)]
    assert missing == []
    assert EMOJI_NAME in _texts(fig)


@pytest.mark.parametrize(
    "build",
    [
        lambda c: virtual_line_figure([VLP("A", 500_000, "treasure")], colours=c),
        lambda c: horizon_figure(
            [HorizonBubble("C1", TODAY + timedelta(days=90), 50.0, 100_000, "intense")],
            TODAY,
            colours=c,
        ),
        lambda c: engagement_figure([EngagementPoint("A", 0.5, 0.2, "drain")], colours=c),
        lambda c: engagement_figure([], colours=c),
    ],
)
def test_charts_take_the_colours_they_are_drawn_on(build) -> None:
    from matplotlib.colors import to_hex

    fig = build(DARK)
    assert to_hex(fig.get_facecolor()) == DARK.background
    for ax in fig.axes:
        if ax.axison and ax.patch.get_visible():  # a twin axis is see-through
            assert to_hex(ax.get_facecolor()) == DARK.background
    from matplotlib.text import Text

    heading = fig.axes[0].get_title(loc="left")
    titles = [t for t in fig.findobj(Text) if heading and t.get_text() == heading]
    assert titles and all(to_hex(t.get_color()) == DARK.text for t in titles)
    for legend in [ax.get_legend() for ax in fig.axes] + list(fig.legends):
        if legend is not None:
            assert {to_hex(t.get_color()) for t in legend.get_texts()} == {DARK.text}
    # The same chart for a Word document keeps the light colours.
    light = build(LIGHT)
    assert to_hex(light.get_facecolor()) == "#ffffff"


def test_a_png_keeps_the_figure_background() -> None:
    import io

    from matplotlib.image import imread

    pixels = imread(io.BytesIO(figure_png(virtual_line_figure([], colours=DARK), dpi=20)))
    assert tuple(round(255 * v) for v in pixels[0][0][:3]) == (0x2D, 0x2D, 0x2D)
    pixels = imread(io.BytesIO(figure_png(virtual_line_figure([]), dpi=20)))
    assert tuple(round(255 * v) for v in pixels[0][0][:3]) == (255, 255, 255)


def _drawn_labels(fig, ax):
    """The names drawn on ``ax`` by the label placer, with their boxes in pixels."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(fig)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    (placer,) = [a for a in ax.artists if hasattr(a, "left_off")]
    return placer, [
        (t.get_text(), t.get_window_extent(renderer)) for t in placer.texts if t.get_visible()
    ]


def _crowded_horizon():
    return [
        HorizonBubble(
            f"Customer {i:02d} · REF-{i:02d}",
            TODAY + timedelta(days=200 + 9 * i),
            40.0 + (i % 5),
            (i + 1) * 100_000_00,
            "proportionate",
        )
        for i in range(30)
    ]


@pytest.mark.parametrize("size", [(6.0, 3.6), (12.0, 7.0)])
def test_horizon_names_only_what_fits_inside_the_plot_largest_first(size) -> None:
    fig = horizon_figure(_crowded_horizon(), TODAY)
    fig.set_size_inches(*size)
    ax = fig.axes[0]
    placer, drawn = _drawn_labels(fig, ax)
    assert drawn, "some names fit"
    assert placer.left_off, "thirty names close together cannot all fit"
    names = [n for n, _ in drawn]
    assert len(names) + len(placer.left_off) == 30
    for i, (_, box) in enumerate(drawn):
        # inside the plot, and no two names on top of each other
        assert ax.bbox.x0 <= box.x0 and box.x1 <= ax.bbox.x1
        assert ax.bbox.y0 <= box.y0 and box.y1 <= ax.bbox.y1
        assert not any(box.overlaps(other) for _, other in drawn[i + 1 :])
    # the largest contract (value 30, the riskiest of the top ones) is named, whole or by
    # its reference
    assert "Customer 29 · REF-29" in names or "REF-29" in names


def test_a_larger_chart_names_more_and_the_dates_read_once_each() -> None:
    small = horizon_figure(_crowded_horizon(), TODAY)
    small.set_size_inches(6, 3.6)
    big = horizon_figure(_crowded_horizon(), TODAY)
    big.set_size_inches(14, 8)
    _, few = _drawn_labels(small, small.axes[0])
    _, many = _drawn_labels(big, big.axes[0])
    assert len(many) > len(few)
    ticks = [t.get_text() for t in small.axes[0].get_xticklabels() if t.get_text()]
    assert 3 <= len(ticks) <= 8
    boxes = [t.get_window_extent() for t in small.axes[0].get_xticklabels() if t.get_text()]
    assert not any(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1 :])


@pytest.mark.parametrize("size", [(4.9, 4.7), (9.0, 4.8)])
def test_legends_sit_beside_the_data_and_below_the_title(size) -> None:
    # (4.9, 4.7) is the chart beside the Renewals list in the default window: its title is
    # wider than the plot, and a legend hung from the top of the figure covered its end.
    points = [EngagementPoint(f"A{i}", 0.01 * i, 0.02 * i, "develop") for i in range(1, 12)]
    for fig in (engagement_figure(points), horizon_figure(_crowded_horizon(), TODAY)):
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        fig.set_size_inches(*size)
        FigureCanvasAgg(fig)
        fig.canvas.draw()
        ax = fig.axes[0]
        legend = ax.get_legend()
        assert legend is not None and not fig.legends
        box = legend.get_window_extent()
        assert box.x0 >= ax.bbox.x1  # to the right of the plot, not in it or under the x axis
        assert box.x1 <= fig.bbox.x1  # and inside the figure
        title = ax.title if ax.title.get_text() else ax._left_title
        assert title.get_text()
        assert not box.overlaps(title.get_window_extent())


def test_names_keep_a_gap_and_a_crowded_mark_is_named_by_its_reference() -> None:
    from renewal_coach.export.charts import unlabelled

    fig = horizon_figure(_crowded_horizon(), TODAY)
    fig.set_size_inches(4.9, 4.7)
    ax = fig.axes[0]
    placer, drawn = _drawn_labels(fig, ax)
    for i, (_, box) in enumerate(drawn):
        # two names never touch: at least a pixel between them
        assert not any(box.padded(1).overlaps(other) for _, other in drawn[i + 1 :])
    names = [n for n, _ in drawn]
    # Too little room for the largest contract's whole name: its reference names it instead,
    # and it is not listed as unnamed.
    assert "REF-29" in names or "Customer 29 · REF-29" in names
    assert "Customer 29 · REF-29" not in unlabelled(fig)
    assert len(names) + len(placer.left_off) == 30


def test_crowded_milestones_are_left_off_the_chart_and_listed() -> None:
    from renewal_coach.export.charts import unlabelled

    milestones = [
        TimelineMilestone(f"M{i}", date(2026, 1, 1) + timedelta(days=3 * i), "done")
        for i in range(12)
    ]
    fig = contract_timeline_figure(
        "Tight", date(2024, 1, 1), date(2028, 1, 1), milestones, [], TODAY
    )
    figure_png(fig)
    left = unlabelled(fig)
    assert left and set(left) < {ms.code for ms in milestones}
