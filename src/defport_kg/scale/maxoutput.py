"""Maximum monthly output of a set of systems at their demand ratio (CONTRACT §3b, ``scale max-output``).

    maximise λ  subject to  flow · z + λ·d ≤ 0,  0 ≤ x_R ≤ capacity_R,  y_I ≥ 0

(see :mod:`defport_kg.scale.capacity` for the rows). The duals of the capacity bounds are the
shadow prices: by LP duality λ* = Σ_R capacity_R · π_R, because every other row has a zero
right-hand side, so the bottlenecks listed are exactly the relations that carry the optimum.
When λ is unbounded a second, homogeneous LP (capacitated relations switched off, λ fixed to 1)
finds a production plan without any capacity, and the path reported is read off that plan.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy import sparse

from defport_kg.errors import AnalysisError
from defport_kg.risk.model import SupplyNetwork
from defport_kg.scale.capacity import (
    DUAL_TOL,
    VALUE_TOL,
    CapacityModel,
    Solution,
    build_model,
    check_systems,
    demand_of,
    final_vector,
    level_estimate,
    solve,
    tidy,
)
from defport_kg.scale.failures import Failure, resolve_failure


@dataclass(frozen=True, slots=True)
class Bottleneck:
    """A supply relation whose capacity binds; ``shadow_price`` is the gain in λ per unit of capacity."""

    relation: str
    shadow_price: float
    item: str
    supplier: str | None
    capacity: float
    label: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "relation": self.relation,
            "shadow_price": self.shadow_price,
            "item": self.item,
            "supplier": self.supplier,
            "capacity": self.capacity,
            "label": self.label,
        }


@dataclass(frozen=True)
class MaxOutputReport:
    """The JSON of ``scale max-output`` (CONTRACT §4) plus coverage, diagnostics and labels."""

    systems: tuple[str, ...]
    failed: tuple[str, ...]
    unit: str
    unbounded: bool
    level: float | None
    output: dict[str, float] | None
    demand: dict[str, float | None]
    bottlenecks: tuple[Bottleneck, ...]
    uncapacitated_path: tuple[str, ...] | None = None
    unavailable: tuple[str, ...] = ()
    relations_down: int = 0
    model_size: dict[str, int] = field(default_factory=dict)
    solve_seconds: float = 0.0
    labels: dict[str, str] = field(default_factory=dict)

    @property
    def coverage(self) -> dict[str, float | None]:
        """Output / dp:monthlyDemand per system (None where no demand is recorded)."""
        if self.output is None:
            return {s: None for s in self.systems}
        return {s: (tidy(self.output[s] / d) if d else None) for s, d in self.demand.items()}

    def to_dict(self) -> dict[str, Any]:
        return {
            "systems": list(self.systems),
            "failed": list(self.failed),
            "unit": self.unit,
            "unbounded": self.unbounded,
            "output": None if self.output is None else dict(self.output),
            "bottlenecks": [b.to_dict() for b in self.bottlenecks],
            "uncapacitated_path": None if self.uncapacitated_path is None else list(self.uncapacitated_path),
            "demand_multiple": self.level,
            "demand": dict(self.demand),
            "coverage": self.coverage,
            "unavailable": list(self.unavailable),
            "relations_down": self.relations_down,
            "model": dict(self.model_size),
            "labels": dict(self.labels),
        }


def max_output(
    network: SupplyNetwork,
    systems: Sequence[str],
    failed: Sequence[str] = (),
    unit: str = "organisation",
) -> MaxOutputReport:
    """The largest λ with every system in ``systems`` at output λ·d_s, given failed units (§3b)."""
    chosen = check_systems(network, systems)
    demand = demand_of(network, chosen)
    failure = resolve_failure(network, failed, unit)
    model = build_model(network, chosen, demand, failure.down)
    return solve_max_output(network, model, failure)


def solve_max_output(network: SupplyNetwork, model: CapacityModel, failure: Failure) -> MaxOutputReport:
    """Solve a built model (the benchmark times building and solving apart)."""
    n = model.n_columns
    n_rel = len(model.relations)
    a_ub = sparse.hstack([sparse.csc_matrix(final_vector(model)[:, None]), model.flow], format="csc")
    bounds = np.zeros((n + 1, 2))
    bounds[:, 1] = np.inf
    bounds[1 : n_rel + 1, 1] = model.capacity
    b_ub = np.zeros(len(model.items))
    # Maximise λ/estimate, not λ: see level_estimate (tiny λ hides its duals below the tolerance).
    estimate = level_estimate(network, model)
    scale = min(max(1.0 / estimate, 1e-6), 1e8) if estimate is not None else 1.0
    solution = _solve_scaled(a_ub, b_ub, bounds, scale)
    if solution.status == 0 and solution.x[0] > 0 and not 1e-3 <= solution.x[0] * scale <= 1e3:
        # The estimate was far off: once more at the scale of the answer; both plans are feasible,
        # so the larger λ is kept.
        again_scale = min(max(1.0 / solution.x[0], 1e-6), 1e8)
        again = _solve_scaled(a_ub, b_ub, bounds, again_scale)
        if again.status == 0 and again.x[0] > solution.x[0]:
            solution, scale = again, again_scale
    recorded = {s: network.items[s].monthly_demand for s in model.systems}
    common = {
        "systems": model.systems,
        "failed": failure.failed,
        "unit": failure.unit,
        "demand": recorded,
        "unavailable": model.unavailable,
        "relations_down": len(failure.down),
        "model_size": model.size(),
    }
    if solution.status != 0:
        path = uncapacitated_path(model)
        if path is None:
            raise AnalysisError(f"the maximum-output linear programme has no answer: {solution.message}")
        labels = _labels(network, (*model.systems, *failure.failed, *path))
        return MaxOutputReport(
            unbounded=True,
            level=None,
            output=None,
            bottlenecks=(),
            uncapacitated_path=path,
            solve_seconds=solution.seconds,
            labels=labels,
            **common,
        )
    level = max(solution.x[0], 0.0)
    output = {s: tidy(level * d) for s, d in zip(model.systems, model.demand, strict=True)}
    bottlenecks = []
    # A bottleneck carries a share of the optimum (λ = Σ capacity·price); shares below 1e-7 are noise.
    floor = max(1e-7 * level, DUAL_TOL * 1e-3)
    for j in range(n_rel):
        price = -solution.upper_marginals[j + 1] / scale
        cap = model.capacity[j]
        if (
            price > 0
            and np.isfinite(cap)
            and price * max(cap, 1.0) > floor
            and solution.x[j + 1] >= cap - VALUE_TOL * max(1.0, cap)
        ):
            relation = network.relations[model.relations[j]]
            bottlenecks.append(
                Bottleneck(
                    relation=relation.iri,
                    shadow_price=tidy(price),
                    item=relation.item,
                    supplier=relation.supplier,
                    capacity=tidy(cap),
                    label=relation.label,
                )
            )
    bottlenecks.sort(key=lambda b: (-b.shadow_price, b.relation))
    labels = _labels(
        network,
        (
            *model.systems,
            *failure.failed,
            *model.unavailable,
            *(iri for b in bottlenecks for iri in (b.relation, b.item, b.supplier) if iri is not None),
        ),
    )
    return MaxOutputReport(
        unbounded=False,
        level=tidy(level),
        output=output,
        bottlenecks=tuple(bottlenecks),
        solve_seconds=solution.seconds,
        labels=labels,
        **common,
    )


def _solve_scaled(a_ub: sparse.spmatrix, b_ub: np.ndarray, bounds: np.ndarray, scale: float) -> Solution:
    c = np.zeros(a_ub.shape[1])
    c[0] = -scale
    return solve(c, a_ub, b_ub, bounds, what="maximum-output")


def uncapacitated_path(model: CapacityModel) -> tuple[str, ...] | None:
    """A path from a system down along production without capacity, or None if there is none.

    Solves the recession LP (λ = 1, capacitated relations at 0, minimal total production so the
    plan is sparse); a feasible plan is exactly a ray along which λ grows without bound. The path
    starts at the first system and descends, at each item, through its first producing column
    and into its first not-yet-visited requirement, ending at a producer that needs nothing or
    where the plan closes a cycle.
    """
    n = model.n_columns
    n_rel = len(model.relations)
    a_ub = sparse.hstack([sparse.csc_matrix(final_vector(model)[:, None]), model.flow], format="csc")
    c = np.ones(n + 1)
    c[0] = 0.0
    bounds = np.zeros((n + 1, 2))
    bounds[0] = (1.0, 1.0)
    bounds[1:, 1] = np.inf
    capped = np.isfinite(model.capacity)
    bounds[1 : n_rel + 1][capped, 1] = 0.0
    solution = solve(c, a_ub, np.zeros(len(model.items)), bounds, what="unbounded-output diagnosis")
    if solution.status != 0:
        return None
    plan = solution.x[1:]
    producers = model.producer_columns()
    path: list[str] = []
    visited: set[int] = set()
    row = model.item_row[model.systems[0]]
    while True:
        visited.add(row)
        path.append(model.items[row])
        active = [j for j in producers.get(row, []) if plan[j] > VALUE_TOL]
        if not active:
            break
        column = min(active, key=lambda j: (j >= n_rel, model.column_iri(j)))
        if column < n_rel:
            path.append(model.relations[column])
        nxt = [r for r in model.requirements(column) if r not in visited]
        if not nxt:
            break
        row = min(nxt, key=lambda r: model.items[r])
    return tuple(path)


def _labels(network: SupplyNetwork, iris: Sequence[str]) -> dict[str, str]:
    return {iri: label for iri in dict.fromkeys(iris) if (label := network.label(iri)) is not None}
