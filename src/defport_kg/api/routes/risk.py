"""/api/risk/...: the risk analyses of CONTRACT §3-§5 over HTTP; JSON, or CSV where tabular."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import JSONResponse, Response

from defport_kg.api import examples
from defport_kg.api.deps import error_responses, read_store
from defport_kg.api.network_cache import network_for
from defport_kg.errors import UsageError
from defport_kg.namespaces import expand
from defport_kg.querying import rows_to_csv

# auth: analyst (when keys are required for reads) — added through router dependencies in app.py
router = APIRouter(prefix="/api/risk", tags=["risk"])

Network = Annotated[Any, Depends(network_for)]
UnitKind = Annotated[str, Query(description="organisation, site or country", examples=["organisation"])]
OutputFormat = Annotated[str, Query(alias="format", description="json or csv", pattern="^(json|csv)$")]


def _tabular(rows: list[dict[str, Any]], body: Any, fmt: str) -> Response:
    if fmt == "csv":
        return Response(rows_to_csv(rows), media_type="text/csv; charset=utf-8")
    return JSONResponse(body)


@router.get(
    "/cut-sets",
    summary="Minimal cut sets of one item (CONTRACT §4 risk cut-sets)",
    responses=examples.risk("cut-sets", "The minimal cut sets", errors=(400, 404)),
)
def cut_sets_route(
    network: Network,
    item: Annotated[
        str,
        Query(
            description="Item IRI (or dpid: prefixed name)", examples=["https://w3id.org/defport/id/item/ex-frigate"]
        ),
    ],
    max_order: Annotated[int, Query(ge=1, description="Largest cut-set order (1-3)")] = 2,
    unit: UnitKind = "organisation",
) -> JSONResponse:
    from defport_kg.risk import cut_sets

    return JSONResponse(cut_sets(network, expand(item), max_order, unit).to_dict())


@router.get(
    "/spof",
    summary="Units that alone stop at least one system (CONTRACT §4 risk spof)",
    responses=examples.risk("spof", "The single points of failure"),
)
def spof_route(network: Network, unit: UnitKind = "organisation", fmt: OutputFormat = "json") -> Response:
    from defport_kg.risk import spof

    body = spof(network, unit).to_dict()
    rows = [{"unit": s["unit"], "systems": " ".join(s["systems"])} for s in body["spofs"]]
    return _tabular(rows, body, fmt)


@router.get(
    "/single-source",
    summary="Items with exactly one supply relation",
    responses=examples.risk("single-source", "The single-sourced items"),
)
def single_source_route(network: Network, systems_only: bool = False, fmt: OutputFormat = "json") -> Response:
    from defport_kg.risk import single_sources

    found = [s.to_dict() for s in single_sources(network, systems_only=systems_only)]
    return _tabular(_flat(found), {"single_sources": found}, fmt)


@router.get(
    "/concentration",
    summary="Herfindahl-Hirschman index per item, and volume outside NL/EU/NATO",
    responses=examples.risk("concentration", "The concentration per item"),
)
def concentration_route(network: Network, systems_only: bool = False, fmt: OutputFormat = "json") -> Response:
    from defport_kg.risk import concentration

    found = [c.to_dict() for c in concentration(network, systems_only=systems_only)]
    return _tabular(_flat(found), {"concentration": found}, fmt)


@router.get(
    "/impact",
    summary="What becomes unavailable when the given units fail (what-if)",
    responses=examples.risk("impact", "What the failure makes unavailable", errors=(400, 404)),
)
def impact_route(
    network: Network,
    unit: Annotated[list[str], Query(description="Failed unit IRIs: organisations, sites or countries")],
) -> JSONResponse:
    from defport_kg.risk import impact

    if not unit:
        raise UsageError("give at least one unit to fail (unit=IRI)")
    return JSONResponse(impact(network, [expand(u) for u in unit]).to_dict())


def _flat(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows for CSV: lists joined by spaces, nested objects left out."""
    flat = []
    for row in rows:
        flat.append(
            {
                k: " ".join(map(str, v)) if isinstance(v, list | tuple) else v
                for k, v in row.items()
                if not isinstance(v, dict)
            }
        )
    return flat


# -- insight analyses (issue 5) ------------------------------------------------------------------

AsOf = Annotated[str | None, Query(description="Only relations valid on this date (YYYY-MM-DD)")]
MinConfidence = Annotated[str | None, Query(description="disclosed, inferred or assumed (no level = assumed)")]
Systems = Annotated[list[str] | None, Query(alias="system", description="System IRIs; all systems when absent")]


def _filtered(network: Any, as_of: str | None, min_confidence: str | None) -> tuple[Any, dict[str, Any]]:
    from defport_kg.risk import EvidenceFilter

    evidence = EvidenceFilter.of(as_of, min_confidence)
    return evidence.apply(network), evidence.to_dict()


def _systems(system: list[str] | None) -> list[str] | None:
    return [expand(s) for s in system] if system else None


@router.get(
    "/sovereignty",
    summary="Country SPOFs and the share of each system's supply tree left inside NL/EU/NATO",
    responses=examples.risk("sovereignty", "The sovereignty of each system", errors=(400, 404)),
)
def sovereignty_route(
    network: Network,
    system: Systems = None,
    as_of: AsOf = None,
    min_confidence: MinConfidence = None,
    fmt: OutputFormat = "json",
    by: Annotated[
        str, Query(description="location, control (ultimate dp:controlledBy parent's country) or both")
    ] = "both",
) -> Response:
    from defport_kg.risk import sovereignty

    filtered, evidence = _filtered(network, as_of, min_confidence)
    body = sovereignty(filtered, _systems(system), by).to_dict() | {"evidence_filter": evidence}
    spof_keys = {"location": "country_spofs", "control": "country_spofs_by_control"}
    rows = [
        {
            "system": s["system"],
            **{spof_keys[basis]: " ".join(s[spof_keys[basis]]) for basis in body["bases"]},
            **{f"{basis}_{r}": s["by_" + basis][r] for basis in body["bases"] for r in body["regions"]},
        }
        for s in body["systems"]
    ]
    return _tabular(rows, body, fmt)


@router.get(
    "/export-control",
    summary="Export-controlled items on each system's paths, and alternatives",
    responses=examples.risk("export-control", "The export-controlled items per system", errors=(400, 404)),
)
def export_control_route(
    network: Network,
    system: Systems = None,
    as_of: AsOf = None,
    min_confidence: MinConfidence = None,
    fmt: OutputFormat = "json",
) -> Response:
    from defport_kg.risk import export_control

    filtered, evidence = _filtered(network, as_of, min_confidence)
    report = export_control(filtered, _systems(system))
    return _tabular(report.rows(), report.to_dict() | {"evidence_filter": evidence}, fmt)


@router.get(
    "/raw-materials",
    summary="Critical raw materials per system, with suppliers, countries and SPOFs",
    responses=examples.risk("raw-materials", "The critical raw materials per system", errors=(400, 404)),
)
def raw_materials_route(
    network: Network,
    system: Systems = None,
    as_of: AsOf = None,
    min_confidence: MinConfidence = None,
    fmt: OutputFormat = "json",
) -> Response:
    from defport_kg.risk import raw_materials

    filtered, evidence = _filtered(network, as_of, min_confidence)
    report = raw_materials(filtered, _systems(system))
    return _tabular(report.rows(), report.to_dict() | {"evidence_filter": evidence}, fmt)


@router.get(
    "/sustainment",
    summary="Time-to-survive vs time-to-recover for every unit that alone stops a system",
    responses=examples.risk("sustainment", "Survival and recovery times", errors=(400, 404)),
)
def sustainment_route(
    network: Network,
    unit: UnitKind = "organisation",
    system: Systems = None,
    as_of: AsOf = None,
    min_confidence: MinConfidence = None,
    fmt: OutputFormat = "json",
) -> Response:
    from defport_kg.risk import sustainment

    filtered, evidence = _filtered(network, as_of, min_confidence)
    report = sustainment(filtered, unit, _systems(system))
    return _tabular(report.rows(), report.to_dict() | {"evidence_filter": evidence}, fmt)


@router.get(
    "/explain",
    summary="The supply paths from a system down to a unit, and the unit's tier",
    responses=examples.risk("explain", "The paths and the tier", errors=(400, 404)),
)
def explain_route(
    network: Network,
    unit: Annotated[str, Query(description="Organisation, site or country IRI")],
    system: Annotated[str, Query(description="System IRI")],
    as_of: AsOf = None,
    min_confidence: MinConfidence = None,
) -> JSONResponse:
    from defport_kg.risk import explain

    filtered, evidence = _filtered(network, as_of, min_confidence)
    return JSONResponse(explain(filtered, expand(unit), expand(system)).to_dict() | {"evidence_filter": evidence})


@router.get(
    "/findings",
    summary="Saved analysis runs (named graphs dpid:analysis/{id}), newest first",
    responses=examples.risk("findings", "The saved runs"),
)
def findings_route(request: Request, fmt: OutputFormat = "json") -> Response:
    from defport_kg.risk import saved_analyses

    runs = saved_analyses(read_store(request))
    return _tabular(runs, {"analyses": runs}, fmt)


_RUN_EXAMPLE = {
    "id": "20250101T120000Z-1a2b3c4d",
    "graph": "https://w3id.org/defport/id/analysis/20250101T120000Z-1a2b3c4d",
    "run": "https://w3id.org/defport/id/analysis/20250101T120000Z-1a2b3c4d/run",
    "kind": "export-control",
    "started": "2025-01-01T12:00:00Z",
    "version": "defport-kg 0.1.0",
    "findings": [
        {
            "finding": "https://w3id.org/defport/id/analysis/20250101T120000Z-1a2b3c4d/finding/1",
            "label": "export-control ex-thermal-sight ex-ir-detector",
            "kind": "export-control",
            "about_system": "https://w3id.org/defport/id/item/ex-thermal-sight",
            "about_items": ["https://w3id.org/defport/id/item/ex-ir-detector"],
            "about_units": [],
            "about_regimes": ["https://w3id.org/defport/ontology#ITAR"],
            "stops_system": True,
        }
    ],
}


@router.get(
    "/findings/{run_id}",
    summary="One saved analysis run and its findings, read back from its graph",
    description="The run's provenance (kind, start, software version, source graphs used, evidence filter) "
    "and every dp:Finding of graph dpid:analysis/{run_id}; `?format=csv` gives one row per finding.",
    responses={
        200: {
            "description": "The run and its findings",
            "content": {
                "application/json": {"example": _RUN_EXAMPLE},
                "text/csv": {
                    "example": "finding,label,kind\nhttps://w3id.org/defport/id/analysis/x/finding/1,"
                    "export-control ex-thermal-sight ex-ir-detector,export-control\n"
                },
            },
        },
        **error_responses(400, 404),
    },
)
def findings_run_route(
    request: Request,
    run_id: Annotated[
        str,
        Path(
            description="The id of a saved run (as listed by GET /api/risk/findings)",
            examples=["20250101T120000Z-1a2b3c4d"],
        ),
    ],
    fmt: OutputFormat = "json",
) -> Response:
    from defport_kg.risk.findings import finding_rows, saved_findings

    run = saved_findings(read_store(request), run_id)
    return _tabular(finding_rows(run["findings"]), run, fmt)
