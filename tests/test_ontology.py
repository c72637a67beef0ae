"""The ontology: it parses, covers the contract, documents every term, and stays consistent.

Consistency is checked with OWL 2 RL reasoning (owlrl) over the ontology and every shipped data
file; a deliberately inconsistent graph proves that the check can fail.
"""

from __future__ import annotations

import re
from pathlib import Path

import owlrl
import pytest
from owlrl.Namespaces import ERRNS
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from defport_kg import resources
from defport_kg.namespaces import DP, ORG

ONTOLOGY_IRI = URIRef("https://w3id.org/defport/ontology")
VANN = "http://purl.org/vocab/vann/"
ROOT = Path(__file__).resolve().parent.parent

# CONTRACT §2, with the kind each term must have.
CONTRACT_CLASSES = [
    "Organisation",
    "Company",
    "GovernmentBody",
    "IndustryAssociation",
    "KnowledgeInstitute",
    "FinancialInstitution",
    "Platform",
    "Capability",
    "Item",
    "System",
    "Component",
    "Material",
    "SupplyRelation",
    "Site",
    "Country",
    "Alliance",
    "Project",
    "ComponentUse",
    "Control",
]
CONTRACT_OBJECT_PROPERTIES = [
    "partnerOf",
    "hasCapability",
    "realises",
    "hasComponent",
    "supplier",
    "item",
    "requiresInput",
    "site",
    "operatedBy",
    "country",
    "memberOf",
    "confidence",
    "assembly",
    "component",
    "needsCapability",
    "controlledBy",
    "exportControl",
]
CONTRACT_DATATYPE_PROPERTIES = [
    "share",
    "leadTimeDays",
    "monthlyCapacity",
    "recoveryDays",
    "stockDays",
    "isoCode",
    "kvkNumber",
    "lei",
    "ncage",
    "nsn",
    "validFrom",
    "validTo",
    "quantity",
    "monthlyDemand",
    "controlShare",
]
CONTRACT_INDIVIDUALS = {
    "Disclosed": "ConfidenceLevel",
    "Inferred": "ConfidenceLevel",
    "Assumed": "ConfidenceLevel",
    "ITAR": "ExportControlRegime",
    "EAR": "ExportControlRegime",
    "EUDualUse": "ExportControlRegime",
    "Live": "GraphStatus",
    "Staging": "GraphStatus",
    "Activating": "GraphStatus",
    "Superseded": "GraphStatus",
    "RolledBack": "GraphStatus",
}
SUBCLASSES = {
    "Company": "Organisation",
    "GovernmentBody": "Organisation",
    "IndustryAssociation": "Organisation",
    "KnowledgeInstitute": "Organisation",
    "FinancialInstitution": "Organisation",
    "System": "Item",
    "Component": "Item",
    "Material": "Item",
    "CriticalRawMaterial": "Material",
    "StrategicRawMaterial": "CriticalRawMaterial",
}
DECIMALS = ["share", "monthlyCapacity", "stockDays", "quantity", "monthlyDemand", "controlShare"]
INTEGERS = ["leadTimeDays", "recoveryDays", "confidenceRank"]

RDF_SUFFIXES = {
    ".ttl": "turtle",
    ".nt": "nt",
    ".nq": "nquads",
    ".trig": "trig",
    ".jsonld": "json-ld",
    ".rdf": "xml",
    ".owl": "xml",
}


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(resources.ontology_file(), format="turtle")


def dp(name: str) -> URIRef:
    return URIRef(DP + name)


def declared_terms(g: Graph) -> set[str]:
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, OWL.NamedIndividual)
    return {str(s)[len(DP) :] for k in kinds for s in g.subjects(RDF.type, k) if str(s).startswith(DP)}


def test_header(ontology: Graph) -> None:
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in ontology
    for p in (DCTERMS.title, DCTERMS.description):
        assert {lit.language for lit in ontology.objects(ONTOLOGY_IRI, p)} == {"en", "nl"}, p
    version = ontology.value(ONTOLOGY_IRI, OWL.versionInfo)
    assert re.fullmatch(r"\d+\.\d+\.\d+", str(version))
    assert ontology.value(ONTOLOGY_IRI, OWL.versionIRI) == URIRef(f"{ONTOLOGY_IRI}/{version}")
    for p in (DCTERMS.license, DCTERMS.creator, DCTERMS.created, DCTERMS.modified):
        assert ontology.value(ONTOLOGY_IRI, p) is not None, p
    assert ontology.value(ONTOLOGY_IRI, URIRef(VANN + "preferredNamespacePrefix")) == Literal("dp")
    assert str(ontology.value(ONTOLOGY_IRI, URIRef(VANN + "preferredNamespaceUri"))) == DP


def test_no_imports_and_no_cardinality_axioms(ontology: Graph) -> None:
    """Air-gapped: nothing to fetch. Cardinalities live in SHACL, where they report, not merge."""
    assert not list(ontology.objects(None, OWL.imports))
    for p in (
        OWL.cardinality,
        OWL.minCardinality,
        OWL.maxCardinality,
        OWL.qualifiedCardinality,
        OWL.minQualifiedCardinality,
        OWL.maxQualifiedCardinality,
    ):
        assert not list(ontology.subject_objects(p)), p
    for kind in (OWL.FunctionalProperty, OWL.InverseFunctionalProperty):
        assert not list(ontology.subjects(RDF.type, kind)), kind
    assert not list(ontology.subject_objects(OWL.hasKey))


@pytest.mark.parametrize("name", CONTRACT_CLASSES)
def test_contract_class(ontology: Graph, name: str) -> None:
    assert (dp(name), RDF.type, OWL.Class) in ontology


@pytest.mark.parametrize("name", CONTRACT_OBJECT_PROPERTIES)
def test_contract_object_property(ontology: Graph, name: str) -> None:
    assert (dp(name), RDF.type, OWL.ObjectProperty) in ontology


@pytest.mark.parametrize("name", CONTRACT_DATATYPE_PROPERTIES)
def test_contract_datatype_property(ontology: Graph, name: str) -> None:
    assert (dp(name), RDF.type, OWL.DatatypeProperty) in ontology


@pytest.mark.parametrize(("name", "cls"), sorted(CONTRACT_INDIVIDUALS.items()))
def test_individual(ontology: Graph, name: str, cls: str) -> None:
    assert (dp(name), RDF.type, OWL.NamedIndividual) in ontology
    assert (dp(name), RDF.type, dp(cls)) in ontology


def test_confidence_ranks(ontology: Graph) -> None:
    ranks = {n: ontology.value(dp(n), dp("confidenceRank")) for n in ("Disclosed", "Inferred", "Assumed")}
    assert {n: r.toPython() for n, r in ranks.items()} == {"Disclosed": 3, "Inferred": 2, "Assumed": 1}


@pytest.mark.parametrize(("sub", "sup"), sorted(SUBCLASSES.items()))
def test_subclasses(ontology: Graph, sub: str, sup: str) -> None:
    assert (dp(sub), RDFS.subClassOf, dp(sup)) in ontology


def test_alignments(ontology: Graph) -> None:
    assert (dp("Organisation"), RDFS.subClassOf, URIRef(ORG + "Organization")) in ontology
    assert (dp("Capability"), RDFS.subClassOf, SKOS.Concept) in ontology
    assert (dp("ExportControlRegime"), RDFS.subClassOf, SKOS.Concept) in ontology
    assert (dp("Import"), RDFS.subClassOf, URIRef("http://www.w3.org/ns/prov#Entity")) in ontology
    assert (dp("AnalysisRun"), RDFS.subClassOf, URIRef("http://www.w3.org/ns/prov#Activity")) in ontology
    schema = [o for o in ontology.objects(None, SKOS.closeMatch) if str(o).startswith("https://schema.org/")]
    assert len(schema) >= 5


def test_country_has_a_union_domain(ontology: Graph) -> None:
    (domain,) = ontology.objects(dp("country"), RDFS.domain)
    assert isinstance(domain, BNode)
    members = list(Collection(ontology, ontology.value(domain, OWL.unionOf)))
    assert members == [dp("Organisation"), dp("Site")]


def test_one_domain_and_range_statement_per_property(ontology: Graph) -> None:
    """Two rdfs:domain statements mean 'both', not 'either': a union says 'either'."""
    for kind in (OWL.ObjectProperty, OWL.DatatypeProperty):
        for prop in ontology.subjects(RDF.type, kind):
            if str(prop).startswith(DP):
                assert len(list(ontology.objects(prop, RDFS.domain))) == 1, prop
                assert len(list(ontology.objects(prop, RDFS.range))) == 1, prop


def test_datatypes(ontology: Graph) -> None:
    for name in DECIMALS:
        assert ontology.value(dp(name), RDFS.range) == URIRef("http://www.w3.org/2001/XMLSchema#decimal"), name
    for name in INTEGERS:
        assert ontology.value(dp(name), RDFS.range) == URIRef("http://www.w3.org/2001/XMLSchema#integer"), name


def test_every_term_has_both_labels_and_a_definition(ontology: Graph) -> None:
    terms = declared_terms(ontology)
    assert len(terms) > 80
    for name in sorted(terms):
        term = dp(name)
        labels = [lit.language for lit in ontology.objects(term, RDFS.label)]
        assert sorted(labels) == ["en", "nl"], name
        definitions = [lit.language for lit in ontology.objects(term, SKOS.definition)]
        assert "en" in definitions, name


def _architecture_vocabulary() -> set[str]:
    text = (ROOT / "docs" / "ARCHITECTURE.md").read_text(encoding="utf-8")
    section = text.split("## Vocabulary beyond CONTRACT", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"(?<![\w-])dp:([A-Za-z][A-Za-z0-9]*)", section))


def test_architecture_vocabulary_is_declared(ontology: Graph) -> None:
    names = _architecture_vocabulary()
    assert len(names) > 40
    assert not sorted(names - declared_terms(ontology))


# --------------------------------------------------------------------------------------------
# Every dp: term used anywhere in the product is declared
# --------------------------------------------------------------------------------------------

_PREFIXED = re.compile(r"(?<![\w\-/#])dp:([A-Za-z][A-Za-z0-9_]*)")
_FULL = re.compile(re.escape(DP) + r"([A-Za-z][A-Za-z0-9_]*)")
_PY_CONCAT = re.compile(r"\bDP\s*\+\s*[\"']([A-Za-z][A-Za-z0-9_]*)")
_PY_FSTRING = re.compile(r"\{DP\}([A-Za-z][A-Za-z0-9_]*)")
_TEXT_SUFFIXES = {
    ".ttl",
    ".trig",
    ".nt",
    ".nq",
    ".jsonld",
    ".json",
    ".rdf",
    ".owl",
    ".rq",
    ".py",
    ".md",
    ".csv",
    ".tsv",
    ".html",
    ".j2",
    ".js",
    ".txt",
}


def _scanned_files() -> list[Path]:
    files: list[Path] = []
    for folder in ("shapes", "data", "queries", "src"):
        for path in sorted((ROOT / folder).rglob("*")):
            if path.is_file() and path.suffix in _TEXT_SUFFIXES and "vendor" not in path.parts:
                files.append(path)
    return files


def _used_terms(path: Path) -> set[str]:
    text = path.read_text(encoding="utf-8", errors="replace")
    names = set(_FULL.findall(text))
    if path.suffix != ".json":
        names |= set(_PREFIXED.findall(text))
    if path.suffix == ".py":
        names |= set(_PY_CONCAT.findall(text)) | set(_PY_FSTRING.findall(text))
    if path.suffix in RDF_SUFFIXES:  # any prefix name bound to the dp namespace counts too
        g = Dataset() if path.suffix in (".nq", ".trig") else Graph()
        g.parse(path, format=RDF_SUFFIXES[path.suffix])
        for quad in g.quads((None, None, None, None)) if isinstance(g, Dataset) else g:
            for term in quad[:3]:
                if isinstance(term, URIRef) and str(term).startswith(DP):
                    names.add(str(term)[len(DP) :])
    return names


def test_every_used_term_is_declared(ontology: Graph) -> None:
    declared = declared_terms(ontology)
    undeclared: dict[str, list[str]] = {}
    files = _scanned_files()
    assert any(f.parent.name == "shapes" for f in files)
    for path in files:
        for name in sorted(_used_terms(path) - declared):
            undeclared.setdefault(name, []).append(str(path.relative_to(ROOT)))
    assert not undeclared, f"dp: terms used but not declared in the ontology: {undeclared}"


def test_the_scan_finds_terms_in_every_form(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        'X = DP + "share"\nY = f"{DP}item"\nZ = "dp:supplier"\n'
        'W = "https://w3id.org/defport/ontology#site"\nV = "dpsh:ShareSumShape"\n'
    )
    assert _used_terms(sample) == {"share", "item", "supplier", "site"}


# --------------------------------------------------------------------------------------------
# Quality-control queries
# --------------------------------------------------------------------------------------------

QC_QUERIES = sorted((ROOT / "queries" / "qc").glob("*-violation.rq"))


def test_there_are_quality_control_queries() -> None:
    assert len(QC_QUERIES) >= 5


@pytest.mark.parametrize("path", QC_QUERIES, ids=lambda p: p.stem)
def test_qc_query_returns_no_rows_on_the_ontology(ontology: Graph, path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.startswith("#+ summary:")
    rows = list(ontology.query(text))
    assert rows == [], f"{path.name}: {rows}"


BROKEN = """
@prefix dp: <https://w3id.org/defport/ontology#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
dp:Thing a owl:Class ; rdfs:label "thing"@en , "ding"@nl , "object"@en ; rdfs:subClassOf dp:Undeclared .
dp:size a owl:DatatypeProperty ; rdfs:label "size"@en , "maat"@nl ; skos:definition "Size."@en ;
    rdfs:domain dp:Thing ; rdfs:range dp:Thing .
dp:colour a owl:ObjectProperty ; rdfs:label "colour"@en ; skos:definition "Colour."@en ; rdfs:seeAlso dp:Typo .
"""

# What each quality check must find in BROKEN.
QC_EXPECTED = {
    "missing-label-violation": {(DP + "colour", "nl")},
    "missing-definition-violation": {(DP + "Thing",)},
    "duplicate-label-violation": {(DP + "Thing", str(RDFS.label), "en")},
    "missing-domain-range-violation": {(DP + "colour", str(RDFS.domain)), (DP + "colour", str(RDFS.range))},
    "undeclared-class-violation": {(DP + "Undeclared", DP + "Thing")},
    "datatype-range-violation": {(DP + "size", DP + "Thing")},
    "undeclared-term-violation": {(DP + "Undeclared",), (DP + "Typo",)},
}


@pytest.mark.parametrize("path", QC_QUERIES, ids=lambda p: p.stem)
def test_qc_query_finds_what_it_looks_for(path: Path) -> None:
    g = Graph().parse(data=BROKEN, format="turtle")
    rows = {tuple(str(v) for v in row) for row in g.query(path.read_text(encoding="utf-8"))}
    assert path.stem in QC_EXPECTED, f"add the expected rows of {path.name} to QC_EXPECTED"
    assert rows == QC_EXPECTED[path.stem]


# --------------------------------------------------------------------------------------------
# OWL 2 RL consistency
# --------------------------------------------------------------------------------------------


def inconsistencies(g: Graph) -> list[str]:
    """Run OWL 2 RL (owlrl) and return what it found inconsistent."""
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(g)
    problems = [str(m) for m in g.objects(None, ERRNS.error)]
    problems += [f"{s} is an owl:Nothing" for s in g.subjects(RDF.type, OWL.Nothing)]
    return problems


def test_ontology_is_consistent(ontology: Graph) -> None:
    g = Graph()
    g += ontology
    assert inconsistencies(g) == []


def test_inconsistency_is_detected(ontology: Graph) -> None:
    g = Graph()
    g += ontology
    g.parse(
        data="""
        @prefix dp: <https://w3id.org/defport/ontology#> .
        <https://w3id.org/defport/id/org/x> a dp:Company .
        <https://w3id.org/defport/id/supply/r> dp:item <https://w3id.org/defport/id/org/x> .
    """,
        format="turtle",
    )
    assert inconsistencies(g)  # an organisation used as an item: dp:Organisation and dp:Item are disjoint


def test_component_use_implies_has_component(ontology: Graph) -> None:
    g = Graph()
    g += ontology
    g.parse(
        data="""
        @prefix dp: <https://w3id.org/defport/ontology#> .
        [] a dp:ComponentUse ; dp:assembly <urn:a> ; dp:component <urn:b> .
        [] a dp:Control ; dp:controlled <urn:x> ; dp:controller <urn:y> .
    """,
        format="turtle",
    )
    assert inconsistencies(g) == []
    assert (URIRef("urn:a"), dp("hasComponent"), URIRef("urn:b")) in g
    assert (URIRef("urn:x"), dp("controlledBy"), URIRef("urn:y")) in g


def _data_files() -> list[Path]:
    return sorted(p for p in resources.data_dir().rglob("*") if p.suffix in RDF_SUFFIXES and p.is_file())


def test_shipped_data_files_are_found() -> None:
    assert all(p.suffix in RDF_SUFFIXES for p in _data_files())


@pytest.mark.slow
def test_ontology_and_shipped_data_are_consistent(ontology: Graph) -> None:
    files = _data_files()
    if not files:
        pytest.skip("no shipped data yet")
    g = Graph()
    g += ontology
    for path in files:
        parsed = Dataset() if path.suffix in (".nq", ".trig") else Graph()
        parsed.parse(path, format=RDF_SUFFIXES[path.suffix])
        for quad in parsed.quads((None, None, None, None)) if isinstance(parsed, Dataset) else parsed:
            g.add(quad[:3])
    assert inconsistencies(g) == []
