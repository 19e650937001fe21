"""Another PC on the shared PostgreSQL database, as a process the tests drive over a pipe.

``python pg_station.py station URL``: one JSON command per line on stdin, one answer per
line on stdout (no sleeps: each answer comes when the step is done):

- ``{"op": "clock", "at": ISO}``: pin this station's clock.
- ``{"op": "call", "service": NAME, "actor": LOGIN, "args": [...], "kwargs": {...}}``: run a
  registered service; ``{"ok": true, "id": ...}`` or ``{"ok": false, "error": CLASS,
  "message": TEXT}``.
- ``{"op": "quit"}``.

``python pg_station.py board URL``: a display PC. Prints ``{"ready": true}`` once it
listens, then ``{"changed": true, "reconnects": N}`` for every change it is told of.
"""

from __future__ import annotations

import datetime as dt
import importlib
import json
import pkgutil
import sys
from typing import Any


def _reply(data: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def station(url: str) -> None:
    import shop_desk.services
    from shop_desk import clock
    from shop_desk.db import open_database
    from shop_desk.errors import DomainError
    from shop_desk.models import Staff
    from shop_desk.services.base import REGISTRY

    for info in pkgutil.iter_modules(shop_desk.services.__path__):
        importlib.import_module(f"shop_desk.services.{info.name}")
    open_database(url, migrate=False)
    _reply({"ready": True})
    for line in sys.stdin:
        cmd = json.loads(line)
        if cmd["op"] == "clock":
            clock.set_now(dt.datetime.fromisoformat(cmd["at"]))
            _reply({"ok": True})
        elif cmd["op"] == "call":
            actor = Staff.get(Staff.login == cmd["actor"])
            try:
                result = REGISTRY[cmd["service"]].func(
                    actor, *cmd.get("args", []), **cmd.get("kwargs", {})
                )
            except DomainError as exc:
                _reply({"ok": False, "error": type(exc).__name__, "message": str(exc)})
            else:
                _reply({"ok": True, "id": getattr(result, "id", None)})
        elif cmd["op"] == "quit":
            break


def board(url: str) -> None:
    from shop_desk.changes_pg import make_watcher

    watcher = make_watcher(url)
    _reply({"ready": True})
    while True:
        if watcher.wait(60):
            _reply({"changed": True, "reconnects": watcher.reconnects})


if __name__ == "__main__":
    {"station": station, "board": board}[sys.argv[1]](sys.argv[2])
