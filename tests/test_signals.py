"""Stopping a build with SIGINT or SIGTERM keeps the previous outputs intact.

A complete build writes OUT first; then the same build into a copy of OUT is interrupted at
several points (while starting, while loading, while extracting, while writing, and with
`--workers 2` the moment a worker process appears). Whatever the timing, OUT must hold
complete files that parse (the old ones, byte for byte, or, if the build won the race, the
identical new ones), no temp files, stderr no traceback, and the exit code is 130 with its
one line (or 0 when the build won). With `--workers 2` no process of the group may be left
behind, whether the signal goes to the whole process group (Ctrl-C in a terminal) or to the
main process only (`kill PID`).
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import rdflib

from tests.conftest import ROOT
from tests.procs import children, group_alive

OUTPUTS = ("graph.ttl", "graph.html", "outlets.html", "report.json")
OUTLETS = ["Reuters", "TASS", "Bloomberg", "Interfax", "the BBC", "Al Jazeera", "NK News"]
PEOPLE = ["Anna Petrova", "Tomas Novak", "Grace Okafor", "Pavel Sokolov", "Yuki Tanaka"]
PLACES = ["Odesa", "Minsk", "Vilnius", "Pyongyang", "Tbilisi", "Warsaw", "Geneva"]
TOPICS = ["the grain deal", "the sanctions", "the cargo flight", "the border closure"]


def write_corpus(folder: Path, count: int, seed: int = 3) -> None:
    rng = random.Random(seed)
    folder.mkdir(parents=True)
    for n in range(count):
        place, topic = rng.choice(PLACES), rng.choice(TOPICS)
        sentences = [
            f"{rng.choice(OUTLETS)} reported that {rng.choice(PEOPLE)} arrived in {place} "
            f"on Monday to discuss {topic}.",
            f"According to {rng.choice(OUTLETS)}, officials in {rng.choice(PLACES)} expect a "
            f"decision on {topic} within {n % 9 + 2} days.",
            f'"Talks will continue," {rng.choice(PEOPLE)} told {rng.choice(OUTLETS)}.',
            f"The ministry declined to comment, {rng.choice(OUTLETS)} wrote, citing "
            f"{rng.choice(OUTLETS)}.",
        ]
        body = " ".join(rng.sample(sentences, len(sentences)))
        text = f"{place} story number {n} on {topic}\n\n{body}\n\n{' '.join(sentences[:2])}\n"
        (folder / f"story-{n:04d}.txt").write_text(text)


def start(corpus: Path, out: Path, *extra: str) -> subprocess.Popen[str]:
    spool = out.parent / "spool"  # where the build parks its extractions (kg/spool.py)
    spool.mkdir(exist_ok=True)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TMPDIR": str(spool)}
    return subprocess.Popen(
        [sys.executable, "-m", "kg", "build", str(corpus), "-o", str(out), *extra],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
        start_new_session=True,  # its own process group, like a shell job
        # Ctrl-C must be live even when pytest itself runs with SIGINT ignored (nohup, &)
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )  # fmt: skip


@pytest.fixture(scope="module")
def previous(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, bytes]]:
    """The corpus, and OUT holding a complete earlier build of it (with its bytes)."""
    root = tmp_path_factory.mktemp("signals")
    corpus = root / "corpus"
    write_corpus(corpus, 150)
    out = root / "previous"
    proc = start(corpus, out)
    _, stderr = proc.communicate(timeout=180)
    assert proc.returncode == 0, stderr
    return corpus, out, {name: (out / name).read_bytes() for name in OUTPUTS}


def fresh_out(previous: tuple[Path, Path, dict[str, bytes]], tmp_path: Path) -> Path:
    out = tmp_path / "out"
    shutil.copytree(previous[1], out)
    return out


def check_outputs(out: Path, expected: dict[str, bytes]) -> None:
    leftovers = [p.name for p in out.iterdir() if p.name.endswith(".tmp")]
    assert leftovers == []
    assert list((out.parent / "spool").iterdir()) == []
    for name in OUTPUTS:
        # the old file, or (when the build finished first) the same bytes written anew
        assert (out / name).read_bytes() == expected[name], name
    rdflib.Graph().parse(out / "graph.ttl")
    json.loads((out / "report.json").read_text())
    for name in ("graph.html", "outlets.html"):
        assert (out / name).read_text().rstrip().endswith("</html>")


def finish(proc: subprocess.Popen[str], timeout: float = 60) -> tuple[int, str]:
    try:
        _, stderr = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        pytest.fail("the build did not stop after the signal")
    return proc.returncode, stderr


def check_stopped(code: int, stderr: str) -> None:
    assert "Traceback" not in stderr, stderr
    if code == 0:
        return  # the build won the race: checked through its (identical) outputs
    if code in (-signal.SIGTERM, -signal.SIGINT):
        # Killed while the interpreter started, before kg's first instruction: nothing ran;
        # or while it shut down after a finished build (Python restores the default handlers
        # as it finalises): the build's summary is out and its outputs are whole (checked).
        assert stderr == "" or "built graph of" in stderr, stderr
        return
    # 130 and one line, from the first instruction of `kg` on (kg.__main__ takes the signals
    # before it imports anything heavy, kg.cli then).
    assert code == 130, (code, stderr)
    assert "Interrupted: outputs written before this run are unchanged." in stderr


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
@pytest.mark.parametrize("delay", [0.5, 1.5, 3.0])
def test_signal_keeps_previous_outputs(
    previous: tuple[Path, Path, dict[str, bytes]], tmp_path: Path, signum: int, delay: float
) -> None:
    corpus, _, expected = previous
    out = fresh_out(previous, tmp_path)
    proc = start(corpus, out)
    time.sleep(delay)
    if proc.poll() is None:
        proc.send_signal(signum)
    code, stderr = finish(proc)
    check_stopped(code, stderr)
    check_outputs(out, expected)


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_signal_during_write_phase(
    previous: tuple[Path, Path, dict[str, bytes]], tmp_path: Path, signum: int
) -> None:
    """Signalled the moment a temp file shows up in OUT (or, failing that, as soon as
    extraction reports it is done): the atomic writers must remove their temp files."""
    corpus, _, expected = previous
    out = fresh_out(previous, tmp_path)
    proc = start(corpus, out)
    deadline = time.monotonic() + 120
    while proc.poll() is None and time.monotonic() < deadline:
        if any(name.endswith(".tmp") for name in os.listdir(out)):
            proc.send_signal(signum)
            break
        time.sleep(0.0005)
    code, stderr = finish(proc)
    check_stopped(code, stderr)
    check_outputs(out, expected)


@pytest.mark.parametrize("delay", [2.5])
def test_ctrl_c_with_worker_processes(
    previous: tuple[Path, Path, dict[str, bytes]], tmp_path: Path, delay: float
) -> None:
    """Ctrl-C reaches the whole process group (the spaCy workers too): the build still stops
    within the timeout, says so in one line and leaves no process behind."""
    corpus, _, expected = previous
    out = fresh_out(previous, tmp_path)
    proc = start(corpus, out, "--workers", "2", "--no-cache")  # extract: start the workers
    time.sleep(delay)
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGINT)
    code, stderr = finish(proc)
    check_stopped(code, stderr)
    check_outputs(out, expected)
    wait_gone(proc.pid)


def wait_gone(pgid: int) -> None:
    for _ in range(100):
        if not group_alive(pgid):
            break
        time.sleep(0.1)
    assert group_alive(pgid) == []


@pytest.mark.parametrize("delay", [0.05, 0.4, 1.2, 2.5, 4.0])
def test_sigterm_with_worker_processes(
    previous: tuple[Path, Path, dict[str, bytes]], tmp_path: Path, delay: float
) -> None:
    """SIGTERM to the main process only (as `kill PID` does), at any moment of a build with
    worker processes: 130, old outputs, no worker left."""
    corpus, _, expected = previous
    out = fresh_out(previous, tmp_path)
    proc = start(corpus, out, "--workers", "2", "--no-cache")  # extract: start the workers
    time.sleep(delay)
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
    code, stderr = finish(proc)
    check_stopped(code, stderr)
    check_outputs(out, expected)
    wait_gone(proc.pid)


@pytest.mark.parametrize("trial", range(3))
def test_sigterm_while_workers_start(
    previous: tuple[Path, Path, dict[str, bytes]], tmp_path: Path, trial: int
) -> None:
    """SIGTERM the moment the first worker process exists (the workers are being forked):
    it used to be swallowed inside the fork, and the build went on to exit 0."""
    corpus, _, expected = previous
    out = fresh_out(previous, tmp_path)
    proc = start(corpus, out, "--workers", "2", "--no-cache")  # extract: start the workers
    deadline = time.monotonic() + 120
    while proc.poll() is None and time.monotonic() < deadline:
        if children(proc.pid, zombies=True):
            proc.send_signal(signal.SIGTERM)
            break
        time.sleep(0.0005)
    else:
        pytest.fail("no worker process started")
    code, stderr = finish(proc)
    check_stopped(code, stderr)
    assert code == 130, "the signal came in while the workers started; the build must stop"
    check_outputs(out, expected)
    wait_gone(proc.pid)
