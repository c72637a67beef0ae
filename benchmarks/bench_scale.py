"""Benchmark of the scale-up LPs on the synthetic industrial base (issue 12, "Speed").

For each size: generate the base deterministically (``defport_kg.synthetic.generate``, which adds
capacities, quantities, inputs and demand), load it into an in-memory store, read the supply
network, then time maximum output of the largest system (the one with the largest production
cone) and of all systems together, plus a 2x surge of all systems. Prints model size and times
beside the target (all systems at 100,000 organisations in under 30 s).

    .venv/bin/python benchmarks/bench_scale.py                 # 10,000 and 100,000 organisations
    .venv/bin/python benchmarks/bench_scale.py --orgs 10000    # one size
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import platform
import time

import pyoxigraph as ox

from defport_kg.errors import AnalysisError
from defport_kg.risk import build_network, load_network
from defport_kg.risk.index import evaluation_order, skeleton
from defport_kg.scale.capacity import build_model, demand_of
from defport_kg.scale.failures import NO_FAILURE
from defport_kg.scale.maxoutput import solve_max_output
from defport_kg.scale.surge import surge
from defport_kg.store import EmbeddedStore
from defport_kg.synthetic import Summary, generate

TARGET_SECONDS = 30.0


def _timed(fn, *args, **kwargs):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    value = fn(*args, **kwargs)
    return value, time.perf_counter() - start


def _size(model) -> str:  # type: ignore[no-untyped-def]
    size = model.size()
    return (
        f"{size['items']:,} rows x {size['relations'] + size['inhouse'] + 1:,} columns "
        f"({size['relations']:,} relations, {size['inhouse']:,} in-house), {size['nonzeros']:,} nonzeros"
    )


def run(orgs: int, seed: int) -> dict[str, float]:
    """One size: prints its figures and returns the times (seconds) for the summary."""
    print(f"\n== {orgs:,} organisations (seed {seed}) ==")
    summary = Summary()
    text, seconds = _timed(lambda: "".join(generate(orgs, seed, summary)))
    print(
        f"generate: {seconds:.1f} s — {summary.items:,} items ({summary.systems} systems), "
        f"{summary.relations:,} supply relations"
    )
    quads = list(ox.parse(text.encode(), format=ox.RdfFormat.N_TRIPLES))
    store = EmbeddedStore.in_memory()
    _, seconds = _timed(store.add_source_graph, "https://w3id.org/defport/id/import/bench", quads, role="import")
    print(f"store load: {seconds:.1f} s — {len(quads):,} triples")
    network, seconds = _timed(load_network, store)
    print(f"load_network: {seconds:.1f} s")
    store.close()

    times: dict[str, float] = {}
    print("-- as generated --")
    _analyses(network, times, "")
    # Under §3b every unit made consumes one of each dp:requiresInput, so an input that closes a
    # supply cycle through the item's own bill of materials consumes more than the loop makes: the
    # generator's cycles pin most systems at 0. The same base without those inputs shows the LP
    # with real bottlenecks (same size, same solve path).
    print("-- without the inputs that close supply cycles --")
    acyclic, seconds = _timed(_without_cycle_inputs, network)
    print(f"(dropping them: {seconds:.1f} s)")
    _analyses(acyclic, times, " (acyclic inputs)")
    verdict = "within" if times["all systems"] < TARGET_SECONDS else "OVER"
    print(f"all systems: {times['all systems']:.2f} s — {verdict} the {TARGET_SECONDS:.0f} s target")
    return times


def _without_cycle_inputs(network):  # type: ignore[no-untyped-def]
    """The network with every dp:requiresInput that lies in its relation's item's SCC dropped."""
    skel = skeleton(network)
    component_of = {}
    for number, members in enumerate(evaluation_order(network)):
        for v in members:
            component_of[skel.items[v]] = number
    relations = []
    dropped = 0
    for relation in network.relations.values():
        own = component_of.get(relation.item)
        kept = tuple(x for x in relation.inputs if component_of.get(x) != own)
        dropped += len(relation.inputs) - len(kept)
        relations.append(dataclasses.replace(relation, inputs=kept))
    print(f"inputs closing a cycle: {dropped:,} dropped")
    return build_network(
        items=network.items.values(),
        relations=relations,
        components=network.components,
        org_labels=network.org_labels,
        org_country=network.org_country,
        org_capabilities=network.org_capabilities,
        organisations=network.organisations,
        sites=network.sites,
        site_country=network.site_country,
        countries=network.countries,
        memberships=network.memberships,
    )


def _cone_size(network, system: str) -> int:  # type: ignore[no-untyped-def]
    """Items the system's production can reach (the rows its model would have), by a plain search."""
    seen = {system}
    stack = [system]
    while stack:
        item = stack.pop()
        needed = set(network.components.get(item, {}))
        for relation in network.relations_of.get(item, ()):
            needed.update(network.relations[relation].inputs)
        for other in needed - seen:
            seen.add(other)
            stack.append(other)
    return len(seen)


def _analyses(network, times: dict[str, float], suffix: str) -> None:  # type: ignore[no-untyped-def]
    systems = list(network.systems)
    # The largest system: the one whose production cone (model rows) is largest.
    cones, seconds = _timed(lambda: {s: _cone_size(network, s) for s in systems})
    largest = max(systems, key=lambda s: (cones[s], s))
    print(f"cone sizes of {len(systems)} systems: {seconds:.1f} s; largest {largest} ({cones[largest]:,} items)")

    for name, chosen in (("largest system", [largest]), ("all systems", systems)):
        demand = demand_of(network, chosen)
        model, build_seconds = _timed(build_model, network, chosen, demand)
        report, solve_seconds = _timed(solve_max_output, network, model, NO_FAILURE)
        total = build_seconds + solve_seconds
        times[name + suffix] = total
        answer = "unbounded" if report.unbounded else f"λ = {report.level:.4g} of demand"
        print(
            f"max output, {name}: build {build_seconds:.2f} s + solve {solve_seconds:.2f} s "
            f"(HiGHS {report.solve_seconds:.2f} s) = {total:.2f} s; {_size(model)}; {answer}; "
            f"{len(report.bottlenecks)} bottlenecks"
        )
    try:
        report, seconds = _timed(surge, network, systems, 2.0, alternatives_limit=3)
        times["surge" + suffix] = seconds
        print(
            f"surge to 2x demand, all systems: {seconds:.2f} s; add {report.added_total:,.0f} units/month "
            f"over {len(report.increases):,} relations"
        )
    except AnalysisError as error:
        print(f"surge to 2x demand, all systems: no answer ({error})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--orgs", type=int, action="append", help="organisations (repeat; default 10000 and 100000)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    sizes = args.orgs or [10_000, 100_000]
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"bench_scale on {platform.machine()}, {os.cpu_count()} CPUs, load average {load:.1f}, "
        f"Python {platform.python_version()}"
    )
    results = {n: run(n, args.seed) for n in sizes}
    print(
        "\nseconds (build + solve)    as generated: largest | all | surge 2x"
        "   without cycle inputs: largest | all | surge 2x   target all"
    )
    for n, times in results.items():
        cells = [
            times.get(key)
            for key in (
                "largest system",
                "all systems",
                "surge",
                "largest system (acyclic inputs)",
                "all systems (acyclic inputs)",
                "surge (acyclic inputs)",
            )
        ]
        text = [f"{c:.2f}" if c is not None else "-" for c in cells]
        print(
            f"{n:>9,} organisations   {text[0]:>7} | {text[1]:>5} | {text[2]:>5}"
            f"   {' ' * 21}{text[3]:>7} | {text[4]:>5} | {text[5]:>5}   < {TARGET_SECONDS:.0f} s"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
