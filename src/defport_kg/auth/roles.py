"""The four roles of the HTTP API and their order (CONTRACT §5: admin ⊃ steward ⊃ analyst ⊃ reader).

Roles are cumulative, so a check is a comparison of ranks rather than a lookup in a permission table:
one place decides what "at least steward" means.
"""

from __future__ import annotations

from enum import StrEnum

from defport_kg.errors import UsageError


class Role(StrEnum):
    reader = "reader"
    analyst = "analyst"
    steward = "steward"
    admin = "admin"

    @property
    def rank(self) -> int:
        return _RANKS[self]

    def includes(self, other: Role) -> bool:
        """True when this role may do everything ``other`` may (roles are cumulative)."""
        return self.rank >= other.rank

    @classmethod
    def parse(cls, text: str | Role) -> Role:
        """A role from its name; the error lists the valid names."""
        if isinstance(text, Role):
            return text
        try:
            return cls(text.strip().lower())
        except ValueError:
            raise UsageError(f"unknown role {text!r}: use one of {', '.join(r.value for r in cls)}") from None


_RANKS = {Role.reader: 1, Role.analyst: 2, Role.steward: 3, Role.admin: 4}
