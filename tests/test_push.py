"""kg.push: the Graph Store HTTP Protocol against real stores the tests start on localhost:
the Oxigraph server (PyPI `oxigraph`) and OpenLink Virtuoso (Debian `virtuoso-opensource`)."""

from __future__ import annotations

import http.server
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from kg.errors import KgError
from kg.push import DEFAULT_GRAPH, PushError, PushOptions, chunks, push, target_url
from kg.query import run_query
from kg.rdf import write_rdf
from tests.test_query import query_graph
from tests.test_serve import readme_queries

pytestmark = pytest.mark.slow

VIRTUOSO = shutil.which("virtuoso-t")
ISQL = shutil.which("isql-vt") or shutil.which("isql")
GRAPH = "https://example.org/kg-test"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(url: str, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except (urllib.error.URLError, OSError):
            time.sleep(0.5)
    raise RuntimeError(f"{url} did not come up in {seconds} s")


@dataclass
class Store:
    name: str
    gsp: str  # Graph Store Protocol endpoint
    sparql: str  # query endpoint
    user: str | None = None
    password: str | None = None


@pytest.fixture(scope="module")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """`oxigraph serve` (read-write) on a free localhost port, data in a throwaway folder."""
    binary = Path(sys.executable).parent / "oxigraph"
    if not binary.exists():
        pytest.skip("the oxigraph server (pip install oxigraph) is not installed")
    port = free_port()
    folder = tmp_path_factory.mktemp("oxigraph")
    proc = subprocess.Popen([str(binary), "serve", "--location", str(folder), "--bind",
                             f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        wait_for(f"http://127.0.0.1:{port}/query?query=ASK%7B%7D")
        yield Store("oxigraph", f"http://127.0.0.1:{port}/store",
                    f"http://127.0.0.1:{port}/query")
    finally:
        proc.terminate()
        proc.wait(30)


VIRTUOSO_INI = """[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
[Parameters]
ServerPort = {sql}
DisableUnixSocket = 1
DirsAllowed = ., {d}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
CheckpointInterval = 0
[HTTPServer]
ServerPort = {http}
ServerRoot = {d}
ServerThreads = 4
Charset = UTF-8
[SPARQL]
ResultSetMaxRows = 100000
"""

# A Virtuoso account that may write graphs through /sparql-graph-crud-auth (Digest): the
# SPARQL_UPDATE role and write permission on RDF graphs (as the README tells).
VIRTUOSO_USER_SQL = (
    "DB.DBA.USER_CREATE('kgpush', 'kg-secret'); GRANT SPARQL_UPDATE TO \"kgpush\"; "
    "DB.DBA.RDF_DEFAULT_USER_PERMS_SET('kgpush', 3);"
)


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """OpenLink Virtuoso on free localhost ports with a throwaway database folder."""
    if VIRTUOSO is None or ISQL is None:
        pytest.skip("OpenLink Virtuoso is not installed (apt-get install virtuoso-opensource)")
    folder = tmp_path_factory.mktemp("virtuoso")
    sql, web = free_port(), free_port()
    (folder / "virtuoso.ini").write_text(VIRTUOSO_INI.format(d=folder, sql=sql, http=web))
    proc = subprocess.Popen([VIRTUOSO, "+foreground", "+configfile", str(folder / "virtuoso.ini")],
                            cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(f"http://127.0.0.1:{web}/sparql?query=ASK%7B%7D", seconds=180)
        subprocess.run([ISQL, str(sql), "dba", "dba", f"exec={VIRTUOSO_USER_SQL}"], check=True,
                       capture_output=True, timeout=60)
        yield Store("virtuoso", f"http://127.0.0.1:{web}/sparql-graph-crud-auth",
                    f"http://127.0.0.1:{web}/sparql", "kgpush", "kg-secret")
    finally:
        proc.terminate()
        try:
            proc.wait(60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def select(store: Store, query: str, graph: str = GRAPH) -> list[tuple[str, ...]]:
    """Rows of `query` at the store, over the pushed graph, as sorted tuples of values."""
    from SPARQLWrapper import JSON, SPARQLWrapper

    client = SPARQLWrapper(store.sparql)
    client.addDefaultGraph(graph)
    client.setQuery(query)
    client.setReturnFormat(JSON)
    result: Any = client.query().convert()
    names = result["head"]["vars"]
    return sorted(tuple(b.get(v, {}).get("value", "") for v in names)
                  for b in result["results"]["bindings"])


def kg_rows(graph: Path, query: str) -> list[tuple[str, ...]]:
    return sorted(tuple("" if v is None else str(v) for v in row)
                  for row in run_query(graph, query).rows)


COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


@pytest.fixture(params=["oxigraph", "virtuoso"])
def store(request: pytest.FixtureRequest) -> Store:
    return request.getfixturevalue("oxigraph_server" if request.param == "oxigraph"
                                   else "virtuoso")


def options(store: Store, **kw: Any) -> PushOptions:
    return PushOptions(graph=GRAPH, user=store.user, password=store.password, **kw)


def test_push_then_the_readme_queries_give_kg_query_rows(store: Store, sample_out: Path) -> None:
    result = push(sample_out, store.gsp, options(store, chunk_bytes=20_000))
    assert result.chunks > 1
    assert select(store, COUNT) == [(str(result.triples),)]
    queries = readme_queries()
    assert len(queries) >= 3
    for query in queries:
        expected = kg_rows(sample_out, query)
        assert expected, query
        assert select(store, query) == expected, query


def test_push_replaces_the_graph(store: Store, tmp_path: Path) -> None:
    small = tmp_path / "graph.ttl"
    write_rdf(query_graph().subgraph(["outlet:bloomberg", "outlet:reuters"]).copy(), small)
    push(small.parent, store.gsp, options(store, chunk_bytes=2_000))
    assert select(store, "SELECT ?n WHERE { ?o <https://schema.org/name> ?n }") == [
        ("Bloomberg",), ("Reuters",)
    ]
    smaller = tmp_path / "other" / "graph.ttl"
    smaller.parent.mkdir()
    write_rdf(query_graph().subgraph(["outlet:reuters"]).copy(), smaller)
    push(smaller, store.gsp, options(store))
    assert select(store, "SELECT ?n WHERE { ?o <https://schema.org/name> ?n }") == [("Reuters",)]


def test_virtuoso_refuses_wrong_credentials_clearly(virtuoso: Store, tmp_path: Path) -> None:
    graph = tmp_path / "graph.ttl"
    write_rdf(query_graph(), graph)
    with pytest.raises(PushError, match=r"refused the push with user 'kgpush' \(HTTP 401\); "
                                        r"pass --user NAME"):
        push(graph, virtuoso.gsp, PushOptions(graph=GRAPH, user="kgpush", password="wrong"))
    open_endpoint = virtuoso.gsp.replace("-auth", "")
    with pytest.raises(PushError, match=r"with no credentials \(HTTP 403\)"):
        push(graph, open_endpoint, PushOptions(graph=GRAPH))


# --- against a scripted server: size limits, retries, unreachable stores ---------------------


class Scripted(http.server.BaseHTTPRequestHandler):
    answers: list[int] = []
    seen: list[tuple[str, str, int]] = []

    def _answer(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        type(self).seen.append((self.command, self.path, len(body)))
        code = type(self).answers.pop(0) if type(self).answers else 204
        self.send_response(code)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_PUT = do_POST = _answer

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


@pytest.fixture
def scripted() -> Iterator[tuple[str, type[Scripted]]]:
    handler = type("Handler", (Scripted,), {"answers": [], "seen": []})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/store", handler
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def graph_file(tmp_path: Path) -> Path:
    path = tmp_path / "graph.nt"
    write_rdf(query_graph(), path, "nt")
    return path


def test_chunks_then_put_once_and_post_the_rest(scripted: Any, graph_file: Path) -> None:
    url, handler = scripted
    result = push(graph_file, url, PushOptions(chunk_bytes=3_000))
    methods = [m for m, _, _ in handler.seen]
    assert methods[0] == "PUT" and set(methods[1:]) == {"POST"} and len(methods) == result.chunks
    assert all(path == "/store?graph=https%3A%2F%2Fw3id.org%2Fkg%2Fgraph"
               for _, path, _ in handler.seen)
    assert all(size <= 3_000 for _, _, size in handler.seen)
    assert sum(size for _, _, size in handler.seen) == result.bytes


def test_retries_on_server_errors(scripted: Any, graph_file: Path) -> None:
    url, handler = scripted
    handler.answers = [503, 500, 201]
    pauses: list[float] = []
    push(graph_file, url, PushOptions(retries=3), sleep=pauses.append)
    assert [m for m, _, _ in handler.seen] == ["PUT", "PUT", "PUT"]
    assert pauses == [1.0, 2.0]
    handler.seen.clear()
    handler.answers = [503] * 5
    with pytest.raises(PushError, match=r"PUT failed with HTTP 503"):
        push(graph_file, url, PushOptions(retries=2), sleep=pauses.append)
    assert len(handler.seen) == 3


def test_size_limit_is_a_clear_error(scripted: Any, graph_file: Path) -> None:
    url, handler = scripted
    handler.answers = [201, 413]
    with pytest.raises(PushError, match=r"too large \(HTTP 413\); lower --chunk-mb.*holds only "
                                        r"the first 1 chunk\(s\) now: run kg push again"):
        push(graph_file, url, PushOptions(chunk_bytes=3_000), sleep=lambda s: None)


def test_unreachable_store(graph_file: Path) -> None:
    with pytest.raises(PushError, match=r"cannot reach the store .*is it running\?"):
        push(graph_file, f"http://127.0.0.1:{free_port()}/store", PushOptions(retries=1),
             sleep=lambda s: None)


def test_target_url() -> None:
    assert target_url("http://h/store", PushOptions()) == (
        f"http://h/store?graph={DEFAULT_GRAPH.replace(':', '%3A').replace('/', '%2F')}"
    )
    assert target_url("http://h/store", PushOptions(graph=None)) == "http://h/store?default"
    assert target_url("http://h/crud?x=1", PushOptions(graph="urn:g", graph_param="graph-uri")) \
        == "http://h/crud?x=1&graph-uri=urn%3Ag"
    with pytest.raises(KgError, match="not an http"):
        target_url("ftp://h/", PushOptions())
    with pytest.raises(KgError, match="not an absolute IRI"):
        target_url("http://h/", PushOptions(graph="relative"))


def test_chunks_cut_at_line_ends(tmp_path: Path) -> None:
    path = tmp_path / "x.nt"
    path.write_bytes(b"".join(b"<a> <b> \"%d\" .\n" % i for i in range(100)))
    pieces = list(chunks(path, 100))
    assert b"".join(p for p, _ in pieces) == path.read_bytes()
    assert sum(n for _, n in pieces) == 100
    assert all(p.endswith(b"\n") for p, _ in pieces)
    empty = tmp_path / "e.nt"
    empty.write_bytes(b"")
    assert list(chunks(empty, 100)) == [(b"", 0)]  # an empty graph still replaces


def test_kg_push_command(oxigraph_server: Store, graph_file: Path) -> None:
    from click.testing import CliRunner

    from kg.cli import cli

    result = CliRunner().invoke(cli, ["push", str(graph_file), "--endpoint", oxigraph_server.gsp,
                                      "--graph", GRAPH, "-q"])
    assert result.exit_code == 0, result.output
    assert "pushed" in result.output and "1 chunk(s)" in result.output
    assert int(select(oxigraph_server, COUNT)[0][0]) > 100
    bad = CliRunner().invoke(cli, ["push", str(graph_file), "--endpoint", "ftp://x"])
    assert bad.exit_code == 1 and "is not an http(s) URL" in bad.output
