"""Backups: online copy of a live database, rotation, checked restore."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest

from shop_desk import backup
from shop_desk.errors import DomainError
from shop_desk.models import Customer


def test_backup_of_a_live_database_and_restore(db, db_path, tmp_path):
    Customer.create(name="备份前 Before", phone="13800000001")
    folder = tmp_path / "bk"
    seen = []
    made = backup.take_backup(db_path, folder, progress=lambda done, total: seen.append((done, total)))
    assert made.exists() and seen and seen[-1][0] == seen[-1][1]
    assert backup.integrity_ok(made) == (True, "ok")
    Customer.create(name="备份后 After", phone="13800000002")
    db.close()
    aside = backup.restore(made, db_path)
    assert aside.exists()
    con = sqlite3.connect(db_path)
    names = {r[0] for r in con.execute("select name from customer")}
    con.close()
    assert "备份前 Before" in names and "备份后 After" not in names
    con = sqlite3.connect(aside)
    assert con.execute("select count(*) from customer where name='备份后 After'").fetchone()[0] == 1
    con.close()


def test_damaged_backup_is_refused_and_nothing_changes(db, db_path, tmp_path):
    bad = tmp_path / "shop-desk-20260101-000000.db"
    bad.write_bytes(b"SQLite format 3\x00" + b"\x00" * 100 + b"garbage" * 500)
    before = db_path.read_bytes()
    db.close()
    with pytest.raises(DomainError, match="damaged"):
        backup.restore(bad, db_path)
    assert db_path.read_bytes() == before


def test_rotation_keeps_14_daily_and_12_monthly(tmp_path):
    start = dt.datetime(2025, 1, 1, 12, 0, 0)
    for i in range(500):  # two backups a day for 250 days
        when = start + dt.timedelta(hours=12 * i)
        (tmp_path / f"shop-desk-{when:%Y%m%d-%H%M%S}.db").write_bytes(b"x")
    backup.rotate(tmp_path)
    kept = backup.list_backups(tmp_path)
    days = {b.taken_at.date() for b in kept}
    newest = max(days)
    assert all((newest - dt.timedelta(days=d)) in days for d in range(14))
    assert len({(b.taken_at.year, b.taken_at.month) for b in kept}) == 9  # Jan..Sep 2025: all kept
    assert len(kept) == len(days)  # one per day kept at most
    assert len(kept) <= 14 + 12
