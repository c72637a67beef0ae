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
    assert response.json() == {"query": "no such thing anywhere", "lang": "en", "kinds": [], "count": 0, "results": []}


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


# -- the kind filter ----------------------------------------------------------------------------


def _kinds(body: dict[str, object]) -> set[str]:
    return {hit["kind"] for hit in body["results"]}  # type: ignore[attr-defined,index]


def test_kind_keeps_only_things_of_that_kind(example_api: Api) -> None:
    everything = example_api.client.get("/api/search", params={"q": "radar", "limit": 200}).json()
    assert {"organisation", "item", "capability"} <= _kinds(everything)
    response = example_api.client.get("/api/search", params={"q": "radar", "limit": 200, "kind": "item"})
    assert response.status_code == 200
    items = response.json()
    assert items["kinds"] == ["item"] and _kinds(items) == {"item"}
    assert items["count"] >= 1
    # Every item of the unfiltered answer is in the filtered one (the filter drops only other kinds).
    wanted = {hit["iri"] for hit in everything["results"] if hit["kind"] == "item"}
    assert wanted <= {hit["iri"] for hit in items["results"]}


def test_kind_is_applied_before_the_row_cap(example_api: Api) -> None:
    # "a" is in the names of 200+ countries and capabilities, which fill the unfiltered answer; the
    # items and organisations named with an "a" must still be found when asked for.
    crowded = example_api.client.get("/api/search", params={"q": "a", "limit": 200}).json()
    assert crowded["count"] == 200 and not _kinds(crowded) & {"item", "organisation"}
    for kind in ("item", "organisation"):
        asked = example_api.client.get("/api/search", params={"q": "a", "limit": 200, "kind": kind}).json()
        assert asked["count"] > 3 and _kinds(asked) == {kind}


@pytest.mark.parametrize(
    "params",
    [
        [("q", "radar"), ("kind", "organisation"), ("kind", "capability")],
        [("q", "radar"), ("kind", "organisation,capability")],
        [("q", "radar"), ("kind", " Capability , organisation,")],
    ],
    ids=["repeated", "comma-separated", "spaces-case-trailing-comma"],
)
def test_several_kinds_repeated_or_comma_separated(example_api: Api, params: list[tuple[str, str]]) -> None:
    body = example_api.client.get("/api/search", params=[*params, ("limit", "200")]).json()
    assert _kinds(body) == {"organisation", "capability"}
    assert sorted(body["kinds"]) == ["capability", "organisation"]


def test_a_dutch_capability_name_with_kind(example_api: Api) -> None:
    everything = example_api.client.get("/api/search", params={"q": "radar", "limit": 200}).json()
    capabilities = example_api.client.get("/api/search", params={"q": "radar", "kind": "capability"}).json()
    expected = [hit["iri"] for hit in everything["results"] if hit["kind"] == "capability"]
    assert expected and [hit["iri"] for hit in capabilities["results"]] == expected


@pytest.mark.parametrize("kind", ["organization", "item,thing", "*"])
def test_an_unknown_kind_is_a_400_naming_the_valid_kinds(api: Api, kind: str) -> None:
    response = api.client.get("/api/search", params={"q": "a", "kind": kind})
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["status"] == 400
    bad = next(k for k in kind.split(",") if k != "item")
    assert problem["detail"].startswith("kind:") and repr(bad) in problem["detail"]
    for valid in ("organisation", "item", "capability"):
        assert valid in problem["detail"]


def test_the_openapi_document_lists_the_kind_parameter(api: Api) -> None:
    operation = api.client.get("/openapi.json").json()["paths"]["/api/search"]["get"]
    kind = next(p for p in operation["parameters"] if p["name"] == "kind")
    assert kind["schema"]["anyOf"][0]["type"] == "array"
    assert "400" in operation["responses"]
