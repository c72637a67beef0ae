"""`defport-kg template` and `defport-kg upgrade`: the steward's other two commands.

Both are plain functions so that the main app can register them at the top level
(``app.command("template")(steward.template)``); `defport-kg imports` carries them too.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from defport_kg.cli.common import JsonOption, StoreOption, handle_errors, opened_store, print_json
from defport_kg.errors import UsageError


@handle_errors
def template(
    xlsx: Annotated[
        Path | None, typer.Option("--xlsx", help="Write one workbook with a sheet per template to this file.")
    ] = None,
    csv_dir: Annotated[
        Path | None, typer.Option("--csv", help="Write one CSV file per template into this folder.")
    ] = None,
    docs: Annotated[
        Path | None, typer.Option("--docs", help="Write the column reference (Markdown) to this file.")
    ] = None,
) -> None:
    """Write empty steward templates (a header and an example row) to fill in and import."""
    from defport_kg.templates import write_csv_templates, write_xlsx_template
    from defport_kg.templates.docs import render

    if xlsx is None and csv_dir is None and docs is None:
        raise UsageError("say where: --xlsx FILE, --csv DIR (or --docs FILE)")
    if xlsx is not None:
        if xlsx.suffix.lower() != ".xlsx":
            raise UsageError(f"{xlsx}: a workbook's name ends in .xlsx")
        write_xlsx_template(xlsx)
        typer.echo(f"Wrote {xlsx} (sheets: README, organisations, sites, items, supply, capabilities).")
    if csv_dir is not None:
        if csv_dir.exists() and not csv_dir.is_dir():
            raise UsageError(f"{csv_dir} is a file: give a folder for the CSV templates")
        for path in write_csv_templates(csv_dir):
            typer.echo(f"Wrote {path}.")
    if docs is not None:
        docs.write_text(render(), encoding="utf-8")
        typer.echo(f"Wrote {docs}.")


@handle_errors
def upgrade(
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Say what would change and what the new shapes reject; change nothing.")
    ] = False,
    report_format: Annotated[str, typer.Option("--format", help="Report format: text, json, turtle or csv.")] = "text",
    json_output: JsonOption = False,
    store: StoreOption = None,
) -> None:
    """Reload the ontology, shapes and reference data of the installed version (each graph in one
    atomic step) and revalidate the whole live data. Nothing is deleted. Exit status 0 when the live
    data conforms to the new shapes, 1 when they reject some of it (listed)."""
    from defport_kg.cli.imports import check_report_format, print_report, progress_display
    from defport_kg.imports import upgrade as run_upgrade

    check_report_format(report_format)
    with opened_store(store, command="defport-kg upgrade") as handle, progress_display("upgrade") as progress:
        result = run_upgrade(handle, dry_run=dry_run, progress=progress)
    if json_output:
        print_json(result.to_json())
        raise typer.Exit(0 if result.conforms else 1)
    verb = "would be" if dry_run else "was"
    for change in result.changes:
        action = {"replaced": f"{verb} replaced", "added": f"{verb} added", "kept": "kept (no longer shipped)"}.get(
            change.action, change.action
        )
        typer.echo(f"{change.file or change.graph:28} {action} ({change.triples} triples)", err=report_format != "text")
    print_report(result.report, report_format)
    if not result.conforms:
        typer.echo(
            f"Error: the {'installed' if dry_run else 'new'} shapes reject {result.report.violation_count} "
            "statement(s) of the live data (nothing was deleted): fix them with imports.",
            err=True,
        )
    raise typer.Exit(0 if result.conforms else 1)
