"""Speaker resolution: who an attribution's source stands for, within one article.

A deterministic sieve in the spirit of Muzny et al. 2017 ("A Two-stage Sieve Approach for Quote
Attribution") and CoreNLP's QuoteAttribution, run once per article over its text, attributions
and entity mentions (no parser needed: it works on spans). Each attribution gets a `Speaker`: the
named mention its source refers to, or none, and the name of the rule that decided. Resolve then
turns the speaker's mention into a graph node.

The sieves, in order (the first that decides wins):

* **author voice** (`author.first-person`): "I", "we", "my" in the writer's own narration are
  the author, not a cited source; inside a quotation they belong to its speaker
  (`nested.quote-speaker`) and never become a node of their own.
* **head of a named span**: a long source span names its speaker at its head, not in its
  modifiers: "Will Moy, chief executive of Full Fact" is Will Moy (`head.name`); "the then Home
  Secretary, Sajid Javid" is Sajid Javid (`head.apposition`); "a spokesperson for the Pentagon"
  and "a Pentagon spokesperson" are the Pentagon (`head.spokesperson`), "researchers out of
  NASA's Goddard Space Flight Center" that unit of NASA, "New York's chief medical examiner"
  that office of the place (or the person named with its title), "a lawyer for Smith" and
  "Trump's defenders" and "GOP legislative leaders" (leaders in the legislature, not the
  party's voice) are no one named (`head.unnamed`); "Twitter users" and "people on Twitter"
  are no one either. Coordinated people ("attorneys Tim Sweeney and Lisa Lagos wrote") give one
  attribution each (`head.coordination`), a name the model left untagged in a list of tagged
  people ("Tom Kuo, Struan WA Wilkie, and Owen Day") too, and a pronoun coordinated with a
  name ("he and his wife Kali") is one more, resolved as a pronoun and never to the one named
  beside it. Coordinated modifiers of a body's head noun ("the Russian and Syrian defense
  ministries") are two bodies: the second its own phrase, the first the body the article names
  in full (else left out). A lone capitalised word the model
  left untagged is the one full name of the article it ends, whatever its tag
  (`head.untagged-surname`), or, right after the quotation it closes ('"...?" Schiff asked'), a
  person (`head.untagged-name`).
* **pronouns** (he/she/they/it): candidates are the named mentions before the pronoun, in the
  same or the previous paragraphs, that agree with it in gender (first names from a name list
  shipped by a package, titles: Mr, Mrs, Ms ..., and kinship nouns: "his wife Kali"), number
  and animacy (a name's type is the one the whole article gives it: "Volker" tagged as an
  organisation is the person "Kurt Volker"), and that are not inside a quotation or inside
  another attribution's content (a name in what someone said, or the target of a threat, is
  never the speaker; nor is one speaking inside someone's quotation). Preferred, in order: the
  one agreeing person the pronoun's paragraph names before it as a subject
  (`pronoun.paragraph-subject`: "Carlineo was arrested for a call in which he said"), the
  speaker of the attribution just before in the same run of quote paragraphs
  (`pronoun.previous-speaker`; not across a pronoun of the other gender, and not past a
  speaker tagged as no person who reads like one), the most recent agreeing speaker of an
  earlier attribution (`pronoun.earlier-speaker`), the only agreeing person mentioned
  (`pronoun.only-candidate`), the only one named as a clause's subject
  (`pronoun.only-subject`). A "They" opening the sentence after one that ends in two people
  joined by "and" is both of them (`pronoun.they-pair`); so is "both men" ("the two women",
  ...) after two people joined by "and" when no one else is named since (`nominal.both-pair`).
  A person an earlier "she" was
  resolved to is no "he" (and the other way round). Two agreeing candidates and no speaker
  among them leave the pronoun unresolved (`pronoun.ambiguous`) rather than guessed.
* **relative pronouns**: "who"/"which" right after a name ("The Acme Workers Union, which has
  rejected the offer") stand for it (`relative.antecedent`), unless the name is a
  preposition's object ("the daughter of Tom Hale, who ..."); "that"/"which" on a document
  the attribution just before published ("The company published a blog post that said ...")
  is that attribution's speaker (`relative.published-document`).
* **documents' authors**: "the authors of the research published in the journal X" speak
  for X; "That report found ..." is the report cited just before, or one its paragraph names
  with its author ("findings ... by X": `nominal.document`); "an article published Monday in
  the journal X" is X (`head.published-in`); a bare "a new study" or "the paper" in an article
  that names one journal something was published in is that journal (`nominal.journal`).
* **descriptions** ("the company", "the agency", "the minister"): the one mention of the kind
  the head noun names that the description's paragraph names as a subject, else the most
  recent one, preferring earlier speakers, else the one the paragraph right before names
  (`nominal.organization`); unnamed prosecutors are the one prosecuting office the article
  names (`nominal.prosecutors`); a role noun
  finds the person named with that title ("Prime Minister Boris Johnson" ... "the prime
  minister", `nominal.title`); a role a person holds finds the one person its paragraph (or,
  naming no one, the paragraph before) names ("in an Oliver Sacks kind of way — the late
  neurologist wrote", `nominal.epithet`), unless the role brings in someone new ("the
  doctor", "the lawyer").

Everything here is plain Python over offsets into the article text; it is deterministic and
linear in the number of attributions times the mentions of a window.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from kg.extract.lexicon import UNNAMED_HEADS
from kg.models import Attribution, Extraction, Mention, Span, Speaker

FIRST_PERSON = frozenset("i me my mine we us our ours".split())
MALE_PRONOUNS = frozenset("he him his himself".split())
FEMALE_PRONOUNS = frozenset("she her hers herself".split())
PLURAL_PRONOUNS = frozenset("they them their theirs themselves".split())
NEUTER_PRONOUNS = frozenset("it its itself".split())

# Titles that tell a person's gender ("Mr Gachechiladze", "Mrs May").
MALE_TITLES = frozenset("mr mr. sir lord king prince father brother monsieur herr".split())
FEMALE_TITLES = frozenset(
    "mrs mrs. ms ms. miss lady dame queen princess madam madame mother sister".split()
)

# Head nouns of a description that stands for an organisation mentioned before it.
ORGANIZATION_NOUNS = frozenset(
    """
    company firm group agency ministry department organization organisation bank carrier
    airline university institute office government administration party union council
    committee commission authority regulator startup manufacturer maker retailer team club
    association foundation charity network campaign league court service police
    """.split()
)
OUTLET_NOUNS = frozenset("newspaper paper outlet broadcaster channel agency magazine site".split())
# Head nouns of someone who speaks for an organisation: unnamed, they stand for it.
SPOKESPERSON_NOUNS = frozenset(
    """
    spokesman spokeswoman spokesperson spokespeople representative representatives rep
    statement
    """.split()
)
# Head nouns of people who are not who they work for: a lawyer speaks for a client but is not
# the client, a fan of a team is not the team.
NOT_THEIR_PRINCIPAL = frozenset(
    """
    lawyer lawyers attorney attorneys counsel fan fans supporter supporters defender defenders
    critic critics friend friends family relative relatives user users follower followers
    people person member members source sources employee employees staff worker workers
    resident residents customer customers victim victims accuser accusers opponent opponents
    aide aides adviser advisers advisor advisors analyst analysts expert experts official
    officials executive executives investor investors researcher researchers scientist
    scientists doctor doctors student students viewer viewers reader readers commenter
    commenters team
    """.split()
)
PREPOSITIONS = frozenset("for of at on in from with by to about against via".split())
# Where a source span's head phrase ends: an apposition, a parenthesis, a relative clause.
# ("NASA scientists using a telescope atop Mauna Kea": a participle with its object.)
HEAD_END = re.compile(
    r",|\s\(|\s(?:who|which|whose|whom|that)\s|\s[–—-]\s"
    r"|\s[a-z]+ing\s(?=(?:a|an|the|his|her|its|their|at|on|in|for|with|from|to)\s)"
)
POSSESSIVE_AFTER = re.compile(r"^\s*(?:'s|’s|'|’)(?:\s|$)")
# Capitalised words a model left out of a name, with the small words a title or body name
# holds: "The United Nations| High Commissioner for Human Rights".
CAPITALISED_REST = re.compile(
    r"(?:\s+(?:(?:for|of|and|on|the)\s+)*[A-Z][\w.'’&-]*)+"
)

# How far back (in characters) a pronoun or description looks for its referent, and how far
# a run of quote paragraphs keeps its speaker.
WINDOW = 1500
RUN_GAP = 600


# --- first-name gender ------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _name_lists() -> tuple[frozenset[str], frozenset[str]]:
    """(male, female) first names, from the lists the coreferee package ships (MIT; built from
    the U.S. Social Security Administration's baby names and European open data). The package
    is located, not imported: importing it would load spaCy."""
    spec = importlib.util.find_spec("coreferee")
    if spec is None or not spec.submodule_search_locations:
        return frozenset(), frozenset()
    data = Path(next(iter(spec.submodule_search_locations))) / "lang" / "common" / "data"
    lists = []
    for name in ("male_names.dat", "female_names.dat"):
        try:
            words = (data / name).read_text(encoding="utf-8").split()
        except OSError:
            words = []
        lists.append(frozenset(w.casefold() for w in words))
    return lists[0], lists[1]


def first_name_gender(first: str) -> str | None:
    """"male", "female", or None when the name is on neither list or on both ("Taylor")."""
    male, female = _name_lists()
    key = first.strip(".").casefold()
    is_male, is_female = key in male, key in female
    if is_male == is_female:
        return None
    return "male" if is_male else "female"


# --- text structure ---------------------------------------------------------------------------


# Opening marks and the marks that close them (typewriters close “ with ’’ or a straight ").
QUOTE_PAIRS = {"“": ("”", "’’", '"'), '"': ('"', "”"), "«": ("»",)}


def quote_regions(text: str) -> list[tuple[int, int]]:
    """Spans of quoted text (quote marks included), each closed within its paragraph; a quote
    left open is not taken (where it ends is a guess, and a guess here would swallow the
    speaker that follows it)."""
    regions: list[tuple[int, int]] = []
    for para_start, para_end in paragraphs(text):
        i = para_start
        while i < para_end:
            closers = QUOTE_PAIRS.get(text[i])
            if closers is None:
                i += 1
                continue
            ends = [(j, len(c)) for c in closers if (j := text.find(c, i + 1, para_end)) != -1]
            if not ends:
                i += 1
                continue
            j, width = min(ends)
            regions.append((i, j + width))
            i = j + width
    return regions


def paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-empty line: news text puts one paragraph on a line."""
    out = []
    for m in re.finditer(r"[^\n]+", text):
        if m.group().strip():
            out.append((m.start(), m.end()))
    return out


class _Regions:
    """Sorted, non-overlapping spans with a containment test."""

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        self.spans = sorted(spans)
        self.starts = [s for s, _ in self.spans]

    def containing(self, start: int, end: int) -> tuple[int, int] | None:
        i = bisect_right(self.starts, start) - 1
        if i >= 0 and self.spans[i][0] <= start and end <= self.spans[i][1]:
            return self.spans[i]
        return None


# --- people in the article --------------------------------------------------------------------


@dataclass
class _Person:
    """A person mention with what the article says about its gender and titles."""

    mention: Mention
    gender: str | None


def _words_before(text: str, start: int, n: int = 4) -> list[str]:
    before = text[max(0, start - 60) : start]
    before = re.split(r"[\n.;:!?“”\"(]", before)[-1] if before else ""
    return [w.casefold() for w in re.findall(r"[A-Za-z][A-Za-z.'’-]*", before)][-n:]


def _titles() -> frozenset[str]:
    from kg.identity import titles  # (kg.identity reads first-name genders from here)

    return titles()


# Kinship nouns that tell the gender of the person named right after them ("his wife Kali",
# "her son, filmmaker Charlie McDowell").
MALE_KIN = frozenset("son husband father brother boyfriend grandson nephew uncle dad".split())
FEMALE_KIN = frozenset(
    "daughter wife mother sister girlfriend granddaughter niece aunt mom mum".split()
)


KIN_BEFORE = re.compile(r"\b([a-z]+)(?:,\s+[a-z-]+)?\s+$")


def _kin_before(text: str, start: int) -> str | None:
    """The kinship rule: the gender a kinship noun gives the name right after it, or after it,
    a comma and one role word ("her son, filmmaker Charlie McDowell"); not across anything else
    ("the wife of Tom Hale", "his father told Hale")."""
    m = KIN_BEFORE.search(text, max(0, start - 40), start)
    if m is None:
        return None
    word = m.group(1)
    if word in MALE_KIN:
        return "male"
    return "female" if word in FEMALE_KIN else None


def _person_key(name: str) -> tuple[str, ...]:
    """The words of a person's name, casefolded, without an owner or titles it took in
    ("BBC's Emily Maitlis" and "Senator Emily Maitlis" are "emily maitlis")."""
    words = [w.casefold() for w in re.findall(r"[^\W\d_][\w'’.-]*", name)]
    while len(words) > 1 and (words[0].endswith(("'s", "’s")) or words[0].rstrip(".") in (
        MALE_TITLES | FEMALE_TITLES | _titles()
    )):
        words = words[1:]
    return tuple(words)


class People:
    """The persons an article mentions, their genders decided by all their mentions."""

    def __init__(self, text: str, mentions: Sequence[Mention],
                 retyped: dict[tuple[int, int], str] | None = None) -> None:
        retyped = retyped or {}
        persons = [m for m in mentions
                   if retyped.get((m.span.start, m.span.end), m.type) == "person"]
        # Gender per full name: a first name on the name lists, a gendered title before any of
        # its mentions, and the same for its surname's mentions.
        votes: dict[str, set[str]] = {}
        full_by_last: dict[str, set[str]] = {}
        for m in persons:
            key = _person_key(m.span.text)
            if len(key) >= 2:
                full_by_last.setdefault(key[-1], set()).add(" ".join(key))
        for m in persons:
            key = _person_key(m.span.text)
            if not key:
                continue
            full = self._full(key, full_by_last)
            g = first_name_gender(key[0]) if len(key) >= 2 else None
            # a title before the name, or one the mention took in ("Mr Gachechiladze")
            titles = set(_words_before(text, m.span.start, 1)) | {
                w.casefold().rstrip(".") for w in m.span.text.split()[:-1]
            }
            if titles & MALE_TITLES:
                g = "male"
            elif titles & FEMALE_TITLES:
                g = "female"
            elif (kin := _kin_before(text, m.span.start)) is not None:
                g = kin
            if g is not None:
                votes.setdefault(full, set()).add(g)
        self.full_by_last = full_by_last
        self.gender = {k: next(iter(v)) for k, v in votes.items() if len(v) == 1}
        # genders of the pronouns the sieve resolved to each person, as it goes
        self.heard: dict[str, set[str]] = {}

    @staticmethod
    def _full(key: tuple[str, ...], full_by_last: dict[str, set[str]]) -> str:
        if len(key) == 1:
            fulls = full_by_last.get(key[0], set())
            if len(fulls) == 1:
                return next(iter(fulls))
        return " ".join(key)

    def identity(self, mention: Mention) -> str:
        """One key for every form of a person's name in the article ("Cook" and "Tim Cook")."""
        return self._full(_person_key(mention.span.text), self.full_by_last)

    def gender_of(self, mention: Mention) -> str | None:
        return self.gender.get(self.identity(mention))

    def hear(self, mention: Mention, pronoun: str) -> None:
        """Remember that a gendered pronoun was resolved to this person (`_agrees` reads it)."""
        if pronoun in MALE_PRONOUNS | FEMALE_PRONOUNS:
            gender = "male" if pronoun in MALE_PRONOUNS else "female"
            self.heard.setdefault(self.identity(mention), set()).add(gender)


# --- the sieve --------------------------------------------------------------------------------


@dataclass
class _Context:
    text: str
    mentions: list[Mention]
    starts: list[int]
    quotes: _Regions
    contents: _Regions
    people: People
    paragraph_starts: list[int]
    # mentions whose type the article's other mentions overrule, by offsets: "Volker" tagged
    # as an organisation where the article names "Kurt Volker" is a person
    retyped: dict[tuple[int, int], str] = dataclasses.field(default_factory=dict)

    def kind(self, span: Span, type_: str) -> str:
        """A mention's type as the whole article decides it (`_retyped`)."""
        return self.retyped.get((span.start, span.end), type_)

    def mentions_in(self, start: int, end: int) -> list[Mention]:
        i = bisect_left(self.starts, start)
        out = []
        while i < len(self.mentions) and self.mentions[i].span.start < end:
            if self.mentions[i].span.end <= end:
                out.append(self.mentions[i])
            i += 1
        return out

    def paragraph_of(self, pos: int) -> int:
        return bisect_right(self.paragraph_starts, pos) - 1


def attach_speakers(ex: Extraction) -> Extraction:
    """The extraction with every attribution's `speaker` decided (coordinated sources split)."""
    text = ex.article.text
    if not text:
        return ex
    mentions = sorted(ex.mentions, key=lambda m: (m.span.start, -m.span.end))
    retyped = _retyped(mentions)
    contents = [
        (a.content.start, a.content.end) for a in ex.attributions
        if a.content is not None and a.kind != "hyperlink"
    ]
    ctx = _Context(
        text=text,
        mentions=mentions,
        starts=[m.span.start for m in mentions],
        quotes=_Regions(quote_regions(text)),
        contents=_Regions(_merge_spans(contents)),
        people=People(text, mentions, retyped),
        paragraph_starts=[s for s, _ in paragraphs(text)] or [0],
        retyped=retyped,
    )
    out: list[Attribution] = []
    history: list[Attribution] = []  # decided attributions, in text order of their cues
    first_person: list[int] = []
    for a in sorted(ex.attributions, key=lambda a: (a.cue.start, a.source.start)):
        if a.kind == "hyperlink" or a.implicit:
            out.append(a)
        elif a.source.text.strip().casefold() in FIRST_PERSON:
            first_person.append(len(out))  # decided once every quote has its speaker
            out.append(a)
        else:
            for decided in _decide(a, ctx, history):
                out.append(decided)
                history.append(decided)
                sp = decided.speaker
                if sp is not None and sp.span is not None and sp.type == "person":
                    ctx.people.hear(Mention(sp.span, sp.type), lower_source(decided))
    for i in first_person:
        out[i] = _first_person(out[i], ctx, history)
    return dataclasses.replace(ex, attributions=tuple(_outside_quotes(a, ctx) for a in out))


def lower_source(a: Attribution) -> str:
    return a.source.text.strip().casefold()


def _retyped(mentions: Sequence[Mention]) -> dict[tuple[int, int], str]:
    """The article-type rule: a name's type is decided by all its mentions, as resolve decides
    it (`kg.identity.ArticleNames`): a surname or first name tagged as an organisation
    ("Volker") where the article names the full person ("Kurt Volker"), or a full name that
    reads as a person's, is a person. A pronoun must agree with what the name is, not with
    what one tag made of it: an organisation-tagged "Volker" is no candidate for "he", and is
    one for "the company"."""
    from kg.identity import (  # (kg.identity reads first-name genders from here)
        ORGANIZATION_WORDS,
        ArticleNames,
        looks_like_person,
    )

    names = ArticleNames.of(mentions)
    out = {
        (m.span.start, m.span.end): "person"
        for m in mentions
        if m.type in ("organization", "other")
        and (names.expand(m.span.text) is not None or names.is_full(m.span.text))
    }
    # and a "person" whose name holds an organisation's word and reads as no person's
    # ("Dick Clark Productions" tagged PERSON) is an organisation, as resolve reads it
    out.update({
        (m.span.start, m.span.end): "organization"
        for m in mentions
        if m.type == "person" and not looks_like_person(m.span.text) and any(
            w.casefold().strip(".,") in ORGANIZATION_WORDS for w in m.span.text.split()
        )
    })
    return out


def _outside_quotes(a: Attribution, ctx: _Context) -> Attribution:
    """An attribution inside what someone is quoted as saying ("'Officials told us the plan
    was dead,' she said") is the quoted speaker's account, not the article's citation: below
    the graph's default threshold (it keeps its place in `kg extract`)."""
    if a.kind == "hyperlink" or a.implicit:
        return a
    if ctx.quotes.containing(a.cue.start, a.cue.end) and ctx.contents.containing(
        a.cue.start, a.cue.end
    ):
        return dataclasses.replace(a, confidence=min(a.confidence, CONFIDENCE_IN_QUOTE))
    return a


def _merge_spans(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    return merged


# How far each sieve can be trusted: an attribution's confidence is capped by its speaker
# rule's (measured on the citation gold and PolNeAR: the share of the rule's speakers that are
# right). A name at the head of the span, or the speaker of the quote an "I" sits in, adds no
# doubt; a pronoun or a description adds some.
CONFIDENCE_HEAD_NAME = 1.0
CONFIDENCE_COORDINATION = 0.9
CONFIDENCE_APPOSITION = 0.9
CONFIDENCE_QUOTE_SPEAKER = 1.0
CONFIDENCE_PREVIOUS_SPEAKER = 0.9  # he/she/it in a run of quotes after a named speaker
CONFIDENCE_PREVIOUS_GROUP = 0.6  # "they" after a group spoke
CONFIDENCE_EARLIER_SPEAKER = 0.75
CONFIDENCE_PARAGRAPH_SUBJECT = 0.75
CONFIDENCE_ONLY_CANDIDATE = 0.6
CONFIDENCE_GENDER = 0.75  # the one candidate of the pronoun's gender among several
CONFIDENCE_NOMINAL = 0.9
CONFIDENCE_TITLE = 0.75
CONFIDENCE_RELATIVE = 0.9  # "Acme Corp, which said ...": the name right before the clause
# An attribution inside a quotation of someone else: their account, not the article's.
CONFIDENCE_IN_QUOTE = 0.6

RULE_CONFIDENCE = {
    "head.name": CONFIDENCE_HEAD_NAME,
    "head.spokesperson": CONFIDENCE_HEAD_NAME,
    "head.title-name": CONFIDENCE_HEAD_NAME,
    "head.untagged-surname": CONFIDENCE_HEAD_NAME,
    "head.untagged-name": CONFIDENCE_NOMINAL,
    "head.coordination": CONFIDENCE_COORDINATION,
    "head.apposition": CONFIDENCE_APPOSITION,
    "nested.quote-speaker": CONFIDENCE_QUOTE_SPEAKER,
    "pronoun.paragraph-subject": CONFIDENCE_PARAGRAPH_SUBJECT,
    "pronoun.previous-speaker": CONFIDENCE_PREVIOUS_SPEAKER,
    "pronoun.earlier-speaker": CONFIDENCE_EARLIER_SPEAKER,
    "pronoun.only-candidate": CONFIDENCE_ONLY_CANDIDATE,
    "pronoun.only-subject": CONFIDENCE_PARAGRAPH_SUBJECT,
    "pronoun.gender": CONFIDENCE_GENDER,
    "pronoun.they-pair": CONFIDENCE_PARAGRAPH_SUBJECT,
    "nominal.both-pair": CONFIDENCE_PARAGRAPH_SUBJECT,
    "nominal.organization": CONFIDENCE_NOMINAL,
    "nominal.voice": CONFIDENCE_NOMINAL,
    "nominal.document": CONFIDENCE_NOMINAL,
    "nominal.journal": CONFIDENCE_NOMINAL,
    "nominal.prosecutors": CONFIDENCE_NOMINAL,
    "nominal.title": CONFIDENCE_TITLE,
    "nominal.epithet": CONFIDENCE_TITLE,
    "relative.antecedent": CONFIDENCE_RELATIVE,
    "relative.published-document": CONFIDENCE_RELATIVE,
}


# Every rule the sieve decides by, by name, in the order it tries them (`Speaker.rule`).
SPEAKER_RULES: tuple[str, ...] = (
    "author.first-person", "nested.quote-speaker",
    "head.dateline", "head.untagged-surname", "head.untagged-name",
    "head.title-name", "head.apposition", "head.coordination", "head.name",
    "head.spokesperson", "head.unnamed",
    "pronoun.paragraph-subject", "pronoun.previous-speaker", "pronoun.earlier-speaker",
    "pronoun.gender",
    "pronoun.only-candidate", "pronoun.only-subject", "pronoun.they-pair", "pronoun.ambiguous",
    "pronoun.no-candidate",
    "head.published-in", "nominal.organization", "nominal.voice", "nominal.document",
    "nominal.journal", "nominal.prosecutors", "nominal.both-pair",
    "nominal.title", "nominal.epithet", "nominal.unresolved", "relative.antecedent",
    "relative.among-list", "relative.published-document", "unnamed",
)


def _with(a: Attribution, span: Span | None, type_: str, rule: str) -> Attribution:
    cap = RULE_CONFIDENCE.get(rule, 1.0)
    if rule == "pronoun.previous-speaker" and a.source.text.strip().casefold() in (
        PLURAL_PRONOUNS
    ):
        cap = CONFIDENCE_PREVIOUS_GROUP
    return dataclasses.replace(
        a, speaker=Speaker(span, type_ if span else "", rule),
        confidence=min(a.confidence, cap),
    )


def _decide(a: Attribution, ctx: _Context, history: list[Attribution]) -> list[Attribution]:
    words = a.source.text.strip()
    lower = words.casefold()
    if lower in FIRST_PERSON:
        return [_first_person(a, ctx, history)]
    if lower == "they":
        pair = _they_pair(a, ctx)
        if pair:
            return [_with(a, x.span, "person", "pronoun.they-pair") for x in pair]
    if lower in MALE_PRONOUNS | FEMALE_PRONOUNS | PLURAL_PRONOUNS | NEUTER_PRONOUNS:
        return [_pronoun(a, lower, ctx, history)]
    if lower in BOTH_PAIR:
        pair = _both_pair(a, ctx)
        if pair:
            return [_with(a, x.span, "person", "nominal.both-pair") for x in pair]
    if words in ("that", "who"):
        among = _among_list(a, ctx)
        if among:
            return among
    if words in ("that", "which"):
        published = _published_document(a, ctx, history)
        if published is not None:
            return [published]
    if words in RELATIVE_PRONOUNS:  # lower case: "WHO" is the World Health Organization
        return [_relative(a, lower, ctx)]
    bodies = _coordinated_bodies(a, ctx)
    if bodies:
        return bodies
    return _named_or_description(a, ctx, history)


# "the Russian and Syrian defense ministries", "the French and German governments": two
# bodies of one kind told apart by the words coordinated before their head noun.
COORDINATED_BODIES = re.compile(
    r"(?:[Tt]he[ \t]+)?(?P<a>[A-Z][a-z]+)[ \t]+and[ \t]+(?P<b>[A-Z][a-z]+)"
    r"(?P<head>(?:[ \t]+[a-z]+){0,2}[ \t]+(?P<noun>[a-z]+))(?:['’]s?)?"
)


def _coordinated_bodies(a: Attribution, ctx: _Context) -> list[Attribution]:
    """The coordinated-modifiers rule: "the Russian and Syrian defense ministries accused ...",
    "the Russian and Syrian defense ministry's claim": two bodies speak, one attribution each:
    "Russian defense ministry" and "Syrian defense ministry". The second is the phrase from its
    modifier to the head noun (its own source span); the first is not written out, so it is the
    body the article names in full ("the Russian Defense Ministry" elsewhere), else left out (a
    missing edge, never a made-up name). The modifiers are capitalised single words naming
    no person ("Russian", "Syrian", "Senate"), the head noun a public body's
    (`ORG_PART_NOUNS`, singular or plural)."""
    m = COORDINATED_BODIES.fullmatch(a.source.text.strip())
    if m is None:
        return []
    from kg.resolve import BODY_PLURALS  # (resolve folds the plural so, for the name)

    noun = m.group("noun")
    single = BODY_PLURALS.get(noun, noun)
    if single not in ORG_PART_NOUNS:
        return []
    offset = a.source.start + len(a.source.text) - len(a.source.text.lstrip())
    if any(ctx.kind(x.span, x.type) == "person"
           for x in ctx.mentions_in(offset + m.start("a"), offset + m.end("b"))):
        return []
    head_words = [_fold_spelling(w) for w in m.group("head").split()]
    head_words[-1] = single
    first = None
    for x in ctx.mentions:
        if ctx.kind(x.span, x.type) != "organization":
            continue
        words = [_fold_spelling(w) for w in _words(x.span.text)]
        if words and words[0] == "the":
            words = words[1:]
        if words == [m.group("a").casefold(), *head_words]:
            first = x
            break
    b_start, b_end = offset + m.start("b"), offset + m.end("head")
    second = Span(ctx.text[b_start:b_end], b_start, b_end)
    out = []
    if first is not None:
        out.append(_with(a, first.span, "organization", "head.coordination"))
    out.append(dataclasses.replace(
        _with(a, second, "organization", "head.coordination"), source=second))
    return out


def _fold_spelling(word: str) -> str:
    return {"defence": "defense"}.get(word.casefold(), word.casefold())


# Where a sentence ends: its last mark, closing quotes, then the space before the next one.
SENTENCE_END = re.compile(r"[.!?][\"”’']?\s+$")
# What may join two coordinated people: "and", and a title or role word before the second
# ("Senator Elizabeth Warren and congresswoman Alexandria Ocasio-Cortez").
PAIR_GAP = re.compile(r"\s+and\s+(?:[a-z][\w.-]*\s+){0,2}")


def _they_pair(a: Attribution, ctx: _Context) -> list[Mention]:
    """The they-pair rule: "Her post got the attention of two politicians: Senator Ann Lee and
    congresswoman Rose Kuo. They criticised ...": a "They" that opens a sentence right after one
    that ends in two people joined by "and" (named, nothing but a title between them) stands
    for the two of them, one attribution each. Not inside a quotation, and not when anything
    else ends the sentence before ("Lee and Kuo met the board.")."""
    start = a.source.start
    if ctx.text[start : a.source.end] != "They" or ctx.quotes.containing(start, a.source.end):
        return []
    lo = max(0, start - 400)
    end = SENTENCE_END.search(ctx.text, lo, start)
    if end is None:
        return []
    persons = [m for m in ctx.mentions_in(lo, end.start())
               if ctx.kind(m.span, m.type) == "person"]
    if len(persons) < 2 or persons[-1].span.end != _trim_end(ctx.text, lo, end.start() + 1):
        return []
    first, second = persons[-2], persons[-1]
    return [first, second] if _is_pair(first, second, ctx, lo) else []


# Descriptions that name exactly two people (`_both_pair`).
BOTH_PAIR = frozenset({"both men", "both women", "the two men", "the two women"})
# How far back the pair may be named: the paragraph before, about.
BOTH_PAIR_WINDOW = 600


def _both_pair(a: Attribution, ctx: _Context) -> list[Mention]:
    """The both-pair rule: "King and Weeks were abducted in 2016. The next year the group
    released videos of them. Both men claimed they were treated well.": "both men" (or "the
    two women" ...) stands for the last two people named, one attribution each, when they were
    named together, joined by "and" (nothing but a title between), no one else is named after
    them, and the pair is no part of a longer list. Not inside a quotation."""
    start = a.source.start
    if ctx.quotes.containing(start, a.source.end):
        return []
    lo = max(0, start - BOTH_PAIR_WINDOW)
    persons = [m for m in ctx.mentions_in(lo, start) if ctx.kind(m.span, m.type) == "person"]
    if persons:
        # "King and Weeks were abducted": a surname the model left untagged after "and" is
        # the one full name of the article it ends (as in `head.untagged-surname`), or, with
        # none, a person of its own (resolve keeps a lone surname to its article).
        last = persons[-1]
        after = UNTAGGED_AFTER_AND.match(ctx.text, last.span.end, start)
        if after is not None and after.group(1).casefold() not in UNNAMED_HEADS:
            word = Mention(Span(after.group(1), after.start(1), after.end(1)), "person",
                           "untagged-surname")
            if not _is_pair(last, word, ctx, lo):
                return []
            full = _one_full_name(_full_names_ending(after.group(1).casefold(), ctx))
            return [last, full or word]
    if len(persons) >= 2 and _is_pair(persons[-2], persons[-1], ctx, lo):
        return persons[-2:]
    return []


def _is_pair(first: Mention, second: Mention, ctx: _Context, lo: int) -> bool:
    """Whether two people are named as a pair: joined by "and" (nothing but a title between),
    two people, and no part of a longer list (what the they-pair and both-pair rules ask)."""
    return bool(PAIR_GAP.fullmatch(ctx.text, first.span.end, second.span.start)) and (
        _identity(first.span, first.type, ctx) != _identity(second.span, second.type, ctx)
    ) and not _longer_list(ctx.text, lo, first.span.start)


# A capitalised word right after a name and "and" that no tag covers ("King and Weeks").
UNTAGGED_AFTER_AND = re.compile(r"\s+and\s+([A-Z][a-z][\w'-]*)\b")


def _longer_list(text: str, lo: int, start: int) -> bool:
    """Whether the name at `start` comes after a comma or a conjunction of a list (so a pair
    that begins there is only the end of a longer list)."""
    # Only this sentence counts: "... relief and gratitude. King and Weeks" is no list.
    before = re.split(r"[.!?][\"'”’)]*\s+", text[max(lo, start - 30) : start])[-1]
    return bool(re.search(r"\b(?:and|or|nor|with|between)\s+(?:[\w.-]+\s+)?$", before) or (
        re.search(r",\s*(?:[\w.-]+\s+)?$", before)
        and not re.search(r":\s*(?:[\w.-]+\s+)?$", before)))


# The mention types a relative pronoun can stand for: "who" a person or a body spoken of as
# people ("the Taliban, who ..."), "which" a body. "that" is left alone: after a name it is
# rarely a relative pronoun, and after a common noun ("retailers that said") it names no one.
RELATIVE_PRONOUNS = {"who": ("person", "organization"), "which": ("organization",)}
# What may stand between a name and the relative pronoun that follows it.
RELATIVE_GAP = re.compile(r"\s*(?:,|\s[–—-])?\s*")


# "Pepsi, Costco and Winnebago are among the retailers that said ...": the group the relative
# clause hangs on is said to hold the names before "are among".
AMONG = re.compile(r"\s(?:are|were)\s+(?:also\s+)?among\s+(?:the\s+)?(?:[\w-]+\s+){1,3}$")
# Between two names of a list: a comma or "and", and a few words of description ("the
# recreational vehicle-maker Winnebago").
LIST_GAP = re.compile(r"\s*(?:,\s*(?:and\s+)?|\s+and\s+)(?:the\s+)?(?:[\w-]+\s+){0,3}")


def _among_list(a: Attribution, ctx: _Context) -> list[Attribution]:
    """The among-list rule: "X, Y and Z are among the companies that said ...": one
    attribution for each name of the list (two or more, joined by "and", opening the clause),
    not for the group the relative pronoun stands for."""
    start = a.source.start
    floor = max(ctx.text.rfind("\n", 0, start) + 1, start - 300)
    m = AMONG.search(ctx.text, floor, start)
    if m is None or m.end() != start:
        return []
    names = [x for x in ctx.mentions_in(floor, m.start())
             if x.type in ("person", "organization", "other", "place")]
    # the list ends right before "are" and runs back over the names it joins
    if not names or names[-1].span.end != _trim_end(ctx.text, floor, m.start() + 1):
        return []
    run = [names[-1]]
    for x in reversed(names[:-1]):
        if not LIST_GAP.fullmatch(ctx.text[x.span.end : run[0].span.start]):
            break
        run.insert(0, x)
    opening = ctx.text[floor : run[0].span.start].rstrip()
    if len(run) < 2 or " and " not in ctx.text[run[-2].span.end : run[-1].span.start] or (
        opening and not opening.endswith((",", ":", ";"))
    ):
        return []
    return [
        dataclasses.replace(_with(a, x.span, x.type, "relative.among-list"), source=x.span)
        for x in run
    ]


def _relative(a: Attribution, pronoun: str, ctx: _Context) -> Attribution:
    """"The Acme Workers Union, which has rejected the offer": the name the relative clause
    hangs on, when it ends right before the pronoun and is no preposition's object ("the
    daughter of John Smith, who ..." is left unnamed: which of the two is meant?)."""
    before = [m for m in ctx.mentions_in(max(0, a.source.start - 300), a.source.start)]
    if before:
        m = max(before, key=lambda x: x.span.end)
        if (
            m.type in RELATIVE_PRONOUNS[pronoun]
            and RELATIVE_GAP.fullmatch(ctx.text[m.span.end : a.source.start])
            and not set(_words_before(ctx.text, m.span.start, 1)) & PREPOSITIONS
            and not POSSESSIVE_AFTER.match(ctx.text[m.span.end : m.span.end + 3])
        ):
            return _with(a, m.span, m.type, "relative.antecedent")
    return _with(a, None, "", "unnamed")


def _first_person(a: Attribution, ctx: _Context, history: list[Attribution]) -> Attribution:
    """"I" inside a quotation is its speaker; outside, the author's own voice."""
    quote = ctx.quotes.containing(a.source.start, a.source.end)
    if quote is not None:
        outer = [h for h in history if h.content is not None
                 and h.content.start <= a.source.start and a.source.end <= h.content.end]
        if outer:
            # the innermost quote's speaker; of one quote, its speaker, not the outlet it came
            # through ("'...,' Lynn said, via the Los Angeles Times")
            h = min(outer, key=lambda h: (
                h.rule == "via", h.content.end - h.content.start if h.content else 0
            ))
            if h.speaker is not None and h.speaker.span is not None:
                return _with(a, h.speaker.span, h.speaker.type, "nested.quote-speaker")
        return _with(a, None, "", "nested.quote-speaker")
    return _with(a, None, "", "author.first-person")


def _agrees(m: Mention, pronoun: str, ctx: _Context) -> bool:
    kind = ctx.kind(m.span, m.type)
    if pronoun in MALE_PRONOUNS or pronoun in FEMALE_PRONOUNS:
        if kind != "person":
            return False
        want = "male" if pronoun in MALE_PRONOUNS else "female"
        got = ctx.people.gender_of(m)
        if got is None:
            # the heard-gender rule: a person of no known gender whom an earlier "she" was
            # resolved to is no "he" (and the other way round)
            heard = ctx.people.heard.get(ctx.people.identity(m), set())
            return not heard or want in heard
        return got == want
    if pronoun in NEUTER_PRONOUNS:
        return kind == "organization"
    # "they": an organisation or a group speaks as they
    return kind == "organization"


ADDRESSEE_BEFORE = re.compile(r"\b(?:told|tells|tell|telling|to|with|by)\s+(?:the\s+)?$",
                              re.IGNORECASE)


def _eligible(m: Mention, a: Attribution, ctx: _Context, window: int = WINDOW) -> bool:
    """A candidate referent: before the source (within `window` characters), not quoted, not in
    what someone said, not whom something was said to ("told Reuters")."""
    if m.span.end > a.source.start or a.source.start - m.span.end > window:
        return False
    if ADDRESSEE_BEFORE.search(ctx.text, max(0, m.span.start - 12), m.span.start):
        return False
    if ctx.quotes.containing(m.span.start, m.span.end) and not ctx.quotes.containing(
        a.source.start, a.source.end
    ):
        return False
    if a.content is not None and a.content.start <= m.span.start < a.content.end:
        return False
    return not ctx.contents.containing(m.span.start, m.span.end)


def _paragraph_subject(a: Attribution, pronoun: str, ctx: _Context) -> Mention | None:
    """The paragraph-subject rule: "Carlineo was arrested for a call in which he said ...",
    "Buckley, who had not sung in years, worried ... 'It moved me,' she said": the pronoun's
    paragraph names, before it, one person who agrees with "he" or "she": that person, before
    any speaker of earlier paragraphs (a paragraph that names a new person of that gender has
    moved on to them). A possessor ("Simmons teed up McDonald's cameo") or a preposition's
    object ("asked about Jones") is not counted; two others ("he emailed Gaiman" after "Ford",
    "said whether Trump ..." after "Scissors") leave the choice to the later steps."""
    if pronoun not in MALE_PRONOUNS | FEMALE_PRONOUNS:
        return None
    start = ctx.paragraph_starts[max(0, ctx.paragraph_of(a.source.start))]
    quote = ctx.quotes.containing(a.source.start, a.source.end)
    found = [
        m for m in ctx.mentions_in(start, a.source.start)
        if _agrees(m, pronoun, ctx)
        and ctx.quotes.containing(m.span.start, m.span.end) in (None, quote)
        and not (a.content is not None and a.content.start <= m.span.start < a.content.end)
        and not set(_words_before(ctx.text, m.span.start, 1)) & PREPOSITIONS
        and not POSSESSIVE_AFTER.match(ctx.text[m.span.end : m.span.end + 3])
    ]
    if len({_identity(m.span, m.type, ctx) for m in found}) != 1:
        return None
    m = found[-1]
    return m if _eligible(m, a, ctx) and _opens_clause(m, ctx) else None


# Words that may open a clause before its subject ("When Carlineo was approached, he ...",
# "..., says Buser").
CLAUSE_OPENERS = frozenset(
    """
    and but although though when while as once until unless because since if whereas so then
    yet meanwhile however also says said the a an his her their its
    """.split()
)
CLAUSE_BOUNDARY = re.compile(r"[.!?;:,(\n“”\"—–]")
# A role noun before a name ("filmmaker Charlie McDowell", "economist Ann Lee"), by its ending;
# words of other kinds end so too.
ROLE_ENDING = re.compile(r"[a-z-]+(?:er|or|ist|ian|ant|ent|ee)$")
NOT_ROLES = frozenset(
    "after over under whether either neither other another ever never rather later together "
    "per".split()
)


def _opens_clause(m: Mention, ctx: _Context) -> bool:
    """Whether a name stands where a clause's subject stands, as far as the words before it
    tell: at the start of its paragraph, sentence or clause, with nothing but openers ("when",
    "but"), titles, role nouns and capitalised words between ("Although Ford had ...", ",
    filmmaker Charlie McDowell, also ..."); not a verb's object ("he emailed Gaiman")."""
    from kg.identity import titles  # (kg.identity reads first-name genders from here)

    lo = max(0, m.span.start - 80)
    before = ctx.text[lo : m.span.start]
    cuts = [x.end() for x in CLAUSE_BOUNDARY.finditer(before)]
    if not cuts and lo > 0:
        return False
    words = re.findall(r"[\w.'’-]+", before[cuts[-1] if cuts else 0 :])
    return all(
        w[:1].isupper() or w.casefold().rstrip(".") in CLAUSE_OPENERS | titles()
        or (ROLE_ENDING.fullmatch(w) is not None and w not in NOT_ROLES)
        for w in words
    )


def _other_gender(source: str, pronoun: str) -> bool:
    """Whether an attribution's source is a pronoun of the other gender than `pronoun`: its
    speaker, whoever the sieve made it, is not who "he" (or "she") is."""
    word = source.strip().casefold()
    return (word in MALE_PRONOUNS and pronoun in FEMALE_PRONOUNS) or (
        word in FEMALE_PRONOUNS and pronoun in MALE_PRONOUNS
    )


def _maybe_person(m: Mention, ctx: _Context) -> bool:
    """A name tagged as no person that reads like one: two to four capitalised words, none in
    capitals only or an organisation's word ("Eswar Prasad", not "Acme Corp" or "NASA")."""
    from kg.identity import ORGANIZATION_WORDS  # (kg.identity reads first-name genders here)

    if ctx.kind(m.span, m.type) not in ("organization", "other"):
        return False
    words = m.span.text.split()
    return 2 <= len(words) <= 4 and all(
        w[:1].isupper() and not w.isupper() and w.casefold().strip(".,") not in ORGANIZATION_WORDS
        for w in words
    )


def _nested(h: Attribution, a: Attribution, ctx: _Context) -> bool:
    """The nested-speaker rule: an attribution inside someone's quotation ("'Pat is sorry,'
    she said", "Pat is sorry" being one) is the quoted speaker's account, not a speaker of the
    article's: it is no antecedent for a pronoun or a description outside that quotation (or
    inside the content `a` itself reports)."""
    if a.content is not None and a.content.start <= h.cue.start < a.content.end:
        return True
    quote = ctx.quotes.containing(h.cue.start, h.cue.end)
    return quote is not None and quote != ctx.quotes.containing(a.source.start, a.source.end)


def _reported(h: Attribution, a: Attribution, ctx: _Context) -> bool:
    """The reported-claim rule: an attribution inside what someone else is reported as saying
    ("a refugee said that the ministries' claim is false") is no group speaking in the run of
    quotes that follows: "they" after it is not the ministries (for a pronoun outside that
    content; "they" only: "he" and "she" keep the previous-speaker step as it was)."""
    inside = ctx.contents.containing(h.cue.start, h.cue.end)
    return inside is not None and ctx.contents.containing(a.source.start, a.source.end) != inside


def _pronoun(a: Attribution, pronoun: str, ctx: _Context,
             history: list[Attribution]) -> Attribution:
    here = ctx.paragraph_of(a.source.start)

    # 0. The one person of the pronoun's gender its paragraph names before it as a subject.
    subject = _paragraph_subject(a, pronoun, ctx)
    if subject is not None:
        return _with(a, subject.span, subject.type, "pronoun.paragraph-subject")

    # 1. The speaker just before, in the same run of quote paragraphs.
    for h in reversed(history):
        sp = h.speaker
        if h.cue.start >= a.cue.start or _nested(h, a, ctx) or (
            pronoun in PLURAL_PRONOUNS and _reported(h, a, ctx)
        ):
            continue
        if a.source.start - h.cue.end > RUN_GAP or here - ctx.paragraph_of(h.cue.start) > 1:
            break
        if sp is None or sp.span is None:
            continue
        m = Mention(sp.span, sp.type)
        if _other_gender(h.source.text, pronoun):
            break  # "she described him ... ¶ '...,' he assures himself": not the same person
        if _agrees(m, pronoun, ctx):
            return _with(a, sp.span, sp.type, "pronoun.previous-speaker")
        if pronoun in MALE_PRONOUNS | FEMALE_PRONOUNS and _maybe_person(m, ctx):
            # The untyped-speaker guard: "Eswar Prasad, a trade professor, said ... '...,' he
            # said", the name tagged as an organisation: the speaker just before may well be
            # "he"; no one further back is taken over them.
            return _with(a, None, "", "pronoun.ambiguous")
        break

    candidates = [
        m for m in ctx.mentions_in(max(0, a.source.start - WINDOW), a.source.start)
        if _agrees(m, pronoun, ctx) and _eligible(m, a, ctx)
    ]
    if not candidates:
        return _with(a, None, "", "pronoun.no-candidate")

    # 2. The most recent agreeing speaker of an earlier attribution (not for "they": a group
    # mentioned before is too often not the one that speaks).
    spoken = {
        _identity(h.speaker.span, h.speaker.type, ctx)
        for h in history
        if h.speaker is not None and h.speaker.span is not None
        and a.source.start - h.cue.end <= WINDOW and not _nested(h, a, ctx)
    }
    for m in reversed(candidates):
        if _identity(m.span, m.type, ctx) in spoken and pronoun not in PLURAL_PRONOUNS:
            return _with(a, m.span, m.type, "pronoun.earlier-speaker")

    # 3. One agreeing referent, or the nearest when the others are far.
    # 3. The only agreeing referent; "they" and "it" go no further than a speaker. When the
    # others were told apart by gender ("Anna Berg met Tom Hale. She said ..."), that is
    # evidence, not just the absence of a rival.
    ids = {_identity(m.span, m.type, ctx) for m in candidates}
    if len(ids) == 1 and pronoun not in PLURAL_PRONOUNS | NEUTER_PRONOUNS:
        m = candidates[-1]
        rivals = {
            _identity(x.span, x.type, ctx)
            for x in ctx.mentions_in(max(0, a.source.start - WINDOW), a.source.start)
            if ctx.kind(x.span, x.type) == "person" and _eligible(x, a, ctx)
        } - ids
        known = ctx.people.gender_of(m) is not None
        rule = "pronoun.gender" if rivals and known else "pronoun.only-candidate"
        return _with(a, m.span, m.type, rule)
    if pronoun in MALE_PRONOUNS | FEMALE_PRONOUNS:
        subject = _only_subject(candidates, ctx)
        if subject is not None:
            return _with(a, subject.span, subject.type, "pronoun.only-subject")
    return _with(a, None, "", "pronoun.ambiguous")


def _only_subject(candidates: list[Mention], ctx: _Context) -> Mention | None:
    """The only-subject rule: of the agreeing persons, the one named as a clause's subject
    ("Carlineo faces ten years. He was arrested for a call to the offices of Omar. During the
    call, he asked ..."): the others were named as objects. Not when its own sentence names
    another as a verb's object ("John Kerr met Paul Dunn. He said ...": which of the two?)."""
    subjects = [m for m in candidates if _opens_clause(m, ctx)
                and not POSSESSIVE_AFTER.match(ctx.text[m.span.end : m.span.end + 3])]
    if len({_identity(m.span, m.type, ctx) for m in subjects}) != 1:
        return None
    m = subjects[-1]
    lo = max(ctx.text.rfind(". ", 0, m.span.start), ctx.text.rfind("\n", 0, m.span.start))
    ends = [i for i in (ctx.text.find(". ", m.span.end), ctx.text.find("\n", m.span.end))
            if i != -1]
    hi = min(ends) if ends else len(ctx.text)
    me = _identity(m.span, m.type, ctx)
    if any(
        lo < x.span.start < hi and _identity(x.span, x.type, ctx) != me
        and not set(_words_before(ctx.text, x.span.start, 1)) & PREPOSITIONS
        and not POSSESSIVE_AFTER.match(ctx.text[x.span.end : x.span.end + 3])
        for x in candidates
    ):
        return None
    return m


def _identity(span: Span, type_: str, ctx: _Context) -> str:
    type_ = ctx.kind(span, type_)
    if type_ == "person":
        return "person:" + ctx.people.identity(Mention(span, type_))
    # a body's name keeps its owner: "NASA's Goddard Space Flight Center" is a unit of NASA,
    # and as a speaker stands for NASA and that unit, not for "Goddard" elsewhere alone
    return type_ + ":" + " ".join(w.casefold() for w in re.findall(r"[^\W\d_][\w'’.-]*", span.text))


NO_OPINION = "no-opinion"  # the sieve leaves the span to resolve's own reading
VOICE = "voice"  # the label of a mention that speaks through a spokesperson or officials

# Head nouns of documents and data, whose author is named in a prepositional phrase or a
# possessive: "data from MarketAxess", "a new survey from Piper Jaffray", "The Verge's review".
DOCUMENT_NOUNS = frozenset(
    """
    data report reports survey surveys poll polls study studies analysis research tests test
    guidance figures statistics estimate estimates review findings paper papers investigation
    filing filings records document documents release statement statements tally forecast
    manual manuals handbook guidelines
    """.split()
)
# What someone publishes that can say something itself: "a blog post that said ...".
PUBLISHED_NOUNS = DOCUMENT_NOUNS | frozenset(
    "post posts letter memo note tweet message notice email article essay".split()
)
# The document a relative pronoun hangs on, right before it: "a blog post that", "an open
# letter, which".
DOCUMENT_BEFORE = re.compile(
    r"(?:a|an|the|its|his|her|their)\s+(?:[\w-]+\s+){0,2}?(?P<noun>[\w-]+)\s*,?\s*$",
    re.IGNORECASE,
)


def _published_document(a: Attribution, ctx: _Context,
                        history: list[Attribution]) -> Attribution | None:
    """The published-document rule: "The company published a blog post that said ...": a
    relative pronoun on a document that is the object of the attribution just before (its
    cue right before the document: "published", "released", "posted") says what that
    attribution's speaker says; a document no one is said to have published ("a viral post
    that said") is left alone."""
    lo = max(ctx.text.rfind("\n", 0, a.source.start) + 1, a.source.start - 80)
    m = DOCUMENT_BEFORE.search(ctx.text, lo, a.source.start)
    if m is None or m.end() != a.source.start or m.group("noun").casefold() not in (
        PUBLISHED_NOUNS
    ):
        return None
    for h in reversed(history):
        if h.cue.end <= m.start() and not ctx.text[h.cue.end : m.start()].strip():
            sp = h.speaker
            if sp is None or sp.span is None:
                return None
            return _with(a, sp.span, sp.type, "relative.published-document")
        if h.cue.end < m.start():
            break
    return None


# Groups of people who speak for the organisation named with them ("PG&E officials", "Alibaba
# leaders"); of a place they are unnamed ("US officials"), as the gold standard reads them.
VOICE_NOUNS = frozenset(
    "official officials leader leaders leadership representative representatives management "
    "spokesman spokeswoman spokesperson spokespeople".split()
)
# People who work for the body named with them and, unnamed, report its work or findings: "NASA
# scientists have confirmed ...", "an Associated Press journalist reported ...", "Boeing
# executives announced ...". Users, fans, residents or critics of a body are not it.
STAFF_NOUNS = frozenset(
    "scientist scientists researcher researchers journalist journalists reporter reporters "
    "correspondent correspondents executive executives engineers staff".split()
)
# The one who holds an office of a body, unnamed: "the chairman of the Acme Party", "the head
# of the agency" speak for it, as a spokesperson does (named, they are themselves).
OFFICE_NOUNS = frozenset(
    "chairman chairwoman chairperson chair president director head chief leader".split()
)
VOICE_TYPES = ("organization", "other", "outlet")
# A research group named after its head: "the laboratory of Stephen Liggett".
LED_NOUNS = frozenset("group team laboratory lab".split())
# Nouns of an organisation's part that a possessive keeps as its own name ("China's commerce
# ministry", "the U.S. attorney's office"): resolve reads the whole phrase.
ORG_PART_NOUNS = frozenset(
    "ministry office department agency administration government commission bureau "
    "service council committee court police army military".split()
)
CLOSING_QUOTES = ("”", '"', "»")


# A dateline that opens a story ("BUFFALO, N.Y. —", "HONOLULU, Hawaii (HawaiiNewsNow) -",
# "New York, NY –", "BAAR, SWITZERLAND" on a line of its own): a place, in capitals or followed
# by its state or country, an optional credit in parentheses, then a dash, colon or line break.
DATELINE = re.compile(
    r"^(?P<place>[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3})"
    r"(?P<region>,\s*[A-Z][\w.]*(?:\s+[A-Z][\w.]*){0,2})?"
    r"[ \t\xa0]*(?:\([^)\n]*\))?[ \t\xa0]*(?P<end>[-–—:]|\n|$)\s*"
)


# A comparison that opens a source span ("Like X, Y said ...", "Unlike X, Y ..."): up to its
# comma, a phrase of the sentence, not its subject.
COMPARISON_OPENER = re.compile(r"(?:Just\s+like|Like|Unlike|As\s+with)\s+[^,]{1,80},\s*")


def _narrow(span: Span, text: str) -> Span | None:
    """The part of a source span that can name a speaker: a span that runs over a quotation
    ("...water in vapor form," lead researcher Lucas Paganini) is cut after the quotation's
    last mark, a comparison that opens it ("Like X, Y") and a dateline are cut off the front;
    None when nothing is left (the source was a dateline)."""
    cut = max(span.text.rfind(q) for q in CLOSING_QUOTES)
    if cut != -1:
        rest = span.text[cut + 1 :]
        lead = len(rest) - len(rest.lstrip(" ,;:"))
        start = span.start + cut + 1 + lead
        if start < span.end:
            span = Span(text[start : span.end], start, span.end)
    opener = COMPARISON_OPENER.match(span.text)
    if opener is not None and opener.end() < len(span.text):
        # "Like Instagram head Adam Mosseri, Twitter CEO Jack Dorsey has spoken out": the one
        # compared with is not the speaker
        start = span.start + opener.end()
        span = Span(text[start : span.end], start, span.end)
    line_start = text.rfind("\n", 0, span.start) + 1
    if not text[line_start : span.start].strip():
        m = DATELINE.match(span.text)
        place = m.group("place") if m else ""
        end = m.group("end") if m else ""
        if not end:  # the span ends there: the separator must follow it in the text
            end = text[span.end : span.end + 3].strip()[:1]
        if m and end in ("-", "–", "—", ":", "\n") and (
            (place.isupper() and len(place) > 2)
            or (m.group("region") and end in ("-", "–", "—"))
        ):
            start = span.start + m.end()
            if start >= span.end:
                return None
            span = Span(text[start : span.end], start, span.end)
    return span


def _head_end(span: Span, ctx: _Context) -> re.Match[str] | None:
    """Where the head of a source span ends (`HEAD_END`), not at the commas of a place's state
    ("the Orange County, Calif., sheriff's office")."""
    m = HEAD_END.search(span.text)
    while m is not None and (state := STATE_AFTER_PLACE.match(span.text, m.start())) and any(
        x.span.end == span.start + m.start() and ctx.kind(x.span, x.type) == "place"
        for x in ctx.mentions_in(span.start, span.start + m.start())
    ):
        m = HEAD_END.search(span.text, state.end())
    return m


def _named_or_description(a: Attribution, ctx: _Context,
                          history: list[Attribution]) -> list[Attribution]:
    narrowed = _narrow(a.source, ctx.text)
    if narrowed is None:
        return [_with(a, None, "", "head.dateline")]
    span = narrowed
    pronoun_and = PRONOUN_AND.match(span.text)
    if pronoun_and is not None and any(
        x.type == "person" for x in ctx.mentions_in(span.start + pronoun_and.end(), span.end)
    ):
        return _pronoun_and_name(a, span, pronoun_and, ctx, history)
    m = _head_end(span, ctx)
    inside = ctx.mentions_in(span.start, span.end)
    if not inside:
        untagged = _untagged_name(span, a, ctx)
        if untagged is not None:
            return [_with(a, untagged.span, ctx.kind(untagged.span, untagged.type),
                          untagged.label or "head.untagged-name")]
    # "chairman, CEO and president Craig Menear": titles before a name, commas and all.
    titled = _titled_name(span, inside, ctx)
    if titled is not None:
        return [_with(a, titled.span, titled.type, "head.title-name")]
    head_end = span.start + (m.start() if m else len(span.text))
    head_end = _list_end(span, head_end, ctx)
    head = Span(ctx.text[span.start:head_end], span.start, head_end)
    found: list[Mention] = []
    opinions = []
    parts = _conjuncts(head, ctx)
    for part in parts:
        got = _head_of(part, ctx)
        if not isinstance(got, Mention) and len(parts) > 2:
            # a name the model left untagged among coordinated people
            got = _untagged_item(part.start, part.end, ctx) or got
        opinions.append(got)
        if isinstance(got, Mention):
            found.append(got)
    if len(found) > 1:
        return [
            dataclasses.replace(_with(a, x.span, x.type, "head.coordination"), source=x.span)
            for x in found
        ]
    if len(found) == 1:
        rule = "head.spokesperson" if found[0].label == VOICE else "head.name"
        return [_with(a, found[0].span, found[0].type, rule)]
    # No name at the head: an apposition may name the speaker ("the then Home Secretary,
    # Sajid Javid"; "The company that runs the AMAs, Dick Clark Productions"), a description
    # may point back ("the company").
    # A person named in apposition speaks even when the head names someone else: "Carlineo's
    # attorney, Sonya Zoghlin", "the company's chief executive, Tim Cook".
    # So does a body named in apposition to a description of a body: "WeWork's parent company,
    # The We Company".
    appositive = _apposition(span, head_end, inside, ctx)
    head_noun = (_words(head.text) or [""])[-1]
    if appositive is not None and (
        appositive.type == "person" or not any(x.span.end <= head_end for x in inside)
        or (appositive.type == "organization" and head_noun in ORGANIZATION_NOUNS)
    ):
        return [_with(a, appositive.span, appositive.type, "head.apposition")]
    journal = _published_in(span, head, inside, ctx)
    if journal is not None:
        return [_with(a, journal.span, journal.type, "head.published-in")]
    if NO_OPINION in opinions:
        return [a]
    if any(o is None for o in opinions) and any(
        x.span.end <= head_end for x in inside
    ):
        return [_with(a, None, "", "head.unnamed")]
    head_words = _words(head.text)
    return [_description(a, head_words, ctx, history)]


# "the study, published in the journal Acme Medicine": a document and where it appeared.
PUBLISHED_IN = re.compile(
    r",\s*(?:which\s+was\s+|that\s+was\s+)?published\s+(?:\w+\s+)?in\s+"
    r"(?:the\s+)?(?:(?:scientific|medical|peer-reviewed)\s+)?(?:journal\s+)?"
)
# The same without a comma ("an article published Monday in the journal Acme Medicine", a
# reduced relative clause), a date or "online" between the verb and "in" (up to four words,
# "online today (Nov. 18)"): "journal" must then name what follows, as a bare "published ...
# in" also reads "published last year in London".
PUBLISHED_IN_JOURNAL = re.compile(
    r"\s*,?\s*(?:which\s+was\s+|that\s+was\s+)?published\s+(?:[\w.()]+\s+){0,4}?in\s+"
    r"the\s+(?:(?:scientific|medical|peer-reviewed)\s+)?journal\s+"
)
# Document nouns of a study or an article that appeared in a journal: "published in" after any
# other document noun ("data published in ...") is read only with its comma.
JOURNAL_PIECE_NOUNS = frozenset("article paper study report letter commentary analysis".split())


JOURNAL_NAME = re.compile(r"[A-Z][\w.&'’-]*(?:\s+(?:(?:of|and|&|the|for)\s+)*[A-Z][\w.&'’-]*)*")


# A quotation that a speaker's name follows: '"... the right call," Hale said', '"... fixed?"
# Hale asked' (a full stop before the closing mark ends a sentence: what follows may open the
# next one).
QUOTE_BEFORE_SPEAKER = re.compile(r"[,?!…]\s*[”\"]\s*$")
LONE_NAME = re.compile(r"[A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)?")


def _untagged_name(span: Span, a: Attribution, ctx: _Context) -> Mention | None:
    """The untagged-name rules: a source that is one capitalised word the model tagged as no
    name, and no word for people ("Officials", "Analysts": `UNNAMED_HEADS`), is a name. Its
    speaker is the one full name of the article it is the last word of, whatever the model
    tagged that as ("Figgins said" after "Montell Figgins, who represents Thomas, said",
    `head.untagged-surname`); with none, and right after a quotation it closes as its speaker
    ('"... fixed the problem?" Schiff asked', `head.untagged-name`), a person of its own
    (resolve keeps the lone surname to its article); otherwise the old reading stands (a
    plural, "Prosecutors alleged ...", names no one)."""

    word = span.text
    key = word.casefold()
    if not LONE_NAME.fullmatch(word) or key in UNNAMED_HEADS or key.rstrip("s") in (
        UNNAMED_HEADS
    ) or key in (
        FIRST_PERSON | MALE_PRONOUNS | FEMALE_PRONOUNS | PLURAL_PRONOUNS | NEUTER_PRONOUNS
        | RELATIVE_PRONOUNS.keys() | {"that", "this", "these", "those"}
    ):
        return None
    fulls = _full_names_ending(key, ctx)
    full = _one_full_name(fulls)
    if full is not None:
        return Mention(full.span, full.type, "head.untagged-surname")
    if fulls or a.cue.start < span.end or ctx.text[span.end : a.cue.start].strip():
        return None  # two full names share it; or the cue is not right after the name
    if QUOTE_BEFORE_SPEAKER.search(ctx.text, max(0, span.start - 4), span.start):
        return Mention(span, "person", "head.untagged-name")
    return None


def _published_in(span: Span, head: Span, inside: list[Mention],
                  ctx: _Context) -> Mention | None:
    """A document at the head with the journal it was published in after a comma ("the study,
    published in X"), or an article or a study "published [when] in the journal X": the study
    is recorded under the journal's name, the capitalised words that end the span (the model
    often leaves a journal's name untagged); a place ("published in London") is no journal,
    and a name tagged as a person is left alone."""
    words = _words(head.text)
    m = None
    if words and words[-1] in DOCUMENT_NOUNS and not any(x.span.end <= head.end for x in inside):
        m = PUBLISHED_IN.match(ctx.text, head.end, span.end)
    if m is None:
        # "an article published Monday in the journal X": the head runs on past the noun
        noun = re.match(r"\s*(?:(?:a|an|the|this|that|new|recent|latest)\s+)*([\w-]+)",
                        span.text)
        if noun is None or noun.group(1).casefold() not in JOURNAL_PIECE_NOUNS:
            return None
        m = PUBLISHED_IN_JOURNAL.match(ctx.text, span.start + noun.end(), span.end)
        if m is None:
            return None
    end = _trim_end(ctx.text, m.end(), span.end)
    name = ctx.text[m.end() : end]
    if not JOURNAL_NAME.fullmatch(name) or any(
        x.type in ("place", "person") and x.span.end > m.end() and (
            x.span.start == m.end() or x.type == "place"
        ) for x in inside
    ):
        # a place, or a person the name would be read as (a person tag the name runs into,
        # "BMJ| Case Reports", is a tag the model cut short)
        return None
    return _phrase(m.end(), end, ctx)


# A pronoun coordinated with a named person: "he and his wife Kali explained ...".
PRONOUN_AND = re.compile(r"(he|she|they)\s+and\s+", re.IGNORECASE)


def _pronoun_and_name(a: Attribution, span: Span, m: re.Match[str], ctx: _Context,
                      history: list[Attribution]) -> list[Attribution]:
    """The pronoun-and-name rule: "he and his wife Kali explained ..." are two speakers, one
    attribution each (as coordinated names are): the pronoun resolved as a pronoun is, the
    named rest as a head phrase is ("his wife Kali" is Kali; "he and his wife" is no title of
    hers)."""
    pron = Span(m.group(1), span.start, span.start + len(m.group(1)))
    rest = Span(ctx.text[span.start + m.end() : span.end], span.start + m.end(), span.end)
    first = _pronoun(dataclasses.replace(a, source=pron), m.group(1).casefold(), ctx, history)
    out = [first]
    named = set()
    for x in _named_or_description(dataclasses.replace(a, source=rest), ctx, history):
        sp = x.speaker
        if sp is not None and sp.span is not None:
            x = dataclasses.replace(_with(x, sp.span, sp.type, "head.coordination"),
                                    source=sp.span)
            named.add(_identity(sp.span, sp.type, ctx))
        out.append(x)
    sp = first.speaker
    if sp is not None and sp.span is not None and _identity(sp.span, sp.type, ctx) in named:
        # "she and Rose-Lynn": the pronoun is someone else than the one named beside it
        out[0] = _with(dataclasses.replace(first, confidence=a.confidence), None, "",
                       "pronoun.ambiguous")
    return out


def _titled_name(span: Span, inside: list[Mention], ctx: _Context) -> Mention | None:
    persons = [x for x in inside if x.type == "person"]
    if len(inside) != 1 or not persons:
        return None
    x = persons[0]
    if x.span.end < _trim_end(ctx.text, span.start, span.end):
        return None
    before = ctx.text[span.start:x.span.start]
    if not before.strip() or not re.fullmatch(r"[\w\s,.&'’-]*", before):
        return None
    words = re.findall(r"[\w'’.-]+", before)
    if any(w.casefold() in ("who", "which", "whose", "that") for w in words):
        return None
    if words and words[0].casefold() in ("the", "a", "an"):
        return None  # "the then Home Secretary, Sajid Javid": an apposition
    if "," not in before and " and " not in before:
        return None  # a plain title ("CEO Tim Cook") is the ordinary head case
    return x if all(w.casefold() not in PREPOSITIONS for w in words) else None


def _conjuncts(head: Span, ctx: _Context) -> list[Span]:
    """"Holcomb and GOP legislative leaders" → two conjuncts; a name holding "and" ("Procter &
    Gamble", inside one mention) is not cut."""
    mentions = ctx.mentions_in(head.start, head.end)
    cuts = []
    states = [
        (sm.start(), sm.end()) for sm in STATE_AFTER_PLACE.finditer(head.text)
        if any(x.span.end == head.start + sm.start() and ctx.kind(x.span, x.type) == "place"
               for x in mentions)
    ]
    for m in re.finditer(r"\s+(?:and|&)\s+|,\s+(?:and\s+)?", head.text):
        pos = head.start + m.start()
        if any(x.span.start <= pos < x.span.end for x in mentions):
            continue
        if any(s <= m.start() < e for s, e in states):
            continue  # "the Orange County, Calif., sheriff's office": one place, no list
        cuts.append((m.start(), m.end()))
    if not cuts:
        return [head]
    parts = []
    prev = 0
    for s, e in cuts:
        parts.append((prev, s))
        prev = e
    parts.append((prev, len(head.text)))
    out = [
        Span(head.text[s:e], head.start + s, head.start + e) for s, e in parts if head.text[s:e]
    ]
    # A coordination inside a modifier is not one of speakers: "Lawyers for Smith and Jones";
    # after a person named with a modifier it is ("Ann Lee of Acme Hospital and Tom Kuo": the
    # named-modifier rule).
    if len(out) > 1:
        prep = _structural_prep(out[0], ctx)
        if prep is not None and not _named_before(out[0], out[0].start + prep.start(), ctx) and (
            not _coordinated_publishers(out, prep, ctx)
        ):
            return [head]
    named = [bool(ctx.mentions_in(p.start, p.end)) for p in out]
    # Names coordinated ("Tim Sweeney and Lisa Lagos"), or a name first and a group after it
    # ("Paganini and his team"); "chairman and CEO" alone is one title.
    if sum(named) >= 2 or (named and named[0] and not any(named[1:])):
        return out
    return [head]


def _coordinated_publishers(parts: list[Span], prep: re.Match[str], ctx: _Context) -> bool:
    """The coordinated-publishers rule: "reports from The Wrap and Deadline", "a survey by
    Gallup and Ipsos": a document "from" or "by" names that are coordinated has each of them
    as its publisher (the document rule of `_head_of` reads the first part), unlike "Lawyers
    for Smith and Jones", where the coordination is of whom they speak for. Every part after
    the first must be a name and nothing else."""
    before = parts[0].text[: prep.start()].split()
    if prep.group() not in ("from", "by") or not before or (
        before[-1].casefold() not in DOCUMENT_NOUNS
    ):
        return False
    for part in parts[1:]:
        inside = ctx.mentions_in(part.start, part.end)
        name = part.text.removeprefix("the ").removeprefix("The ")
        if len(inside) != 1 or inside[0].span.text not in (part.text, name):
            return False
    return True


# One more person of a list after a comma: ", Sam Wilkie", ", and Owen Day of the City ...".
LIST_ITEM = re.compile(r",\s+(?:and\s+)?")


def _list_end(span: Span, head_end: int, ctx: _Context) -> int:
    """The comma list rule: a head phrase that ends at a comma runs on over a list of people
    ("Ann Lee of Acme Hospital and Tom Kuo, Sam Wilkie, and Owen Day of the City Clinic
    said"): each item after a comma opens with a person's name, and the last is joined by
    "and". Anything else after the comma (an apposition, "Tom's lawyer") ends the head."""
    end = head_end
    while (m := LIST_ITEM.match(ctx.text, end, span.end)) is not None:
        name = next((x for x in ctx.mentions_in(m.end(), span.end)
                     if x.span.start == m.end() and x.type == "person"), None)
        if name is None:
            name = _untagged_item(m.end(), span.end, ctx)
        if name is None:
            break
        nxt = ctx.text.find(",", name.span.end, span.end)
        end = span.end if nxt == -1 else nxt
    if end == head_end or " and " not in ctx.text[span.start:end]:
        return head_end
    return _trim_end(ctx.text, span.start, end)


# A person's name the model left untagged in a list of people: two to four capitalised words
# (initials too: "Struan WA Wilkie"), ending the list item.
UNTAGGED_PERSON = re.compile(
    r"[A-Z][a-z]+(?:[ \t]+(?:[A-Z][a-z]+(?:-[A-Z][a-z]+)?|[A-Z]{1,3}\.?(?![\w-]))){1,3}"
)


def _full_names_ending(key: str, ctx: _Context) -> list[Mention]:
    """The article's full names (two or three capitalised words, no body's word) whose last
    word is `key` (casefolded), whatever the model tagged them as."""
    from kg.identity import ORGANIZATION_WORDS  # (kg.identity reads first-name genders here)

    return [
        m for m in ctx.mentions
        if m.type in ("person", "organization", "other") and 2 <= len(m.span.text.split()) <= 3
        and _person_key(m.span.text)[-1:] == (key,) and not any(
            w.casefold().strip(".,") in ORGANIZATION_WORDS or not w[:1].isupper()
            for w in m.span.text.split()
        )
    ]


def _one_full_name(fulls: list[Mention]) -> Mention | None:
    """The first of `fulls` when they are all one person's name, else None."""
    return fulls[0] if len({" ".join(_person_key(m.span.text)) for m in fulls}) == 1 else None


def _untagged_item(start: int, end: int, ctx: _Context) -> Mention | None:
    """The untagged-list-item rule: in a list of tagged people ("Chris Kuo, Struan WA Wilkie,
    and Owen Day of the City Clinic"), an item that is a person's name the model left untagged
    (capitalised words and initials, up to the next comma or the end, touching no tag) is one
    more person."""
    from kg.identity import ORGANIZATION_WORDS  # (kg.identity reads first-name genders here)

    m = UNTAGGED_PERSON.match(ctx.text, start, end)
    if m is None or (m.end() < end and ctx.text[m.end()] != ",") or any(
        w.casefold().strip(".") in ORGANIZATION_WORDS for w in m.group().split()
    ):
        return None  # not all of the item, or a body's name ("Acme Hospital")
    if any(x.span.start < m.end() and m.start() < x.span.end
           for x in ctx.mentions_in(max(0, start - 200), end)):
        return None
    return Mention(Span(m.group(), m.start(), m.end()), "person", "untagged-item")


def _named_before(part: Span, end: int, ctx: _Context) -> bool:
    """Whether a person's name is all that stands before `end` in a conjunct ("Ann Lee of Acme
    Hospital"), titles aside."""
    from kg.identity import titles  # (kg.identity reads first-name genders from here)

    pre_end = _trim_end(ctx.text, part.start, end)
    persons = [m for m in ctx.mentions_in(part.start, pre_end) if m.type == "person"]
    return bool(persons) and persons[-1].span.end == pre_end and all(
        w.rstrip(".") in titles()
        for w in _words(ctx.text[part.start : persons[-1].span.start])
    )


def _structural_prep(part: Span, ctx: _Context) -> re.Match[str] | None:
    """The first preposition that starts a modifier of the head ("Robin Biesbroek of the CDF"),
    not one inside a name or title ("Secretary of State Mike Pompeo")."""
    mentions = ctx.mentions_in(part.start, part.end)
    # (not inside a hyphenated word: "editor-in-chief")
    for m in re.finditer(r"(?<![\w-])(?:for|out of|of|at|on|in|from|with|by|to|about|against|"
                         r"via|led by|released by|published in|cited by)(?![\w-])", part.text):
        pos = part.start + m.start()
        if any(x.span.start <= pos < x.span.end for x in mentions):
            continue
        before = part.text[: m.start()].split()
        after = part.text[m.end() :].split()
        if before and after and before[-1][:1].isupper() and after[0][:1].isupper() and (
            m.group() in ("of", "for")
        ) and not any(x.span.end == part.start + len(part.text[: m.start()].rstrip())
                      for x in mentions) and not _people_for(before[-1]):
            continue  # "Secretary of State", "Alliance for American Manufacturing"
        return m
    return None


def _people_for(word: str) -> bool:
    """A plural of people who act for someone ("Lawyers for Tom Smith", "Aides of the
    senator"), capitalised only as a sentence's first word: no name of a body or a title."""
    w = word.casefold()
    return len(w) > 3 and w.endswith("s") and (w in UNNAMED_HEADS or w[:-1] in UNNAMED_HEADS)


# Complexity over the limit, kept: the head-phrase cases of the speaker sieve, in their order.
def _head_of(part: Span, ctx: _Context) -> Mention | str | None:  # noqa: C901
    """What one conjunct of a head phrase names: a mention, None (no one named), or NO_OPINION."""
    prep = _structural_prep(part, ctx)
    pre_end = part.start + (prep.start() if prep else len(part.text))
    pre_end = _trim_end(ctx.text, part.start, pre_end)
    pre = ctx.mentions_in(part.start, pre_end)
    obj = ctx.mentions_in(pre_end, part.end) if prep else []
    pre_text = ctx.text[part.start:pre_end]
    words = _words(pre_text)
    last = pre[-1] if pre else None
    if last is not None:
        last = _whole_word(last, ctx.text)
        after = ctx.text[last.span.end:pre_end]
        state = STATE_AFTER_PLACE.match(after)
        if state is not None:
            after = " " + after[state.end() :]  # the place's state in commas is the place's
        if not after.strip(" .") or re.fullmatch(r",?\s*(?:Jr|Sr|II|III|IV)\.?", after.strip()):
            # the name ends the head: "US Trade Representative Robert Lighthizer"
            return _after_possessive(last)
        aw = _words(POSSESSIVE_AFTER.sub(" ", after, count=1))
        if CAPITALISED_REST.fullmatch(after):
            # capitalised words the model left out of the name: "The United Nations High
            # Commissioner" is one body
            return _phrase(last.span.start, pre_end, ctx)
        if POSSESSIVE_AFTER.match(after) and not aw and not ctx.text[
            part.start : last.span.start
        ].strip() and len(last.span.text.split()) > 1:
            # "Bernie Sanders's declaring ...": a full name alone in the possessive, the subject
            # of a gerund (one word may be a shop's name: "Lowe's reports earnings")
            return last
        if aw and aw[-1] in DOCUMENT_NOUNS and _owner(last) is not None:
            return _owner(last)  # "The Verge's Stadia review"
        if POSSESSIVE_AFTER.match(after):
            if aw and aw[-1] in ORG_PART_NOUNS:
                return _phrase(last.span.start, pre_end, ctx)  # "China's commerce ministry"
            if aw and aw[-1] in DOCUMENT_NOUNS:
                return last  # "The Verge's review", "Cohen's studies"
            if aw and len(aw) <= 2 and aw[-1] in VOICE_NOUNS | STAFF_NOUNS and (
                last.type in VOICE_TYPES
            ):
                return Mention(last.span, last.type, VOICE)  # "NASA's scientists"
            if ctx.kind(last.span, last.type) == "place" and _public_office(aw):
                # "New York's chief medical examiner": the office of the place
                return _office_holder(aw, part.start, ctx) or _phrase(
                    last.span.start, pre_end, ctx)
            return None  # "Trump's defenders", "Weeks' family"
        if aw and aw[-1] in VOICE_NOUNS | STAFF_NOUNS:
            # "An Alibaba spokesperson", "PG&E officials", "NASA scientists"; of a place they
            # are unnamed
            if set(aw[:-1]) & OTHER_HOUSES:
                # the other-house rule: "GOP legislative leaders" lead in the legislature, and
                # do not speak for the party named before them
                return None
            if last.type in VOICE_TYPES:
                return Mention(last.span, last.type, VOICE)
            return None
        if aw and aw[-1] in DOCUMENT_NOUNS:
            if prep is not None and prep.group() in ("from", "by") and obj:
                return obj[0]  # "the TexAuto Facts report from InfoNation": its publisher
            return last  # "A new ABC News poll"
        if aw and aw[-1] in OUTLET_NOUNS:
            return last  # "the Independent newspaper"
        if aw and aw[-1] in ORG_PART_NOUNS | ORGANIZATION_NOUNS:
            # "the Trump administration", "Inner Mongolia health authority": the body the
            # phrase names, not the person or place it is named after ("the Orange County,
            # Calif., sheriff's office" from the county on)
            return _phrase(_place_with_state(last, ctx), pre_end, ctx)
        return None  # "Twitter users", "Beijing residents", "Rukban camp"
    if not words:
        return None
    noun = words[-1]
    if prep is not None and prep.group() == "in" and noun in DOCUMENT_NOUNS:
        paper = _untagged_paper(part, prep, ctx)
        if paper is not None:
            return paper
    if prep is not None and obj:
        target = obj[0]
        if noun in VOICE_NOUNS or (
            noun in STAFF_NOUNS | OFFICE_NOUNS and prep.group() in ("at", "for", "of", "out of")
        ):
            # "a spokesman for Acme Corp", "researchers at NASA": the body speaks (resolve
            # checks it is no person)
            if target.type in VOICE_TYPES:
                unit = _unit_of(target, ctx)
                return Mention(unit.span, unit.type, VOICE)
            return None
        if noun in DOCUMENT_NOUNS and (
            prep.group() in ("from", "by", "of", "released by", "published in")
            # "a report in the Argus Leader", not "a study in 50 people with BED"
            or prep.group() == "in" and re.fullmatch(
                r"\s*(?:the\s+)?(?:journal\s+)?",
                ctx.text[part.start + prep.end() : target.span.start],
            ) is not None
        ):
            return _unit_of(target, ctx)
        if noun in LED_NOUNS and prep.group() in ("of", "led by") and target.type == "person":
            return target
        if noun in ("author", "authors") and prep.group() == "of":
            # The authors-of rule: "the authors of the research published in the journal
            # JAMA Psychiatry" speak for the document, recorded under whom it is from.
            start = part.start + prep.end()
            start += len(ctx.text[start : part.end]) - len(ctx.text[start : part.end].lstrip())
            doc = _head_of(Span(ctx.text[start : part.end], start, part.end), ctx)
            if isinstance(doc, Mention) and doc.label != VOICE:
                return doc
        if noun in LED_NOUNS and prep.group() == "led by":
            # The led-by-staff rule: "a team led by researchers out of NASA's Goddard Space
            # Flight Center" is led by the body's staff, and speaks for the body as they would.
            start = part.start + prep.end()
            start += len(ctx.text[start : part.end]) - len(ctx.text[start : part.end].lstrip())
            led = _head_of(Span(ctx.text[start : part.end], start, part.end), ctx)
            if isinstance(led, Mention) and led.label == VOICE:
                return led
        return None  # "a lawyer for Smith", "people on Twitter"
    company = _company_named(pre_text, part.start, ctx)
    if company is not None:
        return company
    if _people_word(pre_text.split()[-1]):
        return None  # "most Americans", "the Chinese", "Democrats": people, not a body
    if noun in ORG_PART_NOUNS | ORGANIZATION_NOUNS | OUTLET_NOUNS or pre_text.split()[-1][
        :1
    ].isupper():
        # "the French foreign ministry", "the Lancet Commission": resolve reads the phrase;
        # "the company" is a description for the sieve's last step
        return NO_OPINION if _capitalised(pre_text) else None
    return None


# Capitalised words that name a time or a language, not a paper ("a report in March").
NOT_PAPERS = frozenset(
    """
    january february march april may june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday english spanish french german
    chinese russian arabic spring summer autumn fall winter
    """.split()
)


def _untagged_paper(part: Span, prep: re.Match[str], ctx: _Context) -> Mention | None:
    """The untagged-paper rule: "a report in the Argus Leader of Sioux Falls" where the model
    tagged no name at "Argus Leader": the capitalised words after "in the" (or "in the
    journal"), up to the first name it did tag, are the paper that published the document
    (resolve looks it up among outlets). One capitalised word needs "the" or "journal" before
    it ("a study in Science" is left alone, "a report in March" too)."""
    start = part.start + prep.end()
    lead = re.match(r"\s*(the\s+)?(journal\s+)?", ctx.text[start : part.end])
    if lead is None:
        return None
    start += lead.end()
    tagged = ctx.mentions_in(start, part.end)
    if tagged and tagged[0].span.start == start:
        return None  # a tagged name: the document-noun rule reads it
    end = tagged[0].span.start if tagged else part.end
    name = JOURNAL_NAME.match(ctx.text, start, end)
    if name is None:
        return None
    words = name.group().split()
    while words and words[-1] in ("of", "and", "&", "the", "for"):
        words.pop()
    if not words or words[0].casefold() in NOT_PAPERS or (
        len(words) == 1 and not (lead.group(1) or lead.group(2))
    ):
        return None
    text = " ".join(words)
    if ctx.text[start : start + len(text)] != text:
        return None
    return _phrase(start, start + len(text), ctx)


# Nouns for a kind of company, put before its name as a title is before a person's
# ("developer Valve", "chipmaker Nvidia", "the rival Samsung").
COMPANY_KINDS = frozenset(
    """
    developer publisher automaker carmaker chipmaker drugmaker retailer airline carrier
    startup studio broadcaster insurer lender manufacturer supplier distributor operator
    """.split()
)


def _company_named(pre_text: str, start: int, ctx: _Context) -> Mention | None:
    """The company-kind rule: "Developer Valve called the game ...", the name untagged: a
    kind of company and one capitalised word after it name the company (a title before a
    person's name is no kind of company: "Senator Smith" is left to resolve)."""
    m = re.fullmatch(r"((?:[Tt]he\s+)?([A-Za-z-]+)\s+)([A-Z][\w&'’.-]*)", pre_text.strip())
    if m is None or m.group(2).casefold() not in COMPANY_KINDS or m.group(3).isupper() and len(
        m.group(3)
    ) < 2:
        return None
    lead = len(pre_text) - len(pre_text.lstrip())
    begin = start + lead + len(m.group(1))
    return _phrase(begin, begin + len(m.group(3)), ctx)


# Public offices of a place, held by one person at a time and speaking as an office: "New York's
# chief medical examiner", "Ohio's attorney general", "the state's inspector general".
PUBLIC_OFFICES = frozenset({
    ("medical", "examiner"), ("coroner",), ("attorney", "general"), ("inspector", "general"),
    ("auditor", "general"), ("auditor",), ("comptroller",), ("ombudsman",),
    ("public", "defender"), ("surgeon", "general"), ("solicitor", "general"),
})
# Words that may stand before an office's title: "chief medical examiner", "deputy coroner".
OFFICE_RANKS = frozenset("chief deputy state county city acting interim".split())


def _public_office(words: list[str]) -> bool:
    """Whether some words are a public office's title, ranks and all ("chief medical examiner")."""
    words = list(words)
    while words and words[0] in OFFICE_RANKS:
        words = words[1:]
    return tuple(words) in PUBLIC_OFFICES


def _office_holder(title: list[str], before: int, ctx: _Context) -> Mention | None:
    """The person the article names with an office's title before it ("Attorney General Ann
    Lee" ... "Ohio's attorney general"), when it names one: a holder named is a person."""
    found = {
        ctx.people.identity(m): m
        for m in ctx.mentions_in(max(0, before - 4 * WINDOW), before)
        if ctx.kind(m.span, m.type) == "person"
        and _words_before(ctx.text, m.span.start, len(title)) == title
    }
    return next(iter(found.values())) if len(found) == 1 else None


# Words for the house someone's office is in ("GOP legislative leaders", "Democratic
# congressional aides"): between a body's name and its people, they say whose people they are.
OTHER_HOUSES = frozenset("legislative congressional parliamentary senate house assembly".split())

# A place's state or province written in commas after it, abbreviated: "Orange County, Calif.,",
# "Albany, N.Y.,".
STATE_AFTER_PLACE = re.compile(
    r",[ \t]*(?!Jr\.|Sr\.|St\.)(?:[A-Z][a-z]{1,4}\.|[A-Z]\.[A-Z]\.),[ \t]*")

def _place_with_state(m: Mention, ctx: _Context) -> int:
    """Where a place begins that is written with its state in commas ("Orange County, Calif.,"
    for the mention "Calif."): the state alone names no body of its own here."""
    for x in reversed(ctx.mentions_in(max(0, m.span.start - 200), m.span.start)):
        state = STATE_AFTER_PLACE.match(ctx.text, x.span.end)
        if state is not None and x.span.end < m.span.start < state.end() and ctx.kind(
            x.span, x.type
        ) == "place":
            return x.span.start
        break
    return m.span.start


UNIT_POSSESSIVE = re.compile(r"['’]s[ \t]+")


def _unit_of(m: Mention, ctx: _Context) -> Mention:
    """The unit-of-a-body rule: "a team led by researchers out of NASA's Goddard Space Flight
    Center", "a report from Acme's research arm Acme Labs": a body in the possessive right
    before a named body of its own (the model tags them apart) owns it, and the unit is the one
    meant: the whole phrase, "NASA's Goddard Space Flight Center" (resolve names it as the body
    writes its name, "NASA Goddard Space Flight Center"), not the owner. Anything but a body's
    name right after the possessive ("NASA's budget", "Acme's CEO Ann Lee") leaves the owner."""
    if ctx.kind(m.span, m.type) != "organization":
        return m
    p = UNIT_POSSESSIVE.match(ctx.text, m.span.end)
    if p is None:
        return m
    unit = next((x for x in ctx.mentions_in(p.end(), p.end() + 200)
                 if x.span.start == p.end()), None)
    if unit is None or ctx.kind(unit.span, unit.type) != "organization":
        return m
    return Mention(Span(ctx.text[m.span.start : unit.span.end], m.span.start, unit.span.end),
                   "organization", m.label)


def _owner_start(m: Mention, ctx: _Context) -> int:
    """Where the name of a unit begins with its owner's ("Acme's Vale Research Center" for
    the mention "Vale Research Center"; see `_unit_of`): a preposition before the owner
    governs the unit."""
    for x in reversed(ctx.mentions_in(max(0, m.span.start - 200), m.span.start)):
        p = UNIT_POSSESSIVE.match(ctx.text, x.span.end)
        if p is not None and p.end() == m.span.start:
            return x.span.start
    return m.span.start


def _phrase(start: int, end: int, ctx: _Context) -> Mention:
    """An organisation named by a whole phrase: its own mention, for resolve to name."""
    return Mention(Span(ctx.text[start:end], start, end), "organization", "phrase")


def _whole_word(m: Mention, text: str) -> Mention:
    """A mention that stops inside a hyphenated word ("Cheuk Hau" of "Cheuk Hau-yip") runs to
    the word's end."""
    end = m.span.end
    while end < len(text) and (text[end].isalnum() or (
        text[end] in "-‐" and end + 1 < len(text) and text[end + 1].isalnum()
    )):
        end += 1
    if end == m.span.end:
        return m
    return Mention(Span(text[m.span.start:end], m.span.start, end), m.type, m.label)


def _after_possessive(m: Mention) -> Mention:
    """"NPR's Feng" → "Feng": the name after the possessive of an organisation's acronym inside
    one mention (not "People's Daily", a name that holds a possessive)."""
    parts = re.split(r"['’]s\s+", m.span.text, maxsplit=1)
    if len(parts) == 2 and parts[0].isupper() and parts[1][:1].isupper():
        start = m.span.end - len(parts[1])
        return Mention(Span(parts[1], start, m.span.end), "person", m.label)
    return m


def _owner(m: Mention) -> Mention | None:
    """"The Verge's Stadia" → "The Verge": the owner before a possessive inside one mention."""
    parts = re.split(r"['’]s\s+", m.span.text, maxsplit=1)
    if len(parts) == 2 and parts[0].strip():
        owner = parts[0].strip()
        start = m.span.start + m.span.text.index(owner)
        return Mention(Span(owner, start, start + len(owner)), "organization", m.label)
    return None


def _capitalised(phrase: str) -> bool:
    """Whether a phrase holds a capitalised word other than a sentence-initial determiner."""
    words = phrase.split()
    if words and words[0].casefold() in ("the", "a", "an", "this", "that"):
        words = words[1:]
    return any(w[:1].isupper() for w in words)


def _people_word(word: str) -> bool:
    """A capitalised word for a group of people: a plural ("Americans", "Democrats") or a
    demonym in -ese ("the Chinese")."""
    w = word.strip(".,;:'’")
    if not w[:1].isupper() or w.isupper():
        return False
    lower = w.casefold()
    return (lower.endswith("s") and not lower.endswith(("ss", "us", "is"))) or lower.endswith(
        "ese"
    )


def _apposition(span: Span, head_end: int, inside: list[Mention],
                ctx: _Context) -> Mention | None:
    comma = ctx.text.find(",", head_end, span.end)
    if comma == -1:
        return None
    for x in inside:
        if x.span.start > comma and x.type in ("person", "organization"):
            if not ctx.text[comma + 1 : x.span.start].strip():
                end = _trim_end(ctx.text, x.span.start, span.end)
                nxt = ctx.text[x.span.end:end]
                if not nxt.strip() or nxt.lstrip().startswith((",", "(")):
                    return x
            return None
    return None


def _trim_end(text: str, start: int, end: int) -> int:
    while end > start and not (text[end - 1].isalnum()):
        end -= 1
    return end


def _words(text: str) -> list[str]:
    return [w.casefold() for w in re.findall(r"[^\W\d_][\w'’.-]*", text)]


# The kinds of organisation a name or a description tells by one of its words: a company, a
# public body of one sort or another, a university, a party, a union. "agency", "regulator",
# "government" and "body" describe a public body of any sort.
BUSINESS_WORDS = frozenset(
    """
    company companies corp corp. corporation inc inc. co co. llc ltd plc holdings firm bank
    airline airlines airways carrier maker manufacturer retailer startup productions records
    studios entertainment
    """.split()
)
PUBLIC_BODY_WORDS = frozenset(
    """
    agency administration bureau service office commission committee council authority
    ministry department government court police regulator body
    """.split()
)
ACADEMIC_WORDS = frozenset("university college institute school".split())
GENERIC_PUBLIC = frozenset("agency regulator government body administration".split())
SAME_PUBLIC = {"ministry": {"ministry", "department"}, "department": {"ministry", "department"}}


def _kind_of_words(words: Iterable[str]) -> tuple[str, set[str]]:
    """The family of organisation some words tell ("", "business", "public", "academic",
    "party", "union") and, for a public body, its sort words."""
    ws = {w.casefold().strip(".,") for w in words}
    if ws & BUSINESS_WORDS:
        return "business", set()
    if ws & PUBLIC_BODY_WORDS:
        return "public", ws & PUBLIC_BODY_WORDS
    if ws & ACADEMIC_WORDS:
        return "academic", set()
    for family in ("party", "union"):
        if family in ws:
            return family, set()
    return "", set()


def _kind_agrees(noun: str, name: str) -> bool:
    """The kind-agreement rule: a description agrees with an organisation unless its name
    tells another kind: "the company" is no "... Commission", "the commission" no "Office of
    Emergency Services" (while "the agency" may be any public body); a name that tells no kind
    ("Acme", "NASA") agrees with any description but a public body of one sort."""
    family, sorts = _kind_of_words(name.split())
    want, want_sorts = _kind_of_words([noun])
    if not family:
        # a name that tells no kind: not for a body of one sort ("the commission" after
        # "PG&E" and "the PUC": which?); for a company, a generic public body or anything else
        return want != "public" or noun in GENERIC_PUBLIC
    if not want or want != family:
        return not want
    if want != "public" or noun in GENERIC_PUBLIC or sorts & GENERIC_PUBLIC:
        return True
    return bool(sorts & SAME_PUBLIC.get(noun, {noun}))


def _body_described(a: Attribution, ctx: _Context, history: list[Attribution],
                    noun: str = "") -> Mention | None:
    """The organisation a description ("the company") points back to: of those whose kind
    agrees with it (`_kind_agrees`), the most recent one that spoke, else the only one
    mentioned in the window."""
    candidates = [
        m for m in ctx.mentions_in(max(0, a.source.start - WINDOW), a.source.start)
        if ctx.kind(m.span, m.type) == "organization" and _eligible(m, a, ctx)
        and _kind_agrees(noun, m.span.text)
    ]
    if not candidates:
        return None
    here = _paragraph_body(a, candidates, ctx)
    if here is not None:
        return here
    spoken: set[str] = set()
    for h in history:
        sp = h.speaker
        if sp is None or sp.span is None or _nested(h, a, ctx):
            continue
        spoken.add(_identity(sp.span, sp.type, ctx))
        owner = _owner(Mention(sp.span, sp.type)) if sp.type == "organization" else None
        if owner is not None:
            # a unit speaks for the body that owns it too ("researchers out of NASA's Goddard
            # Space Flight Center ... according to the agency": NASA, `_unit_of`)
            spoken.add(_identity(owner.span, owner.type, ctx))
    for m in reversed(candidates):
        if _identity(m.span, m.type, ctx) in spoken:
            return m
    ids = {_identity(m.span, m.type, ctx) for m in candidates}
    if len(ids) == 1:
        return candidates[-1]
    return _previous_paragraph_body(a, candidates, ctx)


def _previous_paragraph_body(a: Attribution, candidates: list[Mention],
                             ctx: _Context) -> Mention | None:
    """The previous-paragraph rule: "Here's the data on drug seizures from Customs and Border
    Protection. ¶ The way the agency measures seizures is by pounds, an agency spokesman told
    us.": when no body spoke and several are named further back, a description whose own
    paragraph names none (outside what is said) stands for the one body of its kind the
    paragraph right before names."""
    here = ctx.paragraph_of(a.source.start)
    if here < 1:
        return None
    start, prev = ctx.paragraph_starts[here], ctx.paragraph_starts[here - 1]
    if any(m.span.start >= start for m in candidates):
        return None
    before = [m for m in candidates if prev <= m.span.start < start]
    if len({_identity(m.span, m.type, ctx) for m in before}) != 1:
        return None
    return before[-1]


def _paragraph_body(a: Attribution, candidates: list[Mention], ctx: _Context) -> Mention | None:
    """The paragraph-body rule: "- Amazon is now letting you listen to music free ... The
    company published a blog post": the description's paragraph names, before it, one body of
    its kind as a subject (no possessor, no preposition's object, no "Spotify investors"): that
    body, before a speaker of earlier paragraphs (a paragraph that names a new company has moved
    on to it)."""
    start = ctx.paragraph_starts[max(0, ctx.paragraph_of(a.source.start))]
    here = [
        m for m in candidates if m.span.start >= start
        and not set(_words_before(ctx.text, _owner_start(m, ctx), 1)) & PREPOSITIONS
        and not POSSESSIVE_AFTER.match(ctx.text[m.span.end : m.span.end + 3])
        and not set(_words(ctx.text[m.span.end : m.span.end + 20])[:1]) & NOT_THEIR_PRINCIPAL
    ]
    if len({_identity(m.span, m.type, ctx) for m in here}) != 1:
        return None
    return here[-1]


def _document_described(a: Attribution, ctx: _Context,
                        history: list[Attribution]) -> Attribution:
    """"The report says ..." after "according to a report in the Argus Leader": the document
    cited just before, and who it is from; else one its paragraph names with its author."""
    for h in reversed(history):
        if a.source.start - h.cue.end > WINDOW:
            break
        sp = h.speaker
        if sp is not None and sp.span is not None and set(_words(h.source.text)) & (
            DOCUMENT_NOUNS
        ):
            return _with(a, sp.span, sp.type, "nominal.document")
    author = _document_named_before(a, ctx)
    if author is not None:
        return _with(a, author.span, author.type, "nominal.document")
    return _with(a, None, "", "nominal.unresolved")


DOCUMENT_BY = re.compile(
    r"\b(?:" + "|".join(sorted(DOCUMENT_NOUNS)) + r")\b[^.;:!?\n]{0,120}?\b(?:by|from)\s+"
    r"(?:the\s+)?$"
)


def _document_named_before(a: Attribution, ctx: _Context) -> Mention | None:
    """The document-named-before rule: "... noted findings of overcrowding by the DHS Office
    of Inspector General. That report found ...": when no attribution cited a document just
    before, the last body its paragraph names before it (within 400 characters), if named as
    a document's author ("findings ... by X", "a report from X"). Not a name in a
    quotation."""
    lo = max(ctx.text.rfind("\n", 0, a.source.start - 1), a.source.start - 400, 0)
    for m in reversed(ctx.mentions_in(lo, a.source.start)):
        if m.type not in ("organization", "outlet", "other") or ctx.quotes.containing(
            m.span.start, m.span.end
        ):
            continue
        if DOCUMENT_BY.search(ctx.text[max(lo, m.span.start - 160) : m.span.start]):
            return m
        return None  # the last body named before is not one a document is from
    return None


# Prosecutors left unnamed, as a source: "Prosecutors alleged ...", "federal prosecutors",
# "Swedish prosecutors", "the prosecution".
PROSECUTORS = re.compile(
    r"(?:(?:the|The)\s+)?(?:(?:[Ff]ederal|[Ss]tate|[Cc]ounty|[Dd]istrict|[Ll]ocal|[Pp]ublic|"
    r"U\.S\.|US|[A-Z][a-z]+)\s+)?[Pp]rosecutors|(?:the|The)\s+prosecution"
)
# The name of a prosecuting office: "the U.S. Attorney's Office (for the ... District of ...)",
# "the Manhattan District Attorney's office", "the Swedish Prosecution Authority", "the Crown
# Prosecution Service", "the Public Prosecutor's Office". A lower-case "the prosecutor's office"
# is a description, no name.
PROSECUTION_OFFICE = re.compile(
    r"(?:(?:U\.S\.|[A-Z][a-z]+)[ \t]+)+(?:Attorney|Prosecutor)['’]s[ \t]+[Oo]ffice"
    r"|(?:[A-Z][a-z]+[ \t]+)+Prosecution[ \t]+(?:Authority|Service|Office)"
)


def _prosecution_office(a: Attribution, ctx: _Context) -> Mention | None:
    """The prosecutors rule: unnamed prosecutors ("Prosecutors alleged that ...") speak for the
    prosecuting office, as an unnamed spokesperson speaks for a body (the gold standard reads
    them so): the one such office the article names, wherever (the name may come later, or in
    someone's quotation: it still tells which office brings the case). Two offices named (a
    state and a federal case), or none, leave them unnamed."""
    if PROSECUTORS.fullmatch(a.source.text.strip()) is None:
        return None
    found: dict[str, tuple[int, int]] = {}
    for m in PROSECUTION_OFFICE.finditer(ctx.text):
        start = m.start()
        lead = re.match(r"(?:The|A)[ \t]+", m.group())
        if lead is not None:
            start += lead.end()
        key = " ".join(_words(ctx.text[start : m.end()]))
        found.setdefault(key, (start, m.end()))
    if len(found) != 1:
        return None
    start, end = next(iter(found.values()))
    return _phrase(start, end, ctx)


def _description(a: Attribution, head_words: list[str], ctx: _Context,
                 history: list[Attribution]) -> Attribution:
    """"the company" → the organisation mentioned before; "the prime minister" → the person
    named with that title. Anything else is an unnamed source."""
    office = _prosecution_office(a, ctx)
    if office is not None:
        return _with(a, office.span, "organization", "nominal.prosecutors")
    if (
        len(head_words) == 3 and head_words[0] in ("a", "an", "the")
        and head_words[1] in ORGANIZATION_NOUNS and head_words[2] in VOICE_NOUNS
    ):
        # "A company spokesperson said ...": the company the article is about speaks.
        body = _body_described(a, ctx, history, head_words[1])
        if body is not None:
            return _with(a, body.span, "organization", "nominal.voice")
        return _with(a, None, "", "nominal.unresolved")
    if not head_words or head_words[0] not in ("the", "this", "that"):
        journal = _article_journal(a, ctx)
        if journal is not None:
            return _with(a, journal.span, journal.type, "nominal.journal")
        return _with(a, None, "", "unnamed")
    noun = head_words[-1]
    if noun in DOCUMENT_NOUNS and len(head_words) <= 3:
        described = _document_described(a, ctx, history)
        journal = _article_journal(a, ctx)
        if described.speaker is not None and described.speaker.span is None and journal:
            return _with(a, journal.span, journal.type, "nominal.journal")
        return described
    if noun in ORGANIZATION_NOUNS and len(head_words) <= 3:
        body = _body_described(a, ctx, history, noun)
        if body is not None:
            return _with(a, body.span, "organization", "nominal.organization")
        return _with(a, None, "", "nominal.unresolved")
    role = head_words[1:]
    if role and len(role) <= 3:
        for m in reversed(ctx.mentions_in(max(0, a.source.start - 4 * WINDOW), a.source.start)):
            if ctx.kind(m.span, m.type) != "person" or not _eligible(m, a, ctx, 4 * WINDOW):
                continue
            titles = _words_before(ctx.text, m.span.start, len(role))
            if titles == role:
                return _with(a, m.span, "person", "nominal.title")
    person = _epithet(a, head_words, ctx)
    if person is not None:
        return _with(a, person.span, "person", "nominal.epithet")
    return _with(a, None, "", "nominal.unresolved")


# The study an article reports on, as a science story names it: "a new study", "the paper",
# "a recent case report" (no owner, no year, no "another" or "one": those bring in a study of
# their own), and the journal it "was published ... in": "... in the journal Acme Medicine".
STUDY_NOUNS = frozenset("study paper report research findings analysis".split())
STUDY_MODIFIERS = frozenset(
    "a an the this new recent latest published peer-reviewed case research scientific".split()
)
IN_THE_JOURNAL = re.compile(
    r"\b(?:published|appears|appeared)[ \t]+(?:[\w.()]+[ \t]+){0,4}?in[ \t]+the[ \t]+"
    r"(?:(?:scientific|medical|peer-reviewed)[ \t]+)?journal[ \t]+"
    r"(" + JOURNAL_NAME.pattern.replace(r"\s", r"[ \t]") + r")"
)


def _article_journal(a: Attribution, ctx: _Context) -> Mention | None:
    """The article's-journal rule: "Researchers have detected water vapor, a new study reports.
    ... The paper was published today in the journal Acme Astronomy.": a bare description of a
    study, not inside a quotation, in an article that says of one journal, and of no other,
    that something was published in it, is recorded under that journal (the gold standard's
    reading: studies "published in journal J" are J's). Two journals named, or a study that
    is someone's ("their study", "a Harvard study"), another ("another study", "a 2015
    study"), leave it unnamed."""
    head_words = re.findall(r"[\w'’.-]+", a.source.text.casefold())  # years too: "a 2015 study"
    if (
        len(head_words) < 2 or len(head_words) > 4 or head_words[-1] not in STUDY_NOUNS
        or not all(w in STUDY_MODIFIERS for w in head_words[:-1])
        or head_words[0] not in ("a", "an", "the", "this")
        or ctx.quotes.containing(a.source.start, a.source.end)
    ):
        return None
    found: dict[str, tuple[int, int]] = {}
    for m in IN_THE_JOURNAL.finditer(ctx.text):
        # the name ends with its line or its sentence ("... in the journal Acme Science. The")
        name = re.split(r"\.\s", m.group(1), maxsplit=1)[0]
        start = m.start(1)
        end = _trim_end(ctx.text, start, start + len(name))
        found.setdefault(ctx.text[start:end].casefold(), (start, end))
    if len(found) != 1:
        return None
    start, end = next(iter(found.values()))
    if any(x.type == "place" or (x.type == "person" and x.span.start == start)
           for x in ctx.mentions_in(start, end)):
        return None  # a place, or a person the name would be read as (see `_published_in`)
    return _phrase(start, end, ctx)


# The endings of nouns for who does something ("singer", "author", "guitarist", "historian"):
# narrower than a title's, as "giant" or "patient" are no epithet of a person.
AGENT_ENDING = re.compile(r"[a-z-]+(?:er|or|ist|ian)$")
# Role nouns that name someone other than the person the paragraph is about: a lawyer, a
# doctor or an officer is introduced, not an epithet of the one named ("Smith was taken to
# hospital. The doctor said ..."); and words with a role noun's ending that name no person.
NOT_EPITHETS = frozenset(
    """
    lawyer attorney counsel doctor nurse surgeon judge justice officer police prosecutor
    witness victim reporter interviewer host source insider official expert spokesman
    spokeswoman spokesperson representative aide adviser advisor analyst friend neighbor
    neighbour owner teacher student driver passenger staffer employee worker member user reader
    viewer critic supporter opponent rival partner colleague investigator detective trooper
    sheriff deputy manager boss waiter waitress customer researcher scientist resident
    paper letter answer number order center centre computer government statement agreement
    document monitor sensor tracker counter poster water matter factor error mirror
    department parent
    """.split()
)


def _epithet(a: Attribution, head_words: list[str], ctx: _Context) -> Mention | None:
    """The epithet rule: "in an Oliver Sacks kind of way — the late neurologist wrote ...",
    "Simmons teased the tour ... ¶ After the song, the singer and guitarist told the audience":
    a definite description whose nouns are roles a person holds ("neurologist", "singer and
    guitarist": a title, or a noun with a role's ending), where its paragraph names before it
    (or, naming no one, the paragraph before) one person and no other: that person. A role that
    introduces someone new ("the doctor", "the lawyer", "the officer") is left alone."""
    from kg.identity import titles  # (kg.identity reads first-name genders from here)

    if len(head_words) < 2 or head_words[0] != "the" or len(head_words) > 5 or (
        ctx.quotes.containing(a.source.start, a.source.end)  # the quoted speaker's world
    ):
        return None
    nouns = [w for i, w in enumerate(head_words[1:], 1)
             if i == len(head_words) - 1 or head_words[i + 1] == "and"]
    if not all(
        w not in NOT_EPITHETS and (w in titles() or AGENT_ENDING.fullmatch(w) is not None)
        and w not in NOT_ROLES for w in nouns
    ):
        return None
    here = ctx.paragraph_of(a.source.start)
    for para in (here, here - 1):
        if para < 0:
            return None
        start = ctx.paragraph_starts[para]
        end = a.source.start if para == here else ctx.paragraph_starts[here]
        named = [
            m for m in ctx.mentions_in(start, end)
            if ctx.kind(m.span, m.type) == "person"
            and ctx.quotes.containing(m.span.start, m.span.end) is None
            and not (a.content is not None and a.content.start <= m.span.start < a.content.end)
        ]
        if not named:
            continue
        if len({_identity(m.span, m.type, ctx) for m in named}) != 1:
            return None
        m = named[-1]
        return m if _eligible(m, a, ctx) else None
    return None
