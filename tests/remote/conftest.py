"""Stores for the parametrized suite: embedded, Oxigraph server and Virtuoso, each started here.

Servers are started once per session on 127.0.0.1 with a temporary database and stopped by PID;
each test gets an empty store (the server's graphs are cleared between tests).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from defport_kg.store import EmbeddedStore
from defport_kg.store.remote import RemoteStore
from tests.remote.servers import OxigraphServer, Server, VirtuosoServer, oxigraph_binary, virtuoso_binary

KINDS = ["embedded", "oxigraph", "virtuoso"]
INSTALL = {
    "oxigraph": "the `oxigraph` binary is missing: pip install oxigraph (in the test extras)",
    "virtuoso": "the Virtuoso binary `virtuoso-t` is missing: "
    "apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y virtuoso-opensource",
}


def _server(kind: str, tmp: Path) -> Server:
    if kind == "oxigraph":
        if oxigraph_binary() is None:
            pytest.skip(INSTALL[kind])
        return OxigraphServer(tmp)
    if virtuoso_binary() is None:
        pytest.skip(INSTALL[kind])
    return VirtuosoServer(tmp, buffers=20000)


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    server = _server("oxigraph", tmp_path_factory.mktemp("oxigraph"))
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    server = _server("virtuoso", tmp_path_factory.mktemp("virtuoso"))
    server.start()
    yield server
    server.stop()


def clear(store: RemoteStore) -> None:
    """Drop our graphs (Virtuoso's own system graphs are left alone)."""
    rows = store.query(
        'SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } FILTER (STRSTARTS(STR(?g), "https://w3id.org/defport/")) }',
        use_query_dataset=True,
    )
    graphs = [row["g"].value for row in rows]
    if graphs:
        store._update(";\n".join(f"DROP SILENT GRAPH <{g}>" for g in graphs))


def server_for(request: pytest.FixtureRequest, kind: str) -> Server:
    return request.getfixturevalue(f"{kind}_server")


@pytest.fixture(
    params=[pytest.param(k, marks=[pytest.mark.server, pytest.mark.slow] if k != "embedded" else []) for k in KINDS]
)
def store(request: pytest.FixtureRequest) -> Iterator[EmbeddedStore | RemoteStore]:
    """An empty store of each kind, with the same surface."""
    if request.param == "embedded":
        embedded = EmbeddedStore.in_memory()
        yield embedded
        embedded.close()
        return
    server = server_for(request, request.param)
    remote = RemoteStore.open(server.location, create=True)
    remote.server = server  # type: ignore[attr-defined]  # for the tests that stop it
    clear(remote)
    yield remote
    with contextlib.suppress(Exception):
        clear(remote)
    remote.close()


def server_answers(server: Server) -> bool:
    try:
        return httpx.get(server.probe_url(), timeout=2).status_code < 500
    except httpx.HTTPError:
        return False
