"""Rules for phrases: "according to", "in X's view", noun cues ("his claim that"), stance
adjectives, roles ("a critic of"), light verbs ("made the case that") and copular nouns
("his answer was that")."""

from __future__ import annotations

from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from kg.extract.attribution import Chars, Confidence, Context, Decline, Outcome, Tokens, build
from kg.extract.content import adjacent_content, clause_tokens, content_of
from kg.extract.lexicon import (
    ADJECTIVE_PREPS,
    AGENT_PRONOUNS,
    CARRIED_NOUNS,
    COPULAR_NOUNS,
    CUE_VERBS,
    DATA_NOUNS,
    DRAWN_STANCES,
    FROM_HOLDER_NOUNS,
    GIVEN_VIEWS,
    IN_SOURCE_HEADS,
    LIGHT_NOUNS,
    LIGHT_VERB_NOUNS,
    OUTLET_HEADS,
    PERSON_PRONOUNS,
    POLL_HEADS,
    UTTERANCE_NOUNS,
    VIA_CHANNELS,
    VIEW_NOUNS,
    VIEW_NOUNS_WITH_OF,
    WINNING_VERBS,
)
from kg.extract.quotes import extend_to_quote, quoted
from kg.extract.sources import (
    agentive,
    find_subject,
    guess_kind,
    holder_source,
    output_kind,
    range_members,
    subject_of,
)
from kg.extract.tokens import (
    SUBJECT_DEPS,
    clause_of,
    cue_span,
    is_pronoun,
    np_span,
    opens_clause,
    passive_agent,
    subtree_chars,
    trim_chars,
)
from kg.extract.verbs import said


def copular_attribution(ctx: Context, verb: Token, sent: SpacySpan) -> Outcome:
    """"His answer was that ...", "her slogan is '...'": a noun held by someone, equated with
    a clause. The holder is the source, the noun with "be" the cue."""
    clause = next((c for c in verb.children if c.dep_ == "ccomp" and c.i > verb.i), None)
    noun = next((c for c in verb.children if c.dep_ == "nsubj" and c.i < verb.i), None)
    if clause is None or noun is None or noun.lemma_.lower() not in COPULAR_NOUNS:
        return Decline('no "<noun> is <clause>" with a copular noun')
    holder = next((c for c in noun.children if c.dep_ == "poss"), None)
    if holder is None:
        return Decline("the noun has no holder (\"his\", \"the mayor's\")")
    content = trim_chars(list(clause.subtree))
    if content is None:
        return Decline("an empty clause")
    quotes = ctx.quotes
    that = any(c.dep_ == "mark" and c.lower_ == "that" for c in clause.children)
    if not that and not quoted(extend_to_quote(content, quotes), quotes):
        return Decline('the clause is neither a "that" clause nor a quote')
    source = np_span(holder)
    kind = guess_kind(sent.doc[source[0] : source[1]])
    if holder.lower_ in AGENT_PRONOUNS:
        kind = "person" if holder.lower_ in PERSON_PRONOUNS | {"my", "i"} else "unknown"
    elif kind == "thing" or not agentive(holder, kind):
        return Decline("the holder can hold no view")
    start = min((c.i for c in noun.children if c.i > holder.right_edge.i), default=noun.i)
    start = min(start, noun.i)
    content_span = extend_to_quote(content, quotes)
    confidence = Confidence.HELD if not is_pronoun(holder) else Confidence.LIKELY
    return said(ctx, "copular-noun", sent, Tokens(*source), kind, "holder-of-noun",
                Tokens(start, verb.i + 1), Chars(*content_span), confidence)


def role_attribution(ctx: Context, noun: Token, sent: SpacySpan) -> Outcome:
    """Someone said to be a supporter or critic of something: "X is a longtime supporter of
    Y", "she remains a Smith backer". The copula, the noun (and "of") are the cue, what they
    back or criticise the content. Below the floor. (An appositive, "X, a Y backer", more
    often just says who X is.)"""
    doc = sent.doc
    verb = noun.head
    if verb.lemma_.lower() not in ("be", "remain", "become"):
        return Decline('not "<someone> is/remains/becomes a <role>"')
    of = next((c for c in noun.rights if c.dep_ == "prep" and c.lower_ in ("of", "for")), None)
    objs = [c for c in of.children if c.dep_ == "pobj"] if of is not None else []
    if of is not None and objs:
        content = trim_chars([t for o in objs for t in o.subtree])
        cue_end = of.i + 1
    else:
        what = [c for c in noun.lefts if c.dep_ in ("compound", "poss") and c.pos_ == "PROPN"]
        content = trim_chars([t for c in what for t in c.subtree]) if what else None
        cue_end = noun.i + 1
    found = find_subject(verb)
    holder = found[0] if found is not None else None
    if content is None or holder is None or holder.lower_ in ("it", "this", "that", "there"):
        return Decline("no one who holds the role, or nothing they back or oppose")
    source = holder_source(holder, noun)
    if source is None or found is None:
        return Decline("the holder can hold no view")
    span = doc[source[0] : source[1]]
    return build(
        ctx, rule="role-noun", source=Tokens(*source), source_kind=output_kind(span),
        source_rule=found[1], cue=Tokens(cue_span(verb)[0], cue_end),
        content=Chars(*extend_to_quote(content, ctx.quotes)), kind="said",
        confidence=Confidence.STANCE, sentence=sent,
    )


def adjective_attribution(ctx: Context, adj: Token, sent: SpacySpan) -> Outcome:
    """A stance adjective after "be", "seem" or "remain" with what it is about: "X was critical
    of Y", "his supporters are optimistic that ...". The copula and the adjective are the cue.
    A participle ("are frustrated that ...", "are divided over ...") counts as one, whether
    the parser hung it on the copula (its clause may hang there too) or read it as a passive
    (the copula then is its auxiliary and the holder its passive subject)."""
    passive = adj.dep_ != "acomp"
    verb = adj if passive else adj.head
    if passive:
        if passive_agent(adj) is not None:
            return Decline('a passive with its agent ("determined by ..."): done, not felt')
        holder = next((c for c in adj.children if c.dep_ == "nsubjpass"), None)
        found = (holder, "passive-subject") if holder is not None else None
    elif verb.lemma_.lower() not in ("be", "seem", "remain", "appear", "sound", "become"):
        return Decline('not after "be", "seem", "remain", "appear", "sound" or "become"')
    else:
        found = find_subject(verb)
    subject = found[0] if found is not None else None
    if found is None or subject is None or subject.lower_ in (
        "it", "this", "that", "there", "which"
    ):
        return Decline("no one whose stance it is")
    content: tuple[int, int] | None = None
    # A participle's clause may hang from the copula after it ("are frustrated that ...").
    holders = [adj] if passive or adj.tag_ != "VBN" else [adj, verb]
    clause = next((c for h in holders for c in h.children
                   if c.dep_ in ("ccomp", "xcomp") and c.i > adj.i), None)
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
        return Decline("nothing the stance is about (no clause, no \"of\", \"about\", ...)")
    doc = sent.doc
    source = holder_source(subject, adj)
    if source is None:
        return Decline("the subject can hold no view")
    span = doc[source[0] : source[1]]
    auxiliaries = ("aux", "neg", "auxpass") if passive else ("aux", "neg")
    cue_start = min([verb.i] + [c.i for c in verb.children if c.dep_ in auxiliaries])
    content_span = extend_to_quote(content, ctx.quotes)
    return build(
        ctx, rule="stance-adjective", source=Tokens(*source), source_kind=output_kind(span),
        source_rule=found[1], cue=Tokens(cue_start, adj.i + 1), content=Chars(*content_span),
        kind="said", confidence=Confidence.LIKELY if clause is not None else Confidence.STANCE,
        sentence=sent,
    )


# Complexity over the limit, kept: the light-verb constructions, each a short branch.
def light_verb_attribution(ctx: Context, verb: Token, sent: SpacySpan) -> Outcome:  # noqa: C901
    """A light verb with a statement noun as its object ("took a swipe at X", "made the case
    that ...") or "made (it) clear that ...": the verb and the noun are the cue."""
    noun = next((c for c in verb.children if c.dep_ == "dobj"), None)
    clause = next((c for c in verb.children if c.dep_ == "ccomp"), None)
    lemma = verb.lemma_.lower()
    found = find_subject(verb)
    subject, how = found if found is not None else (None, "")
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
            return Decline("the poll's finding is empty")
        return _light_attribution(ctx, "light-verb.poll-finding", verb, subject, how,
                                  verb.i + 1, finding, Confidence.STATED, sent)
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
            return Decline("no one named after \"from\", \"of\" or \"among\" who gives it")
        return _light_attribution(ctx, "light-verb.drawn-stance", verb, giver,
                                  "object-of-from", noun.i + 1, about, Confidence.LIKELY, sent)
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
                return Decline("no one who makes it clear, or nothing made clear")
            return _light_attribution(ctx, "light-verb", verb, subject, how, after.i + 1, words,
                                      Confidence.LIKELY, sent)
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
            return Decline('"made clear" with no clause')
    elif noun is not None and noun.i > verb.i and not (
        # "has the support of X": X holds the position, not the subject.
        lemma == "have" and noun.lemma_.lower() in ("support", "endorsement", "backing")
    ) and noun.lemma_.lower() in LIGHT_VERB_NOUNS.get(lemma, LIGHT_NOUNS):
        # A verb with nouns of its own takes only those ("delivered an address", "threw his
        # weight behind"); the others any light noun.
        cue_end = noun.i + 1
        if clause is None:
            clause = next(
                (c for c in noun.children if c.dep_ in ("acl", "ccomp") and c.i > noun.i), None
            )
    else:
        return Decline("the object is no statement noun this verb takes")
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
        return Decline("no one who speaks, or nothing the statement is about")
    if subject.lower_ in ("it", "this", "that", "there", "which"):
        return Decline(f'"{subject.text}" holds no view')
    confidence = Confidence.LIKELY if clause is not None else Confidence.STANCE
    if given_view(verb, noun) and clause is None:
        # The given-view rule: "gave their initial impressions of the new format", "gave his
        # views on the bill": the giver's own view, handed over with its topic, is said as
        # plainly as "commented on the bill" (`Confidence.STATED`); "gave the impression
        # that ..." (no possessive) is how someone seems.
        confidence = Confidence.STATED - (
            Confidence.PRONOUN_PENALTY if is_pronoun(subject) else 0)
    return _light_attribution(ctx, "light-verb", verb, subject, how, cue_end, content,
                              confidence, sent)


def given_view(verb: Token, noun: Token | None) -> bool:
    """"gave their impressions", "gave his views": "give" with a view noun (`GIVEN_VIEWS`) that
    the giver's possessive holds."""
    return (
        verb.lemma_.lower() == "give" and noun is not None and noun.lower_ in GIVEN_VIEWS
        and any(c.dep_ == "poss" for c in noun.children)
    )


def carried_story(ctx: Context, verb: Token, sent: SpacySpan) -> Outcome:
    """The carried-story rule: "the paper carried the story", "publications have carried the
    news about ...": an outlet that carries a story (`CARRIED_NOUNS`) reports it, the story
    what is reported; each outlet of a range fronted before a plural subject of outlets
    (`range_members`) reports it too. Anyone else carrying a story ("the plane carried the
    reports") is a load."""
    noun = next((c for c in verb.children if c.dep_ == "dobj"
                 and c.lemma_.lower() in CARRIED_NOUNS), None)
    if noun is None:
        return Decline("what is carried is no story")
    found = find_subject(verb)
    if found is None:
        return Decline("no one carries it")
    subject, how = found
    doc = sent.doc
    source = np_span(subject)
    kind = guess_kind(doc[source[0] : source[1]])
    if not (kind == "outlet" or subject.lemma_.lower() in OUTLET_HEADS
            or subject.lower_ == "media"
            or (subject.pos_ == "PROPN" and kind in ("organization", "unknown"))):
        return Decline("only an outlet (or a name) carries a story")
    content = trim_chars(list(noun.subtree))
    if content is None:
        return Decline("an empty story")
    members = range_members(verb, subject)
    holders = [(np_span(m), "member-of-range") for m in members] or [(source, how)]
    cue = cue_span(verb)
    return [
        build(ctx, rule="carried-story", source=Tokens(*span),
              source_kind=output_kind(doc[span[0] : span[1]]), source_rule=rule,
              cue=Tokens(cue[0], noun.i + 1) if noun.i - cue[1] <= 2 else Tokens(*cue),
              content=Chars(*content), kind="reported", confidence=Confidence.STATED,
              sentence=sent)
        for span, rule in holders
    ]


def _light_attribution(
    ctx: Context,
    rule: str,
    verb: Token,
    subject: Token,
    source_rule: str,
    cue_end: int,
    content: tuple[int, int],
    confidence: float,
    sent: SpacySpan,
) -> Outcome:
    doc = sent.doc
    source = holder_source(subject, verb, documents=True)
    if source is None:
        return Decline("the source can hold no view")
    span = doc[source[0] : source[1]]
    cue = cue_span(verb)
    return build(
        ctx, rule=rule, source=Tokens(*source), source_kind=output_kind(span),
        source_rule=source_rule, cue=Tokens(cue[0], max(cue[1], cue_end)),
        content=Chars(*extend_to_quote(content, ctx.quotes)), kind="said",
        confidence=confidence, sentence=sent,
    )


def in_view(ctx: Context, token: Token, sent: SpacySpan) -> Outcome:
    """"In a new poll, X leads ...", "in Forbes' words", "in his view", "in the eyes of X":
    the poll or view is the source of the clause around it."""
    obj = next((c for c in token.children if c.dep_ == "pobj"), None)
    # The noun as written or its lemma: "in the eyes of X" (not "in the eye of the storm"),
    # "in his words" (not "in a word").
    noun = (obj.lower_ if obj.lower_ in IN_SOURCE_HEADS else obj.lemma_.lower()) if obj else ""
    if obj is None or noun not in IN_SOURCE_HEADS:
        return Decline("not \"in\" a poll, a survey or someone's view")
    head = token.head
    if (head.pos_ in ("NOUN", "PROPN", "NUM", "PRON") and head.i < token.i and (
        noun in POLL_HEADS and not opens_clause(token)
    )) or (head.lemma_.lower() in CUE_VERBS and head.i == token.i - 1):
        # "voters in the poll", "his support in a new survey": which people or figures, not
        # where the clause comes from; "believed in her judgment": the verb's own object.
        return Decline("the phrase says which people or figures, or is the verb's object")
    if noun in POLL_HEADS and head.dep_ == "relcl" and any(
        c.dep_ == "nsubj" and c.lower_ in ("who", "that") for c in head.children
    ):
        # "participants who filled in the survey", "voters who took part in the poll": which
        # people, not what the poll found ("the state where he led in the polls" is a finding).
        return Decline("the poll says which people (in a relative clause on them)")
    if obj.tag_ == "NNS" and noun in POLL_HEADS and not obj.ent_type_ and all(
        c.dep_ in ("det", "amod") and c.pos_ != "PROPN" and not c.ent_type_
        for c in obj.children
    ):
        # "slid in the polls", "leads in national polls": standing in polls at large, not
        # the finding of one poll.
        return Decline("standing in polls at large, not one poll's finding")
    doc = sent.doc
    cue_end = token.i + 1
    source_head = obj
    source_rule = "the-poll"
    of = next((c for c in obj.children if c.dep_ == "prep" and c.lower_ == "of"), None)
    if noun in VIEW_NOUNS:
        # "in the words of a senior adviser": the adviser; "in his view": his view.
        owner = next((c for c in of.children if c.dep_ == "pobj"), None) if of else None
        source_rule = "whose-view"
        if owner is not None:
            span = np_span(owner)
            if guess_kind(doc[span[0] : span[1]]) == "thing":
                return Decline(f'"{noun} of" a thing, which holds no view')
            source_head, cue_end = owner, owner.left_edge.i
        elif noun in VIEW_NOUNS_WITH_OF:
            return Decline(f'"in their {noun}" is as often literal; only "{noun} of X" says whose')
        elif not any(c.dep_ == "poss" for c in obj.children):
            return Decline("a view, but no one's (no \"his\", no \"of X\")")
    source = np_span(source_head)
    if source_head is obj and of is None:
        source = (source[0], max(source[0] + 1, min(source[1], obj.right_edge.i + 1)))
    clause = clause_of(token.head)
    own = set(t.i for t in token.subtree)
    content = trim_chars([t for t in clause.subtree if t.i not in own])
    if content is None:
        return Decline("no clause around the phrase")
    return build(
        ctx, rule="in-view", source=Tokens(*source),
        source_kind=output_kind(doc[source[0] : source[1]]), source_rule=source_rule,
        cue=Tokens(token.i, cue_end), content=Chars(*content), kind="according_to",
        confidence=Confidence.HELD, sentence=sent,
    )


def noun_attribution(ctx: Context, noun: Token, sent: SpacySpan) -> Outcome:
    """A noun cue with its holder and content: "his claim that ...", "the warning by X that
    ...". A plan or proposal of someone's ("Trump's plan to ...") is a policy more than a
    statement, and "his support for X", "her statement on Y" name a topic, not what is said:
    none of these is a cue on its own."""
    lemma = noun.lemma_.lower()
    if lemma in ("plan", "proposal"):
        return Decline("a plan or proposal is a policy more than a statement")
    source_rule = "possessor"
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
        source_rule = f"object-of-{by.lower_}" if by is not None else ""
    if owner is None:
        return Decline("the noun has no holder (\"his\", \"by X\", \"from X\")")
    clause = next(
        (c for c in noun.children
         if c.dep_ in ("acl", "ccomp", "appos") and c.pos_ in ("VERB", "AUX") and c.i > noun.i),
        None,
    )
    if clause is None:
        clause = _stray_complement(noun)
    content = subtree_chars(clause) if clause is not None else None
    confidence = Confidence.LIKELY
    if clause is not None and content is not None and lemma in UTTERANCE_NOUNS and (
        not is_pronoun(owner)
    ) and any(c.dep_ == "mark" and c.lower_ == "that" for c in clause.children):
        # The named-utterance rule: "Mueller's testimony that he was not familiar with ...",
        # "the claim by the ministry that ...": a name holds what the clause says, as in
        # "his answer was that ..." (`Confidence.HELD`).
        confidence = Confidence.HELD
    judged = content is None and lemma in UTTERANCE_NOUNS and judged_true_or_false(noun)
    if judged:
        # The judged-claim rule: "the ministry's allegations are false", "his claim is not
        # true": the text says the holder made the claim it judges, without repeating it; a
        # name holds it as plainly as "his answer was that ..." (`Confidence.HELD`).
        confidence = Confidence.HELD - (Confidence.PRONOUN_PENALTY if is_pronoun(owner) else 0)
    elif content is None:
        prep = next(
            (c for c in noun.children
             if c.dep_ == "prep" and c.lower_ in ("about", "of", "on", "for", "against", "to")),
            None,
        )
        objs = [c for c in prep.children if c.dep_ in ("pobj", "pcomp")] if prep else []
        if not objs or lemma in ("support", "position", "statement"):
            return Decline("no clause, and no topic this noun takes as what is said")
        content = trim_chars([t for o in objs for t in o.subtree])
        confidence = Confidence.STANCE
        if content is None:
            return Decline("an empty content")
    doc = sent.doc
    source = np_span(owner)
    if doc[source[1] - 1].tag_ == "POS":
        source = (source[0], source[1] - 1)
    if source[0] >= source[1]:
        return Decline("an empty holder")
    span = doc[source[0] : source[1]]
    kind = guess_kind(span)
    if not agentive(owner, kind) and kind != "document":
        return Decline("the holder can hold no view")
    return build(
        ctx, rule="noun-cue", source=Tokens(*source), source_kind=output_kind(span),
        source_rule=source_rule, cue=Tokens(noun.i, noun.i + 1),
        content=Chars(*content) if content is not None else None,
        kind="statement", confidence=confidence, sentence=sent,
    )


# What a text says of a claim when it judges it true or false ("the claims are false", "is not
# true", "were baseless").
_TRUTH_JUDGEMENTS = frozenset({
    "accurate", "baseless", "bogus", "correct", "false", "groundless", "inaccurate",
    "incorrect", "misleading", "true", "unfounded", "untrue", "wrong",
})


def judged_true_or_false(noun: Token) -> bool:
    """The noun is the subject of "is/are false", "was not true", "are baseless"."""
    verb = noun.head
    return noun.dep_ == "nsubj" and verb.lemma_.lower() == "be" and any(
        c.dep_ == "acomp" and c.lower_ in _TRUTH_JUDGEMENTS for c in verb.children
    )


def _stray_complement(noun: Token) -> Token | None:
    """The stray-complement rule: "as hard to believe as his testimony that he was not there",
    the "that" clause right after the noun hung by the parser on a verb before it. A
    conjunction "that" (not the relative pronoun of "the claim that he made") opening a clause
    right after the noun is the noun's complement: what was claimed."""
    doc = noun.doc
    if noun.i + 1 >= len(doc):
        return None
    mark = doc[noun.i + 1]
    clause = mark.head
    if mark.lower_ != "that" or mark.dep_ != "mark" or clause.i <= mark.i or (
        clause.pos_ not in ("VERB", "AUX") or clause.dep_ not in ("ccomp", "advcl")
    ) or noun.is_ancestor(clause):
        return None
    return clause


def according_to(ctx: Context, token: Token, sent: SpacySpan) -> Outcome:
    """"According to X, ...": X is the source of the clause the phrase hangs from."""
    to = next((c for c in token.children if c.lower_ == "to"), None)
    if to is None:
        return Decline('"according" without "to"')
    obj = next((c for c in to.children if c.dep_ == "pobj"), None)
    if obj is None:
        return Decline('"according to" with no object')
    source = np_span(obj)
    cue = (token.i, to.i + 1)
    head = token.head if token.head.i != token.i else None
    content: tuple[int, int] | None = None
    if head is not None:
        own = set(t.i for t in token.subtree)
        content = trim_chars([t for t in head.subtree if t.i not in own])
    doc = sent.doc
    return build(
        ctx, rule="according-to", source=Tokens(*source),
        source_kind=output_kind(doc[source[0] : source[1]]), source_rule="object-of-to",
        cue=Tokens(*cue), content=Chars(*content) if content else None, kind="according_to",
        confidence=Confidence.STATED, sentence=sent,
    )


def used_data(ctx: Context, verb: Token, sent: SpacySpan) -> Outcome:
    """The used-data rule: "we used data from the University of Colorado", "for cocaine we used
    data published in 2018 by the Drug Enforcement Administration": a text that says whose
    figures (`DATA_NOUNS`) it uses (`USING_VERBS`) cites their holder, named after "from" or as
    the agent of the participle on the figures ("published/released/compiled by X"), or on
    what they are "of" ("a rough approximation of street value used by the sheriff's office",
    "estimates of the cost published by X"). A holder that names no one ("data from 2018",
    "figures from the survey") is no source here."""
    noun = next((c for c in verb.children if c.dep_ == "dobj"
                 and (c.lower_ in DATA_NOUNS or c.lemma_.lower() in DATA_NOUNS)), None)
    if noun is None:
        return Decline("what is used is no body of figures")
    holder: Token | None = None
    how = ""
    # "an approximation of street value used by X": the participle may hang on what the
    # figures are "of".
    measured = [o for p in noun.children if p.dep_ == "prep" and p.lower_ == "of"
                for o in p.children if o.dep_ == "pobj"]
    for child in [c for n in (noun, *measured) for c in n.children if c.i > noun.i]:
        if child.dep_ == "prep" and child.lower_ == "from":
            holder = next((o for o in child.children if o.dep_ == "pobj"), None)
            how = "object-of-from"
        elif child.dep_ == "acl" and child.tag_ == "VBN":
            agent = passive_agent(child)
            if agent is not None:
                holder, how = agent, "agent-of-participle"
        if holder is not None:
            break
    if holder is None:
        return Decline('no one named whose figures they are ("from X", "published by X")')
    doc = sent.doc
    source = np_span(holder)
    span = doc[source[0] : source[1]]
    kind = guess_kind(span)
    if kind not in ("person", "organization", "outlet") or not any(
        t.pos_ == "PROPN" for t in span
    ) or holder.ent_type_ in ("DATE", "TIME", "GPE", "LOC"):
        return Decline("the holder of the figures names no person, body or outlet")
    cue = cue_span(verb)
    return build(
        ctx, rule="used-data", source=Tokens(*source), source_kind=output_kind(span),
        source_rule=how, cue=Tokens(cue[0], noun.i + 1), content=None, kind="according_to",
        confidence=Confidence.RELAYED, sentence=sent,
    )


def via(ctx: Context, token: Token, sent: SpacySpan) -> Outcome:
    """"Heyward said, via Brian Batko of the Post-Gazette", "Richardson, via USA Today, said":
    the outlet or reporter the words came through is a source of what the speaker said. "Via"
    of a channel ("via Twitter", "via email") relays nothing."""
    verb = token.head
    if token.head.dep_ in SUBJECT_DEPS:
        verb = token.head.head  # "Richardson, via USA Today, said"
    if verb.lemma_.lower() not in CUE_VERBS or verb.pos_ not in ("VERB", "AUX"):
        return Decline('"via" on no verb of saying or its speaker')
    obj = next((c for c in token.children if c.dep_ == "pobj"), None)
    if obj is None:
        return Decline('"via" with no object')
    source = np_span(obj)
    doc = sent.doc
    words = {t.lower_ for t in doc[source[0] : source[1]]}
    if words & VIA_CHANNELS or not any(t.pos_ == "PROPN" for t in doc[source[0] : source[1]]):
        return Decline('"via" a channel (email, Twitter, a statement), not an outlet or reporter')
    content = content_of(verb, sent)
    if content is None:
        content = adjacent_content(verb, subject_of(verb) or verb, ctx.index)
    if content is not None:
        own = {t.idx for t in token.subtree}
        content = None if any(content[0] <= i < content[1] for i in own) else content
    return build(
        ctx, rule="via", source=Tokens(*source),
        source_kind=output_kind(doc[source[0] : source[1]]), source_rule="object-of-via",
        cue=Tokens(token.i, token.i + 1), content=Chars(*content) if content else None,
        kind="according_to", confidence=Confidence.STATED if content else Confidence.BARE,
        sentence=sent,
    )
