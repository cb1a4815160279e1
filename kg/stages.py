"""Where a build's time goes: wall time per stage, for `kg build -v` and the benchmarks.

The stages of a streaming build run interleaved (extraction pulls articles from the reader,
the RDF writer pulls resolved articles), so each stage is timed *exclusively*: every moment
is charged to the innermost stage running then, and the stages add up to the build's time.

    clock = StageClock()
    with clock.stage("rdf"):
        write(clock.iterate("resolve", resolved_articles()))
    clock.summary()   # "read 1.2 s, extract 30.4 s, resolve 2.0 s, rdf 3.1 s, … (total 37 s)"
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TypeVar

T = TypeVar("T")

# The stages of `kg build`, in the order the breakdown names them (setup: the registry, the
# model, the cluster).
STAGES = ("setup", "read", "extract", "resolve", "rdf", "store", "pages", "report")


class StageClock:
    """Exclusive wall time per named stage; time outside any stage is "other"."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self._stack: list[str] = []
        self._since = self._start = time.perf_counter()

    def _charge(self) -> None:
        now = time.perf_counter()
        name = self._stack[-1] if self._stack else "other"
        self.seconds[name] = self.seconds.get(name, 0.0) + now - self._since
        self._since = now

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        """Charge the time inside the block to `name` (less what inner stages take)."""
        self._charge()
        self._stack.append(name)
        try:
            yield
        finally:
            self._charge()
            self._stack.pop()

    def iterate(self, name: str, items: Iterable[T]) -> Iterator[T]:
        """`items`, with the time spent making each one charged to `name`."""
        iterator = iter(items)
        while True:
            with self.stage(name):
                try:
                    item = next(iterator)
                except StopIteration:
                    return
            yield item

    def add(self, name: str, seconds: float) -> None:
        """Time spent elsewhere (e.g. on cluster workers), reported beside the build's own."""
        self.seconds[name] = self.seconds.get(name, 0.0) + seconds

    def summary(self, names: Iterable[str] = STAGES) -> str:
        self._charge()
        total = time.perf_counter() - self._start
        order = list(names)
        order += sorted(k for k in self.seconds if k not in order)
        parts = [f"{k} {self.seconds[k]:.1f} s" for k in order if k in self.seconds]
        return ", ".join(parts) + f" (total {total:.1f} s)"
