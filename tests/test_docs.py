"""Generated docs are current, and every command is documented (sqlite-utils habit)."""

from __future__ import annotations

import pytest

from defport_kg.docgen import cli_reference, readme_with_settings, settings_table
from tests.conftest import ROOT


def test_cli_reference_is_current() -> None:
    assert (ROOT / "docs" / "cli.md").read_text(encoding="utf-8") == cli_reference(), (
        "docs/cli.md is stale: run `python -m defport_kg.docgen`"
    )


def test_settings_reference_is_current() -> None:
    assert (ROOT / "docs" / "settings.md").read_text(encoding="utf-8") == settings_table(), (
        "docs/settings.md is stale: run `python -m defport_kg.docgen`"
    )


def test_readme_settings_block_is_current() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert readme_with_settings(readme) == readme, "README settings are stale: run `python -m defport_kg.docgen`"


@pytest.mark.parametrize(
    "command",
    [
        "init",
        "import",
        "validate",
        "query",
        "find",
        "serve",
        "backup",
        "restore",
        "check",
        "risk cut-sets",
        "risk spof",
        "scale max-output",
        "keys add",
    ],
)
def test_every_contract_command_appears_in_readme(command: str) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"defport-kg {command}" in readme
