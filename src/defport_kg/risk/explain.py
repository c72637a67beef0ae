"""Explanations: why a unit matters to a system — the supply paths from the system down to the
unit, and the unit's tier relative to that system.

A path starts at the system and steps down, one item at a time, through a component of the item
(every relation of the item needs it) or through a supplier-specific input of one of the item's
relations, and ends at a relation of the unit (the unit is its supplier, its site or its
country). The **tier** of the unit on a path is the depth of that last item below the system
(the usual industry count): the supplier of the system itself (the prime) is tier 0, the supplier
of one of its components — a direct supplier of the prime — tier 1, and so on. The unit's tier
for the system is its lowest tier over all paths (the same company can be
tier 1 for one system and tier 4 for another).
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from typing import Any

from defport_kg.errors import NotFoundError
from defport_kg.risk.cutsets import check_item
from defport_kg.risk.evidence import evidence_summary
from defport_kg.risk.model import SupplyNetwork
from defport_kg.risk.propagation import propagate

MAX_PATHS = 25


@dataclass(frozen=True, slots=True)
class Step:
    """One item on a path: how it was reached and the relation the path continues through."""

    item: str
    via: str | None  # None for the system, "component" or "input"
    relation: str | None  # the relation of this item the next step (or the unit) hangs on

    def to_dict(self) -> dict[str, Any]:
        return {"item": self.item, "via": self.via, "relation": self.relation}


@dataclass(frozen=True)
class Explanation:
    unit: str
    system: str
    tier: int | None
    tiers: tuple[int, ...]  # the tiers of the paths shown
    stops_system: bool
    paths: tuple[tuple[Step, ...], ...]
    complete: bool
    labels: dict[str, str] = field(default_factory=dict)
    evidence: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "unit": self.unit,
            "system": self.system,
            "tier": self.tier,
            "tiers": list(self.tiers),
            "stops_system": self.stops_system,
            "paths": [[s.to_dict() for s in path] for path in self.paths],
            "complete": self.complete,
            "labels": self.labels,
            "evidence": self.evidence,
        }


def _unit_relations(network: SupplyNetwork, unit: str) -> set[str]:
    return {iri for iri, r in network.relations.items() if unit in (r.supplier, r.site, r.country)}


def explain(network: SupplyNetwork, unit: str, system: str, max_paths: int = MAX_PATHS) -> Explanation:
    """The paths (shortest first, at most ``max_paths``) from ``system`` down to ``unit``."""
    check_item(network, system)
    known = network.organisations | set(network.sites) | network.countries | set(network.org_country)
    if unit not in known:
        raise NotFoundError(f"unknown unit {unit}: not an organisation, site or country of the live data", unit=unit)
    mine = _unit_relations(network, unit)
    relations_of = network.relations_of
    paths: list[tuple[Step, ...]] = []
    tiers: set[int] = set()
    complete = True
    # Breadth first over simple paths, so that the shortest (lowest-tier) paths come first.
    queue: deque[tuple[tuple[Step, ...], frozenset[str]]] = deque()
    queue.append(((Step(system, None, None),), frozenset({system})))
    expanded = 0
    while queue:
        path, seen = queue.popleft()
        expanded += 1
        if expanded > 200_000:
            complete = False
            break
        last = path[-1]
        head = path[:-1]
        for relation in relations_of.get(last.item, ()):
            if relation in mine:
                tiers.add(len(path) - 1)
                paths.append((*head, Step(last.item, last.via, relation)))
        if len(paths) >= max_paths:
            # Breadth first: the paths found so far are the shortest; more may exist.
            complete = not queue and len(paths) == max_paths
            del paths[max_paths:]
            break
        for component in sorted(network.components.get(last.item, {})):
            if component not in seen:
                queue.append(((*path, Step(component, "component", None)), seen | {component}))
        for relation in relations_of.get(last.item, ()):
            for needed in network.relations[relation].inputs:
                if needed not in seen:
                    queue.append(
                        ((*head, Step(last.item, last.via, relation), Step(needed, "input", None)), seen | {needed})
                    )
    stopped = propagate(network, [unit]).unavailable
    from defport_kg.risk.index import skeleton

    stops = bool(stopped[skeleton(network).item_index[system]])
    named = {unit, system} | {s.item for p in paths for s in p}
    labels = {iri: lbl for iri in sorted(named) if (lbl := network.label(iri)) is not None}
    ends = {p[-1].relation for p in paths if p[-1].relation}
    return Explanation(
        unit=unit,
        system=system,
        tier=min(tiers) if tiers else None,
        tiers=tuple(sorted(tiers)),
        stops_system=stops,
        paths=tuple(paths),
        complete=complete,
        labels=labels,
        evidence=evidence_summary(network, ends),
    )


def tier_of(network: SupplyNetwork, unit: str, system: str) -> int | None:
    """The unit's lowest tier for the system (None when it is not on the system's supply paths)."""
    return explain(network, unit, system, max_paths=1).tier
