"""Random small supply networks and an independent formulation of the §3b programmes.

The production code builds one balance row per item over relation columns, from the risk
engine's network read out of a store. This module builds, straight from the random *spec*, an
edge-flow model instead: a flow variable for every (producer → consumer, item) pair, equality
rows for what each consumer needs and inequality rows for what each producer can give, solved
with a different HiGHS method. Agreement of the two on many random networks checks the model
(quantities, inputs, in-house assembly, failures) and the reading of the data, not just the solver.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from hypothesis import strategies as st
from scipy.optimize import linprog

LAMBDA_CAP = 1e6  # larger than any bounded answer the strategy can produce: hitting it means unbounded
QUANTITIES = (0.5, 1.0, 1.0, 2.0, 3.0)


@dataclass
class Relation:
    name: str
    item: int
    supplier: int
    capacity: float | None
    inputs: tuple[int, ...] = ()
    share: float | None = None


@dataclass
class Spec:
    n_items: int
    systems: tuple[int, ...]
    demand: dict[int, float | None]
    components: dict[int, dict[int, float]]  # assembly → component → quantity (a DAG: component > assembly)
    relations: list[Relation]
    org_country: dict[int, str]
    stock_days: dict[int, float] = field(default_factory=dict)

    def to_turtle(self) -> str:
        lines = []
        for i in range(self.n_items):
            kind = "dp:System" if i in self.systems else "dp:Component"
            extra = ""
            if self.demand.get(i) is not None:
                extra += f" ; dp:monthlyDemand {self.demand[i]}"
            if i in self.stock_days:
                extra += f" ; dp:stockDays {self.stock_days[i]}"
            lines.append(f"i:n{i} a {kind}{extra} .")
        use = 0
        for a, parts in self.components.items():
            for c, q in parts.items():
                if q == 1.0 and (a + c) % 2 == 0:
                    lines.append(f"i:n{a} dp:hasComponent i:n{c} .")
                else:
                    # Split into two ComponentUse nodes that add up, to exercise the sum.
                    half = q / 2
                    for _ in range(2):
                        lines.append(
                            f"_:u{use} a dp:ComponentUse ; dp:assembly i:n{a} ; dp:component i:n{c} ; "
                            f"dp:quantity {half} ."
                        )
                        use += 1
        for o, code in self.org_country.items():
            lines.append(f"o:x{o} a dp:Company ; dp:country c:{code} .")
        for r in self.relations:
            text = f"s:{r.name} a dp:SupplyRelation ; dp:supplier o:x{r.supplier} ; dp:item i:n{r.item}"
            if r.capacity is not None:
                text += f" ; dp:monthlyCapacity {r.capacity}"
            if r.share is not None:
                text += f" ; dp:share {r.share}"
            for x in r.inputs:
                text += f" ; dp:requiresInput i:n{x}"
            lines.append(text + " .")
        return "\n".join(lines) + "\n"


@st.composite
def specs(draw: st.DrawFn, max_items: int = 6, max_systems: int = 2, stock: bool = False) -> Spec:
    n = draw(st.integers(2, max_items))
    n_systems = draw(st.integers(1, min(max_systems, n - 1)))
    systems = tuple(range(n_systems))
    demand = {s: draw(st.sampled_from([None, 1.0, 2.0, 5.0])) for s in systems}
    components: dict[int, dict[int, float]] = {}
    for a in range(n):
        for c in range(a + 1, n):
            if draw(st.booleans()) and draw(st.booleans()):
                components.setdefault(a, {})[c] = draw(st.sampled_from(QUANTITIES))
    n_orgs = draw(st.integers(1, 4))  # few organisations: suppliers are shared
    countries = ("NL", "DE", "FR")
    org_country = {o: draw(st.sampled_from(countries)) for o in range(n_orgs)}
    relations = []
    for i in range(n):
        for k in range(draw(st.sampled_from([0, 1, 1, 2, 2, 3]))):
            capacity = None if draw(st.integers(0, 4)) == 0 else float(draw(st.integers(0, 20)))
            inputs = tuple(sorted(set(draw(st.lists(st.integers(0, n - 1), max_size=2))) - {i}))
            if draw(st.integers(0, 3)) != 0:  # inputs on a quarter of the relations
                inputs = ()
            share = draw(st.sampled_from([None, 0.5, 1.0]))
            relations.append(Relation(f"r{i}x{k}", i, draw(st.integers(0, n_orgs - 1)), capacity, inputs, share))
    stock_days = {}
    if stock:
        for i in range(n):
            if draw(st.booleans()):
                stock_days[i] = float(draw(st.integers(0, 60)))
    return Spec(n, systems, demand, components, relations, org_country, stock_days)


Producer = tuple[str, int, float | None, dict[int, float]]


def _producers(spec: Spec, failed_orgs: set[int], failed_countries: set[str]) -> list[Producer]:
    """(name, item, capacity, needs) of every producer that is not directly failed."""
    by_item: dict[int, list[Relation]] = {}
    for r in spec.relations:
        by_item.setdefault(r.item, []).append(r)
    producers = []
    for i in range(spec.n_items):
        parts = spec.components.get(i, {})
        if i in by_item:
            for r in by_item[i]:
                if r.supplier in failed_orgs or spec.org_country[r.supplier] in failed_countries:
                    continue
                needs = dict(parts)
                for x in r.inputs:
                    needs[x] = needs.get(x, 0.0) + 1.0
                producers.append((r.name, i, r.capacity, needs))
        else:
            producers.append((f"inhouse{i}", i, None, dict(parts)))
    return producers


def edge_flow_max_output(
    spec: Spec,
    systems: tuple[int, ...],
    failed_orgs: set[int] = frozenset(),  # type: ignore[assignment]
    failed_countries: set[str] = frozenset(),  # type: ignore[assignment]
    capacity_override: dict[str, float] | None = None,
) -> float | None:
    """λ by the edge-flow formulation; None when unbounded."""
    producers = _producers(spec, set(failed_orgs), set(failed_countries))
    overrides = capacity_override or {}
    # Variables: λ, p_k per producer, f per (producer k of item I → consumer k' needing I), g per (k → system).
    index = {"lambda": 0}
    for k, _ in enumerate(producers):
        index[("p", k)] = len(index)
    producers_of: dict[int, list[int]] = {}
    for k, (_, i, _, _) in enumerate(producers):
        producers_of.setdefault(i, []).append(k)
    for kc, (_, _, _, needs) in enumerate(producers):
        for needed in needs:
            for kp in producers_of.get(needed, []):
                index[("f", kp, kc, needed)] = len(index)
    for s in systems:
        for kp in producers_of.get(s, []):
            index[("g", kp, s)] = len(index)
    n = len(index)
    a_eq, b_eq, a_ub, b_ub = [], [], [], []
    for kc, (_, _, _, needs) in enumerate(producers):
        for needed, amount in needs.items():
            row = np.zeros(n)
            for kp in producers_of.get(needed, []):
                row[index[("f", kp, kc, needed)]] = 1.0
            row[index[("p", kc)]] -= amount
            a_eq.append(row)
            b_eq.append(0.0)
    for kp in range(len(producers)):
        row = np.zeros(n)
        for key, j in index.items():
            if isinstance(key, tuple) and key[0] in ("f", "g") and key[1] == kp:
                row[j] = 1.0
        row[index[("p", kp)]] -= 1.0
        a_ub.append(row)
        b_ub.append(0.0)
    for s in systems:
        row = np.zeros(n)
        for kp in producers_of.get(s, []):
            row[index[("g", kp, s)]] = 1.0
        row[0] = -(spec.demand.get(s) or 1.0)
        a_eq.append(row)
        b_eq.append(0.0)
    bounds = [(0.0, LAMBDA_CAP)] + [(0.0, None)] * (n - 1)
    for k, (name, _, capacity, _) in enumerate(producers):
        cap = overrides.get(name, capacity)
        if cap is not None:
            bounds[index[("p", k)]] = (0.0, cap)
    c = np.zeros(n)
    c[0] = -1.0
    result = linprog(
        c,
        A_ub=np.array(a_ub) if a_ub else None,
        b_ub=np.array(b_ub) if b_ub else None,
        A_eq=np.array(a_eq) if a_eq else None,
        b_eq=np.array(b_eq) if b_eq else None,
        bounds=bounds,
        method="highs-ipm",
    )
    assert result.status == 0, result.message
    level = float(result.x[0])
    return None if level > LAMBDA_CAP / 2 else level


def edge_flow_surge(spec: Spec, systems: tuple[int, ...], target: float) -> float | None:
    """Least total added capacity by the edge-flow formulation; None when infeasible."""
    producers = _producers(spec, set(), set())
    index: dict[object, int] = {}
    for k, _ in enumerate(producers):
        index[("p", k)] = len(index)
    capped = [k for k, p in enumerate(producers) if p[2] is not None]
    for k in capped:
        index[("d", k)] = len(index)
    producers_of: dict[int, list[int]] = {}
    for k, (_, i, _, _) in enumerate(producers):
        producers_of.setdefault(i, []).append(k)
    for kc, (_, _, _, needs) in enumerate(producers):
        for needed in needs:
            for kp in producers_of.get(needed, []):
                index[("f", kp, kc, needed)] = len(index)
    for s in systems:
        for kp in producers_of.get(s, []):
            index[("g", kp, s)] = len(index)
    n = len(index)
    a_eq, b_eq, a_ub, b_ub = [], [], [], []
    for kc, (_, _, _, needs) in enumerate(producers):
        for needed, amount in needs.items():
            row = np.zeros(n)
            for kp in producers_of.get(needed, []):
                row[index[("f", kp, kc, needed)]] = 1.0
            row[index[("p", kc)]] -= amount
            a_eq.append(row)
            b_eq.append(0.0)
    for kp in range(len(producers)):
        row = np.zeros(n)
        for key, j in index.items():
            if isinstance(key, tuple) and key[0] in ("f", "g") and key[1] == kp:
                row[j] = 1.0
        row[index[("p", kp)]] -= 1.0
        a_ub.append(row)
        b_ub.append(0.0)
    for k in capped:
        row = np.zeros(n)
        row[index[("p", k)]] = 1.0
        row[index[("d", k)]] = -1.0
        a_ub.append(row)
        b_ub.append(producers[k][2])
    for s in systems:
        row = np.zeros(n)
        for kp in producers_of.get(s, []):
            row[index[("g", kp, s)]] = 1.0
        a_eq.append(row)
        b_eq.append(target * (spec.demand.get(s) or 1.0))
    c = np.zeros(n)
    for k in capped:
        c[index[("d", k)]] = 1.0
    result = linprog(
        c,
        A_ub=np.array(a_ub),
        b_ub=np.array(b_ub),
        A_eq=np.array(a_eq),
        b_eq=np.array(b_eq),
        bounds=[(0.0, None)] * n,
        method="highs-ipm",
    )
    if result.status == 2:
        return None
    assert result.status == 0, result.message
    return float(result.fun)
