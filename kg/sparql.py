"""SPARQL text, checked and parameterised before any engine sees it.

kg runs queries on Oxigraph (`kg.store`), which would send a `SERVICE` clause to another
server. So every query goes through `check` first: a lexer that follows the SPARQL 1.1
grammar's terminals (IRIs, strings, prefixed names with their escapes, variables, comments)
finds the keywords outside strings, IRIs and comments, and refuses

  * updates (INSERT, DELETE, LOAD, CLEAR, DROP, CREATE, ADD, MOVE, COPY, WITH, USING),
  * SERVICE anywhere (it would send the query to another server),
  * FROM / FROM NAMED (kg reads only its own graph).

The keywords are bare words, and SPARQL has no other bare words (names are IRIs, prefixed
names or variables), so a keyword can hide from this scan only inside a string, an IRI or a
comment, which are matched exactly as the grammar defines them; anything that does not lex
is refused as malformed. Oxigraph decodes `\\u` escapes only inside strings and IRIs, as the
lexer does, so `\\u0053ERVICE` is no keyword for either.

Parameters are bound as RDF terms, never pasted into the text: `bind_params` inserts
`BIND(COALESCE(<urn:kg:param>("name"), "") AS ?name)` at the start of the WHERE group of the
query and of every subquery that uses `?name`; the function `<urn:kg:param>` hands back the
value, as a term held by the library (`param_function`). Only the parameter's *name*, checked
to be a variable name, enters the query text. (The function always answers for a bound
parameter; COALESCE tells Oxigraph's planner so: it then starts from the parameter and joins
on what it finds, instead of treating the variable as possibly unbound.)
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from kg.errors import QueryError

PARAM_FUNCTION = "urn:kg:param"
READ_ONLY = "kg query is read-only and local"
LIST_HINT = "run `kg query --list` for ready-made queries"

_VARNAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_PLX = r"(?:%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%])"
_PN_CHARS = r"[\w\-\u00B7\u0300-\u036F\u203F\u2040]"
# Token patterns, tried in this order at each position (the grammar's terminals).
_TOKENS: list[tuple[str, str]] = [
    ("ws", r"\s+"),
    ("comment", r"#[^\n\r]*"),
    ("iri", r"<[^<>\"{}|^`\\\x00-\x20]*>"),
    ("string", r'"""(?:[^"\\]|\\.|"(?!""))*"""'),
    ("string", r"'''(?:[^'\\]|\\.|'(?!''))*'''"),
    ("string", r'"(?:[^"\\\n\r]|\\.)*"'),
    ("string", r"'(?:[^'\\\n\r]|\\.)*'"),
    ("var", r"[?$][\w\u00B7\u0300-\u036F\u203F\u2040]+"),
    # prefixed names and blank node labels (PN_PREFIX? ':' PN_LOCAL?)
    (
        "pname",
        rf"(?:[^\W\d_](?:{_PN_CHARS}|\.(?={_PN_CHARS}))*|_)?:"
        rf"(?:(?:[\w:]|{_PLX})(?:{_PN_CHARS}|[:]|{_PLX}|\.(?=(?:{_PN_CHARS}|[:]|{_PLX})))*)?",
    ),
    ("langtag", r"@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*"),
    ("number", r"[+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)"),
    ("word", r"[A-Za-z_][A-Za-z0-9_]*"),
    ("punct", r"\^\^|&&|\|\||<=|>=|!=|<<|>>|[{}()\[\];,.*=<>!+\-/|^?@~]"),
]
_LEXER = re.compile("|".join(f"(?P<{kind}{i}>{pattern})" for i, (kind, pattern) in
                             enumerate(_TOKENS)), re.DOTALL)

_UPDATE_WORDS = {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY",
                 "WITH", "USING"}


@dataclass(frozen=True)
class Token:
    kind: str  # iri, string, var, pname, langtag, number, word, punct
    text: str
    start: int
    end: int

    @property
    def word(self) -> str:
        """The upper-cased bare word ('' for any other token)."""
        return self.text.upper() if self.kind == "word" else ""


def _line_col(text: str, pos: int) -> tuple[int, int]:
    line = text.count("\n", 0, pos) + 1
    return line, pos - (text.rfind("\n", 0, pos) + 1) + 1


def malformed(detail: str) -> QueryError:
    return QueryError(f"malformed SPARQL at {detail}; fix the query, or {LIST_HINT}")


def tokens(query: str) -> list[Token]:
    """The tokens of `query`, without spaces and comments; QueryError where it does not lex."""
    out: list[Token] = []
    pos = 0
    while pos < len(query):
        m = _LEXER.match(query, pos)
        if m is None or m.end() == pos:
            line, col = _line_col(query, pos)
            what = query[pos]
            hint = "unterminated string or IRI" if what in "\"'<" else f"unexpected {what!r}"
            raise malformed(f"line {line}, column {col}: {hint}")
        kind = (m.lastgroup or "").rstrip("0123456789")
        if kind not in ("ws", "comment"):
            out.append(Token(kind, m.group(), pos, m.end()))
        pos = m.end()
    return out


def _refuse(what: str, why: str) -> QueryError:
    return QueryError(f"{READ_ONLY}: {what} is not allowed ({why})")


def _update_name(toks: list[Token], i: int) -> str:
    word = toks[i].word
    following = toks[i + 1].word if i + 1 < len(toks) else ""
    if word in ("INSERT", "DELETE") and following == "DATA":
        return f"{word} DATA"
    if word == "DELETE" and following == "WHERE":
        return "DELETE WHERE"
    if word in ("INSERT", "DELETE", "WITH", "USING"):
        return "INSERT/DELETE"
    return word


def check(query: str) -> list[Token]:
    """Refuse updates, SERVICE and FROM (see the module docstring); the tokens if none."""
    toks = tokens(query)
    updates: list[str] = []
    for i, tok in enumerate(toks):
        if tok.word in _UPDATE_WORDS:
            updates.append(_update_name(toks, i))
    if updates:
        raise _refuse(", ".join(dict.fromkeys(updates)), "updates would change the graph")
    if any(t.word == "SERVICE" for t in toks):
        raise _refuse("SERVICE", "it would send the query to another server")
    if any(t.word == "FROM" for t in toks):
        raise _refuse("FROM / FROM NAMED", "kg reads only its own graph, never another")
    if not any(t.word in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE") for t in toks):
        raise malformed("line 1, column 1: no SELECT, ASK, CONSTRUCT or DESCRIBE")
    _check_prefixes(query, toks)
    return toks


def _check_prefixes(query: str, toks: list[Token]) -> None:
    """An undeclared prefix, named (Oxigraph's message for it lists every character it
    would have taken instead)."""
    from kg.namespaces import PREFIXES

    declared = {p for p, _ in PREFIXES} | {"_"}
    for i, tok in enumerate(toks):
        if tok.word == "PREFIX" and i + 1 < len(toks) and toks[i + 1].kind == "pname":
            declared.add(toks[i + 1].text.split(":", 1)[0])
        elif tok.kind == "pname":
            prefix = tok.text.split(":", 1)[0]
            if prefix not in declared:
                line, col = _line_col(query, tok.start)
                raise malformed(
                    f"line {line}, column {col}: unknown prefix {prefix + ':'!r} "
                    f"(declare it: PREFIX {prefix}: <…>)"
                )


# --- parameters -----------------------------------------------------------------------------


def where_groups(toks: list[Token]) -> list[tuple[int, int]]:
    """(index of the WHERE group's "{", index of the token that ends the query or subquery)
    for the query and each subquery, outermost first."""
    groups: list[tuple[int, int]] = []
    pending: list[tuple[str, int, int]] = []  # (form, brace depth, paren depth)
    open_forms: list[tuple[int, int]] = []  # (index into groups, brace depth of the form)
    braces = parens = 0
    for i, tok in enumerate(toks):
        word = tok.word
        if word in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"):
            pending.append((word, braces, parens))
        elif tok.text == "(":
            parens += 1
        elif tok.text == ")":
            parens -= 1
        elif tok.text == "{":
            if pending and pending[-1][1] == braces and pending[-1][2] == parens:
                form = pending[-1][0]
                after_where = i > 0 and toks[i - 1].word == "WHERE"
                if form != "CONSTRUCT" or after_where:
                    pending.pop()
                    open_forms.append((len(groups), braces))
                    groups.append((i, len(toks)))
            braces += 1
        elif tok.text == "}":
            braces -= 1
            # A subquery ends with the "}" that closes the group holding its SELECT.
            while open_forms and open_forms[-1][1] > braces:
                index, _ = open_forms.pop()
                groups[index] = (groups[index][0], i)
    return groups


def _start_of_form(toks: list[Token], brace: int) -> int:
    """Index of the SELECT/ASK/CONSTRUCT/DESCRIBE keyword that owns the group at `brace`."""
    depth = 0
    for i in range(brace - 1, -1, -1):
        text = toks[i].text
        if text in ")}":
            depth += 1
        elif text in "({":
            if depth == 0:
                return i + 1
            depth -= 1
        elif depth == 0 and toks[i].word in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"):
            return i
    return 0


def is_variable_name(name: str) -> bool:
    return bool(_VARNAME.fullmatch(name))


def uses_variable(toks: Iterable[Token], name: str) -> bool:
    return any(t.kind == "var" and t.text[1:] == name for t in toks)


def bind_params(query: str, toks: list[Token], names: Iterable[str],
                value_of: Mapping[str, str] | None = None) -> str:
    """See `binding_inserts`: the text with them applied."""
    for pos, text in sorted(binding_inserts(toks, names, value_of), reverse=True):
        query = query[:pos] + text + query[pos:]
    return query


def original_position(query: str, inserts: list[tuple[int, str]], line: int, col: int) -> str:
    """'line L, column C' in `query` of a position given in the text with `inserts` applied."""
    bound = query
    for pos, text in sorted(inserts, reverse=True):
        bound = bound[:pos] + text + bound[pos:]
    lines = bound.split("\n")
    offset = sum(len(x) + 1 for x in lines[: line - 1]) + col - 1
    for pos, text in sorted(inserts):
        if offset >= pos + len(text):
            offset -= len(text)
        elif offset >= pos:
            offset = pos
    line, col = _line_col(query, min(offset, len(query)))
    return f"line {line}, column {col}"


def binding_inserts(toks: list[Token], names: Iterable[str],
                    value_of: Mapping[str, str] | None = None) -> list[tuple[int, str]]:
    """`query` with each parameter bound at the start of the WHERE group of the query and of
    every subquery that uses it.

    Without `value_of` the binding calls `<urn:kg:param>("name")` (the value stays a term in
    the library); with it, the value is written as a string literal, escaped here: only for
    queries kg shows as examples, never for values a user passes.
    """
    names = [n for n in names]
    for name in names:
        if not _VARNAME.fullmatch(name):
            raise QueryError(
                f"parameter name {name!r} is not a SPARQL variable name; "
                "use letters, digits and _ (e.g. outlet=charter97)"
            )
    groups = where_groups(toks)
    inserts: list[tuple[int, str]] = []
    for n, (brace, end) in enumerate(groups):
        span = toks[_start_of_form(toks, brace) : end + 1]
        wanted = [name for name in names if n == 0 or uses_variable(span, name)]
        if wanted:
            binds = " ".join(_bind(name, value_of) for name in wanted)
            inserts.append((toks[brace].end, f" {binds} "))
    return inserts


def _bind(name: str, value_of: Mapping[str, str] | None) -> str:
    if value_of is None:
        return f'BIND(COALESCE(<{PARAM_FUNCTION}>("{name}"), "") AS ?{name})'
    return f"BIND({string_literal(value_of.get(name, ''))} AS ?{name})"


_STRING_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def string_literal(value: str) -> str:
    """A SPARQL string literal holding `value` (for example queries kg writes itself)."""
    return '"' + "".join(_STRING_ESCAPES.get(ch, ch) for ch in value) + '"'
