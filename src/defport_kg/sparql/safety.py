"""Checking a query before it runs: what it is, which graphs it names, which services it would call.

pyoxigraph executes ``SERVICE`` itself (it sends HTTP requests from the server) and has no switch
to turn that off, so a query must be understood before it is handed over. The check uses a real
SPARQL parser (rdflib's), never a regular expression over the text: a ``SERVICE`` hidden by a
comment, a string, an escape or an odd spacing is seen as the parser sees it. A query the parser
cannot read is refused, not passed on. As a second, independent guard a tokenizer counts the
``SERVICE`` keywords of the text; if it sees more than the parser found, the query is refused too.

Remote ``FROM``: pyoxigraph never fetches a ``FROM`` graph, but a ``FROM`` naming a graph outside the
live data must not reach the hidden graphs (staging, keys, audit) either; see ``execution``.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from pyparsing import ParseBaseException, ParserElement
from rdflib.plugins.sparql.parser import expandUnicodeEscapes, parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import URIRef, Variable

from defport_kg.namespaces import PREFIXES
from defport_kg.sparql import flat_grammar  # noqa: F401  (rdflib's parser without per-pattern recursion)

__all__ = [
    "QueryPlan",
    "QueryRefused",
    "QuerySyntaxError",
    "ServiceCall",
    "UpdateRefused",
    "allowed_by",
    "analyse",
    "check_services",
    "is_absolute_iri",
    "screen",
]

_FORMS = {"SelectQuery": "SELECT", "AskQuery": "ASK", "ConstructQuery": "CONSTRUCT", "DescribeQuery": "DESCRIBE"}
_ABSOLUTE = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")
_PLX_ESCAPE = re.compile(r"\\([_~.\-!$&'()*+,;=/?#@%])")
_CACHEABLE_LENGTH = 32 * 1024
_CACHE_SIZE = 512


class QuerySyntaxError(ValueError):
    """The text is not a SPARQL query (the parser's message says where)."""


class UpdateRefused(ValueError):
    """The text is a SPARQL Update: this endpoint only answers queries."""


class QueryRefused(ValueError):
    """The query parses but asks for something this endpoint will not do (e.g. an unlisted SERVICE)."""


@dataclass(frozen=True)
class ServiceCall:
    """One ``SERVICE`` in the query: its target IRI (None when it is a variable) and SILENT."""

    target: str | None
    silent: bool
    written: str


@dataclass(frozen=True)
class QueryPlan:
    """What the parser learnt about a query: everything the endpoint decides on before running it."""

    form: str
    from_graphs: tuple[str, ...]
    from_named_graphs: tuple[str, ...]
    services: tuple[ServiceCall, ...]
    limit: int | None = None  # the query's own top-level LIMIT

    @property
    def has_dataset(self) -> bool:
        return bool(self.from_graphs or self.from_named_graphs)

    @property
    def returns_graph(self) -> bool:
        return self.form in ("CONSTRUCT", "DESCRIBE")


# -- the parser -----------------------------------------------------------------------------

# pyparsing keeps global state (packrat cache); the thread-based engine may parse from several threads.
_PARSE_LOCK = threading.Lock()
_CACHE_LOCK = threading.Lock()
_cache: OrderedDict[str, QueryPlan] = OrderedDict()
_quick_cache: OrderedDict[str, QueryPlan] = OrderedDict()


def analyse(text: str) -> QueryPlan:
    """Parse ``text`` and describe it; raises QuerySyntaxError, UpdateRefused or QueryRefused.

    Plans of short texts are cached: tools send the same queries again and again, and the
    pure-Python parser costs milliseconds.
    """
    with _CACHE_LOCK:
        cached = _cache.get(text)
    if cached is not None:
        return cached
    plan = _analyse(text)
    _keep(_cache, text, plan)
    return plan


def _keep(cache: OrderedDict[str, QueryPlan], text: str, plan: QueryPlan) -> None:
    """File the plan of a short text, dropping the oldest beyond ``_CACHE_SIZE``."""
    if len(text) > _CACHEABLE_LENGTH:
        return
    with _CACHE_LOCK:
        cache[text] = plan
        while len(cache) > _CACHE_SIZE:
            cache.popitem(last=False)


def screen(text: str) -> QueryPlan:
    """The plan the endpoint needs before running ``text``, in microseconds where that is safe.

    rdflib's parser costs about 2 ms for a short query, twenty times what pyoxigraph needs to answer
    a cheap one; every new query text would pay it. But the parse only matters for what it finds:
    SERVICE calls and FROM clauses. A text that holds neither word anywhere (in any case, in strings,
    IRIs and comments too, and with no ``\\u`` escapes that could spell one) cannot call a service or
    name a dataset, whatever its structure; its form and top-level LIMIT are read off its tokens,
    and the engine's own parser refuses it if it is malformed, before anything runs. Every other
    text gets the full ``analyse``.
    """
    with _CACHE_LOCK:
        cached = _quick_cache.get(text)
    if cached is not None:
        return cached
    plan = _quick_plan(text)
    if plan is None:
        return analyse(text)
    _keep(_quick_cache, text, plan)  # apart from analyse's: its plans say the text parses, these do not
    return plan


_QUICK_REFUSED = ("service", "from", "\\u")
# The engine's parser recurses per nested bracket and overflows its stack (the process dies) at
# about 2,000 braces; rdflib's refuses from about 30. Counting every opening bracket in the text
# (strings and IRIs too) bounds the nesting whatever the tokens: more goes to rdflib, as before.
_QUICK_MAX_BRACKETS = 128
_PROLOGUE = {"prefix": ("pname", "iri"), "base": ("iri",)}
_FORM_WORDS = {"select": "SELECT", "ask": "ASK", "construct": "CONSTRUCT", "describe": "DESCRIBE"}


def _quick_plan(text: str) -> QueryPlan | None:
    """The plan read off the tokens, or None when the text needs the full parser (see ``screen``)."""
    if len(text) > _CACHEABLE_LENGTH:
        return None
    lowered = text.lower()
    if any(word in lowered for word in _QUICK_REFUSED):
        return None
    if sum(text.count(bracket) for bracket in "{([") > _QUICK_MAX_BRACKETS:
        return None
    everything = [(m.lastgroup, m.group()) for m in _TOKEN.finditer(text) if m.lastgroup != "space"]
    _check_chains(sum(1 for kind, value in everything if kind == "other" and value in _CHAINING))
    tokens = [token for token in everything if token[0] != "comment"]
    position = 0
    while position < len(tokens) and tokens[position][0] == "word" and tokens[position][1].lower() in _PROLOGUE:
        expected = _PROLOGUE[tokens[position][1].lower()]
        declared = tokens[position + 1 : position + 1 + len(expected)]
        if [kind for kind, _ in declared] != list(expected):
            return None
        if expected[0] == "pname" and not declared[0][1].endswith(":"):  # PREFIX ex:a <...> is malformed
            return None
        position += 1 + len(expected)
    if position >= len(tokens) or tokens[position][0] != "word":
        return None
    form = _FORM_WORDS.get(tokens[position][1].lower())
    if form is None:
        return None
    return QueryPlan(form, (), (), (), _top_level_limit(everything))


def _top_level_limit(tokens: list[tuple[str | None, str]]) -> int | None:
    """The integer after a LIMIT outside every brace: only the query's own LIMIT stands there.

    The limit decides whether the result cap is checked (``results.write_result``'s ``fits``), so the
    braces counted must be the engine's. They are unless a token read here as an IRI is read by the
    engine as ``<`` and ``>`` around code (``?a<?b>?c``) hiding a comment or a string: then no limit.
    """
    if any(kind == "comment" or (kind == "iri" and ("#" in value or "'" in value)) for kind, value in tokens):
        return None
    depth, limits = 0, []
    for index, (kind, value) in enumerate(tokens):
        if kind == "other" and value in "{}":
            depth += 1 if value == "{" else -1
        elif depth == 0 and kind == "word" and value.lower() == "limit":
            kind_after, after = tokens[index + 1] if index + 1 < len(tokens) else (None, "")
            whole = kind_after == "number" and after.isascii() and after.isdigit()
            limits.append(int(after) if whole else None)
    return limits[0] if len(limits) == 1 else None


def _analyse(text: str) -> QueryPlan:
    if not text.strip():
        raise QuerySyntaxError("the query is empty")
    _check_chains(count_chaining_tokens(text))  # before rdflib: it takes seconds over such chains
    with _PARSE_LOCK:
        try:
            parsed = parseQuery(text)
        except ParseBaseException as error:
            if _is_update(text):
                raise UpdateRefused("updates are refused: this endpoint answers queries only") from None
            raise QuerySyntaxError(_describe_parse_error(text, error)) from None
        except Exception as error:  # rdflib raises plain exceptions from its parse actions
            raise QuerySyntaxError(f"the query does not parse: {error}") from None
        finally:
            # The packrat cache holds the exceptions of the parse, and through them our callers' frames.
            ParserElement.reset_cache()
    prologue, query = parsed[0], parsed[1]
    form = _FORMS.get(getattr(query, "name", ""), "")
    if not form:
        raise QuerySyntaxError("the query does not parse: not a SELECT, ASK, CONSTRUCT or DESCRIBE query")
    prefixes, base = _prologue(prologue)
    resolve = _Resolver(prefixes, base)
    from_graphs: list[str] = []
    from_named: list[str] = []
    for clause in _get(query, "datasetClause") or []:
        if _get(clause, "default") is not None:
            from_graphs.append(resolve(_get(clause, "default"), "FROM"))
        if _get(clause, "named") is not None:
            from_named.append(resolve(_get(clause, "named"), "FROM NAMED"))
    services = tuple(_services(query, resolve))
    counted = count_service_keywords(text)
    if counted > len(services):
        raise QueryRefused(
            f"the query could not be checked: the text holds {counted} SERVICE keyword(s) but the parser found "
            f"{len(services)}; rewrite the query without SERVICE"
        )
    return QueryPlan(form, tuple(from_graphs), tuple(from_named), services, _limit(query))


def _limit(query: Any) -> int | None:
    clauses = _get(query, "limitoffset")
    value = _get(clauses, "limit") if clauses is not None else None
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def _get(node: Any, key: str) -> Any:
    # CompValue.get(key) answers the key itself when it is missing; read the plain mapping instead.
    return dict.get(node, key) if isinstance(node, dict) else None


def _is_update(text: str) -> bool:
    try:
        update = parseUpdate(text)
    except Exception:
        return False
    return bool(_get(update, "request"))


def _describe_parse_error(text: str, error: ParseBaseException) -> str:
    from defport_kg.sparql.parse_errors import describe  # which reads this module's tokenizer

    return describe(text, error.lineno, error.col, error.msg)


def _prologue(prologue: Any) -> tuple[dict[str, str], str | None]:
    prefixes = dict(PREFIXES)
    base: str | None = None
    for decl in prologue or []:
        name = getattr(decl, "name", "")
        if name == "PrefixDecl":
            prefixes[str(_get(decl, "prefix") or "")] = str(_get(decl, "iri"))
        elif name == "Base":
            base = str(_get(decl, "iri"))
    return prefixes, base


class _Resolver:
    """Full IRIs for the terms that name graphs and services (pyoxigraph resolves them alike)."""

    def __init__(self, prefixes: dict[str, str], base: str | None) -> None:
        self.prefixes = prefixes
        self.base = base

    def __call__(self, term: Any, where: str) -> str:
        if isinstance(term, CompValue) and term.name == "pname":
            prefix = str(_get(term, "prefix") or "")
            if prefix not in self.prefixes:
                raise QuerySyntaxError(f"the query does not parse: the prefix {prefix}: in {where} is not declared")
            local = _PLX_ESCAPE.sub(r"\1", str(_get(term, "localname") or ""))
            iri = self.prefixes[prefix] + local
        elif isinstance(term, URIRef):
            iri = str(term)
        else:
            raise QueryRefused(f"{where} must name an IRI")
        if not is_absolute_iri(iri):
            # Relative references are resolved against BASE by the engine; which absolute IRI that
            # gives is not ours to guess when it decides where requests go: ask for the full IRI.
            raise QueryRefused(f"{where} <{iri}> is a relative IRI: write the full IRI")
        return iri


def _services(node: Any, resolve: _Resolver) -> list[ServiceCall]:
    found: list[ServiceCall] = []
    seen: set[int] = set()
    stack = [node]
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, CompValue):
            if current.name == "ServiceGraphPattern":
                term = _get(current, "term")
                written = str(_get(current, "service_string") or "SERVICE")
                silent = bool(_get(current, "silent"))
                if isinstance(term, Variable):
                    found.append(ServiceCall(None, silent, written))
                else:
                    found.append(ServiceCall(resolve(term, "SERVICE"), silent, written))
            stack.extend(current.values())
        elif isinstance(current, dict):
            stack.extend(current.values())
        elif isinstance(current, list | tuple) or hasattr(current, "asList"):
            stack.extend(list(current))
    return found


# -- the allow-list -------------------------------------------------------------------------


def is_absolute_iri(iri: str) -> bool:
    return bool(_ABSOLUTE.match(iri))


def allowed_by(iri: str, allowlist: list[str] | tuple[str, ...]) -> bool:
    """Whether ``iri`` is one of the allow-listed IRIs or lies under one of them.

    Compared as written (no case folding, no dot-segment removal): an IRI spelt differently from
    the list is refused, which is the safe side. ``https://a.org`` does not allow ``https://a.org.evil``:
    a prefix only counts at a path, query or fragment boundary. IRIs with user info are never allowed.
    """
    authority = iri.split("://", 1)[1].split("/", 1)[0] if "://" in iri else ""
    if "@" in authority or re.search(r"/\.\.?(?:/|$|\?|#)", iri):
        return False
    for entry in allowlist:
        if not entry:
            continue
        if iri == entry:
            return True
        if iri.startswith(entry) and (entry[-1] in "/#?" or iri[len(entry)] in "/#?"):
            return True
    return False


def check_services(plan: QueryPlan, allowlist: list[str] | tuple[str, ...]) -> None:
    """Refuse every SERVICE the allow-list does not name (a variable target is never allowed)."""
    for call in plan.services:
        if call.target is None:
            raise QueryRefused(
                f"SERVICE with a variable target is refused ({call.written[:80]!r}): the endpoint cannot tell "
                "beforehand where it would send requests"
            )
        if not allowed_by(call.target, allowlist):
            raise QueryRefused(
                f"SERVICE <{call.target}> is refused: this endpoint sends no requests to other services unless the "
                "setting DEFPORT_KG_SERVICE_ALLOWLIST lists them"
            )


# -- the independent tokenizer ----------------------------------------------------------------

_PN_LOCAL_ESC = r"\\[_~.\-!$&'()*+,;=/?#@%]"
_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<comment>\#[^\n\r]*)
  | (?P<long1>'''(?:(?:'|'')?(?:[^'\\]|\\.))*''')
  | (?P<long2>\"\"\"(?:(?:"|"")?(?:[^"\\]|\\.))*\"\"\")
  | (?P<string1>'(?:[^'\\\n\r]|\\.)*')
  | (?P<string2>"(?:[^"\\\n\r]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][\w\u00B7\u0300-\u036F\u203F-\u2040]+)
  | (?P<pname>(?P<prefix>[^\W\d][\w.\-]*|_)?:(?:[\w:\-]|%[0-9A-Fa-f]{2}|"""
    + _PN_LOCAL_ESC
    + r"""|\.(?=[\w:\-%\\.]))*)
  | (?P<word>[^\W\d]\w*)
  | (?P<number>\d[\w.]*)
  | (?P<langtag>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)


# Operators and separators that string a query's parts together: a flat chain of them (``a && b &&
# ...``, a path ``p/p/p...``, triples ``s p o . s p o ...``, a list ``1, 2, ...``) is one level of the
# engine's expression or join tree each, which it walks recursively: pyoxigraph overflows its stack
# (the process dies) at about 10,000 of them, and rdflib takes seconds to parse them first. Far above
# what a person writes; a tool with long lists of values has VALUES, which is not a chain.
_CHAINING = frozenset("&|/+-*.;,^!=<>")
MAX_CHAINING_TOKENS = 5_000


def count_chaining_tokens(text: str) -> int:
    """Operator and separator characters outside strings, IRIs, comments and names (``\\u`` escapes
    expanded first, as every SPARQL parser does)."""
    return sum(
        1
        for match in _TOKEN.finditer(expandUnicodeEscapes(text))
        if match.lastgroup == "other" and match.group() in _CHAINING
    )


def _check_chains(count: int) -> None:
    if count > MAX_CHAINING_TOKENS:
        raise QueryRefused(
            f"the query strings together {count} operators and separators (&&, ||, /, |, +, -, *, ., ;, ,); at "
            f"most {MAX_CHAINING_TOKENS} are accepted, since longer chains overflow the query engine's stack. "
            "Put long lists of values in a VALUES block."
        )


def count_service_keywords(text: str) -> int:
    """How many SERVICE keywords the text holds, outside strings, comments and IRIs.

    Independent of the parser, and generous: a prefixed name whose prefix is ``service`` counts too,
    because a PEG parser may read ``SERVICE:x`` as the keyword followed by ``:x``.
    """
    count = 0
    for match in _TOKEN.finditer(expandUnicodeEscapes(text)):
        kind = match.lastgroup
        word = match.group() if kind == "word" else (match.group("prefix") or "") if kind == "pname" else ""
        if word.lower() == "service":
            count += 1
    return count
