"""The validation API: context, capping, outputs in text/JSON/Turtle, both languages."""

from __future__ import annotations

import json
import threading
import time
from dataclasses import replace

import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH

from defport_kg import resources
from defport_kg.namespaces import DPSH
from defport_kg.validation import (
    SEVERITIES,
    ValidationReport,
    load_shapes,
    shapes_version,
    validate,
)

ID = "https://w3id.org/defport/id/"

PREFIXES = """
@prefix dp: <https://w3id.org/defport/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix country: <https://w3id.org/defport/id/country/> .
@prefix o: <https://w3id.org/defport/id/org/> .
@prefix i: <https://w3id.org/defport/id/item/> .
@prefix s: <https://w3id.org/defport/id/supply/> .
"""

# Live data a batch refers to (fictional).
CONTEXT = """
country:NL a dp:Country ; rdfs:label "Netherlands"@en , "Nederland"@nl ; dp:isoCode "NL" .
o:acme a dp:Company ; rdfs:label "Acme Defence (fictional)"@en ; dp:country country:NL ;
    dp:kvkNumber "12345678" .
i:radar a dp:System ; rdfs:label "Radar (fictional)"@en .
s:acme-radar a dp:SupplyRelation ; dp:supplier o:acme ; dp:item i:radar ; dp:share 0.7 .
"""


# A batch with two violations: a share above 1, so also a share sum above 1.
BAD_SHARE = (
    'i:mast a dp:Component ; rdfs:label "Mast"@en . '
    "s:m a dp:SupplyRelation ; dp:supplier o:acme ; dp:item i:mast ; dp:share 1.5 ."
)


def turtle(text: str) -> Graph:
    return Graph().parse(data=PREFIXES + text, format="turtle")


def test_batch_refers_to_context() -> None:
    batch = turtle(
        'i:mast a dp:Component ; rdfs:label "Mast"@en . '
        "s:acme-mast a dp:SupplyRelation ; dp:supplier o:acme ; dp:item i:mast ."
    )
    alone = validate(batch)
    assert not alone.conforms  # o:acme is unknown without the live data
    assert {r.source_shape for r in alone.results} == {DPSH + "SupplyRelation-supplierType"}
    in_context = validate(batch, context=turtle(CONTEXT))
    assert in_context.conforms and in_context.results == [], in_context.to_text()


def test_results_about_untouched_context_are_not_reported() -> None:
    context = turtle(CONTEXT + "o:broken a dp:Company .")  # no label, no country: not the batch's fault
    batch = turtle(
        'i:mast a dp:Component ; rdfs:label "Mast"@en . '
        "s:acme-mast a dp:SupplyRelation ; dp:supplier o:acme ; dp:item i:mast ."
    )
    report = validate(batch, context=context)
    assert report.conforms and report.results == [], report.to_text()
    # The same node becomes the batch's business as soon as the batch mentions it.
    batch.add(
        (
            URIRef(ID + "org/broken"),
            URIRef("https://w3id.org/defport/ontology#partnerOf"),
            URIRef(ID + "platform/defport"),
        )
    )
    report = validate(batch, context=context)
    assert ID + "org/broken" in {r.focus_node for r in report.results}


def test_graph_rules_span_batch_and_context() -> None:
    batch = turtle(
        'o:acme-bis a dp:Company ; rdfs:label "Acme again"@en ; dp:country country:NL ; '
        'dp:kvkNumber "12345678" . '
        "s:bis-radar a dp:SupplyRelation ; dp:supplier o:acme-bis ; dp:item i:radar ; "
        "dp:share 0.5 ."
    )
    report = validate(batch, context=turtle(CONTEXT))
    by_shape = {(r.source_shape, r.focus_node) for r in report.results}
    assert (DPSH + "DuplicateKvkShape", ID + "org/acme-bis") in by_shape
    assert (DPSH + "DuplicateKvkShape", ID + "org/acme") not in by_shape  # untouched context
    assert (DPSH + "ShareSumShape", ID + "item/radar") in by_shape  # 0.7 stored + 0.5 new
    assert not report.conforms


def test_cycle_closing_through_context() -> None:
    context = turtle(
        CONTEXT + 'i:a a dp:Component ; rdfs:label "A"@en ; dp:hasComponent i:b . '
        'i:b a dp:Component ; rdfs:label "B"@en .'
    )
    report = validate(turtle("i:b dp:hasComponent i:a ."), context=context)
    cycle = [r for r in report.results if r.source_shape == DPSH + "ComponentCycleShape"]
    assert {r.focus_node for r in cycle} == {ID + "item/a", ID + "item/b"}


def test_dataset_input_counts_every_graph() -> None:
    ds = Dataset()
    ds.graph(URIRef(ID + "graph/one")).parse(data=PREFIXES + CONTEXT, format="turtle")
    ds.graph(URIRef(ID + "graph/two")).parse(
        data=PREFIXES + "s:other a dp:SupplyRelation ; dp:supplier o:acme ; dp:item i:radar ; dp:share 0.5 .",
        format="turtle",
    )
    report = validate(ds)
    assert [r.source_shape for r in report.results] == [DPSH + "ShareSumShape"]


def test_warnings_do_not_block() -> None:
    report = validate(turtle(CONTEXT + 'o:nl a dp:Company ; rdfs:label "NL"@en ; dp:country country:NL .'))
    assert report.conforms
    assert report.warning_count == 1 and report.violation_count == 0
    assert report.results[0].severity == "Warning"


def _unlabelled_organisations(n: int) -> Graph:
    return turtle(
        CONTEXT
        + "".join(f'o:x{k} a dp:Company ; dp:country country:NL ; dp:kvkNumber "{20000000 + k}" .\n' for k in range(n))
    )


def test_results_are_capped_per_shape_with_a_count_of_the_rest() -> None:
    report = validate(_unlabelled_organisations(7), max_per_shape=3)
    label = [r for r in report.results if r.source_shape == DPSH + "label"]
    assert len(label) == 3
    assert report.omitted == {DPSH + "label": 4}
    assert report.counts["Violation"] == 7 and report.violation_count == 7
    assert "4 more results of shape dpsh:label" in report.to_text()
    assert report.to_json()["omitted"] == {DPSH + "label": 4}
    uncapped = validate(_unlabelled_organisations(7))
    assert len(uncapped.results) == 7 and uncapped.omitted == {}


def test_text_report() -> None:
    report = validate(turtle(CONTEXT + BAD_SHARE))
    text = report.to_text()
    assert text.startswith("Validation does not conform: 2 violations, 0 warnings, 0 infos")
    assert "dpid:supply/m dp:share = '1.5'" in text
    assert "dp:share is at most one decimal number from 0 to 1." in text
    assert "shape dpsh:SupplyRelation-share" in text
    dutch = report.to_text(lang="nl")
    assert "dp:share is hoogstens één decimaal getal van 0 tot en met 1." in dutch


def test_json_report() -> None:
    report = validate(turtle(CONTEXT + BAD_SHARE))
    data = json.loads(json.dumps(report.to_json()))
    assert data["conforms"] is False
    assert data["counts"] == {"Violation": 2, "Warning": 0, "Info": 0}
    assert data["shapes_version"] == shapes_version()
    share = next(r for r in data["results"] if r["source_shape"] == DPSH + "SupplyRelation-share")
    assert share == {
        "focus_node": ID + "supply/m",
        "result_path": "https://w3id.org/defport/ontology#share",
        "value": "1.5",
        "message": {
            "en": "dp:share is at most one decimal number from 0 to 1.",
            "nl": "dp:share is hoogstens één decimaal getal van 0 tot en met 1.",
        },
        "severity": "Violation",
        "source_shape": DPSH + "SupplyRelation-share",
        "source_constraint": str(SH.MaxInclusiveConstraintComponent),
        "location": None,
    }


def test_turtle_report_is_a_shacl_validation_report() -> None:
    report = validate(turtle(CONTEXT + BAD_SHARE))
    g = Graph().parse(data=report.to_turtle(), format="turtle")
    (node,) = g.subjects(RDF.type, SH.ValidationReport)
    assert g.value(node, SH.conforms) == Literal(False)
    results = list(g.objects(node, SH.result))
    assert len(results) == 2
    for result in results:
        langs = sorted(m.language for m in g.objects(result, SH.resultMessage))
        assert langs == ["en", "nl"]
        assert g.value(result, SH.resultSeverity) == SH.Violation
        assert g.value(result, SH.focusNode) is not None
    values = {g.value(r, SH.value) for r in results}
    assert Literal("1.5", datatype=URIRef("http://www.w3.org/2001/XMLSchema#decimal")) in values


def test_turtle_report_of_a_conforming_batch() -> None:
    g = Graph().parse(data=validate(turtle(CONTEXT)).to_turtle(), format="turtle")
    (node,) = g.subjects(RDF.type, SH.ValidationReport)
    assert g.value(node, SH.conforms) == Literal(True)
    assert list(g.objects(node, SH.result)) == []


def test_messages_in_both_languages_with_placeholders_filled() -> None:
    report = validate(
        turtle(
            CONTEXT + 'o:acme dp:lei "5493001KJTIIGC8Y1R13" ; dp:rsin "123456789" . i:radar dp:hasComponent i:radar .'
        )
    )
    assert {r.source_shape for r in report.results} == {
        DPSH + "LeiCheckDigitsShape",
        DPSH + "RsinElevenTestShape",
        DPSH + "ComponentCycleShape",
    }
    for r in report.results:
        assert r.message_en != r.message_nl
        assert "{" not in r.message_en + r.message_nl
    lei = next(r for r in report.results if r.source_shape == DPSH + "LeiCheckDigitsShape")
    assert lei.message_en.startswith("LEI 5493001KJTIIGC8Y1R13 has wrong check digits")
    assert lei.message_nl.startswith("LEI 5493001KJTIIGC8Y1R13 heeft onjuiste controlecijfers")
    assert lei.message("nl") == lei.message_nl


def test_location_can_be_attached_by_the_caller() -> None:
    report = validate(turtle(CONTEXT + BAD_SHARE))
    located = [replace(r, location="suppliers.ttl:12") for r in report.results]
    report = ValidationReport(report.conforms, located, report.counts, report.omitted)
    assert "at suppliers.ttl:12" in report.to_text()
    assert report.to_json()["results"][0]["location"] == "suppliers.ttl:12"


def test_custom_shapes_replace_the_shipped_ones() -> None:
    shapes = Graph().parse(
        data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        @prefix dp: <https://w3id.org/defport/ontology#> .
        @prefix ex: <https://example.org/shapes#> .
        ex:ItemNsn a sh:PropertyShape ; sh:targetClass dp:Item ; sh:path dp:nsn ; sh:minCount 1 ;
            sh:severity sh:Info ; sh:message "Give an NSN."@en , "Geef een NSN."@nl .
        """,
        format="turtle",
    )
    report = validate(turtle(CONTEXT), shapes=shapes)
    assert report.conforms and report.info_count == 1
    (result,) = report.results
    assert (result.focus_node, result.message_nl, result.severity) == (ID + "item/radar", "Geef een NSN.", "Info")
    assert report.shapes_version is None  # not the shipped shapes


def test_shipped_shapes_are_copied_for_every_run() -> None:
    shapes = load_shapes()
    shapes.remove((None, None, None))  # a caller's copy is theirs to change
    assert validate(_unlabelled_organisations(1)).violation_count == 1


def test_shapes_version_is_the_shapes_file_version() -> None:
    text = resources.shapes_file().read_text(encoding="utf-8")
    assert f'owl:versionInfo "{shapes_version()}"' in text


def test_report_counts_cover_every_severity() -> None:
    report = validate(turtle(CONTEXT))
    assert tuple(report.counts) == SEVERITIES
    assert report.summary() == "conforms: 0 violations, 0 warnings, 0 infos"


def test_concurrent_validations_agree() -> None:
    """pySHACL and rdflib's SPARQL parser are not thread-safe: validation serialises them."""
    graph = turtle(CONTEXT + 'o:acme dp:lei "5493001KJTIIGC8Y1R13" . i:radar dp:hasComponent i:radar .')
    expected = validate(graph).to_json()
    outcomes: list[dict] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            outcomes.append(validate(graph).to_json())
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert outcomes == [expected] * 6


def _shipped_data() -> Graph:
    g = Graph()
    for path in sorted(resources.data_dir().rglob("*.ttl")):
        g.parse(path, format="turtle")
    return g


@pytest.mark.slow
def test_shipped_data_raises_no_violation() -> None:
    graph = _shipped_data()
    if len(graph) == 0:
        pytest.skip("no shipped data yet")
    report = validate(graph)
    assert report.conforms, report.to_text()


@pytest.mark.slow
def test_a_five_thousand_triple_batch_validates_in_seconds() -> None:
    lines = []
    for k in range(150):
        lines.append(
            f'o:c{k} a dp:Company ; rdfs:label "Company {k} (fictional)"@en ; dp:country country:NL ; '
            f'dp:kvkNumber "{30000000 + k}" .'
        )
    for k in range(400):
        parent = f"i:p{k // 4}" if k >= 4 else None
        lines.append(f'i:p{k} a dp:Component ; rdfs:label "Part {k}"@en , "Deel {k}"@nl ; dp:stockDays {k % 30} .')
        if parent:
            lines.append(f"[] a dp:ComponentUse ; dp:assembly {parent} ; dp:component i:p{k} ; dp:quantity 2 .")
        for r in range(2):
            lines.append(
                f"s:r{k}-{r} a dp:SupplyRelation ; dp:supplier o:c{(k + r) % 150} ; dp:item i:p{k} ; "
                f"dp:share 0.5 ; dp:leadTimeDays {k % 90} ; dp:monthlyCapacity {k % 40} ."
            )
    graph = turtle(CONTEXT + "\n".join(lines))
    assert len(graph) > 5000
    start = time.process_time()  # CPU time: a busy machine must not fail the test
    report = validate(graph)
    elapsed = time.process_time() - start
    assert report.conforms, report.to_text()
    assert elapsed < 10, f"validation of {len(graph)} triples took {elapsed:.1f} s of CPU"
