"""The risk engine: the supply network of CONTRACT §3 and the analyses that read it.

    from defport_kg.risk import load_network, cut_sets, spof
    network = load_network(store)
    cut_sets(network, "https://w3id.org/defport/id/item/x", max_order=2).to_dict()

Every analysis takes the network built once by :func:`load_network` and returns a plain
dataclass whose ``to_dict()`` is the JSON of the matching ``defport-kg risk`` command.
"""

from __future__ import annotations

from defport_kg.risk.cutsets import MAX_ORDER, CutSet, CutSetReport, cut_sets
from defport_kg.risk.evidence import EvidenceFilter, evidence_summary
from defport_kg.risk.explain import Explanation, explain, tier_of
from defport_kg.risk.exportcontrol import ExportControlReport, export_control
from defport_kg.risk.findings import save_findings, saved_analyses
from defport_kg.risk.impact import ImpactReport, impact, unit_kind_of
from defport_kg.risk.index import UNIT_KINDS, check_unit_kind
from defport_kg.risk.model import (
    Item,
    SupplyNetwork,
    SupplyRelation,
    build_network,
    cached_network,
    load_network,
)
from defport_kg.risk.propagation import propagate
from defport_kg.risk.rawmaterials import RawMaterialsReport, raw_materials
from defport_kg.risk.report import Report, build_report, to_html, to_markdown
from defport_kg.risk.sourcing import Concentration, SingleSource, concentration, single_sources
from defport_kg.risk.sovereignty import SovereigntyReport, control_country, sovereignty, ultimate_parent
from defport_kg.risk.spof import Spof, SpofReport, spof
from defport_kg.risk.sustainment import SustainmentReport, sustainment

__all__ = [
    "MAX_ORDER",
    "UNIT_KINDS",
    "Concentration",
    "CutSet",
    "CutSetReport",
    "EvidenceFilter",
    "Explanation",
    "ExportControlReport",
    "ImpactReport",
    "Item",
    "RawMaterialsReport",
    "Report",
    "SingleSource",
    "SovereigntyReport",
    "Spof",
    "SpofReport",
    "SupplyNetwork",
    "SupplyRelation",
    "SustainmentReport",
    "build_network",
    "build_report",
    "cached_network",
    "check_unit_kind",
    "concentration",
    "control_country",
    "cut_sets",
    "evidence_summary",
    "explain",
    "export_control",
    "impact",
    "load_network",
    "propagate",
    "raw_materials",
    "save_findings",
    "saved_analyses",
    "single_sources",
    "sovereignty",
    "spof",
    "sustainment",
    "tier_of",
    "to_html",
    "to_markdown",
    "ultimate_parent",
    "unit_kind_of",
]
