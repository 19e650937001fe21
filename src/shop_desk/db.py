"""Opening the database: SQLite (WAL, foreign keys, busy timeout) behind one Peewee proxy.

Every model binds to :data:`database`; :func:`open_database` points it at a file and brings
the schema up to date (see :mod:`shop_desk.migrations`).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import peewee

database = peewee.DatabaseProxy()

SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "busy_timeout": 10000,
    "synchronous": "normal",
    "cache_size": -32000,
}


def connect_sqlite(path: str | Path) -> peewee.SqliteDatabase:
    db = peewee.SqliteDatabase(str(path), pragmas=SQLITE_PRAGMAS, timeout=10)
    db.connect(reuse_if_open=True)
    return db


def make_database(url: str | Path) -> peewee.Database:
    """A database object for a path or URL (``sqlite:///path``; plain paths are SQLite)."""
    text = str(url)
    if text.startswith("sqlite:///"):
        text = text[len("sqlite:///") :]
    return connect_sqlite(text)


def open_database(url: str | Path, migrate: bool = True) -> peewee.Database:
    """Bind the models to ``url`` and (by default) create or upgrade the schema."""
    db = make_database(url)
    database.initialize(db)
    if migrate:
        from shop_desk.migrations import ensure_schema

        ensure_schema(db, str(url))
    return db


def close_database() -> None:
    obj = database.obj
    if obj is not None and not obj.is_closed():
        obj.close()


def is_sqlite(db: peewee.Database | None = None) -> bool:
    db = db or database.obj
    return isinstance(db, peewee.SqliteDatabase)


@contextlib.contextmanager
def write_transaction() -> Iterator[None]:
    """One atomic unit of work. On SQLite the write lock is taken up front (BEGIN IMMEDIATE)
    so two stations never deadlock half-way through a step."""
    db = database.obj
    if db.in_transaction():
        with db.atomic():
            yield
    elif is_sqlite(db):
        with db.atomic("IMMEDIATE"):
            yield
    else:
        with db.atomic():
            yield
