"""The totals under the portfolio list: per currency, the annual value of the accounts shown and
how much of it sits in each renewal risk band."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QVBoxLayout, QWidget

from ...core.money import format_money
from ...core.totals import NO_BAND, RISK_BANDS, CurrencyTotal
from ..theme import is_dark
from ..widgets.bands import BAND_SYMBOLS, band_colour


def share(part: int, whole: int) -> int:
    """``part`` as a whole percentage of ``whole``, rounded half up; 0 when whole is 0."""
    if whole <= 0:
        return 0
    return (200 * part + whole) // (2 * whole)


class PortfolioTotals(QFrame):
    """One line per currency: the total of the rows shown, then the part in each risk band.

    Different currencies are never added together: each has its own line.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("portfolioTotals")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.label = QLabel()
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.label.setAccessibleName(self.tr("Totals of the accounts shown"))
        # In a scroll area, so that many currencies or a narrow window never widen the window:
        # the lines scroll sideways instead.
        self.scroll = QScrollArea()
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setWidgetResizable(False)  # the label keeps its full width
        self.scroll.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.scroll.setWidget(self.label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.addWidget(self.scroll)
        self.setToolTip(
            self.tr(
                "Annual value of the active and renewing contracts of the accounts listed above "
                "(as filtered), per currency, split by each account's renewal risk band. "
                "Currencies are never added together."
            )
        )
        self.totals: list[CurrencyTotal] = []
        self._band_names = {
            "low": self.tr("Low risk"),
            "guarded": self.tr("Guarded"),
            "elevated": self.tr("Elevated"),
            "high": self.tr("High risk"),
            NO_BAND: self.tr("No risk score"),
        }

    def show_totals(self, totals: Sequence[CurrencyTotal], accounts_shown: int) -> None:
        """Show ``totals`` (from :func:`~renewal_coach.core.totals.value_totals`)."""
        self.totals = list(totals)
        if not self.totals:
            self.label.setText(escape(self.tr("No annual value recorded for the accounts shown.")))
            return
        cell = "padding: 1px 10px 1px 0px;"
        head = [f"<th align='left' style='{cell}'>{escape(self.tr('Annual value shown'))}</th>"]
        dark = is_dark(self.palette())
        for band in (*RISK_BANDS, NO_BAND):
            symbol = BAND_SYMBOLS.get(band, "○")
            colour = band_colour(band, dark)
            mark = f"<span style='color:{colour}'>{symbol}</span>" if colour else symbol
            head.append(
                f"<th align='right' style='{cell}'>{mark}&nbsp;"
                f"{escape(self._band_names[band])}</th>"
            )
        lines = [f"<tr><th></th>{''.join(head)}</tr>"]
        for total in self.totals:
            accounts = (
                self.tr("1 account")
                if total.accounts == 1
                else self.tr("{n} accounts").format(n=total.accounts)
            )
            cells = [
                f"<td style='{cell}'><b>{escape(total.currency)}</b>&nbsp;"
                f"<span style='font-weight:normal'>({escape(accounts)})</span></td>",
                f"<td align='left' style='{cell}'><b>"
                f"{escape(format_money(total.total_minor, total.currency))}</b></td>",
            ]
            for band in (*RISK_BANDS, NO_BAND):
                part = total.by_band[band]
                text = format_money(part, total.currency)
                pct = share(part, total.total_minor)
                cells.append(
                    f"<td align='right' style='{cell}'>{escape(text)}&nbsp;({pct}%)</td>"
                    if part
                    else f"<td align='right' style='{cell}'>–</td>"
                )
            lines.append(f"<tr>{''.join(cells)}</tr>")
        self.label.setText(f"<table cellspacing='0'>{''.join(lines)}</table>")
        self.label.setAccessibleDescription(self.as_text())
        self._fit_height()

    def _fit_height(self) -> None:
        """As tall as the lines, plus the sideways scroll bar's height when it is needed."""
        self.label.adjustSize()
        height = self.label.sizeHint().height()
        if self.label.sizeHint().width() > self.scroll.viewport().width():
            height += self.scroll.horizontalScrollBar().sizeHint().height()
        self.scroll.setFixedHeight(height)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_height()

    def as_text(self) -> str:
        """The totals in plain words (for screen readers and tests)."""
        parts = []
        for total in self.totals:
            bands = ", ".join(
                f"{self._band_names[b]} {format_money(total.by_band[b], total.currency)}"
                for b in (*RISK_BANDS, NO_BAND)
                if total.by_band[b]
            )
            parts.append(
                f"{total.currency}: {format_money(total.total_minor, total.currency)} ({bands})"
            )
        return "; ".join(parts)
