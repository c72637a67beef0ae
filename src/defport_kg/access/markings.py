"""Markings on source graphs and clearances of callers: who may see which graph.

The scheme is an ordered list of levels (settings ``markings``; by default ``public`` < ``defport``
< ``restricted``). A graph carries one level and, optionally, the organisations it is releasable to
(need to know). A clearance is a level plus the organisations the caller acts for. A caller sees a
graph when its level is at least the graph's and, if the graph names organisations, it acts for
one of them. Levels alone answer "how sensitive", organisations answer "whose business".

Unknown levels fail closed: a graph with a marking the scheme does not know is visible only to the
unbounded clearance (the local operator on the command line, who holds the store's files anyway).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from defport_kg.errors import UsageError

DEFAULT_SCHEME: tuple[str, ...] = ("public", "defport", "restricted")
# Roles of shipped data, which is public by nature (published sources, fictional example).
PUBLIC_ROLES = frozenset({"ontology", "shapes", "reference", "example"})


@dataclass(frozen=True)
class Scheme:
    """The ordered marking levels, lowest first."""

    levels: tuple[str, ...] = DEFAULT_SCHEME

    def __post_init__(self) -> None:
        if not self.levels:
            raise UsageError("the marking scheme (setting markings) needs at least one level")
        if len(set(self.levels)) != len(self.levels):
            raise UsageError(f"the marking scheme repeats a level: {', '.join(self.levels)}")

    @classmethod
    def of(cls, levels: Sequence[str]) -> Scheme:
        return cls(tuple(level.strip().lower() for level in levels if level.strip()))

    @property
    def lowest(self) -> str:
        return self.levels[0]

    @property
    def highest(self) -> str:
        return self.levels[-1]

    def rank(self, level: str) -> int | None:
        try:
            return self.levels.index(level)
        except ValueError:
            return None

    def level(self, text: str, *, what: str = "marking") -> str:
        """A level from user input; the error lists the levels of the scheme."""
        level = text.strip().lower()
        if level not in self.levels:
            raise UsageError(f"unknown {what} {text!r}: the marking scheme has {', '.join(self.levels)}")
        return level

    def highest_of(self, levels: Iterable[str]) -> str:
        """The most sensitive of ``levels`` (unknown ones count as above every known level)."""
        known = list(levels)
        if any(self.rank(level) is None for level in known):
            return self.highest
        return max(known, key=lambda level: self.rank(level) or 0, default=self.lowest)


@dataclass(frozen=True)
class Marking:
    """A graph's marking: a level and the organisations it is releasable to (empty: no such limit)."""

    level: str
    releasable_to: frozenset[str] = frozenset()

    def describe(self) -> str:
        if not self.releasable_to:
            return self.level
        return f"{self.level} (releasable to {', '.join(sorted(self.releasable_to))})"

    def to_json(self) -> dict[str, object]:
        return {"level": self.level, "releasable_to": sorted(self.releasable_to)}


@dataclass(frozen=True)
class Clearance:
    """What a caller may see; ``unbounded`` sees everything, including markings the scheme lacks."""

    level: str
    organisations: frozenset[str] = field(default_factory=frozenset)
    unbounded: bool = False

    @classmethod
    def everything(cls, scheme: Scheme) -> Clearance:
        return cls(scheme.highest, frozenset(), unbounded=True)

    def sees(self, marking: Marking, scheme: Scheme) -> bool:
        if self.unbounded:
            return True
        mine, theirs = scheme.rank(self.level), scheme.rank(marking.level)
        if mine is None or theirs is None or theirs > mine:
            return False
        return not marking.releasable_to or bool(marking.releasable_to & self.organisations)

    def describe(self) -> str:
        if self.unbounded:
            return "everything"
        if not self.organisations:
            return self.level
        return f"{self.level}; organisations: {', '.join(sorted(self.organisations))}"

    def to_json(self) -> dict[str, object]:
        return {"level": self.level, "organisations": sorted(self.organisations), "unbounded": self.unbounded}


def derived_marking(markings: Iterable[Marking], scheme: Scheme) -> Marking:
    """The marking of a result computed from graphs with ``markings``: the highest level, and
    releasable only to organisations every restricted input is releasable to (so that nobody who
    could not see an input can see the result)."""
    items = list(markings)
    level = scheme.highest_of(m.level for m in items)
    limited = [m.releasable_to for m in items if m.releasable_to]
    releasable = frozenset.intersection(*limited) if limited else frozenset()
    if limited and not releasable:
        # No organisation may see every input: only the unbounded clearance may see the result.
        releasable = frozenset({"urn:x-defport-kg:nobody"})
    return Marking(level, releasable)
