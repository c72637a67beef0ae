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
    """The current supply network of the app's store (FastAPI dependency)."""
    from defport_kg.risk import cached_network

    return cached_network(request.app.state.store)
