"""A contract's deadlines as the screens show them: the date, then how far away in words.

The dates and their arithmetic come from :mod:`renewal_coach.core.deadlines`; this module only
writes them for people ("12 Mar 2027 · ⚠ in 45 days") and gives the tone a near or passed
date is drawn in. The words and the symbol carry the meaning; the colour only helps the eye.
:class:`DeadlineStrip` lays out all five deadlines of one contract, for the Renewals page's
detail, the account's contracts and the contract form.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtWidgets import QGridLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from ...core.deadlines import (
    DEADLINE_KINDS,
    NEAR_DAYS,
    contract_deadlines,
    is_live,
    when_state,
    when_words,
)
from ..text import show_date
from ..theme import set_tone

#: How close a date must be to be marked near on every screen: the database's deadline
#: settings (Preferences ▸ Deadlines), set by the window when it opens a database.
_NEAR = {"days": NEAR_DAYS}


def set_near_days(days: int) -> None:
    """Mark dates within ``days`` as near from now on (lists redrawn later show it)."""
    _NEAR["days"] = int(days)


def near_days() -> int:
    """The number of days within which a date is marked near."""
    return _NEAR["days"]


#: The tone of a date by its state (see :func:`renewal_coach.core.deadlines.when_state`).
STATE_TONES = {"passed": "error", "today": "warning", "near": "warning", "later": ""}


def deadline_text(
    due: date | None, today: date, *, live: bool = True, near: int | None = None
) -> str:
    """``due`` in the display format and, on a live contract, how far away it is:
    "12 Mar 2027 · ⚠ in 45 days", "3 Jan 2026 · ✕ passed 4 days ago". A closed contract's
    dates are only dates: they no longer call for anything. "" when there is no date."""
    if due is None:
        return ""
    day = show_date(due)
    if not live:
        return day
    return f"{day} · {when_words(due, today, near_days() if near is None else near)}"


def deadline_tone(due: date | None, today: date, *, near: int | None = None) -> str:
    """The tone name for ``due`` ("" for none)."""
    if due is None:
        return ""
    return STATE_TONES[when_state(due, today, near_days() if near is None else near)]


class DeadlineStrip(QWidget):
    """The five deadlines of one contract side by side: what, the date, and how far away.

    A kind the contract has no date for says "not set". Near dates are marked "⚠", passed ones
    "✕ passed …", in words as well as in a tone."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.tr("Deadlines"))
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(18)
        grid.setVerticalSpacing(1)
        self.heads: dict[str, QLabel] = {}
        self.dates: dict[str, QLabel] = {}
        self.whens: dict[str, QLabel] = {}
        for col, (kind, label) in enumerate(DEADLINE_KINDS.items()):
            head = QLabel(self.tr(label))
            font = head.font()
            font.setBold(True)
            head.setFont(font)
            day = QLabel()
            when = QLabel()
            for widget in (head, day, when):
                widget.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
            day.setAccessibleName(self.tr(label))
            grid.addWidget(head, 0, col)
            grid.addWidget(day, 1, col)
            grid.addWidget(when, 2, col)
            grid.setColumnStretch(col, 1)
            self.heads[kind], self.dates[kind], self.whens[kind] = head, day, when

    def show_contract(self, contract: Any | None, today: date, *, near: int | None = None) -> None:
        """Show ``contract``'s deadlines as of ``today`` (None clears the strip)."""
        near = near_days() if near is None else near
        found = {d.kind: d.due for d in contract_deadlines(contract)} if contract else {}
        live = contract is not None and is_live(contract)
        for kind in DEADLINE_KINDS:
            due = found.get(kind)
            self.dates[kind].setText(show_date(due, self.tr("not set")))
            when = when_words(due, today, near) if due is not None and live else ""
            self.whens[kind].setText(when)
            self.dates[kind].setAccessibleDescription(when)
            set_tone(self.whens[kind], deadline_tone(due, today, near=near) if live else "")

    def texts(self) -> dict[str, tuple[str, str]]:
        """What each kind shows now: (date, how far away)."""
        return {k: (self.dates[k].text(), self.whens[k].text()) for k in DEADLINE_KINDS}


class ContractDeadlines(QWidget):
    """A heading naming the contract ("Deadlines of C-104") over its :class:`DeadlineStrip`;
    hidden while no contract is chosen."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.heading = QLabel()
        font = self.heading.font()
        font.setBold(True)
        self.heading.setFont(font)
        self.strip = DeadlineStrip()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 4)
        layout.setSpacing(4)
        layout.addWidget(self.heading)
        layout.addWidget(self.strip)
        self.hide()

    def show_contract(self, contract: Any | None, today: date, *, near: int | None = None) -> None:
        """Show ``contract``'s deadlines, or hide when it is None."""
        self.strip.show_contract(contract, today, near=near)
        if contract is None:
            self.hide()
            return
        reference = getattr(contract, "reference", "")
        text = self.tr("Deadlines of {ref}").format(ref=reference) if reference else ""
        if not is_live(contract):
            text += self.tr(" (closed: the dates no longer call for anything)")
        self.heading.setText(text or self.tr("Deadlines"))
        self.show()
