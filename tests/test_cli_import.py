"""``shop-desk import KIND FILE``: the dry run says what would happen and writes nothing; the
import writes one batch under the signed-in name; --map corrects a column."""

from __future__ import annotations

from pathlib import Path

import pytest

from shop_desk import cli, i18n
from shop_desk.db import close_database, open_database
from shop_desk.models import Customer, ImportBatch, Vehicle
from shop_desk.services import importing
from shop_desk.services.import_files import read_table
from shop_desk.validation import vin_check_digit


def vin(n: int) -> str:
    base = f"LSVAU2A3X{n:08d}"
    return base[:8] + vin_check_digit(base[:8] + "0" + base[9:]) + base[9:]


@pytest.fixture(autouse=True)
def _qt(qapp):
    yield
    i18n.install_language("en")


@pytest.fixture
def shop(db, db_path: Path) -> Path:
    close_database()
    return db_path


@pytest.fixture
def old_file(tmp_path: Path) -> Path:
    rows = [
        "客户名称,电话号,车架号,车牌号",
        f"张三,13900000001,{vin(1)},沪A10001",
        f"李四,12345,{vin(2)},沪A10002",
    ]
    path = tmp_path / "old.csv"
    path.write_bytes(("\n".join(rows) + "\n").encode("gb18030"))
    return path


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(["--lang", "en", *argv])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def _customers(shop: Path) -> int:
    open_database(shop)
    try:
        return Customer.select().where(Customer.import_batch.is_null(False)).count()
    finally:
        close_database()


def test_dry_run_reports_and_writes_nothing(shop, old_file, capsys, tmp_path):
    refused = tmp_path / "refused.csv"
    code, out, err = run(
        capsys,
        "import",
        "customers",
        str(old_file),
        "--db",
        str(shop),
        "--dry-run",
        "--map",
        "电话号=phone",
        "--refused",
        str(refused),
    )
    assert code == 0, err
    assert "电话号\t→ phone" in out
    assert "create\t1" in out and "refuse\t1" in out
    assert "row 3:" in out and "phone" in out
    assert "Dry run" in out
    assert read_table(refused).rows[0][0] == "李四"
    assert _customers(shop) == 0


def test_import_needs_a_login_and_writes_one_batch(shop, old_file, capsys, monkeypatch):
    args = ("import", "customers", str(old_file), "--db", str(shop), "--map", "电话号=phone")
    code, _out, err = run(capsys, *args)
    assert code == cli.EXIT_USAGE and "--login" in err
    monkeypatch.setenv("SHOP_DESK_PIN", "1234")
    code, _out, err = run(capsys, *args, "--login", "advisor")
    assert code == cli.EXIT_FAILED and "may not do this" in err
    code, out, err = run(capsys, *args, "--login", "admin", "--source", "OldDMS", "--save-map")
    assert code == 0, err
    assert "Imported as batch" in out
    open_database(shop)
    try:
        assert ImportBatch.get().staff_name == "系统管理员 Admin"
        assert Vehicle.get(Vehicle.vin == vin(1)).owner.name == "张三"
        assert importing.saved_mapping("OldDMS", "customers")["电话号"] == "phone"
    finally:
        close_database()


def test_a_wrong_map_is_a_usage_error(shop, old_file, capsys):
    code, _out, err = run(
        capsys, "import", "customers", str(old_file), "--db", str(shop), "--map", "电话号=fax"
    )
    assert code == cli.EXIT_USAGE and "COLUMN=FIELD" in err
    code, _out, err = run(
        capsys, "import", "customers", str(old_file), "--db", str(shop), "--dry-run"
    )
    assert code == cli.EXIT_FAILED and "No column is mapped to Phone" in err
