"""The check that runs before any query: SERVICE, FROM and updates are recognised as the parser sees them."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from defport_kg.sparql.safety import (
    MAX_CHAINING_TOKENS,
    QueryRefused,
    QuerySyntaxError,
    UpdateRefused,
    allowed_by,
    analyse,
    check_services,
    count_chaining_tokens,
    count_service_keywords,
    screen,
)

REMOTE = "http://127.0.0.1:9/sparql"


@pytest.mark.parametrize(
    "query",
    [
        f"SELECT * {{ SERVICE <{REMOTE}> {{ ?s ?p ?o }} }}",
        f"select * {{ sErViCe SILENT <{REMOTE}> {{ ?s ?p ?o }} }}",
        f"SELECT * {{ SERVICE<{REMOTE}>{{}} }}",
        f"SELECT * {{ SERVICE#comment\n<{REMOTE}> {{ ?s ?p ?o }} }}",
        f"PREFIX : <{REMOTE}> SELECT * {{ SERVICE:x {{ ?s ?p ?o }} }}",
        f"PREFIX r: <{REMOTE}> SELECT * {{ SERVICE r: {{ ?s ?p ?o }} }}",
        f"SELECT * {{ \\u0053ERVICE <{REMOTE}> {{ ?s ?p ?o }} }}",
        "SELECT * { SERVICE <http://127.0.0.1:9/\\u0073parql> { ?s ?p ?o } }",
        f"SELECT * {{ ?s ?p ?o FILTER EXISTS {{ SERVICE <{REMOTE}> {{ ?s ?p ?o }} }} }}",
        f"SELECT * {{ ?s ?p ?o FILTER NOT EXISTS {{ SERVICE <{REMOTE}> {{ ?s ?p ?o }} }} }}",
        f"SELECT * {{ {{ SELECT ?s {{ SERVICE <{REMOTE}> {{ ?s ?p ?o }} }} }} }}",
        f"SELECT * {{ OPTIONAL {{ SERVICE <{REMOTE}> {{ ?s ?p ?o }} }} }}",
        f"SELECT * {{ {{ ?s ?p ?o }} UNION {{ SERVICE <{REMOTE}> {{ ?s ?p ?o }} }} }}",
        f"ASK {{ SERVICE <{REMOTE}> {{ }} }}",
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{REMOTE}> {{ ?s ?p ?o }} }}",
        f"DESCRIBE ?s WHERE {{ SERVICE <{REMOTE}> {{ ?s ?p ?o }} }}",
        f"SELECT * {{ GRAPH ?g {{ SERVICE <{REMOTE}> {{ ?s ?p ?o }} }} }}",
        f'SELECT * {{ ?s ?p "x" . SERVICE <{REMOTE}> {{ ?s ?p ?o }} }} # SERVICE',
    ],
)
def test_every_spelling_of_service_is_refused(query: str) -> None:
    for read in (analyse, screen):
        plan = read(query)
        assert plan.services, query
        with pytest.raises(QueryRefused, match="SERVICE"):
            check_services(plan, [])


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * { SERVICE ?endpoint { ?s ?p ?o } }",
        f"SELECT * {{ VALUES ?e {{ <{REMOTE}> }} SERVICE SILENT ?e {{ ?s ?p ?o }} }}",
    ],
)
def test_a_service_named_by_a_variable_is_refused_even_when_listed(query: str) -> None:
    with pytest.raises(QueryRefused, match="variable"):
        check_services(analyse(query), [REMOTE])


def test_a_relative_service_iri_is_refused() -> None:
    with pytest.raises(QueryRefused, match="relative"):
        analyse("BASE <http://127.0.0.1:9/> SELECT * { SERVICE <sparql> { ?s ?p ?o } }")


def test_an_allow_listed_service_passes() -> None:
    check_services(analyse(f"SELECT * {{ SERVICE <{REMOTE}> {{ ?s ?p ?o }} }}"), [REMOTE])
    check_services(analyse(f"SELECT * {{ SERVICE <{REMOTE}/sub> {{ ?s ?p ?o }} }}"), [REMOTE])


@pytest.mark.parametrize(
    "query",
    [
        'SELECT * { ?s ?p "SERVICE <http://127.0.0.1:9/> { }" }',
        "SELECT * { ?s ?p '''SERVICE <http://127.0.0.1:9/> { }''' }",
        "SELECT * { ?s ?p ?o } # SERVICE <http://127.0.0.1:9/> { }",
        "SELECT ?service { ?service <http://example.org/service> ?o }",
        "PREFIX schema: <https://schema.org/> SELECT * { ?s schema:serviceType ?o }",
    ],
)
def test_service_in_strings_comments_and_names_is_no_service(query: str) -> None:
    plan = analyse(query)
    assert plan.services == ()
    check_services(plan, [])
    assert count_service_keywords(query) == 0


def test_the_tokenizer_counts_keywords_as_a_pyparsing_free_second_opinion() -> None:
    assert count_service_keywords("SELECT * { SERVICE <a:b> {} SERVICE:x {} }") == 2
    assert count_service_keywords('SELECT * { ?s ?p "a\\"SERVICE" }') == 0
    assert count_service_keywords("SELECT * { ?s ex:a\\'b SERVICE <a:b> {} }") == 1


def test_dataset_clauses_are_read_with_prefixes_resolved() -> None:
    plan = analyse(
        "PREFIX g: <https://w3id.org/defport/id/graph/> "
        "SELECT * FROM g:live FROM <http://a.example/x> FROM NAMED dpid:import\\/1 { ?s ?p ?o }"
    )
    assert plan.from_graphs == ("https://w3id.org/defport/id/graph/live", "http://a.example/x")
    assert plan.from_named_graphs == ("https://w3id.org/defport/id/import/1",)
    assert plan.form == "SELECT"


@pytest.mark.parametrize(
    ("query", "form"),
    [("ASK {}", "ASK"), ("CONSTRUCT WHERE { ?s ?p ?o }", "CONSTRUCT"), ("DESCRIBE <http://a/>", "DESCRIBE")],
)
def test_query_forms(query: str, form: str) -> None:
    assert analyse(query).form == form


@pytest.mark.parametrize(
    "update",
    [
        "INSERT DATA { <http://a/> <http://b/> <http://c/> }",
        "PREFIX x: <http://x/> DELETE WHERE { ?s ?p ?o }",
        "LOAD <http://127.0.0.1:9/data.ttl>",
        "CLEAR ALL",
        "# a comment\nDROP GRAPH <http://a/>",
    ],
)
def test_updates_are_recognised(update: str) -> None:
    with pytest.raises(UpdateRefused):
        analyse(update)


@pytest.mark.parametrize("text", ["", "   ", "SELEC * { ?s ?p ?o }", "SELECT * { ?s ?p }", "PREFIX x: <http://x/>"])
def test_text_the_parser_cannot_read_is_refused_with_its_message(text: str) -> None:
    with pytest.raises(QuerySyntaxError) as caught:
        analyse(text)
    assert "empty" in str(caught.value) or "line 1" in str(caught.value)


def test_an_undeclared_prefix_in_service_is_a_syntax_error() -> None:
    with pytest.raises(QuerySyntaxError, match="prefix"):
        analyse("SELECT * { SERVICE nope:x { ?s ?p ?o } }")


@pytest.mark.parametrize(
    ("iri", "allowed"),
    [
        ("https://query.wikidata.org/sparql", True),
        ("https://query.wikidata.org/sparql/x", True),
        ("https://query.wikidata.org/sparql?a=b", True),
        ("https://query.wikidata.org/sparqlx", False),
        ("https://query.wikidata.org.evil.example/sparql", False),
        ("https://user@query.wikidata.org/sparql", False),
        ("https://query.wikidata.org/sparql/../admin", False),
        ("HTTPS://QUERY.WIKIDATA.ORG/sparql", False),
    ],
)
def test_allow_list_matches_whole_iris_or_path_prefixes(iri: str, allowed: bool) -> None:
    assert allowed_by(iri, ["https://query.wikidata.org/sparql"]) is allowed


def test_nothing_is_allowed_by_an_empty_list() -> None:
    assert not allowed_by("http://a.example/", [])
    assert not allowed_by("http://a.example/", [""])


def test_the_top_level_limit_is_known() -> None:
    assert analyse("SELECT * { ?s ?p ?o } LIMIT 10").limit == 10
    assert analyse("SELECT * { { SELECT * { ?s ?p ?o } LIMIT 5 } }").limit is None
    assert analyse("SELECT * { ?s ?p ?o }").limit is None


# -- screen: the quick reading of texts that cannot call a service ----------------------------

QUERIES_DIR = Path(__file__).resolve().parents[2] / "queries"
QUICK_TEXTS = [
    "SELECT * WHERE { ?s ?p ?o } LIMIT 10",
    "select ?s { ?s a dp:Company } limit 3 offset 2",
    "PREFIX ex: <http://example.org/> BASE <http://b.example/> SELECT * { ?s ex:p ?o } ORDER BY ?s LIMIT 7",
    "# heading\nPREFIX : <http://example.org/>\nASK { :a :b :c }",
    "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 5",
    "DESCRIBE <http://example.org/a>",
    "SELECT * { { SELECT * { ?s ?p ?o } LIMIT 5 } }",
    "SELECT * { ?s ?p 'LIMIT 9' } # LIMIT 4",
    "SELECT * { ?s ?p ?o } VALUES ?s { <http://a/> }",
    "SELECT * { ?s ?p ?o } LIMIT 10.5",
]


@pytest.mark.parametrize(
    "text", QUICK_TEXTS + [p.read_text() for p in sorted(QUERIES_DIR.rglob("*.rq"))], ids=lambda t: t[:40]
)
def test_screen_reads_what_the_parser_reads(text: str) -> None:
    """Whichever way ``screen`` takes, its plan is the parser's (form, dataset, services, LIMIT)."""
    try:
        expected = analyse(text)
    except QuerySyntaxError:
        return  # malformed: left to the engine's parser (checked through the endpoint)
    plan = screen(text)
    # The quick reading may leave the LIMIT unknown (then the result cap is checked row by row).
    assert dataclasses.replace(plan, limit=None) == dataclasses.replace(expected, limit=None)
    assert plan.limit in (None, expected.limit)


def test_the_quick_reading_covers_the_plain_queries() -> None:
    """Texts without SERVICE or FROM skip rdflib's parser (the point of ``screen``)."""
    from defport_kg.sparql import safety

    assert all(safety._quick_plan(text) is not None for text in QUICK_TEXTS)
    assert safety._quick_plan("SELECT * { ?s ?p ?o } LIMIT 10").limit == 10
    assert safety._quick_plan("SELECT * { { SELECT * { ?s ?p ?o } LIMIT 5 } }").limit is None


@pytest.mark.parametrize(
    "text",
    [
        # A subquery's LIMIT made to look top-level: a '}' the engine reads in a comment or a string
        # that a tokenizer could take for part of an IRI.
        "SELECT * { { SELECT * { ?s ?p ?o FILTER(?o<?o#>) } }\n) } LIMIT 10 } }",
        "SELECT * { { SELECT * { ?s ?p ?o FILTER(?o<'>' && '}}' = ?o) } LIMIT 10 } }",
    ],
)
def test_a_subquerys_limit_disguised_as_the_querys_own_is_not_taken_for_it(text: str) -> None:
    """A top-level LIMIT lets a result skip the cap check, so a LIMIT read wrongly would let a capped
    query go uncut. Both texts are valid for the engine, whose LIMIT is the subquery's; read naively
    (``<...>`` as an IRI), braces inside its comment or string would put that LIMIT at the top."""
    import pyoxigraph as ox

    from defport_kg.sparql import safety

    ox.Store().query(text)  # the engine reads it (no SyntaxError)
    assert safety._quick_plan(text).limit is None  # type: ignore[union-attr]
    assert analyse(text).limit is None


@pytest.mark.parametrize(
    "text",
    [
        f"SELECT * {{ SERVICE <{REMOTE}> {{ ?s ?p ?o }} }}",
        f"SELECT * {{ sErViCe <{REMOTE}> {{ ?s ?p ?o }} }}",
        f"SELECT * {{ \\u0053ERVICE <{REMOTE}> {{ ?s ?p ?o }} }}",
        f"SELECT * {{ \\U00000053ERVICE <{REMOTE}> {{ ?s ?p ?o }} }}",
        f"SELECT * {{ \\u0073ervice <{REMOTE}> {{ ?s ?p ?o }} }}",
        f"PREFIX : <{REMOTE}> SELECT * {{ SERVICE:x {{ ?s ?p ?o }} }}",
    ],
)
def test_screen_refuses_every_service_the_parser_refuses(text: str) -> None:
    with pytest.raises(QueryRefused):
        check_services(screen(text), [])


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * FROM <http://a.example/x> { ?s ?p ?o }",
        "SELECT * from named <http://a.example/x> { ?s ?p ?o }",
        "SELECT * \\u0046ROM <http://a.example/x> { ?s ?p ?o }",
        'SELECT * { ?s ?p "service" }',
        "SELECT * { ?s <http://a.example/from> ?o }",
        "SELECT * { ?s ?p ?o } # SERVICE <http://a.example/>",
        "INSERT DATA { <http://a/> <http://b/> <http://c/> }",
        "SELEC * { ?s ?p ?o }",
        "PREFIX x: <http://x/>",
        "PREFIX x <http://x/> SELECT * {}",
        "",
        "SELECT * WHERE " + "{ " * 200 + "?s ?p ?o" + " }" * 200,
        "SELECT * WHERE { ?s ?p ?o FILTER(?o<" + "(" * 200 + "?o" + ")" * 200 + ">?o) }",
    ],
)
def test_texts_the_quick_reading_leaves_to_the_full_parse(text: str) -> None:
    from defport_kg.sparql import safety

    assert safety._quick_plan(text) is None
    try:
        expected: object = analyse(text)
    except ValueError as error:
        with pytest.raises(type(error)):
            screen(text)
        return
    assert screen(text) == expected


def test_chaining_tokens_are_counted_outside_strings_iris_comments_and_names() -> None:
    text = 'SELECT * WHERE { ?s <https://a.b/c/d,e> "a.b,c && d" ; dp:x.y 1.5 FILTER(?a && ?b || !?c) } # a.b,c'
    # SELECT *, the ";" after the string, && and || (two characters each) and "!"
    assert count_chaining_tokens(text) == 7
    assert count_chaining_tokens(r"ASK { FILTER(true \u0026\u0026 false) }") == 2  # escapes are expanded first


def test_every_named_query_is_far_from_the_chain_limit() -> None:
    counts = {p.name: count_chaining_tokens(p.read_text(encoding="utf-8")) for p in QUERIES_DIR.glob("*.rq")}
    assert counts and max(counts.values()) < MAX_CHAINING_TOKENS // 20, counts


def test_a_long_chain_is_refused_by_both_checks() -> None:
    text = "ASK { FILTER(" + "1 && " * (MAX_CHAINING_TOKENS // 2 + 1) + "1) }"
    for check in (screen, analyse):
        with pytest.raises(QueryRefused, match="operators and separators"):
            check(text)
