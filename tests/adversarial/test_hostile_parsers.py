"""Hostile files through ``rdfio.parse_bytes``: every one is an InputError (never a crash, a fetch or a hang)."""

from __future__ import annotations

import contextlib
import time

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from defport_kg.errors import InputError, InputTooLargeError, UnsafeInputError
from defport_kg.rdfio import parse_bytes
from tests.sparql.helpers import Recorder

FORMATS = [
    ox.RdfFormat.TURTLE,
    ox.RdfFormat.TRIG,
    ox.RdfFormat.N_TRIPLES,
    ox.RdfFormat.N_QUADS,
    ox.RdfFormat.JSON_LD,
    ox.RdfFormat.RDF_XML,
]

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="urn:x:">
  <rdf:Description rdf:about="urn:x:a"><ex:p>&lol9;</ex:p></rdf:Description>
</rdf:RDF>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE r [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="urn:x:">
  <rdf:Description rdf:about="urn:x:a"><ex:p>&xxe;</ex:p></rdf:Description>
</rdf:RDF>"""

LOWERCASE_DOCTYPE = EXTERNAL_ENTITY.replace(b"<!DOCTYPE", b"<!doctype")
UTF16_DOCTYPE = EXTERNAL_ENTITY.replace(b'version="1.0"', b'version="1.0" encoding="UTF-16"').decode().encode("utf-16")


@pytest.mark.parametrize("data", [BILLION_LAUGHS, EXTERNAL_ENTITY, LOWERCASE_DOCTYPE], ids=["laughs", "xxe", "lower"])
def test_rdfxml_entities_are_refused_unread(data: bytes) -> None:
    with pytest.raises(UnsafeInputError, match="DOCTYPE"):
        parse_bytes(data, ox.RdfFormat.RDF_XML, "evil.rdf")


def test_utf16_doctype_is_not_expanded() -> None:
    with pytest.raises(InputError) as caught:
        parse_bytes(UTF16_DOCTYPE, ox.RdfFormat.RDF_XML, "evil16.rdf")
    assert "root:" not in str(caught.value)


def test_owl_imports_is_data_never_fetched() -> None:
    with Recorder() as recorder:
        owl = "http://www.w3.org/2002/07/owl#"
        data = f"<urn:x:o> a <{owl}Ontology> ; <{owl}imports> <{recorder.url}o.ttl> .".encode()
        parsed = parse_bytes(data, ox.RdfFormat.TURTLE, "imports.ttl")
        time.sleep(0.2)
        assert recorder.requests == []
    assert len(parsed.quads) == 2


@pytest.mark.parametrize(
    "context",
    ['"{url}ctx.jsonld"', '["{url}ctx.jsonld"]', '{{"@import": "{url}ctx.jsonld"}}', '[{{"x": "urn:x:"}}, "{url}c"]'],
)
def test_jsonld_remote_context_is_refused_unfetched(context: str) -> None:
    with Recorder() as recorder:
        ctx = context.format(url=recorder.url)
        data = f'{{"@context": {ctx}, "@id": "urn:x:a", "x": "y"}}'.encode()
        with pytest.raises(UnsafeInputError, match="remote"):
            parse_bytes(data, ox.RdfFormat.JSON_LD, "remote.jsonld")
        nested = f'{{"@graph": [{{"@context": {ctx}, "@id": "urn:x:a"}}]}}'.encode()
        with pytest.raises(UnsafeInputError):
            parse_bytes(nested, ox.RdfFormat.JSON_LD, "nested.jsonld")
        time.sleep(0.2)
        assert recorder.requests == []


def test_input_over_the_limit_is_refused_unread() -> None:
    with pytest.raises(InputTooLargeError):
        parse_bytes(b"#" * 2_000_001, ox.RdfFormat.TURTLE, "big.ttl", max_bytes=2_000_000)


def test_large_literal_parses() -> None:
    data = b'<urn:x:a> <urn:x:p> "' + b"x" * 8_000_000 + b'" .'
    assert len(parse_bytes(data, ox.RdfFormat.N_TRIPLES, "large.nt").quads) == 1


@pytest.mark.parametrize("fmt", [ox.RdfFormat.N_TRIPLES, ox.RdfFormat.TURTLE])
def test_huge_literal_is_an_input_error(fmt: ox.RdfFormat) -> None:
    data = b'<urn:x:a> <urn:x:p> "' + b"x" * 20_000_000 + b'" .'
    with pytest.raises(InputTooLargeError, match="too large"):
        parse_bytes(data, fmt, "huge.nt")


@pytest.mark.parametrize("depth", [1_000, 100_000])
def test_deeply_nested_turtle_collections(depth: int) -> None:
    data = b"<urn:x:a> <urn:x:p> " + b"(" * depth + b"1" + b")" * depth + b" ."
    try:
        parsed = parse_bytes(data, ox.RdfFormat.TURTLE, "deep.ttl")
    except InputError:
        return  # refused: fine
    assert parsed.quads


@pytest.mark.parametrize("depth", [1_000, 100_000])
def test_deeply_nested_turtle_blank_nodes(depth: int) -> None:
    data = b"<urn:x:a> <urn:x:p> " + b"[ <urn:x:p> " * depth + b"1" + b" ]" * depth + b" ."
    with contextlib.suppress(InputError):
        parse_bytes(data, ox.RdfFormat.TURTLE, "deep.ttl")


def test_deeply_nested_jsonld_is_an_input_error_not_a_crash() -> None:
    data = b'{"@id": "urn:x:a", "urn:x:p": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    with pytest.raises(UnsafeInputError, match="nested too deeply"):
        parse_bytes(data, ox.RdfFormat.JSON_LD, "deep.jsonld")


@pytest.mark.parametrize(
    "data",
    [
        b"<not an iri> <urn:x:p> <urn:x:o> .",
        b"<urn:x:a> <urn:x:p> <http://exa mple/> .",
        b"<urn:x:a> <urn:x:p> <\\u0000> .",
        b"<urn:x:a> <relative> <urn:x:o> .",
        b'<urn:x:a> <urn:x:p> "x"^^<bad iri> .',
    ],
)
def test_invalid_iris_are_input_errors(data: bytes) -> None:
    with pytest.raises(InputError):
        parse_bytes(data, ox.RdfFormat.N_TRIPLES, "iri.nt")


@pytest.mark.parametrize("fmt", [ox.RdfFormat.TURTLE, ox.RdfFormat.N_TRIPLES, ox.RdfFormat.JSON_LD])
def test_latin1_bytes_are_an_input_error(fmt: ox.RdfFormat) -> None:
    text = '<urn:x:a> <urn:x:p> "Stéphane Müller" .'
    if fmt == ox.RdfFormat.JSON_LD:
        text = '{"@id": "urn:x:a", "urn:x:p": "Stéphane Müller"}'
    with pytest.raises(InputError):
        parse_bytes(text.encode("latin-1"), fmt, "latin1")


def test_errors_name_the_line() -> None:
    with pytest.raises(InputError) as caught:
        parse_bytes(b"<urn:x:a> <urn:x:p> <urn:x:o> .\n<urn:x:a> <urn:x:p> .\n", ox.RdfFormat.TURTLE, "bad.ttl")
    assert "bad.ttl" in str(caught.value) and "2" in str(caught.value)


# -- fuzzing ---------------------------------------------------------------------------------------

SEEDS = [
    b'@prefix ex: <urn:x:> . ex:a ex:p ( 1 2 [ ex:q "x"@en ] ) .',
    b'{"@context": {"x": "urn:x:"}, "@id": "urn:x:a", "x:p": [{"@value": 1}]}',
    b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    b'<rdf:Description rdf:about="urn:x:a"/></rdf:RDF>',
    b'<urn:x:a> <urn:x:p> "x"^^<urn:x:t> <urn:x:g> .',
]


def _mutations() -> st.SearchStrategy[bytes]:
    raw = st.binary(max_size=2_000)
    mutated = st.tuples(st.sampled_from(SEEDS), st.integers(0, 200), st.binary(max_size=50)).map(
        lambda t: t[0][: t[1]] + t[2] + t[0][t[1] :]
    )
    return st.one_of(raw, mutated)


@pytest.mark.slow
@pytest.mark.parametrize("fmt", FORMATS, ids=[str(f) for f in FORMATS])
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=_mutations())
def test_fuzz_parse_bytes_only_raises_input_errors(fmt: ox.RdfFormat, data: bytes) -> None:
    with contextlib.suppress(InputError):
        parse_bytes(data, fmt, "fuzz", max_bytes=1_000_000)
