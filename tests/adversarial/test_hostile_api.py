"""Hostile requests to the API: keys missing, wrong or too weak; path traversal; CORS; security headers."""

from __future__ import annotations

from typing import Any

import pytest

from tests.adversarial.conftest import assert_alive, assert_problem, data_snapshot, snapshot

WRITES = [
    ("post", "/api/keys", {"json": {"name": "intruder", "role": "admin"}}),
    ("delete", "/api/keys/k0000000000", {}),
    (
        "post",
        "/api/imports",
        {"content": b"<urn:x:a> <urn:x:b> <urn:x:c> .", "headers": {"Content-Type": "text/turtle"}},
    ),
]


def _send(client: Any, method: str, path: str, kwargs: dict[str, Any], token: str | None) -> Any:
    headers = dict(kwargs.get("headers", {}))
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    return client.request(method.upper(), path, **{**kwargs, "headers": headers})


@pytest.mark.parametrize(("method", "path", "kwargs"), WRITES, ids=[f"{m} {p}" for m, p, _ in WRITES])
@pytest.mark.parametrize(
    "who",
    ["missing", "wrong", "malformed", "reader", "analyst", "basic-scheme"],
)
def test_write_routes_refuse_without_a_strong_enough_key(
    client: Any, disk_store: Any, tokens: dict[str, str], method: str, path: str, kwargs: dict[str, Any], who: str
) -> None:
    before = data_snapshot(disk_store)
    if who == "missing":
        response = _send(client, method, path, kwargs, None)
    elif who == "wrong":
        prefix = tokens["admin"].rsplit("_", 1)[0]
        response = _send(client, method, path, kwargs, prefix + "_" + "A" * 43)
    elif who == "malformed":
        junk = b"Bearer " + "../../etc/passwd\u00e9".encode("latin-1") * 10  # not ASCII, not a key
        response = client.request(
            method.upper(), path, **{**kwargs, "headers": {**kwargs.get("headers", {}), "Authorization": junk}}
        )
    elif who == "basic-scheme":
        headers = {**kwargs.get("headers", {}), "Authorization": f"Basic {tokens['admin']}"}
        response = client.request(method.upper(), path, **{**kwargs, "headers": headers})
    else:
        response = _send(client, method, path, kwargs, tokens[who])
    expected = 403 if who in ("reader", "analyst") else 401
    if path == "/api/imports" and who == "analyst":
        expected = 403
    assert_problem(response, expected)
    if expected == 401:
        assert response.headers.get("www-authenticate", "").lower().startswith("bearer")
    assert data_snapshot(disk_store) == before  # only the audit record of the refusal was added
    assert_alive(client)


def test_refused_writes_are_audited(client: Any, app: Any, tokens: dict[str, str]) -> None:
    audit = app.state.audit
    count = audit.count()
    client.post(
        "/api/keys", json={"name": "x", "role": "admin"}, headers={"Authorization": f"Bearer {tokens['reader']}"}
    )
    assert audit.count() == count + 1


def test_admin_key_is_shown_once_and_stored_hashed(client: Any, disk_store: Any, tokens: dict[str, str]) -> None:
    response = client.post(
        "/api/keys",
        json={"name": "made by test", "role": "reader"},
        headers={"Authorization": f"Bearer {tokens['admin']}"},
    )
    assert response.status_code == 201, response.text
    token = response.json()["token"]
    assert response.headers["cache-control"] == "no-store"
    secret = token.rsplit("_", 1)[-1]
    assert not any(secret in q for q in snapshot(disk_store))
    assert any("$argon2id$" in q for q in snapshot(disk_store))
    listing = client.get("/api/keys", headers={"Authorization": f"Bearer {tokens['admin']}"})
    assert secret not in listing.text


TRAVERSALS = [
    "..%2f..%2fetc%2fpasswd",
    "..%2F..%2F..%2Fetc%2Fpasswd",
    "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "..%5c..%5cwindows%5cwin.ini",
    "%252e%252e%252fetc%252fpasswd",
    "qc%2f..%2f..%2fpyproject.toml",
    "..",
    "%00",
    "spof%00.rq",
]


@pytest.mark.parametrize("name", TRAVERSALS)
def test_path_traversal_in_query_names(client: Any, name: str) -> None:
    response = client.get(f"/api/queries/{name}")
    assert response.status_code in (400, 404), (response.status_code, response.text[:300])
    assert "root:" not in response.text and "[project]" not in response.text
    assert_alive(client)


@pytest.mark.parametrize("path", ["/static/..%2f..%2f..%2fpyproject.toml", "/static/%2e%2e/%2e%2e/app.py"])
def test_path_traversal_in_static_files(client: Any, path: str) -> None:
    response = client.get(path)
    assert response.status_code in (400, 404), (response.status_code, response.text[:300])
    assert "[project]" not in response.text and "import" not in response.text[:200]


def test_oversized_header_and_body(client: Any, disk_store: Any, tokens: dict[str, str]) -> None:
    before = data_snapshot(disk_store)
    response = client.get("/api/risk/spof", headers={"X-Junk": "a" * 1_000_000})
    assert response.status_code < 500
    response = client.post(
        "/api/keys",
        content=b'{"name": "' + b"a" * 5_000_000 + b'", "role": "reader"}',
        headers={"Authorization": f"Bearer {tokens['admin']}", "Content-Type": "application/json"},
    )
    assert response.status_code in (400, 413, 422), response.status_code
    assert data_snapshot(disk_store) == before
    assert_alive(client)


@pytest.mark.parametrize("path", ["/", "/api/risk/spof", "/sparql?query=ASK%7B%7D", "/api/queries", "/nope"])
def test_security_headers(client: Any, path: str) -> None:
    response = client.get(path)
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert "server" not in {h.lower() for h in response.headers if response.headers[h].lower().startswith("uvicorn")}


@pytest.mark.parametrize("path", ["/api/risk/spof", "/sparql", "/api/keys", "/api/imports"])
def test_cors_closed_by_default(client: Any, path: str) -> None:
    preflight = client.options(
        path,
        headers={
            "Origin": "http://evil.example",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "Authorization",
        },
    )
    assert "access-control-allow-origin" not in preflight.headers
    assert "access-control-allow-credentials" not in preflight.headers
    simple = client.get(path, headers={"Origin": "http://evil.example"})
    assert "access-control-allow-origin" not in simple.headers


HOSTILE_IMPORTS = [
    ("billion-laughs", "application/rdf+xml", b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa">]><r>&a;</r>', 400),
    (
        "xxe",
        "application/rdf+xml",
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>',
        400,
    ),
    ("remote-context", "application/ld+json", b'{"@context": "http://127.0.0.1:9/c", "@id": "urn:x:a"}', 400),
    ("deep-jsonld", "application/ld+json", b'{"urn:x:p": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", 400),
    ("huge-literal", "application/n-triples", b'<urn:x:a> <urn:x:p> "' + b"x" * 20_000_000 + b'" .', 413),
    ("latin-1", "text/turtle", '<urn:x:a> <urn:x:p> "Müller" .'.encode("latin-1"), 400),
    ("unknown-type", "application/x-evil", b"whatever", 415),
]


@pytest.mark.parametrize(
    ("content_type", "body", "status"), [h[1:] for h in HOSTILE_IMPORTS], ids=[h[0] for h in HOSTILE_IMPORTS]
)
def test_hostile_imports_over_http(
    client: Any, disk_store: Any, tokens: dict[str, str], content_type: str, body: bytes, status: int
) -> None:
    """The parser defences hold through POST /api/imports with a steward key: an error, nothing stored."""
    before = data_snapshot(disk_store)
    response = client.post(
        "/api/imports",
        content=body,
        headers={"Authorization": f"Bearer {tokens['steward']}", "Content-Type": content_type},
    )
    assert_problem(response, status)
    assert "root:" not in response.text
    assert data_snapshot(disk_store) == before
    assert_alive(client)
