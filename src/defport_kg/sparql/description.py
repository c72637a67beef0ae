"""The SPARQL 1.1 Service Description answered at GET /sparql without a query.

Tools (YASGUI, Comunica, Jena) read it to learn the result formats, the dataset and the features;
people read it to learn what the default graph is and which named graphs exist. It also states
the limits (deadline, result cap) and whether SERVICE may call anywhere.
"""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox

from defport_kg.namespaces import CATALOG_GRAPH, DCTERMS, LIVE_GRAPH, PREFIXES, RDF, RDFS
from defport_kg.sparql.execution import permitted_graphs
from defport_kg.store.terms import graph_term

SD = "http://www.w3.org/ns/sparql-service-description#"
FORMATS = "http://www.w3.org/ns/formats/"
VOID = "http://rdfs.org/ns/void#"
XSD_INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")

DESCRIPTION_PREFIXES = {**PREFIXES, "sd": SD, "formats": FORMATS, "void": VOID}

_RESULT_FORMATS = (
    "SPARQL_Results_JSON",
    "SPARQL_Results_XML",
    "SPARQL_Results_CSV",
    "SPARQL_Results_TSV",
    "Turtle",
    "N-Triples",
    "N-Quads",
    "JSON-LD",
    "RDF_XML",
)


def graph_sizes(raw: ox.Store) -> dict[str, int]:
    """Triples per permitted graph (the live union included), counted by the store (two queries)."""
    allowed_default, _ = permitted_graphs(raw)
    named = sorted(g for g in allowed_default if g != LIVE_GRAPH)
    rows = raw.query(
        "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
        named_graphs=[ox.NamedNode(g) for g in named],
    )
    sizes = {g: 0 for g in allowed_default}
    for row in rows:
        sizes[row["g"].value] = int(row["n"].value)
    # The live data is the default graph of an embedded store (graph_term), not one of its named graphs.
    live = raw.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", default_graph=graph_term(LIVE_GRAPH))
    sizes[LIVE_GRAPH] = int(next(iter(live))["n"].value)
    return sizes


def describe(
    endpoint: str,
    sizes: dict[str, int],
    *,
    result_limit: int,
    timeout: float,
    allowlist: list[str] | tuple[str, ...],
) -> list[ox.Triple]:
    """The description as triples; ``sizes`` from :func:`graph_sizes`."""
    node = ox.NamedNode(endpoint)

    def iri(base: str, local: str = "") -> ox.NamedNode:
        return ox.NamedNode(base + local)

    def count(n: int) -> ox.Literal:
        return ox.Literal(str(n), datatype=XSD_INTEGER)

    a = iri(RDF, "type")
    triples: list[ox.Triple] = [
        ox.Triple(node, a, iri(SD, "Service")),
        ox.Triple(node, iri(SD, "endpoint"), node),
        ox.Triple(node, iri(SD, "supportedLanguage"), iri(SD, "SPARQL11Query")),
        ox.Triple(node, iri(DCTERMS, "title"), ox.Literal("defport-kg SPARQL endpoint", language="en")),
        ox.Triple(
            node,
            iri(RDFS, "comment"),
            ox.Literal(
                f"Read-only SPARQL 1.1 query service. The default graph is the live data <{LIVE_GRAPH}> (each triple "
                "once); GRAPH sees the live source graphs and the catalogue. A query running longer than "
                f"{timeout:g} s is stopped (503). SERVICE is "
                + (f"allowed only towards: {', '.join(allowlist)}." if allowlist else "refused.")
                + " Updates are refused.",
                language="en",
            ),
        ),
    ]
    triples += [ox.Triple(node, iri(SD, "resultFormat"), iri(FORMATS, f)) for f in _RESULT_FORMATS]
    if allowlist:
        triples.append(ox.Triple(node, iri(SD, "feature"), iri(SD, "BasicFederatedQuery")))
    limit_note = ox.NamedNode(endpoint + "#result-limit")
    triples += [
        ox.Triple(
            limit_note,
            iri(RDFS, "comment"),
            ox.Literal(
                f"An answer holds at most {result_limit} rows (or triples). A cut answer says so: the response "
                "header X-Defport-Truncated: true, and in SPARQL JSON and XML results a head link to this IRI.",
                language="en",
            ),
        ),
        ox.Triple(limit_note, iri(RDF, "value"), count(result_limit)),
    ]

    dataset, default = ox.BlankNode(), ox.BlankNode()
    triples += [
        ox.Triple(node, iri(SD, "defaultDataset"), dataset),
        ox.Triple(dataset, a, iri(SD, "Dataset")),
        ox.Triple(dataset, iri(SD, "defaultGraph"), default),
        ox.Triple(default, a, iri(SD, "Graph")),
        ox.Triple(default, iri(VOID, "triples"), count(sizes.get(LIVE_GRAPH, 0))),
        ox.Triple(default, iri(RDFS, "seeAlso"), ox.NamedNode(LIVE_GRAPH)),
    ]
    for name in sorted(g for g in sizes if g != LIVE_GRAPH):
        named, graph = ox.BlankNode(), ox.BlankNode()
        triples += [
            ox.Triple(dataset, iri(SD, "namedGraph"), named),
            ox.Triple(named, a, iri(SD, "NamedGraph")),
            ox.Triple(named, iri(SD, "name"), ox.NamedNode(name)),
            ox.Triple(named, iri(SD, "graph"), graph),
            ox.Triple(graph, a, iri(SD, "Graph")),
            ox.Triple(graph, iri(VOID, "triples"), count(sizes[name])),
        ]
        if name == CATALOG_GRAPH:
            triples.append(
                ox.Triple(named, iri(RDFS, "comment"), ox.Literal("the catalogue of source graphs", language="en"))
            )
    return triples


def serialise(triples: list[ox.Triple], fmt: Any) -> bytes:
    kwargs: dict[str, Any] = {"prefixes": DESCRIPTION_PREFIXES} if fmt == ox.RdfFormat.TURTLE else {}
    return ox.serialize(triples, format=fmt, **kwargs)
