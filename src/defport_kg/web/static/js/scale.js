/* Scale-up page: maximum monthly output and bottlenecks per system (and jointly, with failures),
   and the needs-versus-regions table, all from the scale API. */
(function () {
  "use strict";
  const DP = window.DP;

  function maxOutputUrl(systems, failed, unit) {
    const params = new URLSearchParams();
    systems.forEach((s) => params.append("system", s));
    (failed || []).forEach((f) => params.append("fail", f));
    if (unit) params.set("unit", unit);
    return "/api/scale/max-output?" + params.toString();
  }

  async function bottleneckList(bottlenecks) {
    if (!bottlenecks || !bottlenecks.length) return "—";
    const names = await DP.labels(bottlenecks.map((b) => b.relation));
    const ul = DP.el("ul", { class: "bottlenecks" });
    for (const b of bottlenecks) {
      ul.append(
        DP.el("li", null, DP.thingLink(b.relation, names[b.relation]), " (" + DP.t("shadow_price") + ": " + DP.number(b.shadow_price, 4) + ")")
      );
    }
    return ul;
  }

  async function unboundedNote(body) {
    const path = body.uncapacitated_path || [];
    const names = await DP.labels(path);
    const p = DP.el("p", { class: "note" }, DP.t("uncapacitated_path") + ": ");
    path.forEach((iri, i) => {
      if (i) p.append(" → ");
      p.append(DP.thingLink(iri, names[iri]));
    });
    return p;
  }

  async function perSystem() {
    const table = document.getElementById("output-table");
    if (!table) return;
    const rows = Array.from(table.tBodies[0].rows);
    await Promise.all(
      rows.map(async (row) => {
        const system = row.dataset.system;
        const outputCell = row.querySelector(".output");
        const bottleneckCell = row.querySelector(".bottlenecks");
        const answer = await DP.api(maxOutputUrl([system]));
        if (!answer.ok) {
          outputCell.textContent = "";
          bottleneckCell.textContent = DP.problemText(answer);
          return;
        }
        const body = answer.body;
        if (body.unbounded) {
          outputCell.textContent = DP.t("unbounded");
          DP.clear(bottleneckCell).append(await unboundedNote(body));
          return;
        }
        outputCell.textContent = DP.number((body.output || {})[system]);
        DP.clear(bottleneckCell).append(await bottleneckList(body.bottlenecks));
      })
    );
  }

  function joint() {
    const form = document.getElementById("scale-form");
    if (!form) return;
    const result = document.getElementById("scale-result");
    const kind = document.getElementById("fail-unit-kind");
    const failSelect = document.getElementById("fail-unit");
    function onlyKind() {
      for (const group of failSelect.querySelectorAll("optgroup")) {
        const match = group.dataset.kind === kind.value;
        group.hidden = !match;
        group.disabled = !match;
      }
    }
    kind.addEventListener("change", onlyKind);
    onlyKind();
    form.addEventListener("submit", async function (event) {
      event.preventDefault();
      const systems = Array.from(form.querySelectorAll('input[name="system"]:checked')).map((c) => c.value);
      if (!systems.length) {
        DP.message(result, DP.t("choose_systems"));
        return;
      }
      const failed = Array.from(failSelect.selectedOptions).filter((o) => !o.parentElement.disabled).map((o) => o.value);
      DP.message(result, DP.t("loading"), "ok");
      const answer = await DP.api(maxOutputUrl(systems, failed, kind.value));
      if (!answer.ok) {
        DP.message(result, DP.problemText(answer), "error");
        return;
      }
      const body = answer.body;
      const names = await DP.labels(systems);
      DP.clear(result);
      const table = DP.el(
        "table",
        { class: "data", id: "joint-table" },
        DP.el("thead", null, DP.el("tr", null, DP.el("th", { scope: "col", text: DP.t("system") }), DP.el("th", { scope: "col", class: "num", text: DP.t("max_output") }))),
        DP.el("tbody")
      );
      DP.fillTable(
        table,
        systems.map((s) => [DP.thingLink(s, names[s]), DP.el("td", { class: "num", text: body.unbounded ? DP.t("unbounded") : DP.number((body.output || {})[s]) })])
      );
      result.append(table);
      if (body.unbounded) result.append(await unboundedNote(body));
      else result.append(DP.el("h3", { text: DP.t("bottlenecks") }), await bottleneckList(body.bottlenecks));
    });
  }

  /* The needs answer as a table: one row per needed capability, the number of providers per
     region shaded (none: the alarming blank), the gap and the projects that address it. */
  async function needs() {
    const container = document.getElementById("needs-table");
    if (!container) return;
    const answer = await DP.api("/api/scale/needs");
    if (!answer.ok) {
      DP.message(container, DP.problemText(answer));
      return;
    }
    const body = answer.body || {};
    const regions = body.regions || [];
    const rows = body.capabilities || [];
    const given = body.labels || {};
    const projects = rows.flatMap((r) => r.projects || []);
    // Labels in the reader's language first; the API's own labels are the fallback.
    const names = Object.assign({}, given, await DP.labels(rows.map((r) => r.capability).concat(projects)));
    const heading = [DP.t("capability"), DP.t("needed_by")].concat(regions.map((r) => DP.t("region_" + r))).concat([DP.t("gap"), DP.t("projects")]);
    const table = DP.el(
      "table",
      { class: "data", id: "needs" },
      DP.el("caption", { text: DP.t("needs_caption") }),
      DP.el("thead", null, DP.el("tr", null, heading.map((h, i) => DP.el("th", { scope: "col", class: i && i < heading.length - 2 ? "num" : null, text: h })))),
      DP.el("tbody")
    );
    DP.fillTable(
      table,
      rows.map((r) => ({
        attrs: { "data-iri": r.capability, class: r.gap ? "gap" : null },
        cells: [DP.thingLink(r.capability, names[r.capability] || r.label), DP.el("td", { class: "num", text: String((r.needed_by || []).length) })]
          .concat(regions.map((region) => {
            const n = (r.counts || {})[region] || 0;
            return DP.el("td", { class: "num heat-" + Math.min(4, n), text: String(n) });
          }))
          .concat([r.gap || "", DP.el("td", null, (r.projects || []).flatMap((p, i) => (i ? [", ", DP.thingLink(p, names[p])] : [DP.thingLink(p, names[p])])))]),
      }))
    );
    DP.clear(container).append(table);
  }

  function start() {
    perSystem();
    joint();
    needs();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
