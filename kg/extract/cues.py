"""Cue candidates: the tests that decide whether a word is used as a cue here (a verb of
saying, a stance, a view) rather than in another sense."""

from __future__ import annotations

from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from kg.extract.lexicon import (
    BARE_NO_CUE,
    CLAUSE_ONLY_VERBS,
    CUE_VERBS,
    SHOWN_STANCES,
    STANCE_VERBS,
)
from kg.extract.sources import agentive, guess_kind
from kg.extract.tokens import np_span


def put_it(verb: Token) -> bool:
    """"As the senator put it, ...": "put it" in an "as" clause, a way of saying."""
    return verb.dep_ in ("advcl", "parataxis", "ccomp") and any(
        c.dep_ == "mark" and c.lower_ == "as" for c in verb.children
    ) and any(c.dep_ == "dobj" and c.lower_ == "it" for c in verb.children)


def headline_lemma(token: Token) -> str | None:
    """The cue verb a capitalised word of a title-case headline stands for ("Endorses",
    "Slams", "Said"), which the parser reads as part of a name."""
    low = token.lower_
    forms = [low[:-3] + "y"] if low.endswith("ies") else []
    if low.endswith("es"):
        forms.append(low[:-2])
    if low.endswith("s"):
        forms.append(low[:-1])
    if low.endswith("ed"):
        forms += [low[:-1], low[:-2]]
    if low == "said":
        forms.append("say")
    return next((f for f in forms if (f in CUE_VERBS or f in STANCE_VERBS) and (
        f not in ("state", "document")  # "United States", "Leaked Documents"
    )), None)


def that_clause(verb: Token) -> bool:
    """The verb takes a finite clause: "ruled that ...", "worries that ..."."""
    for child in verb.children:
        if child.dep_ == "ccomp" and any(
            c.dep_ == "mark" and c.lower_ in ("that", "whether", "if") for c in child.children
        ):
            return True
    return False


def sees_as(verb: Token) -> bool:
    """"Voters see Clinton as the stronger candidate": a view held by the subject."""
    return verb.lemma_.lower() == "see" and any(
        c.dep_ == "prep" and c.lower_ == "as" for c in verb.children
    ) and any(c.dep_ == "dobj" for c in verb.children)


def comes_out(verb: Token) -> bool:
    """"came out against the tax", "came out in favor of": "come" takes a side only so."""
    def siding(prep: Token) -> bool:
        return prep.lower_ in ("against", "for") or prep.lower_ == "in" and any(
            o.lemma_.lower() in ("favor", "favour", "support", "opposition") for o in prep.children
        )

    return any(c.dep_ == "prt" and c.lower_ == "out" for c in verb.children) and any(
        c.dep_ == "prep" and siding(c) for c in verb.children
    )


def inverted_question(verb: Token, subject: Token) -> bool:
    """A question put with the verb's auxiliary before its subject ("Do you support the
    plan?", "What do voters think of him?"): it asks for a view rather than ascribing one."""
    if subject.head.i != verb.i or not any(
        c.dep_ in ("aux", "auxpass") and c.i < subject.i for c in verb.children
    ):
        return False
    return any(t.text == "?" for t in verb.sent if t.i > verb.i)


def shows_stance(verb: Token) -> bool:
    """"showed no sign of backing down", "has shown little interest in": a disposition shown,
    which tells where the subject stands."""
    return any(
        c.dep_ == "dobj" and c.lemma_.lower() in SHOWN_STANCES and c.i > verb.i
        for c in verb.children
    )


def sight(verb: Token) -> bool:
    """"see" of the eyes or of events, not of opinion: "went to see the ice", "would see
    their taxes rise", "saw their wages fall"; a view is "sees a path to victory", "sees Smith
    as ...", "sees that ...". """
    if sees_as(verb) or that_clause(verb):
        return False
    return (
        verb.dep_ in ("xcomp", "advcl", "pcomp")
        or any(c.tag_ == "MD" or (c.dep_ == "aux" and c.lower_ == "to") for c in verb.children)
        or any(c.dep_ in ("ccomp", "xcomp") for c in verb.children)
    )


def bare_cue(verb: Token, subject: Token) -> bool:
    """A verb of speech or thought that attributes on its own, with what was said left to the
    context ("the senator tweeted", "she believes so", "reporters asked"), when someone named
    or described does it. Below the graph's floor: there is no content to cite."""
    lemma = verb.lemma_.lower()
    if lemma not in CUE_VERBS or lemma in STANCE_VERBS or lemma in CLAUSE_ONLY_VERBS:
        return False
    if lemma in BARE_NO_CUE:
        return False
    span = np_span(subject)
    kind = guess_kind(subject.doc[span[0] : span[1]])
    return kind != "unknown" and agentive(subject, kind)


def verb_tagged_as_noun(token: Token) -> bool:
    """A cue verb in the present tense the tagger took for a plural noun but the parser read
    as the sentence's verb, its subject before and its clause after ("the Budget Office
    projects that ...")."""
    return (
        token.tag_ == "NNS" and token.dep_ == "ROOT"
        and any(c.dep_ == "nsubj" and c.i < token.i for c in token.children)
        and any(c.dep_ == "ccomp" and c.i > token.i for c in token.children)
    )


def misread_verb(token: Token) -> bool:
    """A cue verb in the present tense the tagger took for a plural noun ("Trump predicts
    that ...", parsed as a noun compound "Trump predicts" with the clause hanging from it)."""
    lemma = token.lemma_.lower()
    return (
        (lemma in CUE_VERBS or lemma in STANCE_VERBS)
        and any(c.dep_ == "ccomp" and c.i > token.i for c in token.children)
        and any(c.dep_ == "compound" and c.i == token.i - 1 for c in token.children)
    )


def verbless_headline(token: Token, sent: SpacySpan) -> bool:
    """"Trump calls for a wall": a headline with no verb, its verb read as the object of the
    name before it."""
    head = token.head
    return (
        (token.lemma_.lower() in CUE_VERBS or token.lemma_.lower() in STANCE_VERBS)
        and head.dep_ == "ROOT" and head.i == token.i - 1 and head.pos_ in ("NOUN", "PROPN")
        and token.i + 1 < sent.end
        and not any(t.pos_ in ("VERB", "AUX") for t in sent if t.i < token.i)
    )


def headline_participle(verb: Token) -> bool:
    """"Plus New Performers Announced", "Winners Revealed": a capitalised past form that ends a
    title-case line is a headline's passive ("performers have been announced"); the words
    before it are what was announced, not who announced it."""
    if verb.tag_ not in ("VBD", "VBN") or not verb.is_title:
        return False
    doc = verb.doc
    for token in doc[verb.i + 1 :]:
        if "\n" in token.text or "\n" in doc[token.i - 1].whitespace_:
            break
        if not token.is_punct and not token.is_space:
            return False
    words = []
    for token in reversed(doc[: verb.i + 1]):
        if "\n" in token.text or (token.i < verb.i and "\n" in token.whitespace_):
            break
        if token.is_alpha and len(token) > 3:
            words.append(token)
    return len(words) >= 3 and sum(t.is_title or t.is_upper for t in words) >= 0.8 * len(words)


def parenthetical_verb(token: Token, sent: SpacySpan) -> bool:
    """"Researchers have found water, a new study reports.": a cue verb in the present tense
    ending the sentence after a comma and its subject, which the tagger took for a plural noun
    ("a new study reports" read as one noun phrase). The words before the comma are a clause;
    the subject is a plain noun phrase (no list: "..., and annual reports.")."""
    if token.tag_ != "NNS" or not token.lower_.endswith("s") or token.dep_ == "conj":
        return False
    if token.lemma_.lower() not in CUE_VERBS:
        return False
    if any(not (t.is_punct or t.is_space) for t in sent if t.i > token.i):
        return False
    doc = token.doc
    start = parenthetical_start(token)
    if start <= sent.start + 2 or doc[start - 1].text != "," or start == token.i:
        return False
    if any(t.pos_ not in ("DET", "ADJ", "NOUN", "PROPN", "NUM", "PART") and t.tag_ != "PRP$"
           for t in doc[start : token.i]):
        return False
    return any(t.pos_ in ("VERB", "AUX") for t in doc[sent.start : start - 1])


def parenthetical_start(token: Token) -> int:
    """The first word of the noun phrase a misread cue verb ends ("a new study reports")."""
    inside = [c for c in token.lefts
              if c.dep_ in ("det", "amod", "compound", "nummod", "poss", "nmod")]
    return min((c.left_edge.i for c in inside), default=token.i)


def gerund_lemma(token: Token) -> str | None:
    """The cue verb of an "-ing" word the tagger read as a noun though it has a subject ("with
    the minister warning of ...": "warning" as a noun with "minister" as its subject, or with
    "Jane Roe" as a compound); a noun has no subject."""
    low = token.lower_
    if token.tag_ != "NN" or not low.endswith("ing") or len(low) < 6:
        return None
    if gerund_subject(token) is None:
        return None
    stem = low[:-3]
    forms = [stem, stem + "e"] + ([stem[:-1]] if len(stem) > 2 and stem[-1] == stem[-2] else [])
    return next((f for f in forms if f in CUE_VERBS), None)


def gerund_subject(token: Token) -> Token | None:
    """The subject of an "-ing" word read as a noun: the parser's subject, or, after "with"
    ("with Foreign Minister Jane Roe warning of ..."), the name it made a compound of the
    "noun" (no determiner: "with a storm warning" is a noun)."""
    subject = next((c for c in token.children if c.dep_ == "nsubj" and c.i < token.i), None)
    if subject is not None:
        return subject
    if token.dep_ != "pobj" or token.head.lower_ != "with" or any(
        c.dep_ in ("det", "poss") for c in token.children
    ):
        return None
    name = token.doc[token.i - 1] if token.i > 0 else None
    if name is None or name.head.i != token.i or name.dep_ != "compound" or (
        name.pos_ != "PROPN"
    ):
        return None
    return name
