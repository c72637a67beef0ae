"""/api/keys: list, create and revoke API keys over HTTP (admin only).

The same operations as ``defport-kg keys``, for when the store is held by the running service and
the command line cannot open it. A new key's token is in the 201 answer and nowhere else.
"""

from __future__ import annotations

from typing import Annotated

import pyoxigraph as ox
from fastapi import APIRouter, Path, Query, Request, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from defport_kg.api.deps import AUTH_ERRORS, AdminKey, KeyRingDep, error_responses
from defport_kg.auth import Actor, ApiKey, Role
from defport_kg.errors import UsageError

router = APIRouter(prefix="/api/keys", tags=["access"])

_KEY_EXAMPLE = {
    "id": "0a1b2c3d4e5f",
    "name": "analyst laptop",
    "role": "analyst",
    "created": "2026-01-15T09:58:40.1Z",
    "created_by": "cli:steward",
    "active": True,
    "revoked": None,
    "revoked_by": None,
    "clearance": "defport",
    "organisations": ["https://w3id.org/defport/id/org/example-supplier"],
}
KeyId = Annotated[
    str,
    Path(
        pattern=r"^[0-9a-f]{12}$",
        description="The key's public id (the part after `dpk_`)",
        openapi_examples={"id": {"value": "0a1b2c3d4e5f"}},
    ),
]


class KeyOut(BaseModel):
    id: str = Field(description="Public id; the token starts with `dpk_<id>_`")
    name: str
    role: Role
    created: str
    created_by: str | None
    active: bool
    revoked: str | None
    revoked_by: str | None
    clearance: str | None = Field(None, description="Marking level the key may see (null: the service default)")
    organisations: list[str] = Field(default_factory=list, description="Organisations the key acts for")

    model_config = {"json_schema_extra": {"examples": [_KEY_EXAMPLE]}}

    @classmethod
    def of(cls, key: ApiKey) -> KeyOut:
        return cls(**key.to_json())


class KeyList(BaseModel):
    keys: list[KeyOut]

    model_config = {"json_schema_extra": {"examples": [{"keys": [_KEY_EXAMPLE]}]}}


class NewKey(BaseModel):
    name: str = Field(min_length=1, max_length=100, pattern=r"^[^\x00-\x1f\x7f]+$", description="Who or what uses it")
    role: Role = Field(Role.reader, description="reader, analyst, steward or admin")
    clearance: str | None = Field(
        None, description="Marking level the key may see (a level of the scheme; default: default_key_clearance)"
    )
    organisations: list[str] = Field(
        default_factory=list, description="Organisation IRIs the key acts for (sees graphs releasable to them)"
    )

    model_config = {
        "json_schema_extra": {
            "examples": [
                {"name": "analyst laptop", "role": "analyst", "clearance": "defport"},
            ]
        }
    }


class ClearanceChange(BaseModel):
    clearance: str | None = Field(None, description="Marking level (null: the service default for keys)")
    organisations: list[str] = Field(default_factory=list, description="Organisation IRIs the key acts for")

    model_config = {
        "json_schema_extra": {
            "examples": [
                {"clearance": "restricted", "organisations": ["https://w3id.org/defport/id/org/example-supplier"]}
            ]
        }
    }


class CreatedKey(BaseModel):
    key: KeyOut
    token: str = Field(description="The API key itself: shown this once, stored only as a hash")

    model_config = {
        "json_schema_extra": {
            "examples": [{"key": _KEY_EXAMPLE, "token": "dpk_0a1b2c3d4e5f_q3Jd0c6bY4xWm9kz2VhG1pR8tE5uN7sA0fL3oB6iC9w"}]
        }
    }


def _actor(request: Request, admin: ApiKey) -> Actor:
    client = request.client.host if request.client else None
    return Actor(label=admin.name, key_id=admin.id, role=admin.role.value, client=client)


@router.get("", summary="List API keys (admin)", responses=error_responses(400, *AUTH_ERRORS))
async def list_keys(
    response: Response,
    admin: AdminKey,
    keyring: KeyRingDep,
    include_revoked: Annotated[
        bool, Query(description="Also list revoked keys", openapi_examples={"all": {"value": True}})
    ] = True,
) -> KeyList:
    response.headers["Cache-Control"] = "no-store"
    keys = await run_in_threadpool(keyring.list, include_revoked=include_revoked)
    return KeyList(keys=[KeyOut.of(k) for k in keys])


@router.post(
    "",
    status_code=201,
    summary="Create an API key (admin)",
    description="Answers the key's record and its token; the token is not shown again.",
    responses=error_responses(400, *AUTH_ERRORS),
)
async def create_key(
    request: Request, response: Response, admin: AdminKey, keyring: KeyRingDep, new: NewKey
) -> CreatedKey:
    response.headers["Cache-Control"] = "no-store"
    clearance, organisations = _checked_clearance(request, new.clearance, new.organisations)
    key, token = await run_in_threadpool(
        lambda: keyring.add(
            new.name, new.role, actor=_actor(request, admin), clearance=clearance, organisations=organisations
        )
    )
    request.state.audit_detail = f"created key {key.id} ({key.name!r}, role {key.role.value})"
    return CreatedKey(key=KeyOut.of(key), token=token)


@router.get("/{key_id}", summary="One API key (admin)", responses=error_responses(400, *AUTH_ERRORS, 404))
async def get_key(response: Response, admin: AdminKey, keyring: KeyRingDep, key_id: KeyId) -> KeyOut:
    response.headers["Cache-Control"] = "no-store"
    return KeyOut.of(await run_in_threadpool(keyring.get, key_id))


@router.delete(
    "/{key_id}",
    summary="Revoke an API key (admin)",
    description="Revoking is final and takes effect at once; revoking a revoked key changes nothing.",
    responses=error_responses(400, *AUTH_ERRORS, 404),
)
async def revoke_key(request: Request, admin: AdminKey, keyring: KeyRingDep, key_id: KeyId) -> KeyOut:
    def revoke() -> ApiKey:
        keyring.get(key_id)  # by id only: a key *named* like an id must not be revoked by mistake
        return keyring.revoke(key_id, actor=_actor(request, admin))[0]

    key = await run_in_threadpool(revoke)
    request.state.audit_detail = f"revoked key {key.id} ({key.name!r})"
    return KeyOut.of(key)


@router.put(
    "/{key_id}/clearance",
    summary="Change what an API key may see (admin)",
    description="Takes effect at the key's next request.",
    responses=error_responses(400, *AUTH_ERRORS, 404),
)
async def set_clearance(
    request: Request, admin: AdminKey, keyring: KeyRingDep, key_id: KeyId, change: ClearanceChange
) -> KeyOut:
    clearance, organisations = _checked_clearance(request, change.clearance, change.organisations)

    def apply() -> ApiKey:
        keyring.get(key_id)
        return keyring.set_clearance(key_id, clearance, organisations, actor=_actor(request, admin))

    key = await run_in_threadpool(apply)
    request.state.audit_detail = f"set the clearance of key {key.id} to {key.clearance or 'default'}"
    return KeyOut.of(key)


def _checked_clearance(
    request: Request, clearance: str | None, organisations: list[str]
) -> tuple[str | None, list[str]]:
    from defport_kg.namespaces import expand

    access = request.app.state.access
    level = access.scheme.level(clearance, what="clearance") if clearance else None
    iris = [expand(o.strip()) for o in organisations if o.strip()]
    for position, iri in enumerate(iris):
        # Checked here: an invalid IRI would otherwise fail deep in the store write (a 500).
        try:
            ox.NamedNode(iri)
        except ValueError as error:
            raise UsageError(f"organisations[{position}]: {iri!r} is not an IRI ({error})") from None
    return level, iris
