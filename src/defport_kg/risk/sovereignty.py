"""Sovereignty: what each system still has if everything outside the Netherlands, the EU or NATO fails.

Per system:

- **country SPOFs** — the countries whose failure alone stops it (order-1 cut sets, unit country,
  by the relations' effective country of CONTRACT §3);
- **shares** — of the items in its supply tree (itself and everything it reaches through
  ``dp:hasComponent`` and ``dp:requiresInput``), the fraction that can still be produced when every
  supply relation outside a region fails (§3 propagation), for the regions NL, EU and NATO;
  - *by location*: a relation is inside when its effective country is in the region;
  - *by control*: a relation is inside when its supplier is controlled from the region: the
    country of its **ultimate** ``dp:controlledBy`` parent (following the chain to an organisation
    without a parent), or its own country when it has none. A Dutch subsidiary of a foreign group is
    foreign-controlled.
  A relation whose country is unknown counts as outside every region: sovereignty is not assumed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from defport_kg.risk.cutsets import check_item
from defport_kg.risk.evidence import evidence_summary
from defport_kg.risk.index import cone, skeleton
from defport_kg.risk.model import EU, NATO, NL, SupplyNetwork
from defport_kg.risk.propagation import propagate_relations
from defport_kg.risk.spof import spof

REGIONS: tuple[str, ...] = ("NL", "EU", "NATO")


def region_countries(network: SupplyNetwork, region: str) -> frozenset[str]:
    """The countries of a region: NL itself, or the members of the EU or NATO alliance."""
    if region == "NL":
        return frozenset({NL})
    alliance = {"EU": EU, "NATO": NATO}[region]
    return frozenset(c for c, alliances in network.memberships.items() if alliance in alliances)


def ultimate_parent(network: SupplyNetwork, organisation: str) -> str:
    """The organisation at the top of the ``dp:controlledBy`` chain (itself when it has no parent).

    Where an organisation has several parents the first by IRI is followed (reproducible); a
    control cycle stops where it would repeat.
    """
    seen = {organisation}
    current = organisation
    while True:
        parents = network.controlled_by.get(current, ())
        if not parents or parents[0] in seen:
            return current
        current = parents[0]
        seen.add(current)


def control_country(network: SupplyNetwork, organisation: str | None) -> str | None:
    """The country an organisation is controlled from: its ultimate parent's country (or its own)."""
    if organisation is None:
        return None
    parent = ultimate_parent(network, organisation)
    return network.org_country.get(parent, network.org_country.get(organisation) if parent == organisation else None)


def relation_countries(network: SupplyNetwork, basis: str) -> dict[str, str | None]:
    """Relation → the country it counts as: ``location`` (effective country) or ``control``."""
    if basis == "location":
        return {iri: r.country for iri, r in network.relations.items()}
    return {iri: control_country(network, r.supplier) for iri, r in network.relations.items()}


def available_share(
    network: SupplyNetwork, system: str, inside: frozenset[str], countries: dict[str, str | None]
) -> tuple[float, bool]:
    """(share of the system's supply tree still available, whether the system itself is) when every
    relation whose country is not in ``inside`` fails."""
    skel = skeleton(network)
    direct = [r for r, iri in enumerate(skel.rel_iris) if countries[iri] not in inside]
    outcome = propagate_relations(skel, direct)
    tree = cone(network, system)
    alive = sum(1 for v in tree if not outcome.unavailable[v])
    return alive / len(tree), not outcome.unavailable[skel.item_index[system]]


@dataclass(frozen=True)
class SystemSovereignty:
    system: str
    label: str | None
    country_spofs: tuple[str, ...]
    tree_items: int
    by_location: dict[str, float]
    by_control: dict[str, float]
    available_by_location: dict[str, bool]
    available_by_control: dict[str, bool]
    evidence: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return {
            "system": self.system,
            "label": self.label,
            "country_spofs": list(self.country_spofs),
            "tree_items": self.tree_items,
            "by_location": dict(self.by_location),
            "by_control": dict(self.by_control),
            "system_available_by_location": dict(self.available_by_location),
            "system_available_by_control": dict(self.available_by_control),
            "evidence": self.evidence,
        }


@dataclass(frozen=True)
class ForeignControl:
    organisation: str
    country: str | None
    ultimate_parent: str
    control_country: str | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "organisation": self.organisation,
            "country": self.country,
            "ultimate_parent": self.ultimate_parent,
            "control_country": self.control_country,
        }


@dataclass(frozen=True)
class SovereigntyReport:
    systems: tuple[SystemSovereignty, ...]
    foreign_controlled: tuple[ForeignControl, ...]
    labels: dict[str, str] = field(default_factory=dict)
    evidence_filter: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "regions": list(REGIONS),
            "systems": [s.to_dict() for s in self.systems],
            "foreign_controlled": [f.to_dict() for f in self.foreign_controlled],
            "labels": self.labels,
            "evidence_filter": self.evidence_filter,
        }


def foreign_controlled(network: SupplyNetwork, country: str = NL) -> list[ForeignControl]:
    """Organisations located in ``country`` whose ultimate parent is controlled from elsewhere."""
    found = []
    for org in sorted(network.org_country):
        if network.org_country[org] != country:
            continue
        parent = ultimate_parent(network, org)
        controlled_from = control_country(network, org)
        if controlled_from != country:
            found.append(ForeignControl(org, country, parent, controlled_from))
    return found


def sovereignty(network: SupplyNetwork, systems: Iterable[str] | None = None) -> SovereigntyReport:
    """The sovereignty of each system (all ``dp:System`` items by default); see the module doc."""
    chosen = sorted(set(systems)) if systems is not None else list(network.systems)
    for system in chosen:
        check_item(network, system)
    killers: dict[str, list[str]] = {s: [] for s in chosen}
    if chosen:
        for entry in spof(network, "country", chosen).spofs:
            for s in entry.systems:
                killers[s].append(entry.unit)
    skel = skeleton(network)
    bases = {b: relation_countries(network, b) for b in ("location", "control")}
    regions = {r: region_countries(network, r) for r in REGIONS}
    results = []
    for system in chosen:
        shares: dict[str, dict[str, float]] = {"location": {}, "control": {}}
        alive: dict[str, dict[str, bool]] = {"location": {}, "control": {}}
        for basis, countries in bases.items():
            for region, inside in regions.items():
                share, up = available_share(network, system, inside, countries)
                shares[basis][region] = round(share, 4)
                alive[basis][region] = up
        tree = cone(network, system)
        relations = [skel.rel_iris[r] for v in tree for r in skel.rels[v]]
        results.append(
            SystemSovereignty(
                system=system,
                label=network.label(system),
                country_spofs=tuple(sorted(killers[system])),
                tree_items=len(tree),
                by_location=shares["location"],
                by_control=shares["control"],
                available_by_location=alive["location"],
                available_by_control=alive["control"],
                evidence=evidence_summary(network, relations),
            )
        )
    controlled = foreign_controlled(network)
    named = {c for s in results for c in s.country_spofs} | {f.organisation for f in controlled}
    named |= {f.ultimate_parent for f in controlled}
    labels = {iri: lbl for iri in sorted(named) if (lbl := network.label(iri)) is not None}
    return SovereigntyReport(tuple(results), tuple(controlled), labels)
