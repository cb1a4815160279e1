"""kg.html pages in headless Chromium: offline, counts match the graph, clicks, search, escaping.

`open_graph_page(browser, graph, directory)` and `assert_page_matches_graph(...)` take any
graph that follows kg/graph.py's contract, so a test on a real build can reuse them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from kg.html import write_html

try:
    from test_html import (
        BLOOMBERG_SENTENCE,
        HOSTILE,
        JS_URL,
        big_graph,
        expected_counts,
        hostile_graph,
        sample_graph,
    )
except ImportError:  # tests/ imported as a package
    from tests.test_html import (
        BLOOMBERG_SENTENCE,
        HOSTILE,
        JS_URL,
        big_graph,
        expected_counts,
        hostile_graph,
        sample_graph,
    )

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason=f"{CHROMIUM} not found: install Debian's chromium (CI does) to run browser tests",
    ),
]


@dataclass
class PageRun:
    """An opened page and everything it tried to do that a test may want to forbid."""

    page: Any
    path: Path
    blocked: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def assert_clean(self) -> None:
        assert self.blocked == [], f"requests outside file://: {self.blocked}"
        assert self.console_errors == [], f"console errors: {self.console_errors}"
        assert self.dialogs == [], f"dialogs fired: {self.dialogs}"


def wait_until(page: Any, predicate: str, timeout_s: float = 60, arg: Any = None) -> None:
    """Poll a JS predicate in the page. (`page.wait_for_function` evaluates strings with eval,
    which the page's Content-Security-Policy forbids.)"""
    ok = page.evaluate(
        "([arg, timeout]) => new Promise((resolve) => {"
        f" const predicate = {predicate};"
        " const start = performance.now();"
        " const tick = () => {"
        "   if (predicate(arg)) { resolve(true); return; }"
        "   if (performance.now() - start > timeout) { resolve(false); return; }"
        "   setTimeout(tick, 20);"
        " };"
        " tick(); })",
        [arg, timeout_s * 1000],
    )
    assert ok, f"not true within {timeout_s} s: {predicate}"


def open_graph_page(
    browser: Any,
    graph: nx.MultiDiGraph,
    directory: Path,
    *,
    view: str = "full",
    max_nodes: int | None = None,
) -> PageRun:
    """Write `graph` as HTML, open it with the network blocked, and wait for `kgReady`."""
    path = directory / f"graph-{view}.html"
    write_html(graph, path, view=view, max_nodes=max_nodes or max(graph.number_of_nodes(), 1))  # type: ignore[arg-type]
    return open_page(browser, path)


def open_page(browser: Any, path: Path) -> PageRun:
    """Open an HTML file with every request outside file:// blocked and recorded, console
    errors and dialogs recorded, and wait until the page says its layout is stable."""
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    run = PageRun(page=page, path=path)

    def route(r: Any) -> None:
        if r.request.url.startswith("file://"):
            r.continue_()
        else:
            run.blocked.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.on("console", lambda m: run.console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: run.console_errors.append(str(e)))

    def on_dialog(d: Any) -> None:
        run.dialogs.append(d.message)
        d.dismiss()

    page.on("dialog", on_dialog)
    page.goto(path.as_uri())
    wait_until(page, "() => window.kgReady === true", 120)
    return run


def assert_page_matches_graph(
    browser: Any, graph: nx.MultiDiGraph, directory: Path, *, view: str = "full"
) -> PageRun:
    """Open the page for `graph` and check: offline, no errors, drawn counts per the rule."""
    run = open_graph_page(browser, graph, directory, view=view)
    stats = run.page.evaluate("() => window.kgStats")
    nodes, edges = expected_counts(graph, view)
    assert stats == {"nodes": nodes, "edges": edges}
    drawn = run.page.evaluate(
        "() => [window.kgNetwork.body.data.nodes.length, window.kgNetwork.body.data.edges.length]"
    )
    assert drawn == [nodes, edges]
    run.assert_clean()
    return run


def node_point(page: Any, node_id: str) -> tuple[float, float]:
    """Page coordinates of a node's centre."""
    x, y = page.evaluate(
        """(id) => {
            const net = window.kgNetwork;
            const d = net.canvasToDOM(net.getPositions([id])[id]);
            const r = document.querySelector('#kg-network canvas').getBoundingClientRect();
            return [d.x + r.left, d.y + r.top];
        }""",
        node_id,
    )
    return float(x), float(y)


def painted_pixels(page: Any) -> int:
    """Pixels of the graph canvas that something was drawn on (the canvas starts transparent)."""
    count: int = page.evaluate(
        """() => {
            const c = document.querySelector('#kg-network canvas');
            const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
            let n = 0;
            for (let i = 3; i < data.length; i += 4) { if (data[i] > 0) { n++; } }
            return n;
        }"""
    )
    return count


def panel_text(page: Any) -> str:
    text: str = page.evaluate("() => document.getElementById('kg-panel').textContent")
    return text


# --- tests ----------------------------------------------------------------------------------


@pytest.mark.parametrize("view", ["full", "outlets"])
def test_views_offline_counts_and_not_blank(browser: Any, tmp_path: Path, view: str) -> None:
    run = assert_page_matches_graph(browser, sample_graph(), tmp_path, view=view)
    run.page.screenshot(path=str(tmp_path / f"{view}.png"))
    assert (tmp_path / f"{view}.png").stat().st_size > 5000
    assert painted_pixels(run.page) > 2000
    legend = run.page.inner_text("#kg-legend")
    assert "Outlet" in legend and "Person" in legend
    run.page.close()


def test_click_bloomberg_shows_evidence(browser: Any, tmp_path: Path) -> None:
    run = open_graph_page(browser, sample_graph(), tmp_path)
    page = run.page
    page.mouse.click(*node_point(page, "outlet:bloomberg"))
    wait_until(page, "() => document.querySelector('#kg-panel h3') !== null", 10)
    text = panel_text(page)
    assert "Bloomberg" in page.inner_text("#kg-panel h3")
    assert "points out" in text
    assert BLOOMBERG_SENTENCE in text
    assert "3 times in 2 articles" in text
    hrefs = page.eval_on_selector_all("#kg-panel a", "els => els.map(a => a.href)")
    assert "https://charter97.org/en/news/2023/9/13/1" in hrefs
    rels = page.eval_on_selector_all("#kg-panel a", "els => els.map(a => a.rel + '|' + a.target)")
    assert set(rels) == {"noopener noreferrer|_blank"}
    assert page.evaluate("() => window.kgNetwork.getSelectedNodes()") == ["outlet:bloomberg"]
    # clicking empty space clears the panel
    box = page.eval_on_selector(
        "#kg-network",
        "e => { const r = e.getBoundingClientRect(); return [r.left + 3, r.top + 3]; }",
    )
    page.mouse.click(*box)
    wait_until(page, "() => document.querySelector('#kg-panel h3') === null", 10)
    run.assert_clean()
    page.close()


def test_click_edge_shows_each_attribution(browser: Any, tmp_path: Path) -> None:
    run = open_graph_page(browser, sample_graph(), tmp_path)
    page = run.page
    edge_id = page.evaluate(
        """() => window.kgNetwork.body.data.edges.get({filter: e =>
            e.from === 'article:c97a' && e.to === 'outlet:bloomberg'})[0].id"""
    )
    # find a point on the (curved) edge by scanning around the midpoint
    point = page.evaluate(
        """(edgeId) => {
            const net = window.kgNetwork;
            const pos = net.getPositions(['article:c97a', 'outlet:bloomberg']);
            const a = net.canvasToDOM(pos['article:c97a']);
            const b = net.canvasToDOM(pos['outlet:bloomberg']);
            const r = document.querySelector('#kg-network canvas').getBoundingClientRect();
            for (let t = 0.3; t <= 0.7; t += 0.05) {
                for (let off = -25; off <= 25; off += 1) {
                    const dx = b.x - a.x, dy = b.y - a.y, len = Math.hypot(dx, dy) || 1;
                    const p = {x: a.x + t * dx - off * dy / len, y: a.y + t * dy + off * dx / len};
                    if (net.getNodeAt(p) === undefined && net.getEdgeAt(p) === edgeId) {
                        return [p.x + r.left, p.y + r.top];
                    }
                }
            }
            return null;
        }""",
        edge_id,
    )
    if point is None:  # layout put something on top of the whole edge; use the page's hook
        page.evaluate("(id) => window.kgShowEdge(id)", edge_id)
    else:
        page.mouse.click(*point)
    wait_until(page, "() => document.querySelector('#kg-panel h3') !== null", 10)
    text = panel_text(page)
    assert BLOOMBERG_SENTENCE in text
    assert "Bloomberg added that talks went on." in text
    for expected in ("points out", "according_to", "0.90", "0.80", "Attributions2"):
        assert expected in text
    assert "the talks could give Pyongyang access to Russian space technology" in text
    run.assert_clean()
    page.close()


def test_search_focuses_node(browser: Any, tmp_path: Path) -> None:
    run = open_graph_page(browser, sample_graph(), tmp_path)
    page = run.page
    page.click("#kg-search")
    page.keyboard.type("dialog")
    wait_until(page, "() => window.kgNetwork.getSelectedNodes()[0] === 'outlet:dialog-ua'", 10)
    assert page.inner_text("#kg-panel h3") == "dialog.ua"
    assert page.inner_text("#kg-matches").startswith("dialog.ua")
    # by alias, several matches, Enter takes the first (most cited)
    page.fill("#kg-search", "")
    page.keyboard.type("хартия")
    wait_until(page, "() => window.kgNetwork.getSelectedNodes()[0] === 'outlet:charter97'", 10)
    page.fill("#kg-search", "")
    page.keyboard.type("o")
    assert page.locator("#kg-matches li").count() > 1
    page.keyboard.press("Enter")
    wait_until(page, "() => window.kgNetwork.getSelectedNodes()[0] === 'outlet:bloomberg'", 10)
    run.assert_clean()
    page.close()


def test_filters_hide_nodes(browser: Any, tmp_path: Path) -> None:
    graph = sample_graph()
    run = open_graph_page(browser, graph, tmp_path)
    page = run.page
    hidden = "() => window.kgNetwork.body.data.nodes.get({filter: n => n.hidden}).map(n => n.id)"
    page.check("#kg-type-filters input[value=article]")
    page.uncheck("#kg-type-filters input[value=article]")
    articles = sorted(n for n, d in graph.nodes(data=True) if d["type"] == "article")
    assert sorted(page.evaluate(hidden)) == articles
    page.check("#kg-type-filters input[value=article]")
    assert page.evaluate(hidden) == []
    page.fill("#kg-min-cited", "2")
    page.dispatch_event("#kg-min-cited", "input")
    assert page.inner_text("#kg-min-cited-value") == "2"
    still = set(
        page.evaluate(
            "() => window.kgNetwork.body.data.nodes.get({filter: n => !n.hidden}).map(n => n.id)"
        )
    )
    assert still == set(articles) | {"outlet:bloomberg"}
    run.assert_clean()
    page.close()


def test_hostile_graph_is_inert(browser: Any, tmp_path: Path) -> None:
    graph = hostile_graph()
    run = assert_page_matches_graph(browser, graph, tmp_path)
    page = run.page
    texts = []
    for node in sorted(graph.nodes):
        page.evaluate("(id) => window.kgFocus(id)", node)
        texts.append(panel_text(page))
    edge_ids = page.evaluate("() => window.kgNetwork.body.data.edges.getIds()")
    for edge_id in edge_ids:
        page.evaluate("(id) => window.kgShowEdge(id)", edge_id)
        texts.append(panel_text(page))
    page.mouse.click(*node_point(page, "outlet:src"))
    texts.append(panel_text(page))
    page.fill("#kg-search", "<img")
    texts.append(page.inner_text("#kg-matches"))
    page.mouse.move(*node_point(page, "outlet:evil"))
    page.wait_for_timeout(300)
    texts.append(page.evaluate("() => document.getElementById('kg-tooltip').textContent"))
    everything = "\n".join(texts)
    for payload in HOSTILE[:3]:
        assert payload in everything
    assert 'Title with href="https://x.example" and </script>' in everything
    assert JS_URL in everything  # shown as text ...
    hrefs = page.evaluate("() => [...document.querySelectorAll('a')].map(a => a.href)")
    assert all(h.startswith(("http://", "https://")) for h in hrefs)  # ... never as a link
    assert (
        page.evaluate("() => document.querySelectorAll('img, iframe, object, embed').length") == 0
    )
    assert page.evaluate("() => typeof window.__pwned") == "undefined"
    for view in ("outlets",):
        other = open_graph_page(browser, graph, tmp_path, view=view)
        assert other.page.evaluate("() => typeof window.__pwned") == "undefined"
        other.assert_clean()
        other.page.close()
    run.assert_clean()
    page.close()


def test_size_limit_notice_in_browser(browser: Any, tmp_path: Path) -> None:
    graph = big_graph(n_outlets=20, n_articles=300, n_people=40)
    run = open_graph_page(browser, graph, tmp_path, max_nodes=60)
    page = run.page
    assert page.evaluate("() => window.kgStats.nodes") == 60
    notice = page.inner_text("#kg-notice")
    total = graph.number_of_nodes()
    assert (
        notice
        == f"showing 60 of {total} nodes; {total - 60} omitted (raise --max-nodes to see more)"
    )
    assert page.is_visible("#kg-notice")
    assert painted_pixels(page) > 2000
    run.assert_clean()
    page.close()
