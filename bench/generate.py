"""Generate a large, valid portfolio database for benchmarks.

Usage: ``python bench/generate.py OUT.db [--accounts 5000] [--seed 1]``

Per account on average: 3 contracts, 4 stakeholders, 30 interactions (the issue's 5,000 /
15,000 / 20,000 / 150,000 at the default size), plus goals, evidence, concerns, improvements and
change events. Every contract states when its campaign began to be tracked: its start, or for
every fifth account 60 days ago (imported part-way through the term). Rows go in with
executemany through the real migrated schema (validation is skipped for speed, so the generator
writes only values the validators accept).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from renewal_coach.core.dates import add_months
from renewal_coach.core.enums import (
    Attitude,
    BuyingRole,
    ChangeKind,
    Channel,
    ImprovementStatus,
    Influence,
    InteractionType,
    ProcurementRoute,
    ResponseMode,
)
from renewal_coach.storage.db import open_database

INDUSTRIES = [
    "Facilities",
    "Logistics",
    "Healthcare",
    "Local government",
    "Utilities",
    "Banking",
    "Manufacturing",
    "Education",
    "Telecoms",
    "Retail",
]
STAMP = "2026-01-01T00:00:00+00:00"


def _id(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def generate(path: Path, accounts: int = 5000, seed: int = 1, today: date | None = None) -> dict:
    """Write a portfolio of ``accounts`` accounts into a new file at ``path``; return counts."""
    if path.exists():
        raise SystemExit(f"{path} exists; choose a new file")
    today = today or date.today()
    imported = today - timedelta(days=60)  # when some contracts' campaigns began to be tracked
    rng = random.Random(seed)
    db = open_database(path)
    rows: dict[str, list[tuple]] = {
        k: []
        for k in (
            "accounts",
            "contracts",
            "stakeholders",
            "interactions",
            "links",
            "goals",
            "evidence",
            "concerns",
            "improvements",
            "change_events",
        )
    }
    for n in range(accounts):
        aid = _id(rng)
        revenue = int(rng.paretovariate(1.16) * 200_000) * 100
        direct = int(revenue * rng.uniform(0.55, 0.8))
        hours = rng.randint(50, 2500)
        rows["accounts"].append(
            (
                aid,
                STAMP,
                STAMP,
                f"Account {n:05d}",
                rng.choice(INDUSTRIES),
                "UK",
                f"Owner {n % 40}",
                "GBP",
                revenue,
                direct,
                str(hours),
                9500,
                rng.randint(0, 40_000) * 100,
                0,
                rng.randint(0, 30_000) * 100,
                (today - timedelta(days=rng.randint(200, 4000))).isoformat(),
                rng.choice([None, 14, 30, 60]) if rng.random() < 0.2 else None,
            )
        )
        people = []
        for s in range(rng.choice([3, 4, 4, 5])):
            sid = _id(rng)
            people.append(sid)
            rows["stakeholders"].append(
                (
                    sid,
                    STAMP,
                    STAMP,
                    aid,
                    f"Person {n}-{s}",
                    rng.choice(list(BuyingRole)).value,
                    rng.choice(list(Influence)).value,
                    rng.choice(list(Attitude)).value,
                    rng.choice(list(ResponseMode)).value,
                    rng.choice([None, 30, 60, 90]),
                    1 if rng.random() < 0.1 else 0,
                )
            )
        contract_ids = []
        for c in range(rng.choice([2, 3, 3, 4])):
            cid = _id(rng)
            contract_ids.append(cid)
            start = today - timedelta(days=rng.randint(30, 1800))
            end = add_months(start, rng.choice([24, 36, 48, 60]))
            if end <= start:
                end = start + timedelta(days=365)
            rows["contracts"].append(
                (
                    cid,
                    STAMP,
                    STAMP,
                    aid,
                    f"Service line {c}",
                    f"REF-{n:05d}-{c}",
                    start.isoformat(),
                    end.isoformat(),
                    rng.randint(50_000, 5_000_000) * 100,
                    rng.choice([None, 90, 180]),
                    rng.choice(list(ProcurementRoute)).value,
                    (add_months(end, -6)).isoformat(),
                    (add_months(end, -3)).isoformat(),
                    1 if rng.random() < 0.3 else 0,
                    rng.choice(["active", "active", "renewing"]),
                    10,
                    rng.randint(5, 10),
                    # kept since the start, but every fifth account was imported 60 days ago
                    max(start, imported).isoformat() if n % 5 == 0 else start.isoformat(),
                )
            )
        for _ in range(rng.randint(20, 40)):
            iid = _id(rng)
            rows["interactions"].append(
                (
                    iid,
                    STAMP,
                    STAMP,
                    aid,
                    rng.choice(contract_ids),
                    (today - timedelta(days=rng.randint(0, 364))).isoformat(),
                    rng.choice(list(InteractionType)).value,
                    rng.choice(list(Channel)).value,
                    "customer" if rng.random() < 0.35 else "us",
                    "Regular contact",
                    1 if rng.random() < 0.7 else 0,
                    1 if rng.random() < 0.3 else 0,
                    1 if rng.random() < 0.03 else 0,
                    str(rng.choice([1, 2, 4, 8])),
                )
            )
            rows["links"].append((iid, rng.choice(people)))
        for g in range(rng.randint(1, 4)):
            confirmed = rng.random() < 0.6
            rows["goals"].append(
                (
                    _id(rng),
                    STAMP,
                    STAMP,
                    aid,
                    f"Goal {g}",
                    g + 1,
                    people[0] if confirmed else None,
                    (today - timedelta(days=rng.randint(1, 300))).isoformat()
                    if confirmed
                    else None,
                    "Our plan" if rng.random() < 0.5 else "",
                )
            )
        for _ in range(rng.randint(0, 3)):
            validated = rng.random() < 0.5
            rows["evidence"].append(
                (
                    _id(rng),
                    STAMP,
                    STAMP,
                    aid,
                    "Delivered improvement",
                    people[-1] if validated else None,
                    (today - timedelta(days=rng.randint(1, 500))).isoformat()
                    if validated
                    else None,
                )
            )
        for _ in range(rng.randint(0, 2)):
            opened = today - timedelta(days=rng.randint(1, 400))
            rows["concerns"].append(
                (
                    _id(rng),
                    STAMP,
                    STAMP,
                    aid,
                    "Service gap",
                    rng.randint(1, 3),
                    opened.isoformat(),
                    (opened + timedelta(days=20)).isoformat() if rng.random() < 0.6 else None,
                )
            )
        status = rng.choice(list(ImprovementStatus))
        rows["improvements"].append(
            (
                _id(rng),
                STAMP,
                STAMP,
                aid,
                "Improvement idea",
                status.value,
                (today - timedelta(days=rng.randint(100, 400))).isoformat(),
            )
        )
        if rng.random() < 0.4:
            rows["change_events"].append(
                (
                    _id(rng),
                    STAMP,
                    STAMP,
                    aid,
                    rng.choice(list(ChangeKind)).value,
                    (today - timedelta(days=rng.randint(1, 700))).isoformat(),
                )
            )

    sql = {
        "accounts": "INSERT INTO accounts (id, created_at, updated_at, name, industry, region, "
        "owner, currency, revenue_12m_minor, direct_cost_12m_minor, serve_hours_12m, "
        "hourly_rate_minor, bid_cost_minor, special_terms_cost_minor, support_cost_minor, "
        "customer_since, contact_cadence_days) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        "stakeholders": "INSERT INTO stakeholders (id, created_at, updated_at, account_id, name, "
        "buying_role, influence, attitude, response_mode, contact_cadence_days, no_surveys) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?)",
        "contracts": "INSERT INTO contracts (id, created_at, updated_at, account_id, title, "
        "reference, start_date, end_date, annual_value_minor, notice_period_days, "
        "procurement_route, market_approach_date, decision_date, public_sector, status, "
        "kpis_total, kpis_met, tracked_since) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        "interactions": "INSERT INTO interactions (id, created_at, updated_at, account_id, "
        "contract_id, occurred_on, type, channel, initiated_by, purpose, brought_value, "
        "customer_asked, concession_offered, effort_hours) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        "links": "INSERT INTO interaction_stakeholders (interaction_id, stakeholder_id) "
        "VALUES (?,?)",
        "goals": "INSERT INTO goals (id, created_at, updated_at, account_id, statement, priority, "
        "confirmed_by_id, confirmed_on, our_response) VALUES (?,?,?,?,?,?,?,?,?)",
        "evidence": "INSERT INTO evidence (id, created_at, updated_at, account_id, description, "
        "validated_by_id, validated_on) VALUES (?,?,?,?,?,?,?)",
        "concerns": "INSERT INTO concerns (id, created_at, updated_at, account_id, description, "
        "severity, opened_on, resolved_on) VALUES (?,?,?,?,?,?,?,?)",
        "improvements": "INSERT INTO improvements (id, created_at, updated_at, account_id, "
        "title, status, proposed_on) VALUES (?,?,?,?,?,?,?)",
        "change_events": "INSERT INTO change_events (id, created_at, updated_at, account_id, "
        "kind, occurred_on) VALUES (?,?,?,?,?,?)",
    }
    with db.atomic():
        for table, statement in sql.items():
            db.conn.executemany(statement, rows[table])
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return {table: len(r) for table, r in rows.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--accounts", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    started = time.perf_counter()
    counts = generate(args.out, args.accounts, args.seed)
    print(f"{args.out}: {counts} in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
