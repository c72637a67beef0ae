"""The scale-up answers data/example/SCENARIOS.md promises for the fictional example base."""

from __future__ import annotations

import pytest

from defport_kg.risk import load_network
from defport_kg.risk.model import SupplyNetwork
from defport_kg.scale import disruption, max_output, needs_vs_capabilities, surge
from defport_kg.store import EmbeddedStore

ITEM = "https://w3id.org/defport/id/item/ex-"
ORG = "https://w3id.org/defport/id/org/ex-"
SUPPLY = "https://w3id.org/defport/id/supply/ex-"
CAP = "https://w3id.org/defport/id/capability/"
ROUND = ITEM + "155mm-round"


@pytest.fixture(scope="module")
def network(example_store_readonly: EmbeddedStore) -> SupplyNetwork:
    return load_network(example_store_readonly)


def test_shell_forging_is_the_bottleneck_of_the_round(network: SupplyNetwork) -> None:
    report = max_output(network, [ROUND])
    assert report.output == {ROUND: 1100.0}
    assert report.level == pytest.approx(1100 / 1500)
    assert {b.relation: b.shadow_price for b in report.bottlenecks} == {
        SUPPLY + "projectile-body--nl-forge": pytest.approx(1 / 1500),
        SUPPLY + "projectile-body--pl-forge": pytest.approx(1 / 1500),
    }
    assert max_output(network, [ROUND], [ORG + "pl-forge"]).output == {ROUND: 600.0}


def test_all_six_systems_together_are_held_by_the_round(network: SupplyNetwork) -> None:
    report = max_output(network, list(network.systems))
    assert len(report.systems) == 6
    assert report.level == pytest.approx(1100 / 1500)
    assert {b.relation for b in report.bottlenecks} == {
        SUPPLY + "projectile-body--nl-forge",
        SUPPLY + "projectile-body--pl-forge",
    }


@pytest.mark.parametrize(
    ("system", "output", "bottleneck", "price"),
    [
        ("naval-radar", 1.7375, "ferrite-core--de-passives", 0.125),
        ("patrol-vessel", 0.33, "shaft-line--gb-marine", 2.0),
        ("armoured-vehicle", 5.333333, "gear-set--de-gears", 0.0416666667),
        ("thermal-sight", 62.0, "sight-electronics--nl-boards", 0.025),
        ("tactical-radio", 270.0, "crypto-asic--nl-semis", 0.005),
    ],
)
def test_other_systems_alone(network: SupplyNetwork, system: str, output: float, bottleneck: str, price: float) -> None:
    report = max_output(network, [ITEM + system])
    assert report.output == {ITEM + system: pytest.approx(output)}
    assert {b.relation: b.shadow_price for b in report.bottlenecks}[SUPPLY + bottleneck] == pytest.approx(price)


def test_mems_chip_failure_outlasts_the_stock(network: SupplyNetwork) -> None:
    report = disruption(network, [ROUND], [ORG + "jp-mems"])
    assert report.time_to_survive_days == pytest.approx(75.0)  # 10 + 20 + 30 + 15 stock days
    assert report.stock_path_days == {ROUND: 75.0}
    assert report.time_to_recover_days == 365.0
    assert report.exposed is True


def test_surge_of_the_round_raises_the_forges(network: SupplyNetwork) -> None:
    report = surge(network, [ROUND], 1.0)
    assert report.added_total == pytest.approx(400.0)  # 1500 - 1100 projectile bodies
    assert {i.item for i in report.increases} == {ITEM + "projectile-body"}


def test_needs_gaps_and_projects(example_store_readonly: EmbeddedStore) -> None:
    report = needs_vs_capabilities(example_store_readonly)
    gaps = {n.capability.removeprefix(CAP): (n.gap, n.projects) for n in report.gaps}
    assert gaps["space"] == (
        "no Dutch provider",
        ("https://w3id.org/defport/id/project/ex-space-situational-awareness",),
    )
    assert gaps["guided-weapons"][0] == "no Dutch provider"
    assert gaps["cyber"][0] == "one Dutch provider"
    assert gaps["land-vehicles"][0] == "one Dutch provider"
    assert len(report.capabilities) == 11
