"""The cut-set algebra's ∧ and ∨ against their definitions, on random families of unit sets."""

from __future__ import annotations

from itertools import combinations

from hypothesis import given, settings
from hypothesis import strategies as st

from defport_kg.risk.algebra import (
    Budget,
    decode2,
    minimise,
    product2,
    productk,
    union2,
    unionk,
)

UNITS = 6
unit_sets = st.frozensets(st.integers(0, UNITS - 1), min_size=1, max_size=3)
families = st.frozensets(unit_sets, max_size=8).map(lambda f: minimise(set(f)))


def by_definition_min(sets: set[frozenset[int]]) -> frozenset[frozenset[int]]:
    return frozenset(s for s in sets if not any(t < s for t in sets))


def product_by_definition(a, b, k: int):
    return by_definition_min({x | y for x in a for y in b if len(x | y) <= k})


def truncate(family, k: int):
    return frozenset(s for s in family if len(s) <= k)


def as_family2(family) -> tuple[frozenset[int], frozenset[int]]:
    singles = frozenset(next(iter(s)) for s in family if len(s) == 1)
    pairs = frozenset(min(s) * UNITS + max(s) for s in family if len(s) == 2)
    return singles, pairs


def from_family2(family2) -> frozenset[frozenset[int]]:
    return frozenset(frozenset(c) for c in decode2(family2, UNITS))


@settings(max_examples=300, deadline=None)
@given(families, families)
def test_product_k_is_the_minimal_unions_of_size_at_most_k(a, b) -> None:
    for k in (1, 2, 3):
        left, right = truncate(a, k), truncate(b, k)
        assert productk(left, right, k, Budget(10**9)) == product_by_definition(left, right, k)


@settings(max_examples=300, deadline=None)
@given(families, families)
def test_order_2_product_and_union_agree_with_the_definition(a, b) -> None:
    left, right = truncate(a, 2), truncate(b, 2)
    got = from_family2(product2(as_family2(left), as_family2(right), UNITS))
    assert got == product_by_definition(left, right, 2)
    union = from_family2(union2([as_family2(left), as_family2(right)], UNITS))
    assert union == by_definition_min(set(left | right))


@settings(max_examples=300, deadline=None)
@given(st.lists(families, max_size=4))
def test_union_k_and_minimise(parts) -> None:
    expected = by_definition_min(set().union(*parts)) if parts else frozenset()
    assert unionk(parts) == expected
    everything = {frozenset(c) for n in (1, 2, 3) for c in combinations(range(4), n)}
    assert minimise(everything) == frozenset(frozenset((x,)) for x in range(4))
