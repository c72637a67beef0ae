"""``python -m defport_kg.templates [FILE]``: write docs/templates.md (stdout without FILE)."""

from __future__ import annotations

import sys
from pathlib import Path

from defport_kg.templates.docs import render

if len(sys.argv) > 1:
    Path(sys.argv[1]).write_text(render(), encoding="utf-8")
else:
    sys.stdout.write(render())
