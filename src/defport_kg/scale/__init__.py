"""Scale-up analyses: how much can be produced, what limits it, what surge takes (CONTRACT §3b).

    from defport_kg.risk import load_network
    from defport_kg.scale import max_output
    network = load_network(store)
    max_output(network, ["https://w3id.org/defport/id/item/x"]).to_dict()

Every capacity analysis is a linear programme (scipy's HiGHS) over the model of
:mod:`defport_kg.scale.capacity`, built on the risk engine's supply network so that both engines
agree on items, relations and failure. Each returns a dataclass whose ``to_dict()`` is the JSON of
the matching ``defport-kg scale`` command. See docs/scale.md for the formulas.
"""

from __future__ import annotations

from defport_kg.scale.capacity import CapacityModel, build_model
from defport_kg.scale.disruption import DisruptionReport, disruption, stock_path_days, time_to_survive
from defport_kg.scale.failures import Failure, resolve_failure
from defport_kg.scale.heatmap import heatmap_svg
from defport_kg.scale.maxoutput import Bottleneck, MaxOutputReport, max_output
from defport_kg.scale.needs import REGIONS, CapabilityNeed, NeedsReport, needs_vs_capabilities
from defport_kg.scale.surge import Alternatives, Candidate, Increase, SurgeReport, alternative_suppliers, surge

__all__ = [
    "REGIONS",
    "Alternatives",
    "Bottleneck",
    "Candidate",
    "CapabilityNeed",
    "CapacityModel",
    "DisruptionReport",
    "Failure",
    "Increase",
    "MaxOutputReport",
    "NeedsReport",
    "SurgeReport",
    "alternative_suppliers",
    "build_model",
    "disruption",
    "heatmap_svg",
    "max_output",
    "needs_vs_capabilities",
    "resolve_failure",
    "stock_path_days",
    "surge",
    "time_to_survive",
]
