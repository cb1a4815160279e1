"""A build's outputs as one set: locked, staged, swapped in together.

`kg build -o OUT` writes several outputs (graph.ttl, graph.oxigraph/, graph.html, outlets.html,
report.json) that must agree with each other. `OutputDir` makes them one set:

  * **a lock**: `OUT/.kg.lock` (an advisory `flock`, released by the kernel when the process
    ends, however it ends). A second build into the same OUT fails at once with a message
    naming the first one's process id, instead of mixing its files with the first one's. The
    lock file stays: it also marks OUT as a kg output folder, which `kg.ingest` never reads as
    input.
  * **staging**: every output is written into `OUT/.kg-build.<random>.tmp/` first. A build
    that fails (a full disk, a bad option found late) or is interrupted removes its staging
    folder and leaves the previous outputs as they were.
  * **one swap**: when the staging folder is complete, a journal (`OUT/.kg-swap.json`, written
    atomically) names it; each old output is moved aside and the new one moved in (renames,
    milliseconds for the whole set), then the journal and the old outputs are removed.
    Outputs of the set that the new build does not write (graph.nt after a Turtle build, the
    store after `--no-store`) are removed with the old ones, so no stale file stays beside a
    new one. A build killed during the swap (`kill -9`) leaves the journal: the next build
    finishes that swap before anything else, so OUT holds one whole set again.
  * **stale files**: under the lock, temp files and folders that killed builds left in OUT
    (`.<name>.<hex>.tmp`, `.graph.oxigraph.<hex>.old`) are removed.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import logging
import os
import re
import secrets
import shutil
import signal
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType

from kg.atomic import atomic_write_text, fsync_dir
from kg.errors import KgError
from kg.ingest import OUTPUT_MARKER

log = logging.getLogger(__name__)

LOCK_NAME = OUTPUT_MARKER  # ".kg.lock"
JOURNAL_NAME = ".kg-swap.json"
# Every output a build may write; those the new set lacks are removed when it is swapped in.
SET_NAMES = ("graph.ttl", "graph.nt", "graph.jsonld", "graph.oxigraph", "graph.html",
             "outlets.html", "report.json")
# What killed builds leave: atomic writers' temp files, the store's staging and old folders,
# this module's staging and old folders.
_STALE = re.compile(r"^\..+\.[0-9a-f]{8,}\.(?:tmp|old)$")


class OutputError(KgError):
    """OUT cannot be locked or written; the previous outputs are unchanged."""


class OutputDir:
    """OUT for one build (see the module docstring).

    >>> with OutputDir(Path("out")) as out:  # doctest: +SKIP
    ...     write_everything(out.staging())
    ...     out.commit()
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock_fd: int | None = None
        self._staging: Path | None = None

    def __enter__(self) -> OutputDir:
        try:
            self.path.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputError(f"{self.path}: cannot create the output folder "
                              f"({exc.strerror or exc})") from None
        self._lock()
        try:
            recover(self.path)
            remove_stale(self.path)
        except BaseException:
            self._unlock()
            raise
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            if self._staging is not None:
                if (self.path / JOURNAL_NAME).exists():
                    # interrupted after the swap began (its journal names this staging
                    # folder): finish it, as the next build would, so OUT holds one set
                    recover(self.path)
                shutil.rmtree(self._staging, ignore_errors=True)
                self._staging = None
        finally:
            self._unlock()
        if isinstance(exc, OSError) and not isinstance(exc, KgError):
            # one line naming OUT, not the staging folder, and what it means for the user
            where = exc.filename if getattr(exc, "filename", None) else self.path
            raise OutputError(
                f"{self.path}: could not write the outputs ({exc.strerror or exc}; at {where}); "
                "the previous outputs are unchanged"
            ) from exc

    # --- the lock -------------------------------------------------------------------------

    def _lock(self) -> None:
        lock = self.path / LOCK_NAME
        try:
            fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise OutputError(f"{self.path}: cannot create the lock file {LOCK_NAME} "
                              f"({exc.strerror or exc})") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            holder = _read_pid(fd)
            os.close(fd)
            if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                who = f" (process {holder})" if holder else ""
                raise OutputError(
                    f"{self.path}: another kg build is writing there{who}; wait for it to "
                    "finish or give another output folder (-o)"
                ) from None
            raise OutputError(f"{self.path}: cannot lock the output folder "
                              f"({exc.strerror or exc})") from None
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        self._lock_fd = fd

    def _unlock(self) -> None:
        if self._lock_fd is not None:
            os.close(self._lock_fd)  # closing releases the flock
            self._lock_fd = None

    # --- staging and the swap -------------------------------------------------------------

    def staging(self) -> Path:
        """The folder the outputs are written to (created on first use)."""
        if self._staging is None:
            # known before it exists: an interruption right after mkdir still removes it
            self._staging = self.path / f".kg-build.{secrets.token_hex(6)}.tmp"
            self._staging.mkdir()
        return self._staging

    def commit(self) -> list[Path]:
        """Swap the staged outputs in as one set; returns their final paths."""
        if self._staging is None:
            raise OutputError(f"{self.path}: nothing was written")
        staging = self._staging
        names = sorted(p.name for p in staging.iterdir())
        old = self.path / f".kg-old.{secrets.token_hex(6)}.tmp"
        journal = {"staging": staging.name, "old": old.name, "names": names}
        with _signals_held():
            atomic_write_text(self.path / JOURNAL_NAME, json.dumps(journal) + "\n")
            _swap(self.path, staging, old, names)
            self._staging = None
        return [self.path / name for name in names]


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """SIGINT and SIGTERM wait until the block is done: the swap takes milliseconds, and cut
    half-way it would leave half of each set until the next build finished it."""
    held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)


def _swap(out: Path, staging: Path, old: Path, names: list[str]) -> None:
    """Move the old outputs (and the stale members of the set) aside, the new ones in, then
    remove the journal and what was moved aside. Safe to run again after an interruption."""
    old.mkdir(exist_ok=True)
    for name in sorted(set(names) | set(SET_NAMES)):
        new = staging / name
        current = out / name
        if name not in names:  # a stale member of the set
            if current.exists() or current.is_symlink():
                current.rename(old / name)
            continue
        if not new.exists():
            continue  # moved in before an interruption
        if current.exists() or current.is_symlink():
            if (old / name).exists():
                _remove(old / name)
            current.rename(old / name)
        new.rename(current)
    fsync_dir(out)
    (out / JOURNAL_NAME).unlink(missing_ok=True)
    fsync_dir(out)
    _remove(old)
    _remove(staging)


def recover(out: Path) -> None:
    """Finish a swap a killed build left half done (see the module docstring)."""
    path = out / JOURNAL_NAME
    try:
        journal = json.loads(path.read_text(encoding="utf-8"))
        staging, old = out / journal["staging"], out / journal["old"]
        names = [str(n) for n in journal["names"]]
    except FileNotFoundError:
        return
    except (OSError, ValueError, KeyError, TypeError):
        log.warning("%s: unreadable swap journal; removing it", path)
        path.unlink(missing_ok=True)
        return
    if staging.parent != out or old.parent != out or not all(n in SET_NAMES for n in names):
        log.warning("%s: swap journal names files outside the output set; removing it", path)
        path.unlink(missing_ok=True)
        return
    log.info("%s: finishing the swap of an interrupted build", out)
    _swap(out, staging, old, names)


def remove_stale(out: Path) -> list[str]:
    """Remove temp files and folders of killed builds from OUT (call it under the lock)."""
    removed = []
    for entry in sorted(os.listdir(out)):
        if _STALE.match(entry):
            _remove(out / entry)
            removed.append(entry)
    if removed:
        log.info("%s: removed %d temp file(s) of an earlier, interrupted build", out,
                 len(removed))
    return removed


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


def _read_pid(fd: int) -> str:
    try:
        text = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
    except OSError:
        return ""
    return text if text.isdigit() else ""
