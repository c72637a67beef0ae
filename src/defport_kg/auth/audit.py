"""The audit log: every write, every refused request and every key change, kept in the store.

Events are appended to the system graph ``dpid:graph/system/audit`` (one atomic write each), so
the log survives restarts and backups and is never part of the live data. Only admins can read
it (``GET /api/audit``). An event never holds a key's secret: only its public id and name.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import asdict, dataclass
from typing import Any

import pyoxigraph as ox

from defport_kg.auth.read_audit import ReadAuditLog
from defport_kg.auth.vocabulary import (
    AUDIT_EVENT_PREFIX,
    AUDIT_GRAPH,
    DATETIME,
    INTEGER,
    RDF_TYPE,
    canonical,
    datetime_literal,
    now_iso,
    term,
)
from defport_kg.errors import UsageError
from defport_kg.store.binding import bind_values
from defport_kg.store.terms import to_python

WRITE = "write"
REFUSED = "refused"
KEY_ADD = "key.add"
KEY_REVOKE = "key.revoke"
KEY_CLEARANCE = "key.clearance"
ACTIONS = (WRITE, REFUSED, KEY_ADD, KEY_REVOKE, KEY_CLEARANCE)

_GRAPH = ox.NamedNode(AUDIT_GRAPH)
_EVENT = term("AuditEvent")
# Text fields are cut to this length: the log is evidence, not a copy of request bodies.
_MAX_TEXT = 1000
_FIELDS = ("status", "method", "path", "key_id", "key_name", "role", "client", "detail")
_PREDICATES = {
    "at": "at",
    "action": "action",
    "status": "status",
    "method": "method",
    "path": "path",
    "key_id": "keyId",
    "key_name": "keyName",
    "role": "role",
    "client": "client",
    "detail": "detail",
}


@dataclass(frozen=True)
class AuditEvent:
    """One audited happening; ``key_*`` and ``role`` name who acted, when known."""

    action: str
    at: str = ""
    id: str = ""
    status: int | None = None
    method: str | None = None
    path: str | None = None
    key_id: str | None = None
    key_name: str | None = None
    role: str | None = None
    client: str | None = None
    detail: str | None = None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def event_quads(event: AuditEvent) -> tuple[AuditEvent, list[ox.Quad]]:
    """The event (with its id and time filled in) and the quads that store it.

    Returned rather than written so that a key change and its audit entry go into the store in
    one atomic write.
    """
    filled = AuditEvent(
        **{**asdict(event), "id": event.id or uuid.uuid4().hex, "at": event.at or now_iso()},
    )
    node = ox.NamedNode(AUDIT_EVENT_PREFIX + filled.id)
    quads = [
        ox.Quad(node, RDF_TYPE, _EVENT, _GRAPH),
        ox.Quad(node, term("at"), datetime_literal(filled.at), _GRAPH),
        ox.Quad(node, term("action"), ox.Literal(filled.action), _GRAPH),
    ]
    for field in _FIELDS:
        value = getattr(filled, field)
        if value is None:
            continue
        if isinstance(value, int):
            literal = ox.Literal(str(value), datatype=INTEGER)
        else:
            literal = ox.Literal(str(value)[:_MAX_TEXT])
        quads.append(ox.Quad(node, term(_PREDICATES[field]), literal, _GRAPH))
    return filled, quads


class AuditLog:
    """Append and read audit events of one store."""

    def __init__(self, store: Any) -> None:
        self.store = store

    def record(self, event: AuditEvent) -> AuditEvent:
        filled, quads = event_quads(event)
        self.store.add_quads(quads)
        return filled

    def events(
        self,
        *,
        limit: int = 100,
        offset: int = 0,
        action: str | None = None,
        since: dt.datetime | None = None,
        key_id: str | None = None,
    ) -> list[AuditEvent]:
        """Events newest first, optionally only one action, one key, or those at/after ``since``."""
        where, bindings = self._filters(action, since, key_id)
        optional = "\n".join(f"OPTIONAL {{ ?e <{term(_PREDICATES[f]).value}> ?{f} }}" for f in _FIELDS)
        query = f"""SELECT ?e ?at ?action {" ".join("?" + f for f in _FIELDS)} WHERE {{
            ?e a <{_EVENT.value}> ; <{term("at").value}> ?at ; <{term("action").value}> ?action .
            {optional}
            {where}
        }} ORDER BY DESC(?at) DESC(?e) LIMIT {int(limit)} OFFSET {int(offset)}"""
        rows = self.store.raw.query(bind_values(query, bindings), default_graph=_GRAPH)
        events = []
        for row in rows:
            values = {f: to_python(row[f]) for f in ("at", "action", *_FIELDS)}
            values["id"] = row["e"].value.removeprefix(AUDIT_EVENT_PREFIX)
            events.append(AuditEvent(**values))
        return events

    def count(self, *, action: str | None = None, since: dt.datetime | None = None, key_id: str | None = None) -> int:
        where, bindings = self._filters(action, since, key_id)
        query = f"""SELECT (COUNT(?e) AS ?n) WHERE {{
            ?e a <{_EVENT.value}> ; <{term("at").value}> ?at ; <{term("action").value}> ?action .
            OPTIONAL {{ ?e <{term("keyId").value}> ?key_id }}
            {where}
        }}"""
        rows = self.store.raw.query(bind_values(query, bindings), default_graph=_GRAPH)
        return int(next(iter(rows))["n"].value)

    def prune(self, cutoff: dt.datetime) -> int:
        """Delete every event (of any action) older than ``cutoff`` in one atomic SPARQL DELETE;
        returns how many went. Nothing is written when nothing is old enough, since every store
        write makes the query engine take a new snapshot."""
        if cutoff.tzinfo is None:
            cutoff = cutoff.replace(tzinfo=dt.UTC)
        limit = f'"{canonical(cutoff)}"^^<{DATETIME.value}>'
        old = f"""?e a <{_EVENT.value}> ; <{term("at").value}> ?at . FILTER (?at < {limit})"""
        rows = self.store.raw.query(f"SELECT (COUNT(?e) AS ?n) WHERE {{ {old} }}", default_graph=_GRAPH)
        count = int(next(iter(rows))["n"].value)
        if count:
            self.store.update_system(
                f"DELETE {{ GRAPH <{AUDIT_GRAPH}> {{ ?e ?p ?o }} }} "
                f"WHERE {{ GRAPH <{AUDIT_GRAPH}> {{ {old} ?e ?p ?o }} }}"
            )
        return count

    @staticmethod
    def _filters(action: str | None, since: dt.datetime | None, key_id: str | None) -> tuple[str, dict[str, Any]]:
        # Values are bound as RDF terms by a VALUES block; only fixed FILTER text is added here.
        filters: list[str] = []
        bindings: dict[str, Any] = {}
        if action is not None:
            if action not in ACTIONS:
                raise UsageError(f"unknown audit action {action!r}: use one of {', '.join(ACTIONS)}")
            filters.append("FILTER (?action = ?_action)")
            bindings["_action"] = ox.Literal(action)
        if since is not None:
            if since.tzinfo is None:
                since = since.replace(tzinfo=dt.UTC)
            filters.append("FILTER (?at >= ?_since)")
            bindings["_since"] = datetime_literal(canonical(since))
        if key_id is not None:
            filters.append("FILTER (?key_id = ?_key)")
            bindings["_key"] = ox.Literal(key_id)
        return "\n".join(filters), bindings


@dataclass(frozen=True)
class Pruned:
    """What one application of the retention rule deleted: store events, and read-audit day
    files (read events, for a read audit kept in memory)."""

    cutoff: str | None
    events: int = 0
    read_files: int = 0

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def retention_cutoff(days: int, now: dt.datetime | None = None) -> dt.datetime | None:
    """The moment before which audit events go; None when ``days`` is 0 (keep forever)."""
    if days < 0:
        raise UsageError(f"audit retention must be 0 (keep forever) or a number of days, not {days}")
    if days == 0:
        return None
    now = now or dt.datetime.now(dt.UTC)
    if now.tzinfo is None:
        now = now.replace(tzinfo=dt.UTC)
    return now - dt.timedelta(days=days)


def apply_retention(
    audit: AuditLog, reads: ReadAuditLog | None, days: int, *, now: dt.datetime | None = None
) -> Pruned:
    """Delete audit events older than ``days`` days: write/refusal/key events in the store and
    read-audit day files. One rule for both, so the two logs always cover the same period."""
    cutoff = retention_cutoff(days, now)
    if cutoff is None:
        return Pruned(cutoff=None)
    events = audit.prune(cutoff)
    files = reads.prune(cutoff) if reads is not None else 0
    return Pruned(cutoff=canonical(cutoff), events=events, read_files=files)
