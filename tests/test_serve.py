"""kg.serve: the SPARQL 1.1 Protocol endpoint, read from curl and from a SPARQL client library."""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest

from kg.query import QueryResult, run_query
from kg.rdf import write_rdf
from kg.serve import ServeOptions, Server, negotiate, start
from kg.store import write_store
from tests.conftest import ROOT
from tests.procs import alive, children
from tests.test_query import EXPLOSIVE, REFUSED, endpoint, query_graph  # noqa: F401

pytestmark = pytest.mark.slow


def readme_queries() -> list[str]:
    """The SPARQL blocks of the README's "Example queries" section."""
    text = (ROOT / "README.md").read_text()
    section = text.split("### Example queries", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sparql\n(.*?)```", section, re.DOTALL)


@pytest.fixture(scope="module")
def graph(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("serve") / "graph.ttl"
    write_rdf(query_graph(), path)
    write_store(path)
    return path.parent


@pytest.fixture(scope="module")
def server(graph: Path) -> Iterator[Server]:
    srv = start(graph, ServeOptions(port=0, timeout=2, max_rows=50, workers=2))
    yield srv
    srv.stop()


def http(url: str, data: bytes | None = None, headers: dict[str, str] | None = None,
         method: str | None = None) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def curl(*args: str) -> str:
    proc = subprocess.run(["curl", "-sS", "--fail-with-body", *args], capture_output=True,
                          timeout=60, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc.stdout.decode("utf-8")  # as sent: CSV lines end in CRLF


def rows_of(result: QueryResult) -> list[tuple[Any, ...]]:
    return [tuple("" if v is None else str(v) for v in row) for row in result.rows]


def test_readme_example_queries_from_curl_match_kg_query(sample_out: Path) -> None:
    srv = start(sample_out, ServeOptions(port=0))
    try:
        queries = readme_queries()
        assert len(queries) >= 3
        for query in queries:
            expected = run_query(sample_out, query)
            assert expected.rows, query  # the sample data answers every example
            for method in ("get", "form", "direct"):
                if method == "get":
                    out = curl("-G", f"{srv.url}/sparql", "--data-urlencode", f"query={query}",
                               "-H", "Accept: text/csv")
                elif method == "form":
                    out = curl(f"{srv.url}/sparql", "--data-urlencode", f"query={query}",
                               "-H", "Accept: text/csv")
                else:
                    out = curl(f"{srv.url}/sparql", "-H", "Content-Type: application/sparql-query",
                               "-H", "Accept: text/csv", "--data-binary", query)
                lines = out.split("\r\n")
                assert lines[0].split(",") == list(expected.variables)
                assert len([x for x in lines[1:] if x]) == len(expected.rows)
    finally:
        srv.stop()


def test_readme_example_queries_from_sparqlwrapper(sample_out: Path) -> None:
    sw = pytest.importorskip("SPARQLWrapper")
    srv = start(sample_out, ServeOptions(port=0))
    try:
        for query in readme_queries():
            expected = sorted(rows_of(run_query(sample_out, query)))
            for fmt in (sw.JSON, sw.XML):
                client = sw.SPARQLWrapper(f"{srv.url}/sparql")
                client.setQuery(query)
                client.setReturnFormat(fmt)
                client.setMethod(sw.POST if fmt == sw.XML else sw.GET)
                result = client.query().convert()
                if fmt == sw.JSON:
                    names = result["head"]["vars"]
                    got = [tuple(b.get(v, {}).get("value", "") for v in names)
                           for b in result["results"]["bindings"]]
                else:  # an xml.dom document
                    variables = result.getElementsByTagName("variable")
                    names = [v.getAttribute("name") for v in variables]
                    got = []
                    for r in result.getElementsByTagName("result"):
                        cells = {b.getAttribute("name"): b.firstChild.firstChild.data
                                 if b.firstChild.firstChild else ""
                                 for b in r.getElementsByTagName("binding")}
                        got.append(tuple(cells.get(v, "") for v in names))
                assert sorted(got) == expected
    finally:
        srv.stop()


def test_every_results_format_parses_back(server: Server) -> None:
    query = "SELECT ?o ?n WHERE { ?o a schema:NewsMediaOrganization ; schema:name ?n } ORDER BY ?o"
    expected: list[list[str]] | None = None
    for accept, fmt in (
        ("application/sparql-results+json", ox.QueryResultsFormat.JSON),
        ("application/sparql-results+xml", ox.QueryResultsFormat.XML),
        ("text/csv", None),
        ("text/tab-separated-values", ox.QueryResultsFormat.TSV),
    ):
        status, headers, body = http(
            f"{server.url}/sparql?" + urllib.parse.urlencode({"query": query}),
            headers={"Accept": accept},
        )
        assert status == 200 and headers["Content-Type"].startswith(accept)
        if fmt is None:  # CSV is lossy: Oxigraph will not parse it; the csv module does
            import csv
            import io

            table = list(csv.reader(io.StringIO(body.decode(), newline="")))
            assert table[0] == ["o", "n"] and [r for r in table[1:]] == expected
            continue
        parsed = ox.parse_query_results(body, fmt)
        assert isinstance(parsed, ox.QuerySolutions)
        rows = [[str(s[0].value), str(s[1].value)] for s in parsed]
        assert len(rows) == 4
        expected = expected or rows
        assert rows == expected
    ask = http(f"{server.url}/sparql?query=ASK%20%7B%7D")
    assert json.loads(ask[2]) == {"head": {}, "boolean": True}
    construct = (
        "CONSTRUCT { ?o schema:name ?n } WHERE { ?o a schema:NewsMediaOrganization ; "
        "schema:name ?n }"
    )
    status, headers, body = http(f"{server.url}/sparql", urllib.parse.urlencode(
        {"query": construct}).encode(), {"Accept": "application/n-triples"})
    assert status == 200 and len(list(ox.parse(body, ox.RdfFormat.N_TRIPLES))) == 4


def test_content_negotiation() -> None:
    table = {"text/csv": "csv", "application/sparql-results+json": "json"}
    assert negotiate(None, table, "json") == "json"
    assert negotiate("text/csv;q=0.5, application/sparql-results+json", table, "json") == "json"
    assert negotiate("text/html, */*;q=0.1", table, "json") == "json"
    with pytest.raises(Exception, match="cannot answer in 'image/png'"):
        negotiate("image/png", table, "json")


@pytest.mark.parametrize("template,what", REFUSED)
def test_refused_and_nothing_reaches_another_server(
    server: Server, endpoint: tuple[str, list[str]], template: str, what: str  # noqa: F811
) -> None:
    url, requests = endpoint
    query = template.format(url=url)
    for data, headers in (
        (urllib.parse.urlencode({"query": query}).encode(), {}),
        (query.encode(), {"Content-Type": "application/sparql-query"}),
    ):
        status, _, body = http(f"{server.url}/sparql", data, headers)
        assert status == 403, body
        assert body.decode().startswith(f"kg query is read-only and local: {what} is not allowed")
    assert requests == []


def test_updates_are_refused(server: Server, endpoint: tuple[str, list[str]]) -> None:  # noqa: F811
    url, requests = endpoint
    update = f"LOAD <{url}/x>"
    status, _, _ = http(f"{server.url}/sparql", urllib.parse.urlencode({"update": update}).encode())
    assert status == 403
    status, _, _ = http(f"{server.url}/sparql", update.encode(),
                        {"Content-Type": "application/sparql-update"})
    assert status == 403
    assert requests == []


def test_timeout_stops_the_query_and_the_server_goes_on(server: Server) -> None:
    started = time.monotonic()
    status, _, body = http(f"{server.url}/sparql", urllib.parse.urlencode(
        {"query": EXPLOSIVE}).encode())
    assert status == 503 and b"timed out after 2 s" in body
    assert time.monotonic() - started < 20
    time.sleep(1)  # the replacement worker starts
    for _ in range(3):
        assert http(f"{server.url}/sparql?query=ASK%20%7B%7D")[0] == 200


def test_result_cap(server: Server) -> None:
    status, _, body = http(f"{server.url}/sparql?" + urllib.parse.urlencode(
        {"query": "SELECT * WHERE { ?s ?p ?o }"}))
    assert status == 400 and b"more than 50 rows" in body and b"LIMIT" in body
    status, _, body = http(f"{server.url}/sparql?" + urllib.parse.urlencode(
        {"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 50"}))
    assert status == 200 and len(json.loads(body)["results"]["bindings"]) == 50


def test_errors(server: Server) -> None:
    assert http(f"{server.url}/sparql")[0] == 400  # no query
    status, _, body = http(f"{server.url}/sparql?query=SELECT%20%3Fx%20WHERE%20%7B")
    assert status == 400 and body.startswith(b"malformed SPARQL")
    assert http(f"{server.url}/nope")[0] == 404
    assert http(f"{server.url}/sparql?query=ASK%7B%7D", headers={"Accept": "image/png"})[0] == 406
    # Refused, and the client hears why, however much of its body it still had to send
    # (it failed now and then with a broken pipe before the server read the body first).
    for size in (1_000_001, 8_000_000):
        big = b"query=" + b"#" * size
        assert http(f"{server.url}/sparql", big)[0] == 413
    assert http(f"{server.url}/sparql?query=ASK%7B%7D")[0] == 200  # and it goes on


def test_bound_to_localhost_and_no_cors_by_default(server: Server, graph: Path) -> None:
    assert server.httpd.server_address[0] == "127.0.0.1"
    _, headers, _ = http(f"{server.url}/sparql?query=ASK%7B%7D", headers={"Origin": "http://x"})
    assert "Access-Control-Allow-Origin" not in headers
    cors = start(graph, ServeOptions(port=0, cors=True, workers=1))
    try:
        _, headers, _ = http(f"{cors.url}/sparql?query=ASK%7B%7D")
        assert headers["Access-Control-Allow-Origin"] == "*"
        status, headers, _ = http(f"{cors.url}/sparql", method="OPTIONS",
                                  headers={"Origin": "http://x",
                                           "Access-Control-Request-Method": "POST"})
        assert status == 204 and "POST" in headers["Access-Control-Allow-Methods"]
    finally:
        cors.stop()


def test_query_page_is_offline_and_has_the_named_queries(server: Server) -> None:
    status, headers, body = http(f"{server.url}/")
    page = body.decode()
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert "default-src 'none'; connect-src 'self'" in page
    assert not re.search(r"<(script|link)[^>]+(src|href)=", page)  # everything inlined
    for name in ("top-cited", "citation-chain", "who-quotes"):
        assert f'"name": "{name}"' in page
    # a parameter is shown bound to its example value, as plain SPARQL any endpoint runs
    assert 'BIND(\\"charter97\\" AS ?outlet)' in page


def test_kg_serve_command(graph: Path) -> None:
    proc = subprocess.Popen([sys.executable, "-m", "kg", "serve", str(graph), "--port", "0"],
                            stderr=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        assert proc.stderr is not None
        line = proc.stderr.readline()
        url = re.search(r"endpoint (http://127\.0\.0\.1:\d+)/sparql", line)
        assert url, line
        out = curl("-G", f"{url.group(1)}/sparql", "--data-urlencode",
                   "query=SELECT ?n WHERE { ?o a schema:NewsMediaOrganization ; schema:name ?n }",
                   "-H", "Accept: text/csv")
        assert sorted(out.split("\r\n")[1:-1]) == ["Bloomberg", "Charter97", "Reuters",
                                                  "dialog.ua"]
    finally:
        proc.terminate()
        proc.wait(10)


def test_kill_9_of_the_server_stops_its_query_workers(graph: Path) -> None:
    """`kill -9` of `kg serve` while a worker runs a long query: the workers end too, at
    once, instead of running the query to its end (tested: failed before, the busy worker
    went on)."""
    proc = subprocess.Popen([sys.executable, "-m", "kg", "serve", str(graph), "--port", "0",
                             "--workers", "2", "--timeout", "600"],
                            stderr=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        assert proc.stderr is not None
        url = re.search(r"endpoint (http://127\.0\.0\.1:\d+)/sparql", proc.stderr.readline())
        assert url, "kg serve did not start"
        workers = children(proc.pid)
        assert len(workers) >= 2
        query_url = f"{url.group(1)}/sparql?" + urllib.parse.urlencode({"query": EXPLOSIVE})

        def ask() -> None:
            with contextlib.suppress(OSError):  # the server is killed under it
                http(query_url)

        busy = threading.Thread(target=ask, daemon=True)
        busy.start()
        time.sleep(1.5)  # the query is running in a worker
        assert alive(workers) == workers
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
        deadline = time.monotonic() + 5
        while alive(workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert alive(workers) == [], "query workers left running after kill -9 of kg serve"
    finally:
        proc.kill()
        proc.wait(10)


@pytest.mark.browser
def test_query_page_in_chromium(server: Server, browser: Any) -> None:
    """The page builds YASGUI with a tab per named query, runs a query against this endpoint
    and asks nothing of any other origin."""
    from kg.query import list_named_queries

    page = browser.new_page()
    errors: list[str] = []
    requests: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: requests.append(r.url))
    page.goto(f"{server.url}/")
    page.wait_for_function("window.kgYasgui !== undefined", timeout=30_000)
    names = page.evaluate(
        "Object.values(window.kgYasgui._tabs).map(function (t) { return t.getName(); })"
    )
    assert {q.name for q in list_named_queries()} <= set(names)
    with page.expect_response(lambda r: r.url.endswith("/sparql")) as info:
        page.evaluate(
            "window.kgYasgui.getTab().getYasqe().setValue("
            "'SELECT ?n WHERE { ?o a schema:NewsMediaOrganization ; schema:name ?n }');"
            "window.kgYasgui.getTab().getYasqe().query();"
        )
    response = info.value
    assert response.status == 200
    bindings = response.json()["results"]["bindings"]
    assert sorted(b["n"]["value"] for b in bindings) == ["Bloomberg", "Charter97", "Reuters",
                                                         "dialog.ua"]
    assert errors == []
    assert all(url.startswith(server.url) for url in requests), requests
    page.close()
