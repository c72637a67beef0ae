"""The web interface in a real browser: Debian's Chromium, driven by Playwright, against a real
uvicorn on 127.0.0.1 over the example data. Every test fails if any request leaves 127.0.0.1
(the ``page`` fixture refuses and records them) or if the Content-Security-Policy refused
something of ours. Screenshots go to test-artifacts/web/ (and, with
DEFPORT_KG_UPDATE_SCREENSHOTS=1, to docs/screenshots/ for the README)."""

from __future__ import annotations

import random
import time
from typing import Any
from urllib.parse import quote

import httpx
import networkx as nx
import pytest

from defport_kg.web import views
from tests.web.conftest import LiveServer, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# YASGUI's column resizer injects a <style> element; the CSP refuses it and app.css carries the
# same rules instead (see web/static/css/app.css). This is the hash the refusal names.
KNOWN_REFUSED_STYLES = ("sha256-zCK2EVMoPc04mRF/g5CotUvxbJPWS+8V0b+s9ptqQIk=",)
MINDEF = "https://w3id.org/defport/id/org/ministerie-van-defensie"


def no_csp_violations(page: Any) -> None:
    assert page.traffic.csp_violations(KNOWN_REFUSED_STYLES) == []


def api_available(server: LiveServer, path: str) -> bool:
    return httpx.get(server.url + path, timeout=60).status_code != 404


def wait_until(page: Any, expression: str, timeout: float = 30.0) -> None:
    """Poll a page expression from the test side.

    Playwright's ``wait_for_function`` with a string predicate can be refused by the page's strict
    Content-Security-Policy (no 'unsafe-eval') when it polls for long; ``evaluate`` is not.
    """
    deadline = time.monotonic() + timeout
    while True:
        if page.evaluate(f"() => Boolean({expression})"):
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {expression}")
        time.sleep(0.2)


def _cut_sets(server: LiveServer, system: str) -> dict[str, Any]:
    """The organisations whose failure stops ``system``, alone or in pairs, as the risk API answers."""
    params = {"item": system, "max_order": 2, "unit": "organisation"}
    return httpx.get(server.url + "/api/risk/cut-sets", params=params, timeout=120).json()


def _members(answer: dict[str, Any], order: int) -> set[str]:
    return {m for c in answer["cut_sets"] if c["order"] == order for m in c["members"]}


def test_language_switch_shows_dutch_interface_and_dutch_labels(page: Any, live_server: LiveServer) -> None:
    page.goto("/")
    assert page.get_attribute("html", "lang") == "en"
    assert page.locator("nav a[href='/search']").inner_text() == "Search"
    page.click("#lang-nl")
    page.wait_for_url("**/")
    assert page.get_attribute("html", "lang") == "nl"
    assert page.locator("nav a[href='/search']").inner_text() == "Zoeken"
    screenshot(page, "home")
    # The choice persists (cookie): a page opened afterwards is Dutch, labels from the @nl tags.
    page.goto(f"/thing?iri={quote(MINDEF, safe='')}")
    assert page.locator("h1").inner_text() == "Ministerie van Defensie"
    assert "overheidsorgaan" in page.locator(".chips").inner_text().lower()
    systems = views.systems(live_server.store, "nl")
    page.goto("/risk")
    options = page.locator("#system option").all_inner_texts()[1:]
    assert options == [s["label"] for s in systems]
    assert any("fictief" in o for o in options)
    page.click("#lang-en")
    assert page.locator("h1").inner_text() == "Risk dashboard"
    no_csp_violations(page)


def test_query_editor_runs_a_query_and_shows_the_result_table(page: Any, live_server: LiveServer) -> None:
    page.goto("/query")
    wait_until(page, "window.defportYasgui && window.defportYasgui.getTab().getYasqe()")
    query = (
        "PREFIX dp: <https://w3id.org/defport/ontology#>\n"
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
        "SELECT ?system ?label WHERE { ?system a dp:System ; rdfs:label ?label "
        'FILTER (LANG(?label) = "en") } ORDER BY ?label'
    )
    page.evaluate("q => window.defportYasgui.getTab().getYasqe().setValue(q)", query)
    page.click(".yasqe_queryButton")
    page.wait_for_selector(".yasr table.dataTable tbody tr td")
    rows = page.locator(".yasr table.dataTable tbody tr")
    expected = live_server.store.select(
        "PREFIX dp: <https://w3id.org/defport/ontology#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
        'SELECT ?label WHERE { ?s a dp:System ; rdfs:label ?label FILTER (LANG(?label) = "en") } ORDER BY ?label'
    )
    assert rows.count() == len(expected) > 0
    table_text = page.locator(".yasr table.dataTable").inner_text()
    for row in expected:
        assert row["label"] in table_text
    # The endpoint is ours, whatever YASGUI remembered.
    assert page.evaluate("window.defportYasgui.getTab().getEndpoint()") == live_server.url + "/sparql"
    screenshot(page, "query")
    # An IRI in the results opens this service's page about it, not the IRI's own site.
    page.locator(".yasr_results a[href]").first.click()
    page.wait_for_url("**/thing?iri=*")
    assert page.locator("h1").inner_text() in {r["label"] for r in expected}
    page.go_back()
    wait_until(page, "window.defportYasgui && window.defportYasgui.getTab().getYasqe()")
    # A named query prefills the editor, its defaults bound.
    page.select_option("#named-query", "bill-of-materials")
    text = page.evaluate("window.defportYasgui.getTab().getYasqe().getValue()")
    assert "VALUES (?_item)" in text
    assert "?_item" in page.locator("#named-query-description").inner_text()
    no_csp_violations(page)


def test_search_opens_a_thing_page_with_relations_sources_and_findings(page: Any) -> None:
    page.goto("/search")
    page.fill("#q", "radar")
    page.press("#q", "Enter")
    page.wait_for_selector("#search-results tbody tr")
    assert page.locator("#search-results tbody tr").count() >= 3
    screenshot(page, "search")
    organisation = page.locator("#search-results tbody tr", has_text="organisation").first
    name = organisation.locator("a").first.inner_text()
    organisation.locator("a").first.click()
    page.wait_for_url("**/thing?iri=*")
    assert page.locator("h1").inner_text() == name
    assert page.locator("#relations-out tbody tr").count() > 0
    assert page.locator("#sources li").count() > 0
    assert page.locator("#findings").is_visible()
    screenshot(page, "thing")
    no_csp_violations(page)


def test_dashboard_marks_the_nodes_the_risk_api_names(page: Any, live_server: LiveServer) -> None:
    # The system whose tree shows the most kinds of marks (then the smallest): the best picture.
    store = live_server.store
    network = views.network_of(store)
    trees = [views.supply_tree(store, network, s["iri"], "en") for s in views.systems(store, "en")]
    system = min(
        trees, key=lambda t: (-len({f for n in t["nodes"] for f in n["flags"]}), len(t["nodes"]), t["system"])
    )["system"]
    page.goto("/risk")
    page.select_option("#system", system)
    page.click("form[action='/risk'] button[type=submit]")
    page.wait_for_url("**/risk?system=*")
    wait_until(page, "window.defportGraph && window.defportGraph.nodes().length > 0")
    if not api_available(live_server, "/api/risk/cut-sets?item=" + quote(system, safe="")):
        assert page.locator('[data-unavailable="cut-sets"]').count() > 0
        pytest.skip("the risk API (GET /api/risk/cut-sets) does not exist yet")
    page.wait_for_selector("#graph[data-marked]")
    answer = _cut_sets(live_server, system)
    singles, paired = _members(answer, 1), _members(answer, 2)
    marked_spof = set(page.evaluate("window.defportGraph.nodes('.spof').map(n => n.id())"))
    marked_pair = set(page.evaluate("window.defportGraph.nodes('.pair').map(n => n.id())"))
    assert marked_spof == singles
    assert marked_pair == paired
    assert page.locator("#spof-table tbody tr[data-iri]").count() == len(singles)
    assert page.locator("#pairs-table tbody tr[data-iris]").count() == len(
        [c for c in answer["cut_sets"] if c["order"] == 2]
    )
    # The server-side marks agree with the embedded tree data.
    tree = views.supply_tree(live_server.store, views.network_of(live_server.store), system, "en")
    foreign = {n["id"] for n in tree["nodes"] if "foreign_only" in n["flags"]}
    assert set(page.evaluate("window.defportGraph.nodes('.foreign_only').map(n => n.id())")) == foreign
    screenshot(page, "risk", full_page=False)
    # What a unit's failure takes down: the first single point of failure stops the system.
    if singles and api_available(live_server, "/api/risk/impact?unit=" + quote(sorted(singles)[0], safe="")):
        unit = sorted(singles)[0]
        page.select_option("#impact-unit", unit)
        page.click("#impact-form button[type=submit]")
        page.wait_for_selector("#impact-result ul")
        down = set(page.evaluate("window.defportGraph.nodes('.down').map(n => n.id())"))
        assert system in down
        # The picture turns to what went down and the paths to it (unless it shows the whole tree).
        assert page.input_value("#graph-view") == "down"
        assert _shown(page) == _reaching(tree["edges"], down | {system}, upward=True)
    no_csp_violations(page)


def _reaching(edges: list[dict[str, Any]], targets: set[str], *, upward: bool) -> set[str]:
    """The targets and every node with a path to them (upward) or from them (downward)."""
    step: dict[str, set[str]] = {}
    for e in edges:
        a, b = (e["target"], e["source"]) if upward else (e["source"], e["target"])
        step.setdefault(a, set()).add(b)
    seen, todo = set(targets), list(targets)
    while todo:
        for nxt in step.get(todo.pop(), ()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def _longest_chain(nodes: set[str], edges: list[tuple[str, str]]) -> dict[str, int]:
    """Each node's longest chain of edges from a node nothing points to (the graph must be acyclic)."""
    graph = nx.DiGraph(edges)
    graph.add_nodes_from(nodes)
    layer = dict.fromkeys(nodes, 0)
    for node in nx.topological_sort(graph):
        for target in graph.successors(node):
            layer[target] = max(layer[target], layer[node] + 1)
    return layer


def _shown(page: Any) -> set[str]:
    return set(page.evaluate("window.defportGraph.nodes(':visible').map(n => n.id())"))


def test_dashboard_draws_a_large_tree_in_columns_and_opens_on_the_paths_that_matter(
    page: Any, live_server: LiveServer
) -> None:
    store = live_server.store
    network = views.network_of(store)
    tree = max(
        (views.supply_tree(store, network, s["iri"], "en") for s in views.systems(store, "en")),
        key=lambda t: (len(t["nodes"]), t["system"]),
    )
    assert len(tree["nodes"]) > views.WHOLE_TREE_VIEW_MAX_NODES, "the example data has no large tree to test"
    system = tree["system"]
    answer = _cut_sets(live_server, system)
    singles, paired = _members(answer, 1), _members(answer, 2)
    assert singles, "the largest example tree has no single point of failure to open on"
    page.goto(f"/risk?system={quote(system, safe='')}")
    page.wait_for_selector("#graph[data-marked]")
    # Opens on the single points of failure and every path from the system down to them.
    assert page.input_value("#graph-view") == "spofs"
    assert _shown(page) == _reaching(tree["edges"], singles | {system}, upward=True)
    depth = {n["id"]: n["depth"] for n in tree["nodes"]}
    # Columns by the longest chain from the system: every edge points right, and two nodes share a
    # column exactly when their longest chains are equally long.
    shown = _shown(page)
    edges = [(e["source"], e["target"]) for e in tree["edges"] if e["source"] in shown and e["target"] in shown]
    x = dict(page.evaluate("window.defportGraph.nodes(':visible').map(n => [n.id(), n.position('x')])"))
    assert all(x[a] < x[b] for a, b in edges)
    layer = _longest_chain(shown, edges)
    assert len({round(x[n], 3) for n in shown}) == len(set(layer.values()))
    assert all((layer[a] == layer[b]) == (round(x[a], 3) == round(x[b], 3)) for a in shown for b in shown)
    # The whole tree: the barycentre sweeps cross fewer edges than the order the server sent.
    page.select_option("#graph-view", "all")
    assert _shown(page) == set(depth)
    # The whole tree has loops (inputs can loop); only an edge that closes one may point left.
    x = dict(page.evaluate("window.defportGraph.nodes().map(n => [n.id(), n.position('x')])"))
    whole = nx.DiGraph([(e["source"], e["target"]) for e in tree["edges"]])
    leftward = [(e["source"], e["target"]) for e in tree["edges"] if x[e["source"]] >= x[e["target"]]]
    assert all(nx.has_path(whole, b, a) for a, b in leftward)
    assert len(leftward) < len(tree["edges"]) / 20
    total = len(depth)
    assert page.locator("#graph-view-count").inner_text().startswith(f"{total} of {total}")
    swept, unswept = page.evaluate(
        """() => {
            const g = window.defportGraph;
            const nodes = g.nodes().map(n => ({id: n.id()}));
            const edges = g.edges().map(e => ({source: e.source().id(), target: e.target().id()}));
            const L = window.DPLayers;
            return [L.crossings(L.layeredPositions(nodes, edges), edges),
                    L.crossings(L.layeredPositions(nodes, edges, {sweeps: 0}), edges)];
        }"""
    )
    assert swept < unswept
    page.select_option("#graph-view", "cut_sets")
    assert _shown(page) == _reaching(tree["edges"], singles | paired | {system}, upward=True)
    # A tapped node keeps its paths up to the system and its supply below; the rest fades.
    target = sorted(singles)[0]
    page.evaluate("iri => { window.defportGraph.getElementById(iri).emit('tap'); }", target)
    kept = _reaching(tree["edges"], {target}, upward=True) | _reaching(tree["edges"], {target}, upward=False)
    faded = set(page.evaluate("window.defportGraph.nodes('.faded').map(n => n.id())"))
    assert faded == set(depth) - kept
    page.evaluate("iri => { window.defportGraph.getElementById(iri).emit('tap'); }", system)
    page.evaluate("iri => { window.defportGraph.getElementById(iri).emit('tap'); }", target)
    assert page.eval_on_selector_all("#tree-table tr.selected", "rows => rows.map(r => r.dataset.iri)") == [target]
    # A failure pair's button in the table picks out both members' paths.
    row = page.locator("#pairs-table tbody tr[data-iris]").first
    pair = set(row.get_attribute("data-iris").split())
    row.locator("button.paths").click()
    assert set(page.evaluate("window.defportGraph.nodes(':selected').map(n => n.id())")) == pair
    kept = _reaching(tree["edges"], pair, upward=True) | _reaching(tree["edges"], pair, upward=False)
    faded = set(page.evaluate("window.defportGraph.nodes('.faded').map(n => n.id())"))
    assert faded == set(depth) - kept
    # The view as a PNG for a report: a real image, named after the system and the view.
    with page.expect_download() as download:
        page.click("#graph-png")
    saved = download.value
    assert saved.suggested_filename.startswith("supply-tree-example-") and saved.suggested_filename.endswith(
        "-cut_sets.png"
    )
    with open(saved.path(), "rb") as picture:
        head = picture.read(24)
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")
    assert width > 800 and height > 200
    no_csp_violations(page)


def test_column_layout_on_random_graphs_against_networkx(page: Any, live_server: LiveServer) -> None:
    """layers.js on 300 random graphs, loops included: columns are networkx's longest chains once
    the loops are cut, only a loop-closing edge points left, and no two nodes share a place."""
    system = views.systems(live_server.store, "en")[0]["iri"]
    page.goto(f"/risk?system={quote(system, safe='')}")
    wait_until(page, "window.DPLayers")
    rng = random.Random(7)
    for case in range(300):
        size = rng.randint(1, 40)
        names = [f"n{i}" for i in range(size)]
        edges = {(rng.choice(names), rng.choice(names)) for _ in range(rng.randint(0, 3 * size))}
        if case % 2:  # half acyclic: edges from a lower number to a higher one only
            edges = {(a, b) for a, b in edges if int(a[1:]) < int(b[1:])}
        nodes = [{"id": n} for n in names]
        edge_list = [{"source": a, "target": b} for a, b in sorted(edges)]
        x, y = page.evaluate(
            """([nodes, edges]) => {
                const p = window.DPLayers.layeredPositions(nodes, edges);
                return [Object.fromEntries(Object.entries(p).map(([k, v]) => [k, v.x])),
                        Object.fromEntries(Object.entries(p).map(([k, v]) => [k, v.y]))];
            }""",
            [nodes, edge_list],
        )
        assert set(x) == set(names)
        assert len({(x[n], y[n]) for n in names}) == size, f"case {case}: two nodes share a place"
        graph = nx.DiGraph()
        graph.add_nodes_from(names)
        graph.add_edges_from((a, b) for a, b in edges if a != b)
        for a, b in graph.edges:
            if x[a] >= x[b]:
                assert nx.has_path(graph, b, a), f"case {case}: {a}->{b} points left but closes no loop"
        if nx.is_directed_acyclic_graph(graph):
            chain = _longest_chain(set(names), list(graph.edges))
            # Same column exactly when the longest chains are equally long, left to right by length.
            for a in names:
                for b in names:
                    assert (chain[a] < chain[b]) == (x[a] < x[b]), f"case {case}: {a}, {b}"
    no_csp_violations(page)


def test_an_organisations_page_links_to_its_paths_on_the_dashboard(page: Any, live_server: LiveServer) -> None:
    spofs = httpx.get(live_server.url + "/api/risk/spof", params={"unit": "organisation"}, timeout=120).json()["spofs"]
    unit, system = sorted((s["unit"], sorted(s["systems"])[0]) for s in spofs if s["systems"])[0]
    page.goto(f"/thing?iri={quote(unit, safe='')}")
    page.locator(f"#findings a.path-link[href*='{quote(system, safe='')}']").click()
    page.wait_for_url("**/risk?system=*&focus=*")
    page.wait_for_selector("#graph[data-focus]")
    assert page.evaluate("window.defportGraph.nodes(':selected').map(n => n.id())") == [unit]
    tree = views.supply_tree(live_server.store, views.network_of(live_server.store), system, "en")
    kept = _reaching(tree["edges"], {unit}, upward=True) | _reaching(tree["edges"], {unit}, upward=False)
    assert {n["id"] for n in tree["nodes"]} - kept == set(
        page.evaluate("window.defportGraph.nodes('.faded').map(n => n.id())")
    )
    assert unit in _shown(page)
    assert (
        page.locator("#graph-status")
        .inner_text()
        .startswith(next(n["label"] for n in tree["nodes"] if n["id"] == unit))
    )
    # A focus that is not in the tree says so instead of fading everything.
    page.goto(f"/risk?system={quote(system, safe='')}&focus={quote(MINDEF, safe='')}")
    page.wait_for_selector("#graph[data-marked]")
    assert "not in this picture" in page.locator("#graph-status").inner_text()
    assert page.evaluate("window.defportGraph.nodes('.faded').length") == 0
    no_csp_violations(page)


def test_scale_page_shows_output_per_system(page: Any, live_server: LiveServer) -> None:
    page.goto("/scale")
    if page.locator("#output-table").count() == 0:
        assert page.locator('[data-unavailable="max-output"]').count() > 0
        pytest.skip("the scale API (GET /api/scale/max-output) does not exist yet")
    wait_until(
        page,
        "Array.from(document.querySelectorAll('#output-table td.output')).every(td => td.textContent.trim() && "
        "!td.textContent.includes('…'))",
        timeout=90.0,  # six linear programs solved on the server at once
    )
    first = page.locator("#output-table tbody tr").first
    system = first.get_attribute("data-system")
    answer = httpx.get(live_server.url + "/api/scale/max-output", params={"system": system}, timeout=120).json()
    if not answer["unbounded"]:
        shown = first.locator("td.output").inner_text().replace(",", "")
        assert float(shown) == pytest.approx(answer["output"][system], rel=0.01)
    if page.locator("#needs-table").count():
        page.wait_for_selector("#needs tbody tr")
    screenshot(page, "scale")
    no_csp_violations(page)


BAD_TURTLE = b"""@prefix dp: <https://w3id.org/defport/ontology#> .
@prefix dpid: <https://w3id.org/defport/id/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .

dpid:org\\/web-test-no-country a dp:Company ;
    rdfs:label "Web test company without a country"@en .

dpid:supply\\/web-test-orphan a dp:SupplyRelation ;
    dp:item dpid:item\\/web-test-unknown-item .
"""


def test_imports_page_checks_a_bad_file_and_shows_the_report(page: Any, live_server: LiveServer) -> None:
    page.goto("/imports")
    page.fill("#api-key", live_server.steward_key)
    page.click("#key-form button[type=submit]")
    assert "key" in page.locator("#key-status").inner_text().lower()
    if page.locator("#upload-form").count() == 0:
        assert page.locator('[data-unavailable="imports"]').count() > 0
        screenshot(page, "imports")
        pytest.skip("the imports API (POST /api/imports) does not exist yet")
    page.set_input_files("#upload-file", files=[{"name": "bad.ttl", "mimeType": "text/turtle", "buffer": BAD_TURTLE}])
    page.click("#check-button")
    page.wait_for_selector("#report-status")
    assert page.locator("#report-status").get_attribute("class").endswith("error")
    rows = page.locator("#report-table tbody tr")
    assert rows.count() >= 2
    table = page.locator("#report-table").inner_text()
    assert "web-test-no-country" in table
    assert page.locator("#report-table tbody tr.sev-Violation").count() >= 1
    assert page.locator("#commit-button").is_disabled()
    screenshot(page, "imports")
    page.click("#discard-button")
    assert page.locator("#report-table").count() == 0
    no_csp_violations(page)


def test_no_request_leaves_this_server_on_any_page(page: Any, live_server: LiveServer) -> None:
    """Every page, fully loaded and its scripts run: all requests go to 127.0.0.1, none elsewhere."""
    system = views.systems(live_server.store, "en")[0]["iri"]
    for path in (
        "/",
        "/query",
        "/search?q=radar",
        f"/thing?iri={quote(MINDEF, safe='')}",
        "/risk",
        f"/risk?system={quote(system, safe='')}",
        "/scale",
        "/imports",
        "/lang/nl?next=/",
    ):
        page.goto(path)
        page.wait_for_load_state("networkidle")
    assert page.traffic.refused == []
    assert all(u.startswith(live_server.url + "/") or u.startswith(("data:", "blob:")) for u in page.traffic.requests)
    loaded = {u.split("?")[0].removeprefix(live_server.url) for u in page.traffic.requests}
    for asset in (
        "/static/vendor/yasgui/yasgui.min.js",
        "/static/vendor/cytoscape/cytoscape.min.js",
        "/static/css/app.css",
        "/static/js/common.js",
        "/sparql",
    ):
        assert asset in loaded, asset
    no_csp_violations(page)


def test_no_page_is_wider_than_a_narrow_screen(page: Any, live_server: LiveServer) -> None:
    """On a 400-px screen a wide table scrolls in its own box; the page itself never scrolls sideways."""
    store = live_server.store
    network = views.network_of(store)
    largest = max(
        views.systems(store, "en"), key=lambda s: len(views.supply_tree(store, network, s["iri"], "en")["nodes"])
    )
    supplier = next(iter(network.org_country))
    page.set_viewport_size({"width": 400, "height": 900})
    for path in (
        "/",
        "/query",
        "/search?q=radar",
        f"/thing?iri={quote(supplier, safe='')}",
        "/risk",
        f"/risk?system={quote(largest['iri'], safe='')}",
        "/scale",
        "/imports",
        "/login",
    ):
        page.goto(path)
        page.wait_for_load_state("networkidle")
        assert page.evaluate("document.documentElement.scrollWidth") <= 400, path
    no_csp_violations(page)


def test_sign_in_with_a_key_then_query_search_and_sign_out(locked_page: Any, locked_server: LiveServer) -> None:
    """Reads need a key: the query page sends the browser to sign in; a wrong key says so; the right
    one is kept in an HttpOnly cookie that the editor's requests and the pages act as; signing out
    forgets it."""
    page = locked_page
    page.goto("/query")
    page.wait_for_url("**/login?*")
    assert page.locator("#login-notice").get_attribute("data-notice") == "needed"
    assert page.locator("#login-link").count() == 0 and page.locator("#signed-in").count() == 0
    screenshot(page, "login")
    # In Dutch, a wrong key: a clear error, no cookie.
    page.click("#lang-nl")
    assert page.locator("h1").inner_text() == "Aanmelden met een API-sleutel"
    page.fill("#login-key", locked_server.reader_key[:-1] + ("A" if locked_server.reader_key[-1] != "A" else "B"))
    page.click("#login-button")
    error = page.locator("#login-error")
    assert error.get_attribute("data-error") == "login_refused"
    assert "Deze sleutel is niet geldig" in error.inner_text()
    assert page.context.cookies() == [c for c in page.context.cookies() if c["name"] != "defport_key"]
    # The right key: on to the query page, signed in.
    page.fill("#login-key", locked_server.reader_key)
    page.click("#login-button")
    page.wait_for_url("**/query")
    assert page.locator("#signed-in").inner_text() == "Aangemeld als web test reader (lezer)"
    page.click("#lang-en")
    page.wait_for_url("**/query")
    assert page.locator("#signed-in").inner_text() == "Signed in as web test reader (reader)"
    [cookie] = [c for c in page.context.cookies() if c["name"] == "defport_key"]
    assert cookie["value"] == locked_server.reader_key
    assert cookie["httpOnly"] is True and cookie["sameSite"] == "Strict" and cookie["path"] == "/"
    assert cookie["secure"] is False and cookie["expires"] == -1  # plain http; ends with the session
    assert "defport_key" not in page.evaluate("document.cookie")  # no script can read the key
    # The editor's POST to /sparql acts as the signed-in key.
    wait_until(page, "window.defportYasgui && window.defportYasgui.getTab().getYasqe()")
    query = "PREFIX dp: <https://w3id.org/defport/ontology#>\nSELECT ?system WHERE { ?system a dp:System }"
    page.evaluate("q => window.defportYasgui.getTab().getYasqe().setValue(q)", query)
    page.click(".yasqe_queryButton")
    page.wait_for_selector(".yasr table.dataTable tbody tr td")
    expected = locked_server.store.select(query)
    assert page.locator(".yasr table.dataTable tbody tr").count() == len(expected) > 0
    # Search, server-rendered as the key.
    page.goto("/search")
    page.fill("#q", "radar")
    page.press("#q", "Enter")
    page.wait_for_selector("#search-results tbody tr")
    assert page.locator("#search-results tbody tr").count() >= 3
    # The cookie works for other HTTP clients too, and only it opens the API here.
    assert httpx.get(locked_server.url + "/api/search", params={"q": "radar"}, timeout=60).status_code == 401
    with_cookie = httpx.get(
        locked_server.url + "/api/search", params={"q": "radar"}, cookies={"defport_key": cookie["value"]}, timeout=60
    )
    assert with_cookie.status_code == 200
    # Signing out forgets the key: the pages send to the login page again.
    page.click("#logout-form button[type=submit]")
    page.wait_for_url("**/login?reason=signed_out")
    assert page.locator("#login-notice").get_attribute("data-notice") == "signed_out"
    assert [c for c in page.context.cookies() if c["name"] == "defport_key"] == []
    page.goto("/search?q=radar")
    page.wait_for_url("**/login?*")
    assert page.locator("#search-results").count() == 0
    no_csp_violations(page)


def test_sign_in_over_http_sets_the_cookie_flags(locked_server: LiveServer) -> None:
    """The same check with httpx against the real server: a browser that names this origin."""
    with httpx.Client(base_url=locked_server.url, timeout=60) as client:
        answer = client.post(
            "/login", data={"key": locked_server.steward_key, "next": "/imports"}, headers={"Origin": locked_server.url}
        )
        assert answer.status_code == 303 and answer.headers["location"] == "/imports"
        header = answer.headers["set-cookie"].lower()
        assert header.startswith(f"defport_key={locked_server.steward_key.lower()};")
        assert "httponly" in header and "samesite=strict" in header and "path=/" in header
        assert "secure" not in header and "max-age" not in header and "expires" not in header
        imports = client.get("/imports")
        assert imports.status_code == 200 and "web test steward" in imports.text
        refused = client.post(
            "/login", data={"key": locked_server.steward_key}, headers={"Origin": "http://evil.example"}
        )
        assert refused.status_code == 403


def test_query_editor_shows_where_a_query_breaks(page: Any, live_server: LiveServer) -> None:
    """A query that does not parse: the editor shows the endpoint's words (the place and the bracket
    left open), not a bare status."""
    page.goto("/query")
    wait_until(page, "window.defportYasgui && window.defportYasgui.getTab().getYasqe()")
    query = (
        "SELECT ?system WHERE {\n"
        "  ?system a <https://w3id.org/defport/ontology#System> .\n"
        "  OPTIONAL { ?system ?p ?o \n"
        "}"
    )
    page.evaluate("q => window.defportYasgui.getTab().getYasqe().setValue(q)", query)
    page.click(".yasqe_queryButton")
    page.wait_for_selector(".yasr .errorResult .query-problem-detail")
    assert page.locator(".yasr .query-problem-title").inner_text() == "Bad query (400)"
    detail = page.locator(".yasr .query-problem-detail").inner_text()
    assert detail.startswith("the query does not parse at line 4, column 2 (its end)"), detail
    assert "the '{' at line 1, column 22 is not closed" in detail, detail
    assert detail.splitlines()[-2:] == ["  }", "   ^"]  # the line and the pointer, as sent
    screenshot(page, "query-error")
    no_csp_violations(page)
