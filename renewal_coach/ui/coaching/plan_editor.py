"""The plan editor: one conversation plan in its own window, with live guardrails.

:class:`PlanEditor` is a non-modal window: prep cards on the left, the plan itself (objectives,
offers, sections with minutes and questions) in the middle, and the guardrails on the right,
re-checked live as the plan changes. It saves versions, marks a plan ready (only when every
guardrail passes or carries a written override), and hands over to coaching mode, the
capture dialog and the Word exports through signals. :func:`present_plan` opens coaching
mode for a saved plan.

The editor's Duplicate replaces the editor's content with an unsaved copy (the original stays
as last saved and can be reopened from the list); the list's Duplicate saves a copy at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ...core.enums import Channel, PlanStatus
from ...core.errors import RenewalCoachError
from ...core.models import ConversationPlan
from ...core.plans import (
    GUARDRAILS,
    AccountContext,
    GuardrailResult,
    check_guardrails,
    duplicate_plan,
    future_minutes,
    mark_ready,
    override_guardrail,
    prep_cards,
    ready_problems,
    total_minutes,
)
from ...core.playbooks import SECTION_CODES, SECTION_TITLES
from ...core.text import clean_line, clean_text
from ...storage.plan_store import SavedCapture, load_context, save_plan, save_session
from ...storage.repository import Store
from ..errors import show_expected_error
from ..text import plural
from .capture_dialog import CaptureDialog, DateField, Today, enum_label, today_source
from .plan_parts import (
    _NOTE_STYLE,
    GuardrailRow,
    OverrideDialog,
    _CardView,
    _heading,
    _OfferRow,
    _scroll,
    _SectionBox,
)
from .presentation import CoachingWindow


def _tr(text: str) -> str:
    return QCoreApplication.translate("PlanEditor", text)


#: Milliseconds between the last edit and re-checking the guardrails.
GUARDRAIL_DELAY_MS = 150


def _ask_unsaved(parent: QWidget, text: str, detail: str) -> QMessageBox.StandardButton:
    """Save, Discard or Cancel for unsaved changes (Escape means Cancel)."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(_tr("Unsaved Changes"))
    box.setText(text)
    box.setInformativeText(detail)
    box.setStandardButtons(
        QMessageBox.StandardButton.Save
        | QMessageBox.StandardButton.Discard
        | QMessageBox.StandardButton.Cancel
    )
    box.setDefaultButton(QMessageBox.StandardButton.Save)
    box.setEscapeButton(QMessageBox.StandardButton.Cancel)
    return QMessageBox.StandardButton(box.exec())


class PlanEditor(QWidget):
    """Edit one conversation plan in its own (non-modal) window.

    Signals: ``saved(account_id)`` after every successful write (save, ready, capture);
    ``present_requested(plan_id)`` once the plan is saved and should be presented;
    ``export_requested(kind, contract_id, plan_id)`` with kind "brief" or "proposal";
    ``captured(SavedCapture)`` after a capture, for the caller's undo stack.
    """

    saved = Signal(str)
    present_requested = Signal(str)
    export_requested = Signal(str, str, str)
    captured = Signal(object)

    def __init__(
        self,
        store: Store,
        plan: ConversationPlan,
        *,
        today: Today,
        user: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("planEditor")
        self._store = store
        self._today = today_source(today)
        self._user = user
        self.ctx: AccountContext = load_context(store, plan.account_id)
        self._plan = plan
        self._status = plan.status
        self._overrides: dict[str, Any] = dict(plan.guardrail_overrides or {})
        self._loading = False
        self._cards_date: date | None = None
        self.results: list[GuardrailResult] = []
        self.section_boxes: list[_SectionBox] = []
        self.offer_rows: list[_OfferRow] = []

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(GUARDRAIL_DELAY_MS)
        self._debounce.timeout.connect(self.refresh_guardrails)

        # ---- header
        self.context_label = QLabel()
        self.context_label.setWordWrap(True)
        self.title_edit = QLineEdit()
        self.title_edit.setAccessibleName(self.tr("Plan title"))
        self.title_edit.setMaxLength(200)
        font = self.title_edit.font()
        font.setPointSizeF(font.pointSizeF() * 1.2)
        font.setBold(True)
        self.title_edit.setFont(font)
        self.date_field = DateField(accessible_name=self.tr("Meeting date"))
        self.channel = QComboBox()
        self.channel.setAccessibleName(self.tr("Channel"))
        for member in Channel:
            self.channel.addItem(enum_label(member), member)
        self.formal = QCheckBox(self.tr("&Formal procurement channel"))
        self.formal.setToolTip(
            self.tr("The meeting goes through the procurement's formal channel (probity rules)")
        )
        self.status_label = QLabel()
        self.status_label.setAccessibleName(self.tr("Plan status"))
        head = QGridLayout()
        title_label = QLabel(self.tr("&Title:"))
        title_label.setBuddy(self.title_edit)
        date_label = QLabel(self.tr("&Date:"))
        date_label.setBuddy(self.date_field.edit)
        channel_label = QLabel(self.tr("C&hannel:"))
        channel_label.setBuddy(self.channel)
        head.addWidget(title_label, 0, 0)
        head.addWidget(self.title_edit, 0, 1, 1, 5)
        head.addWidget(self.status_label, 0, 6)
        head.addWidget(date_label, 1, 0, Qt.AlignmentFlag.AlignTop)
        head.addWidget(self.date_field, 1, 1, Qt.AlignmentFlag.AlignTop)
        head.addWidget(channel_label, 1, 2, Qt.AlignmentFlag.AlignTop)
        head.addWidget(self.channel, 1, 3, Qt.AlignmentFlag.AlignTop)
        head.addWidget(self.formal, 1, 4, Qt.AlignmentFlag.AlignTop)
        head.addWidget(self.context_label, 1, 5, 1, 2, Qt.AlignmentFlag.AlignTop)
        head.setColumnStretch(5, 1)

        # ---- left: prep cards
        self.cards_panel = QWidget()
        self._cards_layout = QVBoxLayout(self.cards_panel)
        self.cards_scroll = _scroll(self.cards_panel, self.tr("Prep cards"))
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(_heading(self.tr("Prep cards")))
        left_layout.addWidget(self.cards_scroll, 1)

        # ---- middle: the plan
        self.our_objectives = QPlainTextEdit()
        self.our_objectives.setAccessibleName(self.tr("Our objectives"))
        self.our_objectives.setPlaceholderText(self.tr("What we want to learn or agree"))
        self.their_objectives = QPlainTextEdit()
        self.their_objectives.setAccessibleName(self.tr("Their objectives"))
        self.their_objectives.setPlaceholderText(
            self.tr("What they want to leave the meeting with")
        )
        for edit in (self.our_objectives, self.their_objectives):
            edit.setTabChangesFocus(True)
            edit.setFixedHeight(edit.fontMetrics().lineSpacing() * 3 + 14)
        objectives = QGroupBox(self.tr("Objectives"))
        obj_grid = QGridLayout(objectives)
        ours = QLabel(self.tr("&We want:"))
        ours.setBuddy(self.our_objectives)
        theirs = QLabel(self.tr("Th&ey want:"))
        theirs.setBuddy(self.their_objectives)
        obj_grid.addWidget(ours, 0, 0)
        obj_grid.addWidget(theirs, 0, 1)
        obj_grid.addWidget(self.our_objectives, 1, 0)
        obj_grid.addWidget(self.their_objectives, 1, 1)

        offers = QGroupBox(self.tr("What we plan to offer"))
        self._offers_layout = QVBoxLayout(offers)
        self._offers_list = QVBoxLayout()
        self._offers_layout.addLayout(self._offers_list)
        self.no_offers = QLabel(self.tr("Nothing to offer in this meeting."))
        self.no_offers.setStyleSheet(_NOTE_STYLE)
        self._offers_layout.addWidget(self.no_offers)
        self.add_offer_button = QPushButton(self.tr("Add Offer"))
        self.add_offer_button.clicked.connect(lambda: self.add_offer(focus=True))
        offer_bar = QHBoxLayout()
        offer_bar.addWidget(self.add_offer_button)
        offer_bar.addStretch(1)
        self._offers_layout.addLayout(offer_bar)

        self.sections_panel = QWidget()
        self._sections_layout = QVBoxLayout(self.sections_panel)
        self._sections_layout.setContentsMargins(0, 0, 0, 0)
        self.add_section_combo = QComboBox()
        self.add_section_combo.setAccessibleName(self.tr("Section to add"))
        self.add_section_button = QPushButton(self.tr("Add Section"))
        self.add_section_button.clicked.connect(self._add_section_clicked)
        add_bar = QHBoxLayout()
        add_bar.addWidget(self.add_section_combo)
        add_bar.addWidget(self.add_section_button)
        add_bar.addStretch(1)

        plan_page = QWidget()
        plan_layout = QVBoxLayout(plan_page)
        plan_layout.addWidget(objectives)
        plan_layout.addWidget(offers)
        plan_layout.addWidget(_heading(self.tr("Sections")))
        plan_layout.addWidget(self.sections_panel)
        plan_layout.addLayout(add_bar)
        plan_layout.addStretch(1)
        self.plan_scroll = _scroll(plan_page, self.tr("The plan"))

        # ---- right: guardrails
        self.totals = QLabel()
        self.totals.setWordWrap(True)
        self.totals.setAccessibleName(self.tr("Total minutes"))
        self.guardrail_rows: dict[str, GuardrailRow] = {}
        rails = QWidget()
        rails_layout = QVBoxLayout(rails)
        rails_layout.setContentsMargins(0, 0, 4, 0)
        for code, title in GUARDRAILS:
            row = GuardrailRow(code, title)
            row.override_requested.connect(self.request_override)
            row.clear_requested.connect(lambda c: self.set_override(c, ""))
            rails_layout.addWidget(row)
            self.guardrail_rows[code] = row
        rails_layout.addStretch(1)
        self.rails_scroll = _scroll(rails, self.tr("Guardrails"))
        self.ready_button = QPushButton(self.tr("Mark &Ready"))
        self.ready_button.clicked.connect(self.mark_ready)
        self.ready_hint = QLabel()
        self.ready_hint.setWordWrap(True)
        self.ready_hint.setStyleSheet(_NOTE_STYLE)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(_heading(self.tr("Guardrails")))
        right_layout.addWidget(self.totals)
        right_layout.addWidget(self.rails_scroll, 1)
        right_layout.addWidget(self.ready_hint)
        right_layout.addWidget(self.ready_button)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        middle = QWidget()
        middle_layout = QVBoxLayout(middle)
        middle_layout.setContentsMargins(0, 0, 0, 0)
        middle_layout.addWidget(self.plan_scroll)
        for pane, minimum in ((left, 220), (middle, 380), (right, 260)):
            pane.setMinimumWidth(minimum)
            self.splitter.addWidget(pane)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 5)
        self.splitter.setStretchFactor(2, 3)
        self.splitter.setSizes([290, 640, 380])

        # ---- actions
        self.save_button = QPushButton(self.tr("&Save"))
        self.save_button.setToolTip(self.tr("Save a new version of the plan (Ctrl+S)"))
        self.save_button.clicked.connect(self.save)
        self.duplicate_button = QPushButton(self.tr("D&uplicate"))
        self.duplicate_button.setToolTip(
            self.tr("Continue with an unsaved copy of this plan; the original stays as saved")
        )
        self.duplicate_button.clicked.connect(self.duplicate)
        self.present_button = QPushButton(self.tr("&Present…"))
        self.present_button.setToolTip(self.tr("Save, then present the plan full screen (F5)"))
        self.present_button.clicked.connect(self.present)
        self.capture_button = QPushButton(self.tr("&Capture Outcome…"))
        self.capture_button.setToolTip(self.tr("Save, then record what the meeting produced"))
        self.capture_button.clicked.connect(self.capture_outcome)
        self.brief_button = QPushButton(self.tr("Export &Brief…"))
        self.brief_button.clicked.connect(lambda: self.export("brief"))
        self.proposal_button = QPushButton(self.tr("Export Pr&oposal…"))
        self.proposal_button.clicked.connect(lambda: self.export("proposal"))
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setAccessibleName(self.tr("Last action"))
        bar = QHBoxLayout()
        for button in (
            self.save_button,
            self.duplicate_button,
            self.present_button,
            self.capture_button,
            self.brief_button,
            self.proposal_button,
        ):
            bar.addWidget(button)
        bar.addWidget(self.message, 1)

        save_action = QAction(self.tr("Save"), self)
        save_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Save))
        save_action.triggered.connect(self.save)
        present_action = QAction(self.tr("Present"), self)
        present_action.setShortcut(QKeySequence(Qt.Key.Key_F5))
        present_action.triggered.connect(self.present)
        self.addAction(save_action)
        self.addAction(present_action)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.addLayout(head)
        layout.addWidget(self.splitter, 1)
        layout.addLayout(bar)

        self.title_edit.textChanged.connect(self._changed)
        self.date_field.changed.connect(self._changed)
        self.channel.currentIndexChanged.connect(self._changed)
        self.formal.toggled.connect(self._changed)
        self.our_objectives.textChanged.connect(self._changed)
        self.their_objectives.textChanged.connect(self._changed)

        self._load(plan)
        self.resize(1280, 720)

    # ---- state ------------------------------------------------------------------------------

    @property
    def plan_id(self) -> str:
        return self._plan.id

    @property
    def account_id(self) -> str:
        return self._plan.account_id

    @property
    def stored_plan(self) -> ConversationPlan:
        """The plan as last saved (or as given, when never saved)."""
        return self._plan

    def is_dirty(self) -> bool:
        return self.isWindowModified()

    def current_plan(self) -> ConversationPlan:
        """The plan as it stands on screen (a wrong date keeps the last good one)."""
        meeting_date = (
            self.date_field.value()
            if self.date_field.problem() is None
            else self._plan.meeting_date
        )
        return replace(
            self._plan,
            title=clean_line(self.title_edit.text()),
            meeting_date=meeting_date,
            channel=Channel(self.channel.currentData()),
            formal_channel=self.formal.isChecked(),
            our_objectives=clean_text(self.our_objectives.toPlainText()),
            their_objectives=clean_text(self.their_objectives.toPlainText()),
            sections=[box.value() for box in self.section_boxes],
            offers=[row.value() for row in self.offer_rows if row.value()["text"]],
            guardrail_overrides=dict(self._overrides),
            status=self._status,
        )

    def result(self, code: str) -> GuardrailResult | None:
        return next((r for r in self.results if r.code == code), None)

    def _load(self, plan: ConversationPlan) -> None:
        """Show ``plan`` in every widget, replacing what was there."""
        self._loading = True
        try:
            self._plan = plan
            self._status = plan.status
            self._overrides = dict(plan.guardrail_overrides or {})
            self.title_edit.setText(plan.title)
            self.date_field.set_value(plan.meeting_date)
            self.channel.setCurrentIndex(max(0, self.channel.findData(plan.channel)))
            self.formal.setChecked(plan.formal_channel)
            self.our_objectives.setPlainText(plan.our_objectives)
            self.their_objectives.setPlainText(plan.their_objectives)
            for row in self.offer_rows:
                row.hide()
                row.deleteLater()
            self.offer_rows = []
            for offer in plan.offers or []:
                self.add_offer(offer)
            self.no_offers.setVisible(not self.offer_rows)
            self._build_sections(plan.sections)
            self._show_context()
        finally:
            self._loading = False
        self._show_cards(force=True)
        self.refresh_guardrails()
        self._set_dirty(False)

    def _show_context(self) -> None:
        contract = self.ctx.contract(self._plan.contract_id)
        bits = [self.ctx.account.name]
        if contract is not None:
            bits.append(f"{contract.reference} · {contract.title}")
        else:
            bits.append(self.tr("no particular contract"))
        bits.append(enum_label(self._plan.meeting_type))
        self.context_label.setText(" · ".join(bits))

    def _set_dirty(self, dirty: bool) -> None:
        self.setWindowModified(dirty)
        self._update_title()
        self._update_actions()

    def _update_title(self) -> None:
        name = clean_line(self.title_edit.text()) or enum_label(self._plan.meeting_type)
        self.setWindowTitle(
            self.tr("{title} – {account}[*]").format(title=name, account=self.ctx.account.name)
        )

    def _show_status(self) -> None:
        plan = self._plan
        text = enum_label(self._status)
        if plan.id:
            text = self.tr("{status} · version {v}").format(status=text, v=plan.version)
            if plan.edited_by:
                text += self.tr(" · {who}").format(who=plan.edited_by)
        else:
            text = self.tr("{status} · not saved yet").format(status=text)
        self.status_label.setText(text)

    def _changed(self, *_args: object) -> None:
        if self._loading:
            return
        if self._status is PlanStatus.READY:
            # A changed plan has to pass its guardrails again.
            self._status = PlanStatus.DRAFT
        self._set_dirty(True)
        self._debounce.start()

    # ---- building the parts -----------------------------------------------------------------

    def _show_cards(self, *, force: bool = False) -> None:
        plan = self.current_plan()
        when = plan.meeting_date or self._today()
        if not force and when == self._cards_date:
            return
        self._cards_date = when
        while self._cards_layout.count():
            item = self._cards_layout.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        cards = prep_cards(plan, self.ctx, self._today())
        for card in cards:
            self._cards_layout.addWidget(_CardView(card))
        if not cards:
            empty = QLabel(self.tr("No attendees are chosen for this plan."))
            empty.setWordWrap(True)
            self._cards_layout.addWidget(empty)
        self._cards_layout.addStretch(1)

    def _build_sections(self, sections: Sequence[dict[str, Any]]) -> None:
        for box in self.section_boxes:
            box.hide()
            box.deleteLater()
        self.section_boxes = []
        goals = {g.id: g.statement for g in self.ctx.goals}
        for number, section in enumerate(sections, start=1):
            shown = [goals[g] for g in section.get("goal_ids", []) if g in goals]
            box = _SectionBox(number, section, shown, self.sections_panel)
            box.changed.connect(self._changed)
            box.remove_requested.connect(self.remove_section)
            self._sections_layout.addWidget(box)
            self.section_boxes.append(box)
        present = {box.code for box in self.section_boxes}
        self.add_section_combo.clear()
        for code in SECTION_CODES:
            if code not in present:
                self.add_section_combo.addItem(_tr(SECTION_TITLES[code]), code)
        self.add_section_combo.setEnabled(self.add_section_combo.count() > 0)
        self.add_section_button.setEnabled(self.add_section_combo.count() > 0)

    def add_section(self, code: str) -> _SectionBox:
        """Add a section (in the conversation's order) and return its box."""
        if code not in SECTION_CODES or any(b.code == code for b in self.section_boxes):
            raise ValueError(f"cannot add section {code!r}")
        sections = [box.value() for box in self.section_boxes]
        sections.append(
            {
                "code": code,
                "title": SECTION_TITLES[code],
                "minutes": 5,
                "guidance": "",
                "questions": [],
            }
        )
        order = {c: i for i, c in enumerate(SECTION_CODES)}
        sections.sort(key=lambda s: order.get(s.get("code", ""), len(order)))
        self._build_sections(sections)
        self._changed()
        box = next(b for b in self.section_boxes if b.code == code)
        box.minutes.setFocus()
        QTimer.singleShot(0, lambda: self.plan_scroll.ensureWidgetVisible(box))
        return box

    def _add_section_clicked(self) -> None:
        code = self.add_section_combo.currentData()
        if code:
            self.add_section(code)

    def remove_section(self, box: _SectionBox) -> None:
        if box not in self.section_boxes:
            return
        sections = [b.value() for b in self.section_boxes if b is not box]
        self._build_sections(sections)
        self._changed()
        self.add_section_button.setFocus()

    def add_offer(self, offer: dict[str, Any] | None = None, *, focus: bool = False) -> _OfferRow:
        fresh = offer is None
        row = _OfferRow(offer or {"text": "", "requested_by_customer": False})
        row.changed.connect(self._changed)
        row.remove_requested.connect(self._remove_offer)
        self._offers_list.addWidget(row)
        self.offer_rows.append(row)
        self.no_offers.setVisible(False)
        if focus:
            row.text.setFocus()
        if fresh:
            self._changed()
        return row

    def _remove_offer(self, row: _OfferRow) -> None:
        if row in self.offer_rows:
            self.offer_rows.remove(row)
            row.hide()
            row.deleteLater()
            self.no_offers.setVisible(not self.offer_rows)
            self.add_offer_button.setFocus()
            self._changed()

    # ---- guardrails -------------------------------------------------------------------------

    def refresh_guardrails(self) -> None:
        """Re-check every guardrail against the plan on screen (runs ~150 ms after an edit)."""
        self._debounce.stop()
        plan = self.current_plan()
        self.results = check_guardrails(plan, self.ctx, self._today())
        for result in self.results:
            self.guardrail_rows[result.code].show_result(result)
        total, future = total_minutes(plan), future_minutes(plan)
        share = f"{future / total:.0%}" if total else "–"
        self.totals.setText(
            self.tr("Total {total} min · {future} min on their future ({share})").format(
                total=total, future=future, share=share
            )
        )
        self._show_cards()
        self._show_status()
        self._update_actions()

    def ready_blockers(self) -> list[str]:
        """Why "Mark ready" is unavailable right now (empty when it is available)."""
        if self._status is PlanStatus.HELD:
            return [self.tr("The meeting has been held: the plan is complete.")]
        if self._status is PlanStatus.READY:
            return [self.tr("The plan is already marked ready.")]
        blockers = []
        if self.date_field.problem() is not None:
            blockers.append(self.tr("Meeting date: {p}").format(p=self.date_field.problem()))
        return blockers + ready_problems(self.results)

    def _update_actions(self) -> None:
        blockers = self.ready_blockers()
        problems = ready_problems(self.results)
        self.ready_button.setEnabled(not blockers)
        if not blockers:
            tip = self.tr("Every guardrail passes or has a written override: mark it ready")
            hint = self.tr("Every guardrail passes or carries a written reason.")
        elif self._status is PlanStatus.DRAFT and problems:
            tip = self.tr("Not ready yet:") + "\n• " + "\n• ".join(blockers)
            hint = plural(
                len(problems),
                self.tr(
                    "{n} guardrail needs attention: change the plan or override with a reason."
                ),
                self.tr(
                    "{n} guardrails need attention: change the plan or override with a reason."
                ),
            )
        else:
            tip = hint = blockers[0]
        self.ready_button.setToolTip(tip)
        self.ready_button.setAccessibleDescription(tip)
        self.ready_hint.setText(hint)
        saved = bool(self._plan.id)
        self.duplicate_button.setEnabled(saved)
        self.duplicate_button.setToolTip(
            self.tr("Continue with an unsaved copy of this plan; the original stays as saved")
            if saved
            else self.tr("Save the plan before copying it")
        )
        has_contract = bool(self._plan.contract_id)
        for button, text in (
            (self.brief_button, self.tr("Save, then write the internal coaching brief")),
            (self.proposal_button, self.tr("Save, then write the customer-facing proposal draft")),
        ):
            button.setEnabled(has_contract)
            button.setToolTip(
                text
                if has_contract
                else self.tr(
                    "This plan is not for a particular contract, so there is nothing to export"
                )
            )

    def request_override(self, code: str) -> None:
        """Ask for a written reason, then override guardrail ``code`` with it."""
        result = self.result(code)
        if result is None or result.passed:
            return
        dialog = OverrideDialog(result, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.set_override(code, dialog.reason_text())

    def set_override(self, code: str, reason: str) -> None:
        """Override guardrail ``code`` with ``reason`` (an empty reason removes the override)."""
        plan = override_guardrail(self.current_plan(), code, reason)
        self._overrides = dict(plan.guardrail_overrides)
        self._changed()
        self.refresh_guardrails()

    # ---- writing ----------------------------------------------------------------------------

    def _check_fields(self) -> bool:
        if not self.date_field.validate():
            self.date_field.setFocus()
            self.message.setText(self.tr("Fix the meeting date first."))
            return False
        return True

    def _write(self, plan: ConversationPlan, what_failed: str) -> bool:
        try:
            saved = save_plan(self._store, plan, edited_by=self._user)
        except RenewalCoachError as exc:
            show_expected_error(self, what_failed, exc)
            return False
        self._plan = saved
        self._status = saved.status
        self._overrides = dict(saved.guardrail_overrides or {})
        self._set_dirty(False)
        self._show_status()
        self.saved.emit(saved.account_id)
        return True

    def save(self) -> bool:
        """Save the plan as a new version; False (and nothing written) when it cannot be."""
        if not self._check_fields():
            return False
        if not self._write(self.current_plan(), self.tr("The plan could not be saved.")):
            return False
        self.message.setText(self.tr("Saved as version {v}.").format(v=self._plan.version))
        return True

    def mark_ready(self) -> bool:
        """Mark the plan ready and save it; refused while a guardrail blocks."""
        if not self._check_fields():
            return False
        plan = self.current_plan()
        self.results = check_guardrails(plan, self.ctx, self._today())
        try:
            ready = mark_ready(plan, self.results)
        except RenewalCoachError as exc:
            show_expected_error(self, self.tr("The plan is not ready yet."), exc)
            self.refresh_guardrails()
            return False
        if not self._write(ready, self.tr("The plan could not be marked ready.")):
            return False
        self.message.setText(
            self.tr("Marked ready and saved as version {v}.").format(v=self._plan.version)
        )
        self.refresh_guardrails()
        return True

    def _saved_first(self) -> bool:
        return (not self.is_dirty() and bool(self._plan.id)) or self.save()

    def present(self) -> None:
        """Save, then ask for the plan to be presented in coaching mode."""
        if self._saved_first():
            self.present_requested.emit(self._plan.id)

    def export(self, kind: str) -> None:
        """Save, then ask for a Word export ("brief" or "proposal") of the plan's contract."""
        if not self._plan.contract_id or not self._saved_first():
            return
        self.export_requested.emit(kind, self._plan.contract_id, self._plan.id)

    def capture_outcome(self) -> SavedCapture | None:
        """Save, then record what the meeting produced; returns what was written, or None."""
        if not self._saved_first():
            return None
        dialog = CaptureDialog(self._store, self._plan.id, today=self._today, parent=self)
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.saved_capture is None:
            return None
        saved = dialog.saved_capture
        self.ctx = load_context(self._store, self._plan.account_id)
        self._load(saved.plan)
        self.message.setText(dialog.summary)
        self.captured.emit(saved)
        self.saved.emit(saved.plan.account_id)
        return saved

    def duplicate(self) -> bool:
        """Continue with an unsaved copy of the plan (answers and overrides cleared)."""
        if not self._plan.id:
            return False
        if self.is_dirty():
            answer = _ask_unsaved(
                self,
                self.tr("Save your changes to this plan before copying it?"),
                self.tr("Discard copies the plan as it was last saved."),
            )
            if answer == QMessageBox.StandardButton.Save:
                if not self.save():
                    return False
            elif answer != QMessageBox.StandardButton.Discard:
                return False
        original = self._plan
        self._load(duplicate_plan(original, edited_by=self._user))
        self._set_dirty(True)
        self.message.setText(
            self.tr("This is an unsaved copy of “{title}”: save it to keep it.").format(
                title=original.title
            )
        )
        return True

    def reload_context(self) -> None:
        """Read the account's records again (after someone changed them elsewhere)."""
        self.ctx = load_context(self._store, self._plan.account_id)
        self._show_cards(force=True)
        self.refresh_guardrails()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.is_dirty():
            answer = _ask_unsaved(
                self,
                self.tr("Save the changes to “{title}”?").format(
                    title=clean_line(self.title_edit.text()) or enum_label(self._plan.meeting_type)
                ),
                self.tr("If you discard them, the plan stays as it was last saved."),
            )
            if answer == QMessageBox.StandardButton.Save:
                if not self.save():
                    event.ignore()
                    return
            elif answer != QMessageBox.StandardButton.Discard:
                event.ignore()
                return
        self._debounce.stop()
        super().closeEvent(event)


# ---- coaching mode ----------------------------------------------------------------------------


def present_plan(
    store: Store,
    plan_id: str,
    *,
    today: Today,
    user: str = "",
    parent: QWidget | None = None,
) -> CoachingWindow:
    """Coaching mode for a saved plan, its session saved through :func:`save_session`.

    The window is returned unshown: call ``showFullScreen()`` (or ``show()``).
    """
    plan = store.plans.get(plan_id)
    ctx = load_context(store, plan.account_id)
    cards = prep_cards(plan, ctx, today_source(today)())

    def save(session: Any, commitments: list[Any]) -> Any:
        # Expected failures reach the coaching window, which says so and stays open.
        return save_session(store, session, commitments)

    return CoachingWindow(plan, cards, ctx.goals, save, owner=user, parent=parent)
