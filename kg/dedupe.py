"""De-duplication: the same article read twice becomes one; the same text under another outlet
is kept and linked as a copy, and so is a near-copy (a syndicated story with another headline
line, a byline or a sentence changed).

Runs between ingest and extract (`kg.pipeline` wires it), on `Article`s as ingest yields them,
so that a duplicate is never parsed.

Near-copies: two texts whose word 5-gram shingles overlap by 0.9 or more (Jaccard). Each text
keeps a bottom-k sketch (the 64 smallest shingle hashes, a MinHash variant with one hash
function: 64 integers per article, whatever its length); the similarity of two texts is
estimated from their sketches, and only texts that share one of their 4 smallest hashes are
compared, so a new article is checked against a handful of candidates, not the whole pile.

A hash shared by many texts is boilerplate (a footer, a disclaimer, a template line), not a sign
of one story: each of the 4 smallest hashes lists at most the first `BAND_LIMIT` texts that have
it, so a pile whose texts share such lines is not compared pairwise (that was quadratic: 1,816
template-built articles took 365,000 comparisons). A story syndicated more widely than that is
still found through its other hashes, and its later copies are linked to the first ones.
"""

from __future__ import annotations

import hashlib
import heapq
import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from kg.models import Article, Skipped
from kg.registry import Registry
from kg.resolve import article_id, outlet_of, text_key
from kg.skips import SkipLog

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Deduplicated:
    """Articles kept for extraction, and what de-duplication found."""

    articles: tuple[Article, ...]
    skipped: tuple[Skipped, ...]
    merged: dict[str, tuple[str, ...]] = field(default_factory=dict)  # id → other input paths
    copies: dict[str, tuple[str, ...]] = field(default_factory=dict)  # id → ids of same text



NEAR_COPY = 0.9  # shingle similarity from which two texts are copies of one story
SHINGLE = 5  # words per shingle
SKETCH = 64  # hashes kept per text
_BANDS = 4  # smallest hashes used to find candidates
_MIN_SHINGLES = 20  # shorter texts are compared by their exact text only
BAND_LIMIT = 64  # texts listed per hash for finding candidates (the first ones)


def sketch(text: str) -> tuple[int, ...]:
    """The smallest `SKETCH` hashes of the text's word 5-grams, ascending (empty when the text
    has fewer than 20 distinct ones).

    A shingle's hash is computed from its words' hashes (`_shingle_hashes`), never from the
    shingle's own string: each distinct word is hashed once, and the 5-grams are combined in
    numpy, which is what lets a build sketch every article of a big pile in its main process
    at little cost."""
    words = re.findall(r"\w+", text.casefold())
    if len(words) < SHINGLE + _MIN_SHINGLES - 1:
        return ()
    hashes = np.unique(_shingle_hashes(words))  # ascending, each distinct shingle once
    if len(hashes) < _MIN_SHINGLES:
        return ()
    return tuple(int(h) for h in hashes[:SKETCH])


# Odd 64-bit multipliers (from the digits of pi and e); arithmetic wraps modulo 2**64.
_MULTIPLIER = np.uint64(0x243F6A8885A308D3)
_MIX1, _MIX2 = np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB)


def _word_hash(word: str) -> int:
    """A stable 64-bit hash of a word (never Python's `hash`, which changes with the seed)."""
    return int.from_bytes(hashlib.blake2b(word.encode("utf-8", "surrogatepass"),
                                          digest_size=8).digest())


# Words hashed so far (a plain dict: looking words up with `map` runs at C speed, which is most
# of what sketching a long article costs); emptied when it grows past `_WORD_TABLE_LIMIT`.
_WORD_TABLE: dict[str, int] = {}
_WORD_TABLE_LIMIT = 1 << 18


def _word_hashes(words: list[str]) -> np.ndarray[Any, np.dtype[np.uint64]]:
    table = _WORD_TABLE
    if len(table) > _WORD_TABLE_LIMIT:
        table.clear()
    for word in set(words).difference(table):
        table[word] = _word_hash(word)
    return np.fromiter(map(table.__getitem__, words), dtype=np.uint64, count=len(words))


def _shingle_hashes(words: list[str]) -> np.ndarray[Any, np.dtype[np.uint64]]:
    """A 64-bit hash of every run of `SHINGLE` words: the polynomial of its words' hashes,
    then SplitMix64's finaliser, so that the smallest hashes are a uniform sample of the
    shingles (what the bottom-k estimate of `similarity` needs)."""
    word_hashes = _word_hashes(words)
    count = len(words) - SHINGLE + 1
    hashes = np.zeros(count, dtype=np.uint64)
    for offset in range(SHINGLE):
        hashes = hashes * _MULTIPLIER + word_hashes[offset : offset + count]
    hashes ^= hashes >> np.uint64(30)
    hashes *= _MIX1
    hashes ^= hashes >> np.uint64(27)
    hashes *= _MIX2
    hashes ^= hashes >> np.uint64(31)
    return hashes


def similarity(a: tuple[int, ...], b: tuple[int, ...]) -> float:
    """Estimated Jaccard similarity of two texts from their sketches (bottom-k estimator)."""
    if not a or not b:
        return 0.0
    mine, other = frozenset(a), frozenset(b)
    return _estimate(mine, other, mine & other)


def _estimate(a: frozenset[int], b: frozenset[int], shared: frozenset[int]) -> float:
    """`similarity` of two sketches held as sets, given the hashes they share."""
    k = min(len(a), len(b))
    return sum(1 for h in heapq.nsmallest(k, a | b) if h in shared) / k


class Deduplicator:
    """De-duplication as a stream: `filter` passes on the first input of each article and
    remembers the rest. One article per URL and per (text, outlet); the same text under another
    outlet is kept as a syndicated copy and linked to the first one."""

    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self.skipped = SkipLog()
        self.merged: dict[str, list[str]] = {}
        self.copies: dict[str, list[str]] = {}
        self._ids: set[str] = set()
        self._by_text: dict[str, list[tuple[str | None, str]]] = {}
        self._sketches: dict[str, frozenset[int]] = {}
        self._by_band: dict[int, list[str]] = {}

    def filter(self, items: Iterable[Article | Skipped]) -> Iterator[Article]:
        for item in items:
            if isinstance(item, Skipped):
                self.skipped.add(item)
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
            if aid not in self.copies:
                self._near_copies(aid, item)
            self._ids.add(aid)
            self._by_text.setdefault(key, []).append((outlet, aid))
            yield item

    def _near_copies(self, aid: str, item: Article) -> None:
        """Link `aid` to the earlier articles whose text it nearly repeats."""
        mine = sketch(item.text)
        if not mine:
            return
        candidates: set[str] = set()
        for h in mine[:_BANDS]:
            candidates.update(self._by_band.get(h, ()))
        mine_set = frozenset(mine)
        for other in sorted(candidates):
            theirs = self._sketches[other]
            shared = mine_set & theirs
            # The estimate counts shared hashes out of k, so a pair sharing fewer than
            # NEAR_COPY * k is ruled out without computing it (most candidates end here).
            if len(shared) < NEAR_COPY * min(len(mine_set), len(theirs)):
                continue
            if _estimate(mine_set, theirs, shared) >= NEAR_COPY:
                self.copies.setdefault(aid, []).append(other)
                log.info("%s: a near-copy of an earlier article; linked as a copy", item.path)
        self._sketches[aid] = mine_set
        for h in mine[:_BANDS]:
            listed = self._by_band.setdefault(h, [])
            if len(listed) < BAND_LIMIT:
                listed.append(aid)

    def result(self) -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
        """(merged, copies) as the resolve stage takes them."""
        return (
            {k: tuple(v) for k, v in self.merged.items()},
            {k: tuple(v) for k, v in self.copies.items()},
        )


def deduplicate(items: Iterable[Article | Skipped], registry: Registry) -> Deduplicated:
    """All of `items` de-duplicated at once (see `Deduplicator`)."""
    dedup = Deduplicator(registry)
    kept = tuple(dedup.filter(items))
    merged, copies = dedup.result()
    return Deduplicated(articles=kept, skipped=tuple(dedup.skipped), merged=merged, copies=copies)
