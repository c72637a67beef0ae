"""Safe parsing and serialising of every RDF format the product accepts.

Safety comes before parsing: RDF/XML with a DOCTYPE is refused (pyoxigraph expands internal
entities, and an entity bomb aborts the process), a JSON-LD ``@context`` that names a remote
document is refused (never fetched), and inputs over the size limit are refused unread.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import rdflib

from defport_kg.errors import (
    InputError,
    InputTooLargeError,
    UnsafeInputError,
    UnsupportedFormatError,
)

FORMATS: dict[str, ox.RdfFormat] = {
    "turtle": ox.RdfFormat.TURTLE,
    "ttl": ox.RdfFormat.TURTLE,
    "trig": ox.RdfFormat.TRIG,
    "nt": ox.RdfFormat.N_TRIPLES,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "n-triples": ox.RdfFormat.N_TRIPLES,
    "nq": ox.RdfFormat.N_QUADS,
    "nquads": ox.RdfFormat.N_QUADS,
    "n-quads": ox.RdfFormat.N_QUADS,
    "jsonld": ox.RdfFormat.JSON_LD,
    "json-ld": ox.RdfFormat.JSON_LD,
    "json": ox.RdfFormat.JSON_LD,
    "rdf": ox.RdfFormat.RDF_XML,
    "rdfxml": ox.RdfFormat.RDF_XML,
    "rdf/xml": ox.RdfFormat.RDF_XML,
    "xml": ox.RdfFormat.RDF_XML,
    "owl": ox.RdfFormat.RDF_XML,
}

MEDIA_TYPES: dict[str, ox.RdfFormat] = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/x-turtle": ox.RdfFormat.TURTLE,
    "application/trig": ox.RdfFormat.TRIG,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES,
    "application/n-quads": ox.RdfFormat.N_QUADS,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/xml": ox.RdfFormat.RDF_XML,
    "text/xml": ox.RdfFormat.RDF_XML,
}

_DOCTYPE = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


@dataclass
class ParsedInput:
    """One parsed file: its triples, and what provenance needs to know about it."""

    source: str
    format: ox.RdfFormat
    quads: list[ox.Quad]
    sha256: str
    size: int
    graph_names: list[str] = field(default_factory=list)

    @property
    def triples(self) -> list[ox.Triple]:
        return [ox.Triple(q.subject, q.predicate, q.object) for q in self.quads]


def format_for(name: str, explicit: str | None = None) -> ox.RdfFormat:
    """The RDF format given explicitly, else guessed from the file name's extension."""
    key = (explicit or Path(name).suffix.lstrip(".")).lower()
    if key in FORMATS:
        return FORMATS[key]
    raise UnsupportedFormatError(
        f"unknown RDF format {key!r}: use one of .ttl .trig .nt .nq .jsonld .rdf (or --format)",
        source=name,
    )


def format_for_media_type(media_type: str) -> ox.RdfFormat:
    base = media_type.split(";", 1)[0].strip().lower()
    if base in MEDIA_TYPES:
        return MEDIA_TYPES[base]
    raise UnsupportedFormatError(f"unsupported Content-Type {base!r}: send one of {', '.join(sorted(MEDIA_TYPES))}")


def _refuse_unsafe(data: bytes, fmt: ox.RdfFormat, source: str) -> None:
    if fmt == ox.RdfFormat.RDF_XML and _DOCTYPE.search(data):
        line = data[: _DOCTYPE.search(data).start()].count(b"\n") + 1  # type: ignore[union-attr]
        raise UnsafeInputError(
            "RDF/XML with a DOCTYPE or ENTITY declaration is refused (entity expansion is unsafe)",
            source=source,
            line=line,
        )
    if fmt == ox.RdfFormat.JSON_LD:
        try:
            document = json.loads(data)
        except ValueError as error:
            raise InputError(f"not valid JSON: {error}", source=source) from None
        except RecursionError:
            raise UnsafeInputError("JSON nested too deeply to read safely", source=source) from None
        remote = _remote_context(document)
        if remote:
            raise UnsafeInputError(
                f"JSON-LD @context {remote!r} names a remote document; it is never fetched: "
                "inline the context in the file",
                source=source,
            )


def _remote_context(node: Any, depth: int = 0) -> str | None:
    if depth > 200:
        return None
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("@context", "@import"):
                found = _context_reference(value)
                if found:
                    return found
            found = _remote_context(value, depth + 1)
            if found:
                return found
    elif isinstance(node, list):
        for value in node:
            found = _remote_context(value, depth + 1)
            if found:
                return found
    return None


def _context_reference(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        for entry in value:
            found = _context_reference(entry)
            if found:
                return found
    if isinstance(value, dict) and isinstance(value.get("@import"), str):
        return value["@import"]
    return None


@dataclass
class JsonLdNames:
    """How a JSON-LD document abbreviates IRIs: what its (local) contexts declare.

    Parsers report no positions, so a validation result is located by searching the text for the
    node as it is written; in JSON-LD that is often a compact IRI (``"dpid:org/x"``), a term, or an
    ``@id`` relative to ``@base``. Every context in the document counts (a later one may refine an
    earlier one): a name is only searched for, never used to build data, so over-collecting at
    worst finds a position a little early."""

    terms: list[tuple[str, str]] = field(default_factory=list)  # (term, absolute IRI), longest IRI first
    base: str | None = None
    vocab: str | None = None


_ABSOLUTE_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")


def jsonld_names(data: bytes) -> JsonLdNames:
    """The terms, ``@base`` and ``@vocab`` declared by the inline contexts of a JSON-LD document
    (``JsonLdNames``); a document that is not JSON (or not JSON-LD) declares none."""
    try:
        document = json.loads(data)
    except (ValueError, RecursionError):
        return JsonLdNames()
    raw: dict[str, str] = {}
    names = JsonLdNames()

    def visit(node: Any, depth: int) -> None:
        if depth > 200:
            return
        if isinstance(node, list):
            for value in node:
                visit(value, depth + 1)
        elif isinstance(node, dict):
            for key, value in node.items():
                if key == "@context":
                    for context in value if isinstance(value, list) else [value]:
                        if isinstance(context, dict):
                            read(context)
                visit(value, depth + 1)

    def read(context: dict[str, Any]) -> None:
        for key, value in context.items():
            if key == "@base" and isinstance(value, str):
                names.base = value
            elif key == "@vocab" and isinstance(value, str):
                names.vocab = value
            elif not key.startswith("@"):
                target = value.get("@id") if isinstance(value, dict) else value
                if isinstance(target, str) and not target.startswith("@"):
                    raw[key] = target

    visit(document, 0)

    def expand(value: str, seen: int = 0) -> str | None:
        """A term's IRI may itself be a compact IRI under another term (``"dp:share"``)."""
        prefix, colon, local = value.partition(":")
        if colon and prefix in raw and not local.startswith("//") and seen < 10:
            expanded = expand(raw[prefix], seen + 1)
            return expanded + local if expanded else None
        return value if _ABSOLUTE_IRI.match(value) else None

    for term, value in raw.items():
        iri = expand(value)
        if iri:
            names.terms.append((term, iri))
    if names.vocab is not None:
        names.vocab = expand(names.vocab) or names.vocab
    names.terms.sort(key=lambda pair: (-len(pair[1]), pair[0]))
    return names


def parse_bytes(
    data: bytes,
    fmt: ox.RdfFormat,
    source: str,
    *,
    max_bytes: int | None = None,
    base_iri: str | None = None,
) -> ParsedInput:
    """Parse one input; blank nodes are renamed so two imports never share one by accident."""
    if max_bytes is not None and len(data) > max_bytes:
        raise InputTooLargeError(
            f"input of {len(data)} bytes exceeds the limit of {max_bytes} bytes (setting DEFPORT_KG_MAX_INPUT_BYTES)",
            source=source,
        )
    _refuse_unsafe(data, fmt, source)
    try:
        quads = list(ox.parse(data, format=fmt, base_iri=base_iri, rename_blank_nodes=True))
    except SyntaxError as error:
        line, column = _position(error)
        message = str(error.msg if hasattr(error, "msg") else error)
        raise InputError(message, source=source, line=line, column=column) from None
    except (ValueError, UnicodeDecodeError) as error:
        raise InputError(str(error), source=source) from None
    except MemoryError as error:
        # pyoxigraph refuses one token (e.g. a literal) over its 16 MB buffer with a MemoryError.
        raise InputTooLargeError(f"a single term is too large to read: {error}", source=source) from None
    except RecursionError:
        raise UnsafeInputError("input nested too deeply to read safely", source=source) from None
    graph_names = sorted({q.graph_name.value for q in quads if isinstance(q.graph_name, ox.NamedNode)})
    return ParsedInput(
        source=source,
        format=fmt,
        quads=quads,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        graph_names=graph_names,
    )


def _position(error: SyntaxError) -> tuple[int | None, int | None]:
    if error.lineno:
        return error.lineno, error.offset
    match = re.search(r"line (\d+) column (\d+)", str(error))
    if match:
        return int(match.group(1)), int(match.group(2))
    return None, None


def parse_file(path: str | Path, fmt: str | None = None, *, max_bytes: int | None = None) -> ParsedInput:
    path = Path(path)
    rdf_format = format_for(path.name, fmt)
    try:
        size = path.stat().st_size
        if max_bytes is not None and size > max_bytes:
            raise InputTooLargeError(f"file of {size} bytes exceeds the limit of {max_bytes} bytes", source=str(path))
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError("no such file", source=str(path)) from None
    except IsADirectoryError:
        raise InputError("is a folder, not a file", source=str(path)) from None
    except PermissionError:
        raise InputError("permission denied", source=str(path)) from None
    return parse_bytes(data, rdf_format, str(path), max_bytes=max_bytes)


def serialize(
    triples: Iterable[ox.Triple | ox.Quad], fmt: ox.RdfFormat, prefixes: dict[str, str] | None = None
) -> bytes:
    out = io.BytesIO()
    kwargs: dict[str, Any] = {}
    if prefixes and fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG):
        kwargs["prefixes"] = prefixes
    items = list(triples)
    if not fmt.supports_datasets:
        items = [ox.Triple(t.subject, t.predicate, t.object) if isinstance(t, ox.Quad) else t for t in items]
    ox.serialize(items, out, fmt, **kwargs)
    return out.getvalue()


def to_rdflib(triples: Iterable[ox.Triple | ox.Quad], graph: rdflib.Graph | None = None) -> rdflib.Graph:
    """An rdflib graph of the triples (for pySHACL), via N-Triples: exact and fast."""
    target = graph if graph is not None else rdflib.Graph()
    data = serialize(triples, ox.RdfFormat.N_TRIPLES)
    if data:
        target.parse(data=data, format="nt")
    return target
