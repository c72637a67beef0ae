"""Sourcing structure per item: single sources and concentration (``risk single-source``,
``risk concentration``).

These read the supply relations directly: they describe how an item is bought, not what a
failure does (for that, see cut sets and impact).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from defport_kg.risk.model import EU, NATO, NL, SupplyNetwork


@dataclass(frozen=True, slots=True)
class SingleSource:
    """An item with exactly one supply relation, with what helps judge the exposure."""

    item: str
    relation: str
    supplier: str | None
    site: str | None
    country: str | None
    is_system: bool
    label: str | None = None
    supplier_label: str | None = None
    stock_days: float | None = None
    recovery_days: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "item": self.item,
            "label": self.label,
            "is_system": self.is_system,
            "relation": self.relation,
            "supplier": self.supplier,
            "supplier_label": self.supplier_label,
            "site": self.site,
            "country": self.country,
            "stock_days": self.stock_days,
            "recovery_days": self.recovery_days,
        }


def single_sources(network: SupplyNetwork, *, systems_only: bool = False) -> list[SingleSource]:
    """Items with exactly one supply relation (sorted by IRI)."""
    out = []
    for item_iri, rels in sorted(network.relations_of.items()):
        if len(rels) != 1:
            continue
        item = network.items[item_iri]
        if systems_only and not item.is_system:
            continue
        relation = network.relations[rels[0]]
        out.append(
            SingleSource(
                item=item_iri,
                relation=relation.iri,
                supplier=relation.supplier,
                site=relation.site,
                country=relation.country,
                is_system=item.is_system,
                label=item.label,
                supplier_label=network.label(relation.supplier) if relation.supplier else None,
                stock_days=item.stock_days,
                recovery_days=relation.recovery_days,
            )
        )
    return out


@dataclass(frozen=True, slots=True)
class Concentration:
    """Herfindahl-Hirschman index of an item's supply and its volume outside NL / EU / NATO.

    ``hhi`` is on the usual 0-10,000 scale (shares in percent, squared, summed). Shares are the
    relations' ``dp:share`` normalised to sum to 1; relations without a share split what the
    others leave (or all equally when none has one), and ``shares_estimated`` says so. The
    ``outside_*`` and ``unknown_country`` figures are fractions of the item's volume by the
    relations' effective country (CONTRACT §3) and its ``dp:memberOf`` alliances.
    """

    item: str
    relations: int
    hhi: float
    shares_known: int
    shares_estimated: bool
    outside_nl: float
    outside_eu: float
    outside_nato: float
    unknown_country: float
    label: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "item": self.item,
            "label": self.label,
            "relations": self.relations,
            "hhi": self.hhi,
            "shares_known": self.shares_known,
            "shares_estimated": self.shares_estimated,
            "outside_nl": self.outside_nl,
            "outside_eu": self.outside_eu,
            "outside_nato": self.outside_nato,
            "unknown_country": self.unknown_country,
        }


def _weights(shares: list[float | None]) -> tuple[list[float], bool]:
    known = [s for s in shares if s is not None]
    unknown = len(shares) - len(known)
    if unknown == len(shares):
        raw = [1.0] * len(shares)
    elif unknown == 0:
        raw = [max(0.0, s) for s in known]
    else:
        rest = max(0.0, 1.0 - sum(max(0.0, s) for s in known)) / unknown
        raw = [rest if s is None else max(0.0, s) for s in shares]
    total = sum(raw)
    if total <= 0:
        return [1.0 / len(shares)] * len(shares), True
    return [w / total for w in raw], unknown > 0


def concentration(network: SupplyNetwork, *, systems_only: bool = False) -> list[Concentration]:
    """Concentration of every item with supply relations, most concentrated first."""
    out = []
    for item_iri, rels in network.relations_of.items():
        item = network.items[item_iri]
        if systems_only and not item.is_system:
            continue
        relations = [network.relations[r] for r in rels]
        weights, estimated = _weights([r.share for r in relations])
        outside_nl = outside_eu = outside_nato = unknown = 0.0
        for relation, weight in zip(relations, weights, strict=True):
            country = relation.country
            if country is None:
                unknown += weight
                continue
            alliances = network.memberships.get(country, frozenset())
            if country != NL:
                outside_nl += weight
            if EU not in alliances:
                outside_eu += weight
            if NATO not in alliances:
                outside_nato += weight
        out.append(
            Concentration(
                item=item_iri,
                relations=len(relations),
                hhi=round(10_000 * sum(w * w for w in weights), 1),
                shares_known=sum(1 for r in relations if r.share is not None),
                shares_estimated=estimated,
                outside_nl=round(outside_nl, 4),
                outside_eu=round(outside_eu, 4),
                outside_nato=round(outside_nato, 4),
                unknown_country=round(unknown, 4),
                label=item.label,
            )
        )
    out.sort(key=lambda c: (-c.hhi, c.item))
    return out
