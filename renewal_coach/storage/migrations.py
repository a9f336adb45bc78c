"""The schema, as an ordered chain of migrations. A new database runs the same chain as an old one.

Never edit a migration that has shipped: add a new one at the end. Each runs in one transaction
(sqlite-utils ``Migrations``), and its name is recorded in ``_sqlite_migrations``.
"""

from __future__ import annotations

import json
import sqlite3

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

MIGRATION_SET = "renewal_coach"
migrations = Migrations(MIGRATION_SET)

_STAMPS = "id TEXT PRIMARY KEY NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL"


def _run(db: Database, script: str) -> None:
    """Run each statement of ``script`` inside the migration's transaction.

    ``executescript`` would commit the open transaction first, so statements run one by one.
    """
    statement = ""
    for line in script.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            db.execute(statement)
            statement = ""
    if statement.strip():
        raise ValueError(f"incomplete SQL statement in migration: {statement!r}")


def _account_child(name: str, columns: str, *, contract: bool = True) -> str:
    contract_col = (
        "contract_id TEXT REFERENCES contracts(id) ON DELETE SET NULL," if contract else ""
    )
    return f"""
    CREATE TABLE {name} (
        {_STAMPS},
        account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        {contract_col}
        {columns}
    );
    CREATE INDEX idx_{name}_account ON {name}(account_id);
    """


@migrations(name="m001_accounts_and_contracts")
def m001(db: Database) -> None:
    _run(
        db,
        f"""
        CREATE TABLE accounts (
            {_STAMPS},
            name TEXT NOT NULL,
            industry TEXT NOT NULL DEFAULT '',
            region TEXT NOT NULL DEFAULT '',
            owner TEXT NOT NULL DEFAULT '',
            currency TEXT NOT NULL DEFAULT 'GBP',
            revenue_12m_minor INTEGER,
            direct_cost_12m_minor INTEGER,
            serve_hours_12m TEXT,
            hourly_rate_minor INTEGER,
            bid_cost_minor INTEGER,
            special_terms_cost_minor INTEGER,
            support_cost_minor INTEGER,
            forecast_contribution_minor INTEGER,
            customer_since TEXT,
            reference_site INTEGER NOT NULL DEFAULT 0,
            market_entry INTEGER NOT NULL DEFAULT 0,
            capability_building INTEGER NOT NULL DEFAULT 0,
            segment_override TEXT,
            segment_override_reason TEXT NOT NULL DEFAULT '',
            contact_cadence_days INTEGER,
            notes TEXT NOT NULL DEFAULT '',
            archived INTEGER NOT NULL DEFAULT 0
        );
        CREATE UNIQUE INDEX idx_accounts_name ON accounts(name COLLATE NOCASE);

        CREATE TABLE contracts (
            {_STAMPS},
            account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
            title TEXT NOT NULL,
            reference TEXT NOT NULL,
            start_date TEXT NOT NULL,
            end_date TEXT NOT NULL,
            annual_value_minor INTEGER,
            notice_period_days INTEGER,
            notice_deadline TEXT,
            extension_months INTEGER,
            extension_exercise_by TEXT,
            extension_holder TEXT,
            procurement_route TEXT NOT NULL DEFAULT 'unknown',
            market_approach_date TEXT,
            decision_date TEXT,
            public_sector INTEGER NOT NULL DEFAULT 0,
            status TEXT NOT NULL DEFAULT 'active',
            kpis_total INTEGER,
            kpis_met INTEGER,
            price_gap_pct TEXT,
            walk_away TEXT NOT NULL DEFAULT '',
            outcome_notes TEXT NOT NULL DEFAULT '',
            debrief_notes TEXT NOT NULL DEFAULT '',
            notes TEXT NOT NULL DEFAULT '',
            CHECK (end_date > start_date)
        );
        CREATE INDEX idx_contracts_account ON contracts(account_id);
        CREATE INDEX idx_contracts_end ON contracts(end_date);
        CREATE UNIQUE INDEX idx_contracts_reference
            ON contracts(account_id, reference COLLATE NOCASE);
        """,
    )


@migrations(name="m002_relationship_records")
def m002(db: Database) -> None:
    _run(
        db,
        _account_child(
            "stakeholders",
            """
            name TEXT NOT NULL,
            title TEXT NOT NULL DEFAULT '',
            function TEXT NOT NULL DEFAULT '',
            in_role_since TEXT,
            buying_role TEXT NOT NULL DEFAULT 'unknown',
            strategic_role TEXT NOT NULL DEFAULT 'none',
            influence TEXT NOT NULL DEFAULT 'medium',
            attitude TEXT NOT NULL DEFAULT 'unknown',
            response_mode TEXT NOT NULL DEFAULT 'unknown',
            win_business TEXT NOT NULL DEFAULT '',
            win_personal TEXT NOT NULL DEFAULT '',
            win_validated INTEGER NOT NULL DEFAULT 0,
            contact_cadence_days INTEGER,
            preferred_channel TEXT,
            no_surveys INTEGER NOT NULL DEFAULT 0,
            left_on TEXT,
            notes TEXT NOT NULL DEFAULT ''
            """,
            contract=False,
        )
        + _account_child(
            "interactions",
            """
            occurred_on TEXT NOT NULL,
            type TEXT NOT NULL,
            channel TEXT NOT NULL,
            initiated_by TEXT NOT NULL,
            purpose TEXT NOT NULL DEFAULT '',
            brought_value INTEGER NOT NULL DEFAULT 0,
            customer_asked INTEGER NOT NULL DEFAULT 0,
            concession_offered INTEGER NOT NULL DEFAULT 0,
            concession_requested INTEGER NOT NULL DEFAULT 0,
            effort_hours TEXT,
            outcome TEXT NOT NULL DEFAULT '',
            next_step TEXT NOT NULL DEFAULT ''
            """,
        )
        + """
        CREATE INDEX idx_interactions_date ON interactions(account_id, occurred_on);
        CREATE TABLE interaction_stakeholders (
            interaction_id TEXT NOT NULL REFERENCES interactions(id) ON DELETE CASCADE,
            stakeholder_id TEXT NOT NULL REFERENCES stakeholders(id) ON DELETE CASCADE,
            PRIMARY KEY (interaction_id, stakeholder_id)
        );
        CREATE INDEX idx_interaction_stakeholders_s ON interaction_stakeholders(stakeholder_id);
        """
        + _account_child(
            "goals",
            """
            statement TEXT NOT NULL,
            metric TEXT NOT NULL DEFAULT '',
            metric_from TEXT NOT NULL DEFAULT '',
            metric_to TEXT NOT NULL DEFAULT '',
            target_date TEXT,
            horizon TEXT NOT NULL DEFAULT 'next_12_months',
            priority INTEGER NOT NULL DEFAULT 3,
            confirmed_by_id TEXT REFERENCES stakeholders(id) ON DELETE SET NULL,
            confirmed_on TEXT,
            our_response TEXT NOT NULL DEFAULT ''
            """,
        )
        + _account_child(
            "evidence",
            """
            description TEXT NOT NULL,
            metric TEXT NOT NULL DEFAULT '',
            before TEXT NOT NULL DEFAULT '',
            after TEXT NOT NULL DEFAULT '',
            period_start TEXT,
            period_end TEXT,
            validated_by_id TEXT REFERENCES stakeholders(id) ON DELETE SET NULL,
            validated_on TEXT,
            link TEXT NOT NULL DEFAULT ''
            """,
        )
        + _account_child(
            "concerns",
            """
            description TEXT NOT NULL,
            severity INTEGER NOT NULL DEFAULT 2 CHECK (severity BETWEEN 1 AND 3),
            opened_on TEXT NOT NULL,
            resolved_on TEXT,
            visible_to_customer INTEGER NOT NULL DEFAULT 1,
            recovery_action TEXT NOT NULL DEFAULT ''
            """,
        )
        + _account_child(
            "improvements",
            """
            title TEXT NOT NULL,
            description TEXT NOT NULL DEFAULT '',
            status TEXT NOT NULL DEFAULT 'proposed',
            proposed_on TEXT,
            delivered_on TEXT,
            acknowledged_on TEXT,
            goal_id TEXT REFERENCES goals(id) ON DELETE SET NULL
            """,
        )
        + _account_child(
            "change_events",
            """
            kind TEXT NOT NULL,
            occurred_on TEXT NOT NULL,
            description TEXT NOT NULL DEFAULT '',
            response TEXT NOT NULL DEFAULT '',
            responded_on TEXT
            """,
        ),
    )


@migrations(name="m003_campaigns_and_coaching")
def m003(db: Database) -> None:
    _run(
        db,
        f"""
        CREATE TABLE milestones (
            {_STAMPS},
            contract_id TEXT NOT NULL REFERENCES contracts(id) ON DELETE CASCADE,
            code TEXT NOT NULL,
            occurrence INTEGER NOT NULL DEFAULT 0,
            done_on TEXT,
            owner TEXT NOT NULL DEFAULT '',
            note TEXT NOT NULL DEFAULT '',
            UNIQUE (contract_id, code, occurrence)
        );
        """
        + _account_child(
            "plans",
            """
            meeting_type TEXT NOT NULL,
            meeting_date TEXT,
            title TEXT NOT NULL DEFAULT '',
            status TEXT NOT NULL DEFAULT 'draft',
            our_objectives TEXT NOT NULL DEFAULT '',
            their_objectives TEXT NOT NULL DEFAULT '',
            sections TEXT NOT NULL DEFAULT '[]',
            guardrail_overrides TEXT NOT NULL DEFAULT '{}',
            captured TEXT NOT NULL DEFAULT '{}',
            version INTEGER NOT NULL DEFAULT 1,
            edited_by TEXT NOT NULL DEFAULT ''
            """,
        )
        + """
        CREATE TABLE plan_attendees (
            plan_id TEXT NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
            stakeholder_id TEXT NOT NULL REFERENCES stakeholders(id) ON DELETE CASCADE,
            PRIMARY KEY (plan_id, stakeholder_id)
        );
        """
        + f"""
        CREATE TABLE coaching_sessions (
            {_STAMPS},
            plan_id TEXT NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
            started_at TEXT NOT NULL,
            ended_at TEXT NOT NULL DEFAULT '',
            notes TEXT NOT NULL DEFAULT '',
            actions TEXT NOT NULL DEFAULT '',
            summary TEXT NOT NULL DEFAULT '{{}}'
        );
        CREATE INDEX idx_coaching_sessions_plan ON coaching_sessions(plan_id);
        """
        + _account_child(
            "commitments",
            """
            plan_id TEXT REFERENCES plans(id) ON DELETE SET NULL,
            session_id TEXT REFERENCES coaching_sessions(id) ON DELETE SET NULL,
            party TEXT NOT NULL DEFAULT 'us',
            description TEXT NOT NULL,
            owner TEXT NOT NULL DEFAULT '',
            due_on TEXT,
            done_on TEXT
            """,
            contract=False,
        )
        + f"""
        CREATE TABLE assessments (
            {_STAMPS},
            kind TEXT NOT NULL,
            account_id TEXT REFERENCES accounts(id) ON DELETE CASCADE,
            contract_id TEXT REFERENCES contracts(id) ON DELETE SET NULL,
            taken_on TEXT NOT NULL,
            answers TEXT NOT NULL DEFAULT '{{}}',
            result TEXT NOT NULL DEFAULT '{{}}'
        );
        CREATE INDEX idx_assessments_account ON assessments(account_id);
        """,
    )


@migrations(name="m004_settings")
def m004(db: Database) -> None:
    _run(
        db,
        """
        CREATE TABLE settings (
            key TEXT PRIMARY KEY NOT NULL,
            value TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        """,
    )


@migrations(name="m005_plan_channel_and_offers")
def m005(db: Database) -> None:
    _run(
        db,
        """
        ALTER TABLE plans ADD COLUMN playbook TEXT NOT NULL DEFAULT '';
        ALTER TABLE plans ADD COLUMN channel TEXT NOT NULL DEFAULT 'in_person';
        ALTER TABLE plans ADD COLUMN formal_channel INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE plans ADD COLUMN offers TEXT NOT NULL DEFAULT '[]';
        """,
    )


@migrations(name="m006_import_tracking_and_people")
def m006(db: Database) -> None:
    """CRM ids for matching imports, the tracking baseline, and people's email and phone.

    ``tracked_since`` of a contract that already exists is the day it was entered: the app has
    kept its campaign from then on (DOMAIN.md section 4).
    """
    _run(
        db,
        """
        ALTER TABLE accounts ADD COLUMN external_id TEXT NOT NULL DEFAULT '';
        ALTER TABLE contracts ADD COLUMN external_id TEXT NOT NULL DEFAULT '';
        ALTER TABLE contracts ADD COLUMN tracked_since TEXT;
        UPDATE contracts SET tracked_since = substr(created_at, 1, 10);
        ALTER TABLE stakeholders ADD COLUMN external_id TEXT NOT NULL DEFAULT '';
        ALTER TABLE stakeholders ADD COLUMN email TEXT NOT NULL DEFAULT '';
        ALTER TABLE stakeholders ADD COLUMN phone TEXT NOT NULL DEFAULT '';
        ALTER TABLE interactions ADD COLUMN external_id TEXT NOT NULL DEFAULT '';
        CREATE INDEX idx_accounts_external ON accounts(external_id) WHERE external_id != '';
        CREATE INDEX idx_contracts_external ON contracts(external_id) WHERE external_id != '';
        CREATE INDEX idx_stakeholders_external
            ON stakeholders(external_id) WHERE external_id != '';
        CREATE INDEX idx_interactions_external
            ON interactions(external_id) WHERE external_id != '';
        """,
    )


def _cat(*columns: str) -> str:
    """SQL joining text columns with spaces (SQLite before 3.44 has no ``concat_ws``)."""
    return " || ' ' || ".join(f"coalesce({c}, '')" for c in columns)


#: What each searchable table puts in the search index, as SQL over the trigger's ``NEW`` row:
#: (kind, account id, label, title, body, notes, walk-away). ``label`` is how a hit is named when
#: shown; ``title``, ``body``, ``notes`` and ``walk_away`` are the indexed columns (the last two
#: are internal-only fields, so a hit can say it matched there).
_SEARCH_SOURCES: dict[str, tuple[str, ...]] = {
    "accounts": (
        "'account'",
        "NEW.id",
        "NEW.name",
        "NEW.name",
        _cat("NEW.industry", "NEW.region", "NEW.owner", "NEW.external_id"),
        _cat("NEW.notes", "NEW.segment_override_reason"),
        "''",
    ),
    "contracts": (
        "'contract'",
        "NEW.account_id",
        "NEW.reference || ' ' || NEW.title",
        "NEW.title || ' ' || NEW.reference",
        "NEW.external_id",
        _cat("NEW.notes", "NEW.outcome_notes", "NEW.debrief_notes"),
        "NEW.walk_away",
    ),
    "stakeholders": (
        "'person'",
        "NEW.account_id",
        "NEW.name",
        "NEW.name",
        _cat(
            "NEW.title",
            "NEW.function",
            "NEW.email",
            "NEW.phone",
            "NEW.win_business",
            "NEW.win_personal",
        ),
        "NEW.notes",
        "''",
    ),
    "interactions": (
        "'interaction'",
        "NEW.account_id",
        "NEW.occurred_on",
        "NEW.purpose",
        _cat("NEW.outcome", "NEW.next_step"),
        "''",
        "''",
    ),
    "goals": (
        "'goal'",
        "NEW.account_id",
        "NEW.statement",
        "NEW.statement",
        _cat("NEW.metric", "NEW.metric_from", "NEW.metric_to", "NEW.our_response"),
        "''",
        "''",
    ),
    "evidence": (
        "'evidence'",
        "NEW.account_id",
        "NEW.description",
        "NEW.description",
        _cat("NEW.metric", "NEW.before", "NEW.after", "NEW.link"),
        "''",
        "''",
    ),
    "concerns": (
        "'concern'",
        "NEW.account_id",
        "NEW.description",
        "NEW.description",
        "NEW.recovery_action",
        "''",
        "''",
    ),
    "improvements": (
        "'improvement'",
        "NEW.account_id",
        "NEW.title",
        "NEW.title",
        "NEW.description",
        "''",
        "''",
    ),
    "change_events": (
        "'change'",
        "NEW.account_id",
        "NEW.occurred_on",
        "NEW.description",
        "NEW.response",
        "''",
        "''",
    ),
    "commitments": (
        "'commitment'",
        "NEW.account_id",
        "NEW.description",
        "NEW.description",
        "NEW.owner",
        "''",
        "''",
    ),
    "plans": (
        "'plan'",
        "NEW.account_id",
        "CASE WHEN NEW.title != '' THEN NEW.title ELSE coalesce(NEW.meeting_date, '') END",
        "NEW.title",
        _cat(
            "NEW.our_objectives",
            "NEW.their_objectives",
            # The text of the sections: titles, guidance, questions and answers.
            "(SELECT group_concat(value, ' ') FROM json_tree(CASE WHEN json_valid(NEW.sections) "
            "THEN NEW.sections ELSE '[]' END) "
            "WHERE type = 'text' AND key IN ('title', 'guidance', 'text', 'answer'))",
        ),
        "''",
        "''",
    ),
    "coaching_sessions": (
        "'session'",
        "(SELECT account_id FROM plans WHERE plans.id = NEW.plan_id)",
        "substr(NEW.started_at, 1, 10)",
        "''",
        "NEW.actions",
        "NEW.notes",
        "''",
    ),
}


def _search_select(table: str, row: str) -> str:
    kind, account, label, title, body, notes, walk_away = (
        part.replace("NEW.", f"{row}.") for part in _SEARCH_SOURCES[table]
    )
    return f"SELECT {kind}, {row}.id, {account}, {label}, {title}, {body}, {notes}, {walk_away}"


@migrations(name="m007_search_index")
def m007(db: Database) -> None:
    """Full-text search over every record a person writes (Search Everything, Ctrl+K).

    ``search_docs`` holds one row per record with the text to search; ``search_fts`` is an FTS5
    index over it (external content, so ``snippet`` and ``highlight`` read the text back).
    Triggers on each source table keep ``search_docs`` in step with every insert, update and
    delete, cascades and undo included, and triggers on ``search_docs`` keep the index in step.
    Existing records are indexed here, once.
    """
    columns = "kind, record_id, account_id, label, title, body, notes, walk_away"
    script = """
        CREATE TABLE search_docs (
            rowid INTEGER PRIMARY KEY,
            kind TEXT NOT NULL,
            record_id TEXT NOT NULL,
            account_id TEXT,
            label TEXT NOT NULL DEFAULT '',
            title TEXT NOT NULL DEFAULT '',
            body TEXT NOT NULL DEFAULT '',
            notes TEXT NOT NULL DEFAULT '',
            walk_away TEXT NOT NULL DEFAULT '',
            UNIQUE (kind, record_id)
        );
        CREATE VIRTUAL TABLE search_fts USING fts5(
            title, body, notes, walk_away,
            content='search_docs', content_rowid='rowid',
            tokenize='unicode61 remove_diacritics 2'
        );
        CREATE TRIGGER search_docs_ai AFTER INSERT ON search_docs BEGIN
            INSERT INTO search_fts(rowid, title, body, notes, walk_away)
            VALUES (new.rowid, new.title, new.body, new.notes, new.walk_away);
        END;
        CREATE TRIGGER search_docs_ad AFTER DELETE ON search_docs BEGIN
            INSERT INTO search_fts(search_fts, rowid, title, body, notes, walk_away)
            VALUES ('delete', old.rowid, old.title, old.body, old.notes, old.walk_away);
        END;
        CREATE TRIGGER search_docs_au AFTER UPDATE ON search_docs BEGIN
            INSERT INTO search_fts(search_fts, rowid, title, body, notes, walk_away)
            VALUES ('delete', old.rowid, old.title, old.body, old.notes, old.walk_away);
            INSERT INTO search_fts(rowid, title, body, notes, walk_away)
            VALUES (new.rowid, new.title, new.body, new.notes, new.walk_away);
        END;
        """
    for table, source in _SEARCH_SOURCES.items():
        kind = source[0]
        select = _search_select(table, "NEW")
        script += f"""
        CREATE TRIGGER search_{table}_ai AFTER INSERT ON {table} BEGIN
            INSERT INTO search_docs({columns}) {select};
        END;
        CREATE TRIGGER search_{table}_au AFTER UPDATE ON {table} BEGIN
            DELETE FROM search_docs WHERE kind = {kind} AND record_id = OLD.id;
            INSERT INTO search_docs({columns}) {select};
        END;
        CREATE TRIGGER search_{table}_ad AFTER DELETE ON {table} BEGIN
            DELETE FROM search_docs WHERE kind = {kind} AND record_id = OLD.id;
        END;
        """
        script += f"""
        INSERT INTO search_docs({columns}) {_search_select(table, table)} FROM {table};
        """
    _run(db, script)


@migrations(name="m008_segment_maintain")
def m008(db: Database) -> None:
    """The fourth value segment is called Maintain, no longer Proportionate (DOMAIN.md 3.1).

    "Proportionate" stays the name of an engagement band only. Segment overrides move to the
    new value, and the stored score settings move their target for that segment to the new key
    (settings schema 2; ``ScoreSettings.from_json`` upgrades schema 1 the same way wherever it
    reads it). Settings that cannot be read are left as they are, to be reported on loading.
    """
    _run(
        db,
        """
        UPDATE accounts SET segment_override = 'maintain'
            WHERE segment_override = 'proportionate';
        """,
    )
    rows = db.execute("SELECT key, value FROM settings WHERE key = 'score_settings'").fetchall()
    for key, value in rows:
        try:
            data = json.loads(value)
        except ValueError:
            continue  # left as it is: loading the settings reports it, nothing is lost
        targets = data.get("segment_targets") if isinstance(data, dict) else None
        if not isinstance(targets, dict) or "proportionate" not in targets:
            continue
        old = targets.pop("proportionate")
        targets.setdefault("maintain", old)
        if data.get("schema", 1) == 1:
            data["schema"] = 2
        db.execute(
            "UPDATE settings SET value = ? WHERE key = ?", [json.dumps(data, sort_keys=True), key]
        )


@migrations(name="m009_changes")
def m009(db: Database) -> None:
    """The change history (DOMAIN.md 5a): an append-only log of every add, edit and delete.

    One row per field an edit changed, one row holding an added record's given fields as JSON,
    and one row holding the whole record for a delete (the tombstone). The rows are written by
    triggers the app installs on its own connection (storage/history.py), because who made a
    change and on which device come from the person's settings, never from the file. Rows are
    never updated or deleted; the triggers here refuse it.
    """
    _run(
        db,
        """
        CREATE TABLE changes (
            seq INTEGER PRIMARY KEY,
            hlc TEXT NOT NULL,
            entity TEXT NOT NULL,
            record_id TEXT NOT NULL,
            account_id TEXT,
            label TEXT NOT NULL DEFAULT '',
            field TEXT NOT NULL DEFAULT '',
            internal INTEGER NOT NULL DEFAULT 0,
            change TEXT NOT NULL CHECK (change IN ('add', 'edit', 'delete')),
            old_value,
            new_value,
            changed_at TEXT NOT NULL,
            who TEXT NOT NULL DEFAULT '',
            device TEXT NOT NULL,
            op_id TEXT NOT NULL,
            op_kind TEXT NOT NULL CHECK (
                op_kind IN ('add', 'edit', 'delete', 'undo', 'redo', 'import', 'restore')
            ),
            UNIQUE (hlc, entity, record_id, field)
        );
        CREATE INDEX idx_changes_record ON changes(record_id);
        CREATE INDEX idx_changes_account ON changes(account_id, seq);
        CREATE TRIGGER changes_no_update BEFORE UPDATE ON changes BEGIN
            SELECT RAISE(ABORT, 'the change history is append-only');
        END;
        CREATE TRIGGER changes_no_delete BEFORE DELETE ON changes BEGIN
            SELECT RAISE(ABORT, 'the change history is append-only');
        END;
        """,
    )


@migrations(name="m010_calendar_events")
def m010(db: Database) -> None:
    """What calendar exports wrote, one row per event UID (issue 15): the date and summary it
    had, a fingerprint of its date and words, its SEQUENCE, when it was first exported, last
    changed and last exported, and whether it is active or was cancelled. No foreign key: the
    row must outlive the account, contract or commitment, so that the next export can cancel
    the event in the person's calendar."""
    _run(
        db,
        """
        CREATE TABLE calendar_events (
            uid TEXT PRIMARY KEY NOT NULL,
            account_id TEXT NOT NULL,
            due TEXT NOT NULL,
            summary TEXT NOT NULL DEFAULT '',
            content_hash TEXT NOT NULL,
            sequence INTEGER NOT NULL DEFAULT 0 CHECK (sequence >= 0),
            status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'cancelled')),
            first_exported TEXT NOT NULL,
            changed_at TEXT NOT NULL,
            last_exported TEXT NOT NULL
        );
        CREATE INDEX idx_calendar_events_account ON calendar_events(account_id);
        """,
    )


def known_names() -> list[str]:
    """Names of every migration this version knows, in order."""
    return [m.name for m in migrations._migrations]


#: The schema version this build writes: the number of migrations it knows.
SCHEMA_VERSION = len(known_names())
