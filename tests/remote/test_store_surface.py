"""The store surface, with the same assertions on embedded, Oxigraph server and Virtuoso."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from defport_kg.errors import QueryError, UsageError
from defport_kg.namespaces import LIVE_GRAPH
from defport_kg.store import STATUS_LIVE, STATUS_ROLLED_BACK, STATUS_SUPERSEDED
from tests.conftest import turtle_quads

G1 = "https://w3id.org/defport/id/import/g1"
G2 = "https://w3id.org/defport/id/import/g2"
SHARES = """
s:a dp:item i:x ; dp:share 0.5 .
s:b dp:item i:x ; dp:share 0.25 .
"""
SUM_OF_SHARES = """PREFIX dp: <https://w3id.org/defport/ontology#>
SELECT (SUM(?s) AS ?total) (COUNT(?r) AS ?n) WHERE { ?r dp:share ?s }"""


def test_a_triple_asserted_in_two_graphs_counts_once(store) -> None:
    store.add_source_graph(G1, turtle_quads(SHARES), role="import")
    store.add_source_graph(G2, turtle_quads(SHARES), role="import")
    [row] = store.select(SUM_OF_SHARES)
    assert row == {"total": 0.75, "n": 2}
    assert store.triple_count() == 4
    assert store.live_graphs() == [G1, G2]
    assert store.check() == []


def test_retire_keeps_shared_triples_and_history(store) -> None:
    store.add_source_graph(G1, turtle_quads(SHARES), role="import")
    store.add_source_graph(G2, turtle_quads(SHARES + "s:c dp:share 0.1 ."), role="import")
    store.retire(G2)
    assert store.select(SUM_OF_SHARES) == [{"total": 0.75, "n": 2}]
    assert store.live_graphs() == [G1]
    assert {r["g"]: r["status"] for r in store.source_graphs()} == {G1: STATUS_LIVE, G2: STATUS_SUPERSEDED}
    assert sum(1 for _ in store.graph_quads(G2)) == 5
    assert store.check() == []


def test_activate_swaps_versions(store) -> None:
    store.add_source_graph(G1, turtle_quads(SHARES), role="import")
    store.stage_graph(G2, turtle_quads("s:a dp:item i:x ; dp:share 0.9 ."), role="import")
    assert store.select(SUM_OF_SHARES)[0]["total"] == 0.75  # staged is not live
    store.activate(G2, retire=[G1])
    assert store.select(SUM_OF_SHARES) == [{"total": 0.9, "n": 1}]
    # s:a dp:item i:x is in both versions: still live
    assert store.ask("ASK { <https://w3id.org/defport/id/supply/a> ?p <https://w3id.org/defport/id/item/x> }")
    assert store.check() == []


def test_drop_graph_removes_it_and_its_live_triples(store) -> None:
    store.add_source_graph(G1, turtle_quads(SHARES), role="import")
    store.add_source_graph(G2, turtle_quads("s:c dp:share 0.1 ."), role="import")
    store.drop_graph(G2)
    assert not store.has_graph(G2)
    assert store.select(SUM_OF_SHARES) == [{"total": 0.75, "n": 2}]
    assert store.check() == []


def test_rollback_status_and_reactivation(store) -> None:
    store.add_source_graph(G1, turtle_quads(SHARES), role="import")
    store.add_source_graph(G2, turtle_quads("s:a dp:share 0.6 ."), role="import")
    store.activate(G1, retire=[G2], retire_status=STATUS_ROLLED_BACK)
    assert {r["g"]: r["status"] for r in store.source_graphs()}[G2] == STATUS_ROLLED_BACK
    assert store.select(SUM_OF_SHARES) == [{"total": 0.75, "n": 2}]


def test_blank_nodes_stay_one_node(store) -> None:
    store.add_source_graph(
        G1, turtle_quads('i:x dp:stockDays 3 ; rdfs:label [ rdfs:label "inner"@en ] .'), role="import"
    )
    rows = store.select("SELECT ?l WHERE { ?x <http://www.w3.org/2000/01/rdf-schema#label> [ ?p ?l ] }")
    assert rows == [{"l": "inner"}]
    assert store.check() == []


def test_results_behave_like_pyoxigraph(store) -> None:
    store.add_source_graph(G1, turtle_quads(SHARES + 'i:x rdfs:label "X"@en .'), role="import")
    results = store.query("SELECT ?r ?s WHERE { ?r <https://w3id.org/defport/ontology#share> ?s } ORDER BY ?s")
    assert [v.value for v in results.variables] == ["r", "s"]
    rows = list(results)
    assert isinstance(rows[0]["r"], ox.NamedNode)
    assert isinstance(rows[0]["s"], ox.Literal) and rows[0]["s"].value == "0.25"
    assert bool(store.query("ASK { ?s ?p ?o }")) is True
    triples = list(store.query("CONSTRUCT { ?x ?p ?o } WHERE { ?x ?p ?o FILTER (isLiteral(?o) && lang(?o) = 'en') }"))
    assert triples == [
        ox.Triple(
            ox.NamedNode("https://w3id.org/defport/id/item/x"),
            ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"),
            ox.Literal("X", language="en"),
        )
    ]
    # GRAPH sees the live source graphs; the live graph itself is the default graph
    graphs = store.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert graphs == [{"g": G1}]
    assert store.select("SELECT ?s WHERE { ?s ?p ?o FILTER (?o = ?_v) }", _v=0.5) == [
        {"s": "https://w3id.org/defport/id/supply/a"}
    ]


def test_a_bad_query_is_a_query_error(store) -> None:
    with pytest.raises(QueryError):
        store.query("SELEC nothing")


def test_adding_an_existing_graph_is_refused(store) -> None:
    store.add_source_graph(G1, turtle_quads(SHARES), role="import")
    with pytest.raises(UsageError):
        store.add_source_graph(G1, turtle_quads(SHARES), role="import")


def test_large_selects_are_read_in_pages(store) -> None:
    """More rows than Virtuoso's default cap of 10000 come back complete (paged on remote stores)."""
    text = "".join(f"i:n{k} dp:stockDays {k} .\n" for k in range(12500))
    store.add_source_graph(G1, turtle_quads(text), role="import")
    rows = store.query("SELECT ?i ?d WHERE { ?i <https://w3id.org/defport/ontology#stockDays> ?d }")
    assert len({row["i"].value for row in rows}) == 12500
    assert store.triple_count(LIVE_GRAPH) == 12500
    assert sum(1 for _ in store.graph_quads(G1)) == 12500


def test_cleanup_staging_removes_leftovers(store) -> None:
    store.add_source_graph(G1, turtle_quads(SHARES), role="import")
    store.stage_graph(G2, turtle_quads("s:z dp:share 0.3 ."), role="import")
    assert any("left over" in p for p in store.check())
    assert store.cleanup_staging() == [G2]
    assert store.check() == []
    assert store.select(SUM_OF_SHARES) == [{"total": 0.75, "n": 2}]


def test_provenance_extras_arrive_with_the_commit(store) -> None:
    catalog = ox.NamedNode("https://w3id.org/defport/id/graph/catalog")
    extra = [
        ox.Quad(
            ox.NamedNode(G1), ox.NamedNode("https://w3id.org/defport/ontology#sourceName"), ox.Literal("f.ttl"), catalog
        ),
        ox.Quad(
            ox.NamedNode(G1), ox.NamedNode("http://www.w3.org/ns/prov#wasAttributedTo"), ox.BlankNode("who"), catalog
        ),
        ox.Quad(
            ox.BlankNode("who"), ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"), ox.Literal("me"), catalog
        ),
    ]
    store.add_source_graph(G1, turtle_quads(SHARES), role="import", extra_quads=extra)
    rows = store.query(
        "SELECT ?n ?who WHERE { ?g <https://w3id.org/defport/ontology#sourceName> ?n ;"
        " <http://www.w3.org/ns/prov#wasAttributedTo> [ <http://www.w3.org/2000/01/rdf-schema#label> ?who ] }",
        default_graph=["https://w3id.org/defport/id/graph/catalog"],
    )
    assert [(r["n"].value, r["who"].value) for r in rows] == [("f.ttl", "me")]


def _mixed_graph() -> str:
    """IRIs, literals of several kinds, literals with the same text in two languages, non-ASCII
    text, and blank nodes that all look alike: every case of the page key. (Not an IRI and a
    literal with the same text: Virtuoso 7.2 stores only one of them, for some.)"""
    lines = []
    for k in range(7):
        lines.append(
            f'i:n{k} rdfs:label "naïve {k}"@fr, "naïve {k}"@nl, "Zeta {k}", "{k}" ; dp:stockDays {k} ;'
            f' rdfs:seeAlso i:m{k}, "m{k}" ;'
            ' dp:contribution [ rdfs:label "same" ], [ rdfs:label "same" ] .'
        )
    return "\n".join(lines)


PAGED_QUERIES = {
    "everything": "SELECT ?s ?p ?o WHERE { ?s ?p ?o }",
    "optional, duplicates": "SELECT ?s ?d WHERE { ?s rdfs:label ?l OPTIONAL { ?s dp:stockDays ?d } }",
    "one key fills pages": "SELECT ?o WHERE { ?b rdfs:label ?o FILTER (isBlank(?b)) }",
    "labels of IRIs": "SELECT ?s ?l WHERE { ?s rdfs:label ?l FILTER (isIRI(?s)) }",
}
PAGED_PREFIXES = (
    "PREFIX dp: <https://w3id.org/defport/ontology#>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
)


def _comparable(rows, names: list[str]) -> list[tuple[str, ...]]:
    """Rows with blank nodes as "_:" (each store labels them its own way)."""
    return [
        tuple("_:" if isinstance(row[n], ox.BlankNode) else "" if row[n] is None else str(row[n]) for n in names)
        for row in rows
    ]


@pytest.mark.parametrize("name", list(PAGED_QUERIES))
def test_a_result_spanning_many_pages_is_complete_and_in_one_order(store, name, monkeypatch) -> None:
    """Read in pages of 4 rows (keyset paging), a SELECT gives the same rows in the same order as
    read in one page, and the same rows as pyoxigraph itself computes from the data."""
    quads = turtle_quads(_mixed_graph())
    store.add_source_graph(G1, quads, role="import")
    query = PAGED_PREFIXES + PAGED_QUERIES[name]
    names = _projected_names(query)
    reference = ox.Store()
    reference.extend(ox.Quad(q.subject, q.predicate, q.object) for q in quads)
    expected = sorted(_comparable(reference.query(query), names))
    if not hasattr(store, "page_size"):  # the embedded store reads without pages
        assert sorted(_comparable(store.query(query), names)) == expected
        return
    store.page_size = 10_000  # one page (Virtuoso refuses a sorted page beyond its MaxSortedTopRows)
    whole = list(store.query(query))
    sent: list[str] = []
    original = store._select_json

    def recording(sparql: str, **kwargs):
        sent.append(sparql)
        return original(sparql, **kwargs)

    monkeypatch.setattr(store, "_select_json", recording)
    store.page_size = 4
    paged = list(store.query(query))
    assert len(paged) == len(expected) > 8
    assert _comparable(paged, names) == _comparable(whole, names)  # same rows, same order
    assert sorted(_comparable(paged, names)) == expected  # and the right rows
    assert [str(row[n]) for row in paged for n in names if isinstance(row[n], ox.NamedNode | ox.Literal)] == [
        str(row[n]) for row in whole for n in names if isinstance(row[n], ox.NamedNode | ox.Literal)
    ]
    assert len(sent) >= len(expected) // 4  # it really read in pages
    if store._paging() == "keyset" and name == "labels of IRIs":  # no key fills a page: no OFFSET
        assert not any("OFFSET" in q for q in sent)
        assert len(sent) <= len(expected) // 2 + 1
    assert store.last_fetch_seconds > 0
    # Virtuoso orders a computed key inconsistently: it is read with LIMIT/OFFSET.
    assert store._paging() == ("offset" if "sparql" in store.query_url.rsplit("/", 1)[-1] else "keyset")


def _projected_names(query: str) -> list[str]:
    from defport_kg.store.remote import _projected

    names = _projected(query)
    assert names
    return names
