"""Quotation spans: the near-linear `quote_spans` finds exactly what the straightforward
search did (kept here as the reference), on texts made of the marks that matter."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from kg.extract.quotes import QUOTE_CHARS, _closes, _opens, quotation, quote_spans

DOUBLE = "\"“”"


def reference_quote_spans(text: str) -> list[tuple[int, int]]:
    """The search `quote_spans` replaced: each opener looks for its close to the end of its
    paragraph (quadratic when quotes never close)."""

    closers = _double_closers(text)

    def double_close(start: int) -> int | None:
        para = text.find("\n\n", start)
        limit = len(text) if para == -1 else para
        for j in range(start + 1, limit):
            if j in closers and _closes(text, j):
                return j + 1
        return None

    spans: list[tuple[int, int]] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch in DOUBLE:
            if not _opens(text, i):
                i += 1
                continue
            end = double_close(i)
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
        j = text.find(close, i + len(opener))
        if ch == "‘":
            while j != -1 and j + 1 < n and text[j + 1].isalpha():
                j = text.find(close, j + 1)
        if j == -1 or "\n\n" in text[i:j]:
            i += len(opener)
            continue
        spans.append((i, j + len(close)))
        i = j + len(close)
    return spans


def _double_closers(text: str) -> set[int]:
    """Closing marks, left to right: a double quote, or a pair of right single quotes ("’’")
    standing for one, which closes at its second mark."""
    closers: set[int] = set()
    k = 0
    while k < len(text):
        if text[k] in DOUBLE:
            closers.add(k)
        elif text.startswith("’’", k):
            closers.add(k + 1)
            k += 1
        k += 1
    return closers


PIECES = st.sampled_from(
    ['"', "“", "”", "'", "''", "«", "»", "„", "‘", "’", "’’", "\n\n", "\n", " ", "a", "word",
     "(", ":", "—", "."]
)


@settings(max_examples=3000, deadline=None)
@given(st.lists(PIECES, max_size=60).map("".join))
def test_quote_spans_match_the_reference(text: str) -> None:
    assert quote_spans(text) == reference_quote_spans(text)


def test_unclosed_quotes_give_no_span() -> None:
    text = 'He said "the talks would wait. ' * 2000
    assert quote_spans(text) == []
    closed = text + '\n\nShe said "it is over," and left.'
    assert [closed[a:b] for a, b in quote_spans(closed)] == ['"it is over,"']


def test_two_right_single_quotes_close_a_double_quote() -> None:
    """'“... an election.’’' (a typesetter's '' closer): the quote ends there, instead of
    running on to the next closing mark paragraphs later; a single ’ is an apostrophe."""
    text = ("It said “voters are entitled to it.’’ Critically, it said “no role.’’\n"
            "The voters’ call, “another” one.")
    assert [text[a:b] for a, b in quote_spans(text)] == [
        "“voters are entitled to it.’’", "“no role.’’", "“another”"]


def test_quotes_do_not_cross_a_paragraph() -> None:
    text = "«One\n\nTwo» and «three»"
    assert [text[a:b] for a, b in quote_spans(text)] == ["«three»"]


def test_a_quotation_is_the_content_not_a_quote_inside_it() -> None:
    """`quotation`: the extent opens in a quote or is mostly one; a name or a scare quote in a
    longer phrase does not make it a quotation."""
    text = ('"Denver," he answered. She watched an episode of "Dune" at home with friends. '
            'They fear a "grand pact."')
    quotes = quote_spans(text)
    assert quotation((0, 9), quotes)
    assert quotation((1, 7), quotes)
    assert not quotation((text.index("an episode"), text.index(" at home")), quotes)
    assert quotation((text.index("a \"grand"), text.index("pact") + 4), quotes)
