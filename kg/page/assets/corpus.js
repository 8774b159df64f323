/* kg graph page: the corpus at a glance (#26).
   A readable first view (the best ranked entities labelled at a readable size, minor ones hidden in a large
   corpus) and three views of the corpus beside the network: what the interviews share (a ranked list and an
   interview x entity matrix), who talks about what (speakers and the entities they name) and one entity's
   world (its neighbours, its quotes by interview and speaker, a timeline over the interviews' dates).
   Transcript text is untrusted: it only enters the page as text (kg.el, SVG text nodes), never as markup. */
(function () {
  "use strict";
  var kg = window.kg;
  if (!kg) return;
  var data = kg.data, N = data.nodes, el = kg.el, plural = kg.plural, network = kg.network;
  var $ = function (id) { return document.getElementById(id); };
  var SVG = "http://www.w3.org/2000/svg";
  var FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif";
  var IVS = data.interviews.length;
  var TOP_COLUMNS = 25, TOP_LIST = 30, TOP_SPEAKERS = 20, TOP_TALKED = 25, TOP_NEAR = 16;
  var LABEL_PX = 12, SMALL_PX = 7, IV_PX = 10;
  var ROLE = { interviewer: ["#e15759", "prompts (interviewer)"], interviewee: ["#4e79a7", "answers (interviewee)"],
               participant: ["#59a14f", "participant"], unknown: ["#7d8690", "speaker of unknown role"] };

  /* entity nodes, best ranked first (rank: kg/page/overview.py) */
  var ranked = [];
  N.forEach(function (d, i) { if (d.kind === "entity") ranked.push(i); });
  ranked.sort(function (a, b) { return (N[a].rank === undefined ? 1e9 : N[a].rank) - (N[b].rank === undefined ? 1e9 : N[b].rank); });
  var entityTotal = ranked.length;

  function svg(tag, attrs) {
    var node = document.createElementNS(SVG, tag);
    Object.keys(attrs || {}).forEach(function (k) { if (attrs[k] !== null && attrs[k] !== undefined) node.setAttribute(k, String(attrs[k])); });
    for (var a = 2; a < arguments.length; a++) if (arguments[a]) node.append(arguments[a]);
    return node;
  }
  function text(x, y, s, attrs) {
    var t = svg("text", Object.assign({ x: x, y: y, "font-family": FONT, "font-size": 12, fill: "#1b1b1b" }, attrs || {}));
    t.textContent = s;
    return t;
  }
  function clip(s, n) { s = String(s || ""); return s.length > n ? s.slice(0, n - 1) + "\u2026" : s; }
  function ivTitle(iv) { return data.interviews[iv][0]; }
  function ivDate(iv) { return data.interviews[iv][1]; }

  /* ---- the first view: labels that can be read, minor entities hidden until asked for ---- */
  function labelFirstView() {
    var scale = network.getScale();
    if (!(scale > 0)) return;
    var want = data.labelled || 40, n = 0, upd = [];
    /* the rest keep their size where even the largest of them (28, page.js) is drawn smaller than SMALL_PX: at
       a thousand interviews that spares an update of thousands of nodes */
    var shrink = 28 * scale > SMALL_PX;
    ranked.forEach(function (i) {
      if (!kg.isVisible(i) || N[i].rank === undefined) return;
      if (n < want) {
        upd.push({ id: i, font: { size: Math.max(LABEL_PX / scale, 12) } });
        n++;
      } else if (shrink) {
        /* page.js hides labels under 9 px in a graph of more than 600 nodes, counting the hidden ones too */
        upd.push({ id: i, font: { size: SMALL_PX / scale, color: "#5f6368" }, scaling: { label: { drawThreshold: SMALL_PX - 2 } } });
      }
    });
    if (IVS <= 30) {
      N.forEach(function (d, i) {
        if (d.kind === "interview") upd.push({ id: i, font: { size: Math.max(IV_PX / scale, 14) }, widthConstraint: { maximum: 130 / scale } });
      });
    }
    kg.nodes.update(upd);
  }
  var glance = el("p", { id: "glance", class: "glance" });
  function showGlance() {
    glance.textContent = "";
    if (!data.compact) return;
    var shown = 0, boxes = 0;
    ranked.forEach(function (i) { if (kg.isVisible(i)) shown++; });
    N.forEach(function (d, i) { if (d.kind === "interview" && kg.isVisible(i)) boxes++; });
    var all = kg.state.compact;
    glance.append("Showing " + shown + " of " + entityTotal + " entities" +
                  (boxes < IVS ? " and " + boxes + " of " + plural(IVS, "interview") : "") + (all ? " (minor ones hidden) " : " "),
      el("button", { type: "button", id: "show-all", onclick: function () {
        kg.state.compact = !kg.state.compact;
        kg.refresh();
        showGlance();
      }, text: all ? "Show all" : "Hide minor ones" }));
  }
  $("controls").prepend(glance);

  /* ---- counts behind the views ---- */
  var ivMentions = null;  /* per entity node: {interview: mentions}, from the entity-interview edges */
  function mentionsIn() {
    if (ivMentions) return ivMentions;
    ivMentions = {};
    data.edges.forEach(function (e) {
      if (e[3] !== 0) return;
      var a = N[e[0]], b = N[e[1]];
      var iv = a.kind === "interview" ? a.iv : b.iv, ent = a.kind === "interview" ? e[1] : e[0];
      (ivMentions[ent] || (ivMentions[ent] = {}))[iv] = e[2] || 0;
    });
    return ivMentions;
  }
  function roleIn(iv, name) {
    var found = "unknown";
    (N[kg.interviewNode[iv]] || { participants: [] }).participants.forEach(function (p) { if (p[0] === name) found = p[1]; });
    return found;
  }
  var talk = null;  /* speakers x entities, counted over the quotes the page keeps */
  function talking() {
    if (talk) return talk;
    /* each quote's speaker, once: an entity's refs then cost two lookups each (hundreds of thousands at scale) */
    var Q = data.quotes, speakerOf = new Int32Array(Q.length), ids = {}, byRole = {}, list = [];
    for (var q = 0; q < Q.length; q++) {
      var name = Q[q][1];
      if (!name) { speakerOf[q] = -1; continue; }
      var rk = Q[q][0] + "\u0000" + name, sid = ids[rk];
      if (sid === undefined) {
        var role = roleIn(Q[q][0], name), key = name + "\u0000" + role;
        sid = byRole[key];
        if (sid === undefined) {
          sid = byRole[key] = list.length;
          list.push({ name: name, role: role, total: 0, by: {} });
        }
        ids[rk] = sid;
      }
      speakerOf[q] = sid;
    }
    var partial = false, unnamed = 0;
    ranked.forEach(function (i) {
      var d = N[i], refs = d.quotes;
      if (refs.length < d.quoteTotal) partial = true;
      for (var k = 0; k < refs.length; k++) {
        var n = refs[k][1].length, s = speakerOf[refs[k][0]];
        if (s < 0) { unnamed += n; continue; }
        var sp = list[s];
        sp.total += n;
        sp.by[i] = (sp.by[i] || 0) + n;
      }
    });
    list = list.filter(function (sp) { return sp.total > 0; });
    list.sort(function (a, b) { return b.total - a.total || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0); });
    talk = { speakers: list, partial: partial, unnamed: unnamed };
    return talk;
  }

  /* the entities the type filters (and the review mode's merges and ignores) leave, best ranked first */
  function allowed(i) { return !N[i].gone && kg.state.types[N[i].type] !== false; }
  function chosen() { return ranked.filter(allowed); }

  /* ---- the views ---- */
  var host = el("section", { id: "corpus-view", class: "corpus-view", tabindex: "-1", "aria-live": "polite" });
  host.hidden = true;
  $("graph").append(host);
  var bar = $("views");
  var VIEWS = [["network", "Network"], ["shared", "Shared across interviews"], ["who", "Who talks about what"],
               ["entity", "One entity's world"]];
  var current = "network", focus = -1, ROWS_STEP = 200, matrixRows = ROWS_STEP;
  var tabs = {};
  VIEWS.forEach(function (v) {
    tabs[v[0]] = el("button", { type: "button", class: "view-tab", "data-view": v[0], "aria-pressed": "false", text: v[1],
                                onclick: function () { show(v[0]); } });
    bar.append(tabs[v[0]]);
  });
  var pngButton = el("button", { type: "button", id: "save-png", class: "export", text: "Save PNG", title: "The current view, with its legend",
                                 onclick: function () { savePng(); } });
  var csvButton = el("button", { type: "button", id: "save-csv", class: "export", text: "Save CSV", title: "The interview x entity matrix",
                                 onclick: function () { saveCsv(); } });
  csvButton.hidden = true;
  bar.append(pngButton, csvButton);

  function show(view, note) {
    if (view === "shared" && IVS < 2) {
      view = "entity";
      note = IVS ? "This corpus has one interview: there is nothing to compare across interviews, so here is the entity view."
                 : "This corpus has no interview.";
    }
    var t0 = performance.now();
    current = view;
    Object.keys(tabs).forEach(function (k) { tabs[k].setAttribute("aria-pressed", String(k === view)); });
    csvButton.hidden = view !== "shared";
    host.textContent = "";
    host.hidden = view === "network";
    if (view !== "network") {
      if (note) host.append(el("p", { class: "note", id: "view-note", text: note }));
      if (view === "shared") sharedView();
      else if (view === "who") whoView();
      else entityView(focus >= 0 ? focus : kg.state.selected >= 0 && N[kg.state.selected].kind === "entity" ? kg.state.selected : chosen()[0]);
      host.scrollTop = 0;
    }
    document.documentElement.setAttribute("data-view", view);
    kg.timing.view = performance.now() - t0;
  }
  kg.hooks.selected = function (i) {
    if (current === "entity" && N[i] && N[i].kind === "entity") { focus = i; show("entity"); }
  };

  function legendOf(items) {  /* [[colour, label]] as an SVG row, for the figure and its PNG */
    var g = svg("g", { class: "legend" }), x = 0;
    items.forEach(function (it) {
      g.append(svg("rect", { x: x, y: 0, width: 12, height: 12, fill: it[0], stroke: "#1b1b1b", "stroke-width": 0.5 }));
      g.append(text(x + 16, 10, it[1], { "font-size": 12 }));
      x += 24 + 7 * it[1].length;
    });
    return [g, x];
  }
  function typeLegend() { return data.types.filter(function (t) { return t[2]; }).map(function (t) { return [t[1], t[0]]; }); }

  /* Shared across interviews: the ranked list and the interview x entity matrix */
  function sharedView() {
    var counts = mentionsIn();
    host.append(el("h2", { text: "Shared across interviews" }),
      el("p", { class: "meta", text: plural(IVS, "interview") + " \u00b7 entities ranked by the number of interviews that name them (or where they speak), then by mentions" }));
    var list = el("ol", { class: "ranked", id: "ranked" });
    var pool = chosen();
    pool.slice(0, TOP_LIST).forEach(function (i) {
      var d = N[i];
      list.append(el("li", null, el("button", { type: "button", onclick: function () { focus = i; show("entity"); } }, d.label,
        el("small", { text: d.type + " \u00b7 " + plural(d.interviews.length, "interview") + " \u00b7 " + plural(d.mentions, "mention") }))));
    });
    var cols = pool.slice(0, TOP_COLUMNS);
    var max = 1;
    cols.forEach(function (i) { var c = counts[i] || {}; Object.keys(c).forEach(function (k) { if (c[k] > max) max = c[k]; }); });
    var CELL = 18, ROWH = 16, LEFT = 220, TOP = 150, ROWS = Math.min(IVS, matrixRows);
    var width = LEFT + cols.length * CELL + 10, height = TOP + ROWS * ROWH + 40;
    var fig = svg("svg", { class: "figure matrix", id: "matrix", width: width, height: height, viewBox: "0 0 " + width + " " + height,
                           role: "grid", "aria-label": "Interviews (rows) by entities (columns), coloured by mentions" });
    fig.append(svg("rect", { x: 0, y: 0, width: width, height: height, fill: "#ffffff" }));
    cols.forEach(function (i, c) {
      var d = N[i], x = LEFT + c * CELL + CELL / 2 + 4;
      var head = text(0, 0, clip(d.label, 22) + " (" + d.interviews.length + ")",
                      { transform: "translate(" + x + "," + (TOP - 6) + ") rotate(-55)", class: "col", "data-node": i,
                        "data-interviews": d.interviews.length, "data-label": d.label });
      fig.append(head);
    });
    var cells = [];
    for (var r = 0; r < ROWS; r++) {
      var y = TOP + r * ROWH;
      fig.append(text(LEFT - 6, y + ROWH - 4, clip(ivTitle(r), 32) + (ivDate(r) ? " \u00b7 " + String(ivDate(r)).slice(0, 4) : ""),
                      { "text-anchor": "end", "font-size": 11, class: "row" }));
      var row = [];
      cols.forEach(function (i, c) {
        var n = (counts[i] || {})[r] || 0;
        /* as few attributes as will do: a thousand interviews make tens of thousands of cells; the tooltip and the
           spoken label are made when the pointer or the focus reaches the cell */
        var cell = svg("rect", { x: LEFT + c * CELL, y: y, width: CELL - 2, height: ROWH - 2, class: "cell",
                                 fill: n ? shade(n / max) : "#f3f4f6", "data-node": i, "data-iv": r, "data-mentions": n });
        fig.append(cell);
        row.push(cell);
      });
      cells.push(row);
    }
    var lg = legendOf([[shade(0.1), "few mentions"], [shade(0.5), ""], [shade(1), max + " mentions"], ["#f3f4f6", "none"]]);
    lg[0].setAttribute("transform", "translate(10," + (TOP + ROWS * ROWH + 14) + ")");
    fig.append(lg[0]);
    function describe(cell) {
      if (cell.firstChild) return;
      var i = Number(cell.getAttribute("data-node")), r = Number(cell.getAttribute("data-iv"));
      var said = N[i].label + " \u2014 " + ivTitle(r) + ": " + plural(Number(cell.getAttribute("data-mentions")), "mention");
      var tip = svg("title");
      tip.textContent = said;
      cell.append(tip);
      cell.setAttribute("role", "gridcell");
      cell.setAttribute("aria-label", said);
    }
    fig.addEventListener("mouseover", function (ev) { if (ev.target.classList && ev.target.classList.contains("cell")) describe(ev.target); });
    if (cells.length && cells[0].length) { cells[0][0].setAttribute("tabindex", "0"); describe(cells[0][0]); }
    var at = [0, 0];
    fig.addEventListener("click", function (ev) {
      var t = ev.target.closest ? ev.target.closest("rect.cell") : null;
      if (!t) return;
      var r0 = Number(t.getAttribute("data-iv")), c0 = cols.indexOf(Number(t.getAttribute("data-node")));
      cells[at[0]][at[1]].removeAttribute("tabindex");
      at = [r0, c0];
      t.setAttribute("tabindex", "0");
      openCell(Number(t.getAttribute("data-node")), r0);
    });
    fig.addEventListener("keydown", function (ev) {
      var moves = { ArrowRight: [0, 1], ArrowLeft: [0, -1], ArrowDown: [1, 0], ArrowUp: [-1, 0] };
      if (ev.key === "Enter" || ev.key === " ") {
        ev.preventDefault();
        var cur = cells[at[0]][at[1]];
        openCell(Number(cur.getAttribute("data-node")), at[0]);
        return;
      }
      var m = moves[ev.key];
      if (!m || !cells.length) return;
      ev.preventDefault();
      var r2 = Math.max(0, Math.min(cells.length - 1, at[0] + m[0])), c2 = Math.max(0, Math.min(cols.length - 1, at[1] + m[1]));
      cells[at[0]][at[1]].removeAttribute("tabindex");
      at = [r2, c2];
      describe(cells[r2][c2]);
      cells[r2][c2].setAttribute("tabindex", "0");
      cells[r2][c2].focus();
    });
    var more = null;
    if (ROWS < IVS) {
      more = el("button", { type: "button", id: "more-rows", text: "Show " + Math.min(ROWS_STEP, IVS - ROWS) + " more interviews (" + (IVS - ROWS) + " left)",
                            onclick: function () { matrixRows += ROWS_STEP; show("shared"); } });
    }
    host.append(el("div", { class: "shared" },
      el("div", { class: "matrix-box" }, el("h3", { text: "Interviews \u00d7 top entities (mentions)" }),
        el("p", { class: "help", text: "Click a cell (or move with the arrow keys, then Enter) for that entity's quotes in that interview." +
          (ROWS < IVS ? " The first " + ROWS + " of " + IVS + " interviews; Save CSV saves them all." : "") }),
        fig, more),
      el("div", null, el("h3", { text: "Most shared" }), list)));
  }
  function shade(f) {  /* white to dark blue, by the share of the largest count */
    var t = Math.max(0.12, Math.min(1, Math.sqrt(f)));
    var from = [222, 235, 247], to = [8, 48, 107];
    return "rgb(" + from.map(function (v, k) { return Math.round(v + (to[k] - v) * t); }).join(",") + ")";
  }
  function openCell(i, iv) {  /* that entity's quotes in that interview only, in the side panel */
    var d = N[i], panel = $("panel");
    kg.state.selected = i;
    panel.textContent = "";
    panel.append(el("button", { type: "button", class: "close", "aria-label": "Close details", text: "\u00d7",
                                onclick: function () { kg.clearPanel(); } }));
    panel.append(el("h2", { id: "panel-title", text: d.label }));
    var k = d.interviews.indexOf(iv), total = k >= 0 ? d.ivQuotes[k] : 0;
    var refs = d.quotes.filter(function (ref) { return data.quotes[ref[0]][0] === iv; });
    panel.append(el("p", { class: "meta" }, d.type + " \u00b7 in ", el("cite", { text: ivTitle(iv) }),
      (ivDate(iv) ? " (" + ivDate(iv) + ")" : "") + " \u00b7 " + plural((mentionsIn()[i] || {})[iv] || 0, "mention") +
      " \u00b7 " + plural(total, "quote")));
    panel.append(el("p", null, kg.nodeButton(i, "all its interviews")));
    if (refs.length < total) panel.append(el("p", { class: "hint", text: "This page keeps " + refs.length + " of them." }));
    var list = el("div", { class: "quotes cell-quotes", "data-node": i, "data-iv": iv });
    refs.forEach(function (ref) { list.append(kg.quoteBlock(ref)); });
    if (!refs.length) list.append(el("p", { class: "hint", text: "No quote: named here only as a speaker." }));
    panel.append(list);
    panel.scrollTop = 0;
  }

  /* Who talks about what: speakers (by role) and the entities they name */
  function whoView() {
    var t = talking();
    host.append(el("h2", { text: "Who talks about what" }),
      el("p", { class: "meta", text: "Speakers and the entities they name, sized by mentions. Interviewers' prompts and interviewees' answers are told apart by colour." +
        (t.partial ? " Counted over the quotes this page keeps (up to 200 an entity)." : "") +
        (t.unnamed ? " " + plural(t.unnamed, "mention") + " in text of no known speaker left out." : "") }));
    var speakers = t.speakers.slice(0, TOP_SPEAKERS);
    if (!speakers.length) { host.append(el("p", { class: "note", text: "No quote names an entity." })); return; }
    var sums = {};
    speakers.forEach(function (s) {
      Object.keys(s.by).forEach(function (k) { if (allowed(Number(k))) sums[k] = (sums[k] || 0) + s.by[k]; });
    });
    var ents = Object.keys(sums).map(Number).sort(function (a, b) { return sums[b] - sums[a] || a - b; }).slice(0, TOP_TALKED);
    var ROW = 26, LEFT = 250, RIGHT = 480, TOP = 20;
    var height = TOP + Math.max(speakers.length, ents.length) * ROW + 50, width = 720;
    var fig = svg("svg", { class: "figure bipartite", id: "who", width: width, height: height, viewBox: "0 0 " + width + " " + height,
                           role: "img", "aria-label": "Speakers (left) and the entities they name (right)" });
    fig.append(svg("rect", { x: 0, y: 0, width: width, height: height, fill: "#ffffff" }));
    var maxS = speakers[0].total, maxE = 1, maxL = 1;
    ents.forEach(function (e) { if (sums[e] > maxE) maxE = sums[e]; });
    speakers.forEach(function (s) { ents.forEach(function (e) { if ((s.by[e] || 0) > maxL) maxL = s.by[e]; }); });
    var ey = {};
    ents.forEach(function (e, k) { ey[e] = TOP + k * ROW + ROW / 2; });
    var lines = svg("g", { class: "links" });
    fig.append(lines);
    speakers.forEach(function (s, k) {
      var y = TOP + k * ROW + ROW / 2, colour = (ROLE[s.role] || ROLE.unknown)[0];
      ents.forEach(function (e) {
        var n = s.by[e];
        if (!n) return;
        var line = svg("line", { x1: LEFT + 10, y1: y, x2: RIGHT - 10, y2: ey[e], stroke: colour, "stroke-opacity": 0.45,
                                 "stroke-width": 0.6 + 5 * Math.sqrt(n / maxL), "stroke-dasharray": s.role === "interviewer" ? "5 3" : null,
                                 class: "talk", "data-role": s.role, "data-node": e, "data-mentions": n });
        var tip = svg("title"); tip.textContent = s.name + " (" + s.role + ") \u2014 " + N[e].label + ": " + plural(n, "mention");
        line.append(tip);
        lines.append(line);
      });
      var who = svg("g", { class: "speaker", "data-role": s.role, tabindex: "0", role: "button",
                           "aria-label": s.name + ", " + s.role + ", " + plural(s.total, "mention") });
      who.append(svg("circle", { cx: LEFT + 10, cy: y, r: 3 + 8 * Math.sqrt(s.total / maxS), fill: colour, stroke: "#1b1b1b", "stroke-width": 0.5 }),
                 text(LEFT - 4, y + 4, clip(s.name, 22) + (s.role === "interviewee" ? "" : s.role === "unknown" ? " (role unknown)" : " (" + s.role + ")") + " \u00b7 " + s.total,
                      { "text-anchor": "end" }));
      var person = -1;
      ranked.forEach(function (i) { if (person < 0 && N[i].type === "Person" && N[i].label === s.name) person = i; });
      activate(who, function () { if (person >= 0) kg.select(person, true); });
      fig.append(who);
    });
    ents.forEach(function (e) {
      var d = N[e], y = ey[e];
      var g = svg("g", { class: "talked", "data-node": e, tabindex: "0", role: "button", "aria-label": d.label + ", " + plural(sums[e], "mention") });
      g.append(svg("circle", { cx: RIGHT, cy: y, r: 3 + 8 * Math.sqrt(sums[e] / maxE), fill: kg.typeColour[d.type], stroke: "#1b1b1b", "stroke-width": 0.5 }),
               text(RIGHT + 14, y + 4, clip(d.label, 28) + " \u00b7 " + sums[e]));
      activate(g, function () { focus = e; show("entity"); });
      fig.append(g);
    });
    var roles = {};
    speakers.forEach(function (s) { roles[s.role] = true; });
    var lg = legendOf(Object.keys(ROLE).filter(function (r) { return roles[r]; }).map(function (r) { return ROLE[r]; }).concat(typeLegend()));
    lg[0].setAttribute("transform", "translate(10," + (height - 24) + ")");
    fig.append(lg[0]);
    host.append(fig);
  }
  function activate(node, run) {
    node.addEventListener("click", run);
    node.addEventListener("keydown", function (ev) { if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); run(); } });
  }

  /* One entity's world: its neighbours, a timeline over dated interviews, its quotes by interview and speaker */
  function entityView(i) {
    if (i === undefined || !N[i]) { host.append(el("p", { class: "note", text: "No entity to show." })); return; }
    focus = i;
    var d = N[i];
    var pick = el("select", { id: "world-of", "aria-label": "Entity" });
    var pool = chosen();
    pool.slice(0, 200).concat(pool.indexOf(i) >= 200 || pool.indexOf(i) < 0 ? [i] : []).forEach(function (k) {
      var o = el("option", { value: String(k), text: N[k].label + " (" + N[k].type + ")" });
      if (k === i) o.selected = true;
      pick.append(o);
    });
    pick.addEventListener("change", function () { focus = Number(pick.value); show("entity"); });
    host.append(el("h2", { id: "world-title", text: d.label }),
      el("p", { class: "meta" }, d.type + " \u00b7 " + plural(d.interviews.length, "interview") + " \u00b7 " + plural(d.mentions, "mention") + " \u00b7 ",
         el("label", null, "other entity: ", pick), " (or search on the left)"));
    host.append(el("h3", { text: "Neighbourhood" }));
    var near = kg.neighbours[i].slice().sort(function (a, b) { return b[1] - a[1] || a[0] - b[0]; }).slice(0, TOP_NEAR);
    if (!near.length) host.append(el("p", { class: "note", text: "Named in no sentence with another entity (above the page's threshold)." }));
    else host.append(neighbourhood(i, near));
    host.append(el("h3", { text: "Over the interviews' dates" }));
    host.append(timeline(i));
    host.append(el("h3", { id: "world-quotes", text: "Quotes by interview and speaker (" + d.quoteTotal + ")" }));
    if (d.quotes.length < d.quoteTotal) host.append(el("p", { class: "hint", text: "This page keeps " + d.quotes.length + " of them." }));
    var by = {};
    d.quotes.forEach(function (ref) {
      var q = data.quotes[ref[0]], who = q[1] || "unknown speaker";
      var iv = by[q[0]] || (by[q[0]] = { order: [], speakers: {} });
      if (!iv.speakers[who]) { iv.speakers[who] = []; iv.order.push(who); }
      iv.speakers[who].push(ref);
    });
    Object.keys(by).map(Number).sort(function (a, b) { return a - b; }).forEach(function (iv) {
      var group = el("section", { class: "world-interview", "data-iv": iv });
      var count = 0;
      by[iv].order.forEach(function (w) { count += by[iv].speakers[w].length; });
      group.append(el("h4", null, el("cite", { text: ivTitle(iv) }), (ivDate(iv) ? " \u00b7 " + ivDate(iv) : "") + " \u00b7 " + plural(count, "quote")));
      by[iv].order.forEach(function (w) {
        var role = roleIn(iv, w);
        group.append(el("h5", { text: w + (role !== "unknown" ? " (" + role + ")" : "") }));
        by[iv].speakers[w].forEach(function (ref) { group.append(kg.quoteBlock(ref)); });
      });
      host.append(group);
    });
  }
  function neighbourhood(i, near) {
    var W = 620, H = 380, cx = W / 2, cy = H / 2 - 10, R = 135, maxW = near[0][1];
    var fig = svg("svg", { class: "figure world", id: "world", width: W, height: H, viewBox: "0 0 " + W + " " + H,
                           role: "img", "aria-label": "Entities named in the same sentences as " + N[i].label });
    fig.append(svg("rect", { x: 0, y: 0, width: W, height: H, fill: "#ffffff" }));
    var spots = near.map(function (n, k) {
      var a = -Math.PI / 2 + 2 * Math.PI * (k + 0.5) / near.length;  /* none straight above or below: labels clash there */
      return [cx + R * Math.cos(a), cy + R * Math.sin(a), a];
    });
    near.forEach(function (n, k) {
      fig.append(svg("line", { x1: cx, y1: cy, x2: spots[k][0], y2: spots[k][1], stroke: "#7d8690", "stroke-opacity": 0.6,
                               "stroke-width": 0.8 + 5 * Math.sqrt(n[1] / maxW) }));
    });
    near.forEach(function (n, k) {
      var d = N[n[0]], s = spots[k], right = Math.cos(s[2]) >= -0.01;
      var g = svg("g", { class: "near", "data-node": n[0], tabindex: "0", role: "button",
                         "aria-label": d.label + ", named together in " + plural(n[1], "sentence") });
      g.append(svg("circle", { cx: s[0], cy: s[1], r: 7, fill: kg.typeColour[d.type] || "#e8eaed", stroke: "#1b1b1b", "stroke-width": 0.5 }),
               text(s[0] + (right ? 10 : -10), s[1] + 4, clip(d.label, 26) + " \u00b7 " + n[1], { "text-anchor": right ? "start" : "end" }));
      activate(g, function () { focus = n[0]; show("entity"); });
      fig.append(g);
    });
    fig.append(svg("circle", { cx: cx, cy: cy, r: 12, fill: kg.typeColour[N[i].type], stroke: "#1b1b1b", "stroke-width": 1.5 }),
               text(cx, cy + 28, clip(N[i].label, 40), { "text-anchor": "middle", "font-weight": "bold", "font-size": 13 }));
    var lg = legendOf(typeLegend());
    lg[0].setAttribute("transform", "translate(10," + (H - 18) + ")");
    fig.append(lg[0]);
    return fig;
  }
  function when(s) {  /* a year (with a fraction) from an ISO-like date, or NaN */
    var m = /^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?/.exec(String(s || ""));
    if (!m) return NaN;
    return Number(m[1]) + ((Number(m[2] || 1) - 1) * 30.5 + Number(m[3] || 1) - 1) / 366;
  }
  function timeline(i) {
    var d = N[i], counts = mentionsIn()[i] || {};
    var dated = d.interviews.filter(function (iv) { return !isNaN(when(ivDate(iv))); });
    var undated = d.interviews.length - dated.length;
    if (!dated.length) {
      return el("p", { class: "note", id: "no-timeline", text: "No timeline: " + (d.interviews.length === 1 ? "its interview has" : "its interviews have") + " no date." });
    }
    var all = [];
    for (var k = 0; k < IVS; k++) if (!isNaN(when(ivDate(k)))) all.push(when(ivDate(k)));
    var lo = Math.floor(Math.min.apply(null, all)), hi = Math.floor(Math.max.apply(null, all)) + 1;
    var W = 620, H = 110, L = 30, Rt = W - 30, Y = 60;
    var x = function (t) { return L + (Rt - L) * (t - lo) / Math.max(1e-9, hi - lo); };
    var fig = svg("svg", { class: "figure timeline", id: "timeline", width: W, height: H, viewBox: "0 0 " + W + " " + H,
                           role: "img", "aria-label": "Interviews that name " + d.label + ", by date" });
    fig.append(svg("rect", { x: 0, y: 0, width: W, height: H, fill: "#ffffff" }),
               svg("line", { x1: L, y1: Y, x2: Rt, y2: Y, stroke: "#4a4f55" }));
    var step = Math.max(1, Math.ceil((hi - lo) / 10));
    for (var yr = lo; yr <= hi; yr += step) {
      fig.append(svg("line", { x1: x(yr), y1: Y - 4, x2: x(yr), y2: Y + 4, stroke: "#4a4f55" }), text(x(yr), Y + 20, String(yr), { "text-anchor": "middle", "font-size": 11 }));
    }
    all.forEach(function (t) { fig.append(svg("line", { x1: x(t), y1: Y - 10, x2: x(t), y2: Y - 2, stroke: "#c9cdd2" })); });
    var maxC = 1;
    dated.forEach(function (iv) { if ((counts[iv] || 0) > maxC) maxC = counts[iv]; });
    dated.forEach(function (iv) {
      var c = svg("circle", { cx: x(when(ivDate(iv))), cy: Y - 22, r: 3 + 9 * Math.sqrt((counts[iv] || 0) / maxC), fill: kg.typeColour[d.type],
                              "fill-opacity": 0.75, stroke: "#1b1b1b", "stroke-width": 0.5, class: "moment", "data-iv": iv });
      var tip = svg("title"); tip.textContent = ivTitle(iv) + " (" + ivDate(iv) + "): " + plural(counts[iv] || 0, "mention");
      c.append(tip);
      fig.append(c);
    });
    fig.append(text(L, H - 8, "grey ticks: every dated interview of the corpus; circles: those naming it, sized by mentions", { "font-size": 11, fill: "#4a4f55" }));
    var box = el("div", null, fig);
    if (undated) box.append(el("p", { class: "note", text: plural(undated, "interview") + " without a date left out of the timeline." }));
    return box;
  }

  /* ---- for papers: PNG of the current view (with its legend), CSV of the matrix; blob links, no server ---- */
  function download(blob, name) {
    var url = URL.createObjectURL(blob);
    var a = el("a", { href: url, download: name });
    a.hidden = true;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 30000);
  }
  function fileName(kind, ext) {
    return (String(data.title || "corpus").replace(/[^\w\u00C0-\u024F-]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 60) || "corpus") + "-" + kind + "." + ext;
  }
  function savePng() {
    if (current === "network") {
      var src = network.canvas && network.canvas.frame && network.canvas.frame.canvas;
      if (!src) return;
      var items = typeLegend(), W = src.width, legendH = 34;
      var out = document.createElement("canvas");
      out.width = W; out.height = src.height + legendH;
      var ctx = out.getContext("2d");
      ctx.fillStyle = "#ffffff"; ctx.fillRect(0, 0, out.width, out.height);
      ctx.drawImage(src, 0, 0);
      var x = 10, y = src.height + 10;
      ctx.font = "13px " + FONT; ctx.textBaseline = "top";
      items.forEach(function (it) {
        ctx.fillStyle = it[0]; ctx.beginPath(); ctx.arc(x + 6, y + 7, 6, 0, 2 * Math.PI); ctx.fill();
        ctx.fillStyle = "#1b1b1b"; ctx.fillText(it[1], x + 16, y);
        x += 28 + ctx.measureText(it[1]).width;
      });
      ctx.fillText("\u25a1 interview  \u25c7 speaker  \u25cb entity", x + 10, y);
      out.toBlob(function (b) { download(b, fileName("network", "png")); }, "image/png");
      return;
    }
    var figs = Array.prototype.slice.call(host.querySelectorAll("svg.figure"));
    if (!figs.length) return;
    var images = figs.map(function (f) {
      return new Promise(function (resolve, reject) {
        var img = new Image();
        img.onload = function () { resolve([img, Number(f.getAttribute("width")), Number(f.getAttribute("height"))]); };
        img.onerror = reject;
        img.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(new XMLSerializer().serializeToString(f));
      });
    });
    Promise.all(images).then(function (loaded) {
      var W = 0, H = 0;
      loaded.forEach(function (l) { W = Math.max(W, l[1]); H += l[2] + 10; });
      var out = document.createElement("canvas");
      out.width = W; out.height = H;
      var ctx = out.getContext("2d");
      ctx.fillStyle = "#ffffff"; ctx.fillRect(0, 0, W, H);
      var y = 0;
      loaded.forEach(function (l) { ctx.drawImage(l[0], 0, y, l[1], l[2]); y += l[2] + 10; });
      out.toBlob(function (b) { download(b, fileName(current, "png")); }, "image/png");
    });
  }
  function csvCell(v) {
    var s = String(v === null || v === undefined ? "" : v);
    if (/^[=+\-@\t\r]/.test(s)) s = "'" + s;  /* a spreadsheet must not read transcript text as a formula */
    return /[",\n\r]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
  }
  function matrixCsv() {
    var counts = mentionsIn(), cols = chosen().slice(0, TOP_COLUMNS);
    var lines = [["interview", "date"].concat(cols.map(function (i) { return N[i].label; })).map(csvCell).join(",")];
    for (var r = 0; r < IVS; r++) {
      lines.push([ivTitle(r), ivDate(r) || ""].concat(cols.map(function (i) { return (counts[i] || {})[r] || 0; })).map(csvCell).join(","));
    }
    lines.push(["interviews naming it", ""].concat(cols.map(function (i) { return N[i].interviews.length; })).map(csvCell).join(","));
    return lines.join("\r\n") + "\r\n";
  }
  function saveCsv() { download(new Blob(["\ufeff" + matrixCsv()], { type: "text/csv;charset=utf-8" }), fileName("matrix", "csv")); }

  Object.assign(kg, { show: show, matrixCsv: matrixCsv, openCell: openCell, view: function () { return current; } });
  kg.hooks.ready = function () { labelFirstView(); showGlance(); };
  /* the filters apply to the views too (page.js has refreshed the network by the time the change reaches here) */
  $("controls").addEventListener("change", function (ev) {
    if (ev.target.closest && ev.target.closest("#glance")) return;
    showGlance();
    if (current !== "network") show(current);
  });
  if (kg.ready) kg.hooks.ready();
  show("network");
})();
