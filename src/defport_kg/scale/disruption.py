"""Under disruption: output with failed units, and time-to-survive from stock and remaining capacity.

Time-to-survive (TTS) follows Simchi-Levi, Schmidt, Wei, Zhang, Combs, Ge, Gusikhin, Sanders and
Zhang, "Identifying risks and mitigating disruptions in the automotive supply chain", *Interfaces*
45(5), 2015: the longest time T for which demand can still be met, from stock on hand plus what
the network can still make, after the failure. As a linear programme over the rows of
:mod:`defport_kg.scale.capacity` (T in days; X_R, Y_I are *totals* made over the T days)::

    maximise T  subject to
      for every item I:  consumption_I(X, Y) + (d_I / 30)·T·[I is a requested system]
                           ≤ production_I(X, Y) + stock_I
      for every relation R that is up and has a capacity:  X_R ≤ (capacity_R / 30)·T
      relations the failed units take down themselves produce nothing;  X, Y, T ≥ 0

where ``stock_I = dp:stockDays(I) × r_I`` in units and ``r_I`` is I's *daily requirement* at the
systems' demand: the bill-of-materials explosion of d_s/30 per system through
``dp:hasComponent``/``dp:ComponentUse`` quantities and, for supplier-specific inputs, through the
relations weighted by ``dp:share`` (equal weights where shares are missing). So "30 stock days"
means thirty days of the item's normal use in making these systems. A month is 30 days.

Unlike the steady state of §3b, a relation that is down only because an input or component became
unavailable keeps producing while that item's stock lasts, so only the relations whose own
supplier, site or country failed are removed from this LP (the balance rows do the rest).

When the network can still make the full demand (maximum output λ ≥ 1 of demand), TTS is
unbounded ("survives": the failure is absorbed); otherwise T is finite. The formula is linear and
homogeneous in stock: doubling every stock doubles TTS.

How it differs from the simple stock-path formula (:func:`stock_path_days`, the per-path
reasoning of a risk register): that formula walks from the system down to what failed and adds
the stock days of the unavailable items on the way (a relation whose own unit failed stops at
once; an item lasts as long as its best relation; a relation as long as its worst missing
input). It sees only *available or not*. The LP also sees (1) capacity that survives — a second
supplier at 40 % of demand stretches stock, and an item that stays available but short of
capacity runs its stock down, which the path formula calls "unaffected" (∞); (2) competition —
stock and remaining capacity shared by several systems or several uses are counted once, not once
per path; (3) quantities and supplier-specific inputs. On a single chain with no capacity limits
besides the failure the two agree.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy import sparse

from defport_kg.errors import AnalysisError
from defport_kg.risk.index import skeleton
from defport_kg.risk.model import SupplyNetwork
from defport_kg.risk.propagation import propagate_relations
from defport_kg.scale.capacity import (
    CapacityModel,
    acyclic_requirement,
    build_model,
    check_systems,
    demand_of,
    final_vector,
    requirement_matrix,
    solve,
    tidy,
)
from defport_kg.scale.failures import Failure, resolve_failure
from defport_kg.scale.maxoutput import MaxOutputReport, solve_max_output

DAYS_PER_MONTH = 30.0
SURVIVES_TOL = 1e-9


@dataclass(frozen=True)
class DisruptionReport:
    systems: tuple[str, ...]
    failed: tuple[str, ...]
    unit: str
    baseline: MaxOutputReport
    disrupted: MaxOutputReport
    survives: bool
    time_to_survive_days: float | None
    stock_path_days: dict[str, float | None]
    time_to_recover_days: float | None
    stock_units: dict[str, float] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    labels: dict[str, str] = field(default_factory=dict)

    @property
    def exposed(self) -> bool | None:
        """True when recovery takes longer than stock and remaining capacity last (Simchi-Levi's test)."""
        if self.survives:
            return False
        if self.time_to_recover_days is None or self.time_to_survive_days is None:
            return None
        return self.time_to_recover_days > self.time_to_survive_days

    def to_dict(self) -> dict[str, Any]:
        return {
            "systems": list(self.systems),
            "failed": list(self.failed),
            "unit": self.unit,
            "output_before": self.baseline.output,
            "output_after": self.disrupted.output,
            "demand_multiple_before": self.baseline.level,
            "demand_multiple_after": self.disrupted.level,
            "unbounded": self.disrupted.unbounded,
            "bottlenecks": [b.to_dict() for b in self.disrupted.bottlenecks],
            "survives": self.survives,
            "time_to_survive_days": self.time_to_survive_days,
            "stock_path_days": dict(self.stock_path_days),
            "time_to_recover_days": self.time_to_recover_days,
            "exposed": self.exposed,
            "unavailable": list(self.disrupted.unavailable),
            "relations_down": self.disrupted.relations_down,
            "stock_units": dict(self.stock_units),
            "notes": list(self.notes),
            "labels": dict(self.labels),
        }


def disruption(
    network: SupplyNetwork,
    systems: Sequence[str],
    failed: Sequence[str] = (),
    unit: str = "organisation",
) -> DisruptionReport:
    """Output before and after ``failed`` fail, and how long stock plus what is left meets demand."""
    chosen = check_systems(network, systems)
    demand = demand_of(network, chosen)
    failure = resolve_failure(network, failed, unit)
    baseline_model = build_model(network, chosen, demand)
    baseline = solve_max_output(network, baseline_model, resolve_failure(network, (), unit))
    model = build_model(network, chosen, demand, failure.down)
    disrupted = solve_max_output(network, model, failure)
    requirement, notes = daily_requirement(network, baseline_model)
    # Over time, a relation that lost an input to the failure still runs on that input's stock:
    # only the relations the failed units take down themselves are out of the stock model.
    stock_model = build_model(network, chosen, demand, failure.direct)
    stock = {
        iri: tidy(days * requirement.get(iri, 0.0))
        for iri in stock_model.items
        if (days := network.items[iri].stock_days) and requirement.get(iri, 0.0) > 0
    }
    survives = bool(disrupted.unbounded or (disrupted.level or 0.0) >= 1.0 - SURVIVES_TOL)
    tts = None if survives else time_to_survive(stock_model, stock)
    path = stock_path_days(network, chosen, failure)
    ttr = time_to_recover(network, chosen, demand, failure, None if baseline.unbounded else baseline.level)
    labels = dict(disrupted.labels)
    for iri in (*failure.failed, *baseline.labels):
        label = network.label(iri)
        if label is not None:
            labels[iri] = label
    return DisruptionReport(
        systems=chosen,
        failed=failure.failed,
        unit=failure.unit,
        baseline=baseline,
        disrupted=disrupted,
        survives=survives,
        time_to_survive_days=None if tts is None else round(tts, 3),
        stock_path_days={s: (None if math.isinf(v) else tidy(v)) for s, v in path.items()},
        time_to_recover_days=ttr,
        stock_units=stock,
        notes=notes,
        labels=labels,
    )


def time_to_survive(model: CapacityModel, stock: Mapping[str, float]) -> float:
    """The TTS linear programme of the module docstring, in days (finite when λ < 1)."""
    n = model.n_columns
    n_rel = len(model.relations)
    capped = [j for j in range(n_rel) if np.isfinite(model.capacity[j])]
    daily = final_vector(model, 1.0 / DAYS_PER_MONTH)
    balance = sparse.hstack([sparse.csc_matrix(daily[:, None]), model.flow])
    k = len(capped)
    link = sparse.csc_matrix(
        (
            np.concatenate([-model.capacity[capped] / DAYS_PER_MONTH, np.ones(k)]),
            (
                np.concatenate([np.arange(k), np.arange(k)]),
                np.concatenate([np.zeros(k, dtype=np.int64), np.asarray(capped, dtype=np.int64) + 1]),
            ),
        ),
        shape=(k, n + 1),
    )
    a_ub = sparse.vstack([balance, link], format="csc")
    b_ub = np.zeros(len(model.items) + k)
    for iri, units in stock.items():
        row = model.item_row.get(iri)
        if row is not None:
            b_ub[row] = units
    c = np.zeros(n + 1)
    c[0] = -1.0
    bounds = np.zeros((n + 1, 2))
    bounds[:, 1] = np.inf
    solution = solve(c, a_ub, b_ub, bounds, what="time-to-survive")
    if solution.status != 0:
        raise AnalysisError(
            "time-to-survive is unbounded although the disrupted network cannot meet demand: "
            f"{solution.message}; check the stock and capacity data of these systems"
        )
    return max(float(solution.x[0]), 0.0) + 0.0  # + 0.0 turns a solver −0.0 into 0.0


def daily_requirement(network: SupplyNetwork, model: CapacityModel) -> tuple[dict[str, float], tuple[str, ...]]:
    """r_I: units of each item needed per day to make every system at its demand (share-weighted).

    Solves r = d/30 + M·r on the undisrupted cone. A supply cycle through inputs whose loop gain
    is 1 or more makes that system singular or negative; then the cycle's feedback on its own
    requirement is left out (edges back into the depth-first path are dropped) and a note says so.
    """
    n = len(model.items)
    matrix = requirement_matrix(network, model)
    daily = final_vector(model, 1.0 / DAYS_PER_MONTH)
    if n == 0:
        return {}, ()
    from scipy.sparse.linalg import MatrixRankWarning, spsolve

    try:
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", MatrixRankWarning)  # singular is handled below, not warned
            solved = spsolve(sparse.identity(n, format="csc") - matrix, daily)
        residual = np.abs((sparse.identity(n, format="csc") - matrix) @ solved - daily).max()
        if np.all(np.isfinite(solved)) and solved.min() >= -1e-9 and residual <= 1e-6 * max(1.0, daily.max()):
            return {model.items[i]: float(max(v, 0.0)) for i, v in enumerate(solved)}, ()
    except (RuntimeError, ValueError):  # singular: fall through to the acyclic explosion
        pass
    return acyclic_requirement(model, matrix, daily), (
        "a supply cycle through dp:requiresInput has a loop gain of 1 or more: its feedback on its own "
        "requirement is left out of the stock basis",
    )


def stock_path_days(network: SupplyNetwork, systems: Sequence[str], failure: Failure) -> dict[str, float]:
    """The simple stock-path formula: days each system keeps going on the stock along its paths.

    cover(I) = ∞ for an available item; for an unavailable one, stockDays(I) plus how long it is
    still made: the best of its relations (0 for a relation whose own unit failed, else the worst
    cover of its unavailable components and inputs), or for an in-house item the worst cover of its
    unavailable components. A cycle back onto the path counts 0 (failure reached it).
    """
    memo: dict[str, float] = {}
    on_path: set[str] = set()

    def cover(item: str) -> float:
        if item not in failure.unavailable:
            return math.inf
        if item in memo:
            return memo[item]
        if item in on_path:
            return 0.0
        on_path.add(item)
        parts = [c for c in network.components.get(item, {}) if c in failure.unavailable]
        relations = network.relations_of.get(item, ())
        if relations:
            best = 0.0
            for r in relations:
                if r in failure.direct:
                    continue
                missing = parts + [x for x in network.relations[r].inputs if x in failure.unavailable]
                best = max(best, min((cover(x) for x in missing), default=0.0))
            made = best
        else:
            made = min((cover(c) for c in parts), default=0.0)
        on_path.discard(item)
        value = (network.items[item].stock_days or 0.0) + made
        memo[item] = value
        return value

    return {s: cover(s) for s in systems}


def time_to_recover(
    network: SupplyNetwork,
    systems: Sequence[str],
    demand: Sequence[float],
    failure: Failure,
    level_before: float | None,
) -> float | None:
    """TTR: the first ``dp:recoveryDays`` at which the relations restored so far bring output back.

    "Back" is full demand, or the level before the failure when that was below demand. Relations
    come back one recovery date at a time (a failed unit's relations may recover on different
    days), and at each date the §3 propagation and the max-output LP are redone. A relation for an
    item that has other sources may not matter at all, so TTR is not simply the longest recovery
    of the failed relations. None when output only comes back with relations whose recovery is
    unknown.
    """
    target = 1.0 if level_before is None else min(1.0, level_before)
    skel = skeleton(network)
    direct = sorted(failure.direct)
    days = sorted({d for r in direct if (d := network.relations[r].recovery_days) is not None})
    for day in [0.0, *days]:
        still = [skel.rel_index[r] for r in direct if (d := network.relations[r].recovery_days) is None or d > day]
        outcome = propagate_relations(skel, still)
        down = frozenset(skel.rel_iris[r] for r, flag in enumerate(outcome.down) if flag)
        report = solve_max_output(network, build_model(network, systems, demand, down), failure)
        if report.unbounded or (report.level or 0.0) >= target - SURVIVES_TOL:
            return float(day)
    return None
