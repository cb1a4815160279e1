"""kg.malloc: a process that parses keeps the memory it frees instead of faulting it in again."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import ROOT

# Allocate and free a 4 MB buffer 200 times, touching every page; print the minor page faults.
_CHURN = """
import resource, sys
from kg.malloc import keep_freed_memory
if sys.argv[1] == "keep":
    assert keep_freed_memory()
def churn():
    for _ in range(200):
        b = bytearray(4 << 20)
        b[::4096] = b"x" * len(b[::4096])
        del b
churn()  # the first round may fault the heap in either way
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
churn()
print(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
"""


def _faults(mode: str, env: dict[str, str] | None = None) -> int:
    proc = subprocess.run([sys.executable, "-c", _CHURN, mode], cwd=ROOT, env=env,
                          capture_output=True, text=True, check=True)
    return int(proc.stdout.strip())


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's mallopt")
def test_freed_buffers_are_reused_not_faulted_in_again() -> None:
    import os

    pages = 200 * (4 << 20) // 4096
    # Dask's nanny starts its workers so: every free goes back to the kernel.
    dask_env = dict(os.environ, MALLOC_TRIM_THRESHOLD_="65536")
    assert _faults("default", dask_env) > pages // 2
    assert _faults("keep", dask_env) < pages // 20
