"""Exact minimal cut sets of one item up to order 3 (CONTRACT §3, §4 ``risk cut-sets``).

Orders 1 and 2 are always exact and complete. Order 3 runs the same algebra on general
families, with a bound on the candidate sets it may examine (setting
``cut_set_order3_bound``); when the bound stops it the answer holds the exact sets of order 1
and 2 and says ``"complete": false``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from defport_kg.errors import NotFoundError, UsageError
from defport_kg.risk.algebra import BoundReached, Budget, decode2, order1, order2, orderk
from defport_kg.risk.index import evaluation_order, skeleton, unit_index
from defport_kg.risk.model import SupplyNetwork

MAX_ORDER = 3


@dataclass(frozen=True, slots=True)
class CutSet:
    """A minimal set of units whose joint failure makes the item unavailable."""

    order: int
    members: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"order": self.order, "members": list(self.members)}


@dataclass(frozen=True)
class CutSetReport:
    """The JSON of ``risk cut-sets`` (CONTRACT §4) plus labels and the cone's data gaps."""

    item: str
    unit: str
    max_order: int
    cut_sets: tuple[CutSet, ...]
    complete: bool = True
    label: str | None = None
    labels: dict[str, str] = field(default_factory=dict)
    data_gaps: tuple[str, ...] = ()
    items_examined: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "item": self.item,
            "unit": self.unit,
            "max_order": self.max_order,
            "cut_sets": [c.to_dict() for c in self.cut_sets],
            "complete": self.complete,
            "label": self.label,
            "labels": self.labels,
            "data_gaps": list(self.data_gaps),
            "items_examined": self.items_examined,
        }


def check_max_order(max_order: int) -> int:
    if isinstance(max_order, bool) or not isinstance(max_order, int) or max_order < 1:
        raise UsageError(f"max order {max_order!r} is not a positive whole number")
    if max_order > MAX_ORDER:
        raise UsageError(
            f"max order {max_order} is above the bound {MAX_ORDER}: exact cut sets are computed "
            f"up to order {MAX_ORDER} (order 3 under the setting cut_set_order3_bound)",
            max_order=max_order,
        )
    return max_order


def check_item(network: SupplyNetwork, item: str) -> str:
    if item not in network.items:
        raise NotFoundError(f"unknown item {item}: it is not an item of the live data", item=item)
    return item


def cut_sets(
    network: SupplyNetwork,
    item: str,
    max_order: int = 2,
    unit: str = "organisation",
    *,
    bound: int | None = None,
) -> CutSetReport:
    """All minimal cut sets of ``item`` of order ≤ ``max_order``, in units of kind ``unit``.

    ``bound`` (default: the setting ``cut_set_order3_bound``) limits the candidate sets the
    order-3 search examines.
    """
    check_max_order(max_order)
    units = unit_index(network, unit)
    check_item(network, item)
    skel = skeleton(network)
    target = skel.item_index[item]
    order = evaluation_order(network, target)
    complete = True
    found: list[tuple[int, ...]]
    if max_order == 1:
        found = [(u,) for u in order1(skel, units, order)[target]]
    elif max_order == 2:
        found = decode2(order2(skel, units, order)[target], max(len(units.units), 1))
    else:
        if bound is None:
            from defport_kg.settings import get_settings

            bound = get_settings().cut_set_order3_bound
        try:
            family = orderk(skel, units, order, MAX_ORDER, Budget(bound))[target]
            found = [tuple(sorted(s)) for s in family]
        except BoundReached:
            complete = False
            found = decode2(order2(skel, units, order)[target], max(len(units.units), 1))
    names = units.units
    sets = sorted(
        (CutSet(len(members), tuple(sorted(names[u] for u in members))) for members in found),
        key=lambda c: (c.order, c.members),
    )
    cone = [v for component in order for v in component]
    gaps = sorted(skel.items[v] for v in cone if not skel.rels[v] and not skel.comps[v])
    labels = {}
    for cut in sets:
        for member in cut.members:
            name = network.label(member)
            if name is not None:
                labels[member] = name
    return CutSetReport(
        item=item,
        unit=unit,
        max_order=max_order,
        cut_sets=tuple(sets),
        complete=complete,
        label=network.items[item].label,
        labels=labels,
        data_gaps=tuple(gaps),
        items_examined=len(cone),
    )
