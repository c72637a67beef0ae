"""The SPARQL fixtures (defined in ``fixtures`` so that tests/api can import them too)."""

from tests.sparql.fixtures import disk_store, memory_filled

__all__ = ["disk_store", "memory_filled"]
