"""Data-steward imports: parse, validate in context, commit atomically with provenance."""

from defport_kg.imports.pipeline import ImportResult, import_files, import_parsed, parse_inputs

__all__ = ["ImportResult", "import_files", "import_parsed", "parse_inputs"]
