"""Would more server processes lift the uncached cheap query? Two servers against one, same cores.

    .venv/bin/python benchmarks/bench_sparql_fronts.py                # the example data (~15k triples)
    .venv/bin/python benchmarks/bench_sparql_fronts.py --rounds 6 --workers-per-front 2

A diagnostic beside ``bench_sparql.py``. ``serve`` is one process: one event loop runs every
request's Python path, and the query workers run beside it. If that one loop were what holds the
cheap query (LIMIT 10, result cache off) below half of ``oxigraph serve``, a design with several
front processes (each with its own workers) would lift it. This measures that design without
building it: two ``defport-kg serve`` on two copies of the store, the 8 clients split between
them, against one server with all 8 and ``oxigraph serve-read-only`` on the same data. The three
take turns in 2-s slices (this VM's speed drifts over minutes); it prints req/s per slice, the
means and each one's ratio to ``oxigraph serve``.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_sparql as bench  # the load generator and server starters


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=4, help="slices per server")
    parser.add_argument("--seconds", type=float, default=2.0, help="length of a slice")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers-per-front", type=int, default=1, help="query workers of each of the two servers")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="bench-sparql-fronts-"))
    processes: list[subprocess.Popen] = []
    try:
        stores = [workdir / name for name in ("single", "front-1", "front-2")]
        triples = bench.example_store(stores[0], workdir / "oxigraph")
        for copy in stores[1:]:
            shutil.copytree(stores[0], copy)

        def start(store: Path, workers: int) -> str:
            process, url = bench.start_defport(store, bench.free_port(), cache_mb=0, copy_triples=None, workers=workers)
            processes.append(process)
            bench.wait_until_answering(url, process, 120)
            return url

        single = start(stores[0], 2)
        fronts = [start(store, args.workers_per_front) for store in stores[1:]]
        process, oxigraph = bench.start_oxigraph(workdir / "oxigraph", bench.free_port())
        processes.append(process)
        bench.wait_until_answering(oxigraph, process, 120)
        setups = {
            "one server, 2 workers": [single],
            f"two servers, {args.workers_per_front} worker(s) each": fronts,
            "oxigraph serve-read-only": [oxigraph],
        }
        bench.warm(setups)
        rates, errors = bench.take_turns(setups, bench.CHEAP, args.clients, args.rounds, args.seconds)
        print(
            f"cheap query, result cache off, {triples:,} quads, {args.clients} clients, "
            f"{args.rounds} slices of {args.seconds:g} s per server, taking turns (errors: {errors}):"
        )
        bench.print_turns(rates, "oxigraph serve-read-only", "oxigraph serve")
    finally:
        for process in processes:
            bench.stop(process)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
