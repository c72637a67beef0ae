"""`defport-kg scale ...` through the real command: JSON, tables and exit statuses (CONTRACT §4)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from defport_kg.cli import app
from defport_kg.store import EmbeddedStore
from tests.conftest import run_cli
from tests.scale.helpers import item, load, org, rel
from tests.scale.test_needs import NEEDS

S, C = item("s"), item("c")
DATA = """
i:s a dp:System ; rdfs:label "Test system (fictional)"@en ; dp:monthlyDemand 5 ; dp:stockDays 10 ;
    dp:realises <https://w3id.org/defport/id/capability/radar> .
i:c a dp:Component ; rdfs:label "Test component"@en ; dp:stockDays 20 .
i:z a dp:System ; dp:monthlyDemand 0 .
[] a dp:ComponentUse ; dp:assembly i:s ; dp:component i:c ; dp:quantity 2 .
s:rs a dp:SupplyRelation ; dp:supplier o:a ; dp:item i:s ; dp:monthlyCapacity 10 .
s:rc a dp:SupplyRelation ; dp:supplier o:b ; dp:item i:c ; dp:monthlyCapacity 4 ; dp:recoveryDays 60 .
s:rc2 a dp:SupplyRelation ; dp:supplier o:d ; dp:item i:c ; dp:site site:x ; dp:recoveryDays 90 .
site:x a dp:Site ; dp:country c:FR .
o:a a dp:Company ; rdfs:label "Assembler (fictional)"@en ; dp:country c:NL .
o:b a dp:Company ; dp:country c:DE .
o:d a dp:Company ; dp:country c:NL .
"""


@pytest.fixture
def store_dir(tmp_path: Path) -> Path:
    path = tmp_path / "store"
    store = EmbeddedStore.open(path, create=True)
    load(store, DATA)
    load(store, NEEDS)
    store.close()
    return path


def _run(store_dir: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["scale", *args, "--store", str(store_dir)])
    return result.exit_code, result.stdout, result.stderr


def test_max_output_json_through_the_real_process(store_dir: Path) -> None:
    result = run_cli("scale", "max-output", "dpid:item/s", "--fail", "dpid:org/d", "--json", store=store_dir)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["systems"] == [S]
    assert data["failed"] == [org("d")]
    assert data["unbounded"] is False
    assert data["output"] == {S: 2.0}
    assert data["bottlenecks"][0]["relation"] == rel("rc")
    assert data["bottlenecks"][0]["shadow_price"] == 0.1


def test_unknown_system_exits_2_naming_it(store_dir: Path) -> None:
    result = run_cli("scale", "max-output", "dpid:item/nope", store=store_dir)
    assert result.returncode == 2
    assert "item/nope" in result.stderr
    assert "Traceback" not in result.stderr


def test_zero_demand_exits_2_naming_the_system(store_dir: Path) -> None:
    code, _, err = _run(store_dir, "max-output", "dpid:item/s", "dpid:item/z")
    assert code == 2
    assert "item/z" in err and "monthlyDemand" in err


def test_unknown_unit_and_bad_kind_exit_2(store_dir: Path) -> None:
    code, _, err = _run(store_dir, "max-output", "dpid:item/s", "--fail", "dpid:org/ghost")
    assert code == 2 and "org/ghost" in err
    code, _, err = _run(store_dir, "max-output", "dpid:item/s", "--fail", "dpid:org/a", "--unit", "planet")
    assert code == 2 and "planet" in err


def test_max_output_table(store_dir: Path) -> None:
    code, out, _ = _run(store_dir, "max-output", "dpid:item/s")
    assert code == 0
    assert "Test system (fictional)" in out
    assert "Output: 2 x demand" in out  # rc2 has no capacity → s itself binds at 10 = 2 x 5
    assert "Bottlenecks" in out and "dpid:supply/rs" in out


def test_site_and_country_failures(store_dir: Path) -> None:
    code, out, _ = _run(store_dir, "max-output", "dpid:item/s", "--fail", "dpid:site/x", "--unit", "site", "--json")
    assert code == 0 and json.loads(out)["output"] == {S: 2.0}
    code, out, _ = _run(
        store_dir, "max-output", "dpid:item/s", "--fail", "dpid:country/FR", "--unit", "country", "--json"
    )
    assert code == 0 and json.loads(out)["output"] == {S: 2.0}


def test_surge_table_and_json(store_dir: Path) -> None:
    code, out, _ = _run(store_dir, "surge", "dpid:item/s", "--target", "2", "--fail", "dpid:org/d", "--json")
    assert code == 0
    assert json.loads(out)["added_total"] == 16.0
    code, out, _ = _run(store_dir, "surge", "dpid:item/s", "--target", "3")
    assert code == 0 and "add 5 units/month" in out


def test_disruption_table(store_dir: Path) -> None:
    code, out, _ = _run(store_dir, "disruption", "dpid:item/s", "--fail", "dpid:org/d")
    assert code == 0
    assert "Time to survive (LP, stock + remaining capacity): 50 days" in out
    code, out, _ = _run(
        store_dir, "disruption", "dpid:item/s", "--fail", "dpid:org/b", "--fail", "dpid:org/d", "--json"
    )
    data = json.loads(out)
    assert data["time_to_survive_days"] == 30.0
    assert data["time_to_recover_days"] == 90.0 and data["exposed"] is True


def test_needs_table_csv_json_and_svg(store_dir: Path, tmp_path: Path) -> None:
    picture = tmp_path / "needs.svg"
    code, out, _ = _run(store_dir, "needs", "--svg", str(picture))
    assert code == 0
    assert "no Dutch provider" in out and picture.read_text().startswith("<svg")
    code, out, _ = _run(store_dir, "needs", "--csv")
    assert code == 0 and out.splitlines()[0].startswith("capability,label,needed_by,NL,EU,NATO,other")
    code, out, _ = _run(store_dir, "needs", "--json")
    assert code == 0 and json.loads(out)["regions"] == ["NL", "EU", "NATO", "other"]


def test_alternatives(store_dir: Path) -> None:
    code, out, _ = _run(store_dir, "alternatives", "dpid:item/s")
    assert code == 0 and "Capabilities needed: dpid:capability/radar" in out
    code, _, err = _run(store_dir, "alternatives", "dpid:item/nope")
    assert code == 2 and "item/nope" in err


def test_help_lists_every_scale_command() -> None:
    result = CliRunner().invoke(app, ["scale", "--help"])
    assert result.exit_code == 0
    for command in ("max-output", "surge", "disruption", "needs", "alternatives"):
        assert command in result.stdout
