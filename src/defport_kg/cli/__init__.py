"""The `defport-kg` command: a thin layer that translates arguments into library calls."""

from __future__ import annotations

import importlib
from typing import Annotated

import typer

from defport_kg import __version__
from defport_kg.cli import core

app = typer.Typer(
    name="defport-kg",
    help="A knowledge graph of the Dutch defence-industry ecosystem: query it, import into it, "
    "and analyse where production can be stopped.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["--help", "-h"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"defport-kg {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """defport-kg — see README.md for a walk-through."""


core.register(app)


def _optional(module_name: str) -> object | None:
    """A command module, or None while it is not part of this installation."""
    try:
        return importlib.import_module(module_name)
    except ModuleNotFoundError as error:
        if error.name != module_name:
            raise
        return None


# Sub-command groups, each in its own module; added here so `defport-kg --help` lists them.
for module_name, attr, name in (
    ("defport_kg.cli.risk", "app", "risk"),
    ("defport_kg.cli.scale", "app", "scale"),
    ("defport_kg.cli.imports", "app", "imports"),
    ("defport_kg.cli.keys", "app", "keys"),
    ("defport_kg.cli.audit", "app", "audit"),
):
    if (module := _optional(module_name)) is not None:
        app.add_typer(getattr(module, attr), name=name)

# Top-level commands that live beside their group's module.
for module_name, attr, name in (
    ("defport_kg.cli.generate", "generate", "generate"),
    ("defport_kg.cli.risk", "report_command", "report"),
    ("defport_kg.cli.steward", "template", "template"),
    ("defport_kg.cli.steward", "upgrade", "upgrade"),
):
    if (module := _optional(module_name)) is not None:
        app.command(name)(getattr(module, attr))


def main() -> None:
    app()
