"""How the HTML page scales: build synthetic graphs, write the page, time it in headless Chromium.

    .venv/bin/python benchmarks/html_scale.py            # 1k, 5k and 20k nodes
    .venv/bin/python benchmarks/html_scale.py 5000       # just one size

For each size it prints: nodes and edges drawn, file size, seconds to write the file, seconds from
navigation until `window.kgReady` (the page is laid out at build time: sigma's first frame, with
the top labels, is on screen), and seconds from
a real mouse click on the most-cited node until the side panel shows that node. Target: a 5k-node
graph usable within 10 s on a 2-core machine. `max_nodes` is raised so every node is drawn.
"""

from __future__ import annotations

import argparse
import logging
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import networkx as nx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kg.html import write_html  # noqa: E402

log = logging.getLogger("benchmarks.html_scale")
CHROMIUM = "/usr/bin/chromium"
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


def synthetic_graph(n_nodes: int, seed: int = 7) -> nx.MultiDiGraph:
    """A graph following kg/graph.py's contract, about 2-3 edges per node.

    60% articles, 5% outlets, 20% persons, 10% organizations, 5% places. Each article is
    published by one outlet, makes 1-2 attributions to sources drawn with a skewed (Zipf-like)
    popularity, and mentions 0-2 entities; outlet → source cites are derived as graph.py does.
    """
    rng = random.Random(seed)
    g = nx.MultiDiGraph()
    counts = {
        "outlet": max(2, n_nodes * 5 // 100),
        "person": n_nodes * 20 // 100,
        "organization": n_nodes * 10 // 100,
        "place": n_nodes * 5 // 100,
    }
    ids: dict[str, list[str]] = {}
    for node_type, count in counts.items():
        ids[node_type] = [f"{node_type}:{node_type[:3]}{i:06d}" for i in range(count)]
        for i, node_id in enumerate(ids[node_type]):
            attrs: dict[str, Any] = {"type": node_type, "name": f"{node_type.title()} {i}"}
            if node_type == "outlet":
                attrs.update(url=f"https://outlet{i}.example", kind="outlet")
            g.add_node(node_id, **attrs)
    n_articles = n_nodes - sum(counts.values())
    sources = ids["outlet"] + ids["person"] + ids["organization"]
    rng.shuffle(sources)
    weights = [1.0 / (rank + 1) ** 0.8 for rank in range(len(sources))]
    entities = ids["person"] + ids["organization"] + ids["place"]
    derived: dict[tuple[str, str], set[str]] = {}
    for i in range(n_articles):
        art = f"article:a{i:07d}"
        outlet = ids["outlet"][rng.randrange(len(ids["outlet"]))]
        g.add_node(
            art,
            type="article",
            name=f"Article {i}",
            title=f"Article {i}",
            url=f"https://{outlet.split(':')[1]}.example/news/{i}",
            published="2024-01-01",
            path=f"corpus/{i}.txt",
            outlet=outlet,
        )
        g.add_edge(art, outlet, key="published_by", type="published_by")
        n = 0
        for source in rng.choices(sources, weights=weights, k=rng.randint(1, 2)):
            if source == outlet:
                continue
            sentence = f"{g.nodes[source]['name']} said something about item {i}."
            g.add_edge(
                art,
                source,
                key=f"cites:{n}",
                type="cites",
                kind="said",
                confidence=0.9,
                attribution=f"{art}/attribution/{n}",
                sentence=sentence,
                sentence_start=0,
                sentence_end=len(sentence),
                source_text=g.nodes[source]["name"],
                source_start=0,
                source_end=len(g.nodes[source]["name"]),
                cue="said",
                cue_start=0,
                cue_end=4,
            )
            n += 1
            derived.setdefault((outlet, source), set()).add(art)
        for entity in sorted(set(rng.sample(entities, k=rng.randint(0, 2)))):
            g.add_edge(art, entity, key="mentions", type="mentions", count=1, text="x")
    for (outlet, source), backing in sorted(derived.items()):
        g.add_edge(
            outlet,
            source,
            key="cites",
            type="cites",
            derived=True,
            articles=tuple(sorted(backing)),
            weight=len(backing),
        )
    return g


def wait_until(page: Any, predicate: str, timeout_s: float, arg: Any = None) -> None:
    """Poll `predicate` inside the page (the page's CSP forbids the eval that
    `page.wait_for_function` relies on, so poll from a function instead)."""
    ok = page.evaluate(
        "([arg, timeout]) => new Promise((resolve) => {"
        f" const predicate = {predicate};"
        " const start = performance.now();"
        " const tick = () => {"
        "   if (predicate(arg)) { resolve(true); return; }"
        "   if (performance.now() - start > timeout) { resolve(false); return; }"
        "   setTimeout(tick, 10);"
        " };"
        " tick(); })",
        [arg, timeout_s * 1000],
    )
    if not ok:
        raise TimeoutError(f"page: {predicate} not true within {timeout_s} s")


def measure(browser: Any, path: Path, target: str) -> tuple[float, float]:
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.route(
        "**/*",
        lambda route: (
            route.continue_() if route.request.url.startswith("file://") else route.abort()
        ),
    )
    start = time.perf_counter()
    page.goto(path.as_uri(), wait_until="load", timeout=120_000)
    wait_until(page, "() => window.kgReady === true", 300)
    ready = time.perf_counter() - start
    # The page's own clock: navigation start to the first frame on screen (labels included).
    in_page = page.evaluate("() => performance.now()")
    labels = page.evaluate("() => window.kgState().labels.length")
    # Click the most-cited node where sigma draws it; expect the panel to name what is there.
    point = page.evaluate("(id) => window.kgNodePoint(id)", target)
    x, y = point["x"], point["y"]
    name = page.evaluate(
        "(id) => JSON.parse(document.getElementById('kg-data').textContent).nodes"
        ".find(n => n.id === id).name",
        target,
    )
    log.info("ready after %.2f s in page, %d labels drawn", in_page / 1000, labels)
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => r(null)))")
    start = time.perf_counter()
    page.mouse.click(x, y)
    # Answered: the panel names a node. In a dense graph another node may be drawn over the
    # most-cited one at that point; sigma then (rightly) answers with that one.
    wait_until(page, "() => document.querySelector('#kg-panel h3') !== null", 60)
    clicked = time.perf_counter() - start
    shown = page.inner_text("#kg-panel h3")
    if shown != name:
        log.info("the click landed on %r (drawn over %r)", shown, name)
    page.close()
    return ready, clicked


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[1000, 5000, 20000])
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    if not Path(CHROMIUM).exists():
        log.error("%s not found; install Debian's chromium to run this benchmark", CHROMIUM)
        return 1
    from playwright.sync_api import sync_playwright

    rows = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for size in args.sizes:
            graph = synthetic_graph(size)
            path = Path(tmp) / f"graph-{size}.html"
            start = time.perf_counter()
            stats = write_html(graph, path, max_nodes=graph.number_of_nodes())
            written = time.perf_counter() - start
            cited: dict[str, int] = {}
            for _, v, d in graph.edges(data=True):
                if d.get("type") == "cites" and not d.get("derived"):
                    cited[v] = cited.get(v, 0) + 1
            target = min(cited, key=lambda n: (-cited[n], n))
            ready, clicked = measure(browser, path, target)
            rows.append(
                (
                    stats.nodes_drawn,
                    stats.edges_drawn,
                    graph.number_of_edges(),
                    path.stat().st_size / 1e6,
                    written,
                    ready,
                    clicked,
                )
            )
        browser.close()
    header = (
        f"{'nodes':>7} {'edges':>7} {'graph edges':>11} {'MB':>6} {'write s':>8}"
        f" {'ready s':>8} {'click s':>8}"
    )
    lines = [header] + [
        f"{n:>7} {e:>7} {ge:>11} {mb:>6.1f} {w:>8.2f} {r:>8.2f} {c:>8.2f}"
        for n, e, ge, mb, w, r, c in rows
    ]
    sys.stdout.write("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
