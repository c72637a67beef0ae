"""The built wheel carries the ontology, shapes, data and queries: `init` works outside a checkout."""

from __future__ import annotations

import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from tests.conftest import ROOT


@pytest.mark.slow
def test_wheel_installs_in_a_fresh_venv_and_runs_init(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    [wheel] = dist.glob("defport_kg-*.whl")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    python = venv / "bin" / "python"
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    # Dependencies come from this test run's environment (no network); the package itself only from the wheel.
    dev_site = sysconfig.get_paths()["purelib"]
    Path(site, "zz_dependencies.pth").write_text(dev_site + "\n")
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--no-deps", "--no-index", str(wheel)], check=True, timeout=300
    )
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    where = subprocess.run(
        [str(python), "-c", "import defport_kg.resources as r; print(r.resource_root())"],
        check=True,
        capture_output=True,
        text=True,
        cwd=outside,
    ).stdout.strip()
    assert where.startswith(site), where
    for folder in ("ontology", "shapes", "data", "queries"):
        assert (Path(where) / folder).is_dir(), folder
    result = subprocess.run(
        [str(venv / "bin" / "defport-kg"), "init", "--store", str(outside / "store")],
        capture_output=True,
        text=True,
        cwd=outside,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    count = subprocess.run(
        [
            str(venv / "bin" / "defport-kg"),
            "query",
            "--store",
            str(outside / "store"),
            "--format",
            "csv",
            "SELECT (COUNT(?o) AS ?n) WHERE { ?o dp:partnerOf ?p }",
        ],
        capture_output=True,
        text=True,
        cwd=outside,
        timeout=300,
    )
    assert count.stdout.splitlines()[1].strip() == "9", count.stderr
