"""Finding organisations, items and capabilities by name (English or Dutch) or identifier."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from defport_kg.errors import UsageError
from defport_kg.namespaces import SPARQL_PREFIX_BLOCK
from defport_kg.store import EmbeddedStore

# The kinds of thing a search answers, each with the class whose (transitive) subclasses it covers.
# The order is the order of the answer.
KINDS: dict[str, str] = {
    "organisation": "dp:Organisation",
    "item": "dp:Item",
    "capability": "dp:Capability",
    "country": "dp:Country",
    "site": "dp:Site",
    "platform": "dp:Platform",
}

_SEARCH = (
    SPARQL_PREFIX_BLOCK
    + """
SELECT ?thing ?kind (SAMPLE(?l) AS ?label) (SAMPLE(?matched) AS ?match) WHERE {
  { ?thing rdfs:label|skos:prefLabel|skos:altLabel ?matched . BIND ("name" AS ?how) }
  UNION
  { ?thing dp:kvkNumber|dp:lei|dp:ncage|dp:nsn|dp:isoCode ?matched . BIND ("identifier" AS ?how) }
  # Parameters are bound at the top of the WHERE clause, so they are filtered here, not inside
  # the UNION branches (a nested group does not see the outer bindings).
  FILTER ((?how = "name" && CONTAINS(LCASE(STR(?matched)), LCASE(?_q)))
          || (?how = "identifier" && UCASE(STR(?matched)) = UCASE(?_q)))
  ?thing a ?type .
  VALUES (?kind ?top) { %KINDS% }
  ?type rdfs:subClassOf* ?top .
  OPTIONAL { ?thing rdfs:label|skos:prefLabel ?l FILTER (LANGMATCHES(LANG(?l), ?_lang) || LANG(?l) = "") }
}
GROUP BY ?thing ?kind
ORDER BY ?kind ?label
LIMIT 200
"""
)


def parse_kinds(values: Iterable[str] | None, *, parameter: str = "kind") -> tuple[str, ...]:
    """The kinds asked for, from repeated and/or comma-separated values; () means every kind.

    An unknown kind is a UsageError naming it, the parameter and the valid kinds, so that a typo
    (``organization``) is not silently answered with nothing.
    """
    chosen: list[str] = []
    for value in values or ():
        for part in value.split(","):
            kind = part.strip().lower()
            if not kind:
                continue
            if kind not in KINDS:
                raise UsageError(f"{parameter}: unknown kind {part.strip()!r}; the kinds are {', '.join(KINDS)}")
            if kind not in chosen:
                chosen.append(kind)
    return tuple(chosen)


def _query(kinds: tuple[str, ...]) -> str:
    # The VALUES rows come from the fixed KINDS table (kinds are checked against it), never from
    # the request's text, so building them into the query is safe.
    rows = " ".join(f'("{kind}" {KINDS[kind]})' for kind in kinds or tuple(KINDS))
    return _SEARCH.replace("%KINDS%", rows)


def find(
    store: EmbeddedStore,
    text: str,
    *,
    lang: str = "en",
    limit: int = 50,
    kinds: Iterable[str] | None = None,
) -> list[dict[str, Any]]:
    """Things whose label contains ``text`` (any language) or whose identifier equals it.

    ``kinds`` (names of ``KINDS``, or comma-separated lists of them) restricts the answer; the
    restriction is applied in the query, before its row cap, so a rare kind is not crowded out.
    """
    chosen = parse_kinds(kinds)
    text = text.strip()
    if not text:
        return []
    rows = store.select(_query(chosen), _q=text, _lang=lang)
    seen: set[str] = set()
    found = []
    for row in rows:
        if row["thing"] in seen:
            continue
        seen.add(row["thing"])
        found.append(
            {"iri": row["thing"], "kind": row["kind"], "label": row["label"] or row["match"], "match": row["match"]}
        )
    return found[:limit]
