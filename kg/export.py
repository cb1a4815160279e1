"""`kg export`: the build as files analysts open in their own tools.

Read from the build's store (`kg.store`; a graph file is loaded like `kg query` does):

  gexf     graph.gexf for Gephi: articles, outlets, people, organisations, places as nodes
           (attribute `type`); edges with a `relation`: `published_by`, `cites` (weight:
           attributions), `mentions` from articles, and `cites_outlet` between outlets and
           what they cite (weight: backing articles). Dynamic: an article and its edges
           exist from the article's date on, an entity from the first dated article that
           cites or mentions it, so Gephi's timeline plays the graph growing.
  graphml  graph.graphml: the same graph (without times), for networkx, igraph, yEd, Cytoscape.
  csv      outlet-citations.csv (citer → cited with weight, the outlet-level edge list) and
           attributions.csv (article → source, with kind, cue, content, sentence, confidence).
           A cell that starts with =, +, -, @, tab or carriage return is written with a
           leading apostrophe, so that no spreadsheet runs text from an article as a formula.
  parquet  articles, attributions, mentions, entities and outlet-citations tables (pyarrow),
           for pandas, Polars, DuckDB, R's arrow.

Rows are sorted, so the same build gives the same files.
"""

from __future__ import annotations

import csv
import io
import logging
import os
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO, Any

from kg.atomic import atomic_write
from kg.errors import KgError
from kg.namespaces import PREFIXES

log = logging.getLogger(__name__)

FORMATS = ("gexf", "graphml", "csv", "parquet")
EXPORT_DIR = "export"

_CLASSES = {
    "https://schema.org/NewsArticle": "article",
    "https://schema.org/NewsMediaOrganization": "outlet",
    "https://schema.org/Person": "person",
    "https://schema.org/Organization": "organization",
    "https://schema.org/Place": "place",
    "https://schema.org/Thing": "other",
}
_KGR = "https://w3id.org/kg/id/"

ARTICLES = """
SELECT ?article ?headline ?url ?published ?publisher ?publisherName ?path WHERE {
  ?article a schema:NewsArticle .
  OPTIONAL { ?article schema:headline ?headline }
  OPTIONAL { ?article schema:url ?url }
  OPTIONAL { ?article schema:datePublished ?published }
  OPTIONAL {
    ?article schema:publisher ?publisher
    OPTIONAL { ?publisher schema:name ?publisherName }
  }
  OPTIONAL { ?article kg:path ?path }
}"""
ATTRIBUTIONS = """
SELECT ?attribution ?article ?source ?sourceName ?kind ?cue ?content ?sentence ?confidence
       ?via ?begin ?end WHERE {
  ?article kg:attribution ?attribution .
  ?attribution prov:agent ?source .
  OPTIONAL { ?source schema:name ?sourceName }
  OPTIONAL { ?attribution kg:kind ?kind }
  OPTIONAL { ?attribution kg:cue ?cue }
  OPTIONAL { ?attribution kg:content ?content }
  OPTIONAL { ?attribution kg:sentence ?sentence }
  OPTIONAL { ?attribution kg:confidence ?confidence }
  OPTIONAL { ?attribution kg:via ?via }
  OPTIONAL { ?attribution nif:beginIndex ?begin }
  OPTIONAL { ?attribution nif:endIndex ?end }
}"""
MENTIONS = """
SELECT ?article ?entity WHERE { ?article schema:mentions ?entity }"""
ENTITIES = """
SELECT ?entity ?class ?name WHERE {
  ?entity a ?class .
  FILTER (?class IN (schema:NewsMediaOrganization, schema:Person, schema:Organization,
                     schema:Place, schema:Thing))
  OPTIONAL { ?entity schema:name ?name }
}"""
OUTLET_CITATIONS = """
SELECT ?citer ?cited ?weight WHERE {
  ?c a kg:OutletCitation ; kg:citer ?citer ; kg:cited ?cited .
  OPTIONAL { ?c kg:weight ?weight }
}"""


class ExportError(KgError):
    """An export cannot be written (unknown format, missing library)."""


def _value(term: Any) -> str | None:
    return None if term is None else str(term.value)


def _rows(store: Any, query: str) -> list[dict[str, str | None]]:
    result = store.query(query, prefixes=dict(PREFIXES))
    names = [v.value for v in result.variables]
    rows = [{n: _value(s[i]) for i, n in enumerate(names)} for s in result]
    rows.sort(key=lambda r: tuple(v or "" for v in r.values()))
    return rows


def node_id(iri: str | None) -> str:
    """kg's short id of a resource (`outlet/bbc` → `outlet:bbc`), else the IRI."""
    if iri and iri.startswith(_KGR):
        rest = iri[len(_KGR):]
        kind, _, tail = rest.partition("/")
        return f"{kind}:{tail}" if tail else rest
    return iri or ""


class Tables:
    """The rows of a build, read once."""

    def __init__(self, store: Any) -> None:
        self.articles = _rows(store, ARTICLES)
        self.attributions = _rows(store, ATTRIBUTIONS)
        self.mentions = _rows(store, MENTIONS)
        self.entities = _rows(store, ENTITIES)
        self.outlet_citations = _rows(store, OUTLET_CITATIONS)
        self.names = {r["entity"]: r["name"] for r in self.entities if r["name"]}
        self.names.update((r["article"], r["headline"]) for r in self.articles if r["headline"])


# --- CSV ------------------------------------------------------------------------------------

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: Any) -> Any:
    """A text cell as a spreadsheet shows it without evaluating it ('=1+1 stays text)."""
    if isinstance(cell, str) and cell.startswith(_FORMULA_START):
        return "'" + cell
    return cell


def _write_csv(path: Path, header: list[str], rows: Iterable[list[Any]]) -> None:
    def write(stream: IO[bytes]) -> None:
        text = io.TextIOWrapper(stream, encoding="utf-8", newline="", write_through=True)
        writer = csv.writer(text, lineterminator="\n")
        writer.writerow(header)
        writer.writerows([neutralise(c) for c in row] for row in rows)
        text.detach()

    atomic_write(path, write)


def export_csv(tables: Tables, folder: Path) -> list[Path]:
    names = tables.names
    outlets = folder / "outlet-citations.csv"
    _write_csv(outlets, ["citer", "citer_name", "cited", "cited_name", "weight"], (
        [node_id(r["citer"]), names.get(r["citer"]), node_id(r["cited"]), names.get(r["cited"]),
         int(r["weight"] or 0)]
        for r in tables.outlet_citations
    ))
    attributions = folder / "attributions.csv"
    publisher = {r["article"]: r["publisher"] for r in tables.articles}
    _write_csv(attributions, [
        "article", "headline", "outlet", "source", "source_name", "kind", "cue", "content",
        "sentence", "confidence", "via",
    ], (
        [node_id(r["article"]), names.get(r["article"]), node_id(publisher.get(r["article"])),
         node_id(r["source"]), r["sourceName"], r["kind"], r["cue"], r["content"],
         r["sentence"], float(r["confidence"]) if r["confidence"] else None,
         node_id(r["via"]) if r["via"] else None]
        for r in tables.attributions
    ))
    return [outlets, attributions]


# --- Parquet --------------------------------------------------------------------------------


def export_parquet(tables: Tables, folder: Path) -> list[Path]:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as exc:
        raise ExportError("kg export --to parquet needs pyarrow: pip install pyarrow") from exc
    string, integer, double = pa.string(), pa.int64(), pa.float64()
    kinds = {r["entity"]: _CLASSES.get(r["class"] or "", "other") for r in tables.entities}

    def integer_or_none(text: str | None) -> int | None:
        return int(text) if text else None

    specs: dict[str, tuple[list[tuple[str, Any]], list[list[Any]]]] = {
        "articles": (
            [("article", string), ("headline", string), ("url", string), ("published", string),
             ("outlet", string), ("outlet_name", string), ("path", string)],
            [[node_id(r["article"]), r["headline"], r["url"], r["published"],
              node_id(r["publisher"]) if r["publisher"] else None, r["publisherName"], r["path"]]
             for r in tables.articles],
        ),
        "attributions": (
            [("attribution", string), ("article", string), ("source", string),
             ("source_name", string), ("kind", string), ("cue", string), ("content", string),
             ("sentence", string), ("confidence", double), ("via", string),
             ("source_start", integer), ("source_end", integer)],
            [[node_id(r["attribution"]), node_id(r["article"]), node_id(r["source"]),
              r["sourceName"], r["kind"], r["cue"], r["content"], r["sentence"],
              float(r["confidence"]) if r["confidence"] else None,
              node_id(r["via"]) if r["via"] else None, integer_or_none(r["begin"]),
              integer_or_none(r["end"])]
             for r in tables.attributions],
        ),
        "mentions": (
            [("article", string), ("entity", string), ("entity_name", string),
             ("entity_type", string)],
            [[node_id(r["article"]), node_id(r["entity"]), tables.names.get(r["entity"]),
              kinds.get(r["entity"])] for r in tables.mentions],
        ),
        "entities": (
            [("entity", string), ("type", string), ("name", string)],
            [[node_id(r["entity"]), _CLASSES.get(r["class"] or "", "other"), r["name"]]
             for r in tables.entities],
        ),
        "outlet-citations": (
            [("citer", string), ("cited", string), ("weight", integer)],
            [[node_id(r["citer"]), node_id(r["cited"]), integer_or_none(r["weight"])]
             for r in tables.outlet_citations],
        ),
    }
    written = []
    for name, (fields, rows) in specs.items():
        schema = pa.schema(fields)
        columns: list[Any] = list(zip(*rows, strict=True)) if rows else [() for _ in fields]
        table = pa.Table.from_arrays(
            [pa.array(list(col), type=f[1]) for col, f in zip(columns, fields, strict=True)],
            schema=schema,
        )
        path = folder / f"{name}.parquet"

        def write(stream: IO[bytes], table: Any = table) -> None:
            pq.write_table(table, stream, compression="zstd")

        atomic_write(path, write)
        written.append(path)
    return written


# --- GEXF and GraphML -----------------------------------------------------------------------


def _day(text: str | None) -> str | None:
    """YYYY-MM-DD of an xsd:date or xsd:dateTime lexical form (Gephi's timeline unit)."""
    if text and len(text) >= 10 and text[4] == "-" and text[7] == "-":
        return text[:10]
    return None


# Complexity over the limit, kept: one branch per table row kind of the export.
def build_graph(tables: Tables, *, dynamic: bool) -> Any:  # noqa: C901
    import networkx as nx

    g = nx.MultiDiGraph()
    kinds = {r["entity"]: _CLASSES.get(r["class"] or "", "other") for r in tables.entities}
    first_seen: dict[str, str] = {}
    dates: dict[str, str] = {}
    for r in tables.articles:
        day = _day(r["published"])
        if day:
            dates[str(r["article"])] = day
    for entity, kind in sorted(kinds.items()):
        g.add_node(node_id(entity), label=tables.names.get(entity) or node_id(entity), type=kind)
    for r in tables.articles:
        aid = node_id(r["article"])
        attrs: dict[str, Any] = {"label": r["headline"] or aid, "type": "article",
                                 "url": r["url"] or "", "published": r["published"] or ""}
        g.add_node(aid, **attrs)
        if r["publisher"]:
            g.add_edge(aid, node_id(r["publisher"]), key="published_by", relation="published_by",
                       weight=1)
    cites: dict[tuple[str, str], int] = {}
    for r in tables.attributions:
        pair = (str(r["article"]), str(r["source"]))
        cites[pair] = cites.get(pair, 0) + 1
    for (article, source), n in sorted(cites.items()):
        g.add_edge(node_id(article), node_id(source), key="cites", relation="cites", weight=n)
    for r in tables.mentions:
        g.add_edge(node_id(r["article"]), node_id(r["entity"]), key="mentions", relation="mentions",
                   weight=1)
    for r in tables.outlet_citations:
        g.add_edge(node_id(r["citer"]), node_id(r["cited"]), key="cites_outlet",
                   relation="cites_outlet", weight=int(r["weight"] or 0))
    for node in list(g.nodes):
        if "type" not in g.nodes[node]:  # referred to, never described
            g.nodes[node].update(label=node, type="other")
    if dynamic:
        g.graph["mode"] = "dynamic"
        by_id = {node_id(a): d for a, d in dates.items()}
        for aid, day in by_id.items():
            g.nodes[aid]["start"] = day
            for _, target, data in g.out_edges(aid, data=True):
                data["start"] = day
                if target not in by_id and (target not in first_seen or day < first_seen[target]):
                    first_seen[target] = day
        for node, day in first_seen.items():
            g.nodes[node]["start"] = day
    return g


def _write_graph(path: Path, graph: Any, writer: Callable[[Any, IO[bytes]], None]) -> None:
    atomic_write(path, lambda stream: writer(graph, stream))


def _gexf(graph: Any, stream: IO[bytes]) -> None:
    import networkx as nx

    buffer = io.BytesIO()
    nx.write_gexf(graph, buffer)
    # networkx stamps today's date in <meta>: no clock in kg's outputs.
    stream.write(re.sub(rb' lastmodifieddate="[^"]*"', b"", buffer.getvalue(), count=1))


def export_gexf(tables: Tables, folder: Path) -> list[Path]:
    path = folder / "graph.gexf"
    _write_graph(path, build_graph(tables, dynamic=True), _gexf)
    return [path]


def export_graphml(tables: Tables, folder: Path) -> list[Path]:
    import networkx as nx

    path = folder / "graph.graphml"
    _write_graph(path, build_graph(tables, dynamic=False), lambda g, s: nx.write_graphml(g, s))
    return [path]


_EXPORTERS: dict[str, Callable[[Tables, Path], list[Path]]] = {
    "gexf": export_gexf,
    "graphml": export_graphml,
    "csv": export_csv,
    "parquet": export_parquet,
}


def export(graph: str | os.PathLike[str], formats: Iterable[str],
           out: Path | None = None) -> list[Path]:
    """Write the exports of the build `graph` names into `out` (default OUT/export)."""
    from kg.store import locate, open_source

    formats = list(dict.fromkeys(formats))
    unknown = [f for f in formats if f not in _EXPORTERS]
    if unknown:
        raise ExportError(f"unknown export format {unknown[0]!r}; use {', '.join(FORMATS)}")
    source = locate(graph)
    folder = out or (source.path.parent / EXPORT_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    tables = Tables(open_source(source))
    written: list[Path] = []
    for fmt in formats:
        written += _EXPORTERS[fmt](tables, folder)
        log.info("export: wrote %s", fmt)
    return written
