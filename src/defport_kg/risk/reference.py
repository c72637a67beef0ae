"""Brute-force reference implementations of CONTRACT §3, for tests and benchmark baselines.

Deliberately literal and slow: fail a set of units, sweep the §3 rules over every relation and
item until nothing changes, look. Shares nothing with the fast algorithms except the model, so
that a property test comparing the two checks the algorithms rather than re-running them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import combinations

from defport_kg.risk.index import Skeleton, is_cyclic
from defport_kg.risk.model import SupplyNetwork


def unavailable_items(network: SupplyNetwork, failed: Iterable[str]) -> set[str]:
    """The least fixpoint of §3 for the failed units, by repeated sweeps from "all available"."""
    failed_set = set(failed)
    relations_of = network.relations_of
    down: set[str] = set()
    unavailable: set[str] = set()
    changed = True
    while changed:
        changed = False
        for relation in network.relations.values():
            if relation.iri in down:
                continue
            if (
                relation.supplier in failed_set
                or relation.site in failed_set
                or relation.country in failed_set
                or any(c in unavailable for c in network.components.get(relation.item, {}))
                or any(x in unavailable for x in relation.inputs)
            ):
                down.add(relation.iri)
                changed = True
        for iri in network.items:
            if iri in unavailable:
                continue
            rels = relations_of.get(iri, ())
            if rels:
                dead = all(r in down for r in rels)
            else:
                dead = any(c in unavailable for c in network.components.get(iri, {}))
            if dead:
                unavailable.add(iri)
                changed = True
    return unavailable


def units_of_kind(network: SupplyNetwork, kind: str) -> list[str]:
    """The units of a kind that appear on a relation (others cannot stop anything)."""
    attribute = {"organisation": "supplier", "site": "site", "country": "country"}[kind]
    return sorted({u for r in network.relations.values() if (u := getattr(r, attribute))})


def minimal_cut_sets(network: SupplyNetwork, item: str, max_order: int, kind: str) -> list[tuple[str, ...]]:
    """Every minimal cut set of ``item`` up to ``max_order``, by trying every unit set."""
    units = units_of_kind(network, kind)
    found: list[tuple[str, ...]] = []
    for size in range(1, max_order + 1):
        for combo in combinations(units, size):
            chosen = set(combo)
            if any(set(smaller) <= chosen for smaller in found):
                continue  # a superset of a cut set is a cut set, but not a minimal one
            if item in unavailable_items(network, combo):
                found.append(combo)
    return sorted(found, key=lambda c: (len(c), c))


def spof_table(network: SupplyNetwork, kind: str) -> dict[str, list[str]]:
    """Unit → systems its failure alone stops (units that stop none are left out)."""
    table = {}
    for unit in units_of_kind(network, kind):
        dead = unavailable_items(network, [unit])
        systems = sorted(s for s in network.systems if s in dead)
        if systems:
            table[unit] = systems
    return table


def recompute_unavailable(skel: Skeleton, order: Sequence[list[int]], direct_down: bytearray) -> bytearray:
    """The naive baseline: recompute the availability of every item from scratch.

    One pass in children-first SCC order (a fixpoint loop inside cyclic components); linear in
    the network. "Remove each unit and recompute" calls this once per unit — what the bottom-up
    order-1 computation avoids.
    """
    rels, comps, rel_inputs = skel.rels, skel.comps, skel.rel_inputs
    unavailable = bytearray(len(skel.items))

    def dead(v: int) -> bool:
        if any(unavailable[c] for c in comps[v]):
            return True
        if not rels[v]:
            return False
        return all(direct_down[r] or any(unavailable[x] for x in rel_inputs[r]) for r in rels[v])

    for component in order:
        if len(component) == 1 and not is_cyclic(skel, component):
            v = component[0]
            if dead(v):
                unavailable[v] = 1
            continue
        changed = True
        while changed:
            changed = False
            for v in component:
                if not unavailable[v] and dead(v):
                    unavailable[v] = 1
                    changed = True
    return unavailable
