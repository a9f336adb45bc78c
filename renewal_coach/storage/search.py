"""Search everything: full-text search over the records of every account.

The index (``search_fts`` over ``search_docs``) is kept in step by triggers made in migration
``m007_search_index``; this module only reads it. What a person types is never FTS5 query syntax:
every word becomes a quoted prefix term, so quotes, ``-``, ``NEAR``, ``*`` and ``:`` are plain text.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from ..core.dates import show_day
from .db import translate
from .repository import Store

#: Put around each matching word in :attr:`SearchHit.snippet`.
MARK_START = "\x02"
MARK_END = "\x03"
#: Marks the places where the snippet leaves text out.
ELLIPSIS = "…"

#: The indexed columns, in order, with the name a hit gives the field it matched in.
FIELDS: tuple[tuple[str, str], ...] = (
    ("title", "title"),
    ("body", "details"),
    ("notes", "internal notes"),
    ("walk_away", "walk-away position"),
)
#: What the title column holds for each kind of record, the name a hit gives it.
TITLE_NAMES: dict[str, str] = {
    "account": "name",
    "contract": "title or reference",
    "person": "name",
    "interaction": "purpose",
    "goal": "statement",
    "evidence": "description",
    "concern": "description",
    "improvement": "title",
    "change": "description",
    "commitment": "description",
    "plan": "title",
}
#: Weights for bm25, one per column: a match in the title counts most.
_WEIGHTS = (10.0, 3.0, 1.0, 1.0)

#: How each kind of record is named for people.
KIND_NAMES: dict[str, str] = {
    "account": "Account",
    "contract": "Contract",
    "person": "Person",
    "interaction": "Interaction",
    "goal": "Goal",
    "evidence": "Evidence",
    "concern": "Concern",
    "improvement": "Improvement",
    "change": "Change",
    "commitment": "Commitment",
    "plan": "Plan",
    "session": "Coaching notes",
}


#: Kinds of record named by their date when they have no name of their own.
_DATED_KINDS = frozenset({"interaction", "change", "plan", "session"})
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class SearchHit:
    """One record that matches, best first."""

    kind: str
    record_id: str
    account_id: str
    account_name: str
    title: str
    #: Text around the match, each matching word between MARK_START and MARK_END.
    snippet: str
    #: Names of the fields that matched (see FIELDS and TITLE_NAMES), e.g. ("name", "details").
    fields: tuple[str, ...]
    #: bm25 rank: lower is better.
    rank: float
    #: The record's account is archived (out of the portfolio's lists).
    archived: bool = False

    @property
    def kind_name(self) -> str:
        return KIND_NAMES.get(self.kind, self.kind)

    @property
    def title_date(self) -> date | None:
        """The day a record without a name of its own is named by (an interaction, a change,
        an untitled plan, a coaching session), for showing in the readable form; None when
        the title is words."""
        if self.kind not in _DATED_KINDS or not _ISO_DAY.match(self.title):
            return None
        try:
            return date.fromisoformat(self.title)
        except ValueError:
            return None

    def shown_title(self, show: Callable[[date], str] = show_day) -> str:
        """The title as people read it: a date written by ``show`` ("7 Dec 2026"), not ISO."""
        day = self.title_date
        return show(day) if day is not None else self.title

    def marked_snippet(self, start: str = "[", end: str = "]") -> str:
        """The snippet with the matching words between ``start`` and ``end``."""
        return self.snippet.replace(MARK_START, start).replace(MARK_END, end)

    @property
    def plain_snippet(self) -> str:
        return self.marked_snippet("", "")

    @property
    def internal(self) -> bool:
        """True when the record matched only in internal fields."""
        return bool(self.fields) and all(
            name in ("internal notes", "walk-away position") for name in self.fields
        )


def match_expression(text: str) -> str:
    """The FTS5 query for what a person typed: every word a quoted prefix term, all required.

    Returns "" when the text holds nothing searchable (no letter or digit).
    """
    terms = []
    for word in text.split():
        if not any(ch.isalnum() for ch in word):
            continue
        terms.append('"' + word.replace('"', '""') + '"*')
    return " ".join(terms)


def search(store: Store, text: str, limit: int = 50) -> list[SearchHit]:
    """The records that match ``text``, best first, at most ``limit`` of them."""
    expression = match_expression(text)
    if not expression or limit <= 0:
        return []
    highlights = ", ".join(
        f"highlight(search_fts, {i}, char(2), char(3))" for i in range(len(FIELDS))
    )
    weights = ", ".join(str(w) for w in _WEIGHTS)
    sql = f"""
        SELECT d.kind, d.record_id, coalesce(d.account_id, ''), coalesce(a.name, ''), d.label,
               snippet(search_fts, -1, char(2), char(3), '{ELLIPSIS}', 12),
               bm25(search_fts, {weights}) AS rank, coalesce(a.archived, 0), {highlights}
        FROM search_fts
        JOIN search_docs AS d ON d.rowid = search_fts.rowid
        LEFT JOIN accounts AS a ON a.id = d.account_id
        WHERE search_fts MATCH ?
        ORDER BY rank, d.label
        LIMIT ?
    """
    try:
        rows = store.db.execute(sql, [expression, limit]).fetchall()
    except sqlite3.Error as exc:
        raise translate(exc, None) from exc
    hits = []
    for row in rows:
        kind, record_id, account_id, account_name, label, snippet, rank, archived = row[:8]
        fields = tuple(
            TITLE_NAMES.get(kind, name) if column == "title" else name
            for (column, name), marked in zip(FIELDS, row[8:], strict=True)
            if MARK_START in marked
        )
        hits.append(
            SearchHit(
                kind=kind,
                record_id=record_id,
                account_id=account_id,
                account_name=account_name,
                title=" ".join(label.split()),
                snippet=" ".join(snippet.split()),
                fields=fields,
                rank=rank,
                archived=bool(archived),
            )
        )
    return hits


def rebuild_index(store: Store) -> None:
    """Rebuild the full-text index from ``search_docs`` (after a damaged index, say)."""
    with store.atomic():
        store.db.execute("INSERT INTO search_fts(search_fts) VALUES ('rebuild')")
