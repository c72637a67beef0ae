"""/api/queries: every named query with its documentation, and running one with bound parameters."""

from __future__ import annotations

import csv
import io

import pytest

from defport_kg import queries as registry
from defport_kg.settings import Settings
from defport_kg.store import EmbeddedStore
from tests.api.routes.conftest import Api, make_api

NL = "https://w3id.org/defport/id/country/NL"
DE = "https://w3id.org/defport/id/country/DE"


def test_every_query_file_is_listed_with_its_documentation(api: Api) -> None:
    response = api.client.get("/api/queries")
    assert response.status_code == 200
    body = response.json()
    names = [q["name"] for q in body["queries"]]
    assert names == [q.name for q in registry.list_queries()]
    assert body["count"] == len(names) > 10
    by_name = {q["name"]: q for q in body["queries"]}
    profile = by_name["organisations-by-country"]
    assert profile["summary"] and profile["href"] == "/api/queries/organisations-by-country"
    assert profile["params"] == [
        {
            "name": "country",
            "type": "iri",
            "default": "dpid:country/NL",
            "description": profile["params"][0]["description"],
            "required": False,
        }
    ]


def test_the_list_filters_by_tag(api: Api) -> None:
    tagged = api.client.get("/api/queries", params={"tag": "countries"}).json()["queries"]
    assert tagged and all("countries" in q["tags"] for q in tagged)
    assert api.client.get("/api/queries", params={"tag": "no-such-tag"}).json() == {"count": 0, "queries": []}


def test_a_query_runs_with_its_default(example_api: Api) -> None:
    response = example_api.client.get("/api/queries/organisations-by-country")
    assert response.status_code == 200
    body = response.json()
    assert body["query"] == "organisations-by-country"
    assert body["params"] == {"country": f"<{NL}>"}
    assert body["count"] == len(body["rows"]) > 0 and body["truncated"] is False
    assert {row["_country"] for row in body["rows"]} == {NL}
    assert set(body["rows"][0]) == set(body["variables"])


def test_a_parameter_is_bound_as_an_rdf_term(example_api: Api) -> None:
    body = example_api.client.get("/api/queries/organisations-by-country", params={"country": "dpid:country/DE"}).json()
    assert body["params"] == {"country": f"<{DE}>"}
    assert body["rows"] and {row["_country"] for row in body["rows"]} == {DE}
    same = example_api.client.get("/api/queries/organisations-by-country", params={"country": DE}).json()
    assert same["rows"] == body["rows"]


def test_an_injection_attempt_is_just_a_value(example_api: Api) -> None:
    # A string or IRI value cannot change the query: it is one term, or a 400 when it is no IRI.
    attempt = "dpid:country/NL> . } UNION { ?organisation ?p ?o"
    response = example_api.client.get("/api/queries/organisations-by-country", params={"country": attempt})
    assert response.status_code == 400


@pytest.mark.parametrize(
    ("accept", "fmt", "media"),
    [
        ("text/csv", None, "text/csv"),
        (None, "csv", "text/csv"),
        ("text/tab-separated-values", None, "text/tab-separated-values"),
        (None, "tsv", "text/tab-separated-values"),
    ],
)
def test_csv_and_tsv(example_api: Api, accept: str | None, fmt: str | None, media: str) -> None:
    response = example_api.client.get(
        "/api/queries/organisations-by-country",
        params={"format": fmt} if fmt else {},
        headers={"Accept": accept} if accept else {},
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media)
    rows = list(csv.reader(io.StringIO(response.text), delimiter="," if media == "text/csv" else "\t"))
    json_body = example_api.client.get("/api/queries/organisations-by-country").json()
    assert rows[0] == json_body["variables"]
    assert len(rows) - 1 == json_body["count"]


def test_csv_of_an_empty_answer_still_has_its_header(api: Api) -> None:
    response = api.client.get("/api/queries/organisations-by-country", params={"format": "csv"})
    assert response.text.splitlines() == ["_country,organisation,label,kind,kvk,lei"]


def test_sparql_results_json_on_request(example_api: Api) -> None:
    response = example_api.client.get(
        "/api/queries/organisations-by-country", headers={"Accept": "application/sparql-results+json"}
    )
    assert response.headers["content-type"].startswith("application/sparql-results+json")
    body = response.json()
    assert body["head"]["vars"][0] == "_country"
    assert body["results"]["bindings"][0]["_country"] == {"type": "uri", "value": NL}


def test_rows_are_capped_at_the_result_limit(example_store: EmbeddedStore) -> None:
    api = make_api(example_store, query_result_limit=3)
    response = api.client.get("/api/queries/organisations-by-country")
    assert response.json()["count"] == 3 and response.json()["truncated"] is True
    assert response.headers["x-result-truncated"] == "true"
    assert Settings().query_result_limit > 3


@pytest.mark.parametrize(
    "params",
    [
        {"country": "not an iri"},
        {"no_such_parameter": "x"},
        {"format": "xml"},
        [("country", "dpid:country/NL"), ("country", "dpid:country/DE")],
    ],
    ids=["bad-value", "unknown-parameter", "bad-format", "given-twice"],
)
def test_bad_parameters_are_400(api: Api, params: object) -> None:
    response = api.client.get("/api/queries/organisations-by-country", params=params)  # type: ignore[arg-type]
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["detail"]


@pytest.mark.parametrize(
    "path",
    [
        "/api/queries/no-such-query",
        "/api/queries/..",
        "/api/queries/...",
        "/api/queries/.hidden",
        "/api/queries/qc%2Fmissing-label-violation",
        "/api/queries/..%2F..%2F..%2Fetc%2Fpasswd",
        "/api/queries/%2E%2E",
        "/api/queries/organisations-by-country.rq",
    ],
)
def test_unknown_names_and_path_traversal_are_404(api: Api, path: str) -> None:
    response = api.client.get(path)
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")
    assert "root:" not in response.text


def test_unacceptable_media_type_is_406(api: Api) -> None:
    response = api.client.get("/api/queries/defport-partners", headers={"Accept": "image/png"})
    assert response.status_code == 406


def test_every_named_query_runs_on_the_example(example_api: Api) -> None:
    for query in registry.list_queries():
        if any(p.required and p.default is None for p in query.params):
            continue
        response = example_api.client.get(f"/api/queries/{query.name}")
        assert response.status_code == 200, (query.name, response.text)
