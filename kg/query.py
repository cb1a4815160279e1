"""Query stage: SPARQL over a graph file kg wrote, read-only and local.

`run_query` parses the query with rdflib and refuses, before reading the graph:
  * updates (INSERT, DELETE, LOAD, CLEAR, DROP, CREATE, ADD, MOVE, COPY),
  * SERVICE anywhere in the query (it would send the query to another server),
  * FROM / FROM NAMED (rdflib would fetch those graphs over the network).
The query then runs with rdflib in a forked child process, so that `timeout` can stop it.

Parameters (`params`) are bound as plain string literals to the variables of the same name
(rdflib `initBindings`); their values never become query text. The prefixes kg, kgr, schema,
prov, nif, xsd, rdf and rdfs are predeclared.

Named queries are the `.rq` files of `kg/queries`; their header comments describe them:
    # description: Sources ranked by the number of articles that cite them.
    # param: outlet — the outlet id or name, e.g. charter97
"""

from __future__ import annotations

import csv
import io
import json
import logging
import multiprocessing
import re
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from pyparsing import ParseBaseException, ParseResults
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.plugins.sparql.sparql import Query
from rdflib.term import Identifier, Node

from kg.errors import QueryError
from kg.rdf import clean_text, read_rdf
from kg.vocab import PREFIXES

log = logging.getLogger(__name__)

Value = str | bool | None
OUTPUT_FORMATS: tuple[str, ...] = ("table", "csv", "tsv", "json")

_READ_ONLY = "kg query is read-only and local"
_LIST_HINT = "run `kg query --list` for ready-made queries"
_VARNAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_QUERY_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")
_PARAM_LINE = re.compile(r"#\s*param:\s*([A-Za-z_][A-Za-z0-9_]*)\s*(?:—|–|--|-|:)?\s*(.*)")
_DESCRIPTION_LINE = re.compile(r"#\s*description:\s*(.*)")
_UPDATE_KEYWORDS = {
    "Load": "LOAD",
    "Clear": "CLEAR",
    "Drop": "DROP",
    "Create": "CREATE",
    "Add": "ADD",
    "Move": "MOVE",
    "Copy": "COPY",
    "InsertData": "INSERT DATA",
    "DeleteData": "DELETE DATA",
    "DeleteWhere": "DELETE WHERE",
    "Modify": "INSERT/DELETE",
}


@dataclass(frozen=True)
class QueryParam:
    name: str
    description: str


@dataclass(frozen=True)
class NamedQuery:
    """A query shipped with kg (`kg/queries/<name>.rq`)."""

    name: str
    description: str
    params: tuple[QueryParam, ...]
    text: str


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
            params.append(QueryParam(m.group(1), m.group(2).strip()))
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


def _refuse(what: str, why: str) -> QueryError:
    return QueryError(f"{_READ_ONLY}: {what} is not allowed ({why})")


def _syntax_error(exc: Exception) -> QueryError:
    if isinstance(exc, ParseBaseException):
        detail = f"line {exc.lineno}, column {exc.col}: {exc.msg}"
    else:
        detail = " ".join(str(exc).split())[:300] or type(exc).__name__
    return QueryError(f"malformed SPARQL at {detail}; fix the query, or {_LIST_HINT}")


def _contains(node: Any, name: str, seen: set[int] | None = None) -> bool:
    """Whether a parse tree or algebra holds a CompValue called `name`, at any depth."""
    seen = set() if seen is None else seen
    if id(node) in seen:
        return False
    if isinstance(node, CompValue):
        seen.add(id(node))
        if node.name == name:
            return True
        return any(_contains(v, name, seen) for k, v in node.items() if k != "_vars")
    if isinstance(node, dict):
        seen.add(id(node))
        return any(_contains(v, name, seen) for v in node.values())
    if isinstance(node, list | tuple | ParseResults):
        seen.add(id(node))
        return any(_contains(v, name, seen) for v in node)
    return False


def check_query(query: str) -> Query:
    """Parse `query` and refuse anything that could write or reach the network.

    Returns rdflib's translated query. Raises QueryError for updates, SERVICE, FROM / FROM
    NAMED, and malformed SPARQL.
    """
    try:
        parsed = parseQuery(query)
    except Exception as query_exc:
        try:
            update = parseUpdate(query)
        except Exception:
            raise _syntax_error(query_exc) from None
        requests = update["request"] if "request" in update else []
        ops = [getattr(r, "name", "") for r in requests]
        keywords = ", ".join(dict.fromkeys(_UPDATE_KEYWORDS.get(op, op.upper()) for op in ops))
        raise _refuse(keywords or "an update", "updates would change the graph") from None
    if _contains(parsed, "ServiceGraphPattern"):
        raise _refuse("SERVICE", "it would send the query to another server")
    try:
        translated = translateQuery(parsed, initNs={p: URIRef(iri) for p, iri in PREFIXES})
    except Exception as exc:  # rdflib raises plain Exceptions for unknown prefixes and the like
        raise _syntax_error(exc) from None
    if translated.algebra.get("datasetClause"):
        raise _refuse("FROM / FROM NAMED", "rdflib would fetch those graphs over the network")
    if _contains(translated.algebra, "ServiceGraphPattern"):
        raise _refuse("SERVICE", "it would send the query to another server")
    return translated


def _bindings(query: str, params: Mapping[str, str]) -> dict[str, Identifier]:
    _, declared = parse_header(query)
    declared_names = [p.name for p in declared]
    for name in params:
        if not _VARNAME.fullmatch(name):
            raise QueryError(
                f"parameter name {name!r} is not a SPARQL variable name; "
                "use letters, digits and _ (e.g. outlet=charter97)"
            )
        if declared_names and name not in declared_names:
            raise QueryError(
                f"unknown parameter {name!r}; this query takes: {', '.join(declared_names)}"
            )
        if not declared_names and not re.search(rf"[?$]{name}(?![A-Za-z0-9_])", query):
            raise QueryError(
                f"parameter {name!r} does not appear in the query as ?{name}; "
                "remove it or use the variable in the query"
            )
    for param in declared:
        if param.name not in params:
            hint = f" ({param.description})" if param.description else ""
            raise QueryError(
                f"missing parameter {param.name!r}{hint}; pass --param {param.name}=VALUE"
            )
    # Bound as RDF terms, never pasted into the query text.
    return {name: Literal(clean_text(value)) for name, value in params.items()}


# --- evaluation -----------------------------------------------------------------------------


def _cell(term: Node | None) -> Value:
    if term is None:
        return None
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def evaluate(rdf: Graph, prepared: Query, bindings: Mapping[str, Identifier]) -> QueryResult:
    """Evaluate a checked query on `rdf` in this process (no timeout)."""
    result = rdf.query(prepared, initBindings=bindings)
    if result.type == "ASK":
        return QueryResult(("ask",), ((bool(result.askAnswer),),))
    if result.type == "SELECT":
        variables = tuple(str(v) for v in result.vars or ())
        rows = tuple(
            tuple(_cell(row[i]) for i in range(len(variables)))  # type: ignore[index]
            for row in result
        )
        return QueryResult(variables, rows)
    triples = sorted((_cell(s), _cell(p), _cell(o)) for s, p, o in (result.graph or Graph()))
    return QueryResult(("subject", "predicate", "object"), tuple(triples))


def _child(conn: Any, rdf: Graph, prepared: Query, bindings: Mapping[str, Identifier]) -> None:
    try:
        conn.send(("ok", evaluate(rdf, prepared, bindings)))
    except BaseException as exc:  # report anything to the parent, which raises QueryError
        message = " ".join(str(exc).split())[:300] or type(exc).__name__
        conn.send(("error", message))
    finally:
        conn.close()


def _evaluate_with_timeout(
    rdf: Graph, prepared: Query, bindings: Mapping[str, Identifier], timeout: float
) -> QueryResult:
    try:
        ctx = multiprocessing.get_context("fork")
    except ValueError:
        log.warning("no fork() on this platform: running the query without a timeout")
        return evaluate(rdf, prepared, bindings)
    reader, writer = ctx.Pipe(duplex=False)
    # fork: the child shares the parsed graph and query; nothing is pickled on the way in.
    proc = ctx.Process(target=_child, args=(writer, rdf, prepared, bindings), daemon=True)
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
) -> QueryResult:
    """Run `query` over the graph file at `graph_path` (Turtle, N-Triples or JSON-LD).

    `query` is SPARQL text or the name of a named query (`top-cited`). Parameters declared
    in the query's `# param:` header are required. Raises QueryError (refused, malformed, bad
    parameters, timed out) or GraphFileError.
    """
    if timeout <= 0:
        raise QueryError(f"--timeout must be a positive number of seconds, not {timeout:g}")
    query = resolve_query(query)
    prepared = check_query(query)
    bindings = _bindings(query, params or {})
    rdf = read_rdf(graph_path)
    log.debug("query: %d triples loaded from %s", len(rdf), graph_path)
    return _evaluate_with_timeout(rdf, prepared, bindings, timeout)


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
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(result.variables)
        writer.writerows([_text(v) for v in row] for row in result.rows)
        return buffer.getvalue()
    if fmt == "tsv":
        tsv = ["\t".join(result.variables)]
        tsv += ["\t".join(_one_line_cell(v) for v in row) for row in result.rows]
        return "\n".join(tsv) + "\n"
    if fmt == "json":
        objects = [dict(zip(result.variables, row, strict=True)) for row in result.rows]
        return json.dumps(objects, indent=2, ensure_ascii=False) + "\n"
    raise QueryError(f"unknown output format {fmt!r}; use one of {', '.join(OUTPUT_FORMATS)}")
