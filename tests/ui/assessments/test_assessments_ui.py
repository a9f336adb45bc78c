"""Assessments on screen: answered by clicking, scored as the core scores them, kept in history."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtTest import QAbstractItemModelTester
from pytestqt.qtbot import QtBot

from renewal_coach.core import models as m
from renewal_coach.core.enums import AssessmentKind
from renewal_coach.core.questionnaires import MATURITY_KEYS, POSTURE_KEYS, READINESS_KEYS
from renewal_coach.core.scoring.assessments import score_maturity, score_posture, score_readiness
from renewal_coach.storage.db import open_database
from renewal_coach.storage.repository import Store
from renewal_coach.storage.sample import create_sample_database
from renewal_coach.storage.scores import account_scores, load_settings
from renewal_coach.ui.assessments import history as history_ui
from renewal_coach.ui.assessments.dialog import AssessmentDialog
from renewal_coach.ui.assessments.history import AssessmentHistory, AssessmentTableModel

TODAY = date(2026, 3, 2)

ANSWERS: dict[AssessmentKind, dict[str, Any]] = {
    AssessmentKind.MATURITY: dict(zip(MATURITY_KEYS, [3, 2, 3, 1, 3, 2, 4], strict=True)),
    AssessmentKind.POSTURE: dict(zip(POSTURE_KEYS, [1, 2, 0, 3, 1, 2, 2, 1], strict=True)),
    AssessmentKind.READINESS: dict(
        zip(
            READINESS_KEYS,
            [
                "yes",
                "partial",
                "no",
                "yes",
                "yes",
                "partial",
                "no",
                "yes",
                "yes",
                "partial",
                "yes",
                "no",
                "n/a",
                "yes",
            ],
            strict=True,
        )
    ),
}


@pytest.fixture
def sample(tmp_path: Path) -> Iterator[Store]:
    """The sample portfolio, dated relative to TODAY."""
    store = Store(open_database(create_sample_database(tmp_path / "sample.db", today=TODAY)))
    yield store
    store.close()


def _account(store: Store, prefix: str) -> m.Account:
    return next(a for a in store.accounts.all() if a.name.startswith(prefix))


def _core(kind: AssessmentKind, answers: dict[str, Any], store: Store, **context: Any) -> dict:
    settings = load_settings(store)
    if kind is AssessmentKind.MATURITY:
        return score_maturity(answers, settings).to_json()
    if kind is AssessmentKind.POSTURE:
        return score_posture(answers, settings).to_json()
    return score_readiness(answers, settings=settings, **context).to_json()


def _dialog(qtbot: QtBot, store: Store, kind: AssessmentKind, **kwargs: Any) -> AssessmentDialog:
    dialog = AssessmentDialog(store, kind, today=TODAY, **kwargs)
    qtbot.addWidget(dialog)
    with qtbot.waitExposed(dialog):
        dialog.show()
    with qtbot.waitActive(dialog):
        dialog.activateWindow()
    return dialog


def _click(qtbot: QtBot, dialog: AssessmentDialog, key: str, value: Any) -> None:
    button = dialog.option_button(key, value)
    dialog.questions_scroll.ensureWidgetVisible(button)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _answer_all(qtbot: QtBot, dialog: AssessmentDialog, answers: dict[str, Any]) -> None:
    for key, value in answers.items():
        _click(qtbot, dialog, key, value)


# ---- the dialog ---------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", list(AssessmentKind))
def test_clicking_every_answer_gives_the_core_result_and_saves_it(
    qtbot: QtBot, sample: Store, kind: AssessmentKind
) -> None:
    account = _account(sample, "Ashcombe")
    dialog = _dialog(qtbot, sample, kind, account_id=account.id)
    answers = ANSWERS[kind]
    ok = dialog.ok_button
    assert ok is not None

    for done, (key, value) in enumerate(answers.items()):
        left = len(answers) - done
        assert not ok.isEnabled()
        assert dialog.remaining() == left
        assert str(left) in dialog.remaining_label.text()
        _click(qtbot, dialog, key, value)
        assert dialog.answers()[key] == value
    assert ok.isEnabled()
    assert dialog.remaining() == 0
    assert dialog.answers() == answers

    context: dict[str, Any] = {}
    contract_id = None
    if kind is AssessmentKind.READINESS:
        # measured against the account's next renewal, in the phase its campaign is in today
        scores = account_scores(sample, account.id, TODAY)
        assert scores.primary is not None
        contract_id = scores.primary.contract.id
        phase = scores.primary.campaign.phase
        assert phase in ("shape", "ready", "procurement")
        assert dialog.contract_id == contract_id
        assert dialog.phase == phase
        assert dialog.public_sector is scores.primary.contract.public_sector is True
        context = {"phase": phase, "public_sector": True}
    expected = _core(kind, answers, sample, **context)
    assert dialog.result() == expected
    if kind is AssessmentKind.READINESS:
        assert expected["extra"]["expected"] is not None

    with qtbot.waitSignal(dialog.accepted):
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert dialog.saved is not None
    stored = sample.assessments.get(dialog.saved.id)
    assert stored.kind is kind
    assert stored.account_id == account.id
    assert stored.contract_id == contract_id
    assert stored.taken_on == TODAY
    assert stored.answers == answers
    assert stored.result == expected


def test_the_live_result_follows_the_answers(qtbot: QtBot, sample: Store) -> None:
    dialog = _dialog(qtbot, sample, AssessmentKind.MATURITY)
    assert "No stage yet" in dialog.result_panel.headline.text()
    answers = dict(zip(MATURITY_KEYS, [3, 3, 3, 3, 3, 3, 2], strict=True))
    _answer_all(qtbot, dialog, answers)
    # six of seven at level 3: stage 3, and success metrics (level 2) holds back first
    assert dialog.result()["extra"]["stage"] == 3
    assert "Stage 3" in dialog.result_panel.headline.text()
    summary = dialog.result_panel.summary.text()
    assert "Holding back stage 4" in summary and "Success metrics" in summary
    assert "Success metrics" in dialog.result_panel.breakdown.text()
    advice = dialog.result_panel.advice.text()
    first_advice = score_maturity(answers).advice[0]
    assert first_advice.split(",")[0] in advice

    _click(qtbot, dialog, "success_metrics", 4)
    assert dialog.result() == score_maturity({**answers, "success_metrics": 4}).to_json()


def test_posture_names_fear_complacency_or_both(qtbot: QtBot, sample: Store) -> None:
    dialog = _dialog(qtbot, sample, AssessmentKind.POSTURE)
    _answer_all(qtbot, dialog, dict.fromkeys(POSTURE_KEYS, 0))
    assert dialog.result()["band"] == "conviction"
    assert "Conviction" in dialog.result_panel.headline.text()
    _answer_all(qtbot, dialog, dict.fromkeys(POSTURE_KEYS, 3))
    assert dialog.result()["band"] == "mixed"
    assert "Mixed" in dialog.result_panel.summary.text()


def test_private_sector_contract_leaves_the_probity_plan_out(qtbot: QtBot, sample: Store) -> None:
    account = _account(sample, "Calderbrook")
    scores = account_scores(sample, account.id, TODAY)
    assert scores.primary is not None and not scores.primary.contract.public_sector
    dialog = _dialog(qtbot, sample, AssessmentKind.READINESS, account_id=account.id)
    assert dialog.public_sector is False
    assert not dialog.option_button("probity_plan", "yes").isEnabled()
    answers = {k: v for k, v in ANSWERS[AssessmentKind.READINESS].items() if k != "probity_plan"}
    assert dialog.remaining() == len(answers) == 13
    _answer_all(qtbot, dialog, answers)
    assert dialog.ok_button is not None and dialog.ok_button.isEnabled()
    assert dialog.result() == _core(
        AssessmentKind.READINESS,
        answers,
        sample,
        phase=scores.primary.campaign.phase,
        public_sector=False,
    )


def test_choosing_another_contract_changes_the_expected_level(qtbot: QtBot, sample: Store) -> None:
    account = _account(sample, "Ashcombe")
    dialog = _dialog(qtbot, sample, AssessmentKind.READINESS, account_id=account.id)
    assert dialog.contract_combo is not None
    assert dialog.result()["extra"]["expected"] is not None
    quiet = next(i for i, c in enumerate(dialog.contract_choices) if c.phase == "deliver")
    dialog.contract_combo.setCurrentIndex(quiet)
    assert dialog.phase == "deliver"
    assert dialog.contract_id == dialog.contract_choices[quiet].id
    assert dialog.result()["extra"]["expected"] is None


def test_label_click_and_arrow_keys_pick_answers(qtbot: QtBot, sample: Store) -> None:
    dialog = _dialog(qtbot, sample, AssessmentKind.MATURITY)
    label = dialog._labels["data"][2]
    assert label is not None
    dialog.questions_scroll.ensureWidgetVisible(label)
    qtbot.mouseClick(label, Qt.MouseButton.LeftButton)
    assert dialog.answers()["data"] == 3

    button = dialog.option_button("data", 3)
    button.setFocus()
    qtbot.waitUntil(button.hasFocus)
    qtbot.keyClick(button, Qt.Key.Key_Down)
    assert dialog.answers()["data"] == 4
    assert dialog.option_button("data", 4).hasFocus()
    qtbot.keyClick(dialog.option_button("data", 4), Qt.Key.Key_Up)
    assert dialog.answers()["data"] == 3
    # Tab leaves the group for the next question rather than walking through its options
    qtbot.keyClick(dialog.option_button("data", 3), Qt.Key.Key_Tab)
    assert dialog.option_button("management_model", 1).hasFocus()


def test_a_bad_date_is_refused_next_to_the_field(qtbot: QtBot, sample: Store) -> None:
    dialog = _dialog(qtbot, sample, AssessmentKind.POSTURE)
    _answer_all(qtbot, dialog, ANSWERS[AssessmentKind.POSTURE])
    ok = dialog.ok_button
    assert ok is not None and ok.isEnabled()
    assert not dialog.date_error.isVisible()

    dialog.date_edit.clear()
    qtbot.keyClicks(dialog.date_edit, "2026-02-30")
    assert dialog.date_error.isVisible()
    assert "not a real calendar date" in dialog.date_error.text()
    assert dialog.taken_on is None
    assert not ok.isEnabled()
    assert dialog.save() is False
    assert sample.assessments.count() == 0

    dialog.date_edit.setText("2099-01-01")
    assert dialog.date_error.isVisible() and "after today" in dialog.date_error.text()
    assert not ok.isEnabled()

    dialog.date_edit.setText("2026-01-15")
    assert not dialog.date_error.isVisible()
    assert ok.isEnabled()
    assert dialog.save() is True
    assert dialog.saved is not None and dialog.saved.taken_on == date(2026, 1, 15)


def test_save_stays_off_until_the_last_answer(qtbot: QtBot, sample: Store) -> None:
    dialog = _dialog(qtbot, sample, AssessmentKind.MATURITY)
    assert dialog.save() is False
    answers = ANSWERS[AssessmentKind.MATURITY]
    *first, last = answers.items()
    for key, value in first:
        _click(qtbot, dialog, key, value)
    assert dialog.remaining_label.text() == "1 question left to answer"
    assert dialog.ok_button is not None and not dialog.ok_button.isEnabled()
    qtbot.mouseClick(dialog.next_button, Qt.MouseButton.LeftButton)
    assert dialog.option_button(last[0], 1).hasFocus()
    _click(qtbot, dialog, *last)
    assert dialog.ok_button.isEnabled()


# ---- the history --------------------------------------------------------------------------------


def _record(kind: AssessmentKind, when: date, score: float, account_id: str | None = None):
    return m.Assessment(
        id=f"{kind.value}-{when.isoformat()}",
        kind=kind,
        account_id=account_id,
        taken_on=when,
        answers={},
        result={"kind": kind.value, "score": score, "band": "x", "band_label": f"{score}"},
    )


def test_table_model_passes_the_model_tester(qtbot: QtBot) -> None:
    model = AssessmentTableModel()
    QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    history = AssessmentHistory(today=lambda: TODAY)
    qtbot.addWidget(history)
    QAbstractItemModelTester(history.proxy, QAbstractItemModelTester.FailureReportingMode.Fatal)

    records = [
        _record(AssessmentKind.MATURITY, date(2025, 12, 31), 2.5),
        _record(AssessmentKind.READINESS, date(2026, 1, 5), 71.4),
    ]
    model.set_records(records)
    model.add_record(_record(AssessmentKind.POSTURE, date(2025, 2, 1), 40.0))
    assert model.rowCount() == 3
    assert model.index(0, AssessmentTableModel.DATE).data() == "31 Dec 2025"
    assert model.index(0, AssessmentTableModel.DATE).data(AssessmentTableModel.SORT_ROLE) == QDate(
        2025, 12, 31
    )
    assert model.index(1, AssessmentTableModel.SCORE).data() == "71.4 of 100"
    assert model.index(1, AssessmentTableModel.SCORE).data(AssessmentTableModel.SORT_ROLE) == 71.4
    model.remove_record(records[0].id)
    assert model.rowCount() == 2
    assert model.rowCount(model.index(0, 0)) == 0

    # the same through the history's proxy, sorted on the native dates
    history.model.set_records(records)
    history.model.add_record(_record(AssessmentKind.POSTURE, date(2025, 2, 1), 40.0))
    history.table.sortByColumn(AssessmentTableModel.DATE, Qt.SortOrder.AscendingOrder)
    proxy = history.proxy
    shown = [proxy.index(r, AssessmentTableModel.DATE).data() for r in range(proxy.rowCount())]
    assert shown == ["1 Feb 2025", "31 Dec 2025", "5 Jan 2026"]  # sorted by date, not text
    history.model.remove_record(records[1].id)
    assert proxy.rowCount() == 2


def _take(
    qtbot: QtBot, history: AssessmentHistory, kind: AssessmentKind, when: date
) -> m.Assessment:
    qtbot.mouseClick(history.new_buttons[kind], Qt.MouseButton.LeftButton)
    dialog = history.active_dialog
    assert dialog is not None and dialog.kind is kind and not dialog.read_only
    _answer_all(qtbot, dialog, ANSWERS[kind])
    dialog.date_edit.setText(when.isoformat())
    with qtbot.waitSignal(history.changed) as changed:
        assert dialog.ok_button is not None
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert changed.args == [history.account_id or ""]
    assert dialog.saved is not None
    return dialog.saved


def test_history_takes_lists_trends_views_and_deletes(
    qtbot: QtBot, sample: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    account = _account(sample, "Ashcombe")
    history = AssessmentHistory(today=lambda: TODAY)
    qtbot.addWidget(history)
    history.resize(1366, 768)
    with qtbot.waitExposed(history):
        history.show(sample, account.id)
    assert history.stack.currentWidget() is history.empty_label
    assert history.empty_label.text() == "No assessments yet: take the first one"
    assert not history.trends_box.isVisible()

    later = _take(qtbot, history, AssessmentKind.MATURITY, date(2026, 2, 20))
    assert later.account_id == account.id and later.kind is AssessmentKind.MATURITY
    assert history.stack.currentWidget() is history.table
    assert history.trends_box.isVisible()
    assert history.model.rowCount() == 1
    assert history.trends[AssessmentKind.MATURITY].point_count == 1
    assert history.trends[AssessmentKind.POSTURE].point_count == 0

    earlier = _take(qtbot, history, AssessmentKind.MATURITY, date(2025, 11, 3))
    readiness = _take(qtbot, history, AssessmentKind.READINESS, date(2026, 3, 1))
    assert readiness.contract_id is not None
    assert history.model.rowCount() == 3
    maturity = history.trends[AssessmentKind.MATURITY]
    assert maturity.point_count == 2
    assert [p.when for p in maturity.points()] == [earlier.taken_on, later.taken_on]
    assert maturity.points()[0].value == pytest.approx(earlier.result["score"])
    assert history.trends[AssessmentKind.READINESS].point_count == 1
    proxy = history.proxy
    row = next(
        r
        for r in range(proxy.rowCount())
        if proxy.index(r, 0).data(AssessmentTableModel.ID_ROLE) == readiness.id
    )
    assert (
        proxy.index(row, AssessmentTableModel.RESULT)
        .data()
        .endswith(readiness.result["band_label"])
    )
    assert proxy.index(row, AssessmentTableModel.CONTRACT).data()

    # reloading from the store shows the same
    history.show(sample, account.id)
    assert history.model.rowCount() == 3
    assert history.trends[AssessmentKind.MATURITY].point_count == 2

    # double-click: the past result, read-only, answers filled in
    row = next(
        r
        for r in range(proxy.rowCount())
        if proxy.index(r, 0).data(AssessmentTableModel.ID_ROLE) == earlier.id
    )
    rect = history.table.visualRect(proxy.index(row, AssessmentTableModel.KIND))
    # a press first: a view only opens what the double-click's first press landed on
    qtbot.mouseClick(history.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(history.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    view = history.active_dialog
    assert view is not None and view.read_only and view.ok_button is None
    assert view.result() == earlier.result
    for key, value in earlier.answers.items():
        assert view.option_button(key, value).isChecked()
    assert view.date_edit.isReadOnly() and view.date_edit.text() == "2025-11-03"
    view.reject()

    # delete asks first; saying no keeps it
    history.select(earlier.id)
    asked: list[str] = []
    monkeypatch.setattr(history_ui, "ask_delete", lambda parent, text: asked.append(text) or False)
    assert history.delete_selected() is False
    assert asked and "3 Nov 2025" in asked[0]
    assert sample.assessments.find(earlier.id) is not None

    monkeypatch.setattr(history_ui, "ask_delete", lambda parent, text: True)
    with qtbot.waitSignal(history.changed) as changed:
        assert history.delete_selected() is True
    assert changed.args == [account.id]
    assert sample.assessments.find(earlier.id) is None
    assert history.model.rowCount() == 2
    assert history.trends[AssessmentKind.MATURITY].point_count == 1


def test_organisation_assessments_have_no_account(qtbot: QtBot, sample: Store) -> None:
    history = AssessmentHistory(today=lambda: TODAY)
    qtbot.addWidget(history)
    with qtbot.waitExposed(history):
        history.show(sample, None)
    record = _take(qtbot, history, AssessmentKind.POSTURE, TODAY)
    assert record.account_id is None
    assert history.trends[AssessmentKind.POSTURE].point_count == 1
    # an account's assessments are not the organisation's
    history.show(sample, _account(sample, "Ashcombe").id)
    assert history.model.rowCount() == 0
    assert history.stack.currentWidget() is history.empty_label
