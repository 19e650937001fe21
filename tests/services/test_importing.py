"""Moving in from another system: reading the old system's files, judging every row with the
desk's checks, one undoable batch, all or nothing."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import openpyxl
import pytest

from factories import make_customer, make_order, make_vehicle
from shop_desk.checks import check_database
from shop_desk.errors import DomainError, PermissionDenied, ValidationError
from shop_desk.models import (
    AuditLog,
    Customer,
    ImportBatch,
    JobLine,
    OdometerReading,
    RepairOrder,
    Vehicle,
    VehicleOwnership,
)
from shop_desk.services import importing
from shop_desk.services.import_files import Table, guess_mapping, read_table
from shop_desk.validation import vin_check_digit

CN_PARTY = ["客户名称", "联系电话", "车牌号", "车架号", "品牌", "车型", "购车日期", "行驶里程"]
EN_PARTY = ["Customer name", "Mobile", "Plate", "VIN", "Make", "Model", "Sale date", "Mileage"]
CN_HISTORY = ["工单号", "进厂日期", "车架号", "里程", "维修项目", "类别", "金额", "付费方式"]


def vin(n: int) -> str:
    """A VIN with a correct check digit."""
    base = f"LSVAU2A3X{n:08d}"
    return base[:8] + vin_check_digit(base[:8] + "0" + base[9:]) + base[9:]


def write_csv(path: Path, headers: list[str], rows: list[list[str]], encoding: str) -> Path:
    text = "\n".join(",".join(r) for r in [headers, *rows]) + "\n"
    path.write_bytes(text.encode(encoding))
    return path


def party_rows() -> list[list[str]]:
    return [
        ["张三", "13900000001", "沪A10001", vin(1), "大众", "帕萨特", "2020-05-01", "30000"],
        ["李四", "13900000002", "沪A10002", vin(2), "丰田", "凯美瑞", "2021/3/8", "12,000"],
        ["张三", "13900000001", "", "", "", "", "", ""],  # the same customer again: merged
        ["王五", "12345", "沪A10003", vin(3), "本田", "雅阁", "", ""],  # bad phone
        ["赵六", "13900000004", "沪A10004", "LSVAU2A3", "", "", "", ""],  # bad VIN
        ["钱七", "13900000005", "沪A10005", vin(5), "", "", "2099-01-01", ""],  # future date
        ["孙八", "13900000006", "沪A10001", vin(6), "", "", "", ""],  # plate of row 2
        ["", "", "", "", "", "", "", ""],  # empty row: left out
    ]


def party_table(headers: list[str] = CN_PARTY) -> Table:
    rows = [r for r in party_rows() if any(r)]
    return Table(list(headers), rows, "old.csv")


# ---------------------------------------------------------------------------- files


def test_headers_recognised_in_chinese_and_english():
    cn = guess_mapping("customers", CN_PARTY)
    en = guess_mapping("customers", EN_PARTY)
    want = ["name", "phone", "plate", "vin", "make", "model", "sale_date", "odometer_km"]
    assert [cn[h] for h in CN_PARTY] == want
    assert [en[h] for h in EN_PARTY] == want
    history = guess_mapping("history", CN_HISTORY + ["维修日期", "Unknown column"])
    assert history["工单号"] == "order_number" and history["进厂日期"] == "date"
    assert "维修日期" not in history  # a field goes to its first column only
    assert "Unknown column" not in history
    assert guess_mapping("customers", ["客户姓名", "手机"]) == {"客户姓名": "name", "手机": "phone"}


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk"])
def test_csv_read_in_each_encoding(tmp_path, encoding):
    path = write_csv(tmp_path / "old.csv", CN_PARTY, party_rows()[:2], encoding)
    table = read_table(path)
    assert table.headers == CN_PARTY  # no BOM left on the first header
    assert table.rows[0][:2] == ["张三", "13900000001"]
    assert table.rows[1][5] == "凯美瑞"


def test_xlsx_read_with_dates_and_numbers(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(EN_PARTY)
    sheet.append(
        [
            "Zhang San",
            13900000001,
            "沪A10001",
            vin(1),
            "VW",
            "Passat",
            dt.datetime(2020, 5, 1),
            30000,
        ]
    )
    sheet.append([None] * 8)
    book.save(tmp_path / "old.xlsx")
    table = read_table(tmp_path / "old.xlsx")
    assert table.rows == [
        ["Zhang San", "13900000001", "沪A10001", vin(1), "VW", "Passat", "2020-05-01", "30000"]
    ]


def test_unreadable_files_are_refused_with_a_reason(tmp_path):
    bad = tmp_path / "old.xlsx"
    bad.write_bytes(b"not a workbook")
    with pytest.raises(ValidationError, match="spreadsheet"):
        read_table(bad)
    with pytest.raises(ValidationError, match="xlsx or .csv"):
        read_table(tmp_path / "old.pdf")
    (tmp_path / "empty.csv").write_bytes(b"")
    with pytest.raises(ValidationError, match="no rows"):
        read_table(tmp_path / "empty.csv")


def test_mapping_missing_a_needed_column_is_refused(db):
    with pytest.raises(ValidationError, match="Phone"):
        importing.preview_import("customers", party_table(), {"客户名称": "name"})


# ---------------------------------------------------------------------------- judging


def test_preview_says_per_row_create_merge_or_refuse_and_writes_nothing(db, staff):
    existing = make_customer("李四", "13900000002")
    table = party_table()
    plan = importing.preview_import("customers", table, guess_mapping("customers", CN_PARTY))
    by_row = {v.row: v for v in plan.verdicts}
    assert by_row[2].action == "create"
    assert by_row[3].action == "create"  # the car is new, its owner is on file
    assert "already on file" in by_row[3].reason
    assert by_row[4].action == "merge" and "row 2" in by_row[4].reason
    assert by_row[5].action == "refuse" and "phone" in by_row[5].reason
    assert by_row[6].action == "refuse" and "17 characters" in by_row[6].reason
    assert by_row[7].action == "refuse" and "future" in by_row[7].reason
    assert by_row[8].action == "refuse" and "row 2" in by_row[8].reason
    counts = plan.counts()
    assert counts["customers_created"] == 1 and counts["customers_merged"] == 2
    assert counts["vehicles_created"] == 2 and counts["refuse"] == 4
    assert Customer.select().count() == Customer.select().where(Customer.id <= existing.id).count()
    assert ImportBatch.select().count() == 0


def test_refused_rows_saved_to_correct_and_import_again(db, tmp_path):
    table = party_table()
    plan = importing.preview_import("customers", table, guess_mapping("customers", CN_PARTY))
    for name in ("refused.csv", "refused.xlsx"):
        saved = read_table(importing.save_refused(tmp_path / name, table, plan))
        assert saved.headers[-1] == "Reason refused"
        assert [r[0] for r in saved.rows] == ["王五", "赵六", "钱七", "孙八"]
        assert "17 characters" in saved.rows[1][-1]


# ---------------------------------------------------------------------------- applying


def _import_parties(staff, table=None, **kw) -> importing.ImportResult:
    table = table or party_table()
    mapping = guess_mapping("customers", table.headers)
    return importing.apply_import(staff["admin"], "customers", table, mapping, "OldDMS", **kw)


def test_apply_writes_one_batch_with_who_and_when_and_never_doubles(db, staff):
    result = _import_parties(staff)
    batch = ImportBatch.get_by_id(result.batch_id)
    assert batch.staff_name == staff["admin"].name and batch.state == "applied"
    zhang = Customer.get(Customer.name == "张三")
    assert zhang.import_batch == batch.id
    car = Vehicle.get(Vehicle.vin == vin(1))
    assert (car.owner_id, car.plate, car.last_odometer_km) == (zhang.id, "沪A10001", 30000)
    assert car.sale_date == dt.date(2020, 5, 1)
    assert VehicleOwnership.get(VehicleOwnership.vehicle == car).customer_id == zhang.id
    assert Vehicle.get(Vehicle.vin == vin(2)).last_odometer_km == 12000
    entry = AuditLog.get((AuditLog.entity == "import_batch") & (AuditLog.entity_id == batch.id))
    assert entry.staff_id == staff["admin"].id and entry.action == "apply_import"
    assert json.loads(entry.after)["counts"]["customers_created"] == 2
    # the same file again: everything is merged, nothing doubled, nothing written
    with pytest.raises(ValidationError, match="Nothing to import"):
        _import_parties(staff)
    assert Customer.select().where(Customer.name == "张三").count() == 1
    assert Vehicle.select().where(Vehicle.vin == vin(1)).count() == 1


def test_english_xlsx_and_gbk_csv_import_alike(db, staff, tmp_path):
    book = openpyxl.Workbook()
    book.active.append(EN_PARTY)
    book.active.append(["Zhang San", "13900000001", "沪A10001", vin(1), "VW", "", "", ""])
    book.save(tmp_path / "en.xlsx")
    first = _import_parties(staff, read_table(tmp_path / "en.xlsx"))
    rows = [["李四", "13900000002", "沪A10002", vin(2), "丰田", "", "", ""]]
    second = _import_parties(
        staff, read_table(write_csv(tmp_path / "cn.csv", CN_PARTY, rows, "gbk"))
    )
    assert first.counts["vehicles_created"] == second.counts["vehicles_created"] == 1
    assert Vehicle.get(Vehicle.vin == vin(2)).make == "丰田"


def test_vehicles_import_links_owners_on_file(db, staff):
    owner = make_customer("周九", "13900000009")
    table = Table(
        ["VIN", "车牌", "客户姓名", "手机"],
        [[vin(9), "沪A10009", "周九", "13900000009"], [vin(10), "沪A10010", "", ""]],
    )
    result = importing.apply_import(
        staff["manager"], "vehicles", table, guess_mapping("vehicles", table.headers)
    )
    assert result.counts["vehicles_created"] == 2 and result.counts["customers_created"] == 0
    assert Vehicle.get(Vehicle.vin == vin(9)).owner_id == owner.id
    assert Vehicle.get(Vehicle.vin == vin(10)).owner_id is None


def test_only_admin_and_manager_import(db, staff):
    with pytest.raises(PermissionDenied):
        importing.apply_import(
            staff["advisor"], "customers", party_table(), guess_mapping("customers", CN_PARTY)
        )
    assert ImportBatch.select().count() == 0


def test_cancel_mid_way_leaves_nothing(db, staff, monkeypatch):
    monkeypatch.setattr(importing, "CHUNK", 1)
    customers, readings = Customer.select().count(), OdometerReading.select().count()
    seen: list[tuple[int, int]] = []
    written: list[int] = []

    def cancel() -> bool:  # asked inside the transaction: it sees the rows written so far
        written.append(Customer.select().where(Customer.import_batch.is_null(False)).count())
        return written[-1] >= 2

    with pytest.raises(importing.ImportCancelled):
        _import_parties(
            staff, progress=lambda done, total: seen.append((done, total)), cancel=cancel
        )
    assert written[-1] == 2  # two customers were written, then the user cancelled
    assert seen[-2:] == [(1, 4), (2, 4)]  # the rows judged, then the records written
    assert Customer.select().count() == customers
    assert Vehicle.select().where(Vehicle.import_batch.is_null(False)).count() == 0
    assert OdometerReading.select().count() == readings
    assert ImportBatch.select().count() == 0
    assert not AuditLog.select().where(AuditLog.entity == "import_batch").exists()


# ---------------------------------------------------------------------------- history


def _history(rows: list[list[str]]) -> Table:
    return Table(list(CN_HISTORY), rows, "history.csv")


def test_history_becomes_closed_orders_with_their_original_numbers(db, staff):
    _import_parties(staff)
    rows = [
        ["W2022-001", "2022-03-01", vin(1), "25000", "机油更换", "工时", "120", "客户"],
        ["W2022-001", "2022-03-01", vin(1), "", "机油滤清器", "配件", "¥45.50", ""],
        ["W2022-001", "2022-03-01", vin(1), "", "机油滤清器", "配件", "¥45.50", ""],  # again
        ["W2023-007", "2023年6月2日", vin(1), "28000", "刹车片", "材料", "380", "保修"],
        ["W2023-008", "2023-01-05", vin(1), "20000", "检查", "", "0", ""],  # lower than 2022's
        ["W2023-009", "2023-01-05", vin(99), "", "检查", "", "0", ""],  # car not on file
        ["W2023-010", "2023-02-01", vin(2), "", "洗车", "", "-5", ""],  # negative amount
        ["W2023-010", "2023-02-01", vin(2), "", "打蜡", "", "50", ""],  # its order is refused
        ["W2024-001", "2024-01-05", vin(1), "40000", "检查", "", "0", ""],  # above today's
    ]
    table = _history(rows)
    plan = importing.preview_import("history", table, guess_mapping("history", CN_HISTORY))
    actions = [v.action for v in plan.verdicts]
    assert actions == [
        "create",
        "create",
        "merge",
        "create",
        "refuse",
        "refuse",
        "refuse",
        "refuse",
        "refuse",
    ]
    assert "never goes back" in plan.verdicts[4].reason and "25000" in plan.verdicts[4].reason
    assert "never goes back" in plan.verdicts[8].reason and "30000" in plan.verdicts[8].reason
    assert "not on file" in plan.verdicts[5].reason
    assert "row 8" in plan.verdicts[7].reason
    result = importing.apply_import(
        staff["admin"], "history", table, guess_mapping("history", CN_HISTORY)
    )
    assert result.counts["orders_created"] == 2 and result.counts["lines_created"] == 3
    order = RepairOrder.get(RepairOrder.original_number == "W2022-001")
    assert order.state == "closed" and order.number.startswith(f"IM{result.batch_id}-")
    assert order.customer.name == "张三" and order.odometer_km == 25000
    assert order.checked_in_at.date() == dt.date(2022, 3, 1)
    lines = list(JobLine.select().where(JobLine.order == order).order_by(JobLine.sort))
    assert [(ln.kind, ln.description) for ln in lines] == [
        ("labour", "机油更换"),
        ("part", "机油滤清器"),
    ]
    assert str(lines[1].unit_price) == "45.50" and lines[0].work_state == "done"
    assert JobLine.get(JobLine.description == "刹车片").pay_type == "warranty"
    assert Vehicle.get(Vehicle.vin == vin(1)).last_odometer_km == 30000
    assert (
        OdometerReading.select().where(OdometerReading.import_batch == result.batch_id).count() == 2
    )
    assert check_database() == []  # history is not held to the desk's process rules
    # the same history again: refused, never doubled
    again = importing.preview_import("history", table, guess_mapping("history", CN_HISTORY))
    assert "imported before" in again.verdicts[0].reason
    assert again.counts()["orders_created"] == 0


# ---------------------------------------------------------------------------- undo


def test_undo_removes_the_whole_batch(db, staff):
    first = _import_parties(staff)
    history = _history([["W1", "2022-03-01", vin(2), "11000", "保养", "", "300", ""]])
    second = importing.apply_import(
        staff["admin"], "history", history, guess_mapping("history", CN_HISTORY)
    )
    with pytest.raises(DomainError, match="repair orders"):
        importing.undo_import(staff["admin"], first.batch_id)  # the history is built on it
    importing.undo_import(staff["admin"], second.batch_id)
    assert not RepairOrder.select().where(RepairOrder.original_number == "W1").exists()
    assert Vehicle.get(Vehicle.vin == vin(2)).last_odometer_km == 12000
    assert OdometerReading.select().where(OdometerReading.km == 11000).count() == 0
    importing.undo_import(staff["admin"], first.batch_id)
    assert not Customer.select().where(Customer.import_batch.is_null(False)).exists()
    assert not Vehicle.select().where(Vehicle.vin.in_([vin(1), vin(2)])).exists()
    assert ImportBatch.get_by_id(first.batch_id).state == "undone"
    assert (
        AuditLog.select()
        .where((AuditLog.action == "undo_import") & (AuditLog.entity_id == first.batch_id))
        .exists()
    )
    with pytest.raises(DomainError, match="already undone"):
        importing.undo_import(staff["admin"], first.batch_id)


def test_undo_refused_once_the_shop_built_on_the_batch(db, staff):
    result = _import_parties(staff)
    car = Vehicle.get(Vehicle.vin == vin(1))
    make_order(vehicle=car)
    with pytest.raises(DomainError, match="repair orders"):
        importing.undo_import(staff["admin"], result.batch_id)
    assert Vehicle.select().where(Vehicle.import_batch == result.batch_id).count() == 2


def test_undo_refused_when_a_car_of_the_shop_got_an_imported_owner(db, staff):
    result = _import_parties(staff)
    make_vehicle(owner=Customer.get(Customer.name == "张三"))
    with pytest.raises(DomainError, match="vehicles of its customers"):
        importing.undo_import(staff["manager"], result.batch_id)


# ---------------------------------------------------------------------------- mappings


def test_mapping_saved_per_source_is_used_next_time(db, staff):
    headers = ["Kunde", "Rufnummer", "Fahrgestell"]
    assert guess_mapping("customers", headers) == {}
    mapping = {"Kunde": "name", "Rufnummer": "phone", "Fahrgestell": "vin"}
    importing.save_mapping(staff["admin"], "AltDMS", "customers", mapping)
    assert importing.saved_mapping("AltDMS", "customers") == mapping
    assert importing.saved_mapping("Other", "customers") == {}
    assert (
        guess_mapping("customers", headers, importing.saved_mapping("AltDMS", "customers"))
        == mapping
    )
    with pytest.raises(ValidationError, match="Two columns"):
        importing.save_mapping(
            staff["admin"], "AltDMS", "customers", {"Kunde": "name", "Rufnummer": "name"}
        )
    assert importing.saved_mapping("AltDMS", "customers") == mapping


def test_search_index_holds_the_imported_rows_as_a_rebuild_would(db, staff):
    """The import writes the search texts itself (the triggers cost ten times the insert):
    the same texts as a rebuild makes, and the triggers are back afterwards."""
    from shop_desk import search_index
    from shop_desk.db import database

    if not search_index.available(database.obj):
        pytest.skip("the search index is SQLite's")
    triggers = "SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name"
    before = database.obj.execute_sql(triggers).fetchall()
    _import_parties(staff)
    history = _history([["W1", "2022-03-01", vin(2), "11000", "保养", "", "300", ""]])
    importing.apply_import(staff["admin"], "history", history, guess_mapping("history", CN_HISTORY))
    assert database.obj.execute_sql(triggers).fetchall() == before
    text = "SELECT rowid, body FROM search_text ORDER BY rowid"
    filled = database.obj.execute_sql(text).fetchall()
    with database.obj.atomic():
        search_index.rebuild(database.obj)
    assert database.obj.execute_sql(text).fetchall() == filled
    assert "张三" in " ".join(body for _r, body in filled)


def test_history_never_lowers_a_cars_odometer_and_undo_puts_it_back(db, staff):
    """A car of the shop whose last odometer is above every reading on file (e.g. typed at
    registration): old visits below it leave it alone; a visit above it raises it, and the
    undo puts the figure back."""
    owner = make_customer("周九", "13900000009")
    low = make_vehicle(owner=owner, vin=vin(20), plate="沪A20020", odometer=50000)
    high = make_vehicle(owner=owner, vin=vin(21), plate="沪A20021", odometer=1000)
    history = _history(
        [
            ["H1", "2022-03-01", vin(20), "20000", "保养", "", "300", ""],
            ["H2", "2022-03-01", vin(21), "8000", "保养", "", "300", ""],
        ]
    )
    result = importing.apply_import(
        staff["admin"], "history", history, guess_mapping("history", CN_HISTORY)
    )
    assert Vehicle.get_by_id(low.id).last_odometer_km == 50000
    assert Vehicle.get_by_id(high.id).last_odometer_km == 8000
    importing.undo_import(staff["admin"], result.batch_id)
    assert Vehicle.get_by_id(low.id).last_odometer_km == 50000
    assert Vehicle.get_by_id(high.id).last_odometer_km == 1000


def test_cancel_while_judging_leaves_nothing_and_progress_counts_rows(db, staff, monkeypatch):
    monkeypatch.setattr(importing, "CHUNK", 2)
    seen: list[tuple[int, int]] = []
    plan = importing.preview_import(
        "customers",
        party_table(),
        guess_mapping("customers", CN_PARTY),
        progress=lambda done, total: seen.append((done, total)),
    )
    assert seen == [(2, 7), (4, 7), (6, 7)] and plan.counts()["rows"] == 7
    with pytest.raises(importing.ImportCancelled):
        _import_parties(staff, cancel=lambda: True)
    assert ImportBatch.select().count() == 0


def test_undo_refused_after_an_owner_change_or_an_edit(db, staff):
    from shop_desk.services import customers

    table = Table(["VIN", "车牌"], [[vin(30), "沪A30030"]])  # a car without an owner
    result = importing.apply_import(
        staff["admin"], "vehicles", table, guess_mapping("vehicles", table.headers)
    )
    car = Vehicle.get(Vehicle.vin == vin(30))
    customers.change_owner(staff["advisor"], car, make_customer("周九", "13900000009"))
    with pytest.raises(DomainError, match="changes to its customers or vehicles"):
        importing.undo_import(staff["admin"], result.batch_id)
    second = _import_parties(staff)
    customers.update_customer(staff["advisor"], Customer.get(Customer.name == "张三"), notes="VIP")
    with pytest.raises(DomainError, match="changes to its customers"):
        importing.undo_import(staff["admin"], second.batch_id)
