"""The one place that knows the order of the stages:

    ingest → de-duplicate → extract → resolve → graph → rdf / html / report

Each stage is a module of plain functions; this module wires them and reports progress through
a callback, so that the CLI decides how (and whether) to show it.
"""

from __future__ import annotations

import dataclasses
import json
import logging
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
from kg.graph import build_graph
from kg.ingest import iter_inputs
from kg.models import Article, Corpus, Extraction, Skipped
from kg.registry import Gazetteer, Registry, load_gazetteer, load_registry
from kg.resolve import article_id, outlet_of, resolve, text_key

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
    corpus: Corpus
    graph: nx.MultiDiGraph
    outputs: tuple[Path, ...]
    report: dict[str, Any]


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


def deduplicate(items: Iterable[Article | Skipped], registry: Registry) -> Deduplicated:
    """One article per URL and per (text, outlet); the same text under another outlet is kept
    as a syndicated copy and linked to the first one."""
    kept: list[Article] = []
    skipped: list[Skipped] = []
    by_id: dict[str, str] = {}
    by_text: dict[str, list[tuple[str | None, str]]] = {}
    merged: dict[str, list[str]] = {}
    copies: dict[str, list[str]] = {}
    for item in items:
        if isinstance(item, Skipped):
            skipped.append(item)
            continue
        aid = article_id(item)
        outlet, _ = outlet_of(item, registry)
        key = text_key(item.text)
        first = by_id.get(aid)
        if first is None:
            for other_outlet, other_id in by_text.get(key, []):
                if other_outlet is None or outlet is None or other_outlet == outlet:
                    first = other_id
                    break
        if first is not None:
            merged.setdefault(first, []).append(item.path)
            log.info("%s: same article as an earlier input; merged", item.path)
            continue
        for _, other_id in by_text.get(key, []):
            copies.setdefault(aid, []).append(other_id)
        by_id[aid] = aid
        by_text.setdefault(key, []).append((outlet, aid))
        kept.append(item)
    return Deduplicated(
        articles=tuple(kept),
        skipped=tuple(skipped),
        merged={k: tuple(v) for k, v in merged.items()},
        copies={k: tuple(v) for k, v in copies.items()},
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
        reasons = "; ".join(f"{s.path}: {s.reason}" for s in dedup.skipped[:3])
        raise NothingBuiltError(
            "no article could be read from the input(s)"
            + (f" ({reasons})" if reasons else "")
            + "; give files or folders of .txt, .html, .json, .jsonl or .warc articles"
        )
    extractor = Extractor(
        options.model,
        workers=options.workers,
        batch_size=options.batch_size,
        terms=gazetteer_terms(registry, gazetteer),
    )
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
    report.json into `out_dir`."""
    from kg.html import write_html
    from kg.rdf import write_rdf

    corpus, _ = make_corpus(inputs, options, progress, keep_text=False)
    graph = build_graph(corpus)
    out_dir.mkdir(parents=True, exist_ok=True)
    outputs: list[Path] = []
    rdf_path = out_dir / f"graph.{RDF_SUFFIXES[options.rdf_format]}"
    write_rdf(graph, rdf_path, fmt=options.rdf_format)
    outputs.append(rdf_path)
    if progress:
        progress(f"wrote {rdf_path}")
    if options.html:
        views: tuple[tuple[Literal["full", "outlets"], str], ...] = (
            ("full", "graph.html"),
            ("outlets", "outlets.html"),
        )
        for view, name in views:
            path = out_dir / name
            write_html(graph, path, view=view, max_nodes=options.max_nodes)
            outputs.append(path)
            if progress:
                progress(f"wrote {path}")
    report = build_report(corpus, graph)
    report_path = out_dir / "report.json"
    atomic_write_text(report_path, json.dumps(report, indent=2, sort_keys=True) + "\n")
    outputs.append(report_path)
    return BuildResult(corpus=corpus, graph=graph, outputs=tuple(outputs), report=report)


def build_report(corpus: Corpus, graph: nx.MultiDiGraph) -> dict[str, Any]:
    """Counts and every skipped or merged input: what a user checks after a build."""
    node_types: dict[str, int] = {}
    for _, data in graph.nodes(data=True):
        node_types[data["type"]] = node_types.get(data["type"], 0) + 1
    edge_types: dict[str, int] = {}
    for _, _, data in graph.edges(data=True):
        key = data["type"] + (" (outlet level)" if data.get("derived") else "")
        edge_types[key] = edge_types.get(key, 0) + 1
    unnamed = sum(1 for a in corpus.articles for ra in a.attributions if ra.source_id is None)
    return {
        "kg_version": __version__,
        "articles": len(corpus.articles),
        "attributions": sum(len(a.attributions) for a in corpus.articles),
        "attributions_without_named_source": unnamed,
        "nodes": dict(sorted(node_types.items())),
        "edges": dict(sorted(edge_types.items())),
        "skipped": [{"path": s.path, "reason": s.reason} for s in corpus.skipped],
        "merged": [{"kept": k, "duplicates": list(v)} for k, v in corpus.merged],
    }


def iter_extraction_records(
    inputs: Sequence[str | Path], options: BuildOptions, progress: Progress | None = None
) -> Iterator[dict[str, Any]]:
    """`kg extract`: one JSON-ready record per article, in the DESIGN.md shape."""
    corpus, extractions = make_corpus(inputs, options, progress, keep_text=True)
    entity_types = {e.id: e.type for e in corpus.entities}
    names = {e.id: e for e in corpus.entities}
    resolved = {a.id: a for a in corpus.articles}
    for ex in extractions:
        art = resolved[ex.article_id or article_id(ex.article)]
        outlet = names.get(art.outlet_id) if art.outlet_id else None
        yield {
            "id": art.id,
            "path": ex.article.path,
            "url": ex.article.url,
            "title": ex.article.title,
            "published": ex.article.published,
            "outlet": {"id": outlet.id, "name": outlet.name, "url": outlet.url}
            if outlet
            else None,
            "text": ex.article.text,
            "attributions": [
                {
                    "source": {
                        "text": ra.attribution.source.text,
                        "start": ra.attribution.source.start,
                        "end": ra.attribution.source.end,
                        "kind": entity_types.get(ra.source_id, "")
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
                    "type": entity_types.get(rm.entity_id, rm.mention.type),
                    "id": rm.entity_id,
                }
                for rm in art.mentions
            ],
            "links": [
                {"url": rl.link.url, "text": rl.link.text, "outlet": rl.outlet_id}
                for rl in art.links
            ],
        }
