"""De-duplication: the same article read twice becomes one; the same text under another outlet
is kept and linked as a copy.

Runs between ingest and extract (`kg.pipeline` wires it), on `Article`s as ingest yields them,
so that a duplicate is never parsed.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from kg.models import Article, Skipped
from kg.registry import Registry
from kg.resolve import article_id, outlet_of, text_key

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Deduplicated:
    """Articles kept for extraction, and what de-duplication found."""

    articles: tuple[Article, ...]
    skipped: tuple[Skipped, ...]
    merged: dict[str, tuple[str, ...]] = field(default_factory=dict)  # id → other input paths
    copies: dict[str, tuple[str, ...]] = field(default_factory=dict)  # id → ids of same text



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


def deduplicate(items: Iterable[Article | Skipped], registry: Registry) -> Deduplicated:
    """All of `items` de-duplicated at once (see `Deduplicator`)."""
    dedup = Deduplicator(registry)
    kept = tuple(dedup.filter(items))
    merged, copies = dedup.result()
    return Deduplicated(articles=kept, skipped=tuple(dedup.skipped), merged=merged, copies=copies)
