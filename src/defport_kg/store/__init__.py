"""The store: where the knowledge graph lives (CONTRACT §1 graph semantics)."""

from __future__ import annotations

from pathlib import Path

from defport_kg.store.embedded import (
    STATUS_LIVE,
    STATUS_ROLLED_BACK,
    STATUS_STAGING,
    STATUS_SUPERSEDED,
    EmbeddedStore,
)

KnowledgeStore = EmbeddedStore


def open_store(location: str | Path, *, create: bool = False, command: str = "defport-kg") -> EmbeddedStore:
    """Open the store at ``location`` (a folder: the embedded store)."""
    return EmbeddedStore.open(location, create=create, command=command)


__all__ = [
    "STATUS_LIVE",
    "STATUS_ROLLED_BACK",
    "STATUS_STAGING",
    "STATUS_SUPERSEDED",
    "EmbeddedStore",
    "KnowledgeStore",
    "open_store",
]
