"""Noticing that another station changed the shop database, cheaply enough to poll often.

Display-only screens (the workshop board, the appointment list, an order opened read-only)
ask :meth:`ChangeWatcher.changed` from a timer and reload only when it says so. It reads
``PRAGMA data_version`` on a connection of its own, opened read-only: SQLite changes that
number whenever *another* connection commits, so polling costs a few microseconds when
nothing happened (plus a ``stat`` of the file, which notices a restore that put another
file in its place) and never takes a lock or blocks a writer. Commits made through the app's
own main connection count as "other" too (it is a different connection), which is what a
display wants: it shows every saved change, whoever saved it.

No Qt here; the GUI wraps it in a QTimer.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from types import TracebackType

from shop_desk.db import database
from shop_desk.paths import sqlite_read_only_uri


class ChangeWatcher:
    """Tells whether the database file at ``path`` was changed since the last call.

    ``path`` defaults to the file the models are bound to (SQLite only). The first call of
    :meth:`changed` after construction returns False: the caller has just loaded its data.
    """

    def __init__(self, path: str | Path | None = None) -> None:
        if path is None:
            obj = database.obj
            if not isinstance(getattr(obj, "database", None), str):
                raise ValueError("ChangeWatcher needs an SQLite database file")
            path = obj.database
        self.path = Path(path)
        #: Set when the file was replaced by another one (a restore from a backup) since the
        #: watcher was made; the window that reads it clears it.
        self.replaced = False
        self._conn: sqlite3.Connection | None = None
        self._open()

    def _open(self) -> None:
        self._identity = self._file_identity()
        self._conn = sqlite3.connect(
            sqlite_read_only_uri(self.path), uri=True, isolation_level=None, check_same_thread=False
        )
        self._conn.execute("PRAGMA query_only = 1")
        self._last = self._version()

    def _file_identity(self) -> tuple[int, int] | None:
        try:
            info = os.stat(self.path)
        except OSError:
            return None
        return info.st_dev, info.st_ino

    def _version(self) -> int:
        if self._conn is None:
            raise RuntimeError("the ChangeWatcher is closed")
        return int(self._conn.execute("PRAGMA data_version").fetchone()[0])

    def changed(self) -> bool:
        """True once for each batch of commits other connections made since the last call,
        and once when the file was replaced by another (then :attr:`replaced` is set and the
        watcher follows the new file)."""
        if self._file_identity() != self._identity:
            self.close()
            self._open()
            self.replaced = True
            return True
        current = self._version()
        if current != self._last:
            self._last = current
            return True
        return False

    def reset(self) -> None:
        """Forget pending changes (call after reloading for another reason)."""
        self._last = self._version()

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def __enter__(self) -> ChangeWatcher:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
