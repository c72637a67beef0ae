"""GET /metrics: request counts, latencies and the store's size in the Prometheus text format.

Counted by hand rather than with prometheus_client: a handful of series does not need a
dependency, and a registry per app keeps tests (many apps in one process) independent. Requests
are labelled by route template (``/api/queries/{name}``), never by raw path, so that a scanner
cannot blow up the number of series.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import PlainTextResponse
from starlette.concurrency import run_in_threadpool

from defport_kg import __version__
from defport_kg.api.deps import AUTH_ERRORS, error_responses, read_access

PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8"
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
UNMATCHED = "unmatched"
# Counting the store's triples scans the live graph: done at most this often.
STORE_GAUGE_SECONDS = 10.0


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


def _labels(**labels: str) -> str:
    return "{" + ",".join(f'{k}="{_escape(v)}"' for k, v in labels.items()) + "}"


class Metrics:
    """The counters of one app, safe to update from the event loop and worker threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.requests: dict[tuple[str, str, str], int] = defaultdict(int)
        self.buckets: dict[str, list[int]] = {}
        self.sums: dict[str, float] = defaultdict(float)
        self.counts: dict[str, int] = defaultdict(int)
        self._store_gauges: tuple[float, dict[str, float]] | None = None

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        with self._lock:
            self.requests[(method, route, str(status))] += 1
            counts = self.buckets.setdefault(route, [0] * len(BUCKETS))
            for i, bound in enumerate(BUCKETS):
                if seconds <= bound:
                    counts[i] += 1
            self.sums[route] += seconds
            self.counts[route] += 1

    def store_gauges(self, store: Any) -> dict[str, float]:
        now = time.monotonic()
        cached = self._store_gauges
        if cached is not None and now - cached[0] < STORE_GAUGE_SECONDS:
            return cached[1]
        gauges = {"triples": float(store.triple_count()), "graphs": float(len(store.live_graphs()))}
        self._store_gauges = (now, gauges)
        return gauges

    def render(self, app_state: Any) -> str:
        lines = [
            "# HELP defport_kg_info The running version.",
            "# TYPE defport_kg_info gauge",
            f"defport_kg_info{_labels(version=__version__)} 1",
            "# HELP defport_kg_http_requests_total HTTP requests answered, by method, route template and status.",
            "# TYPE defport_kg_http_requests_total counter",
        ]
        with self._lock:
            requests = sorted(self.requests.items())
            histograms = {r: (list(c), self.sums[r], self.counts[r]) for r, c in sorted(self.buckets.items())}
        for (method, route, status), n in requests:
            lines.append(f"defport_kg_http_requests_total{_labels(method=method, route=route, status=status)} {n}")
        lines += [
            "# HELP defport_kg_http_request_duration_seconds Time to answer, by route template.",
            "# TYPE defport_kg_http_request_duration_seconds histogram",
        ]
        for route, (counts, total, n) in histograms.items():
            for bound, count in zip(BUCKETS, counts, strict=True):
                lines.append(
                    f"defport_kg_http_request_duration_seconds_bucket{_labels(route=route, le=str(bound))} {count}"
                )
            lines.append(f"defport_kg_http_request_duration_seconds_bucket{_labels(route=route, le='+Inf')} {n}")
            lines.append(f"defport_kg_http_request_duration_seconds_sum{_labels(route=route)} {total:.6f}")
            lines.append(f"defport_kg_http_request_duration_seconds_count{_labels(route=route)} {n}")
        # The anonymous view's figures: totals over hidden graphs would tell when they change.
        access = getattr(app_state, "access", None)
        gauges = self.store_gauges(access.view(access.anonymous).store if access is not None else app_state.store)
        lines += [
            "# HELP defport_kg_store_triples Triples in the live data (each counted once).",
            "# TYPE defport_kg_store_triples gauge",
            f"defport_kg_store_triples {int(gauges['triples'])}",
            "# HELP defport_kg_store_live_graphs Source graphs that make up the live data.",
            "# TYPE defport_kg_store_live_graphs gauge",
            f"defport_kg_store_live_graphs {int(gauges['graphs'])}",
        ]
        keyring = getattr(app_state, "keyring", None)
        if keyring is not None:
            stats = keyring.stats
            lines += [
                "# HELP defport_kg_api_key_verifications_total API key checks: by the slow hash, from the cache, "
                "or refused.",
                "# TYPE defport_kg_api_key_verifications_total counter",
                f"defport_kg_api_key_verifications_total{_labels(result='hashed')} {stats.hashed}",
                f"defport_kg_api_key_verifications_total{_labels(result='cached')} {stats.cached}",
                f"defport_kg_api_key_verifications_total{_labels(result='refused')} {stats.refused}",
            ]
        lines += _memory_copy_lines(getattr(app_state, "sparql_engine", None))
        return "\n".join(lines) + "\n"


def _memory_copy_lines(engine: Any) -> list[str]:
    """How many idle query workers answer from an in-memory copy of the live data (``live_copy``): after
    an import an operator sees when the copies have caught up. Nothing before the first /sparql query
    (the engine starts then) or with the thread engine of an in-memory store."""
    if engine is None or not hasattr(engine, "copy_statuses"):
        return []
    states = {"ready": 0, "building": 0, "refused": 0, "none": 0}
    for status in engine.copy_statuses(timeout=2.0):
        if status is None:
            states["none"] += 1
        else:
            states[status["reason"] if status["reason"] in states else "refused"] += 1
    return [
        "# HELP defport_kg_sparql_memory_copies Idle SPARQL query workers by their in-memory copy of the live "
        "data: ready (joins read memory), building, refused (too large for the settings, or failed), none (not "
        "queried yet, or copies off).",
        "# TYPE defport_kg_sparql_memory_copies gauge",
        *(f"defport_kg_sparql_memory_copies{_labels(state=state)} {n}" for state, n in states.items()),
    ]


class MetricsMiddleware:
    """Times every HTTP request and counts it under its route template."""

    def __init__(self, app: Any, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_and_note(message: dict[str, Any]) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_and_note)
        finally:
            route = scope.get("route")
            template = getattr(route, "path", None) or UNMATCHED
            self.metrics.observe(scope["method"], template, status, time.perf_counter() - started)


router = APIRouter(tags=["service"])

_EXAMPLE = """# HELP defport_kg_http_requests_total HTTP requests answered, by method, route template and status.
# TYPE defport_kg_http_requests_total counter
defport_kg_http_requests_total{method="GET",route="/api/search",status="200"} 12
# HELP defport_kg_http_request_duration_seconds Time to answer, by route template.
# TYPE defport_kg_http_request_duration_seconds histogram
defport_kg_http_request_duration_seconds_bucket{route="/api/search",le="0.005"} 3
defport_kg_http_request_duration_seconds_bucket{route="/api/search",le="+Inf"} 12
defport_kg_http_request_duration_seconds_sum{route="/api/search"} 0.412000
defport_kg_http_request_duration_seconds_count{route="/api/search"} 12
# HELP defport_kg_store_triples Triples in the live data (each counted once).
# TYPE defport_kg_store_triples gauge
defport_kg_store_triples 48213
"""


@router.get(
    "/metrics",
    summary="Service metrics in the Prometheus text format",
    description="Request counts by route template and status, a latency histogram per route, the number "
    "of triples and source graphs in the live data, and how API keys were verified. Open unless "
    "`DEFPORT_KG_REQUIRE_KEYS_FOR_READS` is on (then a reader key).",
    response_class=PlainTextResponse,
    dependencies=[Depends(read_access())],
    responses={
        200: {
            "description": "Prometheus text exposition format 0.0.4",
            "content": {"text/plain": {"example": _EXAMPLE}},
        },
        **error_responses(*AUTH_ERRORS),
    },
)
async def metrics(request: Request) -> PlainTextResponse:
    registry: Metrics = request.app.state.metrics
    text = await run_in_threadpool(registry.render, request.app.state)
    return PlainTextResponse(text, media_type=PROMETHEUS_TEXT)
