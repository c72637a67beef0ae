"""Content negotiation: q-values, wildcards, specificity, and None (406) when nothing fits."""

from __future__ import annotations

import pytest

from defport_kg.sparql.negotiation import GRAPH_TYPES, SOLUTION_TYPES, negotiate, parse_accept


@pytest.mark.parametrize(
    ("accept", "offers", "chosen"),
    [
        (None, SOLUTION_TYPES, "application/sparql-results+json"),
        ("", SOLUTION_TYPES, "application/sparql-results+json"),
        ("*/*", SOLUTION_TYPES, "application/sparql-results+json"),
        ("*/*", GRAPH_TYPES, "text/turtle"),
        ("application/sparql-results+xml", SOLUTION_TYPES, "application/sparql-results+xml"),
        ("text/csv;q=0.5, text/tab-separated-values", SOLUTION_TYPES, "text/tab-separated-values"),
        ("text/*", SOLUTION_TYPES, "text/xml"),
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", SOLUTION_TYPES, "application/xml"),
        ("text/html,*/*;q=0.8", GRAPH_TYPES, "text/turtle"),
        ("application/n-triples, text/turtle;q=0.9", GRAPH_TYPES, "application/n-triples"),
        ("application/ld+json", GRAPH_TYPES, "application/ld+json"),
        ("application/rdf+xml, application/sparql-results+xml", GRAPH_TYPES, "application/rdf+xml"),
        ("*/*;q=0.1, application/json", SOLUTION_TYPES, "application/json"),
        ("TEXT/CSV", SOLUTION_TYPES, "text/csv"),
        ("text/turtle;charset=utf-8", GRAPH_TYPES, "text/turtle"),
    ],
)
def test_the_preferred_offer_is_chosen(accept: str | None, offers: tuple[str, ...], chosen: str) -> None:
    assert negotiate(accept, offers) == chosen


@pytest.mark.parametrize(
    ("accept", "offers"),
    [
        ("image/png", SOLUTION_TYPES),
        ("text/turtle", SOLUTION_TYPES),
        ("application/sparql-results+json", GRAPH_TYPES),
        ("*/*;q=0", SOLUTION_TYPES),
        ("text/csv;q=0, image/*", SOLUTION_TYPES),
    ],
)
def test_nothing_acceptable_gives_none(accept: str, offers: tuple[str, ...]) -> None:
    assert negotiate(accept, offers) is None


def test_a_more_specific_range_overrides_a_wildcard() -> None:
    assert negotiate("text/*;q=1, text/csv;q=0", ("text/csv", "text/xml")) == "text/xml"


def test_malformed_entries_are_skipped() -> None:
    assert [r.type for r in parse_accept("garbage, ;q=1, text/csv;q=abc")] == ["text"]
    assert parse_accept("text/csv;q=abc")[0].q == 0.0
