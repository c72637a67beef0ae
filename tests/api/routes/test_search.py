"""GET /api/search through the real app over the reference data and the fictional example."""

from __future__ import annotations

import pytest

from tests.api.routes.conftest import Api


def test_finds_an_organisation_by_part_of_its_english_name(example_api: Api) -> None:
    response = example_api.client.get("/api/search", params={"q": "aerospace"})
    assert response.status_code == 200
    body = response.json()
    assert body["query"] == "aerospace" and body["lang"] == "en"
    assert body["count"] == len(body["results"]) >= 1
    nlr = [hit for hit in body["results"] if hit["label"] == "Royal Netherlands Aerospace Centre"]
    assert nlr and nlr[0]["kind"] == "organisation"


def test_a_dutch_name_matches_and_lang_picks_the_label(example_api: Api) -> None:
    body = example_api.client.get("/api/search", params={"q": "Ruimtevaartcentrum", "lang": "nl"}).json()
    assert [hit["label"] for hit in body["results"]] == ["Koninklijk Nederlands Lucht- en Ruimtevaartcentrum"]


def test_an_identifier_matches_exactly(example_api: Api) -> None:
    body = example_api.client.get("/api/search", params={"q": "93498725"}).json()
    assert body["count"] == 1
    assert body["results"][0]["match"] == "93498725"
    assert example_api.client.get("/api/search", params={"q": "9349872"}).json()["count"] == 0


def test_limit_caps_the_answer(example_api: Api) -> None:
    everything = example_api.client.get("/api/search", params={"q": "a", "limit": 200}).json()["results"]
    assert len({hit["kind"] for hit in everything}) > 1
    capped = example_api.client.get("/api/search", params={"q": "a", "limit": 3}).json()
    assert capped["count"] == len(capped["results"]) == 3


def test_nothing_found_is_an_empty_list(api: Api) -> None:
    response = api.client.get("/api/search", params={"q": "no such thing anywhere"})
    assert response.status_code == 200
    assert response.json() == {"query": "no such thing anywhere", "lang": "en", "count": 0, "results": []}


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"q": ""},
        {"q": "x", "limit": 0},
        {"q": "x", "limit": 1000},
        {"q": "x", "lang": "not a tag"},
    ],
    ids=["no-q", "empty-q", "limit-0", "limit-too-big", "bad-lang"],
)
def test_bad_parameters_are_400_problems(api: Api, params: dict[str, object]) -> None:
    response = api.client.get("/api/search", params=params)
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["status"] == 400


def test_values_are_bound_not_pasted(example_api: Api) -> None:
    # Quotes and braces in q must be data, never SPARQL: the answer is simply nothing found.
    response = example_api.client.get("/api/search", params={"q": '") } } SELECT * WHERE { ?s ?p ?o } #'})
    assert response.status_code == 200
    assert response.json()["count"] == 0
