"""Audit retention: events older than the retention go, from the store and from the read-audit files."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient

from defport_kg.api.app import create_app
from defport_kg.auth import AuditEvent, AuditLog
from defport_kg.auth.audit import apply_retention, retention_cutoff
from defport_kg.auth.read_audit import ReadAuditLog
from defport_kg.auth.vocabulary import AUDIT_GRAPH
from defport_kg.errors import UsageError
from defport_kg.settings import Settings
from defport_kg.store import EmbeddedStore
from tests.conftest import run_cli

NOW = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)


def audit_triples(store: EmbeddedStore) -> int:
    return len(list(store.raw.quads_for_pattern(None, None, None, ox.NamedNode(AUDIT_GRAPH))))


def seed(log: AuditLog) -> None:
    """Events of every kind, some far in the past, some recent."""
    for at, action in [
        ("2024-01-01T00:00:00Z", "write"),
        ("2025-05-01T09:30:00.25Z", "refused"),
        ("2025-06-01T11:59:59Z", "key.add"),  # just before the cut-off of 365 days before NOW
        ("2025-06-01T12:00:01Z", "key.revoke"),  # just after it
        ("2026-05-31T10:00:00Z", "write"),
    ]:
        log.record(AuditEvent(action=action, at=at, status=200, method="POST", path="/x", detail="d"))


def test_old_events_of_every_kind_go_in_one_write_and_leave_nothing_behind(memory_store: EmbeddedStore) -> None:
    log = AuditLog(memory_store)
    seed(log)
    before = audit_triples(memory_store)
    commits: list[int] = []
    memory_store.on_commit.append(lambda: commits.append(1))
    pruned = apply_retention(log, None, 365, now=NOW)
    assert pruned.events == 3 and pruned.cutoff == "2025-06-01T12:00:00Z"
    assert len(commits) == 1  # one atomic operation
    assert [(e.at, e.action) for e in log.events()] == [
        ("2026-05-31T10:00:00Z", "write"),
        ("2025-06-01T12:00:01Z", "key.revoke"),
    ]
    # every triple of a deleted event went, not only its type
    assert audit_triples(memory_store) == before * 2 // 5
    # nothing old left: no write at all the next time (each write makes a new query snapshot)
    assert apply_retention(log, None, 365, now=NOW).events == 0 and len(commits) == 1


def test_zero_days_keeps_everything(memory_store: EmbeddedStore) -> None:
    log = AuditLog(memory_store)
    seed(log)
    assert apply_retention(log, None, 0, now=NOW).cutoff is None
    assert log.count() == 5
    with pytest.raises(UsageError, match="retention"):
        retention_cutoff(-1)


def test_read_audit_day_files_older_than_the_cutoff_go(tmp_path: Path, memory_store: EmbeddedStore) -> None:
    reads = ReadAuditLog(tmp_path)
    for day in ("2025-05-30", "2025-05-31", "2025-06-01", "2026-05-31"):
        reads.record({"at": f"{day}T08:00:00.000000Z", "path": "/sparql"})
    reads.flush()
    (tmp_path / "unrelated.txt").write_text("kept")
    pruned = apply_retention(AuditLog(memory_store), reads, 365, now=NOW)
    # 2025-06-01 holds events on both sides of the cut-off (12:00): the file stays whole
    assert pruned.read_files == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "reads-2025-06-01.jsonl",
        "reads-2026-05-31.jsonl",
        "unrelated.txt",
    ]
    assert [e["at"][:10] for e in reads.events()[0]] == ["2026-05-31", "2025-06-01"]
    # the writer keeps working after its file was deleted under it
    reads.record({"at": "2025-05-31T09:00:00.000000Z", "path": "/late"})
    reads.close()
    assert json.loads((tmp_path / "reads-2025-05-31.jsonl").read_text())["path"] == "/late"


def test_in_memory_read_events_are_pruned_one_by_one(memory_store: EmbeddedStore) -> None:
    reads = ReadAuditLog(None)
    reads.record({"at": "2025-06-01T11:00:00.000000Z", "path": "/old"})
    reads.record({"at": "2025-06-01T13:00:00.000000Z", "path": "/new"})
    assert apply_retention(AuditLog(memory_store), reads, 365, now=NOW).read_files == 1
    assert [e["path"] for e in reads.events()[0]] == ["/new"]


def test_the_service_prunes_at_its_first_request_and_then_at_most_once_a_day(
    memory_store: EmbeddedStore, tmp_path: Path
) -> None:
    log = AuditLog(memory_store)
    log.record(AuditEvent(action="write", at="2001-01-01T00:00:00Z"))
    old_file = tmp_path / "reads-2001-01-01.jsonl"
    old_file.write_text('{"at": "2001-01-01T00:00:00.000000Z"}\n')
    client = TestClient(create_app(memory_store, Settings(read_audit_dir=str(tmp_path), audit_retention_days=30)))
    client.get("/health")
    assert log.count() == 0 and not old_file.exists()
    log.record(AuditEvent(action="write", at="2001-01-01T00:00:00Z"))
    client.get("/health")
    assert log.count() == 1  # not again within the day


def test_the_prune_command(tmp_path: Path) -> None:
    location = tmp_path / "store"
    store = EmbeddedStore.open(location, create=True)
    yesterday = dt.datetime.now(dt.UTC) - dt.timedelta(days=1)
    for at in ("2020-01-01T00:00:00Z", "2024-02-29T23:00:00Z", yesterday.isoformat()):
        AuditLog(store).record(AuditEvent(action="write", at=at.replace("+00:00", "Z")))
    reads = ReadAuditLog(location / "audit")
    reads.record({"at": "2020-01-01T00:00:00.000000Z", "path": "/old"})
    reads.record({"path": "/today"})
    reads.close()
    store.close()

    result = run_cli("audit", "prune", "--days", "30", "--json", store=location)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["days"] == 30 and report["events"] == 2 and report["read_files"] == 1
    assert [p.name for p in (location / "audit").iterdir()] == [
        f"reads-{dt.datetime.now(dt.UTC).date().isoformat()}.jsonl"
    ]
    text = run_cli("audit", "prune", "--days", "0", store=location)
    assert text.returncode == 0 and "every audit event is kept" in text.stdout
    bad = run_cli("audit", "prune", "--days", "-3", store=location)
    assert bad.returncode == 2 and "--days -3" in bad.stderr and "Traceback" not in bad.stderr

    listed = run_cli("audit", "reads", "--json", "--key", "anonymous", store=location)
    assert listed.returncode == 0, listed.stderr
    assert [e["path"] for e in json.loads(listed.stdout)["events"]] == ["/today"]
    assert "/today" in run_cli("audit", "reads", store=location).stdout
    wrong = run_cli("audit", "reads", "--since", "last tuesday", store=location)
    assert wrong.returncode == 2 and "--since 'last tuesday'" in wrong.stderr
