"""Reads of a fixed shape whose SQL text is built once per kind of database, then reused.

Peewee builds the SQL text of a query again on every run by walking its whole expression tree;
for a wide read (a repair order with its customer and car: 88 columns) that is three quarters of
the read's time, and a printed form makes a dozen such reads. A :class:`Prepared` read builds
its query once with stand-in values, keeps the SQL text and, on each run, only puts the real
values in place of the stand-ins. Rows come back exactly as the plain query gives them (model
objects, tuples or dicts, as the query asks).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any

import peewee

from shop_desk.db import database

#: Stand-in of the i-th value by its type; values nobody types or stores.
_STAND_INS: dict[type, Callable[[int], Any]] = {
    str: lambda i: f"\x00shop-desk prepared value {i}\x00",
    int: lambda i: -7_319_000_000_000 - i,
}


class Prepared:
    """A select built by ``build(*values)``; ``kinds`` gives each value's type (str or int).

    Example: ``Prepared(lambda number: Order.select().where(Order.number == number), str)``,
    then ``read.first("RO261127-004")``. Each value must reach the SQL as one parameter, as
    given (compare columns with it; do not compute with it in Python).
    """

    def __init__(self, build: Callable[..., peewee.SelectBase], *kinds: type) -> None:
        unknown = [k for k in kinds if k not in _STAND_INS]
        if unknown:
            raise TypeError(f"Prepared values must be str or int, not {unknown}")
        self._build = build
        self._kinds = kinds
        self._compiled: dict[type, tuple[peewee.SelectBase, str, list, list[tuple[int, int]]]] = {}
        self._lock = threading.Lock()

    def _compile(self, db: peewee.Database) -> tuple[peewee.SelectBase, str, list, list]:
        stand_ins = [_STAND_INS[kind](i) for i, kind in enumerate(self._kinds)]
        query = self._build(*stand_ins)
        sql, params = db.get_sql_context().sql(query).query()
        slots = []
        for i, stand_in in enumerate(stand_ins):
            found = [pos for pos, p in enumerate(params) if p == stand_in]
            if len(found) != 1:
                raise ValueError(f"value {i} of a prepared read reaches the SQL {len(found)} times")
            slots.append((found[0], i))
        return query, sql, list(params), slots

    def rows(self, *values: Any) -> Iterator[Any]:
        """The rows of the query for these values."""
        db = database.obj
        key = type(db)
        compiled = self._compiled.get(key)
        if compiled is None:
            with self._lock:
                compiled = self._compiled.get(key) or self._compile(db)
                self._compiled[key] = compiled
        query, sql, params, slots = compiled
        if slots:
            params = list(params)
            for pos, i in slots:
                params[pos] = values[i]
        return iter(query._get_cursor_wrapper(db.execute_sql(sql, params)))

    def all(self, *values: Any) -> list[Any]:
        return list(self.rows(*values))

    def first(self, *values: Any) -> Any | None:
        """The first row, or None (build the query with ``.limit(1)`` when more could match)."""
        return next(self.rows(*values), None)
