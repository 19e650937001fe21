"""Screenshot staging for the field desk's back-office tabs (expense claims, penalties, key
customers, field parts) as standalone widgets at 1366×768, with field jobs, claims with
receipt photos, penalty cases and key customers staged in a transaction that is rolled back
at the end.

Imported by :func:`shop_desk.ui.shots.screenshots.load_staging_modules`; the tabs are
imported when the shot runs."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter
from PySide6.QtWidgets import QWidget

from shop_desk import clock
from shop_desk.models import (
    Complaint,
    Customer,
    ExpenseClaim,
    FieldJob,
    KeyCustomer,
    Part,
    Staff,
    StaffRole,
)
from shop_desk.roles import Role
from shop_desk.ui.shots.screenshots import (
    ShotContext,
    register_screenshot,
    settle,
    shoot_and_close,
)

SIZE = QSize(1366, 768)


def _people(role: Role) -> list[Staff]:
    return list(
        Staff.select()
        .join(StaffRole)
        .where((StaffRole.role == role.value) & (Staff.active == True))  # noqa: E712
        .order_by(Staff.id)
    )


def receipt_png(title: str, lines: list[str], amount: str) -> bytes:
    """A photographed paper receipt, drawn: a heading, a few lines and the amount."""
    image = QImage(480, 640, QImage.Format.Format_RGB32)
    image.fill(QColor("#f4f1e8"))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QColor("#b03a2e"))
    font = QFont()
    font.setPixelSize(30)
    font.setBold(True)
    painter.setFont(font)
    painter.drawText(QRect(0, 30, 480, 50), Qt.AlignmentFlag.AlignCenter, title)
    painter.drawLine(40, 95, 440, 95)
    painter.setPen(QColor("#333333"))
    font.setPixelSize(22)
    font.setBold(False)
    painter.setFont(font)
    for n, line in enumerate(lines):
        painter.drawText(50, 150 + n * 44, line)
    font.setPixelSize(34)
    font.setBold(True)
    painter.setFont(font)
    painter.drawText(QRect(0, 520, 440, 60), Qt.AlignmentFlag.AlignRight, amount)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data.data())


def _returned_job(staff: dict[str, Staff], customer: Customer, place: str) -> FieldJob:
    from shop_desk.services import field

    now = clock.now()
    job = field.register_field_job(
        staff["advisor"],
        customer.id,
        place,
        "车队三辆车定期保养 three fleet vans serviced at the depot",
        now + dt.timedelta(hours=3),
        kind="fleet_visit",
        within_warranty=True,
    )
    field.dispatch_field_job(
        staff["supervisor"], job.id, [staff["tech1"].id, staff["tech2"].id], "服务车 沪A-F001"
    )
    tech = staff["tech1"]
    for step in ("depart", "arrive", "start_work"):
        getattr(field, step)(tech, job.id)
    field.finish_work(tech, job.id, "三辆车保养完成 three vans serviced")
    field.call_centre(tech, job.id)
    field.leave_site(tech, job.id)
    field.return_to_base(tech, job.id)
    return FieldJob.get_by_id(job.id)


def _stage(staff: dict[str, Staff]) -> dict[str, object]:
    """Jobs, claims, cases and key customers for the pictures (rolled back afterwards)."""
    from shop_desk.services import expenses, field, key_customers, penalties
    from shop_desk.services.customers import create_customer

    customers = [
        create_customer(staff["advisor"], name, phone, kind="company")
        for name, phone in (
            ("顺达物流 Shunda Logistics", "0512-62001111"),
            ("沪通公交三公司 Hutong Bus Co. 3", "021-64002222"),
            ("华东出租 East Taxi", "021-64003333"),
            ("申城快递 Shencheng Express", "021-64004444"),
        )
    ]
    place = "苏州工业园区 星湖街 88号 顺达物流车场"
    job = _returned_job(staff, customers[0], place)
    ticket = receipt_png(
        "高速公路通行费", ["入口: 上海 沪宁高速", "出口: 苏州工业园区", "车型: 一类"], "¥45.00"
    )
    fuel = receipt_png("中国石化 加油发票", ["92# 汽油 42.5 升", "单价 7.06"], "¥300.00")
    wrench = receipt_png("五金商店 销售单", ["套筒扳手 1套", "现金"], "¥80.00")
    tape = receipt_png("便利店 收据", ["电工胶带 2卷"], "¥20.00")
    hotel = receipt_png("如家酒店 住宿发票", ["标准间 1晚", "11月2日"], "¥260.00")
    waiting = expenses.submit_expense_claim(
        staff["tech1"],
        job.id,
        [
            {"kind": "ticket", "amount": "45.00", "place": "苏州工业园区", "receipt": ticket},
            {"kind": "fuel", "amount": "300.00", "receipt": fuel},
            {
                "kind": "tool",
                "amount": "80.00",
                "description": "套筒扳手 socket set",
                "receipt": wrench,
            },
            {"kind": "tool", "amount": "20.00", "description": "电工胶带 tape", "receipt": tape},
        ],
    )
    socket = next(i for i in expenses.items_of(waiting) if i.amount == 80)
    expenses.record_tool_returned(staff["parts"], socket.id)
    lodging = expenses.submit_expense_claim(
        staff["tech2"], job.id, [{"kind": "lodging", "amount": "260.00", "receipt": hotel}]
    )
    expenses.approve_expense_claim(staff["supervisor"], lodging.id)

    # a job out now with parts taken out, one late for a personal reason
    out = field.register_field_job(
        staff["advisor"],
        customers[1].id,
        "沪宁高速 G42 上行 12 公里",
        "发动机无法启动 engine will not start",
        clock.now() + dt.timedelta(hours=2),
    )
    field.dispatch_field_job(staff["supervisor"], out.id, [staff["tech2"].id], "服务车 沪A-F002")
    stocked = list(Part.select().where(Part.stock_qty >= 3).order_by(Part.id).limit(2))
    if stocked:
        field.issue_field_parts(staff["parts"], out.id, {p.id: "1" for p in stocked})
    field.depart(staff["tech2"], out.id)
    with clock.frozen(clock.now() + dt.timedelta(hours=3)):
        field.arrive(staff["tech2"], out.id, "回家取东西 went home first", personal=True)
    penalties.record_not_following_dispatch(
        staff["supervisor"], staff["tech1"], job.id, "拒绝临时加派的第二辆车 refused the second van"
    )
    verified = Complaint.create(
        number="TS-F01",
        channel="phone",
        customer=customers[2],
        cause="money",
        staff_concerned=staff["tech2"],
        description="上门服务时索要红包 asked for a tip on a home visit",
        state="measures",
    )
    Complaint.create(
        number="TS-F02",
        channel="visit",
        customer=customers[3],
        cause="rude",
        staff_concerned=staff["tech1"],
        description="态度生硬 curt with the customer",
        state="feedback",
    )
    penalties.demerit_from_complaint(staff["manager"], verified.id)

    # key customers: one overdue, one due today, one later, with a visit on record
    rows = []
    for customer, days, note in zip(
        customers[:3],
        (30, 60, 90),
        ("车队 12 辆厢式货车 12 vans", "公交线路 8 辆 8 buses", "出租车 20 辆 20 taxis"),
        strict=False,
    ):
        rows.append(key_customers.add_key_customer(staff["manager"], customer.id, days, note))
    today = clock.today()
    if rows:
        key_customers.record_key_customer_visit(
            staff["manager"],
            rows[0].id,
            today - dt.timedelta(days=40),
            "每天跑两百公里，市区配送 200 km a day in town",
            "座椅偏硬，希望加装倒车影像 seats too hard; wants a reversing camera",
            visited_by=staff["tech1"].id,
        )
        KeyCustomer.update(next_visit_on=today - dt.timedelta(days=10)).where(
            KeyCustomer.id == rows[0].id
        ).execute()
    if len(rows) > 1:
        KeyCustomer.update(next_visit_on=today).where(KeyCustomer.id == rows[1].id).execute()
    return {"claim": waiting, "out": out, "key": rows[0] if rows else None}


def _shot(ctx: ShotContext, name: str, widget: QWidget) -> None:
    widget.resize(SIZE)
    widget.show()
    settle()
    ctx.save(name, widget)


def shots(ctx: ShotContext) -> None:
    from shop_desk.db import database
    from shop_desk.ui.field.tab_expenses import ExpensesTab, RejectDialog
    from shop_desk.ui.field.tab_field_parts import FieldPartsTab, IssueFieldPartsDialog
    from shop_desk.ui.field.tab_key_customers import KeyCustomersTab, RecordVisitDialog
    from shop_desk.ui.field.tab_penalties import DemeritDialog, PenaltiesTab

    techs = _people(Role.TECHNICIAN)
    found = {
        "advisor": _people(Role.ADVISOR),
        "supervisor": _people(Role.SUPERVISOR),
        "parts": _people(Role.PARTS_CLERK),
        "manager": _people(Role.MANAGER),
        "crm": _people(Role.CRM_CLERK),
    }
    if len(techs) < 2 or not all(found.values()):
        return
    staff = {key: people[0] for key, people in found.items()}
    staff["tech1"], staff["tech2"] = techs[0], techs[1]
    widgets: list[QWidget] = []
    with database.obj.atomic() as txn:
        try:
            staged = _stage(staff)
            claim = staged["claim"]
            assert isinstance(claim, ExpenseClaim)

            expenses_tab = ExpensesTab(staff["supervisor"])
            widgets.append(expenses_tab)
            expenses_tab.select_claim(claim.id)
            _shot(ctx, "field_office_expenses", expenses_tab)
            shoot_and_close(ctx, "field_office_dialog_receipt", expenses_tab.show_receipt(1))
            reject = RejectDialog(staff["supervisor"], claim, expenses_tab)
            reject.reason.setPlainText(
                "加油发票日期与出车日期不符 fuel receipt dated before the job"
            )
            reject.false_receipt.setChecked(True)
            shoot_and_close(ctx, "field_office_dialog_reject_claim", reject)

            penalties_tab = PenaltiesTab(staff["manager"])
            widgets.append(penalties_tab)
            _shot(ctx, "field_office_penalties", penalties_tab)
            shoot_and_close(
                ctx, "field_office_dialog_demerit", DemeritDialog(staff["manager"], penalties_tab)
            )

            key_tab = KeyCustomersTab(staff["crm"])
            widgets.append(key_tab)
            _shot(ctx, "field_office_key_customers", key_tab)
            key = staged["key"]
            if isinstance(key, KeyCustomer):
                visit = RecordVisitDialog(staff["crm"], key, key_tab)
                visit.visitor.setCurrentIndex(visit.visitor.findData(staff["tech1"].id))
                visit.usage.setPlainText("市区配送，每天约两百公里 town deliveries, 200 km a day")
                visit.opinions.setPlainText("刹车片磨损快 brake pads wear fast")
                shoot_and_close(ctx, "field_office_dialog_record_visit", visit)
            key_tab.show_due()
            _shot(ctx, "field_office_key_customers_due", key_tab)

            parts_tab = FieldPartsTab(staff["parts"])
            widgets.append(parts_tab)
            out = staged["out"]
            assert isinstance(out, FieldJob)
            parts_tab.select_job(out.id)
            _shot(ctx, "field_office_field_parts", parts_tab)
            issue = IssueFieldPartsDialog(staff["parts"], out, parts_tab)
            part = Part.select().where(Part.stock_qty >= 3).order_by(Part.id).first()
            if part is not None:
                issue.picker.select_part(part.id)
                issue.quantity.setText("2")
                issue.add_part()
            shoot_and_close(ctx, "field_office_dialog_issue_parts", issue)
        finally:
            for widget in widgets:
                widget.close()
                widget.deleteLater()
            settle()
            txn.rollback()


register_screenshot("field_office", shots)
