"""Entity-level evaluation of citations: who does each article cite? (`kg eval --citations`)

The gold is one JSON object per article (`../shared/gold/citations-dev.jsonl` and its README):
`{"key" | "file", "lang", "sources": [{"name", "type", "forms", ...}], ...}`. The predictions
are `kg extract` records (`"path"`, `"attributions": [{"source": {"id", "text"}, "kind",
"confidence"}]`). The scoring is the gold README's, and agrees figure for figure with its
reference scorer (`score_citations.py`):

* An article's predicted sources are the distinct source ids of its textual attributions
  (hyperlink attributions, implicit and unresolved sources make no edge to a named source and
  are left out, and so are article sources: "article:…" ids) whose confidence reaches
  `min_confidence` - the attributions `kg build` turns into graph edges at that setting.
* A predicted source matches a gold source of the same article when the slug of its id's name
  (or of one of its source texts) equals the slug of the gold name or one of its forms; slugs
  drop case, accents, punctuation, a leading article, a possessive, leading titles and
  generational suffixes. A gold person's bare surname matches too, when no other gold person of
  the article shares it.
* edge precision = matched predicted sources / predicted sources; edge recall = gold sources
  matched / gold sources; a *split* is a gold source matched by two or more predicted ids of one
  article (split rate = splits / matched gold sources); a *merge* is one predicted id matching
  two or more gold sources; type accuracy = matched predicted sources whose type agrees with the
  type of the first gold source they match (`TYPE_OK`).

Gold articles join predictions by path: the gold's `file` (else `html/<key>.html.gz`) must be a
suffix of a record's `path`. Scoring functions take plain records, never the extractor, so they
run without spaCy; `run_citation_eval` wires the real pipeline.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.errors import ConfigError

# Leading words dropped from a name before comparing (titles and honorifics), and trailing
# generational suffixes: the gold README's normalisation, spelled as its reference scorer does.
TITLES = frozenset(
    """
    mr mrs ms dr prof president sir lord lady gen general sen senator rep gov governor minister
    prime judge justice chief executive ceo mayor king queen prince princess st superintendent
    secretary attorney detective officer captain coach
    """.split()
)
SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
ARTICLE_WORDS = ("the", "a", "an")

# Predicted node types accepted for each gold type: an organisation cited as a source may be a
# news organisation and the other way round; a document speaks for the body that issued it.
TYPE_OK: Mapping[str, frozenset[str]] = {
    "person": frozenset({"person"}),
    "organization": frozenset({"organization", "outlet"}),
    "outlet": frozenset({"outlet", "organization"}),
    "document": frozenset({"organization", "other", "outlet"}),
    "other": frozenset({"other", "organization", "place"}),
}

# Lower bounds of the confidence bands precision is reported by.
BANDS = (0.0, 0.5, 0.6, 0.7, 0.8, 0.9)

# How many characters of a sentence `--show` prints.
SHOW_CHARS = 220


def slug(text: str) -> str:
    """The comparison key of a name: "the Kremlin's" → "kremlin", "Mr. Tim Cook Jr." →
    "tim-cook", "Société Générale" → "societe-generale"."""
    t = unicodedata.normalize("NFKD", text.replace("’", "'")).encode("ascii", "ignore").decode()
    t = re.sub(r"'s\b", "", t.lower())
    words = re.findall(r"[a-z0-9]+", t)
    while len(words) > 1 and words[-1] in SUFFIXES:
        words = words[:-1]
    while words and words[0] in ARTICLE_WORDS:
        words = words[1:]
    while len(words) > 1 and words[0] in TITLES:
        words = words[1:]
    return "-".join(words)


# --- gold ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GoldSource:
    name: str
    type: str
    forms: tuple[str, ...] = ()

    @property
    def surname(self) -> str | None:
        """A person's last name word (after normalisation), None for other types."""
        parts = slug(self.name).split("-")
        return parts[-1] if self.type == "person" and len(parts) > 1 else None


@dataclass(frozen=True)
class GoldArticle:
    file: str  # path relative to the corpus root, e.g. "html/<key>.html.gz"
    lang: str
    sources: tuple[GoldSource, ...]


def parse_gold(lines: Iterable[str], where: str = "<gold>") -> tuple[GoldArticle, ...]:
    """Gold articles from JSON Lines text; a malformed line is an error naming it."""
    out = []
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ConfigError(
                f"{where}:{n}: not JSON ({exc.msg}); expected one article a line"
            ) from exc
        if not isinstance(rec, dict):
            raise ConfigError(f"{where}:{n}: expected a JSON object, not {type(rec).__name__}")
        file = rec.get("file") or (f"html/{rec['key']}.html.gz" if rec.get("key") else None)
        if not isinstance(file, str):
            raise ConfigError(f"{where}:{n}: an article needs a \"file\" or a \"key\"")
        sources = []
        for s in rec.get("sources") or []:
            if not isinstance(s, dict) or not isinstance(s.get("name"), str):
                raise ConfigError(f"{where}:{n}: every source needs a \"name\"")
            forms = tuple(f for f in s.get("forms") or () if isinstance(f, str))
            sources.append(GoldSource(s["name"], str(s.get("type") or ""), forms))
        out.append(GoldArticle(file, str(rec.get("lang") or "en"), tuple(sources)))
    return tuple(out)


def load_gold(path: Path) -> tuple[GoldArticle, ...]:
    if not path.is_file():
        raise ConfigError(f"{path}: no such gold file (expected JSON Lines, one article a line)")
    with path.open(encoding="utf-8") as fh:
        return parse_gold(fh, str(path))


def _gold_keys(source: GoldSource, unique_surnames: set[str]) -> set[str]:
    keys = {slug(source.name)} | {slug(f) for f in source.forms}
    if source.surname in unique_surnames:
        keys.add(source.surname)
    keys.discard("")
    return keys


# --- predictions ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Evidence:
    """One attribution behind a predicted source: what the text said and where."""

    source_text: str
    confidence: float
    sentence: str


@dataclass(frozen=True)
class PredictedSource:
    id: str
    evidence: tuple[Evidence, ...]

    @property
    def type(self) -> str:
        return self.id.partition(":")[0]

    @property
    def name(self) -> str:
        return self.id.partition(":")[2]

    @property
    def confidence(self) -> float:
        """The best of its attributions: the source is an edge when any one of them is."""
        return max(e.confidence for e in self.evidence)

    @property
    def texts(self) -> set[str]:
        return {e.source_text for e in self.evidence}


_SENTENCE_END = re.compile(r"[.!?][\"”’')\]]*\s|\n")


def sentence_around(text: str, start: int, end: int) -> str:
    """The sentence (roughly: up to the previous and next full stop or line break) holding
    text[start:end], whitespace collapsed; for display only."""
    if not text or start < 0:
        return ""
    begin = 0
    for m in _SENTENCE_END.finditer(text, max(0, start - 600), start):
        begin = m.end()
    after = _SENTENCE_END.search(text, max(end, start), end + 600)
    stop = after.end() if after else min(len(text), end + 600)
    return " ".join(text[begin:stop].split())


def _int(value: Any, default: int) -> int:
    return value if isinstance(value, int) else default


def predicted_sources(
    record: Mapping[str, Any], min_confidence: float = 0.0
) -> list[PredictedSource]:
    """The distinct named sources of one `kg extract` record that are edges at
    `min_confidence`, in order of first appearance."""
    text = record.get("text") or ""
    found: dict[str, list[Evidence]] = {}
    for a in record.get("attributions") or ():
        if a.get("kind") == "hyperlink":
            continue
        src = a.get("source") or {}
        sid = src.get("id")
        if not sid or sid.startswith("article:"):
            continue
        confidence = float(a.get("confidence") or 0.0)
        if confidence < min_confidence:
            continue
        cue = a.get("cue") or {}
        start = _int(src.get("start"), _int(cue.get("start"), -1))
        stop = _int(cue.get("end"), _int(src.get("end"), start))
        found.setdefault(sid, []).append(
            Evidence(src.get("text") or "", confidence, sentence_around(text, start, stop))
        )
    return [PredictedSource(sid, tuple(ev)) for sid, ev in found.items()]


def _record_path(record: Mapping[str, Any]) -> str | None:
    for k in ("path", "file", "key", "id"):
        v = record.get(k)
        if isinstance(v, str) and v:
            return v
    return None


def _join(records: Iterable[Mapping[str, Any]]) -> dict[str, Mapping[str, Any]]:
    """Records by their path with "/" separators and a leading "/", for suffix matching."""
    out: dict[str, Mapping[str, Any]] = {}
    for r in records:
        path = _record_path(r)
        if path:
            out.setdefault("/" + path.replace("\\", "/").lstrip("/"), r)
    return out


def _find(by_path: Mapping[str, Mapping[str, Any]], gold_file: str) -> Mapping[str, Any] | None:
    suffix = "/" + gold_file.replace("\\", "/").lstrip("/")
    for path in sorted(by_path):
        if path.endswith(suffix):
            return by_path[path]
    return None


# --- scoring --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One error `--show` lists: a false positive ("FP"), a missed gold source ("FN"), a gold
    source split over several ids ("SPLIT") or one id holding several gold sources ("MERGE")."""

    kind: str
    article: str
    name: str
    detail: str
    sentence: str = ""


@dataclass(frozen=True)
class Band:
    low: float
    high: float
    predicted: int
    correct: int

    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else 0.0


@dataclass(frozen=True)
class CitationReport:
    gold_path: str
    articles: int
    articles_missing: int
    min_confidence: float
    predicted: int
    predicted_ok: int
    gold: int
    gold_ok: int
    splits: int
    merges: int
    type_ok: int
    bands: tuple[Band, ...]
    problems: tuple[Problem, ...] = field(default=())
    # Hyperlinks in the scored articles that are citations (not the page's own site, its
    # homepage, navigation, share buttons or social profiles), and those of them whose target
    # resolves to an outlet (registered or discovered).
    link_citations: int = 0
    link_outlets: int = 0

    @property
    def precision(self) -> float:
        return self.predicted_ok / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.gold_ok / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def split_rate(self) -> float:
        return self.splits / self.gold_ok if self.gold_ok else 0.0

    @property
    def type_accuracy(self) -> float:
        return self.type_ok / self.predicted_ok if self.predicted_ok else 0.0

    @property
    def link_outlet_share(self) -> float:
        return self.link_outlets / self.link_citations if self.link_citations else 0.0


def _band_of(confidence: float) -> int:
    return max([0, *(i for i, low in enumerate(BANDS) if confidence >= low)])


def _first_sentence(text: str, source: GoldSource) -> str:
    """Where the article first names a missed gold source (its name or a form), for `--show`."""
    if not text:
        return ""
    for form in (source.name, *source.forms):
        form = form.strip()
        if len(form) < 2:
            continue
        m = re.search(r"(?<!\w)" + re.escape(form) + r"(?!\w)", text.replace("’", "'"))
        if m:
            return sentence_around(text, m.start(), m.end())
    return ""


def score_citations(
    gold: Sequence[GoldArticle],
    records: Iterable[Mapping[str, Any]],
    *,
    min_confidence: float = 0.0,
    english_only: bool = True,
    gold_path: str = "<gold>",
) -> CitationReport:
    """Score `kg extract` records against gold articles (see the module docstring)."""
    by_path = _join(records)
    n_articles = missing = pred = pred_ok = gold_n = gold_ok = splits = merges = type_ok = 0
    link_citations = link_outlets = 0
    band_pred = [0] * len(BANDS)
    band_ok = [0] * len(BANDS)
    problems: list[Problem] = []
    for g in gold:
        if english_only and g.lang != "en":
            continue
        n_articles += 1
        gold_n += len(g.sources)
        record = _find(by_path, g.file)
        if record is None:
            missing += 1
            continue
        name = Path(g.file).name
        for link in record.get("links") or ():
            if isinstance(link, Mapping) and link.get("role") is None:
                link_citations += 1
                link_outlets += bool(link.get("outlet"))
        surnames = [s.surname for s in g.sources if s.surname]
        unique = {n for n in surnames if surnames.count(n) == 1}
        keys = [_gold_keys(s, unique) for s in g.sources]
        matched_by: list[set[str]] = [set() for _ in g.sources]
        for ps in predicted_sources(record, min_confidence):
            candidates = {ps.name} | {slug(t) for t in ps.texts}
            hit = [i for i, ks in enumerate(keys) if candidates & ks]
            pred += 1
            band = _band_of(ps.confidence)
            band_pred[band] += 1
            if hit:
                pred_ok += 1
                band_ok[band] += 1
                if ps.type in TYPE_OK.get(g.sources[hit[0]].type, frozenset({ps.type})):
                    type_ok += 1
                for i in hit:
                    matched_by[i].add(ps.id)
                if len(hit) > 1:
                    merges += 1
                    problems.append(Problem(
                        "MERGE", name, ps.id, "; ".join(g.sources[i].name for i in hit),
                        ps.evidence[0].sentence,
                    ))
            else:
                texts = "; ".join(sorted(ps.texts))
                problems.append(Problem(
                    "FP", name, ps.id, f"{texts} @{ps.confidence:.2f}", ps.evidence[0].sentence
                ))
        for i, s in enumerate(g.sources):
            if matched_by[i]:
                gold_ok += 1
                if len(matched_by[i]) > 1:
                    splits += 1
                    problems.append(
                        Problem("SPLIT", name, s.name, ", ".join(sorted(matched_by[i])))
                    )
            else:
                problems.append(Problem(
                    "FN", name, s.name, s.type, _first_sentence(record.get("text") or "", s)
                ))
    bands = tuple(
        Band(low, BANDS[i + 1] if i + 1 < len(BANDS) else 1.0, band_pred[i], band_ok[i])
        for i, low in enumerate(BANDS)
    )
    return CitationReport(
        gold_path=gold_path, articles=n_articles, articles_missing=missing,
        min_confidence=min_confidence, predicted=pred, predicted_ok=pred_ok, gold=gold_n,
        gold_ok=gold_ok, splits=splits, merges=merges, type_ok=type_ok, bands=bands,
        problems=tuple(problems), link_citations=link_citations, link_outlets=link_outlets,
    )


def run_citation_eval(
    gold_path: Path,
    records: Iterable[Mapping[str, Any]],
    *,
    min_confidence: float,
    english_only: bool = True,
) -> CitationReport:
    """Load the gold and score `records` (from `kg.pipeline.iter_extraction_records`, or read
    from a `kg extract` output file) against it."""
    gold = load_gold(gold_path)
    return score_citations(
        gold, records, min_confidence=min_confidence, english_only=english_only,
        gold_path=str(gold_path),
    )


def read_records(path: Path) -> list[dict[str, Any]]:
    """`kg extract` JSON Lines output, one record a line; a malformed line is an error."""
    out = []
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ConfigError(f"{path}:{n}: not a kg extract record ({exc.msg})") from exc
            if not isinstance(rec, dict) or "attributions" not in rec:
                raise ConfigError(f"{path}:{n}: not a kg extract record (no \"attributions\")")
            out.append(rec)
    return out


# --- output ---------------------------------------------------------------------------------


def citation_report_dict(report: CitationReport, show: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {
        "gold_file": report.gold_path,
        "articles": report.articles,
        "articles_missing": report.articles_missing,
        "min_confidence": report.min_confidence,
        "edge_precision": round(report.precision, 4),
        "edge_recall": round(report.recall, 4),
        "edge_f1": round(report.f1, 4),
        "split_rate": round(report.split_rate, 4),
        "splits": report.splits,
        "merges": report.merges,
        "type_accuracy": round(report.type_accuracy, 4),
        "pred": report.predicted,
        "pred_ok": report.predicted_ok,
        "gold": report.gold,
        "gold_ok": report.gold_ok,
        "bands": [
            {"low": b.low, "high": b.high, "pred": b.predicted, "correct": b.correct,
             "precision": round(b.precision, 4)}
            for b in report.bands
        ],
        "hyperlink_citations": report.link_citations,
        "hyperlink_citations_to_outlets": report.link_outlets,
        "hyperlink_outlet_share": round(report.link_outlet_share, 4),
    }
    if show:
        out["problems"] = [
            {"kind": p.kind, "article": p.article, "name": p.name, "detail": p.detail,
             "sentence": p.sentence}
            for p in report.problems
        ]
    return out


def format_citation_report(report: CitationReport, *, show: bool = False,
                           as_json: bool = False) -> str:
    """Aligned plain text (or JSON): the figures, precision by confidence band, and with
    `show` every false positive, miss, split and merge with its sentence."""
    if as_json:
        return json.dumps(citation_report_dict(report, show), indent=2, ensure_ascii=False) + "\n"
    lines: list[str] = []
    if show:
        order = {"FP": 0, "FN": 1, "SPLIT": 2, "MERGE": 3}
        for pr in sorted(report.problems, key=lambda p: (order[p.kind], p.article, p.name)):
            detail = " ".join(pr.detail.split())
            lines.append(f"{pr.kind:5} {pr.article[:24]}  {pr.name}  ({detail})")
            if pr.sentence:
                lines.append(f"      | {pr.sentence[:SHOW_CHARS]}")
        lines.append("")
    lines.append(
        f"gold: {report.gold_path} ({report.articles} articles, {report.articles_missing} "
        f"without predictions); edges at confidence >= {report.min_confidence:g}"
    )
    lines.append(
        f"edge P/R/F1 {report.precision:.3f}/{report.recall:.3f}/{report.f1:.3f}; "
        f"split rate {report.split_rate:.3f} ({report.splits} splits, {report.merges} merges); "
        f"type accuracy {report.type_accuracy:.3f} "
        f"(pred {report.predicted}, correct {report.predicted_ok}; "
        f"gold {report.gold}, found {report.gold_ok})"
    )
    lines.append("")
    lines.append("precision by confidence band:")
    width = 12
    lines.append(f"  {'band':{width}} {'pred':>5} {'correct':>7} {'P':>6}")
    for b in report.bands:
        label = f"[{b.low:.1f}, {b.high:.1f}{']' if b.high >= 1.0 else ')'}"
        p = f"{b.precision:.3f}" if b.predicted else "-"
        lines.append(f"  {label:{width}} {b.predicted:>5} {b.correct:>7} {p:>6}")
    lines.append("")
    lines.append(
        f"hyperlink citations resolving to an outlet: {report.link_outlets} of "
        f"{report.link_citations} ({report.link_outlet_share:.3f}); links to the page's own "
        "site, homepages, navigation, share buttons and social profiles are no citations"
    )
    return "\n".join(lines) + "\n"
