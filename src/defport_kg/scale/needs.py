"""Needs versus capabilities: who can deliver each capability some organisation needs, and where.

For every capability that an organisation ``dp:needsCapability`` (typically Defence), the
organisations that ``dp:hasCapability`` it are split into the Netherlands, the rest of the EU, the
rest of NATO and other countries (by the organisation's ``dp:country`` and the country's
``dp:memberOf``). A capability with no Dutch provider, or only one, is a *gap*: Defport's
"snelle en langdurige opschaling" needs national depth, and a single provider is a single point
of failure. Each capability lists the ``dp:Project`` nodes that ``dp:addressesCapability`` it.

Holding or addressing a narrower capability (``skos:broader`` in the capability taxonomy) counts
for the broader need: an organisation with radar provides part of "sensors and radar". This reads
the store with SPARQL rather than the supply network, because needs, capabilities and projects
are not part of the supply model.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from defport_kg.namespaces import DP, RDFS, SKOS
from defport_kg.risk.model import EU, NATO, NL

REGIONS: tuple[str, ...] = ("NL", "EU", "NATO", "other")
REGION_TITLES: dict[str, str] = {
    "NL": "Netherlands",
    "EU": "rest of EU",
    "NATO": "rest of NATO",
    "other": "other",
}
GAP_NONE = "no Dutch provider"
GAP_SINGLE = "one Dutch provider"

_PREFIXES = f"PREFIX dp: <{DP}>\nPREFIX rdfs: <{RDFS}>\nPREFIX skos: <{SKOS}>\n"
_NEEDS = (
    _PREFIXES
    + """
SELECT DISTINCT ?capability ?organisation WHERE { ?organisation dp:needsCapability ?capability }
"""
)
_PROVIDERS = (
    _PREFIXES
    + """
SELECT DISTINCT ?capability ?organisation ?country WHERE {
  { SELECT DISTINCT ?capability WHERE { ?needer dp:needsCapability ?capability } }
  ?held skos:broader* ?capability .
  ?organisation dp:hasCapability ?held .
  OPTIONAL { ?organisation dp:country ?country }
}
"""
)
_PROJECTS = (
    _PREFIXES
    + """
SELECT DISTINCT ?capability ?project WHERE {
  { SELECT DISTINCT ?capability WHERE { ?needer dp:needsCapability ?capability } }
  ?addressed skos:broader* ?capability .
  ?project dp:addressesCapability ?addressed .
}
"""
)
_MEMBERSHIPS = _PREFIXES + "SELECT DISTINCT ?country ?alliance WHERE { ?country dp:memberOf ?alliance }"
_LABELS = (
    _PREFIXES
    + """
SELECT ?thing ?label (LANG(?label) AS ?lang) WHERE {
  { SELECT DISTINCT ?thing WHERE {
      { ?thing dp:needsCapability ?x } UNION { ?x dp:needsCapability ?thing }
      UNION { ?x dp:needsCapability ?need . ?held skos:broader* ?need . ?thing dp:hasCapability ?held }
      UNION { ?x dp:needsCapability ?need . ?addressed skos:broader* ?need . ?thing dp:addressesCapability ?addressed }
  } }
  ?thing rdfs:label ?label .
}
"""
)
_LANG_RANK = {"en": 0, "": 1, "nl": 2}


@dataclass(frozen=True, slots=True)
class CapabilityNeed:
    """One needed capability: who needs it, who provides it per region, and what addresses it."""

    capability: str
    needed_by: tuple[str, ...]
    providers: dict[str, tuple[str, ...]]
    projects: tuple[str, ...]
    label: str | None = None

    @property
    def gap(self) -> str | None:
        dutch = len(self.providers.get("NL", ()))
        if dutch == 0:
            return GAP_NONE
        if dutch == 1:
            return GAP_SINGLE
        return None

    def counts(self) -> dict[str, int]:
        return {region: len(self.providers.get(region, ())) for region in REGIONS}

    def to_dict(self) -> dict[str, Any]:
        return {
            "capability": self.capability,
            "label": self.label,
            "needed_by": list(self.needed_by),
            "providers": {region: list(self.providers.get(region, ())) for region in REGIONS},
            "counts": self.counts(),
            "gap": self.gap,
            "projects": list(self.projects),
        }


@dataclass(frozen=True)
class NeedsReport:
    capabilities: tuple[CapabilityNeed, ...]
    labels: dict[str, str] = field(default_factory=dict)

    @property
    def gaps(self) -> tuple[CapabilityNeed, ...]:
        return tuple(c for c in self.capabilities if c.gap is not None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "regions": list(REGIONS),
            "capabilities": [c.to_dict() for c in self.capabilities],
            "gaps": [{"capability": c.capability, "gap": c.gap, "projects": list(c.projects)} for c in self.gaps],
            "labels": dict(self.labels),
        }

    def to_csv(self) -> str:
        """One row per needed capability (RFC 4180, CRLF line ends as the csv module writes)."""
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["capability", "label", "needed_by", *REGIONS, "gap", "projects"])
        for need in self.capabilities:
            counts = need.counts()
            writer.writerow(
                [
                    need.capability,
                    need.label or "",
                    len(need.needed_by),
                    *(counts[r] for r in REGIONS),
                    need.gap or "",
                    " ".join(need.projects),
                ]
            )
        return out.getvalue()


def region_of(country: str | None, memberships: Mapping[str, Collection[str]]) -> str:
    """NL, rest of EU, rest of NATO or other; an organisation without a country counts as other."""
    if country == NL:
        return "NL"
    alliances = memberships.get(country or "", ())
    if EU in alliances:
        return "EU"
    if NATO in alliances:
        return "NATO"
    return "other"


def needs_vs_capabilities(store: Any) -> NeedsReport:
    """The needs-versus-capabilities table of the store's live data (sorted by label, then IRI)."""
    needed_by: dict[str, set[str]] = {}
    for row in store.select(_NEEDS):
        needed_by.setdefault(row["capability"], set()).add(row["organisation"])
    memberships: dict[str, set[str]] = {}
    for row in store.select(_MEMBERSHIPS):
        memberships.setdefault(row["country"], set()).add(row["alliance"])
    # The smallest country IRI wins for an organisation with two (as the supply model does).
    provider_country: dict[tuple[str, str], str | None] = {}
    for row in store.select(_PROVIDERS):
        key = (row["capability"], row["organisation"])
        country = row["country"]
        old = provider_country.get(key)
        if key not in provider_country or (country is not None and (old is None or country < old)):
            provider_country[key] = country
    providers: dict[str, dict[str, list[str]]] = {}
    for (capability, organisation), country in provider_country.items():
        region = region_of(country, memberships)
        providers.setdefault(capability, {}).setdefault(region, []).append(organisation)
    projects: dict[str, set[str]] = {}
    for row in store.select(_PROJECTS):
        projects.setdefault(row["capability"], set()).add(row["project"])
    ranked: dict[str, tuple[int, str]] = {}
    for row in store.select(_LABELS):
        rank = (_LANG_RANK.get(row["lang"] or "", 3), str(row["label"]))
        if row["thing"] not in ranked or rank < ranked[row["thing"]]:
            ranked[row["thing"]] = rank
    labels = {iri: text for iri, (_, text) in ranked.items()}
    needs = [
        CapabilityNeed(
            capability=capability,
            needed_by=tuple(sorted(orgs)),
            providers={r: tuple(sorted(providers.get(capability, {}).get(r, ()))) for r in REGIONS},
            projects=tuple(sorted(projects.get(capability, ()))),
            label=labels.get(capability),
        )
        for capability, orgs in needed_by.items()
    ]
    needs.sort(key=lambda n: ((n.label or "").casefold(), n.capability))
    return NeedsReport(tuple(needs), labels)
