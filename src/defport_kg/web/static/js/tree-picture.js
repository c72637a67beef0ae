/* The supply-tree picture of the risk dashboard (Cytoscape.js): nodes in columns (layers.js),
   views that keep the paths to what is marked, a tapped node's paths picked out, the picture saved
   as PNG. risk.js puts the marks on (single points of failure, failure pairs, what-if). */
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

  /* Which marks a view keeps, with every path from the system down to them ("" keeps all). */
  const VIEWS = {
    all: "",
    spofs: ".spof",
    cut_sets: ".spof, .pair",
    marks: ".spof, .pair, .foreign_only, .export_control, .critical_raw_material, .data_gap",
    down: ".down", // offered once a what-if has run
  };

  /* Show the chosen view's nodes in columns (layers.js) and fit them in the frame. A view of the marks
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
      shown.map((n) => ({ id: n.id() })),
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

  /* `?focus=IRI` (the link on an organisation's page that stops this system). */
  function focusFromAddress() {
    const iri = new URLSearchParams(window.location.search).get("focus");
    if (iri) focus([iri]);
  }

  /* Pick out these nodes' paths as a tap would, widening the view when one is not in it. */
  function focus(iris) {
    const nodes = graph.nodes().filter((n) => iris.includes(n.id()));
    const status = document.getElementById("graph-status");
    if (nodes.empty()) {
      status.textContent = DP.t("focus_not_in_tree", { iri: iris.map(DP.compact).join(", ") });
      return;
    }
    const choice = document.getElementById("graph-view");
    if (nodes.some((n) => !n.visible()) && choice) {
      choice.value = "all";
      applyView();
    }
    graph.nodes().unselect();
    nodes.select();
    focusOn(nodes);
    status.textContent = nodes.map((n) => n.data("label")).join(" + ") + " — " + nodes.map((n) => DP.compact(n.id())).join(", ");
    const host = document.getElementById("graph");
    host.dataset.focus = nodes.map((n) => n.id()).join(" ");
    host.scrollIntoView({ block: "nearest" });
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

  /* Tapped nodes keep their paths up to the system and the supply below them; the rest fades. */
  function focusOn(node) {
    const kept = node.union(node.predecessors()).union(node.successors());
    graph.elements().removeClass("faded");
    graph.elements().not(kept).addClass("faded");
  }

  function mark(iris, cls) {
    for (const iri of iris) graph.getElementById(iri).addClass(cls);
  }

  /* The mark on these nodes alone (a new what-if replaces the last one). */
  function markOnly(iris, cls) {
    graph.nodes().removeClass(cls);
    for (const iri of iris) graph.getElementById(iri).addClass(cls);
  }

  /* The risk API's marks are on: draw the chosen view of them, then any focus the address names. */
  function marksReady() {
    marksArrived = true;
    const choice = document.getElementById("graph-view");
    if (choice && choice.value !== "all") {
      applyView();
      // The view the page opened on keeps only the system (nothing of that kind is marked):
      // widen it step by step rather than show an empty picture nobody asked for.
      const wider = ["spofs", "cut_sets", "marks", "all"];
      while (!viewChosen && choice.value !== "all" && graph.nodes(":visible").length <= 1) {
        choice.value = wider[wider.indexOf(choice.value) + 1];
        applyView();
      }
    }
    focusFromAddress();
  }

  /* A what-if has marked what goes down: show those nodes and their paths (a view offered from
     now on), unless the whole tree is on show, which holds them already. */
  function showDown() {
    const choice = document.getElementById("graph-view");
    if (!choice) return;
    if (!choice.querySelector('option[value="down"]')) {
      choice.append(DP.el("option", { value: "down", text: DP.t("graph_view_down") }));
    }
    if (choice.value !== "all") choice.value = "down";
    applyView();
  }

  /* Without the marks a view of their paths would be empty: show the whole tree instead. */
  function marksFailed() {
    const choice = document.getElementById("graph-view");
    if (choice && choice.value !== "all") {
      choice.value = "all";
      applyView();
    }
    focusFromAddress();
  }

  function draw(data) {
    tree = data;
    const host = document.getElementById("graph");
    const elements = [];
    for (const n of tree.nodes) {
      elements.push({
        group: "nodes",
        data: { id: n.id, label: n.label, kind: n.kind },
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
      document.querySelectorAll("#tree-table tr.selected").forEach((r) => r.classList.remove("selected"));
      if (row) row.classList.add("selected");
      focus([id]);
    });
    graph.on("tap", function (event) {
      if (event.target === graph) graph.elements().removeClass("faded");
    });
    graph.on("dbltap", "node", function (event) {
      window.location.href = "/thing?iri=" + encodeURIComponent(event.target.id());
    });
    const choice = document.getElementById("graph-view");
    if (choice) {
      choice.addEventListener("change", function () {
        viewChosen = true;
        applyView();
      });
    }
    const save = document.getElementById("graph-png");
    if (save) save.addEventListener("click", savePicture);
    window.defportGraph = graph;
    return { mark: mark, markOnly: markOnly, marksReady: marksReady, marksFailed: marksFailed, focus: focus, showDown: showDown };
  }


  window.DPTreePicture = { draw: draw };
})();
