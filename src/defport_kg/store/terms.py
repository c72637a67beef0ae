"""Conversions between pyoxigraph terms and plain Python values.

Analyses want strings and numbers, not RDF objects; binding wants RDF terms, never query text.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pyoxigraph as ox

from defport_kg.namespaces import LIVE_GRAPH, XSD

_INTEGER_TYPES = {
    XSD + name
    for name in (
        "integer",
        "int",
        "long",
        "short",
        "byte",
        "nonNegativeInteger",
        "positiveInteger",
        "nonPositiveInteger",
        "negativeInteger",
        "unsignedInt",
        "unsignedLong",
        "unsignedShort",
        "unsignedByte",
    )
}
_FLOAT_TYPES = {XSD + "decimal", XSD + "double", XSD + "float"}


def to_python(term: Any) -> Any:
    """IRIs → str, numbers → int/float, booleans → bool, other literals → their lexical form."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value
        try:
            if datatype in _INTEGER_TYPES:
                return int(term.value)
            if datatype in _FLOAT_TYPES:
                return float(term.value)
            if datatype == XSD + "boolean":
                return term.value in ("true", "1")
        except ValueError:
            return term.value
        return term.value
    return str(term)


def to_term(value: Any) -> ox.NamedNode | ox.Literal | ox.BlankNode:
    """A Python value as an RDF term: str that looks like an IRI → NamedNode, else a literal."""
    if isinstance(value, ox.NamedNode | ox.Literal | ox.BlankNode):
        return value
    if isinstance(value, bool):
        return ox.Literal("true" if value else "false", datatype=ox.NamedNode(XSD + "boolean"))
    if isinstance(value, int):
        return ox.Literal(str(value), datatype=ox.NamedNode(XSD + "integer"))
    if isinstance(value, float | Decimal):
        return ox.Literal(str(Decimal(str(value))), datatype=ox.NamedNode(XSD + "decimal"))
    if isinstance(value, dt.datetime):
        return ox.Literal(value.isoformat(), datatype=ox.NamedNode(XSD + "dateTime"))
    if isinstance(value, dt.date):
        return ox.Literal(value.isoformat(), datatype=ox.NamedNode(XSD + "date"))
    text = str(value)
    if text.startswith(("http://", "https://", "urn:")):
        return ox.NamedNode(text)
    return ox.Literal(text)


def iri(value: str) -> ox.NamedNode:
    return ox.NamedNode(value)


def graph_term(iri: str) -> ox.NamedNode | ox.DefaultGraph:
    """The pyoxigraph graph term of a graph IRI in an embedded store (or a snapshot or view of one).

    The live data keeps its public IRI (``dpid:graph/live``: the service description and
    ``default-graph-uri`` name it) but is stored in the store's default graph, which RocksDB indexes
    three ways instead of a named graph's six: a commit writes every triple twice (its source
    graph and the live data), and the cheaper copy is what lets it keep pace with the bulk loader.
    """
    return ox.DefaultGraph() if iri == LIVE_GRAPH else ox.NamedNode(iri)
