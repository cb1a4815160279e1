"""Rules for phrases: "according to", "in X's view", noun cues ("his claim that"), stance
adjectives, roles ("a critic of"), light verbs ("made the case that") and copular nouns
("his answer was that")."""

from __future__ import annotations

from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from kg.extract.content import clause_tokens
from kg.extract.lexicon import (
    ADJECTIVE_PREPS,
    AGENT_PRONOUNS,
    COPULAR_NOUNS,
    CUE_VERBS,
    DRAWN_STANCES,
    FROM_HOLDER_NOUNS,
    IN_SOURCE_HEADS,
    LIGHT_NOUNS,
    LIGHT_VERB_NOUNS,
    PERSON_PRONOUNS,
    POLL_HEADS,
    VIEW_NOUNS,
    WINNING_VERBS,
)
from kg.extract.quotes import extend_to_quote, quoted
from kg.extract.sources import agentive, guess_kind, holder_source, output_kind, subject_of
from kg.extract.tokens import (
    clause_of,
    cue_span,
    is_pronoun,
    np_span,
    opens_clause,
    span_of_chars,
    span_of_tokens,
    subtree_chars,
    text_of,
    trim_chars,
)
from kg.extract.verbs import said
from kg.models import Attribution


def copular_attribution(
    verb: Token, sent: SpacySpan, offset: int, quotes: list[tuple[int, int]]
) -> Attribution | None:
    """"His answer was that ...", "her slogan is '...'": a noun held by someone, equated with
    a clause. The holder is the source, the noun with "be" the cue."""
    clause = next((c for c in verb.children if c.dep_ == "ccomp" and c.i > verb.i), None)
    noun = next((c for c in verb.children if c.dep_ == "nsubj" and c.i < verb.i), None)
    if clause is None or noun is None or noun.lemma_.lower() not in COPULAR_NOUNS:
        return None
    holder = next((c for c in noun.children if c.dep_ == "poss"), None)
    if holder is None:
        return None
    content = trim_chars(list(clause.subtree))
    if content is None:
        return None
    that = any(c.dep_ == "mark" and c.lower_ == "that" for c in clause.children)
    if not that and not quoted(extend_to_quote(content, quotes), quotes):
        return None
    source = np_span(holder)
    kind = guess_kind(sent.doc[source[0] : source[1]])
    if holder.lower_ in AGENT_PRONOUNS:
        kind = "person" if holder.lower_ in PERSON_PRONOUNS | {"my", "i"} else "unknown"
    elif kind == "thing" or not agentive(holder, kind):
        return None
    start = min((c.i for c in noun.children if c.i > holder.right_edge.i), default=noun.i)
    start = min(start, noun.i)
    content_span = extend_to_quote(content, quotes)
    confidence = 0.7 if not is_pronoun(holder) else 0.6
    return said(sent, offset, quotes, source, kind, (start, verb.i + 1), content_span, confidence)


def role_attribution(
    noun: Token, sent: SpacySpan, offset: int, quotes: list[tuple[int, int]]
) -> Attribution | None:
    """Someone said to be a supporter or critic of something: "X is a longtime supporter of
    Y", "she remains a Smith backer". The copula, the noun (and "of") are the cue, what they
    back or criticise the content. Below the floor. (An appositive, "X, a Y backer", more
    often just says who X is.)"""
    doc = sent.doc
    verb = noun.head
    if verb.lemma_.lower() not in ("be", "remain", "become"):
        return None
    of = next((c for c in noun.rights if c.dep_ == "prep" and c.lower_ in ("of", "for")), None)
    objs = [c for c in of.children if c.dep_ == "pobj"] if of is not None else []
    if of is not None and objs:
        content = trim_chars([t for o in objs for t in o.subtree])
        cue_end = of.i + 1
    else:
        what = [c for c in noun.lefts if c.dep_ in ("compound", "poss") and c.pos_ == "PROPN"]
        content = trim_chars([t for c in what for t in c.subtree]) if what else None
        cue_end = noun.i + 1
    holder = subject_of(verb)
    if content is None or holder is None or holder.lower_ in ("it", "this", "that", "there"):
        return None
    source = holder_source(holder, noun)
    if source is None:
        return None
    span = doc[source[0] : source[1]]
    return Attribution(
        source=span_of_tokens(doc, source[0], source[1], offset),
        source_kind=output_kind(span),
        cue=span_of_tokens(doc, cue_span(verb)[0], cue_end, offset),
        content=span_of_chars(text_of(doc), extend_to_quote(content, quotes), offset),
        kind="said",
        confidence=0.4,
        sentence=span_of_chars(text_of(doc), (sent.start_char, sent.end_char), offset),
    )


def adjective_attribution(
    adj: Token, sent: SpacySpan, offset: int, quotes: list[tuple[int, int]]
) -> Attribution | None:
    """A stance adjective after "be", "seem" or "remain" with what it is about: "X was critical
    of Y", "his supporters are optimistic that ...". The copula and the adjective are the cue."""
    verb = adj.head
    if verb.lemma_.lower() not in ("be", "seem", "remain", "appear", "sound", "become"):
        return None
    subject = subject_of(verb)
    if subject is None or subject.lower_ in ("it", "this", "that", "there", "which"):
        return None
    content: tuple[int, int] | None = None
    clause = next((c for c in adj.children if c.dep_ in ("ccomp", "xcomp")), None)
    if clause is not None:
        content = trim_chars(clause_tokens(clause))
    else:
        prep = next(
            (c for c in adj.children
             if c.dep_ == "prep" and c.lower_ in ADJECTIVE_PREPS),
            None,
        )
        objs = [c for c in prep.children if c.dep_ in ("pobj", "pcomp")] if prep else []
        if objs:
            content = trim_chars([t for o in objs for t in o.subtree])
    if content is None:
        return None
    doc = sent.doc
    source = holder_source(subject, adj)
    if source is None:
        return None
    span = doc[source[0] : source[1]]
    cue_start = min([verb.i] + [c.i for c in verb.children if c.dep_ in ("aux", "neg")])
    content_span = extend_to_quote(content, quotes)
    return Attribution(
        source=span_of_tokens(doc, source[0], source[1], offset),
        source_kind=output_kind(span),
        cue=span_of_tokens(doc, cue_start, adj.i + 1, offset),
        content=span_of_chars(text_of(doc), content_span, offset),
        kind="said",
        confidence=0.6 if clause is not None else 0.4,
        sentence=span_of_chars(text_of(doc), (sent.start_char, sent.end_char), offset),
    )


def light_verb_attribution(
    verb: Token, sent: SpacySpan, offset: int, quotes: list[tuple[int, int]]
) -> Attribution | None:
    """A light verb with a statement noun as its object ("took a swipe at X", "made the case
    that ...") or "made (it) clear that ...": the verb and the noun are the cue."""
    noun = next((c for c in verb.children if c.dep_ == "dobj"), None)
    clause = next((c for c in verb.children if c.dep_ == "ccomp"), None)
    lemma = verb.lemma_.lower()
    subject = subject_of(verb)
    if (
        lemma in ("have", "put", "give")
        and noun is not None
        and subject is not None
        and subject.lemma_.lower() in POLL_HEADS
        and (lemma != "have" or noun.pos_ in ("PROPN", "PRON"))
    ):
        # The poll's finding: the object and what follows it in the clause.
        finding = trim_chars([t for t in verb.subtree if t.i > verb.i])
        if finding is None:
            return None
        return _light_attribution(verb, subject, verb.i + 1, finding, 0.9, sent, offset, quotes)
    held = noun.lemma_.lower() if noun is not None else ""
    if noun is not None and subject is not None and (
        (lemma in WINNING_VERBS and held in DRAWN_STANCES)
        or (lemma == "have" and held in ("support", "backing", "endorsement"))
    ):
        # "The bill drew criticism from both parties", "won the endorsement of the mayor":
        # the critics or backers speak, about the subject.
        giver = next(
            (o for p in list(noun.children) + list(verb.children)
             if p.dep_ == "prep" and p.lower_ in ("from", "of", "among") and p.i > noun.i
             for o in p.children if o.dep_ == "pobj"),
            None,
        )
        about = subtree_chars(subject)
        if giver is None or about is None or subject.lower_ in ("it", "this", "that", "which"):
            return None
        return _light_attribution(verb, giver, noun.i + 1, about, 0.6, sent, offset, quotes)
    clear = next(
        (c for c in verb.children
         if c.lower_ == "clear" and c.dep_ in ("oprd", "acomp", "ccomp", "dobj")),
        None,
    )
    if lemma == "make" and clear is None and clause is not None and verb.i + 1 < len(sent.doc):
        # "made clear his aim to ...": "clear" parsed into the object clause after it.
        after = sent.doc[verb.i + 1]
        if after.lower_ == "clear" and after.head.i == clause.i and after.i < clause.i:
            words = trim_chars([t for t in clause.subtree if t.i > after.i])
            if words is None or subject is None or subject.lower_ in ("it", "this", "that"):
                return None
            return _light_attribution(verb, subject, after.i + 1, words, 0.6, sent, offset, quotes)
    if lemma == "make" and clear is not None:
        # "made (it) clear that ...": the clause hangs from "made" or from "clear".
        cue_end = clear.i + 1
        if clause is None or clause.i == clear.i:
            clause = next(
                (c for c in clear.children
                 if c.dep_ in ("ccomp", "advcl", "csubj") and c.i > clear.i),
                None,
            )
        if clause is None:
            return None
    elif noun is not None and noun.lemma_.lower() in LIGHT_NOUNS and noun.i > verb.i and not (
        # "has the support of X": X holds the position, not the subject.
        lemma == "have" and noun.lemma_.lower() in ("support", "endorsement", "backing")
    ) and noun.lemma_.lower() in LIGHT_VERB_NOUNS.get(lemma, LIGHT_NOUNS):
        cue_end = noun.i + 1
        if clause is None:
            clause = next(
                (c for c in noun.children if c.dep_ in ("acl", "ccomp") and c.i > noun.i), None
            )
    else:
        return None
    content: tuple[int, int] | None = None
    if clause is not None:
        content = trim_chars(clause_tokens(clause))
    elif noun is not None:
        preps = [c for c in list(noun.children) + list(verb.children)
                 if c.dep_ == "prep" and c.i > noun.i
                 and c.lower_ in ("at", "with", "for", "of", "on", "about", "against", "to",
                                  "behind")]
        objs = [c for p in preps[:1] for c in p.children if c.dep_ in ("pobj", "pcomp")]
        if objs:
            content = trim_chars([t for o in objs for t in o.subtree])
    if content is None or subject is None:
        return None
    if subject.lower_ in ("it", "this", "that", "there", "which"):
        return None
    confidence = 0.6 if clause is not None else 0.4
    return _light_attribution(verb, subject, cue_end, content, confidence, sent, offset, quotes)


def _light_attribution(
    verb: Token,
    subject: Token,
    cue_end: int,
    content: tuple[int, int],
    confidence: float,
    sent: SpacySpan,
    offset: int,
    quotes: list[tuple[int, int]],
) -> Attribution | None:
    doc = sent.doc
    source = holder_source(subject, verb, documents=True)
    if source is None:
        return None
    span = doc[source[0] : source[1]]
    cue = cue_span(verb)
    content_span = extend_to_quote(content, quotes)
    return Attribution(
        source=span_of_tokens(doc, source[0], source[1], offset),
        source_kind=output_kind(span),
        cue=span_of_tokens(doc, cue[0], max(cue[1], cue_end), offset),
        content=span_of_chars(text_of(doc), content_span, offset),
        kind="said",
        confidence=confidence,
        sentence=span_of_chars(text_of(doc), (sent.start_char, sent.end_char), offset),
    )


def in_view(token: Token, sent: SpacySpan, offset: int) -> Attribution | None:
    """"In a new poll, X leads ...", "in Forbes' words", "in his view", "in the eyes of X":
    the poll or view is the source of the clause around it."""
    obj = next((c for c in token.children if c.dep_ == "pobj"), None)
    if obj is None or obj.lemma_.lower() not in IN_SOURCE_HEADS:
        return None
    head = token.head
    if (head.pos_ in ("NOUN", "PROPN", "NUM", "PRON") and head.i < token.i and (
        obj.lemma_.lower() in POLL_HEADS and not opens_clause(token)
    )) or (head.lemma_.lower() in CUE_VERBS and head.i == token.i - 1):
        # "voters in the poll", "his support in a new survey": which people or figures, not
        # where the clause comes from; "believed in her judgment": the verb's own object.
        return None
    if obj.tag_ == "NNS" and obj.lemma_.lower() in POLL_HEADS and not obj.ent_type_ and all(
        c.dep_ in ("det", "amod") and c.pos_ != "PROPN" and not c.ent_type_
        for c in obj.children
    ):
        # "slid in the polls", "leads in national polls": standing in polls at large, not
        # the finding of one poll.
        return None
    doc = sent.doc
    cue_end = token.i + 1
    source_head = obj
    of = next((c for c in obj.children if c.dep_ == "prep" and c.lower_ == "of"), None)
    if obj.lemma_.lower() in VIEW_NOUNS:
        # "in the words of a senior adviser": the adviser; "in his view": his view.
        owner = next((c for c in of.children if c.dep_ == "pobj"), None) if of else None
        if owner is not None:
            source_head, cue_end = owner, owner.left_edge.i
        elif not any(c.dep_ == "poss" for c in obj.children):
            return None
    source = np_span(source_head)
    if source_head is obj and of is None:
        source = (source[0], max(source[0] + 1, min(source[1], obj.right_edge.i + 1)))
    clause = clause_of(token.head)
    own = set(t.i for t in token.subtree)
    content = trim_chars([t for t in clause.subtree if t.i not in own])
    if content is None:
        return None
    return Attribution(
        source=span_of_tokens(doc, source[0], source[1], offset),
        source_kind=output_kind(doc[source[0] : source[1]]),
        cue=span_of_tokens(doc, token.i, cue_end, offset),
        content=span_of_chars(text_of(doc), content, offset),
        kind="according_to",
        confidence=0.7,
        sentence=span_of_chars(text_of(doc), (sent.start_char, sent.end_char), offset),
    )


def noun_attribution(noun: Token, sent: SpacySpan, offset: int) -> Attribution | None:
    """A noun cue with its holder and content: "his claim that ...", "the warning by X that
    ...". A plan or proposal of someone's ("Trump's plan to ...") is a policy more than a
    statement, and "his support for X", "her statement on Y" name a topic, not what is said:
    none of these is a cue on its own."""
    lemma = noun.lemma_.lower()
    if lemma in ("plan", "proposal"):
        return None
    owner = next((c for c in noun.children if c.dep_ == "poss"), None)
    if owner is None:
        by = next(
            (c for c in noun.children if c.dep_ == "prep" and (
                c.lower_ == "by"
                or (c.lower_ == "from" and noun.lemma_.lower() in FROM_HOLDER_NOUNS)
            )),
            None,
        )
        owner = next((c for c in by.children if c.dep_ == "pobj"), None) if by else None
    if owner is None:
        return None
    clause = next(
        (c for c in noun.children
         if c.dep_ in ("acl", "ccomp", "appos") and c.pos_ in ("VERB", "AUX") and c.i > noun.i),
        None,
    )
    content = subtree_chars(clause) if clause is not None else None
    confidence = 0.6
    if content is None:
        prep = next(
            (c for c in noun.children
             if c.dep_ == "prep" and c.lower_ in ("about", "of", "on", "for", "against", "to")),
            None,
        )
        objs = [c for c in prep.children if c.dep_ in ("pobj", "pcomp")] if prep else []
        if not objs or lemma in ("support", "position", "statement"):
            return None
        content = trim_chars([t for o in objs for t in o.subtree])
        confidence = 0.4
    if content is None:
        return None
    doc = sent.doc
    source = np_span(owner)
    if doc[source[1] - 1].tag_ == "POS":
        source = (source[0], source[1] - 1)
    if source[0] >= source[1]:
        return None
    span = doc[source[0] : source[1]]
    kind = guess_kind(span)
    if not agentive(owner, kind) and kind != "document":
        return None
    return Attribution(
        source=span_of_tokens(doc, source[0], source[1], offset),
        source_kind=output_kind(span),
        cue=span_of_tokens(doc, noun.i, noun.i + 1, offset),
        content=span_of_chars(text_of(doc), content, offset),
        kind="statement",
        confidence=confidence,
        sentence=span_of_chars(text_of(doc), (sent.start_char, sent.end_char), offset),
    )


def according_to(token: Token, sent: SpacySpan, offset: int) -> list[Attribution]:
    to = next((c for c in token.children if c.lower_ == "to"), None)
    if to is None:
        return []
    obj = next((c for c in to.children if c.dep_ == "pobj"), None)
    if obj is None:
        return []
    source = np_span(obj)
    cue = (token.i, to.i + 1)
    head = token.head if token.head.i != token.i else None
    content: tuple[int, int] | None = None
    if head is not None:
        own = set(t.i for t in token.subtree)
        content = trim_chars([t for t in head.subtree if t.i not in own])
    doc = sent.doc
    return [
        Attribution(
            source=span_of_tokens(doc, source[0], source[1], offset),
            source_kind=output_kind(doc[source[0] : source[1]]),
            cue=span_of_tokens(doc, cue[0], cue[1], offset),
            content=span_of_chars(text_of(doc), content, offset) if content else None,
            kind="according_to",
            confidence=0.9,
            sentence=span_of_chars(text_of(doc), (sent.start_char, sent.end_char), offset),
        )
    ]
