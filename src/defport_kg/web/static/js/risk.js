/* Risk dashboard: a system's supply tree as a Cytoscape.js picture, marked with what the risk API
   answers (single points of failure, failure pairs) and what the server computed (foreign-only,
   export control, critical raw materials); the ranked tables; what a unit's failure takes down. */
(function () {
  "use strict";
  const DP = window.DP;
  let graph = null;
  let tree = null;
  let marksArrived = false;
  let viewChosen = false;

  const COLORS = {
    accent: "#1f4e8c",
    spof: "#c62828",
    pair: "#ef6c00",
    foreign: "#6a1b9a",
    export: "#00838f",
    crm: "#8d6e00",
    down: "#5f6368",
  };

  function markRow(iri, flag) {
    document.querySelectorAll('#tree-table tr[data-iri="' + CSS.escape(iri) + '"] td.marks').forEach((cell) => {
      if (!cell.querySelector(".mark-" + flag)) {
        cell.append(DP.el("span", { class: "mark mark-" + flag, text: DP.t("flag_" + flag) }), " ");
      }
    });
  }

  /* Which marks a view keeps, with every path from the system down to them ("" keeps all). */
  const VIEWS = {
    all: "",
    spofs: ".spof",
    cut_sets: ".spof, .pair",
    marks: ".spof, .pair, .foreign_only, .export_control, .critical_raw_material, .data_gap",
  };

  /* Show the chosen view's nodes in columns by tier and fit them in the frame. A view of the marks
     is drawn anew from the nodes it keeps, so its columns close up instead of leaving holes. */
  function applyView() {
    if (!graph) return;
    const choice = document.getElementById("graph-view");
    const selector = VIEWS[choice ? choice.value : "all"] || "";
    graph.elements().removeClass("hidden faded");
    let shown = graph.nodes();
    if (selector) {
      const marked = graph.nodes(selector);
      shown = marked.union(marked.predecessors().nodes()).union(graph.getElementById(tree.system));
      graph.nodes().not(shown).addClass("hidden");
    }
    const visibleEdges = shown.edgesWith(shown);
    const positions = window.DPLayers.layeredPositions(
      shown.map((n) => ({ id: n.id(), depth: n.data("depth") })),
      visibleEdges.map((e) => ({ source: e.source().id(), target: e.target().id() }))
    );
    shown.layout({ name: "preset", positions: (node) => positions[node.id()], fit: false, animate: false }).run();
    const host = document.getElementById("graph");
    fitFrame(host, shown);
    host.dataset.view = choice ? choice.value : "all";
    host.dataset.shown = String(shown.length);
    const count = document.getElementById("graph-view-count");
    if (count) {
      const waiting = selector && !marksArrived;
      count.textContent = waiting ? DP.t("loading") : DP.t("graph_view_count", { shown: shown.length, total: graph.nodes().length });
    }
  }

  /* `?focus=IRI` (the link on an organisation's page that stops this system): show that node's
     paths as a tap would, widening the view when the node is not in it. */
  function focusFromAddress() {
    const iri = new URLSearchParams(window.location.search).get("focus");
    if (!graph || !iri) return;
    const node = graph.getElementById(iri);
    const status = document.getElementById("graph-status");
    if (node.empty()) {
      status.textContent = DP.t("focus_not_in_tree", { iri: DP.compact(iri) });
      return;
    }
    const choice = document.getElementById("graph-view");
    if (!node.visible() && choice) {
      choice.value = "all";
      applyView();
    }
    graph.nodes().unselect();
    node.select();
    focusOn(node);
    status.textContent = node.data("label") + " — " + DP.compact(iri);
    document.getElementById("graph").dataset.focus = iri;
  }

  /* A few tiers of a few nodes make a wide, flat picture: shrink the frame to it (between
     FRAME_MIN and FRAME_MAX pixels) instead of leaving most of a tall frame empty, then fit. */
  const FRAME_MIN = 260;
  const FRAME_MAX = 700;
  const FRAME_PADDING = 24;
  const FIT_MAX_ZOOM = 1.5;

  function fitFrame(host, shown) {
    const box = shown.boundingBox();
    const width = host.clientWidth - 2 * FRAME_PADDING;
    const zoom = Math.min(width / Math.max(box.w, 1), FIT_MAX_ZOOM);
    const wanted = Math.ceil(box.h * zoom + 2 * FRAME_PADDING);
    host.style.height = Math.max(FRAME_MIN, Math.min(FRAME_MAX, wanted)) + "px";
    graph.resize();
    graph.fit(shown, FRAME_PADDING);
    if (graph.zoom() > FIT_MAX_ZOOM) {
      graph.zoom(FIT_MAX_ZOOM);
      graph.center(shown);
    }
  }

  /* The view as shown (marks, fading, hidden nodes) at twice the model's size, where the labels
     are readable: a picture for a report, named after the system and the view. */
  function savePicture() {
    if (!graph) return;
    const blob = graph.png({ output: "blob", full: true, scale: 2, bg: "#ffffff", maxWidth: 6000, maxHeight: 6000 });
    const choice = document.getElementById("graph-view");
    const slug = (tree.label || "system").toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
    const link = DP.el("a", { href: URL.createObjectURL(blob) });
    link.download = "supply-tree-" + slug + "-" + (choice ? choice.value : "all") + ".png";
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 10000);
  }

  /* A tapped node keeps its paths up to the system and the supply below it; the rest fades. */
  function focusOn(node) {
    const kept = node.union(node.predecessors()).union(node.successors());
    graph.elements().removeClass("faded");
    graph.elements().not(kept).addClass("faded");
  }

  function draw() {
    const host = document.getElementById("graph");
    if (!host || !tree) return;
    if (!window.cytoscape) {
      document.getElementById("graph-status").textContent = DP.t("graph_no_library");
      return;
    }
    const elements = [];
    for (const n of tree.nodes) {
      elements.push({
        group: "nodes",
        data: { id: n.id, label: n.label, kind: n.kind, depth: n.depth },
        classes: [n.kind].concat(n.flags).join(" "),
      });
    }
    tree.edges.forEach((e, i) => {
      elements.push({ group: "edges", data: { id: "e" + i, source: e.source, target: e.target, kind: e.kind }, classes: e.kind });
    });
    graph = window.cytoscape({
      container: host,
      elements: elements,
      minZoom: 0.1,
      maxZoom: 3,
      style: [
        {
          selector: "node",
          style: {
            label: "data(label)",
            "font-size": 10,
            "font-family": "system-ui, sans-serif",
            "text-wrap": "wrap",
            "text-max-width": 128,
            "min-zoomed-font-size": 5,
            "text-valign": "bottom",
            "text-halign": "center",
            "text-margin-y": 3,
            color: "#1b2430",
            width: 22,
            height: 22,
            "border-width": 2,
            "border-color": "#7b8ba3",
            "background-color": "#dfe7f2",
          },
        },
        { selector: "node.item", style: { shape: "round-rectangle" } },
        { selector: "node.organisation", style: { shape: "ellipse", "background-color": "#ffffff" } },
        { selector: "node.system", style: { "background-color": COLORS.accent, width: 34, height: 34, "font-weight": "bold" } },
        { selector: "node.critical_raw_material", style: { "background-color": COLORS.crm } },
        { selector: "node.export_control", style: { "background-color": COLORS.export } },
        { selector: "node.foreign_only", style: { "border-color": COLORS.foreign, "border-style": "dashed", "border-width": 4 } },
        { selector: "node.pair", style: { "background-color": COLORS.pair, "border-color": COLORS.pair } },
        { selector: "node.spof", style: { "background-color": COLORS.spof, "border-color": COLORS.spof, width: 30, height: 30 } },
        { selector: "node.down", style: { "background-color": COLORS.down, "border-color": "#000", opacity: 0.85 } },
        {
          selector: "edge",
          style: {
            width: 1.3,
            "line-color": "#9aa5b4",
            "target-arrow-color": "#9aa5b4",
            "target-arrow-shape": "triangle",
            "arrow-scale": 0.8,
            "curve-style": "bezier",
          },
        },
        { selector: "edge.supplier", style: { "line-style": "dashed" } },
        { selector: "edge.input", style: { "line-style": "dotted", "line-color": COLORS.foreign, "target-arrow-color": COLORS.foreign } },
        { selector: "node:selected", style: { "overlay-opacity": 0.2, "overlay-color": COLORS.accent } },
        { selector: ".faded", style: { opacity: 0.15 } },
        { selector: ".hidden", style: { display: "none" } },
      ],
      layout: { name: "null" },
    });
    applyView();
    graph.on("tap", "node", function (event) {
      const id = event.target.id();
      const row = document.querySelector('#tree-table tr[data-iri="' + CSS.escape(id) + '"]');
      document.getElementById("graph-status").textContent = event.target.data("label") + " — " + DP.compact(id);
      if (row) row.classList.add("selected");
      focusOn(event.target);
    });
    graph.on("tap", function (event) {
      if (event.target === graph) graph.elements().removeClass("faded");
    });
    graph.on("dbltap", "node", function (event) {
      window.location.href = "/thing?iri=" + encodeURIComponent(event.target.id());
    });
    window.defportGraph = graph;
  }

  function nodeLabel(iri) {
    const node = tree && tree.nodes.find((n) => n.id === iri);
    return node ? node.label : null;
  }

  async function markCutSets() {
    const spofTable = document.getElementById("spof-table");
    const pairsTable = document.getElementById("pairs-table");
    if (!spofTable || !tree) return;
    const answer = await DP.api(
      "/api/risk/cut-sets?item=" + encodeURIComponent(tree.system) + "&max_order=2&unit=organisation"
    );
    if (!answer.ok) {
      const text = DP.problemText(answer);
      DP.fillTable(spofTable, [[text]]);
      DP.fillTable(pairsTable, [[text]]);
      // Without the marks a view of their paths would be empty: show the whole tree instead.
      const choice = document.getElementById("graph-view");
      if (choice && choice.value !== "all") {
        choice.value = "all";
        applyView();
      }
      focusFromAddress();
      return;
    }
    const sets = answer.body.cut_sets || [];
    const singles = sets.filter((c) => c.order === 1).map((c) => c.members[0]);
    const pairs = sets.filter((c) => c.order === 2).map((c) => c.members);
    const missing = singles.concat(pairs.flat()).filter((iri) => !nodeLabel(iri));
    const names = missing.length ? await DP.labels(missing) : {};
    const label = (iri) => nodeLabel(iri) || names[iri] || DP.compact(iri);
    const countryOf = (iri) => {
      const node = tree.nodes.find((n) => n.id === iri);
      return node && node.country ? DP.thingLink(node.country, node.country_label) : "";
    };
    for (const iri of singles) {
      markRow(iri, "spof");
      if (graph) graph.getElementById(iri).addClass("spof");
    }
    for (const pair of pairs) {
      for (const iri of pair) {
        markRow(iri, "pair");
        if (graph) graph.getElementById(iri).addClass("pair");
      }
    }
    DP.fillTable(
      spofTable,
      singles.map((iri) => ({ attrs: { "data-iri": iri }, cells: [DP.thingLink(iri, label(iri)), countryOf(iri)] }))
    );
    DP.fillTable(
      pairsTable,
      pairs.map((p) => ({ attrs: { "data-iris": p.join(" ") }, cells: p.map((iri) => DP.thingLink(iri, label(iri))) }))
    );
    if (answer.body.complete === false) document.getElementById("pairs-incomplete").hidden = false;
    const status = document.getElementById("graph-status");
    status.textContent = DP.t("graph_ready", { spofs: singles.length, pairs: pairs.length });
    marksArrived = true;
    const choice = document.getElementById("graph-view");
    if (choice && choice.value !== "all") {
      applyView();
      // The view the page opened on keeps only the system (nothing of that kind is marked):
      // widen it step by step rather than show an empty picture nobody asked for.
      const wider = Object.keys(VIEWS).slice(1).concat("all");
      while (!viewChosen && choice.value !== "all" && graph && graph.nodes(":visible").length <= 1) {
        choice.value = wider[wider.indexOf(choice.value) + 1];
        applyView();
      }
    }
    focusFromAddress();
    document.getElementById("graph").dataset.marked = "true";
  }

  function isShare(value) {
    return typeof value === "number" && value >= 0 && value <= 1;
  }

  /* The sovereignty answer drawn as bars for every share (0..1) it holds, by its path of keys. */
  function renderShares(container, body) {
    DP.clear(container);
    const rows = [];
    function walk(value, path) {
      if (isShare(value) && path.length) rows.push([path.join(" › "), value]);
      else if (value && typeof value === "object" && !Array.isArray(value)) {
        for (const [k, v] of Object.entries(value)) walk(v, path.concat(k));
      }
    }
    /* The API answers {systems: [{by_location: {NL: share, ...}, by_control: {...}}]}: only those
       shares are bars (counts and evidence fractions are not shares of the supply tree). */
    if (Array.isArray(body.systems)) {
      for (const system of body.systems) {
        const prefix = body.systems.length > 1 ? [system.label || system.system] : [];
        walk({ "by location": system.by_location, "by control": system.by_control }, prefix);
      }
    } else walk(body, []);
    if (!rows.length) {
      container.append(DP.el("pre", { text: JSON.stringify(body, null, 2) }));
      return;
    }
    const grid = DP.el("div", { class: "sovereignty-bars" });
    for (const [name, share] of rows) {
      const fill = DP.el("span");
      fill.style.width = Math.round(share * 100) + "%";
      grid.append(DP.el("span", { text: name }), DP.el("div", { class: "bar" }, fill), DP.el("span", { class: "num", text: DP.number(share * 100, 0) + "%" }));
    }
    container.append(grid);
  }

  async function sovereignty() {
    const container = document.getElementById("sovereignty");
    if (!container || !tree) return;
    const answer = await DP.api("/api/risk/sovereignty?system=" + encodeURIComponent(tree.system));
    if (!answer.ok) {
      DP.message(container, DP.problemText(answer));
      return;
    }
    renderShares(container, answer.body);
  }

  async function ranking() {
    const table = document.getElementById("spof-ranking");
    if (!table) return;
    const unit = document.getElementById("spof-unit");
    async function load() {
      const answer = await DP.api("/api/risk/spof?unit=" + encodeURIComponent(unit.value));
      if (!answer.ok) {
        DP.fillTable(table, [[DP.problemText(answer)]]);
        return;
      }
      const spofs = answer.body.spofs || [];
      const iris = spofs.map((s) => s.unit).concat(spofs.flatMap((s) => s.systems));
      const names = await DP.labels(iris);
      DP.fillTable(
        table,
        spofs.map((s) => ({
          attrs: { "data-iri": s.unit },
          cells: [
            DP.thingLink(s.unit, names[s.unit]),
            DP.el("td", { class: "num", text: String(s.systems.length) }),
            DP.el("td", null, s.systems.flatMap((sys, i) => {
              const link = DP.el("a", { href: "/risk?system=" + encodeURIComponent(sys), text: names[sys] });
              return i ? [", ", link] : [link];
            })),
          ],
        }))
      );
    }
    unit.addEventListener("change", load);
    await load();
  }

  function list(heading, items) {
    if (!items.length) return null;
    const ul = DP.el("ul");
    for (const item of items) ul.append(DP.el("li", null, item));
    return [DP.el("h3", { text: heading }), ul];
  }

  function strandedMissing(body) {
    return (body.organisations_without_input || []).flatMap((o) => o.missing || []);
  }

  async function impact() {
    const form = document.getElementById("impact-form");
    if (!form) return;
    const result = document.getElementById("impact-result");
    form.addEventListener("submit", async function (event) {
      event.preventDefault();
      const unit = form.elements.unit.value;
      if (!unit) return;
      DP.message(result, DP.t("loading"), "ok");
      const answer = await DP.api("/api/risk/impact?unit=" + encodeURIComponent(unit));
      if (!answer.ok) {
        DP.message(result, DP.problemText(answer), "error");
        return;
      }
      const body = answer.body;
      const items = body.items || [];
      const systems = body.systems || [];
      // Labels in the reader's language (the API's labels are one language only).
      const names = await DP.labels(items.concat(strandedMissing(body)));
      const capabilities = body.capabilities || [];
      const stranded = body.organisations_without_input || [];
      const otherNames = await DP.labels(capabilities.map((c) => c.capability).concat(stranded.map((o) => o.organisation)));
      DP.clear(result);
      result.append(
        DP.el("p", {
          class: "banner " + (systems.length ? "error" : "ok"),
          text: DP.t("impact_summary", { items: items.length, systems: systems.length, relations: body.relations_down || 0 }),
        })
      );
      [
        list(DP.t("unavailable_systems"), systems.map((s) => DP.thingLink(s, names[s]))),
        list(
          DP.t("capabilities_touched"),
          capabilities.map((c) => [DP.thingLink(c.capability, otherNames[c.capability] || c.label), " (" + DP.t(c.lost ? "capability_lost" : "capability_reduced") + ")"])
        ),
        list(
          DP.t("stranded"),
          stranded.map((o) => [DP.thingLink(o.organisation, otherNames[o.organisation] || o.label), " — " + DP.t("missing") + ": " + o.missing.map((m) => names[m] || DP.compact(m)).join(", ")])
        ),
        list(DP.t("unavailable_items"), items.filter((i) => !systems.includes(i)).map((i) => DP.thingLink(i, names[i]))),
      ].forEach((block) => block && result.append(...block));
      if (graph) {
        graph.nodes().removeClass("down");
        for (const i of items) graph.getElementById(i).addClass("down");
        graph.getElementById(unit).addClass("down");
      }
      document.querySelectorAll("#tree-table .mark-down").forEach((m) => m.remove());
      items.concat([unit]).forEach((i) => markRow(i, "down"));
    });
  }

  function start() {
    const data = document.getElementById("tree-data");
    tree = data ? JSON.parse(data.textContent) : null;
    try {
      draw();
    } catch (e) {
      const status = document.getElementById("graph-status");
      if (status) status.textContent = DP.t("graph_no_library") + " (" + e.message + ")";
    }
    const choice = document.getElementById("graph-view");
    const save = document.getElementById("graph-png");
    if (save) save.addEventListener("click", savePicture);
    if (choice) {
      choice.addEventListener("change", function () {
        viewChosen = true;
        applyView();
      });
    }
    markCutSets();
    sovereignty();
    ranking();
    impact();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
