"""Score settings: every weight and threshold of DOMAIN.md sections 3 and 4 in one versioned object.

The defaults are the documented heuristics. A team can calibrate them; the changed object is
stored in the database (``settings`` table, key ``score_settings``) and every score records the
``version`` it was computed with, so a result can always be traced back to the numbers behind it.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any

from .errors import FieldProblem, ValidationError
from .text import quote

#: Format of the stored JSON. Bump when a field changes meaning; older files are upgraded.
#: 2: the fourth segment's target is keyed "maintain" (schema 1 called it "proportionate").
SCHEMA = 2

_INTERACTION_WEIGHTS = {
    "executive_review": 3.0,
    "workshop": 2.0,
    "meeting": 2.0,
    "call": 1.0,
    "feedback_request": 1.0,
    "sales_pitch": 1.0,
    "escalation": 1.0,
    "email": 0.5,
    "value_recap": 0.5,
    "hospitality": 0.5,
    "tender_clarification": 0.0,
}
_TARGETS = {"treasure": 6.0, "develop": 3.0, "maintain": 1.5, "drain": 0.75, "unrated": 3.0}
_RISK_WEIGHTS = {
    "lateness": 0.10,
    "delivery": 0.15,
    "coverage": 0.12,
    "opposition": 0.12,
    "evidence": 0.10,
    "future": 0.10,
    "change": 0.08,
    "market": 0.10,
    "complacency": 0.08,
    "commercial": 0.05,
}
_ROUTE_EXPOSURE = {
    "option_to_extend": 0.2,
    "negotiated": 0.4,
    "selective_tender": 0.6,
    "open_tender": 0.8,
    "panel": 1.0,
    "unknown": 0.6,
}


@dataclass(frozen=True, slots=True)
class ScoreSettings:
    """All score parameters. ``version`` counts saved calibrations (1 = the defaults)."""

    version: int = 1
    # 3.1 value segments
    treasure_share: float = 0.80
    develop_share: float = 0.95
    unrated_months: int = 12
    # 3.2 engagement balance
    engagement_window_days: int = 90
    interaction_weights: dict[str, float] = field(
        default_factory=lambda: dict(_INTERACTION_WEIGHTS)
    )
    segment_targets: dict[str, float] = field(default_factory=lambda: dict(_TARGETS))
    renewal_multiplier: float = 1.5
    renewal_lead_months: int = 18
    neglect_below: float = 0.5
    intense_above: float = 1.5
    obsessive_above: float = 2.5
    customer_led_share: float = 0.5
    noise_share: float = 0.40
    survey_window_days: int = 180
    concession_window_days: int = 180
    pitch_share: float = 0.25
    single_thread_share: float = 0.70
    single_thread_min_contacts: int = 3
    over_serving_ratio: float = 2.0
    under_serving_ratio: float = 0.5
    # 3.3 renewal risk
    risk_weights: dict[str, float] = field(default_factory=lambda: dict(_RISK_WEIGHTS))
    risk_guarded_from: float = 25
    risk_elevated_from: float = 45
    risk_high_from: float = 65
    floor_months: int = 12
    concern_age_days: int = 30
    concern_penalty: float = 0.25
    coverage_window_days: int = 90
    evidence_target_treasure: int = 3
    evidence_target_other: int = 2
    change_event_cap: int = 3
    route_exposure: dict[str, float] = field(default_factory=lambda: dict(_ROUTE_EXPOSURE))
    competitor_bonus: float = 0.2
    price_gap_scale_pct: float = 20.0
    # 4 campaign timeline
    kickoff_months: int = 18
    kickoff_floor_months: int = 9
    full_term_months: int = 36
    due_soon_days: int = 30
    notice_lead_days: int = 60
    # 3.4 readiness expected by phase
    readiness_expected: dict[str, float] = field(
        default_factory=lambda: {"shape": 40.0, "ready": 75.0, "procurement": 90.0}
    )

    # ---- checks and storage ----------------------------------------------------------------

    def problems(self) -> list[FieldProblem]:
        """What is wrong with these settings (empty when usable)."""
        out: list[FieldProblem] = []
        if not 0 < self.treasure_share < self.develop_share <= 1:
            out.append(
                FieldProblem(
                    "treasure_share",
                    "The Treasure share must be above 0 and below the Develop share (at most 100%)",
                )
            )
        if not 0 < self.neglect_below < self.intense_above < self.obsessive_above:
            out.append(
                FieldProblem(
                    "neglect_below",
                    "Engagement band edges must rise: neglect < intense < obsessive",
                )
            )
        if not 0 < self.risk_guarded_from < self.risk_elevated_from < self.risk_high_from <= 100:
            out.append(
                FieldProblem("risk_guarded_from", "Risk band edges must rise between 0 and 100")
            )
        for name in ("interaction_weights", "segment_targets", "risk_weights", "route_exposure"):
            values = getattr(self, name)
            if any(not isinstance(v, (int, float)) or v < 0 for v in values.values()):
                out.append(FieldProblem(name, "Weights and targets cannot be negative"))
        if any(v <= 0 for v in self.segment_targets.values()):
            out.append(FieldProblem("segment_targets", "Every segment needs a target above zero"))
        total = sum(self.risk_weights.values())
        if total <= 0:
            out.append(FieldProblem("risk_weights", "At least one risk weight must be above zero"))
        missing = set(_RISK_WEIGHTS) - set(self.risk_weights)
        if missing:
            out.append(
                FieldProblem("risk_weights", f"Missing risk weights: {', '.join(sorted(missing))}")
            )
        if self.engagement_window_days < 7:
            out.append(
                FieldProblem(
                    "engagement_window_days", "The engagement window must be a week or more"
                )
            )
        return out

    def to_json(self) -> str:
        data = asdict(self)
        data["schema"] = SCHEMA
        return json.dumps(data, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> ScoreSettings:
        """Settings from stored JSON. Unknown keys are ignored, missing keys take the default.

        Raises ValidationError for unreadable JSON, a newer schema or unusable values.
        """
        try:
            data: Any = json.loads(text)
        except (TypeError, ValueError) as exc:
            raise ValidationError(
                [
                    FieldProblem(
                        "score_settings", f"The stored score settings are not readable: {exc}"
                    )
                ]
            ) from exc
        if not isinstance(data, dict):
            raise ValidationError(
                [FieldProblem("score_settings", "The stored score settings are not an object")]
            )
        schema = data.pop("schema", SCHEMA)
        if not isinstance(schema, int) or schema > SCHEMA:
            raise ValidationError(
                [
                    FieldProblem(
                        "score_settings",
                        "The score settings were saved by a newer Renewal Coach; update the app",
                    )
                ]
            )
        if schema < 2:
            _upgrade_to_2(data)
        defaults = cls()
        known = {f.name for f in fields(cls)}
        values: dict[str, Any] = {}
        for key, value in data.items():
            if key not in known:
                continue
            nested = value.values() if isinstance(value, dict) else (value,)
            if any(not _usable_number(v) for v in nested):
                raise ValidationError(
                    [
                        FieldProblem(
                            "score_settings",
                            f"The stored score setting '{quote(key)}' is not a usable number",
                        )
                    ]
                )
            default = getattr(defaults, key)
            if isinstance(default, dict):
                if not isinstance(value, dict):
                    continue
                merged = dict(default)
                merged.update({str(k): v for k, v in value.items()})
                value = merged
            elif isinstance(default, bool) or not isinstance(value, (int, float)):
                continue
            elif isinstance(default, int) and not isinstance(default, bool):
                value = int(value)
            else:
                value = float(value)
            values[key] = value
        result = replace(defaults, **values)
        problems = result.problems()
        if problems:
            raise ValidationError(problems)
        return result

    def calibrated(self, **changes: Any) -> ScoreSettings:
        """A copy with ``changes`` applied and the version moved on; raises ValidationError."""
        result = replace(self, version=self.version + 1, **changes)
        problems = result.problems()
        if problems:
            raise ValidationError(problems)
        return result


DEFAULT_SETTINGS = ScoreSettings()


def _upgrade_to_2(data: dict[str, Any]) -> None:
    """Schema 1 -> 2: the segment once called Proportionate is Maintain (DOMAIN.md 3.1)."""
    targets = data.get("segment_targets")
    if isinstance(targets, dict) and "proportionate" in targets:
        old = targets.pop("proportionate")
        targets.setdefault("maintain", old)


#: Largest size of any number in stored settings (weights, shares, days, months, version).
_SETTING_LIMIT = 1_000_000_000


def _usable_number(value: Any) -> bool:
    """False for a number that no setting could mean: infinite, NaN or absurdly large.
    Anything that is not a number is left to the checks that follow."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return True
    if isinstance(value, float) and value != value:
        return False
    return -_SETTING_LIMIT <= value <= _SETTING_LIMIT
