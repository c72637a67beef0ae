"""Failed units → supply relations that are down, through the risk engine's §3 propagation.

A thin adapter over ``defport_kg.risk.propagation``: the scale-up analyses must agree with the
risk engine on what a failure takes down, so they never re-implement §3, they only check the
caller's units against the kind asked for and translate the engine's integer outcome into IRIs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from defport_kg.errors import NotFoundError
from defport_kg.risk.index import check_unit_kind, skeleton, unit_universe
from defport_kg.risk.model import SupplyNetwork
from defport_kg.risk.propagation import propagate, relations_by_unit


@dataclass(frozen=True)
class Failure:
    """The failed units (in the order given), what they take down directly and in total."""

    unit: str
    failed: tuple[str, ...]
    direct: frozenset[str]
    down: frozenset[str]
    unavailable: frozenset[str]


NO_FAILURE = Failure("organisation", (), frozenset(), frozenset(), frozenset())


def resolve_failure(network: SupplyNetwork, failed: Sequence[str], unit: str = "organisation") -> Failure:
    """Check ``failed`` are units of kind ``unit`` and propagate their failure (CONTRACT §3).

    A unit that exists but is of another kind is refused as unknown *of that kind*, so that a
    typo in ``--unit`` cannot silently analyse nothing.
    """
    check_unit_kind(unit)
    order = tuple(dict.fromkeys(failed))
    if not order:
        return Failure(unit, (), frozenset(), frozenset(), frozenset())
    universe = unit_universe(network, unit)
    for name in order:
        if name not in universe:
            raise NotFoundError(f"unknown {unit} {name}: it is not a unit of kind {unit!r} in the live data", unit=name)
    skel = skeleton(network)
    by_unit = relations_by_unit(network)
    direct = frozenset(skel.rel_iris[r] for name in order for r in by_unit.get(name, ()))
    outcome = propagate(network, order)
    down = frozenset(skel.rel_iris[r] for r, flag in enumerate(outcome.down) if flag)
    unavailable = frozenset(skel.items[i] for i, flag in enumerate(outcome.unavailable) if flag)
    return Failure(unit, order, direct, down, unavailable)
