"""Screenshot staging for the accessory counter (配件零售): a basket with a gift, sales of the
last weeks, products brought back in every step (one replacement late, one waiting for the
general manager) and the admin's exclusion list, staged in a transaction that is rolled back
at the end (the demo shop is left as it was).

Imported by :func:`shop_desk.ui.shots.screenshots.load_staging_modules`; the pages are
imported when a shot runs (after the main window has registered them)."""

from __future__ import annotations

import datetime as dt

from shop_desk import clock
from shop_desk.models import Part, Staff
from shop_desk.roles import Role
from shop_desk.ui.shots.screenshots import (
    ShotContext,
    register_screenshot,
    settle,
    shoot_and_reject,
    staff_with,
)


def _in_stock(count: int) -> list[Part]:
    rows = Part.select().where(Part.active == True).order_by(Part.id)  # noqa: E712
    return [p for p in rows if p.available_qty >= 3][:count]


def _stage(clerk: Staff, admin: Staff) -> str | None:
    """Sales and cases for the pictures; the phone number of the customer to look up."""
    from shop_desk.services import counter, counter_policy, counter_returns

    parts = _in_stock(3)
    if len(parts) < 3:
        return None
    now = clock.now()
    counter_policy.add_exclusion(admin, "accessory", "外壳 housing")
    counter_policy.add_exclusion(admin, "accessory", "显示屏 display panel")
    phone = "13611112222"
    with clock.frozen(now - dt.timedelta(days=10)):
        sale = counter.sell(
            clerk,
            [
                {"part": parts[0].id, "quantity": "1"},
                {"part": parts[1].id, "quantity": "2"},
                {"part": parts[2].id, "quantity": "1", "gift": True},
            ],
            "wechat",
            customer_name="赵女士 Zhao",
            customer_phone=phone,
        )
    lines = counter.sale_lines(sale)
    with clock.frozen(now - dt.timedelta(days=5)):
        late = counter_returns.receive_product(
            clerk, lines[0], "1", "exchange", "无法开机 does not switch on"
        )
        counter_returns.record_test_report(
            clerk, late, "JC-0091", True, "主板故障 main board faulty", component="主板 board"
        )
    with clock.frozen(now - dt.timedelta(days=1)):
        waiting = counter_returns.receive_product(
            clerk, lines[1], "1", "refund", "接触不良 loose contact"
        )
        counter_returns.record_test_report(clerk, waiting, "JC-0092", True, "插头松动 plug loose")
        counter_returns.request_case_approval(clerk, waiting)
    counter_returns.receive_product(clerk, lines[1], "1", "exchange", "有异响 rattles")
    counter.sell(clerk, [{"part": parts[1].id, "quantity": "1"}], "cash", tendered="500")
    return phone


def shots(ctx: ShotContext) -> None:
    from shop_desk.db import database
    from shop_desk.ui.counter.case_actions import TestReportDialog
    from shop_desk.ui.counter.pages import CounterPage
    from shop_desk.ui.counter.tab_returns import ReceiveDialog
    from shop_desk.ui.shell.print_preview import wait_for_renders

    window = ctx.window
    clerk = staff_with(Role.PARTS_CLERK) or ctx.staff
    if window is None or "counter" not in window.visible_page_keys():
        return
    with database.obj.atomic() as txn:
        try:
            phone = _stage(clerk, ctx.staff)
            if phone is None:
                return
            page = window.show_page("counter")
            assert isinstance(page, CounterPage)
            sale = page.show_tab("sale")
            sale.refresh()
            for index, part in enumerate(_in_stock(2)):
                sale.picker.select_part(part.id)
                sale.gift_check.setChecked(index == 1)
                sale.add_line()
            sale.phone_edit.setText("13900001111")
            settle()
            ctx.save("counter_sale_basket", window)
            returns = page.show_tab("returns")
            returns.search_edit.setText(phone)
            returns.find()
            returns.lines_view.selectRow(0)
            returns.cases_view.selectRow(0)
            settle()
            ctx.save("counter_returns_case", window)
            line = returns.lines_model.rows[0]
            receive = ReceiveDialog(ctx.staff, line, window)
            receive.fault_edit.setPlainText("屏幕闪烁 screen flickers")
            shoot_and_reject(ctx, "counter_dialog_receive", receive)
            fresh = next(c for c in returns.cases_model.rows if c.state == "received")
            report = TestReportDialog(ctx.staff, fresh, window)
            report.report_edit.setText("JC-0093")
            report.findings_edit.setPlainText("风扇轴承磨损 fan bearing worn")
            report.quality_check.setChecked(True)
            shoot_and_reject(ctx, "counter_dialog_test_report", report)
            sent_in = page.show_tab("sent_in")
            sent_in.refresh()
            sent_in.view.selectRow(0)
            settle()
            ctx.save("counter_sent_in", window)
            if "admin" in window.visible_page_keys():
                window.show_page("admin").show_tab("counter_policy").refresh()
                settle()
                ctx.save("admin_counter_policy", window)
        finally:
            wait_for_renders()
            settle()
            txn.rollback()


register_screenshot("counter", shots)
