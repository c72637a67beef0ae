"""`defport-kg keys`: create, list and revoke API keys (translates to ``defport_kg.auth.KeyRing``).

While `serve` holds the store these commands exit 3 like every other; an admin then uses
``/api/keys`` of the running service instead.
"""

from __future__ import annotations

from typing import Annotated

import typer

from defport_kg.auth import KeyRing, Role
from defport_kg.cli.common import JsonOption, StoreOption, handle_errors, opened_store, print_json

app = typer.Typer(
    help="Manage API keys: reader ⊂ analyst ⊂ steward ⊂ admin. Keys are shown once and stored hashed.",
    no_args_is_help=True,
)


@app.command("add")
@handle_errors
def add(
    name: Annotated[str, typer.Argument(help="Who or what uses the key (unique among active keys).")],
    role: Annotated[
        Role, typer.Option("--role", help="reader, analyst, steward or admin (roles are cumulative).")
    ] = Role.reader,
    store: StoreOption = None,
) -> None:
    """Create an API key; prints the key alone on the last line (shown once, stored hashed)."""
    with opened_store(store, command="defport-kg keys add") as handle:
        key, token = KeyRing(handle).add(name, role)
    typer.echo(f"Created API key {key.id} {key.name!r} with role {key.role.value}.")
    typer.echo("Store it now: it is shown only this once. Send it as `Authorization: Bearer <key>`.")
    typer.echo(token)


@app.command("list")
@handle_errors
def list_(
    all_keys: Annotated[bool, typer.Option("--all", help="Also list revoked keys.")] = False,
    json_output: JsonOption = False,
    store: StoreOption = None,
) -> None:
    """List the API keys (never the keys themselves: they are only stored hashed)."""
    with opened_store(store, command="defport-kg keys list") as handle:
        keys = KeyRing(handle).list(include_revoked=all_keys)
    if json_output:
        print_json([k.to_json() for k in keys])
        return
    if not keys:
        typer.echo("No API keys." if all_keys else "No active API keys (`--all` also lists revoked ones).")
        return
    for key in keys:
        state = "active" if key.active else f"revoked {key.revoked}"
        typer.echo(f"{key.id}  {key.role.value:8} {key.name}  (created {key.created}; {state})")


@app.command("revoke")
@handle_errors
def revoke(
    key: Annotated[str, typer.Argument(metavar="KEY", help="The key's id (see `keys list`) or its name.")],
    store: StoreOption = None,
) -> None:
    """Revoke an API key for good; it is refused from then on."""
    with opened_store(store, command="defport-kg keys revoke") as handle:
        revoked, changed = KeyRing(handle).revoke(key)
    if changed:
        typer.echo(f"Revoked API key {revoked.id} {revoked.name!r}.")
    else:
        typer.echo(f"API key {revoked.id} {revoked.name!r} was already revoked ({revoked.revoked}).")
