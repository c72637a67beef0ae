"""Sovereignty shares, country cut sets under evidence filters, raw-material reachability and the
evidence filters themselves, against literal brute force on random networks (hypothesis)."""

from __future__ import annotations

import dataclasses

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from defport_kg.namespaces import DP
from defport_kg.risk import EvidenceFilter, SupplyNetwork, cut_sets, reference
from defport_kg.risk.evidence import ASSUMED, DISCLOSED, INFERRED, valid_on
from defport_kg.risk.index import cone, skeleton
from defport_kg.risk.rawmaterials import materials_of
from defport_kg.risk.sovereignty import available_share, relation_countries
from tests.risk.networks import networks

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
DATES = [None, "2024-06-30", "2025-01-01", "2026-01-01"]
LEVELS = [None, DISCLOSED, INFERRED, ASSUMED]


def _brute_unavailable(network: SupplyNetwork, down_relation) -> set[str]:
    """Literal §3 sweeps with relations failed by a predicate (not by unit)."""
    down: set[str] = set()
    unavailable: set[str] = set()
    changed = True
    while changed:
        changed = False
        for r in network.relations.values():
            if r.iri in down:
                continue
            if (
                down_relation(r)
                or any(c in unavailable for c in network.components.get(r.item, {}))
                or any(x in unavailable for x in r.inputs)
            ):
                down.add(r.iri)
                changed = True
        for iri in network.items:
            if iri in unavailable:
                continue
            rels = network.relations_of.get(iri, ())
            dead = (
                all(r in down for r in rels) if rels else any(c in unavailable for c in network.components.get(iri, {}))
            )
            if dead:
                unavailable.add(iri)
                changed = True
    return unavailable


def _brute_tree(network: SupplyNetwork, item: str) -> set[str]:
    tree, todo = set(), [item]
    while todo:
        i = todo.pop()
        if i in tree:
            continue
        tree.add(i)
        todo.extend(network.components.get(i, {}))
        for r in network.relations.values():
            if r.item == i:
                todo.extend(r.inputs)
    return tree


@st.composite
def evidenced(draw: st.DrawFn) -> SupplyNetwork:
    """A random network whose relations carry random dates and confidence levels."""
    network = draw(networks())
    relations = {}
    for iri, r in network.relations.items():
        start = draw(st.sampled_from([None, "2025-01-01"]))
        end = draw(st.sampled_from([None, "2025-06-30", "2028-12-31"]))
        relations[iri] = dataclasses.replace(
            r, valid_from=start, valid_to=end, confidence=draw(st.sampled_from(LEVELS))
        )
    return dataclasses.replace(network, relations=relations, cache={})


@FAST
@given(networks(), st.sets(st.integers(0, 2)), st.sampled_from(["location", "control"]))
def test_sovereignty_shares_match_brute_force(network: SupplyNetwork, inside_ids: set[int], basis: str) -> None:
    inside = frozenset(f"https://w3id.org/defport/id/country/C{k}" for k in inside_ids)
    countries = relation_countries(network, basis)
    for system in network.systems:
        share, up = available_share(network, system, inside, countries)
        dead = _brute_unavailable(network, lambda r: countries[r.iri] not in inside)
        tree = _brute_tree(network, system)
        assert share == len(tree - dead) / len(tree)
        assert up == (system not in dead)


@FAST
@given(networks(), st.dictionaries(st.integers(0, 4), st.integers(0, 4), max_size=4))
def test_control_basis_follows_ultimate_parent(network: SupplyNetwork, parents: dict[int, int]) -> None:
    orgs = sorted(network.organisations)
    control = {orgs[a]: (orgs[b],) for a, b in parents.items() if a < len(orgs) and b < len(orgs) and a != b}
    network = dataclasses.replace(network, controlled_by=control, cache={})
    countries = relation_countries(network, "control")
    for r in network.relations.values():
        org, seen = r.supplier, set()
        while org in control and control[org][0] not in seen | {org}:
            seen.add(org)
            org = control[org][0]
        expected = network.org_country.get(org)
        assert countries[r.iri] == expected


@FAST
@given(evidenced(), st.sampled_from(DATES), st.sampled_from(LEVELS))
def test_evidence_filter_matches_brute_force(network: SupplyNetwork, date: str | None, level: str | None) -> None:
    rank = {DISCLOSED: 3, INFERRED: 2, ASSUMED: 1}
    kept = EvidenceFilter(date, level).apply(network)
    for r in network.relations.values():
        ok = True
        if date is not None:
            ok = (r.valid_from is None or r.valid_from <= date) and (r.valid_to is None or date <= r.valid_to)
        if level is not None:
            ok = ok and rank[r.confidence or ASSUMED] >= rank[level]
        assert (r.iri in kept.relations) == ok
        if r.valid_from is None and r.valid_to is None:
            assert valid_on(r, "1900-01-01")


@FAST
@given(evidenced(), st.sampled_from(DATES), st.sampled_from(LEVELS))
def test_country_cut_sets_under_evidence_filters(network: SupplyNetwork, date: str | None, level: str | None) -> None:
    filtered = EvidenceFilter(date, level).apply(network)
    for item in filtered.items:
        expected = reference.minimal_cut_sets(filtered, item, 2, "country")
        report = cut_sets(filtered, item, 2, "country")
        assert [c.members for c in report.cut_sets] == expected


@FAST
@given(networks(), st.sets(st.integers(0, 6)))
def test_raw_material_reachability(network: SupplyNetwork, crm: set[int]) -> None:
    items = {
        iri: dataclasses.replace(item, types=(DP + "CriticalRawMaterial",))
        if int(iri.rsplit("i", 1)[-1]) in crm
        else item
        for iri, item in network.items.items()
    }
    network = dataclasses.replace(network, items=items, cache={})
    skel = skeleton(network)
    for system in network.systems:
        tree = _brute_tree(network, system)
        assert {skel.items[v] for v in cone(network, system)} == tree
        assert materials_of(network, system) == sorted(
            i for i in tree if DP + "CriticalRawMaterial" in network.items[i].types
        )
