"""Read-only view data for the web pages: labels in the reader's language, things, supply trees.

The pages are views (ARCHITECTURE: data flows one way); everything here only reads the store and
the risk model and shapes the answer for a template or for the dashboard's picture. Labels come
from the data's own language tags: the reader's language first, then English, then untagged, then
any other language, then the IRI's compact form.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from defport_kg.namespaces import DCTERMS, DP, PREFIXES, RDF, RDFS, SKOS, SPARQL_PREFIX_BLOCK, compact
from defport_kg.risk import cached_network, cut_sets, spof
from defport_kg.risk.model import NL, SupplyNetwork

LABEL_PREDICATES = (RDFS + "label", SKOS + "prefLabel")
DESCRIPTION_PREDICATES = (SKOS + "definition", RDFS + "comment", DCTERMS + "description", DP + "contribution")
CRM_CLASSES = frozenset({DP + "CriticalRawMaterial", DP + "StrategicRawMaterial"})
# The most nodes the dashboard draws: beyond this a network picture stops being readable.
TREE_NODE_LIMIT = 400
# Above this many nodes the picture opens on the paths to the single points of failure (the page
# widens the view when there are none): a whole tree of that size is a wall of labels, and those
# paths are what an analyst asks first.
WHOLE_TREE_VIEW_MAX_NODES = 60
_CHUNK = 400


def iri_or_none(text: str | None) -> str | None:
    """``text`` as a valid absolute IRI (prefixed names expanded), or None."""
    if not text:
        return None
    text = text.strip()
    prefix, sep, local = text.partition(":")
    if sep and prefix in PREFIXES and not local.startswith("//"):
        text = PREFIXES[prefix] + local
    try:
        node = ox.NamedNode(text)
    except ValueError:
        return None
    return node.value if ":" in node.value else None


def _values(var: str, iris: Iterable[str]) -> str:
    # Terms are serialised by pyoxigraph (a NamedNode is validated when built), never pasted.
    return f"VALUES ?{var} {{ " + " ".join(str(ox.NamedNode(i)) for i in iris) + " }"


def _rank(tag: str | None, lang: str) -> int:
    tag = (tag or "").lower()
    if tag == lang or tag.startswith(lang + "-"):
        return 0
    if tag == "en" or tag.startswith("en-"):
        return 1
    if not tag:
        return 2
    return 3


def labels(store: Any, iris: Iterable[str], lang: str) -> dict[str, str]:
    """The best label of each IRI for ``lang`` (IRIs without a label map to their compact form)."""
    wanted = list(dict.fromkeys(i for i in iris if i))
    best: dict[str, tuple[int, str]] = {}
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start : start + _CHUNK]
        query = (
            SPARQL_PREFIX_BLOCK
            + "SELECT ?x ?l (LANG(?l) AS ?t) WHERE { "
            + _values("x", chunk)
            + " ?x rdfs:label|skos:prefLabel ?l }"
        )
        for row in store.select(query):
            rank = _rank(row["t"], lang)
            current = best.get(row["x"])
            if current is None or (rank, row["l"]) < current:
                best[row["x"]] = (rank, str(row["l"]))
    return {i: best[i][1] if i in best else compact(i) for i in wanted}


def systems(store: Any, lang: str) -> list[dict[str, str]]:
    """Every ``dp:System`` (and instance of a subclass), sorted by label in ``lang``."""
    rows = store.select(SPARQL_PREFIX_BLOCK + "SELECT DISTINCT ?s WHERE { ?s a ?t . ?t rdfs:subClassOf* dp:System }")
    iris = sorted({r["s"] for r in rows if not str(r["s"]).startswith("_:")})
    names = labels(store, iris, lang)
    return sorted(({"iri": i, "label": names[i]} for i in iris), key=lambda s: (s["label"].lower(), s["iri"]))


# -- the risk model ------------------------------------------------------------------------
# Pages take the supply network the API's analyses use (``risk.cached_network``, one cache per
# store), so that a page and the API never disagree.


def network_of(store: Any) -> SupplyNetwork:
    """The supply network of the live data, reused until the store's catalogue changes."""
    return cached_network(store)


def units(store: Any, network: SupplyNetwork, lang: str) -> dict[str, list[dict[str, str]]]:
    """The failure units that matter: suppliers, their sites and their countries, by kind."""
    kinds: dict[str, set[str]] = {"organisation": set(), "site": set(), "country": set()}
    for relation in network.relations.values():
        if relation.supplier:
            kinds["organisation"].add(relation.supplier)
        if relation.site:
            kinds["site"].add(relation.site)
        if relation.country:
            kinds["country"].add(relation.country)
    names = labels(store, [i for group in kinds.values() for i in group], lang)
    return {
        kind: sorted(({"iri": i, "label": names[i]} for i in group), key=lambda u: u["label"].lower())
        for kind, group in kinds.items()
    }


# -- one thing: its statements, supply relations, sources and risk findings -----------------


@dataclass
class Statement:
    predicate: str
    predicate_label: str
    value: str
    is_iri: bool
    label: str
    lang: str | None = None


@dataclass
class Thing:
    iri: str
    label: str
    names: list[tuple[str, str]]
    types: list[dict[str, str]]
    descriptions: list[str]
    outgoing: list[Statement]
    incoming: list[Statement]
    supply: list[dict[str, Any]]
    sources: list[dict[str, Any]]
    graphs: list[dict[str, Any]]
    findings: list[dict[str, Any]]
    kind: str | None = None
    is_system: bool = False
    notes: list[str] = field(default_factory=list)


_INCOMING_LIMIT = 300
_OUTGOING_LIMIT = 500


def thing(store: Any, network: SupplyNetwork, iri: str, lang: str) -> Thing | None:
    """Everything a reader wants to know about one IRI; None when the live data never mentions it."""
    node = ox.NamedNode(iri)
    out_rows = store.select(
        f"SELECT ?p ?o (LANG(?o) AS ?t) (isIRI(?o) AS ?i) WHERE {{ ?_s ?p ?o }} LIMIT {_OUTGOING_LIMIT + 1}",
        _s=node,
    )
    in_rows = store.select(
        f"SELECT ?s ?p WHERE {{ ?s ?p ?_o FILTER (isIRI(?s)) }} LIMIT {_INCOMING_LIMIT + 1}", _o=node
    )
    if not out_rows and not in_rows:
        return None
    names: list[tuple[str, str]] = []
    types: list[str] = []
    descriptions: list[tuple[int, str]] = []
    outgoing_raw = []
    for row in out_rows[:_OUTGOING_LIMIT]:
        p, o = row["p"], row["o"]
        if p in LABEL_PREDICATES:
            names.append((row["t"] or "", str(o)))
        elif p == RDF + "type" and row["i"]:
            types.append(o)
        elif p in DESCRIPTION_PREDICATES and not row["i"]:
            descriptions.append((_rank(row["t"], lang), str(o)))
        else:
            outgoing_raw.append(row)
    incoming_raw = in_rows[:_INCOMING_LIMIT]
    wanted = {iri, *types}
    wanted.update(r["p"] for r in outgoing_raw)
    wanted.update(r["o"] for r in outgoing_raw if r["i"])
    wanted.update(r["p"] for r in incoming_raw)
    wanted.update(r["s"] for r in incoming_raw)
    names_of = labels(store, wanted, lang)
    outgoing = sorted(
        (
            Statement(
                predicate=r["p"],
                predicate_label=names_of[r["p"]],
                value=str(r["o"]),
                is_iri=bool(r["i"]),
                label=names_of[r["o"]] if r["i"] else str(r["o"]),
                lang=r["t"] or None,
            )
            for r in outgoing_raw
        ),
        key=lambda s: (s.predicate_label.lower(), s.label.lower()),
    )
    incoming = sorted(
        (
            Statement(
                predicate=r["p"], predicate_label=names_of[r["p"]], value=r["s"], is_iri=True, label=names_of[r["s"]]
            )
            for r in incoming_raw
        ),
        key=lambda s: (s.predicate_label.lower(), s.label.lower()),
    )
    # Show only the descriptions in the best available language.
    best_desc = min((rank for rank, _ in descriptions), default=None)
    result = Thing(
        iri=iri,
        label=names_of[iri],
        names=sorted(names),
        types=sorted(({"iri": t, "label": names_of[t]} for t in types), key=lambda t: t["label"].lower()),
        descriptions=[text for rank, text in descriptions if rank == best_desc],
        outgoing=outgoing,
        incoming=incoming,
        supply=[],
        sources=[],
        graphs=[],
        findings=[],
    )
    if len(out_rows) > _OUTGOING_LIMIT or len(in_rows) > _INCOMING_LIMIT:
        result.notes.append("truncated")
    _add_graphs(store, result, node)
    _add_supply_and_findings(store, network, result, lang)
    return result


def _add_graphs(store: Any, result: Thing, node: ox.NamedNode) -> None:
    rows = store.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?_s ?p ?o } }", _s=node)
    catalogue = {g["g"]: g for g in store.source_graphs()} if hasattr(store, "source_graphs") else {}
    for row in sorted(rows, key=lambda r: r["g"]):
        info = catalogue.get(row["g"], {})
        result.graphs.append(
            {"iri": row["g"], "role": info.get("role"), "label": info.get("label") or compact(row["g"])}
        )


def _add_supply_and_findings(store: Any, network: SupplyNetwork, result: Thing, lang: str) -> None:
    iri = result.iri
    relations = []
    if iri in network.items:
        result.kind = "item"
        item = network.items[iri]
        result.is_system = item.is_system
        relations = [network.relations[r] for r in network.relations_of.get(iri, ())]
    elif iri in network.organisations:
        result.kind = "organisation"
        relations = [r for r in network.relations.values() if r.supplier == iri]
    elif iri in network.sites:
        result.kind = "site"
        relations = [r for r in network.relations.values() if r.site == iri]
    elif iri in network.countries:
        result.kind = "country"
    elif iri in network.relations:
        result.kind = "relation"
        relations = [network.relations[iri]]
    wanted: set[str] = set()
    for r in relations:
        wanted.update(x for x in (r.iri, r.item, r.supplier, r.site, r.country, r.confidence) if x)
    names = labels(store, wanted, lang)
    for r in sorted(relations, key=lambda r: (names.get(r.item, r.item), r.iri)):
        result.supply.append(
            {
                "relation": r.iri,
                "relation_label": names.get(r.iri),
                "item": r.item,
                "item_label": names.get(r.item),
                "supplier": r.supplier,
                "supplier_label": names.get(r.supplier or ""),
                "country": r.country,
                "country_label": names.get(r.country or ""),
                "share": r.share,
                "monthly_capacity": r.monthly_capacity,
                "lead_time_days": r.lead_time_days,
                "confidence": r.confidence,
                "confidence_label": names.get(r.confidence or ""),
                "source": r.source,
                "valid_from": r.valid_from,
                "valid_to": r.valid_to,
            }
        )
        if r.source:
            result.sources.append({"source": r.source, "relation": r.iri, "confidence": names.get(r.confidence or "")})
    query = SPARQL_PREFIX_BLOCK + "SELECT ?src WHERE { ?_s dcterms:source ?src }"
    for row in store.select(query, _s=ox.NamedNode(iri)):
        if not any(s["source"] == row["src"] and s["relation"] in (None, iri) for s in result.sources):
            result.sources.insert(0, {"source": row["src"], "relation": None, "confidence": None})
    result.findings = _findings(store, network, result, lang)


def _findings(store: Any, network: SupplyNetwork, result: Thing, lang: str) -> list[dict[str, Any]]:
    """Risk findings about the thing: what can stop it, or what it can stop, plus its flags."""
    findings: list[dict[str, Any]] = []
    iri = result.iri
    if result.kind == "item":
        item = network.items[iri]
        try:
            report = cut_sets(network, iri, max_order=1)
            members = sorted({m for c in report.cut_sets for m in c.members})
        except Exception:  # an analysis that cannot answer must not break the page
            members = []
        if members:
            names = labels(store, members, lang)
            findings.append({"kind": "spof_of_item", "units": [{"iri": m, "label": names[m]} for m in members]})
        rels = network.relations_of.get(iri, ())
        if len(rels) == 1:
            findings.append({"kind": "single_source", "units": []})
        countries = {network.relations[r].country for r in rels}
        if rels and None not in countries and NL not in countries:
            findings.append({"kind": "foreign_only", "units": []})
        if item.export_control:
            names = labels(store, item.export_control, lang)
            findings.append(
                {"kind": "export_control", "units": [{"iri": x, "label": names[x]} for x in item.export_control]}
            )
        if CRM_CLASSES.intersection(item.types):
            findings.append({"kind": "critical_raw_material", "units": []})
        if not rels and not network.components.get(iri):
            findings.append({"kind": "data_gap", "units": []})
    elif result.kind in ("organisation", "site", "country"):
        stopped: list[str] = []
        try:
            cache_key = f"web:spof:{result.kind}"
            report = network.cache.get(cache_key)
            if report is None:
                report = spof(network, unit=result.kind)
                network.cache[cache_key] = report
            for entry in report.spofs:
                if entry.unit == iri:
                    stopped = list(entry.systems)
        except Exception:
            stopped = []
        if stopped:
            names = labels(store, stopped, lang)
            findings.append({"kind": "stops_systems", "units": [{"iri": s, "label": names[s]} for s in stopped]})
    # Findings saved as data by analysis runs (dp:Finding nodes that mention the thing).
    rows = store.select(
        SPARQL_PREFIX_BLOCK + "SELECT DISTINCT ?f WHERE { ?f a dp:Finding ; ?p ?_s }",
        _s=ox.NamedNode(iri),
    )
    if rows:
        names = labels(store, [r["f"] for r in rows], lang)
        findings.append({"kind": "saved", "units": [{"iri": r["f"], "label": names[r["f"]]} for r in rows]})
    return findings


# -- the supply tree of one system, for the dashboard's network picture ----------------------


def supply_tree(
    store: Any, network: SupplyNetwork, system: str, lang: str, limit: int = TREE_NODE_LIMIT
) -> dict[str, Any] | None:
    """Nodes and edges of a system's supply tree with the flags the dashboard marks.

    Items are reached through components and supply relations' inputs; organisations are the
    suppliers of the items reached (one node per organisation, so a supplier shared by several
    branches shows as one node). Flags computed here: foreign-only items (every supply relation
    outside NL), export-controlled items, critical raw materials, data gaps. Single points of
    failure and failure pairs come from the risk API in the browser, so that the picture shows
    exactly what the API answers.
    """
    if system not in network.items:
        return None
    nodes: dict[str, dict[str, Any]] = {}
    edges: dict[tuple[str, str, str], dict[str, Any]] = {}
    depth: dict[str, int] = {system: 0}
    queue = deque([system])
    truncated = False

    def add_item(iri: str, level: int) -> bool:
        nonlocal truncated
        if iri in nodes:
            return True
        if len(nodes) >= limit:
            truncated = True
            return False
        item = network.items.get(iri)
        rels = network.relations_of.get(iri, ())
        countries = {network.relations[r].country for r in rels}
        flags = []
        if item is not None and item.is_system:
            flags.append("system")
        if rels and None not in countries and NL not in countries:
            flags.append("foreign_only")
        if item is not None and item.export_control:
            flags.append("export_control")
        if item is not None and CRM_CLASSES.intersection(item.types):
            flags.append("critical_raw_material")
        if not rels and not network.components.get(iri):
            flags.append("data_gap")
        nodes[iri] = {
            "id": iri,
            "kind": "item",
            "flags": flags,
            "depth": level,
            "export_control": list(item.export_control) if item else [],
        }
        return True

    def add_org(iri: str, level: int) -> bool:
        nonlocal truncated
        if iri in nodes:
            return True
        if len(nodes) >= limit:
            truncated = True
            return False
        country = network.org_country.get(iri)
        flags = [] if country in (None, NL) else ["foreign"]
        nodes[iri] = {"id": iri, "kind": "organisation", "flags": flags, "depth": level, "country": country}
        return True

    add_item(system, 0)
    while queue:
        current = queue.popleft()
        level = depth[current]
        for component, quantity in sorted(network.components.get(current, {}).items()):
            if not add_item(component, level + 1):
                continue
            edges.setdefault((current, component, "component"), {"quantity": quantity})
            if component not in depth:
                depth[component] = level + 1
                queue.append(component)
        for rel_iri in network.relations_of.get(current, ()):
            relation = network.relations[rel_iri]
            if relation.supplier is None or not add_org(relation.supplier, level + 1):
                continue
            edges.setdefault((current, relation.supplier, "supplier"), {"relations": []})["relations"].append(rel_iri)
            for needed in relation.inputs:
                if not add_item(needed, level + 2):
                    continue
                edges.setdefault((relation.supplier, needed, "input"), {"relations": []})["relations"].append(rel_iri)
                if needed not in depth:
                    depth[needed] = level + 2
                    queue.append(needed)
    countries = {n["country"] for n in nodes.values() if n.get("country")}
    export_regimes = {x for n in nodes.values() for x in n.get("export_control", [])}
    names = labels(store, [*nodes, *countries, *export_regimes], lang)
    for node in nodes.values():
        node["label"] = names[node["id"]]
        if node.get("country"):
            node["country_label"] = names[node["country"]]
    return {
        "system": system,
        "label": names[system],
        "nodes": sorted(nodes.values(), key=lambda n: (n["depth"], n["label"].lower())),
        "edges": [{"source": s, "target": t, "kind": k, **data} for (s, t, k), data in edges.items()],
        "regimes": {x: names[x] for x in sorted(export_regimes)},
        "truncated": truncated,
        "limit": limit,
        "default_view": "all" if len(nodes) <= WHOLE_TREE_VIEW_MAX_NODES else "spofs",
    }


def flagged(tree: dict[str, Any], flag: str) -> list[dict[str, Any]]:
    """The tree's nodes carrying ``flag``, nearest to the system first (a ranked table)."""
    return [n for n in tree["nodes"] if flag in n["flags"]]
