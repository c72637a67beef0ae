"""The analyses on the fictional example base give the answers designed into it
(data/example/SCENARIOS.md)."""

from __future__ import annotations

import pytest

from defport_kg.risk import SupplyNetwork, cut_sets, impact, load_network, single_sources, spof
from defport_kg.store import EmbeddedStore

D = "https://w3id.org/defport/id/"
SYSTEMS = {
    "radar": "naval-radar",
    "vessel": "patrol-vessel",
    "vehicle": "armoured-vehicle",
    "round": "155mm-round",
    "sight": "thermal-sight",
    "radio": "tactical-radio",
}
ORGANISATION_SPOFS = {
    "naval-radar": {"ch-semis", "nl-composites", "nl-cooling", "nl-radar"},
    "patrol-vessel": {
        "ch-semis",
        "fr-fpga",
        "gb-marine",
        "nl-composites",
        "nl-cooling",
        "nl-crypto",
        "nl-radar",
        "nl-semis",
        "nl-shipyard",
    },
    "armoured-vehicle": {"br-niobium", "fr-fpga", "nl-batteries", "nl-crypto", "nl-semis", "nl-vehicles"},
    "155mm-round": {"de-fuze", "jp-mems", "nl-fuze", "nl-munitions"},
    "thermal-sight": {"fr-fpga", "nl-optronics"},
    "tactical-radio": {"fr-fpga", "nl-crypto", "nl-semis"},
}
SITE_SPOFS = {
    "naval-radar": {"radar-works"},
    "patrol-vessel": {"radar-works", "shipyard"},
    "armoured-vehicle": {"vehicle-plant"},
    "155mm-round": {"energetics-park", "fuze-works", "munitions-plant"},
    "thermal-sight": {"optronics-plant"},
    "tactical-radio": set(),
}
COUNTRY_SPOFS = {
    "naval-radar": {"CH", "CN", "NL"},
    "patrol-vessel": {"CH", "CN", "FR", "GB", "NL"},
    "armoured-vehicle": {"BR", "CN", "FR", "NL"},
    "155mm-round": {"DE", "JP", "NL"},
    "thermal-sight": {"CN", "FR", "NL", "US"},
    "tactical-radio": {"CN", "FR", "NL"},
}
PAIRS = {  # number of minimal cut sets of order 2
    "organisation": {"radar": 44, "vessel": 93, "vehicle": 83, "round": 24, "sight": 26, "radio": 27},
    "site": {"radar": 0, "vessel": 2, "vehicle": 2, "round": 1, "sight": 0, "radio": 1},
    "country": {"radar": 12, "vessel": 25, "vehicle": 23, "round": 7, "sight": 6, "radio": 6},
}


@pytest.fixture(scope="module")
def network(example_store_readonly: EmbeddedStore) -> SupplyNetwork:
    return load_network(example_store_readonly)


def _name(iri: str, prefix: str) -> str:
    tail = iri.removeprefix(D + prefix)
    return tail.removeprefix("ex-")


@pytest.mark.parametrize(
    ("unit", "expected", "prefix"),
    [
        ("organisation", ORGANISATION_SPOFS, "org/"),
        ("site", SITE_SPOFS, "site/"),
        ("country", COUNTRY_SPOFS, "country/"),
    ],
)
def test_single_points_of_failure(network: SupplyNetwork, unit: str, expected, prefix: str) -> None:
    found: dict[str, set[str]] = {system: set() for system in expected}
    for entry in spof(network, unit).spofs:
        for system in entry.systems:
            found[_name(system, "item/")].add(_name(entry.unit, prefix))
    assert found == expected


@pytest.mark.parametrize("unit", ["organisation", "site", "country"])
def test_number_of_failure_pairs(network: SupplyNetwork, unit: str) -> None:
    for short, system in SYSTEMS.items():
        report = cut_sets(network, f"{D}item/ex-{system}", 2, unit)
        assert sum(1 for c in report.cut_sets if c.order == 2) == PAIRS[unit][short], (unit, short)


def test_hidden_shared_sub_supplier_and_site_pairs(network: SupplyNetwork) -> None:
    radar = cut_sets(network, D + "item/ex-naval-radar", 2)
    assert (D + "org/ex-fr-signal", D + "org/ex-nl-signal") in [c.members for c in radar.cut_sets]
    round_sites = cut_sets(network, D + "item/ex-155mm-round", 2, "site")
    assert [c.members for c in round_sites.cut_sets if c.order == 2] == [
        (D + "site/ex-forge-nl", D + "site/ex-forge-pl")
    ]
    assert radar.data_gaps == (D + "item/ex-coolant-glycol",)


def test_single_sources_and_a_cycle_that_stays_available(network: SupplyNetwork) -> None:
    assert len(single_sources(network)) == 21
    assert impact(network, [D + "org/ex-se-bearings"]).items == ()
