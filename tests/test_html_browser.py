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

from kg.html import to_pyvis, write_html

try:
    from test_html import (
        BLOOMBERG_SENTENCE,
        HOSTILE,
        JS_URL,
        big_graph,
        expected_counts,
        hostile_graph,
        long_list_graph,
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
        long_list_graph,
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


def open_page(
    browser: Any, path: Path, ready: str = "() => window.kgReady === true"
) -> PageRun:
    """Open an HTML file with every request outside file:// blocked and recorded, console
    errors and dialogs recorded, and wait until the page says it is ready (`ready`)."""
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
    wait_until(page, ready, 120)
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
        "() => [window.kgRenderer.getGraph().order, window.kgRenderer.getGraph().size]"
    )
    assert drawn == [nodes, edges]
    run.assert_clean()
    return run


def node_point(page: Any, node_id: str) -> tuple[float, float]:
    """Page coordinates of a node's centre (where sigma draws it)."""
    point = page.evaluate("(id) => window.kgNodePoint(id)", node_id)
    assert point is not None, f"{node_id} is not drawn"
    return float(point["x"]), float(point["y"])


def shown_nodes(page: Any) -> set[str]:
    """The nodes sigma draws now (not hidden by a filter)."""
    return set(
        page.evaluate(
            """() => window.kgRenderer.getGraph().nodes().filter(
                n => !window.kgRenderer.getNodeDisplayData(n).hidden)"""
        )
    )


def shown_edges(page: Any) -> set[str]:
    return set(
        page.evaluate(
            """() => window.kgRenderer.getGraph().edges().filter(e => {
                const d = window.kgRenderer.getEdgeDisplayData(e); return d && !d.hidden; })"""
        )
    )


def selected(page: Any) -> list[str]:
    state = page.evaluate("() => window.kgState().focus")
    return state["nodes"] if state else []


def painted_pixels(page: Any) -> int:
    """Pixels of the current view (as the PNG export composes it) that are not white."""
    count: int = page.evaluate(
        """() => new Promise((resolve) => {
            const img = new Image();
            img.onload = () => {
                const c = document.createElement('canvas');
                c.width = img.width; c.height = img.height;
                const ctx = c.getContext('2d');
                ctx.drawImage(img, 0, 0);
                const data = ctx.getImageData(0, 0, c.width, c.height).data;
                let n = 0;
                for (let i = 0; i < data.length; i += 4) {
                    if (data[i] < 240 || data[i + 1] < 240 || data[i + 2] < 240) { n++; }
                }
                resolve(n);
            };
            img.src = window.kgSnapshot();
        })"""
    )
    return count


def empty_point(page: Any) -> tuple[float, float]:
    """A point of the graph area farthest from every drawn node."""
    x, y = page.evaluate(
        """() => {
            const r = document.getElementById('kg-network').getBoundingClientRect();
            const pts = window.kgRenderer.getGraph().nodes().map(n => window.kgNodePoint(n))
                .filter(p => p);
            let best = [r.left + 5, r.top + 5], bestD = -1;
            for (let x = r.left + 10; x < r.right - 10; x += 20) {
                for (let y = r.top + 10; y < r.bottom - 10; y += 20) {
                    const d = Math.min(...pts.map(p => Math.hypot(p.x - x, p.y - y)));
                    if (d > bestD) { bestD = d; best = [x, y]; }
                }
            }
            return best;
        }"""
    )
    return float(x), float(y)


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
    legend = run.page.inner_text("#kg-colour")
    assert "Outlet" in legend and ("Person" in legend or view == "outlets")
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
    assert "outlet:bloomberg" in selected(page)
    # clicking empty space clears the panel
    page.mouse.click(*empty_point(page))
    wait_until(page, "() => document.querySelector('#kg-panel h3') === null", 10)
    run.assert_clean()
    page.close()


def test_click_edge_shows_each_attribution(browser: Any, tmp_path: Path) -> None:
    run = open_graph_page(browser, sample_graph(), tmp_path)
    page = run.page
    edge_id = page.evaluate(
        """() => window.kgRenderer.getGraph().edges('article:c97a', 'outlet:bloomberg')[0]"""
    )
    # click the edge a little off its midpoint (away from any node), else use the page's hook
    point = page.evaluate("(id) => window.kgEdgePoint(id)", edge_id)
    page.mouse.click(point["x"], point["y"])
    if page.evaluate("() => document.querySelector('#kg-panel h3') === null"):
        page.evaluate("(id) => window.kgShowEdge(id)", edge_id)
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
    wait_until(
        page, "() => (window.kgState().focus || {nodes: []}).nodes.includes('outlet:dialog-ua')", 10
    )
    assert page.inner_text("#kg-panel h3") == "dialog.ua"
    assert page.inner_text("#kg-matches").startswith("dialog.ua")
    # by alias, several matches, Enter takes the first (most cited)
    page.fill("#kg-search", "")
    page.keyboard.type("хартия")
    wait_until(page, "() => document.querySelector('#kg-panel h3').textContent === 'Charter97'", 10)
    page.fill("#kg-search", "")
    page.keyboard.type("o")
    assert page.locator("#kg-matches li").count() > 1
    page.keyboard.press("Enter")
    wait_until(page, "() => document.querySelector('#kg-panel h3').textContent === 'Bloomberg'", 10)
    run.assert_clean()
    page.close()


def test_filters_hide_nodes(browser: Any, tmp_path: Path) -> None:
    graph = sample_graph()
    run = open_graph_page(browser, graph, tmp_path)
    page = run.page
    everything = set(graph.nodes)
    assert shown_nodes(page) == everything
    page.uncheck("#kg-type-filters input[value=article]")
    articles = {n for n, d in graph.nodes(data=True) if d["type"] == "article"}
    assert shown_nodes(page) == everything - articles
    # no drawn edge is left hanging on a hidden node
    ends = page.evaluate(
        """() => { const g = window.kgRenderer.getGraph(); return g.edges().filter(e =>
            !window.kgRenderer.getEdgeDisplayData(e).hidden)
            .map(e => [g.source(e), g.target(e)]); }"""
    )
    assert all(a not in articles and b not in articles for a, b in ends)
    page.check("#kg-type-filters input[value=article]")
    assert shown_nodes(page) == everything
    page.fill("#kg-min-cited", "2")
    page.dispatch_event("#kg-min-cited", "input")
    assert page.inner_text("#kg-min-cited-value") == "2"
    assert shown_nodes(page) == articles | {"outlet:bloomberg"}
    # kind and country: untick a value, its nodes go
    page.click("#kg-reset")
    page.click("#kg-value-filters summary >> text=Outlet kind")
    page.uncheck("#kg-value-filters label:has-text('wire agency') input")
    assert "outlet:reuters" not in shown_nodes(page)
    assert page.evaluate("() => window.kgState().nodesShown") == len(everything) - 1
    # re-lay out what is shown: positions of the shown nodes change, nothing errs
    before = page.evaluate("(id) => window.kgNodePoint(id)", "outlet:bloomberg")
    page.click("#kg-relayout")
    after = page.evaluate("(id) => window.kgNodePoint(id)", "outlet:bloomberg")
    assert before != after
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
    edge_ids = page.evaluate("() => window.kgRenderer.getGraph().edges()")
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


# --- the investigation view -----------------------------------------------------------------


def assert_labels_apart(page: Any) -> None:
    """No label drawn on the canvas covers another."""
    state = page.evaluate("() => window.kgState()")
    boxes = state["labelBoxes"]
    assert len(boxes) == len(state["labels"])
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            apart = (
                a["right"] <= b["left"]
                or b["right"] <= a["left"]
                or a["bottom"] <= b["top"]
                or b["bottom"] <= a["top"]
            )
            assert apart, (a, b)


def dated_graph() -> nx.MultiDiGraph:
    """The sample graph with its three articles on three different days."""
    graph = sample_graph()
    days = iter(("2023-09-12", "2023-09-13", "2023-09-20"))
    for node in sorted(n for n, d in graph.nodes(data=True) if d["type"] == "article"):
        graph.nodes[node]["published"] = next(days)
    return graph


def test_top_outlets_are_labelled_without_clicking(browser: Any, tmp_path: Path) -> None:
    graph = big_graph(n_outlets=30, n_articles=400, n_people=60)
    for i, node in enumerate(sorted(n for n, d in graph.nodes(data=True) if d["type"] == "outlet")):
        graph.nodes[node]["state_control"] = ("SC", "IP", "CaPr")[i % 3]
    run = open_graph_page(browser, graph, tmp_path, view="outlets")
    page = run.page
    data = page.evaluate("() => JSON.parse(document.getElementById('kg-data').textContent)")
    top = [n["id"] for n in data["nodes"] if n.get("top")]
    assert top, "no node marked as always labelled"
    labels = set(page.evaluate("() => window.kgState().labels"))
    assert set(top) <= labels  # drawn on the canvas in the first frame, nobody clicked
    assert_labels_apart(page)
    # zoomed far out, the labels that would cover others are left out, the most cited stays
    page.evaluate(
        """() => new Promise((resolve) => {
            window.kgRenderer.getCamera().setState({ ratio: 4 });
            window.kgRenderer.refresh();
            requestAnimationFrame(() => resolve(null)); })"""
    )
    crowded = page.evaluate("() => window.kgState().labels")
    assert 0 < len(crowded) < len(labels)
    tops = [n for n in data["nodes"] if n.get("top")]
    most_cited = min(tops, key=lambda n: (-n["cited"], n["id"]))
    assert most_cited["id"] in crowded
    assert_labels_apart(page)
    page.evaluate("() => { window.kgRenderer.getCamera().setState({ ratio: 1 }); }")
    # the map opens on outlets: people are behind the toggle
    assert {n for n in shown_nodes(page)} == {
        n["id"] for n in data["nodes"] if n["type"] == "outlet"
    }
    page.check("#kg-type-filters input[value=person]")
    assert any(n.startswith("person:") for n in shown_nodes(page))
    # colour by state control is offered, with a legend of its values
    page.select_option("#kg-colour-by", "state_control")
    legend = page.inner_text("#kg-legend-colours")
    assert "SC (state-controlled)" in legend and "IP (independent public)" in legend
    colours = page.evaluate(
        """() => { const g = window.kgRenderer.getGraph(); return [...new Set(g.nodes()
            .filter(n => n.startsWith('outlet:')).map(n => g.getNodeAttribute(n, 'color')))]; }"""
    )
    assert len(colours) == 3
    run.assert_clean()
    page.close()


def test_many_edges_drawn_thin_and_a_focused_node_s_edges_as_arrows(
    browser: Any, tmp_path: Path
) -> None:
    """Past 5,000 edges the page draws edges as thin lines (what keeps each frame fast without
    a GPU); a clicked node's edges are drawn as arrows, so their direction shows, and the
    others wait until the focus is let go."""
    graph = big_graph(n_outlets=40, n_articles=2600, n_people=300)
    run = open_graph_page(browser, graph, tmp_path)
    page = run.page
    assert page.evaluate("() => window.kgRenderer.getGraph().size") > 5000
    types = """() => { const r = window.kgRenderer; const seen = {};
        r.getGraph().forEachEdge(e => { const d = r.getEdgeDisplayData(e);
            if (d && !d.hidden) { seen[d.type] = (seen[d.type] || 0) + 1; } });
        return seen; }"""
    assert set(page.evaluate(types)) == {"thin"}
    page.mouse.click(*node_point(page, "person:p00000"))
    wait_until(page, "() => document.querySelector('#kg-panel h3') !== null")
    assert page.inner_text("#kg-panel h3") == "Person 0"
    seen = page.evaluate(types)
    degree = page.evaluate("() => window.kgRenderer.getGraph().edges('person:p00000').length")
    assert seen == {"arrow": degree} and degree > 0  # the other edges wait outside the focus
    page.mouse.click(*empty_point(page))  # a click on the background: every edge again
    wait_until(page, "() => document.querySelector('#kg-panel h3') === null")
    assert set(page.evaluate(types)) == {"thin"}
    assert sum(page.evaluate(types).values()) == page.evaluate(
        "() => window.kgRenderer.getGraph().size")
    run.assert_clean()
    page.close()


def test_date_range_hides_articles_and_their_edges(browser: Any, tmp_path: Path) -> None:
    graph = dated_graph()
    run = open_graph_page(browser, graph, tmp_path)
    page = run.page
    before_nodes, before_edges = shown_nodes(page), shown_edges(page)
    late = [n for n, d in graph.nodes(data=True) if d.get("published") == "2023-09-20"]
    page.fill("#kg-date-to", "1")  # up to the second of the three days
    page.dispatch_event("#kg-date-to", "input")
    assert page.inner_text("#kg-date-to-value") == "2023-09-13"
    after_nodes, after_edges = shown_nodes(page), shown_edges(page)
    assert set(late) <= before_nodes and not set(late) & after_nodes  # hidden, not faded
    assert after_edges < before_edges
    edges = page.evaluate(
        "() => JSON.parse(document.getElementById('kg-data').textContent).edges"
    )
    gone = {e["id"] for e in edges if e["from"] in late}
    assert gone and not gone & after_edges
    page.click("#kg-reset")
    assert shown_nodes(page) == before_nodes
    run.assert_clean()
    page.close()


def test_picking_two_nodes_shows_the_citation_path_with_evidence(
    browser: Any, tmp_path: Path
) -> None:
    run = open_graph_page(browser, sample_graph(), tmp_path, view="outlets")
    page = run.page
    page.mouse.click(*node_point(page, "outlet:charter97"))
    page.click("#kg-panel >> text=Paths from here")
    assert page.is_visible("#kg-pathbar")
    page.mouse.click(*node_point(page, "outlet:bloomberg"))
    wait_until(page, "() => document.querySelector('#kg-panel .kg-path') !== null", 10)
    text = panel_text(page)
    assert "Charter97 → dialog.ua → Bloomberg" in text or "Charter97 → Bloomberg" in text
    assert BLOOMBERG_SENTENCE in text  # each hop shows its evidence sentence
    focus = page.evaluate("() => window.kgState().focus")
    assert {"outlet:charter97", "outlet:bloomberg"} <= set(focus["nodes"])
    assert focus["edges"]
    found = page.evaluate("() => window.kgPaths('outlet:charter97', 'outlet:flightradar24')")
    hops = [[h["from"], h["to"]] for h in found["forward"][0]]
    assert hops[0][0] == "outlet:charter97" and hops[-1][1] == "outlet:flightradar24"
    run.assert_clean()
    page.close()


@pytest.mark.parametrize("kind", ["png", "svg"])
def test_export_of_the_current_view_is_not_blank(
    browser: Any, tmp_path: Path, kind: str
) -> None:
    run = open_graph_page(browser, sample_graph(), tmp_path)
    page = run.page
    with page.expect_download() as info:
        page.click(f"#kg-export-{kind}")
    target = tmp_path / f"view.{kind}"
    info.value.save_as(target)
    body = target.read_bytes()
    if kind == "png":
        assert body.startswith(b"\x89PNG\r\n\x1a\n") and len(body) > 5000
        assert painted_pixels(page) > 2000
    else:
        import xml.etree.ElementTree as ET

        root = ET.fromstring(body)
        ns = "{http://www.w3.org/2000/svg}"
        assert len(root.findall(f".//{ns}circle")) == len(sample_graph().nodes)
        assert len(root.findall(f".//{ns}line")) > 5
        assert any(t.text == "Bloomberg" for t in root.iter(f"{ns}text"))
    run.assert_clean()
    page.close()


def test_pyvis_page_offline_with_hostile_text_inert(browser: Any, tmp_path: Path) -> None:
    """kg.html.to_pyvis for a notebook: the page pyvis writes with kg's template loads nothing,
    and a tooltip shows hostile text as text."""
    path = tmp_path / "pyvis.html"
    path.write_text(to_pyvis(hostile_graph()).generate_html(notebook=True), encoding="utf-8")
    run = open_page(browser, path, ready="() => !!window.kgNetwork")
    page = run.page
    title = page.evaluate(
        "() => { const t = window.kgNetwork.body.data.nodes.get('outlet:src').title;"
        " return [t.textContent, t.children.length]; }"
    )
    assert title[0].startswith(HOSTILE[1]) and title[1] == 0
    point = page.evaluate(
        """() => { const net = window.kgNetwork;
            const p = net.canvasToDOM(net.getPositions(['outlet:src'])['outlet:src']);
            const r = document.getElementById('mynetwork').getBoundingClientRect();
            return [p.x + r.left, p.y + r.top]; }"""
    )
    page.mouse.move(point[0], point[1])
    wait_until(page, "() => !!document.querySelector('.vis-tooltip .kg-tip')", 10)
    tooltip = page.evaluate(
        "() => { const t = document.querySelector('.vis-tooltip');"
        " return [t.textContent, t.querySelectorAll('img, script, b').length]; }"
    )
    assert HOSTILE[1] in tooltip[0] and tooltip[1] == 0
    assert page.evaluate("() => window.__pwned") is None
    run.assert_clean()
    page.close()


def test_a_long_list_says_how_many_it_leaves_out(browser: Any, tmp_path: Path) -> None:
    # The page holds the first LIST_MAX citations of "Wire"; the panel still gives the real
    # numbers (233 citations in 230 articles) and says how many articles it does not list.
    run = open_graph_page(browser, long_list_graph(30), tmp_path, view="outlets")
    page = run.page
    page.click("#kg-search")
    page.keyboard.type("Wire")
    wait_until(page, "() => (document.querySelector('#kg-panel h3') || {}).textContent === 'Wire'",
               10)
    text = panel_text(page)
    assert "233 times in 230 articles" in text
    assert "Cited in (230 articles)" in text
    assert "… and 33 more" in text
    run.assert_clean()
    page.close()
