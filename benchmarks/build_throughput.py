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
With `--repeat N` both sides run N times, alternating, and their median times are compared
(this machine's speed drifts by 10-20% from minute to minute; one run each is one sample).

With `--dask`, the first corpus is also built on a Dask cluster of this machine, started with
the CLIs a user runs (`dask scheduler`, `dask worker --nthreads 1`, Dask's profiler off as the
README says), through `kg build --scheduler ADDRESS`: with one worker, then with two; each
time after a warm-up build of `data/` (the cluster is up and the model loaded, as on a
cluster that serves build after build). It prints articles/s with 1 and 2 workers (the
scaling, for the whole build and for its extraction stage) and the 2-worker build against bare
`nlp.pipe` with `n_process=2` over the same texts, measured in the same run.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import cast

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
DASK_TARGET = 0.95  # 2 Dask workers against nlp.pipe(n_process=2)
SCALING_TARGET = 1.8  # 2 Dask workers against 1

BUILD_DASK = r"""
import json, sys, time
from pathlib import Path

from kg.ingest import iter_inputs
from kg.models import Article
from kg.pipeline import BuildOptions, build
paths, scheduler, batch, limit, out = json.loads(sys.argv[1])
files = sorted({a.path for a in iter_inputs(paths) if isinstance(a, Article)})[:limit]
t = time.perf_counter()
result = build(files, Path(out), BuildOptions(scheduler=scheduler, batch_size=batch,
                                              use_cache=False))
seconds = time.perf_counter() - t
print(json.dumps({"articles": result.report["articles"], "seconds": seconds,
                  "stages": result.seconds}))
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
    outs = (str(tmp / f"out{i}") for i in range(3 + args.repeat))
    base = run(BASELINE, [corpus, args.workers, args.batch_size, args.limit])
    n = int(base["articles"])
    steps: list[tuple[int, float, float]] = []
    if memory:
        for part in (max(1, n // 4), max(1, n // 2)):
            small = run(BUILD, [corpus, args.workers, args.batch_size, part, next(outs)])
            steps.append((part, small["rss_mb"], small["worker_rss_mb"]))
    built = run(BUILD, [corpus, args.workers, args.batch_size, n, next(outs)])
    steps.append((n, built["rss_mb"], built["worker_rss_mb"]))
    # With --repeat, the two alternate (bare, build, bare, build, ...) and each side's median
    # time is taken: a shared machine's slow minutes then fall on both sides alike.
    bare_times, build_times = [base["seconds"]], [built["seconds"]]
    for _ in range(args.repeat - 1):
        bare_times.append(run(BASELINE, [corpus, args.workers, args.batch_size,
                                         args.limit])["seconds"])
        build_times.append(run(BUILD, [corpus, args.workers, args.batch_size, n,
                                       next(outs)])["seconds"])
    base = {**base, "seconds": statistics.median(bare_times)}
    built = {**built, "seconds": statistics.median(build_times)}
    base_rate = base["articles"] / base["seconds"]
    build_rate = built["articles"] / built["seconds"]
    ratio = build_rate / base_rate
    print(f"{name}: {n} articles, workers {args.workers}, batch {args.batch_size}")
    if args.repeat > 1:
        print("  runs (bare / build s): " + ", ".join(
            f"{a:.1f}/{b:.1f}" for a, b in zip(bare_times, build_times, strict=True))
            + "; medians below")
    print(f"  bare spaCy nlp.pipe : {base_rate:8.1f} articles/s  ({base['seconds']:.1f} s)")
    print(f"  kg build            : {build_rate:8.1f} articles/s  ({built['seconds']:.1f} s, "
          f"{int(built['articles'])} articles after de-duplication)")
    print(f"  ratio kg/spaCy      : {ratio:8.2f}   (target >= {TARGET:.2f})")
    # The same inputs through both: how long each took (kg parses no duplicate, which the
    # rate above, per article kept, does not credit).
    print(f"  time, same inputs   : {base['seconds'] / built['seconds']:8.2f}   "
          f"(bare spaCy {base['seconds']:.1f} s / kg build {built['seconds']:.1f} s)")
    if memory:
        print("  peak memory of the build (max RSS: main process, largest worker):")
        for articles, main_mb, worker_mb in steps:
            print(f"    {articles:6d} articles: {main_mb:7.0f} MB main, {worker_mb:7.0f} MB worker")
        (a1, m1, _), (a2, m2, _) = steps[0], steps[-1]
        print(f"  main-process memory from {a1} to {a2} articles ({a2 / a1:.1f}x the articles): "
              f"{m2 / m1:.2f}x (linear would be at most {a2 / a1:.1f}x)")
    return ratio


def _start(args: list[str], log: Path) -> subprocess.Popen[bytes]:
    import os

    # As the README says to start kg's workers: without Dask's statistical profiler.
    env = dict(os.environ, DASK_DISTRIBUTED__WORKER__PROFILE__ENABLED="False")
    with open(log, "ab") as out:
        return subprocess.Popen([str(Path(sys.executable).parent / "dask"), *args],
                                stdout=out, stderr=out, start_new_session=True, env=env)


def _wait_for_workers(address: str, n: int) -> None:
    from distributed import Client

    with Client(address, timeout="60s") as client:
        client.wait_for_workers(n, timeout=300)


def compare_dask(corpus: list[str], args: argparse.Namespace, tmp: Path) -> tuple[float, float]:
    """The Dask path: 1 then 2 workers of a cluster started as a user starts one."""
    import os
    import signal
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    address = f"tcp://127.0.0.1:{port}"
    log = tmp / "dask.log"
    procs = [_start(["scheduler", "--host", "127.0.0.1", "--port", str(port),
                     "--no-dashboard"], log)]
    worker = ["worker", address, "--nthreads", "1", "--no-dashboard"]
    try:
        procs.append(_start(worker, log))
        _wait_for_workers(address, 1)
        sample = [str(Path(__file__).resolve().parents[1] / "data")]
        run(BUILD_DASK, [sample, address, args.batch_size, 10**9, str(tmp / "warm1")])
        one = run(BUILD_DASK, [corpus, address, args.batch_size, args.limit, str(tmp / "d1")])
        procs.append(_start(worker, log))
        _wait_for_workers(address, 2)
        run(BUILD_DASK, [sample, address, args.batch_size, 10**9, str(tmp / "warm2")])
        two = run(BUILD_DASK, [corpus, address, args.batch_size, args.limit, str(tmp / "d2")])
        base = run(BASELINE, [corpus, 2, args.batch_size, args.limit])
    finally:
        for proc in procs:
            os.killpg(proc.pid, signal.SIGTERM)
        for proc in procs:
            proc.wait(30)
    base_rate = base["articles"] / base["seconds"]
    rate1, rate2 = (r["articles"] / r["seconds"] for r in (one, two))
    stages1, stages2 = (cast(dict[str, float], r["stages"]) for r in (one, two))
    ex1, ex2 = one["articles"] / stages1["extract"], two["articles"] / stages2["extract"]
    ratio, scaling = rate2 / base_rate, rate2 / rate1
    print(f"Dask cluster (dask scheduler + dask worker --nthreads 1), {int(two['articles'])} "
          f"articles, batch {args.batch_size}:")
    print(f"  bare spaCy nlp.pipe, n_process=2 : {base_rate:8.1f} articles/s "
          f"({base['seconds']:.1f} s)")
    print(f"  kg build, 1 Dask worker          : {rate1:8.1f} articles/s ({one['seconds']:.1f} s;"
          f" extraction stage {ex1:.1f} articles/s)")
    print(f"  kg build, 2 Dask workers         : {rate2:8.1f} articles/s ({two['seconds']:.1f} s;"
          f" extraction stage {ex2:.1f} articles/s)")
    stages = ", ".join(f"{k} {v:.1f} s" for k, v in stages2.items())
    print(f"  2 workers, time per stage        : {stages}")
    print(f"  ratio 2 workers/spaCy            : {ratio:8.2f}   (target >= {DASK_TARGET:.2f})")
    print(f"  scaling 2/1 workers              : {scaling:8.2f}x  (extraction stage "
          f"{ex2 / ex1:.2f}x; target >= {SCALING_TARGET:.1f}x)")
    return ratio, scaling


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="+", help="files or folders of articles")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--batch-size", type=int, default=BuildOptions().batch_size)
    parser.add_argument("--limit", type=int, default=10**9, help="use at most N articles")
    parser.add_argument("--short", type=int, default=2000,
                        help="short articles to make from the corpus (0: none)")
    parser.add_argument("--repeat", type=int, default=1,
                        help="run bare spaCy and the build N times each, alternating; "
                             "compare their median times")
    parser.add_argument("--no-memory", action="store_true",
                        help="skip the builds over a quarter and half of the corpus")
    parser.add_argument("--dask", action="store_true",
                        help="also build the first corpus on a Dask cluster of 1, then 2 workers")
    parser.add_argument("--dask-only", action="store_true",
                        help="only the Dask builds (with their own spaCy baseline)")
    args = parser.parse_args()

    ratios = []
    with tempfile.TemporaryDirectory() as tmp:
        if args.dask or args.dask_only:
            dask_dir = Path(tmp) / "dask"
            dask_dir.mkdir()
            compare_dask(args.corpus, args, dask_dir)
            if args.dask_only:
                return
            print()
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
