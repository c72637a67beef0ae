"""Where a cheap /sparql request's CPU goes: the ASGI stack, the worker round trip, the query itself.

    .venv/bin/python benchmarks/bench_sparql_stack.py            # the example data (~15k triples)
    .venv/bin/python benchmarks/bench_sparql_stack.py --requests 10000

A diagnostic beside ``bench_sparql.py`` (which compares whole servers over HTTP): no sockets to the
client here, so the figures are the server's own. It prints, per cheap query (LIMIT 10):

- the app's ASGI call for a request answered from the result cache (admission, view, read audit,
  metrics, security headers, response) and for one that goes to a query worker;
- a worker round trip from a plain thread, with the worker process's own CPU per query;
- ``execute`` in-process on the same snapshot (the baseline every other figure is a ratio to);
- the pre-execution check of a new query text: rdflib's full parse against ``screen``'s quick
  reading.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

CHEAP = "SELECT * WHERE { ?s ?p ?o } LIMIT 10"
ACCEPT = b"application/sparql-results+json"


def process_cpu(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def asgi_cost(store_dir: Path, requests: int) -> list[tuple[float, float]]:
    """(wall, server-process CPU) per request of the app's ASGI call for the cheap query: answered
    from the result cache, then with the cache off (every request to a worker)."""
    import uvloop

    from defport_kg.api.app import create_app
    from defport_kg.api.routes.sparql import close_engine
    from defport_kg.settings import Settings
    from defport_kg.store import open_store

    store = open_store(store_dir)
    app = create_app(store, Settings(query_cache_mb=64))
    query_string = ("query=" + urllib.parse.quote(CHEAP)).encode()
    statuses: list[int] = []

    def scope() -> dict:
        return {
            "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET",
            "scheme": "http", "path": "/sparql", "raw_path": b"/sparql", "query_string": query_string,
            "root_path": "", "headers": [(b"host", b"127.0.0.1"), (b"accept", ACCEPT)],
            "client": ("127.0.0.1", 5000), "server": ("127.0.0.1", 8000), "state": {},
        }  # fmt: skip

    async def receive() -> dict:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict) -> None:
        if message["type"] == "http.response.start":
            statuses.append(message["status"])

    async def measure() -> tuple[float, float]:
        for _ in range(300):  # workers up, caches warm
            await app(scope(), receive, send)
        if statuses[-1] != 200:
            raise RuntimeError(f"/sparql answered {statuses[-1]}")
        tick, cpu = time.perf_counter(), time.process_time()
        for _ in range(requests):
            await app(scope(), receive, send)
        return (time.perf_counter() - tick) / requests, (time.process_time() - cpu) / requests

    async def run() -> list[tuple[float, float]]:
        cached = await measure()
        app.state.settings = Settings(query_cache_mb=0)  # read per request by the route
        return [cached, await measure()]

    try:
        return uvloop.run(run())
    finally:
        close_engine(app)
        store.close()


def worker_cost(snapshot: Path, requests: int) -> tuple[float, float, float]:
    """(round trip, caller CPU, worker CPU) per cheap query sent to one worker from a thread."""
    from defport_kg.sparql.execution import QueryRequest
    from defport_kg.sparql.workers import Worker

    request = QueryRequest(text=CHEAP, accept=ACCEPT.decode())
    worker = Worker(1, memory_mb=0)
    try:
        if not worker.wait_ready(60):
            raise RuntimeError("the worker did not start")
        worker.call(("open", str(snapshot)), 60)
        for _ in range(300):
            worker.call(("query", str(snapshot), request), 10)
        tick, cpu, theirs = time.perf_counter(), time.process_time(), process_cpu(worker.pid)
        for _ in range(requests):
            worker.call(("query", str(snapshot), request), 10)
        return (
            (time.perf_counter() - tick) / requests,
            (time.process_time() - cpu) / requests,
            (process_cpu(worker.pid) - theirs) / requests,
        )
    finally:
        worker.stop()


def in_process_cost(snapshot: Path, requests: int) -> float:
    import pyoxigraph as ox

    from defport_kg.sparql.execution import QueryRequest, execute, permitted_graphs

    raw = ox.Store.read_only(str(snapshot))
    permitted = permitted_graphs(raw)
    request = QueryRequest(text=CHEAP, accept=ACCEPT.decode())
    for _ in range(300):
        execute(raw, request, permitted=permitted)
    tick = time.perf_counter()
    for _ in range(requests):
        outcome = execute(raw, request, permitted=permitted)
    if outcome.status != 200:
        raise RuntimeError(outcome.detail)
    return (time.perf_counter() - tick) / requests


def check_cost(texts: int) -> tuple[float, float]:
    """(rdflib's parse, screen) per new query text."""
    from defport_kg.sparql import safety

    safety.analyse("ASK {}")
    timings = []
    for read, name in ((safety.analyse, "full"), (safety.screen, "quick")):
        batch = [f"SELECT ?s{name}{i} ?p ?o WHERE {{ ?s{name}{i} ?p ?o }} LIMIT 10" for i in range(texts)]
        tick = time.perf_counter()
        for text in batch:
            read(text)
        timings.append((time.perf_counter() - tick) / texts)
    return timings[0], timings[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=5000, help="requests per figure")
    args = parser.parse_args()

    from defport_kg.store import open_store

    workdir = Path(tempfile.mkdtemp(prefix="bench-sparql-stack-"))
    try:
        store_dir, snapshot = workdir / "store", workdir / "snapshot"
        command = [str(Path(sys.executable).parent / "defport-kg"), "init", "--example", "--store", str(store_dir)]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

        handle = open_store(store_dir)
        triples = len(handle.raw)
        handle.raw.backup(str(snapshot))
        handle.close()

        us = 1e6
        inside = in_process_cost(snapshot, args.requests)
        round_trip, caller, worker = worker_cost(snapshot, args.requests)
        (cached_wall, cached_cpu), (uncached_wall, uncached_cpu) = asgi_cost(store_dir, args.requests)
        full, quick = check_cost(600)
        print(f"cheap query on {triples:,} quads, {args.requests:,} requests per figure (µs per request):")
        rows = [
            ("execute in-process (the baseline)", inside, None),
            (
                "worker round trip from a thread",
                round_trip,
                f"caller CPU {caller * us:.0f}, worker CPU {worker * us:.0f}",
            ),
            ("ASGI call, answered from the result cache", cached_wall, f"server CPU {cached_cpu * us:.0f}"),
            ("ASGI call, run in a worker", uncached_wall, f"server-process CPU {uncached_cpu * us:.0f}"),
        ]
        for label, value, extra in rows:
            print(
                f"  {label:<44} {value * us:8.0f}  {value / inside:5.2f}x baseline" + (f"  ({extra})" if extra else "")
            )
        print(f"  {'check of a new query text: rdflib parse':<44} {full * us:8.0f}")
        print(f"  {'check of a new query text: screen':<44} {quick * us:8.0f}  ({full / quick:.0f}x faster)")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
