"""`defport-kg generate`: write a deterministic synthetic industrial base as N-Triples."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from defport_kg.cli.common import handle_errors
from defport_kg.errors import UsageError


@handle_errors
def generate(
    out: Annotated[Path, typer.Option("--out", help="File to write (N-Triples).", dir_okay=False)],
    orgs: Annotated[
        int, typer.Option("--orgs", min=10, help="Number of organisations (about 11 triples each).")
    ] = 10_000,
    seed: Annotated[int, typer.Option("--seed", help="Random seed: same seed, same file.")] = 1,
) -> None:
    """Write a deterministic synthetic supply network as N-Triples (benchmarks, demos).

    About six BOM tiers, 1-4 suppliers per item (about 30 % single-sourced), Zipf-like
    supplier popularity, sites abroad, supply cycles through inputs, quantities, capacities
    and demand. Labels say "synthetic". Load it with `defport-kg import FILE`.
    """
    from defport_kg.synthetic import write_ntriples

    try:
        summary = write_ntriples(out, orgs, seed)
    except OSError as error:
        raise UsageError(f"cannot write {out}: {error.strerror or error}") from None
    typer.echo(
        f"Wrote {summary.triples} triples to {out}: {summary.organisations} organisations, "
        f"{summary.items} items ({summary.systems} systems) in {len(summary.tiers)} tiers, "
        f"{summary.relations} supply relations ({summary.single_sourced} items single-sourced), "
        f"{summary.sites} sites."
    )
