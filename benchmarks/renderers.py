"""Which renderer draws a laid-out graph fastest: vis-network (physics off) against sigma.js
(WebGL, with graphology), on the same nodes, edges and positions, in headless Chromium.

    .venv/bin/python benchmarks/renderers.py             # 5k and 20k nodes
    .venv/bin/python benchmarks/renderers.py 20000       # one size

Each renderer gets a minimal page (its script inlined, the same positions from `kg.layout`,
every node labelled, labels drawn the renderer's way) and is timed from navigation to
  drawn         the renderer's first frame drawn (in-page clock, from navigation start)
  paint         two animation frames later: that frame is on screen
  wall          the same seen from outside (includes Playwright's polling)
  click         a real mouse click on the most-connected node until the page's click handler ran
  pan           a drag of the view until the next frame is drawn
vis-network's script is the one the pyvis package ships (kg used it before sigma); sigma and
graphology are the files vendored under kg/templates/vendor/. Figures are for this machine's
software WebGL (SwiftShader, no GPU), which is slower than a desktop browser's.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from importlib import resources
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from html_scale import CHROMIUM, CHROMIUM_ARGS, synthetic_graph  # noqa: E402

from kg.layout import force_layout  # noqa: E402

VIS_PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8">
<style>html,body,#g{margin:0;width:100%;height:100%}</style></head><body><div id="g"></div>
<script type="application/json" id="d">@@DATA@@</script><script>@@LIB@@</script><script>
var d = JSON.parse(document.getElementById("d").textContent);
window.t0 = performance.now();
var nodes = new vis.DataSet(d.nodes.map(function (n) {
  return {id: n.id, x: n.x, y: n.y, label: n.label, size: n.size, shape: "dot"}; }));
var edges = new vis.DataSet(d.edges.map(function (e, i) {
  return {id: i, from: e[0], to: e[1]}; }));
var net = new vis.Network(document.getElementById("g"), {nodes: nodes, edges: edges}, {
  physics: {enabled: false}, layout: {improvedLayout: false},
  interaction: {hideEdgesOnDrag: true, hideEdgesOnZoom: true},
  edges: {smooth: false, arrows: {to: {enabled: true, scaleFactor: 0.5}}},
  nodes: {font: {size: 12}}});
window.frames_ = 0;
net.on("afterDrawing", function () { window.frames_ += 1;
  if (!window.drawn) { window.drawn = performance.now();
    requestAnimationFrame(function () { requestAnimationFrame(function () {
      window.painted = performance.now(); }); }); } });
net.on("click", function (p) { if (p.nodes.length) { window.clicked = performance.now(); } });
window.nodePos = function (id) { return net.canvasToDOM(net.getPosition(id)); };
</script></body></html>"""

SIGMA_PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8">
<style>html,body,#g{margin:0;width:100%;height:100%}</style></head><body><div id="g"></div>
<script type="application/json" id="d">@@DATA@@</script><script>@@GRAPHOLOGY@@</script>
<script>@@LIB@@</script><script>
var d = JSON.parse(document.getElementById("d").textContent);
window.t0 = performance.now();
var g = new graphology.MultiDirectedGraph();
d.nodes.forEach(function (n) { g.addNode(n.id, {x: n.x, y: -n.y, label: n.label,
  size: n.size / 4, color: "#0072b2"}); });
d.edges.forEach(function (e) { g.addEdge(e[0], e[1], {size: 0.5, color: "#c8c8c8"}); });
var r = new Sigma(g, document.getElementById("g"), {renderEdgeLabels: false,
  defaultEdgeType: "arrow", labelRenderedSizeThreshold: 6, hideEdgesOnMove: true});
window.frames_ = 0;
r.on("afterRender", function () { window.frames_ += 1;
  if (!window.drawn) { window.drawn = performance.now();
    requestAnimationFrame(function () { requestAnimationFrame(function () {
      window.painted = performance.now(); }); }); } });
r.on("clickNode", function () { window.clicked = performance.now(); });
window.nodePos = function (id) { return r.graphToViewport(r.getNodeDisplayData(id)); };
r.refresh();
</script></body></html>"""


def _vendor(name: str) -> str:
    return resources.files("kg").joinpath("templates", "vendor", name).read_text("utf-8")


def _vis_script() -> str:
    return (
        resources.files("pyvis")
        .joinpath("lib", "vis-9.1.2", "vis-network.min.js")
        .read_text("utf-8")
    )


def page_data(n_nodes: int) -> tuple[dict[str, Any], str]:
    """Nodes with positions and labels, drawn edges (one per node pair and direction) and the
    most-connected node, for a synthetic graph of `n_nodes`."""
    graph = synthetic_graph(n_nodes)
    pairs = sorted({(str(u), str(v)) for u, v in graph.edges()})
    positions = force_layout(list(graph.nodes), [(u, v, 1.0) for u, v in pairs])
    degree = {str(n): int(graph.degree(n)) for n in graph.nodes}
    nodes = [
        {
            "id": node,
            "x": positions[node][0],
            "y": positions[node][1],
            "label": str(graph.nodes[node].get("name", node)),
            "size": round(8 + 2 * degree[node] ** 0.5, 1),
        }
        for node in sorted(positions)
    ]
    hub = max(sorted(degree), key=lambda x: degree[x])
    return {"nodes": nodes, "edges": pairs}, hub


def time_page(html: str, hub: str) -> dict[str, float]:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "page.html"
        path.write_text(html, encoding="utf-8")
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            start = time.perf_counter()
            page.goto(path.as_uri(), wait_until="load", timeout=300_000)
            while not page.evaluate("() => !!window.painted"):
                time.sleep(0.02)
            wall = time.perf_counter() - start
            # In-page clock: milliseconds since navigation started, to the first drawn frame
            # and to two animation frames later (the frame on screen).
            drawn, painted = page.evaluate("() => [window.drawn, window.painted]")
            page.evaluate(f"() => window.kgFocus = {json.dumps(hub)}")
            xy = page.evaluate("(id) => window.nodePos(id)", hub)
            t = time.perf_counter()
            page.mouse.click(xy["x"], xy["y"])
            while not page.evaluate("() => !!window.clicked"):
                time.sleep(0.01)
            clicked = time.perf_counter() - t
            frames = page.evaluate("() => window.frames_")
            t = time.perf_counter()
            page.mouse.move(700, 450)
            page.mouse.down()
            page.mouse.move(760, 480, steps=3)
            page.mouse.up()
            while page.evaluate("() => window.frames_") <= frames:
                time.sleep(0.01)
            panned = time.perf_counter() - t
            browser.close()
    return {
        "drawn": drawn / 1000,
        "paint": painted / 1000,
        "wall": wall,
        "click": clicked,
        "pan": panned,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[5000, 20000])
    args = parser.parse_args()
    vis = _vis_script()
    sigma = _vendor("sigma.min.js")
    graphology = _vendor("graphology.umd.min.js")
    print(
        f"{'renderer':<22}{'nodes':>7}{'edges':>8}{'drawn s':>9}{'paint s':>9}{'wall s':>8}"
        f"{'click s':>9}{'pan s':>8}"
    )
    for size in args.sizes:
        data, hub = page_data(size)
        blob = json.dumps(data).replace("<", "\\u003c")
        pages = {
            "vis-network 9.1.2": VIS_PAGE.replace("@@DATA@@", blob).replace("@@LIB@@", vis),
            "sigma 3 + graphology": SIGMA_PAGE.replace("@@DATA@@", blob)
            .replace("@@GRAPHOLOGY@@", graphology)
            .replace("@@LIB@@", sigma),
        }
        for name, html in pages.items():
            t = time_page(html, hub)
            print(
                f"{name:<22}{len(data['nodes']):>7}{len(data['edges']):>8}"
                f"{t['drawn']:>9.2f}{t['paint']:>9.2f}{t['wall']:>8.2f}"
                f"{t['click']:>9.2f}{t['pan']:>8.2f}",
                flush=True,
            )


if __name__ == "__main__":
    main()
