"""Build data/reference/fsg.ttl: the NATO supply groups (FSG) as a SKOS concept scheme.

Input: data/build/sources/nato-supply-groups.tsv (columns fsg, title, source), a copy of the
project's shared reference list, so the build works from a clean clone. The two digits are the
first two digits of every NATO Stock Number, which is how an NSN's group follows from the NSN.

Titles are English only: the source gives English titles and no authoritative Dutch ones.

Run: python data/build/build_fsg.py [--out PATH] [--tsv PATH]
"""

from __future__ import annotations

import csv
import re
import sys
from collections.abc import Sequence
from pathlib import Path

from _turtle import (
    REFERENCE_DIR,
    SOURCES_DIR,
    dpid,
    header,
    literal,
    parse_args,
    subject_block,
    write_text,
)

DEFAULT_TSV = SOURCES_DIR / "nato-supply-groups.tsv"
SCHEME = dpid("fsg/scheme")


def read_rows(tsv: Path) -> list[dict[str, str]]:
    with tsv.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    for row in rows:
        if not re.fullmatch(r"\d{2}", row["fsg"]):
            raise ValueError(f"{tsv}: supply group {row['fsg']!r} is not two digits")
    codes = [row["fsg"] for row in rows]
    if len(set(codes)) != len(codes):
        raise ValueError(f"{tsv}: duplicate supply group codes")
    return sorted(rows, key=lambda row: row["fsg"])


def render(rows: list[dict[str, str]]) -> str:
    parts = [
        header(
            "NATO supply groups (FSG) as a SKOS concept scheme (defport-kg reference data)",
            "data/build/build_fsg.py from data/build/sources/nato-supply-groups.tsv",
        )
    ]
    scheme_pairs = [
        ("a", "skos:ConceptScheme"),
        ("rdfs:label", literal("NATO supply groups (FSG)", "en")),
        ("rdfs:label", literal("NATO-bevoorradingsgroepen (FSG)", "nl")),
        ("skos:prefLabel", literal("NATO supply groups (FSG)", "en")),
        ("skos:prefLabel", literal("NATO-bevoorradingsgroepen (FSG)", "nl")),
        (
            "skos:definition",
            literal(
                "The two-digit supply groups of the NATO Supply Classification; the first two "
                "digits of every NATO Stock Number (NSN) name its group.",
                "en",
            ),
        ),
        (
            "skos:definition",
            literal(
                "De tweecijferige bevoorradingsgroepen van de NATO Supply Classification; de "
                "eerste twee cijfers van elk NATO-voorraadnummer (NSN) geven de groep aan. "
                "De titels van de groepen zijn alleen in het Engels opgenomen.",
                "nl",
            ),
        ),
    ]
    scheme_pairs += [("skos:hasTopConcept", dpid(f"fsg/{row['fsg']}")) for row in rows]
    for source in sorted({row["source"].strip() for row in rows}):
        scheme_pairs.append(("dcterms:source", literal(source)))
    parts.append(subject_block(SCHEME, scheme_pairs) + "\n")

    for row in rows:
        code, title = row["fsg"], row["title"].strip()
        pairs = [
            ("a", "skos:Concept"),
            ("skos:notation", literal(code)),
            ("skos:prefLabel", literal(title, "en")),
            ("rdfs:label", literal(f"{code} {title}", "en")),
            ("skos:inScheme", SCHEME),
            ("skos:topConceptOf", SCHEME),
            ("dcterms:source", literal(row["source"].strip())),
        ]
        parts.append(subject_block(dpid(f"fsg/{code}"), pairs) + "\n")
    return "".join(parts).rstrip("\n") + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv, "Build data/reference/fsg.ttl", REFERENCE_DIR / "fsg.ttl", DEFAULT_TSV)
    rows = read_rows(args.tsv)
    out = write_text(args.out, render(rows))
    print(f"wrote {out}: {len(rows)} supply groups", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
