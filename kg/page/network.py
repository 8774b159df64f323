"""The corpus as a networkx graph, its measures and a layout.

Nodes are entities (by entity id) and interviews (``"interview:" + id``).
Edges are of two kinds: ``"mentioned"`` joins an entity to an interview it is
mentioned in (``weight`` = mentions there) or speaks in (``role``), and
``"co"`` joins two entities named in the same sentence (``weight`` =
sentences).  Co-mention edges below a threshold are left out so the picture
stays readable.  Every randomised step takes a ``seed``, and nodes and edges
are added in sorted order, so the same data gives the same numbers.

The page reads the graph as index arrays (`Network`), not as a networkx
graph: networkx's dict of dicts took a large corpus's page a second to
build, and each measure turned it into arrays again (rustworkx, scipy, the
Leiden library).  `to_networkx` gives the same graph to the exports and to
whoever wants networkx; the measures and the layout take either.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import networkx as nx

from .data import GraphData
from .parts import Part, parts_of

if TYPE_CHECKING:
    import numpy as np

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


def auto_threshold(by_weight: Mapping[int, int], limit: int) -> int:
    """The smallest weight ``t >= 1`` that keeps at most ``limit`` pairs of weight ``>= t``, given how many pairs
    have each weight.

    Examples:
        >>> auto_threshold({3: 1, 1: 2}, 2)
        2
        >>> auto_threshold({}, 0)
        1
    """
    kept = sum(by_weight.values())
    threshold = 1
    for w in sorted(by_weight):
        if kept <= limit:
            break
        kept -= by_weight[w]
        threshold = w + 1
    return threshold


@dataclass(frozen=True, slots=True)
class Network:
    """The page's graph as arrays: node ``i`` is ``nodes[i]``; edge ``k`` joins nodes ``a[k]`` and ``b[k]``.

    The edge weighs ``weight[k]``; it is a co-mention where ``co[k]``, else an entity's mentions of an
    interview or its part in it (``roles[k]``, None for a mention only).  No pair of nodes has two edges.
    """

    nodes: list[str]
    interview: list[bool]
    """Whether each node is an interview (else an entity)."""
    a: np.ndarray
    b: np.ndarray
    weight: np.ndarray
    co: np.ndarray
    roles: list[str | None]
    min_co_mentions: int = 1

    @classmethod
    def of(cls, g: nx.Graph) -> Network:
        """A networkx graph's nodes and edges, in its order (a weight it lacks is 1, as networkx's measures read)."""
        import numpy as np

        nodes = list(g)
        index = {v: i for i, v in enumerate(nodes)}
        edges = list(g.edges(data=True))
        weights = [d.get("weight", 1) for _, _, d in edges]
        return cls(nodes, [g.nodes[v].get("kind") == "interview" for v in nodes],
                   np.array([index[u] for u, _, _ in edges], dtype=np.int64),
                   np.array([index[v] for _, v, _ in edges], dtype=np.int64),
                   np.array(weights, dtype=np.float64 if any(isinstance(w, float) for w in weights) else np.int64),
                   np.array([d.get("kind") == "co" for _, _, d in edges], dtype=bool),
                   [d.get("role") for _, _, d in edges], int(g.graph.get("min_co_mentions", 1)))


class _Numbers(dict[str, int]):
    """Entity ids to node numbers; an id that is none of the graph's entities gets -1."""

    def __missing__(self, key: str) -> int:
        return -1


def page_network(data: GraphData, *, min_co_mentions: int | None = None,
                 parts: Sequence[Part] | None = None) -> Network:
    """The graph of ``data``: interviews first, then entities, in ``data``'s order; ``min_co_mentions=None`` picks
    the threshold from the corpus size.  ``parts`` are the interviews' parts (`kg.page.parts`), when the caller
    has them: else they are counted from ``data.quotes``.

    The parts' counts are gathered into arrays and added up by numpy: a
    thousand interviews hold hundreds of thousands of co-mentioned pairs,
    which a dictionary keyed by pairs took most of a second to add up.
    Edges come sorted by their ends' ids (mentions, then co-mentions), as the exports write them.
    """
    import numpy as np

    parts = parts_of(data) if parts is None else parts
    n_iv, n_ent = len(data.interviews), len(data.entities)
    number = _Numbers({e.id: n_iv + i for i, e in enumerate(data.entities)})
    ent: list[int] = []  # each interview's mentions: (entity, interview, mentions)
    ivs: list[int] = []
    counts: list[int] = []
    left: list[int] = []  # co-mentioned pairs, interview by interview: (entity, entity, sentences)
    right: list[int] = []
    together: list[int] = []
    for i, part in enumerate(parts):
        ent.extend(map(number.__getitem__, part.mentions))
        counts.extend(part.mentions.values())
        ivs.extend([i] * len(part.mentions))
        for a, with_a in part.pairs.items():
            left.extend([number[a]] * len(with_a))
            right.extend(map(number.__getitem__, with_a))
            together.extend(with_a.values())
    roles: dict[int, str] = {}
    for i, iv in enumerate(data.interviews):
        for p in iv.participants:
            if p.entity and number[p.entity] >= 0:
                roles[(number[p.entity] - n_iv) * n_iv + i] = p.role
    # mentions: one edge per (entity, interview), with a part taken too where there is one
    e_arr, i_arr = np.array(ent, dtype=np.int64), np.array(ivs, dtype=np.int64)
    known = e_arr >= 0
    keys = (e_arr[known] - n_iv) * n_iv + i_arr[known]
    weights = np.array(counts, dtype=np.int64)[known]
    only_roles = np.array(sorted(set(roles) - set(keys.tolist())), dtype=np.int64)
    keys = np.concatenate([keys, only_roles])
    weights = np.concatenate([weights, np.zeros(len(only_roles), dtype=np.int64)])
    by_id = _ranks([e.id for e in data.entities]), _ranks([iv.id for iv in data.interviews])
    order = np.lexsort((by_id[1][keys % max(1, n_iv)], by_id[0][keys // max(1, n_iv)]))
    keys, weights = keys[order], weights[order]
    mention_a, mention_b = keys // max(1, n_iv) + n_iv, keys % max(1, n_iv)
    # co-mentions: added up over the interviews, kept from the threshold up
    l_arr, r_arr = np.array(left, dtype=np.int64), np.array(right, dtype=np.int64)
    known = (l_arr >= 0) & (r_arr >= 0)
    pair_keys, at = np.unique((l_arr[known] - n_iv) * max(1, n_ent) + (r_arr[known] - n_iv), return_inverse=True)
    pair_weights = np.bincount(at, weights=np.array(together, dtype=np.int64)[known],
                               minlength=len(pair_keys)).astype(np.int64)
    if min_co_mentions:
        threshold = min_co_mentions
    else:
        values, how_many = np.unique(pair_weights, return_counts=True)
        threshold = auto_threshold(dict(zip(values.tolist(), how_many.tolist(), strict=True)),
                               max(200, MAX_CO_EDGES_PER_ENTITY * n_ent))
    strong = pair_weights >= threshold
    co_a = pair_keys[strong] // max(1, n_ent)
    co_b = pair_keys[strong] % max(1, n_ent)
    order = np.lexsort((by_id[0][co_b], by_id[0][co_a]))
    co_a, co_b, co_w = co_a[order] + n_iv, co_b[order] + n_iv, pair_weights[strong][order]
    nodes = [interview_node(iv.id) for iv in data.interviews] + [e.id for e in data.entities]
    return Network(nodes, [True] * n_iv + [False] * n_ent,
                   np.concatenate([mention_a, co_a]), np.concatenate([mention_b, co_b]),
                   np.concatenate([weights, co_w]),
                   np.concatenate([np.zeros(len(keys), dtype=bool), np.ones(len(co_a), dtype=bool)]),
                   [roles.get(k) for k in keys.tolist()] + [None] * len(co_a), threshold)


def _ranks(ids: list[str]) -> np.ndarray:
    """Each id's place among the ids sorted: edges sort by their ends' ids, whatever order ``data`` holds them in."""
    import numpy as np

    ranks = np.empty(len(ids), dtype=np.int64)
    ranks[sorted(range(len(ids)), key=ids.__getitem__)] = np.arange(len(ids))
    return ranks


def to_networkx(data: GraphData, *, min_co_mentions: int | None = None,
                parts: Sequence[Part] | None = None) -> nx.Graph:
    """The graph of ``data`` (`page_network`) as networkx's, nodes and edges with the attributes the exports write.

    The threshold used is ``G.graph["min_co_mentions"]``.
    """
    net = page_network(data, min_co_mentions=min_co_mentions, parts=parts)
    mentions: Counter[str] = Counter()
    interviews: Counter[str] = Counter()
    for i, w, co in zip(net.a.tolist(), net.weight.tolist(), net.co.tolist(), strict=True):
        if not co:
            mentions[net.nodes[i]] += w
            interviews[net.nodes[i]] += 1
    g = nx.Graph()
    g.add_nodes_from((interview_node(iv.id), {"kind": "interview", "label": iv.title}) for iv in data.interviews)
    g.add_nodes_from((e.id, {"kind": "entity", "type": e.type, "label": e.label, "mentions": mentions[e.id],
                             "interviews": interviews[e.id]}) for e in data.entities)
    # add_edges_from with attribute dicts: add_edge per edge was far slower on a large corpus
    g.add_edges_from((net.nodes[i], net.nodes[j], {"kind": "co", "weight": w} if co
                      else {"kind": "mentioned", "weight": w, "role": role})
                     for i, j, w, co, role in zip(net.a.tolist(), net.b.tolist(), net.weight.tolist(),
                                                  net.co.tolist(), net.roles, strict=True))
    g.graph["min_co_mentions"] = net.min_co_mentions
    return g


def _walked(net: Network) -> Network:
    """``net``'s edges in the order networkx walks a graph built from them (``G.edges()``): by their end met
    first among the nodes, then as they were added, that end first.

    The community search and the spring layout take edges in order, and
    seeded as they are, another order gives other communities and another
    start: the page keeps the ones it drew when it built a networkx graph.
    """
    import numpy as np

    first, second = np.minimum(net.a, net.b), np.maximum(net.a, net.b)
    order = np.lexsort((np.arange(len(first)), first))
    return Network(net.nodes, net.interview, first[order], second[order], net.weight[order], net.co[order],
                   [net.roles[k] for k in order.tolist()], net.min_co_mentions)


def measures(g: nx.Graph | Network, *, seed: int = 0) -> dict[str, dict[str, float]]:
    """Per node: degree, betweenness, PageRank (weighted) and a community number (`communities`).

    Betweenness is exact while nodes x edges stay within `EXACT_BETWEENNESS_BUDGET`,
    then estimated from a seeded sample; communities are numbered by decreasing size.
    """
    net = _walked(g) if isinstance(g, Network) else Network.of(g)
    n = len(net.nodes)
    if n == 0:
        return {}
    import numpy as np

    m = max(1, len(net.a))
    if n * m <= EXACT_BETWEENNESS_BUDGET:
        betweenness = _exact_betweenness(n, net.a, net.b)
    else:
        betweenness = _sampled_betweenness(net.nodes, net.a, net.b, k=max(32, min(n, BETWEENNESS_BUDGET // m)),
                                           seed=seed)
    degree = (np.bincount(net.a, minlength=n) + np.bincount(net.b, minlength=n)).tolist()
    pagerank = pagerank_of(n, net.a, net.b, net.weight)
    community = _communities(net, seed=seed)
    return {v: {"degree": float(degree[i]), "betweenness": betweenness[i], "pagerank": pagerank[i],
                "community": float(community[i])} for i, v in enumerate(net.nodes)}


def pagerank_of(n: int, a: np.ndarray, b: np.ndarray, weight: np.ndarray, *, alpha: float = 0.85,
                max_iter: int = 100, tol: float = 1e-6) -> list[float]:
    """Weighted PageRank of an undirected graph given as edge arrays, as networkx defines it (``nx.pagerank``).

    Power iteration over the row-normalised weights, a node without weight
    spreading its rank over every node; it stops when the ranks move by less
    than ``n * tol`` in all.  Where it does not settle in ``max_iter`` steps
    every node gets ``1 / n``.  Run on scipy's sparse matrices straight from the
    arrays: networkx built its matrix from its dict of dicts, a second at scale.
    """
    import numpy as np
    from scipy import sparse

    if n == 0:
        return []
    loop = a == b  # a self-loop weighs once, not once each way
    rows = np.concatenate([a, b[~loop]])
    cols = np.concatenate([b, a[~loop]])
    values = np.concatenate([weight, weight[~loop]]).astype(np.float64)
    matrix = sparse.csr_matrix((values, (rows, cols)), shape=(n, n))
    out = np.asarray(matrix.sum(axis=1)).ravel()
    with np.errstate(divide="ignore"):
        inverse = np.where(out != 0, 1.0 / out, 0.0)
    step = sparse.diags(inverse) @ matrix
    dangling = out == 0
    uniform = np.full(n, 1.0 / n)
    x = uniform
    for _ in range(max_iter):
        last = x
        x = alpha * (x @ step + x[dangling].sum() * uniform) + (1 - alpha) * uniform
        if np.abs(x - last).sum() < n * tol:
            return [float(v) for v in x]
    return [1.0 / n] * n


def communities(g: nx.Graph | Network, *, seed: int = 0) -> dict[Any, int]:
    """Each node's community (weighted Leiden), numbered by decreasing size, ties by smallest node.

    graspologic-native's Leiden, in Rust: an order of magnitude faster than
    networkx's Louvain, in Python, for the same modularity on the corpora
    compared.  Leiden also never leaves a community
    disconnected, which Louvain may.  Only edges of positive weight are
    passed (the library panics on a graph whose weights are all zero); a
    node without one is a community of its own.
    """
    net = _walked(g) if isinstance(g, Network) else Network.of(g)
    found = _communities(net, seed=seed)
    return {v: found[i] for i, v in enumerate(net.nodes)}


def _communities(net: Network, *, seed: int) -> list[int]:
    """`communities` by node index."""
    from graspologic_native import leiden

    nodes = net.nodes
    # the library names nodes by strings: a node's index
    edges = [(str(i), str(j), float(w)) for i, j, w in zip(net.a.tolist(), net.b.tolist(), net.weight.tolist(),
                                                            strict=True) if w and w > 0]
    found: dict[str, int] = {}
    if edges:
        try:
            _, found = leiden(edges, seed=seed)
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException:  # a panic in the Rust code (a BaseException): networkx's Louvain, slower, instead
            g = nx.Graph()
            g.add_nodes_from(range(len(nodes)))
            g.add_weighted_edges_from(zip(net.a.tolist(), net.b.tolist(), net.weight.tolist(), strict=True))
            parts = nx.community.louvain_communities(g, weight="weight", seed=seed)
            found = {str(i): c for c, part in enumerate(parts) for i in part}
    groups: dict[int, list[int]] = {}
    alone = len(nodes)  # numbers no community of the library's uses
    for i in range(len(nodes)):
        c = found.get(str(i))
        if c is None:
            c, alone = alone, alone + 1
        groups.setdefault(c, []).append(i)
    ranked = sorted(groups.values(), key=lambda members: (-len(members), min(nodes[i] for i in members)))
    number = [0] * len(nodes)
    for c, members in enumerate(ranked):
        for i in members:
            number[i] = c
    return number


def exact_betweenness(g: nx.Graph) -> dict[Any, float]:
    """networkx's normalised, unweighted betweenness, computed by rustworkx (`_exact_betweenness`)."""
    net = Network.of(g)
    scores = _exact_betweenness(len(net.nodes), net.a, net.b)
    return {v: scores[i] for i, v in enumerate(net.nodes)}


def _exact_betweenness(n: int, a: np.ndarray, b: np.ndarray) -> list[float]:
    """Normalised, unweighted betweenness by node index, by rustworkx.

    The same numbers as networkx's (Brandes's algorithm both ways), but in
    Rust: networkx's pure-Python search took most of the page's time.  On one
    thread: rustworkx runs larger graphs on a pool of threads (rayon's), which
    a forked process inherits without its threads and waits on forever, and the
    page is drawn in a forked process (`kg.pipeline.aside`) by a process that may have drawn one before.
    """
    import rustworkx as rx

    r = rx.PyGraph(multigraph=False)
    r.add_nodes_from(range(n))
    r.add_edges_from_no_data([(i, j) for i, j in zip(a.tolist(), b.tolist(), strict=True) if i != j])
    scores = rx.betweenness_centrality(r, normalized=True, parallel_threshold=n + 1)
    return [scores[i] for i in range(n)]


def sampled_betweenness(g: nx.Graph, *, k: int, seed: int = 0) -> dict[Any, float]:
    """networkx's normalised betweenness estimated from ``k`` sources (``betweenness_centrality(g, k=k, seed=seed)``);
    see `_sampled_betweenness`."""
    net = Network.of(g)
    scores = _sampled_betweenness(net.nodes, net.a, net.b, k=k, seed=seed)
    return {v: scores[i] for i, v in enumerate(net.nodes)}


def _sampled_betweenness(nodes: list[Any], a: np.ndarray, b: np.ndarray, *, k: int, seed: int = 0) -> list[float]:
    """Betweenness by node index estimated from ``k`` sources, as networkx estimates it.

    The same sources (networkx draws them with ``random.Random(seed)``) and
    Brandes's sums, but the ``k`` breadth-first searches run side by side, one
    sparse matrix product per level, and so do the dependency sums on the way
    back, several times faster than networkx's pure-Python searches on a large
    corpus.  Path counts are floats, as networkx's
    become in the sums: the numbers agree to rounding.
    """
    import numpy as np
    from scipy import sparse

    n = len(nodes)
    if n < 3:
        return [0.0] * n
    index = {v: i for i, v in enumerate(nodes)}
    keep = a != b
    rows = np.concatenate([a[keep], b[keep]])
    cols = np.concatenate([b[keep], a[keep]])
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
    return [float(x) for x in scores]


def layout(g: nx.Graph | Network, *, seed: int = 0) -> dict[str, tuple[float, float]]:
    """Starting positions in vis-network units (~100 between neighbours); the browser only settles them.

    Up to `SPRING_UP_TO` nodes this is a seeded spring layout of the whole graph (rustworkx's, several
    times faster than networkx's).  Above, interviews are laid out by a spring
    layout of their own (joined to the interviews they share most entities with) and each entity
    starts at the weighted mean of its interviews plus seeded jitter: a start
    that puts topics together, which the browser's Barnes-Hut settles quickly.
    """
    net = _walked(g) if isinstance(g, Network) else Network.of(g)
    nodes = net.nodes
    n = len(nodes)
    if n == 0:
        return {}
    import numpy as np

    scale = 60.0 * math.sqrt(n)
    if n <= SPRING_UP_TO:
        # unweighted: one heavy co-mention must not collapse two nodes onto each other
        spread = _spring(n, [(i, j, 1.0) for i, j in zip(net.a.tolist(), net.b.tolist(), strict=True)], seed=seed)
        return {v: (round(x * scale, 1), round(y * scale, 1)) for v, (x, y) in zip(nodes, spread, strict=True)}
    rng = random.Random(seed)
    interviews = sorted((i for i in range(n) if net.interview[i]), key=nodes.__getitem__)
    row = {i: r for r, i in enumerate(interviews)}
    anchors = _spring(len(interviews), _shared_entities(net, row), seed=seed)
    # each node's interviews, weighted (a weight of 0, a part without mentions, counts as 1)
    is_interview = np.array(net.interview, dtype=bool)
    weight = np.where(net.weight == 0, 1, net.weight).astype(np.float64)
    sum_x, sum_y, total = np.zeros(n), np.zeros(n), np.zeros(n)
    anchor_x = np.zeros(n)
    anchor_y = np.zeros(n)
    for i, r in row.items():
        anchor_x[i], anchor_y[i] = anchors[r]
    for near, far in ((net.a, net.b), (net.b, net.a)):
        to_anchor = is_interview[far] & ~is_interview[near]
        ends, w = near[to_anchor], weight[to_anchor]
        np.add.at(sum_x, ends, anchor_x[far[to_anchor]] * w)
        np.add.at(sum_y, ends, anchor_y[far[to_anchor]] * w)
        np.add.at(total, ends, w)
    out: dict[str, tuple[float, float]] = {}
    for i in sorted(range(n), key=nodes.__getitem__):
        if i in row:
            x, y = anchors[row[i]]
        else:
            x = float(sum_x[i] / total[i]) if total[i] else 0.0
            y = float(sum_y[i] / total[i]) if total[i] else 0.0
            radius, angle = 0.35 * math.sqrt(rng.random()), rng.uniform(0, 2 * math.pi)
            x, y = x + radius * math.cos(angle), y + radius * math.sin(angle)
        out[nodes[i]] = (round(float(x) * scale * 0.8, 1), round(float(y) * scale * 0.8, 1))
    return out


def _spring(n: int, edges: list[tuple[int, int, float]], *, seed: int) -> list[tuple[float, float]]:
    """A seeded, weighted spring layout in [-1, 1] of nodes ``0..n-1`` by rustworkx, several times faster than
    networkx's; self-loops left out."""
    import rustworkx as rx

    if n < 2:
        return [(0.0, 0.0)] * n
    r = rx.PyGraph(multigraph=False)
    r.add_nodes_from(range(n))
    r.add_edges_from([(i, j, float(w)) for i, j, w in edges if i != j])
    pos = rx.spring_layout(r, seed=seed, weight_fn=float)
    return [(float(pos[i][0]), float(pos[i][1])) for i in range(n)]


def _shared_entities(net: Network, row: dict[int, int], *,
                     strongest: int = SHARED_NEIGHBOURS) -> list[tuple[int, int, float]]:
    """(a, b, how many entities interviews a and b share), by their ``row``, for each interview's ``strongest``
    such pairs.

    Counted as a sparse interview x entity incidence matrix times its
    transpose: walking each entity's pairs of interviews in Python took
    minutes on a large corpus, where a handful of entities named in nearly
    every interview make a pair of any two.  Those same entities join every
    interview to every other, and a spring layout of a complete graph takes
    seconds to say nothing: each interview keeps its closest neighbours only.
    """
    import numpy as np
    from scipy import sparse

    n = len(net.nodes)
    is_interview = np.array(net.interview, dtype=bool)
    rank = np.full(n, -1, dtype=np.int64)
    for i, r in row.items():
        rank[i] = r
    rows: list[np.ndarray] = []
    cols: list[np.ndarray] = []
    for near, far in ((net.a, net.b), (net.b, net.a)):
        linked = is_interview[far] & ~is_interview[near]
        rows.append(rank[far[linked]])
        cols.append(near[linked])
    incidence = sparse.csr_matrix((np.ones(sum(len(r) for r in rows), dtype=np.int64),
                                   (np.concatenate(rows), np.concatenate(cols))), shape=(len(row), n))
    incidence.data[:] = 1  # an entity is in an interview once, however many edges say so
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
    return sorted((i, j, float(w)) for (i, j), w in kept.items())
