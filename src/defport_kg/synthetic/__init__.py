"""Deterministic synthetic data (``defport-kg generate``), for benchmarks and demonstrations."""

from __future__ import annotations

from defport_kg.synthetic.network import Summary, generate, write_ntriples

__all__ = ["Summary", "generate", "write_ntriples"]
