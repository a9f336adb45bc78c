"""Playbooks: one TOML file per kind of meeting, with its sections, minutes and question prompts.

The built-in playbooks live in ``resources/playbooks/``. A person can drop their own files into
the ``playbooks`` folder of their data folder: a file whose ``id`` matches a built-in one
replaces it, any other ``id`` adds a new playbook. A broken file is reported with its name, the
line and the problem, and every other playbook still loads.

File layout (all keys but ``questions`` entries' ``roles``/``modes``/``survey`` are required)::

    format = 1
    id = "discovery"
    meeting_type = "discovery"        # one of MeetingType: decides which guardrails apply
    title = "Discovery of future goals"
    summary = "What this meeting is for."

    [[sections]]
    code = "future_goals"             # one of SECTION_CODES
    minutes = 20
    guidance = "What good looks like in this part of the meeting."

      [[sections.questions]]
      text = "Where do you need to be in three years?"
      roles = ["economic_buyer"]      # optional: only for attendees in these buying roles
      modes = ["growth"]              # optional: only for attendees in these response modes
      survey = false                  # optional: true when the question asks for a rating
"""

from __future__ import annotations

import re
import threading
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .enums import BuyingRole, MeetingType, ResponseMode
from .text import quote

#: The only layout this version reads.
PLAYBOOK_FORMAT = 1

#: Section codes in the order a conversation runs (DOMAIN.md section 5), plus ``price``.
SECTION_CODES: tuple[str, ...] = (
    "permission",
    "changes",
    "future_goals",
    "value",
    "gaps",
    "ideas",
    "decision",
    "engagement",
    "price",
    "commitments",
)

#: Sections about the customer's future: together at least half of the minutes.
FUTURE_SECTIONS = frozenset({"future_goals", "ideas"})

#: Default heading of each section.
SECTION_TITLES: dict[str, str] = {
    "permission": "Permission and agenda",
    "changes": "What has changed for them",
    "future_goals": "Their future goals",
    "value": "Value so far, in their terms",
    "gaps": "Candid gaps",
    "ideas": "Ideas for their future",
    "decision": "How the decision will be made",
    "engagement": "How they want to work with us",
    "price": "Commercial terms",
    "commitments": "Commitments on both sides",
}

MAX_MINUTES = 240
MAX_TEXT = 1000
#: Largest playbook file read: the built-in ones are a few kilobytes.
MAX_FILE_BYTES = 512 * 1024


class PlaybookError(ValueError):
    """A playbook file that cannot be used; ``str()`` names the file, the line and the problem."""

    def __init__(self, path: Path, line: int | None, problem: str) -> None:
        self.path = path
        self.line = line
        self.problem = problem
        where = f"{path.name}, line {line}" if line else path.name
        super().__init__(f"{where}: {problem}")


@dataclass(frozen=True, slots=True)
class Question:
    """A prompt, optionally only for attendees in certain buying roles or response modes."""

    text: str
    roles: tuple[BuyingRole, ...] = ()
    modes: tuple[ResponseMode, ...] = ()
    survey: bool = False

    def applies_to(self, people: Iterable[tuple[BuyingRole, ResponseMode]]) -> bool:
        """True when the question is general, or fits at least one attendee."""
        if not self.roles and not self.modes:
            return True
        for role, mode in people:
            if (not self.roles or role in self.roles) and (not self.modes or mode in self.modes):
                return True
        return False

    @property
    def audience(self) -> str:
        """Who the question is for, in words ("" when it is for everyone)."""
        parts = [r.label for r in self.roles] + [m.label for m in self.modes]
        return ", ".join(parts)


@dataclass(frozen=True, slots=True)
class Section:
    """One part of the meeting: what it is for, how long, what to ask."""

    code: str
    title: str
    minutes: int
    guidance: str
    questions: tuple[Question, ...] = ()


@dataclass(frozen=True, slots=True)
class Playbook:
    """A meeting type's script, read from one file."""

    id: str
    meeting_type: MeetingType
    title: str
    summary: str
    sections: tuple[Section, ...]
    source: Path
    built_in: bool = True

    @property
    def total_minutes(self) -> int:
        return sum(s.minutes for s in self.sections)


@dataclass(slots=True)
class PlaybookLibrary:
    """The playbooks that loaded, by id, and the problems with those that did not."""

    playbooks: dict[str, Playbook] = field(default_factory=dict)
    problems: list[PlaybookError] = field(default_factory=list)

    def get(self, playbook_id: str) -> Playbook | None:
        return self.playbooks.get(playbook_id)

    def for_meeting(self, meeting_type: MeetingType) -> list[Playbook]:
        """Every playbook for a meeting type, built-in first."""
        found = [p for p in self.playbooks.values() if p.meeting_type is meeting_type]
        return sorted(found, key=lambda p: (not p.built_in, p.title.lower()))

    def ordered(self) -> list[Playbook]:
        """All playbooks in meeting-type order, then by title."""
        order = {m: i for i, m in enumerate(MeetingType)}
        return sorted(
            self.playbooks.values(),
            key=lambda p: (order[p.meeting_type], not p.built_in, p.title.lower()),
        )


def builtin_playbook_dir() -> Path:
    """Where the bundled playbooks are."""
    from ..paths import resource_path

    return resource_path("resources", "playbooks")


def load_library(builtin_dir: Path | None = None, user_dir: Path | None = None) -> PlaybookLibrary:
    """Load the built-in playbooks, then the user's (which replace built-ins with the same id).

    ``user_dir`` defaults to nothing; the app passes :func:`renewal_coach.paths.user_playbook_dir`.
    Never raises for a bad file: each problem is recorded and the other files still load. Each
    file is parsed once and the result kept until its modification time or size changes, so
    opening the new-plan dialog again does not read every playbook again.
    """
    library = PlaybookLibrary()
    for folder, built_in in ((builtin_dir or builtin_playbook_dir(), True), (user_dir, False)):
        if folder is None or not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.toml")):
            result = _CACHE.load(path, built_in)
            if isinstance(result, PlaybookError):
                library.problems.append(result)
            else:
                library.playbooks[result.id] = result
    return library


class _FileCache:
    """Parsed playbooks (or their errors) by file, valid while mtime and size are unchanged."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: dict[
            tuple[Path, bool], tuple[tuple[int, int], Playbook | PlaybookError]
        ] = {}
        self.parses = 0  # how many files were actually read and parsed (for tests)

    def load(self, path: Path, built_in: bool) -> Playbook | PlaybookError:
        try:
            info = path.stat()
        except OSError as exc:
            return PlaybookError(path, None, f"cannot be read ({exc.strerror or exc})")
        stamp = (info.st_mtime_ns, info.st_size)
        key = (path.resolve(), built_in)
        with self._lock:
            cached = self._entries.get(key)
        if cached is not None and cached[0] == stamp:
            return cached[1]
        try:
            result: Playbook | PlaybookError = load_playbook(path, built_in=built_in)
        except PlaybookError as err:
            result = err
        with self._lock:
            self.parses += 1
            self._entries[key] = (stamp, result)
        return result

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


_CACHE = _FileCache()


def load_playbook(path: Path, *, built_in: bool = True) -> Playbook:
    """Read and check one playbook file; raises PlaybookError saying where and what is wrong."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise PlaybookError(
                path,
                None,
                f"the file is {size / 1024:,.0f} KB; a playbook may be at most "
                f"{MAX_FILE_BYTES // 1024} KB",
            )
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise PlaybookError(path, None, "the file is not UTF-8 text") from None
    except OSError as exc:
        raise PlaybookError(path, None, f"cannot be read ({exc.strerror or exc})") from None
    return parse_playbook(text, path, built_in=built_in)


_LINE_COL = re.compile(r"\(at line (\d+), column \d+\)")


def parse_playbook(text: str, path: Path, *, built_in: bool = True) -> Playbook:
    """Parse playbook TOML ``text`` (``path`` only names it in messages)."""
    if len(text) > MAX_FILE_BYTES:
        raise PlaybookError(
            path,
            None,
            f"the text is too long for a playbook (at most {MAX_FILE_BYTES:,} characters)",
        )
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        match = _LINE_COL.search(message)
        line = int(match.group(1)) if match else None
        problem = _LINE_COL.sub("", message).strip().rstrip(".")
        raise PlaybookError(path, line, f"not valid TOML: {quote(problem, 200)}") from None
    except RecursionError:
        # tomllib reads nested arrays and tables recursively: [[[[... deep enough overflows.
        raise PlaybookError(
            path, None, "not valid TOML: lists or tables are nested far too deeply"
        ) from None
    try:
        return _Checker(text, path).playbook(data, built_in)
    except RecursionError:  # a value nested just below tomllib's limit, shown in a message
        raise PlaybookError(path, None, "values are nested far too deeply") from None


class _Checker:
    """Turns parsed TOML into a Playbook, finding the line of each problem in the source."""

    def __init__(self, text: str, path: Path) -> None:
        self.lines = text.splitlines()
        self.path = path

    def fail(self, problem: str, *, key: str | None = None, section: int | None = None) -> None:
        raise PlaybookError(self.path, self._line_of(key, section), problem)

    def _line_of(self, key: str | None, section: int | None) -> int | None:
        start = 0
        if section is not None:
            seen = -1
            for number, line in enumerate(self.lines):
                if line.strip() == "[[sections]]":
                    seen += 1
                    if seen == section:
                        start = number
                        break
            else:
                return None
        if key is None:
            return start + 1 if section is not None else None
        pattern = re.compile(rf"^\s*{re.escape(key)}\s*=")
        for number in range(start, len(self.lines)):
            if (
                section is not None
                and number > start
                and self.lines[number].strip() == ("[[sections]]")
            ):
                break
            if pattern.match(self.lines[number]):
                return number + 1
        return start + 1 if section is not None else None

    def _text(
        self, data: dict[str, Any], key: str, *, section: int | None = None, required: bool = True
    ) -> str:
        value = data.get(key, "")
        if not isinstance(value, str):
            self.fail(f"'{key}' must be text in quotes", key=key, section=section)
        value = " ".join(value.split())
        if required and not value:
            self.fail(f"'{key}' is missing or empty", key=key, section=section)
        if len(value) > MAX_TEXT:
            self.fail(f"'{key}' is longer than {MAX_TEXT} characters", key=key, section=section)
        return value

    def playbook(self, data: dict[str, Any], built_in: bool) -> Playbook:
        fmt = data.get("format")
        if fmt != PLAYBOOK_FORMAT:
            self.fail(
                f"'format' must be {PLAYBOOK_FORMAT} (this file says "
                f"{quote(fmt, literal=True)}); it may have been written for another version of "
                "Renewal Coach",
                key="format",
            )
        playbook_id = self._text(data, "id")
        if not re.fullmatch(r"[a-z0-9][a-z0-9_-]{0,63}", playbook_id):
            self.fail(
                "'id' may only use lower-case letters, digits, '-' and '_' (up to 64)", key="id"
            )
        try:
            meeting_type = MeetingType.parse(data.get("meeting_type", ""))
        except ValueError as exc:
            self.fail(f"'meeting_type': {exc}", key="meeting_type")
        raw_sections = data.get("sections")
        if not isinstance(raw_sections, list) or not raw_sections:
            self.fail("there are no [[sections]]: a playbook needs at least one", key="sections")
        sections = [self.section(s, i) for i, s in enumerate(raw_sections)]
        codes = [s.code for s in sections]
        for code in set(codes):
            if codes.count(code) > 1:
                index = len(codes) - 1 - codes[::-1].index(code)
                self.fail(
                    f"section '{quote(code)}' appears more than once", key="code", section=index
                )
        return Playbook(
            id=playbook_id,
            meeting_type=meeting_type,
            title=self._text(data, "title"),
            summary=self._text(data, "summary", required=False),
            sections=tuple(sections),
            source=self.path,
            built_in=built_in,
        )

    def section(self, data: Any, index: int) -> Section:
        if not isinstance(data, dict):
            self.fail("each [[sections]] entry must be a table", section=index)
        code = self._text(data, "code", section=index)
        if code not in SECTION_CODES:
            self.fail(
                f"unknown section code '{quote(code)}'; use one of: {', '.join(SECTION_CODES)}",
                key="code",
                section=index,
            )
        minutes = data.get("minutes")
        if isinstance(minutes, bool) or not isinstance(minutes, int):
            self.fail("'minutes' must be a whole number", key="minutes", section=index)
        if not 0 <= minutes <= MAX_MINUTES:
            self.fail(
                f"'minutes' must be between 0 and {MAX_MINUTES}", key="minutes", section=index
            )
        raw_questions = data.get("questions", [])
        if not isinstance(raw_questions, list):
            self.fail("'questions' must be a list of [[sections.questions]]", section=index)
        questions = [self.question(q, index) for q in raw_questions]
        title = self._text(data, "title", section=index, required=False)
        return Section(
            code=code,
            title=title or SECTION_TITLES[code],
            minutes=minutes,
            guidance=self._text(data, "guidance", section=index, required=False),
            questions=tuple(questions),
        )

    def question(self, data: Any, index: int) -> Question:
        if not isinstance(data, dict):
            self.fail("each question must be a table with a 'text'", section=index)
        text = self._text(data, "text", section=index)
        roles = self._members(data, "roles", BuyingRole, index)
        modes = self._members(data, "modes", ResponseMode, index)
        survey = data.get("survey", False)
        if not isinstance(survey, bool):
            self.fail("'survey' must be true or false", key="survey", section=index)
        return Question(text=text, roles=roles, modes=modes, survey=survey)

    def _members(self, data: dict[str, Any], key: str, enum: Any, index: int) -> tuple[Any, ...]:
        raw = data.get(key, [])
        if not isinstance(raw, list):
            self.fail(f'\'{key}\' must be a list like ["a", "b"]', key=key, section=index)
        out = []
        for value in raw:
            try:
                out.append(enum.parse(value))
            except ValueError as exc:
                self.fail(f"'{key}': {exc}", key=key, section=index)
        return tuple(out)


def tailored_questions(
    section: Section, people: Sequence[tuple[BuyingRole, ResponseMode]]
) -> list[Question]:
    """The section's questions that fit these attendees (general ones always do)."""
    return [q for q in section.questions if q.applies_to(people)]
