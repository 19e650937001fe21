"""Screenshot staging for the after-care areas: every page and its dialogs, with demo cases
(approvals, a complaint with steps, a call waiting, a car on the 三包 watch list) staged in a
transaction that is rolled back at the end.

Imported by :func:`shop_desk.ui.shots.screenshots.load_staging_modules`; the pages are
imported when a shot runs (after the main window has registered them)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from shop_desk import clock
from shop_desk.models import (
    Approval,
    CallLog,
    Complaint,
    FollowUp,
    JobLine,
    LabourOperation,
    RepairOrder,
    Staff,
    Vehicle,
)
from shop_desk.roles import Role
from shop_desk.states import State
from shop_desk.ui.shots.screenshots import (
    ShotContext,
    ShotWindows,
    register_screenshot,
    settle,
    shoot_and_reject,
    staff_with,
)


def _stage_demo_cases(manager: Staff, advisor: Staff, crm: Staff) -> None:
    """What the demo shop lacks for the pictures: approvals, a complaint with steps, a call
    waiting and a car on the 三包 watch list. Runs inside the screenshot transaction, which
    is rolled back afterwards (the database is left as it was)."""
    from shop_desk.services import aftercare, approvals

    now = clock.now()
    settled = (
        RepairOrder.select()
        .where(RepairOrder.state.in_((State.SETTLED.value, State.LEFT.value, State.CLOSED.value)))
        .order_by(RepairOrder.id.desc())
    )
    orders = list(settled.limit(3))
    if orders:
        cashier = staff_with(Role.CASHIER) or advisor
        approvals.request_approval(
            cashier,
            "refund",
            orders[0],
            "180",
            "顾客投诉洗车划痕，退部分工时费 scratch after the wash",
        )
        done = approvals.request_approval(
            advisor, "discount", orders[-1], "150", "老客户第十次保养 loyal customer, 10th service"
        )
        approvals.approve(manager, done, _pin(manager), "同意 agreed")
        refused = approvals.request_approval(
            advisor, "credit", orders[-1], "2400", "车队客户月结 fleet customer pays monthly"
        )
        approvals.reject(manager, refused, _pin(manager), "本月已超额 over this month's limit")
        approvals.request_approval(
            advisor, "void", orders[0], None, "结算单价格录错 wrong price on the slip"
        )
    line = (
        JobLine.select()
        .join(RepairOrder)
        .where(JobLine.pay_type == "warranty")
        .order_by(JobLine.id.desc())
        .first()
    )
    if line is not None:
        approvals.request_approval(
            advisor, "write_off", line.order, "320", "厂家拒赔，店内承担 manufacturer refused"
        )
    case = Complaint.select().where(Complaint.state == "open").order_by(Complaint.id).first()
    if case is not None:
        aftercare.progress_complaint(
            crm,
            case,
            "investigation",
            "查看维修记录，班组长确认上次未更换传感器 sensor not replaced last time",
        )
        aftercare.progress_complaint(
            manager, case, "measures", "免费返修并更换传感器 free rework, sensor replaced"
        )
    aftercare.log_call(crm, "孙女士", "13788889999", "询问索赔进度 asks about the warranty claim")
    if not aftercare.overdue_calls():
        old = aftercare.log_call(crm, "周先生", "13566667777", "要求回电 wants a call back")
        CallLog.update(
            received_at=now - dt.timedelta(hours=30), answer_due_at=now - dt.timedelta(hours=6)
        ).where(CallLog.id == old.id).execute()
    _stage_sanbao_car(now)


def _pin(_staff: Staff) -> str:
    from shop_desk.seed import SAMPLE_PIN

    return SAMPLE_PIN


def _stage_sanbao_car(now: dt.datetime) -> None:
    """A household car with the same fault repaired four times and one long stay."""
    vehicle = (
        Vehicle.select()
        .where((Vehicle.household == True) & Vehicle.owner.is_null(False))  # noqa: E712
        .order_by(Vehicle.id)
        .first()
    )
    op = LabourOperation.get_or_none(LabourOperation.code == "WIN-REG")
    if vehicle is None or op is None:
        return
    Vehicle.update(sale_date=now.date() - dt.timedelta(days=300)).where(
        Vehicle.id == vehicle.id
    ).execute()
    visits = ((120, 3), (80, 7), (40, 4), (6, None))
    for n, (ago, days) in enumerate(visits, start=1):
        start = now - dt.timedelta(days=ago)
        end = start + dt.timedelta(days=days - 1, hours=8) if days else None
        order = RepairOrder.create(
            number=f"RO{start:%y%m%d}-S{n}",
            state=State.CLOSED.value if end else State.IN_PROGRESS.value,
            customer=vehicle.owner_id,
            vehicle=vehicle,
            checked_in_at=start,
            created_at=start,
            odometer_km=8000 + n * 1500,
            complaint_text="左前车窗升不上去 front left window will not go up",
            warranty_decision="covered",
            ready_at=end,
            delivered_at=end,
        )
        JobLine.create(
            order=order,
            kind="labour",
            labour_op=op,
            description=op.name,
            hours=op.standard_hours,
            rate=Decimal("180.00"),
            pay_type="warranty",
            category=op.category,
            work_state="done" if end else "pending",
        )


def shots(ctx: ShotContext) -> None:
    """Every page of the after-care areas, their dialogs, with demo cases staged in a
    transaction that is rolled back at the end."""
    from shop_desk.db import database
    from shop_desk.ui.aftercare.approvals import ApprovalsPage
    from shop_desk.ui.aftercare.complaints import CallDialog, ComplaintDialog, ComplaintsPage
    from shop_desk.ui.aftercare.followup import FollowUpPage, RecordFollowUpDialog
    from shop_desk.ui.aftercare.report import ReportPage
    from shop_desk.ui.aftercare.warranty import WarrantyPage
    from shop_desk.ui.shell.background import wait_for_jobs
    from shop_desk.ui.shell.main_window import MainWindow

    manager = staff_with(Role.MANAGER, "manager")
    advisor = staff_with(Role.ADVISOR, "advisor2") or staff_with(Role.ADVISOR)
    crm = staff_with(Role.CRM_CLERK) or manager
    if manager is None or advisor is None or crm is None:
        return
    db = database.obj
    with db.atomic() as txn:
        windows = ShotWindows()
        try:
            _stage_demo_cases(manager, advisor, crm)

            open_window = windows.open

            # the window already open serves when its person is a manager (saves building one)
            shown = ctx.window
            if isinstance(shown, MainWindow) and Role.MANAGER.value in shown.staff.role_set():
                window = shown
            else:
                window = open_window(manager)
            follow = window.show_page("follow_up")
            assert isinstance(follow, FollowUpPage)
            follow.tabs.setCurrentIndex(0)
            if follow.model.rowCount() == 0:
                follow.due_combo.setCurrentIndex(2)
            if follow.proxy.rowCount():
                follow.table.selectRow(0)
            settle()
            ctx.save("aftercare_follow_up_calls", window)
            follow.tabs.setCurrentIndex(1)
            wait_for_jobs()
            if follow.reminder_proxy.rowCount():
                follow.reminder_table.selectRow(0)
            settle()
            ctx.save("aftercare_service_reminders", window)

            complaints = window.show_page("complaints")
            assert isinstance(complaints, ComplaintsPage)
            complaints.tabs.setCurrentIndex(0)
            stepped = (
                Complaint.select()
                .where(Complaint.state == "measures")
                .order_by(Complaint.id)
                .first()
            )
            if stepped is not None:
                complaints.open_complaint(stepped.id)
            elif complaints.proxy.rowCount():
                complaints.table.selectRow(0)
            complaints.step_edit.setPlainText("已电话告知顾客处理结果 customer told by phone")
            settle()
            ctx.save("aftercare_complaint_case", window)
            complaints.step_edit.clear()
            complaints.tabs.setCurrentIndex(1)
            # the overdue call shows its red best when another row carries the selection
            calm = next((r for r in complaints.call_model.rows if not r["overdue"]), None)
            if calm is not None:
                complaints.select_call(calm["id"])
            settle()
            ctx.save("aftercare_call_log", window)

            warranty = window.show_page("warranty")
            assert isinstance(warranty, WarrantyPage)
            warranty.tabs.setCurrentIndex(0)
            wait_for_jobs()
            if warranty.proxy.rowCount():
                warranty.table.selectRow(0)
            settle()
            ctx.save("aftercare_warranty_claims", window)
            warranty.tabs.setCurrentIndex(1)
            warranty.refresh_watchlist()
            wait_for_jobs()
            if warranty.watch_proxy.rowCount():
                warranty.watch_table.selectRow(0)
            settle()
            ctx.save("aftercare_sanbao_monitor", window)

            inbox = window.show_page("approvals")
            assert isinstance(inbox, ApprovalsPage)
            inbox.refresh()
            inbox.tabs.setCurrentWidget(inbox.inbox_tab)
            if inbox.proxy.rowCount():
                inbox.table.selectRow(0)
            settle()
            ctx.save("aftercare_approvals_inbox", window)

            report = window.show_page("reports")
            assert isinstance(report, ReportPage)
            wait_for_jobs()
            settle(10)
            report.view_tabs.setCurrentIndex(0)
            settle()
            ctx.save("aftercare_report_charts", window)
            report.view_tabs.setCurrentIndex(1)
            settle()
            ctx.save("aftercare_report_tables", window)
            report.view_tabs.setCurrentIndex(0)

            # dialogs
            pending = Approval.select().where(Approval.state == "pending").order_by(Approval.id)
            first = pending.first()
            if first is not None:
                dialog = inbox.decide(True, first.id)
                if dialog is not None:
                    dialog.reason_edit.setPlainText("同意 agreed")
                    dialog.pin_edit.setText("1234")
                    shoot_and_reject(ctx, "aftercare_dialog_approve", dialog)
            warranty.tabs.setCurrentIndex(0)
            wait_for_jobs()
            if warranty.proxy.rowCount():
                warranty.table.selectRow(0)
                approve = warranty.approve()
                if approve is not None:
                    approve.claim_edit.setText("FAW-2026-0042")
                    shoot_and_reject(ctx, "aftercare_dialog_claim_approve", approve)
                reject = warranty.reject()
                if reject is not None:
                    shoot_and_reject(ctx, "aftercare_dialog_claim_reject", reject)

            # the customer-relations clerk's dialogs: the call's result, a complaint, a call
            desk = window
            fu = FollowUp.select().where(FollowUp.state == "open").order_by(FollowUp.due_at).first()
            if fu is not None:
                dialog = RecordFollowUpDialog(crm, fu, desk)
                dialog.draft_bar.key = ""  # no draft files from screenshots
                dialog.draft_bar.hide()
                dialog.sat[2].setChecked(True)
                dialog.fault_not_gone_radio.setChecked(True)
                dialog.comments_edit.setPlainText("刹车异响还在 the brake noise is still there")
                shoot_and_reject(ctx, "aftercare_dialog_record_follow_up", dialog)
            complaint = ComplaintDialog(crm, desk)
            complaint.draft_bar.key = ""
            complaint.draft_bar.hide()
            order = RepairOrder.select().where(RepairOrder.state == State.CLOSED.value).first()
            if order is not None:
                complaint.finder.search_edit.setText(order.number)
                complaint.finder.run_search()
            complaint.cause_combo.setCurrentIndex(complaint.cause_combo.findData("late"))
            complaint.description_edit.setPlainText(
                "交车比约定时间晚了两个小时 car handed over two hours late"
            )
            shoot_and_reject(ctx, "aftercare_dialog_new_complaint", complaint)
            call = CallDialog(crm, desk)
            call.caller_edit.setText("钱先生")
            call.phone_edit.setText("13611112222")
            call.subject_edit.setPlainText("询问下次保养时间 asks when the next service is due")
            shoot_and_reject(ctx, "aftercare_dialog_log_call", call)

            # an advisor's view of their own requests and the manager's answers
            mine = open_window(advisor).show_page("approvals")
            assert isinstance(mine, ApprovalsPage)
            mine.tabs.setCurrentWidget(mine.mine_tab)
            settle()
            ctx.save("aftercare_approvals_my_requests", windows.windows[-1])
        finally:
            windows.close_all()
            txn.rollback()


register_screenshot("aftercare", shots)
