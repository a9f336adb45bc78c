"""The live result beside the questions: what the answers so far add up to.

The headline score and its band, the gauges, the stage gate and what holds it back
(maturity), fear against complacency (posture), readiness against what the contract's
campaign phase expects, the breakdown and the advice, all worked out by the core.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QLabel, QVBoxLayout, QWidget

from ...core import questionnaires as q
from ...core.enums import AssessmentKind
from ...core.scoring.assessments import POSTURE_THRESHOLD, STAGE_QUORUM
from ...core.scoring.timeline import PHASES
from ..theme import tone
from .charts import _Gauge
from .labels import (
    _READINESS_SYMBOLS,
    BAND_MARKS,
    GOOD,
    INFO,
    WARN,
    _ctr,
    _esc,
    _faint_colour,
    _heading,
    _hundredths_text,
    _tr,
    _wrapped,
)
from .questions import _level_title


class _ResultPanel(QWidget):
    """What the answers so far add up to: headline, gauges, the gate or phase, breakdown, advice.

    Everything is drawn from the result as JSON, so a live result and a stored one look alike.
    """

    def __init__(self, kind: AssessmentKind, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = kind
        self.headline = QLabel()
        self.headline.setObjectName("resultHeadline")
        self.headline.setWordWrap(True)
        self.headline.setTextFormat(Qt.TextFormat.RichText)
        font = self.headline.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.headline.setFont(font)
        self.headline.setAccessibleName(self.tr("Result"))
        self.score_line = _wrapped()
        self.score_line.setAccessibleName(self.tr("Score"))

        self.gauges: dict[str, tuple[_Gauge, QLabel]] = {}
        gauge_grid = QGridLayout()
        gauge_grid.setHorizontalSpacing(8)
        gauge_grid.setVerticalSpacing(4)
        gauge_grid.setColumnStretch(1, 1)
        for row, (key, name, low, high) in enumerate(self._gauge_specs()):
            gauge = _Gauge(low, high)
            gauge.setAccessibleName(name)
            value = QLabel()
            value.setMinimumWidth(self.fontMetrics().horizontalAdvance("100.0 / 100") + 4)
            gauge_grid.addWidget(QLabel(name), row, 0)
            gauge_grid.addWidget(gauge, row, 1)
            gauge_grid.addWidget(value, row, 2)
            self.gauges[key] = (gauge, value)

        self.summary_heading = _heading(self._summary_title())
        self.summary = _wrapped(rich=True)
        self.summary.setObjectName("resultSummary")
        self.summary.setAccessibleName(self._summary_title())
        self.breakdown_heading = _heading(self._breakdown_title())
        self.breakdown = _wrapped(rich=True)
        self.breakdown.setObjectName("resultBreakdown")
        self.breakdown.setAccessibleName(self._breakdown_title())
        self.advice_heading = _heading(self.tr("What to do next"))
        self.advice = _wrapped(rich=True)
        self.advice.setObjectName("resultAdvice")
        self.advice.setAccessibleName(self.tr("What to do next"))

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 12)
        layout.setSpacing(6)
        layout.addWidget(self.headline)
        layout.addWidget(self.score_line)
        layout.addLayout(gauge_grid)
        layout.addSpacing(6)
        layout.addWidget(self.summary_heading)
        layout.addWidget(self.summary)
        layout.addSpacing(6)
        layout.addWidget(self.breakdown_heading)
        layout.addWidget(self.breakdown)
        layout.addSpacing(6)
        layout.addWidget(self.advice_heading)
        layout.addWidget(self.advice)
        layout.addStretch(1)

    def _gauge_specs(self) -> list[tuple[str, str, float, float]]:
        if self.kind is AssessmentKind.MATURITY:
            return [("index", self.tr("Index"), 1.0, 4.0)]
        if self.kind is AssessmentKind.POSTURE:
            return [
                ("fear", self.tr("Fear"), 0.0, 1.0),
                ("complacency", self.tr("Complacency"), 0.0, 1.0),
            ]
        return [("readiness", self.tr("Readiness"), 0.0, 100.0)]

    def _summary_title(self) -> str:
        return {
            AssessmentKind.MATURITY: self.tr("Stage gate"),
            AssessmentKind.POSTURE: self.tr("Conviction, fear or complacency"),
            AssessmentKind.READINESS: self.tr("Against the campaign phase"),
        }[self.kind]

    def _breakdown_title(self) -> str:
        return {
            AssessmentKind.MATURITY: self.tr("Dimensions"),
            AssessmentKind.POSTURE: self.tr("Items"),
            AssessmentKind.READINESS: self.tr("Checks"),
        }[self.kind]

    # ---- showing a result -----------------------------------------------------------------

    def show_result(
        self, result: Mapping[str, Any], answers: Mapping[str, Any], *, context: str = ""
    ) -> None:
        """Show ``result`` (a ScoreResult as JSON) for ``answers``; ``context`` names the
        contract and phase a readiness check was measured against."""
        band = str(result.get("band", ""))
        symbol, colour = BAND_MARKS.get(band, ("", ""))
        text = _esc(_ctr(str(result.get("band_label", ""))))
        if self.kind is AssessmentKind.READINESS and not answers:
            # "Behind: 0" before the first answer would be a verdict on nothing
            symbol, colour, text = BAND_MARKS["unknown"][0], "", _esc(self.tr("Not answered yet"))
        mark = f"{symbol} " if symbol else ""
        self.headline.setText(
            f"<span style='color:{tone(colour)}'>{mark}{text}</span>" if colour else mark + text
        )
        extra = result.get("extra") or {}
        score = result.get("score")
        score = float(score) if isinstance(score, int | float) else None
        if self.kind is AssessmentKind.MATURITY:
            self._show_maturity(result, answers, extra, score)
        elif self.kind is AssessmentKind.POSTURE:
            self._show_posture(result, answers, extra, score)
        else:
            self._show_readiness(result, answers, extra, score, context)
        advice = [str(a) for a in result.get("advice") or ()]
        self.advice.setText(
            "<ul style='margin-left:-20px'>"
            + "".join(f"<li>{_esc(_ctr(a))}</li>" for a in advice)
            + "</ul>"
            if advice
            else _esc(
                self.tr("Answer the questions to see what to do next.")
                if not answers
                else self.tr("Nothing to add for now.")
            )
        )

    def _faint(self, text: str) -> str:
        return f"<span style='color:{_faint_colour(self.palette()).name()}'>{_esc(text)}</span>"

    @staticmethod
    def _table(rows: Sequence[tuple[str, str]]) -> str:
        cells = "".join(
            f"<tr><td style='padding:1px 14px 1px 0'>{label}</td>"
            f"<td style='padding:1px 0'>{value}</td></tr>"
            for label, value in rows
        )
        return f"<table cellspacing='0' cellpadding='0'>{cells}</table>"

    def _show_maturity(
        self,
        result: Mapping[str, Any],
        answers: Mapping[str, Any],
        extra: Mapping[str, Any],
        score: float | None,
    ) -> None:
        levels = {k: v for k, v in answers.items() if isinstance(v, int) and 1 <= v <= 4}
        stage = int(extra.get("stage") or 0)
        limiting = [str(k) for k in extra.get("limiting") or ()]
        total = len(q.MATURITY)
        gauge, value = self.gauges["index"]
        if levels and score:
            gauge.set_value(score)
            value.setText(f"{score:.2f} / 4")
            self.score_line.setText(
                self.tr("Index {index} of 4 (the mean level) · {n} of {total} answered").format(
                    index=f"{score:.2f}", n=len(levels), total=total
                )
            )
        else:
            gauge.set_value(None)
            value.setText("–")
            self.score_line.setText(self.tr("Pick a level for each dimension."))

        lines = []
        for k in range(1, 5):
            reach = sum(1 for level in levels.values() if level >= k)
            passed = reach >= STAGE_QUORUM
            name = _tr("Stage {k} – {name}").format(k=k, name=_ctr(q.LEVEL_NAMES[k - 1]))
            detail = self.tr("{n} of {total} dimensions at level {k} or above").format(
                n=reach, total=total, k=k
            )
            if passed:
                lines.append(
                    f"<span style='color:{tone(GOOD)}'>✓</span> <b>{_esc(name)}</b>: {detail}"
                )
            else:
                needs = self.tr("needs {quorum}").format(quorum=STAGE_QUORUM)
                lines.append(f"✗ {_esc(name)}: {_esc(detail)} ({_esc(needs)})")
        if 0 < stage < 4 and limiting:
            names = ", ".join(
                _esc(_ctr(q.MATURITY_BY_KEY[k].label)) for k in limiting if k in q.MATURITY_BY_KEY
            )
            lines.append(
                "<br>"
                + _esc(self.tr("Holding back stage {next}:").format(next=stage + 1))
                + f" <span style='color:{tone(WARN)}'>▲</span> <b>{names}</b>"
            )
        elif stage == 4:
            lines.append("<br>" + _esc(self.tr("Every stage reached: nothing is holding back.")))
        self.summary.setText("<br>".join(lines))

        rows = []
        for dim in q.MATURITY:
            level = levels.get(dim.key)
            label = _esc(_ctr(dim.label))
            if dim.key in limiting:
                label = f"<span style='color:{tone(WARN)}'>▲</span> {label}"
            if level is None:
                rows.append((label, self._faint(self.tr("Not answered"))))
            else:
                bar = "■" * level + "□" * (4 - level)
                rows.append((label, f"{bar} {_esc(_level_title(level))}"))
        self.breakdown.setText(self._table(rows))

    def _show_posture(
        self,
        result: Mapping[str, Any],
        answers: Mapping[str, Any],
        extra: Mapping[str, Any],
        score: float | None,
    ) -> None:
        answered = {k: v for k, v in answers.items() if isinstance(v, int) and 0 <= v <= 3}
        readings = {}
        for kind in q.POSTURE_KINDS:
            reading = extra.get(kind)
            known = any(i.kind == kind and i.key in answered for i in q.POSTURE)
            readings[kind] = float(reading) if known and isinstance(reading, int | float) else None
        threshold = float(POSTURE_THRESHOLD)
        for kind, reading in readings.items():
            gauge, value = self.gauges[kind]
            colour = WARN if reading is not None and reading >= threshold else GOOD
            gauge.set_value(reading, threshold, colour)
            value.setText("–" if reading is None else f"{reading:.2f}")
        self.score_line.setText(
            self.tr("0 is best and 1 worst; {t} or more reads as fearful or complacent.").format(
                t=f"{threshold:.2f}"
            )
        )
        band = str(result.get("band", ""))
        explain = {
            "conviction": self.tr(
                "Conviction: both readings are below {t}. Attention follows value, not worry."
            ),
            "fearful": self.tr(
                "Fearful: the fear reading is {t} or more. Discounts, extra contact and "
                "concessions are standing in for a plan."
            ),
            "complacent": self.tr(
                "Complacent: the complacency reading is {t} or more. The renewal is being taken "
                "for granted."
            ),
            "mixed": self.tr(
                "Mixed: both readings are {t} or more. Little is done early, then too much late."
            ),
        }.get(band, self.tr("Answer the items to see whether fear or complacency is steering."))
        self.summary.setText(_esc(explain.format(t=f"{threshold:.2f}")))

        rows: list[tuple[str, str]] = []
        for kind, title in (
            ("fear", self.tr("Fear items")),
            ("complacency", self.tr("Complacency items")),
        ):
            rows.append((f"<i>{_esc(title)}</i>", ""))
            for item in q.POSTURE:
                if item.kind != kind:
                    continue
                value = answered.get(item.key)
                if value is None:
                    shown = self._faint(self.tr("Not answered"))
                else:
                    shown = (
                        "●" * value
                        + "○" * (3 - value)
                        + " "
                        + _esc(self.tr("{n} of 3").format(n=value))
                    )
                rows.append((_esc(_ctr(item.label)), shown))
        self.breakdown.setText(
            self._table(rows) + self._faint(self.tr("0 of 3 is the best answer, 3 of 3 the worst."))
        )

    def _show_readiness(
        self,
        result: Mapping[str, Any],
        answers: Mapping[str, Any],
        extra: Mapping[str, Any],
        score: float | None,
        context: str,
    ) -> None:
        expected = extra.get("expected")
        expected = float(expected) if isinstance(expected, int | float) else None
        phase = extra.get("phase")
        gauge, value = self.gauges["readiness"]
        colour = BAND_MARKS.get(str(result.get("band", "")), ("", INFO))[1] or INFO
        shown = "–" if score is None else _hundredths_text(score)
        gauge.set_value(score, expected, colour)
        value.setText(f"{shown} / 100")
        details = {str(d.get("label")): str(d.get("value")) for d in result.get("details") or ()}
        answered = details.get("Answered")
        self.score_line.setText(
            self.tr("Answered: {what}").format(what=_ctr(answered)) if answered else ""
        )
        lines = [_esc(context)] if context else []
        phase_name = _ctr(PHASES.get(str(phase), "")) if phase else ""
        if expected is not None:
            lines.append(
                _esc(
                    self.tr("The {phase} phase expects {expected} or more (the line on the bar).")
                ).format(phase=_esc(phase_name), expected=f"{expected:g}")
            )
        elif phase_name:
            lines.append(
                _esc(
                    self.tr(
                        "No expected level in the {phase} phase: expectations start when the "
                        "campaign kicks off (Shape 40, Ready 75, formal procurement 90 by default)."
                    ).format(phase=phase_name)
                )
            )
        else:
            lines.append(
                _esc(self.tr("No contract chosen, so there is no expected level to compare with."))
            )
        self.summary.setText("<br>".join(lines))

        rows = []
        for item in q.READINESS:
            answer = answers.get(item.key)
            if item.allows_na and answer is None and result.get("factors"):
                factor = next(
                    (f for f in result["factors"] if f.get("key") == item.key), {"weight": 1}
                )
                if not factor.get("weight"):
                    answer = "n/a"
            if answer in _READINESS_SYMBOLS:
                label = _ctr(q.READINESS_ANSWER_LABELS[answer])
                shown = f"{_READINESS_SYMBOLS[answer]} {_esc(label)}"
            else:
                shown = self._faint(self.tr("Not answered"))
            rows.append((_esc(_ctr(item.label)), shown))
        self.breakdown.setText(self._table(rows))
