"""Noticing changes made by other PCs on a PostgreSQL server: LISTEN/NOTIFY.

Every shop table has a statement trigger that sends ``NOTIFY shop_desk_changes`` with the
table's name (see :mod:`shop_desk.postgres`); the server delivers it to every listening
connection when the writing transaction commits. :class:`PgChangeWatcher` listens on a
connection of its own and answers :meth:`~PgChangeWatcher.changed` like
:class:`shop_desk.changes.ChangeWatcher` does for an SQLite file: a non-blocking look at
what has arrived (microseconds), so the display and the open windows can ask from a timer
every half second and learn of another station's change within a second.

When the server restarts or the network drops, the watcher's connection dies. The next
:meth:`~PgChangeWatcher.changed` notices it (TCP keepalives expose a silently dropped
network within about 20 seconds) and reconnects, trying again with a growing pause (½ s
up to 10 s) while the server is away. Once it listens again it answers True once: changes
made meanwhile were not announced, so the screen must re-read.

:func:`make_watcher` picks the watcher for a database URL or file; :class:`PgReadOnlyLink`
is the display's read-only connection plus watcher for a server (the counterpart of
``shop_desk.ui.workshop.display.ReadOnlyLink`` for a file). No Qt here.
"""

from __future__ import annotations

import logging
import select
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

import peewee

from shop_desk.db import (  # noqa: F401  (redacted: imported from here by callers)
    PG_CONNECT_OPTIONS,
    database_url,
    is_postgres_url,
    postgres_url,
    redacted,
)
from shop_desk.postgres import CHANNEL

log = logging.getLogger("shop_desk.changes_pg")

#: First and longest pause between reconnection attempts (seconds).
RETRY_MIN, RETRY_MAX = 0.5, 10.0
#: A watcher must never hold up the screen for long while the server is unreachable.
WATCHER_CONNECT_TIMEOUT = 2

T = TypeVar("T")


def _driver():  # type: ignore[no-untyped-def]
    import psycopg2

    return psycopg2


class PgChangeWatcher:
    """Tells whether any station committed a change to the shop database on the server at
    ``url`` since the last call (the first call after construction returns False: the
    caller has just loaded its data). Raises the driver's error if the server cannot be
    reached at construction; after that it reconnects by itself."""

    def __init__(self, url: str, channel: str = CHANNEL) -> None:
        self.url = postgres_url(url)
        self.channel = channel
        self._conn: Any = None
        self._delay = RETRY_MIN
        self._retry_at = 0.0
        self.reconnects = 0
        self._connect()

    # -- connection ------------------------------------------------------------------------
    def _connect(self) -> None:
        psycopg2 = _driver()
        options = {**PG_CONNECT_OPTIONS, "connect_timeout": WATCHER_CONNECT_TIMEOUT}
        options["application_name"] = "shop-desk watcher"
        conn = psycopg2.connect(self.url, **options)
        try:
            conn.autocommit = True
            with conn.cursor() as cur:
                cur.execute(f'LISTEN "{self.channel}"')
        except Exception:
            conn.close()
            raise
        self._conn = conn
        self._delay = RETRY_MIN

    def _drop(self) -> None:
        if self._conn is not None:
            try:
                self._conn.close()
            except Exception:  # closing a dead connection may complain; it is gone anyway
                log.debug("closing the watcher connection failed", exc_info=True)
        self._conn = None

    def _try_reconnect(self) -> bool:
        """One attempt (when the pause is over); True once listening again."""
        now = time.monotonic()
        if now < self._retry_at:
            return False
        try:
            self._connect()
        except _driver().Error as exc:
            self._retry_at = now + self._delay
            log.info(
                "change watcher: server not reachable (%s); next try in %.1f s", exc, self._delay
            )
            self._delay = min(RETRY_MAX, self._delay * 2)
            return False
        self.reconnects += 1
        log.info("change watcher: listening again on %s", self.channel)
        return True

    @property
    def connected(self) -> bool:
        return self._conn is not None

    def fileno(self) -> int | None:
        """The socket to wait on (e.g. with a QSocketNotifier); None while disconnected."""
        return self._conn.fileno() if self._conn is not None else None

    # -- the API ---------------------------------------------------------------------------
    def _drain(self) -> bool:
        """Read what the server sent; True if a notification came. Raises when the
        connection is dead."""
        self._conn.poll()
        if self._conn.notifies:
            self._conn.notifies.clear()
            return True
        return False

    def changed(self) -> bool:
        """True once for each batch of commits since the last call; also True right after
        reconnecting (what happened meanwhile is unknown). Never raises for a lost server."""
        if self._conn is None:
            return self._try_reconnect()
        try:
            return self._drain()
        except (_driver().OperationalError, _driver().InterfaceError) as exc:
            log.warning("change watcher lost the server: %s", exc)
            self._drop()
            self._retry_at = 0.0  # try at once: a restarted server is usually back already
            return self._try_reconnect()

    def wait(self, timeout: float) -> bool:
        """Block until a change arrives (True) or ``timeout`` seconds pass (False); for
        processes without an event loop, and tests."""
        deadline = time.monotonic() + timeout
        while True:
            if self.changed():
                return True
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            if self._conn is None:
                time.sleep(min(left, max(0.05, self._retry_at - time.monotonic())))
            else:
                select.select([self._conn], [], [], min(left, 5.0))

    def reset(self) -> None:
        """Forget pending changes (call after reloading for another reason)."""
        if self._conn is None:
            return
        try:
            self._drain()
        except (_driver().OperationalError, _driver().InterfaceError):
            self._drop()
            self._retry_at = 0.0

    def close(self) -> None:
        self._drop()

    def __enter__(self) -> PgChangeWatcher:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def make_watcher(db_url: str | Path | None = None) -> Any:
    """The change watcher for a database: :class:`PgChangeWatcher` for a
    ``postgresql://`` URL, :class:`shop_desk.changes.ChangeWatcher` for an SQLite file
    (``sqlite:///path`` or a plain path). ``None``: the database the models are bound to."""
    if db_url is None:
        db_url = database_url()
        if db_url is None:
            raise ValueError("no database is open")
    text = str(db_url)
    if is_postgres_url(text):
        return PgChangeWatcher(text)
    from shop_desk.changes import ChangeWatcher

    return ChangeWatcher(text[len("sqlite:///") :] if text.startswith("sqlite:///") else text)


class PgReadOnlyLink:
    """A display's own read-only connection to the shop database on a server, plus its
    change watcher: the same methods as ``shop_desk.ui.workshop.display.ReadOnlyLink``.

    :meth:`read` runs a read function with the models bound to this connection for the
    call only. A lost server surfaces as ``peewee.OperationalError`` from :meth:`connect`
    or :meth:`read`; the display then closes the link and connects again later."""

    def __init__(self, url: str) -> None:
        self.url = postgres_url(url)
        self.path = redacted(self.url)  # "path" as the display calls it (for its log)
        self.db: peewee.Database | None = None
        self.watcher: PgChangeWatcher | None = None

    @property
    def connected(self) -> bool:
        return self.db is not None

    def connect(self) -> None:
        from shop_desk.db import ShopPostgresqlDatabase

        self.close()
        db = ShopPostgresqlDatabase(
            self.url,
            options="-c default_transaction_read_only=on",
            application_name="shop-desk display",
        )
        try:
            db.connect()
            db.execute_sql("SELECT 1 FROM schema_version").fetchone()
            watcher = PgChangeWatcher(self.url)
        except (_driver().Error, peewee.PeeweeException) as exc:
            db.close()
            raise peewee.OperationalError(str(exc)) from exc
        self.db = db
        self.watcher = watcher

    def close(self) -> None:
        if self.watcher is not None:
            self.watcher.close()
        self.watcher = None
        if self.db is not None:
            try:
                self.db.close()
            except Exception:  # closing a connection to a vanished server
                log.debug("closing the display connection failed", exc_info=True)
        self.db = None

    def changed(self) -> bool:
        return bool(self.watcher.changed()) if self.watcher is not None else True

    def reset(self) -> None:
        if self.watcher is not None:
            self.watcher.reset()

    def read(self, fn: Callable[..., T], *args: Any) -> T:
        if self.db is None:
            raise peewee.OperationalError("the display is not connected")
        from shop_desk.models import ALL_MODELS

        try:
            with self.db.bind_ctx(ALL_MODELS, bind_refs=False, bind_backrefs=False):
                return fn(*args)
        except peewee.InterfaceError as exc:  # the connection is gone: the display reconnects
            raise peewee.OperationalError(str(exc)) from exc
