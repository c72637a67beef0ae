"""`defport-kg scale ...`: maximum output, surge, disruption and needs — translation only.

Each command resolves its arguments, loads the supply network once and prints the report of the
matching ``defport_kg.scale`` function: ``--json`` prints its ``to_dict()``, otherwise a table.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any

import typer

from defport_kg.cli.common import (
    JsonOption,
    StoreOption,
    handle_errors,
    opened_store,
    print_json,
    read_network,
    resolve_iri,
)
from defport_kg.namespaces import compact

app = typer.Typer(
    help="Scale-up analyses: maximum output, surge, disruption, needs versus capabilities.",
    no_args_is_help=True,
)

SystemsArgument = Annotated[
    list[str],
    typer.Argument(help="System IRIs (or dpid: prefixed names such as dpid:item/x).", show_default=False),
]
FailOption = Annotated[
    list[str] | None,
    typer.Option("--fail", help="A failed unit (repeat for several), of the kind --unit gives.", show_default=False),
]
UnitOption = Annotated[str, typer.Option("--unit", help="Kind of the failed units: organisation, site or country.")]


def _network(store: str | None, command: str, unit: str = "organisation") -> Any:
    """Check the unit kind first (a typo fails fast, exit 2), then load the network once."""
    from defport_kg.risk import check_unit_kind

    check_unit_kind(unit)
    with opened_store(store, command=command) as handle:
        return read_network(handle)


def _name(iri: str | None, labels: dict[str, str]) -> str:
    """A label and a compact IRI, as the risk tables print them."""
    if iri is None:
        return "-"
    label = labels.get(iri)
    short = compact(iri)
    return f"{label} ({short})" if label else short


def _number(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:,.4g}" if abs(value) < 1e4 else f"{value:,.0f}"


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    """A plain fixed-width table (readable in any terminal and in a log file)."""
    widths = [len(h) for h in headers]
    for row in rows:
        widths = [max(w, len(c)) for w, c in zip(widths, row, strict=True)]
    typer.echo("  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip())
    typer.echo("  ".join("-" * w for w in widths))
    for row in rows:
        typer.echo("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())


def _print_failed(failed: Sequence[str], unit: str, labels: dict[str, str]) -> None:
    if failed:
        typer.echo(f"Failed ({unit}): " + "; ".join(_name(f, labels) for f in failed))


@app.command("max-output")
@handle_errors
def max_output_command(
    systems: SystemsArgument,
    fail: FailOption = None,
    unit: UnitOption = "organisation",
    json_: JsonOption = False,
    store: StoreOption = None,
) -> None:
    """Maximum monthly output of the systems together at their demand ratio (CONTRACT §3b)."""
    from defport_kg.scale import max_output

    network = _network(store, "defport-kg scale max-output", unit)
    report = max_output(network, [resolve_iri(s) for s in systems], [resolve_iri(f) for f in fail or []], unit)
    if json_:
        print_json(report.to_dict())
        return
    labels = report.labels
    _print_failed(report.failed, report.unit, labels)
    if report.unbounded:
        typer.echo("Output is unbounded: a path without any capacity limit reaches the systems:")
        for iri in report.uncapacitated_path or ():
            typer.echo(f"  {_name(iri, labels)}")
        typer.echo("Add dp:monthlyCapacity to a supply relation on that path to get a finite answer.")
        return
    typer.echo(f"Output: {_number(report.level)} x demand (d = dp:monthlyDemand, 1 where missing)")
    coverage = report.coverage
    _table(
        ["system", "demand/month", "output/month", "coverage"],
        [
            [
                _name(s, labels),
                _number(report.demand[s]),
                _number((report.output or {})[s]),
                "-" if coverage[s] is None else f"{coverage[s]:.0%}",
            ]
            for s in report.systems
        ],
    )
    if report.unavailable:
        typer.echo(
            "Not made at all (every supply relation down): " + "; ".join(_name(i, labels) for i in report.unavailable)
        )
    if report.bottlenecks:
        typer.echo("")
        typer.echo("Bottlenecks (binding capacities; shadow price = extra output multiple per unit of capacity):")
        _table(
            ["relation", "item", "supplier", "capacity", "shadow price"],
            [
                [
                    compact(b.relation),
                    _name(b.item, labels),
                    _name(b.supplier, labels),
                    _number(b.capacity),
                    f"{b.shadow_price:.6g}",
                ]
                for b in report.bottlenecks
            ],
        )
    else:
        typer.echo("No capacity binds.")


@app.command("surge")
@handle_errors
def surge_command(
    systems: SystemsArgument,
    target: Annotated[float, typer.Option("--target", help="Target output as a multiple of demand.")] = 2.0,
    fail: FailOption = None,
    unit: UnitOption = "organisation",
    alternatives: Annotated[
        int, typer.Option("--alternatives", help="Alternative suppliers listed per item (at most).")
    ] = 10,
    json_: JsonOption = False,
    store: StoreOption = None,
) -> None:
    """Least total added capacity that lifts output to --target x demand; alternative suppliers."""
    from defport_kg.scale import surge

    network = _network(store, "defport-kg scale surge", unit)
    report = surge(
        network,
        [resolve_iri(s) for s in systems],
        target,
        [resolve_iri(f) for f in fail or []],
        unit,
        alternatives_limit=alternatives,
    )
    if json_:
        print_json(report.to_dict())
        return
    labels = report.labels
    _print_failed(report.failed, report.unit, labels)
    typer.echo(
        f"Target {report.target:g} x demand (now {_number(report.current_multiple)} x): "
        f"add {_number(report.added_total)} units/month of capacity in total."
    )
    if report.increases:
        _table(
            ["relation", "item", "supplier", "capacity", "add", "new capacity"],
            [
                [
                    compact(i.relation),
                    _name(i.item, labels),
                    _name(i.supplier, labels),
                    _number(i.capacity),
                    _number(i.added),
                    _number(i.capacity + i.added),
                ]
                for i in report.increases
            ],
        )
    for alt in report.alternatives:
        typer.echo("")
        typer.echo(f"Could also be qualified for {_name(alt.item, labels)} ({alt.total} found):")
        _table(
            ["organisation", "region", "capabilities"],
            [
                [_name(c.organisation, labels), c.region, " ".join(compact(x) for x in c.capabilities)]
                for c in alt.candidates
            ],
        )


@app.command("alternatives")
@handle_errors
def alternatives_command(
    item: Annotated[str, typer.Argument(help="Item IRI (or dpid: prefixed name).", show_default=False)],
    limit: Annotated[int, typer.Option("--limit", min=0, help="Candidates listed (at most).")] = 10,
    json_: JsonOption = False,
    store: StoreOption = None,
) -> None:
    """Organisations with a capability the item needs but no supply relation for it yet."""
    from defport_kg.scale import alternative_suppliers
    from defport_kg.scale.capacity import check_item

    network = _network(store, "defport-kg scale alternatives")
    found = alternative_suppliers(network, check_item(network, resolve_iri(item)), limit)
    if json_:
        print_json(found.to_dict())
        return
    labels = {c.organisation: c.label for c in found.candidates if c.label}
    needs = " ".join(compact(c) for c in found.capabilities) or "none recorded"
    typer.echo(f"Capabilities needed: {needs}; {found.total} candidate(s)")
    if found.candidates:
        _table(
            ["organisation", "region", "capabilities"],
            [
                [_name(c.organisation, labels), c.region, " ".join(compact(x) for x in c.capabilities)]
                for c in found.candidates
            ],
        )


@app.command("disruption")
@handle_errors
def disruption_command(
    systems: SystemsArgument,
    fail: FailOption = None,
    unit: UnitOption = "organisation",
    json_: JsonOption = False,
    store: StoreOption = None,
) -> None:
    """Output before and after units fail, and time-to-survive on stock (Simchi-Levi et al. 2015)."""
    from defport_kg.scale import disruption

    network = _network(store, "defport-kg scale disruption", unit)
    report = disruption(network, [resolve_iri(s) for s in systems], [resolve_iri(f) for f in fail or []], unit)
    if json_:
        print_json(report.to_dict())
        return
    labels = report.labels
    _print_failed(report.failed, report.unit, labels)
    before, after = report.baseline, report.disrupted
    _table(
        ["system", "output before", "output after", "stock-path days"],
        [
            [
                _name(s, labels),
                "unbounded" if before.output is None else _number(before.output[s]),
                "unbounded" if after.output is None else _number(after.output[s]),
                "no limit" if report.stock_path_days[s] is None else _number(report.stock_path_days[s]),
            ]
            for s in report.systems
        ],
    )
    if report.survives:
        typer.echo("Time to survive: unlimited — the remaining capacity still meets demand.")
    else:
        typer.echo(f"Time to survive (LP, stock + remaining capacity): {_number(report.time_to_survive_days)} days")
    if report.time_to_recover_days is not None:
        verdict = {True: "exposed: recovery takes longer than stock lasts", False: "covered", None: "-"}
        typer.echo(
            f"Time to recover (dp:recoveryDays): {_number(report.time_to_recover_days)} days — "
            f"{verdict[report.exposed]}"
        )
    elif report.failed and not report.survives:
        typer.echo("Time to recover: unknown — output only comes back with relations that have no dp:recoveryDays")
    for note in report.notes:
        typer.echo(f"Note: {note}")


@app.command("needs")
@handle_errors
def needs_command(
    json_: JsonOption = False,
    csv_: Annotated[bool, typer.Option("--csv", help="Print CSV instead of a table.")] = False,
    svg: Annotated[
        Path | None, typer.Option("--svg", help="Also write the heat map (SVG) to this file.", show_default=False)
    ] = None,
    store: StoreOption = None,
) -> None:
    """Needed capabilities versus providers in NL / rest of EU / rest of NATO / other; gaps and projects."""
    from defport_kg.scale import heatmap_svg, needs_vs_capabilities

    with opened_store(store, command="defport-kg scale needs") as handle:
        report = needs_vs_capabilities(handle)
    if svg is not None:
        svg.write_text(heatmap_svg(report), encoding="utf-8")
    if json_:
        print_json(report.to_dict())
        return
    if csv_:
        typer.echo(report.to_csv(), nl=False)
        return
    if not report.capabilities:
        typer.echo("No organisation records a dp:needsCapability.")
        return
    _table(
        ["capability", "needed by", "NL", "rest of EU", "rest of NATO", "other", "gap", "projects"],
        [
            [
                _name(n.capability, report.labels),
                str(len(n.needed_by)),
                *(str(v) for v in n.counts().values()),
                n.gap or "",
                " ".join(compact(p) for p in n.projects) or "-",
            ]
            for n in report.capabilities
        ],
    )
    if svg is not None:
        typer.echo(f"Heat map written to {svg}")
