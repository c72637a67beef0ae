"""Entry point of a query worker process: ``python -m defport_kg.sparql FD PARENT_PID`` (see ``workers``)."""

from __future__ import annotations

import sys
from multiprocessing.connection import Connection

from defport_kg.sparql.workers import worker_main

if __name__ == "__main__":
    if len(sys.argv) != 3 or not sys.argv[1].isdigit() or not sys.argv[2].isdigit():
        sys.exit("usage: python -m defport_kg.sparql FD PARENT_PID (started by the SPARQL endpoint, not by hand)")
    worker_main(Connection(int(sys.argv[1])), int(sys.argv[2]))
