"""Evidence-aware analyses: which supply relations to trust, and how much rests on assumptions.

A relation is **valid on a date** when ``dp:validFrom ≤ date ≤ dp:validTo`` (a missing bound is
open; a relation without dates is always valid). Its **confidence** is ``dp:Disclosed`` (3),
``dp:Inferred`` (2) or ``dp:Assumed`` (1); a relation without ``dp:confidence`` counts as
``dp:Assumed``, so that a missing statement never looks surer than an explicit guess. Filters are
applied to the network once (:meth:`SupplyNetwork.with_relations`), so every analysis reads the
same filtered model.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from defport_kg.errors import UsageError
from defport_kg.namespaces import DP
from defport_kg.risk.model import SupplyNetwork, SupplyRelation

DISCLOSED = DP + "Disclosed"
INFERRED = DP + "Inferred"
ASSUMED = DP + "Assumed"
CONFIDENCE_RANK: dict[str, int] = {DISCLOSED: 3, INFERRED: 2, ASSUMED: 1}
CONFIDENCE_NAMES: dict[str, str] = {"disclosed": DISCLOSED, "inferred": INFERRED, "assumed": ASSUMED}


def check_confidence(name: str | None) -> str | None:
    """``disclosed|inferred|assumed`` (or the level's IRI) → the level's IRI; a UsageError otherwise."""
    if name is None:
        return None
    level = CONFIDENCE_NAMES.get(name.strip().lower(), name)
    if level not in CONFIDENCE_RANK:
        raise UsageError(
            f"unknown confidence level {name!r}: use one of {', '.join(CONFIDENCE_NAMES)}", confidence=name
        )
    return level


def check_date(value: str | None) -> str | None:
    """An ISO date (YYYY-MM-DD) or a UsageError naming it."""
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value.strip()).isoformat()
    except ValueError:
        raise UsageError(f"not a date {value!r}: write it as YYYY-MM-DD", date=value) from None


def confidence_of(relation: SupplyRelation) -> str:
    """The relation's confidence level; a missing or unknown one counts as ``dp:Assumed``."""
    return relation.confidence if relation.confidence in CONFIDENCE_RANK else ASSUMED


def is_assumed(relation: SupplyRelation) -> bool:
    return confidence_of(relation) == ASSUMED


def valid_on(relation: SupplyRelation, date: str) -> bool:
    """True when the relation is valid on ``date`` (ISO); an open or missing bound never excludes."""
    start = (relation.valid_from or "")[:10]
    end = (relation.valid_to or "")[:10]
    return (not start or start <= date) and (not end or date <= end)


@dataclass(frozen=True, slots=True)
class EvidenceFilter:
    """Which relations an analysis may use: valid on ``as_of`` and at least ``min_confidence``."""

    as_of: str | None = None
    min_confidence: str | None = None

    @classmethod
    def of(cls, as_of: str | None = None, min_confidence: str | None = None) -> EvidenceFilter:
        """Checked constructor for user input (bad values → UsageError, exit 2 / HTTP 400)."""
        return cls(check_date(as_of), check_confidence(min_confidence))

    @property
    def active(self) -> bool:
        return self.as_of is not None or self.min_confidence is not None

    def keep(self, relation: SupplyRelation) -> bool:
        if self.as_of is not None and not valid_on(relation, self.as_of):
            return False
        if self.min_confidence is not None:
            return CONFIDENCE_RANK[confidence_of(relation)] >= CONFIDENCE_RANK[self.min_confidence]
        return True

    def apply(self, network: SupplyNetwork) -> SupplyNetwork:
        """The network with only the relations this filter keeps (the same object when inactive)."""
        return network.with_relations(self.keep) if self.active else network

    def to_dict(self) -> dict[str, Any]:
        return {"as_of": self.as_of, "min_confidence": self.min_confidence}


NO_FILTER = EvidenceFilter()


def evidence_summary(network: SupplyNetwork, relations: Iterable[str]) -> dict[str, Any]:
    """How much of a finding rests on assumed data: of the relations it rests on, how many are assumed.

    ``assumed_fraction`` is a number 0..1, or None when the finding rests on no relation.
    """
    chosen = sorted(set(relations))
    assumed = [r for r in chosen if r in network.relations and is_assumed(network.relations[r])]
    return {
        "relations": len(chosen),
        "assumed_relations": len(assumed),
        "assumed_fraction": round(len(assumed) / len(chosen), 4) if chosen else None,
    }
