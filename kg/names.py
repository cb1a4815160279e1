"""Cleaning a name as the text writes it: the one place that does it.

The extract stage hands over source and mention spans as they stand in the text ("the
Kremlin's.", "Reuters'", " NK  News,"); resolve and the registry look them up and make ids from
them. Both clean them here:

- `clean_name`: the name itself ("the Kremlin's." → "Kremlin"): whitespace collapsed, surrounding
  punctuation and quotes, a trailing possessive and a leading article removed, repeated until
  nothing changes, so that cleaning twice is cleaning once. The spelling is kept (curly
  apostrophes stay curly, "U.S." keeps its final dot).
- `normalize` and `trim`: the registry's look-up form, which keeps a leading "The" ("The
  Times" is a name) and unifies quote marks and dashes before it compares.

Pure string functions, no spaCy.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["clean_name", "normalize", "strip_article", "strip_possessive", "trim"]

# Quote marks and dashes that stand for the straight ones in a look-up.
_UNIFY = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "´": "'", "“": '"', "”": '"',
                        "„": '"', "«": '"', "»": '"', "‐": "-", "‑": "-", "‒": "-", "–": "-",
                        "—": "-", "\u00a0": " "})  # fmt: skip
# What may surround a name in running text and is no part of it.
EDGE_CHARS = frozenset(" \t\r\n\"'“”‘’«»„()[]{}<>,;:!?*-_/|.…")
# A final dot that ends an abbreviation ("U.S.", "F.A.Z.", "John Roe Jr."): a letter alone
# before it, after the start, a dot or a space.
_ABBREVIATION = re.compile(r"(?:^|[.\s])[^\W\d_]\.$")
# "'s" or "’s", or an apostrophe after an s ("Reuters'").
_POSSESSIVE = re.compile(r"(?:['’]s|(?<=s)['’])$", re.IGNORECASE)
_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)
_THE = re.compile(r"^the\s+", re.IGNORECASE)


def normalize(text: str) -> str:
    """NFKC, straight quotes and hyphens for their curly and long forms, whitespace collapsed."""
    return " ".join(unicodedata.normalize("NFKC", text).translate(_UNIFY).split())


def trim(text: str) -> str:
    """Surrounding punctuation, quotes and spaces removed; an abbreviation keeps its final dot."""
    start = 0
    while start < len(text) and text[start] in EDGE_CHARS:
        start += 1
    text = text[start:]
    while text and text[-1] in EDGE_CHARS:
        if text[-1] == "." and _ABBREVIATION.search(text):
            break
        text = text[:-1]
    return text


def strip_possessive(text: str) -> str:
    """"Kremlin's" → "Kremlin", "Reuters'" → "Reuters"; anything else unchanged."""
    return _POSSESSIVE.sub("", text)


def strip_article(text: str, *, the_only: bool = False) -> str:
    """A leading "the", "a" or "an" (only "the" with `the_only`) removed."""
    return (_THE if the_only else _ARTICLE).sub("", text)


def clean_name(text: str) -> str:
    """The name a span of text stands for: "the Kremlin's." → "Kremlin", " NK  News," → "NK News".

    Idempotent: the steps are repeated until none changes anything, so
    `clean_name(clean_name(x)) == clean_name(x)` for every string.
    """
    name = " ".join(text.split())
    while True:
        cleaned = strip_article(trim(strip_possessive(trim(name))))
        if cleaned == name:
            return name
        name = cleaned
