"""Content spans: what a cue attributes (its clause, object, topic, the quote beside it)."""

from __future__ import annotations

from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from kg.extract.lexicon import (
    ADDRESSEE_VERBS,
    CUE_VERBS,
    DECLINING_VERBS,
    NO_COMMENT,
    OBJECT_PREPS,
    OUTLET_HEADS,
    PARTICLE_PREPS,
    PREP_VERBS,
    TOPIC_PREPS,
    WITHHELD_WORDS,
)
from kg.extract.quotes import QuoteIndex
from kg.extract.sources import (
    broken_clause,
    document_of_passive,
    guess_kind,
    sister_cue,
    speaker_by_quote,
    subject_of,
)
from kg.extract.tokens import (
    CONTENT_DEPS,
    QUANTITIES,
    SUBJECT_DEPS,
    cue_end_char,
    cue_span,
    is_pronoun,
    np_span,
    passive_agent,
    subtree_chars,
    text_of,
    trim_chars,
)


def adjacent_content(verb: Token, subject: Token, index: QuoteIndex) -> tuple[int, int] | None:
    """Content the parse did not attach to the cue: a quote right before the speaker
    ('"...?" he asks.', split off as a sentence of its own), a quote right after the cue
    ('Trump boasted, "That makes me smart."'), or the paragraph after a colon ('He added:')."""
    text = text_of(verb.doc)
    left = min(subject.left_edge.idx, verb.idx)
    i = left
    while i > 0 and (text[i - 1].isspace() or text[i - 1] == ",") and left - i < 4:
        i -= 1
    if i in index.by_end and "\n\n" not in text[i:left]:
        return index.by_end[i], i
    end = cue_end_char(verb)
    j = end
    while j < len(text) and (text[j] in " \t,:\xa0") and j - end < 4:
        j += 1
    if j in index.by_start:
        return j, index.by_start[j]
    scene = scene_end(verb)
    if scene > end:
        # 'Sanders asks at a town hall, "Any questions?"': the quote after where and when.
        k = scene
        while k < len(text) and text[k] in " \t,:\xa0" and k - scene < 4:
            k += 1
        if k in index.by_start and text[scene:k].strip() in (",", ":"):
            return k, index.by_start[k]
    if text.startswith(":", end) and j < len(text) and text[j] == "\n":
        # "He added:" and the statement in the next paragraph.
        k = j
        while k < len(text) and text[k].isspace():
            k += 1
        stop = text.find("\n", k)
        stop = len(text) if stop == -1 else stop
        if stop - k > 10:
            return k, stop
    return None


def scene_end(verb: Token) -> int:
    """End (character) of the phrases that set the scene right after a cue verb ("asked at a
    rally on Monday"): its prepositional and adverbial dependents to the right, in a row."""
    doc = verb.doc
    end = cue_end_char(verb)
    i = cue_span(verb)[1]
    for child in verb.rights:
        if child.i < i:
            continue
        if child.i != i or child.dep_ not in ("prep", "npadvmod", "advmod"):
            break
        i = child.right_edge.i + 1
        last = doc[i - 1]
        end = last.idx + len(last.text)
    return end


def speaker_clause(verb: Token) -> Token | None:
    """The clause the parser made of the speaker after a quote's cue verb ('"...," said Jane
    Roe, who ...'): no content of the verb's."""
    if any(c.dep_ in SUBJECT_DEPS for c in verb.children):
        return None
    return next((c for c in verb.rights if c.dep_ in CONTENT_DEPS
                 and c.left_edge.i == verb.i + 1 and c.i > verb.i + 1
                 and speaker_by_quote(verb) is not None), None)


# Complexity over the limit, kept: the content dependencies, tried in a tuned order.
def content_of(verb: Token, sent: SpacySpan) -> tuple[int, int] | None:  # noqa: C901
    """Character extent of what the cue verb attributes, within its sentence."""
    if verb.lemma_.lower() == "add" and any(
        c.dep_ == "dobj" and _counted(c) for c in verb.children
    ):
        # "added three assists to lead Boston", "would add $84 billion": a count or a sum,
        # not a remark (whatever clause follows it).
        return None
    broken = None
    if verb.lemma_.lower() in CUE_VERBS:
        broken = speaker_clause(verb) or broken_clause(verb)
    for child in verb.children:
        if child.dep_ in CONTENT_DEPS and (broken is None or child.i != broken.i) and not (
            _semicolon_before(child, verb) or aside(child)
        ):
            return trim_chars(clause_tokens(child))
    for child in verb.rights:
        if child.dep_ == "advcl" and any(
            c.dep_ == "mark" and c.lower_ in ("for", "that") and c.i < child.i
            for c in child.children
        ):
            # "called for the president to resign", parsed as a purpose clause.
            return trim_chars([t for t in child.subtree if not (
                t.dep_ == "mark" and t.head.i == child.i and t.i < child.i)])
    lemma = verb.lemma_.lower()
    if passive_agent(verb) is not None or document_of_passive(verb) is not None:
        # "X has been endorsed by Y": Y is the source, X what Y endorses; so is "X was
        # announced in a paper" for the paper.
        subject = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
        if subject is not None and not is_pronoun(subject):
            return subtree_chars(subject)
    objects = [c for c in verb.children if c.dep_ in ("dobj", "oprd", "attr")]
    if lemma == "put":
        objects = []  # "as she put it": the words are the clause around
    if objects and lemma == "tell" and all(
        guess_kind(o.doc[np_span(o)[0] : o.i + 1]) in ("thing", "document")
        and o.lemma_.lower() not in OUTLET_HEADS for o in objects
    ):
        # The told-thing rule: "told the story of ...", "told a different tale": what is
        # told, not whom (a person or body, "told reporters", is the addressee).
        return trim_chars([t for o in objects for t in o.subtree])
    if objects and lemma not in ADDRESSEE_VERBS:
        # "called the charges unsubstantiated": object and predicate together; so with "as"
        # ("sees Smith as the stronger candidate", "described the plan as reckless").
        tokens = [t for o in objects for t in o.subtree]
        last = max(o.right_edge.i for o in objects)
        tokens += [t for c in verb.children
                   if c.dep_ == "prep" and c.i > last and c.lower_ in OBJECT_PREPS
                   for t in c.subtree]
        return trim_chars(tokens)
    if lemma not in ("say", "tell", "add"):
        # With a particle the verb takes its target in more ways: "pushed back against",
        # "backed away from", "lashed out at", "weighed in on".
        particle = any(c.dep_ == "prt" for c in verb.children)
        for child in verb.children:
            prep = child.lower_
            if child.dep_ == "prep" and child.i > verb.i and (
                prep in TOPIC_PREPS or lemma in PREP_VERBS.get(prep, ())
                or (particle and prep in PARTICLE_PREPS)
            ):
                # "called for an inquiry", "complained about the mic", "warned against ..."
                objs = [c for c in child.children if c.dep_ in ("pobj", "pcomp")]
                if any(o.ent_type_ in ("DATE", "TIME") for o in objs):
                    # "argued for decades that ...": a time, not a target; the clause after
                    # it, read as the time's, is what was said.
                    return _misread_that_clause(verb)
                if objs:
                    return trim_chars([t for o in objs for t in o.subtree])
    # "As X points out, <clause>" / "<clause>, X said" parsed with the cue as a dependent.
    as_clause = any(c.dep_ == "mark" and c.lower_ in ("as", "like") for c in verb.children)
    if (verb.dep_ == "parataxis" or (verb.dep_ == "advcl" and as_clause)) and verb.head.i != verb.i:
        head = verb.head
        if verb.dep_ == "parataxis" and head.dep_ == "ccomp" and head.head.i < verb.i < head.i and (
            verb.left_edge.i - head.head.i <= 2
        ):
            # "He hoped, she said, that ...": the aside speaks for the whole sentence, the
            # verb the parser hung it under with it.
            head = head.head
        own = set(t.i for t in verb.subtree)
        tokens = [t for t in head.subtree if t.i not in own]
        return trim_chars(tokens)
    # "predicted at the debate that Republicans will win", with "that" misread as a relative
    # pronoun on the scene's noun.
    that = _misread_that_clause(verb)
    if that is not None:
        return that
    fronted = _fronted_clause(verb)
    if fronted is not None:
        return fronted
    tagged = _tag_after_clause(verb, sent)
    if tagged is not None:
        return tagged
    # The cue is the root and the content sits in a preceding quote ("'...,' said X").
    return None


def aside(clause: Token) -> bool:
    """An attribution set into the sentence it attributes ("That plan, she said, will fail"):
    a cue verb with a subject and nothing it says of its own speaks for the clause around it,
    which is not what that clause's verb says."""
    return (
        clause.dep_ == "parataxis"
        and clause.lemma_.lower() in CUE_VERBS
        and subject_of(clause) is not None
        and not any(c.dep_ in CONTENT_DEPS or c.dep_ == "dobj" for c in clause.children)
    )


def _semicolon_before(clause: Token, verb: Token) -> bool:
    """A clause before the verb that a semicolon closes ("He proposes X; she backs Y"): a
    sentence of its own the parser hung on the next verb, not what that verb reports."""
    if clause.i > verb.i:
        return False
    doc = verb.doc
    last = clause.right_edge.i
    while last > clause.i and doc[last].is_punct:
        last -= 1
    return any(t.text == ";" for t in doc[last + 1 : verb.i])


def _counted(obj: Token) -> bool:
    """An object that is a number of things: "$84 billion", "three assists", "25 points"."""
    return obj.like_num or obj.ent_type_ in QUANTITIES or any(
        c.dep_ == "nummod" and (c.like_num or c.ent_type_ in QUANTITIES) for c in obj.children
    )


def _misread_that_clause(verb: Token) -> tuple[int, int] | None:
    """A "that" clause after a cue verb's scene ("alleged in the suit that ...") that the parser
    hung on the scene's noun as a relative clause. It is no relative clause when "that" is
    not the clause's gap: a marker, or a second object or subject beside another one."""
    if verb.lemma_.lower() not in CUE_VERBS:
        return None
    for prep in verb.rights:
        if prep.dep_ != "prep":
            continue
        for obj in prep.children:
            if obj.dep_ != "pobj":
                continue
            found = _that_after(obj, addressed=False)
            if found is not None:
                return found
    if verb.lemma_.lower() in ADDRESSEE_VERBS:
        # The addressee rule: "told the paper that he fought back": the object of a verb of
        # telling is the one addressed, and a "that" clause after it is what was told, even
        # when the parser reads "that" as a relative pronoun (not so after a thing: "told the
        # story that he wrote").
        for obj in verb.rights:
            if obj.dep_ == "dobj" and obj.pos_ in ("NOUN", "PROPN") and (
                guess_kind(obj.doc[np_span(obj)[0] : obj.i + 1])
                in ("person", "organization", "outlet", "unnamed")
                or obj.lemma_.lower() in OUTLET_HEADS  # "told the paper that ..."
            ):
                return _that_after(obj, addressed=True)
    return None


def _that_after(obj: Token, *, addressed: bool) -> tuple[int, int] | None:
    for clause in obj.rights:
        if clause.dep_ not in ("relcl", "acl") or clause.pos_ not in ("VERB", "AUX"):
            continue
        that = clause.doc[clause.left_edge.i]
        if that.lower_ != "that" or that.i <= obj.i:
            continue
        if clause.dep_ == "acl" and that.dep_ != "mark":
            continue  # "argued for decades that it was ...": the clause read as the noun's
        siblings = [c for c in that.head.children if c.dep_ == that.dep_ and c.i != that.i]
        subject = any(c.dep_ in ("nsubj", "nsubjpass") and c.i != that.i
                      for c in clause.children)
        if that.dep_ == "mark" or (siblings and that.dep_ in ("dobj", "pobj", "nsubj")) or (
            addressed and subject
        ) or (subject and that.dep_ == "advmod" and _at_the_time(obj)):
            return trim_chars([t for t in clause.subtree if t.i > that.i])
    return None


def _at_the_time(noun: Token) -> bool:
    """The at-the-time rule: "claimed at the time that they were being treated well": "at the
    time" is an idiom for "then", so a "that" clause with its own subject after it is what was
    claimed, though the parser reads "that" as a relative adverb of "time" ("the time that
    they were treated well"). Other nouns of time keep that reading ("wrote on the day that
    he died")."""
    return noun.lower_ == "time" and noun.head.lower_ == "at" and any(
        c.dep_ == "det" and c.lower_ == "the" for c in noun.children
    )


def _fronted_clause(verb: Token) -> tuple[int, int] | None:
    """The fronted-clause rule: "<clause>, the commission said" with the clause read as a
    modifier of the verb (advcl). It is what is said when it is a clause of its own (a finite
    verb with its own subject, no subordinator: not "When asked, ...", not "Speaking to
    reporters, ...") that a comma closes right before the verb's subject."""
    if verb.lemma_.lower() not in CUE_VERBS:
        return None
    subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subject is None or subject.i > verb.i:
        return None
    doc = verb.doc
    for child in verb.lefts:
        if (
            child.dep_ == "advcl" and child.pos_ in ("VERB", "AUX")
            and child.tag_ not in ("VBG", "VBN")
            and child.right_edge.i + 2 <= subject.left_edge.i + 1
            and doc[child.right_edge.i + 1].text == ","
            and child.right_edge.i + 2 == subject.left_edge.i
            and not any(c.dep_ == "mark" for c in child.children)
            and any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in child.children)
        ):
            return trim_chars(list(child.subtree))
    return None


def _tag_after_clause(verb: Token, sent: SpacySpan) -> tuple[int, int] | None:
    """The tag-after-clause rule: "<statement>, an agency spokesman told us." with the
    statement parsed into pieces hung on the verb (its subject read as the verb's indirect
    object, its "not by value" as the verb's modifier). When the verb of saying ends its
    sentence (only whom it was told and the full stop after it) and its subject follows the
    comma that closes everything before it, that everything is what was said, if it is a
    clause (a finite verb in it) and not a subordinate one ("When the vote ended, she said.")."""
    if verb.lemma_.lower() not in CUE_VERBS or verb.dep_ != "ROOT":
        return None
    subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    if subject is None or subject.i > verb.i:
        return None
    doc = verb.doc
    comma = subject.left_edge.i - 1
    if comma <= sent.start + 2 or doc[comma].text != ",":
        return None
    if any(t.i > verb.i and not (t.is_punct or t.is_space or t.dep_ in ("dobj", "dative"))
           for t in verb.rights for t in t.subtree):
        return None
    before = list(doc[sent.start : comma])
    first = before[0]
    if first.dep_ in ("mark", "advmod") or first.tag_ in ("IN", "WRB", "VBG", "VBN") or not any(
        t.tag_ in ("VBZ", "VBD", "VBP", "MD") for t in before
    ):
        return None
    return trim_chars(before)


def no_comment(verb: Token) -> bool:
    """"did not respond to a request for comment", "declined to comment", "refused to say": a
    statement about not speaking."""
    if verb.lemma_.lower() in DECLINING_VERBS and any(
        c.dep_ == "xcomp" and c.lemma_.lower() in WITHHELD_WORDS for c in verb.children
    ):
        return True
    if verb.dep_ == "xcomp" and verb.lemma_.lower() in WITHHELD_WORDS and (
        verb.head.lemma_.lower() in DECLINING_VERBS
    ):
        return True  # the "comment" of "declined to comment" read as the cue
    # "did not respond to a request for comment", "did not reply to emails": what was not
    # answered follows "to"; "said in an email", "told the paper by phone" say something.
    return any(
        c.dep_ == "prep" and c.lower_ == "to"
        and any(o.dep_ == "pobj" and o.lemma_ in NO_COMMENT for o in c.children)
        for c in verb.children
    )


def clause_tokens(clause: Token) -> list[Token]:
    """The clause's subtree without what is an attribution of its own: a participial clause
    after a comma ("..., arguing that ..."), or a cue verb joined to the clause's verb with no
    subject of its own, which the parser hangs inside the clause where the speaker goes on
    ("said that he would run but did not suggest ...", "said ... and insisted that ...")."""
    cut: list[Token] = [
        t for t in clause.subtree
        if t.i != clause.i and t.dep_ == "advcl" and t.i > 0 and (
            (t.tag_ == "VBG" and t.doc[t.i - 1].text == "," and t.lemma_.lower() in CUE_VERBS)
            or _contrast_speaker(t)
        )
    ] + [
        # "believed, she said, that ...": the aside before the clause's verb.
        t for t in clause.lefts
        if t.dep_ == "parataxis" and t.lemma_.lower() in CUE_VERBS
        and any(c.dep_ == "nsubj" for c in t.children)
    ]
    if not cut:
        cut = [t for t in clause.rights if sister_cue(t)]
        if not cut:
            return list(clause.subtree)
        # The conjunction and the comma before the joined verb go with it.
        start = cut[0].left_edge.i
        drop = {u.i for t in cut for u in t.subtree} | {
            c.i for c in clause.children if c.dep_ in ("cc", "punct") and start - 2 <= c.i < start
        }
        return [t for t in clause.subtree if t.i not in drop]
    drop = {u.i for t in cut for u in t.subtree} | {t.left_edge.i - 1 for t in cut}
    return [t for t in clause.subtree if t.i not in drop]


def _contrast_speaker(verb: Token) -> bool:
    """A cue verb with a subject of its own in a "while"/"whereas" clause ("..., while nine in
    10 said they ..."): another speaker set beside the first, not part of what the first says."""
    return (
        verb.lemma_.lower() in CUE_VERBS
        and any(c.dep_ == "mark" and c.lower_ in ("while", "whereas") for c in verb.children)
        and any(c.dep_ == "nsubj" and not is_pronoun(c) for c in verb.children)
    )


def verb_kind(lemma: str, content: tuple[int, int] | None, quotes: list[tuple[int, int]]) -> str:
    """"quote" when the content opens inside a quotation, "reported" for verbs of publishing,
    else "said"."""
    if content is not None and any(q0 <= content[0] < q1 for q0, q1 in quotes):
        return "quote"
    if lemma in ("report", "write", "publish", "post", "tweet", "announce", "reveal", "learn"):
        return "reported"
    if lemma == "cite":
        return "reported"
    return "said"
