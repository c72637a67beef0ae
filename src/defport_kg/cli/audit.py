"""`defport-kg audit`: read the read audit and apply the audit retention rule.

`audit reads` only reads the day files beside the store, so it works while `serve` holds the store;
`audit prune` writes to the store (the write/refusal/key events live in its system graph) and so,
like every writing command, exits 3 while `serve` runs — the service prunes once a day by itself.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer

from defport_kg.cli.common import JsonOption, StoreOption, handle_errors, opened_store, print_json, store_location
from defport_kg.errors import UsageError

app = typer.Typer(
    help="The audit logs: who read what (`reads`), and deleting events older than the retention (`prune`).",
    no_args_is_help=True,
)


def _moment(value: str | None, option: str) -> dt.datetime | None:
    if value is None:
        return None
    try:
        moment = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise UsageError(
            f"{option} {value!r}: write an ISO 8601 date or time, e.g. 2026-01-31 or 2026-01-31T12:00Z"
        ) from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


@app.command("reads")
@handle_errors
def reads(
    since: Annotated[
        str | None, typer.Option("--since", help="Only reads at or after this time (ISO 8601; UTC by default).")
    ] = None,
    until: Annotated[str | None, typer.Option("--until", help="Only reads before this time (ISO 8601).")] = None,
    key: Annotated[
        str | None, typer.Option("--key", help="Only reads with this API key id, or `anonymous` (no key).")
    ] = None,
    limit: Annotated[int, typer.Option("--limit", help="Most reads shown (newest first), 1 to 10000.")] = 100,
    json_output: JsonOption = False,
    store: StoreOption = None,
) -> None:
    """Who read what: the read audit, newest first (works while `serve` runs)."""
    from defport_kg.auth.read_audit import ReadAuditLog, read_audit_directory
    from defport_kg.settings import Settings

    directory = read_audit_directory(store_location(store), Settings())
    events, more = ReadAuditLog(directory).events(
        since=_moment(since, "--since"), until=_moment(until, "--until"), key=key, limit=limit
    )
    if json_output:
        print_json({"limit": limit, "more": more, "storage": "files", "events": events})
        return
    if not events:
        typer.echo(f"No reads recorded in {directory} for these filters.")
        return
    for event in events:
        who = f"{event.get('key_id')} {event.get('key_name')!r}" if event.get("key_id") else "anonymous"
        graphs = event.get("graphs")
        typer.echo(
            f"{event.get('at')}  {event.get('status')} {event.get('method') or '-':4} {event.get('path')}  {who}  "
            f"from {event.get('client')}  hash {str(event.get('query_hash'))[:16]}  "
            f"graphs {len(graphs) if graphs is not None else '?'}"
        )
    if more:
        typer.echo(f"(more than {limit} reads match: narrow --since/--until or raise --limit)", err=True)


@app.command("prune")
@handle_errors
def prune(
    days: Annotated[
        int | None,
        typer.Option("--days", help="Keep this many days (default: DEFPORT_KG_AUDIT_RETENTION_DAYS; 0 keeps all)."),
    ] = None,
    json_output: JsonOption = False,
    store: StoreOption = None,
) -> None:
    """Delete audit events (reads, writes, refusals, key changes) older than the retention."""
    from defport_kg.auth import AuditLog
    from defport_kg.auth.audit import apply_retention
    from defport_kg.auth.read_audit import read_audit_for
    from defport_kg.settings import Settings

    settings = Settings()
    keep = settings.audit_retention_days if days is None else days
    if keep < 0:
        raise UsageError(f"--days {keep}: give 0 (keep everything) or a number of days")
    with opened_store(store, command="defport-kg audit prune") as handle:
        reads_log = read_audit_for(handle, settings.model_copy(update={"read_audit": True}))
        pruned = apply_retention(AuditLog(handle), reads_log, keep)
    if json_output:
        print_json({"days": keep, **pruned.to_json()})
    elif pruned.cutoff is None:
        typer.echo("Retention is 0 days: every audit event is kept.")
    else:
        typer.echo(
            f"Deleted {pruned.events} audit event(s) and {pruned.read_files} read-audit file(s) "
            f"from before {pruned.cutoff}."
        )
