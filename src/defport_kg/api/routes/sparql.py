"""GET/POST /sparql: the SPARQL 1.1 Protocol query operation over the live data (CONTRACT §5).

This module only translates HTTP: the protocol rules are in ``defport_kg.sparql.protocol``, the
check and the execution in ``defport_kg.sparql.engine``. The engine (worker processes for an
on-disk store) is made at the first query, not at start-up, so apps that never query pay nothing;
it is stopped when the app shuts down or is garbage-collected.
"""

from __future__ import annotations

import inspect
import threading
import weakref
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import anyio
import pyoxigraph as ox
from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import Response

from defport_kg.api import examples
from defport_kg.api.deps import caller_view
from defport_kg.api.problems import problem
from defport_kg.querying import is_update
from defport_kg.settings import Settings, get_settings
from defport_kg.sparql.cache import ResultCache, cacheable
from defport_kg.sparql.description import describe, graph_sizes, serialise
from defport_kg.sparql.engine import QueryEngine, create_engine
from defport_kg.sparql.execution import QueryOutcome, QueryRequest
from defport_kg.sparql.negotiation import DESCRIPTION_TYPES, RESULT_FORMAT, negotiate
from defport_kg.sparql.protocol import FORM, SPARQL_QUERY, ProtocolError, read_request

_ENGINE_LOCK = threading.Lock()
_DESCRIPTION_FORMATS = {
    "turtle": "TURTLE",
    "ntriples": "N_TRIPLES",
    "jsonld": "JSON_LD",
    "rdfxml": "RDF_XML",
}


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    try:
        yield
    finally:
        await anyio.to_thread.run_sync(close_engine, app)


router = APIRouter(tags=["sparql"], lifespan=_lifespan)


def settings_of(app: Any) -> Settings:
    """The app's settings (tests set ``app.state.settings``), else the environment's."""
    return getattr(app.state, "settings", None) or get_settings()


def engine_for(app: Any) -> QueryEngine:
    """The app's query engine, made on first use."""
    engine = getattr(app.state, "sparql_engine", None)
    if engine is not None:
        return engine
    with _ENGINE_LOCK:
        engine = getattr(app.state, "sparql_engine", None)
        if engine is None:
            settings = settings_of(app)
            engine = create_engine(
                app.state.store,
                timeout=settings.query_timeout_seconds,
                workers=settings.query_workers,
                worker_memory_mb=settings.query_worker_memory_mb,
                copy_triples=settings.query_memory_copy_triples,
            )
            app.state.sparql_engine = engine
            if hasattr(engine, "paths_in_use") and hasattr(app.state, "access"):
                app.state.access.in_use = engine.paths_in_use  # views a worker reads are never deleted
            weakref.finalize(app, engine.close)
    return engine


def close_engine(app: Any) -> None:
    """Stop the app's query engine (its worker processes and snapshots), if it has one."""
    engine = getattr(app.state, "sparql_engine", None)
    if engine is not None:
        app.state.sparql_engine = None
        engine.close()


_OPENAPI: dict[str, Any] = {
    "parameters": [
        {"name": "query", "in": "query", "schema": {"type": "string"}, "description": "The SPARQL query (GET)."},
        {
            "name": "default-graph-uri",
            "in": "query",
            "schema": {"type": "array", "items": {"type": "string"}},
            "description": "Graphs whose merge is the default graph (overrides FROM).",
        },
        {
            "name": "named-graph-uri",
            "in": "query",
            "schema": {"type": "array", "items": {"type": "string"}},
            "description": "The named graphs (overrides FROM NAMED).",
        },
    ],
    "requestBody": {
        "required": False,
        "content": {
            SPARQL_QUERY: {"schema": {"type": "string"}},
            FORM: {
                "schema": {
                    "type": "object",
                    "properties": {
                        "query": {"type": "string"},
                        "default-graph-uri": {"type": "array", "items": {"type": "string"}},
                        "named-graph-uri": {"type": "array", "items": {"type": "string"}},
                    },
                }
            },
        },
    },
}


_DESCRIPTION = (
    "The SPARQL 1.1 Protocol query operation over the live data; without a query, GET answers the "
    "SPARQL 1.1 Service Description. Updates are refused."
)


@router.get(
    "/sparql",
    summary="SPARQL 1.1 query (GET) or service description",
    description=_DESCRIPTION,
    operation_id="sparql_get",
    response_class=Response,
    responses=examples.SPARQL_GET,
    openapi_extra={"parameters": _OPENAPI["parameters"]},
)
@router.post(
    "/sparql",
    summary="SPARQL 1.1 query (POST form or application/sparql-query)",
    description=_DESCRIPTION,
    operation_id="sparql_post",
    response_class=Response,
    responses=examples.SPARQL_POST,
    openapi_extra=_OPENAPI,
)
async def sparql(request: Request) -> Response:
    return await answer(request)


async def answer(request: Request) -> Response:
    """The answer to a /sparql request whose caller has been admitted (``read_access``)."""
    settings = settings_of(request.app)
    try:
        parsed = await read_request(request, max_bytes=settings.query_max_bytes)
    except ProtocolError as error:
        return problem(error.status, error.title, error.detail, instance=request.url.path)
    if parsed is None:
        return await _service_description(request, settings)
    if is_update(parsed.text):  # answered at once; the parser in the worker would say the same
        return problem(400, "Update refused", "updates are refused: this endpoint answers queries only")
    # Making the engine starts processes and copies the store: not on the event loop.
    engine = getattr(request.app.state, "sparql_engine", None) or await anyio.to_thread.run_sync(
        engine_for, request.app
    )
    query = QueryRequest(
        text=parsed.text,
        default_graph_uris=parsed.default_graph_uris,
        named_graph_uris=parsed.named_graph_uris,
        accept=request.headers.get("accept"),
        endpoint=_endpoint(request),
        result_limit=settings.query_result_limit,
        service_allowlist=tuple(settings.service_allowlist),
    )
    request.state.query_text = parsed.text
    view = await caller_view(request)
    cache = _result_cache(request.app, settings)
    key = None
    if cache is not None and cacheable(query):
        # The generation is read before the query runs: an answer is never filed under a newer one.
        key = ResultCache.key(engine.generation, None if view.full else view.path, query)
        kept = cache.get(key)
        if kept is not None:
            return _response(kept, settings, cache="hit")
    outcome = await engine.run_async(query, view)
    if key is not None:
        cache.put(key, outcome)  # type: ignore[union-attr]
    return _response(outcome, settings, cache="miss" if key is not None else None)


def _result_cache(app: Any, settings: Settings) -> ResultCache | None:
    """The app's result cache (``query_cache_mb``), made on first use; None when it is off.

    Only for an embedded store: every commit to it passes through this process and bumps the
    engine's generation. A remote store can be written by others, unseen."""
    if settings.query_cache_mb <= 0 or getattr(app.state.store, "kind", None) != "embedded":
        return None
    cache = getattr(app.state, "sparql_result_cache", None)
    if cache is None:
        cache = app.state.sparql_result_cache = ResultCache(settings.query_cache_mb * 1024 * 1024)
    return cache


class _Route:
    """What the metrics middleware reads of a matched route: its path template."""

    path = "/sparql"


_ROUTE = _Route()


class SparqlFastPath:
    """ASGI middleware that answers GET and POST /sparql without FastAPI's routing and dependency
    solving, which cost more than a cheap query itself (issue 7's throughput target).

    It does exactly what the route does, through the same functions: the router's access rule
    (``read_access``: the key from ``Authorization`` or the sign-in cookie, 401/403 as problem+json
    through the app's own exception handlers), then ``answer`` on the caller's view. It sits inside
    the metrics, security-header and audit middlewares, so those see it like any route; it names
    the route in the scope for the metrics. Anything else (other paths and methods, an app with
    dependency overrides, a root path) goes on to FastAPI, where the route stays documented.
    """

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if (
            scope["type"] != "http"
            or scope["path"] != "/sparql"
            or scope["method"] not in ("GET", "POST")
            or scope.get("root_path")
        ):
            await self.app(scope, receive, send)
            return
        app = scope["app"]
        if app.dependency_overrides:  # tests that replace a dependency get the route that honours it
            await self.app(scope, receive, send)
            return
        scope["route"] = _ROUTE
        request = Request(scope, receive, send)
        try:
            await _admit(request)
            response = await answer(request)
        except Exception as error:
            handler = _handler_for(app, error)
            if handler is None:
                raise  # to the app's catch-all (500 problem), as from any route
            response = await handler(request, error)
        await response(scope, receive, send)


async def _admit(request: Request) -> None:
    """The access rule the router puts on /sparql (``dependencies=[Depends(read_access())]``)."""
    from defport_kg.api.deps import bearer, current_key, read_access

    state = request.app.state
    key = await current_key(request, await bearer(request), state.keyring)
    await read_access()(request, key, state.settings)


def _handler_for(app: Any, error: Exception) -> Any:
    """The app's exception handler for ``error`` (the one FastAPI's exception middleware would call),
    None for the catch-all ``Exception`` handler, which sits outside every middleware."""
    handlers = app.exception_handlers
    for cls in type(error).__mro__:
        if cls is Exception:
            return None
        if cls in handlers:
            handler = handlers[cls]
            if inspect.iscoroutinefunction(handler):
                return handler

            async def run(request: Request, error: Exception, handler: Any = handler) -> Any:
                return await anyio.to_thread.run_sync(handler, request, error)

            return run
    return None


_ENDPOINTS: dict[tuple[Any, ...], str] = {}


def _endpoint(request: Request) -> str:
    """The endpoint's own URL as the client addressed it (the result-limit link, the service
    description). Building a URL object costs a tenth of a cached answer: kept per the parts of the
    request it is made of (the Host header is the client's, so only a bounded number)."""
    scope = request.scope
    host = next((value for name, value in scope["headers"] if name == b"host"), None)
    server = scope.get("server")
    parts = (scope["scheme"], tuple(server) if server else None, scope.get("root_path", ""), scope["path"], host)
    endpoint = _ENDPOINTS.get(parts)
    if endpoint is None:
        endpoint = str(request.url.replace(query="", fragment=""))
        if len(_ENDPOINTS) >= 64:
            _ENDPOINTS.clear()
        _ENDPOINTS[parts] = endpoint
    return endpoint


def _response(outcome: QueryOutcome, settings: Settings, *, cache: str | None = None) -> Response:
    if not outcome.ok:
        extra = dict(outcome.extra)
        retry_after = extra.pop("retry_after", None)
        response: Response = problem(outcome.status, outcome.title, outcome.detail, **extra)
        if retry_after is not None:
            response.headers["Retry-After"] = str(retry_after)
        return response
    headers = {"Vary": "Accept"}
    if cache is not None:
        headers["X-Defport-Cache"] = cache
    if outcome.truncated:
        headers["X-Defport-Truncated"] = "true"
        headers["X-Defport-Result-Limit"] = str(settings.query_result_limit)
    media = outcome.media_type + ("; charset=utf-8" if outcome.media_type.startswith("text/") else "")
    return Response(outcome.body, media_type=media, headers=headers)


async def _service_description(request: Request, settings: Settings) -> Response:
    media = negotiate(request.headers.get("accept"), DESCRIPTION_TYPES)
    if media is None:
        return problem(
            406,
            "Not acceptable",
            f"the service description is sent as {', '.join(DESCRIPTION_TYPES)}; the Accept header allows none",
        )
    app = request.app
    engine = await anyio.to_thread.run_sync(engine_for, app)
    # Per view: the sizes of graphs the caller may not see are not described to it.
    view = await caller_view(request)
    descriptions = app.state.__dict__.setdefault("sparql_description_sizes", {})
    key = (view.path, view.graphs) if not view.full else None
    cached = descriptions.get(key)
    if cached is None or cached[0] != engine.generation:
        generation = engine.generation
        sizes = await anyio.to_thread.run_sync(graph_sizes, view.store.raw)
        cached = (generation, sizes)
        descriptions[key] = cached
    triples = describe(
        _endpoint(request),
        cached[1],
        result_limit=settings.query_result_limit,
        timeout=settings.query_timeout_seconds,
        allowlist=settings.service_allowlist,
    )
    fmt = getattr(ox.RdfFormat, _DESCRIPTION_FORMATS[RESULT_FORMAT[media]])
    body = serialise(triples, fmt)
    charset = "; charset=utf-8" if media.startswith("text/") else ""
    return Response(body, media_type=media + charset, headers={"Vary": "Accept"})
