"""The result cache of /sparql: repeated queries are answered from memory until the next commit,
never across clearances, never for queries whose answer may change without a commit."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from defport_kg.api.routes.sparql import close_engine
from defport_kg.sparql.cache import ResultCache, cacheable
from defport_kg.sparql.execution import QueryOutcome, QueryRequest
from defport_kg.store import EmbeddedStore
from tests.conftest import turtle_quads
from tests.sparql.fixtures import fill
from tests.sparql.helpers import SPARQL_JSON, make_app

COMPANIES = "SELECT ?o WHERE { ?o a dp:Company } ORDER BY ?o"
NEWCOMER = "https://w3id.org/defport/id/org/newcomer"


def outcome(body: bytes) -> QueryOutcome:
    return QueryOutcome(200, SPARQL_JSON, body)


# -- the cache itself ----------------------------------------------------------------------------


def test_least_recently_used_answers_go_first_when_the_cache_is_full() -> None:
    cache = ResultCache(max_bytes=16 * 100)  # entries up to 100 bytes, 1,600 bytes in all
    keys = [ResultCache.key(1, None, QueryRequest(f"ASK {{ <urn:x{i}> ?p ?o }}")) for i in range(20)]
    for key in keys[:16]:
        cache.put(key, outcome(b"x" * 100))
    assert cache.get(keys[0]) is not None  # now the most recently used
    cache.put(keys[16], outcome(b"x" * 100))
    assert cache.get(keys[1]) is None and cache.get(keys[0]) is not None and cache.get(keys[16]) is not None
    assert len(cache) == 16


def test_errors_and_oversized_answers_are_not_kept() -> None:
    cache = ResultCache(max_bytes=1600)
    key = ResultCache.key(1, None, QueryRequest("ASK {}"))
    cache.put(key, QueryOutcome(503, title="Query timed out"))
    assert cache.get(key) is None
    cache.put(key, outcome(b"x" * 101))  # more than a sixteenth of the cache
    assert cache.get(key) is None


def test_a_newer_generation_drops_the_answers_of_older_ones() -> None:
    cache = ResultCache(max_bytes=10_000)
    old = ResultCache.key(1, None, QueryRequest("ASK {}"))
    cache.put(old, outcome(b"old"))
    cache.put(ResultCache.key(2, None, QueryRequest("ASK { ?s ?p ?o }")), outcome(b"new"))
    assert cache.get(old) is None and len(cache) == 1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("SELECT * WHERE { ?s ?p ?o } LIMIT 10", True),
        ("SELECT (RAND() AS ?r) WHERE {}", False),
        ("SELECT (now() AS ?t) WHERE {}", False),
        ("SELECT (UUID() AS ?u) (STRUUID() AS ?v) WHERE {}", False),
        ("CONSTRUCT { ?s <urn:p> [] } WHERE { ?s ?p ?o }", True),  # a blank node in a template: labels vary
        ("SELECT (BNODE() AS ?b) WHERE {}", False),
        ("SELECT * WHERE { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }", False),
        ("SELECT ?now WHERE { ?now ?p ?o }", True),  # a variable named like a function is fine
    ],
)
def test_only_answers_that_a_commit_alone_can_change_are_kept(text: str, expected: bool) -> None:
    assert cacheable(QueryRequest(text)) is expected


# -- through the app -----------------------------------------------------------------------------


@pytest.fixture(params=["threads", "processes"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[EmbeddedStore]:
    on_disk = request.param == "processes"
    handle = EmbeddedStore.open(tmp_path / "s", create=True) if on_disk else EmbeddedStore.in_memory()
    yield fill(handle)
    handle.close()


def test_a_repeated_query_is_answered_from_the_cache_until_the_next_commit(store: EmbeddedStore) -> None:
    app = make_app(store)
    try:
        client = TestClient(app)
        first = client.get("/sparql", params={"query": COMPANIES})
        again = client.get("/sparql", params={"query": COMPANIES})
        assert first.headers["x-defport-cache"] == "miss" and again.headers["x-defport-cache"] == "hit"
        assert again.content == first.content and again.headers["content-type"] == first.headers["content-type"]
        # Another Accept is another answer.
        csv = client.get("/sparql", params={"query": COMPANIES}, headers={"Accept": "text/csv"})
        assert csv.headers["x-defport-cache"] == "miss" and csv.text.startswith("o\r\n")
        store.add_source_graph(
            "https://w3id.org/defport/id/import/new", turtle_quads("o:newcomer a dp:Company ."), role="import"
        )
        after = client.get("/sparql", params={"query": COMPANIES})
        assert after.headers["x-defport-cache"] == "miss"
        assert NEWCOMER in after.text and NEWCOMER not in first.text
        store.retire("https://w3id.org/defport/id/import/new")
        assert NEWCOMER not in client.get("/sparql", params={"query": COMPANIES}).text
    finally:
        close_engine(app)


def test_queries_that_may_change_without_a_commit_are_run_every_time(store: EmbeddedStore) -> None:
    app = make_app(store)
    try:
        client = TestClient(app)
        query = "SELECT (STRUUID() AS ?u) WHERE {}"
        first, second = (client.get("/sparql", params={"query": query}) for _ in range(2))
        assert "x-defport-cache" not in first.headers and "x-defport-cache" not in second.headers
        assert first.json()["results"]["bindings"] != second.json()["results"]["bindings"]
    finally:
        close_engine(app)


def test_the_cache_can_be_turned_off(store: EmbeddedStore) -> None:
    app = make_app(store, query_cache_mb=0)
    try:
        client = TestClient(app)
        responses = [client.get("/sparql", params={"query": COMPANIES}) for _ in range(2)]
        assert all("x-defport-cache" not in r.headers for r in responses)
        assert getattr(app.state, "sparql_result_cache", None) is None
    finally:
        close_engine(app)
