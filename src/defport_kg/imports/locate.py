"""Where a validation result's focus node came from: ``file:line`` for RDF, the cell for templates.

Parsers do not report positions of triples, so for RDF text the position is found afterwards by
searching the text for the node as it is written there (``<iri>``, or ``prefix:local`` under the
file's own prefixes), preferring an occurrence at the start of a line (where Turtle puts a
subject). Only the nodes of reported results are searched, in one pass per file, so a clean batch
costs nothing and a failing one little. Template rows remember their cells as they are mapped.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Protocol

import pyoxigraph as ox

from defport_kg.rdfio import JsonLdNames, jsonld_names

if TYPE_CHECKING:
    from defport_kg.imports.sources import ImportSource
    from defport_kg.templates.mapping import TemplateGraph

# Turtle's PN_LOCAL_ESC characters: a prefixed name may write them with a backslash.
_LOCAL_ESCAPES = "_~.-!$&'()*+,;=/?#@%"
_PREFIX_DECL = re.compile(rb"(?:@prefix|PREFIX)\s+([A-Za-z][\w.\-]*)?:\s*<([^>]*)>", re.IGNORECASE)
_NAME_CHAR = r"[\w\-:%\\]"
# The end of a Turtle statement: ' .' at the end of a line (a '.' inside a name or number is not).
_STATEMENT_END = re.compile(rb"\s\.[ \t]*(?:#[^\n]*)?(?:\n|$)|\.[ \t]*\n")
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_LINE_SUBJECT = re.compile(rb"(?m)^[ \t]*(<[^>\s]*>)")
_LINE_TOKEN = re.compile(rb"(?m)^[ \t]*(<[^>\s]*>|[A-Za-z][\w.\-]*:[^\s;,]*|:[^\s;,]*)")
_NAME_BEFORE = re.compile(rb"[\w\-:\\]")
_NAME_AFTER = re.compile(rb"[\w\-:%\\]|\.[\w\-:%]")
# JSON-LD: a node is defined where its IRI is the value of "@id"; a key is a string followed by ':'.
_ID_KEY = re.compile(rb'"@id"\s*:\s*$')
_JSON_OBJECT_SCAN = 1 << 20  # bytes of one node object searched for a statement's key


def _escape_all(local: str) -> str:
    return "".join("\\" + ch if ch in _LOCAL_ESCAPES and i > 0 else ch for i, ch in enumerate(local))


class Locator(Protocol):
    def locate(self, nodes: set[str]) -> dict[str, str]:
        """Positions of those ``nodes`` (IRIs) that this input holds."""


class RdfLocator:
    """Finds the line where an IRI first appears in an RDF text."""

    def __init__(self, name: str, data: bytes | None, fmt: ox.RdfFormat) -> None:
        self.name = name
        self.data = data
        self.format = fmt
        self._known: dict[str, int | None] = {}  # positions found (None: not in this text)
        self._line_ends: list[int] | None = None
        self._prefix_list: list[tuple[bytes, str]] | None = None
        self._json_names: JsonLdNames | None = None

    def _prefixes(self) -> list[tuple[bytes, str]]:
        """The text's prefix declarations (read once: the whole text is scanned for them)."""
        if self._prefix_list is None:
            turtle = self.data is not None and self.format in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG)
            self._prefix_list = [
                ((m.group(1) or b""), m.group(2).decode("utf-8", "replace"))
                for m in (_PREFIX_DECL.finditer(self.data) if turtle and self.data is not None else ())
            ]
        return self._prefix_list

    def _patterns(self, iri: str, prefixes: list[tuple[bytes, str]]) -> list[bytes]:
        """Regexes for the ways ``iri`` may be written in this text."""
        if self.format in (ox.RdfFormat.JSON_LD, ox.RdfFormat.RDF_XML):
            return [re.escape(b'"' + iri.encode() + b'"')]
        patterns = [re.escape(b"<" + iri.encode() + b">")]
        for prefix, namespace in prefixes:
            if namespace and iri.startswith(namespace) and len(iri) > len(namespace):
                # Each reserved character of the local part may or may not be escaped with '\'.
                local = b"".join(
                    (rb"\\?" if ch in _LOCAL_ESCAPES else b"") + re.escape(ch.encode()) for ch in iri[len(namespace) :]
                )
                patterns.append(re.escape(prefix + b":") + local)
        return patterns

    def _iri_of(self, text: bytes, prefixes: dict[bytes, str]) -> str | None:
        if text.startswith((b"<", b'"')):
            return text[1:-1].decode("utf-8", "replace")
        if text.endswith(b"."):  # the end of a statement written without a space: 'x:a x:p x:b.'
            text = text[:-1]
        prefix, _, local = text.partition(b":")
        namespace = prefixes.get(prefix)
        return None if namespace is None else namespace + local.replace(b"\\", b"").decode("utf-8", "replace")

    def _forms(self, iri: str, prefixes: list[tuple[bytes, str]]) -> list[bytes]:
        """The usual exact spellings of ``iri`` in this text (searched with ``bytes.find``: fast)."""
        if self.format in (ox.RdfFormat.JSON_LD, ox.RdfFormat.RDF_XML):
            return [b'"' + iri.encode() + b'"']
        forms = [b"<" + iri.encode() + b">"]
        for prefix, namespace in prefixes:
            if namespace and iri.startswith(namespace) and len(iri) > len(namespace):
                local = iri[len(namespace) :]
                for text in (local, local.replace("/", "\\/"), _escape_all(local)):
                    form = prefix + b":" + text.encode()
                    if form not in forms:
                        forms.append(form)
        return forms

    def _bounded(self, position: int, length: int) -> bool:
        """A prefixed name is a whole token: no name character just before or after it."""
        assert self.data is not None
        before = self.data[position - 1 : position] if position else b" "
        after = self.data[position + length : position + length + 2]
        if before == b"." or _NAME_BEFORE.match(before):
            return False
        return not _NAME_AFTER.match(after)

    def _first(self, iri: str, prefixes: list[tuple[bytes, str]]) -> int | None:
        """First occurrence of one node, preferring one at the start of a line (a Turtle subject)."""
        assert self.data is not None
        if self.format == ox.RdfFormat.JSON_LD:
            return self._first_json(iri)
        data = self.data
        first: int | None = None
        for form in self._forms(iri, prefixes):
            position, seen = data.find(form), 0
            while position >= 0 and seen < 100:
                seen += 1
                if form.startswith((b"<", b'"')) or self._bounded(position, len(form)):
                    if first is None or position < first:
                        first = position
                    line_start = data.rfind(b"\n", 0, position) + 1
                    if not data[line_start:position].strip():
                        return position
                position = data.find(form, position + 1)
        if first is None and prefixes:
            first = self._search(iri, prefixes)  # a spelling with only some reserved characters escaped
        return first

    def _search(self, iri: str, prefixes: list[tuple[bytes, str]]) -> int | None:
        assert self.data is not None
        alternatives = b"|".join(self._patterns(iri, prefixes))
        pattern = re.compile(rb"(?<![\w\-:.\\])(?:" + alternatives + rb")(?!" + _NAME_CHAR.encode() + rb")")
        match = pattern.search(self.data)
        return match.start() if match else None

    def _positions(self, nodes: set[str]) -> dict[str, int]:
        """Byte offset of each node's first occurrence, preferring one at the start of a line."""
        if self.data is None or not nodes:
            return {}
        found: dict[str, int] = {}
        prefixes = self._prefixes()
        if self.format in (ox.RdfFormat.N_TRIPLES, ox.RdfFormat.N_QUADS):
            # Every line starts with its subject: one pass over the line starts finds the subjects.
            forms = {b"<" + iri.encode() + b">": iri for iri in nodes}
            for match in _LINE_SUBJECT.finditer(self.data):
                iri = forms.get(match.group(1))
                if iri is not None and iri not in found:
                    found[iri] = match.start(1)
                    if len(found) == len(nodes):
                        break
        elif self.format in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG):
            # Turtle puts a subject at the start of a line: one pass over the first token of each
            # line finds most nodes at once; the others are searched one by one below.
            namespaces = dict(prefixes)
            for match in _LINE_TOKEN.finditer(self.data):
                iri = self._iri_of(match.group(1), namespaces)
                if iri is not None and iri in nodes and iri not in found:
                    found[iri] = match.start(1)
                    if len(found) == len(nodes):
                        break
        for iri in nodes - found.keys():
            position = self._first(iri, prefixes)
            if position is not None:
                found[iri] = position
        return found

    def _where(self, position: int) -> str:
        assert self.data is not None
        if self._line_ends is None:
            self._line_ends = [m.start() for m in re.finditer(b"\n", self.data)]
        return f"{self.name}:{bisect.bisect_left(self._line_ends, position) + 1}"

    def _cached(self, nodes: set[str]) -> dict[str, int]:
        """Positions of ``nodes``, searching the text once for all those not looked up before."""
        missing = {n for n in nodes if n not in self._known}
        if missing:
            found = self._positions(missing)
            self._known.update({n: found.get(n) for n in missing})
        return {n: p for n in nodes if (p := self._known.get(n)) is not None}

    def locate(self, nodes: set[str]) -> dict[str, str]:
        return {iri: self._where(position) for iri, position in self._cached(nodes).items()}

    def holds(self, node: str) -> bool:
        """Whether ``node`` was found in this text by an earlier ``locate``."""
        return self._known.get(node) is not None

    def locate_statement(self, subject: str, predicate: str | None) -> str | None:
        """The line of the subject's statement with this predicate (Turtle: within the subject's
        statement block; N-Triples: the first line with both)."""
        if self.data is None or predicate is None or self.format == ox.RdfFormat.RDF_XML:
            return None
        if self.format == ox.RdfFormat.JSON_LD:
            return self._json_statement(subject, predicate)
        prefixes = self._prefixes()
        predicate_patterns = self._patterns(predicate, prefixes)
        if predicate == RDF_TYPE and self.format in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG):
            predicate_patterns.append(rb"a(?=\s)")
        either = b"(?:" + b"|".join(predicate_patterns) + b")"
        start = self._cached({subject}).get(subject)
        if start is None:
            return None
        if self.format in (ox.RdfFormat.N_TRIPLES, ox.RdfFormat.N_QUADS):
            # One statement per line: look through the run of lines that start with the subject.
            token = b"<" + subject.encode() + b">"
            wanted = b"<" + predicate.encode() + b">"
            position = self.data.rfind(b"\n", 0, start) + 1
            while position < len(self.data):
                end = self.data.find(b"\n", position)
                end = len(self.data) if end < 0 else end
                line = self.data[position:end].lstrip()
                if not line.startswith(token):
                    break
                if line[len(token) :].lstrip().startswith(wanted):
                    return self._where(position)
                position = end + 1
            return None
        end_match = _STATEMENT_END.search(self.data, start)
        end = end_match.end() if end_match else len(self.data)
        match = re.compile(rb"(?<![\w\-:.\\])" + either + rb"(?!" + _NAME_CHAR.encode() + rb")").search(
            self.data, start + 1, end
        )
        return self._where(match.start()) if match else None

    # -- JSON-LD ---------------------------------------------------------------------------

    def _names(self) -> JsonLdNames:
        """The document's context terms, @base and @vocab (read once)."""
        if self._json_names is None:
            self._json_names = jsonld_names(self.data) if self.data is not None else JsonLdNames()
        return self._json_names

    def _json_node_forms(self, iri: str) -> list[tuple[bytes, bool]]:
        """How a node may be written: its IRI, a compact IRI under a context term, or (only as the
        value of "@id") an IRI relative to @base. With each form: whether it counts only after "@id"."""
        names = self._names()
        forms = [(form, False) for form in _json_strings(iri)]
        for term, namespace in names.terms:
            if iri.startswith(namespace) and len(iri) > len(namespace):
                forms += [(form, False) for form in _json_strings(f"{term}:{iri[len(namespace) :]}")]
        if names.base and iri.startswith(names.base) and len(iri) > len(names.base):
            forms += [(form, True) for form in _json_strings(iri[len(names.base) :])]
        return forms

    def _first_json(self, iri: str) -> int | None:
        """Where the node is defined: preferably as the "@id" of an object with more keys (not a
        reference ``{"@id": ...}``), else as any "@id", else its first mention."""
        assert self.data is not None
        data = self.data
        best: tuple[int, int] | None = None
        for form, only_as_id in self._json_node_forms(iri):
            position, seen = data.find(form), 0
            while position >= 0 and seen < 100:
                seen += 1
                as_id = _ID_KEY.search(data, max(0, position - 64), position) is not None
                if as_id or not only_as_id:
                    after = data[position + len(form) : position + len(form) + 64].lstrip()[:1]
                    rank = (0 if after != b"}" else 1) if as_id else 2
                    if best is None or (rank, position) < best:
                        best = (rank, position)
                    if rank == 0:
                        break
                position = data.find(form, position + 1)
        return best[1] if best else None

    def _json_key_forms(self, predicate: str) -> set[bytes]:
        """How a property may be written as a key: its IRI, a compact IRI, a term, relative to @vocab."""
        if predicate == RDF_TYPE:
            return {b'"@type"', *_json_strings(predicate)}
        names = self._names()
        forms = set(_json_strings(predicate))
        for term, namespace in names.terms:
            if predicate == namespace:
                forms.update(_json_strings(term))
            elif predicate.startswith(namespace):
                forms.update(_json_strings(f"{term}:{predicate[len(namespace) :]}"))
        if names.vocab and predicate.startswith(names.vocab) and len(predicate) > len(names.vocab):
            forms.update(_json_strings(predicate[len(names.vocab) :]))
        return forms

    def _json_statement(self, subject: str, predicate: str) -> str | None:
        """The line of the key for ``predicate`` in the object that defines ``subject``."""
        assert self.data is not None
        start = self._cached({subject}).get(subject)
        if start is None:
            return None
        opening = self.data.rfind(b"{", 0, start)
        if opening < 0:
            return None
        keys = _json_keys(self.data, opening)
        found = [keys[form] for form in self._json_key_forms(predicate) if form in keys]
        return self._where(min(found)) if found else None


def _json_strings(text: str) -> list[bytes]:
    """The ways a JSON text may spell the string ``text``: as is, with '/' escaped, ASCII-escaped."""
    forms = [b'"' + text.encode() + b'"']
    for variant in (text.replace("/", "\\/"), json.dumps(text)[1:-1]):
        form = b'"' + variant.encode() + b'"'
        if form not in forms:
            forms.append(form)
    return forms


def _json_keys(data: bytes, opening: int) -> dict[bytes, int]:
    """The keys (as written, with their quotes) of the JSON object that opens at ``opening``, with
    their byte offsets: a string at depth 1 followed by ':' (a string-aware scan, bounded)."""
    keys: dict[bytes, int] = {}
    depth, i, end = 0, opening, min(len(data), opening + _JSON_OBJECT_SCAN)
    while i < end:
        char = data[i]
        if char == 0x22:  # '"': skip the string, escapes included
            j = i + 1
            while j < end and data[j] != 0x22:
                j += 2 if data[j] == 0x5C else 1
            if depth == 1:
                k = j + 1
                while k < end and data[k] in b" \t\r\n":
                    k += 1
                if k < end and data[k] == 0x3A:  # ':'
                    keys.setdefault(data[i : j + 1], i)
            i = j + 1
            continue
        if char in b"{[":
            depth += 1
        elif char in b"}]":
            depth -= 1
            if depth == 0:
                break
        i += 1
    return keys


class TemplateLocator:
    """Knows the row of every subject and the cell of every statement a template produced."""

    def __init__(self, graph: TemplateGraph) -> None:
        self.graph = graph

    def locate(self, nodes: set[str]) -> dict[str, str]:
        return {node: str(self.graph.rows[node]) for node in nodes if node in self.graph.rows}

    def locate_statement(self, subject: str, predicate: str | None) -> str | None:
        if predicate is not None and (subject, predicate) in self.graph.cells:
            return str(self.graph.cells[(subject, predicate)])
        ref = self.graph.rows.get(subject)
        return str(ref) if ref else None


def locate_results(report: Any, sources: Sequence[ImportSource]) -> Any:
    """The report with each result's ``location`` filled in where the inputs tell it: the cell of a
    template, the line of the statement (or else of the node) in an RDF text."""
    results = list(getattr(report, "results", []))
    if not results or not sources:
        return report
    wanted = {r.focus_node for r in results if not r.focus_node.startswith("_:")}
    # A blank node is located through the first statement that points at it.
    parents = _blank_parents({r.focus_node[2:] for r in results if r.focus_node.startswith("_:")}, sources)
    wanted |= set(parents.values())
    holder = _holders(wanted, sources)
    # A node the batch only points at (a stored item whose shares add up wrong) is located
    # through the first statement of the batch that names it.
    referrers = _referrers(wanted - holder.keys(), sources)
    holder.update(_holders(set(referrers.values()) - holder.keys(), sources))
    located = []
    for result in results:
        focus = result.focus_node
        if focus.startswith("_:"):
            focus = parents.get(focus[2:], focus)
        where = _cell(result, sources)
        if where is None:
            node = focus if focus in holder else referrers.get(focus, "")
            source = holder.get(node)
            if source is not None and source.locator is not None:
                where = source.locator.locate({node}).get(node)
        if where is None and len(sources) == 1:
            where = sources[0].name
        located.append(replace(result, location=where) if where else result)
    report.results = located
    return report


def _holders(nodes: set[str], sources: Sequence[ImportSource]) -> dict[str, ImportSource]:
    """Which input each node is first found in (one search of each input for all the nodes)."""
    holder: dict[str, ImportSource] = {}
    for source in sources:
        rest = nodes - holder.keys()
        if source.locator is None or not rest:
            continue
        for node in source.locator.locate(rest):
            holder.setdefault(node, source)
    return holder


def _cell(result: Any, sources: Sequence[ImportSource]) -> str | None:
    """The statement the result is about: a template's cell, or the line in an RDF text (searched
    only in an input that holds the focus node, whose position is known by then)."""
    for source in sources:
        locator = source.locator
        searchable = isinstance(locator, RdfLocator) and locator.holds(result.focus_node)
        if isinstance(locator, TemplateLocator | RdfLocator) and (searchable or isinstance(locator, TemplateLocator)):
            where = locator.locate_statement(result.focus_node, result.result_path)
            if where:
                return where
    return None


def _blank_parents(labels: set[str], sources: Iterable[ImportSource]) -> dict[str, str]:
    parents: dict[str, str] = {}
    if not labels:
        return parents
    for source in sources:
        for quad in source.quads:
            obj = quad.object
            named = isinstance(quad.subject, ox.NamedNode)
            if named and isinstance(obj, ox.BlankNode) and obj.value in labels and obj.value not in parents:
                parents[obj.value] = quad.subject.value
    return parents


def _referrers(nodes: set[str], sources: Iterable[ImportSource]) -> dict[str, str]:
    """For nodes the batch only mentions as objects: the subject of the first statement naming each."""
    referrers: dict[str, str] = {}
    if not nodes:
        return referrers
    for source in sources:
        for quad in source.quads:
            obj = quad.object
            named = isinstance(quad.subject, ox.NamedNode)
            if named and isinstance(obj, ox.NamedNode) and obj.value in nodes and obj.value not in referrers:
                referrers[obj.value] = quad.subject.value
    return referrers
