"""`python -m kg` and the `kg` command.

A signal can arrive before the command line is ready (importing click and kg takes a moment
on a busy machine); until `kg.cli` sets its own handlers, SIGINT and SIGTERM end the process
as an interruption later does: one line on stderr, exit code 130, no traceback. Nothing has
been written by then.
"""

from __future__ import annotations

import os
import signal
from types import FrameType

INTERRUPTED = "Interrupted: outputs written before this run are unchanged."
EXIT_INTERRUPTED = 130


def _early_exit(signum: int, frame: FrameType | None) -> None:
    os.write(2, (INTERRUPTED + "\n").encode())
    os._exit(EXIT_INTERRUPTED)


def main() -> None:
    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:  # not ignored (nohup)
        signal.signal(signal.SIGINT, _early_exit)
    signal.signal(signal.SIGTERM, _early_exit)
    from kg.cli import main as run

    run()


if __name__ == "__main__":
    main()
