"""GET /api/scale/...: the scale-up analyses over HTTP (CONTRACT §5), translation only.

Each route reads the supply network (built once per commit, shared with the risk routes) and
returns the ``to_dict()`` of the matching ``defport_kg.scale`` report. Errors are DefportErrors,
which the app answers as problem+json: 400 for bad parameters (including a zero demand), 404 for
an unknown system or unit.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse, Response

from defport_kg.api import examples
from defport_kg.api.deps import read_store
from defport_kg.api.network_cache import network_for
from defport_kg.namespaces import expand

router = APIRouter(prefix="/api/scale", tags=["scale"])

Systems = Annotated[list[str], Query(description="System IRI (repeat for several systems).", min_length=1)]
Failed = Annotated[list[str] | None, Query(description="Failed unit IRI (repeat for several).")]
Unit = Annotated[str, Query(description="Kind of the failed units: organisation, site or country.")]
Network = Annotated[Any, Depends(network_for)]  # shared with the risk routes, dropped on every commit


def _iris(values: list[str] | None) -> list[str]:
    return [expand(v.strip()) for v in values or []]


@router.get(
    "/max-output",
    summary="Maximum monthly output of systems at their demand ratio",
    responses=examples.scale("max-output", "The maximum output and its bottlenecks", errors=(400, 404)),
)
def max_output_route(
    network: Network, system: Systems, fail: Failed = None, unit: Unit = "organisation"
) -> JSONResponse:
    from defport_kg.scale import max_output

    report = max_output(network, _iris(system), _iris(fail), unit)
    return JSONResponse(report.to_dict())


@router.get(
    "/surge",
    summary="Least added capacity to reach a multiple of demand; alternative suppliers",
    responses=examples.scale("surge", "The capacity to add, and alternative suppliers", errors=(400, 404)),
)
def surge_route(
    network: Network,
    system: Systems,
    target: Annotated[float, Query(description="Target output as a multiple of demand.", gt=0)] = 2.0,
    fail: Failed = None,
    unit: Unit = "organisation",
    alternatives: Annotated[int, Query(description="Alternative suppliers per item (at most).", ge=0)] = 10,
) -> JSONResponse:
    from defport_kg.scale import surge

    report = surge(network, _iris(system), target, _iris(fail), unit, alternatives_limit=alternatives)
    return JSONResponse(report.to_dict())


@router.get(
    "/alternatives",
    summary="Organisations that could be qualified to supply an item",
    responses=examples.scale("alternatives", "The candidate suppliers", errors=(400, 404)),
)
def alternatives_route(
    network: Network,
    item: Annotated[str, Query(description="Item IRI (or dpid: prefixed name).")],
    limit: Annotated[int, Query(description="Candidates listed (at most).", ge=0)] = 10,
) -> JSONResponse:
    from defport_kg.scale import alternative_suppliers
    from defport_kg.scale.capacity import check_item

    return JSONResponse(alternative_suppliers(network, check_item(network, expand(item.strip())), limit).to_dict())


@router.get(
    "/disruption",
    summary="Output after units fail, and time-to-survive on stock",
    responses=examples.scale("disruption", "Output before and after, and time-to-survive", errors=(400, 404)),
)
def disruption_route(
    network: Network, system: Systems, fail: Failed = None, unit: Unit = "organisation"
) -> JSONResponse:
    from defport_kg.scale import disruption

    report = disruption(network, _iris(system), _iris(fail), unit)
    return JSONResponse(report.to_dict())


@router.get(
    "/needs",
    summary="Needed capabilities versus providers per region; gaps and projects",
    responses=examples.scale("needs", "Needs, providers per region, gaps and projects"),
)
def needs_route(
    request: Request,
    format: Annotated[Literal["json", "csv"], Query(description="json (default) or csv.")] = "json",
) -> Response:
    from defport_kg.scale import needs_vs_capabilities

    report = needs_vs_capabilities(read_store(request))
    if format == "csv":
        return Response(
            report.to_csv(),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'inline; filename="needs.csv"'},
        )
    return JSONResponse(report.to_dict())


@router.get(
    "/needs.svg",
    summary="Heat map of needed capabilities by provider region (SVG)",
    response_class=Response,
    responses=examples.svg(examples.SCALE_SVG, "The heat map"),
)
def needs_svg_route(request: Request) -> Response:
    from defport_kg.scale import heatmap_svg, needs_vs_capabilities

    return Response(heatmap_svg(needs_vs_capabilities(read_store(request))), media_type="image/svg+xml")
