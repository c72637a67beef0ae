"""Security headers on every answer, CORS closed unless configured, and a 500 that leaks nothing."""

from __future__ import annotations

from fastapi.testclient import TestClient

from defport_kg.api.app import create_app
from defport_kg.settings import Settings
from defport_kg.store import EmbeddedStore
from tests.api.routes.conftest import Api


def test_every_answer_carries_the_security_headers(api: Api) -> None:
    for response in (
        api.client.get("/health"),
        api.client.get("/api/search", params={"q": "x"}),
        api.client.get("/api/audit"),  # 401
        api.client.get("/no/such/route"),  # 404
    ):
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["x-frame-options"] == "DENY"
        assert response.headers["referrer-policy"] == "no-referrer"
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]


def test_the_api_docs_page_keeps_working(api: Api) -> None:
    response = api.client.get("/docs")
    assert response.status_code == 200
    assert "content-security-policy" not in response.headers


def test_cors_is_closed_by_default(api: Api) -> None:
    response = api.client.get("/api/search", params={"q": "x"}, headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in response.headers
    preflight = api.client.options(
        "/api/keys",
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
    )
    assert "access-control-allow-origin" not in preflight.headers


def test_cors_opens_to_the_configured_origins_only(memory_store: EmbeddedStore) -> None:
    client = TestClient(create_app(memory_store, Settings(cors_origins=["https://analyst.example"])))
    allowed = client.get("/api/search", params={"q": "x"}, headers={"Origin": "https://analyst.example"})
    assert allowed.headers["access-control-allow-origin"] == "https://analyst.example"
    other = client.get("/api/search", params={"q": "x"}, headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in other.headers
    preflight = client.options(
        "/api/search",
        headers={
            "Origin": "https://analyst.example",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "Authorization",
        },
    )
    assert preflight.status_code == 200
    assert "authorization" in preflight.headers["access-control-allow-headers"].lower()


def test_an_unexpected_error_is_a_500_problem_without_details(memory_store: EmbeddedStore) -> None:
    app = create_app(memory_store, Settings())

    def boom() -> None:
        raise RuntimeError("secret internals /etc/passwd")

    app.add_api_route("/boom", boom, methods=["GET"])
    response = TestClient(app, raise_server_exceptions=False).get("/boom")
    assert response.status_code == 500
    assert response.headers["content-type"].startswith("application/problem+json")
    assert "secret internals" not in response.text
