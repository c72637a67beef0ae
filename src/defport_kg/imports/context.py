"""The slice of the live data a batch must be validated with.

A supply relation may name an organisation stored earlier, a share sum spans relations already
stored, a component cycle may close through stored items (when the batch adds bill-of-materials
edges), an item is a data gap only if no stored relation supplies it, and identifiers must be
unique across the store. The validator checks every
node the batch mentions, so each of those needs its stored description, and the things they point
to need their types (``sh:class``).

Everything here is a lookup starting from the batch's own nodes: the cost follows the batch and
what it touches, never the size of the store. The lookups go level by level, each level as one
call of the store interface (``live_descriptions``, ``live_matches``): on the embedded store those
are pyoxigraph index lookups, on a remote store a few requests per level, not one per node.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import pyoxigraph as ox

from defport_kg.namespaces import DCTERMS, DP, ORG, OWL, PROV, RDF, RDFS, SCHEMA, SKOS, XSD

_TYPE = ox.NamedNode(RDF + "type")
_ITEM = ox.NamedNode(DP + "item")
_ASSEMBLY = ox.NamedNode(DP + "assembly")
_COMPONENT = ox.NamedNode(DP + "component")
_HAS_COMPONENT = ox.NamedNode(DP + "hasComponent")
_IDENTIFIERS = frozenset(ox.NamedNode(DP + name) for name in ("kvkNumber", "lei", "ncage", "nsn", "rsin", "eori"))
_COUNTRY = ox.NamedNode(DP + "country")
_SHARE = ox.NamedNode(DP + "share")
# Vocabulary terms (classes, properties, individuals of the ontology): the validator brings the
# ontology's hierarchy itself, so their stored descriptions are not batch context.
_VOCABULARIES = (DP, RDF, RDFS, OWL, SKOS, XSD, PROV, ORG, SCHEMA, DCTERMS)
_BLANK_DEPTH = 3


def _is_vocabulary(node: ox.NamedNode) -> bool:
    return node.value.startswith(_VOCABULARIES)


Found = set[tuple[Any, Any, Any]]


def _add(found: Found, triple: ox.Triple) -> None:
    found.add((triple.subject, triple.predicate, triple.object))


def context_triples(store: Any, batch: Iterable[ox.Quad], *, exclude: Sequence[str] = ()) -> list[ox.Triple]:
    """Live triples that the validation of ``batch`` needs to see.

    ``store`` is a store (embedded or remote) or, for older callers, a pyoxigraph store. ``exclude``:
    read the live data as it will be once those graphs leave it (the versions an import replaces:
    an old share or a removed relation must not count against its replacement).
    """
    if isinstance(store, ox.Store):
        from defport_kg.store.embedded import EmbeddedStore

        store = EmbeddedStore(store, None)
    mentioned: set[ox.NamedNode] = set()
    bom_roots: set[ox.NamedNode] = set()
    identifiers: set[tuple[ox.NamedNode, ox.Literal]] = set()
    for quad in batch:
        subject, predicate, obj = quad.subject, quad.predicate, quad.object
        if isinstance(subject, ox.NamedNode):
            mentioned.add(subject)
        if isinstance(obj, ox.NamedNode):
            mentioned.add(obj)
        elif isinstance(obj, ox.Literal) and predicate in _IDENTIFIERS:
            identifiers.add((predicate, obj))
        # Only a batch that adds bill-of-materials edges can close a component cycle: the stored
        # bill of materials below those edges is needed then, and only then.
        if predicate in (_HAS_COMPONENT, _COMPONENT, _ASSEMBLY) and isinstance(obj, ox.NamedNode):
            bom_roots.add(obj)

    found: Found = set()
    nodes = sorted((n for n in mentioned if not _is_vocabulary(n)), key=lambda n: n.value)
    # Every stored statement about the nodes the batch mentions (and the blank nodes they point to) ...
    objects: set[ox.NamedNode] = set()
    for triples in store.live_descriptions(nodes, depth=_BLANK_DEPTH, exclude=exclude).values():
        for triple in triples:
            _add(found, triple)
            if isinstance(triple.object, ox.NamedNode):
                objects.add(triple.object)
    # ... the types of what those statements point to (sh:class) ...
    typed = sorted((o for o in objects if not _is_vocabulary(o)), key=lambda n: n.value)
    for matches in store.live_matches([(o, _TYPE, None) for o in typed], exclude=exclude).values():
        for triple, _ in matches:
            _add(found, triple)
    # ... stored supply relations and component uses of the items: just what share sums and the
    # data-gap check read (``?r dp:item $this ; dp:share ?s``, ``?u dp:assembly $this``); the
    # relations themselves are not the batch's and are not validated ...
    incoming = store.live_matches([(None, _ITEM, n) for n in nodes], follow=[_SHARE], exclude=exclude)
    incoming |= store.live_matches([(None, _ASSEMBLY, n) for n in nodes], exclude=exclude)
    for matches in incoming.values():
        for triple, followed in matches:
            _add(found, triple)
            for extra in followed:
                _add(found, extra)
    _bill_of_materials(store, bom_roots, found, exclude)
    # ... and stored holders of the batch's KvK numbers, LEIs, ...: two organisations with one is an error.
    holders = store.live_matches(
        sorted(((None, p, v) for p, v in identifiers), key=str), follow=[_TYPE, _COUNTRY], exclude=exclude
    )
    for matches in holders.values():
        for triple, followed in matches:
            _add(found, triple)
            for extra in followed:
                _add(found, extra)
    return [ox.Triple(s, p, o) for s, p, o in found]


def _bill_of_materials(store: Any, roots: Iterable[ox.NamedNode], found: Found, exclude: Sequence[str]) -> None:
    """The stored bill of materials below the batch's items, a level at a time: a cycle may close through it."""
    seen = set(roots)
    level = sorted(seen, key=lambda n: n.value)
    while level:
        children: list[ox.Term] = []
        for matches in store.live_matches([(n, _HAS_COMPONENT, None) for n in level], exclude=exclude).values():
            for triple, _ in matches:
                _add(found, triple)
                children.append(triple.object)
        uses = store.live_matches([(None, _ASSEMBLY, n) for n in level], follow=[_COMPONENT, _TYPE], exclude=exclude)
        for matches in uses.values():
            for triple, followed in matches:
                _add(found, triple)
                for extra in followed:
                    _add(found, extra)
                    if extra.predicate == _COMPONENT:
                        children.append(extra.object)
        level = []
        for child in children:
            if isinstance(child, ox.NamedNode) and child not in seen:
                seen.add(child)
                level.append(child)
