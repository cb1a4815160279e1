"""Extraction in worker processes (`kg build --workers N`).

Each worker process builds one `ExtractionWorker` (the model loads once per process) and maps
the batches of articles it is sent to compact records (`Found`: attributions and mentions, no
spaCy `Doc`, not even the article text); the calling process hands out batches, keeps at most
two per worker in flight, and yields the extractions in input order while the workers go on.

Stopping is part of the design, since a user stops a long build with Ctrl-C or `kill`:

- workers ignore SIGINT (Ctrl-C reaches the whole process group; the calling process decides)
  and die of SIGTERM, which is how they are stopped; on Linux they also die with the calling
  process, even when it is killed with SIGKILL;
- the processes are started with SIGINT and SIGTERM blocked, so a signal that lands while a
  worker is being forked is handled once every started process is known, never half-way;
- whatever ends the iteration (the last result, an error, an interruption, the consumer
  stopping early), every worker is stopped and joined before the generator returns.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import queue
import signal
from collections.abc import Iterable, Iterator
from multiprocessing.context import BaseContext
from multiprocessing.process import BaseProcess
from typing import Any

from kg.errors import KgError
from kg.extract.extractor import ExtractionWorker, ExtractorSettings, Found
from kg.lifeline import die_with_parent
from kg.models import Article, Extraction

log = logging.getLogger(__name__)

# Articles per task, and characters: small enough to keep both workers busy to the end and
# memory flat, big enough that a task is worth its round trip.
TASK_ARTICLES = 8
TASK_CHARS = 64_000
IN_FLIGHT_PER_WORKER = 2
_SIGNALS = {signal.SIGINT, signal.SIGTERM}


class WorkerError(KgError):
    """A worker process failed (it could not load the model, or it died)."""


def extract_in_processes(
    articles: Iterable[Article], settings: ExtractorSettings, workers: int
) -> Iterator[Extraction]:
    """The extractions of `articles` in their order, made by `workers` processes."""
    context = _context()
    tasks: Any = context.Queue()
    results: Any = context.Queue()
    procs: list[BaseProcess] = []
    finished = False
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, _SIGNALS)
    try:
        for _ in range(workers):
            proc = context.Process(  # type: ignore[attr-defined]
                target=_work, args=(settings, tasks, results, os.getpid()), daemon=True
            )
            procs.append(proc)
            proc.start()
    except BaseException:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
        _stop(procs, tasks, results, finished=False)
        raise
    try:
        # A signal that came in while the workers were forked is delivered here, with every
        # process known to the cleanup below.
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
        yield from _schedule(articles, procs, tasks, results)
        finished = True
    finally:
        _stop(procs, tasks, results, finished=finished)


def _schedule(
    articles: Iterable[Article], procs: list[BaseProcess], tasks: Any, results: Any
) -> Iterator[Extraction]:
    batches = _batches(articles)
    sent: dict[int, list[Article]] = {}
    done: dict[int, list[Found]] = {}
    n_sent = n_out = 0

    def send() -> None:
        nonlocal n_sent
        batch = next(batches, None)
        if batch is not None:
            sent[n_sent] = batch
            tasks.put((n_sent, batch))
            n_sent += 1

    for _ in range(IN_FLIGHT_PER_WORKER * len(procs)):
        send()
    while n_out < n_sent:
        try:
            n, found = results.get(timeout=1.0)
        except queue.Empty:
            dead = [p for p in procs if not p.is_alive()]
            if dead:
                raise WorkerError(
                    f"an extraction worker process died (exit code {dead[0].exitcode}); "
                    "was it out of memory?"
                ) from None
            continue
        if isinstance(found, str):
            raise WorkerError(f"an extraction worker failed: {found}")
        done[n] = found
        send()  # keep the worker busy while the results go on their way
        while n_out in done:
            for article, (attributions, mentions) in zip(
                sent.pop(n_out), done.pop(n_out), strict=True
            ):
                yield Extraction(article, attributions, mentions)
            n_out += 1


def _batches(articles: Iterable[Article]) -> Iterator[list[Article]]:
    batch: list[Article] = []
    chars = 0
    for article in articles:
        batch.append(article)
        chars += len(article.text)
        if len(batch) >= TASK_ARTICLES or chars >= TASK_CHARS:
            yield batch
            batch, chars = [], 0
    if batch:
        yield batch


def _stop(procs: list[BaseProcess], tasks: Any, results: Any, *, finished: bool) -> None:
    """Stop and join every worker: politely when the work is done, with SIGTERM otherwise (and
    SIGKILL for one that does not go); then let go of the queues without waiting on them."""
    if finished:
        for proc in procs:
            if proc.is_alive():
                tasks.put(None)
        for proc in procs:
            proc.join(10)
    for proc in procs:
        if proc.is_alive() or proc.exitcode is None:
            with contextlib.suppress(Exception):
                proc.terminate()
    for proc in procs:
        with contextlib.suppress(Exception):
            proc.join(5)
            if proc.is_alive():
                proc.kill()
                proc.join(1)
    for q in (tasks, results):
        q.cancel_join_thread()  # never block the exit on a pipe nobody reads
        q.close()


def _context() -> BaseContext:
    """Fork where there is fork (the workers start without importing kg and spaCy again);
    spawn elsewhere."""
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def _work(settings: ExtractorSettings, tasks: Any, results: Any, parent: int) -> None:
    """A worker process: load the model once, then extract batches until told to stop."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    die_with_parent(parent)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, _SIGNALS)
    try:
        worker = ExtractionWorker(settings)
    except Exception as exc:  # reported by the calling process, which stops the build
        results.put((-1, f"{exc.__class__.__name__}: {exc}"))
        return
    while True:
        task = tasks.get()
        if task is None:
            return
        n, batch = task
        try:
            found = list(worker.found(batch))
        except Exception as exc:
            results.put((n, f"{exc.__class__.__name__}: {exc} (in {batch[0].path} or after)"))
            return
        results.put((n, found))

