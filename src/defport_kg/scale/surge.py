"""Surge: the least total added capacity that lifts output to a multiple of demand, and who could help.

    minimise Σ_R Δ_R  subject to  flow · z ≤ −k·d,  x_R − Δ_R ≤ capacity_R,  x, y, Δ ≥ 0

over the same rows as maximum output (:mod:`defport_kg.scale.capacity`), with final output fixed
at k·d_s instead of maximised. Only relations that have a capacity can be raised (the others are
unbounded already); relations that are down stay down, because capacity cannot be bought from a
failed supplier. "Total added capacity" adds units of different items, as the question asks; the
per-relation increases are listed so a reader can weigh them differently.

Alternative suppliers are organisations with a capability the item needs but no supply relation
for it yet: the candidates to qualify when raising an incumbent is not enough or not wanted. The
capabilities an item needs are those it ``dp:realises``; for an item without, those every current
supplier has (what they share is the best evidence of what making the item takes).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy import sparse

from defport_kg.errors import AnalysisError, UsageError
from defport_kg.risk.model import SupplyNetwork
from defport_kg.scale.capacity import VALUE_TOL, build_model, check_systems, demand_of, final_vector, solve, tidy
from defport_kg.scale.failures import Failure, resolve_failure
from defport_kg.scale.maxoutput import max_output
from defport_kg.scale.needs import REGIONS, region_of


@dataclass(frozen=True, slots=True)
class Increase:
    """Capacity to add to one supply relation."""

    relation: str
    item: str
    supplier: str | None
    capacity: float
    added: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "relation": self.relation,
            "item": self.item,
            "supplier": self.supplier,
            "capacity": self.capacity,
            "added": self.added,
            "new_capacity": tidy(self.capacity + self.added),
        }


@dataclass(frozen=True, slots=True)
class Candidate:
    organisation: str
    region: str
    country: str | None
    capabilities: tuple[str, ...]
    label: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "organisation": self.organisation,
            "region": self.region,
            "country": self.country,
            "capabilities": list(self.capabilities),
            "label": self.label,
        }


@dataclass(frozen=True, slots=True)
class Alternatives:
    """Organisations that could be qualified for ``item`` (at most ``limit`` listed, ``total`` found)."""

    item: str
    capabilities: tuple[str, ...]
    candidates: tuple[Candidate, ...]
    total: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "item": self.item,
            "capabilities": list(self.capabilities),
            "candidates": [c.to_dict() for c in self.candidates],
            "total": self.total,
        }


@dataclass(frozen=True)
class SurgeReport:
    systems: tuple[str, ...]
    target: float
    failed: tuple[str, ...]
    unit: str
    current_multiple: float | None
    target_output: dict[str, float]
    added_total: float
    increases: tuple[Increase, ...]
    alternatives: tuple[Alternatives, ...]
    model_size: dict[str, int] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "systems": list(self.systems),
            "target": self.target,
            "failed": list(self.failed),
            "unit": self.unit,
            "current_multiple": self.current_multiple,
            "target_output": dict(self.target_output),
            "added_total": self.added_total,
            "increases": [i.to_dict() for i in self.increases],
            "alternatives": [a.to_dict() for a in self.alternatives],
            "model": dict(self.model_size),
            "labels": dict(self.labels),
        }


def surge(
    network: SupplyNetwork,
    systems: Sequence[str],
    target: float = 2.0,
    failed: Sequence[str] = (),
    unit: str = "organisation",
    *,
    alternatives_limit: int = 10,
) -> SurgeReport:
    """The least total added capacity for every system to reach ``target`` × its demand (d_s of §3b)."""
    if not (isinstance(target, int | float) and math.isfinite(target) and target > 0):
        raise UsageError(f"target {target!r} is not a positive multiple of demand (e.g. 2 for twice the demand)")
    chosen = check_systems(network, systems)
    demand = demand_of(network, chosen)
    failure = resolve_failure(network, failed, unit)
    model = build_model(network, chosen, demand, failure.down)
    current = max_output(network, chosen, failure.failed, unit)

    n = model.n_columns
    n_rel = len(model.relations)
    capped = [j for j in range(n_rel) if np.isfinite(model.capacity[j])]
    n_add = len(capped)
    # Rows: the balance rows (with the final output on the right-hand side), then x_R − Δ_R ≤ cap_R.
    link_rows = np.arange(n_add)
    link_x = sparse.csc_matrix((np.ones(n_add), (link_rows, np.asarray(capped, dtype=np.int64))), shape=(n_add, n))
    link_d = sparse.csc_matrix(-sparse.identity(n_add, format="csc"))
    a_ub = sparse.vstack(
        [
            sparse.hstack([model.flow, sparse.csc_matrix((len(model.items), n_add))]),
            sparse.hstack([link_x, link_d]),
        ],
        format="csc",
    )
    b_ub = np.concatenate([-final_vector(model, target), model.capacity[capped]])
    c = np.concatenate([np.zeros(n), np.ones(n_add)])
    bounds = np.zeros((n + n_add, 2))
    bounds[:, 1] = np.inf
    if n + n_add == 0:  # nothing can be made at all: every system's relations are down
        raise AnalysisError(_infeasible_reason(network, chosen, demand, failure, target), systems=list(chosen))
    solution = solve(c, a_ub, b_ub, bounds, what="surge")
    if solution.status != 0:
        raise AnalysisError(_infeasible_reason(network, chosen, demand, failure, target), systems=list(chosen))

    added = solution.x[n:]
    increases = []
    for k, j in enumerate(capped):
        if added[k] > VALUE_TOL * max(1.0, model.capacity[j]):
            relation = network.relations[model.relations[j]]
            increases.append(
                Increase(relation.iri, relation.item, relation.supplier, tidy(model.capacity[j]), tidy(added[k]))
            )
    increases.sort(key=lambda i: (-i.added, i.relation))
    failed_orgs = set(failure.failed) if unit == "organisation" else set()
    items = list(dict.fromkeys(i.item for i in increases))
    alternatives = tuple(
        alt
        for alt in (alternative_suppliers(network, item, alternatives_limit, exclude=failed_orgs) for item in items)
        if alt.total
    )
    named = [*chosen, *failure.failed, *items, *(i.relation for i in increases)]
    named += [i.supplier for i in increases if i.supplier]
    named += [c.organisation for a in alternatives for c in a.candidates]
    labels = {iri: label for iri in dict.fromkeys(named) if (label := network.label(iri)) is not None}
    return SurgeReport(
        systems=chosen,
        target=float(target),
        failed=failure.failed,
        unit=unit,
        current_multiple=current.level,
        target_output={s: tidy(target * d) for s, d in zip(chosen, demand, strict=True)},
        added_total=tidy(float(added.sum())),
        increases=tuple(increases),
        alternatives=alternatives,
        model_size=model.size(),
        labels=labels,
    )


def _infeasible_reason(
    network: SupplyNetwork, systems: Sequence[str], demand: Sequence[float], failure: Failure, target: float
) -> str:
    """Why no amount of added capacity reaches the target, in the data's terms.

    The items to name are the root causes: those whose relations the failed units took down
    themselves (the cone built with only those relations removed), not everything above them.
    """
    roots = build_model(network, systems, demand, failure.direct).unavailable
    if roots:
        names = ", ".join(roots[:5]) + (" ..." if len(roots) > 5 else "")
        return (
            f"{target:g}x demand cannot be reached by adding capacity: no supply relation is up for {names}; "
            "qualify a new supplier (see `scale surge` on the undisrupted network for alternative suppliers) "
            "or restore the failed units"
        )
    return (
        f"{target:g}x demand cannot be reached by adding capacity: the supply cycles through dp:requiresInput "
        "feeding these systems consume at least what they make, so no net output can be drawn from them"
    )


def needed_capabilities(network: SupplyNetwork, item: str) -> tuple[str, ...]:
    """What making ``item`` takes: what it realises, else what all its current suppliers share."""
    realised = network.items[item].realises if item in network.items else ()
    if realised:
        return tuple(sorted(realised))
    suppliers = {network.relations[r].supplier for r in network.relations_of.get(item, ())}
    shared: set[str] | None = None
    for supplier in sorted(s for s in suppliers if s):
        held = set(network.org_capabilities.get(supplier, ()))
        shared = held if shared is None else shared & held
    return tuple(sorted(shared or ()))


def alternative_suppliers(
    network: SupplyNetwork, item: str, limit: int = 10, *, exclude: set[str] | None = None
) -> Alternatives:
    """Organisations with a needed capability but no supply relation for ``item`` yet (NL first)."""
    capabilities = needed_capabilities(network, item)
    incumbents = {network.relations[r].supplier for r in network.relations_of.get(item, ())}
    skip = incumbents | (exclude or set())
    holders = _holders(network)
    matches: dict[str, list[str]] = {}
    for capability in capabilities:
        for org in holders.get(capability, ()):
            if org not in skip:
                matches.setdefault(org, []).append(capability)
    found = []
    for org, matching in matches.items():
        country = network.org_country.get(org)
        found.append(
            Candidate(org, region_of(country, network.memberships), country, tuple(matching), network.label(org))
        )
    found.sort(key=lambda c: (REGIONS.index(c.region), -len(c.capabilities), c.label or "", c.organisation))
    return Alternatives(item, capabilities, tuple(found[: max(limit, 0)]), len(found))


def _holders(network: SupplyNetwork) -> dict[str, tuple[str, ...]]:
    """Capability → the organisations that have it; built once per network (a surge asks per item)."""
    cached = network.cache.get("scale:capability_holders")
    if cached is None:
        table: dict[str, list[str]] = {}
        for org, held in network.org_capabilities.items():
            for capability in held:
                table.setdefault(capability, []).append(org)
        cached = {c: tuple(sorted(orgs)) for c, orgs in table.items()}
        network.cache["scale:capability_holders"] = cached
    return cached
