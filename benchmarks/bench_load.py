"""Bounded load test: concurrent readers on /sparql and /api/risk/spof while a steward imports batches.

Starts ``python -m defport_kg serve`` on a free 127.0.0.1 port over a fresh initialised store (with the
example industrial base), then for ``--seconds`` runs ``--readers`` threads (httpx) that alternate a
SPARQL SELECT and the SPOF analysis, and one writer thread that POSTs small Turtle batches to
/api/imports with a steward key. If /api/imports does not answer 201 to the first batch, the writer is
skipped and the report says so. Afterwards every committed batch is looked for in the store (through
/sparql). Prints throughput, p50/p99 latency, errors, imports committed vs found, and the server's RSS
before and after (from /proc/PID/status).

Not part of ``make test`` (``tests/adversarial/test_load.py`` runs a small bounded version).

    .venv/bin/python benchmarks/bench_load.py --seconds 20 --readers 16
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
SELECT = (
    "PREFIX dp: <https://w3id.org/defport/ontology#> "
    "SELECT ?o ?label WHERE { ?o a dp:Organisation ; <http://www.w3.org/2000/01/rdf-schema#label> ?label } LIMIT 200"
)
BATCH = """@prefix dp: <https://w3id.org/defport/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<https://w3id.org/defport/id/item/load-{n}> a dp:Item ; rdfs:label "Load test item {n}"@en .
"""


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    server_errors: int = 0
    statuses: dict[int, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, status: int | None, seconds: float) -> None:
        with self.lock:
            self.latencies.append(seconds)
            if status is None or status >= 400:
                self.errors += 1
            if status is None or status >= 500:
                self.server_errors += 1
            if status is not None:
                self.statuses[status] = self.statuses.get(status, 0) + 1


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def _tree_rss_kb(pid: int) -> int:
    """RSS of the server and its query worker processes."""
    total = _rss_kb(pid)
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        children = []
    for child in children:
        with contextlib.suppress(OSError):
            total += _rss_kb(int(child))
    return total


def prepare_store(directory: Path, example: bool) -> tuple[Path, str]:
    from defport_kg.auth.keys import KeyRing
    from defport_kg.bootstrap import initialise
    from defport_kg.store import EmbeddedStore

    path = directory / "store"
    store = EmbeddedStore.open(path, create=True)
    try:
        initialise(store, example=example)
        _, token = KeyRing(store).add("load-test steward", "steward")
    finally:
        store.close()
    return path, token


def start_server(store: Path, log: Path, env: dict[str, str] | None = None) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "defport_kg",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--store",
            str(store),
        ],
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
        env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})},
        cwd=ROOT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"serve exited {process.returncode}: {log.read_text(errors='replace')[-2000:]}")
        try:
            if httpx.get(url + "/health", timeout=2).status_code == 200:
                return process, url
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    stop_server(process)
    raise RuntimeError("serve did not answer /health")


def stop_server(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(10)


def reader(url: str, until: float, tally: Tally, index: int) -> None:
    with httpx.Client(base_url=url, timeout=60) as client:
        n = index
        while time.monotonic() < until:
            started = time.perf_counter()
            status: int | None
            try:
                if n % 2:
                    status = client.get("/api/risk/spof").status_code
                else:
                    status = client.post(
                        "/sparql", data={"query": SELECT}, headers={"Accept": "application/sparql-results+json"}
                    ).status_code
            except httpx.HTTPError:
                status = None
            tally.add(status, time.perf_counter() - started)
            n += 1


def writer(url: str, token: str, until: float, tally: Tally, committed: list[int], pause: float) -> None:
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "text/turtle"}
    with httpx.Client(base_url=url, timeout=120) as client:
        n = 1  # batch 0 was the probe
        while time.monotonic() < until:
            started = time.perf_counter()
            status: int | None
            try:
                status = client.post("/api/imports", content=BATCH.format(n=n).encode(), headers=headers).status_code
            except httpx.HTTPError:
                status = None
            tally.add(status, time.perf_counter() - started)
            if status == 201:
                committed.append(n)
            n += 1
            time.sleep(pause)


def found_in_store(url: str, numbers: list[int], token: str) -> int:
    """Imports found afterwards, asked as the steward: an import is marked "defport" by default,
    which an anonymous caller (clearance "public") may not see."""
    if not numbers:
        return 0
    values = " ".join(f"<https://w3id.org/defport/id/item/load-{n}>" for n in numbers)
    query = f"SELECT (COUNT(DISTINCT ?i) AS ?n) WHERE {{ VALUES ?i {{ {values} }} ?i a ?t }}"
    answer = httpx.post(
        url + "/sparql",
        data={"query": query},
        headers={"Accept": "application/sparql-results+json", "Authorization": f"Bearer {token}"},
    )
    answer.raise_for_status()
    return int(answer.json()["results"]["bindings"][0]["n"]["value"])


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def run(seconds: float = 20, readers: int = 16, example: bool = True, pause: float = 0.2) -> dict[str, Any]:
    """Run the load test; returns the figures (also used by the bounded pytest version)."""
    with tempfile.TemporaryDirectory(prefix="defport-load-") as tmp:
        directory = Path(tmp)
        store, token = prepare_store(directory, example)
        process, url = start_server(store, directory / "serve.log")
        try:
            rss_before = _tree_rss_kb(process.pid)
            probe = httpx.post(
                url + "/api/imports",
                content=BATCH.format(n=0).encode(),
                headers={"Authorization": f"Bearer {token}", "Content-Type": "text/turtle"},
                timeout=120,
            )
            committed: list[int] = [0] if probe.status_code == 201 else []
            writer_note = (
                "steward writer on /api/imports"
                if probe.status_code == 201
                else f"writer skipped: POST /api/imports answered {probe.status_code} ({probe.text[:200]!r})"
            )
            reads, writes = Tally(), Tally()
            until = time.monotonic() + seconds
            threads = [
                threading.Thread(target=reader, args=(url, until, reads, i), daemon=True) for i in range(readers)
            ]
            if probe.status_code == 201:
                threads.append(
                    threading.Thread(target=writer, args=(url, token, until, writes, committed, pause), daemon=True)
                )
            started = time.monotonic()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(seconds + 180)
            elapsed = time.monotonic() - started
            found = found_in_store(url, committed, token)
            alive = process.poll() is None and httpx.get(url + "/health", timeout=10).status_code == 200
            rss_after = _tree_rss_kb(process.pid)
        finally:
            stop_server(process)
            shutil.rmtree(directory / "store", ignore_errors=True)
    return {
        "seconds": round(elapsed, 1),
        "readers": readers,
        "writer": writer_note,
        "reads": len(reads.latencies),
        "reads_per_second": round(len(reads.latencies) / elapsed, 1),
        "read_p50_ms": round(percentile(reads.latencies, 50) * 1000, 1),
        "read_p99_ms": round(percentile(reads.latencies, 99) * 1000, 1),
        "read_errors": reads.errors,
        "read_5xx": reads.server_errors,
        "read_statuses": reads.statuses,
        "writes": len(writes.latencies),
        "write_p50_ms": round(percentile(writes.latencies, 50) * 1000, 1),
        "write_errors": writes.errors,
        "write_5xx": writes.server_errors,
        "imports_committed": len(committed),
        "imports_found": found,
        "server_alive": alive,
        "rss_before_kb": rss_before,
        "rss_after_kb": rss_after,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--readers", type=int, default=16)
    parser.add_argument("--no-example", action="store_true", help="reference data only, without the example base")
    parser.add_argument("--pause", type=float, default=0.2, help="seconds between the writer's batches")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    figures = run(args.seconds, args.readers, not args.no_example, args.pause)
    if args.json:
        print(json.dumps(figures, indent=2))
        return
    width = max(map(len, figures))
    for name, value in figures.items():
        print(f"{name:<{width}}  {value}")
    lost = figures["imports_committed"] - figures["imports_found"]
    print(f"\nlost imports: {lost}; 5xx: {figures['read_5xx'] + figures['write_5xx']}")
    if lost or figures["read_5xx"] or figures["write_5xx"] or not figures["server_alive"]:
        sys.exit(1)


if __name__ == "__main__":
    main()
