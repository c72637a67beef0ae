"""A deterministic synthetic industrial base, for benchmarks and demonstrations.

Realistic in the ways the risk and scale-up analyses care about: about six bill-of-materials tiers
(systems → components → materials) whose lower tiers are shared between assemblies; one to four
suppliers per item, about 30 % single-sourced; Zipf-like supplier popularity (a few primes supply
a lot, most organisations a little); sites abroad; supplier-specific ``dp:requiresInput`` edges,
some of which close supply cycles; ``dp:ComponentUse`` quantities (some lines given only that
way, some pairs twice); capacities, shares, lead, recovery and stock days; demand on systems.

Everything is drawn from one ``random.Random(seed)`` in a fixed order, so the same (orgs, seed)
gives the same triples byte for byte. Labels say "synthetic"; IRIs are ``dpid:*/syn-NNNNNN``.
Countries and capabilities are the reference data's IRIs (``dpid:country/XX``,
``dpid:capability/...``), so the data validates in the context of an initialised store.
"""

from __future__ import annotations

import bisect
import math
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from defport_kg.namespaces import DCTERMS, DP, DPID, RDF, RDFS, XSD

# Country mix of suppliers (weights): mostly Dutch and allied, some beyond EU and NATO.
COUNTRY_WEIGHTS: tuple[tuple[str, float], ...] = (
    ("NL", 45),
    ("DE", 10),
    ("BE", 5),
    ("FR", 6),
    ("GB", 5),
    ("US", 8),
    ("NO", 2),
    ("SE", 2),
    ("IT", 3),
    ("ES", 2),
    ("PL", 2),
    ("DK", 1),
    ("FI", 1),
    ("TR", 1),
    ("CH", 1),
    ("CN", 3),
    ("IN", 1),
    ("IL", 1),
    ("JP", 1),
    ("KR", 1),
    ("TW", 1),
)
# Leaf capabilities of data/reference/capabilities.ttl that systems may realise.
CAPABILITIES: tuple[str, ...] = (
    "radar",
    "sonar",
    "optronics",
    "electronic-warfare",
    "command-and-control",
    "communications",
    "cyber",
    "naval-shipbuilding",
    "submarines",
    "land-vehicles",
    "armour-and-protection",
    "aerospace-structures",
    "avionics",
    "space",
    "guided-weapons",
    "munitions-and-energetics",
    "weapon-systems",
    "unmanned-aerial-systems",
    "unmanned-ground-systems",
    "unmanned-maritime-systems",
    "propulsion",
    "power-and-energy-storage",
    "precision-machining",
    "composites",
    "additive-manufacturing",
    "electronics-manufacturing",
    "mro",
    "logistics",
    "simulation-and-training",
    "test-and-evaluation",
)
TIER_SHARE: tuple[float, ...] = (0.01, 0.04, 0.10, 0.20, 0.30, 0.35)  # systems ... materials
ITEMS_PER_ORG = 0.25
SUPPLIER_COUNTS: tuple[tuple[int, float], ...] = ((1, 0.30), (2, 0.35), (3, 0.20), (4, 0.15))
ZIPF_EXPONENT = 0.9
EXPORT_REGIMES = ("ITAR", "EAR", "EUDualUse")
CONFIDENCE = (("Disclosed", 0.40), ("Inferred", 0.35), ("Assumed", 0.25))

_TYPE = f"<{RDF}type>"
_LABEL = f"<{RDFS}label>"


def _iri(value: str) -> str:
    return f"<{value}>"


def _dp(name: str) -> str:
    return f"<{DP}{name}>"


def _decimal(value: float, places: int = 2) -> str:
    return f'"{value:.{places}f}"^^<{XSD}decimal>'


def _integer(value: int) -> str:
    return f'"{value}"^^<{XSD}integer>'


def _text(value: str) -> str:
    return f'"{value}"@en'


@dataclass
class Summary:
    """What a generation produced (printed by ``defport-kg generate``)."""

    organisations: int = 0
    items: int = 0
    systems: int = 0
    relations: int = 0
    sites: int = 0
    single_sourced: int = 0
    triples: int = 0
    tiers: list[int] = field(default_factory=list)


class _Zipf:
    """Draws indices 0..n-1 with weight (rank+1)^-s over a fixed random permutation."""

    def __init__(self, rng: random.Random, n: int, exponent: float) -> None:
        self.order = list(range(n))
        rng.shuffle(self.order)
        total = 0.0
        self.cumulative = []
        for rank in range(n):
            total += (rank + 1) ** -exponent
            self.cumulative.append(total)
        self.total = total

    def draw(self, rng: random.Random) -> int:
        position = bisect.bisect_left(self.cumulative, rng.random() * self.total)
        return self.order[min(position, len(self.order) - 1)]


def _pick(rng: random.Random, weighted: tuple[tuple[object, float], ...]) -> object:
    threshold = rng.random() * sum(w for _, w in weighted)
    for value, weight in weighted:
        threshold -= weight
        if threshold < 0:
            return value
    return weighted[-1][0]


def generate(orgs: int, seed: int = 1, summary: Summary | None = None) -> Iterator[str]:
    """N-Triples lines (with their newline) of a synthetic base of ``orgs`` organisations."""
    if orgs < 10:
        raise ValueError("a synthetic base needs at least 10 organisations")
    rng = random.Random(seed)
    stats = summary if summary is not None else Summary()
    source = f'"synthetic data (defport-kg generate --seed {seed})"'

    # -- organisations -------------------------------------------------------------------
    org_iri = [f"{DPID}org/syn-{n:06d}" for n in range(orgs)]
    country_weights = tuple(COUNTRY_WEIGHTS)
    org_country: list[str] = []
    for n, iri in enumerate(org_iri):
        kind = _pick(rng, (("Company", 0.95), ("KnowledgeInstitute", 0.03), ("GovernmentBody", 0.02)))
        country = str(_pick(rng, country_weights))
        org_country.append(country)
        yield f"{_iri(iri)} {_TYPE} {_dp(str(kind))} .\n"
        yield f"{_iri(iri)} {_LABEL} {_text(f'Synthetic organisation {n:06d}')} .\n"
        yield f"{_iri(iri)} {_dp('country')} {_iri(DPID + 'country/' + country)} .\n"
        if rng.random() < 0.2:
            capability = DPID + "capability/" + rng.choice(CAPABILITIES)
            yield f"{_iri(iri)} {_dp('hasCapability')} {_iri(capability)} .\n"
    stats.organisations = orgs
    popularity = _Zipf(rng, orgs, ZIPF_EXPONENT)
    for n, iri in enumerate(org_iri):
        if rng.random() < 0.05:
            parent = popularity.draw(rng)
            if parent != n:
                yield f"{_iri(iri)} {_dp('controlledBy')} {_iri(org_iri[parent])} .\n"

    # -- items in tiers ------------------------------------------------------------------
    n_items = max(int(orgs * ITEMS_PER_ORG), 2 * len(TIER_SHARE))
    sizes = [max(1, round(n_items * share)) for share in TIER_SHARE]
    stats.tiers = sizes
    tiers: list[list[int]] = []
    start = 0
    for size in sizes:
        tiers.append(list(range(start, start + size)))
        start += size
    item_iri = [f"{DPID}item/syn-{n:06d}" for n in range(start)]
    item_tier = [t for t, members in enumerate(tiers) for _ in members]
    last = len(tiers) - 1
    for t, members in enumerate(tiers):
        cls = "System" if t == 0 else ("Material" if t == last else "Component")
        name = {"System": "system", "Component": f"component (tier {t})", "Material": "material"}[cls]
        for i in members:
            iri = _iri(item_iri[i])
            yield f"{iri} {_TYPE} {_dp(cls)} .\n"
            yield f"{iri} {_LABEL} {_text(f'Synthetic {name} {i:06d}')} .\n"
            if rng.random() < 0.6:
                yield f"{iri} {_dp('stockDays')} {_decimal(rng.uniform(0, 180), 1)} .\n"
            if rng.random() < 0.05:
                yield f"{iri} {_dp('exportControl')} {_dp(rng.choice(EXPORT_REGIMES))} .\n"
            if cls == "System":
                yield f"{iri} {_dp('monthlyDemand')} {_decimal(rng.uniform(1, 40), 1)} .\n"
                for capability in rng.sample(CAPABILITIES, rng.choice((1, 1, 2))):
                    yield f"{iri} {_dp('realises')} {_iri(DPID + 'capability/' + capability)} .\n"
    stats.items = start
    stats.systems = sizes[0]

    # -- bill of materials: each assembly takes parts of the next tier (sometimes two down) --
    has_parent = [False] * start
    bom: list[list[int]] = [[] for _ in range(start)]
    for t in range(last):
        below = tiers[t + 1]
        further = tiers[t + 2] if t + 2 <= last else below
        for a in tiers[t]:
            wanted = rng.randint(2, 5)
            chosen: list[int] = []
            for _ in range(wanted):
                pool = further if rng.random() < 0.15 else below
                # Squared uniform: low indices (standard parts) are reused far more often.
                c = pool[int(len(pool) * rng.random() ** 2)]
                if c not in chosen:
                    chosen.append(c)
            bom[a] = chosen
        for a in tiers[t]:
            for c in bom[a]:
                has_parent[c] = True
        for c in below:
            if not has_parent[c]:
                a = rng.choice(tiers[t])
                bom[a].append(c)
                has_parent[c] = True
    use_counter = 0
    for a in range(start):
        for c in bom[a]:
            assembly, component = _iri(item_iri[a]), _iri(item_iri[c])
            roll = rng.random()
            if roll < 0.7:
                yield f"{assembly} {_dp('hasComponent')} {component} .\n"
                continue
            if roll < 0.9:  # both the plain line and a quantity
                yield f"{assembly} {_dp('hasComponent')} {component} .\n"
            uses = 2 if rng.random() < 0.1 else 1  # two ComponentUse nodes for one pair add up
            for _ in range(uses):
                use = f"_:use{use_counter}"
                use_counter += 1
                quantity = rng.choice((1, 2, 2, 4, 4, 6, 8, 12, 24))
                yield f"{use} {_TYPE} {_dp('ComponentUse')} .\n"
                yield f"{use} {_dp('assembly')} {assembly} .\n"
                yield f"{use} {_dp('component')} {component} .\n"
                yield f"{use} {_dp('quantity')} {_decimal(quantity, 1)} .\n"

    # -- supply relations ------------------------------------------------------------------
    sites_of: dict[int, list[int]] = {}
    site_count = 0
    relation_count = 0
    low_tiers = [i for t in range(3, last + 1) for i in tiers[t]]
    mid_tiers = [i for t in range(2, last) for i in tiers[t]]
    for i in range(start):
        tier = item_tier[i]
        # Some assemblies are made in-house (no relation); a few materials are data gaps.
        if (tier < last and rng.random() < 0.03) or (tier == last and rng.random() < 0.005):
            continue
        count = int(_pick(rng, SUPPLIER_COUNTS))  # type: ignore[arg-type]
        suppliers: list[int] = []
        for _ in range(count * 3):
            s = popularity.draw(rng)
            if s not in suppliers:
                suppliers.append(s)
            if len(suppliers) == count:
                break
        if len(suppliers) == 1:
            stats.single_sourced += 1
        weights = [rng.random() + 0.2 for _ in suppliers]
        total = sum(weights)
        shares = [round(w / total, 2) for w in weights]
        shares[-1] = round(1 - sum(shares[:-1]), 2)
        if shares[-1] <= 0:
            shares = [round(1 / len(suppliers), 2)] * len(suppliers)
            shares[-1] = round(1 - sum(shares[:-1]), 2)
        base = 10 * 3**tier
        for s, share in zip(suppliers, shares, strict=True):
            r = _iri(f"{DPID}supply/syn-{relation_count:06d}")
            relation_count += 1
            yield f"{r} {_TYPE} {_dp('SupplyRelation')} .\n"
            yield f"{r} {_LABEL} {_text(f'Synthetic supply of item {i:06d} by organisation {s:06d}')} .\n"
            yield f"{r} {_dp('supplier')} {_iri(org_iri[s])} .\n"
            yield f"{r} {_dp('item')} {_iri(item_iri[i])} .\n"
            yield f"{r} {_dp('share')} {_decimal(share)} .\n"
            if rng.random() < 0.85:
                capacity = base * math.exp(rng.gauss(0, 0.6))
                yield f"{r} {_dp('monthlyCapacity')} {_decimal(capacity, 1)} .\n"
            yield f"{r} {_dp('leadTimeDays')} {_integer(rng.randint(14, 400))} .\n"
            yield f"{r} {_dp('recoveryDays')} {_integer(rng.randint(30, 720))} .\n"
            yield f"{r} {_dp('confidence')} {_dp(str(_pick(rng, CONFIDENCE)))} .\n"
            yield f"{r} <{DCTERMS}source> {source} .\n"
            if rng.random() < 0.4:
                own = sites_of.setdefault(s, [])
                if not own or (len(own) < 3 and rng.random() < 0.3):
                    site = site_count
                    site_count += 1
                    own.append(site)
                    site_iri = _iri(f"{DPID}site/syn-{site:06d}")
                    abroad = rng.random() < 0.25
                    country = str(_pick(rng, country_weights)) if abroad else org_country[s]
                    yield f"{site_iri} {_TYPE} {_dp('Site')} .\n"
                    yield f"{site_iri} {_LABEL} {_text(f'Synthetic site {site:06d}')} .\n"
                    yield f"{site_iri} {_dp('operatedBy')} {_iri(org_iri[s])} .\n"
                    yield f"{site_iri} {_dp('country')} {_iri(DPID + 'country/' + country)} .\n"
                else:
                    site_iri = _iri(f"{DPID}site/syn-{rng.choice(own):06d}")
                yield f"{r} {_dp('site')} {site_iri} .\n"
            roll = rng.random()
            if roll < 0.12:
                # Supplier-specific inputs (tooling, energetics, process materials); an input
                # from a higher tier than the item can close a supply cycle, as in real bases.
                pool = mid_tiers if roll < 0.02 else low_tiers
                for x in rng.sample(pool, rng.choice((1, 1, 2))):
                    if x != i:
                        yield f"{r} {_dp('requiresInput')} {_iri(item_iri[x])} .\n"
    stats.relations = relation_count
    stats.sites = site_count


def write_ntriples(path: str | Path, orgs: int, seed: int = 1) -> Summary:
    """Write a synthetic base as N-Triples to ``path``; returns what was written."""
    summary = Summary()
    count = 0
    with open(path, "w", encoding="utf-8", newline="\n") as out:
        buffer: list[str] = []
        for line in generate(orgs, seed, summary):
            buffer.append(line)
            count += 1
            if len(buffer) >= 10_000:
                out.write("".join(buffer))
                buffer.clear()
        out.write("".join(buffer))
    summary.triples = count
    return summary
