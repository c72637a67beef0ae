"""Steward templates: CSV files and an XLSX workbook become RDF with stable IRIs; wrong cells are
reported with sheet, row and column; cells are data, never formulas."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pyoxigraph as ox
import pytest

from defport_kg.errors import TemplateError, ValidationFailed
from defport_kg.imports import import_files, read_file, read_files
from defport_kg.imports.export import report_csv
from defport_kg.store import EmbeddedStore
from defport_kg.templates import SHEETS, read_template, to_rdf, write_csv_templates, write_xlsx_template, xlsx_bytes
from defport_kg.templates.docs import render
from tests.conftest import ROOT
from tests.imports.conftest import DP, ID, TEMPLATE_CSVS, template_workbook, workbook, write

TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def _triples(quads: list[ox.Quad]) -> set[tuple[str, str, str]]:
    return {(str(q.subject), str(q.predicate), str(q.object)) for q in quads}


def _csv_files(folder: Path) -> list[Path]:
    return [write(folder, name, text) for name, text in TEMPLATE_CSVS.items()]


def test_csv_templates_import_with_stable_iris(store: EmbeddedStore, tmp_path: Path) -> None:
    result = import_files(store, _csv_files(tmp_path))
    assert result.committed, result.report.to_text()
    rows = store.select(
        """PREFIX dp: <https://w3id.org/defport/ontology#>
        SELECT ?r ?supplier ?share WHERE { ?r dp:item <https://w3id.org/defport/id/item/prism> ;
          dp:supplier ?supplier ; dp:share ?share }"""
    )
    assert rows == [
        {"r": ID + "supply/acme-optics--prism--acme-delft", "supplier": ID + "org/acme-optics", "share": 0.6}
    ]
    # A name without an id gives the id; a reference by name finds the same IRI.
    assert store.ask(
        f"ASK {{ <{ID}supply/boreal-glassworks-ab--optical-glass> <{DP}supplier> <{ID}org/boreal-glassworks-ab> }}"
    )
    # Components with a quantity are dp:ComponentUse nodes, and imply dp:hasComponent.
    [use] = store.select(
        """PREFIX dp: <https://w3id.org/defport/ontology#>
        SELECT ?u ?q WHERE { ?u a dp:ComponentUse ; dp:assembly <https://w3id.org/defport/id/item/periscope> ;
          dp:component <https://w3id.org/defport/id/item/prism> ; dp:quantity ?q }"""
    )
    assert use == {"u": ID + "item/periscope/use/prism", "q": 2.0}
    assert store.ask(f"ASK {{ <{ID}item/periscope> <{DP}hasComponent> <{ID}item/optical-glass> }}")
    assert store.ask(
        f"ASK {{ <{ID}capability/periscope-optics> <http://www.w3.org/2004/02/skos/core#prefLabel> "
        f'"Periscoopoptiek"@nl }}'
    )


def test_the_same_sheet_always_gives_the_same_graph(tmp_path: Path) -> None:
    first = read_files(_csv_files(tmp_path / "a"))
    second = read_files(_csv_files(tmp_path / "b"))
    assert _triples([q for s in first for q in s.quads]) == _triples([q for s in second for q in s.quads])
    assert not any(isinstance(q.subject, ox.BlankNode) for s in first for q in s.quads)


def test_a_workbook_gives_the_same_graph_as_the_csv_files(tmp_path: Path) -> None:
    from_csv = read_files(_csv_files(tmp_path))
    from_xlsx = read_file(write(tmp_path, "book.xlsx", template_workbook()))
    assert _triples(from_xlsx.quads) == _triples([q for s in from_csv for q in s.quads])
    assert from_xlsx.media_type.endswith("spreadsheetml.sheet")


def test_a_workbook_imports(store: EmbeddedStore, tmp_path: Path) -> None:
    result = import_files(store, [write(tmp_path, "suppliers.xlsx", template_workbook())])
    assert result.committed and result.sources[0]["source"].endswith("suppliers.xlsx")
    assert store.ask(f"ASK {{ <{ID}org/acme-optics> a <{DP}Company> }}")


def test_reimporting_a_corrected_sheet_replaces_like_with_like(store: EmbeddedStore, tmp_path: Path) -> None:
    first = import_files(store, _csv_files(tmp_path))
    corrected = TEMPLATE_CSVS["supply.csv"].replace('"0,6"', "0.5")
    files = [*_csv_files(tmp_path), write(tmp_path, "supply.csv", corrected)]
    second = import_files(store, [*files[:-2], files[-1]], replace="organisations.csv")
    assert second.replaced == [first.graph]
    shares = store.select(f"SELECT ?s WHERE {{ ?r <{DP}item> <{ID}item/prism> ; <{DP}share> ?s }}")
    assert shares == [{"s": 0.5}]
    assert store.check() == []


def test_csv_template_named_explicitly_and_with_semicolons(store: EmbeddedStore, tmp_path: Path) -> None:
    dutch = "id;name;type;country\nexample-bv;Voorbeeld B.V.;Company;NL\n"
    path = write(tmp_path, "export-2025.csv", dutch)
    [source] = read_files([path], template="organisations")
    assert (ID + "org/example-bv", TYPE, DP + "Company") in {
        (q.subject.value, q.predicate.value, q.object.value) for q in source.quads
    }


def test_wrong_cells_are_all_reported_with_sheet_row_and_column(store: EmbeddedStore, tmp_path: Path) -> None:
    bad = (
        "supplier,item,share,lead_time_days,valid_from,confidence\n"
        "acme-optics,prism,a lot,90,2025-01-01,Disclosed\n"
        "acme-optics,lens,0.2,12.5,31/01/2025,Maybe\n"
        ",lens,0.1,,,\n"
    )
    with pytest.raises(TemplateError) as caught:
        import_files(store, [write(tmp_path, "supply.csv", bad)])
    problems = caught.value.details["problems"]
    cells = {(p["row"], p["column"], p["cell"]) for p in problems}
    assert cells == {
        (2, "share", "C2"),
        (3, "lead_time_days", "D3"),
        (3, "valid_from", "E3"),
        (3, "confidence", "F3"),
        (4, "supplier", None),
    }
    assert "supply.csv row 2, column share (C2)" in caught.value.message
    assert "'a lot' is not a number" in caught.value.message


def test_wrong_cells_in_a_workbook_name_the_sheet(tmp_path: Path) -> None:
    book = workbook({"items": [["id", "name", "type", "stock_days"], ["x", "X", "Gadget", "=A1*2"]]})
    with pytest.raises(TemplateError) as caught:
        read_file(write(tmp_path, "book.xlsx", book))
    message = caught.value.message
    assert "book.xlsx!items row 2, column type (C2)" in message
    assert "is not one of System, Component, Material" in message
    assert "book.xlsx!items row 2, column stock_days (D2)" in message and "formulas are not evaluated" in message


def test_a_formula_is_data_never_evaluated(tmp_path: Path) -> None:
    book = workbook(
        {
            "organisations": [
                ["name", "type", "country"],
                ['=HYPERLINK("http://x")', "Company", "NL"],
                ["@SUM(1+1)", "Company", "NL"],
            ]
        }
    )
    source = read_file(write(tmp_path, "book.xlsx", book))
    labels = {q.object.value for q in source.quads if q.predicate.value.endswith("#label")}
    assert labels == {'=HYPERLINK("http://x")', "@SUM(1+1)"}


def test_exported_reports_neutralise_formula_text(store: EmbeddedStore, tmp_path: Path) -> None:
    organisations = "id,name,type,country,kvk_number\nevil,=cmd|' /C calc'!A0,Company,NL,+31123\n"
    with pytest.raises(ValidationFailed) as caught:
        import_files(store, [write(tmp_path, "organisations.csv", organisations)])
    exported = report_csv(caught.value.report)
    values = [row["value"] for row in csv.DictReader(io.StringIO(exported))]
    assert "'+31123" in values
    assert not any(v.startswith(("=", "+", "-", "@")) for row in csv.reader(io.StringIO(exported)) for v in row)


def test_shacl_results_point_at_the_cell(store: EmbeddedStore, tmp_path: Path) -> None:
    supply = "supplier,item,share\nnobody-we-know,prism,0.5\n"
    items = "id,name,type\nprism,Prism,Component\n"
    with pytest.raises(ValidationFailed) as caught:
        import_files(store, [write(tmp_path, "items.csv", items), write(tmp_path, "supply.csv", supply)])
    located = {r.location for r in caught.value.report.results if r.severity == "Violation"}
    assert "supply.csv row 2, column supplier (A2)" in located


def test_written_templates_hold_a_header_and_an_example_row(tmp_path: Path) -> None:
    paths = write_csv_templates(tmp_path / "csv")
    assert sorted(p.name for p in paths) == sorted(f"{s.name}.csv" for s in SHEETS)
    for sheet, path in zip(SHEETS, paths, strict=True):
        rows = list(csv.reader(path.open(encoding="utf-8")))
        assert rows[0] == sheet.headers and rows[1] == sheet.example_row
        # Read back, the example row is recognised: an untouched template imports nothing.
        [raw] = read_template(path.read_bytes(), path.name)
        assert raw.rows == [] and raw.skipped_example
    book = write_xlsx_template(tmp_path / "t.xlsx")
    sheets = read_template(book.read_bytes(), book.name)
    assert [s.sheet.name for s in sheets] == [s.name for s in SHEETS]
    assert all(s.rows == [] and s.skipped_example for s in sheets)


def test_written_workbook_has_no_formula_cells() -> None:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(xlsx_bytes()))
    assert not [c.coordinate for ws in book.worksheets for row in ws.iter_rows() for c in row if c.data_type == "f"]


def test_filled_in_example_rows_import(store: EmbeddedStore, tmp_path: Path) -> None:
    """The examples of the templates are consistent with each other and with the shapes."""
    files = []
    for sheet in SHEETS:
        row = ",".join(f'"{v}"' for v in sheet.example_row).replace("example-", "ex-")  # not the example row
        files.append(write(tmp_path, f"{sheet.name}.csv", ",".join(sheet.headers) + "\n" + row + "\n"))
    result = import_files(store, files)
    assert result.committed, result.report.to_text()


def test_docs_templates_md_is_generated_from_the_columns() -> None:
    assert (ROOT / "docs" / "templates.md").read_text(encoding="utf-8") == render(), (
        "docs/templates.md is out of date: run `python -m defport_kg.templates docs/templates.md`"
    )


def test_to_rdf_of_nothing_is_empty() -> None:
    assert to_rdf([]).quads == []
