"""Quoted passages: where quotations open and close, and how a content grows to the quotes it
touches."""

from __future__ import annotations

import re
from bisect import bisect_left

QUOTE_CHARS = {"«": "»", "„": "“", "‘": "’"}


class QuoteIndex:
    """Quoted passages by where they start and end, for constant-time look-ups."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        self.spans = spans
        self.by_start = {q0: q1 for q0, q1 in spans}
        self.by_end = {q1: q0 for q0, q1 in spans}


def quoted(extent: tuple[int, int], quotes: list[tuple[int, int]]) -> bool:
    return any(q0 < extent[1] and extent[0] < q1 for q0, q1 in quotes)


def quotation(extent: tuple[int, int], quotes: list[tuple[int, int]]) -> bool:
    """Whether the extent is a quotation: it opens inside a quote or is mostly one ('"...,"
    she added'), not a phrase with a name or a scare quote in it ('a novel called "Dune"',
    'an episode of "DWTS."')."""
    start, end = extent
    if any(q0 <= start < q1 for q0, q1 in quotes):
        return True
    start, end = extend_to_quote(extent, quotes)
    inside = sum(max(0, min(end, q1) - max(start, q0)) for q0, q1 in quotes)
    return inside > 0 and 2 * inside >= end - start


# A closing double quote, or two right single quotes typed for one ("... an election.’’", a
# typesetter's rendering of TeX-style '' closers): without it the quote runs on to the next
# closing mark, paragraphs later.
DOUBLE_QUOTES = re.compile("[\"“”]|’’")


def _opens(text: str, i: int) -> bool:
    """Whether the double quote mark at `i` opens a quotation. Texts mix straight and curly
    marks and sometimes turn them the wrong way ('”What ...', 'not,“ he said'), so the
    neighbours decide: an opening mark follows a space or the line start and precedes a word."""
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if after.isspace():
        return False
    return before.isspace() or before in "([{—–-:/―"


def _closes(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if text[i] == "”":
        return not (before.isspace() and not after.isspace())
    return not before.isspace() or after.isspace() or not after.isalnum()


def quote_spans(text: str) -> list[tuple[int, int]]:
    """Character extents of quoted passages (including the quote marks), which may run over
    several sentences but not over a paragraph break. Straight and curly double quotes pair
    with each other (see `_opens`); a doubled apostrophe ('') counts as a straight double quote.

    Linear up to a logarithm: where each mark may close is computed once, so a text full of
    quotation marks that never close (100 KB took 382 s when each opener searched to the end
    of its paragraph) costs no more than one that closes them."""
    spans: list[tuple[int, int]] = []
    marks = _Marks(text)
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if ch in "\"“”":
            if not _opens(text, i):
                i += 1
                continue
            end = marks.double_close(i)
            if end is None:
                i += 1
                continue
            spans.append((i, end))
            i = end
            continue
        if ch == "'" and text.startswith("''", i):
            opener, close = "''", "''"
        elif ch in QUOTE_CHARS:
            opener, close = ch, QUOTE_CHARS[ch]
        else:
            i += 1
            continue
        # ’ is also the apostrophe ("Trump’s"): the closing one is not followed by a letter.
        j = marks.next(close, i + len(opener), apostrophe=ch == "‘")
        if j == -1 or marks.breaks_between(i, j):
            i += len(opener)
            continue
        spans.append((i, j + len(close)))
        i = j + len(close)
    return spans


class _Marks:
    """Where the closing marks and paragraph breaks of a text are, for `quote_spans`:
    sorted positions, found by bisection."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.breaks = _positions(text, "\n\n")
        self.closers = [m.end() - 1 for m in DOUBLE_QUOTES.finditer(text)
                        if _closes(text, m.end() - 1)]
        self._found: dict[tuple[str, bool], list[int]] = {}

    def double_close(self, start: int) -> int | None:
        """End (after the mark) of the quotation opened at `start`, None when the paragraph
        ends first."""
        k = bisect_left(self.breaks, start)
        limit = self.breaks[k] if k < len(self.breaks) else len(self.text)
        c = bisect_left(self.closers, start + 1)
        if c < len(self.closers) and self.closers[c] < limit:
            return self.closers[c] + 1
        return None

    def next(self, close: str, start: int, *, apostrophe: bool = False) -> int:
        """Where `close` next occurs from `start` (-1 if nowhere); with `apostrophe`, an
        occurrence followed by a letter does not count."""
        key = (close, apostrophe)
        if key not in self._found:
            found = _positions(self.text, close)
            if apostrophe:
                n = len(self.text)
                found = [j for j in found if not (j + 1 < n and self.text[j + 1].isalpha())]
            self._found[key] = found
        found = self._found[key]
        k = bisect_left(found, start)
        return found[k] if k < len(found) else -1

    def breaks_between(self, i: int, j: int) -> bool:
        """Whether a paragraph break lies wholly inside text[i:j]."""
        k = bisect_left(self.breaks, i)
        return k < len(self.breaks) and self.breaks[k] + 2 <= j


def _positions(text: str, needle: str) -> list[int]:
    """Every position of `needle` in `text`, overlapping ones too."""
    out = []
    j = text.find(needle)
    while j != -1:
        out.append(j)
        j = text.find(needle, j + 1)
    return out


def continue_quote(
    text: str, content: tuple[int, int], cue_end: int, quotes: list[tuple[int, int]]
) -> tuple[int, int]:
    """'"A," she said. "B."' and '"A," she said, "B."': the quote that resumes right after
    the cue's clause, in the same paragraph, is more of the same content."""
    start, end = content
    if cue_end < end:
        return content
    k = bisect_left(quotes, (start, -1))
    if k == len(quotes) or quotes[k][0] != start:
        return content
    j = bisect_left(quotes, (cue_end, -1))
    if j == len(quotes):
        return content
    q0, q1 = quotes[j]
    gap = text[cue_end:q0].rstrip()
    # The gap is what is left of the cue's sentence ("said.", "said on Monday, adding ...."),
    # or of its clause before a comma or colon ("said, "), nothing more.
    if "\n\n" in gap or not gap.endswith((".", ",", ":")) or "." in gap[:-1]:
        return content
    if gap.endswith(".") and len(gap) <= 200 or len(gap) <= 40 and "," not in gap[:-1]:
        return start, q1
    return content


def extend_to_quote(
    content: tuple[int, int], quotes: list[tuple[int, int]]
) -> tuple[int, int]:
    """A content that starts or ends inside a quote covers the whole quote, so that a quote
    running over several sentences is attributed whole."""
    start, end = content
    for q0, q1 in quotes:
        if q0 <= start < q1 or q0 < end <= q1 or (start <= q0 and q1 <= end):
            start, end = min(start, q0), max(end, q1)
    return start, end
