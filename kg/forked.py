"""One function run in a forked child process, beside the build's own work.

Once every article is resolved, `kg build` has two independent jobs left: the RDF file (and
the store loaded from it) and the HTML pages. Each is single-threaded Python, so on two cores
the build writes the RDF file in a forked child while it draws the pages itself. The child is
forked rather than started afresh: it inherits everything the RDF file is made from (the edge
spool, the tally of the corpus) without copying or pickling any of it, and sends nothing back
but whether it succeeded. The file it writes has the same bytes as the build's own process
would write: the same function runs on the same data.

Forking is used only where it is safe: on platforms that fork, and with no other Python thread
running (a thread holding a lock at the fork would leave it locked in the child). The child
runs pure Python: no native library that keeps threads of its own (Oxigraph's loader) is used
in it.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
import traceback
from collections.abc import Callable
from types import TracebackType
from typing import Any

from kg.errors import KgError
from kg.lifeline import die_with_parent

log = logging.getLogger(__name__)


class ForkedTaskError(KgError):
    """The forked child failed, or ended without saying it finished."""


def can_fork() -> bool:
    """Whether `Forked` may be used here: the platform forks and no other thread runs."""
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


class Forked:
    """`task()` running in a forked child from construction until `wait()` returns.

    >>> with Forked(write_rdf, "writing graph.ttl") as child:   # doctest: +SKIP
    ...     draw_pages()
    ...     child.wait()
    """

    def __init__(self, task: Callable[[], None], what: str) -> None:
        self.what = what
        context = multiprocessing.get_context("fork")
        self._conn, child_conn = context.Pipe(duplex=False)
        self._process = context.Process(target=_run, args=(task, child_conn, os.getpid()),
                                        daemon=True, name=f"kg: {what}")
        self._process.start()
        child_conn.close()
        self._lock = threading.Lock()
        self._outcome: ForkedTaskError | bool | None = None
        log.debug("%s in process %s", what, self._process.pid)

    def __enter__(self) -> Forked:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def wait(self) -> None:
        """Return when the child has finished its task; raise ForkedTaskError if it failed
        (any thread may ask, any number of times: the answer is kept)."""
        with self._lock:
            if self._outcome is None:
                self._outcome = self._receive()
        if isinstance(self._outcome, ForkedTaskError):
            raise self._outcome

    def _receive(self) -> ForkedTaskError | bool:
        try:
            status, detail = self._conn.recv()
        except (EOFError, OSError):  # killed (out of memory, a signal) before it could say
            self._process.join()
            return ForkedTaskError(
                f"{self.what}: its process ended unexpectedly (exit code "
                f"{self._process.exitcode})")
        self._process.join()
        if status != "ok":
            log.debug("%s failed in process %s:\n%s", self.what, self._process.pid, detail)
            cause = detail.strip().splitlines()[-1] if detail.strip() else "no detail"
            return ForkedTaskError(f"{self.what} failed: {cause}")
        return True

    def close(self) -> None:
        """Stop the child if it still runs (idempotent)."""
        if self._process.is_alive():
            self._process.terminate()
            self._process.join(timeout=5)
            if self._process.is_alive():  # SIGTERM ignored (inherited): no choice left
                self._process.kill()
        self._process.join(timeout=10)
        self._conn.close()


def _run(task: Callable[[], None], conn: Any, parent: int) -> None:
    die_with_parent(parent)  # a build killed with -9 leaves no child behind
    try:
        task()
    except KeyboardInterrupt:  # Ctrl-C reaches the whole process group; the build reports it
        os._exit(130)
    except BaseException:
        conn.send(("error", traceback.format_exc()))
    else:
        conn.send(("ok", ""))
    finally:
        conn.close()
