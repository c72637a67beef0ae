"""defport-kg: a knowledge graph of the Dutch defence-industry ecosystem."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("defport-kg")
except PackageNotFoundError:  # running from a checkout without installation
    __version__ = "0.0.0+unknown"

__all__ = ["__version__"]
