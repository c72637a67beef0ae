"""The SPARQL fixtures (defined in ``fixtures`` so that tests/api can import them too)."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from defport_kg.store import EmbeddedStore
from tests.sparql.fixtures import disk_store, fill, memory_filled

__all__ = ["disk_store", "memory_filled"]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[EmbeddedStore]:
    """A fresh on-disk store with the fixture data, one per test (for tests that write); a module may
    define its own ``store`` instead."""
    store = fill(EmbeddedStore.open(tmp_path / "store", create=True))
    yield store
    store.close()
