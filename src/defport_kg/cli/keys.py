"""`defport-kg keys`: create, list and revoke API keys (translates to ``defport_kg.auth.KeyRing``).

While `serve` holds the store these commands exit 3 like every other; an admin then uses
``/api/keys`` of the running service instead.
"""

from __future__ import annotations

from typing import Annotated

import typer

from defport_kg.auth import ApiKey, KeyRing, Role
from defport_kg.cli.common import JsonOption, StoreOption, handle_errors, opened_store, print_json

app = typer.Typer(
    help="Manage API keys: reader ⊂ analyst ⊂ steward ⊂ admin. Keys are shown once and stored hashed.",
    no_args_is_help=True,
)


ClearanceOption = Annotated[
    str | None,
    typer.Option(
        "--clearance",
        help="The marking level the key may see (setting markings, e.g. public, defport, restricted); "
        "default: the setting default_key_clearance.",
    ),
]
OrganisationOption = Annotated[
    list[str] | None,
    typer.Option(
        "--org",
        help="An organisation (IRI or dpid:org/...) the key acts for: it sees graphs releasable to it. Repeatable.",
    ),
]


def _clearance(level: str | None, organisations: list[str] | None) -> tuple[str | None, list[str]]:
    from defport_kg.access import Scheme
    from defport_kg.namespaces import expand
    from defport_kg.settings import get_settings

    checked = Scheme.of(get_settings().markings).level(level, what="clearance") if level else None
    return checked, [expand(o) for o in organisations or []]


def _describe(key: ApiKey) -> str:
    text = key.clearance or "default"
    return text + (f" (organisations: {', '.join(key.organisations)})" if key.organisations else "")


@app.command("clearance")
@handle_errors
def clearance(
    key: Annotated[str, typer.Argument(metavar="KEY", help="The key's id (see `keys list`) or its name.")],
    level: Annotated[
        str | None, typer.Argument(metavar="LEVEL", help="The marking level (omit: the service default).")
    ] = None,
    organisations: OrganisationOption = None,
    store: StoreOption = None,
) -> None:
    """Change what a key may see: its marking level and the organisations it acts for."""
    checked, orgs = _clearance(level, organisations)
    with opened_store(store, command="defport-kg keys clearance") as handle:
        changed = KeyRing(handle).set_clearance(key, checked, orgs)
    typer.echo(f"API key {changed.id} {changed.name!r} now has clearance {_describe(changed)}.")


@app.command("add")
@handle_errors
def add(
    name: Annotated[str, typer.Argument(help="Who or what uses the key (unique among active keys).")],
    role: Annotated[
        Role, typer.Option("--role", help="reader, analyst, steward or admin (roles are cumulative).")
    ] = Role.reader,
    clearance: ClearanceOption = None,
    organisations: OrganisationOption = None,
    store: StoreOption = None,
) -> None:
    """Create an API key; prints the key alone on the last line (shown once, stored hashed)."""
    level, orgs = _clearance(clearance, organisations)
    with opened_store(store, command="defport-kg keys add") as handle:
        key, token = KeyRing(handle).add(name, role, clearance=level, organisations=orgs)
    typer.echo(f"Created API key {key.id} {key.name!r} with role {key.role.value}, clearance {_describe(key)}.")
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
        typer.echo(
            f"{key.id}  {key.role.value:8} {key.name}  (clearance {_describe(key)}; created {key.created}; {state})"
        )


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
