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

import contextlib
import dataclasses
import functools
import itertools
import json
import logging
import os
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx

from kg import forked
from kg.atomic import atomic_write_text
from kg.cache import CACHE_DIR_NAME, ExtractionCache, extractor_fingerprint
from kg.dedupe import Deduplicator, deduplicate
from kg.errors import NothingBuiltError
from kg.extract import Extractor, default_model_name
from kg.extract.mentions import GazetteerTerm
from kg.graph import Edge, article_edges, entity_attrs, outlet_communities
from kg.html import write_pages
from kg.ingest import (
    MAX_BYTES,
    MAX_CHARS,
    MAX_LINKS,
    count_files,
    iter_inputs,
    load_url_map,
    source_file,
)
from kg.language import ENGLISH
from kg.models import DEFAULT_MIN_CONFIDENCE, Article, Corpus, Extraction, ResolvedArticle, Skipped
from kg.outputs import OutputDir
from kg.rdf import Subject, graph_subjects, write_subjects
from kg.records import extraction_record
from kg.registry import Gazetteer, Registry, load_gazetteer, load_registry
from kg.report import Tally
from kg.resolve import NameTable, Resolver, article_id, normalize_url, outlet_of, resolve
from kg.skips import SkipLog
from kg.speakers import attach_speakers
from kg.spool import EdgeSpool, Spool, remove_stale_spools
from kg.stages import StageClock
from kg.store import STORE_NAME, write_store

if TYPE_CHECKING:
    from kg.distributed import DaskExtraction

log = logging.getLogger(__name__)

Progress = Callable[[str], None]

RDF_SUFFIXES = {"turtle": "ttl", "nt": "nt", "jsonld": "jsonld"}
# Fewer articles than this: the RDF file is written in the build's process (a fork costs more).
FORK_ARTICLES = 200
# Formats the store can load while they are written (JSON-LD is read whole: its contexts are
# checked first, `kg.store`).
STREAMED_FORMATS = ("turtle", "nt")
FEW_ARTICLES = 64  # fewer new articles than this in an incremental build: no worker processes


@dataclass(frozen=True)
class BuildOptions:
    model: str | None = None
    workers: int = 1
    # spaCy's parser holds a batch's activations at once: ~25 MB per 10 KB article, so 64
    # articles of news length took ~2 GB per process; 8 keeps it near 400 MB, no slower.
    batch_size: int = 8
    outlets: Path | None = None
    url_map: Path | None = None  # CSV of path,url for saved pages without their address
    # Budgets per input (`kg.ingest`): an input over one is skipped with its reason.
    max_bytes: int = MAX_BYTES
    max_chars: int = MAX_CHARS
    max_links: int = MAX_LINKS
    # Symlinks pointing outside the input folders are reported, not followed, unless this.
    follow_symlinks: bool = False
    rdf_format: str = "turtle"
    max_nodes: int = 2000
    html: bool = True
    # Extraction cache (`kg.cache`): None is OUT/cache; `use_cache=False` extracts everything
    # and leaves any cache alone.
    cache_dir: Path | None = None
    use_cache: bool = True
    # The embedded store OUT/graph.oxigraph (`kg.store`), loaded from the RDF file.
    store: bool = True
    # Attributions at or above this confidence become graph edges (`--min-confidence`).
    min_confidence: float = DEFAULT_MIN_CONFIDENCE
    # A Dask scheduler's address (or "local" for a LocalCluster of `workers` processes):
    # reading and extraction run on its workers (`kg.distributed`).
    scheduler: str | None = None


@dataclass(frozen=True)
class BuildResult:
    outputs: tuple[Path, ...]
    report: dict[str, Any]  # what report.json holds
    # wall seconds per stage (`kg.stages`); not in report.json, which must not vary
    seconds: dict[str, float] = field(default_factory=dict)


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


def _extractor(options: BuildOptions, registry: Registry, gazetteer: Gazetteer) -> Extractor:
    return Extractor(
        options.model,
        workers=options.workers,
        batch_size=options.batch_size,
        terms=gazetteer_terms(registry, gazetteer),
        speakers=True,  # decided in the worker processes, beside the parse
    )


def _cluster(
    options: BuildOptions, registry: Registry, gazetteer: Gazetteer, cache: ExtractionCache | None
) -> contextlib.AbstractContextManager[DaskExtraction | None]:
    """The Dask cluster of a build with `scheduler` (connected, the model loaded on every
    worker), or nothing."""
    if not options.scheduler:
        return contextlib.nullcontext()
    from kg.distributed import DaskExtraction, ReadLimits
    from kg.extract.extractor import ExtractorSettings

    settings = ExtractorSettings(
        model=options.model,
        batch_size=options.batch_size,
        terms=gazetteer_terms(registry, gazetteer),
        speakers=True,  # decided on the cluster's workers, where the texts are
    )
    return DaskExtraction(
        options.scheduler,
        settings,
        workers=options.workers,
        limits=ReadLimits(options.max_bytes, options.max_chars, options.max_links),
        follow_symlinks=options.follow_symlinks,
        url_map=load_url_map(options.url_map) if options.url_map else None,
        cache=cache,
    )


def _inputs(
    inputs: Sequence[str | Path], options: BuildOptions, exclude: Sequence[Path] = ()
) -> Iterator[Article | Skipped]:
    url_map = load_url_map(options.url_map) if options.url_map else None
    return iter_inputs(
        inputs, max_bytes=options.max_bytes, max_chars=options.max_chars,
        max_links=options.max_links, url_map=url_map, follow_symlinks=options.follow_symlinks,
        exclude=exclude,
    )


def extraction_cache(
    options: BuildOptions, registry: Registry, gazetteer: Gazetteer, out_dir: Path | None
) -> ExtractionCache | None:
    """The extraction cache of a build (None when it is switched off or has no place)."""
    if not options.use_cache:
        return None
    directory = options.cache_dir or (out_dir / CACHE_DIR_NAME if out_dir else None)
    if directory is None:
        return None
    terms = gazetteer_terms(registry, gazetteer)
    fingerprint = extractor_fingerprint(default_model_name(options.model), terms)
    return ExtractionCache(directory, fingerprint)


class _FileProgress:
    """Input files read so far out of the total, and the time left at this pace."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.done: set[str] = set()
        self.start = time.monotonic()

    def track(self, items: Iterator[Article | Skipped]) -> Iterator[Article | Skipped]:
        for item in items:
            self.done.add(source_file(item.path))
            yield item

    def eta(self) -> str:
        done = min(len(self.done), self.total)
        if not self.total:
            return ""
        text = f"; {done:,}/{self.total:,} files read"
        elapsed = time.monotonic() - self.start
        if 0 < done < self.total and elapsed > 1:
            left = elapsed / done * (self.total - done)
            text += f", about {_duration(left)} left"
        return text


def _duration(seconds: float) -> str:
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 5400:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


def _nothing_built(skipped: Iterable[Skipped]) -> NothingBuiltError:
    reasons = "; ".join(f"{s.path}: {s.reason}" for s in itertools.islice(skipped, 3))
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
        if not extractor.settings.speakers:
            ex = attach_speakers(ex)
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
    dedup = deduplicate(_inputs(inputs, options), registry)
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
        min_confidence=options.min_confidence,
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
    disk, keeping only the corpus-wide name table; then each article is resolved in id order,
    its edges parked in a second spool, while only counts and outlet-level aggregates stay in
    memory. The RDF file is written from that spool (in a forked child beside the pages, with
    two workers or more: `kg.forked`); the pages get every node but the edges of only the
    articles they draw or show as evidence.
    """
    clock = StageClock()
    with clock.stage("setup"):
        registry, gazetteer = load_reference(options.outlets)
    if progress:
        progress(f"reading {len(inputs)} input(s)")
    remove_stale_spools()
    with OutputDir(out_dir) as target, Spool() as spool, EdgeSpool() as edge_spool:
        cache = extraction_cache(options, registry, gazetteer, out_dir)
        # The build's own output and cache are never read as input (OUT may sit inside it).
        exclude = [out_dir, *([cache.root] if cache is not None else [])]
        # The cluster is let go of as soon as extraction ends; leaving early cancels its work.
        with contextlib.ExitStack() as cluster:
            with clock.stage("setup"):
                remote = cluster.enter_context(_cluster(options, registry, gazetteer, cache))
            corpus = _extract_to_spool(
                inputs, options, registry, gazetteer, spool, progress, cache=cache,
                remote=remote, clock=clock, exclude=exclude,
            )
        tally = Tally(corpus.outlets, corpus.resolver.entities, corpus.skipped, corpus.merged)
        # Every output is written into a staging folder and swapped in with the others
        # (`kg.outputs`): a failed or interrupted build leaves the previous set whole.
        stage = target.staging()
        rdf_path = stage / f"graph.{RDF_SUFFIXES[options.rdf_format]}"
        for art, edges in _resolved(corpus, corpus.spool.ids()):
            tally.add(art, edges)
            edge_spool.put_edges(art.id, art.outlet_id, edges)
        edge_spool.flush()
        write_rdf = functools.partial(_write_rdf, corpus.spool.ids(), tally, edge_spool,
                                      rdf_path, options.rdf_format)
        with contextlib.ExitStack() as tail:
            # With two workers or more, the RDF file is written in a forked child while this
            # process draws the pages (`kg.forked`), and the store loads the file's bytes
            # from a pipe as the child writes them, in a thread (Oxigraph's bulk load runs in
            # Rust and lets go of Python's lock). "rdf" is then the wait for both after the
            # pages; without a child, "rdf" is the writing and "store" the wait for the load.
            child = None
            stream: tuple[int, int] | None = None  # a pipe: the RDF file's bytes, to the store
            if (options.workers >= 2 and len(corpus.spool) >= FORK_ARTICLES
                    and forked.can_fork()):
                _ = tally.entities, tally.derived_edges  # computed once, for both processes
                if options.store and options.rdf_format in STREAMED_FORMATS:
                    stream = os.pipe()
                    write_rdf = functools.partial(write_rdf, copy_to=stream[1])
                child = forked.Forked(write_rdf, f"writing {out_dir / rdf_path.name}")
                if stream is not None:
                    os.close(stream[1])  # the child's now: the loader reads to its end
            else:
                with clock.stage("rdf"):
                    write_rdf()
            background = tail.enter_context(
                ThreadPoolExecutor(max_workers=1, thread_name_prefix="kg-store"))
            if child is not None:
                tail.callback(child.close)  # first on the way out: an error stops the child
            store = (background.submit(_load_store, rdf_path, child, stream)
                     if options.store else None)
            if options.html:
                with clock.stage("pages"):
                    write_pages(
                        stage,
                        entities={i: entity_attrs(e) for i, e in tally.entities.items()},
                        articles=tally.article_attrs,
                        derived=tally.derived_edges,
                        totals=tally.totals(),
                        article_outlets=corpus.outlets,
                        edges_of=lambda ids: ((aid, *edge_spool.get_edges(aid)) for aid in ids),
                        max_nodes=options.max_nodes,
                        progress=progress,
                        final_dir=out_dir,
                    )
            # `_load_store` waits for the child too, so the store's result comes first: an
            # error of the loader (which stops a child writing into its pipe) is the cause.
            if store is not None:
                with clock.stage("store" if child is None else "rdf"):
                    store_path = store.result()
            if child is not None:
                with clock.stage("rdf"):
                    child.wait()
            if progress:
                progress(f"wrote {out_dir / rdf_path.name}")
                if store is not None:
                    progress(f"wrote {out_dir / store_path.name}")
        with clock.stage("report"):
            report = tally.report()
            report["not_extracted"] = [
                {"path": path, "language": language, "reason": "not English: kept as an "
                 "article (publisher, date, links) without attributions or entities"}
                for path, language in corpus.not_english
            ]
            atomic_write_text(stage / "report.json",
                              json.dumps(report, indent=2, sort_keys=True) + "\n")
            written = target.commit()
            if cache is not None:
                cache.prune()
    order = {name: i for i, name in enumerate(
        [rdf_path.name, STORE_NAME, "graph.html", "outlets.html", "report.json"])}
    outputs = sorted(written, key=lambda p: order.get(p.name, len(order)))
    log.info("time per stage: %s", clock.summary())
    if corpus.worker_seconds:
        log.info("on the cluster's workers (summed): %s", ", ".join(
            f"{k} {v:.1f} s" for k, v in corpus.worker_seconds.items()))
    return BuildResult(outputs=tuple(outputs), report=report, seconds=dict(clock.seconds))


@dataclass
class _Spooled:
    """What `kg build` keeps in memory between extraction and output: the spool of
    extractions, and the corpus-wide tables that resolving one article needs."""

    spool: Spool
    resolver: Resolver
    outlets: dict[str, str | None]  # every article id → its outlet id
    order: list[str]  # article ids in input order
    skipped: SkipLog
    merged: dict[str, tuple[str, ...]]
    # articles kept in the graph without English extraction: (path, language)
    not_english: tuple[tuple[str, str], ...] = ()
    clock: StageClock = field(default_factory=StageClock)
    worker_seconds: dict[str, float] = field(default_factory=dict)  # on Dask workers


def _extract_to_spool(
    inputs: Sequence[str | Path],
    options: BuildOptions,
    registry: Registry,
    gazetteer: Gazetteer,
    spool: Spool,
    progress: Progress | None,
    *,
    keep_text: bool = False,
    cache: ExtractionCache | None = None,
    remote: DaskExtraction | None = None,
    clock: StageClock | None = None,
    exclude: Sequence[Path] = (),
) -> _Spooled:
    """Extract every article into `spool`, taking what `cache` holds from it and loading
    the model only when some article is not there; with `remote`, the articles are read and
    extracted on its Dask cluster."""
    clock = clock or StageClock()
    dedup = Deduplicator(registry)
    files = _FileProgress(
        count_files(inputs, follow_symlinks=options.follow_symlinks, exclude=exclude)
        if progress else 0
    )
    # On a cluster, waiting for the workers' partitions (read and extracted there) is extraction.
    items = (clock.iterate("extract", remote.items(inputs, exclude)) if remote is not None
             else _inputs(inputs, options, exclude))
    articles = clock.iterate("read", dedup.filter(files.track(items)))
    first = next(articles, None)
    if first is None:  # fail before the model loads
        raise _nothing_built(dedup.skipped)
    names = NameTable(registry, gazetteer)
    urls: dict[str, str] = {}
    outlets: dict[str, str | None] = {}
    order: list[str] = []
    not_english: list[tuple[str, str]] = []
    n = 0

    def keep(ex: Extraction, aid: str) -> None:
        with clock.stage("resolve"):
            _keep(ex, aid)

    def _keep(ex: Extraction, aid: str) -> None:
        """Keep an extraction whose speakers are decided (`attach_speakers`)."""
        nonlocal n
        n += 1
        names.add_mentions(ex.mentions)
        if ex.article.url:
            urls[normalize_url(ex.article.url)] = aid
        outlets[aid] = outlet_of(ex.article, registry)[0]
        # The graph keeps evidence sentences, not whole texts.
        article = ex.article if keep_text else dataclasses.replace(ex.article, text="")
        spool.put(aid, dataclasses.replace(ex, article=article, article_id=aid))
        if progress and n % 100 == 0:
            progress(f"extracted {n} articles{files.eta()}")

    def misses() -> Iterator[Article]:
        """The articles the cache does not hold; those it holds are kept on the way (what
        `keep` gathers is order-free, and `order` is fixed here, in input order)."""
        for article in itertools.chain([first], articles):
            aid = article_id(article)
            order.append(aid)
            if article.language not in (None, ENGLISH):
                # In the graph (publisher, date, links), but the English model reads no
                # attributions or entities into it.
                not_english.append((article.path, article.language or ""))
                keep(Extraction(article, (), ()), aid)
                continue
            cached = cache.get(article) if cache is not None else None
            if cached is None:
                yield article
            else:
                keep(cached, aid)

    pending = clock.iterate("read", misses())
    # An incremental build with a few new articles extracts them in this process: starting
    # worker processes, each loading the model, would take longer than the work. A cache
    # with no entry for this extractor (a first build, or --no-cache) cannot make a build
    # incremental: the workers start on the first article, without reading ahead to count.
    batch = list(itertools.islice(
        pending, FEW_ARTICLES if cache is not None and not cache.is_empty() else 1))
    if batch:
        if len(batch) < FEW_ARTICLES and cache is not None and cache.hits:
            options = dataclasses.replace(options, workers=1)
        with clock.stage("setup"):  # the model loads (here or in the worker processes)
            extractor = remote or _extractor(options, registry, gazetteer)
        found = clock.iterate("extract", extractor.extract(itertools.chain(batch, pending)))
        for ex in found:
            # The extractor decided the speakers, on the article's text (dropped below); the
            # cache keeps them with what it found.
            if cache is not None:
                with clock.stage("read"):
                    cache.put(ex.article, ex)
            keep(ex, article_id(ex.article))
    merged, copies = dedup.result()
    if progress:
        from_cache = f" ({cache.hits} from the cache)" if cache is not None else ""
        progress(
            f"extracted {n} article(s){from_cache}; {len(dedup.skipped)} input(s) skipped, "
            f"{sum(len(v) for v in merged.values())} duplicate(s) merged{files.eta()}"
        )
    return _Spooled(
        spool=spool,
        resolver=Resolver(registry, names, urls, merged, copies,
                          min_confidence=options.min_confidence),
        outlets=outlets,
        order=order,
        skipped=dedup.skipped,
        merged=merged,
        not_english=tuple(not_english),
        clock=clock,
        worker_seconds=dict(remote.worker_seconds) if remote is not None else {},
    )


def _resolved(corpus: _Spooled, ids: Iterable[str]) -> Iterator[tuple[ResolvedArticle, list[Edge]]]:
    for aid in ids:
        with corpus.clock.stage("resolve"):
            art = corpus.resolver.article(corpus.spool.get(aid))
            edges = article_edges(art, corpus.outlets)
        yield art, edges


def _load_store(
    rdf_path: Path, child: forked.Forked | None, stream: tuple[int, int] | None
) -> Path:
    """The store, from the RDF file: read from the `stream` pipe while the `child` writes
    the file, or from the file once the child (if any) has written it."""
    if stream is not None and child is not None:
        try:
            return write_store(rdf_path, source=f"/dev/fd/{stream[0]}",
                               file_written=child.wait)
        finally:
            os.close(stream[0])  # a child still writing gets a broken pipe, and stops
    if child is not None:
        child.wait()
    return write_store(rdf_path)


def _write_rdf(
    ids: Sequence[str], tally: Tally, edge_spool: EdgeSpool, path: Path, fmt: str,
    copy_to: int | None = None,
) -> None:
    """Write the RDF file of the resolved corpus: each article's subjects, from its node's
    attributes in `tally` and its edges in `edge_spool`, in id order (article subjects sort
    before every other subject), then the entities and the outlet-level citations."""
    write_subjects(_subjects(ids, tally, edge_spool), path, fmt=fmt, copy_to=copy_to)


def _subjects(ids: Sequence[str], tally: Tally, edge_spool: EdgeSpool) -> Iterator[Subject]:
    last = ""
    for aid in ids:
        outlet_id, edges = edge_spool.get_edges(aid)
        fragment = nx.MultiDiGraph()
        fragment.add_node(aid, **tally.article_attrs[aid])
        for u, v, key, attrs in edges:
            fragment.add_edge(u, v, key=key, **attrs)
        for subject in graph_subjects(fragment, [aid]):
            last = _in_order(last, subject)
            yield subject
    rest = nx.MultiDiGraph()
    communities = outlet_communities(tally.derived_edges, tally.entities)
    for entity_id, entity in tally.entities.items():
        rest.add_node(entity_id, **entity_attrs(entity))
        if entity_id in communities:
            rest.nodes[entity_id]["community"] = communities[entity_id]
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


def iter_extraction_records(
    inputs: Sequence[str | Path], options: BuildOptions, progress: Progress | None = None
) -> Iterator[dict[str, Any]]:
    """`kg extract`: one JSON-ready record per article, in the DESIGN.md shape."""
    registry, gazetteer = load_reference(options.outlets)
    remove_stale_spools()
    with Spool() as spool:
        corpus = _extract_to_spool(
            inputs, options, registry, gazetteer, spool, progress, keep_text=True
        )
        for aid in corpus.order:
            yield extraction_record(corpus.spool.get(aid), corpus.resolver)


