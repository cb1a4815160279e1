"""Records that cross stage boundaries.

All frozen dataclasses: a stage receives records, never mutates them, and hands new ones on.
Offsets (`start`, `end`) are Python string indices into `Article.text`.
"""

from __future__ import annotations

import dataclasses
import operator
from dataclasses import dataclass, field
from typing import Any

# --- ingest ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Link:
    """A hyperlink found inside an article body.

    `start`/`end` locate the anchor text in `Article.text` when it could be found there.
    """

    url: str
    text: str
    start: int | None = None
    end: int | None = None


@dataclass(frozen=True, slots=True)
class Article:
    """One article as read from an input file (or one record of a JSON Lines / WARC file).

    `path` names where it came from; for a record inside a container it is
    `"file.jsonl:LINE"` or `"file.warc.gz#URL"`. `published` is an ISO 8601 date or datetime
    string. `site` is the outlet as the input names it (a site name, a dump's signature), `url`
    the article's own address; resolve turns either into an outlet id.
    """

    path: str
    text: str
    url: str | None = None
    title: str | None = None
    published: str | None = None
    site: str | None = None
    links: tuple[Link, ...] = ()
    format: str = "txt"
    # The page's own canonical address when it names one (a syndicated copy points at the
    # original), and the wire agency a story is based on ("(AP) —" datelines, wire bylines).
    canonical: str | None = None
    based_on: str | None = None
    language: str | None = None  # ISO 639-1, detected by kg.language (None: too short to tell)


@dataclass(frozen=True, slots=True)
class Skipped:
    """An input (or one record of it) that could not become an article, and why."""

    path: str
    reason: str


# --- extract --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Span:
    text: str
    start: int
    end: int


# Source kinds as extract guesses them from the text alone; resolve has the final word.
SOURCE_KINDS = ("outlet", "person", "organization", "document", "unnamed", "unknown")

# Attribution kinds: how the text attributes.
ATTRIBUTION_KINDS = (
    "said", "reported", "according_to", "quote", "citing", "statement", "hyperlink", "implicit"
)

# Attributions below this confidence are extracted and shown by `kg extract` (flagged) but make
# no graph edge unless `kg build --min-confidence` says otherwise. Chosen for precision on the
# citation gold (see the README, "Measuring quality"): a wrong edge is worse than a missing one.
DEFAULT_MIN_CONFIDENCE = 0.7

# Entity mention types.
MENTION_TYPES = ("person", "organization", "place", "other")


@dataclass(frozen=True, slots=True)
class Speaker:
    """Who an attribution's source stands for, as the speaker sieve (`kg.speakers`) decided.

    `span` is the named mention the source refers to: the antecedent of a pronoun ("he" →
    "Tim Cook"), the referent of a description ("the company" → "Apple"), the head name of a
    long source span ("Will Moy, chief executive of Full Fact" → "Will Moy"). `span` None means
    the source names no one the graph should cite: the author's own voice, an unnamed group, an
    antecedent that cannot be told. `rule` names the sieve that decided.
    """

    span: Span | None
    type: str  # the mention type of `span` ("person", "organization", ...); "" when None
    rule: str


@dataclass(frozen=True, slots=True)
class Attribution:
    """One statement of "who says what": source, cue and (optional) content spans.

    `via` is the relaying source for nested attribution ("dialog.ua reported, citing
    Bloomberg": source Bloomberg, via dialog.ua). `sentence` is the evidence sentence.
    An attribution of kind "implicit" names no source ("It is said that ...", "reportedly"):
    its source is an empty span at the cue's start, of kind "unnamed", and it cites no one.
    `rule` names the extraction rule that made it ("reporting-verb", "according-to", ...: the
    registry in `kg.extract.rules`), `source_rule` how that rule chose the source ("subject",
    "passive-agent", "speaker-after-quote", ...); `kg explain` shows both.
    """

    source: Span
    source_kind: str
    cue: Span
    content: Span | None
    kind: str
    confidence: float
    sentence: Span
    via: Span | None = None
    rule: str = ""
    source_rule: str = ""
    speaker: Speaker | None = None  # None until the speaker sieve has run

    @property
    def implicit(self) -> bool:
        """No source is named: the text attributes without saying who."""
        return self.source.end <= self.source.start


@dataclass(frozen=True, slots=True)
class Mention:
    span: Span
    type: str
    label: str = ""  # the spaCy label or gazetteer that found it, for diagnostics


@dataclass(frozen=True, slots=True)
class Extraction:
    """`article_id` is fixed by the pipeline before it drops the article text to save memory
    (the id of an article without URL is a hash of its text)."""

    article: Article
    attributions: tuple[Attribution, ...]
    mentions: tuple[Mention, ...]
    article_id: str | None = None


# --- resolve --------------------------------------------------------------------------------

NODE_TYPES = ("article", "outlet", "person", "organization", "place", "other")
OUTLET_KINDS = ("outlet", "wire_agency", "broadcaster", "state_media", "data_service")

# The State Media Matrix typology (State Media Monitor): how far a state controls an outlet's
# funding, governing structures and editorial line. Separate from `kind`: a wire agency can be
# state-controlled (BelTA is both).
STATE_CONTROL = {
    "SC": "state-controlled media",
    "CaPu": "captured public/state-managed media",
    "CaPr": "captured private media",
    "ISFM": "independent state-funded and state-managed media",
    "ISF": "independent state-funded media",
    "ISM": "independent state-managed media",
    "IP": "independent public media",
}


@dataclass(frozen=True, slots=True)
class OutletLabel:
    """Membership of a published list ("Portal Kombat (Viginum)", "RT mirror"): a fact about
    the list, with the data set it comes from and that data set's date, never a verdict."""

    name: str
    source: str
    date: str | None = None


@dataclass(frozen=True, slots=True)
class Outlet:
    """A registry entry: an outlet, wire agency, broadcaster, state medium or data service.

    `languages` are ISO 639-1 codes, `state_control` a code of `STATE_CONTROL`, `provenance`
    where the entry comes from ("kg/data/outlets.json", "wikidata-newspapers:Q492825", a
    user's file). `curated` entries (hand-made or the user's) answer to every name and alias;
    entries from open data only to names that are distinctive (see `kg.registry`).
    `display_aliases` are names the outlet also goes by that are too ambiguous to look up in
    text ("Express" for the Daily Express): they name it (RDF, pages) but never find it.
    """

    id: str
    name: str
    kind: str = "outlet"
    country: str | None = None
    url: str | None = None
    aliases: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    state_control: str | None = None
    labels: tuple[OutletLabel, ...] = ()
    provenance: tuple[str, ...] = ()
    curated: bool = True
    display_aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Entity:
    """A canonical source or entity: what a graph node is made from.

    `id` is `"<type>:<slug>"` (outlets: `"outlet:<registry id>"`), stable run after run.
    `affiliation` is the id of the organisation a person is stated to belong to.
    """

    id: str
    type: str
    name: str
    aliases: tuple[str, ...] = ()
    url: str | None = None
    kind: str | None = None
    country: str | None = None
    affiliation: str | None = None
    # outlets only (from the registry): see `Outlet`
    languages: tuple[str, ...] = ()
    state_control: str | None = None
    labels: tuple[OutletLabel, ...] = ()
    provenance: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ResolvedAttribution:
    """`edge` says whether the attribution becomes a graph edge: its confidence reaches the
    build's `--min-confidence` (resolve decides; by default `DEFAULT_MIN_CONFIDENCE`). The
    others stay in `kg extract` output, flagged `"edge": false`."""

    attribution: Attribution
    source_id: str | None  # None for unnamed sources ("officials said")
    via_id: str | None = None
    link: str | None = None  # the URL of a hyperlink this attribution carries as evidence
    edge: bool | None = None

    def __post_init__(self) -> None:
        if self.edge is None:
            object.__setattr__(self, "edge", self.attribution.confidence >= DEFAULT_MIN_CONFIDENCE)


@dataclass(frozen=True, slots=True)
class ResolvedMention:
    mention: Mention
    entity_id: str


@dataclass(frozen=True, slots=True)
class ResolvedLink:
    link: Link
    outlet_id: str | None
    article_id: str | None = None  # set when the link points at an article of the corpus
    role: str | None = None  # why it is no citation (kg.links.LINK_ROLES), None if it may be


@dataclass(frozen=True, slots=True)
class ResolvedArticle:
    id: str  # "article:<hash>"
    article: Article
    outlet_id: str | None
    attributions: tuple[ResolvedAttribution, ...]
    mentions: tuple[ResolvedMention, ...]
    links: tuple[ResolvedLink, ...]
    merged_paths: tuple[str, ...] = ()  # other inputs that held the same article
    copy_of: tuple[str, ...] = ()  # article ids carrying the same text under another outlet
    based_on_id: str | None = None  # the wire agency the story is from (schema:isBasedOn)


@dataclass(frozen=True, slots=True)
class Corpus:
    """Everything the graph stage needs: resolved articles and the entities they refer to."""

    articles: tuple[ResolvedArticle, ...]
    entities: tuple[Entity, ...]
    skipped: tuple[Skipped, ...] = ()
    merged: tuple[tuple[str, tuple[str, ...]], ...] = field(default=())


# --- pickling ---------------------------------------------------------------------------------


def _pickled_by_constructor(cls: type) -> None:
    """Pickle instances of `cls` as a call of its constructor with its field values.

    A frozen, slotted dataclass pickles by default through `__getstate__`/`__setstate__`,
    which look up `dataclasses.fields()` for every single object: a build's spool (every
    extraction written to disk and read back) spent most of its time there. The constructor
    call is the same object for these classes (every field is an `__init__` argument) and
    round trips in about half the time."""
    values = operator.attrgetter(*(f.name for f in dataclasses.fields(cls)))

    def __reduce__(self: Any) -> tuple[type, tuple[Any, ...]]:
        return cls, values(self)

    cls.__reduce__ = __reduce__  # type: ignore[method-assign,assignment]


for _record in (Link, Article, Skipped, Span, Speaker, Attribution, Mention, Extraction,
                OutletLabel, Outlet, Entity, ResolvedAttribution, ResolvedMention, ResolvedLink,
                ResolvedArticle, Corpus):
    _pickled_by_constructor(_record)
