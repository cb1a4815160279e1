"""kg.forked: a task run in a forked child, waited for, its failures reported."""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from pathlib import Path

import pytest

from kg.forked import Forked, ForkedTaskError, can_fork

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forks on Linux")


def test_the_task_runs_in_another_process_and_is_waited_for(tmp_path: Path) -> None:
    out = tmp_path / "pid"

    def task() -> None:
        time.sleep(0.2)
        out.write_text(str(os.getpid()))

    with Forked(task, "writing a file") as child:
        child.wait()
        assert out.exists()  # written before wait returned
    assert int(out.read_text()) != os.getpid()


def test_a_failing_task_raises_with_its_traceback() -> None:
    def task() -> None:
        raise ValueError("the disk is full")

    with Forked(task, "writing graph.ttl") as child, pytest.raises(ForkedTaskError) as err:
        child.wait()
    assert str(err.value) == "writing graph.ttl failed: ValueError: the disk is full"


def test_a_child_killed_mid_task_is_reported() -> None:
    def task() -> None:
        os.kill(os.getpid(), signal.SIGKILL)

    with Forked(task, "writing graph.ttl") as child, pytest.raises(ForkedTaskError) as err:
        child.wait()
    assert "ended unexpectedly" in str(err.value)
    assert "-9" in str(err.value)


@pytest.mark.parametrize("sigterm", [signal.SIG_DFL, signal.SIG_IGN])
def test_close_stops_a_child_that_still_runs(sigterm: signal.Handlers) -> None:
    """Even one that inherited an ignored SIGTERM (a parent started under `nohup`-like
    handling): it is killed."""
    previous = signal.signal(signal.SIGTERM, sigterm)
    try:
        child = Forked(lambda: time.sleep(60), "sleeping")
    finally:
        signal.signal(signal.SIGTERM, previous)
    started = time.monotonic()
    child.close()
    assert time.monotonic() - started < 10
    assert not child._process.is_alive()


def test_no_fork_while_another_thread_runs() -> None:
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert not can_fork()
    finally:
        stop.set()
        thread.join()
