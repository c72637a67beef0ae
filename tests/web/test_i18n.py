"""The interface's own strings: both languages for every key, and every key used exists."""

from __future__ import annotations

import re

import pytest

from defport_kg.web import STATIC_DIR, TEMPLATES_DIR, i18n
from defport_kg.web.named_queries import named_queries


def test_every_string_has_english_and_dutch_with_the_same_placeholders() -> None:
    for key, entry in i18n.STRINGS.items():
        assert set(entry) == set(i18n.LANGUAGES), key
        assert all(entry[lang].strip() for lang in i18n.LANGUAGES), key
        assert set(re.findall(r"\{(\w+)\}", entry["en"])) == set(re.findall(r"\{(\w+)\}", entry["nl"])), key


def test_every_key_used_by_a_template_or_script_exists() -> None:
    used: set[str] = set()
    for template in TEMPLATES_DIR.glob("*.html"):
        used.update(re.findall(r"\bt\('([a-z_A-Z0-9]+)'", template.read_text(encoding="utf-8")))
    for script in (STATIC_DIR / "js").glob("*.js"):
        used.update(re.findall(r'\bt\("([a-z_A-Z0-9]+)"', script.read_text(encoding="utf-8")))
    assert len(used) > 50
    # A key ending in "_" is a prefix completed at run time ('kind_' ~ kind): some key must start with it.
    prefixes = {k for k in used if k.endswith("_")}
    assert [p for p in prefixes if not any(k.startswith(p) for k in i18n.STRINGS)] == []
    assert sorted(used - prefixes - set(i18n.STRINGS)) == []


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, "en"),
        ("", "en"),
        ("nl", "nl"),
        ("nl-BE,en;q=0.5", "nl"),
        ("en-GB,nl;q=0.8", "en"),
        ("de,nl;q=0.3", "nl"),
        ("fr", "en"),
        ("nl;q=0, en", "en"),
        ("nl;q=garbage", "en"),
    ],
)
def test_accept_language(header: str | None, expected: str) -> None:
    assert i18n.from_accept_language(header) == expected


def test_translator_formats_and_refuses_unknown_keys() -> None:
    t = i18n.translator("nl")
    assert t("search_results", count=3, q="radar") == "3 resultaten voor “radar”"
    assert i18n.translator("xx")("nav_search") == "Search"
    with pytest.raises(KeyError):
        t("no_such_key")


def test_named_queries_prefill_their_defaults_as_values() -> None:
    queries = {q["name"]: q for q in named_queries()}
    if "bill-of-materials" not in queries:
        pytest.skip("the named query library is not installed")
    bom = queries["bill-of-materials"]
    assert "VALUES (?_item) { (<https://w3id.org/defport/id/item/ex-155mm-round>) }" in bom["text"]
    assert bom["parameters"][0]["name"] == "item"
    assert any(q["group"] == "qc" for q in queries.values())
