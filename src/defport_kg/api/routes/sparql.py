"""GET/POST /sparql: the SPARQL 1.1 Protocol query operation over the live data (CONTRACT §5)."""

from __future__ import annotations

from typing import Annotated

import pyoxigraph as ox
from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from defport_kg.errors import QueryError
from defport_kg.namespaces import CATALOG_GRAPH, LIVE_GRAPH, PREFIXES
from defport_kg.querying import is_update

router = APIRouter(tags=["sparql"])

SELECT_TYPES = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "application/xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
GRAPH_TYPES = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}


def _accepted(accept: str) -> list[tuple[str, float]]:
    ranked = []
    for part in accept.split(","):
        fields = [f.strip() for f in part.split(";")]
        if not fields[0]:
            continue
        q = 1.0
        for f in fields[1:]:
            if f.startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        ranked.append((fields[0].lower(), q))
    return sorted(ranked, key=lambda x: -x[1])


def negotiate(accept: str | None, offers: dict[str, object], default: str) -> str | None:
    if not accept:
        return default
    for media, q in _accepted(accept):
        if q <= 0:
            continue
        if media in offers:
            return media
        if media in ("*/*", "application/*", "text/*"):
            if media == "*/*" or default.startswith(media[:-1]):
                return default
            for offer in offers:
                if offer.startswith(media[:-1]):
                    return offer
    return None


async def _query_from_request(request: Request, query: str | None) -> tuple[str, list[str], list[str]]:
    default_graphs = request.query_params.getlist("default-graph-uri")
    named_graphs = request.query_params.getlist("named-graph-uri")
    texts = request.query_params.getlist("query")
    if request.method == "POST":
        content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if content_type == "application/sparql-query":
            texts.append((await request.body()).decode("utf-8", errors="replace"))
        elif content_type == "application/x-www-form-urlencoded":
            form = await request.form()
            texts += [str(v) for v in form.getlist("query")]
            default_graphs += [str(v) for v in form.getlist("default-graph-uri")]
            named_graphs += [str(v) for v in form.getlist("named-graph-uri")]
            if form.getlist("update"):
                raise QueryError("updates are refused: this endpoint answers queries only")
        elif content_type == "application/sparql-update":
            raise QueryError("updates are refused: this endpoint answers queries only")
        else:
            raise QueryError(f"unsupported Content-Type {content_type!r}: send application/sparql-query or a form")
    if not texts:
        raise QueryError("no query given: pass `query` (GET parameter, form field or request body)")
    if len(texts) > 1:
        raise QueryError("the query was given more than once")
    return texts[0], default_graphs, named_graphs


@router.api_route("/sparql", methods=["GET", "POST"], summary="SPARQL 1.1 query endpoint")
async def sparql(
    request: Request,
    query: Annotated[str | None, Query(description="The SPARQL query")] = None,
) -> Response:
    text, default_graphs, named_graphs = await _query_from_request(request, query)
    if is_update(text):
        raise QueryError("updates are refused: this endpoint answers queries only")
    store = request.app.state.store
    kwargs: dict[str, object] = {"prefixes": PREFIXES}
    live = store.live_graphs()
    visible = [*live, CATALOG_GRAPH]
    kwargs["default_graph"] = [
        ox.NamedNode(g) for g in (default_graphs or [LIVE_GRAPH]) if g in visible or g == LIVE_GRAPH
    ]
    kwargs["named_graphs"] = [ox.NamedNode(g) for g in (named_graphs or visible) if g in visible]
    from starlette.concurrency import run_in_threadpool

    def execute() -> tuple[bytes, str]:
        try:
            result = store.raw.query(text, **kwargs)
        except SyntaxError as error:
            raise QueryError(f"the query does not parse: {error}") from None
        accept = request.headers.get("accept")
        if isinstance(result, ox.QueryTriples):
            media = negotiate(accept, GRAPH_TYPES, "text/turtle")
            if media is None:
                return b"", "406"
            fmt = GRAPH_TYPES[media]
            extra = {"prefixes": PREFIXES} if fmt == ox.RdfFormat.TURTLE else {}
            return result.serialize(format=fmt, **extra), media
        media = negotiate(accept, SELECT_TYPES, "application/sparql-results+json")
        if media is None:
            return b"", "406"
        return result.serialize(format=SELECT_TYPES[media]), media

    body, media = await run_in_threadpool(execute)
    if media == "406":
        from fastapi import HTTPException

        raise HTTPException(406, "none of the accepted media types can carry this result")
    charset = "; charset=utf-8" if media.startswith("text/") or "json" in media or "xml" in media else ""
    return Response(body, media_type=media + charset)
