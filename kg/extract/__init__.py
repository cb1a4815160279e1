"""Extract stage: `Article` → `Extraction` (attributions, entity mentions).

Importing this package does not load spaCy: the word lists (`kg.extract.lexicon`) are read by
other stages (resolve) that must stay light. The names below that need spaCy (`Extractor`,
`find_attributions`, …) are loaded on first use.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kg.extract.extractor import Extractor
    from kg.extract.model import SEGMENT_CHARS, default_model_name, load_nlp, split_segments
    from kg.extract.nesting import outermost
    from kg.extract.quotes import quote_spans
    from kg.extract.rules import find_attributions

# Public name → the module that defines it (imported when the name is first asked for).
_LAZY = {
    "SEGMENT_CHARS": "kg.extract.model",
    "Extractor": "kg.extract.extractor",
    "default_model_name": "kg.extract.model",
    "find_attributions": "kg.extract.rules",
    "load_nlp": "kg.extract.model",
    "outermost": "kg.extract.nesting",
    "quote_spans": "kg.extract.quotes",
    "split_segments": "kg.extract.model",
}

__all__ = [
    "SEGMENT_CHARS",
    "Extractor",
    "default_model_name",
    "find_attributions",
    "load_nlp",
    "outermost",
    "quote_spans",
    "split_segments",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'kg.extract' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
