"""The crash test's worker: runs the shop's flow on a database until it is killed.

Started once per test as a small server (everything imported once); each ``run`` command
forks a worker, so a kill costs milliseconds instead of a Python start-up. Protocol on
stdin/stdout, one line each:

    run PATH SEED MODE N   -> "pid PID", then the worker's lines, then "exit PID STATUS"
    quit

MODE ``timer``: the test kills the worker (SIGKILL) when it has read N of its lines.
MODE ``self``: the worker kills itself (SIGKILL) inside SQLite, at its N-th progress callback
(every 500 virtual-machine steps of any statement), so the kill lands mid-statement.

The worker writes ``ready`` once the database is open, ``B`` when a service transaction
begins, ``E`` after it committed (or rolled back), and ``S <what>`` after each flow step.
It is forked from a process that never opened the database.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import signal
import sys
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from busy_shop import FlowDriver  # noqa: E402

from shop_desk import clock  # noqa: E402
from shop_desk.db import open_database, write_transaction  # noqa: E402
from shop_desk.models import AuditLog  # noqa: E402
from shop_desk.services import base  # noqa: E402

PROGRESS_STEPS = 500


def say(text: str) -> None:
    os.write(1, (text + "\n").encode())


@contextlib.contextmanager
def marked_transaction() -> Iterator[None]:
    say("B")
    try:
        with write_transaction():
            yield
    finally:
        say("E")


def work(path: str, seed: int, mode: str, n: int) -> None:
    db = open_database(path)
    last = AuditLog.select(AuditLog.at).order_by(AuditLog.at.desc()).scalar()
    clock.set_now(max(last, dt.datetime(2026, 11, 2, 9, 0)) + dt.timedelta(minutes=1))
    base.write_transaction = marked_transaction
    if mode == "self":
        calls = 0

        def progress() -> int:
            nonlocal calls
            calls += 1
            if calls >= n:
                say("self-kill")
                os.kill(os.getpid(), signal.SIGKILL)
            return 0

        db.connection().set_progress_handler(progress, PROGRESS_STEPS)
    say("ready")
    driver = FlowDriver(seed)
    while True:
        say("S " + driver.step())


def serve() -> None:
    for line in sys.stdin:
        parts = line.split()
        if not parts or parts[0] == "quit":
            break
        _, path, seed, mode, n = parts
        sys.stdout.flush()
        pid = os.fork()
        if pid == 0:
            try:
                work(path, int(seed), mode, int(n))
            except BaseException as exc:  # a crash of the flow itself: report and die
                say(f"crash {type(exc).__name__}: {exc}")
                import traceback

                traceback.print_exc()
            finally:
                os._exit(3)
        say(f"pid {pid}")
        _, status = os.waitpid(pid, 0)
        code = -os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)
        say(f"exit {pid} {code}")


if __name__ == "__main__":
    serve()
