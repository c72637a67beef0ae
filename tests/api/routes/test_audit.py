"""GET /api/audit: writes, refusals and key changes are logged, survive a restart, and only admins read them."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from defport_kg.api.app import create_app
from defport_kg.auth import KeyRing
from defport_kg.settings import Settings
from defport_kg.store import EmbeddedStore
from tests.api.routes.conftest import Api


def _events(api: Api, **params: object) -> list[dict[str, object]]:
    response = api.client.get("/api/audit", params=params, headers=api.auth("admin"))
    assert response.status_code == 200, response.text
    return response.json()["events"]


def test_refused_requests_are_logged_with_who_and_why(api: Api) -> None:
    api.client.get("/api/audit")
    api.client.get("/api/audit", headers=api.auth("steward"))
    api.client.get("/api/audit", headers={"Authorization": "Bearer dpk_000000000000_notarealkeynotarealkey"})
    refused = _events(api, action="refused")
    assert [e["status"] for e in refused] == [401, 403, 401]  # newest first
    invalid, below, missing = refused
    assert missing["key_id"] is None and "needs an API key" in missing["detail"]
    assert below["role"] == "steward" and below["key_name"] == "steward key" and "role admin" in below["detail"]
    assert invalid["detail"] == "unknown or revoked API key"
    assert all(e["path"] == "/api/audit" and e["method"] == "GET" and e["client"] for e in refused)


def test_writes_are_logged_whatever_their_outcome(api: Api) -> None:
    created = api.client.post("/api/keys", json={"name": "robot", "role": "reader"}, headers=api.auth("admin"))
    assert created.status_code == 201
    api.client.post("/api/keys", json={"name": ""}, headers=api.auth("admin"))  # 400: still an attempt to write
    writes = _events(api, action="write")
    assert [(e["method"], e["path"], e["status"]) for e in writes] == [
        ("POST", "/api/keys", 400),
        ("POST", "/api/keys", 201),
    ]
    assert writes[1]["key_name"] == "admin key" and writes[1]["role"] == "admin"


def test_reads_are_not_logged(api: Api) -> None:
    api.client.get("/api/search", params={"q": "x"})
    api.client.post("/sparql", data={"query": "ASK {}"})  # a query by POST is a read
    assert not [e for e in _events(api) if e["action"] in ("write", "refused")]


def test_key_changes_are_logged(api: Api) -> None:
    token_key = api.client.post("/api/keys", json={"name": "temp", "role": "analyst"}, headers=api.auth("admin")).json()
    api.client.delete(f"/api/keys/{token_key['key']['id']}", headers=api.auth("admin"))
    added = _events(api, action="key.add")
    revoked = _events(api, action="key.revoke")
    assert len(added) == 5  # four made by the fixture on the command line, one over HTTP
    assert added[0]["key_name"] == "admin key" and token_key["key"]["id"] in added[0]["detail"]
    assert {e["method"] for e in added[1:]} == {"cli"}
    assert len(revoked) == 1 and revoked[0]["role"] == "admin"


def test_filters_and_paging(api: Api) -> None:
    for _ in range(5):
        api.client.get("/api/keys")
    page = api.client.get(
        "/api/audit", params={"action": "refused", "limit": 2, "offset": 1}, headers=api.auth("admin")
    )
    body = page.json()
    assert body["total"] == 5 and body["limit"] == 2 and body["offset"] == 1 and len(body["events"]) == 2
    everything = _events(api, action="refused", limit=10)
    assert [e["id"] for e in body["events"]] == [e["id"] for e in everything[1:3]]
    latest = everything[0]["at"]
    assert [e["id"] for e in _events(api, action="refused", since=latest)] == [everything[0]["id"]]
    assert _events(api, since="2999-01-01T00:00:00") == []
    admin_id = next(k.id for k in KeyRing(api.store).list() if k.role.value == "admin")
    assert _events(api, key=admin_id, action="refused") == []


@pytest.mark.parametrize(
    "params", [{"action": "nonsense"}, {"since": "yesterday"}, {"limit": 0}, {"limit": 5000}, {"key": "zz"}]
)
def test_bad_filters_are_400(api: Api, params: dict[str, object]) -> None:
    response = api.client.get("/api/audit", params=params, headers=api.auth("admin"))
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/problem+json")


@pytest.mark.parametrize(
    ("role", "status"), [(None, 401), ("reader", 403), ("analyst", 403), ("steward", 403), ("admin", 200)]
)
def test_only_admins_read_the_audit_log(api: Api, role: str | None, status: int) -> None:
    response = api.client.get("/api/audit", headers=api.auth(role))
    assert response.status_code == status
    if status == 200:
        assert response.headers["cache-control"] == "no-store"


def test_the_audit_log_survives_a_restart(tmp_path: Path) -> None:
    location = tmp_path / "store"
    store = EmbeddedStore.open(location, create=True)
    _, admin = KeyRing(store).add("admin", "admin")
    _, reader = KeyRing(store).add("reader", "reader")
    client = TestClient(create_app(store, Settings()))
    assert client.get("/api/audit", headers={"Authorization": f"Bearer {reader}"}).status_code == 403
    assert client.post("/api/keys", json={"name": "n"}, headers={"Authorization": f"Bearer {admin}"}).status_code == 201
    client.close()
    store.close()

    reopened = EmbeddedStore.open(location)
    try:
        client = TestClient(create_app(reopened, Settings()))
        events = client.get("/api/audit", headers={"Authorization": f"Bearer {admin}"}).json()["events"]
        assert [e["action"] for e in events] == ["write", "key.add", "refused", "key.add", "key.add"]
        assert client.get("/api/audit", headers={"Authorization": f"Bearer {reader}"}).status_code == 403
        assert reopened.check() == []
    finally:
        reopened.close()
