"""Exporting a Word document for one contract: the entry point for the app and the CLI.

:func:`export_document` is plain, Qt-free long work (STYLE.md): the UI runs it on a worker
thread and passes a ``progress`` callback; the command line calls it directly. Expected
failures are typed errors with a message a person can act on: an unknown or ambiguous contract
reference, an unusable template, a file that cannot be written.
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from ..core import models as m
from ..core.errors import NotFoundError, RenewalCoachError
from ..core.text import plural, quote
from . import docx_common as dc

if TYPE_CHECKING:  # pragma: no cover
    from ..storage.repository import Store

ExportKind = Literal["proposal", "brief"]
#: The kinds of document :func:`export_document` writes.
KINDS: tuple[ExportKind, ...] = ("proposal", "brief")


class UnknownContractError(NotFoundError):
    """No contract has the reference or id that was given."""


class AmbiguousContractError(RenewalCoachError):
    """A reference matches contracts of several accounts; the id picks one."""


class ExportError(RenewalCoachError):
    """The document could not be written (folder missing, file open elsewhere, disk full)."""


@dataclass(frozen=True, slots=True)
class ExportReport:
    """What an export wrote, for the app to show and the CLI to print.

    ``sections`` are the top-level headings in order; ``omitted`` the sections left out because
    the records hold nothing for them; ``missing_styles`` the styles the chosen template lacked
    (they were given the default look); ``warnings`` anything to check before the document is
    used.
    """

    kind: ExportKind
    path: Path
    contract_id: str
    contract_reference: str
    account_name: str
    template: Path
    missing_styles: tuple[str, ...]
    sections: tuple[str, ...]
    omitted: tuple[str, ...]
    comments: int
    charts: int
    warnings: tuple[str, ...]
    seconds: float

    def summary(self) -> str:
        """A few lines for people: what was written where, and anything to check."""
        what = "Renewal proposal draft" if self.kind == "proposal" else "Coaching brief"
        lines = [
            f"{what} for {self.account_name} ({self.contract_reference}) written to {self.path}",
            plural(len(self.sections), "{n} section", "{n} sections")
            + ", "
            + plural(self.charts, "{n} chart", "{n} charts")
            + (
                ", " + plural(self.comments, "{n} comment", "{n} comments") + " for the bid team"
                if self.comments
                else ""
            )
            + f", in {self.seconds:.1f} s.",
        ]
        if self.omitted:
            lines.append("Left out (nothing recorded yet): " + "; ".join(self.omitted) + ".")
        if self.missing_styles:
            lines.append(
                f"The template {self.template.name} lacks these styles, so they use the default "
                "look: " + ", ".join(self.missing_styles) + "."
            )
        lines += [f"Check: {w}" for w in self.warnings]
        return "\n".join(lines)


def resolve_contract(store: Store, ref_or_id: str) -> m.Contract:
    """The contract whose reference (any case) or id is ``ref_or_id``.

    Raises :class:`UnknownContractError` when there is none, and
    :class:`AmbiguousContractError` when the reference is used by contracts of several
    accounts (references are unique within one account only).
    """
    text = dc.clean_line(ref_or_id)
    if not text:
        raise UnknownContractError("Give a contract reference or id.")
    found = store.contracts.find_by_reference(text)
    exact = [c for c in found if c.id == text]
    if exact:
        return exact[0]
    if not found:
        raise UnknownContractError(
            f"No contract has the reference or id '{dc.shorten(text, 80)}'. "
            "List contracts with 'renewal-coach renewals', or check the spelling."
        )
    if len(found) > 1:
        accounts = {a.id: a.name for a in store.accounts.all()}
        options = "; ".join(f"{accounts.get(c.account_id, '?')}: id {c.id}" for c in found)
        raise AmbiguousContractError(
            f"The reference '{quote(text)}' is used by {len(found)} contracts of different "
            f"accounts ({options}). Give the id of the one you mean."
        )
    return found[0]


def _docx_path(out_path: str | os.PathLike[str]) -> Path:
    path = Path(out_path).expanduser()
    if path.suffix.lower() != ".docx":
        path = path.with_name(path.name + ".docx")
    return path


def _save(document: Any, path: Path) -> None:
    """Save through the app's one file writer (:func:`renewal_coach.fileio.atomic_write`): a
    failure never leaves half a file, an existing document is replaced in one step, and the
    new file gets the user's normal permissions."""
    from ..fileio import FileWriteError, atomic_write

    try:
        with atomic_write(path) as stream:
            document.save(stream)
    except FileWriteError as exc:
        raise ExportError(str(exc)) from exc


def export_document(
    kind: ExportKind,
    store: Store,
    contract_ref_or_id: str,
    out_path: str | os.PathLike[str],
    today: date,
    template: str | os.PathLike[str] | None = None,
    progress: dc.Progress | None = None,
    *,
    scores: Mapping[str, Any] | Any | None = None,
    plan_id: str | None = None,
    author: str = "",
) -> ExportReport:
    """Write a renewal proposal draft or a coaching brief for one contract to ``out_path``.

    ``kind`` is ``"proposal"`` (customer-facing, no internal data) or ``"brief"`` (internal).
    ``contract_ref_or_id`` is the contract's reference or id. ``out_path`` gets ``.docx``
    appended when it has another suffix; an existing file is replaced. ``template`` is a
    company .docx/.dotx (default: the bundled one). ``progress(step, total, what)`` is called
    as the work advances. ``scores`` (brief only) plugs in scores computed elsewhere; see
    :class:`renewal_coach.export.brief.BriefScores`. ``plan_id`` (brief only) chooses the
    conversation plan the brief presents; without it, the latest plan for the contract.
    ``author`` is the person exporting (:func:`renewal_coach.user.user_name`), recorded as the
    document's author; without it, the account owner.

    Raises :class:`UnknownContractError`, :class:`AmbiguousContractError`,
    :class:`~renewal_coach.export.docx_common.TemplateError` or :class:`ExportError`, each with
    a message for people; ``ValueError`` for an unknown ``kind``.
    """
    if kind not in KINDS:
        raise ValueError(f"Unknown export '{kind}': choose one of {', '.join(KINDS)}")
    started = time.perf_counter()
    contract = resolve_contract(store, contract_ref_or_id)
    path = _docx_path(out_path)
    if kind == "proposal":
        from .proposal import build_proposal

        built = build_proposal(
            store, contract.id, today, template=template, progress=progress, author=author
        )
    else:
        from .brief import build_brief

        if scores is None:
            scores = brief_scores(store, contract.id, today)
        built = build_brief(
            store,
            contract.id,
            today,
            scores=scores,
            template=template,
            progress=progress,
            plan_id=plan_id,
            author=author,
        )
    _save(built.document, path)
    account = store.accounts.get(contract.account_id)
    return ExportReport(
        kind=kind,
        path=path,
        contract_id=contract.id,
        contract_reference=contract.reference,
        account_name=account.name,
        template=built.template,
        missing_styles=tuple(built.missing_styles),
        sections=tuple(built.sections),
        omitted=tuple(built.omitted),
        comments=built.comments,
        charts=built.charts,
        warnings=tuple(built.warnings),
        seconds=time.perf_counter() - started,
    )


def suggested_file_name(kind: ExportKind, account_name: str, reference: str, today: date) -> str:
    """A file name for the save dialog: ``Calderbrook Logistics plc - CLB-FM-2021 - renewal
    proposal draft 2026-03-15.docx``, without characters file systems refuse."""
    what = "renewal proposal draft" if kind == "proposal" else "coaching brief (internal)"
    raw = f"{account_name} - {reference} - {what} {today.isoformat()}"
    safe = "".join("_" if c in '<>:"/\\|?*' or ord(c) < 32 else c for c in dc.clean_line(raw))
    return safe.strip(" .")[:150] + ".docx"


def brief_scores(store: Store, contract_id: str, today: date) -> dict[str, Any]:
    """The scores the coaching brief shows for one contract, from the scoring engine."""
    from ..storage.scores import account_scores, load_settings, portfolio_scores
    from .chart_data import timeline_milestones, virtual_line_points

    settings = load_settings(store)
    contract = store.contracts.get(contract_id)
    mine = account_scores(store, contract.account_id, today, settings)
    row = next((c for c in mine.contracts if c.contract.id == contract_id), None)
    seg = mine.segment
    note = dict(seg.details).get("Why", "")
    return {
        "segment": seg.extra.get("calculated"),
        "segment_note": f"{note} Settings version {seg.settings_version}.".strip(),
        "contribution_minor": seg.extra.get("contribution_minor"),
        "risk": row.risk if row is not None else None,
        "engagement": mine.engagement,
        "milestones": timeline_milestones(row.campaign) if row is not None else (),
        "portfolio": virtual_line_points(portfolio_scores(store, today, settings)),
    }
