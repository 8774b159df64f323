"""The graph measures behind the HTML page: kg's betweenness (exact and sampled) must be networkx's, node for node."""

from __future__ import annotations

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.page import network
from kg.page.network import exact_betweenness, layout, measures, sampled_betweenness


def _same(g: nx.Graph) -> None:
    expected = nx.betweenness_centrality(g, normalized=True)
    got = exact_betweenness(g)
    assert set(got) == set(expected)
    for v in g:
        assert got[v] == pytest.approx(expected[v], abs=1e-12), v


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=1, max_value=30).flatmap(
    lambda n: st.tuples(st.just(n), st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=80))))
def test_exact_betweenness_is_networkx_on_random_graphs(case: tuple[int, list[tuple[int, int]]]) -> None:
    n, edges = case
    g = nx.Graph()
    g.add_nodes_from(f"n{i}" for i in range(n))  # string ids, as kg's nodes are
    g.add_edges_from((f"n{a}", f"n{b}") for a, b in edges)
    _same(g)


def test_exact_betweenness_on_a_star_and_a_path() -> None:
    star = nx.star_graph(6)
    assert exact_betweenness(star)[0] == pytest.approx(1.0)  # every path between leaves crosses the hub
    _same(nx.path_graph(7))
    _same(nx.les_miserables_graph())


def test_large_graphs_fall_back_to_the_seeded_estimate(monkeypatch: pytest.MonkeyPatch) -> None:
    g = nx.les_miserables_graph()
    exact = measures(g)
    monkeypatch.setattr(network, "EXACT_BETWEENNESS_BUDGET", 10)
    monkeypatch.setattr(network, "BETWEENNESS_BUDGET", 10 * g.number_of_edges())
    sampled = measures(g)
    again = measures(g)
    assert sampled == again  # seeded: the same page every time
    assert any(sampled[v]["betweenness"] != exact[v]["betweenness"] for v in g)  # 32 sources, not all 77
    top = max(exact, key=lambda v: exact[v]["betweenness"])
    assert top == max(sampled, key=lambda v: sampled[v]["betweenness"])  # the estimate still finds the main bridge


@settings(max_examples=80, deadline=None)
@given(st.integers(min_value=3, max_value=30).flatmap(
    lambda n: st.tuples(st.just(n), st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=90),
                        st.integers(1, n), st.integers(0, 2**16))))
def test_sampled_betweenness_is_networkx_estimate(case: tuple[int, list[tuple[int, int]], int, int]) -> None:
    """The same sources, drawn from the same seed, and the same sums: disconnected parts and self-loops included."""
    n, edges, k, seed = case
    g = nx.Graph()
    g.add_nodes_from(f"n{i}" for i in range(n))
    g.add_edges_from((f"n{a}", f"n{b}") for a, b in edges)
    expected = nx.betweenness_centrality(g, k=k, seed=seed, normalized=True)
    got = sampled_betweenness(g, k=k, seed=seed)
    assert set(got) == set(expected)
    for v in g:
        if expected[v] != expected[v]:  # networkx's NaN for a sampled node when k == 1
            assert got[v] != got[v], v
        else:
            assert got[v] == pytest.approx(expected[v], abs=1e-12), v


def test_sampled_betweenness_on_a_larger_graph() -> None:
    g = nx.relabel_nodes(nx.barabasi_albert_graph(400, 3, seed=5), str)
    expected = nx.betweenness_centrality(g, k=40, seed=3, normalized=True)
    got = sampled_betweenness(g, k=40, seed=3)
    assert max(abs(got[v] - expected[v]) for v in g) < 1e-12
    assert max(got.values()) > 0.01  # a real estimate, not zeros


@settings(max_examples=80, deadline=None)
@given(st.integers(min_value=1, max_value=25).flatmap(
    lambda n: st.tuples(st.just(n), st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1),
                                                       st.sampled_from([0, 1, 2, 7, 0.5])), max_size=70))))
def test_pagerank_is_networkx_s(case: tuple[int, list[tuple[int, int, float]]]) -> None:
    """Weighted, with edges of weight 0, self-loops and nodes without an edge (whose rank spreads over all)."""
    import numpy as np

    n, edges = case
    g = nx.Graph()
    g.add_nodes_from(range(n))
    g.add_weighted_edges_from(edges)
    expected = nx.pagerank(g, weight="weight")
    net = network.Network.of(g)
    got = network.pagerank_of(n, net.a, net.b, net.weight)
    assert got == pytest.approx([expected[v] for v in range(n)], abs=1e-12)
    assert network.pagerank_of(n, net.a, net.b, net.weight, max_iter=0) == [1.0 / n] * n  # unsettled: uniform
    assert network.pagerank_of(0, np.array([], int), np.array([], int), np.array([])) == []


@pytest.mark.parametrize("n", [30, 700])
def test_layout_is_seeded_and_spread(n: int) -> None:
    """Both layouts (whole-graph spring, and interviews first above 500 nodes) give the same start every time."""
    g = nx.Graph()
    for i in range(n // 10):
        g.add_node(f"interview:i{i}", kind="interview")
    for j in range(n - n // 10):
        g.add_node(f"e{j}", kind="entity")
        g.add_edge(f"e{j}", f"interview:i{j % (n // 10)}", weight=1 + j % 3)
        g.add_edge(f"e{j}", f"interview:i{(j * 7) % (n // 10)}", weight=1)
    first, again = layout(g, seed=1), layout(g, seed=1)
    assert first == again and set(first) == set(g)
    assert len(set(first.values())) > 0.9 * n  # nodes start apart, not piled on one point
    assert layout(g, seed=2) != first


def _cliques(sizes: list[int]) -> nx.Graph:
    """Cliques of the given sizes, each joined to the next by one light edge."""
    g = nx.Graph()
    first = []
    for c, size in enumerate(sizes):
        members = [f"c{c}-{i}" for i in range(size)]
        g.add_edges_from(((a, b) for i, a in enumerate(members) for b in members[i + 1:]), weight=3)
        first.append(members[0])
    g.add_edges_from(zip(first, first[1:], strict=False), weight=1)
    return g


def test_communities_find_the_cliques_numbered_by_size() -> None:
    g = _cliques([4, 7, 5])
    g.add_node("alone")
    g.add_edge("x", "y", weight=0)  # zero weight: no tie (the Rust library panics on an all-zero graph)
    found = network.communities(g, seed=3)
    assert set(found) == set(g)
    for c, size in enumerate([4, 7, 5]):
        assert len({found[f"c{c}-{i}"] for i in range(size)}) == 1, f"clique {c} split"
    assert found["c1-0"] == 0 and found["c2-0"] == 1 and found["c0-0"] == 2  # 7, 5, then 4 members
    assert len({found["alone"], found["x"], found["y"], 0, 1, 2}) == 6  # each on its own, after the cliques
    assert network.communities(g, seed=3) == found  # seeded: the same page every build
    assert measures(g, seed=3)["c1-4"]["community"] == 0.0


def test_communities_of_graphs_without_a_weighted_edge() -> None:
    assert network.communities(nx.Graph()) == {}
    g = nx.Graph()
    g.add_edge("a", "b", weight=0)
    g.add_node("c")
    assert sorted(network.communities(g).values()) == [0, 1, 2]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 15), st.integers(0, 15), st.integers(0, 4)), max_size=60))
def test_communities_cover_every_node_with_numbers_by_decreasing_size(edges: list[tuple[int, int, int]]) -> None:
    g = nx.Graph()
    g.add_nodes_from(f"n{i:02d}" for i in range(16))
    g.add_weighted_edges_from((f"n{a:02d}", f"n{b:02d}", w) for a, b, w in edges)
    found = network.communities(g, seed=0)
    assert set(found) == set(g)
    sizes = [list(found.values()).count(c) for c in range(max(found.values()) + 1)]
    assert all(sizes) and sizes == sorted(sizes, reverse=True)
    for a, _b, w in g.edges(data="weight"):
        if w == 0 and g.degree(a, weight="weight") == 0:
            assert list(found.values()).count(found[a]) == 1  # only zero-weight edges: alone


def test_a_panic_in_the_leiden_library_falls_back_to_networkx(monkeypatch: pytest.MonkeyPatch) -> None:
    import graspologic_native

    class Panic(BaseException):  # what pyo3 raises for a Rust panic: not an Exception
        pass

    def panics(*args: object, **kwargs: object) -> None:
        raise Panic("called `Option::unwrap()` on a `None` value")

    monkeypatch.setattr(graspologic_native, "leiden", panics)
    found = network.communities(_cliques([3, 6]), seed=1)
    assert len({found[f"c1-{i}"] for i in range(6)}) == 1 and found["c1-0"] == 0
    assert len({found[f"c0-{i}"] for i in range(3)}) == 1 and found["c0-0"] == 1
    monkeypatch.setattr(graspologic_native, "leiden", lambda *a, **k: (_ for _ in ()).throw(KeyboardInterrupt()))
    with pytest.raises(KeyboardInterrupt):
        network.communities(_cliques([3]))
