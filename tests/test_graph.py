"""Graph stage: node and edge shape, derived outlet citations, confidence floor, order."""

from __future__ import annotations

import networkx as nx

from kg.graph import MIN_CONFIDENCE, build_graph
from kg.models import (
    Article,
    Attribution,
    Corpus,
    Entity,
    Mention,
    ResolvedArticle,
    ResolvedAttribution,
    ResolvedMention,
    Span,
)

TEXT = "Experts say the plane landed, dialog.ua reported, citing Bloomberg. Putin was silent."


def _span(text: str) -> Span:
    start = TEXT.index(text)
    return Span(text, start, start + len(text))


def _attribution(source: str, cue: str, kind: str, confidence: float = 0.9,
                 via: str | None = None) -> Attribution:
    return Attribution(
        source=_span(source), source_kind="outlet", cue=_span(cue), content=_span("the plane"),
        kind=kind, confidence=confidence, sentence=_span(TEXT[:67]),
        via=_span(via) if via else None,
    )


def _corpus(extra: tuple[ResolvedAttribution, ...] = ()) -> Corpus:
    article = ResolvedArticle(
        id="article:a1",
        article=Article(path="a.txt", text=TEXT, title="Plane landed", published="2024-05-26"),
        outlet_id="outlet:charter97",
        attributions=(
            ResolvedAttribution(_attribution("dialog.ua", "reported", "reported"),
                                "outlet:dialog-ua"),
            ResolvedAttribution(_attribution("Bloomberg", "citing", "citing", via="dialog.ua"),
                                "outlet:bloomberg", "outlet:dialog-ua"),
            ResolvedAttribution(_attribution("Experts", "say", "said"), None),
            *extra,
        ),
        mentions=(ResolvedMention(Mention(_span("Putin"), "person"), "person:vladimir-putin"),),
        links=(),
    )
    entities = (
        Entity("outlet:charter97", "outlet", "Charter97", kind="outlet"),
        Entity("outlet:dialog-ua", "outlet", "dialog.ua", kind="outlet"),
        Entity("outlet:bloomberg", "outlet", "Bloomberg", kind="wire_agency"),
        Entity("person:vladimir-putin", "person", "Vladimir Putin", aliases=("Putin",)),
        Entity("person:someone", "person", "Someone"),
    )
    return Corpus(articles=(article,), entities=entities)


def test_article_edges_carry_evidence() -> None:
    g = build_graph(_corpus())
    cites = [(v, d) for _, v, d in g.out_edges("article:a1", data=True) if d["type"] == "cites"]
    assert [v for v, _ in cites] == ["outlet:dialog-ua", "outlet:bloomberg"]
    first = cites[0][1]
    assert first["cue"] == "reported" and TEXT[first["cue_start"]:first["cue_end"]] == "reported"
    assert first["sentence"] == TEXT[:67]
    assert cites[1][1]["via"] == "outlet:dialog-ua"
    assert g.has_edge("article:a1", "outlet:charter97", key="published_by")
    assert g.edges["article:a1", "person:vladimir-putin", "mentions"]["count"] == 1


def test_outlet_level_citations_follow_the_text() -> None:
    g = build_graph(_corpus())
    derived = {(u, v): d for u, v, d in g.edges(data=True) if d.get("derived")}
    # The publisher cites both; the nested attribution also backs dialog.ua → Bloomberg.
    assert set(derived) == {
        ("outlet:charter97", "outlet:dialog-ua"),
        ("outlet:charter97", "outlet:bloomberg"),
        ("outlet:dialog-ua", "outlet:bloomberg"),
    }
    assert all(d["articles"] == ("article:a1",) and d["weight"] == 1 for d in derived.values())
    assert nx.has_path(g, "outlet:charter97", "outlet:bloomberg")


def test_unnamed_and_weak_attributions_are_not_citations() -> None:
    weak = ResolvedAttribution(
        _attribution("Experts", "say", "said", confidence=MIN_CONFIDENCE - 0.1), "person:someone"
    )
    g = build_graph(_corpus((weak,)))
    assert "person:someone" not in g
    assert sum(1 for _, _, d in g.edges(data=True) if d["type"] == "cites"
               and not d.get("derived")) == 2


def test_insertion_order_is_sorted() -> None:
    g = build_graph(_corpus())
    entity_nodes = [n for n, d in g.nodes(data=True) if d["type"] != "article"]
    assert entity_nodes == sorted(entity_nodes)
