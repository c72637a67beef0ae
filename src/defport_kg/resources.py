"""Where the shipped ontology, shapes, data and queries live.

In a wheel they are package data under ``defport_kg/resources``; in a source checkout (editable
install, tests) they are the top-level folders of the repository. Both must work, so every module
asks here rather than building paths itself.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


@cache
def resource_root() -> Path:
    packaged = _PACKAGE_DIR / "resources"
    if (packaged / "ontology").is_dir():
        return packaged
    checkout = _PACKAGE_DIR.parent.parent
    if (checkout / "ontology").is_dir():
        return checkout
    raise FileNotFoundError("defport-kg cannot find its ontology/shapes/data: the installation is incomplete")


def ontology_dir() -> Path:
    return resource_root() / "ontology"


def shapes_dir() -> Path:
    return resource_root() / "shapes"


def data_dir() -> Path:
    return resource_root() / "data"


def queries_dir() -> Path:
    return resource_root() / "queries"


def ontology_file() -> Path:
    return ontology_dir() / "defport.ttl"


def shapes_file() -> Path:
    return shapes_dir() / "defport.ttl"
