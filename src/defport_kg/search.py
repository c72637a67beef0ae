"""Finding organisations, items and capabilities by name (English or Dutch) or identifier."""

from __future__ import annotations

from typing import Any

from defport_kg.namespaces import SPARQL_PREFIX_BLOCK
from defport_kg.store import EmbeddedStore

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
  VALUES (?kind ?top) { ("organisation" dp:Organisation) ("item" dp:Item) ("capability" dp:Capability)
                        ("country" dp:Country) ("site" dp:Site) ("platform" dp:Platform) }
  ?type rdfs:subClassOf* ?top .
  OPTIONAL { ?thing rdfs:label|skos:prefLabel ?l FILTER (LANGMATCHES(LANG(?l), ?_lang) || LANG(?l) = "") }
}
GROUP BY ?thing ?kind
ORDER BY ?kind ?label
LIMIT 200
"""
)


def find(store: EmbeddedStore, text: str, *, lang: str = "en", limit: int = 50) -> list[dict[str, Any]]:
    """Things whose label contains ``text`` (any language) or whose identifier equals it."""
    text = text.strip()
    if not text:
        return []
    rows = store.select(_SEARCH, _q=text, _lang=lang)
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
