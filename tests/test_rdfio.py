"""Safe parsing: every format, errors naming file/line/column, unsafe input refused unread."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from defport_kg.errors import InputError, InputTooLargeError, UnsafeInputError, UnsupportedFormatError
from defport_kg.rdfio import format_for, format_for_media_type, parse_bytes, parse_file

SAMPLES = {
    "a.ttl": b'@prefix e: <http://e/> . e:a e:b "x" .',
    "a.nt": b'<http://e/a> <http://e/b> "x" .\n',
    "a.nq": b'<http://e/a> <http://e/b> "x" <http://e/g> .\n',
    "a.trig": b'@prefix e: <http://e/> . e:g { e:a e:b "x" . }',
    "a.jsonld": b'{"@context": {"b": "http://e/b"}, "@id": "http://e/a", "b": "x"}',
    "a.rdf": b'<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
    b'xmlns:e="http://e/"><rdf:Description rdf:about="http://e/a"><e:b>x</e:b></rdf:Description></rdf:RDF>',
}


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_every_format_parses_to_the_same_triple(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(SAMPLES[name])
    parsed = parse_file(path)
    assert [(t.subject.value, t.predicate.value, t.object.value) for t in parsed.triples] == [
        ("http://e/a", "http://e/b", "x")
    ]
    assert len(parsed.sha256) == 64


def test_graph_names_of_a_dataset_are_reported(tmp_path: Path) -> None:
    path = tmp_path / "a.trig"
    path.write_bytes(SAMPLES["a.trig"])
    assert parse_file(path).graph_names == ["http://e/g"]


def test_parse_error_names_file_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "bad.ttl"
    path.write_text('@prefix e: <http://e/> .\ne:a e:b e:c .\ne:a e:b "unterminated .\n')
    with pytest.raises(InputError) as caught:
        parse_file(path)
    assert caught.value.line == 3
    assert str(path) in caught.value.message and ":3:" in caught.value.message


def test_doctype_in_rdf_xml_is_refused_before_parsing() -> None:
    bomb = (
        b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>\n'
        b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>'
    )
    with pytest.raises(UnsafeInputError, match="DOCTYPE") as caught:
        parse_bytes(bomb, ox.RdfFormat.RDF_XML, "bomb.rdf")
    assert caught.value.line == 2


def test_external_entity_is_refused() -> None:
    xxe = (
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>'
    )
    with pytest.raises(UnsafeInputError):
        parse_bytes(xxe, ox.RdfFormat.RDF_XML, "xxe.rdf")


@pytest.mark.parametrize(
    "context",
    [
        '"http://127.0.0.1:9/context.jsonld"',
        '["http://127.0.0.1:9/c", {"b": "http://e/b"}]',
        '{"@import": "http://127.0.0.1:9/c"}',
    ],
)
def test_remote_jsonld_context_is_refused_never_fetched(context: str) -> None:
    doc = f'{{"@context": {context}, "@id": "http://e/a", "b": "x"}}'.encode()
    with pytest.raises(UnsafeInputError, match="never fetched"):
        parse_bytes(doc, ox.RdfFormat.JSON_LD, "remote.jsonld")


def test_oversized_input_is_refused_unread() -> None:
    with pytest.raises(InputTooLargeError):
        parse_bytes(b"x" * 101, ox.RdfFormat.TURTLE, "big.ttl", max_bytes=100)


def test_unknown_extension_and_media_type() -> None:
    with pytest.raises(UnsupportedFormatError, match="unknown RDF format"):
        format_for("data.xlsx")
    with pytest.raises(UnsupportedFormatError):
        format_for_media_type("application/pdf")
    assert format_for_media_type("text/turtle; charset=utf-8") == ox.RdfFormat.TURTLE


def test_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        parse_file(tmp_path / "absent.ttl")


def test_blank_nodes_are_renamed_per_input() -> None:
    a = parse_bytes(b"_:x <http://e/p> 1 .", ox.RdfFormat.TURTLE, "a.ttl").quads[0].subject
    b = parse_bytes(b"_:x <http://e/p> 1 .", ox.RdfFormat.TURTLE, "b.ttl").quads[0].subject
    assert a != b
