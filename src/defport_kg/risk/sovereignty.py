"""Sovereignty: what each system still has if everything outside the Netherlands, the EU or NATO fails.

Per system, on two bases that answer different questions — *where* production happens (location)
and *who decides* about it (control):

- **country SPOFs** — the countries whose failure alone stops it (order-1 cut sets, unit country):
  - *by location*: a country takes down the relations whose effective country (CONTRACT §3) it is;
  - *by control*: a country takes down the relations whose supplier is controlled from it (see
    below), wherever they are located. A Dutch plant of a Chinese-owned group is a Chinese
    relation here, so China can be a single point of failure by control while no Chinese site is
    involved: the question is which governments could stop the system through ownership;
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

from defport_kg.errors import UsageError
from defport_kg.risk.algebra import order1
from defport_kg.risk.cutsets import check_item
from defport_kg.risk.evidence import evidence_summary
from defport_kg.risk.index import UnitIndex, cone, skeleton, strongly_connected
from defport_kg.risk.model import EU, NATO, NL, SupplyNetwork
from defport_kg.risk.propagation import propagate_relations

REGIONS: tuple[str, ...] = ("NL", "EU", "NATO")
BASES: tuple[str, ...] = ("location", "control")
BY_CHOICES: tuple[str, ...] = ("location", "control", "both")


def check_by(by: str) -> tuple[str, ...]:
    """The bases a ``by`` choice asks for; a UsageError (CLI exit 2, HTTP 400) names a bad one."""
    if by == "both":
        return BASES
    if by in BASES:
        return (by,)
    raise UsageError(f"unknown sovereignty basis {by!r}: use one of {', '.join(BY_CHOICES)}", by=by)


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


def country_units(network: SupplyNetwork, basis: str) -> UnitIndex:
    """Countries as failure units on a basis, in the form the cut-set algebra runs on.

    By location this is the ordinary country index; by control each relation belongs to the
    country its supplier is controlled from, which is a different unit table over the same
    skeleton — so the exact order-1 algebra of ``risk spof`` answers the control question too,
    instead of a propagation per country. Cached on the network per basis.
    """
    key = "units:country-by-" + basis
    cached = network.cache.get(key)
    if cached is not None:
        return cached
    skel = skeleton(network)
    countries = relation_countries(network, basis)
    per_relation = [countries[iri] for iri in skel.rel_iris]
    units = tuple(sorted({c for c in per_relation if c is not None}))
    index = {c: n for n, c in enumerate(units)}
    result = UnitIndex(
        kind="country",
        units=units,
        unit_index=index,
        rel_units=tuple(() if c is None else (index[c],) for c in per_relation),
    )
    network.cache[key] = result
    return result


def spof_countries(network: SupplyNetwork, systems: Iterable[str], basis: str) -> dict[str, tuple[str, ...]]:
    """System → the countries whose failure alone stops it, on ``basis`` (sorted IRIs).

    A relation whose country is unknown on that basis is taken down by no country (it can only
    fail through what it needs), the same rule as the location-based ``risk spof``.
    """
    chosen = list(systems)
    for system in chosen:
        check_item(network, system)
    units = country_units(network, basis)
    skel = skeleton(network)
    roots = [skel.item_index[s] for s in chosen]
    killers = order1(skel, units, strongly_connected(skel.deps, roots))
    return {s: tuple(sorted(units.units[u] for u in killers[v])) for s, v in zip(chosen, roots, strict=True)}


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
    """One system's sovereignty. ``country_spofs`` are by location, ``country_spofs_by_control``
    by control; the figures of a basis that was not asked for are empty and left out of the JSON."""

    system: str
    label: str | None
    country_spofs: tuple[str, ...]
    tree_items: int
    by_location: dict[str, float]
    by_control: dict[str, float]
    available_by_location: dict[str, bool]
    available_by_control: dict[str, bool]
    evidence: dict[str, Any]
    country_spofs_by_control: tuple[str, ...] = ()
    bases: tuple[str, ...] = BASES

    def to_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {"system": self.system, "label": self.label}
        if "location" in self.bases:
            body["country_spofs"] = list(self.country_spofs)
        if "control" in self.bases:
            body["country_spofs_by_control"] = list(self.country_spofs_by_control)
        body["tree_items"] = self.tree_items
        for basis, shares, alive in (
            ("location", self.by_location, self.available_by_location),
            ("control", self.by_control, self.available_by_control),
        ):
            if basis in self.bases:
                body["by_" + basis] = dict(shares)
                body["system_available_by_" + basis] = dict(alive)
        body["evidence"] = self.evidence
        return body


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
    bases: tuple[str, ...] = BASES

    def to_dict(self) -> dict[str, Any]:
        return {
            "regions": list(REGIONS),
            "bases": list(self.bases),
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


def sovereignty(network: SupplyNetwork, systems: Iterable[str] | None = None, by: str = "both") -> SovereigntyReport:
    """The sovereignty of each system (all ``dp:System`` items by default); see the module doc.

    ``by`` is ``location``, ``control`` or ``both`` (default): which bases to compute and report.
    """
    bases = check_by(by)
    chosen = sorted(set(systems)) if systems is not None else list(network.systems)
    for system in chosen:
        check_item(network, system)
    skel = skeleton(network)
    regions = {r: region_countries(network, r) for r in REGIONS}
    spofs: dict[str, dict[str, tuple[str, ...]]] = {b: {} for b in BASES}
    # One propagation per (basis, region), shared by every system: what fails does not depend on
    # which system one looks at.
    outcomes: dict[tuple[str, str], bytearray] = {}
    for basis in bases:
        spofs[basis] = spof_countries(network, chosen, basis)
        countries = relation_countries(network, basis)
        for region, inside in regions.items():
            direct = [r for r, iri in enumerate(skel.rel_iris) if countries[iri] not in inside]
            outcomes[basis, region] = propagate_relations(skel, direct).unavailable
    results = []
    for system in chosen:
        tree = cone(network, system)
        root = skel.item_index[system]
        shares: dict[str, dict[str, float]] = {b: {} for b in BASES}
        alive: dict[str, dict[str, bool]] = {b: {} for b in BASES}
        for (basis, region), unavailable in outcomes.items():
            shares[basis][region] = round(sum(1 for v in tree if not unavailable[v]) / len(tree), 4)
            alive[basis][region] = not unavailable[root]
        relations = [skel.rel_iris[r] for v in tree for r in skel.rels[v]]
        results.append(
            SystemSovereignty(
                system=system,
                label=network.label(system),
                country_spofs=spofs["location"].get(system, ()),
                tree_items=len(tree),
                by_location=shares["location"],
                by_control=shares["control"],
                available_by_location=alive["location"],
                available_by_control=alive["control"],
                evidence=evidence_summary(network, relations),
                country_spofs_by_control=spofs["control"].get(system, ()),
                bases=bases,
            )
        )
    controlled = foreign_controlled(network)
    named = {c for s in results for c in (*s.country_spofs, *s.country_spofs_by_control)}
    named |= {f.organisation for f in controlled} | {f.ultimate_parent for f in controlled}
    labels = {iri: lbl for iri in sorted(named) if (lbl := network.label(iri)) is not None}
    return SovereigntyReport(tuple(results), tuple(controlled), labels, bases=bases)
