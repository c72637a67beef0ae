"""The named-query registry: ``queries/*.rq`` files with a grlc-style ``#+`` header.

A named query is one SPARQL file whose leading comment lines starting with ``#+`` hold a small
YAML-like header (grlc's convention, so the file stays valid SPARQL)::

    #+ summary: Organisations in a country
    #+ description: Every organisation whose dp:country is the given country.
    #+ tags:
    #+   - organisations
    #+ params:
    #+   - name: country
    #+     type: iri
    #+     default: dpid:country/NL
    #+     description: The country, e.g. dpid:country/NL.

A parameter ``name`` is the SPARQL variable ``?_name``. Values are converted to RDF terms by the
parameter's type and bound with pyoxigraph ``substitutions`` -- never pasted into the query text --
so no value can change what the query does. pyoxigraph substitutes only variables of the SELECT
projection, so every parameter variable is projected (it shows as a ``_name`` column). A parameter
left without a value and without a default stays unbound: the query then matches any value.
(Test an optional parameter with ``FILTER EXISTS`` or ``COALESCE``, never ``BOUND(?_name)``:
pyoxigraph 0.5 does not substitute inside ``BOUND``.)
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from defport_kg.errors import NotFoundError, QueryError, UsageError
from defport_kg.namespaces import XSD, expand
from defport_kg.resources import queries_dir

__all__ = [
    "PARAM_TYPES",
    "NamedQuery",
    "QueryParam",
    "get_query",
    "list_queries",
    "parse_header",
    "parse_query_file",
    "run_named_query",
]

PARAM_TYPES: tuple[str, ...] = ("iri", "string", "integer", "decimal", "date")

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
_PARAM_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
_INTEGER = re.compile(r"^[+-]?[0-9]+$")
_DECIMAL = re.compile(r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$")
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_ABSOLUTE_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+$")


@dataclass(frozen=True)
class QueryParam:
    """One parameter of a named query: the variable ``?_{name}`` of the given type."""

    name: str
    type: str = "string"
    default: str | None = None
    description: str = ""
    required: bool = False

    @property
    def variable(self) -> str:
        return "_" + self.name

    def to_term(self, value: Any, query: str = "") -> ox.NamedNode | ox.Literal:
        """The value as an RDF term of this parameter's type; UsageError names a bad value."""
        where = f"parameter {self.name!r}" + (f" of query {query!r}" if query else "")
        text = str(value).strip()
        if self.type == "iri":
            iri = expand(text)
            if not _ABSOLUTE_IRI.match(iri):
                raise UsageError(
                    f"{where}: {text!r} is not an IRI (give a full IRI or a prefixed name such as dpid:country/NL)"
                )
            try:
                return ox.NamedNode(iri)
            except ValueError as error:
                raise UsageError(f"{where}: {text!r} is not an IRI: {error}") from None
        if self.type == "integer":
            if not _INTEGER.match(text):
                raise UsageError(f"{where}: {text!r} is not an integer")
            return ox.Literal(str(int(text)), datatype=ox.NamedNode(XSD + "integer"))
        if self.type == "decimal":
            if not _DECIMAL.match(text):
                raise UsageError(f"{where}: {text!r} is not a decimal number")
            try:
                number = Decimal(text)
            except InvalidOperation:
                raise UsageError(f"{where}: {text!r} is not a decimal number") from None
            lexical = format(number, "f")
            if "." not in lexical:
                lexical += ".0"
            return ox.Literal(lexical, datatype=ox.NamedNode(XSD + "decimal"))
        if self.type == "date":
            try:
                if not _DATE.match(text):
                    raise ValueError
                day = dt.date.fromisoformat(text)
            except ValueError:
                raise UsageError(f"{where}: {text!r} is not a date (YYYY-MM-DD)") from None
            return ox.Literal(day.isoformat(), datatype=ox.NamedNode(XSD + "date"))
        # A string keeps the value exactly as given (quotes, braces and all): it is a literal.
        return ox.Literal(str(value))

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "type": self.type,
            "default": self.default,
            "description": self.description,
            "required": self.required,
        }


@dataclass(frozen=True)
class NamedQuery:
    """A query file of ``queries/`` with its header."""

    name: str
    summary: str
    description: str
    tags: tuple[str, ...]
    params: tuple[QueryParam, ...]
    text: str
    path: Path | None = None
    header: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def param(self, name: str) -> QueryParam:
        for param in self.params:
            if param.name == name:
                return param
        known = ", ".join(p.name for p in self.params) or "none"
        raise UsageError(f"query {self.name!r} has no parameter {name!r} (its parameters: {known})")

    def bindings(self, values: dict[str, Any] | None = None) -> dict[ox.Variable, ox.NamedNode | ox.Literal]:
        """The substitutions for ``values`` (by parameter name), defaults filling the rest.

        Empty values count as not given. A parameter without value and default stays unbound,
        unless it is required (UsageError).
        """
        given = {k.lstrip("?$").lstrip("_"): v for k, v in (values or {}).items() if v is not None and str(v) != ""}
        for name in given:
            self.param(name)  # unknown names are an error, not silently ignored
        result: dict[ox.Variable, ox.NamedNode | ox.Literal] = {}
        for param in self.params:
            if param.name in given:
                result[ox.Variable(param.variable)] = param.to_term(given[param.name], self.name)
            elif param.default is not None:
                result[ox.Variable(param.variable)] = param.to_term(param.default, self.name)
            elif param.required:
                raise UsageError(f"query {self.name!r} needs a value for parameter {param.name!r}")
        return result

    def as_dict(self) -> dict[str, Any]:
        """The header as plain data (for the API and ``query --list``)."""
        return {
            "name": self.name,
            "summary": self.summary,
            "description": self.description,
            "tags": list(self.tags),
            "params": [p.as_dict() for p in self.params],
        }


# --------------------------------------------------------------------------------------------
# Header parsing (a YAML subset: scalars, lists of scalars, lists of flat mappings)
# --------------------------------------------------------------------------------------------


def _scalar(text: str) -> Any:
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        return text[1:-1]
    if text in ("", "~", "null", "None"):
        return None
    if text.lower() in ("true", "yes"):
        return True
    if text.lower() in ("false", "no"):
        return False
    if text.startswith("[") and text.endswith("]"):
        return [_scalar(part) for part in text[1:-1].split(",") if part.strip()]
    return text


def header_lines(text: str) -> list[str]:
    """The ``#+`` lines at the top of a query, without their ``#+`` marker."""
    lines = []
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("#+"):
            lines.append(stripped[2:].removeprefix(" ").rstrip())
        elif stripped == "" or stripped.startswith("#"):
            continue
        else:
            break
    return lines


def parse_header(text: str, source: str = "query") -> dict[str, Any]:
    """The header of a query as a dict. QueryError names the line that cannot be read."""
    header: dict[str, Any] = {}
    key: str | None = None
    current: dict[str, Any] | None = None  # the mapping being filled inside a list
    for number, line in enumerate(header_lines(text), start=1):
        if not line.strip():
            continue
        indent = len(line) - len(line.lstrip(" "))
        body = line.strip()
        if indent == 0:
            name, sep, rest = body.partition(":")
            if not sep or not name.strip():
                raise QueryError(f"{source}: header line {number} is not 'key: value': {body!r}")
            key = name.strip()
            value = _scalar(rest)
            header[key] = value
            current = None
            continue
        if key is None:
            raise QueryError(f"{source}: header line {number} is indented but belongs to no key")
        if body.startswith("- ") or body == "-":
            item = body[1:].strip()
            if not isinstance(header.get(key), list):
                header[key] = []
            name, sep, rest = item.partition(":")
            if sep and _PARAM_NAME.match(name.strip()) and not item.startswith(("http:", "https:")):
                current = {name.strip(): _scalar(rest)}
                header[key].append(current)
            else:
                current = None
                header[key].append(_scalar(item))
            continue
        name, sep, rest = body.partition(":")
        if current is not None and sep and _PARAM_NAME.match(name.strip()):
            current[name.strip()] = _scalar(rest)
        elif isinstance(header.get(key), str):
            header[key] = f"{header[key]} {body}"  # a long value continued on the next line
        elif header.get(key) is None:
            header[key] = body
        else:
            raise QueryError(f"{source}: cannot read header line {number}: {body!r}")
    return header


def _params(header: dict[str, Any], source: str) -> tuple[QueryParam, ...]:
    raw = header.get("params") or []
    if not isinstance(raw, list):
        raise QueryError(f"{source}: 'params' must be a list")
    params = []
    for entry in raw:
        if not isinstance(entry, dict) or not entry.get("name"):
            raise QueryError(f"{source}: every parameter needs a name")
        name = str(entry["name"])
        kind = str(entry.get("type") or "string")
        if not _PARAM_NAME.match(name):
            raise QueryError(f"{source}: parameter name {name!r} is not a SPARQL variable name")
        if kind not in PARAM_TYPES:
            raise QueryError(f"{source}: parameter {name!r} has type {kind!r}; use one of {', '.join(PARAM_TYPES)}")
        default = entry.get("default")
        params.append(
            QueryParam(
                name=name,
                type=kind,
                default=None if default is None else str(default),
                description=str(entry.get("description") or ""),
                required=bool(entry.get("required")),
            )
        )
    names = [p.name for p in params]
    if len(names) != len(set(names)):
        raise QueryError(f"{source}: a parameter is declared twice")
    return tuple(params)


def parse_query_file(text: str, name: str, path: Path | None = None) -> NamedQuery:
    """A NamedQuery from the text of a ``.rq`` file."""
    source = str(path) if path else name
    header = parse_header(text, source)
    tags = header.get("tags") or []
    if isinstance(tags, str):
        tags = [tags]
    query = NamedQuery(
        name=name,
        summary=str(header.get("summary") or header.get("title") or name),
        description=str(header.get("description") or ""),
        tags=tuple(str(t) for t in tags),
        params=_params(header, source),
        text=text,
        path=path,
        header=header,
    )
    for param in query.params:
        if param.default is not None:
            try:
                param.to_term(param.default, name)
            except UsageError as error:  # a bad default is the file's fault, not the caller's
                raise QueryError(f"{source}: bad default: {error}") from None
    return query


# --------------------------------------------------------------------------------------------
# The registry
# --------------------------------------------------------------------------------------------


def _directory(directory: Path | None) -> Path:
    return directory if directory is not None else queries_dir()


def list_queries(directory: Path | None = None) -> list[NamedQuery]:
    """Every named query (``queries/*.rq``, not the quality checks in ``queries/qc/``), by name."""
    folder = _directory(directory)
    return [parse_query_file(path.read_text(encoding="utf-8"), path.stem, path) for path in sorted(folder.glob("*.rq"))]


def get_query(name: str, directory: Path | None = None) -> NamedQuery:
    """The named query ``name``; UsageError for a malformed name, NotFoundError for an unknown one."""
    if not name or "/" in name or "\\" in name or ".." in name or not _NAME.match(name):
        raise UsageError(f"{name!r} is not a query name (letters, digits, '-' and '_' only)")
    path = _directory(directory) / f"{name}.rq"
    if not path.is_file():
        raise NotFoundError(f"unknown named query {name!r}: `defport-kg query --list` shows the named queries")
    return parse_query_file(path.read_text(encoding="utf-8"), name, path)


def run_named_query(store: Any, name: str, values: dict[str, Any] | None = None, directory: Path | None = None) -> Any:
    """Run a named query over the store's live data with its parameters bound (not pasted).

    ``store`` is a ``KnowledgeStore`` (or anything with pyoxigraph's ``query(text, substitutions=)``);
    the result is what its ``query`` returns (pyoxigraph solutions for a SELECT).
    """
    query = get_query(name, directory)
    return store.query(query.text, substitutions=query.bindings(values))
