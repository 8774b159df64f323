"""The graph measures behind the HTML page: rustworkx's betweenness must be networkx's, node for node."""

from __future__ import annotations

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg import network
from kg.network import exact_betweenness, measures


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
