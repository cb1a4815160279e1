"""The extractor: spaCy over articles, then kg's mention and attribution components, in this
process or in worker processes that send back compact records, never spaCy `Doc`s.

    extractor = Extractor(workers=2)                 # what kg build uses
    for extraction in extractor.extract(articles):   # in input order, streamed
        ...

`ExtractionWorker` is the unit of work: it loads the model once and maps a batch of `Article`s
to `Extraction`s. `Extractor(workers=N)` runs N of them in processes of its own
(`kg.extract.pool`); a distributed runner (a Dask worker plugin) creates one per worker
process and calls `ExtractionWorker.extract` per task.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc

from kg.extract.components import LINKS_KEY, OFFSET_KEY, AttributionFinder, MentionFinder
from kg.extract.mentions import GazetteerTerm, default_terms
from kg.extract.model import check_model, load_nlp, split_segments
from kg.extract.nesting import dedupe_attributions
from kg.malloc import keep_freed_memory
from kg.models import Article, Attribution, Extraction, Mention
from kg.speakers import attach_speakers

log = logging.getLogger(__name__)

# What extraction finds in one article: its attributions and its mentions.
Found = tuple[tuple[Attribution, ...], tuple[Mention, ...]]


@dataclass(frozen=True)
class ExtractorSettings:
    """Everything besides the article that decides what extraction finds; picklable, so that
    it travels to worker processes. `terms` None means the packaged outlet registry and
    gazetteer; `nationalities` keeps bare nationalities as mentions (CoNLL scores them)."""

    model: str | None = None
    batch_size: int = 8
    terms: tuple[GazetteerTerm, ...] | None = None
    nationalities: bool = False
    # Decide each attribution's speaker (`kg.speakers`: pronouns, descriptions, coordinated
    # sources) where the article's text is, in the worker: what a build keeps. Off for the
    # span evaluations, which score what the rules found.
    speakers: bool = False


class ExtractionWorker:
    """Loads the spaCy model once and maps batches of articles to what they hold.

        worker = ExtractionWorker(ExtractorSettings(model=None, terms=terms))
        extractions = worker.extract(articles)   # a batch of Articles → Extractions, in order

    This is the entry point of distributed extraction: a runner (e.g. a Dask worker plugin)
    creates one per worker process in its setup, so the model loads once per process, and
    calls `extract` (or `found`, which leaves the articles out of the result) per task. The
    parse runs with kg's sentence guard; the `kg_mentions` and `kg_attributions` components
    (`kg.extract.components`) then read each doc. An article longer than
    `kg.extract.model.SEGMENT_CHARS` is parsed in segments; offsets are always into the whole
    `Article.text`. What comes back is plain data (spans and strings). Not thread-safe, as
    spaCy is not: one per process (or thread)."""

    def __init__(self, settings: ExtractorSettings = ExtractorSettings()) -> None:
        self.settings = settings
        keep_freed_memory()  # the process parses from now on (`kg.malloc`)
        self.nlp: Language = load_nlp(settings.model)
        self.mentions = MentionFinder(
            self.nlp, packaged_terms=False, nationalities=settings.nationalities
        )
        self.mentions.use_terms(settings.terms if settings.terms is not None else default_terms())
        self.attributions = AttributionFinder()

    def extract(self, articles: Sequence[Article]) -> list[Extraction]:
        """The extractions of `articles`, in their order."""
        found = self.found(articles)
        return [Extraction(a, *f) for a, f in zip(articles, found, strict=True)]

    def extractions(self, articles: Iterable[Article]) -> Iterator[Extraction]:
        """Per article, in order, streamed: its extraction (speakers decided when the
        settings say `speakers`)."""
        pending: deque[Article] = deque()  # read by the parse, not yet given back

        def remembered() -> Iterator[Article]:
            for article in articles:
                pending.append(article)
                yield article

        for found in self._found(remembered()):
            extraction = Extraction(pending.popleft(), *found)
            yield attach_speakers(extraction) if self.settings.speakers else extraction

    def found(self, articles: Iterable[Article]) -> Iterator[Found]:
        """Per article, in order, streamed: its attributions and its mentions (what a worker
        sends back: no article)."""
        for extraction in self.extractions(articles):
            yield extraction.attributions, extraction.mentions

    def _found(self, articles: Iterable[Article]) -> Iterator[Found]:
        attributions: list[Attribution] = []
        mentions: list[Mention] = []
        for doc, last in self._parsed(articles):
            self.attributions(self.mentions(doc))
            attributions.extend(doc._.kg_attributions)
            mentions.extend(doc._.kg_mentions)
            if last:
                yield finish(attributions, mentions)
                attributions, mentions = [], []

    def found_in_parsed(self, article: Article, docs: Iterable[tuple[Doc, int]]) -> Found:
        """What `article` holds, from its segments parsed elsewhere (doc, character offset),
        cut as `split_segments` cuts them: the components alone."""
        attributions: list[Attribution] = []
        mentions: list[Mention] = []
        for doc, offset in docs:
            doc.user_data[OFFSET_KEY] = offset
            doc.user_data[LINKS_KEY] = article.links
            self.attributions(self.mentions(doc))
            attributions.extend(doc._.kg_attributions)
            mentions.extend(doc._.kg_mentions)
        return finish(attributions, mentions)

    def _parsed(self, articles: Iterable[Article]) -> Iterator[tuple[Doc, bool]]:
        """Each segment of each article parsed, and whether it is its article's last."""

        def segments() -> Iterator[tuple[Doc, bool]]:
            for article in articles:
                pieces = split_segments(article.text)
                for i, (start, piece) in enumerate(pieces):
                    doc = self.nlp.make_doc(piece)
                    doc.user_data[OFFSET_KEY] = start
                    doc.user_data[LINKS_KEY] = article.links
                    yield doc, i == len(pieces) - 1

        yield from self.nlp.pipe(segments(), as_tuples=True, batch_size=self.settings.batch_size)


def finish(attributions: list[Attribution], mentions: list[Mention]) -> Found:
    """One article's findings, put in order: attributions by cue, without duplicates (the same
    source and cue found twice), mentions by position."""
    mentions.sort(key=lambda m: (m.span.start, m.span.end))
    return tuple(dedupe_attributions(attributions)), tuple(mentions)


class Extractor:
    """Runs spaCy over articles and applies the mention and attribution components, in this
    process (`workers=1`) or in `workers` processes (`kg.extract.pool`), which load the model
    once each and send back compact records.

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
        speakers: bool = False,
    ) -> None:
        if workers < 1:
            raise ValueError("workers must be at least 1")
        self.workers = workers
        # Bare nationalities ("Russian") are not entities of the graph; an evaluation against
        # a scheme that counts them (CoNLL's MISC) asks for them.
        self.settings = ExtractorSettings(
            model=model,
            batch_size=batch_size,
            terms=tuple(terms) if terms is not None else None,
            nationalities=nationalities,
            speakers=speakers,
        )
        self._worker: ExtractionWorker | None = None
        if workers == 1:
            self._worker = ExtractionWorker(self.settings)
        else:
            check_model(model)  # fail before any process starts; they load the model

    @property
    def worker(self) -> ExtractionWorker:
        """The in-process worker (loaded on first use when extraction runs in processes)."""
        if self._worker is None:
            self._worker = ExtractionWorker(self.settings)
        return self._worker

    def extract(self, articles: Iterable[Article]) -> Iterator[Extraction]:
        """Extractions in the order of `articles`, streamed."""
        if self.workers == 1:
            yield from self.worker.extractions(articles)
            return
        from kg.extract.pool import extract_in_processes

        yield from extract_in_processes(articles, self.settings, self.workers)

    def extract_one(self, article: Article) -> Extraction:
        return next(iter(self.extract([article])))

    def extract_parsed(self, article: Article, docs: Iterable[tuple[Doc, int]]) -> Extraction:
        """The extraction of `article` from its segments parsed elsewhere (doc, offset)."""
        return Extraction(article, *self.worker.found_in_parsed(article, docs))
