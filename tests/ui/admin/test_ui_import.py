"""The Admin tab "Import" driven with a real file: read, correct the mapping, check, save the
refused rows, import off the GUI thread, cancel mid-way, undo."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from shop_desk.models import Customer, ImportBatch, Vehicle
from shop_desk.services import importing
from shop_desk.services.import_files import read_table
from shop_desk.validation import vin_check_digit


def vin(n: int) -> str:
    base = f"LSVAU2A3X{n:08d}"
    return base[:8] + vin_check_digit(base[:8] + "0" + base[9:]) + base[9:]


@pytest.fixture
def old_file(tmp_path: Path) -> Path:
    rows = [
        "客户名称,电话号,车架号,车牌号,品牌",
        f"张三,13900000001,{vin(1)},沪A10001,大众",
        f"李四,13900000002,{vin(2)},沪A10002,丰田",
        f"王五,12345,{vin(3)},沪A10003,本田",
    ]
    path = tmp_path / "旧系统客户.csv"
    path.write_bytes(("\n".join(rows) + "\n").encode("gb18030"))
    return path


def _open_tab(qtbot, make_window, old_file):
    window = make_window("admin")
    tab = window.show_page("admin").show_tab("import")
    tab.source.setText("旧系统")
    tab.load_file(old_file)
    qtbot.waitUntil(lambda: tab.table_data is not None and tab.job is None, timeout=10000)
    return tab


def _check(qtbot, tab):
    qtbot.mouseClick(tab.check_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.plan is not None and tab.job is None, timeout=10000)


def test_wizard_reads_maps_checks_imports_and_undoes(qtbot, make_window, old_file, tmp_path):
    tab = _open_tab(qtbot, make_window, old_file)
    assert "3 rows" in tab.file_label.text()
    assert tab.mapping() == {"客户名称": "name", "车架号": "vin", "车牌号": "plate", "品牌": "make"}
    assert tab.check_button.isEnabled()  # a file is read: the check may run
    tab.set_field("电话号", "phone")  # the user corrects the column the guess did not know
    assert tab.save_mapping()
    assert importing.saved_mapping("旧系统", "customers")["电话号"] == "phone"
    assert not tab.import_button.isEnabled()  # not checked yet
    _check(qtbot, tab)
    assert "2 to create" in tab.counts_label.text() and "1 refused" in tab.counts_label.text()
    assert [v.row for v in tab.verdicts.rows] == [4]
    saved = tab.save_refused(tmp_path / "refused.xlsx")
    assert read_table(saved).rows[0][0] == "王五"
    assert tab.import_button.isEnabled()
    tab.start_import()
    qtbot.waitUntil(lambda: tab.job is None, timeout=20000)
    assert "Imported as batch" in tab.result_label.text(), tab.result_label.text()
    assert Vehicle.get(Vehicle.vin == vin(2)).owner.name == "李四"
    assert tab.batches.rowCount() == 1
    batch = ImportBatch.get()
    tab.undo(batch.id)
    qtbot.waitUntil(lambda: tab.job is None, timeout=20000)
    assert "is undone" in tab.result_label.text()
    assert not Customer.select().where(Customer.name == "张三").exists()
    assert ImportBatch.get().state == "undone"
    # the next file of the same source: the saved mapping is used
    tab.load_file(old_file)
    qtbot.waitUntil(lambda: tab.job is None, timeout=10000)
    assert tab.mapping()["电话号"] == "phone"


def test_cancel_mid_way_leaves_nothing(qtbot, make_window, old_file, monkeypatch):
    tab = _open_tab(qtbot, make_window, old_file)
    tab.set_field("电话号", "phone")
    _check(qtbot, tab)
    monkeypatch.setattr(importing, "CHUNK", 1)
    real = importing._insert_rows

    def press_cancel_after_the_first_rows(*args):  # the user presses Cancel meanwhile
        real(*args)
        tab.cancel_flag.set()

    monkeypatch.setattr(importing, "_insert_rows", press_cancel_after_the_first_rows)
    customers = Customer.select().count()
    tab.start_import()
    assert tab.cancel_button.isVisible() and tab.progress.isVisible()
    qtbot.waitUntil(lambda: tab.job is None, timeout=20000)
    assert "cancelled" in tab.result_label.text()
    assert Customer.select().count() == customers
    assert ImportBatch.select().count() == 0
    assert not tab.cancel_button.isVisible()


def test_undo_refused_is_shown_and_only_managers_import(qtbot, make_window, old_file, staff):
    from factories import make_order

    tab = _open_tab(qtbot, make_window, old_file)
    tab.set_field("电话号", "phone")
    _check(qtbot, tab)
    tab.start_import()
    qtbot.waitUntil(lambda: tab.job is None, timeout=20000)
    make_order(vehicle=Vehicle.get(Vehicle.vin == vin(1)))
    tab.undo(ImportBatch.get().id)
    qtbot.waitUntil(lambda: tab.job is None, timeout=20000)
    assert "cannot be undone" in tab.result_label.text()
    assert ImportBatch.get().state == "applied"
    from shop_desk.ui.admin.tab_import import ImportTab

    class W:
        staff = None

    w = W()
    w.staff = staff["advisor"]
    other = ImportTab(w)
    qtbot.addWidget(other)
    assert not other.undo_button.isEnabled() and not other.import_button.isEnabled()
