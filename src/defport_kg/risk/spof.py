"""Single points of failure of the whole industrial base (CONTRACT §4 ``risk spof``).

One bottom-up order-1 pass over the union of all systems' cones gives, for every item, the units
whose failure alone stops it; inverting that table for the systems answers "which units can stop
which systems" for the whole base at once, instead of one propagation per unit.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from defport_kg.risk.algebra import order1
from defport_kg.risk.cutsets import check_item
from defport_kg.risk.index import skeleton, strongly_connected, unit_index
from defport_kg.risk.model import SupplyNetwork


@dataclass(frozen=True, slots=True)
class Spof:
    """A unit whose failure alone stops the listed systems."""

    unit: str
    systems: tuple[str, ...]
    capabilities: tuple[str, ...] = ()
    label: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "unit": self.unit,
            "systems": list(self.systems),
            "capabilities": list(self.capabilities),
            "label": self.label,
        }


@dataclass(frozen=True)
class SpofReport:
    """The JSON of ``risk spof`` (CONTRACT §4) plus labels and capabilities."""

    unit: str
    spofs: tuple[Spof, ...]
    systems_analysed: int = 0
    system_labels: dict[str, str] = field(default_factory=dict)
    data_gaps: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "unit": self.unit,
            "spofs": [s.to_dict() for s in self.spofs],
            "systems_analysed": self.systems_analysed,
            "system_labels": self.system_labels,
            "data_gaps": list(self.data_gaps),
        }


def spof(network: SupplyNetwork, unit: str = "organisation", systems: Iterable[str] | None = None) -> SpofReport:
    """Every unit that alone stops at least one system (all ``dp:System`` items by default).

    Ranked by the number of systems it stops (most first), then by IRI.
    """
    units = unit_index(network, unit)
    skel = skeleton(network)
    chosen = sorted(set(systems)) if systems is not None else list(network.systems)
    for system in chosen:
        check_item(network, system)
    roots = [skel.item_index[s] for s in chosen]
    order = strongly_connected(skel.deps, roots)
    killers = order1(skel, units, order)
    stops: dict[int, list[str]] = defaultdict(list)
    for system, index in zip(chosen, roots, strict=True):
        for u in killers[index]:
            stops[u].append(system)
    entries = []
    for u, stopped in stops.items():
        iri = units.units[u]
        capabilities = sorted({c for s in stopped for c in network.items[s].realises})
        entries.append(
            Spof(unit=iri, systems=tuple(sorted(stopped)), capabilities=tuple(capabilities), label=network.label(iri))
        )
    entries.sort(key=lambda e: (-len(e.systems), e.unit))
    cone = (v for component in order for v in component)
    gaps = sorted(skel.items[v] for v in cone if not skel.rels[v] and not skel.comps[v])
    return SpofReport(
        unit=unit,
        spofs=tuple(entries),
        systems_analysed=len(chosen),
        system_labels={s: lbl for s in chosen if (lbl := network.items[s].label) is not None},
        data_gaps=tuple(gaps),
    )
