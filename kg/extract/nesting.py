"""Nesting: an attribution inside another's content gets the outer source as `via`; `outermost`
keeps the ones PolNeAR annotates."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import replace

from kg.extract.lexicon import SAYING
from kg.extract.quotes import quote_spans
from kg.models import Attribution


def dedupe_attributions(items: list[Attribution]) -> list[Attribution]:
    seen: set[tuple[int, int, int, int]] = set()
    out: list[Attribution] = []
    for a in sorted(items, key=lambda a: (a.cue.start, a.source.start, a.cue.end)):
        key = (a.source.start, a.source.end, a.cue.start, a.cue.end)
        if key not in seen:
            seen.add(key)
            out.append(a)
    return out


def mark_nested(found: list[Attribution]) -> list[Attribution]:
    out = []
    contents = _Contents(found)
    for inner in found:
        outer = _outer(inner, contents.around(inner))
        if outer is not None and inner.via is None and not outer.implicit:
            inner = replace(inner, via=outer.source)
        out.append(inner)
    return out


class _Contents:
    """The attributions with a content, by where it starts: those whose content may hold a
    cue are the ones starting at most the longest content's length before it, so an article
    dense with attributions is not compared pair by pair (it was quadratic)."""

    def __init__(self, found: Sequence[Attribution]) -> None:
        self.found = found
        order = sorted((a.content.start, i) for i, a in enumerate(found) if a.content is not None)
        self.starts = [start for start, _ in order]
        self.index = [i for _, i in order]
        self.longest = max(
            (a.content.end - a.content.start for a in found if a.content is not None), default=0
        )

    def around(self, inner: Attribution) -> list[Attribution]:
        """The attributions whose content may hold `inner`'s cue, in their order."""
        lo = bisect_left(self.starts, inner.cue.start - self.longest)
        hi = bisect_right(self.starts, inner.cue.start)
        return [self.found[i] for i in sorted(self.index[lo:hi])]


def _outer(inner: Attribution, found: Sequence[Attribution]) -> Attribution | None:
    """The attribution whose content holds `inner`'s cue, the widest if several do."""
    best: Attribution | None = None
    if _relative(inner):
        return None
    for outer in found:
        c = outer.content
        if outer is inner or c is None:
            continue
        if outer.source == inner.source and _participle_after_comma(inner):
            # The same speaker goes on ("X said ..., adding that ..."): two sister
            # attributions, not one inside the other.
            continue
        if c.start <= inner.cue.start and inner.cue.end <= c.end and not (
            inner.content is not None and inner.content.start <= outer.cue.start < inner.content.end
        ):
            width = best.content.end - best.content.start if best and best.content else 0
            if best is None or c.end - c.start > width:
                best = outer
    return best


def _relative(a: Attribution) -> bool:
    """The cue sits in a relative clause whose own words carry the content ("a finish that he
    said defied expectations", "Harvey, who acknowledged ...", "which he described as ..."):
    a statement of its own, not part of the clause around it."""
    first = a.content.text.split(None, 1)[0].lower() if a.content and a.content.text else ""
    if first in ("which", "whom"):
        return True
    # "critics who say he should ...": the relative pronoun speaks, with a verb of saying.
    return a.source.text.lower() in ("who", "which") and a.cue.text.split()[-1].lower() in SAYING


def _participle_after_comma(a: Attribution) -> bool:
    """The cue is a participle opening a clause after a comma (", arguing that ...")."""
    before = a.sentence.text[: a.cue.start - a.sentence.start].rstrip()
    return a.cue.text.split()[0].lower().endswith("ing") and before.endswith(",")


def outermost(attributions: Sequence[Attribution], text: str) -> list[Attribution]:
    """The attributions that are not nested in another: whose cue is neither inside a quotation
    nor inside another attribution's content. PolNeAR annotates only these ("only the
    outermost of nested attributions"), so `kg eval` scores these; the graph keeps all, with
    the outer source as `via`."""
    quotes = quote_spans(text)  # in text order, never overlapping
    starts = [q0 for q0, _ in quotes]

    def in_quote(a: Attribution) -> bool:
        k = bisect_left(starts, a.cue.start) - 1  # the last quote opening before the cue
        return k >= 0 and a.cue.end < quotes[k][1]

    kept = [a for a in attributions if not in_quote(a)]
    contents = _Contents(kept)
    return [a for a in kept if _outer(a, contents.around(a)) is None]
