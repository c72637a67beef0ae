"""`defport-kg risk sovereignty|export-control|raw-materials|sustainment|explain|report` (in process)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from defport_kg.bootstrap import initialise
from defport_kg.cli import app
from defport_kg.store import EmbeddedStore

runner = CliRunner()


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("insight-cli") / "store"
    store = EmbeddedStore.open(path, create=True)
    initialise(store, example=True)
    store.close()
    return path


def invoke(store_dir: Path, *args: str):
    return runner.invoke(app, ["risk", *args, "--store", str(store_dir)])


@pytest.mark.parametrize("command", ["sovereignty", "export-control", "raw-materials", "sustainment"])
def test_tables_and_json(store_dir: Path, command: str) -> None:
    assert invoke(store_dir, command).exit_code == 0
    result = invoke(store_dir, command, "--json", "--as-of", "2026-01-01", "--min-confidence", "inferred")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["evidence_filter"]["as_of"] == "2026-01-01"


def test_explain(store_dir: Path) -> None:
    result = invoke(store_dir, "explain", "dpid:org/ex-jp-mems", "dpid:item/ex-155mm-round", "--json")
    assert result.exit_code == 0 and json.loads(result.output)["stops_system"] is True
    assert invoke(store_dir, "explain", "dpid:org/nope", "dpid:item/ex-155mm-round").exit_code == 2


def test_bad_evidence_options_exit_2(store_dir: Path) -> None:
    assert invoke(store_dir, "sovereignty", "--min-confidence", "sure").exit_code == 2
    assert invoke(store_dir, "sustainment", "--as-of", "2026-13-01").exit_code == 2


def test_save_and_report(store_dir: Path, tmp_path: Path) -> None:
    result = invoke(store_dir, "raw-materials", "--save", "--json")
    assert result.exit_code == 0, result.output
    graph = json.loads(result.output)["saved"]["graph"]
    assert graph.startswith("https://w3id.org/defport/id/analysis/")
    html, md = tmp_path / "r.html", tmp_path / "r.md"
    result = invoke(
        store_dir, "report", "--html", str(html), "--markdown", str(md), "--system", "dpid:item/ex-155mm-round"
    )
    assert result.exit_code == 0, result.output
    assert "<svg" in html.read_text() and "Sustainment" in md.read_text()
    assert invoke(store_dir, "report").exit_code == 2


def test_sovereignty_by_control(store_dir: Path) -> None:
    result = invoke(store_dir, "sovereignty", "--by", "control", "--system", "dpid:item/ex-155mm-round", "--json")
    assert result.exit_code == 0, result.output
    body = json.loads(result.output)
    [round_] = body["systems"]
    assert body["bases"] == ["control"] and "country_spofs" not in round_
    assert [c.rsplit("/", 1)[-1] for c in round_["country_spofs_by_control"]] == ["DE", "JP", "NL", "NO"]
    wide = {"COLUMNS": "250"}  # rich wraps cells to the terminal width
    args = ["risk", "sovereignty", "--system", "dpid:item/ex-155mm-round", "--store", str(store_dir)]
    table = runner.invoke(app, args, env=wide)
    assert table.exit_code == 0 and "country SPOFs (location)" in table.output and "DE JP NL NO" in table.output
    bad = invoke(store_dir, "sovereignty", "--by", "owner")
    assert bad.exit_code == 2 and "owner" in bad.output
