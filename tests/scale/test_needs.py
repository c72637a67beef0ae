"""Needs versus capabilities through a real store, and its heat map."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET

import pytest

from defport_kg.scale import heatmap_svg, needs_vs_capabilities
from defport_kg.store import EmbeddedStore
from tests.scale.helpers import load, org

CAP = "https://w3id.org/defport/id/capability/"
NEEDS = f"""
@prefix cap: <{CAP}> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix al: <https://w3id.org/defport/id/alliance/> .
@prefix p: <https://w3id.org/defport/id/project/> .
c:NL dp:memberOf al:EU, al:NATO . c:DE dp:memberOf al:EU, al:NATO . c:US dp:memberOf al:NATO .
cap:radar a dp:Capability ; rdfs:label "Radar"@en, "Radar"@nl ; skos:broader cap:sensors-and-radar .
cap:sonar a dp:Capability ; rdfs:label "Sonar"@en ; skos:broader cap:sensors-and-radar .
cap:sensors-and-radar a dp:Capability ; rdfs:label "Sensors and radar"@en .
cap:munitions a dp:Capability ; rdfs:label "Munitions"@en .
o:mod a dp:GovernmentBody ; rdfs:label "Ministry of Defence (fictional)"@en ; dp:country c:NL ;
    dp:needsCapability cap:radar, cap:munitions, cap:sensors-and-radar .
o:thales a dp:Company ; rdfs:label "NL radar one"@en ; dp:country c:NL ; dp:hasCapability cap:radar .
o:nl2 a dp:Company ; rdfs:label "NL radar two"@en ; dp:country c:NL ; dp:hasCapability cap:radar .
o:de a dp:Company ; rdfs:label "DE radar"@en ; dp:country c:DE ; dp:hasCapability cap:radar, cap:munitions .
o:us a dp:Company ; rdfs:label "US munitions"@en ; dp:country c:US ; dp:hasCapability cap:munitions .
o:cn a dp:Company ; rdfs:label "Elsewhere"@en ; dp:country c:CN ; dp:hasCapability cap:munitions .
o:nosonar a dp:Company ; rdfs:label "NL sonar"@en ; dp:country c:NL ; dp:hasCapability cap:sonar .
p:ammo a dp:Project ; rdfs:label "Ammunition line (fictional)"@en ; dp:addressesCapability cap:munitions .
"""


@pytest.fixture
def needs_store(memory_store: EmbeddedStore) -> EmbeddedStore:
    load(memory_store, NEEDS)
    return memory_store


def test_providers_split_by_region_with_gaps_and_projects(needs_store: EmbeddedStore) -> None:
    report = needs_vs_capabilities(needs_store)
    by_cap = {n.capability: n for n in report.capabilities}
    assert list(by_cap) == [CAP + "munitions", CAP + "radar", CAP + "sensors-and-radar"]  # by label
    radar = by_cap[CAP + "radar"]
    assert radar.needed_by == (org("mod"),)
    assert radar.providers == {"NL": (org("nl2"), org("thales")), "EU": (org("de"),), "NATO": (), "other": ()}
    assert radar.gap is None
    munitions = by_cap[CAP + "munitions"]
    assert munitions.counts() == {"NL": 0, "EU": 1, "NATO": 1, "other": 1}
    assert munitions.gap == "no Dutch provider"
    assert munitions.projects == ("https://w3id.org/defport/id/project/ammo",)
    # A narrower capability counts for the broader need: 2 radar + 1 sonar in NL.
    assert by_cap[CAP + "sensors-and-radar"].counts()["NL"] == 3
    assert [g["capability"] for g in report.to_dict()["gaps"]] == [CAP + "munitions"]
    assert report.labels[CAP + "radar"] == "Radar"


def test_one_dutch_provider_is_a_gap(needs_store: EmbeddedStore) -> None:
    load(needs_store, f"o:ext a dp:Company ; dp:country c:NL ; dp:hasCapability <{CAP}munitions> .")
    report = needs_vs_capabilities(needs_store)
    munitions = next(n for n in report.capabilities if n.capability.endswith("munitions"))
    assert munitions.gap == "one Dutch provider"


def test_csv_has_one_row_per_capability(needs_store: EmbeddedStore) -> None:
    rows = list(csv.DictReader(io.StringIO(needs_vs_capabilities(needs_store).to_csv())))
    assert [r["capability"] for r in rows] == [CAP + "munitions", CAP + "radar", CAP + "sensors-and-radar"]
    assert rows[0]["NL"] == "0" and rows[0]["gap"] == "no Dutch provider"
    assert rows[0]["projects"] == "https://w3id.org/defport/id/project/ammo"


def test_heatmap_is_self_contained_svg(needs_store: EmbeddedStore) -> None:
    svg = heatmap_svg(needs_vs_capabilities(needs_store))
    root = ET.fromstring(svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert "href" not in svg and "<script" not in svg and "@import" not in svg
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "Munitions (1)" in texts
    assert any(t and t.startswith("no Dutch provider") for t in texts)


def test_empty_store_gives_an_empty_report_and_picture(memory_store: EmbeddedStore) -> None:
    report = needs_vs_capabilities(memory_store)
    assert report.capabilities == ()
    ET.fromstring(heatmap_svg(report))


def test_labels_with_markup_are_escaped(memory_store: EmbeddedStore) -> None:
    load(memory_store, f"""o:x dp:needsCapability <{CAP}odd> . <{CAP}odd> rdfs:label "A <b> & \\"c\\""@en .""")
    svg = heatmap_svg(needs_vs_capabilities(memory_store))
    ET.fromstring(svg)
    assert "A &lt;b&gt; &amp;" in svg
