"""/api/risk/{sovereignty,export-control,raw-materials,sustainment,explain,findings} over the real app."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from defport_kg.api.app import create_app
from defport_kg.store import EmbeddedStore

ITEM = "https://w3id.org/defport/id/item/"
ORG = "https://w3id.org/defport/id/org/"


@pytest.fixture(scope="module")
def client(example_store_readonly: EmbeddedStore) -> TestClient:
    return TestClient(create_app(example_store_readonly))


def test_sovereignty_shares_are_numbers_between_0_and_1(client: TestClient) -> None:
    body = client.get("/api/risk/sovereignty", params={"system": "dpid:item/ex-naval-radar"}).json()
    [system] = body["systems"]
    assert all(0 <= v <= 1 for v in system["by_location"].values())
    assert set(system["by_control"]) == {"NL", "EU", "NATO"}
    csv = client.get("/api/risk/sovereignty", params={"format": "csv"})
    assert csv.headers["content-type"].startswith("text/csv") and "location_NL" in csv.text


@pytest.mark.parametrize("route", ["export-control", "raw-materials", "sustainment"])
def test_tabular_routes(client: TestClient, route: str) -> None:
    assert client.get(f"/api/risk/{route}").status_code == 200
    assert client.get(f"/api/risk/{route}", params={"format": "csv"}).status_code == 200


def test_sustainment_gap_and_evidence_filter(client: TestClient) -> None:
    body = client.get("/api/risk/sustainment", params={"as_of": "2026-01-01", "min_confidence": "assumed"}).json()
    gap = next(e for e in body["exposures"] if e["unit"] == ORG + "ex-jp-mems")
    assert gap["gap_days"] == 290.0 and body["evidence_filter"]["as_of"] == "2026-01-01"


def test_explain_and_bad_parameters(client: TestClient) -> None:
    body = client.get(
        "/api/risk/explain", params={"unit": "dpid:org/ex-ch-semis", "system": "dpid:item/ex-naval-radar"}
    ).json()
    assert body["tier"] == 3
    assert (
        client.get(
            "/api/risk/explain", params={"unit": "dpid:org/nope", "system": "dpid:item/ex-naval-radar"}
        ).status_code
        == 404
    )
    assert client.get("/api/risk/sovereignty", params={"min_confidence": "sure"}).status_code == 400
    assert client.get("/api/risk/sovereignty", params={"as_of": "yesterday"}).status_code == 400


def test_findings_list(client: TestClient) -> None:
    assert client.get("/api/risk/findings").json() == {"analyses": []}
