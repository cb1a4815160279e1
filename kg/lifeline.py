"""Child processes die with kg: the extraction workers of `--workers N` (`kg.extract.pool`)
and the `kg query` evaluator (`kg.query`) call `die_with_parent` first thing, so the kernel
stops them when the kg process that started them ends, however it ends (`kill -9` included),
instead of leaving them running or blocked on a pipe forever.

Linux only (`prctl(PR_SET_PDEATHSIG)`); elsewhere it does nothing. The signal follows the
*thread* that forked the child: call it only in children forked from a thread that lives as
long as the process (kg forks from its main thread).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import sys

_PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int) -> None:
    """In a child process: be killed (SIGKILL) when the process `parent` ends; leave at once
    if it has ended already (between the fork and this call)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        if int(libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)) != 0:
            return
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # it ended before the request took effect
        os._exit(1)
