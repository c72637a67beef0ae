"""/api/risk/... over the real app and the example store: same answers as the Python API."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from defport_kg.api.app import create_app
from defport_kg.risk import cut_sets, load_network, spof
from defport_kg.store import EmbeddedStore

ITEM = "https://w3id.org/defport/id/item/"
ORG = "https://w3id.org/defport/id/org/"


@pytest.fixture(scope="module")
def client(example_store_readonly: EmbeddedStore) -> TestClient:
    return TestClient(create_app(example_store_readonly))


def test_cut_sets_match_the_engine(client: TestClient, example_store_readonly: EmbeddedStore) -> None:
    response = client.get("/api/risk/cut-sets", params={"item": ITEM + "ex-naval-radar", "max_order": 2})
    assert response.status_code == 200
    body = response.json()
    expected = cut_sets(load_network(example_store_readonly), ITEM + "ex-naval-radar", 2).to_dict()
    assert body["cut_sets"] == expected["cut_sets"]
    assert {"order": 1, "members": [ORG + "ex-ch-semis"]} in body["cut_sets"]
    assert body["item"] == ITEM + "ex-naval-radar" and body["unit"] == "organisation" and body["max_order"] == 2


def test_prefixed_item_names_are_accepted(client: TestClient) -> None:
    response = client.get("/api/risk/cut-sets", params={"item": "dpid:item/ex-naval-radar", "max_order": 1})
    assert response.status_code == 200
    assert response.json()["item"] == ITEM + "ex-naval-radar"


def test_spof_json_and_csv(client: TestClient, example_store_readonly: EmbeddedStore) -> None:
    body = client.get("/api/risk/spof", params={"unit": "country"}).json()
    assert body == spof(load_network(example_store_readonly), "country").to_dict()
    cn = next(s for s in body["spofs"] if s["unit"].endswith("/country/CN"))
    assert ITEM + "ex-naval-radar" in cn["systems"]
    csv = client.get("/api/risk/spof", params={"unit": "country", "format": "csv"})
    assert csv.headers["content-type"].startswith("text/csv")
    assert csv.text.splitlines()[0] == "unit,systems"


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"item": ITEM + "no-such-item"}, 404),
        ({"item": ITEM + "ex-naval-radar", "unit": "planet"}, 400),
        ({"item": ITEM + "ex-naval-radar", "max_order": 9}, 400),
        ({"item": ITEM + "ex-naval-radar", "max_order": "two"}, 400),
        ({}, 400),
    ],
)
def test_bad_requests_are_problem_json(client: TestClient, params: dict, status: int) -> None:
    response = client.get("/api/risk/cut-sets", params=params)
    assert response.status_code == status
    assert response.headers["content-type"].startswith("application/problem+json")


def test_impact_of_a_country(client: TestClient) -> None:
    response = client.get("/api/risk/impact", params={"unit": "https://w3id.org/defport/id/country/CN"})
    assert response.status_code == 200
    assert ITEM + "ex-naval-radar" in str(response.json())
    assert client.get("/api/risk/impact", params={"unit": ORG + "nobody"}).status_code in (400, 404)


def test_single_source_and_concentration(client: TestClient) -> None:
    single = client.get("/api/risk/single-source").json()["single_sources"]
    assert any(row["item"] == ITEM + "ex-adc-chip" for row in single)
    conc = client.get("/api/risk/concentration", params={"format": "csv"})
    assert conc.status_code == 200 and "ex-" in conc.text
