"""The web interface: Jinja2 templates, vendored static assets, UI strings in English and Dutch.

The routes live in ``defport_kg.api.routes.web``; this package holds what they render and the
read-only view data they gather (``views``). Every asset is shipped inside the package: the
interface must work on an air-gapped network, so nothing is ever fetched from elsewhere.
"""

from __future__ import annotations

from pathlib import Path

WEB_DIR = Path(__file__).resolve().parent
TEMPLATES_DIR = WEB_DIR / "templates"
STATIC_DIR = WEB_DIR / "static"
