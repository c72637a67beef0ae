"""/api/keys (admin) and key verification through the real app: creation, revocation, the cache,
and keys that outlive the process."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from defport_kg.api.app import create_app
from defport_kg.auth import KeyRing, keys
from defport_kg.settings import Settings
from defport_kg.store import EmbeddedStore
from tests.api.routes.conftest import Api, make_api


def test_an_admin_creates_lists_and_revokes_a_key(api: Api) -> None:
    created = api.client.post("/api/keys", json={"name": "importer bot", "role": "steward"}, headers=api.auth("admin"))
    assert created.status_code == 201
    assert created.headers["cache-control"] == "no-store"
    body = created.json()
    token, key_id = body["token"], body["key"]["id"]
    assert token.startswith(f"dpk_{key_id}_")
    assert body["key"] | {"created": None} == {
        "id": key_id,
        "name": "importer bot",
        "role": "steward",
        "created": None,
        "created_by": "admin key",
        "active": True,
        "revoked": None,
        "revoked_by": None,
        "clearance": None,
        "organisations": [],
    }
    # The new key works at once and is recognised with its role.
    assert api.client.get("/api/keys", headers={"Authorization": f"Bearer {token}"}).status_code == 403
    listed = api.client.get("/api/keys", headers=api.auth("admin")).json()["keys"]
    assert [k["name"] for k in listed] == ["reader key", "analyst key", "steward key", "admin key", "importer bot"]
    assert all("token" not in k and "hash" not in str(k) for k in listed)
    assert api.client.get(f"/api/keys/{key_id}", headers=api.auth("admin")).json()["name"] == "importer bot"

    revoked = api.client.delete(f"/api/keys/{key_id}", headers=api.auth("admin"))
    assert revoked.status_code == 200
    assert revoked.json()["active"] is False and revoked.json()["revoked_by"] == "admin key"
    after = api.client.get("/api/keys", headers={"Authorization": f"Bearer {token}"})
    assert after.status_code == 401 and after.json()["detail"] == "unknown or revoked API key"
    assert 'error="invalid_token"' in after.headers["www-authenticate"]
    active = api.client.get("/api/keys", params={"include_revoked": False}, headers=api.auth("admin")).json()["keys"]
    assert "importer bot" not in [k["name"] for k in active]
    # Revoking again changes nothing.
    again = api.client.delete(f"/api/keys/{key_id}", headers=api.auth("admin")).json()
    assert again["revoked"] == revoked.json()["revoked"]


@pytest.mark.parametrize(
    "body",
    [{}, {"name": ""}, {"name": "x" * 101}, {"name": "a\nb"}, {"name": "x", "role": "boss"}, {"name": "admin key"}],
    ids=["no-name", "empty", "too-long", "control-char", "bad-role", "duplicate"],
)
def test_bad_key_requests_are_400(api: Api, body: dict[str, object]) -> None:
    response = api.client.post("/api/keys", json=body, headers=api.auth("admin"))
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/problem+json")


@pytest.mark.parametrize("key_id", ["0123456789ab", "ffffffffffff"])
def test_unknown_key_is_404(api: Api, key_id: str) -> None:
    for method in ("GET", "DELETE"):
        response = api.client.request(method, f"/api/keys/{key_id}", headers=api.auth("admin"))
        assert response.status_code == 404
        assert response.headers["content-type"].startswith("application/problem+json")


def test_malformed_key_id_is_400(api: Api) -> None:
    assert api.client.get("/api/keys/not-an-id", headers=api.auth("admin")).status_code == 400


def test_a_key_named_like_an_id_is_not_revoked_by_that_id(api: Api) -> None:
    KeyRing(api.store).add("0123456789ab", "reader")
    assert api.client.delete("/api/keys/0123456789ab", headers=api.auth("admin")).status_code == 404


@pytest.mark.parametrize(
    "header",
    [
        "Bearer",
        "Bearer nonsense",
        "Basic dXNlcjpwYXNz",
        "Bearer dpk_0123456789ab_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
    ],
)
def test_a_bad_authorization_header_is_401_even_where_no_key_is_needed(api: Api, header: str) -> None:
    response = api.client.get("/api/search", params={"q": "x"}, headers={"Authorization": header})
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")


def test_a_wrong_secret_for_a_real_key_id_is_401(api: Api) -> None:
    token = api.tokens["admin"]
    forged = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    assert api.client.get("/api/keys", headers={"Authorization": f"Bearer {forged}"}).status_code == 401


def test_the_slow_hash_runs_once_per_key_not_once_per_request(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    real = keys.verify_secret

    def counting(stored_hash: str, secret: str) -> bool:
        calls.append(secret)
        return real(stored_hash, secret)

    monkeypatch.setattr(keys, "verify_secret", counting)
    for _ in range(10):
        assert api.client.get("/api/keys", headers=api.auth("admin")).status_code == 200
    for _ in range(5):
        assert api.client.get("/api/keys", headers=api.auth("reader")).status_code == 403
    assert len(calls) == 2
    metrics = api.client.get("/metrics").text
    assert 'defport_kg_api_key_verifications_total{result="hashed"} 2' in metrics
    assert 'defport_kg_api_key_verifications_total{result="cached"} 13' in metrics


def test_without_the_cache_every_request_hashes(memory_store: EmbeddedStore, monkeypatch: pytest.MonkeyPatch) -> None:
    api = make_api(memory_store, key_cache_seconds=0)
    calls = []
    real = keys.verify_secret
    monkeypatch.setattr(keys, "verify_secret", lambda h, s: calls.append(s) or real(h, s))
    for _ in range(3):
        api.client.get("/api/keys", headers=api.auth("admin"))
    assert len(calls) == 3


def test_a_revoked_key_is_refused_even_while_cached(api: Api) -> None:
    _, token = KeyRing(api.store).add("short-lived", "admin")
    header = {"Authorization": f"Bearer {token}"}
    assert api.client.get("/api/keys", headers=header).status_code == 200  # now cached
    KeyRing(api.store).revoke("short-lived")  # another handle: the app's cache knows nothing of it
    assert api.client.get("/api/keys", headers=header).status_code == 401


def test_keys_survive_reopening_the_store(tmp_path: Path) -> None:
    location = tmp_path / "store"
    store = EmbeddedStore.open(location, create=True)
    _, token = KeyRing(store).add("admin", "admin")
    store.close()
    reopened = EmbeddedStore.open(location)
    try:
        client = TestClient(create_app(reopened, Settings()))
        response = client.get("/api/keys", headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 200
        assert [k["name"] for k in response.json()["keys"]] == ["admin"]
    finally:
        reopened.close()


def test_key_hashes_are_not_visible_through_sparql(tmp_path: Path) -> None:
    location = tmp_path / "store"
    store = EmbeddedStore.open(location, create=True)
    try:
        KeyRing(store).add("admin", "admin")
        client = TestClient(create_app(store, Settings()))
        queries = [
            "SELECT * WHERE { ?s ?p ?o }",
            "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }",
            "SELECT * FROM <https://w3id.org/defport/id/graph/system/keys> WHERE { ?s ?p ?o }",
            "SELECT * FROM NAMED <https://w3id.org/defport/id/graph/system/keys> WHERE { GRAPH ?g { ?s ?p ?o } }",
        ]
        for query in queries:
            response = client.get("/sparql", params={"query": query})
            assert "argon2" not in response.text and "secretHash" not in response.text, query
        graph_param = client.get(
            "/sparql",
            params={
                "query": "SELECT * WHERE { ?s ?p ?o }",
                "default-graph-uri": "https://w3id.org/defport/id/graph/system/keys",
            },
        )
        assert "argon2" not in graph_param.text
    finally:
        store.close()


def test_an_admin_sets_a_keys_clearance_and_a_bad_level_is_named(api: Api) -> None:
    created = api.client.post(
        "/api/keys",
        json={"name": "partner", "role": "reader", "clearance": "restricted", "organisations": ["dpid:org/partner-a"]},
        headers=api.auth("admin"),
    )
    assert created.status_code == 201, created.text
    key = created.json()["key"]
    assert key["clearance"] == "restricted"
    assert key["organisations"] == ["https://w3id.org/defport/id/org/partner-a"]
    changed = api.client.put(
        f"/api/keys/{key['id']}/clearance", json={"clearance": "public"}, headers=api.auth("admin")
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["clearance"] == "public" and changed.json()["organisations"] == []
    bad = api.client.put(f"/api/keys/{key['id']}/clearance", json={"clearance": "cosmic"}, headers=api.auth("admin"))
    assert bad.status_code == 400 and "cosmic" in bad.json()["detail"]
    assert api.client.get(f"/api/keys/{key['id']}", headers=api.auth("admin")).json()["clearance"] == "public"
    refused = api.client.put(
        f"/api/keys/{key['id']}/clearance", json={"clearance": "public"}, headers=api.auth("steward")
    )
    assert refused.status_code == 403
