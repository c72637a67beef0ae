"""The SPARQL endpoint's machinery: protocol, safety check, execution engine, results, description.

- ``protocol``    reads the SPARQL 1.1 Protocol query operation from an HTTP request
- ``safety``      parses a query before it runs: its form, its dataset, the services it would call
- ``negotiation`` picks the result media type from the Accept header (406 when none fits)
- ``execution``   runs one checked query over one store and writes the capped result
- ``results``     the W3C result writers (JSON, XML, CSV, TSV) with the cap applied while reading
- ``engine``      where queries run: killable worker processes on snapshots, or threads in memory
- ``workers``     the worker processes; ``snapshots`` the store copies they read
- ``description`` the SPARQL 1.1 Service Description
"""

from __future__ import annotations

from defport_kg.sparql.engine import ProcessEngine, QueryEngine, ThreadEngine, create_engine
from defport_kg.sparql.execution import QueryOutcome, QueryRequest, execute

__all__ = [
    "ProcessEngine",
    "QueryEngine",
    "QueryOutcome",
    "QueryRequest",
    "ThreadEngine",
    "create_engine",
    "execute",
]
