"""What confidentiality costs: making a per-clearance view, and reading through it (issue 13).

    .venv/bin/python benchmarks/bench_access.py                 # 10k and 88k organisations (~1M triples)
    .venv/bin/python benchmarks/bench_access.py --orgs 5000     # a quick run

For each size, the deterministic synthetic base (``defport_kg.synthetic``, seed 1) is bulk-loaded
into an on-disk store as a ``defport`` import, next to the shipped reference data (public), plus a
small ``restricted`` import. Then, in the same process:

- the time to make the view of a ``defport`` clearance (everything but the restricted import: a
  view of nearly the whole store), both ways a view can be made — a RocksDB checkpoint of the store
  minus what is hidden (chosen when less is hidden than shown) and a copy of the visible graphs —
  and of a ``public`` clearance (reference data: a copy);
- a join-heavy query and the risk model's load on the store itself (the unbounded clearance) and
  on the defport view, with the ratio view / store (the view holds the same data, so the ratio
  shows what reading through a separate read-only store costs: ideally ~1).

There is no speed target in the issue; the figures say when a view is worth its copy.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from defport_kg.access import AccessControl, Clearance, Marking, Scheme, marking_quads
from defport_kg.bootstrap import initialise
from defport_kg.risk import load_network
from defport_kg.store import EmbeddedStore
from defport_kg.synthetic import Summary, generate

GRAPH = "https://w3id.org/defport/id/import/synthetic-benchmark"
RESTRICTED = "https://w3id.org/defport/id/import/restricted-benchmark"
JOIN = """PREFIX dp: <https://w3id.org/defport/ontology#>
SELECT ?system (COUNT(DISTINCT ?supplier) AS ?suppliers) WHERE {
  ?system a dp:System ; dp:hasComponent ?component .
  ?relation dp:item ?component ; dp:supplier ?supplier .
  ?supplier dp:country ?country .
} GROUP BY ?system ORDER BY DESC(?suppliers) LIMIT 20"""


def timed(fn, *args, repeat: int = 1):
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn(*args)
        times.append(time.perf_counter() - start)
    return result, statistics.median(times)


def consume(store: EmbeddedStore) -> int:
    return sum(1 for _ in store.query(JOIN))


def bench(orgs: int, workdir: Path) -> None:
    print(f"\n== {orgs:,} organisations (seed 1) ==", flush=True)
    data = "".join(generate(orgs, 1, Summary())).encode()
    store = EmbeddedStore.open(workdir / f"store-{orgs}", create=True, command="bench_access")
    try:
        initialise(store)
        store.commit_bulk(
            GRAPH, data, role="import", exclusive=True, extra_quads=marking_quads(GRAPH, Marking("defport"))
        )
        store.commit_bulk(
            RESTRICTED,
            b'<https://w3id.org/defport/id/org/hidden> <http://www.w3.org/2000/01/rdf-schema#label> "hidden" .\n',
            role="import",
            exclusive=True,
            extra_quads=marking_quads(RESTRICTED, Marking("restricted", frozenset({"urn:org:a"}))),
        )
        total = store.triple_count()
        print(f"  {total:,} live triples")
        access = AccessControl(
            store,
            scheme=Scheme(),
            default_import_marking="defport",
            anonymous_clearance="public",
            default_key_clearance="defport",
        )
        public, t_public = timed(access.view, Clearance("public"))
        print(f"  make the public view ({public.store.triple_count():,} triples)        {t_public:8.3f} s")
        view, t_view = timed(access.view, Clearance("defport"))
        print(
            f"  make the defport view ({view.store.triple_count():,} triples), auto: checkpoint "
            f"and remove the hidden  {t_view:8.3f} s"
        )
        copier = AccessControl(
            store,
            scheme=Scheme(),
            default_import_marking="defport",
            anonymous_clearance="public",
            default_key_clearance="defport",
            strategy="copy",
        )
        copied, t_copy = timed(copier.view, Clearance("defport"))
        print(
            f"  the same view by copying the visible graphs      {t_copy:8.3f} s  "
            f"(checkpoint / copy: {t_view / t_copy:.2f})"
        )
        assert copied.store.triple_count() == view.store.triple_count()
        copier.close()
        _, t_again = timed(access.view, Clearance("defport"), repeat=20)
        print(f"  the defport view again (cached)                  {t_again * 1e6:8.1f} µs")
        rows_store, q_store = timed(consume, store, repeat=5)
        rows_view, q_view = timed(consume, view.store, repeat=5)
        assert rows_store == rows_view, (rows_store, rows_view)
        print(f"  join query: store {q_store:.3f} s, view {q_view:.3f} s, ratio view/store {q_view / q_store:.2f}")
        _, m_store = timed(load_network, store)
        _, m_view = timed(load_network, view.store)
        print(f"  risk model: store {m_store:.3f} s, view {m_view:.3f} s, ratio view/store {m_view / m_store:.2f}")
        print(f"  view making vs loading the data into the store: {t_view:.2f} s for {total:,} triples")
        access.close()
    finally:
        store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orgs", type=int, nargs="+", default=[10_000, 88_000])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="defport-bench-access-") as folder:
        for orgs in args.orgs:
            bench(orgs, Path(folder))


if __name__ == "__main__":
    main()
