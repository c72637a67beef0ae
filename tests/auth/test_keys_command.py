"""`defport-kg keys add|list|revoke` as a user runs it (exit statuses are part of the contract)."""

from __future__ import annotations

import json
from pathlib import Path

from defport_kg.auth import KeyRing
from defport_kg.store import EmbeddedStore
from tests.conftest import run_cli


def _store(tmp_path: Path) -> Path:
    location = tmp_path / "store"
    EmbeddedStore.open(location, create=True).close()
    return location


def test_keys_add_prints_the_key_alone_on_the_last_line(tmp_path: Path) -> None:
    location = _store(tmp_path)
    result = run_cli("keys", "add", "analyst laptop", "--role", "analyst", store=location, check=True)
    token = result.stdout.rstrip("\n").splitlines()[-1]
    assert token.startswith("dpk_") and " " not in token
    with EmbeddedStore.open(location) as store:
        key = KeyRing(store).authenticate(token)
    assert key is not None and key.name == "analyst laptop" and key.role.value == "analyst"


def test_keys_list_and_revoke(tmp_path: Path) -> None:
    location = _store(tmp_path)
    run_cli("keys", "add", "bot", "--role", "steward", store=location, check=True)
    listed = json.loads(run_cli("keys", "list", "--json", store=location, check=True).stdout)
    assert [(k["name"], k["role"], k["active"]) for k in listed] == [("bot", "steward", True)]
    assert "dpk_" not in run_cli("keys", "list", store=location, check=True).stdout
    revoked = run_cli("keys", "revoke", listed[0]["id"], store=location)
    assert revoked.returncode == 0 and "Revoked" in revoked.stdout
    assert json.loads(run_cli("keys", "list", "--json", store=location, check=True).stdout) == []
    everything = json.loads(run_cli("keys", "list", "--all", "--json", store=location, check=True).stdout)
    assert everything[0]["active"] is False


def test_bad_arguments_exit_2(tmp_path: Path) -> None:
    location = _store(tmp_path)
    assert run_cli("keys", "add", "x", "--role", "boss", store=location).returncode == 2
    assert run_cli("keys", "revoke", "nobody", store=location).returncode == 2
    run_cli("keys", "add", "twice", store=location, check=True)
    duplicate = run_cli("keys", "add", "twice", store=location)
    assert duplicate.returncode == 2 and "exists already" in duplicate.stderr


def test_a_held_store_exits_3(tmp_path: Path) -> None:
    location = _store(tmp_path)
    with EmbeddedStore.open(location):
        result = run_cli("keys", "add", "x", store=location)
    assert result.returncode == 3
    assert "held by" in result.stderr and "Traceback" not in result.stderr
