"""Answers kept for repeated queries until the next commit (a bounded, per-process result cache).

Dashboards, the web pages' named queries and people re-running a query in an editor ask the same
thing again and again; between two commits the answer cannot change. So the route keeps recent
answers keyed by everything that decides them — the store's generation (bumped by every commit,
before the write returns: a query sent after a write never gets an older answer), the caller's
view (clearances see different data), the query text, the dataset parameters, the negotiated
``Accept``, the endpoint IRI and the result cap. A hit skips the worker round trip and the query;
admission, the read audit and the response headers happen as for any answer.

Never kept: errors, answers over a size share of the cache, and queries whose answer may change
without a commit — ``SERVICE`` (another endpoint's data), ``RAND``/``NOW``/``UUID``/``STRUUID``
(a new value each time) and ``BNODE`` (fresh blank nodes). The check is on the text and errs on
the side of not caching (the words anywhere, even in a string or a comment, turn it off for that query).
"""

from __future__ import annotations

import collections
import re
import threading
from collections.abc import Hashable

from defport_kg.sparql.execution import QueryOutcome, QueryRequest

# The keyword SERVICE or a call of one of the functions; not a variable such as ?now.
_UNCACHEABLE = re.compile(r"(?<![?$\w])(?:SERVICE\b|(?:RAND|NOW|UUID|STRUUID|BNODE)\s*\()", re.IGNORECASE)
# One answer may take at most this share of the cache (a few large answers would evict the rest).
_ENTRY_SHARE = 16


def cacheable(request: QueryRequest) -> bool:
    """Whether the answer to ``request`` can only change with a commit."""
    return _UNCACHEABLE.search(request.text) is None


class ResultCache:
    """Least-recently-used answers up to ``max_bytes`` of bodies; thread-safe."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._entries: collections.OrderedDict[Hashable, QueryOutcome] = collections.OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self._newest = -1
        self.hits = 0
        self.misses = 0

    @staticmethod
    def key(generation: int, view: Hashable, request: QueryRequest) -> Hashable:
        return (generation, view, request)

    def get(self, key: Hashable) -> QueryOutcome | None:
        with self._lock:
            outcome = self._entries.get(key)
            if outcome is None:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return outcome

    def put(self, key: Hashable, outcome: QueryOutcome) -> None:
        size = len(outcome.body)
        if not outcome.ok or self.max_bytes <= 0 or size * _ENTRY_SHARE > self.max_bytes:
            return
        with self._lock:
            generation = key[0] if isinstance(key, tuple) and isinstance(key[0], int) else -1
            if generation > self._newest:  # a commit happened: earlier answers are never asked for again
                self._newest = generation
                for old in [k for k in self._entries if isinstance(k, tuple) and k[0] < generation]:
                    self._bytes -= len(self._entries.pop(old).body)
            previous = self._entries.pop(key, None)
            if previous is not None:
                self._bytes -= len(previous.body)
            self._entries[key] = outcome
            self._bytes += size
            while self._bytes > self.max_bytes:
                _, dropped = self._entries.popitem(last=False)
                self._bytes -= len(dropped.body)

    def __len__(self) -> int:
        return len(self._entries)


__all__ = ["ResultCache", "cacheable"]
