"""Shared pieces of the SPARQL endpoint tests: apps with test settings, a real server, a recorder."""

from __future__ import annotations

import http.server
import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import uvicorn
from fastapi import FastAPI

from defport_kg.api.app import create_app
from defport_kg.settings import Settings

# Runs for hours even on a store of ten triples: ten independent triple patterns, counted.
CROSS_PRODUCT = "SELECT (COUNT(*) AS ?n) WHERE { " + " ".join(f"?s{i} ?p{i} ?o{i} ." for i in range(10)) + " }"
SPARQL_JSON = "application/sparql-results+json"


def make_app(store: Any, **settings: Any) -> FastAPI:
    """The real app over ``store`` with settings overridden for the test (e.g. a short timeout)."""
    app = create_app(store)
    app.state.settings = Settings(**settings)
    return app


@contextmanager
def running_server(app: FastAPI) -> Iterator[str]:
    """A real uvicorn on 127.0.0.1 (a free port), in a thread; yields the base URL, stops it after."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(20)
        sock.close()


class Recorder:
    """A tiny HTTP server on 127.0.0.1 that answers 200 to anything and records every request."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, str]] = []
        recorder = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def _record(self) -> None:
                recorder.requests.append((self.command, self.path))
                body = b'{"head": {"vars": []}, "results": {"bindings": [{}]}}'
                self.send_response(200)
                self.send_header("Content-Type", "application/sparql-results+json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = do_HEAD = _record

            def log_message(self, *args: Any) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_port
        self.url = f"http://127.0.0.1:{self.port}/"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Recorder:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def cpu_seconds(pid: int) -> float | None:
    """CPU time (user + system) a process has used, from /proc; None when it is gone."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return None
    if fields[0] == "Z":
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def children(pid: int) -> list[int]:
    """The live child processes of ``pid``."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid and fields[0] != "Z":
            found.append(int(entry))
    return found


def busy_processes(pids: list[int], window: float = 1.0, threshold: float = 0.3) -> dict[int, float]:
    """The processes among ``pids`` that used more than ``threshold`` of a core over ``window`` seconds."""
    before = {pid: cpu_seconds(pid) for pid in pids}
    time.sleep(window)
    busy = {}
    for pid, start in before.items():
        end = cpu_seconds(pid)
        if start is not None and end is not None and (end - start) / window > threshold:
            busy[pid] = (end - start) / window
    return busy
