"""The steward's commands from the real command line, with their exit statuses (CONTRACT §4):
import/validate 0 conforms, 1 violations, 2 unreadable input or usage, 3 store held elsewhere."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pyoxigraph as ox
import pytest

from defport_kg.imports import list_imports
from defport_kg.store import EmbeddedStore
from tests.conftest import ROOT, run_cli
from tests.imports.conftest import BATCH, TEMPLATE_CSVS, write


@pytest.fixture
def store_dir(_reference_store_dir: Path, tmp_path: Path) -> Path:
    target = tmp_path / "store"
    shutil.copytree(_reference_store_dir, target)
    return target


@cache
def _steward(command: str) -> list[str]:
    """`defport-kg template`/`upgrade` at the top level once registered there; `imports ...` always."""
    top = run_cli("--help").stdout
    return [command] if f" {command} " in top else ["imports", command]


def _ghost(folder: Path) -> Path:
    return write(
        folder,
        "ghost.ttl",
        BATCH.read_text().split("\n\n")[0] + "\n\n"
        "dpid:supply\\/ghost a dp:SupplyRelation ; dp:supplier dpid:org\\/nobody ; dp:item dpid:item\\/x .\n",
    )


def test_import_commits_and_lists(store_dir: Path) -> None:
    done = run_cli("import", str(BATCH), store=store_dir)
    assert done.returncode == 0, done.stderr
    assert "Committed import" in done.stdout
    listed = run_cli("imports", "list", "--json", store=store_dir, check=True)
    [record] = json.loads(listed.stdout)
    assert record["status"] == "live" and record["sources"] == ["batch.ttl"] and record["triples"] == 19
    shown = run_cli("imports", "show", record["id"], store=store_dir, check=True)
    assert "sha256" in shown.stdout and record["id"] in shown.stdout
    assert run_cli("imports", "check", store=store_dir).returncode == 0
    assert run_cli("check", store=store_dir).returncode == 0


def test_import_with_violations_exits_1_and_stores_nothing(store_dir: Path, tmp_path: Path) -> None:
    failed = run_cli("import", str(_ghost(tmp_path)), store=store_dir)
    assert failed.returncode == 1
    assert "Violation" in failed.stdout and "ghost.ttl:" in failed.stdout
    assert "nothing was stored" in failed.stderr
    assert json.loads(run_cli("imports", "list", "--json", store=store_dir).stdout) == []
    as_json = run_cli("import", str(_ghost(tmp_path)), "--json", store=store_dir)
    assert as_json.returncode == 1 and json.loads(as_json.stdout)["conforms"] is False


def test_unreadable_input_exits_2_with_its_position(store_dir: Path, tmp_path: Path) -> None:
    bad = write(tmp_path, "bad.ttl", "<http://a> <http://b> .\n")
    failed = run_cli("import", str(bad), store=store_dir)
    assert failed.returncode == 2 and "bad.ttl:1" in failed.stderr and "Traceback" not in failed.stderr
    failed = run_cli("import", str(tmp_path / "missing.ttl"), store=store_dir)
    assert failed.returncode == 2 and "no such file" in failed.stderr
    wrong = write(tmp_path, "supply.csv", "supplier,item,share\nacme,prism,lots\n")
    failed = run_cli("import", str(wrong), store=store_dir)
    assert failed.returncode == 2 and "supply.csv row 2, column share (C2)" in failed.stderr


def test_dry_run_and_validate_store_nothing(store_dir: Path, tmp_path: Path) -> None:
    dry = run_cli("import", "--dry-run", str(BATCH), store=store_dir)
    assert dry.returncode == 0 and "Dry run" in dry.stdout
    assert run_cli("validate", str(BATCH), store=store_dir).returncode == 0
    for fmt, marker in (("json", '"conforms": false'), ("turtle", "ValidationReport"), ("csv", "severity,focus_node")):
        out = run_cli("validate", str(_ghost(tmp_path)), "--format", fmt, store=store_dir)
        assert out.returncode == 1 and marker in out.stdout, out.stdout
    assert run_cli("validate", str(tmp_path / "nope.ttl"), store=store_dir).returncode == 2
    assert run_cli("validate", str(BATCH), "--format", "yaml", store=store_dir).returncode == 2
    assert json.loads(run_cli("imports", "list", "--json", store=store_dir).stdout) == []


def test_templates_written_by_the_command_import(store_dir: Path, tmp_path: Path) -> None:
    written = run_cli(*_steward("template"), "--xlsx", str(tmp_path / "t.xlsx"), "--csv", str(tmp_path / "csv"))
    assert written.returncode == 0, written.stderr
    assert (tmp_path / "t.xlsx").is_file() and len(list((tmp_path / "csv").glob("*.csv"))) == 5
    # An untouched template holds nothing to import.
    assert run_cli("import", str(tmp_path / "t.xlsx"), store=store_dir).returncode == 2
    files = [str(write(tmp_path / "filled", name, text)) for name, text in TEMPLATE_CSVS.items()]
    done = run_cli("import", *files, store=store_dir)
    assert done.returncode == 0, done.stdout + done.stderr
    assert run_cli(*_steward("template"), store=store_dir).returncode == 2  # says where to write


def test_replace_rollback_and_diff(store_dir: Path, tmp_path: Path) -> None:
    first = write(tmp_path / "1", "suppliers.ttl", BATCH.read_text())
    second = write(tmp_path / "2", "suppliers.ttl", BATCH.read_text().replace("dp:share 0.6", "dp:share 0.4"))
    run_cli("import", str(first), store=store_dir, check=True)
    replaced = run_cli("import", "--replace", "suppliers.ttl", str(second), store=store_dir, check=True)
    assert "Superseded" in replaced.stdout
    ids = [r["id"] for r in json.loads(run_cli("imports", "list", "--json", store=store_dir).stdout)]
    shown = run_cli("imports", "diff", ids[0], ids[1], store=store_dir, check=True).stdout
    added = '+ <https://w3id.org/defport/id/supply/acme-optics--prism> <https://w3id.org/defport/ontology#share> "0.4"'
    assert added in shown
    assert "1 added, 1 removed" in shown
    assert run_cli("imports", "rollback", ids[0], store=store_dir).returncode == 2  # superseded, not live
    rolled = run_cli("imports", "rollback", ids[1], "--json", store=store_dir, check=True)
    answer = json.loads(rolled.stdout)
    assert {k: answer[k] for k in ("rolled_back", "reactivated")} == {"rolled_back": ids[1], "reactivated": [ids[0]]}
    assert answer["report"]["conforms"] is True  # the reactivated version was validated again
    statuses = {r["id"]: r["status"] for r in json.loads(run_cli("imports", "list", "--json", store=store_dir).stdout)}
    assert statuses == {ids[0]: "live", ids[1]: "rolled back"}
    assert run_cli("imports", "show", "no-such-id", store=store_dir).returncode == 2
    assert run_cli("import", "--replace", "other.ttl", str(first), store=store_dir).returncode == 2
    assert run_cli("check", store=store_dir).returncode == 0


@pytest.fixture
def held_store(store_dir: Path) -> Iterator[Path]:
    """The store held open by another process, as a running `serve` holds it."""
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys\nfrom defport_kg.store import EmbeddedStore\n"
            f"s = EmbeddedStore.open({str(store_dir)!r}, command='defport-kg serve')\nprint('ready', flush=True)\n"
            "sys.stdin.read()",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
    try:
        yield store_dir
    finally:
        holder.communicate("", timeout=30)


def test_a_held_store_exits_3(held_store: Path) -> None:
    for args in (("import", str(BATCH)), ("validate", str(BATCH)), ("imports", "list")):
        failed = run_cli(*args, store=held_store)
        assert failed.returncode == 3, (args, failed.stderr)
        assert "held by" in failed.stderr and "Traceback" not in failed.stderr


def test_upgrade_reloads_changed_graphs_and_reports_what_the_shapes_reject(store_dir: Path) -> None:
    store = EmbeddedStore.open(store_dir)
    ontology = "https://w3id.org/defport/id/graph/ontology"
    # An older ontology version: one statement fewer (in its graph and in the live data).
    store.raw.update(
        f"DELETE WHERE {{ GRAPH <{ontology}> {{ <https://w3id.org/defport/ontology#Company> "
        f"<http://www.w3.org/2000/01/rdf-schema#label> ?l }} }} ;"
        # the live data: the store's default graph
        "DELETE WHERE { <https://w3id.org/defport/ontology#Company> <http://www.w3.org/2000/01/rdf-schema#label> ?l }"
    )
    # Data that an older, laxer shapes version let in (no country): the new shapes reject it.
    old = "https://w3id.org/defport/id/import/old-version"
    lax = list(
        ox.parse(
            b"<https://w3id.org/defport/id/org/lax> a <https://w3id.org/defport/ontology#Company> ;"
            b' <http://www.w3.org/2000/01/rdf-schema#label> "Lax" .',
            format=ox.RdfFormat.TURTLE,
        )
    )
    store.add_source_graph(old, lax, role="import", label="old.ttl")
    live_before = store.triple_count()
    store.close()

    upgraded = run_cli(*_steward("upgrade"), "--json", store=store_dir)
    assert upgraded.returncode == 1, upgraded.stderr
    result = json.loads(upgraded.stdout)
    actions = {g["graph"]: g["action"] for g in result["graphs"]}
    assert actions[ontology] == "replaced"
    assert all(a == "unchanged" for g, a in actions.items() if g != ontology)
    assert any(r["focus_node"] == "https://w3id.org/defport/id/org/lax" for r in result["report"]["results"])

    store = EmbeddedStore.open(store_dir)
    try:
        assert store.ask(
            "ASK { <https://w3id.org/defport/ontology#Company> <http://www.w3.org/2000/01/rdf-schema#label> ?l }"
        )
        assert store.triple_count() > live_before  # the label is back; the rejected data is still there
        assert store.ask("ASK { <https://w3id.org/defport/id/org/lax> ?p ?o }")
        assert store.check() == []
    finally:
        store.close()
    again = run_cli(*_steward("upgrade"), "--json", store=store_dir)
    assert all(g["action"] == "unchanged" for g in json.loads(again.stdout)["graphs"])


def test_check_finds_a_damaged_store(store_dir: Path) -> None:
    run_cli("import", str(BATCH), store=store_dir, check=True)
    store = EmbeddedStore.open(store_dir)
    [record] = list_imports(store)
    label = "<http://www.w3.org/2000/01/rdf-schema#label>"
    store.raw.update(f"DELETE WHERE {{ GRAPH <{record.graph}> {{ ?s {label} ?l }} }}")
    store.close()
    assert run_cli("check", store=store_dir).returncode == 1
    checked = run_cli("imports", "check", "--json", store=store_dir)
    assert checked.returncode == 1
    assert any("records 19 triples but its graph holds" in p for p in json.loads(checked.stdout)["problems"])
