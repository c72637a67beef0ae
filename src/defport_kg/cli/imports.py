"""`defport-kg imports list | show | diff | rollback | check`: the import history.

Also the helpers the `import` and `validate` commands share: printing a validation report in the
chosen format, and a progress display (rich, on stderr, only when it is a terminal).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated, Any

import typer

from defport_kg.cli.common import JsonOption, StoreOption, handle_errors, opened_store, print_json
from defport_kg.errors import UsageError

app = typer.Typer(
    help="The import history: list, show, diff and roll back imports; check it against the store.",
    no_args_is_help=True,
)

REPORT_FORMATS = ("text", "json", "turtle", "csv")


def print_report(report: Any, fmt: str) -> None:
    """A validation report on stdout: text for people, JSON, sh:ValidationReport Turtle, or CSV."""
    if report is None:
        return
    if fmt == "json":
        print_json(report.to_json())
    elif fmt == "turtle":
        typer.echo(report.to_turtle())
    elif fmt == "csv":
        from defport_kg.imports.export import report_csv

        sys.stdout.write(report_csv(report))
    else:
        typer.echo(report.to_text().rstrip("\n"))


def check_report_format(fmt: str) -> None:
    if fmt not in REPORT_FORMATS:
        raise UsageError(f"unknown report format {fmt!r}: use {', '.join(REPORT_FORMATS)}")


@contextmanager
def progress_display(description: str) -> Iterator[Callable[[str, int, int], None]]:
    """A progress bar for the import steps, on stderr and only when stderr is a terminal."""
    if not sys.stderr.isatty():
        yield lambda _step, _done, _total: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task(description, total=None)

        def update(step: str, done: int, total: int) -> None:
            bar.update(task, description=f"{description}: {step}", completed=done, total=total)

        yield update


def _records_table(records: list[Any]) -> None:
    if not records:
        typer.echo("No imports yet.")
        return
    typer.echo(f"{'id':34} {'status':12} {'when':20} {'triples':>8}  {'marking':10} {'who':16} sources")
    for record in records:
        when = (record.generated_at or "")[:19]
        marking = (record.marking or "-") + ("+" if record.releasable_to else "")
        typer.echo(
            f"{record.id:34} {record.status_name:12} {when:20} {record.triple_count or 0:>8}  "
            f"{marking:10} {(record.user or '')[:16]:16} {', '.join(record.sources)}"
        )


@app.command("list")
@handle_errors
def list_command(
    live: Annotated[bool, typer.Option("--live", help="Only the imports whose data is live.")] = False,
    json_output: JsonOption = False,
    store: StoreOption = None,
) -> None:
    """Every import, oldest first: id, status (live, superseded, rolled back), when, who, what."""
    from defport_kg.imports import list_imports

    with opened_store(store, command="defport-kg imports list") as handle:
        records = list_imports(handle)
    if live:
        records = [r for r in records if r.status_name == "live"]
    if json_output:
        print_json([r.to_json() for r in records])
    else:
        _records_table(records)


@app.command("show")
@handle_errors
def show_command(
    import_id: Annotated[
        str, typer.Argument(metavar="ID", help="An import id (or a unique start of one), or its IRI.")
    ],
    json_output: JsonOption = False,
    store: StoreOption = None,
) -> None:
    """One import's provenance: who, when, from which files (SHA-256), how many triples, against
    which shapes, with what validation result, and which versions it replaced or was replaced by."""
    from defport_kg.imports import show

    with opened_store(store, command="defport-kg imports show") as handle:
        record = show(handle, import_id)
    if json_output:
        print_json(record)
        return
    for key, value in record.items():
        if isinstance(value, list):
            value = ", ".join(str(v) for v in value) or "-"
        typer.echo(f"{key:16} {'-' if value is None else value}")


@app.command("diff")
@handle_errors
def diff_command(
    first: Annotated[str, typer.Argument(metavar="ID1", help="The older import.")],
    second: Annotated[str, typer.Argument(metavar="ID2", help="The newer import.")],
    limit: Annotated[int, typer.Option("--limit", help="Most added and removed statements listed.")] = 1000,
    json_output: JsonOption = False,
    store: StoreOption = None,
) -> None:
    """What ID2 adds to (+) and removes from (-) ID1, as N-Triples statements."""
    from defport_kg.imports import diff

    if limit < 0:
        raise UsageError("--limit must be 0 or more")
    with opened_store(store, command="defport-kg imports diff") as handle:
        result = diff(handle, first, second, limit=limit)
    if json_output:
        print_json(result)
        return
    for line in result["removed"]:
        typer.echo(f"- {line}")
    for line in result["added"]:
        typer.echo(f"+ {line}")
    more = " (lists cut at --limit)" if result["truncated"] else ""
    typer.echo(
        f"{result['from']} -> {result['to']}: {result['added_count']} added, {result['removed_count']} removed, "
        f"{result['unchanged_count']} unchanged{more}"
    )


@app.command("rollback")
@handle_errors
def rollback_command(
    import_id: Annotated[str, typer.Argument(metavar="ID", help="The live import to roll back.")],
    json_output: JsonOption = False,
    store: StoreOption = None,
) -> None:
    """Take a live import out of the live data, making the version it replaced live again (one
    atomic step). Nothing is deleted: the rolled-back version stays in the history."""
    from defport_kg.errors import ValidationFailed
    from defport_kg.imports import rollback

    with opened_store(store, command="defport-kg imports rollback") as handle:
        try:
            result = rollback(handle, import_id)
        except ValidationFailed as failure:  # the reactivated version fails today's shapes: as for `import`
            print_report(failure.report, "json" if json_output else "text")
            typer.echo(f"Error: {failure.message}", err=True)
            raise typer.Exit(1) from None
    if json_output:
        print_json(result.to_json())
        return
    if result.report is not None and result.report.results:
        print_report(result.report, "text")  # warnings: shown, not blocking
    typer.echo(f"Rolled back {result.to_json()['rolled_back']}.")
    for graph in result.to_json()["reactivated"]:
        typer.echo(f"Live again: {graph}.")


@app.command("check")
@handle_errors
def check_command(json_output: JsonOption = False, store: StoreOption = None) -> None:
    """Verify the import history against the store (and the store's own checks): exit 1 on problems."""
    from defport_kg.imports import check_imports

    with opened_store(store, command="defport-kg imports check") as handle:
        problems = handle.check() + check_imports(handle)
    if json_output:
        print_json({"ok": not problems, "problems": problems})
    else:
        for problem in problems:
            typer.echo(f"problem: {problem}")
        typer.echo("ok" if not problems else f"{len(problems)} problem(s)")
    raise typer.Exit(0 if not problems else 1)


def _register_steward_commands() -> None:
    """`imports template` and `imports upgrade`: the same commands as the top-level ones."""
    from defport_kg.cli import steward

    app.command("template")(steward.template)
    app.command("upgrade")(steward.upgrade)


_register_steward_commands()
