"""GET/POST /sparql through the real app (CONTRACT §5): protocol, dataset, formats, errors, description.

Every test runs twice: over an in-memory store (thread engine) and over an on-disk store (worker
processes reading snapshots), because both must answer alike.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from urllib.parse import urlencode

import pyoxigraph as ox
import pytest
import rdflib
from fastapi.testclient import TestClient

from defport_kg.api.routes.sparql import close_engine
from defport_kg.store import EmbeddedStore
from tests.sparql.fixtures import CATALOG, IMPORT_A, IMPORT_B, KEYS, LIVE, STAGED, disk_store, memory_filled
from tests.sparql.helpers import SPARQL_JSON, make_app

__all__ = ["disk_store", "memory_filled"]

COMPANIES = "SELECT ?o WHERE { ?o a dp:Company } ORDER BY ?o"
ACME = "https://w3id.org/defport/id/org/acme"
BETA = "https://w3id.org/defport/id/org/beta"
SECRET = "https://w3id.org/defport/id/org/secret"


@pytest.fixture(scope="module", params=["threads", "processes"])
def client(request: pytest.FixtureRequest) -> Iterator[TestClient]:
    store: EmbeddedStore = request.getfixturevalue("memory_filled" if request.param == "threads" else "disk_store")
    app = make_app(store, query_result_limit=1000)
    yield TestClient(app)
    close_engine(app)


def values(response, name: str = "o") -> list[str]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.text
    return [b[name]["value"] for b in response.json()["results"]["bindings"] if name in b]


def assert_problem(response, status: int, *words: str) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == status
    for word in words:
        assert word.lower() in body["detail"].lower(), body["detail"]


# -- the three ways to send a query ------------------------------------------------------------


def test_get(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": COMPANIES})
    assert response.headers["content-type"] == SPARQL_JSON
    assert "Accept" in response.headers["vary"]
    assert values(response) == [ACME, BETA]


def test_post_form(client: TestClient) -> None:
    assert values(client.post("/sparql", data={"query": COMPANIES})) == [ACME, BETA]


def test_post_direct(client: TestClient) -> None:
    response = client.post(
        "/sparql", content=COMPANIES.encode(), headers={"Content-Type": "application/sparql-query; charset=UTF-8"}
    )
    assert values(response) == [ACME, BETA]


def test_post_direct_with_non_ascii_text(client: TestClient) -> None:
    query = 'SELECT ?o WHERE { ?o rdfs:label ?l FILTER(?l != "Überall — ✓") } ORDER BY ?o'
    response = client.post("/sparql", content=query.encode(), headers={"Content-Type": "application/sparql-query"})
    assert values(response) == [ACME, BETA]


def test_default_prefixes_need_no_declaration(client: TestClient) -> None:
    assert values(client.get("/sparql", params={"query": "SELECT ?o { ?o dp:country ?c }"})) == [ACME]


# -- formats -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("accept", "media"),
    [
        ("application/sparql-results+json", SPARQL_JSON),
        ("application/json", "application/json"),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv", "text/csv; charset=utf-8"),
        ("text/tab-separated-values", "text/tab-separated-values; charset=utf-8"),
        ("*/*", SPARQL_JSON),
        (None, SPARQL_JSON),
    ],
)
def test_select_formats(client: TestClient, accept: str | None, media: str) -> None:
    headers = {"Accept": accept} if accept else {}
    response = client.get("/sparql", params={"query": COMPANIES}, headers=headers)
    assert response.status_code == 200
    assert response.headers["content-type"] == media
    if "csv" in media:
        rows = list(csv.reader(io.StringIO(response.text)))
        assert rows == [["o"], [ACME], [BETA]]
    elif "tab-separated" in media:
        assert response.text.splitlines() == ["?o", f"<{ACME}>", f"<{BETA}>"]
    else:
        fmt = ox.QueryResultsFormat.XML if "xml" in media else ox.QueryResultsFormat.JSON
        rows = ox.parse_query_results(response.content, format=fmt)
        assert [r["o"].value for r in rows] == [ACME, BETA]


def test_ask(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": f"ASK {{ <{ACME}> a dp:Company }}"})
    assert response.json() == {"head": {}, "boolean": True}
    xml = client.get(
        "/sparql",
        params={"query": f"ASK {{ <{SECRET}> a dp:Company }}"},
        headers={"Accept": "application/sparql-results+xml"},
    )
    assert xml.headers["content-type"] == "application/sparql-results+xml"
    assert b"<boolean>false</boolean>" in xml.content


@pytest.mark.parametrize(
    ("accept", "media", "rdflib_format"),
    [
        (None, "text/turtle; charset=utf-8", "turtle"),
        ("text/turtle", "text/turtle; charset=utf-8", "turtle"),
        ("application/n-triples", "application/n-triples", "nt"),
        ("application/ld+json", "application/ld+json", "json-ld"),
        ("application/rdf+xml", "application/rdf+xml", "xml"),
    ],
)
def test_construct_formats(client: TestClient, accept: str | None, media: str, rdflib_format: str) -> None:
    headers = {"Accept": accept} if accept else {}
    query = "CONSTRUCT { ?o a dp:Company } WHERE { ?o a dp:Company }"
    response = client.get("/sparql", params={"query": query}, headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == media
    graph = rdflib.Graph().parse(data=response.content, format=rdflib_format)
    assert {str(s) for s in graph.subjects()} == {ACME, BETA}


def test_describe(client: TestClient) -> None:
    response = client.get(
        "/sparql", params={"query": f"DESCRIBE <{ACME}>"}, headers={"Accept": "application/n-triples"}
    )
    assert response.status_code == 200
    assert f"<{ACME}>" in response.text and "Acme" in response.text


def test_406_when_no_accepted_type_fits(client: TestClient) -> None:
    assert_problem(client.get("/sparql", params={"query": COMPANIES}, headers={"Accept": "text/turtle"}), 406)
    construct = "CONSTRUCT WHERE { ?s ?p ?o }"
    assert_problem(client.get("/sparql", params={"query": construct}, headers={"Accept": SPARQL_JSON}), 406)
    assert_problem(client.get("/sparql", params={"query": COMPANIES}, headers={"Accept": "image/png"}), 406)


# -- errors ------------------------------------------------------------------------------------


def test_malformed_query_is_400_with_the_parsers_message(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": "SELECT ?o WHERE { ?o a dp:Company "})
    assert_problem(response, 400, "does not parse", "line 1")


@pytest.mark.parametrize(
    "send",
    [
        lambda c: c.get("/sparql", params=[("query", COMPANIES), ("query", COMPANIES)]),
        lambda c: c.post("/sparql", params={"query": COMPANIES}, data={"query": COMPANIES}),
        lambda c: c.post(
            "/sparql",
            content=urlencode([("query", COMPANIES), ("query", "ASK {}")]),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        ),
        lambda c: c.post(
            "/sparql",
            params={"query": COMPANIES},
            content=COMPANIES.encode(),
            headers={"Content-Type": "application/sparql-query"},
        ),
    ],
    ids=["get-twice", "url-and-form", "form-twice", "url-and-body"],
)
def test_a_query_given_twice_is_400(client: TestClient, send) -> None:  # type: ignore[no-untyped-def]
    assert_problem(send(client), 400, "2 times")


UPDATE = "INSERT DATA { GRAPH <https://w3id.org/defport/id/graph/live> { <urn:a> <urn:b> <urn:c> } }"


@pytest.mark.parametrize(
    "send",
    [
        lambda c: c.get("/sparql", params={"query": UPDATE}),
        lambda c: c.get("/sparql", params={"update": UPDATE}),
        lambda c: c.post("/sparql", data={"update": UPDATE}),
        lambda c: c.post("/sparql", data={"query": "# sneaky\n" + UPDATE}),
        lambda c: c.post("/sparql", content=UPDATE.encode(), headers={"Content-Type": "application/sparql-query"}),
        lambda c: c.post("/sparql", content=UPDATE.encode(), headers={"Content-Type": "application/sparql-update"}),
        lambda c: c.get("/sparql", params={"query": "LOAD <http://127.0.0.1:9/x.ttl>"}),
        lambda c: c.get("/sparql", params={"query": "PREFIX x: <urn:x:> CLEAR GRAPH <urn:g>"}),
    ],
)
def test_updates_are_refused_with_400_and_change_nothing(client: TestClient, send) -> None:  # type: ignore[no-untyped-def]
    assert_problem(send(client), 400, "update")
    assert values(client.get("/sparql", params={"query": "SELECT ?o { <urn:a> ?p ?o }"})) == []


def test_no_query_is_400(client: TestClient) -> None:
    assert_problem(client.post("/sparql", data={"default-graph-uri": LIVE}), 400, "no query")
    assert_problem(client.get("/sparql", params={"default-graph-uri": LIVE}), 400, "no query")


def test_unknown_body_type_is_415(client: TestClient) -> None:
    response = client.post("/sparql", content=COMPANIES.encode(), headers={"Content-Type": "text/plain"})
    assert_problem(response, 415, "application/sparql-query")


def test_a_huge_query_is_413(client: TestClient) -> None:
    client.app.state.settings = client.app.state.settings.model_copy(update={"query_max_bytes": 1000})  # type: ignore[attr-defined]
    try:
        padding = "# " + "x" * 2000 + "\n"
        assert_problem(client.post("/sparql", data={"query": padding + COMPANIES}), 413)
        assert_problem(client.get("/sparql", params={"query": padding + COMPANIES}), 413)
    finally:
        client.app.state.settings = client.app.state.settings.model_copy(update={"query_max_bytes": 1 << 20})  # type: ignore[attr-defined]


# -- the dataset -------------------------------------------------------------------------------


SHARES = "SELECT (SUM(?share) AS ?total) (COUNT(?share) AS ?n) WHERE { ?r dp:share ?share }"


def _total(response) -> tuple[float, int]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.text
    row = response.json()["results"]["bindings"][0]
    return float(row["total"]["value"]), int(row["n"]["value"])


def test_a_triple_in_two_graphs_counts_once(client: TestClient) -> None:
    assert _total(client.get("/sparql", params={"query": SHARES})) == (0.5, 1)


def test_a_default_graph_of_two_graphs_is_their_merge_a_set(client: TestClient) -> None:
    by_params = client.get(
        "/sparql", params=[("query", SHARES), ("default-graph-uri", IMPORT_A), ("default-graph-uri", IMPORT_B)]
    )
    assert _total(by_params) == (0.5, 1)
    by_from = client.get(
        "/sparql", params={"query": SHARES.replace("WHERE", f"FROM <{IMPORT_A}> FROM <{IMPORT_B}> WHERE")}
    )
    assert _total(by_from) == (0.5, 1)


def test_default_graph_uri_makes_the_default_graph(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": COMPANIES, "default-graph-uri": IMPORT_B})
    assert values(response) == [BETA]


def test_protocol_parameters_override_the_querys_from(client: TestClient) -> None:
    query = f"SELECT ?o FROM <{IMPORT_A}> WHERE {{ ?o a dp:Company }}"
    assert values(client.get("/sparql", params={"query": query})) == [ACME]
    assert values(client.get("/sparql", params={"query": query, "default-graph-uri": IMPORT_B})) == [BETA]


def test_named_graph_uri_makes_the_named_graphs(client: TestClient) -> None:
    query = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    response = client.get("/sparql", params={"query": query, "named-graph-uri": IMPORT_B})
    assert values(response, "g") == [IMPORT_B]
    # only named graphs given: the default graph is empty
    assert values(client.get("/sparql", params={"query": COMPANIES, "named-graph-uri": IMPORT_B})) == []


def test_the_querys_own_dataset_stands_without_protocol_parameters(client: TestClient) -> None:
    query = f"SELECT ?g ?o FROM NAMED <{IMPORT_A}> WHERE {{ GRAPH ?g {{ ?o a dp:Company }} }}"
    assert values(client.get("/sparql", params={"query": query}), "g") == [IMPORT_A]
    only_named = f"SELECT ?o FROM NAMED <{IMPORT_A}> WHERE {{ ?o a dp:Company }}"
    assert values(client.get("/sparql", params={"query": only_named})) == []


def test_graph_sees_the_live_source_graphs_and_the_catalogue_only(client: TestClient) -> None:
    graphs = values(
        client.get("/sparql", params={"query": "SELECT DISTINCT ?g { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g"}), "g"
    )
    assert IMPORT_A in graphs and IMPORT_B in graphs and CATALOG in graphs
    assert STAGED not in graphs and KEYS not in graphs and LIVE not in graphs
    assert values(client.get("/sparql", params={"query": COMPANIES})) == [ACME, BETA]  # not the staged one


@pytest.mark.parametrize(
    "params",
    [
        {"query": f"SELECT * FROM <{STAGED}> {{ ?s ?p ?o }}"},
        {"query": f"SELECT * FROM NAMED <{KEYS}> {{ GRAPH ?g {{ ?s ?p ?o }} }}"},
        {"query": "SELECT * { ?s ?p ?o }", "default-graph-uri": KEYS},
        {"query": "SELECT * { GRAPH ?g { ?s ?p ?o } }", "named-graph-uri": STAGED},
        {"query": "SELECT * FROM <https://w3id.org/defport/id/graph/shapes> { ?s ?p ?o }"},
    ],
)
def test_hidden_graphs_cannot_be_named(client: TestClient, params: dict[str, str]) -> None:
    assert_problem(client.get("/sparql", params=params), 400, "not a graph of this endpoint")


def test_graph_with_a_hidden_name_finds_nothing(client: TestClient) -> None:
    assert values(client.get("/sparql", params={"query": f"SELECT ?s {{ GRAPH <{KEYS}> {{ ?s ?p ?o }} }}"}), "s") == []
    assert (
        values(client.get("/sparql", params={"query": f"SELECT ?s {{ GRAPH <{STAGED}> {{ ?s ?p ?o }} }}"}), "s") == []
    )


def test_the_live_union_can_be_named_as_default_graph(client: TestClient) -> None:
    assert values(client.get("/sparql", params={"query": COMPANIES, "default-graph-uri": LIVE})) == [ACME, BETA]


# -- the result cap ----------------------------------------------------------------------------


def test_a_result_over_the_cap_is_cut_and_says_so(client: TestClient) -> None:
    client.app.state.settings = client.app.state.settings.model_copy(update={"query_result_limit": 3})  # type: ignore[attr-defined]
    try:
        response = client.get("/sparql", params={"query": "SELECT * { ?s ?p ?o }"})
        assert response.status_code == 200
        assert response.headers["x-defport-truncated"] == "true"
        assert response.headers["x-defport-result-limit"] == "3"
        body = response.json()
        assert len(body["results"]["bindings"]) == 3
        assert body["head"]["link"] == ["http://testserver/sparql#result-limit"]
        small = client.get("/sparql", params={"query": COMPANIES})
        assert "x-defport-truncated" not in small.headers and "link" not in small.json()["head"]
        triples = client.get(
            "/sparql", params={"query": "CONSTRUCT WHERE { ?s ?p ?o }"}, headers={"Accept": "application/n-triples"}
        )
        assert triples.headers["x-defport-truncated"] == "true"
        assert len(triples.text.strip().splitlines()) == 3
    finally:
        client.app.state.settings = client.app.state.settings.model_copy(update={"query_result_limit": 1000})  # type: ignore[attr-defined]


# -- the service description -------------------------------------------------------------------

SD = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
VOID = rdflib.Namespace("http://rdfs.org/ns/void#")


def test_get_without_query_answers_the_service_description(client: TestClient) -> None:
    response = client.get("/sparql")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/turtle; charset=utf-8"
    graph = rdflib.Graph().parse(data=response.text, format="turtle")
    service = rdflib.URIRef("http://testserver/sparql")
    assert (service, rdflib.RDF.type, SD.Service) in graph
    assert (service, SD.endpoint, service) in graph
    assert (service, SD.supportedLanguage, SD.SPARQL11Query) in graph
    formats = {str(o) for o in graph.objects(service, SD.resultFormat)}
    assert "http://www.w3.org/ns/formats/SPARQL_Results_JSON" in formats
    names = {str(o) for o in graph.objects(None, SD.name)}
    assert {IMPORT_A, IMPORT_B, CATALOG} <= names
    assert STAGED not in names and KEYS not in names
    default = graph.value(graph.value(service, SD.defaultDataset), SD.defaultGraph)
    count = client.get("/sparql", params={"query": "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"})
    expected = int(values(count, "n")[0])
    assert int(graph.value(default, VOID.triples)) == expected
    assert (None, SD.feature, SD.BasicFederatedQuery) not in graph


def test_the_service_description_names_the_endpoint_as_each_client_addressed_it(client: TestClient) -> None:
    for host in ("kg.example.org", "127.0.0.1:8000", "kg.example.org"):
        response = client.get("/sparql", headers={"Host": host})
        graph = rdflib.Graph().parse(data=response.text, format="turtle")
        service = rdflib.URIRef(f"http://{host}/sparql")
        assert (service, SD.endpoint, service) in graph, host


def test_service_description_by_negotiation(client: TestClient) -> None:
    response = client.get("/sparql", headers={"Accept": "application/ld+json"})
    assert response.headers["content-type"] == "application/ld+json"
    assert json.loads(response.text)
    assert_problem(client.get("/sparql", headers={"Accept": "image/png"}), 406)


def test_openapi_documents_the_route(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    operation = spec["paths"]["/sparql"]["get"]
    assert {p["name"] for p in operation["parameters"]} >= {"query", "default-graph-uri", "named-graph-uri"}
