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
    wait_until(
        page, "() => (window.kgState().focus || {nodes: []}).nodes.includes('outlet:dialog-ua')", 10
    )
    assert page.inner_text("#kg-panel h3") == "dialog.ua"
    run.assert_clean()
    page.close()


def test_hover_edge_shows_evidence_sentence_as_text(browser: Any, sample_out: Path) -> None:
    run = open_page(browser, sample_out / "graph.html")
    page = run.page
    # the edge from the Charter97 article to Bloomberg: hover points along it until sigma
    # reports the edge (nodes and labels may cover parts of it)
    edge = page.evaluate(
        """() => { const g = window.kgRenderer.getGraph();
            return g.inEdges('outlet:bloomberg').find(e =>
                g.getNodeAttribute(g.source(e), 'label').startsWith('Russian Defense')); }"""
    )
    a = page.evaluate("(id) => window.kgNodePoint(window.kgRenderer.getGraph().source(id))", edge)
    b = page.evaluate("(id) => window.kgNodePoint(window.kgRenderer.getGraph().target(id))", edge)
    for step in range(25, 76, 5):
        t = step / 100
        page.mouse.move(a["x"] + t * (b["x"] - a["x"]), a["y"] + t * (b["y"] - a["y"]))
        page.wait_for_timeout(60)
        tip = page.evaluate("() => document.getElementById('kg-tooltip').textContent")
        if "As Bloomberg points out" in tip and page.is_visible("#kg-tooltip"):
            break
    else:
        pytest.skip("nodes covered the whole edge in this layout")
    run.assert_clean()
    page.close()



def test_sample_outlet_map_reads_at_first_sight(browser: Any, sample_out: Path) -> None:
    """The seed chain's outlets carry their names without a click; only outlets are shown."""
    run = open_page(browser, sample_out / "outlets.html")
    page = run.page
    labels = set(page.evaluate("() => window.kgState().labels"))
    assert {"outlet:nk-news", "outlet:bloomberg", "outlet:dialog-ua", "outlet:charter97"} <= labels
    assert page.evaluate("() => window.kgState().colourBy") == "community"
    assert page.locator("#kg-communities li").count() >= 1
    run.assert_clean()
    page.close()
