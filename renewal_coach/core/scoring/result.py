"""The value object every score returns: it explains itself (DOMAIN.md principle 7)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class FactorRow:
    """One line of a factor table.

    ``input`` is the raw reading in plain words ("2 of 5 milestones overdue"), ``normalised``
    the factor on 0..1, ``weight`` its share of the score and ``contribution`` the points it
    added (normalised × weight × the score's scale). ``known`` is False when the input was
    missing and the neutral 0.5 was used instead.
    """

    key: str
    label: str
    input: str
    normalised: float
    weight: float
    contribution: float
    known: bool = True

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": self.label,
            "input": self.input,
            "normalised": round(self.normalised, 4),
            "weight": round(self.weight, 4),
            "contribution": round(self.contribution, 4),
            "known": self.known,
        }


@dataclass(frozen=True, slots=True)
class Flag:
    """A warning raised whatever the band, with the reason in plain words."""

    code: str
    label: str
    reason: str

    def to_json(self) -> dict[str, Any]:
        return {"code": self.code, "label": self.label, "reason": self.reason}


@dataclass(slots=True)
class ScoreResult:
    """A transparent score: value, band, factors, what was missing, confidence, settings used.

    ``details`` are extra (label, value) readings shown above the factors (for example the
    contact intensity and the target behind a balance); ``advice`` the concrete next steps.
    """

    kind: str
    score: float | None
    band: str
    band_label: str
    factors: tuple[FactorRow, ...] = ()
    missing: tuple[str, ...] = ()
    confidence: float = 1.0
    settings_version: int = 1
    flags: tuple[Flag, ...] = ()
    details: tuple[tuple[str, str], ...] = ()
    advice: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)

    def top_factors(self, n: int = 3) -> tuple[FactorRow, ...]:
        """The ``n`` factors that added most to the score (ties in table order)."""
        ranked = sorted(
            (f for f in self.factors if f.contribution > 0),
            key=lambda f: -f.contribution,
        )
        return tuple(ranked[:n])

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "score": None if self.score is None else round(self.score, 4),
            "band": self.band,
            "band_label": self.band_label,
            "confidence": round(self.confidence, 4),
            "settings_version": self.settings_version,
            "factors": [f.to_json() for f in self.factors],
            "top_factors": [f.key for f in self.top_factors()],
            "missing": list(self.missing),
            "flags": [f.to_json() for f in self.flags],
            "details": [{"label": k, "value": v} for k, v in self.details],
            "advice": list(self.advice),
            **({"extra": _jsonable(self.extra)} if self.extra else {}),
        }


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, float):
        return round(value, 4)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "to_json"):
        return value.to_json()
    return value


def clamp01(value: float) -> float:
    """``value`` limited to 0..1."""
    return 0.0 if value < 0 else 1.0 if value > 1 else float(value)
