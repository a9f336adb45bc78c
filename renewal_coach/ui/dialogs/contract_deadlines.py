"""The contract form's deadlines, worked out live as the person types.

Under the Notice deadline field the form says which notice deadline applies (the one typed,
or the end date less the notice period) and how far away it is; under each other deadline
field (end date, option exercise date, market approach, decision date) how far away it is.
Nothing here is saved: the core computes the same dates from the stored contract
(:func:`renewal_coach.core.deadlines.notice_deadline`).
"""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace
from typing import Any

from PySide6.QtWidgets import QLabel

from ...core.dates import parse_date
from ...core.deadlines import is_live, notice_deadline, when_words
from ..text import plural
from ..theme import set_tone
from ..widgets.deadlines import deadline_text, deadline_tone, near_days
from .record_form import RecordForm

_DATES = (
    "end_date",
    "notice_deadline",
    "extension_exercise_by",
    "market_approach_date",
    "decision_date",
)


class DeadlinePreview:
    """Keeps a line under each deadline field of ``form`` in step with what is typed."""

    def __init__(self, form: RecordForm, today: date) -> None:
        self.form = form
        self.today = today
        #: The line under each date field, by field name ("notice_deadline" says which applies).
        self.lines: dict[str, QLabel] = {}
        for name in _DATES:
            editor = form.editors.get(name)
            if editor is None:
                continue
            line = QLabel()
            line.setObjectName(f"when_{name}")
            line.setWordWrap(True)
            line.setAccessibleName(form.tr("{field}: how far away").format(field=editor.info.label))
            editor.layout().addWidget(line)
            self.lines[name] = line
        self.notice = self.lines.get("notice_deadline", QLabel())
        form.changed.connect(self.update)
        self.update()

    def _contract(self) -> Any:
        """The contract as typed so far; a date or number not readable yet counts as blank."""
        values: dict[str, Any] = {"status": "active"}
        for name in _DATES:
            editor = self.form.editors.get(name)
            raw = editor.raw_value() if editor is not None else None
            try:
                values[name] = parse_date(raw) if raw and str(raw).strip() else None
            except ValueError:
                values[name] = None
        period = self.form.editors.get("notice_period_days")
        text = str(period.raw_value()).strip() if period is not None else ""
        values["notice_period_days"] = int(text) if text.isdigit() and len(text) < 6 else None
        status = self.form.editors.get("status")
        if status is not None and status.raw_value() is not None:
            values["status"] = status.raw_value()
        return SimpleNamespace(**values)

    def update(self) -> None:
        contract = self._contract()
        due = notice_deadline(contract)
        if due is None:
            text = self.form.tr(
                "No notice deadline yet: give one, or the end date and the notice period."
            )
            tone = ""
        else:
            when = deadline_text(due, self.today)
            if contract.notice_deadline is not None:
                text = self.form.tr("Applies: {when}.").format(when=when)
            else:
                days = plural(
                    contract.notice_period_days, self.form.tr("{n} day"), self.form.tr("{n} days")
                )
                text = self.form.tr("Worked out: {when} (the end date less {days}).").format(
                    when=when, days=days
                )
            tone = deadline_tone(due, self.today)
        self.notice.setText(text)
        set_tone(self.notice, tone)
        for name, line in self.lines.items():
            if name == "notice_deadline":
                continue
            due = getattr(contract, name)
            live = is_live(contract)
            line.setText(
                when_words(due, self.today, near_days()) if due is not None and live else ""
            )
            line.setVisible(bool(line.text()))
            set_tone(line, deadline_tone(due, self.today) if live else "")


def attach_deadline_preview(form: RecordForm, today: date) -> DeadlinePreview:
    """Show the contract's deadlines live on ``form`` (kept on the form as ``deadlines``)."""
    preview = DeadlinePreview(form, today)
    form.deadlines = preview  # type: ignore[attr-defined]
    return preview
