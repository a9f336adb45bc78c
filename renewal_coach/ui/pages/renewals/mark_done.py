"""Mark a campaign milestone done: which one, when, and a note."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from ....core.dates import parse_date
from ....core.scoring.timeline import MilestoneDue
from ...text import show_date
from ...theme import milestone_qcolor, set_tone


class MarkDoneDialog(QDialog):
    """Which milestone was done, when, and a note. Built and clicked in tests without exec().

    After ``accepted``, :attr:`values` holds (code, occurrence, done_on, note).
    """

    def __init__(
        self,
        contract_label: str,
        milestones: Sequence[MilestoneDue],
        today: date,
        *,
        default: tuple[str, int] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._milestones = list(milestones)
        self._today = today
        self.values: tuple[str, int, date, str] | None = None
        self.setWindowTitle(self.tr("Mark Milestone Done"))

        heading = QLabel(contract_label)
        heading.setWordWrap(True)
        font = heading.font()
        font.setBold(True)
        heading.setFont(font)

        self.milestone_combo = QComboBox()
        self.milestone_combo.setAccessibleName(self.tr("Milestone"))
        statuses = {
            "overdue": self.tr("overdue"),
            "due": self.tr("due soon"),
            "upcoming": self.tr("upcoming"),
            "before_tracking": self.tr("before tracking"),
        }
        for i, m in enumerate(self._milestones):
            due = show_date(m.due)
            self.milestone_combo.addItem(
                self.tr("{code} {label}: due {due} ({status})").format(
                    code=m.code, label=m.label, due=due, status=statuses.get(m.status, m.status)
                ),
                i,
            )
            if m.status == "before_tracking":
                # greyed in the list, and the words say why
                self.milestone_combo.setItemData(
                    i, milestone_qcolor("before_tracking"), Qt.ItemDataRole.ForegroundRole
                )
        chosen = 0
        if default is not None:
            for i, m in enumerate(self._milestones):
                if (m.code, m.occurrence) == default:
                    chosen = i
                    break
        self.milestone_combo.setCurrentIndex(chosen)
        self.means_label = QLabel()
        self.means_label.setWordWrap(True)
        self.means_label.setMinimumWidth(360)
        self.means_label.setAccessibleName(self.tr("What done means"))
        self.milestone_combo.currentIndexChanged.connect(self._milestone_changed)
        self._milestone_changed(chosen)

        self.date_edit = QLineEdit(today.isoformat())
        self.date_edit.setPlaceholderText(self.tr("YYYY-MM-DD"))
        self.date_edit.setAccessibleName(self.tr("Done on"))
        self.date_edit.setAccessibleDescription(self.tr("The date, as YYYY-MM-DD"))
        self.date_edit.textEdited.connect(self._date_edited)
        self.date_error = QLabel()
        self.date_error.setWordWrap(True)
        set_tone(self.date_error, "error")
        self.date_error.setAccessibleName(self.tr("Date problem"))
        self.date_error.hide()
        date_box = QVBoxLayout()
        date_box.setSpacing(2)
        date_box.addWidget(self.date_edit)
        date_box.addWidget(self.date_error)

        self.note_edit = QPlainTextEdit()
        self.note_edit.setAccessibleName(self.tr("Note"))
        self.note_edit.setPlaceholderText(
            self.tr("What was done, with whom, where the evidence is")
        )
        self.note_edit.setTabChangesFocus(True)
        self.note_edit.setFixedHeight(self.note_edit.fontMetrics().lineSpacing() * 4 + 12)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        milestone_label = QLabel(self.tr("&Milestone:"))
        milestone_label.setBuddy(self.milestone_combo)
        date_label = QLabel(self.tr("&Done on:"))
        date_label.setBuddy(self.date_edit)
        note_label = QLabel(self.tr("&Note:"))
        note_label.setBuddy(self.note_edit)
        form.addRow(milestone_label, self.milestone_combo)
        form.addRow("", self.means_label)
        form.addRow(date_label, date_box)
        form.addRow(note_label, self.note_edit)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("Mark Done"))
        self.ok_button.setEnabled(bool(self._milestones))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(520)

    def selected_milestone(self) -> MilestoneDue | None:
        i = self.milestone_combo.currentIndex()
        return self._milestones[i] if 0 <= i < len(self._milestones) else None

    def accept(self) -> None:
        milestone = self.selected_milestone()
        if milestone is None:
            return
        try:
            done_on = parse_date(self.date_edit.text())
        except ValueError as err:
            self._show_date_error(str(err))
            return
        if done_on > self._today:
            self._show_date_error(self.tr("A milestone cannot be done in the future."))
            return
        self.values = (
            milestone.code,
            milestone.occurrence,
            done_on,
            self.note_edit.toPlainText().strip(),
        )
        super().accept()

    def _show_date_error(self, message: str) -> None:
        self.date_error.setText(f"⚠ {message}")
        self.date_error.show()
        self.date_edit.setAccessibleDescription(message)
        self.date_edit.setFocus(Qt.FocusReason.OtherFocusReason)
        self.date_edit.selectAll()

    @Slot(str)
    def _date_edited(self, _text: str) -> None:
        if not self.date_error.isHidden():
            self.date_error.hide()
            self.date_edit.setAccessibleDescription(self.tr("The date, as YYYY-MM-DD"))

    @Slot(int)
    def _milestone_changed(self, i: int) -> None:
        if 0 <= i < len(self._milestones):
            chosen = self._milestones[i]
            text = self.tr("Done means: {what}").format(what=chosen.done_means)
            if chosen.status == "before_tracking":
                text += " " + self.tr(
                    "It fell due before this campaign was tracked here, so it is not counted "
                    "as overdue; give the day it was really done."
                )
            self.means_label.setText(text)
        else:
            self.means_label.setText(self.tr("Every milestone of this campaign is done."))
