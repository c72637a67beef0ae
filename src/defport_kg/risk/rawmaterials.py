"""Critical raw materials exposure: the EU critical and strategic raw materials (Regulation (EU)
2024/1252) each system depends on, through which suppliers and countries, and which are single
points of failure.

A system **depends on** a material when the material is in its supply tree (through
``dp:hasComponent`` and ``dp:requiresInput`` at any depth, as the named query ``crm-per-system``).
A material is **critical for** the system when taking it away outright stops the system (§3); its
**spof_suppliers** / **spof_countries** are the material's suppliers and countries that are
themselves single points of failure of the system.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from defport_kg.namespaces import DP
from defport_kg.risk.cutsets import check_item
from defport_kg.risk.evidence import evidence_summary
from defport_kg.risk.exportcontrol import unavailable_without
from defport_kg.risk.index import cone, skeleton
from defport_kg.risk.model import SupplyNetwork
from defport_kg.risk.spof import spof

RAW_MATERIAL_CLASSES = frozenset({DP + "CriticalRawMaterial", DP + "StrategicRawMaterial"})


def is_raw_material(network: SupplyNetwork, item: str) -> bool:
    return any(t in RAW_MATERIAL_CLASSES for t in network.items[item].types)


def materials_of(network: SupplyNetwork, system: str) -> list[str]:
    """The critical or strategic raw materials in the system's supply tree (sorted IRIs)."""
    skel = skeleton(network)
    return sorted(skel.items[v] for v in cone(network, system) if is_raw_material(network, skel.items[v]))


@dataclass(frozen=True)
class MaterialExposure:
    material: str
    strategic: bool
    suppliers: tuple[str, ...]
    countries: tuple[str, ...]
    critical: bool
    spof_suppliers: tuple[str, ...]
    spof_countries: tuple[str, ...]
    evidence: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return {
            "material": self.material,
            "strategic": self.strategic,
            "suppliers": list(self.suppliers),
            "countries": list(self.countries),
            "critical": self.critical,
            "spof_suppliers": list(self.spof_suppliers),
            "spof_countries": list(self.spof_countries),
            "evidence": self.evidence,
        }


@dataclass(frozen=True)
class SystemRawMaterials:
    system: str
    label: str | None
    materials: tuple[MaterialExposure, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "system": self.system,
            "label": self.label,
            "count": len(self.materials),
            "materials": [m.to_dict() for m in self.materials],
            "critical": [m.material for m in self.materials if m.critical],
        }


@dataclass(frozen=True)
class RawMaterialsReport:
    systems: tuple[SystemRawMaterials, ...]
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
            {
                "system": s.system,
                "material": m.material,
                "countries": " ".join(m.countries),
                "suppliers": " ".join(m.suppliers),
                "critical": m.critical,
                "spof_suppliers": " ".join(m.spof_suppliers),
                "spof_countries": " ".join(m.spof_countries),
            }
            for s in self.systems
            for m in s.materials
        ]


def raw_materials(network: SupplyNetwork, systems: Iterable[str] | None = None) -> RawMaterialsReport:
    """Per system (all ``dp:System`` items by default): its raw-material exposure."""
    chosen = sorted(set(systems)) if systems is not None else list(network.systems)
    for system in chosen:
        check_item(network, system)
    skel = skeleton(network)
    spofs: dict[str, dict[str, set[str]]] = {"organisation": {}, "country": {}}
    if chosen:
        for kind in spofs:
            for entry in spof(network, kind, chosen).spofs:
                for s in entry.systems:
                    spofs[kind].setdefault(s, set()).add(entry.unit)
    outcomes: dict[str, bytearray] = {}
    results = []
    named: set[str] = set()
    for system in chosen:
        index = skel.item_index[system]
        exposures = []
        for material in materials_of(network, system):
            relations = [network.relations[r] for r in network.relations_of.get(material, ())]
            suppliers = tuple(sorted({r.supplier for r in relations if r.supplier}))
            countries = tuple(sorted({r.country for r in relations if r.country}))
            if material not in outcomes:
                outcomes[material] = unavailable_without(network, [material])
            exposures.append(
                MaterialExposure(
                    material=material,
                    strategic=DP + "StrategicRawMaterial" in network.items[material].types,
                    suppliers=suppliers,
                    countries=countries,
                    critical=bool(outcomes[material][index]),
                    spof_suppliers=tuple(s for s in suppliers if s in spofs["organisation"].get(system, ())),
                    spof_countries=tuple(c for c in countries if c in spofs["country"].get(system, ())),
                    evidence=evidence_summary(network, (r.iri for r in relations)),
                )
            )
            named.update((material, *suppliers, *countries))
        results.append(SystemRawMaterials(system, network.label(system), tuple(exposures)))
    labels = {iri: lbl for iri in sorted(named) if (lbl := network.label(iri)) is not None}
    return RawMaterialsReport(tuple(results), labels)
