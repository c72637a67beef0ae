"""/api/queries: the named queries of ``queries/`` with their documentation, and running one.

``GET /api/queries/{name}?param=value`` hands the parameters to the registry
(``defport_kg.queries``), which binds them as typed RDF terms — never pasted into the query text.
The answer is JSON rows by default, CSV or TSV (``?format=`` or Accept), or the W3C SPARQL JSON
results format for tools that want typed terms (``Accept: application/sparql-results+json``).
Curated queries are trusted text, but their answers are still capped at ``query_result_limit``.
"""

from __future__ import annotations

import csv
import io
import re
from typing import Annotated, Any, Literal

import pyoxigraph as ox
from fastapi import APIRouter, HTTPException, Path, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from defport_kg import queries as registry
from defport_kg.api.deps import AUTH_ERRORS, SettingsDep, StoreDep, error_responses
from defport_kg.errors import NotFoundError, UsageError
from defport_kg.querying import neutralise_cell
from defport_kg.sparql.negotiation import negotiate
from defport_kg.store.terms import to_python

router = APIRouter(prefix="/api/queries", tags=["queries"])

RESERVED = frozenset({"format"})
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$")
OutputFormat = Literal["json", "csv", "tsv", "sparql-json"]
MEDIA = {
    "json": "application/json",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "sparql-json": "application/sparql-results+json",
}
FORMAT_OF_MEDIA = {media: name for name, media in MEDIA.items()}


class Parameter(BaseModel):
    name: str = Field(description="Give it as `?name=value`")
    type: str = Field(description="iri (full or prefixed, e.g. dpid:country/NL), string, integer, decimal or date")
    default: str | None
    description: str
    required: bool


class QueryInfo(BaseModel):
    name: str
    summary: str
    description: str
    tags: list[str]
    params: list[Parameter]
    href: str = Field(description="Where to run it")


_INFO_EXAMPLE = {
    "name": "organisations-by-country",
    "summary": "Organisations in a country",
    "description": "Every organisation whose dp:country is the given country, with its kind and identifiers.",
    "tags": ["organisations", "countries"],
    "params": [
        {
            "name": "country",
            "type": "iri",
            "default": "dpid:country/NL",
            "description": "The country, e.g. dpid:country/NL (ISO 3166-1 alpha-2).",
            "required": False,
        }
    ],
    "href": "/api/queries/organisations-by-country",
}


class QueryList(BaseModel):
    count: int
    queries: list[QueryInfo]

    model_config = {"json_schema_extra": {"examples": [{"count": 1, "queries": [_INFO_EXAMPLE]}]}}


class QueryAnswer(BaseModel):
    query: str = Field(description="The query's name")
    params: dict[str, str] = Field(description="The values bound (given or default), as N-Triples terms")
    variables: list[str]
    count: int = Field(description="Rows returned")
    truncated: bool = Field(description="True when the answer was cut at the row limit")
    rows: list[dict[str, Any]] = Field(description="IRIs and literals as plain values; unbound → null")

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "query": "organisations-by-country",
                    "params": {"country": "<https://w3id.org/defport/id/country/NL>"},
                    "variables": ["_country", "organisation", "label", "kind", "kvk", "lei"],
                    "count": 1,
                    "truncated": False,
                    "rows": [
                        {
                            "_country": "https://w3id.org/defport/id/country/NL",
                            "organisation": "https://w3id.org/defport/id/org/tno",
                            "label": "Netherlands Organisation for Applied Scientific Research TNO",
                            "kind": "https://w3id.org/defport/ontology#KnowledgeInstitute",
                            "kvk": None,
                            "lei": None,
                        }
                    ],
                }
            ]
        }
    }


def _info(query: registry.NamedQuery) -> QueryInfo:
    data = query.as_dict()
    return QueryInfo(**data, href=f"/api/queries/{query.name}")


@router.get(
    "",
    summary="The named queries with their documentation",
    description="Every query in `queries/`: summary, description, tags and parameters (with type and default).",
    responses=error_responses(400, *AUTH_ERRORS),
)
async def list_named_queries(
    tag: Annotated[
        str | None,
        Query(max_length=100, description="Only queries with this tag", openapi_examples={"risk": {"value": "risk"}}),
    ] = None,
) -> QueryList:
    queries = [q for q in await run_in_threadpool(registry.list_queries) if tag is None or tag in q.tags]
    return QueryList(count=len(queries), queries=[_info(q) for q in queries])


def _term_json(term: Any) -> dict[str, str]:
    """A term in the W3C SPARQL 1.1 Query Results JSON format."""
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
            out["datatype"] = term.datatype.value
        return out
    return {"type": "literal", "value": str(term)}


def _cell(term: Any) -> str:
    if term is None:
        return ""
    return neutralise_cell(term.value if isinstance(term, ox.NamedNode | ox.Literal | ox.BlankNode) else str(term))


def _values(request: Request) -> dict[str, str]:
    values: dict[str, str] = {}
    for name in request.query_params:
        if name in RESERVED:
            continue
        given = request.query_params.getlist(name)
        if len(given) > 1:
            raise UsageError(f"parameter {name!r} is given {len(given)} times: give it once")
        values[name] = given[0]
    return values


def _choose_format(request: Request, format: str | None) -> str:
    if format is not None:
        return format
    media = negotiate(request.headers.get("accept"), tuple(MEDIA.values()))  # the first (JSON) is the default
    if media is None:
        raise HTTPException(
            406,
            "the answer is available as application/json, text/csv, "
            "text/tab-separated-values or application/sparql-results+json",
        )
    return FORMAT_OF_MEDIA[media]


@router.get(
    "/{name}",
    summary="Run a named query with its parameters",
    description="Parameters are given as query parameters by name (see `GET /api/queries`), e.g. "
    "`?country=dpid:country/DE`; each is bound as an RDF term of its declared type. Unknown or malformed "
    "parameters are 400, an unknown query 404. JSON by default; `?format=csv|tsv|sparql-json` or the "
    "Accept header pick another format.",
    response_model=QueryAnswer,
    responses={
        200: {
            "description": "The answer",
            "content": {
                "text/csv": {"example": "organisation,label\nhttps://w3id.org/defport/id/org/tno,TNO\n"},
                "text/tab-separated-values": {
                    "example": "organisation\tlabel\nhttps://w3id.org/defport/id/org/tno\tTNO\n"
                },
                "application/sparql-results+json": {
                    "example": {
                        "head": {"vars": ["organisation"]},
                        "results": {
                            "bindings": [
                                {"organisation": {"type": "uri", "value": "https://w3id.org/defport/id/org/tno"}}
                            ]
                        },
                    }
                },
            },
        },
        **error_responses(400, *AUTH_ERRORS, 404, 406),
    },
)
async def run_named_query(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    name: Annotated[
        str,
        Path(
            description="The query's name (its file name without .rq)",
            openapi_examples={
                "by-country": {"value": "organisations-by-country"},
                "partners": {"value": "defport-partners"},
            },
        ),
    ],
    format: Annotated[
        OutputFormat | None,
        Query(
            description="json, csv, tsv or sparql-json; overrides Accept", openapi_examples={"csv": {"value": "csv"}}
        ),
    ] = None,
) -> Response:
    if not _NAME.match(name):  # never a path: traversal attempts are simply unknown queries
        raise NotFoundError(f"unknown named query {name!r}: GET /api/queries lists them")
    fmt = _choose_format(request, format)
    values = _values(request)
    # pyoxigraph results may only be touched by the thread that made them: run and render there.
    return await run_in_threadpool(_answer, store, name, values, fmt, settings.query_result_limit)


def _answer(store: Any, name: str, values: dict[str, str], fmt: str, limit: int) -> Response:
    query = registry.get_query(name)
    bindings = query.bindings(values)
    params = {variable.value.removeprefix("_"): str(term) for variable, term in bindings.items()}
    result = registry.run_named_query(store, name, values)
    if isinstance(result, ox.QueryBoolean):
        return JSONResponse({"query": query.name, "params": params, "boolean": bool(result)})
    if isinstance(result, ox.QueryTriples):
        return Response(result.serialize(format=ox.RdfFormat.TURTLE), media_type="text/turtle; charset=utf-8")
    variables = [v.value for v in result.variables]
    rows: list[list[Any]] = []
    truncated = False
    for solution in result:
        if len(rows) >= limit:
            truncated = True
            break
        rows.append([solution[v] for v in variables])
    headers = {"X-Result-Truncated": "true"} if truncated else {}
    if fmt in ("csv", "tsv"):
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        writer.writerow(variables)
        for row in rows:
            writer.writerow([_cell(term) for term in row])
        return Response(buffer.getvalue(), media_type=MEDIA[fmt] + "; charset=utf-8", headers=headers)
    if fmt == "sparql-json":
        solutions = [
            {v: _term_json(term) for v, term in zip(variables, row, strict=True) if term is not None} for row in rows
        ]
        return JSONResponse(
            {"head": {"vars": variables}, "results": {"bindings": solutions}},
            media_type=MEDIA["sparql-json"],
            headers=headers,
        )
    answer = QueryAnswer(
        query=query.name,
        params=params,
        variables=variables,
        count=len(rows),
        truncated=truncated,
        rows=[{v: to_python(term) for v, term in zip(variables, row, strict=True)} for row in rows],
    )
    return JSONResponse(answer.model_dump(), headers=headers)
