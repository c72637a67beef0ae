"""The core commands through the real `defport-kg` process: output and exit statuses (CONTRACT §4)."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT, run_cli

ORG_TTL = """@prefix dp: <https://w3id.org/defport/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<https://w3id.org/defport/id/org/test-co> a dp:Company ;
  rdfs:label "Test Company (fictional)"@en ;
  dp:country <https://w3id.org/defport/id/country/DE> .
"""


@pytest.fixture
def store_dir(_reference_store_dir: Path, tmp_path: Path) -> Path:
    import shutil

    target = tmp_path / "store"
    shutil.copytree(_reference_store_dir, target)
    return target


def test_version() -> None:
    result = run_cli("--version")
    assert result.returncode == 0
    assert result.stdout.startswith("defport-kg ")


def test_init_creates_a_queryable_store(tmp_path: Path) -> None:
    result = run_cli("init", store=tmp_path / "s")
    assert result.returncode == 0, result.stderr
    assert "Loaded" in result.stdout and "triples" in result.stdout
    again = run_cli("init", store=tmp_path / "s")
    assert again.returncode == 0 and "up to date" in again.stdout
    count = run_cli(
        "query", "SELECT (COUNT(*) AS ?n) WHERE { ?p dp:partnerOf ?platform }", "--format", "csv", store=tmp_path / "s"
    )
    assert count.returncode == 0, count.stderr
    assert count.stdout.splitlines()[1].strip() == "9"


def test_store_option_defaults_to_the_environment(store_dir: Path) -> None:
    result = run_cli("query", "ASK { ?s ?p ?o }", "--format", "json", env={"DEFPORT_KG_STORE": str(store_dir)})
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["boolean"] is True


def test_query_formats(store_dir: Path) -> None:
    query = "SELECT ?c WHERE { ?c dp:isoCode 'NL' }"
    as_json = json.loads(run_cli("query", query, "--format", "json", store=store_dir).stdout)
    assert as_json["head"]["vars"] == ["c"]
    assert as_json["results"]["bindings"][0]["c"]["value"] == "https://w3id.org/defport/id/country/NL"
    as_tsv = run_cli("query", query, "--format", "tsv", store=store_dir).stdout.splitlines()
    assert as_tsv == ["?c", "<https://w3id.org/defport/id/country/NL>"]
    as_table = run_cli("query", query, store=store_dir).stdout
    assert "dpid:country/NL" in as_table and "1 row(s)" in as_table
    construct = run_cli(
        "query", "CONSTRUCT { ?c a dp:Country } WHERE { ?c dp:isoCode 'NL' }", "--format", "turtle", store=store_dir
    )
    assert "dp:Country" in construct.stdout


def test_query_from_a_file(store_dir: Path, tmp_path: Path) -> None:
    path = tmp_path / "q.rq"
    path.write_text("SELECT (COUNT(?c) AS ?n) WHERE { ?c a dp:Country }")
    result = run_cli("query", str(path), "--format", "csv", store=store_dir)
    assert result.returncode == 0 and int(result.stdout.splitlines()[1]) >= 249


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("SELECT ?x WHERE { ?x ", "does not parse"),
        ("INSERT DATA { <http://e/a> <http://e/b> <http://e/c> }", "updates are refused"),
        ("no-such-named-query", "unknown named query"),
    ],
)
def test_bad_queries_exit_2_with_a_message(store_dir: Path, query: str, message: str) -> None:
    result = run_cli("query", query, store=store_dir)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_import_then_find(store_dir: Path, tmp_path: Path) -> None:
    data = tmp_path / "org.ttl"
    data.write_text(ORG_TTL)
    result = run_cli("import", str(data), store=store_dir)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Committed import" in result.stdout
    found = run_cli("find", "test company", "--json", store=store_dir)
    assert json.loads(found.stdout)[0]["iri"] == "https://w3id.org/defport/id/org/test-co"


def test_import_dry_run_stores_nothing(store_dir: Path, tmp_path: Path) -> None:
    data = tmp_path / "org.ttl"
    data.write_text(ORG_TTL)
    result = run_cli("import", str(data), "--dry-run", store=store_dir)
    assert result.returncode == 0 and "Dry run" in result.stdout
    found = run_cli("find", "test company", "--json", store=store_dir)
    assert json.loads(found.stdout) == []


def test_import_with_violations_exits_1_and_stores_nothing(store_dir: Path, tmp_path: Path) -> None:
    data = tmp_path / "bad.ttl"
    # An organisation without dp:country breaks the minimal valid organisation (CONTRACT §2).
    data.write_text(ORG_TTL.replace(" ;\n  dp:country <https://w3id.org/defport/id/country/DE> .", " ."))
    before = run_cli("query", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "--format", "csv", store=store_dir)
    result = run_cli("import", str(data), store=store_dir)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "test-co" in result.stdout
    after = run_cli("query", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "--format", "csv", store=store_dir)
    assert before.stdout == after.stdout


def test_unreadable_input_exits_2_naming_file_and_line(store_dir: Path, tmp_path: Path) -> None:
    good = tmp_path / "good.ttl"
    good.write_text(ORG_TTL)
    bad = tmp_path / "bad.ttl"
    bad.write_text('<http://e/a> <http://e/b> "open .\n')
    result = run_cli("import", str(good), str(bad), store=store_dir)
    assert result.returncode == 2
    assert f"{bad}:1:" in result.stderr
    found = run_cli("find", "test company", "--json", store=store_dir)
    assert json.loads(found.stdout) == [], "one bad file must stop the whole batch"


def test_validate_exit_statuses(store_dir: Path, tmp_path: Path) -> None:
    good = tmp_path / "good.ttl"
    good.write_text(ORG_TTL)
    assert run_cli("validate", str(good), store=store_dir).returncode == 0
    bad = tmp_path / "bad.ttl"
    bad.write_text(ORG_TTL.replace("a dp:Company", "a dp:Company ; dp:share 7"))
    result = run_cli("validate", str(bad), "--format", "json", store=store_dir)
    assert result.returncode == 1
    assert json.loads(result.stdout)["conforms"] is False
    assert run_cli("validate", str(tmp_path / "missing.ttl"), store=store_dir).returncode == 2


def test_missing_store_exits_2(tmp_path: Path) -> None:
    result = run_cli("query", "ASK {}", store=tmp_path / "none")
    assert result.returncode == 2
    assert "defport-kg init" in result.stderr


def test_bad_option_exits_2() -> None:
    assert run_cli("query", "--format").returncode == 2
    assert run_cli("no-such-command").returncode == 2


def test_check_and_backup_restore(store_dir: Path, tmp_path: Path) -> None:
    assert run_cli("check", store=store_dir).stdout.strip().endswith("ok")
    assert run_cli("backup", str(tmp_path / "b"), store=store_dir).returncode == 0
    assert run_cli("backup", str(tmp_path / "b"), store=store_dir).returncode == 2
    restored = tmp_path / "restored"
    assert run_cli("restore", str(tmp_path / "b"), store=restored).returncode == 0
    assert run_cli("check", store=restored).returncode == 0


def test_a_held_store_exits_3_naming_the_holder(store_dir: Path) -> None:
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "defport_kg", "serve", "--store", str(store_dir), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        cwd=ROOT,
    )
    try:
        deadline = time.time() + 60
        while time.time() < deadline and not (store_dir / "holder.json").exists():
            time.sleep(0.1)
        result = run_cli("query", "ASK {}", store=store_dir)
        assert result.returncode == 3
        assert f"`defport-kg serve` (pid {server.pid})" in result.stderr
        assert "Traceback" not in result.stderr
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=30)


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_every_command_has_help() -> None:
    for command in ("init", "import", "validate", "query", "find", "serve", "backup", "restore", "check"):
        result = run_cli(command, "--help")
        assert result.returncode == 0, command
        assert "--store" in result.stdout, command


def test_named_query_with_a_parameter(_example_store_dir: Path, tmp_path: Path) -> None:
    import shutil

    store = tmp_path / "store"
    shutil.copytree(_example_store_dir, store)
    listing = run_cli("query", "--list", store=store)
    assert "organisations-by-country" in listing.stdout
    nl = run_cli(
        "query", "organisations-by-country", "--param", "country=dpid:country/NL", "--format", "json", store=store
    )
    assert nl.returncode == 0, nl.stderr
    nl_rows = json.loads(nl.stdout)["results"]["bindings"]
    ch = run_cli(
        "query",
        "organisations-by-country",
        "-p",
        "country=https://w3id.org/defport/id/country/CH",
        "--format",
        "json",
        store=store,
    )
    ch_rows = json.loads(ch.stdout)["results"]["bindings"]
    assert nl_rows and ch_rows
    assert {r["organisation"]["value"] for r in nl_rows}.isdisjoint({r["organisation"]["value"] for r in ch_rows})
    bad = run_cli("query", "organisations-by-country", "--param", "nonsense", store=store)
    assert bad.returncode == 2 and "NAME=VALUE" in bad.stderr
