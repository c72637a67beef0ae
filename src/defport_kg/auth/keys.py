"""API keys: created once, stored hashed, verified through a cache, revoked for good.

Keys live in the system graph ``dpid:graph/system/keys``; every change is written together with
its audit event in one atomic write, so the log cannot miss a key change that happened. The
secret is shown once (``KeyRing.add`` returns it) and only its argon2id hash is kept.

Verification is the one hot path: every authenticated request passes through ``authenticate``.
The first request with a token pays the slow hash; later ones hit a bounded, time-limited cache
keyed by a SHA-256 fingerprint of the token. The key's record is still read on every request (a
cheap lookup by id), so a revoked key is refused at once, cache or not.
"""

from __future__ import annotations

import getpass
import re
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from defport_kg.auth import audit
from defport_kg.auth.hashing import fingerprint, hash_secret, new_token, parse_token, verify_secret
from defport_kg.auth.roles import Role
from defport_kg.auth.vocabulary import AUDIT_GRAPH, KEY_PREFIX, KEYS_GRAPH, RDF_TYPE, datetime_literal, now_iso, term
from defport_kg.errors import NotFoundError, UsageError
from defport_kg.namespaces import RDFS

_GRAPH = ox.NamedNode(KEYS_GRAPH)
_KEY = term("ApiKey")
_LABEL = ox.NamedNode(RDFS + "label")
_ROLE = term("role")
_HASH = term("secretHash")
_CREATED = term("created")
_CREATED_BY = term("createdBy")
_REVOKED = term("revoked")
_REVOKED_BY = term("revokedBy")
_CLEARANCE = term("clearance")
_ORGANISATION = term("organisation")
_NAME = re.compile(r"^[^\x00-\x1f\x7f]{1,100}$")
_KEY_ID = re.compile(r"^[0-9a-f]{12}$")


@dataclass(frozen=True)
class Actor:
    """Who makes a key change: an admin's key over HTTP, or a local user on the command line."""

    label: str
    key_id: str | None = None
    role: str | None = None
    client: str | None = None
    via: str = "api"

    @classmethod
    def command_line(cls) -> Actor:
        try:
            user = getpass.getuser()
        except (KeyError, OSError):  # no user name in a bare container
            user = "unknown"
        return cls(label=f"cli:{user}", via="cli")


@dataclass(frozen=True)
class ApiKey:
    """A key's public record; the secret and its hash never leave ``KeyRing``."""

    id: str
    name: str
    role: Role
    created: str
    created_by: str | None = None
    revoked: str | None = None
    revoked_by: str | None = None
    # What the key may see (defport_kg.access): a marking level (None: the service's default for
    # keys) and the organisations it acts for (need to know for graphs releasable to them).
    clearance: str | None = None
    organisations: tuple[str, ...] = ()

    @property
    def active(self) -> bool:
        return self.revoked is None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "role": self.role.value,
            "created": self.created,
            "created_by": self.created_by,
            "active": self.active,
            "revoked": self.revoked,
            "revoked_by": self.revoked_by,
            "clearance": self.clearance,
            "organisations": list(self.organisations),
        }


@dataclass
class _Record:
    key: ApiKey
    secret_hash: str


@dataclass
class VerificationStats:
    """How often the slow hash ran and how often the cache spared it (exposed in /metrics)."""

    hashed: int = 0
    cached: int = 0
    refused: int = 0


class KeyRing:
    """The API keys of one store."""

    def __init__(self, store: Any, *, cache_seconds: float = 300.0, cache_size: int = 1024) -> None:
        self.store = store
        self.cache_seconds = cache_seconds
        self.cache_size = cache_size
        self.stats = VerificationStats()
        # fingerprint → (key id, the hash it was verified against, expiry on the monotonic clock)
        self._cache: OrderedDict[str, tuple[str, str, float]] = OrderedDict()
        self._lock = threading.Lock()

    # -- changes ------------------------------------------------------------------------

    def add(
        self,
        name: str,
        role: Role | str,
        *,
        actor: Actor | None = None,
        clearance: str | None = None,
        organisations: tuple[str, ...] | list[str] = (),
    ) -> tuple[ApiKey, str]:
        """Create a key; returns its record and the token, which is shown this once only.

        ``clearance`` is a marking level (checked against the scheme by the caller, who knows the
        settings); ``organisations`` are organisation IRIs the key acts for.
        """
        role = Role.parse(role)
        organisations = tuple(sorted(set(organisations)))
        name = name.strip()
        if not _NAME.match(name):
            raise UsageError("a key name is 1 to 100 printable characters")
        if any(k.name == name for k in self.list(include_revoked=False)):
            raise UsageError(f"an active key named {name!r} exists already: choose another name or revoke it first")
        actor = actor or Actor.command_line()
        token, parts = new_token()
        key = ApiKey(
            id=parts.key_id,
            name=name,
            role=role,
            created=now_iso(),
            created_by=actor.label,
            clearance=clearance,
            organisations=organisations,
        )
        node = ox.NamedNode(KEY_PREFIX + key.id)
        quads = [
            ox.Quad(node, RDF_TYPE, _KEY, _GRAPH),
            ox.Quad(node, _LABEL, ox.Literal(name), _GRAPH),
            ox.Quad(node, _ROLE, ox.Literal(role.value), _GRAPH),
            ox.Quad(node, _HASH, ox.Literal(hash_secret(parts.secret)), _GRAPH),
            ox.Quad(node, _CREATED, datetime_literal(key.created), _GRAPH),
            ox.Quad(node, _CREATED_BY, ox.Literal(actor.label), _GRAPH),
            *_clearance_quads(node, clearance, organisations),
        ]
        _event, event_quads = audit.event_quads(self._event(audit.KEY_ADD, key, actor))
        self.store.add_quads(quads + event_quads)
        return key, token

    def revoke(self, id_or_name: str, *, actor: Actor | None = None) -> tuple[ApiKey, bool]:
        """Revoke a key for good; returns it and whether it was active until now."""
        key = self.find(id_or_name)
        if not key.active:
            return key, False
        actor = actor or Actor.command_line()
        revoked = now_iso()
        node = ox.NamedNode(KEY_PREFIX + key.id)
        quads = [
            ox.Quad(node, _REVOKED, datetime_literal(revoked), _GRAPH),
            ox.Quad(node, _REVOKED_BY, ox.Literal(actor.label), _GRAPH),
        ]
        _event, event_quads = audit.event_quads(self._event(audit.KEY_REVOKE, key, actor))
        self.store.add_quads(quads + event_quads)
        self._forget(key.id)
        return self.get(key.id), True

    def set_clearance(
        self,
        id_or_name: str,
        clearance: str | None,
        organisations: tuple[str, ...] | list[str] = (),
        *,
        actor: Actor | None = None,
    ) -> ApiKey:
        """Change what a key may see (one atomic write with its audit event); effective at once."""
        key = self.find(id_or_name)
        if not key.active:
            raise UsageError(f"the API key {key.id} is revoked: make a new one")
        actor = actor or Actor.command_line()
        node = ox.NamedNode(KEY_PREFIX + key.id)
        changed = ApiKey(**{**key.__dict__, "clearance": clearance, "organisations": tuple(sorted(set(organisations)))})
        event = self._event(audit.KEY_CLEARANCE, changed, actor)
        _event, event_quads = audit.event_quads(event)
        inserts = " ".join(
            f"{q.subject} {q.predicate} {q.object} ." for q in _clearance_quads(node, clearance, changed.organisations)
        )
        events = " ".join(f"{q.subject} {q.predicate} {q.object} ." for q in event_quads)
        self.store.update_system(
            f"""DELETE {{ GRAPH <{KEYS_GRAPH}> {{ {node} ?p ?o }} }}
            WHERE {{ GRAPH <{KEYS_GRAPH}> {{ {node} ?p ?o FILTER (?p IN ({_CLEARANCE}, {_ORGANISATION})) }} }};
            INSERT DATA {{ GRAPH <{KEYS_GRAPH}> {{ {inserts} }} GRAPH <{AUDIT_GRAPH}> {{ {events} }} }}"""
        )
        self._forget(key.id)
        return self.get(key.id)

    @staticmethod
    def _event(action: str, key: ApiKey, actor: Actor) -> audit.AuditEvent:
        return audit.AuditEvent(
            action=action,
            method=actor.via,
            path=f"/api/keys/{key.id}",
            key_id=actor.key_id,
            key_name=actor.label,
            role=actor.role,
            client=actor.client,
            detail=f"key {key.id} ({key.name!r}, role {key.role.value}, clearance {key.clearance or 'default'}"
            + (f", organisations {', '.join(key.organisations)}" if key.organisations else "")
            + ")",
        )

    # -- reading ------------------------------------------------------------------------

    def list(self, *, include_revoked: bool = True) -> list[ApiKey]:
        """Every key, oldest first."""
        subjects = {
            q.subject.value.removeprefix(KEY_PREFIX)
            for q in self.store.raw.quads_for_pattern(None, RDF_TYPE, _KEY, _GRAPH)
            if isinstance(q.subject, ox.NamedNode)
        }
        records = [r for r in (self._record(s) for s in subjects) if r is not None]
        keys = sorted((r.key for r in records), key=lambda k: (k.created, k.id))
        return [k for k in keys if include_revoked or k.active]

    def get(self, key_id: str) -> ApiKey:
        record = self._record(key_id) if _KEY_ID.match(key_id) else None
        if record is None:
            raise NotFoundError(f"no API key with id {key_id!r}: `defport-kg keys list` shows them")
        return record.key

    def find(self, id_or_name: str) -> ApiKey:
        """A key by its id, or by its name when exactly one key has that name (active ones first)."""
        if _KEY_ID.match(id_or_name) and self._record(id_or_name) is not None:
            return self.get(id_or_name)
        named = [k for k in self.list() if k.name == id_or_name]
        active = [k for k in named if k.active]
        candidates = active or named
        if len(candidates) == 1:
            return candidates[0]
        if not candidates:
            raise NotFoundError(f"no API key with id or name {id_or_name!r}: `defport-kg keys list` shows them")
        raise UsageError(f"{len(candidates)} keys are named {id_or_name!r}: give the key's id instead")

    def _record(self, key_id: str) -> _Record | None:
        node = ox.NamedNode(KEY_PREFIX + key_id)
        values: dict[str, list[Any]] = {}
        for quad in self.store.raw.quads_for_pattern(node, None, None, _GRAPH):
            values.setdefault(quad.predicate.value, []).append(quad.object.value)

        def one(predicate: ox.NamedNode) -> str | None:
            found = values.get(predicate.value)
            return min(found) if found else None

        if _KEY.value not in values.get(RDF_TYPE.value, []):
            return None
        key = ApiKey(
            id=key_id,
            name=one(_LABEL) or "",
            role=Role.parse(one(_ROLE) or Role.reader.value),
            created=one(_CREATED) or "",
            created_by=one(_CREATED_BY),
            revoked=one(_REVOKED),
            revoked_by=one(_REVOKED_BY),
            clearance=one(_CLEARANCE),
            organisations=tuple(sorted(values.get(_ORGANISATION.value, []))),
        )
        return _Record(key, one(_HASH) or "")

    # -- verification -------------------------------------------------------------------

    def authenticate(self, token: str) -> ApiKey | None:
        """The active key this token belongs to, or None (malformed, unknown, revoked or wrong)."""
        parts = parse_token(token)
        record = self._record(parts.key_id) if parts else None
        if parts is None or record is None or not record.key.active or not record.secret_hash:
            self.stats.refused += 1
            return None
        print_ = fingerprint(token)
        now = time.monotonic()
        with self._lock:
            cached = self._cache.get(print_)
            if cached is not None and cached[0] == parts.key_id and cached[1] == record.secret_hash and cached[2] > now:
                self._cache.move_to_end(print_)
                self.stats.cached += 1
                return record.key
        self.stats.hashed += 1
        if not verify_secret(record.secret_hash, parts.secret):
            self.stats.refused += 1
            return None
        if self.cache_seconds > 0 and self.cache_size > 0:
            with self._lock:
                self._cache[print_] = (parts.key_id, record.secret_hash, now + self.cache_seconds)
                self._cache.move_to_end(print_)
                while len(self._cache) > self.cache_size:
                    self._cache.popitem(last=False)
        return record.key

    def _forget(self, key_id: str) -> None:
        with self._lock:
            for print_ in [p for p, entry in self._cache.items() if entry[0] == key_id]:
                del self._cache[print_]


def _clearance_quads(node: ox.NamedNode, clearance: str | None, organisations: tuple[str, ...]) -> list[ox.Quad]:
    quads = [ox.Quad(node, _CLEARANCE, ox.Literal(clearance), _GRAPH)] if clearance else []
    return quads + [ox.Quad(node, _ORGANISATION, ox.NamedNode(org), _GRAPH) for org in organisations]
