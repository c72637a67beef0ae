"""The slice of the live data a batch must be validated with.

A supply relation may name an organisation stored earlier, a share sum spans relations already
stored, a component cycle may close through stored items (when the batch adds bill-of-materials
edges), an item is a data gap only if no stored relation supplies it, and identifiers must be
unique across the store. The validator checks every
node the batch mentions, so each of those needs its stored description, and the things they point
to need their types (``sh:class``).

Everything here is an index lookup (``quads_for_pattern`` on the live graph) starting from the
batch's own nodes: the cost follows the batch and what it touches, never the size of the store.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox

from defport_kg.namespaces import DCTERMS, DP, LIVE_GRAPH, ORG, OWL, PROV, RDF, RDFS, SCHEMA, SKOS, XSD

_LIVE = ox.NamedNode(LIVE_GRAPH)
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


class _Context:
    def __init__(self, raw: ox.Store) -> None:
        self.raw = raw
        self.found: set[tuple[ox.NamedNode | ox.BlankNode, ox.NamedNode, ox.Term]] = set()
        self.described: set[ox.NamedNode | ox.BlankNode] = set()
        self.typed: set[ox.NamedNode] = set()

    def _quads(self, s: object, p: object, o: object) -> Iterable[ox.Quad]:
        return self.raw.quads_for_pattern(s, p, o, _LIVE)  # type: ignore[arg-type]

    def add(self, quad: ox.Quad) -> None:
        self.found.add((quad.subject, quad.predicate, quad.object))  # type: ignore[arg-type]

    def describe(self, node: ox.NamedNode | ox.BlankNode, depth: int = 0) -> list[ox.Term]:
        """Every stored statement about ``node`` (and about blank nodes it points to); their objects."""
        if node in self.described:
            return []
        self.described.add(node)
        objects: list[ox.Term] = []
        for quad in self._quads(node, None, None):
            self.add(quad)
            obj = quad.object
            if isinstance(obj, ox.BlankNode) and depth < _BLANK_DEPTH:
                objects += self.describe(obj, depth + 1)
            elif isinstance(obj, ox.NamedNode):
                objects.append(obj)
        return objects

    def types_of(self, node: ox.Term) -> None:
        if isinstance(node, ox.NamedNode) and node not in self.typed and not _is_vocabulary(node):
            self.typed.add(node)
            for quad in self._quads(node, _TYPE, None):
                self.add(quad)

    def incoming(self, node: ox.NamedNode) -> None:
        """Stored supply relations and component uses of an item: just what share sums and the
        data-gap check read (``?r dp:item $this ; dp:share ?s``, ``?u dp:assembly $this``); the
        relations themselves are not the batch's and are not validated."""
        for quad in self._quads(None, _ITEM, node):
            self.add(quad)
            for share in self._quads(quad.subject, _SHARE, None):
                self.add(share)
        for quad in self._quads(None, _ASSEMBLY, node):
            self.add(quad)

    def bill_of_materials(self, roots: Iterable[ox.NamedNode]) -> None:
        """The stored bill of materials below the batch's items: a cycle may close through it."""
        queue = list(roots)
        seen = set(queue)
        while queue:
            node = queue.pop()
            children: list[ox.Term] = []
            for quad in self._quads(node, _HAS_COMPONENT, None):
                self.add(quad)
                children.append(quad.object)
            for use in self._quads(None, _ASSEMBLY, node):
                self.add(use)
                for quad in self._quads(use.subject, _COMPONENT, None):
                    self.add(quad)
                    children.append(quad.object)
                for quad in self._quads(use.subject, _TYPE, None):
                    self.add(quad)
            for child in children:
                if isinstance(child, ox.NamedNode) and child not in seen:
                    seen.add(child)
                    queue.append(child)

    def same_identifiers(self, pairs: Iterable[tuple[ox.NamedNode, ox.Literal]]) -> None:
        """Stored holders of the batch's KvK numbers, LEIs, ...: two organisations with one is an error."""
        for predicate, value in pairs:
            for quad in self._quads(None, predicate, value):
                self.add(quad)
                for extra in (*self._quads(quad.subject, _TYPE, None), *self._quads(quad.subject, _COUNTRY, None)):
                    self.add(extra)


def context_triples(raw: ox.Store, batch: Iterable[ox.Quad]) -> list[ox.Triple]:
    """Live triples that the validation of ``batch`` needs to see."""
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

    context = _Context(raw)
    for node in mentioned:
        if _is_vocabulary(node):
            continue
        for obj in context.describe(node):
            context.types_of(obj)
        context.incoming(node)
    context.bill_of_materials(bom_roots)
    context.same_identifiers(identifiers)
    return [ox.Triple(s, p, o) for s, p, o in context.found]
