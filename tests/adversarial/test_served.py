"""The real service (``python -m defport_kg serve``) in a subprocess: memory bound, logs, raw HTTP abuse."""

from __future__ import annotations

import resource
import shutil
import socket
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from argon2 import PasswordHasher

from defport_kg.auth import hashing
from defport_kg.auth.keys import KeyRing
from defport_kg.store import EmbeddedStore
from tests.adversarial.conftest import Served, serve, stop

# pyoxigraph/RocksDB and the query worker processes reserve virtual memory up front; 3 GB of address
# space per process is enough to start and answer (checked), far below what a million-row answer
# held in memory at once would need with a few copies.
MEMORY_LIMIT = 3 * 1024**3


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def prepared_store(source: Path, target: Path) -> tuple[Path, str]:
    """A copy of an initialised store with one steward key (made before the server holds the store)."""
    shutil.copytree(source, target)
    store = EmbeddedStore.open(target)
    saved, hashing._hasher = hashing._hasher, PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    try:
        _, token = KeyRing(store).add("served steward", "steward")
    finally:
        hashing._hasher = saved
        store.close()
    return target, token


@pytest.fixture(scope="module")
def served(_reference_store_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Served, str]]:
    directory = tmp_path_factory.mktemp("served")
    store_dir, token = prepared_store(_reference_store_dir, directory / "store")
    server = serve(
        store_dir,
        directory / "serve.log",
        env={"DEFPORT_KG_QUERY_TIMEOUT_SECONDS": "5", "DEFPORT_KG_QUERY_WORKERS": "2"},
        preexec_fn=_limit_memory,
    )
    yield server, token
    stop(server)


@pytest.mark.slow
@pytest.mark.server
def test_million_row_result_under_a_memory_limit(served: tuple[Served, str]) -> None:
    server, _ = served
    limits = Path(f"/proc/{server.pid}/limits").read_text()
    assert any(line.startswith("Max address space") and str(MEMORY_LIMIT) in line for line in limits.splitlines())
    values = " ".join(str(i) for i in range(100))
    query = f"SELECT * WHERE {{ VALUES ?a {{ {values} }} VALUES ?b {{ {values} }} VALUES ?c {{ {values} }} }}"
    for accept in ("application/sparql-results+json", "text/csv", "application/sparql-results+xml"):
        response = httpx.post(server.url + "/sparql", data={"query": query}, headers={"Accept": accept}, timeout=60)
        assert response.status_code in (200, 503), (response.status_code, response.text[:300])
        if response.status_code == 200:
            assert response.headers["x-defport-truncated"] == "true"  # cut at the result cap, said so
            if accept == "text/csv":
                assert response.text.count("\n") - 1 == int(response.headers["x-defport-result-limit"])
    assert server.process.poll() is None
    assert httpx.get(server.url + "/health", timeout=10).status_code == 200
    assert server.rss_kb() < MEMORY_LIMIT // 1024


@pytest.mark.slow
@pytest.mark.server
def test_no_key_or_bearer_token_in_the_logs(served: tuple[Served, str]) -> None:
    server, token = served
    headers = {"Authorization": f"Bearer {token}"}
    httpx.get(server.url + "/api/risk/spof", headers=headers, timeout=30)
    httpx.post(server.url + "/api/keys", json={"name": "x", "role": "admin"}, headers=headers, timeout=30)
    httpx.get(server.url + "/api/keys", headers={"Authorization": f"Bearer {token}x"}, timeout=30)
    httpx.post(
        server.url + "/api/imports",
        content=b"<urn:x:a> <urn:x:b> <urn:x:c> .",
        headers={**headers, "Content-Type": "text/turtle"},
        timeout=60,
    )
    log = server.log_text()
    assert "GET /api/risk/spof" in log  # the access log is captured
    secret = token.rsplit("_", 1)[-1]
    assert token not in log and secret not in log
    assert "Bearer" not in log


@pytest.mark.slow
@pytest.mark.server
def test_oversized_request_line_and_headers_on_the_wire(served: tuple[Served, str]) -> None:
    server, _ = served
    port = int(server.url.rsplit(":", 1)[1])
    for request in (
        b"GET /sparql?query=" + b"A" * 2_000_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n",
        b"GET /health HTTP/1.1\r\nHost: x\r\n" + b"X-Junk: " + b"a" * 2_000_000 + b"\r\n\r\n",
        b"GET /health HTTP/1.1\r\nHost: x\r\n" + b"".join(b"X-%d: a\r\n" % i for i in range(100_000)) + b"\r\n",
        b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
        b"Content-Length: 999999999999\r\n\r\nASK {}",
    ):
        with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
            try:
                sock.sendall(request)
                sock.shutdown(socket.SHUT_WR)
                answer = sock.recv(200)
            except OSError:  # the server closed the connection on the oversized request: fine
                answer = b""
        assert not answer.startswith(b"HTTP/1.1 5"), answer
    assert server.process.poll() is None
    assert httpx.get(server.url + "/health", timeout=10).status_code == 200
