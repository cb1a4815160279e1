"""Query stage: SPARQL over the graph kg built, read-only and local, on Oxigraph.

`run_query` reads the build's on-disk store (`OUT/graph.oxigraph`, see `kg.store`) when it is
given OUT, the store, or a graph file the store was loaded from; any other graph file (Turtle,
N-Triples, JSON-LD) is loaded into an in-memory store. Before anything is read, `kg.sparql`
refuses
  * updates (INSERT, DELETE, LOAD, CLEAR, DROP, CREATE, ADD, MOVE, COPY),
  * SERVICE anywhere in the query (it would send the query to another server),
  * FROM / FROM NAMED (kg reads only its own graph).
The store is opened read-only and only ever asked queries, never updates. Loading and
evaluation run in a forked child process, so that `timeout` stops both.

Parameters (`params`) are bound as plain string literals to the variables of the same name:
the library inserts a BIND of the variable to a function that hands back the value as an RDF
term (`kg.sparql.bind_params`); values never become query text. The prefixes kg, kgr, schema,
prov, nif, xsd, rdf and rdfs are predeclared.

Named queries are the `.rq` files of `kg/queries`; their header comments describe them:
    # description: Sources ranked by the number of articles that cite them.
    # param: outlet — the outlet id or name, e.g. charter97
    # param: since (optional) — a parameter the query may go without (it tests BOUND(?since))
"""

from __future__ import annotations

import csv
import io
import json
import logging
import multiprocessing
import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from kg import sparql
from kg.errors import GraphFileError, QueryError
from kg.namespaces import PREFIXES

log = logging.getLogger(__name__)

Value = str | bool | None
OUTPUT_FORMATS: tuple[str, ...] = ("table", "csv", "tsv", "json")

_LIST_HINT = sparql.LIST_HINT
_QUERY_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")
_PARAM_LINE = re.compile(
    r"#\s*param:\s*([A-Za-z_][A-Za-z0-9_]*)\s*(\(optional\))?\s*(?:—|–|--|-|:)?\s*(.*)"
)
_DESCRIPTION_LINE = re.compile(r"#\s*description:\s*(.*)")
_EXAMPLE = re.compile(r"e\.g\.\s*(?:\"([^\"]*)\"|(\S+))")
_SURROGATES = re.compile("[\ud800-\udfff]")
_POSITION = re.compile(r"error at (\d+):(\d+): ?(.*)", re.DOTALL)


@dataclass(frozen=True)
class QueryParam:
    """A parameter of a named query; an optional one stays unbound when not given (the query
    tests it with BOUND)."""

    name: str
    description: str
    optional: bool = False

    @property
    def example(self) -> str:
        """The value after "e.g." in the description ("" if none)."""
        m = _EXAMPLE.search(self.description)
        return (m.group(1) if m.group(1) is not None else m.group(2)) if m else ""


@dataclass(frozen=True)
class NamedQuery:
    """A query shipped with kg (`kg/queries/<name>.rq`)."""

    name: str
    description: str
    params: tuple[QueryParam, ...]
    text: str

    def example(self) -> str:
        """The query with each parameter bound to its example value, as plain SPARQL that any
        endpoint runs (for the query page and the README, never for a user's values)."""
        if not self.params:
            return self.text
        values = {p.name: p.example for p in self.params}
        return sparql.bind_params(self.text, sparql.tokens(self.text), values, values)


@dataclass(frozen=True)
class QueryResult:
    """Rows of a query, in the order the query gives.

    SELECT: one column per projected variable; IRIs as full IRIs, literals as their lexical
    form, unbound as None. ASK: variables ("ask",) and one row holding a bool. CONSTRUCT and
    DESCRIBE: variables ("subject", "predicate", "object"), one sorted row per triple.
    """

    variables: tuple[str, ...]
    rows: tuple[tuple[Value, ...], ...]


# --- named queries --------------------------------------------------------------------------


def parse_header(text: str) -> tuple[str, tuple[QueryParam, ...]]:
    """Description and parameters from the leading `#` comment lines of a query."""
    description = ""
    params: list[QueryParam] = []
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("#"):
            break
        if m := _DESCRIPTION_LINE.match(stripped):
            description = m.group(1).strip()
        elif m := _PARAM_LINE.match(stripped):
            params.append(QueryParam(m.group(1), m.group(3).strip(), bool(m.group(2))))
    return description, tuple(params)


def list_named_queries() -> list[NamedQuery]:
    """The named queries shipped with kg, sorted by name."""
    folder = resources.files("kg").joinpath("queries")
    queries = []
    for entry in folder.iterdir():
        if entry.name.endswith(".rq") and entry.is_file():
            text = entry.read_text(encoding="utf-8")
            description, params = parse_header(text)
            queries.append(NamedQuery(entry.name[: -len(".rq")], description, params, text))
    return sorted(queries, key=lambda q: q.name)


def get_named_query(name: str) -> NamedQuery:
    """The named query `name`; QueryError listing the names if there is none."""
    queries = list_named_queries()
    for query in queries:
        if query.name == name:
            return query
    names = ", ".join(q.name for q in queries)
    raise QueryError(f"no named query {name!r}; choose one of: {names} (`kg query --list`)")


# --- checking -------------------------------------------------------------------------------


def check_query(query: str) -> list[sparql.Token]:
    """Refuse anything that could write or reach the network (see `kg.sparql.check`)."""
    return sparql.check(query)


@dataclass(frozen=True)
class Prepared:
    """A checked query: the text to run (parameters bound) and the parameter values."""

    text: str
    values: dict[str, str]
    original: str
    inserts: tuple[tuple[int, str], ...] = ()


def prepare(query: str, params: Mapping[str, str] | None = None) -> Prepared:
    """Check `query` and bind its parameters (see `kg.sparql.bind_params`). Raises
    QueryError."""
    params = dict(params or {})
    toks = sparql.check(query)
    _, declared = parse_header(query)
    declared_names = [p.name for p in declared]
    for name in params:
        if not sparql.is_variable_name(name):
            raise QueryError(
                f"parameter name {name!r} is not a SPARQL variable name; "
                "use letters, digits and _ (e.g. outlet=charter97)"
            )
        if declared_names and name not in declared_names:
            raise QueryError(
                f"unknown parameter {name!r}; this query takes: {', '.join(declared_names)}"
            )
        if not declared_names and not sparql.uses_variable(toks, name):
            raise QueryError(
                f"parameter {name!r} does not appear in the query as ?{name}; "
                "remove it or use the variable in the query"
            )
    for param in declared:
        if param.name not in params and not param.optional:
            hint = f" ({param.description})" if param.description else ""
            raise QueryError(
                f"missing parameter {param.name!r}{hint}; pass --param {param.name}=VALUE"
            )
    values = {name: _SURROGATES.sub("\ufffd", value) for name, value in params.items()}
    inserts = sparql.binding_inserts(toks, values) if values else []
    text = query
    for pos, piece in sorted(inserts, reverse=True):
        text = text[:pos] + piece + text[pos:]
    return Prepared(text, values, query, tuple(inserts))


# --- evaluation -----------------------------------------------------------------------------


def _cell(term: Any) -> Value:
    import pyoxigraph as ox

    if term is None:
        return None
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.NamedNode | ox.Literal):
        return str(term.value)
    return str(term)


# Rows `kg query` answers at most (`--max-rows`): a cross product piles up rows at ~35 MB/s
# until the timeout fires; past this many it stops at once and asks for LIMIT.
MAX_ROWS = 100_000
# Triples of a graph file (not a store) loaded into memory for a query: Oxigraph holds ~500
# bytes a triple (a 6.9 MB Turtle collection of 2M triples took 1.1 GB); a bigger graph is
# queried in the store `kg build` writes.
FILE_MAX_TRIPLES = 1_000_000


def evaluate(store: Any, prepared: Prepared, max_rows: int | None = None) -> QueryResult:
    """Evaluate a prepared query on a pyoxigraph store in this process (no timeout); a result
    of more than `max_rows` rows (or triples) is a QueryError."""
    import pyoxigraph as ox

    values = prepared.values

    def param(name: Any) -> Any:
        value = values.get(getattr(name, "value", None) or "")
        return None if value is None else ox.Literal(value)

    try:
        result = store.query(
            prepared.text,
            prefixes=dict(PREFIXES),
            custom_functions={ox.NamedNode(sparql.PARAM_FUNCTION): param},
        )
    except SyntaxError as exc:
        raise _syntax_error(str(exc), prepared) from None
    if isinstance(result, ox.QueryBoolean):
        return QueryResult(("ask",), ((bool(result),),))
    if isinstance(result, ox.QuerySolutions):
        variables = tuple(v.value for v in result.variables)
        n = len(variables)
        rows = tuple(tuple(_cell(sol[i]) for i in range(n)) for sol in _capped(result, max_rows))
        return QueryResult(variables, rows)
    triples = sorted((_cell(t.subject), _cell(t.predicate), _cell(t.object))
                     for t in _capped(result, max_rows))
    return QueryResult(("subject", "predicate", "object"), tuple(triples))


def _capped(items: Any, max_rows: int | None) -> Iterator[Any]:
    for n, item in enumerate(items):
        if max_rows is not None and n >= max_rows:
            raise QueryError(f"the result has more than {max_rows:,} rows; add LIMIT or raise "
                             "--max-rows")
        yield item


def _syntax_error(message: str, prepared: Prepared) -> QueryError:
    m = _POSITION.match(message)
    if m is None:
        return sparql.malformed(" ".join(message.split())[:300])
    detail = " ".join(m.group(3).split())
    if len(detail) > 120:  # Oxigraph lists every token it would have taken
        detail = detail[:120].rsplit(",", 1)[0] + ", …"
    where = sparql.original_position(
        prepared.original, list(prepared.inserts), int(m.group(1)), int(m.group(2))
    )
    return sparql.malformed(f"{where}: {detail}")


def _child(conn: Any, path: Path, is_store: bool, prepared: Prepared, parent: int,
           max_rows: int | None) -> None:
    from kg.lifeline import die_with_parent

    die_with_parent(parent)  # a `kill -9` of kg query leaves no evaluator running
    try:
        from kg.rdf import check_triples, format_for
        from kg.store import Source, open_source

        if not is_store:  # a graph file is loaded into memory: count its triples first
            # (named by its suffix, as kg.store names it)
            check_triples(path, format_for(path), FILE_MAX_TRIPLES,
                          name=path.suffix.lstrip("."))
        store = open_source(Source(path, is_store))
        conn.send(("ok", evaluate(store, prepared, max_rows)))
    except BaseException as exc:  # report anything to the parent, which raises it
        if isinstance(exc, QueryError | GraphFileError):
            conn.send(("raise", exc))
        else:
            message = " ".join(str(exc).split())[:300] or type(exc).__name__
            conn.send(("error", message))
    finally:
        conn.close()
        os._exit(0)  # no atexit handlers or finalizers of the parent's objects in the child


def _evaluate_with_timeout(
    path: Path, is_store: bool, prepared: Prepared, timeout: float, max_rows: int | None
) -> QueryResult:
    try:
        ctx = multiprocessing.get_context("fork")
    except ValueError:
        log.warning("no fork() on this platform: running the query without a timeout")
        from kg.store import Source, open_source

        return evaluate(open_source(Source(path, is_store)), prepared, max_rows)
    reader, writer = ctx.Pipe(duplex=False)
    proc = ctx.Process(
        target=_child, args=(writer, path, is_store, prepared, os.getpid(), max_rows),
        daemon=True,
    )
    proc.start()
    writer.close()
    try:
        if not reader.poll(timeout):
            raise QueryError(
                f"query timed out after {timeout:g} s; narrow it (LIMIT, more specific "
                "patterns) or raise --timeout"
            )
        status, payload = reader.recv()
    except EOFError:
        proc.join(1)
        raise QueryError(
            f"query evaluation stopped unexpectedly (exit code {proc.exitcode}); "
            "narrow the query or check memory"
        ) from None
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join()
        reader.close()
    if status == "raise":
        raise payload
    if status != "ok":
        raise QueryError(f"query failed: {payload}; fix the query, or {_LIST_HINT}")
    assert isinstance(payload, QueryResult)
    return payload


def resolve_query(query: str) -> str:
    """SPARQL text as given, or the text of the named query when `query` is a bare name."""
    name = query.strip()
    if _QUERY_NAME.fullmatch(name):  # a bare word is never SPARQL
        return get_named_query(name).text
    return query


def run_query(
    graph_path: Path,
    query: str,
    *,
    params: Mapping[str, str] | None = None,
    timeout: float = 30.0,
    max_rows: int | None = MAX_ROWS,
) -> QueryResult:
    """Run `query` over a build's store or a graph file (see the module docstring).

    `query` is SPARQL text or the name of a named query (`top-cited`). Parameters declared
    in the query's `# param:` header are required. Raises QueryError (refused, malformed, bad
    parameters, timed out) or GraphFileError.
    """
    from kg.store import locate

    if not timeout > 0:
        raise QueryError(f"--timeout must be a positive number of seconds, not {timeout:g}")
    query = resolve_query(query)
    prepared = prepare(query, params)
    source = locate(graph_path)
    log.debug("query: reading %s (%s)", source.path, "store" if source.store else "file")
    return _evaluate_with_timeout(source.path, source.store, prepared, timeout, max_rows)


# --- output ---------------------------------------------------------------------------------


def _text(value: Value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


_CELL_ESCAPES = {"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _one_line_cell(value: Value) -> str:
    text = _text(value)
    if text.isprintable() and "\\" not in text:
        return text
    out = []
    for ch in text:
        if ch in _CELL_ESCAPES:
            out.append(_CELL_ESCAPES[ch])
        elif ch.isprintable() or ch == " ":
            out.append(ch)
        else:
            out.append(f"\\u{ord(ch):04x}" if ord(ch) <= 0xFFFF else f"\\U{ord(ch):08x}")
    return "".join(out)


def format_result(result: QueryResult, fmt: str = "table") -> str:
    """Render rows as `table` (aligned columns), `csv`, `tsv` or `json` (a list of objects)."""
    if fmt == "table":
        header = list(result.variables)
        body = [[_one_line_cell(v) for v in row] for row in result.rows]
        widths = [max([len(h)] + [len(r[i]) for r in body]) for i, h in enumerate(header)]
        lines = [header, ["-" * w for w in widths], *body]
        return "".join(
            "  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)).rstrip() + "\n"
            for line in lines
        )
    if fmt == "csv":
        # As `kg export`'s CSV: a cell a spreadsheet would run as a formula (=, +, -, @, tab,
        # CR first) gets a leading apostrophe.
        from kg.export import neutralise

        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(result.variables)
        writer.writerows([neutralise(_text(v)) for v in row] for row in result.rows)
        return buffer.getvalue()
    if fmt == "tsv":
        tsv = ["\t".join(result.variables)]
        tsv += ["\t".join(_one_line_cell(v) for v in row) for row in result.rows]
        return "\n".join(tsv) + "\n"
    if fmt == "json":
        objects = [dict(zip(result.variables, row, strict=True)) for row in result.rows]
        return json.dumps(objects, indent=2, ensure_ascii=False) + "\n"
    raise QueryError(f"unknown output format {fmt!r}; use one of {', '.join(OUTPUT_FORMATS)}")
