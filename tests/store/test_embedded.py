"""The embedded store: CONTRACT §1 graph semantics, atomic writes, locking."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pyoxigraph as ox
import pytest

from defport_kg.errors import StoreLockedError, UsageError
from defport_kg.namespaces import CATALOG_GRAPH, LIVE_GRAPH
from defport_kg.store import STATUS_LIVE, STATUS_SUPERSEDED, EmbeddedStore
from defport_kg.store.terms import graph_term
from tests.conftest import turtle_quads

G1 = "https://w3id.org/defport/id/import/g1"
G2 = "https://w3id.org/defport/id/import/g2"
SHARES = """
s:a dp:item i:x ; dp:share 0.5 .
s:b dp:item i:x ; dp:share 0.25 .
"""
SUM_OF_SHARES = """PREFIX dp: <https://w3id.org/defport/ontology#>
SELECT (SUM(?s) AS ?total) (COUNT(?r) AS ?n) WHERE { ?r dp:share ?s }"""


def test_a_triple_asserted_in_two_graphs_counts_once(memory_store: EmbeddedStore) -> None:
    memory_store.add_source_graph(G1, turtle_quads(SHARES), role="import")
    memory_store.add_source_graph(G2, turtle_quads(SHARES), role="import")
    [row] = memory_store.select(SUM_OF_SHARES)
    assert row == {"total": 0.75, "n": 2}


def test_retiring_one_of_two_graphs_keeps_shared_triples_live(memory_store: EmbeddedStore) -> None:
    memory_store.add_source_graph(G1, turtle_quads(SHARES), role="import")
    memory_store.add_source_graph(G2, turtle_quads(SHARES + "s:c dp:share 0.1 ."), role="import")
    memory_store.retire(G2)
    [row] = memory_store.select(SUM_OF_SHARES)
    assert row == {"total": 0.75, "n": 2}
    assert memory_store.live_graphs() == [G1]
    statuses = {r["g"]: r["status"] for r in memory_store.source_graphs()}
    assert statuses == {G1: STATUS_LIVE, G2: STATUS_SUPERSEDED}
    # the superseded version stays in history, outside the live data
    assert sum(1 for _ in memory_store.graph_quads(G2)) == 5
    assert memory_store.check() == []


def test_activate_swaps_versions_in_one_update(memory_store: EmbeddedStore) -> None:
    memory_store.add_source_graph(G1, turtle_quads(SHARES), role="import")
    memory_store.stage_graph(G2, turtle_quads("s:a dp:item i:x ; dp:share 0.9 ."), role="import")
    # staged data is not live
    assert memory_store.select(SUM_OF_SHARES)[0]["total"] == 0.75
    memory_store.activate(G2, retire=[G1])
    assert memory_store.select(SUM_OF_SHARES)[0] == {"total": 0.9, "n": 1}
    assert memory_store.check() == []


def test_drop_graph_removes_it_and_its_live_triples(memory_store: EmbeddedStore) -> None:
    memory_store.add_source_graph(G1, turtle_quads(SHARES), role="import")
    memory_store.drop_graph(G1)
    assert memory_store.triple_count() == 0
    assert not memory_store.has_graph(G1)
    assert memory_store.check() == []


def test_adding_an_existing_graph_is_refused(memory_store: EmbeddedStore) -> None:
    memory_store.add_source_graph(G1, turtle_quads(SHARES), role="import")
    with pytest.raises(UsageError, match="exists already"):
        memory_store.add_source_graph(G1, turtle_quads(SHARES), role="import")


def test_bound_values_are_terms_not_query_text(memory_store: EmbeddedStore) -> None:
    memory_store.add_source_graph(G1, turtle_quads('o:a rdfs:label "a\\"} ; DROP ALL ; {"@en .'), role="import")
    rows = memory_store.select(
        "SELECT ?o WHERE { ?o <http://www.w3.org/2000/01/rdf-schema#label> ?l FILTER(STR(?l) = ?_v) }",
        _v='a"} ; DROP ALL ; {',
    )
    assert rows == [{"o": "https://w3id.org/defport/id/org/a"}]


def test_staging_left_by_a_crash_is_cleaned_on_open(tmp_path: Path) -> None:
    store = EmbeddedStore.open(tmp_path / "s", create=True)
    store.stage_graph(G1, turtle_quads(SHARES), role="import")
    store.close()
    del store
    reopened = EmbeddedStore.open(tmp_path / "s")
    assert not reopened.has_graph(G1)
    assert reopened.check() == []
    reopened.close()


def test_check_reports_a_tampered_live_graph(memory_store: EmbeddedStore) -> None:
    memory_store.add_source_graph(G1, turtle_quads(SHARES), role="import")
    memory_store.raw.add(
        ox.Quad(ox.NamedNode("http://x/s"), ox.NamedNode("http://x/p"), ox.Literal("o"), graph_term(LIVE_GRAPH))
    )
    problems = memory_store.check()
    assert problems == ["1 triples in the live data belong to no live source graph"]


BLANK = 's:a dp:item i:x ; dp:share 0.5 ; rdfs:seeAlso [ rdfs:comment "blank" ] .'


def test_a_store_with_the_live_data_in_a_named_graph_is_moved_once_on_open(tmp_path: Path) -> None:
    """Stores made before the live data moved to the default graph still open, and come out the same."""
    store = EmbeddedStore.open(tmp_path / "s", create=True)
    store.add_source_graph(G1, turtle_quads(SHARES + BLANK), role="import")
    store.add_source_graph(G2, turtle_quads(SHARES), role="import")
    before = sorted(map(str, store.graph_quads(LIVE_GRAPH)))
    store.raw.update(f"MOVE DEFAULT TO <{LIVE_GRAPH}>")  # the layout of earlier versions
    assert not any(True for _ in store.raw.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    store.close()
    del store
    reopened = EmbeddedStore.open(tmp_path / "s")
    assert sorted(map(str, reopened.graph_quads(LIVE_GRAPH))) == before
    assert not reopened.raw.contains_named_graph(ox.NamedNode(LIVE_GRAPH))
    assert reopened.check() == []
    [row] = reopened.select(SUM_OF_SHARES)
    assert row == {"total": 0.75, "n": 2}
    # The blank node is still the one of its source graph: retiring the graph takes it out of the live data.
    reopened.retire(G1)
    assert reopened.select('SELECT ?n WHERE { ?n <http://www.w3.org/2000/01/rdf-schema#comment> "blank" }') == []
    assert reopened.check() == []
    reopened.close()


def test_catalog_is_not_part_of_the_live_data(memory_store: EmbeddedStore) -> None:
    memory_store.add_source_graph(G1, turtle_quads(SHARES), role="import", label="shares.ttl")
    rows = memory_store.select("SELECT ?g WHERE { ?g a <https://w3id.org/defport/ontology#SourceGraph> }")
    assert rows == []
    assert any(True for _ in memory_store.raw.quads_for_pattern(None, None, None, ox.NamedNode(CATALOG_GRAPH)))


def test_missing_store_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="defport-kg init"):
        EmbeddedStore.open(tmp_path / "nowhere")


def test_second_process_is_told_who_holds_the_store(tmp_path: Path) -> None:
    store = EmbeddedStore.open(tmp_path / "s", create=True, command="defport-kg serve")
    try:
        script = textwrap.dedent(f"""
            from defport_kg.store import EmbeddedStore
            from defport_kg.errors import StoreLockedError
            try:
                EmbeddedStore.open({str(tmp_path / "s")!r})
            except StoreLockedError as e:
                print(e.exit_code, e.message)
        """)
        out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
        assert out.stdout.startswith("3 "), out.stderr
        assert f"`defport-kg serve` (pid {os.getpid()})" in out.stdout
        assert "stop it, or use the HTTP API" in out.stdout
    finally:
        store.close()
    assert StoreLockedError.exit_code == 3


def test_backup_and_restore_round_trip(tmp_path: Path) -> None:
    store = EmbeddedStore.open(tmp_path / "s", create=True)
    store.add_source_graph(G1, turtle_quads(SHARES), role="import")
    store.backup(tmp_path / "b")
    store.drop_graph(G1)
    assert store.triple_count() == 0
    store.close()
    EmbeddedStore.restore(tmp_path / "b", tmp_path / "s")
    again = EmbeddedStore.open(tmp_path / "s")
    assert again.select(SUM_OF_SHARES)[0]["total"] == 0.75
    assert again.check() == []
    again.close()


def test_backup_refuses_an_existing_target(tmp_path: Path, memory_store: EmbeddedStore) -> None:
    store = EmbeddedStore.open(tmp_path / "s", create=True)
    (tmp_path / "b").mkdir()
    with pytest.raises(UsageError, match="exists already"):
        store.backup(tmp_path / "b")
    store.close()
