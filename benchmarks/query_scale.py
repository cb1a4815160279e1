"""Named queries at scale: `kg query` on the store against rdflib on the same triples.

    python benchmarks/query_scale.py ../shared/corpora/bbc [--work DIR] [--sizes 1e6 5e6]

Builds the corpus once (`kg build --format nt`; an existing build in WORK/base is reused),
then scales its graph to each size by replicating its articles under new IRIs (every triple
that names an article, and the attributions under it, is copied with `-rN` appended to the
article's IRI; outlets, people and other entities are shared, and the outlet-level weights
grow with the copies, as a corpus of that many articles would give). For each size it loads a
store as `kg build` does, then prints per named query (all of `kg/queries/*.rq`):

  * query time: the query evaluated on the open store, in this process (best of 3), wall
    and CPU time;
  * `kg query` as a whole process: wall time, CPU time (user + system of the process and its
    evaluator) and peak memory of its process tree;
  * rdflib, in the same run: the time to parse the N-Triples file and add the same
    materialised triples (once per size), each query's time on the parsed graph (capped by
    --rdflib-timeout), and the peak memory.

Targets (issue 13) at 5M triples: every named query at most 1 s of query time, at most 2 s and
500 MB as a whole `kg query` process. Timings on a shared machine are noisy: run it alone.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
KG = [sys.executable, "-m", "kg"]
ARTICLE = re.compile(rb"<https://w3id\.org/kg/id/article/([^>/]+)")
WEIGHT = re.compile(rb'^(.*> <https://w3id\.org/kg/ns#weight> ")(\d+)(".*)$', re.DOTALL)
# Parameters that find something in the BBC corpus (the named queries' examples are for data/).
PARAMS = {"outlet": "bbc", "entity": "michael howard", "person": "michael howard"}


def build(corpus: list[str], base: Path) -> Path:
    nt = base / "graph.nt"
    if not nt.exists():
        subprocess.run([*KG, "build", *corpus, "-o", str(base), "--format", "nt", "--workers",
                        "2", "-q"], check=True)
    return nt


def scale(source: Path, target: Path, copies: int) -> int:
    """Write `source` with its articles replicated `copies` times; the number of triples."""
    n = 0
    with source.open("rb") as src, target.open("wb") as out:
        for line in src:
            if ARTICLE.search(line):
                for k in range(copies):
                    suffix = b"" if k == 0 else b"-r%d" % k
                    out.write(ARTICLE.sub(lambda m, s=suffix: m.group(0) + s, line))
                n += copies
            else:
                m = WEIGHT.match(line)
                if m:  # an outlet-level weight: backed by every copy of its articles
                    line = m.group(1) + str(int(m.group(2)) * copies).encode() + m.group(3)
                out.write(line)
                n += 1
    return n


def peak_tree_rss(pid: int, stop: threading.Event, out: list[int]) -> None:
    """Poll the RSS of `pid` and its descendants (kg query forks its evaluator)."""
    peak = 0
    while not stop.is_set():
        total = 0
        for proc in Path("/proc").iterdir():
            if not proc.name.isdigit():
                continue
            try:
                status = (proc / "status").read_text()
            except OSError:
                continue
            fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
            ppid = int(fields.get("PPid", "0").strip() or 0)
            if int(proc.name) == pid or ppid == pid:
                total += int(fields.get("VmRSS", "0 kB").split()[0])
        peak = max(peak, total)
        time.sleep(0.005)
    out.append(peak)


def whole_process(store_dir: Path, name: str, params: dict[str, str]
                  ) -> tuple[float, float, float]:
    """Wall time, CPU time (user + system, the process and its evaluator) and peak MB."""
    args = [*KG, "query", str(store_dir), name, "--format", "csv", "--timeout", "120"]
    for key, value in params.items():
        args += ["-p", f"{key}={value}"]
    stop = threading.Event()
    peaks: list[int] = []
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    watcher = threading.Thread(target=peak_tree_rss, args=(proc.pid, stop, peaks))
    watcher.start()
    _, err = proc.communicate()
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    stop.set()
    watcher.join()
    if proc.returncode != 0:
        sys.exit(f"kg query {name} failed: {err.decode()}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, peaks[0] / 1024


def query_time(store_dir: Path, name: str, params: dict[str, str]
               ) -> tuple[float, float, int]:
    """Best wall time and best CPU time of 3 evaluations on the open store, and the rows."""
    from kg.query import evaluate, get_named_query, prepare
    from kg.store import Source, open_source

    store = open_source(Source(store_dir, store=True))
    prepared = prepare(get_named_query(name).text, params)
    best, best_cpu, rows = float("inf"), float("inf"), 0
    for _ in range(3):
        start, cpu = time.perf_counter(), time.process_time()
        rows = len(evaluate(store, prepared).rows)
        best = min(best, time.perf_counter() - start)
        best_cpu = min(best_cpu, time.process_time() - cpu)
    return best, best_cpu, rows


RDFLIB = r"""
import json, resource, signal, sys, time
import rdflib
from kg.query import list_named_queries
from kg.namespaces import PREFIXES
path, params, cap = sys.argv[1], json.loads(sys.argv[2]), float(sys.argv[3])
t = time.perf_counter()
g = rdflib.Graph()
g.parse(path, format="nt")
from kg.store import COUNTS, MATERIALISE, cited_ranks
g.update(MATERIALISE)  # the triples kg's store adds when it loads a graph
rows = [(str(r[0]), isinstance(r[0], rdflib.BNode), int(r[1]), int(r[2])) for r in g.query(COUNTS)]
rank = rdflib.URIRef("https://w3id.org/kg/ns#citedRank")
for source, blank, n in cited_ranks(rows):
    node = rdflib.BNode(source) if blank else rdflib.URIRef(source)
    g.add((node, rank, rdflib.Literal(n)))
out = {"parse": time.perf_counter() - t, "queries": {}}
class Timeout(Exception):
    pass
def alarm(*_):
    raise Timeout()
signal.signal(signal.SIGALRM, alarm)
ns = {p: rdflib.URIRef(i) for p, i in PREFIXES}
for q in list_named_queries():
    bindings = {p.name: rdflib.Literal(params.get(p.name, p.example)) for p in q.params}
    t = time.perf_counter()
    signal.setitimer(signal.ITIMER_REAL, cap)
    try:
        n = len(list(g.query(q.text, initNs=ns, initBindings=bindings)))
        out["queries"][q.name] = [time.perf_counter() - t, n]
    except Timeout:
        out["queries"][q.name] = [None, None]
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
out["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(out))
"""


def rdflib_side(nt: Path, cap: float) -> dict[str, object]:
    proc = subprocess.run([sys.executable, "-c", RDFLIB, str(nt), json.dumps(PARAMS), str(cap)],
                          capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        return {"error": proc.stderr.strip().splitlines()[-1:]}
    return dict(json.loads(proc.stdout.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="+")
    parser.add_argument("--work", type=Path, default=None, help="keep builds and stores here")
    parser.add_argument("--sizes", type=float, nargs="+", default=[1e6, 5e6])
    parser.add_argument("--rdflib-timeout", type=float, default=60.0)
    parser.add_argument("--no-rdflib", action="store_true")
    args = parser.parse_args()

    from kg.query import list_named_queries
    from kg.store import write_store

    work = args.work or Path(tempfile.mkdtemp(prefix="kg-query-scale-"))
    work.mkdir(parents=True, exist_ok=True)
    base_nt = build(args.corpus, work / "base")
    base_triples = sum(1 for _ in base_nt.open("rb"))
    article_lines = sum(1 for line in base_nt.open("rb") if ARTICLE.search(line))
    print(f"base graph: {base_triples:,} triples ({article_lines:,} about articles)")
    for size in args.sizes:
        copies = max(1, round((size - (base_triples - article_lines)) / article_lines))
        folder = work / f"x{copies}"
        folder.mkdir(exist_ok=True)
        nt = folder / "graph.nt"
        if not nt.exists():
            scale(base_nt, nt, copies)
        if not (folder / "graph.oxigraph").exists():
            t = time.perf_counter()
            write_store(nt)
            print(f"store for {copies} copies loaded and optimised in "
                  f"{time.perf_counter() - t:.1f} s")
        triples = sum(1 for _ in nt.open("rb"))
        print(f"\n== {triples:,} triples ({copies} copies of the articles; "
              f"{nt.stat().st_size / 1e6:.0f} MB N-Triples)")
        rdf = {} if args.no_rdflib else rdflib_side(nt, args.rdflib_timeout)
        if rdf.get("parse") is not None:
            print(f"rdflib: parse and count {rdf['parse']:.1f} s, peak {rdf['rss_mb']:.0f} MB")
        elif rdf:
            print(f"rdflib failed: {rdf.get('error')}")
        print(f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; CPU time is "
              "what a loaded machine distorts least)")
        header = (f"{'query':24} {'rows':>7} {'query s':>8} {'CPU s':>6} {'kg query s':>10} "
                  f"{'CPU s':>6} {'kg MB':>7} {'rdflib s':>9}")
        print(header)
        print("-" * len(header))
        rdf_queries = rdf.get("queries") or {}
        assert isinstance(rdf_queries, dict)
        for q in list_named_queries():
            params = {p.name: PARAMS.get(p.name, p.example) for p in q.params}
            seconds, cpu, rows = query_time(folder / "graph.oxigraph", q.name, params)
            wall, process_cpu, mb = whole_process(folder / "graph.oxigraph", q.name, params)
            r = rdf_queries.get(q.name)
            rdf_text = ("—" if r is None else
                        f"> {args.rdflib_timeout:.0f}" if r[0] is None else f"{r[0]:.2f}")
            print(f"{q.name:24} {rows:>7} {seconds:>8.3f} {cpu:>6.3f} {wall:>10.2f} "
                  f"{process_cpu:>6.2f} {mb:>7.0f} {rdf_text:>9}")
    print(f"\nwork folder: {work} (cpu count {os.cpu_count()})")


if __name__ == "__main__":
    main()
