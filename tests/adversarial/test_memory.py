"""Memory: a hostile query dies alone in its worker, and the whole service runs under a memory limit.

Two levels. Each SPARQL query worker caps its own address space (``query_worker_memory_mb``,
RLIMIT_AS set as it starts): a query that doubles a literal until it fills memory ends that worker
alone; the client gets a problem+json "query worker died (out of memory?)", a fresh worker replaces
the dead one, the other worker is untouched and the next query is answered. Then the whole
``defport-kg serve`` process tree is started under ``prlimit --as`` (the shell-level ``ulimit -v``
every process inherits) and sent a huge literal, a million-row result and a deep JSON-LD document:
each is answered with an error (or a cut result) and the service keeps running.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from defport_kg.api.app import create_app
from defport_kg.api.routes.sparql import close_engine, engine_for
from defport_kg.settings import Settings
from defport_kg.sparql.workers import MEMORY_ENV, Worker
from defport_kg.store import EmbeddedStore
from tests.adversarial.conftest import assert_alive, assert_problem, serve, snapshot, stop
from tests.adversarial.test_served import prepared_store

WORKER_MB = 1024  # an idle worker takes ~550 MB of address space; a 1 GB cap leaves a query ~450 MB
SERVICE_LIMIT = 3 * 1024**3  # for every process of `serve` (as test_served: enough to start and answer)
JSON = {"Accept": "application/sparql-results+json"}
ASK = "ASK { ?s ?p ?o }"


def doubling_literal(times: int = 24) -> str:
    """A 1 KB literal doubled ``times`` times (16 GB at 24): fast, and no result cap can stop it."""
    binds = " ".join(f"BIND(CONCAT(?s{i}, ?s{i}) AS ?s{i + 1})" for i in range(times))
    return f'SELECT (STRLEN(?s{times}) AS ?n) WHERE {{ BIND("{"x" * 1024}" AS ?s0) {binds} }}'


def address_space_limit(pid: int) -> int | None:
    """The soft RLIMIT_AS of a running process, from /proc (None: unlimited)."""
    for line in Path(f"/proc/{pid}/limits").read_text().splitlines():
        if line.startswith("Max address space"):
            soft = line.split()[3]
            return None if soft == "unlimited" else int(soft)
    raise AssertionError(f"no address-space line in /proc/{pid}/limits")


def descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (its query workers)."""
    found: list[int] = []
    try:
        tasks = list(Path(f"/proc/{pid}/task").iterdir())
    except FileNotFoundError:  # the process ended meanwhile
        return found
    for task in tasks:
        try:
            children = (task / "children").read_text().split()
        except FileNotFoundError:  # a thread that ended between listing and reading
            continue
        for child in map(int, children):
            found += [child, *descendants(child)]
    return found


def wait_for(condition: Any, timeout: float = 60) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


@pytest.fixture(scope="module")
def limited(disk_store: EmbeddedStore) -> Iterator[tuple[TestClient, Any]]:
    """The real app with two query workers capped at ``WORKER_MB`` each."""
    settings = Settings(query_timeout_seconds=20, query_workers=2, query_worker_memory_mb=WORKER_MB)
    application = create_app(disk_store, settings)
    try:
        with TestClient(application) as client:
            engine = engine_for(application)
            assert engine.wait_ready(120)
            yield client, engine
    finally:
        close_engine(application)


def test_each_worker_runs_under_the_memory_limit(limited: tuple[TestClient, Any]) -> None:
    _, engine = limited
    pids = engine.worker_pids()
    assert len(pids) == 2
    for pid in pids:
        assert address_space_limit(pid) == WORKER_MB * 1024 * 1024
        assert Path(f"/proc/{pid}/oom_score_adj").read_text().strip() == "1000"  # the OOM killer's first pick


def test_out_of_memory_query_kills_its_worker_alone(limited: tuple[TestClient, Any], disk_store: EmbeddedStore) -> None:
    client, engine = limited
    before = snapshot(disk_store)
    pids = set(engine.worker_pids())
    started = time.monotonic()
    response = client.post("/sparql", data={"query": doubling_literal()}, headers=JSON)
    assert time.monotonic() - started < 15  # an allocation failure, not a timeout
    body = assert_problem(response, 500)
    assert body["title"] == "Query worker died" and "out of memory?" in body["detail"], body
    # The dead worker is replaced; the other one never noticed.
    assert wait_for(lambda: len(engine.worker_pids()) == 2 and set(engine.worker_pids()) != pids)
    now = set(engine.worker_pids())
    assert len(now & pids) == 1, (pids, now)
    for _ in range(4):  # whichever worker takes them, the next queries are answered
        answer = client.get("/sparql", params={"query": ASK}, headers=JSON)
        assert answer.status_code == 200 and answer.json()["boolean"] is True, answer.text
    assert snapshot(disk_store) == before
    assert_alive(client)


def test_sort_of_a_huge_cross_product_is_stopped(limited: tuple[TestClient, Any]) -> None:
    """ORDER BY must hold every row before the first is answered: memory, or the timeout, stops it."""
    client, _ = limited
    values = " ".join(f'"{i:0>200}"' for i in range(300))  # 300³ rows of three 200-byte strings
    blocks = " ".join(f"VALUES ?{v} {{ {values} }}" for v in "abc")
    query = f"SELECT * WHERE {{ {blocks} }} ORDER BY ?c ?b ?a"
    started = time.monotonic()
    response = client.post("/sparql", data={"query": query}, headers=JSON)
    body = assert_problem(response, 500)  # 27 M rows of 600 bytes: the cap is reached long before the timeout
    assert body["title"] == "Query worker died", body
    assert time.monotonic() - started < 15
    answer = client.get("/sparql", params={"query": ASK}, headers=JSON)
    assert answer.status_code == 200, answer.text


def test_worker_memory_limit_setting_is_validated() -> None:
    with pytest.raises(ValueError, match="no limit"):
        Worker(1, memory_mb=-1)
    with pytest.raises(ValueError):
        Settings(query_worker_memory_mb=-5)
    assert Settings().query_worker_memory_mb > 0  # bounded by default


def test_a_worker_without_a_limit_has_none(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(MEMORY_ENV, "0")
    worker = Worker(1)
    try:
        assert worker.wait_ready(60)
        assert worker.memory_mb == 0
        assert address_space_limit(worker.pid) is None
    finally:
        worker.stop()


# -- the whole service under a limit -------------------------------------------------------------


@pytest.fixture(scope="module")
def limited_service(_reference_store_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, str]]:
    """``prlimit --as=3G -- python -m defport_kg serve``: every process of the tree inherits the cap."""
    if shutil.which("prlimit") is None:
        pytest.skip("prlimit(1) (util-linux) is not installed")
    directory = tmp_path_factory.mktemp("limited-service")
    store_dir, token = prepared_store(_reference_store_dir, directory / "store")
    server = serve(
        store_dir,
        directory / "serve.log",
        env={
            "DEFPORT_KG_QUERY_TIMEOUT_SECONDS": "10",
            "DEFPORT_KG_QUERY_WORKERS": "2",
            MEMORY_ENV: str(WORKER_MB),
        },
        wrapper=["prlimit", f"--as={SERVICE_LIMIT}", "--"],
    )
    yield server, token
    stop(server)


@pytest.mark.slow
@pytest.mark.server
def test_service_under_a_memory_limit_survives_hostile_input(limited_service: tuple[Any, str]) -> None:
    server, token = limited_service
    steward = {"Authorization": f"Bearer {token}"}
    assert address_space_limit(server.pid) == SERVICE_LIMIT
    assert httpx.post(server.url + "/sparql", data={"query": ASK}, timeout=60).status_code == 200
    # A worker still starting (under load, the second may be) has not set its own cap yet: wait for it.
    deadline = time.monotonic() + 60
    while True:
        workers = descendants(server.pid)
        capped = bool(workers) and all(address_space_limit(pid) == WORKER_MB * 1024 * 1024 for pid in workers)
        if capped or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert workers and all(address_space_limit(pid) == WORKER_MB * 1024 * 1024 for pid in workers)
    hostile: list[tuple[str, dict[str, Any], set[int]]] = [
        # The worker dies of its memory cap (500); on a loaded machine it may reach the deadline first (503).
        ("huge literal in a query", {"data": {"query": doubling_literal()}, "headers": JSON}, {500, 503}),
        (
            "million-row result",
            {
                "data": {
                    "query": "SELECT * WHERE { "
                    + " ".join(f"VALUES ?{v} {{ {' '.join(str(i) for i in range(100))} }}" for v in "abc")
                    + " }"
                },
                "headers": JSON,
            },
            {200, 503},
        ),
    ]
    for name, kwargs, statuses in hostile:
        response = httpx.post(server.url + "/sparql", timeout=120, **kwargs)
        assert response.status_code in statuses, (name, response.status_code, response.text[:300])
        if response.status_code == 200:
            assert response.headers["x-defport-truncated"] == "true"  # cut at the result cap, and says so
        else:
            assert response.headers["content-type"].startswith("application/problem+json"), name
    imports = [
        ("huge literal", "application/n-triples", b'<urn:x:a> <urn:x:p> "' + b"x" * 20_000_000 + b'" .', 413),
        ("deep JSON-LD", "application/ld+json", b'{"urn:x:p": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", 400),
    ]
    for name, media, body, status in imports:
        response = httpx.post(
            server.url + "/api/imports", content=body, headers={**steward, "Content-Type": media}, timeout=120
        )
        assert response.status_code == status, (name, response.status_code, response.text[:300])
        assert response.headers["content-type"].startswith("application/problem+json"), name
    assert server.process.poll() is None
    assert httpx.get(server.url + "/health", timeout=10).status_code == 200
    answer = httpx.post(server.url + "/sparql", data={"query": ASK}, headers=JSON, timeout=60)
    assert answer.status_code == 200 and answer.json()["boolean"] is True
    assert server.rss_kb() * 1024 < SERVICE_LIMIT
