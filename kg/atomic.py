"""Atomic file writes: readers see the old file or the complete new one, never a half-written one.

The data goes to a hidden temp file in the target's directory (``.<name>.<random>.tmp``), is
flushed and fsynced, then `os.replace`d over the target. If writing raises, the temp file is
removed and the target is left as it was.
"""

from __future__ import annotations

import contextlib
import logging
import os
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import IO

log = logging.getLogger(__name__)


def atomic_write(path: str | os.PathLike[str], write: Callable[[IO[bytes]], None]) -> None:
    """Call `write(stream)` with a binary stream and atomically move the result to `path`."""
    target = Path(path)
    directory = target.parent
    # `tmp` is set before the file is created: Ctrl-C or SIGTERM can then only land either
    # before os.open (no file; unlinking fails quietly) or after it (our file; removed). A name
    # clash with another writer is reported by O_EXCL before `tmp` points at its file.
    tmp: Path | None = None
    try:
        while True:
            tmp = directory / f".{target.name}.{secrets.token_hex(6)}.tmp"
            try:
                # 0o666 & ~umask, like a plain open(); O_EXCL so we never clobber another writer.
                fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
            except FileExistsError:
                tmp = None
                continue
            break
        with os.fdopen(fd, "wb") as stream:
            write(stream)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(tmp, target)
    except BaseException:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        raise
    fsync_dir(directory)
    log.debug("wrote %s", target)


def atomic_write_text(path: str | os.PathLike[str], text: str, encoding: str = "utf-8") -> None:
    """Atomically write `text` to `path`."""
    atomic_write_bytes(path, text.encode(encoding))


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> None:
    """Atomically write `data` to `path`."""

    def write(stream: IO[bytes]) -> None:
        stream.write(data)

    atomic_write(path, write)


def fsync_dir(directory: Path) -> None:
    """Make the rename durable where the platform allows fsync on a directory."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
