"""The embedded store: the build's triples in an on-disk Oxigraph database (pyoxigraph).

Layout, beside the RDF file of a build:

    OUT/graph.ttl                 the graph file (deterministic bytes; .nt / .jsonld likewise)
    OUT/graph.oxigraph/           the store: a RocksDB folder that pyoxigraph and the
                                  `oxigraph` server open; its default graph holds the triples
    OUT/graph.oxigraph/kg-store.json   which graph file it was loaded from (name, size, mtime)
                                  and how many triples it holds

Both kinds of store also hold a few *materialised* triples computed from the graph when it is
loaded (`materialise`), so that the named queries need no corpus-wide aggregate, scan or sort
at query time:

  * every source of an attribution gets `kg:citingArticles` (how many articles attribute to
    it) and `kg:attributionCount` (how many attributions name it), as `xsd:integer`, and
    `kg:citedRank`, its place (1, 2, …) in the order of the top-cited query (most citing
    articles first, then most attributions, then by IRI): Oxigraph compares IRIs by reading
    their text from disk at every comparison, so sorting thousands of sources by IRI takes
    seconds, and sorting by this integer takes nothing;
  * `kg:refersTo` from an article to each article of the graph that it cites or links to
    (`kg:cites` or `kg:linksTo`): the few article-to-article references among all
    citations, without testing every citation's target at query time.

They are not in the graph file; everything that reads a build (query, serve, push, export)
sees them.

`write_store` bulk-loads the graph file into a fresh folder, adds the materialised triples,
optimises it (aggregate queries
are several times faster on an optimised store) and swaps it in, so readers see the old store
or the new one. `locate` decides what `kg query`, `kg serve`, `kg push` and `kg export` read:
a store folder, an OUT folder holding one, or a graph file, whose store is used when it was
loaded from that very file (same size and modification time) and which is otherwise loaded
into an in-memory store.

This module imports no rdflib or networkx: `kg query` on a big store is a short process.
"""

from __future__ import annotations

import contextlib
import gc
import json
import logging
import os
import secrets
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg.errors import GraphFileError

log = logging.getLogger(__name__)

STORE_NAME = "graph.oxigraph"
META_NAME = "kg-store.json"
# What a store holds besides the file's triples; a store of another format answers the named
# queries wrongly (e.g. one without kg:citedRank gives an empty top-cited), so it is not used.
# 2: kg:citedRank and kg:refersTo materialised (stores of earlier builds have no "format").
STORE_FORMAT = 2
GRAPH_FILES = ("graph.ttl", "graph.nt", "graph.jsonld")
SUFFIX_FORMATS: dict[str, Any] = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".turtle": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".json": ox.RdfFormat.JSON_LD,
}
_FIX = "pass a graph file written by `kg build` (OUT/graph.ttl, or .nt / .jsonld) or OUT"


@dataclass(frozen=True)
class Source:
    """What a query reads: an on-disk store (`store` set) or a graph file to load in memory."""

    path: Path
    store: bool


def rdf_format(path: Path) -> Any:
    fmt = SUFFIX_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise GraphFileError(
            f"{path}: unknown graph file type {path.suffix or '(no suffix)'!r}; "
            "use a .ttl, .nt or .jsonld file written by `kg build`, or its OUT folder"
        )
    return fmt


def _stamp(path: Path) -> dict[str, int]:
    st = path.stat()
    return {"size": st.st_size, "mtime_ns": st.st_mtime_ns}


def read_meta(store_path: Path) -> dict[str, Any] | None:
    try:
        meta = json.loads((store_path / META_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return meta if isinstance(meta, dict) else None


def is_store(path: Path) -> bool:
    return path.is_dir() and (path / META_NAME).is_file()


def _current(store_path: Path) -> bool:
    """The store was written by this kg's `write_store` (its format is STORE_FORMAT)."""
    meta = read_meta(store_path)
    return meta is not None and meta.get("format") == STORE_FORMAT


def _outdated(store_path: Path) -> str:
    meta = read_meta(store_path) or {}
    return (f"{store_path}: store written by another version of kg (store format "
            f"{meta.get('format', 1)}, this kg reads {STORE_FORMAT})")


def _in_step(store_path: Path, graph_file: Path) -> bool:
    meta = read_meta(store_path)
    if meta is None or meta.get("source") != graph_file.name:
        return False
    try:
        return bool(meta.get("stamp") == _stamp(graph_file))
    except OSError:
        return False


def locate(path: str | os.PathLike[str]) -> Source:
    """The store or graph file that `path` names (see the module docstring)."""
    p = Path(path)
    if p.is_dir():
        if is_store(p):
            if not _current(p):
                raise GraphFileError(f"{_outdated(p)}; rebuild it with `kg build`, or pass "
                                     "its graph file (OUT/graph.ttl) to load that instead")
            return Source(p, store=True)
        if is_store(p / STORE_NAME) and _current(p / STORE_NAME):
            return Source(p / STORE_NAME, store=True)
        for name in GRAPH_FILES:
            if (p / name).is_file():
                if is_store(p / STORE_NAME):
                    log.warning("%s; loading %s instead (slower: rebuild with `kg build` to "
                                "use a store)", _outdated(p / STORE_NAME), p / name)
                return Source(p / name, store=False)
        if is_store(p / STORE_NAME):
            raise GraphFileError(f"{_outdated(p / STORE_NAME)}; rebuild it with `kg build`")
        raise GraphFileError(f"{p}: holds no graph.oxigraph store and no graph file; {_FIX}")
    rdf_format(p)
    if not p.exists():
        raise GraphFileError(
            f"{p}: no such graph file; build one with `kg build INPUT -o OUT` "
            "and pass OUT or OUT/graph.ttl"
        )
    sibling = p.parent / STORE_NAME
    if is_store(sibling) and _in_step(sibling, p) and _current(sibling):
        return Source(sibling, store=True)
    if is_store(sibling) and not _current(sibling):
        log.warning("%s; loading %s instead (slower: rebuild with `kg build` to use a store)",
                    _outdated(sibling), p)
    elif is_store(sibling):
        log.info("%s: the store beside it was loaded from another file; loading the file", p)
    return Source(p, store=False)


def open_source(source: Source) -> ox.Store:
    """A read-only view of the store, or a new in-memory store holding the graph file."""
    if source.store:
        try:
            return ox.Store.read_only(str(source.path))
        except Exception as exc:  # RocksDB reports a damaged folder in several ways
            raise GraphFileError(f"{source.path}: cannot open the store ({_one_line(exc)}); "
                                 "rebuild it with `kg build`") from exc
    return load_file(source.path)


def load_file(path: Path) -> ox.Store:
    """A graph file parsed into an in-memory store; GraphFileError if it is not valid RDF."""
    fmt = rdf_format(path)
    if fmt == ox.RdfFormat.JSON_LD:
        _refuse_remote_contexts(path)
    store = ox.Store()
    try:
        store.load(path=str(path), format=fmt)
    except FileNotFoundError:
        raise GraphFileError(f"{path}: no such graph file; build one with "
                             "`kg build INPUT -o OUT` and pass OUT or OUT/graph.ttl") from None
    except (SyntaxError, ValueError, OSError) as exc:
        raise GraphFileError(f"{path}: not valid {path.suffix.lstrip('.')} "
                             f"({_one_line(exc)}); {_FIX}") from exc
    materialise(store)
    return store


KG_NS = "https://w3id.org/kg/ns#"
MATERIALISE = """
PREFIX kg: <https://w3id.org/kg/ns#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX schema: <https://schema.org/>
INSERT { ?source kg:citingArticles ?articles ; kg:attributionCount ?attributions }
WHERE {
  SELECT ?source (COUNT(DISTINCT ?article) AS ?articles) (COUNT(?attribution) AS ?attributions)
  WHERE { ?article kg:attribution ?attribution . ?attribution prov:agent ?source }
  GROUP BY ?source
} ;
INSERT { ?article kg:refersTo ?other }
WHERE {
  { ?article kg:cites ?other } UNION { ?article kg:linksTo ?other }
  ?other a schema:NewsArticle .
  ?article a schema:NewsArticle .
}
"""
# The counts `cited_ranks` orders (it runs after MATERIALISE).
COUNTS = """
SELECT ?source ?articles ?attributions
WHERE { ?source <https://w3id.org/kg/ns#citingArticles> ?articles ;
                <https://w3id.org/kg/ns#attributionCount> ?attributions }
"""


def cited_ranks(rows: Iterable[tuple[str, bool, int, int]]) -> list[tuple[str, bool, int]]:
    """(source, is blank node, rank) for (source, is blank node, articles, attributions) rows:
    the order of `ORDER BY DESC(?articles) DESC(?attributions) ?source` in SPARQL (blank
    nodes before IRIs, IRIs by code point, as Oxigraph and rdflib compare them)."""
    ordered = sorted(rows, key=lambda r: (-r[2], -r[3], not r[1], r[0]))
    return [(source, blank, n) for n, (source, blank, _, _) in enumerate(ordered, start=1)]


def materialise(store: ox.Store) -> None:
    """Add the derived triples the named queries read (see the module docstring)."""
    store.update(MATERIALISE)
    rows = []
    solutions = store.query(COUNTS)
    assert isinstance(solutions, ox.QuerySolutions)
    for solution in solutions:
        source = solution["source"]
        rows.append((source.value, isinstance(source, ox.BlankNode),
                     int(solution["articles"].value), int(solution["attributions"].value)))
    rank = ox.NamedNode(KG_NS + "citedRank")
    integer = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
    store.extend(
        ox.Quad(ox.BlankNode(source) if blank else ox.NamedNode(source), rank,
                ox.Literal(str(n), datatype=integer))
        for source, blank, n in cited_ranks(rows)
    )


def _refuse_remote_contexts(path: Path) -> None:
    try:
        data = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return  # the parser reports it
    from kg.rdf import _check_jsonld_contexts  # the one rule, shared with rdflib reading

    _check_jsonld_contexts(data, path)


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:300] or type(exc).__name__


def write_store(
    graph_file: Path,
    store_path: Path | None = None,
    *,
    source: str | None = None,
    file_written: Callable[[], None] | None = None,
) -> Path:
    """Bulk-load `graph_file` into a new store at `store_path` (default: beside the file,
    `graph.oxigraph`), optimise it and swap it in. Returns the store's path.

    With `source` (the path of a pipe that carries the file's bytes while they are written:
    `kg build` with two workers), the store loads from it as the file is being written;
    `file_written` returns once the file is whole, and raises if it never will be."""
    target = store_path or graph_file.parent / STORE_NAME
    staging = target.parent / f".{target.name}.{secrets.token_hex(6)}.tmp"
    old = target.parent / f".{target.name}.{secrets.token_hex(6)}.old"
    try:
        store = ox.Store(str(staging))
        store.bulk_load(path=source or str(graph_file), format=rdf_format(graph_file))
        if file_written is not None:
            file_written()
        materialise(store)
        store.optimize()
        triples = len(store)
        store.flush()
        del store
        gc.collect()  # closes the database: it must be shut before it moves
        meta = {"source": graph_file.name, "stamp": _stamp(graph_file), "triples": triples,
                "format": STORE_FORMAT}
        (staging / META_NAME).write_text(json.dumps(meta, sort_keys=True) + "\n", "utf-8")
        if target.exists():
            target.rename(old)
        staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        if old.exists() and not target.exists():
            with contextlib.suppress(OSError):
                old.rename(target)
        raise
    shutil.rmtree(old, ignore_errors=True)
    log.debug("wrote %s (%d triples)", target, triples)  # the caller names where it ends up
    return target
