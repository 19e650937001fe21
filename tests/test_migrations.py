"""Opening a database made by the oldest schema upgrades it safely; newer ones are refused."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import peewee
import pytest

from shop_desk import migrations
from shop_desk.checks import check_database
from shop_desk.db import close_database, open_database
from shop_desk.errors import DomainError
from shop_desk.models import ALL_MODELS, AuditLog, JobLine, RepairOrder, Staff
from shop_desk.services.auth import verify_pin

FIXTURE = Path(__file__).parent / "fixtures" / "shopdesk-schema-v1.sqlite3"


def _version(path: Path) -> int:
    con = sqlite3.connect(path)
    try:
        return con.execute("SELECT version FROM schema_version").fetchone()[0]
    finally:
        con.close()


@pytest.fixture
def v1_copy(tmp_path: Path) -> Path:
    """A copy of the committed v1 database (the committed file itself is never opened)."""
    target = tmp_path / "shop.sqlite3"
    shutil.copy(FIXTURE, target)
    return target


@pytest.fixture
def upgraded(v1_copy: Path):
    db = open_database(v1_copy)
    yield db
    close_database()


def test_fixture_is_the_oldest_schema():
    assert _version(FIXTURE) == 1
    assert migrations.LATEST > 1


def test_upgrade_reaches_latest_and_keeps_the_data(upgraded):
    assert migrations.schema_version(upgraded) == migrations.LATEST
    assert Staff.select().count() == 15
    assert verify_pin("1234", Staff.get(Staff.login == "advisor").pin_hash)
    order = RepairOrder.get(RepairOrder.number == "RO261001-001")
    assert order.state == "checked_in"
    assert order.vehicle.plate == "沪A12345"
    assert order.customer.name == "王先生 Mr Wang"
    assert [line.description for line in JobLine.select().where(JobLine.order == order)] == [
        "5000公里常规保养 5,000 km service"
    ]
    assert AuditLog.select().count() > 0
    assert check_database(upgraded) == []


def test_upgraded_tables_have_every_model_column(upgraded):
    """Columns added to the models since v1 are added by the upgrade (without a rebuild)."""
    for model in ALL_MODELS:
        have = {c.name for c in upgraded.get_columns(model._meta.table_name)}
        want = {f.column_name for f in model._meta.sorted_fields}
        assert want <= have, (model.__name__, want - have)


def test_backup_taken_before_migrating(v1_copy: Path):
    open_database(v1_copy)
    close_database()
    backups = list(
        v1_copy.parent.glob(f"{v1_copy.stem}.before-v{migrations.LATEST}-*{v1_copy.suffix}")
    )
    assert len(backups) == 1
    assert _version(backups[0]) == 1
    assert _version(v1_copy) == migrations.LATEST
    con = sqlite3.connect(backups[0])
    try:
        assert con.execute("SELECT number FROM repair_order").fetchall() == [("RO261001-001",)]
    finally:
        con.close()


def test_audit_log_is_append_only_after_upgrade(upgraded, v1_copy: Path):
    con = sqlite3.connect(FIXTURE)
    try:  # v1 had no protection
        triggers = con.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall()
    finally:
        con.close()
    assert triggers == []
    first = AuditLog.select().order_by(AuditLog.id).first()
    with pytest.raises(peewee.DatabaseError, match="append-only"):
        AuditLog.update(action="forged").where(AuditLog.id == first.id).execute()
    with pytest.raises(peewee.DatabaseError, match="append-only"):
        AuditLog.delete().where(AuditLog.id == first.id).execute()
    assert AuditLog.get_by_id(first.id).action == first.action
    AuditLog.create(action="still_appendable", entity="", after="")


def test_missing_column_is_added_with_its_default(tmp_path: Path):
    """A v1 database without a column the models now have gets it, existing rows defaulted."""
    path = tmp_path / "old.sqlite3"
    shutil.copy(FIXTURE, path)
    con = sqlite3.connect(path)
    con.execute("ALTER TABLE repair_order DROP COLUMN parking_spot")
    con.execute("ALTER TABLE repair_order DROP COLUMN rework_count")
    con.commit()
    con.close()
    open_database(path)
    try:
        order = RepairOrder.get(RepairOrder.number == "RO261001-001")
        assert order.parking_spot == ""
        assert order.rework_count == 0
    finally:
        close_database()


def test_newer_database_is_refused(v1_copy: Path):
    con = sqlite3.connect(v1_copy)
    con.execute("UPDATE schema_version SET version = ?", (migrations.LATEST + 1,))
    con.commit()
    con.close()
    with pytest.raises(DomainError, match="newer version of shop-desk") as err:
        open_database(v1_copy)
    close_database()
    assert f"schema {migrations.LATEST + 1}" in str(err.value)
    assert _version(v1_copy) == migrations.LATEST + 1


def test_failed_step_leaves_the_version_unchanged(v1_copy: Path, monkeypatch: pytest.MonkeyPatch):
    def broken_step(db: peewee.Database) -> None:
        db.execute_sql("CREATE TABLE half_done (x INTEGER)")
        raise RuntimeError("disk on fire")

    monkeypatch.setitem(migrations.MIGRATIONS, 2, broken_step)
    with pytest.raises(DomainError, match="disk on fire") as err:
        open_database(v1_copy)
    close_database()
    assert "schema 1" in str(err.value)
    assert _version(v1_copy) == 1
    con = sqlite3.connect(v1_copy)
    try:
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    finally:
        con.close()
    assert "half_done" not in tables
    # the real step still works afterwards
    monkeypatch.undo()
    open_database(v1_copy)
    close_database()
    assert _version(v1_copy) == migrations.LATEST


def test_v6_upgrade_adds_the_import_batches_and_original_numbers(upgraded):
    """Schema 6: imports from an old system (batches, saved mappings, the batch on the rows it
    brought and the original order number)."""
    assert migrations.LATEST >= 6
    assert {"import_batch", "import_mapping"} <= set(upgraded.get_tables())
    columns = {c.name for c in upgraded.get_columns("repair_order")}
    assert {"original_number", "import_batch"} <= columns
    for table in ("customer", "vehicle", "odometer_reading"):
        assert "import_batch" in {c.name for c in upgraded.get_columns(table)}
    assert RepairOrder.get(RepairOrder.number == "RO261001-001").original_number == ""
