"""Saved findings end to end: runs saved with the real CLI (`risk ... --save`) into an on-disk store,
read back through the real app's /api/risk/findings routes and queried with SPARQL via /sparql."""

from __future__ import annotations

import csv
import io
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from defport_kg.api.app import create_app
from defport_kg.api.routes.sparql import close_engine
from defport_kg.cli import app as cli
from defport_kg.settings import Settings
from defport_kg.store import EmbeddedStore

DP = "https://w3id.org/defport/ontology#"
ITEM = "https://w3id.org/defport/id/item/"
COUNTRY = "https://w3id.org/defport/id/country/"
ANALYSIS = "https://w3id.org/defport/id/analysis/"


def _save(store: Path, *args: str) -> dict[str, Any]:
    """Run one analysis with --save --json through the CLI; its JSON (with the "saved" block)."""
    result = CliRunner().invoke(cli, ["risk", *args, "--save", "--json", "--store", str(store)])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


@pytest.fixture(scope="module")
def saved(_example_store_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """A copy of the example store with two saved runs, and a client of the app over it."""
    target = tmp_path_factory.mktemp("saved-findings") / "store"
    shutil.copytree(_example_store_dir, target)
    export = _save(target, "export-control")
    sovereignty = _save(target, "sovereignty", "--by", "control", "--as-of", "2026-01-01")
    store = EmbeddedStore.open(target)
    app = create_app(store, Settings())
    yield {"client": TestClient(app), "export": export, "sovereignty": sovereignty}
    close_engine(app)
    store.close()


def _run(saved: dict[str, Any], name: str) -> dict[str, Any]:
    response = saved["client"].get(f"/api/risk/findings/{saved[name]['saved']['id']}")
    assert response.status_code == 200, response.text
    return response.json()


def test_the_list_names_both_runs_with_their_counts(saved: dict[str, Any]) -> None:
    body = saved["client"].get("/api/risk/findings").json()
    listed = {a["id"]: a for a in body["analyses"]}
    for name, kind in (("export", "export-control"), ("sovereignty", "sovereignty")):
        info = saved[name]["saved"]
        assert listed[info["id"]]["kind"] == kind
        assert listed[info["id"]]["graph"] == ANALYSIS + info["id"] == info["graph"]
        assert listed[info["id"]]["findings"] == info["findings"] > 0


def test_export_control_findings_read_back_as_the_cli_reported_them(saved: dict[str, Any]) -> None:
    run = _run(saved, "export")
    assert run["kind"] == "export-control" and run["run"] == saved["export"]["saved"]["run"]
    assert run["version"].startswith("defport-kg ")
    assert "https://w3id.org/defport/id/graph/ontology" in run["used"]
    assert run["evidence_filter"] == {"as_of": None, "min_confidence": None}
    assert len(run["findings"]) == saved["export"]["saved"]["findings"]
    per_item = {(f["about_system"], f["about_items"][0]): f for f in run["findings"] if f["kind"] == "export-control"}
    expected_items = [(s["system"], i) for s in saved["export"]["systems"] for i in s["items"]]
    assert len(per_item) == len(expected_items)
    for system, item in expected_items:
        finding = per_item[(system, item["item"])]
        assert finding["about_regimes"] == sorted(item["regimes"])  # the regime is data
        assert finding["stops_system"] is (not item["avoidable"])
    detector = per_item[(ITEM + "ex-thermal-sight", ITEM + "ex-ir-detector")]
    assert detector["about_regimes"] == [DP + "ITAR"] and detector["stops_system"] is True
    stabiliser = per_item[(ITEM + "ex-armoured-vehicle", ITEM + "ex-gun-stabiliser")]
    assert stabiliser["about_regimes"] == [DP + "ITAR"] and stabiliser["stops_system"] is False
    regimes = {
        (f["about_system"], f["about_regimes"][0]): f["stops_system"]
        for f in run["findings"]
        if f["kind"] == "export-control-regime"
    }
    assert {s for (s, r), stops in regimes.items() if r == DP + "ITAR" and stops} == {ITEM + "ex-thermal-sight"}
    assert not any(stops for (_, r), stops in regimes.items() if r == DP + "EAR")


def test_sovereignty_findings_keep_basis_and_evidence_filter(saved: dict[str, Any]) -> None:
    run = _run(saved, "sovereignty")
    assert run["evidence_filter"]["as_of"] == "2026-01-01"
    spofs = [f for f in run["findings"] if f["kind"] == "country-spof"]
    assert spofs and {f["basis"] for f in spofs} == {"control"}  # --by control saved control only
    round_ = sorted(f["about_units"][0] for f in spofs if f["about_system"] == ITEM + "ex-155mm-round")
    assert round_ == [COUNTRY + c for c in ("DE", "JP", "NL", "NO")]
    shares = [f for f in run["findings"] if f["kind"] == "sovereignty-share"]
    assert len(shares) == 3 * len(saved["sovereignty"]["systems"])
    assert all(0 <= f["available_share"] <= 1 and f["region"] in ("NL", "EU", "NATO") for f in shares)


def test_findings_as_csv(saved: dict[str, Any]) -> None:
    info = saved["export"]["saved"]
    response = saved["client"].get(f"/api/risk/findings/{info['id']}", params={"format": "csv"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert len(rows) == info["findings"]
    assert any(r["about_regimes"] == DP + "ITAR" and r["about_items"] == ITEM + "ex-ir-detector" for r in rows)


def test_unknown_and_malformed_run_ids(saved: dict[str, Any]) -> None:
    client: TestClient = saved["client"]
    missing = client.get("/api/risk/findings/20000101T000000Z-00000000")
    assert missing.status_code == 404 and "20000101T000000Z-00000000" in missing.json()["detail"]
    assert missing.headers["content-type"].startswith("application/problem+json")
    bad = client.get("/api/risk/findings/-bad%20id")
    assert bad.status_code == 400 and "bad analysis id" in bad.json()["detail"]


def test_saved_runs_are_queryable_with_sparql(saved: dict[str, Any]) -> None:
    """Researchers' view: the findings are live data, and each run's graph can be addressed."""
    client: TestClient = saved["client"]
    query = f"""PREFIX dp: <{DP}> PREFIX prov: <http://www.w3.org/ns/prov#>
    SELECT ?g ?item ?started WHERE {{
      GRAPH ?g {{ ?f dp:aboutRegime dp:ITAR ; dp:stopsSystem true ; dp:aboutItem ?item ;
                   prov:wasGeneratedBy ?run . ?run prov:startedAtTime ?started }}
    }}"""
    response = client.get("/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200, response.text
    rows = response.json()["results"]["bindings"]
    assert {r["g"]["value"] for r in rows} == {saved["export"]["saved"]["graph"]}
    assert {r["item"]["value"] for r in rows} == {ITEM + "ex-ir-detector"}
    assert {r["started"]["value"] for r in rows} == {saved["export"]["saved"]["started"]}
    count = f"""PREFIX dp: <{DP}> SELECT (COUNT(?f) AS ?n) WHERE {{ ?f a dp:Finding ; dp:basis "control" }}"""
    response = client.post("/sparql", data={"query": count}, headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200, response.text
    spofs = sum(len(s["country_spofs_by_control"]) for s in saved["sovereignty"]["systems"])
    expected = spofs + 3 * len(saved["sovereignty"]["systems"])
    assert int(response.json()["results"]["bindings"][0]["n"]["value"]) == expected


def test_sovereignty_route_by_basis(saved: dict[str, Any]) -> None:
    client: TestClient = saved["client"]
    body = client.get("/api/risk/sovereignty", params={"by": "control", "system": "dpid:item/ex-thermal-sight"}).json()
    [sight] = body["systems"]
    assert body["bases"] == ["control"] and "by_location" not in sight
    assert [c.rsplit("/", 1)[-1] for c in sight["country_spofs_by_control"]] == ["CN", "FR", "US"]
    both = client.get("/api/risk/sovereignty", params={"format": "csv"})
    header = both.text.splitlines()[0].split(",")
    assert {"country_spofs", "country_spofs_by_control", "location_NL", "control_NATO"} <= set(header)
    bad = client.get("/api/risk/sovereignty", params={"by": "owner"})
    assert bad.status_code == 400 and "owner" in bad.json()["detail"]


def test_a_run_on_restricted_data_is_as_restricted_as_its_inputs(example_store: EmbeddedStore) -> None:
    """Findings are derived data: a run that read an import marked "restricted" is itself restricted
    — a 404 to anonymous readers and to a key cleared only for "defport" (the default import
    marking, which a run without a derived marking would get), shown to a key cleared "restricted"."""
    import pyoxigraph as ox

    from defport_kg.access import Marking, marking_quads
    from defport_kg.auth import KeyRing
    from defport_kg.risk import load_network, save_findings, sovereignty
    from tests.api.routes.conftest import make_api

    note = "https://w3id.org/defport/id/import/secret-note"
    secret = ox.Triple(
        ox.NamedNode("https://w3id.org/defport/id/org/ex-nl-radar"),
        ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#comment"),
        ox.Literal("a note only restricted readers may read"),
    )
    example_store.add_source_graph(
        note, [secret], role="import", extra_quads=marking_quads(note, Marking("restricted"))
    )
    info = save_findings(example_store, "sovereignty", sovereignty(load_network(example_store)).to_dict())
    _, restricted = KeyRing(example_store).add("restricted reader", "reader", clearance="restricted")
    # The product's defaults (the test environment clears anonymous callers for every level).
    api = make_api(example_store, anonymous_clearance="public", default_key_clearance="defport")
    path = f"/api/risk/findings/{info['id']}"
    assert info["id"] not in {a["id"] for a in api.client.get("/api/risk/findings").json()["analyses"]}
    assert api.client.get(path).status_code == 404
    assert api.client.get(path, headers=api.auth("reader")).status_code == 404  # cleared "defport" only
    cleared = api.client.get(path, headers={"Authorization": f"Bearer {restricted}"})
    assert cleared.status_code == 200, cleared.text
    assert len(cleared.json()["findings"]) == info["findings"]
