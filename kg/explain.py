"""`kg explain`: why does kg say that X said this?

For each sentence of an article: its parse (compact), the words a rule looked at (the cue
candidates), which rules fired or declined and why, the attributions made (source, cue,
content, kind, confidence, rule, how the source was chosen), and how each source resolved to
a graph node (the speaker it stands for, the node, whether it becomes a citation edge).

The article is resolved on its own, so names that a whole corpus would join ("Cook" with "Tim
Cook" of another article) are resolved as one article allows; everything else is what
`kg build` does.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from kg.errors import InputError
from kg.extract.attribution import Chars
from kg.extract.extractor import ExtractionWorker, ExtractorSettings, finish
from kg.extract.mentions import GazetteerTerm
from kg.extract.model import split_segments
from kg.extract.rules import Event, find_attributions
from kg.models import Article, Entity, Extraction, ResolvedAttribution


@dataclass(frozen=True)
class Token:
    i: int  # index in the sentence, from 1
    text: str
    tag: str
    dep: str
    head: int  # index in the sentence of its head, 0 for the root (or a head outside it)
    lemma: str


@dataclass(frozen=True)
class RuleStep:
    rule: str
    word: str  # the word the rule looked at ("" for a rule over the whole text)
    fired: bool
    reason: str = ""  # why it declined


@dataclass(frozen=True)
class Sentence:
    number: int  # from 1, in the article
    start: int
    end: int
    text: str
    tokens: tuple[Token, ...]
    steps: tuple[RuleStep, ...]
    attributions: tuple[ResolvedAttribution, ...]


@dataclass(frozen=True)
class Explanation:
    article: Article
    sentences: tuple[Sentence, ...]
    entities: dict[str, Entity] = field(default_factory=dict)


def explain(
    article: Article,
    worker: ExtractionWorker,
    *,
    sentence: int | None = None,
    match: str | None = None,
    outlets: Any = None,
) -> Explanation:
    """The explanation of `article`; only sentence number `sentence`, or the sentences holding
    `match` (case-insensitive), when given."""
    from kg.pipeline import load_reference
    from kg.resolve import resolve
    from kg.speakers import attach_speakers

    sentences: list[tuple[Chars, list[Token], list[RuleStep]]] = []
    attributions = []
    mentions = []
    for start, piece in split_segments(article.text):
        doc = worker.nlp(piece)
        trace: list[Event] = []
        doc.user_data["kg.offset"] = start
        attributions.extend(find_attributions(doc, start, links=article.links, trace=trace))
        worker.mentions(doc)
        mentions.extend(doc._.kg_mentions)
        first = len(sentences)
        for sent in doc.sents:
            tokens = [
                Token(t.i - sent.start + 1, t.text, t.tag_, t.dep_,
                      t.head.i - sent.start + 1 if t.head.i != t.i and
                      sent.start <= t.head.i < sent.end else 0, t.lemma_)
                for t in sent if not t.is_space
            ]
            sentences.append((Chars(sent.start_char + start, sent.end_char + start), tokens, []))
        for event in trace:
            if event.token is not None:
                at, word = doc[event.token].idx + start, doc[event.token].text
            else:  # a rule over the whole text: where its attributions are
                at, word = event.found[0].cue.start, ""
            step = RuleStep(event.rule, word, event.declined is None, event.declined or "")
            for extent, _, steps in sentences[first:]:
                if extent.start <= at < max(extent.end, extent.start + 1):
                    steps.append(step)
                    break
    found = finish(attributions, mentions)
    extraction = attach_speakers(Extraction(article, *found))
    registry, gazetteer = load_reference(outlets)
    corpus = resolve([extraction], registry, gazetteer)
    resolved = corpus.articles[0].attributions if corpus.articles else ()
    wanted = match.casefold() if match else None
    out = []
    for n, (extent, tokens, steps) in enumerate(sentences, start=1):
        text = article.text[extent.start : extent.end]
        if sentence is not None and n != sentence:
            continue
        if wanted is not None and wanted not in text.casefold():
            continue
        mine = tuple(ra for ra in resolved
                     if extent.start <= ra.attribution.cue.start < max(extent.end,
                                                                       extent.start + 1))
        out.append(Sentence(n, extent.start, extent.end, text.strip(), tuple(tokens),
                            tuple(steps), mine))
    if sentence is not None and not out:
        raise InputError(article.path,
                         f"there is no sentence {sentence} (it has {len(sentences)})")
    return Explanation(article, tuple(out), {e.id: e for e in corpus.entities})


def worker_for(model: str | None, terms: Sequence[GazetteerTerm] | None) -> ExtractionWorker:
    return ExtractionWorker(ExtractorSettings(model=model, terms=tuple(terms) if terms else None))


# --- output ------------------------------------------------------------------------------------


def _quote(text: str, limit: int = 100) -> str:
    text = " ".join(text.split())
    return json.dumps(text if len(text) <= limit else text[: limit - 1] + "…", ensure_ascii=False)


def _parse(tokens: Iterable[Token]) -> str:
    return "  ".join(f"{t.text}/{t.tag}/{t.dep}>{t.head}" for t in tokens)


def format_explanation(explanation: Explanation) -> str:
    """The explanation as plain text, one block per sentence."""
    art = explanation.article
    lines = [f"article: {art.path}" + (f"  ({art.title})" if art.title else "")]
    if not explanation.sentences:
        lines.append("  no sentence matches")
    for s in explanation.sentences:
        lines.append("")
        lines.append(f"sentence {s.number}  [{s.start}:{s.end}]  {_quote(s.text, 400)}")
        lines.append(f"  parse: {_parse(s.tokens)}")
        words = sorted({(st.word, st.rule) for st in s.steps if st.word},
                       key=lambda x: s.text.find(x[0]))
        lines.append("  cue candidates: " + (", ".join(f"{w} ({r})" for w, r in words)
                                              or "none"))
        for st in s.steps:
            where = f' on "{st.word}"' if st.word else ""
            lines.append(f"  rule {st.rule}{where}: "
                         + ("fired" if st.fired else f"declined: {st.reason}"))
        for n, ra in enumerate(s.attributions, start=1):
            lines += _attribution_lines(n, ra, explanation.entities)
        if not s.attributions:
            lines.append("  no attribution")
    return "\n".join(lines) + "\n"


def _attribution_lines(n: int, ra: ResolvedAttribution, entities: dict[str, Entity]) -> list[str]:
    a = ra.attribution
    source = _quote(a.source.text) if a.source.text else "(no one named: implicit)"
    lines = [
        f"  attribution {n}: {source} —{a.cue.text}→ "
        + (_quote(a.content.text) if a.content else "(no content)"),
        f"    kind {a.kind}, confidence {a.confidence:.2f}, rule {a.rule}, "
        f"source chosen by: {a.source_rule or '-'}, source looks like: {a.source_kind}",
    ]
    if a.speaker is not None:
        who = _quote(a.speaker.span.text) if a.speaker.span else "no one the graph cites"
        lines.append(f"    speaker: {who} ({a.speaker.rule})")
    if ra.source_id is None:
        lines.append("    node: none (the source names no one the graph cites)")
    else:
        entity = entities.get(ra.source_id)
        name = f' "{entity.name}" ({entity.type})' if entity is not None else ""
        lines.append(f"    node: {ra.source_id}{name}")
    if ra.via_id:
        lines.append(f"    via: {ra.via_id}")
    if not ra.edge:
        edge = "no (its confidence is below the build's threshold)"
    elif ra.source_id is None:
        edge = "no (no node to cite)"
    else:
        edge = "yes"
    lines.append(f"    citation edge in the graph: {edge}")
    return lines
