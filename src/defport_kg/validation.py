"""SHACL validation of a batch of data, in the context of the live data it refers to.

A batch (an import, a file given to ``validate``) is checked together with the data it mentions —
a supply relation may name an organisation that is already stored — but only what the batch
mentions is checked and reported: results about untouched live data are not the batch's fault.
To make the cost depend on the batch rather than on the store, every shape's targets are resolved
here against the nodes the batch mentions and handed to pySHACL as ``sh:targetNode`` values.

The ontology is mixed into the data graph so that ``sh:targetClass dp:Item`` reaches a
``dp:System`` and ``sh:class dp:Organisation`` accepts a ``dp:Company``.

pySHACL facts this module relies on (pySHACL 0.30-0.40):
- it mutates the shapes graph it is given, so every run gets its own copy of the cached one;
- it re-parses a SPARQL constraint for every focus node (~15 ms each with rdflib), so the data
  graph caches parsed queries (``_QueryCachingGraph``);
- it drops the language tag of a message whose ``{?var}`` placeholders it fills in, so the
  language of such a message is recovered by matching it against the shape's message templates;
- rdflib's SPARQL parser is not thread-safe, so runs are serialised by a module lock.
"""

from __future__ import annotations

import re
import threading
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import pyshacl
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SH
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.sparql import Query
from rdflib.term import Node

from defport_kg import resources
from defport_kg.namespaces import PREFIXES, compact

__all__ = [
    "SEVERITIES",
    "ValidationReport",
    "ValidationResult",
    "load_ontology",
    "load_shapes",
    "shapes_version",
    "validate",
]

SEVERITIES: tuple[str, ...] = ("Violation", "Warning", "Info")
DEFAULT_MAX_PER_SHAPE = 100

_TARGET_PREDICATES = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
_SHAPES_ONTOLOGY = URIRef("https://w3id.org/defport/shapes")


# --------------------------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ValidationResult:
    """One SHACL result, with its message in English and Dutch.

    Nodes are strings: IRIs in full, blank nodes as ``_:id``, literals by their lexical form.
    ``source_constraint`` is the constraint component (``sh:MinCountConstraintComponent``, ...).
    ``location`` is where the focus node came from (``file:line``, ``sheet!row:column``) when the
    caller knows it; validation itself does not.
    """

    focus_node: str
    result_path: str | None
    value: str | None
    message_en: str
    message_nl: str
    severity: str
    source_shape: str | None
    source_constraint: str | None
    location: str | None = None
    focus_term: Node | None = field(default=None, repr=False, compare=False)
    path_term: Node | None = field(default=None, repr=False, compare=False)
    value_term: Node | None = field(default=None, repr=False, compare=False)

    def message(self, lang: str = "en") -> str:
        return self.message_nl if lang == "nl" else self.message_en

    def to_json(self) -> dict[str, Any]:
        return {
            "focus_node": self.focus_node,
            "result_path": self.result_path,
            "value": self.value,
            "message": {"en": self.message_en, "nl": self.message_nl},
            "severity": self.severity,
            "source_shape": self.source_shape,
            "source_constraint": self.source_constraint,
            "location": self.location,
        }


@dataclass
class ValidationReport:
    """The outcome of a validation: whether it conforms and the (capped) results.

    ``conforms`` is true when there is no violation; warnings and infos do not block.
    ``counts`` counts every result by severity, including those left out by the cap;
    ``omitted`` says per source shape how many results the cap left out.
    """

    conforms: bool
    results: list[ValidationResult]
    counts: dict[str, int]
    omitted: dict[str, int] = field(default_factory=dict)
    shapes_version: str | None = None

    @property
    def violation_count(self) -> int:
        return self.counts.get("Violation", 0)

    @property
    def warning_count(self) -> int:
        return self.counts.get("Warning", 0)

    @property
    def info_count(self) -> int:
        return self.counts.get("Info", 0)

    @property
    def violations(self) -> list[ValidationResult]:
        return [r for r in self.results if r.severity == "Violation"]

    def summary(self) -> str:
        verdict = "conforms" if self.conforms else "does not conform"
        return (
            f"{verdict}: {_plural(self.violation_count, 'violation')}, "
            f"{_plural(self.warning_count, 'warning')}, {_plural(self.info_count, 'info')}"
        )

    def to_text(self, lang: str = "en") -> str:
        """A report for people: one block per result, capped shapes say how many were left out."""
        lines = [f"Validation {self.summary()}"]
        for r in self.results:
            head = f"{r.severity}: {compact(r.focus_node)}"
            if r.result_path:
                head += f" {compact(r.result_path)}"
            if r.value is not None and r.value != r.focus_node:
                literal = r.value_term is None or isinstance(r.value_term, Literal)
                head += f" = {r.value!r}" if literal else f" = {compact(r.value)}"
            lines.append(head)
            lines.append(f"  {r.message(lang)}")
            where = [f"shape {compact(r.source_shape)}" if r.source_shape else ""]
            if r.location:
                where.append(f"at {r.location}")
            lines.append("  " + ", ".join(w for w in where if w))
        for shape, n in sorted(self.omitted.items()):
            lines.append(f"... and {_plural(n, 'more result')} of shape {compact(shape)} not shown")
        return "\n".join(lines) + "\n"

    def to_json(self) -> dict[str, Any]:
        return {
            "conforms": self.conforms,
            "counts": {s: self.counts.get(s, 0) for s in SEVERITIES},
            "results": [r.to_json() for r in self.results],
            "omitted": dict(sorted(self.omitted.items())),
            "shapes_version": self.shapes_version,
        }

    def to_graph(self) -> Graph:
        """The report as an ``sh:ValidationReport`` graph (the results shown, both languages)."""
        g = Graph()
        for prefix in ("sh", "dp", "dpsh", "dpid", "rdf", "rdfs", "xsd"):
            g.bind(prefix, PREFIXES[prefix])
        report = BNode()
        g.add((report, RDF.type, SH.ValidationReport))
        g.add((report, SH.conforms, Literal(self.conforms)))
        for r in self.results:
            node = BNode()
            g.add((report, SH.result, node))
            g.add((node, RDF.type, SH.ValidationResult))
            g.add((node, SH.focusNode, r.focus_term or _term(r.focus_node)))
            g.add((node, SH.resultSeverity, SH[r.severity]))
            g.add((node, SH.resultMessage, Literal(r.message_en, lang="en")))
            g.add((node, SH.resultMessage, Literal(r.message_nl, lang="nl")))
            if r.result_path is not None:
                g.add((node, SH.resultPath, r.path_term or _term(r.result_path)))
            if r.value is not None:
                g.add((node, SH.value, r.value_term or Literal(r.value)))
            if r.source_shape is not None:
                g.add((node, SH.sourceShape, _term(r.source_shape)))
            if r.source_constraint is not None:
                g.add((node, SH.sourceConstraintComponent, _term(r.source_constraint)))
        return g

    def to_turtle(self) -> str:
        return self.to_graph().serialize(format="turtle")


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def _term(text: str) -> Node:
    return BNode(text[2:]) if text.startswith("_:") else URIRef(text)


def _text(node: Node | None) -> str | None:
    if node is None:
        return None
    if isinstance(node, BNode):
        return f"_:{node}"
    return str(node)


# --------------------------------------------------------------------------------------------
# Shipped ontology and shapes, parsed once
# --------------------------------------------------------------------------------------------

_LOCK = threading.RLock()


@lru_cache(maxsize=4)
def _parse(path: Path) -> Graph:
    g = Graph()
    g.parse(path, format="turtle")
    return g


def load_ontology() -> Graph:
    """The shipped ontology (a fresh copy: callers may change it)."""
    return _copy(_parse(resources.ontology_file()))


def load_shapes() -> Graph:
    """The shipped shapes (a fresh copy: pySHACL mutates the shapes graph it is given)."""
    return _copy(_parse(resources.shapes_file()))


def shapes_version() -> str:
    """The ``owl:versionInfo`` of the shipped shapes, recorded with every import."""
    g = _parse(resources.shapes_file())
    return str(g.value(_SHAPES_ONTOLOGY, OWL.versionInfo) or "unknown")


@lru_cache(maxsize=1)
def _ontology_skeleton() -> Graph:
    """The part of the ontology validation needs: the class hierarchy and the individuals.

    ``sh:targetClass`` and ``sh:class`` follow ``rdfs:subClassOf``; values such as ``dp:ITAR``
    must be typed. The rest (labels and definitions of classes and properties) only slows every
    run down by copying.
    """
    ontology = _parse(resources.ontology_file())
    skeleton = Graph(store="SimpleMemory")
    skeleton += ontology.triples((None, RDFS.subClassOf, None))
    for individual in ontology.subjects(RDF.type, OWL.NamedIndividual):
        skeleton += ontology.triples((individual, None, None))
    return skeleton


def _copy(g: Graph) -> Graph:
    out = Graph(store="SimpleMemory")  # no named-graph bookkeeping: adds are a third cheaper
    for prefix, ns in g.namespaces():
        out.bind(prefix, ns)
    out += g
    return out


class _QueryCachingGraph(Graph):
    """A graph that parses each SPARQL text once: pySHACL re-sends the same text per focus node."""

    def query(self, query_object: Any, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        if isinstance(query_object, str):
            query_object = _prepare(query_object)
        return super().query(query_object, *args, **kwargs)


@lru_cache(maxsize=512)
def _prepare(text: str) -> Query:
    return prepareQuery(text)


# --------------------------------------------------------------------------------------------
# Validation
# --------------------------------------------------------------------------------------------


def validate(
    data: Graph,
    *,
    context: Graph | None = None,
    shapes: Graph | None = None,
    max_per_shape: int = DEFAULT_MAX_PER_SHAPE,
) -> ValidationReport:
    """Validate ``data`` (a Graph or Dataset: all its graphs count) against the shapes.

    ``context`` is live data the batch may refer to (stored organisations, countries, ...): it
    takes part in the checks, but only nodes the batch mentions are validated and reported. It
    need not be the whole store, only what the checks of those nodes read: their triples, the
    types of what they point to, the other supply relations of their items, the bill of
    materials around their items, and the holders of their identifiers
    (``defport_kg.imports.context`` gathers exactly that).
    ``shapes`` replaces the shipped shapes (tests, experiments). At most ``max_per_shape``
    results are kept per source shape; ``report.omitted`` counts the rest.
    """
    batch = list(_triples(data))
    mentioned: set[Node] = set()
    for s, _p, o in batch:
        mentioned.add(s)
        if not isinstance(o, Literal):
            mentioned.add(o)

    with _LOCK:
        graph = _QueryCachingGraph()
        graph += _ontology_skeleton()
        if context is not None:
            for t in _triples(context):
                graph.add(t)
        for t in batch:
            graph.add(t)
        shapes_graph = _copy(shapes) if shapes is not None else load_shapes()
        _resolve_targets(shapes_graph, graph, mentioned)
        _conforms, report_graph, _text_report = pyshacl.validate(
            graph,
            shacl_graph=shapes_graph,
            inference="none",
            inplace=True,
            advanced=False,
            allow_warnings=True,
        )
        templates = _message_templates(shapes_graph)
        results = [r for r in _read_results(report_graph, templates) if r.focus_term in mentioned]
    return _build_report(results, max_per_shape, shapes_version() if shapes is None else None)


def _triples(g: Graph) -> Iterator[tuple[Node, Node, Node]]:
    """Every triple of a Graph, or of every graph of a Dataset (as a set)."""
    if getattr(g, "context_aware", False):
        for s, p, o, _ctx in g.quads((None, None, None, None)):  # type: ignore[attr-defined]
            yield s, p, o
    else:
        yield from g.triples((None, None, None))


def _resolve_targets(shapes_graph: Graph, data_graph: Graph, mentioned: set[Node]) -> None:
    """Replace each shape's targets by the ``sh:targetNode`` values they select among ``mentioned``.

    Same semantics as SHACL's target declarations (``sh:targetClass`` follows
    ``rdfs:subClassOf*`` in the data graph, which holds the ontology), evaluated only for the
    batch's nodes, so that pySHACL's cost follows the batch, not the store.

    The property shapes of a top-level node shape get the node shape's focus nodes as their own
    targets (and the ``sh:property`` link goes): the results are the same, but pySHACL then checks
    each property shape once for all focus nodes instead of once per focus node (4x faster).
    """
    superclasses: dict[Node, set[Node]] = {}

    def classes_of(node: Node) -> set[Node]:
        out: set[Node] = set()
        for cls in data_graph.objects(node, RDF.type):
            if cls not in superclasses:
                superclasses[cls] = set(data_graph.transitive_objects(cls, RDFS.subClassOf))
            out |= superclasses[cls]
        return out

    def is_class(shape: Node) -> bool:
        return (shape, RDF.type, RDFS.Class) in shapes_graph or (
            shape,
            RDF.type,
            OWL.Class,
        ) in shapes_graph

    shapes = {s for p in _TARGET_PREDICATES for s in shapes_graph.subjects(p, None)}
    # Implicit class targets: a shape that is also a class targets that class's instances.
    shapes |= {s for s in shapes_graph.subjects(RDF.type, SH.NodeShape) if is_class(s)}
    # Index the shapes by what selects a node, then look at each mentioned node once.
    by_class: dict[Node, list[Node]] = defaultdict(list)
    by_subject_of: dict[Node, list[Node]] = defaultdict(list)
    by_object_of: dict[Node, list[Node]] = defaultdict(list)
    focus: dict[Node, set[Node]] = {}
    for shape in shapes:
        classes = set(shapes_graph.objects(shape, SH.targetClass))
        if is_class(shape):
            classes.add(shape)
            # Keep the shape from being read as an implicit class target of every instance.
            shapes_graph.remove((shape, RDF.type, RDFS.Class))
            shapes_graph.remove((shape, RDF.type, OWL.Class))
        for cls in classes:
            by_class[cls].append(shape)
        for p in shapes_graph.objects(shape, SH.targetSubjectsOf):
            by_subject_of[p].append(shape)
        for p in shapes_graph.objects(shape, SH.targetObjectsOf):
            by_object_of[p].append(shape)
        focus[shape] = {n for n in shapes_graph.objects(shape, SH.targetNode) if n in mentioned}
        for p in _TARGET_PREDICATES:
            shapes_graph.remove((shape, p, None))
    for node in mentioned:
        if isinstance(node, Literal):
            continue
        selecting: set[Node] = set()
        for cls in classes_of(node):
            selecting.update(by_class.get(cls, ()))
        if by_subject_of:
            for p in set(data_graph.predicates(node, None)):
                selecting.update(by_subject_of.get(p, ()))
        if by_object_of:
            for p in set(data_graph.predicates(None, node)):
                selecting.update(by_object_of.get(p, ()))
        for shape in selecting:
            focus[shape].add(node)
    for shape in list(focus):
        if _exists(shapes_graph, (None, None, shape)):
            continue  # nested in another shape: its sh:property must stay where it is
        for prop in list(shapes_graph.objects(shape, SH.property)):
            if prop in shapes:
                continue  # a property shape with targets of its own keeps them
            focus.setdefault(prop, set()).update(focus[shape])
            shapes_graph.remove((shape, SH.property, prop))
    for shape, nodes in focus.items():
        for node in nodes:
            shapes_graph.add((shape, SH.targetNode, node))


def _exists(g: Graph, pattern: tuple[Node | None, Node | None, Node | None]) -> bool:
    return next(iter(g.triples(pattern)), None) is not None


# --------------------------------------------------------------------------------------------
# Reading pySHACL's report
# --------------------------------------------------------------------------------------------

_PLACEHOLDER = re.compile(r"\{[?$][A-Za-z_][A-Za-z0-9_]*\}")


def _message_templates(shapes_graph: Graph) -> dict[Node, list[tuple[re.Pattern[str], str]]]:
    """Per shape and SPARQL constraint, its message templates as regexes with their language."""
    templates: dict[Node, list[tuple[re.Pattern[str], str]]] = defaultdict(list)
    for node, message in shapes_graph.subject_objects(SH.message):
        if not isinstance(message, Literal) or not message.language:
            continue
        parts = _PLACEHOLDER.split(str(message))
        regex = re.compile("(?s)^" + "(.*?)".join(re.escape(p) for p in parts) + "$")
        templates[node].append((regex, message.language.lower()))
    return templates


def _read_results(
    report_graph: Graph, templates: dict[Node, list[tuple[re.Pattern[str], str]]]
) -> Iterator[ValidationResult]:
    for node in report_graph.subjects(RDF.type, SH.ValidationResult):
        focus = report_graph.value(node, SH.focusNode)
        path = report_graph.value(node, SH.resultPath)
        value = report_graph.value(node, SH.value)
        severity = report_graph.value(node, SH.resultSeverity)
        shape = report_graph.value(node, SH.sourceShape)
        component = report_graph.value(node, SH.sourceConstraintComponent)
        constraint = report_graph.value(node, SH.sourceConstraint)
        messages = list(report_graph.objects(node, SH.resultMessage))
        en, nl = _messages(messages, [*templates.get(constraint, []), *templates.get(shape, [])])
        yield ValidationResult(
            focus_node=_text(focus) or "",
            result_path=_text(path) if isinstance(path, URIRef) else None,
            value=_text(value),
            message_en=en,
            message_nl=nl,
            severity=str(severity).rsplit("#", 1)[-1] if severity is not None else "Violation",
            source_shape=_text(shape),
            source_constraint=_text(component),
            focus_term=focus,
            path_term=path if isinstance(path, URIRef) else None,
            value_term=value,
        )


def _messages(messages: Iterable[Node], templates: list[tuple[re.Pattern[str], str]]) -> tuple[str, str]:
    """The English and Dutch message; untagged ones (filled-in templates) matched to a language."""
    by_lang: dict[str, str] = {}
    untagged: list[str] = []
    for m in messages:
        if isinstance(m, Literal) and m.language:
            by_lang.setdefault(m.language.lower(), str(m))
        else:
            untagged.append(str(m))
    for text in sorted(untagged):
        for regex, lang in templates:
            if lang not in by_lang and regex.match(text):
                by_lang[lang] = text
                break
    fallback = by_lang.get("en") or by_lang.get("nl") or (untagged[0] if untagged else "")
    return by_lang.get("en", fallback), by_lang.get("nl", fallback)


def _build_report(results: list[ValidationResult], max_per_shape: int, version: str | None) -> ValidationReport:
    rank = {s: i for i, s in enumerate(SEVERITIES)}
    results = sorted(
        set(results),
        key=lambda r: (
            rank.get(r.severity, len(rank)),
            r.source_shape or "",
            r.focus_node,
            r.result_path or "",
            r.value or "",
            r.message_en,
        ),
    )
    counts = Counter(r.severity for r in results)
    kept: list[ValidationResult] = []
    per_shape: Counter[str] = Counter()
    omitted: Counter[str] = Counter()
    for r in results:
        key = r.source_shape or ""
        per_shape[key] += 1
        if per_shape[key] <= max_per_shape:
            kept.append(r)
        else:
            omitted[key] += 1
    return ValidationReport(
        conforms=counts.get("Violation", 0) == 0,
        results=kept,
        counts={s: counts.get(s, 0) for s in SEVERITIES},
        omitted=dict(omitted),
        shapes_version=version,
    )
