"""HTML stage: graph → one self-contained page that opens offline.

`write_html(graph, path)` writes a single HTML file: sigma.js and graphology (vendored under
`kg/templates/vendor/`, licences and versions in its README), the page's own CSS and JS, and the
graph data are all inlined. The page loads nothing: a Content-Security-Policy meta tag
(`default-src 'none'`) forbids every fetch, and the only URLs in it are article URLs, shown as
data in the side panel (as links only when they are `http:`/`https:`). `write_pages` writes
`graph.html` and `outlets.html` for `kg build`.

sigma.js draws the pages (WebGL; `benchmarks/renderers.py` measured it against vis-network with
physics off). pyvis serves notebooks instead: `to_pyvis(graph)` gives a pyvis `Network` with the
same layout, every text HTML-escaped first (pyvis's template sets tooltips with `innerHTML` when a
title contains "href"), drawn with kg's offline template `templates/pyvis.html`.

Data travels as JSON in `<script type="application/json" id="kg-data">`, serialised with
`json.dumps` and then with `<`, `>`, `&`, U+2028 and U+2029 written as `\\u003c` etc., so no text
from an article can close the script element. The page script reads it with `JSON.parse` and sets
every piece of text with `textContent`; it never uses `innerHTML` with data.

What is drawn (the "drawn-count rule", which the browser tests check against the graph):

full view (`view="full"`)
  nodes  every graph node (articles, outlets, persons, organizations, places, other).
  edges  one drawn edge per distinct (from, to, type, derived) in the graph. So the several
         article-level `cites` edges of one article to one source (one per attribution) are drawn
         as one edge that carries all of their attributions as evidence, and likewise several
         `links_to` edges between the same two articles; `published_by`, `mentions`, `copy_of`
         and the derived outlet → source `cites` edges (drawn dashed) are one edge each already.
         drawn edges = len({(u, v, d["type"], bool(d.get("derived"))) for u, v, d in edges}).

outlets view (`view="outlets"`)
  nodes  every outlet node, plus every other node that is the target of a derived `cites` edge
         (persons, organizations… cited by an outlet's articles).
  edges  the derived outlet → source `cites` edges, one each; width grows with `weight` (the
         number of backing articles). The evidence of an edge o1 → s is every article-level
         attribution of a backing article that cites s (or an article of outlet s) and whose
         article is published by o1 or which names o1 as `via`.

Both views: when a view has more than `max_nodes` nodes, the most-cited part is drawn. Sources
are ranked by how often they are cited (number of article-level `cites` edges pointing at them),
ties broken by id; each ranked source is taken with the articles that cite or publish it (sorted
by id) until `max_nodes` is reached; nodes nobody cites fill what is left, by degree then id.
Edges are drawn when both their ends are. The evidence of a derived edge is taken from its first
`EVIDENCE_ARTICLES` backing articles (by id). The page then shows "showing N of M nodes; X omitted
(raise --max-nodes to see more)". `HtmlStats` reports drawn and total counts for the view.
The full view draws at most `MAX_EDGES` edges: past that, citations go first, then links and
copies, then `published by`, then mentions (the bulk: each article names dozens of entities),
each kind by weight then ids; the notice says how many edges were left out.

Node colour says the type, community, outlet kind, state control or country (chosen in the
page); node size grows with how often it is cited. Positions are computed here, at build time
(`kg.layout.packed_layout`: each connected group laid out on its own and packed, seeded), so the
page opens laid out; the HTML bytes are deterministic: no clock, no random ids, sorted iteration.
"""

from __future__ import annotations

import io
import json
import logging
import math
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from html import escape
from importlib import resources
from pathlib import Path
from typing import IO, Any, Literal

import networkx as nx

from kg.atomic import atomic_write
from kg.errors import ConfigError
from kg.layout import force_layout, outlet_communities, packed_layout
from kg.models import NODE_TYPES

log = logging.getLogger(__name__)

View = Literal["full", "outlets"]
VIEWS: tuple[str, ...] = ("full", "outlets")
DEFAULT_MAX_NODES = 2000
# A derived outlet → source edge shows the attributions of its first backing articles (by id)
# as evidence; it lists all of them. An outlet pair backed by thousands of articles would
# otherwise put every attribution of the corpus into the page.
EVIDENCE_ARTICLES = 5

# Colour-blind-safe (Okabe-Ito) colours; one shape per type so colour is never the only cue.
NODE_STYLES: dict[str, dict[str, str]] = {
    "article": {"label": "Article", "color": "#8a8a8a", "shape": "square"},
    "outlet": {"label": "Outlet", "color": "#0072b2", "shape": "dot"},
    "person": {"label": "Person", "color": "#e69f00", "shape": "triangle"},
    "organization": {"label": "Organization", "color": "#009e73", "shape": "diamond"},
    "place": {"label": "Place", "color": "#cc79a7", "shape": "star"},
    "other": {"label": "Other", "color": "#d55e00", "shape": "triangleDown"},
}
EDGE_STYLES: dict[str, dict[str, Any]] = {
    "cites": {"label": "cites (article → source)", "color": "#444444", "dashes": False},
    "cites_derived": {
        "label": "cites (outlet → source, derived)",
        "color": "#0072b2",
        "dashes": True,
    },
    "published_by": {"label": "published by", "color": "#b0b0b0", "dashes": False},
    "mentions": {"label": "mentions", "color": "#d9d9d9", "dashes": False},
    "links_to": {"label": "links to", "color": "#56b4e9", "dashes": False},
    "copy_of": {"label": "copy of", "color": "#d55e00", "dashes": True},
}
LABEL_MAX = 40
# The most-cited nodes of a page carry their label at every zoom; the others show theirs once
# zoomed in far enough for them to fit (sigma's label grid).
TOP_LABELS = {"full": 25, "outlets": 20}
# ... and so does the most cited node of each other connected group of at least this many.
COMPONENT_LABEL_MIN = 3
# In the outlets view these types are behind a toggle: the map opens on outlets and the
# outlet → outlet citations.
OUTLETS_VIEW_TOGGLED = ("person", "organization", "place", "other")
# The lag of an outlet → outlet citation lists at most this many (citing, cited) article pairs.
LAG_PAIRS = 5
# A panel's list (a node's citations, an outlet's articles, an edge's evidence) carries its first
# LIST_MAX items and, when there are more, their number as "<list>Total": the page lists that
# many (kg.js shows "... and N more"). Without the cap a node cited in every article of a big
# pile put the corpus's every sentence into the page (20 MB of articles: a 2 GB build process).
LIST_MAX = 200
# The full view's edges at most (see the module docstring for which go first). Without a cap the
# 2,000 drawn nodes of a pile of long articles drew 148,000 edges (mostly mentions): a 123 MB
# page, and a 2 GB build process writing it.
MAX_EDGES = 30_000
_EDGE_RANK = {"cites": 0, "cites_derived": 1, "links_to": 2, "copy_of": 2, "published_by": 3,
              "mentions": 4}
_DATE_RE = re.compile(r"(\d{4}-\d{2}-\d{2})")
_JSON_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}
_JSON_ESCAPE_RE = re.compile("[<>&\u2028\u2029]")
_SOURCE_MAP_RE = re.compile(r"\n?//# sourceMappingURL=\S*\s*$")
_MARKER_RE = re.compile(r"\{\{(KG_[A-Z0-9_]+)\}\}")


@dataclass(frozen=True)
class Totals:
    """Counts over the whole graph, for a graph handed to `write_html` that holds only the part
    a page can draw: `kg build` on a big corpus passes every node but the edges of only the
    articles drawn or used as evidence. Selection, sizes, counts and the notice then come from
    these; evidence comes from the edges present.
    """

    cited: Mapping[str, int]  # node → article-level cites edges into it
    cites: Mapping[str, int]  # article → its cites edges; outlet → those of its articles
    degree: Mapping[str, int]  # node → degree in the whole graph
    citing: Mapping[str, Sequence[str]]  # node → sorted articles citing it or published by it
    edge_groups: int  # drawn-edge groups of the full view in the whole graph


@dataclass(frozen=True)
class HtmlStats:
    """What a page draws, against what its view holds (see the drawn-count rule above)."""

    nodes_drawn: int
    edges_drawn: int
    nodes_total: int
    edges_total: int
    omitted_nodes: int
    omitted_edges: int = 0  # between drawn nodes, left out by MAX_EDGES (full view)


def render_html(
    graph: nx.MultiDiGraph,
    *,
    view: View = "full",
    max_nodes: int = DEFAULT_MAX_NODES,
    totals: Totals | None = None,
) -> str:
    """The page for `graph` as a string (see `write_html`)."""
    payload, notice, _ = _render(graph, view, max_nodes, totals)
    buffer = io.BytesIO()
    _write_page(buffer, payload, view, notice)
    return buffer.getvalue().decode("utf-8")


def write_html(
    graph: nx.MultiDiGraph,
    path: Path,
    *,
    view: View = "full",
    max_nodes: int = DEFAULT_MAX_NODES,
    totals: Totals | None = None,
    shown_as: Path | None = None,
) -> HtmlStats:
    """Write the page for `graph` to `path` atomically and say what it draws (naming it
    `shown_as`, where it will be for the user, when `path` is in a staging folder).

    Example: `write_html(build_graph(corpus), Path("out/graph.html"), view="outlets")`.
    `totals` (see `Totals`) when `graph` is only the drawable part of a bigger graph.
    """
    payload, notice, stats = _render(graph, view, max_nodes, totals)
    atomic_write(Path(path), lambda stream: _write_page(stream, payload, view, notice))
    log.info(
        "html: wrote %s (%s view, %d of %d nodes, %d edges drawn)",
        shown_as or path,
        view,
        stats.nodes_drawn,
        stats.nodes_total,
        stats.edges_drawn,
    )
    if stats.omitted_nodes:
        log.warning(
            "html: %s shows %d of %d nodes; %d omitted (raise --max-nodes to see more)",
            shown_as or path,
            stats.nodes_drawn,
            stats.nodes_total,
            stats.omitted_nodes,
        )
    if stats.omitted_edges:
        log.warning("html: %s leaves out %d edges between the nodes it draws (at most %d drawn)",
                    shown_as or path, stats.omitted_edges, MAX_EDGES)
    return stats


PAGES: tuple[tuple[View, str], ...] = (("full", "graph.html"), ("outlets", "outlets.html"))
Edge = tuple[str, str, str, dict[str, Any]]


def write_pages(
    out_dir: Path,
    *,
    entities: Mapping[str, Mapping[str, Any]],
    articles: Mapping[str, Mapping[str, Any]],
    derived: Sequence[Edge],
    totals: Totals,
    article_outlets: Mapping[str, str | None],
    edges_of: Callable[[Sequence[str]], Iterable[tuple[str, str | None, Sequence[Edge]]]],
    max_nodes: int = DEFAULT_MAX_NODES,
    progress: Callable[[str], None] | None = None,
    final_dir: Path | None = None,
) -> list[Path]:
    """graph.html and outlets.html for a corpus too big to hold as one graph (`kg build`),
    written into `out_dir` (`final_dir`: the folder messages name, where the pages will be
    once a staging `out_dir` is swapped in).

    The pages get every node (`entities`, `articles`: id → node attributes), the outlet-level
    citations (`derived`), and of the article-level edges only those of the articles the full
    view draws, plus, for an article that is not drawn but backs one of the first
    `EVIDENCE_ARTICLES` of an outlet-level citation, the attributions that back it (its
    evidence) and its hyperlinks to the cited outlet's articles (the citation's lag).
    `edges_of(ids)` yields (article id, its outlet id, the edges that start at it) in id order;
    `article_outlets` maps every article id to its outlet id.
    """
    all_nodes = sorted([*entities, *articles])
    drawn = full_view_nodes(all_nodes, totals, max_nodes)
    shown = set(drawn)
    backs: dict[str, set[tuple[str, str]]] = {}
    for u, v, _, attrs in derived:
        for aid in attrs["articles"][:EVIDENCE_ARTICLES]:
            if aid not in shown:
                backs.setdefault(aid, set()).add((u, v))
    graph = nx.MultiDiGraph()
    for entity_id, node_attrs in entities.items():
        graph.add_node(entity_id, **node_attrs)
    for aid, node_attrs in sorted(articles.items()):
        graph.add_node(aid, **node_attrs)
        if node_attrs.get("outlet"):  # an outlet's panel lists all its articles
            graph.add_edge(aid, node_attrs["outlet"], key="published_by", type="published_by")
    wanted = sorted({n for n in drawn if n in articles} | set(backs))
    for aid, outlet, edges in edges_of(wanted):
        for u, v, key, attrs in edges:
            if aid in shown:
                # Its attributions are evidence wherever they point; other edges if drawn.
                keep = attrs["type"] == "cites" or (u in shown and v in shown)
            elif attrs["type"] == "links_to":
                keep = (outlet, article_outlets.get(v)) in backs[aid]
            else:
                keep = attrs["type"] == "cites" and _backs(
                    outlet, v, attrs, backs[aid], article_outlets
                )
            if keep:
                graph.add_edge(u, v, key=key, **attrs)
    for u, v, key, attrs in derived:
        graph.add_edge(u, v, key=key, **attrs)
    written = []
    for view, name in PAGES:
        path = Path(out_dir) / name
        shown_as = Path(final_dir or out_dir) / name
        write_html(graph, path, view=view, max_nodes=max_nodes, totals=totals,
                   shown_as=shown_as)
        written.append(path)
        if progress:
            progress(f"wrote {shown_as}")
    return written


def _backs(
    outlet: str | None,
    source: str,
    attrs: Mapping[str, Any],
    pairs: set[tuple[str, str]],
    article_outlets: Mapping[str, str | None],
) -> bool:
    """Whether this attribution is evidence of one of the outlet-level citations `pairs`
    (the rule of `_derived_evidence`)."""
    # An article source stands for its outlet; an outlet or other agent for itself.
    cited = (article_outlets.get(source) or "") if source in article_outlets else source
    citers = {outlet, attrs.get("via")}
    return any((citer, cited) in pairs for citer in citers if citer)


# --- rendering -------------------------------------------------------------------------------


def _render(
    graph: nx.MultiDiGraph, view: str, max_nodes: int, totals: Totals | None = None
) -> tuple[dict[str, Any], str, HtmlStats]:
    """The page's data, its notice and what it draws."""
    if view not in VIEWS:
        raise ConfigError(f"html: unknown view {view!r}; use one of: {', '.join(VIEWS)}")
    if isinstance(max_nodes, bool) or not isinstance(max_nodes, int) or max_nodes < 1:
        raise ConfigError(
            f"html: --max-nodes must be a whole number of at least 1 (got {max_nodes!r})"
        )
    if not isinstance(graph, nx.MultiDiGraph):
        raise TypeError(f"html: expected a networkx.MultiDiGraph, got {type(graph).__name__}")

    index = _Index.of(graph, totals)
    if view == "full":
        payload, stats = _full_view(graph, index, max_nodes)
    else:
        payload, stats = _outlets_view(graph, index, max_nodes)
    _place(payload, view)
    _mark_top(payload, view)
    payload["communities"] = _community_list(payload)
    payload["defaultHidden"] = list(OUTLETS_VIEW_TOGGLED) if view == "outlets" else []
    payload["view"] = view
    payload["listMax"] = LIST_MAX
    payload["nodeStyles"] = NODE_STYLES
    payload["edgeStyles"] = EDGE_STYLES
    payload["stats"] = {
        "nodes_drawn": stats.nodes_drawn,
        "edges_drawn": stats.edges_drawn,
        "nodes_total": stats.nodes_total,
        "edges_total": stats.edges_total,
        "omitted_nodes": stats.omitted_nodes,
        "omitted_edges": stats.omitted_edges,
    }
    notice = _notice(stats)
    payload["notice"] = notice
    return payload, notice, stats


def _notice(stats: HtmlStats) -> str:
    parts = []
    if stats.omitted_nodes:
        parts.append(
            f"showing {stats.nodes_drawn} of {stats.nodes_total} nodes; "
            f"{stats.omitted_nodes} omitted (raise --max-nodes to see more)"
        )
    if stats.omitted_edges:
        parts.append(
            f"{stats.omitted_edges} edges between them omitted, mentions first (the graph "
            "files hold them all)"
        )
    return "; ".join(parts)


def _key_order(key: Any) -> tuple[str, int, str]:
    text = str(key)
    prefix, _, tail = text.partition(":")
    return (prefix, int(tail), "") if tail.isdigit() else (prefix, -1, text)


def _edge_type(key: Any, attrs: dict[str, Any]) -> str:
    return str(attrs.get("type") or str(key).partition(":")[0])


@dataclass
class _Index:
    """The graph's edges, sorted and grouped the ways the views need them."""

    # article-level cites: (article, n, source, attrs), in (article, n) order
    cites: list[tuple[str, int, str, dict[str, Any]]] = field(default_factory=list)
    cited_in: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    by_article: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    published: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    derived: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)
    edges: list[tuple[str, str, Any, dict[str, Any]]] = field(default_factory=list)
    types: dict[str, str] = field(default_factory=dict)
    links: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    dates: dict[str, str] = field(default_factory=dict)  # article → YYYY-MM-DD
    outlet_of: dict[str, str] = field(default_factory=dict)  # article → outlet
    totals: Totals | None = None

    @classmethod
    def of(cls, graph: nx.MultiDiGraph, totals: Totals | None = None) -> _Index:
        index = cls(totals=totals)
        unknown: set[str] = set()
        for node, attrs in graph.nodes(data=True):
            node_type = str(attrs.get("type", "other"))
            if node_type not in NODE_TYPES:
                unknown.add(node_type)
                node_type = "other"
            index.types[str(node)] = node_type
            if node_type == "article":
                date = _day(attrs.get("published"))
                if date:
                    index.dates[str(node)] = date
                if attrs.get("outlet"):
                    index.outlet_of[str(node)] = str(attrs["outlet"])
        if unknown:
            log.warning("html: drawing nodes of unknown type(s) %s as 'other'", sorted(unknown))
        index.edges = sorted(
            ((str(u), str(v), k, d) for u, v, k, d in graph.edges(keys=True, data=True)),
            key=lambda e: (e[0], e[1], _key_order(e[2])),
        )
        for u, v, key, attrs in index.edges:
            edge_type = _edge_type(key, attrs)
            if edge_type == "cites" and attrs.get("derived"):
                index.derived.append((u, v, attrs))
            elif edge_type == "cites":
                position = len(index.cites)
                n = _key_order(key)[1]
                index.cites.append((u, n, v, attrs))
                index.by_article[u].append(position)
                index.cited_in[v].append(position)
            elif edge_type == "published_by":
                index.published[v].append(u)
            elif edge_type == "links_to":
                index.links[u].add(v)
        return index

    def days(self, articles: Iterable[str]) -> list[str]:
        """The distinct dates of `articles`, sorted (undated ones have none)."""
        return sorted({self.dates[a] for a in articles if a in self.dates})

    def node_days(self, node: str) -> list[str]:
        if self.types.get(node) == "article":
            return [self.dates[node]] if node in self.dates else []
        return self.days(self.citing_articles(node))

    def lag(self, citer: str, cited: str, articles: Sequence[str]) -> dict[str, Any] | None:
        """How long after the cited outlet's article the citing article came out, for the
        backing articles that cite (or link to) an article of `cited` in the corpus: min and
        max days, and the first `LAG_PAIRS` (citing, cited, days) pairs. None when no backing
        article points at a dated article of `cited` (an outlet named without its article
        gives no lag: which of its articles was meant is not known)."""
        if self.types.get(cited) != "outlet":
            return None
        pairs: list[tuple[str, str, int]] = []
        for article in sorted(articles):
            if article not in self.dates:
                continue
            targets = {self.cites[i][2] for i in self.by_article.get(article, ())}
            targets |= self.links.get(article, set())
            for target in sorted(targets):
                if self.outlet_of.get(target) == cited and target in self.dates:
                    pairs.append(
                        (article, target, _days_between(self.dates[target], self.dates[article]))
                    )
        if not pairs:
            return None
        days = [d for _, _, d in pairs]
        return {
            "min": min(days),
            "max": max(days),
            "pairs": [list(p) for p in pairs[:LAG_PAIRS]],
            "count": len(pairs),
        }

    def cited_count(self, node: str) -> int:
        if self.totals is not None:
            return self.totals.cited.get(node, 0)
        return len(self.cited_in.get(node, ()))

    def cites_count(self, node: str) -> int:
        if self.totals is not None:
            return self.totals.cites.get(node, 0)
        if self.types.get(node) == "outlet":
            return sum(len(self.by_article.get(a, ())) for a in self.published.get(node, ()))
        return len(self.by_article.get(node, ()))

    def citing_articles(self, node: str) -> list[str]:
        """Articles that cite `node` or that it publishes, sorted."""
        if self.totals is not None:
            return list(self.totals.citing.get(node, ()))
        citing = {self.cites[i][0] for i in self.cited_in.get(node, ())}
        return sorted(citing | set(self.published.get(node, ())))


def _attribution_id(article: str, n: int, attrs: dict[str, Any]) -> str:
    return str(attrs.get("attribution") or f"{article}/attribution/{n}")


class _Payload:
    """Collects the side tables (articles, attributions, names) the drawn items refer to."""

    def __init__(self, graph: nx.MultiDiGraph, index: _Index) -> None:
        self.graph = graph
        self.index = index
        self.articles: dict[str, dict[str, Any]] = {}
        self.attributions: dict[str, dict[str, Any]] = {}
        self.names: dict[str, str] = {}

    def name(self, node: str) -> str:
        if node not in self.names:
            attrs = self.graph.nodes[node] if node in self.graph else {}
            self.names[node] = str(attrs.get("name") or node)
        return node

    def article(self, node: str) -> str:
        if node not in self.articles:
            attrs = self.graph.nodes[node] if node in self.graph else {}
            record: dict[str, Any] = {"name": str(attrs.get("name") or node)}
            for key in ("title", "url", "published", "path"):
                if attrs.get(key):
                    record[key] = str(attrs[key])
            if self.index.dates.get(node):
                record["date"] = self.index.dates[node]
            if attrs.get("outlet"):
                record["outlet"] = self.name(str(attrs["outlet"]))
            self.articles[node] = record
        return node

    def attribution(self, article: str, n: int, source: str, attrs: dict[str, Any]) -> str:
        attribution = _attribution_id(article, n, attrs)
        if attribution not in self.attributions:
            record: dict[str, Any] = {
                "article": self.article(article),
                "source": self.name(source),
            }
            for key in (
                "sentence", "cue", "source_text", "content", "kind", "rule", "source_rule", "url",
                "link",
            ):
                if attrs.get(key) is not None:
                    record[key] = str(attrs[key])
            if isinstance(attrs.get("confidence"), int | float) and math.isfinite(
                attrs["confidence"]
            ):  # NaN or Infinity would make the page's JSON unreadable
                record["confidence"] = round(float(attrs["confidence"]), 3)
            if attrs.get("via"):
                record["via"] = self.name(str(attrs["via"]))
            self.attributions[attribution] = record
            if source in self.index.types and self.index.types[source] == "article":
                self.article(source)
        return attribution

    def node(self, node: str) -> dict[str, Any]:
        attrs = self.graph.nodes[node]
        node_type = self.index.types[node]
        name = str(attrs.get("name") or node)
        self.names[node] = name
        cited = self.index.cited_count(node)
        record: dict[str, Any] = {
            "id": node,
            "type": node_type,
            "name": name,
            "label": _short(name),
            "cited": cited,
            "cites": self.index.cites_count(node),
            "size": _size(cited),
        }
        aliases = attrs.get("aliases")
        if aliases:
            record["aliases"] = [str(a) for a in _as_list(aliases)]
        for key in ("kind", "country", "url", "published", "path", "title", "state_control"):
            if attrs.get(key):
                record[key] = str(attrs[key])
        if attrs.get("languages"):
            record["languages"] = [str(x) for x in _as_list(attrs["languages"])]
        if attrs.get("labels"):  # list memberships: {name, source, date}
            record["labels"] = [
                dict(zip(("name", "source", "date"), (str(x) for x in label), strict=False))
                for label in _as_list(attrs["labels"])
            ]
        days = self.index.node_days(node)
        if days:
            record["days"] = days
            record["first"] = days[0]
            record["last"] = days[-1]
        if attrs.get("affiliation"):
            record["affiliation"] = self.name(str(attrs["affiliation"]))
        if attrs.get("outlet"):
            record["outlet"] = self.name(str(attrs["outlet"]))
        cited_in = self.index.cited_in.get(node, ())
        if cited_in:
            _capped(record, "citedIn", cited_in, lambda i: self.attribution(*self.index.cites[i]))
            if len(cited_in) > LIST_MAX:  # the panel's "in N articles"
                record["citedArticles"] = len({self.index.cites[i][0] for i in cited_in})
        if node_type == "outlet" and self.index.published.get(node):
            _capped(record, "publishedArticles", self.index.published[node], self.article)
        if node_type == "article" and self.index.by_article.get(node):
            _capped(record, "citesList", self.index.by_article[node],
                    lambda i: self.attribution(*self.index.cites[i]))
            self.article(node)
        return record

    def tables(self) -> dict[str, Any]:
        return {
            "articles": dict(sorted(self.articles.items())),
            "attributions": dict(sorted(self.attributions.items())),
            "names": dict(sorted(self.names.items())),
        }


def _capped(record: dict[str, Any], key: str, items: Sequence[Any],
            item: Callable[[Any], Any]) -> None:
    """`record[key]`: the first `LIST_MAX` of `items` made by `item`, with `key + "Total"`
    when some are left out (see `LIST_MAX`)."""
    record[key] = [item(x) for x in items[:LIST_MAX]]
    if len(items) > LIST_MAX:
        record[key + "Total"] = len(items)


def _as_list(value: Any) -> list[Any]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, Iterable):
        return list(value)
    return [value]


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= LABEL_MAX else text[: LABEL_MAX - 1].rstrip() + "…"


def _size(cited: int) -> float:
    return round(10 + 5 * math.sqrt(cited), 2) if cited else 10


def _day(value: Any) -> str | None:
    """YYYY-MM-DD from a published date or timestamp (the date as written, no time zone
    arithmetic), or None."""
    match = _DATE_RE.match(str(value or ""))
    if match is None:
        return None
    from datetime import date

    try:  # "2024-13-45" is no date (and would stop the day arithmetic of the page)
        return date.fromisoformat(match.group(1)).isoformat()
    except ValueError:
        return None


def _days_between(earlier: str, later: str) -> int:
    from datetime import date

    return (date.fromisoformat(later) - date.fromisoformat(earlier)).days


def full_view_nodes(nodes: Sequence[str], totals: Totals, max_nodes: int) -> list[str]:
    """The nodes the full view draws out of `nodes` (sorted), from counts alone: what
    `kg build` computes before it gathers the edges of just those articles."""
    return _select(
        list(nodes),
        lambda n: totals.cited.get(n, 0),
        max_nodes,
        lambda n: totals.citing.get(n, ()),
        lambda n: totals.degree.get(n, 0),
    )


def _select(
    nodes: list[str],
    cited: Callable[[str], int],
    max_nodes: int,
    neighbours: Callable[[str], Iterable[str]],
    degree: Callable[[str], int],
) -> list[str]:
    """The nodes to draw: all when they fit, else the most-cited ones with their articles."""
    if len(nodes) <= max_nodes:
        return nodes
    pool = set(nodes)
    chosen: set[str] = set()
    ranked = sorted((n for n in nodes if cited(n) > 0), key=lambda n: (-cited(n), n))
    for node in ranked:
        if len(chosen) >= max_nodes:
            break
        chosen.add(node)
        for other in sorted(set(neighbours(node)) & pool):
            if len(chosen) >= max_nodes:
                break
            chosen.add(other)
    if len(chosen) < max_nodes:
        rest = sorted((n for n in nodes if n not in chosen), key=lambda n: (-degree(n), n))
        chosen.update(rest[: max_nodes - len(chosen)])
    return [n for n in nodes if n in chosen]


def _full_view(
    graph: nx.MultiDiGraph, index: _Index, max_nodes: int
) -> tuple[dict[str, Any], HtmlStats]:
    all_nodes = sorted(str(n) for n in graph.nodes)

    groups: dict[tuple[str, str, str], list[tuple[Any, dict[str, Any]]]] = {}
    for u, v, key, attrs in index.edges:
        group = _edge_type(key, attrs)
        if group == "cites" and attrs.get("derived"):
            group = "cites_derived"
        groups.setdefault((u, v, group), []).append((key, attrs))

    totals = index.totals
    drawn_nodes = _select(
        all_nodes,
        index.cited_count,
        max_nodes,
        index.citing_articles,
        (lambda n: totals.degree.get(n, 0)) if totals else (lambda n: int(graph.degree(n))),
    )
    drawn = set(drawn_nodes)
    payload = _Payload(graph, index)
    nodes = [payload.node(n) for n in drawn_nodes]
    _attach_communities(nodes, index)

    between = [k for k in groups if k[0] in drawn and k[1] in drawn]
    keep = set(between)
    if len(between) > MAX_EDGES:
        keep = set(sorted(between, key=lambda k: _edge_rank(k, groups[k]))[:MAX_EDGES])
    edges: list[dict[str, Any]] = []
    for (u, v, group), members in groups.items():
        if (u, v, group) not in keep:
            continue
        edge: dict[str, Any] = {"id": f"e{len(edges)}", "from": u, "to": v, "type": group}
        if group != "cites_derived" and u in index.dates:
            edge["days"] = [index.dates[u]]
        if group == "cites":
            cites = [(u, _key_order(k)[1], v, a) for k, a in members]
            _capped(edge, "evidence", cites, lambda c: payload.attribution(*c))
            edge["weight"] = len(members)
        elif group == "cites_derived":
            attrs = members[0][1]
            edge["evidence"] = _derived_evidence(payload, index, u, v, attrs)
            edge["weight"] = _derived_weight(attrs)
            backing = [str(a) for a in _as_list(attrs.get("articles", ()))]
            _capped(edge, "articles", backing, payload.article)
            _time_of_derived(edge, index, u, v, backing)
        elif group == "links_to":
            _capped(edge, "links", members,
                    lambda m: {"url": str(m[1].get("url", "")), "text": str(m[1].get("text", ""))})
            edge["target"] = payload.article(v)
        elif group == "mentions":
            attrs = members[0][1]
            edge["count"] = int(attrs.get("count") or 1)
            if attrs.get("text"):
                edge["text"] = str(attrs["text"])
        edges.append(edge)

    stats = HtmlStats(
        nodes_drawn=len(nodes),
        edges_drawn=len(edges),
        nodes_total=len(all_nodes),
        edges_total=totals.edge_groups if totals else len(groups),
        omitted_nodes=len(all_nodes) - len(nodes),
        omitted_edges=len(between) - len(edges),
    )
    return {"nodes": nodes, "edges": edges, **payload.tables()}, stats


def _edge_rank(
    key: tuple[str, str, str], members: list[tuple[Any, dict[str, Any]]]
) -> tuple[int, int, str, str, str]:
    """Which edges the full view keeps first under `MAX_EDGES`: by kind, then weight."""
    u, v, group = key
    attrs = members[0][1]
    if group == "mentions":
        weight = int(attrs.get("count") or 1)
    elif group == "cites_derived":
        weight = _derived_weight(attrs)
    else:
        weight = len(members)
    return (_EDGE_RANK.get(group, 3), -weight, u, v, group)


def _derived_weight(attrs: dict[str, Any]) -> int:
    """A derived outlet → source edge's weight: its backing articles."""
    return int(attrs.get("weight") or len(_as_list(attrs.get("articles", ()))))


def _derived_evidence(
    payload: _Payload, index: _Index, outlet: str, source: str, attrs: dict[str, Any]
) -> list[str]:
    """The attributions behind a derived outlet → source edge (see the module docstring)."""
    out: list[str] = []
    graph = payload.graph
    backing = sorted(str(a) for a in _as_list(attrs.get("articles", ())))
    for article in backing[:EVIDENCE_ARTICLES]:
        article_outlet = graph.nodes[article].get("outlet") if article in graph else None
        for i in index.by_article.get(article, ()):
            _, n, target, cite = index.cites[i]
            target_outlet = graph.nodes[target].get("outlet") if target in graph else None
            hits_source = target == source or (
                index.types.get(target) == "article" and target_outlet == source
            )
            from_outlet = article_outlet == outlet or cite.get("via") == outlet
            if hits_source and from_outlet:
                out.append(payload.attribution(article, n, target, cite))
    return out


def _outlets_view(
    graph: nx.MultiDiGraph, index: _Index, max_nodes: int
) -> tuple[dict[str, Any], HtmlStats]:
    members = {n for n, t in index.types.items() if t == "outlet"}
    members.update(v for _, v, _ in index.derived)
    members.update(u for u, _, _ in index.derived)
    view_nodes = sorted(members)

    adjacency: dict[str, set[str]] = defaultdict(set)
    for u, v, _ in index.derived:
        adjacency[u].add(v)
        adjacency[v].add(u)

    drawn_nodes = _select(
        view_nodes,
        index.cited_count,
        max_nodes,
        lambda n: sorted(adjacency.get(n, ())),
        lambda n: len(adjacency.get(n, ())),
    )
    drawn = set(drawn_nodes)
    payload = _Payload(graph, index)
    nodes = [payload.node(n) for n in drawn_nodes]
    _attach_communities(nodes, index)
    edges: list[dict[str, Any]] = []
    for u, v, attrs in index.derived:
        if u not in drawn or v not in drawn:
            continue
        articles = [str(a) for a in _as_list(attrs.get("articles", ()))]
        edge = {
            "id": f"e{len(edges)}",
            "from": u,
            "to": v,
            "type": "cites_derived",
            "weight": _derived_weight(attrs),
        }
        _capped(edge, "articles", articles, payload.article)
        edge["evidence"] = _derived_evidence(payload, index, u, v, attrs)
        _time_of_derived(edge, index, u, v, articles)
        edges.append(edge)
    stats = HtmlStats(
        nodes_drawn=len(nodes),
        edges_drawn=len(edges),
        nodes_total=len(view_nodes),
        edges_total=len(index.derived),
        omitted_nodes=len(view_nodes) - len(nodes),
    )
    return {"nodes": nodes, "edges": edges, **payload.tables()}, stats


def _attach_communities(nodes: list[dict[str, Any]], index: _Index) -> None:
    found = _communities(index)
    for node in nodes:
        if node["id"] in found:
            node["community"] = found[node["id"]]


def _time_of_derived(
    edge: dict[str, Any], index: _Index, citer: str, cited: str, backing: Sequence[str]
) -> None:
    days = index.days(backing)
    if days:
        edge["days"] = days
    lag = index.lag(citer, cited, backing)
    if lag:
        edge["lag"] = lag


def _place(payload: dict[str, Any], view: str) -> None:
    """Positions for the drawn nodes (`x`, `y`). The outlets view lays out the outlets and the
    citations between them first, then places the other nodes around them with the outlets
    held still, so the map it opens on (outlets only) is laid out for itself."""
    nodes = payload["nodes"]
    edges = [(e["from"], e["to"], float(e.get("weight", 1))) for e in payload["edges"]]
    ids = [n["id"] for n in nodes]
    rank = {n["id"]: float(n.get("cited") or 0) for n in nodes}
    if view == "outlets":
        hidden = set(OUTLETS_VIEW_TOGGLED)
        core = [n["id"] for n in nodes if n["type"] not in hidden]
        core_set = set(core)
        fixed = packed_layout(
            core, [e for e in edges if e[0] in core_set and e[1] in core_set], rank=rank
        )
        positions = force_layout(ids, edges, fixed=fixed) if len(core) < len(ids) else fixed
    else:
        positions = packed_layout(ids, edges, rank=rank)
    for node in nodes:
        node["x"], node["y"] = positions[node["id"]]


def _mark_top(payload: dict[str, Any], view: str) -> None:
    """`top` on the nodes that carry a label at every zoom: the most cited (ties by id),
    counted among the nodes the view shows when it opens."""
    hidden = set(
        payload.get("defaultHidden") or (OUTLETS_VIEW_TOGGLED if view == "outlets" else ())
    )
    shown = [n for n in payload["nodes"] if n["type"] not in hidden and n["type"] != "article"]
    ranked = sorted(shown, key=lambda n: (-n["cited"], n["id"]))
    for node in ranked[: TOP_LABELS[view]]:
        if node["cited"] > 0 or view == "outlets":
            node["top"] = True
    # A cluster set apart from the main one (the layout packs it beside) is named by its most
    # cited member, so a newcomer sees what each group is about.
    by_id = {n["id"]: n for n in payload["nodes"] if n["type"] not in hidden}
    linked = nx.Graph()
    linked.add_nodes_from(by_id)
    linked.add_edges_from(
        (e["from"], e["to"]) for e in payload["edges"] if e["from"] in by_id and e["to"] in by_id
    )
    components = sorted(nx.connected_components(linked), key=lambda c: (-len(c), min(c)))
    for component in components[1:]:
        named = [n for n in component if by_id[n]["type"] != "article"]
        if len(component) >= COMPONENT_LABEL_MIN and named:
            best = min(named, key=lambda n: (-by_id[n]["cited"], n))
            by_id[best]["top"] = True


def _communities(index: _Index) -> dict[str, int]:
    """Louvain communities of the outlets, over the outlet → outlet citations (as in RDF)."""
    return outlet_communities(
        (u, v, float(attrs.get("weight") or 1))
        for u, v, attrs in index.derived
        if index.types.get(u) == "outlet" and index.types.get(v) == "outlet"
    )


def _community_list(payload: dict[str, Any]) -> list[dict[str, Any]]:
    """The communities with at least two drawn members, members most cited first."""
    groups: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for node in payload["nodes"]:
        if "community" in node:
            groups[node["community"]].append(node)
    out = []
    for number in sorted(groups):
        members = sorted(groups[number], key=lambda n: (-n["cited"], n["id"]))
        if len(members) >= 2:
            out.append({"id": number, "members": [n["id"] for n in members]})
    return out


# --- template --------------------------------------------------------------------------------


def _asset(name: str) -> str:
    return resources.files("kg").joinpath("templates", *name.split("/")).read_text("utf-8")


def _inline_safe(text: str, closing: str, what: str) -> str:
    if closing in text.lower() or "<!--" in text:
        raise ValueError(f"html: {what} contains {closing!r} or '<!--'; it cannot be inlined")
    return text


def _json_chunks(payload: dict[str, Any]) -> Iterator[str]:
    """The payload as JSON safe inside a script element, in pieces: a page for a big graph is
    written without ever holding its text whole (the escapes are per character, so they
    apply to pieces as well)."""
    encoder = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for chunk in encoder.iterencode(payload):
        yield _JSON_ESCAPE_RE.sub(lambda m: _JSON_ESCAPES[m.group(0)], chunk)


def _vendor_script(name: str) -> str:
    return _inline_safe(_SOURCE_MAP_RE.sub("\n", _asset(f"vendor/{name}")), "</script", name)


def _write_page(stream: IO[bytes], payload: dict[str, Any], view: str, notice: str) -> None:
    title = "kg — source-attribution graph" + (" (outlets)" if view == "outlets" else "")
    parts = {
        "KG_TITLE": escape(title),
        "KG_VIEW": escape(view),
        "KG_NOTICE": escape(notice),
        "KG_NOTICE_HIDDEN": "" if notice else " hidden",
        "KG_CSS": _inline_safe(_asset("kg.css"), "</style", "kg.css"),
        "KG_GRAPHOLOGY_JS": _vendor_script("graphology.umd.min.js"),
        "KG_SIGMA_JS": _vendor_script("sigma.min.js"),
        "KG_FA2_JS": _vendor_script("forceatlas2.min.js"),
        "KG_JS": _inline_safe(_asset("kg.js"), "</script", "kg.js"),
    }
    template = _asset("page.html")
    position = 0
    for marker in _MARKER_RE.finditer(template):
        stream.write(template[position : marker.start()].encode("utf-8"))
        name = marker.group(1)
        if name == "KG_DATA":
            batch: list[str] = []
            for chunk in _json_chunks(payload):
                batch.append(chunk)
                if len(batch) >= 4096:
                    stream.write("".join(batch).encode("utf-8"))
                    batch.clear()
            stream.write("".join(batch).encode("utf-8"))
        else:
            stream.write(parts[name].encode("utf-8"))
        position = marker.end()
    stream.write(template[position:].encode("utf-8"))


# --- pyvis, for notebooks -----------------------------------------------------------------------

# A notebook cell draws at most this many nodes (the most cited); vis-network's canvas and
# physics-free drawing stay quick there.
PYVIS_MAX_NODES = 500
PYVIS_TEMPLATE = "pyvis.html"
_CSS_LENGTH_RE = re.compile(r"\d{1,5}(px|%|em|vh|vw)")


def to_pyvis(
    graph: nx.Graph,
    *,
    height: str = "600px",
    width: str = "100%",
    max_nodes: int = PYVIS_MAX_NODES,
) -> Any:
    """A `pyvis.network.Network` of `graph` for a notebook: `net.generate_html()` (or
    `net.write_html(path)`) gives a page that opens offline, with the positions of
    `kg.layout.packed_layout` (no physics: the same graph gives the same picture).

    `graph` is a kg graph (kg/graph.py's contract: `type`, `name` on nodes, `cites` edges) or
    any networkx graph (then a node's label is its `name` or its id, its size grows with its
    weighted in-degree). Every label and tooltip is HTML-escaped here: pyvis's own template sets
    tooltips with `innerHTML` once any title contains "href", so text from articles must be
    inert before pyvis sees it. The network uses kg's template (`kg/templates/pyvis.html`):
    vis-network inlined from the pyvis wheel, no CDN, tooltips set with `textContent`.
    """
    import pyvis
    from jinja2 import Environment, FileSystemLoader
    from pyvis.network import Network

    for name, value in (("height", height), ("width", width)):
        if not _CSS_LENGTH_RE.fullmatch(value):
            raise ConfigError(
                f"to_pyvis: {name} must be a CSS length such as 600px or 100% (got {value!r})"
            )
    if isinstance(max_nodes, bool) or not isinstance(max_nodes, int) or max_nodes < 1:
        raise ConfigError(
            f"to_pyvis: max_nodes must be a whole number of at least 1 (got {max_nodes!r})"
        )
    ids = {node: str(node) for node in graph.nodes}
    weight: dict[Any, float] = {node: 0.0 for node in graph.nodes}
    for _, v, attrs in graph.edges(data=True):
        if attrs.get("type", "cites") == "cites" and not attrs.get("derived"):
            weight[v] += float(attrs.get("weight") or 1)
    chosen = sorted(graph.nodes, key=lambda n: (-weight[n], ids[n]))[:max_nodes]
    if len(chosen) < graph.number_of_nodes():
        log.info(
            "to_pyvis: drawing the %d most cited of %d nodes", len(chosen), graph.number_of_nodes()
        )
    keep = set(chosen)
    edges = [(u, v, attrs) for u, v, attrs in graph.edges(data=True) if u in keep and v in keep]
    positions = packed_layout(
        [ids[n] for n in chosen],
        [(ids[u], ids[v], float(a.get("weight") or 1)) for u, v, a in edges],
        rank={ids[n]: weight[n] for n in chosen},
    )
    net = Network(
        height=height,
        width=width,
        directed=graph.is_directed(),
        notebook=True,
        cdn_resources="in_line",
    )
    net.toggle_physics(False)
    for node in sorted(chosen, key=lambda n: ids[n]):
        attrs = graph.nodes[node]
        name = _short(str(attrs.get("name") or attrs.get("title") or ids[node]))
        ntype = str(attrs.get("type") or "")
        style = NODE_STYLES.get(ntype)
        lines = [str(attrs.get("name") or ids[node])]
        if style:
            lines.append(str(style["label"]))
        lines.append(f"cited {weight[node]:g} time{'s' if weight[node] != 1 else ''}")
        for key in ("kind", "country", "state_control", "url"):
            if attrs.get(key):
                lines.append(f"{key.replace('_', ' ')}: {attrs[key]}")
        x, y = positions[ids[node]]
        net.add_node(
            ids[node],
            label=escape(name),
            title=escape("\n".join(lines)),
            color=str(style["color"]) if style else "#0072b2",
            size=round(8 + 4 * math.sqrt(weight[node]), 1),
            x=x,
            y=y,
        )
    seen: set[tuple[str, str, str]] = set()
    for u, v, attrs in sorted(edges, key=lambda e: (ids[e[0]], ids[e[1]], str(e[2].get("type")))):
        etype = str(attrs.get("type") or "")
        drawn = (ids[u], ids[v], etype + ("/derived" if attrs.get("derived") else ""))
        if drawn in seen:  # one drawn edge per pair and relation, as on kg's pages
            continue
        seen.add(drawn)
        style = EDGE_STYLES.get("cites_derived" if attrs.get("derived") else etype)
        relation = str(style["label"]) if style else etype or "edge"
        text = f"{graph.nodes[u].get('name') or ids[u]} → {graph.nodes[v].get('name') or ids[v]}"
        text += f"\n{relation}" if relation else ""
        if attrs.get("weight"):
            text += f"\nweight {attrs['weight']}"
        if attrs.get("sentence"):
            text += f"\n“{attrs['sentence']}”"
        net.add_edge(
            ids[u],
            ids[v],
            title=escape(text),
            color=str(style["color"]) if style else "#444444",
            width=round(1 + math.log2(float(attrs.get("weight") or 1)), 2),
        )
    # kg's template first; its includes (vis-network's script and style) from pyvis's own.
    ours = str(resources.files("kg").joinpath("templates"))
    loader = FileSystemLoader([ours, str(Path(pyvis.__file__).parent / "templates")])
    net.templateEnv = Environment(loader=loader, autoescape=False)
    net.template = net.templateEnv.get_template(PYVIS_TEMPLATE)
    net.path = PYVIS_TEMPLATE
    return net
