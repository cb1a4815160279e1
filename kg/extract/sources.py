"""Source finding: who speaks for a cue (its subject, a passive's agent, the speaker the parser
hung elsewhere) and what kind of source a phrase looks like."""

from __future__ import annotations

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from kg.extract.lexicon import (
    AGENT_PRONOUNS,
    BODY_PARTS,
    CUE_VERBS,
    DOCUMENT_HEADS,
    DOMAIN_RE,
    GROUP_NOUNS,
    HOLDER_PASSIVES,
    NOT_PERSONISH,
    OBJECT_VERBS,
    ORGANIZATION_HEADS,
    OUTLET_HEADS,
    PERSON_PRONOUNS,
    PERSONISH_SUFFIXES,
    PRONOUNS,
    RELATIVE_PRONOUNS,
    UNNAMED_HEADS,
)
from kg.extract.tokens import (
    CONTENT_DEPS,
    LOST_SUBJECT_DEPS,
    SPEAKER_RUN_DEPS,
    SUBJECT_DEPS,
    has_dep,
    modal_name,
    np_span,
    passive_agent,
)


def holder_source(
    holder: Token, cue: Token, *, documents: bool = False
) -> tuple[int, int] | None:
    """The token extent of `holder`'s phrase as the source of a cue at `cue`; None when the
    cue lies inside that phrase, or the holder can hold no view (a thing; a document only
    when `documents`)."""
    source = np_span(holder)
    if source[0] <= cue.i < source[1]:
        return None
    kind = guess_kind(holder.doc[source[0] : source[1]])
    if kind == "thing" or not (agentive(holder, kind) or (documents and kind == "document")):
        return None
    return source


def document_subject(subject: Token) -> bool:
    span = np_span(subject)
    return guess_kind(subject.doc[span[0] : span[1]]) == "document"


def agentive(subject: Token, kind: str) -> bool:
    """Someone who can hold a view: a person, organisation, outlet or group of people."""
    if subject.lower_ == "that" and subject.head.dep_ == "relcl":
        # "groups that favored her": the noun the relative clause hangs from.
        antecedent = subject.head.head
        if antecedent.pos_ in ("NOUN", "PROPN"):
            span = np_span(antecedent)
            kind = guess_kind(antecedent.doc[span[0] : min(span[1], subject.i)])
            return kind in ("person", "organization", "outlet", "unnamed", "unknown")
    if subject.lower_ in PRONOUNS | RELATIVE_PRONOUNS:
        return subject.lower_ in AGENT_PRONOUNS
    return kind in ("person", "organization", "outlet", "unnamed", "unknown")


def subject_of(verb: Token) -> Token | None:
    """Who speaks for `verb` (see `find_subject`)."""
    found = find_subject(verb)
    return found[0] if found is not None else None


# The token that speaks for a verb, and how it was found (its attribution's `source_rule`).
WhoSpeaks = tuple[Token, str]


def find_subject(verb: Token, depth: int = 0) -> WhoSpeaks | None:
    """Who speaks for `verb`, and how they were found (the `source_rule` of its attribution):
    its subject, the agent of a passive, a speaker the parser hung elsewhere, or the subject it
    shares with the clause it hangs from ("went on to say", "..., saying", "by arguing"; the
    name then says so: "shared:participle/subject")."""
    decided, found = _own_subject(verb)
    if not decided:
        found = _misparsed_speaker(verb)
        if found is None and depth <= 3 and verb.head.i != verb.i:
            found = _governor_speaker(verb, depth)
    return _named_members(_group_members(_body_owner(found)))


def _group_members(found: WhoSpeaks | None) -> WhoSpeaks | None:
    """The group-members rule: "The Tennis Podcast team of Jane Roe, John Doe and Ann Lee gave
    their impressions": a small group (`GROUP_NOUNS`) named by its members after "of" stands
    for them; the members speak, each a source of their own (their names are the source
    phrase). Only names of people, two or more: "a team of researchers", "a panel of judges",
    "the team of Acme Corp" name no members."""
    if found is None:
        return None
    subject, how = found
    if subject.lemma_.lower() not in GROUP_NOUNS or subject.pos_ not in ("NOUN", "PROPN"):
        return found
    first = next((o for p in subject.children if p.dep_ == "prep" and p.lower_ == "of"
                  and p.i > subject.i for o in p.children if o.dep_ == "pobj"), None)
    if first is None:
        return found
    members = [first, *first.conjuncts]
    if len(members) < 2 or not all(
        m.pos_ == "PROPN" and m.ent_type_ == "PERSON" for m in members
    ):
        return found
    return first, f"{how}/members-of-group"


def _named_members(found: WhoSpeaks | None) -> WhoSpeaks | None:
    """The named-members rule: "Two rival firms, Acme Corp and Beta Industries, said ...",
    "Both carriers - Emirates and Qatar Airways - denied ...": a plural description whose
    appositive names two or more members speaks as those members; their names are the source
    phrase, each a source of their own. Only an appositive of the subject itself, and only
    names: "two firms, including Acme" (no appositive) and "two rivals, a bank and a broker"
    (no names) stay as they were."""
    if found is None:
        return None
    subject, how = found
    if subject.tag_ != "NNS" or subject.pos_ != "NOUN":
        return found
    first = next((c for c in subject.children if c.dep_ == "appos" and c.i > subject.i), None)
    if first is None:
        return found
    members = [first, *first.conjuncts]
    if len(members) < 2 or not all(m.pos_ == "PROPN" for m in members):
        return found
    return first, f"{how}/named-members"


def _body_owner(found: WhoSpeaks | None) -> WhoSpeaks | None:
    """The body-part rule: "her eyes aglow with fervor, telling me ...": a part of the body
    found as the speaker ("her eyes", "his voice") stands for whose it is, the possessive
    before it; a body part of no one named or pointed to ("the voice") stays as found."""
    if found is None:
        return None
    subject, how = found
    if subject.lemma_.lower() not in BODY_PARTS or subject.pos_ != "NOUN":
        return found
    owner = next((c for c in subject.children if c.dep_ == "poss" and c.tag_ != "POS"), None)
    if owner is None:
        return found
    return owner, f"{how}/owner-of-body-part"


def _own_subject(verb: Token) -> tuple[bool, WhoSpeaks | None]:
    """The verb's subject or its passive's agent; (True, None) when its passive subject says
    that no source is named ("X was accused of ..."), (False, None) when it has neither."""
    for child in verb.children:
        if child.dep_ == "nsubj":
            return True, (_nearest_subject(verb, split_subject(child)), "subject")
        if child.dep_ == "nsubjpass":
            agent = passive_agent(verb)
            # "It was reported by X" → X; "X was quoted as saying" → X; "X was accused of"
            # names no source.
            if agent is not None:
                return True, (agent, "passive-agent")
            if _has_said(verb, child):
                return True, (child, "has-said-read-as-passive")
            document = document_of_passive(verb)
            if document is not None:
                return True, (document, "document-of-passive")
            return True, (
                (child, "holder-passive") if verb.lemma_.lower() in HOLDER_PASSIVES else None
            )
    return False, None


def document_of_passive(verb: Token) -> Token | None:
    """The document-of-passive rule: "The discovery was announced in an article published in
    Nature", "it was reported in the Daily Bugle that ...": a passive of saying with no agent
    but a document or an outlet it was said in; that document or outlet says it. Not for the
    verbs of making ("was published in Nature" is where, not who)."""
    lemma = verb.lemma_.lower()
    if lemma not in CUE_VERBS or lemma in OBJECT_VERBS:
        return None
    for prep in verb.children:
        if prep.dep_ != "prep" or prep.lower_ != "in":
            continue
        for pobj in prep.children:
            if pobj.dep_ != "pobj":
                continue
            span = np_span(pobj)
            if guess_kind(verb.doc[span[0] : span[1]]) in ("document", "outlet"):
                return pobj
    return None


def _misparsed_speaker(verb: Token) -> WhoSpeaks | None:
    """A speaker the parser put somewhere else than the subject of a verb of saying."""
    name = modal_name(verb)
    if name is not None:
        return name, "name-read-as-modal"
    if verb.tag_ in ("VBD", "VBZ", "VBP") and verb.lemma_.lower() in CUE_VERBS:
        # A misparsed subject ("About 4 in 10 say ...", parsed as a number on the verb).
        left = [c for c in verb.children if c.i < verb.i and c.dep_ in LOST_SUBJECT_DEPS
                and c.pos_ in ("NUM", "NOUN", "PROPN")
                and c.ent_type_ not in ("DATE", "TIME") and c.lemma_.lower() != "today"]
        quote_before = after_quote(verb)
        if left and not quote_before:
            return left[-1], "subject-read-as-modifier"
        # '"The risk," said Jane Roe, "is ...": what the parser left before the verb is the
        # quote's; the speaker follows the verb.
        inverted = _inverted_speaker(verb)
        if inverted is not None:
            return inverted, "speaker-after-quote"
        inverted = speaker_by_quote(verb) or (
            _speaker_run(verb.doc, verb.i + 1, min(len(verb.doc), verb.i + 8))
            if quote_before else None
        )
        if inverted is not None:
            return inverted, "speaker-beside-quote"
        aside = _aside_speaker(verb)
        if aside is not None:
            return aside, "speaker-in-aside"
        fronted = _object_of_as_clause(verb)
        if fronted is not None:
            return fronted, "subject-read-as-object-of-as-clause"
        broken = _broken_subject(verb)
        if broken is not None:
            return broken, "subject-of-broken-clause"
        broken = _speaker_in_scene(verb)
        if broken is not None:
            return broken, "speaker-in-scene"
    return None


def _governor_speaker(verb: Token, depth: int) -> WhoSpeaks | None:
    """The speaker of the clause or noun `verb` hangs from."""
    head = verb.head
    dep = verb.dep_
    if dep in ("advcl", "acl") and verb.tag_ == "VBN" and verb.lemma_.lower() in CUE_VERBS:
        # "When asked by a reporter whether ...", "a fact first reported by the paper".
        agent = passive_agent(verb)
        if agent is not None:
            return agent, "participle-agent" if dep == "acl" else "passive-agent"
    if dep == "conj" and verb.tag_ == "VBN" and head.tag_ == "VBN" and (
        verb.lemma_.lower() in CUE_VERBS
    ):
        # "a project planned in the bay and announced by the president": the second
        # participle on the same noun, with its own agent. The parser also hangs it on a
        # participle further back ("is expected to be achieved with a park ... and announced
        # by the president"): an agent of its own is still who announced it. With its own
        # auxiliary it is the second verb of a passive ("was drafted in May and was announced
        # by the mayor").
        agent = passive_agent(verb)
        if agent is not None:
            return agent, "passive-agent" if has_dep(verb, "auxpass") else "participle-agent"
    if dep == "dep" and head.pos_ in ("VERB", "AUX") and head.i < verb.i and (
        verb.lemma_.lower() in CUE_VERBS
    ):
        # "Majorities of voters going to the polls say ...": the verb cut loose from the
        # subject it shares with the participle before it.
        return _shared(head, depth, "loose-verb")
    if dep == "conj" and head.pos_ in ("VERB", "AUX"):
        if sister_cue(verb):
            return _shared(head.head, depth, "sister-cue")
        shared = _shared(head, depth, "conjunct")
        if shared is not None and verb.tag_ == "VBP" and shared[0].tag_ == "NNP" and (
            shared[0].ent_type_ == "PERSON"
        ):
            # The agreement rule: "only Steyer will be on stage, but expect a fight": a verb
            # in the plural present cannot have one person's name for subject; an imperative.
            # (A body may take a plural verb: "the police deny ... and say ...".)
            return None
        return shared
    # "by saying that ...", "from calling for ...": the clause around the preposition speaks.
    if dep == "pcomp" and head.dep_ == "prep" and head.head.pos_ in ("VERB", "AUX"):
        return _shared(head.head, depth, "after-preposition")
    # "aside from saying ...": the preposition hangs from an adverb on the verb.
    if dep == "pcomp" and head.dep_ == "prep" and head.head.dep_ == "advmod" and (
        head.head.head.pos_ in ("VERB", "AUX")
    ):
        return _shared(head.head.head, depth, "after-preposition")
    # "..., saying that ...", "..., adding ...": the participle speaks for the main clause's
    # subject; so does a purpose clause ("met the press to discuss ...").
    if dep == "advcl" and head.pos_ in ("VERB", "AUX") and (
        verb.tag_ == "VBG" or any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)
    ):
        return _shared(head, depth, "participle")
    if dep == "acl" and verb.tag_ == "VBG" and head.pos_ in ("VERB", "AUX"):
        return _shared(head, depth, "participle")
    if dep == "xcomp":
        return _xcomp_speaker(verb, head, depth)
    return _clause_speaker(verb, head, dep, depth)


def _xcomp_speaker(verb: Token, head: Token, depth: int) -> WhoSpeaks | None:
    """"prompted NATO to order ...": the object does it; "went on to say", "was able to
    tout": the subject of the governing verb or adjective does."""
    obj = next((c for c in head.children if c.dep_ == "dobj" and c.i < verb.i), None)
    if obj is not None:
        span = np_span(obj)
        kind = guess_kind(obj.doc[span[0] : span[1]])
        return (obj, "object-of-governing-verb") if agentive(obj, kind) and (
            kind != "unknown"
        ) else None
    if head.pos_ in ("VERB", "AUX"):
        return _shared(head, depth, "governing-verb")
    if head.pos_ == "ADJ" and head.dep_ == "acomp":
        return _shared(head.head, depth, "governing-adjective")
    return None


def _clause_speaker(verb: Token, head: Token, dep: str, depth: int) -> WhoSpeaks | None:
    """A relative or participial clause's speaker: who has the words, or the noun it hangs
    from."""
    if dep in ("acl", "relcl") and verb.tag_ == "VB" and verb.lemma_.lower() == "say" and any(
        c.dep_ == "aux" and c.lower_ == "to" for c in verb.children
    ) and head.dep_ in ("dobj", "pobj") and not any(c.dep_ in SUBJECT_DEPS for c in verb.children):
        # "had nothing to say about it", "took pains to say", "went out of her way to say":
        # who has the words or takes the pains says them.
        governor = head.head.head if head.dep_ == "pobj" else head.head
        if governor.pos_ in ("VERB", "AUX"):
            return _shared(governor, depth, "had-words-to-say")
    if dep == "acl" and verb.tag_ == "VBN" and head.pos_ in ("NOUN", "PROPN") and any(
        c.dep_ in ("dobj", "ccomp") and c.i > verb.i for c in verb.children
    ) and verb.lemma_.lower() in CUE_VERBS:
        # "Roe, a state senator, called the plan "reckless"": a past tense read as a participle
        # on the noun, which it cannot be with an object of its own ("a show called X" has
        # only the name).
        return head, "noun-before-past-tense"
    if dep == "acl" and verb.tag_ == "VBD" and head.dep_ == "pobj" and verb.i > 0 and (
        verb.doc[verb.i - 1].text == ","
    ) and head.head.head.pos_ in ("VERB", "AUX") and any(
        c.dep_ in SUBJECT_DEPS for c in head.head.head.children
    ):
        # The conjunct-read-as-clause rule: "he asked about the Brotherhood, called Omar a
        # 'terrorist' and said ...": a past tense after a comma, hung on the object of the
        # preposition before it, is the next of the subject's verbs, not the noun's clause.
        return _shared(head.head.head, depth, "conjunct-read-as-clause")
    if dep == "acl" and verb.tag_ == "VBG" and head.dep_ == "pobj" and (
        head.head.lower_ in MEDIUM_PREPS and head.head.head.pos_ == "VERB"
        and head.head.head.lemma_.lower() in CUE_VERBS and head.head.head.i < head.i
    ):
        # The medium rule: "Swift posted on Twitter accusing the label of ...": a participle
        # after where someone said something is theirs, not the medium's.
        return _shared(head.head.head, depth, "participle-after-medium")
    if dep in ("acl", "relcl") and verb.tag_ in ("VBG", "VBD") and head.pos_ in ("NOUN", "PROPN"):
        # "a statement calling for ...", "one of the docs who ... called Oz a quack" (parsed
        # as a clause on the noun).
        return head, "noun-of-clause"
    return None


def range_members(verb: Token, subject: Token) -> list[Token]:
    """The outlet-range rule: "From The New York Times to CNN to Condé Nast Traveller, almost
    all major publications have carried the news": a range of names fronted before a plural
    subject of outlets ("publications", "newspapers", "media") names the outlets the subject
    stands for. Each must be a name; a range of anything else ("from Beijing to Brussels,
    governments ...", "from May to June, papers ...") names no outlets here."""
    if subject.tag_ != "NNS" and subject.lower_ != "media" or (
        subject.lemma_.lower() not in OUTLET_HEADS and subject.lower_ != "media"
    ):
        return []
    start = next((c for c in verb.children
                  if c.dep_ == "prep" and c.lower_ == "from" and c.i < subject.i), None)
    if start is None:
        return []
    members = [c for t in start.subtree if t.dep_ == "prep" and t.lower_ in ("from", "to")
               for c in t.children if c.dep_ == "pobj"]
    doc = verb.doc
    if len(members) < 2 or not all(
        guess_kind(doc[slice(*np_span(m))]) in ("outlet", "organization", "unknown")
        and m.ent_type_ not in ("GPE", "LOC", "DATE", "TIME") and m.pos_ == "PROPN"
        for m in members
    ):
        return []
    return members


def split_subject(subject: Token) -> Token:
    """The last of the subjects the parser cut one noun phrase into ("study co-author Anezina
    Solomonidou" as "co" and "Solomonidou", "Wikileaks editor-in-chief Kristinn Hrafnsson" as
    "Wikileaks" and "Hrafnsson"): a second subject of the same verb that starts right where the
    first ends. Its phrase then starts at the first (`subject_start`)."""
    doc = subject.doc
    while True:
        nxt = next((c for c in subject.head.children if c.dep_ == "nsubj" and c.i > subject.i
                    and _adjacent(doc, subject.right_edge.i, c.left_edge.i)), None)
        if nxt is None:
            return subject
        subject = nxt


def _nearest_subject(verb: Token, subject: Token) -> Token:
    """The nearest-subject rule: of two subjects the parser gave one verb that do not join into
    one phrase ('"... an approach that minimizes cost," Jane Roe, a vice president, said',
    with "cost" from inside the quote as a subject too), the one nearest before the verb is
    its subject; a verb has one."""
    nearest = subject
    for child in verb.children:
        if child.dep_ == "nsubj" and nearest.i < child.i < verb.i:
            nearest = split_subject(child)
    return nearest


def subject_start(subject: Token) -> int | None:
    """The first token of the subjects the parser cut off before `subject` (see
    `split_subject`), None when there are none."""
    doc = subject.doc
    start, found = subject.left_edge.i, None
    while doc[start].is_punct and start < subject.i:
        start += 1
    while True:
        prev = next((c for c in subject.head.children if c.dep_ == "nsubj" and c.i < start
                     and _adjacent(doc, c.right_edge.i, start)), None)
        if prev is None:
            return found
        start = found = prev.left_edge.i


# Prepositions before where something is said: "posted on Twitter", "wrote in a blog post",
# "said via a spokesman".
MEDIUM_PREPS = frozenset({"on", "in", "via", "through"})


def _adjacent(doc: Doc, end: int, start: int) -> bool:
    """Token `start` follows token `end` with at most hyphens between."""
    return end < start and all(doc[i].text in ("-", "‐", "–") for i in range(end + 1, start))


def _shared(governor: Token, depth: int, how: str) -> tuple[Token, str] | None:
    """The speaker of the verb `governor`, shared by a verb that hangs from it."""
    found = find_subject(governor, depth + 1)
    return (found[0], f"shared:{how}/{found[1]}") if found is not None else None


def _has_said(verb: Token, subject: Token) -> bool:
    """"He's said he ...": "'s" read as the passive "is" where it is "has"."""
    return (
        verb.tag_ in ("VBN", "VBD")
        and verb.lemma_.lower() in CUE_VERBS
        and subject.lower_ not in ("it", "there", "this", "that")
        and any(c.dep_ == "auxpass" and c.lower_ in ("'s", "’s") for c in verb.children)
        and any(c.dep_ == "ccomp" and c.i > verb.i for c in verb.children)
    )


def _speaker_in_scene(verb: Token) -> Token | None:
    """The speaker the parser hung as an appositive or a conjunct on the scene before the verb
    ("In a statement to the paper, her adviser, Jane Roe, said ...", "Alarmed by the unrest in
    the city, the mayor, Jane Roe, said ..."): a name or person noun whose phrase ends right
    before the verb (and its comma), inside an opening prepositional or adverbial phrase."""
    doc = verb.doc
    end = verb.i - 1 if verb.i > 0 and doc[verb.i - 1].text == "," else verb.i
    for prep in verb.lefts:
        if prep.dep_ not in ("prep", "advcl"):
            continue
        for t in prep.subtree:
            last = t.right_edge.i
            while last > t.i and doc[last].text == ",":
                last -= 1
            if t.dep_ in ("appos", "conj") and last + 1 == end and t.pos_ in ("PROPN", "NOUN"):
                span = np_span(t)
                if guess_kind(doc[span[0] : span[1]]) in ("person", "unnamed", "unknown"):
                    return t
    return None


def broken_clause(verb: Token) -> Token | None:
    """The clause the parser made of a cue verb's long subject phrase ("Jane Roe, a nurse
    helping to run the clinic, said ...", with "nurse" read as a verb): a clause before the
    verb that opens the sentence and holds no quote, when the verb has its content after it."""
    if not any(c.dep_ == "ccomp" and c.i > verb.i for c in verb.children):
        return None
    left = next((c for c in verb.lefts if c.dep_ in ("ccomp", "csubj")), None)
    if left is None or left.left_edge.i != verb.sent.start:
        return None
    if any(t.is_quote for t in left.subtree):
        return None
    return left


def _broken_subject(verb: Token) -> Token | None:
    """The subject of a cue verb whose subject phrase the parser broke into a clause (see
    `broken_clause`; also "Voters going to the polls say ..." with the participle as the
    subject): that clause's subject, when it opens the clause."""
    left = broken_clause(verb)
    if left is None:
        return None
    subject = next((c for c in left.children if c.dep_ == "nsubj" and c.i < left.i), None)
    if subject is None or subject.pos_ not in ("PROPN", "NOUN"):
        return None
    if subject.left_edge.i != left.left_edge.i:
        return None
    return subject


def after_quote(verb: Token) -> bool:
    """The verb comes right after a closing quote mark ('"...," said')."""
    doc = verb.doc
    before = verb.i - 1
    if before > 0 and doc[before].text == ",":
        before -= 1
    return before >= 0 and doc[before].is_quote and any(
        t.is_quote for t in doc[verb.sent.start : before]
    )


def _inverted_speaker(verb: Token) -> Token | None:
    """The speaker after the verb of a quote ('"...," added a Democrat.'), parsed as its
    object: a cue verb right after the quote's closing mark, with no subject of its own."""
    doc = verb.doc
    before = doc[verb.i - 1] if verb.i > 0 else None
    if before is None or not (before.is_quote or (
        before.text == "," and verb.i > 1 and doc[verb.i - 2].is_quote
    )):
        return None
    obj = next((c for c in verb.children if c.dep_ == "dobj" and c.i > verb.i), None)
    if obj is None or obj.pos_ not in ("NOUN", "PROPN"):
        return None
    return obj


def _aside_speaker(verb: Token) -> Token | None:
    """The aside rule: "This system, says Jane Roe, an immunologist, helps ...": a verb of
    saying set off by a comma inside the clause it speaks for, with no clause of its own; its
    speaker is the name right after it (parsed as the subject of the clause around)."""
    doc = verb.doc
    if verb.dep_ != "parataxis" or verb.i < 2 or doc[verb.i - 1].text != ",":
        return None
    if any(c.dep_ in CONTENT_DEPS or c.dep_ == "dobj" for c in verb.children):
        return None
    speaker = _speaker_run(doc, verb.i + 1, min(len(doc), verb.i + 8))
    if speaker is None or speaker.ent_type_ not in ("PERSON", "ORG"):
        return None
    after = doc[speaker.i + 1] if speaker.i + 1 < len(doc) else None
    return speaker if after is not None and after.text in (",", ".", "—", "–") else None


def _object_of_as_clause(verb: Token) -> Token | None:
    """"As we have noted, a study by the Acme Institute, a think tank, concluded that ...":
    the verb's subject parsed as the object of the "as" clause before it (it ends right
    before the verb, a comma between)."""
    for clause in verb.lefts:
        if clause.dep_ != "advcl" or not any(
            c.dep_ == "mark" and c.lower_ == "as" for c in clause.children
        ):
            continue
        obj = next((c for c in clause.children if c.dep_ == "dobj" and c.i > clause.i), None)
        if obj is None or not all(t.is_punct for t in verb.doc[obj.right_edge.i + 1 : verb.i]):
            continue
        span = np_span(obj)
        if guess_kind(verb.doc[span[0] : span[1]]) != "thing":
            return obj
    return None


def _speaker_run(doc: Doc, start: int, stop: int) -> Token | None:
    """The last noun of the name or noun phrase that opens at `start` ("retired surgeon Jane
    Roe", "an intelligence source"), read token by token: the parser hung it elsewhere."""
    last = None
    for t in doc[start:stop]:
        if t.pos_ in ("NOUN", "PROPN"):
            last = t
        elif not (t.pos_ in ("DET", "ADJ", "PART") or t.dep_ in SPEAKER_RUN_DEPS):
            break
    if last is None or last.ent_type_ in ("DATE", "TIME"):
        return None
    span = np_span(last)
    if guess_kind(doc[span[0] : span[1]]) in ("thing", "document"):
        return None
    return last


def speaker_by_quote(verb: Token) -> Token | None:
    """The speaker of a quote the parser hung away from the cue verb, which has no subject:
    right after the verb ('"...," said Jane Roe, who ...', parsed as the subject of a clause
    of its own), or between the quote and the verb ('"...," Jane Roe, a nurse, said ...',
    parsed into the quote's clause)."""
    doc = verb.doc
    if not any(c.dep_ in CONTENT_DEPS and c.i < verb.i for c in verb.children):
        return None
    before = verb.i - 1
    if before > 0 and doc[before].text == ",":
        before -= 1
    if before >= 0 and doc[before].is_quote:
        return _speaker_run(doc, verb.i + 1, min(len(doc), verb.i + 8))
    sent = verb.sent
    first = next((t for t in sent if t.i < verb.i and t.is_quote), None)
    if first is None or first.i != sent.start:
        return None
    close = next((t for t in doc[first.i + 1 : verb.i] if t.is_quote), None)
    if close is None:
        return None
    start = close.i + 1
    if start < verb.i and doc[start].text == ",":
        start += 1
    if close.i > 0 and doc[close.i - 1].text == ",":
        return _speaker_run(doc, start, verb.i)
    return None


def sister_cue(verb: Token) -> bool:
    """A cue verb joined, with no subject of its own, to the verb of what a cue verb reports:
    the speaker going on ("said that he would run but did not suggest ..."), which the parser
    hangs inside the reported clause."""
    head = verb.head
    return (
        verb.dep_ == "conj"
        and verb.lemma_.lower() in CUE_VERBS
        and verb.tag_ != "VBG"
        and head.dep_ == "ccomp"
        and head.head.lemma_.lower() in CUE_VERBS
        and head.head.i < head.i
        and not any(c.dep_ in SUBJECT_DEPS for c in verb.children)
    )


def guess_kind(span: SpacySpan) -> str:
    """What the source looks like from the text alone; resolve refines it with the registry."""
    text = span.text.strip()
    head = span.root
    lemma = head.lemma_.lower()
    if DOMAIN_RE.match(text):
        return "outlet"
    if len(span) == 1 and head.lower_ in PRONOUNS | RELATIVE_PRONOUNS:
        return "person" if head.lower_ in PERSON_PRONOUNS | {"who", "i", "we"} else "unknown"
    has_proper = any(t.pos_ == "PROPN" for t in span)
    ent_labels = {t.ent_type_ for t in span if t.ent_type_}
    if lemma in OUTLET_HEADS and (has_proper or any(t.lower_ in ("news", "media") for t in span)):
        return "outlet"
    if "PERSON" in ent_labels and head.ent_type_ == "PERSON":
        return "person"
    if lemma in DOCUMENT_HEADS:
        return "document"
    if lemma in UNNAMED_HEADS and not has_proper:
        return "unnamed"
    if head.ent_type_ in ("ORG", "GPE", "NORP") or ent_labels & {"ORG", "GPE", "NORP"}:
        return "organization"
    if "PERSON" in ent_labels:
        return "person"
    if has_proper:
        return "unknown"
    if lemma in ORGANIZATION_HEADS:
        return "organization"
    if lemma in UNNAMED_HEADS or _personish(lemma):
        return "unnamed"
    return "thing"


def _personish(lemma: str) -> bool:
    """A common noun that looks like it names people ("organizers", "historian")."""
    return (
        len(lemma) > 4 and lemma.endswith(PERSONISH_SUFFIXES) and lemma not in NOT_PERSONISH
        and not lemma.endswith("ment")
    )


def output_kind(span: SpacySpan) -> str:
    kind = guess_kind(span)
    return "unknown" if kind == "thing" else kind
