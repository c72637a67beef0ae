"""Country single points of failure by location and by control, against literal brute force on
random networks with ownership chains (hypothesis), and the ``by`` choice of the report."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from defport_kg.errors import UsageError
from defport_kg.risk import SupplyNetwork, sovereignty
from defport_kg.risk.sovereignty import spof_countries
from tests.risk.networks import COUNTRY, ORG, networks

FAST = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def owned_networks(draw: st.DrawFn) -> SupplyNetwork:
    """A random network whose organisations sit in random ownership chains.

    Besides the suppliers there are up to three holdings that supply nothing, some in countries no
    relation is located in (so control can introduce a country location never names). Each
    organisation gets zero to two parents; chains, shared parents, parents without a country and
    control cycles all occur.
    """
    network = draw(networks())
    holdings = [f"{ORG}h{k}" for k in range(draw(st.integers(0, 3)))]
    org_country = dict(network.org_country)
    for holding in holdings:
        country = draw(st.sampled_from([f"{COUNTRY}C0", f"{COUNTRY}C1", f"{COUNTRY}H9", None]))
        if country is not None:
            org_country[holding] = country
    everyone = sorted(network.organisations) + holdings
    control: dict[str, tuple[str, ...]] = {}
    for org in everyone:
        parents = draw(st.lists(st.sampled_from(everyone), max_size=2, unique=True))
        parents = [p for p in parents if p != org]
        if parents:
            control[org] = tuple(sorted(parents))
    return dataclasses.replace(
        network,
        controlled_by=control,
        org_country=org_country,
        organisations=frozenset(everyone),
        countries=network.countries | frozenset(org_country.values()),
        cache={},
    )


def _brute_country(network: SupplyNetwork, relation, basis: str) -> str | None:  # type: ignore[no-untyped-def]
    """The country a relation belongs to, from the definitions alone.

    Location: its site's country, else its supplier's (CONTRACT §3). Control: walk dp:controlledBy
    from the supplier, always to the first parent by IRI, until an organisation without a parent or
    one already visited; that organisation's country.
    """
    if basis == "location":
        if relation.site is not None and relation.site in network.site_country:
            return network.site_country[relation.site]
        return network.org_country.get(relation.supplier)
    org, seen = relation.supplier, {relation.supplier}
    while network.controlled_by.get(org) and network.controlled_by[org][0] not in seen:
        org = network.controlled_by[org][0]
        seen.add(org)
    return network.org_country.get(org)


def _brute_unavailable(network: SupplyNetwork, failed_relations: set[str]) -> set[str]:
    """Literal §3 sweeps to the fixpoint, starting from relations down on their own account."""
    down: set[str] = set()
    unavailable: set[str] = set()
    changed = True
    while changed:
        changed = False
        for r in network.relations.values():
            if r.iri in down:
                continue
            if (
                r.iri in failed_relations
                or any(c in unavailable for c in network.components.get(r.item, {}))
                or any(x in unavailable for x in r.inputs)
            ):
                down.add(r.iri)
                changed = True
        for iri in network.items:
            if iri in unavailable:
                continue
            rels = [r.iri for r in network.relations.values() if r.item == iri]
            components = network.components.get(iri, {})
            if all(r in down for r in rels) if rels else any(c in unavailable for c in components):
                unavailable.add(iri)
                changed = True
    return unavailable


def _brute_spofs(network: SupplyNetwork, basis: str) -> dict[str, tuple[str, ...]]:
    """Fail every country in turn (on the basis) and look which systems stop."""
    country_of = {iri: _brute_country(network, r, basis) for iri, r in network.relations.items()}
    answer: dict[str, list[str]] = {s: [] for s in network.systems}
    for country in sorted({c for c in country_of.values() if c is not None}):
        dead = _brute_unavailable(network, {iri for iri, c in country_of.items() if c == country})
        for system in network.systems:
            if system in dead:
                answer[system].append(country)
    return {s: tuple(c) for s, c in answer.items()}


@FAST
@given(owned_networks(), st.sampled_from(["location", "control"]))
def test_country_spofs_match_brute_force(network: SupplyNetwork, basis: str) -> None:
    assert spof_countries(network, network.systems, basis) == _brute_spofs(network, basis)


@FAST
@given(owned_networks())
def test_report_carries_both_bases(network: SupplyNetwork) -> None:
    report = sovereignty(network)
    expected_location = _brute_spofs(network, "location")
    expected_control = _brute_spofs(network, "control")
    for s in report.systems:
        assert s.country_spofs == expected_location[s.system]
        assert s.country_spofs_by_control == expected_control[s.system]
        body = s.to_dict()
        assert body["country_spofs"] == list(expected_location[s.system])
        assert body["country_spofs_by_control"] == list(expected_control[s.system])


@FAST
@given(networks())
def test_without_ownership_control_equals_location_for_unsited_relations(network: SupplyNetwork) -> None:
    """Without any dp:controlledBy, control only differs from location where a site lies elsewhere:
    on a network without sites the two bases must agree exactly."""
    unsited = dataclasses.replace(
        network,
        relations={
            i: dataclasses.replace(r, site=None, country=network.org_country.get(r.supplier))
            for i, r in network.relations.items()
        },
        cache={},
    )
    assert spof_countries(unsited, unsited.systems, "control") == spof_countries(unsited, unsited.systems, "location")


def test_a_foreign_parent_moves_the_spof_abroad() -> None:
    """A system made only by a Dutch subsidiary of a group whose top is in the US: by location NL
    stops it, by control the US does (through the Dutch intermediate holding), NL does not."""
    from defport_kg.risk import Item, SupplyRelation, build_network

    item = "https://w3id.org/defport/id/item/s"
    network = build_network(
        items=[Item(item, is_system=True)],
        relations=[SupplyRelation(iri="https://w3id.org/defport/id/supply/s--sub", item=item, supplier=ORG + "sub")],
        org_country={ORG + "sub": COUNTRY + "NL", ORG + "mid": COUNTRY + "NL", ORG + "top": COUNTRY + "US"},
        controlled_by={ORG + "sub": (ORG + "mid",), ORG + "mid": (ORG + "top",)},
    )
    report = sovereignty(network)
    [s] = report.systems
    assert s.country_spofs == (COUNTRY + "NL",)
    assert s.country_spofs_by_control == (COUNTRY + "US",)
    assert [f.organisation for f in report.foreign_controlled] == [ORG + "mid", ORG + "sub"]


def test_by_picks_the_bases_and_a_bad_one_is_named() -> None:
    from defport_kg.risk import Item, SupplyRelation, build_network

    item = "https://w3id.org/defport/id/item/s"
    network = build_network(
        items=[Item(item, is_system=True)],
        relations=[SupplyRelation(iri="https://w3id.org/defport/id/supply/s--a", item=item, supplier=ORG + "a")],
        org_country={ORG + "a": COUNTRY + "NL"},
    )
    location = sovereignty(network, by="location").to_dict()
    assert location["bases"] == ["location"]
    [system] = location["systems"]
    assert "country_spofs" in system and "by_location" in system
    assert "country_spofs_by_control" not in system and "by_control" not in system
    control = sovereignty(network, by="control").to_dict()
    [system] = control["systems"]
    assert control["bases"] == ["control"] and system["country_spofs_by_control"] == [COUNTRY + "NL"]
    assert "country_spofs" not in system and "by_location" not in system
    with pytest.raises(UsageError, match=r"'owner'.*location, control, both"):
        sovereignty(network, by="owner")
