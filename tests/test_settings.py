"""Every setting is declared once, with a description, and documented in the README."""

from __future__ import annotations

from defport_kg.settings import Settings
from tests.conftest import ROOT


def test_every_setting_has_a_description() -> None:
    for name, field in Settings.model_fields.items():
        assert field.description, name


def test_every_setting_is_documented_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = [name for name in Settings.model_fields if f"DEFPORT_KG_{name.upper()}" not in readme]
    assert not missing, f"settings missing from README.md: {missing}"


def test_settings_come_from_the_environment(monkeypatch) -> None:
    monkeypatch.setenv("DEFPORT_KG_QUERY_TIMEOUT_SECONDS", "2.5")
    assert Settings().query_timeout_seconds == 2.5
