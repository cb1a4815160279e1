"""The named queries shaped for speed (kg/queries) give the rows of their plain forms.

Several named queries are written for Oxigraph's planner or read triples the store
materialises (`kg.store.materialise`): they start from the parameter, read `kg:citedRank`
or `kg:refersTo`. `tests/reference_queries/` holds each one's plain form, as it was before it
was shaped; on the same store, with the same parameters, both must give the same rows in the
same order, on the hand-made graph of test_query, the sample build, and a seeded random
graph with ties, undated articles, aliases, shared name parts and article-to-article
references.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from kg.query import evaluate, get_named_query, prepare
from kg.rdf import write_rdf
from kg.store import load_file
from tests.test_query import query_graph

REFERENCE = Path(__file__).parent / "reference_queries"
SHAPED = sorted(p.stem for p in REFERENCE.glob("*.rq"))

FIRST = ["Anna", "Boris", "Chen", "Dana", "Ewa", "Farid", "Anna Maria"]
LAST = ["Berg", "Novak", "Li", "Kim", "Berg-Novak", "O'Neil"]
PLACES = ["Kyiv", "Minsk", "Pyongyang", "Kyiv Oblast"]
OUTLETS = ["Daily Post", "Post & Courier", "dialog.ua", "Reuters", "BBC News", "The Post"]
DATES = ["2024-05-01", "2024-05-02", "2024-05-02T08:00:00+00:00", "2024-05-03", None]


def random_graph(seed: int) -> nx.MultiDiGraph:
    rng = random.Random(seed)
    g = nx.MultiDiGraph()
    outlets = []
    for i, name in enumerate(OUTLETS):
        node = f"outlet:o{i}"
        attrs: dict[str, Any] = {"type": "outlet", "name": name, "kind": "outlet"}
        if rng.random() < 0.4:
            attrs["aliases"] = (name.upper() + " Online",)
        g.add_node(node, **attrs)
        outlets.append(node)
    people = []
    for i in range(10):
        node = f"person:p{i}"
        attrs = {"type": "person", "name": f"{rng.choice(FIRST)} {rng.choice(LAST)}"}
        if rng.random() < 0.3:
            attrs["aliases"] = (rng.choice(LAST),)
        g.add_node(node, **attrs)
        people.append(node)
    places = [f"place:l{i}" for i in range(len(PLACES))]
    for node, name in zip(places, PLACES, strict=True):
        g.add_node(node, type="place", name=name)
    g.add_node("organization:g0", type="organization", name="Anna Berg Foundation")
    sources = outlets + people + ["organization:g0"]
    articles = [f"article:a{i:02d}" for i in range(30)]
    for aid in articles:
        outlet = rng.choice(outlets)
        attrs = {"type": "article", "name": f"t{aid}", "path": f"{aid}.txt", "outlet": outlet}
        if rng.random() < 0.8:
            attrs["title"] = f"Headline {aid}"
        published = rng.choice(DATES)
        if published:
            attrs["published"] = published
        g.add_node(aid, **attrs)
        g.add_edge(aid, outlet, key="published_by", type="published_by")
    for aid in articles:
        for n in range(rng.randrange(4)):
            source = rng.choice(sources)
            sentence = f"{g.nodes[source]['name']} said {n}."
            extra: dict[str, Any] = {}
            if rng.random() < 0.5:
                extra.update(content=f"thing {n}", content_start=0, content_end=7)
            g.add_edge(aid, source, key=f"cites:{n}", type="cites", kind="said",
                       confidence=0.9, attribution=f"{aid}/attribution/{n}", sentence=sentence,
                       sentence_start=10 * n, sentence_end=10 * n + len(sentence),
                       source_text=g.nodes[source]["name"], source_start=0,
                       source_end=len(g.nodes[source]["name"]), cue="said", cue_start=1,
                       cue_end=2, **extra)
        for entity in rng.sample(people + places + outlets, rng.randrange(4)):
            g.add_edge(aid, entity, key="mentions", type="mentions", count=1,
                       text=g.nodes[entity]["name"])
        if rng.random() < 0.3:
            g.add_edge(aid, rng.choice(articles), key="links_to:0", type="links_to")
        if rng.random() < 0.15:
            g.add_edge(aid, rng.choice(articles), key="cites:9", type="cites")
    return g


def params_for(name: str, graph: nx.MultiDiGraph) -> list[dict[str, str]]:
    """Values that match by part of a name, by alias, by id, nothing, or cannot be an IRI."""
    names = sorted({str(a.get("name")) for _, a in graph.nodes(data=True)
                    if a.get("type") != "article"})
    ids = sorted(n for n, a in graph.nodes(data=True) if a.get("type") != "article")
    words = sorted({w for n in names for w in n.split()})
    odd = ["", "nobody", "a", "POST", "person:", ":p1", "bad id:x y", "a<b:c", "outlet:O1"]
    values = names + ids + words[:12] + odd
    if name == "top-cited":
        return [{}]
    if name == "lag":
        return [{}] + [{"outlet": v} for v in values]
    key = {"mentions": "entity", "first-reported": "entity", "who-quotes": "person",
           "outlet-sources": "outlet"}[name]
    return [{key: v} for v in values]


def rows(store: Any, text: str, params: dict[str, str]) -> tuple[Any, ...]:
    return evaluate(store, prepare(text, params)).rows


def assert_same_rows(graph_file: Path, graph: nx.MultiDiGraph) -> None:
    store = load_file(graph_file)
    compared = 0
    for name in SHAPED:
        shaped = get_named_query(name).text
        plain = (REFERENCE / f"{name}.rq").read_text(encoding="utf-8")
        assert shaped != plain
        for params in params_for(name, graph):
            expected = rows(store, plain, params)
            assert rows(store, shaped, params) == expected, (name, params)
            compared += bool(expected)
    assert compared > 10  # the values found something


def test_reference_queries_cover_the_named_queries() -> None:
    assert SHAPED == ["first-reported", "lag", "mentions", "outlet-sources", "top-cited",
                      "who-quotes"]


def test_same_rows_on_the_hand_made_graph(tmp_path: Path) -> None:
    graph = query_graph()
    graph.add_edge("article:a1", "article:a2", key="links_to:0", type="links_to")
    graph.add_edge("article:a3", "article:a1", key="cites:9", type="cites")
    write_rdf(graph, tmp_path / "graph.ttl")
    assert_same_rows(tmp_path / "graph.ttl", graph)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_same_rows_on_random_graphs(tmp_path: Path, seed: int) -> None:
    graph = random_graph(seed)
    write_rdf(graph, tmp_path / "graph.ttl")
    assert_same_rows(tmp_path / "graph.ttl", graph)


def test_same_rows_on_the_sample_build(sample_out: Path) -> None:
    from kg.rdf import load_graph

    graph = load_graph(sample_out / "graph.ttl")
    assert_same_rows(sample_out / "graph.ttl", graph)
