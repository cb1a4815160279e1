"""kg.rdf and kg.vocab: graph → RDF mapping, deterministic writers, atomic writes, load_graph."""

from __future__ import annotations

import io
import json
import os
import pickle
import subprocess
import sys
import warnings
from pathlib import Path
from typing import IO, Any

import networkx as nx
import pyoxigraph
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import RDF, BNode, Graph, Literal, URIRef
from rdflib import namespace as ns
from rdflib.compare import graph_diff, isomorphic, to_isomorphic
from rdflib.namespace import PROV

from kg.atomic import atomic_write, atomic_write_text
from kg.errors import GraphFileError
from kg.rdf import (
    clean_text,
    graph_to_rdf,
    load_graph,
    rdf_to_graph,
    serialize,
    write_rdf,
)
from kg.vocab import KG, KGR, NIF, SCHEMA, citation_iri, iri_for, node_id_for

# st.text() never yields lone surrogates; TRICKY adds them, and a bias towards the characters
# that break naive serialisers (quotes, backslashes, <>, line breaks, controls, non-Latin).
TRICKY = "\"'\\<>{}|^`\n\r\t\x00\x1f\x7f\x85\u2028\u2029\u200b\ufeff\ud800\udfffЖ中ع🙂 .:/#%"
texts = st.one_of(st.text(), st.text(st.sampled_from(TRICKY)))

A1 = "article:aaa"
A2 = "article:bbb"
SENTENCE = 'dialog.ua reported, citing Bloomberg, that "Kim left".'


def _attribution(article: str, n: int, **attrs: Any) -> dict[str, Any]:
    return {"type": "cites", "attribution": f"{article}/attribution/{n}", **attrs}


def sample_graph(reverse: bool = False) -> nx.MultiDiGraph:
    """A small graph following the kg.graph contract (optionally inserted in reverse order)."""
    nodes: list[tuple[str, dict[str, Any]]] = [
        ("organization:open-nuclear-network", {"type": "organization", "name": "ONN"}),
        (
            "outlet:bloomberg",
            {
                "type": "outlet",
                "name": "Bloomberg",
                "url": "https://www.bloomberg.com/",
                "kind": "outlet",
                "country": "US",
            },
        ),
        (
            "outlet:charter97",
            {
                "type": "outlet",
                "name": "Charter97",
                "url": "https://charter97.org/",
                "kind": "outlet",
                "aliases": ("Charter 97", "charter97.org"),
            },
        ),
        ("outlet:dialog-ua", {"type": "outlet", "name": "dialog.ua", "kind": "outlet"}),
        (
            "person:jevu-shin",
            {
                "type": "person",
                "name": "Jevu Shin",
                "aliases": ("Shin",),
                "affiliation": "organization:open-nuclear-network",
            },
        ),
        ("place:pyongyang", {"type": "place", "name": "Pyongyang"}),
        ("other:vostochny", {"type": "other", "name": "Vostochny Cosmodrome"}),
        (
            A1,
            {
                "type": "article",
                "name": "Kim goes east",
                "path": "in/a.txt",
                "title": "Kim goes east",
                "url": "https://charter97.org/en/news/1",
                "published": "2024-09-12",
                "outlet": "outlet:charter97",
            },
        ),
        (
            A2,
            {
                "type": "article",
                "name": "Reprint",
                "path": "in/b.jsonl:3",
                "title": "Reprint",
                "url": "https://www.dialog.ua/x?a=1&b=<2>",
                "published": "2024-09-13T08:30:00+02:00",
                "outlet": "outlet:dialog-ua",
            },
        ),
    ]
    edges: list[tuple[str, str, str, dict[str, Any]]] = [
        (A1, "outlet:charter97", "published_by", {"type": "published_by"}),
        (
            A1,
            "outlet:dialog-ua",
            "cites:0",
            _attribution(
                A1,
                0,
                kind="reported",
                confidence=0.9,
                sentence=SENTENCE,
                sentence_start=0,
                sentence_end=52,
                source_text="dialog.ua",
                source_start=0,
                source_end=9,
                cue="reported",
                cue_start=10,
                cue_end=18,
                content='"Kim left"',
                content_start=41,
                content_end=51,
            ),
        ),
        (
            A1,
            "outlet:bloomberg",
            "cites:1",
            _attribution(
                A1,
                1,
                kind="citing",
                confidence=0.75,
                sentence=SENTENCE,
                sentence_start=0,
                sentence_end=52,
                source_text="Bloomberg",
                source_start=27,
                source_end=36,
                cue="citing",
                cue_start=20,
                cue_end=26,
                via="outlet:dialog-ua",
            ),
        ),
        (
            A1,
            "person:jevu-shin",
            "cites:2",
            _attribution(
                A1,
                2,
                kind="said",
                confidence=0.8,
                sentence="Jevu Shin said it was a test.",
                sentence_start=60,
                sentence_end=89,
                source_text="Jevu Shin",
                source_start=60,
                source_end=69,
                cue="said",
                cue_start=70,
                cue_end=74,
                content="it was a test",
                content_start=75,
                content_end=88,
            ),
        ),
        (
            A1,
            "place:pyongyang",
            "mentions",
            {"type": "mentions", "count": 3, "text": "Pyongyang's"},
        ),
        (
            A1,
            "other:vostochny",
            "mentions",
            {"type": "mentions", "count": 1, "text": "Vostochny Cosmodrome"},
        ),
        (A1, A2, "links_to:4", {"type": "links_to", "url": "https://dialog.ua/x", "text": "here"}),
        (A2, "outlet:dialog-ua", "published_by", {"type": "published_by"}),
        (
            A2,
            "outlet:bloomberg",
            "cites:0",
            _attribution(
                A2,
                0,
                kind="according_to",
                confidence=0.6,
                sentence="According to Bloomberg, Kim left.",
                sentence_start=0,
                sentence_end=33,
                source_text="Bloomberg",
                source_start=13,
                source_end=22,
                cue="According to",
                cue_start=0,
                cue_end=12,
            ),
        ),
        (
            A2,
            A1,
            "cites:1",
            _attribution(
                A2,
                1,
                kind="hyperlink",
                confidence=1.0,
                sentence="Charter97 wrote it.",
                sentence_start=40,
                sentence_end=59,
                source_text="Charter97",
                source_start=40,
                source_end=49,
                cue="wrote",
                cue_start=50,
                cue_end=55,
            ),
        ),
        (A2, A1, "copy_of", {"type": "copy_of"}),
    ]
    derived = [
        ("outlet:charter97", "outlet:bloomberg", (A1,)),
        ("outlet:charter97", "outlet:dialog-ua", (A1,)),
        ("outlet:charter97", "person:jevu-shin", (A1,)),
        ("outlet:dialog-ua", "outlet:bloomberg", (A1, A2)),
        ("outlet:dialog-ua", "outlet:charter97", (A2,)),
    ]
    for u, v, articles in derived:
        edges.append(
            (
                u,
                v,
                "cites",
                {"type": "cites", "derived": True, "articles": articles, "weight": len(articles)},
            )
        )
    if reverse:
        nodes.reverse()
        edges.reverse()
    g = nx.MultiDiGraph()
    for node, attrs in nodes:
        g.add_node(node, **attrs)
    for u, v, key, attrs in edges:
        g.add_edge(u, v, key=key, **attrs)
    return g


def lossy(g: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """What load_graph can give back: RDF keeps no mention counts and no link text/urls."""
    out = g.copy()
    for u, v, key, data in list(out.edges(keys=True, data=True)):
        if data["type"] == "mentions":
            data.update(count=1, text=out.nodes[v]["name"])
        elif data["type"] == "links_to":
            out.remove_edge(u, v, key)
    links = sorted({(u, v) for u, v, d in g.edges(data=True) if d["type"] == "links_to"})
    for i, (u, v) in enumerate(links):
        out.add_edge(
            u, v, key=f"links_to:{i}", type="links_to", url=out.nodes[v].get("url", ""), text=""
        )
    return out


def as_sets(g: nx.MultiDiGraph) -> tuple[set[Any], set[Any]]:
    def freeze(d: dict[str, Any]) -> tuple[Any, ...]:
        return tuple(sorted(d.items()))

    return (
        {(n, freeze(d)) for n, d in g.nodes(data=True)},
        {(u, v, k, freeze(d)) for u, v, k, d in g.edges(keys=True, data=True)},
    )


def to_bytes(g: nx.MultiDiGraph, fmt: str) -> bytes:
    buffer = io.BytesIO()
    serialize(g, buffer, fmt)
    return buffer.getvalue()


def ask(rdf: Graph, where: str) -> bool:
    prologue = (
        f"PREFIX kg: <{KG}> PREFIX schema: <{SCHEMA}> PREFIX prov: <{PROV}> "
        f"PREFIX nif: <{NIF}> PREFIX xsd: <{ns.XSD}> PREFIX kgr: <{KGR}>\n"
    )
    return bool(rdf.query(prologue + "ASK { " + where + " }").askAnswer)


# --- vocabulary -----------------------------------------------------------------------------


def test_iri_for_examples() -> None:
    assert iri_for("outlet:reuters") == URIRef("https://w3id.org/kg/id/outlet/reuters")
    assert iri_for("person:jevu-shin") == URIRef("https://w3id.org/kg/id/person/jevu-shin")
    assert iri_for("article:3f2a/attribution/0") == URIRef(
        "https://w3id.org/kg/id/article/3f2a/attribution/0"
    )
    assert str(iri_for('other:a b"<>')) == "https://w3id.org/kg/id/other/a%20b%22%3C%3E"
    assert str(iri_for("place:Київ")) == "https://w3id.org/kg/id/place/%D0%9A%D0%B8%D1%97%D0%B2"
    assert str(iri_for("other:x/../.")) == "https://w3id.org/kg/id/other/x/%2E%2E/%2E"
    assert citation_iri("outlet:a", "person:b") == URIRef(
        "https://w3id.org/kg/id/citation/outlet%3Aa/person%3Ab"
    )


def test_misspelt_term_fails_loudly() -> None:
    with pytest.raises(AttributeError):
        _ = KG.cite  # noqa: B018
    with pytest.raises(AttributeError):
        _ = SCHEMA.headLine  # noqa: B018


def test_node_id_for_refuses_foreign_iri() -> None:
    with pytest.raises(ValueError, match="not a kg resource IRI"):
        node_id_for("https://example.org/outlet/x")


@given(texts)
def test_iri_for_is_valid_and_invertible(node_id: str) -> None:
    iri = iri_for(node_id)
    assert node_id_for(str(iri)) == node_id
    assert str(iri).isascii()
    pyoxigraph.NamedNode(str(iri))  # raises on an invalid IRI
    triple = f"<{iri}> <{KG.cites}> <{iri}> .\n".encode()
    assert len(list(pyoxigraph.parse(triple, pyoxigraph.RdfFormat.N_TRIPLES))) == 1


# --- mapping --------------------------------------------------------------------------------


def test_mapping_triples() -> None:
    rdf = graph_to_rdf(sample_graph())
    a1 = f"<{iri_for(A1)}>"
    a2 = f"<{iri_for(A2)}>"
    att0 = f"<{iri_for(A1 + '/attribution/0')}>"
    att1 = f"<{iri_for(A1 + '/attribution/1')}>"
    checks = [
        f"{a1} a schema:NewsArticle ; schema:headline 'Kim goes east' ;"
        " schema:name 'Kim goes east' ; kg:path 'in/a.txt'",
        f"{a1} schema:url 'https://charter97.org/en/news/1'^^xsd:anyURI",
        f"{a1} schema:datePublished '2024-09-12'^^xsd:date",
        f"{a2} schema:datePublished '2024-09-13T08:30:00+02:00'^^xsd:dateTime",
        f"{a1} schema:publisher <{iri_for('outlet:charter97')}>",
        f"{a1} schema:mentions <{iri_for('place:pyongyang')}>, <{iri_for('other:vostochny')}>",
        f"{a1} kg:cites <{iri_for('outlet:dialog-ua')}>, <{iri_for('outlet:bloomberg')}>,"
        f" <{iri_for('person:jevu-shin')}>",
        f"{a1} kg:attribution {att0}, {att1}",
        f"{a1} kg:linksTo {a2}",
        f"{a2} kg:copyOf {a1}",
        f"{a2} kg:cites {a1}",
        f"{att0} a kg:Attribution, prov:Attribution ; prov:agent <{iri_for('outlet:dialog-ua')}>"
        " ; nif:anchorOf 'dialog.ua' ; kg:sourceText 'dialog.ua'"
        " ; nif:beginIndex '0'^^xsd:nonNegativeInteger ; nif:endIndex '9'^^xsd:nonNegativeInteger"
        " ; kg:cue 'reported' ; kg:cueBeginIndex '10'^^xsd:nonNegativeInteger"
        " ; kg:kind 'reported' ; kg:confidence 0.9 ; kg:confidence '0.9'^^xsd:decimal",
        f"{att0} kg:content ?c ; kg:contentBeginIndex ?cb ; kg:contentEndIndex ?ce ;"
        " kg:sentence ?s ; kg:sentenceBeginIndex ?sb ; kg:sentenceEndIndex ?se ."
        " FILTER (?c = '\"Kim left\"' && ?cb = 41 && ?ce = 51 && ?sb = 0 && ?se = 52)",
        f"{att1} kg:via <{iri_for('outlet:dialog-ua')}> ;"
        f" prov:agent <{iri_for('outlet:bloomberg')}>",
        f"<{iri_for('outlet:charter97')}> a schema:NewsMediaOrganization ; schema:name 'Charter97'"
        " ; schema:url 'https://charter97.org/'^^xsd:anyURI ; schema:alternateName 'Charter 97',"
        " 'charter97.org' ; kg:outletKind 'outlet'",
        f"<{iri_for('outlet:bloomberg')}> kg:country 'US'",
        f"<{iri_for('person:jevu-shin')}> a schema:Person ; schema:name 'Jevu Shin' ;"
        f" schema:alternateName 'Shin' ;"
        f" schema:affiliation <{iri_for('organization:open-nuclear-network')}>",
        f"<{iri_for('organization:open-nuclear-network')}> a schema:Organization",
        f"<{iri_for('place:pyongyang')}> a schema:Place ; schema:name 'Pyongyang'",
        f"<{iri_for('other:vostochny')}> a schema:Thing",
        f"<{iri_for('outlet:charter97')}> kg:cites <{iri_for('outlet:dialog-ua')}>",
        "?c a kg:OutletCitation ; kg:citer ?o1 ; kg:cited ?o2 ; kg:weight 2 ;"
        f" kg:backedBy {a1}, {a2} . FILTER (?o1 = <{iri_for('outlet:dialog-ua')}>"
        f" && ?o2 = <{iri_for('outlet:bloomberg')}>"
        f" && ?c = <{citation_iri('outlet:dialog-ua', 'outlet:bloomberg')}>)",
        # each hop of a chain is backed by an article that states it
        f"<{iri_for('outlet:charter97')}> kg:cites+ <{iri_for('outlet:bloomberg')}>",
    ]
    for where in checks:
        assert ask(rdf, where), where
    att0_iri = iri_for(A1 + "/attribution/0")
    assert rdf.value(att0_iri, KG.sentence) == Literal(SENTENCE)
    # an article's own url is never an IRI, and text is always literal
    assert not ask(rdf, "?s ?p <https://charter97.org/en/news/1>")
    assert not any(isinstance(t, BNode) for triple in rdf for t in triple)
    assert len(list(rdf.subjects(RDF.type, KG.Attribution))) == 5
    assert len(list(rdf.subjects(RDF.type, KG.OutletCitation))) == 5


def test_dates_that_are_not_iso_stay_plain() -> None:
    g = nx.MultiDiGraph()
    for i, published in enumerate(["Sept 12, 2024", "2024-02-30", "2024-09-12 10:00", "2024"]):
        g.add_node(f"article:{i}", type="article", name="x", path="p", published=published)
    rdf = graph_to_rdf(g)
    values = list(rdf.objects(None, SCHEMA.datePublished))
    assert len(values) == 4
    assert all(isinstance(v, Literal) and v.datatype is None for v in values)


def test_prefixes_are_declared() -> None:
    text = to_bytes(sample_graph(), "turtle").decode()
    for prefix in ("kg", "kgr", "schema", "prov", "nif", "xsd", "rdf", "rdfs"):
        assert f"@prefix {prefix}: <" in text
    assert text.startswith("@prefix kg: <https://w3id.org/kg/ns#> .\n")
    bound = dict(graph_to_rdf(sample_graph()).namespaces())
    assert str(bound["kg"]) == str(KG) and str(bound["schema"]) == "https://schema.org/"
    context = json.loads(to_bytes(sample_graph(), "jsonld"))["@context"]
    assert context["kg"] == str(KG) and context["nif"] == str(NIF)


def test_ntriples_lines_are_sorted() -> None:
    lines = to_bytes(sample_graph(), "nt").decode().splitlines()
    assert lines == sorted(lines) and len(lines) == len(set(lines))
    assert len(lines) == len(graph_to_rdf(sample_graph()))


@pytest.mark.parametrize("fmt", ["turtle", "nt", "jsonld"])
def test_output_parses_to_the_same_rdf(fmt: str) -> None:
    data = to_bytes(sample_graph(), fmt)
    expected = graph_to_rdf(sample_graph())
    assert_same_rdf(expected, data, fmt)


# --- determinism ----------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["turtle", "nt", "jsonld"])
def test_same_bytes_whatever_the_insertion_order(fmt: str) -> None:
    assert to_bytes(sample_graph(), fmt) == to_bytes(sample_graph(reverse=True), fmt)


def test_same_bytes_under_another_hash_seed(tmp_path: Path) -> None:
    pickled = tmp_path / "g.pickle"
    pickled.write_bytes(pickle.dumps(sample_graph()))
    here = {}
    for fmt, suffix in (("turtle", "ttl"), ("nt", "nt"), ("jsonld", "jsonld")):
        write_rdf(sample_graph(), tmp_path / f"here.{suffix}", fmt)
        here[fmt] = (tmp_path / f"here.{suffix}").read_bytes()
    code = (
        "import pickle, sys\n"
        "from kg.rdf import write_rdf\n"
        "g = pickle.load(open(sys.argv[1], 'rb'))\n"
        "for fmt, suffix in (('turtle', 'ttl'), ('nt', 'nt'), ('jsonld', 'jsonld')):\n"
        "    write_rdf(g, sys.argv[2] + '.' + suffix, fmt)\n"
    )
    for seed in ("1", "12345"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        out = str(tmp_path / f"seed{seed}")
        subprocess.run([sys.executable, "-c", code, str(pickled), out], check=True, env=env)
        for fmt, suffix in (("turtle", "ttl"), ("nt", "nt"), ("jsonld", "jsonld")):
            assert Path(f"{out}.{suffix}").read_bytes() == here[fmt], (seed, fmt)


# --- atomic writes --------------------------------------------------------------------------


class Explodes:
    def __str__(self) -> str:
        raise RuntimeError("boom")


def test_atomic_write_leaves_no_temp_file(tmp_path: Path) -> None:
    target = tmp_path / "graph.ttl"
    write_rdf(sample_graph(), target)
    write_rdf(sample_graph(), target)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.ttl"]
    assert target.read_bytes() == to_bytes(sample_graph(), "turtle")


def test_failed_write_keeps_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "graph.ttl"
    write_rdf(sample_graph(), target)
    before = target.read_bytes()
    bad = sample_graph()
    bad.nodes["place:pyongyang"]["name"] = Explodes()
    with pytest.raises(RuntimeError, match="boom"):
        write_rdf(bad, target)
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.ttl"]


def test_atomic_write_on_interrupt_and_text(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    atomic_write_text(target, "old\n")

    def interrupted(stream: IO[bytes]) -> None:
        stream.write(b"half")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        atomic_write(target, interrupted)
    assert target.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]
    atomic_write_text(target, "Ж\n")
    assert target.read_bytes() == "Ж\n".encode()


def test_unknown_format_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="turtle, nt, jsonld"):
        write_rdf(sample_graph(), tmp_path / "g.xml", "xml")
    assert list(tmp_path.iterdir()) == []


# --- load_graph -----------------------------------------------------------------------------


@pytest.mark.parametrize("fmt,suffix", [("turtle", "ttl"), ("nt", "nt"), ("jsonld", "jsonld")])
def test_round_trip(tmp_path: Path, fmt: str, suffix: str) -> None:
    g = sample_graph()
    path = tmp_path / f"graph.{suffix}"
    write_rdf(g, path, fmt)
    loaded = load_graph(path)
    assert as_sets(loaded) == as_sets(lossy(g))
    # the rebuilt graph writes the same RDF again
    assert to_bytes(loaded, fmt) == to_bytes(lossy(g), fmt)
    assert set(loaded.edges(keys=True)) >= {(A1, "outlet:bloomberg", "cites:1")}
    assert loaded.edges[A1, "outlet:bloomberg", "cites:1"]["via"] == "outlet:dialog-ua"
    assert loaded.edges["outlet:dialog-ua", "outlet:bloomberg", "cites"]["articles"] == (A1, A2)


def test_round_trip_keeps_the_attribution_order(tmp_path: Path) -> None:
    g = nx.MultiDiGraph()
    g.add_node("article:x", type="article", name="x", path="x")
    g.add_node("outlet:y", type="outlet", name="y")
    for n in range(12):
        g.add_edge(
            "article:x",
            "outlet:y",
            key=f"cites:{n}",
            **_attribution("article:x", n, kind="said", confidence=0.5, cue=f"c{n}"),
        )
    write_rdf(g, tmp_path / "g.ttl")
    loaded = load_graph(tmp_path / "g.ttl")
    keys = [k for _, _, k in loaded.edges(keys=True)]
    assert keys == [f"cites:{n}" for n in range(12)]
    assert [d["cue"] for *_, d in loaded.edges(data=True)] == [f"c{n}" for n in range(12)]


def test_the_rule_of_an_attribution_is_written_and_read_back(tmp_path: Path) -> None:
    g = nx.MultiDiGraph()
    g.add_node("article:x", type="article", name="x", path="x")
    g.add_node("outlet:y", type="outlet", name="y")
    g.add_edge("article:x", "outlet:y", key="cites:0", **_attribution(
        "article:x", 0, kind="said", confidence=0.9, cue="said", rule="reporting-verb",
        source_rule="shared:participle/subject"))
    write_rdf(g, tmp_path / "g.ttl")
    rdf = Graph().parse(tmp_path / "g.ttl")
    rows = {(str(r), str(s)) for r, s in rdf.query(
        "PREFIX kg: <https://w3id.org/kg/ns#> "
        "SELECT ?r ?s WHERE { ?a a kg:Attribution ; kg:rule ?r ; kg:sourceRule ?s }")}
    assert rows == {("reporting-verb", "shared:participle/subject")}
    (_, _, data), = load_graph(tmp_path / "g.ttl").edges(data=True)
    assert (data["rule"], data["source_rule"]) == ("reporting-verb", "shared:participle/subject")


def test_load_graph_errors(tmp_path: Path) -> None:
    with pytest.raises(GraphFileError, match=r"missing\.ttl: no such graph file; build one"):
        load_graph(tmp_path / "missing.ttl")
    (tmp_path / "g.xml").write_text("<rdf/>")
    with pytest.raises(GraphFileError, match=r"unknown graph file type '\.xml'; use a \.ttl"):
        load_graph(tmp_path / "g.xml")
    (tmp_path / "bad.ttl").write_text("<a> <b> .\n")
    with pytest.raises(GraphFileError, match=r"bad\.ttl: not valid turtle .*kg build") as info:
        load_graph(tmp_path / "bad.ttl")
    assert "\n" not in str(info.value)
    (tmp_path / "bad.nt").write_bytes(b"\xff\xfe")
    with pytest.raises(GraphFileError, match=r"bad\.nt: not valid nt"):
        load_graph(tmp_path / "bad.nt")


def test_load_graph_refuses_remote_jsonld_context(tmp_path: Path) -> None:
    path = tmp_path / "g.jsonld"
    path.write_text(json.dumps({"@context": "http://127.0.0.1:9/ctx", "@id": "x"}))
    with pytest.raises(GraphFileError, match="remote JSON-LD context"):
        load_graph(path)


# --- property: any text survives every writer and parser ------------------------------------

ids = st.one_of(st.text(max_size=12), st.text(st.sampled_from(TRICKY), max_size=12))


@st.composite
def arbitrary_graphs(draw: st.DrawFn) -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    outlet = "outlet:" + draw(ids)
    person = "person:" + draw(ids)
    article = "article:" + draw(ids)
    g.add_node(
        outlet,
        type="outlet",
        name=draw(texts),
        url=draw(texts) or "u",
        kind=draw(texts) or "k",
        country=draw(texts) or "c",
    )
    aliases = tuple(sorted(set(draw(st.lists(texts, max_size=3)))))
    if aliases:
        g.nodes[outlet]["aliases"] = aliases
    g.add_node(person, type="person", name=draw(texts))
    g.add_node(
        article,
        type="article",
        name=draw(texts),
        path=draw(texts),
        title=draw(texts),
        url=draw(texts) or "u",
        published=draw(texts) or "p",
        outlet=outlet,
    )
    g.add_edge(article, outlet, key="published_by", type="published_by")
    g.add_edge(
        article,
        person,
        key="cites:0",
        **_attribution(
            article,
            0,
            kind=draw(texts),
            confidence=round(draw(st.floats(0, 1)), 3),
            sentence=draw(texts),
            sentence_start=0,
            sentence_end=draw(st.integers(0, 10**6)),
            source_text=draw(texts),
            source_start=1,
            source_end=2,
            cue=draw(texts),
            cue_start=3,
            cue_end=4,
            content=draw(texts),
            content_start=5,
            content_end=6,
            via=outlet,
        ),
    )
    g.add_edge(
        article, person, key="mentions", type="mentions", count=1, text=g.nodes[person]["name"]
    )
    g.add_edge(
        outlet, person, key="cites", type="cites", derived=True, articles=(article,), weight=1
    )
    return g


def from_oxigraph(term: Any) -> Any:
    if isinstance(term, pyoxigraph.NamedNode):
        return URIRef(term.value)
    if isinstance(term, pyoxigraph.BlankNode):
        return BNode(term.value)
    assert isinstance(term, pyoxigraph.Literal)
    if term.language:
        return Literal(term.value, lang=term.language)
    if term.datatype.value == str(ns.XSD.string):
        return Literal(term.value)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


OXI_FORMATS = {
    "turtle": pyoxigraph.RdfFormat.TURTLE,
    "nt": pyoxigraph.RdfFormat.N_TRIPLES,
    "jsonld": pyoxigraph.RdfFormat.JSON_LD,
}
RDFLIB_FORMATS = {"turtle": "turtle", "nt": "nt", "jsonld": "json-ld"}


def assert_same_rdf(expected: Graph, data: bytes, fmt: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # rdflib's JSON-LD parser
        parsed = Graph().parse(data=data.decode("utf-8"), format=RDFLIB_FORMATS[fmt])
    if not isomorphic(expected, parsed):
        _, only_expected, only_parsed = graph_diff(to_isomorphic(expected), to_isomorphic(parsed))
        raise AssertionError(
            f"{fmt} via rdflib differs:\nonly expected: {sorted(only_expected)}\n"
            f"only parsed: {sorted(only_parsed)}"
        )
    oxi = {
        (from_oxigraph(q.subject), from_oxigraph(q.predicate), from_oxigraph(q.object))
        for q in pyoxigraph.parse(data, OXI_FORMATS[fmt])
    }
    assert oxi == set(expected), f"{fmt} via pyoxigraph differs: {oxi ^ set(expected)}"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(arbitrary_graphs())
def test_any_text_survives_turtle_and_ntriples(g: nx.MultiDiGraph) -> None:
    expected = graph_to_rdf(g)
    for fmt in ("turtle", "nt", "jsonld"):
        assert_same_rdf(expected, to_bytes(g, fmt), fmt)
    # and the graph comes back (text made encodable by clean_text, the one lossy step)
    back = rdf_to_graph(Graph().parse(data=to_bytes(g, "nt").decode(), format="nt"))
    cleaned = g.copy()
    for _, data in cleaned.nodes(data=True):
        for key in ("name", "title", "url", "published", "path", "kind", "country"):
            if key in data:
                data[key] = clean_text(data[key])
        if "aliases" in data:
            data["aliases"] = tuple(sorted({clean_text(a) for a in data["aliases"]}))
    for *_, data in cleaned.edges(data=True):
        for key in ("kind", "sentence", "source_text", "cue", "content"):
            if key in data:
                data[key] = clean_text(data[key])
        if data["type"] == "mentions":
            data["text"] = clean_text(data["text"])
    assert as_sets(back) == as_sets(cleaned)


def test_surrogates_become_replacement_characters() -> None:
    g = nx.MultiDiGraph()
    g.add_node("place:x", type="place", name="a\ud800b")
    data = to_bytes(g, "turtle")
    assert "a\ufffdb".encode() in data
    assert clean_text("ok \udcff") == "ok \ufffd"


def test_control_characters_are_escaped() -> None:
    g = nx.MultiDiGraph()
    g.add_node("place:x", type="place", name='q"\\\n\r\t\x00\x7f\u2028\u200b>')
    line = to_bytes(g, "nt").decode().splitlines()[-1]
    assert '"q\\"\\\\\\n\\r\\t\\u0000\\u007F\\u2028\\u200B>"' in line


# --- hostile graph files (issue 14) ----------------------------------------------------------


def test_a_graph_file_with_too_many_triples_is_refused_before_loading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import kg.rdf

    path = tmp_path / "graph.ttl"
    # one RDF collection: few bytes, many triples (2M triples in 6.9 MB took rdflib 5.9 GB)
    path.write_text("<https://x.example/s> <https://x.example/p> ("
                    + " ".join(str(n) for n in range(600)) + ") .\n")
    monkeypatch.setattr(kg.rdf, "MAX_TRIPLES", 1000)
    with pytest.raises(GraphFileError, match=r"graph.ttl: more than 1,000 triples, more than kg "
                       r"reads into memory"):
        kg.rdf.read_rdf(path)


def test_garbage_named_like_a_graph_is_refused_at_its_first_error(tmp_path: Path) -> None:
    import random

    from kg.rdf import read_rdf

    for name in ("graph.ttl", "graph.nt"):
        path = tmp_path / name
        path.write_bytes(random.Random(5).randbytes(1 << 20) * 8)
        with pytest.raises(GraphFileError, match=rf"{name}: not valid"):
            read_rdf(path)
