"""The FastAPI application: one object over the same store the CLI uses.

Access is decided here once for every router (``ROUTER_ACCESS``), so a route module that forgets
its own check still cannot be written to without a steward key; route-level checks
(``Depends(require_role(...))``) may be stricter. Around the routes sit, from the outside in:
metrics, security headers, CORS (closed unless origins are configured), the audit log and the lean
path of /sparql (``routes.sparql.SparqlFastPath``: the route's own checks without FastAPI's routing).
"""

from __future__ import annotations

import importlib
import inspect
import logging
import weakref
from collections.abc import Callable
from typing import Any

from fastapi import Depends, FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse

from defport_kg import __version__
from defport_kg.access import AccessControl
from defport_kg.api import problems
from defport_kg.api.deps import AUTH_ERRORS, error_responses, method_access, read_access
from defport_kg.api.routes import health, metrics, sparql
from defport_kg.auth import AuditLog, KeyRing, Role
from defport_kg.auth.middleware import AuditMiddleware
from defport_kg.auth.read_audit import read_audit_for
from defport_kg.settings import Settings, get_settings

_log = logging.getLogger("defport_kg.api")

# Route modules added by later work register themselves here when present, each with the access
# rule of its router: (role for reads when keys are required for reads, role for writes).
# None for reads: always open. Modules not listed check access in their routes.
_OPTIONAL_ROUTERS: dict[str, tuple[Role | None, Role] | None] = {
    "defport_kg.api.routes.risk": (Role.analyst, Role.steward),
    "defport_kg.api.routes.scale": (Role.analyst, Role.steward),
    "defport_kg.api.routes.imports": (Role.reader, Role.steward),
    "defport_kg.api.routes.queries": (Role.reader, Role.steward),
    "defport_kg.api.routes.search": (Role.reader, Role.steward),
    "defport_kg.api.routes.export": (Role.reader, Role.steward),
    "defport_kg.api.routes.audit": None,
    "defport_kg.api.routes.keys": None,
    # Own router-level check (web.web_access): sign-in must be open, pages send to the login page.
    "defport_kg.api.routes.web": None,
}

SECURITY_HEADERS = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    "cross-origin-opener-policy": "same-origin",
    "content-security-policy": "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'",
}
# The interactive API docs load FastAPI's Swagger/ReDoc bundle with an inline script.
_NO_CSP_PATHS = ("/docs", "/redoc")

_HEALTH_EXAMPLE = {"status": "ok", "store": "embedded", "triples": 48213}
_SPARQL_EXAMPLE = {
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


class SecurityHeadersMiddleware:
    """Adds the headers every answer should carry, unless the route set its own."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        skip_csp = scope["path"].startswith(_NO_CSP_PATHS)

        async def send_with_headers(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.decode("latin-1").lower() for name, _ in headers}
                for name, value in SECURITY_HEADERS.items():
                    if name in present or (skip_csp and name == "content-security-policy"):
                        continue
                    headers.append((name.encode("latin-1"), value.encode("latin-1")))
                headers.extend(_marking_headers(scope))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _marking_headers(scope: dict[str, Any]) -> list[tuple[bytes, bytes]]:
    """Every answer computed from the data says under which clearance, and the marking it carries
    (the highest of the graphs it was computed over: handle the answer at that level)."""
    state = scope.get("state") or {}
    marking, clearance = state.get("marking"), state.get("clearance")
    if marking is None or clearance is None:
        return []
    return [
        (b"x-defport-marking", str(marking).encode("utf-8")),
        (b"x-defport-clearance", str(clearance).encode("utf-8")),
    ]


def _access_dependencies(rule: tuple[Role | None, Role] | None) -> list[Any]:
    if rule is None:
        return []
    read, write = rule
    return [Depends(method_access(read, write))]


def _include_optional_routers(app: FastAPI) -> list[str]:
    included = []
    for module_name, rule in _OPTIONAL_ROUTERS.items():
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as error:
            if error.name != module_name:
                raise
            continue
        responses = error_responses(*AUTH_ERRORS) if rule is not None else {}
        app.include_router(module.router, dependencies=_access_dependencies(rule), responses=responses)
        included.append(module_name)
    return included


def _internal_error_handler() -> Callable[[Request, Exception], Any]:
    async def internal_error(request: Request, error: Exception) -> JSONResponse:
        if isinstance(error, OSError):  # a full disk under any write (snapshots, views, audit): 507, not a bug
            from defport_kg.errors import StoreFullError
            from defport_kg.store.embedded import write_error

            mapped = write_error(error, "the service could not write what this request needs")
            if isinstance(mapped, StoreFullError):
                _log.error("out of space on %s %s: %s", request.method, request.url.path, error)
                return problems.problem(507, mapped.title, mapped.message, instance=str(request.url.path))
        # The cause goes to the log, not to the client.
        _log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=error)
        return problems.problem(500, "Internal error", "the service failed to answer; the log says why")

    return internal_error


def _document_problems(app: FastAPI) -> None:
    """Make the OpenAPI document say what the app answers: a bad parameter is a 400 problem
    (``problems.install``), never FastAPI's default 422 validation error."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        from defport_kg.api.examples import restore_null_examples  # FastAPI drops nulls from examples

        document = restore_null_examples(app, generate())
        bad_request = error_responses(400)[400]
        for item in document.get("paths", {}).values():
            for operation in item.values():
                responses = operation.get("responses") if isinstance(operation, dict) else None
                if not responses:
                    continue
                default = responses.get("422", {})
                schema = default.get("content", {}).get("application/json", {}).get("schema", {})
                if schema.get("$ref", "").endswith("/HTTPValidationError"):
                    del responses["422"]
                    responses.setdefault("400", bad_request)
        app.openapi_schema = document
        return document

    app.openapi = openapi  # type: ignore[method-assign]


def _install_offline_docs(app: FastAPI) -> None:
    """Swagger UI at /docs from the package's vendored files: air-gapped networks have no CDN."""
    from fastapi.openapi.docs import get_swagger_ui_html
    from fastapi.responses import HTMLResponse

    vendor = "/static/vendor/swagger-ui/"

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=app.openapi_url or "/openapi.json",
            title="defport-kg API",
            swagger_js_url=vendor + "swagger-ui-bundle.js",
            swagger_css_url=vendor + "swagger-ui.css",
            swagger_favicon_url=vendor + "favicon-32x32.png",
        )


def _no_telemetry() -> dict[str, Any]:
    """FastAPI ≥ 0.13x asks the OpenTelemetry providers on every request whether to trace it (a
    tenth of a cheap /sparql request's event-loop time). This service exports no telemetry (it
    runs air-gapped), so it says so once; older FastAPI versions have no such parameter."""
    if "telemetry" not in inspect.signature(FastAPI.__init__).parameters:
        return {}
    return {"telemetry": {"tracing": False, "metrics": False, "logs": False}}


def create_app(store: Any, settings: Settings | None = None) -> FastAPI:
    """The app over ``store``; ``settings`` defaults to the environment (DEFPORT_KG_*)."""
    settings = settings or get_settings()
    app = FastAPI(
        title="defport-kg",
        version=__version__,
        description="Knowledge graph of the Dutch defence-industry ecosystem: SPARQL, risk and "
        "scale-up analyses, validated imports.\n\nWrites need an API key of a steward or admin "
        "(`Authorization: Bearer <key>`, made with `defport-kg keys add NAME --role R`); reads are "
        "open unless `DEFPORT_KG_REQUIRE_KEYS_FOR_READS` is on (then risk and scale need an analyst). "
        "Errors are RFC 9457 problem+json.",
        # FastAPI's own /docs and /redoc pull their bundles from a CDN; ours serves the vendored copy.
        docs_url=None,
        redoc_url=None,
        **_no_telemetry(),
    )
    _install_offline_docs(app)
    app.state.store = store
    app.state.settings = settings
    app.state.keyring = KeyRing(store, cache_seconds=settings.key_cache_seconds, cache_size=settings.key_cache_size)
    app.state.audit = AuditLog(store)
    app.state.access = AccessControl.from_settings(store, settings)
    weakref.finalize(app, app.state.access.close)
    app.state.metrics = metrics.Metrics()
    problems.install(app)
    app.add_exception_handler(Exception, _internal_error_handler())
    app.include_router(
        health.router,
        responses={
            200: {"description": "The store answers", "content": {"application/json": {"example": _HEALTH_EXAMPLE}}}
        },
    )
    app.include_router(
        sparql.router,
        dependencies=[Depends(read_access())],
        responses={
            200: {
                "description": "Query results, by content negotiation",
                "content": {"application/sparql-results+json": {"example": _SPARQL_EXAMPLE}},
            },
            **error_responses(400, *AUTH_ERRORS, 406),
        },
    )
    app.include_router(metrics.router)
    app.state.optional_routers = _include_optional_routers(app)
    _document_problems(app)

    app.state.read_audit = read_audit_for(store, settings)
    # Innermost: /sparql's lean path, inside the audit, security-header and metrics middlewares.
    app.add_middleware(sparql.SparqlFastPath)
    app.add_middleware(
        AuditMiddleware,
        audit=app.state.audit,
        reads=app.state.read_audit,
        retention_days=settings.audit_retention_days,
    )
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST", "DELETE"],
            allow_headers=["Authorization", "Content-Type", "Accept"],
            expose_headers=["ETag", "Content-Disposition"],
            max_age=600,
        )
    app.add_middleware(SecurityHeadersMiddleware)
    app.add_middleware(metrics.MetricsMiddleware, metrics=app.state.metrics)
    return app
