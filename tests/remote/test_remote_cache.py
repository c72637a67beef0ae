"""/sparql over a remote store keeps no result cache: other clients may write to the server, and
no commit of theirs passes through this process to make a kept answer stale."""

from __future__ import annotations

from fastapi.testclient import TestClient

from defport_kg.api.routes.sparql import close_engine
from defport_kg.namespaces import LIVE_GRAPH
from defport_kg.store.remote import RemoteStore
from tests.conftest import turtle_quads
from tests.remote.conftest import clear
from tests.remote.servers import Server
from tests.sparql.helpers import make_app

ASK = "ASK { <https://w3id.org/defport/id/org/outsider> a dp:Company }"


def test_a_write_by_another_client_is_seen_by_the_next_identical_query(oxigraph_server: Server) -> None:
    store = RemoteStore.open(oxigraph_server.location, create=True)
    clear(store)
    store.add_source_graph(
        "https://w3id.org/defport/id/import/base", turtle_quads("o:acme a dp:Company ."), role="import"
    )
    app = make_app(store)
    try:
        client = TestClient(app)
        first = client.get("/sparql", params={"query": ASK})
        assert first.json()["boolean"] is False and "x-defport-cache" not in first.headers
        # Another client of the same server writes the live data (not through this process).
        store._update(
            f"INSERT DATA {{ GRAPH <{LIVE_GRAPH}> {{ <https://w3id.org/defport/id/org/outsider> a "
            "<https://w3id.org/defport/ontology#Company> } }"
        )
        assert client.get("/sparql", params={"query": ASK}).json()["boolean"] is True
    finally:
        close_engine(app)
        clear(store)
        store.close()
