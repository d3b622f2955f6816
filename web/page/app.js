// app.js — the search page of `ura serve`: a search box, facet filters,
// results with highlighted snippets, citations to copy, pagination, and
// the interface in Albanian, Serbian and English.
//
// Every piece of text from the index reaches the page through
// textContent or a text node, never as HTML; links carry only ids that
// match /^[0-9a-f]{32}$/.  The page state lives in the address
// (?q=…&lang=…&page=…), so Back, Forward and bookmarks work.
"use strict";
(function () {
  const I18N = window.URA_I18N;
  const FIELDS = ["lang", "format", "year", "type"];
  const PAGE_SIZE = 10;
  const MAX_OFFSET = 10000;        // the server's limit
  const ID_RE = /^[0-9a-f]{32}$/;
  const FILTER_RE = /^[A-Za-z0-9-]{1,16}$/;

  const $ = (id) => document.getElementById(id);
  const form = $("search"), input = $("q"), passagesBox = $("passages");
  const statusEl = $("status"), warningEl = $("warning"), hitsEl = $("hits");
  const facetsEl = $("facets"), facetGroups = $("facet-groups"), activeEl = $("active-filters");
  const pagerEl = $("pager"), pagesEl = $("pages"), toastEl = $("toast");

  let ui = pickLanguage();
  let state = readState();
  let results = null;      // the last /api/search answer
  let failure = null;      // the last error message
  let stats = null;        // /api/stats, for the start screen
  let seq = 0, controller = null, toastTimer = 0;

  // ---- small helpers ----

  // Build an element: attributes by setAttribute, children as text nodes
  // or elements.  The only way this file makes DOM.
  function el(tag, attrs, ...kids) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {}))
      if (v !== null && v !== undefined && v !== false) e.setAttribute(k, v === true ? "" : String(v));
    for (const k of kids)
      if (k !== null && k !== undefined && k !== false)
        e.append(typeof k === "string" || typeof k === "number" ? document.createTextNode(String(k)) : k);
    return e;
  }

  function t(key, vars) {
    const table = I18N.text[ui] || I18N.text.en;
    let s = key in table ? table[key] : (key in I18N.text.en ? I18N.text.en[key] : key);
    if (vars) s = s.replace(/\{(\w+)\}/g, (m, name) => (name in vars ? String(vars[name]) : m));
    return s;
  }

  // The index's lowercase tags ("sr-latn") in BCP 47 case ("sr-Latn"),
  // for lang attributes.
  function bcp47(tag) {
    return String(tag).split("-").map((p, i) =>
      i === 0 ? p : p.length === 4 ? p[0].toUpperCase() + p.slice(1) : p.length === 2 ? p.toUpperCase() : p
    ).join("-");
  }

  function baseName(path) {
    const s = String(path || "");
    return s.slice(s.lastIndexOf("/") + 1);
  }

  function valueLabel(field, v) {
    if (field === "lang") return t("l_" + v) === "l_" + v ? v : t("l_" + v);
    if (field === "type") return t("t_" + v) === "t_" + v ? v : t("t_" + v);
    if (field === "format") return String(v).toUpperCase();
    return String(v);
  }

  function fileURL(id, page) {
    if (!ID_RE.test(String(id))) return null;
    return "api/file?id=" + encodeURIComponent(id) + (page ? "#page=" + encodeURIComponent(page) : "");
  }

  // ---- interface language ----

  function pickLanguage() {
    try {
      const saved = localStorage.getItem("ura.lang");
      if (saved && I18N.text[saved]) return saved;
    } catch (e) { /* storage may be off */ }
    for (const l of navigator.languages || [navigator.language || "en"]) {
      const x = String(l).toLowerCase();
      if (x.startsWith("sq")) return "sq";
      if (x.startsWith("sr")) return x.includes("latn") ? "sr-Latn" : "sr-Cyrl";
      if (x.startsWith("en")) return "en";
    }
    return "en";
  }

  function setLanguage(lang) {
    ui = lang;
    try { localStorage.setItem("ura.lang", lang); } catch (e) { /* ignore */ }
    applyLanguage();
    render();
  }

  function applyLanguage() {
    document.documentElement.lang = ui;
    for (const e of document.querySelectorAll("[data-t]")) e.textContent = t(e.dataset.t);
    const list = $("ui-langs");
    list.replaceChildren();
    for (const l of I18N.order) {
      const b = el("button", { type: "button", lang: l, "aria-pressed": l === ui ? "true" : "false",
                               "data-lang": l }, I18N.names[l]);
      b.addEventListener("click", () => { setLanguage(l); focusSelector('[data-lang="' + l + '"]'); });
      list.append(el("li", null, b));
    }
  }

  function focusSelector(sel) {
    const e = document.querySelector(sel);
    if (e) e.focus();
  }

  // ---- state in the address ----

  function readState() {
    const p = new URLSearchParams(location.search);
    const page = parseInt(p.get("page") || "1", 10);
    const s = { q: p.get("q") || "", page: page >= 1 ? page : 1, passages: p.get("passages") === "1", filters: {} };
    for (const f of FIELDS) {
      const v = p.get(f);
      if (v && FILTER_RE.test(v)) s.filters[f] = v;
    }
    return s;
  }

  function stateQuery(s) {
    const p = new URLSearchParams();
    if (s.q) p.set("q", s.q);
    for (const f of FIELDS) if (s.filters[f]) p.set(f, s.filters[f]);
    if (s.passages) p.set("passages", "1");
    if (s.page > 1) p.set("page", String(s.page));
    const q = p.toString();
    return q ? "?" + q : location.pathname;
  }

  function hasFilters() {
    return FIELDS.some((f) => state.filters[f]);
  }

  // ---- searching ----

  // The API parameters of the current search, for one page of hits.
  function searchParams(offset, limit) {
    const p = new URLSearchParams();
    if (state.q.trim()) p.set("q", state.q);
    p.set("limit", String(limit));
    p.set("offset", String(offset));
    if (state.passages) p.set("passages", "1");
    p.set("facets", "1");
    for (const f of FIELDS) if (state.filters[f]) p.set(f, state.filters[f]);
    return p;
  }

  async function search(push) {
    if (push && stateQuery(state) !== (location.search || location.pathname))
      history.pushState(null, "", stateQuery(state));
    input.value = state.q;
    passagesBox.checked = state.passages;
    if (!state.q.trim() && !hasFilters()) {
      results = null;
      failure = null;
      render();
      return;
    }
    const p = searchParams(Math.min((state.page - 1) * PAGE_SIZE, MAX_OFFSET), PAGE_SIZE);

    const mine = ++seq;
    if (controller) controller.abort();
    controller = new AbortController();
    statusEl.textContent = t("searching");
    $("results").setAttribute("aria-busy", "true");
    try {
      const res = await fetch("api/search?" + p.toString(), { signal: controller.signal, headers: { Accept: "application/json" } });
      const data = await res.json().catch(() => null);
      if (mine !== seq) return;
      if (!res.ok || !data) throw new Error((data && data.error) || res.status + " " + res.statusText);
      results = data;
      failure = null;
    } catch (e) {
      if (e.name === "AbortError" || mine !== seq) return;
      results = null;
      failure = e.message;
    }
    $("results").removeAttribute("aria-busy");
    render();
  }

  async function loadStats() {
    try {
      const res = await fetch("api/stats", { headers: { Accept: "application/json" } });
      if (res.ok) stats = await res.json();
    } catch (e) { /* the start line is optional */ }
    if (!results && !failure) render();
  }

  // ---- rendering ----

  function render() {
    document.title = state.q ? state.q + " — ura" : t("title");
    warningEl.hidden = true;
    hitsEl.replaceChildren();
    if (failure) {
      statusEl.textContent = t("failed", { msg: failure });
      renderFacets(null);
      renderPager(0);
      return;
    }
    if (!results) {
      statusEl.textContent = stats ? t("start", { files: stats.files, passages: stats.passages }) : "";
      renderFacets(null);
      renderPager(0);
      return;
    }
    const offset = (state.page - 1) * PAGE_SIZE;
    const hits = Array.isArray(results.hits) ? results.hits : [];
    statusEl.textContent = hits.length
      ? t("range", { from: offset + 1, to: offset + hits.length, total: results.total })
      : t("noHits", { q: state.q || FIELDS.filter((f) => state.filters[f]).map((f) => f + ":" + state.filters[f]).join(" ") });
    if (results.warning) {
      warningEl.textContent = t("warning", { w: results.warning });
      warningEl.hidden = false;
    }
    hitsEl.setAttribute("start", String(offset + 1));
    hits.forEach((h, i) => hitsEl.append(renderHit(h, offset + i + 1)));
    renderFacets(results.facets || null);
    renderPager(Number(results.total) || 0);
  }

  // The snippet with its highlights.  "highlights" are byte ranges into
  // the UTF-8 of the snippet, so the snippet is cut as bytes and each
  // piece decoded; a range that is out of order or out of bounds is
  // skipped, not trusted.
  function snippetNodes(snippet, ranges) {
    const frag = document.createDocumentFragment();
    const bytes = new TextEncoder().encode(String(snippet || ""));
    const dec = new TextDecoder();
    let at = 0;
    for (const r of Array.isArray(ranges) ? ranges : []) {
      const a = r && r[0], b = r && r[1];
      if (!Number.isInteger(a) || !Number.isInteger(b) || a < at || b <= a || b > bytes.length) continue;
      frag.append(document.createTextNode(dec.decode(bytes.subarray(at, a))));
      frag.append(el("mark", null, dec.decode(bytes.subarray(a, b))));
      at = b;
    }
    frag.append(document.createTextNode(dec.decode(bytes.subarray(at))));
    return frag;
  }

  // The CSL-JSON of one hit, from the engine's export (/api/cite): the
  // same search, narrowed to that hit's rank.
  async function cslOf(rank) {
    const p = searchParams(rank - 1, 1);
    p.delete("facets");
    p.set("as", "csl-json");
    const res = await fetch("api/cite?" + p.toString(), { headers: { Accept: "application/json" } });
    const data = await res.json().catch(() => null);
    if (!res.ok || !Array.isArray(data)) throw new Error((data && data.error) || String(res.status));
    return JSON.stringify(data, null, 2);
  }

  function renderHit(h, rank) {
    const titleId = "hit-" + rank;
    const title = h.act_title || h.title || baseName(h.path);
    const url = fileURL(h.id, h.format === "pdf" ? h.page : null);
    const heading = el("h3", { id: titleId, class: "hit-title" },
      url ? el("a", { href: url, target: "_blank", rel: "noopener noreferrer" }, title) : title);

    const meta = el("p", { class: "meta" });
    const part = (label, value) => {
      if (value === null || value === undefined || value === "") return;
      meta.append(el("span", { class: "m" }, label ? el("span", { class: "k" }, label + " ") : null, String(value)));
    };
    part(t("law"), h.law);
    part(t("article"), h.article);
    part(t("paragraph"), h.paragraph);
    part(t("page"), h.page && h.page_end > h.page ? h.page + "–" + h.page_end : h.page);
    if (h.lang) part(null, valueLabel("lang", h.lang));
    if (h.type) part(null, valueLabel("type", h.type));
    part(null, h.year);
    if (h.format) part(null, valueLabel("format", h.format));
    part(null, baseName(h.path));

    const lang = h.lang ? bcp47(h.lang) : null;
    const body = el("article", { class: "hit", "aria-labelledby": titleId },
      heading, meta,
      h.heading ? el("p", { class: "passage-heading", lang: lang }, h.heading) : null,
      el("p", { class: "snippet", lang: lang }, snippetNodes(h.snippet, h.highlights)));

    if (Array.isArray(h.twins) && h.twins.length) body.append(renderTwins(h));
    if (h.citation) body.append(el("p", { class: "citation" }, el("span", { class: "k" }, "❝ "), String(h.citation)));

    const actions = el("div", { class: "actions" });
    const copyText = el("button", { type: "button", class: "copy-text" }, t("copyText"));
    copyText.addEventListener("click", () => copy(String(h.citation || title), "copied", copyText));
    const copyCsl = el("button", { type: "button", class: "copy-csl" }, t("copyCsl"));
    copyCsl.addEventListener("click", () => copy(cslOf(rank), "copiedCsl", copyCsl));
    actions.append(copyText, copyCsl);
    if (h.also > 0 && !state.passages) body.append(el("p", { class: "also" }, t("more", { n: h.also })));
    body.append(actions);
    if (ID_RE.test(String(h.id || ""))) {
      const [btn, box] = passagesToggle(h, rank);
      actions.append(btn);
      body.append(box);
    }
    return el("li", null, body);
  }

  // The same article in the other languages: a link to each, at its page.
  function renderTwins(h) {
    const list = el("ul", { class: "twin-list" });
    for (const tw of h.twins) {
      if (!tw || typeof tw !== "object") continue;
      const parts = [tw.lang ? valueLabel("lang", tw.lang) : null,
                     tw.article ? t("article") + " " + tw.article : null,
                     tw.page ? t("page") + " " + tw.page : null];
      if (tw.path && tw.path !== h.path) parts.push(baseName(tw.path));
      const label = parts.filter(Boolean).join(", ");
      const url = fileURL(tw.id, tw.page);
      list.append(el("li", { lang: tw.lang ? bcp47(tw.lang) : null },
        url ? el("a", { href: url, target: "_blank", rel: "noopener noreferrer" }, label) : label));
    }
    return el("div", { class: "twins" }, el("h4", null, t("twins")), list);
  }

  // "Show all passages": the file's passages from /api/doc, loaded once.
  function passagesToggle(h, rank) {
    const boxId = "doc-" + rank;
    const btn = el("button", { type: "button", class: "show-doc", "aria-expanded": "false", "aria-controls": boxId }, t("showAll"));
    const box = el("div", { id: boxId, class: "doc", hidden: true });
    let loaded = false;
    btn.addEventListener("click", async () => {
      const open = btn.getAttribute("aria-expanded") !== "true";
      btn.setAttribute("aria-expanded", open ? "true" : "false");
      btn.textContent = t(open ? "hideAll" : "showAll");
      box.hidden = !open;
      if (!open || loaded) return;
      loaded = true;
      box.replaceChildren(el("p", { class: "status" }, t("loading")));
      try {
        const res = await fetch("api/doc?id=" + encodeURIComponent(h.id), { headers: { Accept: "application/json" } });
        const data = await res.json().catch(() => null);
        if (!res.ok || !data) throw new Error((data && data.error) || res.status + " " + res.statusText);
        const ol = el("ol", { class: "doc-passages" });
        for (const p of data.hits || []) {
          const lang = p.lang ? bcp47(p.lang) : null;
          ol.append(el("li", { lang: lang },
            p.heading ? el("h4", null, p.heading) : null,
            p.page ? el("p", { class: "meta" }, t("page") + " " + p.page) : null,
            el("p", { class: "doc-text" }, String(p.snippet || ""))));
        }
        box.replaceChildren(ol);
      } catch (e) {
        loaded = false;
        box.replaceChildren(el("p", { class: "status" }, t("failed", { msg: e.message })));
      }
    });
    return [btn, box];
  }

  function renderFacets(facets) {
    facetGroups.replaceChildren();
    activeEl.replaceChildren();
    const active = FIELDS.filter((f) => state.filters[f]);
    if (!facets && !active.length) {
      facetsEl.hidden = true;
      return;
    }
    facetsEl.hidden = false;
    for (const f of active) {
      const v = state.filters[f];
      const b = el("button", { type: "button", class: "chip", "data-remove": f,
                               "aria-label": t("removeFilter", { v: t("f_" + f) + ": " + valueLabel(f, v) }) },
                   t("f_" + f) + ": " + valueLabel(f, v), el("span", { "aria-hidden": "true" }, " ×"));
      b.addEventListener("click", () => setFilter(f, "", null));
      activeEl.append(b);
    }
    if (active.length > 1) {
      const b = el("button", { type: "button", class: "chip clear" }, t("clearFilters"));
      b.addEventListener("click", () => { for (const f of FIELDS) delete state.filters[f]; state.page = 1; search(true).then(() => input.focus()); });
      activeEl.append(b);
    }
    for (const f of FIELDS) {
      let values = Object.entries((facets && facets[f]) || {});
      const chosen = state.filters[f];
      if (chosen && !values.some(([v]) => v === chosen)) values.unshift([chosen, 0]);
      if (!values.length) continue;
      if (f === "year") values.sort((a, b) => Number(b[0]) - Number(a[0]));
      const hId = "facet-h-" + f;
      const ul = el("ul", { class: "facet-values" });
      for (const [v, n] of values) {
        const on = v === chosen;
        const b = el("button", { type: "button", class: "facet-value", "aria-pressed": on ? "true" : "false",
                                 "data-field": f, "data-value": v },
                     el("span", { class: "name" }, valueLabel(f, v)), el("span", { class: "count" }, String(n)));
        b.addEventListener("click", () => setFilter(f, on ? "" : v, '[data-field="' + f + '"][data-value="' + CSS.escape(v) + '"]'));
        ul.append(el("li", null, b));
      }
      facetGroups.append(el("section", { class: "facet", "aria-labelledby": hId },
        el("h3", { id: hId }, t("f_" + f)), ul));
    }
  }

  function setFilter(field, value, refocus) {
    if (value) state.filters[field] = value;
    else delete state.filters[field];
    state.page = 1;
    // The buttons are drawn anew: give the keyboard focus back to the
    // same one, else to the box.
    search(true).then(() => {
      const e = refocus && document.querySelector(refocus);
      (e || input).focus();
    });
  }

  function renderPager(total) {
    pagesEl.replaceChildren();
    const last = Math.min(Math.ceil(total / PAGE_SIZE), Math.floor(MAX_OFFSET / PAGE_SIZE) + 1);
    if (last <= 1) {
      pagerEl.hidden = true;
      return;
    }
    pagerEl.hidden = false;
    const cur = state.page;
    const link = (page, label, cls, rel) => {
      const a = el("a", { href: stateQuery(Object.assign({}, state, { page: page })), class: cls, rel: rel,
                          "aria-current": page === cur ? "page" : null,
                          "aria-label": cls === "num" ? t("pageN", { n: page }) : null }, label);
      a.addEventListener("click", (ev) => {
        if (ev.button !== 0 || ev.ctrlKey || ev.metaKey || ev.shiftKey || ev.altKey) return;
        ev.preventDefault();
        state.page = page;
        search(true).then(() => $("results").focus());
      });
      return el("li", null, a);
    };
    if (cur > 1) pagesEl.append(link(cur - 1, "‹ " + t("prev"), "prev", "prev"));
    const shown = new Set([1, last, cur - 2, cur - 1, cur, cur + 1, cur + 2]);
    let gap = false;
    for (let p = 1; p <= last; p++) {
      if (!shown.has(p)) {
        if (!gap) pagesEl.append(el("li", { class: "gap", "aria-hidden": "true" }, "…"));
        gap = true;
        continue;
      }
      gap = false;
      pagesEl.append(link(p, String(p), "num", null));
    }
    if (cur < last) pagesEl.append(link(cur + 1, t("next") + " ›", "next", "next"));
  }

  // ---- copying ----

  // Copy text (or the text a promise gives) to the clipboard; say so.
  async function copy(what, okKey, from) {
    let ok = false, text;
    try {
      text = await what;
    } catch (e) {
      toast(t("failed", { msg: e.message }));
      return;
    }
    try {
      if (navigator.clipboard && window.isSecureContext) {
        await navigator.clipboard.writeText(text);
        ok = true;
      }
    } catch (e) { /* fall back below */ }
    if (!ok) {
      // Not a secure context (served on a LAN address), or no permission:
      // the old way, through a selected text area.
      const ta = el("textarea", { readonly: true, class: "offscreen", "aria-hidden": "true" });
      ta.value = text;
      document.body.append(ta);
      ta.select();
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      ta.remove();
      if (from) from.focus();
    }
    toast(t(ok ? okKey : "copyFailed"));
  }

  function toast(msg) {
    toastEl.textContent = msg;
    toastEl.classList.add("show");
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => toastEl.classList.remove("show"), 2500);
  }

  // ---- wiring ----

  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    state.q = input.value;
    state.passages = passagesBox.checked;
    state.page = 1;
    search(true);
  });
  passagesBox.addEventListener("change", () => {
    state.passages = passagesBox.checked;
    state.page = 1;
    if (state.q.trim() || hasFilters()) search(true);
  });
  $("home").addEventListener("click", (ev) => {
    if (ev.button !== 0 || ev.ctrlKey || ev.metaKey || ev.shiftKey || ev.altKey) return;
    ev.preventDefault();
    state = { q: "", page: 1, passages: false, filters: {} };
    search(true).then(() => input.focus());
  });
  window.addEventListener("popstate", () => {
    state = readState();
    search(false);
  });
  // "/" jumps to the search box, as on many search sites.
  document.addEventListener("keydown", (ev) => {
    if (ev.key !== "/" || ev.ctrlKey || ev.metaKey || ev.altKey) return;
    const tag = document.activeElement && document.activeElement.tagName;
    if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT") return;
    ev.preventDefault();
    input.focus();
    input.select();
  });

  // On a narrow screen the filters start folded, below the search box.
  const narrow = window.matchMedia("(max-width: 44rem)");
  $("facets-box").open = !narrow.matches;
  narrow.addEventListener("change", () => { $("facets-box").open = !narrow.matches; });
  applyLanguage();
  search(false);
  loadStats();
})();
