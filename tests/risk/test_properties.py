"""Every analysis against the brute force of CONTRACT §3 on random networks (hypothesis).

The fast profile runs a few hundred networks in all; ``-m slow`` runs many more.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from defport_kg.risk import SupplyNetwork, cut_sets, impact, propagate, reference, spof
from defport_kg.risk.index import evaluation_order, skeleton
from defport_kg.risk.reference import recompute_unavailable
from tests.risk.networks import networks

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
KINDS = st.sampled_from(["organisation", "site", "country"])


def _engine_sets(network: SupplyNetwork, item: str, order: int, kind: str) -> list[tuple[str, ...]]:
    report = cut_sets(network, item, order, kind, bound=10**9)
    assert report.complete
    return [c.members for c in report.cut_sets]


def check_cut_sets(network: SupplyNetwork, kind: str, order: int) -> None:
    for item in network.items:
        expected = reference.minimal_cut_sets(network, item, order, kind)
        assert _engine_sets(network, item, order, kind) == expected, (item, kind, order)


def check_spof(network: SupplyNetwork, kind: str) -> None:
    expected = reference.spof_table(network, kind)
    report = spof(network, kind)
    assert {s.unit: list(s.systems) for s in report.spofs} == expected
    ranks = [(-len(s.systems), s.unit) for s in report.spofs]
    assert ranks == sorted(ranks)


def check_impact(network: SupplyNetwork, failed: list[str]) -> None:
    expected = reference.unavailable_items(network, failed)
    outcome = propagate(network, failed)
    skel = skeleton(network)
    got = {skel.items[i] for i, flag in enumerate(outcome.unavailable) if flag}
    assert got == expected
    report = impact(network, failed)
    assert set(report.items) == expected
    assert set(report.systems) == {s for s in network.systems if s in expected}
    # The naive baseline of the benchmark must agree too.
    direct = bytearray(len(skel.rel_iris))
    for r, iri in enumerate(skel.rel_iris):
        rel = network.relations[iri]
        if {rel.supplier, rel.site, rel.country} & set(failed):
            direct[r] = 1
    again = recompute_unavailable(skel, evaluation_order(network), direct)
    assert {skel.items[i] for i, flag in enumerate(again) if flag} == expected


def _failures(network: SupplyNetwork) -> st.SearchStrategy[list[str]]:
    units = sorted(network.organisations | set(network.sites) | network.countries)
    return st.lists(st.sampled_from(units), min_size=1, max_size=3, unique=True)


@FAST
@given(networks(), KINDS)
def test_order_1_and_2_cut_sets_match_brute_force(network: SupplyNetwork, kind: str) -> None:
    check_cut_sets(network, kind, 1)
    check_cut_sets(network, kind, 2)


@FAST
@given(networks(max_items=5, max_orgs=5), KINDS)
def test_order_3_cut_sets_match_brute_force(network: SupplyNetwork, kind: str) -> None:
    check_cut_sets(network, kind, 3)


@FAST
@given(networks(), KINDS)
def test_spof_matches_brute_force(network: SupplyNetwork, kind: str) -> None:
    check_spof(network, kind)


@FAST
@given(st.data())
def test_impact_matches_brute_force(data: st.DataObject) -> None:
    network = data.draw(networks())
    check_impact(network, data.draw(_failures(network)))


@pytest.mark.slow
@SLOW
@given(networks(max_items=9, max_orgs=6), KINDS)
def test_cut_sets_match_brute_force_many(network: SupplyNetwork, kind: str) -> None:
    check_cut_sets(network, kind, 2)
    check_spof(network, kind)


@pytest.mark.slow
@SLOW
@given(st.data())
def test_impact_matches_brute_force_many(data: st.DataObject) -> None:
    network = data.draw(networks(max_items=9, max_orgs=6))
    check_impact(network, data.draw(_failures(network)))


@pytest.mark.slow
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(networks(max_items=7, max_orgs=6), KINDS)
def test_order_3_cut_sets_match_brute_force_many(network: SupplyNetwork, kind: str) -> None:
    check_cut_sets(network, kind, 3)
