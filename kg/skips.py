"""The inputs a build skipped, kept small: the first ones by name, the rest as counts.

A hostile or broken archive can hold millions of unreadable records (a JSON Lines file of 4M
bad lines is 8 MB). Keeping every `Skipped` made memory and report.json grow with them (4.5 GB,
a 463 MB report); a `SkipLog` keeps at most `listed` of them by name, at most `per_file` from
any one input file (so one bad file cannot hide the others), and counts every other one by the
kind of its reason (its words, with numbers left out: "invalid JSON (Expecting value at line N
column N)").

In report.json:

    "skipped":           [{"path": ..., "reason": ...}, ...]   the ones listed
    "skipped_total":     every skip, listed or not
    "skipped_not_listed": {"<kind of reason>": count, ...}      the others, by kind
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Any

from kg.models import Skipped

LISTED = 1000  # skips named in report.json
PER_FILE = 10  # records of one input file named; its others are counted
KINDS = 100  # kinds of reason counted one by one; the rest are "other reasons"
OTHER = "other reasons"

_NUMBER = re.compile(r"\d+")


def reason_kind(reason: str) -> str:
    """A reason with its numbers (lines, columns, sizes) left out, for counting."""
    return _NUMBER.sub("N", reason)[:200]


class SkipLog:
    """Skipped inputs as they come: the first ones kept, the others counted (see the module
    docstring). Iterating gives the listed ones; `total` counts all."""

    def __init__(self, listed: int = LISTED, per_file: int = PER_FILE) -> None:
        self.limit = listed
        self.per_file = per_file
        self.listed: list[Skipped] = []
        self.total = 0
        self.not_listed: Counter[str] = Counter()
        # records of a container come one after the other: only the current file is counted
        self._file = ""
        self._in_file = 0

    def add(self, item: Skipped) -> None:
        from kg.ingest import source_file  # ingest imports nothing of this module

        self.total += 1
        source = source_file(item.path)
        if source != self._file:
            self._file, self._in_file = source, 0
        self._in_file += 1
        if len(self.listed) < self.limit and self._in_file <= self.per_file:
            self.listed.append(item)
            return
        kind = reason_kind(item.reason)
        if kind not in self.not_listed and len(self.not_listed) >= KINDS:
            kind = OTHER
        self.not_listed[kind] += 1

    def extend(self, items: Iterable[Skipped]) -> None:
        for item in items:
            self.add(item)

    def __iter__(self) -> Iterator[Skipped]:
        return iter(self.listed)

    def __len__(self) -> int:
        return self.total

    def __bool__(self) -> bool:
        return self.total > 0

    def report(self) -> dict[str, Any]:
        """The three report.json fields (see the module docstring)."""
        return {
            "skipped": [{"path": s.path, "reason": s.reason} for s in self.listed],
            "skipped_total": self.total,
            "skipped_not_listed": dict(sorted(self.not_listed.items())),
        }
