"""GET /health through the real ASGI app over a real store."""

from __future__ import annotations

from fastapi.testclient import TestClient

from defport_kg.api.app import create_app
from defport_kg.store import EmbeddedStore


def test_health_reports_the_store(reference_store: EmbeddedStore) -> None:
    client = TestClient(create_app(reference_store))
    response = client.get("/health")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["triples"] == reference_store.triple_count() > 1000


def test_health_is_503_when_the_store_is_gone() -> None:
    store = EmbeddedStore.in_memory()
    app = create_app(store)
    store.close()
    response = TestClient(app).get("/health")
    assert response.status_code == 503


def test_unknown_route_is_problem_json(memory_store: EmbeddedStore) -> None:
    response = TestClient(create_app(memory_store)).get("/no/such/route")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["status"] == 404


def test_api_docs_are_served_from_the_package(memory_store: EmbeddedStore) -> None:
    client = TestClient(create_app(memory_store))
    page = client.get("/docs")
    assert page.status_code == 200
    assert "cdn" not in page.text.lower()
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in page.text
    assert client.get("/static/vendor/swagger-ui/swagger-ui-bundle.js").status_code == 200
    assert client.get("/redoc").status_code == 404
