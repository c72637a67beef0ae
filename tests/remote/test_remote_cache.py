"""/sparql over a remote store keeps no result cache: other clients may write to the server, and
no commit of theirs passes through this process to make a kept answer stale."""

from __future__ import annotations

from fastapi.testclient import TestClient

from defport_kg.api.routes.sparql import close_engine
from defport_kg.store.remote import RemoteStore
from tests.conftest import turtle_quads
from tests.remote.conftest import clear
from tests.remote.servers import Server
from tests.sparql.helpers import make_app

COMPANIES = "SELECT ?o WHERE { ?o a dp:Company } ORDER BY ?o"


def test_repeated_queries_on_a_remote_store_are_always_run(oxigraph_server: Server) -> None:
    store = RemoteStore.open(oxigraph_server.location, create=True)
    clear(store)
    store.add_source_graph(
        "https://w3id.org/defport/id/import/base", turtle_quads("o:acme a dp:Company ."), role="import"
    )
    app = make_app(store)
    try:
        client = TestClient(app)
        answers = [client.get("/sparql", params={"query": COMPANIES}) for _ in range(3)]
        assert all(a.status_code == 200 and "acme" in a.text for a in answers)
        assert all("x-defport-cache" not in a.headers for a in answers)
        assert getattr(app.state, "sparql_result_cache", None) is None
    finally:
        close_engine(app)
        clear(store)
        store.close()


def test_a_malformed_query_on_a_remote_store_is_refused_here_with_the_parsers_message(
    oxigraph_server: Server,
) -> None:
    """Over a remote store every text gets the full parse before anything is sent: the client hears
    our 400 with line and column, not the remote server's error passed on as a failure."""
    store = RemoteStore.open(oxigraph_server.location, create=True)
    clear(store)
    app = make_app(store)
    try:
        response = TestClient(app).get("/sparql", params={"query": "SELECT ?o WHERE { ?o a dp:Company "})
        assert response.status_code == 400, response.text
        assert "does not parse" in response.json()["detail"] and "line 1" in response.json()["detail"]
    finally:
        close_engine(app)
        clear(store)
        store.close()
