"""The foundation issue's acceptance on the sample data, through the written RDF."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import rdflib

from kg.extract.rules import RULE_NAMES
from kg.ingest import iter_inputs
from kg.models import Article
from kg.pipeline import BuildOptions, BuildResult, build, make_corpus
from kg.rdf import load_graph, write_rdf
from tests.conftest import DATA, ROOT

PREFIXES = """
PREFIX kg: <https://w3id.org/kg/ns#>
PREFIX schema: <https://schema.org/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#>
"""
SEED_HEADLINE = "Russian Defense Ministry Plane Makes Mysterious Flight To North Korea"


def _rdf(out: Path) -> rdflib.Graph:
    g = rdflib.Graph()
    g.parse(out / "graph.ttl")
    return g


def _seed(g: rdflib.Graph) -> rdflib.term.Node:
    rows = list(g.query(PREFIXES + f'SELECT ?a WHERE {{ ?a schema:headline "{SEED_HEADLINE}" }}'))
    assert len(rows) == 1
    return rows[0][0]


def test_outputs_written(sample_out: Path) -> None:
    for name in ("graph.ttl", "graph.html", "outlets.html", "report.json"):
        assert (sample_out / name).stat().st_size > 0
    assert "@prefix kg: <https://w3id.org/kg/ns#>" in (sample_out / "graph.ttl").read_text()


def test_seed_article_metadata(sample_out: Path) -> None:
    g = _rdf(sample_out)
    seed = _seed(g)
    rows = list(g.query(PREFIXES + """
        SELECT ?publisher ?date WHERE {
          ?a schema:publisher/schema:name ?publisher ; schema:datePublished ?date .
        }""", initBindings={"a": seed}))
    assert [(str(p), str(d)[:10]) for p, d in rows] == [("Charter97", "2024-05-26")]


def test_seed_article_cites_each_source(sample_out: Path) -> None:
    g = _rdf(sample_out)
    seed = _seed(g)
    rows = g.query(PREFIXES + """
        SELECT ?name ?aff WHERE {
          ?a kg:cites ?s . ?s schema:name ?name .
          OPTIONAL { ?s schema:affiliation/schema:name ?aff }
        }""", initBindings={"a": seed})
    cited = {str(name): (str(aff) if aff else None) for name, aff in rows}
    for name in ("dialog.ua", "Flightradar24", "NK News", "Bloomberg", "Reuters"):
        assert name in cited
    assert cited["Jevu Shin"] == "Open Nuclear Network"
    # Nothing that is not a source: boilerplate, the publisher itself, governments as outlets.
    assert "Charter97" not in cited
    assert not any("Sim Sim" in n or "comment" in n.lower() for n in cited)


def test_seed_citation_kinds(sample_out: Path) -> None:
    g = _rdf(sample_out)
    seed = _seed(g)
    rows = g.query(PREFIXES + """
        SELECT ?name ?kind ?cue WHERE {
          ?a kg:attribution ?at . ?at prov:agent/schema:name ?name ; kg:kind ?kind ; kg:cue ?cue .
        }""", initBindings={"a": seed})
    found = {(str(n), str(k), str(c)) for n, k, c in rows}
    assert ("dialog.ua", "reported", "reported") in found
    assert ("Flightradar24", "according_to", "according to") in found
    assert ("Bloomberg", "said", "points out") in found
    assert ("Reuters", "reported", "wrote") in found
    assert ("NK News", "reported", "cites") in found
    assert ("Jevu Shin", "quote", "said") in found


def test_seed_mentions(sample_out: Path) -> None:
    g = _rdf(sample_out)
    seed = _seed(g)
    rows = g.query(PREFIXES + """
        SELECT ?name WHERE {
          ?a schema:mentions ?e .
          { ?e schema:name ?name } UNION { ?e schema:alternateName ?name }
        }""", initBindings={"a": seed})
    names = {str(r[0]) for r in rows}
    expected = {
        "Kim Jong-un", "Vladimir Putin", "Sergei Shoigu", "Sergei Lavrov", "Pyongyang", "Moscow",
        "North Korea", "Russia", "UN Security Council", "Russian Defence Ministry",
        "Vostochny Cosmodrome",
    }
    assert expected <= names, expected - names
    for junk in ("Sim Sim", "Charter 97", "Write your comment", "social media"):
        assert not any(junk.lower() in n.lower() for n in names)


def test_citation_chain_two_hops_backed_by_articles(sample_out: Path) -> None:
    g = _rdf(sample_out)
    charter97 = rdflib.URIRef("https://w3id.org/kg/id/outlet/charter97")
    reached = {r[0] for r in g.query(PREFIXES + "SELECT ?o WHERE { ?c kg:cites+ ?o }",
                                      initBindings={"c": charter97})}
    direct = {r[0] for r in g.query(PREFIXES + "SELECT ?o WHERE { ?c kg:cites ?o }",
                                    initBindings={"c": charter97})}
    beyond = {o for o in reached - direct
              if (o, rdflib.RDF.type, rdflib.URIRef("https://schema.org/NewsMediaOrganization"))
              in g}
    assert beyond, "no outlet reached beyond the first hop"
    # Every outlet-to-outlet hop is backed by an article of the citing outlet that states it.
    hops = g.query(PREFIXES + """
        SELECT ?o1 ?o2 ?art ?at WHERE {
          ?o1 kg:cites ?o2 .
          ?c a kg:OutletCitation ; kg:citer ?o1 ; kg:cited ?o2 ; kg:backedBy ?art .
          ?art kg:attribution ?at . ?at prov:agent ?agent .
          OPTIONAL { ?agent schema:publisher ?agentOutlet }
          OPTIONAL { ?at kg:via ?via }
          FILTER(?agent = ?o2 || ?agentOutlet = ?o2)
        }""")
    backed = {(r[0], r[1]) for r in hops}
    outlet_edges = set(g.query(PREFIXES + """
        SELECT ?o1 ?o2 WHERE { ?o1 a schema:NewsMediaOrganization ; kg:cites ?o2 }"""))
    assert outlet_edges and {tuple(e) for e in outlet_edges} <= backed


def test_attribution_offsets_index_article_text(sample_build: BuildResult) -> None:
    texts = {a.path: a.text for a in iter_inputs([DATA]) if isinstance(a, Article)}
    graph = load_graph(sample_build.outputs[0])
    checked = 0
    for u, _, data in graph.edges(data=True):
        if data["type"] != "cites" or data.get("derived"):
            continue
        text = texts[graph.nodes[u]["path"]]
        for role in ("source", "cue", "content", "sentence"):
            key = "source_text" if role == "source" else role
            if key in data:
                assert text[data[f"{role}_start"]:data[f"{role}_end"]] == data[key]
                checked += 1
    assert checked > 40


def test_every_attribution_in_rdf_has_cue_and_offsets(sample_out: Path) -> None:
    g = _rdf(sample_out)
    missing = list(g.query(PREFIXES + """
        SELECT ?at WHERE {
          ?at a kg:Attribution .
          FILTER NOT EXISTS { ?at kg:cue ?c ; kg:cueBeginIndex ?cb ; kg:cueEndIndex ?ce ;
                                  nif:beginIndex ?b ; nif:endIndex ?e ; prov:agent ?ag ;
                                  kg:rule ?r ; kg:sourceRule ?sr }
        }"""))
    assert missing == []
    rules = {str(r) for (r,) in g.query(PREFIXES + "SELECT ?r WHERE { ?at kg:rule ?r }")}
    assert rules and rules <= set(RULE_NAMES), rules
    no_offsets = list(g.query(PREFIXES + """
        SELECT ?at WHERE { ?at kg:content ?c FILTER NOT EXISTS { ?at kg:contentBeginIndex ?b ;
                                                              kg:contentEndIndex ?e } }"""))
    assert no_offsets == []


def _build_in_subprocess(out: Path, seed: str) -> None:
    env = dict(os.environ, PYTHONHASHSEED=seed)
    subprocess.run([sys.executable, "-m", "kg", "build", str(DATA), "-o", str(out), "-q"],
                   check=True, env=env, cwd=ROOT, capture_output=True)


def test_build_is_byte_identical_across_runs_and_hash_seeds(tmp_path: Path) -> None:
    _build_in_subprocess(tmp_path / "a", "1")
    _build_in_subprocess(tmp_path / "b", "4242")
    for name in ("graph.ttl", "graph.html", "outlets.html", "report.json"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def _store_quads(out: Path) -> set[str]:
    import pyoxigraph as ox

    store = ox.Store.read_only(str(out / "graph.oxigraph"))
    return {str(q) for q in store}


_FORKED_BUILD = """
import logging, sys
from pathlib import Path
import kg.pipeline as pipeline
logging.basicConfig(level=logging.DEBUG, stream=sys.stderr)
pipeline.FORK_ARTICLES = 1  # the sample's few articles: write the RDF in a forked child
pipeline.build([Path(sys.argv[1])], Path(sys.argv[2]),
               pipeline.BuildOptions(workers=int(sys.argv[3]), rdf_format=sys.argv[4]))
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forks on Linux")
@pytest.mark.parametrize("fmt", ["turtle", "jsonld"])
def test_rdf_written_in_a_forked_child_has_the_same_bytes(tmp_path: Path, fmt: str) -> None:
    """With two workers, the RDF file is written in a forked child while the pages are drawn;
    every output equals the one-process build's (here from the extraction cache of the first
    build, so that no worker process starts)."""
    out = tmp_path / "out"
    runs = []
    stores: list[set[str]] = []
    for workers in ("1", "2"):
        proc = subprocess.run(
            [sys.executable, "-c", _FORKED_BUILD, str(DATA), str(out), workers, fmt],
            cwd=ROOT, capture_output=True, text=True, check=True)
        runs.append({p.name: p.read_bytes() for p in out.iterdir()
                     if p.is_file() and not p.name.startswith(".")})
        stores.append(_store_quads(out))
        forked = "kg.forked" in proc.stderr
        assert forked == (workers == "2"), proc.stderr[-2000:]
    assert [n for n in runs[0] if runs[0][n] != runs[1].get(n)] == []
    assert stores[0] == stores[1]  # loaded from the pipe while the file was written (Turtle)
    assert len(stores[0]) > 100
    assert set(runs[0]) >= {f"graph.{'ttl' if fmt == 'turtle' else 'jsonld'}", "graph.html",
                            "report.json"}


_FAILING_TAIL = """
import sys
from pathlib import Path
import kg.pipeline as pipeline
from kg.errors import KgError
pipeline.FORK_ARTICLES = 1
def broken(*args, **kwargs):
    raise OSError("no space left on device")
if sys.argv[3] == "store":
    pipeline.write_store = broken  # the loader fails while the child writes into its pipe
else:
    pipeline._subjects = broken  # the child fails
try:
    pipeline.build([Path(sys.argv[1])], Path(sys.argv[2]), pipeline.BuildOptions(workers=2))
except (KgError, OSError) as exc:
    print(type(exc).__name__, exc)
    sys.exit(3)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forks on Linux")
@pytest.mark.parametrize("failing", ["store", "rdf"])
def test_a_failure_beside_the_pages_fails_the_build_and_keeps_old_outputs(
    tmp_path: Path, failing: str
) -> None:
    """The store's loader or the RDF child failing: the build ends (no hang on the pipe
    between them) with the cause, and the previous outputs stay as they were."""
    out = tmp_path / "out"
    build([DATA], out, BuildOptions())  # fills the cache: the next build starts no workers
    before = (out / "graph.ttl").read_bytes()
    proc = subprocess.run([sys.executable, "-c", _FAILING_TAIL, str(DATA), str(out), failing],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 3, proc.stderr[-2000:]
    assert "no space left on device" in proc.stdout
    assert (out / "graph.ttl").read_bytes() == before


def test_same_article_twice_is_merged_and_reported(tmp_path: Path) -> None:
    seed = (DATA / "charter97-2024-05-26.txt").read_text(encoding="utf-8")
    (tmp_path / "one.txt").write_text(seed, encoding="utf-8")
    (tmp_path / "copy of one.txt").write_text(seed, encoding="utf-8")
    result = build([tmp_path], tmp_path / "out", BuildOptions(html=False))
    assert result.report["articles"] == 1
    assert result.report["merged"][0]["duplicates"] == [str(tmp_path / "one.txt")]


@pytest.mark.parametrize("name", ["nothing.xyz"])
def test_nothing_buildable_raises(tmp_path: Path, name: str) -> None:
    from kg.errors import NothingBuiltError

    (tmp_path / name).write_text("x")
    with pytest.raises(NothingBuiltError):
        build([tmp_path / name], tmp_path / "out", BuildOptions())


def test_articles_without_url_keep_distinct_ids(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Reuters reported that the port reopened on Monday.\n")
    (tmp_path / "b.txt").write_text(
        "Foreign Minister Sergei Lavrov said the talks would resume next week.\n"
    )
    result = build([tmp_path], tmp_path / "out", BuildOptions(html=False))
    graph = load_graph(result.outputs[0])
    articles = [n for n, d in graph.nodes(data=True) if d["type"] == "article"]
    assert len(articles) == 2
    attribution_ids = [d["attribution"] for _, _, d in graph.edges(data=True)
                       if d["type"] == "cites" and not d.get("derived")]
    assert len(attribution_ids) == len(set(attribution_ids)) == 2


# --- the streaming build equals the whole graph in memory ------------------------------------

OUTLET_SITES = ["reuters.com", "tass.com", "bloomberg.com", "nknews.org", "dialog.ua"]
SPEAKERS = ["Anna Petrova", "Boris Ivanov", "Carla Romano", "Dmitri Sokolov"]


def _pile(root: Path, n: int = 24) -> Path:
    """Synthetic JSON Lines articles from several outlets that cite outlets, people and each
    other (links), so that a small --max-nodes leaves most of the graph out."""
    import json

    lines = []
    for i in range(n):
        site = OUTLET_SITES[i % len(OUTLET_SITES)]
        cited = OUTLET_SITES[(i + 1 + i // 5) % len(OUTLET_SITES)].split(".")[0].capitalize()
        speaker = SPEAKERS[i % len(SPEAKERS)]
        text = (
            f"{cited} reported on Monday that talks on the grain corridor stalled in round {i}. "
            f"\"We expect further delays,\" {speaker} said in Geneva. "
            f"According to Interfax, officials in Minsk denied the claims."
        )
        record = {"url": f"https://{site}/story/{i}", "title": f"Story {i}", "text": text,
                  "published": f"2024-05-{i % 28 + 1:02d}"}
        if i:
            record["links"] = [{"url": f"https://{OUTLET_SITES[0]}/story/0", "text": "earlier"}]
        lines.append(json.dumps(record))
    path = root / "pile.jsonl"
    path.write_text("\n".join(lines) + "\n")
    return path


def _page_data(path: Path) -> dict[str, object]:
    import json
    import re

    match = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>',
                      path.read_text(), re.S)
    assert match
    data: dict[str, object] = json.loads(match.group(1))
    return data


@pytest.mark.parametrize("max_nodes", [2000, 12])
@pytest.mark.parametrize("fmt", ["turtle", "nt", "jsonld"])
def test_streamed_build_equals_whole_graph(tmp_path: Path, fmt: str, max_nodes: int) -> None:
    _compare_with_whole_graph(tmp_path, fmt, max_nodes)


def test_streamed_pages_keep_counts_when_evidence_is_cut(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With one evidence article per outlet-level citation and a small page, most articles'
    attributions stay out of the page; counts, selection and drawn edges must not change."""
    import kg.html

    monkeypatch.setattr(kg.html, "EVIDENCE_ARTICLES", 1)
    cut = _compare_with_whole_graph(tmp_path, "turtle", 8)
    assert cut > 0


def _compare_with_whole_graph(tmp_path: Path, fmt: str, max_nodes: int) -> int:
    """Build streamed and whole; return how many citedIn entries the streamed pages left out."""
    from kg.graph import build_graph
    from kg.html import write_html

    inputs = [DATA, _pile(tmp_path)]
    options = BuildOptions(rdf_format=fmt, max_nodes=max_nodes)
    result = build(inputs, tmp_path / "out", options)
    corpus, _ = make_corpus(inputs, options, keep_text=False)
    graph = build_graph(corpus)
    suffix = {"turtle": "ttl", "nt": "nt", "jsonld": "jsonld"}[fmt]
    write_rdf(graph, tmp_path / f"whole.{suffix}", fmt=fmt)
    assert (tmp_path / f"whole.{suffix}").read_bytes() == result.outputs[0].read_bytes()
    assert result.report["articles"] == len(corpus.articles)
    assert sum(result.report["nodes"].values()) == graph.number_of_nodes()
    assert sum(result.report["edges"].values()) == graph.number_of_edges()

    cut = 0
    for view, name in (("full", "graph.html"), ("outlets", "outlets.html")):
        write_html(graph, tmp_path / name, view=view, max_nodes=max_nodes)  # type: ignore[arg-type]
        whole, streamed = _page_data(tmp_path / name), _page_data(tmp_path / "out" / name)
        assert streamed["stats"] == whole["stats"]
        assert streamed["edges"] == whole["edges"]
        # A drawn node lists the attributions citing it from the articles kept for the page
        # (all of them when nothing is left out); everything else about it is the same.
        for a, b in zip(whole["nodes"], streamed["nodes"], strict=True):  # type: ignore[call-overload]
            assert {k: v for k, v in a.items() if k != "citedIn"} == {
                k: v for k, v in b.items() if k != "citedIn"}
            assert set(b.get("citedIn", [])) <= set(a.get("citedIn", []))
            cut += len(a.get("citedIn", [])) - len(b.get("citedIn", []))
        if max_nodes == 2000:
            assert (tmp_path / name).read_bytes() == (tmp_path / "out" / name).read_bytes()
        else:
            assert whole["stats"]["omitted_nodes"] > 0  # type: ignore[index]
    return cut


def test_build_leaves_no_spool_behind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    spool_dir = tmp_path / "tmp"
    spool_dir.mkdir()
    monkeypatch.setenv("TMPDIR", str(spool_dir))
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", None)  # re-read TMPDIR
    build([_pile(tmp_path, 3)], tmp_path / "out", BuildOptions(html=False))
    assert list(spool_dir.iterdir()) == []
