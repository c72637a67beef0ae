"""GET /api/audit: the audit log (every write, refused request and key change), and
GET /api/audit/reads: the read audit (who read what); for admins only."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from defport_kg.api.deps import AUTH_ERRORS, AdminKey, AuditLogDep, error_responses
from defport_kg.api.problems import problem
from defport_kg.auth.read_audit import MAX_LIMIT, ReadAuditLog
from defport_kg.errors import UsageError

router = APIRouter(tags=["access"])

Action = Literal["write", "refused", "key.add", "key.revoke"]


class Event(BaseModel):
    id: str
    at: str = Field(description="When (UTC, ISO 8601)")
    action: str = Field(description="write, refused, key.add or key.revoke")
    status: int | None = Field(None, description="HTTP status of the answer (requests only)")
    method: str | None = Field(None, description="HTTP method, or `cli` for a change made on the command line")
    path: str | None = Field(None, description="Path and query string")
    key_id: str | None = Field(None, description="Id of the API key that acted")
    key_name: str | None = Field(None, description="Name of the key that acted, or `cli:<user>`")
    role: str | None = Field(None, description="Role of the key that acted")
    client: str | None = Field(None, description="Client address")
    detail: str | None = Field(None, description="Why a request was refused, or which key was changed")


class AuditPage(BaseModel):
    total: int = Field(description="Events matching the filters")
    limit: int
    offset: int
    events: list[Event] = Field(description="Newest first")

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "total": 2,
                    "limit": 100,
                    "offset": 0,
                    "events": [
                        {
                            "id": "9647d180b7aa4f8dbd1a7f9b2e28db45",
                            "at": "2026-01-15T10:02:11.5Z",
                            "action": "refused",
                            "status": 403,
                            "method": "POST",
                            "path": "/api/imports?dry_run=false",
                            "key_id": "0a1b2c3d4e5f",
                            "key_name": "analyst laptop",
                            "role": "analyst",
                            "client": "10.0.0.7",
                            "detail": "this needs role steward or above; the key 0a1b2c3d4e5f has role analyst",
                        },
                        {
                            "id": "fe9c74c2d73b46b0aa9f0283283b6ce1",
                            "at": "2026-01-15T09:58:40.1Z",
                            "action": "key.add",
                            "method": "cli",
                            "path": "/api/keys/0a1b2c3d4e5f",
                            "key_name": "cli:steward",
                            "detail": "key 0a1b2c3d4e5f ('analyst laptop', role analyst)",
                        },
                    ],
                }
            ]
        }
    }


@router.get(
    "/api/audit",
    summary="The audit log (admin)",
    description="Every write, every refused request (401/403) and every key change, newest first. Needs an "
    "admin key. Survives restarts: it is kept in the store, outside the live data.",
    responses=error_responses(400, *AUTH_ERRORS),
)
async def audit_log(
    response: Response,
    admin: AdminKey,
    log: AuditLogDep,
    action: Annotated[
        Action | None,
        Query(description="Only events of this kind", openapi_examples={"refused": {"value": "refused"}}),
    ] = None,
    since: Annotated[
        dt.datetime | None,
        Query(
            description="Only events at or after this time (ISO 8601; UTC when no offset is given)",
            openapi_examples={"date": {"value": "2026-01-01T00:00:00Z"}},
        ),
    ] = None,
    key: Annotated[
        str | None,
        Query(
            pattern=r"^[0-9a-f]{12}$",
            description="Only events of the API key with this id",
            openapi_examples={"key": {"value": "0a1b2c3d4e5f"}},
        ),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=1000, openapi_examples={"ten": {"value": 10}})] = 100,
    offset: Annotated[int, Query(ge=0, le=10_000_000, openapi_examples={"start": {"value": 0}})] = 0,
) -> AuditPage:
    def read() -> AuditPage:
        events = log.events(limit=limit, offset=offset, action=action, since=since, key_id=key)
        total = log.count(action=action, since=since, key_id=key)
        return AuditPage(total=total, limit=limit, offset=offset, events=[Event(**e.to_json()) for e in events])

    response.headers["Cache-Control"] = "no-store"
    return await run_in_threadpool(read)


class ReadEvent(BaseModel):
    at: str = Field(description="When the answer was sent (UTC, ISO 8601, microseconds)")
    method: str = Field(description="GET, HEAD, or POST (a SPARQL query sent by POST)")
    path: str = Field(description="The route read (without its query string: see query_hash)")
    status: int = Field(description="HTTP status of the answer (refused reads are recorded too)")
    key_id: str | None = Field(None, description="Id of the API key, or null for an anonymous read")
    key_name: str | None = Field(None, description="Name of the API key")
    role: str | None = Field(None, description="Role of the API key")
    clearance: str | None = Field(None, description="What the caller was cleared to see, when the route said")
    client: str | None = Field(None, description="Client address (the proxy's forwarded one with proxy headers on)")
    query_hash: str | None = Field(
        None,
        description="SHA-256 (hex) of what was asked: the SPARQL text for /sparql; `name?k=v&...` (parameters "
        "sorted, URL-encoded) for a named query; `q` for search; the path and sorted parameters otherwise",
    )
    graphs: list[str] | None = Field(None, description="The graphs the answer was computed over; null when unknown")
    duration_ms: float | None = Field(None, description="Time to answer, in milliseconds")


class ReadPage(BaseModel):
    limit: int
    more: bool = Field(description="More reads match than `limit`: narrow the period or raise the limit")
    storage: str = Field(description="`files` (one JSON-lines file per UTC day) or `memory` (latest reads only)")
    events: list[ReadEvent] = Field(description="Newest first")

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "limit": 100,
                    "more": False,
                    "storage": "files",
                    "events": [
                        {
                            "at": "2026-01-15T10:04:19.201733Z",
                            "method": "POST",
                            "path": "/sparql",
                            "status": 200,
                            "key_id": "0a1b2c3d4e5f",
                            "key_name": "analyst laptop",
                            "role": "analyst",
                            "clearance": "defport; orgs: kvk-12345678",
                            "client": "10.0.0.7",
                            "query_hash": "5f1c0b7e0f5d3c1b8a3e4f9d2c7b6a5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a",
                            "graphs": ["https://w3id.org/defport/id/graph/reference/countries"],
                            "duration_ms": 12.4,
                        },
                        {
                            "at": "2026-01-15T10:03:55.004211Z",
                            "method": "GET",
                            "path": "/api/search",
                            "status": 200,
                            "key_id": None,
                            "key_name": None,
                            "role": None,
                            "clearance": "public",
                            "client": "10.0.0.9",
                            "query_hash": "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824",
                            "graphs": None,
                            "duration_ms": 3.1,
                        },
                    ],
                }
            ]
        }
    }


@router.get(
    "/api/audit/reads",
    summary="The read audit (admin)",
    response_model=ReadPage,
    description="Who read what: every read of /sparql, /api/* and the web pages, with its key (or anonymous), "
    "client, a hash of what was asked and the graphs the answer was computed over; newest first. Needs an admin "
    "key. Kept in JSON-lines files beside the store for `DEFPORT_KG_AUDIT_RETENTION_DAYS`.",
    responses=error_responses(400, *AUTH_ERRORS, 404),
)
async def read_audit(
    request: Request,
    response: Response,
    admin: AdminKey,
    since: Annotated[
        dt.datetime | None,
        Query(
            description="Only reads at or after this time (ISO 8601; UTC when no offset is given)",
            openapi_examples={"date": {"value": "2026-01-01T00:00:00Z"}},
        ),
    ] = None,
    until: Annotated[
        dt.datetime | None,
        Query(
            description="Only reads before this time (ISO 8601; UTC when no offset is given)",
            openapi_examples={"date": {"value": "2026-02-01T00:00:00Z"}},
        ),
    ] = None,
    key: Annotated[
        str | None,
        Query(
            pattern=r"^([0-9a-f]{12}|anonymous)$",
            description="Only reads with the API key of this id, or `anonymous` for reads without a key",
            openapi_examples={"key": {"value": "0a1b2c3d4e5f"}, "anonymous": {"value": "anonymous"}},
        ),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, openapi_examples={"ten": {"value": 10}})] = 100,
) -> Any:
    reads: ReadAuditLog | None = getattr(request.app.state, "read_audit", None)
    if reads is None:
        return problem(404, "Not found", "the read audit is off (DEFPORT_KG_READ_AUDIT=false)")
    response.headers["Cache-Control"] = "no-store"
    try:
        events, more = await run_in_threadpool(reads.events, since=since, until=until, key=key, limit=limit)
    except UsageError as error:
        return problem(400, "Bad request", error.message, instance=request.url.path)
    return ReadPage(limit=limit, more=more, storage=reads.storage, events=[ReadEvent(**e) for e in events])
