/* kg graph page. Transcript text is untrusted: it is only ever inserted with
   textContent / text nodes (see el()), never parsed as HTML. */
(function () {
  "use strict";
  var timing = { start: performance.now() };
  var data = JSON.parse(document.getElementById("kg-data").textContent);
  timing.parsed = performance.now();
  var $ = function (id) { return document.getElementById(id); };
  var status = $("status");
  var N = data.nodes;
  var BIG = N.length > 600 || data.edges.length > 6000;
  var typeColour = {};
  data.types.forEach(function (t) { typeColour[t[0]] = t[1]; });
  var PALETTE = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
                 "#9c755f", "#bab0ac", "#86bcb6", "#d4a6c8"];
  var INTERVIEW_COLOUR = { background: "#e8eaed", border: "#5f6368" };

  /* Build an element; strings become text nodes, so nothing is parsed as HTML. */
  function el(tag, props) {
    var node = document.createElement(tag);
    if (props) {
      Object.keys(props).forEach(function (k) {
        var v = props[k];
        if (v === undefined || v === null) return;
        if (k === "text") node.textContent = v;
        else if (k === "class") node.className = v;
        else if (k === "onclick") node.addEventListener("click", v);
        else node.setAttribute(k, String(v));
      });
    }
    for (var i = 2; i < arguments.length; i++) {
      var c = arguments[i];
      if (c === null || c === undefined || c === false) continue;
      if (Array.isArray(c)) c.forEach(function (x) { if (x) node.append(x); });
      else node.append(c);
    }
    return node;
  }
  function fold(s) {
    return String(s || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/\u0153/g, "oe").replace(/\u00e6/g, "ae").replace(/\u00df/g, "ss").replace(/\s+/g, " ").trim();
  }
  function plural(n, one, many) { return n + " " + (n === 1 ? one : (many || one + "s")); }
  function darker(hex) {
    var n = parseInt(hex.slice(1), 16), f = 0.7;
    var r = Math.round(((n >> 16) & 255) * f), g = Math.round(((n >> 8) & 255) * f), b = Math.round((n & 255) * f);
    return "#" + ((1 << 24) | (r << 16) | (g << 8) | b).toString(16).slice(1);
  }

  /* ---- derived data ---- */
  var maxMentions = 0, maxWeight = 1;
  var neighbours = N.map(function () { return []; });
  data.edges.forEach(function (e) {
    if (e[3] === 1) {
      neighbours[e[0]].push([e[1], e[2]]);
      neighbours[e[1]].push([e[0], e[2]]);
      if (e[2] > maxWeight) maxWeight = e[2];
    }
  });
  var keys = N.map(function (d) {
    if (d.kind === "entity" && d.mentions > maxMentions) maxMentions = d.mentions;
    return [fold(d.label)].concat((d.aliases || []).map(fold));
  });
  var interviewNode = {};
  N.forEach(function (d, i) { if (d.kind === "interview") interviewNode[d.iv] = i; });

  function colourOf(d) {
    if (d.kind === "interview") return INTERVIEW_COLOUR;
    var c = state.colourBy === "community" ? PALETTE[d.community % PALETTE.length] : typeColour[d.type];
    return { background: c, border: darker(c), highlight: { background: c, border: "#1b1b1b" },
             hover: { background: c, border: "#1b1b1b" } };
  }
  /* Sizes are set, not vis "value"s: vis rescales every node with a value (labels and all) on each
     data change, which made filtering a 2,000-node graph slow. */
  var range = [0, 1];
  function metric(d) { return state.sizeBy === "interviews" ? d.interviews.length : Number(d[state.sizeBy]) || 0; }
  function measureRange() {
    var lo = Infinity, hi = -Infinity;
    N.forEach(function (d) {
      if (d.kind !== "entity") return;
      var v = metric(d);
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    });
    range = [lo, hi];
  }
  function sizeOf(d) {
    var f = range[1] > range[0] ? Math.sqrt((metric(d) - range[0]) / (range[1] - range[0])) : 0.3;
    return { size: 7 + 30 * f, font: { size: 12 + 16 * f } };
  }
  function tooltip(d) {
    if (d.kind === "interview") {
      return d.label + (d.date ? "\n" + d.date : "") + "\nInterview \u00b7 " + plural(d.participants.length, "participant") +
        " \u00b7 " + plural(d.quotes, "quote");
    }
    var roles = d.speaker.length ? "\nSpeaks in " + plural(d.speaker.length, "interview") : "";
    return d.label + "\n" + d.type + " \u00b7 " + plural(d.mentions, "mention") + " \u00b7 " +
      plural(d.interviews.length, "interview") + roles;
  }

  var state = { types: {}, interview: -1, minMentions: 0, minWeight: data.minCoMentions || 1,
                sizeBy: "mentions", colourBy: "type", selected: -1, compact: !!data.compact };
  data.types.forEach(function (t) { state.types[t[0]] = true; });

  function visNode(d, i) {
    var node = { id: i, label: d.label, title: tooltip(d), x: d.x, y: d.y, color: colourOf(d) };
    if (d.review && d.review !== "unreviewed") node.borderWidth = 3;
    if (d.kind === "interview") {
      node.shape = "box";
      node.font = { size: 16, color: "#1b1b1b", strokeWidth: 0 };
      node.margin = 8;
      node.widthConstraint = { maximum: 220 };
      node.mass = 3;
    } else {
      node.shape = d.speaker.length ? "diamond" : "dot";
      var sized = sizeOf(d);
      node.size = sized.size;
      node.font = sized.font;
    }
    return node;
  }
  measureRange();
  var nodes = new vis.DataSet(N.map(visNode));
  var edges = new vis.DataSet(data.edges.map(function (e, k) {
    var co = e[3] === 1;
    var title = co ? N[e[0]].label + " \u2014 " + N[e[1]].label + "\nnamed together in " + plural(e[2], "sentence")
      : N[e[1]].label + " \u2014 " + N[e[0]].label + "\n" + (e[4] ? e[4] + (e[2] ? ", " : "") : "") +
        (e[2] ? "mentioned " + e[2] + "\u00d7" : "");
    // a width, not a value: vis rescales every edge with a value (font and all) on each data change
    var edge = { id: k, from: e[0], to: e[1], width: 0.5 + Math.log2(1 + (e[2] || 1)), title: title, kind: e[3],
                 weight: e[2] };
    if (!co && e[4] && !e[2]) edge.dashes = true;
    return edge;
  }));

  var visible = [];
  function shows(d) {
    if (d.kind === "interview") return state.interview < 0 ? !(state.compact && d.minor) : state.interview === d.iv;
    if (d.gone || !state.types[d.type]) return false;
    if (state.compact && d.minor) return false;  /* the first view of a large corpus (corpus.js) */
    if (d.mentions < state.minMentions) return false;
    if (state.interview >= 0 && d.interviews.indexOf(state.interview) < 0) return false;
    return true;
  }
  function computeVisible() { visible = N.map(shows); }
  computeVisible();
  var nodeView = new vis.DataView(nodes, { filter: function (n) { return visible[n.id]; } });
  var edgeView = new vis.DataView(edges, {
    filter: function (e) { return visible[e.from] && visible[e.to] && (e.kind === 0 || e.weight >= state.minWeight); }
  });

  var options = {
    autoResize: true,
    layout: { improvedLayout: false, randomSeed: 7 },
    interaction: { hover: !BIG, tooltipDelay: 120, hideEdgesOnDrag: BIG, hideEdgesOnZoom: BIG,
                   navigationButtons: false, keyboard: { enabled: false }, multiselect: false },
    nodes: {
      shape: "dot", borderWidth: 1, borderWidthSelected: 3,
      font: { face: "system-ui, sans-serif", color: "#1b1b1b", size: 13, strokeWidth: 3, strokeColor: "#ffffff" },
      scaling: { label: { enabled: false, drawThreshold: BIG ? 9 : 5, maxVisible: 30 } }
    },
    edges: { smooth: false, selectionWidth: 1.5, hoverWidth: 0.5, color: { inherit: false, color: "#7d8690", highlight: "#1b1b1b",
             hover: "#3c4043", opacity: 0.4 } },
    physics: {
      enabled: true, solver: "forceAtlas2Based",
      forceAtlas2Based: { gravitationalConstant: -60, centralGravity: 0.006, springLength: 90, springConstant: 0.06,
                          damping: 0.5, avoidOverlap: BIG ? 0 : 0.2, theta: BIG ? 0.9 : 0.5 },
      maxVelocity: 60, minVelocity: 1, timestep: 0.5, adaptiveTimestep: !BIG,
      stabilization: { enabled: true, iterations: N.length > 1500 ? 50 : BIG ? 100 : 300, updateInterval: 25, fit: true }
    }
  };
  timing.datasets = performance.now();
  var network = new vis.Network($("graph"), { nodes: nodeView, edges: edgeView }, options);
  timing.network = performance.now();
  window.kg = { timing: timing, data: data, nodes: nodes, edges: edges, nodeView: nodeView, edgeView: edgeView, network: network,
                ready: false, select: select, hooks: {} };

  function ready() {
    if (window.kg.ready) return;
    network.setOptions({ physics: { enabled: false } });
    $("physics").checked = false;
    timing.ready = performance.now();
    window.kg.ready = true;
    if (window.kg.hooks.ready) window.kg.hooks.ready();
    document.documentElement.setAttribute("data-state", "ready");
    status.textContent = "";
  }
  network.on("stabilizationProgress", function (p) {
    status.textContent = "Laying out\u2026 " + Math.round(100 * p.iterations / p.total) + "%";
  });
  network.once("stabilizationIterationsDone", function () { network.fit(); ready(); });
  if (N.length === 0) ready();

  /* ---- header, legend, filters ---- */
  var entityCount = N.filter(function (d) { return d.kind === "entity"; }).length;
  $("counts").textContent = plural(entityCount, "entity", "entities") + " \u00b7 " +
    plural(data.interviews.length, "interview") + " \u00b7 " + plural(data.quoteTotal, "quote");
  var typesBox = $("types");
  data.types.forEach(function (t) {
    if (!t[2]) return;
    var box = el("input", { type: "checkbox", value: t[0] });
    box.checked = true;
    box.addEventListener("change", function () { state.types[t[0]] = box.checked; refresh(); });
    typesBox.append(el("label", null, box, el("span", { class: "swatch", style: "background:" + t[1], "aria-hidden": "true" }),
                       t[0], el("span", { class: "n", text: String(t[2]) })));
  });
  var ivSelect = $("interview");
  data.interviews.forEach(function (iv, i) {
    ivSelect.append(el("option", { value: String(i), text: iv[0] + (iv[1] ? " (" + iv[1] + ")" : "") }));
  });
  if (data.interviews.length < 2) ivSelect.disabled = true;
  ivSelect.addEventListener("change", function () { state.interview = Number(ivSelect.value); refresh(); });
  function slider(id, key, max) {
    var input = $(id), out = $(id + "-value");
    input.max = String(Math.max(max, Number(input.min) + 1));
    input.value = String(state[key]);
    out.textContent = String(state[key]);
    input.addEventListener("input", function () { out.textContent = input.value; });
    input.addEventListener("change", function () { state[key] = Number(input.value); refresh(); });
  }
  slider("min-mentions", "minMentions", maxMentions);
  $("min-weight").min = String(state.minWeight);  // lighter links were left out when the page was made
  slider("min-weight", "minWeight", maxWeight);
  $("size-by").addEventListener("change", function (ev) {
    flush();
    state.sizeBy = ev.target.value;
    measureRange();
    nodes.update(N.map(function (d, i) {
      if (d.kind !== "entity") return null;
      var sized = sizeOf(d);
      return { id: i, size: sized.size, font: sized.font };
    }).filter(Boolean));
  });
  $("colour-by").addEventListener("change", function (ev) {
    flush();
    state.colourBy = ev.target.value;
    nodes.update(N.map(function (d, i) { return { id: i, color: colourOf(d) }; }));
  });
  $("physics").addEventListener("change", function (ev) {
    network.setOptions({ physics: { enabled: ev.target.checked, stabilization: { enabled: false } } });
    if (ev.target.checked) network.startSimulation();
  });
  $("fit").addEventListener("click", function () { network.fit({ animation: !BIG }); });

  function refresh() {
    flush();
    computeVisible();
    nodeView.refresh();
    edgeView.refresh();
    if (state.selected >= 0 && !visible[state.selected]) network.unselectAll();
  }

  /* ---- search ---- */
  var search = $("search"), results = $("results");
  function matches(q) {
    var out = [];
    keys.forEach(function (k, i) {
      var best = null;
      k.forEach(function (s, j) {
        var at = s.indexOf(q);
        if (at < 0) return;
        var rank = (s === q ? 0 : at === 0 ? 2 : 4) + (j === 0 ? 0 : 1);
        if (best === null || rank < best) best = rank;
      });
      if (best !== null && !N[i].gone) out.push([best, -(N[i].mentions || 0), N[i].label, i]);
    });
    out.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1] || (a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0); });
    return out.map(function (m) { return m[3]; });
  }
  function showResults() {
    var q = fold(search.value);
    results.textContent = "";
    if (!q) return;
    var found = matches(q);
    if (!found.length) { results.append(el("li", { class: "help", text: "No match" })); return; }
    found.slice(0, 20).forEach(function (i) {
      var d = N[i];
      results.append(el("li", null, el("button", { type: "button", onclick: function () { select(i, true); } },
        d.label, el("small", { text: d.kind === "interview" ? "interview" : d.type }))));
    });
    if (found.length > 20) results.append(el("li", { class: "help", text: "\u2026 and " + (found.length - 20) + " more" }));
  }
  search.addEventListener("input", showResults);
  search.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter") {
      var found = matches(fold(search.value));
      if (found.length) select(found[0], true);
    } else if (ev.key === "ArrowDown") {
      var first = results.querySelector("button");
      if (first) { ev.preventDefault(); first.focus(); }
    }
  });
  results.addEventListener("keydown", function (ev) {
    if (ev.key !== "ArrowDown" && ev.key !== "ArrowUp") return;
    var buttons = Array.prototype.slice.call(results.querySelectorAll("button"));
    var at = buttons.indexOf(document.activeElement);
    ev.preventDefault();
    if (ev.key === "ArrowUp" && at <= 0) { search.focus(); return; }
    var next = buttons[at + (ev.key === "ArrowDown" ? 1 : -1)];
    if (next) next.focus();
  });
  document.addEventListener("keydown", function (ev) {
    var typing = /^(INPUT|SELECT|TEXTAREA)$/.test(ev.target.tagName);
    if (ev.key === "/" && !typing) { ev.preventDefault(); search.focus(); search.select(); }
    else if (ev.key === "Escape") { clearPanel(); search.focus(); }
  });

  /* ---- selection and the side panel ---- */
  var panel = $("panel");
  network.on("click", function (p) {
    if (p.nodes.length) select(p.nodes[0], false);
    else if (!p.edges.length) clearPanel();
  });
  function select(i, fromKeyboard) {
    state.selected = i;
    if (visible[i]) {
      network.selectNodes([i]);
      if (fromKeyboard) network.focus(i, { scale: Math.max(network.getScale(), 1.2), animation: !BIG });
    }
    showPanel(i);
    if (window.kg.hooks.selected) window.kg.hooks.selected(i);
    if (fromKeyboard) panel.focus();
  }
  function clearPanel() {
    state.selected = -1;
    /* vis' unselectAll redraws at once, then again on the next frame: the selection alone, redrawn once */
    if (network.selectionHandler && network.body) {
      network.selectionHandler.unselectAll();
      network.body.emitter.emit("_requestRedraw");
    } else network.unselectAll();
    panel.textContent = "";
    panel.append(el("p", { class: "hint", text: "Click a node, or search for an entity, to see its quotes." }));
  }
  function nodeButton(i, extra) {
    return el("button", { type: "button", onclick: function () { select(i, true); } }, N[i].label,
              extra ? el("small", { text: extra }) : null);
  }
  function showPanel(i) {
    var d = N[i];
    panel.textContent = "";
    panel.append(el("button", { type: "button", class: "close", "aria-label": "Close details", text: "\u00d7",
                                onclick: function () { clearPanel(); search.focus(); } }));
    panel.append(el("h2", { id: "panel-title", text: d.label }));
    if (d.kind === "interview") interviewPanel(d); else entityPanel(d, i);
    panel.scrollTop = 0;
  }
  function interviewPanel(d) {
    panel.append(el("p", { class: "meta" }, "Interview" + (d.date ? " \u00b7 " + d.date : "") + " \u00b7 " +
      plural(d.quotes, "quote")));
    panel.append(el("h3", { text: "Participants (" + d.participants.length + ")" }));
    panel.append(el("ul", { class: "linklist" }, d.participants.map(function (p) {
      return el("li", null, p[2] >= 0 ? nodeButton(p[2], p[1]) : el("span", null, p[0], el("small", { text: p[1] })));
    })));
    panel.append(el("h3", { text: "Top entities" }));
    panel.append(el("ul", { class: "linklist" }, d.top.map(function (t) {
      return el("li", null, nodeButton(t[0], N[t[0]].type + " \u00b7 " + plural(t[1], "mention")));
    })));
  }
  /* Authority links (skos:exactMatch) become links only when they match a known authority (http or https): an
     IRI in the data is never trusted to be one (javascript: and the like are dropped). */
  var AUTHORITY = ((data.review && data.review.authorities) || []).map(function (a) { return [a[0], new RegExp(a[1])]; });
  function authorityOf(iri) {
    var s = String(iri || "");
    if (!/^https?:\/\//.test(s)) return null;
    for (var k = 0; k < AUTHORITY.length; k++) if (AUTHORITY[k][1].test(s)) return AUTHORITY[k][0];
    return null;
  }
  function entityPanel(d, i) {
    var swatch = el("span", { class: "swatch", style: "background:" + typeColour[d.type], "aria-hidden": "true" });
    panel.append(el("p", { class: "meta" }, swatch, " " + d.type + " \u00b7 " + plural(d.mentions, "mention") +
      " \u00b7 " + plural(d.quoteTotal, "quote")));
    if (d.aliases.length) panel.append(el("p", { class: "meta" }, "Also: " + d.aliases.join(" \u00b7 ")));
    var linked = (d.links || []).map(function (l) { return [authorityOf(l), l]; }).filter(function (a) { return a[0]; });
    if (linked.length) panel.append(el("p", { class: "meta authority-links" }, "Same as: ", linked.map(function (a, k) {
      var id = a[1].replace(/\/+$/, "").split("/").pop();
      return el("span", null, k ? " \u00b7 " : "", el("a", { class: "authority-link", href: a[1], target: "_blank",
        rel: "noopener noreferrer", title: a[1], text: a[0] + " " + id }));
    })));
    if (window.kg.hooks.entity) window.kg.hooks.entity(panel, d, i);
    panel.append(el("h3", { text: "Interviews (" + d.interviews.length + ")" }));
    panel.append(el("ul", { class: "linklist" }, d.interviews.map(function (iv, k) {
      var role = d.speaker.filter(function (r) { return r[0] === iv; }).map(function (r) { return r[1]; });
      var count = d.ivQuotes[k];
      var note = (role.length ? role.join(", ") + " \u00b7 " : "") + plural(count, "quote");
      return el("li", null, interviewNode[iv] !== undefined ? nodeButton(interviewNode[iv], note)
                                                             : el("span", { text: data.interviews[iv][0] }));
    })));
    var near = neighbours[i].slice().sort(function (a, b) { return b[1] - a[1] || a[0] - b[0]; }).slice(0, 8);
    if (near.length) {
      panel.append(el("h3", { text: "Often named with" }));
      panel.append(el("ul", { class: "linklist" }, near.map(function (n) {
        return el("li", null, nodeButton(n[0], plural(n[1], "sentence")));
      })));
    }
    panel.append(el("h3", { id: "quotes-title", text: "Quotes (" + d.quoteTotal + ")" }));
    if (d.quotes.length < d.quoteTotal) {
      panel.append(el("p", { class: "hint", text: "This page keeps " + d.quotes.length + " of them, taken from every " +
        "interview in turn. The RDF holds them all: kg query OUT --example quotes-mentioning --param name=\u2026" }));
    }
    var list = el("div", { class: "quotes", "aria-labelledby": "quotes-title" });
    panel.append(list);
    var shown = 0, STEP = 25;
    var more = el("button", { type: "button", class: "more" });
    function showMore() {
      d.quotes.slice(shown, shown + STEP).forEach(function (q) { list.append(quoteBlock(q)); });
      shown = Math.min(d.quotes.length, shown + STEP);
      more.textContent = "Show more quotes (" + (d.quotes.length - shown) + " left)";
      more.hidden = shown >= d.quotes.length;
    }
    more.addEventListener("click", showMore);
    showMore();
    panel.append(more);
  }
  function quoteBlock(ref) {  /* ref: [quote index, [[start, end], ...]] */
    var q = data.quotes[ref[0]], text = q[2], spans = ref[1].slice().sort(function (a, b) { return a[0] - b[0]; });
    var p = el("p", { lang: (N[interviewNode[q[0]]] || {}).lang || null }), at = 0;
    spans.forEach(function (s) {
      if (s[0] < at) return;
      p.append(text.slice(at, s[0]), el("mark", { text: text.slice(s[0], s[1]) }));
      if (window.kg.hooks.mark) p.append(window.kg.hooks.mark(ref, s) || "");
      at = s[1];
    });
    p.append(text.slice(at));
    var iv = data.interviews[q[0]] || ["", null];
    var media = playable(iv[2]), begin = q[4], end = q[5];
    var play = media && typeof begin === "number" ?
      el("button", { type: "button", class: "play", title: "Play this moment of the recording",
                     "aria-label": "Play from " + clock(begin), text: "\u25b6 " + clock(begin) }) : null;
    var cite = el("p", { class: "cite" }, play, "\u2014 " + (q[1] || "unknown speaker") + ", ", el("cite", { text: iv[0] }),
                  iv[1] ? ", " + iv[1] : "");
    var block = el("blockquote", { class: play ? "quote timed" : "quote" }, p, cite);
    if (play) {
      block.addEventListener("click", function (ev) {
        if (ev.target.closest && ev.target.closest("a, audio, video, button:not(.play)")) return;
        playMoment(block, media, begin, typeof end === "number" ? end : null);
      });
    }
    return block;
  }

  /* ---- playing a quote's moment ----
     The recording is read where the build found it, by a path relative to the page (`kg.media`): nothing is
     copied or fetched, and the page's Content-Security-Policy admits local media only. */
  var player = null, stopAt = null;
  function playable(media) {
    /* a relative path or a file: URL; another scheme, or a "//host" reference, is not played */
    if (typeof media !== "string" || !media || /^[\/\\]{2}/.test(media)) return null;
    return /^[a-z][a-z0-9+.\-]*:/i.test(media) && !/^file:/i.test(media) ? null : media;
  }
  function clock(seconds) {
    var s = Math.floor(seconds), h = Math.floor(s / 3600), m = Math.floor(s % 3600 / 60), r = s % 60;
    return (h ? h + ":" + (m < 10 ? "0" : "") : "") + m + ":" + (r < 10 ? "0" : "") + r;
  }
  function playMoment(block, media, begin, end) {
    var tag = /\.(mp4|m4v|webm|mov|ogv)$/i.test(media.split("#")[0]) ? "video" : "audio";
    if (!player || player.tagName.toLowerCase() !== tag) {
      if (player) player.remove();
      player = el(tag, { class: "player", controls: "", preload: "auto" });
      player.addEventListener("timeupdate", function () {
        if (stopAt !== null && player.currentTime >= stopAt) { player.pause(); stopAt = null; }
      });
    }
    block.append(player);
    stopAt = end;
    var seek = function () {
      player.currentTime = begin;
      var started = player.play();
      if (started && started.catch) started.catch(function () { /* no sound device, or not allowed: it stays paused */ });
    };
    if (player.getAttribute("data-media") !== media) {
      player.setAttribute("data-media", media);
      player.addEventListener("loadedmetadata", seek, { once: true });
      player.src = media;
      player.currentTime = begin;  /* the default start position until the metadata is there */
    } else {
      seek();
    }
  }

  /* ---- what the review mode (review.js) works with ----
     A change to vis' DataSets makes vis-network walk every node and edge (about 150 ms at 2,000 entities and
     25,000 edges), so a review action changes the drawn nodes and edges themselves, which vis redraws on the
     next frame, and notes what the DataSets lack; `flush` hands it to them before anything reads them again
     (a filter, a colour or size choice). */
  var dirty = {}, dirtyEdges = {}, fresh = {};
  var body = network.body;
  var quick = !!(body && body.nodes && body.edges && network.nodesHandler && network._updateVisibleIndices);
  function drawn(i) {
    var d = N[i], v = visNode(d, i);
    return { id: i, label: v.label, title: v.title, color: v.color, borderWidth: v.borderWidth || 1, hidden: !!d.gone };
  }
  function looks(o) {  /* what of a node's options shows on the canvas (its title is a tooltip, read on hover) */
    var c = o.color || {};
    return [o.label, c.background, c.border, o.borderWidth || 1, !!o.hidden].join("\u0000");
  }
  function redrawSoon() {
    network._updateVisibleIndices();
    body.emitter.emit("_requestRedraw");
  }
  function flush() {
    var add = [], upd = [];
    Object.keys(dirty).forEach(function (k) {
      var i = Number(k);
      if (i >= N.length) return;
      if (fresh[i]) add.push(Object.assign(visNode(N[i], i), { hidden: !!N[i].gone }));
      else upd.push(drawn(i));
    });
    var moved = Object.keys(dirtyEdges).map(function (k) { return dirtyEdges[k]; });
    dirty = {}; fresh = {}; dirtyEdges = {};
    if (add.length) nodes.add(add);
    if (upd.length) nodes.update(upd);
    if (moved.length) edges.update(moved);
  }
  function sync(list) {
    list.forEach(function (i) { keys[i] = [fold(N[i].label)].concat((N[i].aliases || []).map(fold)); });
    if (!quick) { nodes.update(list.map(drawn)); return; }
    var lost = false, changed = false;
    list.forEach(function (i) {
      dirty[i] = true;
      var node = body.nodes[i], opts = drawn(i);
      if (node) {
        changed = changed || looks(node.options) !== looks(opts);
        node.setOptions(opts);
      } else if (shows(N[i])) lost = true;  /* a refresh took it out of the drawing since, and it is back */
    });
    /* an action that changes nothing drawn (an authority link, a check of a checked entity) costs no redraw (#20) */
    if (lost) refresh(); else if (changed) redrawSoon();
  }
  function moveEdges(list) {
    if (!quick) { edges.update(list); return; }
    list.forEach(function (e) {
      dirtyEdges[e.id] = e;
      var edge = body.edges[e.id];
      if (edge) { edge.setOptions({ from: e.from, to: e.to }); edge.connect(); }
    });
    redrawSoon();
  }
  Object.assign(window.kg, {
    el: el, fold: fold, plural: plural, typeColour: typeColour, matches: matches, showPanel: showPanel,
    clearPanel: clearPanel, state: state, interviewNode: interviewNode, neighbours: neighbours,
    keys: keys,  /* per node: its label then its aliases, folded (kept up to date by sync) */
    refresh: refresh, flush: flush, sync: sync, moveEdges: moveEdges,
    quoteBlock: quoteBlock, nodeButton: nodeButton, isVisible: function (i) { return !!visible[i]; },
    /* whether node i is drawn now */
    shown: function (i) {
      return quick ? body.nodeIndices.indexOf(i) >= 0 && !!body.nodes[i] : nodeView.get(i) !== null;
    },
    /* the edges that end at node i now: [{id, from, to}] */
    edgesOf: function (i) {
      return edges.get({ filter: function (e) { var c = dirtyEdges[e.id] || e; return c.from === i || c.to === i; } })
        .map(function (e) { var c = dirtyEdges[e.id] || e; return { id: e.id, from: c.from, to: c.to }; });
    },
    addNode: function (d) {
      var i = N.length;
      N.push(d);
      keys.push([fold(d.label)].concat((d.aliases || []).map(fold)));
      neighbours.push([]);
      visible.push(true);
      if (quick) {
        body.nodes[i] = network.nodesHandler.create(visNode(d, i));
        dirty[i] = fresh[i] = true;
        redrawSoon();
      } else nodes.add(visNode(d, i));
      return i;
    },
    dropLastNode: function () {
      var i = N.length - 1;
      if (fresh[i]) {
        delete body.nodes[i];
        delete fresh[i];
        delete dirty[i];
        redrawSoon();
      } else nodes.remove(i);
      N.pop(); keys.pop(); neighbours.pop(); visible.pop();
    }
  });
})();
