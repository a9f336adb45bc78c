"""The fourth segment is Maintain (DOMAIN.md 3.1): data stored under its former name moves over."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from sqlite_utils import Database

from renewal_coach.core.enums import Segment
from renewal_coach.core.settings import SCHEMA, ScoreSettings
from renewal_coach.storage.db import open_database
from renewal_coach.storage.migrations import known_names, migrations
from renewal_coach.storage.repository import Store
from renewal_coach.storage.scores import load_settings, portfolio_scores

RENAME = "m008_segment_maintain"


def _old_database(path: Path, settings: str | None) -> None:
    """A file as the release before the rename left it, with an override and settings."""
    old = Database(str(path))
    migrations.apply(old, stop_before=RENAME)
    old.execute(f"PRAGMA user_version = {known_names().index(RENAME)}")
    for account_id, name, override in (
        ("a1", "Brabant Koeltransport", "proportionate"),
        ("a2", "Harbour Trust", "drain"),
        ("a3", "Penrose University", None),
    ):
        old.execute(
            "INSERT INTO accounts (id, created_at, updated_at, name, revenue_12m_minor, "
            "segment_override, segment_override_reason) VALUES (?, 't', 't', ?, 100000, ?, ?)",
            [account_id, name, override, "Reference customer" if override else ""],
        )
    if settings is not None:
        old.execute(
            "INSERT INTO settings (key, value, updated_at) VALUES ('score_settings', ?, 't')",
            [settings],
        )
    old.conn.commit()
    old.close()


def _schema_1_settings() -> str:
    data = json.loads(ScoreSettings(version=4).to_json())
    targets = data["segment_targets"]
    del targets["maintain"]
    targets["proportionate"] = 2.25  # calibrated away from the default 1.5
    data["schema"] = 1
    return json.dumps(data)


def test_the_rename_follows_the_search_index() -> None:
    # Later migrations may follow it; the files it upgrades predate it.
    names = known_names()
    assert names.index(RENAME) == names.index("m007_search_index") + 1


def test_overrides_and_stored_settings_move_to_maintain(db_path: Path) -> None:
    _old_database(db_path, _schema_1_settings())

    store = Store(open_database(db_path))

    overrides = dict(store.db.execute("SELECT id, segment_override FROM accounts").fetchall())
    assert overrides == {"a1": "maintain", "a2": "drain", "a3": None}
    assert store.accounts.get("a1").segment_override == Segment.MAINTAIN
    stored = json.loads(
        store.db.execute("SELECT value FROM settings WHERE key = 'score_settings'").fetchone()[0]
    )
    assert "proportionate" not in stored["segment_targets"]
    assert stored["segment_targets"]["maintain"] == 2.25
    assert stored["schema"] == SCHEMA
    settings = load_settings(store)
    assert settings.segment_targets["maintain"] == 2.25
    assert settings.version == 4  # the team's calibration count is kept
    # The moved override is what the scores use.
    scores = portfolio_scores(store, date(2026, 12, 7), settings)
    assert scores["a1"].segment.band == "maintain"
    assert scores["a1"].segment.band_label == "Maintain"
    store.close()


def test_a_database_without_settings_or_overrides_opens_as_before(db_path: Path) -> None:
    _old_database(db_path, None)
    store = Store(open_database(db_path))
    assert store.db.execute("SELECT COUNT(*) FROM settings").fetchone()[0] == 0
    assert load_settings(store).segment_targets["maintain"] == 1.5
    store.close()


def test_unreadable_stored_settings_are_kept_for_the_person_to_see(db_path: Path) -> None:
    _old_database(db_path, "{not json")
    store = Store(open_database(db_path))
    row = store.db.execute("SELECT value FROM settings WHERE key = 'score_settings'").fetchone()
    assert row[0] == "{not json"  # nothing lost; loading reports it
    assert store.db.execute("SELECT segment_override FROM accounts WHERE id = 'a1'").fetchone() == (
        "maintain",
    )
    store.close()
