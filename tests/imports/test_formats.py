"""Every RDF format imports, into one import graph, with the same triples (CONTRACT §4 import)."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from defport_kg.imports import import_files, list_imports
from defport_kg.namespaces import LIVE_GRAPH
from defport_kg.store import EmbeddedStore
from tests.imports.conftest import ACME, BATCH, SUPPLY, batch_quads, serialised, write

FORMATS = {
    "batch.ttl": ox.RdfFormat.TURTLE,
    "batch.trig": ox.RdfFormat.TRIG,
    "batch.nt": ox.RdfFormat.N_TRIPLES,
    "batch.nq": ox.RdfFormat.N_QUADS,
    "batch.jsonld": ox.RdfFormat.JSON_LD,
    "batch.rdf": ox.RdfFormat.RDF_XML,
}
EXPECTED = {(str(q.subject), str(q.predicate), str(q.object)) for q in batch_quads()}


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_every_rdf_format_imports_the_same_triples(store: EmbeddedStore, tmp_path: Path, name: str) -> None:
    path = write(tmp_path, name, serialised(FORMATS[name]))
    result = import_files(store, [path])
    assert result.committed and result.triple_count == len(EXPECTED)
    stored = {(str(q.subject), str(q.predicate), str(q.object)) for q in store.graph_quads(result.graph)}
    assert stored == EXPECTED
    assert store.ask(f"ASK {{ <{SUPPLY}> <https://w3id.org/defport/ontology#supplier> <{ACME}> }}")
    assert result.graph in store.live_graphs()
    assert store.check() == []


@pytest.mark.parametrize("name", ["batch.trig", "batch.nq"])
def test_graph_names_inside_a_dataset_are_kept_in_provenance(store: EmbeddedStore, tmp_path: Path, name: str) -> None:
    result = import_files(store, [write(tmp_path, name, serialised(FORMATS[name]))])
    [record] = list_imports(store)
    assert record.graph_names == ["https://example.org/source/0", "https://example.org/source/1"]
    # ... while the triples themselves are in the import graph (and live), not in those graphs.
    for graph in record.graph_names:
        assert not any(True for _ in store.graph_quads(graph))
    assert store.triple_count(result.graph) == len(EXPECTED)
    assert any(True for _ in store.quads_for_pattern(ox.NamedNode(ACME), None, None, LIVE_GRAPH))


def test_several_files_are_one_import(store: EmbeddedStore, tmp_path: Path) -> None:
    text = BATCH.read_text()
    head, _, tail = text.partition("dpid:item\\/periscope")
    first = write(tmp_path, "part1.ttl", head)
    prefixes = "".join(line + "\n" for line in text.splitlines() if line.startswith("@prefix"))
    second = write(tmp_path, "part2.ttl", prefixes + "dpid:item\\/periscope" + tail)
    result = import_files(store, [first, second])
    assert result.triple_count == len(EXPECTED)
    [record] = list_imports(store)
    assert record.sources == ["part1.ttl", "part2.ttl"]
    assert record.formats == ["text/turtle"]  # one statement per distinct format


def test_explicit_format_for_an_unknown_extension(store: EmbeddedStore, tmp_path: Path) -> None:
    path = write(tmp_path, "export.data", serialised(ox.RdfFormat.N_TRIPLES))
    assert import_files(store, [path], fmt="nt").committed


def test_blank_nodes_of_two_imports_never_merge(store: EmbeddedStore, tmp_path: Path) -> None:
    text = BATCH.read_text() + '\n_:note <http://www.w3.org/2000/01/rdf-schema#comment> "a note" .\n'
    first = import_files(store, [write(tmp_path, "a.ttl", text)])
    text2 = text.replace("Acme Optics B.V.", "Acme Optics BV")
    second = import_files(store, [write(tmp_path, "b.ttl", text2)], replace="a.ttl")
    notes = store.select('SELECT ?n WHERE { ?n <http://www.w3.org/2000/01/rdf-schema#comment> "a note" }')
    assert len(notes) == 1 and first.graph != second.graph
