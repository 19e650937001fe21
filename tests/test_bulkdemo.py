"""The large-shop generator (benchmarks' ten-year database) on a small scale: a sound file with
the schema's indexes and search index, the same shop from the same seed."""

from __future__ import annotations

import datetime as dt
import hashlib
import sqlite3
from pathlib import Path

from shop_desk import search_index
from shop_desk.bulkdemo import build_large
from shop_desk.db import close_database, database, open_database
from shop_desk.services.search import search

TODAY = dt.date(2026, 11, 2)
#: Tables whose rows the generator writes (staff PIN hashes are salted, so not compared).
TABLES = (
    "customer",
    "vehicle",
    "repair_order",
    "job_line",
    "inspection",
    "appointment",
    "clock_event",
    "qc_check",
    "settlement",
    "payment",
    "gate_pass",
    "follow_up",
    "complaint",
    "recommendation",
    "odometer_reading",
)


def _digest(path: Path) -> str:
    con = sqlite3.connect(path)
    try:
        digest = hashlib.sha1()
        for table in TABLES:
            for row in con.execute(f'SELECT * FROM "{table}" ORDER BY id'):
                digest.update(repr(row).encode())
        return digest.hexdigest()
    finally:
        con.close()


def _schema(path: Path, kind: str) -> set[str]:
    con = sqlite3.connect(path)
    try:
        return {
            name
            for (name,) in con.execute(
                "SELECT name FROM sqlite_master WHERE type = ? AND sql IS NOT NULL", (kind,)
            )
        }
    finally:
        con.close()


def test_small_build_is_sound_complete_and_repeatable(tmp_path, fixed_clock):
    first, second, fresh = tmp_path / "a.db", tmp_path / "b.db", tmp_path / "fresh.db"
    counts = build_large(first, seed=7, years=1, orders_per_day=3, today=TODAY)
    assert counts["orders"] > 700 and counts["lines"] > 5 * counts["orders"]
    build_large(second, seed=7, years=1, orders_per_day=3, today=TODAY)
    assert _digest(first) == _digest(second)

    con = sqlite3.connect(first)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert con.execute("PRAGMA foreign_key_check").fetchall() == []
        assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        states = dict(con.execute("SELECT state, COUNT(*) FROM repair_order GROUP BY state"))
        open_follow_ups = con.execute(
            "SELECT COUNT(*) FROM follow_up WHERE state = 'open'"
        ).fetchone()[0]
        booked = con.execute("SELECT COUNT(*) FROM appointment WHERE status = 'booked'").fetchone()
        unsettled_closed = con.execute(
            "SELECT COUNT(*) FROM repair_order o WHERE o.state = 'closed' AND NOT EXISTS "
            "(SELECT 1 FROM settlement s WHERE s.order_id = o.id)"
        ).fetchone()[0]
    finally:
        con.close()
    assert states["closed"] > 650 and states.get("in_progress", 0) >= 1
    assert states.get("left", 0) >= 1 and open_follow_ups >= 1  # the last days' calls are due
    assert booked[0] >= 1
    assert unsettled_closed == 0

    open_database(fresh)  # a new file made by the app: the same indexes and triggers
    close_database()
    assert _schema(first, "index") == _schema(fresh, "index")
    assert _schema(first, "trigger") == _schema(fresh, "trigger")

    open_database(first)
    try:
        # the generated history keeps the process rules `shop-desk check` checks
        from shop_desk.checks import check_database

        assert check_database(database.obj) == []
        # the generator writes the search index's text itself: the same as rebuild makes
        text = "SELECT rowid, body FROM search_text ORDER BY rowid"
        filled = database.obj.execute_sql(text).fetchall()
        with database.obj.atomic():
            search_index.rebuild(database.obj)
        assert database.obj.execute_sql(text).fetchall() == filled
        plate, vin, number = (
            sqlite3.connect(first)
            .execute(
                "SELECT v.plate, v.vin, o.number FROM repair_order o "
                "JOIN vehicle v ON v.id = o.vehicle_id ORDER BY o.id DESC LIMIT 1"
            )
            .fetchone()
        )
        assert search_index.available(database.obj)
        assert any(h.kind == "vehicle" and h.title.replace("·", "") == plate for h in search(plate))
        assert any(h.kind == "vehicle" for h in search(vin[-6:]))
        assert any(h.kind == "order" and h.title == number for h in search(number[2:]))
    finally:
        close_database()
