"""Appointments area driven through its widgets: phone booking, capacity refusal, move, cancel,
no-show, week view, arrivals with check-in, preparation list."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QPushButton

from factories import make_vehicle
from shop_desk import clock, drafts
from shop_desk.models import Appointment, Complaint, Part, RepairOrder
from shop_desk.services import appointments, reception
from shop_desk.states import State
from shop_desk.ui.appointments.booking import AppointmentDialog, CancelDialog

TUE = dt.date(2026, 11, 3)
FREE_VIN = "LHGCR2651K8001234"


def at(hh: int, mm: int = 0, day: dt.date = TUE) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hh, mm))


def _page(make_window, login="advisor", day=TUE):
    from shop_desk.ui.shell.widgets import app_settings

    app_settings().setValue("main/page", "appointments")  # open here, skip building other areas
    window = make_window(login)
    page = window.show_page("appointments")
    page.show_tab("day")
    page.set_day(day)
    return window, page


def _click(qtbot, button):
    assert button.isEnabled(), button.objectName()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _select_slot(page, start):
    proxy = page.day_list.slot_proxy
    for r in range(proxy.rowCount()):
        if proxy.index(r, 0).data() == start.strftime("%H:%M"):
            page.slots_table.setCurrentIndex(proxy.index(r, 0))
            return
    raise AssertionError(start)


def double_click(qtbot, view, index):
    """A person's double-click on a cell (the first click selects it, as on screen)."""
    pos = view.visualRect(index).center()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=pos)


def _book(staff, vehicle, slot, advisor=None, actor="advisor", work="5000公里保养 service"):
    return appointments.book_appointment(
        staff[actor], vehicle.owner, vehicle, slot, "1", work, advisor=advisor
    )


def test_phone_booking_through_the_widgets(qtbot, make_window, staff):
    window, page = _page(make_window)
    _select_slot(page, at(10))
    _click(qtbot, page.book_button)
    dialog = page.dialog
    assert isinstance(dialog, AppointmentDialog) and dialog.isVisible()
    assert dialog.selected_slot() == at(10)
    assert dialog.advisor_combo.currentData() == staff["advisor"].id
    _click(qtbot, dialog.choose_button)
    picker = dialog.picker
    picker.name_edit.setText("周先生")
    qtbot.keyClicks(picker.phone_edit, "13955556666")
    qtbot.keyClicks(picker.vin_edit, FREE_VIN)
    picker.plate_edit.setText("沪D54321")
    qtbot.keyClicks(picker.make_edit, "Toyota")
    with qtbot.waitSignal(picker.accepted):
        _click(qtbot, picker.ok_button)
    assert "沪D·54321" in dialog.vehicle_label.text() and "周先生" in dialog.vehicle_label.text()
    qtbot.keyClicks(dialog.work_edit, "5,000 km service, brakes squeak")
    with qtbot.waitSignal(dialog.accepted):
        _click(qtbot, dialog.ok_button)
    appt = Appointment.get()
    assert appt.slot_start == at(10) and appt.advisor_id == staff["advisor"].id
    assert appt.requested_work == "5,000 km service, brakes squeak"
    assert appt.vehicle.vin == FREE_VIN and appt.customer.name == "周先生"
    assert appointments.order_of(appt).state == State.BOOKED.value
    assert "Booked:" in page.banner.text() and "Booked:" in window.statusBar().currentMessage()
    assert page.selected_row()["id"] == appt.id
    assert page.day_list.appt_model.rowCount() == 1
    assert "1 appointment" in page.capacity_label.text()
    assert drafts.load("appointment_booking") is None


def test_double_booking_is_refused_with_the_reason(qtbot, make_window, staff, shop_data):
    _book(staff, make_vehicle(), at(10), staff["advisor"])
    _book(staff, make_vehicle(), at(10), staff["advisor2"])
    _window, page = _page(make_window)
    dialog = page.book(at(10))
    assert "full" in dialog.slot_combo.currentText()
    dialog.set_vehicle(shop_data["wang"], shop_data["passat"])
    dialog.advisor_combo.setCurrentIndex(0)  # any advisor
    qtbot.keyClicks(dialog.work_edit, "oil change")
    _click(qtbot, dialog.ok_button)
    assert dialog.isVisible()
    assert "All 2 service advisors are booked at 10:00" in dialog.banner.text()
    assert dialog.work_edit.toPlainText() == "oil change"
    assert Appointment.select().count() == 2
    # the same advisor twice at one time is refused by name
    dialog.select_slot(at(11))
    _book(staff, make_vehicle(), at(11), staff["advisor"])
    dialog.fill_slots()
    dialog.advisor_combo.setCurrentIndex(dialog.advisor_combo.findData(staff["advisor"].id))
    assert "(booked at this time)" in dialog.advisor_combo.currentText()
    _click(qtbot, dialog.ok_button)
    assert "already has an appointment at 11:00" in dialog.banner.text()
    dialog.select_slot(at(14))
    with qtbot.waitSignal(dialog.accepted):
        _click(qtbot, dialog.ok_button)
    assert Appointment.select().count() == 4


def test_move_cancel_and_no_show(qtbot, make_window, staff, shop_data):
    moved = _book(staff, shop_data["passat"], at(10))
    cancelled = _book(staff, shop_data["han"], at(11))
    _window, page = _page(make_window)
    assert page.select_appointment(moved.id)
    assert not page.no_show_button.isEnabled()  # not begun yet
    _click(qtbot, page.move_button)
    dialog = page.dialog
    assert dialog.work_edit.isReadOnly() and not dialog.choose_button.isEnabled()
    assert dialog.selected_slot() == at(10)
    dialog.date_edit.setDate(dialog.date_edit.date().addDays(1))
    dialog.select_slot(at(15, 30, TUE + dt.timedelta(days=1)))
    with qtbot.waitSignal(dialog.accepted):
        _click(qtbot, dialog.ok_button)
    assert Appointment.get_by_id(moved.id).slot_start == at(15, 30, TUE + dt.timedelta(days=1))
    assert page.day == TUE + dt.timedelta(days=1) and "Moved:" in page.banner.text()

    page.set_day(TUE)
    assert page.select_appointment(cancelled.id)
    _click(qtbot, page.cancel_button)
    cancel = page.dialog
    assert isinstance(cancel, CancelDialog)
    _click(qtbot, cancel.ok_button())
    assert (
        "Reason" in cancel.error.text() and Appointment.get_by_id(cancelled.id).status == "booked"
    )
    cancel.reason.setCurrentText("顾客改期 customer rescheduled")
    with qtbot.waitSignal(cancel.accepted):
        _click(qtbot, cancel.ok_button())
    assert Appointment.get_by_id(cancelled.id).status == "cancelled"
    assert appointments.order_of(cancelled).state == State.CANCELLED.value
    assert "Cancelled:" in page.banner.text()
    page.select_appointment(cancelled.id)
    assert not page.move_button.isEnabled() and not page.cancel_button.isEnabled()

    late = _book(staff, shop_data["transit"], at(9, 30, clock.today()))
    clock.set_now(dt.datetime(2026, 11, 2, 9, 45))
    page.set_day(clock.today())
    page.select_appointment(late.id)
    _click(qtbot, page.no_show_button)
    box = next(b for b in page.findChildren(QMessageBox) if b.isVisible())
    qtbot.mouseClick(box.findChild(QPushButton, "yesButton"), Qt.MouseButton.LeftButton)
    assert Appointment.get_by_id(late.id).status == "no_show"
    assert "no-show" in page.banner.text()


def test_no_show_before_the_slot_is_refused(make_window, staff, shop_data):
    appt = _book(staff, shop_data["passat"], at(10))
    _window, page = _page(make_window)
    assert not page.mark_no_show(appt.id)
    assert "has not begun yet" in page.banner.text()
    assert Appointment.get_by_id(appt.id).status == "booked"


def test_week_view_and_day_capacity(qtbot, make_window, staff, shop_data):
    _book(staff, shop_data["passat"], at(10))
    _window, page = _page(make_window)
    assert "2 service advisors · 8 bays · 1 appointment" in page.capacity_label.text()
    assert "1.0 of 76.0 workshop hours booked, 75.0 free" in page.capacity_label.text()
    page.show_tab("week")
    assert page.week.proxy.rowCount() == 7
    rows = [page.week.model.row_at(r) for r in range(7)]
    assert rows[0].date == dt.date(2026, 11, 2) and rows[1].appointments == 1
    sunday = page.week.proxy.index(6, 5)
    assert sunday.data() == "Shop closed"
    _click(qtbot, page.next_button)  # a week on in the week view
    assert page.day == TUE + dt.timedelta(days=7)
    page.set_day(TUE)
    index = page.week.proxy.index(1, 0)
    page.week_table.doubleClicked.emit(index)
    assert page.current_tab() == "day" and page.day == TUE
    page.set_day(dt.date(2026, 11, 8))
    assert "closed" in page.capacity_label.text()


def test_week_slot_grid_shows_each_slot_and_books_a_free_one(qtbot, make_window, staff, shop_data):
    _book(staff, shop_data["passat"], at(10), staff["advisor"])
    _book(staff, shop_data["han"], at(10), staff["advisor2"])
    _book(staff, shop_data["transit"], at(14, 30, TUE + dt.timedelta(days=1)))
    _window, page = _page(make_window)
    page.show_tab("week")
    grid = page.week_slots_table
    model = page.week.slot_model
    assert grid.isVisible() and model.columnCount() == 7
    assert model.headerData(1, Qt.Orientation.Horizontal) == "Tue 11-03"
    times = [model.headerData(r, Qt.Orientation.Vertical) for r in range(model.rowCount())]
    assert times[0] == "08:30" and "17:30" in times

    def cell(day: dt.date, hh: int, mm: int = 0):
        return model.index(times.index(f"{hh:02d}:{mm:02d}"), day.weekday())

    full = cell(TUE, 10)
    assert full.data() == "Full (2)"
    assert full.data(Qt.ItemDataRole.BackgroundRole).name() == "#f8d7d3"
    assert "沪A·88K21" in full.data(Qt.ItemDataRole.ToolTipRole)
    assert cell(TUE + dt.timedelta(days=1), 14, 30).data() == "1 booked"
    assert cell(TUE, 11).data() == ""  # free
    assert model.index(0, 6).data() == "Shop closed"  # Sunday
    assert model.slot_at(model.index(3, 6)) is None

    # a full slot opens its day with the slot selected
    double_click(qtbot, grid, full)
    assert page.current_tab() == "day" and page.day == TUE
    assert page.selected_slot() == at(10)
    assert page.dialog is None
    # a free one is booked at once
    page.show_tab("week")
    double_click(qtbot, grid, cell(TUE + dt.timedelta(days=2), 9))
    dialog = page.dialog
    assert isinstance(dialog, AppointmentDialog) and dialog.isVisible()
    assert dialog.selected_slot() == at(9, 0, TUE + dt.timedelta(days=2))
    dialog.reject()


def test_arrivals_check_in(qtbot, make_window, staff, shop_data):
    appt = _book(staff, shop_data["passat"], at(10, 0, clock.today()))
    window, page = _page(make_window, day=clock.today())
    page.show_tab("arrivals")
    assert page.arrivals.proxy.rowCount() == 1
    assert "1 car expected, 1 not arrived yet" in page.arrivals_label.text()
    page.select_appointment(appt.id)
    assert page.check_in_button.isEnabled()
    opened = []
    window.open_reception_for_appointment = opened.append  # what the reception page offers
    with qtbot.waitSignal(page.check_in_requested) as signal:
        _click(qtbot, page.check_in_button)
    assert signal.args == [appt.id] and opened == [appt.id]
    window.open_reception_for_appointment = None  # a build without reception: a status message
    _click(qtbot, page.check_in_button)
    assert "at Reception" in window.statusBar().currentMessage()
    assert opened == [appt.id]


def test_preparation_list_and_pdf(qtbot, make_window, staff, tmp_path, monkeypatch):
    vehicle = make_vehicle(odometer=30000)
    Complaint.create(
        number="TS-9",
        channel="phone",
        customer=vehicle.owner,
        vehicle=vehicle,
        description="等待时间太长 long wait",
    )
    appt = _book(staff, vehicle, at(10), work="空调不制冷 A/C not cooling")
    order = appointments.order_of(appt)
    reception.add_part_line(staff["advisor"], order, Part.get(Part.part_no == "AC-COMP"), "2")
    _window, page = _page(make_window)
    page.show_tab("preparation")
    assert page.preparation_date.date().toPython() == TUE  # the next working day
    text = page.preparation_view.toPlainText()
    assert "A/C not cooling" in text and "AC-COMP" in text and "long wait" in text
    assert "1 booked car, 1 with parts short" in page.preparation_summary.text()
    target = tmp_path / "prep.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a: (str(target), ""))
    _click(qtbot, page.save_preparation_button)
    assert target.read_bytes().startswith(b"%PDF")
    box = page.print_preparation()
    assert box.isVisible()
    box.reject()


def test_booking_dialog_tab_order_enter_and_escape(qtbot, make_window, shop_data):
    _window, page = _page(make_window)
    dialog = page.book(at(10), shop_data["wang"], shop_data["passat"])
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.work_edit.hasFocus)  # the car is known: straight to the work
    dialog.slot_combo.setFocus()  # (Tab inside the date field walks its year, month, day)
    qtbot.waitUntil(dialog.slot_combo.hasFocus)
    expected = [
        dialog.hours_edit,
        dialog.advisor_combo,
        dialog.work_edit,
        dialog.notes_edit,
    ]
    for widget in expected:
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        assert QApplication.focusWidget() is widget, widget.objectName()
    qtbot.keyClick(dialog.notes_edit, Qt.Key.Key_Return)  # Enter in a line: book, but no work
    assert dialog.isVisible() and dialog.banner.text()
    assert dialog.work_edit.property("invalid") is True
    qtbot.keyClick(dialog.notes_edit, Qt.Key.Key_Escape)  # Esc closes, nothing booked
    assert not dialog.isVisible() and Appointment.select().count() == 0


def test_booking_draft_is_offered_again(qtbot, make_window, shop_data):
    _window, page = _page(make_window)
    dialog = page.book(at(10))
    dialog.set_vehicle(shop_data["wang"], shop_data["passat"])
    qtbot.keyClicks(dialog.work_edit, "tyre change")
    qtbot.waitUntil(lambda: drafts.load("appointment_booking") is not None, timeout=15000)
    dialog.reject()
    again = page.book()
    assert again.restore_row.isVisible()
    _click(qtbot, again.restore_button)
    assert again.work_edit.toPlainText() == "tyre change"
    assert again.vehicle.id == shop_data["passat"].id and again.selected_slot() == at(10)


@pytest.mark.parametrize(
    ("login", "book", "no_show"), [("crm", True, False), ("manager", True, True)]
)
def test_roles(make_window, staff, shop_data, login, book, no_show):
    appt = _book(staff, shop_data["passat"], at(9, 30, clock.today()))
    clock.set_now(dt.datetime(2026, 11, 2, 10, 0))
    _window, page = _page(make_window, login, clock.today())
    page.select_appointment(appt.id)
    assert page.book_button.isEnabled() is book
    assert page.no_show_button.isEnabled() is no_show


def test_technician_has_no_appointments_area(make_window):
    window = make_window("tech1")
    assert "appointments" not in window.visible_page_keys()
    assert RepairOrder.select().count() == 0


def test_last_tab_is_restored(make_window, staff):
    from shop_desk.ui.shell.widgets import app_settings

    app_settings().setValue("appointments/tab", "preparation")
    window = make_window("advisor")
    page = window.show_page("appointments")
    assert page.current_tab() == "preparation"
    assert "Preparation list" in page.preparation_view.toPlainText()
