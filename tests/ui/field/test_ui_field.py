"""The field-service desk driven through its widgets (issue 21): a call registered and
dispatched through the dialog shows on Out now; a late one says so; Close is refused with
the words while the report is incomplete and allowed once complete; a towed car becomes a
repair order opened at reception; each role sees only its tabs."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QLabel

from factories import make_customer, make_vehicle
from shop_desk import clock
from shop_desk.demo import signature_png
from shop_desk.models import FieldJob, Penalty, RepairOrder
from shop_desk.services import documents, field
from shop_desk.states import State
from shop_desk.ui.field.common import RED

NOW = dt.datetime(2026, 11, 2, 9, 0)
PNG = signature_png(3)


@pytest.fixture(autouse=True)
def _clock_pinned(db):
    """Pin the clock after the database exists (building the sample template may reset it)."""
    clock.set_now(NOW)


def at(minutes: float) -> dt.datetime:
    moment = NOW + dt.timedelta(minutes=minutes)
    clock.set_now(moment)
    return moment


def _open(make_window, login: str):
    from shop_desk.ui.shell.widgets import app_settings

    app_settings().setValue("main/page", "field")
    window = make_window(login)
    page = window.show_page("field")
    return window, page


def _click(qtbot, widget) -> None:
    assert widget.isEnabled(), widget.objectName()
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def _ok(qtbot, dialog) -> None:
    _click(qtbot, dialog.ok_button())


def _job(staff, minutes_to_arrival=180, within_warranty=True, **kw) -> FieldJob:
    customer = make_customer(name="李师傅 Li", phone="13912345678")
    vehicle = make_vehicle(owner=customer)
    return field.register_field_job(
        staff["advisor"],
        customer.id,
        kw.pop("place", "沪宁高速 G42 km 12"),
        "发动机无法启动 engine will not start",
        clock.now() + dt.timedelta(minutes=minutes_to_arrival),
        vehicle=vehicle.id,
        within_warranty=within_warranty,
        **kw,
    )


def _dispatch(staff, job, crew=("tech1",)) -> FieldJob:
    field.dispatch_field_job(
        staff["supervisor"], job.id, [staff[c].id for c in crew], "服务车 沪A-F001"
    )
    return FieldJob.get_by_id(job.id)


def _back(staff, job, towed=False) -> FieldJob:
    """Dispatched, out, on site, done (or not fixable), called, left and back at base."""
    _dispatch(staff, job)
    at(10)
    field.depart(staff["tech1"], job.id)
    at(60)
    field.arrive(staff["tech1"], job.id)
    if towed:
        field.cannot_fix_on_site(staff["tech1"], job.id, "变速箱故障 gearbox failure")
    else:
        field.start_work(staff["tech1"], job.id)
        field.finish_work(staff["tech1"], job.id, "更换蓄电池 replaced the battery")
    field.call_centre(staff["tech1"], job.id)
    field.leave_site(staff["tech1"], job.id)
    at(120)
    field.return_to_base(staff["tech1"], job.id)
    return FieldJob.get_by_id(job.id)


def test_register_then_dispatch_through_the_dialog_shows_on_out_now(qtbot, make_window, staff):
    customer = make_customer(name="顺达物流 Shunda", phone="021-64001111", kind="company")
    vehicle = make_vehicle(owner=customer, plate="沪B7M203")
    window, page = _open(make_window, "supervisor")
    assert page.tab_keys()[:3] == ["calls", "out", "close"]
    calls = page.show_tab("calls")
    _click(qtbot, calls.register_button)
    dialog = calls.dialog
    assert dialog.isVisible()
    # without a customer the service refuses, in words, and the input stays
    dialog.place_edit.setText("浦东 depot, 川沙路 88")
    qtbot.keyClicks(dialog.description_edit, "fleet service of 3 vans")
    _ok(qtbot, dialog)
    assert dialog.isVisible() and "Choose the customer" in dialog.error.text()
    # the shared customer-and-car picker
    _click(qtbot, dialog.choose_button)
    picker = dialog.picker
    assert picker.isVisible()
    picker.search_edit.setText("沪B7M203")
    picker.run_search()
    qtbot.keyClick(picker.results, Qt.Key.Key_Return)
    with qtbot.waitSignal(picker.accepted):
        _click(qtbot, picker.ok_button)
    assert dialog.vehicle_combo.currentData() == vehicle.id
    assert "顺达物流" in dialog.customer_label.text()
    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData("fleet_visit"))
    with qtbot.waitSignal(dialog.accepted):
        _ok(qtbot, dialog)
    job = FieldJob.get(FieldJob.customer == customer)
    assert (job.kind, job.state, job.vehicle_id) == ("fleet_visit", "registered", vehicle.id)
    assert job.number in calls.banner.text()
    assert calls.selected().id == job.id
    assert "within 24 h" in calls.model.row_text(0)  # the cells' text, casefolded

    _click(qtbot, calls.dispatch_button)
    dispatch = calls.dialog
    assert dispatch.isVisible()
    # nobody chosen: the service's refusal in its words
    dispatch.vehicle_edit.setText("服务车 沪A-F001")
    _ok(qtbot, dispatch)
    assert dispatch.isVisible()
    assert "Choose at least one person to send" in dispatch.error.text()
    dispatch.set_crew([staff["tech1"].id, staff["leader1"].id])
    with qtbot.waitSignal(dispatch.accepted):
        _ok(qtbot, dispatch)
    job = FieldJob.get_by_id(job.id)
    assert job.state == "dispatched" and job.service_vehicle == "服务车 沪A-F001"
    assert calls.model.rows == []

    out = page.show_tab("out")
    assert [r.id for r in out.model.rows] == [job.id]
    text = out.model.row_text(0)
    assert staff["tech1"].name.casefold() in text and "浦东" in text
    assert "due on site in" in text
    assert out.timeline.rows[0].id == job.id


def test_a_late_job_says_late_in_words_and_red(qtbot, make_window, staff):
    on_time = _dispatch(staff, _job(staff, minutes_to_arrival=300, place="川沙"))
    late = _dispatch(staff, _job(staff, minutes_to_arrival=30, place="G42"), crew=("tech2",))
    at(5)
    field.depart(staff["tech2"], late.id)
    window, page = _open(make_window, "supervisor")
    out = page.show_tab("out")
    out.select(on_time.id)
    at(50)  # 20 minutes past the customer's time, not on site
    out.timer.timeout.emit()  # the timer reads again; the chosen job stays chosen
    assert out.selected().id == on_time.id
    row = next(i for i, r in enumerate(out.model.rows) if r.id == late.id)
    assert "overdue: not on site, 20 min past the customer's time" in out.model.row_text(row)
    index = out.proxy.index(row, 0)
    assert out.proxy.data(index, Qt.ItemDataRole.BackgroundRole).name() == RED[1]
    assert "1 late or overdue" in out.heading.text()
    # arrived late, for a reason of the road
    field.arrive(staff["tech2"], late.id, late_reason="高速封路 road closed")
    out.refresh()
    row = next(i for i, r in enumerate(out.model.rows) if r.id == late.id)
    assert "arrived 20 min late: 高速封路 road closed" in out.model.row_text(row)
    assert out.selected().id == on_time.id


def test_close_is_refused_in_words_until_the_report_is_complete(qtbot, make_window, staff):
    job = _back(staff, _job(staff))
    field.submit_report(staff["tech1"], job.id, "蓄电池亏电 flat battery", "", "", "")
    window, page = _open(make_window, "supervisor")
    tab = page.show_tab("close")
    assert tab.select(job.id)
    assert not tab.close_button.isEnabled()
    reason = tab.close_reason.text()
    assert f"Field job {job.number} cannot be closed; still missing:" in reason
    assert "the solution" in reason and "satisfaction survey" in reason
    assert "the customer's opinion" in tab.gaps_label.text()
    assert tab.close_button.toolTip() == reason
    # the crew completes the report and the survey: Close is allowed
    field.submit_report(
        staff["tech1"], job.id, "蓄电池亏电", "更换蓄电池 replaced the battery", "", "满意"
    )
    field.record_survey(staff["tech1"], job.id, 5, "李师傅", PNG)
    tab.refresh()
    assert tab.select(job.id)
    assert tab.close_reason.text() == ""
    _click(qtbot, tab.close_button)
    assert FieldJob.get_by_id(job.id).state == "closed"
    assert f"Field job {job.number} closed." in tab.banner.text()
    assert tab.model.rows == []


def test_close_refused_by_the_service_shows_its_words(qtbot, make_window, staff):
    job = _back(staff, _job(staff))
    window, page = _open(make_window, "supervisor")
    tab = page.show_tab("close")
    tab.select(job.id)
    tab.close_button.setEnabled(True)  # as if the report had looked complete a moment ago
    tab.close_job()
    assert tab.banner.kind == "error"
    assert f"Field job {job.number} cannot be closed" in tab.banner.text()
    assert FieldJob.get_by_id(job.id).state == "returned"


def test_left_without_calling_and_not_following_the_dispatch(qtbot, make_window, staff):
    job = _dispatch(staff, _job(staff))
    at(10)
    field.depart(staff["tech1"], job.id)
    at(60)
    field.arrive(staff["tech1"], job.id)
    field.start_work(staff["tech1"], job.id)
    field.finish_work(staff["tech1"], job.id, "更换蓄电池")
    window, page = _open(make_window, "supervisor")
    tab = page.show_tab("close")
    assert tab.select(job.id)  # finished on site, no call recorded
    row = next(i for i, r in enumerate(tab.model.rows) if r.id == job.id)
    assert "no call to the service centre yet" in tab.model.row_text(row)
    _click(qtbot, tab.no_call_button)
    dialog = tab.dialog
    assert staff["tech1"].name in dialog.findChild(QLabel, "noteLabel").text()
    dialog.reason_edit.setPlainText("没有来电就走了 left without calling")
    with qtbot.waitSignal(dialog.accepted):
        _ok(qtbot, dialog)
    assert FieldJob.get_by_id(job.id).left_without_call
    assert Penalty.get(Penalty.job == job.id).kind == "no_call"
    field.return_to_base(staff["tech1"], job.id)
    tab.refresh()
    assert tab.select(job.id)
    _click(qtbot, tab.dispatch_case_button)
    case = tab.dialog
    case.reason_edit.setPlainText("拒绝出车 refused to go")
    with qtbot.waitSignal(case.accepted):
        _ok(qtbot, case)
    kinds = {p.kind for p in Penalty.select().where(Penalty.job == job.id)}
    assert kinds == {"no_call", "not_following_dispatch"}


def test_tow_in_creates_the_order_and_opens_it_at_reception(qtbot, make_window, staff):
    job = _back(staff, _job(staff), towed=True)
    window, page = _open(make_window, "advisor")
    tab = page.show_tab("close")
    assert tab.select(job.id)
    assert not tab.close_button.isEnabled()  # only the supervisor closes
    assert "supervisor closes" in tab.close_reason.text()
    _click(qtbot, tab.tow_button)
    dialog = tab.dialog
    qtbot.keyClicks(dialog.odometer_edit, "13000")
    with qtbot.waitSignal(dialog.accepted):
        _ok(qtbot, dialog)
    order = RepairOrder.get(RepairOrder.vehicle == job.vehicle)
    assert order.state == State.CHECKED_IN.value
    assert FieldJob.get_by_id(job.id).order_id == order.id
    assert window.current_page_key() == "reception"
    reception = window.page("reception")
    assert reception.order_id == order.id
    assert order.number in tab.banner.text()


def test_print_the_dispatch_order_from_the_desk(qtbot, make_window, staff, tmp_path):
    """Through the app's print preview; the print is counted, so the next one is a copy."""
    job = _back(staff, _job(staff))
    window, page = _open(make_window, "supervisor")
    tab = page.show_tab("close")
    tab.select(job.id)
    _click(qtbot, tab.print_dispatch_button)
    preview = tab.preview
    qtbot.waitUntil(lambda: not preview.is_busy(), timeout=20000)
    assert preview.page_count() >= 1 and job.number in preview.windowTitle()
    assert not preview.copy_mark
    printer = preview.make_printer()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "dispatch.pdf"))
    printer.setResolution(72)
    with qtbot.waitSignal(preview.printed):
        preview.print_to(printer)
    qtbot.waitUntil(lambda: not preview.is_busy(), timeout=20000)
    assert preview.copy_mark == 2 and "print no. 2" in preview.heading.text()
    assert documents.print_count("dispatch-order", job.number) == 1
    preview.reject()
    _click(qtbot, tab.print_report_button)  # the other form has its own count
    report = tab.preview
    qtbot.waitUntil(lambda: not report.is_busy(), timeout=20000)
    assert not report.copy_mark and report.page_count() >= 1
    report.reject()


@pytest.mark.parametrize(
    ("login", "tabs"),
    [
        (
            "supervisor",
            ["calls", "out", "close", "field_parts", "expenses", "penalties", "key_customers"],
        ),
        ("manager", ["calls", "out", "close", "expenses", "penalties", "key_customers"]),
        ("advisor", ["calls", "out", "close", "expenses"]),  # also the shop's cashier
        ("crm", ["calls", "out", "key_customers"]),
        ("parts", ["field_parts"]),
        ("cashier", ["expenses"]),
    ],
)
def test_each_role_sees_its_tabs(make_window, login, tabs):
    window, page = _open(make_window, login)
    assert page.tab_keys() == tabs
    assert page.tabs.count() == len(tabs)
    assert page.empty.isVisible() == (not tabs)


def test_the_desk_is_not_shown_to_technicians(make_window):
    window = make_window("tech1")
    assert "field" not in window.visible_page_keys()


def test_buttons_follow_the_roles(make_window, staff):
    _job(staff, within_warranty=False)
    window, page = _open(make_window, "crm")
    calls = page.show_tab("calls")
    assert calls.register_button.isEnabled()
    assert not calls.dispatch_button.isEnabled() and not calls.quote_button.isEnabled()
    window2, page2 = _open(make_window, "advisor")
    calls2 = page2.show_tab("calls")
    assert calls2.quote_button.isEnabled() and not calls2.dispatch_button.isEnabled()


def test_quote_outside_warranty(qtbot, make_window, staff):
    job = _job(staff, within_warranty=False)
    window, page = _open(make_window, "supervisor")
    calls = page.show_tab("calls")
    calls.select(job.id)
    _click(qtbot, calls.quote_button)
    dialog = calls.dialog
    dialog.labour_edit.setText("300")
    dialog.travel_edit.setText("120.50")
    assert dialog.total_label.text() == "¥420.50"
    with qtbot.waitSignal(dialog.accepted):
        _ok(qtbot, dialog)
    assert field.quote_total(FieldJob.get_by_id(job.id)) == pytest.approx(420.5)
    assert "quoted ¥420.50: waiting for the customer" in calls.model.row_text(0)


def test_call_off_with_a_reason(qtbot, make_window, staff):
    job = _job(staff)
    window, page = _open(make_window, "supervisor")
    calls = page.show_tab("calls")
    calls.select(job.id)
    _click(qtbot, calls.cancel_button)
    dialog = calls.dialog
    _ok(qtbot, dialog)
    assert dialog.isVisible() and dialog.error.text()
    dialog.reason_edit.setPlainText("客户自己修好了 fixed it himself")
    with qtbot.waitSignal(dialog.accepted):
        _ok(qtbot, dialog)
    assert FieldJob.get_by_id(job.id).state == "cancelled"


def test_overdue_dispatch_in_words(make_window, staff):
    job = _job(staff, minutes_to_arrival=60 * 30)
    at(60 * 26)
    window, page = _open(make_window, "supervisor")
    calls = page.show_tab("calls")
    assert calls.select(job.id)
    assert "overdue by 2 h" in calls.model.row_text(0)
    assert "Dispatch: Overdue by 2 h" in calls.detail.text()
    assert "1 overdue" in calls.heading.text()
    assert (
        calls.proxy.data(calls.proxy.index(0, 0), Qt.ItemDataRole.BackgroundRole).name() == (RED[1])
    )


def test_pages_render_at_1366x768(qtbot, make_window, staff, tmp_path):
    late = _dispatch(staff, _job(staff, minutes_to_arrival=30))
    at(5)
    field.depart(staff["tech1"], late.id)
    _back(staff, _job(staff, place="川沙路"))
    at(200)
    _job(staff, place="浦东 depot")
    window, page = _open(make_window, "supervisor")
    window.resize(1366, 768)
    for key in page.tab_keys():
        page.show_tab(key)
        qtbot.wait(10)
        path = tmp_path / f"field_{key}.png"
        assert window.grab().save(str(path))
        assert path.stat().st_size > 10_000


def test_register_from_a_call_in_the_call_log(qtbot, make_window, staff):
    from shop_desk.services import aftercare

    customer = make_customer(name="王建国", phone="13800138000")
    make_vehicle(owner=customer)
    call = aftercare.log_call(
        staff["crm"], "王建国", "13800138000", "车坏在路上 broke down", customer=customer.id
    )
    window, page = _open(make_window, "crm")
    calls = page.show_tab("calls")
    _click(qtbot, calls.register_button)
    dialog = calls.dialog
    assert dialog.choose_call(call.id)
    assert dialog.customer.id == customer.id and "王建国" in dialog.customer_label.text()
    assert dialog.description_edit.toPlainText() == "车坏在路上 broke down"
    dialog.place_edit.setText("G60 km 30")
    with qtbot.waitSignal(dialog.accepted):
        _ok(qtbot, dialog)
    job = FieldJob.get(FieldJob.customer == customer)
    assert job.call_id == call.id
    assert call.id not in {c.id for c in field.recent_calls()}  # offered once


def test_the_supervisor_hears_of_a_new_call_at_once(make_window, staff):
    window, page = _open(make_window, "supervisor")
    assert window.badges.get("field", 0) == 0
    job = _job(staff, place="G60 km 30")  # registered at another desk
    window.update_badges()
    assert window.badges["field"] == 1
    item = window.nav.item(window.visible_page_keys().index("field"))
    assert item.text() == "Field service (1)"
    assert (
        f"field job {job.number} waits for dispatch: G60 km 30"
        in window.statusBar().currentMessage()
    )
    advisor = make_window("advisor")
    advisor.update_badges()
    assert advisor.badges.get("field", 0) == 0  # the advisor does not dispatch
