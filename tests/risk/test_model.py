"""Loading the model from a real store gives back exactly the network that was written."""

from __future__ import annotations

import pyoxigraph as ox
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from defport_kg.risk import SupplyNetwork, cut_sets, load_network
from defport_kg.store import EmbeddedStore
from defport_kg.synthetic import generate
from tests.risk.networks import networks, to_ntriples

GRAPH = "https://w3id.org/defport/id/import/risk-model"


def _load(text: str) -> SupplyNetwork:
    store = EmbeddedStore.in_memory()
    triples = list(ox.parse(text.encode(), format=ox.RdfFormat.N_TRIPLES))
    store.add_source_graph(GRAPH, triples, role="import")
    network = load_network(store)
    store.close()
    return network


def _shape(network: SupplyNetwork) -> tuple:
    relations = sorted(
        (r.iri, r.item, r.supplier, r.site, r.country, r.inputs, r.share, r.monthly_capacity)
        for r in network.relations.values()
    )
    components = {a: dict(parts) for a, parts in network.components.items() if parts}
    items = sorted((i.iri, i.is_system, i.realises) for i in network.items.values())
    return relations, components, items, sorted(network.organisations), sorted(network.sites)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(networks(), st.lists(st.integers(0, 3), min_size=1, max_size=4))
def test_a_network_survives_the_store(network: SupplyNetwork, styles: list[int]) -> None:
    loaded = _load(to_ntriples(network, styles))
    assert _shape(loaded) == _shape(network)
    for item in network.items:
        assert cut_sets(loaded, item, 2).cut_sets == cut_sets(network, item, 2).cut_sets


def test_the_generator_is_deterministic_and_loads() -> None:
    first = "".join(generate(300, seed=7))
    assert first == "".join(generate(300, seed=7))
    assert first != "".join(generate(300, seed=8))
    network = _load(first)
    assert len(network.organisations) == 300
    systems = network.systems
    assert systems and all("synthetic" in (network.items[s].label or "").lower() for s in systems)
    relations_of = network.relations_of
    single = sum(1 for rels in relations_of.values() if len(rels) == 1)
    assert 0.15 < single / len(relations_of) < 0.45
    assert any(r.inputs for r in network.relations.values())
    assert any(q != 1.0 for parts in network.components.values() for q in parts.values())
    assert all(network.items[s].monthly_demand for s in systems)


class _RowsOnly:
    """A store whose query results are plain rows (no TSV serialisation), like a remote one."""

    def __init__(self, store: EmbeddedStore) -> None:
        self.store = store

    def query(self, sparql: str):
        return list(self.store.query(sparql))


def test_a_store_without_result_serialisation_gives_the_same_network() -> None:
    text = "".join(generate(200, seed=3))
    store = EmbeddedStore.in_memory()
    store.add_source_graph(GRAPH, list(ox.parse(text.encode(), format=ox.RdfFormat.N_TRIPLES)), role="import")
    direct = load_network(store)
    fallback = load_network(_RowsOnly(store))
    assert _shape(fallback) == _shape(direct)
    assert fallback.org_labels == direct.org_labels
    assert {i: (x.stock_days, x.monthly_demand) for i, x in fallback.items.items()} == {
        i: (x.stock_days, x.monthly_demand) for i, x in direct.items.items()
    }
