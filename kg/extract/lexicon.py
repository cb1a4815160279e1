"""The extract stage's word lists, read once from package data (`kg/extract/lexicons/*.toml`).

One TOML file per family of words, named after it (`cue_verbs.toml` → `CUE_VERBS`), holding:

- `description`: what the words are and how the rules use them;
- `group`: families of one group classify words of one kind (`verb`, `noun`, `adjective`,
  `adverb`, `passive`, `source-head`, `pronoun`) and share no word unless the overlap is declared
  in `[overlaps.<other family>]` with its `words` and its `reason`; `construction` lists (the
  nouns a light verb takes, the prepositions after a verb, ...) and `pronoun-use` lists qualify
  words of other families and may overlap anything;
- `words`: whitespace-separated, lower case, each once; or a `[words]` table of such strings
  (a mapping, e.g. a light verb → the nouns it takes);
- `include`: families whose words this one has too (`copular_nouns` includes `noun_cues`);
- for the families of cue words (`cue = true`): a `template` sentence with `{word}`, and
  `[examples]` (word → sentence) where the template does not suit a word. The tests check that
  every cue word gives an attribution on its sentence, so that no listed word is silently dead.

Importing this module does not load spaCy: `kg.resolve` reads its pronouns, outlet heads and
domain pattern from here. A malformed file raises `ConfigError` naming the file and the problem.
To add a word: put it in the family's `words` (and an example sentence if the template does not
fit it); `pytest tests/test_extract_lexicon.py` says whether it fires and whether it clashes.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from importlib import resources
from typing import Any

from kg.errors import ConfigError

# Groups whose families may share words with any other family: they qualify words, not classify.
OPEN_GROUPS = frozenset({"construction", "pronoun-use"})
_KEYS = {"description", "group", "words", "include", "cue", "template", "examples", "overlaps"}


@dataclass(frozen=True)
class Overlap:
    words: frozenset[str]
    reason: str


@dataclass(frozen=True)
class Family:
    """One word list as its file gives it. `words` includes the included families' words;
    `own` only the file's."""

    name: str
    group: str
    description: str
    own: frozenset[str]
    words: frozenset[str]
    mapping: Mapping[str, frozenset[str]] | None = None
    include: tuple[str, ...] = ()
    cue: bool = False
    template: str | None = None
    examples: Mapping[str, str] = field(default_factory=dict)
    overlaps: Mapping[str, Overlap] = field(default_factory=dict)


def _split(value: Any, where: str) -> frozenset[str]:
    if not isinstance(value, str):
        raise ConfigError(f"{where}: expected a string of words separated by spaces")
    words = value.split()
    seen: set[str] = set()
    for word in words:
        if word != word.lower() or not (word[0].isalpha() or word == "%"):
            raise ConfigError(f"{where}: {word!r} is not a lower-case word")
        if word in seen:
            raise ConfigError(f"{where}: {word!r} is listed twice")
        seen.add(word)
    return frozenset(words)


def parse_family(name: str, text: str) -> Family:
    """One family from the text of its TOML file (`name` is the file's stem)."""
    where = f"kg/extract/lexicons/{name}.toml"
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{where}: not valid TOML ({exc})") from exc
    unknown = set(raw) - _KEYS
    if unknown:
        raise ConfigError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
    for key in ("description", "group", "words"):
        if key not in raw:
            raise ConfigError(f"{where}: missing {key!r}")
    mapping: dict[str, frozenset[str]] | None = None
    if isinstance(raw["words"], dict):
        mapping = {k: _split(v, f"{where} [words] {k}") for k, v in raw["words"].items()}
        own = frozenset(mapping)
    else:
        own = _split(raw["words"], f"{where} words")
    cue = bool(raw.get("cue", False))
    template = raw.get("template")
    if cue and not (isinstance(template, str) and ("{word}" in template
                                                   or "{participle}" in template)):
        raise ConfigError(f"{where}: a cue family needs a template sentence with {{word}} (or "
                          "{participle}, for a family of passives)")
    examples = raw.get("examples", {})
    for word, sentence in examples.items():
        if word not in own or not isinstance(sentence, str):
            raise ConfigError(f"{where}: example for {word!r}, which is not one of its words")
    overlaps = {
        other: Overlap(_split(spec.get("words", ""), f"{where} overlaps.{other}"),
                       str(spec.get("reason", "")))
        for other, spec in raw.get("overlaps", {}).items()
    }
    for other, overlap in overlaps.items():
        if not overlap.reason.strip():
            raise ConfigError(f"{where}: the overlap with {other} needs a reason")
    return Family(
        name=name, group=str(raw["group"]), description=str(raw["description"]).strip(),
        own=own, words=own, mapping=mapping, include=tuple(raw.get("include", ())), cue=cue,
        template=template,
        examples=dict(examples), overlaps=overlaps,
    )


def check(families: Mapping[str, Family]) -> dict[str, Family]:
    """Resolve `include`s and check the overlaps between families of one group: every word two
    families share is declared (in either file) with its reason, and every declared word is
    shared. Returns the families with their included words."""
    out: dict[str, Family] = {}
    for name, family in families.items():
        where = f"kg/extract/lexicons/{name}.toml"
        for other, overlap in family.overlaps.items():
            if other not in families:
                raise ConfigError(f"{where}: overlap with unknown family {other!r}")
            if not overlap.words <= family.own or not overlap.words <= families[other].own:
                raise ConfigError(f"{where}: overlap with {other} lists words not in both")
        words = set(family.own)
        for included in family.include:
            if included not in families or families[included].include:
                raise ConfigError(f"{where}: includes {included!r}, which is not a family "
                                  "without includes of its own")
            words |= families[included].own
        out[name] = replace(family, words=frozenset(words))
    names = sorted(families)
    for i, a in enumerate(names):
        fa = families[a]
        if fa.group in OPEN_GROUPS:
            continue
        for b in names[i + 1 :]:
            fb = families[b]
            if fb.group != fa.group:
                continue
            shared = fa.own & fb.own
            declared = (fa.overlaps.get(b) or fb.overlaps.get(a) or Overlap(frozenset(), "")).words
            if shared != declared:
                extra = sorted(shared - declared) or sorted(declared - shared)
                raise ConfigError(
                    f"kg/extract/lexicons/{a}.toml and {b}.toml (group {fa.group!r}) share "
                    f"{', '.join(extra)} without an overlap declared with its reason (or declare "
                    "words they do not share)"
                )
    return out


def load() -> dict[str, Family]:
    """Every family of the packaged lexicon, parsed and checked."""
    folder = resources.files("kg.extract") / "lexicons"
    families: dict[str, Family] = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".toml"):
            continue
        name = entry.name.removesuffix(".toml")
        families[name] = parse_family(name, entry.read_text(encoding="utf-8"))
    return check(families)


FAMILIES = load()


def _words(name: str) -> frozenset[str]:
    return FAMILIES[name].words


def _mapping(name: str) -> dict[str, frozenset[str]]:
    mapping = FAMILIES[name].mapping
    if mapping is None:
        raise ConfigError(f"kg/extract/lexicons/{name}.toml: expected a [words] table")
    return dict(mapping)


# --- the families, as the rules use them --------------------------------------------------------
# (What each is for is said in its file.)

# Pronouns, and how the rules use them.
PRONOUNS = _words("pronouns")
PERSON_PRONOUNS = _words("person_pronouns")
RELATIVE_PRONOUNS = _words("relative_pronouns")
AGENT_PRONOUNS = _words("agent_pronouns")
# Heads of source phrases: what kind of source a phrase names.
OUTLET_HEADS = _words("outlet_heads")
UNNAMED_HEADS = _words("unnamed_heads")
DOCUMENT_HEADS = _words("document_heads")
ORGANIZATION_HEADS = _words("organization_heads")
NOT_PERSONISH = _words("not_personish")
BODY_PARTS = _words("body_parts")
PERSONISH_SUFFIXES = tuple(sorted(_words("personish_suffixes")))
# Cue words.
CUE_VERBS = _words("cue_verbs")
STANCE_VERBS = _words("stance_verbs")
QUOTE_ONLY_VERBS = _words("quote_only_verbs")
SEEMING_VERBS = _words("seeming_verbs")
IMPLICIT_PASSIVES = _words("implicit_passives")
HEARSAY_ADVERBS = _words("hearsay_adverbs")
NOUN_CUES = _words("noun_cues")
UTTERANCE_NOUNS = _words("utterance_nouns")
ROLE_NOUNS = _words("role_nouns")
VIEW_NOUNS = _words("view_nouns")
STANCE_ADJECTIVES = _words("stance_adjectives")
# Words that are never cues in a construction that looks like one.
CAUSING_VERBS = _words("causing_verbs")
HEADLINE_ADVERBS = _words("headline_adverbs")
# Constructions: which words a rule accepts where.
IN_SOURCE_HEADS = _words("in_source_heads")
VIEW_NOUNS_WITH_OF = _words("view_nouns_with_of")
POLL_HEADS = _words("poll_heads")
COPULAR_NOUNS = _words("copular_nouns")
FROM_HOLDER_NOUNS = _words("from_holder_nouns")
EVIDENCE_VERBS = _words("evidence_verbs")
CLAUSE_ONLY_VERBS = _words("clause_only_verbs")
CLAUSE_OR_PREP_VERBS = _mapping("clause_or_prep_verbs")
BARE_NO_CUE = _words("bare_no_cue")
ADDRESSEE_VERBS = _words("addressee_verbs")
HOLDER_PASSIVES = _words("holder_passives")
ADJECTIVE_PREPS = _words("adjective_preps")
WINNING_VERBS = _words("winning_verbs")
LIGHT_VERBS = _words("light_verbs")
CLAUSE_LIGHT_VERBS = _words("clause_light_verbs")
LIGHT_NOUNS = _words("light_nouns")
CARRIED_NOUNS = _words("carried_nouns")
LIGHT_VERB_NOUNS = _mapping("light_verb_nouns")
DRAWN_STANCES = _words("drawn_stances")
SHOWN_STANCES = _words("shown_stances")
TOPIC_PREPS = _words("topic_preps")
PREP_VERBS = _mapping("prep_verbs")
PARTICLE_PREPS = _words("particle_preps")
OBJECT_PREPS = _words("object_preps")
NO_COMMENT = _words("no_comment")
DECLINING_VERBS = _words("declining_verbs")
WITHHELD_WORDS = _words("withheld_words")
OBJECT_VERBS = _words("object_verbs")
INTENTION_VERBS = _words("intention_verbs")
SAYING = _words("saying")
MODAL_NAMES = _words("modal_names")
NOT_SPEAKERS = _words("not_speakers")
KICKER_WORDS = _words("kicker_words")
BRACKET_LABELS = _words("bracket_labels")
VIA_CHANNELS = _words("via_channels")
GOVERNMENT_VOICE_VERBS = _words("government_voice_verbs")
PARTICLE_STATEMENTS = _mapping("particle_statements")
CLAUSE_STATEMENTS = _words("clause_statements")
TARGET_VERBS = _words("target_verbs")
SAID_TARGETS = _words("said_targets")
GROUP_NOUNS = _words("group_nouns")
GIVEN_VIEWS = _words("given_views")
USING_VERBS = _words("using_verbs")
DATA_NOUNS = _words("data_nouns")

# A source written as a domain name ("dialog.ua") is an outlet.
DOMAIN_RE = re.compile(
    r"^(?:www\.)?[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.(?:com|org|net|info|news|ua|ru|by|kz|md|"
    r"ge|pl|lt|lv|ee|de|fr|uk|co\.uk|it|es|nl|eu|io|tv|fm|media|press|us|ca|au|jp|kr|cn|in)$",
    re.IGNORECASE,
)
