"""The monthly report page shows the insurance figures: what was billed to insurers, what
they still owe and how old it is, and the receivables table by insurer."""

from __future__ import annotations

import datetime as dt

from factories import make_line, make_order
from shop_desk import clock
from shop_desk.services import checkout, insurance
from shop_desk.states import State


def test_report_page_shows_insurance_revenue_and_receivables(qtbot, make_window, staff):
    from shop_desk.ui.shell.widgets import app_settings

    order = make_order(State.DELIVERED)
    panel = make_line(order, "钣金修复 Panel repair", category="body", hours="2.00")  # 360.00
    company = insurance.save_insurer(staff["admin"], "平安保险 Ping An")
    insurance.record_claim(staff["advisor"], order, company, "RPAH5", excess="60.00")
    insurance.record_assessment(
        staff["advisor"], order, "李定损", dt.date(2026, 11, 1), {panel.id: "360.00"}
    )
    insurance.confirm_insurer_part(staff["advisor"], order)
    checkout.take_payment(staff["cashier"], order, "cash", checkout.settlement_preview(order).due)
    checkout.settle(staff["cashier"], order)
    clock.set_now(dt.datetime(2026, 11, 20, 9, 0))
    app_settings().setValue("main/page", "reports")
    window = make_window("manager")
    page = window.show_page("reports")
    qtbot.waitUntil(lambda: not page.running and page.report is not None, timeout=10000)
    figures = dict(page.figures_model.rows)
    assert figures["Revenue: Insurance"] == "¥360.00"
    assert figures["Insurance: billed to insurers"] == "¥300.00"
    assert figures["Insurer receivables outstanding"] == "¥300.00"
    assert figures["Insurer receivables: 0–30 days"] == "¥300.00"
    page.view_tabs.setCurrentIndex(1)
    page.table_combo.setCurrentIndex(page.table_combo.findText("Insurer receivables"))
    assert page.table_model.rowCount() == 1
    assert page.table_model.rows[0][0] == "平安保险 Ping An"
