"""GET /api/export: the live data as N-Quads, TriG or Turtle, with a DCAT description of the dataset.

N-Quads and TriG keep each live source graph as its own named graph (the provenance of every
triple stays visible; a reader who loads them gets the same live union back), with the DCAT
description in the default graph. Turtle has no graphs: it carries the live union itself (each
triple once) plus the description. Shapes, staging graphs, superseded imports and system graphs
(keys, audit) are never exported.

The answer is streamed in chunks so a large store is not built in memory twice; separately
serialised chunks concatenate into one valid document in all three formats.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import queue
import threading
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from typing import Annotated, Any, Literal

import anyio
import pyoxigraph as ox
from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import StreamingResponse

from defport_kg import __version__
from defport_kg.api.deps import AUTH_ERRORS, StoreDep, error_responses, read_access
from defport_kg.namespaces import CATALOG_GRAPH, DCAT, DCTERMS, DPID, LIVE_GRAPH, OWL, PREFIXES, RDF, RDFS, XSD
from defport_kg.sparql.negotiation import negotiate
from defport_kg.store.terms import graph_term

router = APIRouter(tags=["export"])

DATASET = DPID + "dataset/live"
LICENCE = "https://spdx.org/licenses/EUPL-1.2.html"
ONTOLOGY = "https://w3id.org/defport/ontology"
VOID = "http://rdfs.org/ns/void#"
CHUNK = 50_000
MAX_SOURCES = 500

FormatName = Literal["nquads", "trig", "turtle"]
FORMATS: dict[str, tuple[ox.RdfFormat, str, str]] = {
    "nquads": (ox.RdfFormat.N_QUADS, "application/n-quads", "nq"),
    "trig": (ox.RdfFormat.TRIG, "application/trig", "trig"),
    "turtle": (ox.RdfFormat.TURTLE, "text/turtle", "ttl"),
}
MEDIA_TO_FORMAT = {media: name for name, (_, media, _) in FORMATS.items()}
DEFAULT_FORMAT = "trig"


def _node(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def dataset_version(store: Any) -> tuple[str, str | None]:
    """(version, last modified): the version changes whenever a live source graph is added,
    replaced or retired, so it can also serve as an ETag."""
    graphs = [g for g in store.source_graphs() if g["g"] in set(store.live_graphs())]
    digest = hashlib.sha256("\n".join(f"{g['g']} {g['modified']}" for g in graphs).encode()).hexdigest()
    modified = max((str(g["modified"]) for g in graphs if g["modified"]), default=None)
    return f"{__version__}+{digest[:12]}", modified


def description_triples(store: Any, media_type: str) -> list[ox.Triple]:
    """The DCAT description: version, licence, parts (one per live source graph) and sources."""
    dataset = _node(DATASET)
    version, modified = dataset_version(store)
    live = store.live_graphs()

    def t(s: ox.NamedNode | ox.BlankNode, p: str, o: ox.NamedNode | ox.Literal | ox.BlankNode) -> ox.Triple:
        return ox.Triple(s, _node(p), o)

    triples = [
        t(dataset, RDF + "type", _node(DCAT + "Dataset")),
        t(dataset, DCTERMS + "title", ox.Literal("Defport knowledge graph: live data", language="en")),
        t(dataset, DCTERMS + "title", ox.Literal("Defport-kennisgraaf: actuele gegevens", language="nl")),
        t(
            dataset,
            DCTERMS + "description",
            ox.Literal(
                "The live data of the Dutch defence-industry knowledge graph: the ontology, the reference "
                "data, committed imports and saved analyses, each source in its own named graph.",
                language="en",
            ),
        ),
        t(dataset, DCAT + "version", ox.Literal(version)),
        t(dataset, OWL + "versionInfo", ox.Literal(version)),
        t(dataset, DCTERMS + "license", _node(LICENCE)),
        t(dataset, DCTERMS + "conformsTo", _node(ONTOLOGY)),
        t(dataset, DCTERMS + "publisher", ox.Literal(f"defport-kg {__version__}")),
        t(dataset, VOID + "triples", ox.Literal(str(store.triple_count()), datatype=_node(XSD + "integer"))),
        t(
            dataset,
            DCTERMS + "issued",
            ox.Literal(dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(), datatype=_node(XSD + "dateTime")),
        ),
    ]
    if modified:
        triples.append(t(dataset, DCTERMS + "modified", ox.Literal(modified, datatype=_node(XSD + "dateTime"))))
    distribution = ox.BlankNode()
    triples += [
        t(dataset, DCAT + "distribution", distribution),
        t(distribution, RDF + "type", _node(DCAT + "Distribution")),
        t(distribution, DCAT + "mediaType", _node("https://www.iana.org/assignments/media-types/" + media_type)),
        t(distribution, DCTERMS + "license", _node(LICENCE)),
    ]
    catalog = _node(CATALOG_GRAPH)
    for graph in live:
        node = _node(graph)
        triples += [
            t(dataset, DCTERMS + "hasPart", node),
            t(node, RDF + "type", _node(DCAT + "Dataset")),
            t(node, VOID + "triples", ox.Literal(str(store.triple_count(graph)), datatype=_node(XSD + "integer"))),
        ]
        # The catalogue's own description of the graph: role, label, modified, import provenance.
        for quad in store.raw.quads_for_pattern(node, None, None, catalog):
            if quad.predicate.value == RDF + "type":
                continue
            triples.append(ox.Triple(quad.subject, quad.predicate, quad.object))
        for quad in store.raw.quads_for_pattern(node, _node(RDFS + "label"), None, catalog):
            triples.append(t(node, DCTERMS + "title", quad.object))
    rows = store.raw.query(
        f"SELECT DISTINCT ?source WHERE {{ ?s <{DCTERMS}source> ?source }} ORDER BY ?source LIMIT {MAX_SOURCES}",
        default_graph=graph_term(LIVE_GRAPH),
    )
    triples += [t(dataset, DCTERMS + "source", row["source"]) for row in rows]
    return triples


def _chunks(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    iterator = iter(items)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


def export_chunks(store: Any, fmt: str, description: list[ox.Triple]) -> Iterator[bytes]:
    """The export as a sequence of independently serialised, concatenable chunks."""
    rdf_format = FORMATS[fmt][0]
    prefixes = {**PREFIXES, "void": VOID} if rdf_format != ox.RdfFormat.N_QUADS else None
    if rdf_format == ox.RdfFormat.TURTLE:
        yield ox.serialize(description, format=rdf_format, prefixes=prefixes)
        live = store.raw.quads_for_pattern(None, None, None, graph_term(LIVE_GRAPH))
        for batch in _chunks((ox.Triple(q.subject, q.predicate, q.object) for q in live), CHUNK):
            yield b"\n" + ox.serialize(batch, format=rdf_format, prefixes=prefixes)
        return
    default = ox.DefaultGraph()
    yield ox.serialize(
        [ox.Quad(tr.subject, tr.predicate, tr.object, default) for tr in description],
        format=rdf_format,
        prefixes=prefixes,
    )
    for graph in store.live_graphs():
        for batch in _chunks(store.raw.quads_for_pattern(None, None, None, _node(graph)), CHUNK):
            yield b"\n" + ox.serialize(batch, format=rdf_format, prefixes=prefixes)


_END = object()


async def stream_from_one_thread(chunks: Callable[[], Iterator[bytes]]) -> AsyncIterator[bytes]:
    """Run ``chunks`` in one thread of its own and hand its output to the event loop.

    pyoxigraph's iterators may only be used by the thread that made them, and Starlette would pull
    each chunk of a sync generator on whichever worker thread is free; a bounded queue also keeps a
    slow client from making the producer buffer the whole store.
    """
    handoff: queue.Queue[Any] = queue.Queue(maxsize=4)
    stopped = threading.Event()

    def put(item: Any) -> bool:
        while not stopped.is_set():
            try:
                handoff.put(item, timeout=0.5)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            for chunk in chunks():
                if not put(chunk):
                    return
            put(_END)
        except Exception as error:  # handed over and raised in the response
            put(error)

    threading.Thread(target=produce, name="defport-kg-export", daemon=True).start()
    try:
        while True:
            item = await anyio.to_thread.run_sync(handoff.get)
            if item is _END:
                return
            if isinstance(item, Exception):
                raise item
            yield item
    finally:
        stopped.set()  # the client went away or the export ended: let the producer finish


_EXAMPLE_TRIG = """@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
<https://w3id.org/defport/id/dataset/live> a dcat:Dataset ;
  dcat:version "0.1.0+3f2a9c1b7d04" ;
  dcterms:license <https://spdx.org/licenses/EUPL-1.2.html> ;
  dcterms:hasPart <https://w3id.org/defport/id/graph/ontology> .
<https://w3id.org/defport/id/graph/reference/countries> {
  <https://w3id.org/defport/id/country/NL> a <https://w3id.org/defport/ontology#Country> .
}
"""


@router.get(
    "/api/export",
    summary="The live data as N-Quads, TriG or Turtle, with a DCAT description",
    description="Pick the format with `?format=` or the Accept header (application/n-quads, application/trig, "
    "text/turtle; default TriG). N-Quads and TriG keep every source in its named graph and put the DCAT "
    "description (version, licence, sources, parts) in the default graph; Turtle gives the live union. "
    "The ETag is the dataset version.",
    response_class=StreamingResponse,
    dependencies=[Depends(read_access())],
    responses={
        200: {
            "description": "The live data",
            "content": {
                "application/trig": {"example": _EXAMPLE_TRIG},
                "application/n-quads": {
                    "example": "<https://w3id.org/defport/id/country/NL> "
                    "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
                    "<https://w3id.org/defport/ontology#Country> "
                    "<https://w3id.org/defport/id/graph/reference/countries> .\n"
                },
                "text/turtle": {
                    "example": "<https://w3id.org/defport/id/country/NL> a "
                    "<https://w3id.org/defport/ontology#Country> .\n"
                },
            },
        },
        **error_responses(400, *AUTH_ERRORS, 406),
    },
)
def export(
    request: Request,
    store: StoreDep,
    format: Annotated[
        FormatName | None,
        Query(
            description="nquads, trig or turtle; overrides the Accept header",
            openapi_examples={"trig": {"value": "trig"}, "nquads": {"value": "nquads"}, "turtle": {"value": "turtle"}},
        ),
    ] = None,
) -> StreamingResponse:
    fmt = format
    if fmt is None:
        # TriG first: the default when Accept is missing or */*.
        offers = (FORMATS[DEFAULT_FORMAT][1], *(m for m in MEDIA_TO_FORMAT if m != FORMATS[DEFAULT_FORMAT][1]))
        media = negotiate(request.headers.get("accept"), offers)
        if media is None:
            raise HTTPException(406, "the export is available as application/n-quads, application/trig or text/turtle")
        fmt = MEDIA_TO_FORMAT[media]
    _, media_type, extension = FORMATS[fmt]
    version, _ = dataset_version(store)
    description = description_triples(store, media_type)
    headers = {
        "Content-Disposition": f'attachment; filename="defport-kg-live.{extension}"',
        "ETag": f'"{version}"',
        "Vary": "Accept",
    }
    charset = "; charset=utf-8"
    chunks = stream_from_one_thread(lambda: export_chunks(store, fmt, description))
    return StreamingResponse(chunks, media_type=media_type + charset, headers=headers)
