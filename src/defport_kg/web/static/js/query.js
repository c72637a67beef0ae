/* Query page: the vendored YASGUI editor, fixed to this service's /sparql, with our prefixes and
   the named queries. Remote helpers of YASGUI (prefix.cc, LOV, other endpoints) are switched off. */
(function () {
  "use strict";
  const DP = window.DP;

  function json(id) {
    const node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  function problemAsText(error) {
    let problem = null;
    try {
      problem = JSON.parse(error && error.text);
    } catch (e) {
      return Promise.resolve(undefined);
    }
    if (!problem || typeof problem.detail !== "string") return Promise.resolve(undefined);
    const title = (problem.title || error.statusText || DP.t("error")) + " (" + (problem.status || error.status) + ")";
    return Promise.resolve(
      DP.el("div", { class: "query-problem" }, [
        DP.el("p", { class: "query-problem-title", text: title }),
        DP.el("pre", { class: "query-problem-detail", text: problem.detail }),
      ])
    );
  }

  function start() {
    const host = document.getElementById("yasgui");
    const Yasgui = window.Yasgui;
    if (!host) return;
    if (!Yasgui) {
      DP.message(host, DP.t("editor_failed"), "error");
      return;
    }
    const prefixes = json("prefixes") || {};
    const named = json("named-queries") || [];
    const endpoint = window.location.origin + "/sparql";
    const prefixLines = Object.entries(prefixes).map(([p, iri]) => "PREFIX " + p + ": <" + iri + ">");
    const starter =
      prefixLines.filter((l) => /^PREFIX (dp|dpid|rdfs|skos):/.test(l)).join("\n") +
      "\n\n# " + DP.t("query_intro") + "\nSELECT ?system ?label WHERE {\n" +
      "  ?system a dp:System ; rdfs:label ?label .\n" +
      '  FILTER (LANGMATCHES(LANG(?label), "' + DP.lang + '"))\n' +
      "}\nORDER BY ?label\nLIMIT 100\n";

    // Autocompletion from our own prefix table only: no request to prefix.cc or LOV.
    const Yasqe = Yasgui.Yasqe;
    const prefixList = Object.entries(prefixes).map(([p, iri]) => p + ": <" + iri + ">").sort();
    try {
      Yasqe.forkAutocompleter("prefixes", {
        name: "localPrefixes",
        persistenceId: null,
        get: function () {
          return Promise.resolve(prefixList);
        },
      });
    } catch (e) {
      /* already forked (the page was restored from the back/forward cache) */
    }
    Yasqe.defaults.autocompleters = ["localPrefixes", "variables"];
    Yasqe.defaults.prefixCcApi = "";
    Yasgui.defaults.yasqe.autocompleters = ["localPrefixes", "variables"];
    // A refused query: the endpoint's problem+json shown as words (the parse error's place, the
    // bracket left open, the pointer under the line), not as one long line of JSON.
    if (Yasgui.Yasr) Yasgui.Yasr.defaults.errorRenderers = [problemAsText];

    const yasgui = new Yasgui(host, {
      requestConfig: {
        endpoint: endpoint,
        method: "POST",
        headers: function () {
          return DP.authHeaders();
        },
      },
      copyEndpointOnNewTab: true,
      populateFromUrl: false,
      autofocus: false,
      persistenceId: "defport-kg-query",
      endpointCatalogueOptions: {
        getData: function () {
          return [{ endpoint: endpoint }];
        },
        keys: [],
      },
      tabName: DP.t("query_text"),
      // No share links: a shared configuration could name another endpoint.
      yasqe: { value: starter, editorHeight: "320px", createShareableLink: null },
    });
    // Tabs restored from an earlier session keep their endpoint: point every one at ours.
    for (const id of Object.keys(yasgui._tabs || {})) {
      const tab = yasgui.getTab(id);
      if (tab && tab.getEndpoint && tab.getEndpoint() !== endpoint) tab.setEndpoint(endpoint);
    }
    yasgui.on("tabAdd", function (instance, tabId) {
      const tab = instance.getTab(tabId);
      if (tab && tab.setEndpoint) tab.setEndpoint(endpoint);
    });
    window.defportYasgui = yasgui;

    // IRIs in the results open this service's page about them, never a site elsewhere.
    host.addEventListener("click", function (event) {
      const link = event.target.closest ? event.target.closest(".yasr_results a[href]") : null;
      if (!link) return;
      const href = link.getAttribute("href");
      if (!/^https?:/i.test(href) || href.startsWith(window.location.origin + "/")) return;
      event.preventDefault();
      window.location.href = "/thing?iri=" + encodeURIComponent(href);
    });

    const picker = document.getElementById("named-query");
    const description = document.getElementById("named-query-description");
    if (picker) {
      picker.addEventListener("change", function () {
        const chosen = named.find((q) => q.name === picker.value);
        DP.clear(description);
        if (!chosen) return;
        const tab = yasgui.getTab();
        tab.setEndpoint(endpoint);
        tab.getYasqe().setValue(chosen.text);
        description.append(chosen.description || "");
        if (chosen.parameters.length) {
          description.append(
            DP.el("br"),
            DP.t("parameters") + ": " +
              chosen.parameters
                .map((p) => "?_" + p.name + (p.default ? " = " + p.default : "") + (p.description ? " (" + p.description + ")" : ""))
                .join("; ")
          );
        }
      });
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
