"""Durability (issue 17 item 11): a committed payment, settlement and gate pass survive a
power cut. What a power cut drops is what the database had not yet forced to the disk at
commit, so the test asserts the setting that decides it, read on the very connection and
inside the very transaction of each of those services, just before it commits: SQLite's
``synchronous`` must be FULL (WAL synced at every commit; NORMAL may lose the last commits),
PostgreSQL's ``synchronous_commit`` must be on (the test server runs with it off, as a
speed-minded administrator might)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from factories import make_order
from shop_desk.db import database, is_sqlite, write_transaction
from shop_desk.services import base, checkout
from shop_desk.states import State

SQLITE_FULL = 2


def _durability() -> object:
    db = database.obj
    if is_sqlite(db):
        return db.execute_sql("PRAGMA synchronous").fetchone()[0]
    return db.execute_sql("SHOW synchronous_commit").fetchone()[0]


def test_payment_settlement_and_gate_pass_commit_durably(db, staff, monkeypatch):
    seen: list[tuple[str, object]] = []

    @contextlib.contextmanager
    def observed() -> Iterator[None]:
        with write_transaction():
            yield
            seen.append(("commit", _durability()))  # what the commit about to happen uses

    monkeypatch.setattr(base, "write_transaction", observed)
    order = make_order(State.DELIVERED)
    due = checkout.settlement_preview(order).due
    checkout.take_payment(staff["cashier"], order, "cash", due, tendered=due)
    checkout.settle(staff["cashier"], order)
    checkout.issue_gate_pass(staff["cashier"], order)
    durable = SQLITE_FULL if is_sqlite(db) else "on"
    assert seen == [("commit", durable)] * 3
