"""A small bounded run of benchmarks/bench_load.py: 4 readers for 5 s while a steward imports batches."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "bench_load.py"


@pytest.mark.slow
@pytest.mark.server
def test_bounded_load_loses_nothing() -> None:
    spec = importlib.util.spec_from_file_location("bench_load", BENCH)
    assert spec and spec.loader
    bench = importlib.util.module_from_spec(spec)
    sys.modules["bench_load"] = bench  # dataclasses look their module up
    spec.loader.exec_module(bench)
    figures = bench.run(seconds=5, readers=4, example=False, pause=0.1)
    assert figures["server_alive"]
    assert figures["read_5xx"] == 0 and figures["write_5xx"] == 0, figures
    assert figures["read_errors"] == 0, figures
    assert figures["reads"] > 0
    assert figures["imports_found"] == figures["imports_committed"], figures
    if figures["writer"].startswith("steward"):
        assert figures["imports_committed"] > 1 and figures["write_errors"] == 0, figures
