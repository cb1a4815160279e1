"""Keep the memory a parse frees for the next parse (glibc's malloc only).

spaCy allocates and frees the same large arrays for every batch it parses. With glibc's
defaults, an allocation above the mmap threshold (128 KB until the threshold adapts) is mapped
and unmapped each time, and free memory at the top of the heap above the trim threshold is
handed back to the kernel: every new batch then faults its pages in again, a fault per 4 KB.
Dask's nanny makes it worse: it starts workers with MALLOC_TRIM_THRESHOLD_=65536, which also
stops the mmap threshold from adapting. Measured on 240 BBC parses in a worker thread: 343k
minor page faults with the defaults, 1.2M with Dask's setting (1.8 s more system time), 74k
with the thresholds below (0.8 s less than the defaults).

`keep_freed_memory()` raises both thresholds in the calling process; the processes that parse
(kg's extraction workers, a Dask worker's extraction plugin, an in-process extractor) call it.
The cost is memory held rather than returned: at most the trim threshold per arena.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import sys

log = logging.getLogger(__name__)

_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3
MMAP_THRESHOLD = 32 * 1024 * 1024  # glibc's largest adaptive value (DEFAULT_MMAP_THRESHOLD_MAX)
TRIM_THRESHOLD = 64 * 1024 * 1024


def keep_freed_memory() -> bool:
    """Raise glibc's mmap and trim thresholds for this process; False where there is no
    glibc (other platforms, musl) and nothing was changed."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    done = bool(mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD)) and bool(
        mallopt(_M_TRIM_THRESHOLD, TRIM_THRESHOLD))
    if not done:
        log.debug("mallopt refused the thresholds; malloc's defaults stay")
    return done
