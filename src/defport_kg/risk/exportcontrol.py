"""Export control: the items under ``dp:exportControl`` on each system's supply paths, and whether
the system has an alternative path that avoids them.

An item or a regime is **avoidable** for a system when the system stays available (CONTRACT §3)
with that item — or every item under that regime — taken away outright: some other supply route
does without it. "Not avoidable" means a licence refusal stops the system.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from defport_kg.risk.cutsets import check_item
from defport_kg.risk.evidence import evidence_summary
from defport_kg.risk.index import cone, skeleton
from defport_kg.risk.model import SupplyNetwork
from defport_kg.risk.propagation import propagate_relations


def unavailable_without(network: SupplyNetwork, items: Iterable[str]) -> bytearray:
    """The §3 outcome (unavailable flags by skeleton index) with ``items`` taken away outright."""
    skel = skeleton(network)
    return propagate_relations(skel, (), [skel.item_index[i] for i in items]).unavailable


@dataclass(frozen=True)
class ControlledItem:
    item: str
    regimes: tuple[str, ...]
    avoidable: bool
    evidence: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return {
            "item": self.item,
            "regimes": list(self.regimes),
            "avoidable": self.avoidable,
            "evidence": self.evidence,
        }


@dataclass(frozen=True)
class RegimeExposure:
    regime: str
    items: tuple[str, ...]
    avoidable: bool

    def to_dict(self) -> dict[str, Any]:
        return {"regime": self.regime, "items": list(self.items), "avoidable": self.avoidable}


@dataclass(frozen=True)
class SystemExportControl:
    system: str
    label: str | None
    items: tuple[ControlledItem, ...]
    regimes: tuple[RegimeExposure, ...]

    @property
    def stopped_by(self) -> tuple[str, ...]:
        return tuple(r.regime for r in self.regimes if not r.avoidable)

    def to_dict(self) -> dict[str, Any]:
        return {
            "system": self.system,
            "label": self.label,
            "items": [i.to_dict() for i in self.items],
            "regimes": [r.to_dict() for r in self.regimes],
            "stopped_by": list(self.stopped_by),
        }


@dataclass(frozen=True)
class ExportControlReport:
    systems: tuple[SystemExportControl, ...]
    labels: dict[str, str] = field(default_factory=dict)
    evidence_filter: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "systems": [s.to_dict() for s in self.systems],
            "labels": self.labels,
            "evidence_filter": self.evidence_filter,
        }

    def rows(self) -> list[dict[str, Any]]:
        return [
            {"system": s.system, "item": i.item, "regimes": " ".join(i.regimes), "avoidable": i.avoidable}
            for s in self.systems
            for i in s.items
        ]


def export_control(network: SupplyNetwork, systems: Iterable[str] | None = None) -> ExportControlReport:
    """Per system (all ``dp:System`` items by default): its export-controlled items and regimes."""
    chosen = sorted(set(systems)) if systems is not None else list(network.systems)
    for system in chosen:
        check_item(network, system)
    skel = skeleton(network)
    by_regime: dict[str, list[str]] = defaultdict(list)
    for item in network.items.values():
        for regime in item.export_control:
            by_regime[regime].append(item.iri)
    regime_outcomes = {r: unavailable_without(network, items) for r, items in by_regime.items()}
    item_outcomes: dict[str, bytearray] = {}
    results = []
    named: set[str] = set()
    for system in chosen:
        s = skel.item_index[system]
        controlled = [skel.items[v] for v in cone(network, system) if network.items[skel.items[v]].export_control]
        items = []
        for iri in controlled:
            if iri not in item_outcomes:
                item_outcomes[iri] = unavailable_without(network, [iri])
            relations = network.relations_of.get(iri, ())
            items.append(
                ControlledItem(
                    iri,
                    network.items[iri].export_control,
                    not item_outcomes[iri][s],
                    evidence_summary(network, relations),
                )
            )
        regimes = []
        for regime in sorted({r for i in items for r in i.regimes}):
            on_paths = tuple(i.item for i in items if regime in i.regimes)
            regimes.append(RegimeExposure(regime, on_paths, not regime_outcomes[regime][s]))
        named.update(controlled)
        named.update(r.regime for r in regimes)
        results.append(SystemExportControl(system, network.label(system), tuple(items), tuple(regimes)))
    labels = {iri: lbl for iri in sorted(named) if (lbl := network.label(iri)) is not None}
    return ExportControlReport(tuple(results), labels)
