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


def test_country_spofs_by_control(network) -> None:
    """Hand-checked (SCENARIOS.md, "foreign control"): the round's prime nl-munitions is controlled by
    no-defence, so Norway can stop the round by control; NL still can through nl-fuze, the only fuze
    maker. The sight's prime nl-optronics — also the only maker of its IR camera core and proximity
    electronics, the Dutch relations that made NL a location SPOF — is controlled by fr-optronique,
    so by control NL no longer stops the sight (France already did). nl-drives (Chinese-controlled)
    adds nothing: China already stops the vehicle through gallium. The radio keeps NL through the
    Dutch crypto module and ASIC, whose makers have no foreign parent."""
    body = {
        s.system.rsplit("/ex-", 1)[-1]: sorted(c.rsplit("/", 1)[-1] for c in s.country_spofs_by_control)
        for s in sovereignty(network).systems
    }
    assert body == {
        "naval-radar": ["CH", "CN", "NL"],
        "patrol-vessel": ["CH", "CN", "FR", "GB", "NL"],
        "armoured-vehicle": ["BR", "CN", "FR", "NL"],
        "155mm-round": ["DE", "JP", "NL", "NO"],
        "thermal-sight": ["CN", "FR", "US"],
        "tactical-radio": ["CN", "FR", "NL"],
    }


def test_control_spof_reasons_by_direct_failure(network) -> None:
    """The reasons above, checked by failing the relations of one control country outright."""
    from defport_kg.risk.index import skeleton
    from defport_kg.risk.propagation import propagate_relations
    from defport_kg.risk.sovereignty import relation_countries

    skel = skeleton(network)

    def stopped(basis: str, country: str) -> set[str]:
        countries = relation_countries(network, basis)
        direct = [r for r, iri in enumerate(skel.rel_iris) if countries[iri] == CTRY + country]
        out = propagate_relations(skel, direct).unavailable
        return {skel.items[v].rsplit("/ex-", 1)[-1] for v in range(len(skel.items)) if out[v]}

    assert "thermal-sight" in stopped("location", "NL") and "thermal-sight" not in stopped("control", "NL")
    assert {"155mm-round", "fuze"} <= stopped("control", "NL") and "propellant-charge" not in stopped("control", "NL")
    assert "155mm-round" in stopped("control", "NO") and "155mm-round" not in stopped("location", "NO")


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


def test_saved_export_control_regimes_and_control_spofs_are_data(example_store: EmbeddedStore) -> None:
    """The regime of an export-control finding and the basis of a country SPOF are properties that
    SPARQL can filter on, not only words in a comment."""
    from defport_kg.risk.findings import saved_findings

    network = load_network(example_store)
    save_findings(example_store, "export-control", export_control(network).to_dict())
    save_findings(example_store, "sovereignty", sovereignty(network).to_dict())
    prefixes = """PREFIX dp: <https://w3id.org/defport/ontology#> PREFIX dpid: <https://w3id.org/defport/id/>"""
    itar = example_store.select(
        prefixes
        + """ SELECT ?item ?stops WHERE { ?f dp:findingKind "export-control" ; dp:aboutRegime dp:ITAR ;
        dp:aboutSystem <https://w3id.org/defport/id/item/ex-thermal-sight> ;
        dp:aboutItem ?item ; dp:stopsSystem ?stops }"""
    )
    assert {(r["item"].rsplit("/ex-", 1)[-1], r["stops"]) for r in itar} == {("ir-detector", True)}
    regimes = example_store.select(
        prefixes
        + """ SELECT ?system WHERE { ?f dp:findingKind "export-control-regime" ; dp:aboutRegime dp:ITAR ;
        dp:stopsSystem true ; dp:aboutSystem ?system }"""
    )
    assert [r["system"] for r in regimes] == [ITEM + "ex-thermal-sight"]
    norway = example_store.select(
        prefixes
        + """ SELECT ?system ?basis WHERE { ?f dp:findingKind "country-spof" ;
        dp:aboutUnit <https://w3id.org/defport/id/country/NO> ; dp:aboutSystem ?system ; dp:basis ?basis }"""
    )
    assert norway == [{"system": ITEM + "ex-155mm-round", "basis": "control"}]
    [run] = [a for a in saved_analyses(example_store) if a["kind"] == "export-control"]
    back = saved_findings(example_store, run["id"])
    detector = [f for f in back["findings"] if f["about_items"] == [ITEM + "ex-ir-detector"]]
    assert detector and all(f["about_regimes"] == [DP + "ITAR"] for f in detector)
