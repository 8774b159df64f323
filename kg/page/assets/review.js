/* kg review mode: decisions on entities (rename, retype, merge, split, ignore, check, authority link), shown at
   once, undoable, kept in the browser's storage for the corpus, exported as the curation file kg build reads.
   Labels, aliases and quotes are untrusted: they only ever go in through kg.el (text nodes); an authority link
   is kept only when it matches one of the known authority patterns (http or https). */
(function () {
  "use strict";
  var kg = window.kg;
  if (!kg || !kg.data) return;
  var data = kg.data, N = data.nodes, el = kg.el, fold = kg.fold, plural = kg.plural;
  var $ = function (id) { return document.getElementById(id); };
  var R = data.review || { key: "kg-review:default", authorities: [], prefixes: {}, curation: null };
  var TYPES = data.types.map(function (t) { return t[0]; });
  var AUTH = R.authorities.map(function (a) { return [a[0], new RegExp(a[1])]; });
  var VERSION = 1;
  var base = emptyCuration();  /* the curation the build applied, then what loaded files add that the page cannot show */
  try {
    if (R.curation && R.curation.content) mergeInto(base, JSON.parse(R.curation.content));
  } catch (err) { /* the build wrote it; an unreadable one leaves an empty base */ }
  var log = [];        /* [{action, undo}] in order */
  var stale = [];      /* [text] of decisions or file entries that match no entity here */
  var notices = [];
  var byId = {};
  N.forEach(function (d, i) { if (d.kind === "entity") byId[d.id] = i; });

  function emptyCuration() {
    return { ignore: [], merge: [], split: [], rename: {}, retype: {}, same_as: {}, authority: {}, checked: [],
             reject_link: {}, allow_link: [], occupation: {} };
  }
  function mergeInto(into, c) {
    if (!c || typeof c !== "object") return into;
    ["ignore", "checked", "allow_link"].forEach(function (k) {
      (Array.isArray(c[k]) ? c[k] : c[k] ? [c[k]] : []).forEach(function (v) {
        if (into[k].indexOf(String(v)) < 0) into[k].push(String(v));
      });
    });
    ["merge", "split"].forEach(function (k) { if (Array.isArray(c[k])) into[k] = into[k].concat(c[k]); });
    ["rename", "retype", "same_as", "occupation"].forEach(function (k) {
      if (c[k] && typeof c[k] === "object") Object.keys(c[k]).forEach(function (e) { into[k][e] = String(c[k][e]); });
    });
    ["authority", "reject_link"].forEach(function (k) {  /* entity -> IRIs (reject_link: kg link's candidates) */
      if (!c[k] || typeof c[k] !== "object") return;
      Object.keys(c[k]).forEach(function (e) {
        var v = c[k][e], list = into[k][e] || (into[k][e] = []);
        (Array.isArray(v) ? v : [v]).forEach(function (iri) { if (list.indexOf(String(iri)) < 0) list.push(String(iri)); });
      });
    });
    return into;
  }

  /* ---- authority links, names ---- */
  function authorityOf(iri) {
    var s = String(iri || "").trim();
    if (!/^https?:\/\//.test(s)) return null;
    for (var k = 0; k < AUTH.length; k++) if (AUTH[k][1].test(s)) return AUTH[k][0];
    return null;
  }
  function slug(s) {
    return String(s).normalize("NFKD").replace(/[\u0300-\u036f]/g, "").replace(/\u0153/g, "oe").replace(/\u00e6/g, "ae")
      .replace(/\u00df/g, "ss").toLowerCase().replace(/['\u2019]+/g, "").replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
  }
  /* What a curation file calls node i: its id when the build made it, else (made here by a split) its label then */
  function ref(i) { return N[i].madeAs || N[i].id; }
  function live(i) { return i >= 0 && i < N.length && N[i].kind === "entity" && !N[i].gone; }
  function find(name) {
    if (name === undefined || name === null) return -1;
    var s = String(name);
    if (byId[s] !== undefined && live(byId[s])) return byId[s];
    var f = fold(s), keys = kg.keys;
    for (var i = 0; i < N.length; i++) {
      if (N[i].kind !== "entity" || N[i].gone) continue;
      if (N[i].madeAs === s || keys[i].indexOf(f) >= 0) return i;
    }
    return -1;
  }

  /* ---- actions: each changes the nodes, says which, and returns how to undo it ---- */
  function snapshot(i) {
    var d = N[i];
    return { i: i, label: d.label, type: d.type, aliases: d.aliases.slice(), mentions: d.mentions, quotes: d.quotes.slice(),
             quoteTotal: d.quoteTotal, interviews: d.interviews.slice(), ivQuotes: d.ivQuotes.slice(),
             speaker: d.speaker.slice(), review: d.review, links: (d.links || []).slice(), gone: !!d.gone };
  }
  function restore(s) { var d = N[s.i]; Object.keys(s).forEach(function (k) { if (k !== "i") d[k] = s[k]; }); }
  function corrected(i) { N[i].review = "corrected"; }
  function spanText(r, s) { return data.quotes[r[0]][2].slice(s[0], s[1]); }
  function recount(d) {
    var per = {};
    d.quotes.forEach(function (r) { var iv = data.quotes[r[0]][0]; per[iv] = (per[iv] || 0) + 1; });
    d.speaker.forEach(function (r) { if (per[r[0]] === undefined) per[r[0]] = 0; });
    d.interviews = Object.keys(per).map(Number).sort(function (a, b) { return a - b; });
    d.ivQuotes = d.interviews.map(function (iv) { return per[iv]; });
  }
  /* moves the spans ``take(ref, span)`` picks from node i's quotes into a new list of refs */
  function takeSpans(i, take) {
    var d = N[i], moved = [], kept = [], n = 0;
    d.quotes.forEach(function (r) {
      var out = [], stay = [];
      r[1].forEach(function (s) { (take(r, s) ? out : stay).push(s); });
      if (out.length) { moved.push([r[0], out]); n += out.length; }
      if (stay.length) kept.push([r[0], stay]);
    });
    d.quotes = kept;
    d.mentions = Math.max(0, d.mentions - n);
    d.quoteTotal = Math.max(0, d.quoteTotal - moved.filter(function (r) { return !kept.some(function (k) { return k[0] === r[0]; }); }).length);
    recount(d);
    return { refs: moved, count: n };
  }

  var ACTIONS = {
    rename: function (a, i) {
      var d = N[i], old = d.label;
      if (!a.label || a.label === old) return null;
      d.label = a.label;
      d.aliases = d.aliases.filter(function (x) { return x !== a.label; });
      if (d.aliases.indexOf(old) < 0) d.aliases.push(old);
      corrected(i);
      return [i];
    },
    retype: function (a, i) {
      if (TYPES.indexOf(a.type) < 0 || a.type === N[i].type) return null;
      N[i].type = a.type;
      corrected(i);
      return [i];
    },
    ignore: function (a, i) {
      if (N[i].madeHere) return null;  /* a curation file ignores before it splits: undo the split instead */
      N[i].gone = true;
      return [i];
    },
    check: function (a, i) {
      if (N[i].review === "unreviewed") N[i].review = "checked";
      N[i].checkedHere = true;
      return [i];
    },
    link: function (a, i) {
      var iri = String(a.iri || "").trim();
      if (!authorityOf(iri)) return null;
      var links = N[i].links || (N[i].links = []);
      if (links.indexOf(iri) >= 0) return null;
      links.push(iri);
      corrected(i);
      return [i];
    },
    merge: function (a, i, undo) {
      var j = find(a.into);
      if (j < 0 || j === i || N[i].madeHere || N[j].madeHere) return null;
      var s = N[i], t = N[j];
      undo.snap.push(snapshot(j));
      t.aliases = t.aliases.concat([s.label], s.aliases).filter(function (x, k, all) {
        return x !== t.label && all.indexOf(x) === k;
      });
      t.mentions += s.mentions;
      t.quoteTotal += s.quoteTotal;
      t.quotes = t.quotes.map(function (r) { return [r[0], r[1].slice()]; });
      var merged = {};
      t.quotes.forEach(function (r) { merged[r[0]] = r; });
      s.quotes.forEach(function (r) {
        if (merged[r[0]]) merged[r[0]][1] = merged[r[0]][1].concat(r[1]);
        else { merged[r[0]] = [r[0], r[1].slice()]; t.quotes.push(merged[r[0]]); }
      });
      t.quotes.sort(function (x, y) { return x[0] - y[0]; });
      t.speaker = t.speaker.concat(s.speaker);
      recount(t);
      corrected(j);
      s.gone = true;
      /* the source's links are the target's now */
      var moved = kg.edgesOf(i);
      undo.edges = moved;
      kg.moveEdges(moved.map(function (e) {
        return { id: e.id, from: e.from === i ? j : e.from, to: e.to === i ? j : e.to };
      }));
      undo.select = j;
      return [i, j];
    },
    split: function (a, i, undo) {
      var d = N[i], type = TYPES.indexOf(a.type) >= 0 ? a.type : d.type;
      var label = String(a.label || a.alias || "").trim();
      if (!label) return null;
      var take;
      if (a.alias !== undefined) {
        if (d.aliases.indexOf(a.alias) < 0) return null;
        take = function (r, s) { return spanText(r, s) === a.alias; };
      } else {
        take = function (r, s) { return mentionAt(r, s) === a.at; };
      }
      var id = (R.prefixes[type] || type.toLowerCase()) + "/" + slug(label);
      if (find(id) >= 0 || find(label) >= 0 && find(label) !== i) return null;  /* merge it instead */
      var moved = takeSpans(i, take);
      if (!moved.count && a.alias === undefined) return null;
      if (a.alias !== undefined) d.aliases = d.aliases.filter(function (x) { return x !== a.alias; });
      corrected(i);
      var nd = { kind: "entity", id: id, label: label, type: type, aliases: [], mentions: moved.count,
                 interviews: [], ivQuotes: [], speaker: [], quotes: moved.refs, quoteTotal: moved.refs.length,
                 x: d.x + 30, y: d.y + 30, degree: 0, betweenness: 0, pagerank: 0, community: d.community,
                 confidence: d.confidence, review: "corrected", links: [], madeHere: true, madeAs: label };
      recount(nd);
      var k = kg.addNode(nd);
      byId[id] = k;
      undo.made = k;
      undo.select = k;
      return [i, k];
    }
  };
  function mentionAt(r, s) {
    var q = data.quotes[r[0]];
    var iv = N[kg.interviewNode[q[0]]];
    return (iv ? iv.id : String(q[0])) + ":" + (q[3] + s[0]);
  }

  /* Applies action ``a``; true when it changed something. */
  function apply(a, quiet) {
    var t0 = performance.now();
    var i = find(a.id);
    var fn = ACTIONS[a.op];
    if (!fn || i < 0) { addStale(describe(a)); return false; }
    var undo = { snap: [snapshot(i)], edges: null, made: -1, select: i };
    var touched = fn(a, i, undo);
    if (!touched) { undo.snap.forEach(restore); return false; }
    log.push({ action: a, undo: undo });
    kg.sync(touched);
    if (a.op === "retype" && !kg.state.types[N[i].type]) kg.refresh();  /* its new type is filtered out */
    if (!quiet) after(undo.select, t0, a);
    return true;
  }
  function addStale(text) { if (stale.indexOf(text) < 0) stale.push(text); }
  function undoLast() {
    var t0 = performance.now();
    var last = log.pop();
    if (!last) return;
    var u = last.undo;
    if (u.made >= 0) { delete byId[N[u.made].id]; kg.dropLastNode(); }
    if (u.edges) kg.moveEdges(u.edges);
    u.snap.forEach(restore);
    kg.sync(u.snap.map(function (s) { return s.i; }).filter(function (i) { return i < N.length; }));
    after(u.snap[0].i, t0, { op: "undo" });
  }
  function after(i, t0, a) {
    save();
    updateWork();
    if (i >= 0 && i < N.length && !N[i].gone) kg.select(i, false); else kg.clearPanel();
    kg.review.last = { op: a.op, ms: performance.now() - t0 };
    say((a.op === "undo" ? "Undone" : describe(a)) + ".");
  }
  function describe(a) {
    var what = { rename: "rename", retype: "retype", ignore: "ignore", check: "check", link: "link", merge: "merge",
                 split: "split" }[a.op] || a.op;
    var more = a.op === "rename" ? " to " + a.label : a.op === "retype" ? " to " + a.type : a.op === "merge" ? " into " + a.into
      : a.op === "link" ? " to " + a.iri : a.op === "split" ? " off " + (a.alias !== undefined ? a.alias : a.at) : "";
    return what + " " + a.id + more;
  }

  /* ---- the curation file: what the build applied plus the decisions here ---- */
  function curation() {
    var c = mergeInto(emptyCuration(), JSON.parse(JSON.stringify(base)));
    function add(list, v) { if (list.indexOf(v) < 0) list.push(v); }
    log.forEach(function (entry) {
      var a = entry.action, r = a.id;  /* the build's id, or the label of an entity a split made here */
      if (a.op === "rename") c.rename[r] = a.label;
      else if (a.op === "retype") c.retype[r] = a.type;
      else if (a.op === "ignore") add(c.ignore, r);
      else if (a.op === "check") add(c.checked, r);
      else if (a.op === "link") add(c.authority[r] || (c.authority[r] = []), a.iri);
      else if (a.op === "merge") c.merge.push({ into: a.into, from: [r] });
      else if (a.op === "split") {
        var part = { label: a.label || a.alias, type: a.type };
        if (a.alias !== undefined) part.match = [a.alias]; else part.at = [a.at];
        c.split.push({ entity: r, into: [part] });
      }
    });
    return c;
  }
  function yaml(c) {
    var q = JSON.stringify, out = ["# kg curation file for " + q(data.title) + ", written by the review mode of graph.html",
                                   "# kg build CORPUS --out OUT --curation THIS_FILE applies it (see docs/curation.md)"];
    ["ignore", "merge", "split", "checked", "allow_link"].forEach(function (k) {
      if (!c[k].length) return;
      out.push(k + ":");
      c[k].forEach(function (v) { out.push("  - " + q(v)); });
    });
    ["rename", "retype", "same_as", "authority", "reject_link", "occupation"].forEach(function (k) {
      var keys = Object.keys(c[k]);
      if (!keys.length) return;
      out.push(k + ":");
      keys.forEach(function (e) { out.push("  " + q(e) + ": " + q(c[k][e])); });
    });
    return out.join("\n") + "\n";
  }

  /* ---- a small YAML reader: what curation files hold (block and flow mappings and lists, quoted and plain text) ---- */
  function parseYaml(text) {
    var lines = [];
    String(text).replace(/\r\n?/g, "\n").split("\n").forEach(function (raw, n) {
      var line = stripComment(raw);
      if (line.trim()) lines.push({ indent: line.length - line.replace(/^ +/, "").length, text: line.trim(), n: n + 1 });
    });
    var at = 0;
    function block(indent) {
      if (at >= lines.length) return null;
      if (lines[at].text.charAt(0) === "-" && /^-( |$)/.test(lines[at].text)) return seq(lines[at].indent);
      return map(lines[at].indent);
    }
    function seq(indent) {
      var out = [];
      while (at < lines.length && lines[at].indent === indent && /^-( |$)/.test(lines[at].text)) {
        var line = lines[at], rest = line.text.slice(1).trim();
        if (!rest) { at++; out.push(block(indent + 1)); continue; }
        var kv = keyValue(rest);
        if (kv && !/^[[{"']/.test(rest)) {
          /* "- key: value" starts a mapping whose other keys sit under the key */
          var inner = line.indent + line.text.indexOf(rest);
          lines[at] = { indent: inner, text: rest, n: line.n };
          out.push(map(inner));
        } else { at++; out.push(flow(rest, line.n)); }
      }
      return out;
    }
    function map(indent) {
      var out = {};
      while (at < lines.length && lines[at].indent === indent) {
        var line = lines[at], kv = keyValue(line.text);
        if (!kv) throw new Error("line " + line.n + ": expected 'key: value'");
        at++;
        if (kv[1] !== "") out[kv[0]] = flow(kv[1], line.n);
        else if (at < lines.length && (lines[at].indent > indent || (lines[at].indent === indent && /^-( |$)/.test(lines[at].text)))) out[kv[0]] = block(lines[at].indent);
        else out[kv[0]] = null;
      }
      if (at < lines.length && lines[at].indent > indent) throw new Error("line " + lines[at].n + ": unexpected indentation");
      return out;
    }
    var value = block(0);
    if (at < lines.length) throw new Error("line " + lines[at].n + ": unexpected text");
    return value;
  }
  function stripComment(line) {
    var quote = null;
    for (var k = 0; k < line.length; k++) {
      var ch = line.charAt(k);
      if (quote) { if (ch === "\\" && quote === '"') k++; else if (ch === quote) quote = null; }
      else if (ch === '"' || ch === "'") quote = ch;
      else if (ch === "#" && (k === 0 || /\s/.test(line.charAt(k - 1)))) return line.slice(0, k).replace(/\s+$/, "");
    }
    return line.replace(/\s+$/, "");
  }
  function keyValue(text) {
    var k = 0, key;
    if (text.charAt(0) === '"' || text.charAt(0) === "'") {
      var r = quoted(text, 0);
      key = r[0]; k = r[1];
      if (text.charAt(k) !== ":") return null;
    } else {
      var m = /^([^:[\]{},]+?):( |$)/.exec(text);
      if (!m) return null;
      key = m[1].trim(); k = m[1].length;
    }
    return [key, text.slice(k + 1).trim()];
  }
  function quoted(text, k) {
    var q = text.charAt(k), end = k + 1, out = "";
    if (q === '"') {
      while (end < text.length && text.charAt(end) !== '"') end += text.charAt(end) === "\\" ? 2 : 1;
      out = JSON.parse(text.slice(k, end + 1));
    } else {
      while (end < text.length) {
        if (text.charAt(end) === "'" && text.charAt(end + 1) === "'") { out += "'"; end += 2; continue; }
        if (text.charAt(end) === "'") break;
        out += text.charAt(end++);
      }
    }
    if (end >= text.length) throw new Error("unclosed quote");
    return [out, end + 1];
  }
  function flow(text, n) {
    var k = 0;
    function ws() { while (k < text.length && /\s/.test(text.charAt(k))) k++; }
    function value() {
      ws();
      var ch = text.charAt(k);
      if (ch === "[") {
        k++; var list = []; ws();
        if (text.charAt(k) === "]") { k++; return list; }
        for (;;) { list.push(value()); ws(); if (text.charAt(k) === ",") { k++; continue; } if (text.charAt(k) === "]") { k++; return list; } throw new Error("line " + n + ": expected , or ]"); }
      }
      if (ch === "{") {
        k++; var obj = {}; ws();
        if (text.charAt(k) === "}") { k++; return obj; }
        for (;;) {
          ws();
          var key = scalar(true); ws();
          if (text.charAt(k) !== ":") throw new Error("line " + n + ": expected : in a {mapping}");
          k++;
          obj[key] = value(); ws();
          if (text.charAt(k) === ",") { k++; continue; }
          if (text.charAt(k) === "}") { k++; return obj; }
          throw new Error("line " + n + ": expected , or }");
        }
      }
      return scalar(false);
    }
    function scalar(isKey) {
      var ch = text.charAt(k);
      if (ch === '"' || ch === "'") { var r = quoted(text, k); k = r[1]; return r[0]; }
      var start = k;
      while (k < text.length && ",]}".indexOf(text.charAt(k)) < 0 && !(isKey && text.charAt(k) === ":")) k++;
      return text.slice(start, k).trim();
    }
    var v = value(); ws();
    if (k < text.length) {  /* a plain scalar with spaces or commas outside a flow collection */
      if (typeof v === "string") return text.trim();
      throw new Error("line " + n + ": unexpected " + text.slice(k, k + 10));
    }
    return v;
  }

  /* A loaded curation file: what the build applied already is left; the rest becomes decisions here,
     and entries that match no entity here are listed as stale. */
  function load(text, name) {
    var c;
    try { c = parseYaml(text); } catch (err) { notice("Could not read " + name + ": " + err.message + "."); return; }
    if (!c || typeof c !== "object" || Array.isArray(c)) { notice("Could not read " + name + ": not a curation file."); return; }
    var before = stale.length, done = 0;
    function has(k, v) { return base[k].some(function (x) { return canon(x) === canon(v); }); }
    var made = {};  /* decisions already made here: loading the same file twice changes nothing */
    log.forEach(function (e) { made[canon(e.action)] = true; });
    function run(a) { if (!made[canon(a)] && apply(a, true)) done++; }
    function list(v) { return Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]; }
    function entries(v) { return v && typeof v === "object" && !Array.isArray(v) ? v : {}; }
    list(c.ignore).forEach(function (r) { if (base.ignore.indexOf(String(r)) < 0) run({ op: "ignore", id: String(r) }); });
    list(c.merge).forEach(function (m) {
      if (!m || has("merge", m)) return;
      list(m.from).forEach(function (r) { run({ op: "merge", id: String(r), into: String(m.into) }); });
    });
    list(c.split).forEach(function (sp) {
      if (!sp || has("split", sp)) return;
      list(sp.into).forEach(function (part) {
        if (!part) return;
        list(part.match).forEach(function (alias) {
          run({ op: "split", id: String(sp.entity), alias: String(alias), label: String(part.label), type: String(part.type || "Concept") });
        });
        list(part.at).forEach(function (spot) {
          run({ op: "split", id: String(sp.entity), at: String(spot), label: String(part.label), type: String(part.type || "Concept") });
        });
      });
    });
    Object.keys(entries(c.rename)).forEach(function (r) { if (base.rename[r] !== String(c.rename[r])) run({ op: "rename", id: r, label: String(c.rename[r]) }); });
    Object.keys(entries(c.retype)).forEach(function (r) {
      var t = TYPES.filter(function (x) { return x.toLowerCase() === String(c.retype[r]).toLowerCase(); })[0];
      if (base.retype[r] !== t) run({ op: "retype", id: r, type: t || String(c.retype[r]) });
    });
    Object.keys(entries(c.same_as)).forEach(function (r) { base.same_as[r] = String(c.same_as[r]); });
    Object.keys(entries(c.occupation)).forEach(function (r) { base.occupation[r] = String(c.occupation[r]); });
    Object.keys(entries(c.authority)).forEach(function (r) {
      list(c.authority[r]).forEach(function (iri) {
        if ((base.authority[r] || []).indexOf(String(iri)) >= 0) return;
        if (!authorityOf(iri)) { addStale("link " + r + ": not an authority IRI"); return; }
        run({ op: "link", id: r, iri: String(iri).trim() });
      });
    });
    list(c.checked).forEach(function (r) { if (base.checked.indexOf(String(r)) < 0) run({ op: "check", id: String(r) }); });
    save();
    updateWork();
    say("Loaded " + name + ": " + plural(done, "decision") + " applied" +
        (stale.length > before ? ", " + plural(stale.length - before, "entry", "entries") + " matching no entity" : "") + ".");
  }

  function canon(v) {  /* JSON with sorted keys: equal decisions, equal text */
    if (Array.isArray(v)) return "[" + v.map(canon).join(",") + "]";
    if (v && typeof v === "object") return "{" + Object.keys(v).sort().map(function (k) { return JSON.stringify(k) + ":" + canon(v[k]); }).join(",") + "}";
    return JSON.stringify(v);
  }

  /* ---- storage, per corpus ---- */
  function save() {
    try {
      localStorage.setItem(R.key, JSON.stringify({ version: VERSION, decisions: log.map(function (e) { return e.action; }),
                                                   extra: { same_as: base.same_as,
                                                            occupation: base.occupation } }));
    } catch (err) { notice("The browser would not keep the decisions (" + err.name + "): export them to keep them."); }
  }
  function restoreStored() {
    var raw;
    try { raw = localStorage.getItem(R.key); } catch (err) { notice("This browser keeps nothing for this page: export your decisions."); return; }
    if (!raw) return;
    var stored;
    try {
      stored = JSON.parse(raw);
      if (!stored || !Array.isArray(stored.decisions)) throw new Error("no list of decisions");
    } catch (err) {
      try { localStorage.setItem(R.key + ":unreadable", raw); } catch (e) { /* nothing more to do */ }
      notice("The decisions this browser kept for this corpus could not be read (" + err.message + ") and were set aside.");
      return;
    }
    var skipped = 0, bad = 0;
    stored.decisions.forEach(function (a) {
      if (!a || typeof a !== "object" || typeof a.op !== "string" || typeof a.id !== "string") { bad++; return; }
      if (alreadyBuilt(a)) { skipped++; return; }
      apply(a, true);
    });
    if (stored.extra) mergeInto(base, { same_as: stored.extra.same_as, occupation: stored.extra.occupation });
    if (bad) notice(plural(bad, "kept decision") + " could not be read and " + (bad === 1 ? "was" : "were") + " left out.");
    if (skipped) say(plural(skipped, "kept decision") + " already in the curation file this page was built with.");
  }
  /* a kept decision the build's curation file already holds (the page was rebuilt with the export) */
  function alreadyBuilt(a) {
    var b = base;
    if (a.op === "rename") return b.rename[a.id] === a.label;
    if (a.op === "retype") return b.retype[a.id] === a.type;
    if (a.op === "ignore") return b.ignore.indexOf(a.id) >= 0;
    if (a.op === "check") return b.checked.indexOf(a.id) >= 0;
    if (a.op === "link") return (b.authority[a.id] || []).indexOf(a.iri) >= 0;
    if (a.op === "merge") return b.merge.some(function (m) { return m && m.into === a.into && [].concat(m.from).indexOf(a.id) >= 0; });
    if (a.op === "split") return b.split.some(function (sp) { return sp.entity === a.id && JSON.stringify(sp).indexOf(JSON.stringify(a.alias !== undefined ? a.alias : a.at)) >= 0; });
    return false;
  }

  /* ---- work order ---- */
  function suspects() {
    var byKey = {}, firsts = {}, out = {};
    N.forEach(function (d, i) {
      if (!live(i)) return;
      kg.keys[i].forEach(function (name) {
        var k = name.replace(/[\s\-_.']+/g, "");
        (byKey[k] || (byKey[k] = [])).push(i);
      });
      if (d.type === "Person") {
        var words = kg.keys[i][0].split(" ");
        if (words.length > 1) (firsts[words[0]] || (firsts[words[0]] = [])).push(i);
      }
    });
    Object.keys(byKey).forEach(function (k) {
      var group = byKey[k].filter(function (i, n, all) { return all.indexOf(i) === n; });
      if (group.length < 2) return;
      group.forEach(function (i) { out[i] = "same name as " + group.filter(function (j) { return j !== i; }).map(function (j) { return N[j].label + " (" + N[j].type + ")"; }).slice(0, 2).join(", "); });
    });
    N.forEach(function (d, i) {
      if (!live(i) || d.type !== "Person") return;
      var words = kg.keys[i][0].split(" ");
      if (words.length === 1 && firsts[words[0]]) out[i] = "first name alone; " + firsts[words[0]].slice(0, 2).map(function (j) { return N[j].label; }).join(", ") + "?";
    });
    return out;
  }
  function workOrder() {
    var why = suspects(), list = [];
    N.forEach(function (d, i) {
      if (!live(i)) return;
      var low = (d.confidence === undefined ? 1 : d.confidence) < 0.7;
      /* mentions first, each doubled by low confidence and tripled by a suspected duplicate */
      var score = Math.max(1, d.mentions || 0) * (1 + (low ? 1 : 0) + (why[i] ? 2 : 0));
      list.push([d.review === "unreviewed" ? 0 : 1, -score, d.label, i, why[i] || (low ? "low confidence" : "")]);
    });
    list.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1] || (a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0); });
    return list;
  }
  function nextUnchecked() {
    var list = workOrder(), cur = kg.state.selected;
    var pos = list.findIndex(function (w) { return w[3] === cur; });
    for (var k = 1; k <= list.length; k++) {
      var w = list[(pos + k + list.length) % list.length];
      if (w[0] === 0 && w[3] !== cur) { kg.select(w[3], true); return; }
    }
    say("Every entity is reviewed.");
  }

  /* ---- the review tools in the page ---- */
  var box = el("section", { id: "review", class: "review", "aria-label": "Review" });
  var counts = el("table", { id: "review-counts", class: "review-counts" });
  var queue = el("ol", { id: "review-queue", class: "linklist queue" });
  var noticeBox = el("div", { id: "review-notices", class: "notices", role: "alert" });
  var message = el("p", { id: "review-message", class: "help", "aria-live": "polite" });
  var fileInput = el("input", { id: "review-load", type: "file", accept: ".yaml,.yml,.json,text/yaml" });
  var output = el("textarea", { id: "review-export", readonly: "readonly", rows: "6", hidden: "hidden", "aria-label": "Curation file" });
  var toggle = $("review-mode");
  var on = false;
  function button(id, text, fn, key) {
    return el("button", { type: "button", id: id, title: key ? "Shortcut: " + key : null, onclick: fn }, text,
              key ? el("kbd", { text: key }) : null);
  }
  box.append(el("h2", { text: "Review" }), message, noticeBox,
             el("p", { class: "tools" }, button("review-next", "Next unchecked ", nextUnchecked, "n"),
                button("review-undo", "Undo ", undoLast, "u")),
             counts,
             el("p", { class: "tools" }, button("review-export-button", "Export curation file ", exportFile, "e"),
                el("label", { class: "load" }, "Load a curation file ", fileInput)),
             output,
             el("h3", { text: "What most needs a look" }), queue,
             el("p", { class: "help", text: "Keys: n next, c checked, r rename, t retype, m merge, s split, x ignore, " +
                       "l link, u undo, e export, w save (under kg serve --review). A rebuild with the exported file (kg build --curation) makes them final." }));
  /* served by kg serve --review: a button saves the file on disk, through a POST to this origin with its token */
  var served = document.querySelector('meta[name="kg-review-token"]');
  var saveTo = document.querySelector('meta[name="kg-review-save"]');
  var fileName = document.querySelector('meta[name="kg-review-file"]');
  if (served && saveTo && /^\/[a-z\/]+$/.test(saveTo.content)) {
    var saveButton = button("review-save", "Save to " + (fileName ? fileName.content : "the curation file") + " ", saveFile, "w");
    box.querySelector(".tools").append(saveButton);
  }
  box.hidden = true;
  $("controls").append(box);
  fileInput.addEventListener("change", function () {
    var f = fileInput.files && fileInput.files[0];
    if (!f) return;
    var reader = new FileReader();
    reader.onload = function () { load(String(reader.result), f.name); fileInput.value = ""; };
    reader.readAsText(f);
  });
  if (toggle) toggle.addEventListener("change", function () { setMode(toggle.checked); });
  function setMode(value) {
    on = !!value;
    if (toggle) toggle.checked = on;
    box.hidden = !on;
    document.documentElement.classList.toggle("reviewing", on);
    if (on) updateWork();
    if (kg.state.selected >= 0) kg.showPanel(kg.state.selected);
  }
  function say(text) { message.textContent = text; }
  function notice(text) {
    notices.push(text);
    showNotices();
  }
  function showNotices() {
    noticeBox.textContent = "";
    notices.forEach(function (t) { noticeBox.append(el("p", { class: "notice", text: t })); });
    var all = (R.curation ? R.curation.stale : []).concat(stale);
    if (all.length) {
      noticeBox.append(el("details", { class: "stale", open: "open" },
        el("summary", { text: plural(all.length, "curation entry", "curation entries") + " matching no entity (stale)" }),
        el("ul", null, all.map(function (t) { return el("li", { text: t }); }))));
    }
  }
  function updateWork() {
    showNotices();
    if (!on) return;
    var per = {};
    N.forEach(function (d, i) {
      if (!live(i)) return;
      var p = per[d.type] || (per[d.type] = [0, 0]);
      p[d.review === "unreviewed" ? 1 : 0]++;
    });
    counts.textContent = "";
    counts.append(el("tr", null, el("th", { text: "Type" }), el("th", { text: "checked" }), el("th", { text: "unchecked" })));
    TYPES.forEach(function (t) {
      if (!per[t]) return;
      counts.append(el("tr", { "data-type": t }, el("td", { text: t }), el("td", { text: String(per[t][0]) }),
                       el("td", { text: String(per[t][1]) })));
    });
    queue.textContent = "";
    workOrder().slice(0, 40).forEach(function (w) {
      if (w[0] !== 0) return;
      var d = N[w[3]];
      queue.append(el("li", null, el("button", { type: "button", onclick: function () { kg.select(w[3], true); } }, d.label,
        el("small", { text: d.type + " \u00b7 " + plural(d.mentions, "mention") + (w[4] ? " \u00b7 " + w[4] : "") }))));
    });
  }
  function saveFile() {
    if (!served) return;
    var text = yaml(curation());
    say("Saving\u2026");
    fetch(saveTo.content, { method: "POST", headers: { "X-KG-Token": served.content, "Content-Type": "text/yaml; charset=utf-8" },
                            body: text, credentials: "omit", cache: "no-store", redirect: "error" })
      .then(function (r) { return r.json().then(function (body) { return [r.ok, body]; }); })
      .then(function (res) {
        if (res[0]) say("Saved to " + res[1].saved + ". Rebuild with kg build --curation to make it final.");
        else notice("Not saved: " + (res[1].error || "the server refused") + ". Export the file instead.");
      })
      .catch(function (err) { notice("Not saved (" + err.message + "). Export the file instead."); });
  }
  function exportFile() {
    var text = yaml(curation());
    output.hidden = false;
    output.value = text;
    var url = URL.createObjectURL(new Blob([text], { type: "text/yaml" }));
    var a = el("a", { href: url, download: "curation.yaml" });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
    say("Exported " + plural(log.length, "decision") + " with the build's curation file.");
  }

  /* the tools in the entity's panel, above its quotes */
  var forms = {};
  kg.hooks.entity = function (panel, d, i) {
    if (!on) return;
    var state = el("p", { class: "review-state state-" + d.review, id: "review-state", text: "Review: " + d.review });
    panel.append(state);
    if (d.links && d.links.length) {
      panel.append(el("ul", { class: "links", id: "review-links" }, d.links.map(function (l) {
        return el("li", null, el("span", { text: authorityOf(l) || "link" }), " ", el("code", { text: l }));
      })));
    }
    /* a reconciliation service's candidates (kg link), best first: accepting one is the Link action with its IRI */
    var suggested = (d.suggestions || []).filter(function (s) { return authorityOf(s[0]) && (d.links || []).indexOf(s[0]) < 0; });
    if (suggested.length) {
      panel.append(el("p", { class: "meta", text: "Suggested by a reconciliation service:" }));
      panel.append(el("ul", { class: "links", id: "review-suggestions" }, suggested.map(function (s, k) {
        return el("li", null, el("span", { text: authorityOf(s[0]) }), " ", el("code", { text: s[0] }),
                  " " + s[1] + " (" + s[2] + ") ", button("accept-suggestion-" + k, "Accept", function () {
                    act({ op: "link", iri: s[0] });
                  }));
      })));
    }
    var tools = el("div", { class: "tools review-tools" },
      button("act-check", "Checked ", function () { act({ op: "check" }); }, "c"),
      button("act-rename", "Rename ", function () { form("rename"); }, "r"),
      button("act-retype", "Retype ", function () { form("retype"); }, "t"),
      button("act-merge", "Merge into\u2026 ", function () { form("merge"); }, "m"),
      button("act-split", "Split ", function () { form("split"); }, "s"),
      button("act-ignore", "Ignore ", function () { act({ op: "ignore" }); }, "x"),
      button("act-link", "Link ", function () { form("link"); }, "l"));
    panel.append(tools);
    var area = el("div", { id: "review-form", class: "review-form" });
    panel.append(area);
    forms = { area: area, i: i };
  };
  kg.hooks.mark = function (r, s) {
    if (!on || kg.state.selected < 0) return null;
    var i = kg.state.selected;
    return el("button", { type: "button", class: "split-mention", title: "Split this mention off",
                          "aria-label": "Split off this mention", "data-at": mentionAt(r, s),
                          onclick: function () { form("mention", mentionAt(r, s), spanText(r, s), i); } }, "\u2702");
  };
  function act(a) {
    var i = kg.state.selected;
    if (i < 0 || N[i].kind !== "entity") return;
    a.id = N[i].madeAs || N[i].id;
    apply(a, false);
  }
  function form(kind, at, text) {
    var i = kg.state.selected;
    if (!on || i < 0 || N[i].kind !== "entity" || !forms.area) return;
    var d = N[i], area = forms.area, error = el("p", { class: "error", role: "alert" });
    area.textContent = "";
    var types = function (value) {
      var sel = el("select", { id: "form-type", "aria-label": "Type" });
      TYPES.forEach(function (t) { var o = el("option", { value: t, text: t }); if (t === value) o.selected = true; sel.append(o); });
      return sel;
    };
    var submit = function (fn) {
      return function (ev) { ev.preventDefault(); var msg = fn(); if (msg) error.textContent = msg; };
    };
    var f;
    if (kind === "rename") {
      var name = el("input", { id: "form-label", type: "text", value: d.label, "aria-label": "Preferred label" });
      f = el("form", null, name, el("button", { type: "submit", text: "Rename" }));
      f.addEventListener("submit", submit(function () {
        var v = name.value.trim();
        if (!v) return "A label cannot be empty.";
        act({ op: "rename", label: v });
      }));
    } else if (kind === "retype") {
      var sel = types(d.type);
      f = el("form", null, sel, el("button", { type: "submit", text: "Retype" }));
      f.addEventListener("submit", submit(function () { act({ op: "retype", type: sel.value }); }));
    } else if (kind === "link") {
      var iri = el("input", { id: "form-iri", type: "url", placeholder: "https://www.wikidata.org/wiki/Q\u2026",
                              "aria-label": "Authority IRI (Wikidata, VIAF, IdRef, ORCID, GeoNames)" });
      f = el("form", null, iri, el("button", { type: "submit", text: "Link" }));
      f.addEventListener("submit", submit(function () {
        if (!authorityOf(iri.value)) return "Not a Wikidata, VIAF, IdRef, ORCID or GeoNames IRI (http or https).";
        act({ op: "link", iri: iri.value.trim() });
      }));
    } else if (kind === "merge") {
      var q = el("input", { id: "form-merge", type: "search", placeholder: "Entity to merge into", "aria-label": "Merge into" });
      var hits = el("ul", { id: "form-merge-results", class: "linklist" });
      q.addEventListener("input", function () {
        hits.textContent = "";
        kg.matches(fold(q.value)).filter(function (j) { return j !== i && live(j) && !N[j].madeHere; }).slice(0, 12).forEach(function (j) {
          hits.append(el("li", null, el("button", { type: "button", onclick: function () {
            act({ op: "merge", into: N[j].id });
          } }, N[j].label, el("small", { text: N[j].type + " \u00b7 " + N[j].id }))));
        });
      });
      f = el("form", null, q, hits);
      f.addEventListener("submit", submit(function () {
        var first = hits.querySelector("button");
        if (!first) return "No entity matches.";
        first.click();
      }));
    } else if (kind === "split" || kind === "mention") {
      var label = el("input", { id: "form-split-label", type: "text", value: text || "", "aria-label": "Label of the new entity" });
      var tsel = types(d.type);
      var alias = el("select", { id: "form-alias", "aria-label": "Alias to split off" });
      d.aliases.forEach(function (x) { alias.append(el("option", { value: x, text: x })); });
      if (kind === "split") {
        if (!d.aliases.length) { area.append(el("p", { class: "help", text: "No alias to split off: use \u2702 next to a mention in a quote to split that mention off." })); return; }
        label.value = d.aliases[0];
        alias.addEventListener("change", function () { label.value = alias.value; });
      }
      f = el("form", null, kind === "split" ? alias : el("span", { text: "Mention \u201c" + text + "\u201d \u2192 " }), label, tsel,
             el("button", { type: "submit", text: "Split off" }));
      f.addEventListener("submit", submit(function () {
        var a = { op: "split", label: label.value.trim(), type: tsel.value };
        if (!a.label) return "A label cannot be empty.";
        if (kind === "split") a.alias = alias.value; else a.at = at;
        var before = log.length;
        act(a);
        if (log.length === before) return "Could not split: another entity has that name (merge into it instead).";
      }));
    }
    f.addEventListener("keydown", function (ev) {  /* Enter on a list of choices sends the form too */
      if (ev.key === "Enter" && ev.target.tagName === "SELECT") { ev.preventDefault(); f.requestSubmit(); }
    });
    area.append(f, error);
    var first = f.querySelector("input, select");
    if (first) { first.focus(); if (first.select) first.select(); }
  }
  document.addEventListener("keydown", function (ev) {
    if (!on || ev.ctrlKey || ev.metaKey || ev.altKey) return;
    if (/^(INPUT|SELECT|TEXTAREA)$/.test(ev.target.tagName)) return;
    var keys = { n: nextUnchecked, u: undoLast, e: exportFile, w: saveFile, c: function () { act({ op: "check" }); },
                 x: function () { act({ op: "ignore" }); }, r: function () { form("rename"); }, t: function () { form("retype"); },
                 m: function () { form("merge"); }, s: function () { form("split"); }, l: function () { form("link"); } };
    var fn = keys[ev.key];
    if (fn) { ev.preventDefault(); fn(); }
  });

  kg.review = { apply: function (a) { return apply(a, false); }, undo: undoLast, curation: curation,
                yaml: function () { return yaml(curation()); }, load: load, save: saveFile, parseYaml: parseYaml, setMode: setMode,
                authorityOf: authorityOf, workOrder: workOrder, log: log, stale: stale, notices: notices, last: null };
  restoreStored();
  updateWork();
  if (log.length || notices.length) setMode(true);
})();
