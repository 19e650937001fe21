"""Screenshot staging for the technician's tablet view of their field jobs (我的外出服务), at a
tablet's size (1280×800): the job cards, a late arrival, the customer's agreement to a quote
on the pad, the work step, the call to the service centre, the service report with its gaps,
the satisfaction survey and an expense claim with receipt photos and a refused ticket.

The jobs are staged through the services in a transaction that is rolled back at the end,
with the clock pinned so the late and overdue words come out the same on any day.
Imported by :func:`shop_desk.ui.shots.screenshots.load_staging_modules`."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter

from shop_desk import clock
from shop_desk.models import FieldJob, Part, Staff, Vehicle
from shop_desk.roles import Role
from shop_desk.ui.shots.appointments import signature_strokes
from shop_desk.ui.shots.screenshots import ShotContext, register_screenshot, settle, staff_with

#: The tablet's screen.
TABLET = (1280, 800)
DESTINATION = "苏州工业园区星湖街 88 号 Suzhou Industrial Park"


def receipt_photo(title: str, amount: str, tint: str) -> bytes:
    """A photographed receipt for the pictures: paper, a title and an amount, as JPEG."""
    image = QImage(300, 400, QImage.Format.Format_RGB32)
    image.fill(QColor(tint))
    painter = QPainter(image)
    painter.fillRect(30, 30, 240, 340, QColor("#fbfaf6"))
    painter.setPen(QColor("#333333"))
    font = QFont()
    font.setPixelSize(26)
    painter.setFont(font)
    painter.drawText(30, 50, 240, 60, Qt.AlignmentFlag.AlignCenter, title)
    for n in range(6):
        painter.fillRect(55, 140 + n * 28, 190 - (n % 3) * 30, 8, QColor("#b9b6ad"))
    font.setPixelSize(34)
    painter.setFont(font)
    painter.drawText(30, 310, 240, 50, Qt.AlignmentFlag.AlignCenter, amount)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "JPEG", 85)
    buffer.close()
    return bytes(data.data())


def _vehicles(count: int) -> list[Vehicle]:
    return list(
        Vehicle.select().where(Vehicle.owner.is_null(False)).order_by(Vehicle.id).limit(count)
    )


def _stage(tech: Staff, mate: Staff, advisor: Staff, supervisor: Staff, clerk: Staff) -> dict:
    """Six jobs of ``tech`` in different steps; the clock ends three hours after ``start``."""
    from shop_desk.services import field

    cars = _vehicles(6)
    if not cars:
        return {}
    start = clock.now()

    def job(
        n: int,
        hours: float,
        what: str,
        warranty: bool = True,
        crew: tuple[Staff, ...] = (tech,),
        place: str = DESTINATION,
        kind: str = "breakdown",
    ) -> FieldJob:
        car = cars[n % len(cars)]  # a small shop: one car may have several jobs
        row = field.register_field_job(
            advisor,
            car.owner_id,
            place,
            what,
            start + dt.timedelta(hours=hours),
            kind=kind,
            vehicle=car.id,
            within_warranty=warranty,
        )
        field.dispatch_field_job(
            supervisor,
            row.id,
            [p.id for p in crew],
            "服务车 沪A-F001 service van",
            tools="诊断仪、万用表 diagnostic tester, multimeter",
        )
        return row

    dispatched = job(
        0,
        5,
        "车队保养 fleet service, 4 vans",
        kind="fleet_visit",
        place="顺达物流嘉定仓库 Shunda depot, Jiading",
    )
    late = job(1, 2, "高速上无法启动 will not start on the motorway", crew=(tech, mate))
    quoted = job(
        2, 4, "空调不制冷 air conditioning not cooling", warranty=False, kind="mobile_service"
    )
    working = job(3, 4, "蓄电池亏电 flat battery")
    calling = job(4, 4, "爆胎 flat tyre")
    back = job(5, 4, "发动机故障灯亮 engine warning light")
    parts = list(Part.select().where(Part.stock_qty >= 2).order_by(Part.id).limit(2))
    if parts:
        field.issue_field_parts(clerk, back.id, {p.id: "1" for p in parts})
    clock.set_now(start + dt.timedelta(minutes=30))
    for row in (late, quoted, working, calling, back):
        field.depart(tech, row.id)
    clock.set_now(start + dt.timedelta(hours=1, minutes=40))
    for row in (quoted, working, calling, back):
        field.arrive(tech, row.id)
    field.record_quote(supervisor, quoted.id, "420.00", "180.00", "150.00")
    for row in (working, calling, back):
        field.start_work(tech, row.id)
    clock.set_now(start + dt.timedelta(hours=2, minutes=20))
    field.finish_work(tech, calling.id, "更换备胎 spare wheel fitted")
    field.finish_work(tech, back.id, "更换点火线圈 ignition coil replaced")
    field.call_centre(tech, back.id)
    field.leave_site(tech, back.id)
    clock.set_now(start + dt.timedelta(hours=3, minutes=5))
    field.return_to_base(tech, back.id)
    return {
        "dispatched": dispatched,
        "late": late,
        "quoted": quoted,
        "working": working,
        "calling": calling,
        "back": back,
    }


def shots(ctx: ShotContext) -> None:
    """The tablet view as a technician sees it, job by job."""
    from shop_desk.db import database
    from shop_desk.ui.field.tablet import FieldTabletPage
    from shop_desk.ui.shell.background import wait_for_jobs
    from shop_desk.ui.shell.main_window import MainWindow

    tech = staff_with(Role.TECHNICIAN, "tech1")
    mate = staff_with(Role.TECHNICIAN, "tech2") or tech
    advisor = staff_with(Role.ADVISOR)
    supervisor = staff_with(Role.SUPERVISOR)
    clerk = staff_with(Role.PARTS_CLERK)
    if None in (tech, mate, advisor, supervisor, clerk):
        return
    db = database.obj
    window = None
    # a working morning on the day the pictures are made (whatever the hour they are made)
    start = dt.datetime.combine(clock.today(), dt.time(8, 30))
    with db.atomic() as txn, clock.frozen(start):
        try:
            jobs = _stage(tech, mate, advisor, supervisor, clerk)
            if not jobs:
                return
            window = MainWindow(tech)
            window.resize(*TABLET)
            window.show()
            settle()
            page = window.show_page("field_tablet")
            assert isinstance(page, FieldTabletPage)
            page.refresh()
            settle()
            ctx.save("field_tablet_jobs", window)

            page.open_job(jobs["late"].id)
            steps = page.step_panel
            steps.late_reason_edit.setPlainText(
                "G2 京沪高速事故封路 the G2 was closed after an accident"
            )
            settle()
            ctx.save("field_tablet_arrive_late", window)

            page.open_job(jobs["quoted"].id)
            settle()
            pad = steps.agreement.pad
            pad.strokes = signature_strokes(pad.width(), pad.height())
            pad.update()
            ctx.save("field_tablet_agreement", window)

            page.open_job(jobs["working"].id)
            steps.work_done_edit.setPlainText(
                "蓄电池亏电，搭电启动后更换蓄电池 flat battery: jump-started, battery replaced"
            )
            settle()
            ctx.save("field_tablet_finish_work", window)

            page.open_job(jobs["calling"].id)
            settle()
            ctx.save("field_tablet_call_centre", window)

            back = jobs["back"]
            page.open_job(back.id)
            report = page.report_panel
            report.cause_edit.setPlainText("点火线圈击穿 ignition coil broken down")
            report.solution_edit.setPlainText("更换第三缸点火线圈 coil of cylinder 3 replaced")
            if report.chip_buttons:
                report.chip_buttons[0].click()
            settle()
            ctx.save("field_tablet_report", window)

            from shop_desk.services import field

            field.submit_report(tech, back.id, *report.texts()[:3], "满意，响应很快 quick response")
            page.reload()
            page.show_section("survey")
            survey = page.survey_panel
            survey.score_buttons[5].setChecked(True)
            survey.comments_edit.setPlainText("师傅很专业 very professional")
            settle()
            survey.pad.strokes = signature_strokes(survey.pad.width(), survey.pad.height())
            survey.pad.update()
            ctx.save("field_tablet_survey", window)

            page.show_section("expenses")
            expense = page.expense_panel
            expense.items = [
                {
                    "kind": "fuel",
                    "description": "92# 汽油 petrol",
                    "place": "",
                    "amount": "286.00",
                    "receipt": receipt_photo("加油 Fuel", "¥286.00", "#8a9aa8"),
                },
                {
                    "kind": "ticket",
                    "description": "高速通行费 motorway toll",
                    "place": "南京 Nanjing",
                    "amount": "95.00",
                    "receipt": receipt_photo("通行费 Toll", "¥95.00", "#a8988a"),
                },
            ]
            expense._show_items()
            expense.submit()  # the ticket is not for the destination: refused in words
            settle()
            area = page.section_areas["expenses"]
            area.ensureWidgetVisible(expense.total_label)
            settle()
            ctx.save("field_tablet_expenses", window)
        finally:
            wait_for_jobs()
            if window is not None:
                window.close()
                window.deleteLater()
            settle()
            txn.rollback()


register_screenshot("field_tablet", shots)
