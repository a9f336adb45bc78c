"""Reading what the agenda and the deadline views need, and keeping the deadline settings.

The rules live in :mod:`renewal_coach.core.deadlines`; this module reads the rows. Milestones
come from the campaigns the scoring worked out (a Treasure account reviews value quarterly,
so the segment decides part of the timeline): pass the scores the app already holds, or let
:func:`load_agenda` score the portfolio itself (the command line does).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from ..core.dates import utc_now_iso
from ..core.deadlines import (
    DEFAULT_DEADLINE_SETTINGS,
    Agenda,
    AgendaAccount,
    AgendaContract,
    DeadlineSettings,
    PersonRhythm,
    build_agenda,
    nudges,
)
from ..core.errors import ValidationError
from .repository import Store

SETTINGS_KEY = "deadlines"


def load_deadline_settings(store: Store) -> DeadlineSettings:
    """The stored deadline settings, or the defaults. Raises ValidationError for a bad row."""
    with store.errors():
        row = store.db.execute(
            "SELECT value FROM settings WHERE key = ?", [SETTINGS_KEY]
        ).fetchone()
    if row is None:
        return DEFAULT_DEADLINE_SETTINGS
    return DeadlineSettings.from_json(row[0])


def save_deadline_settings(store: Store, settings: DeadlineSettings) -> None:
    """Keep ``settings`` (checked first) for the app and the command line alike."""
    problems = settings.problems()
    if problems:
        raise ValidationError(problems)
    with store.atomic():
        store.db.execute(
            "INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value, "
            "updated_at = excluded.updated_at",
            [SETTINGS_KEY, settings.to_json(), utc_now_iso()],
        )


def live_accounts(store: Store) -> list[AgendaAccount]:
    """Every account that is not archived, with its owner."""
    with store.errors():
        rows = store.db.execute(
            "SELECT id, name, owner FROM accounts WHERE archived = 0"
        ).fetchall()
    return [AgendaAccount(r[0], r[1], r[2] or "") for r in rows]


def people_with_rhythm(store: Store) -> list[PersonRhythm]:
    """People still in their role who asked to hear from us every so many days, with the
    date of the last interaction they took part in."""
    with store.errors():
        rows = store.db.execute(
            """
            SELECT s.id, s.account_id, s.name, s.contact_cadence_days, s.created_at,
                   MAX(i.occurred_on)
            FROM stakeholders s
            LEFT JOIN interaction_stakeholders x ON x.stakeholder_id = s.id
            LEFT JOIN interactions i ON i.id = x.interaction_id
            WHERE s.contact_cadence_days IS NOT NULL AND s.left_on IS NULL
            GROUP BY s.id
            """
        ).fetchall()
    out = []
    for pid, account_id, name, cadence, created, last in rows:
        try:
            known = date.fromisoformat(created[:10])
            last_day = date.fromisoformat(last) if last else None
        except (TypeError, ValueError):
            continue  # an unreadable date is not a reason to lose the whole agenda
        out.append(PersonRhythm(pid, account_id, name, int(cadence), last_day, known))
    return out


def contracts_by_account(scores: Mapping[str, Any]) -> dict[str, list[AgendaContract]]:
    """Each scored account's contracts with their campaign milestones."""
    out: dict[str, list[AgendaContract]] = {}
    for account_id, acc in scores.items():
        out[account_id] = [
            AgendaContract(cs.contract, campaign=cs.campaign) for cs in acc.contracts
        ]
    return out


def load_agenda(
    store: Store,
    today: date,
    *,
    days: int | None = None,
    owner: str = "",
    scores: Mapping[str, Any] | None = None,
    settings: DeadlineSettings | None = None,
) -> Agenda:
    """The agenda as of ``today``: ``scores`` are the portfolio's (account id → AccountScores),
    worked out here when not given."""
    settings = settings or load_deadline_settings(store)
    if scores is None:
        from .scores import portfolio_scores

        scores = portfolio_scores(store, today)
    days = settings.agenda_days if days is None else days
    horizon = (today + timedelta(days=days)).isoformat()
    commitments = store.commitments.where(
        "done_on IS NULL AND due_on IS NOT NULL AND due_on <= ?", [horizon]
    )
    concerns = store.concerns.where("resolved_on IS NULL")
    return build_agenda(
        today=today,
        accounts=live_accounts(store),
        contracts=contracts_by_account(scores),
        commitments=commitments,
        people=people_with_rhythm(store),
        concerns=concerns,
        days=days,
        owner=owner,
        settings=settings,
    )


def load_nudges(
    store: Store, today: date, settings: DeadlineSettings | None = None
) -> list[tuple[str, Any, Any]]:
    """Notice deadlines and option dates within the nudge window on live contracts of
    accounts that are not archived: (account name, contract, deadline), soonest first."""
    settings = settings or load_deadline_settings(store)
    names = {a.id: a.name for a in live_accounts(store)}
    contracts = store.contracts.where("status IN ('active', 'renewing')")
    pairs = [(names[c.account_id], c) for c in contracts if c.account_id in names]
    return nudges(pairs, today, settings)
