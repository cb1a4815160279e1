"""Re-run only the extraction rules over cached spaCy parses, and diff their outputs exactly.

Parsing dominates extraction time (PolNeAR train: two minutes of parse, seconds of rules), so a
change to the rules is checked fastest against parses made once:

    python benchmarks/rules_diff.py parse polnear-dev --brat ../shared/corpora/polnear/dev
    python benchmarks/rules_diff.py parse scrapinghub ../shared/corpora/scrapinghub/html
    python benchmarks/rules_diff.py run polnear-dev -o before.jsonl      # on the old code
    python benchmarks/rules_diff.py run polnear-dev -o after.jsonl       # on the new code
    python benchmarks/rules_diff.py diff before.jsonl after.jsonl        # one by one
    python benchmarks/rules_diff.py score polnear-dev after.jsonl        # kg eval's figures

`parse` stores each article's segments as a spaCy DocBin, parsed by `kg.extract.load_nlp` (the
sentence guard included), exactly as `Extractor.extract` cuts and parses them. `run` applies the
attribution and mention rules to the cached docs and writes one JSON line per article with every
attribution (all fields, including the rule that made it when the extractor records one) and
every mention. `diff` prints what one run has and the other lacks, per article; `score` prints the
PolNeAR measures `kg eval` prints (outermost attributions only), from a run's output.

The cache lives in `$KG_RULES_CACHE` (default: a `kg-rules-cache` folder in the temp dir), never
in the repository: the corpora are for measurement only.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from spacy.tokens import Doc, DocBin

from kg.models import Article, Attribution, Extraction, Link, Mention, Span


def cache_dir(name: str) -> Path:
    root = Path(os.environ.get("KG_RULES_CACHE", Path(tempfile.gettempdir()) / "kg-rules-cache"))
    return root / name


def _articles(args: argparse.Namespace) -> list[Article]:
    if args.brat:
        from kg.evaluate import load_brat

        return [Article(path=d.text_path, text=d.text) for d in load_brat(Path(args.brat))]
    from kg.ingest import iter_inputs

    return [a for a in iter_inputs(args.inputs) if isinstance(a, Article)]


def parse(args: argparse.Namespace) -> None:
    from kg.extract import load_nlp, split_segments

    articles = _articles(args)
    nlp = load_nlp()
    segments = [(i, start, piece) for i, a in enumerate(articles)
                for start, piece in split_segments(a.text)]
    started = time.perf_counter()
    docs = nlp.pipe((piece for _, _, piece in segments), batch_size=8, n_process=args.workers)
    bin_ = DocBin(store_user_data=False)
    for doc in docs:
        bin_.add(doc)
    folder = cache_dir(args.name)
    folder.mkdir(parents=True, exist_ok=True)
    bin_.to_disk(folder / "docs.spacy")
    meta = {
        "articles": [dataclasses.asdict(a) for a in articles],
        "segments": [(i, start) for i, start, _ in segments],
        "brat": args.brat,
    }
    (folder / "meta.json").write_text(json.dumps(meta))
    print(f"{args.name}: {len(articles)} articles, {len(segments)} segments parsed in "
          f"{time.perf_counter() - started:.1f} s → {folder}")


def _article(raw: dict[str, Any]) -> Article:
    raw = dict(raw)
    raw["links"] = tuple(Link(**link) for link in raw.get("links", ()))
    return Article(**raw)


def cached(name: str) -> Iterator[tuple[Article, list[tuple[Doc, int]]]]:
    """Each cached article with its parsed segments (doc, character offset)."""
    from kg.extract import load_nlp

    folder = cache_dir(name)
    meta = json.loads((folder / "meta.json").read_text())
    articles = [_article(a) for a in meta["articles"]]
    nlp = load_nlp()
    docs = DocBin().from_disk(folder / "docs.spacy").get_docs(nlp.vocab)
    pending: list[tuple[Doc, int]] = []
    current = 0
    for (index, start), doc in zip(meta["segments"], docs, strict=True):
        if index != current:
            yield articles[current], pending
            pending, current = [], index
        pending.append((doc, start))
    yield articles[current], pending


def extractions(name: str) -> Iterator[Extraction]:
    from kg.extract import Extractor

    extractor = Extractor()
    for article, docs in cached(name):
        yield extractor.extract_parsed(article, docs)


def _span(span: Span | None) -> list[Any] | None:
    return None if span is None else [span.start, span.end, span.text]


def attribution_record(a: Attribution) -> dict[str, Any]:
    out = {f.name: getattr(a, f.name) for f in dataclasses.fields(a)}
    for key, value in out.items():
        if isinstance(value, Span):
            out[key] = _span(value)
    return out


def mention_record(m: Mention) -> list[Any]:
    return [m.span.start, m.span.end, m.span.text, m.type, m.label]


def run(args: argparse.Namespace) -> None:
    started = time.perf_counter()
    n = 0
    with open(args.output, "w", encoding="utf-8") as out:
        for ex in extractions(args.name):
            n += 1
            out.write(json.dumps({
                "path": ex.article.path,
                "attributions": [attribution_record(a) for a in ex.attributions],
                "mentions": [mention_record(m) for m in ex.mentions],
            }, ensure_ascii=False, sort_keys=True) + "\n")
    print(f"{args.name}: rules over {n} articles in {time.perf_counter() - started:.1f} s "
          f"→ {args.output}", file=sys.stderr)


def _load(path: str) -> dict[str, dict[str, Any]]:
    with open(path, encoding="utf-8") as handle:
        return {r["path"]: r for r in map(json.loads, handle)}


def _key(a: dict[str, Any], ignore: set[str]) -> str:
    return json.dumps({k: v for k, v in a.items() if k not in ignore}, sort_keys=True,
                      ensure_ascii=False)


def diff(args: argparse.Namespace) -> None:
    """Attribution by attribution (and mention by mention): what only A or only B has."""
    a, b = _load(args.a), _load(args.b)
    ignore = set(args.ignore or ())
    changed = 0
    counts = {"attributions": [0, 0], "mentions": [0, 0]}
    for path in sorted(set(a) | set(b)):
        ra, rb = a.get(path, {}), b.get(path, {})
        lines = []
        for field in ("attributions", "mentions"):
            xs = [_key(x, ignore) if isinstance(x, dict) else json.dumps(x)
                  for x in ra.get(field, [])]
            ys = [_key(y, ignore) if isinstance(y, dict) else json.dumps(y)
                  for y in rb.get(field, [])]
            counts[field][0] += len(xs)
            counts[field][1] += len(ys)
            only_a = [x for x in xs if x not in set(ys)]
            only_b = [y for y in ys if y not in set(xs)]
            lines += [f"  - {field[:-1]} {x}" for x in only_a]
            lines += [f"  + {field[:-1]} {y}" for y in only_b]
        if lines:
            changed += 1
            if changed <= args.show:
                print(path)
                print("\n".join(lines[: args.lines]))
    total = len(set(a) | set(b))
    print(f"{changed} of {total} articles differ; attributions {counts['attributions']}, "
          f"mentions {counts['mentions']} (A, B)"
          + (f"; ignoring {sorted(ignore)}" if ignore else ""))
    if changed:
        sys.exit(1)


def score(args: argparse.Namespace) -> None:
    """kg eval's PolNeAR measures from a run's output (outermost attributions only)."""
    from kg.evaluate import load_brat, score_attributions
    from kg.extract import outermost

    meta = json.loads((cache_dir(args.name) / "meta.json").read_text())
    docs = load_brat(Path(meta["brat"]))
    runs = _load(args.output)
    pairs = []
    for doc in docs:
        found = tuple(
            Attribution(**{
                k: (Span(v[2], v[0], v[1]) if isinstance(v, list) else v)
                for k, v in raw.items() if k in {f.name for f in dataclasses.fields(Attribution)}
            })
            for raw in runs[doc.text_path]["attributions"]
        )
        article = Article(path=doc.text_path, text=doc.text)
        kept = tuple(outermost(found, doc.text))
        pairs.append((doc, Extraction(article, kept, ())))
    report = score_attributions(pairs)
    print(f"{args.name}: {report.gold_attributions} gold, {report.predicted_attributions} "
          "predicted")
    for role in report.roles:
        cells = "  ".join(
            f"{m} {s.precision:.3f}/{s.recall:.3f}/{s.f1:.3f}"
            for m, s in (("match", role.match), ("chars", role.chars), ("exact", role.exact))
        )
        print(f"  {role.role:8} {cells}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("parse", help="parse inputs once and cache the docs")
    p.add_argument("name")
    p.add_argument("inputs", nargs="*")
    p.add_argument("--brat", help="a BRAT gold folder (PolNeAR split) instead of inputs")
    p.add_argument("--workers", type=int, default=1)
    p.set_defaults(func=parse)
    r = sub.add_parser("run", help="apply the rules to cached docs")
    r.add_argument("name")
    r.add_argument("-o", "--output", required=True)
    r.set_defaults(func=run)
    d = sub.add_parser("diff", help="compare two runs attribution by attribution")
    d.add_argument("a")
    d.add_argument("b")
    d.add_argument("--ignore", nargs="*", help="attribution fields to leave out (e.g. rule)")
    d.add_argument("--show", type=int, default=20, help="articles to print")
    d.add_argument("--lines", type=int, default=12, help="lines per article")
    d.set_defaults(func=diff)
    s = sub.add_parser("score", help="PolNeAR measures of a run")
    s.add_argument("name")
    s.add_argument("output")
    s.set_defaults(func=score)
    args = parser.parse_args()
    args.func(args)


if __name__ == "__main__":
    main()
