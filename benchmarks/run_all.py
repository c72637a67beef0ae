"""Run every benchmark in turn and print its figures (`make bench`).

`--quick` runs each at its small size (minutes, for checking that the benchmarks still work);
without it each runs at the sizes its issue names (the risk and SPARQL ones at ~1M triples take
tens of minutes on a 2-core machine).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

FULL: list[list[str]] = [
    ["bench_risk.py"],
    ["bench_scale.py"],
    ["bench_imports.py"],
    ["bench_sparql.py"],
    ["bench_sparql_stack.py"],
    ["bench_sparql_fronts.py"],
    ["bench_request_path.py"],
    ["bench_load.py"],
]
QUICK: list[list[str]] = [
    ["bench_risk.py", "--orgs", "10000"],
    ["bench_scale.py", "--orgs", "10000"],
    ["bench_imports.py", "--sizes", "10k", "--store-sizes", "100k", "--repeat", "1"],
    ["bench_sparql.py", "--orgs", "10000", "--duration", "3"],
    ["bench_sparql_stack.py", "--requests", "1000"],
    ["bench_sparql_fronts.py", "--rounds", "1", "--seconds", "1"],
    ["bench_request_path.py", "--rounds", "1", "--seconds", "1"],
    ["bench_load.py", "--seconds", "5", "--readers", "4"],
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes only")
    args = parser.parse_args()
    failed = []
    for command in QUICK if args.quick else FULL:
        print(f"\n=== {' '.join(command)}", flush=True)
        result = subprocess.run([sys.executable, str(HERE / command[0]), *command[1:]], check=False)
        if result.returncode != 0:
            failed.append(command[0])
    if failed:
        print(f"\nfailed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
