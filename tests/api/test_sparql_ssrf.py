"""/sparql never sends a request the allow-list does not name (SERVICE, LOAD, remote FROM).

A recorder HTTP server on 127.0.0.1 stands in for an internal service an attacker would reach
through the endpoint; it must see nothing. A control with the recorder allow-listed shows that it
would have seen the request (pyoxigraph does run SERVICE itself).
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from defport_kg.api.routes.sparql import close_engine
from defport_kg.store import EmbeddedStore
from tests.sparql.fixtures import disk_store, memory_filled
from tests.sparql.helpers import Recorder, make_app

__all__ = ["disk_store", "memory_filled"]


@pytest.fixture(scope="module")
def recorder() -> Iterator[Recorder]:
    with Recorder() as running:
        yield running


@pytest.fixture(scope="module", params=["threads", "processes"])
def store(request: pytest.FixtureRequest) -> EmbeddedStore:
    return request.getfixturevalue("memory_filled" if request.param == "threads" else "disk_store")


@pytest.fixture(scope="module")
def client(store: EmbeddedStore) -> Iterator[TestClient]:
    app = make_app(store)
    yield TestClient(app)
    close_engine(app)


def _attacks(url: str) -> list[dict[str, str]]:
    host = url.rstrip("/")
    return [
        {"query": f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}"},
        {"query": f"SELECT * WHERE {{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }}"},
        {"query": f"ASK {{ SERVICE <{url}> {{ ?s ?p ?o }} }}"},
        {"query": f"PREFIX : <{host}/> SELECT * WHERE {{ SERVICE:x {{ ?s ?p ?o }} }}"},
        {"query": f"SELECT * WHERE {{ SERVICE#hidden\n<{url}> {{ ?s ?p ?o }} }}"},
        {"query": f"SELECT * WHERE {{ ?s ?p ?o FILTER EXISTS {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}"},
        {"query": f"SELECT * WHERE {{ {{ SELECT * {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }} }}"},
        {"query": f"SELECT * WHERE {{ VALUES ?e {{ <{url}> }} SERVICE ?e {{ ?s ?p ?o }} }}"},
        {"query": f"SELECT * FROM <{host}/x> WHERE {{ ?s ?p ?o }}"},
        {"query": f"SELECT * FROM NAMED <{host}/x> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"},
        {"query": "SELECT * WHERE { ?s ?p ?o }", "default-graph-uri": f"{host}/x"},
        {"query": "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }", "named-graph-uri": f"{host}/x"},
        {"query": f"LOAD <{host}/data.ttl>"},
        {"query": f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}"},
    ]


def test_the_recorder_sees_no_request(client: TestClient, recorder: Recorder) -> None:
    for params in _attacks(recorder.url):
        response = client.get("/sparql", params=params)
        assert response.status_code == 400, (params, response.text)
        response = client.post("/sparql", data=params)
        assert response.status_code == 400, (params, response.text)
    time.sleep(0.3)
    assert recorder.requests == []


def test_control_an_allow_listed_service_is_called(store: EmbeddedStore) -> None:
    with Recorder() as allowed:
        app = make_app(store, service_allowlist=[allowed.url])
        try:
            query = f"SELECT * WHERE {{ SERVICE <{allowed.url}> {{ ?s ?p ?o }} }}"
            response = TestClient(app).get("/sparql", params={"query": query})
            assert response.status_code == 200, response.text
            assert allowed.requests, "the control shows the recorder would have seen a SERVICE call"
            # An allow-listed FROM names a graph that is not in the store: empty, and never fetched.
            before = len(allowed.requests)
            query = f"SELECT * FROM <{allowed.url}x> WHERE {{ ?s ?p ?o }}"
            response = TestClient(app).get("/sparql", params={"query": query})
            assert response.status_code == 200, response.text
            assert response.json()["results"]["bindings"] == []
            assert len(allowed.requests) == before
        finally:
            close_engine(app)


def test_an_allow_list_does_not_open_other_hosts(store: EmbeddedStore, recorder: Recorder) -> None:
    app = make_app(store, service_allowlist=["http://127.0.0.1:1/sparql"])
    try:
        query = f"SELECT * WHERE {{ SERVICE <{recorder.url}> {{ ?s ?p ?o }} }}"
        assert TestClient(app).get("/sparql", params={"query": query}).status_code == 400
        time.sleep(0.2)
        assert recorder.requests == []
    finally:
        close_engine(app)
