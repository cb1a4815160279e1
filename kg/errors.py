"""The one exception hierarchy of kg.

Every message names the input it is about and, where there is one, the fix. The CLI turns these
into one-line errors; the library never prints.
"""

from __future__ import annotations


class KgError(Exception):
    """Base class: anything kg raises on purpose."""


class InputError(KgError):
    """An input file or record cannot be read as an article (it is skipped, not fatal)."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class ConfigError(KgError):
    """A user-supplied setting or file (outlet registry, model name, option) is wrong."""


class ModelError(ConfigError):
    """The spaCy model cannot be loaded."""


class QueryError(KgError):
    """A SPARQL query is malformed, refused for safety, or timed out."""


class GraphFileError(KgError):
    """An RDF graph file given to `kg query` / `kg html` cannot be read."""


class NothingBuiltError(KgError):
    """No input yielded an article, so there is no graph to write."""
