"""The ASGI middleware that writes the audit logs: writes and refusals into the store, reads into
the read audit.

It sits outside the routes, so it sees every answer (including 401/403 raised by dependencies and
writes that failed), and records after the answer is sent so that a slow store write does not
delay it. Who acted comes from the request state that ``defport_kg.api.deps`` fills in; what a read
covered (``clearance``, ``read_graphs``, ``query_text``) from the state the access layer and the
routes fill in, when they do. It also applies the audit retention rule, at most once a day.
"""

from __future__ import annotations

import logging
import time
from typing import Any
from urllib.parse import parse_qs, parse_qsl

import anyio

from defport_kg.auth.audit import REFUSED, WRITE, AuditEvent, AuditLog, apply_retention
from defport_kg.auth.read_audit import ReadAuditLog, parameters_hash, query_hash, timestamp

_log = logging.getLogger("defport_kg.audit")

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# POST routes that only read (the SPARQL Protocol sends long queries by POST).
READ_ONLY_POSTS = frozenset({"/sparql"})
REFUSAL_STATUSES = frozenset({401, 403})
# GETs that reveal no data: service plumbing, static assets, documentation.
NOT_READS = frozenset({"/health", "/metrics", "/favicon.ico", "/openapi.json"})
NOT_READ_PREFIXES = ("/static/", "/docs", "/redoc", "/lang/")
SEARCH_PATHS = frozenset({"/api/search", "/search"})
NAMED_QUERY_PREFIX = "/api/queries/"
# A POSTed query larger than this is refused by /sparql anyway (query_max_bytes); not kept for hashing.
_MAX_KEPT_BODY = 4 * 1024 * 1024
_DAY = 24 * 3600.0


def audit_action(method: str, path: str, status: int) -> str | None:
    """What to record for a request: ``refused``, ``write`` or nothing."""
    if status in REFUSAL_STATUSES:
        return REFUSED
    if method in SAFE_METHODS or path in READ_ONLY_POSTS:
        return None
    if status in (404, 405):  # no such write route: nothing could have been written
        return None
    return WRITE


def is_read(method: str, path: str) -> bool:
    """Whether a request is a read the read audit records (whatever its answer)."""
    if method == "POST":
        return path in READ_ONLY_POSTS
    if method not in ("GET", "HEAD"):
        return False
    return path not in NOT_READS and not path.startswith(NOT_READ_PREFIXES)


def read_query_hash(
    path: str, query_string: str, state: dict[str, Any], body: bytes | None, content_type: str
) -> str | None:
    """The hash of what a read asked: the SPARQL text for /sparql, name and sorted parameters for a
    named query, ``q`` for search, the sorted parameters of any other route (None without any)."""
    text = state.get("query_text")
    if isinstance(text, str):
        return query_hash(text)
    if path == "/sparql":
        queries = parse_qs(query_string).get("query")
        if not queries and body is not None:
            media = content_type.split(";", 1)[0].strip().lower()
            if media == "application/sparql-query":
                return query_hash(body.decode("utf-8", "replace"))
            if media == "application/x-www-form-urlencoded":
                queries = parse_qs(body.decode("utf-8", "replace")).get("query")
        return query_hash(queries[0]) if queries else None
    params = parse_qsl(query_string, keep_blank_values=True)
    if path in SEARCH_PATHS:
        q = [value for name, value in params if name == "q"]
        return query_hash(q[0]) if q else None
    if path.startswith(NAMED_QUERY_PREFIX) and "/" not in path[len(NAMED_QUERY_PREFIX) :]:
        return parameters_hash(path[len(NAMED_QUERY_PREFIX) :], params)
    return parameters_hash(path, params) if params else None


class AuditMiddleware:
    """Records writes and refusals in the store, reads in ``reads`` (when given), and deletes
    events older than ``retention_days`` (0: never) at the first request and then once a day."""

    def __init__(self, app: Any, audit: AuditLog, reads: ReadAuditLog | None = None, retention_days: int = 0) -> None:
        self.app = app
        self.audit = audit
        self.reads = reads
        self.retention_days = retention_days
        self._next_prune = 0.0  # monotonic time; 0: at the first request

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            await self.app(scope, receive, self._on_shutdown_flush(send))
            return
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        # The routes' request.state is this dict only if it exists before the router copies the scope.
        scope.setdefault("state", {})
        status = 500
        started = time.perf_counter()
        method, path = scope["method"], scope["path"]
        reading = self.reads is not None and is_read(method, path)
        body: bytearray | None = bytearray() if reading and method == "POST" else None

        async def send_and_note(message: dict[str, Any]) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        async def receive_and_keep() -> dict[str, Any]:
            message: dict[str, Any] = await receive()
            if body is not None and message["type"] == "http.request" and len(body) <= _MAX_KEPT_BODY:
                body.extend(message.get("body", b""))
            return message

        try:
            await self.app(scope, receive_and_keep if body is not None else receive, send_and_note)
        finally:
            action = audit_action(method, path, status)
            if action is not None:
                await self._record(scope, action, status)
            if reading:
                self._record_read(scope, status, started, body)
            if self.retention_days and time.monotonic() >= self._next_prune:
                await self._prune()

    def _record_read(self, scope: dict[str, Any], status: int, started: float, body: bytearray | None) -> None:
        assert self.reads is not None
        try:
            state = scope.get("state") or {}
            key = state.get("api_key")
            client = scope.get("client")
            headers = dict(scope.get("headers") or ())
            kept = bytes(body) if body is not None and len(body) <= _MAX_KEPT_BODY else None
            graphs = state.get("read_graphs")
            clearance = state.get("clearance")
            self.reads.record(
                {
                    "at": timestamp(),
                    "method": scope["method"],
                    "path": scope["path"],
                    "status": status,
                    "key_id": key.id if key is not None else None,
                    "key_name": key.name if key is not None else None,
                    "role": key.role.value if key is not None else None,
                    "clearance": str(clearance) if clearance is not None else None,
                    "client": client[0] if client else None,
                    "query_hash": read_query_hash(
                        scope["path"],
                        scope.get("query_string", b"").decode("latin-1"),
                        state,
                        kept,
                        headers.get(b"content-type", b"").decode("latin-1"),
                    ),
                    "graphs": sorted(str(g) for g in graphs) if graphs is not None else None,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 3),
                }
            )
        except Exception:  # the answer is already sent: a failed audit is logged, not raised
            _log.exception("could not record the read of %s", scope.get("path"))

    async def _prune(self) -> None:
        self._next_prune = time.monotonic() + _DAY
        try:
            pruned = await anyio.to_thread.run_sync(apply_retention, self.audit, self.reads, self.retention_days)
        except Exception:
            _log.exception("could not apply the audit retention of %d days", self.retention_days)
            return
        if pruned.events or pruned.read_files:
            _log.info(
                "audit retention: deleted %d event(s) and %d read-audit file(s) before %s",
                pruned.events,
                pruned.read_files,
                pruned.cutoff,
            )

    def _on_shutdown_flush(self, send: Any) -> Any:
        """Wrap the lifespan ``send`` so that queued read events reach the disk before shutdown ends."""

        async def send_after_flush(message: dict[str, Any]) -> None:
            if message["type"] == "lifespan.shutdown.complete" and self.reads is not None:
                await anyio.to_thread.run_sync(self.reads.close)
            await send(message)

        return send_after_flush

    async def _record(self, scope: dict[str, Any], action: str, status: int) -> None:
        state = scope.get("state") or {}
        key = state.get("api_key")
        query = scope.get("query_string", b"").decode("latin-1")
        client = scope.get("client")
        event = AuditEvent(
            action=action,
            status=status,
            method=scope["method"],
            path=scope["path"] + (f"?{query}" if query else ""),
            key_id=key.id if key is not None else None,
            key_name=key.name if key is not None else None,
            role=key.role.value if key is not None else None,
            client=client[0] if client else None,
            detail=state.get("auth_refusal") or state.get("audit_detail"),
        )
        try:
            await anyio.to_thread.run_sync(self.audit.record, event)
        except Exception:  # the answer is already sent: a failed audit write is logged, not raised
            _log.exception("could not write the audit event %s", event)
