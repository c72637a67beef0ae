"""Findings as data: an analysis run's findings as RDF in their own named graph, with PROV-O.

``save_findings`` writes the findings of one run into ``dpid:analysis/{id}`` (a live source graph,
role ``analysis``, so SPARQL sees them like any other data) together with the run: a
``dp:AnalysisRun`` (``prov:Activity``) with ``prov:startedAtTime``, the live source graphs it read
(``prov:used``), the software version (``schema:softwareVersion``), ``dp:analysisKind`` and the
evidence filter (``dp:asOf``, ``dp:minConfidence``). The same provenance is written into the
catalogue graph beside the graph's own entry. Each ``dp:Finding`` is ``prov:wasGeneratedBy`` the
run and carries ``dp:findingKind``, what it is about (``dp:aboutSystem``, ``dp:aboutItem``,
``dp:aboutUnit``), its figures and ``dp:assumedFraction``.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from typing import Any

import pyoxigraph as ox

from defport_kg.namespaces import ANALYSIS_PREFIX, CATALOG_GRAPH, DP, PROV, RDF, RDFS, SCHEMA, XSD

KINDS = ("sovereignty", "export-control", "raw-materials", "sustainment", "explain")


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
        for s in body["systems"]:
            for country in s["country_spofs"]:
                yield {
                    "findingKind": "country-spof",
                    "aboutSystem": s["system"],
                    "aboutUnit": country,
                    "stopsSystem": True,
                }
            for basis in ("location", "control"):
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
                    "stopsSystem": not i["avoidable"],
                    "assumedFraction": i["evidence"]["assumed_fraction"],
                    "comment": "regimes: " + " ".join(i["regimes"]),
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
            str(finding.get(k, "")).rsplit("/", 1)[-1]
            for k in ("findingKind", "aboutSystem", "aboutItem", "aboutUnit")
            if finding.get(k)
        )
        add(ox.Triple(node, _n(RDFS + "label"), ox.Literal(label, language="en")))
        for key, value in finding.items():
            if value is None:
                continue
            if key in ("aboutSystem", "aboutItem", "aboutUnit"):
                add(ox.Triple(node, _n(DP + key), _n(value)))
            elif key == "units":
                for unit in value:
                    add(ox.Triple(node, _n(DP + "aboutUnit"), _n(unit)))
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
    store.add_source_graph(
        graph, provenance + found, role="analysis", label=f"{kind} analysis {run_id}", extra_quads=extra
    )
    return {"graph": graph, "run": run, "findings": len(list(_findings(kind, body))), "started": started}


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
                "graph": graph,
                "run": row["run"].value,
                "kind": row["kind"].value,
                "started": row["started"].value,
                "version": row["version"].value if row["version"] else None,
                "findings": int(row["findings"].value),
            }
        )
    return out
