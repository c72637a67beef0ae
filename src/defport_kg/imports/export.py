"""Validation reports as CSV, for stewards who open them in a spreadsheet.

A report quotes what suppliers typed (labels, identifiers, values); a cell of that text starting
with ``=``, ``+``, ``-`` or ``@`` would run as a formula when the CSV is opened in Excel, so every
such cell is neutralised (a leading ``'``) on the way out.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from defport_kg.templates.cells import neutralise

COLUMNS = ("severity", "focus_node", "result_path", "value", "message_en", "message_nl", "source_shape", "location")


def report_csv(report: Any) -> str:
    """One row per result shown; a last row per shape says how many results the cap left out."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for result in report.results:
        writer.writerow([neutralise(str(getattr(result, name) or "")) for name in COLUMNS])
    for shape, count in sorted(getattr(report, "omitted", {}).items()):
        writer.writerow(
            [
                "",
                "",
                "",
                "",
                f"{count} more result(s) not shown",
                f"{count} andere resultaten niet getoond",
                neutralise(shape),
                "",
            ]
        )
    return out.getvalue()
