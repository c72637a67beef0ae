"""Shared fixtures: real stores (in memory or on disk), never mocks."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from defport_kg.bootstrap import initialise
from defport_kg.rdfio import parse_bytes
from defport_kg.store import EmbeddedStore

ROOT = Path(__file__).resolve().parent.parent

# Tests of the features before confidentiality read their data without keys: in the test
# environment an anonymous caller is cleared for every level (still through a per-clearance view,
# so every such test also checks that views are transparent). The product's default is "public";
# tests/access sets the clearances it tests explicitly.
os.environ.setdefault("DEFPORT_KG_ANONYMOUS_CLEARANCE", "restricted")
os.environ.setdefault("DEFPORT_KG_DEFAULT_KEY_CLEARANCE", "restricted")
CLI = [sys.executable, "-m", "defport_kg"]

PREFIXES = """@prefix dp: <https://w3id.org/defport/ontology#> .
@prefix dpid: <https://w3id.org/defport/id/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix o: <https://w3id.org/defport/id/org/> .
@prefix i: <https://w3id.org/defport/id/item/> .
@prefix s: <https://w3id.org/defport/id/supply/> .
@prefix site: <https://w3id.org/defport/id/site/> .
@prefix c: <https://w3id.org/defport/id/country/> .
"""


def turtle_quads(text: str, source: str = "test.ttl") -> list:
    import pyoxigraph as ox

    return parse_bytes((PREFIXES + text).encode(), ox.RdfFormat.TURTLE, source).quads


@pytest.fixture
def memory_store() -> Iterator[EmbeddedStore]:
    store = EmbeddedStore.in_memory()
    yield store
    store.close()


@pytest.fixture(scope="session")
def _reference_store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("reference-store")
    store = EmbeddedStore.open(directory / "store", create=True)
    initialise(store, example=False)
    store.close()
    return directory / "store"


@pytest.fixture(scope="session")
def _example_store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("example-store")
    store = EmbeddedStore.open(directory / "store", create=True)
    initialise(store, example=True)
    store.close()
    return directory / "store"


@pytest.fixture
def reference_store(_reference_store_dir: Path, tmp_path: Path) -> Iterator[EmbeddedStore]:
    """A private copy of an initialised store (ontology + reference data), open for the test."""
    target = tmp_path / "store"
    shutil.copytree(_reference_store_dir, target)
    store = EmbeddedStore.open(target)
    yield store
    store.close()


@pytest.fixture
def example_store(_example_store_dir: Path, tmp_path: Path) -> Iterator[EmbeddedStore]:
    """A private copy of a store initialised with the fictional example base."""
    target = tmp_path / "store"
    shutil.copytree(_example_store_dir, target)
    store = EmbeddedStore.open(target)
    yield store
    store.close()


@pytest.fixture(scope="session")
def example_store_readonly(
    _example_store_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[EmbeddedStore]:
    """One shared example store for tests that only read (faster than a copy per test)."""
    target = tmp_path_factory.mktemp("example-ro") / "store"
    shutil.copytree(_example_store_dir, target)
    store = EmbeddedStore.open(target)
    yield store
    store.close()


def run_cli(
    *args: str,
    store: Path | None = None,
    check: bool = False,
    input: str | None = None,
    env: dict[str, str] | None = None,
    timeout: float = 300,
) -> subprocess.CompletedProcess[str]:
    """Run the real `defport-kg` command in a subprocess (exit statuses are part of the contract)."""
    argv = [*CLI, *args]
    if store is not None:
        argv += ["--store", str(store)]
    full_env = {**os.environ, **(env or {})}
    result = subprocess.run(argv, capture_output=True, text=True, input=input, env=full_env, timeout=timeout, cwd=ROOT)
    if check and result.returncode != 0:
        raise AssertionError(f"{argv} exited {result.returncode}:\n{result.stdout}\n{result.stderr}")
    return result
