"""Score settings in the database and the scores of one account or the whole portfolio.

The settings live in the ``settings`` table under ``score_settings`` as JSON. A missing row means
the documented defaults. A row that cannot be read is reported, never silently replaced.
"""

from __future__ import annotations

from datetime import date

from ..core.dates import utc_now_iso
from ..core.scoring.data import AccountData
from ..core.scoring.portfolio import AccountScores, score_account, score_portfolio
from ..core.scoring.segments import segment_portfolio
from ..core.settings import DEFAULT_SETTINGS, ScoreSettings
from .portfolio_data import AccountRow, load_account, load_portfolio, read_rows
from .repository import Store

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
    """Every live account scored, keyed by account id."""
    settings = settings or load_settings(store)
    return score_portfolio(load_portfolio(store, today, settings), today, settings)


def account_scores(
    store: Store, account_id: str, today: date, settings: ScoreSettings | None = None
) -> AccountScores:
    """One account scored with full models. The segment needs the whole portfolio's ranking,
    read with one light query per table."""
    settings = settings or load_settings(store)
    segments = segment_portfolio(
        [d.account for d in _accounts_only(store, today, settings)], today, settings
    )
    data = load_account(store, account_id, today, settings)
    segment = segments.get(account_id)
    if segment is None:  # archived: rank it on its own so the page still explains itself
        segment = segment_portfolio([data.account], today, settings)[account_id]
    return score_account(data, segment, today, settings)


def _accounts_only(store: Store, today: date, settings: ScoreSettings) -> list[AccountData]:
    with store.errors():
        return [AccountData(a) for a in read_rows(store, "accounts", AccountRow, "archived = 0")]
