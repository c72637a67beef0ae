"""Cut-set algebra on the supply network, solved to the least fixpoint of CONTRACT §3.

For a failure set F, item i is unavailable iff i is in the least fixpoint of the §3 rules. Seen
as a monotone Boolean function of F, item i's function is

    φ_i = ∨_{c ∈ components(i)} φ_c  ∨  ∧_{R ∈ relations(i)} ( ∨_{u ∈ units(R)} u  ∨  ∨_{x ∈ inputs(R)} φ_x )

(the middle term only when i has relations; an item with neither relations nor components is
``false``). This is §3 with the components factored out of the AND over relations: every relation
of i needs all of i's components, so "all relations down" = "a component down, or all relations
down on their own account". A function is held as the family of its minimal true sets, i.e. its
minimal cut sets; ∨ is the union of families and ∧ the pairwise union ("product"), each minimised.

Truncating families to sets of at most k units commutes with ∨ and ∧ (a minimal set of size ≤ k
of φ∧ψ is the union of minimal sets of φ and ψ, each of size ≤ k), so the truncated system is
solved directly. Items are visited strongly connected component by component, children first;
inside a cyclic component (cycles through ``dp:requiresInput``) a worklist iterates from the
bottom (every family empty) upwards. The operator is monotone and the lattice finite, so this
chaotic iteration reaches exactly the least fixpoint — which is §3's "everything not reached
stays available".

Three representations share one solver:
- order 1: a frozenset of units per item (the units whose single failure stops it);
- order 2: (singletons, pairs) with pairs coded as ints ``a * M + b``, a < b;
- order k (3): a frozenset of frozensets, with a budget on the candidate sets examined.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import combinations
from typing import Any, TypeVar

from defport_kg.risk.index import Skeleton, UnitIndex, inner_parents, is_cyclic

V = TypeVar("V")
EMPTY: frozenset[Any] = frozenset()


def solve(
    skel: Skeleton,
    order: Sequence[list[int]],
    evaluate: Callable[[int], V],
    bottom: V,
    values: list[Any],
) -> None:
    """Fill ``values[i]`` for every item of ``order`` (SCCs, children first) with its fixpoint."""
    for component in order:
        if len(component) == 1 and not is_cyclic(skel, component):
            v = component[0]
            values[v] = evaluate(v)
            continue
        for v in component:
            values[v] = bottom
        parents = inner_parents(skel, component)
        pending = list(component)
        queued = set(component)
        while pending:
            v = pending.pop()
            queued.discard(v)
            new = evaluate(v)
            if new != values[v]:
                values[v] = new
                for p in parents[v]:
                    if p not in queued:
                        queued.add(p)
                        pending.append(p)


# -- order 1 --------------------------------------------------------------------------------


def order1(skel: Skeleton, units: UnitIndex, order: Sequence[list[int]]) -> list[frozenset[int]]:
    """Per item, the units whose failure alone makes it unavailable (items outside ``order``: ∅).

    OR-node: intersection over relations; AND-node: union. Cost is one pass over the network
    (plus the iterations inside cyclic SCCs) times the size of the sets — not one propagation per
    unit.
    """
    values: list[frozenset[int]] = [EMPTY] * len(skel.items)
    comps, rels, rel_inputs, rel_units = skel.comps, skel.rels, skel.rel_inputs, units.rel_units

    def evaluate(v: int) -> frozenset[int]:
        inter: set[int] | None = None
        for r in rels[v]:
            own = set(rel_units[r])
            for x in rel_inputs[r]:
                own |= values[x]
            if inter is None:
                inter = own
            else:
                inter &= own
            if not inter:
                break
        children = comps[v]
        if not children:
            return frozenset(inter) if inter else EMPTY
        if not inter and len(children) == 1:
            return values[children[0]]  # share the child's set: saves memory up deep chains
        acc: set[int] = inter if inter else set()
        for c in children:
            acc |= values[c]
        return frozenset(acc)

    solve(skel, order, evaluate, EMPTY, values)
    return values


# -- order 2 --------------------------------------------------------------------------------

Family2 = tuple[frozenset[int], frozenset[int]]
EMPTY2: Family2 = (EMPTY, EMPTY)


def union2(parts: Sequence[Family2], m: int) -> Family2:
    """∨ of order-2 families: union, dropping pairs that contain a singleton of another part."""
    live = [p for p in parts if p[0] or p[1]]
    if not live:
        return EMPTY2
    if len(live) == 1:
        return live[0]
    singles: set[int] = set()
    for s, _ in live:
        singles |= s
    pairs: set[int] = set()
    for s, p in live:
        if not p:
            continue
        if len(s) == len(singles):
            pairs |= p
            continue
        extra = singles - s
        for code in p:
            a, b = divmod(code, m)
            if a not in extra and b not in extra:
                pairs.add(code)
    return frozenset(singles), frozenset(pairs)


def product2(left: Family2, right: Family2, m: int) -> Family2:
    """∧ of order-2 families: minimal unions of one set of each, of size at most 2.

    Of the combinations only these give size ≤ 2: two singletons; a singleton inside a pair;
    two equal pairs. A pair of ``left`` holds no singleton of ``left`` (it is minimal), so it is
    never dominated by the new singletons ``left ∩ right``.
    """
    sa, pa = left
    sb, pb = right
    singles = sa & sb
    pairs: set[int] = set()
    only_a = sa - sb
    only_b = sb - sa
    if only_a and only_b:
        for x in only_a:
            for y in only_b:
                pairs.add(x * m + y if x < y else y * m + x)
    if pa and sb:
        for code in pa:
            a, b = divmod(code, m)
            if a in sb or b in sb:
                pairs.add(code)
    if pb and sa:
        for code in pb:
            a, b = divmod(code, m)
            if a in sa or b in sa:
                pairs.add(code)
    if pa and pb:
        pairs.update(pa & pb)
    return frozenset(singles), frozenset(pairs)


def order2(skel: Skeleton, units: UnitIndex, order: Sequence[list[int]]) -> list[Family2]:
    """Per item, its minimal cut sets of order ≤ 2 as (singletons, coded pairs)."""
    m = max(len(units.units), 1)
    values: list[Family2] = [EMPTY2] * len(skel.items)
    comps, rels, rel_inputs, rel_units = skel.comps, skel.rels, skel.rel_inputs, units.rel_units

    def evaluate(v: int) -> Family2:
        parts: list[Family2] = [values[c] for c in comps[v]]
        if rels[v]:
            acc: Family2 | None = None
            for r in rels[v]:
                own = union2([(frozenset(rel_units[r]), EMPTY), *(values[x] for x in rel_inputs[r])], m)
                acc = own if acc is None else product2(acc, own, m)
                if not acc[0] and not acc[1]:
                    break
            assert acc is not None
            parts.append(acc)
        return union2(parts, m)

    solve(skel, order, evaluate, EMPTY2, values)
    return values


def decode2(family: Family2, m: int) -> list[tuple[int, ...]]:
    """The cut sets of an order-2 family as sorted tuples of unit numbers."""
    out: list[tuple[int, ...]] = [(s,) for s in family[0]]
    out.extend(divmod(code, m) for code in family[1])
    return out


# -- order k (used for k = 3), with a budget ------------------------------------------------

FamilyK = frozenset[frozenset[int]]


class BoundReached(Exception):
    """The configured number of candidate sets was examined before the answer was complete."""


class Budget:
    """Counts candidate sets examined by products; raises BoundReached past the limit."""

    def __init__(self, limit: int) -> None:
        self.left = limit

    def spend(self, n: int) -> None:
        self.left -= n
        if self.left < 0:
            raise BoundReached


def minimise(candidates: set[frozenset[int]]) -> FamilyK:
    """Keep the sets that contain no other set of the family (sets of at most 3 units).

    Singletons always stay; a pair stays when it holds no singleton (one C-level ``isdisjoint``);
    a triple when it holds no singleton and none of its three pairs is kept.
    """
    singles: set[int] = set()
    pairs: list[frozenset[int]] = []
    larger: list[frozenset[int]] = []
    for c in candidates:
        size = len(c)
        if size == 1:
            singles.update(c)
        elif size == 2:
            pairs.append(c)
        else:
            larger.append(c)
    kept: set[frozenset[int]] = {frozenset((x,)) for x in singles}
    kept_pairs = {p for p in pairs if singles.isdisjoint(p)}
    kept |= kept_pairs
    for c in sorted(larger, key=len):  # only sets of 3 arise (k ≤ 3); larger ones last
        if not singles.isdisjoint(c):
            continue
        if len(c) == 3:
            a, b, d = c
            if frozenset((a, b)) in kept_pairs or frozenset((a, d)) in kept_pairs or frozenset((b, d)) in kept_pairs:
                continue
        elif any(frozenset(sub) in kept for n in range(2, len(c)) for sub in combinations(c, n)):
            continue
        kept.add(c)
    return frozenset(kept)


def unionk(parts: Sequence[FamilyK]) -> FamilyK:
    live = [p for p in parts if p]
    if not live:
        return frozenset()
    if len(live) == 1:
        return live[0]
    return minimise(set().union(*live))


def _has_subset_in(candidate: frozenset[int], family: FamilyK) -> bool:
    return any(
        frozenset(sub) in family for size in range(1, len(candidate) + 1) for sub in combinations(candidate, size)
    )


def productk(left: FamilyK, right: FamilyK, k: int, budget: Budget) -> FamilyK:
    """∧ of families of sets of size ≤ k (k ≤ 3), examining only combinations that can fit.

    A set of ``left`` that already contains a set of ``right`` is its own product (every other
    union with it is a superset). Otherwise |a ∪ b| ≤ k leaves few cases — with a singleton
    {x}: any set of size < k, or one of size k holding x; with a pair: any singleton, a pair
    sharing an element, a triple holding the pair — found through an index by element instead
    of trying all |left|·|right| combinations. The budget counts the combinations examined.
    """
    if not left or not right:
        return frozenset()
    if len(left) > len(right):
        left, right = right, left
    small: list[frozenset[int]] = []
    singles: list[frozenset[int]] = []
    by_element: dict[int, list[frozenset[int]]] = {}
    for b in right:
        if len(b) == 1:
            singles.append(b)
        if len(b) < k:
            small.append(b)
        for x in b:
            by_element.setdefault(x, []).append(b)
    candidates: set[frozenset[int]] = set()
    examined = 0
    for a in left:
        if _has_subset_in(a, right):
            candidates.add(a)
            continue
        size = len(a)
        if size == 1:
            (x,) = a
            examined += len(small)
            candidates.update(a | b for b in small)
            for b in by_element.get(x, ()):
                if len(b) == k:
                    examined += 1
                    candidates.add(b)
        elif size == 2 and k >= 3:
            examined += len(singles)
            candidates.update(a | b for b in singles)
            seen: set[frozenset[int]] = set()
            for x in a:
                for b in by_element.get(x, ()):
                    if b in seen:
                        continue
                    seen.add(b)
                    examined += 1
                    union = a | b
                    if len(union) <= k:
                        candidates.add(union)
        elif size < k:
            examined += len(singles)
            candidates.update(u for b in singles if len(u := a | b) <= k)
        if examined > 10_000:
            budget.spend(examined)
            examined = 0
    budget.spend(examined)
    return minimise(candidates)


def orderk(skel: Skeleton, units: UnitIndex, order: Sequence[list[int]], k: int, budget: Budget) -> list[FamilyK]:
    """Per item, its minimal cut sets of order ≤ k; raises BoundReached when over budget."""
    empty: FamilyK = frozenset()
    values: list[FamilyK] = [empty] * len(skel.items)
    comps, rels, rel_inputs, rel_units = skel.comps, skel.rels, skel.rel_inputs, units.rel_units

    def evaluate(v: int) -> FamilyK:
        parts: list[FamilyK] = [values[c] for c in comps[v]]
        if rels[v]:
            acc: FamilyK | None = None
            for r in rels[v]:
                own = unionk([frozenset(frozenset((u,)) for u in rel_units[r]), *(values[x] for x in rel_inputs[r])])
                acc = own if acc is None else productk(acc, own, k, budget)
                if not acc:
                    break
            assert acc is not None
            parts.append(acc)
        return unionk(parts)

    solve(skel, order, evaluate, empty, values)
    return values
