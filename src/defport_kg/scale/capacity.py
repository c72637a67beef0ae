"""The capacity model of CONTRACT §3b as a sparse matrix, shared by every scale-up analysis.

Max output, surge and time-to-survive are three linear programmes over the same balance rows
(one per item: production ≥ consumption + final output) and the same columns (one per supply
relation that is up, one per item assembled in-house); they differ only in the objective, the
right-hand side and a few extra columns. Building the rows once here keeps the three in
agreement about what "consumes" and "produces" mean, which is where such models go wrong.

Only the *cone* of the requested systems is built: the items their production can reach through
relations that are up and in-house assemblies. Items outside the cone take no part in any
constraint that matters (producing nothing is always feasible for them), so leaving them out
changes no answer and keeps the 100,000-organisation model small.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy import sparse
from scipy.optimize import linprog

from defport_kg.errors import AnalysisError, NotFoundError, UsageError
from defport_kg.risk.model import SupplyNetwork

# Tolerances: HiGHS solves to about 1e-7 relative; anything below these is solver noise.
VALUE_TOL = 1e-7
DUAL_TOL = 1e-9


@dataclass(frozen=True)
class CapacityModel:
    """The balance rows and production columns of §3b for the cone of ``systems``.

    ``flow[i, j]`` is what one unit of column ``j`` does to item row ``i``: −1 for the item it
    produces, +quantity for each component of that item, +1 for each ``dp:requiresInput`` of the
    relation. So ``flow @ z ≤ −final`` is "production ≥ consumption + final output".
    Columns are the up relations of the cone (``relations``) followed by the in-house items
    (``inhouse``); ``capacity[j]`` is the monthly capacity of relation column ``j`` (``inf``
    when it has none).
    """

    systems: tuple[str, ...]
    demand: tuple[float, ...]
    items: tuple[str, ...]
    item_row: Mapping[str, int]
    relations: tuple[str, ...]
    inhouse: tuple[str, ...]
    capacity: np.ndarray
    flow: sparse.csc_matrix
    unavailable: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def n_columns(self) -> int:
        return len(self.relations) + len(self.inhouse)

    def column_iri(self, j: int) -> str:
        """The relation IRI of a column, or the item IRI of an in-house column."""
        if j < len(self.relations):
            return self.relations[j]
        return self.inhouse[j - len(self.relations)]

    def producer_columns(self) -> dict[int, list[int]]:
        """Item row → the columns that produce it (coefficient −1 on its own row)."""
        table: dict[int, list[int]] = {}
        indptr, indices, data = self.flow.indptr, self.flow.indices, self.flow.data
        for j in range(self.n_columns):
            for k in range(indptr[j], indptr[j + 1]):
                if data[k] < 0:
                    table.setdefault(int(indices[k]), []).append(j)
        return table

    def requirements(self, j: int) -> list[int]:
        """The item rows column ``j`` consumes from."""
        start, end = self.flow.indptr[j], self.flow.indptr[j + 1]
        return [int(i) for i, v in zip(self.flow.indices[start:end], self.flow.data[start:end], strict=True) if v > 0]

    def size(self) -> dict[str, int]:
        """Model size as reported by the analyses and the benchmark."""
        return {
            "items": len(self.items),
            "relations": len(self.relations),
            "inhouse": len(self.inhouse),
            "nonzeros": int(self.flow.nnz),
        }


def check_systems(network: SupplyNetwork, systems: Iterable[str]) -> tuple[str, ...]:
    """The requested systems, deduplicated in the order given; unknown ones are NotFoundError."""
    chosen = tuple(dict.fromkeys(systems))
    if not chosen:
        raise UsageError("name at least one system (an item IRI such as dpid:item/x)")
    for system in chosen:
        if system not in network.items:
            raise NotFoundError(f"unknown system {system}: it is not an item of the live data", item=system)
    return chosen


def check_item(network: SupplyNetwork, item: str) -> str:
    """The item, or NotFoundError naming it (CONTRACT §4 exit 2, §5 404)."""
    if item not in network.items:
        raise NotFoundError(f"unknown item {item}: it is not an item of the live data", item=item)
    return item


def demand_of(network: SupplyNetwork, systems: Sequence[str]) -> tuple[float, ...]:
    """d_s of §3b: ``dp:monthlyDemand`` or 1; a zero (or negative) demand is an error naming the system.

    Zero demand is refused rather than dropped because "at the demand ratio" would then pin that
    system's output to zero, which is almost never what the caller meant to ask.
    """
    values = []
    for system in systems:
        demand = network.items[system].monthly_demand
        if demand is None:
            values.append(1.0)
            continue
        if not demand > 0 or not math.isfinite(demand):
            raise AnalysisError(
                f"system {system} has dp:monthlyDemand {demand:g}: output at the demand ratio would be 0 "
                "whatever the capacity; leave it out of the request or give it a positive demand",
                system=system,
            )
        values.append(float(demand))
    return tuple(values)


def build_model(
    network: SupplyNetwork,
    systems: Sequence[str],
    demand: Sequence[float],
    down: frozenset[str] = frozenset(),
) -> CapacityModel:
    """The §3b rows and columns for the cone of ``systems``, with the relations in ``down`` left out."""
    relations_of = network.relations_of
    components = network.components
    relations = network.relations
    item_row: dict[str, int] = {}
    items: list[str] = []
    rel_cols: list[str] = []
    inhouse: list[str] = []
    unavailable: list[str] = []
    # Column entries are gathered per kind, then numbered: relations first, in-house after.
    rel_entries: list[list[tuple[str, float]]] = []
    own_entries: list[list[tuple[str, float]]] = []

    stack = list(reversed(systems))
    for system in systems:
        if system not in item_row:
            item_row[system] = len(items)
            items.append(system)
    seen = set(systems)
    while stack:
        item = stack.pop()
        parts = components.get(item, {})
        rels = relations_of.get(item, ())
        needed: set[str] = set()
        if rels:
            up = [r for r in rels if r not in down]
            if not up:
                unavailable.append(item)
            for r in up:
                entries = [(item, -1.0)]
                entries.extend((c, float(q)) for c, q in parts.items())
                inputs = relations[r].inputs
                entries.extend((x, 1.0) for x in inputs)
                rel_cols.append(r)
                rel_entries.append(entries)
                needed.update(parts)
                needed.update(inputs)
        else:
            inhouse.append(item)
            own_entries.append([(item, -1.0), *((c, float(q)) for c, q in parts.items())])
            needed.update(parts)
        for other in sorted(needed, reverse=True):
            if other not in seen:
                seen.add(other)
                item_row[other] = len(items)
                items.append(other)
                stack.append(other)

    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    for j, entries in enumerate(rel_entries + own_entries):
        for iri, value in entries:
            rows.append(item_row[iri])
            cols.append(j)
            vals.append(value)
    n_cols = len(rel_cols) + len(inhouse)
    flow = sparse.csc_matrix(
        (np.asarray(vals, dtype=float), (np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64))),
        shape=(len(items), n_cols),
    )
    flow.sum_duplicates()  # an item that is both component and input is consumed for both
    capacity = np.full(len(rel_cols), np.inf)
    for j, r in enumerate(rel_cols):
        value = relations[r].monthly_capacity
        if value is not None and math.isfinite(value):
            capacity[j] = max(float(value), 0.0)
    return CapacityModel(
        systems=tuple(systems),
        demand=tuple(float(d) for d in demand),
        items=tuple(items),
        item_row=item_row,
        relations=tuple(rel_cols),
        inhouse=tuple(inhouse),
        capacity=capacity,
        flow=flow,
        unavailable=tuple(sorted(unavailable)),
    )


def requirement_matrix(network: SupplyNetwork, model: CapacityModel) -> sparse.csc_matrix:
    """M[i, j]: units of item i used per unit of item j made (components + share-weighted inputs)."""
    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    row_of = model.item_row
    for iri, j in row_of.items():
        for component, quantity in network.components.get(iri, {}).items():
            if component in row_of:
                rows.append(row_of[component])
                cols.append(j)
                vals.append(float(quantity))
        relations = network.relations_of.get(iri, ())
        if not relations:
            continue
        shares = [network.relations[r].share for r in relations]
        if all(s is not None and s > 0 for s in shares):
            total = float(sum(shares))  # type: ignore[arg-type]
            weights = [float(s) / total for s in shares]  # type: ignore[arg-type]
        else:
            weights = [1.0 / len(relations)] * len(relations)
        for r, weight in zip(relations, weights, strict=True):
            for needed in network.relations[r].inputs:
                if needed in row_of:
                    rows.append(row_of[needed])
                    cols.append(j)
                    vals.append(weight)
    n = len(model.items)
    return sparse.csc_matrix((vals, (rows, cols)), shape=(n, n))


def acyclic_requirement(model: CapacityModel, matrix: sparse.csc_matrix, daily: np.ndarray) -> dict[str, float]:
    """r = daily + M·r along a depth-first order from the systems, edges back into the path dropped.

    Exact on acyclic bills of materials; on a supply cycle it leaves out the cycle's feedback,
    which is what keeps it finite where the exact solve is singular.
    """
    n = len(model.items)
    # Depth-first from the systems; an edge into an item on the current path closes a cycle: dropped.
    order: list[int] = []
    state = [0] * n  # 0 new, 1 on path, 2 done
    kept: list[list[tuple[int, float]]] = [[] for _ in range(n)]
    for root in (model.item_row[s] for s in model.systems):
        if state[root]:
            continue
        state[root] = 1
        work = [(root, iter(range(matrix.indptr[root], matrix.indptr[root + 1])))]
        while work:
            v, edges = work[-1]
            advanced = False
            for k in edges:
                w = int(matrix.indices[k])
                if state[w] == 1:
                    continue
                kept[v].append((w, float(matrix.data[k])))
                if state[w] == 0:
                    state[w] = 1
                    work.append((w, iter(range(matrix.indptr[w], matrix.indptr[w + 1]))))
                    advanced = True
                    break
            if not advanced:
                state[v] = 2
                order.append(v)
                work.pop()
    requirement = daily.copy()
    for v in reversed(order):  # parents before children
        for w, quantity in kept[v]:
            requirement[w] += quantity * requirement[v]
    return {model.items[i]: float(requirement[i]) for i in range(n)}


def final_vector(model: CapacityModel, scale: float = 1.0) -> np.ndarray:
    """The column of final outputs per unit of λ: d_s on each system's row, 0 elsewhere."""
    vector = np.zeros(len(model.items))
    for system, demand in zip(model.systems, model.demand, strict=True):
        vector[model.item_row[system]] += demand * scale
    return vector


def level_estimate(network: SupplyNetwork, model: CapacityModel) -> float | None:
    """A rough λ from the bill of materials: min over fully capacitated items of capacity / requirement.

    Used only to scale the objective. When λ is tiny (synthetic bases reach 1e-5 of demand) the
    gains in λ per unit of capacity fall below HiGHS's dual feasibility tolerance (1e-7) and the
    simplex stops early with a feasible but not optimal λ; maximising λ/estimate instead keeps the
    duals at a scale the solver sees. None when no item has capacity on every relation.
    """
    if not model.items:
        return None
    requirement = acyclic_requirement(model, requirement_matrix(network, model), final_vector(model))
    capacity: dict[str, float] = {}
    for j, relation in enumerate(model.relations):
        item = network.relations[relation].item
        capacity[item] = capacity.get(item, 0.0) + float(model.capacity[j])
    ratios = [
        total / requirement[item]
        for item, total in capacity.items()
        if np.isfinite(total) and requirement.get(item, 0.0) > 0 and item not in model.inhouse
    ]
    best = min(ratios, default=None)
    return best if best is not None and best > 0 else None


@dataclass(frozen=True)
class Solution:
    """What a solve returned: status 0 optimal, 2 infeasible, 3 unbounded (scipy's codes)."""

    status: int
    objective: float
    x: np.ndarray
    upper_marginals: np.ndarray
    ineq_marginals: np.ndarray
    message: str
    seconds: float


def solve(
    c: np.ndarray,
    a_ub: sparse.spmatrix,
    b_ub: np.ndarray,
    bounds: np.ndarray,
    *,
    what: str,
) -> Solution:
    """Run HiGHS; turn every failure other than infeasible/unbounded into a clear AnalysisError.

    Infeasible and unbounded are returned (the callers know what they mean for their question);
    iteration limits and numerical trouble are not answers, so they become errors that say what
    was being solved instead of a solver traceback.
    """
    import time

    start = time.perf_counter()
    try:
        result: Any = linprog(c, A_ub=a_ub, b_ub=b_ub, bounds=bounds, method="highs")
    except (ValueError, MemoryError) as error:  # malformed numbers reach here, not the user's fault alone
        raise AnalysisError(f"the {what} linear programme could not be set up: {error}") from None
    seconds = time.perf_counter() - start
    if result.status in (1, 4) or (result.status == 0 and result.x is None):
        raise AnalysisError(
            f"the {what} linear programme was not solved: {result.message} "
            "(check for extreme quantities or capacities in the data)"
        )
    if result.status != 0:
        empty = np.zeros(0)
        return Solution(int(result.status), math.nan, empty, empty, empty, str(result.message), seconds)
    upper = getattr(result, "upper", None)
    ineq = getattr(result, "ineqlin", None)
    return Solution(
        status=0,
        objective=float(result.fun),
        x=np.asarray(result.x, dtype=float),
        upper_marginals=np.asarray(upper.marginals if upper is not None else np.zeros(len(c)), dtype=float),
        ineq_marginals=np.asarray(ineq.marginals if ineq is not None else np.zeros(a_ub.shape[0]), dtype=float),
        message=str(result.message),
        seconds=seconds,
    )


def tidy(value: float) -> float:
    """A solver number as a reader expects it: 12.5, not 12.499999999; −0 and noise → 0."""
    value = float(value)  # numpy scalars are not JSON
    if not math.isfinite(value):
        return value
    if abs(value) < 1e-9:
        return 0.0
    rounded = round(value, 6)
    # Snap only solver noise (relative 1e-8): a genuine 6.6975e-05 must not become 6.7e-05.
    if abs(rounded - value) <= 1e-8 * max(1.0, abs(value)):
        return rounded
    return float(f"{value:.9g}")
