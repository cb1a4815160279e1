"""The one place that knows the order of the stages:

    ingest → de-duplicate → extract → [spool] → resolve → graph → rdf / html / report

Each stage is a module of plain functions; this module wires them and reports progress through
a callback, so that the CLI decides how (and whether) to show it. `build` and
`iter_extraction_records` stream: extractions wait on disk (`kg.spool`) until the corpus-wide
name table is complete, then go through resolve and the writers one article at a time.
`make_corpus` is the same pipeline with everything in memory (`Corpus`), for library use and
for the tests that check the streamed outputs against it.
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
import json
import logging
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import networkx as nx

from kg import __version__
from kg.atomic import atomic_write_text
from kg.entities import GazetteerTerm
from kg.errors import NothingBuiltError
from kg.extract import Extractor
from kg.graph import (
    Derived,
    Edge,
    article_attrs,
    article_edges,
    entity_attrs,
    used_entity_ids,
    with_affiliations,
)
from kg.html import EVIDENCE_ARTICLES, Totals, full_view_nodes, write_html
from kg.ingest import iter_inputs
from kg.models import Article, Corpus, Entity, Extraction, ResolvedArticle, Skipped
from kg.rdf import Subject, graph_subjects, write_subjects
from kg.registry import Gazetteer, Registry, load_gazetteer, load_registry
from kg.resolve import (
    NameTable,
    Resolver,
    article_id,
    normalize_url,
    outlet_of,
    resolve,
    text_key,
)
from kg.spool import Spool

log = logging.getLogger(__name__)

Progress = Callable[[str], None]

RDF_SUFFIXES = {"turtle": "ttl", "nt": "nt", "jsonld": "jsonld"}


@dataclass(frozen=True)
class BuildOptions:
    model: str | None = None
    workers: int = 1
    # spaCy's parser holds a batch's activations at once: ~25 MB per 10 KB article, so 64
    # articles of news length took ~2 GB per process; 8 keeps it near 400 MB, no slower.
    batch_size: int = 8
    outlets: Path | None = None
    max_bytes: int = 50_000_000
    rdf_format: str = "turtle"
    max_nodes: int = 2000
    html: bool = True


@dataclass(frozen=True)
class Deduplicated:
    """Articles kept for extraction, and what de-duplication found."""

    articles: tuple[Article, ...]
    skipped: tuple[Skipped, ...]
    merged: dict[str, tuple[str, ...]] = field(default_factory=dict)  # id → other input paths
    copies: dict[str, tuple[str, ...]] = field(default_factory=dict)  # id → ids of same text


@dataclass(frozen=True)
class BuildResult:
    outputs: tuple[Path, ...]
    report: dict[str, Any]  # what report.json holds


def load_reference(outlets: Path | None = None) -> tuple[Registry, Gazetteer]:
    return load_registry(outlets), load_gazetteer()


def gazetteer_terms(registry: Registry, gazetteer: Gazetteer) -> tuple[GazetteerTerm, ...]:
    terms = [
        GazetteerTerm(name, "organization")
        for outlet in registry.outlets
        for name in (outlet.name, *outlet.aliases)
    ]
    terms += [
        GazetteerTerm(name, entry.type)
        for entry in gazetteer.entries
        for name in (entry.name, *entry.aliases)
    ]
    return tuple(terms)


class Deduplicator:
    """De-duplication as a stream: `filter` passes on the first input of each article and
    remembers the rest. One article per URL and per (text, outlet); the same text under another
    outlet is kept as a syndicated copy and linked to the first one."""

    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self.skipped: list[Skipped] = []
        self.merged: dict[str, list[str]] = {}
        self.copies: dict[str, list[str]] = {}
        self._ids: set[str] = set()
        self._by_text: dict[str, list[tuple[str | None, str]]] = {}

    def filter(self, items: Iterable[Article | Skipped]) -> Iterator[Article]:
        for item in items:
            if isinstance(item, Skipped):
                self.skipped.append(item)
                continue
            aid = article_id(item)
            outlet, _ = outlet_of(item, self.registry)
            key = text_key(item.text)
            first = aid if aid in self._ids else None
            if first is None:
                for other_outlet, other_id in self._by_text.get(key, []):
                    if other_outlet is None or outlet is None or other_outlet == outlet:
                        first = other_id
                        break
            if first is not None:
                self.merged.setdefault(first, []).append(item.path)
                log.info("%s: same article as an earlier input; merged", item.path)
                continue
            for _, other_id in self._by_text.get(key, []):
                self.copies.setdefault(aid, []).append(other_id)
            self._ids.add(aid)
            self._by_text.setdefault(key, []).append((outlet, aid))
            yield item

    def result(self) -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
        """(merged, copies) as the resolve stage takes them."""
        return (
            {k: tuple(v) for k, v in self.merged.items()},
            {k: tuple(v) for k, v in self.copies.items()},
        )


def _extractor(options: BuildOptions, registry: Registry, gazetteer: Gazetteer) -> Extractor:
    return Extractor(
        options.model,
        workers=options.workers,
        batch_size=options.batch_size,
        terms=gazetteer_terms(registry, gazetteer),
    )


def deduplicate(items: Iterable[Article | Skipped], registry: Registry) -> Deduplicated:
    """All of `items` de-duplicated at once (see `Deduplicator`)."""
    dedup = Deduplicator(registry)
    kept = tuple(dedup.filter(items))
    merged, copies = dedup.result()
    return Deduplicated(articles=kept, skipped=tuple(dedup.skipped), merged=merged, copies=copies)


def _nothing_built(skipped: Sequence[Skipped]) -> NothingBuiltError:
    reasons = "; ".join(f"{s.path}: {s.reason}" for s in skipped[:3])
    return NothingBuiltError(
        "no article could be read from the input(s)"
        + (f" ({reasons})" if reasons else "")
        + "; give files or folders of .txt, .html, .json, .jsonl or .warc articles"
    )


def extract_all(
    articles: Sequence[Article],
    extractor: Extractor,
    progress: Progress | None = None,
    *,
    keep_text: bool = True,
) -> list[Extraction]:
    """Run extraction over all articles. Without `keep_text` the article text is dropped once
    extracted (the graph keeps evidence sentences, not whole texts), which bounds memory on
    big piles."""
    out: list[Extraction] = []
    total = len(articles)
    for n, ex in enumerate(extractor.extract(articles), start=1):
        if not keep_text:
            ex = dataclasses.replace(
                ex,
                article=dataclasses.replace(ex.article, text=""),
                article_id=article_id(ex.article),
            )
        out.append(ex)
        if progress and (n % 100 == 0 or n == total):
            progress(f"extracted {n}/{total} articles")
    return out


def make_corpus(
    inputs: Sequence[str | Path],
    options: BuildOptions,
    progress: Progress | None = None,
    *,
    keep_text: bool = True,
) -> tuple[Corpus, list[Extraction]]:
    registry, gazetteer = load_reference(options.outlets)
    if progress:
        progress(f"reading {len(inputs)} input(s)")
    dedup = deduplicate(iter_inputs(inputs, max_bytes=options.max_bytes), registry)
    if progress:
        progress(
            f"{len(dedup.articles)} article(s), {len(dedup.skipped)} skipped, "
            f"{sum(len(v) for v in dedup.merged.values())} duplicate(s) merged"
        )
    if not dedup.articles:
        raise _nothing_built(dedup.skipped)
    extractor = _extractor(options, registry, gazetteer)
    extractions = extract_all(dedup.articles, extractor, progress, keep_text=keep_text)
    corpus = resolve(
        extractions,
        registry,
        gazetteer,
        skipped=dedup.skipped,
        merged=dedup.merged,
        copies=dedup.copies,
    )
    return corpus, extractions


def build(
    inputs: Sequence[str | Path],
    out_dir: Path,
    options: BuildOptions = BuildOptions(),
    progress: Progress | None = None,
) -> BuildResult:
    """`kg build`: read, extract, resolve, and write graph.ttl, graph.html, outlets.html and
    report.json into `out_dir`.

    Memory stays bounded on big piles: articles stream through extraction into a `Spool` on
    disk, keeping only the corpus-wide name table; then each article is resolved and written
    as RDF in id order (article subjects sort before every other subject) while only counts
    and outlet-level aggregates stay in memory; the pages get every node but the edges of only
    the articles they draw or show as evidence.
    """
    registry, gazetteer = load_reference(options.outlets)
    if progress:
        progress(f"reading {len(inputs)} input(s)")
    with Spool() as spool:
        corpus = _extract_to_spool(inputs, options, registry, gazetteer, spool, progress)
        tally = _Tally(corpus)
        out_dir.mkdir(parents=True, exist_ok=True)
        outputs: list[Path] = []
        rdf_path = out_dir / f"graph.{RDF_SUFFIXES[options.rdf_format]}"
        write_subjects(_stream_subjects(corpus, tally), rdf_path, fmt=options.rdf_format)
        outputs.append(rdf_path)
        if progress:
            progress(f"wrote {rdf_path}")
        if options.html:
            outputs += _write_pages(corpus, tally, out_dir, options.max_nodes, progress)
    report = tally.report()
    report_path = out_dir / "report.json"
    atomic_write_text(report_path, json.dumps(report, indent=2, sort_keys=True) + "\n")
    outputs.append(report_path)
    return BuildResult(outputs=tuple(outputs), report=report)


@dataclass
class _Spooled:
    """What `kg build` keeps in memory between extraction and output: the spool of
    extractions, and the corpus-wide tables that resolving one article needs."""

    spool: Spool
    resolver: Resolver
    outlets: dict[str, str | None]  # every article id → its outlet id
    order: list[str]  # article ids in input order
    skipped: tuple[Skipped, ...]
    merged: dict[str, tuple[str, ...]]


def _extract_to_spool(
    inputs: Sequence[str | Path],
    options: BuildOptions,
    registry: Registry,
    gazetteer: Gazetteer,
    spool: Spool,
    progress: Progress | None,
    *,
    keep_text: bool = False,
) -> _Spooled:
    dedup = Deduplicator(registry)
    articles = dedup.filter(iter_inputs(inputs, max_bytes=options.max_bytes))
    first = next(articles, None)
    if first is None:  # fail before the model loads
        raise _nothing_built(dedup.skipped)
    extractor = _extractor(options, registry, gazetteer)
    names = NameTable(registry, gazetteer)
    urls: dict[str, str] = {}
    outlets: dict[str, str | None] = {}
    order: list[str] = []
    n = 0
    for n, ex in enumerate(extractor.extract(itertools.chain([first], articles)), start=1):
        aid = article_id(ex.article)
        names.add_mentions(ex.mentions)
        if ex.article.url:
            urls[normalize_url(ex.article.url)] = aid
        outlets[aid] = outlet_of(ex.article, registry)[0]
        order.append(aid)
        # The graph keeps evidence sentences, not whole texts.
        article = ex.article if keep_text else dataclasses.replace(ex.article, text="")
        spool.put(aid, dataclasses.replace(ex, article=article, article_id=aid))
        if progress and n % 100 == 0:
            progress(f"extracted {n} articles")
    merged, copies = dedup.result()
    if progress:
        progress(
            f"extracted {n} article(s); {len(dedup.skipped)} input(s) skipped, "
            f"{sum(len(v) for v in merged.values())} duplicate(s) merged"
        )
    return _Spooled(
        spool=spool,
        resolver=Resolver(registry, names, urls, merged, copies),
        outlets=outlets,
        order=order,
        skipped=tuple(dedup.skipped),
        merged=merged,
    )


@dataclass
class _Tally:
    """Counts and aggregates gathered while the articles stream past in id order: the report,
    the outlet-level citations, and the counts the pages select and size nodes by."""

    corpus: _Spooled
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
        self.derived.add(art, self.corpus.outlets, self.corpus.resolver.entities)
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
        entities = self.corpus.resolver.entities
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
        """Counts and every skipped or merged input: what a user checks after a build."""
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
            "skipped": [{"path": s.path, "reason": s.reason} for s in self.corpus.skipped],
            "merged": [
                {"kept": k, "duplicates": list(v)} for k, v in sorted(self.corpus.merged.items())
            ],
        }


def _resolved(corpus: _Spooled, ids: Iterable[str]) -> Iterator[tuple[ResolvedArticle, list[Edge]]]:
    for aid in ids:
        art = corpus.resolver.article(corpus.spool.get(aid))
        yield art, article_edges(art, corpus.outlets)


def _stream_subjects(corpus: _Spooled, tally: _Tally) -> Iterator[Subject]:
    """Every RDF subject of the graph in output order, one article at a time, then the
    entities and outlet-level citations (whose IRIs all sort after `kgr:article/…`)."""
    last = ""
    for art, edges in _resolved(corpus, corpus.spool.ids()):
        tally.add(art, edges)
        fragment = nx.MultiDiGraph()
        fragment.add_node(art.id, **tally.article_attrs[art.id])
        for u, v, key, attrs in edges:
            fragment.add_edge(u, v, key=key, **attrs)
        for subject in graph_subjects(fragment, [art.id]):
            last = _in_order(last, subject)
            yield subject
    rest = nx.MultiDiGraph()
    for entity_id, entity in tally.entities.items():
        rest.add_node(entity_id, **entity_attrs(entity))
    for u, v, key, attrs in tally.derived_edges:
        rest.add_edge(u, v, key=key, **attrs)
    for subject in graph_subjects(rest):
        last = _in_order(last, subject)
        yield subject


def _in_order(last: str, subject: Subject) -> str:
    key = f"<{subject[0]}>"
    if key <= last:  # a new node type whose IRIs sort before kgr:article/ would break this
        raise AssertionError(f"rdf: subject {key} written out of order (after {last})")
    return key


def _write_pages(
    corpus: _Spooled, tally: _Tally, out_dir: Path, max_nodes: int, progress: Progress | None
) -> list[Path]:
    """graph.html and outlets.html from every node, the edges of the articles the full view
    draws, and the first backing articles of each outlet-level citation (its evidence)."""
    totals = tally.totals()
    entities = tally.entities
    all_nodes = sorted([*entities, *tally.article_attrs])
    drawn = full_view_nodes(all_nodes, totals, max_nodes)
    derived = tally.derived_edges
    shown = set(drawn)
    # An article that is not drawn serves only as evidence of the outlet-level citations it
    # backs (among their first EVIDENCE_ARTICLES); of its attributions only those are kept.
    backs: dict[str, set[tuple[str, str]]] = {}
    for u, v, _, attrs in derived:
        for aid in attrs["articles"][:EVIDENCE_ARTICLES]:
            if aid not in shown:
                backs.setdefault(aid, set()).add((u, v))
    graph = nx.MultiDiGraph()
    for entity_id, entity in entities.items():
        graph.add_node(entity_id, **entity_attrs(entity))
    for aid, attrs in sorted(tally.article_attrs.items()):
        graph.add_node(aid, **attrs)
        if attrs.get("outlet"):  # an outlet's panel lists all its articles
            graph.add_edge(aid, attrs["outlet"], key="published_by", type="published_by")
    wanted = sorted({n for n in drawn if n in tally.article_attrs} | set(backs))
    for art, edges in _resolved(corpus, wanted):
        for u, v, key, attrs in edges:
            if art.id in shown:
                # Its attributions are evidence wherever they point; other edges if drawn.
                keep = attrs["type"] == "cites" or (u in shown and v in shown)
            else:
                keep = attrs["type"] == "cites" and _backs(art, v, attrs, backs[art.id], corpus)
            if keep:
                graph.add_edge(u, v, key=key, **attrs)
    for u, v, key, attrs in derived:
        graph.add_edge(u, v, key=key, **attrs)
    written = []
    views: tuple[tuple[Literal["full", "outlets"], str], ...] = (
        ("full", "graph.html"),
        ("outlets", "outlets.html"),
    )
    for view, name in views:
        path = out_dir / name
        write_html(graph, path, view=view, max_nodes=max_nodes, totals=totals)
        written.append(path)
        if progress:
            progress(f"wrote {path}")
    return written


def _backs(
    art: ResolvedArticle,
    source: str,
    attrs: dict[str, Any],
    pairs: set[tuple[str, str]],
    corpus: _Spooled,
) -> bool:
    """Whether this attribution is evidence of one of the outlet-level citations `pairs`
    (the rule of `html._derived_evidence`)."""
    # An article source stands for its outlet; an outlet or other agent for itself.
    cited = (corpus.outlets.get(source) or "") if source in corpus.outlets else source
    citers = {art.outlet_id, attrs.get("via")}
    return any((citer, cited) in pairs for citer in citers if citer)


def iter_extraction_records(
    inputs: Sequence[str | Path], options: BuildOptions, progress: Progress | None = None
) -> Iterator[dict[str, Any]]:
    """`kg extract`: one JSON-ready record per article, in the DESIGN.md shape."""
    registry, gazetteer = load_reference(options.outlets)
    with Spool() as spool:
        corpus = _extract_to_spool(
            inputs, options, registry, gazetteer, spool, progress, keep_text=True
        )
        for aid in corpus.order:
            yield _record(corpus.spool.get(aid), corpus)


def _record(ex: Extraction, corpus: _Spooled) -> dict[str, Any]:
    """One `kg extract` record."""
    art = corpus.resolver.article(ex)
    names = corpus.resolver.entities
    outlet = names.get(art.outlet_id) if art.outlet_id else None
    return {
        "id": art.id,
        "path": ex.article.path,
        "url": ex.article.url,
        "title": ex.article.title,
        "published": ex.article.published,
        "outlet": {"id": outlet.id, "name": outlet.name, "url": outlet.url} if outlet else None,
        "text": ex.article.text,
        "attributions": [
            {
                "source": {
                    "text": ra.attribution.source.text,
                    "start": ra.attribution.source.start,
                    "end": ra.attribution.source.end,
                    "kind": (names[ra.source_id].type if ra.source_id in names else "")
                    if ra.source_id and not ra.source_id.startswith("article:")
                    else ("article" if ra.source_id else ra.attribution.source_kind),
                    "id": ra.source_id,
                },
                "cue": {
                    "text": ra.attribution.cue.text,
                    "start": ra.attribution.cue.start,
                    "end": ra.attribution.cue.end,
                },
                "content": {
                    "text": ra.attribution.content.text,
                    "start": ra.attribution.content.start,
                    "end": ra.attribution.content.end,
                }
                if ra.attribution.content
                else None,
                "kind": ra.attribution.kind,
                "via": ra.via_id,
                "confidence": ra.attribution.confidence,
            }
            for ra in art.attributions
        ],
        "mentions": [
            {
                "text": rm.mention.span.text,
                "start": rm.mention.span.start,
                "end": rm.mention.span.end,
                "type": (names[rm.entity_id].type if rm.entity_id in names else rm.mention.type),
                "id": rm.entity_id,
            }
            for rm in art.mentions
        ],
        "links": [
            {"url": rl.link.url, "text": rl.link.text, "outlet": rl.outlet_id} for rl in art.links
        ],
    }
