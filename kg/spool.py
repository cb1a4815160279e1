"""Extractions parked on disk between extraction and resolution.

Resolution needs the whole corpus's names before it can hand out the first id, so every
extraction must be kept until extraction ends. On a big pile (hundreds of MB of articles, each
with a hundred attributions) that is far more than memory should hold; `kg build` writes each
extraction here as it comes back and reads it again when its turn comes.

The file is private to one build: created with mode 0600 in the system temp folder (or
`$TMPDIR`), removed on close. Records are pickles, which is safe only because this process
wrote them itself moments before; nothing else ever reads or writes the file. Its owner holds
an advisory lock (`flock`) on it for as long as it lives, which the kernel releases however the
process ends: `remove_stale_spools` removes the spools of builds that were killed (`kill -9`,
an out-of-memory kill) and only those.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import pickle
import tempfile
import zlib
from types import TracebackType
from typing import TYPE_CHECKING, Self, cast

from kg.models import Extraction

if TYPE_CHECKING:
    from kg.graph import Edge


log = logging.getLogger(__name__)


PREFIX = "kg-spool-"
SUFFIX = ".bin"


def remove_stale_spools(directory: str | None = None) -> int:
    """Remove the spool files that no live process holds (left by killed builds) from the
    temp folder; returns how many."""
    folder = directory or tempfile.gettempdir()
    removed = 0
    try:
        names = os.listdir(folder)
    except OSError:
        return 0
    for name in names:
        if not (name.startswith(PREFIX) and name.endswith(SUFFIX)):
            continue
        path = os.path.join(folder, name)
        try:
            fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
        except OSError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            continue  # a live build's
        else:
            with contextlib.suppress(OSError):
                os.unlink(path)
                removed += 1
        finally:
            os.close(fd)
    if removed:
        log.info("removed %d spool file(s) of earlier, interrupted builds from %s", removed,
                 folder)
    return removed


class Spool:
    """An append-only file of extractions with an in-memory index by article id.

    >>> with Spool() as spool:  # doctest: +SKIP
    ...     spool.put("article:1", extraction)
    ...     spool.get("article:1") == extraction
    True
    """

    def __init__(self, directory: str | None = None) -> None:
        fd, self.path = tempfile.mkstemp(prefix=PREFIX, suffix=SUFFIX, dir=directory)
        fcntl.flock(fd, fcntl.LOCK_EX)  # ours alone: a fresh file nobody else has locked
        self._file = os.fdopen(fd, "w+b")
        self._index: dict[str, tuple[int, int]] = {}
        self._end = 0
        self._unflushed = False  # written to the file object's buffer, not yet to the file

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        if not self._file.closed:
            self._file.close()
        try:
            os.unlink(self.path)
        except FileNotFoundError:
            pass

    def put(self, article_id: str, extraction: Extraction) -> None:
        """Store `extraction` under `article_id` (a later put of the same id replaces it)."""
        self._write(article_id, extraction)

    def get(self, article_id: str) -> Extraction:
        record = self._read(article_id)
        if not isinstance(record, Extraction):
            raise TypeError(f"spool: record of {article_id} is not an Extraction")
        return record

    def _write(self, article_id: str, record: object) -> None:
        # Level 1: extraction records are repetitive text; this shrinks them ~4x at little cost.
        data = zlib.compress(pickle.dumps(record, protocol=pickle.HIGHEST_PROTOCOL), 1)
        self._file.seek(self._end)
        self._file.write(data)
        self._index[article_id] = (self._end, len(data))
        self._end += len(data)
        self._unflushed = True

    def _read(self, article_id: str) -> object:
        offset, size = self._index[article_id]
        if self._unflushed:
            self._file.flush()
            self._unflushed = False
        # pread: no shared file position, so a forked child (`kg.forked`) and this process
        # can read the spool at the same time.
        data = os.pread(self._file.fileno(), size, offset)
        return pickle.loads(zlib.decompress(data))

    def flush(self) -> None:
        """Write out what is buffered, so that a forked child reads every record."""
        self._file.flush()
        self._unflushed = False

    def ids(self) -> list[str]:
        """Every stored article id, sorted."""
        return sorted(self._index)

    def __len__(self) -> int:
        return len(self._index)

    def __contains__(self, article_id: object) -> bool:
        return article_id in self._index


class EdgeSpool(Spool):
    """The edges of resolved articles, parked on disk the same way: `kg build` resolves each
    article once, for the RDF file, and its pages read the edges of the articles they show
    from here instead of resolving those again."""

    def put_edges(self, article_id: str, outlet_id: str | None, edges: list[Edge]) -> None:
        self._write(article_id, (outlet_id, edges))

    def get_edges(self, article_id: str) -> tuple[str | None, list[Edge]]:
        outlet_id, edges = cast("tuple[str | None, list[Edge]]", self._read(article_id))
        return outlet_id, edges
