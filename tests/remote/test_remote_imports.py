"""The import pipeline with the same assertions on embedded, Oxigraph server and Virtuoso.

A good import, a bad one that leaves the store exactly as it was, ``--replace``, rollback, the bulk
commit path, validation in context (the stored data a batch refers to is read through the store
interface, also on a server), and an import whose server dies half-way through its upload.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest

from defport_kg.bootstrap import initialise
from defport_kg.errors import StoreError, ValidationFailed
from defport_kg.imports import check_imports, import_files, list_imports, rollback
from defport_kg.imports.context import context_triples
from defport_kg.namespaces import LIVE_GRAPH
from defport_kg.rdfio import parse_file
from defport_kg.settings import get_settings
from defport_kg.store import STATUS_LIVE, STATUS_ROLLED_BACK, STATUS_SUPERSEDED, EmbeddedStore
from defport_kg.store.remote import RemoteStore
from tests.imports.conftest import ACME, BATCH, PRISM, write
from tests.remote.conftest import clear, server_answers

HEAD = BATCH.read_text().split("\n\n")[0] + "\n\n"
SHARE = (
    f"SELECT ?share WHERE {{ ?r <https://w3id.org/defport/ontology#item> <{PRISM}> ;"
    " <https://w3id.org/defport/ontology#share> ?share }"
)
LABEL = f'ASK {{ <{ACME}> <http://www.w3.org/2000/01/rdf-schema#label> "Acme Optics B.V." }}'


def state(store: Any) -> set[str]:
    """Every quad in every graph of ours (catalogue, live, sources, system): the whole store."""
    rows = store.query(
        'SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } FILTER (STRSTARTS(STR(?g), "https://w3id.org/defport/")) }',
        use_query_dataset=True,
    )
    return {f"{r['s']} {r['p']} {r['o']} {r['g']}" for r in rows}


def live(store: Any) -> set[str]:
    return {str(q) for q in store.graph_quads(LIVE_GRAPH)}


@pytest.fixture
def ready(store: Any) -> Any:
    """The parametrized empty store (tests/remote/conftest.py) with the ontology and reference data."""
    initialise(store)
    return store


@pytest.fixture
def settings_env(monkeypatch: pytest.MonkeyPatch) -> Any:
    def apply(**values: object) -> None:
        for key, value in values.items():
            monkeypatch.setenv(f"DEFPORT_KG_{key.upper()}", str(value))
        get_settings.cache_clear()

    yield apply
    get_settings.cache_clear()


def test_a_good_import_becomes_live_with_its_provenance(ready: Any) -> None:
    result = import_files(ready, [BATCH])
    assert result.committed and result.triple_count == 19
    assert result.graph in ready.live_graphs()
    assert ready.ask(LABEL)
    assert ready.select(SHARE) == [{"share": 0.6}]
    [record] = list_imports(ready)
    assert record.graph == result.graph and record.status == STATUS_LIVE
    assert record.sources == ["batch.ttl"] and record.triple_count == 19 and record.sha256
    assert ready.triple_count(result.graph) == 19
    assert ready.check() == [] and check_imports(ready) == []


def test_a_bad_import_leaves_the_store_unchanged(ready: Any, tmp_path: Path) -> None:
    import_files(ready, [BATCH])
    before = state(ready)
    ghost = HEAD + (
        "dpid:supply\\/nobody--prism a dp:SupplyRelation ; dp:supplier dpid:org\\/nobody ;"
        " dp:item dpid:item\\/prism ; dp:share 0.2 .\n"
    )
    with pytest.raises(ValidationFailed) as caught:
        import_files(ready, [write(tmp_path, "ghost.ttl", ghost)])
    assert caught.value.report.violation_count >= 1
    assert "nobody" in caught.value.report.to_text()
    assert state(ready) == before
    assert len(list_imports(ready)) == 1
    assert ready.check() == [] and check_imports(ready) == []


def test_validation_reads_the_stored_context(ready: Any, tmp_path: Path) -> None:
    """Share sums span stored relations, cycles close through stored items, identifiers are unique
    across the store: each needs stored data found through the store interface."""
    import_files(ready, [BATCH])
    more = HEAD + (
        "dpid:supply\\/second--prism a dp:SupplyRelation ; dp:supplier dpid:org\\/acme-optics ;"
        " dp:item dpid:item\\/prism ; dp:share 0.5 .\n"
    )
    cycle = HEAD + "dpid:item\\/prism dp:hasComponent dpid:item\\/periscope .\n"
    twin = HEAD + (
        'dpid:org\\/acme-twin a dp:Company ; rdfs:label "Acme twin" ; dp:country dpid:country\\/NL ;'
        ' dp:kvkNumber "87654321" .\n'
    )
    for name, text, shape in [
        ("more.ttl", more, "ShareSumShape"),
        ("cycle.ttl", cycle, "ComponentCycleShape"),
        ("twin.ttl", twin, "DuplicateKvkShape"),
    ]:
        with pytest.raises(ValidationFailed) as caught:
            import_files(ready, [write(tmp_path, name, text)])
        hit = {r.source_shape.rsplit("#", 1)[-1] for r in caught.value.report.results if r.severity == "Violation"}
        assert shape in hit, name
    assert len(list_imports(ready)) == 1


def _blank_free(triples: list[ox.Triple]) -> list[str]:
    return sorted(re.sub(r"_:\S+", "_:b", str(t)) for t in triples)


def test_the_context_is_the_same_on_every_store(ready: Any, tmp_path: Path) -> None:
    """The context lookups (statements about the batch's nodes and the blank nodes they point to,
    incoming relations with their shares, the bill of materials, identifier holders) agree with the
    embedded store's."""
    extra = '\ndpid:item\\/prism dp:note [ rdfs:label "deep" ; dp:inner [ rdfs:label "deeper" ] ] .\n'
    text = BATCH.read_text() + extra
    path = write(tmp_path, "batch.ttl", text)
    import_files(ready, [path])
    reference = EmbeddedStore.in_memory()
    initialise(reference)
    import_files(reference, [path])
    probe = parse_file(
        write(
            tmp_path,
            "probe.ttl",
            HEAD
            + (
                "dpid:item\\/periscope dp:hasComponent dpid:item\\/lens .\n"
                'dpid:org\\/acme-twin dp:kvkNumber "87654321" .\n'
                "dpid:supply\\/x a dp:SupplyRelation ; dp:item dpid:item\\/prism .\n"
            ),
        )
    ).quads
    expected = _blank_free(context_triples(reference, probe))
    assert any("deeper" in t for t in expected)
    assert _blank_free(context_triples(ready, probe)) == expected
    # Read as if the batch's import had left the live data: only the reference data remains.
    [graph] = [g for g in ready.live_graphs() if "/import/" in g]
    without = _blank_free(context_triples(ready, probe, exclude=[graph]))
    assert not any("Acme Optics" in t for t in without)
    imported = [g for g in reference.live_graphs() if "/import/" in g]
    assert without == _blank_free(context_triples(reference, probe, exclude=imported))
    reference.close()


@pytest.mark.parametrize("bulk", [False, True], ids=["transaction", "bulk"])
def test_replace_and_rollback(ready: Any, tmp_path: Path, settings_env: Any, bulk: bool) -> None:
    if bulk:
        settings_env(bulk_commit_min_triples=1)
    first = import_files(ready, [write(tmp_path, "a.ttl", BATCH.read_text())])
    second = import_files(ready, [write(tmp_path, "b.ttl", BATCH.read_text().replace("0.6", "0.5"))], replace="a.ttl")
    assert second.replaced == [first.graph]
    assert ready.select(SHARE) == [{"share": 0.5}]
    assert ready.live_graphs().count(first.graph) == 0 and second.graph in ready.live_graphs()
    statuses = {r.graph: r.status for r in list_imports(ready)}
    assert statuses == {first.graph: STATUS_SUPERSEDED, second.graph: STATUS_LIVE}
    assert ready.check() == [] and check_imports(ready) == []

    back = rollback(ready, second.import_id)
    assert back.reactivated == [first.graph]
    assert ready.select(SHARE) == [{"share": 0.6}]
    statuses = {r.graph: r.status for r in list_imports(ready)}
    assert statuses == {first.graph: STATUS_LIVE, second.graph: STATUS_ROLLED_BACK}
    rollback(ready, first.import_id)
    assert ready.select(SHARE) == [] and not ready.ask(LABEL)
    assert ready.check() == [] and check_imports(ready) == []


@pytest.mark.server
@pytest.mark.slow
@pytest.mark.parametrize("kind", ["oxigraph", "virtuoso"])
def test_server_killed_in_the_middle_of_an_import_upload(
    request: pytest.FixtureRequest, kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The server dies (SIGKILL) after part of a replacing import was uploaded: after it comes back,
    the live data and the catalogue's live graphs are as before, and the leftover is cleaned up."""
    server = request.getfixturevalue(f"{kind}_server")
    remote = RemoteStore.open(server.location, create=True)
    clear(remote)
    initialise(remote)
    first = import_files(remote, [write(tmp_path, "a.ttl", BATCH.read_text())])
    before_live, before_graphs = live(remote), remote.live_graphs()
    # One triple per SPARQL Update upload, ten per Graph Store Protocol upload (Oxigraph): either way
    # the 19-triple batch takes several requests, and the server dies before the second.
    remote.retries, remote.chunk_size = 1, 1
    uploads = [0]
    update, post = RemoteStore._update, RemoteStore._graph_store_post

    def upload() -> None:
        uploads[0] += 1
        if uploads[0] == 2:
            server.stop(kill=True)

    def dying_update(self: RemoteStore, sparql_update: str, what: str = "update") -> None:
        if what == "upload":
            upload()
        update(self, sparql_update, what)

    def dying_post(self: RemoteStore, graph: str, body: bytes) -> None:
        upload()
        post(self, graph, body)

    monkeypatch.setattr(RemoteStore, "_update", dying_update)
    monkeypatch.setattr(RemoteStore, "_graph_store_post", dying_post)
    bigger = BATCH.read_text().replace("0.6", "0.4")
    with pytest.raises(StoreError, match="does not answer"):
        import_files(remote, [write(tmp_path, "b.ttl", bigger)], replace="a.ttl")
    monkeypatch.undo()
    assert uploads[0] == 2
    server.start()
    assert server_answers(server)
    assert live(remote) == before_live
    assert remote.live_graphs() == before_graphs
    assert remote.select(SHARE) == [{"share": 0.6}]
    left = remote.cleanup_staging()
    assert len(left) == 1 and left[0] != first.graph
    assert remote.check() == [] and check_imports(remote) == []
    assert [r.graph for r in list_imports(remote)] == [first.graph]
    clear(remote)
    remote.close()
