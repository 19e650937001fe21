"""Crash safety: a station killed (SIGKILL) at any moment leaves a consistent database.

A worker process (crash_worker.py) drives the busy shop through the flow (new cars, every
step from check-in to follow-up) and is killed at random moments: by this test after a
random number of its progress lines, or by itself inside SQLite at a random virtual-machine
step. After every kill the database must pass PRAGMA integrity_check and
``checks.check_database``, and every order's state must be the last state its audit log
recorded: no step is ever half done.
"""

from __future__ import annotations

import os
import queue
import random
import signal
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path

import peewee
import pytest
from figures import report

from shop_desk.checks import check_database
from shop_desk.db import close_database, open_database
from shop_desk.models import AuditLog, RepairOrder

WORKER = Path(__file__).with_name("crash_worker.py")
KILLS = int(os.environ.get("SHOP_DESK_CRASH_KILLS", "25"))
SLOW_KILLS = int(os.environ.get("SHOP_DESK_CRASH_SLOW_KILLS", "2000"))


@dataclass
class Figures:
    kills: int = 0
    mid_transaction: int = 0
    inside_sqlite: int = 0
    during_start: int = 0
    steps: int = 0
    transactions: int = 0
    orders_before: int = 0
    orders_after: int = 0
    audit_rows: int = 0
    states: dict[str, int] = field(default_factory=dict)


class Worker:
    """The crash worker server; forks one worker per run."""

    def __init__(self, log: Path) -> None:
        self.log = log
        self._log = log.open("w")
        self.proc = subprocess.Popen(
            [sys.executable, str(WORKER)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._log,
            text=True,
            encoding="utf-8",
        )
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self) -> None:
        for line in self.proc.stdout:
            self.lines.put(line.rstrip("\n"))
        self.lines.put("<eof>")

    def read(self) -> str:
        line = self.lines.get(timeout=120)
        if line == "<eof>":
            raise RuntimeError("the crash worker server died:\n" + self.log.read_text())
        return line

    def run(self, path: Path, seed: int, mode: str, n: int, figures: Figures) -> None:
        """One worker life: start it, let it work, kill it (or let it kill itself)."""
        self.proc.stdin.write(f"run {path} {seed} {mode} {n}\n")
        self.proc.stdin.flush()
        pid, seen, last_marker, ready, killed = None, 0, "E", False, False
        while True:
            line = self.read()
            if line.startswith("pid "):
                pid = int(line.split()[1])
            elif line.startswith("exit "):
                code = int(line.split()[2])
                break
            elif line.startswith("crash "):
                raise AssertionError(f"the flow crashed: {line}\n{self.log.read_text()}")
            else:
                seen += 1
                if line in ("B", "E"):
                    last_marker = line
                    figures.transactions += line == "E"
                elif line == "ready":
                    ready = True
                elif line.startswith("S "):
                    figures.steps += 1
                elif line == "self-kill":
                    figures.inside_sqlite += 1
            if mode == "timer" and not killed and pid is not None and seen >= n:
                os.kill(pid, signal.SIGKILL)
                killed = True
        assert code == -signal.SIGKILL, (
            f"the worker ended with {code}, not by the kill:\n{self.log.read_text()}"
        )
        figures.kills += 1
        figures.mid_transaction += last_marker == "B"
        figures.during_start += not ready

    def close(self) -> None:
        self.proc.stdin.write("quit\n")
        self.proc.stdin.flush()
        self.proc.wait(timeout=60)
        self._log.close()


def audit_problems(db) -> list[str]:
    """Orders whose state is not the last state their audit log recorded (or none at all)."""
    rows = db.execute_sql(
        """
        SELECT o.number, o.state, (
            SELECT json_extract(a."after", '$.state') FROM audit_log AS a
            WHERE a.entity = 'repair_order' AND a.entity_id = o.id AND json_valid(a."after")
              AND json_type(a."after", '$.state') = 'text'
            ORDER BY a.id DESC LIMIT 1)
        FROM repair_order AS o
        """
    ).fetchall()
    return [f"{n}: state {s}, audit log says {logged}" for n, s, logged in rows if s != logged]


def check(path: Path, figures: Figures) -> None:
    db = open_database(path)
    try:
        assert db.execute_sql("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert check_database(db) == []
        assert audit_problems(db) == []
        figures.orders_after = RepairOrder.select().count()
        figures.audit_rows = AuditLog.select().count()
        figures.states = dict(
            RepairOrder.select(RepairOrder.state, peewee.fn.COUNT(RepairOrder.id))
            .group_by(RepairOrder.state)
            .tuples()
        )
    finally:
        close_database()


def _crash_many(path: Path, log: Path, kills: int, seed: int) -> Figures:
    rng = random.Random(seed)
    figures = Figures()
    check(path, figures)
    figures.orders_before = figures.orders_after
    worker = Worker(log)
    try:
        for n in range(kills):
            if rng.random() < 0.5:
                worker.run(
                    path, rng.randrange(10**9), "timer", rng.choice((0, *range(1, 40))), figures
                )
            else:
                worker.run(path, rng.randrange(10**9), "self", rng.randrange(1, 120), figures)
            check(path, figures)
            assert figures.kills == n + 1
            if (n + 1) % 100 == 0:
                print(f"\n{n + 1} kills: {figures}", flush=True)
    finally:
        worker.close()
    print(f"\ncrash safety: {figures}")
    report(
        f"crash safety: {figures.kills} kills survived ({figures.mid_transaction} inside a "
        f"transaction), {figures.transactions} transactions committed, orders "
        f"{figures.orders_before} -> {figures.orders_after}, {figures.audit_rows} audit rows; "
        "integrity_check, shop-desk check and the audit log clean after every kill"
    )
    return figures


def test_killed_station_leaves_a_consistent_database(busy_path, tmp_path):
    figures = _crash_many(busy_path, tmp_path / "worker.log", KILLS, seed=20261102)
    assert figures.kills == KILLS
    assert figures.mid_transaction >= 1, "no kill landed inside a transaction"
    assert figures.transactions > KILLS, "the workers hardly worked"
    assert figures.audit_rows > 0


@pytest.mark.slow
def test_killed_station_thousands_of_times(busy_path, tmp_path):
    figures = _crash_many(busy_path, tmp_path / "worker.log", SLOW_KILLS, seed=7)
    assert figures.kills == SLOW_KILLS
    assert figures.mid_transaction >= SLOW_KILLS // 10
