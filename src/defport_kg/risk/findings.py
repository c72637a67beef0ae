"""Findings as data: an analysis run's findings as RDF in their own named graph, with PROV-O.

``save_findings`` writes the findings of one run into ``dpid:analysis/{id}`` (a live source graph,
role ``analysis``, so SPARQL sees them like any other data) together with the run: a
``dp:AnalysisRun`` (``prov:Activity``) with ``prov:startedAtTime``, the live source graphs it read
(``prov:used``), the software version (``schema:softwareVersion``), ``dp:analysisKind`` and the
evidence filter (``dp:asOf``, ``dp:minConfidence``). The same provenance is written into the
catalogue graph beside the graph's own entry. Each ``dp:Finding`` is ``prov:wasGeneratedBy`` the
run and carries ``dp:findingKind``, what it is about (``dp:aboutSystem``, ``dp:aboutItem``,
``dp:aboutUnit``, ``dp:aboutRegime``), its figures and ``dp:assumedFraction``.

Everything a researcher may want to filter on is a property, not prose: the export-control regime
of a finding is ``dp:aboutRegime`` (``dp:ITAR``, ``dp:EAR``, ``dp:EUDualUse``), the basis of a
country SPOF or share ``dp:basis`` (``location`` or ``control``). ``rdfs:comment`` only repeats
them for people.

``saved_analyses`` lists the runs and ``saved_findings`` reads one back as JSON (the API's
``/api/risk/findings`` routes); both read the store, so what they show is what SPARQL sees.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Iterator
from typing import Any

import pyoxigraph as ox

from defport_kg.errors import NotFoundError, UsageError
from defport_kg.namespaces import ANALYSIS_PREFIX, CATALOG_GRAPH, DP, PROV, RDF, RDFS, SCHEMA, XSD

KINDS = ("sovereignty", "export-control", "raw-materials", "sustainment", "explain")
# Keys of a flat finding whose value is a list of IRIs, and the property each member is said with.
LIST_KEYS = {"units": "aboutUnit", "items": "aboutItem", "regimes": "aboutRegime"}


def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def _lit(value: Any) -> ox.Literal:
    if isinstance(value, bool):
        return ox.Literal("true" if value else "false", datatype=_n(XSD + "boolean"))
    if isinstance(value, int):
        return ox.Literal(str(value), datatype=_n(XSD + "integer"))
    if isinstance(value, float):
        return ox.Literal(repr(round(value, 6)), datatype=_n(XSD + "decimal"))
    return ox.Literal(str(value))


def new_run_id() -> str:
    now = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    return f"{now}-{uuid.uuid4().hex[:8]}"


def _findings(kind: str, body: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The findings of one report (its ``to_dict()``) as flat property maps."""
    if kind == "sovereignty":
        bases = body.get("bases", ["location", "control"])
        for s in body["systems"]:
            for basis in bases:
                key = "country_spofs" if basis == "location" else "country_spofs_by_control"
                for country in s[key]:
                    yield {
                        "findingKind": "country-spof",
                        "aboutSystem": s["system"],
                        "aboutUnit": country,
                        "basis": basis,
                        "stopsSystem": True,
                    }
            for basis in bases:
                for region, share in s["by_" + basis].items():
                    yield {
                        "findingKind": "sovereignty-share",
                        "aboutSystem": s["system"],
                        "region": region,
                        "basis": basis,
                        "availableShare": share,
                        "stopsSystem": not s["system_available_by_" + basis][region],
                        "assumedFraction": s["evidence"]["assumed_fraction"],
                    }
        for f in body["foreign_controlled"]:
            yield {
                "findingKind": "foreign-control",
                "aboutUnit": f["organisation"],
                "comment": f"controlled from {f['control_country']} through {f['ultimate_parent']}",
            }
    elif kind == "export-control":
        for s in body["systems"]:
            for i in s["items"]:
                yield {
                    "findingKind": "export-control",
                    "aboutSystem": s["system"],
                    "aboutItem": i["item"],
                    "regimes": i["regimes"],
                    "stopsSystem": not i["avoidable"],
                    "assumedFraction": i["evidence"]["assumed_fraction"],
                    "comment": "regimes: " + " ".join(i["regimes"]),
                }
            # Per regime: would refusing every licence under it stop the system (no route avoids
            # all of its items)? An item can be avoidable alone yet the regime not.
            for r in s["regimes"]:
                yield {
                    "findingKind": "export-control-regime",
                    "aboutSystem": s["system"],
                    "aboutRegime": r["regime"],
                    "items": r["items"],
                    "stopsSystem": not r["avoidable"],
                }
    elif kind == "raw-materials":
        for s in body["systems"]:
            for m in s["materials"]:
                yield {
                    "findingKind": "raw-material",
                    "aboutSystem": s["system"],
                    "aboutItem": m["material"],
                    "stopsSystem": m["critical"],
                    "assumedFraction": m["evidence"]["assumed_fraction"],
                    "units": m["spof_suppliers"] + m["spof_countries"],
                }
    elif kind == "sustainment":
        for e in body["entries"]:
            yield {
                "findingKind": "sustainment",
                "aboutSystem": e["system"],
                "aboutUnit": e["unit"],
                "stopsSystem": True,
                "timeToSurviveDays": e["time_to_survive_days"],
                "timeToRecoverDays": e["time_to_recover_days"],
                "gapDays": e["gap_days"],
                "assumedFraction": e["evidence"]["assumed_fraction"],
            }
    elif kind == "explain":
        yield {
            "findingKind": "explanation",
            "aboutSystem": body["system"],
            "aboutUnit": body["unit"],
            "tier": body["tier"],
            "stopsSystem": body["stops_system"],
            "assumedFraction": body["evidence"]["assumed_fraction"],
        }


def run_triples(
    run: str, kind: str, started: str, graphs: list[str], evidence_filter: dict[str, Any]
) -> list[ox.Triple]:
    from defport_kg import __version__

    node = _n(run)
    triples = [
        ox.Triple(node, _n(RDF + "type"), _n(DP + "AnalysisRun")),
        ox.Triple(node, _n(RDFS + "label"), ox.Literal(f"{kind} analysis {started}", language="en")),
        ox.Triple(node, _n(DP + "analysisKind"), ox.Literal(kind)),
        ox.Triple(node, _n(PROV + "startedAtTime"), ox.Literal(started, datatype=_n(XSD + "dateTime"))),
        ox.Triple(node, _n(SCHEMA + "softwareVersion"), ox.Literal(f"defport-kg {__version__}")),
    ]
    triples += [ox.Triple(node, _n(PROV + "used"), _n(g)) for g in graphs]
    if evidence_filter.get("as_of"):
        triples.append(
            ox.Triple(node, _n(DP + "asOf"), ox.Literal(evidence_filter["as_of"], datatype=_n(XSD + "date")))
        )
    if evidence_filter.get("min_confidence"):
        triples.append(ox.Triple(node, _n(DP + "minConfidence"), _n(evidence_filter["min_confidence"])))
    return triples


def findings_triples(graph: str, run: str, kind: str, body: dict[str, Any]) -> list[ox.Triple]:
    triples: list[ox.Triple] = []
    for n, finding in enumerate(_findings(kind, body), start=1):
        node = _n(f"{graph}/finding/{n}")
        add = triples.append
        add(ox.Triple(node, _n(RDF + "type"), _n(DP + "Finding")))
        add(ox.Triple(node, _n(PROV + "wasGeneratedBy"), _n(run)))
        label = " ".join(
            str(finding[k]).rsplit("/", 1)[-1].rsplit("#", 1)[-1]
            for k in ("findingKind", "aboutSystem", "aboutItem", "aboutRegime", "aboutUnit", "basis", "region")
            if finding.get(k)
        )
        add(ox.Triple(node, _n(RDFS + "label"), ox.Literal(label, language="en")))
        for key, value in finding.items():
            if value is None:
                continue
            if key in ("aboutSystem", "aboutItem", "aboutUnit", "aboutRegime"):
                add(ox.Triple(node, _n(DP + key), _n(value)))
            elif key in LIST_KEYS:
                for member in value:
                    add(ox.Triple(node, _n(DP + LIST_KEYS[key]), _n(member)))
            elif key == "comment":
                add(ox.Triple(node, _n(RDFS + "comment"), ox.Literal(value, language="en")))
            else:
                add(ox.Triple(node, _n(DP + key), _lit(value)))
    return triples


def save_findings(
    store: Any, kind: str, body: dict[str, Any], evidence_filter: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Store one run's findings as live data in ``dpid:analysis/{id}``; returns graph, run and count."""
    run_id = new_run_id()
    graph = ANALYSIS_PREFIX + run_id
    run = graph + "/run"
    started = dt.datetime.now(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
    graphs = [g for g in store.live_graphs() if not g.startswith(ANALYSIS_PREFIX)]
    provenance = run_triples(run, kind, started, graphs, evidence_filter or {})
    found = findings_triples(graph, run, kind, body)
    catalog = _n(CATALOG_GRAPH)
    extra = [ox.Quad(t.subject, t.predicate, t.object, catalog) for t in provenance]
    extra.append(ox.Quad(_n(graph), _n(PROV + "wasGeneratedBy"), _n(run), catalog))
    extra.append(
        ox.Quad(_n(graph), _n(PROV + "generatedAtTime"), ox.Literal(started, datatype=_n(XSD + "dateTime")), catalog)
    )
    extra += _derived_marking(store, graph, graphs)
    store.add_source_graph(
        graph, provenance + found, role="analysis", label=f"{kind} analysis {run_id}", extra_quads=extra
    )
    return {"id": run_id, "graph": graph, "run": run, "findings": len(list(_findings(kind, body))), "started": started}


def _derived_marking(store: Any, graph: str, used: list[str]) -> list[ox.Quad]:
    """The catalogue quads marking the findings graph as confidential as the data it was computed
    from (``defport_kg.access.derived_marking``): without a marking it would get the default import
    marking, hiding findings on public data from readers who may see that data, or — on restricted
    data — showing them to readers who may not."""
    from defport_kg.access import derived_marking, marking_quads, read_catalogue
    from defport_kg.access.markings import Marking, Scheme
    from defport_kg.settings import get_settings

    settings = get_settings()
    scheme = Scheme.of(settings.markings)
    records = read_catalogue(store, scheme, settings.default_import_marking).graphs
    inputs = (records[g].marking if g in records else Marking(scheme.highest) for g in used)
    return marking_quads(graph, derived_marking(inputs, scheme))


def saved_analyses(store: Any) -> list[dict[str, Any]]:
    """The saved analysis runs (live analysis graphs), newest first, with kind, time and findings count."""
    rows = store.query(
        f"""SELECT ?g ?run ?kind ?started ?version (COUNT(?f) AS ?findings) WHERE {{
          GRAPH ?g {{ ?run a <{DP}AnalysisRun> ; <{DP}analysisKind> ?kind ; <{PROV}startedAtTime> ?started .
                     OPTIONAL {{ ?run <{SCHEMA}softwareVersion> ?version }}
                     OPTIONAL {{ ?f <{PROV}wasGeneratedBy> ?run }} }}
        }} GROUP BY ?g ?run ?kind ?started ?version ORDER BY DESC(?started) ?g"""
    )
    live = set(store.live_graphs())
    out = []
    for row in rows:
        graph = row["g"].value
        if graph not in live:
            continue
        out.append(
            {
                "id": graph[len(ANALYSIS_PREFIX) :],
                "graph": graph,
                "run": row["run"].value,
                "kind": row["kind"].value,
                "started": row["started"].value,
                "version": row["version"].value if row["version"] else None,
                "findings": int(row["findings"].value),
            }
        )
    return out


RUN_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}")
# Finding properties that may have several values, and the JSON key of their list.
MULTI = {"aboutItem": "about_items", "aboutUnit": "about_units", "aboutRegime": "about_regimes"}


def analysis_graph(run_id: str) -> str:
    """The graph IRI of a saved run; a UsageError names an id that cannot be one (HTTP 400)."""
    if not RUN_ID.fullmatch(run_id):
        raise UsageError(
            f"bad analysis id {run_id!r}: expected the id of a saved run such as 20250101T120000Z-1a2b3c4d "
            "(letters, digits, '.', '_' or '-')",
            analysis=run_id,
        )
    return ANALYSIS_PREFIX + run_id


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def saved_findings(store: Any, run_id: str) -> dict[str, Any]:
    """One saved run and its findings as JSON, read back from its graph (NotFoundError if not live).

    Each finding has its IRI, label, ``kind``, ``about_system``, lists ``about_items``,
    ``about_units`` and ``about_regimes``, and its other ``dp:`` figures under snake_case names
    (``available_share``, ``gap_days``, ...), sorted by finding number.
    """
    graph = analysis_graph(run_id)
    run = next((a for a in saved_analyses(store) if a["graph"] == graph), None)
    if run is None:
        raise NotFoundError(f"unknown analysis {run_id}: no live saved run in graph {graph}", analysis=run_id)
    rows = store.select(
        f"""SELECT ?f ?p ?o WHERE {{
          GRAPH ?g {{ ?f a <{DP}Finding> ; <{PROV}wasGeneratedBy> ?run ; ?p ?o . }}
        }}""",
        g=graph,
        run=run["run"],
    )
    found: dict[str, dict[str, Any]] = {}
    for row in rows:
        finding = found.setdefault(row["f"], {"finding": row["f"], **{key: [] for key in MULTI.values()}})
        predicate, value = row["p"], row["o"]
        if predicate == RDFS + "label":
            finding["label"] = value
        elif predicate == RDFS + "comment":
            finding["comment"] = value
        elif predicate.startswith(DP):
            name = predicate[len(DP) :]
            if name in MULTI:
                finding[MULTI[name]].append(value)
            else:
                finding["kind" if name == "findingKind" else _snake(name)] = value
    for finding in found.values():
        for key in MULTI.values():
            finding[key].sort()
    used = store.select(
        f"SELECT ?used WHERE {{ GRAPH ?g {{ ?run <{PROV}used> ?used }} }} ORDER BY ?used", g=graph, run=run["run"]
    )
    evidence = store.select(
        f"""SELECT ?asOf ?minConfidence WHERE {{ GRAPH ?g {{ ?run a <{DP}AnalysisRun> .
          OPTIONAL {{ ?run <{DP}asOf> ?asOf }} OPTIONAL {{ ?run <{DP}minConfidence> ?minConfidence }} }} }}""",
        g=graph,
        run=run["run"],
    )
    first = evidence[0] if evidence else {}
    return run | {
        "id": run_id,
        "used": [u["used"] for u in used],
        "evidence_filter": {"as_of": first.get("asOf"), "min_confidence": first.get("minConfidence")},
        "findings": sorted(found.values(), key=lambda f: _finding_number(f["finding"])),
    }


def _finding_number(iri: str) -> tuple[int, str]:
    tail = iri.rsplit("/", 1)[-1]
    return (int(tail), iri) if tail.isdigit() else (0, iri)


def finding_rows(findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Findings as CSV rows: every row has every column (findings of different kinds have different
    figures), lists joined by spaces, columns in first-seen order."""
    columns: dict[str, None] = {}
    for finding in findings:
        columns.update(dict.fromkeys(finding))
    return [{c: " ".join(map(str, v)) if isinstance(v := f.get(c), list) else v for c in columns} for f in findings]
