"""The ASGI middleware that writes the audit log for every write and every refused request.

It sits outside the routes, so it sees every answer (including 401/403 raised by dependencies and
writes that failed), and records after the answer is sent so that a slow store write does not
delay it. Who acted comes from the request state that ``defport_kg.api.deps`` fills in.
"""

from __future__ import annotations

import logging
from typing import Any

import anyio

from defport_kg.auth.audit import REFUSED, WRITE, AuditEvent, AuditLog

_log = logging.getLogger("defport_kg.audit")

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# POST routes that only read (the SPARQL Protocol sends long queries by POST).
READ_ONLY_POSTS = frozenset({"/sparql"})
REFUSAL_STATUSES = frozenset({401, 403})


def audit_action(method: str, path: str, status: int) -> str | None:
    """What to record for a request: ``refused``, ``write`` or nothing."""
    if status in REFUSAL_STATUSES:
        return REFUSED
    if method in SAFE_METHODS or path in READ_ONLY_POSTS:
        return None
    if status in (404, 405):  # no such write route: nothing could have been written
        return None
    return WRITE


class AuditMiddleware:
    def __init__(self, app: Any, audit: AuditLog) -> None:
        self.app = app
        self.audit = audit

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        status = 500

        async def send_and_note(message: dict[str, Any]) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_and_note)
        finally:
            action = audit_action(scope["method"], scope["path"], status)
            if action is not None:
                await self._record(scope, action, status)

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
