"""The check that runs before any query: SERVICE, FROM and updates are recognised as the parser sees them."""

from __future__ import annotations

import pytest

from defport_kg.sparql.safety import (
    QueryRefused,
    QuerySyntaxError,
    UpdateRefused,
    allowed_by,
    analyse,
    check_services,
    count_service_keywords,
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
    plan = analyse(query)
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
