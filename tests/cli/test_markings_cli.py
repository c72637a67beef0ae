"""The command line's side of confidentiality: marked imports, key clearances, clear errors."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient

from defport_kg.access.catalog import MARKING, RELEASABLE_TO
from defport_kg.api.app import create_app
from defport_kg.auth import AuditLog
from defport_kg.namespaces import CATALOG_GRAPH
from defport_kg.settings import Settings
from defport_kg.store import EmbeddedStore
from tests.conftest import PREFIXES, run_cli

ORG_A = "https://w3id.org/defport/id/org/partner-a"
DATA = (
    PREFIXES
    + """o:secret-works a dp:Organisation ; rdfs:label "Secret Works (fictional)"@en ;
  dp:country c:NL .
"""
)


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("markings")
    run_cli("init", store=folder / "store", check=True)
    return folder


def _catalogue(store: Path, graph: str) -> dict[str, set[str]]:
    with EmbeddedStore.open(store) as handle:
        values: dict[str, set[str]] = {}
        for q in handle.raw.quads_for_pattern(ox.NamedNode(graph), None, None, ox.NamedNode(CATALOG_GRAPH)):
            values.setdefault(q.predicate.value, set()).add(q.object.value)
        return values


def _import_graph(output: str) -> str:
    for word in output.split():
        if "/id/import/" in word:
            return word.strip(".,:()<>")
    raise AssertionError(f"no import graph in: {output}")


def test_an_import_records_its_marking_and_organisations(store_dir: Path) -> None:
    data = store_dir / "secret.ttl"
    data.write_text(DATA)
    store = store_dir / "store"
    result = run_cli(
        "import", str(data), "--marking", "restricted", "--releasable-to", "dpid:org/partner-a", "--json", store=store
    )
    assert result.returncode == 0, result.stderr
    import json

    graph = json.loads(result.stdout)["graph"]
    record = _catalogue(store, graph)
    assert record[MARKING] == {"restricted"}
    assert record[RELEASABLE_TO] == {ORG_A}


def test_an_import_without_marking_gets_the_default_recorded(store_dir: Path) -> None:
    data = store_dir / "plain.ttl"
    data.write_text(DATA.replace("secret-works", "plain-works"))
    result = run_cli("import", str(data), "--json", store=store_dir / "store")
    assert result.returncode == 0, result.stderr
    import json

    graph = json.loads(result.stdout)["graph"]
    assert _catalogue(store_dir / "store", graph)[MARKING] == {"defport"}


def test_an_unknown_marking_is_refused_with_the_levels_named(store_dir: Path) -> None:
    data = store_dir / "odd.ttl"
    data.write_text(DATA.replace("secret-works", "odd-works"))
    before = run_cli("query", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", store=store_dir / "store", check=True)
    result = run_cli("import", str(data), "--marking", "top-secret", store=store_dir / "store")
    assert result.returncode == 2
    assert "top-secret" in result.stderr and "public, defport, restricted" in result.stderr
    after = run_cli("query", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", store=store_dir / "store", check=True)
    assert before.stdout == after.stdout


def test_keys_carry_a_clearance_that_decides_what_they_read(store_dir: Path) -> None:
    store = store_dir / "store"
    made = run_cli("keys", "add", "partner b", "--clearance", "restricted", "--org", "dpid:org/partner-b", store=store)
    assert made.returncode == 0, made.stderr
    assert "clearance restricted" in made.stdout
    token_b = made.stdout.strip().splitlines()[-1]
    made_a = run_cli("keys", "add", "partner a", "--clearance", "restricted", "--org", ORG_A, store=store, check=True)
    token_a = made_a.stdout.strip().splitlines()[-1]
    made_c = run_cli("keys", "add", "promoted", "--clearance", "defport", store=store, check=True)
    token_c = made_c.stdout.strip().splitlines()[-1]
    changed = run_cli("keys", "clearance", "promoted", "restricted", "--org", ORG_A, store=store)
    assert changed.returncode == 0, changed.stderr
    assert "now has clearance restricted" in changed.stdout
    listed = run_cli("keys", "list", store=store, check=True)
    assert "organisations: https://w3id.org/defport/id/org/partner-b" in listed.stdout
    with EmbeddedStore.open(store) as handle:
        assert any("clearance" in (e.detail or "") for e in AuditLog(handle).events())  # audited

    query = {"query": "ASK { <https://w3id.org/defport/id/org/secret-works> ?p ?o }"}
    settings = Settings(anonymous_clearance="public", default_key_clearance="defport")
    with EmbeddedStore.open(store) as handle, TestClient(create_app(handle, settings)) as client:
        accept = {"Accept": "application/sparql-results+json"}

        def sees(token: str | None) -> bool:
            headers = {**accept, **({"Authorization": f"Bearer {token}"} if token else {})}
            return client.get("/sparql", params=query, headers=headers).json()["boolean"]

        assert [sees(None), sees(token_b), sees(token_a), sees(token_c)] == [False, False, True, True]
        as_b = client.get("/sparql", params=query, headers={**accept, "Authorization": f"Bearer {token_b}"})
        assert (
            as_b.headers["x-defport-clearance"]
            == "restricted; organisations: https://w3id.org/defport/id/org/partner-b"
        )
        as_a = client.get("/sparql", params=query, headers={**accept, "Authorization": f"Bearer {token_a}"})
        assert as_a.headers["x-defport-marking"].startswith("restricted")


def test_a_clearance_outside_the_scheme_is_refused(store_dir: Path) -> None:
    result = run_cli("keys", "add", "odd", "--clearance", "cosmic", store=store_dir / "store")
    assert result.returncode == 2
    assert "cosmic" in result.stderr and "public, defport, restricted" in result.stderr
