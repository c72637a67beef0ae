"""Role checks for every route of the real app: a matrix of routes × roles × the read setting.

The routes are read from the app itself, so a route added later is checked too, against the rule
of CONTRACT §5 written out here independently of how the app wires it: admin ⊃ steward ⊃ analyst ⊃
reader; writes need steward; keys and audit need admin; reads are open unless keys are required for
reads, and then risk and scale need analyst. No key → 401, a key below the role → 403.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from argon2 import PasswordHasher
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from defport_kg.api.app import create_app
from defport_kg.auth import KeyRing, Role, hashing
from defport_kg.settings import Settings
from defport_kg.store import EmbeddedStore

SAFE = {"GET", "HEAD", "OPTIONS"}
ALWAYS_OPEN = {"/health", "/openapi.json", "/docs", "/docs/oauth2-redirect", "/redoc"}
PLACEHOLDERS = {"key_id": "0123456789ab"}
ROLES: list[str | None] = [None, *(r.value for r in Role)]


def needed_role(method: str, path: str, keys_for_reads: bool) -> Role | None:
    """The least role that may call ``method path`` (None: anyone)."""
    if path in ALWAYS_OPEN:
        return None
    if path.startswith(("/api/audit", "/api/keys")):
        return Role.admin
    if method not in SAFE and path != "/sparql":
        return Role.steward
    if not path.startswith(("/api/", "/sparql", "/metrics")):
        return None  # the web pages: reading them is always open
    if not keys_for_reads:
        return None
    if path.startswith(("/api/risk", "/api/scale")):
        return Role.analyst
    return Role.reader


def _walk(routes: list[Any], prefix: str = "") -> Iterator[tuple[str, str]]:
    """(method, path) of every route, through included routers (FastAPI keeps them lazy)."""
    for route in routes:
        included = getattr(route, "original_router", None)
        if included is not None:
            yield from _walk(included.routes, prefix + route.include_context.prefix)
        elif isinstance(route, APIRoute) or (getattr(route, "methods", None) and hasattr(route, "path")):
            for method in route.methods:
                if method != "HEAD":
                    yield method, prefix + route.path


def _operations() -> list[tuple[str, str]]:
    store = EmbeddedStore.in_memory()
    operations = set(_walk(create_app(store, Settings()).routes))
    store.close()
    return sorted(operations, key=lambda op: (op[1], op[0]))


# Web routes with their own rule, checked in tests/web/test_login.py: signing in and out is open but
# same-origin only; with keys for reads, the /risk and /scale pages withhold their data (403) below analyst.
WEB_OWN_RULES = {"/login", "/logout", "/risk", "/scale"}
OPERATIONS = [op for op in _operations() if op[1] not in WEB_OWN_RULES]


@pytest.fixture(scope="module")
def clients() -> Iterator[tuple[dict[bool, TestClient], dict[str, str]]]:
    store = EmbeddedStore.in_memory()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(hashing, "_hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
        tokens = {role.value: KeyRing(store).add(f"{role.value} key", role)[1] for role in Role}
        clients = {
            flag: TestClient(create_app(store, Settings(require_keys_for_reads=flag)), raise_server_exceptions=False)
            for flag in (False, True)
        }
        yield clients, tokens
    store.close()


def _concrete(path: str) -> str:
    return re.sub(r"\{([^}:]+)(:[^}]*)?\}", lambda m: PLACEHOLDERS.get(m.group(1), "x"), path)


def test_the_matrix_covers_the_routes_of_this_issue() -> None:
    paths = {path for _, path in OPERATIONS}
    assert {"/api/search", "/api/export", "/metrics", "/api/audit", "/api/keys", "/sparql", "/health"} <= paths


@pytest.mark.parametrize("keys_for_reads", [False, True], ids=["reads-open", "keys-for-reads"])
@pytest.mark.parametrize("role", ROLES, ids=[r or "no-key" for r in ROLES])
@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_access(
    clients: tuple[dict[bool, TestClient], dict[str, str]],
    method: str,
    path: str,
    role: str | None,
    keys_for_reads: bool,
) -> None:
    apps, tokens = clients
    headers = {"Authorization": f"Bearer {tokens[role]}"} if role else {}
    response = apps[keys_for_reads].request(method, _concrete(path), headers=headers)
    needed = needed_role(method, path, keys_for_reads)
    if needed is None or (role is not None and Role(role).includes(needed)):
        assert response.status_code not in (401, 403), response.text
        assert response.status_code < 500, response.text
    elif role is None:
        assert response.status_code == 401, response.text
        assert response.headers["www-authenticate"].startswith("Bearer")
        assert response.headers["content-type"].startswith("application/problem+json")
    else:
        assert response.status_code == 403, response.text
        assert response.headers["content-type"].startswith("application/problem+json")
