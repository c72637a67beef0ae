"""SIGKILL the service (and its query workers) in the middle of HTTP imports, at random moments.

The command line's kill test (tests/imports/test_kill.py) covers the CLI; this is the service: a
real ``defport-kg serve`` takes a stream of imports from a steward over HTTP and is killed with
SIGKILL at a seeded random moment, its whole process group with it. After each kill the store must
open, pass ``check``, hold every import that was answered 201 (complete), and hold the import that
was in flight either completely or not at all. Then the service starts again on the same store.
"""

from __future__ import annotations

import os
import random
import signal
import threading
import time
from pathlib import Path

import httpx
import pytest

from defport_kg.auth import KeyRing
from defport_kg.imports import check_imports, list_imports
from defport_kg.store import STATUS_LIVE, EmbeddedStore
from tests.adversarial.conftest import serve

KILLS = 5
ORGS_PER_BATCH = 300


def _batch(tag: str) -> bytes:
    dp, iri = "https://w3id.org/defport/ontology#", "https://w3id.org/defport/id/"
    lines = []
    for i in range(ORGS_PER_BATCH):
        org = f"<{iri}org/{tag}-{i}>"
        lines += [
            f"{org} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{dp}Company> .",
            f'{org} <http://www.w3.org/2000/01/rdf-schema#label> "Org {tag} {i}" .',
            f"{org} <{dp}country> <{iri}country/DE> .",
        ]
    return ("\n".join(lines) + "\n").encode()


def _orgs_of(store: EmbeddedStore, tag: str) -> int:
    rows = store.select(
        "SELECT (COUNT(?o) AS ?n) WHERE { ?o a <https://w3id.org/defport/ontology#Company> "
        f'FILTER (STRSTARTS(STR(?o), "https://w3id.org/defport/id/org/{tag}-")) }}'
    )
    return int(rows[0]["n"])


@pytest.mark.slow
@pytest.mark.server
def test_sigkill_of_the_service_during_imports(_reference_store_dir: Path, tmp_path: Path) -> None:
    import shutil

    store_dir = tmp_path / "store"
    shutil.copytree(_reference_store_dir, store_dir)
    with EmbeddedStore.open(store_dir) as store:
        _, token = KeyRing(store).add("kill test steward", "steward")
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/n-triples"}
    rng = random.Random(20261128)
    answered: list[str] = []  # tags whose import was answered 201
    counter = 0
    for kill in range(KILLS):
        server = serve(store_dir, tmp_path / f"serve-{kill}.log", env={"DEFPORT_KG_QUERY_WORKERS": "1"})
        in_flight: list[str] = []
        stop = threading.Event()

        def writer(url: str = server.url, flight: list[str] = in_flight, halt: threading.Event = stop) -> None:
            nonlocal counter
            with httpx.Client(timeout=60) as client:
                while not halt.is_set():
                    counter += 1
                    tag = f"k{counter}"
                    flight[:] = [tag]
                    try:
                        response = client.post(url + "/api/imports", content=_batch(tag), headers=headers)
                    except httpx.HTTPError:
                        return  # the server was killed under this request
                    if response.status_code == 201:
                        answered.append(tag)
                        flight[:] = []

        thread = threading.Thread(target=writer, daemon=True)
        thread.start()
        time.sleep(rng.uniform(0.3, 2.5))
        os.killpg(server.process.pid, signal.SIGKILL)  # the service and its query workers
        server.process.wait(30)
        stop.set()
        thread.join(60)
        assert not thread.is_alive()

        with EmbeddedStore.open(store_dir) as store:  # opening undoes an interrupted commit
            assert store.check() == [], f"after kill {kill}"
            assert check_imports(store) == [], f"after kill {kill}"
            live = [r for r in list_imports(store) if r.status == STATUS_LIVE]
            assert len(live) >= len(answered), f"an answered import is not live after kill {kill}"
            assert all(_orgs_of(store, tag) == ORGS_PER_BATCH for tag in answered), f"after kill {kill}"
            for tag in in_flight:  # all or nothing
                assert _orgs_of(store, tag) in (0, ORGS_PER_BATCH), f"half an import {tag} after kill {kill}"
    assert answered, "no import was answered before the kills: the test proved nothing"
    # The service starts again on the store after all that, and takes an import.
    server = serve(store_dir, tmp_path / "serve-final.log")
    try:
        final = httpx.post(server.url + "/api/imports", content=_batch("final"), headers=headers, timeout=60)
        assert final.status_code == 201, final.text
    finally:
        os.killpg(server.process.pid, signal.SIGTERM)
        server.process.wait(30)
