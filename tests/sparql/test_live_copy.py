"""The query workers' in-memory copy of the live data: the same answers as the snapshot, a commit
seen at once (the snapshot answers until the new copy is complete), graphs read from the snapshot,
copies of access views too, no copy where it does not fit."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient

from defport_kg.access import AccessControl, Marking, marking_quads
from defport_kg.api.routes.sparql import close_engine, engine_for
from defport_kg.settings import Settings
from defport_kg.sparql.engine import ProcessEngine
from defport_kg.sparql.execution import QueryOutcome, QueryRequest
from defport_kg.sparql.live_copy import CopyKeeper
from defport_kg.store import EmbeddedStore
from tests.conftest import turtle_quads
from tests.sparql.fixtures import IMPORT_A, LIVE
from tests.sparql.helpers import make_app

QUERIES = Path(__file__).resolve().parents[2] / "queries"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
EVERYTHING = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
NEW_ORG = "https://w3id.org/defport/id/org/newcomer"
# Long enough (about a quarter second, whatever the data) that two queries sent at once go to two workers.
_VALUES = " ".join(map(str, range(150)))
SLOW_ENOUGH = (
    f"SELECT (COUNT(*) AS ?n) WHERE {{ VALUES ?a {{ {_VALUES} }} VALUES ?b {{ {_VALUES} }} VALUES ?c {{ {_VALUES} }} }}"
)


def count(outcome: QueryOutcome) -> int:
    assert outcome.status == 200, outcome
    return int(json.loads(outcome.body)["results"]["bindings"][0]["n"]["value"])


def rows_of(outcome: QueryOutcome) -> list[str]:
    """The solutions as a sorted list; GROUP_CONCAT values (separator " " in every named query) as sorted
    words: the order of solutions, and of the values a group concatenates, is each store's own."""
    answer = json.loads(outcome.body)
    if "boolean" in answer:
        return [repr(answer["boolean"])]
    rows = []
    for row in answer["results"]["bindings"]:
        for term in row.values():
            term["value"] = " ".join(sorted(term["value"].split(" ")))
        rows.append(repr(sorted(row.items())))
    return sorted(rows)


def until_from_copy(engine: ProcessEngine, request: QueryRequest, view: Any = None) -> QueryOutcome:
    """Ask until a worker answers from its copy (it copies a newer database once the older one has left
    its recent queries and it has read the newer one as long as its last copy took); every answer on
    the way must be the same."""
    deadline = time.monotonic() + 60
    first = engine.run(request, view)
    while time.monotonic() < deadline:
        outcome = engine.run(request, view)
        assert (outcome.status, outcome.body) == (first.status, first.body)
        if outcome.from_copy:
            return outcome
        time.sleep(0.01)
    raise AssertionError("no worker answered from a copy within 60 s")


def engine_on(store: EmbeddedStore, copy_triples: int) -> ProcessEngine:
    """Two workers, each asked one query (a worker copies the database it is first asked for)."""
    engine = ProcessEngine(store, timeout=30, workers=2, copy_triples=copy_triples)
    assert engine.wait_ready(60)
    asked = [threading.Thread(target=engine.run, args=(QueryRequest(SLOW_ENOUGH),)) for _ in range(2)]
    for thread in asked:  # at once, so that both workers take one
        thread.start()
    for thread in asked:
        thread.join(60)
    return engine


@pytest.fixture
def engine(store: EmbeddedStore) -> Iterator[ProcessEngine]:
    engine = engine_on(store, 1_000_000)
    assert engine.wait_for_copies(60)
    yield engine
    engine.close()


def test_the_copy_answers_every_named_query_as_the_snapshot_does(example_store: EmbeddedStore) -> None:
    with_copy, without = engine_on(example_store, 1_000_000), engine_on(example_store, 0)
    try:
        assert with_copy.wait_for_copies(60)
        statuses = with_copy.copy_statuses()
        assert statuses and all(s is not None and s["ready"] for s in statuses), statuses
        live_triples = count(without.run(QueryRequest(COUNT)))
        assert all(s["triples"] == live_triples for s in statuses if s is not None)
        assert without.copy_statuses() == [None, None]
        texts = [p.read_text(encoding="utf-8") for p in sorted(QUERIES.glob("*.rq"))]
        assert len(texts) > 10
        for text in [*texts, COUNT, EVERYTHING]:
            for accept in ("application/sparql-results+json", "application/n-triples"):
                request = QueryRequest(text, accept=accept, result_limit=10**7)
                copied, snapshot = with_copy.run(request), without.run(request)
                assert not snapshot.from_copy
                assert copied.from_copy == (copied.status == 200 and "graph" not in text.lower()), text
                assert (copied.status, copied.media_type) == (snapshot.status, snapshot.media_type), text
                # As sets of lines or rows: the order of ties (and of a graph) is each store's own.
                if copied.status == 200 and copied.media_type == "application/n-triples":
                    assert sorted(copied.body.splitlines()) == sorted(snapshot.body.splitlines()), text
                elif copied.status == 200:
                    assert rows_of(copied) == rows_of(snapshot), text
    finally:
        with_copy.close()
        without.close()


def test_a_commit_is_seen_at_once_and_the_copy_catches_up(store: EmbeddedStore, engine: ProcessEngine) -> None:
    before = engine.run(QueryRequest(COUNT))
    assert before.from_copy
    store.add_source_graph(
        "https://w3id.org/defport/id/import/new", turtle_quads("o:newcomer a dp:Company ."), role="import"
    )
    ask = QueryRequest(f"ASK {{ <{NEW_ORG}> a dp:Company }}")
    assert json.loads(engine.run(ask).body)["boolean"] is True  # the new snapshot: the old copy does not fit
    after = until_from_copy(engine, ask)  # once the old snapshot has left the recent queries
    assert json.loads(after.body)["boolean"] is True
    assert str(engine._snapshots.current) in {s["path"] for s in engine.copy_statuses() if s}
    assert count(engine.run(QueryRequest(COUNT))) == count(before) + 1
    store.retire("https://w3id.org/defport/id/import/new")
    assert json.loads(engine.run(ask).body)["boolean"] is False  # at once, copy or not


@pytest.mark.parametrize(
    ("request_", "expected"),
    [
        (QueryRequest(f"SELECT ?s WHERE {{ GRAPH <{IMPORT_A}> {{ ?s a ?type }} }}"), 2),
        (QueryRequest(f"SELECT ?s FROM <{IMPORT_A}> WHERE {{ ?s a ?type }}"), 2),
        (QueryRequest("SELECT ?s WHERE { ?s a ?type }", default_graph_uris=(IMPORT_A,)), 2),
        (QueryRequest(f"SELECT ?s WHERE {{ ?s ?p <{LIVE}> }}"), 0),  # "graph" in an IRI: conservative
    ],
)
def test_queries_that_name_graphs_read_the_snapshot(
    engine: ProcessEngine, request_: QueryRequest, expected: int
) -> None:
    outcome = engine.run(request_)
    assert outcome.status == 200, outcome
    assert not outcome.from_copy
    assert len(json.loads(outcome.body)["results"]["bindings"]) == expected


def test_live_data_beyond_the_setting_is_not_copied(store: EmbeddedStore) -> None:
    engine = engine_on(store, 3)
    try:
        assert engine.wait_for_copies(60)
        statuses = engine.copy_statuses()
        assert statuses and all(s is not None and not s["ready"] for s in statuses)
        assert all("more than the 3 of setting DEFPORT_KG_QUERY_MEMORY_COPY_TRIPLES" in s["reason"] for s in statuses)
        outcome = engine.run(QueryRequest(COUNT))
        assert not outcome.from_copy and count(outcome) > 3
    finally:
        engine.close()


def test_a_copy_that_would_crowd_the_workers_memory_limit_is_refused() -> None:
    """Under a 2 GB address-space limit, 10M triples (~13 GB) are refused with the limit named; 1,000 pass."""
    script = (
        "import resource\n"
        "soft, hard = resource.getrlimit(resource.RLIMIT_AS)\n"
        "resource.setrlimit(resource.RLIMIT_AS, (2 << 30, hard))\n"
        "from defport_kg.sparql.live_copy import _refusal\n"
        "print(repr(_refusal(10_000_000, 10**9)))\n"
        "print(repr(_refusal(1_000, 10**9)))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    big, small = result.stdout.splitlines()
    assert "2048 MB limit" in big and "DEFPORT_KG_QUERY_WORKER_MEMORY_MB" in big
    assert small == "''"


def test_a_copy_being_built_does_not_stop_the_worker_answering(tmp_path: Path) -> None:
    """Enough live data that the copy takes a while: queries sent meanwhile are answered (from the snapshot)."""
    store = EmbeddedStore.open(tmp_path / "big", create=True)
    try:
        lines = "".join(f'o:x{i} rdfs:label "x{i}" ; dp:country c:NL .\n' for i in range(60_000))
        store.add_source_graph("https://w3id.org/defport/id/import/big", turtle_quads(lines), role="import")
        engine = engine_on(store, 10_000_000)
        try:
            answered, from_snapshot = 0, 0
            started = time.monotonic()
            while time.monotonic() - started < 20:
                outcome = engine.run(QueryRequest("SELECT * WHERE { ?s ?p ?o } LIMIT 3"))
                assert outcome.status == 200
                answered += 1
                from_snapshot += not outcome.from_copy
                if outcome.from_copy:
                    break
            assert from_snapshot >= 1 and answered > from_snapshot  # the snapshot answered, then the copy
        finally:
            engine.close()
    finally:
        store.close()


def test_metrics_tell_when_the_workers_copies_are_ready(store: EmbeddedStore) -> None:
    """Through the real app: /metrics counts the idle workers by the state of their copy."""
    app = make_app(store)
    client = TestClient(app)
    try:
        assert "defport_kg_sparql_memory_copies" not in client.get("/metrics").text  # no engine before /sparql
        assert client.get("/sparql", params={"query": COUNT}).status_code == 200
        engine = engine_for(app)
        assert isinstance(engine, ProcessEngine) and engine.wait_ready(60) and engine.wait_for_copies(60)
        text = client.get("/metrics").text
        # One query: one worker copied the database it read, the other was not asked yet.
        assert 'defport_kg_sparql_memory_copies{state="ready"} 1' in text, text
        assert 'defport_kg_sparql_memory_copies{state="none"} 1' in text
    finally:
        close_engine(app)


def test_an_access_view_is_copied_too_and_answers_as_the_view(store: EmbeddedStore) -> None:
    """A caller below the unbounded clearance reads its access view (its own database): after a few
    queries the worker copies that database instead of the snapshot, and answers as the view does,
    without what the view hides."""
    public = "https://w3id.org/defport/id/import/public"
    store.add_source_graph(
        public,
        turtle_quads('o:open a dp:Company ; rdfs:label "Open" .'),
        role="import",
        extra_quads=marking_quads(public, Marking("public")),
    )
    access = AccessControl.from_settings(store, Settings(anonymous_clearance="public"))
    with_copy, without = engine_on(store, 1_000_000), engine_on(store, 0)
    try:
        view = access.view(access.anonymous)
        assert not view.full and view.path is not None
        companies = QueryRequest("SELECT ?c WHERE { ?c a dp:Company }")
        seen = [b["c"]["value"] for b in json.loads(without.run(companies, view).body)["results"]["bindings"]]
        assert seen == ["https://w3id.org/defport/id/org/open"]  # Acme and Beta are not public
        copied = until_from_copy(with_copy, companies, view)
        assert str(view.path) in {s["path"] for s in with_copy.copy_statuses() if s}
        assert copied.body == without.run(companies, view).body
    finally:
        with_copy.close()
        without.close()
        access.close()


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def small_database(label: str) -> ox.Store:
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode(f"urn:{label}"), ox.NamedNode("urn:p"), ox.Literal(label)))
    return store


def test_the_keeper_waits_as_long_as_the_last_copy_took_before_copying_a_newer_database() -> None:
    clock = Clock()
    keeper = CopyKeeper(1_000, clock=clock)
    first, second = small_database("first"), small_database("second")
    assert keeper.for_query(first, "db1") is None  # the first copy starts at once
    assert keeper.live is not None and keeper.live.wait(30)
    assert keeper.for_query(first, "db1") is not None
    keeper.live.seconds = 5.0  # as if that copy had taken five seconds
    for _ in range(10):  # db1 leaves the recent queries
        assert keeper.for_query(second, "db2") is None
    assert keeper.live.path == "db1"  # not yet: db2 has been read for 0 s
    clock.now += 4.9
    assert keeper.for_query(second, "db2") is None and keeper.live.path == "db1"
    clock.now += 0.2
    assert keeper.for_query(second, "db2") is None
    assert keeper.live.path == "db2" and keeper.live.wait(30)
    copy = keeper.for_query(second, "db2")
    assert copy is not None and len(copy) == 1 and next(iter(copy)).object == ox.Literal("second")


def test_the_keeper_does_not_rebuild_for_databases_asked_in_turn_nor_while_building() -> None:
    clock = Clock()
    keeper = CopyKeeper(1_000, clock=clock)
    a, b = small_database("a"), small_database("b")
    keeper.for_query(a, "a")
    assert keeper.live is not None and keeper.live.wait(30)
    for _ in range(20):  # a stays among the recent queries: its copy is kept, b reads its database
        clock.now += 10
        assert keeper.for_query(b, "b") is None
        assert keeper.for_query(a, "a") is not None
    assert keeper.live.path == "a"
    off = CopyKeeper(0, clock=clock)
    assert off.for_query(a, "a") is None and off.live is None and off.status() is None


@pytest.mark.slow
def test_commits_during_copies_lose_no_answer_and_kill_no_worker(tmp_path: Path) -> None:
    """Commits every few tenths of a second while the workers copy and answer: old snapshots are
    deleted under copies being built; every answer is right for the commit it was sent after, no
    worker dies."""
    store = EmbeddedStore.open(tmp_path / "busy", create=True)
    try:
        lines = "".join(f'o:x{i} rdfs:label "x{i}" ; dp:country c:NL .\n' for i in range(30_000))
        store.add_source_graph("https://w3id.org/defport/id/import/base", turtle_quads(lines), role="import")
        engine = engine_on(store, 10_000_000)
        try:
            pids = set(engine.worker_pids())
            commits, answered = 0, 0
            started = time.monotonic()
            while time.monotonic() - started < 12:
                name = f"https://w3id.org/defport/id/import/n{commits}"
                store.add_source_graph(name, turtle_quads(f"o:n{commits} a dp:Company ."), role="import")
                commits += 1
                for _ in range(10):
                    outcome = engine.run(QueryRequest("SELECT (COUNT(*) AS ?n) WHERE { ?c a dp:Company }"))
                    assert count(outcome) == commits  # every commit seen by the next query, copy or not
                    answered += 1
                time.sleep(0.2)
            assert set(engine.worker_pids()) == pids  # no worker died
            assert commits >= 10 and answered >= 100
        finally:
            engine.close()
    finally:
        store.close()
