"""The corpus as a networkx graph, its measures and a layout.

Nodes are entities (by entity id) and interviews (``"interview:" + id``).
Edges are of two kinds: ``"mentioned"`` joins an entity to an interview it is
mentioned in (``weight`` = mentions there) or speaks in (``role``), and
``"co"`` joins two entities named in the same sentence (``weight`` =
sentences).  Co-mention edges below a threshold are left out so the picture
stays readable.  Every randomised step takes a ``seed``, and nodes and edges
are added in sorted order, so the same data gives the same numbers.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Sequence
from typing import Any

import networkx as nx

from .data import GraphData
from .parts import Part, parts_of

INTERVIEW = "interview:"
MAX_CO_EDGES_PER_ENTITY = 10
"""With the automatic threshold, co-mention edges are at most this many times the entities."""
EXACT_BETWEENNESS_BUDGET = 50_000_000
"""Nodes x edges up to which betweenness is exact (rustworkx, in Rust on every core, keeps it fast up to there)."""
BETWEENNESS_BUDGET = 1_000_000
"""Sources x edges for the estimate above that (at least 32 sources): a cost bounded whatever the corpus's size."""
SPRING_UP_TO = 500
"""Above this many nodes the layout is seeded from the interviews instead of a spring layout."""
SHARED_NEIGHBOURS = 10
"""In that layout, each interview is pulled towards the interviews it shares most entities with, up to this many."""


def interview_node(interview_id: str) -> str:
    """The node id of an interview.

    Examples:
        >>> interview_node("itw-07")
        'interview:itw-07'
    """
    return INTERVIEW + interview_id


def _tally(data: GraphData, parts: Sequence[Part]) -> tuple[dict[tuple[str, str], int], Counter[tuple[str, str]]]:
    """Mentions per (entity, interview) and sentences per co-mentioned pair: the interviews' parts added up."""
    per_interview: dict[tuple[str, str], int] = {}
    pairs: Counter[tuple[str, str]] = Counter()
    get = pairs.get
    for iv, part in zip(data.interviews, parts, strict=True):
        iid = iv.id
        for eid, n in part.mentions.items():
            per_interview[(eid, iid)] = n
        for a, with_a in part.pairs.items():
            for b, n in with_a.items():
                key = (a, b)
                pairs[key] = get(key, 0) + n
    return per_interview, pairs


def auto_threshold(weights: Counter[tuple[str, str]], limit: int) -> int:
    """The smallest weight ``t >= 1`` that keeps at most ``limit`` pairs of weight ``>= t``.

    Examples:
        >>> from collections import Counter
        >>> auto_threshold(Counter({("a", "b"): 3, ("a", "c"): 1, ("b", "c"): 1}), 2)
        2
        >>> auto_threshold(Counter(), 0)
        1
    """
    by_weight = Counter(weights.values())
    kept = sum(by_weight.values())
    threshold = 1
    for w in sorted(by_weight):
        if kept <= limit:
            break
        kept -= by_weight[w]
        threshold = w + 1
    return threshold


def to_networkx(data: GraphData, *, min_co_mentions: int | None = None,
                parts: Sequence[Part] | None = None) -> nx.Graph:
    """The graph of ``data``; ``min_co_mentions=None`` picks the threshold from the corpus size.

    The threshold used is ``G.graph["min_co_mentions"]``.  ``parts`` are the
    interviews' parts (`kg.page.parts`), when the caller has them: else they are counted from ``data.quotes``.
    """
    g = nx.Graph()
    per_interview, all_pairs = _tally(data, parts_of(data) if parts is None else parts)
    mentions: Counter[str] = Counter()
    for (eid, _), n in per_interview.items():
        mentions[eid] += n
    roles = {(p.entity, iv.id): p.role for iv in data.interviews for p in iv.participants if p.entity}
    known = {e.id for e in data.entities}
    g.add_nodes_from((interview_node(iv.id), {"kind": "interview", "label": iv.title}) for iv in data.interviews)
    interviews_of: dict[str, set[str]] = {}
    for (eid, iid) in [*per_interview, *roles]:
        interviews_of.setdefault(eid, set()).add(iid)
    g.add_nodes_from((e.id, {"kind": "entity", "type": e.type, "label": e.label, "mentions": mentions[e.id],
                             "interviews": len(interviews_of.get(e.id, ()))}) for e in data.entities)
    # add_edges_from with attribute dicts: add_edge per edge was far slower on a large corpus
    g.add_edges_from((eid, interview_node(iid), {"kind": "mentioned", "weight": per_interview.get((eid, iid), 0),
                                                 "role": roles.get((eid, iid))})
                     for (eid, iid) in sorted(set(per_interview) | set(roles)) if eid in known)
    pairs = Counter({p: w for p, w in all_pairs.items() if p[0] in known and p[1] in known})
    threshold = min_co_mentions or auto_threshold(pairs, max(200, MAX_CO_EDGES_PER_ENTITY * len(data.entities)))
    # only the kept pairs are sorted: on a large corpus most pairs fall below the threshold
    strong = sorted((p, w) for p, w in pairs.items() if w >= threshold)
    g.add_edges_from((a, b, {"kind": "co", "weight": w}) for (a, b), w in strong)
    g.graph["min_co_mentions"] = threshold
    return g


def measures(g: nx.Graph, *, seed: int = 0) -> dict[str, dict[str, float]]:
    """Per node: degree, betweenness, PageRank (weighted) and a community number (`communities`).

    Betweenness is exact while nodes x edges stay within `EXACT_BETWEENNESS_BUDGET`,
    then estimated from a seeded sample; communities are numbered by decreasing size.
    """
    n = g.number_of_nodes()
    if n == 0:
        return {}
    m = max(1, g.number_of_edges())
    if n * m <= EXACT_BETWEENNESS_BUDGET:
        betweenness = exact_betweenness(g)
    else:
        betweenness = sampled_betweenness(g, k=max(32, min(n, BETWEENNESS_BUDGET // m)), seed=seed)
    try:
        pagerank = nx.pagerank(g, weight="weight")
    except nx.PowerIterationFailedConvergence:  # pragma: no cover - tiny pathological graphs
        pagerank = {v: 1.0 / n for v in g}
    community = communities(g, seed=seed)
    return {v: {"degree": float(g.degree(v)), "betweenness": betweenness[v], "pagerank": pagerank[v],
                "community": float(community[v])} for v in g}


def communities(g: nx.Graph, *, seed: int = 0) -> dict[Any, int]:
    """Each node's community (weighted Leiden), numbered by decreasing size, ties by smallest node.

    graspologic-native's Leiden, in Rust: an order of magnitude faster than
    networkx's Louvain, in Python, for the same modularity on the corpora
    compared.  Leiden also never leaves a community
    disconnected, which Louvain may.  Only edges of positive weight are
    passed (the library panics on a graph whose weights are all zero); a
    node without one is a community of its own.
    """
    from graspologic_native import leiden

    nodes = list(g)
    name = {v: str(i) for i, v in enumerate(nodes)}  # the library names nodes by strings
    edges = [(name[a], name[b], float(w)) for a, b, w in g.edges(data="weight", default=1.0) if w and w > 0]
    found: dict[str, int] = {}
    if edges:
        try:
            _, found = leiden(edges, seed=seed)
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException:  # a panic in the Rust code (a BaseException): networkx's Louvain, slower, instead
            parts = nx.community.louvain_communities(g, weight="weight", seed=seed)
            found = {name[v]: i for i, part in enumerate(parts) for v in part}
    groups: dict[int, list[Any]] = {}
    alone = len(nodes)  # numbers no community of the library's uses
    for v in nodes:
        c = found.get(name[v])
        if c is None:
            c, alone = alone, alone + 1
        groups.setdefault(c, []).append(v)
    ranked = sorted(groups.values(), key=lambda members: (-len(members), min(members)))
    return {v: i for i, members in enumerate(ranked) for v in members}


def exact_betweenness(g: nx.Graph) -> dict[Any, float]:
    """networkx's normalised, unweighted betweenness, computed by rustworkx.

    The same numbers (Brandes's algorithm both ways), but in Rust: networkx's
    pure-Python search took most of the page's time.  On one thread: rustworkx
    runs larger graphs on a pool of threads (rayon's), which a forked process
    inherits without its threads and waits on forever, and the page is drawn
    in a forked process (`kg.pipeline.aside`) by a process that may have drawn one before.
    """
    import rustworkx as rx

    nodes = list(g)
    scores = rx.betweenness_centrality(_rustworkx(nodes, [(u, v, 1.0) for u, v in g.edges()]), normalized=True,
                                       parallel_threshold=len(nodes) + 1)
    return {v: scores[i] for i, v in enumerate(nodes)}


def sampled_betweenness(g: nx.Graph, *, k: int, seed: int = 0) -> dict[Any, float]:
    """networkx's normalised betweenness estimated from ``k`` sources (``betweenness_centrality(g, k=k, seed=seed)``).

    The same sources (networkx draws them with ``random.Random(seed)``) and
    Brandes's sums, but the ``k`` breadth-first searches run side by side, one
    sparse matrix product per level, and so do the dependency sums on the way
    back, several times faster than networkx's pure-Python searches on a large
    corpus.  Path counts are floats, as networkx's
    become in the sums: the numbers agree to rounding.
    """
    import numpy as np
    from scipy import sparse

    nodes = list(g)
    n = len(nodes)
    if n < 3:
        return dict.fromkeys(nodes, 0.0)
    index = {v: i for i, v in enumerate(nodes)}
    pairs = [(index[a], index[b]) for a, b in g.edges() if a != b]
    rows = np.array([a for a, b in pairs] + [b for a, b in pairs], dtype=np.int64)
    cols = np.array([b for a, b in pairs] + [a for a, b in pairs], dtype=np.int64)
    adjacency = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n))
    adjacency.data[:] = 1.0  # an edge listed twice is one edge
    k = min(k, n)
    sources = random.Random(seed).sample(nodes, k)
    columns = np.arange(k)
    depth = np.full((n, k), -1, dtype=np.int64)
    sigma = np.zeros((n, k))
    src = np.array([index[s] for s in sources])
    depth[src, columns] = 0
    sigma[src, columns] = 1.0
    level = 0
    while True:  # forward: shortest-path counts, level by level
        reached = adjacency @ np.where(depth == level, sigma, 0.0)
        new = (depth < 0) & (reached > 0)
        if not new.any():
            break
        level += 1
        depth[new] = level
        sigma[new] = reached[new]
    delta = np.zeros((n, k))
    with np.errstate(divide="ignore", invalid="ignore"):
        for lev in range(level, 0, -1):  # back: each node's dependency, from the deepest level up
            share = np.where(depth == lev, (1.0 + delta) / sigma, 0.0)
            delta += np.where(depth == lev - 1, sigma * (adjacency @ share), 0.0)
    delta[depth <= 0] = 0.0  # a source is no intermediate on its own paths
    total = delta.sum(axis=1)
    sampled = np.zeros(n, dtype=bool)
    sampled[src] = True
    # networkx's rescaling with endpoints excluded: a sampled node is an intermediate for k - 1 sources only
    denominator = (n - 2) * np.where(sampled, k - 1, k).astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        scores = np.where(denominator > 0, total / denominator, float("nan"))
    return {v: float(scores[i]) for i, v in enumerate(nodes)}


def _rustworkx(nodes: list[Any], edges: list[tuple[Any, Any, float]]) -> Any:
    """A rustworkx graph of ``nodes`` (node i is ``nodes[i]``) and weighted ``edges``; self-loops left out."""
    import rustworkx as rx

    index = {v: i for i, v in enumerate(nodes)}
    r = rx.PyGraph(multigraph=False)
    r.add_nodes_from(nodes)
    r.add_edges_from([(index[a], index[b], float(w)) for a, b, w in edges if a != b])
    return r


def layout(g: nx.Graph, *, seed: int = 0) -> dict[str, tuple[float, float]]:
    """Starting positions in vis-network units (~100 between neighbours); the browser only settles them.

    Up to `SPRING_UP_TO` nodes this is a seeded spring layout of the whole graph (rustworkx's, several
    times faster than networkx's).  Above, interviews are laid out by a spring
    layout of their own (joined to the interviews they share most entities with) and each entity
    starts at the weighted mean of its interviews plus seeded jitter: a start
    that puts topics together, which the browser's Barnes-Hut settles quickly.
    """
    n = g.number_of_nodes()
    if n == 0:
        return {}
    scale = 60.0 * math.sqrt(n)
    if n <= SPRING_UP_TO:
        # unweighted: one heavy co-mention must not collapse two nodes onto each other
        pos = _spring(list(g), [(a, b, 1) for a, b in g.edges()], seed=seed)
        return {v: (round(x * scale, 1), round(y * scale, 1)) for v, (x, y) in pos.items()}
    rng = random.Random(seed)
    interviews = sorted(v for v, kind in g.nodes(data="kind") if kind == "interview")
    anchors = _spring(interviews, _shared_entities(g, interviews), seed=seed)
    out: dict[str, tuple[float, float]] = {}
    for v in sorted(g):
        if v in anchors:
            x, y = anchors[v]
        else:
            links = [(anchors[u], g[v][u].get("weight", 1) or 1) for u in g[v] if u in anchors]
            total = sum(w for _, w in links) or 1
            x = sum(p[0] * w for p, w in links) / total if links else 0.0
            y = sum(p[1] * w for p, w in links) / total if links else 0.0
            r, a = 0.35 * math.sqrt(rng.random()), rng.uniform(0, 2 * math.pi)
            x, y = x + r * math.cos(a), y + r * math.sin(a)
        out[v] = (round(float(x) * scale * 0.8, 1), round(float(y) * scale * 0.8, 1))
    return out


def _spring(nodes: list[str], edges: list[tuple[str, str, float]], *, seed: int) -> dict[str, tuple[float, float]]:
    """A seeded, weighted spring layout in [-1, 1] by rustworkx, several times faster than networkx's."""
    import rustworkx as rx

    if len(nodes) < 2:
        return {v: (0.0, 0.0) for v in nodes}
    pos = rx.spring_layout(_rustworkx(nodes, edges), seed=seed, weight_fn=float)
    return {v: (float(pos[i][0]), float(pos[i][1])) for i, v in enumerate(nodes)}


def _shared_entities(g: nx.Graph, interviews: list[str], *,
                     strongest: int = SHARED_NEIGHBOURS) -> list[tuple[str, str, float]]:
    """(a, b, how many entities interviews a and b share), for each interview's ``strongest`` such pairs.

    Counted as a sparse interview x entity incidence matrix times its
    transpose: walking each entity's pairs of interviews in Python took
    minutes on a large corpus, where a handful of entities named in nearly
    every interview make a pair of any two.  Those same entities join every
    interview to every other, and a spring layout of a complete graph takes
    seconds to say nothing: each interview keeps its closest neighbours only.
    """
    import numpy as np
    from scipy import sparse

    row = {v: i for i, v in enumerate(interviews)}
    rows: list[int] = []
    cols: list[int] = []
    entities = [v for v in sorted(g) if g.nodes[v].get("kind") == "entity"]
    for j, v in enumerate(entities):
        for u in g[v]:
            if u in row:
                rows.append(row[u])
                cols.append(j)
    incidence = sparse.csr_matrix((np.ones(len(rows), dtype=np.int64), (rows, cols)),
                                  shape=(len(interviews), len(entities)))
    counts = (incidence @ incidence.T).tocsr()
    counts.setdiag(0)
    counts.eliminate_zeros()
    kept: dict[tuple[int, int], int] = {}
    for i in range(counts.shape[0]):
        start, end = counts.indptr[i], counts.indptr[i + 1]
        cols_i, weights = counts.indices[start:end], counts.data[start:end]
        # strongest first, ties to the earlier interview: the same pairs every time
        for k in np.lexsort((cols_i, -weights))[:strongest]:
            j = int(cols_i[k])
            kept[(min(i, j), max(i, j))] = int(weights[k])
    return sorted((interviews[i], interviews[j], w) for (i, j), w in kept.items())
