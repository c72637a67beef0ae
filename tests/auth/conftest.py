"""Fixtures for the access tests: a cheaper argon2 so that creating many keys stays fast."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from argon2 import PasswordHasher

from defport_kg.auth import hashing


@pytest.fixture(autouse=True)
def cheap_argon2(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Still argon2id, with the smallest parameters: the tests check behaviour, not hash strength."""
    monkeypatch.setattr(hashing, "_hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
    yield
