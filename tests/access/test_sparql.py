"""/sparql (GET and POST, worker processes over on-disk views): no query names its way to hidden data.

Each query is asked by every caller; the callers below org A's clearance get no trace of the
restricted import (results, counts, graph lists, catalogue, errors), org A gets all of it, and
naming the hidden graph is answered exactly as naming a graph that does not exist.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.access.conftest import (
    CATALOG,
    DPID,
    HIDDEN_ORG,
    LOWER,
    World,
    assert_no_defport,
    assert_no_trace,
)

DP = "https://w3id.org/defport/ontology#"
JSON_RESULTS = "application/sparql-results+json, application/n-triples;q=0.9"
METHODS = ("GET", "POST-form", "POST-direct")
NOWHERE_ORG = DPID + "org/zz-nowhere"  # exists nowhere, for any caller


def ask(world: World, caller: str, method: str, query: str, **params: Any) -> Any:
    """One query through the real app, the way ``method`` sends it."""
    headers = {**world.headers(caller), "Accept": params.pop("accept", JSON_RESULTS)}
    protocol = {k.replace("_", "-"): v for k, v in params.items()}
    if method == "GET":
        return world.client.get("/sparql", params={"query": query, **protocol}, headers=headers)
    if method == "POST-form":
        return world.client.post("/sparql", data={"query": query, **protocol}, headers=headers)
    return world.client.post(
        "/sparql",
        params=protocol,
        content=query.encode(),
        headers={**headers, "Content-Type": "application/sparql-query"},
    )


def bindings(response: Any, name: str) -> list[str]:
    assert response.status_code == 200, response.text
    return [b[name]["value"] for b in response.json()["results"]["bindings"] if name in b]


def fake_graph(world: World) -> str:
    """An import graph IRI of the same shape as the hidden one, that no store holds."""
    real = world.hidden_import
    return DPID + "import/" + real[:-8] + ("0" * 8 if not real.endswith("0" * 8) else "1" * 8)


def same_answer(hidden: Any, missing: Any, hidden_iri: str, missing_iri: str) -> None:
    """The answer about the hidden graph is the answer about a missing one, word for word."""
    assert hidden.status_code == missing.status_code
    assert hidden.headers["content-type"] == missing.headers["content-type"]
    assert hidden.text.replace(hidden_iri, missing_iri) == missing.text


@pytest.mark.parametrize("method", METHODS)
def test_select_over_everything(world: World, method: str) -> None:
    query = "SELECT DISTINCT ?s WHERE { ?s ?p ?o }"
    cleared = bindings(ask(world, "org_a", method, query), "s")
    assert HIDDEN_ORG in cleared and DPID + "item/zz-core" in cleared
    for caller in LOWER:
        response = ask(world, caller, method, query)
        assert HIDDEN_ORG not in bindings(response, "s")
        assert_no_trace(world, response.text, what=f"{caller} {method}")
        assert response.headers["x-defport-clearance"].startswith({"anonymous": "public"}.get(caller, "defport")) or (
            caller == "org_b" and response.headers["x-defport-clearance"].startswith("restricted")
        )
    assert_no_defport(world, ask(world, "anonymous", method, query).text, what="anonymous")


@pytest.mark.parametrize("method", METHODS)
def test_counts_and_aggregates(world: World, method: str) -> None:
    def count(caller: str, query: str) -> int:
        return int(bindings(ask(world, caller, method, query), "n")[0])

    everything = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    relations = f"SELECT (COUNT(DISTINCT ?r) AS ?n) WHERE {{ ?r a <{DP}SupplyRelation> }}"
    in_graphs = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    kvk = f'SELECT (COUNT(*) AS ?n) WHERE {{ ?o <{DP}kvkNumber> ?k FILTER(STRSTARTS(?k, "8765")) }}'
    for query in (everything, relations, in_graphs):
        anonymous, defport, org_b, org_a = (count(c, query) for c in ("anonymous", "defport", "org_b", "org_a"))
        assert anonymous < defport == org_b < org_a, query
    assert count("org_a", relations) - count("org_b", relations) == 2  # the two hidden supply relations
    assert [count(c, kvk) for c in ("anonymous", "defport", "org_b", "org_a")] == [0, 0, 0, 1]


@pytest.mark.parametrize("method", METHODS)
def test_graph_listing(world: World, method: str) -> None:
    query = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    assert world.hidden_graph in bindings(ask(world, "org_a", method, query), "g")
    for caller in LOWER:
        response = ask(world, caller, method, query)
        graphs = bindings(response, "g")
        assert world.public_graph in graphs and world.hidden_graph not in graphs
        assert (world.defport_graph in graphs) is (caller != "anonymous")
        assert_no_trace(world, response.text, what=caller)


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize(
    "template",
    [
        "SELECT ?s ?p ?o WHERE {{ GRAPH <{g}> {{ ?s ?p ?o }} }}",
        "SELECT ?s ?p ?o FROM <{g}> WHERE {{ ?s ?p ?o }}",
        "SELECT ?g ?s WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",  # with named-graph-uri / FROM NAMED below
        "SELECT ?g ?s FROM NAMED <{g}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
        "ASK {{ GRAPH <{g}> {{ ?s ?p ?o }} }}",
        "CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{g}> {{ ?s ?p ?o }} }}",
    ],
    ids=["GRAPH", "FROM", "GRAPH-var", "FROM-NAMED", "ASK", "CONSTRUCT"],
)
def test_naming_the_hidden_graph_is_naming_a_missing_one(world: World, method: str, template: str) -> None:
    missing = fake_graph(world)
    named = "FROM NAMED" in template or "FROM <" in template
    for caller in LOWER:
        hidden_answer = ask(world, caller, method, template.format(g=world.hidden_graph))
        missing_answer = ask(world, caller, method, template.format(g=missing))
        same_answer(hidden_answer, missing_answer, world.hidden_graph, missing)
        assert_no_trace(world, hidden_answer.text.replace(world.hidden_graph, missing), what=caller)
    cleared = ask(world, "org_a", method, template.format(g=world.hidden_graph))
    assert cleared.status_code == 200, cleared.text
    if "ASK" in template:
        assert cleared.json()["boolean"] is True
    elif "GRAPH ?g" not in template or named:
        assert HIDDEN_ORG in cleared.text


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("parameter", ["default_graph_uri", "named_graph_uri"])
def test_protocol_dataset_naming_the_hidden_graph(world: World, method: str, parameter: str) -> None:
    query = (
        "SELECT ?s WHERE { ?s ?p ?o }"
        if parameter == "default_graph_uri"
        else "SELECT ?s WHERE { GRAPH ?g { ?s ?p ?o } }"
    )
    missing = fake_graph(world)
    for caller in LOWER:
        hidden_answer = ask(world, caller, method, query, **{parameter: world.hidden_graph})
        missing_answer = ask(world, caller, method, query, **{parameter: missing})
        same_answer(hidden_answer, missing_answer, world.hidden_graph, missing)
        assert HIDDEN_ORG not in hidden_answer.text
    cleared = ask(world, "org_a", method, query, **{parameter: world.hidden_graph})
    assert HIDDEN_ORG in bindings(cleared, "s")


@pytest.mark.parametrize("method", METHODS)
def test_describe_a_hidden_node(world: World, method: str) -> None:
    turtle = "text/turtle"
    for caller in LOWER:
        hidden = ask(world, caller, method, f"DESCRIBE <{HIDDEN_ORG}>", accept=turtle)
        missing = ask(world, caller, method, f"DESCRIBE <{NOWHERE_ORG}>", accept=turtle)
        assert hidden.status_code == missing.status_code == 200
        assert hidden.text == missing.text
        assert_no_trace(world, hidden.text, what=caller)
    cleared = ask(world, "org_a", method, f"DESCRIBE <{HIDDEN_ORG}>", accept=turtle)
    assert cleared.status_code == 200 and "Zephyrine Quillfeather" in cleared.text


@pytest.mark.parametrize("method", METHODS)
def test_construct_and_ask(world: World, method: str) -> None:
    construct = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
    exists = f"ASK {{ <{HIDDEN_ORG}> ?p ?o }}"
    label = 'ASK { ?s ?p ?o FILTER(isLiteral(?o) && CONTAINS(LCASE(STR(?o)), "zephyrine")) }'
    cleared = ask(world, "org_a", method, construct, accept="application/n-triples")
    assert cleared.status_code == 200 and HIDDEN_ORG in cleared.text
    assert ask(world, "org_a", method, exists).json()["boolean"] is True
    assert ask(world, "org_a", method, label).json()["boolean"] is True
    for caller in LOWER:
        response = ask(world, caller, method, construct, accept="application/n-triples")
        assert response.status_code == 200
        assert_no_trace(world, response.text, what=caller)
        assert ask(world, caller, method, exists).json()["boolean"] is False
        assert ask(world, caller, method, label).json()["boolean"] is False


def _description(world: World, caller: str) -> Any:
    response = world.get(caller, "/sparql", headers={"Accept": "text/turtle"})
    assert response.status_code == 200, response.text
    return response


def test_service_description(world: World) -> None:
    import rdflib

    def sizes(caller: str) -> tuple[int, dict[str, int]]:
        graph = rdflib.Graph().parse(data=_description(world, caller).text, format="turtle")
        prefixes = (
            "PREFIX sd: <http://www.w3.org/ns/sparql-service-description#> PREFIX void: <http://rdfs.org/ns/void#> "
        )
        named = {
            str(name): int(n)
            for name, n in graph.query(
                prefixes + "SELECT ?name ?n WHERE { ?x sd:name ?name ; sd:graph/void:triples ?n }"
            )
        }
        default = [int(n) for (n,) in graph.query(prefixes + "SELECT ?n WHERE { ?d sd:defaultGraph/void:triples ?n }")]
        assert len(default) == 1
        return default[0], named

    cleared_default, cleared = sizes("org_a")
    assert world.hidden_graph in cleared
    for caller in LOWER:
        assert_no_trace(world, _description(world, caller).text, what=caller)
        default, mine = sizes(caller)
        assert world.hidden_graph not in mine and world.public_graph in mine
        # The sizes are those of the caller's own data: nothing hidden is counted in.
        counted = int(bindings(ask(world, caller, "GET", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"), "n")[0])
        assert default == counted < cleared_default
        assert mine[CATALOG] < cleared[CATALOG]
        in_catalogue = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{CATALOG}> {{ ?s ?p ?o }} }}"
        assert mine[CATALOG] == int(bindings(ask(world, caller, "GET", in_catalogue), "n")[0])
        for name, n in mine.items():
            if name != CATALOG:
                assert n == cleared[name], name


@pytest.mark.parametrize("method", METHODS)
def test_catalogue_queries(world: World, method: str) -> None:
    query = f"SELECT ?s ?p ?o WHERE {{ GRAPH <{CATALOG}> {{ ?s ?p ?o }} }}"
    cleared = ask(world, "org_a", method, query)
    assert world.hidden_graph in bindings(cleared, "s")
    assert "restricted" in json.dumps(cleared.json())
    for caller in LOWER:
        response = ask(world, caller, method, query)
        subjects = bindings(response, "s")
        assert world.public_graph in subjects
        assert_no_trace(world, response.text, what=caller)
        assert '"restricted"' not in response.text  # no record says a restricted graph exists
        if caller == "anonymous":
            assert_no_defport(world, response.text, what=caller)


def test_a_cached_answer_is_never_given_to_another_clearance(world: World) -> None:
    """The result cache keeps answers per view: the cleared caller's repeated query is a hit, and
    the same text from a caller below is answered from that caller's own view (shared only by
    callers who see the same graphs)."""
    query = "# result-cache test\nSELECT DISTINCT ?s WHERE { ?s ?p ?o }"
    first, again = (ask(world, "org_a", "GET", query) for _ in range(2))
    assert HIDDEN_ORG in bindings(again, "s") and again.content == first.content
    assert (first.headers["x-defport-cache"], again.headers["x-defport-cache"]) == ("miss", "hit")
    answered: set[bytes] = set()
    for caller in LOWER:
        mine, repeated = (ask(world, caller, "GET", query) for _ in range(2))
        assert mine.content != first.content, caller  # never the cleared caller's answer
        # A hit on the first ask only from a caller with the same view (defport and org_b see the same).
        assert mine.headers["x-defport-cache"] == "miss" or mine.content in answered, caller
        answered.add(mine.content)
        assert repeated.headers["x-defport-cache"] == "hit" and repeated.content == mine.content, caller
        assert HIDDEN_ORG not in bindings(repeated, "s")
        assert_no_trace(world, repeated.text, what=f"{caller} (cached)")
    assert ask(world, "anonymous", "GET", query).content != ask(world, "defport", "GET", query).content
