"""A second station: another process working on the same shop database.

Driven by the tests over a pipe, one JSON object per line each way (no sleeps: every step
answers when it is done):

- ``{"op": "clock", "at": ISO}``: pin this station's clock.
- ``{"op": "call", "service": NAME, "actor": LOGIN, "args": [...], "kwargs": {...}}``: run an
  operation of ``services.base.REGISTRY``; ``{"$dt": ISO}`` in the arguments is a datetime.
  Answer ``{"ok": true, "id": ...}`` or ``{"ok": false, "error": CLASS, "message": TEXT}``.
- ``{"op": "lock"}``: take the write lock with a raw ``BEGIN IMMEDIATE`` and hold it;
  ``{"op": "release"}`` commits and lets go.
- ``{"op": "version", "order": ID}``: the order's version as this station reads it.
- ``{"op": "quit"}``.

Run as ``python station.py DB_PATH``.
"""

from __future__ import annotations

import datetime as dt
import json
import queue
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))


def _decode(value: Any) -> Any:
    if isinstance(value, dict) and set(value) == {"$dt"}:
        return dt.datetime.fromisoformat(value["$dt"])
    if isinstance(value, list):
        return [_decode(v) for v in value]
    if isinstance(value, dict):
        return {k: _decode(v) for k, v in value.items()}
    return value


def _reply(data: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def main(path: str) -> None:
    from busy_shop import load_registry

    from shop_desk import clock
    from shop_desk.db import open_database
    from shop_desk.errors import DomainError
    from shop_desk.models import RepairOrder, Staff

    open_database(path)
    registry = load_registry()
    raw: sqlite3.Connection | None = None
    _reply({"ready": True})
    for line in sys.stdin:
        cmd = json.loads(line)
        op = cmd["op"]
        if op == "clock":
            clock.set_now(dt.datetime.fromisoformat(cmd["at"]))
            _reply({"ok": True})
        elif op == "call":
            actor = Staff.get(Staff.login == cmd["actor"])
            try:
                result = registry[cmd["service"]].func(
                    actor, *_decode(cmd.get("args", [])), **_decode(cmd.get("kwargs", {}))
                )
            except DomainError as exc:
                _reply({"ok": False, "error": type(exc).__name__, "message": str(exc)})
            else:
                _reply({"ok": True, "id": getattr(result, "id", None)})
        elif op == "lock":
            raw = sqlite3.connect(path, isolation_level=None)
            raw.execute("BEGIN IMMEDIATE")
            _reply({"locked": True})
        elif op == "release":
            assert raw is not None
            raw.execute("COMMIT")
            raw.close()
            raw = None
            _reply({"released": True})
        elif op == "version":
            _reply({"version": RepairOrder.get_by_id(cmd["order"]).version})
        elif op == "quit":
            break


# ------------------------------------------------------------------ the tests' side


class Station:
    """Another station: a process with its own connection to the same database file."""

    def __init__(self, path: Path, log: Path) -> None:
        self._log = log.open("w")
        self.proc = subprocess.Popen(
            [sys.executable, __file__, str(path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._log,
            text=True,
            encoding="utf-8",
        )
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._pump, daemon=True).start()
        assert self.read()["ready"]

    def _pump(self) -> None:
        for line in self.proc.stdout:
            self.lines.put(line)
        self.lines.put("")

    def send(self, **cmd) -> None:
        self.proc.stdin.write(json.dumps(cmd, ensure_ascii=False) + "\n")
        self.proc.stdin.flush()

    def read(self) -> dict:
        line = self.lines.get(timeout=120)
        if not line:
            raise RuntimeError("the station died: " + Path(self._log.name).read_text())
        return json.loads(line)

    def ask(self, **cmd) -> dict:
        self.send(**cmd)
        return self.read()

    def close(self) -> None:
        if self.proc.poll() is None:
            self.send(op="quit")
            self.proc.wait(timeout=60)
        self._log.close()


if __name__ == "__main__":
    main(sys.argv[1])
