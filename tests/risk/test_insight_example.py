"""The insight analyses on the example base, against the answers designed in data/example/SCENARIOS.md."""

from __future__ import annotations

import pytest

from defport_kg.namespaces import DP
from defport_kg.risk import (
    EvidenceFilter,
    build_report,
    explain,
    export_control,
    load_network,
    raw_materials,
    save_findings,
    saved_analyses,
    sovereignty,
    spof,
    sustainment,
    to_html,
    to_markdown,
)
from defport_kg.store import EmbeddedStore

ITEM = "https://w3id.org/defport/id/item/"
ORG = "https://w3id.org/defport/id/org/"
CTRY = "https://w3id.org/defport/id/country/"


@pytest.fixture(scope="module")
def network(example_store_readonly: EmbeddedStore):
    return load_network(example_store_readonly)


def test_country_spofs_per_system(network) -> None:
    body = {s.system: {c.rsplit("/", 1)[-1] for c in s.country_spofs} for s in sovereignty(network).systems}
    assert body[ITEM + "ex-naval-radar"] == {"CH", "CN", "NL"}
    assert body[ITEM + "ex-patrol-vessel"] == {"CH", "CN", "FR", "GB", "NL"}
    assert body[ITEM + "ex-155mm-round"] == {"DE", "JP", "NL"}
    assert body[ITEM + "ex-thermal-sight"] == {"CN", "FR", "NL", "US"}


def test_shares_grow_with_the_region_and_control_is_never_more_sovereign(network) -> None:
    for s in sovereignty(network).systems:
        assert 0 < s.by_location["NL"] <= s.by_location["EU"] <= 1
        assert s.by_location["NL"] <= s.by_location["NATO"] <= 1
        assert s.by_control["NL"] <= s.by_location["NL"]  # no foreign company is Dutch-controlled here


def test_foreign_controlled_dutch_organisations(network) -> None:
    found = {f.organisation: f.control_country for f in sovereignty(network).foreign_controlled}
    assert found == {
        ORG + "ex-nl-munitions": CTRY + "NO",
        ORG + "ex-nl-optronics": CTRY + "FR",
        ORG + "ex-nl-comms": CTRY + "US",
        ORG + "ex-nl-drives": CTRY + "CN",
        ORG + "ex-nl-holding": CTRY + "CN",
    }


def test_export_control_with_and_without_alternative(network) -> None:
    report = {s.system: s for s in export_control(network).systems}
    itar_stops = {s for s, r in report.items() if DP + "ITAR" in r.stopped_by}
    assert itar_stops == {ITEM + "ex-thermal-sight"}
    dual_use = {s for s, r in report.items() if DP + "EUDualUse" in r.stopped_by}
    assert dual_use == {
        ITEM + f"ex-{n}"
        for n in ("naval-radar", "patrol-vessel", "armoured-vehicle", "tactical-radio", "thermal-sight")
    }
    assert not any(DP + "EAR" in r.stopped_by for r in report.values())
    vehicle = {i.item: i.avoidable for i in report[ITEM + "ex-armoured-vehicle"].items}
    assert vehicle[ITEM + "ex-gun-stabiliser"] is True
    radar = {i.item: i.avoidable for i in report[ITEM + "ex-naval-radar"].items}
    assert radar[ITEM + "ex-fpga-us"] is True


def test_raw_materials_per_system(network) -> None:
    report = {s.system: s for s in raw_materials(network).systems}
    counts = {s.rsplit("/ex-", 1)[-1]: len(r.materials) for s, r in report.items()}
    assert counts == {
        "155mm-round": 8,
        "naval-radar": 10,
        "tactical-radio": 10,
        "thermal-sight": 12,
        "patrol-vessel": 19,
        "armoured-vehicle": 22,
    }
    niobium = next(m for m in report[ITEM + "ex-armoured-vehicle"].materials if m.material == ITEM + "crm-niobium")
    assert niobium.spof_suppliers == (ORG + "ex-br-niobium",) and niobium.spof_countries == (CTRY + "BR",)
    for system in ("naval-radar", "patrol-vessel", "armoured-vehicle", "tactical-radio"):
        gallium = next(m for m in report[ITEM + f"ex-{system}"].materials if m.material == ITEM + "crm-gallium")
        assert gallium.critical
    tungsten = [m for r in report.values() for m in r.materials if m.material == ITEM + "crm-tungsten"]
    assert tungsten and not any(m.critical for m in tungsten)


def test_sustainment_gap_of_the_fuze_chip(network) -> None:
    entries = {(e.unit, e.system): e for e in sustainment(network).entries}
    chip = entries[(ORG + "ex-jp-mems", ITEM + "ex-155mm-round")]
    assert (chip.time_to_survive_days, chip.time_to_recover_days, chip.gap_days) == (75.0, 365.0, 290.0)
    shaft = entries[(ORG + "ex-gb-marine", ITEM + "ex-patrol-vessel")]
    assert (shaft.time_to_survive_days, shaft.time_to_recover_days, shaft.exposed) == (90.0, 60.0, False)
    cooling = entries[(ORG + "ex-nl-cooling", ITEM + "ex-naval-radar")]
    assert cooling.time_to_recover_days is None and cooling.exposed is None
    assert cooling.to_dict()["recovery_known"] is False


def test_explanation_paths_and_tiers(network) -> None:
    why = explain(network, ORG + "ex-ch-semis", ITEM + "ex-naval-radar")
    assert why.tier == 3 and why.stops_system
    items = {tuple(s.item.rsplit("/ex-", 1)[-1] for s in path) for path in why.paths}
    assert items == {
        ("naval-radar", "radar-signal-cabinet", "proc-board-a", "adc-chip"),
        ("naval-radar", "radar-signal-cabinet", "proc-board-b", "adc-chip"),
    }
    assert all(p[-1].relation == "https://w3id.org/defport/id/supply/ex-adc-chip--ch-semis" for p in why.paths)
    assert why.evidence["assumed_relations"] == 1  # the ADC relation is dp:Assumed
    assert explain(network, ORG + "ex-nl-radar", ITEM + "ex-naval-radar").tier == 0
    assert explain(network, ORG + "ex-fr-fpga", ITEM + "ex-tactical-radio").tier == 2
    assert explain(network, ORG + "ex-fr-fpga", ITEM + "ex-patrol-vessel").tier == 3


def test_expired_evidence_as_of_2026(network) -> None:
    before = {s.unit: set(s.systems) for s in spof(network).spofs}
    after = {s.unit: set(s.systems) for s in spof(EvidenceFilter.of("2026-01-01").apply(network)).spofs}
    assert after[ORG + "ex-nl-power"] == {ITEM + "ex-naval-radar", ITEM + "ex-patrol-vessel"}
    assert ORG + "ex-nl-power" not in before
    assert {k: v for k, v in after.items() if k != ORG + "ex-nl-power"} == before


def test_report_is_self_contained(network) -> None:
    report = build_report(network, [ITEM + "ex-naval-radar"])
    page = to_html(report)
    assert "<svg" in page and "org-spof" in page and "<script" not in page
    stripped = page.replace("http://www.w3.org/2000/svg", "")
    assert "src=" not in stripped and "href=" not in stripped and "@import" not in stripped
    assert "| NL |" in to_markdown(report)


def test_saved_findings_are_live_data(example_store: EmbeddedStore) -> None:
    network = load_network(example_store)
    body = sustainment(network).to_dict()
    saved = save_findings(example_store, "sustainment", body, {"as_of": "2026-01-01", "min_confidence": None})
    assert saved["graph"] in example_store.live_graphs()
    rows = example_store.select(
        """PREFIX dp: <https://w3id.org/defport/ontology#> PREFIX prov: <http://www.w3.org/ns/prov#>
        SELECT ?gap ?asOf WHERE { ?f a dp:Finding ; dp:aboutUnit <https://w3id.org/defport/id/org/ex-jp-mems> ;
        dp:gapDays ?gap ; prov:wasGeneratedBy ?run . ?run dp:asOf ?asOf ; prov:used ?g }"""
    )
    assert rows and rows[0]["gap"] == 290.0 and rows[0]["asOf"] == "2026-01-01"
    listed = saved_analyses(example_store)
    assert [a["graph"] for a in listed] == [saved["graph"]] and listed[0]["findings"] == len(body["entries"])
