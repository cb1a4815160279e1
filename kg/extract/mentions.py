"""Entity mentions: spaCy's named entities, merged with gazetteer and registry matches.

Part of the extract stage (called by `kg.extract.Extractor` on every parsed text); kept apart so
that entity quality can be worked on and measured (`kg eval` on CoNLL-2003) on its own.

How a text's mentions are found (every step is linear in the number of tokens):

1. **Model entities**: spaCy's `doc.ents`, cleaned to the usual NER conventions: no leading
   "the"/punctuation/numbers, no trailing possessive "'s", punctuation or numbers, split at line
   breaks and commas (a name does not run across them); junk dropped (pronouns, dates, spans
   with fewer than two letters, a lone lower-case or common-noun word).
2. **Gazetteer matches**: case-sensitive phrase matches of the outlet registry and the
   gazetteer. They are trusted for their *type* but not for cutting a longer model entity in
   half ("New York" inside "New York Stock Exchange", "Moscow" inside "Dynamo Moscow").
3. **Merge**: the longer span wins an overlap; for the same span the gazetteer's type wins (a
   known country is a place even when the model says PERSON).
4. **Document consistency**: a name keeps one type across the text (majority vote, with a
   person's surname voting "person" wherever the full name appears), and a name found once is
   found everywhere it recurs in the same text (label propagation).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Token

from kg.extract.lexicon import PRONOUNS
from kg.models import Mention, Span

# spaCy labels → mention types. NORP (nationalities) is "other" only when asked for; dates and
# numbers are never entities here.
LABEL_TYPES = {
    "PERSON": "person",
    "ORG": "organization",
    "GPE": "place",
    "LOC": "place",
    "FAC": "place",
    "EVENT": "other",
    "PRODUCT": "other",
    "WORK_OF_ART": "other",
    "LAW": "other",
    "LANGUAGE": "other",
}
# Names of these kinds never end (or begin) with a bare number: "Durham 114" in a score line is
# "Durham", "7. Gillian Russell" in a ranked list is "Gillian Russell". Titles of events,
# products and works may ("Euro 96", "Windows 95"), so they keep theirs.
NUMBERLESS_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP"})
GAZETTEER = "GAZETTEER"

# Weekdays and months: the small model sometimes labels them PERSON or ORG. "May" is left out
# (a common surname); a month inside a longer name ("March Madness") is kept.
CALENDAR_WORDS = frozenset(
    """
    monday tuesday wednesday thursday friday saturday sunday january february april june july
    august september october november december
    """.split()
)
ARTICLES = frozenset({"the", "a", "an"})
SENTENCE_OPENERS = frozenset(
    {".", "!", "?", ":", ";", '"', "“", "”", "«", "(", "[", "-", "--", "—"}
)
# Penn tags of common nouns: a one-word "entity" the tagger reads as one ("Attendance",
# "Automakers" at the start of a line) is a capitalised word, not a name.
COMMON_NOUN_TAGS = frozenset({"NN", "NNS"})

# Priority when a document votes on a name's type: a gazetteer match is knowledge, a surname
# taken from a full name is strong evidence, a model label is a guess.
VOTE_GAZETTEER = 3
VOTE_SURNAME = 2
VOTE_MODEL = 1


@dataclass(frozen=True)
class GazetteerTerm:
    """A surface form the matcher looks for, and the mention type it gives."""

    text: str
    type: str


class _Cand(NamedTuple):
    """A candidate mention over tokens [start, end) of a doc."""

    start: int
    end: int
    type: str
    # spaCy label or GAZETTEER; "DOC" when propagated, "<label>+DOC" when retyped by the document
    label: str


# --- gazetteer matching ----------------------------------------------------------------------


@lru_cache(maxsize=1)
def default_terms() -> tuple[GazetteerTerm, ...]:
    """Names from the packaged outlet registry and gazetteer."""
    from kg.registry import load_gazetteer, load_registry

    terms: list[GazetteerTerm] = []
    for outlet in load_registry().outlets:
        for name in (outlet.name, *outlet.aliases):
            terms.append(GazetteerTerm(name, "organization"))
    for entry in load_gazetteer().entries:
        for name in (entry.name, *entry.aliases):
            terms.append(GazetteerTerm(name, entry.type))
    return tuple(terms)


def _confident_term(text: str) -> bool:
    """Whether a surface form is safe to match by its exact spelling anywhere in a text.

    One- and two-letter names ("AP", "UN") are too ambiguous on their own; a name with no
    capital letter ("meduza.io" aside, which has a dot) would match ordinary words.
    """
    if len(text) < 3:
        return False
    return any(ch.isupper() for ch in text) or "." in text


def build_matcher(nlp: Language, terms: Sequence[GazetteerTerm]) -> PhraseMatcher:
    """A case-sensitive (ORTH) phrase matcher over `terms`; the match id is the mention type.

    The first term of a given spelling fixes its type (the registry's outlets come first).
    """
    matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
    types: dict[str, str] = {}
    by_type: dict[str, list[str]] = {}
    for term in terms:
        text = term.text.strip()
        if not _confident_term(text) or text in types:
            continue
        types[text] = term.type
        by_type.setdefault(term.type, []).append(text)
    for type_, texts in sorted(by_type.items()):
        matcher.add(type_, [nlp.make_doc(t) for t in sorted(texts)])
    return matcher


def _gazetteer_candidates(doc: Doc, matcher: PhraseMatcher | None) -> list[_Cand]:
    """Non-overlapping gazetteer matches, longest first."""
    if matcher is None:
        return []
    found = []
    for match_id, start, end in matcher(doc):
        span = _clean(doc, start, end, GAZETTEER)
        if span is not None:
            found.append(_Cand(span[0], span[1], doc.vocab.strings[match_id], GAZETTEER))
    found.sort(key=lambda c: (-(c.end - c.start), c.start))
    return _non_overlapping(found, len(doc))


# --- model entities --------------------------------------------------------------------------


def _model_candidates(doc: Doc, nationalities: bool) -> list[_Cand]:
    """spaCy's entities with our types, cleaned; adjacent nationalities joined."""
    out: list[_Cand] = []
    for ent in doc.ents:
        label = ent.label_
        type_ = LABEL_TYPES.get(label)
        if type_ is None and nationalities and label == "NORP":
            type_ = "other"
        if type_ is None:
            continue
        for start, end in _split(doc, ent.start, ent.end):
            span = _clean(doc, start, end, label)
            if span is None:
                continue
            if label == "PERSON" and _surname_he(doc, span[0], span[1]):
                span = (span[0] - 1, span[1])
            prev = out[-1] if out else None
            # "Iraqi Kurdish", "Bosnian Serb": one compound nationality, not two.
            if (
                prev is not None
                and label == "NORP"
                and prev.label == "NORP"
                and prev.end == span[0]
                and doc[prev.end - 1].whitespace_ == " "
            ):
                out[-1] = prev._replace(end=span[1])
                continue
            out.append(_Cand(span[0], span[1], type_, label))
    return out


def _surname_he(doc: Doc, start: int, end: int) -> bool:
    """"He Jianxiong", "He Lifeng": the Chinese surname He, which the model leaves out of the
    name as if it were the pronoun; the tagger reads it as a proper noun compounded with it."""
    if start == 0:
        return False
    he = doc[start - 1]
    return he.text == "He" and he.pos_ == "PROPN" and he.dep_ == "compound" and (
        start <= he.head.i < end
    )


def _split(doc: Doc, start: int, end: int) -> Iterable[tuple[int, int]]:
    """Cut an entity at line breaks and commas: "the Oval, Surrey" is a ground and a county,
    and a headline's last word does not join the next line's first."""
    piece = start
    for i in range(start, end):
        tok = doc[i]
        if tok.text == "," or (tok.is_space and "\n" in tok.text) or "\n" in tok.whitespace_:
            cut = i if (tok.text == "," or tok.is_space) else i + 1
            if cut > piece:
                yield piece, cut
            piece = i + 1
    if piece < end:
        yield piece, end


def _starts_sentence(tok: Token) -> bool:
    """Whether `tok` is capitalised by its position: first of the text, of a line or of a
    sentence (after ". ", a quote or a colon), whatever the parser decided."""
    if tok.i == 0 or tok.is_sent_start:
        return True
    prev = tok.nbor(-1)
    if "\n" in prev.whitespace_ or (prev.is_space and "\n" in prev.text):
        return True
    return prev.text in SENTENCE_OPENERS


def _strip_leading(tok: Token, label: str) -> bool:
    if tok.is_punct or tok.is_space:
        return True
    if tok.lower_ in ARTICLES:
        # "the Kremlin" → "Kremlin", but "The Hague" and "The Oval" keep a capital "The" that
        # is part of the name (a "The" starting a sentence is capitalised by position only).
        return tok.text.islower() or _starts_sentence(tok)
    return label in NUMBERLESS_LABELS and not any(ch.isalpha() for ch in tok.text)


def _strip_trailing(tok: Token, label: str) -> bool:
    if tok.is_punct or tok.is_space or tok.tag_ == "POS" or tok.lower_ in ("'s", "’s"):
        # A possessive ("Kim's" → "Kim"; "Kim 's" when the text is pre-tokenised).
        return True
    if label not in NUMBERLESS_LABELS:
        return False
    # A number ("Durham 114"), or a lower-case common noun the model ran on with
    # ("Interfax news agency" → "Interfax"): names end with a capitalised word.
    return not any(ch.isalpha() for ch in tok.text) or (tok.is_lower and tok.is_alpha)


def _clean(doc: Doc, start: int, end: int, label: str) -> tuple[int, int] | None:
    """Trim an entity to its name; None when nothing name-like is left."""
    while start < end and _strip_leading(doc[start], label):
        start += 1
    while end > start and _strip_trailing(doc[end - 1], label):
        end -= 1
    if start >= end:
        return None
    text = doc[start:end].text
    lower = text.lower()
    if lower in PRONOUNS or lower in CALENDAR_WORDS:
        return None
    # Initials on their own ("R."), numbers, stray symbols.
    if sum(ch.isalpha() for ch in text) < 2:
        return None
    if end - start == 1 and label not in (GAZETTEER, "NORP"):
        tok = doc[start]
        # A one-word entity in lower case ("congress") or one the tagger reads as a common noun
        # ("Attendance :", "Automakers ,") is an ordinary word.
        if not any(ch.isupper() for ch in text) or tok.tag_ in COMMON_NOUN_TAGS:
            return None
    return start, end


# --- merging and document consistency --------------------------------------------------------


def _non_overlapping(cands: Iterable[_Cand], length: int) -> list[_Cand]:
    taken = [False] * length
    out = []
    for c in cands:
        if any(taken[c.start : c.end]):
            continue
        for i in range(c.start, c.end):
            taken[i] = True
        out.append(c)
    return out


# Words that join two names in one model entity ("The Wrap and Deadline").
COORDINATORS = frozenset({"and", "&"})


def _known_parts(c: _Cand, known: dict[tuple[int, int], _Cand], doc: Doc) -> list[_Cand] | None:
    """The coordinated-known-names rule: a model entity that is known names joined by "and"
    or "&" ("The Wrap and Deadline", one ORG to the model) is those names, each a gazetteer
    match of its own from end to end. A name holding "and" is not cut when it is known as a
    whole (then its parts are no matches: the longer match won) or when a part is unknown
    ("Procter & Gamble", "Marks and Spencer")."""
    joins = [i for i in range(c.start + 1, c.end - 1) if doc[i].lower_ in COORDINATORS]
    if not joins:
        return None
    parts, start = [], c.start
    for i in [*joins, c.end]:
        # a part may open with "the", inside its match or before it (a match is cleaned)
        part = known.get((start, i))
        if part is None and doc[start].lower_ == "the":
            part = known.get((start + 1, i))
        if part is None:
            return None
        parts.append(part)
        start = i + 1
    return parts


def _merge(doc: Doc, model: list[_Cand], gazetteer: list[_Cand]) -> list[_Cand]:
    """The longer span wins an overlap, so a known name inside a longer one ("Moscow" in
    "Dynamo Moscow") does not cut it; on the same span the gazetteer's type wins. A model
    entity made of known names joined by "and" is cut into them (`_known_parts`)."""
    by_span = {(c.start, c.end): c for c in gazetteer}
    model = [part for c in model for part in (_known_parts(c, by_span, doc) or [c])]
    merged = []
    for c in model:
        known = by_span.get((c.start, c.end))
        merged.append(c if known is None else c._replace(type=known.type, label=GAZETTEER))
    same = {(c.start, c.end) for c in model}
    merged.extend(c for c in gazetteer if (c.start, c.end) not in same)
    merged.sort(key=lambda c: (-(c.end - c.start), c.label != GAZETTEER, c.start))
    return sorted(_non_overlapping(merged, len(doc)))


def _key(doc: Doc, start: int, end: int) -> tuple[str, ...]:
    return tuple(t.text for t in doc[start:end])


def _votes(doc: Doc, chosen: list[_Cand]) -> dict[tuple[str, ...], Counter[str]]:
    votes: dict[tuple[str, ...], Counter[str]] = defaultdict(Counter)
    for c in chosen:
        weight = VOTE_GAZETTEER if c.label == GAZETTEER else VOTE_MODEL
        votes[_key(doc, c.start, c.end)][c.type] += weight
        if c.type == "person" and c.end - c.start > 1:
            # "Jevu Shin" makes a later "Shin" a person too.
            last = doc[c.end - 1]
            if last.is_title and len(last.text) > 1:
                votes[(last.text,)]["person"] += VOTE_SURNAME
    return votes


def _propagate(
    doc: Doc, chosen: list[_Cand], votes: dict[tuple[str, ...], Counter[str]]
) -> list[_Cand]:
    """Add unlabelled occurrences of names found elsewhere in the same text.

    Only capitalised occurrences count, and none that overlaps a mention already chosen.
    """
    by_first: dict[str, list[tuple[str, ...]]] = defaultdict(list)
    for key in votes:
        if key[0][:1].isupper() and key[0].lower() not in ARTICLES:
            by_first[key[0]].append(key)
    for keys in by_first.values():
        keys.sort(key=len, reverse=True)
    taken = [False] * len(doc)
    for c in chosen:
        for i in range(c.start, c.end):
            taken[i] = True
    added = []
    i = 0
    n = len(doc)
    while i < n:
        step = 1
        for key in () if taken[i] else by_first.get(doc[i].text, ()):
            end = i + len(key)
            if end <= n and not any(taken[i:end]) and _key(doc, i, end) == key:
                # Not when it is only the start of a longer capitalised run ("Washington" in
                # "Washington Post" the model missed): that is a different name.
                if end < n and doc[end].is_title and not doc[end].is_sent_start:
                    break
                added.append(_Cand(i, end, "", "DOC"))
                step = len(key)
                break
        i += step
    return sorted(chosen + added)


def _harmonise(
    doc: Doc, cands: list[_Cand], votes: dict[tuple[str, ...], Counter[str]]
) -> list[_Cand]:
    out = []
    for c in cands:
        tally = votes.get(_key(doc, c.start, c.end))
        if tally:
            best = max(tally.values())
            winners = sorted(t for t, v in tally.items() if v == best)
            type_ = c.type if c.type in winners else winners[0]
            if type_ != c.type:
                c = c._replace(type=type_, label=f"{c.label}+DOC" if c.type else "DOC")
        if c.type:
            out.append(c)
    return out


def find_mentions(
    doc: Doc, offset: int, matcher: PhraseMatcher | None, *, nationalities: bool = False
) -> list[Mention]:
    """Named-entity mentions in `doc` (offsets shifted by `offset`), in text order.

    `nationalities` keeps spaCy's NORP entities ("Russian", "Iraqi Kurds") as type "other": the
    graph leaves them out, an evaluation against a scheme that counts them (CoNLL) asks for them.
    """
    chosen = _merge(doc, _model_candidates(doc, nationalities), _gazetteer_candidates(doc, matcher))
    votes = _votes(doc, chosen)
    cands = _harmonise(doc, _propagate(doc, chosen, votes), votes)
    mentions = []
    for c in cands:
        span = doc[c.start : c.end]
        mentions.append(
            Mention(
                Span(span.text, span.start_char + offset, span.end_char + offset), c.type, c.label
            )
        )
    return mentions
