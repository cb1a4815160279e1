"""Token and span helpers shared by the rules: extents of phrases and cues, and `Span` records
made from token or character extents."""

from __future__ import annotations

from typing import Any

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from kg.extract.lexicon import (
    MODAL_NAMES,
    PRONOUNS,
    RELATIVE_PRONOUNS,
)
from kg.models import Span

CONTENT_DEPS = frozenset({"ccomp", "xcomp", "parataxis"})


QUANTITIES = frozenset({"MONEY", "PERCENT", "CARDINAL", "QUANTITY"})


SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})


LOST_SUBJECT_DEPS = frozenset({"nummod", "npadvmod", "nmod", "dep"})


def text_of(doc: Doc) -> str:
    """The text of `doc`, computed once: `Doc.text` joins every token on each access, and the
    rules ask for it per attribution, which made long articles quadratic."""
    text = doc.user_data.get("kg.text")
    if not isinstance(text, str):
        text = doc.user_data["kg.text"] = doc.text
    return text


def cue_end_char(verb: Token) -> int:
    start, end = cue_span(verb)
    last = verb.doc[end - 1]
    return last.idx + len(last.text)


def modal_name(verb: Token) -> Token | None:
    """A name read as a modal ("Will wrote", "..., May said"): a modal takes a bare verb, so a
    capitalised "Will" or "May" before a finite past or present verb is its subject."""
    if verb.tag_ not in ("VBD", "VBZ"):
        return None
    return next((c for c in verb.children if c.dep_ == "aux" and c.tag_ == "MD"
                 and c.i == verb.i - 1 and c.lower_ in MODAL_NAMES and c.text[0].isupper()),
                None)


SPEAKER_RUN_DEPS = frozenset({"compound", "amod", "det", "nmod", "poss", "case"})


def passive_agent(verb: Token) -> Token | None:
    for child in verb.children:
        if child.dep_ == "agent":
            for grandchild in child.children:
                if grandchild.dep_ == "pobj":
                    return grandchild
    return None


def has_dep(verb: Token, dep: str) -> bool:
    return any(c.dep_ == dep for c in verb.children)


def has_clause(verb: Token) -> bool:
    return any(c.dep_ in CONTENT_DEPS for c in verb.children)


def subtree_chars(token: Token) -> tuple[int, int] | None:
    return trim_chars(list(token.subtree))


def trim_chars(tokens: list[Token]) -> tuple[int, int] | None:
    tokens = sorted(tokens, key=lambda t: t.i)
    while tokens and (tokens[0].is_punct or tokens[0].is_space):
        tokens.pop(0)
    while tokens and (tokens[-1].is_punct or tokens[-1].is_space):
        # Keep a closing quote when its opening quote is inside the span.
        closing, opening = ('"', "”", "»", "''"), ('"', "“", "«", "''")
        if tokens[-1].text in closing and any(t.text in opening for t in tokens[:-1]):
            break
        tokens.pop()
    if not tokens:
        return None
    return tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)


def np_span(head: Token) -> tuple[int, int]:
    """Token extent of a source noun phrase: its subtree, cut at a following relative clause or
    appositive comma so that "NK News, a website specialising in ..." stays "NK News, a website
    ..." only as far as the phrase goes, without the cue or content."""
    left, right = head.left_edge.i, head.right_edge.i + 1
    doc = head.doc
    while left < right and (doc[left].is_punct or doc[left].is_space):
        left += 1
    while right > left and (doc[right - 1].is_punct or doc[right - 1].is_space):
        right -= 1
    while right + 1 < len(doc) and _hyphen_joined(doc, right):
        # "Moon Jae-in" parsed as "Moon Jae" with "in" a preposition: one word, one name.
        right += 2
    return left, right


def _hyphen_joined(doc: Doc, at: int) -> bool:
    """The tokens at `at` and `at + 1` are the rest of the hyphenated word ending before `at`
    ("Jae" "-" "in"): no space on either side of the hyphen, a word after it."""
    return (
        doc[at].text in ("-", "\u2010", "\u2011") and doc[at - 1].whitespace_ == ""
        and doc[at].whitespace_ == "" and doc[at + 1].is_alpha
        and not doc[at - 1].is_punct
    )


def trim_tokens(doc: Doc, left: int, right: int) -> tuple[int, int] | None:
    """Token extent without punctuation, spaces and a trailing relative word at either end."""
    while left < right and (doc[left].is_punct or doc[left].is_space):
        left += 1
    while right > left and (
        doc[right - 1].is_punct or doc[right - 1].is_space
        or doc[right - 1].lower_ in RELATIVE_PRONOUNS
    ):
        right -= 1
    return (left, right) if left < right else None


def cue_span(verb: Token) -> tuple[int, int]:
    """The verb with its auxiliaries, negation and particle ("has learned", "points out")."""
    parts = [verb.i]
    name = modal_name(verb)
    for child in verb.children:
        if name is not None and child.i == name.i:
            continue
        if child.dep_ in ("aux", "auxpass", "neg", "prt") and abs(child.i - verb.i) <= 3:
            parts.append(child.i)
    return min(parts), max(parts) + 1


def clause_of(token: Token) -> Token:
    """The verb of the clause `token` belongs to ("lead" in "Trump has a lead in the polls" →
    "has")."""
    head = token
    while head.pos_ not in ("VERB", "AUX") and head.head.i != head.i:
        head = head.head
    return head


def opens_clause(token: Token) -> bool:
    """The token opens its sentence, or follows only a conjunction or adverb ("But in ...")."""
    sent_start = token.sent.start
    return token.i == sent_start or (
        token.i - sent_start <= 2
        and all(t.pos_ in ("CCONJ", "ADV", "PUNCT") for t in token.doc[sent_start : token.i])
    )


def is_pronoun(token: Token) -> bool:
    return token.pos_ == "PRON" or token.lower_ in PRONOUNS


def span_of(span: SpacySpan, offset: int) -> Span:
    return Span(span.text, span.start_char + offset, span.end_char + offset)


def span_of_tokens(doc: Doc, start: int, end: int, offset: int) -> Span:
    return span_of(doc[start:end], offset)


def span_of_chars(text: str, extent: tuple[int, int] | Any, offset: int) -> Span:
    start, end = extent
    return Span(text[start:end], start + offset, end + offset)
