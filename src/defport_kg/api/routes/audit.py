"""GET /api/audit: the audit log (every write, refused request and key change), for admins only."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from defport_kg.api.deps import AUTH_ERRORS, AdminKey, AuditLogDep, error_responses

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
