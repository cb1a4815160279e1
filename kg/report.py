"""The tally of a build and its report: counts and aggregates gathered while the resolved
articles stream past in id order, and `report.json` made from them.

`kg.pipeline` feeds a `Tally` every article as it writes the RDF; the pages read its totals
(citation counts, degrees, outlet-level citations) to choose and size what they draw.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from kg import __version__
from kg.graph import Derived, Edge, article_attrs, used_entity_ids, with_affiliations
from kg.html import Totals
from kg.models import Entity, ResolvedArticle
from kg.skips import SkipLog


@dataclass
class Tally:
    """Counts and aggregates gathered while the articles stream past in id order: the report,
    the outlet-level citations, and the counts the pages select and size nodes by."""

    outlets: Mapping[str, str | None]  # every article id → its outlet id
    known: Mapping[str, Entity]  # every entity resolve has handed out (it grows as we go)
    skipped: SkipLog
    merged: Mapping[str, tuple[str, ...]]  # kept article id → the other inputs that held it
    derived: Derived = field(default_factory=Derived)
    used: set[str] = field(default_factory=set)
    article_attrs: dict[str, dict[str, Any]] = field(default_factory=dict)
    attributions: int = 0
    unnamed: int = 0
    edge_types: Counter[str] = field(default_factory=Counter)
    edge_groups: int = 0
    cited: Counter[str] = field(default_factory=Counter)
    cites: Counter[str] = field(default_factory=Counter)
    degree: Counter[str] = field(default_factory=Counter)
    citing: dict[str, list[str]] = field(default_factory=dict)

    def add(self, art: ResolvedArticle, edges: Sequence[Edge]) -> None:
        self.article_attrs[art.id] = article_attrs(art)
        self.used |= used_entity_ids(art)
        self.attributions += len(art.attributions)
        self.unnamed += sum(1 for ra in art.attributions if ra.source_id is None)
        self.derived.add(art, self.outlets, self.known)
        groups: set[tuple[str, str]] = set()
        for u, v, _, attrs in edges:
            self.edge_types[attrs["type"]] += 1
            groups.add((v, attrs["type"]))
            self.degree[u] += 1
            self.degree[v] += 1
            if attrs["type"] == "cites":
                self.cited[v] += 1
                self.cites[u] += 1
                if art.outlet_id:
                    self.cites[art.outlet_id] += 1
                self._citing(v, u)
        self.edge_groups += len(groups)
        if art.outlet_id:
            self._citing(art.outlet_id, art.id)

    def _citing(self, node: str, article: str) -> None:
        # Articles arrive in id order, so each list stays sorted without duplicates.
        articles = self.citing.setdefault(node, [])
        if not articles or articles[-1] != article:
            articles.append(article)

    # The two below are read only once the last article is in; computed once then.
    @functools.cached_property
    def entities(self) -> dict[str, Entity]:
        """The entity nodes of the graph."""
        entities = self.known
        return {i: entities[i] for i in sorted(with_affiliations(self.used, entities))}

    @functools.cached_property
    def derived_edges(self) -> list[Edge]:
        return self.derived.edges()

    def totals(self) -> Totals:
        degree = Counter(self.degree)
        for u, v, _, _ in self.derived_edges:
            degree[u] += 1
            degree[v] += 1
        return Totals(
            cited=self.cited,
            cites=self.cites,
            degree=degree,
            citing=self.citing,
            edge_groups=self.edge_groups + len(self.derived.backing),
        )

    def report(self) -> dict[str, Any]:
        """Counts, the skipped inputs (the first ones listed, the rest counted: `kg.skips`)
        and every merged input: what a user checks after a build."""
        node_types = Counter(e.type for e in self.entities.values())
        node_types["article"] += len(self.article_attrs)
        edge_types = dict(self.edge_types)
        if self.derived.backing:
            edge_types["cites (outlet level)"] = len(self.derived.backing)
        return {
            "kg_version": __version__,
            "articles": len(self.article_attrs),
            "attributions": self.attributions,
            "attributions_without_named_source": self.unnamed,
            "nodes": dict(sorted(node_types.items())),
            "edges": dict(sorted(edge_types.items())),
            **self.skipped.report(),
            "merged": [
                {"kept": k, "duplicates": list(v)} for k, v in sorted(self.merged.items())
            ],
        }
