"""Benchmark of /sparql against `oxigraph serve` and rdflib-endpoint (issue 7's speed targets).

    .venv/bin/python benchmarks/bench_sparql.py                     # 1M triples, all three servers
    .venv/bin/python benchmarks/bench_sparql.py --orgs 5000 --duration 3 --skip-rdflib   # a quick run
    .venv/bin/python benchmarks/bench_sparql.py --write benchmarks/RESULTS-sparql.md

The data is the deterministic synthetic base (``defport_kg.synthetic``, seed 1; 88,000
organisations give about 1.0M triples). Each server gets the same N-Triples: defport-kg through
its store (``defport-kg serve``, the real command, worker processes reading a snapshot),
``oxigraph serve-read-only`` (pip package ``oxigraph``) on its own database, and rdflib-endpoint
(pip package ``rdflib-endpoint``, rdflib's in-memory store). defport-kg and oxigraph run at the
same time and take turns: each scenario is measured in short slices (``--slices``), the servers in
a rotating order, so that their ratios compare the same machine (a shared VM's speed drifts by tens
of percent over minutes). rdflib-endpoint, far slower, runs alone afterwards.

The load generator runs on the same two cores: one process per client (so clients do not share
a GIL), each with a kept-alive HTTP connection, for a fixed time per scenario. It reports
requests/s and median/p99 latency for a cheap query (LIMIT 10) and a join-heavy query (a
five-pattern join with DISTINCT counts per system) at 1 and 8 clients. Then the single-client
latency of the join-heavy query is compared with pyoxigraph queried in-process on the same data,
both on a RocksDB checkpoint and on an in-memory copy made as the workers make theirs.

defport-kg's workers answer from an in-memory copy of the live data (``sparql/live_copy.py``) once
it is built: before measuring, every worker is asked a query and ``/metrics`` is read until no copy
is building. ``--copy 0`` measures the servers answering from the RocksDB snapshots only.

Targets (issue 7): cheap-query throughput >= 0.5x `oxigraph serve` and >= 10x rdflib-endpoint;
join-heavy single-client latency <= 1.5x pyoxigraph in-process.

defport-kg runs twice: with its result cache off, so that every request runs its query (all
scenarios, and the in-process comparison), and with the cache on as shipped (the cheap and join
queries, which the load generator repeats, so this measures the service around the cache; and
"varied", the cheap query with a new text on every request, which no cache can answer, side by side
with oxigraph).
"""

from __future__ import annotations

import argparse
import concurrent.futures
import http.client
import json
import multiprocessing
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

GRAPH = "https://w3id.org/defport/id/import/synthetic-benchmark"
BIN = Path(sys.executable).parent

CHEAP = "SELECT * WHERE { ?s ?p ?o } LIMIT 10"
JOIN = """PREFIX dp: <https://w3id.org/defport/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?system ?label (COUNT(DISTINCT ?org) AS ?suppliers) (COUNT(DISTINCT ?country) AS ?countries) WHERE {
  ?system a dp:System ; rdfs:label ?label ; dp:hasComponent ?c1 .
  ?c1 dp:hasComponent ?c2 .
  ?r dp:item ?c2 ; dp:supplier ?org .
  ?org dp:country ?country .
} GROUP BY ?system ?label ORDER BY DESC(?suppliers) LIMIT 20"""
# The cheap query with a new text on every request (the marker becomes a number per request): what
# a tool generating queries sends. No result cache or parsed-query cache can answer it from memory.
MARKER = "__N__"
VARIED = f"SELECT ?s{MARKER} ?p ?o WHERE {{ ?s{MARKER} ?p ?o }} LIMIT 10"
QUERIES = {"cheap": CHEAP, "varied": VARIED, "join": JOIN}
ACCEPT = "application/sparql-results+json"
CACHED = "defport-kg, cache"


# -- the load generator ---------------------------------------------------------------------------


def _client(
    host: str, port: int, path: str, start_at: float, stop_at: float, timeout: float
) -> tuple[list[float], int]:
    """One client: requests one after another on a kept-alive connection until ``stop_at``."""
    latencies: list[float] = []
    errors = 0
    connection = http.client.HTTPConnection(host, port, timeout=timeout)
    while time.time() < start_at:
        time.sleep(0.001)
    sent = 0
    while (not latencies and not errors) or time.time() < stop_at:  # at least one request
        sent += 1
        target = path.replace(MARKER, f"{os.getpid()}x{sent}") if MARKER in path else path
        tick = time.perf_counter()
        try:
            connection.request("GET", target, headers={"Accept": ACCEPT})
            response = connection.getresponse()
            response.read()
            ok = response.status == 200
        except (OSError, http.client.HTTPException):
            ok = False
            connection.close()
            connection = http.client.HTTPConnection(host, port, timeout=timeout)
        elapsed = time.perf_counter() - tick
        if ok:
            latencies.append(elapsed)
        else:
            errors += 1
    connection.close()
    return latencies, errors


@dataclass
class Figures:
    server: str
    query: str
    clients: int
    wall: float
    latencies: list[float] = field(default_factory=list)
    errors: int = 0

    @property
    def rps(self) -> float:
        return len(self.latencies) / self.wall if self.wall else 0.0

    @property
    def median_ms(self) -> float:
        return statistics.median(self.latencies) * 1000 if self.latencies else float("nan")

    @property
    def p99_ms(self) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))] * 1000


def load(server: str, url: str | list[str], query: str, clients: int, duration: float, timeout: float) -> Figures:
    """``clients`` clients for ``duration`` seconds; given several URLs (servers), client i asks URL i
    modulo their number."""
    urls = [url] if isinstance(url, str) else url
    start_at = time.time() + 1.0
    stop_at = start_at + duration
    context = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(clients, mp_context=context) as pool:
        futures = []
        for number in range(clients):
            parsed = urllib.parse.urlsplit(urls[number % len(urls)])
            path = parsed.path + "?" + urllib.parse.urlencode({"query": query})
            futures.append(pool.submit(_client, parsed.hostname, parsed.port, path, start_at, stop_at, timeout))
        results = [f.result() for f in futures]
        finished = time.time()
    figures = Figures(server, query_name(query), clients, max(finished, stop_at) - start_at)
    for latencies, errors in results:
        figures.latencies += latencies
        figures.errors += errors
    return figures


def example_store(store: Path, oxigraph_db: Path) -> int:
    """``defport-kg init --example`` into ``store``, and a copy of it that ``oxigraph serve`` can
    open at ``oxigraph_db``; the store's quad count."""
    from defport_kg.store import open_store

    init = [str(BIN / "defport-kg"), "init", "--example", "--store", str(store)]
    subprocess.run(init, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    handle = open_store(store)
    try:
        handle.raw.backup(str(oxigraph_db))
        return len(handle.raw)
    finally:
        handle.close()


def warm(setups: dict[str, str | list[str]]) -> None:
    """A second of light load on each setup: workers up, connections open, caches filled."""
    for name, urls in setups.items():
        load(name, urls, CHEAP, 2, 1.0, 30)


def take_turns(
    setups: dict[str, str | list[str]], query: str, clients: int, rounds: int, seconds: float
) -> tuple[dict[str, list[float]], int]:
    """``rounds`` slices of ``seconds`` per setup, the setups taking turns (this VM's speed drifts
    over minutes): req/s per slice, and the errors of all of them."""
    rates: dict[str, list[float]] = {name: [] for name in setups}
    errors = 0
    for _ in range(rounds):
        for name, urls in setups.items():
            figures = load(name, urls, query, clients, seconds, 30)
            rates[name].append(figures.rps)
            errors += figures.errors
    return rates, errors


def print_turns(rates: dict[str, list[float]], baseline: str, label: str) -> None:
    """Each setup's mean req/s, its ratio to the ``baseline`` setup (called ``label``) and its slices."""
    reference = statistics.mean(rates[baseline])
    width = max(map(len, rates))
    for name, values in rates.items():
        mean = statistics.mean(values)
        slices = ", ".join(f"{value:,.0f}" for value in values)
        print(f"  {name:<{width}} {mean:8,.0f} req/s  {mean / reference:5.2f}x {label}  ({slices})")


def query_name(query: str) -> str:
    return next(name for name, text in QUERIES.items() if text == query)


# -- the servers ----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_answering(url: str, process: subprocess.Popen, limit: float) -> None:
    deadline = time.monotonic() + limit
    probe = url + "?" + urllib.parse.urlencode({"query": "ASK { ?s ?p ?o }"})
    parsed = urllib.parse.urlsplit(probe)
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with status {process.returncode}")
        try:
            connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=30)
            connection.request("GET", parsed.path + "?" + parsed.query, headers={"Accept": ACCEPT})
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{url} did not answer within {limit} s")


# About a quarter second whatever the data: four sent at once reach every worker of a server.
_VALUES = " ".join(map(str, range(150)))
EVERY_WORKER = (
    f"SELECT (COUNT(*) AS ?n) WHERE {{ VALUES ?a {{ {_VALUES} }} VALUES ?b {{ {_VALUES} }} VALUES ?c {{ {_VALUES} }} }}"
)


def wait_for_memory_copies(url: str, limit: float) -> str:
    """Every worker of a defport-kg server asked a query (a worker copies the database it reads into
    memory at its first query), then until none is building its copy (the service answers from the
    database meanwhile: measuring then would mix both); the final states."""
    parsed = urllib.parse.urlsplit(url)

    def ask() -> None:
        connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=limit)
        connection.request("GET", parsed.path + "?" + urllib.parse.urlencode({"query": EVERY_WORKER}))
        connection.getresponse().read()
        connection.close()

    asked = [threading.Thread(target=ask, daemon=True) for _ in range(4)]
    for thread in asked:
        thread.start()
    for thread in asked:
        thread.join(limit)
    deadline = time.monotonic() + limit
    states: dict[str, int] = {}
    while time.monotonic() < deadline:
        connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=60)
        connection.request("GET", "/metrics")
        text = connection.getresponse().read().decode()
        connection.close()
        states = {
            line.split('state="')[1].split('"')[0]: int(line.rsplit(" ", 1)[1])
            for line in text.splitlines()
            if line.startswith("defport_kg_sparql_memory_copies{")
        }
        if states and not states.get("building"):
            break
        time.sleep(1.0)
    return ", ".join(f"{n} {state}" for state, n in states.items() if n) or "no engine"


def check_answers(url: str) -> None:
    """The cheap query must return rows: a server that answers from an empty dataset (e.g. a view
    that cannot see the data) would be measured answering nothing."""
    parsed = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=60)
    connection.request("GET", parsed.path + "?" + urllib.parse.urlencode({"query": CHEAP}), headers={"Accept": ACCEPT})
    rows = json.loads(connection.getresponse().read())["results"]["bindings"]
    connection.close()
    if len(rows) != 10:
        raise RuntimeError(f"{url} answered the cheap query with {len(rows)} rows, not 10")


def stop(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGINT)
    try:
        process.wait(30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def start_defport(
    store: Path, port: int, *, cache_mb: int, copy_triples: int | None, workers: int | None = None
) -> tuple[subprocess.Popen, str]:
    """``copy_triples``: the workers' in-memory copy setting; ``workers``: how many query workers
    (None: as shipped)."""
    env = {**os.environ, "DEFPORT_KG_QUERY_CACHE_MB": str(cache_mb)}
    if copy_triples is not None:
        env["DEFPORT_KG_QUERY_MEMORY_COPY_TRIPLES"] = str(copy_triples)
    if workers is not None:
        env["DEFPORT_KG_QUERY_WORKERS"] = str(workers)
    process = subprocess.Popen(
        [str(BIN / "defport-kg"), "serve", "--store", str(store), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    return process, f"http://127.0.0.1:{port}/sparql"


def start_oxigraph(database: Path, port: int) -> tuple[subprocess.Popen, str]:
    process = subprocess.Popen(
        [str(BIN / "oxigraph"), "serve-read-only", "--location", str(database), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return process, f"http://127.0.0.1:{port}/query"


def start_rdflib_endpoint(data: Path, port: int) -> tuple[subprocess.Popen, str]:
    process = subprocess.Popen(
        [str(BIN / "rdflib-endpoint"), "serve", str(data), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return process, f"http://127.0.0.1:{port}/"  # its query endpoint is the root


# -- the run --------------------------------------------------------------------------------------


def prepare(workdir: Path, orgs: int, seed: int) -> tuple[Path, Path, Path, int]:
    """The N-Triples file, our store and oxigraph's database (built once, reused by later runs)."""
    from defport_kg.access import Marking, marking_quads
    from defport_kg.store import EmbeddedStore
    from defport_kg.synthetic import generate

    data = workdir / f"synthetic-{orgs}-{seed}.nt"
    if not data.exists():
        tick = time.perf_counter()
        data.write_text("".join(generate(orgs, seed)), encoding="utf-8")
        print(f"  generated {data.name} in {time.perf_counter() - tick:.1f} s", flush=True)
    triples = sum(1 for _ in data.open("rb"))
    # "-public": stores made before the import was marked public answered anonymous queries from an
    # empty view (confidentiality, issue 13); they are not reused.
    store = workdir / f"defport-store-{orgs}-{seed}-public"
    if not store.exists():
        tick = time.perf_counter()
        handle = EmbeddedStore.open(store, create=True, command="bench_sparql")
        try:
            # Public: the load generator is anonymous, whose clearance (public) must see the data.
            public = marking_quads(GRAPH, Marking("public"))
            handle.commit_bulk(GRAPH, data.read_bytes(), role="import", exclusive=True, extra_quads=public)
        finally:
            handle.close()
        print(f"  loaded the defport-kg store in {time.perf_counter() - tick:.1f} s", flush=True)
    if not baseline_copy(store).exists():  # for the in-process baseline while the server holds the store
        handle = EmbeddedStore.open(store, command="bench_sparql")
        try:
            handle.raw.backup(str(baseline_copy(store)))
        finally:
            handle.close()
    if not cached_copy(store).exists():  # the second defport-kg server (cache on) runs beside the first
        shutil.copytree(store, cached_copy(store))  # closed here: a plain copy is a consistent store
    oxigraph_db = workdir / f"oxigraph-{orgs}-{seed}"
    if not oxigraph_db.exists():
        tick = time.perf_counter()
        subprocess.run(
            [str(BIN / "oxigraph"), "load", "--location", str(oxigraph_db), "--file", str(data)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        print(f"  loaded the oxigraph database in {time.perf_counter() - tick:.1f} s", flush=True)
    return data, store, oxigraph_db, triples


def baseline_copy(store_dir: Path) -> Path:
    return store_dir.parent / (store_dir.name + "-baseline")


def cached_copy(store_dir: Path) -> Path:
    return store_dir.parent / (store_dir.name + "-cached")


def interleaved(store_dir: Path, url: str, query: str, rounds: int) -> dict[str, list[float]]:
    """Single-client latency of ``query``: pyoxigraph in-process (on disk, and on an in-memory copy)
    vs over HTTP, alternating.

    Alternating keeps all under the same machine load (this machine is shared). The in-process side
    reads a checkpoint of the same store (the server holds the store's lock), with the live graph as
    default graph, and writes SPARQL JSON as the server does; and an in-memory copy of its live data
    made as the server's workers make theirs (``live_copy``), the baseline of a server that answers
    from such a copy.
    """
    import pyoxigraph as ox

    from defport_kg.namespaces import LIVE_GRAPH
    from defport_kg.sparql.live_copy import memory_copy
    from defport_kg.store.terms import graph_term

    local = ox.Store.read_only(str(baseline_copy(store_dir)))
    tick = time.perf_counter()
    memory = memory_copy(local)
    print(f"  in-memory copy for the in-process baseline made in {time.perf_counter() - tick:.1f} s", flush=True)
    parsed = urllib.parse.urlsplit(url)
    path = parsed.path + "?" + urllib.parse.urlencode({"query": query})
    connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=600)
    times: dict[str, list[float]] = {"disk": [], "memory": [], "http": []}
    default = [graph_term(LIVE_GRAPH)]
    for round_ in range(rounds + 2):
        tick = time.perf_counter()
        local.query(query, default_graph=default).serialize(format=ox.QueryResultsFormat.JSON)
        on_disk = time.perf_counter()
        memory.query(query).serialize(format=ox.QueryResultsFormat.JSON)
        in_memory = time.perf_counter()
        connection.request("GET", path, headers={"Accept": ACCEPT})
        response = connection.getresponse()
        response.read()
        end = time.perf_counter()
        if round_ >= 2:  # the first rounds warm the caches on all sides
            times["disk"].append(on_disk - tick)
            times["memory"].append(in_memory - on_disk)
            times["http"].append(end - in_memory)
    connection.close()
    return times


def run_side_by_side(
    servers: list[tuple[str, tuple[subprocess.Popen, str], tuple[str, ...]]],
    args: argparse.Namespace,
    baseline: Path | None = None,
    *,
    slices: int,
    startup: float = 120.0,
) -> tuple[list[Figures], dict[str, list[float]] | None]:
    """Every scenario in ``slices`` short slices, the servers taking turns (in a rotating order).

    The machine's speed drifts by tens of percent over minutes (a shared VM); servers measured one
    after the other would compare different machines. Taking turns every few seconds, each server's
    figure is the sum of its slices, and the ratios compare like with like. All servers run at once
    but only one is loaded at a time (the others idle). One server in one slice: a plain run.
    """
    figures: list[Figures] = []
    compared = None
    try:
        for name, (process, url), _ in servers:
            tick = time.perf_counter()
            wait_until_answering(url, process, startup)
            check_answers(url)
            copies = ""
            if name.startswith("defport"):
                copies = f"; workers' memory copies: {wait_for_memory_copies(url, startup)}"
            print(f"  {name}: answering after {time.perf_counter() - tick:.1f} s{copies}", flush=True)
        for query in (CHEAP, VARIED, JOIN):
            taking = [(name, url) for name, (_, url), queries in servers if query in queries]
            if not taking:
                continue
            warm = {name: load(name, url, query, 1, 0.0, args.timeout) for name, url in taking}
            for clients in (1, 8):
                totals: dict[str, Figures] = {}
                for turn in range(slices):
                    order = taking[turn % len(taking) :] + taking[: turn % len(taking)]
                    for name, url in order:
                        if clients > 1 and (not warm[name].latencies or warm[name].median_ms > args.slow_ms):
                            continue
                        part = load(name, url, query, clients, args.duration / slices, args.timeout)
                        total = totals.setdefault(name, Figures(name, part.query, clients, 0.0))
                        total.wall += part.wall
                        total.latencies += part.latencies
                        total.errors += part.errors
                for name, _ in taking:
                    if name not in totals:
                        print(f"  {name:<17} {query_name(query):<6} skipped at {clients} clients: too slow", flush=True)
                        continue
                    result = totals[name]
                    figures.append(result)
                    print(
                        f"  {name:<17} {result.query:<6} {clients} client(s): {result.rps:9.1f} req/s  "
                        f"median {result.median_ms:9.2f} ms  p99 {result.p99_ms:9.2f} ms  errors {result.errors}",
                        flush=True,
                    )
        if baseline is not None:
            url = servers[0][1][1]
            compared = interleaved(baseline, url, JOIN, args.rounds)
            medians = {k: statistics.median(v) * 1000 for k, v in compared.items()}
            print(
                f"  join, 1 client, alternating: in-process {medians['disk']:.1f} ms on disk, "
                f"{medians['memory']:.1f} ms in memory; over HTTP {medians['http']:.1f} ms",
                flush=True,
            )
    finally:
        for _, (process, _), _ in servers:
            stop(process)
    return figures, compared


def find(figures: list[Figures], server: str, query: str, clients: int) -> Figures | None:
    return next((f for f in figures if (f.server, f.query, f.clients) == (server, query, clients)), None)


def ratio(a: float, b: float) -> float:
    return a / b if b else float("inf")


def report(
    figures: list[Figures], compared: dict[str, list[float]] | None, triples: int, args: argparse.Namespace
) -> str:
    lines = [
        "# /sparql benchmark",
        "",
        f"Generated by `benchmarks/bench_sparql.py` (orgs {args.orgs}, seed {args.seed}, {args.duration:g} s per "
        f"scenario) on {platform.machine()} with {os.cpu_count()} cores, Python {platform.python_version()}; "
        f"{triples:,} triples. Load generator on the same cores (one process per client, kept-alive connections).",
        "",
        "| server | query | clients | req/s | median ms | p99 ms | errors |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for f in figures:
        lines.append(
            f"| {f.server} | {f.query} | {f.clients} | {f.rps:.1f} | {f.median_ms:.2f} | {f.p99_ms:.2f} | {f.errors} |"
        )
    lines += ["", "| target | figure | ratio | target | met |", "| --- | --- | ---: | --- | --- |"]

    def row(what: str, ours: Figures, base: Figures, digits: int, target: float | None, note: str = "") -> None:
        """One comparison of throughputs; ``target`` None: shown, not judged; ``note`` wraps the target."""
        r = ratio(ours.rps, base.rps)
        shown = f"{base.rps:.3f}" if base.latencies else f"< 1 per {args.timeout:g} s"
        mine = f"{ours.rps:.1f}" if ours.rps >= 10 else f"{ours.rps:.2f}"
        figure = f"{mine} vs {shown if base.rps < 10 else f'{base.rps:.1f}'} req/s"
        if target is None:
            judged = "- | -"
        else:
            judged = f"{(note or '{}').format(f'>= {target:g}x')} | {'yes' if r >= target else 'NO'}"
        lines.append(f"| {what} | {figure} | {r:.{digits}f}x | {judged} |")

    for clients in (1, 8):
        ours, oxi, rdf = (find(figures, s, "cheap", clients) for s in ("defport-kg", "oxigraph", "rdflib-endpoint"))
        cached = find(figures, CACHED, "cheap", clients)
        varied, oxi_varied = (find(figures, s, "varied", clients) for s in (CACHED, "oxigraph"))
        at = f"cheap, {clients} client(s)"
        if ours and oxi:
            row(f"{at}: throughput vs oxigraph serve, every query run", ours, oxi, 2, 0.5)
        if cached and oxi:
            what = f"{at}: throughput vs oxigraph serve, result cache on (default; the same query repeated)"
            row(what, cached, oxi, 2, 0.5)
        if varied and oxi_varied:
            what = f"{at}, a new query text every request: throughput vs oxigraph serve, as shipped"
            row(what, varied, oxi_varied, 2, 0.5, note="({})")
        if ours and rdf:
            row(f"{at}: throughput vs rdflib-endpoint", ours, rdf, 1, 10)
    for clients in (1, 8):
        ours, oxi, rdf = (find(figures, s, "join", clients) for s in ("defport-kg", "oxigraph", "rdflib-endpoint"))
        cached = find(figures, CACHED, "join", clients)
        at = f"join, {clients} client(s)"
        if ours and oxi:
            row(f"{at}: throughput vs oxigraph serve (no target)", ours, oxi, 2, None)
        if ours and rdf:
            row(f"{at}: throughput vs rdflib-endpoint, every query run", ours, rdf, 1, 10)
        if cached and rdf:
            what = f"{at}: throughput vs rdflib-endpoint, result cache on (default; the same query repeated)"
            row(what, cached, rdf, 0, 10)
        if oxi and rdf:
            row(f"{at}: oxigraph serve itself vs rdflib-endpoint (the engine's reach; no target)", oxi, rdf, 1, None)
    if compared:
        medians = {k: statistics.median(v) * 1000 for k, v in compared.items()}
        for base, what in (("memory", "on an in-memory copy"), ("disk", "on the RocksDB checkpoint")):
            r = ratio(medians["http"], medians[base])
            lines.append(
                f"| join, 1 client: median latency vs pyoxigraph in-process {what} (alternating, {args.rounds} "
                f"rounds) | {medians['http']:.1f} vs {medians[base]:.1f} ms | {r:.2f}x | <= 1.5x "
                f"| {'yes' if r <= 1.5 else 'NO'} |"
            )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--orgs", type=int, default=88_000, help="organisations (88,000: about 1M triples)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per scenario")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds a client waits for one answer")
    parser.add_argument(
        "--slow-ms", type=float, default=30_000.0, help="skip 8 clients when one request takes longer (ms)"
    )
    parser.add_argument("--workdir", type=Path, default=None, help="keep generated data and databases here")
    parser.add_argument("--skip-rdflib", action="store_true", help="leave rdflib-endpoint out (it loads slowly)")
    parser.add_argument("--skip-oxigraph", action="store_true")
    parser.add_argument("--rounds", type=int, default=15, help="alternating rounds of the in-process comparison")
    parser.add_argument("--slices", type=int, default=5, help="turns per scenario of the side-by-side servers")
    parser.add_argument("--write", type=Path, default=None, help="also write the figures as Markdown here")
    parser.add_argument(
        "--copy",
        type=int,
        default=None,
        help="DEFPORT_KG_QUERY_MEMORY_COPY_TRIPLES for the defport-kg servers (0: answer from the snapshots "
        "only; default: as shipped)",
    )
    args = parser.parse_args()

    temporary = args.workdir is None
    workdir = Path(tempfile.mkdtemp(prefix="bench-sparql-")) if temporary else args.workdir
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        print(f"== data: {args.orgs:,} organisations, seed {args.seed} ==", flush=True)
        data, store, oxigraph_db, triples = prepare(workdir, args.orgs, args.seed)
        print(f"  {triples:,} triples", flush=True)

        # defport-kg twice: the result cache off (every query is run: the engine and protocol stack)
        # and on, as shipped (the load generator repeats one query, so that measures the service
        # around the cache; "varied" changes the text every request). Side by side with oxigraph.
        servers = [
            ("defport-kg", start_defport(store, free_port(), cache_mb=0, copy_triples=args.copy), (CHEAP, JOIN)),
            (
                CACHED,
                start_defport(cached_copy(store), free_port(), cache_mb=64, copy_triples=args.copy),
                (CHEAP, VARIED, JOIN),
            ),
        ]
        if not args.skip_oxigraph:
            servers.append(("oxigraph", start_oxigraph(oxigraph_db, free_port()), (CHEAP, VARIED, JOIN)))
        print(
            f"== side by side, taking turns in {args.slices} slices per scenario: "
            f"{', '.join(name for name, _, _ in servers)} ==",
            flush=True,
        )
        figures, compared = run_side_by_side(servers, args, baseline=store, slices=args.slices)
        if not args.skip_rdflib:
            print("== rdflib-endpoint ==", flush=True)
            # Alone and in one slice: a request can take seconds, and its ratios are far from the targets.
            rdflib = ("rdflib-endpoint", start_rdflib_endpoint(data, free_port()), (CHEAP, JOIN))
            figures += run_side_by_side([rdflib], args, slices=1, startup=1800)[0]

        text = report(figures, compared, triples, args)
        print()
        print(text)
        if args.write:
            args.write.write_text(text, encoding="utf-8")
    finally:
        if temporary:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
