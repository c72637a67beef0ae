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


def get_store(request: Request) -> EmbeddedStore:
    return request.app.state.store  # type: ignore[no-any-return]


def get_settings(request: Request) -> Settings:
    return request.app.state.settings  # type: ignore[no-any-return]


def get_keyring(request: Request) -> KeyRing:
    return request.app.state.keyring  # type: ignore[no-any-return]


def get_audit_log(request: Request) -> AuditLog:
    return request.app.state.audit  # type: ignore[no-any-return]


StoreDep = Annotated[EmbeddedStore, Depends(get_store)]
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


def current_key(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    keyring: KeyRingDep,
) -> ApiKey | None:
    """The key of this request, None without an Authorization header; 401 for a bad one.

    A plain ``def``: FastAPI runs it in the thread pool, so the slow hash on a cache miss does not
    block the event loop.
    """
    if "authorization" not in request.headers:
        return None
    if credentials is None:
        raise _refuse(request, 401, "send the API key as `Authorization: Bearer <key>`", invalid=True)
    key = keyring.authenticate(credentials.credentials)
    if key is None:
        raise _refuse(request, 401, "unknown or revoked API key", invalid=True)
    request.state.api_key = key
    return key


CurrentKey = Annotated[ApiKey | None, Depends(current_key)]


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

    def dependency(request: Request, key: CurrentKey) -> ApiKey:
        return _check(request, key, needed)

    dependency.__name__ = f"require_{needed.value}"
    return dependency


@cache
def read_access(role: Role | str = Role.reader) -> Callable[..., ApiKey | None]:
    """Open reads by default; with ``require_keys_for_reads`` a key of ``role`` or above is needed."""
    needed = Role.parse(role)

    def dependency(request: Request, key: CurrentKey, settings: SettingsDep) -> ApiKey | None:
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

    def dependency(request: Request, key: CurrentKey, settings: SettingsDep) -> ApiKey | None:
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
    503: ("Store busy", "Store unavailable", "the query ran longer than 30 s and was stopped"),
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
