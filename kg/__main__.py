"""`python -m kg` and the `kg` command.

A signal can arrive before the command line is ready (importing click and kg takes a moment
on a busy machine); until `kg.cli` sets its own handlers, SIGINT and SIGTERM end the process as
the signal's default does, with no traceback. Nothing has been written by then.
"""

from __future__ import annotations

import os
import signal
from types import FrameType


def _die_of(signum: int, frame: FrameType | None) -> None:
    signal.signal(signum, signal.SIG_DFL)
    os.kill(os.getpid(), signum)


def main() -> None:
    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:  # not ignored (nohup)
        signal.signal(signal.SIGINT, _die_of)
    signal.signal(signal.SIGTERM, _die_of)
    from kg.cli import main as run

    run()


if __name__ == "__main__":
    main()
