"""AuditLog: events in the store's system graph, newest first, filterable, kept across restarts."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from defport_kg.auth import AuditEvent, AuditLog
from defport_kg.auth.middleware import audit_action
from defport_kg.errors import UsageError
from defport_kg.namespaces import LIVE_GRAPH
from defport_kg.store import EmbeddedStore


def test_events_come_back_newest_first_with_every_field(memory_store: EmbeddedStore) -> None:
    log = AuditLog(memory_store)
    first = log.record(AuditEvent(action="refused", status=401, method="GET", path="/api/audit", client="10.0.0.1"))
    second = log.record(
        AuditEvent(
            action="write",
            status=201,
            method="POST",
            path="/api/imports?dry_run=false",
            key_id="0123456789ab",
            key_name="steward key",
            role="steward",
            detail="x" * 5000,
        )
    )
    events = log.events()
    assert [e.id for e in events] == [second.id, first.id]
    assert events[1] == first
    assert events[0].key_name == "steward key" and events[0].status == 201
    assert len(events[0].detail or "") == 1000  # long text is cut
    assert log.count() == 2 and memory_store.triple_count(LIVE_GRAPH) == 0


def test_filters(memory_store: EmbeddedStore) -> None:
    log = AuditLog(memory_store)
    for i in range(4):
        log.record(AuditEvent(action="refused" if i % 2 else "write", status=200, key_id=f"{i:012d}"))
    assert log.count(action="refused") == 2
    assert [e.key_id for e in log.events(action="write")] == ["000000000002", "000000000000"]
    assert [e.key_id for e in log.events(key_id="000000000003")] == ["000000000003"]
    assert len(log.events(limit=1, offset=1)) == 1
    assert log.events(since=dt.datetime.now(dt.UTC) + dt.timedelta(days=1)) == []
    assert len(log.events(since=dt.datetime(2000, 1, 1))) == 4  # naive: taken as UTC
    with pytest.raises(UsageError):
        log.events(action="nonsense")


def test_values_are_data_not_query_text(memory_store: EmbeddedStore) -> None:
    log = AuditLog(memory_store)
    log.record(AuditEvent(action="write", path='/x" } ; DROP ALL ; #', detail="<script>"))
    assert log.events(key_id='" } } #') == []
    assert log.events()[0].path == '/x" } ; DROP ALL ; #'


def test_the_log_survives_a_restart(tmp_path: Path) -> None:
    store = EmbeddedStore.open(tmp_path / "store", create=True)
    AuditLog(store).record(AuditEvent(action="refused", status=403))
    store.close()
    reopened = EmbeddedStore.open(tmp_path / "store")
    try:
        assert [(e.action, e.status) for e in AuditLog(reopened).events()] == [("refused", 403)]
        assert reopened.check() == []
    finally:
        reopened.close()


@pytest.mark.parametrize(
    ("method", "path", "status", "action"),
    [
        ("GET", "/api/search", 200, None),
        ("GET", "/api/audit", 401, "refused"),
        ("GET", "/api/audit", 403, "refused"),
        ("POST", "/sparql", 200, None),
        ("POST", "/sparql", 401, "refused"),
        ("POST", "/api/imports", 201, "write"),
        ("POST", "/api/imports", 422, "write"),
        ("DELETE", "/api/keys/0123456789ab", 200, "write"),
        ("POST", "/no/such/route", 404, None),
        ("PUT", "/health", 405, None),
    ],
)
def test_what_is_audited(method: str, path: str, status: int, action: str | None) -> None:
    assert audit_action(method, path, status) == action
