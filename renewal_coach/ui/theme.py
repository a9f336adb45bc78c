"""Light and dark: follow the desktop's colour scheme, or the one chosen in Preferences.

Qt 6 reports the desktop's scheme through ``QStyleHints.colorScheme()`` (and
``colorSchemeChanged`` when it changes). Many Linux desktops report none (``Unknown``), and Qt
has no way there to ask for dark, so a chosen or reported Dark is drawn here: the Fusion style
with :func:`dark_palette`. Light on a desktop that is dark gets Fusion's own light palette.

Text that carries a meaning (an error, a band) takes its colour from a *tone*
(``widgets/bands.py``) with one colour per scheme. Widgets given a tone with :func:`set_tone`
are recoloured when the scheme changes; models and HTML ask :func:`tone` when they draw.
"""

from __future__ import annotations

from enum import StrEnum

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory, QWidget

from ..export.charts import ChartColours
from .widgets.bands import band_colour, milestone_colour, tone_colour


class SchemeChoice(StrEnum):
    """What Preferences offers: follow the desktop, or always light, or always dark."""

    SYSTEM = "system"
    LIGHT = "light"
    DARK = "dark"


#: The dark window, list and text colours (tests check the tones against these).
DARK_WINDOW = "#2b2b2b"
DARK_BASE = "#1f1f1f"
DARK_ALTERNATE_BASE = "#262626"
DARK_TEXT = "#e8e8e8"
#: Fusion's light window and list colours.
LIGHT_WINDOW = "#efefef"
LIGHT_BASE = "#ffffff"

_TONE = "rcTone"
_TONE_EXTRA = "rcToneExtra"


def dark_palette() -> QPalette:
    """A dark palette for the Fusion style: light text on dark grey, readable links."""
    role, group = QPalette.ColorRole, QPalette.ColorGroup
    palette = QPalette()
    colours = {
        role.Window: DARK_WINDOW,
        role.WindowText: DARK_TEXT,
        role.Base: DARK_BASE,
        role.AlternateBase: DARK_ALTERNATE_BASE,
        role.ToolTipBase: "#3a3a3a",
        role.ToolTipText: DARK_TEXT,
        role.PlaceholderText: "#9a9a9a",
        role.Text: DARK_TEXT,
        role.Button: "#363636",
        role.ButtonText: DARK_TEXT,
        role.BrightText: "#ff8a80",
        role.Light: "#4a4a4a",
        role.Midlight: "#3e3e3e",
        role.Mid: "#2f2f2f",
        role.Dark: "#1a1a1a",
        role.Shadow: "#0d0d0d",
        role.Highlight: "#3d6fb4",
        role.HighlightedText: "#ffffff",
        role.Link: "#82b4f5",
        role.LinkVisited: "#c5a3f0",
        role.Accent: "#3d6fb4",
    }
    for which, colour in colours.items():
        palette.setColor(which, QColor(colour))
    for which in (role.WindowText, role.Text, role.ButtonText):
        palette.setColor(group.Disabled, which, QColor("#7d7d7d"))
    palette.setColor(group.Disabled, role.Highlight, QColor("#4a4a4a"))
    palette.setColor(group.Disabled, role.HighlightedText, QColor("#9a9a9a"))
    return palette


def is_dark(palette: QPalette | None = None) -> bool:
    """Whether ``palette`` (the application's by default) draws on a dark background."""
    if palette is None:
        palette = QGuiApplication.palette()
    window = palette.color(QPalette.ColorRole.Window)
    text = palette.color(QPalette.ColorRole.WindowText)
    return window.lightness() < text.lightness()


def tone(name: str, palette: QPalette | None = None) -> str:
    """The colour of tone ``name`` ("error", "good", ...) for the palette in use."""
    return tone_colour(name, is_dark(palette))


def band_qcolor(band: str) -> QColor | None:
    """A band's colour for the palette in use (None for a band drawn in the text colour)."""
    colour = band_colour(band, is_dark())
    return QColor(colour) if colour else None


def milestone_qcolor(status: str) -> QColor | None:
    """A milestone status's colour for the palette in use (None: the text colour)."""
    colour = milestone_colour(status, is_dark())
    return QColor(colour) if colour else None


def set_tone(widget: QWidget, name: str, extra: str = "") -> None:
    """Colour ``widget``'s text in tone ``name`` now and again whenever the scheme changes.

    ``extra`` is more style sheet for the same widget (``"font-style: italic;"``); an empty
    ``name`` takes the tone off again and leaves only ``extra``.
    """
    widget.setProperty(_TONE, name)
    widget.setProperty(_TONE_EXTRA, extra)
    _apply_tone(widget)


def _apply_tone(widget: QWidget) -> None:
    name = widget.property(_TONE) or ""
    extra = widget.property(_TONE_EXTRA) or ""
    colour = f"color: {tone(name)};" if name else ""
    widget.setStyleSheet(" ".join(part for part in (colour, extra) if part))


_TINT = "rcTint"


def set_tint(widget: QWidget, fill: int, border: int) -> None:
    """Give ``widget`` (a framed banner with an object name) a background and border tinted
    from the palette's highlight colour, ``fill`` and ``border`` its opacities (0-255), now and
    again whenever the scheme changes."""
    widget.setProperty(_TINT, (fill, border))
    _apply_tint(widget)


def _apply_tint(widget: QWidget) -> None:
    fill, border = widget.property(_TINT)
    accent = QGuiApplication.palette().color(QPalette.ColorRole.Highlight)
    rgb = f"{accent.red()}, {accent.green()}, {accent.blue()}"
    widget.setStyleSheet(
        f"#{widget.objectName()} {{ background: rgba({rgb}, {fill});"
        f" border: 1px solid rgba({rgb}, {border}); border-radius: 4px; }}"
    )


def refresh_tones() -> None:
    """Restyle every widget that has a style sheet (after the palette changed).

    Toned text and tinted banners take their colours for the new scheme. Any other style sheet
    is set again: Qt resolves ``palette(...)`` in a style sheet, and fixes the palette of the
    widgets inside a styled one, when the sheet is set, so without this a banner's text and
    buttons would keep the old scheme's colours (black text on a dark banner).
    """
    for widget in QApplication.allWidgets():
        if widget.property(_TONE) is not None:
            _apply_tone(widget)
        elif widget.property(_TINT) is not None:
            _apply_tint(widget)
        elif widget.styleSheet():
            widget.setStyleSheet(widget.styleSheet())


def chart_colours(palette: QPalette) -> ChartColours:
    """The neutral colours of a chart drawn on a window with ``palette``."""
    role = QPalette.ColorRole
    background = palette.color(role.Window)
    text = palette.color(role.WindowText)

    def mix(share: float) -> str:
        """``share`` of the way from the background to the text."""
        parts = (
            round(b + (t - b) * share)
            for b, t in (
                (background.red(), text.red()),
                (background.green(), text.green()),
                (background.blue(), text.blue()),
            )
        )
        return "#{:02x}{:02x}{:02x}".format(*parts)

    return ChartColours(
        background=background.name(),
        text=text.name(),
        muted=mix(0.7),
        grid=mix(0.15),
        rule=mix(0.3),
        edge=background.name(),
    )


class ThemeController(QObject):
    """Keeps the application's palette in step with the chosen scheme and the desktop's."""

    #: After the palette changed: True when it is now dark.
    changed = Signal(bool)

    def __init__(self, app: QApplication, choice: str = SchemeChoice.SYSTEM) -> None:
        super().__init__(app)
        self._app = app
        self._native_style = app.style().name()
        self._choice = _parse(choice)
        self._dark = is_dark(app.palette())
        app.styleHints().colorSchemeChanged.connect(self._system_changed)
        self.apply()

    @property
    def choice(self) -> SchemeChoice:
        return self._choice

    def system_scheme(self) -> Qt.ColorScheme:
        return self._app.styleHints().colorScheme()

    def wants_dark(self) -> bool:
        """Dark when chosen, or when following a desktop that reports dark."""
        if self._choice is SchemeChoice.SYSTEM:
            return self.system_scheme() == Qt.ColorScheme.Dark
        return self._choice is SchemeChoice.DARK

    def set_choice(self, choice: str) -> None:
        self._choice = _parse(choice)
        self.apply()

    def apply(self) -> None:
        """Set the style and palette for the current choice, then recolour toned text."""
        app = self._app
        dark = self.wants_dark()
        system = self.system_scheme()
        native = self._choice is SchemeChoice.SYSTEM or (
            system != Qt.ColorScheme.Unknown and (system == Qt.ColorScheme.Dark) == dark
        )
        if native:
            # The desktop's own style and palette, as long as they are what is wanted.
            self._set_style(self._native_style)
            app.setPalette(QPalette())
            if is_dark(app.palette()) != dark:
                native = False
        if not native:
            self._set_style("Fusion")
            app.setPalette(dark_palette() if dark else app.style().standardPalette())
        self._dark = is_dark(app.palette())
        refresh_tones()
        self.changed.emit(self._dark)

    def _set_style(self, name: str) -> None:
        if self._app.style().name().lower() != name.lower():
            style = QStyleFactory.create(name)
            if style is not None:
                self._app.setStyle(style)

    def _system_changed(self, _scheme: Qt.ColorScheme) -> None:
        if self._choice is SchemeChoice.SYSTEM:
            self.apply()


def _parse(choice: str) -> SchemeChoice:
    try:
        return SchemeChoice(choice)
    except ValueError:
        return SchemeChoice.SYSTEM


_controller: ThemeController | None = None


def controller() -> ThemeController:
    """The application's theme controller, made on first use (following the desktop)."""
    global _controller
    app = QApplication.instance()
    assert isinstance(app, QApplication), "a QApplication must exist first"
    if _controller is None or _controller.parent() is not app:
        _controller = ThemeController(app)
    return _controller


def apply_choice(choice: str) -> ThemeController:
    """Use ``choice`` ("system", "light" or "dark") from now on."""
    theme = controller()
    theme.set_choice(choice)
    return theme
