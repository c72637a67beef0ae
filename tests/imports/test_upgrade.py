"""`upgrade`: the shipped graphs are brought up to the installed version, one atomic step each, and
the whole live data is revalidated; nothing is deleted."""

from __future__ import annotations

import pyoxigraph as ox

from defport_kg.imports import import_files, upgrade
from defport_kg.namespaces import LIVE_GRAPH, REFERENCE_GRAPH_PREFIX, SHAPES_GRAPH
from defport_kg.rdfio import parse_file
from defport_kg.resources import shapes_file
from defport_kg.store import EmbeddedStore
from tests.imports.conftest import BATCH, snapshot


def _actions(result: object) -> dict[str, str]:
    return {c.graph: c.action for c in result.changes}  # type: ignore[attr-defined]


def test_an_up_to_date_store_is_left_as_it_is(store: EmbeddedStore) -> None:
    import_files(store, [BATCH])
    before = snapshot(store)
    result = upgrade(store)
    assert set(_actions(result).values()) == {"unchanged"}
    assert result.conforms, result.report.to_text()
    assert snapshot(store) == before


def test_changed_missing_and_unshipped_graphs(store: EmbeddedStore) -> None:
    countries = REFERENCE_GRAPH_PREFIX + "countries"
    # An older shapes version (one statement fewer), a reference file the store lacks, and a
    # reference graph the installed version no longer ships.
    store.raw.update(f"DELETE WHERE {{ GRAPH <{SHAPES_GRAPH}> {{ ?s <http://www.w3.org/ns/shacl#minCount> ?n }} }}")
    store.drop_graph(countries)
    retired = REFERENCE_GRAPH_PREFIX + "retired-list"
    store.add_source_graph(
        retired,
        [ox.Triple(ox.NamedNode("https://example.org/x"), ox.NamedNode("https://example.org/p"), ox.Literal("1"))],
        role="reference",
        label="retired-list.ttl",
    )
    dry = upgrade(store, dry_run=True)
    assert _actions(dry)[SHAPES_GRAPH] == "replaced" and _actions(dry)[countries] == "added"
    assert not store.has_graph(countries)  # a dry run changes nothing

    result = upgrade(store)
    actions = _actions(result)
    assert actions[SHAPES_GRAPH] == "replaced"
    assert actions[countries] == "added"
    assert actions[retired] == "kept"
    shipped = {
        str(q.subject) + str(q.predicate) + str(q.object)
        for q in parse_file(shapes_file()).quads
        if not isinstance(q.subject, ox.BlankNode) and not isinstance(q.object, ox.BlankNode)
    }
    stored = {
        str(q.subject) + str(q.predicate) + str(q.object)
        for q in store.graph_quads(SHAPES_GRAPH)
        if not isinstance(q.subject, ox.BlankNode) and not isinstance(q.object, ox.BlankNode)
    }
    assert stored == shipped
    assert store.ask("ASK { <https://w3id.org/defport/id/country/NL> ?p ?o }")
    assert store.has_graph(retired) and store.ask('ASK { <https://example.org/x> ?p "1" }')
    assert store.check() == []
    # The shapes never enter the live data.
    assert not store.raw.query(f"ASK {{ GRAPH <{LIVE_GRAPH}> {{ ?s a <http://www.w3.org/ns/shacl#NodeShape> }} }}")
