"""The store: where the knowledge graph lives (CONTRACT §1 graph semantics)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from defport_kg.store.embedded import (
    STATUS_ACTIVATING,
    STATUS_LIVE,
    STATUS_ROLLED_BACK,
    STATUS_STAGING,
    STATUS_SUPERSEDED,
    EmbeddedStore,
)

KnowledgeStore = EmbeddedStore


def open_store(location: str | Path, *, create: bool = False, command: str = "defport-kg") -> Any:
    """Open the store at ``location``: a folder (embedded) or ``sparql+http(s)://...`` (remote)."""
    text = str(location)
    if text.startswith(("sparql+http://", "sparql+https://")):
        from defport_kg.store.remote import RemoteStore

        return RemoteStore.open(text, create=create, command=command)
    return EmbeddedStore.open(location, create=create, command=command)


__all__ = [
    "STATUS_ACTIVATING",
    "STATUS_LIVE",
    "STATUS_ROLLED_BACK",
    "STATUS_STAGING",
    "STATUS_SUPERSEDED",
    "EmbeddedStore",
    "KnowledgeStore",
    "open_store",
]
