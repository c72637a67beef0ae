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
    text = (b"@prefix o: <https://w3id.org/defport/id/org/> .\n"
            b"<https://w3id.org/defport/id/org/a-b> <http://x/p> o:c\\-d .\n"
            b"o:c-d <http://x/p> o:a-bc .\n")
    locator = RdfLocator("x.ttl", text, ox.RdfFormat.TURTLE)
    found = locator.locate({ID + "org/a-b", ID + "org/c-d", ID + "org/a-bc"})
    assert found == {ID + "org/a-b": "x.ttl:2", ID + "org/c-d": "x.ttl:3", ID + "org/a-bc": "x.ttl:3"}


@pytest.mark.parametrize(
    ("fmt", "name"),
    [(ox.RdfFormat.N_TRIPLES, "b.nt"), (ox.RdfFormat.N_QUADS, "b.nq"), (ox.RdfFormat.JSON_LD, "b.jsonld"),
     (ox.RdfFormat.RDF_XML, "b.rdf"), (ox.RdfFormat.TRIG, "b.trig")],
)
def test_every_format_gives_a_line(fmt: ox.RdfFormat, name: str) -> None:
    data = serialised(fmt)
    [where] = RdfLocator(name, data, fmt).locate({ACME}).values()
    line = int(where.rsplit(":", 1)[1])
    assert ACME.encode() in data.splitlines()[line - 1] or b"acme-optics" in data.splitlines()[line - 1]
