"""Build data/reference/crm.ttl: the EU Critical Raw Materials Act lists as dp:Material items.

Input: data/build/sources/eu-critical-raw-materials-2024.tsv (columns list, name, source), a copy
of the project's shared reference list. Regulation (EU) 2024/1252 lists 34 critical raw materials
(Annex II section 1) and 17 strategic ones (Annex I section 1); every strategic material is also
critical. Each list entry becomes its own item — none is dropped or merged — and each strategic
entry is linked by dp:gradeOf to the critical entry or entries it is a grade or subset of
(GRADE_OF below, checked against the TSV on every build).

Dutch names are the standard Dutch names of the materials (DUTCH below); they are this project's
rendering, not copied from the Dutch-language text of the Regulation.

Run: python data/build/build_crm.py [--out PATH] [--tsv PATH]
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
    slugify,
    subject_block,
    write_text,
)

DEFAULT_TSV = SOURCES_DIR / "eu-critical-raw-materials-2024.tsv"
REGULATION_ELI = "<http://data.europa.eu/eli/reg/2024/1252/oj>"
EXPECTED_COUNTS = {"critical": 34, "strategic": 17}

# Strategic entry -> the critical entries it is a grade or subset of (names exactly as in the TSV).
# The magnet rare earths span both critical groups: Nd, Pr, Sm and Ce are light rare earth
# elements, Tb, Dy and Gd heavy ones.
GRADE_OF: dict[str, tuple[str, ...]] = {
    "Bauxite, alumina and aluminium": ("Bauxite, alumina and aluminium",),
    "Bismuth": ("Bismuth",),
    "Boron (metallurgy grade)": ("Boron",),
    "Cobalt": ("Cobalt",),
    "Copper": ("Copper",),
    "Gallium": ("Gallium",),
    "Germanium": ("Germanium",),
    "Lithium (battery grade)": ("Lithium",),
    "Magnesium metal": ("Magnesium",),
    "Manganese (battery grade)": ("Manganese",),
    "Graphite (battery grade)": ("Graphite",),
    "Nickel (battery grade)": ("Nickel (battery grade)",),
    "Platinum group metals": ("Platinum group metals",),
    "Rare earth elements for permanent magnets (Nd, Pr, Tb, Dy, Gd, Sm, Ce)": (
        "Heavy rare earth elements",
        "Light rare earth elements",
    ),
    "Silicon metal": ("Silicon metal",),
    "Titanium metal": ("Titanium metal",),
    "Tungsten": ("Tungsten",),
}

DUTCH: dict[str, str] = {
    "Antimony": "Antimoon",
    "Arsenic": "Arseen",
    "Bauxite, alumina and aluminium": "Bauxiet, aluminiumoxide en aluminium",
    "Baryte": "Bariet",
    "Beryllium": "Beryllium",
    "Bismuth": "Bismut",
    "Boron": "Boor",
    "Boron (metallurgy grade)": "Boor (metallurgische kwaliteit)",
    "Cobalt": "Kobalt",
    "Coking coal": "Cokeskool",
    "Copper": "Koper",
    "Feldspar": "Veldspaat",
    "Fluorspar": "Vloeispaat",
    "Gallium": "Gallium",
    "Germanium": "Germanium",
    "Hafnium": "Hafnium",
    "Helium": "Helium",
    "Heavy rare earth elements": "Zware zeldzame aardmetalen",
    "Light rare earth elements": "Lichte zeldzame aardmetalen",
    "Lithium": "Lithium",
    "Lithium (battery grade)": "Lithium (batterijkwaliteit)",
    "Magnesium": "Magnesium",
    "Magnesium metal": "Magnesiummetaal",
    "Manganese": "Mangaan",
    "Manganese (battery grade)": "Mangaan (batterijkwaliteit)",
    "Graphite": "Grafiet",
    "Graphite (battery grade)": "Grafiet (batterijkwaliteit)",
    "Nickel (battery grade)": "Nikkel (batterijkwaliteit)",
    "Niobium": "Niobium",
    "Phosphate rock": "Fosfaaterts",
    "Phosphorus": "Fosfor",
    "Platinum group metals": "Platinagroepmetalen",
    "Rare earth elements for permanent magnets (Nd, Pr, Tb, Dy, Gd, Sm, Ce)": (
        "Zeldzame aardmetalen voor permanente magneten (Nd, Pr, Tb, Dy, Gd, Sm, Ce)"
    ),
    "Scandium": "Scandium",
    "Silicon metal": "Siliciummetaal",
    "Strontium": "Strontium",
    "Tantalum": "Tantaal",
    "Titanium metal": "Titaniummetaal",
    "Tungsten": "Wolfraam",
    "Vanadium": "Vanadium",
}

LIST_INFO = {
    "critical": {
        "prefix": "crm",
        "class": "dp:CriticalRawMaterial",
        "annex_en": "critical raw material (Regulation (EU) 2024/1252, Annex II section 1)",
        "annex_nl": "kritieke grondstof (Verordening (EU) 2024/1252, bijlage II, afdeling 1)",
    },
    "strategic": {
        "prefix": "srm",
        "class": "dp:StrategicRawMaterial",
        "annex_en": "strategic raw material (Regulation (EU) 2024/1252, Annex I section 1)",
        "annex_nl": "strategische grondstof (Verordening (EU) 2024/1252, bijlage I, afdeling 1)",
    },
}


def slug(name: str) -> str:
    """IRI slug of an entry: its name, without a parenthesised list of element symbols."""
    return slugify(re.sub(r"\s*\([^)]*,[^)]*\)", "", name))


def iri(list_name: str, name: str) -> str:
    return dpid(f"item/{LIST_INFO[list_name]['prefix']}-{slug(name)}")


def read_rows(tsv: Path) -> list[dict[str, str]]:
    with tsv.open(encoding="utf-8", newline="") as handle:
        rows = [{key: value.strip() for key, value in row.items()} for row in csv.DictReader(handle, delimiter="\t")]
    counts = {name: sum(1 for row in rows if row["list"] == name) for name in EXPECTED_COUNTS}
    if counts != EXPECTED_COUNTS or len(rows) != sum(EXPECTED_COUNTS.values()):
        raise ValueError(f"{tsv}: expected {EXPECTED_COUNTS} rows, found {counts}")
    iris = [iri(row["list"], row["name"]) for row in rows]
    if len(set(iris)) != len(iris):
        raise ValueError(f"{tsv}: two entries of one list share a slug")
    critical = {row["name"] for row in rows if row["list"] == "critical"}
    strategic = {row["name"] for row in rows if row["list"] == "strategic"}
    if set(GRADE_OF) != strategic:
        raise ValueError(f"GRADE_OF does not match the strategic list: {set(GRADE_OF) ^ strategic}")
    unknown = {c for targets in GRADE_OF.values() for c in targets} - critical
    if unknown:
        raise ValueError(f"GRADE_OF names entries that are not on the critical list: {unknown}")
    return sorted(rows, key=lambda row: (row["list"], slug(row["name"])))


def render(rows: list[dict[str, str]]) -> str:
    parts = [
        header(
            "EU Critical Raw Materials Act (Regulation (EU) 2024/1252): critical and strategic "
            "raw materials (defport-kg reference data)",
            "data/build/build_crm.py from data/build/sources/eu-critical-raw-materials-2024.tsv",
        )
    ]
    current = None
    for row in rows:
        list_name, name = row["list"], row["name"]
        if list_name != current:
            current = list_name
            parts.append(f"# --- {list_name.capitalize()} raw materials ---\n\n")
        info = LIST_INFO[list_name]
        pairs = [("a", info["class"]), ("rdfs:label", literal(name, "en"))]
        if name in DUTCH:
            pairs.append(("rdfs:label", literal(DUTCH[name], "nl")))
        pairs += [
            ("rdfs:comment", literal(f"EU {info['annex_en']}.", "en")),
            ("rdfs:comment", literal(f"EU-{info['annex_nl']}.", "nl")),
        ]
        if list_name == "strategic":
            pairs += [("dp:gradeOf", iri("critical", target)) for target in GRADE_OF[name]]
        pairs += [
            ("dcterms:source", literal(row["source"])),
            ("rdfs:seeAlso", REGULATION_ELI),
        ]
        parts.append(subject_block(iri(list_name, name), pairs) + "\n")
    return "".join(parts).rstrip("\n") + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv, "Build data/reference/crm.ttl", REFERENCE_DIR / "crm.ttl", DEFAULT_TSV)
    rows = read_rows(args.tsv)
    out = write_text(args.out, render(rows))
    print(f"wrote {out}: {len(rows)} entries", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
