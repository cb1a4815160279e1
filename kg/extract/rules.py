"""The attribution rules, by name, in one explicit order, and how they are applied to a text.

Each word of each sentence is offered to the token rules (`RULES`) in order. A rule whose
`candidate` test takes the word applies to it: it returns its attribution(s), or declines
(`Decline(reason)`) and lets the next rule whose candidate test takes the word try, unless the
rule is `exclusive` (a light verb or a copula that declines is no cue here at all). Then
the text rules (`TEXT_RULES`: implicit sources, quotes after a colon or signed with a dash,
"Name: statement" lines) read the whole text, knowing what the token rules found; hyperlinks
(`link_attributions`) come from the article's links. Finally nested attributions get the outer
source as `via` (`kg.extract.nesting`).

To add a rule: write `def my_rule(ctx, token, sent) -> Outcome` next to its kind (verbs.py,
phrases.py), building its attribution with `kg.extract.attribution.build(rule="my-rule", ...)`,
and register it below with a candidate test, at the place in the order where it should be
offered words; give it sentences it must fire on and must not in tests/test_extract_rules.py.
`kg explain` shows, per sentence, which rules took which word and what they made of it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from kg.extract.attribution import Context, Decline, Outcome
from kg.extract.cues import (
    gerund_lemma,
    headline_lemma,
    misread_verb,
    parenthetical_verb,
    put_it,
    sees_as,
    that_clause,
    verb_tagged_as_noun,
    verbless_headline,
)
from kg.extract.layout import (
    bracket_credits,
    colon_quotes,
    dash_quotes,
    link_attributions,
    post_signatures,
    speaker_colons,
)
from kg.extract.lexicon import (
    CAUSING_VERBS,
    CLAUSE_LIGHT_VERBS,
    CUE_VERBS,
    LIGHT_VERBS,
    NOUN_CUES,
    QUOTE_ONLY_VERBS,
    ROLE_NOUNS,
    STANCE_ADJECTIVES,
    STANCE_VERBS,
    USING_VERBS,
)
from kg.extract.nesting import mark_nested
from kg.extract.phrases import (
    according_to,
    adjective_attribution,
    carried_story,
    copular_attribution,
    in_view,
    light_verb_attribution,
    noun_attribution,
    role_attribution,
    used_data,
    via,
)
from kg.extract.tokens import has_dep
from kg.extract.verbs import (
    asked,
    citing,
    gerund_attribution,
    headline_attribution,
    implicit_attributions,
    noun_verb_attribution,
    parenthetical_attribution,
    polled_by,
    verb_attribution,
    verbless_attribution,
)
from kg.models import Attribution, Link

VERBAL = ("VERB", "AUX")


@dataclass(frozen=True)
class Rule:
    """A named rule over one word: `candidate(token, lemma, sent)` says whether the rule looks
    at the word, `apply(ctx, token, sent)` what it makes of it. When an `exclusive` rule
    declines, no later rule looks at the word."""

    name: str
    description: str
    candidate: Callable[[Token, str, SpacySpan], bool]
    apply: Callable[[Context, Token, SpacySpan], Outcome]
    exclusive: bool = False


@dataclass(frozen=True)
class TextRule:
    """A named rule over the whole text, given what the rules before it found."""

    name: str
    description: str
    apply: Callable[[Context, list[Attribution]], list[Attribution]]


@dataclass(frozen=True)
class Event:
    """What one rule made of one word (`token` is its index in the doc), or, for a text rule
    (`token` None), what it found: for `kg explain`."""

    rule: str
    token: int | None
    found: tuple[Attribution, ...] = ()
    declined: str | None = None


def _asked_candidate(token: Token, lemma: str, sent: SpacySpan) -> bool:
    return lemma == "ask" and (
        (token.tag_ == "VBN" and has_dep(token, "nsubjpass"))
        or (token.tag_ in ("VBN", "VBD") and token.dep_ == "advcl"
            and not has_dep(token, "nsubj"))
    )


def _stance_adjective_candidate(token: Token, lemma: str, sent: SpacySpan) -> bool:
    if token.pos_ == "ADJ":
        return lemma in STANCE_ADJECTIVES and token.dep_ == "acomp"
    # A participle tagged as a verb: "are frustrated that ...", "are divided over ...".
    return token.tag_ == "VBN" and token.lower_ in STANCE_ADJECTIVES and (
        token.dep_ == "acomp" or has_dep(token, "auxpass")
    )


def _light_verb_candidate(token: Token, lemma: str, sent: SpacySpan) -> bool:
    # "officials hold that ...": no object, a that-clause; the that-clause rule's.
    return lemma in LIGHT_VERBS and token.pos_ in VERBAL and not (
        lemma in CLAUSE_LIGHT_VERBS and not has_dep(token, "dobj") and that_clause(token)
    )


RULES: tuple[Rule, ...] = (
    Rule("according-to", '"according to X, ..."',
         lambda t, lemma, s: t.lower_ == "according", according_to),
    Rule("as-put-it", '"as the senator put it, ..."',
         lambda t, lemma, s: lemma == "put" and put_it(t),
         lambda ctx, t, s: verb_attribution(ctx, t, s, rule="as-put-it")),
    Rule("via", '"Heyward said, via the Post-Gazette": the outlet or reporter relaying it',
         lambda t, lemma, s: t.lower_ == "via" and t.dep_ == "prep", via),
    Rule("in-view", '"in his view, ...", "in the words of X", "in a new poll, ..."',
         lambda t, lemma, s: t.lower_ == "in" and t.dep_ == "prep", in_view),
    Rule("headline.verbless", '"Trump calls for a wall": a headline verb read as an object',
         lambda t, lemma, s: t.tag_ == "NNS" and t.dep_ == "dobj" and verbless_headline(t, s),
         verbless_attribution),
    Rule("headline.verb-read-as-noun", '"Trump predicts that ...", the verb read as a noun',
         lambda t, lemma, s: t.tag_ == "NNS" and t.dep_ == "ROOT" and misread_verb(t),
         noun_verb_attribution),
    Rule("parenthetical.verb-read-as-noun",
         '"Water was found, a new study reports.", the verb read as a plural noun',
         lambda t, lemma, s: parenthetical_verb(t, s), parenthetical_attribution),
    Rule("gerund-read-as-noun",
         '"..., with the minister warning of ...", the "-ing" verb read as a noun',
         lambda t, lemma, s: gerund_lemma(t) is not None, gerund_attribution),
    Rule("role-noun", '"X is a longtime supporter of Y"',
         lambda t, lemma, s: t.pos_ == "NOUN" and lemma in ROLE_NOUNS and t.dep_ == "attr",
         role_attribution),
    Rule("noun-cue", '"his claim that ...", "the warning by X that ..."',
         lambda t, lemma, s: t.pos_ == "NOUN" and lemma in NOUN_CUES, noun_attribution),
    Rule("stance-adjective", '"X was critical of Y", "they are optimistic that ..."',
         _stance_adjective_candidate, adjective_attribution),
    Rule("used-data", '"we used data from X": X holds the figures the text relies on',
         lambda t, lemma, s: lemma in USING_VERBS and t.pos_ == "VERB", used_data),
    Rule("carried-story", '"the paper carried the story": the outlet reports it',
         lambda t, lemma, s: lemma == "carry" and t.pos_ == "VERB", carried_story),
    Rule("light-verb", '"made the case that ...", "took a swipe at X", "drew criticism from X"',
         _light_verb_candidate, light_verb_attribution, exclusive=True),
    Rule("asked", '"Asked whether ..., she said", "he was asked about the vote"',
         _asked_candidate, asked),
    Rule("copular-noun", '"his answer was that ...", "her slogan is \'...\'"',
         lambda t, lemma, s: lemma == "be" and t.pos_ in VERBAL, copular_attribution,
         exclusive=True),
    Rule("citing", '"X reported, citing Y": Y, relayed via X',
         lambda t, lemma, s: lemma == "cite" and t.tag_ == "VBG" and t.dep_ in ("advcl", "xcomp"),
         citing),
    Rule("polled-by", '"Analysts polled by Reuters expect ...": the pollster says it',
         lambda t, lemma, s: lemma in ("poll", "survey") and t.tag_ == "VBN"
         and t.dep_ == "acl", polled_by),
    Rule("reporting-verb", '"X said that ...", "X warned", "..., X told reporters"',
         lambda t, lemma, s: lemma in CUE_VERBS and (t.pos_ in VERBAL or verb_tagged_as_noun(t)),
         lambda ctx, t, s: verb_attribution(ctx, t, s, rule="reporting-verb")),
    Rule("stance-verb", '"X wants to ...", "X slammed the plan"',
         lambda t, lemma, s: lemma in STANCE_VERBS and t.pos_ in VERBAL,
         lambda ctx, t, s: verb_attribution(ctx, t, s, rule="stance-verb")),
    Rule("quote-verb", '"\'...,\' he continued", "the sign read: \'...\'"',
         lambda t, lemma, s: lemma in QUOTE_ONLY_VERBS and t.pos_ in VERBAL,
         lambda ctx, t, s: verb_attribution(ctx, t, s, rule="quote-verb")),
    Rule("headline.title-case", '"Jane Roe Endorses John Doe"',
         lambda t, lemma, s: t.pos_ == "PROPN" and t.is_title and headline_lemma(t) is not None,
         headline_attribution),
    Rule("that-clause", '"the court ruled that ...", "voters see X as ..."',
         lambda t, lemma, s: t.pos_ == "VERB" and lemma not in CAUSING_VERBS
         and (that_clause(t) or sees_as(t)),
         lambda ctx, t, s: verb_attribution(ctx, t, s, rule="that-clause", generic=True,
                                            adjacent=False)),
)

TEXT_RULES: tuple[TextRule, ...] = (
    TextRule("implicit", '"It is said that ...", "reportedly", "seemed to": no one named',
             implicit_attributions),
    TextRule("quote.after-colon", '"Warren to the bank\'s chief: \\"...\\""', colon_quotes),
    TextRule("quote.dash-signature", '"\\"...\\" ― Jane Doe"', dash_quotes),
    TextRule("speaker-line", '"WALLACE: Let\'s start ...", "Pence: Flowers won\'t ..."',
             speaker_colons),
    TextRule("quote.post-signature", '"...\\n— Jane Roe (@janeroe) November 18, 2019"',
             post_signatures),
    TextRule("credit.bracket", '"It\'s complicated [Bloomberg]": an outlet credited in brackets',
             bracket_credits),
)

RULE_NAMES: tuple[str, ...] = (
    *(r.name for r in RULES),
    "light-verb.poll-finding", "light-verb.drawn-stance", "citing.reason",
    "implicit.passive", "implicit.adverb", "implicit.seeming",
    *(r.name for r in TEXT_RULES[1:]),
    "hyperlink",
)


# The curly-contraction rule: spaCy's lemmatizer knows "'s", "'re", "'ve" as forms of "be" and
# "have" only with a straight apostrophe; news text mostly writes them curly ("it’s", "they’re"),
# which it leaves as "’" or "’re". The rules read lemmas ("it is worth noting", "his claim is
# false"), so the verbs get theirs back before any rule reads them.
_CURLY_CONTRACTIONS = {
    ("\u2019s", "VBZ"): "be", ("\u2019re", "VBP"): "be", ("\u2019m", "VBP"): "be",
    ("\u2019ve", "VBP"): "have", ("\u2019ve", "VB"): "have", ("\u2019ll", "MD"): "will",
    ("\u2019d", "MD"): "would",
}


def mend_curly_lemmas(doc: Doc) -> None:
    """Give curly contractions of "be", "have", "will" and "would" their lemma (see above)."""
    for token in doc:
        lemma = _CURLY_CONTRACTIONS.get((token.lower_, token.tag_))
        if lemma is not None and token.lemma_ != lemma:
            token.lemma_ = lemma


def find_attributions(
    doc: Doc,
    offset: int = 0,
    *,
    links: Sequence[Link] = (),
    trace: list[Event] | None = None,
) -> list[Attribution]:
    """All attributions in a parsed text, with offsets shifted by `offset` (the text's place in
    its article), the article's `links` among them. With `trace`, every rule that looked at a
    word, and every text rule's findings, are appended to it as `Event`s.

    An attribution whose cue sits inside another's content is nested ("dialog.ua reported that
    experts believe ..."): it gets the outer source as its `via`.
    """
    mend_curly_lemmas(doc)
    ctx = Context(doc, offset)
    found: list[Attribution] = []
    for sent in doc.sents:
        for token in sent:
            lemma = token.lemma_.lower()
            for rule in RULES:
                if not rule.candidate(token, lemma, sent):
                    continue
                outcome = rule.apply(ctx, token, sent)
                if isinstance(outcome, Decline):
                    if trace is not None:
                        trace.append(Event(rule.name, token.i, declined=outcome.reason))
                    if rule.exclusive:
                        break
                    continue
                made = outcome if isinstance(outcome, list) else [outcome]
                found.extend(made)
                if trace is not None:
                    trace.append(Event(rule.name, token.i, found=tuple(made)))
                break
    for text_rule in TEXT_RULES:
        made = text_rule.apply(ctx, found)
        found.extend(made)
        if trace is not None and made:
            trace.append(Event(text_rule.name, None, found=tuple(made)))
    found = mark_nested(found)
    made = link_attributions(ctx, links)
    if trace is not None and made:
        trace.append(Event("hyperlink", None, found=tuple(made)))
    return found + made
