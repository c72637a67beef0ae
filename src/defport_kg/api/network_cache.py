"""The supply network, built once per committed version of the store and shared by requests.

Building the model reads the whole live data; doing that on every risk request would make the
analyses as slow as the store is large. The cache is dropped by the store's commit callback, so
an analysis never answers from data older than the last commit.
"""

from __future__ import annotations

import threading
from typing import Any

from fastapi import Request


class NetworkCache:
    def __init__(self, store: Any) -> None:
        self._store = store
        self._lock = threading.Lock()
        self._network: Any = None
        callbacks = getattr(store, "on_commit", None)
        if isinstance(callbacks, list):
            callbacks.append(self.invalidate)

    def invalidate(self) -> None:
        with self._lock:
            self._network = None

    def get(self) -> Any:
        with self._lock:
            if self._network is None:
                from defport_kg.risk import load_network

                self._network = load_network(self._store)
            return self._network


def network_for(request: Request) -> Any:
    """The current supply network of the app's store (FastAPI dependency)."""
    cache = getattr(request.app.state, "network_cache", None)
    if cache is None:
        cache = request.app.state.network_cache = NetworkCache(request.app.state.store)
    return cache.get()
