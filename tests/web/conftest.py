"""Fixtures for the web interface: the real app in process, and a real uvicorn + Chromium.

The browser tests drive Debian's Chromium (``/usr/bin/chromium``, installed by ``make browser-deps``)
through Playwright against a real uvicorn on 127.0.0.1 over a store with the example data; they
are skipped, saying why, where Playwright or Chromium is missing.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from defport_kg.api.app import create_app
from defport_kg.store import EmbeddedStore
from tests.conftest import ROOT

CHROMIUM = Path(os.environ.get("DEFPORT_KG_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]
ARTIFACTS = ROOT / "test-artifacts" / "web"
SCREENSHOTS = ROOT / "docs" / "screenshots"


@pytest.fixture(scope="module")
def web_client(example_store_readonly: EmbeddedStore) -> Iterator[TestClient]:
    """The real app over the shared example store, in process."""
    with TestClient(create_app(example_store_readonly), raise_server_exceptions=True) as client:
        yield client


# -- a real server --------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class LiveServer:
    url: str
    store: EmbeddedStore
    steward_key: str
    reader_key: str = ""


@contextlib.contextmanager
def _serve(
    example_dir: Path, tmp_path_factory: pytest.TempPathFactory, name: str, **settings: Any
) -> Iterator[LiveServer]:
    """uvicorn in a thread on a free port of 127.0.0.1, over a copy of the example store."""
    uvicorn = pytest.importorskip("uvicorn")
    from defport_kg.auth import KeyRing
    from defport_kg.settings import Settings

    target = tmp_path_factory.mktemp(name) / "store"
    shutil.copytree(example_dir, target)  # initialise(store, example=True), built once per session
    store = EmbeddedStore.open(target)
    _, steward_key = KeyRing(store).add("web test steward", "steward")
    _, reader_key = KeyRing(store).add("web test reader", "reader")
    port = free_port()
    # The product's access defaults (the example data is public), as the README pictures show them.
    defaults = {"anonymous_clearance": "public", "default_key_clearance": "defport"}
    app = create_app(store, Settings(**{**defaults, **settings}))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, name="web-live-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    try:
        yield LiveServer(f"http://127.0.0.1:{port}", store, steward_key, reader_key)
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        store.close()


@pytest.fixture(scope="session")
def live_server(_example_store_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The example data with open reads, as a real server."""
    with _serve(_example_store_dir, tmp_path_factory, "web-live") as server:
        yield server


@pytest.fixture(scope="session")
def locked_server(_example_store_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The same, with ``require_keys_for_reads`` on: every page needs a signed-in key."""
    with _serve(_example_store_dir, tmp_path_factory, "web-locked", require_keys_for_reads=True) as server:
        yield server


# -- a real browser -------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed (pip install playwright)")
    if not CHROMIUM.exists():
        pytest.skip(f"no Chromium at {CHROMIUM}: run `make browser-deps` (apt-get install chromium)")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@dataclass
class Traffic:
    """Every request the page made, those refused for leaving this server, and CSP complaints."""

    base: str
    requests: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)

    def csp_violations(self, allowed: tuple[str, ...] = ()) -> list[str]:
        return [m for m in self.console_errors if "Content Security Policy" in m and not any(a in m for a in allowed)]


@pytest.fixture
def page(browser: Any, live_server: LiveServer, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A fresh browser context on the live server; no request may leave 127.0.0.1.

    Every request is recorded; one for any other origin is aborted and makes the test fail, so
    the interface cannot depend on the internet even by accident.
    """
    with _browser_page(browser, live_server, request) as tab:
        yield tab


@pytest.fixture
def locked_page(browser: Any, locked_server: LiveServer, request: pytest.FixtureRequest) -> Iterator[Any]:
    """Like ``page``, on the server whose reads need a key."""
    with _browser_page(browser, locked_server, request) as tab:
        yield tab


@contextlib.contextmanager
def _browser_page(browser: Any, live_server: LiveServer, request: pytest.FixtureRequest) -> Iterator[Any]:
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1400, "height": 1000}, locale="en-GB")
    traffic = Traffic(live_server.url)

    def guard(route: Any) -> None:
        url = route.request.url
        traffic.requests.append(url)
        if url.startswith(live_server.url + "/") or url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            traffic.refused.append(url)
            route.abort()

    context.route("**/*", guard)
    tab = context.new_page()
    tab.on("console", lambda m: traffic.console_errors.append(m.text) if m.type == "error" else None)
    tab.on("pageerror", lambda e: traffic.console_errors.append(f"page error: {e}"))
    tab.traffic = traffic
    tab.set_default_timeout(20_000)
    yield tab
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(Exception):  # a screenshot must never hide the test's own outcome
        tab.screenshot(path=str(ARTIFACTS / f"{request.node.name}-final.png"), full_page=True)
    context.close()
    assert not traffic.refused, f"requests left 127.0.0.1: {traffic.refused}"


def screenshot(page: Any, name: str, *, full_page: bool = True) -> Path:
    """Save a screenshot as a test artifact; with DEFPORT_KG_UPDATE_SCREENSHOTS=1 also for the README."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    if os.environ.get("DEFPORT_KG_UPDATE_SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, SCREENSHOTS / f"{name}.png")
    return path
