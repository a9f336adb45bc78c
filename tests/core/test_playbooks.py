"""Playbook files: the built-in set, user overrides, and messages for broken files."""

from __future__ import annotations

from pathlib import Path

import pytest

from renewal_coach.core.enums import BuyingRole, MeetingType, ResponseMode
from renewal_coach.core.playbooks import (
    FUTURE_SECTIONS,
    SECTION_CODES,
    PlaybookError,
    load_library,
    load_playbook,
    tailored_questions,
)

GOOD = """\
format = 1
id = "quick-check"
meeting_type = "value_review"
title = "Quick check-in"
summary = "A short one."

[[sections]]
code = "future_goals"
minutes = 10
guidance = "Their goals."

  [[sections.questions]]
  text = "Where are you heading?"

  [[sections.questions]]
  text = "Is anything in your way that we caused?"
  modes = ["trouble"]

[[sections]]
code = "commitments"
minutes = 5
"""


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_every_meeting_type_has_a_builtin_playbook_that_puts_the_future_first() -> None:
    library = load_library()
    assert library.problems == []
    for meeting_type in MeetingType:
        books = library.for_meeting(meeting_type)
        assert books, f"no playbook for {meeting_type}"
        book = books[0]
        future = sum(s.minutes for s in book.sections if s.code in FUTURE_SECTIONS)
        # The built-in scripts pass the "half the time on their future" guardrail as shipped.
        assert future * 2 >= book.total_minutes, book.id
        assert all(s.code in SECTION_CODES for s in book.sections)
        assert all(s.questions for s in book.sections), book.id


def test_only_the_negotiation_playbook_talks_price() -> None:
    library = load_library()
    with_price = {
        p.meeting_type for p in library.ordered() if any(s.code == "price" for s in p.sections)
    }
    assert with_price == {MeetingType.NEGOTIATION}


def test_a_user_file_adds_a_playbook_and_one_with_a_builtin_id_replaces_it(tmp_path: Path) -> None:
    user = tmp_path / "playbooks"
    write(user, "quick.toml", GOOD)
    write(user, "mine.toml", GOOD.replace('id = "quick-check"', 'id = "discovery"'))
    library = load_library(user_dir=user)
    assert library.problems == []
    assert library.get("quick-check").built_in is False
    replaced = library.get("discovery")
    assert replaced.title == "Quick check-in" and replaced.built_in is False
    assert library.get("negotiation").built_in is True


def test_a_broken_file_is_reported_by_name_and_line_and_the_others_still_load(
    tmp_path: Path,
) -> None:
    user = tmp_path / "playbooks"
    write(user, "good.toml", GOOD)
    write(user, "broken.toml", GOOD.replace("minutes = 5\n", 'minutes = "five"\n'))
    write(user, "syntax.toml", 'format = 1\nid = "x"\ntitle = "unterminated\n')
    library = load_library(user_dir=user)
    assert library.get("quick-check") is not None
    assert len(library.playbooks) == 7  # six built-in plus the good one
    messages = sorted(str(p) for p in library.problems)
    assert messages[0] == "broken.toml, line 21: 'minutes' must be a whole number"
    assert messages[1].startswith("syntax.toml, line 3: not valid TOML")


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("format = 1", "format = 2"), "line 1: 'format' must be 1"),
        (('meeting_type = "value_review"', 'meeting_type = "lunch"'), "line 3: 'meeting_type'"),
        (('code = "commitments"', 'code = "smalltalk"'), "line 20: unknown section code"),
        (('code = "commitments"', 'code = "future_goals"'), "line 20: section 'future_goals'"),
        (('modes = ["trouble"]', 'modes = ["angry"]'), "line 17: 'modes': 'angry' is not one"),
        (('title = "Quick check-in"', 'title = ""'), "line 4: 'title' is missing or empty"),
        (('id = "quick-check"', 'id = "Quick Check"'), "line 2: 'id' may only use"),
        (("minutes = 10", "minutes = 999"), "line 9: 'minutes' must be between 0 and 240"),
    ],
)
def test_each_kind_of_mistake_names_its_line(
    tmp_path: Path, change: tuple[str, str], expected: str
) -> None:
    path = write(tmp_path, "bad.toml", GOOD.replace(*change))
    with pytest.raises(PlaybookError) as caught:
        load_playbook(path)
    assert str(caught.value).startswith("bad.toml, ")
    assert expected in str(caught.value)


def test_a_file_that_is_not_utf8_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "latin.toml"
    path.write_bytes(GOOD.replace("Quick", "Qu\xefck").encode("latin-1"))
    with pytest.raises(PlaybookError, match=r"latin\.toml: the file is not UTF-8 text"):
        load_playbook(path)


def test_questions_are_tailored_to_the_attendees_roles_and_modes() -> None:
    discovery = load_library().get("discovery")
    goals = next(s for s in discovery.sections if s.code == "future_goals")
    general = [q for q in goals.questions if not q.roles and not q.modes]
    trouble_user = tailored_questions(goals, [(BuyingRole.USER, ResponseMode.TROUBLE)])
    texts = [q.text for q in trouble_user]
    assert all(q in trouble_user for q in general)
    assert any("down to us" in t for t in texts)  # Trouble: ask whether we are the cause
    assert not any("board" in t for t in texts)  # economic-buyer question left out
    buyer = tailored_questions(goals, [(BuyingRole.ECONOMIC_BUYER, ResponseMode.EVEN_KEEL)])
    assert any("board" in q.text for q in buyer)
    assert any("even better" in q.text for q in buyer)  # Even keel: watch for complacency


@pytest.mark.parametrize(
    "body",
    [
        "format = 1\nx = " + "[" * 100_000 + "]" * 100_000 + "\n",
        "format = 1\nx = " + "{a=" * 100_000 + "1" + "}" * 100_000 + "\n",
        "format = 1\n" + "[" * 100_000 + "\n",
    ],
    ids=["arrays", "inline-tables", "unclosed"],
)
def test_a_playbook_nested_100000_deep_is_reported_like_any_broken_file(
    tmp_path: Path, body: str
) -> None:
    user = tmp_path / "playbooks"
    write(user, "deep.toml", body)
    write(user, "good.toml", GOOD)
    library = load_library(user_dir=user)
    assert library.get("quick-check") is not None
    [problem] = library.problems
    assert str(problem).startswith("deep.toml")
    assert "not valid TOML" in str(problem)
    assert len(str(problem)) < 300


def test_a_value_nested_just_below_the_parsers_limit_is_quoted_briefly(tmp_path: Path) -> None:
    deep = "[" * 400 + '"x"' + "]" * 400
    path = write(tmp_path, "nested.toml", GOOD.replace('modes = ["trouble"]', f"modes = {deep}"))
    with pytest.raises(PlaybookError, match="line 17: 'modes': ") as caught:
        load_playbook(path)
    assert len(str(caught.value)) < 300


def test_a_huge_playbook_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    path = write(tmp_path, "huge.toml", GOOD + "# " + "x" * 2_000_000 + "\n")
    with pytest.raises(PlaybookError, match=r"huge\.toml: the file is .* KB; a playbook may be"):
        load_playbook(path)


def test_the_library_parses_each_file_once_until_it_changes(tmp_path: Path) -> None:
    import os

    from renewal_coach.core import playbooks

    user = tmp_path / "playbooks"
    path = write(user, "quick.toml", GOOD)
    playbooks._CACHE.clear()
    before = playbooks._CACHE.parses
    first = load_library(user_dir=user)
    parsed = playbooks._CACHE.parses
    assert parsed - before == len(first.playbooks)  # every built-in file plus the user's
    again = load_library(user_dir=user)
    assert playbooks._CACHE.parses == parsed
    assert again.get("quick-check") is first.get("quick-check")
    assert again.playbooks is not first.playbooks  # each caller gets its own library

    # Same size, new time: read again. New size, same time: read again too.
    path.write_text(GOOD.replace("Quick check-in", "Quick check-up"), encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    assert load_library(user_dir=user).get("quick-check").title == "Quick check-up"
    assert playbooks._CACHE.parses == parsed + 1
    mtime = path.stat().st_mtime_ns
    path.write_text(GOOD.replace("minutes = 5", "minutes = 15"), encoding="utf-8")
    os.utime(path, ns=(mtime, mtime))
    changed = load_library(user_dir=user).get("quick-check")
    assert changed.sections[-1].minutes == 15
    assert playbooks._CACHE.parses == parsed + 2

    # A file that breaks is reported from then on, and a fixed one loads again.
    path.write_text(GOOD + "oops =\n", encoding="utf-8")
    os.utime(path, ns=(mtime + 5 * 10**9, mtime + 5 * 10**9))
    broken = load_library(user_dir=user)
    assert broken.get("quick-check") is None and len(broken.problems) == 1
    assert len(load_library(user_dir=user).problems) == 1
    assert playbooks._CACHE.parses == parsed + 3
