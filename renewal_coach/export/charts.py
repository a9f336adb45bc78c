"""Charts built from plain data with matplotlib's object API (never pyplot state).

Each ``*_figure`` function returns a :class:`matplotlib.figure.Figure`; the UI shows it in a
canvas and the Word export embeds :func:`figure_png` bytes. Colours come from the Okabe-Ito
palette, and every colour is paired with a marker shape, hatch or text label so the charts read
in greyscale and for colour-blind readers. An empty input gives a figure that says so.

matplotlib is imported inside the functions: importing this module costs nothing at start-up.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

# Okabe-Ito: distinguishable with every common colour-vision deficiency.
_BLUE, _ORANGE, _GREEN, _VERMILLION = "#0072B2", "#E69F00", "#009E73", "#D55E00"
_SKY, _PURPLE, _GREY, _YELLOW = "#56B4E9", "#CC79A7", "#7F7F7F", "#F0E442"

#: Segment value -> (label, colour, marker, hatch).
SEGMENT_STYLE: dict[str, tuple[str, str, str, str]] = {
    "treasure": ("Treasure", _BLUE, "o", ""),
    "develop": ("Develop", _GREEN, "s", "//"),
    "maintain": ("Maintain", _GREY, "^", ".."),
    "drain": ("Drain", _VERMILLION, "X", "xx"),
    "unrated": ("Unrated", _PURPLE, "D", "--"),
}
#: Engagement band value -> (label, colour, marker).
BAND_STYLE: dict[str, tuple[str, str, str]] = {
    "neglect": ("Neglect", _SKY, "v"),
    "proportionate": ("Proportionate", _GREEN, "o"),
    "intense": ("Intense", _ORANGE, "s"),
    "obsessive": ("Obsessive", _VERMILLION, "X"),
    "unknown": ("Not scored", _GREY, "D"),
}
#: Milestone status value -> (label, colour, marker).
STATUS_STYLE: dict[str, tuple[str, str, str]] = {
    "done": ("Done", _GREEN, "o"),
    "due": ("Due", _ORANGE, "s"),
    "overdue": ("Overdue", _VERMILLION, "X"),
    "upcoming": ("Upcoming", _GREY, "D"),
    "before_tracking": ("Before tracking", "#C8C8C8", "h"),
}


@dataclass(frozen=True, slots=True)
class ChartColours:
    """The neutral colours a chart is drawn in: its background, text, secondary text, grid and
    the thin edge around marks. The data colours (Okabe-Ito) are the same on every background.
    """

    background: str = "#FFFFFF"
    text: str = "#222222"
    muted: str = "#555555"
    grid: str = "#DDDDDD"
    rule: str = "#BBBBBB"
    edge: str = "#FFFFFF"


#: Charts in documents, and on a light window.
LIGHT = ChartColours()

#: Font families tried in order for every character: text, then symbols and emoji in names.
#: matplotlib cannot draw colour (bitmap) emoji fonts such as Noto Color Emoji, so only outline
#: fonts are listed; packaging/apt-packages.txt installs Symbola.
FONT_FALLBACK = ("DejaVu Sans", "Symbola", "Noto Emoji", "Noto Sans Symbols 2", "Noto Sans Symbols")
#: How the fallback fonts' files are named, for fonts installed after matplotlib's font cache
#: was written (matplotlib does not look for new system fonts by itself).
_FALLBACK_FILES = ("symbola", "notoemoji-", "notosanssymbols")
_fonts_chosen = False

#: How many points are named on a chart before labels would become clutter.
MAX_LABELS = 12


@dataclass(frozen=True, slots=True)
class VirtualLinePoint:
    """One account on the virtual line: its real contribution and segment."""

    name: str
    contribution_minor: int
    segment: str


@dataclass(frozen=True, slots=True)
class HorizonBubble:
    """One contract on the renewal horizon."""

    label: str
    anchor: date
    risk: float  # 0..100
    annual_value_minor: int
    band: str  # engagement band value
    key: str = ""  # contract id, for click-through in the UI


@dataclass(frozen=True, slots=True)
class EngagementPoint:
    """One account's share of our effort against its share of value."""

    name: str
    effort_share: float  # 0..1
    value_share: float  # 0..1
    segment: str
    key: str = ""


@dataclass(frozen=True, slots=True)
class TimelineMilestone:
    """A milestone on the contract timeline."""

    code: str
    due: date
    status: str


@dataclass(frozen=True, slots=True)
class TimelineContact:
    """An interaction on the contract timeline; ``weight`` is its contact points."""

    on: date
    weight: float
    customer_initiated: bool


@dataclass(frozen=True, slots=True)
class PointLabel:
    """A name to write next to one mark: where the mark is (data units), how big it is drawn
    (its radius in points) and how much it matters (higher is labelled first)."""

    text: str
    x: object  # a number or a date
    y: float
    radius: float = 4.0
    priority: float = 0.0
    key: object = None  # what the mark stands for, for a caller listing the unnamed ones
    #: A shorter name tried when ``text`` fits nowhere (a contract's reference alone).
    short: str = ""


#: Where a label may go around its mark, tried in order: (direction x, direction y, ha, va).
_SPOTS = (
    (1, 1, "left", "bottom"),
    (1, -1, "left", "top"),
    (-1, 1, "right", "bottom"),
    (-1, -1, "right", "top"),
    (0, 1, "center", "bottom"),
    (0, -1, "center", "top"),
)


#: How much of a mark's radius (points) other marks' names keep clear of: the middle of a large
#: bubble, not all of it, so a crowded chart still names its largest marks.
_MARK_CLEARANCE = 8.0
#: Room (points) kept between a name and the names and marks around it, so two never touch.
_LABEL_GAP = 1.5

#: Only spots next to the mark: a name further out could be read as its neighbour's.
_SPOT_TRIES = tuple((spot, 1.0) for spot in _SPOTS)


def place_labels(
    ax: Axes,
    labels: Sequence[PointLabel],
    colours: ChartColours = LIGHT,
    *,
    fontsize: float = 7.0,
    limit: int = MAX_LABELS,
    gap: float = _LABEL_GAP,
) -> Any:
    """Name the marks of ``ax`` whose names fit: the most important first, each in the first
    spot around its mark that stays inside the plot and ``gap`` points clear of the names
    already placed, the plot's own words and the other marks; a name that fits nowhere is
    tried in its short form (:attr:`PointLabel.short`), then left off (the screen shows it on
    hover, the Word export in a table beside the chart).

    The placing happens each time the figure is drawn, at the size it is drawn: a window
    made larger names more marks. The same helper serves the screen and Word.
    """
    placer = _placer_type()(ax, labels, colours, fontsize=fontsize, limit=limit, gap=gap)
    ax.add_artist(placer)
    return placer


def unlabelled(fig: Figure) -> list[str]:
    """The names left off the marks of ``fig`` when it was last drawn (most important first)."""
    return [p.text for p in unlabelled_points(fig)]


def unlabelled_points(fig: Figure) -> list[PointLabel]:
    """The :class:`PointLabel` s whose names were left off when ``fig`` was last drawn."""
    out: list[PointLabel] = []
    for ax in fig.axes:
        for artist in ax.artists:
            if _PLACER is not None and isinstance(artist, _PLACER):
                out.extend(artist.left_off_points)
    return out


def _label_placer_class() -> type:
    from matplotlib.artist import Artist

    class _Placer(Artist):
        zorder = -100  # drawn before the labels, so it decides which of them are visible

        def __init__(
            self,
            ax: Axes,
            labels: Sequence[PointLabel],
            colours: ChartColours,
            *,
            fontsize: float,
            limit: int,
            gap: float,
        ) -> None:
            super().__init__()
            self._gap = gap
            self.set_in_layout(False)
            self._ax = ax
            ranked = sorted(labels, key=lambda p: -p.priority)
            self._items = ranked
            self._limit = limit
            self.texts = [
                ax.annotate(
                    p.text,
                    (p.x, p.y),
                    xytext=(0, 0),
                    textcoords="offset points",
                    fontsize=fontsize,
                    color=colours.text,
                    annotation_clip=False,
                    zorder=4,
                )
                for p in ranked
            ]
            for text in self.texts:
                text.set_in_layout(False)
            self.left_off_points: list[PointLabel] = list(ranked)

        def draw(self, renderer: object) -> None:
            self._place(renderer)

        def _place(self, renderer: object) -> None:
            from matplotlib.dates import date2num
            from matplotlib.transforms import Bbox

            ax = self._ax
            fig = ax.figure
            per_point = fig.dpi / 72
            area = ax.bbox
            taken: list[Any] = []
            for text in ax.texts:
                if text not in self.texts and text.get_visible() and text.get_text().strip():
                    taken.append(text.get_window_extent(renderer))
            centres = []
            for p in self._items:
                x = float(date2num(p.x)) if isinstance(p.x, date) else float(p.x)  # type: ignore[arg-type]
                centres.append(ax.transData.transform((x, p.y)))
            marks = [
                Bbox.from_bounds(cx - r, cy - r, 2 * r, 2 * r)
                for (cx, cy), p in zip(centres, self._items, strict=True)
                for r in (min(p.radius, _MARK_CLEARANCE) * per_point,)
            ]
            pad = self._gap * per_point
            left: list[PointLabel] = []
            shown = 0
            for i, (text, p) in enumerate(zip(self.texts, self._items, strict=True)):
                text.set_visible(True)  # an invisible text measures as an empty box
                if shown >= self._limit:
                    text.set_visible(False)
                    left.append(p)
                    continue
                gap = p.radius * 0.75 + 2
                others = marks[:i] + marks[i + 1 :]
                text.set_text(p.text)
                for words in (p.text, p.short):
                    if not words:
                        continue
                    text.set_text(words)
                    box = self._first_spot(text, renderer, gap, area, taken, others, pad)
                    if box is not None:
                        taken.append(box)
                        shown += 1
                        break
                else:
                    text.set_text(p.text)
                    text.set_visible(False)
                    left.append(p)
            self.left_off_points = left

        @staticmethod
        def _first_spot(
            text: Any,
            renderer: object,
            gap: float,
            area: Any,
            taken: list[Any],
            others: list[Any],
            pad: float,
        ) -> Any:
            """Move ``text`` to the first spot around its mark where it is inside the plot
            and a little clear of the names already placed and of the other marks; its box
            there, or None when there is no such spot."""
            for (dx, dy, ha, va), far in _SPOT_TRIES:
                text.xyann = (dx * gap * far, dy * gap * far)
                text.set_horizontalalignment(ha)
                text.set_verticalalignment(va)
                box = text.get_window_extent(renderer)
                inside = (
                    box.x0 >= area.x0
                    and box.x1 <= area.x1
                    and box.y0 >= area.y0
                    and box.y1 <= area.y1
                )
                if not inside:
                    continue
                clear = box.padded(pad)
                if any(clear.overlaps(b) for b in taken) or any(clear.overlaps(b) for b in others):
                    continue
                return box
            return None

        @property
        def left_off(self) -> list[str]:
            return [p.text for p in self.left_off_points]

    return _Placer


def _placer_type() -> type:
    """The label placer's Artist class, made once matplotlib is loaded."""
    global _PLACER
    if _PLACER is None:
        _PLACER = _label_placer_class()
    return _PLACER


_PLACER: type | None = None


def installed_fallback_fonts() -> list[str]:
    """The families of :data:`FONT_FALLBACK` that are installed, in that order."""
    from matplotlib import font_manager

    manager = font_manager.fontManager
    present = {entry.name for entry in manager.ttflist}
    if not present & set(FONT_FALLBACK[1:]):
        known = {entry.fname for entry in manager.ttflist}
        for path in font_manager.findSystemFonts():
            name = Path(path).name.lower()
            if path not in known and name.startswith(_FALLBACK_FILES):
                try:
                    manager.addfont(path)
                except (OSError, RuntimeError, ValueError):
                    continue  # an unreadable font file: draw without it
        present = {entry.name for entry in manager.ttflist}
    return [name for name in FONT_FALLBACK if name in present]


def use_font_fallback() -> None:
    """Draw every chart with the installed fallback fonts, so a name holding an emoji or a
    symbol (\"Pip & Bloom 🌱\") draws that character instead of a box and a warning.

    matplotlib (3.6 and later) falls back glyph by glyph through the family list. Set once per
    process; the app owns its matplotlib settings (charts never use pyplot).
    """
    global _fonts_chosen
    if _fonts_chosen:
        return
    import matplotlib

    families = installed_fallback_fonts()
    # A fallback font with no bold face is drawn at regular weight, as it should be; matplotlib
    # would log that for every bold title.
    logging.getLogger("matplotlib.font_manager").addFilter(_NoWeightSubstitutionNote())
    if len(families) > 1:
        # Named families, not the generic "sans-serif": a generic resolves to one font only.
        matplotlib.rcParams["font.family"] = families
    _fonts_chosen = True


class _NoWeightSubstitutionNote(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return "Failed to find font weight" not in record.getMessage()


def _new_figure(width: float = 8.0, height: float = 4.5, colours: ChartColours = LIGHT) -> Figure:
    from matplotlib.figure import Figure

    use_font_fallback()
    fig = Figure(figsize=(width, height), dpi=100, layout="constrained")
    fig.patch.set_facecolor(colours.background)
    return fig


def _style_axes(ax: Axes, title: str, colours: ChartColours = LIGHT) -> None:
    ax.set_facecolor(colours.background)
    ax.set_title(title, loc="left", fontsize=12, color=colours.text, fontweight="bold")
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_color(colours.muted)
    ax.tick_params(colors=colours.text, labelsize=9)
    ax.grid(axis="y", color=colours.grid, linewidth=0.6)
    ax.set_axisbelow(True)


def _side_legend(ax: Axes, colours: ChartColours, *args: Any, **kwargs: Any) -> Any:
    """A legend beside the plot, from the top of the plot down: off the data, and below the
    title even when the title is wider than a narrow plot (a figure legend starts at the top
    of the figure and ran into it)."""
    legend = ax.legend(
        *args, loc="upper left", bbox_to_anchor=(1.02, 1.0), borderaxespad=0.0, **kwargs
    )
    _legend_text(legend, colours)
    return legend


def _legend_text(legend: object, colours: ChartColours) -> None:
    """Legend labels and title in the chart's text colour (matplotlib defaults to black)."""
    for text in legend.get_texts():  # type: ignore[attr-defined]
        text.set_color(colours.text)
    legend.get_title().set_color(colours.text)  # type: ignore[attr-defined]


def empty_figure(title: str, message: str, colours: ChartColours = LIGHT) -> Figure:
    """A figure that says plainly there is nothing to show, and what would fill it."""
    fig = _new_figure(colours=colours)
    ax = fig.add_subplot()
    ax.set_axis_off()
    ax.set_title(title, loc="left", fontsize=12, color=colours.text, fontweight="bold")
    ax.text(
        0.5,
        0.5,
        message,
        ha="center",
        va="center",
        fontsize=11,
        color=colours.muted,
        wrap=True,
        transform=ax.transAxes,
    )
    return fig


def figure_png(fig: Figure, dpi: int = 150) -> bytes:
    """Render ``fig`` to PNG bytes (for Word documents and the command line)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(fig)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, facecolor=fig.get_facecolor())
    return buffer.getvalue()


def _concise_dates(ax: Axes) -> None:
    """Date ticks that stay readable when the chart is small: few of them, each written once
    ("2027", "Apr", "Jul", …) by matplotlib's ConciseDateFormatter."""
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter

    locator = AutoDateLocator(minticks=3, maxticks=7)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(ConciseDateFormatter(locator, show_offset=False))


def _money_axis(ax: Axes, currency_symbol: str, axis: str = "y") -> None:
    from matplotlib.ticker import FuncFormatter

    def fmt(value: float, _pos: int) -> str:
        size = abs(value)
        sign = "-" if value < 0 else ""
        for limit, suffix in ((1e9, "bn"), (1e6, "m"), (1e3, "k")):
            if size >= limit:
                return f"{sign}{currency_symbol}{size / limit:g}{suffix}"
        return f"{sign}{currency_symbol}{size:g}"

    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(FuncFormatter(fmt))


def virtual_line_figure(
    points: Sequence[VirtualLinePoint],
    *,
    currency_symbol: str = "£",
    minor_per_major: int = 100,
    highlight: str | None = None,
    pareto_share: float = 0.8,
    colours: ChartColours = LIGHT,
) -> Figure:
    """Accounts ranked by contribution (bars), the cumulative share of positive contribution
    (line, right axis) and the 80% mark. ``highlight`` names one account to point out.
    """
    title = "The virtual line: accounts ranked by real contribution"
    if not points:
        return empty_figure(
            title,
            "No accounts with contribution figures yet.\n"
            "Add revenue and costs to an account to place it on the line.",
            colours=colours,
        )
    ranked = sorted(points, key=lambda p: p.contribution_minor, reverse=True)
    values = [p.contribution_minor / minor_per_major for p in ranked]
    positive_total = sum(v for v in values if v > 0)
    cumulative, running = [], 0.0
    for v in values:
        running += max(v, 0.0)
        cumulative.append(100 * running / positive_total if positive_total else 0.0)

    fig = _new_figure(9, 4.8, colours=colours)
    ax = fig.add_subplot()
    _style_axes(ax, title, colours)
    xs = list(range(1, len(ranked) + 1))
    many = len(ranked) > 150
    for seg, (label, colour, _marker, hatch) in SEGMENT_STYLE.items():
        idx = [i for i, p in enumerate(ranked) if p.segment == seg]
        if not idx:
            continue
        seg_x = [xs[i] for i in idx]
        seg_y = [values[i] for i in idx]
        if many:
            # Thousands of bars are slow and unreadable; vertical lines carry the same shape.
            ax.vlines(seg_x, 0, seg_y, colors=colour, linewidth=1.0, label=label)
        else:
            ax.bar(
                seg_x,
                seg_y,
                color=colour,
                hatch=hatch,
                edgecolor=colours.edge,
                linewidth=0.5,
                label=label,
                width=0.85,
            )
    ax.axhline(0, color=colours.text, linewidth=0.8)
    ax.set_xlabel("Accounts, highest contribution first", fontsize=9, color=colours.text)
    ax.set_ylabel("Contribution (12 months)", fontsize=9, color=colours.text)
    _money_axis(ax, currency_symbol)
    ax.set_xlim(0.3, len(ranked) + 0.7)

    share = ax.twinx()
    share.plot(xs, cumulative, color=colours.text, linewidth=1.6, label="Cumulative share")
    share.axhline(100 * pareto_share, color=_ORANGE, linestyle="--", linewidth=1.2)
    share.text(
        len(xs) + 0.6,
        100 * pareto_share,
        f" {pareto_share:.0%} of contribution",
        va="bottom",
        ha="right",
        fontsize=8,
        color=colours.text,
    )
    share.set_ylim(0, max(105.0, max(cumulative) + 5))
    share.set_ylabel(
        "Cumulative share of positive contribution (%)", fontsize=9, color=colours.text
    )
    share.spines["top"].set_visible(False)
    share.spines["right"].set_color(colours.muted)
    share.tick_params(labelsize=9, colors=colours.text)
    if highlight is not None:
        for i, p in enumerate(ranked):
            if p.name == highlight:
                # Above a bar near the top the name would run into the chart's title: put it
                # beside the bar instead, on the chart's background so the bars do not show
                # through.
                top = values[i] >= 0.75 * max(values)
                ax.annotate(
                    p.name,
                    (xs[i], values[i]),
                    xytext=(14, -10) if top else (0, 18),
                    textcoords="offset points",
                    ha="left" if top else "center",
                    va="top" if top else "bottom",
                    fontsize=9,
                    color=colours.text,
                    bbox={"boxstyle": "round,pad=0.2", "fc": colours.background, "ec": "none"},
                    arrowprops={"arrowstyle": "->", "color": colours.text},
                )
                break
    handles, labels = ax.get_legend_handles_labels()
    h2, l2 = share.get_legend_handles_labels()
    # beside the plot: over the bars it would hide the curve or the 80% mark
    _legend_text(
        fig.legend(handles + h2, labels + l2, loc="outside right upper", fontsize=8, frameon=False),
        colours,
    )
    return fig


def horizon_figure(
    bubbles: Sequence[HorizonBubble],
    today: date,
    *,
    months: int = 36,
    minor_per_major: int = 100,
    colours: ChartColours = LIGHT,
) -> Figure:
    """The renewal horizon: each contract at its anchor date, height = risk, size = annual
    value, colour and marker = engagement band, with a line at today.
    """
    from ..core.dates import add_months

    title = f"Renewal horizon: the next {months} months"
    end = add_months(today, months)
    shown = [b for b in bubbles if today <= b.anchor <= end]
    if not shown:
        return empty_figure(
            title,
            f"No renewals in the next {months} months.\n"
            "Contracts appear here at their decision or end date.",
            colours=colours,
        )
    fig = _new_figure(9, 4.8, colours=colours)
    ax = fig.add_subplot()
    _style_axes(ax, title, colours)
    largest = max((b.annual_value_minor for b in shown), default=1) or 1

    def size(b: HorizonBubble) -> float:
        return 30 + 900 * (max(b.annual_value_minor, 0) / largest) ** 0.5

    for band, (label, colour, marker) in BAND_STYLE.items():
        group = [b for b in shown if (b.band if b.band in BAND_STYLE else "unknown") == band]
        if not group:
            continue
        ax.scatter(
            [b.anchor for b in group],
            [b.risk for b in group],
            s=[size(b) for b in group],
            c=colour,
            marker=marker,
            alpha=0.75,
            edgecolors=colours.edge,
            linewidths=0.6,
            label=label,
            picker=True,
            gid=band,
        )
    lead = (end - today) / 60
    ax.axvline(today, color=colours.text, linewidth=1.0, linestyle=":")
    ax.annotate(
        "today",
        (today, 0),
        xytext=(3, 3),
        textcoords="offset points",
        fontsize=8,
        color=colours.text,
    )
    for level, name in ((25, "Guarded"), (45, "Elevated"), (65, "High")):
        ax.axhline(level, color=colours.rule, linewidth=0.6, linestyle="--")
        ax.text(
            end + lead, level, f"{name} ", fontsize=7, color=colours.muted, ha="right", va="bottom"
        )
    ax.set_ylim(0, 105)
    ax.set_xlim(today - lead, end + lead)
    ax.set_ylabel("Renewal risk (0–100)", fontsize=9, color=colours.text)
    ax.set_xlabel("Campaign anchor (decision or end date)", fontsize=9, color=colours.text)
    _concise_dates(ax)
    place_labels(
        ax,
        [
            PointLabel(
                b.label,
                b.anchor,
                b.risk,
                radius=size(b) ** 0.5 / 2,
                priority=max(b.annual_value_minor, 0) / largest + b.risk / 100,
                short=b.label.rpartition(" · ")[2] if " · " in b.label else "",
            )
            for b in shown
        ],
        colours,
    )
    legend = _side_legend(
        ax,
        colours,
        fontsize=8,
        frameon=False,
        ncols=1,
        title="Engagement\n(size = annual value)",
        title_fontsize=8,
        alignment="left",
    )
    for handle in legend.legend_handles:
        handle.set_sizes([60])  # type: ignore[union-attr]
    return fig


def engagement_figure(
    points: Sequence[EngagementPoint],
    *,
    over: float = 2.0,
    under: float = 0.5,
    colours: ChartColours = LIGHT,
) -> Figure:
    """Each account's share of our effort against its share of value, with the proportionate
    band (effort between ``under`` and ``over`` times value) shaded.
    """
    title = "Engagement against value"
    if not points:
        return empty_figure(
            title,
            "No contact or value recorded yet.\nLog interactions to see where effort goes.",
            colours=colours,
        )
    fig = _new_figure(7.5, 5.5, colours=colours)
    ax = fig.add_subplot()
    _style_axes(ax, title, colours)
    top = max(max(p.value_share for p in points), max(p.effort_share for p in points), 0.01)
    top = min(1.0, top * 1.15)
    xs = [0, top]
    ax.fill_between(
        xs,
        [under * x for x in xs],
        [min(over * x, 1.5 * top) for x in xs],
        color=_GREEN,
        alpha=0.12,
        label="Proportionate band",
    )
    ax.plot(xs, xs, color=_GREEN, linewidth=1.0, linestyle="--")
    for seg, (label, colour, marker, _hatch) in SEGMENT_STYLE.items():
        group = [p for p in points if p.segment == seg]
        if group:
            ax.scatter(
                [p.value_share for p in group],
                [p.effort_share for p in group],
                c=colour,
                marker=marker,
                s=46,
                edgecolors=colours.edge,
                linewidths=0.5,
                label=label,
                picker=True,
                gid=seg,
            )
    ax.set_xlim(0, top)
    ax.set_ylim(0, top)
    ax.set_xlabel(
        "Share of portfolio value (positive contribution)", fontsize=9, color=colours.text
    )
    ax.set_ylabel("Share of our effort", fontsize=9, color=colours.text)
    from matplotlib.ticker import PercentFormatter

    ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.text(top * 0.03, top * 0.92, "over-serving", fontsize=8, color=colours.muted)
    # Up in the empty corner under the band, so the names of the large accounts along the
    # bottom (the under-served ones) keep their room.
    ax.text(top * 0.97, top * 0.3, "under-serving", fontsize=8, color=colours.muted, ha="right")
    place_labels(
        ax,
        [
            PointLabel(
                p.name,
                p.value_share,
                p.effort_share,
                radius=46**0.5 / 2,
                priority=p.value_share + abs(p.effort_share - p.value_share),
            )
            for p in points
        ],
        colours,
    )
    _side_legend(ax, colours, fontsize=8, frameon=False, ncols=1)
    return fig


def contract_timeline_figure(
    title: str,
    start: date,
    end: date,
    milestones: Sequence[TimelineMilestone],
    contacts: Sequence[TimelineContact],
    today: date,
    colours: ChartColours = LIGHT,
) -> Figure:
    """One contract's term: milestones on one lane (shape and colour = status), contact points
    by month below it (customer-initiated and ours stacked), and a line at today.
    """
    from matplotlib.dates import date2num

    heading = f"Campaign timeline: {title}"
    if end <= start:
        return empty_figure(heading, "The contract has no valid term to draw.", colours=colours)
    fig = _new_figure(9, 4.2, colours=colours)
    lanes = fig.add_gridspec(2, 1, height_ratios=(0.8, 1.6))
    top = fig.add_subplot(lanes[0])
    bottom = fig.add_subplot(lanes[1], sharex=top)
    _style_axes(top, heading, colours)
    top.grid(False)
    top.set_yticks([])
    top.spines["left"].set_visible(False)
    top.axhline(0, color=colours.rule, linewidth=2)
    for status, (label, colour, marker) in STATUS_STYLE.items():
        group = [ms for ms in milestones if ms.status == status]
        if group:
            top.scatter(
                [ms.due for ms in group],
                [0] * len(group),
                c=colour,
                marker=marker,
                s=70,
                zorder=3,
                label=label,
                edgecolors=colours.edge,
                linewidths=0.6,
            )
    place_labels(
        top,
        [
            PointLabel(ms.code, ms.due, 0, radius=70**0.5 / 2, priority=-i, key=ms)
            for i, ms in enumerate(sorted(milestones, key=lambda ms: ms.due))
        ],
        colours,
        limit=len(milestones),
        gap=0.5,  # short codes on one lane: their marks already keep them apart
    )
    top.set_ylim(-1, 1)

    _style_axes(bottom, "", colours)
    if contacts:
        months: dict[tuple[int, int], list[float]] = {}
        for c in contacts:
            slot = months.setdefault((c.on.year, c.on.month), [0.0, 0.0])
            slot[0 if c.customer_initiated else 1] += c.weight
        keys = sorted(months)
        centres = [date2num(date(y, mth, 15)) for y, mth in keys]
        theirs = [months[k][0] for k in keys]
        ours = [months[k][1] for k in keys]
        bottom.bar(centres, ours, width=24, color=_BLUE, label="Initiated by us")
        bottom.bar(
            centres,
            theirs,
            width=24,
            bottom=ours,
            color=_ORANGE,
            hatch="//",
            edgecolor=colours.edge,
            label="Initiated by the customer",
        )
    else:
        bottom.text(
            0.5,
            0.5,
            "No interactions logged for this account yet.",
            ha="center",
            va="center",
            fontsize=9,
            color=colours.muted,
            transform=bottom.transAxes,
        )
    bottom.set_ylabel("Contact points / month", fontsize=9, color=colours.text)
    for axis in (top, bottom):
        axis.axvline(today, color=colours.text, linewidth=1.0, linestyle=":")
    first = min([start, *(ms.due for ms in milestones), *(c.on for c in contacts)])
    last = max([end, *(ms.due for ms in milestones)])
    margin = (last - first) / 40
    bottom.set_xlim(first - margin, last + margin)
    _concise_dates(bottom)
    top.tick_params(labelbottom=False)
    handles, names = top.get_legend_handles_labels()
    more, more_names = bottom.get_legend_handles_labels()
    if handles or more:
        # beside the plot, never over the milestones or the bars
        _legend_text(
            fig.legend(
                handles + more,
                names + more_names,
                loc="outside right upper",
                fontsize=8,
                frameon=False,
                ncols=1,
            ),
            colours,
        )
    return fig
