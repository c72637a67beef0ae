"""The commit paths: one transaction for small batches, bulk loading for large ones — and a process
killed between any two steps of a bulk commit leaves the store exactly as before."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pyoxigraph as ox
import pytest

from defport_kg.imports import check_imports, import_files, list_imports, rollback
from defport_kg.store import STATUS_ACTIVATING, EmbeddedStore
from tests.conftest import ROOT
from tests.imports.conftest import BATCH, snapshot, write


@pytest.mark.parametrize("exclusive", [True, False], ids=["exclusive", "transactional"])
def test_bulk_commit_gives_the_same_store_as_a_transaction(
    store: EmbeddedStore, tmp_path: Path, settings_env: object, exclusive: bool
) -> None:
    settings_env(bulk_commit_min_triples=1)  # type: ignore[operator]
    text = BATCH.read_text() + '\n_:n <http://www.w3.org/2000/01/rdf-schema#comment> "blank" .\n'
    first = import_files(store, [write(tmp_path, "a.ttl", text)], exclusive=exclusive)
    assert first.triple_count == 20 and store.triple_count(first.graph) == 20
    assert store.check() == [] and check_imports(store) == []
    # Blank nodes agree between the import graph and the live data: rolling back removes them all.
    second = import_files(
        store, [write(tmp_path, "b.ttl", text.replace("0.6", "0.5"))], replace="a.ttl", exclusive=exclusive
    )
    assert second.replaced == [first.graph]
    assert store.select('SELECT ?n WHERE { ?n <http://www.w3.org/2000/01/rdf-schema#comment> "blank" }') != []
    rollback(store, second.import_id)
    rollback(store, first.import_id)
    assert store.select('SELECT ?n WHERE { ?n <http://www.w3.org/2000/01/rdf-schema#comment> "blank" }') == []
    assert store.check() == [] and check_imports(store) == []


# Crash points inside EmbeddedStore.commit_bulk(exclusive=True): the process kills itself right
# after the n-th write (1: catalogue entry marked activating, 2: the two parallel loads, into the
# graph and into the live data; the 3rd marks it live, when the commit is done). What the kill
# can leave between the two loads is the next test's.
CRASH = textwrap.dedent(
    """
    import os, signal, sys
    from defport_kg.store import EmbeddedStore
    store = EmbeddedStore.open(sys.argv[1])
    after, writes = int(sys.argv[2]), [0]
    original = store._write
    def write(operation):
        original(operation)
        writes[0] += 1
        if writes[0] == after:
            os.kill(os.getpid(), signal.SIGKILL)
    store._write = write
    import pyoxigraph as ox
    data = open(sys.argv[3], "rb").read()
    blank = [ox.Triple(ox.BlankNode(), ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#comment"), ox.Literal("b"))]
    store.commit_bulk("https://w3id.org/defport/id/import/crash", data, blank=blank, role="import", exclusive=True,
                      retire=[sys.argv[4]])
    """
)


@pytest.mark.parametrize("after", [1, 2])
def test_a_bulk_commit_killed_between_steps_is_undone_on_open(
    _reference_store_dir: Path, tmp_path: Path, after: int
) -> None:
    store_dir = tmp_path / "store"
    shutil.copytree(_reference_store_dir, store_dir)
    with EmbeddedStore.open(store_dir) as store:
        earlier = import_files(store, [BATCH])
        before = snapshot(store)
    data = tmp_path / "batch.nt"
    data.write_bytes(
        b"".join(
            f'<https://w3id.org/defport/id/org/k{i}> <http://www.w3.org/2000/01/rdf-schema#label> "K{i}" .\n'.encode()
            for i in range(5000)
        )
    )
    script = tmp_path / "crash.py"
    script.write_text(CRASH)
    done = subprocess.run(
        [sys.executable, str(script), str(store_dir), str(after), str(data), earlier.graph],
        cwd=ROOT,
        capture_output=True,
        timeout=120,
    )
    assert done.returncode == -9, done.stderr.decode()
    with EmbeddedStore.open(store_dir) as store:
        assert snapshot(store) == before
        assert store.check() == [] and check_imports(store) == []
        assert [r.graph for r in list_imports(store)] == [earlier.graph]


@pytest.mark.parametrize("landed", ["live", "graph", "both"])
def test_a_bulk_commit_with_only_one_of_its_loads_landed_is_undone_on_open(
    _reference_store_dir: Path, tmp_path: Path, landed: str
) -> None:
    """The two loads of an exclusive bulk commit run at once, so a kill can leave either one without
    the other: live copies whose graph copies never arrived included. Opening undoes all of it."""
    store_dir = tmp_path / "store"
    shutil.copytree(_reference_store_dir, store_dir)
    graph = ox.NamedNode("https://w3id.org/defport/id/import/interrupted")
    # Statements new to the store, and one the live data holds already (it must stay).
    data = b"".join(
        f'<https://w3id.org/defport/id/org/k{i}> <http://www.w3.org/2000/01/rdf-schema#label> "K{i}" .\n'.encode()
        for i in range(50)
    )
    with EmbeddedStore.open(store_dir) as store:
        earlier = import_files(store, [BATCH])
        before = snapshot(store)
        shared = next(q for q in store.graph_quads(earlier.graph) if not isinstance(q.subject, ox.BlankNode))
        data += ox.serialize([ox.Triple(*shared.triple)], format=ox.RdfFormat.N_TRIPLES)
        store.raw.extend(store._catalog_quads(graph, "import", STATUS_ACTIVATING, "interrupted"))
        if landed in ("live", "both"):
            store.raw.bulk_load(data, ox.RdfFormat.N_TRIPLES)
        if landed in ("graph", "both"):
            store.raw.bulk_load(data, ox.RdfFormat.N_TRIPLES, to_graph=graph)
        assert store.check() != [] or landed == "graph"
    with EmbeddedStore.open(store_dir) as store:
        assert snapshot(store) == before
        assert store.check() == [] and check_imports(store) == []
        assert not store.has_graph(graph.value)
