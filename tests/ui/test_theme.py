"""Light and dark: readable colours on both, the choice in Preferences, and the desktop followed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QStyleFactory
from pytestqt.qtbot import QtBot

from renewal_coach.app import DatabaseOpener, Locations
from renewal_coach.ui import theme
from renewal_coach.ui.pages.account.stakeholder_map import ATTITUDE_TINTS, ATTITUDE_TINTS_DARK
from renewal_coach.ui.settings import COLOUR_SCHEME, Settings
from renewal_coach.ui.widgets.bands import (
    BAND_TONES,
    MILESTONE_TONES,
    TONES_DARK,
    TONES_LIGHT,
    band_colour,
    milestone_colour,
)

LIGHT_BACKGROUNDS = (theme.LIGHT_WINDOW, theme.LIGHT_BASE, "#f7f7f7")
DARK_BACKGROUNDS = (theme.DARK_WINDOW, theme.DARK_BASE, theme.DARK_ALTERNATE_BASE)


def luminance(colour: str) -> float:
    """WCAG 2 relative luminance of a #rrggbb colour."""
    channels = [int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_the_contrast_formula_matches_known_values() -> None:
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert contrast("#ffffff", "#ffffff") == pytest.approx(1.0)


def _every_colour(dark: bool) -> dict[str, str]:
    colours = {f"tone {name}": c for name, c in (TONES_DARK if dark else TONES_LIGHT).items()}
    colours.update({f"band {b}": band_colour(b, dark) for b in BAND_TONES})
    colours.update({f"milestone {s}": milestone_colour(s, dark) for s in MILESTONE_TONES})
    tints = ATTITUDE_TINTS_DARK if dark else ATTITUDE_TINTS
    colours.update({f"attitude {a.value}": c for a, c in tints.items()})
    return colours


@pytest.mark.parametrize(
    ("dark", "backgrounds"), [(False, LIGHT_BACKGROUNDS), (True, DARK_BACKGROUNDS)]
)
def test_every_band_and_error_colour_has_3_to_1_contrast_on_its_backgrounds(
    dark: bool, backgrounds: tuple[str, ...]
) -> None:
    poor = [
        f"{what} {colour} on {background}: {contrast(colour, background):.2f}"
        for what, colour in _every_colour(dark).items()
        for background in backgrounds
        if contrast(colour, background) < 3.0
    ]
    assert poor == []


def test_one_scheme_s_colours_would_not_do_on_the_other() -> None:
    # Why there are two sets: the light scheme's error red is unreadable on the dark window.
    assert contrast(TONES_LIGHT["error"], theme.DARK_WINDOW) < 3.0
    assert contrast(TONES_DARK["error"], theme.LIGHT_WINDOW) < 3.0


def test_the_checked_backgrounds_are_the_ones_drawn() -> None:
    dark = theme.dark_palette()
    role = QPalette.ColorRole
    assert dark.color(role.Window).name() == theme.DARK_WINDOW
    assert dark.color(role.Base).name() == theme.DARK_BASE
    assert dark.color(role.AlternateBase).name() == theme.DARK_ALTERNATE_BASE
    light = QStyleFactory.create("Fusion").standardPalette()
    assert light.color(role.Window).name() == theme.LIGHT_WINDOW
    assert light.color(role.Base).name() == theme.LIGHT_BASE
    # Ordinary text, links and placeholders are readable on the dark palette too.
    for which in (role.WindowText, role.Text, role.ButtonText, role.Link):
        assert contrast(dark.color(which).name(), theme.DARK_BASE) >= 4.5
    assert contrast(dark.color(role.PlaceholderText).name(), theme.DARK_BASE) >= 4.5


@pytest.fixture
def restore_light(qapp: QApplication) -> Iterator[None]:
    yield
    theme.apply_choice("light")
    theme.apply_choice("system")
    assert not theme.is_dark()


def test_choosing_dark_recolours_the_palette_and_toned_text(
    qtbot: QtBot, restore_light: None
) -> None:
    label = QLabel("⚠ Something is wrong")
    qtbot.addWidget(label)
    theme.set_tone(label, "error", "font-style: italic;")
    assert TONES_LIGHT["error"] in label.styleSheet()
    theme.apply_choice("dark")
    app = QApplication.instance()
    assert app.style().name().lower() == "fusion"
    assert app.palette().color(QPalette.ColorRole.Window).name() == theme.DARK_WINDOW
    assert theme.is_dark()
    assert TONES_DARK["error"] in label.styleSheet()
    assert "italic" in label.styleSheet()
    assert theme.band_qcolor("high") == QColor(TONES_DARK["error"])
    assert theme.chart_colours(app.palette()).background == theme.DARK_WINDOW
    theme.apply_choice("light")
    assert not theme.is_dark()
    assert TONES_LIGHT["error"] in label.styleSheet()


def test_following_the_desktop_switches_when_it_reports_a_change(
    monkeypatch: pytest.MonkeyPatch, restore_light: None
) -> None:
    controller = theme.apply_choice("system")
    reported = {"scheme": Qt.ColorScheme.Unknown}
    monkeypatch.setattr(controller, "system_scheme", lambda: reported["scheme"])
    changes: list[bool] = []
    controller.changed.connect(changes.append)
    reported["scheme"] = Qt.ColorScheme.Dark
    QApplication.instance().styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert theme.is_dark()
    reported["scheme"] = Qt.ColorScheme.Light
    QApplication.instance().styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Light)
    assert not theme.is_dark()
    assert changes == [True, False]
    # A fixed choice is not moved by the desktop.
    theme.apply_choice("light")
    reported["scheme"] = Qt.ColorScheme.Dark
    QApplication.instance().styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert not theme.is_dark()
    monkeypatch.undo()


def test_an_unknown_stored_choice_follows_the_desktop(restore_light: None) -> None:
    assert theme.apply_choice("purple").choice is theme.SchemeChoice.SYSTEM


def _face(chart) -> str:
    from matplotlib.colors import to_hex

    return to_hex(chart.figure.get_facecolor()) if chart.figure is not None else ""


def test_the_choice_is_made_in_preferences_kept_and_the_charts_follow(
    qtbot: QtBot, tmp_path: Path, restore_light: None
) -> None:
    from renewal_coach.ui.dialogs.preferences import PreferencesDialog
    from renewal_coach.ui.main_window import MainWindow
    from renewal_coach.ui.pages.renewals.renewals_model import RenewalsModel

    opener = DatabaseOpener(Locations.in_folder(tmp_path / "data"))
    settings = Settings(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    window = MainWindow(opener.open_sample(), settings, opener)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.show_insights()
    chart = window.insights.virtual_line  # the tab shown first
    qtbot.waitUntil(lambda: chart.is_built and not chart.is_stale, timeout=20_000)
    assert _face(chart) == theme.LIGHT_WINDOW

    def choose_dark() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, PreferencesDialog)
        box = dialog.scheme_box
        box.setFocus()
        box.setCurrentIndex(box.findData("dark"))
        dialog.accept()

    QTimer.singleShot(0, choose_dark)
    window.show_preferences()
    assert settings.get(COLOUR_SCHEME) == "dark"
    assert theme.is_dark()
    qtbot.waitUntil(lambda: _face(chart) == theme.DARK_WINDOW, timeout=20_000)
    # The renewals list draws its risk bands in the dark scheme's colours.
    window.show_renewals()
    model = window.renewals.model
    found = None
    for group in range(model.rowCount()):
        parent = model.index(group, 0)
        for row in range(model.rowCount(parent)):
            index = model.index(row, RenewalsModel.RISK, parent)
            if index.data(Qt.ItemDataRole.ForegroundRole) is not None:
                found = index.data(Qt.ItemDataRole.ForegroundRole)
                break
        if found is not None:
            break
    assert found is not None and found.name() in TONES_DARK.values()
    window.store.close()


def test_banners_switched_to_dark_draw_their_text_and_buttons_in_dark_colours(
    qtbot: QtBot, restore_light: None
) -> None:
    # A style sheet fixes the palette of the widgets inside it when it is set: the sample
    # banner switched to Dark in Preferences kept black text on its dark tint.
    from renewal_coach.ui.main_window import NameBanner, SampleBanner

    theme.apply_choice("light")
    banners = [SampleBanner(), NameBanner()]
    for banner in banners:
        qtbot.addWidget(banner)
        banner.show()
    theme.apply_choice("dark")
    role = QPalette.ColorRole
    dark = theme.dark_palette()
    for banner in banners:
        label = banner.findChild(QLabel)
        assert label.palette().color(role.WindowText) == dark.color(role.WindowText)
        assert contrast(label.palette().color(role.WindowText).name(), theme.DARK_WINDOW) >= 4.5
        button = banner.findChild(QPushButton)
        assert button.palette().color(role.Button) == dark.color(role.Button)
        # The tint is taken from the dark highlight, not the light one it started with.
        highlight = dark.color(role.Highlight)
        assert f"{highlight.red()}, {highlight.green()}, {highlight.blue()}" in banner.styleSheet()
    theme.apply_choice("light")
    label = banners[0].findChild(QLabel)
    assert label.palette().color(role.WindowText).lightness() < 100
