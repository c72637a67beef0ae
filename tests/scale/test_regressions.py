"""Regression tests, each named after what broke."""

from __future__ import annotations

import dataclasses

import numpy as np
import pyoxigraph as ox
import pytest
from scipy import sparse
from scipy.optimize import linprog

from defport_kg.risk import build_network, load_network
from defport_kg.risk.index import evaluation_order, skeleton
from defport_kg.risk.model import SupplyNetwork
from defport_kg.scale import max_output
from defport_kg.scale.capacity import build_model, demand_of, final_vector
from defport_kg.store import EmbeddedStore
from defport_kg.synthetic import generate


def _without_cycle_inputs(network: SupplyNetwork) -> SupplyNetwork:
    skel = skeleton(network)
    component_of = {skel.items[v]: k for k, members in enumerate(evaluation_order(network)) for v in members}
    relations = [
        dataclasses.replace(r, inputs=tuple(x for x in r.inputs if component_of.get(x) != component_of.get(r.item)))
        for r in network.relations.values()
    ]
    return build_network(items=network.items.values(), relations=relations, components=network.components)


@pytest.mark.slow
def test_tiny_output_level_is_not_cut_short_by_the_dual_tolerance(memory_store: EmbeddedStore) -> None:
    """At 20,000 synthetic organisations λ is ~7e-5 of demand; maximising λ itself let HiGHS stop
    at 6.52e-5 because the gains per unit of capacity sat below its dual tolerance (1e-7). The
    objective is now scaled by an estimate of λ; an interior-point solve of the scaled LP agrees."""
    text = "".join(generate(20_000, 1))
    quads = list(ox.parse(text.encode(), format=ox.RdfFormat.N_TRIPLES))
    memory_store.add_source_graph("https://w3id.org/defport/id/import/synthetic", quads, role="import")
    network = _without_cycle_inputs(load_network(memory_store))
    systems = list(network.systems)
    report = max_output(network, systems)

    model = build_model(network, systems, demand_of(network, systems))
    n, n_rel = model.n_columns, len(model.relations)
    a_ub = sparse.hstack([sparse.csc_matrix(final_vector(model)[:, None]), model.flow], format="csc")
    bounds = np.zeros((n + 1, 2))
    bounds[:, 1] = np.inf
    bounds[1 : n_rel + 1, 1] = model.capacity
    c = np.zeros(n + 1)
    c[0] = -1e6
    reference = linprog(c, A_ub=a_ub, b_ub=np.zeros(len(model.items)), bounds=bounds, method="highs-ipm")
    assert reference.status == 0
    assert report.level == pytest.approx(reference.x[0], rel=1e-6)
    assert report.level > 6.6e-5
    assert report.level == pytest.approx(sum(b.capacity * b.shadow_price for b in report.bottlenecks), rel=1e-6)
