"""The risk engine: the supply network of CONTRACT §3 and the analyses that read it.

    from defport_kg.risk import load_network, cut_sets, spof
    network = load_network(store)
    cut_sets(network, "https://w3id.org/defport/id/item/x", max_order=2).to_dict()

Every analysis takes the network built once by :func:`load_network` and returns a plain
dataclass whose ``to_dict()`` is the JSON of the matching ``defport-kg risk`` command.
"""

from __future__ import annotations

from defport_kg.risk.cutsets import MAX_ORDER, CutSet, CutSetReport, cut_sets
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
from defport_kg.risk.sourcing import Concentration, SingleSource, concentration, single_sources
from defport_kg.risk.spof import Spof, SpofReport, spof

__all__ = [
    "MAX_ORDER",
    "UNIT_KINDS",
    "Concentration",
    "CutSet",
    "CutSetReport",
    "ImpactReport",
    "Item",
    "SingleSource",
    "Spof",
    "SpofReport",
    "SupplyNetwork",
    "SupplyRelation",
    "build_network",
    "cached_network",
    "check_unit_kind",
    "concentration",
    "cut_sets",
    "impact",
    "load_network",
    "propagate",
    "single_sources",
    "spof",
    "unit_kind_of",
]
