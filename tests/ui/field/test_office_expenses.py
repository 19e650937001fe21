"""The field desk's Expense claims tab: approve, reject (a false receipt is a case) and pay
through its buttons; ticket places and tools not returned said in words."""

from __future__ import annotations

from decimal import Decimal

from field_office_data import receipt, returned
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton

from shop_desk.models import ExpenseClaim, ExpenseItem, Penalty
from shop_desk.services import expenses
from shop_desk.ui.field.tab_expenses import ExpensesTab, RejectDialog


def make_tab(qtbot, person) -> ExpensesTab:
    tab = ExpensesTab(person)
    qtbot.addWidget(tab)
    tab.resize(1366, 768)
    tab.show()
    qtbot.waitExposed(tab)
    return tab


def answer_yes(qtbot) -> None:
    box = next(
        w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()
    )
    qtbot.mouseClick(box.findChild(QPushButton, "yesButton"), Qt.MouseButton.LeftButton)


def claim_with_tools(staff) -> ExpenseClaim:
    job = returned(staff)
    return expenses.submit_expense_claim(
        staff["tech1"],
        job.id,
        [
            receipt("ticket", "45.50", place="沪宁高速 G42"),
            receipt("fuel", "300.00"),
            receipt("tool", "80.00", description="套筒扳手 socket set"),
            receipt("tool", "20.00", description="胶带 tape"),
        ],
    )


def cells(tab: ExpensesTab, column: int) -> list[str]:
    table = tab.items_table
    return [table.item(r, column).text() for r in range(table.rowCount())]


def test_supervisor_approves_leaving_out_the_tool_not_returned(qtbot, staff):
    claim = claim_with_tools(staff)
    socket = ExpenseItem.get(ExpenseItem.description == "套筒扳手 socket set")
    expenses.record_tool_returned(staff["parts"], socket.id)
    tab = make_tab(qtbot, staff["supervisor"])
    assert tab.select_claim(claim.id)
    assert not tab.pay_button.isVisible() and tab.approve_button.isEnabled()
    tools = cells(tab, 5)
    assert "Returned to the warehouse" in tools[2]
    assert tools[3] == "Not returned to the warehouse: not reimbursed"
    assert "¥425.50 of ¥445.50 claimed" in tab.sum_label.text()
    assert "not reimbursed" in tab.sum_label.text()
    assert tab.items_table.item(0, 0).icon().availableSizes()  # the receipt's thumbnail
    qtbot.mouseClick(tab.approve_button, Qt.MouseButton.LeftButton)
    answer_yes(qtbot)
    row = ExpenseClaim.get_by_id(claim.id)
    assert row.state == "approved" and row.approved_total == Decimal("425.50")
    assert "approved" in tab.banner.text() and not tab.approve_button.isEnabled()


def test_cashier_pays_an_approved_claim_and_the_manager_only_reads(qtbot, staff):
    claim = claim_with_tools(staff)
    expenses.approve_expense_claim(staff["supervisor"], claim.id)
    manager = make_tab(qtbot, staff["manager"])
    assert manager.select_claim(claim.id)
    assert not any(
        b.isVisible() for b in (manager.approve_button, manager.reject_button, manager.pay_button)
    )
    tab = make_tab(qtbot, staff["cashier"])
    assert tab.state_combo.currentData() == "approved"
    assert tab.select_claim(claim.id)
    assert not tab.approve_button.isVisible() and tab.pay_button.isEnabled()
    qtbot.mouseClick(tab.pay_button, Qt.MouseButton.LeftButton)
    answer_yes(qtbot)
    row = ExpenseClaim.get_by_id(claim.id)
    assert row.state == "paid" and row.paid_by_id == staff["cashier"].id
    assert "¥345.50" in tab.banner.text()  # socket set and tape not returned: 445.50 - 100


def test_reject_with_a_false_receipt_enters_a_case(qtbot, staff):
    claim = claim_with_tools(staff)
    tab = make_tab(qtbot, staff["supervisor"])
    tab.select_claim(claim.id)
    qtbot.mouseClick(tab.reject_button, Qt.MouseButton.LeftButton)
    dialog = tab.findChild(RejectDialog, "rejectClaimDialog")
    assert dialog is not None
    dialog._on_ok()  # no reason given: refused inline, nothing changes
    assert dialog.isVisible() and dialog.error.isVisible()
    dialog.reason.setPlainText("加油发票是伪造的 forged fuel receipt")
    dialog.false_receipt.setChecked(True)
    qtbot.mouseClick(dialog.ok_button(), Qt.MouseButton.LeftButton)
    assert ExpenseClaim.get_by_id(claim.id).state == "rejected"
    case = Penalty.get(Penalty.kind == "false_receipt")
    assert case.staff_id == staff["tech1"].id
    tab.select_claim(claim.id)
    assert "forged fuel receipt" in tab.heading.text()
    assert "rejected" in tab.sum_label.text()


def test_ticket_place_not_matching_the_destination_is_said(qtbot, staff):
    claim = claim_with_tools(staff)
    tab = make_tab(qtbot, staff["supervisor"])
    tab.select_claim(claim.id)
    assert cells(tab, 3)[0] == "沪宁高速 G42 — matches the destination"
    # a ticket from before the destination check (an imported or old claim)
    ExpenseItem.update(place="广州 Guangzhou").where(
        (ExpenseItem.claim == claim.id) & (ExpenseItem.kind == "ticket")
    ).execute()
    tab.refresh()
    tab.select_claim(claim.id)
    assert cells(tab, 3)[0] == (
        "广州 Guangzhou — does NOT match the destination 沪宁高速 G42 km 12"
    )


def test_a_receipt_opens_large(qtbot, staff):
    claim = claim_with_tools(staff)
    tab = make_tab(qtbot, staff["manager"])
    tab.select_claim(claim.id)
    dialog = tab.show_receipt(1)
    assert dialog is not None and dialog.isVisible()
    assert not dialog.image_label.pixmap().isNull()
    tab.grab().save("/tmp/office_expenses.png")
