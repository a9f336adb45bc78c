"""Typed, expected errors. Each carries a message a person can act on.

Anything that is not one of these is a bug and goes to the crash handler.
"""

from __future__ import annotations

from dataclasses import dataclass


class RenewalCoachError(Exception):
    """Base class for errors the app expects and explains to the user."""


@dataclass(frozen=True, slots=True)
class FieldProblem:
    """One thing wrong with one field: ``field`` is the attribute name, ``message`` plain words."""

    field: str
    message: str


class ValidationError(RenewalCoachError):
    """A write was refused because one or more fields are wrong.

    ``problems`` lists every field that failed, so a form can show each message next to its
    field. ``field`` and ``message`` are the first problem, for callers that show only one.
    """

    def __init__(self, problems: list[FieldProblem] | FieldProblem, entity: str = "") -> None:
        if isinstance(problems, FieldProblem):
            problems = [problems]
        if not problems:
            raise ValueError("ValidationError needs at least one problem")
        self.problems: list[FieldProblem] = list(problems)
        self.entity = entity
        super().__init__(self._compose())

    @property
    def field(self) -> str:
        return self.problems[0].field

    @property
    def message(self) -> str:
        return self.problems[0].message

    def for_field(self, field: str) -> str | None:
        """The message for ``field``, or None when that field is fine."""
        for problem in self.problems:
            if problem.field == field:
                return problem.message
        return None

    def _compose(self) -> str:
        prefix = f"{self.entity}: " if self.entity else ""
        return prefix + "; ".join(f"{p.field}: {p.message}" for p in self.problems)


class NotFoundError(RenewalCoachError):
    """A record that was asked for by id, name or reference does not exist."""
