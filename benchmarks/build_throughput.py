"""Throughput of `kg build` against a bare spaCy `nlp.pipe` over the same texts.

    python benchmarks/build_throughput.py ../shared/corpora/bbc --workers 2

Two corpora in one run: the one given, and one of short articles made from it at run time (the
title and first paragraph of each of its first `--short` articles, default 2,000, written to a
temporary folder). For each, the bare pipeline (`nlp.pipe(texts, batch_size, n_process)`, the
model loaded before the clock starts) and the whole `kg build` (reading, extraction in worker
processes, resolving, RDF, the store, the pages, the report) run in fresh subprocesses with the
same model, batch size and number of processes; the ratio of their rates says how much the
build costs on top of the parse. Peak memory (max RSS of the main process and of the largest
worker) of the build over a quarter, half and all of the first corpus shows its growth.
Figures measured while other work runs on the machine are noisy: compare ratios from one run.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from kg.pipeline import BuildOptions

BASELINE = r"""
import json, sys, time
import spacy
from kg.extract import default_model_name
from kg.ingest import iter_inputs
from kg.models import Article
paths, workers, batch, limit = json.loads(sys.argv[1])
texts = [a.text for a in iter_inputs(paths) if isinstance(a, Article)][:limit]
nlp = spacy.load(default_model_name())  # the bare pipeline: none of kg's additions
t = time.perf_counter()
for _ in nlp.pipe(texts, batch_size=batch, n_process=workers):
    pass
print(json.dumps({"articles": len(texts), "seconds": time.perf_counter() - t}))
"""

BUILD = r"""
import json, sys, time
from pathlib import Path

from kg.ingest import iter_inputs
from kg.models import Article
from kg.pipeline import BuildOptions, build
paths, workers, batch, limit, out = json.loads(sys.argv[1])
files = sorted({a.path for a in iter_inputs(paths) if isinstance(a, Article)})[:limit]
t = time.perf_counter()
result = build(files, Path(out), BuildOptions(workers=workers, batch_size=batch))
seconds = time.perf_counter() - t
import resource
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
workers_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"articles": result.report["articles"], "seconds": seconds,
                  "rss_mb": rss / 1024, "worker_rss_mb": workers_rss / 1024}))
"""

TARGET = 0.90


def run(code: str, args: list[object]) -> dict[str, float]:
    """Run `code` in a fresh interpreter and return the JSON line it prints."""
    proc = subprocess.run(
        [sys.executable, "-c", code, json.dumps(args)],
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        sys.exit(f"benchmark step failed:\n{proc.stderr}")
    return dict(json.loads(proc.stdout.strip().splitlines()[-1]))


def short_corpus(corpus: list[str], count: int, folder: Path) -> int:
    """Write the title and first paragraph of the first `count` articles of `corpus` to
    `folder`, one file each; return how many were written."""
    from kg.ingest import iter_inputs
    from kg.models import Article

    articles = sorted((a for a in iter_inputs(corpus) if isinstance(a, Article)),
                      key=lambda a: a.path)
    n = 0
    for article in articles[:count]:
        paragraphs = [p.strip() for p in article.text.split("\n\n") if p.strip()]
        title = article.title or paragraphs[0]
        body = next((p for p in paragraphs if p != title), "")
        if not body:
            continue
        (folder / f"{n:05d}.txt").write_text(f"{title}\n\n{body}\n", encoding="utf-8")
        n += 1
    return n


def compare(name: str, corpus: list[str], args: argparse.Namespace, tmp: Path,
            memory: bool) -> float:
    """Each build goes to a new folder: a first build, extraction cache included."""
    outs = (str(tmp / f"out{i}") for i in range(3))
    base = run(BASELINE, [corpus, args.workers, args.batch_size, args.limit])
    n = int(base["articles"])
    steps: list[tuple[int, float, float]] = []
    if memory:
        for part in (max(1, n // 4), max(1, n // 2)):
            small = run(BUILD, [corpus, args.workers, args.batch_size, part, next(outs)])
            steps.append((part, small["rss_mb"], small["worker_rss_mb"]))
    built = run(BUILD, [corpus, args.workers, args.batch_size, n, next(outs)])
    steps.append((n, built["rss_mb"], built["worker_rss_mb"]))
    base_rate = base["articles"] / base["seconds"]
    build_rate = built["articles"] / built["seconds"]
    ratio = build_rate / base_rate
    print(f"{name}: {n} articles, workers {args.workers}, batch {args.batch_size}")
    print(f"  bare spaCy nlp.pipe : {base_rate:8.1f} articles/s  ({base['seconds']:.1f} s)")
    print(f"  kg build            : {build_rate:8.1f} articles/s  ({built['seconds']:.1f} s, "
          f"{int(built['articles'])} articles after de-duplication)")
    print(f"  ratio kg/spaCy      : {ratio:8.2f}   (target >= {TARGET:.2f})")
    if memory:
        print("  peak memory of the build (max RSS: main process, largest worker):")
        for articles, main_mb, worker_mb in steps:
            print(f"    {articles:6d} articles: {main_mb:7.0f} MB main, {worker_mb:7.0f} MB worker")
        (a1, m1, _), (a2, m2, _) = steps[0], steps[-1]
        print(f"  main-process memory from {a1} to {a2} articles ({a2 / a1:.1f}x the articles): "
              f"{m2 / m1:.2f}x (linear would be at most {a2 / a1:.1f}x)")
    return ratio


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="+", help="files or folders of articles")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--batch-size", type=int, default=BuildOptions().batch_size)
    parser.add_argument("--limit", type=int, default=10**9, help="use at most N articles")
    parser.add_argument("--short", type=int, default=2000,
                        help="short articles to make from the corpus (0: none)")
    parser.add_argument("--no-memory", action="store_true",
                        help="skip the builds over a quarter and half of the corpus")
    args = parser.parse_args()

    ratios = []
    with tempfile.TemporaryDirectory() as tmp:
        ratios.append(compare(" ".join(args.corpus), args.corpus, args, Path(tmp) / "a",
                              memory=not args.no_memory))
        if args.short:
            folder = Path(tmp) / "short"
            folder.mkdir()
            made = short_corpus(args.corpus, args.short, folder)
            print()
            ratios.append(compare(f"short articles (first paragraphs, {made})", [str(folder)],
                                  args, Path(tmp) / "b", memory=False))
    print()
    print("ratios: " + ", ".join(f"{r:.2f}" for r in ratios)
          + f"  ({'all' if all(r >= TARGET for r in ratios) else 'not all'} >= {TARGET:.2f})")


if __name__ == "__main__":
    start = time.perf_counter()
    main()
    print(f"benchmark took {time.perf_counter() - start:.0f} s")
