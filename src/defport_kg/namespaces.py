"""IRIs of CONTRACT §1, in one place so that no module spells a namespace by hand."""

from __future__ import annotations

DP = "https://w3id.org/defport/ontology#"
DPSH = "https://w3id.org/defport/shapes#"
DPID = "https://w3id.org/defport/id/"

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
SH = "http://www.w3.org/ns/shacl#"
PROV = "http://www.w3.org/ns/prov#"
DCTERMS = "http://purl.org/dc/terms/"
ORG = "http://www.w3.org/ns/org#"
SCHEMA = "https://schema.org/"
DCAT = "http://www.w3.org/ns/dcat#"

PREFIXES: dict[str, str] = {
    "dp": DP,
    "dpsh": DPSH,
    "dpid": DPID,
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "xsd": XSD,
    "skos": SKOS,
    "sh": SH,
    "prov": PROV,
    "dcterms": DCTERMS,
    "org": ORG,
    "schema": SCHEMA,
    "dcat": DCAT,
}

# Named graphs (system IRIs under dpid:graph/). CONTRACT §1: each source its own graph.
GRAPH = DPID + "graph/"
ONTOLOGY_GRAPH = GRAPH + "ontology"
SHAPES_GRAPH = GRAPH + "shapes"
REFERENCE_GRAPH_PREFIX = GRAPH + "reference/"
# The materialised live data: the set union of every live source graph, maintained on each
# write, so that the default graph counts every triple once (pyoxigraph's own union repeats).
LIVE_GRAPH = GRAPH + "live"
# The catalogue of source graphs and import provenance: a system graph, not live data.
CATALOG_GRAPH = GRAPH + "catalog"
SYSTEM_GRAPH_PREFIX = GRAPH + "system/"
IMPORT_PREFIX = DPID + "import/"
ANALYSIS_PREFIX = DPID + "analysis/"

SPARQL_PREFIX_BLOCK = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())


def expand(name: str) -> str:
    """Turn a prefixed name (``dpid:item/x``) into a full IRI; full IRIs pass through."""
    if name.startswith("<") and name.endswith(">"):
        return name[1:-1]
    prefix, sep, local = name.partition(":")
    if sep and prefix in PREFIXES and not local.startswith("//"):
        return PREFIXES[prefix] + local
    return name


def compact(iri: str) -> str:
    """The shortest prefixed form of an IRI, for tables meant for people."""
    best = iri
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and len(iri) - len(ns) + len(prefix) + 1 < len(best):
            best = f"{prefix}:{iri[len(ns) :]}"
    return best
