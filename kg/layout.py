"""Layout stage: where each node of a page sits, and which outlets form a community.

Both are computed when the page is built, so a page opens already laid out (no physics to wait
for in the browser) and the same input gives the same bytes (seeded, sorted, rounded).

`force_layout` is ForceAtlas2's model (linear attraction along edges, repulsion between every
pair of nodes proportional to the product of their masses (degree + 1) over their distance,
gravity toward the centre) with the all-pairs repulsion computed on a grid by FFT convolution
(the particle-mesh method): mass is spread over a G×G grid (cloud in cell), convolved with the
kernel d/|d|², and read back at each node. That is O(n + E + G² log G) per iteration instead
of networkx `forceatlas2_layout`'s O(n²) time and memory (a dense n×n matrix: 3.2 GB at 20k
nodes). Steps are capped by a temperature that cools
linearly, as in Fruchterman-Reingold, so the result does not depend on a convergence test.

`outlet_communities` runs networkx's seeded Louvain on the undirected outlet → outlet citation
graph (weights = backing articles) and numbers the communities from 1, largest first.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence

import networkx as nx
import numpy as np

SEED = 7
# Coordinates are scaled so the layout spans [-EXTENT, EXTENT] on its longer side, then
# rounded to one decimal: pixel-precise and free of last-bit float noise in the page bytes.
EXTENT = 1000.0


def _iterations(n: int) -> int:
    # The grid makes an iteration cost about the same from 2k to 20k nodes; fewer iterations
    # keep a 20k-node build within seconds and still untangle it.
    return 400 if n <= 1000 else 250 if n <= 5000 else 150


def _grid_size(n: int) -> int:
    # About one cell per node at most, between 32 and 256 cells a side (a power of two).
    g = 32
    while g < 256 and g * g < 2 * n:
        g *= 2
    return g


def _kernel(g: int) -> tuple[np.ndarray, np.ndarray]:
    """The FFTs of the repulsion kernel d/|d|² (in cell units) on a 2g×2g periodic grid, so
    the convolution of a g×g mass grid is free of wrap-around."""
    size = 2 * g
    offsets = np.arange(size, dtype=np.float64)
    offsets[offsets >= g] -= size
    dx, dy = np.meshgrid(offsets, offsets, indexing="ij")
    r2 = dx * dx + dy * dy
    r2[0, 0] = 1.0
    kx = dx / r2
    ky = dy / r2
    kx[0, 0] = ky[0, 0] = 0.0
    return np.fft.rfft2(kx), np.fft.rfft2(ky)


def _cic(pos: np.ndarray, lo: np.ndarray, cell: float) -> tuple[np.ndarray, ...]:
    """Cloud-in-cell weights: each node's four grid corners and their bilinear weights."""
    gx = (pos - lo) / cell - 0.5
    i0 = np.floor(gx).astype(np.int64)
    f = gx - i0
    return i0[:, 0], i0[:, 1], f[:, 0], f[:, 1]


def force_layout(
    nodes: Sequence[str],
    edges: Iterable[tuple[str, str, float]],
    *,
    seed: int = SEED,
    iterations: int | None = None,
    fixed: Mapping[str, tuple[float, float]] | None = None,
) -> dict[str, tuple[float, float]]:
    """Positions for `nodes` (any order; the result depends only on the set of nodes, the
    edges and the seed). Edges are undirected here, weights add up, self-loops and edges to
    unknown nodes are ignored. Nodes in `fixed` keep the given position (then the result is not
    rescaled, so it stays in the fixed nodes' frame)."""
    order = sorted(set(nodes))
    n = len(order)
    if n == 0:
        return {}
    index = {node: i for i, node in enumerate(order)}
    weights: dict[tuple[int, int], float] = {}
    for u, v, w in edges:
        if u == v or u not in index or v not in index:
            continue
        a, b = sorted((index[u], index[v]))
        weights[(a, b)] = weights.get((a, b), 0.0) + float(w)
    pairs = sorted(weights)
    src = np.array([a for a, _ in pairs], dtype=np.int64)
    dst = np.array([b for _, b in pairs], dtype=np.int64)
    wgt = np.array([math.log1p(weights[p]) + 1.0 for p in pairs], dtype=np.float64)
    mass = 1.0 + np.bincount(src, minlength=n) + np.bincount(dst, minlength=n)

    rng = np.random.default_rng(seed)
    side = 3.0 * math.sqrt(n) + 1.0
    pos = rng.uniform(-side / 2, side / 2, size=(n, 2))
    pinned = np.zeros(n, dtype=bool)
    if fixed:
        for node, (x, y) in fixed.items():
            if node in index:
                pos[index[node]] = (x, y)
                pinned[index[node]] = True
        if pinned.any():
            # Free nodes start near the pinned nodes they are tied to (or at the centre).
            anchor = pos[pinned].mean(axis=0)
            spread = max(float(np.ptp(pos[pinned], axis=0).max()), side) / 20
            free = ~pinned
            pos[free] = anchor + rng.uniform(-spread, spread, size=(int(free.sum()), 2))
            for _ in range(2):
                acc = np.zeros((n, 2))
                cnt = np.zeros(n)
                np.add.at(acc, src, pos[dst])
                np.add.at(acc, dst, pos[src])
                np.add.at(cnt, src, 1)
                np.add.at(cnt, dst, 1)
                move = free & (cnt > 0)
                jitter = rng.uniform(-spread / 4, spread / 4, size=(int(move.sum()), 2))
                pos[move] = acc[move] / cnt[move, None] + jitter
    if n == 1:
        return {order[0]: _rounded(pos[0]) if pinned[0] else (0.0, 0.0)}

    steps = iterations if iterations is not None else _iterations(n)
    g = _grid_size(n)
    kfx, kfy = _kernel(g)
    repulsion = 1.0
    gravity = 1.0
    span0 = float(np.ptp(pos, axis=0).max()) or 1.0
    for step in range(steps):
        lo = pos.min(axis=0)
        span = float(np.ptp(pos, axis=0).max()) * 1.02 + 1e-9
        lo = lo - span * 0.01
        cell = span / (g - 2)
        ix, iy, fx, fy = _cic(pos, lo, cell)
        grid = np.zeros((2 * g, 2 * g))
        corners = (
            (0, 0, (1 - fx) * (1 - fy)),
            (1, 0, fx * (1 - fy)),
            (0, 1, (1 - fx) * fy),
            (1, 1, fx * fy),
        )
        for ox, oy, w in corners:
            np.add.at(grid, (ix + ox, iy + oy), mass * w)
        spectrum = np.fft.rfft2(grid)
        field_x = np.fft.irfft2(spectrum * kfx, s=grid.shape)
        field_y = np.fft.irfft2(spectrum * kfy, s=grid.shape)
        force = np.zeros((n, 2))
        for ox, oy, w in corners:
            force[:, 0] += field_x[ix + ox, iy + oy] * w
            force[:, 1] += field_y[ix + ox, iy + oy] * w
        force *= (repulsion / cell) * mass[:, None]
        force += _near_repulsion(pos, mass, ix, iy, g) * repulsion
        if len(pairs):
            delta = pos[dst] - pos[src]
            pull = delta * wgt[:, None]
            np.add.at(force, src, pull)
            np.add.at(force, dst, -pull)
        dist = np.sqrt((pos * pos).sum(axis=1)) + 1e-9
        force -= gravity * (mass / dist)[:, None] * pos
        # Cap each step by a temperature that cools linearly (Fruchterman-Reingold).
        temperature = 0.1 * span0 * (1.0 - step / steps) + 0.002 * span0
        length = np.sqrt((force * force).sum(axis=1)) + 1e-12
        step_len = np.minimum(length / mass, temperature)
        move = force * (step_len / length)[:, None]
        move[pinned] = 0.0
        pos += move

    if pinned.any():
        return {node: _rounded(pos[i]) for i, node in enumerate(order)}
    pos -= np.median(pos, axis=0)
    # Nodes without edges drift far out (gravity is weak against the repulsion of the whole
    # graph); bring stragglers in to just outside the bulk so the map fills the view.
    radius = np.sqrt((pos * pos).sum(axis=1))
    bulk = float(np.quantile(radius, 0.95)) if n >= 20 else float(radius.max())
    limit = 1.15 * bulk + 1e-9
    far = radius > limit
    pos[far] *= (limit / radius[far])[:, None]
    pos -= (pos.max(axis=0) + pos.min(axis=0)) / 2
    scale = EXTENT / (float(np.abs(pos).max()) or 1.0)
    return {node: _rounded(pos[i] * scale) for i, node in enumerate(order)}


# A packed layout measures in pitches (the distance between neighbouring nodes) before the
# final rescale. A component of k nodes gets a box about COMPONENT_SPREAD * sqrt(k) pitches a
# side; isolated nodes sit on a grid of ISOLATED_PITCH; pieces are GAP apart.
COMPONENT_SPREAD = 2.2
ISOLATED_PITCH = 0.6
GAP = 1.0
# Components up to this size are laid out with fewer iterations (they untangle quickly, and a
# corpus may have hundreds of them).
SMALL_COMPONENT = 40


def packed_layout(
    nodes: Sequence[str],
    edges: Iterable[tuple[str, str, float]],
    *,
    rank: Mapping[str, float] | None = None,
    seed: int = SEED,
) -> dict[str, tuple[float, float]]:
    """Positions for `nodes` with each connected component laid out on its own and the
    components packed, so the largest one fills most of the view instead of being squeezed
    by a ring of unconnected nodes (which is where a single force layout pushes them).

    The largest component sits at the top left; the other components, largest first (ties:
    highest `rank`, then smallest id), then the isolated nodes (highest `rank` first) fill
    shelves to its right and, once past its bottom, below it, so the whole is about square.
    Scaled like `force_layout` to [-EXTENT, EXTENT]; depends only on the node set, the edges,
    the ranks and the seed."""
    order = sorted(set(nodes))
    if not order:
        return {}
    ranks = rank or {}
    index = set(order)
    weights: dict[tuple[str, str], float] = {}
    graph = nx.Graph()
    graph.add_nodes_from(order)
    for u, v, w in edges:
        if u == v or u not in index or v not in index:
            continue
        a, b = sorted((u, v))
        weights[(a, b)] = weights.get((a, b), 0.0) + float(w)
        graph.add_edge(a, b)
    components = sorted(
        (sorted(c) for c in nx.connected_components(graph)),
        key=lambda c: (-len(c), -max(ranks.get(x, 0.0) for x in c), c[0]),
    )
    # Each component's own edges, found in one pass (not one pass over every edge for each
    # of what may be hundreds of components); in the order of `weights`, as before.
    where = {node: i for i, c in enumerate(components) for node in c}
    own: list[list[tuple[str, str, float]]] = [[] for _ in components]
    for (a, b), w in weights.items():
        own[where[a]].append((a, b, w))
    pieces = [_piece(c, edges_of, seed) for c, edges_of in zip(components, own, strict=True)]
    placed = _pack(pieces)
    pos = np.array([placed[node] for node in order], dtype=np.float64)
    pos -= (pos.max(axis=0) + pos.min(axis=0)) / 2
    scale = EXTENT / (float(np.abs(pos).max()) or 1.0)
    return {node: _rounded(pos[i] * scale) for i, node in enumerate(order)}


def _piece(
    component: list[str], own: list[tuple[str, str, float]], seed: int
) -> dict[str, tuple[float, float]]:
    """One component (with its `own` edges) laid out in pitch units, its box's top left
    corner at (0, 0)."""
    k = len(component)
    if k == 1:
        return {component[0]: (0.0, 0.0)}
    if k == 2:
        return {component[0]: (0.0, 0.0), component[1]: (1.0, 0.0)}
    hub = _star_hub(component, own)
    if hub is not None:  # one node cited by or citing all the others: a wheel
        leaves = [x for x in component if x != hub]
        radius = max(1.0, len(leaves) / (2 * math.pi) * 1.2)
        raw = {hub: (0.0, 0.0)}
        for i, leaf in enumerate(leaves):
            angle = 2 * math.pi * i / len(leaves) + math.pi / 2
            raw[leaf] = (radius * math.cos(angle), radius * math.sin(angle))
    else:
        steps = min(_iterations(k), 80 + 4 * k) if k <= SMALL_COMPONENT else None
        laid = force_layout(component, own, seed=seed, iterations=steps)
        half = COMPONENT_SPREAD * math.sqrt(k) / 2
        raw = {x: (p[0] / EXTENT * half, p[1] / EXTENT * half) for x, p in laid.items()}
    lo_x = min(p[0] for p in raw.values())
    lo_y = min(p[1] for p in raw.values())
    return {x: (p[0] - lo_x, p[1] - lo_y) for x, p in raw.items()}


def _star_hub(component: list[str], own: list[tuple[str, str, float]]) -> str | None:
    if len(own) != len(component) - 1:
        return None
    degree: dict[str, int] = {}
    for a, b, _ in own:
        degree[a] = degree.get(a, 0) + 1
        degree[b] = degree.get(b, 0) + 1
    hubs = [x for x in component if degree.get(x, 0) == len(component) - 1]
    return hubs[0] if hubs else None


def _pack(pieces: list[dict[str, tuple[float, float]]]) -> dict[str, tuple[float, float]]:
    """Shelf packing: the first piece at the top left, the rest in rows beside it, then
    below it. Boxes are measured in pitches; an isolated node takes ISOLATED_PITCH."""

    def box(piece: dict[str, tuple[float, float]]) -> tuple[float, float]:
        if len(piece) == 1:
            return ISOLATED_PITCH, ISOLATED_PITCH
        return (max(p[0] for p in piece.values()) + GAP, max(p[1] for p in piece.values()) + GAP)

    boxes = [box(p) for p in pieces]
    first_w, first_h = boxes[0]
    area = sum(w * h for w, h in boxes)
    width = max(first_w + max((w for w, _ in boxes[1:]), default=0.0), math.sqrt(area) * 1.05)
    out: dict[str, tuple[float, float]] = {}
    for node, (x, y) in pieces[0].items():
        out[node] = (x, y)
    x = row_start = first_w
    y = 0.0
    row_h = 0.0
    for piece, (w, h) in zip(pieces[1:], boxes[1:], strict=True):
        if x + w > width and x > row_start:  # next shelf
            y += row_h
            row_h = 0.0
            row_start = first_w if y < first_h else 0.0
            x = row_start
        for node, (px, py) in piece.items():
            out[node] = (x + px, y + py)
        x += w
        row_h = max(row_h, h)
    return out


def _near_repulsion(
    pos: np.ndarray, mass: np.ndarray, ix: np.ndarray, iy: np.ndarray, g: int
) -> np.ndarray:
    """Exact repulsion between nodes that share a grid cell, which the grid cannot tell
    apart: nodes sorted by cell, each compared with the next few in that order."""
    n = len(pos)
    cells = ix * (2 * g + 2) + iy
    order = np.argsort(cells, kind="stable")
    force = np.zeros((n, 2))
    for k in range(1, 5):
        a = order[:-k]
        b = order[k:]
        same = cells[a] == cells[b]
        if not same.any():
            break
        a = a[same]
        b = b[same]
        delta = pos[a] - pos[b]
        d2 = (delta * delta).sum(axis=1) + 1e-6
        push = delta * (mass[a] * mass[b] / d2)[:, None]
        np.add.at(force, a, push)
        np.add.at(force, b, -push)
    return force


def _rounded(xy: np.ndarray) -> tuple[float, float]:
    return (round(float(xy[0]), 1) + 0.0, round(float(xy[1]), 1) + 0.0)


def outlet_communities(
    edges: Iterable[tuple[str, str, float]], *, seed: int = SEED
) -> dict[str, int]:
    """Louvain communities of the undirected weighted graph of `edges` (outlet → outlet
    citations), numbered from 1: largest first, ties by their smallest member. Only nodes with
    an edge get a community. Independent of edge order and of the hash seed (Louvain runs on
    integer labels in sorted order)."""
    weights: dict[tuple[str, str], float] = {}
    for u, v, w in edges:
        if u == v:
            continue
        a, b = sorted((u, v))
        weights[(a, b)] = weights.get((a, b), 0.0) + float(w)
    members = sorted({x for pair in weights for x in pair})
    if not members:
        return {}
    index = {node: i for i, node in enumerate(members)}
    graph = nx.Graph()
    graph.add_nodes_from(range(len(members)))
    for (a, b), w in sorted(weights.items()):
        graph.add_edge(index[a], index[b], weight=w)
    found = nx.community.louvain_communities(graph, weight="weight", seed=seed)
    groups = sorted((sorted(members[i] for i in c) for c in found), key=lambda c: (-len(c), c[0]))
    return {node: k for k, group in enumerate(groups, start=1) for node in group}
