"""KeyRing: keys in the store's system graph, verification through a cache, revocation for good."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from defport_kg.auth import Actor, AuditLog, KeyRing, Role, keys
from defport_kg.auth.vocabulary import KEYS_GRAPH
from defport_kg.errors import NotFoundError, UsageError
from defport_kg.namespaces import LIVE_GRAPH
from defport_kg.store import EmbeddedStore


def test_a_key_is_stored_hashed_and_authenticates(memory_store: EmbeddedStore) -> None:
    ring = KeyRing(memory_store)
    key, token = ring.add("alice", "analyst")
    assert key.role is Role.analyst and key.active and key.created_by.startswith("cli:")
    stored = " ".join(str(q) for q in memory_store.raw.quads_for_pattern(None, None, None, ox.NamedNode(KEYS_GRAPH)))
    assert token.split("_", 2)[2] not in stored and "$argon2id$" in stored
    assert ring.authenticate(token) == key
    assert ring.authenticate(token + "x") is None
    assert ring.authenticate("dpk_" + key.id + "_" + "A" * 43) is None


def test_keys_are_not_live_data(memory_store: EmbeddedStore) -> None:
    KeyRing(memory_store).add("alice", "admin")
    assert memory_store.triple_count(LIVE_GRAPH) == 0
    assert memory_store.check() == []


def test_list_get_and_find(memory_store: EmbeddedStore) -> None:
    ring = KeyRing(memory_store)
    a, _ = ring.add("a", "reader")
    b, _ = ring.add("b", "admin")
    assert [k.name for k in ring.list()] == ["a", "b"]
    assert ring.get(b.id) == b and ring.find("a") == a and ring.find(b.id) == b
    with pytest.raises(NotFoundError):
        ring.get("0123456789ab")
    with pytest.raises(NotFoundError):
        ring.find("nobody")


def test_active_names_are_unique_but_a_revoked_name_can_be_reused(memory_store: EmbeddedStore) -> None:
    ring = KeyRing(memory_store)
    ring.add("bot", "reader")
    with pytest.raises(UsageError, match="exists already"):
        ring.add("bot", "reader")
    ring.revoke("bot")
    new, _ = ring.add("bot", "steward")
    assert ring.find("bot") == new  # the active one wins
    assert len([k for k in ring.list() if k.name == "bot"]) == 2


@pytest.mark.parametrize("name", ["", "   ", "a\tb", "x" * 101])
def test_bad_names_are_refused(memory_store: EmbeddedStore, name: str) -> None:
    with pytest.raises(UsageError):
        KeyRing(memory_store).add(name, "reader")


def test_revocation_is_final_and_immediate_even_when_cached(memory_store: EmbeddedStore) -> None:
    ring = KeyRing(memory_store)
    key, token = ring.add("alice", "admin")
    assert ring.authenticate(token) is not None  # cached from now on
    revoked, changed = ring.revoke(key.id, actor=Actor(label="admin key", key_id="ffffffffffff", role="admin"))
    assert changed and not revoked.active and revoked.revoked_by == "admin key"
    assert ring.authenticate(token) is None
    assert KeyRing(memory_store).authenticate(token) is None
    again, changed_again = ring.revoke(key.id)
    assert not changed_again and again.revoked == revoked.revoked


def test_the_slow_hash_is_not_recomputed_on_every_check(memory_store: EmbeddedStore, monkeypatch) -> None:
    calls: list[str] = []
    real = keys.verify_secret
    monkeypatch.setattr(keys, "verify_secret", lambda h, s: calls.append(s) or real(h, s))
    ring = KeyRing(memory_store)
    _, token = ring.add("alice", "reader")
    _, other = ring.add("bob", "reader")
    for _ in range(20):
        assert ring.authenticate(token) is not None
    assert ring.authenticate(other) is not None
    assert len(calls) == 2
    assert (ring.stats.hashed, ring.stats.cached) == (2, 19)


def test_a_wrong_secret_is_never_cached_as_right(memory_store: EmbeddedStore) -> None:
    ring = KeyRing(memory_store)
    key, token = ring.add("alice", "reader")
    wrong = f"dpk_{key.id}_" + "B" * 43
    for _ in range(3):
        assert ring.authenticate(wrong) is None
    assert ring.stats.hashed == 3 and ring.authenticate(token) is not None


def test_the_cache_expires_and_is_bounded(memory_store: EmbeddedStore, monkeypatch) -> None:
    clock = [1000.0]
    monkeypatch.setattr(keys.time, "monotonic", lambda: clock[0])
    ring = KeyRing(memory_store, cache_seconds=60, cache_size=2)
    tokens = [ring.add(f"k{i}", "reader")[1] for i in range(3)]
    ring.authenticate(tokens[0])
    ring.authenticate(tokens[0])
    assert ring.stats.hashed == 1
    clock[0] += 61
    ring.authenticate(tokens[0])
    assert ring.stats.hashed == 2  # expired: hashed again
    ring.authenticate(tokens[1])
    ring.authenticate(tokens[2])  # evicts tokens[0], the least recently used
    ring.authenticate(tokens[0])
    assert ring.stats.hashed == 5


def test_key_changes_and_their_audit_entries_are_written_together(memory_store: EmbeddedStore) -> None:
    ring = KeyRing(memory_store)
    key, _ = ring.add("alice", "steward")
    ring.revoke("alice")
    events = AuditLog(memory_store).events()
    assert [e.action for e in events] == ["key.revoke", "key.add"]
    assert all(key.id in (e.detail or "") and e.method == "cli" for e in events)


def test_keys_survive_reopening_the_store(tmp_path: Path) -> None:
    store = EmbeddedStore.open(tmp_path / "store", create=True)
    key, token = KeyRing(store).add("alice", "admin")
    KeyRing(store).add("bob", "reader")
    KeyRing(store).revoke("bob")
    store.close()
    reopened = EmbeddedStore.open(tmp_path / "store")
    try:
        ring = KeyRing(reopened)
        assert ring.authenticate(token) == key
        assert [k.active for k in ring.list()] == [True, False]
    finally:
        reopened.close()
