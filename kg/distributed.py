"""Reading and extraction on a Dask cluster (`kg build --scheduler ADDRESS`).

    with DaskExtraction("tcp://10.0.0.5:8786", settings) as remote:
        for item in remote.items(inputs):          # Articles and Skipped, in input order
            ...                                    # de-duplication, the cache (kg.pipeline)
        for extraction in remote.extract(kept):    # what the workers found in them
            ...

The client (the process running `kg build`) lists the input files without reading them
(`kg.ingest.iter_files`) and cuts the list into partitions of consecutive files. Each Dask
worker reads and parses its partitions' files itself (so the files must be on a path the
workers see: a shared file system, mounted at the same place) and runs extraction with the
model that `ExtractionPlugin` loaded once when the worker joined; it sends back each article
with its compact extraction record (attributions and mentions, no spaCy `Doc`). The client
gathers the partitions in input order, at most a few per worker thread in flight, so that
its memory stays bounded; de-duplication, resolution and the writers then run once, on the
client, exactly as in a single-process build, so the outputs are byte-identical.

Failures: a worker that dies has its partitions re-run elsewhere by Dask (and results it held
are computed again); a file that cannot be read is a `Skipped` with its reason, as anywhere
in kg; leaving the `with` block early (an error, Ctrl-C) cancels the work still on the
cluster and closes the client (and the `LocalCluster` of `--scheduler local`).

The extraction cache: a worker that sees the cache folder (shared storage) skips the
articles it holds; the client takes them from the cache. Any article the client needs and
no worker extracted (a cache entry gone in between) is extracted in the client's process.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any, cast

from distributed.diagnostics.plugin import WorkerPlugin

from kg.cache import ExtractionCache
from kg.errors import KgError
from kg.extract.extractor import ExtractionWorker, ExtractorSettings, Found
from kg.ingest import (
    MAX_BYTES,
    MAX_CHARS,
    MAX_LINKS,
    InputFile,
    UrlMap,
    iter_files,
    read_input_file,
)
from kg.language import ENGLISH
from kg.models import Article, Extraction, Skipped

log = logging.getLogger(__name__)

LOCAL = "local"  # `--scheduler local`: a LocalCluster on this machine
PLUGIN_PREFIX = "kg-extraction-"  # + a digest of the extractor's settings
# A partition is a task: enough articles that its round trip is small next to the parse,
# few enough that the last ones do not leave a worker idle for long.
PARTITION_FILES = 16
PARTITION_BYTES = 64_000
IN_FLIGHT_PER_THREAD = 3  # partitions queued per worker thread (the client's memory bound)
# Articles extracted by workers that the pipeline has not asked for yet (duplicates, or
# cache hits the workers could not see); beyond this the oldest are dropped (and, if asked
# for after all, extracted in the client's process: slower, never wrong).
MAX_WAITING = 4096
CONNECT_TIMEOUT = "30s"

# What a worker sends back for one input record: a skipped input, or an article with what
# extraction found in it (None: not extracted there: not English, or in the cache).
Item = Skipped | tuple[Article, Found | None]


class DistributedError(KgError):
    """The Dask cluster could not be reached or used."""


@dataclass(frozen=True)
class Partition:
    """Consecutive input files for one task, with the address each has in the URL map."""

    files: tuple[InputFile, ...]
    urls: tuple[str | None, ...]


@dataclass(frozen=True)
class CacheRef:
    """Where the extraction cache lives, for workers that can see it."""

    root: str
    fingerprint: str


class ExtractionPlugin(WorkerPlugin):
    """A Dask worker plugin: loads the model once when the worker starts (or when the plugin
    is registered), for every task of the build to use. Registered by `DaskExtraction`; a
    worker that joins later (or is restarted after a crash) gets it too."""

    # A build with the same settings as the last one finds the model loaded (a cluster that
    # stays up serves build after build); other settings replace it (`DaskExtraction`).
    idempotent = True

    def __init__(self, settings: ExtractorSettings) -> None:
        self.settings = settings
        self.name = plugin_name(settings)
        self.extractor: ExtractionWorker | None = None
        self.lock: threading.Lock | None = None

    def __getstate__(self) -> dict[str, Any]:
        return {"settings": self.settings}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["settings"])  # type: ignore[misc]

    async def setup(self, worker: Any) -> None:
        # Off the worker's event loop: loading takes seconds, and the worker must keep
        # answering the scheduler meanwhile.
        self.lock = threading.Lock()
        self.extractor = await asyncio.to_thread(ExtractionWorker, self.settings)
        log.info("kg: model %s loaded on %s", self.extractor.nlp.meta.get("name"),
                 getattr(worker, "address", "?"))

    def teardown(self, worker: Any) -> None:
        self.extractor = None

    def found(self, articles: Sequence[Article]) -> list[Found]:
        if self.extractor is None or self.lock is None:
            raise DistributedError("kg: the extraction plugin was not set up on this worker")
        with self.lock:  # spaCy is not thread-safe: one parse at a time per worker process
            return list(self.extractor.found(articles))


def plugin_name(settings: ExtractorSettings) -> str:
    """The plugin's name on the workers: one per distinct extractor."""
    digest = hashlib.sha256(repr(settings).encode("utf-8")).hexdigest()[:16]
    return PLUGIN_PREFIX + digest


def _plugin_names(dask_worker: Any) -> list[str]:
    """(Run on each worker.) The kg plugins it holds."""
    return [n for n in dask_worker.plugins if str(n).startswith(PLUGIN_PREFIX)]


@dataclass(frozen=True)
class ReadLimits:
    """The per-input budgets of `kg.ingest.read_input_file`, as the build was given them."""

    max_bytes: int = MAX_BYTES
    max_chars: int = MAX_CHARS
    max_links: int = MAX_LINKS


def extract_partition(
    partition: Partition, plugin_name: str, limits: ReadLimits, cache: CacheRef | None
) -> tuple[list[Item], float, float]:
    """The task run on a worker: read the partition's files and extract their articles with
    the worker's model; also the seconds spent reading and extracting. Never raises for a
    bad file (it becomes a `Skipped`)."""
    from distributed import get_worker

    plugin = cast(ExtractionPlugin, get_worker().plugins[plugin_name])
    start = time.perf_counter()
    seen = ExtractionCache(Path(cache.root), cache.fingerprint) if cache is not None else None
    items: list[Item] = []
    todo: list[int] = []
    for file, url in zip(partition.files, partition.urls, strict=True):
        for item in read_input_file(file, max_bytes=limits.max_bytes, max_chars=limits.max_chars,
                                    max_links=limits.max_links, url=url):
            if isinstance(item, Skipped):
                items.append(item)
                continue
            if item.language in (None, ENGLISH) and not (seen is not None and seen.has(item)):
                todo.append(len(items))
            items.append((item, None))
    articles = [items[i][0] for i in todo]  # type: ignore[index]
    read = time.perf_counter()
    for i, found in zip(todo, plugin.found(articles), strict=True):
        items[i] = (items[i][0], found)  # type: ignore[index]
    return items, read - start, time.perf_counter() - read


def partitions(files: Iterable[InputFile | Skipped], url_map: UrlMap | None
               ) -> Iterator[Partition | Skipped]:
    """Consecutive files cut into partitions of at most `PARTITION_FILES` files and about
    `PARTITION_BYTES`; the skipped entries of the listing pass through in their place."""
    batch: list[InputFile] = []
    size = 0

    def cut() -> Partition:
        urls = tuple(url_map.get(f.path) if url_map is not None else None for f in batch)
        return Partition(tuple(batch), urls)

    for item in files:
        if isinstance(item, Skipped):
            if batch:
                yield cut()
                batch, size = [], 0
            yield item
            continue
        batch.append(item)
        size += item.stat.st_size
        if len(batch) >= PARTITION_FILES or size >= PARTITION_BYTES:
            yield cut()
            batch, size = [], 0
    if batch:
        yield cut()


class DaskExtraction:
    """A build's use of a Dask cluster: connect (or start a `LocalCluster` for `"local"`),
    register the model plugin, hand out partitions, gather what the workers found."""

    def __init__(
        self,
        address: str,
        settings: ExtractorSettings,
        *,
        workers: int = 2,
        limits: ReadLimits | None = None,
        follow_symlinks: bool = False,
        url_map: UrlMap | None = None,
        cache: ExtractionCache | None = None,
    ) -> None:
        self.address = address
        self.settings = settings
        self.local_workers = workers
        self.limits = limits or ReadLimits()
        self.follow_symlinks = follow_symlinks
        self.url_map = url_map
        self.cache = CacheRef(str(cache.root), cache.fingerprint) if cache is not None else None
        self.client: Any = None
        self.plugin_name = plugin_name(settings)
        self.cluster: Any = None
        self._in_flight: deque[Any] = deque()
        self._waiting: OrderedDict[int, tuple[Article, Found]] = OrderedDict()
        self._local: ExtractionWorker | None = None
        self.remote_articles = 0
        self.worker_seconds = {"read": 0.0, "extract": 0.0}
        self.local_articles = 0

    # --- the cluster ----------------------------------------------------------------------

    def __enter__(self) -> DaskExtraction:
        try:
            self._connect()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _connect(self) -> None:
        from distributed import Client, LocalCluster

        if self.address == LOCAL:
            import dask

            log.info("starting a local Dask cluster of %d worker(s)", self.local_workers)
            # Dask's statistical profiler wakes each worker's event loop every 10 ms to walk
            # the stacks of its tasks (for the dashboard, which a local build has not); it
            # took ~12% of a parsing thread's CPU, under the GIL. Workers started by hand:
            # DASK_DISTRIBUTED__WORKER__PROFILE__ENABLED=False (README).
            with dask.config.set({"distributed.worker.profile.enabled": False}):
                self.cluster = LocalCluster(
                    n_workers=self.local_workers,
                    threads_per_worker=1,  # spaCy parses one batch at a time per process
                    processes=True,
                    dashboard_address=None,
                    silence_logs=logging.ERROR,
                )
            self.client = Client(self.cluster)
        else:
            try:
                self.client = Client(self.address, timeout=CONNECT_TIMEOUT)
            except (OSError, TimeoutError, ValueError) as exc:
                raise DistributedError(
                    f"cannot reach the Dask scheduler at {self.address} ({exc})"
                ) from None
        if not self._threads():
            log.info("waiting for a Dask worker to join %s", self.address)
            self.client.wait_for_workers(1)
        plugin = ExtractionPlugin(self.settings)
        self.plugin_name = plugin.name
        # One model per worker: the plugins of other settings (an earlier build) go.
        stale = {n for names in self.client.run(_plugin_names).values() for n in names}
        for name in sorted(stale - {plugin.name}):
            with contextlib.suppress(Exception):
                self.client.unregister_worker_plugin(name)
        try:
            self.client.register_plugin(plugin, name=plugin.name)
        except Exception as exc:  # a worker without kg or the model: say so, not a traceback
            raise DistributedError(
                f"a Dask worker could not set up kg's extraction: {type(exc).__name__}: {exc}"
                " (every worker needs kg installed, with the same spaCy model)"
            ) from None
        log.info("Dask cluster %s: %d worker thread(s)", self.address, self._threads())

    def _threads(self) -> int:
        info = self.client.scheduler_info(n_workers=-1)
        return sum(int(w.get("nthreads", 1)) for w in info.get("workers", {}).values())

    def close(self) -> None:
        """Cancel what is still on the cluster and let go of it (idempotent)."""
        if self.client is not None:
            pending = list(self._in_flight)
            self._in_flight.clear()
            if pending:
                with contextlib.suppress(Exception):
                    self.client.cancel(pending, force=True)
            with contextlib.suppress(Exception):
                self.client.close(timeout=10)
            self.client = None
        if self.cluster is not None:
            with contextlib.suppress(Exception):
                self.cluster.close(timeout=10)
            self.cluster = None
        self._waiting.clear()

    # --- the work -------------------------------------------------------------------------

    def items(
        self, inputs: Sequence[str | Path], exclude: Sequence[Path] = ()
    ) -> Iterator[Article | Skipped]:
        """Every input record in `kg.ingest.iter_inputs` order (the same files: symlinks out of
        the inputs and `exclude`, the build's own folders, left out), read on the workers with
        the build's limits; what they extracted is kept for `extract`."""
        if self.client is None:
            raise DistributedError("DaskExtraction used outside its `with` block")
        window = max(4, IN_FLIGHT_PER_THREAD * self._threads())
        parts = partitions(
            iter_files(inputs, follow_symlinks=self.follow_symlinks, exclude=exclude), self.url_map
        )
        queue: deque[Any] = deque()  # futures and listing skips, in input order
        self._in_flight = queue

        def fill() -> None:
            while sum(1 for q in queue if not isinstance(q, Skipped)) < window:
                part = next(parts, None)
                if part is None:
                    return
                if isinstance(part, Skipped):
                    queue.append(part)
                else:
                    queue.append(self.client.submit(
                        extract_partition, part, self.plugin_name, self.limits, self.cache,
                        pure=False,
                    ))

        fill()
        while queue:
            head = queue.popleft()
            if isinstance(head, Skipped):
                yield head
                continue
            result, read, extract = head.result()
            self.worker_seconds["read"] += read
            self.worker_seconds["extract"] += extract
            del head  # the cluster may forget it
            fill()
            for item in result:
                if isinstance(item, Skipped):
                    yield item
                    continue
                article, found = item
                if found is not None:
                    self._remember(article, found)
                yield article

    def _remember(self, article: Article, found: Found) -> None:
        self.remote_articles += 1
        self._waiting[id(article)] = (article, found)
        while len(self._waiting) > MAX_WAITING:
            self._waiting.popitem(last=False)

    def extract(self, articles: Iterable[Article]) -> Iterator[Extraction]:
        """The extractions of `articles` (which `items` yielded), in their order."""
        for article in articles:
            found: Found | None = None
            if id(article) in self._waiting:
                # Entries before this article's are those the pipeline did not ask for.
                while self._waiting:
                    _key, (seen, f) = self._waiting.popitem(last=False)
                    if seen is article:
                        found = f
                        break
            if found is None:
                found = self._extract_here(article)
            yield Extraction(article, *found)

    def _extract_here(self, article: Article) -> Found:
        log.debug("%s: not extracted on the cluster; extracting it here", article.path)
        self.local_articles += 1
        if self._local is None:
            self._local = ExtractionWorker(self.settings)
        return next(iter(self._local.found([article])))
