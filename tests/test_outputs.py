"""OUT as one set of outputs (`kg.outputs`): locked, staged, swapped in together; what killed
or failed builds leave is cleaned up by the next one; worker and evaluator processes die with
kg (`kg.lifeline`), even on `kill -9`.

The subprocess tests run real builds (`python -m kg build`, the helpers of test_signals): two at
once into one OUT, one on a full disk (a small tmpfs when this process may mount one, as root in
CI; else a real per-file size limit, RLIMIT_FSIZE, which fails writes with EFBIG the way a full
disk fails them with ENOSPC), `kill -9` of a build with `--workers 2` and of `kg query`.
"""

from __future__ import annotations

import errno
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import rdflib

from kg.outputs import JOURNAL_NAME, LOCK_NAME, OutputDir, OutputError
from tests.conftest import ROOT
from tests.procs import alive, children, group_alive
from tests.test_signals import OUTPUTS, start, write_corpus


def _write_set(out: OutputDir, tag: str, names: tuple[str, ...] = ("graph.ttl", "report.json")
               ) -> None:
    for name in names:
        (out.staging() / name).write_text(f"{tag} {name}\n")


def _visible(out: Path) -> list[str]:
    return sorted(p.name for p in out.iterdir())


def test_a_second_build_into_the_same_out_fails_at_once(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with OutputDir(out):
        with pytest.raises(OutputError, match=r"another kg build is writing there \(process "
                           rf"{os.getpid()}\); wait for it"):
            with OutputDir(out):
                pass
    with OutputDir(out):  # released when the first one ended
        pass


def test_outputs_appear_together_and_replace_the_whole_old_set(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with OutputDir(out) as target:
        _write_set(target, "old", ("graph.ttl", "graph.nt", "graph.html", "report.json"))
        target.commit()
    (out / "notes.txt").write_text("the user's own file\n")
    with OutputDir(out) as target:
        _write_set(target, "new")
        # nothing of the new set shows before the swap
        assert (out / "graph.ttl").read_text() == "old graph.ttl\n"
        written = target.commit()
    assert sorted(p.name for p in written) == ["graph.ttl", "report.json"]
    # graph.nt and graph.html of the old set are gone with it: no stale page beside a new graph
    assert _visible(out) == [LOCK_NAME, "graph.ttl", "notes.txt", "report.json"]
    assert (out / "graph.ttl").read_text() == "new graph.ttl\n"


def test_a_failed_build_leaves_the_previous_set(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with OutputDir(out) as target:
        _write_set(target, "old")
        target.commit()
    with pytest.raises(OutputError, match=r"out: could not write the outputs \(No space left "
                       r"on device; .*\); the previous outputs are unchanged"):
        with OutputDir(out) as target:
            _write_set(target, "new", ("graph.ttl",))
            raise OSError(errno.ENOSPC, "No space left on device",
                          str(target.staging() / "graph.html"))
    assert _visible(out) == [LOCK_NAME, "graph.ttl", "report.json"]
    assert (out / "graph.ttl").read_text() == "old graph.ttl\n"


def test_a_swap_cut_half_way_is_finished_by_the_next_build(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with OutputDir(out) as target:
        _write_set(target, "old")
        target.commit()
    # What a build killed in the middle of its swap leaves: the journal, graph.ttl already
    # swapped (the old one moved aside), report.json not yet.
    target = OutputDir(out)
    target.__enter__()
    _write_set(target, "new")
    staging = target.staging()
    old = out / ".kg-old.0123456789ab.tmp"
    (out / JOURNAL_NAME).write_text(json.dumps(
        {"staging": staging.name, "old": old.name, "names": ["graph.ttl", "report.json"]}))
    old.mkdir()
    (out / "graph.ttl").rename(old / "graph.ttl")
    (staging / "graph.ttl").rename(out / "graph.ttl")
    target._staging = None  # noqa: SLF001 (the killed process never cleaned up)
    target._unlock()  # noqa: SLF001 (the kernel releases the lock of a dead process)
    with OutputDir(out):
        assert _visible(out) == [LOCK_NAME, "graph.ttl", "report.json"]
        assert (out / "graph.ttl").read_text() == "new graph.ttl\n"
        assert (out / "report.json").read_text() == "new report.json\n"


def test_temp_files_of_killed_builds_are_removed_and_nothing_else(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / ".graph.ttl.0a1b2c3d4e5f.tmp").write_text("half a graph")
    (out / ".kg-build.0a1b2c3d4e5f.tmp").mkdir()
    (out / ".kg-build.0a1b2c3d4e5f.tmp" / "graph.html").write_text("<html>")
    (out / ".graph.oxigraph.0a1b2c3d4e5f.old").mkdir()
    (out / "notes.tmp").write_text("the user's")
    with OutputDir(out):
        assert _visible(out) == [LOCK_NAME, "notes.tmp"]


# --- real builds --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("outputs") / "corpus"
    write_corpus(folder, 60)
    return folder


def _finish(proc: subprocess.Popen[str], timeout: float = 240) -> tuple[int, str]:
    _, stderr = proc.communicate(timeout=timeout)
    assert "Traceback" not in stderr, stderr
    return proc.returncode, stderr


def _check_whole(out: Path, articles: int) -> dict[str, bytes]:
    """OUT holds one whole, consistent set and no temp file; its bytes."""
    assert [p.name for p in out.iterdir() if p.name.endswith((".tmp", ".old"))] == []
    assert not (out / JOURNAL_NAME).exists()
    report = json.loads((out / "report.json").read_text())
    assert report["articles"] == articles
    graph = rdflib.Graph().parse(out / "graph.ttl")
    headlines = set(graph.objects(None, rdflib.URIRef("https://schema.org/headline")))
    assert len(headlines) == articles
    for name in ("graph.html", "outlets.html"):
        assert (out / name).read_text().rstrip().endswith("</html>")
    return {name: (out / name).read_bytes() for name in OUTPUTS}


@pytest.mark.slow
def test_two_builds_at_once_into_one_out(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    procs = [start(corpus, out, "-q", "--no-cache") for _ in range(2)]
    results = sorted(_finish(p) for p in procs)
    (ok, _), (refused, message) = results
    assert ok == 0 and refused == 1
    assert message.startswith(f"Error: {out}: another kg build is writing there (process ")
    assert len(message.strip().splitlines()) == 1
    _check_whole(out, 60)


def _mount_tmpfs(where: Path, size: int) -> bool:
    where.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None:
        return False
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
                          capture_output=True)
    return done.returncode == 0


@pytest.mark.slow
def test_a_full_disk_mid_build_leaves_the_previous_outputs(corpus: Path, tmp_path: Path
                                                           ) -> None:
    # The size of one set of outputs, from a build elsewhere.
    probe = tmp_path / "probe"
    code, stderr = _finish(start(corpus, probe, "-q", "--no-cache"))
    assert code == 0, stderr
    sizes = {p.name: p.stat().st_size for p in probe.rglob("*") if p.is_file()}
    total = sum(sizes.values())
    out = tmp_path / "out"
    # Room for one set and half of another: the second build runs out of space while it
    # writes its set beside the first.
    mounted = _mount_tmpfs(out, total * 3 // 2 + 64 * 1024)
    try:
        code, stderr = _finish(start(corpus, out, "-q", "--no-cache"))
        assert code == 0, stderr
        before = _check_whole(out, 60)
        if mounted:
            proc = start(corpus, out, "-q", "--no-cache")
            expected = "No space left on device"
        else:
            # No tmpfs (not root): a per-file size limit below the largest output is a real
            # failing write (EFBIG) in the middle of writing the set.
            limit = max(sizes.values()) // 2

            def small_files() -> None:
                signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG, not a kill
                resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

            env = {**os.environ, "PYTHONPATH": str(ROOT), "TMPDIR": str(tmp_path)}
            proc = subprocess.Popen(
                [sys.executable, "-m", "kg", "build", str(corpus), "-o", str(out), "-q",
                 "--no-cache"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                env=env, preexec_fn=small_files)
            expected = "File too large"
        code, stderr = _finish(proc)
        assert code == 1
        lines = stderr.strip().splitlines()
        # one line naming OUT and the cause (RocksDB words it "IO error: No space left ...")
        assert len(lines) == 1 and lines[0].startswith(f"Error: {out}: could not write the "
                                                       "outputs (")
        assert expected in lines[0]
        assert lines[0].endswith("the previous outputs are unchanged")
        assert _check_whole(out, 60) == before
    finally:
        if mounted:
            subprocess.run(["umount", str(out)], check=False)


def _wait_for(check: object, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():  # type: ignore[operator]
            return True
        time.sleep(0.05)
    return False


def _kill_9(proc: subprocess.Popen[str], count: int) -> list[int]:
    """Wait until `proc` has `count` child processes, `kill -9` it alone (not its group),
    and return the children's ids."""
    assert _wait_for(lambda: len(children(proc.pid)) >= count, 120), "no child process"
    kids = children(proc.pid)
    time.sleep(1.0)  # let them get to work
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=30)
    return kids


@pytest.mark.slow
def test_kill_9_of_a_build_with_workers(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, stderr = _finish(start(corpus, out, "-q", "--no-cache"))
    assert code == 0, stderr
    before = _check_whole(out, 60)
    proc = start(corpus, out, "-q", "--no-cache", "--workers", "2")
    kids = _kill_9(proc, 2)
    # the workers die with the build (the kernel kills them), instead of hanging forever
    assert _wait_for(lambda: not alive(kids), 10), f"left running: {alive(kids)}"
    assert group_alive(proc.pid) == []
    assert _check_whole(out, 60) == before
    spool = out.parent / "spool"
    assert [p.name for p in spool.iterdir()] != []  # the killed build's spool file
    # the next build removes what the killed one left
    code, stderr = _finish(start(corpus, out, "-q", "--no-cache"))
    assert code == 0, stderr
    _check_whole(out, 60)
    assert list(spool.iterdir()) == []


@pytest.mark.slow
def test_kill_9_of_a_query_stops_its_evaluator(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, stderr = _finish(start(corpus, out, "-q", "--no-cache"))
    assert code == 0, stderr
    cross = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "kg", "query", str(out), cross, "--timeout", "600"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
        start_new_session=True)
    kids = _kill_9(proc, 1)
    assert _wait_for(lambda: not alive(kids), 10), f"left running: {alive(kids)}"
    assert group_alive(proc.pid) == []
