"""/sparql on a real uvicorn (127.0.0.1, a free port) with the clients researchers use.

SPARQLWrapper and rdflib's SPARQLStore talk to the endpoint over real HTTP; the server runs the
on-disk store's worker processes, as `defport-kg serve` does.
"""

from __future__ import annotations

import os
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest
import rdflib
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, JSONLD, N3, POST, POSTDIRECTLY, TSV, TURTLE, URLENCODED, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

from tests.sparql.fixtures import IMPORT_B, disk_store
from tests.sparql.helpers import CROSS_PRODUCT, Recorder, busy_processes, children, make_app, running_server

__all__ = ["disk_store"]

ACME = "https://w3id.org/defport/id/org/acme"
BETA = "https://w3id.org/defport/id/org/beta"
COMPANIES = "PREFIX dp: <https://w3id.org/defport/ontology#> SELECT ?o WHERE { ?o a dp:Company } ORDER BY ?o"


@pytest.fixture(scope="module")
def endpoint(disk_store) -> Iterator[str]:  # type: ignore[no-untyped-def]
    app = make_app(disk_store)
    with running_server(app) as base:
        yield base + "/sparql"
    assert getattr(app.state, "sparql_engine", None) is None  # the lifespan stopped the workers


def wrapper(endpoint: str, query: str, fmt: str = JSON) -> SPARQLWrapper:
    client = SPARQLWrapper(endpoint)
    client.setQuery(query)
    client.setReturnFormat(fmt)
    return client


# -- SPARQLWrapper -------------------------------------------------------------------------------


def test_sparqlwrapper_select_json(endpoint: str) -> None:
    result = wrapper(endpoint, COMPANIES).queryAndConvert()
    assert [b["o"]["value"] for b in result["results"]["bindings"]] == [ACME, BETA]


@pytest.mark.parametrize("fmt", [XML, CSV, TSV])
def test_sparqlwrapper_select_other_formats(endpoint: str, fmt: str) -> None:
    response = wrapper(endpoint, COMPANIES, fmt).query()
    converted = response.convert()
    text = converted.toxml() if fmt == XML else converted.decode()
    assert ACME in text and BETA in text


@pytest.mark.parametrize(("method", "request_method"), [(POST, URLENCODED), (POST, POSTDIRECTLY)])
def test_sparqlwrapper_post(endpoint: str, method: str, request_method: str) -> None:
    client = wrapper(endpoint, COMPANIES)
    client.setMethod(method)
    client.setRequestMethod(request_method)
    result = client.queryAndConvert()
    assert [b["o"]["value"] for b in result["results"]["bindings"]] == [ACME, BETA]


def test_sparqlwrapper_ask(endpoint: str) -> None:
    assert wrapper(endpoint, f"ASK {{ <{ACME}> ?p ?o }}").queryAndConvert()["boolean"] is True


@pytest.mark.parametrize("fmt", [TURTLE, N3, XML, JSONLD])
def test_sparqlwrapper_construct(endpoint: str, fmt: str) -> None:
    query = "PREFIX dp: <https://w3id.org/defport/ontology#> CONSTRUCT WHERE { ?o a dp:Company }"
    converted = wrapper(endpoint, query, fmt).queryAndConvert()
    graph = converted if isinstance(converted, rdflib.Graph) else rdflib.Graph().parse(data=converted, format="turtle")
    assert {str(s) for s in graph.subjects()} == {ACME, BETA}


def test_sparqlwrapper_sees_a_bad_query_as_bad(endpoint: str) -> None:
    with pytest.raises(QueryBadFormed):
        wrapper(endpoint, "SELECT ?o WHERE { ?o a").query()


def test_sparqlwrapper_dataset_parameters(endpoint: str) -> None:
    client = wrapper(endpoint, COMPANIES)
    client.addDefaultGraph(IMPORT_B)
    result = client.queryAndConvert()
    assert [b["o"]["value"] for b in result["results"]["bindings"]] == [BETA]


# -- rdflib's SPARQLStore ------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["GET", "POST", "POST_FORM"])
def test_rdflib_sparqlstore_select(endpoint: str, method: str) -> None:
    graph = rdflib.Graph(store=SPARQLStore(endpoint, method=method))
    assert [str(row.o) for row in graph.query(COMPANIES)] == [ACME, BETA]


def test_rdflib_sparqlstore_select_json(endpoint: str) -> None:
    graph = rdflib.Graph(store=SPARQLStore(endpoint, returnFormat="json"))
    assert [str(row.o) for row in graph.query(COMPANIES)] == [ACME, BETA]


def test_rdflib_sparqlstore_ask_and_construct(endpoint: str) -> None:
    graph = rdflib.Graph(store=SPARQLStore(endpoint))
    assert graph.query(f"ASK {{ <{BETA}> ?p ?o }}").askAnswer is True
    constructed = graph.query(
        "PREFIX dp: <https://w3id.org/defport/ontology#> CONSTRUCT { ?o a dp:Company } WHERE { ?o a dp:Company }"
    ).graph
    assert {str(s) for s in constructed.subjects()} == {ACME, BETA}


def test_rdflib_sparqlstore_triples(endpoint: str) -> None:
    graph = rdflib.Graph(store=SPARQLStore(endpoint))
    labels = {str(o) for o in graph.objects(rdflib.URIRef(ACME), rdflib.RDFS.label)}
    assert labels == {"Acme"}


# -- over the wire -------------------------------------------------------------------------------


def test_service_description_over_http(endpoint: str) -> None:
    with urllib.request.urlopen(endpoint) as response:
        assert response.headers["Content-Type"].startswith("text/turtle")
        graph = rdflib.Graph().parse(data=response.read(), format="turtle")
    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    assert (rdflib.URIRef(endpoint), sd.endpoint, rdflib.URIRef(endpoint)) in graph


def test_ssrf_over_http(endpoint: str) -> None:
    with Recorder() as recorder:
        for query in (
            f"SELECT * WHERE {{ SERVICE <{recorder.url}> {{ ?s ?p ?o }} }}",
            f"SELECT * FROM <{recorder.url}x> WHERE {{ ?s ?p ?o }}",
        ):
            with pytest.raises(QueryBadFormed):
                wrapper(endpoint, query).query()
        time.sleep(0.3)
        assert recorder.requests == []


@pytest.mark.slow
def test_a_runaway_query_over_http_is_503_while_others_are_answered(disk_store) -> None:  # type: ignore[no-untyped-def]
    app = make_app(disk_store, query_timeout_seconds=2.0, query_workers=2)
    with running_server(app) as base:
        url = base + "/sparql"
        wrapper(url, COMPANIES).queryAndConvert()  # the pool is up
        workers = set(app.state.sparql_engine.worker_pids())
        statuses: list[int] = []

        def runaway() -> None:
            request = urllib.request.Request(url + "?" + urllib.parse.urlencode({"query": CROSS_PRODUCT}))
            try:
                urllib.request.urlopen(request, timeout=60)
                statuses.append(200)
            except urllib.error.HTTPError as error:
                statuses.append(error.code)

        started = time.monotonic()
        thread = threading.Thread(target=runaway)
        thread.start()
        answered = 0
        while thread.is_alive():
            try:
                result = wrapper(url, COMPANIES).queryAndConvert()
            except urllib.error.HTTPError as error:
                raise AssertionError(error.read()) from None
            assert len(result["results"]["bindings"]) == 2
            answered += 1
            time.sleep(0.05)
        assert statuses == [503]
        assert 2.0 <= time.monotonic() - started < 8.0
        assert answered >= 5
        assert app.state.sparql_engine.wait_ready(60)
        assert workers - set(app.state.sparql_engine.worker_pids())  # the runaway's worker was replaced
        time.sleep(0.5)
        assert busy_processes(children(os.getpid())) == {}
