"""Measure extraction quality against gold annotations (the library side of `kg eval`).

Two gold formats are understood:

* **BRAT stand-off attributions** (PolNeAR): a folder holding `text/<article>.txt` and
  `attributions/<article>_<annotator>.ann`. `T` lines give spans (`T3<TAB>Source 10 25<TAB>text`;
  a split span is written `s e;s e`), `E` lines tie one attribution's roles together
  (`E1<TAB>Attribution:T4 Content:T3 Cue:T2 Source:T1`; the first item is the trigger, and an
  attribution may have several `Content` roles). Other line types (`A`, `R`, `M`, `N`, `#`) are
  ignored. A span text containing a newline continues on the following lines of the file.
  When an article has several annotators' files, the first in sorted order is used.
* **CoNLL-2003 NER**: `-DOCSTART-` starts a document, a blank line ends a sentence, token lines
  are `token POS chunk NER` with IOB1 or IOB2 tags. Each document's text is rebuilt from its
  tokens (joined by single spaces, sentences by newlines).

Scoring functions take plain offsets (`Pieces`, `EntitySpan`), never the extractor, so they are
testable without spaCy. `evaluate_brat` and `evaluate_conll` drive an extractor (anything with
an `extract(articles)` method); `run_eval` wires the real one and `format_report` renders the
result as aligned text tables or JSON.

Measures for attributions, per role (source, cue, content), micro-averaged over the split:

* *match*: a predicted span is right when it overlaps a gold span of the same role; a gold span
  is found when some predicted span of that role overlaps it. A split gold span is one span of
  several pieces: overlapping any piece is enough.
* *chars*: the non-space characters covered by the union of predicted spans against those
  covered by the union of gold spans (every piece of a split span counts), summed per document.
* *exact*: spans equal after trimming whitespace and punctuation at both ends, one-to-one. A
  split span is compared by its outer extent (first piece's start to last piece's end), trimmed.

Within one document each role's spans form a set: a source shared by two attributions (gold or
predicted) counts once.
"""

from __future__ import annotations

import json
import logging
import re
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol

from kg.errors import ConfigError, InputError
from kg.models import Article, Extraction, Span

if TYPE_CHECKING:
    from spacy.language import Language

log = logging.getLogger(__name__)

EvalKind = Literal["auto", "brat", "conll"]
ROLES = ("source", "cue", "content")
MEASURES = ("match", "chars", "exact")
ENTITY_TYPES = ("PER", "ORG", "LOC", "MISC")

# Our mention types → CoNLL types.
MENTION_TO_CONLL = {"person": "PER", "organization": "ORG", "place": "LOC", "other": "MISC"}

# spaCy (OntoNotes) labels → CoNLL types; labels absent here (DATE, TIME, MONEY, PERCENT,
# QUANTITY, ORDINAL, CARDINAL) are dropped.
SPACY_TO_CONLL = {
    "PERSON": "PER",
    "PER": "PER",
    "ORG": "ORG",
    "GPE": "LOC",
    "LOC": "LOC",
    "FAC": "LOC",
    "NORP": "MISC",
    "EVENT": "MISC",
    "PRODUCT": "MISC",
    "WORK_OF_ART": "MISC",
    "LAW": "MISC",
    "LANGUAGE": "MISC",
    "MISC": "MISC",
}

TOP_MISSED_CUES = 10

# A span as a tuple of (start, end) pieces; most spans have one piece.
Pieces = tuple[tuple[int, int], ...]


# --- scores -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Score:
    """Counts behind precision and recall.

    `pred_hits` of `pred` predicted items are right; `gold_hits` of `gold` gold items were found.
    For one-to-one measures the two hit counts are equal; for overlap matching they may differ.
    """

    pred_hits: int = 0
    pred: int = 0
    gold_hits: int = 0
    gold: int = 0

    def __add__(self, other: Score) -> Score:
        return Score(
            self.pred_hits + other.pred_hits,
            self.pred + other.pred,
            self.gold_hits + other.gold_hits,
            self.gold + other.gold,
        )

    @property
    def precision(self) -> float:
        return self.pred_hits / self.pred if self.pred else 0.0

    @property
    def recall(self) -> float:
        return self.gold_hits / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def _one_to_one(hits: int, pred: int, gold: int) -> Score:
    return Score(hits, pred, hits, gold)


def _overlaps(a: Pieces, b: Pieces) -> bool:
    return any(s1 < e2 and s2 < e1 for s1, e1 in a for s2, e2 in b)


def match_score(pred: Iterable[Pieces], gold: Iterable[Pieces]) -> Score:
    """Overlap matching: predicted spans overlapping some gold span, gold spans overlapped."""
    p, g = sorted(set(pred)), sorted(set(gold))
    pred_hits = sum(1 for x in p if any(_overlaps(x, y) for y in g))
    gold_hits = sum(1 for y in g if any(_overlaps(x, y) for x in p))
    return Score(pred_hits, len(p), gold_hits, len(g))


def _covered(spans: Iterable[Pieces], text: str) -> set[int]:
    chars: set[int] = set()
    for pieces in spans:
        for start, end in pieces:
            chars.update(i for i in range(max(start, 0), min(end, len(text))))
    return {i for i in chars if not text[i].isspace()}


def chars_score(pred: Iterable[Pieces], gold: Iterable[Pieces], text: str) -> Score:
    """Non-space characters under the union of predicted spans vs the union of gold spans."""
    p, g = _covered(pred, text), _covered(gold, text)
    return _one_to_one(len(p & g), len(p), len(g))


def _is_trimmable(ch: str) -> bool:
    return ch.isspace() or unicodedata.category(ch).startswith("P")


def trim(pieces: Pieces, text: str) -> tuple[int, int] | None:
    """The outer extent of `pieces` without whitespace and punctuation at either end.

    None when nothing is left.
    """
    if not pieces:
        return None
    start = max(min(s for s, _ in pieces), 0)
    end = min(max(e for _, e in pieces), len(text))
    while start < end and _is_trimmable(text[start]):
        start += 1
    while end > start and _is_trimmable(text[end - 1]):
        end -= 1
    return (start, end) if start < end else None


def exact_score(pred: Iterable[Pieces], gold: Iterable[Pieces], text: str) -> Score:
    """Spans equal after trimming, matched one-to-one."""
    p = {t for t in (trim(x, text) for x in set(pred)) if t is not None}
    g = {t for t in (trim(y, text) for y in set(gold)) if t is not None}
    return _one_to_one(len(p & g), len(p), len(g))


# --- entity scores ----------------------------------------------------------------------------


@dataclass(frozen=True)
class EntitySpan:
    """A mention as CoNLL scores it: character offsets and a type in PER/ORG/LOC/MISC."""

    start: int
    end: int
    type: str


@dataclass(frozen=True)
class EntityScores:
    typed: Score
    untyped: Score
    by_type: tuple[tuple[str, Score], ...]


def entity_scores(pred: Iterable[EntitySpan], gold: Iterable[EntitySpan]) -> EntityScores:
    """CoNLL's measure (exact span and type), exact span ignoring type, and typed per type."""
    p, g = set(pred), set(gold)
    typed = _one_to_one(len(p & g), len(p), len(g))
    pu = {(m.start, m.end) for m in p}
    gu = {(m.start, m.end) for m in g}
    untyped = _one_to_one(len(pu & gu), len(pu), len(gu))
    by_type = []
    for t in ENTITY_TYPES:
        pt = {m for m in p if m.type == t}
        gt = {m for m in g if m.type == t}
        by_type.append((t, _one_to_one(len(pt & gt), len(pt), len(gt))))
    return EntityScores(typed, untyped, tuple(by_type))


def _sum_entity_scores(items: Iterable[EntityScores]) -> EntityScores:
    typed, untyped = Score(), Score()
    per = dict.fromkeys(ENTITY_TYPES, Score())
    for s in items:
        typed += s.typed
        untyped += s.untyped
        for t, score in s.by_type:
            per[t] += score
    return EntityScores(typed, untyped, tuple(per.items()))


# --- BRAT gold --------------------------------------------------------------------------------


@dataclass(frozen=True)
class GoldAttribution:
    """One gold attribution: its roles as pieces (None / empty when the role is absent)."""

    id: str
    source: Pieces | None
    cue: Pieces | None
    content: tuple[Pieces, ...]


@dataclass(frozen=True)
class BratDocument:
    name: str
    text_path: str
    ann_path: str
    text: str
    attributions: tuple[GoldAttribution, ...]


_ANN_LINE = re.compile(r"^([TERAMN#*])(\S*)\t")
_OFFSETS = re.compile(r"^\d+ \d+(;\d+ \d+)*$")


def _ann_error(path: Path, lineno: int, reason: str) -> InputError:
    return InputError(f"{path}:{lineno}", reason)


# Complexity over the limit, kept: one branch per BRAT line kind and its error.
def parse_ann(text: str, path: Path, doc_text: str | None = None) -> tuple[GoldAttribution, ...]:  # noqa: C901
    """Parse one BRAT `.ann` file's content into attributions, in E-line order.

    `doc_text`, when given, bounds the offsets. Raises InputError naming the file and line on a
    malformed line, an offset outside the text or an E line pointing at an unknown T id.
    """
    spans: dict[str, Pieces] = {}
    events: list[tuple[int, str, list[tuple[str, str]]]] = []
    continuation = 0  # characters still expected from a T line whose text holds newlines
    for lineno, raw in enumerate(text.split("\n"), start=1):
        line = raw.rstrip("\r")
        m = _ANN_LINE.match(line)
        if m is None:
            if continuation > 0:
                continuation -= len(line) + 1
                continue
            if not line.strip():
                continue
            raise _ann_error(path, lineno, f"malformed line (not BRAT stand-off): {line[:60]!r}")
        continuation = 0
        kind, ident = m.group(1), m.group(1) + m.group(2)
        fields = line.split("\t")
        if kind == "T":
            if len(fields) < 2 or " " not in fields[1]:
                raise _ann_error(path, lineno, f"malformed T line: {line[:60]!r}")
            _type, offsets = fields[1].split(" ", 1)
            if not _OFFSETS.match(offsets):
                raise _ann_error(path, lineno, f"malformed offsets {offsets!r} in T line")
            pieces = tuple(
                (int(s), int(e)) for s, e in (piece.split(" ") for piece in offsets.split(";"))
            )
            for s, e in pieces:
                if s > e or (doc_text is not None and e > len(doc_text)):
                    raise _ann_error(path, lineno, f"offsets {s} {e} outside the text or reversed")
            spans[ident] = pieces
            expected = sum(e - s for s, e in pieces) + len(pieces) - 1
            shown = len(fields[2]) if len(fields) > 2 else 0
            continuation = expected - shown
        elif kind == "E":
            if len(fields) < 2 or not fields[1].strip():
                raise _ann_error(path, lineno, f"malformed E line: {line[:60]!r}")
            args: list[tuple[str, str]] = []
            for item in fields[1].split():
                role, sep, ref = item.partition(":")
                if not sep or not ref:
                    raise _ann_error(path, lineno, f"malformed E argument {item!r}")
                args.append((role, ref))
            events.append((lineno, ident, args))
        # A, R, M, N, # and * lines carry nothing the scores use.
    out: list[GoldAttribution] = []
    seen: set[tuple[Pieces | None, Pieces | None, tuple[Pieces, ...]]] = set()
    for lineno, ident, args in events:
        source: Pieces | None = None
        cue: Pieces | None = None
        content: list[Pieces] = []
        for ref in (ref for _, ref in args):
            if ref not in spans:
                raise _ann_error(path, lineno, f"{ident} refers to {ref}, which no T line defines")
        trigger = spans[args[0][1]]
        for role, ref in args[1:]:
            if role == "Source":
                source = spans[ref]
            elif role == "Cue":
                cue = spans[ref]
            elif role == "Content":
                content.append(spans[ref])
            else:
                log.debug("%s:%d: ignoring role %s", path, lineno, role)
        if source is None and cue is None and not content:
            continue  # a bare trigger with no roles: an annotation leftover
        if cue is None:
            cue = trigger
        key = (source, cue, tuple(content))
        if key in seen:
            continue
        seen.add(key)
        out.append(GoldAttribution(ident, source, cue, tuple(content)))
    return tuple(out)


def _article_name(ann: Path) -> str:
    stem = ann.stem
    return stem.rsplit("_", 1)[0] if "_" in stem else stem


def _read_text(path: Path) -> str:
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            return fh.read()
    except UnicodeDecodeError as exc:
        raise InputError(str(path), f"not UTF-8 text ({exc.reason})") from exc
    except OSError as exc:
        raise InputError(str(path), f"cannot read ({exc.strerror})") from exc


def brat_files(folder: Path) -> list[tuple[str, Path, Path]]:
    """(article, text path, chosen .ann path) per article, sorted by article name."""
    ann_dir, text_dir = folder / "attributions", folder / "text"
    if not ann_dir.is_dir() or not text_dir.is_dir():
        raise ConfigError(
            f"{folder}: not a BRAT gold folder; expected subfolders attributions/ and text/"
        )
    chosen: dict[str, Path] = {}
    for ann in sorted(ann_dir.glob("*.ann")):
        chosen.setdefault(_article_name(ann), ann)
    if not chosen:
        raise ConfigError(f"{ann_dir}: no .ann files; point the command at a PolNeAR split")
    out = []
    for name in sorted(chosen):
        text_path = text_dir / f"{name}.txt"
        if not text_path.is_file():
            raise InputError(str(chosen[name]), f"no matching text file {text_path}")
        out.append((name, text_path, chosen[name]))
    return out


def load_brat(
    folder: Path, *, limit: int | None = None, stride: int = 1
) -> tuple[BratDocument, ...]:
    """Read a BRAT gold folder: every `stride`-th article sorted by name, at most `limit`."""
    files = brat_files(folder)[:: max(stride, 1)]
    if limit is not None:
        files = files[:limit]
    docs = []
    for name, text_path, ann_path in files:
        text = _read_text(text_path)
        attributions = parse_ann(_read_text(ann_path), ann_path, text)
        docs.append(BratDocument(name, str(text_path), str(ann_path), text, attributions))
    return tuple(docs)


# --- CoNLL gold -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ConllDocument:
    name: str
    text: str
    tokens: tuple[tuple[int, int], ...]
    mentions: tuple[EntitySpan, ...]


def _conll_mentions(
    tags: Sequence[str], offsets: Sequence[tuple[int, int]], path: str, linenos: Sequence[int]
) -> list[EntitySpan]:
    """Mentions from one sentence's BIO tags; IOB1 (I- may begin) and IOB2 alike."""
    out: list[EntitySpan] = []
    current: tuple[int, int, str] | None = None
    for tag, (start, end), lineno in zip(tags, offsets, linenos, strict=True):
        if tag == "O":
            prefix, etype = "O", ""
        else:
            prefix, sep, etype = tag.partition("-")
            if prefix not in ("B", "I") or not sep or not etype:
                raise InputError(f"{path}:{lineno}", f"malformed NER tag {tag!r}")
        if current is not None and (prefix != "I" or etype != current[2]):
            out.append(EntitySpan(*current))
            current = None
        if prefix == "O":
            continue
        if current is None:
            current = (start, end, etype)
        else:
            current = (current[0], end, etype)
    if current is not None:
        out.append(EntitySpan(*current))
    return out


def parse_conll(text: str, path: str = "<conll>") -> tuple[ConllDocument, ...]:
    """Split CoNLL-2003 text into documents with rebuilt text, token offsets and gold mentions."""
    docs: list[ConllDocument] = []
    sentences: list[list[tuple[str, str, int]]] = []
    sentence: list[tuple[str, str, int]] = []

    def flush_sentence() -> None:
        nonlocal sentence
        if sentence:
            sentences.append(sentence)
            sentence = []

    def flush_doc() -> None:
        nonlocal sentences
        flush_sentence()
        if not sentences:
            return
        parts: list[str] = []
        tokens: list[tuple[int, int]] = []
        mentions: list[EntitySpan] = []
        pos = 0
        for k, sent in enumerate(sentences):
            if k:
                parts.append("\n")
                pos += 1
            offsets = []
            for j, (tok, _, _) in enumerate(sent):
                if j:
                    parts.append(" ")
                    pos += 1
                parts.append(tok)
                offsets.append((pos, pos + len(tok)))
                pos += len(tok)
            tokens.extend(offsets)
            mentions.extend(
                _conll_mentions([t for _, t, _ in sent], offsets, path, [n for _, _, n in sent])
            )
        docs.append(
            ConllDocument(
                f"doc-{len(docs) + 1:04d}", "".join(parts), tuple(tokens), tuple(mentions)
            )
        )
        sentences = []

    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            flush_sentence()
            continue
        fields = line.split()
        if fields[0] == "-DOCSTART-":
            flush_doc()
            continue
        if len(fields) < 2:
            raise InputError(f"{path}:{lineno}", "malformed line: expected 'token POS chunk NER'")
        sentence.append((fields[0], fields[-1], lineno))
    flush_doc()
    return tuple(docs)


def load_conll(
    path: Path, *, limit: int | None = None, stride: int = 1
) -> tuple[ConllDocument, ...]:
    """Read a CoNLL-2003 file: every `stride`-th document, at most `limit`."""
    docs = parse_conll(_read_text(path), str(path))
    if not docs:
        raise InputError(str(path), "no documents; expected CoNLL-2003 lines 'token POS chunk NER'")
    docs = docs[:: max(stride, 1)]
    return docs[:limit] if limit is not None else docs


# --- drivers ----------------------------------------------------------------------------------


class ExtractorLike(Protocol):
    def extract(self, articles: Iterable[Article]) -> Iterator[Extraction]: ...


@dataclass(frozen=True)
class RoleScores:
    role: str
    match: Score
    chars: Score
    exact: Score


@dataclass(frozen=True)
class KindRow:
    """Predicted attributions of one kind and how many have a right source / cue."""

    kind: str
    count: int
    source_hits: int
    cue_hits: int

    @property
    def source_precision(self) -> float:
        return self.source_hits / self.count if self.count else 0.0


@dataclass(frozen=True)
class Missed:
    """Gold attributions not found, with their most common cues (lowercased)."""

    gold: int
    missed: int
    top_cues: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class AttributionReport:
    gold_attributions: int
    predicted_attributions: int
    roles: tuple[RoleScores, ...]
    kinds: tuple[KindRow, ...]
    missed: Missed

    def role(self, name: str) -> RoleScores:
        for r in self.roles:
            if r.role == name:
                return r
        raise KeyError(name)


@dataclass(frozen=True)
class EntityReport:
    gold_mentions: int
    ours: EntityScores
    baseline: EntityScores | None


@dataclass(frozen=True)
class EvalReport:
    kind: str  # "brat" or "conll"
    gold: str
    model: str | None
    documents: int
    elapsed_seconds: float
    attributions: AttributionReport | None = None
    entities: EntityReport | None = None


def _pieces(span: Span) -> Pieces:
    return ((span.start, span.end),)


def _cue_words(pieces: Pieces, text: str) -> str:
    return " ".join(" ".join(text[s:e] for s, e in pieces).lower().split())


def score_attributions(
    pairs: Iterable[tuple[BratDocument, Extraction]],
) -> AttributionReport:
    """Score predicted attributions against gold, document by document, micro-averaged."""
    totals = {(r, m): Score() for r in ROLES for m in MEASURES}
    kinds: dict[str, list[int]] = {}
    missed_cues: Counter[str] = Counter()
    n_gold = n_pred = n_missed = 0
    for doc, extraction in pairs:
        text = doc.text
        gold: dict[str, list[Pieces]] = {
            "source": [a.source for a in doc.attributions if a.source is not None],
            "cue": [a.cue for a in doc.attributions if a.cue is not None],
            "content": [c for a in doc.attributions for c in a.content],
        }
        preds = extraction.attributions
        pred: dict[str, list[Pieces]] = {
            # An implicit source (an empty span) is no source span, as in the gold.
            "source": [_pieces(a.source) for a in preds if not a.implicit],
            "cue": [_pieces(a.cue) for a in preds],
            "content": [_pieces(a.content) for a in preds if a.content is not None],
        }
        for role in ROLES:
            totals[role, "match"] += match_score(pred[role], gold[role])
            totals[role, "chars"] += chars_score(pred[role], gold[role], text)
            totals[role, "exact"] += exact_score(pred[role], gold[role], text)
        for a in preds:
            row = kinds.setdefault(a.kind, [0, 0, 0])
            row[0] += 1
            row[1] += not a.implicit and any(
                _overlaps(_pieces(a.source), g) for g in gold["source"]
            )
            row[2] += any(_overlaps(_pieces(a.cue), g) for g in gold["cue"])
        for g in doc.attributions:
            if g.source is not None:
                found = any(_overlaps(p, g.source) for p in pred["source"])
            else:
                found = g.cue is not None and any(_overlaps(p, g.cue) for p in pred["cue"])
            if not found:
                n_missed += 1
                if g.cue is not None:
                    missed_cues[_cue_words(g.cue, text)] += 1
        n_gold += len(doc.attributions)
        n_pred += len(preds)
    roles = tuple(
        RoleScores(r, totals[r, "match"], totals[r, "chars"], totals[r, "exact"]) for r in ROLES
    )
    kind_rows = tuple(KindRow(k, *v) for k, v in sorted(kinds.items()))
    top = sorted(missed_cues.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_MISSED_CUES]
    return AttributionReport(n_gold, n_pred, roles, kind_rows, Missed(n_gold, n_missed, tuple(top)))


@dataclass(frozen=True)
class OutermostOnly:
    """PolNeAR annotates only the outermost of nested attributions, so the nested ones the
    extractor also reports (an "I think" inside a quote, "X said" inside another's content; the
    graph keeps them, with `via`) are left out of what is scored."""

    extractor: ExtractorLike

    def extract(self, articles: Iterable[Article]) -> Iterator[Extraction]:
        from kg.extract import outermost

        for ex in self.extractor.extract(articles):
            kept = outermost(ex.attributions, ex.article.text)
            yield replace(ex, attributions=tuple(kept))


def evaluate_brat(docs: Sequence[BratDocument], extractor: ExtractorLike) -> AttributionReport:
    """Run `extractor` over the gold texts and score its attributions."""
    articles = [Article(path=d.text_path, text=d.text) for d in docs]
    extractions = list(extractor.extract(articles))
    if len(extractions) != len(docs):
        raise ConfigError(
            f"extractor returned {len(extractions)} extractions for {len(docs)} articles"
        )
    return score_attributions(zip(docs, extractions, strict=True))


def _ours(extraction: Extraction) -> list[EntitySpan]:
    return [
        EntitySpan(m.span.start, m.span.end, MENTION_TO_CONLL[m.type])
        for m in extraction.mentions
        if m.type in MENTION_TO_CONLL
    ]


def spacy_entities(
    nlp: Language, texts: Sequence[str], batch_size: int = 64
) -> list[list[EntitySpan]]:
    """The raw model's `doc.ents` mapped to CoNLL types (numeric and time labels dropped)."""
    out = []
    for doc in nlp.pipe(texts, batch_size=batch_size):
        out.append(
            [
                EntitySpan(e.start_char, e.end_char, SPACY_TO_CONLL[e.label_])
                for e in doc.ents
                if e.label_ in SPACY_TO_CONLL
            ]
        )
    return out


def evaluate_conll(
    docs: Sequence[ConllDocument],
    extractor: ExtractorLike | None = None,
    nlp: Language | None = None,
    *,
    model: str | None = None,
    workers: int = 1,
) -> EntityReport:
    """Score the extractor's mentions, and the raw model's entities when `nlp` is given.

    Without an `extractor`, the real one is built with `nationalities=True`: CoNLL-2003 tags
    bare nationalities and demonyms ("German", "Iraqi") as MISC, and the spaCy baseline scores
    its NORP entities as MISC, so leaving them out (as the graph does, where "Russian" is not a
    thing an article mentions) would measure a difference of scheme, not of quality.
    """
    if extractor is None:
        from kg.extract import Extractor

        extractor = Extractor(model, workers=workers, nationalities=True)
    articles = [Article(path=d.name, text=d.text) for d in docs]
    extractions = list(extractor.extract(articles))
    if len(extractions) != len(docs):
        raise ConfigError(
            f"extractor returned {len(extractions)} extractions for {len(docs)} documents"
        )
    ours = _sum_entity_scores(
        entity_scores(_ours(x), d.mentions) for d, x in zip(docs, extractions, strict=True)
    )
    baseline = None
    if nlp is not None:
        predicted = spacy_entities(nlp, [d.text for d in docs])
        baseline = _sum_entity_scores(
            entity_scores(p, d.mentions) for d, p in zip(docs, predicted, strict=True)
        )
    return EntityReport(sum(len(d.mentions) for d in docs), ours, baseline)


def detect_kind(gold: Path) -> Literal["brat", "conll"]:
    """`brat` for a folder with attributions/ and text/, `conll` for a file with -DOCSTART-."""
    if gold.is_dir():
        if (gold / "attributions").is_dir() and (gold / "text").is_dir():
            return "brat"
        raise ConfigError(
            f"{gold}: folder has no attributions/ and text/ subfolders; pass a PolNeAR split"
        )
    if gold.is_file():
        with gold.open(encoding="utf-8", errors="replace") as fh:
            head = fh.read(65536)
        if "-DOCSTART-" in head:
            return "conll"
        raise ConfigError(f"{gold}: not a CoNLL-2003 file (no -DOCSTART-); pass --kind")
    raise ConfigError(f"{gold}: no such file or folder")


def run_eval(
    gold: Path,
    *,
    kind: EvalKind = "auto",
    model: str | None = None,
    workers: int = 1,
    limit: int | None = None,
    stride: int = 1,
    extractor: ExtractorLike | None = None,
    nlp_loader: Callable[[str | None], Language] | None = None,
) -> EvalReport:
    """Evaluate the extractor on a gold split.

    `stride` keeps every k-th document (sorted by name) before `limit` applies. `extractor` and
    `nlp_loader` replace the real `kg.extract.Extractor` / `load_nlp` (tests, reuse of a loaded
    model); for CoNLL gold the baseline is the raw model loaded by `nlp_loader`.

    Example: `run_eval(Path("corpora/polnear/dev"))`.
    """
    gold = Path(gold)
    if kind not in ("auto", "brat", "conll"):
        raise ConfigError(f"unknown gold kind {kind!r}; use auto, brat or conll")
    if limit is not None and limit < 1:
        raise ConfigError(f"limit must be at least 1, not {limit}")
    if stride < 1:
        raise ConfigError(f"stride must be at least 1, not {stride}")
    if not gold.exists():
        raise ConfigError(f"{gold}: no such file or folder")
    resolved = detect_kind(gold) if kind == "auto" else kind
    started = time.perf_counter()
    if resolved == "brat":
        if extractor is None:
            from kg.extract import Extractor

            extractor = OutermostOnly(Extractor(model, workers=workers))
        bdocs = load_brat(gold, limit=limit, stride=stride)
        log.info("scoring attributions on %d articles from %s", len(bdocs), gold)
        attributions = evaluate_brat(bdocs, extractor)
        return EvalReport(
            "brat", str(gold), model, len(bdocs), time.perf_counter() - started, attributions
        )
    if gold.is_dir():
        raise ConfigError(f"{gold}: CoNLL gold must be a file, not a folder")
    cdocs = load_conll(gold, limit=limit, stride=stride)
    if nlp_loader is None:
        from kg.extract import load_nlp

        nlp_loader = load_nlp
    log.info("scoring entity mentions on %d documents from %s", len(cdocs), gold)
    nlp = nlp_loader(model)
    packaged = getattr(nlp, "meta", {}).get("pipeline") or []
    extra = [name for name in getattr(nlp, "pipe_names", []) if name not in packaged]
    if packaged and extra:
        log.warning("baseline model carries added components %s: it is not the raw model", extra)
    # evaluate_conll builds its own extractor (with nationalities) unless one was passed in.
    entities = evaluate_conll(cdocs, extractor, nlp, model=model, workers=workers)
    return EvalReport(
        "conll", str(gold), model, len(cdocs), time.perf_counter() - started, entities=entities
    )


# --- output -----------------------------------------------------------------------------------


def _prf(score: Score) -> dict[str, Any]:
    return {
        "precision": round(score.precision, 4),
        "recall": round(score.recall, 4),
        "f1": round(score.f1, 4),
        "pred_hits": score.pred_hits,
        "pred": score.pred,
        "gold_hits": score.gold_hits,
        "gold": score.gold,
    }


def _entity_dict(s: EntityScores) -> dict[str, Any]:
    return {
        "typed": _prf(s.typed),
        "untyped": _prf(s.untyped),
        "by_type": {t: _prf(score) for t, score in s.by_type},
    }


def report_to_dict(report: EvalReport) -> dict[str, Any]:
    """The report as plain JSON-ready data, keys in a fixed order."""
    out: dict[str, Any] = {
        "kind": report.kind,
        "gold": report.gold,
        "model": report.model,
        "documents": report.documents,
        "elapsed_seconds": round(report.elapsed_seconds, 2),
    }
    a = report.attributions
    if a is not None:
        out["attributions"] = {
            "gold": a.gold_attributions,
            "predicted": a.predicted_attributions,
            "roles": {
                r.role: {"match": _prf(r.match), "chars": _prf(r.chars), "exact": _prf(r.exact)}
                for r in a.roles
            },
            "kinds": {
                k.kind: {
                    "count": k.count,
                    "source_hits": k.source_hits,
                    "source_precision": round(k.source_precision, 4),
                    "cue_hits": k.cue_hits,
                }
                for k in a.kinds
            },
            "missed": {
                "gold": a.missed.gold,
                "missed": a.missed.missed,
                "top_cues": [[cue, n] for cue, n in a.missed.top_cues],
            },
        }
    e = report.entities
    if e is not None:
        ents: dict[str, Any] = {"gold": e.gold_mentions, "ours": _entity_dict(e.ours)}
        if e.baseline is not None:
            ents["baseline"] = _entity_dict(e.baseline)
            ents["delta"] = {
                "typed_f1": round(e.ours.typed.f1 - e.baseline.typed.f1, 4),
                "untyped_f1": round(e.ours.untyped.f1 - e.baseline.untyped.f1, 4),
            }
        out["entities"] = ents
    return out


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    """Left-align the first column, right-align the others."""
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]

    def fmt(row: Sequence[str]) -> str:
        cells = [
            str(c).ljust(w) if i == 0 else str(c).rjust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        ]
        return "  ".join(cells).rstrip()

    return [fmt(header), fmt(["-" * w for w in widths]), *(fmt(r) for r in rows)]


def _f(x: float) -> str:
    return f"{x:.3f}"


def _d(x: float) -> str:
    return f"{x:+.3f}"


def format_report(report: EvalReport, as_json: bool = False) -> str:
    """Aligned plain-text tables, or JSON with a fixed key order."""
    if as_json:
        return json.dumps(report_to_dict(report), indent=2, ensure_ascii=False)
    lines = [
        f"gold: {report.gold} ({report.kind}, {report.documents} documents, "
        f"{report.elapsed_seconds:.1f} s)"
    ]
    a = report.attributions
    if a is not None:
        lines.append(
            f"attributions: {a.gold_attributions} gold, {a.predicted_attributions} predicted"
        )
        lines.append("")
        rows = []
        for r in a.roles:
            for m in MEASURES:
                s: Score = getattr(r, m)
                rows.append([r.role, m, _f(s.precision), _f(s.recall), _f(s.f1)])
        lines += _table(["role", "measure", "P", "R", "F1"], rows)
        lines.append("")
        kind_rows = [
            [k.kind, str(k.count), str(k.source_hits), _f(k.source_precision), str(k.cue_hits)]
            for k in a.kinds
        ]
        lines += _table(["kind", "count", "source ok", "source P", "cue ok"], kind_rows)
        lines.append("")
        lines.append(f"missed: {a.missed.missed} of {a.missed.gold} gold attributions")
        if a.missed.top_cues:
            lines += _table(["missed cue", "count"], [[c, str(n)] for c, n in a.missed.top_cues])
    e = report.entities
    if e is not None:
        lines.append(f"entity mentions: {e.gold_mentions} gold")
        lines.append("")
        b = e.baseline
        rows = []
        for label, ours, base in [
            ("typed", e.ours.typed, b.typed if b else None),
            ("untyped", e.ours.untyped, b.untyped if b else None),
            *[(t, s, dict(b.by_type)[t] if b else None) for t, s in e.ours.by_type],
        ]:
            row = [label, _f(ours.precision), _f(ours.recall), _f(ours.f1)]
            if base is not None:
                row += [_f(base.precision), _f(base.recall), _f(base.f1), _d(ours.f1 - base.f1)]
            rows.append(row)
        header = ["measure", "P", "R", "F1"]
        if b is not None:
            header += ["base P", "base R", "base F1", "delta F1"]
        lines += _table(header, rows)
    return "\n".join(lines) + "\n"
