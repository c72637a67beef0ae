"""Import inputs of every kind, read into triples with what provenance and positions need.

An input is an RDF file (Turtle, TriG, N-Triples, N-Quads, JSON-LD, RDF/XML) or a steward template
(a CSV file, an XLSX workbook). Every input is read in full before anything is validated or
stored, so that one unreadable file stops the batch; limits are checked before reading where the
size is known (file size, Content-Length) and again on what was read.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from defport_kg.errors import InputError, InputTooLargeError, UnsupportedFormatError, UsageError
from defport_kg.imports.locate import Locator, RdfLocator, TemplateLocator
from defport_kg.rdfio import MEDIA_TYPES, ParsedInput, format_for, parse_bytes
from defport_kg.settings import Settings, get_settings
from defport_kg.templates import XLSX_MEDIA_TYPE, is_template, read_template, to_rdf

# How each RDF format is named in reports and provenance (its media type).
FORMAT_MEDIA: dict[ox.RdfFormat, str] = {
    ox.RdfFormat.TURTLE: "text/turtle",
    ox.RdfFormat.TRIG: "application/trig",
    ox.RdfFormat.N_TRIPLES: "application/n-triples",
    ox.RdfFormat.N_QUADS: "application/n-quads",
    ox.RdfFormat.JSON_LD: "application/ld+json",
    ox.RdfFormat.RDF_XML: "application/rdf+xml",
}
CSV_MEDIA_TYPE = "text/csv"
TEMPLATE_MEDIA_TYPES = (CSV_MEDIA_TYPE, XLSX_MEDIA_TYPE, "application/vnd.ms-excel")


@dataclass
class ImportSource:
    """One input of a batch: its triples, its name and digest, and how to find positions in it."""

    name: str  # the file name (or upload name) as the user knows it
    media_type: str
    quads: list[ox.Quad]
    sha256: str
    size: int
    graph_names: list[str] = field(default_factory=list)  # TriG/N-Quads graph names (kept in provenance)
    locator: Locator | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def source(self) -> str:  # the name ParsedInput uses
        return self.name

    @property
    def kind(self) -> str:
        if self.media_type == XLSX_MEDIA_TYPE:
            return "xlsx"
        if self.media_type == CSV_MEDIA_TYPE:
            return "csv"
        return "rdf"

    def summary(self) -> dict[str, object]:
        return {
            "source": self.name,
            "media_type": self.media_type,
            "sha256": self.sha256,
            "bytes": self.size,
            "triples": len(self.quads),
            "graphs": self.graph_names,
            "notes": self.notes,
        }


def from_parsed(parsed: ParsedInput, data: bytes | None = None) -> ImportSource:
    """An already-parsed RDF input (``rdfio.parse_bytes``) as an import source."""
    return ImportSource(
        name=parsed.source,
        media_type=FORMAT_MEDIA.get(parsed.format, "application/octet-stream"),
        quads=parsed.quads,
        sha256=parsed.sha256,
        size=parsed.size,
        graph_names=list(parsed.graph_names),
        locator=RdfLocator(parsed.source, data, parsed.format) if data is not None else None,
    )


def _check_size(size: int, name: str, settings: Settings | None = None) -> None:
    limit = (settings or get_settings()).max_input_bytes
    if size > limit:
        raise InputTooLargeError(
            f"input of {size} bytes exceeds the limit of {limit} bytes (setting DEFPORT_KG_MAX_INPUT_BYTES)",
            source=name,
        )


def read_bytes(
    data: bytes,
    name: str,
    *,
    media_type: str | None = None,
    rdf_format: str | None = None,
    template: str | None = None,
    settings: Settings | None = None,
) -> ImportSource:
    """Read one input from its bytes; ``media_type`` (HTTP) or the name's extension picks the reader."""
    _check_size(len(data), name, settings)
    base = (media_type or "").split(";", 1)[0].strip().lower()
    if base in TEMPLATE_MEDIA_TYPES or (not base and rdf_format is None and is_template(name)):
        return _read_template(data, name, base, template)
    if template:
        raise UsageError(f"--template applies to CSV files, not to {name}")
    if base:
        if base not in MEDIA_TYPES:
            raise UnsupportedFormatError(
                f"unsupported Content-Type {base!r}: send RDF ({', '.join(sorted(MEDIA_TYPES))}), "
                f"{CSV_MEDIA_TYPE} with ?template=..., or {XLSX_MEDIA_TYPE}"
            )
        fmt = MEDIA_TYPES[base]
    else:
        fmt = format_for(name, rdf_format)
    parsed = parse_bytes(data, fmt, name, max_bytes=(settings or get_settings()).max_input_bytes)
    return from_parsed(parsed, data)


def _read_template(data: bytes, name: str, media_type: str, template: str | None) -> ImportSource:
    if media_type in (XLSX_MEDIA_TYPE, "application/vnd.ms-excel") and not name.lower().endswith(".xlsx"):
        name = name + ".xlsx" if "." not in Path(name).name else str(Path(name).with_suffix(".xlsx"))
    elif media_type == CSV_MEDIA_TYPE and not name.lower().endswith(".csv"):
        name = name + ".csv"
    if name.lower().endswith(".xls"):
        raise UnsupportedFormatError("old .xls workbooks are not read: save the workbook as .xlsx", source=name)
    sheets = read_template(data, name, template=template)
    graph = to_rdf(sheets)
    media = XLSX_MEDIA_TYPE if name.lower().endswith(".xlsx") else CSV_MEDIA_TYPE
    return ImportSource(
        name=name,
        media_type=media,
        quads=graph.quads,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        locator=TemplateLocator(graph),
        notes=graph.notes,
    )


def read_file(path: str | Path, *, rdf_format: str | None = None, template: str | None = None) -> ImportSource:
    """Read one file; its size is checked before it is read."""
    path = Path(path)
    try:
        size = path.stat().st_size
        _check_size(size, str(path))
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError("no such file", source=str(path)) from None
    except IsADirectoryError:
        raise InputError("is a folder, not a file", source=str(path)) from None
    except PermissionError:
        raise InputError("permission denied", source=str(path)) from None
    return read_bytes(data, str(path), rdf_format=rdf_format, template=template)


def read_files(
    paths: Sequence[str | Path], *, rdf_format: str | None = None, template: str | None = None
) -> list[ImportSource]:
    """Every file of a batch, read before anything else happens; the batch limits are checked here."""
    if not paths:
        raise UsageError("nothing to import: give at least one file")
    sources = [read_file(p, rdf_format=rdf_format, template=template) for p in paths]
    check_batch_limits(sources)
    return sources


def check_batch_limits(sources: Sequence[ImportSource], settings: Settings | None = None) -> None:
    settings = settings or get_settings()
    total_bytes = sum(s.size for s in sources)
    if total_bytes > settings.max_input_bytes:
        raise InputTooLargeError(
            f"the batch holds {total_bytes} bytes, above the limit of {settings.max_input_bytes} "
            "(setting DEFPORT_KG_MAX_INPUT_BYTES)"
        )
    total = sum(len(s.quads) for s in sources)
    if total > settings.max_import_triples:
        raise InputTooLargeError(
            f"the batch holds {total} triples, above the limit of {settings.max_import_triples} "
            "(setting DEFPORT_KG_MAX_IMPORT_TRIPLES)"
        )
