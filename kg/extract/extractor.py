"""The extractor: spaCy over articles, then the attribution and mention rules."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Sequence

from spacy.tokens import Doc

from kg.extract.mentions import GazetteerTerm, build_matcher, default_terms, find_mentions
from kg.extract.model import load_nlp, split_segments
from kg.extract.nesting import dedupe_attributions
from kg.extract.rules import find_attributions
from kg.models import Article, Attribution, Extraction, Mention

log = logging.getLogger(__name__)


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
            attributions.extend(find_attributions(doc, offset, links=pending[index].links))
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
            attributions.extend(find_attributions(doc, offset, links=article.links))
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


def _finish(
    article: Article, attributions: list[Attribution], mentions: list[Mention]
) -> Extraction:
    attributions = dedupe_attributions(attributions)
    mentions.sort(key=lambda m: (m.span.start, m.span.end))
    return Extraction(article=article, attributions=tuple(attributions), mentions=tuple(mentions))
