"""The language of an article, so that only English text goes through the English model.

`language_of(text)` gives an ISO 639-1 code ("en", "ru", "pt", …) or None when the text is too
short to tell. English is recognised first by its function words ("the", "of", "said", …), which
costs nothing; only a text that does not read as English is given to py3langid, whose model
ships inside the package (no download) and is loaded on first use. kg keeps a non-English
article in the graph (publisher, date, links) but extracts no attributions or entities from it
with an English pipeline; the build report lists it.
"""

from __future__ import annotations

import functools
import re
from typing import Any

__all__ = ["ENGLISH", "language_of"]

ENGLISH = "en"

# Frequent English function words that are rare as words of other Latin-script languages
# ("a", "in", "on", "as" are left out: they are Portuguese, Italian, German or French words).
_ENGLISH_WORDS = frozenset(
    """
    the of and that for it was with he she said by from his her be have are has this but
    not they which were their its who been had will would is there what when about than
    """.split()
)
_WORD = re.compile(r"[^\W\d_]+")
_SAMPLE = 5000


@functools.lru_cache(maxsize=1)
def _identifier() -> Any:
    import py3langid  # its model file ships in the wheel

    return py3langid


def language_of(text: str) -> str | None:
    """ISO 639-1 code of the language `text` is written in, or None for fewer than 5 words."""
    sample = text[:_SAMPLE]
    words = _WORD.findall(sample.casefold())[:500]
    if len(words) < 5:
        return None
    if sum(1 for w in words if w in _ENGLISH_WORDS) >= 0.12 * len(words):
        return ENGLISH
    code, _probability = _identifier().classify(sample)
    return str(code)
