"""`defport-kg risk ...` and `defport-kg generate` from the command line (CONTRACT §4)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from defport_kg.cli import app
from defport_kg.store import EmbeddedStore
from tests.conftest import run_cli, turtle_quads
from tests.risk.test_examples import EXAMPLE, GRAPH, c, i, o

runner = CliRunner()


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("risk-cli") / "store"
    store = EmbeddedStore.open(path, create=True)
    store.add_source_graph(GRAPH, turtle_quads(EXAMPLE), role="import")
    store.close()
    return path


def invoke(store_dir: Path, *args: str):
    return runner.invoke(app, ["risk", *args, "--store", str(store_dir)])


def test_cut_sets_json_is_the_contract_shape(store_dir: Path) -> None:
    result = invoke(store_dir, "cut-sets", "dpid:item/S", "--json")
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    assert answer["item"] == i("S") and answer["unit"] == "organisation"
    assert answer["max_order"] == 2 and answer["complete"] is True
    assert answer["cut_sets"] == [
        {"order": 1, "members": [o("P")]},
        {"order": 1, "members": [o("Z")]},
        {"order": 2, "members": [o("W"), o("X")]},
        {"order": 2, "members": [o("X"), o("Y")]},
    ]


def test_cut_sets_by_country_and_order(store_dir: Path) -> None:
    result = invoke(store_dir, "cut-sets", i("S"), "--unit", "country", "--max-order", "1", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["cut_sets"] == [{"order": 1, "members": [c("NL")]}]


def test_spof_json(store_dir: Path) -> None:
    result = invoke(store_dir, "spof", "--json")
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    assert answer["unit"] == "organisation"
    assert [(s["unit"], s["systems"]) for s in answer["spofs"]] == [(o("P"), [i("S")]), (o("Z"), [i("S")])]


@pytest.mark.parametrize(
    "args",
    [
        ["cut-sets", "dpid:item/S"],
        ["cut-sets", "dpid:item/S", "--unit", "site", "--max-order", "3"],
        ["spof", "--unit", "country"],
        ["single-source"],
        ["concentration", "--limit", "2"],
        ["impact", "dpid:org/X", "dpid:country/FR"],
    ],
)
def test_tables_for_people(store_dir: Path, args: list[str]) -> None:
    result = invoke(store_dir, *args)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip()


def test_impact_json(store_dir: Path) -> None:
    result = invoke(store_dir, "impact", o("X"), c("FR"), "--json")
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    assert answer["systems"] == [i("S")]
    assert answer["organisations_without_input"][0]["organisation"] == o("P")


def test_single_source_and_concentration_json(store_dir: Path) -> None:
    single = json.loads(invoke(store_dir, "single-source", "--json").stdout)
    assert {row["item"] for row in single["items"]} == {i("S"), i("B"), i("T")}
    rows = json.loads(invoke(store_dir, "concentration", "--json").stdout)["items"]
    assert {row["item"]: row["hhi"] for row in rows}[i("A")] == 5200.0


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["cut-sets", "dpid:item/nope"], "item/nope"),
        (["cut-sets", "dpid:item/S", "--unit", "galaxy"], "galaxy"),
        (["spof", "--unit", "galaxy"], "galaxy"),
        (["cut-sets", "dpid:item/S", "--max-order", "4"], "4"),
        (["cut-sets", "dpid:item/S", "--max-order", "0"], "0"),
        (["impact", "dpid:org/nobody"], "org/nobody"),
    ],
)
def test_bad_requests_exit_2_naming_them(store_dir: Path, args: list[str], named: str) -> None:
    result = invoke(store_dir, *args)
    assert result.exit_code == 2
    assert named in result.stderr
    assert "Traceback" not in result.output


def test_the_real_command_exits_2_on_an_unknown_item(store_dir: Path) -> None:
    result = run_cli("risk", "cut-sets", "https://w3id.org/defport/id/item/missing", store=store_dir)
    assert result.returncode == 2
    assert "item/missing" in result.stderr


def test_generate_writes_data_the_shapes_accept(tmp_path: Path, _reference_store_dir: Path) -> None:
    out = tmp_path / "syn.nt"
    result = runner.invoke(app, ["generate", "--orgs", "200", "--seed", "5", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "triples" in result.stdout
    validated = run_cli("validate", str(out), store=_reference_store_dir)
    assert validated.returncode == 0, validated.stdout[-2000:] + validated.stderr[-2000:]


def test_generate_refuses_an_unwritable_file(tmp_path: Path) -> None:
    result = runner.invoke(app, ["generate", "--orgs", "20", "--out", str(tmp_path / "no" / "x.nt")])
    assert result.exit_code == 2
    assert "x.nt" in result.stderr


def test_tables_do_not_eat_brackets_as_markup(store_dir: Path) -> None:
    result = invoke(store_dir, "impact", "dpid:org/X", "dpid:country/FR")
    assert "[organisation]" in result.stdout and "[country]" in result.stdout
