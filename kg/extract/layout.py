"""Rules read from the text's layout rather than its parse: quotes after "Name:", quotes signed
with a dash, "Name: statement" lines, embedded posts signed "— Name (@handle) date", credits in
brackets ("[Engadget]"), and hyperlinks."""

from __future__ import annotations

import re
from collections.abc import Sequence

from spacy.tokens import Doc
from spacy.tokens import Span as SpacySpan

from kg.extract.attribution import Chars, Confidence, Context, build
from kg.extract.lexicon import (
    KICKER_WORDS,
    NOT_SPEAKERS,
)
from kg.extract.sources import output_kind
from kg.extract.tokens import text_of
from kg.models import Attribution, Link


def link_attributions(ctx: Context, links: Sequence[Link]) -> list[Attribution]:
    """A hyperlink inside the body is a citation of whatever it points at; the anchor text is
    both its source and its cue (resolve decides, from the URL, what it points at)."""
    doc, offset = ctx.doc, ctx.offset
    out = []
    for link in links:
        if link.start is None or link.end is None:
            continue
        start, end = link.start - offset, link.end - offset
        if not (0 <= start < end <= len(ctx.text)):
            continue
        anchor = doc.char_span(start, end, alignment_mode="expand")
        if anchor is None:
            continue
        out.append(build(
            ctx, rule="hyperlink", source=Chars(start, end), source_kind="outlet",
            source_rule="link-target", cue=Chars(start, end), content=None, kind="hyperlink",
            confidence=Confidence.HELD, sentence=anchor.sent,
        ))
    return out


def colon_quotes(ctx: Context, found: list[Attribution]) -> list[Attribution]:
    """A quotation no other rule took, right after a colon that follows a name on the same line
    ("Warren to the bank's chief: \"...\""): that person or organisation is its speaker."""
    doc, offset, text = ctx.doc, ctx.offset, ctx.text
    covered = [(a.content.start - offset, a.content.end - offset) for a in found if a.content]
    out: list[Attribution] = []
    for q0, q1 in ctx.quotes:
        if q1 - q0 < 20 or any(c0 <= q0 < c1 or q0 <= c0 < q1 for c0, c1 in covered):
            continue
        prefix = text[max(0, q0 - 3) : q0]
        if ":" not in prefix:
            continue
        speaker = _speaker_before(doc, q0)
        if speaker is None:
            continue
        colon = text.rfind(":", 0, q0)
        sent = doc.char_span(speaker.start_char, speaker.end_char, alignment_mode="expand")
        sentence_start = sent.sent.start_char if sent is not None else speaker.start_char
        out.append(build(
            ctx, rule="quote.after-colon", source=Chars(speaker.start_char, speaker.end_char),
            source_kind=output_kind(speaker), source_rule="name-before-colon",
            cue=Chars(colon, colon + 1), content=Chars(q0, q1), kind="quote",
            confidence=Confidence.LIKELY, sentence=Chars(sentence_start, q1),
        ))
    return out


DASHES = "―—–"


SPEAKER_LINE = re.compile(
    r"^[ \t]*[\"“'‘]?(?P<name>[A-Z][\w.'’-]*(?:[ \t]+[A-Z][\w.'’-]*){0,3})[ \t]*:[ \t]+"
    r"(?P<body>\S[^\n]*)",
    re.MULTILINE,
)


# A quote signed with a dash and a name: `"…" ― Jane Doe`. Spaces may be non-breaking.
DASH_SIGNATURE = re.compile(
    r"(?P<close>[\"”»’])[^\S\n]*(?P<dash>[―—–]|--)[^\S\n]*"
    r"(?P<name>[A-Z][\w.'’-]*(?:[^\S\n]+[A-Z][\w.'’-]*){0,4})"
)


OPENING_QUOTES = "\"“”«„"


def dash_quotes(ctx: Context, found: list[Attribution]) -> list[Attribution]:
    """A quote signed with a dash and a name: "…" ― Jane Doe.

    The content is the quote that ends at the dash; failing that (a quote opened with a
    wrong-way ” or holding quotes of its own), the line from its opening quote mark."""
    text = ctx.text
    ends = {q1: q0 for q0, q1 in ctx.quotes}
    out = []
    for m in DASH_SIGNATURE.finditer(text):
        q1 = m.end("close")
        q0 = ends.get(q1)
        if q0 is None:
            line_start = text.rfind("\n", 0, q1) + 1
            while line_start < q1 and text[line_start].isspace():
                line_start += 1
            if text[line_start] not in OPENING_QUOTES or q1 - line_start < 3:
                continue
            q0 = line_start
        s_start, s_end = m.span("name")
        out.append(build(
            ctx, rule="quote.dash-signature", source=Chars(s_start, s_end), source_kind="person",
            source_rule="signature", cue=Chars(*m.span("dash")), content=Chars(q0, q1),
            kind="quote", confidence=Confidence.LIKELY, sentence=Chars(q0, s_end),
        ))
    return out


def speaker_colons(ctx: Context, found: list[Attribution]) -> list[Attribution]:
    """"Name: statement" at the start of a line: headlines ("Pence: Flowers won't be at the
    debate") and transcripts ("WALLACE: Let's start ...")."""
    text = ctx.text
    out = []
    for m in SPEAKER_LINE.finditer(text):
        name = m.group("name")
        words = [w.lower().strip(".") for w in name.split()]
        if words[0] in NOT_SPEAKERS or KICKER_WORDS.intersection(words) or any(
            ch.isdigit() for ch in name
        ):
            continue
        n0, n1 = m.start("name"), m.end("name")
        colon = text.index(":", n1)
        b0, b1 = m.start("body"), m.end("body")
        body = text[b0:b1].rstrip()
        if _label_line(body) and text[:n0].strip():
            continue
        out.append(build(
            ctx, rule="speaker-line", source=Chars(n0, n1), source_kind="unknown",
            source_rule="line-label", cue=Chars(colon, colon + 1),
            content=Chars(b0, b0 + len(body)), kind="quote", confidence=Confidence.FLOOR,
            sentence=Chars(n0, b0 + len(body)),
        ))
    return out


def _label_line(body: str) -> bool:
    """A "Label: value" line, not a statement: a few words ("Rubio: Finish second."), a figure
    ("Clinton: 547."), or a list of names ("Iowa: Ann Lee, Bo Diaz, Cy Young, ...")."""
    words = body.split()
    if len(words) <= 5:
        return True
    if body.count(",") >= 3:
        lower = [w for w in words if w[0].islower() and w not in ("and", "of", "de", "van")]
        return len(lower) <= 1
    return False


def _speaker_before(doc: Doc, char: int) -> SpacySpan | None:
    """The person or organisation named last before a colon that opens a quote, on the same
    line ("Warren to the bank's chief: '...'")."""
    line_start = text_of(doc).rfind("\n", 0, char) + 1
    for ent in reversed(doc.ents):
        if ent.end_char > char:
            continue
        if ent.start_char < line_start:
            return None
        if ent.label_ in ("PERSON", "ORG"):
            return ent
    return None


# The signature line of an embedded post (Twitter's embed code): "— Jane Roe (@janeroe) November
# 18, 2019" under the text of the post.
POST_SIGNATURE = re.compile(
    r"^[^\S\n]*[—–-][^\S\n]*(?P<name>\S[^\n(]{0,60}?)[^\S\n]*\(@\w{1,30}\)[^\S\n]*"
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
    r"[^\S\n]+\d{1,2},[^\S\n]+\d{4}[^\S\n]*$",
    re.MULTILINE,
)


def post_signatures(ctx: Context, found: list[Attribution]) -> list[Attribution]:
    """An embedded post: its text on the line before "— Jane Roe (@janeroe) November 18, 2019",
    said by the account's owner."""
    text = ctx.text
    out = []
    for m in POST_SIGNATURE.finditer(text):
        end = text.rfind("\n", 0, m.start())
        if end <= 0:
            continue
        start = text.rfind("\n", 0, end) + 1
        body = text[start:end]
        b0 = start + len(body) - len(body.lstrip())
        b1 = start + len(body.rstrip())
        if b1 - b0 < 3:
            continue
        n0, n1 = m.span("name")
        dash = m.start() + len(m.group()) - len(m.group().lstrip())
        out.append(build(
            ctx, rule="quote.post-signature", source=Chars(n0, n1), source_kind="unknown",
            source_rule="signature", cue=Chars(dash, dash + 1), content=Chars(b0, b1),
            kind="quote", confidence=Confidence.STATED, sentence=Chars(b0, m.end()),
        ))
    return out


# A credit in brackets at the end of a line: "It's Complicated [Bloomberg]", a link list's
# "[Engadget]". Only an outlet counts (resolve drops any other name: "[VIDEO]", "[INSIGHT]").
BRACKET_CREDIT = re.compile(
    r"\[(?P<name>[A-Z0-9][^\[\]\n]{1,40})\][^\S\n]*\|?[^\S\n]*$", re.MULTILINE
)


def bracket_credits(ctx: Context, found: list[Attribution]) -> list[Attribution]:
    """"Headline [Outlet]" or "[Outlet]" under what it credits: the outlet in brackets is the
    source of the line (or, alone on its line, of the line before)."""
    text = ctx.text
    out = []
    for m in BRACKET_CREDIT.finditer(text):
        start = text.rfind("\n", 0, m.start()) + 1
        before = text[start : m.start()]
        if before.strip():
            b0 = start + len(before) - len(before.lstrip())
            b1 = start + len(before.rstrip())
        else:
            end = text.rfind("\n", 0, start)
            if end <= 0:
                continue
            b0 = text.rfind("\n", 0, end) + 1
            b1 = end
            while b0 < b1 and text[b0].isspace():
                b0 += 1
            while b1 > b0 and text[b1 - 1].isspace():
                b1 -= 1
            if b1 - b0 < 3:
                continue
        n0, n1 = m.span("name")
        out.append(build(
            ctx, rule="credit.bracket", source=Chars(n0, n1), source_kind="outlet",
            source_rule="bracketed-name", cue=Chars(n0 - 1, n1 + 1), content=Chars(b0, b1),
            kind="reported", confidence=Confidence.STATED, sentence=Chars(b0, n1 + 1),
        ))
    return out
