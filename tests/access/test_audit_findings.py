"""The read audit records every caller's reads with its clearance and the graphs it read; saved
findings computed over restricted data are marked so that lower callers cannot see them."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from defport_kg.api.app import create_app
from defport_kg.auth.read_audit import query_hash
from defport_kg.cli import app as cli
from defport_kg.store import EmbeddedStore
from tests.access.conftest import (
    CATALOG,
    DPID,
    LOWER,
    ORG_A,
    Base,
    World,
    assert_no_trace,
    close_world,
    settings,
)

QUERY = "SELECT ?s WHERE { ?s a <https://w3id.org/defport/ontology#Company> }"


def test_the_read_audit_records_both_callers(fresh_world: World) -> None:
    world = fresh_world
    for caller in ("anonymous", "org_b", "org_a"):
        assert world.get(caller, "/sparql", params={"query": QUERY}).status_code == 200
        assert world.get(caller, "/api/risk/spof").status_code == 200
    world.app.state.read_audit.flush()
    response = world.get("admin", "/api/audit/reads", params={"limit": 1000})
    assert response.status_code == 200, response.text
    events = response.json()["events"]

    def of(key: str | None, path: str) -> dict[str, Any]:
        found = [e for e in events if e["path"] == path and e["key_id"] == key]
        assert len(found) == 1, (key, path, found)
        return found[0]

    anonymous = of(None, "/sparql")
    org_b = of(world.base.key_ids["org_b"], "/sparql")
    org_a = of(world.base.key_ids["org_a"], "/sparql")
    for event in (anonymous, org_b, org_a):
        assert event["query_hash"] == query_hash(QUERY)
        assert world.public_graph in event["graphs"]
    assert anonymous["clearance"] == "public"
    assert org_b["clearance"].startswith("restricted") and org_a["clearance"].startswith("restricted")
    assert world.hidden_graph in org_a["graphs"]
    assert world.hidden_graph not in org_b["graphs"] and world.defport_graph in org_b["graphs"]
    assert world.hidden_graph not in anonymous["graphs"] and world.defport_graph not in anonymous["graphs"]
    spof_a = of(world.base.key_ids["org_a"], "/api/risk/spof")
    spof_anonymous = of(None, "/api/risk/spof")
    assert world.hidden_graph in spof_a["graphs"] and world.hidden_graph not in spof_anonymous["graphs"]


# -- saved findings ----------------------------------------------------------------------------------


@pytest.fixture
def saved(_access_base: Base, tmp_path: Path) -> Iterator[tuple[World, dict[str, Any]]]:
    """A copy of the base store with an export-control run saved by the operator (who sees everything)."""
    target = tmp_path / "store"
    shutil.copytree(_access_base.path, target)
    result = CliRunner().invoke(cli, ["risk", "export-control", "--save", "--json", "--store", str(target)])
    assert result.exit_code == 0, result.output
    run = json.loads(result.output)
    assert "zz-core" in json.dumps(run["systems"])  # computed over the restricted import (its ITAR part)
    store = EmbeddedStore.open(target)
    app = create_app(store, settings())
    world = World(app, TestClient(app, raise_server_exceptions=False), store, _access_base, target)
    yield world, run["saved"]
    close_world(world)


def test_findings_over_restricted_data_are_restricted(saved: tuple[World, dict[str, Any]]) -> None:
    world, info = saved
    graph = info["graph"]
    listed = world.get("org_a", "/api/risk/findings").json()["analyses"]
    assert info["id"] in [a["id"] for a in listed]
    run = world.get("org_a", f"/api/risk/findings/{info['id']}")
    assert run.status_code == 200 and "zz-core" in run.text
    # Marked as its most sensitive input, releasable to org A only.
    marking = world.get(
        "org_a",
        "/sparql",
        params={
            "query": f"PREFIX dp: <https://w3id.org/defport/ontology#> SELECT ?m ?r WHERE {{ GRAPH <{CATALOG}> "
            f"{{ <{graph}> dp:marking ?m OPTIONAL {{ <{graph}> dp:releasableTo ?r }} }} }}"
        },
    ).json()["results"]["bindings"]
    assert [(b["m"]["value"], b["r"]["value"]) for b in marking] == [("restricted", ORG_A)]

    fake = info["id"][:-8] + ("0" * 8 if not info["id"].endswith("0" * 8) else "1" * 8)
    for caller in LOWER:
        listing = world.get(caller, "/api/risk/findings")
        assert listing.status_code == 200 and info["id"] not in listing.text
        assert_no_trace(world, listing.text, what=caller)
        hidden = world.get(caller, f"/api/risk/findings/{info['id']}")
        missing = world.get(caller, f"/api/risk/findings/{fake}")
        assert hidden.status_code == missing.status_code == 404
        assert hidden.text.replace(info["id"], fake) == missing.text
        graphs = world.get(caller, "/sparql", params={"query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"})
        assert graph not in graphs.text and info["id"] not in graphs.text
        everything = world.get(caller, "/api/export", params={"format": "nquads"})
        assert info["id"] not in everything.text and DPID + "analysis/" not in everything.text
