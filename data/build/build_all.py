"""Regenerate every generated reference file in data/reference/.

Run from anywhere: python data/build/build_all.py [--out-dir DIR]
(``--out-dir`` writes the files elsewhere, e.g. to compare them with the committed ones.)

Hand-written files (partners.ttl, capabilities.ttl) are not touched.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import build_countries
import build_crm
import build_fsg
from _turtle import REFERENCE_DIR

BUILDS = {
    "countries.ttl": build_countries.main,
    "crm.ttl": build_crm.main,
    "fsg.ttl": build_fsg.main,
}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out-dir", type=Path, default=REFERENCE_DIR, help=f"(default: {REFERENCE_DIR})")
    args = parser.parse_args(argv)
    for name, build in BUILDS.items():
        build(["--out", str(args.out_dir / name)])
    return 0


if __name__ == "__main__":
    sys.exit(main())
