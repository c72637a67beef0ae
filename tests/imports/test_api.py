"""POST /api/imports and the history routes, through the real app (CONTRACT §5): 201 committed,
200 dry run, 422 violations, 400 unreadable, 413 too large, 415 unknown Content-Type."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from defport_kg.store import EmbeddedStore
from defport_kg.templates import XLSX_MEDIA_TYPE
from tests.api.routes.conftest import Api, cheap_argon2, make_api  # noqa: F401 (cheap_argon2: autouse fixture)
from tests.imports.conftest import BATCH, ORGANISATIONS_CSV, snapshot, template_workbook

TURTLE = {"Content-Type": "text/turtle"}
GHOST = BATCH.read_text().split("\n\n")[0] + (
    "\n\ndpid:supply\\/ghost a dp:SupplyRelation ; dp:supplier dpid:org\\/nobody ; dp:item dpid:item\\/x .\n"
)


@pytest.fixture
def api(reference_store: EmbeddedStore) -> Api:
    return make_api(reference_store)


def _post(api: Api, body: bytes | str, headers: dict[str, str], role: str | None = "steward", **params: str) -> Any:
    return api.client.post("/api/imports", content=body, headers={**headers, **api.auth(role)}, params=params)


def test_a_steward_imports_turtle(api: Api) -> None:
    answer = _post(api, BATCH.read_bytes(), TURTLE, name="suppliers.ttl")
    assert answer.status_code == 201, answer.text
    body = answer.json()
    assert body["committed"] and body["triples"] == 19 and body["report"]["conforms"]
    assert answer.headers["location"] == f"/api/imports/{body['import']}"
    assert body["user"] == "key:steward key"
    listed = api.client.get("/api/imports").json()["imports"]
    assert [r["id"] for r in listed] == [body["import"]] and listed[0]["sources"] == ["suppliers.ttl"]
    shown = api.client.get(f"/api/imports/{body['import']}").json()
    assert shown["user"] == "key:steward key" and shown["stored_triples"] == 19


def test_dry_run_answers_200_and_stores_nothing(api: Api) -> None:
    before = snapshot(api.store, with_audit=False)
    answer = _post(api, BATCH.read_bytes(), TURTLE, dry_run="true")
    assert answer.status_code == 200 and answer.json()["dry_run"] and not answer.json()["committed"]
    assert snapshot(api.store, with_audit=False) == before


def test_violations_answer_422_with_the_report(api: Api) -> None:
    before = snapshot(api.store, with_audit=False)
    answer = _post(api, GHOST, TURTLE)
    assert answer.status_code == 422
    assert answer.headers["content-type"].startswith("application/problem+json")
    problem = answer.json()
    assert problem["status"] == 422 and "nothing was stored" in problem["detail"]
    results = problem["report"]["results"]
    assert any(
        r["result_path"] == "https://w3id.org/defport/ontology#supplier" and r["location"] == "upload.ttl:7"
        for r in results
    )
    assert all({"en", "nl"} <= r["message"].keys() for r in results)
    assert snapshot(api.store, with_audit=False) == before


@pytest.mark.parametrize(
    ("body", "content_type", "status", "fragment"),
    [
        (b"<http://a> <http://b> .", "application/n-triples", 400, "upload.nt:1"),
        (b"<x/>", "application/pdf", 415, "unsupported Content-Type 'application/pdf'"),
        (b"<x/>", "", 415, "no Content-Type"),
        (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "a">]><r/>', "application/rdf+xml", 400, "DOCTYPE"),
        (b'{"@context": "https://example.org/c", "@id": "x"}', "application/ld+json", 400, "never fetched"),
        (ORGANISATIONS_CSV.encode(), "text/csv", 400, "cannot tell which template"),
        (b"PK garbage", XLSX_MEDIA_TYPE, 400, "not an XLSX workbook"),
    ],
    ids=["unparsable", "unknown-type", "no-type", "doctype", "remote-context", "csv-without-template", "bad-xlsx"],
)
def test_bad_bodies_are_refused_with_their_status(
    api: Api, body: bytes, content_type: str, status: int, fragment: str
) -> None:
    before = snapshot(api.store, with_audit=False)
    headers = {"Content-Type": content_type} if content_type else {}
    answer = _post(api, body, headers)
    assert answer.status_code == status, answer.text
    assert fragment in answer.json()["detail"]
    assert snapshot(api.store, with_audit=False) == before


def test_too_large_by_content_length_and_by_stream(reference_store: EmbeddedStore) -> None:
    api = make_api(reference_store, max_input_bytes=100)
    before = snapshot(api.store, with_audit=False)
    answer = _post(api, BATCH.read_bytes(), TURTLE)
    assert answer.status_code == 413 and "limit of 100 bytes" in answer.json()["detail"]

    def chunks() -> Iterator[bytes]:  # no Content-Length: the size is counted as the body arrives
        data = BATCH.read_bytes()
        for start in range(0, len(data), 64):
            yield data[start : start + 64]

    answer = api.client.post("/api/imports", content=chunks(), headers={**TURTLE, **api.auth("steward")})
    assert answer.status_code == 413 and "exceeds the limit" in answer.json()["detail"]
    assert snapshot(api.store, with_audit=False) == before


def test_templates_by_csv_xlsx_and_form_upload(api: Api) -> None:
    form = api.client.post(
        "/api/imports",
        files={"file": ("more.ttl", BATCH.read_bytes(), "application/octet-stream")},
        headers=api.auth("steward"),
        params={"dry_run": "true"},
    )
    assert form.status_code == 200, form.text
    assert form.json()["sources"][0]["source"] == "more.ttl"
    csv_answer = _post(api, ORGANISATIONS_CSV, {"Content-Type": "text/csv; charset=utf-8"}, template="organisations")
    assert csv_answer.status_code == 201, csv_answer.text
    xlsx_answer = _post(api, template_workbook(), {"Content-Type": XLSX_MEDIA_TYPE}, name="suppliers.xlsx")
    assert xlsx_answer.status_code == 201, xlsx_answer.text
    # The form of the web page: a CSV file, its template named by its file name or by a form field.
    form = api.client.post(
        "/api/imports",
        files={"file": ("capabilities.csv", b"id,name\nx-optics,X optics\n", "text/csv")},
        headers=api.auth("steward"),
    )
    assert form.status_code == 201, form.text
    form = api.client.post(
        "/api/imports",
        files={"file": ("export.csv", b"id,name\ny-optics,Y optics\n", "text/csv")},
        data={"template": "capabilities", "dry_run": "true"},
        headers=api.auth("steward"),
    )
    assert form.status_code == 200, form.text


def test_a_wrong_template_cell_answers_400_with_the_cells(api: Api) -> None:
    answer = _post(api, "supplier,item,share\nacme,prism,lots\n", {"Content-Type": "text/csv"}, template="supply")
    assert answer.status_code == 400
    [problem] = answer.json()["problems"]
    assert problem | {"source": None} == {
        "source": None,
        "sheet": "upload.csv",
        "row": 2,
        "column": "share",
        "cell": "C2",
        "value": "lots",
        "message": "'lots' is not a number",
    }


def test_writes_need_a_steward_key(api: Api) -> None:
    assert _post(api, BATCH.read_bytes(), TURTLE, role=None).status_code == 401
    assert _post(api, BATCH.read_bytes(), TURTLE, role="analyst").status_code == 403
    assert _post(api, BATCH.read_bytes(), TURTLE, role="admin").status_code == 201


def test_history_routes_replace_diff_and_rollback(api: Api) -> None:
    first = _post(api, BATCH.read_bytes(), TURTLE, name="suppliers.ttl").json()["import"]
    changed = BATCH.read_text().replace("dp:share 0.6", "dp:share 0.3")
    second = _post(api, changed, TURTLE, name="suppliers.ttl", replace="suppliers.ttl").json()
    assert second["replaced"] == [f"https://w3id.org/defport/id/import/{first}"]
    diff = api.client.get(f"/api/imports/{first}/diff/{second['import']}").json()
    assert diff["added_count"] == 1 and diff["removed_count"] == 1
    assert api.client.get("/api/imports/nope").status_code == 404
    assert api.client.post(f"/api/imports/{second['import']}/rollback").status_code == 401
    rolled = api.client.post(f"/api/imports/{second['import']}/rollback", headers=api.auth("steward"))
    assert rolled.status_code == 200 and rolled.json()["reactivated"] == [first]
    live = api.client.get("/api/imports", params={"live": "true"}).json()["imports"]
    assert [r["id"] for r in live] == [first]
