"""Reading the SPARQL 1.1 Protocol query operation from an HTTP request.

Three ways to send a query (GET ``query=``, POST form, POST ``application/sparql-query``), the
dataset parameters, and the mistakes the protocol says to answer 400: a query given twice (e.g.
in the URL and in the body), an update, no query at all. No query and no other parameter on a
GET asks for the service description.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qsl

from starlette.requests import Request

FORM = "application/x-www-form-urlencoded"
SPARQL_QUERY = "application/sparql-query"
SPARQL_UPDATE = "application/sparql-update"
PROTOCOL_PARAMS = (
    "query",
    "default-graph-uri",
    "named-graph-uri",
    "update",
    "using-graph-uri",
    "using-named-graph-uri",
)


class ProtocolError(Exception):
    """A request the protocol does not allow; ``status`` is 400, 413 or 415."""

    def __init__(self, status: int, title: str, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.title = title
        self.detail = detail


@dataclass(frozen=True)
class ProtocolRequest:
    text: str
    default_graph_uris: tuple[str, ...]
    named_graph_uris: tuple[str, ...]


def _refuse_update() -> ProtocolError:
    return ProtocolError(400, "Update refused", "updates are refused: this endpoint answers queries only")


@dataclass(frozen=True)
class _UrlParameters:
    queries: tuple[str, ...]
    defaults: tuple[str, ...]
    named: tuple[str, ...]
    names: frozenset[str]


_URL_PARAMETERS: dict[bytes, _UrlParameters] = {}
_KEPT_QUERY_STRING_BYTES = 4096
_KEPT_QUERY_STRINGS = 256


def _url_parameters(request: Request) -> _UrlParameters:
    """The protocol's parameters in the URL, parsed as Starlette parses them (``parse_qsl`` of the
    latin-1 text, blanks kept). Tools send the same URLs again and again, and parsing one is a tenth
    of a cached answer's time: short query strings are kept (a pure function of their bytes)."""
    raw: bytes = request.scope.get("query_string", b"")
    kept = _URL_PARAMETERS.get(raw)
    if kept is not None:
        return kept
    pairs = parse_qsl(raw.decode("latin-1"), keep_blank_values=True)
    kept = _UrlParameters(
        tuple(value for name, value in pairs if name == "query"),
        tuple(value for name, value in pairs if name == "default-graph-uri"),
        tuple(value for name, value in pairs if name == "named-graph-uri"),
        frozenset(name for name, _ in pairs),
    )
    if len(raw) <= _KEPT_QUERY_STRING_BYTES:
        if len(_URL_PARAMETERS) >= _KEPT_QUERY_STRINGS:
            _URL_PARAMETERS.clear()
        _URL_PARAMETERS[raw] = kept
    return kept


async def read_request(request: Request, *, max_bytes: int) -> ProtocolRequest | None:
    """The query operation in ``request``, or None for a plain GET (the service description)."""
    url_params = _url_parameters(request)
    queries = list(url_params.queries)
    defaults = list(url_params.defaults)
    named = list(url_params.named)
    if "update" in url_params.names:
        raise _refuse_update()

    if request.method == "POST":
        content_type, charset = _content_type(request.headers.get("content-type", ""))
        if content_type == SPARQL_UPDATE:
            raise _refuse_update()
        body = await _read_body(request, max_bytes)
        if content_type == SPARQL_QUERY:
            queries.append(_decode(body, charset))
        elif content_type == FORM:
            fields = parse_qsl(_decode(body, charset), keep_blank_values=True)
            if any(name == "update" for name, _ in fields):
                raise _refuse_update()
            queries += [value for name, value in fields if name == "query"]
            defaults += [value for name, value in fields if name == "default-graph-uri"]
            named += [value for name, value in fields if name == "named-graph-uri"]
        else:
            shown = content_type or "no Content-Type"
            raise ProtocolError(
                415,
                "Unsupported media type",
                f"a POST to /sparql carries {SPARQL_QUERY} or {FORM}, not {shown}",
            )
    elif not queries:
        if not any(name in url_params.names for name in PROTOCOL_PARAMS):
            return None
        raise ProtocolError(400, "Bad request", "no query given: pass the `query` parameter")

    if not queries:
        raise ProtocolError(400, "Bad request", "no query given: pass `query` (URL or form field) or a request body")
    if len(queries) > 1:
        raise ProtocolError(
            400,
            "Bad request",
            f"the query was given {len(queries)} times: send exactly one `query` (URL, form or body)",
        )
    if len(queries[0].encode("utf-8")) > max_bytes:
        raise _too_large(max_bytes)
    return ProtocolRequest(queries[0], tuple(defaults), tuple(named))


def _content_type(header: str) -> tuple[str, str]:
    main, *params = header.split(";")
    charset = "utf-8"
    for param in params:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset" and value.strip():
            charset = value.strip().strip('"').lower()
    return main.strip().lower(), charset


def _too_large(max_bytes: int) -> ProtocolError:
    return ProtocolError(
        413, "Content too large", f"the query is longer than {max_bytes} bytes (setting DEFPORT_KG_QUERY_MAX_BYTES)"
    )


async def _read_body(request: Request, max_bytes: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > max_bytes * 3 + 1024:
        raise _too_large(max_bytes)
    chunks: list[bytes] = []
    size = 0
    # A form is URL-encoded (up to three bytes per character): allow for that before decoding.
    async for chunk in request.stream():
        size += len(chunk)
        if size > max_bytes * 3 + 1024:
            raise _too_large(max_bytes)
        chunks.append(chunk)
    return b"".join(chunks)


def _decode(body: bytes, charset: str) -> str:
    try:
        return body.decode(charset)
    except LookupError:
        raise ProtocolError(400, "Bad request", f"unknown charset {charset!r}") from None
    except UnicodeDecodeError as error:
        raise ProtocolError(
            400, "Bad request", f"the body is not valid {charset} (byte {error.start}): send UTF-8"
        ) from None
