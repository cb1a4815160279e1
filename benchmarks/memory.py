"""Peak memory of `kg build` on a big pile of synthetic articles.

    python benchmarks/memory.py                      # 200 MB corpus in a temp dir, --workers 2
    python benchmarks/memory.py --size-mb 20         # quick check
    python benchmarks/memory.py --corpus /tmp/pile --keep   # generate once, reuse later

Generates a folder of synthetic English news articles (plain .txt with a headline, and .json
records with url/outlet/date; 2-20 KB each) built from templates with outlet names, people,
places, quotes and "according to X" / "X reported" attributions, so extraction has real work.
Then runs `python -m kg build CORPUS -o OUT --workers N` in a subprocess and samples
/proc/<pid>/status (VmHWM, VmRSS) of the build process and every descendant (the spaCy
workers) every 0.25 s. Prints:

  * peak RSS of the main process and of the largest worker (VmHWM, i.e. the kernel's own
    high-water mark, so short spikes between samples are not missed), and the peaks of the
    summed RSS and of the summed PSS (shared copy-on-write pages counted once) of the whole
    process tree (sampled);
  * elapsed time, articles/s and MB/s;
  * the main process's RSS as extraction progresses (from kg's "extracted n articles" progress
    lines), which shows how memory grows with the number of articles.

Then, in the same run, bare spaCy over the same texts (`nlp.pipe(texts, batch_size,
n_process=--workers)`, the model loaded and the texts read before the clock starts), and the
wall time of the build against it.

Targets: the whole tree (PSS) under 1.5 GB at 200 MB of input, and the build within 1.3x the
wall time of bare spaCy. Linux only (/proc). `--scheduler ADDRESS` (or `local`) builds on a
Dask cluster instead of `--workers` processes (the tree sampled is then the client's, plus the
workers of a `local` cluster).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

TARGET_MB = 1536
TIME_TARGET = 1.3  # build wall time against bare spaCy's

BASELINE = r"""
import json, sys, time
import spacy
from kg.extract import default_model_name
from kg.ingest import iter_inputs
from kg.models import Article
corpus, workers, batch = json.loads(sys.argv[1])
texts = [a.text for a in iter_inputs([corpus]) if isinstance(a, Article)]
nlp = spacy.load(default_model_name())  # the bare pipeline: none of kg's additions
t = time.perf_counter()
for _ in nlp.pipe(texts, batch_size=batch, n_process=workers):
    pass
print(json.dumps({"articles": len(texts), "seconds": time.perf_counter() - t}))
"""


def run_baseline(corpus: Path, workers: int, batch_size: int) -> dict[str, float]:
    print(f"$ bare spaCy nlp.pipe over the same texts (n_process={workers})", flush=True)
    proc = subprocess.run([sys.executable, "-c", BASELINE,
                           json.dumps([str(corpus), workers, batch_size])],
                          capture_output=True, text=True, check=True)
    return dict(json.loads(proc.stdout.strip().splitlines()[-1]))

OUTLETS = [
    ("Reuters", "reuters.com"), ("TASS", "tass.com"), ("Bloomberg", "bloomberg.com"),
    ("the Associated Press", "apnews.com"), ("Interfax", "interfax.ru"),
    ("RIA Novosti", "ria.ru"), ("Al Jazeera", "aljazeera.com"), ("the BBC", "bbc.co.uk"),
    ("The Guardian", "theguardian.com"), ("NK News", "nknews.org"),
    ("dialog.ua", "dialog.ua"), ("Kyiv Independent", "kyivindependent.com"),
    ("Agence France-Presse", "afp.com"), ("Deutsche Welle", "dw.com"),
    ("The New York Times", "nytimes.com"), ("Yonhap", "yna.co.kr"), ("Xinhua", "xinhuanet.com"),
    ("Meduza", "meduza.io"), ("Politico", "politico.com"), ("Le Monde", "lemonde.fr"),
]  # fmt: skip
FIRST = [
    "Anna", "Boris", "Carla", "Dmitri", "Elena", "Farid", "Grace", "Hiroshi", "Irina", "James",
    "Katarzyna", "Lars", "Maria", "Nikolai", "Olga", "Pavel", "Rosa", "Sergei", "Tomas", "Yuki",
]  # fmt: skip
LAST = [
    "Petrova", "Kowalski", "Haddad", "Tanaka", "Moreau", "Ivanov", "Schmidt", "Okafor", "Novak",
    "Larsen", "Fischer", "Romano", "Sokolov", "Bennett", "Kim", "Alvarez", "Horvat", "Lindqvist",
]  # fmt: skip
ROLES = [
    "a spokesperson for", "the head of", "a senior analyst at", "a researcher at",
    "the deputy director of", "an adviser to",
]  # fmt: skip
ORGS = [
    "the Defence Ministry", "the United Nations", "the European Commission", "NATO",
    "the World Bank", "the Open Nuclear Network", "the Red Cross", "the Foreign Ministry",
    "the Central Bank", "the International Atomic Energy Agency", "Gazprom", "the Kremlin",
]  # fmt: skip
PLACES = [
    "Pyongyang", "Moscow", "Kyiv", "Minsk", "Brussels", "Geneva", "Vladivostok", "Warsaw",
    "Tbilisi", "Seoul", "Beijing", "Ankara", "Vilnius", "Odesa", "Kharkiv", "Berlin", "Paris",
]  # fmt: skip
TOPICS = [
    "the grain corridor", "sanctions on oil exports", "the cargo flight", "the missile test",
    "the election results", "the pipeline dispute", "the prisoner exchange", "the port blockade",
    "the energy price cap", "the satellite launch", "the border closure", "the arms deal",
]  # fmt: skip
VERBS = ["reported", "wrote", "said", "noted", "reported on Tuesday", "said in a statement"]
QUOTES = [
    "We have seen nothing like this in years",
    "The situation remains tense but under control",
    "There is no evidence to support these claims",
    "Talks will continue next week",
    "This decision was taken without consulting our partners",
    "We expect further delays in the coming months",
]  # fmt: skip
FILLER = [
    "Officials did not say when the next round of talks would take place.",
    "The move drew criticism from opposition politicians and local business groups.",
    "Prices on regional markets rose sharply after the announcement.",
    "Satellite images published earlier this month showed increased activity at the site.",
    "Residents described long queues at checkpoints and fuel stations.",
    "Analysts warned that the measures could take years to have an effect.",
    "The government has repeatedly denied any involvement.",
    "Several ministers are expected to travel to the region later this week.",
]  # fmt: skip
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]  # fmt: skip


def _person(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


def _sentence(rng: random.Random, n: int) -> str:
    outlet = rng.choice(OUTLETS)[0]
    other = rng.choice(OUTLETS)[0]
    person, org, place, topic = _person(rng), rng.choice(ORGS), rng.choice(PLACES), rng.choice(
        TOPICS
    )
    choice = rng.randrange(9)
    if choice == 0:
        return (f"{outlet[0].upper()}{outlet[1:]} {rng.choice(VERBS)} that {person}, "
                f"{rng.choice(ROLES)} {org}, met officials in {place} to discuss {topic}.")
    if choice == 1:
        return (f"According to {outlet}, {n % 90 + 3} people were detained near {place} "
                f"after protests over {topic}.")
    if choice == 2:
        return f'"{rng.choice(QUOTES)}," {person} told {outlet}.'
    if choice == 3:
        return (f"{person} said {org} would review {topic} by {rng.choice(MONTHS)}, "
                f"{outlet} reported.")
    if choice == 4:
        return f"{org[0].upper()}{org[1:]} declined to comment, {outlet} wrote, citing {other}."
    if choice == 5:
        return (f"In {place}, {person} of {org} said: \"{rng.choice(QUOTES)}.\"")
    return rng.choice(FILLER)


def _article(rng: random.Random, n: int, size: int) -> tuple[str, str]:
    verb = rng.choice(["braces for", "responds to", "debates", "rejects"])
    title = f"{rng.choice(PLACES)} {verb} {rng.choice(TOPICS)} ({n})"
    paragraphs: list[str] = [f"Story {n}: " + _sentence(rng, n)]
    length = len(title) + len(paragraphs[0])
    while length < size:
        para = " ".join(_sentence(rng, n + i) for i in range(rng.randint(2, 5)))
        paragraphs.append(para)
        length += len(para) + 2
    return title, "\n\n".join(paragraphs)


def generate(root: Path, size_mb: float, seed: int = 7) -> tuple[int, int]:
    """Write about `size_mb` MB of articles under `root`; return (files, bytes)."""
    rng = random.Random(seed)
    target = int(size_mb * 1_000_000)
    total = files = 0
    while total < target:
        folder = root / f"batch-{files // 1000:04d}"
        folder.mkdir(parents=True, exist_ok=True)
        size = rng.randint(2_000, 20_000)
        title, body = _article(rng, files, size)
        if rng.random() < 0.15:
            name, domain = rng.choice(OUTLETS)
            record = {
                "url": f"https://{domain}/news/{files:07d}",
                "title": title,
                "date": f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                "outlet": name.removeprefix("the ").removeprefix("The "),
                "text": body,
            }
            data = json.dumps(record, ensure_ascii=False).encode()
            path = folder / f"article-{files:07d}.json"
        else:
            data = f"{title}\n\n{body}\n".encode()
            path = folder / f"article-{files:07d}.txt"
        path.write_bytes(data)
        files += 1
        total += len(data)
    return files, total


@dataclass
class Sampler:
    """Samples RSS of a process tree from /proc until stopped."""

    pid: int
    interval: float = 0.25
    hwm_kb: dict[int, int] = field(default_factory=dict)
    peak_sum_kb: int = 0
    peak_pss_kb: int = 0
    main_rss_kb: int = 0
    stop: threading.Event = field(default_factory=threading.Event)

    @staticmethod
    def _status(pid: int) -> dict[str, int]:
        out: dict[str, int] = {}
        try:
            with open(f"/proc/{pid}/status") as handle:
                for line in handle:
                    key, _, value = line.partition(":")
                    if key in ("VmHWM", "VmRSS"):
                        out[key] = int(value.split()[0])
        except (OSError, ValueError):
            pass
        return out

    def _tree(self) -> list[int]:
        children: dict[int, list[int]] = {}
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                with open(f"/proc/{entry}/stat") as handle:
                    stat = handle.read()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(ppid, []).append(int(entry))
        tree, todo = [], [self.pid]
        while todo:
            pid = todo.pop()
            tree.append(pid)
            todo.extend(children.get(pid, []))
        return tree

    @staticmethod
    def _pss(pid: int) -> int:
        """Proportional set size: pages shared with the forked workers counted once overall."""
        try:
            with open(f"/proc/{pid}/smaps_rollup") as handle:
                for line in handle:
                    if line.startswith("Pss:"):
                        return int(line.split()[1])
        except (OSError, ValueError):
            pass
        return 0

    def sample(self) -> None:
        total = pss = 0
        for pid in self._tree():
            pss += self._pss(pid)
            status = self._status(pid)
            if not status:
                continue
            self.hwm_kb[pid] = max(self.hwm_kb.get(pid, 0), status.get("VmHWM", 0))
            total += status.get("VmRSS", 0)
            if pid == self.pid:
                self.main_rss_kb = status.get("VmRSS", 0)
        self.peak_sum_kb = max(self.peak_sum_kb, total)
        self.peak_pss_kb = max(self.peak_pss_kb, pss)

    def run(self) -> None:
        while not self.stop.is_set():
            self.sample()
            self.stop.wait(self.interval)


def run_build(corpus: Path, out: Path, workers: int, batch_size: int,
              scheduler: str | None = None) -> dict[str, object]:
    cmd = [sys.executable, "-m", "kg", "-v", "build", str(corpus), "-o", str(out),
           "--workers", str(workers), "--batch-size", str(batch_size)]  # fmt: skip
    if scheduler:
        cmd += ["--scheduler", scheduler]
    print("$ " + " ".join(cmd), flush=True)
    start = time.monotonic()
    proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, text=True, bufsize=1)
    sampler = Sampler(proc.pid)
    thread = threading.Thread(target=sampler.run, daemon=True)
    thread.start()
    growth: list[tuple[int, str, float, float]] = []  # (n, stage, seconds, main RSS MB)
    # Progress lines: "extracted 100 articles" while extracting, then "wrote OUT/graph.ttl"...
    extracted = re.compile(r"extracted (\d+) article|wrote \S*/([\w.]+)$")
    assert proc.stderr is not None
    for line in proc.stderr:
        sys.stderr.write(line)
        match = extracted.search(line)
        if match:
            sampler.sample()
            done = int(match[1]) if match[1] else (growth[-1][0] if growth else 0)
            stage = "extracted" if match[1] else f"wrote {match[2]}"
            growth.append((done, stage, time.monotonic() - start, sampler.main_rss_kb / 1024))
            workers_hwm = max((v for k, v in sampler.hwm_kb.items() if k != proc.pid), default=0)
            print(f"  [memory] main RSS {sampler.main_rss_kb / 1024:.0f} MB, main peak "
                  f"{sampler.hwm_kb.get(proc.pid, 0) / 1024:.0f} MB, worker peak "
                  f"{workers_hwm / 1024:.0f} MB, tree RSS sum peak "
                  f"{sampler.peak_sum_kb / 1024:.0f} MB, "
                  f"tree PSS peak {sampler.peak_pss_kb / 1024:.0f} MB",
                  file=sys.stderr, flush=True)
    code = proc.wait()
    elapsed = time.monotonic() - start
    sampler.stop.set()
    thread.join()
    children_max = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # kB on Linux
    main_hwm = sampler.hwm_kb.get(proc.pid, 0)
    worker_hwm = max((v for k, v in sampler.hwm_kb.items() if k != proc.pid), default=0)
    articles = 0
    report_path = out / "report.json"
    if code == 0 and report_path.exists():
        articles = int(json.loads(report_path.read_text())["articles"])
    return {
        "exit_code": code,
        "articles": articles,
        "seconds": round(elapsed, 1),
        "articles_per_s": round(articles / elapsed, 1) if elapsed else 0.0,
        "main_peak_mb": round(max(main_hwm, 0) / 1024, 1),
        "worker_peak_mb": round(worker_hwm / 1024, 1),
        "workers_seen": len(sampler.hwm_kb) - 1,
        "tree_peak_sum_mb": round(sampler.peak_sum_kb / 1024, 1),
        "tree_peak_pss_mb": round(sampler.peak_pss_kb / 1024, 1),
        "largest_process_mb_getrusage": round(children_max / 1024, 1),
        "growth": growth,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size-mb", type=float, default=200.0, help="corpus size (default 200)")
    parser.add_argument("--corpus", type=Path, default=None,
                        help="folder for the corpus (reused when it already holds files)")
    parser.add_argument("--keep", action="store_true", help="keep the generated corpus")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--batch-size", type=int, default=8)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--scheduler", default=None, metavar="ADDRESS",
                        help="build on this Dask cluster ('local': a LocalCluster)")
    parser.add_argument("--no-baseline", action="store_true", help="skip bare spaCy")
    args = parser.parse_args()

    temp = Path(tempfile.mkdtemp(prefix="kg-memory-"))
    corpus = args.corpus or temp / "corpus"
    try:
        if corpus.exists() and any(corpus.iterdir()):
            files = sum(1 for p in corpus.rglob("*") if p.is_file())
            size = sum(p.stat().st_size for p in corpus.rglob("*") if p.is_file())
            print(f"reusing {corpus}: {files} files, {size / 1e6:.1f} MB", flush=True)
        else:
            t = time.monotonic()
            files, size = generate(corpus, args.size_mb, args.seed)
            print(f"generated {files} files, {size / 1e6:.1f} MB in {corpus} "
                  f"({time.monotonic() - t:.1f} s)", flush=True)
        result = run_build(corpus, temp / "out", args.workers, args.batch_size, args.scheduler)
        base = None if args.no_baseline else run_baseline(corpus, args.workers, args.batch_size)
    finally:
        if not args.keep and args.corpus is None:
            shutil.rmtree(temp, ignore_errors=True)
        elif args.corpus is not None:
            shutil.rmtree(temp, ignore_errors=True)
    growth = cast(list[tuple[int, str, float, float]], result.pop("growth"))
    print()
    print(f"input:             {size / 1e6:.1f} MB in {files} files")
    print(f"exit code:         {result['exit_code']}")
    print(f"articles:          {result['articles']}")
    print(f"elapsed:           {result['seconds']} s")
    print(f"throughput:        {result['articles_per_s']} articles/s, "
          f"{size / 1e6 / max(float(str(result['seconds'])), 1e-9):.2f} MB/s")
    print(f"peak RSS main:     {result['main_peak_mb']} MB")
    print(f"peak RSS worker:   {result['worker_peak_mb']} MB "
          f"({result['workers_seen']} worker process(es) seen)")
    print(f"peak RSS tree sum: {result['tree_peak_sum_mb']} MB (sampled every 0.25 s; counts "
          "pages the forked workers share with the main process once per process)")
    print(f"peak PSS tree sum: {result['tree_peak_pss_mb']} MB (sampled; shared pages counted "
          "once: the real footprint)")
    print(f"largest process (getrusage RUSAGE_CHILDREN): "
          f"{result['largest_process_mb_getrusage']} MB")
    verdict = "under" if float(str(result["tree_peak_pss_mb"])) < TARGET_MB else "OVER"
    print(f"target:            tree PSS peak {verdict} {TARGET_MB} MB")
    if base is not None:
        ratio = float(str(result["seconds"])) / base["seconds"]
        print(f"wall time:         kg build {result['seconds']} s, bare spaCy nlp.pipe "
              f"{base['seconds']:.1f} s over the same {int(base['articles'])} texts "
              f"(n_process={args.workers}): {ratio:.2f}x (target <= {TIME_TARGET}x)")
        result["baseline_seconds"] = round(base["seconds"], 1)
        result["time_ratio"] = round(ratio, 2)
    if growth:
        print("\nmain RSS as the build goes (articles done → MB):")
        extracting = [g for g in growth if g[1] == "extracted"]
        step = max(1, len(extracting) // 12)
        writing = [g for g in growth if g[1] != "extracted"]
        shown = extracting[::step] + ([extracting[-1]] if len(extracting) % step else [])
        for n, stage, seconds, rss in shown + writing:
            print(f"  {stage:>18} {n:>7}  {seconds:7.1f} s  {rss:8.1f} MB")
    print(json.dumps(result))
    return 0 if result["exit_code"] == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
