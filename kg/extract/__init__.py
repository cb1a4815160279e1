"""Extract stage: `Article` → `Extraction` (attributions, entity mentions).

Importing this package does not load spaCy: the word lists (`kg.extract.lexicon`) are read by
other stages (resolve) that must stay light. The names below that need spaCy (`Extractor`,
`find_attributions`, …) are loaded on first use.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kg.extract.core import (
        SEGMENT_CHARS,
        Extractor,
        default_model_name,
        find_attributions,
        link_attributions,
        load_nlp,
        outermost,
        quote_spans,
        split_segments,
    )

# Public name → the module that defines it (imported when the name is first asked for).
_LAZY = {
    "SEGMENT_CHARS": "kg.extract.core",
    "Extractor": "kg.extract.core",
    "default_model_name": "kg.extract.core",
    "find_attributions": "kg.extract.core",
    "link_attributions": "kg.extract.core",
    "load_nlp": "kg.extract.core",
    "outermost": "kg.extract.core",
    "quote_spans": "kg.extract.core",
    "split_segments": "kg.extract.core",
}

__all__ = [
    "SEGMENT_CHARS",
    "Extractor",
    "default_model_name",
    "find_attributions",
    "link_attributions",
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
