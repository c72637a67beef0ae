"""Every rule of shapes/defport.ttl, each with data that meets it and data that breaks it.

A case adds a few triples to a small clean base graph. The conforming variant must validate without
any result at all (so the base and the case are clean); the violating variant must give a result
with the expected focus node, path, severity and source shape. A last test checks that every
constraint-carrying shape of the shapes file has a case here.
"""

from __future__ import annotations

import random
import string
from dataclasses import dataclass

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SH

from defport_kg.namespaces import DP, DPSH
from defport_kg.validation import ValidationReport, load_ontology, load_shapes, validate

ID = "https://w3id.org/defport/id/"

PREFIXES = """
@prefix dp: <https://w3id.org/defport/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix country: <https://w3id.org/defport/id/country/> .
@prefix alliance: <https://w3id.org/defport/id/alliance/> .
@prefix o: <https://w3id.org/defport/id/org/> .
@prefix i: <https://w3id.org/defport/id/item/> .
@prefix s: <https://w3id.org/defport/id/supply/> .
@prefix site: <https://w3id.org/defport/id/site/> .
@prefix cap: <https://w3id.org/defport/id/capability/> .
@prefix p: <https://w3id.org/defport/id/project/> .
@prefix pf: <https://w3id.org/defport/id/platform/> .
@prefix fsg: <https://w3id.org/defport/id/fsg/> .
@prefix imp: <https://w3id.org/defport/id/import/> .
"""

# A small, clean industrial base (fictional) that every case builds on.
BASE = """
country:NL a dp:Country ; rdfs:label "Netherlands"@en , "Nederland"@nl ; dp:isoCode "NL" ;
    dp:memberOf alliance:NATO .
country:DE a dp:Country ; rdfs:label "Germany"@en , "Duitsland"@nl ; dp:isoCode "DE" .
alliance:NATO a dp:Alliance ; rdfs:label "NATO"@en , "NAVO"@nl .
pf:defport a dp:Platform ; rdfs:label "Defport"@en .
cap:radar a dp:Capability ; rdfs:label "Radar"@en , "Radar"@nl .
fsg:58 a skos:Concept ; rdfs:label "Communication, detection and coherent radiation equipment"@en .
o:acme a dp:Company ; rdfs:label "Acme Defence (fictional)"@en ; dp:country country:NL ;
    dp:kvkNumber "12345678" .
o:bolt a dp:Company ; rdfs:label "Bolt GmbH (fictional)"@en ; dp:country country:DE .
i:radar a dp:System ; rdfs:label "Radar (fictional)"@en .
s:acme-radar a dp:SupplyRelation ; dp:supplier o:acme ; dp:item i:radar .
"""


def lei_check_digits(base: str) -> str:
    """ISO 7064 MOD 97-10 check digits of an 18-character LEI base, computed in Python."""
    number = int("".join(str(int(c, 36)) for c in base + "00"))
    return f"{98 - number % 97:02d}"


def is_valid_lei(lei: str) -> bool:
    return int("".join(str(int(c, 36)) for c in lei)) % 97 == 1


VALID_LEI = "5493001KJTIIGC8Y1R12"  # a well-formed LEI: its check digits hold
OTHER_LEI = "724500VKKSH9QOLTFR" + lei_check_digits("724500VKKSH9QOLTFR")
assert is_valid_lei(VALID_LEI) and is_valid_lei(OTHER_LEI)
BAD_LEI = VALID_LEI[:-2] + ("13" if VALID_LEI[-2:] != "13" else "14")


@dataclass(frozen=True)
class Case:
    rule: str  # a shape of shapes/defport.ttl, without the dpsh: prefix
    ok: str
    bad: str
    focus: str  # a dpid IRI relative to ID, or a dp: term
    path: str | None
    severity: str = "Violation"
    name: str = ""

    @property
    def id(self) -> str:
        return f"{self.rule}{'-' + self.name if self.name else ''}"


def _iri(name: str | None) -> str | None:
    if name is None:
        return None
    if name.startswith("dp:"):
        return DP + name[3:]
    if name.startswith("rdfs:"):
        return "http://www.w3.org/2000/01/rdf-schema#" + name[5:]
    return ID + name


ORG = 'o:x a dp:Company ; rdfs:label "X (fictional)"@en ; dp:country country:DE'
ITEM = 'i:x a dp:Component ; rdfs:label "X"@en . s:x a dp:SupplyRelation ; dp:supplier o:bolt ; dp:item i:x'
REL = "s:r a dp:SupplyRelation ; dp:supplier o:bolt ; dp:item i:radar"
USE = "[] a dp:ComponentUse ; dp:assembly i:radar ; dp:component i:part"
PART = (
    'i:part a dp:Component ; rdfs:label "Part"@en . s:part a dp:SupplyRelation ; dp:supplier o:bolt ; dp:item i:part .'
)
CONTROL = "c:x a dp:Control ; dp:controlled o:acme ; dp:controller o:bolt"

CASES: list[Case] = [
    # Labels
    Case("label", f"{ORG} .", "o:x a dp:Company ; dp:country country:DE .", "org/x", "rdfs:label", name="missing"),
    Case("label", f"{ORG} .", f'{ORG} ; rdfs:label "X bis"@en .', "org/x", "rdfs:label", name="two-per-language"),
    Case(
        "labelPerLanguage",
        f'{REL} ; rdfs:label "Bolt makes radar"@en .',
        f'{REL} ; rdfs:label "a"@en , "b"@en .',
        "supply/r",
        "rdfs:label",
    ),
    # Organisations: the minimal valid organisation and identifiers
    Case(
        "Organisation-country",
        f"{ORG} .",
        'o:x a dp:Company ; rdfs:label "X"@en .',
        "org/x",
        "dp:country",
        name="missing",
    ),
    Case("Organisation-country", f"{ORG} .", f"{ORG} , country:NL .", "org/x", "dp:country", name="two"),
    Case(
        "Organisation-country",
        f"{ORG} .",
        f"{ORG.replace('country:DE', 'i:radar')} .",
        "org/x",
        "dp:country",
        name="not-a-country",
    ),
    Case(
        "Organisation-country",
        'o:x a dp:KnowledgeInstitute ; rdfs:label "X"@en ; dp:country country:DE .',
        'o:x a dp:KnowledgeInstitute ; rdfs:label "X"@en .',
        "org/x",
        "dp:country",
        name="subclass",
    ),
    Case(
        "Organisation-kvkNumber",
        f'{ORG} ; dp:kvkNumber "01234567" .',
        f'{ORG} ; dp:kvkNumber "1234567" .',
        "org/x",
        "dp:kvkNumber",
        name="seven-digits",
    ),
    Case(
        "Organisation-kvkNumber",
        f'{ORG} ; dp:kvkNumber "01234567" .',
        f"{ORG} ; dp:kvkNumber 12345670 .",
        "org/x",
        "dp:kvkNumber",
        name="integer",
    ),
    Case("Organisation-lei", f'{ORG} ; dp:lei "{VALID_LEI}" .', f'{ORG} ; dp:lei "5493001KJ" .', "org/x", "dp:lei"),
    Case("LeiCheckDigitsShape", f'{ORG} ; dp:lei "{VALID_LEI}" .', f'{ORG} ; dp:lei "{BAD_LEI}" .', "org/x", "dp:lei"),
    Case("Organisation-ncage", f'{ORG} ; dp:ncage "D1234" .', f'{ORG} ; dp:ncage "d12" .', "org/x", "dp:ncage"),
    Case("Organisation-rsin", f'{ORG} ; dp:rsin "123456782" .', f'{ORG} ; dp:rsin "12345678" .', "org/x", "dp:rsin"),
    Case("RsinElevenTestShape", f'{ORG} ; dp:rsin "123456782" .', f'{ORG} ; dp:rsin "123456789" .', "org/x", "dp:rsin"),
    Case("Organisation-eori", f'{ORG} ; dp:eori "NL123456789" .', f'{ORG} ; dp:eori "123" .', "org/x", "dp:eori"),
    Case(
        "Organisation-hasCapability",
        f"{ORG} ; dp:hasCapability cap:radar .",
        f"{ORG} ; dp:hasCapability i:radar .",
        "org/x",
        "dp:hasCapability",
    ),
    Case(
        "Organisation-needsCapability",
        f"{ORG} ; dp:needsCapability cap:radar .",
        f"{ORG} ; dp:needsCapability o:acme .",
        "org/x",
        "dp:needsCapability",
    ),
    Case(
        "Organisation-partnerOf",
        f"{ORG} ; dp:partnerOf pf:defport .",
        f"{ORG} ; dp:partnerOf o:acme .",
        "org/x",
        "dp:partnerOf",
    ),
    Case(
        "Organisation-controlledBy",
        f"{ORG} ; dp:controlledBy o:acme .",
        f"{ORG} ; dp:controlledBy i:radar .",
        "org/x",
        "dp:controlledBy",
    ),
    Case(
        "Organisation-contribution",
        f'{ORG} ; dp:contribution "Radar know-how"@en .',
        f'{ORG} ; dp:contribution "Radar know-how" .',
        "org/x",
        "dp:contribution",
    ),
    Case(
        "CompanyShape",
        f"{ORG} .",
        f"{ORG.replace('country:DE', 'country:NL')} .",
        "org/x",
        "dp:kvkNumber",
        severity="Warning",
    ),
    Case(
        "DuplicateKvkShape",
        f'{ORG} ; dp:kvkNumber "87654321" .',
        f'{ORG} ; dp:kvkNumber "12345678" .',
        "org/x",
        "dp:kvkNumber",
    ),
    Case(
        "DuplicateLeiShape",
        f'{ORG} ; dp:lei "{VALID_LEI}" . o:acme dp:lei "{OTHER_LEI}" .',
        f'{ORG} ; dp:lei "{VALID_LEI}" . o:acme dp:lei "{VALID_LEI}" .',
        "org/x",
        "dp:lei",
    ),
    # Platforms, capabilities, projects
    Case(
        "label",
        'pf:p a dp:Platform ; rdfs:label "P"@en .',
        "pf:p a dp:Platform .",
        "platform/p",
        "rdfs:label",
        name="platform",
    ),
    Case(
        "label",
        'cap:x a dp:Capability ; rdfs:label "X"@en .',
        "cap:x a dp:Capability .",
        "capability/x",
        "rdfs:label",
        name="capability",
    ),
    Case(
        "Project-addressesCapability",
        'p:x a dp:Project ; rdfs:label "X"@en ; dp:addressesCapability cap:radar .',
        'p:x a dp:Project ; rdfs:label "X"@en ; dp:addressesCapability o:acme .',
        "project/x",
        "dp:addressesCapability",
    ),
    Case(
        "Project-participant",
        'p:x a dp:Project ; rdfs:label "X"@en ; dp:participant o:acme .',
        'p:x a dp:Project ; rdfs:label "X"@en ; dp:participant cap:radar .',
        "project/x",
        "dp:participant",
    ),
    Case(
        "Project-platform",
        'p:x a dp:Project ; rdfs:label "X"@en ; dp:platform pf:defport .',
        'p:x a dp:Project ; rdfs:label "X"@en ; dp:platform o:acme .',
        "project/x",
        "dp:platform",
    ),
    # Items
    Case(
        "Item-hasComponent",
        f"{PART} i:radar dp:hasComponent i:part .",
        f"{PART} i:radar dp:hasComponent o:acme .",
        "item/radar",
        "dp:hasComponent",
    ),
    Case(
        "Item-realises", "i:radar dp:realises cap:radar .", "i:radar dp:realises o:acme .", "item/radar", "dp:realises"
    ),
    Case(
        "Item-stockDays",
        "i:radar dp:stockDays 30 .",
        "i:radar dp:stockDays -1 .",
        "item/radar",
        "dp:stockDays",
        name="negative",
    ),
    Case(
        "Item-stockDays",
        "i:radar dp:stockDays 2.5 .",
        'i:radar dp:stockDays "30" .',
        "item/radar",
        "dp:stockDays",
        name="string",
    ),
    Case(
        "Item-monthlyDemand",
        "i:radar dp:monthlyDemand 0 .",
        "i:radar dp:monthlyDemand -0.5 .",
        "item/radar",
        "dp:monthlyDemand",
    ),
    Case("Item-nsn", 'i:radar dp:nsn "5840-01-234-5678" .', 'i:radar dp:nsn "5840012345678" .', "item/radar", "dp:nsn"),
    Case(
        "Item-exportControl",
        "i:radar dp:exportControl dp:ITAR .",
        "i:radar dp:exportControl dp:Disclosed .",
        "item/radar",
        "dp:exportControl",
    ),
    Case(
        "Item-supplyGroup",
        "i:radar dp:supplyGroup fsg:58 .",
        "i:radar dp:supplyGroup o:acme .",
        "item/radar",
        "dp:supplyGroup",
    ),
    Case(
        "StrategicRawMaterial-gradeOf",
        'i:li a dp:CriticalRawMaterial ; rdfs:label "Lithium"@en . '
        'i:li-b a dp:StrategicRawMaterial ; rdfs:label "Lithium (battery grade)"@en ; '
        "dp:gradeOf i:li . s:li a dp:SupplyRelation ; dp:supplier o:bolt ; dp:item i:li . "
        "s:li-b a dp:SupplyRelation ; dp:supplier o:bolt ; dp:item i:li-b .",
        'i:li-b a dp:StrategicRawMaterial ; rdfs:label "Lithium (battery grade)"@en ; '
        "dp:gradeOf i:radar . s:li-b a dp:SupplyRelation ; dp:supplier o:bolt ; dp:item i:li-b .",
        "item/li-b",
        "dp:gradeOf",
    ),
    Case(
        "ItemDataGapShape", f"{ITEM} .", 'i:x a dp:Component ; rdfs:label "X"@en .', "item/x", None, severity="Warning"
    ),
    Case(
        "ComponentCycleShape",
        f"{PART} i:radar dp:hasComponent i:part .",
        f"{PART} i:radar dp:hasComponent i:part . i:part dp:hasComponent i:radar .",
        "item/part",
        "dp:hasComponent",
        name="hasComponent",
    ),
    Case(
        "ComponentCycleShape",
        f"{PART} {USE} ; dp:quantity 2 .",
        f"{PART} {USE} ; dp:quantity 2 . i:part dp:hasComponent i:radar .",
        "item/radar",
        "dp:hasComponent",
        name="via-ComponentUse",
    ),
    Case(
        "ComponentCycleShape",
        f"{PART} i:radar dp:hasComponent i:part .",
        "i:radar dp:hasComponent i:radar .",
        "item/radar",
        "dp:hasComponent",
        name="self",
    ),
    Case(
        "ShareSumShape",
        f"s:acme-radar dp:share 0.6 . {REL} ; dp:share 0.4 .",
        f"s:acme-radar dp:share 0.6 . {REL} ; dp:share 0.5 .",
        "item/radar",
        None,
    ),
    # Component uses
    Case(
        "ComponentUse-assembly",
        f"{PART} {USE} ; dp:quantity 1 .",
        f"{PART} [] a dp:ComponentUse ; dp:component i:part ; dp:quantity 1 .",
        None,
        "dp:assembly",
    ),
    Case(
        "ComponentUse-component",
        f"{PART} {USE} ; dp:quantity 1 .",
        f"{PART} {USE} ; dp:quantity 1 ; dp:component i:radar .",
        None,
        "dp:component",
    ),
    Case(
        "ComponentUse-quantity",
        f"{PART} {USE} ; dp:quantity 0.25 .",
        f"{PART} {USE} ; dp:quantity 0 .",
        None,
        "dp:quantity",
    ),
    Case(
        "ComponentUse-quantityGiven",
        f"{PART} {USE} ; dp:quantity 3 .",
        f"{PART} {USE} .",
        None,
        "dp:quantity",
        severity="Warning",
    ),
    # Supply relations
    Case(
        "SupplyRelation-supplierCount",
        f"{REL} .",
        "s:r a dp:SupplyRelation ; dp:item i:radar .",
        "supply/r",
        "dp:supplier",
        name="missing",
    ),
    Case(
        "SupplyRelation-supplierCount",
        f"{REL} .",
        f"{REL} ; dp:supplier o:acme .",
        "supply/r",
        "dp:supplier",
        name="two",
    ),
    Case(
        "SupplyRelation-supplierType",
        f"{REL} .",
        "s:r a dp:SupplyRelation ; dp:supplier i:radar ; dp:item i:radar .",
        "supply/r",
        "dp:supplier",
    ),
    Case(
        "SupplyRelation-itemCount", f"{REL} .", "s:r a dp:SupplyRelation ; dp:supplier o:bolt .", "supply/r", "dp:item"
    ),
    Case(
        "SupplyRelation-itemType",
        f"{REL} .",
        "s:r a dp:SupplyRelation ; dp:supplier o:bolt ; dp:item o:acme .",
        "supply/r",
        "dp:item",
    ),
    Case(
        "SupplyRelation-requiresInput",
        f"{PART} {REL} ; dp:requiresInput i:part .",
        f"{REL} ; dp:requiresInput o:acme .",
        "supply/r",
        "dp:requiresInput",
    ),
    Case(
        "SupplyRelation-site",
        f'site:b a dp:Site ; rdfs:label "Plant B"@en ; dp:operatedBy o:bolt . {REL} ; dp:site site:b .',
        f'site:b a dp:Site ; rdfs:label "Plant B"@en . {REL} ; dp:site site:b , site:c .',
        "supply/r",
        "dp:site",
    ),
    Case(
        "SupplyRelation-share",
        f"{REL} ; dp:share 1 .",
        f"{REL} ; dp:share 1.5 .",
        "supply/r",
        "dp:share",
        name="above-one",
    ),
    Case(
        "SupplyRelation-share",
        f"{REL} ; dp:share 0.0 .",
        f'{REL} ; dp:share "half" .',
        "supply/r",
        "dp:share",
        name="not-a-number",
    ),
    Case(
        "SupplyRelation-share",
        f"{REL} ; dp:share 0.5 .",
        f"{REL} ; dp:share 5.0e-1 .",
        "supply/r",
        "dp:share",
        name="double",
    ),
    Case(
        "SupplyRelation-leadTimeDays",
        f"{REL} ; dp:leadTimeDays 0 .",
        f"{REL} ; dp:leadTimeDays 2.5 .",
        "supply/r",
        "dp:leadTimeDays",
        name="decimal",
    ),
    Case(
        "SupplyRelation-leadTimeDays",
        f"{REL} ; dp:leadTimeDays 90 .",
        f"{REL} ; dp:leadTimeDays -1 .",
        "supply/r",
        "dp:leadTimeDays",
        name="negative",
    ),
    Case(
        "SupplyRelation-monthlyCapacity",
        f"{REL} ; dp:monthlyCapacity 12.5 .",
        f"{REL} ; dp:monthlyCapacity -1 .",
        "supply/r",
        "dp:monthlyCapacity",
    ),
    Case(
        "SupplyRelation-recoveryDays",
        f"{REL} ; dp:recoveryDays 30 .",
        f"{REL} ; dp:recoveryDays -30 .",
        "supply/r",
        "dp:recoveryDays",
    ),
    Case(
        "SupplyRelation-confidence",
        f"{REL} ; dp:confidence dp:Inferred .",
        f"{REL} ; dp:confidence dp:Live .",
        "supply/r",
        "dp:confidence",
    ),
    Case(
        "SupplyRelation-validFrom",
        f'{REL} ; dp:validFrom "2024-01-01"^^xsd:date .',
        f'{REL} ; dp:validFrom "2024-01-01" .',
        "supply/r",
        "dp:validFrom",
    ),
    Case(
        "SupplyRelation-validTo",
        f'{REL} ; dp:validTo "2024-01-01"^^xsd:date .',
        f"{REL} ; dp:validTo 2024 .",
        "supply/r",
        "dp:validTo",
    ),
    Case(
        "SupplyRelation-validityOrder",
        f'{REL} ; dp:validFrom "2024-01-01"^^xsd:date ; dp:validTo "2024-01-01"^^xsd:date .',
        f'{REL} ; dp:validFrom "2025-01-01"^^xsd:date ; dp:validTo "2024-12-31"^^xsd:date .',
        "supply/r",
        "dp:validFrom",
    ),
    # Sites, countries, alliances, memberships
    Case(
        "Site-country",
        'site:b a dp:Site ; rdfs:label "B"@en ; dp:country country:DE .',
        'site:b a dp:Site ; rdfs:label "B"@en ; dp:country country:DE , country:NL .',
        "site/b",
        "dp:country",
    ),
    Case(
        "Site-operatedBy",
        'site:b a dp:Site ; rdfs:label "B"@en ; dp:operatedBy o:bolt .',
        'site:b a dp:Site ; rdfs:label "B"@en ; dp:operatedBy country:DE .',
        "site/b",
        "dp:operatedBy",
    ),
    Case(
        "Site-ncage",
        'site:b a dp:Site ; rdfs:label "B"@en ; dp:ncage "C0001" .',
        'site:b a dp:Site ; rdfs:label "B"@en ; dp:ncage "C00001" .',
        "site/b",
        "dp:ncage",
    ),
    Case(
        "Country-isoCode",
        'country:FR a dp:Country ; rdfs:label "France"@en ; dp:isoCode "FR" .',
        'country:FR a dp:Country ; rdfs:label "France"@en ; dp:isoCode "fr" .',
        "country/FR",
        "dp:isoCode",
        name="lower-case",
    ),
    Case(
        "Country-isoCode",
        'country:FR a dp:Country ; rdfs:label "France"@en ; dp:isoCode "FR" .',
        'country:FR a dp:Country ; rdfs:label "France"@en .',
        "country/FR",
        "dp:isoCode",
        name="missing",
    ),
    Case(
        "Country-memberOf",
        "country:DE dp:memberOf alliance:NATO .",
        "country:DE dp:memberOf o:acme .",
        "country/DE",
        "dp:memberOf",
    ),
    Case(
        "label",
        'alliance:EU a dp:Alliance ; rdfs:label "EU"@en .',
        "alliance:EU a dp:Alliance .",
        "alliance/EU",
        "rdfs:label",
        name="alliance",
    ),
    Case(
        "Membership-memberCountry",
        "m:x a dp:Membership ; dp:memberCountry country:NL ; dp:alliance alliance:NATO .",
        "m:x a dp:Membership ; dp:memberCountry o:acme ; dp:alliance alliance:NATO .",
        "membership/x",
        "dp:memberCountry",
    ),
    Case(
        "Membership-alliance",
        "m:x a dp:Membership ; dp:memberCountry country:NL ; dp:alliance alliance:NATO .",
        "m:x a dp:Membership ; dp:memberCountry country:NL .",
        "membership/x",
        "dp:alliance",
    ),
    Case(
        "Membership-memberSince",
        "m:x a dp:Membership ; dp:memberCountry country:NL ; dp:alliance alliance:NATO ; "
        'dp:memberSince "1949-08-24"^^xsd:date .',
        "m:x a dp:Membership ; dp:memberCountry country:NL ; dp:alliance alliance:NATO ; "
        'dp:memberSince "24 August 1949" .',
        "membership/x",
        "dp:memberSince",
    ),
    # Control
    Case(
        "Control-controlled", f"{CONTROL} .", "c:x a dp:Control ; dp:controller o:bolt .", "control/x", "dp:controlled"
    ),
    Case(
        "Control-controller", f"{CONTROL} .", "c:x a dp:Control ; dp:controlled o:acme .", "control/x", "dp:controller"
    ),
    Case(
        "Control-controlShare",
        f"{CONTROL} ; dp:controlShare 0.51 .",
        f"{CONTROL} ; dp:controlShare 51 .",
        "control/x",
        "dp:controlShare",
    ),
    Case(
        "label",
        'dp:Wassenaar a dp:ExportControlRegime ; rdfs:label "W"@en .',
        "dp:Wassenaar a dp:ExportControlRegime .",
        "dp:Wassenaar",
        "rdfs:label",
        name="regime",
    ),
    Case(
        "ConfidenceLevel-confidenceRank",
        'dp:Rumoured a dp:ConfidenceLevel ; rdfs:label "rumoured"@en ; dp:confidenceRank 0 .',
        'dp:Rumoured a dp:ConfidenceLevel ; rdfs:label "rumoured"@en ; dp:confidenceRank "low" .',
        "dp:Rumoured",
        "dp:confidenceRank",
    ),
    # Catalogue and provenance
    Case(
        "SourceGraph-graphRole",
        'imp:1 a dp:SourceGraph ; dp:graphRole "import" .',
        'imp:1 a dp:SourceGraph ; dp:graphRole "upload" .',
        "import/1",
        "dp:graphRole",
    ),
    Case(
        "SourceGraph-marking",
        'imp:1 a dp:SourceGraph ; dp:marking "restricted" .',
        'imp:1 a dp:SourceGraph ; dp:marking "defport", "public" .',
        "import/1",
        "dp:marking",
    ),
    Case(
        "SourceGraph-status",
        "imp:1 a dp:Import ; dp:status dp:Superseded .",
        "imp:1 a dp:Import ; dp:status dp:Assumed .",
        "import/1",
        "dp:status",
    ),
    Case(
        "Import-sha256",
        f'imp:1 a dp:Import ; dp:sha256 "{"ab" * 32}" .',
        f'imp:1 a dp:Import ; dp:sha256 "{"AB" * 32}" .',
        "import/1",
        "dp:sha256",
    ),
    Case(
        "Import-tripleCount",
        "imp:1 a dp:Import ; dp:tripleCount 0 .",
        "imp:1 a dp:Import ; dp:tripleCount -2 .",
        "import/1",
        "dp:tripleCount",
    ),
    Case(
        "Import-conforms",
        "imp:1 a dp:Import ; dp:conforms true .",
        'imp:1 a dp:Import ; dp:conforms "yes" .',
        "import/1",
        "dp:conforms",
    ),
    Case(
        "Import-violationCount",
        "imp:1 a dp:Import ; dp:violationCount 0 .",
        "imp:1 a dp:Import ; dp:violationCount 1.5 .",
        "import/1",
        "dp:violationCount",
    ),
    Case(
        "Import-warningCount",
        "imp:1 a dp:Import ; dp:warningCount 3 .",
        "imp:1 a dp:Import ; dp:warningCount -3 .",
        "import/1",
        "dp:warningCount",
    ),
    Case(
        "Import-sourceName",
        'imp:1 a dp:Import ; dp:sourceName "suppliers.ttl" .',
        "imp:1 a dp:Import ; dp:sourceName 42 .",
        "import/1",
        "dp:sourceName",
    ),
    Case(
        "Import-shapesVersion",
        'imp:1 a dp:Import ; dp:shapesVersion "0.1.0" .',
        'imp:1 a dp:Import ; dp:shapesVersion "0.1.0" , "0.2.0" .',
        "import/1",
        "dp:shapesVersion",
    ),
    Case(
        "label",
        'dp:Draft a dp:GraphStatus ; rdfs:label "draft"@en .',
        "dp:Draft a dp:GraphStatus .",
        "dp:Draft",
        "rdfs:label",
        name="graph-status",
    ),
]

EXTRA_PREFIXES = """
@prefix c: <https://w3id.org/defport/id/control/> .
@prefix m: <https://w3id.org/defport/id/membership/> .
"""


def _graph(extra: str) -> Graph:
    return Graph().parse(data=PREFIXES + EXTRA_PREFIXES + BASE + extra, format="turtle")


def _describe(report: ValidationReport) -> str:
    return report.to_text()


def test_base_graph_is_clean() -> None:
    report = validate(_graph(""))
    assert report.conforms and report.results == [], _describe(report)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_conforming_data_gives_no_result(case: Case) -> None:
    report = validate(_graph(case.ok))
    assert report.conforms and report.results == [], _describe(report)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_violating_data_is_reported(case: Case) -> None:
    report = validate(_graph(case.bad))
    shape = DPSH + case.rule
    found = [r for r in report.results if r.source_shape == shape]
    assert found, f"no result of {case.rule}:\n{_describe(report)}"
    expected_focus = _iri(case.focus)
    matching = [
        r
        for r in found
        if (expected_focus is None or r.focus_node == expected_focus)
        and r.result_path == _iri(case.path)
        and r.severity == case.severity
    ]
    assert matching, f"expected {case.focus} {case.path} {case.severity}:\n{_describe(report)}"
    for r in matching:
        assert r.message_en and r.message_nl and r.message_en != r.message_nl
        assert "{" not in r.message_en and "{" not in r.message_nl  # placeholders filled in
    assert report.conforms == (case.severity != "Violation")


def _domain_shapes() -> dict[str, tuple[URIRef, list[URIRef]]]:
    """The ``{property}-domain`` shapes: the property and the classes that may have it."""
    g = load_shapes()
    out: dict[str, tuple[URIRef, list[URIRef]]] = {}
    for shape, prop in g.subject_objects(SH.targetSubjectsOf):
        if not str(shape).endswith("-domain"):
            continue
        classes = list(g.objects(shape, SH["class"]))
        for alternatives in g.objects(shape, SH["or"]):
            classes += [g.value(a, SH["class"]) for a in Collection(g, alternatives)]
        out[str(shape).removeprefix(DPSH)] = (prop, classes)
    return out


DOMAIN_SHAPES = sorted(_domain_shapes().items())


def test_every_property_with_a_domain_has_a_domain_shape() -> None:
    ontology = load_ontology()
    properties = {
        str(p).removeprefix(DP)
        for kind in (OWL.ObjectProperty, OWL.DatatypeProperty)
        for p in ontology.subjects(RDF.type, kind)
        if str(p).startswith(DP) and ontology.value(p, RDFS.domain) is not None
    }
    assert {name.removesuffix("-domain") for name, _ in DOMAIN_SHAPES} == properties


@pytest.mark.parametrize(("rule", "spec"), DOMAIN_SHAPES, ids=[name for name, _ in DOMAIN_SHAPES])
def test_domain_rule(rule: str, spec: tuple[URIRef, list[URIRef]]) -> None:
    prop, classes = spec
    subject = URIRef(ID + "thing/x")
    for cls in classes:  # each class of a union is enough on its own
        g = _graph("")
        g.add((subject, RDF.type, cls))
        g.add((subject, prop, Literal("1")))
        assert not [r for r in validate(g).results if r.source_shape == DPSH + rule], cls
    g = _graph("")
    g.add((subject, RDF.type, URIRef(DP + "Alliance")))  # the domain of no property
    g.add((subject, prop, Literal("1")))
    report = validate(g)
    found = [r for r in report.results if r.source_shape == DPSH + rule]
    assert [(r.focus_node, r.result_path, r.severity) for r in found] == [(str(subject), None, "Violation")]
    assert found[0].message_en.startswith("Only a dp:") and found[0].message_nl.startswith("Alleen een dp:")


_NOT_CONSTRAINTS = {
    SH.targetClass,
    SH.targetNode,
    SH.targetSubjectsOf,
    SH.targetObjectsOf,
    SH.message,
    SH.severity,
    SH.property,
    SH.path,
    SH.name,
    SH.description,
    SH.deactivated,
}


def _rule_shapes() -> set[str]:
    """Shapes that carry constraints of their own (not only through their property shapes)."""
    g = load_shapes()
    shapes = set(g.subjects(RDF.type, SH.NodeShape)) | set(g.subjects(RDF.type, SH.PropertyShape))
    return {
        str(s).removeprefix(DPSH)
        for s in shapes
        if any(str(p).startswith(str(SH)) and p not in _NOT_CONSTRAINTS for p in g.predicates(s, None))
    }


def test_every_rule_has_a_case() -> None:
    covered = {c.rule for c in CASES} | {name for name, _ in DOMAIN_SHAPES}
    missing = sorted(_rule_shapes() - covered)
    assert not missing, f"rules without a test case: {missing}"


def test_cases_name_existing_shapes() -> None:
    g = load_shapes()
    unknown = sorted({c.rule for c in CASES if (URIRef(DPSH + c.rule), None, None) not in g})
    assert not unknown


def test_every_shape_has_english_and_dutch_messages_and_a_severity() -> None:
    g = load_shapes()
    shapes = set(g.subjects(RDF.type, SH.NodeShape)) | set(g.subjects(RDF.type, SH.PropertyShape))
    shapes |= set(g.subjects(RDF.type, SH.SPARQLConstraint))
    assert len(shapes) > 50
    for shape in shapes:
        langs = sorted(m.language for m in g.objects(shape, SH.message) if isinstance(m, Literal))
        assert langs == ["en", "nl"], shape
        if (shape, RDF.type, SH.SPARQLConstraint) not in g:
            assert g.value(shape, SH.severity) in (SH.Violation, SH.Warning, SH.Info), shape


def test_sparql_constraint_messages_match_their_shape() -> None:
    """pySHACL reports both the shape's and the constraint's messages: keep them identical."""
    g = load_shapes()
    for shape, constraint in g.subject_objects(SH.sparql):
        assert set(g.objects(shape, SH.message)) == set(g.objects(constraint, SH.message)), shape


def test_cycle_message_names_the_items_of_the_cycle() -> None:
    report = validate(_graph(f"{PART} i:radar dp:hasComponent i:part . i:part dp:hasComponent i:radar ."))
    cycle = [r for r in report.results if r.source_shape == DPSH + "ComponentCycleShape"]
    assert {r.focus_node for r in cycle} == {ID + "item/radar", ID + "item/part"}
    for r in cycle:
        assert ID + "item/radar" in r.message_en and ID + "item/part" in r.message_en
        assert ID + "item/radar" in r.message_nl and ID + "item/part" in r.message_nl


def test_share_sum_counts_each_relation_once() -> None:
    # The same relation asserted in two named graphs of a dataset counts once: 0.6 + 0.4 = 1.
    from rdflib import Dataset

    ds = Dataset()
    text = PREFIXES + BASE + f"s:acme-radar dp:share 0.6 . {REL} ; dp:share 0.4 ."
    ds.graph(URIRef(ID + "graph/a")).parse(data=text, format="turtle")
    ds.graph(URIRef(ID + "graph/b")).parse(data=text, format="turtle")
    report = validate(ds)
    assert report.conforms and report.results == [], _describe(report)


def test_lei_check_digits_agree_with_python() -> None:
    """The SPARQL MOD 97-10 arithmetic against Python's big integers, on many random LEIs."""
    rnd = random.Random(17442)
    alphabet = string.ascii_uppercase + string.digits
    lines = []
    expected_bad = set()
    for n in range(60):
        base = "".join(rnd.choice(alphabet) for _ in range(18))
        lei = base + lei_check_digits(base)
        if n % 3 == 0:  # corrupt a check digit
            lei = lei[:19] + str((int(lei[19]) + 1 + rnd.randrange(9)) % 10)
        assert len(lei) == 20
        if not is_valid_lei(lei):
            expected_bad.add(f"{ID}org/l{n}")
        lines.append(f'o:l{n} a dp:Company ; rdfs:label "L{n}"@en ; dp:country country:DE ; dp:lei "{lei}" .')
    report = validate(_graph("\n".join(lines)), max_per_shape=1000)
    flagged = {r.focus_node for r in report.results if r.source_shape == DPSH + "LeiCheckDigitsShape"}
    assert expected_bad and flagged == expected_bad
    assert all(r.source_shape == DPSH + "LeiCheckDigitsShape" for r in report.results)


@pytest.mark.parametrize(
    ("rsin", "valid"),
    [("123456782", True), ("001234560", True), ("123456789", False), ("111222333", True)],
)
def test_rsin_eleven_test(rsin: str, valid: bool) -> None:
    weights = [9, 8, 7, 6, 5, 4, 3, 2, -1]
    assert (sum(w * int(d) for w, d in zip(weights, rsin, strict=True)) % 11 == 0) == valid
    report = validate(_graph(f'{ORG} ; dp:rsin "{rsin}" .'))
    assert report.conforms == valid, _describe(report)


def test_minimal_valid_organisation() -> None:
    """CONTRACT §2: a type, an rdfs:label and one dp:country make a valid organisation."""
    for cls in ("Company", "GovernmentBody", "IndustryAssociation", "KnowledgeInstitute", "FinancialInstitution"):
        report = validate(_graph(f'o:x a dp:{cls} ; rdfs:label "X"@en ; dp:country country:DE .'))
        assert report.conforms and report.results == [], _describe(report)
