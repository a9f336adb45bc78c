"""The shared text helpers: counted nouns and dates for display."""

from __future__ import annotations

from datetime import UTC, date, datetime
from types import SimpleNamespace

from PySide6.QtCore import QLocale

from renewal_coach.ui.coaching.capture_dialog import capture_summary
from renewal_coach.ui.text import plural, show_date, show_datetime


def test_plural_picks_the_form_by_the_number_and_fills_it_in() -> None:
    assert plural(1, "{n} warning", "{n} warnings") == "1 warning"
    assert plural(0, "{n} warning", "{n} warnings") == "0 warnings"
    assert plural(2, "{n} warning", "{n} warnings") == "2 warnings"
    assert plural(1, "one more", "{n} more") == "one more"


def test_plural_groups_digits_as_the_locale_does() -> None:
    previous = QLocale()
    QLocale.setDefault(QLocale("en_GB"))
    try:
        assert plural(12345, "{n} row", "{n} rows") == "12,345 rows"
    finally:
        QLocale.setDefault(previous)


def test_show_date_is_one_readable_form_and_empty_for_no_date() -> None:
    assert show_date(date(2028, 1, 7)) == "7 Jan 2028"
    assert show_date(datetime(2028, 1, 7, 23, 0)) == "7 Jan 2028"
    assert show_date(None) == ""
    assert show_date(None, "not set") == "not set"
    local = datetime(2028, 1, 7, 9, 5, tzinfo=UTC).astimezone()
    assert show_datetime(local) == f"{show_date(local)} {local:%H:%M}"


def test_capture_summary_says_one_of_a_thing_without_a_bracketed_s() -> None:
    nothing = SimpleNamespace(added=[], updated=[])
    assert capture_summary(nothing, answers=1) == "Recorded: 1 answer."  # type: ignore[arg-type]
    assert capture_summary(nothing, answers=3) == "Recorded: 3 answers."  # type: ignore[arg-type]


def test_a_score_card_with_one_warning_says_one_warning(qtbot) -> None:
    from renewal_coach.core.scoring.result import Flag, ScoreResult
    from renewal_coach.ui.pages.account.account_page import ScoreCard

    card = ScoreCard("Risk")
    qtbot.addWidget(card)
    flag = Flag("noise", "Noise", "Many contacts without value")
    result = ScoreResult("risk", 40.0, "medium", "Medium", flags=(flag,))
    card.show_result(result, "40", "")
    assert "1 warning" in card.detail.text() and "(s)" not in card.detail.text()
    card.show_result(ScoreResult("risk", 40.0, "medium", "Medium", flags=(flag, flag)), "40", "")
    assert "2 warnings" in card.detail.text()


def _wrapped_lines(text: str, width: int) -> list[str]:
    from PySide6.QtGui import QFont, QTextLayout

    layout = QTextLayout(text, QFont())
    layout.beginLayout()
    lines = []
    while True:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(width)
        lines.append(text[line.textStart() : line.textStart() + line.textLength()])
    layout.endLayout()
    return lines


def test_keep_phrases_wraps_only_between_phrases(qapp) -> None:
    from renewal_coach.ui.text import keep_phrases

    phrases = ["← → sections", "1–9 jump", "N note", "P prep cards", "Ctrl +/− text size"]
    plain = " · ".join(phrases)
    kept = keep_phrases(plain)
    normal = {p.replace("\u00a0", " ").replace("\u2060", "") for p in phrases}
    broke_inside = False
    for width in range(40, 400, 7):
        for line in _wrapped_lines(kept, width):
            pieces = [p.strip() for p in line.replace("\u2060", "").split("·")]
            assert all(p.replace("\u00a0", " ") in normal for p in pieces if p), (width, line)
        broke_inside |= any(
            p.strip() and p.strip() not in normal
            for line in _wrapped_lines(plain, width)
            for p in line.split("·")
        )
    assert broke_inside  # the plain text does break mid-phrase at some of these widths
