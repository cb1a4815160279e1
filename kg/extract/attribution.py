"""What every rule shares: the one constructor of `Attribution`s, the confidence levels, the
per-text context the rules read, and the way a rule declines.

A rule finds extents (of tokens, or of characters in the parsed text) and hands them to `build`,
which turns them into `Span`s in article offsets. A rule that does not apply returns
`Decline(reason)`; the reason is what `kg explain` shows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from spacy.tokens import Doc
from spacy.tokens import Span as SpacySpan

from kg.extract.quotes import QuoteIndex, quote_spans
from kg.extract.tokens import text_of
from kg.models import Attribution, Span


class Confidence:
    """How sure a rule is that the text attributes what it says to whom it says. The graph
    draws an attribution as a citation from `kg.models.DEFAULT_MIN_CONFIDENCE` (0.7) up (a
    build may choose another threshold); the rest are in `kg extract` output only, flagged."""

    # A cue with what is said: "X said that ...", "according to X, ...", a poll's finding.
    STATED = 0.9
    # "..., citing X": named as the source of a relayed report.
    RELAYED = 0.8
    # A verb of saying that as often makes or counts things (`OBJECT_VERBS`) with only its
    # object, neither clause nor quote: "added three assists", "wrote a novel", "published
    # the book". Below the graph's default threshold.
    OBJECT = 0.65
    # A verb of saying's participle on the noun it says, with its agent: "the plan announced
    # by the ministry", "sources cited by the paper" (source rule "participle-agent"); the
    # noun is what was said, though the parse gives the verb no content.
    PARTICIPLE_AGENT = 0.75
    # A named holder and what they hold: "in X's view, ...", "his answer was that ...", and a
    # hyperlink in the body.
    HELD = 0.7
    # Likely an attribution, read less directly: a stance with a clause or quote, a noun cue
    # with a clause, a headline, a quote after "Name:" or signed with a dash.
    LIKELY = 0.6
    # At the graph's floor: any verb with a that-clause ("ruled that ..."), a "Name: text"
    # line, "sees X as ...".
    FLOOR = 0.5
    # Below the floor. A verb of saying with no content ("the senator tweeted"):
    BARE = 0.45
    # a position without a clause or quote ("Clinton attacked Trump"), or a source left
    # implicit ("It is said that ...", "reportedly"):
    STANCE = 0.4
    # no statement at all ("did not respond to a request for comment"), or a question put to
    # someone by an unnamed asker.
    UNSTATED = 0.3
    # Taken off when the source is a pronoun: who it is rests on resolving it.
    PRONOUN_PENALTY = 0.15


class Tokens(NamedTuple):
    """Tokens [start, end) of the parsed text."""

    start: int
    end: int


class Chars(NamedTuple):
    """Characters [start, end) of the parsed text."""

    start: int
    end: int


@dataclass(frozen=True)
class Decline:
    """A rule that does not apply to a token, and why (shown by `kg explain`)."""

    reason: str


# What a rule gives: its attribution(s), or why it does not apply.
Outcome = Attribution | list[Attribution] | Decline


@dataclass
class Context:
    """One parsed text (a segment of an article at `offset`) as the rules read it: its text,
    computed once (`Doc.text` joins every token on each access), and its quotations."""

    doc: Doc
    offset: int = 0
    text: str = field(init=False)
    quotes: list[tuple[int, int]] = field(init=False)
    index: QuoteIndex = field(init=False)

    def __post_init__(self) -> None:
        self.text = text_of(self.doc)
        self.quotes = quote_spans(self.text)
        self.index = QuoteIndex(self.quotes)

    def span(self, extent: Tokens | Chars) -> Span:
        """A `Span` in article offsets for token or character extents of this text."""
        if isinstance(extent, Tokens):
            if extent.start >= extent.end:
                at = self.doc[extent.start].idx if extent.start < len(self.doc) else len(self.text)
                return Span("", at + self.offset, at + self.offset)
            first, last = self.doc[extent.start], self.doc[extent.end - 1]
            start, end = first.idx, last.idx + len(last.text)
        else:
            start, end = extent
        return Span(self.text[start:end], start + self.offset, end + self.offset)


def build(
    ctx: Context,
    *,
    rule: str,
    source: Tokens | Chars,
    source_kind: str,
    source_rule: str,
    cue: Tokens | Chars,
    content: Chars | None,
    kind: str,
    confidence: float,
    sentence: SpacySpan | Chars,
    via: Tokens | Chars | None = None,
) -> Attribution:
    """The one constructor of attributions: spans from extents, the confidence rounded, the
    evidence and the content within their budgets (`MAX_EVIDENCE_CHARS`, `MAX_CONTENT_CHARS`)."""
    if isinstance(sentence, SpacySpan):
        sentence = Chars(sentence.start_char, sentence.end_char)
    cue_span = ctx.span(cue)
    if sentence.end - sentence.start > MAX_EVIDENCE_CHARS:
        sentence = _window(sentence, cue_span.start - ctx.offset)
    if content is not None and content.end - content.start > MAX_CONTENT_CHARS:
        content = Chars(content.start, content.start + MAX_CONTENT_CHARS)
    return Attribution(
        source=ctx.span(source),
        source_kind=source_kind,
        cue=cue_span,
        content=ctx.span(content) if content is not None else None,
        kind=kind,
        confidence=round(confidence, 2),
        sentence=ctx.span(sentence),
        via=ctx.span(via) if via is not None else None,
        rule=rule,
        source_rule=source_rule,
    )


# Every attribution carries its evidence sentence and its content as text. A "sentence" of a
# hostile page can be a megabyte (27,000 links in one run of words), and each of its thousands
# of attributions carried a copy (1.2 MB of page → 3.3 GB). The evidence of a sentence longer
# than this is the window of this many characters around the cue, and a content is cut after
# this many characters; ordinary sentences and quotes are far shorter.
MAX_EVIDENCE_CHARS = 2_000
MAX_CONTENT_CHARS = 20_000


def _window(sentence: Chars, cue_start: int) -> Chars:
    """`MAX_EVIDENCE_CHARS` of `sentence` around the cue starting at `cue_start`."""
    start = max(sentence.start, cue_start - MAX_EVIDENCE_CHARS // 2)
    end = min(sentence.end, start + MAX_EVIDENCE_CHARS)
    return Chars(max(sentence.start, end - MAX_EVIDENCE_CHARS), end)
