"""Failure propagation of CONTRACT §3 for one given set of failed units (the what-if).

A worklist marks only what the failures force: a relation goes down when one of its units
failed or a component of its item or one of its inputs became unavailable; an item with
relations becomes unavailable when its last relation goes down; an item without relations when
a component does. Nothing is ever assumed unavailable, so cycles that failure does not reach stay
available: this computes the least fixpoint, in time linear in what the failure touches.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from defport_kg.risk.index import Skeleton, skeleton
from defport_kg.risk.model import SupplyNetwork


@dataclass(frozen=True, slots=True)
class Outcome:
    """Which items are unavailable and which relations are down (indexed by the skeleton)."""

    unavailable: bytearray
    down: bytearray


def relations_by_unit(network: SupplyNetwork) -> dict[str, tuple[int, ...]]:
    """Any unit IRI (organisation, site or country) → the relations it takes down directly."""
    cached = network.cache.get("relations_by_unit")
    if cached is not None:
        return cached
    skel = skeleton(network)
    table: dict[str, list[int]] = defaultdict(list)
    for r, iri in enumerate(skel.rel_iris):
        relation = network.relations[iri]
        # A set: a supplier that is also its own site's country (nonsense data) counts once.
        for unit in {relation.supplier, relation.site, relation.country}:
            if unit is not None:
                table[unit].append(r)
    result = {u: tuple(rs) for u, rs in table.items()}
    network.cache["relations_by_unit"] = result
    return result


def propagate_relations(skel: Skeleton, direct: Iterable[int], dead_items: Iterable[int] = ()) -> Outcome:
    """Propagate from relations that are down on their own account (their unit failed).

    ``dead_items`` are items taken away outright (e.g. every item under an export-control regime,
    or a raw material): they are unavailable whatever their relations say.
    """
    rels, rel_item, comp_parents, input_rels = (
        skel.rels,
        skel.rel_item,
        skel.comp_parents,
        skel.input_rels,
    )
    down = bytearray(len(skel.rel_iris))
    unavailable = bytearray(len(skel.items))
    down_count = [0] * len(skel.items)
    queue: list[int] = []

    def take_down(r: int) -> None:
        if down[r]:
            return
        down[r] = 1
        i = rel_item[r]
        down_count[i] += 1
        if down_count[i] == len(rels[i]) and not unavailable[i]:
            unavailable[i] = 1
            queue.append(i)

    for r in direct:
        take_down(r)
    for i in dead_items:
        if not unavailable[i]:
            unavailable[i] = 1
            queue.append(i)
    while queue:
        c = queue.pop()
        for a in comp_parents[c]:
            if rels[a]:
                for r in rels[a]:
                    take_down(r)
            elif not unavailable[a]:
                unavailable[a] = 1
                queue.append(a)
        for r in input_rels[c]:
            take_down(r)
    return Outcome(unavailable, down)


def propagate(network: SupplyNetwork, failed: Iterable[str]) -> Outcome:
    """The §3 outcome of a set of failed units of any mix of kinds."""
    by_unit = relations_by_unit(network)
    direct = {r for unit in set(failed) for r in by_unit.get(unit, ())}
    return propagate_relations(skeleton(network), sorted(direct))
