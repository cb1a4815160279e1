"""What hostile files do to kg: every attack next to good articles, under a memory cap.

    python benchmarks/hostile.py                  # every attack, 2 GiB address-space cap
    python benchmarks/hostile.py --only links-bomb --only unclosed-quotes
    python benchmarks/hostile.py --repo /tmp/old-kg --timeout 180   # another checkout ("before")
    python benchmarks/hostile.py --list

Each attack is generated here (nothing is downloaded), put in a folder beside five good
synthetic articles, and kg is run on it as a user runs it: `python -m kg build IN -o OUT`
(or `kg query` / `kg html` / `kg extract` for the attacks on those), in a subprocess whose
address space is capped with `setrlimit(RLIMIT_AS)` (what `ulimit -v` does; 2 GiB by default)
and which is killed after `--timeout` seconds. Printed per attack and command:

  * good   every good article in the graph (by its headline in graph.ttl), or "-" when the
           command makes no graph;
  * bad    every hostile input reported: named in report.json's skipped list (or in its
           counts) with a one-line reason, or, for an input that is a fair if nasty article
           (unclosed quotes, runs of brackets), read into the graph; for `kg query` / `kg html`,
           a one-line `Error:` or a result;
  * tb     a Python traceback on stderr (never acceptable);
  * exit   the exit code ("T/O" when killed at the timeout, "MEM" for a MemoryError);
  * peak   the peak resident memory of the process tree (the kernel's high-water mark of the
           command and every process it waited for, from wait4), MB;
  * time   wall time, s.

Targets (issue 14): every row "ok": good and bad all yes, no traceback, peak ≤ 1,536 MB and
time ≤ 60 s. Timings share the machine with whatever else runs: say so when you quote them.
Linux only (RLIMIT_AS, wait4, symlinks, non-UTF-8 file names).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import signal
import stat
import subprocess
import sys
import tempfile
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CAP_BYTES = 2 * 1024**3
TARGET_MB = 1536
TARGET_S = 60.0

OUTLETS = ["Reuters", "TASS", "Bloomberg", "Interfax", "the BBC", "Al Jazeera", "NK News"]
PEOPLE = ["Anna Petrova", "Tomas Novak", "Grace Okafor", "Pavel Sokolov", "Yuki Tanaka"]
PLACES = ["Odesa", "Minsk", "Vilnius", "Pyongyang", "Tbilisi", "Warsaw", "Geneva"]
TOPICS = ["the grain deal", "the sanctions", "the cargo flight", "the border closure"]


# --- good articles ------------------------------------------------------------------------


def good_article(n: int, tag: str) -> tuple[str, str]:
    """(headline, text) of a short English story that cites outlets; the headline is unique."""
    rng = random.Random(f"{tag}-{n}")
    place, topic = rng.choice(PLACES), rng.choice(TOPICS)
    title = f"Probe {tag} story {n} from {place}"
    body = (
        f"{rng.choice(OUTLETS)} reported that {rng.choice(PEOPLE)} arrived in {place} on "
        f"Monday to discuss {topic}. According to {rng.choice(OUTLETS)}, officials expect a "
        f"decision within {n % 9 + 2} days. \"Talks will continue,\" {rng.choice(PEOPLE)} "
        f"told {rng.choice(OUTLETS)}."
    )
    return title, f"{title}\n\n{body}\n"


def write_good(folder: Path, tag: str, count: int = 5) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    titles = []
    for n in range(count):
        title, text = good_article(n, tag)
        (folder / f"good-{n}.txt").write_text(text, encoding="utf-8")
        titles.append(title)
    return titles


# --- attacks ------------------------------------------------------------------------------


@dataclass
class Command:
    """One kg command of an attack and what it must show."""

    args: list[str]  # after `python -m kg`; "{IN}", "{OUT}", "{DIR}" are filled in
    good: list[str] = field(default_factory=list)  # headlines that must be in OUT/graph.ttl
    # inputs that must be reported (a substring of a skipped path) unless read as an article
    # (a substring of the graph, e.g. their headline): [(skip path part, headline or "")]
    bad: list[tuple[str, str]] = field(default_factory=list)
    absent: list[str] = field(default_factory=list)  # must appear in no output (stdout too)
    one_line_error: bool = False  # `kg query`/`kg html`: exit 1 with "Error: ..." is fine
    usage_error: bool = False  # a refused option: exit 2 with "Error: ..."
    label: str = ""


@dataclass
class Attack:
    name: str
    about: str
    make: Callable[[Path], list[Command]]


def _page(body: str, title: str) -> str:
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>{title}</title></head>"
        f"<body><article><h1>{title}</h1>{body}</article></body></html>"
    )


WORDS = ["news", "report", "story", "source", "agency", "statement", "article", "update",
         "briefing", "analysis", "the", "official", "record", "document", "interview"]


def _letters(n: int) -> str:
    """Lower-case English words for a number: no sentence may start before them, and the page
    reads as English (so it is extracted)."""
    return f"{WORDS[n % 15]} {WORDS[n // 15 % 15]}"


def links_bomb(d: Path) -> list[Command]:
    """One sentence of 27,000 links (a 1.2 MB page; lower-case words, so the parser may not
    cut it): each link attribution carried its own copy of the whole sentence (3.3 GB)."""
    inp = d / "in"
    good = write_good(inp, "links")
    anchors = " ".join(
        f'<a href="https://s{i}.example/">{_letters(i)}</a>' for i in range(27_000)
    )
    (inp / "links.html").write_text(
        _page(f"<p>Officials said the reports came from {anchors} and more.</p>",
              "Links bomb headline"), encoding="utf-8")
    return [Command(["build", "{IN}", "-o", "{OUT}", "-q"], good,
                    [("links.html", "Links bomb headline")])]


def skipped_lines(d: Path) -> list[Command]:
    """A JSON Lines file of 4 million unreadable lines (8 MB): every skip was kept in memory
    and written out (4.5 GB, a 463 MB report.json)."""
    inp = d / "in"
    good = write_good(inp, "lines")
    with open(inp / "lines.jsonl", "wb") as f:
        f.write(b"x\n" * 4_000_000)
    return [Command(["build", "{IN}", "-o", "{OUT}", "-q"], good, [("lines.jsonl", "")])]


def warc_header_bomb(d: Path) -> list[Command]:
    """A 2 MB .warc.gz whose record has a 2 GiB header line (warcio reads header lines
    whole; --max-mb bounded only payloads: 6.3 GB)."""
    inp = d / "in"
    good = write_good(inp, "warc")
    z = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    with open(inp / "bomb.warc.gz", "wb") as f:
        f.write(z.compress(b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: "
                           b"https://bomb.example/\r\nX-Padding: "))
        chunk = b"a" * (1 << 24)
        for _ in range(128):  # 2 GiB
            f.write(z.compress(chunk))
        f.write(z.compress(b"\r\nContent-Length: 0\r\n\r\n\r\n\r\n"))
        f.write(z.flush())
    return [Command(["build", "{IN}", "-o", "{OUT}", "-q"], good, [("bomb.warc.gz", "")])]


def unclosed_quotes(d: Path) -> list[Command]:
    """100 KB of prose where every quotation mark opens and none closes: each opener looked
    for its close to the end of the paragraph (382 s)."""
    inp = d / "in"
    good = write_good(inp, "quotes")
    rng = random.Random(7)
    parts = []
    while sum(map(len, parts)) < 100_000:
        parts.append(f'{rng.choice(PEOPLE).split()[0]} said "no. "Wait "a ')
    (inp / "quotes.txt").write_text("Unclosed quotes headline\n\n" + "".join(parts) + "\n",
                                    encoding="utf-8")
    return [Command(["build", "{IN}", "-o", "{OUT}", "-q"], good,
                    [("quotes.txt", "Unclosed quotes headline")])]


def _tokenizer_run(d: Path, run: str, tag: str) -> list[Command]:
    inp = d / "in"
    good = write_good(inp, tag)
    title = f"Tokenizer {tag} headline"
    text = (f"{title}\n\nReuters reported that the talks resumed on Monday. "
            f"{run}\n\nAccording to TASS, the talks ended.\n")
    (inp / f"{tag}.txt").write_text(text, encoding="utf-8")
    return [Command(["build", "{IN}", "-o", "{OUT}", "-q"], good, [(f"{tag}.txt", title)])]


def tokenizer_parens(d: Path) -> list[Command]:
    """A run of 20,000 '(' (spaCy's tokenizer peels prefixes one at a time: quadratic)."""
    return _tokenizer_run(d, "(" * 20_000, "parens")


def tokenizer_emoji(d: Path) -> list[Command]:
    """A run of 20,000 emoji with no space between them."""
    return _tokenizer_run(d, "\U0001F600" * 20_000, "emoji")


def _dense_text(chars: int) -> str:
    rng = random.Random(11)
    parts: list[str] = []
    size = 0
    while size < chars:
        a, b, p = rng.choice(OUTLETS), rng.choice(OUTLETS), rng.choice(PEOPLE)
        s = (f"{a} reported that {p} said {b} had confirmed the deal, according to "
             f"{rng.choice(OUTLETS)}. ")
        parts.append(s)
        size += len(s)
        if len(parts) % 40 == 0:
            parts.append("\n\n")
    return "".join(parts)


def dense_attributions(d: Path) -> list[Command]:
    """A 3.2 MB article of nothing but attributions (quadratic mention look-up and nesting:
    no output after 840 s)."""
    inp = d / "in"
    good = write_good(inp, "dense")
    (inp / "dense.txt").write_text("Dense attributions headline\n\n" + _dense_text(3_200_000),
                                   encoding="utf-8")
    return [Command(["build", "{IN}", "-o", "{OUT}", "-q"], good,
                    [("dense.txt", "Dense attributions headline")])]


def dense_attributions_small(d: Path) -> list[Command]:
    """The same, 300 KB: under the characters-per-article budget, so it is extracted."""
    inp = d / "in"
    good = write_good(inp, "dense300")
    (inp / "dense300.txt").write_text("Dense 300k headline\n\n" + _dense_text(300_000),
                                      encoding="utf-8")
    return [Command(["build", "{IN}", "-o", "{OUT}", "-q"], good,
                    [("dense300.txt", "Dense 300k headline")])]


def surrogates(d: Path) -> list[Command]:
    """A lone surrogate (\\ud800) in a JSON article's text, title, url or outlet (the HTML
    writer failed after graph.ttl was replaced)."""
    inp = d / "in"
    good = write_good(inp, "surrogate")
    bad = []
    for fieldname in ("text", "title", "url", "outlet"):
        record = {"title": f"Surrogate in {fieldname}", "url": "https://x.example/a",
                  "outlet": "Reuters",
                  "text": "Reuters reported that the talks resumed on Monday in Geneva."}
        record[fieldname] = record[fieldname] + "\\ud800"  # the JSON escape, not a character
        raw = json.dumps(record).replace("\\\\ud800", "\\ud800")
        (inp / f"surrogate-{fieldname}.json").write_text(raw, encoding="utf-8")
        bad.append((f"surrogate-{fieldname}.json", f"Surrogate in {fieldname}"))
    return [Command(["build", "{IN}", "-o", "{OUT}", "-q"], good, bad)]


def non_utf8_names(d: Path) -> list[Command]:
    """File and folder names with bytes that are not UTF-8 (Windows-1251 and Latin-1 archives)
    and a name with a terminal escape sequence: good articles all, to be read."""
    inp = d / "in"
    good = write_good(inp, "names")
    base = os.fsencode(inp)
    extra = []
    for n, name in enumerate((b"caf\xe9.txt", b"\xcd\xee\xe2\xee\xf1\xf2\xe8/story.txt",
                              b"\x1b[31mred\x1b[0m.txt")):
        title, text = good_article(n, "bytes")
        path = base + b"/" + name
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(text.encode("utf-8"))
        extra.append(title)
    return [Command(["build", "{IN}", "-o", "{OUT}"], good + extra)]


def deep_folders(d: Path) -> list[Command]:
    """A good article at the bottom of 1,000 nested folders (RecursionError)."""
    inp = d / "in"
    good = write_good(inp, "deep")
    path = os.fsencode(inp)
    os.chdir(path)
    try:
        for _ in range(1000):
            os.mkdir(b"d")
            os.chdir(b"d")
        title, text = good_article(9, "deep")
        with open(b"bottom.txt", "w", encoding="utf-8") as f:
            f.write(text)
    finally:
        os.chdir(ROOT)
    return [Command(["build", "{IN}", "-o", "{OUT}", "-q"], [*good, title])]


def symlink_out(d: Path) -> list[Command]:
    """Symlinks from the input folder to a private file and a folder outside it: followed,
    the secret ended up in graph.ttl and graph.html, and `kg extract` printed it."""
    inp = d / "in"
    good = write_good(inp, "symlink")
    outside = d / "outside"
    outside.mkdir()
    secret = outside / "secret.txt"
    secret.write_text("Secret headline SECRETMARKER\n\nReuters reported SECRETMARKER2 that "
                      "the vault code is 1234.\n", encoding="utf-8")
    secret.chmod(stat.S_IRUSR | stat.S_IWUSR)
    os.symlink(secret, inp / "link-to-secret.txt")
    os.symlink(outside, inp / "link-to-outside")
    cmds = [
        Command(["build", "{IN}", "-o", "{OUT}", "-q"], good,
                [("link-to-secret.txt", ""), ("link-to-outside", "")],
                absent=["SECRETMARKER"], label="build"),
        Command(["extract", "{IN}", "-q"], absent=["SECRETMARKER"], label="extract"),
    ]
    return cmds


def out_inside_input(d: Path) -> list[Command]:
    """OUT inside the input folder, built twice: the second build read the first one's
    graph.html and report.json as articles."""
    inp = d / "in"
    good = write_good(inp, "outin")
    cmd = ["build", "{IN}", "-o", "{IN}/out", "-q"]
    return [Command(cmd, label="first"),
            Command(cmd, good, label="second")]


def graph_collection(d: Path) -> list[Command]:
    """A 6.9 MB Turtle file that is one RDF collection of a million items (2M triples):
    rdflib took 5.9 GB to load it for `kg query` / `kg html`."""
    d.mkdir(parents=True, exist_ok=True)
    with open(d / "graph.ttl", "w", encoding="utf-8") as f:
        f.write("<https://x.example/s> <https://x.example/p> (")
        for i in range(0, 1_000_000, 10_000):
            f.write(" ".join(str(n % 1000) for n in range(i, i + 10_000)) + " ")
        f.write(") .\n")
    return [
        Command(["query", "{DIR}/graph.ttl", "top-cited"], one_line_error=True, label="query"),
        Command(["html", "{DIR}/graph.ttl", "-o", "{DIR}/pages"], one_line_error=True,
                label="html"),
    ]


def graph_garbage(d: Path) -> list[Command]:
    """1 GB of random bytes named graph.ttl / graph.nt (rdflib read it all: 8.2 GB)."""
    d.mkdir(parents=True, exist_ok=True)
    block = random.Random(5).randbytes(1 << 20)
    for name in ("graph.ttl", "graph.nt"):
        with open(d / name, "wb") as f:
            for _ in range(1024):
                f.write(block)
    return [
        Command(["query", "{DIR}/graph.ttl", "top-cited"], one_line_error=True, label="query ttl"),
        Command(["query", "{DIR}/graph.nt", "top-cited"], one_line_error=True, label="query nt"),
        Command(["html", "{DIR}/graph.nt", "-o", "{DIR}/pages"], one_line_error=True,
                label="html nt"),
    ]


def query_rows(d: Path) -> list[Command]:
    """A query whose result is a cross product (tens of millions of rows): the rows piled up
    in memory (~35 MB/s) until the timeout fired."""
    inp = d / "in"
    good = write_good(inp, "rows")
    cross = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    return [
        Command(["build", "{IN}", "-o", "{OUT}", "-q"], good, label="build"),
        Command(["query", "{OUT}", cross], one_line_error=True, label="query"),
    ]


def option_overflow(d: Path) -> list[Command]:
    """Option values that overflow (`--timeout 1e400`, `--max-mb 1e400`)."""
    inp = d / "in"
    good = write_good(inp, "options")
    return [
        Command(["build", "{IN}", "-o", "{OUT}", "-q"], good, label="build"),
        Command(["build", "{IN}", "-o", "{OUT}", "-q", "--max-mb", "1e400"], usage_error=True,
                label="--max-mb 1e400"),
        Command(["query", "{OUT}", "top-cited", "--timeout", "1e400"], usage_error=True,
                label="--timeout 1e400"),
    ]


ATTACKS = [
    Attack("links-bomb", "27k links in one sentence (1.2 MB page)", links_bomb),
    Attack("skipped-lines", "4M unreadable JSONL lines (8 MB)", skipped_lines),
    Attack("warc-header-bomb", "2 GiB WARC header line (2 MB .warc.gz)", warc_header_bomb),
    Attack("unclosed-quotes", "100 KB of unclosed quotation marks", unclosed_quotes),
    Attack("tokenizer-parens", "20,000 '(' in a row", tokenizer_parens),
    Attack("tokenizer-emoji", "20,000 emoji in a row", tokenizer_emoji),
    Attack("dense-3mb", "3.2 MB article of attributions", dense_attributions),
    Attack("dense-300k", "300 KB article of attributions", dense_attributions_small),
    Attack("surrogates", "lone surrogates in JSON text/title/url/outlet", surrogates),
    Attack("non-utf8-names", "non-UTF-8 and escape-code file names", non_utf8_names),
    Attack("deep-folders", "1,000 nested folders", deep_folders),
    Attack("symlink-out", "symlinks out of the input folder", symlink_out),
    Attack("out-inside-input", "OUT inside the input folder", out_inside_input),
    Attack("graph-collection", "1M-item RDF collection (6.9 MB)", graph_collection),
    Attack("graph-garbage", "1 GB of random bytes as a graph file", graph_garbage),
    Attack("query-rows", "cross-product query", query_rows),
    Attack("option-overflow", "--timeout / --max-mb 1e400", option_overflow),
]


# --- running ------------------------------------------------------------------------------


@dataclass
class Outcome:
    attack: str
    label: str
    good: str
    bad: str
    traceback: bool
    exit: str
    peak_mb: float
    seconds: float
    notes: list[str]

    @property
    def ok(self) -> bool:
        return (self.good in ("yes", "-") and (self.bad == "-" or self.bad.startswith("yes"))
                and not self.traceback
                and self.exit not in ("T/O", "MEM") and self.peak_mb <= TARGET_MB
                and self.seconds <= TARGET_S and not self.notes)


def _run(argv: list[str], env: dict[str, str], cap: int, timeout: float, cwd: Path
         ) -> tuple[int | None, bytes, bytes, float, float]:
    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
        os.setsid()

    out_f = tempfile.TemporaryFile()
    err_f = tempfile.TemporaryFile()
    start = time.monotonic()
    # cwd: `python -m kg` puts the current folder first on sys.path, ahead of PYTHONPATH
    proc = subprocess.Popen(argv, stdout=out_f, stderr=err_f, env=env, preexec_fn=limit,
                            cwd=cwd)
    code: int | None = None
    usage = None
    deadline = start + timeout
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            code = os.waitstatus_to_exitcode(status)
            break
        if time.monotonic() > deadline:
            os.killpg(proc.pid, signal.SIGKILL)
            _pid, _status, usage = os.wait4(proc.pid, 0)
            break
        time.sleep(0.05)
    proc.returncode = code if code is not None else -9
    seconds = time.monotonic() - start
    # every process left in its session (workers that outlived it) is stopped too
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    out_f.seek(0)
    err_f.seek(0)
    return code, out_f.read(), err_f.read(), usage.ru_maxrss / 1024, seconds


def _remove(path: Path) -> None:
    # rm, not shutil.rmtree: the latter recurses once per level of the 1,000-deep tree
    subprocess.run(["rm", "-rf", "--", str(path)], check=False)


def _skipped_paths(report: dict[str, object]) -> list[tuple[str, str]]:
    found = []
    for item in report.get("skipped", []) or []:  # type: ignore[union-attr]
        if isinstance(item, dict):
            found.append((str(item.get("path", "")), str(item.get("reason", ""))))
    return found


def _fill(arg: str, inp: Path, out: Path, d: Path) -> str:
    return arg.replace("{IN}", str(inp)).replace("{OUT}", str(out)).replace("{DIR}", str(d))


def run_attack(  # noqa: C901 (one check per kind of command, read top to bottom)
    attack: Attack, work: Path, args: argparse.Namespace
) -> list[Outcome]:
    d = work / attack.name
    _remove(d)
    d.mkdir(parents=True)
    commands = attack.make(d)
    inp, out = d / "in", d / "out"
    env = {**os.environ, "PYTHONPATH": str(args.repo), "PYTHONHASHSEED": "0",
           "TMPDIR": str(d)}
    outcomes = []
    for cmd in commands:
        argv = [sys.executable, "-m", "kg", *(_fill(a, inp, out, d) for a in cmd.args)]
        code, stdout, stderr, peak, seconds = _run(argv, env, args.cap_mb * 1024**2,
                                                    args.timeout, d)
        err = stderr.decode("utf-8", "replace")
        notes: list[str] = []
        tb = "Traceback (most recent call last)" in err
        exit_text = "T/O" if code is None else str(code)
        if "MemoryError" in err:
            exit_text = "MEM"
        good = bad = "-"
        graph = ""
        if cmd.args[0] == "build":
            out_dir = Path(_fill(cmd.args[3], inp, out, d))
            graph_file = out_dir / "graph.ttl"
            graph = graph_file.read_text("utf-8", "replace") if graph_file.exists() else ""
            report_file = out_dir / "report.json"
            try:
                report = json.loads(report_file.read_text("utf-8"))
            except (OSError, ValueError):
                report = {}
            if report_file.exists() and report_file.stat().st_size > 10_000_000:
                notes.append(f"report.json {report_file.stat().st_size / 1e6:.0f} MB")
            if cmd.good:
                missing = [t for t in cmd.good if t not in graph]
                good = "yes" if not missing and code == 0 else f"no ({len(missing)} missing)"
            if cmd.bad:
                skipped = _skipped_paths(report)
                unreported = []
                for part, headline in cmd.bad:
                    hits = [r for p, r in skipped if part in p]
                    if hits and all("\n" not in r and r.strip() for r in hits):
                        continue
                    if headline and headline in graph:
                        continue
                    unreported.append(part)
                bad = "yes" if not unreported else f"no ({', '.join(unreported)})"
            if "\x1b" in err:
                notes.append("raw escape sequence on stderr")
        if cmd.one_line_error:
            lines = [line for line in err.splitlines() if line.strip()]
            if code == 0:
                bad = "yes (ran)"
            elif code == 1 and len(lines) == 1 and lines[0].startswith("Error:"):
                bad = "yes (refused)"
            else:
                bad = f"no (exit {code}, {len(lines)} stderr lines)"
        if cmd.usage_error:
            bad = "yes" if code == 2 and not tb else f"no (exit {code})"
        if cmd.absent:
            texts = [stdout.decode("utf-8", "replace"), graph]
            if cmd.args[0] == "build":
                for name in ("graph.html", "report.json"):
                    page = Path(_fill(cmd.args[3], inp, out, d)) / name
                    if page.exists():
                        texts.append(page.read_text("utf-8", "replace"))
            for marker in cmd.absent:
                if any(marker in t for t in texts):
                    notes.append(f"{marker} in the outputs")
        if cmd.args[0] == "build" and cmd.label == "second":
            report_file = Path(_fill(cmd.args[3], inp, out, d)) / "report.json"
            report = json.loads(report_file.read_text("utf-8")) if report_file.exists() else {}
            own = [p for p, _ in _skipped_paths(report) if "/out/" in p]
            if own or report.get("articles") != len(cmd.good):
                notes.append(f"read its own outputs ({report.get('articles')} articles, "
                             f"{len(own)} skips in out/)")
        if tb:
            last = [line for line in err.splitlines() if line.strip()][-1:]
            notes.append(f"traceback: {last[0][:100] if last else ''}")
        outcomes.append(Outcome(attack.name, cmd.label, good, bad, tb, exit_text, peak,
                                seconds, notes))
    if not args.keep:
        _remove(d)
    return outcomes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", action="append", default=[], metavar="NAME")
    parser.add_argument("--list", action="store_true")
    parser.add_argument("--repo", type=Path, default=ROOT,
                        help="kg checkout to run (PYTHONPATH); default: this one")
    parser.add_argument("--cap-mb", type=int, default=CAP_BYTES // 1024**2,
                        help="address-space cap per command (ulimit -v), MB")
    parser.add_argument("--timeout", type=float, default=300.0,
                        help="kill a command after this many seconds")
    parser.add_argument("--work", type=Path, default=None, help="folder for the attacks")
    parser.add_argument("--keep", action="store_true", help="keep the generated files")
    parser.add_argument("--json", type=Path, default=None, help="also write the rows here")
    args = parser.parse_args()
    if args.list:
        for attack in ATTACKS:
            print(f"{attack.name:18} {attack.about}")
        return
    chosen = [a for a in ATTACKS if not args.only or a.name in args.only]
    unknown = set(args.only) - {a.name for a in ATTACKS}
    if unknown:
        parser.error(f"unknown attack(s): {', '.join(sorted(unknown))}")
    work = args.work or Path(tempfile.mkdtemp(prefix="kg-hostile-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"kg at {args.repo}; cap {args.cap_mb} MB address space; timeout {args.timeout:g} s; "
          f"load average {os.getloadavg()[0]:.1f}", flush=True)
    header = (f"{'attack':18} {'command':16} {'good':8} {'bad':14} {'tb':3} {'exit':5} "
              f"{'peak MB':>8} {'time s':>7}  verdict")
    print(header)
    print("-" * len(header))
    rows: list[Outcome] = []
    for attack in chosen:
        for o in run_attack(attack, work, args):
            rows.append(o)
            label = o.label or "build"
            print(f"{o.attack:18} {label[:16]:16} {o.good[:8]:8} {o.bad[:14]:14} "
                  f"{'YES' if o.traceback else 'no':3} {o.exit:5} {o.peak_mb:8.0f} "
                  f"{o.seconds:7.1f}  {'ok' if o.ok else 'FAIL'}"
                  + (f"  ({'; '.join(o.notes)})" if o.notes else ""), flush=True)
    if not args.work and not args.keep:
        _remove(work)
    failed = [o for o in rows if not o.ok]
    print(f"\n{len(rows) - len(failed)}/{len(rows)} ok (targets: peak ≤ {TARGET_MB} MB, "
          f"time ≤ {TARGET_S:g} s, every good article in, every bad input reported, "
          "no traceback)")
    if args.json:
        args.json.write_text(json.dumps([o.__dict__ for o in rows], indent=1) + "\n")


if __name__ == "__main__":
    main()
