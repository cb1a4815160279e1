"""kg.sparql: the lexer that finds keywords, the refusals, and parameter binding."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from kg.errors import QueryError
from kg.sparql import (
    bind_params,
    check,
    original_position,
    string_literal,
    tokens,
    where_groups,
)

SNEAKY_SERVICE = [
    # the keyword after things that look like IRIs, strings or comments but are not
    "SELECT * WHERE { ?s ?p ?o FILTER(?o < ?p) SERVICE <http://x/> { ?a ?b ?c } }",
    "SELECT * WHERE { ?s ?p ?o FILTER(?o<?p)SERVICE<http://x/>{ ?a ?b ?c } }",
    "PREFIX e: <http://e/> SELECT * WHERE { ?s e:a\\#b ?o . SERVICE <http://x/> { } }",
    "SELECT * WHERE { ?s ?p 'it''s' SERVICE <http://x/> { } }",
    'SELECT * WHERE { ?s ?p "a\\"" SERVICE <http://x/> { } }',
    'SELECT * WHERE { ?s ?p """a""\\"""" SERVICE <http://x/> { } }',
    "SELECT * WHERE { ?s ?p ?o } # comment\nSERVICE <http://x/> { }",
    "SELECT * WHERE { ?s ?p ?o . sErViCe SILENT ?o { } }",
]


@pytest.mark.parametrize("query", SNEAKY_SERVICE)
def test_service_is_found_wherever_the_engine_would_see_it(query: str) -> None:
    with pytest.raises(QueryError, match="SERVICE is not allowed"):
        check(query)


HARMLESS = [
    'SELECT ?x WHERE { ?x ?p "SERVICE <http://x/> { }" }',
    "SELECT ?x WHERE { ?x <http://e/SERVICE#from> ?o }",
    "PREFIX service: <http://e/> SELECT ?service WHERE { ?service service:from ?o }",
    "SELECT ?x WHERE { ?x ?p ?o } # SERVICE <http://x/> and FROM <http://y/>",
    "SELECT ?x WHERE { ?x ?p '''multi\nline SERVICE''' }",
    "SELECT ?x WHERE { ?x ?p \"\\u0053ERVICE\" }",
]


@pytest.mark.parametrize("query", HARMLESS)
def test_the_words_inside_strings_iris_names_and_comments_are_data(query: str) -> None:
    check(query)
    ox.Store().query(query)  # and Oxigraph agrees that they are a plain query


def test_an_escaped_keyword_is_no_keyword_for_oxigraph_either() -> None:
    query = "SELECT * WHERE { \\u0053ERVICE <http://127.0.0.1:9/> { } }"
    with pytest.raises(QueryError, match="malformed SPARQL"):
        check(query)
    with pytest.raises(SyntaxError):
        ox.Store().query(query)


def test_unterminated_strings_and_stray_characters_are_malformed() -> None:
    with pytest.raises(QueryError, match=r"line 2, column 24: unterminated string"):
        check('SELECT * WHERE {\n  ?s ?p ?o FILTER(?o = "abc\n) SERVICE <http://x/> {} }')
    with pytest.raises(QueryError, match="unknown prefix 'nope:'"):
        check("SELECT ?x WHERE { ?x nope:y ?z }")


def test_tokens() -> None:
    kinds = [(t.kind, t.text) for t in tokens('SELECT ?x { ?x ex:a "b"@en . } # c')]
    assert kinds == [
        ("word", "SELECT"), ("var", "?x"), ("punct", "{"), ("var", "?x"), ("pname", "ex:a"),
        ("string", '"b"'), ("langtag", "@en"), ("punct", "."), ("punct", "}"),
    ]


def test_where_groups_of_queries_and_subqueries() -> None:
    query = (
        "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o { SELECT ?s (EXISTS { ?s ?q ?r } AS ?e) "
        "{ ?s ?q ?r } } }"
    )
    toks = tokens(query)
    groups = where_groups(toks)
    assert [toks[a].start for a, _ in groups] == [
        query.index("WHERE {") + 6,
        query.index("{ ?s ?q ?r } }"),
    ]
    # the query runs to its end; the subquery to the "}" of the group that holds it
    assert groups[0][1] == len(toks) and groups[1][1] == len(toks) - 2


def test_bind_params_reaches_subqueries_that_use_the_parameter() -> None:
    query = (
        "SELECT ?v ?w WHERE { { SELECT ?w WHERE { BIND(CONCAT(?v, '!') AS ?w) } } "
        "{ SELECT ?u WHERE { BIND(1 AS ?u) } } }"
    )
    bound = bind_params(query, tokens(query), ["v"])
    assert bound.count('BIND(COALESCE(<urn:kg:param>("v"), "") AS ?v)') == 2
    store = ox.Store()

    def param(name: ox.Literal) -> ox.Literal:
        return ox.Literal({"v": 'x"} DROP ALL'}[name.value])

    fn = {ox.NamedNode("urn:kg:param"): param}
    rows = [(s["v"].value, s["w"].value) for s in store.query(bound, custom_functions=fn)]
    assert rows == [('x"} DROP ALL', 'x"} DROP ALL!')]


def test_example_binding_writes_an_escaped_literal() -> None:
    query = "SELECT ?v WHERE { }"
    bound = bind_params(query, tokens(query), ["v"], {"v": 'a"b\\c\nd'})
    assert [s["v"].value for s in ox.Store().query(bound)] == ['a"b\\c\nd']
    assert string_literal('"') == '"\\""'


def test_original_position_undoes_the_inserts() -> None:
    query = "SELECT ?v WHERE {\n ?x ?y }"
    inserts = [(len("SELECT ?v WHERE {"), " BIND(1 AS ?v) ")]
    # line 2, column 7 of the bound text is line 2, column 7 of the query: "}" after "?y "
    assert original_position(query, inserts, 2, 8) == "line 2, column 8"
    assert original_position(query, inserts, 1, 25) == "line 1, column 18"
