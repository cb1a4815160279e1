"""Exact behaviour of the `kg` command line: help, exit codes, one-line errors, output shapes.

CliRunner where only the output matters; a subprocess where exit codes and stderr of the real
process matter (`python -m kg`, tracebacks, usage errors).
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import rdflib
from click.testing import CliRunner

from kg.cli import _DEFAULT_MIN_CONFIDENCE, cli
from kg.extract.rules import RULE_NAMES
from kg.models import DEFAULT_MIN_CONFIDENCE
from tests.conftest import DATA, ROOT, SEED_NAME

COMMANDS = ["build", "extract", "explain", "query", "serve", "push", "export", "html", "eval"]
ARTICLE = (
    "Port of Gdansk sets a cargo record\n"
    "\n"
    "The port of Gdansk handled a record 81 million tonnes of cargo last year, Reuters "
    "reported on Monday, citing the port authority.\n"
    "\n"
    "According to TASS, Russian shippers lost market share in the Baltic as a result.\n"
)


def kg(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "kg", *args], capture_output=True, text=True,
                          timeout=timeout, env=env)  # fmt: skip


def one_error_line(stderr: str) -> str:
    """The stderr of a failed command: exactly one line that starts with "Error:" (click may
    print a usage line and a hint before it), no traceback."""
    assert "Traceback" not in stderr
    errors = [line for line in stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1, stderr
    return errors[0]


@pytest.fixture(scope="module")
def article_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("in") / "gdansk.txt"
    path.write_text(ARTICLE)
    return path


# --- help -------------------------------------------------------------------------------------


def test_top_level_help() -> None:
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    assert "Example:" in result.output and "kg build data/ -o out" in result.output
    for command in COMMANDS:
        assert command in result.output


@pytest.mark.parametrize("command", COMMANDS)
def test_command_help_has_an_example(command: str) -> None:
    result = CliRunner().invoke(cli, [command, "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.output
    assert f"kg {command if command != 'eval' else 'eval'} " in result.output


def test_python_dash_m_kg_help() -> None:
    proc = kg("--help")
    assert proc.returncode == 0
    assert proc.stdout.startswith("Usage: kg ")


def test_version() -> None:
    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0 and result.output.startswith("kg, version ")


# --- usage errors: exit 2, one "Error:" line ---------------------------------------------------


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["build"], "Missing argument 'INPUTS...'"),
        (["build", "data", "--workers", "0"], "--workers"),
        (["build", "data", "--format", "rdfxml"], "--format"),
        (["build", "data", "--max-mb", "-1"], "--max-mb"),
        (["query"], "give a build folder or graph file"),
        (["query", "out/graph.ttl"], "give a SPARQL query"),
        (["query", "g.ttl", "top-cited", "-p", "novalue"], "expected NAME=VALUE"),
        (["query", "g.ttl", "q", "--format", "xml"], "--format"),
        (["extract"], "Missing argument"),
        (["html", "does-not-exist.ttl"], "does-not-exist.ttl"),
        (["frobnicate"], "No such command"),
    ],
)
def test_usage_errors_exit_2_with_one_line(args: list[str], needle: str) -> None:
    proc = kg(*args)
    assert proc.returncode == 2, proc.stderr
    assert needle in one_error_line(proc.stderr)
    assert proc.stdout == ""


# --- library errors: exit 1, one line, no traceback --------------------------------------------


def test_missing_input_names_the_file_and_the_fix(tmp_path: Path) -> None:
    missing = tmp_path / "nope.txt"
    proc = kg("build", str(missing), "-o", str(tmp_path / "out"), "-q")
    assert proc.returncode == 1
    line = one_error_line(proc.stderr)
    assert str(missing) in line and "no such file or directory" in line
    assert "give files or folders" in line
    assert not (tmp_path / "out" / "graph.ttl").exists()


def test_missing_input_next_to_a_good_one_is_skipped(tmp_path: Path, article_file: Path) -> None:
    missing = tmp_path / "nope.txt"
    proc = kg("build", str(article_file), str(missing), "-o", str(tmp_path / "out"))
    assert proc.returncode == 0, proc.stderr
    assert f"{str(missing)!r}: no such file or directory" in proc.stderr
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    assert report["articles"] == 1
    assert report["skipped"] == [{"path": str(missing), "reason": "no such file or directory"}]


def test_malformed_sparql_exits_1(sample_out: Path) -> None:
    proc = kg("query", str(sample_out / "graph.ttl"), "SELECT ?s WHERE { ?s ?p }")
    assert proc.returncode == 1
    line = one_error_line(proc.stderr)
    assert line.startswith("Error: malformed SPARQL at line 1")
    assert proc.stdout == ""


def test_unknown_named_query_exits_1(sample_out: Path) -> None:
    proc = kg("query", str(sample_out / "graph.ttl"), "most-cited")
    assert proc.returncode == 1
    assert "no named query 'most-cited'" in one_error_line(proc.stderr)


def test_missing_graph_file_exits_1(tmp_path: Path) -> None:
    proc = kg("query", str(tmp_path / "none.ttl"), "top-cited")
    assert proc.returncode == 1
    assert "none.ttl" in one_error_line(proc.stderr)


# --- kg query ----------------------------------------------------------------------------------


def test_query_list() -> None:
    result = CliRunner().invoke(cli, ["query", "--list"])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    names = [line.split()[0] for line in lines]
    assert names == sorted(names) and "top-cited" in names and "citation-chain" in names
    chain = next(line for line in lines if line.startswith("citation-chain"))
    assert chain.endswith("[-p outlet=…]")
    assert "QueryParam" not in result.output


def test_named_query_top_cited(sample_out: Path) -> None:
    proc = kg("query", str(sample_out / "graph.ttl"), "top-cited")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0].split() == ["source", "name", "articles", "attributions"]
    assert set(lines[1]) <= {"-", " "}
    assert len(lines) > 3
    assert any("NK News" in line for line in lines[2:])


def test_named_query_with_param(sample_out: Path) -> None:
    result = CliRunner().invoke(
        cli, ["query", str(sample_out / "graph.ttl"), "citation-chain", "-p", "outlet=charter97",
              "--format", "json"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert rows and all(isinstance(row, dict) for row in rows)


QUERY = (
    "PREFIX schema: <https://schema.org/> SELECT ?headline WHERE "
    "{ ?a a schema:NewsArticle ; schema:headline ?headline } ORDER BY ?headline"
)


@pytest.mark.parametrize("fmt", ["table", "csv", "tsv", "json"])
def test_query_formats(sample_out: Path, fmt: str) -> None:
    result = CliRunner().invoke(cli, ["query", str(sample_out / "graph.ttl"), QUERY,
                                      "--format", fmt])  # fmt: skip
    assert result.exit_code == 0, result.output
    out = result.stdout
    if fmt == "json":
        headlines = [row["headline"] for row in json.loads(out)]
    elif fmt == "csv":
        rows = list(csv.reader(io.StringIO(out)))
        assert rows[0] == ["headline"]
        headlines = [row[0] for row in rows[1:]]
    elif fmt == "tsv":
        lines = out.splitlines()
        assert lines[0] == "headline"
        headlines = lines[1:]
    else:
        lines = out.splitlines()
        assert lines[0] == "headline" and set(lines[1]) == {"-"}
        headlines = [line.rstrip() for line in lines[2:]]
    assert len(headlines) == 4
    assert headlines == sorted(headlines)
    assert "Russian Defense Ministry Plane Makes Mysterious Flight To North Korea" in headlines


def test_query_from_file(sample_out: Path, tmp_path: Path) -> None:
    rq = tmp_path / "q.rq"
    rq.write_text(QUERY)
    result = CliRunner().invoke(cli, ["query", str(sample_out / "graph.ttl"), "-f", str(rq),
                                      "--format", "tsv"])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert len(result.stdout.splitlines()) == 5


class _Recorder(BaseHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        _Recorder.requests.append(self.path)
        body = b"<http://a.example/s> <http://a.example/p> <http://a.example/o> .\n"
        self.send_response(200)
        self.send_header("Content-Type", "application/n-triples")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # quiet
        pass


@pytest.fixture()
def endpoint() -> Iterator[tuple[str, list[str]]]:
    _Recorder.requests = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", _Recorder.requests
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize(
    "template",
    [
        "SELECT * FROM <{url}/x> WHERE {{ ?s ?p ?o }}",
        "SELECT * WHERE {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }}",
        "LOAD <{url}/x>",
    ],
)
def test_query_never_reaches_the_network(
    sample_out: Path, endpoint: tuple[str, list[str]], template: str
) -> None:
    url, requests = endpoint
    proc = kg("query", str(sample_out / "graph.ttl"), template.format(url=url))
    assert proc.returncode == 1
    line = one_error_line(proc.stderr)
    assert "read-only and local" in line and "not allowed" in line
    assert requests == []


# --- kg extract ---------------------------------------------------------------------------------

RECORD_KEYS = ["id", "path", "url", "title", "published", "outlet", "based_on", "text",
               "attributions", "mentions", "links"]  # fmt: skip


@pytest.fixture(scope="module")
def extracted() -> list[dict[str, object]]:
    result = CliRunner().invoke(cli, ["extract", str(DATA), "--format", "jsonl", "-q"])
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_extract_jsonl_shape(extracted: list[dict[str, object]]) -> None:
    assert len(extracted) == 4
    for record in extracted:
        assert list(record) == RECORD_KEYS
        assert isinstance(record["id"], str) and record["id"].startswith("article:")
        outlet = record["outlet"]
        assert outlet is None or (isinstance(outlet, dict) and set(outlet) == {"id", "name", "url"})
        for att in record["attributions"]:  # type: ignore[attr-defined]
            assert set(att) == {
                "source", "cue", "content", "kind", "via", "link", "confidence", "rule",
                "source_rule", "speaker", "edge",
            }
            assert att["rule"] in RULE_NAMES and att["source_rule"]
            assert att["edge"] == (att["confidence"] >= DEFAULT_MIN_CONFIDENCE)
            assert set(att["source"]) == {"text", "start", "end", "kind", "id"}
            sp = att["speaker"]
            assert sp is None or set(sp) == {"text", "start", "end", "rule"}
            assert set(att["cue"]) == {"text", "start", "end"}
            assert att["content"] is None or set(att["content"]) == {"text", "start", "end"}
            assert 0 <= att["confidence"] <= 1
        for mention in record["mentions"]:  # type: ignore[attr-defined]
            assert set(mention) == {"text", "start", "end", "type", "id"}
        for link in record["links"]:  # type: ignore[attr-defined]
            assert set(link) == {"url", "text", "outlet", "role"}


def test_extract_offsets_index_the_text(extracted: list[dict[str, object]]) -> None:
    spans = 0
    for record in extracted:
        text = record["text"]
        assert isinstance(text, str)
        for att in record["attributions"]:  # type: ignore[attr-defined]
            for key in ("source", "cue", "content"):
                span = att[key]
                if span is not None:
                    assert text[span["start"] : span["end"]] == span["text"]
                    spans += 1
        for mention in record["mentions"]:  # type: ignore[attr-defined]
            assert text[mention["start"] : mention["end"]] == mention["text"]
            spans += 1
    assert spans > 20


def test_extract_seed_record(extracted: list[dict[str, object]]) -> None:
    seed = next(r for r in extracted if str(r["path"]).endswith(SEED_NAME))
    assert seed["outlet"] == {"id": "outlet:charter97", "name": "Charter97",
                              "url": "https://charter97.org/"}  # fmt: skip
    assert str(seed["published"]).startswith("2024-05-26")
    sources = {a["source"]["text"] for a in seed["attributions"]}  # type: ignore[attr-defined]
    assert {"dialog.ua", "Bloomberg", "Reuters"} <= sources


def test_extract_plain_txt_text_is_unchanged(article_file: Path) -> None:
    result = CliRunner().invoke(cli, ["extract", str(article_file), "-q"])
    assert result.exit_code == 0, result.output
    (record,) = [json.loads(line) for line in result.stdout.splitlines()]
    assert record["text"] == ARTICLE
    assert record["title"] == "Port of Gdansk sets a cargo record"
    sources = {a["source"]["text"] for a in record["attributions"]}
    assert {"Reuters", "TASS"} <= sources


def test_extract_implicit_source_is_an_empty_unnamed_span(tmp_path: Path) -> None:
    text = "The port is expected to reopen on Monday, officials said.\n"
    path = tmp_path / "port.txt"
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["extract", str(path), "-q"])
    assert result.exit_code == 0, result.output
    (record,) = [json.loads(line) for line in result.stdout.splitlines()]
    by_kind = {a["kind"]: a for a in record["attributions"]}
    cue_start = text.index("is expected")
    assert by_kind["implicit"]["source"] == {
        "text": "", "start": cue_start, "end": cue_start, "kind": "unnamed", "id": None
    }
    assert by_kind["implicit"]["cue"]["text"] == "is expected"
    assert by_kind["said"]["source"]["text"] == "officials"


# --- kg build formats, kg html -----------------------------------------------------------------


@pytest.mark.parametrize(("fmt", "suffix", "parse_as"),
                         [("nt", "nt", "nt"), ("jsonld", "jsonld", "json-ld"),
                          ("turtle", "ttl", "turtle")])  # fmt: skip
def test_build_formats_parse_back(
    tmp_path: Path, article_file: Path, fmt: str, suffix: str, parse_as: str
) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["build", str(article_file), "-o", str(out), "--format",
                                      fmt, "-q"])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [".kg.lock", "cache", f"graph.{suffix}", "graph.html", "graph.oxigraph",
         "outlets.html", "report.json"]
    )  # the lock stays: it marks OUT as kg's, never read as input
    # the store was loaded from this file and answers for it
    query = CliRunner().invoke(cli, ["query", str(out / f"graph.{suffix}"),
                                     "SELECT ?h WHERE { ?a schema:headline ?h }"])
    assert query.exit_code == 0 and "Port of Gdansk sets a cargo record" in query.output
    g = rdflib.Graph()
    g.parse(out / f"graph.{suffix}", format=parse_as)
    schema = rdflib.Namespace("https://schema.org/")
    articles = list(g.subjects(rdflib.RDF.type, schema.NewsArticle))
    assert len(articles) == 1
    assert str(g.value(articles[0], schema.headline)) == "Port of Gdansk sets a cargo record"


def test_html_redraws_both_views(sample_out: Path, tmp_path: Path) -> None:
    target = tmp_path / "views"
    result = CliRunner().invoke(cli, ["html", str(sample_out / "graph.ttl"), "-o", str(target)])
    assert result.exit_code == 0, result.output
    for name in ("graph.html", "outlets.html"):
        page = (target / name).read_text()
        assert page.rstrip().endswith("</html>")
        assert "Charter97" in page
    assert "wrote" in result.stderr


def test_build_summary_on_stderr_only(tmp_path: Path, article_file: Path) -> None:
    proc = kg("build", str(article_file), "-o", str(tmp_path / "out"))
    assert proc.returncode == 0
    assert proc.stdout == ""
    assert "built graph of 1 article(s)" in proc.stderr
    quiet = kg("build", str(article_file), "-o", str(tmp_path / "out2"), "-q")
    assert quiet.returncode == 0
    assert "[" not in quiet.stderr  # no progress lines with -q


def test_build_messages_name_the_output_folder_not_its_staging_folder(tmp_path: Path) -> None:
    """Outputs are written into a staging folder and swapped in; what the user reads names
    where the files are once the build is done."""
    out = tmp_path / "out"
    proc = kg("-v", "build", str(DATA), "-o", str(out), "--max-nodes", "10")
    assert proc.returncode == 0, proc.stderr
    assert ".kg-build." not in proc.stderr and ".tmp" not in proc.stderr, proc.stderr
    assert f"wrote {out / 'graph.html'}" in proc.stderr
    assert f"{out / 'graph.html'} shows 10 of" in proc.stderr


def test_min_confidence_help_shows_the_librarys_default() -> None:
    assert _DEFAULT_MIN_CONFIDENCE == DEFAULT_MIN_CONFIDENCE


def test_build_min_confidence_decides_the_edges(tmp_path: Path, article_file: Path) -> None:
    """Raising --min-confidence can only remove citation edges; at 1.0 none is left."""
    counts = {}
    for threshold in ("0", "1"):
        out = tmp_path / threshold
        result = CliRunner().invoke(cli, ["build", str(article_file), "-o", str(out), "-q",
                                          "--min-confidence", threshold, "--no-cache"])
        assert result.exit_code == 0, result.output
        report = json.loads((out / "report.json").read_text())
        counts[threshold] = report["edges"].get("cites", 0)
    assert counts["0"] > 0 and counts["1"] == 0


# --- nothing silently lost ------------------------------------------------------------------

STORY = (
    "The regional council voted on Tuesday to close the old bridge over the river, after "
    "engineers found deep cracks in two of its pillars. Council leader Maria Lopez said the "
    "closure would last at least six months while the pillars were repaired. Drivers will use "
    "the northern ring road instead, which adds about ten minutes to the trip into town. The "
    "transport office said buses would keep their routes but leave earlier in the morning. "
    "Shop owners near the bridge told the council they feared losing customers over winter."
)
RUSSIAN = (
    "Региональный совет во вторник проголосовал за закрытие старого моста через реку после "
    "того, как инженеры обнаружили глубокие трещины в двух опорах. Глава совета заявил, что "
    "закрытие продлится не менее шести месяцев."
)


def test_build_reports_every_input_it_does_not_read(tmp_path: Path) -> None:
    pile = tmp_path / "pile"
    pile.mkdir()
    (pile / "scan.pdf").write_bytes(b"%PDF-1.4 not an article")
    docs = "".join(
        f"<DOC>\n<DOCNO> N-{n} </DOCNO>\n<TEXT>\n{STORY}\n</TEXT>\n</DOC>\n" for n in range(2)
    )
    (pile / "collection.txt").write_text(docs, encoding="utf-8")
    (pile / "russian.json").write_text(
        json.dumps({"url": "https://ru-paper.example/1", "title": "Мост", "text": RUSSIAN}),
        encoding="utf-8",
    )
    # the same story on two sites, one with a changed last sentence: near-copies
    copy = STORY.replace("over winter.", "over the winter months.")
    (pile / "copies.jsonl").write_text(
        json.dumps({"url": "https://site-a.example/bridge", "text": STORY}) + "\n"
        + json.dumps({"url": "https://site-b.example/bridge", "text": copy}) + "\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["build", str(pile), "-o", str(out), "-q", "--strict"])
    assert result.exit_code == 1, result.output
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    reasons = {Path(s["path"]).name: s["reason"] for s in report["skipped"]}
    assert reasons["scan.pdf"].startswith("unsupported file type '.pdf'")
    assert reasons["collection.txt"].startswith("holds 2 documents")
    assert [(Path(n["path"]).name, n["language"]) for n in report["not_extracted"]] == [
        ("russian.json", "ru")
    ]
    assert report["articles"] == 3  # the Russian article and both copies are in the graph
    graph = rdflib.Graph().parse(out / "graph.ttl")
    copies = list(graph.subject_objects(rdflib.URIRef("https://w3id.org/kg/ns#copyOf")))
    assert len(copies) == 1
    languages = {str(o) for o in graph.objects(None, rdflib.URIRef("https://schema.org/inLanguage"))}
    assert "ru" in languages
    result = CliRunner().invoke(cli, ["build", str(pile), "-o", str(out), "-q"])
    assert result.exit_code == 0, result.output  # without --strict the graph is built


def test_third_party_warnings_only_with_verbose(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(
        "<html><head><title>Bridge closes</title></head><body><article>"
        f"<p>{STORY} <a href='https://elsewhere.example/a'></a></p>"
        "</article></body></html>",
        encoding="utf-8",
    )

    def run(*flags: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "kg", *flags, "build", str(page), "-o", str(tmp_path / "o")],
            capture_output=True, text=True, cwd=ROOT, timeout=300,
        )
        assert done.returncode == 0, done.stderr
        return done.stderr

    quiet = run()
    assert "trafilatura" not in quiet
    assert "1/1 files read" in quiet  # progress says how far along the inputs it is

    import logging

    logger = logging.getLogger("trafilatura")
    before = logger.level
    try:
        for flags, level in (([], logging.ERROR), (["-v"], logging.NOTSET)):
            logger.setLevel(logging.NOTSET)
            result = CliRunner().invoke(cli, [*flags, "query", "--list"])
            assert result.exit_code == 0, result.output
            assert logger.level == level, flags
    finally:
        logger.setLevel(before)


# --- hostile options and names (issue 14) ----------------------------------------------------


@pytest.mark.parametrize("args", [
    ["build", "IN", "-o", "OUT", "--max-mb", "1e400"],
    ["build", "IN", "-o", "OUT", "--max-mb", "nan"],
    ["build", "IN", "-o", "OUT", "--min-confidence", "nan"],
    ["build", "IN", "-o", "OUT", "--max-chars", "99999999999999999999999"],
    ["query", "OUT", "top-cited", "--timeout", "1e400"],
    ["query", "OUT", "top-cited", "--timeout", "nan"],
])
def test_overflowing_and_nan_options_are_usage_errors(tmp_path: Path, args: list[str]) -> None:
    (tmp_path / "IN").mkdir()
    args = [str(tmp_path / a) if a in ("IN", "OUT") else a for a in args]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and "Error: Invalid value" in result.output


@pytest.mark.slow
def test_control_characters_in_names_reach_the_terminal_escaped(tmp_path: Path,
                                                                article_file: Path) -> None:
    inp = tmp_path / "in"
    inp.mkdir()
    (inp / "story.txt").write_bytes(article_file.read_bytes())
    (inp / "\x1b]0;pwned\x07\x1b[2J\u202eevil.doc").write_text("not an article")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "kg", "build", str(inp), "-o",
                           str(tmp_path / "out"), "-q", "--no-cache"],
                          capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "\x1b" not in done.stderr and "\x07" not in done.stderr
    assert "\\x1b]0;pwned\\x07\\x1b[2J\\u202eevil.doc" in done.stderr
