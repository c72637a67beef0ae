"""`defport-kg serve` over HTTPS with a certificate, and behind a reverse proxy: the real command on 127.0.0.1."""

from __future__ import annotations

import json
import signal
import socket
import ssl
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from defport_kg.auth import AuditEvent, AuditLog
from defport_kg.store import EmbeddedStore
from tests.conftest import ROOT, run_cli


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def self_signed(folder: Path, name: str = "server") -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 made by the real `openssl` command."""
    cert, key = folder / f"{name}.crt", folder / f"{name}.key"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
         "-keyout", str(key), "-out", str(cert), "-days", "2", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1"],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return cert, key


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return self_signed(tmp_path_factory.mktemp("tls"))


@pytest.fixture
def store_dir(tmp_path: Path) -> Path:
    location = tmp_path / "store"
    store = EmbeddedStore.open(location, create=True)
    AuditLog(store).record(AuditEvent(action="write", at="2001-01-01T00:00:00Z"))  # far beyond the retention
    store.close()
    return location


def start(store: Path, port: int, *args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "defport_kg", "serve", "--store", str(store), "--port", str(port), *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        cwd=ROOT,
    )


def stop(server: subprocess.Popen[bytes]) -> str:
    """Stop the server we started, by its PID (SIGINT: a graceful shutdown flushes the read audit)."""
    if server.poll() is None:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    assert server.stderr is not None
    return server.stderr.read().decode(errors="replace")


def wait_until_up(server: subprocess.Popen[bytes], client: httpx.Client, url: str) -> httpx.Response:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"serve exited {server.returncode}: {stop(server)}")
        try:
            return client.get(url)
        except httpx.TransportError:
            time.sleep(0.2)
    raise AssertionError("serve did not answer within 60 s")


def read_events(store: Path) -> list[dict[str, object]]:
    events = []
    for path in sorted((store / "audit").glob("reads-*.jsonl")):
        events += [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    return events


def test_https_with_the_given_certificate_behind_a_proxy(store_dir: Path, certificate: tuple[Path, Path]) -> None:
    port = free_port()
    cert, key = certificate
    server = start(store_dir, port, "--tls-cert", str(cert), "--tls-key", str(key), "--proxy-headers")
    try:
        with httpx.Client(verify=ssl.create_default_context(cafile=str(cert)), timeout=10) as client:
            health = wait_until_up(server, client, f"https://127.0.0.1:{port}/health")
            assert health.status_code == 200
            assert health.url.scheme == "https"
            # Behind a proxy on 127.0.0.1 (trusted by default) the client address is the forwarded one.
            found = client.get(
                f"https://127.0.0.1:{port}/api/search", params={"q": "x"}, headers={"X-Forwarded-For": "203.0.113.9"}
            )
            assert found.status_code == 200
        # A client that does not trust the certificate is refused; plain HTTP gets no answer.
        with httpx.Client(timeout=10) as untrusting, pytest.raises(httpx.ConnectError):
            untrusting.get(f"https://127.0.0.1:{port}/health")
        with httpx.Client(timeout=10) as plain, pytest.raises(httpx.TransportError):
            plain.get(f"http://127.0.0.1:{port}/health")
    finally:
        log = stop(server)
    assert "https://127.0.0.1" in log
    assert [(e["path"], e["client"]) for e in read_events(store_dir)] == [("/api/search", "203.0.113.9")]
    # The retention rule ran at start: the event of 2001 is gone.
    store = EmbeddedStore.open(store_dir)
    try:
        assert AuditLog(store).count() == 0
    finally:
        store.close()


def test_without_proxy_headers_a_forwarded_address_is_not_believed(store_dir: Path) -> None:
    port = free_port()
    server = start(store_dir, port, "--forwarded-allow-ips", "127.0.0.1")
    try:
        with httpx.Client(timeout=10) as client:
            assert wait_until_up(server, client, f"http://127.0.0.1:{port}/health").status_code == 200
            client.get(f"http://127.0.0.1:{port}/api/search", params={"q": "x"}, headers={"X-Forwarded-For": "6.6.6.6"})
    finally:
        stop(server)
    assert [e["client"] for e in read_events(store_dir)] == ["127.0.0.1"]


def test_bad_tls_options_are_clear_errors(tmp_path: Path, certificate: tuple[Path, Path]) -> None:
    cert, key = certificate
    other_cert, _ = self_signed(tmp_path, "other")
    store = tmp_path / "no-store-needed"
    cases = [
        (["--tls-cert", str(cert)], "--tls-cert needs --tls-key"),
        (["--tls-key", str(key)], "--tls-key needs --tls-cert"),
        (["--tls-cert", str(tmp_path / "missing.crt"), "--tls-key", str(key)], "missing.crt: cannot read it"),
        (["--tls-cert", str(cert), "--tls-key", str(cert)], "not a PEM certificate and its matching private key"),
        (["--tls-cert", str(other_cert), "--tls-key", str(key)], "matching private key"),
    ]
    for args, message in cases:
        result = run_cli("serve", *args, store=store)
        assert result.returncode == 2, (args, result.stderr)
        assert message in result.stderr and "Traceback" not in result.stderr
    # The settings are the defaults of the options: both or neither there too.
    result = run_cli("serve", store=store, env={"DEFPORT_KG_TLS_CERT_FILE": str(cert)})
    assert result.returncode == 2 and "needs --tls-key" in result.stderr
