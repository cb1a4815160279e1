"""The processes of this machine as /proc shows them, for tests that check what a command
leaves running (after Ctrl-C, `kill -9`, a crash). Linux only."""

from __future__ import annotations

import os
from typing import NamedTuple


class Proc(NamedTuple):
    pid: int
    state: str  # "R", "S", "Z" (zombie: ended, not yet reaped), ...
    parent: int
    group: int


def processes() -> list[Proc]:
    """Every process /proc lists now (those that end while it is read are left out)."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                # "pid (name) state ppid pgrp ...": the name may hold spaces and parentheses
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        found.append(Proc(int(entry), fields[0], int(fields[1]), int(fields[2])))
    return found


def children(pid: int, *, zombies: bool = False) -> list[int]:
    """Processes whose parent is `pid` (zombies too when asked)."""
    return [p.pid for p in processes() if p.parent == pid and (zombies or p.state != "Z")]


def group_alive(pgid: int) -> list[int]:
    """The live (not zombie) processes of process group `pgid`."""
    return [p.pid for p in processes() if p.group == pgid and p.state != "Z"]


def alive(pids: list[int]) -> list[int]:
    """Those of `pids` still running (not ended, not zombies)."""
    states = {p.pid: p.state for p in processes()}
    return [pid for pid in pids if pid in states and states[pid] != "Z"]
