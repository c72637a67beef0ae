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
    read_network,
    resolve_iri,
)
from defport_kg.namespaces import compact

app = typer.Typer(
    help="Supply-chain risk: which organisations, sites or countries can stop production (CONTRACT §3 semantics).",
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
LimitOption = Annotated[int | None, typer.Option("--limit", min=1, help="Show at most this many rows.")]
SystemsOnlyOption = Annotated[bool, typer.Option("--systems-only", help="Only items typed dp:System.")]


def _network(store: str | None, command: str) -> Any:
    with opened_store(store, command=f"defport-kg risk {command}") as handle:
        return read_network(handle)


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
    max_order: Annotated[int, typer.Option("--max-order", help="Largest cut set size: 1, 2 or 3 (3 is bounded).")] = 2,
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
        "order",
        "units that together stop it",
    )
    for cut in report.cut_sets:
        table.add_row(str(cut.order), "\n".join(_name(network, m) for m in cut.members))
    if report.cut_sets:
        console.print(table)
    else:
        console.print(f"No set of at most {max_order} {unit} unit(s) can stop {_name(network, report.item)}.")
    if not report.complete:
        console.print(
            "Incomplete: the order-3 search hit its bound (setting cut_set_order3_bound); orders 1 and 2 are complete.",
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
        "#",
        unit,
        "systems stopped",
        "capabilities",
    )
    for rank, entry in enumerate(report.spofs[:limit] if limit else report.spofs, start=1):
        shown = ", ".join(_short(network, s) for s in entry.systems[:5])
        more = f" … and {len(entry.systems) - 5} more" if len(entry.systems) > 5 else ""
        table.add_row(
            str(rank),
            _name(network, entry.unit),
            f"{len(entry.systems)}: {shown}{more}",
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
        "item",
        "supplier",
        "site",
        "country",
        "stock days",
        "recovery days",
    )
    for row in rows[:limit] if limit else rows:
        table.add_row(
            _name(network, row.item),
            _name(network, row.supplier),
            _name(network, row.site),
            _name(network, row.country),
            _number(row.stock_days),
            _number(row.recovery_days),
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
        "item",
        "relations",
        "HHI",
        "outside NL",
        "outside EU",
        "outside NATO",
        "country unknown",
    )
    for row in rows[:limit] if limit else rows:
        hhi = f"{row.hhi:.0f}" + (" (est.)" if row.shares_estimated else "")
        table.add_row(
            _name(network, row.item),
            str(row.relations),
            hhi,
            _percent(row.outside_nl),
            _percent(row.outside_eu),
            _percent(row.outside_nato),
            _percent(row.unknown_country),
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
                _name(network, cap.capability),
                "yes" if cap.lost else "partly",
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


# -- insight analyses (issue 5): sovereignty, export control, raw materials, sustainment, explain --

AsOfOption = Annotated[
    str | None, typer.Option("--as-of", help="Use only supply relations valid on this date (YYYY-MM-DD).")
]
MinConfidenceOption = Annotated[
    str | None,
    typer.Option(
        "--min-confidence",
        help="Leave out relations below this level (no level counts as assumed).",
        metavar="disclosed|inferred|assumed",
    ),
]
SaveOption = Annotated[
    bool, typer.Option("--save", help="Store the findings as RDF in a named graph dpid:analysis/{id} (live data).")
]
SystemFilterOption = Annotated[
    list[str] | None, typer.Option("--system", help="Only this system (repeatable); all systems by default.")
]


def _insight(
    store: str | None,
    command: str,
    as_of: str | None,
    min_confidence: str | None,
    save: bool,
    run: Any,
) -> tuple[Any, dict[str, Any], dict[str, Any] | None]:
    """Load the network, apply the evidence filter, run the analysis; with --save store its findings."""
    from defport_kg.risk import EvidenceFilter, save_findings

    evidence = EvidenceFilter.of(as_of, min_confidence)
    with opened_store(store, command=f"defport-kg risk {command}") as handle:
        network = evidence.apply(read_network(handle))
        body = run(network).to_dict()
        body["evidence_filter"] = evidence.to_dict()
        saved = save_findings(handle, command, body, evidence.to_dict()) if save else None
    if saved is not None:
        body["saved"] = saved
    return network, body, saved


def _saved_note(saved: dict[str, Any] | None) -> None:
    if saved is not None:
        _console().print(f"Saved {saved['findings']} finding(s) in graph {saved['graph']}")


@app.command("sovereignty")
@handle_errors
def sovereignty_command(
    system: SystemFilterOption = None,
    by: Annotated[
        str,
        typer.Option(
            "--by",
            help="Count an organisation where it is (location), where its ultimate dp:controlledBy parent "
            "is (control), or show both.",
            metavar="location|control|both",
        ),
    ] = "both",
    as_of: AsOfOption = None,
    min_confidence: MinConfidenceOption = None,
    save: SaveOption = False,
    json_output: JsonOption = False,
    store: StoreOption = None,
) -> None:
    """Country SPOFs per system and the share of its supply tree left if everything outside NL/EU/NATO fails.

    By location a relation belongs to its effective country; by control to the country of its supplier's
    ultimate dp:controlledBy parent (a Dutch subsidiary of a foreign group is foreign-controlled).
    """
    from defport_kg.risk import sovereignty
    from defport_kg.risk.sovereignty import REGIONS, check_by

    bases = check_by(by)
    systems = [resolve_iri(s) for s in system] if system else None
    network, body, saved = _insight(
        store, "sovereignty", as_of, min_confidence, save, lambda n: sovereignty(n, systems, by)
    )
    if json_output:
        print_json(body)
        return
    short = {"location": "loc", "control": "ctl"}
    spof_keys = {"location": "country_spofs", "control": "country_spofs_by_control"}
    columns = [f"country SPOFs ({basis})" for basis in bases]
    columns += [f"{r} {'/'.join(short[b] for b in bases)}" for r in REGIONS]
    table = _table("Sovereignty (share of the supply tree still produced)", "system", *columns, "assumed")
    for s in body["systems"]:
        # ISO codes: country IRIs end in one (dpid:country/{ISO}), and names would not fit a column.
        spofs = [" ".join(c.rsplit("/", 1)[-1] for c in s[spof_keys[b]]) or "-" for b in bases]
        cells = [" / ".join(f"{100 * s['by_' + b][r]:.0f} %" for b in bases) for r in REGIONS]
        assumed = s["evidence"]["assumed_fraction"]
        table.add_row(_name(network, s["system"]), *spofs, *cells, "-" if assumed is None else _percent(assumed))
    console = _console()
    console.print(table)
    if body["foreign_controlled"]:
        controlled = _table(
            "Dutch organisations controlled from abroad", "organisation", "ultimate parent", "controlled from"
        )
        for f in body["foreign_controlled"]:
            controlled.add_row(
                _name(network, f["organisation"]),
                _name(network, f["ultimate_parent"]),
                _name(network, f["control_country"]),
            )
        console.print(controlled)
    _saved_note(saved)


@app.command("export-control")
@handle_errors
def export_control_command(
    system: SystemFilterOption = None,
    as_of: AsOfOption = None,
    min_confidence: MinConfidenceOption = None,
    save: SaveOption = False,
    json_output: JsonOption = False,
    store: StoreOption = None,
) -> None:
    """Export-controlled items (ITAR, EAR, EU dual-use) on each system's paths, and whether a path avoids them."""
    from defport_kg.risk import export_control

    systems = [resolve_iri(s) for s in system] if system else None
    network, body, saved = _insight(
        store, "export-control", as_of, min_confidence, save, lambda n: export_control(n, systems)
    )
    if json_output:
        print_json(body)
        return
    table = _table("Export control", "system", "item", "regimes", "alternative path")
    for s in body["systems"]:
        for i in s["items"]:
            table.add_row(
                _name(network, s["system"]),
                _name(network, i["item"]),
                ", ".join(_short(network, r) for r in i["regimes"]),
                "yes" if i["avoidable"] else "NO",
            )
    _console().print(table)
    _saved_note(saved)


@app.command("raw-materials")
@handle_errors
def raw_materials_command(
    system: SystemFilterOption = None,
    as_of: AsOfOption = None,
    min_confidence: MinConfidenceOption = None,
    save: SaveOption = False,
    json_output: JsonOption = False,
    store: StoreOption = None,
) -> None:
    """EU critical and strategic raw materials each system depends on, their suppliers, countries and SPOFs."""
    from defport_kg.risk import raw_materials

    systems = [resolve_iri(s) for s in system] if system else None
    network, body, saved = _insight(
        store, "raw-materials", as_of, min_confidence, save, lambda n: raw_materials(n, systems)
    )
    if json_output:
        print_json(body)
        return
    table = _table(
        "Critical raw materials per system",
        "system",
        "material",
        "countries",
        "stops system if lost",
        "SPOF suppliers/countries",
    )
    for s in body["systems"]:
        for m in s["materials"]:
            table.add_row(
                _short(network, s["system"]),
                _short(network, m["material"]),
                ", ".join(_short(network, c) for c in m["countries"]),
                "yes" if m["critical"] else "no",
                ", ".join(_short(network, u) for u in m["spof_suppliers"] + m["spof_countries"]),
            )
    _console().print(table)
    _saved_note(saved)


@app.command("sustainment")
@handle_errors
def sustainment_command(
    unit: UnitOption = "organisation",
    system: SystemFilterOption = None,
    exposed_only: Annotated[
        bool, typer.Option("--exposed-only", help="Only pairs where recovery outlasts stock.")
    ] = False,
    as_of: AsOfOption = None,
    min_confidence: MinConfidenceOption = None,
    save: SaveOption = False,
    json_output: JsonOption = False,
    store: StoreOption = None,
) -> None:
    """Time-to-survive (stock along the failure path) vs time-to-recover for every unit that alone stops a system.

    TTS: a parent stops when the first of its failed inputs runs out, plus its own dp:stockDays. TTR: the
    longest dp:recoveryDays among the relations the unit takes down (unknown when any is missing).
    """
    from defport_kg.risk import check_unit_kind, sustainment

    check_unit_kind(unit)
    systems = [resolve_iri(s) for s in system] if system else None
    network, body, saved = _insight(
        store, "sustainment", as_of, min_confidence, save, lambda n: sustainment(n, unit, systems)
    )
    if json_output:
        print_json(body)
        return
    rows = body["exposures"] if exposed_only else body["entries"]
    table = _table(f"Sustainment ({unit}): days", unit, "system", "survive", "recover", "gap")
    for e in rows:
        recover = "unknown" if e["time_to_recover_days"] is None else _number(e["time_to_recover_days"])
        table.add_row(
            _name(network, e["unit"]),
            _short(network, e["system"]),
            _number(e["time_to_survive_days"]),
            recover,
            _number(e["gap_days"]),
        )
    _console().print(table)
    _saved_note(saved)


@app.command("explain")
@handle_errors
def explain_command(
    unit: Annotated[str, typer.Argument(help="The unit: an organisation, site or country IRI.")],
    system: Annotated[str, typer.Argument(help="The system (item) IRI.")],
    as_of: AsOfOption = None,
    min_confidence: MinConfidenceOption = None,
    save: SaveOption = False,
    json_output: JsonOption = False,
    store: StoreOption = None,
) -> None:
    """Why UNIT matters to SYSTEM: the supply paths from SYSTEM down to UNIT and UNIT's tier (prime = 0)."""
    from defport_kg.risk import explain

    unit_iri, system_iri = resolve_iri(unit), resolve_iri(system)
    network, body, saved = _insight(
        store, "explain", as_of, min_confidence, save, lambda n: explain(n, unit_iri, system_iri)
    )
    if json_output:
        print_json(body)
        return
    console = _console()
    tier = "not on its supply paths" if body["tier"] is None else f"tier {body['tier']}"
    stops = "alone stops it" if body["stops_system"] else "does not alone stop it"
    console.print(f"{_name(network, unit_iri)} is {tier} for {_name(network, system_iri)} and {stops}.")
    for n, path in enumerate(body["paths"], start=1):
        steps = " → ".join((f"[{s['via']}] " if s["via"] else "") + _short(network, s["item"]) for s in path)
        console.print(f"{n}. {steps} ← {_short(network, path[-1]['relation'])}")
    if not body["complete"]:
        console.print("More paths exist; the shortest are shown.", style="yellow")
    _saved_note(saved)


@app.command("report")
@handle_errors
def report_command(
    html_file: Annotated[str | None, typer.Option("--html", help="Write the HTML report to this file.")] = None,
    markdown_file: Annotated[str | None, typer.Option("--markdown", help="Write the Markdown report here.")] = None,
    system: SystemFilterOption = None,
    as_of: AsOfOption = None,
    min_confidence: MinConfidenceOption = None,
    store: StoreOption = None,
) -> None:
    """A report of every insight analysis, with a picture of each system's supply tree and its weak points."""
    from pathlib import Path

    from defport_kg.errors import UsageError
    from defport_kg.risk import EvidenceFilter
    from defport_kg.risk.cutsets import check_item
    from defport_kg.risk.report import build_report, to_html, to_markdown

    if not html_file and not markdown_file:
        raise UsageError("give --html FILE and/or --markdown FILE")
    evidence = EvidenceFilter.of(as_of, min_confidence)
    with opened_store(store, command="defport-kg risk report") as handle:
        network = read_network(handle)
    systems = [check_item(network, resolve_iri(s)) for s in system] if system else None
    report = build_report(network, systems, evidence)
    for target, render in ((html_file, to_html), (markdown_file, to_markdown)):
        if target:
            Path(target).write_text(render(report), encoding="utf-8")
            _console().print(f"Wrote {target}")
