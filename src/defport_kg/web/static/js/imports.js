/* Imports page (stewards): keep an API key for this tab, check a file (dry run) and read the
   validation report as a table, commit or discard it, and roll earlier imports back. */
(function () {
  "use strict";
  const DP = window.DP;
  let checkedFile = null;

  function keyStatus() {
    const status = document.getElementById("key-status");
    status.textContent = (DP.key() ? DP.t("api_key_set") : DP.t("api_key_unset")) + " " + DP.t("api_key_note");
  }

  function keyForm() {
    const form = document.getElementById("key-form");
    if (!form) return;
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      const input = document.getElementById("api-key");
      DP.setKey(input.value.trim());
      input.value = "";
      keyStatus();
      history();
    });
    document.getElementById("api-key-forget").addEventListener("click", function () {
      DP.setKey("");
      keyStatus();
    });
    keyStatus();
  }

  function reportOf(body) {
    if (!body || typeof body !== "object") return null;
    if (body.report && typeof body.report === "object") return body.report;
    if (Array.isArray(body.results)) return body;
    return null;
  }

  function renderReport(container, answer) {
    DP.clear(container);
    const report = reportOf(answer.body);
    if (!report) {
      const detail = answer.body && answer.body.detail ? answer.body.detail : DP.problemText(answer);
      const heading = answer.status === 401 || answer.status === 403 ? DP.problemText(answer) : DP.t("unreadable") + ": " + detail;
      container.append(DP.el("p", { class: "banner error", role: "alert", id: "report-status", text: heading }));
      return false;
    }
    const counts = report.counts || {};
    const ok = report.conforms === true;
    container.append(
      DP.el("p", {
        class: "banner " + (ok ? "ok" : "error"),
        role: ok ? "status" : "alert",
        id: "report-status",
        text: (ok ? DP.t("report_conforms") : DP.t("report_violations")) + " " +
          DP.t("report_counts", { violations: counts.Violation || 0, warnings: counts.Warning || 0, infos: counts.Info || 0 }),
      })
    );
    const results = report.results || [];
    if (results.length) {
      const table = DP.el(
        "table",
        { class: "data", id: "report-table" },
        DP.el(
          "thead",
          null,
          DP.el(
            "tr",
            null,
            ["severity", "location", "focus_node", "path", "value", "message"].map((k) => DP.el("th", { scope: "col", text: DP.t(k) }))
          )
        ),
        DP.el("tbody")
      );
      DP.fillTable(
        table,
        results.map((r) => {
          const msg = r.message && typeof r.message === "object" ? r.message[DP.lang] || r.message.en : r.message;
          return {
            attrs: { class: "sev-" + r.severity },
            cells: [
              DP.t("severity_" + r.severity),
              r.location || "",
              r.focus_node ? DP.compact(r.focus_node) : "",
              r.result_path ? DP.compact(r.result_path) : "",
              r.value === null || r.value === undefined ? "" : String(r.value),
              msg || "",
            ],
          };
        })
      );
      container.append(table);
    }
    const omitted = Object.values(report.omitted || {}).reduce((a, b) => a + b, 0);
    if (omitted) container.append(DP.el("p", { class: "note", text: DP.t("report_omitted", { count: omitted }) }));
    return ok;
  }

  async function send(file, dryRun) {
    const form = new FormData();
    form.append("file", file, file.name);
    return DP.api("/api/imports?dry_run=" + (dryRun ? "true" : "false"), { method: "POST", body: form });
  }

  function uploadForm() {
    const form = document.getElementById("upload-form");
    if (!form) return;
    const report = document.getElementById("report");
    const decision = document.getElementById("decision");
    const commit = document.getElementById("commit-button");
    form.addEventListener("submit", async function (event) {
      event.preventDefault();
      const file = document.getElementById("upload-file").files[0];
      if (!file) {
        DP.message(report, DP.t("choose_file"));
        return;
      }
      DP.message(report, DP.t("loading"), "ok");
      const answer = await send(file, true);
      const conforms = renderReport(report, answer);
      checkedFile = conforms ? file : null;
      decision.hidden = !answer.body || !reportOf(answer.body);
      commit.disabled = !conforms;
    });
    commit.addEventListener("click", async function () {
      if (!checkedFile) return;
      commit.disabled = true;
      const answer = await send(checkedFile, false);
      if (answer.status === 201 || answer.ok) {
        const id = (answer.body && (answer.body.import || answer.body.id || answer.body.import_id)) || "";
        DP.message(report, DP.t("committed", { id: String(id).split("/").pop() }), "ok");
        decision.hidden = true;
        checkedFile = null;
        form.reset();
        history();
      } else {
        renderReport(report, answer);
      }
    });
    document.getElementById("discard-button").addEventListener("click", function () {
      checkedFile = null;
      form.reset();
      decision.hidden = true;
      DP.message(report, DP.t("discarded"), "ok");
    });
  }

  function importsOf(body) {
    if (Array.isArray(body)) return body;
    if (body && Array.isArray(body.imports)) return body.imports;
    return [];
  }

  async function history() {
    const container = document.getElementById("history");
    if (!container) return;
    const answer = await DP.api("/api/imports");
    if (!answer.ok) {
      DP.message(container, DP.problemText(answer));
      return;
    }
    const imports = importsOf(answer.body);
    if (!imports.length) {
      DP.message(container, DP.t("no_imports"), "ok");
      return;
    }
    const table = DP.el(
      "table",
      { class: "data", id: "history-table" },
      DP.el(
        "thead",
        null,
        DP.el("tr", null, ["import_id", "source_name", "when", "who", "triples", "status", "rollback"].map((k) => DP.el("th", { scope: "col", text: DP.t(k) })))
      ),
      DP.el("tbody")
    );
    DP.fillTable(
      table,
      imports.map((imp) => {
        const id = String(imp.id || imp.import || "").split("/").pop();
        const status = String(imp.status || "").split(/[#/]/).pop();
        const sources = Array.isArray(imp.sources) ? imp.sources.map((s) => (typeof s === "object" ? s.name || s.source || "" : s)) : [];
        const count = imp.triples !== undefined ? imp.triples : imp.triple_count;
        let action = "";
        if (DP.apis.rollback && id && /^live$/i.test(status)) {
          action = DP.el("button", { type: "button", class: "rollback", "data-id": id, text: DP.t("rollback") });
          action.addEventListener("click", () => rollback(id));
        }
        return {
          attrs: { "data-id": id },
          cells: [
            id,
            sources.join(", ") || imp.source_name || "",
            imp.generated_at || "",
            imp.user || "",
            DP.el("td", { class: "num", text: count === undefined || count === null ? "" : String(count) }),
            status,
            action,
          ],
        };
      })
    );
    DP.clear(container).append(table);
  }

  async function rollback(id) {
    if (!window.confirm(DP.t("rollback_confirm", { id: id }))) return;
    const answer = await DP.api("/api/imports/" + encodeURIComponent(id) + "/rollback", { method: "POST" });
    const report = document.getElementById("report");
    if (answer.ok) DP.message(report, DP.t("rolled_back", { id: id }), "ok");
    else DP.message(report, DP.problemText(answer), "error");
    history();
  }

  function start() {
    keyForm();
    uploadForm();
    history();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
