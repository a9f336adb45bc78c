"""A new conversation plan from a playbook, for the attendees chosen.

:class:`NewPlanDialog` builds the plan unsaved; the plan editor opens it.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import date, timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...core.enums import ContractStatus, MeetingType
from ...core.models import ConversationPlan
from ...core.plans import AccountContext, build_plan
from ...core.playbooks import PlaybookLibrary, load_library
from ...storage.plan_store import load_context
from ...storage.repository import Store
from ..text import plural, show_date
from ..theme import set_tone
from .capture_dialog import DateField, Today, current_people, enum_label, today_source
from .plan_parts import _NOTE_STYLE, _WARN_BOX_STYLE


def _esc(text: object) -> str:
    return html.escape(str(text), quote=False)


class NewPlanDialog(QDialog):
    """Choose contract, playbook, date and attendees; OK builds the plan (``plan()``), unsaved.

    ``library`` defaults to the built-in playbooks plus the user's own folder; playbook files
    that failed to load are listed in a warning and left out, the rest work as usual.
    """

    def __init__(
        self,
        store: Store,
        account_id: str,
        *,
        contract_id: str | None = None,
        meeting_type: MeetingType | None = None,
        today: Today,
        user: str = "",
        parent: QWidget | None = None,
        library: PlaybookLibrary | None = None,
    ) -> None:
        super().__init__(parent)
        self._today = today_source(today)
        self._user = user
        self.ctx: AccountContext = load_context(store, account_id)
        if library is None:
            from ...paths import user_playbook_dir

            library = load_library(user_dir=user_playbook_dir())
        self.library = library
        self._plan: ConversationPlan | None = None
        self.setWindowTitle(
            self.tr("New Conversation Plan: {account}").format(account=self.ctx.account.name)
        )
        self.setModal(True)

        self.contract = QComboBox()
        self.contract.setAccessibleName(self.tr("Contract"))
        self.contract.addItem(self.tr("No particular contract"), None)
        contracts = sorted(self.ctx.contracts, key=lambda c: (c.end_date or date.max, c.reference))
        for c in contracts:
            ends = show_date(c.end_date, self.tr("no end date"))
            self.contract.addItem(
                self.tr("{ref} · {title} (ends {ends}, {status})").format(
                    ref=c.reference, title=c.title, ends=ends, status=enum_label(c.status).lower()
                ),
                c.id,
            )
        wanted = contract_id
        if wanted is None:
            live = [
                c for c in contracts if c.status in (ContractStatus.ACTIVE, ContractStatus.RENEWING)
            ]
            wanted = live[0].id if live else None
        self.contract.setCurrentIndex(max(0, self.contract.findData(wanted)))

        self.playbook = QComboBox()
        self.playbook.setAccessibleName(self.tr("Meeting type and playbook"))
        for book in library.ordered():
            text = enum_label(book.meeting_type)
            if book.title != text:
                text += f": {book.title}"
            if not book.built_in:
                text += self.tr(" (your playbook)")
            self.playbook.addItem(text, book.id)
        if meeting_type is not None:
            matching = library.for_meeting(meeting_type)
            if matching:
                self.playbook.setCurrentIndex(self.playbook.findData(matching[0].id))
        self.playbook.setEnabled(self.playbook.count() > 0)
        self.playbook_summary = QLabel()
        self.playbook_summary.setWordWrap(True)
        self.playbook_summary.setStyleSheet(_NOTE_STYLE)
        self.playbook.currentIndexChanged.connect(self._show_summary)

        self.problems = QLabel()
        self.problems.setObjectName("playbookProblems")
        self.problems.setWordWrap(True)
        self.problems.setTextFormat(Qt.TextFormat.RichText)
        self.problems.setStyleSheet(_WARN_BOX_STYLE)
        self.problems.setAccessibleName(self.tr("Playbooks that could not be loaded"))
        self.problems.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        if library.problems:
            items = "".join(f"<li>{_esc(err)}</li>" for err in library.problems)
            self.problems.setText(
                "<b>⚠ "
                + _esc(
                    self.tr(
                        "Some playbook files could not be used and are left out. The other "
                        "playbooks work as usual."
                    )
                )
                + f"</b><ul style='margin:0'>{items}</ul>"
                + _esc(self.tr("Fix the file named, then open this dialog again."))
            )
        if not library.problems:
            self.problems.hide()  # (showing an unparented label would open a window)

        self.meeting_date = DateField(
            self._today() + timedelta(days=14),
            required=True,
            check=self._date_problem,
            accessible_name=self.tr("Meeting date"),
        )

        self.attendees = QListWidget()
        self.attendees.setAccessibleName(self.tr("Attendees"))
        self.attendees.setToolTip(self.tr("Tick everyone from the customer who will attend"))
        for person in current_people(self.ctx, on=self._today()):
            text = person.name + (f" · {person.title}" if person.title else "")
            text += self.tr(" — {role}, {influence} influence").format(
                role=enum_label(person.buying_role), influence=enum_label(person.influence).lower()
            )
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, person.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.attendees.addItem(item)
        self.attendees.setMinimumHeight(120)
        self.attendees_error = QLabel()
        set_tone(self.attendees_error, "error")
        self.attendees_error.setWordWrap(True)
        self.attendees_error.setVisible(False)
        self.attendees.itemChanged.connect(lambda _item: self.attendees_error.setVisible(False))
        no_people = QLabel(
            self.tr(
                "No stakeholders are recorded for this account yet: add them to get prep cards."
            )
        )
        no_people.setWordWrap(True)
        if self.attendees.count():
            no_people.hide()

        self.playbook_error = QLabel(
            self.tr("⚠ No playbook could be loaded, so no plan can be built.")
        )
        set_tone(self.playbook_error, "error")
        if self.playbook.count():
            self.playbook_error.hide()

        meeting_box = QVBoxLayout()
        meeting_box.setSpacing(2)
        meeting_box.addWidget(self.playbook)
        meeting_box.addWidget(self.playbook_summary)
        meeting_box.addWidget(self.playbook_error)
        attendees_box = QVBoxLayout()
        attendees_box.addWidget(self.attendees)
        attendees_box.addWidget(no_people)
        attendees_box.addWidget(self.attendees_error)
        form = QFormLayout()
        for text, field, shown in (
            (self.tr("&Contract:"), self.contract, self.contract),
            (self.tr("&Meeting:"), self.playbook, meeting_box),
            (self.tr("&Date:"), self.meeting_date.edit, self.meeting_date),
            (self.tr("&Attendees:"), self.attendees, attendees_box),
        ):
            label = QLabel(text)
            label.setBuddy(field)
            form.addRow(label, shown)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Create Plan"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.problems)
        layout.addLayout(form, 1)
        layout.addWidget(self.buttons)
        self._show_summary()
        self.resize(620, 520)

    def _date_problem(self, day: date) -> str | None:
        today = self._today()
        if day < today:
            return self.tr("A new plan is for a meeting still to come: pick today or a later date.")
        if (day - today).days > 3 * 366:
            return self.tr("That is more than three years away: check the year.")
        return None

    def _show_summary(self) -> None:
        book = self.library.get(self.playbook.currentData() or "")
        if book is None:
            self.playbook_summary.setText("")
            return
        self.playbook_summary.setText(
            self.tr("{summary} {sections}, {minutes}.")
            .format(
                summary=book.summary,
                sections=plural(
                    len(book.sections), self.tr("{n} section"), self.tr("{n} sections")
                ),
                minutes=plural(book.total_minutes, self.tr("{n} minute"), self.tr("{n} minutes")),
            )
            .strip()
        )

    def selected_attendees(self) -> list[str]:
        return [
            self.attendees.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.attendees.count())
            if self.attendees.item(i).checkState() == Qt.CheckState.Checked
        ]

    def set_attendees(self, ids: Sequence[str]) -> None:
        for i in range(self.attendees.count()):
            item = self.attendees.item(i)
            checked = item.data(Qt.ItemDataRole.UserRole) in ids
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def select_playbook(self, playbook_id: str) -> None:
        self.playbook.setCurrentIndex(self.playbook.findData(playbook_id))

    def accept(self) -> None:
        """Build the plan; stay open with the problem next to its field when something is wrong."""
        ok = self.meeting_date.validate()
        if not ok:
            self.meeting_date.setFocus()
        attendees = self.selected_attendees()
        if self.attendees.count() and not attendees:
            self.attendees_error.setText(self.tr("⚠ Tick at least one attendee."))
            self.attendees_error.setVisible(True)
            if ok:
                self.attendees.setFocus()
            ok = False
        book = self.library.get(self.playbook.currentData() or "")
        if book is None or not ok:
            return
        self._plan = build_plan(
            book,
            self.ctx,
            contract_id=self.contract.currentData(),
            meeting_date=self.meeting_date.value(),
            attendee_ids=attendees,
            edited_by=self._user,
        )
        super().accept()

    def plan(self) -> ConversationPlan | None:
        """The plan built on OK (not saved yet), or None before that."""
        return self._plan
