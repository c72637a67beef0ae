"""GET /api/scale/... through the real ASGI app over a real store (CONTRACT §5)."""

from __future__ import annotations

import csv
import io

import pytest
from fastapi.testclient import TestClient

from defport_kg.api.app import create_app
from defport_kg.store import EmbeddedStore
from tests.scale.helpers import item, load, org, rel
from tests.scale.test_cli import DATA
from tests.scale.test_needs import NEEDS

S = item("s")


@pytest.fixture
def client(memory_store: EmbeddedStore) -> TestClient:
    load(memory_store, DATA)
    load(memory_store, NEEDS)
    return TestClient(create_app(memory_store))


def test_max_output_contract_json(client: TestClient) -> None:
    response = client.get("/api/scale/max-output", params=[("system", S), ("fail", org("d"))])
    assert response.status_code == 200
    body = response.json()
    assert body["systems"] == [S] and body["failed"] == [org("d")] and body["unbounded"] is False
    assert body["output"] == {S: 2.0}
    assert body["bottlenecks"][0] == {
        "relation": rel("rc"),
        "shadow_price": 0.1,
        "item": item("c"),
        "supplier": org("b"),
        "capacity": 4.0,
        "label": None,
    }


def test_max_output_units_of_another_kind(client: TestClient) -> None:
    response = client.get(
        "/api/scale/max-output", params={"system": "dpid:item/s", "fail": "dpid:site/x", "unit": "site"}
    )
    assert response.status_code == 200 and response.json()["output"] == {S: 2.0}


@pytest.mark.parametrize(
    ("params", "status", "needle"),
    [
        ({}, 400, "system"),
        ({"system": S, "unit": "planet"}, 400, "planet"),
        ({"system": [S, item("z")]}, 400, "item/z"),
        ({"system": item("nope")}, 404, "item/nope"),
        ({"system": S, "fail": org("ghost")}, 404, "org/ghost"),
        ({"system": S, "fail": org("a"), "unit": "country"}, 404, "org/a"),
    ],
)
def test_max_output_errors_are_problem_json(client: TestClient, params: dict, status: int, needle: str) -> None:
    response = client.get("/api/scale/max-output", params=params)
    assert response.status_code == status
    assert response.headers["content-type"].startswith("application/problem+json")
    assert needle in response.json()["detail"]


def test_surge_and_disruption(client: TestClient) -> None:
    response = client.get("/api/scale/surge", params={"system": S, "target": 2, "fail": org("d")})
    assert response.status_code == 200 and response.json()["added_total"] == 16.0
    assert client.get("/api/scale/surge", params={"system": S, "target": 0}).status_code == 400
    response = client.get("/api/scale/disruption", params={"system": S, "fail": org("d")})
    assert response.status_code == 200 and response.json()["time_to_survive_days"] == 50.0


def test_alternatives(client: TestClient) -> None:
    body = client.get("/api/scale/alternatives", params={"item": "dpid:item/s"}).json()
    assert body["item"] == S and body["capabilities"] == ["https://w3id.org/defport/id/capability/radar"]
    assert client.get("/api/scale/alternatives", params={"item": "dpid:item/nope"}).status_code == 404


def test_needs_json_csv_and_svg(client: TestClient) -> None:
    body = client.get("/api/scale/needs").json()
    assert [g["gap"] for g in body["gaps"]] == ["no Dutch provider"]
    response = client.get("/api/scale/needs", params={"format": "csv"})
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert len(rows) == 3
    assert client.get("/api/scale/needs", params={"format": "xml"}).status_code == 400
    response = client.get("/api/scale/needs.svg")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("image/svg+xml")
    assert response.text.startswith("<svg")
