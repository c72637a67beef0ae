"""Confidentiality: markings on source graphs, clearances of callers, and per-clearance views.

See docs/CONFIDENTIALITY.md for the rules (who sees what, and what derived results carry).
"""

from defport_kg.access.catalog import GraphRecord, marking_quads, read_catalogue
from defport_kg.access.markings import Clearance, Marking, Scheme, derived_marking
from defport_kg.access.views import AccessControl, View

__all__ = [
    "AccessControl",
    "Clearance",
    "GraphRecord",
    "Marking",
    "Scheme",
    "View",
    "derived_marking",
    "marking_quads",
    "read_catalogue",
]
