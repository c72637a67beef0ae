"""The API's read paths beside /sparql: named queries, search, export, risk, scale, imports, health
and metrics. Callers below org A's clearance get answers with no trace of the restricted import
(and different from org A's, which it changes); naming a hidden thing is answered as naming one
that does not exist at all."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

import pytest

from tests.access.conftest import (
    CALLERS,
    DPID,
    HIDDEN_ITEM,
    HIDDEN_KVK,
    HIDDEN_ORG,
    LOWER,
    SYSTEM,
    World,
    assert_no_defport,
    assert_no_trace,
)

NOWHERE_ORG = DPID + "org/zz-nowhere"
NOWHERE_ITEM = DPID + "item/zz-nowhere"


def text_of(world: World, caller: str, url: str) -> tuple[int, str]:
    response = world.get(caller, url)
    return response.status_code, response.text


def same_as_missing(world: World, caller: str, url: str, hidden: str, missing: str) -> int:
    """``url`` naming ``hidden`` is answered exactly as naming ``missing``; returns the status."""
    from urllib.parse import quote

    asked = world.get(caller, url)
    other = world.get(caller, url.replace(hidden, missing).replace(quote(hidden, safe=""), quote(missing, safe="")))
    assert asked.status_code == other.status_code, (asked.text, other.text)
    assert asked.text.replace(hidden, missing) == other.text
    assert_no_trace(world, asked.text.replace(hidden, missing), what=f"{caller} {url}")
    return int(asked.status_code)


# -- risk and scale -------------------------------------------------------------------------------

ANALYSES = [
    "/api/risk/spof",
    "/api/risk/spof?unit=country",
    "/api/risk/spof?format=csv",
    "/api/risk/cut-sets?" + urlencode({"item": SYSTEM, "max_order": 2}),
    "/api/risk/single-source",
    "/api/risk/single-source?format=csv",
    "/api/risk/concentration",
    "/api/risk/sovereignty",
    "/api/risk/sovereignty?format=csv",
    "/api/risk/export-control",
    "/api/risk/raw-materials",
    "/api/risk/sustainment",
    "/api/scale/max-output?" + urlencode({"system": SYSTEM}),
    "/api/scale/surge?" + urlencode({"system": SYSTEM}),
    "/api/scale/disruption?" + urlencode({"system": SYSTEM}),
    "/api/scale/needs",
    "/api/scale/needs?format=csv",
    "/api/scale/needs.svg",
]


@pytest.mark.parametrize("url", ANALYSES)
def test_analyses_differ_and_never_name_hidden_data(world: World, url: str) -> None:
    status, cleared = text_of(world, "org_a", url)
    assert status == 200, cleared
    if "/needs" not in url:  # the needs table counts providers per region, it names none
        assert any(word in cleared.lower() for word in ("zz-hidden", "zz-core", "zephyrine", "/jp")), cleared[:1000]
    for caller in LOWER:
        status, answer = text_of(world, caller, url)
        assert status == 200, answer
        assert_no_trace(world, answer, what=f"{caller} {url}")
        assert answer != cleared
    assert_no_defport(world, text_of(world, "anonymous", url)[1], what=url)


def test_analysis_answers_in_detail(world: World) -> None:
    def spofs(caller: str) -> set[str]:
        return {s["unit"] for s in world.get(caller, "/api/risk/spof").json()["spofs"]}

    for caller in LOWER:
        assert spofs("org_a") == spofs(caller) | {HIDDEN_ORG}

    def output(caller: str) -> Any:
        return world.get(caller, "/api/scale/max-output", params={"system": SYSTEM}).json()

    assert output("org_a")["output"][SYSTEM] == 4.0  # the hidden part's capacity is org A's bottleneck
    for caller in LOWER:
        assert output(caller)["output"][SYSTEM] > 4.0


NAMING = [
    ("/api/risk/impact?" + urlencode({"unit": HIDDEN_ORG}), HIDDEN_ORG, NOWHERE_ORG),
    ("/api/risk/explain?" + urlencode({"unit": HIDDEN_ORG, "system": SYSTEM}), HIDDEN_ORG, NOWHERE_ORG),
    ("/api/risk/cut-sets?" + urlencode({"item": HIDDEN_ITEM}), HIDDEN_ITEM, NOWHERE_ITEM),
    ("/api/scale/alternatives?" + urlencode({"item": HIDDEN_ITEM}), HIDDEN_ITEM, NOWHERE_ITEM),
    ("/api/scale/disruption?" + urlencode({"system": SYSTEM, "fail": HIDDEN_ORG}), HIDDEN_ORG, NOWHERE_ORG),
    ("/api/scale/max-output?" + urlencode({"system": SYSTEM, "fail": HIDDEN_ORG}), HIDDEN_ORG, NOWHERE_ORG),
    ("/api/scale/surge?" + urlencode({"system": SYSTEM, "fail": HIDDEN_ORG}), HIDDEN_ORG, NOWHERE_ORG),
]


@pytest.mark.parametrize(("url", "hidden", "missing"), NAMING, ids=[n[0].split("?")[0] for n in NAMING])
def test_naming_a_hidden_unit_or_item_is_naming_a_missing_one(
    world: World, url: str, hidden: str, missing: str
) -> None:
    from urllib.parse import quote

    cleared = world.get("org_a", url)
    assert cleared.status_code in (200, 400), cleared.text  # surge: the failed hidden part cannot be made up
    assert "zz-" in cleared.text
    for caller in LOWER:
        encoded = url.replace(quote(hidden, safe=""), quote(missing, safe=""))
        asked, other = world.get(caller, url), world.get(caller, encoded)
        assert asked.status_code == other.status_code, (asked.text, other.text)
        assert asked.text.replace(hidden, missing) == other.text
        assert_no_trace(world, asked.text.replace(hidden, missing), what=f"{caller} {url}")
        assert asked.text != cleared.text


def test_impact_of_the_hidden_organisation_for_org_a(world: World) -> None:
    body = world.get("org_a", "/api/risk/impact", params={"unit": HIDDEN_ORG}).json()
    assert SYSTEM in json.dumps(body)


# -- named queries --------------------------------------------------------------------------------

VALUES = {
    "organisation": HIDDEN_ORG,
    "item": HIDDEN_ITEM,
    "system": SYSTEM,
    "capability": DPID + "capability/electronic-warfare",
    "country": DPID + "country/NL",
    "regime": "https://w3id.org/defport/ontology#ITAR",
}


def _named_queries(world: World) -> list[tuple[str, dict[str, str]]]:
    listed = world.get("anonymous", "/api/queries").json()["queries"]
    return [
        (q["name"], {p["name"]: VALUES[p["name"]] for p in q.get("params", []) if p["name"] in VALUES}) for q in listed
    ]


def test_named_queries(world: World) -> None:
    queries = _named_queries(world)
    assert len(queries) > 20
    revealing = set()
    for name, params in queries:
        url = f"/api/queries/{name}?" + urlencode(params)
        status, cleared = text_of(world, "org_a", url)
        assert status == 200, (name, cleared)
        if any(word in cleared.lower() for word in ("zz-core", "zephyrine", "quillfeather", HIDDEN_KVK)):
            revealing.add(name)
        for caller in LOWER:
            for fmt in ("json", "csv"):
                status, answer = text_of(world, caller, url + f"&format={fmt}")
                assert status == 200, (name, answer)
                if fmt == "json":  # the answer repeats the caller's own parameters: leave those out
                    answer = json.dumps({k: v for k, v in json.loads(answer).items() if k != "params"})
                assert_no_trace(world, answer, what=f"{caller} {name}")
    # The hidden import shows in many answers for org A (so the lower callers' are really filtered).
    assert {
        "items-single-supplier",
        "export-controlled-items",
        "organisation-profile",
        "suppliers-of-item",
    } <= revealing


def test_a_named_query_about_the_hidden_organisation_is_one_about_nobody(world: World) -> None:
    url = "/api/queries/organisation-profile?" + urlencode({"organisation": HIDDEN_ORG})
    for caller in LOWER:
        same_as_missing(world, caller, url, HIDDEN_ORG, NOWHERE_ORG)
    assert "Zephyrine" in world.get("org_a", url).text


# -- search ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("q", ["zephyr", "Quillfeather", HIDDEN_KVK, "forge b.v", "Zephyrine works"])
def test_search(world: World, q: str) -> None:
    cleared = world.get("org_a", "/api/search", params={"q": q}).json()
    assert cleared["count"] >= 1 and any("zz-" in hit["iri"] for hit in cleared["results"])
    for caller in LOWER:
        response = world.get(caller, "/api/search", params={"q": q})
        assert response.status_code == 200
        assert response.json()["count"] == 0 and response.json()["results"] == []
        assert_no_trace(world, response.text.replace(q, "<q>").replace(q.lower(), "<q>"), what=caller)
        assert response.json() == {**world.get(caller, "/api/search", params={"q": q}).json()}


def test_search_counts_over_a_broad_term(world: World) -> None:
    counts = {c: world.get(c, "/api/search", params={"q": "B.V.", "limit": 200}).json() for c in CALLERS}
    assert counts["org_a"]["count"] == counts["org_b"]["count"] + 1
    assert counts["org_b"] == counts["defport"]
    assert counts["anonymous"]["count"] < counts["defport"]["count"]
    for caller in LOWER:
        assert_no_trace(world, json.dumps(counts[caller]), what=caller)


# -- export ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["nquads", "trig", "turtle"])
def test_export(world: World, fmt: str) -> None:
    cleared = world.get("org_a", "/api/export", params={"format": fmt})
    assert cleared.status_code == 200 and "zz-hidden" in cleared.text
    etags = {}
    for caller in LOWER:
        response = world.get(caller, "/api/export", params={"format": fmt})
        assert response.status_code == 200
        assert_no_trace(world, response.text, what=f"{caller} {fmt}")
        assert response.headers["x-defport-marking"] in ("public", "defport")
        etags[caller] = response.headers["etag"]
        if fmt != "turtle":  # the DCAT description names the caller's parts only
            assert world.base.imports["public"] in response.text
    assert etags["defport"] == etags["org_b"] != etags["anonymous"]
    assert cleared.headers["etag"] not in etags.values()
    assert_no_defport(world, world.get("anonymous", "/api/export", params={"format": fmt}).text)


# -- imports history ------------------------------------------------------------------------------


def fake_import_id(world: World) -> str:
    real = world.hidden_import
    return real[:-8] + ("0" * 8 if not real.endswith("0" * 8) else "1" * 8)


def test_import_history(world: World) -> None:
    cleared = world.get("org_a", "/api/imports")
    assert world.hidden_import in cleared.text
    for caller in LOWER:
        response = world.get(caller, "/api/imports")
        assert response.status_code == 200
        ids = [i["id"] for i in response.json()["imports"]]
        assert world.base.imports["public"] in ids
        assert (world.base.imports["defport"] in ids) is (caller != "anonymous")
        assert_no_trace(world, response.text, what=caller)


@pytest.mark.parametrize("template", ["/api/imports/{h}", "/api/imports/{p}/diff/{h}", "/api/imports/{h}/diff/{p}"])
def test_show_and_diff_of_a_hidden_import_is_unknown(world: World, template: str) -> None:
    public = world.base.imports["public"]
    url = template.format(h=world.hidden_import, p=public)
    cleared = world.get("org_a", url)
    assert cleared.status_code == 200, cleared.text
    for caller in LOWER:
        assert same_as_missing(world, caller, url, world.hidden_import, fake_import_id(world)) == 404


# -- health and metrics ---------------------------------------------------------------------------


def _anonymous_count(world: World) -> int:
    body = world.get("anonymous", "/sparql", params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"}).json()
    return int(body["results"]["bindings"][0]["n"]["value"])


def test_health_counts_the_anonymous_view(world: World) -> None:
    anonymous = _anonymous_count(world)
    for caller in CALLERS:
        body = world.get(caller, "/health").json()
        assert body["status"] == "ok" and body["triples"] == anonymous


def test_metrics_count_the_anonymous_view(world: World) -> None:
    anonymous = _anonymous_count(world)
    for caller in CALLERS:
        response = world.get(caller, "/metrics")
        assert response.status_code == 200
        line = next(x for x in response.text.splitlines() if x.startswith("defport_kg_store_triples "))
        assert int(float(line.split()[1])) == anonymous
        assert_no_trace(world, response.text, what=caller)
