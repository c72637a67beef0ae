"""The integer-indexed form of the supply network that the algorithms run on.

The analyses' inner loops touch every item and relation many times; indexing them by small
integers (tuples of ints instead of dicts of IRI strings) makes those loops several times
faster and lets unit sets and cut sets be plain ``set[int]``. The skeleton (items, relations,
components, inputs, strongly connected components) does not depend on the failure unit kind and
is built once per network; the unit index is built once per kind. Both are cached on the
network, so every analysis shares them.
"""

from __future__ import annotations

from dataclasses import dataclass

from defport_kg.errors import UsageError
from defport_kg.risk.model import SupplyNetwork

UNIT_KINDS: tuple[str, ...] = ("organisation", "site", "country")


def check_unit_kind(kind: str) -> str:
    """The unit kind, or a UsageError naming it and the kinds there are (CONTRACT §4: exit 2)."""
    if kind not in UNIT_KINDS:
        raise UsageError(f"unknown unit kind {kind!r}: use one of {', '.join(UNIT_KINDS)}", unit=kind)
    return kind


@dataclass(frozen=True, slots=True)
class Skeleton:
    """Items and relations as integers. ``deps[i]``: items that item i's availability reads."""

    items: tuple[str, ...]
    item_index: dict[str, int]
    comps: tuple[tuple[int, ...], ...]
    rels: tuple[tuple[int, ...], ...]
    rel_iris: tuple[str, ...]
    rel_index: dict[str, int]
    rel_item: tuple[int, ...]
    rel_inputs: tuple[tuple[int, ...], ...]
    deps: tuple[tuple[int, ...], ...]
    comp_parents: tuple[tuple[int, ...], ...]
    input_rels: tuple[tuple[int, ...], ...]
    is_system: tuple[bool, ...]


@dataclass(frozen=True, slots=True)
class UnitIndex:
    """The failure units of one kind as integers; ``rel_units[r]``: the units that take r down."""

    kind: str
    units: tuple[str, ...]
    unit_index: dict[str, int]
    rel_units: tuple[tuple[int, ...], ...]


def skeleton(network: SupplyNetwork) -> Skeleton:
    """The network's skeleton, built on first use and cached on the network."""
    cached = network.cache.get("skeleton")
    if cached is not None:
        return cached
    items = tuple(sorted(network.items))
    item_index = {iri: i for i, iri in enumerate(items)}
    rel_iris = tuple(sorted(network.relations))
    rel_index = {iri: r for r, iri in enumerate(rel_iris)}
    rel_item = tuple(item_index[network.relations[iri].item] for iri in rel_iris)
    rel_inputs = tuple(tuple(sorted({item_index[x] for x in network.relations[iri].inputs})) for iri in rel_iris)
    rels_of: list[list[int]] = [[] for _ in items]
    for r, i in enumerate(rel_item):
        rels_of[i].append(r)
    comps = tuple(tuple(sorted(item_index[c] for c in network.components.get(iri, {}))) for iri in items)
    deps = []
    comp_parents: list[list[int]] = [[] for _ in items]
    input_rels: list[list[int]] = [[] for _ in items]
    for i in range(len(items)):
        needed = set(comps[i])
        for c in comps[i]:
            comp_parents[c].append(i)
        for r in rels_of[i]:
            needed.update(rel_inputs[r])
            for x in rel_inputs[r]:
                input_rels[x].append(r)
        deps.append(tuple(sorted(needed)))
    result = Skeleton(
        items=items,
        item_index=item_index,
        comps=comps,
        rels=tuple(tuple(r) for r in rels_of),
        rel_iris=rel_iris,
        rel_index=rel_index,
        rel_item=rel_item,
        rel_inputs=rel_inputs,
        deps=tuple(deps),
        comp_parents=tuple(tuple(p) for p in comp_parents),
        input_rels=tuple(tuple(r) for r in input_rels),
        is_system=tuple(network.items[iri].is_system for iri in items),
    )
    network.cache["skeleton"] = result
    return result


def unit_universe(network: SupplyNetwork, kind: str) -> frozenset[str]:
    """Every known unit of a kind (a unit on no relation is known, but can stop nothing)."""
    check_unit_kind(kind)
    if kind == "organisation":
        return network.organisations
    if kind == "site":
        return frozenset(network.sites)
    return network.countries


def unit_index(network: SupplyNetwork, kind: str) -> UnitIndex:
    """The units of one kind that appear on some relation, as integers (cached per kind)."""
    check_unit_kind(kind)
    key = "units:" + kind
    cached = network.cache.get(key)
    if cached is not None:
        return cached
    skel = skeleton(network)
    attribute = {"organisation": "supplier", "site": "site", "country": "country"}[kind]
    per_relation = [getattr(network.relations[iri], attribute) for iri in skel.rel_iris]
    units = tuple(sorted({u for u in per_relation if u is not None}))
    index = {u: n for n, u in enumerate(units)}
    result = UnitIndex(
        kind=kind,
        units=units,
        unit_index=index,
        rel_units=tuple(() if u is None else (index[u],) for u in per_relation),
    )
    network.cache[key] = result
    return result


def strongly_connected(deps: tuple[tuple[int, ...], ...], roots: list[int] | range) -> list[list[int]]:
    """SCCs reachable from ``roots``, each after every SCC it depends on (iterative Tarjan).

    Own implementation rather than NetworkX: it runs on the int skeleton without building a
    graph object, which matters at 10^5-10^6 nodes, and it can stop at the cone of one item.
    """
    n = len(deps)
    index = [-1] * n
    low = [0] * n
    on_stack = bytearray(n)
    stack: list[int] = []
    result: list[list[int]] = []
    counter = 0
    for root in roots:
        if index[root] != -1:
            continue
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack[root] = 1
        work = [(root, 0)]
        while work:
            v, position = work[-1]
            children = deps[v]
            if position < len(children):
                work[-1] = (v, position + 1)
                w = children[position]
                if index[w] == -1:
                    index[w] = low[w] = counter
                    counter += 1
                    stack.append(w)
                    on_stack[w] = 1
                    work.append((w, 0))
                elif on_stack[w] and index[w] < low[v]:
                    low[v] = index[w]
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                if low[v] < low[parent]:
                    low[parent] = low[v]
            if low[v] == index[v]:
                component = []
                while True:
                    w = stack.pop()
                    on_stack[w] = 0
                    component.append(w)
                    if w == v:
                        break
                result.append(component)
    return result


def evaluation_order(network: SupplyNetwork, root: int | None = None) -> list[list[int]]:
    """SCCs of the item graph in children-first order: all items, or the cone of ``root``."""
    skel = skeleton(network)
    if root is not None:
        return strongly_connected(skel.deps, [root])
    cached = network.cache.get("order")
    if cached is None:
        cached = strongly_connected(skel.deps, range(len(skel.items)))
        network.cache["order"] = cached
    return cached


def is_cyclic(skel: Skeleton, component: list[int]) -> bool:
    """True for an SCC that needs a fixpoint iteration (more than one item, or a self-loop)."""
    if len(component) > 1:
        return True
    v = component[0]
    return v in skel.deps[v]


def inner_parents(skel: Skeleton, component: list[int]) -> dict[int, list[int]]:
    """Within one SCC: item → the items of the same SCC that read it (the worklist's edges)."""
    members = set(component)
    parents: dict[int, list[int]] = {v: [] for v in component}
    for v in component:
        for w in skel.deps[v]:
            if w in members:
                parents[w].append(v)
    return parents


def cone(network: SupplyNetwork, item: str) -> list[int]:
    """The item's supply tree as skeleton indexes: itself and every item it reaches through
    components and supplier-specific inputs, at any depth (cached per item)."""
    key = "cone:" + item
    cached = network.cache.get(key)
    if cached is None:
        skel = skeleton(network)
        start = skel.item_index[item]
        seen = {start}
        stack = [start]
        while stack:
            for w in skel.deps[stack.pop()]:
                if w not in seen:
                    seen.add(w)
                    stack.append(w)
        cached = sorted(seen)
        network.cache[key] = cached
    return cached
