"""The result writers: W3C formats that other parsers read back, and the cap that says it cut."""

from __future__ import annotations

import io
import json

import pyoxigraph as ox
import pytest
from rdflib.plugins.sparql.results.csvresults import CSVResultParser
from rdflib.plugins.sparql.results.jsonresults import JSONResultParser
from rdflib.plugins.sparql.results.tsvresults import TSVResultParser
from rdflib.plugins.sparql.results.xmlresults import XMLResultParser

from defport_kg.sparql.results import write_result

EX = "http://example.org/"


@pytest.fixture
def store() -> ox.Store:
    store = ox.Store()
    p = ox.NamedNode(EX + "p")
    values = [
        ox.NamedNode(EX + "o"),
        ox.Literal("plain"),
        ox.Literal('Dag, "wereld"\n\tnu', language="nl"),
        ox.Literal("0.25", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal")),
        ox.BlankNode("b1"),
        ox.Literal("<&>"),
    ]
    for i, value in enumerate(values):
        store.add(ox.Quad(ox.NamedNode(f"{EX}s{i}"), p, value, ox.DefaultGraph()))
    return store


QUERY = "SELECT ?s ?o ?missing WHERE { ?s ?p ?o OPTIONAL { ?s <http://example.org/none> ?missing } } ORDER BY ?s"


def _native(store: ox.Store, fmt: ox.QueryResultsFormat) -> list[dict[str, object]]:
    solutions = ox.parse_query_results(store.query(QUERY).serialize(format=fmt), format=fmt)
    return [{v.value: row[v.value] for v in solutions.variables} for row in solutions]


@pytest.mark.parametrize(
    ("fmt", "native"),
    [("json", ox.QueryResultsFormat.JSON), ("xml", ox.QueryResultsFormat.XML), ("tsv", ox.QueryResultsFormat.TSV)],
)
def test_solutions_read_back_equal_pyoxigraphs_own(store: ox.Store, fmt: str, native: ox.QueryResultsFormat) -> None:
    written = write_result(store.query(QUERY), fmt, limit=100)
    ours = ox.parse_query_results(written.body, format=native)
    rows = [{v.value: row[v.value] for v in ours.variables} for row in ours]
    assert [list(r) for r in rows] == [["s", "o", "missing"]] * 6
    expected = _native(store, native)
    # blank node labels are local to a document: compare everything else
    assert [{k: v for k, v in r.items() if not isinstance(v, ox.BlankNode)} for r in rows] == [
        {k: v for k, v in r.items() if not isinstance(v, ox.BlankNode)} for r in expected
    ]
    assert not written.truncated and written.rows == 6


@pytest.mark.parametrize(
    ("fmt", "parser"),
    [("json", JSONResultParser), ("xml", XMLResultParser), ("csv", CSVResultParser), ("tsv", TSVResultParser)],
)
def test_rdflib_reads_every_format(store: ox.Store, fmt: str, parser: type) -> None:
    body = write_result(store.query(QUERY), fmt, limit=100).body
    source = io.StringIO(body.decode()) if fmt in ("csv", "tsv") else io.BytesIO(body)
    result = parser().parse(source)
    assert len(list(result)) == 6


def test_csv_quotes_and_uses_crlf(store: ox.Store) -> None:
    body = write_result(store.query(QUERY), "csv", limit=100).body.decode()
    assert body.startswith("s,o,missing\r\n")
    assert '"Dag, ""wereld""\n\tnu"' in body


def test_the_cap_cuts_and_says_so(store: ox.Store) -> None:
    written = write_result(store.query(QUERY), "json", limit=4, link="http://host/sparql#result-limit")
    body = json.loads(written.body)
    assert written.truncated and written.rows == 4
    assert len(body["results"]["bindings"]) == 4
    assert body["head"]["link"] == ["http://host/sparql#result-limit"]
    xml = write_result(store.query(QUERY), "xml", limit=4, link="http://host/sparql#result-limit").body
    assert b'<link href="http://host/sparql#result-limit"/>' in xml


def test_an_answer_that_fits_has_no_link(store: ox.Store) -> None:
    written = write_result(store.query(QUERY), "json", limit=6, link="http://host/sparql#result-limit")
    assert not written.truncated
    assert "link" not in json.loads(written.body)["head"]


def test_graph_results_are_capped_too(store: ox.Store) -> None:
    written = write_result(store.query("CONSTRUCT WHERE { ?s ?p ?o }"), "ntriples", limit=2)
    assert written.truncated and written.rows == 2
    assert len(written.body.decode().strip().splitlines()) == 2


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_booleans(store: ox.Store, fmt: str) -> None:
    assert b"true" in write_result(store.query("ASK { ?s ?p ?o }"), fmt, limit=0).body


def test_a_query_whose_limit_fits_is_written_natively_and_reads_the_same(store: ox.Store) -> None:
    query = QUERY + " LIMIT 4"
    for fmt, native in (("json", ox.QueryResultsFormat.JSON), ("tsv", ox.QueryResultsFormat.TSV)):
        ours = write_result(store.query(query), fmt, limit=100)
        fast = write_result(store.query(query), fmt, limit=100, fits=True)
        assert not fast.truncated
        a = [list(r) for r in ox.parse_query_results(ours.body, format=native)]
        b = [list(r) for r in ox.parse_query_results(fast.body, format=native)]
        assert len(a) == len(b) == 4
