"""What-if of failed units (``risk impact``): what becomes unavailable, and who is left short.

The failed units may mix organisations, sites and countries (CONTRACT §3: a relation is down when
its supplier, its site or its effective country failed). Besides the unavailable items and
systems, the report names the capabilities touched and the organisations that did not fail but
are left without an input or a component they need.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from defport_kg.errors import NotFoundError, UsageError
from defport_kg.risk.index import skeleton
from defport_kg.risk.model import SupplyNetwork
from defport_kg.risk.propagation import propagate


@dataclass(frozen=True, slots=True)
class FailedUnit:
    unit: str
    kind: str
    label: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"unit": self.unit, "kind": self.kind, "label": self.label}


@dataclass(frozen=True, slots=True)
class CapabilityImpact:
    """A capability realised by an unavailable item; ``lost`` when no realiser is left."""

    capability: str
    lost: bool
    unavailable_items: tuple[str, ...]
    label: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "capability": self.capability,
            "lost": self.lost,
            "unavailable_items": list(self.unavailable_items),
            "label": self.label,
        }


@dataclass(frozen=True, slots=True)
class StrandedOrganisation:
    """An organisation that did not fail but lost inputs or components of its supply relations."""

    organisation: str
    relations: tuple[str, ...]
    missing: tuple[str, ...]
    label: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "organisation": self.organisation,
            "relations": list(self.relations),
            "missing": list(self.missing),
            "label": self.label,
        }


@dataclass(frozen=True)
class ImpactReport:
    failed: tuple[FailedUnit, ...]
    items: tuple[str, ...]
    systems: tuple[str, ...]
    capabilities: tuple[CapabilityImpact, ...]
    organisations_without_input: tuple[StrandedOrganisation, ...]
    relations_down: int = 0
    labels: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "failed": [f.to_dict() for f in self.failed],
            "items": list(self.items),
            "systems": list(self.systems),
            "capabilities": [c.to_dict() for c in self.capabilities],
            "organisations_without_input": [o.to_dict() for o in self.organisations_without_input],
            "relations_down": self.relations_down,
            "labels": self.labels,
        }


def unit_kind_of(network: SupplyNetwork, unit: str) -> str:
    """The kind of a unit IRI, or NotFoundError naming it (CONTRACT §4: exit 2)."""
    if unit in network.organisations:
        return "organisation"
    if unit in network.sites:
        return "site"
    if unit in network.countries:
        return "country"
    raise NotFoundError(f"unknown unit {unit}: not an organisation, site or country of the live data", unit=unit)


def impact(network: SupplyNetwork, units: Iterable[str]) -> ImpactReport:
    """Everything that becomes unavailable when ``units`` (any mix of kinds) fail together."""
    failed_iris = list(dict.fromkeys(units))
    if not failed_iris:
        raise UsageError("name at least one failed unit (an organisation, site or country)")
    failed = tuple(FailedUnit(u, unit_kind_of(network, u), network.label(u)) for u in failed_iris)
    failed_set = set(failed_iris)
    skel = skeleton(network)
    outcome = propagate(network, failed_set)
    unavailable = outcome.unavailable
    items = tuple(sorted(skel.items[i] for i in range(len(skel.items)) if unavailable[i]))
    systems = tuple(i for i in items if network.items[i].is_system)
    lost_items = set(items)

    realisers: dict[str, list[str]] = defaultdict(list)
    for item in network.items.values():
        for capability in item.realises:
            realisers[capability].append(item.iri)
    capabilities = []
    for capability in sorted(realisers):
        hit = sorted(i for i in realisers[capability] if i in lost_items)
        if hit:
            capabilities.append(
                CapabilityImpact(
                    capability=capability,
                    lost=len(hit) == len(realisers[capability]),
                    unavailable_items=tuple(hit),
                    label=network.label(capability),
                )
            )

    stranded_relations: dict[str, list[str]] = defaultdict(list)
    stranded_missing: dict[str, set[str]] = defaultdict(set)
    for r, iri in enumerate(skel.rel_iris):
        if not outcome.down[r]:
            continue
        relation = network.relations[iri]
        if relation.supplier is None or relation.supplier in failed_set:
            continue
        missing = [x for x in relation.inputs if x in lost_items]
        missing.extend(c for c in network.components.get(relation.item, {}) if c in lost_items)
        if missing:
            stranded_relations[relation.supplier].append(iri)
            stranded_missing[relation.supplier].update(missing)
    stranded = tuple(
        StrandedOrganisation(
            organisation=org,
            relations=tuple(sorted(stranded_relations[org])),
            missing=tuple(sorted(stranded_missing[org])),
            label=network.label(org),
        )
        for org in sorted(stranded_relations)
    )
    labels = {i: lbl for i in items if (lbl := network.label(i)) is not None}
    return ImpactReport(
        failed=failed,
        items=items,
        systems=systems,
        capabilities=tuple(capabilities),
        organisations_without_input=stranded,
        relations_down=sum(outcome.down),
        labels=labels,
    )
