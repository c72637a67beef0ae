"""What every subcommand shares: the --store option, opening the store, errors → exit statuses."""

from __future__ import annotations

import functools
import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated, Any, TypeVar

import typer

from defport_kg.errors import DefportError
from defport_kg.namespaces import expand

DEFAULT_STORE = "./defport-store"

StoreOption = Annotated[
    str | None,
    typer.Option(
        "--store",
        help="Store location: a folder (embedded store) or sparql+http://host:port/path (a remote SPARQL 1.1 "
        "server, see docs/remote-stores.md). Default: $DEFPORT_KG_STORE, else ./defport-store.",
        show_default=False,
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]

F = TypeVar("F", bound=Callable[..., Any])


def store_location(store: str | None) -> str:
    return store or os.environ.get("DEFPORT_KG_STORE") or DEFAULT_STORE


@contextmanager
def opened_store(store: str | None, *, create: bool = False, command: str = "defport-kg") -> Iterator[Any]:
    """Open the store for one command and always release its lock afterwards."""
    from defport_kg.store import open_store

    handle = open_store(store_location(store), create=create, command=command)
    try:
        yield handle
    finally:
        handle.close()


def read_network(handle: Any) -> Any:
    """The supply network of an opened store; from a remote store it also says how long the fetch
    took (on stderr, so that --json output stays clean): over the network it is the slow part."""
    import time

    from defport_kg.risk import load_network

    started = time.perf_counter()
    network = load_network(handle)
    if getattr(handle, "kind", "") == "remote":
        typer.echo(
            f"Read the supply network ({len(network.items):,} items, {len(network.relations):,} supply relations) "
            f"from the remote store in {time.perf_counter() - started:.1f} s.",
            err=True,
        )
    return network


def fail(message: str, code: int = 2) -> None:
    """Print a one-line error to stderr and exit with ``code`` (never a traceback)."""
    typer.echo(f"Error: {message}", err=True)
    raise typer.Exit(code)


def handle_errors(fn: F) -> F:
    """Turn DefportError into its message and exit status (CONTRACT §4)."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except DefportError as error:
            fail(error.message, error.exit_code)
        except KeyboardInterrupt:
            typer.echo("Interrupted.", err=True)
            raise typer.Exit(130) from None

    return wrapper  # type: ignore[return-value]


def resolve_iri(name: str) -> str:
    """Accept a full IRI or a prefixed name such as ``dpid:item/x``."""
    return expand(name.strip())


def print_json(value: Any) -> None:
    json.dump(value, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")
