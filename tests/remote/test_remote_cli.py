"""The command line and the service on a remote store: `--store sparql+http://...` on Oxigraph
server and Virtuoso, each run as a real subprocess, with the same answers as on an embedded store."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from defport_kg.store.remote import RemoteStore
from tests.conftest import ROOT, run_cli
from tests.imports.conftest import BATCH, write
from tests.remote.conftest import clear
from tests.remote.servers import free_port

pytestmark = [pytest.mark.server, pytest.mark.slow]

RELATIONS = "SELECT (COUNT(DISTINCT ?r) AS ?n) WHERE { ?r a dp:SupplyRelation }"


@pytest.fixture(scope="module")
def embedded_answers(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """What the same commands answer on an embedded store: the reference for the remote ones."""
    store = tmp_path_factory.mktemp("cli-embedded") / "store"
    run_cli("init", "--example", store=store, check=True)
    run_cli("import", str(BATCH), store=store, check=True)
    count = json.loads(run_cli("query", RELATIONS, "--format", "json", store=store, check=True).stdout)
    spof = json.loads(run_cli("risk", "spof", "--json", store=store, check=True).stdout)
    return {"count": count, "spof": spof}


@pytest.fixture(params=["oxigraph", "virtuoso"])
def location(request: pytest.FixtureRequest) -> Iterator[str]:
    """An empty remote store (its server started once per session by tests/remote/conftest.py)."""
    server = request.getfixturevalue(f"{request.param}_server")
    with RemoteStore.open(server.location, create=True) as remote:
        clear(remote)
    yield server.location
    with RemoteStore.open(server.location, create=True) as remote:
        clear(remote)


def test_init_import_query_risk_and_check_on_a_remote_store(
    location: str, embedded_answers: dict[str, Any], tmp_path: Path
) -> None:
    init = run_cli("init", "--example", store=location)  # type: ignore[arg-type]
    assert init.returncode == 0, init.stderr
    imported = run_cli("import", str(BATCH), store=location)  # type: ignore[arg-type]
    assert imported.returncode == 0, imported.stderr
    count = run_cli("query", RELATIONS, "--format", "json", store=location)  # type: ignore[arg-type]
    assert count.returncode == 0, count.stderr
    assert json.loads(count.stdout) == embedded_answers["count"]
    assert int(json.loads(count.stdout)["results"]["bindings"][0]["n"]["value"]) > 5
    spof = run_cli("risk", "spof", "--json", store=location)  # type: ignore[arg-type]
    assert spof.returncode == 0, spof.stderr
    assert json.loads(spof.stdout) == embedded_answers["spof"]
    assert json.loads(spof.stdout)["spofs"], "the example base has single points of failure"
    assert "from the remote store in" in spof.stderr  # how long the network fetch took
    # A bad import exits 1 (validation failed) and a query that does not parse is a clear error.
    ghost = BATCH.read_text().replace("dp:supplier dpid:org\\/acme-optics", "dp:supplier dpid:org\\/nobody")
    bad = run_cli("import", str(write(tmp_path, "ghost.ttl", ghost)), store=location)  # type: ignore[arg-type]
    assert bad.returncode == 1, bad.stdout + bad.stderr
    broken = run_cli("query", "SELECT ?x WHERE { ?x", store=location)  # type: ignore[arg-type]
    assert broken.returncode != 0 and "Traceback" not in broken.stderr
    check = run_cli("check", store=location)  # type: ignore[arg-type]
    assert check.returncode == 0, check.stdout + check.stderr


def test_a_remote_store_that_is_down_is_a_clear_error() -> None:
    result = run_cli("query", "ASK {}", store="sparql+http://127.0.0.1:9/sparql?retries=0&timeout=2")  # type: ignore[arg-type]
    assert result.returncode != 0
    assert "does not answer" in result.stderr and "Traceback" not in result.stderr


def test_serve_on_a_remote_store(location: str) -> None:
    assert run_cli("init", "--example", store=location).returncode == 0  # type: ignore[arg-type]
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "defport_kg", "serve", "--store", location, "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        cwd=ROOT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        health = None
        while time.monotonic() < deadline:
            assert server.poll() is None, server.stderr.read().decode() if server.stderr else ""
            try:
                health = httpx.get(f"{base}/health", timeout=5)
                break
            except httpx.HTTPError:
                time.sleep(0.3)
        assert health is not None and health.status_code == 200, health
        # the anonymous caller may read a local copy of what it may see (access views): any kind
        assert health.json()["status"] == "ok" and health.json()["triples"] > 1000
        answer = httpx.post(
            f"{base}/sparql",
            data={"query": RELATIONS},
            headers={"Accept": "application/sparql-results+json"},
            timeout=60,
        )
        assert answer.status_code == 200, answer.text
        assert int(answer.json()["results"]["bindings"][0]["n"]["value"]) > 5
        graph = httpx.post(
            f"{base}/sparql",
            data={"query": "CONSTRUCT { ?r a dp:SupplyRelation } WHERE { ?r a dp:SupplyRelation } LIMIT 3"},
            headers={"Accept": "application/n-triples"},
            timeout=60,
        )
        assert graph.status_code == 200, graph.text
        assert graph.text.count("\n") == 3
        refused = httpx.post(f"{base}/sparql", data={"query": "SELECT ?x WHERE {"}, timeout=60)
        assert refused.status_code == 400
        spof = httpx.get(f"{base}/api/risk/spof", timeout=120)
        assert spof.status_code == 200, spof.text
        assert spof.json()["spofs"]
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=30)
