"""A first interactive network of the graph (pyvis), fully offline.

Placeholder quality: the HTML issue replaces this with the full page
(side panel with quotes, search, filters).
"""

from __future__ import annotations

import html
import re

from .model import KnowledgeGraph

COLOURS = {"Person": "#e15759", "Organisation": "#4e79a7", "Tool": "#59a14f", "Work": "#b07aa1",
           "Place": "#edc948", "Concept": "#9c755f"}


def render_html(kg: KnowledgeGraph) -> str:
    from pyvis.network import Network

    net = Network(height="800px", width="100%", cdn_resources="in_line", directed=False)
    for iv in kg.interviews:
        net.add_node("interview:" + iv.id, label=iv.title or iv.id, shape="box", color="#bab0ac",
                     title=html.escape(iv.title or iv.id))
    for e in kg.entities:
        net.add_node(e.id, label=e.label, color=COLOURS[e.type], value=max(1, len(e.mentions)),
                     title=html.escape(f"{e.type}: {e.label}"))
        for iid in e.interviews:
            net.add_edge(e.id, "interview:" + iid)
    page = net.generate_html()
    # pyvis links Bootstrap from a CDN even with in-line resources: drop every external reference
    page = re.sub(r"<link[^>]+href=\"https?://[^>]+>", "", page)
    page = re.sub(r"<script[^>]+src=\"https?://[^>]+></script>", "", page)
    return page
