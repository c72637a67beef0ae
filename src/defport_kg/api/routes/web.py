"""The web interface (CONTRACT §5 ``GET /``): server-rendered pages in English and Dutch.

Pages are Jinja2 templates filled from ``defport_kg.web.views`` (read-only view data); the
interactive parts (SPARQL editor, network picture, imports) are small scripts in
``web/static/js`` that call the JSON APIs. Every asset is served from the package itself and the
Content-Security-Policy allows nothing but this origin, so the interface works air-gapped and
cannot be made to load anything from elsewhere.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from fastapi.routing import APIRoute
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.routing import Match

from defport_kg import __version__
from defport_kg.api.network_cache import network_for
from defport_kg.namespaces import PREFIXES, compact
from defport_kg.web import STATIC_DIR, TEMPLATES_DIR, i18n, views

# 'self' only. Images may be data: URIs (the editor's stylesheet draws its icons that way).
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
}
LANG_COOKIE = "defport_lang"
STATIC_TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".txt": "text/plain; charset=utf-8",
    ".json": "application/json",
    ".woff2": "font/woff2",
}


class SecureRoute(APIRoute):
    """Adds the security headers to every answer of the web router (pages and static files)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def secured(request: Request) -> Response:
            response = await handler(request)
            for name, value in SECURITY_HEADERS.items():
                response.headers.setdefault(name, value)
            return response

        return secured


router = APIRouter(tags=["web"], route_class=SecureRoute, include_in_schema=False)

_env = Environment(
    loader=FileSystemLoader(str(TEMPLATES_DIR)),
    autoescape=select_autoescape(["html"]),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
_env.filters["compact"] = compact
_env.filters["quote"] = lambda s: quote(str(s), safe="")


def _tojson(value: Any) -> str:
    # Safe inside <script type="application/json">: no "</script>" or "<!--" can close it.
    return json.dumps(value, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e").replace(
        "&", "\\u0026"
    )


_env.filters["json"] = _tojson


# -- language ---------------------------------------------------------------------------------


def language(request: Request) -> str:
    """``?lang=``, else the language cookie, else the browser's Accept-Language, else English."""
    asked = request.query_params.get("lang")
    if asked in i18n.LANGUAGES:
        return asked
    cookie = request.cookies.get(LANG_COOKIE)
    if cookie in i18n.LANGUAGES:
        return cookie
    return i18n.from_accept_language(request.headers.get("accept-language"))


# The APIs the pages call, probed by route matching (route modules arrive as their issues land).
_API_PROBES = {
    "search": ("GET", "/api/search"),
    "queries": ("GET", "/api/queries"),
    "cut_sets": ("GET", "/api/risk/cut-sets"),
    "spof": ("GET", "/api/risk/spof"),
    "impact": ("GET", "/api/risk/impact"),
    "sovereignty": ("GET", "/api/risk/sovereignty"),
    "max_output": ("GET", "/api/scale/max-output"),
    "needs": ("GET", "/api/scale/needs"),
    "needs_svg": ("GET", "/api/scale/needs.svg"),
    "imports": ("POST", "/api/imports"),
    "import_history": ("GET", "/api/imports"),
    "rollback": ("POST", "/api/imports/probe/rollback"),
}


def _available(app: Any, method: str, path: str) -> bool:
    """Whether ``app`` answers ``method path`` with a route (not the 404 of no route at all)."""
    scope = {"type": "http", "path": path, "method": method, "root_path": "", "headers": [], "query_string": b"",
             "app": app}
    for route in app.router.routes:
        match, _ = route.matches(scope)
        if match == Match.FULL and getattr(route, "path", None) != "/{path:path}":
            return True
    return False


def apis_available(app: Any) -> dict[str, bool]:
    cached = getattr(app.state, "web_apis", None)
    if cached is None:
        cached = {name: _available(app, method, path) for name, (method, path) in _API_PROBES.items()}
        app.state.web_apis = cached
    return dict(cached)


def _reads_need_key(request: Request) -> bool:
    settings = getattr(request.app.state, "settings", None)
    if settings is None:
        from defport_kg.settings import get_settings

        settings = get_settings()
    return bool(getattr(settings, "require_keys_for_reads", False))


def render(request: Request, template: str, page: str, status: int = 200, **context: Any) -> HTMLResponse:
    lang = language(request)
    t = i18n.translator(lang)
    apis = apis_available(request.app)
    html = _env.get_template(template).render(
        t=t,
        lang=lang,
        page=page,
        version=__version__,
        here=_here(request),
        apis=apis,
        reads_need_key=_reads_need_key(request),
        client={"lang": lang, "strings": i18n.client_strings(lang), "apis": apis, "page": page},
        **context,
    )
    response = HTMLResponse(html, status_code=status)
    if request.query_params.get("lang") in i18n.LANGUAGES:
        _set_language_cookie(response, lang)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Content-Language"] = lang
    return response


def _here(request: Request) -> str:
    """This page's address without ``lang`` (the language switch must not be overruled by it)."""
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    return request.url.path + ("?" + urlencode(params) if params else "")


def _set_language_cookie(response: Response, lang: str) -> None:
    response.set_cookie(LANG_COOKIE, lang, max_age=365 * 24 * 3600, samesite="strict", httponly=False, path="/")


def _local_path(target: str | None) -> str:
    """Only a path on this site may be a redirect target (no open redirect)."""
    if not target or not target.startswith("/") or "\\" in target:
        return "/"
    # Browsers drop tabs and newlines from URLs ("/\t/x" becomes "//x"): refuse any such character.
    if any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in target) or target.startswith("//"):
        return "/"
    return target


@router.get("/lang/{code}")
def switch_language(code: str, next: Annotated[str | None, Query()] = None) -> Response:
    """Persist the chosen language in a cookie and go back to the page the reader was on."""
    if code not in i18n.LANGUAGES:
        raise HTTPException(404, f"unknown language {code!r}: choose one of {', '.join(i18n.LANGUAGES)}")
    response = RedirectResponse(_local_path(next), status_code=303)
    _set_language_cookie(response, code)
    return response


# -- pages ------------------------------------------------------------------------------------


def _store(request: Request) -> Any:
    return request.app.state.store


def _network(request: Request) -> Any:
    """The supply network the risk API answers from (one shared cache), so pages and API agree."""
    return network_for(request)


@router.get("/", response_class=HTMLResponse)
async def home(request: Request) -> HTMLResponse:
    store = _store(request)
    lang = language(request)

    def gather() -> dict[str, Any]:
        if _reads_need_key(request):
            return {"stats": None, "systems": []}
        rows = store.select(
            "PREFIX dp: <https://w3id.org/defport/ontology#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
            "SELECT (COUNT(DISTINCT ?o) AS ?orgs) (COUNT(DISTINCT ?r) AS ?rels) WHERE {"
            " { ?o a ?c . ?c rdfs:subClassOf* dp:Organisation } UNION { ?r a dp:SupplyRelation } }"
        )
        systems = views.systems(store, lang)
        return {
            "stats": {
                "organisations": rows[0]["orgs"] if rows else 0,
                "relations": rows[0]["rels"] if rows else 0,
                "systems": len(systems),
                "triples": store.triple_count(),
            },
            "systems": systems,
        }

    return render(request, "home.html", "home", **(await run_in_threadpool(gather)))


@router.get("/query", response_class=HTMLResponse)
async def query_page(request: Request) -> HTMLResponse:
    from defport_kg.web.named_queries import named_queries

    queries = await run_in_threadpool(named_queries)
    return render(request, "query.html", "query", named_queries=queries, prefixes=PREFIXES)


@router.get("/search", response_class=HTMLResponse)
async def search_page(
    request: Request, q: Annotated[str, Query(max_length=200)] = "", kind: Annotated[str, Query()] = ""
) -> HTMLResponse:
    from defport_kg.search import find

    lang = language(request)
    hits: list[dict[str, Any]] = []
    if q.strip() and not _reads_need_key(request):
        hits = await run_in_threadpool(find, _store(request), q, lang=lang, limit=200)
        if kind:
            hits = [h for h in hits if h["kind"] == kind]
    kinds = sorted({h["kind"] for h in hits})
    return render(request, "search.html", "search", q=q, kind=kind, hits=hits, kinds=kinds)


@router.get("/thing", response_class=HTMLResponse)
async def thing_page(request: Request, iri: Annotated[str, Query(max_length=2000)] = "") -> HTMLResponse:
    lang = language(request)
    target = views.iri_or_none(iri)
    if target is None:
        return render(request, "thing.html", "search", status=400 if iri else 404, thing=None, asked=iri)
    if _reads_need_key(request):
        return render(request, "thing.html", "search", thing=None, asked=iri)
    found = await run_in_threadpool(lambda: views.thing(_store(request), _network(request), target, lang))
    return render(request, "thing.html", "search", status=200 if found else 404, thing=found, asked=target)


@router.get("/risk", response_class=HTMLResponse)
async def risk_page(
    request: Request,
    system: Annotated[str, Query(max_length=2000)] = "",
) -> HTMLResponse:
    lang = language(request)
    store = _store(request)
    chosen = views.iri_or_none(system)

    def gather() -> dict[str, Any]:
        if _reads_need_key(request):
            return {"systems": [], "tree": None, "units": {}, "chosen": chosen}
        network = _network(request)
        tree = views.supply_tree(store, network, chosen, lang) if chosen else None
        return {
            "systems": views.systems(store, lang),
            "tree": tree,
            "units": views.units(store, network, lang),
            "chosen": chosen,
        }

    data = await run_in_threadpool(gather)
    status = 404 if chosen and data["tree"] is None and not _reads_need_key(request) else 200
    if system and chosen is None:
        status = 400
    tables = {}
    if data["tree"]:
        tables = {
            flag: views.flagged(data["tree"], flag)
            for flag in ("foreign_only", "export_control", "critical_raw_material", "data_gap")
        }
    return render(request, "risk.html", "risk", status=status, asked=system, tables=tables, **data)


@router.get("/scale", response_class=HTMLResponse)
async def scale_page(request: Request) -> HTMLResponse:
    lang = language(request)
    store = _store(request)

    def gather() -> dict[str, Any]:
        if _reads_need_key(request):
            return {"systems": [], "units": {}}
        return {"systems": views.systems(store, lang), "units": views.units(store, _network(request), lang)}

    return render(request, "scale.html", "scale", **(await run_in_threadpool(gather)))


@router.get("/imports", response_class=HTMLResponse)
async def imports_page(request: Request) -> HTMLResponse:
    return render(request, "imports.html", "imports")


# -- static files from the package ------------------------------------------------------------

_STATIC_ROOT = STATIC_DIR.resolve()


@router.get("/static/{path:path}")
def static(path: str) -> Response:
    """A file of ``web/static`` (never outside it); vendored libraries keep their licence files."""
    target = (_STATIC_ROOT / path).resolve()
    if not target.is_relative_to(_STATIC_ROOT) or not target.is_file() or target.suffix not in STATIC_TYPES:
        raise HTTPException(404, f"no static file {path!r}")
    return FileResponse(
        Path(target),
        media_type=STATIC_TYPES[target.suffix],
        headers={"Cache-Control": "public, max-age=3600"},
    )


@router.get("/favicon.ico")
def favicon() -> Response:
    return FileResponse(_STATIC_ROOT / "img" / "favicon.svg", media_type="image/svg+xml")
