"""Fixtures of the SPARQL tests (imported by tests/sparql and tests/api): a small store with two
overlapping imports and hidden graphs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from defport_kg.store import EmbeddedStore
from tests.conftest import turtle_quads

IMPORT_A = "https://w3id.org/defport/id/import/a"
IMPORT_B = "https://w3id.org/defport/id/import/b"
STAGED = "https://w3id.org/defport/id/import/staged"
KEYS = "https://w3id.org/defport/id/graph/system/keys"
LIVE = "https://w3id.org/defport/id/graph/live"
CATALOG = "https://w3id.org/defport/id/graph/catalog"


def fill(store: EmbeddedStore) -> EmbeddedStore:
    """Two imports asserting one supply share twice, a staged import and a system graph."""
    store.add_source_graph(
        IMPORT_A,
        turtle_quads(
            'o:acme a dp:Company ; rdfs:label "Acme"@en ; dp:country c:NL .\n'
            "s:r1 a dp:SupplyRelation ; dp:supplier o:acme ; dp:share 0.5 ."
        ),
        role="import",
    )
    store.add_source_graph(
        IMPORT_B, turtle_quads('s:r1 dp:share 0.5 .\no:beta a dp:Company ; rdfs:label "Beta" .'), role="import"
    )
    store.stage_graph(STAGED, turtle_quads('o:secret a dp:Company ; rdfs:label "Secret" .'), role="import")
    store.add_quads(
        [ox.Quad(ox.NamedNode("urn:key:1"), ox.NamedNode("urn:hash"), ox.Literal("argon2-hash"), ox.NamedNode(KEYS))]
    )
    return store


@pytest.fixture(scope="module")
def disk_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedStore]:
    """An on-disk store (so the app uses worker processes), shared by a module's read-only tests."""
    directory: Path = tmp_path_factory.mktemp("sparql-store")
    store = fill(EmbeddedStore.open(directory / "store", create=True))
    yield store
    store.close()


@pytest.fixture(scope="module")
def memory_filled() -> Iterator[EmbeddedStore]:
    store = fill(EmbeddedStore.in_memory())
    yield store
    store.close()
