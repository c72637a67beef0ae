"""rdflib's grammar with TriplesBlock and ConstructTriples as loops (``sparql/flat_grammar``): the
same parse as rdflib's recursive rules for every text, and no limit of ~85 patterns per group."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pyparsing import ParseBaseException, ParserElement
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

from defport_kg.api.routes.sparql import close_engine
from defport_kg.resources import queries_dir
from defport_kg.sparql import flat_grammar, safety
from defport_kg.store import EmbeddedStore
from tests.conftest import turtle_quads
from tests.sparql.helpers import make_app

HAND_WRITTEN = [
    "SELECT * WHERE { ?s ?p ?o }",
    "SELECT * WHERE { ?s ?p ?o . }",
    "SELECT * WHERE { ?s ?p ?o . ?s ?q ?r . ?r ?t ?u }",
    "SELECT * WHERE { ?s ?p ?o ; ?q ?r , ?t . ?a ?b ?c . }",
    "SELECT * WHERE { ?s ?p ?o . OPTIONAL { ?s ?q ?r . } . ?s ?t ?u . FILTER(?u > 1) ?s ?v ?w }",
    "SELECT * WHERE { ?s ?p ?o # a comment . with a dot\n . ?s ?q ?r # another\n . }",
    "SELECT * WHERE { [ <urn:p> ?o ; <urn:q> [ <urn:r> 1 ] ] <urn:s> ?x . ?x <urn:t> (1 2 ?y) . }",
    "SELECT * WHERE { ?s <urn:a>/<urn:b>*|^<urn:c> ?o . ?o !(<urn:d>|^<urn:e>) ?z . }",
    "SELECT * WHERE { GRAPH ?g { ?s ?p ?o . ?s ?q ?r } . VALUES ?s { <urn:x> } ?s ?t ?u . }",
    "SELECT * WHERE { { ?s ?p ?o . } UNION { ?s ?q ?r . ?r ?t ?u } MINUS { ?s ?v ?w . } }",
    "ASK { ?s ?p ?o . BIND(1 AS ?x) . ?s ?q ?x }",
    "CONSTRUCT { ?s ?p ?o . ?o ?q ?s } WHERE { ?s ?p ?o }",
    "CONSTRUCT { ?s ?p ?o ; <urn:q> 1 , 2 . [ <urn:r> ?s ] <urn:t> ( 1 2 ) . } WHERE { ?s ?p ?o }",
    "CONSTRUCT WHERE { ?s ?p ?o . ?o ?q ?r . }",
    "DESCRIBE ?s WHERE { ?s ?p ?o . ?s ?q ?r }",
    "SELECT * WHERE { ?s ?p ?o . SERVICE <urn:x> { ?s ?q ?r . ?r ?t ?u } . ?s ?v ?w }",
]
# Not SPARQL: both grammars must refuse them.
MALFORMED = [
    "SELECT * WHERE { ?s ?p ?o . . ?s ?q ?r }",
    "SELECT * WHERE { . ?s ?p ?o }",
    "SELECT * WHERE { ?s ?p ?o .. }",
    "CONSTRUCT { <urn:a> <urn:b> <urn:c> . . } WHERE {}",
    "CONSTRUCT { . <urn:a> <urn:b> <urn:c> } WHERE {}",
    "SELECT * WHERE { ?s ?p ?o ?s ?q ?r }",
]
UPDATES = [
    "DELETE WHERE { ?s ?p ?o . ?o ?q ?r . }",
    "DELETE { ?s ?p ?o } INSERT { ?s ?q ?o . } WHERE { ?s ?p ?o . ?s ?t ?u . }",
]
_BNODE = re.compile(r"BNode\('([^']*)'\)")


def named_queries() -> list[str]:
    return [path.read_text(encoding="utf-8") for path in sorted(Path(queries_dir()).glob("*.rq"))]


def normalised(result: Any) -> str:
    """The parse as text, blank nodes renamed in order of appearance (each parse mints new ones)."""
    text = repr(result)
    names: dict[str, str] = {}
    return _BNODE.sub(lambda m: f"BNode('b{names.setdefault(m[1], str(len(names)))}')", text)


@contextmanager
def grammar(definitions: dict[str, Any]) -> Iterator[None]:
    """rdflib's two rules as ``definitions`` says, for the block; the flat ones again after."""
    flat_grammar.use(definitions)
    ParserElement.reset_cache()
    try:
        yield
    finally:
        flat_grammar.use(flat_grammar.FLAT)
        ParserElement.reset_cache()


def parsed_by(definitions: dict[str, Any], text: str, parse: Any = parseQuery) -> str:
    with grammar(definitions):
        try:
            return normalised(parse(text))
        except ParseBaseException:
            return "refused"


@pytest.fixture(scope="module")
def corpus() -> list[str]:
    texts = [*HAND_WRITTEN, *named_queries()]
    assert len(texts) > 40
    return texts


def test_the_flat_rules_parse_every_query_as_the_recursive_ones(corpus: list[str]) -> None:
    for text in corpus:
        recursive = parsed_by(flat_grammar.RECURSIVE, text)
        assert recursive != "refused", text
        assert parsed_by(flat_grammar.FLAT, text) == recursive, text


def test_the_flat_rules_refuse_what_the_recursive_ones_refuse() -> None:
    for text in MALFORMED:
        assert parsed_by(flat_grammar.RECURSIVE, text) == "refused", text
        assert parsed_by(flat_grammar.FLAT, text) == "refused", text


def test_updates_parse_the_same_too() -> None:
    for text in UPDATES:
        recursive = parsed_by(flat_grammar.RECURSIVE, text, parseUpdate)
        assert recursive != "refused"
        assert parsed_by(flat_grammar.FLAT, text, parseUpdate) == recursive


def patterns(count: int) -> str:
    return " ".join(f"?s <urn:x:p{i}> ?o{i} ." for i in range(count))


def test_long_groups_and_templates_are_read_and_their_services_found() -> None:
    with grammar(flat_grammar.RECURSIVE), pytest.raises(safety.QuerySyntaxError, match="maximum recursion"):
        safety._analyse(f"SELECT * WHERE {{ {patterns(200)} }} # from")  # as it was: refused
    plan = safety.analyse(f"SELECT * FROM <urn:g> WHERE {{ {patterns(3000)} SERVICE <urn:x:svc> {{ }} }}")
    assert plan.from_graphs == ("urn:g",) and [s.target for s in plan.services] == ["urn:x:svc"]
    template = " ".join(f"<urn:x:s> <urn:x:p{i}> {i} ." for i in range(3000))
    plan = safety.analyse(f"CONSTRUCT {{ {template} }} WHERE {{ SERVICE <urn:x:svc> {{ }} }}")
    assert plan.form == "CONSTRUCT" and len(plan.services) == 1


@pytest.fixture(params=["memory", "disk"])
def long_query_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[EmbeddedStore]:
    store = (
        EmbeddedStore.in_memory() if request.param == "memory" else EmbeddedStore.open(tmp_path / "store", create=True)
    )
    data = " ".join(f"o:s{n} <urn:x:p{i}> {i} ." for n in range(3) for i in range(100))
    store.add_source_graph("https://w3id.org/defport/id/import/long", turtle_quads(data), role="import")
    yield store
    store.close()


def test_a_query_of_100_patterns_that_names_from_is_answered(long_query_store: EmbeddedStore) -> None:
    """Through the endpoint (worker processes on disk, threads in memory): a group above the old
    limit, sent through the full check by the word "from" in a comment."""
    text = f"SELECT (COUNT(*) AS ?n) WHERE {{ {patterns(100)} }} # made from 100 patterns"
    app = make_app(long_query_store)
    try:
        response = TestClient(app).get("/sparql", params={"query": text})
    finally:
        close_engine(app)
    assert response.status_code == 200, response.text
    assert response.json()["results"]["bindings"][0]["n"]["value"] == "3"
