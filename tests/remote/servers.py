"""Real SPARQL servers for the remote-store tests and benchmark: Oxigraph server and Virtuoso.

Each server runs on 127.0.0.1 on free ports, from a temporary directory, and is stopped by its PID
(never by name). Used by ``tests/remote/conftest.py`` and ``benchmarks/bench_remote.py``; also a
small command line for manual use::

    python -m tests.remote.servers start oxigraph /tmp/ox     # prints the store location, keeps running
    python -m tests.remote.servers start virtuoso /tmp/virt

Setup (the Makefile's test setup):
    pip install oxigraph
    apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y virtuoso-opensource
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

VIRTUOSO_BINARY = "virtuoso-t"
VIRTUOSO_ISQL = "isql-vt"
VIRTUOSO_VAD = "/usr/share/virtuoso-opensource-7/vad"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def oxigraph_binary() -> str | None:
    local = Path(sys.executable).parent / "oxigraph"
    return str(local) if local.exists() else shutil.which("oxigraph")


def virtuoso_binary() -> str | None:
    return shutil.which(VIRTUOSO_BINARY)


class Server:
    """A server process we started; ``stop`` kills exactly that PID."""

    name = "server"

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.process: subprocess.Popen[bytes] | None = None
        self.http_port = free_port()

    @property
    def location(self) -> str:
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"<{self.name} server on port {self.http_port}>"

    def command(self) -> list[str]:
        raise NotImplementedError

    def probe_url(self) -> str:
        raise NotImplementedError

    def start(self, timeout: float = 120.0) -> None:
        log = open(self.directory / f"{self.name}.log", "ab")  # noqa: SIM115 (kept open by the child)
        self.process = subprocess.Popen(self.command(), cwd=self.directory, stdout=log, stderr=log)
        (self.directory / f"{self.name}.pid").write_text(str(self.process.pid))
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.process.returncode}; see {log.name}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(self.probe_url(), timeout=2).status_code < 500:
                    self.after_start()
                    return
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"{self.name} did not answer on port {self.http_port} within {timeout}s")

    def after_start(self) -> None:
        pass

    def stop(self, *, kill: bool = False) -> None:
        """Stop our process by PID: SIGKILL simulates a crash, SIGTERM a clean shutdown."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL if kill else signal.SIGTERM)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=30)
        self.process = None

    def restart(self) -> None:
        self.stop()
        self.start()


class OxigraphServer(Server):
    name = "oxigraph"

    def command(self) -> list[str]:
        binary = oxigraph_binary()
        if binary is None:
            raise RuntimeError("no `oxigraph` binary: pip install oxigraph")
        return [binary, "serve", "--location", str(self.directory / "data"), "--bind", f"127.0.0.1:{self.http_port}"]

    def probe_url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}/query?query=ASK%7B%7D"

    @property
    def location(self) -> str:
        base = f"127.0.0.1:{self.http_port}"
        return f"sparql+http://{base}/query?update=/update&store=/store"


VIRTUOSO_INI = """[Database]
DatabaseFile    = {dir}/virtuoso.db
ErrorLogFile    = {dir}/virtuoso.log
LockFile        = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel   = 7
FileExtend      = 200
MaxCheckpointRemap = 2000
Striping        = 0
TempStorage     = TempDatabase

[TempDatabase]
DatabaseFile    = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping        = 0

[Parameters]
ServerPort          = 127.0.0.1:{sql_port}
DisableUnixSocket   = 1
DisableTcpSocket    = 0
MaxClientConnections = 20
CheckpointInterval  = 60
CaseMode            = 2
DirsAllowed         = ., {dir}, {vad}
VADInstallDir       = {vad}/
NumberOfBuffers     = {buffers}
MaxDirtyBuffers     = {dirty}
MaxQueryMem         = 1G
ThreadsPerQuery     = 4
; A sorted LIMIT (a keyset page) may not exceed this; raised with ResultSetMaxRows.
MaxSortedTopRows    = {max_rows}

[HTTPServer]
ServerPort          = 127.0.0.1:{http_port}
ServerRoot          = {dir}/vsp
MaxClientConnections = 20
ServerThreads       = 20
EnabledDavVSP       = 0
Charset             = UTF-8
MaintenancePage     = atomic.html
EnabledGzipContent  = 0

[SPARQL]
; Virtuoso's own default caps every answer at 10000 rows: kept in the tests, so the paged reads are
; exercised; the benchmark raises it (and the store's page=) to read fewer, larger pages.
ResultSetMaxRows    = {max_rows}
MaxQueryExecutionTime = 600
MaxQueryCostEstimationTime = 600
DefaultGraph        =
"""


class VirtuosoServer(Server):
    """Virtuoso Open Source from our own virtuoso.ini (own ports, own database), not the package's instance."""

    name = "virtuoso"

    def __init__(self, directory: Path, *, buffers: int = 170000, max_rows: int = 10000) -> None:
        super().__init__(directory)
        self.sql_port = free_port()
        self.buffers = buffers
        (self.directory / "vsp").mkdir(exist_ok=True)
        (self.directory / "virtuoso.ini").write_text(
            VIRTUOSO_INI.format(
                dir=self.directory,
                sql_port=self.sql_port,
                http_port=self.http_port,
                vad=VIRTUOSO_VAD,
                buffers=buffers,
                dirty=buffers * 3 // 4,
                max_rows=max_rows,
            )
        )

    def command(self) -> list[str]:
        binary = virtuoso_binary()
        if binary is None:
            raise RuntimeError("no `virtuoso-t`: apt-get install virtuoso-opensource")
        return [binary, "+foreground", "+configfile", str(self.directory / "virtuoso.ini"), "+wait"]

    def probe_url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}/sparql?query=ASK%7B%7D"

    def after_start(self) -> None:
        # The anonymous /sparql endpoint may only read until SPARQL_UPDATE is granted.
        self.isql('grant SPARQL_UPDATE to "SPARQL";', "DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('nobody', 7);")

    def isql(self, *statements: str) -> str:
        script = " ".join(statements)
        result = subprocess.run(
            [VIRTUOSO_ISQL, str(self.sql_port), "dba", "dba", f"exec={script}"],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        output = (result.stdout + result.stderr).replace("already have role", "")
        if result.returncode != 0 or ("*** Error" in output and "U0013" not in output):
            raise RuntimeError(f"isql failed: {result.stdout}{result.stderr}")
        return result.stdout

    @property
    def location(self) -> str:
        return f"sparql+http://127.0.0.1:{self.http_port}/sparql"


SERVERS = {"oxigraph": OxigraphServer, "virtuoso": VirtuosoServer}


def main(argv: list[str]) -> int:
    if len(argv) != 3 or argv[0] != "start" or argv[1] not in SERVERS:
        print("usage: python -m tests.remote.servers start oxigraph|virtuoso DIR", file=sys.stderr)
        return 2
    server = SERVERS[argv[1]](Path(argv[2]).resolve())
    server.start()
    print(server.location, flush=True)
    print(f"pid {server.process.pid if server.process else '?'}; Ctrl-C stops it", file=sys.stderr)
    try:
        while server.process and server.process.poll() is None:
            time.sleep(1)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    raise SystemExit(main(sys.argv[1:]))
