"""/api/risk/...: the risk analyses of CONTRACT §3-§5 over HTTP; JSON, or CSV where tabular."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import JSONResponse, Response

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


@router.get("/cut-sets", summary="Minimal cut sets of one item (CONTRACT §4 risk cut-sets)")
def cut_sets_route(
    network: Network,
    item: Annotated[str, Query(description="Item IRI (or dpid: prefixed name)",
                               examples=["https://w3id.org/defport/id/item/ex-frigate"])],
    max_order: Annotated[int, Query(ge=1, description="Largest cut-set order (1-3)")] = 2,
    unit: UnitKind = "organisation",
) -> JSONResponse:
    from defport_kg.risk import cut_sets

    return JSONResponse(cut_sets(network, expand(item), max_order, unit).to_dict())


@router.get("/spof", summary="Units that alone stop at least one system (CONTRACT §4 risk spof)")
def spof_route(network: Network, unit: UnitKind = "organisation", fmt: OutputFormat = "json") -> Response:
    from defport_kg.risk import spof

    body = spof(network, unit).to_dict()
    rows = [{"unit": s["unit"], "systems": " ".join(s["systems"])} for s in body["spofs"]]
    return _tabular(rows, body, fmt)


@router.get("/single-source", summary="Items with exactly one supply relation")
def single_source_route(network: Network, systems_only: bool = False, fmt: OutputFormat = "json") -> Response:
    from defport_kg.risk import single_sources

    found = [s.to_dict() for s in single_sources(network, systems_only=systems_only)]
    return _tabular(_flat(found), {"single_sources": found}, fmt)


@router.get("/concentration", summary="Herfindahl-Hirschman index per item, and volume outside NL/EU/NATO")
def concentration_route(network: Network, systems_only: bool = False, fmt: OutputFormat = "json") -> Response:
    from defport_kg.risk import concentration

    found = [c.to_dict() for c in concentration(network, systems_only=systems_only)]
    return _tabular(_flat(found), {"concentration": found}, fmt)


@router.get("/impact", summary="What becomes unavailable when the given units fail (what-if)")
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
        flat.append({
            k: " ".join(map(str, v)) if isinstance(v, list | tuple) else v
            for k, v in row.items()
            if not isinstance(v, dict)
        })
    return flat
