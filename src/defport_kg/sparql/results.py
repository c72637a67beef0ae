"""Writing query results in the W3C formats, with the result cap applied while reading them.

pyoxigraph's own writers serialise a whole result; to stop at the cap (and say so in the answer)
the solutions are read here one by one and written by the small writers below, which follow the
W3C SPARQL 1.1 Query Results JSON, XML, CSV and TSV formats. Graph results (CONSTRUCT, DESCRIBE)
are capped the same way and then written by pyoxigraph.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import islice
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from defport_kg.namespaces import PREFIXES

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
RDF_DIR_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#dirLangString"

_RDF_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "nquads": ox.RdfFormat.N_QUADS,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
}
_SOLUTION_FORMATS = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}
# How often (in rows) the thread-based engine asks whether the query should stop.
_STOP_CHECK_EVERY = 512


class Stopped(Exception):
    """The caller gave up on the query (its deadline passed) while results were being read."""


@dataclass(frozen=True)
class Written:
    body: bytes
    rows: int
    truncated: bool


def write_result(
    result: Any,
    fmt: str,
    *,
    limit: int,
    link: str | None = None,
    should_stop: Callable[[], bool] | None = None,
    fits: bool = False,
) -> Written:
    """Serialise a pyoxigraph result in ``fmt``, keeping at most ``limit`` rows (or triples).

    ``fits``: the query cannot return more than ``limit`` solutions (its own LIMIT is smaller), so
    pyoxigraph's native writer can write it all, several times faster than ours.
    """
    if isinstance(result, ox.QueryBoolean) or (fits and isinstance(result, ox.QuerySolutions)):
        return Written(result.serialize(format=_SOLUTION_FORMATS[fmt]), -1, False)
    if isinstance(result, ox.QueryTriples):
        triples = _take(result, limit + 1, should_stop)
        truncated = len(triples) > limit
        del triples[limit:]
        kwargs: dict[str, Any] = {"prefixes": PREFIXES} if fmt == "turtle" else {}
        body = ox.serialize(triples, format=_RDF_FORMATS[fmt], **kwargs)
        return Written(body, len(triples), truncated)
    names = [v.value for v in result.variables]
    rows = _take(result, limit + 1, should_stop)
    truncated = len(rows) > limit
    del rows[limit:]
    writer = _SOLUTION_WRITERS[fmt]
    return Written(writer(names, rows, link if truncated else None), len(rows), truncated)


def _take(results: Iterable[Any], count: int, should_stop: Callable[[], bool] | None) -> list[Any]:
    if should_stop is None:
        return list(islice(results, count))
    taken: list[Any] = []
    iterator = iter(results)
    while len(taken) < count:
        chunk = list(islice(iterator, min(_STOP_CHECK_EVERY, count - len(taken))))
        taken.extend(chunk)
        if len(chunk) < _STOP_CHECK_EVERY or len(taken) >= count:
            break
        if should_stop():
            raise Stopped
    return taken


# -- JSON -------------------------------------------------------------------------------------


def _json_term(term: Any) -> dict[str, Any]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.Literal):
        out: dict[str, Any] = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
            direction = getattr(term, "direction", None)
            if direction is not None:
                out["its:dir"] = str(direction).rsplit(".", 1)[-1].lower()
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Triple):
        return {
            "type": "triple",
            "value": {
                "subject": _json_term(term.subject),
                "predicate": _json_term(term.predicate),
                "object": _json_term(term.object),
            },
        }
    raise TypeError(f"unexpected term {term!r}")


def _write_json(names: list[str], rows: list[Any], link: str | None) -> bytes:
    bindings = []
    for row in rows:
        binding = {}
        for name, term in zip(names, row, strict=True):
            if term is not None:
                binding[name] = _json_term(term)
        bindings.append(binding)
    head: dict[str, Any] = {"vars": names}
    if link:
        head["link"] = [link]
    return json.dumps({"head": head, "results": {"bindings": bindings}}, ensure_ascii=False).encode("utf-8")


# -- XML --------------------------------------------------------------------------------------


def _xml_term(term: Any) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
        if term.datatype.value != XSD_STRING:
            return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
        return f"<literal>{escape(term.value)}</literal>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Triple):
        return (
            f"<triple><subject>{_xml_term(term.subject)}</subject><predicate>{_xml_term(term.predicate)}</predicate>"
            f"<object>{_xml_term(term.object)}</object></triple>"
        )
    raise TypeError(f"unexpected term {term!r}")


def _write_xml(names: list[str], rows: list[Any], link: str | None) -> bytes:
    parts = ['<?xml version="1.0" encoding="UTF-8"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n<head>']
    parts.extend(f"<variable name={quoteattr(n)}/>" for n in names)
    if link:
        parts.append(f"<link href={quoteattr(link)}/>")
    parts.append("</head>\n<results>\n")
    quoted = [quoteattr(n) for n in names]
    for row in rows:
        parts.append("<result>")
        for name, term in zip(quoted, row, strict=True):
            if term is not None:
                parts.append(f"<binding name={name}>{_xml_term(term)}</binding>")
        parts.append("</result>\n")
    parts.append("</results>\n</sparql>\n")
    return "".join(parts).encode("utf-8")


# -- CSV and TSV --------------------------------------------------------------------------------


def _csv_cell(term: Any) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode | ox.Literal):
        value = term.value
    elif isinstance(term, ox.BlankNode):
        value = "_:" + term.value
    else:
        value = str(term)
    if any(c in value for c in ',"\n\r'):
        return '"' + value.replace('"', '""') + '"'
    return value


def _write_csv(names: list[str], rows: list[Any], link: str | None) -> bytes:
    lines = [",".join(names)]
    lines.extend(",".join(_csv_cell(t) for t in row) for row in rows)
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def _tsv_cell(term: Any) -> str:
    if term is None:
        return ""
    # pyoxigraph writes terms in N-Triples syntax, which the TSV format uses; a tab or newline
    # inside a literal must not split the cell.
    return str(term).replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _write_tsv(names: list[str], rows: list[Any], link: str | None) -> bytes:
    lines = ["\t".join("?" + n for n in names)]
    lines.extend("\t".join(_tsv_cell(t) for t in row) for row in rows)
    return ("\n".join(lines) + "\n").encode("utf-8")


_SOLUTION_WRITERS: dict[str, Callable[[list[str], list[Any], str | None], bytes]] = {
    "json": _write_json,
    "xml": _write_xml,
    "csv": _write_csv,
    "tsv": _write_tsv,
}
