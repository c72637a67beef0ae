"""Roles are cumulative: admin ⊃ steward ⊃ analyst ⊃ reader."""

from __future__ import annotations

import itertools

import pytest

from defport_kg.auth import Role
from defport_kg.errors import UsageError

ORDER = [Role.reader, Role.analyst, Role.steward, Role.admin]


@pytest.mark.parametrize(("a", "b"), list(itertools.product(ORDER, ORDER)))
def test_a_role_includes_exactly_the_roles_below_it(a: Role, b: Role) -> None:
    assert a.includes(b) == (ORDER.index(a) >= ORDER.index(b))


def test_roles_parse_from_their_names() -> None:
    assert Role.parse(" Steward ") is Role.steward
    assert Role.parse(Role.admin) is Role.admin
    with pytest.raises(UsageError, match="reader, analyst, steward, admin"):
        Role.parse("boss")
