"""Where keys and audit events live in the store, and the terms that describe them.

They are kept in system graphs (``dpid:graph/system/...``): inside the store, so they are written
atomically, survive restarts and travel with backups, yet outside the live data, so no SPARQL
query, export or analysis ever sees a key hash or an audit entry. The terms are a small system
vocabulary of their own rather than ontology terms, because they describe the service, not the
defence industrial base.
"""

from __future__ import annotations

import datetime as dt

import pyoxigraph as ox

from defport_kg.namespaces import DPID, RDF, SYSTEM_GRAPH_PREFIX, XSD

SYS = "https://w3id.org/defport/system#"

KEYS_GRAPH = SYSTEM_GRAPH_PREFIX + "keys"
AUDIT_GRAPH = SYSTEM_GRAPH_PREFIX + "audit"
KEY_PREFIX = DPID + "key/"
AUDIT_EVENT_PREFIX = DPID + "audit/"

DATETIME = ox.NamedNode(XSD + "dateTime")
INTEGER = ox.NamedNode(XSD + "integer")
RDF_TYPE = ox.NamedNode(RDF + "type")


def term(local: str) -> ox.NamedNode:
    return ox.NamedNode(SYS + local)


def now_iso() -> str:
    """UTC now with microseconds, so that audit events sort in the order they happened.

    Written the way the store gives it back (``Z``, no trailing zeros), so that a record returned
    at creation equals the same record read later.
    """
    return canonical(dt.datetime.now(dt.UTC))


def canonical(moment: dt.datetime) -> str:
    """The canonical xsd:dateTime form of an aware datetime, in UTC."""
    text = moment.astimezone(dt.UTC).replace(tzinfo=None).isoformat(timespec="microseconds")
    whole, _, fraction = text.partition(".")
    fraction = fraction.rstrip("0")
    return f"{whole}.{fraction}Z" if fraction else f"{whole}Z"


def datetime_literal(value: str) -> ox.Literal:
    return ox.Literal(value, datatype=DATETIME)
