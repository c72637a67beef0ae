"""The shipped reference data (data/reference/) checked against its sources.

Counts and memberships are asserted against the source lists themselves (the TSV copies in
data/build/sources/, pycountry, and the EU/NATO member lists written out here), so that an
edit to the data that drifts from its source fails here. The rule for provenance: every subject
with an rdf:type carries its own dcterms:source.
"""

from __future__ import annotations

import csv
import subprocess
import sys
from collections import Counter
from functools import cache
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, SKOS

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "data" / "reference"
BUILD = ROOT / "data" / "build"
SOURCES = BUILD / "sources"
SHARED_REFERENCE = ROOT.parent / "shared" / "reference"

DP = Namespace("https://w3id.org/defport/ontology#")
DPID = "https://w3id.org/defport/id/"
SCHEMA = Namespace("https://schema.org/")

REFERENCE_FILES = ("partners", "countries", "fsg", "crm", "capabilities")
GENERATED_FILES = ("countries", "fsg", "crm")

# The member lists as published (europa.eu "EU countries"; nato.int "Member countries"), 2026.
EU_27 = frozenset({
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU",
    "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
})  # fmt: skip
NATO_32 = frozenset({
    "AL", "BE", "BG", "CA", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GB", "GR", "HR", "HU", "IS",
    "IT", "LT", "LU", "LV", "ME", "MK", "NL", "NO", "PL", "PT", "RO", "SE", "SI", "SK", "TR", "US",
})  # fmt: skip


def iri(path: str) -> URIRef:
    return URIRef(DPID + path)


@cache
def graph(name: str) -> Graph:
    return Graph().parse(REFERENCE / f"{name}.ttl", format="turtle")


def read_tsv(name: str) -> list[dict[str, str]]:
    with (SOURCES / name).open(encoding="utf-8", newline="") as handle:
        return [{k: v.strip() for k, v in row.items()} for row in csv.DictReader(handle, delimiter="\t")]


def labels(g: Graph, subject: URIRef, predicate: URIRef = RDFS.label) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for value in g.objects(subject, predicate):
        assert isinstance(value, Literal), f"{subject} {predicate} {value!r} is not a literal"
        found.setdefault(value.language or "", []).append(str(value))
    return found


def has_en_nl(g: Graph, subject: URIRef, predicate: URIRef = RDFS.label) -> bool:
    found = labels(g, subject, predicate)
    return len(found.get("en", [])) == 1 and len(found.get("nl", [])) == 1


def members_of(alliance: str) -> set[str]:
    g = graph("countries")
    return {str(c).rsplit("/", 1)[1] for c in g.subjects(DP.memberOf, iri(f"alliance/{alliance}"))}


# --- every file ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", REFERENCE_FILES)
def test_file_parses_and_is_not_empty(name: str) -> None:
    assert len(graph(name)) > 0


@pytest.mark.parametrize("name", REFERENCE_FILES)
def test_every_typed_subject_has_its_own_source(name: str) -> None:
    g = graph(name)
    missing = sorted(str(s) for s in set(g.subjects(RDF.type, None)) if (s, DCTERMS.source, None) not in g)
    assert not missing, f"{name}.ttl: typed subjects without dcterms:source: {missing[:10]}"


@pytest.mark.parametrize("name", REFERENCE_FILES)
def test_every_typed_subject_has_a_label_and_at_most_one_per_language(name: str) -> None:
    g = graph(name)
    for subject in set(g.subjects(RDF.type, None)):
        found = labels(g, subject)
        assert found, f"{subject} has no rdfs:label"
        assert all(len(v) == 1 for v in found.values()), f"{subject} has two rdfs:labels in one language: {found}"
        assert "en" in found, f"{subject} has no English label"


@pytest.mark.parametrize("name", REFERENCE_FILES)
def test_instances_use_defport_iris(name: str) -> None:
    """No blank nodes and no subject outside dpid: — reference data must be linkable."""
    for subject in set(graph(name).subjects()):
        assert isinstance(subject, URIRef) and str(subject).startswith(DPID), subject


# --- countries and alliances ---------------------------------------------------------------------


def test_countries_are_the_249_iso_3166_1_countries() -> None:
    g = graph("countries")
    countries = set(g.subjects(RDF.type, DP.Country))
    assert len(countries) == 249
    codes = set()
    for country in countries:
        code = str(country).rsplit("/", 1)[1]
        assert str(country) == DPID + f"country/{code}"
        assert [str(v) for v in g.objects(country, DP.isoCode)] == [code]
        assert len(code) == 2 and code.isascii() and code.isupper()
        assert has_en_nl(g, country), f"{country} needs exactly one English and one Dutch label"
        codes.add(code)
    pycountry = pytest.importorskip("pycountry")
    assert codes == {c.alpha_2 for c in pycountry.countries}


def test_country_names_come_from_pycountry_and_its_dutch_catalogue() -> None:
    pycountry = pytest.importorskip("pycountry")
    import gettext

    dutch = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["nl"])
    g = graph("countries")
    for country in pycountry.countries:
        found = labels(g, iri(f"country/{country.alpha_2}"))
        assert found["en"] == [country.name]
        assert found["nl"] == [dutch.gettext(country.name)]
    assert labels(g, iri("country/NL"))["nl"] == ["Nederland"]
    assert labels(g, iri("country/DE"))["nl"] == ["Duitsland"]


@pytest.mark.parametrize(
    ("alliance", "expected", "nl_label"),
    [("EU", EU_27, "Europese Unie"), ("NATO", NATO_32, "Noord-Atlantische Verdragsorganisatie")],
)
def test_alliance_members_match_the_published_lists(alliance: str, expected: frozenset[str], nl_label: str) -> None:
    g = graph("countries")
    node = iri(f"alliance/{alliance}")
    assert (node, RDF.type, DP.Alliance) in g
    assert labels(g, node)["nl"] == [nl_label]
    assert members_of(alliance) == expected
    assert len(expected) == {"EU": 27, "NATO": 32}[alliance]


def test_nato_includes_the_newest_allies_and_not_the_neutral_states() -> None:
    nato = members_of("NATO")
    assert {"SE", "FI", "NL", "US", "TR"} <= nato
    assert not {"AT", "IE", "CH", "MT", "CY", "UA", "GE", "RU"} & nato


def test_eu_excludes_non_members() -> None:
    eu = members_of("EU")
    assert not {"GB", "NO", "CH", "IS", "TR", "UA", "US"} & eu
    assert "NL" in eu and "NL" in members_of("NATO")


def test_membership_nodes_mirror_member_of() -> None:
    g = graph("countries")
    from_nodes = {
        (g.value(node, DP.memberCountry), g.value(node, DP.alliance)) for node in g.subjects(RDF.type, DP.Membership)
    }
    from_links = set(g.subject_objects(DP.memberOf))
    assert from_nodes == from_links
    assert len(from_nodes) == 27 + 32


def test_nato_accession_dates() -> None:
    g = graph("countries")

    def since(code: str) -> str | None:
        value = g.value(iri(f"alliance/NATO/member/{code}"), DP.memberSince)
        return None if value is None else str(value)

    assert since("SE") == "2024-03-07"
    assert since("FI") == "2023-04-04"
    assert since("MK") == "2020-03-27"
    assert since("ES") == "1982-05-30"
    dated = [n for n in g.subjects(RDF.type, DP.Membership) if (n, DP.memberSince, None) in g]
    assert all(str(n).startswith(DPID + "alliance/NATO/") for n in dated)
    assert len(dated) == 32 - 12 - 1  # founders and Germany carry a note instead of a day
    for node in dated:
        assert g.value(node, DP.memberSince).datatype == URIRef("http://www.w3.org/2001/XMLSchema#date")


# --- NATO supply groups --------------------------------------------------------------------------


def test_fsg_concepts_match_the_tsv() -> None:
    rows = read_tsv("nato-supply-groups.tsv")
    g = graph("fsg")
    scheme = iri("fsg/scheme")
    assert (scheme, RDF.type, SKOS.ConceptScheme) in g
    concepts = set(g.subjects(RDF.type, SKOS.Concept))
    assert len(concepts) == len(rows) == 78
    for row in rows:
        concept = iri(f"fsg/{row['fsg']}")
        assert concept in concepts
        assert [str(v) for v in g.objects(concept, SKOS.notation)] == [row["fsg"]]
        assert labels(g, concept, SKOS.prefLabel) == {"en": [row["title"]]}
        assert (concept, SKOS.inScheme, scheme) in g
        assert (scheme, SKOS.hasTopConcept, concept) in g
        assert [str(v) for v in g.objects(concept, DCTERMS.source)] == [row["source"]]


# --- critical raw materials ----------------------------------------------------------------------


def test_crm_lists_match_the_tsv() -> None:
    rows = read_tsv("eu-critical-raw-materials-2024.tsv")
    g = graph("crm")
    for list_name, cls, prefix, count in [
        ("critical", DP.CriticalRawMaterial, "crm-", 34),
        ("strategic", DP.StrategicRawMaterial, "srm-", 17),
    ]:
        subjects = set(g.subjects(RDF.type, cls))
        assert len(subjects) == count
        assert all(str(s).startswith(DPID + "item/" + prefix) for s in subjects)
        names = sorted(labels(g, s)["en"][0] for s in subjects)
        assert names == sorted(r["name"] for r in rows if r["list"] == list_name)
        sources = {str(v) for s in subjects for v in g.objects(s, DCTERMS.source)}
        assert sources == {r["source"] for r in rows if r["list"] == list_name}
    # critical and strategic entries are distinct items: nothing dropped, nothing merged
    assert not set(g.subjects(RDF.type, DP.CriticalRawMaterial)) & set(g.subjects(RDF.type, DP.StrategicRawMaterial))


def test_every_strategic_material_is_a_grade_of_critical_ones() -> None:
    g = graph("crm")
    critical = set(g.subjects(RDF.type, DP.CriticalRawMaterial))
    for strategic in g.subjects(RDF.type, DP.StrategicRawMaterial):
        targets = set(g.objects(strategic, DP.gradeOf))
        assert targets, f"{strategic} has no dp:gradeOf"
        assert targets <= critical, f"{strategic} is a grade of something not on the critical list"
    assert (s := set(g.subjects(DP.gradeOf, None))) == set(g.subjects(RDF.type, DP.StrategicRawMaterial)), s


@pytest.mark.parametrize(
    ("strategic", "critical"),
    [
        (
            "srm-rare-earth-elements-for-permanent-magnets",
            {"crm-heavy-rare-earth-elements", "crm-light-rare-earth-elements"},
        ),
        ("srm-lithium-battery-grade", {"crm-lithium"}),
        ("srm-magnesium-metal", {"crm-magnesium"}),
        ("srm-copper", {"crm-copper"}),
        ("srm-boron-metallurgy-grade", {"crm-boron"}),
        ("srm-graphite-battery-grade", {"crm-graphite"}),
        ("srm-nickel-battery-grade", {"crm-nickel-battery-grade"}),
    ],
)
def test_grade_of_links(strategic: str, critical: set[str]) -> None:
    g = graph("crm")
    assert set(g.objects(iri(f"item/{strategic}"), DP.gradeOf)) == {iri(f"item/{c}") for c in critical}


# --- Defport and its partners --------------------------------------------------------------------

PARTNERS = {
    "ministerie-van-defensie": DP.GovernmentBody,
    "ministerie-van-economische-zaken": DP.GovernmentBody,
    "nidv": DP.IndustryAssociation,
    "vno-ncw": DP.IndustryAssociation,
    "fme": DP.IndustryAssociation,
    "nvb": DP.IndustryAssociation,
    "tno": DP.KnowledgeInstitute,
    "nlr": DP.KnowledgeInstitute,
    "marin": DP.KnowledgeInstitute,
}
ANNOUNCEMENT = (
    "Rijksoverheid / Ministerie van Defensie, 'Defport moet zorgen voor snellere productie van militair "
    "materieel in Nederland', March 2025"
)


def test_defport_platform() -> None:
    g = graph("partners")
    platform = iri("platform/defport")
    assert (platform, RDF.type, DP.Platform) in g
    assert has_en_nl(g, platform)
    assert Literal(ANNOUNCEMENT) in set(g.objects(platform, DCTERMS.source))


def test_nine_partners_with_their_types() -> None:
    g = graph("partners")
    partners = {str(s).rsplit("/", 1)[1] for s in g.subjects(DP.partnerOf, iri("platform/defport"))}
    assert partners == set(PARTNERS)
    for slug, cls in PARTNERS.items():
        org = iri(f"org/{slug}")
        assert set(g.objects(org, RDF.type)) == {cls}
        assert has_en_nl(g, org), slug
        assert has_en_nl(g, org, DP.contribution), slug
        assert list(g.objects(org, DP.country)) == [iri("country/NL")]
        assert Literal(ANNOUNCEMENT) in set(g.objects(org, DCTERMS.source)), slug


def test_partners_carry_no_unsourced_identifiers() -> None:
    """Identifiers only with a public source: none are shipped yet, so none may appear."""
    g = graph("partners")
    for prop in ("kvkNumber", "lei", "rsin", "eori", "ncage"):
        assert not list(g.subject_objects(DP[prop])), prop


# --- capability taxonomy -------------------------------------------------------------------------

REQUIRED_CAPABILITIES = {
    "radar", "naval-shipbuilding", "land-vehicles", "munitions-and-energetics", "optronics",
    "c4isr-electronics", "aerospace-structures", "mro", "cyber", "space", "propulsion",
    "precision-machining", "electronics-manufacturing", "composites", "simulation-and-training",
    "logistics", "unmanned-aerial-systems", "communications",
}  # fmt: skip


def test_capability_taxonomy_has_two_levels() -> None:
    g = graph("capabilities")
    scheme = iri("capability/scheme")
    assert (scheme, RDF.type, SKOS.ConceptScheme) in g
    concepts = set(g.subjects(RDF.type, DP.Capability))
    assert concepts == set(g.subjects(RDF.type, SKOS.Concept))
    assert 30 <= len(concepts) <= 45
    tops = {c for c in concepts if (c, SKOS.broader, None) not in g}
    assert tops == set(g.objects(scheme, SKOS.hasTopConcept))
    for concept in concepts:
        assert (concept, SKOS.inScheme, scheme) in g
        broader = list(g.objects(concept, SKOS.broader))
        if concept in tops:
            assert (concept, SKOS.topConceptOf, scheme) in g
            assert list(g.objects(concept, SKOS.narrower)), f"{concept} is a top concept without narrower ones"
        else:
            assert len(broader) == 1 and broader[0] in tops, f"{concept} must sit directly under one top concept"
            assert (broader[0], SKOS.narrower, concept) in g
    assert set(g.subject_objects(SKOS.narrower)) == {(b, n) for n, b in g.subject_objects(SKOS.broader)}


def test_capabilities_are_bilingual_with_definitions() -> None:
    g = graph("capabilities")
    for concept in g.subjects(RDF.type, DP.Capability):
        for predicate in (RDFS.label, SKOS.prefLabel, SKOS.definition):
            assert has_en_nl(g, concept, predicate), f"{concept} {predicate}"
    pref = Counter((str(v), v.language) for v in g.objects(None, SKOS.prefLabel))
    assert all(n == 1 for n in pref.values()), "two capabilities share a preferred label"


def test_capability_taxonomy_covers_the_industrial_base() -> None:
    g = graph("capabilities")
    slugs = {str(c).rsplit("/", 1)[1] for c in g.subjects(RDF.type, DP.Capability)}
    assert slugs >= REQUIRED_CAPABILITIES, REQUIRED_CAPABILITIES - slugs


# --- sources and regeneration --------------------------------------------------------------------


@pytest.mark.parametrize("name", ["nato-supply-groups.tsv", "eu-critical-raw-materials-2024.tsv"])
def test_source_copies_match_the_shared_lists(name: str) -> None:
    shared = SHARED_REFERENCE / name
    if not shared.exists():
        pytest.skip("the shared reference lists are not next to this checkout")
    assert (SOURCES / name).read_bytes() == shared.read_bytes()


def test_build_scripts_regenerate_identical_files(tmp_path: Path) -> None:
    pytest.importorskip("pycountry")
    result = subprocess.run(
        [sys.executable, str(BUILD / "build_all.py"), "--out-dir", str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=tmp_path,  # the scripts must not depend on the working directory
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    for name in GENERATED_FILES:
        rebuilt = (tmp_path / f"{name}.ttl").read_bytes()
        assert rebuilt == (REFERENCE / f"{name}.ttl").read_bytes(), (
            f"data/reference/{name}.ttl differs from what data/build/build_{name}.py makes: run `make data`"
        )


def test_data_readme_lists_every_file_and_marks_the_example_fictional() -> None:
    readme = (ROOT / "data" / "README.md").read_text(encoding="utf-8")
    for path in sorted(REFERENCE.glob("*.ttl")):
        assert f"reference/{path.name}" in readme, path.name
    assert "FICTIONAL" in readme
