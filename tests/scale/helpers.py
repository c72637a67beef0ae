"""Shared helpers of the scale-up tests: Turtle → a real in-memory store → the supply network."""

from __future__ import annotations

import itertools
from typing import Any

from defport_kg.risk import load_network
from defport_kg.risk.model import SupplyNetwork
from defport_kg.store import EmbeddedStore
from tests.conftest import turtle_quads

ID = "https://w3id.org/defport/id/"
_graphs = itertools.count()


def item(slug: str) -> str:
    return f"{ID}item/{slug}"


def org(slug: str) -> str:
    return f"{ID}org/{slug}"


def rel(slug: str) -> str:
    return f"{ID}supply/{slug}"


def site(slug: str) -> str:
    return f"{ID}site/{slug}"


def country(code: str) -> str:
    return f"{ID}country/{code}"


def load(store: EmbeddedStore, ttl: str) -> None:
    """Add Turtle (with the test prefixes) to the store as a new live import graph."""
    store.add_source_graph(f"{ID}import/test-{next(_graphs)}", turtle_quads(ttl), role="import")


def network_of(ttl: str) -> SupplyNetwork:
    """The supply network of a Turtle snippet, read through a real store."""
    store = EmbeddedStore.in_memory()
    try:
        load(store, ttl)
        return load_network(store)
    finally:
        store.close()


def without_labels(report: Any) -> dict[str, Any]:
    data = report.to_dict()
    data.pop("labels", None)
    return data
