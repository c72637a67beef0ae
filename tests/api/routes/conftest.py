"""Fixtures for the route tests: the real app over a real store, with one key per role."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pytest
from argon2 import PasswordHasher
from fastapi import FastAPI
from fastapi.testclient import TestClient

from defport_kg.api.app import create_app
from defport_kg.auth import KeyRing, Role, hashing
from defport_kg.settings import Settings
from defport_kg.store import EmbeddedStore

ROLES = [r.value for r in Role]


@pytest.fixture(autouse=True)
def cheap_argon2(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Still argon2id, with the smallest parameters: the tests check behaviour, not hash strength."""
    monkeypatch.setattr(hashing, "_hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
    yield


@dataclass
class Api:
    """A client of the real app plus a token per role; ``as_(role)`` gives the header."""

    app: FastAPI
    client: TestClient
    store: EmbeddedStore
    tokens: dict[str, str] = field(default_factory=dict)

    def auth(self, role: str | None) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[role]}"} if role else {}


def make_api(store: EmbeddedStore, **settings: object) -> Api:
    tokens = {role: KeyRing(store).add(f"{role} key", role)[1] for role in ROLES}
    app = create_app(store, Settings(**settings))  # type: ignore[arg-type]
    return Api(app, TestClient(app, raise_server_exceptions=False), store, tokens)


@pytest.fixture
def api_factory(memory_store: EmbeddedStore) -> Callable[..., Api]:
    """Builds an app over an empty in-memory store; keyword arguments are settings."""
    return lambda **settings: make_api(memory_store, **settings)


@pytest.fixture
def api(memory_store: EmbeddedStore) -> Api:
    return make_api(memory_store)


@pytest.fixture
def example_api(example_store: EmbeddedStore) -> Api:
    """The app over a private copy of a store with the reference data and the fictional example."""
    return make_api(example_store)
