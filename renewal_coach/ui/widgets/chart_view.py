"""A matplotlib figure in a Qt widget, with hover, click and highlight on the plotted points.

The figure comes from a factory (a function returning a :class:`matplotlib.figure.Figure`,
usually one of :mod:`renewal_coach.export.charts`, given :meth:`ChartView.chart_colours` so it
is drawn on the window's colours) and is built the first time the widget is shown, so a page
holding charts costs nothing until someone looks at it; it is drawn again when the palette
changes (light to dark). matplotlib is imported inside the methods that draw: importing this
module does not load it.

Hit testing happens in pixels, not data units: a point is "under the mouse" when its drawn centre
is within a few pixels of the pointer, whatever the axes' scales (dates, shares, money).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, QPoint, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QPalette, QShowEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QToolTip, QVBoxLayout, QWidget

from ...export.charts import ChartColours
from ..theme import chart_colours

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
    from matplotlib.figure import Figure

#: One clickable point: (key, x in data units, y in data units, text shown on hover).
#: x or y may be a date: it is converted with ``matplotlib.dates.date2num`` when drawn.
HitPoint = tuple[str, Any, Any, str]
FigureFactory = Callable[[], "Figure"]
#: Which Axes of the figure holds the points: an index into ``fig.axes`` or a function.
AxesChoice = int | Callable[["Figure"], "Axes"]


class ChartView(QWidget):
    """Shows one figure and makes its points hoverable, clickable and highlightable.

    ``point_clicked(key)`` fires on a left click on a point (or Enter on the point picked with
    the arrow keys); ``point_hovered(key)`` when the point under the mouse changes ("" when it
    leaves every point). ``built`` fires after each (re)build of the canvas.

    With ``x_only`` the pointer only has to be level with a point (for bar charts, where the
    whole bar is the target): the nearest point in x within half the gap to its neighbours.
    """

    point_clicked = Signal(str)
    point_hovered = Signal(str)
    built = Signal()

    def __init__(
        self,
        factory: FigureFactory | None = None,
        points: Sequence[HitPoint] = (),
        *,
        axes: AxesChoice = 0,
        hit_radius: float = 8.0,
        x_only: bool = False,
        ring_size: float = 22.0,
        name: str = "",
        hint: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.hit_radius = hit_radius
        self.x_only = x_only
        self.ring_size = ring_size
        self._name = name
        self._hint = hint or self.tr(
            "Point at a mark for its details, or click the chart and use ← → to step through "
            "the marks; click or press Enter to choose one."
        )
        self._factory: FigureFactory | None = None
        self._points: list[HitPoint] = []
        self._axes_choice: AxesChoice = axes
        self._stale = False
        self.canvas: FigureCanvasQTAgg | None = None
        self.figure: Figure | None = None
        self._ax: Axes | None = None
        self._data_xy: list[tuple[float, float]] = []
        self._pixels: Any = None  # numpy array (n, 2) in display pixels, or None when unknown
        self._pixels_for: tuple[float, float, float] = (0, 0, 0)  # figure size they fit
        self._highlight: str | None = None
        self._rings: list[Any] = []
        self._ringed_in: Figure | None = None  # the figure the rings were drawn in
        self._hover: str | None = None
        self._current = -1  # keyboard position in self._order
        self._order: list[int] = []  # point indexes from left to right

        # The figure is drawn on the window colour: so is the caption under it, in a tab too.
        self.setBackgroundRole(QPalette.ColorRole.Window)
        self.setAutoFillBackground(True)
        self.placeholder = QLabel(self.tr("Drawing the chart…"))
        self.placeholder.installEventFilter(self)
        #: The first figure waits until "Drawing the chart…" is on screen (see _paint_first).
        self._after_paint = False
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Expanding)
        self.caption = QLabel(self._hint)
        self.caption.setWordWrap(True)
        self.caption.setAccessibleName(self.tr("Chart point details"))
        self.caption.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        # A fixed height: a caption growing by a line would shrink the canvas and move the
        # points under the pointer. The tooltip has the same text in full.
        self.caption.setFixedHeight(2 * self.caption.fontMetrics().lineSpacing() + 4)
        self.caption.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(4)
        self._layout.addWidget(self.placeholder, 1)
        self._layout.addWidget(self.caption)
        if name:
            self.setAccessibleName(name)
        if factory is not None:
            self.set_figure(factory, points, axes=axes)

    # ---- public -----------------------------------------------------------------------------

    @property
    def is_built(self) -> bool:
        """True once a canvas exists (it may be stale: see :attr:`is_stale`)."""
        return self.canvas is not None

    @property
    def is_stale(self) -> bool:
        """True when a new figure was given and has not been drawn yet."""
        return self._stale

    @property
    def points(self) -> list[HitPoint]:
        return list(self._points)

    @property
    def highlighted(self) -> str | None:
        return self._highlight

    @property
    def hovered(self) -> str | None:
        return self._hover

    def set_figure(
        self,
        factory: FigureFactory,
        points: Sequence[HitPoint] = (),
        *,
        axes: AxesChoice | None = None,
    ) -> None:
        """Show a new figure: now when the widget is visible, else the next time it is shown."""
        self._factory = factory
        self._points = list(points)
        if axes is not None:
            self._axes_choice = axes
        self._stale = True
        if self.isVisible():
            if self.canvas is None:
                self._paint_first()
            else:
                self.build()

    def build(self) -> None:
        """Draw the current figure into a new canvas, replacing (and freeing) any old one."""
        if self._factory is None:
            return
        from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
        from matplotlib.dates import date2num

        # While a page is being laid out the canvas can be a few pixels tall for a moment;
        # matplotlib then warns that it cannot fit the layout. It fits at the next resize.
        warnings.filterwarnings(
            "ignore", message="constrained_layout not applied", category=UserWarning
        )
        fig = self._factory()
        if fig.get_layout_engine() is None:
            fig.set_layout_engine("tight")
        canvas = FigureCanvasQTAgg(fig)
        canvas.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        canvas.setMinimumSize(200, 160)
        canvas.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        canvas.setAccessibleName(self._name or self.tr("Chart"))
        canvas.setAccessibleDescription(self._hint)
        canvas.installEventFilter(self)
        canvas.mpl_connect("motion_notify_event", self._on_motion)
        canvas.mpl_connect("button_press_event", self._on_press)
        canvas.mpl_connect("figure_leave_event", self._on_leave)
        canvas.mpl_connect("draw_event", self._on_draw)
        canvas.mpl_connect("resize_event", self._on_resize)

        def num(value: Any) -> float:
            if isinstance(value, (date, datetime)):
                return float(date2num(value))
            return float(value)

        old_canvas, old_figure = self.canvas, self.figure
        had_focus = old_canvas is not None and old_canvas.hasFocus()
        self.canvas, self.figure = canvas, fig
        self._ax = self._pick_axes(fig)
        self._data_xy = [(num(x), num(y)) for _key, x, y, _text in self._points]
        self._order = sorted(range(len(self._data_xy)), key=lambda i: self._data_xy[i])
        self._pixels = None
        self._rings = []
        self._hover = None
        self._current = -1
        self._stale = False

        self._layout.insertWidget(0, canvas, 1)
        # A widget added to a shown layout is shown only by a queued call; show it now so
        # its size, and so the positions of its points, are right from the start.
        canvas.setVisible(self.isVisible())
        self.placeholder.hide()
        self._layout.activate()
        if old_canvas is not None:
            old_canvas.removeEventFilter(self)
            old_canvas.hide()
            self._layout.removeWidget(old_canvas)
            old_canvas.deleteLater()
        if old_figure is not None:
            # No pyplot registry to close it from: dropping every artist frees the memory.
            old_figure.clear()
        self._draw_ring(self._highlight)
        self._show_caption(None)
        if had_focus:
            canvas.setFocus(Qt.FocusReason.OtherFocusReason)
        self.built.emit()

    def highlight(self, key: str | None) -> None:
        """Ring the point ``key`` (None, or a key not on the chart, removes the ring)."""
        if key == self._highlight and self._ringed_in is self.figure:
            return  # already drawn: no redraw for every selection signal
        self._highlight = key
        if self.canvas is None:
            return
        self._draw_ring(key)
        self.canvas.draw_idle()

    def hit_test(self, x: float, y: float) -> str | None:
        """The key of the point drawn nearest display pixel (``x``, ``y``), if close enough.

        Display pixels are matplotlib's: physical pixels from the bottom left of the canvas,
        as in a matplotlib mouse event's ``x`` and ``y``.
        """
        index = self._hit_index(x, y)
        return None if index is None else self._points[index][0]

    def display_position(self, key: str) -> tuple[float, float] | None:
        """Where the point ``key`` is drawn, in display pixels (see :meth:`hit_test`)."""
        pixels = self._ensure_pixels()
        for i, point in enumerate(self._points):
            if point[0] == key and pixels is not None:
                return float(pixels[i][0]), float(pixels[i][1])
        return None

    def widget_position(self, key: str) -> QPoint | None:
        """Where the point ``key`` is drawn, in the canvas's own Qt coordinates."""
        at = self.display_position(key)
        if at is None or self.canvas is None:
            return None
        ratio = self.canvas.device_pixel_ratio or 1.0
        height = self.canvas.get_width_height()[1]
        return QPoint(round(at[0] / ratio), round(height - at[1] / ratio))

    def chart_colours(self) -> ChartColours:
        """The background, text and grid colours of this widget's palette, for the factory."""
        return chart_colours(self.palette())

    def sizeHint(self) -> QSize:
        # The canvas asks for the figure's full size in pixels; the page decides instead.
        return QSize(480, 360)

    def minimumSizeHint(self) -> QSize:
        return QSize(240, 200)

    # ---- Qt events --------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            if self.canvas is None:
                self._paint_first()
            else:
                QTimer.singleShot(0, self, self._build_if_shown)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and self._factory is not None:
            # Light to dark or back: draw the figure again on the new colours (now when shown,
            # else the next time it is shown).
            self._stale = True
            if self.isVisible():
                QTimer.singleShot(0, self, self._build_if_shown)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # getattr: a filter can still be called while Python takes the object apart.
        if (
            event.type() == QEvent.Type.Paint
            and getattr(self, "_after_paint", False)
            and watched is self.placeholder
        ):
            # "Drawing the chart…" is being painted: build once that is on screen.
            self._after_paint = False
            QTimer.singleShot(0, self, self._build_if_shown)
            return False
        if watched is self.canvas and event.type() == QEvent.Type.KeyPress:
            return self._key(event)  # type: ignore[arg-type]
        if watched is self.canvas and event.type() == QEvent.Type.FocusOut:
            QToolTip.hideText()
        return super().eventFilter(watched, event)

    # ---- internals --------------------------------------------------------------------------

    def _build_if_shown(self) -> None:
        if self._stale and self.isVisible():
            self.build()

    def _paint_first(self) -> None:
        """Build the first figure only after the page, with "Drawing the chart…", has been
        painted: the first chart waits for matplotlib to load (seconds on a cold start), and
        built straight away from a page switch it kept the old page on screen meanwhile, as if
        the key had not been pressed."""
        self._after_paint = True
        self.placeholder.update()

    def _pick_axes(self, fig: Figure) -> Axes | None:
        choice = self._axes_choice
        if callable(choice):
            return choice(fig)
        return fig.axes[choice] if 0 <= choice < len(fig.axes) else None

    def _on_draw(self, _event: Any) -> None:
        # Layout engines place the axes while drawing, so positions are known only now.
        self._pixels = self._compute_pixels()
        self._pixels_for = self._drawn_size()

    def _drawn_size(self) -> tuple[float, float, float]:
        fig = self.figure
        return (fig.bbox.width, fig.bbox.height, fig.dpi) if fig is not None else (0, 0, 0)

    def _on_resize(self, _event: Any) -> None:
        self._pixels = None

    def _compute_pixels(self) -> Any:
        import numpy as np

        if self._ax is None or not self._data_xy:
            return np.empty((0, 2))
        return self._ax.transData.transform(np.asarray(self._data_xy, dtype=float))

    def _ensure_pixels(self) -> Any:
        if self.canvas is None:
            return None
        if self._pixels is None or self._pixels_for != self._drawn_size():
            # Not drawn at this size yet (a resize or a screen change waits for an idle
            # redraw): draw now so the layout, and so the positions, are final.
            self.canvas.draw()
            if self._pixels is None:
                self._pixels = self._compute_pixels()
        return self._pixels

    def _hit_index(self, x: float, y: float) -> int | None:
        import numpy as np

        pixels = self._ensure_pixels()
        if pixels is None or len(pixels) == 0:
            return None
        ratio = (self.canvas.device_pixel_ratio if self.canvas else 1.0) or 1.0
        radius = self.hit_radius * ratio
        if self.x_only:
            if self._ax is not None and not self._ax.bbox.contains(x, y):
                return None
            distance = np.abs(pixels[:, 0] - x)
            xs = np.unique(pixels[:, 0])
            if len(xs) > 1:
                radius = max(radius, float(np.min(np.diff(xs))) / 2)
        else:
            distance = np.hypot(pixels[:, 0] - x, pixels[:, 1] - y)
        distance = np.where(np.isfinite(distance), distance, np.inf)
        index = int(np.argmin(distance))
        return index if distance[index] <= radius else None

    def _on_motion(self, event: Any) -> None:
        if event.x is None or event.y is None:
            return
        index = self._hit_index(event.x, event.y)
        key = None if index is None else self._points[index][0]
        if key == self._hover:
            return
        self._hover = key
        canvas = self.canvas
        if canvas is None:
            return
        if index is None:
            QToolTip.hideText()
            canvas.unsetCursor()
            self._show_caption(None)
        else:
            canvas.setCursor(Qt.CursorShape.PointingHandCursor)
            text = self._points[index][3]
            gui = getattr(event, "guiEvent", None)
            if gui is not None and hasattr(gui, "position"):
                local = gui.position().toPoint()
            else:
                local = self.widget_position(key) or QPoint()
            QToolTip.showText(canvas.mapToGlobal(local), text, canvas)
            self._show_caption(text)
        self.point_hovered.emit(key or "")

    def _on_press(self, event: Any) -> None:
        if event.button is None or int(event.button) != 1 or event.x is None:
            return
        index = self._hit_index(event.x, event.y)
        if index is not None:
            self._current = self._order.index(index)
            self.point_clicked.emit(self._points[index][0])

    def _on_leave(self, _event: Any) -> None:
        if self._hover is not None:
            self._hover = None
            QToolTip.hideText()
            if self.canvas is not None:
                self.canvas.unsetCursor()
            self._show_caption(None)
            self.point_hovered.emit("")

    def _key(self, event: QKeyEvent) -> bool:
        """Arrow keys step through the points from left to right; Enter chooses one."""
        if not self._order:
            return False
        key = event.key()
        count = len(self._order)
        if key in (Qt.Key.Key_Right, Qt.Key.Key_Down):
            self._step(0 if self._current < 0 else min(self._current + 1, count - 1))
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_Up):
            self._step(count - 1 if self._current < 0 else max(self._current - 1, 0))
        elif key == Qt.Key.Key_Home:
            self._step(0)
        elif key == Qt.Key.Key_End:
            self._step(count - 1)
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            if self._current < 0:
                return False
            self.point_clicked.emit(self._points[self._order[self._current]][0])
        else:
            return False
        return True

    def _step(self, position: int) -> None:
        self._current = position
        index = self._order[position]
        key, _x, _y, text = self._points[index]
        self.highlight(key)
        self._show_caption(text)
        at = self.widget_position(key)
        if at is not None and self.canvas is not None:
            QToolTip.showText(self.canvas.mapToGlobal(at), text, self.canvas)
            self.canvas.setAccessibleDescription(text)
        self.point_hovered.emit(key)

    def _show_caption(self, text: str | None) -> None:
        self.caption.setText(text if text else self._hint if self._points else "")

    def _draw_ring(self, key: str | None) -> None:
        for artist in self._rings:
            artist.remove()
        self._rings = []
        self._ringed_in = self.figure
        if key is None or self._ax is None:
            return
        for i, point in enumerate(self._points):
            if point[0] != key:
                continue
            x, y = self._data_xy[i]
            colours = self.chart_colours()
            for colour, width in ((colours.background, 5.0), (colours.text, 2.2)):
                (ring,) = self._ax.plot(
                    [x],
                    [y],
                    marker="o",
                    markersize=self.ring_size,
                    markerfacecolor="none",
                    markeredgecolor=colour,
                    markeredgewidth=width,
                    linestyle="none",
                    zorder=10,
                    scalex=False,
                    scaley=False,
                    label="_highlight",
                )
                self._rings.append(ring)
            return


#: What drawing a chart needs loaded: matplotlib takes seconds to import on a cold start.
_CHART_MODULES = (
    "matplotlib.figure",
    "matplotlib.dates",
    "matplotlib.ticker",
    "matplotlib.backends.backend_agg",
)


def load_chart_modules_in_background() -> Any:
    """Start importing matplotlib on a worker thread, so that the first look at a chart
    (Renewals, Insights) does not stall the window while it loads. Start-up itself does not
    wait for it (call this once the window is up). Returns the thread (tests join it)."""
    import importlib
    import threading

    def load() -> None:
        for name in _CHART_MODULES:
            try:
                importlib.import_module(name)
            except Exception:  # the first chart imports it again and reports the error
                return

    thread = threading.Thread(target=load, name="load-chart-modules", daemon=True)
    thread.start()
    return thread
