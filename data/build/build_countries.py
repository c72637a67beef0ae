"""Build data/reference/countries.ttl: every ISO 3166-1 country, the EU and NATO, memberships.

Countries and their English and Dutch names come from pycountry, which packages the Debian
iso-codes data and its gettext translations ('iso3166-1' domain, 'nl' locale). The memberships
are a hand-written table below, each set with the public page it was checked against.

Run: python data/build/build_countries.py [--out PATH]
"""

from __future__ import annotations

import gettext
import sys
from collections.abc import Sequence
from importlib.metadata import version

import pycountry
from _turtle import REFERENCE_DIR, dpid, header, literal, parse_args, subject_block, write_text

# --- Alliances and memberships (hand-written; keep in sync with the sources named here) --------

EU_SOURCE = (
    "European Union, 'EU countries' (european-union.europa.eu, Principles, countries, "
    "history): the 27 member countries, as of 2026"
)
NATO_SOURCE = (
    "NATO, 'Member countries' (nato.int, NATO topic page 52044): the 32 Allies and the dates they joined, as of 2026"
)

# ISO 3166-1 alpha-2 codes (Greece is GR in ISO 3166-1; the EU itself writes EL).
EU_MEMBERS: tuple[str, ...] = (
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU",
    "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
)  # fmt: skip

NATO_FOUNDERS: tuple[str, ...] = (
    "BE", "CA", "DK", "FR", "GB", "IS", "IT", "LU", "NL", "NO", "PT", "US",
)  # fmt: skip

# Date each later Ally joined (deposit of its instrument of accession). Germany is left without
# a day: sources disagree between 6 and 9 May 1955, so only the year is stated in a note.
NATO_ACCESSIONS: dict[str, str | None] = {
    "GR": "1952-02-18",
    "TR": "1952-02-18",
    "DE": None,
    "ES": "1982-05-30",
    "CZ": "1999-03-12",
    "HU": "1999-03-12",
    "PL": "1999-03-12",
    "BG": "2004-03-29",
    "EE": "2004-03-29",
    "LT": "2004-03-29",
    "LV": "2004-03-29",
    "RO": "2004-03-29",
    "SI": "2004-03-29",
    "SK": "2004-03-29",
    "AL": "2009-04-01",
    "HR": "2009-04-01",
    "ME": "2017-06-05",
    "MK": "2020-03-27",
    "FI": "2023-04-04",
    "SE": "2024-03-07",
}

NATO_NOTES: dict[str, str] = {
    "DE": "Joined in May 1955 as the Federal Republic of Germany.",
}
FOUNDER_NOTE = "Founding member: signed the North Atlantic Treaty in Washington on 4 April 1949."

ALLIANCES = {
    "EU": {
        "en": "European Union",
        "nl": "Europese Unie",
        "alt": [("EU", "en"), ("EU", "nl")],
        "comment_en": "The European Union; membership here is as of 2026.",
        "comment_nl": "De Europese Unie; het lidmaatschap hier is dat van 2026.",
        "source": EU_SOURCE,
    },
    "NATO": {
        "en": "North Atlantic Treaty Organization",
        "nl": "Noord-Atlantische Verdragsorganisatie",
        "alt": [("NATO", "en"), ("NAVO", "nl")],
        "comment_en": "The North Atlantic Treaty Organization; membership here is as of 2026.",
        "comment_nl": "De Noord-Atlantische Verdragsorganisatie; het lidmaatschap hier is dat van 2026.",
        "source": NATO_SOURCE,
    },
}


def nato_members() -> tuple[str, ...]:
    return tuple(sorted((*NATO_FOUNDERS, *NATO_ACCESSIONS)))


def memberships() -> dict[str, tuple[str, ...]]:
    return {"EU": tuple(sorted(EU_MEMBERS)), "NATO": nato_members()}


# --- Countries ---------------------------------------------------------------------------------


def country_source() -> str:
    return f"ISO 3166-1 via the Debian iso-codes data (pycountry {version('pycountry')})"


def dutch_catalog() -> gettext.GNUTranslations:
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["nl"])


def dutch(catalog: gettext.GNUTranslations, english: str) -> str | None:
    """The Dutch entry for an English name, or None when the catalogue has none."""
    if not english:
        return None
    translated = catalog.gettext(english)
    return translated if translated != english or english in catalog._catalog else None


def country_records() -> list[dict[str, object]]:
    """One record per country, sorted by alpha-2 code; `nl_fallback` marks an English fallback."""
    catalog = dutch_catalog()
    records = []
    for country in sorted(pycountry.countries, key=lambda c: c.alpha_2):
        name_en = country.name
        name_nl = dutch(catalog, name_en)
        fallback = name_nl is None
        alt: list[tuple[str, str]] = []
        for extra in (getattr(country, "common_name", None), getattr(country, "official_name", None)):
            if not extra:
                continue
            if extra != name_en and (extra, "en") not in alt:
                alt.append((extra, "en"))
            extra_nl = dutch(catalog, extra)
            if extra_nl and extra_nl != (name_nl or name_en) and (extra_nl, "nl") not in alt:
                alt.append((extra_nl, "nl"))
        records.append(
            {
                "code": country.alpha_2,
                "en": name_en,
                "nl": name_nl or name_en,
                "nl_fallback": fallback,
                "alt": alt,
            }
        )
    return records


def render() -> str:
    source = country_source()
    member_sets = memberships()
    member_of: dict[str, list[str]] = {}
    for alliance, codes in member_sets.items():
        for code in codes:
            member_of.setdefault(code, []).append(alliance)

    parts = [
        header(
            "ISO 3166-1 countries, the EU and NATO, and their memberships (defport-kg reference data)",
            "data/build/build_countries.py",
        )
    ]

    parts.append("# --- Alliances ---\n\n")
    for key in sorted(ALLIANCES):
        info = ALLIANCES[key]
        pairs = [
            ("a", "dp:Alliance"),
            ("rdfs:label", literal(info["en"], "en")),
            ("rdfs:label", literal(info["nl"], "nl")),
        ]
        pairs += [("skos:altLabel", literal(text, lang)) for text, lang in info["alt"]]
        pairs += [
            ("rdfs:comment", literal(info["comment_en"], "en")),
            ("rdfs:comment", literal(info["comment_nl"], "nl")),
            ("dcterms:source", literal(info["source"])),
        ]
        parts.append(subject_block(dpid(f"alliance/{key}"), pairs) + "\n")

    parts.append("# --- Memberships (one node per member country and alliance) ---\n\n")
    names = {str(r["code"]): (str(r["en"]), str(r["nl"])) for r in country_records()}
    for alliance in sorted(member_sets):
        label_en, label_nl = ALLIANCES[alliance]["alt"][0][0], ALLIANCES[alliance]["alt"][1][0]
        for code in member_sets[alliance]:
            name_en, name_nl = names[code]
            pairs = [
                ("a", "dp:Membership"),
                ("rdfs:label", literal(f"{name_en}: member of {label_en}", "en")),
                ("rdfs:label", literal(f"{name_nl}: lid van de {label_nl}", "nl")),
                ("dp:memberCountry", dpid(f"country/{code}")),
                ("dp:alliance", dpid(f"alliance/{alliance}")),
            ]
            if alliance == "NATO":
                since = NATO_ACCESSIONS.get(code)
                if since:
                    pairs.append(("dp:memberSince", literal(since, datatype="xsd:date")))
                note = FOUNDER_NOTE if code in NATO_FOUNDERS else NATO_NOTES.get(code)
                if note:
                    pairs.append(("rdfs:comment", literal(note, "en")))
            pairs.append(("dcterms:source", literal(ALLIANCES[alliance]["source"])))
            parts.append(subject_block(dpid(f"alliance/{alliance}/member/{code}"), pairs) + "\n")

    parts.append("# --- Countries ---\n\n")
    for record in country_records():
        code = str(record["code"])
        pairs = [
            ("a", "dp:Country"),
            ("dp:isoCode", literal(code)),
            ("rdfs:label", literal(str(record["en"]), "en")),
            ("rdfs:label", literal(str(record["nl"]), "nl")),
        ]
        pairs += [("skos:altLabel", literal(text, lang)) for text, lang in record["alt"]]
        pairs += [("dp:memberOf", dpid(f"alliance/{a}")) for a in member_of.get(code, [])]
        pairs.append(("dcterms:source", literal(source)))
        parts.append(subject_block(dpid(f"country/{code}"), pairs) + "\n")

    return "".join(parts).rstrip("\n") + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv, "Build data/reference/countries.ttl", REFERENCE_DIR / "countries.ttl")
    out = write_text(args.out, render())
    records = country_records()
    fallbacks = sum(1 for r in records if r["nl_fallback"])
    same = sum(1 for r in records if not r["nl_fallback"] and r["nl"] == r["en"])
    print(
        f"wrote {out}: {len(records)} countries; Dutch name missing (English used): {fallbacks}; "
        f"Dutch entry spelled as in English: {same}",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
