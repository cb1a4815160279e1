"""The pages `kg build data/` writes, in headless Chromium with the network blocked."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kg.rdf import load_graph
from tests.test_html import expected_counts
from tests.test_html_browser import (
    CHROMIUM,
    node_point,
    open_page,
    painted_pixels,
    panel_text,
    wait_until,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} not found (CI installs it)"),
]


@pytest.mark.parametrize(("name", "view"), [("graph.html", "full"), ("outlets.html", "outlets")])
def test_sample_pages_offline_match_graph_file_and_draw(
    browser: Any, sample_out: Path, tmp_path: Path, name: str, view: str
) -> None:
    run = open_page(browser, sample_out / name)
    graph = load_graph(sample_out / "graph.ttl")
    nodes, edges = expected_counts(graph, view)
    assert run.page.evaluate("() => window.kgStats") == {"nodes": nodes, "edges": edges}
    assert nodes > 5 and edges > 5
    shot = tmp_path / f"{view}.png"
    run.page.screenshot(path=str(shot))
    assert painted_pixels(run.page) > 2000
    run.assert_clean()
    run.page.close()


def test_click_bloomberg_reads_seed_sentence(browser: Any, sample_out: Path) -> None:
    run = open_page(browser, sample_out / "graph.html")
    page = run.page
    page.mouse.click(*node_point(page, "outlet:bloomberg"))
    wait_until(page, "() => document.querySelector('#kg-panel h3') !== null", 10)
    text = panel_text(page)
    assert "As Bloomberg points out, at the beginning of the coronavirus pandemic" in text
    assert "Rulereporting-verb (source: subject)" in text.replace("\n", "")
    run.assert_clean()
    page.close()


def test_search_dialog_focuses_dialog_ua(browser: Any, sample_out: Path) -> None:
    run = open_page(browser, sample_out / "graph.html")
    page = run.page
    page.click("#kg-search")
    page.keyboard.type("dialog")
    wait_until(page, "() => window.kgNetwork.getSelectedNodes()[0] === 'outlet:dialog-ua'", 10)
    assert page.inner_text("#kg-panel h3") == "dialog.ua"
    run.assert_clean()
    page.close()


def test_hover_edge_shows_evidence_sentence_as_text(browser: Any, sample_out: Path) -> None:
    run = open_page(browser, sample_out / "graph.html")
    page = run.page
    point = page.evaluate(
        """() => {
            const net = window.kgNetwork;
            const edges = net.body.data.edges.get({filter: e => e.to === 'outlet:bloomberg'
                && net.body.data.nodes.get(e.from).label.startsWith('Russian Defense')});
            const e = edges[0];
            const pos = net.getPositions([e.from, e.to]);
            const a = net.canvasToDOM(pos[e.from]), b = net.canvasToDOM(pos[e.to]);
            const r = document.querySelector('#kg-network canvas').getBoundingClientRect();
            for (let t = 0.2; t <= 0.8; t += 0.02) {
                for (let off = -20; off <= 20; off += 1) {
                    const dx = b.x - a.x, dy = b.y - a.y, len = Math.hypot(dx, dy) || 1;
                    const p = {x: a.x + t * dx - off * dy / len, y: a.y + t * dy + off * dx / len};
                    if (net.getNodeAt(p) === undefined && net.getEdgeAt(p) === e.id) {
                        return [p.x + r.left, p.y + r.top];
                    }
                }
            }
            return null;
        }"""
    )
    if point is None:
        pytest.skip("the layout covered the whole edge with nodes")
    page.mouse.move(*point)
    wait_until(page, "() => !document.getElementById('kg-tooltip').hidden", 10)
    tip = page.evaluate("() => document.getElementById('kg-tooltip').textContent")
    assert "As Bloomberg points out" in tip
    run.assert_clean()
    page.close()
