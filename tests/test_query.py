"""kg.query: named queries, output formats, parameters, safety (read-only, local), timeout."""

from __future__ import annotations

import http.server
import json
import multiprocessing
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from kg.errors import GraphFileError, QueryError
from kg.query import (
    QueryResult,
    check_query,
    format_result,
    get_named_query,
    list_named_queries,
    parse_header,
    run_query,
)
from kg.rdf import write_rdf
from kg.store import STORE_FORMAT

KGR = "https://w3id.org/kg/id/"
C, D, B, R = "outlet:charter97", "outlet:dialog-ua", "outlet:bloomberg", "outlet:reuters"
SHIN, KIM, PY = "person:jevu-shin", "person:kim-jong-un", "place:pyongyang"
A1, A2, A3, A4 = "article:a1", "article:a2", "article:a3", "article:a4"


def iri(node_id: str) -> str:
    return KGR + node_id.replace(":", "/", 1)


def query_graph() -> nx.MultiDiGraph:
    """Four outlets, four articles; dialog.ua and Bloomberg cite each other.

    Outlet chain from Charter97: C → {B, D, Shin} (a1); D → B (a1 nested, a2); D → R (a2);
    B → D (a3); R → Shin (a4).
    """
    g = nx.MultiDiGraph()
    g.add_node("organization:onn", type="organization", name="Open Nuclear Network")
    g.add_node(B, type="outlet", name="Bloomberg", kind="outlet")
    g.add_node(C, type="outlet", name="Charter97", aliases=("Charter 97",), kind="outlet")
    g.add_node(D, type="outlet", name="dialog.ua", kind="outlet")
    g.add_node(R, type="outlet", name="Reuters", kind="wire_agency")
    g.add_node(SHIN, type="person", name="Jevu Shin", affiliation="organization:onn")
    g.add_node(KIM, type="person", name="Kim Jong-un")
    g.add_node(PY, type="place", name="Pyongyang")
    articles = [
        (A1, C, "Kim goes east", "2024-09-12"),
        (A2, D, "Kim's train", "2024-09-10"),
        (A3, B, "Analysis", "2024-09-11T10:00:00+00:00"),
        (A4, R, "Undated", None),
    ]
    for aid, outlet, title, published in articles:
        attrs: dict[str, Any] = {"type": "article", "name": title, "path": f"{aid}.txt"}
        attrs.update(title=title, outlet=outlet)
        if published:
            attrs["published"] = published
        g.add_node(aid, **attrs)
        g.add_edge(aid, outlet, key="published_by", type="published_by")

    def cite(article: str, n: int, source: str, cue: str, sentence: str, **extra: Any) -> None:
        g.add_edge(
            article,
            source,
            key=f"cites:{n}",
            type="cites",
            kind=extra.pop("kind", "said"),
            confidence=0.9,
            attribution=f"{article}/attribution/{n}",
            sentence=sentence,
            sentence_start=extra.pop("start", 0),
            sentence_end=len(sentence),
            source_text=g.nodes[source]["name"],
            source_start=0,
            source_end=len(g.nodes[source]["name"]),
            cue=cue,
            cue_start=1,
            cue_end=2,
            **extra,
        )

    cite(A1, 0, D, "reported", "dialog.ua reported, citing Bloomberg.", kind="reported")
    cite(A1, 1, B, "citing", "dialog.ua reported, citing Bloomberg.", kind="citing", via=D)
    cite(
        A1,
        2,
        SHIN,
        "said",
        "Shin said it was a test.",
        start=50,
        content="it was a test",
        content_start=60,
        content_end=73,
    )
    cite(A2, 0, B, "according to", "According to Bloomberg, the train left.", kind="according_to")
    cite(A2, 1, R, "wrote", "Reuters wrote so.", kind="reported")
    cite(A3, 0, D, "reported", "dialog.ua reported it.", kind="reported")
    cite(
        A4,
        0,
        SHIN,
        "told",
        "Shin told Reuters: no.",
        content="no",
        content_start=19,
        content_end=21,
    )
    for aid, entity in [(A1, KIM), (A1, PY), (A2, KIM), (A3, PY), (A4, KIM)]:
        g.add_edge(
            aid, entity, key="mentions", type="mentions", count=1, text=g.nodes[entity]["name"]
        )
    derived = {
        (B, D): (A3,),
        (C, B): (A1,),
        (C, D): (A1,),
        (C, SHIN): (A1,),
        (D, B): (A1, A2),
        (D, R): (A2,),
        (R, SHIN): (A4,),
    }
    for (u, v), backing in sorted(derived.items()):
        g.add_edge(
            u, v, key="cites", type="cites", derived=True, articles=backing, weight=len(backing)
        )
    return g


@pytest.fixture(scope="module")
def graph_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("q") / "graph.ttl"
    write_rdf(query_graph(), path)
    return path


def named(graph_file: Path, name: str, **params: str) -> QueryResult:
    return run_query(graph_file, get_named_query(name).text, params=params)


# --- named queries --------------------------------------------------------------------------


def test_named_queries_are_listed_with_descriptions_and_params() -> None:
    queries = {q.name: q for q in list_named_queries()}
    assert sorted(queries) == [
        "citation-chain",
        "first-reported",
        "lag",
        "laundering-paths",
        "listed-outlets",
        "mentions",
        "mutual-citations",
        "outlet-sources",
        "state-media-citations",
        "top-cited",
        "who-quotes",
    ]
    assert all(q.description for q in queries.values())
    params = {name: [p.name for p in q.params] for name, q in queries.items()}
    assert params == {
        "citation-chain": ["outlet"],
        "first-reported": ["entity"],
        "lag": ["outlet"],
        "laundering-paths": ["from"],
        "listed-outlets": [],
        "mentions": ["entity"],
        "mutual-citations": [],
        "outlet-sources": ["outlet"],
        "state-media-citations": [],
        "top-cited": [],
        "who-quotes": ["person"],
    }
    assert queries["outlet-sources"].params[0].description == (
        "the outlet id or name, e.g. charter97"
    )
    for q in queries.values():
        check_query(q.text)  # every shipped query passes the safety checks


def test_parse_header() -> None:
    text = "# description: Things.\n#param: x - the x\n# param: y: the y\nSELECT * {}\n# param: z\n"
    description, params = parse_header(text)
    assert description == "Things."
    assert [(p.name, p.description) for p in params] == [("x", "the x"), ("y", "the y")]


def test_unknown_named_query() -> None:
    with pytest.raises(QueryError, match=r"no named query 'nope'; choose one of: citation-chain"):
        get_named_query("nope")


def test_run_query_takes_a_named_query_by_name(graph_file: Path) -> None:
    by_name = run_query(graph_file, " outlet-sources\n", params={"outlet": "charter97"})
    by_text = named(graph_file, "outlet-sources", outlet="charter97")
    assert by_name == by_text and by_name.rows
    with pytest.raises(QueryError, match=r"no named query 'top-cite'; choose one of"):
        run_query(graph_file, "top-cite")


def test_top_cited(graph_file: Path) -> None:
    result = named(graph_file, "top-cited")
    assert result.variables == ("source", "name", "articles", "attributions")
    assert result.rows == (
        (iri(B), "Bloomberg", "2", "2"),
        (iri(D), "dialog.ua", "2", "2"),
        (iri(SHIN), "Jevu Shin", "2", "2"),
        (iri(R), "Reuters", "1", "1"),
    )


def test_outlet_sources_by_name_alias_or_id(graph_file: Path) -> None:
    expected = (
        (iri(B), "Bloomberg", "1", "1"),
        (iri(D), "dialog.ua", "1", "1"),
        (iri(SHIN), "Jevu Shin", "1", "1"),
    )
    for outlet in ("Charter97", "charter 97", "charter97", "outlet:charter97"):
        assert named(graph_file, "outlet-sources", outlet=outlet).rows == expected, outlet
    assert named(graph_file, "outlet-sources", outlet="charter").rows == ()


def test_citation_chain(graph_file: Path) -> None:
    result = named(graph_file, "citation-chain", outlet="charter97")
    assert result.variables == (
        "hop",
        "citer",
        "citerName",
        "cited",
        "citedName",
        "article",
        "headline",
    )
    rows = [(hop, citer, cited, article) for hop, citer, _, cited, _, article, _ in result.rows]
    assert rows == [
        ("1", iri(C), iri(B), iri(A1)),
        ("1", iri(C), iri(D), iri(A1)),
        ("1", iri(C), iri(SHIN), iri(A1)),
        ("2", iri(B), iri(D), iri(A3)),
        ("2", iri(D), iri(B), iri(A1)),
        ("2", iri(D), iri(B), iri(A2)),
        ("2", iri(D), iri(R), iri(A2)),
        ("3", iri(R), iri(SHIN), iri(A4)),
    ]
    assert result.rows[-1][2] == "Reuters" and result.rows[-1][6] == "Undated"
    # starting further down the chain
    hops = {(r[0], r[1], r[3]) for r in named(graph_file, "citation-chain", outlet="Reuters").rows}
    assert hops == {("1", iri(R), iri(SHIN))}


def test_mutual_citations(graph_file: Path) -> None:
    result = named(graph_file, "mutual-citations")
    assert result.variables == ("outletA", "nameA", "outletB", "nameB", "aCitesB", "bCitesA")
    assert result.rows == ((iri(B), "Bloomberg", iri(D), "dialog.ua", "1", "2"),)


def test_mentions_is_case_insensitive(graph_file: Path) -> None:
    result = named(graph_file, "mentions", entity="KIM")
    assert result.variables == (
        "thing",
        "name",
        "article",
        "headline",
        "published",
        "publisherName",
    )
    assert result.rows == (
        (iri(KIM), "Kim Jong-un", iri(A4), "Undated", None, "Reuters"),
        (iri(KIM), "Kim Jong-un", iri(A2), "Kim's train", "2024-09-10", "dialog.ua"),
        (iri(KIM), "Kim Jong-un", iri(A1), "Kim goes east", "2024-09-12", "Charter97"),
    )
    assert [r[2] for r in named(graph_file, "mentions", entity="place:pyongyang").rows] == [
        iri(A3),
        iri(A1),
    ]


def test_first_reported(graph_file: Path) -> None:
    rows = named(graph_file, "first-reported", entity="pyongyang").rows
    # Oxigraph keeps typed literals by value: "…+00:00" comes back in its canonical form "…Z".
    # per publishing outlet, its first article on the thing, in date order
    assert [(r[0], r[1], r[2], r[3], r[5]) for r in rows] == [
        ("Pyongyang", "2024-09-11T10:00:00Z", "Bloomberg", "mentions it", iri(A3)),
        ("Pyongyang", "2024-09-12", "Charter97", "mentions it", iri(A1)),
    ]
    # an outlet: who cited it first, its own first article, who relayed it after
    rows = named(graph_file, "first-reported", entity="bloomberg").rows
    assert [(r[1], r[2], r[3], r[5], r[6]) for r in rows] == [
        ("2024-09-10", "dialog.ua", "cites it", iri(A2), "Bloomberg, Reuters"),
        ("2024-09-11T10:00:00Z", "Bloomberg", "its own article", iri(A3), "dialog.ua"),
        ("2024-09-12", "Charter97", "cites it", iri(A1), "Bloomberg, dialog.ua"),
    ]


def test_optional_parameter_may_be_left_out(graph_file: Path) -> None:
    query = get_named_query("laundering-paths")
    assert [(p.name, p.optional) for p in query.params] == [("from", True)]
    # no outlet of this graph carries a state-control label: no path, and no error
    assert named(graph_file, "laundering-paths").rows == ()
    assert [(p.name, p.optional) for p in get_named_query("first-reported").params] == [
        ("entity", False)
    ]


def test_seed_chain_first_reported_lag_and_laundering_paths(sample_out: Path) -> None:
    """Acceptance: on `kg build data/`, who reported first and who relayed it, the lag of the
    cited article, and the paths from NK News and Bloomberg through dialog.ua to Charter97."""
    ttl = sample_out / "graph.ttl"
    rows = run_query(ttl, "first-reported", params={"entity": "NK News"}).rows
    assert [(r[2], r[3], r[1][:10]) for r in rows] == [
        ("NK News", "its own article", "2024-05-25"),
        ("dialog.ua", "cites it", "2024-05-26"),
        ("Charter97", "cites it", "2024-05-26"),
    ]
    assert all(r[5].startswith("https://w3id.org/kg/id/article/") for r in rows)
    lag = run_query(ttl, "lag", params={"outlet": "dialog.ua"})
    assert [(r[0], r[1], r[2], r[3], r[4]) for r in lag.rows] == [
        ("dialog.ua", "NK News", "1", "2024-05-25", "2024-05-26")
    ]
    paths = run_query(ttl, "laundering-paths", params={"from": "NK News, Bloomberg"})
    chains = [(r[0], r[1], r[2], r[3], r[4]) for r in paths.rows]
    assert chains == [
        ("Bloomberg", "dialog.ua", None, "Charter97", "2"),
        ("NK News", "dialog.ua", None, "Charter97", "2"),
    ]
    for row in paths.rows:
        record = dict(zip(paths.variables, row, strict=True))
        assert record["hop1Date"] == "2024-05-26"  # dialog.ua's article relays the source
        assert str(record["hop2Date"]).startswith("2024-05-26T23:37")  # Charter97's
        assert record["hop1Article"] != record["hop2Article"]
        assert record["hop1Backing"] == record["hop2Backing"] == "1"


def test_who_quotes(graph_file: Path) -> None:
    result = named(graph_file, "who-quotes", person="shin")
    assert result.variables == (
        "thing",
        "name",
        "article",
        "publisherName",
        "kind",
        "cue",
        "content",
        "sentence",
    )
    assert result.rows == (
        (
            iri(SHIN),
            "Jevu Shin",
            iri(A4),
            "Reuters",
            "said",
            "told",
            "no",
            "Shin told Reuters: no.",
        ),
        (
            iri(SHIN),
            "Jevu Shin",
            iri(A1),
            "Charter97",
            "said",
            "said",
            "it was a test",
            "Shin said it was a test.",
        ),
    )
    assert named(graph_file, "who-quotes", person="Bloomberg").rows == ()  # not a person


# --- parameters -----------------------------------------------------------------------------


INJECTION = "} ; DROP ALL #"


def test_param_values_are_literals_never_query_text(graph_file: Path) -> None:
    before = graph_file.read_bytes()
    for value in (INJECTION, '") } } ; DROP ALL ; SELECT * { ?s ?p ?o #', "?s", "\\", "\n"):
        assert named(graph_file, "mentions", entity=value).rows == ()
        result = run_query(graph_file, "SELECT ?v WHERE {}", params={"v": value})
        assert result.rows == ((value,),)
    assert graph_file.read_bytes() == before


def test_param_errors(graph_file: Path) -> None:
    text = get_named_query("mentions").text
    with pytest.raises(QueryError, match=r"missing parameter 'entity' \(part of .*--param entity="):
        run_query(graph_file, text)
    with pytest.raises(QueryError, match=r"unknown parameter 'outlet'; this query takes: entity"):
        run_query(graph_file, text, params={"entity": "x", "outlet": "y"})
    with pytest.raises(QueryError, match=r"parameter name 'a b' is not a SPARQL variable name"):
        run_query(graph_file, "SELECT ?v WHERE {}", params={"a b": "x"})
    with pytest.raises(QueryError, match=r"parameter 'w' does not appear in the query as \?w"):
        run_query(graph_file, "SELECT ?v WHERE {}", params={"w": "x"})


# --- results and formats --------------------------------------------------------------------


def test_ask_construct_and_prefixes(graph_file: Path) -> None:
    # kg's prefixes are predeclared
    assert run_query(graph_file, "ASK { ?a a schema:NewsArticle }").rows == ((True,),)
    assert run_query(graph_file, "ASK { ?a a kg:Nothing }").rows == ((False,),)
    result = run_query(
        graph_file,
        "CONSTRUCT { ?o schema:name ?n } WHERE { ?o schema:name ?n . "
        f"FILTER (?o = <{iri(R)}>) }}",
    )
    assert result == QueryResult(
        ("subject", "predicate", "object"), ((iri(R), "https://schema.org/name", "Reuters"),)
    )


TINY = QueryResult(
    ("source", "name", "n"),
    (
        ("https://w3id.org/kg/id/outlet/bbc", 'BBC, "World"', "12"),
        ("https://w3id.org/kg/id/person/x", None, "3"),
        ("https://w3id.org/kg/id/person/y", "tab\there\nnewline", "1"),
    ),
)


def test_format_table() -> None:
    assert format_result(TINY, "table") == (
        "source                             name                n\n"
        "---------------------------------  ------------------  --\n"
        'https://w3id.org/kg/id/outlet/bbc  BBC, "World"        12\n'
        "https://w3id.org/kg/id/person/x" + " " * 24 + "3\n"
        "https://w3id.org/kg/id/person/y    tab\\there\\nnewline  1\n"
    )
    assert format_result(QueryResult(("ask",), ((True,),)), "table") == "ask\n----\ntrue\n"
    assert format_result(QueryResult(("a", "bb"), ()), "table") == "a  bb\n-  --\n"


def test_format_csv() -> None:
    assert format_result(TINY, "csv") == (
        "source,name,n\n"
        'https://w3id.org/kg/id/outlet/bbc,"BBC, ""World""",12\n'
        "https://w3id.org/kg/id/person/x,,3\n"
        'https://w3id.org/kg/id/person/y,"tab\there\nnewline",1\n'
    )


def test_format_tsv() -> None:
    assert format_result(TINY, "tsv") == (
        "source\tname\tn\n"
        'https://w3id.org/kg/id/outlet/bbc\tBBC, "World"\t12\n'
        "https://w3id.org/kg/id/person/x\t\t3\n"
        "https://w3id.org/kg/id/person/y\ttab\\there\\nnewline\t1\n"
    )


def test_format_json() -> None:
    assert format_result(TINY, "json") == (
        "[\n"
        "  {\n"
        '    "source": "https://w3id.org/kg/id/outlet/bbc",\n'
        '    "name": "BBC, \\"World\\"",\n'
        '    "n": "12"\n'
        "  },\n"
        "  {\n"
        '    "source": "https://w3id.org/kg/id/person/x",\n'
        '    "name": null,\n'
        '    "n": "3"\n'
        "  },\n"
        "  {\n"
        '    "source": "https://w3id.org/kg/id/person/y",\n'
        '    "name": "tab\\there\\nnewline",\n'
        '    "n": "1"\n'
        "  }\n"
        "]\n"
    )
    assert format_result(QueryResult(("ask",), ((False,),)), "json") == (
        '[\n  {\n    "ask": false\n  }\n]\n'
    )


def test_unknown_format() -> None:
    with pytest.raises(QueryError, match="unknown output format 'xml'; use one of table, csv"):
        format_result(TINY, "xml")


# --- errors ---------------------------------------------------------------------------------


def test_malformed_sparql_names_the_position(graph_file: Path) -> None:
    with pytest.raises(QueryError) as info:
        run_query(graph_file, "SELECT ?x WHERE {\n  ?x ?y \n}")
    message = str(info.value)
    assert message.startswith("malformed SPARQL at line ")
    assert "column" in message and "kg query --list" in message and "\n" not in message
    with pytest.raises(QueryError, match=r"malformed SPARQL at .*nope.*kg query --list"):
        run_query(graph_file, "SELECT ?x WHERE { ?x nope:y ?z }")


def test_missing_graph_file(tmp_path: Path) -> None:
    with pytest.raises(GraphFileError, match="no such graph file"):
        run_query(tmp_path / "graph.ttl", "ASK {}")


def test_other_graph_formats(tmp_path: Path) -> None:
    for fmt, suffix in (("nt", "nt"), ("jsonld", "jsonld")):
        path = tmp_path / f"graph.{suffix}"
        write_rdf(query_graph(), path, fmt)
        assert named(path, "mutual-citations").rows == (
            (iri(B), "Bloomberg", iri(D), "dialog.ua", "1", "2"),
        )


# --- safety: read-only and local ------------------------------------------------------------


class _Recorder(http.server.BaseHTTPRequestHandler):
    requests: list[str] = []

    def _answer(self) -> None:
        type(self).requests.append(f"{self.command} {self.path}")
        body = b'{"head": {"vars": []}, "results": {"bindings": []}}'
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _answer

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


@pytest.fixture
def endpoint() -> Iterator[tuple[str, list[str]]]:
    """A local HTTP server on an ephemeral port that records every request it gets."""
    requests: list[str] = []
    handler = type("Handler", (_Recorder,), {"requests": requests})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", requests
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_the_endpoint_records_requests(endpoint: tuple[str, list[str]]) -> None:
    url, requests = endpoint
    with urllib.request.urlopen(f"{url}/probe") as response:
        assert response.status == 200
    assert requests == ["GET /probe"]


REFUSED = [
    ("SELECT * FROM <{url}/x> WHERE {{ ?s ?p ?o }}", "FROM / FROM NAMED"),
    ("SELECT * FROM NAMED <{url}/x> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}", "FROM / FROM NAMED"),
    ("ASK FROM <{url}/x> {{ }}", "FROM / FROM NAMED"),
    ("SELECT * WHERE {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }}", "SERVICE"),
    ("select * where {{ service silent <{url}/sparql> {{ ?s ?p ?o }} }}", "SERVICE"),
    ("SELECT * WHERE {{ ?s ?p ?o OPTIONAL {{ SERVICE <{url}/s> {{ ?s ?q ?r }} }} }}", "SERVICE"),
    (
        "SELECT * WHERE {{ {{ SELECT ?s WHERE {{ SERVICE <{url}/s> {{ ?s ?p ?o }} }} }} }}",
        "SERVICE",
    ),
    (
        "SELECT * WHERE {{ ?s ?p ?o FILTER EXISTS {{ SERVICE <{url}/s> {{ ?s ?p ?o }} }} }}",
        "SERVICE",
    ),
    ("SELECT * WHERE {{ BIND(<{url}/s> AS ?e) SERVICE ?e {{ ?s ?p ?o }} }}", "SERVICE"),
    ("LOAD <{url}/x>", "LOAD"),
    ("LOAD SILENT <{url}/x> INTO GRAPH <{url}/g>", "LOAD"),
    ("INSERT DATA {{ <{url}/a> <{url}/b> <{url}/c> }}", "INSERT DATA"),
    ("DELETE DATA {{ <{url}/a> <{url}/b> <{url}/c> }}", "DELETE DATA"),
    ("DELETE WHERE {{ ?s ?p ?o }}", "DELETE WHERE"),
    ("INSERT {{ ?s a <{url}/T> }} WHERE {{ SERVICE <{url}/s> {{ ?s ?p ?o }} }}", "INSERT/DELETE"),
    ("CLEAR ALL", "CLEAR"),
    ("DROP ALL", "DROP"),
    ("CREATE GRAPH <{url}/g>", "CREATE"),
    ("ADD DEFAULT TO <{url}/g>", "ADD"),
    ("MOVE DEFAULT TO <{url}/g>", "MOVE"),
    ("COPY DEFAULT TO <{url}/g>", "COPY"),
    ("PREFIX ex: <{url}/> LOAD <{url}/x> ; DROP ALL", "LOAD, DROP"),
]


@pytest.mark.parametrize("template,what", REFUSED)
def test_refused_without_touching_the_network(
    graph_file: Path, endpoint: tuple[str, list[str]], template: str, what: str
) -> None:
    url, requests = endpoint
    before = graph_file.read_bytes()
    with pytest.raises(QueryError) as info:
        run_query(graph_file, template.format(url=url))
    message = str(info.value)
    assert message.startswith(f"kg query is read-only and local: {what} is not allowed (")
    assert "\n" not in message
    assert requests == []
    assert graph_file.read_bytes() == before


def test_refusal_comes_before_reading_the_graph(tmp_path: Path) -> None:
    with pytest.raises(QueryError, match="SERVICE is not allowed"):
        run_query(tmp_path / "missing.ttl", "SELECT * { SERVICE <http://127.0.0.1:9/> {} }")


# --- timeout --------------------------------------------------------------------------------

EXPLOSIVE = (
    "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"
)


def test_timeout_stops_the_query(graph_file: Path) -> None:
    started = time.monotonic()
    with pytest.raises(QueryError) as info:
        run_query(graph_file, EXPLOSIVE, timeout=1)
    elapsed = time.monotonic() - started
    assert str(info.value) == (
        "query timed out after 1 s; narrow it (LIMIT, more specific patterns) or raise --timeout"
    )
    assert elapsed < 15
    assert multiprocessing.active_children() == []  # the evaluating child was killed


def test_timeout_must_be_positive(graph_file: Path) -> None:
    with pytest.raises(QueryError, match="--timeout must be a positive number"):
        run_query(graph_file, "ASK {}", timeout=0)


def test_named_graphs_are_empty(graph_file: Path) -> None:
    # kg's triples are in the default graph; GRAPH finds nothing and fails nothing
    assert run_query(graph_file, "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }").rows == ()


def test_errors_in_the_child_become_one_line_errors(tmp_path: Path) -> None:
    broken = tmp_path / "graph.oxigraph"
    broken.mkdir()
    # A store of this kg's format whose database is damaged.
    (broken / "kg-store.json").write_text(json.dumps({"format": STORE_FORMAT}))
    (broken / "CURRENT").write_text("garbage\n")
    with pytest.raises(GraphFileError, match=r"graph.oxigraph: cannot open the store \(.*kg build"):
        run_query(tmp_path, "ASK {}")


# --- hostile queries and outputs (issue 14) --------------------------------------------------


def test_citation_chain_of_an_unknown_outlet_is_empty(graph_file: Path) -> None:
    assert named(graph_file, "citation-chain", outlet="no-such-outlet").rows == ()


def test_select_star_columns_are_the_same_in_every_run(graph_file: Path) -> None:
    import subprocess
    import sys

    from tests.conftest import ROOT

    script = ("import sys; from pathlib import Path; from kg.query import run_query; "
              "r = run_query(Path(sys.argv[1]), 'SELECT * WHERE { ?zeta ?p ?alpha "
              "OPTIONAL { ?alpha ?q ?mid } } LIMIT 1'); print(','.join(r.variables))")
    runs = {
        subprocess.run([sys.executable, "-c", script, str(graph_file)], capture_output=True,
                       text=True, check=True, cwd=ROOT,
                       env={"PYTHONHASHSEED": str(seed), "PATH": "/usr/bin:/bin"}).stdout
        for seed in (1, 2, 3)
    }
    assert len(runs) == 1
    assert sorted(runs.pop().strip().split(",")) == ["alpha", "mid", "p", "q", "zeta"]


def test_deeply_nested_groups_are_answered(graph_file: Path) -> None:
    depth = 30
    query = ("SELECT ?h WHERE " + "{ " * depth + "?a schema:headline ?h FILTER ("
             + "(" * depth + "STRLEN(?h) > 0" + ")" * depth + ") " + "} " * depth)
    assert len(run_query(graph_file, query).rows) > 0


def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised() -> None:
    result = QueryResult(("name", "n"), (("=HYPERLINK(\"http://x.example\")", "-3"),
                                         ("@SUM(A1)", "+1"), ("plain", None)))
    assert format_result(result, "csv").splitlines() == [
        "name,n", "\"'=HYPERLINK(\"\"http://x.example\"\")\",'-3", "'@SUM(A1),'+1", "plain,"]
    # the table shows control characters escaped, never raw to the terminal
    table = format_result(QueryResult(("x",), (("\x1b[2Jgone\u202e",),)), "table")
    assert "\x1b" not in table and "\\u001b[2Jgone\\u202e" in table


def test_a_result_over_max_rows_is_an_error_not_a_pile(graph_file: Path) -> None:
    cross = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }"
    with pytest.raises(QueryError, match=r"the result has more than 50 rows; add LIMIT or raise "
                       "--max-rows"):
        run_query(graph_file, cross, max_rows=50)
    assert len(run_query(graph_file, cross + " LIMIT 50", max_rows=50).rows) == 50


def test_a_graph_file_too_big_to_load_is_refused_before_loading(
    graph_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import kg.query

    monkeypatch.setattr(kg.query, "FILE_MAX_TRIPLES", 10)  # the evaluator is forked: it sees it
    with pytest.raises(GraphFileError, match=r"graph.ttl: more than 10 triples, more than kg "
                       r"reads into memory; use the pages and the store"):
        run_query(graph_file, "top-cited")
