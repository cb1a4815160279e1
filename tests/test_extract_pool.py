"""Extraction in worker processes (`kg.extract.pool`): the same extractions as in-process, in
input order; a worker that fails or dies stops the run with a clear error; nothing is left
running, however the iteration ends."""

from __future__ import annotations

import multiprocessing
import os
import signal
import time

import pytest

from kg.extract import Extractor
from kg.extract.extractor import ExtractorSettings
from kg.extract.pool import WorkerError, extract_in_processes
from kg.ingest import iter_inputs
from kg.models import Article
from kg.speakers import attach_speakers
from tests.conftest import DATA

SENTENCES = [
    "The minister said that the talks had failed.",
    "According to the ministry, the bridge will reopen on Monday.",
    "Officials hold that the vote was fair.",
    '"The port is closed," the harbour master told reporters.',
]


def _articles(n: int) -> list[Article]:
    out = [a for a in iter_inputs([DATA]) if isinstance(a, Article)]
    for i in range(n):
        text = f"Story {i}.\n\n" + " ".join(SENTENCES[(i + k) % len(SENTENCES)] for k in range(3))
        out.append(Article(path=f"story-{i}.txt", text=text))
    return out


def _children() -> list[multiprocessing.process.BaseProcess]:
    return [p for p in multiprocessing.active_children() if p.is_alive()]


def test_workers_give_what_one_process_gives_in_order() -> None:
    articles = _articles(40)
    one = list(Extractor(workers=1).extract(articles))
    two = list(Extractor(workers=2).extract(articles))
    assert [e.article.path for e in two] == [a.path for a in articles]
    assert two == one
    assert _children() == []


def test_workers_decide_the_speakers_where_the_text_is() -> None:
    """A build's extractor (speakers=True) sends back attributions with their speakers
    decided, the same as the sieve run afterwards in this process."""
    articles = _articles(12) + [Article(path="pronoun.txt", text=(
        "Ana Ruiz, the mayor, spoke on Monday. She said the bridge would reopen. "
        "Ruiz and the harbour master said the port was closed."))]
    plain = list(Extractor(workers=1).extract(articles))
    expected = [attach_speakers(e) for e in plain]
    assert any(a.speaker is not None for e in expected for a in e.attributions)
    assert all(a.speaker is None for e in plain for a in e.attributions)
    for workers in (1, 2):
        assert list(Extractor(workers=workers, speakers=True).extract(articles)) == expected
    assert _children() == []


def test_a_worker_that_cannot_start_is_reported() -> None:
    with pytest.raises(WorkerError, match="no_such_model"):
        list(extract_in_processes(_articles(3), ExtractorSettings(model="no_such_model"), 2))
    assert _children() == []


def test_a_worker_that_dies_stops_the_run() -> None:
    stream = extract_in_processes(_articles(400), ExtractorSettings(), 2)
    next(stream)
    victim = _children()[0]
    assert victim.pid is not None
    os.kill(victim.pid, signal.SIGKILL)
    with pytest.raises(WorkerError, match="died"):
        for _ in stream:
            pass
    time.sleep(0.2)
    assert _children() == []


def test_stopping_early_stops_the_workers() -> None:
    stream = extract_in_processes(_articles(200), ExtractorSettings(), 2)
    next(stream)
    assert len(_children()) == 2
    stream.close()
    assert _children() == []
