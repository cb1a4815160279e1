"""Incremental builds: add 1% new articles to a built corpus and build again.

    python benchmarks/incremental_build.py ../shared/corpora/bbc [--workers 2] [--work DIR]

Copies the corpus minus every 100th file into WORK/corpus and builds it into WORK/out (the
full build, timed; its extraction cache goes to WORK/out/cache). Then adds the held-back 1%
and builds WORK/out again (the incremental build, timed), and builds the whole corpus once
more into WORK/clean with --no-cache (a clean build, timed). Prints the three times, the
incremental build as a share of each full build (wall and CPU time: CPU is what a
loaded machine distorts least), and whether every output of the
incremental build has the same bytes as the clean build's (the store's triples are compared
as sets: RocksDB files are not byte-stable). Issue 13's target: at most 5%, equal bytes.

With --reuse, a WORK folder of an earlier run gives the full and the clean build (their
times and outputs, restored from WORK/out-base), and only the incremental build runs again.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

OUTPUTS = ("graph.ttl", "graph.html", "outlets.html", "report.json")


def kg_build(corpus: Path, out: Path, workers: int, *extra: str) -> tuple[float, float]:
    """Wall time and CPU time (user + system, of the build and its workers) of a build."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "kg", "build", str(corpus), "-o", str(out),
                    "--workers", str(workers), "-q", *extra], check=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def store_triples(out: Path) -> set[str]:
    import pyoxigraph as ox

    store = ox.Store.read_only(str(out / "graph.oxigraph"))
    return {str(q) for q in store}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--every", type=int, default=100, help="hold back every Nth file")
    parser.add_argument("--work", type=Path, default=None)
    parser.add_argument("--reuse", action="store_true",
                        help="reuse the full and clean builds of an earlier run in WORK")
    args = parser.parse_args()

    work = args.work or Path(tempfile.mkdtemp(prefix="kg-incremental-"))
    times_file = work / "times.json"
    if args.reuse and times_file.exists() and (work / "out-base").is_dir():
        incremental_only(args, work, json.loads(times_file.read_text()))
        return
    corpus, held = work / "corpus", work / "held-back"
    for folder in (corpus, held, work / "out", work / "clean"):
        shutil.rmtree(folder, ignore_errors=True)
    files = sorted(p for p in args.corpus.rglob("*") if p.is_file() and p.suffix == ".txt")
    new = set(files[args.every - 1 :: args.every])
    for path in files:
        target = (held if path in new else corpus) / path.relative_to(args.corpus)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
    print(f"{len(files)} files: {len(files) - len(new)} built first, {len(new)} added after "
          f"({100 * len(new) / len(files):.1f}%); {args.workers} workers")

    full = kg_build(corpus, work / "out", args.workers)
    print(f"full build of the corpus:           {_times(full)}")
    shutil.rmtree(work / "out-base", ignore_errors=True)
    shutil.copytree(work / "out", work / "out-base")
    add_held_back(corpus, held)
    incremental = kg_build(corpus, work / "out", args.workers)
    print(f"build after adding the new 1%:      {_times(incremental)}")
    clean = kg_build(corpus, work / "clean", args.workers, "--no-cache")
    print(f"clean build of the grown corpus:    {_times(clean)}")
    times_file.write_text(json.dumps({"full": full, "clean": clean}))
    sys.exit(report(work, full, incremental, clean))


def _times(t: tuple[float, float]) -> str:
    return f"{t[0]:8.1f} s wall {t[1]:8.1f} s CPU"


def add_held_back(corpus: Path, held: Path) -> None:
    for path in held.rglob("*.txt"):
        target = corpus / path.relative_to(held)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)


def incremental_only(args: argparse.Namespace, work: Path, times: dict[str, Any]) -> None:
    corpus, held = work / "corpus", work / "held-back"
    for path in held.rglob("*.txt"):  # back to the corpus the full build saw
        (corpus / path.relative_to(held)).unlink(missing_ok=True)
    shutil.rmtree(work / "out", ignore_errors=True)
    shutil.copytree(work / "out-base", work / "out")
    add_held_back(corpus, held)
    full, clean = tuple(times["full"]), tuple(times["clean"])
    print(f"full build of the corpus (earlier run):    {_times(full)}")
    incremental = kg_build(corpus, work / "out", args.workers)
    print(f"build after adding the new 1%:             {_times(incremental)}")
    print(f"clean build of the grown corpus (earlier): {_times(clean)}")
    sys.exit(report(work, full, incremental, clean))


def report(work: Path, full: tuple[float, float], incremental: tuple[float, float],
           clean: tuple[float, float]) -> int:
    for name, base in (("full", full), ("clean", clean)):
        print(f"incremental / {name} build: {100 * incremental[0] / base[0]:6.1f} % of the wall "
              f"time, {100 * incremental[1] / base[1]:6.1f} % of the CPU time")
    print(f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores: CPU time is the "
          "figure a loaded machine distorts least)")
    same = True
    for name in OUTPUTS:
        equal = (work / "out" / name).read_bytes() == (work / "clean" / name).read_bytes()
        same &= equal
        print(f"  {name:14} {'same bytes' if equal else 'DIFFERENT'} as the clean build")
    equal = store_triples(work / "out") == store_triples(work / "clean")
    same &= equal
    print(f"  {'graph.oxigraph':14} {'same triples' if equal else 'DIFFERENT'} as the clean build")
    print(f"work folder: {work}")
    return 0 if same else 1


if __name__ == "__main__":
    main()
