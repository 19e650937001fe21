"""Opening the database behind one Peewee proxy: an SQLite file (WAL, foreign keys, busy
timeout) on a single PC, or a PostgreSQL server (``postgresql://user:pass@host:5432/db``)
shared by several PCs.

Every model binds to :data:`database` (the proxy is defined beside the models' base class,
:mod:`shop_desk.models.base`, so the models need nothing from here); :func:`open_database`
points it at a file or server and brings the schema up to date (see
:mod:`shop_desk.migrations`).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import peewee

# the URL helpers live apart so the windows before the database need no peewee; kept here too
from shop_desk.dburl import POSTGRES_PREFIXES as POSTGRES_PREFIXES
from shop_desk.dburl import is_postgres_url as is_postgres_url
from shop_desk.dburl import redacted as redacted
from shop_desk.dburl import sqlite_file as sqlite_file
from shop_desk.models.base import database

#: Durability: every commit is on the disk before the service returns, so a payment taken,
#: a settlement or a gate pass issued survives a power cut at the cashier's PC the moment
#: the screen says so. In WAL mode ``synchronous=FULL`` syncs the WAL at each commit, where
#: ``NORMAL`` syncs only at checkpoints and may lose the last commits when the power fails
#: (never the file's consistency). Set for the whole connection rather than around the money
#: steps: one transaction often does both (settling also moves the order), and a lost
#: check-in or 增项 approval is a loss too. The cost is one fsync per commit: 0.03 -> 0.45 ms
#: per commit measured on the development PC's SSD (a few ms on a hard disk), invisible at a
#: desk's pace of a few saves a minute. Bulk loaders (the demo builder) switch it off for
#: their own connection and put :data:`SQLITE_SYNCHRONOUS` back when done.
SQLITE_SYNCHRONOUS = "full"

SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "busy_timeout": 10000,
    "synchronous": SQLITE_SYNCHRONOUS,
    "cache_size": -32000,
}


def connect_sqlite(path: str | Path) -> peewee.SqliteDatabase:
    db = peewee.SqliteDatabase(str(path), pragmas=SQLITE_PRAGMAS, timeout=10)
    db.connect(reuse_if_open=True)
    return db


#: libpq settings of every shop-desk connection: fail fast when the server is unreachable,
#: notice a silently dropped network within about 20 s (TCP keepalives), name the program
#: in pg_stat_activity, and commit durably: ``synchronous_commit=on`` whatever the server's
#: default (an administrator may turn it off for speed; a payment the cashier has seen saved
#: must not vanish when the server loses power), the counterpart of SQLite's
#: :data:`SQLITE_SYNCHRONOUS`.
PG_CONNECT_OPTIONS = {
    "connect_timeout": 5,
    "keepalives": 1,
    "keepalives_idle": 10,
    "keepalives_interval": 3,
    "keepalives_count": 3,
    "application_name": "shop-desk",
    "options": "-c synchronous_commit=on",
}


def postgres_url(url: str | Path) -> str:
    """``url`` with the ``postgresql://`` scheme (Peewee's driver adapter wants that one)."""
    text = str(url).strip()
    if text.lower().startswith("postgres://"):
        text = "postgresql://" + text[len("postgres://") :]
    return text


def _connection_lost(conn: object) -> bool:
    """True when the driver has given up on ``conn`` (server restarted, network gone)."""
    return conn is None or bool(getattr(conn, "closed", 0))


_BYTES_TYPE = None


def _bytes_type():  # type: ignore[no-untyped-def]
    """A psycopg2 type caster reading BYTEA as bytes."""
    global _BYTES_TYPE
    if _BYTES_TYPE is None:
        import psycopg2
        import psycopg2.extensions

        def cast(value, cursor):  # type: ignore[no-untyped-def]
            view = psycopg2.BINARY(value, cursor)
            return None if view is None else bytes(view)

        _BYTES_TYPE = psycopg2.extensions.new_type(psycopg2.BINARY.values, "SHOP_BYTES", cast)
    return _BYTES_TYPE


def _without_nul(params):  # type: ignore[no-untyped-def]
    """Query parameters with NUL in text replaced by U+FFFD (which no lookup expects)."""
    if not params:
        return params
    return [p.replace("\x00", "\ufffd") if isinstance(p, str) else p for p in params]


def _is_read(sql: str) -> bool:
    return sql.lstrip().upper().startswith(("SELECT", "SHOW"))


class ShopPostgresqlDatabase(peewee.PostgresqlDatabase):
    """PostgreSQL that reconnects by itself when its connection was lost *between*
    transactions (the server restarted, the network dropped): a read outside a transaction
    or the BEGIN of the next transaction runs again on a new connection. A connection lost
    inside a transaction is not hidden: that transaction fails (the server rolls it back)."""

    #: Peewee's default for FloatField on PostgreSQL is REAL (7 digits); SQLite keeps 15.
    field_types = {**peewee.PostgresqlDatabase.field_types, "FLOAT": "DOUBLE PRECISION"}

    def __init__(self, url: str, **kwargs: object) -> None:
        self.url = postgres_url(url)
        options = {**PG_CONNECT_OPTIONS, **kwargs}
        super().__init__(self.url, **options)

    def _initialize_connection(self, conn) -> None:  # type: ignore[no-untyped-def]
        """BYTEA as ``bytes`` (psycopg2 gives memoryview), like SQLite's BLOBs."""
        super()._initialize_connection(conn)
        import psycopg2.extensions

        psycopg2.extensions.register_type(_bytes_type(), conn)

    def _reconnect_if_lost(self) -> bool:
        if self.in_transaction() or self.is_closed() or not _connection_lost(self._state.conn):
            return False
        self.close()
        self.connect()
        return True

    def execute_sql(self, sql, params=None):  # type: ignore[override]
        try:
            return self._execute_reconnecting(sql, params)
        except ValueError as exc:
            # PostgreSQL text cannot hold NUL, so the driver refuses such a parameter before
            # sending it. Nothing stored contains one: a lookup finds nothing (as on SQLite);
            # a write is a database error like any other (the services refuse NUL first).
            if "NUL" not in str(exc):
                raise
            if not _is_read(sql):
                raise peewee.DataError(str(exc)) from exc
        return self._execute_reconnecting(sql, _without_nul(params))

    def _execute_reconnecting(self, sql, params):  # type: ignore[no-untyped-def]
        try:
            return super().execute_sql(sql, params)
        except (peewee.OperationalError, peewee.InterfaceError):
            # Only a read is run again: a write whose connection died may have committed.
            if not _is_read(sql) or not self._reconnect_if_lost():
                raise
        return super().execute_sql(sql, params)

    def begin(self, isolation_level=None):  # type: ignore[override]
        try:
            return super().begin(isolation_level)
        except (peewee.OperationalError, peewee.InterfaceError):
            if not self._reconnect_if_lost():
                raise
        return super().begin(isolation_level)


def connect_postgres(url: str) -> ShopPostgresqlDatabase:
    db = ShopPostgresqlDatabase(url)
    db.connect(reuse_if_open=True)
    return db


def make_database(url: str | Path) -> peewee.Database:
    """A database object for a path or URL (``sqlite:///path`` or a plain path: SQLite;
    ``postgresql://user:password@host:5432/dbname``: PostgreSQL)."""
    text = str(url)
    if is_postgres_url(text):
        return connect_postgres(text)
    if text.startswith("sqlite:///"):
        text = text[len("sqlite:///") :]
    return connect_sqlite(text)


#: PostgreSQL advisory lock key of the schema work ("shopdesk" in ASCII).
SCHEMA_LOCK = 0x73686F706465736B


@contextlib.contextmanager
def schema_lock(db: peewee.Database) -> Iterator[None]:
    """One PC at a time creates or upgrades the schema on a server: when every PC starts at
    once on a new or just-upgraded database, the others wait here and then find it done.
    (SQLite serialises this with its own write lock.)"""
    if not is_postgres(db):
        yield
        return
    db.execute_sql("SELECT pg_advisory_lock(%s)", (SCHEMA_LOCK,))
    try:
        yield
    finally:
        if not _connection_lost(db._state.conn):
            db.execute_sql("SELECT pg_advisory_unlock(%s)", (SCHEMA_LOCK,))


def open_database(url: str | Path, migrate: bool = True) -> peewee.Database:
    """Bind the models to ``url`` and (by default) create or upgrade the schema.

    For an SQLite file this process is first recorded as having the shop open (see
    :mod:`shop_desk.presence`): a restore refuses while it is, and opening is refused while
    a restore runs."""
    path = sqlite_file(url)
    if path is not None:
        from shop_desk import presence

        presence.join(path)
    db = make_database(url)
    database.initialize(db)
    if migrate:
        from shop_desk.migrations import (
            LATEST,
            ensure_schema,
            restore_protection,
            schema_version,
        )

        with schema_lock(db):
            before = schema_version(db)
            ensure_schema(db, str(url))
            restore_protection(db)
            if before != LATEST and is_postgres(db):
                # created or upgraded just now: the server's extras cover every new table
                # and column too (unbounded text, change notifications), whatever the step
                from shop_desk import postgres

                with db.atomic():
                    postgres.install(db)
    return db


def close_database() -> None:
    obj = database.obj
    if obj is not None and not obj.is_closed():
        obj.close()
    path = sqlite_file(database_url(obj)) if obj is not None else None
    if path is not None:
        from shop_desk import presence

        presence.leave(path)


def is_sqlite(db: peewee.Database | None = None) -> bool:
    db = db or database.obj
    return isinstance(db, peewee.SqliteDatabase)


def is_postgres(db: peewee.Database | None = None) -> bool:
    db = db or database.obj
    return isinstance(db, peewee.PostgresqlDatabase)


def database_url(db: peewee.Database | None = None) -> str | None:
    """The file path or server URL ``db`` (default: the open database) was opened from."""
    db = db or database.obj
    if db is None:
        return None
    if isinstance(db, ShopPostgresqlDatabase):
        return db.url
    name = getattr(db, "database", None)
    return str(name) if name else None


@contextlib.contextmanager
def write_transaction() -> Iterator[None]:
    """One atomic unit of work. On SQLite the write lock is taken up front (BEGIN IMMEDIATE)
    so two stations never deadlock half-way through a step. On PostgreSQL the transaction is
    SERIALIZABLE: two stations' steps behave as if run one after the other, and when they
    collide the server aborts one with a serialization failure, which the services retry as
    a whole (see :func:`shop_desk.services.base.retry_when_busy`)."""
    db = database.obj
    if db.in_transaction():
        with db.atomic():
            yield
    elif is_sqlite(db):
        with db.atomic("IMMEDIATE"):
            yield
    elif is_postgres(db):
        with db.atomic("SERIALIZABLE"):
            yield
    else:
        with db.atomic():
            yield
