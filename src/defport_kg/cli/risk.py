"""`defport-kg risk ...`: translate arguments into ``defport_kg.risk`` calls and print the answer.

Arguments are checked before the store is opened (a bad --unit or --max-order fails fast, exit
2); the network is loaded once per command; ``--json`` prints the report's ``to_dict()`` (CONTRACT
§4), otherwise a rich table meant for people.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer

from defport_kg.cli.common import (
    JsonOption,
    StoreOption,
    handle_errors,
    opened_store,
    print_json,
    resolve_iri,
)
from defport_kg.namespaces import compact

app = typer.Typer(
    help="Supply-chain risk: which organisations, sites or countries can stop production "
    "(CONTRACT §3 semantics).",
    no_args_is_help=True,
)

UnitOption = Annotated[
    str,
    typer.Option(
        "--unit",
        help="Failure unit: organisation, site or country.",
        metavar="organisation|site|country",
    ),
]
LimitOption = Annotated[
    int | None, typer.Option("--limit", min=1, help="Show at most this many rows.")
]
SystemsOnlyOption = Annotated[
    bool, typer.Option("--systems-only", help="Only items typed dp:System.")
]


def _network(store: str | None, command: str) -> Any:
    from defport_kg.risk import load_network

    with opened_store(store, command=f"defport-kg risk {command}") as handle:
        return load_network(handle)


def _name(network: Any, iri: str | None) -> str:
    """A label and a compact IRI, for tables."""
    if iri is None:
        return "-"
    label = network.label(iri)
    short = compact(iri)
    return f"{label} ({short})" if label else short


def _short(network: Any, iri: str) -> str:
    """A label alone when there is one (lists of systems, capabilities)."""
    return network.label(iri) or compact(iri)


def _console() -> Any:
    from rich.console import Console

    # No markup: labels come from the data and may hold brackets that rich would eat.
    return Console(soft_wrap=False, markup=False)


def _table(title: str, *columns: str) -> Any:
    from rich.table import Table

    table = Table(title=title, title_justify="left", show_lines=False)
    for column in columns:
        table.add_column(column, overflow="fold")
    return table


@app.command("cut-sets")
@handle_errors
def cut_sets_command(
    item: Annotated[str, typer.Argument(help="The item: a full IRI or dpid:item/... .")],
    max_order: Annotated[
        int, typer.Option("--max-order", help="Largest cut set size: 1, 2 or 3 (3 is bounded).")
    ] = 2,
    unit: UnitOption = "organisation",
    json_output: JsonOption = False,
    store: StoreOption = None,
) -> None:
    """Exactly all minimal cut sets of ITEM up to --max-order.

    A cut set is a set of units whose joint failure makes ITEM unavailable; minimal: no subset is.
    """
    from defport_kg.risk import check_unit_kind, cut_sets
    from defport_kg.risk.cutsets import check_max_order

    check_unit_kind(unit)
    check_max_order(max_order)
    network = _network(store, "cut-sets")
    report = cut_sets(network, resolve_iri(item), max_order, unit)
    if json_output:
        print_json(report.to_dict())
        return
    console = _console()
    table = _table(
        f"Minimal cut sets of {_name(network, report.item)} — unit: {unit}, order ≤ {max_order}",
        "order", "units that together stop it",
    )
    for cut in report.cut_sets:
        table.add_row(str(cut.order), "\n".join(_name(network, m) for m in cut.members))
    if report.cut_sets:
        console.print(table)
    else:
        console.print(
            f"No set of at most {max_order} {unit} unit(s) can stop {_name(network, report.item)}."
        )
    if not report.complete:
        console.print(
            "Incomplete: the order-3 search hit its bound (setting cut_set_order3_bound); "
            "orders 1 and 2 are complete.",
            style="yellow",
        )
    if report.data_gaps:
        console.print(
            f"{len(report.data_gaps)} item(s) in its supply tree have neither suppliers nor "
            "components (data gaps, treated as always available).",
            style="yellow",
        )


@app.command("spof")
@handle_errors
def spof_command(
    unit: UnitOption = "organisation",
    limit: LimitOption = None,
    json_output: JsonOption = False,
    store: StoreOption = None,
) -> None:
    """Units that alone can stop at least one system, with the systems they stop.

    Systems are the items typed dp:System; most systems first, then by IRI.
    """
    from defport_kg.risk import check_unit_kind, spof

    check_unit_kind(unit)
    network = _network(store, "spof")
    report = spof(network, unit)
    if json_output:
        print_json(report.to_dict())
        return
    console = _console()
    table = _table(
        f"Single points of failure ({unit}) across {report.systems_analysed} systems",
        "#", unit, "systems stopped", "capabilities",
    )
    for rank, entry in enumerate(report.spofs[:limit] if limit else report.spofs, start=1):
        shown = ", ".join(_short(network, s) for s in entry.systems[:5])
        more = f" … and {len(entry.systems) - 5} more" if len(entry.systems) > 5 else ""
        table.add_row(
            str(rank), _name(network, entry.unit), f"{len(entry.systems)}: {shown}{more}",
            ", ".join(_short(network, c) for c in entry.capabilities),
        )
    if report.spofs:
        console.print(table)
    else:
        console.print(f"No single {unit} can stop any of the {report.systems_analysed} systems.")


@app.command("single-source")
@handle_errors
def single_source_command(
    systems_only: SystemsOnlyOption = False,
    limit: LimitOption = None,
    json_output: JsonOption = False,
    store: StoreOption = None,
) -> None:
    """Items with exactly one supply relation."""
    from defport_kg.risk import single_sources

    network = _network(store, "single-source")
    rows = single_sources(network, systems_only=systems_only)
    if json_output:
        print_json({"count": len(rows), "items": [r.to_dict() for r in rows]})
        return
    table = _table(
        f"{len(rows)} single-sourced item(s)",
        "item", "supplier", "site", "country", "stock days", "recovery days",
    )
    for row in rows[:limit] if limit else rows:
        table.add_row(
            _name(network, row.item), _name(network, row.supplier), _name(network, row.site),
            _name(network, row.country), _number(row.stock_days), _number(row.recovery_days),
        )
    _console().print(table)


@app.command("concentration")
@handle_errors
def concentration_command(
    systems_only: SystemsOnlyOption = False,
    limit: LimitOption = None,
    json_output: JsonOption = False,
    store: StoreOption = None,
) -> None:
    """Herfindahl-Hirschman index per item and its volume outside NL, the EU and NATO.

    HHI from dp:share on the 0-10,000 scale; countries are the relations' effective countries.
    """
    from defport_kg.risk import concentration

    network = _network(store, "concentration")
    rows = concentration(network, systems_only=systems_only)
    if json_output:
        print_json({"count": len(rows), "items": [r.to_dict() for r in rows]})
        return
    table = _table(
        f"Supply concentration of {len(rows)} item(s), most concentrated first",
        "item", "relations", "HHI", "outside NL", "outside EU", "outside NATO", "country unknown",
    )
    for row in rows[:limit] if limit else rows:
        hhi = f"{row.hhi:.0f}" + (" (est.)" if row.shares_estimated else "")
        table.add_row(
            _name(network, row.item), str(row.relations), hhi, _percent(row.outside_nl),
            _percent(row.outside_eu), _percent(row.outside_nato), _percent(row.unknown_country),
        )
    _console().print(table)


@app.command("impact")
@handle_errors
def impact_command(
    units: Annotated[
        list[str],
        typer.Argument(help="Failed units: organisations, sites and/or countries (IRIs)."),
    ],
    json_output: JsonOption = False,
    store: StoreOption = None,
) -> None:
    """What-if: everything that becomes unavailable when UNITs fail together.

    UNITs may mix organisations, sites and countries.
    """
    from defport_kg.risk import impact

    network = _network(store, "impact")
    report = impact(network, [resolve_iri(u) for u in units])
    if json_output:
        print_json(report.to_dict())
        return
    console = _console()
    failed = ", ".join(f"{_name(network, f.unit)} [{f.kind}]" for f in report.failed)
    console.print(f"Failed: {failed}")
    console.print(
        f"{len(report.items)} item(s) unavailable, {len(report.systems)} of them systems; "
        f"{report.relations_down} supply relation(s) down."
    )
    if report.systems:
        table = _table("Systems stopped", "system")
        for system in report.systems:
            table.add_row(_name(network, system))
        console.print(table)
    if report.capabilities:
        table = _table("Capabilities hit", "capability", "lost", "unavailable items")
        for cap in report.capabilities:
            table.add_row(
                _name(network, cap.capability), "yes" if cap.lost else "partly",
                str(len(cap.unavailable_items)),
            )
        console.print(table)
    if report.organisations_without_input:
        table = _table("Organisations left without an input", "organisation", "missing")
        for org in report.organisations_without_input:
            table.add_row(
                _name(network, org.organisation),
                "\n".join(_name(network, m) for m in org.missing),
            )
        console.print(table)


def _number(value: float | int | None) -> str:
    if value is None:
        return "-"
    return f"{value:g}"


def _percent(value: float) -> str:
    return f"{100 * value:.0f} %"
