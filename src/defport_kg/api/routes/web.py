"""The web interface (CONTRACT §5 ``GET /``): server-rendered pages in English and Dutch.

Pages are Jinja2 templates filled from ``defport_kg.web.views`` (read-only view data); the
interactive parts (SPARQL editor, network picture, imports) are small scripts in
``web/static/js`` that call the JSON APIs. Every asset is served from the package itself and the
Content-Security-Policy allows nothing but this origin, so the interface works air-gapped and
cannot be made to load anything from elsewhere.

Signing in: ``POST /login`` checks a pasted API key and keeps it in an HttpOnly, SameSite=Strict
session cookie (``deps.SESSION_COOKIE``); ``deps.current_key`` accepts that cookie, so the pages and
the scripts they run act as the signed-in key. When reads need a key, a page without one sends the
browser to ``/login`` instead of answering a bare 401.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import parse_qs, quote, urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from fastapi.routing import APIRoute
from fastapi.security import HTTPAuthorizationCredentials
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.routing import Match

from defport_kg import __version__
from defport_kg.api import deps
from defport_kg.api.network_cache import network_for
from defport_kg.auth import ApiKey, Role
from defport_kg.auth.hashing import parse_token
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


# -- who is visiting ---------------------------------------------------------------------------

SIGN_IN_PATHS = frozenset({"/login", "/logout"})
LOGIN_FORM_MAX_BYTES = 8192
# The role each page needs when reads need a key: the same as the APIs its scripts call.
PAGE_ROLES = {
    "home": Role.reader,
    "query": Role.reader,
    "search": Role.reader,
    "thing": Role.reader,
    "risk": Role.analyst,
    "scale": Role.analyst,
    "imports": Role.reader,
}
BearerCredentials = Annotated[HTTPAuthorizationCredentials | None, Depends(deps.bearer)]


async def web_access(request: Request, credentials: BearerCredentials) -> None:
    """The router's safety net (the app adds none, so that signing in stays open): any write other
    than signing in or out needs a steward key, like every other router's writes."""
    if request.method in deps.SAFE_METHODS or request.url.path in SIGN_IN_PATHS:
        return
    keyring = getattr(request.app.state, "keyring", None)
    if keyring is None:
        raise HTTPException(403, "this server has no API keys: the web interface takes no writes")
    await deps.require_role(Role.steward)(request, await deps.current_key(request, credentials, keyring))


@dataclass(frozen=True)
class Visitor:
    """Who is looking at a page: the signed-in key (None: nobody), or a cookie that no longer works."""

    key: ApiKey | None = None
    stale: bool = False


async def visitor(request: Request, credentials: BearerCredentials) -> Visitor:
    """The key a page acts as, by the same rule as the API (``deps.current_key``, which checks a
    key in the thread pool: the hash may be slow). A sign-in cookie whose key was revoked is
    reported, not raised: the page sends the browser to sign in again.
    """
    keyring = getattr(request.app.state, "keyring", None)
    if keyring is None or ("authorization" not in request.headers and deps.session_token(request) is None):
        return Visitor()
    try:
        return Visitor(await deps.current_key(request, credentials, keyring))
    except HTTPException:
        if "authorization" in request.headers:  # not a browser page view: the API's answer
            raise
        return Visitor(stale=True)


VisitorDep = Annotated[Visitor, Depends(visitor)]


def _login_url(request: Request, reason: str | None = None) -> str:
    params = {"next": _here(request)}
    if reason:
        params["reason"] = reason
    return "/login?" + urlencode(params)


def _https(request: Request) -> bool:
    return request.url.scheme == "https"


def _clear_session(response: Response, request: Request) -> None:
    response.delete_cookie(deps.SESSION_COOKIE, path="/", secure=_https(request), httponly=True, samesite="strict")


def _gate(request: Request, who: Visitor) -> Response | None:
    """The redirect to the login page a page answers instead of itself, or None to show the page.

    A revoked or unknown signed-in key always signs out (its cookie would make every API call of the
    page fail); no key at all only matters when reads need one.
    """
    if who.stale:
        response = RedirectResponse(_login_url(request, "expired"), status_code=303)
        _clear_session(response, request)
        return response
    if who.key is None and _reads_need_key(request):
        return RedirectResponse(_login_url(request, "needed"), status_code=303)
    return None


def _withheld(request: Request, who: Visitor, page: str) -> Role | None:
    """The role this page needs and the signed-in key lacks (its data is then withheld), else None."""
    needed = PAGE_ROLES.get(page)
    if needed is None or not _reads_need_key(request):
        return None
    if who.key is not None and who.key.role.includes(needed):
        return None
    return needed


router = APIRouter(tags=["web"], route_class=SecureRoute, include_in_schema=False, dependencies=[Depends(web_access)])

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
    return json.dumps(value, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


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
    scope = {
        "type": "http",
        "path": path,
        "method": method,
        "root_path": "",
        "headers": [],
        "query_string": b"",
        "app": app,
    }
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


def render(request: Request, template: str, page: str, who: Visitor, status: int = 200, **context: Any) -> HTMLResponse:
    """A page in the reader's language; its data withheld (403) when the signed-in key's role is too low."""
    lang = language(request)
    t = i18n.translator(lang)
    apis = apis_available(request.app)
    withheld = _withheld(request, who, page)
    signed_in = {"name": who.key.name, "role": who.key.role.value} if who.key is not None else None
    # Like a classification banner: the marking the page's data carries, and whose view it is.
    view = _view(request)
    marking = {"level": view.marking.level, "text": view.marking.describe(), "clearance": request.state.clearance}
    html = _env.get_template(template).render(
        marking=marking,
        t=t,
        lang=lang,
        page=page,
        version=__version__,
        here=context.pop("here", None) or _here(request),
        apis=apis,
        withheld=withheld.value if withheld else None,
        signed_in=signed_in,
        client={"lang": lang, "strings": i18n.client_strings(lang), "apis": apis, "page": page, "signed_in": signed_in},
        **context,
    )
    response = HTMLResponse(html, status_code=403 if withheld else status)
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


def _view(request: Request) -> Any:
    from defport_kg.api.deps import view_of

    return view_of(request)


def _store(request: Request) -> Any:
    """What the signed-in (or anonymous) caller may see: pages answer from the caller's view.

    The key is in the request state (``visitor`` put it there). Call it from a thread: a view may
    take a while to build."""
    return deps.read_store(request)  # no access control set up: an error, never the whole store


def _network(request: Request) -> Any:
    """The supply network the risk API answers from (one shared cache), so pages and API agree."""
    return network_for(request)


@router.get("/", response_class=HTMLResponse)
async def home(request: Request, who: VisitorDep) -> Response:
    if (gate := _gate(request, who)) is not None:
        return gate
    lang = language(request)
    withheld = _withheld(request, who, "home")

    def gather() -> dict[str, Any]:
        if withheld:
            return {"stats": None, "systems": []}
        store = _store(request)
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

    return render(request, "home.html", "home", who, **(await run_in_threadpool(gather)))


@router.get("/query", response_class=HTMLResponse)
async def query_page(request: Request, who: VisitorDep) -> Response:
    from defport_kg.web.named_queries import named_queries

    if (gate := _gate(request, who)) is not None:
        return gate
    queries = await run_in_threadpool(named_queries)
    return render(request, "query.html", "query", who, named_queries=queries, prefixes=PREFIXES)


@router.get("/search", response_class=HTMLResponse)
async def search_page(
    request: Request,
    who: VisitorDep,
    q: Annotated[str, Query(max_length=200)] = "",
    kind: Annotated[str, Query()] = "",
) -> Response:
    from defport_kg.search import find

    if (gate := _gate(request, who)) is not None:
        return gate
    lang = language(request)
    hits: list[dict[str, Any]] = []
    if q.strip() and not _withheld(request, who, "search"):
        hits = await run_in_threadpool(lambda: find(_store(request), q, lang=lang, limit=200))
        if kind:
            hits = [h for h in hits if h["kind"] == kind]
    kinds = sorted({h["kind"] for h in hits})
    return render(request, "search.html", "search", who, q=q, kind=kind, hits=hits, kinds=kinds)


@router.get("/thing", response_class=HTMLResponse)
async def thing_page(request: Request, who: VisitorDep, iri: Annotated[str, Query(max_length=2000)] = "") -> Response:
    if (gate := _gate(request, who)) is not None:
        return gate
    lang = language(request)
    target = views.iri_or_none(iri)
    if target is None:
        return render(request, "thing.html", "search", who, status=400 if iri else 404, thing=None, asked=iri)
    if _withheld(request, who, "thing"):
        return render(request, "thing.html", "search", who, thing=None, asked=iri)
    found = await run_in_threadpool(lambda: views.thing(_store(request), _network(request), target, lang))
    return render(request, "thing.html", "search", who, status=200 if found else 404, thing=found, asked=target)


@router.get("/risk", response_class=HTMLResponse)
async def risk_page(
    request: Request,
    who: VisitorDep,
    system: Annotated[str, Query(max_length=2000)] = "",
) -> Response:
    if (gate := _gate(request, who)) is not None:
        return gate
    lang = language(request)
    chosen = views.iri_or_none(system)
    withheld = _withheld(request, who, "risk")

    def gather() -> dict[str, Any]:
        if withheld:
            return {"systems": [], "tree": None, "units": {}, "chosen": chosen}
        store = _store(request)
        network = _network(request)
        tree = views.supply_tree(store, network, chosen, lang) if chosen else None
        return {
            "systems": views.systems(store, lang),
            "tree": tree,
            "units": views.units(store, network, lang),
            "chosen": chosen,
        }

    data = await run_in_threadpool(gather)
    status = 404 if chosen and data["tree"] is None and not withheld else 200
    if system and chosen is None:
        status = 400
    tables = {}
    if data["tree"]:
        tables = {
            flag: views.flagged(data["tree"], flag)
            for flag in ("foreign_only", "export_control", "critical_raw_material", "data_gap")
        }
    return render(request, "risk.html", "risk", who, status=status, asked=system, tables=tables, **data)


@router.get("/scale", response_class=HTMLResponse)
async def scale_page(request: Request, who: VisitorDep) -> Response:
    if (gate := _gate(request, who)) is not None:
        return gate
    lang = language(request)
    withheld = _withheld(request, who, "scale")

    def gather() -> dict[str, Any]:
        if withheld:
            return {"systems": [], "units": {}}
        store = _store(request)
        return {"systems": views.systems(store, lang), "units": views.units(store, _network(request), lang)}

    return render(request, "scale.html", "scale", who, **(await run_in_threadpool(gather)))


@router.get("/imports", response_class=HTMLResponse)
async def imports_page(request: Request, who: VisitorDep) -> Response:
    if (gate := _gate(request, who)) is not None:
        return gate
    return render(request, "imports.html", "imports", who)


# -- signing in and out -----------------------------------------------------------------------

LOGIN_NOTICES = ("needed", "expired", "signed_out")


def _login_page(
    request: Request,
    who: Visitor,
    *,
    status: int = 200,
    next_path: str = "/",
    error: str | None = None,
    notice: str | None = None,
) -> HTMLResponse:
    # The language switch comes back to this form, still going on to ``next_path`` (also after a POST).
    here = "/login?" + urlencode({"next": next_path})
    response = render(
        request,
        "login.html",
        "login",
        who,
        status=status,
        here=here,
        next_path=next_path,
        error=error,
        notice=notice,
    )
    # The sign-in form is posted from this page: with "no-referrer" a browser would send
    # "Origin: null" and the same-origin check could not tell our form from another site's.
    response.headers["Referrer-Policy"] = "same-origin"
    return response


_REFUSAL_REASONS = {
    "login_cross_site": "the request did not come from this site's own pages",
    "login_malformed": "what was sent is not an API key",
    "login_refused": "unknown, revoked or mistyped API key",
}


def _refused_sign_in(request: Request, status: int, error: str, next_path: str = "/") -> HTMLResponse:
    # The audit log records refused sign-ins (401/403) with this reason, like refused API calls.
    request.state.auth_refusal = f"web sign-in refused: {_REFUSAL_REASONS[error]}"
    return _login_page(request, Visitor(), status=status, next_path=next_path, error=error)


@router.get("/login", response_class=HTMLResponse)
async def login_page(
    request: Request,
    who: VisitorDep,
    next: Annotated[str | None, Query(max_length=2000)] = None,
    reason: Annotated[str | None, Query(max_length=20)] = None,
) -> HTMLResponse:
    """The sign-in form (and, when signed in, who you are and the way out)."""
    notice = reason if reason in LOGIN_NOTICES else None
    response = _login_page(request, Visitor() if who.stale else who, next_path=_local_path(next), notice=notice)
    if who.stale:
        _clear_session(response, request)
    return response


async def _read_form(request: Request) -> dict[str, str] | None:
    """The fields of a small urlencoded form, None when it is not one (too large, wrong type, garbled)."""
    if not request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
        return None
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > LOGIN_FORM_MAX_BYTES:
            return None
    try:
        fields = parse_qs(body.decode("utf-8"), max_num_fields=8, strict_parsing=False)
    except (UnicodeDecodeError, ValueError):
        return None
    return {name: values[0] for name, values in fields.items()}


@router.post("/login", response_class=HTMLResponse)
async def login(request: Request) -> Response:
    """Check a pasted API key; if it is valid, keep it in the session cookie and go where the reader was going.

    The cookie is HttpOnly (no script can read the key), SameSite=Strict (no other site's page sends
    it), Secure over HTTPS, and has no expiry date (it ends with the browser session or /logout).
    """
    if not deps.same_origin(request):
        return _refused_sign_in(request, 403, "login_cross_site")
    form = await _read_form(request)
    if form is None:
        return _login_page(request, Visitor(), status=400, error="login_bad_form")
    next_path = _local_path(form.get("next"))
    token = form.get("key", "").strip()
    if not token:
        return _login_page(request, Visitor(), status=400, next_path=next_path, error="login_empty")
    if parse_token(token) is None:
        return _refused_sign_in(request, 401, "login_malformed", next_path)
    key = await run_in_threadpool(request.app.state.keyring.authenticate, token)
    if key is None:
        return _refused_sign_in(request, 401, "login_refused", next_path)
    request.state.api_key = key
    request.state.audit_detail = "signed in to the web interface"
    response = RedirectResponse(next_path, status_code=303)
    response.set_cookie(deps.SESSION_COOKIE, token, path="/", httponly=True, samesite="strict", secure=_https(request))
    return response


@router.post("/logout", response_class=HTMLResponse)
async def logout(request: Request) -> Response:
    """Forget the session cookie (same-origin only: another site may not sign the reader out)."""
    if not deps.same_origin(request):
        return _refused_sign_in(request, 403, "login_cross_site")
    request.state.audit_detail = "signed out of the web interface"
    response = RedirectResponse("/login?reason=signed_out", status_code=303)
    _clear_session(response, request)
    return response


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
