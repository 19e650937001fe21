"""The field desk's Field parts tab: parts issued to a field job and unused ones returned
change the stock; a tool bought on the road received into the warehouse is reimbursed.
Also the station's goods received, which now uses the shared part picker."""

from __future__ import annotations

from decimal import Decimal

from field_office_data import dispatched, receipt, registered, returned
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton, QWidget

from shop_desk.models import ExpenseItem, FieldPart, Part
from shop_desk.services import expenses
from shop_desk.ui.field.tab_field_parts import (
    FieldPartsTab,
    IssueFieldPartsDialog,
    ReturnFieldPartsDialog,
)


def make_tab(qtbot, person) -> FieldPartsTab:
    tab = FieldPartsTab(person)
    qtbot.addWidget(tab)
    tab.resize(1366, 768)
    tab.show()
    qtbot.waitExposed(tab)
    return tab


def stocked(n: int = 2) -> list[Part]:
    return list(Part.select().where(Part.stock_qty >= 5).order_by(Part.id).limit(n))


def test_issue_and_return_parts_change_the_stock(qtbot, staff):
    registered(staff)  # not dispatched: not at the counter
    job = dispatched(staff)
    battery, fuse = stocked()
    stock = {p.id: p.stock_qty for p in (battery, fuse)}
    tab = make_tab(qtbot, staff["parts"])
    proxy = tab.jobs.model()
    assert [proxy.index(r, 0).data() for r in range(proxy.rowCount())] == [job.number]
    assert tab.select_job(job.id) and not tab.return_button.isEnabled()
    qtbot.mouseClick(tab.issue_button, Qt.MouseButton.LeftButton)
    dialog = tab.findChild(IssueFieldPartsDialog, "issueFieldPartsDialog")
    qtbot.mouseClick(dialog.ok_button(), Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and "Add the parts" in dialog.error.text()
    assert dialog.picker.select_part(battery.id)
    assert "Stock" in dialog.picker.stock_label.text()
    dialog.quantity.setText("2")
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    dialog.picker.select_part(fuse.id)
    dialog.quantity.setText("1")
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert dialog.list.rowCount() == 2
    qtbot.mouseClick(dialog.ok_button(), Qt.MouseButton.LeftButton)
    assert Part.get_by_id(battery.id).stock_qty == stock[battery.id] - 2
    assert Part.get_by_id(fuse.id).stock_qty == stock[fuse.id] - 1
    assert tab.parts_model.rowCount() == 2 and "issued" in tab.banner.text()
    row = proxy.index(0, 6).data()
    assert f"2 × {battery.name}" in row and f"1 × {fuse.name}" in row

    qtbot.mouseClick(tab.return_button, Qt.MouseButton.LeftButton)
    back = tab.findChild(ReturnFieldPartsDialog, "returnFieldPartsDialog")
    back.set_quantity(battery.id, "3")  # more than went out: refused, nothing changes
    qtbot.mouseClick(back.ok_button(), Qt.MouseButton.LeftButton)
    assert back.isVisible() and "cannot come back" in back.error.text()
    assert Part.get_by_id(battery.id).stock_qty == stock[battery.id] - 2
    back.set_quantity(battery.id, "1")
    qtbot.mouseClick(back.ok_button(), Qt.MouseButton.LeftButton)
    assert Part.get_by_id(battery.id).stock_qty == stock[battery.id] - 1
    out = FieldPart.get((FieldPart.job == job.id) & (FieldPart.part == battery.id))
    assert out.quantity_returned == Decimal("1")
    shown = tab.parts.model()
    assert [shown.index(r, 4).data() for r in range(shown.rowCount())] == ["1", "1"]
    tab.grab().save("/tmp/office_field_parts.png")


def test_no_issue_once_the_work_is_done_but_returns_still_go(qtbot, staff):
    job = returned(staff)
    tab = make_tab(qtbot, staff["parts"])
    assert tab.select_job(job.id)
    assert not tab.issue_button.isEnabled() and not tab.return_button.isEnabled()


def test_tool_returned_to_the_warehouse_becomes_reimbursable(qtbot, staff):
    job = returned(staff)
    claim = expenses.submit_expense_claim(
        staff["tech1"],
        job.id,
        [receipt("fuel", "300.00"), receipt("tool", "80.00", description="套筒扳手 socket set")],
    )
    assert expenses.reimbursable(claim) == Decimal("300.00")
    tab = make_tab(qtbot, staff["parts"])
    assert tab.tools_model.rowCount() == 1 and tab.tool_button.isEnabled()
    qtbot.mouseClick(tab.tool_button, Qt.MouseButton.LeftButton)
    box = next(
        w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()
    )
    qtbot.mouseClick(box.findChild(QPushButton, "yesButton"), Qt.MouseButton.LeftButton)
    tool = ExpenseItem.get(ExpenseItem.kind == "tool")
    assert tool.tool_returned_at is not None and tool.tool_received_by_id == staff["parts"].id
    assert tab.tools_model.rowCount() == 0 and "warehouse" in tab.banner.text()
    assert expenses.reimbursable(claim) == Decimal("380.00")


def test_others_see_no_counter_buttons(qtbot, staff):
    tab = make_tab(qtbot, staff["supervisor"])
    assert not tab.issue_button.isVisible() and not tab.tool_button.isVisible()


def test_station_goods_received_uses_the_shared_part_picker(qtbot, staff):
    from shop_desk.ui.station.dialogs_parts import ReceiveStockDialog

    part = stocked(1)[0]
    host = QWidget()
    qtbot.addWidget(host)
    dialog = ReceiveStockDialog(staff["parts"], host)
    dialog.select_part(part.id)
    assert part.part_no in dialog.part.combo.currentText()
    dialog.quantity.setText("4")
    dialog._on_ok()
    assert Part.get_by_id(part.id).stock_qty == part.stock_qty + 4
