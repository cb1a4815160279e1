"""Tests for kg.html without a browser: offline page, escaping, determinism, views, writing.

The graph builders here (`sample_graph`, `hostile_graph`, `big_graph`, `expected_counts`) follow
the contract in kg/graph.py's docstring and are reused by tests/test_html_browser.py.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from kg.errors import ConfigError
from kg.html import HtmlStats, render_html, to_pyvis, write_html

ROOT = Path(__file__).resolve().parents[1]

# --- graph builders (the kg/graph.py contract, by hand) --------------------------------------


def add_node(graph: nx.MultiDiGraph, node_id: str, node_type: str, name: str, **attrs: Any) -> None:
    graph.add_node(node_id, type=node_type, name=name, **{k: v for k, v in attrs.items() if v})


def add_article(
    graph: nx.MultiDiGraph,
    article_id: str,
    *,
    title: str,
    url: str | None,
    outlet: str | None,
    published: str | None = "2023-09-13",
    path: str | None = None,
) -> None:
    add_node(
        graph,
        article_id,
        "article",
        title or url or path or article_id,
        title=title,
        url=url,
        published=published,
        path=path or f"{article_id}.txt",
        outlet=outlet,
    )
    if outlet:
        graph.add_edge(article_id, outlet, key="published_by", type="published_by")


def add_cite(
    graph: nx.MultiDiGraph,
    article: str,
    source: str,
    *,
    sentence: str,
    cue: str,
    source_text: str,
    content: str | None = None,
    kind: str = "reported",
    confidence: float = 0.9,
    via: str | None = None,
) -> int:
    n = sum(1 for _, _, k in graph.out_edges(article, keys=True) if str(k).startswith("cites:"))
    attrs: dict[str, Any] = {
        "type": "cites",
        "kind": kind,
        "confidence": confidence,
        "attribution": f"{article}/attribution/{n}",
        "sentence": sentence,
        "sentence_start": 0,
        "sentence_end": len(sentence),
        "source_text": source_text,
        "source_start": max(sentence.find(source_text), 0),
        "source_end": max(sentence.find(source_text), 0) + len(source_text),
        "cue": cue,
        "cue_start": max(sentence.find(cue), 0),
        "cue_end": max(sentence.find(cue), 0) + len(cue),
    }
    if content is not None:
        attrs.update(content=content, content_start=0, content_end=len(content))
    if via:
        attrs["via"] = via
    graph.add_edge(article, source, key=f"cites:{n}", **attrs)
    return n


def add_mention(
    graph: nx.MultiDiGraph, article: str, entity: str, text: str, count: int = 1
) -> None:
    graph.add_edge(article, entity, key="mentions", type="mentions", count=count, text=text)


def derive_outlet_cites(graph: nx.MultiDiGraph) -> None:
    """Add the derived outlet → source cites edges, by graph.py's `_derive` rule."""
    derived: dict[tuple[str, str], set[str]] = {}
    for art, source, attrs in list(graph.edges(data=True)):
        if attrs.get("type") != "cites" or attrs.get("derived"):
            continue
        target = source
        if graph.nodes[source].get("type") == "article":
            target = graph.nodes[source].get("outlet", "")
        if not target:
            continue
        outlet = graph.nodes[art].get("outlet")
        if outlet and outlet != target:
            derived.setdefault((outlet, target), set()).add(art)
        via = attrs.get("via")
        if via and via != target and graph.nodes[via].get("type") == "outlet":
            derived.setdefault((via, target), set()).add(art)
    for (outlet, target), backing in sorted(derived.items()):
        graph.add_edge(
            outlet,
            target,
            key="cites",
            type="cites",
            derived=True,
            articles=tuple(sorted(backing)),
            weight=len(backing),
        )


BLOOMBERG_SENTENCE = (
    "As Bloomberg points out, the talks could give Pyongyang access to Russian space technology."
)


def sample_graph() -> nx.MultiDiGraph:
    """A small graph around the seed Charter97 article."""
    g = nx.MultiDiGraph()
    add_node(
        g,
        "outlet:charter97",
        "outlet",
        "Charter97",
        url="https://charter97.org",
        kind="outlet",
        country="BY",
        aliases=("charter97.org", "Хартия-97"),
    )
    add_node(
        g,
        "outlet:dialog-ua",
        "outlet",
        "dialog.ua",
        url="https://www.dialog.ua",
        kind="outlet",
        country="UA",
        aliases=("Dialog",),
    )
    add_node(
        g,
        "outlet:bloomberg",
        "outlet",
        "Bloomberg",
        url="https://www.bloomberg.com",
        kind="outlet",
        country="US",
    )
    add_node(g, "outlet:reuters", "outlet", "Reuters", kind="wire_agency", country="GB")
    add_node(g, "outlet:flightradar24", "outlet", "Flightradar24", kind="data_service")
    add_node(g, "organization:open-nuclear-network", "organization", "Open Nuclear Network")
    add_node(
        g,
        "person:jevu-shin",
        "person",
        "Jevu Shin",
        affiliation="organization:open-nuclear-network",
    )
    add_node(g, "person:kim-jong-un", "person", "Kim Jong-un", aliases=("Kim Jong Un",))
    add_node(g, "place:pyongyang", "place", "Pyongyang")

    add_article(
        g,
        "article:c97a",
        title="Kim Jong-un arrives in Russia",
        url="https://charter97.org/en/news/2023/9/13/1",
        outlet="outlet:charter97",
    )
    add_article(
        g,
        "article:c97b",
        title="What Pyongyang wants from Moscow",
        url="https://charter97.org/en/news/2023/9/14/2",
        outlet="outlet:charter97",
        published="2023-09-14",
    )
    add_article(
        g,
        "article:dlg1",
        title="Kim's train crossed the border",
        url="https://www.dialog.ua/news/1",
        outlet="outlet:dialog-ua",
    )

    add_cite(
        g,
        "article:c97a",
        "outlet:dialog-ua",
        sentence="dialog.ua reported the train left.",
        cue="reported",
        source_text="dialog.ua",
    )
    add_cite(
        g,
        "article:c97a",
        "outlet:bloomberg",
        sentence=BLOOMBERG_SENTENCE,
        cue="points out",
        source_text="Bloomberg",
        content="the talks could give Pyongyang access to Russian space technology",
        kind="according_to",
    )
    add_cite(
        g,
        "article:c97a",
        "outlet:bloomberg",
        sentence="Bloomberg added that talks went on.",
        cue="added",
        source_text="Bloomberg",
        kind="said",
        confidence=0.8,
    )
    add_cite(
        g,
        "article:c97a",
        "outlet:reuters",
        sentence="dialog.ua reported, citing Reuters, that the train stopped.",
        cue="citing",
        source_text="Reuters",
        kind="citing",
        via="outlet:dialog-ua",
    )
    add_cite(
        g,
        "article:c97a",
        "outlet:flightradar24",
        sentence="According to the Flightradar24 service, the plane landed.",
        cue="According to",
        source_text="Flightradar24",
        kind="according_to",
    )
    add_cite(
        g,
        "article:c97a",
        "person:jevu-shin",
        sentence="Jevu Shin of Open Nuclear Network said the trip matters.",
        cue="said",
        source_text="Jevu Shin",
        kind="said",
    )
    add_cite(
        g,
        "article:c97b",
        "article:dlg1",
        sentence="As our colleagues wrote, Kim is there.",
        cue="wrote",
        source_text="our colleagues",
        kind="hyperlink",
        confidence=0.7,
    )
    add_cite(
        g,
        "article:dlg1",
        "outlet:bloomberg",
        sentence="Bloomberg reported on the summit.",
        cue="reported",
        source_text="Bloomberg",
    )
    add_mention(g, "article:c97a", "person:kim-jong-un", "Kim Jong-un's", count=3)
    add_mention(g, "article:c97a", "place:pyongyang", "Pyongyang")
    add_mention(g, "article:c97b", "place:pyongyang", "Pyongyang")
    g.add_edge(
        "article:c97b",
        "article:dlg1",
        key="links_to:0",
        type="links_to",
        url="https://www.dialog.ua/news/1",
        text="our colleagues",
    )
    g.add_edge(
        "article:c97b",
        "article:dlg1",
        key="links_to:1",
        type="links_to",
        url="https://www.dialog.ua/news/1#more",
        text="wrote",
    )
    derive_outlet_cites(g)
    return g


HOSTILE = [
    "</script><script>window.__pwned=1</script>",
    "<img src=x onerror=window.__pwned=1>",
    '"quoted" \'single\' & <b>bold</b> href="https://evil.example/"',
    "<!-- <script> \u2028 \u2029 -->",
]
JS_URL = "javascript:alert(1)"


def hostile_graph() -> nx.MultiDiGraph:
    """Every text field an attacker controls carries markup, script and quote payloads."""
    g = nx.MultiDiGraph()
    add_node(
        g,
        "outlet:evil",
        "outlet",
        HOSTILE[0],
        url=JS_URL,
        aliases=(HOSTILE[1], HOSTILE[2]),
        kind="outlet",
        country=HOSTILE[3],
    )
    add_node(g, "outlet:src", "outlet", HOSTILE[1], url="https://src.example/")
    add_node(g, "person:p", "person", HOSTILE[2], affiliation="organization:o")
    add_node(g, "organization:o", "organization", HOSTILE[3])
    add_article(
        g,
        "article:a",
        title='Title with href="https://x.example" and </script>',
        url=JS_URL,
        outlet="outlet:evil",
    )
    add_article(
        g, "article:b", title=HOSTILE[1], url="https://ok.example/b?x=<script>", outlet="outlet:src"
    )
    add_cite(
        g,
        "article:a",
        "outlet:src",
        sentence=HOSTILE[0] + " points out " + HOSTILE[1],
        cue="points out",
        source_text=HOSTILE[1],
        content=HOSTILE[2],
    )
    add_cite(
        g,
        "article:a",
        "person:p",
        sentence=HOSTILE[2],
        cue="said",
        source_text=HOSTILE[2],
        kind="said",
    )
    add_cite(
        g,
        "article:b",
        "outlet:evil",
        sentence=HOSTILE[3],
        cue="<cue>",
        source_text=HOSTILE[0],
        via="outlet:src",
    )
    g.add_edge(
        "article:a", "article:b", key="links_to:0", type="links_to", url=JS_URL, text=HOSTILE[1]
    )
    derive_outlet_cites(g)
    return g


def big_graph(n_outlets: int, n_articles: int, n_people: int, seed: int = 1) -> nx.MultiDiGraph:
    """A synthetic graph following the contract: ~2-3 edges per node, skewed citation counts."""
    import random

    rng = random.Random(seed)
    g = nx.MultiDiGraph()
    outlets = [f"outlet:o{i:05d}" for i in range(n_outlets)]
    people = [f"person:p{i:05d}" for i in range(n_people)]
    for i, o in enumerate(outlets):
        add_node(g, o, "outlet", f"Outlet {i}", url=f"https://o{i}.example", kind="outlet")
    for i, p in enumerate(people):
        add_node(g, p, "person", f"Person {i}", aliases=(f"P. {i}",))
    sources = outlets + people
    weights = [1.0 / (r + 1) for r in range(len(sources))]
    for i in range(n_articles):
        art = f"article:a{i:06d}"
        outlet = outlets[i % n_outlets]
        add_article(
            g,
            art,
            title=f"Article {i} about things",
            url=f"https://o{i % n_outlets}.example/{i}",
            outlet=outlet,
        )
        for source in rng.choices(sources, weights=weights, k=rng.choice((1, 1, 2))):
            if source == outlet:
                continue
            add_cite(
                g,
                art,
                source,
                sentence=f"{source} said something in article {i}.",
                cue="said",
                source_text=source,
                kind="said",
            )
    derive_outlet_cites(g)
    return g


def expected_counts(graph: nx.MultiDiGraph, view: str = "full") -> tuple[int, int]:
    """Drawn (nodes, edges) per the drawn-count rule in kg/html.py's docstring (nothing omitted)."""
    if view == "full":
        triples = {
            (u, v, d.get("type"), bool(d.get("derived"))) for u, v, d in graph.edges(data=True)
        }
        return graph.number_of_nodes(), len(triples)
    derived = [(u, v) for u, v, d in graph.edges(data=True) if d.get("derived")]
    members = {n for n, d in graph.nodes(data=True) if d.get("type") == "outlet"}
    members.update(v for _, v in derived)
    members.update(u for u, _ in derived)
    return len(members), len(derived)


# --- page helpers ---------------------------------------------------------------------------


class _Markup(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.attrs: list[tuple[str, str, str | None]] = []
        self.scripts: dict[str, str] = {}
        self.styles: list[str] = []
        self._in: tuple[str, str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            self.attrs.append((tag, name, value))
        if tag in ("script", "style"):
            self._in = (tag, dict(attrs).get("id") or f"{tag}{len(self.scripts)}")
            if tag == "script":
                self.scripts.setdefault(self._in[1], "")

    def handle_endtag(self, tag: str) -> None:
        if self._in and tag == self._in[0]:
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in:
            tag, name = self._in
            if tag == "script":
                self.scripts[name] = self.scripts.get(name, "") + data
            else:
                self.styles.append(data)


def parse(page: str) -> _Markup:
    markup = _Markup()
    markup.feed(page)
    markup.close()
    return markup


def page_data(page: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(parse(page).scripts["kg-data"])
    return data


# --- tests ----------------------------------------------------------------------------------


@pytest.mark.parametrize("view", ["full", "outlets"])
def test_page_is_self_contained(view: str) -> None:
    page = render_html(sample_graph(), view=view)  # type: ignore[arg-type]
    markup = parse(page)
    for tag, name, value in markup.attrs:
        assert not (name in ("src", "href", "action", "poster", "data") and value), (tag, name)
    lowered = page.lower()
    assert "@import" not in lowered
    assert not re.search(r"url\(\s*['\"]?\s*(https?:)?//", lowered)
    assert "sourcemappingurl" not in lowered
    assert "cdn" not in " ".join(re.findall(r"<(?:script|link)[^>]*>", lowered))
    assert "<link" not in lowered
    # five scripts: the data block, graphology, sigma, ForceAtlas2 and the page script
    assert [t for t, name, _ in markup.attrs if t == "script" and name == "id"] == ["script"]
    assert len(markup.scripts) == 5
    assert "default-src 'none'" in page and "worker-src 'none'" in page
    assert "new Sigma(" in page and "JSON.parse" in page


def test_remote_urls_only_as_data() -> None:
    page = render_html(sample_graph())
    data_block = parse(page).scripts["kg-data"]
    outside = page.replace(data_block, "")
    # article and outlet URLs appear only inside the JSON data block
    assert "charter97.org/en/news" in data_block
    assert "charter97.org/en/news" not in outside


def test_hostile_text_is_escaped_in_json_block() -> None:
    page = render_html(hostile_graph())
    markup = parse(page)
    block = markup.scripts["kg-data"]
    for ch in "<>&\u2028\u2029":
        assert ch not in block
    assert page.count("</script>") == 5  # only the five real closing tags
    assert "window.__pwned" not in page.replace(block, "")
    data = json.loads(block)
    names = {n["id"]: n["name"] for n in data["nodes"]}
    assert names["outlet:evil"] == HOSTILE[0]
    assert names["outlet:src"] == HOSTILE[1]
    assert names["person:p"] == HOSTILE[2]
    sentences = [a["sentence"] for a in data["attributions"].values()]
    assert HOSTILE[0] + " points out " + HOSTILE[1] in sentences
    assert not any(name == "onerror" for _, name, _ in markup.attrs)


def test_output_is_deterministic() -> None:
    graph = sample_graph()
    first = render_html(graph)
    assert render_html(graph) == first
    # same graph with nodes and edges inserted in another order
    shuffled = nx.MultiDiGraph()
    shuffled.add_nodes_from(reversed(list(graph.nodes(data=True))))
    shuffled.add_edges_from(reversed(list(graph.edges(keys=True, data=True))))
    assert render_html(shuffled) == first


def test_output_is_deterministic_across_hash_seeds(tmp_path: Path) -> None:
    script = (
        f"import sys, hashlib; sys.path.insert(0, {str(ROOT)!r})\n"
        f"sys.path.insert(0, {str(Path(__file__).parent)!r})\n"
        "from test_html import sample_graph, hostile_graph\n"
        "from kg.html import render_html\n"
        "for g in (sample_graph(), hostile_graph()):\n"
        "    for view in ('full', 'outlets'):\n"
        "        print(hashlib.sha256(render_html(g, view=view).encode()).hexdigest())\n"
    )
    digests = []
    for seed in ("0", "12345"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        out = subprocess.run(
            [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
        )
        digests.append(out.stdout)
    assert digests[0] == digests[1]
    assert len(digests[0].split()) == 4


def test_full_view_counts_follow_the_rule() -> None:
    graph = sample_graph()
    data = page_data(render_html(graph))
    nodes, edges = expected_counts(graph)
    assert (len(data["nodes"]), len(data["edges"])) == (nodes, edges)
    assert data["stats"] == {
        "nodes_drawn": nodes,
        "edges_drawn": edges,
        "nodes_total": nodes,
        "edges_total": edges,
        "omitted_nodes": 0,
        "omitted_edges": 0,
    }
    # two attributions of article:c97a to Bloomberg become one drawn edge with both as evidence
    bloomberg = [
        e
        for e in data["edges"]
        if (e["from"], e["to"], e["type"]) == ("article:c97a", "outlet:bloomberg", "cites")
    ]
    assert len(bloomberg) == 1
    assert bloomberg[0]["evidence"] == ["article:c97a/attribution/1", "article:c97a/attribution/2"]
    links = [e for e in data["edges"] if e["type"] == "links_to"]
    assert len(links) == 1 and len(links[0]["links"]) == 2
    derived = {(e["from"], e["to"]) for e in data["edges"] if e["type"] == "cites_derived"}
    assert ("outlet:charter97", "outlet:bloomberg") in derived
    assert ("outlet:dialog-ua", "outlet:reuters") in derived  # nested attribution (via)
    assert ("outlet:charter97", "outlet:dialog-ua") in derived
    nodes_by_id = {n["id"]: n for n in data["nodes"]}
    assert nodes_by_id["outlet:bloomberg"]["cited"] == 3
    assert nodes_by_id["outlet:bloomberg"]["size"] > nodes_by_id["outlet:reuters"]["size"]
    assert nodes_by_id["outlet:charter97"]["cites"] == 7
    assert nodes_by_id["outlet:charter97"]["publishedArticles"] == ["article:c97a", "article:c97b"]
    assert data["names"]["organization:open-nuclear-network"] == "Open Nuclear Network"


def test_outlets_view_content() -> None:
    graph = sample_graph()
    page = render_html(graph, view="outlets")
    data = page_data(page)
    nodes, edges = expected_counts(graph, "outlets")
    assert (len(data["nodes"]), len(data["edges"])) == (nodes, edges)
    types = {n["type"] for n in data["nodes"]}
    assert "article" not in types and "place" not in types
    assert "person:jevu-shin" in {n["id"] for n in data["nodes"]}
    by_pair = {(e["from"], e["to"]): e for e in data["edges"]}
    assert all(e["type"] == "cites_derived" for e in data["edges"])
    c97_bloomberg = by_pair[("outlet:charter97", "outlet:bloomberg")]
    assert c97_bloomberg["weight"] == 1
    sentences = [data["attributions"][a]["sentence"] for a in c97_bloomberg["evidence"]]
    assert BLOOMBERG_SENTENCE in sentences and len(sentences) == 2
    # via: dialog.ua → Reuters is backed by the Charter97 article's nested attribution
    via = by_pair[("outlet:dialog-ua", "outlet:reuters")]
    assert [data["attributions"][a]["via"] for a in via["evidence"]] == ["outlet:dialog-ua"]
    # article-as-source: Charter97 → dialog.ua backed by c97b citing the dialog.ua article
    c97_dialog = by_pair[("outlet:charter97", "outlet:dialog-ua")]
    assert c97_dialog["articles"] == ["article:c97a", "article:c97b"]
    assert len(c97_dialog["evidence"]) == 2
    # article metadata is carried for the side panel even though articles are not drawn
    assert data["articles"]["article:c97a"]["url"] == "https://charter97.org/en/news/2023/9/13/1"
    assert data["view"] == "outlets"


def test_size_limit_notice() -> None:
    graph = big_graph(n_outlets=20, n_articles=300, n_people=40)
    page = render_html(graph, max_nodes=50)
    data = page_data(page)
    total = graph.number_of_nodes()
    assert len(data["nodes"]) == 50
    notice = f"showing 50 of {total} nodes; {total - 50} omitted (raise --max-nodes to see more)"
    assert data["notice"] == notice
    assert notice in page.replace(parse(page).scripts["kg-data"], "")  # visible in the markup
    drawn = {n["id"] for n in data["nodes"]}
    assert all(e["from"] in drawn and e["to"] in drawn for e in data["edges"])
    # the most-cited source is kept
    cited = {
        n: sum(
            1
            for _, _, d in graph.in_edges(n, data=True)
            if d.get("type") == "cites" and not d.get("derived")
        )
        for n in graph
    }
    top = min(cited, key=lambda n: (-cited[n], n))
    assert top in drawn
    # deterministic selection
    assert render_html(graph, max_nodes=50) == page
    assert "kg-notice" in page and 'id="kg-notice" role="status" hidden' not in page


def test_no_notice_when_everything_fits() -> None:
    page = render_html(sample_graph())
    assert page_data(page)["notice"] == ""
    assert 'id="kg-notice" role="status" hidden' in page


def test_write_html_is_atomic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "graph.html"
    stats = write_html(sample_graph(), out)
    assert isinstance(stats, HtmlStats)
    assert out.read_text("utf-8") == render_html(sample_graph())
    nodes, edges = expected_counts(sample_graph())
    assert stats == HtmlStats(nodes, edges, nodes, edges, 0)
    assert [p.name for p in tmp_path.iterdir()] == ["graph.html"]

    # a failure while writing leaves the old file intact and no temporary file behind
    def boom(*args: Any, **kwargs: Any) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError):
        write_html(hostile_graph(), out)
    assert out.read_text("utf-8") == render_html(sample_graph())
    assert [p.name for p in tmp_path.iterdir()] == ["graph.html"]


def test_write_html_stats_outlets(tmp_path: Path) -> None:
    graph = sample_graph()
    stats = write_html(graph, tmp_path / "o.html", view="outlets", max_nodes=3)
    nodes, edges = expected_counts(graph, "outlets")
    assert stats.nodes_drawn == 3 and stats.nodes_total == nodes
    assert stats.omitted_nodes == nodes - 3 and stats.edges_total == edges
    assert stats.edges_drawn <= edges


@pytest.mark.parametrize("bad", [0, -1, True, 2.5, "10"])
def test_bad_max_nodes(bad: Any) -> None:
    with pytest.raises(ConfigError, match="max-nodes"):
        render_html(sample_graph(), max_nodes=bad)


def test_bad_view() -> None:
    with pytest.raises(ConfigError, match="view"):
        render_html(sample_graph(), view="everything")  # type: ignore[arg-type]


def test_empty_graph_renders() -> None:
    data = page_data(render_html(nx.MultiDiGraph()))
    assert data["nodes"] == [] and data["edges"] == []


VENDORED = {
    "sigma.min.js": ("sigma", "3.0.3"),
    "graphology.umd.min.js": ("graphology", "0.26.0"),
    "forceatlas2.min.js": ("graphology-layout-forceatlas2", "0.10.1"),
}


@pytest.mark.parametrize("name", sorted(VENDORED))
def test_vendored_scripts_licences_and_versions(name: str) -> None:
    vendor = ROOT / "kg" / "templates" / "vendor"
    script = vendor / name
    assert 5_000 < script.stat().st_size < 2_000_000
    stem = name.split(".")[0]
    licence = (vendor / f"{stem}.LICENSE").read_text("utf-8")
    assert "MIT License" in licence or "Permission is hereby granted" in licence
    package, version = VENDORED[name]
    readme = (vendor / "README.md").read_text("utf-8")
    assert f"`{package}`" in readme and version in readme
    text = script.read_text("utf-8")
    assert "</script" not in text.lower() and "<!--" not in text


def test_the_evidence_of_an_attribution_names_its_rule(sample_out: Path) -> None:
    """The evidence panel shows the rule that made each attribution and how it chose the
    source (the page's data carries both; kg.js adds a "Rule" row)."""
    data = page_data((sample_out / "graph.html").read_text(encoding="utf-8"))
    attributions = list(data["attributions"].values())
    assert attributions
    assert all(a.get("rule") and a.get("source_rule") for a in attributions)
    assert any(a["rule"] == "according-to" and a["source_rule"] == "object-of-to"
               for a in attributions)
    script = (Path(__file__).parents[1] / "kg" / "templates" / "kg.js").read_text()
    assert 'addRow(dl, "Rule"' in script


# --- pyvis, for notebooks -------------------------------------------------------------------


def pyvis_texts(net: Any) -> list[str]:
    return [str(n[k]) for n in net.nodes for k in ("label", "title")] + [
        str(e["title"]) for e in net.edges
    ]


def test_to_pyvis_escapes_every_text_it_hands_pyvis() -> None:
    net = to_pyvis(hostile_graph())
    texts = pyvis_texts(net)
    assert len(net.nodes) == hostile_graph().number_of_nodes()
    for text in texts:
        assert "<" not in text and ">" not in text and '"' not in text, text
    assert any("&lt;img src=x onerror=window.__pwned=1&gt;" in t for t in texts)
    # "href" is what makes pyvis's template set tooltips with innerHTML: there, it is inert text
    assert any("href=&quot;https://x.example&quot;" in t for t in texts)


def test_to_pyvis_page_is_offline_and_deterministic() -> None:
    page = to_pyvis(sample_graph()).generate_html(notebook=True)
    for tag, name, value in parse(page).attrs:
        assert not (name in ("src", "href", "action") and value), (tag, name, value)
    assert "cdn.jsdelivr" not in page and "cdnjs" not in page
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    assert to_pyvis(sample_graph()).generate_html(notebook=True) == page


def test_to_pyvis_takes_any_networkx_graph() -> None:
    graph = nx.DiGraph()
    graph.add_edge("A & B", "C", weight=3)
    graph.add_edge("D", "C", weight=1)
    graph.add_node("E")
    net = to_pyvis(graph, max_nodes=3)
    nodes = {n["id"]: n for n in net.nodes}
    assert set(nodes) == {"C", "A & B", "D"}  # the three most cited (then by id)
    assert nodes["A & B"]["label"] == "A &amp; B"
    assert "cited 4 times" in nodes["C"]["title"]
    assert nodes["C"]["size"] > nodes["D"]["size"]
    assert all(abs(n["x"]) <= 1000 and abs(n["y"]) <= 1000 for n in net.nodes)
    assert {(e["from"], e["to"]) for e in net.edges} == {("A & B", "C"), ("D", "C")}
    with pytest.raises(ConfigError, match="height"):
        to_pyvis(graph, height="1px;background:url(x)")


# --- hostile values (issue 14) ---------------------------------------------------------------


def _strict(text: str) -> Any:
    def refuse(name: str) -> None:
        raise ValueError(f"{name} is not JSON")

    return json.loads(text, parse_constant=refuse)  # as the browser's JSON.parse


def test_a_nan_confidence_or_an_impossible_date_still_makes_a_page_that_loads() -> None:
    g = sample_graph()
    for u, v, key, attrs in list(g.edges(keys=True, data=True)):
        if "confidence" in attrs:
            g.edges[u, v, key]["confidence"] = float("nan")
    g.nodes["article:c97b"]["published"] = "2023-13-45"  # no such day
    data = _strict(parse(render_html(g)).scripts["kg-data"])  # NaN would raise here
    assert all("confidence" not in a for a in data["attributions"].values())
    # the date as written is shown, but it is no day the page counts or filters by
    assert "date" not in data["articles"]["article:c97b"]
    assert data["articles"]["article:dlg1"]["date"] == "2023-09-13"


def test_confidence_nan_read_from_a_graph_file_is_no_confidence() -> None:
    from kg.rdf import _float

    assert _float("NaN") is None and _float("INF") is None and _float("-INF") is None
    assert _float("0.85") == 0.85


def long_list_graph(extra: int = 30) -> nx.MultiDiGraph:
    """An outlet ("Wire") cited by `LIST_MAX + extra` articles of another ("Paper"), three of
    them citing it twice: longer than any panel list."""
    from kg.html import LIST_MAX

    g = nx.MultiDiGraph()
    add_node(g, "outlet:wire", "outlet", "Wire")
    add_node(g, "outlet:paper", "outlet", "Paper")
    for i in range(LIST_MAX + extra):
        aid = f"article:{i:04}"
        add_article(g, aid, title=f"Story {i}", url=f"https://paper.example/{i}",
                    outlet="outlet:paper")
        add_cite(g, aid, "outlet:wire", sentence=f"Wire reported fact {i}.", cue="reported",
                 source_text="Wire")
        if i < 3:
            add_cite(g, aid, "outlet:wire", sentence=f"Wire added detail {i}.", cue="added",
                     source_text="Wire")
    derive_outlet_cites(g)
    return g


def test_long_panel_lists_carry_their_first_items_and_their_length() -> None:
    # The page carries the first LIST_MAX citations of a long list (and only their sentences)
    # with the real numbers beside them.
    from kg.html import LIST_MAX

    n = LIST_MAX + 30
    g = long_list_graph(30)
    data = page_data(render_html(g, max_nodes=10_000))
    assert data["listMax"] == LIST_MAX
    wire = next(x for x in data["nodes"] if x["id"] == "outlet:wire")
    assert len(wire["citedIn"]) == LIST_MAX and wire["citedInTotal"] == n + 3
    assert wire["citedArticles"] == n
    paper = next(x for x in data["nodes"] if x["id"] == "outlet:paper")
    assert len(paper["publishedArticles"]) == LIST_MAX and paper["publishedArticlesTotal"] == n
    derived = next(e for e in data["edges"] if e["type"] == "cites_derived")
    assert len(derived["articles"]) == LIST_MAX and derived["articlesTotal"] == n
    outlets = page_data(render_html(g, view="outlets", max_nodes=10_000))
    sentences = {a["sentence"] for a in outlets["attributions"].values()}
    assert "Wire reported fact 0." in sentences
    assert f"Wire reported fact {n - 1}." not in sentences  # past the cap of every list
    # a short list is whole, with no total
    small = page_data(render_html(sample_graph()))
    assert not any(k.endswith("Total") for x in small["nodes"] for k in x)


def test_full_view_draws_at_most_max_edges_citations_first(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Under the edge cap the citations stay and the mentions go (most-mentioned kept first),
    # and the page says how many edges it left out.
    import kg.html

    g = sample_graph()
    full = page_data(render_html(g))
    kinds = [e["type"] for e in full["edges"]]
    n_mentions = kinds.count("mentions")
    assert n_mentions >= 2
    cap = len(kinds) - n_mentions + 1  # room for one mention
    monkeypatch.setattr(kg.html, "MAX_EDGES", cap)
    page = render_html(g)
    data = page_data(page)
    kept = [e["type"] for e in data["edges"]]
    assert len(kept) == cap and kept.count("mentions") == 1
    assert sorted(k for k in kept if k != "mentions") == sorted(
        k for k in kinds if k != "mentions")
    best = max((e for e in full["edges"] if e["type"] == "mentions"),
               key=lambda e: (e.get("count", 1), -ord(e["from"][0])))
    assert any(e["type"] == "mentions" and e.get("count", 1) == best.get("count", 1)
               for e in data["edges"])
    assert data["stats"]["omitted_edges"] == n_mentions - 1
    assert f"{n_mentions - 1} edges between them omitted" in data["notice"]
