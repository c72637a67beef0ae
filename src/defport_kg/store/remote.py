"""A store on a remote SPARQL 1.1 server, with the same surface and graph semantics as EmbeddedStore.

Location: ``sparql+http://host:port/path`` (or ``sparql+https://``) is the query endpoint
``http://host:port/path``. Query parameters of the location configure the rest (and are removed
from the endpoint URL); see docs/remote-stores.md:

- ``update=URL`` (default: the query URL), ``store=URL`` (Graph Store Protocol; default: none,
  uploads then use SPARQL Update); a value starting with ``/`` is relative to the host;
- ``auth=basic|digest|bearer`` with ``user=``/``password=`` or ``token=``; secrets may instead come
  from the environment (``DEFPORT_KG_REMOTE_USER``, ``DEFPORT_KG_REMOTE_PASSWORD``,
  ``DEFPORT_KG_REMOTE_TOKEN``), which keeps them out of process lists and shell history;
- ``timeout=`` seconds per request (default 60), ``retries=`` on connection errors (default 4),
  ``page=`` rows per page of a paged read (default 10000: Virtuoso's default row cap),
  ``chunk=`` triples per upload request (default 1000: Virtuoso's SPARQL compiler runs out of memory near 5000),
  ``paging=keyset|offset`` how a paged read moves on (default: keyset, offset on Virtuoso).

Graph semantics (CONTRACT §1): every source graph is its own named graph on the server; the live
data is materialised in ``dpid:graph/live`` there and every query names its dataset
(``default-graph-uri`` = the live graph, ``named-graph-uri`` = the live source graphs), never the
server's default graph (Virtuoso's includes its system graphs; unions may repeat triples).

Atomicity. A batch is first uploaded to its own graph, catalogued ``dp:Staging`` (as many
requests as it takes; never part of the live data). It becomes live by ONE SPARQL Update
*operation* (a single ``DELETE {…} INSERT {…} WHERE {…}``): it inserts the new graph's triples into
the live graph, deletes the triples only the retired graphs asserted, and flips the catalogue
statuses, all computed from one WHERE clause. One operation, not a request of several: Oxigraph
runs a whole request as a transaction, but Virtuoso commits each operation of a request on its
own, while one operation is one SQL statement in one transaction. A failure before or during the
swap therefore leaves the live data as it was; the staging graph is removed then, or, when the
server is unreachable, by ``cleanup_staging`` later (a staging graph is never live). The swap is
idempotent (it only retires graphs that are still live), so it is retried when the connection
broke and re-checked by reading the catalogue status.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import os
import re
import sys
import time
import urllib.error
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import httpx
import pyoxigraph as ox
from SPARQLWrapper import BASIC, DIGEST, JSON, POST, URLENCODED, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

from defport_kg.errors import QueryError, StoreError, UsageError
from defport_kg.namespaces import CATALOG_GRAPH, DCTERMS, DP, DPID, LIVE_GRAPH, RDF, RDFS, SHAPES_GRAPH, XSD
from defport_kg.store.binding import bind_values
from defport_kg.store.embedded import (
    STATUS_ACTIVATING,
    STATUS_LIVE,
    STATUS_ROLLED_BACK,
    STATUS_STAGING,
    STATUS_SUPERSEDED,
)
from defport_kg.store.terms import to_python

log = logging.getLogger(__name__)

Triple = ox.Triple | ox.Quad | tuple[Any, Any, Any]

SCHEMES = ("sparql+http://", "sparql+https://")
_JSON_RESULTS = "application/sparql-results+json"
_NTRIPLES = "application/n-triples"
_SYSTEM_PREFIX = CATALOG_GRAPH.rsplit("/", 1)[0] + "/system/"
_STATUS = f"<{DP}status>"
_KEYWORD = re.compile(
    r"^\s*(?:(?:PREFIX|BASE)\s[^\n]*?>\s*)*(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE | re.DOTALL
)
_LIMIT_OFFSET = re.compile(r"\b(LIMIT|OFFSET)\s+\d+\s*$", re.IGNORECASE)
_ORDER_BY = re.compile(r"\}\s*ORDER\s+BY\b[^{}]*$", re.IGNORECASE)
# Keyset paging: the variable holding each row's key, and the separator between its parts.
_KEY_VARIABLE = "?_defport_key"
_KEY_SEPARATOR = '" | "'
_PROJECTION = re.compile(
    r"\bSELECT\s+(?:DISTINCT\s+|REDUCED\s+)?(.*?)\s*(?:WHERE\b|\{|FROM\b)", re.IGNORECASE | re.DOTALL
)


def _now() -> str:
    now = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
    return f'"{now}"^^<{XSD}dateTime>'


def _spo(triple: Triple) -> tuple[Any, Any, Any]:
    if isinstance(triple, ox.Quad | ox.Triple):
        return triple.subject, triple.predicate, triple.object
    return triple[0], triple[1], triple[2]


def _has_blank(spo: tuple[Any, Any, Any]) -> bool:
    return isinstance(spo[0], ox.BlankNode) or isinstance(spo[2], ox.BlankNode)


def _blank(term: Any) -> str:
    # Servers name blank nodes as they like (Virtuoso: "nodeID://b1"); N-Triples/SPARQL labels are narrower.
    return "_:" + re.sub(r"[^A-Za-z0-9_]", "_", term.value) if isinstance(term, ox.BlankNode) else str(term)


def _by_graph(quads: Sequence[ox.Quad]) -> str:
    """Quads as ``GRAPH <g> { ... }`` blocks, one per graph: Virtuoso 7.2 fails (SR002) on a
    template that repeats a GRAPH block for the same graph."""
    blocks: dict[str, list[str]] = {}
    for q in quads:
        blocks.setdefault(q.graph_name.value, []).append(f"{_blank(q.subject)} {q.predicate} {_blank(q.object)} .")
    return " ".join(f"GRAPH <{g}> {{ {' '.join(lines)} }}" for g, lines in blocks.items())


def _blank_groups(statements: Sequence[Any], size: int) -> list[list[Any]]:
    """Statements with blank nodes packed into requests of about ``size``, never splitting a set of
    connected blank nodes (one such set larger than ``size`` gets a request of its own)."""
    parent: dict[Any, Any] = {}

    def root(node: Any) -> Any:
        while parent.setdefault(node, node) != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for st in statements:
        s, o = (st.subject, st.object) if isinstance(st, ox.Quad | ox.Triple) else (st[0], st[2])
        if isinstance(s, ox.BlankNode) and isinstance(o, ox.BlankNode):
            parent[root(s)] = root(o)
    components: dict[Any, list[Any]] = {}
    for st in statements:
        s, o = (st.subject, st.object) if isinstance(st, ox.Quad | ox.Triple) else (st[0], st[2])
        components.setdefault(root(s if isinstance(s, ox.BlankNode) else o), []).append(st)
    groups: list[list[Any]] = []
    current: list[Any] = []
    for component in components.values():
        if current and len(current) + len(component) > size:
            groups.append(current)
            current = []
        current.extend(component)
    if current:
        groups.append(current)
    return groups


def _chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class RemoteTriples:
    """The triples of a CONSTRUCT/DESCRIBE, iterable like pyoxigraph's QueryTriples."""

    def __init__(self, triples: list[ox.Triple]) -> None:
        self._triples = triples

    def __iter__(self) -> Iterator[ox.Triple]:
        return iter(self._triples)

    def __len__(self) -> int:
        return len(self._triples)

    def serialize(self, output: Any = None, format: ox.RdfFormat = ox.RdfFormat.N_TRIPLES) -> bytes | None:
        return ox.serialize(self._triples, output, format=format)


class RemoteStore:
    """A handle on a store kept on a SPARQL 1.1 server; many processes may share one server."""

    kind = "remote"

    def __init__(
        self,
        query_url: str,
        *,
        update_url: str | None = None,
        graph_store_url: str | None = None,
        auth: str | None = None,
        user: str | None = None,
        password: str | None = None,
        token: str | None = None,
        timeout: float = 60.0,
        retries: int = 4,
        page_size: int = 10000,
        chunk_size: int = 1000,
        live_cache_seconds: float = 2.0,
        progress: bool | None = None,
        paging: str = "auto",
    ) -> None:
        self.query_url = query_url
        self.update_url = update_url or query_url
        self.graph_store_url = graph_store_url
        self.timeout = timeout
        self.retries = retries
        self.page_size = page_size
        self.chunk_size = chunk_size
        if paging not in ("auto", "keyset", "offset"):
            raise UsageError(f"unknown paging={paging!r} for the remote store: use auto, keyset or offset")
        self.paging = paging
        self.live_cache_seconds = live_cache_seconds
        self.progress = sys.stderr.isatty() if progress is None else progress
        self.directory = None
        self.on_commit: list[Callable[[], None]] = []
        self.last_fetch_seconds = 0.0
        self._live_cache: tuple[float, list[str]] | None = None
        user = user or os.environ.get("DEFPORT_KG_REMOTE_USER")
        password = password or os.environ.get("DEFPORT_KG_REMOTE_PASSWORD")
        token = token or os.environ.get("DEFPORT_KG_REMOTE_TOKEN")
        auth = (auth or ("bearer" if token else "basic" if user else "")).lower()
        if auth not in ("", "basic", "digest", "bearer"):
            raise UsageError(f"unknown auth={auth!r} for the remote store: use basic, digest or bearer")
        if auth in ("basic", "digest") and not (user and password is not None):
            raise UsageError(f"auth={auth} needs user= and password= (or DEFPORT_KG_REMOTE_USER/_PASSWORD)")
        if auth == "bearer" and not token:
            raise UsageError("auth=bearer needs token= (or DEFPORT_KG_REMOTE_TOKEN)")
        self._auth, self._user, self._password, self._token = auth, user, password, token
        headers = {"Authorization": f"Bearer {token}"} if auth == "bearer" else {}
        http_auth: httpx.Auth | None = None
        if auth == "basic":
            http_auth = httpx.BasicAuth(user or "", password or "")
        elif auth == "digest":
            http_auth = httpx.DigestAuth(user or "", password or "")
        self._http = httpx.Client(timeout=timeout, headers=headers, auth=http_auth)

    # -- opening and closing -------------------------------------------------------------

    @classmethod
    def open(cls, location: str, *, create: bool = False, command: str = "") -> RemoteStore:
        """A store on the server at ``location`` (``sparql+http://…``); checks that it answers.

        ``create`` is accepted for symmetry with EmbeddedStore: a remote store needs no creating
        (the server exists; an empty catalogue is an empty store). ``command`` is unused: the
        server, not a lock file, arbitrates between processes.
        """
        if not location.startswith(SCHEMES):
            raise UsageError(f"{location} is not a remote store location: write sparql+http://host:port/path")
        parts = urlsplit(location[len("sparql+") :])
        params = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        base = urlunsplit((parts.scheme, parts.netloc, "", "", ""))

        def url(value: str | None) -> str | None:
            if not value:
                return None
            return base + value if value.startswith("/") else value

        known = {
            "update",
            "store",
            "auth",
            "user",
            "password",
            "token",
            "timeout",
            "retries",
            "page",
            "chunk",
            "paging",
        }
        unknown = sorted(set(params) - known)
        if unknown:
            raise UsageError(
                f"unknown remote store parameter(s) {', '.join(unknown)}: known are {', '.join(sorted(known))}"
            )
        try:
            store = cls(
                urlunsplit((parts.scheme, parts.netloc, parts.path, "", "")),
                update_url=url(params.get("update")),
                graph_store_url=url(params.get("store")),
                auth=params.get("auth"),
                user=params.get("user"),
                password=params.get("password"),
                token=params.get("token"),
                timeout=float(params.get("timeout", 60)),
                retries=int(params.get("retries", 4)),
                page_size=int(params.get("page", 10000)),
                chunk_size=int(params.get("chunk", 1000)),
                paging=params.get("paging", "auto"),
            )
        except ValueError as error:
            raise UsageError(f"bad remote store parameter in {location}: {error}") from None
        store._select_json("ASK {}", default_graph=[LIVE_GRAPH], named_graphs=[])  # fails clearly if down
        if not create:
            store.cleanup_staging(older_than=dt.timedelta(hours=1))
        return store

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> RemoteStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"RemoteStore({self.query_url!r})"

    # -- the protocol -------------------------------------------------------------------

    def _retrying(self, what: str, url: str, call: Callable[[], Any]) -> Any:
        """Run ``call``, retrying connection errors with exponential backoff; errors as StoreError.

        A timeout is not retried: the server answered too slowly once, and would again.
        """
        delay = 0.5
        for attempt in range(self.retries + 1):
            try:
                return call()
            except (httpx.TimeoutException, TimeoutError) as error:
                raise StoreError(
                    f"the SPARQL server at {url} did not answer the {what} within {self.timeout:g}s "
                    f"(timeout= in the store location): {error}"
                ) from None
            except (httpx.TransportError, urllib.error.URLError, ConnectionError) as error:
                if isinstance(error, urllib.error.HTTPError):
                    raise
                reason = getattr(error, "reason", error)
                if isinstance(reason, TimeoutError):
                    raise StoreError(
                        f"the SPARQL server at {url} did not answer the {what} within {self.timeout:g}s"
                    ) from None
                if attempt == self.retries:
                    raise StoreError(
                        f"the SPARQL server at {url} does not answer ({what}: {reason}) after "
                        f"{self.retries + 1} attempts: is it running, and is the location right?"
                    ) from None
                log.warning("%s at %s failed (%s); retrying in %.1fs", what, url, error, delay)
                time.sleep(delay)
                delay = min(delay * 2, 8.0)
        raise AssertionError("unreachable")

    def _refused(self, what: str, url: str, status: int, body: str) -> Exception:
        text = " ".join(body.split())[:500]
        if status in (401, 403):
            return StoreError(
                f"the SPARQL server at {url} refused the {what} (HTTP {status}): check the credentials "
                f"(auth=, user=/password= or token=) and that the account may {what} — {text}"
            )
        if status == 400 and what == "query":
            return QueryError(f"the server rejected the query (HTTP 400): {text}")
        return StoreError(f"the SPARQL server at {url} refused the {what} (HTTP {status}): {text}")

    def _wrapper(self) -> SPARQLWrapper:
        wrapper = SPARQLWrapper(self.query_url)
        wrapper.setMethod(POST)
        wrapper.setRequestMethod(URLENCODED)
        wrapper.setReturnFormat(JSON)
        wrapper.setTimeout(int(self.timeout))
        if self._auth in ("basic", "digest"):
            wrapper.setHTTPAuth(DIGEST if self._auth == "digest" else BASIC)
            wrapper.setCredentials(self._user, self._password)
        elif self._auth == "bearer":
            wrapper.addCustomHttpHeader("Authorization", f"Bearer {self._token}")
        return wrapper

    def _select_json(
        self, sparql: str, *, default_graph: Sequence[str] | None, named_graphs: Sequence[str] | None
    ) -> Any:
        """One SELECT/ASK through SPARQLWrapper; the SPARQL JSON parsed by pyoxigraph."""

        def call() -> bytes:
            wrapper = self._wrapper()
            wrapper.setQuery(sparql)
            for graph in default_graph or ():
                wrapper.addDefaultGraph(graph)
            for graph in named_graphs or ():
                wrapper.addNamedGraph(graph)
            try:
                response = wrapper.query().response
            except urllib.error.HTTPError as error:
                detail = error.read().decode("utf-8", "replace")
                raise self._refused("query", self.query_url, error.code, detail) from None
            except SPARQLWrapperException as error:
                code = {"QueryBadFormed": 400, "Unauthorized": 401, "URITooLong": 414}.get(type(error).__name__, 500)
                raise self._refused("query", self.query_url, code, str(error)) from None
            body = response.read()
            ctype = response.headers.get("Content-Type", "")
            return self._check_type(ctype, body, "json")

        body = self._retrying("query", self.query_url, call)
        return self._parse_results(body)

    def _check_type(self, ctype: str, body: bytes, expected: str) -> bytes:
        if expected not in ctype.lower():
            raise StoreError(
                f"the SPARQL server at {self.query_url} answered {ctype or 'no content type'} where SPARQL "
                f"results were expected (is the location the SPARQL endpoint?): {body[:200]!r}"
            )
        return body

    def _parse_results(self, body: bytes) -> Any:
        # pyoxigraph parses results lazily, so a bad blank-node label would only fail while the caller
        # iterates: normalise Virtuoso's "nodeID://b1" labels before parsing, not after a failure.
        if b'"bnode"' in body:
            data = json.loads(body)
            for row in data.get("results", {}).get("bindings", []):
                for value in row.values():
                    if value.get("type") == "bnode":
                        value["value"] = re.sub(r"[^A-Za-z0-9_]", "_", value["value"])
            body = json.dumps(data).encode()
        try:
            return ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
        except (SyntaxError, ValueError) as error:
            # Virtuoso names blank nodes "nodeID://b1", which is no blank node label: rename, then parse.
            if b'"bnode"' in body:
                data = json.loads(body)
                for row in data.get("results", {}).get("bindings", []):
                    for value in row.values():
                        if value.get("type") == "bnode":
                            value["value"] = re.sub(r"[^A-Za-z0-9_]", "_", value["value"])
                with contextlib.suppress(SyntaxError, ValueError):
                    return ox.parse_query_results(json.dumps(data).encode(), format=ox.QueryResultsFormat.JSON)
            raise StoreError(
                f"the SPARQL server at {self.query_url} answered something that is not SPARQL results: "
                f"{error}: {body[:200]!r}"
            ) from None

    def _construct(
        self, sparql: str, *, default_graph: Sequence[str] | None, named_graphs: Sequence[str] | None
    ) -> list[ox.Triple]:
        """A CONSTRUCT/DESCRIBE through httpx (SPARQLWrapper cannot stream N-Triples)."""
        form: list[tuple[str, str]] = [("query", sparql)]
        form += [("default-graph-uri", g) for g in default_graph or ()]
        form += [("named-graph-uri", g) for g in named_graphs or ()]

        def call() -> list[ox.Triple]:
            body = urlencode(form).encode()
            headers = {"Accept": _NTRIPLES, "Content-Type": "application/x-www-form-urlencoded"}
            response = self._http.post(self.query_url, content=body, headers=headers)
            if response.status_code >= 400:
                raise self._refused("query", self.query_url, response.status_code, response.text)
            ctype = response.headers.get("content-type", "")
            data = self._check_type(ctype, response.content, "n-triples" if "n-triples" in ctype else "text/plain")
            try:
                return [
                    ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(data, format=ox.RdfFormat.N_TRIPLES)
                ]
            except SyntaxError as error:
                raise StoreError(f"the SPARQL server at {self.query_url} answered bad N-Triples: {error}") from None

        return self._retrying("query", self.query_url, call)

    def _update(self, sparql_update: str, what: str = "update") -> None:
        """One SPARQL Update request (form-encoded POST, as every server accepts)."""

        def call() -> None:
            response = self._http.post(self.update_url, data={"update": sparql_update})
            if response.status_code >= 400:
                raise self._refused(what, self.update_url, response.status_code, response.text)

        self._retrying(what, self.update_url, call)

    # -- reading ------------------------------------------------------------------------

    def live_graphs(self) -> list[str]:
        """The live source graphs (CONTRACT §1), from the catalogue (cached for a moment)."""
        now = time.monotonic()
        if self._live_cache is None or now - self._live_cache[0] > self.live_cache_seconds:
            rows = self._select_json(
                f"SELECT ?g WHERE {{ ?g {_STATUS} <{STATUS_LIVE}> }}", default_graph=[CATALOG_GRAPH], named_graphs=[]
            )
            graphs = sorted(row["g"].value for row in rows if isinstance(row["g"], ox.NamedNode))
            self._live_cache = (now, graphs)
        return list(self._live_cache[1])

    def query(
        self,
        sparql: str,
        substitutions: dict[str, Any] | None = None,
        *,
        default_graph: list[str] | None = None,
        named_graphs: list[str] | None = None,
        use_query_dataset: bool = False,
    ) -> Any:
        """Run SPARQL over the live data (each triple once); GRAPH sees the live source graphs.

        Results behave like pyoxigraph's: QuerySolutions (``row["var"]`` terms, ``.variables``,
        ``.serialize``), a QueryBoolean for ASK, triples for CONSTRUCT/DESCRIBE. A SELECT without
        its own LIMIT/OFFSET is read in pages (ORDER BY its variables, ``page`` rows each), so no
        server row cap truncates it silently.
        """
        if substitutions:
            sparql = bind_values(
                sparql, {k.lstrip("?$") if isinstance(k, str) else k.value: v for k, v in substitutions.items()}
            )
        if use_query_dataset:
            dataset: dict[str, Any] = {"default_graph": None, "named_graphs": None}
        else:
            dataset = {
                "default_graph": default_graph if default_graph is not None else [LIVE_GRAPH],
                "named_graphs": named_graphs if named_graphs is not None else self.live_graphs(),
            }
        match = _KEYWORD.match(_strip_comments(sparql))
        form = match.group(1).upper() if match else "SELECT"
        if form in ("CONSTRUCT", "DESCRIBE"):
            return RemoteTriples(self._construct(sparql, **dataset))
        if form == "ASK" or _LIMIT_OFFSET.search(sparql.rstrip()):
            return self._select_json(sparql, **dataset)
        return self._paged_select(sparql, dataset)

    def _paged_select(self, sparql: str, dataset: dict[str, Any]) -> Any:
        """Read a SELECT in pages of ``page_size`` rows and return one result (keyset paging).

        Each page is ``SELECT vars ?k { { the query } BIND (key AS ?k) FILTER (?k > last) }
        ORDER BY ?k vars LIMIT n``, where the key is the concatenation of ``STR()`` of the
        projected variables (``""`` for an unbound variable or a blank node, whose ``STR`` is an
        error): always a plain string, so ``>`` and ``ORDER BY`` agree on every server, whatever
        mix of IRIs, literals and blank nodes the rows hold. A page never splits the rows of one key:
        a full page gives back its last key's rows, which the next page reads again in full (a key
        with more rows than a page is read on its own, sliced with OFFSET). The server evaluates the
        query once per page but never skips rows with OFFSET over a sort, so a read of n rows costs
        n/page evaluations instead of the (n/page)² sort-and-skip of LIMIT/OFFSET paging.

        A query with its own ORDER BY (whose order the caller wants) or its own FROM (which cannot
        be nested) is read with LIMIT/OFFSET instead. Pages are re-serialised as SPARQL TSV by
        pyoxigraph (in Rust) and parsed back as one QuerySolutions.
        """
        started = time.monotonic()
        text = sparql.rstrip()
        variables = _projected(text)
        if variables is None:  # SELECT *: ask the server for the variables first
            variables = [v.value for v in self._select_json(text + "\nLIMIT 0", **dataset).variables]
        prologue, body = _split_prologue(text)
        offset = (
            not variables
            or self._paging() == "offset"
            or _ORDER_BY.search(text)
            or re.search(r"\bFROM\b", _strip_comments(body), re.IGNORECASE)
        )
        if offset:
            chunks = self._offset_pages(text, variables, dataset, started)
        else:
            chunks = self._keyset_pages(prologue, body, variables, dataset, started)
        rows = sum(chunk.count(b"\n") for chunk in chunks) - 1
        if rows >= self.page_size:
            # A server that sorts or filters inconsistently between pages would lose or repeat
            # rows silently: one COUNT (one more evaluation) proves the read complete.
            count = self._select_json(f"{prologue}\nSELECT (COUNT(*) AS ?n) WHERE {{ {{\n{body}\n}} }}", **dataset)
            expected = int(next(iter(count))["n"].value)
            if rows != expected and not offset:
                log.warning(
                    "keyset paging at %s read %d of %d rows: using LIMIT/OFFSET", self.query_url, rows, expected
                )
                self.paging = "offset"
                chunks = self._offset_pages(text, variables, dataset, started)
                rows = sum(chunk.count(b"\n") for chunk in chunks) - 1
            if rows != expected:
                raise StoreError(
                    f"the SPARQL server at {self.query_url} gave {rows} rows in pages of {self.page_size} where the "
                    f"query has {expected}: its order is not stable between pages. Raise page= (and the server's "
                    "row cap, e.g. Virtuoso's ResultSetMaxRows and MaxSortedTopRows) so the result fits one page"
                )
        self.last_fetch_seconds = time.monotonic() - started
        return ox.parse_query_results(b"".join(chunks), format=ox.QueryResultsFormat.TSV)

    def _paging(self) -> str:
        """``keyset``, or ``offset`` on Virtuoso (found by its Server header): Virtuoso 7.2 orders and
        filters a computed key inconsistently (rows are lost), so it is read with LIMIT/OFFSET."""
        if self.paging == "auto":
            try:
                response = self._http.get(self.query_url, params={"query": "ASK {}"}, headers={"Accept": _JSON_RESULTS})
                server = response.headers.get("server", "")
            except httpx.HTTPError:
                server = ""
            self.paging = "offset" if "virtuoso" in server.lower() else "keyset"
        return self.paging

    def _progress(self, rows: int, started: float) -> None:
        if self.progress:
            print(f"\rfetched {rows:,} rows ({time.monotonic() - started:.1f}s)", end="", file=sys.stderr)

    def _keyset_pages(
        self, prologue: str, body: str, variables: list[str], dataset: dict[str, Any], started: float
    ) -> list[bytes]:
        """The TSV header, then the rows of every page (see ``_paged_select``)."""
        names = " ".join(f"?{v}" for v in variables)
        key = _KEY_VARIABLE
        while key[1:] in variables:
            key += "_"
        # The key is computed by BIND in the query's group and never projected: Virtuoso 7.2
        # answers a computed column that a FILTER reads with the value of another row, so the
        # client computes the last row's key from the row's own terms instead.
        parts = [f'COALESCE(IF(isBlank(?{v}), "", STR(?{v})), "")' for v in variables]
        expression = parts[0] if len(parts) == 1 else "CONCAT(" + f", {_KEY_SEPARATOR}, ".join(parts) + ")"
        header = ("\t".join(f"?{v}" for v in variables) + "\n").encode()

        def page(condition: str, tail: str) -> list[bytes]:
            query = (
                f"{prologue}\nSELECT {names} WHERE {{ {{\n{body}\n}} BIND ({expression} AS {key}) {condition} }} {tail}"
            )
            data = self._select_json(query, **dataset).serialize(format=ox.QueryResultsFormat.TSV)
            return [line for line in data.split(b"\n")[1:] if line]

        def key_of(line: bytes) -> str:
            [row] = ox.parse_query_results(header + line + b"\n", format=ox.QueryResultsFormat.TSV)
            return _KEY_SEPARATOR[1:-1].join(
                "" if row[v] is None or isinstance(row[v], ox.BlankNode) else row[v].value for v in variables
            )

        def after(last: str) -> str:
            return f"FILTER ({key} > {ox.Literal(last)})"

        chunks = [header]
        total = 0
        last: str | None = None
        order = f"ORDER BY {key} {names}"
        while True:
            rows = page(after(last) if last is not None else "", f"{order} LIMIT {self.page_size}")
            kept = rows
            if len(rows) >= self.page_size:
                # The last key's rows may go on past this page: keep them for the next one.
                final = key_of(rows[-1])
                cut = len(rows) - 1
                while cut > 0 and key_of(rows[cut - 1]) == final:
                    cut -= 1
                if last is not None and key_of(rows[0]) == last:
                    raise StoreError(
                        f"the SPARQL server at {self.query_url} does not page consistently (a page repeats the "
                        "last key of the page before): read this query with its own LIMIT/OFFSET"
                    )
                if cut == 0:  # one key fills the page: read all its rows with OFFSET
                    kept = self._one_key(page, f"FILTER ({key} = {ox.Literal(final)})", names)
                else:
                    kept = rows[:cut]
                    final = key_of(rows[cut - 1])
                last = final
            chunks.append(b"".join(row + b"\n" for row in kept))
            total += len(kept)
            if len(rows) < self.page_size:
                break
            self._progress(total, started)
        if self.progress and total >= self.page_size:
            print(file=sys.stderr)
        return chunks

    def _one_key(self, page: Callable[[str, str], list[bytes]], condition: str, names: str) -> list[bytes]:
        """Every row of one key (more than a page of them), in slices."""
        rows: list[bytes] = []
        while True:
            batch = page(condition, f"ORDER BY {names} LIMIT {self.page_size} OFFSET {len(rows)}")
            rows += batch
            if len(batch) < self.page_size:
                return rows

    def _offset_pages(self, text: str, variables: list[str], dataset: dict[str, Any], started: float) -> list[bytes]:
        """Pages as ``SELECT vars { { query ORDER BY … } } LIMIT n OFFSET k``: the sort sits in a
        sub-select because Virtuoso refuses a sorted ``LIMIT``+``OFFSET`` beyond its row cap but
        slices a sorted sub-select freely. Each page re-sorts and skips: for queries with their
        own ORDER BY or FROM only."""
        if not _ORDER_BY.search(text) and variables:
            text += "\nORDER BY " + " ".join(f"?{v}" for v in variables)
        # The outer projection names the variables in their order: callers read columns by position.
        outer = " ".join(f"?{v}" for v in variables) or "*"
        prologue, body = _split_prologue(text)
        nested = not re.search(r"\bFROM\b", _strip_comments(body), re.IGNORECASE)

        def page(offset: int) -> bytes:
            if nested:
                query = f"{prologue}\nSELECT {outer} WHERE {{ {{\n{body}\n}} }} LIMIT {self.page_size} OFFSET {offset}"
            else:
                query = f"{text}\nLIMIT {self.page_size} OFFSET {offset}"
            return self._select_json(query, **dataset).serialize(format=ox.QueryResultsFormat.TSV)

        chunks = [page(0)]
        total = chunks[0].count(b"\n") - 1
        if total >= self.page_size:
            while True:
                data = page(total)
                rows = data.count(b"\n") - 1
                chunks.append(data[data.index(b"\n") + 1 :])
                total += rows
                self._progress(total, started)
                if rows < self.page_size:
                    break
            if self.progress:
                print(file=sys.stderr)
        return chunks

    def select(self, sparql: str, **bindings: Any) -> list[dict[str, Any]]:
        """Rows of a SELECT as dicts of Python values; keyword arguments are bound, not pasted."""
        results = self.query(bind_values(sparql, bindings))
        names = [v.value for v in results.variables]
        return [{n: to_python(row[n]) for n in names} for row in results]

    def ask(self, sparql: str, **bindings: Any) -> bool:
        return bool(self.query(bind_values(sparql, bindings)))

    def graph_quads(self, graph: str) -> Iterator[ox.Quad]:
        """Every triple of one named graph, read in pages (keyset paging, as a SELECT)."""
        node = ox.NamedNode(graph)
        rows = self.query("SELECT ?s ?p ?o WHERE { ?s ?p ?o }", default_graph=[graph], named_graphs=[])
        for row in rows:
            yield ox.Quad(row[0], row[1], row[2], node)

    def triple_count(self, graph: str = LIVE_GRAPH) -> int:
        rows = self._select_json("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", default_graph=[graph], named_graphs=[])
        return int(next(iter(rows))["n"].value)

    def source_graphs(self) -> list[dict[str, Any]]:
        """Every catalogued source graph with its role, status and label."""
        rows = self.query(
            f"""SELECT ?g ?role ?status ?label ?modified WHERE {{
              ?g a <{DP}SourceGraph> ; <{DP}graphRole> ?role ; <{DP}status> ?status .
              OPTIONAL {{ ?g <{RDFS}label> ?label }} OPTIONAL {{ ?g <{DCTERMS}modified> ?modified }}
            }} ORDER BY ?g ?role ?status ?label ?modified""",
            default_graph=[CATALOG_GRAPH],
            named_graphs=[],
        )
        return [{k: to_python(r[k]) for k in ("g", "role", "status", "label", "modified")} for r in rows]

    def has_graph(self, graph: str) -> bool:
        return bool(
            self._select_json(
                f"ASK {{ <{graph}> a <{DP}SourceGraph> }}", default_graph=[CATALOG_GRAPH], named_graphs=[]
            )
        )

    def status_of(self, graph: str) -> str | None:
        rows = self._select_json(
            f"SELECT ?st WHERE {{ <{graph}> {_STATUS} ?st }}", default_graph=[CATALOG_GRAPH], named_graphs=[]
        )
        values = sorted(r["st"].value for r in rows)
        return values[0] if values else None

    # -- writing ------------------------------------------------------------------------

    def _catalog_triples(self, graph: str, role: str, status: str, label: str | None) -> str:
        text = (
            f"<{graph}> <{RDF}type> <{DP}SourceGraph> ; <{DP}graphRole> {ox.Literal(role)} ; "
            f"{_STATUS} <{status}> ; <{DCTERMS}modified> {_now()}"
        )
        if label:
            text += f" ; <{RDFS}label> {ox.Literal(label)}"
        return text + " ."

    def _stage_record(self, graph: str, role: str, label: str | None) -> str:
        record = self._catalog_triples(graph, role, STATUS_STAGING, label)
        return f"INSERT DATA {{ GRAPH <{CATALOG_GRAPH}> {{ {record} }} }}"

    def _upload(self, graph: str, spo: Sequence[tuple[Any, Any, Any]]) -> None:
        """Put triples into ``graph`` in chunks (never live: the graph is catalogued as staging).

        Triples with blank nodes go as INSERT templates (Virtuoso refuses blank nodes in INSERT
        DATA), all statements about connected blank nodes in one request (a blank node label only
        means the same node within one request): Virtuoso compiles a template of more than a few
        hundred triples into too much SQL and refuses it.
        """
        plain = [t for t in spo if not _has_blank(t)]
        blank = [t for t in spo if _has_blank(t)]
        if plain and self.graph_store_url:
            for chunk in _chunks(plain, self.chunk_size * 10):
                body = "".join(f"{s} {p} {o} .\n" for s, p, o in chunk).encode()
                self._graph_store_post(graph, body)
        else:
            for chunk in _chunks(plain, self.chunk_size):
                triples = "\n".join(f"{s} {p} {o} ." for s, p, o in chunk)
                self._update(f"INSERT DATA {{ GRAPH <{graph}> {{\n{triples}\n}} }}", "upload")
        for group in _blank_groups(blank, self.chunk_size // 4 or 1):
            triples = "\n".join(f"{_blank(s)} {p} {_blank(o)} ." for s, p, o in group)
            self._update(f"INSERT {{ GRAPH <{graph}> {{\n{triples}\n}} }} WHERE {{}}", "upload")

    def _graph_store_post(self, graph: str, body: bytes) -> None:
        url = self.graph_store_url or ""

        def call() -> None:
            response = self._http.post(url, params={"graph": graph}, content=body, headers={"Content-Type": _NTRIPLES})
            if response.status_code >= 400:
                raise self._refused("upload", url, response.status_code, response.text)

        self._retrying("upload", url, call)

    def add_source_graph(
        self,
        graph: str,
        triples: Iterable[Triple],
        *,
        role: str,
        label: str | None = None,
        live: bool = True,
        extra_quads: Iterable[ox.Quad] = (),
    ) -> int:
        """Store a new source graph and (when live) make it live in ONE update operation.

        ``extra_quads`` (e.g. provenance in the catalogue) become visible in that same operation.
        Returns the number of distinct triples stored in the graph.
        """
        if self.has_graph(graph):
            raise UsageError(f"the graph {graph} exists already")
        spo = list({_spo(t) for t in triples})
        extras = list(extra_quads)
        self._update(self._stage_record(graph, role, label), "write")
        try:
            self._upload(graph, spo)
            if live:
                self._swap(graph, retire=(), extras=extras)
            elif extras:
                self._insert_extras(extras)
        except BaseException:
            self._abandon(graph)
            raise
        self._committed()
        return len(spo)

    def stage_graph(
        self,
        graph: str,
        triples: Iterable[Triple],
        *,
        role: str,
        label: str | None = None,
        extra_quads: Iterable[ox.Quad] = (),
    ) -> int:
        """Store a graph that is not live yet; ``activate`` makes it live."""
        return self.add_source_graph(graph, triples, role=role, label=label, live=False, extra_quads=extra_quads)

    def commit_bulk(
        self,
        graph: str,
        ntriples: bytes,
        *,
        role: str,
        blank: Sequence[Triple] = (),
        triple_count: int | None = None,
        label: str | None = None,
        extra_quads: Iterable[ox.Quad] = (),
        retire: Iterable[str] = (),
        retire_status: str = STATUS_SUPERSEDED,
        exclusive: bool = False,
    ) -> int:
        """A large source graph: staged in chunks, then made live by the same one-operation swap."""
        if self.has_graph(graph):
            raise UsageError(f"the graph {graph} exists already")
        triples = [(q.subject, q.predicate, q.object) for q in ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES)]
        triples += [_spo(t) for t in blank]
        self._update(self._stage_record(graph, role, label), "write")
        try:
            self._upload(graph, triples)
            self._swap(graph, retire=list(retire), retire_status=retire_status, extras=list(extra_quads))
        except BaseException:
            self._abandon(graph)
            raise
        self._committed()
        return triple_count if triple_count is not None else len(set(triples))

    def activate(
        self, graph: str, *, retire: Iterable[str] = (), retire_status: str = STATUS_SUPERSEDED, extra_update: str = ""
    ) -> None:
        """In ONE update operation: take ``retire`` graphs out of the live data and make ``graph`` live.

        ``extra_update`` (catalogue notes) follows in the same request; on a server that commits each
        operation on its own (Virtuoso) it is applied just after the swap, not with it.
        """
        self._swap(graph, retire=list(retire), retire_status=retire_status, extra_update=extra_update)
        self._committed()

    def activation_update(self, graph: str) -> str:
        """The SPARQL Update that makes ``graph`` live: its triples join the live data (the named
        graph ``dpid:graph/live`` on a server), its catalogue status becomes Live."""
        return f"""INSERT {{ GRAPH <{LIVE_GRAPH}> {{ ?s ?p ?o }} }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }};
            DELETE {{ GRAPH <{CATALOG_GRAPH}> {{ <{graph}> <{DP}status> ?st }} }}
            WHERE {{ GRAPH <{CATALOG_GRAPH}> {{ <{graph}> <{DP}status> ?st }} }};
            INSERT DATA {{ GRAPH <{CATALOG_GRAPH}> {{ <{graph}> <{DP}status> <{STATUS_LIVE}> }} }}"""

    def retire(self, graph: str, status: str = STATUS_SUPERSEDED, *, extra_update: str = "") -> None:
        """Take a source graph out of the live data but keep it (history, rollback)."""
        self._update(self._retire_operation([graph], status) + (";\n" + extra_update if extra_update else ""), "write")
        self._committed()

    def drop_graph(self, graph: str) -> None:
        """Remove a source graph entirely (out of the live data, out of the catalogue)."""
        self._update(self._retire_operation([graph], STATUS_ROLLED_BACK), "write")
        self._remove(graph)
        self._committed()

    def _remove(self, graph: str) -> None:
        # Not live any more (or never): the graph and its record go; a failure here leaves a
        # non-live graph that cleanup_staging/check report, never wrong live data.
        self._update(
            f"""DROP SILENT GRAPH <{graph}>;
            DELETE {{ GRAPH <{CATALOG_GRAPH}> {{ <{graph}> ?p ?o }} }}
            WHERE {{ GRAPH <{CATALOG_GRAPH}> {{ <{graph}> ?p ?o }} }}""",
            "write",
        )

    def _retire_operation(self, graphs: Sequence[str], status: str) -> str:
        """ONE operation: the triples only ``graphs`` assert leave the live data; their status changes."""
        values = " ".join(f"<{g}>" for g in graphs)
        return f"""DELETE {{ GRAPH <{LIVE_GRAPH}> {{ ?ds ?dp ?do }} GRAPH <{CATALOG_GRAPH}> {{ ?cg {_STATUS} ?cst }} }}
            INSERT {{ GRAPH <{CATALOG_GRAPH}> {{ ?cg {_STATUS} <{status}> }} }}
            WHERE {{
              {{ VALUES ?rg {{ {values} }}
                 GRAPH <{CATALOG_GRAPH}> {{ ?rg {_STATUS} <{STATUS_LIVE}> }}
                 GRAPH ?rg {{ ?ds ?dp ?do }}
                 FILTER NOT EXISTS {{
                   GRAPH <{CATALOG_GRAPH}> {{ ?other {_STATUS} <{STATUS_LIVE}> }}
                   FILTER (?other NOT IN ({", ".join(f"<{g}>" for g in graphs)}))
                   GRAPH ?other {{ ?ds ?dp ?do }}
                 }} }}
              UNION
              {{ VALUES ?cg {{ {values} }} GRAPH <{CATALOG_GRAPH}> {{ ?cg {_STATUS} ?cst }} }}
            }}"""

    def _swap_operation(self, graph: str, retire: Sequence[str], retire_status: str, extras: Sequence[ox.Quad]) -> str:
        """ONE DELETE/INSERT operation making ``graph`` live and retiring ``retire``.

        Branches of the WHERE bind disjoint variables; a template triple with an unbound variable
        is skipped, so each branch feeds only its own part. Deletions apply before insertions, so a
        triple that a retired graph shares with the new one stays live.
        """
        retired = [g for g in retire if g != graph]
        branches = [f"{{ GRAPH <{graph}> {{ ?is ?ip ?io }} }}"]
        status_rows = [f"(<{graph}> <{STATUS_LIVE}>)"] + [f"(<{g}> <{retire_status}>)" for g in retired]
        branches.append(
            f"{{ VALUES (?cg ?nst) {{ {' '.join(status_rows)} }} GRAPH <{CATALOG_GRAPH}> {{ ?cg {_STATUS} ?cst }} }}"
        )
        if retired:
            values = " ".join(f"<{g}>" for g in retired)
            branches.append(
                f"""{{ VALUES ?rg {{ {values} }}
                 GRAPH <{CATALOG_GRAPH}> {{ ?rg {_STATUS} <{STATUS_LIVE}> }}
                 GRAPH ?rg {{ ?ds ?dp ?do }}
                 FILTER NOT EXISTS {{
                   GRAPH <{CATALOG_GRAPH}> {{ ?other {_STATUS} <{STATUS_LIVE}> }}
                   FILTER (?other NOT IN ({", ".join(f"<{g}>" for g in retired)}))
                   GRAPH ?other {{ ?ds ?dp ?do }}
                 }} }}"""
            )
        extra_template = ""
        if extras:
            # Each extra's predicate is a variable bound by ONE row in its own branch: the extras are
            # instantiated once (not once per solution of the other branches), and a template blank
            # node is then one fresh node shared by the extras (Virtuoso has no BNODE()).
            predicates: dict[str, str] = {}
            by_graph: dict[str, list[str]] = {}
            for q in extras:
                name = q.graph_name.value if isinstance(q.graph_name, ox.NamedNode) else ""
                if not name or name == LIVE_GRAPH:
                    raise StoreError("internal: the live graph is only written through source graphs")
                variable = predicates.setdefault(str(q.predicate), f"?xp{len(predicates)}")
                by_graph.setdefault(name, []).append(f"{_blank(q.subject)} {variable} {_blank(q.object)} .")
            extra_template = " ".join(f"GRAPH <{g}> {{ {' '.join(ts)} }}" for g, ts in by_graph.items())
            # BIND, not VALUES: Virtuoso 7.2 drops a UNION branch made of a VALUES block alone.
            branches.append("{ " + " ".join(f"BIND({p} AS {v})" for p, v in predicates.items()) + " }")
        return f"""DELETE {{ GRAPH <{LIVE_GRAPH}> {{ ?ds ?dp ?do }} GRAPH <{CATALOG_GRAPH}> {{ ?cg {_STATUS} ?cst }} }}
            INSERT {{ GRAPH <{LIVE_GRAPH}> {{ ?is ?ip ?io }} GRAPH <{CATALOG_GRAPH}> {{ ?cg {_STATUS} ?nst }}
                      {extra_template} }}
            WHERE {{ {" UNION ".join(branches)} }}"""

    def _swap(
        self,
        graph: str,
        *,
        retire: Sequence[str],
        retire_status: str = STATUS_SUPERSEDED,
        extras: Sequence[ox.Quad] = (),
        extra_update: str = "",
    ) -> None:
        update = self._swap_operation(graph, retire, retire_status, extras)
        if extra_update:
            update += ";\n" + extra_update
        try:
            self._update(update, "commit")
        except StoreError:
            # The answer may have been lost after the server committed: the catalogue says which.
            with contextlib.suppress(StoreError):
                if self.status_of(graph) == STATUS_LIVE:
                    return
            raise

    def _insert_extras(self, extras: Sequence[ox.Quad]) -> None:
        """Write quads in as few requests as the server takes: one when they fit (``chunk``);
        otherwise ground statements in chunks, and statements with blank nodes in chunks that keep
        every blank node's statements together (a label names the same node only within a request)."""
        ground = [q for q in extras if not _has_blank((q.subject, q.predicate, q.object))]
        blank = [q for q in extras if _has_blank((q.subject, q.predicate, q.object))]
        for chunk in _chunks(ground, self.chunk_size):
            self._update(f"INSERT DATA {{ {_by_graph(chunk)} }}", "write")
        for group in _blank_groups(blank, self.chunk_size // 4 or 1):
            self._update(f"INSERT {{ {_by_graph(group)} }} WHERE {{}}", "write")

    def _abandon(self, graph: str) -> None:
        """After a failed write: remove the staging graph if we still can (else cleanup_staging will)."""
        try:
            if self.status_of(graph) in (STATUS_STAGING, STATUS_ACTIVATING):
                self._remove(graph)
        except StoreError as error:
            log.warning("staging graph %s left for cleanup_staging: %s", graph, error)
        finally:
            self._live_cache = None

    def replace_from_staged(self, graph: str, staged: str, *, extra_update: str = "") -> None:
        """In ONE update operation: give ``graph`` the content of the staged graph ``staged`` (then dropped)."""
        live = graph in self.live_graphs()
        live_delete = f"GRAPH <{LIVE_GRAPH}> {{ ?ls ?lp ?lo }}" if live else ""
        live_insert = f"GRAPH <{LIVE_GRAPH}> {{ ?ns ?np ?no }}" if live else ""
        branches = [f"{{ GRAPH <{graph}> {{ ?gs ?gp ?go }} }}", f"{{ GRAPH <{staged}> {{ ?ns ?np ?no }} }}"]
        if live:
            branches.append(
                f"""{{ GRAPH <{graph}> {{ ?ls ?lp ?lo }}
                  FILTER NOT EXISTS {{
                    GRAPH <{CATALOG_GRAPH}> {{ ?other {_STATUS} <{STATUS_LIVE}> }}
                    FILTER (?other != <{graph}>)
                    GRAPH ?other {{ ?ls ?lp ?lo }} }} }}"""
            )
        update = f"""DELETE {{ GRAPH <{graph}> {{ ?gs ?gp ?go }} {live_delete} }}
            INSERT {{ GRAPH <{graph}> {{ ?ns ?np ?no }} {live_insert} }}
            WHERE {{ {" UNION ".join(branches)} }}"""
        if extra_update:
            update += ";\n" + extra_update
        self._update(update, "commit")
        self._remove(staged)
        if self.has_graph(graph):
            self._update(
                f"""DELETE {{ GRAPH <{CATALOG_GRAPH}> {{ <{graph}> <{DCTERMS}modified> ?m }} }}
                INSERT {{ GRAPH <{CATALOG_GRAPH}> {{ <{graph}> <{DCTERMS}modified> {_now()} }} }}
                WHERE {{ GRAPH <{CATALOG_GRAPH}> {{ <{graph}> <{DCTERMS}modified> ?m }} }}""",
                "write",
            )
        self._committed()

    def update_system(self, sparql_update: str) -> None:
        """A SPARQL Update on system graphs (catalogue, audit); one request."""
        self._update(sparql_update, "write")
        self._committed()

    def add_quads(self, quads: Iterable[ox.Quad]) -> None:
        """Write quads to system graphs in one request (never to source graphs or the live data)."""
        batch = list(quads)
        if any(q.graph_name == ox.NamedNode(LIVE_GRAPH) or isinstance(q.graph_name, ox.DefaultGraph) for q in batch):
            raise StoreError("internal: the live graph is only written through source graphs")
        if batch:
            self._insert_extras(batch)
        self._committed()

    def cleanup_staging(self, older_than: dt.timedelta | None = None) -> list[str]:
        """Remove graphs left staged by interrupted writes; they were never live.

        Other processes may be staging right now on a shared server, so opening a store only
        removes staging graphs older than an hour; an explicit call removes all of them.
        """
        results = self.query(
            f"""SELECT ?g ?modified WHERE {{
                ?g {_STATUS} ?st . OPTIONAL {{ ?g <{DCTERMS}modified> ?modified }}
                FILTER (?st IN (<{STATUS_STAGING}>, <{STATUS_ACTIVATING}>)) }}""",
            default_graph=[CATALOG_GRAPH],
            named_graphs=[],
        )
        rows = [{"g": r["g"].value, "modified": to_python(r["modified"])} for r in results]
        limit = dt.datetime.now(dt.UTC) - older_than if older_than else None
        removed = []
        for row in rows:
            if limit and row["modified"]:
                with contextlib.suppress(ValueError):
                    if dt.datetime.fromisoformat(str(row["modified"])) > limit:
                        continue
            graph = row["g"]
            # Defensive: take out of the live data what only this graph asserts (nothing, if the
            # swap never ran), then remove it.
            self._update(
                f"""DELETE {{ GRAPH <{LIVE_GRAPH}> {{ ?s ?p ?o }} }} WHERE {{
                  GRAPH <{graph}> {{ ?s ?p ?o }} GRAPH <{LIVE_GRAPH}> {{ ?s ?p ?o }}
                  FILTER NOT EXISTS {{
                    GRAPH <{CATALOG_GRAPH}> {{ ?other {_STATUS} <{STATUS_LIVE}> }} GRAPH ?other {{ ?s ?p ?o }} }} }}""",
                "cleanup",
            )
            self._remove(graph)
            removed.append(graph)
        if removed:
            self._committed()
        return removed

    def _committed(self) -> None:
        self._live_cache = None
        for callback in list(self.on_commit):
            try:
                callback()
            except Exception:  # the write has happened; a reader's bookkeeping must not undo that
                log.exception("a commit callback failed")

    # -- integrity and maintenance -------------------------------------------------------

    def check(self) -> list[str]:
        """Problems found in the graph bookkeeping; an empty list means the store is sound."""
        problems: list[str] = []
        live = self.live_graphs()
        if live:
            values = " ".join(f"<{g}>" for g in live)
            missing = self._count_all(
                f"""SELECT (COUNT(*) AS ?n) WHERE {{
                  VALUES ?g {{ {values} }} GRAPH ?g {{ ?s ?p ?o }}
                  FILTER NOT EXISTS {{ GRAPH <{LIVE_GRAPH}> {{ ?s ?p ?o }} }} }}"""
            )
            if missing:
                problems.append(f"{missing} triples of live source graphs are missing from the live data")
            values_filter = f"FILTER NOT EXISTS {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }}"
        else:
            values_filter = ""
        extra = self._count_all(
            f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{LIVE_GRAPH}> {{ ?s ?p ?o }} {values_filter} }}"
        )
        if extra:
            problems.append(f"{extra} triples in the live data belong to no live source graph")
        sources = self.source_graphs()
        catalogued = {row["g"] for row in sources}
        system = {LIVE_GRAPH, CATALOG_GRAPH, SHAPES_GRAPH}
        graphs = self.query(
            f"""SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER (STRSTARTS(STR(?g), "{DPID}")) }}""",
            use_query_dataset=True,
        )
        for row in graphs:
            name = row["g"].value
            if name not in catalogued and name not in system and not name.startswith(_SYSTEM_PREFIX):
                problems.append(f"graph {name} is not in the catalogue")
        for row in sources:
            if row["status"] == STATUS_STAGING:
                problems.append(f"staging graph {row['g']} left over")
        return problems

    def _count_all(self, sparql: str) -> int:
        rows = self._select_json(sparql, default_graph=None, named_graphs=None)
        return int(next(iter(rows))["n"].value)

    # -- the store interface the import pipeline, history and CLI use (EmbeddedStore has the same) ---

    @property
    def raw(self) -> RemoteRaw:
        """A pyoxigraph-Store-shaped view, for modules that still read ``store.raw`` (the /sparql
        engine, keys, audit, export): they run unchanged here, one request per call."""
        return RemoteRaw(self)

    def quads_for_pattern(
        self, subject: Any = None, predicate: Any = None, object: Any = None, graph_name: Any = None
    ) -> Iterator[ox.Quad]:
        """Quads matching a pattern (``None`` matches anything), as pyoxigraph's ``quads_for_pattern``.

        Blank nodes cannot be named in a query to a server (a blank node in SPARQL is a variable), so
        a pattern may not contain one: ``live_matches`` and ``live_descriptions`` follow blank nodes.
        """
        graph = graph_name.value if isinstance(graph_name, ox.NamedNode) else graph_name
        if graph is not None and not isinstance(graph, str):
            raise StoreError(f"internal: a remote store has no graph {graph_name!r} to read (only named graphs)")
        terms = {"s": subject, "p": predicate, "o": object}
        for name, term in terms.items():
            if isinstance(term, ox.BlankNode):
                raise StoreError(f"internal: a blank node ({name} {term}) cannot be looked up on a remote store")
        if graph is not None and subject is predicate is object is None:
            yield from self.graph_quads(graph)
            return
        pattern = " ".join(str(t) if t is not None else f"?{n}" for n, t in terms.items())
        variables = [n for n, t in terms.items() if t is None]
        if graph is None:
            variables.insert(0, "g")
            pattern = f"GRAPH ?g {{ {pattern} }}"
        dataset: dict[str, Any] = (
            {"use_query_dataset": True} if graph is None else {"default_graph": [graph], "named_graphs": []}
        )
        if not variables:
            if self._select_json(f"ASK {{ {pattern} }}", default_graph=[graph], named_graphs=[]):
                yield ox.Quad(subject, predicate, object, ox.NamedNode(graph))
            return
        rows = self.query(f"SELECT {' '.join('?' + v for v in variables)} WHERE {{ {pattern} }}", **dataset)
        for row in rows:
            g = row["g"] if graph is None else ox.NamedNode(graph)
            s, p, o = (t if t is not None else row[n] for n, t in terms.items())
            yield ox.Quad(s, p, o, g)

    def graph_names(self, prefix: str = "") -> list[str]:
        """The IRIs of the named graphs that hold triples and start with ``prefix``, sorted."""
        rows = self.query(
            f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER (STRSTARTS(STR(?g), {ox.Literal(prefix)})) }}",
            use_query_dataset=True,
        )
        return sorted(row["g"].value for row in rows if isinstance(row["g"], ox.NamedNode))

    def has_triples(self, graph: str) -> bool:
        """Whether ``graph`` holds any triple (catalogued or not, e.g. the shapes graph)."""
        return bool(self._select_json("ASK { ?s ?p ?o }", default_graph=[graph], named_graphs=[]))

    def query_with_prefixes(
        self, sparql: str, prefixes: dict[str, str], *, named_graphs: list[str] | None = None
    ) -> Any:
        """A user's query over the live data, with default prefixes (a ``dp:`` need not be declared).

        The server takes no prefixes parameter: the ones the query does not declare itself are
        declared before it (a parse error's line number then counts those lines too).
        """
        return self.query(_with_prefixes(sparql, prefixes), named_graphs=named_graphs)

    def _live_dataset(self, exclude: Sequence[str]) -> list[str]:
        """The default graph for reading the live data as if ``exclude`` had left it: the other live
        source graphs (their union; callers deduplicate), or the live graph itself."""
        if not exclude:
            return [LIVE_GRAPH]
        gone = set(exclude)
        return [g for g in self.live_graphs() if g not in gone] or ["urn:x-defport-kg:no-graph"]

    def live_matches(
        self,
        patterns: Sequence[tuple[Any, Any, Any]],
        *,
        follow: Sequence[ox.NamedNode] = (),
        exclude: Sequence[str] = (),
    ) -> dict[tuple[Any, Any, Any], list[tuple[ox.Triple, list[ox.Triple]]]]:
        """Each pattern's live matches, each with the statements whose predicate is in ``follow``
        about the match's subject — in a few requests: patterns with the same bound positions go
        together in a VALUES block (numbered, so each answer row finds its pattern)."""
        graphs = self._live_dataset(exclude)
        found: dict[tuple[Any, Any, Any], dict[ox.Triple, dict[ox.Triple, None]]] = {}
        groups: dict[tuple[bool, ...], list[tuple[Any, Any, Any]]] = {}
        for pattern in dict.fromkeys(patterns):
            if any(isinstance(t, ox.BlankNode) for t in pattern) or all(t is None for t in pattern):
                raise StoreError(f"internal: the pattern {pattern} cannot be looked up on a remote store")
            found[pattern] = {}
            groups.setdefault(tuple(t is not None for t in pattern), []).append(pattern)
        # One OPTIONAL per followed predicate, each with its own variable: Virtuoso answers a
        # variable predicate restricted by FILTER (?fp IN (...)) with literals instead of IRIs.
        extra = " ".join(f"OPTIONAL {{ ?s {f} ?f{k} }}" for k, f in enumerate(follow))
        columns = "".join(f" ?f{k}" for k in range(len(follow)))
        for mask, group in groups.items():
            bound = " ".join(f"?{n}" for n, b in zip("spo", mask, strict=True) if b)
            for chunk in _chunks(group, _VALUES_CHUNK):
                rows = " ".join(
                    "(" + " ".join([str(i), *(str(t) for t in pattern if t is not None)]) + ")"
                    for i, pattern in enumerate(chunk)
                )
                answer = self.query(
                    f"SELECT ?i ?s ?p ?o{columns} WHERE {{ VALUES (?i {bound}) {{ {rows} }} ?s ?p ?o {extra} }}",
                    default_graph=graphs,
                    named_graphs=[],
                )
                for row in answer:
                    pattern = chunk[int(row["i"].value)]
                    # Bound positions keep the caller's own terms (a server may rewrite a literal's form).
                    s, p, o = (t if t is not None else row[n] for t, n in zip(pattern, "spo", strict=True))
                    followed = found[pattern].setdefault(ox.Triple(s, p, o), {})
                    for k, predicate in enumerate(follow):
                        if row[f"f{k}"] is not None:
                            followed[ox.Triple(s, predicate, row[f"f{k}"])] = None
        return {p: [(t, list(f)) for t, f in matches.items()] for p, matches in found.items()}

    def live_descriptions(
        self, nodes: Sequence[ox.NamedNode], *, depth: int, exclude: Sequence[str] = ()
    ) -> dict[ox.NamedNode, list[ox.Triple]]:
        """Every live statement about each node, and about the blank nodes reached from it through
        at most ``depth`` blank nodes — each path in one UNION branch, since a blank node found by
        one request cannot be named in the next."""
        graphs = self._live_dataset(exclude)
        branches = []
        for k in range(depth + 1):
            chain = ["?root", *(f"?b{j}" for j in range(1, k + 1))]
            steps = [f"{chain[j - 1]} ?h{j} {chain[j]} . FILTER (isBlank({chain[j]}))" for j in range(1, k + 1)]
            branches.append("{ " + " ".join([*steps, f"{chain[k]} ?p ?o ."]) + " }")
        blanks = [f"b{j}" for j in range(1, depth + 1)]
        out: dict[ox.NamedNode, dict[ox.Triple, None]] = {node: {} for node in nodes}
        for chunk in _chunks(list(out), _VALUES_CHUNK):
            rows = " ".join(f"({i} {node})" for i, node in enumerate(chunk))
            answer = self.query(
                f"SELECT ?i {' '.join('?' + b for b in blanks)} ?p ?o WHERE {{ VALUES (?i ?root) {{ {rows} }}"
                f" {' UNION '.join(branches)} }}",
                default_graph=graphs,
                named_graphs=[],
            )
            for row in answer:
                node = chunk[int(row["i"].value)]
                subject = next((row[b] for b in reversed(blanks) if row[b] is not None), node)
                out[node][ox.Triple(subject, row["p"], row["o"])] = None
        return {node: list(triples) for node, triples in out.items()}


# Patterns per request of live_matches/live_descriptions: small enough for Virtuoso's SPARQL compiler.
_VALUES_CHUNK = 200


def _with_prefixes(sparql: str, prefixes: dict[str, str]) -> str:
    """``sparql`` with PREFIX declarations for the ``prefixes`` it does not declare itself."""
    declared = {m.lower() for m in re.findall(r"\bPREFIX\s+([\w.-]*):", sparql, re.IGNORECASE)}
    lines = [f"PREFIX {name}: <{iri}>" for name, iri in prefixes.items() if name.lower() not in declared]
    return "\n".join([*lines, sparql]) if lines else sparql


def _graph_iris(graphs: Any) -> list[str] | None:
    if graphs is None:
        return None
    items = graphs if isinstance(graphs, list | tuple) else [graphs]
    return [_graph_iri(g) for g in items]


def _graph_iri(graph: Any) -> str:
    """A graph term as its IRI here. pyoxigraph's default graph stands for the live data: where an
    embedded store keeps it (``store.terms.graph_term``), so code written against ``store.raw`` runs
    on both."""
    if isinstance(graph, ox.DefaultGraph):
        return LIVE_GRAPH
    return graph.value if isinstance(graph, ox.NamedNode) else str(graph)


class RemoteRaw:
    """The part of pyoxigraph's ``Store`` API that code outside the store reads (``store.raw``),
    answered by the remote server. Results are pyoxigraph's own result types, so callers that check
    ``isinstance(result, ox.QueryTriples)`` (the /sparql result writer) work unchanged."""

    def __init__(self, store: RemoteStore) -> None:
        self._store = store

    def query(
        self,
        query: str,
        *,
        prefixes: dict[str, str] | None = None,
        default_graph: Any = None,
        named_graphs: Any = None,
        substitutions: dict[Any, Any] | None = None,
        **_: Any,
    ) -> Any:
        text = _with_prefixes(query, prefixes) if prefixes else query
        defaults, named = _graph_iris(default_graph), _graph_iris(named_graphs)
        if defaults is None and named is None:
            result = self._store.query(text, substitutions, use_query_dataset=True)
        else:
            result = self._store.query(text, substitutions, default_graph=defaults, named_graphs=named or [])
        if isinstance(result, RemoteTriples):
            local = ox.Store()
            local.extend(ox.Quad(t.subject, t.predicate, t.object) for t in result)
            return local.query("CONSTRUCT WHERE { ?s ?p ?o }")
        return result

    def quads_for_pattern(
        self, subject: Any = None, predicate: Any = None, object: Any = None, graph_name: Any = None
    ) -> Iterator[ox.Quad]:
        if graph_name is not None:
            graph_name = _graph_iri(graph_name)
        return self._store.quads_for_pattern(subject, predicate, object, graph_name)

    def named_graphs(self) -> list[ox.NamedNode]:
        return [ox.NamedNode(g) for g in self._store.graph_names()]

    def dump(self, output: Any = None, format: ox.RdfFormat = ox.RdfFormat.N_TRIPLES, *, from_graph: Any) -> Any:
        """One graph serialised (read in pages), as pyoxigraph's ``dump(from_graph=...)``."""
        graph = _graph_iri(from_graph)
        triples = [ox.Triple(q.subject, q.predicate, q.object) for q in self._store.graph_quads(graph)]
        return ox.serialize(triples, output, format=format)


def _strip_comments(sparql: str) -> str:
    return "\n".join(line for line in sparql.splitlines() if not line.lstrip().startswith("#"))


def _projected(text: str) -> list[str] | None:
    """The result variables of a SELECT, or None for ``SELECT *`` (or a projection too odd to read)."""
    match = _PROJECTION.search(_strip_comments(text))
    if not match:
        return None
    projection = match.group(1).strip()
    if projection == "*" or not projection:
        return None
    names: list[str] = []
    depth = 0
    last_as = False
    for token in re.findall(r"\(|\)|[?$]\w+|\bAS\b", projection, re.IGNORECASE):
        if token == "(":
            depth += 1
        elif token == ")":
            depth -= 1
        elif token[0] in "?$" and (depth == 0 or last_as) and token[1:] not in names:
            names.append(token[1:])
        last_as = token.upper() == "AS"
    return names


def _split_prologue(text: str) -> tuple[str, str]:
    """PREFIX/BASE declarations (which must stay outside a sub-select) and the rest."""
    lines = text.split("\n")
    prologue: list[str] = []
    rest = text
    pattern = re.compile(r"^\s*(?:(?:PREFIX\s+[\w.-]*:\s*<[^>]*>|BASE\s*<[^>]*>)\s*)*", re.IGNORECASE)
    for index, line in enumerate(lines):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        match = pattern.match(line)
        if match and match.end() == len(line.rstrip()) and match.end() > 0:
            prologue.append(line)
            continue
        if match and match.end() > 0:
            prologue.append(line[: match.end()])
            rest = "\n".join([line[match.end() :], *lines[index + 1 :]])
        else:
            rest = "\n".join(lines[index:])
        break
    else:
        rest = ""
    return "\n".join(prologue), rest


__all__ = ["SCHEMES", "RemoteRaw", "RemoteStore", "RemoteTriples"]
