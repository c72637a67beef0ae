"""The needs-versus-capabilities heat map as a self-contained SVG (no scripts, fonts or links).

Generated on the server so that the web page, the API and a report file show the same picture
and nothing is fetched from elsewhere (the service may run air-gapped). Rows are the needed
capabilities, columns the regions; a cell's shade grows with the number of providers, and the
gap column marks capabilities with no Dutch provider (red) or one (amber).
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from defport_kg.scale.needs import GAP_NONE, GAP_SINGLE, REGION_TITLES, REGIONS, NeedsReport

CELL_W = 92
CELL_H = 26
LABEL_W = 300
GAP_W = 230
HEADER_H = 56
FOOTER_H = 34
FONT = 'font-family="sans-serif" font-size="12"'
# Sequential blues, lightest for zero providers (ColorBrewer "Blues", 5 classes).
SHADES = ("#f7fbff", "#c6dbef", "#6baed6", "#2171b5", "#08306b")
GAP_COLOURS = {GAP_NONE: "#d7301f", GAP_SINGLE: "#fdae61"}


def _shade(count: int, top: int) -> str:
    if count <= 0:
        return SHADES[0]
    step = 1 + min(len(SHADES) - 2, int((count - 1) * (len(SHADES) - 1) / max(top, 1)))
    return SHADES[step]


def _text(x: float, y: float, content: str, *, anchor: str = "start", fill: str = "#222", bold: bool = False) -> str:
    weight = ' font-weight="bold"' if bold else ""
    return f'<text x="{x:.0f}" y="{y:.0f}" {FONT} text-anchor="{anchor}" fill="{fill}"{weight}>{escape(content)}</text>'


def heatmap_svg(report: NeedsReport, title: str = "Defence needs versus industrial capabilities") -> str:
    """The SVG document (UTF-8 text) of ``report``; an empty report says so in the picture."""
    rows = report.capabilities
    top = max((max(n.counts().values()) for n in rows), default=0)
    width = LABEL_W + CELL_W * len(REGIONS) + GAP_W + 20
    height = HEADER_H + CELL_H * max(len(rows), 1) + FOOTER_H
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title, {chr(34): "&quot;"})}">',
        f"<title>{escape(title)}</title>",
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>',
        _text(10, 20, title, bold=True),
        _text(10, HEADER_H - 10, "capability (organisations that need it)", fill="#555"),
    ]
    for k, region in enumerate(REGIONS):
        parts.append(_text(LABEL_W + CELL_W * k + CELL_W / 2, HEADER_H - 10, REGION_TITLES[region], anchor="middle"))
    parts.append(_text(LABEL_W + CELL_W * len(REGIONS) + 10, HEADER_H - 10, "gap"))
    if not rows:
        parts.append(_text(10, HEADER_H + 18, "No organisation records a dp:needsCapability.", fill="#555"))
    for n, need in enumerate(rows):
        y = HEADER_H + CELL_H * n
        name = need.label or need.capability.rsplit("/", 1)[-1]
        if len(name) > 38:
            name = name[:37] + "…"
        parts.append(f"<g><title>{escape(need.capability)}</title>")
        parts.append(_text(10, y + 17, f"{name} ({len(need.needed_by)})"))
        parts.append("</g>")
        for k, (region, count) in enumerate(need.counts().items()):
            x = LABEL_W + CELL_W * k
            fill = _shade(count, top)
            ink = "#ffffff" if fill in SHADES[3:] else "#222"
            parts.append(
                f'<rect x="{x}" y="{y}" width="{CELL_W - 2}" height="{CELL_H - 2}" fill="{fill}" stroke="#ccc">'
                f"<title>{escape(REGION_TITLES[region])}: {count} provider(s)</title></rect>"
            )
            parts.append(_text(x + CELL_W / 2, y + 17, str(count), anchor="middle", fill=ink))
        gap = need.gap
        if gap is not None:
            x = LABEL_W + CELL_W * len(REGIONS) + 6
            parts.append(f'<rect x="{x}" y="{y + 4}" width="14" height="14" fill="{GAP_COLOURS[gap]}"/>')
            more = f", {len(need.projects)} project(s)" if need.projects else ""
            parts.append(_text(x + 20, y + 17, gap + more, fill="#222"))
    legend_y = height - 12
    parts.append(
        _text(10, legend_y, "Cell: number of organisations with the capability (or a narrower one).", fill="#555")
    )
    parts.append("</svg>")
    return "\n".join(parts) + "\n"
