"""Embedded store vs Oxigraph server vs Virtuoso: typical queries and the risk-engine network fetch.

    .venv/bin/python benchmarks/bench_remote.py            # 88,000 organisations: about 1M triples
    .venv/bin/python benchmarks/bench_remote.py --quick    # 5,000 organisations: a quick run

The same generated base (``defport_kg.synthetic``, fixed seed) goes into each store as one live
import graph plus the ontology and reference data (``bootstrap.initialise``). The servers are
started here on 127.0.0.1 (``tests/remote/servers.py``: own ports, own temporary database, stopped
by PID) and loaded with their own bulk loaders (Oxigraph: Graph Store Protocol; Virtuoso: ``ld_dir``
+ ``rdf_loader_run``), since what is measured here is reading, not importing. Each query runs
``--repeat`` times through the store interface the product uses (``store.query`` / ``load_network``),
the median is printed, with the ratio to the embedded store. Everything shares the machine's cores
with the servers and with whatever else runs: figures from a shared machine are indicative.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from defport_kg.bootstrap import initialise  # noqa: E402
from defport_kg.namespaces import CATALOG_GRAPH, LIVE_GRAPH  # noqa: E402
from defport_kg.risk import load_network  # noqa: E402
from defport_kg.store import STATUS_LIVE, EmbeddedStore  # noqa: E402
from defport_kg.store.remote import RemoteStore  # noqa: E402
from defport_kg.synthetic import generate  # noqa: E402
from tests.remote.servers import OxigraphServer, VirtuosoServer, oxigraph_binary, virtuoso_binary  # noqa: E402

GRAPH = "https://w3id.org/defport/id/import/synthetic-benchmark"
DP = "PREFIX dp: <https://w3id.org/defport/ontology#>\n"
QUERIES: dict[str, str] = {
    "count supply relations": DP + "SELECT (COUNT(?r) AS ?n) WHERE { ?r a dp:SupplyRelation }",
    "suppliers of one item": DP
    + "SELECT ?org ?share WHERE { ?r dp:item <https://w3id.org/defport/id/item/syn-000001> ; dp:supplier ?org ."
    " OPTIONAL { ?r dp:share ?share } }",
    "organisations per country": DP
    + "SELECT ?c (COUNT(?o) AS ?n) WHERE { ?o dp:country ?c } GROUP BY ?c ORDER BY DESC(?n) LIMIT 20",
    "2-hop join, first 100": DP
    + "SELECT ?item ?org ?c WHERE { ?r dp:item ?item ; dp:supplier ?org . ?org dp:country ?c } LIMIT 100",
}


def median_time(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def rows_of(result: Any) -> int:
    return sum(1 for _ in result)


def _slow(location: str) -> str:
    """The location with a long timeout: the bulk fetch of a large network is one long read."""
    return location + ("&" if "?" in location else "?") + "timeout=1800"


def catalogue_import(store: RemoteStore) -> None:
    """The loaded graph as a live import in the catalogue (what an import would have written)."""
    record = store._catalog_triples(GRAPH, "import", STATUS_LIVE, "synthetic benchmark")
    store.update_system(f"INSERT DATA {{ GRAPH <{CATALOG_GRAPH}> {{ {record} }} }}")


def load_oxigraph(server: OxigraphServer, data: Path) -> RemoteStore:
    import httpx

    store = RemoteStore.open(_slow(server.location), create=True)
    initialise(store)
    for graph in (GRAPH, LIVE_GRAPH):
        with data.open("rb") as body:
            response = httpx.post(
                f"http://127.0.0.1:{server.http_port}/store",
                params={"graph": graph},
                content=body,
                headers={"Content-Type": "application/n-triples"},
                timeout=1800,
            )
        response.raise_for_status()
    catalogue_import(store)
    return store


def load_virtuoso(server: VirtuosoServer, data: Path) -> RemoteStore:
    store = RemoteStore.open(_slow(server.location), create=True)
    initialise(store)
    folder = server.directory / "load"
    folder.mkdir(exist_ok=True)
    for graph, name in ((GRAPH, "import.nt"), (LIVE_GRAPH, "live.nt")):
        sub = folder / name.removesuffix(".nt")
        sub.mkdir(exist_ok=True)
        shutil.copyfile(data, sub / name)
        server.isql(f"ld_dir('{sub}', '*.nt', '{graph}');")
    server.isql("rdf_loader_run();", "checkpoint;")
    catalogue_import(store)
    return store


def measure(name: str, store: Any, repeat: int, pages: list[int]) -> dict[str, float]:
    """Median times of the typical queries, then of ``load_network`` at each page size (one
    figure for the embedded store, which reads without pages)."""
    figures: dict[str, float] = {}
    print(f"\n-- {name}: {store.triple_count():,} live triples", flush=True)
    for label, text in QUERIES.items():
        seconds, result = median_time(lambda text=text: rows_of(store.query(text)), repeat)
        figures[label] = seconds
        print(f"  {label:<36} {seconds * 1000:10.1f} ms  ({result} rows)", flush=True)
    for page in pages:
        label = f"risk network fetch, page={page}"
        if isinstance(store, RemoteStore):
            store.page_size = page
            seconds, network = median_time(lambda: load_network(store), max(1, repeat // 2))
        elif page == pages[0]:
            seconds, network = median_time(lambda: load_network(store), max(1, repeat // 2))
        figures[label] = seconds
        print(
            f"  {label:<36} {seconds * 1000:10.1f} ms  "
            f"({len(network.items):,} items, {len(network.relations):,} relations)",
            flush=True,
        )
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orgs", type=int, default=88_000, help="organisations (88,000: about 1M triples)")
    parser.add_argument("--quick", action="store_true", help="5,000 organisations (about 57,000 triples)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=5, help="runs per query (the median is shown)")
    parser.add_argument("--workdir", type=Path, default=None, help="folder for the stores (default: a temporary one)")
    parser.add_argument(
        "--pages",
        default="10000,100000",
        help="page sizes (rows) of the remote network fetch, comma-separated; Virtuoso's ResultSetMaxRows "
        "is raised to the largest (default: 10000 = Virtuoso's default cap, and 100000)",
    )
    args = parser.parse_args()
    orgs = 5_000 if args.quick else args.orgs
    pages = [int(p) for p in args.pages.split(",")]
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="bench-remote-"))
    data = workdir / f"synthetic-{orgs}-{args.seed}.nt"
    if not data.exists():
        data.write_text("".join(generate(orgs, args.seed)), encoding="utf-8")
    triples = sum(1 for _ in data.open("rb"))
    print(f"== {orgs:,} organisations, seed {args.seed}: {triples:,} triples; median of {args.repeat} runs ==")
    print("(shared machine: servers, client and other work share the same cores; figures are indicative)")

    results: dict[str, dict[str, float]] = {}
    embedded = EmbeddedStore.open(workdir / "embedded", create=True, command="bench_remote")
    initialise(embedded)
    embedded.commit_bulk(GRAPH, data.read_bytes(), role="import", exclusive=True)
    results["embedded"] = measure("embedded (pyoxigraph, RocksDB)", embedded, args.repeat, pages)
    embedded.close()

    servers: list[tuple[str, Any, Callable[[Any, Path], RemoteStore]]] = []
    if oxigraph_binary():
        servers.append(("Oxigraph server", OxigraphServer(workdir / "oxigraph"), load_oxigraph))
    else:
        print("\n(no `oxigraph` binary: pip install oxigraph)")
    if virtuoso_binary():
        servers.append(("Virtuoso", VirtuosoServer(workdir / "virtuoso", max_rows=max(pages)), load_virtuoso))
    else:
        print("\n(no `virtuoso-t`: apt-get install virtuoso-opensource)")
    for name, server, load in servers:
        server.start()
        try:
            start = time.perf_counter()
            store = load(server, data)
            print(f"\n({name}: loaded with its bulk loader in {time.perf_counter() - start:.1f} s)")
            store.progress = False
            results[name] = measure(name, store, args.repeat, pages)
            store.close()
        finally:
            server.stop()

    names = list(results)
    print("\n== side by side (median; ratio = time / embedded time) ==")
    header = f"{'':<36}" + "".join(f"{n:>18}" for n in names) + "".join(f"{'x ' + n[:10]:>16}" for n in names[1:])
    print(header)
    for label in results["embedded"]:
        base = results["embedded"][label]
        cells = "".join(f"{results[n][label] * 1000:>15.1f} ms" for n in names)
        ratios = "".join(f"{results[n][label] / base:>15.1f}x" for n in names[1:])
        print(f"{label:<36}{cells}{ratios}", flush=True)
    if args.workdir is None:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
