"""The risk engine and failure handling on each store: embedded, Oxigraph server, Virtuoso."""

from __future__ import annotations

import threading

import pytest

from defport_kg.bootstrap import plan
from defport_kg.errors import StoreError, UsageError
from defport_kg.rdfio import parse_file
from defport_kg.risk.cutsets import cut_sets
from defport_kg.risk.model import load_network
from defport_kg.risk.spof import spof
from defport_kg.store import EmbeddedStore
from defport_kg.store.remote import RemoteStore
from tests.conftest import turtle_quads
from tests.remote.conftest import server_answers

G1 = "https://w3id.org/defport/id/import/g1"
G2 = "https://w3id.org/defport/id/import/g2"
SUM = "SELECT (SUM(?s) AS ?t) (COUNT(*) AS ?n) WHERE { ?r <https://w3id.org/defport/ontology#share> ?s }"


def _answers(store) -> dict:
    network = load_network(store)
    report = spof(network).to_dict()
    cuts = {system: [c.to_dict() for c in cut_sets(network, system, 2).cut_sets] for system in sorted(network.systems)}
    return {"spof": report, "cut_sets": cuts}


@pytest.fixture(scope="module")
def embedded_answers() -> dict:
    store = EmbeddedStore.in_memory()
    for step in plan(example=True):
        store.add_source_graph(step.graph, parse_file(step.path).quads, role=step.role, label=step.path.name)
    answers = _answers(store)
    store.close()
    return answers


def test_risk_engine_gives_the_same_answers_on_every_store(store, embedded_answers) -> None:
    for step in plan(example=True):
        store.add_source_graph(step.graph, parse_file(step.path).quads, role=step.role, label=step.path.name)
    answers = _answers(store)
    assert answers["spof"]["spofs"], "the example data has single points of failure"
    assert answers == embedded_answers
    assert store.check() == []


@pytest.mark.server
@pytest.mark.slow
@pytest.mark.parametrize("kind", ["oxigraph", "virtuoso"])
def test_server_stopped_between_staging_and_swap_leaves_live_data_unchanged(request, kind, monkeypatch) -> None:
    server = request.getfixturevalue(f"{kind}_server")
    remote = RemoteStore.open(server.location, create=True)
    remote.retries = 1
    from tests.remote.conftest import clear

    clear(remote)
    remote.add_source_graph(G1, turtle_quads("s:a dp:share 0.5 . s:b dp:share 0.25 ."), role="import")
    before = sorted(str(q) for q in remote.graph_quads("https://w3id.org/defport/id/graph/live"))
    original = RemoteStore._swap

    def crash_then_swap(self, *args, **kwargs):
        server.stop(kill=True)  # the server dies after the batch was staged, before the swap
        return original(self, *args, **kwargs)

    monkeypatch.setattr(RemoteStore, "_swap", crash_then_swap)
    with pytest.raises(StoreError, match="does not answer"):
        remote.add_source_graph(G2, turtle_quads("s:a dp:share 0.9 . s:c dp:share 0.1 ."), role="import")
    monkeypatch.setattr(RemoteStore, "_swap", original)
    server.start()
    assert server_answers(server)
    after = sorted(str(q) for q in remote.graph_quads("https://w3id.org/defport/id/graph/live"))
    assert after == before
    assert remote.select(SUM) == [{"t": 0.75, "n": 2}]
    assert remote.live_graphs() == [G1]
    # the staged batch was never live; cleanup removes it
    assert remote.cleanup_staging() == [G2]
    assert remote.check() == []
    clear(remote)
    remote.close()


def test_a_server_that_is_down_is_a_clear_error() -> None:
    with pytest.raises(StoreError, match=r"does not answer.*is it running"):
        RemoteStore.open("sparql+http://127.0.0.1:9/sparql?retries=0&timeout=2")


def test_bad_locations_and_parameters_are_usage_errors() -> None:
    with pytest.raises(UsageError, match="not a remote store location"):
        RemoteStore.open("http://127.0.0.1:9/sparql")
    with pytest.raises(UsageError, match="unknown remote store parameter"):
        RemoteStore.open("sparql+http://127.0.0.1:9/sparql?colour=red")
    with pytest.raises(UsageError, match="needs token"):
        RemoteStore.open("sparql+http://127.0.0.1:9/sparql?auth=bearer")


def _serve_once(status: int, content_type: str, body: bytes) -> tuple[str, threading.Thread]:
    """A tiny HTTP server answering every request the same way (a misconfigured or wrong endpoint)."""
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Handler(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = _answer

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return f"sparql+http://127.0.0.1:{server.server_address[1]}/sparql?retries=0", server


def test_an_answer_that_is_not_sparql_results_is_a_clear_error() -> None:
    location, server = _serve_once(200, "text/html", b"<html>login page</html>")
    try:
        with pytest.raises(StoreError, match="text/html where SPARQL results were expected"):
            RemoteStore.open(location)
    finally:
        server.shutdown()


@pytest.mark.parametrize("status", [401, 403, 500, 503])
def test_a_refusal_names_the_status(status: int) -> None:
    location, server = _serve_once(status, "text/plain", b"no")
    try:
        with pytest.raises(StoreError, match=f"HTTP {status}"):
            RemoteStore.open(location)
    finally:
        server.shutdown()
