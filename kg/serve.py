"""`kg serve`: a read-only SPARQL 1.1 Protocol endpoint over a build's store, and a query page.

Why not `oxigraph serve-read-only`: it evaluates `SERVICE` by fetching the other endpoint
(tried: a local recording server saw the request), it has no result-size cap, and its query
page loads YASGUI from a CDN. This server keeps every guarantee of `kg query`:

  * the same check before anything runs (`kg.sparql.check`: no updates, SERVICE, FROM);
  * queries only, on a store opened read-only (an update request is refused with 403);
  * a timeout that stops the work: queries run in worker processes, and a worker that runs
    past `timeout` is killed and replaced (503);
  * a result-size cap: more than `max_rows` solutions (or triples) is an error that says to add
    LIMIT (400), never a silently cut result;
  * bound to 127.0.0.1 unless told otherwise; cross-origin requests only with `cors`.

Protocol: `GET /sparql?query=…`, `POST /sparql` with a form (`query=…`) or with
`Content-Type: application/sparql-query`. Results by content negotiation (Accept): SELECT and
ASK as SPARQL JSON (default), XML, CSV or TSV; CONSTRUCT and DESCRIBE as Turtle (default),
N-Triples, RDF/XML or JSON-LD. `GET /` is the query page: YASGUI (vendored, inlined: it works
offline; its Content-Security-Policy allows no other origin), with a tab per named query.
"""

from __future__ import annotations

import base64
import contextlib
import html
import http.server
import json
import logging
import multiprocessing
import os
import queue
import signal
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape as xml_escape
from xml.sax.saxutils import quoteattr

from kg import sparql
from kg.errors import KgError, QueryError
from kg.namespaces import PREFIXES

log = logging.getLogger(__name__)

MAX_BODY = 1_000_000  # bytes of a POSTed query
# A body over MAX_BODY is read and dropped, up to this much, so the client gets its 413.
DRAIN_MAX = 16 * MAX_BODY
DRAIN_SECONDS = 10.0
PARENT_POLL = 0.25  # seconds between a query worker's checks that the server still runs
ENDPOINT_PATHS = ("/sparql", "/query")

SOLUTION_TYPES = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
GRAPH_TYPES = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "text/plain": "nt",
    "application/rdf+xml": "rdfxml",
    "application/ld+json": "jsonld",
}
CONTENT_TYPES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv; charset=utf-8",
    "tsv": "text/tab-separated-values; charset=utf-8",
    "turtle": "text/turtle; charset=utf-8",
    "nt": "application/n-triples",
    "rdfxml": "application/rdf+xml",
    "jsonld": "application/ld+json",
}


@dataclass(frozen=True)
class ServeOptions:
    host: str = "127.0.0.1"
    port: int = 7878
    timeout: float = 30.0
    max_rows: int = 100_000
    workers: int = 2
    cors: bool = False


class Refused(Exception):
    """An HTTP error answer: status and a one-line message."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


# --- content negotiation --------------------------------------------------------------------


def negotiate(accept: str | None, table: dict[str, str], default: str) -> str:
    """The format for an Accept header (highest q first, then order), else `default`."""
    if not accept:
        return default
    choices: list[tuple[float, int, str]] = []
    for i, part in enumerate(accept.split(",")):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        q = 1.0
        for f in fields[1:]:
            if f.startswith("q="):
                with contextlib.suppress(ValueError):
                    q = float(f[2:])
        choices.append((-q, i, media))
    for neg_q, _, media in sorted(choices):
        if neg_q >= 0:
            continue
        if media in table:
            return table[media]
        if media in ("*/*", "application/*", "text/*"):
            return default
    raise Refused(406, f"cannot answer in {accept!r}; accept one of: {', '.join(table)}")


# --- result serialisation -------------------------------------------------------------------

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_XML_BAD = dict.fromkeys(c for c in range(32) if c not in (9, 10, 13))


def _json_term(term: Any) -> dict[str, str]:
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value != _XSD_STRING:
        out["datatype"] = term.datatype.value
    return out


def _xml_text(text: str) -> str:
    # XML 1.0 cannot carry most control characters, even escaped.
    return xml_escape(text.translate(_XML_BAD) if not text.isprintable() else text)


def _xml_term(term: Any) -> str:
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return f"<uri>{_xml_text(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{_xml_text(term.value)}</bnode>"
    if term.language:
        return f"<literal xml:lang={quoteattr(term.language)}>{_xml_text(term.value)}</literal>"
    if term.datatype.value != _XSD_STRING:
        return (f"<literal datatype={quoteattr(term.datatype.value)}>"
                f"{_xml_text(term.value)}</literal>")
    return f"<literal>{_xml_text(term.value)}</literal>"


def _csv_cell(term: Any) -> str:
    import pyoxigraph as ox

    if term is None:
        return ""
    text = f"_:{term.value}" if isinstance(term, ox.BlankNode) else str(term.value)
    if any(c in text for c in ',"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


def solutions_bytes(variables: list[str], rows: list[list[Any]], fmt: str) -> bytes:
    """SELECT results in a SPARQL 1.1 results format (json, xml, csv, tsv)."""
    if fmt == "json":
        bindings = [
            {v: _json_term(t) for v, t in zip(variables, row, strict=True) if t is not None}
            for row in rows
        ]
        doc = {"head": {"vars": variables}, "results": {"bindings": bindings}}
        return json.dumps(doc, ensure_ascii=False).encode("utf-8")
    if fmt == "xml":
        parts = ['<?xml version="1.0" encoding="UTF-8"?>\n'
                 '<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>']
        parts += [f"<variable name={quoteattr(v)}/>" for v in variables]
        parts.append("</head><results>")
        for row in rows:
            parts.append("<result>")
            parts += [f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>"
                      for v, t in zip(variables, row, strict=True) if t is not None]
            parts.append("</result>")
        parts.append("</results></sparql>\n")
        return "".join(parts).encode("utf-8")
    if fmt == "csv":
        lines = [",".join(variables)]
        lines += [",".join(_csv_cell(t) for t in row) for row in rows]
        return ("\r\n".join(lines) + "\r\n").encode("utf-8")
    if fmt == "tsv":
        lines = ["\t".join(f"?{v}" for v in variables)]
        lines += ["\t".join("" if t is None else str(t) for t in row) for row in rows]
        return ("\n".join(lines) + "\n").encode("utf-8")
    raise ValueError(fmt)


def boolean_bytes(value: bool, fmt: str) -> bytes:
    if fmt == "xml":
        return ('<?xml version="1.0" encoding="UTF-8"?>\n'
                '<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head/>'
                f"<boolean>{'true' if value else 'false'}</boolean></sparql>\n").encode()
    if fmt in ("csv", "tsv"):
        return (("true" if value else "false") + "\n").encode()
    return json.dumps({"head": {}, "boolean": value}).encode()


# --- the worker processes -------------------------------------------------------------------


def _answer(store: Any, query: str, accept: str | None, max_rows: int) -> tuple[str, bytes]:
    """(content type, body) for one query; Refused for what the client must change."""
    import pyoxigraph as ox

    try:
        result = store.query(query, prefixes=dict(PREFIXES))
    except SyntaxError as exc:
        raise Refused(400, str(sparql.malformed(" ".join(str(exc).split())[:300]))) from None
    if isinstance(result, ox.QueryBoolean):
        fmt = negotiate(accept, SOLUTION_TYPES, "json")
        return CONTENT_TYPES[fmt], boolean_bytes(bool(result), fmt)
    too_many = (f"the result has more than {max_rows:,} rows (kg serve --max-rows); add LIMIT "
                "and OFFSET to page through it")
    if isinstance(result, ox.QuerySolutions):
        fmt = negotiate(accept, SOLUTION_TYPES, "json")
        variables = [v.value for v in result.variables]
        rows: list[list[Any]] = []
        for solution in result:
            if len(rows) >= max_rows:
                raise Refused(400, too_many)
            rows.append([solution[i] for i in range(len(variables))])
        return CONTENT_TYPES[fmt], solutions_bytes(variables, rows, fmt)
    fmt = negotiate(accept, GRAPH_TYPES, "turtle")
    triples: list[Any] = []
    for triple in result:
        if len(triples) >= max_rows:
            raise Refused(400, too_many)
        triples.append(triple)
    rdf_format = {"turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES,
                  "rdfxml": ox.RdfFormat.RDF_XML, "jsonld": ox.RdfFormat.JSON_LD}[fmt]
    body = ox.serialize(triples, format=rdf_format,
                        prefixes=dict(PREFIXES) if fmt == "turtle" else None)
    return CONTENT_TYPES[fmt], body or b""


def _exit_with_parent(parent: int) -> None:
    """End this worker as soon as the server that started it has ended (a `kill -9` of
    `kg serve` runs no clean-up): a query it was running would otherwise go on to its end.
    Polled, not `prctl(PR_SET_PDEATHSIG)`: that fires when the *thread* that started the
    process ends, and the server starts replacement workers from short-lived threads."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_POLL)
        os._exit(1)

    threading.Thread(target=watch, name="kg-serve-parent", daemon=True).start()


def _worker_main(conn: Any, path: str, is_store: bool, max_rows: int, parent: int) -> None:
    from kg.store import Source, open_source

    # Ctrl-C in the terminal reaches the whole process group: the server stops its workers.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _exit_with_parent(parent)

    try:
        store = open_source(Source(Path(path), is_store))
    except KgError as exc:
        conn.send(("fatal", 500, str(exc)))
        return
    conn.send(("ready", 0, ""))
    while True:
        try:
            query, accept = conn.recv()
        except EOFError:
            return
        try:
            content_type, body = _answer(store, query, accept, max_rows)
            conn.send(("ok", content_type, body))
        except Refused as exc:
            conn.send(("refused", exc.status, str(exc)))
        except Exception as exc:  # a query that fails while running: the client sees why
            conn.send(("refused", 500, f"query failed: {' '.join(str(exc).split())[:300]}"))


class _Worker:
    def __init__(self, ctx: Any, path: Path, is_store: bool, max_rows: int) -> None:
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker_main,
                                args=(child, str(path), is_store, max_rows, os.getpid()),
                                daemon=True)
        self.proc.start()
        child.close()
        try:
            status, code, message = self.conn.recv()
        except EOFError:
            self.proc.join(5)
            status = "fatal"
            message = f"a query worker could not start (exit code {self.proc.exitcode})"
        if status != "ready":
            self.stop()
            raise KgError(message)

    def stop(self) -> None:
        if self.proc.is_alive():
            self.proc.kill()
        self.proc.join()
        self.conn.close()


class Pool:
    """Worker processes, each holding the store open; one query at a time per worker."""

    def __init__(self, path: Path, is_store: bool, options: ServeOptions) -> None:
        # spawn: the server has threads, and a forked child would inherit their locks.
        self._ctx = multiprocessing.get_context("spawn")
        self._args = (path, is_store, options.max_rows)
        self._timeout = options.timeout
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: list[_Worker] = []
        self._lock = threading.Lock()
        for _ in range(max(1, options.workers)):
            self._add()

    def _add(self) -> None:
        worker = _Worker(self._ctx, *self._args)
        with self._lock:
            self._all.append(worker)
        self._idle.put(worker)

    def run(self, query: str, accept: str | None) -> tuple[str, bytes]:
        try:
            worker = self._idle.get(timeout=self._timeout)
        except queue.Empty:
            raise Refused(503, "all query workers are busy; try again") from None
        worker.conn.send((query, accept))
        if not worker.conn.poll(self._timeout):
            worker.stop()  # the work stops with its process
            with self._lock:
                self._all.remove(worker)
            threading.Thread(target=self._add, daemon=True).start()
            raise Refused(503, f"query timed out after {self._timeout:g} s; narrow it (LIMIT, "
                               "more specific patterns)")
        try:
            status, code_or_type, body = worker.conn.recv()
        except EOFError:
            worker.stop()
            with self._lock:
                self._all.remove(worker)
            threading.Thread(target=self._add, daemon=True).start()
            raise Refused(500, "the query worker stopped unexpectedly (memory?)") from None
        self._idle.put(worker)
        if status == "refused":
            raise Refused(int(code_or_type), str(body))
        return str(code_or_type), bytes(body)

    def close(self) -> None:
        with self._lock:
            workers, self._all = self._all, []
        for worker in workers:
            worker.stop()


# --- the query page -------------------------------------------------------------------------


def _asset(name: str) -> str:
    return resources.files("kg").joinpath("templates", "vendor", name).read_text("utf-8")


def query_page() -> bytes:
    """The offline query page: YASGUI inlined, one tab per named query."""
    from kg.query import list_named_queries

    examples = [
        {"name": q.name, "description": q.description, "query": q.example()}
        for q in list_named_queries()
    ]
    data = json.dumps(examples, ensure_ascii=True).replace("<", "\\u003c")
    css = _asset("yasgui.min.css").replace("</style", "<\\/style")
    # YASGUI's code holds "<!--" and "<script" in strings and regular expressions, which would
    # put the HTML parser in a script element's escaped states: it is inlined as base64 and
    # run with an indirect eval, so that no byte of it is ever parsed as HTML.
    js = base64.b64encode(_asset("yasgui.min.js").encode("utf-8")).decode("ascii")
    page = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; connect-src 'self';
 script-src 'unsafe-inline' 'unsafe-eval'; style-src 'unsafe-inline'; img-src data:;
 font-src data:">
<title>kg — SPARQL</title>
<style>{css}</style>
<style>body {{ font-family: sans-serif; margin: 0 1em; }} h1 {{ font-size: 1.2em; }}</style>
</head>
<body>
<h1>kg SPARQL endpoint <small>(read-only; {html.escape(ENDPOINT_PATHS[0])})</small></h1>
<div id="yasgui"></div>
<script id="yasgui-code" type="application/octet-stream">{js}</script>
<script>
(function () {{
  var b64 = document.getElementById("yasgui-code").textContent;
  var bytes = Uint8Array.from(atob(b64), function (c) {{ return c.charCodeAt(0); }});
  (0, eval)(new TextDecoder("utf-8").decode(bytes));
}})();
(function () {{
  var examples = {data};
  var Y = window.Yasgui && (window.Yasgui.default || window.Yasgui);
  var endpoint = window.location.origin + "{ENDPOINT_PATHS[0]}";
  var yasgui = new Y(document.getElementById("yasgui"), {{
    requestConfig: {{ endpoint: endpoint, method: "POST" }},
    copyEndpointOnNewTab: true,
    persistenceId: null,
    endpointCatalogueOptions: {{ getData: function () {{ return [{{ endpoint: endpoint }}]; }} }}
  }});
  examples.forEach(function (q, i) {{
    yasgui.addTab(i === 0, {{ name: q.name, requestConfig: {{ endpoint: endpoint }},
                            yasqe: {{ value: "# " + q.description + "\\n" + q.query }} }});
  }});
  window.kgYasgui = yasgui;
}})();
</script>
</body>
</html>
"""
    return page.encode("utf-8")


# --- HTTP -----------------------------------------------------------------------------------


# Complexity over the limit, kept: the handler class; its methods count towards this factory.
def _handler(pool: Pool, options: ServeOptions, page: Callable[[], bytes]) -> type:  # noqa: C901
    class Handler(http.server.BaseHTTPRequestHandler):
        server_version = "kg-serve"
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            log.info("%s %s", self.address_string(), format % args)

        def _send(self, status: int, content_type: str, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("X-Content-Type-Options", "nosniff")
            if options.cors:
                self.send_header("Access-Control-Allow-Origin", "*")
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def _drain(self, length: int) -> None:
            """Read and drop a refused body (up to DRAIN_MAX bytes, DRAIN_SECONDS) before
            answering: a client still sending it when the connection closes sees a broken
            pipe, never the answer that says why."""
            left = min(length, DRAIN_MAX)
            self.connection.settimeout(DRAIN_SECONDS)
            with contextlib.suppress(OSError):
                while left > 0:
                    chunk = self.rfile.read(min(left, 1 << 16))
                    if not chunk:
                        break
                    left -= len(chunk)

        def _error(self, status: int, message: str) -> None:
            self._send(status, "text/plain; charset=utf-8", (message + "\n").encode("utf-8"))

        def do_OPTIONS(self) -> None:  # noqa: N802 - CORS preflight
            self.send_response(204)
            if options.cors:
                self.send_header("Access-Control-Allow-Origin", "*")
                self.send_header("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
                self.send_header("Access-Control-Allow-Headers", "Content-Type, Accept")
                self.send_header("Access-Control-Max-Age", "86400")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def do_GET(self) -> None:  # noqa: N802
            url = urllib.parse.urlsplit(self.path)
            if url.path in ("/", "/index.html"):
                self._send(200, "text/html; charset=utf-8", page())
                return
            if url.path not in ENDPOINT_PATHS:
                self._error(404, f"no such page; the endpoint is {ENDPOINT_PATHS[0]}")
                return
            self._query(urllib.parse.parse_qs(url.query, keep_blank_values=True))

        do_HEAD = do_GET

        def do_POST(self) -> None:  # noqa: N802
            url = urllib.parse.urlsplit(self.path)
            if url.path not in ENDPOINT_PATHS:
                self._error(404, f"no such endpoint; use {ENDPOINT_PATHS[0]}")
                return
            try:
                length = int(self.headers.get("Content-Length") or 0)
            except ValueError:
                length = -1
            if length < 0 or length > MAX_BODY:
                self.close_connection = True
                self._drain(length)
                self._error(413, f"a query may have at most {MAX_BODY:,} bytes")
                return
            body = self.rfile.read(length)
            content_type = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
            params = urllib.parse.parse_qs(url.query, keep_blank_values=True)
            if content_type == "application/sparql-update":
                self._error(403, f"{sparql.READ_ONLY}: updates are not allowed (kg serve is "
                                 "read-only)")
                return
            if content_type == "application/sparql-query":
                params["query"] = [body.decode("utf-8", "replace")]
            elif content_type in ("application/x-www-form-urlencoded", ""):
                form = urllib.parse.parse_qs(body.decode("utf-8", "replace"),
                                             keep_blank_values=True)
                for key, values in form.items():
                    params.setdefault(key, []).extend(values)
            else:
                self._error(415, "send the query as application/sparql-query or as a form "
                                 "(query=…)")
                return
            self._query(params)

        def _query(self, params: dict[str, list[str]]) -> None:
            try:
                if "update" in params:
                    raise Refused(403, f"{sparql.READ_ONLY}: updates are not allowed (kg serve "
                                       "is read-only)")
                if "default-graph-uri" in params or "named-graph-uri" in params:
                    raise Refused(400, "kg serve answers over its one graph; leave out "
                                       "default-graph-uri and named-graph-uri")
                queries = params.get("query") or []
                if len(queries) != 1 or not queries[0].strip():
                    raise Refused(400, "give exactly one query (query=…)")
                try:
                    sparql.check(queries[0])
                except QueryError as exc:
                    refused = str(exc).startswith(sparql.READ_ONLY)
                    raise Refused(403 if refused else 400, str(exc)) from None
                content_type, body = pool.run(queries[0], self.headers.get("Accept"))
            except Refused as exc:
                self._error(exc.status, str(exc))
                return
            self._send(200, content_type, body)

    return Handler


@dataclass
class Server:
    """A running endpoint (`start`); `url` is its address, `stop` ends it."""

    httpd: http.server.ThreadingHTTPServer
    pool: Pool
    thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        host = str(host)
        return f"http://{'[' + host + ']' if ':' in host else host}:{port}"

    def serve_forever(self) -> None:
        try:
            self.httpd.serve_forever()
        finally:
            self.close()

    def stop(self) -> None:
        self.httpd.shutdown()
        if self.thread is not None:
            self.thread.join()
        self.close()

    def close(self) -> None:
        self.httpd.server_close()
        self.pool.close()


def make_server(graph: Path, options: ServeOptions = ServeOptions()) -> Server:
    """An endpoint over the store or graph file that `graph` names (see `kg.store.locate`),
    bound but not yet serving."""
    from kg.store import locate

    source = locate(graph)
    pool = Pool(source.path, source.store, options)
    cached: list[bytes] = []

    def page() -> bytes:
        if not cached:
            cached.append(query_page())
        return cached[0]

    try:
        httpd = http.server.ThreadingHTTPServer(
            (options.host, options.port), _handler(pool, options, page)
        )
    except OSError:
        pool.close()
        raise
    httpd.daemon_threads = True
    return Server(httpd, pool)


def start(graph: Path, options: ServeOptions = ServeOptions()) -> Server:
    """`make_server` serving in a background thread (for tests and notebooks)."""
    server = make_server(graph, options)
    server.thread = threading.Thread(target=server.httpd.serve_forever, daemon=True)
    server.thread.start()
    return server
