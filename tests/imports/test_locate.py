"""Source positions of validation results: file and line for RDF, found in the text as written."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from defport_kg.imports.locate import RdfLocator
from tests.imports.conftest import ACME, BATCH, DP, ID, SUPPLY, serialised

TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def test_turtle_subjects_and_statements_under_prefixes() -> None:
    locator = RdfLocator("b.ttl", BATCH.read_bytes(), ox.RdfFormat.TURTLE)
    # The subject line, not an earlier mention as an object.
    assert locator.locate({ACME, ID + "item/prism"}) == {ACME: "b.ttl:7", ID + "item/prism": "b.ttl:24"}
    assert locator.locate_statement(ACME, DP + "kvkNumber") == "b.ttl:11"
    assert locator.locate_statement(SUPPLY, DP + "share") == "b.ttl:33"
    assert locator.locate_statement(ID + "item/prism", TYPE) == "b.ttl:25"  # written 'a'
    assert locator.locate_statement(ID + "item/prism", DP + "share") is None


def test_escaped_and_unescaped_local_names_and_full_iris() -> None:
    text = (
        b"@prefix o: <https://w3id.org/defport/id/org/> .\n"
        b"<https://w3id.org/defport/id/org/a-b> <http://x/p> o:c\\-d .\n"
        b"o:c-d <http://x/p> o:a-bc .\n"
    )
    locator = RdfLocator("x.ttl", text, ox.RdfFormat.TURTLE)
    found = locator.locate({ID + "org/a-b", ID + "org/c-d", ID + "org/a-bc"})
    assert found == {ID + "org/a-b": "x.ttl:2", ID + "org/c-d": "x.ttl:3", ID + "org/a-bc": "x.ttl:3"}


@pytest.mark.parametrize(
    ("fmt", "name"),
    [
        (ox.RdfFormat.N_TRIPLES, "b.nt"),
        (ox.RdfFormat.N_QUADS, "b.nq"),
        (ox.RdfFormat.JSON_LD, "b.jsonld"),
        (ox.RdfFormat.RDF_XML, "b.rdf"),
        (ox.RdfFormat.TRIG, "b.trig"),
    ],
)
def test_every_format_gives_a_line(fmt: ox.RdfFormat, name: str) -> None:
    data = serialised(fmt)
    [where] = RdfLocator(name, data, fmt).locate({ACME}).values()
    line = int(where.rsplit(":", 1)[1])
    assert ACME.encode() in data.splitlines()[line - 1] or b"acme-optics" in data.splitlines()[line - 1]


# -- JSON-LD: nodes written as compact IRIs, terms and @base-relative @ids ------------------------

GHOST_JSONLD = b"""{
  "@context": {
    "dp": "https://w3id.org/defport/ontology#",
    "dpid": "https://w3id.org/defport/id/",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "supplier": {"@id": "dp:supplier", "@type": "@id"}
  },
  "@graph": [
    {
      "@id": "dpid:supply/ghost",
      "@type": "dp:SupplyRelation",
      "dp:item": {"@id": "dpid:item/prism"},
      "supplier": "dpid:org/nobody"
    },
    {
      "@id": "dpid:org/acme-optics",
      "@type": "dp:Company",
      "rdfs:label": "Acme Optics B.V.",
      "dp:country": {"@id": "dpid:country/NL"}
    },
    {
      "@id": "dpid:item/prism",
      "@type": "dp:Component",
      "rdfs:label": "Prism"
    }
  ]
}
"""


def test_jsonld_compact_iris_are_located_where_their_node_is_defined() -> None:
    locator = RdfLocator("g.jsonld", GHOST_JSONLD, ox.RdfFormat.JSON_LD)
    # The prism is mentioned first as a value (line 12); its definition is on line 22.
    found = locator.locate({ID + "supply/ghost", ACME, ID + "item/prism", ID + "org/nobody"})
    assert found == {
        ID + "supply/ghost": "g.jsonld:10",
        ACME: "g.jsonld:16",
        ID + "item/prism": "g.jsonld:22",
        ID + "org/nobody": "g.jsonld:13",
    }
    # Statements: a compact key, a term whose IRI is a compact IRI, and "@type" for rdf:type.
    assert locator.locate_statement(ID + "supply/ghost", DP + "item") == "g.jsonld:12"
    assert locator.locate_statement(ID + "supply/ghost", DP + "supplier") == "g.jsonld:13"
    assert locator.locate_statement(ACME, TYPE) == "g.jsonld:17"
    assert locator.locate_statement(ACME, DP + "kvkNumber") is None


def test_jsonld_base_relative_ids_vocab_keys_and_escaped_slashes() -> None:
    text = (
        b'{"@context": {"@base": "https://w3id.org/defport/id/", "@vocab": "https://w3id.org/defport/ontology#",\n'
        b'  "o": "https://w3id.org/defport/id/org/"},\n'
        b' "@graph": [\n'
        b'  {"@id": "supply/r", "supplier": {"@id": "o:acme"},\n'
        b'   "share": 0.5},\n'
        b'  {"@id": "org\\/acme", "@type": "Company"},\n'
        b'  {"@id": "o:other", "country": {"@id": "country/NL"}}]}\n'
    )
    acme = ID + "org/acme"
    # What the parser reads is what the locator looks for.
    parsed = {q.subject.value for q in ox.parse(text, format=ox.RdfFormat.JSON_LD)}
    assert parsed == {ID + "supply/r", acme, ID + "org/other"}
    locator = RdfLocator("r.jsonld", text, ox.RdfFormat.JSON_LD)
    assert locator.locate(parsed) == {ID + "supply/r": "r.jsonld:4", acme: "r.jsonld:6", ID + "org/other": "r.jsonld:7"}
    assert locator.locate_statement(ID + "supply/r", DP + "share") == "r.jsonld:5"
    # A base-relative string that is not an "@id" value is not the node ("country/NL" is, on line 7).
    assert locator.locate({ID + "country/NL"}) == {ID + "country/NL": "r.jsonld:7"}


def test_a_jsonld_import_reports_a_bad_compact_iri_at_its_line(reference_store: object, tmp_path: object) -> None:
    """Through the pipeline: the supplier 'dpid:org/nobody' exists nowhere; the result names the
    line of the statement that says so, and the missing-KvK warning the line of the organisation."""
    from pathlib import Path

    from defport_kg.errors import ValidationFailed
    from defport_kg.imports import import_files
    from tests.imports.conftest import snapshot, write

    path = write(
        Path(str(tmp_path)),
        "ghost.jsonld",
        GHOST_JSONLD.replace(b'"dp:item": {"@id": "dpid:item/prism"}', b'"dp:item": {"@id": "dpid:item/x"}'),
    )
    before = snapshot(reference_store)  # type: ignore[arg-type]
    with pytest.raises(ValidationFailed) as failure:
        import_files(reference_store, [path])  # type: ignore[arg-type]
    where = {(r.result_path, r.severity.rsplit("#", 1)[-1]): r.location for r in failure.value.report.results}
    assert where[(DP + "supplier", "Violation")] == f"{path}:13"
    assert where[(DP + "item", "Violation")] == f"{path}:12"
    assert where[(DP + "kvkNumber", "Warning")] == f"{path}:16"
    assert snapshot(reference_store) == before  # type: ignore[arg-type]
