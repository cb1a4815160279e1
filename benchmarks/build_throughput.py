"""Throughput of `kg build` against a bare spaCy `nlp.pipe` over the same texts.

    python benchmarks/build_throughput.py ../shared/corpora/bbc --workers 2

Both run in fresh subprocesses with the same model, batch size and number of processes, so the
ratio says how much the whole build (ingest, rules, resolve, graph, RDF, HTML) costs on top of
the parse itself. Peak memory (max RSS of the process tree's largest process) of the build is
printed for a quarter, half and all of the corpus, so its growth with corpus size is visible.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time

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
import resource
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
workers_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"articles": result.report["articles"], "seconds": time.perf_counter() - t,
                  "rss_mb": rss / 1024, "worker_rss_mb": workers_rss / 1024}))
"""


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="+", help="files or folders of articles")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--batch-size", type=int, default=BuildOptions().batch_size)
    parser.add_argument("--limit", type=int, default=10**9, help="use at most N articles")
    args = parser.parse_args()

    base = run(BASELINE, [args.corpus, args.workers, args.batch_size, args.limit])
    n = int(base["articles"])
    with tempfile.TemporaryDirectory() as tmp:
        memory: list[tuple[int, float, float]] = []
        for part in (max(1, n // 4), max(1, n // 2)):
            small = run(BUILD, [args.corpus, args.workers, args.batch_size, part, tmp])
            memory.append((part, small["rss_mb"], small["worker_rss_mb"]))
        built = run(BUILD, [args.corpus, args.workers, args.batch_size, n, tmp])
        memory.append((n, built["rss_mb"], built["worker_rss_mb"]))

    base_rate = base["articles"] / base["seconds"]
    build_rate = built["articles"] / built["seconds"]
    print(f"corpus: {' '.join(args.corpus)}  articles: {n}  workers: {args.workers}  "
          f"batch: {args.batch_size}")
    print(f"bare spaCy nlp.pipe : {base_rate:8.1f} articles/s  ({base['seconds']:.1f} s)")
    print(f"kg build            : {build_rate:8.1f} articles/s  ({built['seconds']:.1f} s, "
          f"{int(built['articles'])} articles after de-duplication)")
    print(f"ratio kg/spaCy      : {build_rate / base_rate:8.2f}   (target >= 0.80)")
    print("peak memory of the build (max RSS: main process, largest spaCy worker):")
    for articles, main_mb, worker_mb in memory:
        print(f"  {articles:6d} articles: {main_mb:7.0f} MB main, {worker_mb:7.0f} MB worker")
    (a1, m1, _), (a2, m2, _) = memory[0], memory[-1]
    print(f"main-process memory from {a1} to {a2} articles ({a2 / a1:.1f}x the articles): "
          f"{m2 / m1:.2f}x (linear would be at most {a2 / a1:.1f}x, quadratic "
          f"{(a2 / a1) ** 2:.0f}x)")


if __name__ == "__main__":
    start = time.perf_counter()
    main()
    print(f"benchmark took {time.perf_counter() - start:.0f} s")
