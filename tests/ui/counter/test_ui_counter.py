"""The accessory counter desk driven through its widgets: a sale with a gift paid in cash and
its receipt (a reprint is a copy), a product taken back on day 14 through its test report and
the general manager's approval to the replacement, the day-16 refusal said in words, the late
replacement flagged, and the admin's exclusion list."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QPushButton

from shop_desk import clock
from shop_desk.counter_states import CaseState
from shop_desk.models import CounterCase, CounterExclusion, Part
from shop_desk.services import approvals, counter, counter_policy, counter_returns

NOW = dt.datetime(2026, 11, 2, 9, 0)


@pytest.fixture(autouse=True)
def _clock_pinned(db):
    clock.set_now(NOW)


def _open(make_window, login: str, tab: str | None = None):
    from shop_desk.ui.shell.widgets import app_settings

    app_settings().setValue("main/page", "counter")
    window = make_window(login)
    page = window.show_page("counter")
    return window, page, (page.show_tab(tab) if tab else None)


def _click(qtbot, widget) -> None:
    assert widget.isEnabled(), widget.objectName()
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def _choose(combo, data) -> None:
    index = combo.findData(data)
    assert index >= 0, data
    combo.setCurrentIndex(index)


def _part(no: str) -> Part:
    return Part.get(Part.part_no == no)


def _sold_two_weeks_ago(staff):
    clock.set_now(NOW - dt.timedelta(days=14))
    sale = counter.sell(
        staff["parts"],
        [{"part": "DASHCAM", "quantity": "1"}, {"part": "BULB-H7", "gift": True}],
        "wechat",
        customer_name="赵女士 Zhao",
        customer_phone="13611112222",
    )
    clock.set_now(NOW)
    return sale


def test_the_desk_is_for_the_counter_roles(make_window):
    window = make_window("parts")
    assert "counter" in window.visible_page_keys()
    assert "counter" not in make_window("tech1").visible_page_keys()


def test_a_sale_with_a_gift_paid_in_cash_and_its_receipt(qtbot, make_window, staff):
    _window, _page, tab = _open(make_window, "parts", "sale")
    assert not tab.sell_button.isEnabled()  # the basket is empty
    _choose(tab.part_combo, _part("DASHCAM").id)
    tab.qty_edit.setText("9")
    _click(qtbot, tab.add_button)
    assert "Not enough" in tab.banner.text() and tab.basket == []
    tab.qty_edit.setText("1")
    _click(qtbot, tab.add_button)
    _choose(tab.part_combo, _part("BULB-H7").id)
    tab.gift_check.setChecked(True)
    _click(qtbot, tab.add_button)
    assert [r["gift"] for r in tab.basket_model.rows] == [False, True]
    assert tab.total_label.text() == "Total ¥599.00"
    assert tab.basket_model.rows[0]["warranty"] == "3 month(s)"
    _choose(tab.method_combo, "cash")
    qtbot.keyClicks(tab.tendered_edit, "600")
    qtbot.keyClicks(tab.phone_edit, "13900001111")
    _click(qtbot, tab.sell_button)
    assert tab.banner.text() == "Sold: receipt LS261102-001, ¥599.00. Change: ¥1.00."
    assert tab.basket == [] and tab.phone_edit.text() == ""
    assert _part("DASHCAM").stock_qty == Decimal("7.00")
    sale = counter.find_sale("LS261102-001")
    assert sale.customer_phone == "13900001111"
    assert [s.number for s in tab.sales_model.rows] == ["LS261102-001"]

    from shop_desk.ui.shell.print_preview import mark_printed

    preview = tab.print_receipt()
    assert preview.kind == "counter-receipt" and not preview.copy_mark
    qtbot.waitUntil(lambda: preview.pdf is not None or bool(preview.error_text), timeout=20000)
    assert preview.pdf is not None, preview.error_text
    preview.close()
    mark_printed("counter-receipt", sale.number, staff["parts"])
    copy = tab.print_receipt()
    assert copy.copy_mark == 2  # the reprint says it is a copy, with its number
    qtbot.waitUntil(lambda: copy.pdf is not None or bool(copy.error_text), timeout=20000)
    copy.close()


def test_taken_back_on_day_14_replaced_with_the_managers_approval(qtbot, make_window, staff):
    sale = _sold_two_weeks_ago(staff)
    _window, _page, tab = _open(make_window, "parts", "returns")
    qtbot.keyClicks(tab.search_edit, "136 1111 2222")
    _click(qtbot, tab.find_button)
    assert [s.id for s in tab.sales_model.rows] == [sale.id]
    tab.lines_view.selectRow(1)  # the gift
    assert "was a gift" in tab.eligibility_label.text()
    assert not tab.receive_button.isEnabled()
    tab.lines_view.selectRow(0)
    assert "14 day(s) ago: within the 15-day exchange" in tab.eligibility_label.text()
    _click(qtbot, tab.receive_button)
    from shop_desk.ui.counter.tab_returns import ReceiveDialog

    dialog = tab.findChild(ReceiveDialog, "receiveDialog")
    dialog.fault_edit.setPlainText("不录像 does not record")
    _click(qtbot, dialog.ok_button())
    case = CounterCase.get()
    assert f"Case {case.number} opened" in tab.banner.text()
    actions = tab.actions
    assert actions.case.id == case.id
    assert actions.buttons["test"].isEnabled() and not actions.buttons["replace"].isEnabled()

    report = actions.test_report()
    qtbot.keyClicks(report.report_edit, "JC-21")
    report.findings_edit.setPlainText("存储卡槽故障 card slot faulty")
    report.quality_check.setChecked(True)
    _click(qtbot, report.ok_button())
    assert "Quality fault within the exchange window" in actions.banner.text()
    assert "rule 11" in actions.details.text()
    _click(qtbot, actions.buttons["approval"])
    assert "Asked the general manager to approve ¥599.00" in actions.banner.text()
    assert not actions.buttons["approval"].isEnabled()
    _click(qtbot, actions.buttons["replace"])
    assert "waits for the general manager's approval" in actions.banner.text()
    approvals.approve(staff["manager"], CounterCase.get_by_id(case.id).approval, "1234")
    actions.show_case(case)
    assert "approved" in actions.details.text()
    _click(qtbot, actions.buttons["replace"])
    assert "went out" in actions.banner.text()
    assert CounterCase.get_by_id(case.id).state == CaseState.REPLACED
    assert _part("DASHCAM").stock_qty == Decimal("6.00")  # sold one, replaced one
    assert [c.state for c in tab.cases_model.rows] == ["replaced"]


def test_a_refund_on_day_16_is_refused_in_words(qtbot, make_window, staff):
    _sold_two_weeks_ago(staff)
    clock.set_now(NOW + dt.timedelta(days=2))
    _window, _page, tab = _open(make_window, "cashier", "returns")
    qtbot.keyClicks(tab.search_edit, "LS261019-001")
    _click(qtbot, tab.find_button)
    tab.lines_view.selectRow(0)
    assert "16 days ago: the 15-day exchange is over (no refund)" in tab.eligibility_label.text()
    dialog = tab.receive()
    _choose(dialog.request_combo, "refund")
    dialog.fault_edit.setPlainText("坏了 broken")
    _click(qtbot, dialog.ok_button())
    assert "A refund is possible only within 15 days" in dialog.error.text()
    assert CounterCase.select().count() == 0
    dialog.reject()


def test_a_late_replacement_is_flagged_in_red_and_words(qtbot, make_window, staff):
    sale = _sold_two_weeks_ago(staff)
    case = counter_returns.receive_product(
        staff["parts"], counter.sale_lines(sale)[0], "1", "exchange", "坏"
    )
    clock.set_now(NOW + dt.timedelta(days=5))
    _window, _page, tab = _open(make_window, "parts", "sent_in")
    assert [c.id for c in tab.model.rows] == [case.id]
    assert tab.count_label.text() == "1 product held by the shop · 1 replacement late"
    index = tab.model.index(0, 6)
    assert tab.model.data(index) == (
        "Overdue by 2 days: the replacement was due on 2026-11-05 09:00."
    )
    assert tab.model.data(index, Qt.ItemDataRole.ForegroundRole).name() == "#b71c1c"
    tab.view.selectRow(0)
    assert "Overdue by 2 days" in tab.actions.details.text()
    assert tab.actions.buttons["test"].isEnabled()


def test_the_admin_keeps_the_exclusion_list(qtbot, make_window):
    window = make_window("admin")
    tab = window.show_page("admin").show_tab("counter_policy")
    assert "accessories 3 month(s)" in tab.periods.text()
    _click(qtbot, tab.findChild(QPushButton, "addExclusionButton"))
    from shop_desk.ui.admin.tab_counter_policy import ExclusionDialog

    dialog = tab.findChild(ExclusionDialog, "exclusionDialog")
    dialog.item.setText("外壳 housing")
    _click(qtbot, dialog.ok_button())
    row = CounterExclusion.get()
    assert (row.category, row.item, row.active) == ("accessory", "外壳 housing", True)
    assert "no longer under warranty" in tab.banner.text()
    assert tab.selected()["id"] == row.id
    _click(qtbot, tab.remove_button)
    box = tab.findChild(QMessageBox, "askBox")
    _click(qtbot, box.findChild(QPushButton, "yesButton"))
    assert not CounterExclusion.get_by_id(row.id).active
    assert "under warranty again" in tab.banner.text()
    assert not tab.remove_button.isEnabled()  # a removed entry stays listed, greyed
    tab.spins["counter_accessory_warranty_days"].setValue(180)
    _click(qtbot, tab.save_periods_button)
    assert "accessories 6 month(s)" in tab.periods.text()
    assert counter_policy.terms().accessory_days == 180


def test_the_manager_decides_a_counter_return_in_the_approvals_in_tray(qtbot, make_window, staff):
    """The counter's approvals are the shop's approvals: the general manager reads the case,
    the receipt and the test report in the in-tray and decides with the PIN."""
    sale = _sold_two_weeks_ago(staff)
    case = counter_returns.receive_product(
        staff["parts"], counter.sale_lines(sale)[0], "1", "exchange", "坏 broken"
    )
    counter_returns.record_test_report(staff["parts"], case, "JC-9", True, "主板 board")
    asked = counter_returns.request_case_approval(staff["parts"], case)
    from shop_desk.ui.shell.widgets import app_settings

    app_settings().setValue("main/page", "approvals")
    window = make_window("manager")
    page = window.show_page("approvals")
    assert page.select(asked.id)
    assert case.number in page.detail_label.text() and sale.number in page.detail_label.text()
    _click(qtbot, page.approve_button)
    dialog = page.dialog
    qtbot.keyClicks(dialog.pin_edit, "1234")
    with qtbot.waitSignal(dialog.accepted):
        _click(qtbot, dialog.ok_button)
    assert CounterCase.get_by_id(case.id).approval.state == "approved"
    counter_returns.send_replacement(staff["parts"], case)
    assert CounterCase.get_by_id(case.id).approval.state == "used"


def test_the_test_report_is_printed_for_the_customer(qtbot, make_window, staff):
    from shop_desk.ui.shell.print_preview import PrintPreviewDialog

    sale = _sold_two_weeks_ago(staff)
    case = counter_returns.receive_product(
        staff["parts"], counter.sale_lines(sale)[0], "1", "exchange", "不录像 does not record"
    )
    _window, _page, tab = _open(make_window, "parts", "returns")
    qtbot.keyClicks(tab.search_edit, sale.number)
    _click(qtbot, tab.find_button)
    tab.cases_view.selectRow(0)
    actions = tab.actions
    assert actions.case.id == case.id
    assert not actions.print_button.isEnabled()  # no test report yet
    counter_returns.record_test_report(staff["parts"], case, "JC-22", True, "卡槽 card slot")
    actions.show_case(case)
    _click(qtbot, actions.print_button)
    preview = actions.findChild(PrintPreviewDialog)
    assert preview is not None and preview.isVisible()
    assert (preview.kind, preview.number) == ("test-report", case.number)
    qtbot.waitUntil(lambda: not preview.is_busy(), timeout=20_000)
    assert preview.page_count() == 1
    preview.close()
