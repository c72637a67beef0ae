/* Risk dashboard: the ranked tables of what the risk API answers (single points of failure,
   failure pairs, sovereignty, the ranking across systems), what a unit's failure takes down, and
   the marks they put on the supply-tree picture (tree-picture.js). */
(function () {
  "use strict";
  const DP = window.DP;
  let picture = null;
  let tree = null;

  function markRow(iri, flag) {
    document.querySelectorAll('#tree-table tr[data-iri="' + CSS.escape(iri) + '"] td.marks').forEach((cell) => {
      if (!cell.querySelector(".mark-" + flag)) {
        cell.append(DP.el("span", { class: "mark mark-" + flag, text: DP.t("flag_" + flag) }), " ");
      }
    });
  }

  function nodeLabel(iri) {
    const node = tree && tree.nodes.find((n) => n.id === iri);
    return node ? node.label : null;
  }

  /* A button that picks out these units' paths in the picture (nothing without a picture). */
  function pathsButton(iris, name) {
    if (!picture) return "";
    const button = DP.el("button", {
      type: "button",
      class: "paths",
      text: DP.t("show_paths"),
      "aria-label": DP.t("show_paths_of", { name: name }),
    });
    button.addEventListener("click", () => picture.focus(iris));
    return button;
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
      if (picture) picture.marksFailed();
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
    singles.forEach((iri) => markRow(iri, "spof"));
    pairs.flat().forEach((iri) => markRow(iri, "pair"));
    if (picture) {
      picture.mark(singles, "spof");
      picture.mark(pairs.flat(), "pair");
    }
    DP.fillTable(
      spofTable,
      singles.map((iri) => ({
        attrs: { "data-iri": iri },
        cells: [DP.thingLink(iri, label(iri)), countryOf(iri), pathsButton([iri], label(iri))],
      }))
    );
    DP.fillTable(
      pairsTable,
      pairs.map((p) => ({
        attrs: { "data-iris": p.join(" ") },
        cells: p.map((iri) => DP.thingLink(iri, label(iri))).concat([pathsButton(p, p.map(label).join(" + "))]),
      }))
    );
    if (answer.body.complete === false) document.getElementById("pairs-incomplete").hidden = false;
    const status = document.getElementById("graph-status");
    status.textContent = DP.t("graph_ready", { spofs: singles.length, pairs: pairs.length });
    if (picture) picture.marksReady();
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
      if (picture) {
        picture.markOnly(items.concat([unit]), "down");
        picture.showDown();
      }
      document.querySelectorAll("#tree-table .mark-down").forEach((m) => m.remove());
      items.concat([unit]).forEach((i) => markRow(i, "down"));
    });
  }

  function start() {
    const data = document.getElementById("tree-data");
    tree = data ? JSON.parse(data.textContent) : null;
    const status = document.getElementById("graph-status");
    if (tree && document.getElementById("graph")) {
      if (!window.cytoscape || !window.DPTreePicture) status.textContent = DP.t("graph_no_library");
      else {
        try {
          picture = window.DPTreePicture.draw(tree);
        } catch (e) {
          status.textContent = DP.t("graph_no_library") + " (" + e.message + ")";
        }
      }
    }
    markCutSets();
    sovereignty();
    ranking();
    impact();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
