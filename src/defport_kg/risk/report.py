"""The risk report: every insight analysis for one system or all, as self-contained HTML (no
external assets; an inline SVG of each system's supply tree with its weak points marked) and as
Markdown.

The tree picture is laid out on the server in layers: an item's layer is its shortest depth below
the system (through components and inputs); items are boxes, edges go from an item to what it
needs. Weak points: red — an item supplied by an organisation that alone stops the system; orange
— an item whose every source lies in a country that alone stops it; a dashed border — an item
with a single supply relation.
"""

from __future__ import annotations

import html
from collections import deque
from dataclasses import dataclass
from typing import Any

from defport_kg.namespaces import compact
from defport_kg.risk.evidence import NO_FILTER, EvidenceFilter
from defport_kg.risk.exportcontrol import export_control
from defport_kg.risk.model import SupplyNetwork
from defport_kg.risk.rawmaterials import raw_materials
from defport_kg.risk.sovereignty import sovereignty
from defport_kg.risk.spof import spof
from defport_kg.risk.sustainment import sustainment

MAX_PER_LAYER = 30
BOX_W, BOX_H, GAP_X, GAP_Y = 150, 28, 16, 56


@dataclass(frozen=True)
class Report:
    network: SupplyNetwork
    systems: tuple[str, ...]
    sections: dict[str, Any]
    evidence_filter: EvidenceFilter

    def name(self, iri: str | None) -> str:
        if iri is None:
            return "-"
        return self.network.label(iri) or compact(iri)


def build_report(
    network: SupplyNetwork, systems: list[str] | None = None, evidence_filter: EvidenceFilter = NO_FILTER
) -> Report:
    """Run every analysis once on the (filtered) network for the chosen systems (all by default)."""
    network = evidence_filter.apply(network)
    chosen = tuple(sorted(systems)) if systems else network.systems
    sections = {
        "spof": spof(network, "organisation", chosen).to_dict(),
        "sovereignty": sovereignty(network, chosen).to_dict(),
        "export_control": export_control(network, chosen).to_dict(),
        "raw_materials": raw_materials(network, chosen).to_dict(),
        "sustainment": sustainment(network, "organisation", chosen).to_dict(),
    }
    return Report(network, chosen, sections, evidence_filter)


def _per_system(report: Report, section: str, system: str) -> dict[str, Any]:
    return next(s for s in report.sections[section]["systems"] if s["system"] == system)


def _tables(report: Report, system: str) -> list[tuple[str, list[str], list[list[str]]]]:
    """(title, header, rows) of every table for one system, shared by HTML and Markdown."""
    name = report.name
    sov = _per_system(report, "sovereignty", system)
    orgs = [s["unit"] for s in report.sections["spof"]["spofs"] if system in s["systems"]]
    tables = [
        (
            "Single points of failure",
            ["kind", "units"],
            [
                ["organisation", ", ".join(name(u) for u in orgs) or "none"],
                ["country", ", ".join(name(c) for c in sov["country_spofs"]) or "none"],
            ],
        ),
        (
            "Sovereignty: share of the supply tree still produced if everything outside the region fails",
            ["region", "by location", "by control", "system still available (location / control)"],
            [
                [
                    r,
                    f"{100 * sov['by_location'][r]:.0f} %",
                    f"{100 * sov['by_control'][r]:.0f} %",
                    f"{'yes' if sov['system_available_by_location'][r] else 'no'} / "
                    f"{'yes' if sov['system_available_by_control'][r] else 'no'}",
                ]
                for r in sov["by_location"]
            ],
        ),
    ]
    ec = _per_system(report, "export_control", system)
    tables.append(
        (
            "Export control",
            ["item", "regimes", "alternative path"],
            [
                [name(i["item"]), ", ".join(name(r) for r in i["regimes"]), "yes" if i["avoidable"] else "no"]
                for i in ec["items"]
            ],
        )
    )
    rm = _per_system(report, "raw_materials", system)
    tables.append(
        (
            "Critical raw materials",
            ["material", "countries", "stops the system if lost", "SPOF suppliers/countries"],
            [
                [
                    name(m["material"]),
                    ", ".join(name(c) for c in m["countries"]),
                    "yes" if m["critical"] else "no",
                    ", ".join(name(u) for u in m["spof_suppliers"] + m["spof_countries"]) or "-",
                ]
                for m in rm["materials"]
            ],
        )
    )
    rows = []
    for e in report.sections["sustainment"]["entries"]:
        if e["system"] != system:
            continue
        recover = "unknown" if e["time_to_recover_days"] is None else f"{e['time_to_recover_days']:g}"
        gap = "-" if e["gap_days"] is None else f"{e['gap_days']:g}"
        survive = "-" if e["time_to_survive_days"] is None else f"{e['time_to_survive_days']:g}"
        rows.append([name(e["unit"]), survive, recover, gap])
    tables.append(
        ("Sustainment: time to survive vs time to recover (days)", ["organisation", "survive", "recover", "gap"], rows)
    )
    return tables


def tree_layout(network: SupplyNetwork, system: str) -> tuple[list[list[str]], list[tuple[str, str]], dict[str, int]]:
    """Layers of the system's supply tree (shortest depth), its edges, and how many items each layer hid."""
    depth = {system: 0}
    queue = deque([system])
    edges: list[tuple[str, str]] = []
    while queue:
        item = queue.popleft()
        needed = set(network.components.get(item, {}))
        for r in network.relations_of.get(item, ()):
            needed.update(network.relations[r].inputs)
        for child in sorted(needed):
            edges.append((item, child))
            if child not in depth:
                depth[child] = depth[item] + 1
                queue.append(child)
    layers: list[list[str]] = [[] for _ in range(max(depth.values()) + 1)]
    for item, d in sorted(depth.items(), key=lambda kv: (kv[1], network.label(kv[0]) or kv[0])):
        layers[d].append(item)
    hidden = {}
    for d, layer in enumerate(layers):
        if len(layer) > MAX_PER_LAYER:
            hidden[str(d)] = len(layer) - MAX_PER_LAYER
            del layer[MAX_PER_LAYER:]
    return layers, edges, {k: v for k, v in hidden.items()}


def weak_points(report: Report, system: str) -> dict[str, str]:
    """Item → "org-spof" | "country-spof" | "single-source" for the picture."""
    network = report.network
    orgs = {s["unit"] for s in report.sections["spof"]["spofs"] if system in s["systems"]}
    countries = set(_per_system(report, "sovereignty", system)["country_spofs"])
    marks = {}
    for item, rels in network.relations_of.items():
        relations = [network.relations[r] for r in rels]
        if any(r.supplier in orgs for r in relations) and all(r.supplier in orgs for r in relations):
            marks[item] = "org-spof"
        elif all(r.country in countries for r in relations):
            marks[item] = "country-spof"
        elif len(relations) == 1:
            marks[item] = "single-source"
    return marks


def tree_svg(report: Report, system: str) -> str:
    layers, edges, hidden = tree_layout(report.network, system)
    marks = weak_points(report, system)
    width = max(len(layer) for layer in layers) * (BOX_W + GAP_X) + GAP_X
    height = len(layers) * (BOX_H + GAP_Y) + GAP_Y
    position: dict[str, tuple[float, float]] = {}
    for d, layer in enumerate(layers):
        offset = (width - len(layer) * (BOX_W + GAP_X)) / 2
        for k, item in enumerate(layer):
            position[item] = (offset + GAP_X / 2 + k * (BOX_W + GAP_X), GAP_Y / 2 + d * (BOX_H + GAP_Y))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" role="img" aria-label="supply tree of '
        f'{html.escape(report.name(system))}" font-family="sans-serif" font-size="10">'
    ]
    for parent, child in edges:
        if parent in position and child in position:
            (x1, y1), (x2, y2) = position[parent], position[child]
            parts.append(
                f'<line x1="{x1 + BOX_W / 2:.0f}" y1="{y1 + BOX_H:.0f}" x2="{x2 + BOX_W / 2:.0f}" '
                f'y2="{y2:.0f}" stroke="#bbb" stroke-width="0.7"/>'
            )
    fills = {"org-spof": "#f8c4c4", "country-spof": "#fbe0b4"}
    for item, (x, y) in position.items():
        mark = marks.get(item, "")
        fill = fills.get(mark, "#eef3f8")
        dash = ' stroke-dasharray="4 2"' if mark == "single-source" else ""
        stroke = "#c00" if mark == "org-spof" else "#d80" if mark == "country-spof" else "#567"
        label = report.name(item)
        short = label if len(label) <= 24 else label[:23] + "…"
        parts.append(
            f'<g class="{mark or "item"}"><title>{html.escape(label)} ({html.escape(compact(item))})'
            f"{' — ' + mark if mark else ''}</title>"
            f'<rect x="{x:.0f}" y="{y:.0f}" width="{BOX_W}" height="{BOX_H}" rx="4" fill="{fill}" '
            f'stroke="{stroke}"{dash}/>'
            f'<text x="{x + BOX_W / 2:.0f}" y="{y + BOX_H / 2 + 3:.0f}" text-anchor="middle">'
            f"{html.escape(short)}</text></g>"
        )
    for d, count in hidden.items():
        y = GAP_Y / 2 + int(d) * (BOX_H + GAP_Y) + BOX_H + 12
        parts.append(f'<text x="{width - 8:.0f}" y="{y:.0f}" text-anchor="end" fill="#666">+{count} more</text>')
    parts.append("</svg>")
    return "".join(parts)


_CSS = """body{font-family:system-ui,sans-serif;margin:2rem;max-width:80rem;color:#222}
table{border-collapse:collapse;margin:.5rem 0 1.5rem}td,th{border:1px solid #ccc;padding:.25rem .5rem;
text-align:left;vertical-align:top}th{background:#f2f2f2}.tree{overflow-x:auto;border:1px solid #ddd;
padding:.5rem}.legend span{display:inline-block;padding:0 .5rem;margin-right:.5rem;border:1px solid #999}"""


def to_html(report: Report) -> str:
    """One self-contained HTML page: no scripts, no external styles, fonts or images."""
    from defport_kg import __version__

    esc = html.escape
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        "<title>defport-kg risk report</title>",
        f"<style>{_CSS}</style></head><body>",
        "<h1>Supply-chain risk report</h1>",
        f"<p>defport-kg {esc(__version__)}; evidence filter: as of "
        f"{esc(str(report.evidence_filter.as_of or 'any date'))},"
        f" minimum confidence {esc(compact(report.evidence_filter.min_confidence or 'none'))}.</p>",
        '<p class="legend"><span style="background:#f8c4c4">supplied only by an organisation that alone stops '
        'the system</span><span style="background:#fbe0b4">every source in a country that alone stops it'
        '</span><span style="border-style:dashed">single supply relation</span></p>',
    ]
    for system in report.systems:
        out.append(f'<section id="{esc(compact(system))}"><h2>{esc(report.name(system))}</h2>')
        out.append(f'<div class="tree">{tree_svg(report, system)}</div>')
        for title, header, rows in _tables(report, system):
            out.append(f"<h3>{esc(title)}</h3>")
            if not rows:
                out.append("<p>none</p>")
                continue
            out.append("<table><tr>" + "".join(f"<th>{esc(h)}</th>" for h in header) + "</tr>")
            out.extend("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in row) + "</tr>" for row in rows)
            out.append("</table>")
        out.append("</section>")
    controlled = report.sections["sovereignty"]["foreign_controlled"]
    if controlled:
        out.append(
            "<h2>Dutch organisations controlled from abroad</h2><table><tr><th>organisation</th>"
            "<th>ultimate parent</th><th>controlled from</th></tr>"
        )
        out.extend(
            f"<tr><td>{esc(report.name(f['organisation']))}</td><td>{esc(report.name(f['ultimate_parent']))}</td>"
            f"<td>{esc(report.name(f['control_country']))}</td></tr>"
            for f in controlled
        )
        out.append("</table>")
    out.append("</body></html>")
    return "\n".join(out)


def to_markdown(report: Report) -> str:
    def cell(text: str) -> str:
        return text.replace("|", "\\|").replace("\n", " ")

    out = ["# Supply-chain risk report", ""]
    for system in report.systems:
        out += [f"## {report.name(system)}", ""]
        for title, header, rows in _tables(report, system):
            out += [f"### {title}", ""]
            if not rows:
                out += ["none", ""]
                continue
            out.append("| " + " | ".join(header) + " |")
            out.append("|" + " --- |" * len(header))
            out += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows]
            out.append("")
    controlled = report.sections["sovereignty"]["foreign_controlled"]
    if controlled:
        out += [
            "## Dutch organisations controlled from abroad",
            "",
            "| organisation | ultimate parent | controlled from |",
            "| --- | --- | --- |",
        ]
        out += [
            f"| {report.name(f['organisation'])} | {report.name(f['ultimate_parent'])} | "
            f"{report.name(f['control_country'])} |"
            for f in controlled
        ]
        out.append("")
    return "\n".join(out)
