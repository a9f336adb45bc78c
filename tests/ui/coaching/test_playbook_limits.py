"""The new-plan dialog opens even when a playbook in the user's folder is hostile."""

from __future__ import annotations

from datetime import date

import pytest

from renewal_coach.paths import user_playbook_dir
from renewal_coach.storage.repository import Store
from renewal_coach.storage.sample import load_sample
from renewal_coach.ui.coaching.new_plan import NewPlanDialog

TODAY = date(2026, 11, 23)


@pytest.fixture
def sample(store: Store) -> Store:
    load_sample(store, TODAY)
    return store


def test_a_deeply_nested_playbook_is_listed_as_a_problem_and_the_dialog_still_works(
    qtbot, sample: Store
) -> None:
    folder = user_playbook_dir()
    folder.mkdir(parents=True)
    (folder / "deep.toml").write_text(
        "format = 1\nx = " + "[" * 100_000 + "]" * 100_000 + "\n", encoding="utf-8"
    )
    account = next(a for a in sample.accounts.all() if sample.stakeholders.for_account(a.id))
    dialog = NewPlanDialog(sample, account.id, today=TODAY)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.problems.isVisible()
    assert "deep.toml" in dialog.problems.text()
    assert "nested far too deeply" in dialog.problems.text()
    assert dialog.playbook.count() > 0 and dialog.playbook.isEnabled()
