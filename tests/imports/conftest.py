"""Fixtures for the import tests: a real store with the reference data, the sample batch in every
format, filled-in templates, and a way to compare a whole store before and after."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from defport_kg.namespaces import SYSTEM_GRAPH_PREFIX
from defport_kg.settings import get_settings
from defport_kg.store import EmbeddedStore

DATA = Path(__file__).parent / "data"
BATCH = DATA / "batch.ttl"
DP = "https://w3id.org/defport/ontology#"
ID = "https://w3id.org/defport/id/"
# The sample batch's subjects (tests/imports/data/batch.ttl).
ACME = ID + "org/acme-optics"
PRISM = ID + "item/prism"
SUPPLY = ID + "supply/acme-optics--prism"


def snapshot(store: EmbeddedStore, *, with_audit: bool = True) -> set[str]:
    """Every quad of the store, in every graph (catalogue, live, sources, system): its whole state.

    ``with_audit=False`` leaves out the service's audit log, which records every request, refused
    ones too, on purpose."""
    quads = {str(q) for q in store.raw}
    if with_audit:
        return quads
    return {q for q in quads if not q.endswith(f"<{SYSTEM_GRAPH_PREFIX}audit>")}


def batch_quads(graph_names: bool = False) -> list[ox.Quad]:
    quads = list(ox.parse(path=str(BATCH), format=ox.RdfFormat.TURTLE))
    if not graph_names:
        return quads
    # Two named graphs, as a TriG or N-Quads upload from another system might carry them.
    return [
        ox.Quad(q.subject, q.predicate, q.object, ox.NamedNode(f"https://example.org/source/{i % 2}"))
        for i, q in enumerate(quads)
    ]


def serialised(fmt: ox.RdfFormat) -> bytes:
    """The sample batch in ``fmt`` (TriG and N-Quads with graph names)."""
    out = io.BytesIO()
    quads = batch_quads(graph_names=fmt.supports_datasets)
    items = quads if fmt.supports_datasets else [ox.Triple(q.subject, q.predicate, q.object) for q in quads]
    ox.serialize(items, out, fmt)
    return out.getvalue()


@pytest.fixture
def store(reference_store: EmbeddedStore) -> EmbeddedStore:
    """A private on-disk store with the ontology and reference data (tests/conftest.py)."""
    return reference_store


@pytest.fixture
def settings_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., None]]:
    """Set settings for one test (as environment variables, as a user would)."""

    def apply(**values: object) -> None:
        for key, value in values.items():
            monkeypatch.setenv(f"DEFPORT_KG_{key.upper()}", str(value))
        get_settings.cache_clear()

    yield apply
    get_settings.cache_clear()


def write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return path


# Filled-in templates describing the same things as the sample batch (and a bit more).
ORGANISATIONS_CSV = """id,name,type,country,kvk_number,capabilities,website
acme-optics,Acme Optics B.V.,Company,NL,87654321,sensors-and-radar,https://acme.example.org/
,Boreal Glassworks AB,Company,SE,,,
"""
SITES_CSV = """id,name,operator,country
acme-delft,"Acme Optics, Delft plant",acme-optics,NL
"""
ITEMS_CSV = """id,name,type,components,stock_days
periscope,Periscope,System,prism * 2; optical-glass,10
prism,Prism,Component,optical-glass * 0.5,
optical-glass,Optical glass,Material,,
"""
SUPPLY_CSV = """supplier,item,site,share,monthly_capacity,lead_time_days,confidence,valid_from
acme-optics,prism,acme-delft,"0,6",40,90,Disclosed,2025-01-01
Boreal Glassworks AB,optical-glass,,1,,,Inferred,
acme-optics,periscope,,1,,,,
"""
CAPABILITIES_CSV = """id,name,name_nl,broader
periscope-optics,Periscope optics,Periscoopoptiek,sensors-and-radar
"""
TEMPLATE_CSVS = {
    "organisations.csv": ORGANISATIONS_CSV,
    "sites.csv": SITES_CSV,
    "items.csv": ITEMS_CSV,
    "supply.csv": SUPPLY_CSV,
    "capabilities.csv": CAPABILITIES_CSV,
}


def workbook(sheets: dict[str, list[list[object]]]) -> bytes:
    """An XLSX workbook with these sheets (first row: the header); strings stay strings."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                cell = sheet.cell(row=r, column=c)
                if isinstance(value, str) and value.startswith("="):
                    cell.value = value  # openpyxl stores it as a formula: what a user typing it gets
                else:
                    cell.value = value
                    if isinstance(value, str):
                        cell.data_type = "s"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_rows(text: str) -> list[list[object]]:
    import csv

    return [list(row) for row in csv.reader(io.StringIO(text))]


def template_workbook() -> bytes:
    """The CSV templates above as one workbook (plus a README sheet, which is ignored)."""
    sheets: dict[str, list[list[object]]] = {"README": [["notes"], ["ignored"]]}
    for name, text in TEMPLATE_CSVS.items():
        sheets[name.removesuffix(".csv")] = csv_rows(text)
    return workbook(sheets)
