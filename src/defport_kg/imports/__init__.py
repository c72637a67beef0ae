"""Data-steward imports: read (RDF or steward templates), validate in context, commit atomically
with provenance; and the history that follows (list, show, diff, rollback), upgrades and checks.
"""

from defport_kg.imports.history import diff, list_imports, resolve, rollback, show
from defport_kg.imports.integrity import check_imports
from defport_kg.imports.pipeline import (
    ImportResult,
    import_files,
    import_parsed,
    import_sources,
    parse_inputs,
    validate_sources,
)
from defport_kg.imports.sources import ImportSource, read_bytes, read_file, read_files
from defport_kg.imports.upgrade import UpgradeResult, upgrade

__all__ = [
    "ImportResult",
    "ImportSource",
    "UpgradeResult",
    "check_imports",
    "diff",
    "import_files",
    "import_parsed",
    "import_sources",
    "list_imports",
    "parse_inputs",
    "read_bytes",
    "read_file",
    "read_files",
    "resolve",
    "rollback",
    "show",
    "upgrade",
    "validate_sources",
]
