"""An import killed at any moment (SIGKILL) leaves the store exactly as before or exactly as after.

One import runs to the end (to time one on this machine); then fifteen are killed at seeded random
moments of that span — while parsing, validating, committing in one transaction, or bulk loading —
and after each the store is reopened (which undoes an interrupted bulk commit) and must pass its
checks and hold exactly the imports that committed, each complete.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

from defport_kg.imports import check_imports, list_imports
from defport_kg.store import STATUS_LIVE, EmbeddedStore
from tests.conftest import CLI, ROOT

RUNS = 15
ORGS_PER_BATCH = 2000


def _batch(folder: Path, tag: str) -> Path:
    dp, iri = "https://w3id.org/defport/ontology#", "https://w3id.org/defport/id/"
    lines = []
    for i in range(ORGS_PER_BATCH):
        org = f"<{iri}org/{tag}-{i}>"
        lines += [
            f"{org} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{dp}Company> .",
            f'{org} <http://www.w3.org/2000/01/rdf-schema#label> "Org {tag} {i}" .',
            f"{org} <{dp}country> <{iri}country/DE> .",
        ]
    path = folder / f"{tag}.nt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.slow
def test_sigkill_at_any_moment_leaves_before_or_after(_reference_store_dir: Path, tmp_path: Path) -> None:
    store_dir = tmp_path / "store"
    shutil.copytree(_reference_store_dir, store_dir)
    with EmbeddedStore.open(store_dir) as store:
        base_live = store.triple_count()
    rng = random.Random(20250327)
    finished = killed = 0
    previous: Path | None = None
    duration = 0.0
    for run in range(RUNS + 1):
        path = _batch(tmp_path, f"run{run}")
        argv = [*CLI, "import", str(path), "--store", str(store_dir)]
        if previous is not None and run % 5 == 4:
            argv += ["--replace", previous.name]  # a replacement killed mid-way, too
        # Odd runs commit by bulk loading (with its recovery on open), even runs in one transaction.
        env = {**os.environ, "DEFPORT_KG_BULK_COMMIT_MIN_TRIPLES": "1000" if run % 2 else "100000000"}
        started = time.perf_counter()
        process = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        if run == 0:  # the first import runs to the end: how long one takes on this machine
            process.wait(timeout=300)
            duration = time.perf_counter() - started
        else:  # the others are killed at a random moment of that span
            time.sleep(rng.uniform(0.1, 1.0) * duration)
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
            killed += 1
        else:
            finished += 1
        _out, err = process.communicate(timeout=120)
        if process.returncode == 0:
            previous = path
        else:
            assert process.returncode == -signal.SIGKILL, err.decode()

        with EmbeddedStore.open(store_dir) as store:  # opening undoes what an interrupted commit left
            assert store.check() == [], f"run {run}"
            assert check_imports(store) == [], f"run {run}"
            records = list_imports(store)
            # Every import in the history is complete; the live data is the base plus the live ones.
            live = [r for r in records if r.status == STATUS_LIVE]
            assert store.triple_count() == base_live + sum(r.triple_count or 0 for r in live), f"run {run}"
            assert all(r.triple_count == 3 * ORGS_PER_BATCH for r in records)
            names = [s for r in records for s in r.sources]
            if process.returncode == 0:
                assert path.name in names, f"run {run} finished but its import is missing"
            if path.name in names:
                previous = path
    assert killed >= 5 and finished >= 1, (killed, finished)  # both outcomes were exercised
