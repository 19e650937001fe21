"""Which database change watcher a window uses: one per window, for the board, the
workshop display and the main window's notices (see :mod:`shop_desk.changes`)."""

from __future__ import annotations

import logging
from typing import Any

from shop_desk.db import is_postgres_url

log = logging.getLogger(__name__)


def current_db_target() -> str | None:
    """What the app works on, for a change watcher: the SQLite file, or the server's URL
    (None for an in-memory database)."""
    import peewee

    from shop_desk import db as dbmod

    obj = dbmod.database.obj
    if isinstance(obj, peewee.PostgresqlDatabase):  # a server: its URL (LISTEN/NOTIFY)
        return dbmod.database_url(obj)
    if isinstance(obj, peewee.SqliteDatabase):
        name = str(obj.database)
        if name and name != ":memory:" and not name.startswith("file::memory:"):
            return name
    return None


def make_watcher(path: str | None) -> Any:
    """The change watcher for the database at ``path``: :class:`shop_desk.changes.ChangeWatcher`
    for an SQLite file, :class:`shop_desk.changes_pg.PgChangeWatcher` (LISTEN/NOTIFY) for a
    ``postgresql://`` URL; None when unavailable (the caller then polls slowly)."""
    if path is None:
        return None
    try:
        if is_postgres_url(path):
            from shop_desk.changes_pg import PgChangeWatcher as Watcher
        else:
            from shop_desk.changes import ChangeWatcher as Watcher
    except ImportError:
        log.warning("no change watcher available; falling back to slower polling")
        return None
    try:
        return Watcher(path)
    except Exception:  # no file yet, no access, server away: fall back to the slow poll
        log.exception("cannot watch the database for changes")
        return None


def close_watcher(watcher: Any) -> None:
    close = getattr(watcher, "close", None)
    if callable(close):
        try:
            close()
        except Exception:  # closing a watcher on a vanished file must not crash the page
            log.debug("closing the change watcher failed", exc_info=True)
