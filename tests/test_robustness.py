"""Broken and hostile input: nothing crashes, nothing is lost, nothing executes.

One folder holds every kind of bad input next to good synthetic articles; `kg build` runs on it
as a subprocess (the way users run it) and must exit 0, put every good article in the graph,
list every bad input in report.json with a one-line reason, and print no traceback. The
encoding twins (Windows-1251, Latin-1, UTF-16) must give the same extraction as UTF-8.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import rdflib
from click.testing import CliRunner
from rdflib.namespace import RDF
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from kg.cli import cli
from tests.conftest import ROOT
from tests.test_ingest import CYRILLIC_ARTICLE

SCHEMA = rdflib.Namespace("https://schema.org/")
KG = rdflib.Namespace("https://w3id.org/kg/ns#")
MAX_MB = "0.01"  # 10 000 bytes: every good article below is smaller, the "big" file is not

# --- good synthetic articles (English news that cite outlets) ----------------------------------

GRAIN = (
    "Grain ships leave Odesa under new corridor deal\n"
    "\n"
    "Three cargo ships loaded with wheat left the port of Odesa on Tuesday, Reuters reported, "
    "the first departures since the corridor agreement was signed in Istanbul.\n"
    "\n"
    "According to TASS, Russian officials said the convoy had been inspected before it sailed. "
    "The Ukrainian infrastructure minister Oleksandr Kubrakov told the BBC that more ships "
    "would follow within days.\n"
)
SPACES = (
    "Flights resume at Vilnius airport\n"
    "\n"
    "Flights resumed at Vilnius airport on Sunday after a two-day closure caused by balloons "
    "drifting in from Belarus, the Associated Press reported.\n"
    "\n"
    "Airport director Simonas Bartkus said the runway had been checked twice, according to "
    "Interfax.\n"
)
UNICODE_NAME = (
    "Tallinn port expands ferry service\n"
    "\n"
    "The port of Tallinn will add four daily ferries to Helsinki from June, Bloomberg "
    "reported on Wednesday, citing people familiar with the plan.\n"
    "\n"
    "The Estonian economy minister said the move would ease pressure on the road border, "
    "according to Deutsche Welle.\n"
)
NEWLINE_NAME = (
    "Power cuts hit Kharkiv again\n"
    "\n"
    "Rolling power cuts returned to Kharkiv on Friday after a missile strike damaged a "
    "substation, The Kyiv Independent reported.\n"
    "\n"
    "Mayor Ihor Terekhov said repairs would take at least a week, according to Reuters.\n"
)
CYRILLIC = (
    "Переговоры в Минске завершились без соглашения\n"
    "\n"
    "Переговоры оппозиции с властями в Минске в понедельник завершились без соглашения, "
    "сообщает ТАСС. По словам участников, следующая встреча пока не назначена.\n"
    "\n"
    "Как пишет Интерфакс, наблюдатели из Вильнюса считают такой исход ожидаемым, а новые "
    "встречи до конца года маловероятными.\n"
)
LATIN = (
    "Café owners protest in Zürich\n"
    "\n"
    "José Müller, who runs a café near the Bahnhofstraße, told Reuters that the new rules "
    "would hurt small businesses. François Désirée agreed, according to Le Monde.\n"
    "\n"
    "The council said it would review the proposal next month after hearing from residents.\n"
)
UTF16 = (
    "Satellite launch delayed at Vostochny\n"
    "\n"
    "The launch of a weather satellite from the Vostochny Cosmodrome was delayed by a day "
    "because of strong winds, Interfax reported, citing Roscosmos.\n"
    "\n"
    "According to TASS, the rocket remained on the pad and engineers were checking its "
    "systems. Roscosmos chief Yury Borisov said the new date would be announced on Monday.\n"
)
DUPLICATE = {
    "url": "https://www.reuters.com/world/europe/baltic-cable-damaged-2024-05-20/",
    "title": "Baltic undersea cable damaged, Finland says",
    "date": "2024-05-20",
    "outlet": "Reuters",
    "text": (
        "An undersea data cable between Finland and Estonia was damaged on Monday, the Finnish "
        "government said, according to Yle. Investigators are examining a Chinese container "
        "ship that passed over the cable, Reuters reported, citing two officials."
    ),
}
SYNDICATED_TEXT = (
    "Moldova detains suspected saboteurs near the border\n\n"
    "Moldovan police detained two men suspected of planning attacks on railway lines near the "
    "border with Ukraine, Interfax reported on Thursday. The men had entered the country a week "
    "earlier, according to the interior ministry, which did not name them."
)
SYNDICATED = [
    {
        "url": "https://www.reuters.com/world/europe/moldova-detains-2024-05-23/",
        "title": "Moldova detains suspected saboteurs near the border",
        "date": "2024-05-23",
        "outlet": "Reuters",
        "text": SYNDICATED_TEXT,
    },
    {
        "url": "https://www.themoscowtimes.com/2024/05/23/moldova-detains-a1",
        "title": "Moldova detains suspected saboteurs near the border",
        "date": "2024-05-23",
        "outlet": "The Moscow Times",
        "text": SYNDICATED_TEXT,
    },
]
WIRE_LINES = [
    {
        "url": "https://apnews.com/article/latvia-drones-0524",
        "title": "Latvia says drone crashed near Rezekne",
        "outlet": "Associated Press",
        "date": "2024-05-24",
        "text": "A military drone crashed near the Latvian town of Rezekne overnight, the Latvian "
        "defence ministry said, according to the Associated Press.",
    },
    {
        "url": "https://apnews.com/article/poland-border-0524",
        "title": "Poland reinforces eastern border patrols",
        "outlet": "Associated Press",
        "date": "2024-05-24",
        "text": "Poland will send 5,000 more soldiers to its border with Belarus, Polish "
        "broadcaster TVN24 reported, citing the defence minister Wladyslaw Kosiniak-Kamysz.",
    },
]
GOOD_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Georgia passes foreign agents law | Example Tribune</title>
<meta property="og:site_name" content="Example Tribune">
<meta property="og:title" content="Georgia passes foreign agents law">
<link rel="canonical" href="https://tribune.example.com/2024/05/georgia-law">
</head><body>
<article><h1>Georgia passes foreign agents law</h1>
<p>Georgia's parliament passed the foreign agents law on Tuesday despite weeks of protests in
Tbilisi, Reuters reported, and the European Union said it was deeply concerned.</p>
<p>According to Interfax, the ruling party's leader said the law would bring transparency.
Opposition politicians told Al Jazeera that they would challenge it in the courts.</p>
</article></body></html>
"""

HEADLINES = {
    "Grain ships leave Odesa under new corridor deal",
    "Flights resume at Vilnius airport",
    "Tallinn port expands ferry service",
    "Power cuts hit Kharkiv again",
    "Переговоры в Минске завершились без соглашения",
    "Café owners protest in Zürich",
    "Satellite launch delayed at Vostochny",
    "Baltic undersea cable damaged, Finland says",
    "Latvia says drone crashed near Rezekne",
    "Poland reinforces eastern border patrols",
    "Georgia passes foreign agents law",
}
# ... and the syndicated pair: two NewsArticle nodes under one headline.
SYNDICATED_HEADLINE = "Moldova detains suspected saboteurs near the border"
GOOD_ARTICLES = len(HEADLINES) + 2


def make_warc(path: Path, pages: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    for uri, body in pages:
        headers = StatusAndHeaders(
            "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
        )
        writer.write_record(
            writer.create_warc_record(uri, "response", payload=io.BytesIO(body),
                                      http_headers=headers)
        )
    return buffer.getvalue()


@dataclass
class Pile:
    """The generated input folder and what a build of it must report."""

    root: Path
    bad: dict[str, str] = field(default_factory=dict)  # label → path (as kg reports it) prefix
    good_paths: list[str] = field(default_factory=list)
    loop_notes: list[str] = field(default_factory=list)


def write_pile(root: Path) -> Pile:
    pile = Pile(root)
    good = root / "good"
    bad = root / "bad"
    good.mkdir(parents=True)
    bad.mkdir()

    def add_good(path: Path, data: bytes) -> None:
        path.write_bytes(data)
        pile.good_paths.append(str(path))

    def add_bad(label: str, path: Path, data: bytes | None, reported: str | None = None) -> None:
        if data is not None:
            path.write_bytes(data)
        pile.bad[label] = reported or str(path)

    # good ones, including the legacy encodings and odd file names
    add_good(good / "reuters-grain.txt", GRAIN.encode())
    add_good(good / "name with spaces.txt", SPACES.encode())
    add_good(good / "ünïcödé-статья.txt", UNICODE_NAME.encode())
    add_good(good / "new\nline.txt", NEWLINE_NAME.encode())
    add_good(good / "minsk-cp1251.txt", CYRILLIC.encode("cp1251"))
    add_good(good / "zurich-latin1.txt", LATIN.encode("latin-1"))
    add_good(good / "vostochny-utf16.txt", UTF16.encode("utf-16"))  # with a BOM
    add_good(good / "tribune.html", GOOD_PAGE.encode())
    add_good(good / "dup-a.json", json.dumps(DUPLICATE).encode())
    for n, record in enumerate(SYNDICATED):
        add_good(good / f"syndicated-{n}.json", json.dumps(record).encode())

    # the same article again: same URL (JSON), and the same text (plain .txt)
    (good / "dup-b.json").write_text(json.dumps(DUPLICATE))
    (good / "z-reuters-grain-again.txt").write_text(GRAIN)

    # JSON Lines with broken lines: the good lines are kept
    lines = [json.dumps(WIRE_LINES[0]).encode(), b'{"title": "cut off", "text": "no end',
             json.dumps(WIRE_LINES[1]).encode(), b'{"text": "bad \xff\xfe bytes"}']
    jsonl = root / "wire.jsonl"
    jsonl.write_bytes(b"\n".join(lines) + b"\n")
    pile.good_paths += [f"{jsonl}:1", f"{jsonl}:3"]
    pile.bad["jsonl broken line"] = f"{jsonl}:2"
    pile.bad["jsonl invalid UTF-8 line"] = f"{jsonl}:4"

    add_bad("empty file", bad / "empty.txt", b"")
    add_bad("binary .txt", bad / "binary.txt", bytes(range(256)) * 8)
    # bytes that are UTF-8 nowhere and text in no codepage
    add_bad("invalid UTF-8", bad / "invalid-utf8.txt", bytes(range(128, 256)) * 3)
    full_gz = gzip.compress(GRAIN.replace("Odesa", "Mykolaiv").encode() * 3)
    add_bad("truncated .gz", bad / "cut.txt.gz", full_gz[: len(full_gz) // 2])
    warc = make_warc(bad / "crawl.warc.gz", [("https://tribune.example.com/x",
                                             GOOD_PAGE.replace("Georgia", "Armenia").encode())])
    add_bad("truncated .warc.gz", bad / "crawl.warc.gz", warc[: int(len(warc) * 0.6)])
    add_bad("JSON wrong field types", bad / "wrong-types.json",
            json.dumps({"url": 42, "title": ["a"], "text": {"body": 1}}).encode())
    add_bad("HTML without body", bad / "no-body.html",
            b"<html><head><title>Menu</title></head><body><nav><a href='/'>Home</a></nav>"
            b"<script>alert(1)</script></body></html>")
    add_bad("too large", bad / "big.txt", (GRAIN * 40).replace("Odesa", "Izmail").encode())
    # a symlink to itself, and a folder symlink back to its parent
    (bad / "loop.txt").symlink_to("loop.txt")
    pile.bad["symlink loop (file)"] = str(bad / "loop.txt")
    (bad / "sub").mkdir()
    (bad / "sub" / "back").symlink_to("..")
    pile.bad["symlink loop (folder)"] = str(bad / "sub" / "back")
    if os.geteuid() != 0:
        secret = bad / "secret.txt"
        secret.write_text(GRAIN.replace("Odesa", "Kherson"))
        secret.chmod(0)
        pile.bad["unreadable"] = str(secret)
    # else: root reads anything; test_unreadable_file_as_unprivileged_user covers it

    # hostile but harmless: 5000-deep HTML (parsed or skipped, never a crash)
    deep = ("<html><body>" + "<div>" * 5000 + "<p>" + "Deep text goes on and on. " * 20
            + "</p>" + "</div>" * 5000 + "</body></html>")
    (root / "deep.html").write_text(deep)
    return pile


def run_kg(
    *args: str, cwd: Path | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "kg", *args],
        capture_output=True, text=True, timeout=timeout, env=env, cwd=cwd,
    )  # fmt: skip


@dataclass
class Built:
    pile: Pile
    out: Path
    proc: subprocess.CompletedProcess[str]
    report: dict[str, Any]
    rdf: rdflib.Graph


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    root = tmp_path_factory.mktemp("pile")
    pile = write_pile(root / "in")
    out = root / "out"
    proc = run_kg("build", str(pile.root), "-o", str(out), "--max-mb", MAX_MB)
    report = json.loads((out / "report.json").read_text()) if proc.returncode == 0 else {}
    rdf = rdflib.Graph()
    if proc.returncode == 0:
        rdf.parse(out / "graph.ttl")
    return Built(pile, out, proc, report, rdf)


def test_build_exits_0_without_traceback(built: Built) -> None:
    assert built.proc.returncode == 0, built.proc.stderr
    assert "Traceback" not in built.proc.stderr
    assert "skipped" in built.proc.stderr  # summarised on stderr


def test_every_good_article_is_in_the_graph(built: Built) -> None:
    articles = set(built.rdf.subjects(RDF.type, SCHEMA.NewsArticle))
    assert len(articles) == GOOD_ARTICLES == built.report["articles"]
    headlines = {str(h) for a in articles for h in built.rdf.objects(a, SCHEMA.headline)}
    assert headlines == HEADLINES | {SYNDICATED_HEADLINE}
    paths = {str(p) for a in articles for p in built.rdf.objects(a, KG.path)}
    for path in built.pile.good_paths:
        assert path in paths, path


def test_deep_html_is_parsed_or_skipped(built: Built) -> None:
    deep = str(built.pile.root / "deep.html")
    paths = {str(p) for p in built.rdf.objects(None, KG.path)}
    skipped = {s["path"] for s in built.report["skipped"]}
    assert (deep in paths) != (deep in skipped)


@pytest.mark.parametrize(
    "label",
    [
        "empty file", "binary .txt", "invalid UTF-8", "truncated .gz", "truncated .warc.gz",
        "jsonl broken line", "jsonl invalid UTF-8 line", "JSON wrong field types",
        "HTML without body", "too large", "symlink loop (file)", "symlink loop (folder)",
        "unreadable",
    ],
)  # fmt: skip
def test_every_bad_input_is_skipped_with_a_one_line_reason(built: Built, label: str) -> None:
    if label not in built.pile.bad:
        pytest.skip("running as root: permission bits do not apply (see the setpriv test)")
    path = built.pile.bad[label]
    reasons = [s["reason"] for s in built.report["skipped"] if s["path"] == path]
    assert reasons, f"{label}: {path!r} not in {built.report['skipped']}"
    for reason in reasons:
        assert reason and "\n" not in reason and "\r" not in reason


def test_skip_reasons_say_what_went_wrong(built: Built) -> None:
    by_path = {s["path"]: s["reason"] for s in built.report["skipped"]}
    bad = built.pile.bad
    assert by_path[bad["empty file"]] == "empty file"
    assert by_path[bad["binary .txt"]].startswith("binary file")
    assert "gzip" in by_path[bad["truncated .gz"]]
    assert "WARC" in by_path[bad["truncated .warc.gz"]] or "gzip" in by_path[
        bad["truncated .warc.gz"]]
    assert by_path[bad["jsonl broken line"]].startswith("invalid JSON")
    assert by_path[bad["jsonl invalid UTF-8 line"]] == "not valid UTF-8"
    assert "must be a string" in by_path[bad["JSON wrong field types"]]
    assert by_path[bad["HTML without body"]] == "no article text found"
    assert by_path[bad["too large"]].startswith("larger than the")
    assert by_path[bad["symlink loop (file)"]] == "symlink loop"
    assert by_path[bad["symlink loop (folder)"]] == "symlink loop"


def test_nothing_but_the_bad_inputs_is_skipped(built: Built) -> None:
    expected = set(built.pile.bad.values()) | {str(built.pile.root / "deep.html")}
    assert {s["path"] for s in built.report["skipped"]} <= expected


def test_same_article_twice_is_merged_and_reported(built: Built) -> None:
    good = built.pile.root / "good"
    duplicates = {d for m in built.report["merged"] for d in m["duplicates"]}
    assert str(good / "dup-b.json") in duplicates  # same URL
    assert str(good / "z-reuters-grain-again.txt") in duplicates  # same text
    kept = {str(p) for p in built.rdf.objects(None, KG.path)}
    assert str(good / "dup-b.json") not in kept
    assert str(good / "z-reuters-grain-again.txt") not in kept


def test_syndicated_copy_is_kept_and_linked(built: Built) -> None:
    by_url = {
        str(u): a
        for a in built.rdf.subjects(RDF.type, SCHEMA.NewsArticle)
        for u in built.rdf.objects(a, SCHEMA.url)
    }
    original, copy = (by_url[r["url"]] for r in SYNDICATED)
    links = set(built.rdf.subject_objects(KG.copyOf))
    assert (copy, original) in links or (original, copy) in links
    publishers = {
        str(n)
        for a in (original, copy)
        for p in built.rdf.objects(a, SCHEMA.publisher)
        for n in built.rdf.objects(p, SCHEMA.name)
    }
    assert publishers == {"Reuters", "The Moscow Times"}


def test_nothing_executes(built: Built) -> None:
    # the <script> of the skipped page and the article texts only ever become escaped text
    for name in ("graph.html", "outlets.html"):
        page = (built.out / name).read_text()
        assert "<script>alert(1)</script>" not in page


def test_strict_exits_1(built: Built, tmp_path: Path) -> None:
    proc = run_kg("build", str(built.pile.root), "-o", str(tmp_path / "out"),
                  "--max-mb", MAX_MB, "--strict", "-q")  # fmt: skip
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    assert (tmp_path / "out" / "graph.ttl").exists()  # the graph is still written


def test_unreadable_file_as_unprivileged_user(tmp_path: Path) -> None:
    """chmod 000 input: skipped as "permission denied". Root ignores permission bits, so as
    root the build runs as `nobody` through setpriv (skipped when that is not possible)."""
    prefix: list[str] = []
    base = tmp_path
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root without setpriv: permission bits do not apply")
        prefix = [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups", "--"]
        base = Path(tempfile.mkdtemp(prefix="kg-perm-"))
        base.chmod(0o755)
    try:
        folder = base / "in"
        folder.mkdir()
        folder.chmod(0o755)
        (folder / "ok.txt").write_text(GRAIN)
        (folder / "ok.txt").chmod(0o644)
        secret = folder / "secret.txt"
        secret.write_text(SPACES)
        secret.chmod(0)
        out = base / "out"
        out.mkdir()
        out.chmod(0o777)
        env = {**os.environ, "PYTHONPATH": str(ROOT), "HOME": str(base)}
        probe = subprocess.run([*prefix, sys.executable, "-c", "import kg, spacy"],
                               capture_output=True, env=env)  # fmt: skip
        if probe.returncode != 0:
            pytest.skip("the unprivileged user cannot import kg from this checkout")
        proc = subprocess.run(
            [*prefix, sys.executable, "-m", "kg", "build", str(folder), "-o", str(out), "-q"],
            capture_output=True, text=True, env=env, timeout=120,
        )  # fmt: skip
        assert proc.returncode == 0, proc.stderr
        assert "Traceback" not in proc.stderr
        report = json.loads((out / "report.json").read_text())
        assert report["articles"] == 1
        assert report["skipped"] == [{"path": str(secret), "reason": "permission denied"}]
    finally:
        if base != tmp_path:
            shutil.rmtree(base, ignore_errors=True)


# --- encoding twins: same extraction as UTF-8 ---------------------------------------------------

# English with Cyrillic names: Windows-1251 bytes in mostly-ASCII text, with sources to find.
CYRILLIC_NAMES = CYRILLIC_ARTICLE
ENCODED: dict[str, tuple[str, Callable[[str], bytes]]] = {
    "cp1251": (CYRILLIC_NAMES, lambda t: t.encode("cp1251")),
    "cp1251-russian": (CYRILLIC, lambda t: t.encode("cp1251")),
    "latin-1": (LATIN, lambda t: t.encode("latin-1")),
    "utf-16": (UTF16, lambda t: t.encode("utf-16")),
}


def _extract(path: Path) -> dict[str, Any]:
    result = CliRunner().invoke(cli, ["extract", str(path), "--format", "jsonl", "-q"])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(records) == 1
    return records[0]


@pytest.mark.parametrize("encoding", sorted(ENCODED))
def test_encoding_twins_extract_the_same(tmp_path: Path, encoding: str) -> None:
    text, encode = ENCODED[encoding]
    utf8 = tmp_path / "utf8" / "article.txt"
    legacy = tmp_path / encoding / "article.txt"
    for path, data in ((utf8, text.encode()), (legacy, encode(text))):
        path.parent.mkdir()
        path.write_bytes(data)
    a, b = _extract(utf8), _extract(legacy)
    assert a["text"] == b["text"] == text
    assert a["title"] == b["title"]
    assert a["attributions"] == b["attributions"]
    assert a["mentions"] == b["mentions"]
    if encoding == "cp1251-russian":
        # A Russian article is kept, decoded alike, but the English model reads nothing into it.
        assert not a["attributions"] and not a["mentions"]
    else:
        assert a["attributions"] or a["mentions"], "the twins should have something to compare"
    for att in a["attributions"]:
        for key in ("source", "cue"):
            span = att[key]
            assert a["text"][span["start"] : span["end"]] == span["text"]
