"""Every kind of bad input gets its own clear error and leaves the store exactly as it was
(every quad of every graph compared before and after)."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest

from defport_kg.errors import (
    DefportError,
    InputError,
    InputTooLargeError,
    NotFoundError,
    TemplateError,
    UnsafeInputError,
    UnsupportedFormatError,
    UsageError,
    ValidationFailed,
)
from defport_kg.imports import import_files
from defport_kg.store import EmbeddedStore
from tests.imports.conftest import BATCH, ID, serialised, snapshot, template_workbook, workbook, write

PREFIXES = BATCH.read_text().split("\n\n")[0] + "\n\n"


def _zip_bomb(size: int) -> bytes:
    """A workbook-shaped zip whose one sheet unpacks to ``size`` bytes of zeros."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as part:
            chunk = b"\0" * (1 << 20)
            for _ in range(size >> 20):
                part.write(chunk)
    return out.getvalue()


def _entity_workbook() -> bytes:
    book = io.BytesIO(template_workbook())
    out = io.BytesIO()
    with zipfile.ZipFile(book) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/workbook.xml":
                data = b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]>' + data.split(b"?>", 1)[-1]
            target.writestr(item, data)
    return out.getvalue()


# name -> (files to write, expected error, text the message must contain, settings)
CASES: dict[str, tuple[dict[str, str | bytes], type[DefportError], str, dict[str, object]]] = {
    "turtle-syntax": (
        {"bad.ttl": PREFIXES + 'dpid:org\\/x a dp:Company ;\n  rdfs:label "X" \n dp:country .'},
        InputError,
        "bad.ttl:",
        {},
    ),
    "unknown-extension": ({"data.xyz": "whatever"}, UnsupportedFormatError, "unknown RDF format 'xyz'", {}),
    "missing-file": ({}, InputError, "no such file", {}),
    "rdfxml-doctype": (
        {
            "bomb.rdf": '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa">]>'
            '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>'
        },
        UnsafeInputError,
        "DOCTYPE",
        {},
    ),
    "jsonld-remote-context": (
        {"remote.jsonld": json.dumps({"@context": "https://example.org/ctx.jsonld", "@id": "x"})},
        UnsafeInputError,
        "never fetched",
        {},
    ),
    "not-utf8": ({"latin.nt": b'<http://a> <http://b> "\xff\xfe" .\n'}, InputError, "latin.nt", {}),
    "too-many-bytes": (
        {"big.ttl": serialised(ox.RdfFormat.TURTLE)},
        InputTooLargeError,
        "DEFPORT_KG_MAX_INPUT_BYTES",
        {"max_input_bytes": 100},
    ),
    "too-many-triples": (
        {"batch.ttl": BATCH.read_text()},
        InputTooLargeError,
        "DEFPORT_KG_MAX_IMPORT_TRIPLES",
        {"max_import_triples": 5},
    ),
    "violations": (
        {
            "ghost.ttl": PREFIXES + "dpid:supply\\/ghost a dp:SupplyRelation ; dp:supplier dpid:org\\/nobody ;"
            " dp:item dpid:item\\/nothing ."
        },
        ValidationFailed,
        "violation(s): nothing was stored",
        {},
    ),
    "second-file-bad": ({"good.ttl": BATCH.read_text(), "bad.nt": "<http://a> <http://b> ."}, InputError, "bad.nt", {}),
    "template-wrong-cell": (
        {"supply.csv": "supplier,item,share\nacme,prism,half\n"},
        TemplateError,
        "supply.csv row 2, column share (C2)",
        {},
    ),
    "template-unknown-column": (
        {"organisations.csv": "name,type,country,colour\nX,Company,NL,red\n"},
        TemplateError,
        "unknown column 'colour'",
        {},
    ),
    "template-missing-column": (
        {"organisations.csv": "name,type\nX,Company\n"},
        TemplateError,
        "required column 'country' is missing",
        {},
    ),
    "template-duplicate-row": (
        {"items.csv": "id,name,type\nx,X,System\nx,X again,System\n"},
        TemplateError,
        "items.csv row 2, column id",
        {},
    ),
    "template-unknown-kind": ({"inventory.csv": "a,b\n1,2\n"}, UsageError, "cannot tell which template", {}),
    "template-formula-number": (
        {"book.xlsx": workbook({"items": [["name", "type", "stock_days"], ["X", "System", "=1/0"]]})},
        TemplateError,
        "formulas are not evaluated",
        {},
    ),
    "template-unknown-sheet": (
        {"book.xlsx": workbook({"prices": [["a"], ["1"]]})},
        TemplateError,
        "unknown sheet 'prices'",
        {},
    ),
    "xlsx-not-a-zip": ({"book.xlsx": b"PK not really a workbook"}, InputError, "not an XLSX workbook", {}),
    "xlsx-zip-bomb-total": (
        {"bomb.xlsx": _zip_bomb(8 << 20)},
        InputTooLargeError,
        "unpacks to",
        {"max_xlsx_uncompressed_bytes": 4 << 20},
    ),
    "xlsx-zip-bomb-ratio": ({"bomb.xlsx": _zip_bomb(4 << 20)}, UnsafeInputError, "zip bomb", {}),
    "xlsx-entity": ({"book.xlsx": _entity_workbook()}, UnsafeInputError, "DOCTYPE", {}),
    "template-too-many-rows": (
        {"organisations.csv": "name,type,country\n" + "X,Company,NL\n" * 5},
        InputTooLargeError,
        "DEFPORT_KG_MAX_TEMPLATE_ROWS",
        {"max_template_rows": 2},
    ),
    "empty-template": ({"organisations.csv": "id,name,type,country\n"}, UsageError, "nothing to import", {}),
    "replace-unknown-source": ({"batch.ttl": BATCH.read_text()}, NotFoundError, "no live import of the source", {}),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_is_refused_and_the_store_is_unchanged(
    store: EmbeddedStore, tmp_path: Path, settings_env: Callable[..., None], case: str
) -> None:
    files, error, fragment, settings = CASES[case]
    paths = [write(tmp_path, name, content) for name, content in files.items()] or [tmp_path / "absent.ttl"]
    settings_env(**settings)
    before = snapshot(store)
    with pytest.raises(error) as caught:
        import_files(store, paths, replace="earlier.ttl" if case == "replace-unknown-source" else None)
    assert fragment in caught.value.message, caught.value.message
    assert snapshot(store) == before
    assert store.check() == []


def test_a_violation_report_names_what_where_and_why(store: EmbeddedStore, tmp_path: Path) -> None:
    text = PREFIXES + (
        "dpid:supply\\/ghost\n    a dp:SupplyRelation ;\n    dp:supplier dpid:org\\/nobody ;\n"
        "    dp:item dpid:item\\/prism ;\n    dp:share 1.5 .\n"
    )
    with pytest.raises(ValidationFailed) as caught:
        import_files(store, [write(tmp_path, "ghost.ttl", text)])
    report = caught.value.report
    by_path = {r.result_path: r for r in report.results if r.severity == "Violation"}
    share = by_path["https://w3id.org/defport/ontology#share"]
    assert share.focus_node == ID + "supply/ghost" and share.value == "1.5"
    assert share.message_en and share.message_nl and share.message_en != share.message_nl
    assert share.source_shape and share.location.endswith("/ghost.ttl:11")
    assert by_path["https://w3id.org/defport/ontology#supplier"].location.endswith("/ghost.ttl:9")
    assert report.to_json()["counts"]["Violation"] >= 2
    assert "sh:ValidationReport" in report.to_turtle() or "ValidationReport" in report.to_turtle()


def test_warnings_do_not_block(store: EmbeddedStore, tmp_path: Path) -> None:
    text = PREFIXES + 'dpid:org\\/no-kvk a dp:Company ; rdfs:label "No KvK B.V." ; dp:country dpid:country\\/NL .\n'
    result = import_files(store, [write(tmp_path, "warn.ttl", text)])
    assert result.committed and result.report.warning_count == 1
    assert result.report.results[0].location.endswith("/warn.ttl:7")


def test_results_are_capped_per_shape(store: EmbeddedStore, tmp_path: Path, settings_env: Callable[..., None]) -> None:
    settings_env(max_report_results_per_shape=3)
    text = PREFIXES + "".join(f"dpid:org\\/o{i} a dp:Company ; dp:country dpid:country\\/NL .\n" for i in range(8))
    with pytest.raises(ValidationFailed) as caught:
        import_files(store, [write(tmp_path, "many.ttl", text)])
    report = caught.value.report
    assert report.violation_count == 8
    assert sum(report.omitted.values()) >= 5
    assert "more results" in report.to_text() or "more result" in report.to_text()
