"""kg.layout: positions computed at build time, and outlet communities."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

from kg.layout import EXTENT, force_layout, outlet_communities, packed_layout

ROOT = Path(__file__).resolve().parents[1]


def two_cliques() -> tuple[list[str], list[tuple[str, str, float]]]:
    left = [f"a{i}" for i in range(8)]
    right = [f"b{i}" for i in range(8)]
    edges = [(u, v, 1.0) for group in (left, right) for u in group for v in group if u < v]
    edges.append(("a0", "b0", 1.0))
    return left + right + ["lonely"], edges


def _dist(p: tuple[float, float], q: tuple[float, float]) -> float:
    return math.hypot(p[0] - q[0], p[1] - q[1])


def test_layout_places_every_node_within_the_extent() -> None:
    nodes, edges = two_cliques()
    pos = force_layout(nodes, edges)
    assert sorted(pos) == sorted(nodes)
    assert max(abs(c) for xy in pos.values() for c in xy) <= EXTENT
    assert len(set(pos.values())) == len(nodes)  # no two nodes on the same spot


def test_layout_keeps_linked_nodes_closer_than_unlinked_ones() -> None:
    nodes, edges = two_cliques()
    pos = force_layout(nodes, edges)
    inside = [_dist(pos[u], pos[v]) for u, v, _ in edges if u[0] == v[0]]
    across = [_dist(pos[f"a{i}"], pos[f"b{j}"]) for i in range(8) for j in range(8)]
    assert sum(inside) / len(inside) < 0.6 * (sum(across) / len(across))


def test_layout_ignores_input_order_and_is_seeded() -> None:
    nodes, edges = two_cliques()
    first = force_layout(nodes, edges)
    again = force_layout(list(reversed(nodes)), list(reversed(edges)))
    assert first == again
    assert force_layout(nodes, edges, seed=8) != first


def test_fixed_nodes_stay_put() -> None:
    nodes, edges = two_cliques()
    fixed = {"a0": (100.0, 50.0), "b0": (-300.0, 20.0)}
    pos = force_layout(nodes, edges, fixed=fixed)
    assert pos["a0"] == (100.0, 50.0) and pos["b0"] == (-300.0, 20.0)
    # the free members of each clique settle nearer their own pinned member
    assert _dist(pos["a3"], pos["a0"]) < _dist(pos["a3"], pos["b0"])
    assert _dist(pos["b3"], pos["b0"]) < _dist(pos["b3"], pos["a0"])


def test_layout_of_nothing_and_of_one_node() -> None:
    assert force_layout([], []) == {}
    assert force_layout(["x"], [("x", "x", 1.0)]) == {"x": (0.0, 0.0)}


def test_communities_are_numbered_largest_first() -> None:
    _, edges = two_cliques()
    edges = edges + [("c0", "c1", 1.0)]
    found = outlet_communities(edges)
    assert {found[f"a{i}"] for i in range(8)} == {found["a0"]}
    assert {found[f"b{i}"] for i in range(8)} == {found["b0"]}
    assert found["a0"] != found["b0"]
    assert found["c0"] == found["c1"] == 3  # the smallest comes last
    assert {found["a0"], found["b0"]} == {1, 2}
    assert "lonely" not in found  # no edge, no community
    assert outlet_communities(list(reversed(edges))) == found


_SCRIPT = """
import json, sys
sys.path.insert(0, {root!r})
from tests.test_layout import two_cliques
from kg.layout import force_layout, outlet_communities
nodes, edges = two_cliques()
layout = sorted(force_layout(nodes, edges).items())
print(json.dumps([layout, sorted(outlet_communities(edges).items())]))
"""


def test_same_result_whatever_the_hash_seed() -> None:
    outputs = set()
    for hash_seed in ("0", "1", "12345"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        run = subprocess.run(
            [sys.executable, "-c", _SCRIPT.format(root=str(ROOT))],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        outputs.add(run.stdout)
    assert len(outputs) == 1
    assert json.loads(outputs.pop())[1]


def core_and_strays() -> tuple[list[str], list[tuple[str, str, float]]]:
    """A connected core of 40 nodes, five pairs, a star of four, and 60 isolated nodes: the
    shape of a corpus's outlet map (most outlets cite no other outlet of the corpus)."""
    core = [f"c{i:02d}" for i in range(40)]
    edges = [(core[i], core[(i * 7 + 3) % 40], 1.0) for i in range(40)]
    edges += [(core[i], core[i + 1], 2.0) for i in range(39)]
    nodes = list(core)
    for i in range(5):
        nodes += [f"p{i}a", f"p{i}b"]
        edges.append((f"p{i}a", f"p{i}b", 1.0))
    nodes += ["hub", "s1", "s2", "s3"]
    edges += [("s1", "hub", 1.0), ("s2", "hub", 1.0), ("s3", "hub", 1.0)]
    nodes += [f"z{i:02d}" for i in range(60)]
    return nodes, edges


def _box(pos: dict[str, tuple[float, float]], names: list[str]) -> tuple[float, ...]:
    xs = [pos[n][0] for n in names]
    ys = [pos[n][1] for n in names]
    return min(xs), min(ys), max(xs), max(ys)


def test_packed_layout_lets_the_main_component_fill_the_view() -> None:
    nodes, edges = core_and_strays()
    pos = packed_layout(nodes, edges)
    assert sorted(pos) == sorted(nodes)
    assert max(abs(c) for xy in pos.values() for c in xy) <= EXTENT
    assert len(set(pos.values())) == len(nodes)
    core = [n for n in nodes if n.startswith("c")]
    left, top, right, bottom = _box(pos, core)
    # the core spans most of the map (a single force layout squeezes it into the middle of a
    # ring of unconnected nodes: about a third of the width)
    assert right - left > 0.6 * 2 * EXTENT or bottom - top > 0.6 * 2 * EXTENT
    # nothing else is drawn inside the core's box
    for node in nodes:
        if node not in core:
            x, y = pos[node]
            assert not (left < x < right and top < y < bottom), node
    # isolated nodes are packed compactly, on a grid finer than the core's spacing
    strays = [n for n in nodes if n.startswith("z")]
    nearest = [min(_dist(pos[a], pos[b]) for b in strays if b != a) for a in strays]
    assert max(nearest) < 0.1 * (right - left)
    # a pair stays together, a star keeps its hub in the middle
    assert _dist(pos["p0a"], pos["p0b"]) < 0.2 * (right - left)
    ring = [_dist(pos["hub"], pos[s]) for s in ("s1", "s2", "s3")]
    assert max(ring) - min(ring) < 1.0


def test_packed_layout_is_deterministic_and_ranked() -> None:
    nodes, edges = core_and_strays()
    first = packed_layout(nodes, edges)
    assert packed_layout(list(reversed(nodes)), list(reversed(edges))) == first
    # isolated nodes in reading order (shelf by shelf, left to right), the most cited first
    strays = [n for n in nodes if n.startswith("z")]
    ranked = packed_layout(nodes, edges, rank={"z59": 10.0})
    assert min(strays, key=lambda n: (ranked[n][1], ranked[n][0])) == "z59"
    assert min(strays, key=lambda n: (first[n][1], first[n][0])) == "z00"


def test_packed_layout_of_nothing_one_node_and_only_strays() -> None:
    assert packed_layout([], []) == {}
    assert packed_layout(["x"], []) == {"x": (0.0, 0.0)}
    pos = packed_layout([f"n{i}" for i in range(9)], [])
    assert len(set(pos.values())) == 9
    assert max(abs(c) for xy in pos.values() for c in xy) == EXTENT
