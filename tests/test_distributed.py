"""`kg build --scheduler`: reading and extraction on a real Dask cluster (a `dask scheduler`
and two `dask worker` processes started here, on localhost) give the same bytes as a build in
one process, also when a worker is killed half-way."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("distributed")

from kg.distributed import PARTITION_FILES, Partition, partitions  # noqa: E402
from kg.ingest import InputFile, iter_files, iter_inputs  # noqa: E402
from kg.models import Skipped  # noqa: E402
from kg.pipeline import BuildOptions, build  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
OUTPUTS = ("graph.ttl", "graph.html", "outlets.html", "report.json")
BIN = Path(sys.executable).parent

PEOPLE = ["Anna Petrova", "Boris Kowalski", "Carla Haddad", "Dmitri Tanaka", "Elena Moreau",
          "Farid Novak", "Grace Okafor", "Hiroshi Larsen"]
BODIES = ["the Harbour Authority", "the Transport Ministry", "the Grain Council",
          "the Northern Rail Company", "the Weather Office"]
OUTLETS = ["Reuters", "Bloomberg", "the Associated Press", "Interfax", "Yonhap"]
TOPICS = ["the ferry timetable", "the new bridge", "the wheat harvest", "the rail strike",
          "the storm warning", "the port tariffs"]


def write_corpus(folder: Path, n: int) -> Path:
    """`n` short synthetic articles with attributions (and, as a user's folder has them, a
    duplicate, a broken JSON file and a file of an unknown type)."""
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        person, body = PEOPLE[i % len(PEOPLE)], BODIES[i % len(BODIES)]
        outlet, topic = OUTLETS[i % len(OUTLETS)], TOPICS[i % len(TOPICS)]
        other = PEOPLE[(i * 3 + 1) % len(PEOPLE)]
        text = (
            f"Talks on {topic} resume in week {i}\n\n"
            f"{person}, a spokesperson for {body}, said on Monday that {topic} would be "
            f"reviewed before the end of the month. \"We expect a decision in week {i + 2},\" "
            f"{person} told reporters.\n\n"
            f"According to {outlet}, the review was requested by {other}. {other} said the "
            f"plan had been discussed with officials in {body} since week {i}.\n"
        )
        (folder / f"{i:04d}.txt").write_text(text, encoding="utf-8")
    (folder / "copy.txt").write_text((folder / "0000.txt").read_text(encoding="utf-8"),
                                     encoding="utf-8")
    (folder / "broken.json").write_text('{"title": "cut off', encoding="utf-8")
    (folder / "notes.md").write_text("not an article\n", encoding="utf-8")
    return folder


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class DaskProcesses:
    """A `dask scheduler` and `dask worker` processes, as a user starts them."""

    def __init__(self, tmp: Path, workers: int = 2) -> None:
        self.address = f"tcp://127.0.0.1:{_free_port()}"
        self.logs = tmp
        port = self.address.rsplit(":", 1)[1]
        self.scheduler = self._start("scheduler", [
            "scheduler", "--host", "127.0.0.1", "--port", port, "--no-dashboard",
        ])
        # No nanny: a killed worker stays dead (as a machine that went away), so the scheduler
        # must re-run its partitions on the other one.
        self.workers = [
            self._start(f"worker{i}", [
                "worker", self.address, "--nthreads", "1", "--no-nanny", "--no-dashboard",
                "--name", f"w{i}",
            ])
            for i in range(workers)
        ]
        self._wait_for_workers(workers)

    def _start(self, name: str, args: list[str]) -> subprocess.Popen[bytes]:
        log = open(self.logs / f"{name}.log", "wb")  # noqa: SIM115 (closed with the process)
        return subprocess.Popen([str(BIN / "dask"), *args], stdout=log, stderr=log,
                                start_new_session=True)

    def _wait_for_workers(self, n: int) -> None:
        from distributed import Client

        with Client(self.address, timeout="60s") as client:
            client.wait_for_workers(n, timeout=120)

    def close(self) -> None:
        for proc in [*self.workers, self.scheduler]:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in [*self.workers, self.scheduler]:
            try:
                proc.wait(5)
            except subprocess.TimeoutExpired:  # nothing of theirs needs a clean stop
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(5)


@pytest.fixture
def dask_processes(tmp_path: Path) -> Iterator[DaskProcesses]:
    cluster = DaskProcesses(tmp_path)
    try:
        yield cluster
    finally:
        cluster.close()


def _kg_build(inputs: list[Path], out: Path, *extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "kg", "build", *map(str, inputs), "-o", str(out), "-q", *extra],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        # Ctrl-C must be live even when pytest itself runs with SIGINT ignored (a command
        # started with `&` by a non-interactive shell ignores it, and its children inherit that)
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )


def _assert_same_outputs(a: Path, b: Path) -> None:
    for name in OUTPUTS:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


# --- fast: listing and partitions ----------------------------------------------------------


def test_listing_then_reading_gives_what_iter_inputs_gives(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "c", 5)
    from kg.ingest import read_input_file

    items: list[object] = []
    for entry in iter_files([corpus, tmp_path / "missing.txt"]):
        items += [entry] if isinstance(entry, Skipped) else list(read_input_file(entry))
    assert items == list(iter_inputs([corpus, tmp_path / "missing.txt"]))
    assert any(isinstance(i, Skipped) and "broken.json" in i.path for i in items)


def test_partitions_keep_input_order_and_the_listing_skips_in_place(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "c", 70)
    listing = list(iter_files([corpus]))
    parts = list(partitions(listing, None))
    flat: list[InputFile | Skipped] = []
    for part in parts:
        if isinstance(part, Partition):
            assert 1 <= len(part.files) <= PARTITION_FILES
            assert part.urls == (None,) * len(part.files)
            flat += part.files
        else:
            flat.append(part)
    assert flat == listing
    assert sum(isinstance(p, Partition) for p in parts) >= 3


# --- slow: a real cluster ------------------------------------------------------------------


@pytest.mark.slow
def test_build_on_a_dask_cluster_is_byte_identical(
    tmp_path: Path, dask_processes: DaskProcesses
) -> None:
    corpus = write_corpus(tmp_path / "generated", 40)
    inputs = [DATA, corpus]
    build(inputs, tmp_path / "local", BuildOptions(workers=1, store=False))
    proc = _kg_build(inputs, tmp_path / "dask", "--no-store", "--scheduler",
                     dask_processes.address)
    _out, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, err
    _assert_same_outputs(tmp_path / "local", tmp_path / "dask")
    report = json.loads((tmp_path / "dask" / "report.json").read_text())
    skipped = {Path(s["path"]).name: s["reason"] for s in report["skipped"]}
    assert "broken.json" in skipped and "notes.md" in skipped  # one bad file: one skip
    # A second build reuses the cache (the workers see it: same machine) and stays the same.
    proc = _kg_build(inputs, tmp_path / "dask", "--no-store", "--scheduler",
                     dask_processes.address)
    _out, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, err
    _assert_same_outputs(tmp_path / "local", tmp_path / "dask")
    # Ctrl-C while the cluster works: exit 130, the previous outputs whole, no work left.
    more = write_corpus(tmp_path / "more", 300)
    proc = _kg_build([*inputs, more], tmp_path / "dask", "--no-store", "--no-cache",
                     "--scheduler", dask_processes.address)
    from distributed import Client

    with Client(dask_processes.address, timeout="60s") as client:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline and not any(client.processing().values()):
            assert proc.poll() is None, proc.communicate()[1]
            time.sleep(0.1)
        proc.send_signal(signal.SIGINT)
        _out, err = proc.communicate(timeout=120)
        assert proc.returncode == 130, err
        _assert_same_outputs(tmp_path / "local", tmp_path / "dask")
        deadline = time.monotonic() + 30
        while any(client.processing().values()) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not any(client.processing().values()), "the cluster still works for the build"


@pytest.mark.slow
def test_a_worker_killed_mid_build_changes_nothing(
    tmp_path: Path, dask_processes: DaskProcesses
) -> None:
    from distributed import Client

    # Big enough that the build is still running a second after a worker starts its part
    # (at 250 articles a faster build once ended before the kill).
    corpus = write_corpus(tmp_path / "generated", 400)
    build([corpus], tmp_path / "local", BuildOptions(workers=1, store=False))
    proc = _kg_build([corpus], tmp_path / "dask", "--no-store", "--no-cache", "--scheduler",
                     dask_processes.address)
    victim = dask_processes.workers[0]
    with Client(dask_processes.address, timeout="60s") as client:
        # Kill the first worker a second after it started on its partitions.
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline and proc.poll() is None:
            names = {a: w.get("name") for a, w in
                     client.scheduler_info(n_workers=-1)["workers"].items()}
            if any(names.get(a) == "w0" and keys for a, keys in client.processing().items()):
                break
            time.sleep(0.2)
        time.sleep(1)
        assert proc.poll() is None, "the build ended before a worker could be killed"
        os.killpg(victim.pid, signal.SIGKILL)
        victim.wait(10)
    _out, err = proc.communicate(timeout=900)
    assert proc.returncode == 0, err
    _assert_same_outputs(tmp_path / "local", tmp_path / "dask")


@pytest.mark.slow
def test_a_cluster_build_keeps_the_build_s_limits_and_folders(tmp_path: Path) -> None:
    """The workers read with the build's budgets (`--max-chars`), a symlink out of the input
    folder is reported and not followed, and the build's own OUT inside the input is not
    read: the same outputs as a local build with the same options."""
    corpus = write_corpus(tmp_path / "corpus", 6)
    (corpus / "long.txt").write_text("Officials said the vote was fair. " * 200, encoding="utf-8")
    secret = tmp_path / "elsewhere.txt"
    secret.write_text("Nobody said this outside the corpus.", encoding="utf-8")
    (corpus / "link.txt").symlink_to(secret)
    options = ("--no-store", "--max-chars", "2000")
    local = _kg_build([corpus], corpus / "out-local", *options)
    _out, err = local.communicate(timeout=600)
    assert local.returncode == 0, err
    dask = _kg_build([corpus], corpus / "out-dask", *options, "--scheduler", "local",
                     "--workers", "1")
    _out, err = dask.communicate(timeout=600)
    assert dask.returncode == 0, err
    _assert_same_outputs(corpus / "out-local", corpus / "out-dask")
    report = json.loads((corpus / "out-dask" / "report.json").read_text())
    skipped = {Path(s["path"]).name: s["reason"] for s in report["skipped"]}
    assert "long.txt" in skipped and "link.txt" in skipped
    assert not any("out-" in s["path"] for s in report["skipped"])
    assert "outside the corpus" not in (corpus / "out-dask" / "graph.ttl").read_text()
