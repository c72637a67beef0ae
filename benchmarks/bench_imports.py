"""Benchmark of the import pipeline (issue 6's speed figures; a benchmark, not a timed test).

    .venv/bin/python benchmarks/bench_imports.py                      # 10k, 100k, 1M triples
    .venv/bin/python benchmarks/bench_imports.py --sizes 10k,100k     # a quicker run
    .venv/bin/python benchmarks/bench_imports.py --parts commit --sizes 1M

Three parts, on deterministic synthetic data (``defport_kg.synthetic``, fixed seed, labelled
synthetic; references point at the reference data of an initialised store):

1. ``commit``: parse + commit throughput of N-Triples files of each size, against pyoxigraph's
   ``bulk_load`` of the same file into an empty on-disk store (the limit). The commit path is
   timed as the command line runs it (bulk, crash-safe) and as the HTTP service runs it (one
   transaction for the live data). Target: commit path alone >= 0.5 of ``bulk_load``'s throughput.
2. ``validate``: the pipeline's validation (context fetch + conversion + SHACL, positions) against
   pySHACL validating the same batch on its own (rdflib parse + ``pyshacl.validate`` with the
   shapes and the ontology). Target: the pipeline adds at most 20 % (ratio <= 1.2).
3. ``context``: validating the same 1,000-entity batch (500 new organisations, 500 supply relations
   naming stored items) in stores of 100k and 1M triples. Target: ratio <= 1.5 (by batch, not store).

Every figure is the best of ``--repeat`` runs (five times as many at 10k, where one run takes
milliseconds), with CPU time beside wall-clock time (the machine may be shared: CPU time shows what
other load did to the wall clock). The ratios are of throughput, i.e. wall clock; the command line's
commit runs its two bulk loads at once on two cores, so its ratio by CPU time is printed as well.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from defport_kg.bootstrap import initialise
from defport_kg.imports import ImportSource
from defport_kg.imports.context import context_triples
from defport_kg.imports.pipeline import _commit, validate_sources
from defport_kg.imports.sources import read_bytes
from defport_kg.store import EmbeddedStore
from defport_kg.synthetic import generate

TRIPLES_PER_ORG = 11.46  # what defport_kg.synthetic produces per organisation, on average
SIZES = {"10k": 10_000, "100k": 100_000, "1M": 1_000_000}
DP = "https://w3id.org/defport/ontology#"
ID = "https://w3id.org/defport/id/"


def measure(fn: Callable[[], Any], repeat: int, setup: Callable[[], Any] | None = None) -> tuple[float, float, Any]:
    """Best wall-clock and CPU time of ``repeat`` runs (``setup`` untimed before each)."""
    best_wall, best_cpu, result = float("inf"), float("inf"), None
    for _ in range(repeat):
        if setup is not None:
            setup()
        start, cpu = time.perf_counter(), time.process_time()
        result = fn()
        wall, used = time.perf_counter() - start, time.process_time() - cpu
        best_wall, best_cpu = min(best_wall, wall), min(best_cpu, used)
    return best_wall, best_cpu, result


def line(label: str, wall: float, cpu: float, triples: int | None = None) -> None:
    rate = f"{triples / wall:12,.0f} triples/s" if triples else ""
    print(f"  {label:<46} {wall:9.3f} s  (CPU {cpu:8.3f} s)  {rate}", flush=True)


def synthetic(triples: int) -> bytes:
    """About ``triples`` N-Triples of a synthetic base (whole organisations, so references hold)."""
    orgs = max(1, round(triples / TRIPLES_PER_ORG))
    return "".join(generate(orgs, seed=7)).encode()


def reference_store(template: Path, target: Path) -> EmbeddedStore:
    """A copy of an initialised store (ontology, shapes, reference data)."""
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(template, target)
    return EmbeddedStore.open(target, command="bench_imports")


# -- 1. parse + commit ------------------------------------------------------------------------


def bench_commit(name: str, data: bytes, template: Path, work: Path, repeat: int) -> dict[str, float]:
    count = data.count(b"\n")
    print(f"\n== commit: {name} ({count:,} triples, {len(data) / 1e6:.1f} MB of N-Triples) ==", flush=True)
    figures: dict[str, float] = {}

    def bulk() -> None:
        raw = ox.Store(str(work / "bulk"))
        raw.bulk_load(data, ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(ID + "import/bulk"))
        raw.flush()
        del raw

    wall, cpu, _ = measure(bulk, repeat, setup=lambda: shutil.rmtree(work / "bulk", ignore_errors=True))
    line("pyoxigraph bulk_load (the limit)", wall, cpu, count)
    figures["bulk"], figures["bulk_cpu"] = wall, cpu

    wall, cpu, source = measure(lambda: read_bytes(data, f"{name}.nt"), repeat)
    line("parse (rdfio: safe parsing, blank nodes renamed)", wall, cpu, count)
    figures["parse"] = wall
    assert isinstance(source, ImportSource)

    for label, exclusive in (("command line: bulk, crash-safe", True), ("service: one transaction", False)):
        wall, cpu = _measure_commit(source, template, work, repeat, exclusive=exclusive)
        line(f"commit ({label})", wall, cpu, count)
        figures[f"commit_{'cli' if exclusive else 'api'}"] = wall
        figures[f"commit_{'cli' if exclusive else 'api'}_cpu"] = cpu
    for key, label in (("commit_cli", "command line"), ("commit_api", "service")):
        print(
            f"  ratio bulk_load / commit ({label}): {figures['bulk'] / figures[key]:5.2f}   "
            f"bulk_load / (parse + commit): {figures['bulk'] / (figures['parse'] + figures[key]):5.2f}   "
            f"by CPU time: {figures['bulk_cpu'] / figures[key + '_cpu']:5.2f}"
            + ("   (target >= 0.5 for the commit path)" if key == "commit_cli" else "")
        )
    return figures


class _Conforming:
    """What the commit needs of a validation report: its summary (the batch conforms)."""

    conforms = True
    counts = {"Violation": 0, "Warning": 0, "Info": 0}  # noqa: RUF012


def _measure_commit(
    source: ImportSource, template: Path, work: Path, repeat: int, *, exclusive: bool
) -> tuple[float, float]:
    """Best time of committing ``source`` into a fresh copy of the template store."""
    stores: list[EmbeddedStore] = []

    def setup() -> None:
        for store in stores:
            store.close()
        stores[:] = [reference_store(template, work / "store")]

    def commit() -> None:
        _commit(stores[0], [source], _Conforming(), user="bench", replaced=[], exclusive=exclusive)

    wall, cpu, _ = measure(commit, repeat, setup=setup)
    problems = stores[0].check()
    stores[0].close()
    assert not problems, problems
    return wall, cpu


# -- 2. validation against pySHACL alone ------------------------------------------------------


def pyshacl_alone(data: bytes) -> Any:
    import pyshacl
    import rdflib

    from defport_kg import resources

    graph = rdflib.Graph()
    graph.parse(data=data, format="nt")
    shapes = rdflib.Graph().parse(resources.shapes_file(), format="turtle")
    ontology = rdflib.Graph().parse(resources.ontology_file(), format="turtle")
    return pyshacl.validate(graph, shacl_graph=shapes, ont_graph=ontology, inference="none", allow_warnings=True)


def bench_validate(
    name: str, data: bytes, template: Path, work: Path, repeat: int, *, baseline: bool = True
) -> dict[str, float]:
    count = data.count(b"\n")
    print(f"\n== validate: {name} ({count:,} triples) ==", flush=True)
    store = reference_store(template, work / "store")
    try:
        source = read_bytes(data, f"{name}.nt")
        wall, cpu, report = measure(lambda: validate_sources(store, [source]), repeat)
        line("pipeline (context + conversion + SHACL + positions)", wall, cpu, count)
        print(f"    {report.summary()}")
    finally:
        store.close()
    if not baseline:
        return {"pipeline": wall}
    base_wall, base_cpu, _ = measure(lambda: pyshacl_alone(data), repeat)
    line("pySHACL alone (parse + validate, the baseline)", base_wall, base_cpu, count)
    print(f"  ratio pipeline / pySHACL alone: {wall / base_wall:5.2f}   (target <= 1.2)")
    return {"pipeline": wall, "pyshacl": base_wall}


# -- 3. a 1,000-entity batch into stores of two sizes ----------------------------------------


def entity_batch(store: EmbeddedStore) -> ImportSource:
    """500 new organisations, each with a supply relation for an item the store already holds."""
    items = [
        row["i"]
        for row in store.select(
            f"SELECT DISTINCT ?i WHERE {{ ?i a ?t FILTER (?t IN (<{DP}System>, <{DP}Component>, <{DP}Material>)) "
            f'FILTER (STRSTARTS(STR(?i), "{ID}item/syn-")) }} ORDER BY ?i LIMIT 500'
        )
    ]
    assert len(items) == 500, f"the store holds only {len(items)} synthetic items"
    lines = []
    for n, item in enumerate(items):
        org, rel = f"<{ID}org/bench-{n:04d}>", f"<{ID}supply/bench-{n:04d}>"
        lines += [
            f"{org} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{DP}Company> .",
            f'{org} <http://www.w3.org/2000/01/rdf-schema#label> "Benchmark organisation {n}" .',
            f"{org} <{DP}country> <{ID}country/DE> .",
            f"{rel} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{DP}SupplyRelation> .",
            f"{rel} <{DP}supplier> {org} .",
            f"{rel} <{DP}item> <{item}> .",
        ]
    return read_bytes(("\n".join(lines) + "\n").encode(), "batch.nt")


def _context_in_store(name: str, template: Path, work: Path, repeat: int) -> float:
    store = reference_store(template, work / f"context-{name}")
    try:
        store.commit_bulk(
            ID + "import/base", synthetic(SIZES[name]), role="import", label="synthetic base", exclusive=True
        )
        total = store.triple_count()
        batch = entity_batch(store)
        wall, cpu, found = measure(lambda: context_triples(store.raw, batch.quads), repeat)
        line(f"store of {total:,} triples: context fetch ({len(found):,} triples)", wall, cpu)
        wall, cpu, report = measure(lambda: validate_sources(store, [batch]), repeat)
        line(f"store of {total:,} triples: validation", wall, cpu)
        print(f"    {report.summary()}")
        return wall
    finally:
        store.close()


def bench_context(sizes: list[str], template: Path, work: Path, repeat: int) -> dict[str, float]:
    print("\n== validate a 1,000-entity batch in stores of different sizes ==", flush=True)
    figures: dict[str, float] = {}
    for name in sizes:
        figures[name] = _context_in_store(name, template, work, repeat)
    if len(figures) >= 2:
        names = list(figures)
        print(f"  ratio {names[-1]} / {names[0]}: {figures[names[-1]] / figures[names[0]]:5.2f}   (target <= 1.5)")
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10k,100k,1M", help="commit/validate sizes: any of 10k,100k,1M")
    parser.add_argument("--validate-sizes", default=None, help="validation sizes (default: --sizes)")
    parser.add_argument(
        "--store-sizes",
        default="100k,1M",
        help="store sizes of the 1,000-entity batch part (each must hold at least 500 items: 100k or more)",
    )
    parser.add_argument("--parts", default="commit,validate,context", help="any of commit,validate,context")
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure (the best is shown)")
    parser.add_argument(
        "--no-baseline",
        action="store_true",
        help="validation: time the pipeline only (pySHACL alone takes half an hour at 1M)",
    )
    args = parser.parse_args(argv)
    sizes = [s for s in args.sizes.split(",") if s]
    unknown = [s for s in sizes + args.store_sizes.split(",") if s not in SIZES]
    if unknown:
        parser.error(f"unknown size(s) {unknown}: use {', '.join(SIZES)}")
    parts = set(args.parts.split(","))
    print(f"bench_imports: python {sys.version.split()[0]}, pyoxigraph {ox.__version__}", flush=True)
    with tempfile.TemporaryDirectory(prefix="bench-imports-") as tmp:
        work = Path(tmp)
        template = work / "template"
        with EmbeddedStore.open(template, create=True, command="bench_imports") as store:
            initialise(store)
        data = {name: synthetic(SIZES[name]) for name in sizes}
        if "commit" in parts:
            for name in sizes:
                # Small sizes take milliseconds, where a scheduler hiccup is a large share: more runs.
                runs = args.repeat * max(1, 100_000 // SIZES[name] // 2) if name != "1M" else args.repeat
                bench_commit(name, data[name], template, work, runs)
        if "validate" in parts:
            for name in [s for s in (args.validate_sizes or args.sizes).split(",") if s]:
                bench_validate(
                    name,
                    data.get(name) or synthetic(SIZES[name]),
                    template,
                    work,
                    args.repeat,
                    baseline=not args.no_baseline,
                )
        if "context" in parts:
            bench_context([s for s in args.store_sizes.split(",") if s], template, work, args.repeat)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
