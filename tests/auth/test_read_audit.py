"""The read audit: who read what, as JSON lines beside the store, through the real app and its middleware."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import stat
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from defport_kg.api.app import create_app
from defport_kg.auth import AuditLog, KeyRing
from defport_kg.auth.middleware import AuditMiddleware, is_read, read_query_hash
from defport_kg.auth.read_audit import ReadAuditLog, parameters_hash, query_hash, read_audit_for, timestamp
from defport_kg.errors import UsageError
from defport_kg.settings import Settings
from defport_kg.store import EmbeddedStore


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def lines(directory: Path) -> list[dict[str, Any]]:
    found = []
    for path in sorted(directory.glob("reads-*.jsonl")):
        found += [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    return found


# -- the log itself ----------------------------------------------------------------------


def test_events_go_to_one_owner_only_file_per_utc_day_and_come_back_newest_first(tmp_path: Path) -> None:
    log = ReadAuditLog(tmp_path / "audit")
    log.record({"at": "2026-01-01T23:59:59.000000Z", "path": "/a", "key_id": "0123456789ab"})
    log.record({"at": "2026-01-02T00:00:00.000000Z", "path": "/b"})
    log.record({"at": "2026-01-02T08:00:00.000000Z", "path": "/c", "key_id": "0123456789ab"})
    log.flush()
    files = sorted(p.name for p in (tmp_path / "audit").iterdir())
    assert files == ["reads-2026-01-01.jsonl", "reads-2026-01-02.jsonl"]
    assert stat.S_IMODE((tmp_path / "audit" / files[0]).stat().st_mode) == 0o600
    events, more = log.events()
    assert [e["path"] for e in events] == ["/c", "/b", "/a"] and not more
    assert set(events[0]) >= {"at", "method", "path", "status", "key_id", "client", "query_hash", "graphs"}
    log.close()


def test_filters_and_limit(tmp_path: Path) -> None:
    log = ReadAuditLog(tmp_path)
    for day in range(1, 6):
        log.record(
            {"at": f"2026-03-0{day}T12:00:00.000000Z", "path": f"/{day}", "key_id": "aaaaaaaaaaaa" if day % 2 else None}
        )
    since, until = dt.datetime(2026, 3, 2), dt.datetime(2026, 3, 4, 12, tzinfo=dt.UTC)
    assert [e["path"] for e in log.events(since=since, until=until)[0]] == ["/3", "/2"]  # until excludes
    assert [e["path"] for e in log.events(key="aaaaaaaaaaaa")[0]] == ["/5", "/3", "/1"]
    assert [e["path"] for e in log.events(key="anonymous")[0]] == ["/4", "/2"]
    events, more = log.events(limit=2)
    assert [e["path"] for e in events] == ["/5", "/4"] and more
    with pytest.raises(UsageError, match=r"since .* must be before until"):
        log.events(since=until, until=since)
    with pytest.raises(UsageError, match="limit"):
        log.events(limit=0)
    log.close()


def test_concurrent_writers_lose_and_mangle_nothing(tmp_path: Path) -> None:
    log = ReadAuditLog(tmp_path)

    def write(thread: int) -> None:
        for i in range(250):
            log.record({"path": f"/t{thread}/{i}", "query_hash": "x" * 200})

    threads = [threading.Thread(target=write, args=(t,)) for t in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    log.close()
    written = lines(tmp_path)
    assert len(written) == 2000
    assert {e["path"] for e in written} == {f"/t{t}/{i}" for t in range(8) for i in range(250)}


def test_a_store_without_a_folder_keeps_the_latest_reads_in_memory() -> None:
    log = ReadAuditLog(None, memory_events=3)
    for i in range(5):
        log.record({"path": f"/{i}"})
    events, _ = log.events()
    assert log.storage == "memory" and [e["path"] for e in events] == ["/4", "/3", "/2"]


def test_where_the_files_go(tmp_path: Path) -> None:
    store = EmbeddedStore.open(tmp_path / "store", create=True)
    try:
        assert read_audit_for(store, Settings()).directory == tmp_path / "store" / "audit"  # type: ignore[union-attr]
        assert read_audit_for(store, Settings(read_audit_dir=str(tmp_path / "x"))).directory == tmp_path / "x"  # type: ignore[union-attr]
        assert read_audit_for(store, Settings(read_audit=False)) is None
    finally:
        store.close()
    assert read_audit_for(EmbeddedStore.in_memory(), Settings()).directory is None  # type: ignore[union-attr]


# -- what counts as a read, and what was asked ---------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "read"),
    [
        ("GET", "/sparql", True),
        ("POST", "/sparql", True),
        ("HEAD", "/api/risk/spof", True),
        ("GET", "/", True),
        ("GET", "/search", True),
        ("GET", "/health", False),
        ("GET", "/metrics", False),
        ("GET", "/static/css/app.css", False),
        ("GET", "/openapi.json", False),
        ("POST", "/api/imports", False),
        ("DELETE", "/api/keys/0123456789ab", False),
    ],
)
def test_what_is_a_read(method: str, path: str, read: bool) -> None:
    assert is_read(method, path) is read


def test_query_hashes() -> None:
    text = "SELECT * WHERE { ?s ?p ?o }"
    assert read_query_hash("/sparql", "query=SELECT+*+WHERE+%7B+%3Fs+%3Fp+%3Fo+%7D", {}, None, "") == sha(text)
    assert read_query_hash("/sparql", "", {}, text.encode(), "application/sparql-query; charset=utf-8") == sha(text)
    form = b"query=SELECT+*+WHERE+%7B+%3Fs+%3Fp+%3Fo+%7D"
    assert read_query_hash("/sparql", "", {}, form, "application/x-www-form-urlencoded") == sha(text)
    assert read_query_hash("/sparql", "", {"query_text": "ASK {}"}, form, "application/x-www-form-urlencoded") == sha(
        "ASK {}"
    )  # the route's own reading wins
    assert read_query_hash("/sparql", "", {}, None, "") is None  # the service description asks nothing
    one = read_query_hash("/api/queries/bill-of-materials", "system=a&format=json", {}, None, "")
    other = read_query_hash("/api/queries/bill-of-materials", "format=json&system=a", {}, None, "")
    assert one == other == parameters_hash("bill-of-materials", [("format", "json"), ("system", "a")])
    assert one != read_query_hash("/api/queries/bill-of-materials", "system=b&format=json", {}, None, "")
    assert read_query_hash("/api/search", "q=thales&lang=nl", {}, None, "") == sha("thales") == query_hash("thales")
    assert read_query_hash("/api/risk/spof", "", {}, None, "") is None


# -- through the real app -------------------------------------------------------------------


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[TestClient, dict[str, str], Path]]:
    store = EmbeddedStore.in_memory()
    tokens = {role: KeyRing(store).add(f"{role} key", role)[1] for role in ("reader", "analyst", "admin")}
    folder = tmp_path / "reads"
    app = create_app(store, Settings(read_audit_dir=str(folder)))
    with TestClient(app, raise_server_exceptions=False) as client:  # the lifespan: shutdown flushes
        yield client, tokens, folder
    store.close()


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_every_read_is_recorded_with_who_asked_and_a_hash_of_what(
    served: tuple[TestClient, dict[str, str], Path],
) -> None:
    client, tokens, folder = served
    query = "SELECT ?s WHERE { ?s ?p ?o } LIMIT 1"
    assert (
        client.post(
            "/sparql", content=query, headers={"Content-Type": "application/sparql-query", **bearer(tokens["analyst"])}
        ).status_code
        == 200
    )
    assert client.get("/api/search", params={"q": "Thales"}).status_code == 200
    assert client.head("/api/risk/spof").status_code in (200, 405)
    client.get("/health")
    client.get("/openapi.json")
    client.post("/api/keys", json={"name": "robot", "role": "reader"}, headers=bearer(tokens["admin"]))  # a write
    client.app.state.read_audit.flush()  # type: ignore[attr-defined]
    day = dt.datetime.now(dt.UTC).date().isoformat()
    assert (folder / f"reads-{day}.jsonl").is_file()
    events = lines(folder)
    assert [(e["method"], e["path"]) for e in events] == [
        ("POST", "/sparql"),
        ("GET", "/api/search"),
        ("HEAD", "/api/risk/spof"),
    ]
    sparql, search, _ = events
    assert sparql["query_hash"] == sha(query) and sparql["status"] == 200
    assert sparql["key_name"] == "analyst key" and sparql["role"] == "analyst" and len(sparql["key_id"]) == 12
    assert search["key_id"] is None and search["query_hash"] == sha("Thales")
    assert all(e["client"] == "testclient" and e["duration_ms"] >= 0 for e in events)
    # The graphs touched are whatever the access layer said, or null; never invented.
    assert all(e["graphs"] is None or isinstance(e["graphs"], list) for e in events)


def test_refused_reads_are_recorded_too(served: tuple[TestClient, dict[str, str], Path]) -> None:
    client, tokens, folder = served
    client.get("/api/audit/reads", headers=bearer(tokens["reader"]))
    client.get("/sparql", params={"query": "ASK {}"}, headers={"Authorization": "Bearer dpk_000000000000_nope"})
    client.app.state.read_audit.flush()  # type: ignore[attr-defined]
    assert [(e["path"], e["status"], e["role"]) for e in lines(folder)] == [
        ("/api/audit/reads", 403, "reader"),
        ("/sparql", 401, None),
    ]


def test_the_admin_route(served: tuple[TestClient, dict[str, str], Path]) -> None:
    client, tokens, _ = served
    client.get("/api/search", params={"q": "x"}, headers=bearer(tokens["reader"]))
    client.get("/api/search", params={"q": "y"})
    assert client.get("/api/audit/reads").status_code == 401
    assert client.get("/api/audit/reads", headers=bearer(tokens["analyst"])).status_code == 403
    page = client.get("/api/audit/reads", headers=bearer(tokens["admin"]))
    assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
    body = page.json()
    assert body["storage"] == "files" and not body["more"]
    # newest first; the refused reads above are in it too
    assert [e["status"] for e in body["events"]] == [403, 401, 200, 200]
    anonymous = client.get("/api/audit/reads", params={"key": "anonymous", "limit": 1}, headers=bearer(tokens["admin"]))
    assert anonymous.json()["more"] and anonymous.json()["events"][0]["path"] == "/api/audit/reads"
    reader_id = body["events"][-1]["key_id"]
    only = client.get("/api/audit/reads", params={"key": reader_id}, headers=bearer(tokens["admin"])).json()
    assert [e["query_hash"] for e in only["events"]] == [sha("x")]
    future = (dt.datetime.now(dt.UTC) + dt.timedelta(days=1)).isoformat()
    assert (
        client.get("/api/audit/reads", params={"since": future}, headers=bearer(tokens["admin"])).json()["events"] == []
    )


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"since": "2026-02-01", "until": "2026-01-01"}, "since"),
        ({"since": "yesterday"}, "since"),
        ({"key": "'; DROP"}, "key"),
        ({"limit": "0"}, "limit"),
    ],
)
def test_bad_parameters_are_400_problems_naming_them(
    served: tuple[TestClient, dict[str, str], Path], params: dict[str, str], named: str
) -> None:
    client, tokens, _ = served
    answer = client.get("/api/audit/reads", params=params, headers=bearer(tokens["admin"]))
    assert answer.status_code == 400
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert named in answer.json()["detail"]


def test_the_route_is_documented_with_an_example(served: tuple[TestClient, dict[str, str], Path]) -> None:
    client, _, _ = served
    operation = client.get("/openapi.json").json()["paths"]["/api/audit/reads"]["get"]
    assert {"200", "400", "401", "403"} <= set(operation["responses"])
    schema_ref = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    schema = client.get("/openapi.json").json()["components"]["schemas"][schema_ref.rsplit("/", 1)[-1]]
    assert schema["examples"][0]["events"][0]["query_hash"]


def test_switched_off_nothing_is_recorded(tmp_path: Path) -> None:
    store = EmbeddedStore.in_memory()
    token = KeyRing(store).add("admin key", "admin")[1]
    client = TestClient(create_app(store, Settings(read_audit=False, read_audit_dir=str(tmp_path))))
    client.get("/api/search", params={"q": "x"})
    answer = client.get("/api/audit/reads", headers=bearer(token))
    assert answer.status_code == 404 and "READ_AUDIT" in answer.json()["detail"]
    assert not list(tmp_path.iterdir())
    store.close()


def test_what_the_access_layer_says_is_recorded_as_given(tmp_path: Path) -> None:
    """The interface with the access layer: ``clearance``, ``read_graphs`` and ``query_text`` in the
    request state end up in the event; absent, they are null (never guessed)."""

    async def covered(request: Request) -> PlainTextResponse:
        request.state.clearance = "defport; orgs: kvk-12345678"
        request.state.read_graphs = ("https://example.org/g2", "https://example.org/g1")
        request.state.query_text = "SELECT 1"
        return PlainTextResponse("ok")

    async def plain(request: Request) -> PlainTextResponse:
        return PlainTextResponse("ok")

    store = EmbeddedStore.in_memory()
    reads = ReadAuditLog(tmp_path)
    inner = Starlette(routes=[Route("/api/covered", covered), Route("/api/plain", plain)])
    client = TestClient(AuditMiddleware(inner, AuditLog(store), reads=reads))
    client.get("/api/covered?x=1")
    client.get("/api/plain")
    reads.flush()
    plain_event, covered_event = reads.events()[0]
    assert covered_event["clearance"] == "defport; orgs: kvk-12345678"
    assert covered_event["graphs"] == ["https://example.org/g1", "https://example.org/g2"]
    assert covered_event["query_hash"] == sha("SELECT 1")
    assert plain_event["clearance"] is None and plain_event["graphs"] is None and plain_event["query_hash"] is None
    assert (
        timestamp(dt.datetime(2026, 1, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=1))))
        == "2026-01-01T00:00:00.000000Z"
    )
    reads.close()
    store.close()
