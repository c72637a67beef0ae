/* defport-kg web interface: shared helpers (UI strings, API calls, labels, safe DOM building).
   Every request goes to this origin only; the Content-Security-Policy enforces it as well. */
(function () {
  "use strict";

  const dataElement = document.getElementById("client-data");
  const data = dataElement ? JSON.parse(dataElement.textContent) : { lang: "en", strings: {}, apis: {} };
  const KEY_STORAGE = "defport-kg-api-key";
  const IRI = /^[a-z][a-z0-9+.-]*:[^\s<>"{}|\\^`]*$/i;

  function t(key, values) {
    let text = Object.prototype.hasOwnProperty.call(data.strings, key) ? data.strings[key] : key;
    if (values) {
      text = text.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));
    }
    return text;
  }

  function key() {
    try {
      return window.sessionStorage.getItem(KEY_STORAGE) || "";
    } catch (e) {
      return "";
    }
  }

  function setKey(value) {
    try {
      if (value) window.sessionStorage.setItem(KEY_STORAGE, value);
      else window.sessionStorage.removeItem(KEY_STORAGE);
    } catch (e) {
      /* storage refused (private mode): the key is simply not kept */
    }
  }

  function authHeaders() {
    const k = key();
    return k ? { Authorization: "Bearer " + k } : {};
  }

  /* fetch() on this origin with the key (when set); answers {status, ok, body, type}. */
  async function api(path, options) {
    const opts = Object.assign({ method: "GET", credentials: "same-origin" }, options || {});
    opts.headers = Object.assign({ Accept: "application/json" }, authHeaders(), opts.headers || {});
    const response = await fetch(path, opts);
    const type = response.headers.get("content-type") || "";
    let body;
    if (type.includes("json")) {
      try {
        body = await response.json();
      } catch (e) {
        body = null;
      }
    } else {
      body = await response.text();
    }
    return { status: response.status, ok: response.ok, body: body, type: type };
  }

  /* A readable sentence for a failed answer (RFC 9457 problem+json carries title and detail). */
  function problemText(answer) {
    if (answer.status === 401 || answer.status === 403) {
      const detail = answer.body && answer.body.detail ? " (" + answer.body.detail + ")" : "";
      return t("needs_key") + detail;
    }
    if (answer.body && typeof answer.body === "object") {
      return (answer.body.title || t("error")) + ": " + (answer.body.detail || answer.status);
    }
    return t("request_failed") + " (" + answer.status + ")";
  }

  /* Build an element; children are nodes or strings (always text, never parsed as HTML). */
  function el(tag, attrs) {
    const node = document.createElement(tag);
    if (attrs) {
      for (const [name, value] of Object.entries(attrs)) {
        if (value === null || value === undefined || value === false) continue;
        if (name === "text") node.textContent = value;
        else if (name === "class") node.className = value;
        else if (name === "dataset") Object.assign(node.dataset, value);
        else node.setAttribute(name, value === true ? "" : value);
      }
    }
    for (let i = 2; i < arguments.length; i++) {
      const child = arguments[i];
      if (child === null || child === undefined) continue;
      if (Array.isArray(child)) child.forEach((c) => c !== null && c !== undefined && node.append(c));
      else node.append(child);
    }
    return node;
  }

  function thingLink(iri, label) {
    return el("a", { href: "/thing?iri=" + encodeURIComponent(iri), text: label || compact(iri) });
  }

  function compact(iri) {
    const prefixes = { "https://w3id.org/defport/id/": "dpid:", "https://w3id.org/defport/ontology#": "dp:" };
    for (const [ns, p] of Object.entries(prefixes)) if (iri.startsWith(ns)) return p + iri.slice(ns.length);
    return iri;
  }

  /* Labels of IRIs in the reader's language, through our own SPARQL endpoint. */
  async function labels(iris) {
    const wanted = Array.from(new Set(iris.filter((i) => typeof i === "string" && IRI.test(i))));
    const best = {};
    const rank = (tag) => {
      tag = (tag || "").toLowerCase();
      if (tag === data.lang || tag.startsWith(data.lang + "-")) return 0;
      if (tag === "en" || tag.startsWith("en-")) return 1;
      return tag ? 3 : 2;
    };
    for (let start = 0; start < wanted.length; start += 300) {
      const chunk = wanted.slice(start, start + 300);
      const query =
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n" +
        "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n" +
        "SELECT ?x ?l WHERE { VALUES ?x { " + chunk.map((i) => "<" + i + ">").join(" ") +
        " } ?x rdfs:label|skos:prefLabel ?l }";
      const answer = await api("/sparql", {
        method: "POST",
        headers: { "Content-Type": "application/sparql-query", Accept: "application/sparql-results+json" },
        body: query,
      });
      if (!answer.ok || !answer.body || !answer.body.results) continue;
      for (const b of answer.body.results.bindings) {
        const r = rank(b.l["xml:lang"]);
        const current = best[b.x.value];
        if (!current || r < current[0]) best[b.x.value] = [r, b.l.value];
      }
    }
    const out = {};
    for (const i of iris) out[i] = best[i] ? best[i][1] : compact(i);
    return out;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
    return node;
  }

  /* Replace a table's body with rows (arrays of cells: nodes or strings); an empty list says so. */
  function fillTable(table, rows) {
    const body = clear(table.tBodies[0] || table.appendChild(document.createElement("tbody")));
    if (!rows.length) {
      const columns = table.tHead ? table.tHead.rows[0].cells.length : 1;
      body.append(el("tr", null, el("td", { colspan: columns, text: table.dataset.empty || t("none_found") })));
      return;
    }
    for (const row of rows) {
      const tr = el("tr", row.attrs || null);
      for (const cell of row.cells || row) {
        if (cell && cell.nodeType === 1 && cell.tagName === "TD") tr.append(cell);
        else tr.append(el("td", null, cell));
      }
      body.append(tr);
    }
  }

  function message(node, text, kind) {
    clear(node).append(el("p", { class: "banner " + (kind || "warning"), role: kind === "error" ? "alert" : "status", text: text }));
  }

  function number(value, digits) {
    if (value === null || value === undefined) return "";
    return Number(value).toLocaleString(data.lang === "nl" ? "nl-NL" : "en-GB", {
      maximumFractionDigits: digits === undefined ? 2 : digits,
    });
  }

  /* Sign out by fetch(): the page's "no-referrer" policy makes a plain form post say "Origin: null",
     which the server's same-origin check must refuse; fetch() always names this origin. Signing
     out also forgets a key kept for this tab. */
  function signOutForm() {
    const form = document.getElementById("logout-form");
    if (!form) return;
    form.addEventListener("submit", async function (event) {
      event.preventDefault();
      setKey("");
      let target = "/login?reason=signed_out";
      try {
        const response = await fetch(form.action, { method: "POST", credentials: "same-origin" });
        if (response.url && response.url.startsWith(window.location.origin + "/")) target = response.url;
      } catch (e) {
        /* the login page says whether the sign-out took */
      }
      window.location.assign(target);
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", signOutForm);
  else signOutForm();

  window.DP = {
    lang: data.lang,
    apis: data.apis || {},
    page: data.page,
    t: t,
    key: key,
    setKey: setKey,
    authHeaders: authHeaders,
    api: api,
    problemText: problemText,
    el: el,
    clear: clear,
    thingLink: thingLink,
    compact: compact,
    labels: labels,
    fillTable: fillTable,
    message: message,
    number: number,
  };
})();
