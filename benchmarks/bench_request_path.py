"""What does /sparql cost when no query runs at all? The ceiling of any design on this stack.

    .venv/bin/python benchmarks/bench_request_path.py                 # the example data (~15k triples)
    .venv/bin/python benchmarks/bench_request_path.py --rounds 6

A diagnostic beside ``bench_sparql.py``. With its result cache on, ``defport-kg serve`` answers a
repeated query from memory: the answer is the whole request path (uvicorn, the middlewares:
metrics, security headers, audit and read audit, access log; admission, the caller's view, content
negotiation) with no query run. However a query is run, it is run on top of that, so this figure is
the most an uncached query can reach. Beside it, a bare uvicorn ASGI app answering the very same
bytes (uvicorn alone: what the app adds is the difference) and ``oxigraph serve-read-only`` running
the query. The three take turns in slices (this VM's speed drifts over minutes) at 1 and at 8
clients; it prints req/s per slice, the means, and each one's ratio to ``oxigraph serve``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_sparql as bench  # the load generator and server starters

ANSWER_FILE = "BENCH_REQUEST_PATH_ANSWER"
_answer: bytes | None = None


async def bare_app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    """Every request gets the bytes in the file ``$BENCH_REQUEST_PATH_ANSWER``, nothing else done."""
    global _answer
    if scope["type"] != "http":
        return
    if _answer is None:
        _answer = Path(os.environ[ANSWER_FILE]).read_bytes()
    headers = [(b"content-type", bench.ACCEPT.encode()), (b"content-length", str(len(_answer)).encode())]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": _answer})


def start_bare(answer: Path, port: int) -> tuple[subprocess.Popen, str]:
    process = subprocess.Popen(
        [
            str(bench.BIN / "uvicorn"),
            "--app-dir",
            str(Path(__file__).resolve().parent),
            "bench_request_path:bare_app",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--no-access-log",
            "--log-level",
            "warning",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, ANSWER_FILE: str(answer)},
    )
    return process, f"http://127.0.0.1:{port}/sparql"


def fetch_answer(url: str) -> bytes:
    request = urllib.request.Request(
        url + "?" + urllib.parse.urlencode({"query": bench.CHEAP}), headers={"Accept": bench.ACCEPT}
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        return response.read()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=4, help="slices per server and client count")
    parser.add_argument("--seconds", type=float, default=2.0, help="length of a slice")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="bench-request-path-"))
    processes: list[subprocess.Popen] = []
    try:
        store = workdir / "store"
        triples = bench.example_store(store, workdir / "oxigraph")

        cached, url = bench.start_defport(store, bench.free_port(), cache_mb=64, copy_triples=None)
        processes.append(cached)
        bench.wait_until_answering(url, cached, 120)
        answer = workdir / "answer.json"
        answer.write_bytes(fetch_answer(url))
        bare, bare_url = start_bare(answer, bench.free_port())
        processes.append(bare)
        bench.wait_until_answering(bare_url, bare, 60)
        if fetch_answer(bare_url) != answer.read_bytes():
            raise SystemExit("the bare app does not answer the same bytes")
        oxigraph, oxigraph_url = bench.start_oxigraph(workdir / "oxigraph", bench.free_port())
        processes.append(oxigraph)
        bench.wait_until_answering(oxigraph_url, oxigraph, 120)
        setups = {
            "defport-kg serve, answer from the result cache": url,
            "bare uvicorn app, the same bytes": bare_url,
            "oxigraph serve-read-only, query run": oxigraph_url,
        }
        bench.warm(setups)
        print(
            f"cheap query ({len(answer.read_bytes())}-byte answer), {triples:,} quads, "
            f"{args.rounds} slices of {args.seconds:g} s per server, taking turns:"
        )
        for clients in (1, 8):
            rates, errors = bench.take_turns(setups, bench.CHEAP, clients, args.rounds, args.seconds)
            print(f"{clients} client(s) (errors: {errors}):")
            bench.print_turns(rates, "oxigraph serve-read-only, query run", "oxigraph serve")
    finally:
        for process in processes:
            bench.stop(process)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
