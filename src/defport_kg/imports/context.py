"""The slice of the live data a batch must be validated with.

A supply relation may name an organisation stored earlier, a share sum spans relations already
stored, a component cycle may close through stored items, and identifiers must be unique across
the store. Fetching only what the batch touches keeps validation cost tied to the batch, not to
the size of the store.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox

from defport_kg.namespaces import DP, LIVE_GRAPH, RDF

_CHUNK = 500
_IDENTIFIERS = ("kvkNumber", "lei", "ncage", "nsn", "rsin")


def _chunks(values: list[str], size: int = _CHUNK) -> Iterable[list[str]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _construct(store: ox.Store, query: str) -> list[ox.Triple]:
    return list(store.query(query, default_graph=ox.NamedNode(LIVE_GRAPH)))


def context_triples(raw: ox.Store, batch: list[ox.Quad]) -> list[ox.Triple]:
    """Live triples that the batch's shapes may need to see."""
    iris: set[str] = set()
    items: set[str] = set()
    identifier_values: set[str] = set()
    for quad in batch:
        for term in (quad.subject, quad.object):
            if isinstance(term, ox.NamedNode):
                iris.add(term.value)
        predicate = quad.predicate.value
        if predicate in (DP + "item", DP + "assembly", DP + "component", DP + "hasComponent", DP + "requiresInput"):
            if isinstance(quad.object, ox.NamedNode):
                items.add(quad.object.value)
            if predicate == DP + "hasComponent" and isinstance(quad.subject, ox.NamedNode):
                items.add(quad.subject.value)
        if predicate in {DP + name for name in _IDENTIFIERS} and isinstance(quad.object, ox.Literal):
            identifier_values.add(quad.object.value)
        if predicate == RDF + "type" and isinstance(quad.subject, ox.NamedNode):
            iris.add(quad.subject.value)

    found: list[ox.Triple] = []
    for chunk in _chunks(sorted(iris)):
        values = " ".join(f"<{v}>" for v in chunk)
        found += _construct(raw, f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ VALUES ?s {{ {values} }} ?s ?p ?o }}")
        # Types of what the batch's subjects point to, so class-based checks see them.
        found += _construct(
            raw,
            f"CONSTRUCT {{ ?o a ?t }} WHERE {{ VALUES ?s {{ {values} }} ?s ?p ?o . ?o a ?t }}",
        )
    for chunk in _chunks(sorted(items)):
        values = " ".join(f"<{v}>" for v in chunk)
        # Stored supply relations of the same items (share sums) and the stored BOM below and
        # above them (component cycles that close through stored items).
        found += _construct(
            raw,
            f"""PREFIX dp: <{DP}>
            CONSTRUCT {{ ?r ?p ?o }} WHERE {{ VALUES ?i {{ {values} }} ?r dp:item ?i ; ?p ?o }}""",
        )
        found += _construct(
            raw,
            f"""PREFIX dp: <{DP}>
            CONSTRUCT {{ ?a dp:hasComponent ?b . ?u dp:assembly ?a ; dp:component ?b ; a dp:ComponentUse }}
            WHERE {{ VALUES ?i {{ {values} }}
              {{ ?i (dp:hasComponent|^dp:assembly/dp:component)* ?a }} UNION
              {{ ?a (dp:hasComponent|^dp:assembly/dp:component)* ?i }}
              {{ ?a dp:hasComponent ?b }} UNION {{ ?u dp:assembly ?a ; dp:component ?b }} }}""",
        )
    if identifier_values:
        for chunk in _chunks(sorted(identifier_values)):
            values = " ".join(str(ox.Literal(v)) for v in chunk)
            found += _construct(
                raw,
                f"""PREFIX dp: <{DP}>
                CONSTRUCT {{ ?org ?id ?v ; a ?t ; dp:country ?c }} WHERE {{
                  VALUES ?v {{ {values} }}
                  VALUES ?id {{ {" ".join(f"dp:{n}" for n in _IDENTIFIERS)} }}
                  ?org ?id ?v ; a ?t . OPTIONAL {{ ?org dp:country ?c }} }}""",
            )
    return found
