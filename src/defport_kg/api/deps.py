"""Typed FastAPI dependencies: the store, the settings, the current API key and role checks.

Routes declare what they need in their signature, e.g.::

    @router.post("/api/imports")
    def create(key: StewardKey, store: StoreDep) -> ...

or, for a check whose result the route does not use, ``dependencies=[Depends(require_role("steward"))]``.
Answers: no key (or a header that is not ``Bearer``) → 401; an unknown, malformed or revoked key →
401; a valid key below the role → 403. Reads are open unless ``require_keys_for_reads`` is on
(``read_access``), and a key that is sent must be valid even where none is needed.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from defport_kg.access import View
from defport_kg.auth import ApiKey, AuditLog, KeyRing, Role
from defport_kg.settings import Settings
from defport_kg.store import EmbeddedStore

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_CHALLENGE = 'Bearer realm="defport-kg"'

bearer = HTTPBearer(
    auto_error=False,
    scheme_name="apiKey",
    bearerFormat="dpk_<id>_<secret>",
    description="An API key made with `defport-kg keys add NAME --role reader|analyst|steward|admin`, "
    "sent as `Authorization: Bearer <key>`.",
)


async def get_full_store(request: Request) -> EmbeddedStore:
    """The store itself, for writes (imports, keys) and bookkeeping; never for answering reads."""
    return request.app.state.store  # type: ignore[no-any-return]


def view_of(request: Request, known: View | None = None) -> View:
    """The view of the data this request's caller may see (``defport_kg.access``), once per request.

    Reads the key that the access dependencies put in the request state (none: anonymous), and
    notes the clearance and the graphs read for the read audit and the answer's marking headers.
    Building a view can take seconds on a large store: call it from a thread, not the event loop.
    """
    found: View | None = getattr(request.state, "access_view", None)
    if found is not None:
        return found
    access = request.app.state.access
    clearance = access.clearance_for(getattr(request.state, "api_key", None))
    view: View = known if known is not None else access.view(clearance)
    request.state.access_view = view
    request.state.clearance = clearance.describe()
    request.state.read_graphs = view.graphs
    request.state.marking = view.marking.describe()
    return view


async def caller_view(request: Request) -> View:
    """``view_of`` for async code: the common case (the view exists) costs no thread; making one
    (it may take seconds) runs in a thread."""
    access = request.app.state.access
    known = access.cached_view(access.clearance_for(getattr(request.state, "api_key", None)))
    if known is not None:
        return view_of(request, known)
    return await run_in_threadpool(view_of, request)


async def get_store(request: Request, key: CurrentKey) -> EmbeddedStore:
    """The caller's view of the store: every read route answers from what its caller may see.

    ``key`` is declared so that the key is resolved (into the request state) before the view."""
    return (await caller_view(request)).store  # type: ignore[no-any-return]


def read_store(request: Request) -> Any:
    """``get_store`` for code that is not a dependency (the key was resolved by the router's access rule)."""
    return view_of(request).store


async def get_settings(request: Request) -> Settings:
    return request.app.state.settings  # type: ignore[no-any-return]


async def get_keyring(request: Request) -> KeyRing:
    return request.app.state.keyring  # type: ignore[no-any-return]


async def get_audit_log(request: Request) -> AuditLog:
    return request.app.state.audit  # type: ignore[no-any-return]


FullStoreDep = Annotated[EmbeddedStore, Depends(get_full_store)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
KeyRingDep = Annotated[KeyRing, Depends(get_keyring)]
AuditLogDep = Annotated[AuditLog, Depends(get_audit_log)]


def _refuse(request: Request, status: int, detail: str, *, invalid: bool = False) -> HTTPException:
    # The audit middleware reads the reason from the request state (it only sees the status).
    request.state.auth_refusal = detail
    headers = (
        {"WWW-Authenticate": _CHALLENGE + (', error="invalid_token"' if invalid else "")} if status == 401 else None
    )
    return HTTPException(status, detail, headers=headers)


# The web interface's sign-in cookie (set by POST /login in api/routes/web.py): the API key itself,
# HttpOnly and SameSite=Strict, so that pages and their scripts act as the signed-in key.
SESSION_COOKIE = "defport_key"


def session_token(request: Request) -> str | None:
    """The API key held by the web sign-in cookie, None without one."""
    token = request.cookies.get(SESSION_COOKIE, "").strip()
    return token or None


def same_origin(request: Request) -> bool:
    """Whether the browser says this request comes from this site's own pages (CSRF defence).

    ``Sec-Fetch-Site`` when the browser sends it (HTTPS and localhost), else ``Origin``; a request
    that carries neither (or ``Origin: null``) is not trusted to be ours.
    """
    site = request.headers.get("sec-fetch-site")
    if site is not None:
        return site == "same-origin"
    origin = request.headers.get("origin")
    return origin is not None and origin == f"{request.url.scheme}://{request.url.netloc}"


async def current_key(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    keyring: KeyRingDep,
) -> ApiKey | None:
    """The key of this request, None without an Authorization header or sign-in cookie; 401 for a bad one.

    The header wins over the cookie. The cookie counts for unsafe methods only on same-origin
    requests (403 otherwise), so another site cannot make a signed-in browser write.
    A request without a key costs no thread; a key is checked in the thread pool, so the slow
    hash on a cache miss does not block the event loop.
    """
    if "authorization" not in request.headers:
        token = session_token(request)
        if token is None:
            return None
        if request.method not in SAFE_METHODS and not same_origin(request):
            raise _refuse(
                request,
                403,
                "the sign-in cookie is accepted only on requests from this site's own pages (this one came "
                "from elsewhere or did not say where from); send the key as `Authorization: Bearer <key>`",
            )
        cookie_key = await run_in_threadpool(keyring.authenticate, token)
        if cookie_key is None:
            raise _refuse(request, 401, "the signed-in API key is unknown or revoked: sign in again", invalid=True)
        request.state.api_key = cookie_key
        return cookie_key
    if credentials is None:
        raise _refuse(request, 401, "send the API key as `Authorization: Bearer <key>`", invalid=True)
    key = await run_in_threadpool(keyring.authenticate, credentials.credentials)
    if key is None:
        raise _refuse(request, 401, "unknown or revoked API key", invalid=True)
    request.state.api_key = key
    return key


CurrentKey = Annotated[ApiKey | None, Depends(current_key)]
# The caller's view of the store (see ``get_store``).
StoreDep = Annotated[EmbeddedStore, Depends(get_store)]


def _check(request: Request, key: ApiKey | None, role: Role) -> ApiKey:
    if key is None:
        raise _refuse(request, 401, f"this needs an API key with role {role.value} or above")
    if not key.role.includes(role):
        raise _refuse(
            request, 403, f"this needs role {role.value} or above; the key {key.id} has role {key.role.value}"
        )
    return key


@cache
def require_role(role: Role | str) -> Callable[..., ApiKey]:
    """A dependency that admits keys of ``role`` or above (one function per role, so FastAPI runs it once)."""
    needed = Role.parse(role)

    async def dependency(request: Request, key: CurrentKey) -> ApiKey:
        return _check(request, key, needed)

    dependency.__name__ = f"require_{needed.value}"
    return dependency


@cache
def read_access(role: Role | str = Role.reader) -> Callable[..., ApiKey | None]:
    """Open reads by default; with ``require_keys_for_reads`` a key of ``role`` or above is needed."""
    needed = Role.parse(role)

    async def dependency(request: Request, key: CurrentKey, settings: SettingsDep) -> ApiKey | None:
        if settings.require_keys_for_reads:
            return _check(request, key, needed)
        return key

    dependency.__name__ = f"read_access_{needed.value}"
    return dependency


@cache
def method_access(read: Role | str | None = Role.reader, write: Role | str = Role.steward) -> Callable[..., Any]:
    """For a whole router: safe methods follow ``read_access(read)`` (always open when ``read`` is
    None), any other method needs ``write``. A safety net under route-level checks, so that no
    write route is left open by accident."""
    read_role = Role.parse(read) if read is not None else None
    write_role = Role.parse(write)

    async def dependency(request: Request, key: CurrentKey, settings: SettingsDep) -> ApiKey | None:
        if request.method not in SAFE_METHODS:
            return _check(request, key, write_role)
        if read_role is not None and settings.require_keys_for_reads:
            return _check(request, key, read_role)
        return key

    dependency.__name__ = f"access_{read_role.value if read_role else 'open'}_{write_role.value}"
    return dependency


ReaderKey = Annotated[ApiKey, Depends(require_role(Role.reader))]
AnalystKey = Annotated[ApiKey, Depends(require_role(Role.analyst))]
StewardKey = Annotated[ApiKey, Depends(require_role(Role.steward))]
AdminKey = Annotated[ApiKey, Depends(require_role(Role.admin))]
ReadAccess = Annotated[ApiKey | None, Depends(read_access(Role.reader))]
AnalystReadAccess = Annotated[ApiKey | None, Depends(read_access(Role.analyst))]


# -- OpenAPI documentation of the error answers --------------------------------------------

_PROBLEM_EXAMPLES: dict[int, tuple[str, str, str]] = {
    400: ("Bad request", "Bad parameters", "q: Field required"),
    401: ("Unauthorized", "No or unknown API key", "this needs an API key with role admin or above"),
    403: ("Forbidden", "Key below the role", "this needs role admin or above; the key 0a1b2c3d4e5f has role reader"),
    404: ("Not found", "Unknown thing", "unknown named query 'no-such-query'"),
    406: ("Not acceptable", "No acceptable media type", "none of the accepted media types can carry this result"),
    413: ("Content too large", "Input too large", "the input is larger than 209715200 bytes"),
    415: ("Unsupported media type", "Unknown Content-Type", "unsupported Content-Type 'text/plain'"),
    422: ("Validation failed", "Validation violations", "2 violations: nothing was stored"),
    502: ("Query failed", "A federated (SERVICE) call failed", "the query failed while running: HTTP 502"),
    503: ("Query timed out", "Timed out, busy or stopping", "the query ran longer than 30 s and was stopped"),
}

PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "RFC 9457 problem details",
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
    },
    "required": ["title", "status", "detail"],
}


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """``responses=`` entries documenting problem+json answers, each with an example."""
    responses: dict[int | str, dict[str, Any]] = {}
    for status in statuses:
        title, summary, detail = _PROBLEM_EXAMPLES[status]
        example = {"type": "about:blank", "title": title, "status": status, "detail": detail}
        responses[status] = {
            "description": summary,
            "content": {"application/problem+json": {"schema": PROBLEM_SCHEMA, "example": example}},
        }
    return responses


AUTH_ERRORS = (401, 403)
