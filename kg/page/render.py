"""The interactive HTML network: one self-contained, offline page per corpus.

The page is vis-network (the build pyvis ships) plus kg's own template,
script and style from ``kg/page/assets/``, all inlined: opening it makes no
request to any host.  Transcript text is untrusted, so it enters the page
only as JSON data (``<`` ``>`` ``&`` escaped) in a ``<script
type="application/json">`` block, and the page script inserts it with
``textContent``; a Content-Security-Policy admits only the page's own two
scripts (by hash), so injected markup could not run even if it got in.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import os
import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from importlib import resources
from pathlib import Path
from typing import Any

import orjson

from .. import __version__
from ..authority import AUTHORITIES, ID_PREFIX
from ..model import ENTITY_TYPES, KnowledgeGraph
from .data import GraphData, load
from .network import interview_node, layout, measures, page_network
from .overview import LABELLED, overview
from .parts import Part, kg_parts, parts_of

COLOURS = {"Person": "#e15759", "Organisation": "#4e79a7", "Tool": "#59a14f", "Work": "#b07aa1",
           "Place": "#edc948", "Concept": "#9c755f"}
"""Tableau 10: distinguishable, and dark text stays readable next to each."""
TOP_ENTITIES = 12
MAX_QUOTES = 200
"""Quotes the page keeps per entity.  A thousand interviews hold hundreds of thousands of quotes: all of them
made a page of tens of megabytes that a browser opens slowly.  The page says how many more the RDF holds."""
_VIS = ("lib", "vis-9.1.2", "vis-network.min.js")
_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def render_html(source: KnowledgeGraph | GraphData, *, title: str | None = None, seed: int = 0,
                min_co_mentions: int | None = None) -> str:
    """The page for a built graph (or for `GraphData` read back from RDF)."""
    if isinstance(source, KnowledgeGraph):
        data, parts, _ = kg_parts(source, title=title)
        return render_parts(data, parts, seed=seed, min_co_mentions=min_co_mentions)
    data = replace(source, title=title) if title is not None else source
    return fill_template(page_data(data, seed=seed, min_co_mentions=min_co_mentions), data.title)


def render_parts(outline: GraphData, parts: Sequence[Part], *, seed: int = 0,
                 min_co_mentions: int | None = None) -> str:
    """The page from an outline (no quotes) and its interviews' parts (`kg.page.parts`), as ``kg build`` draws it."""
    return fill_template(page_data(outline, seed=seed, min_co_mentions=min_co_mentions, parts=parts), outline.title)


def write_html(directory: str | Path, *, out: str | Path | None = None, title: str | None = None,
               min_co_mentions: int | None = None) -> Path:
    """Redraw ``graph.html`` from the RDF a build wrote into ``directory`` (or from that RDF file); no extraction."""
    from ..files import write_atomically

    data = load(directory, title=title)
    folder = Path(directory).parent if Path(directory).is_file() else Path(directory)
    target = Path(out) if out is not None else folder / "graph.html"
    data = rebase_media(data, folder, target.parent)
    page = render_html(data, min_co_mentions=min_co_mentions)
    return write_atomically(target.parent, {target.name: page.encode("utf-8")})[target.name]


def rebase_media(data: GraphData, graph_folder: Path, page_folder: Path) -> GraphData:
    """Recordings named relative to the graph's folder (`kg.media`), named relative to the page's instead."""
    if graph_folder.resolve() == page_folder.resolve() or not any(iv.media for iv in data.interviews):
        return data
    interviews = tuple(
        replace(iv, media=Path(os.path.relpath(graph_folder.resolve() / iv.media, page_folder.resolve())).as_posix())
        if iv.media and not re.match(r"[a-z][a-z0-9+.\-]*:", iv.media, re.I) else iv
        for iv in data.interviews)
    return replace(data, interviews=interviews)


def page_data(data: GraphData, *, seed: int = 0, min_co_mentions: int | None = None,
              parts: Sequence[Part] | None = None) -> dict[str, Any]:
    """The JSON the page script reads: nodes with positions and measures, edges, quotes.

    Nodes, interviews and quotes are referred to by their index in these lists.
    ``parts`` are the interviews' parts (`kg.page.parts`), when the caller has
    them; else they are counted from ``data.quotes``.
    """
    parts = parts_of(data) if parts is None else parts
    g = page_network(data, min_co_mentions=min_co_mentions, parts=parts)
    stats = measures(g, seed=seed)
    pos = layout(g, seed=seed)
    node_ids = [interview_node(iv.id) for iv in data.interviews] + [e.id for e in data.entities]
    index = {nid: i for i, nid in enumerate(node_ids)}

    # each entity's quotes, interview by interview: the parts hold them, so this is one step per
    # (entity, interview), not per quote (hundreds of thousands at scale)
    per_iv: dict[str, list[tuple[int, list[list[Any]]]]] = {}
    for ivi, part in enumerate(parts):
        for eid, refs in part.refs.items():
            found = per_iv.get(eid)
            if found is None:
                per_iv[eid] = [(ivi, refs)]
            else:
                found.append((ivi, refs))
    offsets = [0]
    for part in parts:
        offsets.append(offsets[-1] + len(part.rows))
    chosen = {eid: _spread(refs) for eid, refs in per_iv.items()}
    # quotes by their index in the corpus (ints: a dict keyed by (interview, row) pairs was ten times slower)
    kept = sorted({offsets[ivi] + ref[0] for refs in chosen.values() for ivi, ref in refs})
    renumber = {at: new for new, at in enumerate(kept)}
    quotes = []
    for at in kept:
        ivi = bisect_right(offsets, at) - 1
        quotes.append([ivi, *parts[ivi].rows[at - offsets[ivi]]])
    by_entity = {eid: [[renumber[offsets[ivi] + ref[0]], ref[1]] for ivi, ref in refs] for eid, refs in chosen.items()}

    def metrics(nid: str) -> dict[str, Any]:
        m = stats.get(nid, {})
        x, y = pos.get(nid, (0.0, 0.0))
        return {"x": x, "y": y, "degree": int(m.get("degree", 0)), "betweenness": _round(m.get("betweenness", 0.0)),
                "pagerank": _round(m.get("pagerank", 0.0)), "community": int(m.get("community", 0))}

    roles_of: dict[str, set[tuple[int, str]]] = {}
    for i, iv in enumerate(data.interviews):
        for p in iv.participants:
            if p.entity:
                roles_of.setdefault(p.entity, set()).add((i, p.role))
    nodes: list[dict[str, Any]] = []
    for i, iv in enumerate(data.interviews):
        top = {index[eid]: n for eid, n in parts[i].mentions.items() if eid in index and n}
        nodes.append({"kind": "interview", "id": iv.id, "label": iv.title, "iv": i, "date": iv.date,
                      "lang": iv.language,
                      "participants": [[p.name, p.role, index.get(p.entity, -1) if p.entity else -1]
                                       for p in iv.participants],
                      "top": [[n, c] for n, c in sorted(top.items(), key=lambda t: (-t[1], t[0]))[:TOP_ENTITIES]],
                      "quotes": len(parts[i].rows),
                      **metrics(interview_node(iv.id))})
    counted_in: dict[str, list[int]] = {}  # interviews a public edition keeps the counts of, not the quotes
    for i, iv in enumerate(data.interviews):
        for eid, _ in iv.counts:
            counted_in.setdefault(eid, []).append(i)
    for e in data.entities:
        roles = sorted(roles_of.get(e.id, ()))
        found = per_iv.get(e.id, [])
        mentioned = {ivi: parts[ivi].mentions[e.id] for ivi in [*(ivi for ivi, _ in found), *counted_in.get(e.id, ())]}
        ivs = sorted(set(mentioned) | {r[0] for r in roles})
        quoted = {ivi: len(refs) for ivi, refs in found}
        nodes.append({"kind": "entity", "id": e.id, "label": e.label, "type": e.type, "aliases": list(e.aliases),
                      "confidence": e.confidence, "review": e.review, "links": list(e.links),
                      "mentions": sum(mentioned.values()), "interviews": ivs,
                      "speaker": [list(r) for r in roles], "quotes": by_entity.get(e.id, []),
                      "quoteTotal": sum(quoted.values()), "ivQuotes": [quoted.get(iv, 0) for iv in ivs],
                      **({"suggestions": [list(s) for s in e.suggestions]} if e.suggestions else {}),
                      **metrics(e.id)})

    glance = overview(nodes)
    for i, r in glance.rank.items():
        nodes[i]["rank"] = r
    for i in glance.minor:
        nodes[i]["minor"] = 1
    # the network's nodes are the page's, in the same order: its indexes are the page's
    edges = [[min(a, b), max(a, b), w, 1 if co else 0, role]
             for a, b, w, co, role in zip(g.a.tolist(), g.b.tolist(), g.weight.tolist(), g.co.tolist(), g.roles,
                                          strict=True)]
    edges.sort(key=lambda e: (e[0], e[1]))
    present = Counter(e.type for e in data.entities)
    return {
        "title": data.title,
        "types": [[t, COLOURS[t], present[t]] for t in ENTITY_TYPES],
        "interviews": [[iv.title, iv.date, *([iv.media] if iv.media else [])] for iv in data.interviews],
        "nodes": nodes,
        "edges": edges,
        "quotes": quotes,
        "quoteTotal": offsets[-1],
        "minCoMentions": g.min_co_mentions,
        "communities": len({n["community"] for n in nodes}),
        "compact": glance.compact,
        "labelled": LABELLED,
        "review": review_data(data),
    }


def review_data(data: GraphData) -> dict[str, Any]:
    """What the review mode needs besides the nodes: the key its decisions are kept under in the browser (the
    corpus: its title and interviews, not the build), the authority links it accepts, the id prefixes of the
    types, and the curation file the build applied (its decisions are the start of what the page exports)."""
    corpus = hashlib.sha256("\n".join([data.title, *(iv.id for iv in data.interviews)]).encode("utf-8")).hexdigest()
    curation = data.curation
    return {"key": "kg-review:" + corpus[:24], "authorities": [[name, p] for name, p in AUTHORITIES.items()],
            "prefixes": ID_PREFIX,
            "curation": None if curation is None else {"file": curation.file, "content": curation.content,
                                                       "stale": list(curation.stale)}}


def _spread(per_iv: list[tuple[int, list[list[Any]]]]) -> list[tuple[int, list[Any]]]:
    """At most `MAX_QUOTES` of an entity's quotes, (interview, ref) pairs, taken from every interview in turn.

    That is the quotes of rank < r in their interview (all of them fit), then
    the earliest of rank r, in interview order: "Python" has tens of thousands of quotes at scale.
    """
    if sum(len(refs) for _, refs in per_iv) <= MAX_QUOTES:
        return [(ivi, ref) for ivi, refs in per_iv for ref in refs]
    sizes = [len(refs) for _, refs in per_iv]
    depth, taken = 0, 0
    while True:
        at_depth = sum(1 for c in sizes if c > depth)
        if taken + at_depth >= MAX_QUOTES:
            break
        taken, depth = taken + at_depth, depth + 1
    room = MAX_QUOTES - taken
    out: list[tuple[int, list[Any]]] = []
    for ivi, refs in per_iv:
        out.extend((ivi, ref) for ref in refs[:depth])
        if room and len(refs) > depth:
            out.append((ivi, refs[depth]))
            room -= 1
    return out


def _round(x: float) -> float:
    return float(f"{x:.4g}")


def json_for_script(value: object) -> str:
    """JSON that can sit inside ``<script type="application/json">``: no ``<``, ``>`` or ``&`` in it.

    Examples:
        >>> json_for_script({"q": "</script><b>&"})
        '{"q":"\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e\\\\u0026"}'
    """
    try:  # orjson: several times faster than json on the page of a large corpus
        text = orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode("utf-8")
    except TypeError:  # what orjson refuses (text with lone surrogates from odd encodings): json's way
        text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return re.sub("[<>&\u2028\u2029]", lambda m: _JSON_ESCAPES[m.group()], text)


def _asset(name: str) -> str:
    return (resources.files("kg.page") / "assets" / name).read_text("utf-8")


def vis_network_js() -> str:
    """vis-network's standalone build, as pyvis ships it, without its source-map comment."""
    bundle = resources.files("pyvis")
    for part in _VIS:
        bundle = bundle / part
    js = bundle.read_text("utf-8")
    js = re.sub(r"//[#@] sourceMappingURL=\S*\s*$", "", js.rstrip())
    # inline-safe: the bundle must not be able to close its own <script> element
    return js.replace("</script", "<\\/script").replace("<!--", "<\\!--")


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def fill_template(payload: dict[str, Any], title: str) -> str:
    """Inline the data, vis-network, the page script and style into the template, in one pass."""
    vis, script, review, style = vis_network_js(), _asset("page.js"), _asset("review.js"), _asset("page.css")
    corpus, style = _asset("corpus.js"), style + _asset("corpus.css")  # the corpus views (#26)
    csp = (f"default-src 'none'; script-src {_sha256(vis)} {_sha256(script)} {_sha256(review)} {_sha256(corpus)}; "
           "style-src 'unsafe-inline'; "
           "img-src data:; media-src 'self' file:; base-uri 'none'; form-action 'none'")
    values = {"title": html.escape(title), "csp": html.escape(csp), "version": __version__,
              "data": json_for_script(payload), "vis": vis, "script": script, "review": review, "style": style,
              "corpus": corpus}
    # one pass, so text put in by one marker is never read as another marker
    return re.sub(r"\{\{(\w+)\}\}", lambda m: values[m.group(1)], _asset("page.html"))
