"""Running one checked query over one store: the work a query worker (process or thread) does.

Order matters: parse and check (no SERVICE, no graph outside the permitted ones), negotiate the
format (406 before anything runs), fix the dataset, run, write at most the capped result. The
same function serves the killable worker processes (on a snapshot) and the thread-based engine
(on the live in-memory store), so both behave alike.

Dataset (CONTRACT §1 and the SPARQL 1.1 Protocol):
- ``default-graph-uri`` / ``named-graph-uri`` given: they make the dataset, whatever FROM says;
- else the query's FROM / FROM NAMED make it;
- else the default graph is the live data (``dpid:graph/live``, each triple once; an embedded store
  keeps it in its default graph, see ``store.terms.graph_term``) and GRAPH sees the live source
  graphs and the catalogue.
Whichever way, every graph must be a permitted one (the live source graphs, the live union, the
catalogue) or allow-listed and outside our own namespace; staging, superseded and system graphs
(keys, audit) are never reachable. The dataset is always passed to pyoxigraph explicitly, so it is
exactly the one that was checked. A default graph of several graphs is merged into one set first
(pyoxigraph would repeat a triple that two of them assert).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from defport_kg.namespaces import CATALOG_GRAPH, DP, DPID, LIVE_GRAPH, PREFIXES
from defport_kg.sparql.negotiation import GRAPH_TYPES, RESULT_FORMAT, SOLUTION_TYPES, negotiate
from defport_kg.sparql.parse_errors import engine_syntax_error
from defport_kg.sparql.results import Stopped, write_result
from defport_kg.sparql.safety import (
    QueryRefused,
    QuerySyntaxError,
    UpdateRefused,
    allowed_by,
    analyse,
    check_services,
    screen,
)
from defport_kg.store.terms import graph_term

_CATALOG = ox.NamedNode(CATALOG_GRAPH)
_STATUS = ox.NamedNode(DP + "status")
_LIVE_STATUS = ox.NamedNode(DP + "Live")
_MERGED = ox.NamedNode("urn:x-defport-kg:merged-default-graph")

# (graphs allowed as the default graph, graphs allowed as named graphs)
Permitted = tuple[frozenset[str], frozenset[str]]


@dataclass(frozen=True)
class QueryRequest:
    """One protocol request, as the worker needs it (picklable: it crosses to worker processes)."""

    text: str
    default_graph_uris: tuple[str, ...] = ()
    named_graph_uris: tuple[str, ...] = ()
    accept: str | None = None
    endpoint: str = ""
    result_limit: int = 100_000
    service_allowlist: tuple[str, ...] = ()


@dataclass(frozen=True)
class QueryOutcome:
    """The answer: a body with its media type, or an error (status, title, detail) for problem+json."""

    status: int
    media_type: str = ""
    body: bytes = b""
    rows: int = 0
    truncated: bool = False
    title: str = ""
    detail: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    from_copy: bool = False  # answered from a worker's in-memory copy of the live data (``live_copy``)

    @property
    def ok(self) -> bool:
        return self.status == 200


def failure(status: int, title: str, detail: str, **extra: Any) -> QueryOutcome:
    return QueryOutcome(status=status, title=title, detail=detail, extra=extra)


def permitted_graphs(raw: ox.Store) -> Permitted:
    """(graphs allowed as default graph, graphs allowed as named graphs), read from the catalogue."""
    live = {
        q.subject.value
        for q in raw.quads_for_pattern(None, _STATUS, _LIVE_STATUS, _CATALOG)
        if isinstance(q.subject, ox.NamedNode)
    }
    named = frozenset(live | {CATALOG_GRAPH})
    return named | {LIVE_GRAPH}, named


def execute(
    raw: ox.Store,
    request: QueryRequest,
    should_stop: Callable[[], bool] | None = None,
    permitted: Permitted | None = None,
    live_copy: ox.Store | None = None,
) -> QueryOutcome:
    """Check, run and write one query; never raises for anything the client did.

    ``permitted`` may be passed when the store cannot change (a snapshot), to skip reading the
    catalogue for every query. ``live_copy``: an in-memory store holding exactly ``raw``'s default
    graph (``live_copy`` module), which answers the queries that read nothing else.
    """
    try:
        # A remote store's server has its own parser and dialect (Virtuoso reads pragmas and extensions
        # pyoxigraph refuses): only texts our parser reads as standard SPARQL are sent to it, so there
        # every text gets the full parse (beside a network round trip its 2 ms hardly count).
        plan = screen(request.text) if isinstance(raw, ox.Store) else analyse(request.text)
        check_services(plan, request.service_allowlist)
    except UpdateRefused as error:
        return failure(400, "Update refused", str(error))
    except QuerySyntaxError as error:
        return failure(400, "Bad query", str(error))
    except QueryRefused as error:
        return failure(400, "Query refused", str(error))

    offers = GRAPH_TYPES if plan.returns_graph else SOLUTION_TYPES
    media = negotiate(request.accept, offers)
    if media is None:
        return failure(
            406,
            "Not acceptable",
            f"a {plan.form} result can be sent as {', '.join(offers)}; the Accept header allows none of them",
        )

    allowed_default, allowed_named = permitted if permitted is not None else permitted_graphs(raw)
    if request.default_graph_uris or request.named_graph_uris:
        defaults, named = list(request.default_graph_uris), list(request.named_graph_uris)
        source = "default-graph-uri / named-graph-uri"
    elif plan.has_dataset:
        defaults, named = list(plan.from_graphs), list(plan.from_named_graphs)
        source = "FROM / FROM NAMED"
    else:
        defaults, named = [LIVE_GRAPH], sorted(allowed_named)
        source = ""
    defaults, named = _unique(defaults), _unique(named)
    for graph, allowed in [(g, allowed_default) for g in defaults] + [(g, allowed_named) for g in named]:
        if graph not in allowed and not (allowed_by(graph, request.service_allowlist) and not graph.startswith(DPID)):
            return failure(
                400,
                "Graph refused",
                f"{source} names <{graph}>, which is not a graph of this endpoint: the dataset may hold the live "
                f"data <{LIVE_GRAPH}>, its source graphs and the catalogue (the service description at GET /sparql "
                "lists them); other graphs are never fetched",
            )

    store = raw
    if len(defaults) > 1:
        store, defaults = _merged(raw, defaults, named), [_MERGED.value]
    elif live_copy is not None and not source and not _MAY_NAME_A_GRAPH.search(request.text):
        # The default dataset, and no GRAPH pattern could reach a named graph: the copy has it all.
        store, named = live_copy, []
    # The result objects live only in _run's frame: the parser's cached exceptions keep the frames
    # above it (this one included) alive, and pyoxigraph's results must be dropped by their thread.
    fits = plan.limit is not None and plan.limit <= request.result_limit
    return _run(store, request, defaults, named, media, bool(plan.services), fits, should_stop, store is live_copy)


def _run(
    store: ox.Store,
    request: QueryRequest,
    defaults: list[str],
    named: list[str],
    media: str,
    calls_services: bool,
    fits: bool,
    should_stop: Callable[[], bool] | None,
    from_copy: bool = False,
) -> QueryOutcome:
    try:
        result = store.query(
            request.text,
            prefixes=PREFIXES,
            default_graph=[graph_term(g) for g in defaults],
            named_graphs=[ox.NamedNode(g) for g in named],
        )
        written = write_result(
            result,
            RESULT_FORMAT[media],
            limit=request.result_limit,
            link=f"{request.endpoint}#result-limit" if request.endpoint else None,
            should_stop=should_stop,
            fits=fits,
        )
    except Stopped:
        return failure(503, "Query timed out", "the query was stopped at its deadline")
    except SyntaxError as error:
        return failure(400, "Bad query", engine_syntax_error(request.text, str(error)))
    except OSError as error:
        status = 502 if calls_services else 500
        return failure(status, "Query failed", f"the query failed while running: {error}")
    except (RuntimeError, ValueError, TypeError) as error:
        return failure(400, "Query failed", f"the query could not be evaluated: {error}")
    return QueryOutcome(200, media, written.body, rows=written.rows, truncated=written.truncated, from_copy=from_copy)


# Conservative: "graph" anywhere (a GRAPH pattern, but also an IRI or a string) sends the query to
# the snapshot, which has the named graphs.
_MAY_NAME_A_GRAPH = re.compile("graph", re.IGNORECASE)


def _unique(graphs: list[str]) -> list[str]:
    return list(dict.fromkeys(graphs))


def _merged(raw: ox.Store, defaults: list[str], named: list[str]) -> ox.Store:
    """A private in-memory copy whose one default graph is the set union of ``defaults``.

    The SPARQL default graph made of several graphs is their RDF merge, a set; pyoxigraph would
    count a triple once per graph that asserts it. Copying costs time proportional to the graphs,
    which the query deadline bounds like any other work.
    """
    merged = ox.Store()
    for graph in defaults:
        merged.extend(
            ox.Quad(q.subject, q.predicate, q.object, _MERGED)
            for q in raw.quads_for_pattern(None, None, None, graph_term(graph))
        )
    for graph in named:
        merged.extend(raw.quads_for_pattern(None, None, None, ox.NamedNode(graph)))
    return merged
