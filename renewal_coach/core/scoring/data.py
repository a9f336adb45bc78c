"""Everything the scores need about one account, gathered in one place.

The lists hold either the model dataclasses of :mod:`renewal_coach.core.models` or the light rows
of :mod:`renewal_coach.storage.portfolio_data` (same attribute names, enum fields as their text
values), so one account opened in the UI and 5,000 scored in bulk go through the same code.
Interactions only need to cover the longest look-back window the scores use (180 days by
default); older ones are ignored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class AccountData:
    account: Any
    contracts: list[Any] = field(default_factory=list)
    stakeholders: list[Any] = field(default_factory=list)
    interactions: list[Any] = field(default_factory=list)
    goals: list[Any] = field(default_factory=list)
    evidence: list[Any] = field(default_factory=list)
    concerns: list[Any] = field(default_factory=list)
    improvements: list[Any] = field(default_factory=list)
    changes: list[Any] = field(default_factory=list)
    milestones: list[Any] = field(default_factory=list)

    @property
    def id(self) -> str:
        return self.account.id

    def milestones_for(self, contract_id: str) -> list[Any]:
        return [m for m in self.milestones if m.contract_id == contract_id]
