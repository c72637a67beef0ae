"""The supply network the risk, scale and web routes answer from.

Building the model reads the whole live data; doing that on every request would make the analyses
as slow as the store is large. ``risk.cached_network`` keeps one network per store and reloads it
when the catalogue (every import, rollback, upgrade, saved analysis) changes — which also notices
writes by other processes on a remote store — so every route shares that one cache.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request


def network_for(request: Request) -> Any:
    """The supply network the caller may see (FastAPI dependency; one cached network per view)."""
    from defport_kg.api.deps import read_store
    from defport_kg.risk import cached_network

    return cached_network(read_store(request))
