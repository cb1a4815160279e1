"""spaCy pipeline components: kg's mention and attribution rules inside any English pipeline.

    import spacy
    nlp = spacy.load("en_core_web_sm")
    nlp.add_pipe("kg_mentions")          # entity mentions: doc._.kg_mentions
    nlp.add_pipe("kg_attributions")      # attributions: doc._.kg_attributions
    doc = nlp("Reuters reported that the bridge was closed.")
    for a in doc._.kg_attributions:
        print(a.rule, a.source.text, a.cue.text, a.content.text if a.content else None)

The factories are registered when `kg.extract.components` is imported and, through the
`spacy_factories` entry points of the kg package, whenever spaCy looks a name up, so a spaCy
user needs no import. They need a tagger, a lemmatizer and a parser before them (named
entities help the mentions and some source kinds). Offsets in the results are character
offsets into `doc.text`, shifted by `doc.user_data["kg.offset"]` when a caller sets it (kg
parses long articles in segments); `doc.user_data["kg.links"]` (a sequence of `Link`s) adds
the article's hyperlinks as attributions.
"""

from __future__ import annotations

from collections.abc import Sequence

from spacy.language import Language
from spacy.tokens import Doc

from kg.extract.mentions import GazetteerTerm, build_matcher, default_terms, find_mentions
from kg.extract.rules import find_attributions
from kg.models import Link

ATTRIBUTIONS = "kg_attributions"
MENTIONS = "kg_mentions"
OFFSET_KEY = "kg.offset"
LINKS_KEY = "kg.links"

for _name in (ATTRIBUTIONS, MENTIONS):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


def _offset(doc: Doc) -> int:
    offset = doc.user_data.get(OFFSET_KEY, 0)
    return offset if isinstance(offset, int) else 0


class AttributionFinder:
    """Sets `doc._.kg_attributions`: the attributions the rules find in the doc (a list of
    `kg.models.Attribution`, each with the `rule` that made it)."""

    def __call__(self, doc: Doc) -> Doc:
        links: Sequence[Link] = doc.user_data.get(LINKS_KEY, ())
        doc._.set(ATTRIBUTIONS, find_attributions(doc, _offset(doc), links=links))
        return doc


class MentionFinder:
    """Sets `doc._.kg_mentions`: named-entity mentions (`kg.models.Mention`), the model's
    entities cleaned and merged with the packaged outlet registry and gazetteer (or the terms
    given to `use_terms`)."""

    def __init__(self, nlp: Language, *, packaged_terms: bool, nationalities: bool) -> None:
        self.nlp = nlp
        self.nationalities = nationalities
        self.matcher = build_matcher(nlp, default_terms()) if packaged_terms else None

    def use_terms(self, terms: Sequence[GazetteerTerm]) -> None:
        """Match these names (e.g. the registry with a user's extra outlets) instead."""
        self.matcher = build_matcher(self.nlp, terms)

    def __call__(self, doc: Doc) -> Doc:
        found = find_mentions(doc, _offset(doc), self.matcher, nationalities=self.nationalities)
        doc._.set(MENTIONS, found)
        return doc


@Language.factory(ATTRIBUTIONS)
def make_attributions(nlp: Language, name: str) -> AttributionFinder:
    return AttributionFinder()


@Language.factory(MENTIONS, default_config={"packaged_terms": True, "nationalities": False})
def make_mentions(
    nlp: Language, name: str, packaged_terms: bool, nationalities: bool
) -> MentionFinder:
    return MentionFinder(nlp, packaged_terms=packaged_terms, nationalities=nationalities)

