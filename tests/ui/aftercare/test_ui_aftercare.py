"""After-care pages driven through their widgets: follow-up call → complaint → closed, the call
log with an overdue call, service reminders booked, warranty claims and the 三包 monitor."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QPushButton

from factories import make_customer, make_line, make_order, make_vehicle
from shop_desk import clock
from shop_desk.models import Appointment, CallLog, Complaint, FollowUp, JobLine
from shop_desk.services import sanbao
from shop_desk.states import State
from shop_desk.ui.aftercare.common import RED

NOW = dt.datetime(2026, 11, 2, 9, 0)


@pytest.fixture(autouse=True)
def _clock_pinned(db):
    """Pin the clock after the database exists (building the sample template may reset it)."""
    clock.set_now(NOW)


def _open(make_window, login: str, key: str):
    """A main window signed in as ``login`` that opens on page ``key`` (as the last page used
    would), so no other area is built first."""
    from shop_desk.ui.shell.widgets import app_settings

    app_settings().setValue("main/page", key)
    window = make_window(login)
    page = window.show_page(key)
    _read(page)
    return window, page


def _read(page) -> None:
    """Wait for the page's background reads (reminders, claims, the 三包 watchlist)."""
    from pytestqt.qtbot import QtBot

    QtBot(page).waitUntil(
        lambda: (
            not getattr(page, "reading", False) and not getattr(page, "reminders_reading", False)
        )
    )


def _click(qtbot, widget) -> None:
    assert widget.isEnabled(), widget.objectName()
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def _left_order(preferred: str = "", due: dt.datetime = NOW, **kw):
    customer = make_customer(phone=kw.pop("phone", "13900001111"), preferred_contact_time=preferred)
    order = make_order(State.LEFT, paid=True, vehicle=make_vehicle(owner=customer), **kw)
    fu = FollowUp.get(FollowUp.order == order)
    fu.due_at = due
    fu.save()
    return order, fu


def _yes(qtbot, parent) -> None:
    box = parent.findChild(QMessageBox, "askBox")
    assert box is not None and box.isVisible()
    _click(qtbot, box.findChild(QPushButton, "yesButton"))


# --------------------------------------------------------------------------- follow-up


def test_follow_up_list_is_in_preferred_time_order_and_shows_the_order(qtbot, make_window, staff):
    late, late_fu = _left_order("晚上 18:00", due=NOW.replace(hour=18), phone="13900001112")
    early, early_fu = _left_order("8:30", due=NOW - dt.timedelta(days=1, minutes=30))
    _left_order(due=NOW + dt.timedelta(days=2), phone="13900001113")  # not due yet
    window, page = _open(make_window, "crm", "follow_up")
    assert [r["id"] for r in page.model.rows] == [early_fu.id, late_fu.id]
    assert page.model.rows[0]["overdue"] and not page.model.rows[1]["overdue"]
    index = page.proxy.index(0, 0)
    assert page.proxy.data(index, Qt.ItemDataRole.BackgroundRole).name() == RED[1]
    # one click: the order, the work done and the advisor
    qtbot.mouseClick(
        page.table.viewport(),
        Qt.MouseButton.LeftButton,
        pos=page.table.visualRect(page.proxy.index(1, 0)).center(),
    )
    assert page.selected()["id"] == late_fu.id
    assert late.number in page.heading.text()
    assert staff["advisor"].name in page.sub_label.text()
    assert "18:00" in page.sub_label.text()
    assert page.work_model.rowCount() == 2  # labour and part
    assert page.record_button.isEnabled()
    page.due_combo.setCurrentIndex(1)  # within 3 days
    assert len(page.model.rows) == 3


def test_not_reached_comes_back_tomorrow(qtbot, make_window):
    _order, fu = _left_order()
    window, page = _open(make_window, "crm", "follow_up")
    assert page.select(fu.id)
    _click(qtbot, page.record_button)
    dialog = page.dialog
    assert dialog.isVisible()
    _click(qtbot, dialog.not_reached_radio)
    assert not dialog.answers.isEnabled()
    with qtbot.waitSignal(dialog.accepted):
        _click(qtbot, dialog.ok_button)
    row = FollowUp.get_by_id(fu.id)
    assert (row.state, row.attempts, row.due_at.date()) == ("open", 1, dt.date(2026, 11, 3))
    assert page.model.rows == []
    assert "not reached" in page.banner.text()


def test_follow_up_becomes_a_complaint_and_is_closed(qtbot, make_window, staff):
    order, fu = _left_order()
    window, page = _open(make_window, "crm", "follow_up")
    assert page.select(fu.id)
    _click(qtbot, page.record_button)
    dialog = page.dialog
    # the fault question is required: refused inline, the answers stay
    _click(qtbot, dialog.sat[2])
    qtbot.keyClicks(dialog.comments_edit, "brake noise still there")
    _click(qtbot, dialog.ok_button)
    assert dialog.isVisible() and "fault is gone" in dialog.error.text()
    assert dialog.satisfaction() == 2
    _click(qtbot, dialog.fault_not_gone_radio)
    with qtbot.waitSignal(dialog.accepted):
        _click(qtbot, dialog.ok_button)
    assert FollowUp.get_by_id(fu.id).state == "done"
    assert page.unhappy_bar.isVisible()
    _click(qtbot, page.unhappy_button)  # one click opens the complaint case
    case = Complaint.get(Complaint.follow_up == fu.id)
    assert (case.order_id, case.cause, case.channel) == (order.id, "quality", "phone")
    assert case.number in page.banner.text()
    assert not page.unhappy_bar.isVisible()

    complaints = window.show_page("complaints")
    complaints.open_complaint(case.id)
    assert case.number in complaints.heading.text()
    assert complaints.values["order"].text() == order.number
    # a step needs its text: refused, nothing changes
    _click(qtbot, complaints.save_step_button)
    assert complaints.banner.kind == "error"
    assert Complaint.get_by_id(case.id).state == "open"
    assert not complaints.close_button.isEnabled()
    for step, state in (
        ("investigation", "investigating"),
        ("measures", "measures"),
        ("feedback", "feedback"),
        ("follow_up", "follow_up"),
    ):
        assert complaints.step_combo.currentData() == step
        qtbot.keyClicks(complaints.step_edit, f"{step} note")
        _click(qtbot, complaints.save_step_button)
        assert Complaint.get_by_id(case.id).state == state
        assert complaints.step_edit.toPlainText() == ""
    _click(qtbot, complaints.close_button)
    qtbot.keyClicks(complaints.step_edit, "customer satisfied after rework")
    _yes(qtbot, complaints)
    closed = Complaint.get_by_id(case.id)
    assert closed.state == "closed"
    steps = json.loads(closed.steps)
    assert [s["step"] for s in steps][-1] == "closed"
    assert steps[-1]["text"] == "customer satisfied after rework"
    assert all(s["by"] == staff["crm"].name and s["at"] for s in steps)
    assert complaints.steps_model.rowCount() == 6
    assert not complaints.save_step_button.isEnabled()
    assert complaints.complaint.state == "closed"


def test_new_complaint_by_letter_through_the_dialog(qtbot, make_window, staff):
    order = make_order(
        State.CLOSED, vehicle=make_vehicle(owner=make_customer("李女士", "13912340000"))
    )
    window, page = _open(make_window, "advisor", "complaints")
    _click(qtbot, page.new_button)
    dialog = page.dialog
    _click(qtbot, dialog.ok_button)
    assert "Find the customer" in dialog.error.text()
    qtbot.keyClicks(dialog.finder.search_edit, order.number)
    qtbot.keyClick(dialog.finder.search_edit, Qt.Key.Key_Return)
    assert dialog.finder.customer_id() == order.customer_id
    assert dialog.finder.order_id() == order.id
    dialog.channel_combo.setCurrentIndex(dialog.channel_combo.findData("letter"))
    dialog.cause_combo.setCurrentIndex(dialog.cause_combo.findData("rude"))
    dialog.staff_combo.setCurrentIndex(dialog.staff_combo.findData(staff["tech1"].id))
    qtbot.keyClicks(dialog.description_edit, "the technician was rude")
    with qtbot.waitSignal(dialog.accepted):
        _click(qtbot, dialog.ok_button)
    case = Complaint.get()
    assert (case.channel, case.cause, case.staff_concerned_id, case.vehicle_id) == (
        "letter",
        "rude",
        staff["tech1"].id,
        order.vehicle_id,
    )
    assert page.complaint.id == case.id


def test_comeback_complaint_from_the_dialog(qtbot, make_window):
    first = make_order(State.CLOSED)
    again = make_order(
        State.IN_PROGRESS, vehicle=first.vehicle, is_comeback=True, comeback_of=first
    )
    window, page = _open(make_window, "crm", "complaints")
    _click(qtbot, page.new_button)
    dialog = page.dialog
    assert not dialog.comeback_row.isVisible()
    qtbot.keyClicks(dialog.finder.search_edit, again.number)
    qtbot.keyClick(dialog.finder.search_edit, Qt.Key.Key_Return)
    assert dialog.comeback_row.isVisible() and first.number in dialog.comeback_label.text()
    with qtbot.waitSignal(dialog.accepted):
        _click(qtbot, dialog.comeback_button)
    case = Complaint.get()
    assert (case.cause, case.order_id, case.staff_concerned_id) == (
        "comeback",
        again.id,
        first.technician_id,
    )
    assert page.complaint.id == case.id and "Comeback" in page.values["cause"].text()


def test_flagged_comebacks_open_their_complaint_cases_with_one_click(qtbot, make_window):
    first = make_order(State.CLOSED)
    again = make_order(
        State.IN_PROGRESS, vehicle=first.vehicle, is_comeback=True, comeback_of=first
    )
    window, page = _open(make_window, "crm", "complaints")
    assert page.comeback_bar.isVisible() and again.number in page.comeback_label.text()
    _click(qtbot, page.comebacks_button)
    case = Complaint.get(Complaint.order == again.id)
    assert case.cause == "comeback" and case.staff_concerned_id == first.technician_id
    assert page.complaint.id == case.id and case.number in page.banner.text()
    assert not page.comeback_bar.isVisible()
    assert page.steps_model.index(0, 0).data() == "Complaint recorded"


def test_call_overdue_after_24_hours(qtbot, make_window, staff):
    window, page = _open(make_window, "crm", "complaints")
    page.tabs.setCurrentIndex(1)
    _click(qtbot, page.log_call_button)
    dialog = page.dialog
    qtbot.keyClicks(dialog.caller_edit, "Mr Wang")
    qtbot.keyClicks(dialog.phone_edit, "12345")
    qtbot.keyClicks(dialog.subject_edit, "When is my car ready?")
    _click(qtbot, dialog.ok_button)
    assert dialog.isVisible() and dialog.phone_edit.property("invalid")
    assert CallLog.select().count() == 0
    dialog.phone_edit.setText("138 0013 8000")
    with qtbot.waitSignal(dialog.accepted):
        _click(qtbot, dialog.ok_button)
    call = CallLog.get()
    assert call.answer_due_at == NOW + dt.timedelta(hours=24)
    row = page.call_model.rows[0]
    assert not row["overdue"] and "Answer within 24 h" in row["status"]
    assert page.call_proxy.data(page.call_proxy.index(0, 0), Qt.ItemDataRole.BackgroundRole) is None

    clock.set_now(NOW + dt.timedelta(hours=24, minutes=1))
    window.refresh_current()  # F5 (the page also re-reads every minute)
    row = page.call_model.rows[0]
    assert row["overdue"] and "Overdue" in row["status"]
    background = page.call_proxy.data(page.call_proxy.index(0, 0), Qt.ItemDataRole.BackgroundRole)
    assert background.name() == RED[1]
    assert "1 overdue" in page.call_count.text()

    assert page.select_call(call.id)
    _click(qtbot, page.answer_button)
    answer = page.dialog
    qtbot.keyClicks(answer.answer_edit, "Ready at 17:00")
    with qtbot.waitSignal(answer.accepted):
        _click(qtbot, answer.ok_button())
    assert CallLog.get_by_id(call.id).answer == "Ready at 17:00"
    assert page.call_model.rows == [] and "overdue" not in page.call_count.text()


def test_book_an_appointment_from_a_service_reminder(qtbot, make_window):
    order = make_order(
        State.CLOSED, next_service_date=NOW.date() + dt.timedelta(days=10), next_service_km=99000
    )
    window, page = _open(make_window, "crm", "follow_up")
    assert page.reminder_model.rows == []  # every car due a service: read when its tab shows
    page.tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: not page.reading)
    assert "1 car (" in page.reminder_count.text()
    page.tabs.setCurrentIndex(0)
    window.show_page(next(k for k in window.visible_page_keys() if k != "follow_up"))
    assert window.show_page("follow_up") is page and page.tab_reads.stale == {1}
    page.tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: not page.reading)
    assert page.tab_reads.stale == set()
    assert page.select_reminder(order.vehicle_id)
    _click(qtbot, page.book_button)
    dialog = page.booking
    assert dialog.vehicle.id == order.vehicle_id
    assert dialog.day() == NOW.date() + dt.timedelta(days=10)
    assert "Scheduled service" in dialog.work_edit.toPlainText()
    assert dialog.selected_slot() is not None
    with qtbot.waitSignal(dialog.accepted):
        _click(qtbot, dialog.ok_button)
    appt = Appointment.get(Appointment.vehicle == order.vehicle_id)
    assert appt.slot_start.date() == NOW.date() + dt.timedelta(days=10)
    qtbot.waitUntil(lambda: not page.reading)
    assert all(r["id"] != order.vehicle_id for r in page.reminder_model.rows)
    assert "Appointment booked" in page.list_banner.text()


# --------------------------------------------------------------------------- warranty


def _warranty_line(state: State = State.DELIVERED, text: str = "Replace window regulator"):
    order = make_order(state, lines=False, paid=True)
    return order, make_line(order, text, hours="1.50", pay_type="warranty")


def test_warranty_claim_approved_and_one_rejected(qtbot, make_window):
    _o1, first = _warranty_line()
    _o2, second = _warranty_line(text="Replace door seal")
    window, page = _open(make_window, "advisor", "warranty")
    page.tabs.setCurrentIndex(0)
    assert {r["id"] for r in page.model.rows} == {first.id, second.id}

    assert page.select_claim(first.id)
    _click(qtbot, page.approve_button)
    dialog = page.dialog
    _click(qtbot, dialog.ok_button())
    assert dialog.isVisible() and dialog.claim_edit.property("invalid")
    qtbot.keyClicks(dialog.claim_edit, "FAW-2026-0042")
    with qtbot.waitSignal(dialog.accepted):
        _click(qtbot, dialog.ok_button())
    line = JobLine.get_by_id(first.id)
    assert (line.warranty_claim_state, line.warranty_claim_no) == ("approved", "FAW-2026-0042")
    _read(page)
    assert [r["id"] for r in page.model.rows] == [second.id]  # pending list

    assert page.select_claim(second.id)
    _click(qtbot, page.reject_button)
    reject = page.dialog
    assert reject.customer_pays_radio.isChecked()
    with qtbot.waitSignal(reject.accepted):
        _click(qtbot, reject.ok_button())
    line = JobLine.get_by_id(second.id)
    assert (line.pay_type, line.warranty_claim_state) == ("customer", "rejected")
    _read(page)
    assert page.model.rows == []
    page.state_combo.setCurrentIndex(page.state_combo.findData(None))
    _read(page)
    assert {r["state"] for r in page.model.rows} == {"approved", "rejected"}


def test_write_off_of_a_settled_claim_asks_the_manager(qtbot, make_window):
    order, line = _warranty_line(State.SETTLED)
    window, page = _open(make_window, "advisor", "warranty")
    assert page.select_claim(line.id)
    _click(qtbot, page.reject_button)
    dialog = page.dialog
    assert not dialog.customer_pays_radio.isEnabled() and dialog.write_off_radio.isChecked()
    _click(qtbot, dialog.ok_button())
    assert dialog.isVisible() and "approval" in dialog.error.text()
    assert dialog.approval_bar.isVisible()
    with qtbot.waitSignal(dialog.requested):
        _click(qtbot, dialog.approval_bar.request_button)
    from shop_desk.models import Approval

    approval = Approval.get()
    assert (approval.kind, approval.order_id, approval.state) == ("write_off", order.id, "pending")
    assert JobLine.get_by_id(line.id).warranty_claim_state == ""


def test_crm_clerk_has_no_warranty_area(make_window):
    window = make_window("crm")
    assert "warranty" not in window.visible_page_keys()
    assert {"follow_up", "complaints", "approvals"} <= set(window.visible_page_keys())


# --------------------------------------------------------------------------- 三包


def _repair(vehicle, first: dt.date, days: int | None, complaint: str = "左前车窗升不上去"):
    clock.set_now(dt.datetime.combine(first, dt.time(9, 0)))
    order = make_order(
        State.CLOSED if days else State.IN_PROGRESS,
        vehicle=vehicle,
        lines=False,
        complaint_text=complaint,
    )
    make_line(order, "车窗升降器更换 Replace window regulator")
    if days:
        end = dt.datetime.combine(first + dt.timedelta(days=days - 1), dt.time(17, 0))
        order.ready_at = order.delivered_at = end
        order.save()
    clock.set_now(NOW)
    return order


def test_sanbao_warnings_with_evidence_and_disclaimer(qtbot, make_window, tmp_path):
    sold = dt.date(2026, 1, 5)
    car = make_vehicle(sale_date=sold, plate="沪A·3B001", household=True)
    calm = make_vehicle(sale_date=sold, plate="沪A·3B002", household=True)
    long_stay = _repair(car, NOW.date() - dt.timedelta(days=5), None)  # 6th day in the shop
    for month in (3, 5, 7):
        _repair(car, dt.date(2026, month, 2), 2)
    _repair(calm, dt.date(2026, 6, 1), 1)
    window, page = _open(make_window, "advisor", "warranty")
    assert page.tabs.currentIndex() == 0 and page.watch_model.rows == []  # read when shown
    page.tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: not page.reading)
    assert page.disclaimer.isVisible() and page.disclaimer.text() == sanbao.disclaimer()
    assert [s.vehicle.id for s in page.watch_model.rows] == [car.id]
    assert (
        page.watch_proxy.data(page.watch_proxy.index(0, 0), Qt.ItemDataRole.BackgroundRole).name()
        == RED[1]
    )
    page.watch_table.selectRow(0)
    texts = [page.warning_list.item(i).text() for i in range(page.warning_list.count())]
    assert any(
        t.startswith("Threshold reached") and long_stay.number in t and "loaner" in t for t in texts
    )
    assert any(t.startswith("Approaching the threshold") and "same fault" in t for t in texts)
    assert page.evidence_model.rowCount() == 4
    # a warning picked: its own evidence
    loaner = next(i for i, t in enumerate(texts) if "loaner" in t)
    page.warning_list.setCurrentRow(loaner)
    assert [r[0] for r in page.evidence_model.rows] == [long_stay.number]
    # any car can be looked up; no warning is said plainly
    qtbot.keyClicks(page.lookup_edit, "3B002")
    qtbot.keyClick(page.lookup_edit, Qt.Key.Key_Return)
    assert page.status.vehicle.id == calm.id
    assert page.warning_list.item(0).text() == "No warning."
    # the list as CSV
    path = page.export_watchlist(str(tmp_path / "sanbao.csv"))
    text = path.read_text(encoding="utf-8-sig")
    assert "沪A·3B001" in text or "沪A3B001" in text


@pytest.fixture(autouse=True)
def _no_leftover_dialogs(qtbot):
    yield
    # dialogs are opened with open(): make sure none blocks the next test
    from PySide6.QtWidgets import QApplication, QDialog

    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, QDialog) and widget.isVisible():
            widget.reject()


def test_a_watchlist_that_cannot_be_read_says_so_on_its_tab(qtbot, make_window, monkeypatch):
    window, page = _open(make_window, "advisor", "warranty")
    page.tabs.setCurrentIndex(1)

    def broken(_day):
        raise RuntimeError("disk I/O error")

    monkeypatch.setattr(sanbao, "sanbao_watchlist", broken)
    page.refresh_watchlist()
    _read(page)
    assert page.watch_count.text() == "The watchlist could not be read."
    assert "Press F5" in page.watch_count.toolTip() and "disk I/O" not in page.watch_count.toolTip()
    assert "Press F5" in window.statusBar().currentMessage()


def test_the_manager_records_the_outcome_of_a_verified_complaint(qtbot, make_window, staff):
    from shop_desk.models import Penalty
    from shop_desk.services import aftercare

    case = aftercare.open_complaint(
        staff["crm"],
        "phone",
        make_customer(),
        "态度差 rude at the desk",
        "rude",
        staff_concerned=staff["advisor2"],
    )
    aftercare.progress_complaint(staff["crm"], case, "investigation", "查实 confirmed")
    _w, clerk_page = _open(make_window, "crm", "complaints")
    assert clerk_page.outcome_button.isHidden()  # the general manager's decision
    _w2, page = _open(make_window, "manager", "complaints")
    page.open_complaint(case.id)
    assert not page.outcome_button.isEnabled()  # not verified: the investigation goes on
    aftercare.progress_complaint(staff["crm"], case, "measures", "培训 training")
    page.refresh_complaints()
    page.open_complaint(case.id)
    _click(qtbot, page.outcome_button)
    dialog = page.dialog
    dialog.outcome.setCurrentIndex(dialog.outcome.findData("bonus_deduction"))
    assert dialog.amount.isEnabled()
    qtbot.keyClicks(dialog.note, "spoken to, bonus cut")
    _click(qtbot, dialog.ok_button())  # no amount yet
    assert dialog.isVisible() and dialog.error.text()
    qtbot.keyClicks(dialog.amount, "150")
    with qtbot.waitSignal(dialog.accepted):
        _click(qtbot, dialog.ok_button())
    penalty = Penalty.get(Penalty.complaint == case)
    assert (penalty.kind, str(penalty.amount), penalty.staff_id) == (
        "bonus_deduction",
        "150.00",
        staff["advisor2"].id,
    )
    assert "Outcome recorded" in page.banner.text() and not page.outcome_button.isEnabled()
