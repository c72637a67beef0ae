"""Where queries run: killable workers on snapshots (on-disk stores) and threads (in-memory stores).

The runaway-query tests check what the issue asks: the query is stopped at its deadline, its
worker is killed (no process of ours keeps burning CPU), and other queries keep being answered.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator

import pytest

from defport_kg.sparql.engine import ProcessEngine, ThreadEngine, create_engine
from defport_kg.sparql.execution import QueryOutcome, QueryRequest
from defport_kg.sparql.snapshots import SNAPSHOT_DIR
from defport_kg.store import EmbeddedStore
from tests.conftest import turtle_quads
from tests.sparql.helpers import CROSS_PRODUCT, busy_processes, children, cpu_seconds

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
NEW_ORG = "https://w3id.org/defport/id/org/newcomer"


def count(outcome: QueryOutcome) -> int:
    assert outcome.status == 200, outcome
    return int(json.loads(outcome.body)["results"]["bindings"][0]["n"]["value"])


@pytest.fixture
def engine(store: EmbeddedStore) -> Iterator[ProcessEngine]:
    engine = ProcessEngine(store, timeout=20, workers=2)
    assert engine.wait_ready(60)
    yield engine
    engine.close()


def test_an_on_disk_store_gets_worker_processes_and_memory_gets_threads(store: EmbeddedStore) -> None:
    engine = create_engine(store, timeout=5)
    try:
        assert isinstance(engine, ProcessEngine) and engine.size >= 2
    finally:
        engine.close()
    memory = EmbeddedStore.in_memory()
    engine = create_engine(memory, timeout=5)
    try:
        assert isinstance(engine, ThreadEngine)
    finally:
        engine.close()


def test_queries_run_in_other_processes(engine: ProcessEngine) -> None:
    pids = engine.worker_pids()
    assert len(pids) == 2 and os.getpid() not in pids
    assert count(engine.run(QueryRequest(COUNT))) > 0


def test_a_commit_is_seen_by_the_very_next_query(store: EmbeddedStore, engine: ProcessEngine) -> None:
    before = count(engine.run(QueryRequest(COUNT)))
    store.add_source_graph(
        "https://w3id.org/defport/id/import/new", turtle_quads("o:newcomer a dp:Company ."), role="import"
    )
    outcome = engine.run(QueryRequest(f"ASK {{ <{NEW_ORG}> a dp:Company }}"))
    assert json.loads(outcome.body)["boolean"] is True
    assert count(engine.run(QueryRequest(COUNT))) == before + 1
    store.retire("https://w3id.org/defport/id/import/new")
    assert count(engine.run(QueryRequest(COUNT))) == before


def test_old_snapshots_are_deleted_once_no_worker_reads_them(store: EmbeddedStore, engine: ProcessEngine) -> None:
    for i in range(5):
        store.add_source_graph(
            f"https://w3id.org/defport/id/import/n{i}", turtle_quads(f"o:n{i} a dp:Company ."), role="import"
        )
        engine.run(QueryRequest(COUNT))
    time.sleep(1.0)  # idle workers switch in the background
    engine.run(QueryRequest(COUNT))
    engine.run(QueryRequest(COUNT))
    root = store.directory / SNAPSHOT_DIR
    snapshots = [p for own in root.iterdir() for p in own.iterdir()]
    assert 1 <= len(snapshots) <= 3, snapshots  # the newest, and at most one per worker
    engine.close()
    assert not any(root.iterdir()) if root.exists() else True


def test_a_worker_that_died_while_idle_is_replaced(engine: ProcessEngine) -> None:
    victim = engine.worker_pids()[0]
    os.kill(victim, signal.SIGKILL)
    time.sleep(0.2)
    for _ in range(4):
        assert count(engine.run(QueryRequest(COUNT))) > 0
    assert engine.wait_ready(60)
    assert victim not in engine.worker_pids() and len(engine.worker_pids()) == 2


def test_a_worker_that_crashes_mid_query_gives_500_and_is_replaced(engine: ProcessEngine) -> None:
    results: list[QueryOutcome] = []
    thread = threading.Thread(target=lambda: results.append(engine.run(QueryRequest(CROSS_PRODUCT))))
    pids = engine.worker_pids()
    thread.start()
    time.sleep(1.0)
    busy = [pid for pid in pids if (cpu_seconds(pid) or 0) > 0]
    for pid in pids:  # whichever runs the query; killing an idle one is recovered from as well
        os.kill(pid, signal.SIGKILL)
    thread.join(30)
    assert busy and results and results[0].status == 500
    assert engine.wait_ready(60)
    assert count(engine.run(QueryRequest(COUNT))) > 0


@pytest.mark.slow
def test_a_runaway_query_is_stopped_its_cpu_freed_and_others_answered(example_store: EmbeddedStore) -> None:
    engine = ProcessEngine(example_store, timeout=2.0, workers=2)
    try:
        assert engine.wait_ready(60)
        workers_before = set(engine.worker_pids())
        outcome: list[QueryOutcome] = []
        started = time.monotonic()
        runaway = threading.Thread(target=lambda: outcome.append(engine.run(QueryRequest(CROSS_PRODUCT))))
        runaway.start()
        # While it runs, the other worker keeps answering.
        answered = 0
        while runaway.is_alive() and time.monotonic() - started < 1.5:
            tick = time.monotonic()
            assert count(engine.run(QueryRequest(COUNT))) > 10_000
            assert time.monotonic() - tick < 1.0
            answered += 1
        runaway.join(30)
        elapsed = time.monotonic() - started
        assert outcome[0].status == 503 and outcome[0].title == "Query timed out"
        assert 2.0 <= elapsed < 6.0
        assert answered >= 3
        # Its worker is gone: killed, reaped, replaced.
        killed = workers_before - set(engine.worker_pids())
        assert len(killed) == 1
        assert all(cpu_seconds(pid) is None for pid in killed)
        # Nothing of ours burns CPU any more (the replacement's start-up aside, give it time).
        assert engine.wait_ready(60)
        time.sleep(0.5)
        assert busy_processes(children(os.getpid())) == {}
        assert count(engine.run(QueryRequest(COUNT))) > 10_000
    finally:
        engine.close()


@pytest.mark.slow
def test_writes_are_not_held_up_by_a_running_query(store: EmbeddedStore) -> None:
    engine = ProcessEngine(store, timeout=4.0, workers=2)
    try:
        assert engine.wait_ready(60)
        runaway = threading.Thread(target=lambda: engine.run(QueryRequest(CROSS_PRODUCT)))
        runaway.start()
        time.sleep(0.5)
        tick = time.monotonic()
        store.add_source_graph(
            "https://w3id.org/defport/id/import/during", turtle_quads("o:newcomer a dp:Company ."), role="import"
        )
        assert time.monotonic() - tick < 2.0
        outcome = engine.run(QueryRequest(f"ASK {{ <{NEW_ORG}> a dp:Company }}"))
        assert json.loads(outcome.body)["boolean"] is True
        runaway.join(30)
    finally:
        engine.close()


def test_the_thread_engine_stops_reading_rows_at_the_deadline() -> None:
    store = EmbeddedStore.in_memory()
    store.add_source_graph(
        "https://w3id.org/defport/id/import/many",
        turtle_quads("".join(f"o:x{i} rdfs:label 'x{i}' .\n" for i in range(2000))),
        role="import",
    )
    threads_before = threading.active_count()  # other tests of this process may have left some
    engine = ThreadEngine(store, timeout=0.3, workers=2)
    try:
        tick = time.monotonic()
        big = QueryRequest("SELECT * { ?a ?b ?c . ?d ?e ?f }", result_limit=10**9)
        outcome = engine.run(big)
        assert outcome.status == 503 and time.monotonic() - tick < 2.0
        time.sleep(0.5)  # the abandoned query stops at its next batch of rows
        assert engine.run(QueryRequest(COUNT)).status == 200
        assert threading.active_count() - threads_before <= 4  # the pool's threads, no pile-up
    finally:
        engine.close()


def test_the_worker_entry_point_refuses_to_be_run_by_hand() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "defport_kg.sparql"], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode != 0 and "usage" in result.stderr


def _numbers(size: int) -> str:
    return " ".join(str(n) for n in range(size))


@pytest.mark.parametrize(
    ("rows_a", "rows_b", "comment_bytes"),
    [
        (2, 5, 0),  # ~2 KB: one read on the event loop
        (20, 30, 0),  # ~110 KB: more than one read, still unpickled on the event loop
        (50, 120, 0),  # ~1.1 MB: more than the inline limit, finished in a thread
        (2, 5, 40_000),  # a query text over 16 KB: sent in two blocking writes
    ],
)
def test_answers_of_every_size_cross_the_socket_whole(
    engine: ProcessEngine, rows_a: int, rows_b: int, comment_bytes: int
) -> None:
    import anyio

    text = (
        "#" + "x" * comment_bytes + "\n" if comment_bytes else ""
    ) + f"SELECT ?a ?b WHERE {{ VALUES ?a {{ {_numbers(rows_a)} }} VALUES ?b {{ {_numbers(rows_b)} }} }}"
    request = QueryRequest(text=text, accept="application/sparql-results+json")

    async def three_times() -> list[QueryOutcome]:
        return [await engine.run_async(request) for _ in range(3)]

    for outcome in anyio.run(three_times):
        assert outcome.status == 200, outcome
        rows = json.loads(outcome.body)["results"]["bindings"]
        got = sorted((int(row["a"]["value"]), int(row["b"]["value"])) for row in rows)
        assert got == [(a, b) for a in range(rows_a) for b in range(rows_b)]
