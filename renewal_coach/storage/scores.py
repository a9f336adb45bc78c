"""Score settings in the database and the scores of one account or the whole portfolio.

The settings live in the ``settings`` table under ``score_settings`` as JSON. A missing row means
the documented defaults. A row that cannot be read is reported, never silently replaced.
"""

from __future__ import annotations

import dataclasses
import gc
from collections.abc import Generator, Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any, TypeVar

from ..core.dates import utc_now_iso
from ..core.scoring.data import AccountData
from ..core.scoring.portfolio import (
    CHUNK,
    AccountScores,
    run_steps,
    score_account,
    score_portfolio_steps,
)
from ..core.scoring.segments import segment_portfolio
from ..core.settings import DEFAULT_SETTINGS, ScoreSettings
from .portfolio_data import AccountRow, load_account, load_portfolio_steps, read_rows
from .repository import Store

T = TypeVar("T")

SETTINGS_KEY = "score_settings"


def load_settings(store: Store) -> ScoreSettings:
    """The team's score settings, or the defaults. Raises ValidationError for a bad row."""
    with store.errors():
        row = store.db.execute(
            "SELECT value FROM settings WHERE key = ?", [SETTINGS_KEY]
        ).fetchone()
    if row is None:
        return DEFAULT_SETTINGS
    return ScoreSettings.from_json(row[0])


def save_settings(store: Store, settings: ScoreSettings) -> None:
    """Store ``settings`` (validated) as the team's calibration."""
    from ..core.errors import ValidationError

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


def portfolio_scores(
    store: Store, today: date, settings: ScoreSettings | None = None
) -> dict[str, AccountScores]:
    """Every live account scored, keyed by account id.

    The steps of :func:`portfolio_scores_steps` run in one go, with the cyclic garbage
    collector paused throughout: the work makes a few hundred thousand small objects, none in
    a cycle, and the collector would otherwise go through them again and again as they pile
    up (a fifth of the time at 5,000 accounts). It collects as usual once this returns.
    """
    with paused_gc():
        return run_steps(_steps(store, today, settings, CHUNK))


def portfolio_scores_steps(
    store: Store, today: date, settings: ScoreSettings | None = None, chunk: int = CHUNK
) -> Generator[float, None, dict[str, AccountScores]]:
    """:func:`portfolio_scores` in small steps, for a caller that must stay responsive (the
    GUI can run one step per turn of its event loop).

    Each step reads one page of one table or scores ``chunk`` accounts (some 10 to 40 ms at
    5,000 accounts on a small laptop) and then yields the share of the work done so far, a
    float rising from 0 to 1. When the work is done the generator *returns* the same dict as
    :func:`portfolio_scores`: it is the ``value`` of the ``StopIteration`` that ends the
    iteration (collect it with ``result = yield from portfolio_scores_steps(...)`` in another
    generator, or :func:`~renewal_coach.core.scoring.portfolio.run_steps`; a plain ``for``
    loop drops it). Closing the generator early stops the work.

    The cyclic garbage collector is paused while each step runs, and only then. Storage
    problems raise :class:`~renewal_coach.storage.errors.StorageError` subclasses from the
    step that meets them.
    """
    steps = _steps(store, today, settings, chunk)
    try:
        while True:
            with paused_gc():
                try:
                    progress = next(steps)
                except StopIteration as stop:
                    return stop.value
            yield progress
    finally:
        steps.close()


#: Share of the time of a portfolio's scores spent reading (the rest is scoring), for progress.
_READING = 0.45


def _steps(
    store: Store, today: date, settings: ScoreSettings | None, chunk: int
) -> Generator[float, None, dict[str, AccountScores]]:
    settings = settings or load_settings(store)
    datas = yield from _scaled(load_portfolio_steps(store, today, settings), 0.0, _READING)
    scoring = score_portfolio_steps(datas, today, settings, chunk)
    del datas  # so that each account's records are freed once it is scored
    return (yield from _scaled(scoring, _READING, 1.0))


def _scaled(steps: Generator[float, None, T], low: float, high: float) -> Generator[float, None, T]:
    """``steps`` with its progress (0..1) mapped onto ``low``..``high``; gives back what it
    returns."""
    while True:
        try:
            progress = next(steps)
        except StopIteration as stop:
            return stop.value
        yield low + (high - low) * min(max(progress, 0.0), 1.0)


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector inside the block (reference counting goes on).

    Restores the state it found, so blocks may nest and run on several threads.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def account_scores(
    store: Store, account_id: str, today: date, settings: ScoreSettings | None = None
) -> AccountScores:
    """One account scored with full models. The segment needs the whole portfolio's ranking,
    read with one light query per table."""
    settings = settings or load_settings(store)
    data = load_account(store, account_id, today, settings)
    ranked: list[Any] = [d.account for d in _accounts_only(store, today, settings)]
    if data.account.archived:
        # Not in the portfolio's ranking any more: place it on the line as if it were live, so
        # its page and brief still explain its segment; the other accounts keep their own.
        ranked.append(dataclasses.replace(data.account, archived=False))
    segment = segment_portfolio(ranked, today, settings)[account_id]
    return score_account(data, segment, today, settings)


def _accounts_only(store: Store, today: date, settings: ScoreSettings) -> list[AccountData]:
    with store.errors():
        return [AccountData(a) for a in read_rows(store, "accounts", AccountRow, "archived = 0")]
