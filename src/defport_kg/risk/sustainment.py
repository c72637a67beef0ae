"""Sustainment exposure (after Simchi-Levi et al.'s time-to-survive / time-to-recover): for each
unit and each system it can stop on its own, does stock last until the unit recovers?

**Time-to-survive** (TTS, days) is the stock-path formula of
:func:`defport_kg.scale.disruption.stock_path_days` (reused, so that the two answers agree)::

    cover(I) = ∞                                        if I stays available
    cover(I) = stockDays(I) + made(I)                   if I becomes unavailable
    made(I)  = max over I's relations R of               (I has supply relations)
                 0                                       if R's own unit failed
                 min cover(X) over R's unavailable components and inputs X   otherwise
    made(I)  = min cover(C) over I's unavailable components   (I is assembled in-house)
    TTS(system) = cover(system)

so a parent stops when the first of its failed inputs runs out, plus its own ``dp:stockDays``
(missing stock counts as 0 days). **Time-to-recover** (TTR, days) is the longest
``dp:recoveryDays`` among the supply relations the unit takes down itself that matter to the
system (their item is in its supply tree and becomes unavailable); when any of them has no
``dp:recoveryDays`` TTR is **unknown** (None, with the longest known value as a lower bound) —
never zero. An **exposure** is a pair with TTR > TTS; its **gap** is TTR − TTS days.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from defport_kg.risk.evidence import evidence_summary
from defport_kg.risk.index import check_unit_kind, cone, skeleton
from defport_kg.risk.model import SupplyNetwork
from defport_kg.risk.spof import spof


@dataclass(frozen=True)
class Sustainment:
    unit: str
    system: str
    time_to_survive_days: float | None
    time_to_recover_days: float | None
    recovery_lower_bound_days: float | None
    relations: tuple[str, ...]
    evidence: dict[str, Any]

    @property
    def exposed(self) -> bool | None:
        """True when recovery takes longer than stock lasts; None when recovery is unknown."""
        if self.time_to_recover_days is None:
            return None
        if self.time_to_survive_days is None:
            return False
        return self.time_to_recover_days > self.time_to_survive_days

    @property
    def gap_days(self) -> float | None:
        if not self.exposed:
            return None
        assert self.time_to_recover_days is not None and self.time_to_survive_days is not None
        return self.time_to_recover_days - self.time_to_survive_days

    def to_dict(self) -> dict[str, Any]:
        return {
            "unit": self.unit,
            "system": self.system,
            "time_to_survive_days": self.time_to_survive_days,
            "time_to_recover_days": self.time_to_recover_days,
            "recovery_known": self.time_to_recover_days is not None,
            "recovery_lower_bound_days": self.recovery_lower_bound_days,
            "exposed": self.exposed,
            "gap_days": self.gap_days,
            "relations": list(self.relations),
            "evidence": self.evidence,
        }


@dataclass(frozen=True)
class SustainmentReport:
    unit: str
    entries: tuple[Sustainment, ...]
    labels: dict[str, str] = field(default_factory=dict)
    evidence_filter: dict[str, Any] = field(default_factory=dict)

    @property
    def exposures(self) -> tuple[Sustainment, ...]:
        """Pairs where recovery takes longer than stock lasts, the largest gap first."""
        found = [e for e in self.entries if e.exposed]
        return tuple(sorted(found, key=lambda e: (-(e.gap_days or 0.0), e.unit, e.system)))

    def to_dict(self) -> dict[str, Any]:
        return {
            "unit": self.unit,
            "entries": [e.to_dict() for e in self.entries],
            "exposures": [e.to_dict() for e in self.exposures],
            "unknown_recovery": [
                {"unit": e.unit, "system": e.system} for e in self.entries if e.time_to_recover_days is None
            ],
            "labels": self.labels,
            "evidence_filter": self.evidence_filter,
        }

    def rows(self) -> list[dict[str, Any]]:
        return [{k: v for k, v in e.to_dict().items() if k not in ("relations", "evidence")} for e in self.entries]


def sustain(network: SupplyNetwork, unit: str, system: str, kind: str = "organisation") -> Sustainment:
    """TTS and TTR of one system when one unit fails (see the module doc for the formula)."""
    from defport_kg.scale.disruption import stock_path_days
    from defport_kg.scale.failures import resolve_failure

    failure = resolve_failure(network, [unit], kind)
    survive = stock_path_days(network, [system], failure)[system]
    skel = skeleton(network)
    tree = {skel.items[v] for v in cone(network, system)}
    relevant = sorted(
        r
        for r in failure.direct
        if network.relations[r].item in tree and network.relations[r].item in failure.unavailable
    )
    days = [network.relations[r].recovery_days for r in relevant]
    known = [float(d) for d in days if d is not None]
    recover = max(known) if known and len(known) == len(days) else None
    return Sustainment(
        unit=unit,
        system=system,
        time_to_survive_days=None if math.isinf(survive) else survive,
        time_to_recover_days=recover,
        recovery_lower_bound_days=max(known) if known else None,
        relations=tuple(relevant),
        evidence=evidence_summary(network, relevant),
    )


def sustainment(
    network: SupplyNetwork,
    unit: str = "organisation",
    systems: Iterable[str] | None = None,
    units: Iterable[str] | None = None,
) -> SustainmentReport:
    """Every (unit, system) pair where the unit alone stops the system, with TTS, TTR and the gap."""
    check_unit_kind(unit)
    chosen_units = None if units is None else set(units)
    entries = []
    for entry in spof(network, unit, systems).spofs:
        if chosen_units is not None and entry.unit not in chosen_units:
            continue
        for system in entry.systems:
            entries.append(sustain(network, entry.unit, system, unit))
    entries.sort(key=lambda e: (e.unit, e.system))
    named = {e.unit for e in entries} | {e.system for e in entries}
    labels = {iri: lbl for iri in sorted(named) if (lbl := network.label(iri)) is not None}
    return SustainmentReport(unit, tuple(entries), labels)
