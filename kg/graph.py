"""Graph stage: resolved records → `networkx.MultiDiGraph`.

The graph is the hub the exporters read (rdf, html) and it is what `rdf.load_graph` rebuilds from
a Turtle file, so its shape is a contract:

Nodes (id → attributes; attributes that would be empty are left out):
  every node   type (one of models.NODE_TYPES), name
  article      title, url, published, path, outlet (node id), based_on (node id of the wire
               agency a story comes from: "(AP) —" datelines, wire bylines)
  outlet       url, kind, country, aliases (tuple), languages (tuple of ISO 639-1 codes),
               state_control (State Media Matrix code: SC, CaPu, CaPr, ISFM, ISF, ISM, IP),
               labels (tuple of (name, source, date) list memberships: never verdicts),
               provenance (tuple: where the registry entry comes from),
               community (int, when it cites or is cited by another outlet)
  person/org…  aliases (tuple), affiliation (node id, persons)

Edges (u, v, key → attributes; `type` is also the start of the key):
  published_by  article → outlet                      key "published_by"
  cites         article → source, one per attribution key "cites:<n>"
                  kind, confidence, attribution (id "<article id>/attribution/<n>"),
                  sentence, sentence_start, sentence_end, source_text, source_start, source_end,
                  cue, cue_start, cue_end, [content, content_start, content_end], [via (node id)]
  cites         outlet → source, derived              key "cites"
                  derived=True, articles (tuple of article ids that back it), weight
  mentions      article → entity                      key "mentions"   count, text
  links_to      article → article                     key "links_to:<n>"  url, text
  copy_of       article → article (same text, other outlet) key "copy_of"

Nodes and edges are inserted in sorted order so that every exporter is deterministic.
`build_graph` makes the whole graph at once; `kg build` uses the same pieces (`article_edges`,
`Derived`, `entity_attrs`, `article_attrs`) one article at a time (see `kg.pipeline`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from kg import layout
from kg.models import DEFAULT_MIN_CONFIDENCE, Corpus, Entity, ResolvedArticle

# The default threshold of a citation edge (`kg build --min-confidence`); resolve marks each
# attribution that reaches the build's threshold (`ResolvedAttribution.edge`), and only those
# become edges here.
MIN_CONFIDENCE = DEFAULT_MIN_CONFIDENCE


def attribution_id(article_id: str, n: int) -> str:
    return f"{article_id}/attribution/{n}"


def build_graph(corpus: Corpus) -> nx.MultiDiGraph:
    """Turn a resolved corpus into the graph described in the module docstring."""
    graph = nx.MultiDiGraph()
    entities = {e.id: e for e in corpus.entities}
    articles = sorted(corpus.articles, key=lambda a: a.id)
    used = _used_entity_ids(articles, entities)

    for entity_id in sorted(used):
        graph.add_node(entity_id, **entity_attrs(entities[entity_id]))
    for art in articles:
        graph.add_node(art.id, **article_attrs(art))

    outlets = {art.id: art.outlet_id for art in articles}
    derived = Derived()
    for art in articles:
        for u, v, key, attrs in article_edges(art, outlets):
            graph.add_edge(u, v, key=key, **attrs)
        derived.add(art, outlets, entities)
    derived_edges = derived.edges()
    for u, v, key, attrs in derived_edges:
        graph.add_edge(u, v, key=key, **attrs)
    for outlet, number in outlet_communities(derived_edges, entities).items():
        graph.nodes[outlet]["community"] = number
    return graph


def outlet_communities(
    derived_edges: Sequence[Edge], entities: Mapping[str, Entity]
) -> dict[str, int]:
    """outlet id → its community (kg.layout.outlet_communities) over the outlet → outlet
    citations, weighted by their backing articles."""

    def is_outlet(node: str) -> bool:
        return node in entities and entities[node].type == "outlet"

    return layout.outlet_communities(
        (u, v, float(attrs["weight"]))
        for u, v, _, attrs in derived_edges
        if is_outlet(u) and is_outlet(v)
    )


def used_entity_ids(art: ResolvedArticle) -> set[str]:
    """The entity nodes one article's edges point at (affiliations not included)."""
    used: set[str] = set()
    if art.outlet_id:
        used.add(art.outlet_id)
    if art.based_on_id:
        used.add(art.based_on_id)
    for ra in art.attributions:
        if not ra.edge:
            continue
        used.update(i for i in (ra.source_id, ra.via_id) if i and not i.startswith("article:"))
    used.update(m.entity_id for m in art.mentions)
    used.update(link.outlet_id for link in art.links if link.outlet_id)
    return used


def with_affiliations(used: set[str], entities: Mapping[str, Entity]) -> set[str]:
    """`used` plus the organisations its persons belong to, so that `schema:affiliation`
    points at something named. Raises ValueError for an id without an entity record."""
    used = set(used)
    for entity_id in list(used):
        entity = entities.get(entity_id)
        if entity and entity.affiliation:
            used.add(entity.affiliation)
    missing = sorted(i for i in used if i not in entities)
    if missing:
        raise ValueError(f"graph: resolve produced ids with no entity record: {missing[:5]}")
    return used


def _used_entity_ids(articles: list[ResolvedArticle], entities: dict[str, Entity]) -> set[str]:
    used: set[str] = set()
    for art in articles:
        used |= used_entity_ids(art)
    return with_affiliations(used, entities)


def entity_attrs(entity: Entity) -> dict[str, Any]:
    attrs: dict[str, Any] = {"type": entity.type, "name": entity.name}
    if entity.aliases:
        attrs["aliases"] = tuple(sorted(entity.aliases))
    for key in ("url", "kind", "country", "affiliation", "state_control"):
        value = getattr(entity, key)
        if value:
            attrs[key] = value
    if entity.languages:
        attrs["languages"] = tuple(entity.languages)
    if entity.labels:
        attrs["labels"] = tuple(
            sorted((label.name, label.source, label.date or "") for label in entity.labels)
        )
    if entity.provenance:
        attrs["provenance"] = tuple(sorted(entity.provenance))
    return attrs


def article_attrs(art: ResolvedArticle) -> dict[str, Any]:
    a = art.article
    name = a.title or a.url or a.path
    attrs: dict[str, Any] = {"type": "article", "name": name, "path": a.path}
    if a.title:
        attrs["title"] = a.title
    if a.url:
        attrs["url"] = a.url
    if a.published:
        attrs["published"] = a.published
    if art.outlet_id:
        attrs["outlet"] = art.outlet_id
    if art.based_on_id:
        attrs["based_on"] = art.based_on_id
    if a.language:
        attrs["language"] = a.language
    return attrs


Edge = tuple[str, str, str, dict[str, Any]]


def article_edges(art: ResolvedArticle, outlets: Mapping[str, str | None]) -> list[Edge]:
    """The edges that start at one article, as (u, v, key, attributes), in insertion order.

    `outlets` maps every article id of the corpus to its outlet id: links and copies only
    become edges when they point at a corpus article.
    """
    edges: list[Edge] = []
    if art.outlet_id:
        edges.append((art.id, art.outlet_id, "published_by", {"type": "published_by"}))

    n = 0
    for ra in art.attributions:
        if not ra.source_id or ra.source_id == art.id:
            continue
        at = ra.attribution
        if not ra.edge:
            continue
        attrs: dict[str, Any] = {
            "type": "cites",
            "kind": at.kind,
            "confidence": round(at.confidence, 3),
            "attribution": attribution_id(art.id, n),
            "sentence": at.sentence.text,
            "sentence_start": at.sentence.start,
            "sentence_end": at.sentence.end,
            "source_text": at.source.text,
            "source_start": at.source.start,
            "source_end": at.source.end,
            "cue": at.cue.text,
            "cue_start": at.cue.start,
            "cue_end": at.cue.end,
            "rule": at.rule,
            "source_rule": at.source_rule,
        }
        if at.content is not None:
            attrs.update(
                content=at.content.text,
                content_start=at.content.start,
                content_end=at.content.end,
            )
        if ra.via_id:
            attrs["via"] = ra.via_id
        if ra.link:
            attrs["link"] = ra.link
        edges.append((art.id, ra.source_id, f"cites:{n}", attrs))
        n += 1

    mention_counts: dict[str, int] = defaultdict(int)
    first_text: dict[str, str] = {}
    for rm in art.mentions:
        mention_counts[rm.entity_id] += 1
        first_text.setdefault(rm.entity_id, rm.mention.span.text)
    for entity_id in sorted(mention_counts):
        edges.append(
            (
                art.id,
                entity_id,
                "mentions",
                {
                    "type": "mentions",
                    "count": mention_counts[entity_id],
                    "text": first_text[entity_id],
                },
            )
        )

    for i, link in enumerate(art.links):
        if link.article_id and link.article_id != art.id and link.article_id in outlets:
            edges.append(
                (
                    art.id,
                    link.article_id,
                    f"links_to:{i}",
                    {
                        "type": "links_to",
                        "url": link.link.url,
                        "text": link.link.text,
                    },
                )
            )

    for other in sorted(art.copy_of):
        if other in outlets:
            edges.append((art.id, other, "copy_of", {"type": "copy_of"}))
    return edges


@dataclass
class Derived:
    """Outlet-level citations, gathered article by article (add articles in id order)."""

    backing: dict[tuple[str, str], list[str]] = field(default_factory=lambda: defaultdict(list))
    # article id → the earlier articles it copies (same or nearly the same text)
    copies: dict[str, frozenset[str]] = field(default_factory=dict)

    def add(
        self,
        art: ResolvedArticle,
        outlets: Mapping[str, str | None],
        entities: Mapping[str, Entity],
    ) -> None:
        """The publishing outlet cites what its article cites.

        Nested attribution ("dialog.ua reported, citing Bloomberg") is stated by this article,
        so it backs dialog.ua → Bloomberg as well. A citation of another corpus article backs an
        edge to that article's outlet. Nothing else is inferred.
        """
        if art.copy_of:
            self.copies[art.id] = frozenset(art.copy_of)
        for ra in art.attributions:
            source_id = ra.source_id
            if not source_id or source_id == art.id:
                continue
            if not ra.edge:
                continue
            target = source_id
            if source_id.startswith("article:"):
                target = outlets.get(source_id) or ""
            if not target:
                continue
            via = ra.via_id
            via_is_outlet = via is not None and via in entities and entities[via].type == "outlet"
            for citer in (art.outlet_id, via if via_is_outlet else None):
                if citer and citer != target:
                    backing = self.backing[(citer, target)]
                    if not backing or backing[-1] != art.id:
                        backing.append(art.id)

    def edges(self) -> list[Edge]:
        out: list[Edge] = []
        for (outlet_id, source_id), backing in sorted(self.backing.items()):
            articles = tuple(sorted(set(backing)))
            # A copy of a story that already backs this edge (a syndicated copy on the same
            # site, a near-duplicate) is evidence, but no second citation: weight counts stories.
            backed = set(articles)
            stories = [a for a in articles if not (self.copies.get(a, frozenset()) & backed)]
            out.append(
                (
                    outlet_id,
                    source_id,
                    "cites",
                    {
                        "type": "cites",
                        "derived": True,
                        "articles": articles,
                        "weight": len(stories),
                    },
                )
            )
        return out
