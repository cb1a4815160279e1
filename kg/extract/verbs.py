"""Rules for verbs: reporting and stance verbs, questions put to someone, "citing", headline
verbs the tagger misread, and attributions with an implicit source."""

from __future__ import annotations

from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from kg.extract.attribution import Chars, Confidence, Context, Decline, Outcome, Tokens, build
from kg.extract.content import (
    adjacent_content,
    aside,
    clause_tokens,
    content_of,
    no_comment,
    verb_kind,
)
from kg.extract.cues import (
    bare_cue,
    comes_out,
    gerund_subject,
    headline_lemma,
    headline_participle,
    inverted_question,
    parenthetical_start,
    sees_as,
    shows_stance,
    sight,
    that_clause,
)
from kg.extract.lexicon import (
    CLAUSE_ONLY_VERBS,
    CLAUSE_OR_PREP_VERBS,
    CLAUSE_STATEMENTS,
    CUE_VERBS,
    DOCUMENT_HEADS,
    EVIDENCE_VERBS,
    HEADLINE_ADVERBS,
    HEARSAY_ADVERBS,
    IMPLICIT_PASSIVES,
    INTENTION_VERBS,
    NOUN_CUES,
    OBJECT_VERBS,
    OUTLET_HEADS,
    PARTICLE_STATEMENTS,
    QUOTE_ONLY_VERBS,
    SAID_TARGETS,
    SEEMING_VERBS,
    STANCE_VERBS,
    TARGET_VERBS,
)
from kg.extract.quotes import continue_quote, extend_to_quote, quotation, quoted
from kg.extract.sources import (
    after_quote,
    agentive,
    document_subject,
    find_subject,
    guess_kind,
    output_kind,
    speaker_by_quote,
    subject_of,
    subject_start,
)
from kg.extract.tokens import (
    CONTENT_DEPS,
    SUBJECT_DEPS,
    cue_span,
    has_clause,
    has_dep,
    is_pronoun,
    np_span,
    passive_agent,
    trim_chars,
    trim_tokens,
)
from kg.models import Attribution


def implicit_attributions(ctx: Context, found: list[Attribution]) -> list[Attribution]:
    """Attributions with an implicit source, which the guidelines count: an agentless passive of
    a verb of saying or believing ("implicit.passive"), a hearsay adverb ("implicit.adverb"), a
    verb of seeming ("implicit.seeming"). The source is an empty span at the cue's start, of kind
    "unnamed"; such an attribution cites no one. Not where another rule found a cue already."""
    doc, offset = ctx.doc, ctx.offset
    taken = [(a.cue.start - offset, a.cue.end - offset) for a in found]
    out = []
    for token in doc:
        lemma = token.lemma_.lower()
        cue: tuple[int, int] | None = None
        tokens: list[Token] = []
        rule = ""
        if token.tag_ == "VBN" and lemma in IMPLICIT_PASSIVES and any(
            c.dep_ == "auxpass" for c in token.children
        ) and passive_agent(token) is None:
            rule = "implicit.passive"
            cue = cue_span(token)
            clause = next((c for c in token.children if c.dep_ == "ccomp"), None)
            if clause is not None:
                tokens = clause_tokens(clause)
            else:
                subject = [c for c in token.children if c.dep_ == "nsubjpass"]
                rest = [c for c in token.children if c.dep_ in ("xcomp", "oprd")
                        or (c.dep_ == "prep" and c.lower_ in ("as", "for", "of"))]
                if not rest:
                    continue
                tokens = [t for c in subject + rest for t in c.subtree]
        elif lemma in HEARSAY_ADVERBS and token.dep_ == "advmod" and token.head.pos_ in (
            "VERB", "AUX"
        ):
            rule = "implicit.adverb"
            cue = (token.i, token.i + 1)
            tokens = [t for t in token.head.subtree if t.i != token.i]
        elif lemma in SEEMING_VERBS and token.pos_ in ("VERB", "AUX"):
            clause = next((c for c in token.children if c.dep_ in ("xcomp", "ccomp")), None)
            if clause is None:
                continue
            rule = "implicit.seeming"
            cue = cue_span(token)
            subject = [c for c in token.children if c.dep_ == "nsubj"
                       and c.lower_ not in ("it", "there")]
            tokens = [t for c in subject + [clause] for t in c.subtree]
        if cue is None or not tokens:
            continue
        start, end = doc[cue[0]].idx, doc[cue[1] - 1].idx + len(doc[cue[1] - 1])
        if any(s < end and start < e for s, e in taken):
            continue
        content = trim_chars(tokens)
        if content is None:
            continue
        out.append(build(
            ctx, rule=rule, source=Chars(start, start), source_kind="unnamed",
            source_rule="implicit", cue=Tokens(*cue), content=Chars(*content), kind="implicit",
            confidence=Confidence.STANCE, sentence=token.sent,
        ))
    return out


def headline_attribution(ctx: Context, token: Token, sent: SpacySpan) -> Outcome:
    """"Jane Roe Endorses John Doe", "Senator Slams Plan": in a title-case headline, the
    capitalised words before a capitalised cue verb name who speaks, the words after what."""
    words = [t for t in sent if t.is_alpha and len(t) > 3]
    if len(words) < 3 or sum(t.is_title or t.is_upper for t in words) < 0.8 * len(words):
        return Decline("the sentence is not a title-case headline")
    doc = sent.doc
    after = doc[token.i + 1] if token.i + 1 < sent.end else None
    if (token.i > 0 and doc[token.i - 1].tag_ == "POS") or (
        after is not None and after.is_title and (
            headline_lemma(after) is not None or after.lower_ in CUE_VERBS
        )
    ):
        # "Clinton's Attacks On ...", "Media Reports Reveal ...": nouns
        return Decline("a noun here (after a possessive, or before another cue word)")
    cue_start = token.i
    while cue_start > sent.start and doc[cue_start - 1].lower_ in HEADLINE_ADVERBS:
        cue_start -= 1
    start = cue_start
    while start > sent.start and (
        doc[start - 1].pos_ in ("PROPN", "NOUN") or doc[start - 1].tag_ == "POS"
    ) and doc[start - 1].text not in (":", "-"):
        start -= 1
    if start == cue_start or doc[start].tag_ == "POS":
        return Decline("no name before the verb")
    source = doc[start:cue_start]
    if guess_kind(source) in ("thing", "document"):
        return Decline("the words before the verb name a thing or a document")
    content = trim_chars([t for t in sent if t.i > token.i])
    if content is None:
        return Decline("nothing after the verb")
    return build(
        ctx, rule="headline.title-case", source=Tokens(start, cue_start),
        source_kind=output_kind(source), source_rule="words-before-verb",
        cue=Tokens(cue_start, token.i + 1), content=Chars(*content), kind="said",
        confidence=Confidence.LIKELY, sentence=sent,
    )


def object_only(verb: Token, content: tuple[int, int], quotes: list[tuple[int, int]]) -> bool:
    """Whether what a verb attributes is only its direct object ("added three assists"), a
    to-infinitive ("agreed to pay") or, in the passive, its subject ("the novel was written by
    X"), not a clause or a quotation ("added that ...", '"...," she added')."""
    infinitives = [c for c in verb.children if c.dep_ == "xcomp" and any(
        a.dep_ == "aux" and a.lower_ == "to" for a in c.children)]
    # A quotation is what is said ('"...," she added'); a quote inside the object is a name
    # or a scare quote ("agreed to return the cash from the use of "We."").
    if any(c.dep_ in CONTENT_DEPS and c not in infinitives for c in verb.children) or (
        quotation(content, quotes)
    ):
        return False
    objects = [c for c in verb.children if c.dep_ in ("dobj", "oprd", "attr")] + infinitives
    if passive_agent(verb) is not None:
        # "Dear Abby is written by Abigail Van Buren", "the book was published by Tor": the
        # passive's subject is the thing made, its agent who made it.
        objects += [c for c in verb.children if c.dep_ == "nsubjpass"]
    if not objects:
        return False
    start = min(t.idx for o in objects for t in o.subtree)
    return content[0] >= start


def verb_attribution(
    ctx: Context,
    verb: Token,
    sent: SpacySpan,
    *,
    rule: str,
    generic: bool = False,
    adjacent: bool = True,
) -> Outcome:
    """A verb with who speaks and what they say: a verb of saying or believing ("reporting-verb"),
    a stance ("stance-verb"), a verb that reports only next to a quote ("quote-verb"), "as X put
    it", or any verb with a that-clause (`generic`: "that-clause"). With `adjacent`, a quote
    beside the verb is its content when the parse gave it none.

    The steps, each a helper that may decline: the verb's own sense, who speaks, what is said,
    the source phrase and its kind, then the confidence."""
    lemma = verb.lemma_.lower()
    to = next((c for c in verb.children if c.dep_ == "prep" and c.lower_ == "to"), None)
    refused = _sense_declines(verb, lemma, to, generic)
    if refused is not None:
        return refused
    found = find_subject(verb)
    if found is None:
        return Decline("no one speaks: no subject, agent or speaker found")
    subject, source_rule = found
    refused = _speaker_declines(verb, lemma, subject, generic)
    if refused is not None:
        return refused
    content = content_of(verb, sent)
    if content is None and adjacent:
        content = adjacent_content(verb, subject, ctx.index)
    checked = _checked_content(verb, lemma, subject, content, ctx.quotes)
    if isinstance(checked, Decline):
        return checked
    content = checked
    bare = content is None and lemma not in ("say", "tell", "report", "write", "confirm", "deny")
    if bare and not bare_cue(verb, subject):
        # A cue with neither clause nor object is rarely an attribution ("he agreed").
        return Decline("no content, and the verb does not attribute on its own")
    refused = _no_one_declines(verb, lemma, subject)
    if refused is not None:
        return refused
    source = _source_tokens(verb, subject, sent)
    if isinstance(source, Decline):
        return source
    content = _content_beside_speaker(verb, subject, source, content, sent)
    stance = lemma in STANCE_VERBS and lemma not in CUE_VERBS and not any(
        # the particle-statement rule: "ruled out a deal" states, "ruled on the case" does not
        c.dep_ == "prt" and c.lower_ in PARTICLE_STATEMENTS.get(lemma, ())
        for c in verb.children
    ) and not (
        # the clause-statement rule: "shared with reporters that ..." states, "shared a photo"
        # does not
        lemma in CLAUSE_STATEMENTS and that_clause(verb)
    ) and not said_target(verb, lemma)
    source_kind = _source_kind(verb, lemma, subject, sent.doc[source[0] : source[1]],
                               stance=stance, generic=generic)
    if isinstance(source_kind, Decline):
        return source_kind
    content_span = extend_to_quote(content, ctx.quotes) if content else None
    if content_span is not None:
        content_span = continue_quote(ctx.text, content_span, verb.idx, ctx.quotes)
    cue = cue_span(verb)
    pointed = lemma == "point" and to is not None and to.i == cue[1]
    if pointed and to is not None:
        # "pointed to the polls": what the speaker cites, with the preposition in the cue.
        cue = (cue[0], to.i + 1)
    confidence = _verb_confidence(
        verb, lemma, subject, content, content_span, ctx.quotes,
        bare=bare, stance=stance, generic=generic, pointed=pointed,
    )
    if source_rule == "participle-agent" and bare and not stance:
        confidence = max(confidence, Confidence.PARTICIPLE_AGENT)
    return build(
        ctx, rule=rule, source=Tokens(*source), source_kind=source_kind,
        source_rule=source_rule, cue=Tokens(*cue),
        content=Chars(*content_span) if content_span else None,
        kind=verb_kind(lemma, content, ctx.quotes), confidence=confidence, sentence=sent,
    )


def said_target(verb: Token, lemma: str) -> bool:
    """The said-target rule: a verb of attack or defence (`TARGET_VERBS`) whose object is a
    thing said, proposed or decided (`SAID_TARGETS`) strikes it with words: "Johnson and Corbyn
    attacked each other's policies", "the minister defended the decision" state a position on
    the object as plainly as "criticized the plan" does. "Attacked the convoy", "defended the
    city" stay stances (below the graph's floor). In the passive ("the plan was attacked by
    X") the thing struck is the subject. With an unquoted characterisation ("slammed the plan
    as reckless") the words after "as" are the writer's summary, not the speaker's: a stance
    still (the quoted-characterization rule decides when they are quoted)."""
    return lemma in TARGET_VERBS and any(
        c.dep_ in ("dobj", "nsubjpass") and c.lemma_.lower() in SAID_TARGETS
        for c in verb.children
    ) and not any(c.dep_ == "prep" and c.lower_ == "as" for c in verb.children)


def _sense_declines(verb: Token, lemma: str, to: Token | None, generic: bool) -> Decline | None:
    """The verbs that report only in one of their senses, when this is another one."""
    if lemma == "point" and to is None and not any(
        c.dep_ == "prt" and c.lower_ == "out" for c in verb.children
    ):
        return Decline('"point" without "to" or "out"')
    if lemma == "cite" and verb.tag_ == "VBG":
        return Decline('"citing" is the citing rule\'s')
    if lemma == "vote" and any(
        c.tag_ == "MD" and c.lower_ not in ("would", "'d", "’d") for c in verb.children
    ):
        # "delegates must vote for ...", "can vote for": a duty or a right
        return Decline("a vote one must or can cast is a duty or a right, not a stance")
    if lemma == "come" and not comes_out(verb):
        return Decline('"come" takes a side only as "came out against/for/in favor of"')
    if lemma == "see" and not generic and sight(verb):
        return Decline('"see" of the eyes or of events, not of opinion')
    if headline_participle(verb):
        return Decline('a headline\'s passive ("New Performers Announced"), not who said it')
    if lemma == "deny" and withholds(verb):
        return Decline('"denied them access", "denying vaccines to migrants": refusing something, '
                       "not denying a claim")
    return None


def withholds(verb: Token) -> bool:
    """The withholding rule: "deny" with something given and someone it is given to ("denied
    them entry", "is denying vaccines to migrants", "was denied bail") refuses a thing; what
    is denied as untrue is a statement ("denied the allegations", "denied any wrongdoing to
    reporters": after "to", only things counted in the plural are given)."""
    if has_clause(verb):
        return False
    things = [c for c in verb.children if c.dep_ == "dobj"]
    if not things or any(
        t.lemma_.lower() in NOUN_CUES | DOCUMENT_HEADS or t.pos_ == "PROPN" for t in things
    ):
        return False
    return any(
        c.dep_ in ("dative", "nsubjpass")
        or (c.dep_ == "prep" and c.lower_ == "to" and any(o.dep_ == "pobj" for o in c.children)
            and all(t.tag_ == "NNS" for t in things))
        for c in verb.children
    )


def _speaker_declines(verb: Token, lemma: str, subject: Token, generic: bool) -> Decline | None:
    """A subject found, but the verb is no one's statement: an aside's clause, a question."""
    if lemma not in CUE_VERBS and any(aside(c) for c in verb.children):
        # "That plan, she said, will fail": "fail" is what she said, not a cue
        return Decline("the verb is what an aside attributes (\"X, she said, will fail\")")
    if inverted_question(verb, subject):
        return Decline("a question asks for a view, it does not ascribe one")
    if lemma == "mean" and generic and subject.lower_ not in ("i", "we", "you"):
        return Decline('"this means that ...": a consequence drawn, not someone\'s words')
    return None


def _checked_content(
    verb: Token,
    lemma: str,
    subject: Token,
    content: tuple[int, int] | None,
    quotes: list[tuple[int, int]],
) -> tuple[int, int] | None | Decline:
    """The content, or a refusal for verbs that report only with a quote or a clause; for
    "show" and "find" with an object, the object and what is said of it."""
    if lemma in QUOTE_ONLY_VERBS and not that_clause(verb) and not (
        content is not None and quoted(content, quotes) and not has_dep(verb, "xcomp")
    ):
        return Decline(f'"{lemma}" reports speech only next to a quotation')
    preps = CLAUSE_OR_PREP_VERBS.get(lemma)
    if preps is not None and not has_clause(verb) and not any(
        c.dep_ == "prep" and c.lower_ in preps for c in verb.children
    ) and not (content is not None and quotation(content, quotes)):
        return Decline(f'"{lemma}" attributes only with a clause, a quote or '
                       f'"{" / ".join(sorted(preps))}"')
    shown = lemma == "show" and shows_stance(verb)
    if lemma in CLAUSE_ONLY_VERBS and (content is None or not has_clause(verb)) and not (
        # "A new poll shows Trump ahead", "the audit found no record": a document's finding.
        lemma in ("show", "find") and content is not None and document_subject(subject)
    ) and not shown and not (
        # '"Denver," he answered.': a quoted object is what is said ("was expecting on an
        # episode of "DWTS."" has only a name in quotes).
        content is not None and quotation(content, quotes)
    ):
        return Decline(f'"{lemma}" attributes only with a clause or a quote')
    if lemma in ("show", "find") and content is not None and not has_clause(verb) and not shown:
        # "the poll shows Smith with a lead": the object and what the clause says of it.
        content = trim_chars([t for t in verb.subtree if t.i > verb.i]) or content
    return content


def _no_one_declines(verb: Token, lemma: str, subject: Token) -> Decline | None:
    """Set phrases with a subject but no one speaking."""
    if subject.lower_ in ("it", "there") and subject.head.lemma_ == "be":
        return Decline('"it is worth noting that ...": no one in particular')
    doc = verb.doc
    if lemma == "say" and (
        (subject.lower_ in ("that", "this") and subject.i == verb.i - 1
         and verb.i + 1 < len(doc) and doc[verb.i + 1].text == ",")
        or (verb.head.lemma_.lower() == "let" and verb.dep_ in ("ccomp", "xcomp"))
    ):
        return Decline('"That said, ...", "Let\'s say ...": no one speaks')
    return None


def _source_tokens(verb: Token, subject: Token, sent: SpacySpan) -> tuple[int, int] | Decline:
    """The token extent of the source phrase around `subject`, without the verb's clause."""
    source = np_span(subject)
    cut_off = subject_start(subject) if subject.dep_ == "nsubj" else None
    if cut_off is not None:
        source = np_span(subject.doc[cut_off])[0], source[1]
    if source[0] <= verb.i < source[1]:
        # "a statement calling for ...": the noun without the clause that hangs from it.
        cut = trim_tokens(sent.doc, source[0], verb.i)
        if cut is None:
            return Decline("the source phrase holds the verb and nothing before it")
        source = cut
    return source


def _content_beside_speaker(
    verb: Token,
    subject: Token,
    source: tuple[int, int],
    content: tuple[int, int] | None,
    sent: SpacySpan,
) -> tuple[int, int] | None:
    """The content without the speaker the parser put inside it."""
    doc = sent.doc
    if content is not None and subject.i < verb.i and subject.head.i != verb.i and (
        content[0] < doc[source[0]].idx < content[1] and speaker_by_quote(verb) == subject
    ):
        # '"...," Jane Roe, a nurse, said': the speaker the parser hung inside the quote's
        # clause is no part of what is said.
        start = content[0]
        content = trim_chars([t for t in doc[sent.start : source[0]] if t.idx >= start])
    if content is not None and verb.i < source[0] and after_quote(verb) and (
        content[0] <= doc[source[0]].idx < content[1]
    ):
        # '"The risk," said Jane Roe, a nurse, "is ...": the speaker after the verb is no part
        # of what is said; what is said is the longer side of the speaker.
        start, end = content
        before = [t for t in doc[sent.start : verb.i] if t.idx >= start]
        after = [t for t in doc[source[1] : sent.end] if t.idx + len(t) <= end]
        content = trim_chars(after if len(after) >= len(before) else before)
    return content


def _source_kind(
    verb: Token, lemma: str, subject: Token, phrase: SpacySpan, *, stance: bool, generic: bool
) -> str | Decline:
    """What the source looks like; a thing holds no view, and a stance needs an agent."""
    source_kind = guess_kind(phrase)
    if source_kind == "thing" and (lemma in EVIDENCE_VERBS or lemma not in CUE_VERBS):
        # "the flight indicates", "the data suggest": not someone attributing.
        return Decline("the subject is a thing, which holds no view")
    if (stance or generic) and not agentive(subject, source_kind) and not (
        # "Reports indicate that ...": a document says what it shows.
        lemma in EVIDENCE_VERBS and source_kind == "document" and has_clause(verb)
    ):
        return Decline("a stance needs someone who can hold it as its subject")
    return "unknown" if source_kind == "thing" else source_kind


def _verb_confidence(
    verb: Token,
    lemma: str,
    subject: Token,
    content: tuple[int, int] | None,
    content_span: tuple[int, int] | None,
    quotes: list[tuple[int, int]],
    *,
    bare: bool,
    stance: bool,
    generic: bool,
    pointed: bool,
) -> float:
    """How sure the verb's attribution is (`Confidence`)."""
    confidence = (
        Confidence.STATED if content is not None else Confidence.BARE if bare
        else Confidence.LIKELY
    )
    if lemma in OBJECT_VERBS and content is not None and object_only(verb, content, quotes):
        confidence = Confidence.OBJECT
    if pointed:
        # "pointed to the polls" may as well be a gesture ("pointed to the exit"): below the
        # floor.
        confidence = Confidence.BARE
    if is_pronoun(subject):
        confidence -= Confidence.PRONOUN_PENALTY
    if generic:
        confidence = Confidence.FLOOR
    elif stance:
        in_quote = content_span is not None and quoted(content_span, quotes)
        # A stance is a position the text ascribes, not a statement: below the graph's floor
        # unless it carries a clause or a quote.
        confidence = (
            Confidence.LIKELY if (has_clause(verb) or in_quote)
            else Confidence.FLOOR if sees_as(verb) else Confidence.STANCE
        )
        if quoted_as(verb, quotes):
            # The quoted-characterization rule: "slammed the hearings as a "disgrace"", "which
            # Apple views as "a fundamental human right"": the words after "as" are quoted,
            # so they are the holder's, said as plainly as with a verb of saying.
            confidence = Confidence.STATED
            if is_pronoun(subject):
                confidence -= Confidence.PRONOUN_PENALTY
    if verb.dep_ == "xcomp" and verb.head.lemma_.lower() in INTENTION_VERBS and any(
        c.dep_ == "aux" and c.lower_ == "to" for c in verb.children
    ):
        # "which the club hope to announce today", "plans to tell the court": a statement
        # intended, not made.
        confidence = min(confidence, Confidence.STANCE)
    if no_comment(verb):
        # Saying that nothing was said ("declined to comment") cites no one, stance or not.
        confidence = Confidence.UNSTATED
    if question_put(verb, lemma, content_span, quotes):
        confidence = min(confidence, Confidence.UNSTATED)
    return confidence


def question_put(
    verb: Token, lemma: str, content: tuple[int, int] | None, quotes: list[tuple[int, int]]
) -> bool:
    """The question-put rule: "Castor asked Morrison about concerns within the NSC",
    "Republicans questioned him about his testimony", "Maitlis repeatedly demanded how Andrew
    could be so sure ...": asking or questioning someone "about" a topic, or asking or
    demanding "how/whether/why ..." (an indirect question), with no quotation, puts a question
    and states nothing (the guidelines count no pure question). A quoted question ('"Can I go?"
    she asked') is what was said; "asked for a recount", "demanded that he resign" and
    "demanded a recount" are requests; "questioned whether ..." casts doubt."""
    if lemma not in ("ask", "question", "demand") or (
        content is not None and quoted(content, quotes)
    ):
        return False
    if lemma != "question" and any(
        _indirect_question(c) for c in verb.children if c.dep_ == "ccomp" and c.i > verb.i
    ):
        # ("questioned whether the server broke the law" casts doubt: a stance, left alone)
        return True
    return lemma != "demand" and not has_clause(verb) and any(
        c.dep_ == "prep" and c.lower_ == "about" and c.i > verb.i for c in verb.children
    )


# The words that open an indirect question ("asked whether ...", "demanded how ...").
_QUESTION_WORDS = frozenset({"how", "whether", "why", "what", "which", "who", "whom", "when",
                             "where", "if"})


def _indirect_question(clause: Token) -> bool:
    """The clause opens with a question word: "how Andrew could be so sure", "whether the
    plan works", "if her sister was suppressing his work"."""
    return clause.doc[clause.left_edge.i].lower_ in _QUESTION_WORDS


def quoted_as(verb: Token, quotes: list[tuple[int, int]]) -> bool:
    """The verb characterises its object "as" something in quotation marks ("slammed the plan
    as "reckless"", "views privacy as "a fundamental human right""): the noun or adjective
    after "as" opens or sits inside a quotation."""
    for prep in verb.children:
        if prep.dep_ != "prep" or prep.lower_ != "as" or prep.i < verb.i:
            continue
        for word in prep.children:
            if word.dep_ in ("pobj", "amod", "acomp") and any(
                q0 <= word.idx < q1 for q0, q1 in quotes
            ):
                return True
    return False


def verbless_attribution(ctx: Context, verb: Token, sent: SpacySpan) -> Outcome:
    """"Trump calls for a wall": a headline with no verb, its verb read as the object of the
    name before it (`verbless_headline`)."""
    head = verb.head
    source = trim_tokens(sent.doc, head.left_edge.i, verb.i)
    content = trim_chars([t for t in sent if t.i > verb.i])
    if source is None or content is None:
        return Decline("no name before the verb or nothing after it")
    kind = guess_kind(sent.doc[source[0] : source[1]])
    if kind in ("thing", "document"):
        return Decline("the words before the verb name a thing or a document")
    return said(ctx, "headline.verbless", sent, Tokens(*source), kind, "name-before-verb",
                Tokens(verb.i, verb.i + 1), Chars(*content), Confidence.LIKELY)


def noun_verb_attribution(ctx: Context, verb: Token, sent: SpacySpan) -> Outcome:
    """"Trump predicts that ...": a cue verb the tagger read as a plural noun, with the name
    before it as a compound and the clause hanging from it (`misread_verb`)."""
    left = [c for c in verb.children if c.i < verb.i]
    clause = next(c for c in verb.children if c.dep_ == "ccomp" and c.i > verb.i)
    content = trim_chars(list(clause.subtree))
    if not left or content is None:
        return Decline("no words before the verb, or an empty clause")
    source = trim_tokens(sent.doc, min(t.left_edge.i for t in left), verb.i)
    if source is None:
        return Decline("no name before the verb")
    span = sent.doc[source[0] : source[1]]
    kind = guess_kind(span)
    if kind == "thing":
        # The tagger that misread the verb often misreads the name before it too.
        if not all(t.is_title or not t.is_alpha for t in span):
            return Decline("the words before the verb name a thing")
        kind = "unknown"
    content_span = extend_to_quote(content, ctx.quotes)
    return said(ctx, "headline.verb-read-as-noun", sent, Tokens(*source), kind,
                "name-before-verb", Tokens(verb.i, verb.i + 1), Chars(*content_span),
                Confidence.LIKELY)


def said(
    ctx: Context,
    rule: str,
    sent: SpacySpan,
    source: Tokens,
    source_kind: str,
    source_rule: str,
    cue: Tokens,
    content: Chars,
    confidence: float,
) -> Attribution:
    """An attribution whose kind is "quote" when its content is quoted, else "said"."""
    return build(
        ctx, rule=rule, source=source, source_kind=source_kind, source_rule=source_rule,
        cue=cue, content=content, kind="quote" if quoted(content, ctx.quotes) else "said",
        confidence=confidence, sentence=sent,
    )


def asked(ctx: Context, verb: Token, sent: SpacySpan) -> Outcome:
    """A question put to someone by an unnamed asker: "Asked whether ..., she said",
    "he was asked about the vote". The question is the content; the one asked stands as the
    source for want of the asker, so the confidence stays below the graph's floor."""
    if passive_agent(verb) is not None:
        # "was asked by reporters": the ordinary passive, handled as a cue verb
        return Decline("asked by someone named: the reporting-verb rule's")
    put_to = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
    if put_to is None and verb.dep_ == "advcl" and verb.head.pos_ in ("VERB", "AUX"):
        put_to = next((c for c in verb.head.children if c.dep_ in SUBJECT_DEPS), None)
    if put_to is None or put_to.lower_ in ("it", "there"):
        return Decline("no one the question is put to")
    content: tuple[int, int] | None = None
    for child in verb.children:
        if child.i < verb.i:
            continue
        if child.dep_ in CONTENT_DEPS or child.dep_ in ("advcl", "dobj") or (
            child.dep_ == "advmod" and child.tag_ == "WRB"
        ):
            content = trim_chars(list(child.subtree))
        elif child.dep_ == "prep" and child.lower_ in ("about", "on", "for", "whether"):
            content = trim_chars([t for c in child.children for t in c.subtree])
        if content is not None:
            break
    if content is None:
        return Decline("no question after the verb")
    source = np_span(put_to)
    cue = cue_span(verb)
    prep = next((c for c in verb.children if c.dep_ == "prep" and c.i == cue[1]), None)
    if prep is not None and prep.lower_ == "about":
        cue = (cue[0], prep.i + 1)
    kind = output_kind(sent.doc[source[0] : source[1]])
    return said(ctx, "asked", sent, Tokens(*source), kind, "the-one-asked", Tokens(*cue),
                Chars(*content), Confidence.UNSTATED)


def citing(ctx: Context, token: Token, sent: SpacySpan) -> Outcome:
    """"X reported, citing Y" → Y is the source, relayed via X; "X canceled the order, citing
    rising costs" → X, who gives Y as its reason (`citing_reason`)."""
    obj = next((c for c in token.children if c.dep_ == "dobj"), None)
    if obj is None:
        return Decline('"citing" with no object')
    if cited_reason(obj):
        return citing_reason(ctx, token, obj, sent)
    source = np_span(obj)
    doc = sent.doc
    governor = token.head
    while governor.dep_ not in ("ROOT",) and governor.lemma_.lower() not in CUE_VERBS:
        if governor.head.i == governor.i:
            break
        governor = governor.head
    via_token = subject_of(governor) if governor.lemma_.lower() in CUE_VERBS else None
    content = content_of(governor, sent) if via_token is not None else None
    if content is not None:
        own = set(t.i for t in token.subtree)
        if any(content[0] <= t.idx < content[1] for t in token.subtree if t.i in own):
            content = None
    via = np_span(via_token) if via_token is not None else None
    return build(
        ctx, rule="citing", source=Tokens(*source),
        source_kind=output_kind(doc[source[0] : source[1]]), source_rule="object-of-citing",
        cue=Tokens(token.i, token.i + 1), content=Chars(*content) if content else None,
        kind="citing", confidence=Confidence.RELAYED, sentence=sent,
        via=Tokens(*via) if via else None,
    )


def polled_by(ctx: Context, verb: Token, sent: SpacySpan) -> Outcome:
    """The polled-by rule: "Analysts surveyed by Refinitiv were expecting $2.52 a share",
    "economists polled by the agency forecast growth of 2%": the people a poll asked say what
    they say through whoever polled them, as "according to a survey by X" does; the pollster
    is the source of the clause the polled are the subject of. People "polled by" no one named,
    or not the subject of a clause ("a sample of voters polled by the firm"), cite no one."""
    agent = passive_agent(verb)
    if agent is None:
        return Decline("no one named who polled them")
    polled = verb.head
    clause = polled.head
    if polled.dep_ != "nsubj" or clause.pos_ not in ("VERB", "AUX") or clause.i < verb.i:
        return Decline("the people polled are not the subject of a clause after them")
    doc = sent.doc
    source = np_span(agent)
    span = doc[source[0] : source[1]]
    if guess_kind(span) == "thing" and not any(t.pos_ == "PROPN" for t in span):
        return Decline("the pollster names no one")
    own = {t.i for t in polled.subtree}
    content = trim_chars([t for t in clause.subtree if t.i not in own])
    if content is None:
        return Decline("nothing said of the people polled")
    return build(
        ctx, rule="polled-by", source=Tokens(*source), source_kind=output_kind(span),
        source_rule="agent-of-poll", cue=Tokens(verb.i, agent.head.i + 1),
        content=Chars(*content), kind="according_to", confidence=Confidence.STATED,
        sentence=sent,
    )


# Prepositions after a cited noun that name who made it: "figures from the ministry",
# "a report by the agency", "the findings of the panel".
_MAKER_PREPS = ("by", "from", "of")


def cited_reason(obj: Token) -> bool:
    """Whether what "citing" names is a reason, not a source: a common noun that names no one
    and no document ("citing rising costs", "citing Taliban violence", "citing health
    reasons"), with no maker after it ("citing figures from the ministry" cites the ministry)."""
    if obj.pos_ != "NOUN":
        return False
    lemma = obj.lemma_.lower()
    if guess_kind(obj.doc[obj.i : obj.i + 1]) != "thing" or lemma in (
        DOCUMENT_HEADS | OUTLET_HEADS
    ):
        return False
    for prep in obj.children:
        if prep.dep_ == "prep" and prep.lower_ in _MAKER_PREPS:
            for pobj in prep.children:
                if pobj.dep_ == "pobj":
                    span = np_span(pobj)
                    if guess_kind(pobj.doc[span[0] : span[1]]) != "thing":
                        return False
    return True


def citing_reason(ctx: Context, token: Token, obj: Token, sent: SpacySpan) -> Outcome:
    """The citing-a-reason rule: "The airline canceled the order, citing rising costs": who
    cites a reason for what they did states it (PolNeAR annotates the subject as the source
    and the reason as the content); the reason is no source of anything."""
    found = find_subject(token)
    if found is None:
        return Decline("a reason cited, and no one who cites it")
    subject, source_rule = found
    source = np_span(subject)
    if source[0] <= token.i < source[1] or subject.lower_ in ("it", "there") and (
        subject.head.lemma_ == "be"
    ):
        return Decline("no one before the reason cited")
    content = trim_chars(list(obj.subtree))
    if content is None:
        return Decline("an empty reason")
    confidence = Confidence.STATED
    if is_pronoun(subject):
        confidence -= Confidence.PRONOUN_PENALTY
    content_span = extend_to_quote(content, ctx.quotes)
    return build(
        ctx, rule="citing.reason", source=Tokens(*source),
        source_kind=output_kind(sent.doc[source[0] : source[1]]), source_rule=source_rule,
        cue=Tokens(token.i, token.i + 1), content=Chars(*content_span),
        kind="quote" if quoted(content_span, ctx.quotes) else "said",
        confidence=confidence, sentence=sent,
    )


def parenthetical_attribution(ctx: Context, verb: Token, sent: SpacySpan) -> Outcome:
    """", a new study reports.": the clause before the comma is what the noun phrase after it
    says, the cue verb read as a plural noun (`parenthetical_verb`)."""
    doc = sent.doc
    start = parenthetical_start(verb)
    # The parser hung every word of the phrase on the misread verb: its head is the last.
    kind = guess_kind(doc[verb.i - 1 : verb.i])
    if kind == "thing":
        return Decline("the words before the verb name a thing")
    content = trim_chars(list(doc[sent.start : start - 1]))
    if content is None:
        return Decline("no clause before the comma")
    return said(ctx, "parenthetical.verb-read-as-noun", sent, Tokens(start, verb.i),
                kind, "words-before-verb",
                Tokens(verb.i, verb.i + 1), Chars(*extend_to_quote(content, ctx.quotes)),
                Confidence.STATED)


def gerund_attribution(ctx: Context, verb: Token, sent: SpacySpan) -> Outcome:
    """"..., with the foreign minister warning of dangerous consequences": an "-ing" cue verb
    the tagger read as a noun, its subject and what follows it parsed as the noun's
    (`gerund_lemma`)."""
    subject = gerund_subject(verb)
    if subject is None:
        return Decline("no subject")
    source = np_span(subject) if subject.dep_ == "nsubj" else (
        min(c.left_edge.i for c in verb.lefts), verb.i)
    kind = guess_kind(sent.doc[source[0] : source[1]])
    if kind == "thing" or not agentive(subject, kind):
        return Decline("the subject is a thing, which holds no view")
    content = trim_chars([t for t in verb.subtree if t.i > verb.i])
    if content is None:
        return Decline("nothing said after the verb")
    how = "subject" if subject.dep_ == "nsubj" else "name-read-as-compound"
    return said(ctx, "gerund-read-as-noun", sent, Tokens(*source), kind, how,
                Tokens(verb.i, verb.i + 1), Chars(*extend_to_quote(content, ctx.quotes)),
                Confidence.STATED - (Confidence.PRONOUN_PENALTY if is_pronoun(subject) else 0))
