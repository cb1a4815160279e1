"""kg.store: the store as a build output, and which store or file a query reads."""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.errors import GraphFileError
from kg.query import run_query
from kg.rdf import write_rdf
from kg.store import (
    META_NAME,
    STORE_FORMAT,
    STORE_NAME,
    cited_ranks,
    load_file,
    locate,
    open_source,
    read_meta,
    write_store,
)
from tests.test_query import A1, A2, A3, A4, iri, query_graph

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


@pytest.fixture
def built(tmp_path: Path) -> Path:
    path = tmp_path / "graph.ttl"
    write_rdf(query_graph(), path)
    write_store(path)
    return path


def test_the_store_holds_the_file_triples_and_the_counts(built: Path) -> None:
    store_path = built.parent / STORE_NAME
    meta = read_meta(store_path)
    assert meta is not None and meta["source"] == "graph.ttl"
    plain = ox.Store()
    plain.load(path=str(built), format=ox.RdfFormat.TURTLE)
    store = ox.Store.read_only(str(store_path))
    assert meta["triples"] == len(store) == len(load_file(built))
    assert set(store) == set(load_file(built)) > set(plain)
    counts = {
        (q.subject.value.rsplit("/", 1)[1], q.predicate.value.rsplit("#", 1)[1]): q.object.value
        for q in set(store) - set(plain)
    }
    # Shin is the agent of attributions in two articles; dialog.ua of two, one each
    assert counts[("jevu-shin", "citingArticles")] == "2"
    assert counts[("jevu-shin", "attributionCount")] == "2"
    assert counts[("reuters", "citingArticles")] == "1"
    assert all(k[0] != "charter97" for k in counts)  # cited by nobody: no count
    # the rank of the top-cited order: articles, then attributions, most first, then the IRI
    # (Bloomberg, dialog.ua and Shin: two and two each)
    ranks = sorted((int(v), k[0]) for k, v in counts.items() if k[1] == "citedRank")
    assert [name for _, name in ranks] == ["bloomberg", "dialog-ua", "jevu-shin", "reuters"]
    assert [n for n, _ in ranks] == [1, 2, 3, 4]


def test_cited_ranks_follow_the_sparql_order() -> None:
    rows = [("b", False, 2, 5), ("a", False, 2, 5), ("c", False, 3, 1), ("z", True, 2, 5),
            ("d", False, 2, 6), ("é", False, 1, 1), ("f", False, 1, 1)]
    # DESC(articles) DESC(attributions) then the term: blank nodes first, IRIs by code point
    assert [(s, n) for s, _, n in cited_ranks(rows)] == [
        ("c", 1), ("d", 2), ("z", 3), ("a", 4), ("b", 5), ("f", 6), ("é", 7)
    ]


def test_refers_to_joins_articles_that_cite_or_link_to_each_other(tmp_path: Path) -> None:
    graph = query_graph()
    graph.add_edge(A1, A2, key="links_to", type="links_to")
    graph.add_edge(A3, A4, key="cites:9", type="cites")
    path = tmp_path / "graph.ttl"
    write_rdf(graph, path)
    store = load_file(path)
    rows = store.query("SELECT ?a ?b WHERE { ?a <https://w3id.org/kg/ns#refersTo> ?b }")
    assert isinstance(rows, ox.QuerySolutions)
    # article to article only: a citation of an outlet or a person is no reference
    assert sorted((r["a"].value, r["b"].value) for r in rows) == [
        (iri(A1), iri(A2)), (iri(A3), iri(A4))
    ]


def test_locate(built: Path) -> None:
    store_path = built.parent / STORE_NAME
    assert locate(built.parent).path == store_path and locate(built.parent).store
    assert locate(store_path).store
    assert locate(built).path == store_path  # the file the store was loaded from
    # The file changed after the store was written: the file is read, not the stale store.
    built.write_bytes(built.read_bytes() + b"\n")
    assert locate(built) == type(locate(built))(built, store=False)
    os.utime(built, ns=(0, 0))
    assert not locate(built).store


def test_a_stale_store_is_not_used(built: Path) -> None:
    before = run_query(built, COUNT).rows
    with built.open("ab") as f:
        f.write(b"<https://w3id.org/kg/id/x> <https://schema.org/name> \"x\" .\n")
    after = run_query(built, COUNT).rows
    assert int(str(after[0][0])) == int(str(before[0][0])) + 1


def test_a_store_of_another_format_is_never_read(
    built: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A store written by an earlier kg lacks what the named queries read (kg:citedRank:
    top-cited would come back empty): the graph file is loaded instead, with a warning, and a
    store given alone is refused in one line."""
    store_path = built.parent / STORE_NAME
    meta = read_meta(store_path)
    assert meta is not None and meta["format"] == STORE_FORMAT
    del meta["format"]  # as the stores of earlier builds have it
    (store_path / META_NAME).write_text(json.dumps(meta))
    for given in (built.parent, built):
        with caplog.at_level(logging.WARNING, logger="kg.store"):
            assert locate(given) == type(locate(given))(built, store=False)
        assert "store written by another version of kg (store format 1" in caplog.text
    with pytest.raises(GraphFileError, match="store format 1, this kg reads 2.*rebuild it"):
        locate(store_path)
    top = run_query(built.parent, "top-cited")
    assert top.rows  # answered from the graph file, not empty from the old store


def test_locate_errors(tmp_path: Path) -> None:
    with pytest.raises(GraphFileError, match="holds no graph.oxigraph store and no graph file"):
        locate(tmp_path)
    with pytest.raises(GraphFileError, match="no such graph file"):
        locate(tmp_path / "graph.ttl")
    with pytest.raises(GraphFileError, match="unknown graph file type '.xml'"):
        locate(tmp_path / "g.xml")


def test_out_folder_without_store_reads_its_graph_file(tmp_path: Path) -> None:
    write_rdf(query_graph(), tmp_path / "graph.nt", "nt")
    source = locate(tmp_path)
    assert source.path == tmp_path / "graph.nt" and not source.store
    assert len(open_source(source)) > 100


def test_bad_graph_file(tmp_path: Path) -> None:
    bad = tmp_path / "graph.ttl"
    bad.write_text("<a> <b> .\n")
    with pytest.raises(GraphFileError, match=r"graph.ttl: not valid ttl \(.*kg build"):
        run_query(bad, "ASK {}")


def test_rewriting_swaps_the_store_whole(built: Path) -> None:
    store_path = built.parent / STORE_NAME
    reader = ox.Store.read_only(str(store_path))  # an open reader keeps its snapshot
    n = len(reader)
    write_rdf(query_graph().subgraph(["outlet:bloomberg"]).copy(), built)
    write_store(built)
    assert len(reader) == n
    assert len(ox.Store.read_only(str(store_path))) < n
    leftovers = [p.name for p in built.parent.iterdir() if p.name.startswith(".")]
    assert leftovers == []
    assert (store_path / META_NAME).is_file()


def test_timeout_stops_a_query_on_the_store(built: Path) -> None:
    import multiprocessing

    from kg.errors import QueryError
    from tests.test_query import EXPLOSIVE

    with pytest.raises(QueryError, match="query timed out after 1 s"):
        run_query(built.parent, EXPLOSIVE, timeout=1)
    assert multiprocessing.active_children() == []
