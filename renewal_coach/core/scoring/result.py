"""The value object every score returns: it explains itself (DOMAIN.md principle 7)."""

from __future__ import annotations

from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from typing import Any, TypeVar

T = TypeVar("T")


@dataclass(slots=True)
class FactorRow:
    """One line of a factor table.

    ``input`` is the raw reading in plain words ("2 of 5 milestones overdue"), ``normalised``
    the factor on 0..1, ``weight`` its share of the score and ``contribution`` the points it
    added (normalised × weight × the score's scale). ``known`` is False when the input was
    missing and the neutral 0.5 was used instead. ``count`` is how many of something were
    counted, for a table (the engagement balance's) whose rows read count × weight = points.
    """

    key: str
    label: str
    input: str
    normalised: float
    weight: float
    contribution: float
    known: bool = True
    count: int | None = None

    def to_json(self) -> dict[str, Any]:
        extra: dict[str, Any] = {} if self.count is None else {"count": self.count}
        return {
            "key": self.key,
            "label": self.label,
            "input": self.input,
            "normalised": round(self.normalised, 4),
            "weight": round(self.weight, 4),
            "contribution": round(self.contribution, 4),
            "known": self.known,
            **extra,
        }


@dataclass(frozen=True, slots=True)
class Flag:
    """A warning raised whatever the band, with the reason in plain words."""

    code: str
    label: str
    reason: str

    def to_json(self) -> dict[str, Any]:
        return {"code": self.code, "label": self.label, "reason": self.reason}


#: The parts of a :class:`ScoreResult` that :meth:`ScoreResult.deferred` builds on first read.
EXPLAINED = ("factors", "missing", "details", "advice")

#: What an ``explain`` callable returns: factors, missing, details and advice.
Explanation = tuple[
    tuple[FactorRow, ...], tuple[str, ...], tuple[tuple[str, str], ...], tuple[str, ...]
]


@dataclass(slots=True)
class ScoreResult:
    """A transparent score: value, band, factors, what was missing, confidence, settings used.

    ``details`` are extra (label, value) readings shown above the factors (for example the
    contact intensity and the target behind a balance); ``advice`` the concrete next steps.

    Scoring a whole portfolio mostly needs the bands and numbers, so the scores build their
    explanation (``factors``, ``missing``, ``details``, ``advice``) only when it is first read:
    see :meth:`deferred`. Reading any of them, ``to_json()``, ``==`` or ``repr()`` gives the same
    values an eagerly built result has.
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
    _explain: Callable[..., Explanation] | None = field(
        default=None, init=False, repr=False, compare=False
    )
    _explain_args: tuple[Any, ...] = field(default=(), init=False, repr=False, compare=False)

    @classmethod
    def deferred(
        cls,
        kind: str,
        score: float | None,
        band: str,
        band_label: str,
        explain: Callable[..., Explanation],
        args: tuple[Any, ...] = (),
        *,
        confidence: float = 1.0,
        settings_version: int = 1,
        flags: tuple[Flag, ...] = (),
        extra: dict[str, Any] | None = None,
    ) -> ScoreResult:
        """A result whose factors, missing, details and advice come from ``explain(*args)``,
        called once, on first read. ``args`` must not change later: plain values and tuples
        of them (which the garbage collector stops tracking) are best."""
        self = cls.__new__(cls)
        self.kind = kind
        self.score = score
        self.band = band
        self.band_label = band_label
        self.confidence = confidence
        self.settings_version = settings_version
        self.flags = flags
        self.extra = {} if extra is None else extra
        self._explain = explain
        self._explain_args = args
        return self

    def __getattr__(self, name: str) -> Any:
        # Only called when a slot is unset: the explanation of a deferred result.
        if name in EXPLAINED:
            # Read the arguments before the function and clear them after it: another thread
            # that sees the function still set then also sees its arguments.
            args = self._explain_args
            explain = self._explain
            if explain is not None:
                parts = explain(*args)
                self.factors, self.missing, self.details, self.advice = parts
                self._explain = None
                self._explain_args = ()
            return object.__getattribute__(self, name)
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

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


def run_steps(steps: Generator[Any, None, T]) -> T:
    """Run a step-wise computation (a generator that yields its progress and returns its
    result) to the end and give back what it returns."""
    while True:
        try:
            next(steps)
        except StopIteration as stop:
            return stop.value
