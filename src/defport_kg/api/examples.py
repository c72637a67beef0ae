"""Example answers for the OpenAPI document, and the ``responses=`` entries that carry them.

The examples are real answers on the fictional example data (``defport-kg init --example``), cut
to one entry per list, so that a reader of /docs sees the shape an analysis really has.
tests/api/routes/test_openapi.py compares each with a real answer on the example data: when an
analysis changes its answer, the test names the example to update. They live here, not in the
route modules, so that the decorators stay short and the routes' code readable.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi import routing as fastapi_routing
from fastapi.routing import APIRoute
from pydantic import BaseModel

from defport_kg.api.deps import PROBLEM_SCHEMA, error_responses

Responses = dict[int | str, dict[str, Any]]


def answer(
    example: Any,
    description: str,
    *,
    status: int = 200,
    csv: str | None = None,
    errors: tuple[int, ...] = (400,),
) -> Responses:
    """A JSON success answer with its example (and a CSV one when the route offers ``format=csv``),
    plus the problem+json answers of ``errors``."""
    content: dict[str, Any] = {"application/json": {"example": example}}
    if csv is not None:
        content["text/csv"] = {"schema": {"type": "string"}, "example": csv}
    return {status: {"description": description, "content": content}, **error_responses(*errors)}


def problem_answer(status: int, description: str, example: dict[str, Any]) -> Responses:
    """A problem+json answer whose example carries more than the generic one (e.g. a report)."""
    return {
        status: {
            "description": description,
            "content": {"application/problem+json": {"schema": PROBLEM_SCHEMA, "example": example}},
        }
    }


def risk(name: str, description: str, *, errors: tuple[int, ...] = (400,)) -> Responses:
    """The documented answers of ``/api/risk/{name}``: JSON, CSV when tabular, and ``errors``."""
    return answer(RISK[name], description, csv=RISK_CSV.get(name), errors=errors)


def scale(name: str, description: str, *, errors: tuple[int, ...] = (400,)) -> Responses:
    """The documented answers of ``/api/scale/{name}``: JSON, CSV when tabular, and ``errors``."""
    return answer(SCALE[name], description, csv=SCALE_CSV.get(name), errors=errors)


def _api_routes(app: FastAPI) -> list[Any]:
    """The app's API routes as the OpenAPI generator sees them (responses merged with their
    router's). FastAPI 0.16x keeps included routers nested (``iter_route_contexts``); older
    versions flatten them into ``app.routes``."""
    iterate = getattr(fastapi_routing, "iter_route_contexts", None)
    if iterate is None:
        return [route for route in app.routes if isinstance(route, APIRoute) and route.include_in_schema]
    return [
        context
        for context in iterate(app.routes)
        if isinstance(getattr(context, "original_route", None), APIRoute) and context.include_in_schema
    ]


def restore_null_examples(app: FastAPI, document: dict[str, Any]) -> dict[str, Any]:
    """Put the examples back into ``document`` as the routes and models declare them.

    FastAPI writes the OpenAPI document with ``exclude_none``, which also drops every null inside
    an example: a documented answer would lack the keys whose value is null (``"site": null``),
    and a client generated from it would not expect them.
    """
    for route in _api_routes(app):
        for method in route.methods:
            operation = document.get("paths", {}).get(route.path_format, {}).get(method.lower())
            if operation is None:
                continue
            for status, response in route.responses.items():
                for media, body in response.get("content", {}).items():
                    target = operation["responses"].get(str(status), {}).get("content", {}).get(media)
                    if target is not None and "example" in body:
                        target["example"] = body["example"]
        models = [route.response_model, *(param.field_info.annotation for param in route.dependant.body_params)]
        for model in models:
            if not (isinstance(model, type) and issubclass(model, BaseModel)):
                continue
            extra = model.model_config.get("json_schema_extra")
            schema = document.get("components", {}).get("schemas", {}).get(model.__name__)
            if isinstance(extra, dict) and "examples" in extra and schema is not None:
                schema["examples"] = extra["examples"]
    return document


RISK: dict[str, Any] = {
    "cut-sets": {
        "item": "https://w3id.org/defport/id/item/ex-naval-radar",
        "unit": "organisation",
        "max_order": 2,
        "cut_sets": [
            {
                "order": 1,
                "members": [
                    "https://w3id.org/defport/id/org/ex-ch-semis",
                ],
            },
        ],
        "complete": True,
        "label": "Example naval surveillance radar NS-100 (fictional)",
        "labels": {
            "https://w3id.org/defport/id/org/ex-ch-semis": "Beispiel Halbleiter AG (fictional)",
        },
        "data_gaps": [
            "https://w3id.org/defport/id/item/ex-coolant-glycol",
        ],
        "items_examined": 70,
    },
    "spof": {
        "unit": "country",
        "spofs": [
            {
                "unit": "https://w3id.org/defport/id/country/NL",
                "systems": [
                    "https://w3id.org/defport/id/item/ex-155mm-round",
                    "https://w3id.org/defport/id/item/ex-armoured-vehicle",
                    "https://w3id.org/defport/id/item/ex-naval-radar",
                ],
                "capabilities": [
                    "https://w3id.org/defport/id/capability/communications",
                    "https://w3id.org/defport/id/capability/land-vehicles",
                    ("https://w3id.org/defport/id/capability/munitions-and-energetics"),
                ],
                "label": "Netherlands",
            },
        ],
        "systems_analysed": 6,
        "system_labels": {
            "https://w3id.org/defport/id/item/ex-155mm-round": (
                "Example 155 mm high-explosive artillery round (fictional)"
            ),
            "https://w3id.org/defport/id/item/ex-armoured-vehicle": "Example 8x8 armoured vehicle (fictional)",
            "https://w3id.org/defport/id/item/ex-naval-radar": "Example naval surveillance radar NS-100 (fictional)",
        },
        "data_gaps": [
            "https://w3id.org/defport/id/item/ex-coolant-glycol",
        ],
    },
    "single-source": {
        "single_sources": [
            {
                "item": "https://w3id.org/defport/id/item/crm-niobium",
                "label": "Niobium",
                "is_system": False,
                "relation": ("https://w3id.org/defport/id/supply/ex-crm-niobium--br-niobium"),
                "supplier": "https://w3id.org/defport/id/org/ex-br-niobium",
                "supplier_label": "Exemplo Nióbio Mineração Ltda. (fictional)",
                "site": None,
                "country": "https://w3id.org/defport/id/country/BR",
                "stock_days": None,
                "recovery_days": 365,
            },
        ],
    },
    "concentration": {
        "concentration": [
            {
                "item": "https://w3id.org/defport/id/item/crm-niobium",
                "label": "Niobium",
                "relations": 1,
                "hhi": 10000.0,
                "shares_known": 1,
                "shares_estimated": False,
                "outside_nl": 1.0,
                "outside_eu": 1.0,
                "outside_nato": 1.0,
                "unknown_country": 0.0,
            },
        ],
    },
    "impact": {
        "failed": [
            {
                "unit": "https://w3id.org/defport/id/country/CN",
                "kind": "country",
                "label": "China",
            },
        ],
        "items": [
            "https://w3id.org/defport/id/item/crm-gallium",
            "https://w3id.org/defport/id/item/crm-germanium",
            "https://w3id.org/defport/id/item/ex-armoured-vehicle",
        ],
        "systems": [
            "https://w3id.org/defport/id/item/ex-armoured-vehicle",
            "https://w3id.org/defport/id/item/ex-naval-radar",
            "https://w3id.org/defport/id/item/ex-patrol-vessel",
        ],
        "capabilities": [
            {
                "capability": "https://w3id.org/defport/id/capability/communications",
                "lost": True,
                "unavailable_items": [
                    "https://w3id.org/defport/id/item/ex-tactical-radio",
                ],
                "label": "Military communications",
            },
        ],
        "organisations_without_input": [
            {
                "organisation": "https://w3id.org/defport/id/org/ex-be-germanium",
                "relations": [
                    ("https://w3id.org/defport/id/supply/ex-germanium-blank--be-germanium"),
                ],
                "missing": [
                    "https://w3id.org/defport/id/item/crm-germanium",
                ],
                "label": "Exemple Germanium Recyclage SA (fictional)",
            },
        ],
        "relations_down": 72,
        "labels": {
            "https://w3id.org/defport/id/item/crm-gallium": "Gallium",
            "https://w3id.org/defport/id/item/crm-germanium": "Germanium",
            "https://w3id.org/defport/id/item/ex-armoured-vehicle": "Example 8x8 armoured vehicle (fictional)",
            "https://w3id.org/defport/id/item/ex-naval-radar": "Example naval surveillance radar NS-100 (fictional)",
        },
    },
    "sovereignty": {
        "regions": [
            "NL",
            "EU",
            "NATO",
        ],
        "bases": [
            "location",
            "control",
        ],
        "systems": [
            {
                "system": "https://w3id.org/defport/id/item/ex-naval-radar",
                "label": "Example naval surveillance radar NS-100 (fictional)",
                "country_spofs": [
                    "https://w3id.org/defport/id/country/CH",
                    "https://w3id.org/defport/id/country/CN",
                    "https://w3id.org/defport/id/country/NL",
                ],
                "country_spofs_by_control": [
                    "https://w3id.org/defport/id/country/CH",
                    "https://w3id.org/defport/id/country/CN",
                    "https://w3id.org/defport/id/country/NL",
                ],
                "tree_items": 70,
                "by_location": {
                    "NL": 0.0714,
                    "EU": 0.2,
                    "NATO": 0.2571,
                },
                "system_available_by_location": {
                    "NL": False,
                    "EU": False,
                    "NATO": False,
                },
                "by_control": {
                    "NL": 0.0714,
                    "EU": 0.2,
                    "NATO": 0.2571,
                },
                "system_available_by_control": {
                    "NL": False,
                    "EU": False,
                    "NATO": False,
                },
                "evidence": {
                    "relations": 135,
                    "assumed_relations": 25,
                    "assumed_fraction": 0.1852,
                },
            },
        ],
        "foreign_controlled": [
            {
                "organisation": "https://w3id.org/defport/id/org/ex-nl-comms",
                "country": "https://w3id.org/defport/id/country/NL",
                "ultimate_parent": "https://w3id.org/defport/id/org/ex-us-comms",
                "control_country": "https://w3id.org/defport/id/country/US",
            },
        ],
        "labels": {
            "https://w3id.org/defport/id/country/CH": "Switzerland",
            "https://w3id.org/defport/id/country/CN": "China",
            "https://w3id.org/defport/id/country/NL": "Netherlands",
            "https://w3id.org/defport/id/org/ex-nl-comms": "Voorbeeld Communicatie B.V. (fictional)",
        },
        "evidence_filter": {
            "as_of": None,
            "min_confidence": None,
        },
    },
    "export-control": {
        "systems": [
            {
                "system": "https://w3id.org/defport/id/item/ex-naval-radar",
                "label": "Example naval surveillance radar NS-100 (fictional)",
                "items": [
                    {
                        "item": "https://w3id.org/defport/id/item/ex-fpga-us",
                        "regimes": [
                            "https://w3id.org/defport/ontology#EAR",
                        ],
                        "avoidable": True,
                        "evidence": {
                            "relations": 1,
                            "assumed_relations": 0,
                            "assumed_fraction": 0.0,
                        },
                    },
                ],
                "regimes": [
                    {
                        "regime": "https://w3id.org/defport/ontology#EAR",
                        "items": [
                            "https://w3id.org/defport/id/item/ex-fpga-us",
                        ],
                        "avoidable": True,
                    },
                ],
                "stopped_by": [
                    "https://w3id.org/defport/ontology#EUDualUse",
                ],
            },
        ],
        "labels": {
            "https://w3id.org/defport/id/item/ex-fpga-us": "High-end FPGA (US origin) (fictional)",
        },
        "evidence_filter": {
            "as_of": None,
            "min_confidence": None,
        },
    },
    "raw-materials": {
        "systems": [
            {
                "system": "https://w3id.org/defport/id/item/ex-naval-radar",
                "label": "Example naval surveillance radar NS-100 (fictional)",
                "count": 10,
                "materials": [
                    {
                        "material": "https://w3id.org/defport/id/item/crm-arsenic",
                        "strategic": False,
                        "suppliers": [
                            "https://w3id.org/defport/id/org/ex-be-germanium",
                            "https://w3id.org/defport/id/org/ex-cn-raremetals",
                        ],
                        "countries": [
                            "https://w3id.org/defport/id/country/BE",
                            "https://w3id.org/defport/id/country/CN",
                        ],
                        "critical": True,
                        "spof_suppliers": [],
                        "spof_countries": [
                            "https://w3id.org/defport/id/country/CN",
                        ],
                        "evidence": {
                            "relations": 2,
                            "assumed_relations": 0,
                            "assumed_fraction": 0.0,
                        },
                    },
                ],
                "critical": [
                    "https://w3id.org/defport/id/item/crm-arsenic",
                    ("https://w3id.org/defport/id/item/crm-bauxite-alumina-and-aluminium"),
                    "https://w3id.org/defport/id/item/crm-coking-coal",
                ],
            },
        ],
        "labels": {
            "https://w3id.org/defport/id/country/BE": "Belgium",
            "https://w3id.org/defport/id/country/CN": "China",
            "https://w3id.org/defport/id/item/crm-arsenic": "Arsenic",
            ("https://w3id.org/defport/id/item/crm-bauxite-alumina-and-aluminium"): "Bauxite, alumina and aluminium",
        },
        "evidence_filter": {
            "as_of": None,
            "min_confidence": None,
        },
    },
    "sustainment": {
        "unit": "organisation",
        "entries": [
            {
                "unit": "https://w3id.org/defport/id/org/ex-ch-semis",
                "system": "https://w3id.org/defport/id/item/ex-naval-radar",
                "time_to_survive_days": 45.0,
                "time_to_recover_days": 240.0,
                "recovery_known": True,
                "recovery_lower_bound_days": 240.0,
                "exposed": True,
                "gap_days": 195.0,
                "relations": [
                    "https://w3id.org/defport/id/supply/ex-adc-chip--ch-semis",
                ],
                "evidence": {
                    "relations": 1,
                    "assumed_relations": 1,
                    "assumed_fraction": 1.0,
                },
            },
        ],
        "exposures": [
            {
                "unit": "https://w3id.org/defport/id/org/ex-nl-radar",
                "system": "https://w3id.org/defport/id/item/ex-naval-radar",
                "time_to_survive_days": 0.0,
                "time_to_recover_days": 365.0,
                "recovery_known": True,
                "recovery_lower_bound_days": 365.0,
                "exposed": True,
                "gap_days": 365.0,
                "relations": [
                    ("https://w3id.org/defport/id/supply/ex-naval-radar--nl-radar"),
                ],
                "evidence": {
                    "relations": 1,
                    "assumed_relations": 0,
                    "assumed_fraction": 0.0,
                },
            },
        ],
        "unknown_recovery": [
            {
                "unit": "https://w3id.org/defport/id/org/ex-nl-cooling",
                "system": "https://w3id.org/defport/id/item/ex-naval-radar",
            },
        ],
        "labels": {
            "https://w3id.org/defport/id/item/ex-naval-radar": "Example naval surveillance radar NS-100 (fictional)",
            "https://w3id.org/defport/id/org/ex-ch-semis": "Beispiel Halbleiter AG (fictional)",
            "https://w3id.org/defport/id/org/ex-nl-cooling": "Voorbeeld Koeltechniek B.V. (fictional)",
            "https://w3id.org/defport/id/org/ex-nl-radar": "Voorbeeld Radar Systemen B.V. (fictional)",
        },
        "evidence_filter": {
            "as_of": None,
            "min_confidence": None,
        },
    },
    "explain": {
        "unit": "https://w3id.org/defport/id/org/ex-ch-semis",
        "system": "https://w3id.org/defport/id/item/ex-naval-radar",
        "tier": 3,
        "tiers": [
            3,
        ],
        "stops_system": True,
        "paths": [
            [
                {
                    "item": "https://w3id.org/defport/id/item/ex-naval-radar",
                    "via": None,
                    "relation": None,
                },
            ],
        ],
        "complete": True,
        "labels": {
            "https://w3id.org/defport/id/item/ex-naval-radar": "Example naval surveillance radar NS-100 (fictional)",
            "https://w3id.org/defport/id/org/ex-ch-semis": "Beispiel Halbleiter AG (fictional)",
        },
        "evidence": {
            "relations": 1,
            "assumed_relations": 1,
            "assumed_fraction": 1.0,
        },
        "evidence_filter": {
            "as_of": None,
            "min_confidence": None,
        },
    },
    "findings": {
        "analyses": [
            {
                "id": "20261127T235130Z-56cbf00c",
                "graph": ("https://w3id.org/defport/id/analysis/20261127T235130Z-56cbf00c"),
                "run": ("https://w3id.org/defport/id/analysis/20261127T235130Z-56cbf00c/run"),
                "kind": "spof",
                "started": "2026-11-27T23:51:30Z",
                "version": "defport-kg 0.1.0",
                "findings": 0,
            },
        ],
    },
}

RISK_CSV: dict[str, str] = {
    "spof": (
        "unit,systems\nhttps://w3id.org/defport/id/country/N"
        "L,https://w3id.org/defport/id/item/ex-155mm-round "
        "https://w3id.org/defport/id/item/ex-armoured-vehic"
        "le https://w3id.org/defport/id/item/ex-naval-radar"
        " https://w3id.org/defport/id/item/ex-patrol-vessel"
        " https://w3id.org/defport/id/item/ex-tactical-radi"
        "o https://w3id.org/defport/id/item/ex-thermal-sigh"
        "t\n"
    ),
    "single-source": (
        "item,label,is_system,relation,supplier,"
        "supplier_label,site,country,stock_days,"
        "recovery_days\nhttps://w3id.org/defport/id/item/crm"
        "-niobium,Niobium,False,"
        "https://w3id.org/defport/id/supply/ex-crm-niobium-"
        "-br-niobium,https://w3id.org/defport/id/org/ex-br-"
        "niobium,Exemplo Nióbio Mineração Ltda. "
        "(fictional),,https://w3id.org/defport/id/country/B"
        "R,,365\n"
    ),
    "concentration": (
        "item,label,relations,hhi,shares_known,"
        "shares_estimated,outside_nl,outside_eu,"
        "outside_nato,unknown_country\n"
        "https://w3id.org/defport/id/item/crm-niobium,"
        "Niobium,1,10000.0,1,False,1.0,1.0,1.0,0.0\n"
    ),
    "sovereignty": (
        "system,country_spofs,country_spofs_by_control,"
        "location_NL,location_EU,location_NATO,control_NL,"
        "control_EU,control_NATO\n"
        "https://w3id.org/defport/id/item/ex-naval-radar,"
        "https://w3id.org/defport/id/country/CH "
        "https://w3id.org/defport/id/country/CN "
        "https://w3id.org/defport/id/country/NL,"
        "https://w3id.org/defport/id/country/CH "
        "https://w3id.org/defport/id/country/CN "
        "https://w3id.org/defport/id/country/NL,0.0714,0.2,"
        "0.2571,0.0714,0.2,0.2571\n"
    ),
    "export-control": (
        "system,item,regimes,avoidable\n"
        "https://w3id.org/defport/id/item/ex-naval-radar,"
        "https://w3id.org/defport/id/item/ex-fpga-us,"
        "https://w3id.org/defport/ontology#EAR,True\n"
    ),
    "raw-materials": (
        "system,material,countries,suppliers,critical,"
        "spof_suppliers,spof_countries\n"
        "https://w3id.org/defport/id/item/ex-naval-radar,"
        "https://w3id.org/defport/id/item/crm-arsenic,"
        "https://w3id.org/defport/id/country/BE "
        "https://w3id.org/defport/id/country/CN,"
        "https://w3id.org/defport/id/org/ex-be-germanium "
        "https://w3id.org/defport/id/org/ex-cn-raremetals,"
        "True,,https://w3id.org/defport/id/country/CN\n"
    ),
    "sustainment": (
        "unit,system,time_to_survive_days,"
        "time_to_recover_days,recovery_known,"
        "recovery_lower_bound_days,exposed,gap_days\n"
        "https://w3id.org/defport/id/org/ex-ch-semis,"
        "https://w3id.org/defport/id/item/ex-naval-radar,"
        "45.0,240.0,True,240.0,True,195.0\n"
    ),
    "findings": (
        "id,graph,run,kind,started,version,findings\n"
        "20261127T235130Z-56cbf00c,"
        "https://w3id.org/defport/id/analysis/20261127T2351"
        "30Z-56cbf00c,https://w3id.org/defport/id/analysis/"
        "20261127T235130Z-56cbf00c/run,spof,"
        "2026-11-27T23:51:30Z,defport-kg 0.1.0,0\n"
    ),
}

SCALE: dict[str, Any] = {
    "max-output": {
        "systems": [
            "https://w3id.org/defport/id/item/ex-naval-radar",
        ],
        "failed": [],
        "unit": "organisation",
        "unbounded": False,
        "output": {
            "https://w3id.org/defport/id/item/ex-naval-radar": 1.7375,
        },
        "bottlenecks": [
            {
                "relation": ("https://w3id.org/defport/id/supply/ex-ferrite-core--cn-electronics"),
                "shadow_price": 0.125,
                "item": "https://w3id.org/defport/id/item/ex-ferrite-core",
                "supplier": "https://w3id.org/defport/id/org/ex-cn-electronics",
                "capacity": 8.7,
                "label": ("Example Electronic Components Co., Ltd. supplies Ferrite core (fictional)"),
            },
        ],
        "uncapacitated_path": None,
        "demand_multiple": 1.7375,
        "demand": {
            "https://w3id.org/defport/id/item/ex-naval-radar": 1.0,
        },
        "coverage": {
            "https://w3id.org/defport/id/item/ex-naval-radar": 1.7375,
        },
        "unavailable": [],
        "relations_down": 0,
        "model": {
            "items": 70,
            "relations": 135,
            "inhouse": 2,
            "nonzeros": 320,
        },
        "labels": {
            "https://w3id.org/defport/id/item/ex-naval-radar": "Example naval surveillance radar NS-100 (fictional)",
            ("https://w3id.org/defport/id/supply/ex-ferrite-core--cn-electronics"): (
                "Example Electronic Components Co., Ltd. supplies Ferrite core (fictional)"
            ),
            "https://w3id.org/defport/id/item/ex-ferrite-core": "Ferrite core (fictional)",
            "https://w3id.org/defport/id/org/ex-cn-electronics": "Example Electronic Components Co., Ltd. (fictional)",
        },
    },
    "surge": {
        "systems": [
            "https://w3id.org/defport/id/item/ex-naval-radar",
        ],
        "target": 2.0,
        "failed": [],
        "unit": "organisation",
        "current_multiple": 1.7375,
        "target_output": {
            "https://w3id.org/defport/id/item/ex-naval-radar": 2.0,
        },
        "added_total": 7.78,
        "increases": [
            {
                "relation": "https://w3id.org/defport/id/supply/ex-lna-mmic--us-mmic",
                "item": "https://w3id.org/defport/id/item/ex-lna-mmic",
                "supplier": "https://w3id.org/defport/id/org/ex-us-mmic",
                "capacity": 60.0,
                "added": 3.0,
                "new_capacity": 63.0,
            },
        ],
        "alternatives": [
            {
                "item": "https://w3id.org/defport/id/item/ex-lna-mmic",
                "capabilities": [
                    ("https://w3id.org/defport/id/capability/electronics-manufacturing"),
                    "https://w3id.org/defport/id/capability/radar",
                ],
                "candidates": [
                    {
                        "organisation": "https://w3id.org/defport/id/org/ex-nl-antenna",
                        "region": "NL",
                        "country": "https://w3id.org/defport/id/country/NL",
                        "capabilities": [
                            "https://w3id.org/defport/id/capability/radar",
                        ],
                        "label": "Voorbeeld Antennes B.V. (fictional)",
                    },
                ],
                "total": 34,
            },
        ],
        "model": {
            "items": 70,
            "relations": 135,
            "inhouse": 2,
            "nonzeros": 320,
        },
        "labels": {
            "https://w3id.org/defport/id/item/ex-naval-radar": "Example naval surveillance radar NS-100 (fictional)",
            "https://w3id.org/defport/id/item/ex-lna-mmic": "GaAs low-noise amplifier MMIC (fictional)",
            "https://w3id.org/defport/id/supply/ex-lna-mmic--us-mmic": (
                "Example Microwave Monolithics Inc. supplies GaAs low-noise amplifier MMIC (fictional)"
            ),
            "https://w3id.org/defport/id/org/ex-us-mmic": "Example Microwave Monolithics Inc. (fictional)",
        },
    },
    "alternatives": {
        "item": "https://w3id.org/defport/id/item/ex-naval-radar",
        "capabilities": [
            "https://w3id.org/defport/id/capability/radar",
        ],
        "candidates": [
            {
                "organisation": "https://w3id.org/defport/id/org/ex-nl-antenna",
                "region": "NL",
                "country": "https://w3id.org/defport/id/country/NL",
                "capabilities": [
                    "https://w3id.org/defport/id/capability/radar",
                ],
                "label": "Voorbeeld Antennes B.V. (fictional)",
            },
        ],
        "total": 7,
    },
    "disruption": {
        "systems": [
            "https://w3id.org/defport/id/item/ex-naval-radar",
        ],
        "failed": [
            "https://w3id.org/defport/id/org/ex-ch-semis",
        ],
        "unit": "organisation",
        "output_before": {
            "https://w3id.org/defport/id/item/ex-naval-radar": 1.7375,
        },
        "output_after": {
            "https://w3id.org/defport/id/item/ex-naval-radar": 0.0,
        },
        "demand_multiple_before": 1.7375,
        "demand_multiple_after": 0.0,
        "unbounded": False,
        "bottlenecks": [],
        "survives": False,
        "time_to_survive_days": 42.5,
        "stock_path_days": {
            "https://w3id.org/defport/id/item/ex-naval-radar": 45.0,
        },
        "time_to_recover_days": 240.0,
        "exposed": True,
        "unavailable": [
            "https://w3id.org/defport/id/item/ex-naval-radar",
        ],
        "relations_down": 7,
        "stock_units": {
            "https://w3id.org/defport/id/item/ex-radar-signal-cabinet": 0.333333333,
            "https://w3id.org/defport/id/item/ex-radar-psu": 1.33333333,
        },
        "notes": [],
        "labels": {
            "https://w3id.org/defport/id/item/ex-naval-radar": "Example naval surveillance radar NS-100 (fictional)",
            "https://w3id.org/defport/id/org/ex-ch-semis": "Beispiel Halbleiter AG (fictional)",
        },
    },
    "needs": {
        "regions": [
            "NL",
            "EU",
            "NATO",
        ],
        "capabilities": [
            {
                "capability": "https://w3id.org/defport/id/capability/cyber",
                "label": "Cyber security and cyber operations",
                "needed_by": [
                    "https://w3id.org/defport/id/org/ex-dmo",
                ],
                "providers": {
                    "NL": [
                        "https://w3id.org/defport/id/org/ex-nl-crypto",
                    ],
                    "EU": [],
                    "NATO": [],
                    "other": [],
                },
                "counts": {
                    "NL": 1,
                    "EU": 0,
                    "NATO": 0,
                    "other": 0,
                },
                "gap": "one Dutch provider",
                "projects": [],
            },
        ],
        "gaps": [
            {
                "capability": "https://w3id.org/defport/id/capability/cyber",
                "gap": "one Dutch provider",
                "projects": [],
            },
        ],
        "labels": {
            "https://w3id.org/defport/id/org/ex-nl-crypto": "Voorbeeld Cryptografie B.V. (fictional)",
            "https://w3id.org/defport/id/org/ex-dmo": "Example Defence Materiel Organisation (fictional)",
            "https://w3id.org/defport/id/capability/cyber": "Cyber security and cyber operations",
        },
    },
}

SCALE_CSV: dict[str, str] = {
    "needs": (
        "capability,label,needed_by,NL,EU,NATO,other,gap,"
        "projects\nhttps://w3id.org/defport/id/capability/cy"
        "ber,Cyber security and cyber "
        "operations,1,1,0,0,0,one Dutch provider,\n"
    ),
}

IMPORTS: dict[str, Any] = {
    "dry_run": {
        "import": None,
        "graph": None,
        "committed": False,
        "dry_run": True,
        "conforms": True,
        "triples": 19,
        "sources": [
            {
                "source": "suppliers.ttl",
                "media_type": "text/turtle",
                "sha256": ("f4502f8dd6759f2cc07091e11eca01b7979b20bc4afd176101486f6376e96fa1"),
                "bytes": 1026,
                "triples": 19,
                "graphs": [],
                "notes": [],
            },
        ],
        "replaced": [],
        "user": "key:data steward",
        "notes": [],
        "report": {
            "conforms": True,
            "counts": {
                "Violation": 0,
                "Warning": 0,
                "Info": 0,
            },
            "results": [],
            "omitted": {},
            "shapes_version": "0.1.0",
        },
    },
    "created": {
        "import": "20261127T235140972813Z-840108b7",
        "graph": ("https://w3id.org/defport/id/import/20261127T235140972813Z-840108b7"),
        "committed": True,
        "dry_run": False,
        "conforms": True,
        "triples": 19,
        "sources": [
            {
                "source": "suppliers.ttl",
                "media_type": "text/turtle",
                "sha256": ("c0f7d06cc26ac7af5cb6ee562a91711a07a859a310d0c12e7774b40aa3c23d9f"),
                "bytes": 1026,
                "triples": 19,
                "graphs": [],
                "notes": [],
            },
        ],
        "replaced": [
            ("https://w3id.org/defport/id/import/20261127T235137007567Z-b6eee8fc"),
        ],
        "user": "key:data steward",
        "notes": [],
        "report": {
            "conforms": True,
            "counts": {
                "Violation": 0,
                "Warning": 0,
                "Info": 0,
            },
            "results": [],
            "omitted": {},
            "shapes_version": "0.1.0",
        },
    },
    "violations": {
        "type": "about:blank",
        "title": "Validation failed",
        "status": 422,
        "detail": "2 violation(s): nothing was stored",
        "instance": "/api/imports",
        "report": {
            "conforms": False,
            "counts": {
                "Violation": 2,
                "Warning": 0,
                "Info": 0,
            },
            "results": [
                {
                    "focus_node": "https://w3id.org/defport/id/supply/ghost",
                    "result_path": "https://w3id.org/defport/ontology#item",
                    "value": "https://w3id.org/defport/id/item/x",
                    "message": {
                        "en": "The dp:item of a supply relation must be a dp:Item.",
                        "nl": ("Het dp:item van een leveringsrelatie moet een dp:Item zijn."),
                    },
                    "severity": "Violation",
                    "source_shape": "https://w3id.org/defport/shapes#SupplyRelation-itemType",
                    "source_constraint": "http://www.w3.org/ns/shacl#ClassConstraintComponent",
                    "location": "upload.ttl:7",
                },
            ],
            "omitted": {},
            "shapes_version": "0.1.0",
        },
    },
    "list": {
        "imports": [
            {
                "id": "20261127T235137007567Z-b6eee8fc",
                "graph": ("https://w3id.org/defport/id/import/20261127T235137007567Z-b6eee8fc"),
                "status": "superseded",
                "generated_at": "2026-11-27T23:51:37Z",
                "user": "key:data steward",
                "sources": [
                    "suppliers.ttl",
                ],
                "formats": [
                    "text/turtle",
                ],
                "sha256": ("f4502f8dd6759f2cc07091e11eca01b7979b20bc4afd176101486f6376e96fa1"),
                "triples": 19,
                "shapes_version": "0.1.0",
                "conforms": True,
                "violations": 0,
                "warnings": 0,
                "graph_names": [],
                "revision_of": [],
                "revised_by": [
                    "20261127T235140972813Z-840108b7",
                ],
                "rolled_back_at": None,
                "description": None,
                "marking": "defport",
                "releasable_to": [],
            },
        ],
    },
    "show": {
        "id": "20261127T235140972813Z-840108b7",
        "graph": ("https://w3id.org/defport/id/import/20261127T235140972813Z-840108b7"),
        "status": "live",
        "generated_at": "2026-11-27T23:51:40Z",
        "user": "key:data steward",
        "sources": [
            "suppliers.ttl",
        ],
        "formats": [
            "text/turtle",
        ],
        "sha256": ("c0f7d06cc26ac7af5cb6ee562a91711a07a859a310d0c12e7774b40aa3c23d9f"),
        "triples": 19,
        "shapes_version": "0.1.0",
        "conforms": True,
        "violations": 0,
        "warnings": 0,
        "graph_names": [],
        "revision_of": [
            "20261127T235137007567Z-b6eee8fc",
        ],
        "revised_by": [],
        "rolled_back_at": None,
        "description": None,
        "marking": "defport",
        "releasable_to": [],
        "stored_triples": 19,
    },
    "diff": {
        "from": "20261127T235137007567Z-b6eee8fc",
        "to": "20261127T235140972813Z-840108b7",
        "added_count": 1,
        "removed_count": 1,
        "unchanged_count": 18,
        "added": [
            (
                "<https://w3id.org/defport/id/supply/acme-optics--p"
                "rism> <https://w3id.org/defport/ontology#share> "
                '"0.3"^^<http://www.w3.org/2001/XMLSchema#decimal> '
                "."
            ),
        ],
        "removed": [
            (
                "<https://w3id.org/defport/id/supply/acme-optics--p"
                "rism> <https://w3id.org/defport/ontology#share> "
                '"0.6"^^<http://www.w3.org/2001/XMLSchema#decimal> '
                "."
            ),
        ],
        "truncated": False,
    },
    "rollback": {
        "rolled_back": "20261127T235140972813Z-840108b7",
        "reactivated": [
            "20261127T235137007567Z-b6eee8fc",
        ],
        "report": {
            "conforms": True,
            "counts": {
                "Violation": 0,
                "Warning": 0,
                "Info": 0,
            },
            "results": [],
            "omitted": {},
            "shapes_version": "0.1.0",
        },
    },
}

# -- hand-written answers: the heat map, /health, /sparql and /api/imports ----------------------

SCALE_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="918" height="376" viewBox="0 0 918 376" role="img" '
    'aria-label="Defence needs versus industrial capabilities">\n'
    "<title>Defence needs versus industrial capabilities</title>\n"
    '<rect x="0" y="0" width="918" height="376" fill="#ffffff"/>\n'
    "...\n</svg>\n"
)


def svg(example: str, description: str, *, errors: tuple[int, ...] = ()) -> Responses:
    """An SVG image answer (and the problem+json answers of ``errors``)."""
    content = {"image/svg+xml": {"schema": {"type": "string"}, "example": example}}
    return {200: {"description": description, "content": content}, **error_responses(*errors)}


HEALTH: Responses = {
    200: {
        "description": "The store answers",
        "content": {"application/json": {"example": {"status": "ok", "store": "embedded", "triples": 48213}}},
    },
    503: {
        "description": "The store does not answer (for load balancers: take this instance out)",
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "properties": {"status": {"type": "string", "enum": ["error"]}, "detail": {"type": "string"}},
                    "required": ["status", "detail"],
                },
                "example": {"status": "error", "detail": "the store is closed"},
            }
        },
    },
}

_SPARQL_JSON = {
    "head": {"vars": ["org", "label"]},
    "results": {
        "bindings": [
            {
                "org": {"type": "uri", "value": "https://w3id.org/defport/id/org/tno"},
                "label": {"type": "literal", "value": "TNO", "xml:lang": "en"},
            }
        ]
    },
}
_SPARQL_XML = (
    '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
    '<head><variable name="org"/></head><results><result><binding name="org">'
    "<uri>https://w3id.org/defport/id/org/tno</uri></binding></result></results></sparql>\n"
)
_SPARQL_TURTLE = '<https://w3id.org/defport/id/org/tno> <http://www.w3.org/2000/01/rdf-schema#label> "TNO"@en .\n'
_TEXT = {"type": "string"}
# Every media type /sparql answers in: solutions (SELECT/ASK) and graphs (CONSTRUCT/DESCRIBE and
# the service description), by content negotiation.
SPARQL_OK: Responses = {
    200: {
        "description": "Query results or, for GET without a query, the service description; by content "
        "negotiation. `X-Defport-Truncated: true` when the answer was cut at the result limit.",
        "content": {
            "application/sparql-results+json": {"example": _SPARQL_JSON},
            "application/json": {"example": _SPARQL_JSON},
            "application/sparql-results+xml": {"schema": _TEXT, "example": _SPARQL_XML},
            "application/xml": {"schema": _TEXT, "example": _SPARQL_XML},
            "text/xml": {"schema": _TEXT, "example": _SPARQL_XML},
            "text/csv": {"schema": _TEXT, "example": "org,label\r\nhttps://w3id.org/defport/id/org/tno,TNO\r\n"},
            "text/tab-separated-values": {
                "schema": _TEXT,
                "example": '?org\t?label\n<https://w3id.org/defport/id/org/tno>\t"TNO"@en\n',
            },
            "text/turtle": {"schema": _TEXT, "example": _SPARQL_TURTLE},
            "application/x-turtle": {"schema": _TEXT, "example": _SPARQL_TURTLE},
            "application/n-triples": {"schema": _TEXT, "example": _SPARQL_TURTLE},
            "application/n-quads": {"schema": _TEXT, "example": _SPARQL_TURTLE},
            "application/ld+json": {
                "example": [
                    {
                        "@id": "https://w3id.org/defport/id/org/tno",
                        "http://www.w3.org/2000/01/rdf-schema#label": [{"@value": "TNO", "@language": "en"}],
                    }
                ]
            },
            "application/rdf+xml": {
                "schema": _TEXT,
                "example": '<?xml version="1.0" encoding="UTF-8"?>\n<rdf:RDF '
                'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">...</rdf:RDF>\n',
            },
        },
    },
}
# 400 bad query, update or graph; 406 no acceptable type; 413 query too long; 502 a SERVICE call
# failed; 503 timed out, busy or stopping. POST adds 415 (a body that is neither form nor query).
SPARQL_GET: Responses = {**SPARQL_OK, **error_responses(400, 406, 413, 502, 503)}
SPARQL_POST: Responses = {**SPARQL_OK, **error_responses(400, 406, 413, 415, 502, 503)}

_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_IMPORT_TURTLE = (
    "@prefix dp: <https://w3id.org/defport/ontology#> .\n"
    "@prefix dpid: <https://w3id.org/defport/id/> .\n"
    'dpid:org\\/acme-optics a dp:Organisation ; rdfs:label "Acme Optics B.V."@en .\n'
)
# The body of POST /api/imports: its Content-Type picks the reader.
IMPORT_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "description": "The data. RDF in any of the media types below, a steward template as text/csv "
        "(with `?template=`) or an XLSX workbook, or a multipart form upload (field `file`).",
        "content": {
            "text/turtle": {"schema": _TEXT, "example": _IMPORT_TURTLE},
            "application/trig": {"schema": _TEXT},
            "application/n-triples": {"schema": _TEXT},
            "application/n-quads": {"schema": _TEXT},
            "application/ld+json": {"schema": {"type": "object"}},
            "application/rdf+xml": {"schema": _TEXT},
            "text/csv": {
                "schema": _TEXT,
                "example": "name,kvk,country\nAcme Optics B.V.,12345678,NL\n",
            },
            _XLSX: {"schema": {"type": "string", "format": "binary"}},
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "file": {"type": "string", "format": "binary"},
                        "template": {"type": "string"},
                        "dry_run": {"type": "boolean"},
                        "replace": {"type": "string"},
                    },
                    "required": ["file"],
                }
            },
        },
    }
}


def _json(example: Any, description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"example": example}}}


IMPORT_CREATE: Responses = {
    201: {
        **_json(IMPORTS["created"], "Committed: the import and its validation report"),
        "headers": {"Location": {"description": "The import's record", "schema": _TEXT}},
    },
    200: _json(IMPORTS["dry_run"], "Dry run: the data conforms (nothing was stored)"),
    **error_responses(400, 413, 415),
    **problem_answer(422, "SHACL violations: nothing was stored; the report is in the problem", IMPORTS["violations"]),
}
IMPORT_LIST: Responses = {200: _json(IMPORTS["list"], "The imports, oldest first"), **error_responses(400)}
IMPORT_SHOW: Responses = {200: _json(IMPORTS["show"], "The import's record"), **error_responses(400, 404)}
IMPORT_DIFF: Responses = {
    200: _json(IMPORTS["diff"], "The statements added and removed, as N-Triples"),
    **error_responses(400, 404),
}
IMPORT_ROLLBACK: Responses = {
    200: _json(IMPORTS["rollback"], "Rolled back; the versions it replaced are live again"),
    **error_responses(400, 404),
}
