"""Benchmark of the risk engine on deterministic synthetic bases (issue 4's speed targets).

    .venv/bin/python benchmarks/bench_risk.py                 # 10,000 and 100,000 organisations
    .venv/bin/python benchmarks/bench_risk.py --orgs 2000     # a quick run

For each size: generate the base (``defport_kg.synthetic``, fixed seed), bulk-load it into an
embedded store on disk, then time building the model, ``risk spof`` over all systems (per unit
kind), order-1 and order-2 cut sets of the largest system, and the naive baseline — remove each
unit and recompute the availability of the whole network — on a sample of units, extrapolated
to all units. The baseline's answers on the sample are checked against ``spof``'s.

Targets (issue 4, 100,000 organisations, 2 cores): spof < 60 s, order-2 cut sets of one system
< 10 s, order 1 at least 50x faster than the naive baseline.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

from defport_kg.risk import cut_sets, load_network, spof
from defport_kg.risk.index import evaluation_order, skeleton, unit_index
from defport_kg.risk.propagation import propagate_relations
from defport_kg.risk.reference import recompute_unavailable
from defport_kg.store import EmbeddedStore
from defport_kg.synthetic import Summary, generate

GRAPH = "https://w3id.org/defport/id/import/synthetic-benchmark"


def fmt(seconds: float) -> str:
    return f"{seconds:,.0f} s" if seconds >= 100 else f"{seconds:.3g} s"


def timed(label: str, fn, *args, **kwargs):
    """Run once; print wall-clock and CPU time (CPU time shows what other load on the
    machine did to the wall-clock figure)."""
    start, cpu = time.perf_counter(), time.process_time()
    result = fn(*args, **kwargs)
    elapsed, used = time.perf_counter() - start, time.process_time() - cpu
    print(f"  {label:<52} {elapsed:9.3f} s  (CPU {used:8.3f} s)", flush=True)
    return result, elapsed


def bench(orgs: int, seed: int, sample: int, workdir: Path, stores: list[str]) -> dict[str, float]:
    print(f"\n== {orgs:,} organisations (seed {seed}) ==", flush=True)
    figures: dict[str, float] = {}
    summary = Summary()
    data, figures["generate"] = timed("generate N-Triples", lambda: "".join(generate(orgs, seed, summary)).encode())
    triples = data.count(b"\n")
    print(
        f"  {triples:,} triples: {summary.items:,} items ({summary.systems} systems), "
        f"{summary.relations:,} supply relations, {summary.sites:,} sites, "
        f"{summary.single_sourced:,} items single-sourced"
    )
    network = None
    for kind in stores:
        if kind == "disk":
            store = EmbeddedStore.open(workdir / f"store-{orgs}", create=True, command="bench_risk")
        else:
            store = EmbeddedStore.in_memory()
        try:
            _, figures[f"store_load_{kind}"] = timed(
                f"bulk load into the store ({kind})",
                store.commit_bulk,
                GRAPH,
                data,
                role="import",
                exclusive=True,
            )
            network, figures[f"model_{kind}"] = timed(
                f"build the model (load_network, {kind} store)", load_network, store
            )
        finally:
            store.close()
    del data
    assert network is not None
    # The first analysis also builds the integer index of the network (then cached).
    report, figures["spof"] = timed("risk spof, organisations, all systems (cold)", spof, network)
    timed("risk spof, organisations, all systems (warm)", spof, network)
    for kind, plural in (("site", "sites"), ("country", "countries")):
        timed(f"risk spof, {plural}, all systems", spof, network, kind)
    skel = skeleton(network)
    cones = sorted(
        (len([v for c in evaluation_order(network, skel.item_index[s]) for v in c]), s) for s in network.systems
    )
    cone, largest = cones[-1]
    print(f"  largest system {largest} depends on {cone:,} items")
    one, figures["order1"] = timed("cut sets order 1, largest system", cut_sets, network, largest, 1)
    two, figures["order2"] = timed("cut sets order 2, largest system", cut_sets, network, largest, 2)
    print(
        f"  -> {len(one.cut_sets)} single points of failure, "
        f"{sum(1 for c in two.cut_sets if c.order == 2):,} minimal pairs"
    )
    three, figures["order3"] = timed("cut sets order 3 (bounded), largest system", cut_sets, network, largest, 3)
    print(f"  -> order 3 complete: {three.complete}, {len(three.cut_sets):,} sets")

    # Naive baseline: for each unit, recompute everything with that unit failed.
    units = unit_index(network, "organisation")
    rng = random.Random(seed)
    chosen = rng.sample(range(len(units.units)), min(sample, len(units.units)))
    rels_of_unit: list[list[int]] = [[] for _ in units.units]
    for r, members in enumerate(units.rel_units):
        for u in members:
            rels_of_unit[u].append(r)
    order = evaluation_order(network)
    system_index = [skel.item_index[s] for s in network.systems]
    stops = {s.unit: set(s.systems) for s in report.spofs}
    start = time.perf_counter()
    for u in chosen:
        direct = bytearray(len(skel.rel_iris))
        for r in rels_of_unit[u]:
            direct[r] = 1
        dead = recompute_unavailable(skel, order, direct)
        stopped = {skel.items[i] for i in system_index if dead[i]}
        assert stopped == stops.get(units.units[u], set()), units.units[u]
    per_unit = (time.perf_counter() - start) / len(chosen)
    figures["naive"] = per_unit * len(units.units)
    # The incremental variant (worklist from the failed unit only), for comparison.
    start = time.perf_counter()
    for u in chosen:
        propagate_relations(skel, rels_of_unit[u])
    figures["incremental"] = (time.perf_counter() - start) / len(chosen) * len(units.units)
    print(
        f"  naive remove-and-recompute: {per_unit * 1000:.1f} ms per unit x "
        f"{len(units.units):,} units = {fmt(figures['naive'])} (sample of {len(chosen)}, "
        "answers checked against spof)"
    )
    print(f"  incremental propagation per unit (worklist): {fmt(figures['incremental'])} for all units (extrapolated)")
    ratio = figures["naive"] / figures["spof"]
    print(f"  order 1 for all systems vs naive: {ratio:,.0f}x faster")
    figures["ratio"] = ratio
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--orgs", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--sample", type=int, default=100, help="units for the naive baseline")
    parser.add_argument(
        "--store",
        choices=["disk", "memory", "both"],
        default="both",
        help="load into an embedded store on disk, in memory, or both (the model is built from "
        "each; the analyses run on the last)",
    )
    args = parser.parse_args()
    print(f"Python {sys.version.split()[0]}")
    results = {}
    with tempfile.TemporaryDirectory(prefix="defport-bench-") as tmp:
        for orgs in args.orgs:
            stores = ["disk", "memory"] if args.store == "both" else [args.store]
            results[orgs] = bench(orgs, args.seed, args.sample, Path(tmp), stores)
    print(
        "\n| organisations | model (disk / memory store) | spof, all systems | order 1 | order 2 "
        "| naive order 1 | ratio |"
    )
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for orgs, f in results.items():
        model = " / ".join(fmt(f[key]) if key in f else "-" for key in ("model_disk", "model_memory"))
        print(
            f"| {orgs:,} | {model} | {fmt(f['spof'])} | {fmt(f['order1'])} | "
            f"{fmt(f['order2'])} | {fmt(f['naive'])} | {f['ratio']:,.0f}x |"
        )


if __name__ == "__main__":
    main()
