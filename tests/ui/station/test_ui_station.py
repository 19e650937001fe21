"""The workshop station and the advisor's notices, driven through their widgets: one order
from dispatch to ready (accept, clocking, parts with a signed slip, additional work authorised
on the advisor's panel, the three checks with a rework, wash), and the refusals on screen."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QLabel, QRadioButton
from signing import sign
from station_ui import click, ok, open_dialog, reload, station

from factories import make_order
from shop_desk import clock
from shop_desk.models import (
    AdditionalWorkRequest,
    ClockEvent,
    DamageMark,
    JobLine,
    LabourOperation,
    Part,
    PartsIssueSlip,
    QcCheck,
    RepairOrder,
    Team,
)
from shop_desk.services import workshop
from shop_desk.states import State
from shop_desk.ui.station.authorisation import AdditionalWorkAuthorisationPanel
from shop_desk.ui.station.dialogs_additional import ProposeWorkDialog
from shop_desk.ui.station.dialogs_car import (
    AcceptCarDialog,
    DelayDialog,
    ParkingDialog,
    SendBackDialog,
)
from shop_desk.ui.station.dialogs_checks import FinalQcDialog, LeaderCheckDialog, SelfCheckDialog
from shop_desk.ui.station.dialogs_clock import ClockEditDialog, PauseDialog
from shop_desk.ui.station.dialogs_parts import IssuePartsDialog, RequestPartsDialog, SignSlipDialog

T0 = dt.datetime(2026, 11, 2, 9, 0)


def at(hh: int, mm: int = 0) -> dt.datetime:
    return T0.replace(hour=hh, minute=mm)


def dispatched(staff) -> RepairOrder:
    """An order with a 5,000 km service line and an oil filter, dispatched to tech1's team."""
    order = make_order(State.AWAITING_DISPATCH, free_wash=True)
    team = Team.get(Team.name.startswith("机修一组"))
    workshop.dispatch(staff["supervisor"], order, team, staff["tech1"], priority=1)
    return reload(order)


def labour(page, description_part: str) -> None:
    assert page.work.select_labour(lambda r: description_part in r.description)


def request_and_issue(qtbot, tech_page, clerk_page, part_desc: str) -> PartsIssueSlip:
    """Technician requests a line's parts, the parts clerk issues them, the technician signs."""
    tech_page.tabs.setCurrentIndex(tech_page.TABS.index("parts"))
    assert tech_page.parts.select_part(lambda r: part_desc in r.description)
    dialog = open_dialog(qtbot, tech_page, tech_page.parts.request_parts_button, RequestPartsDialog)
    assert dialog.quantity.text() == "1"
    ok(qtbot, dialog)
    clerk_page.refresh()
    assert clerk_page.select_order(tech_page.order.id)
    issue = open_dialog(qtbot, clerk_page, clerk_page.parts.issue_parts_button, IssuePartsDialog)
    assert issue.technician.currentText() == tech_page.staff.name
    ok(qtbot, issue)
    slip = PartsIssueSlip.select().order_by(PartsIssueSlip.id.desc()).first()
    tech_page.refresh()
    assert tech_page.parts.select_slip(lambda r: r.slip_id == slip.id)
    signer = open_dialog(qtbot, tech_page, tech_page.parts.sign_slip_button, SignSlipDialog)
    click(qtbot, signer.sign_button)  # nothing drawn yet
    assert "Sign in the box first" in signer.error.text()
    sign(qtbot, signer.pad)
    with qtbot.waitSignal(signer.accepted, timeout=3000):
        click(qtbot, signer.sign_button)
    assert PartsIssueSlip.get_by_id(slip.id).signed_at is not None
    return slip


def checks(qtbot, tech_page, leader_page, order: RepairOrder, advice: str) -> None:
    tech_page.refresh()
    dialog = open_dialog(qtbot, tech_page, tech_page.actions.buttons["self_check"], SelfCheckDialog)
    for box in dialog.boxes.values():
        box.setChecked(True)
    ok(qtbot, dialog)
    leader_page.refresh()
    assert leader_page.select_order(order.id)
    assert bool(leader_page.actions.buttons["leader_check"].property("primary"))
    dialog = open_dialog(
        qtbot, leader_page, leader_page.actions.buttons["leader_check"], LeaderCheckDialog
    )
    qtbot.keyClicks(dialog.advice, advice)
    ok(qtbot, dialog)
    assert reload(order).state == State.FINAL_QC


def test_one_order_through_the_whole_workshop(qtbot, make_window, staff):
    order = dispatched(staff)
    service_line = JobLine.get((JobLine.order == order) & (JobLine.kind == "labour"))
    stock_before = Part.get(Part.part_no == "FLT-OIL").stock_qty

    # -- the technician accepts the car and adds a dent found now
    _tw, tech = station(make_window, "tech1", order)
    assert tech.jobs_model.rows[0].todo == "Accept the car"
    assert bool(tech.actions.buttons["accept"].property("primary"))
    dialog = open_dialog(qtbot, tech, tech.actions.buttons["accept"], AcceptCarDialog)
    click(qtbot, dialog.kind_buttons["dent"])
    qtbot.keyClicks(dialog.mark_note, "rear door")
    where = dialog.diagram.point_for("left", 0.6, 0.5).toPoint()
    qtbot.mouseClick(dialog.diagram, Qt.MouseButton.LeftButton, pos=where)
    assert [m["kind"] for m in dialog.new_marks] == ["dent"]
    ok(qtbot, dialog)
    mark = DamageMark.get(DamageMark.found_in_workshop == True)  # noqa: E712
    assert (mark.view, mark.kind, mark.note) == ("left", "dent", "rear door")
    assert reload(order).accepted_by_id == staff["tech1"].id
    assert "the service advisor is told" in tech.banner.text()
    assert not tech.actions.buttons["accept"].isEnabled()

    # -- clocking: start, pause for parts, request the filter, resume
    assert tech.work.selected_labour().line_id == service_line.id
    click(qtbot, tech.work.start_button)
    assert JobLine.get_by_id(service_line.id).work_state == "in_progress"
    clock.set_now(at(9, 30))
    tech._tick()
    assert "0:30:00" in tech.work.running_label.text()
    pause = open_dialog(qtbot, tech, tech.work.pause_button, PauseDialog)
    with qtbot.waitSignal(pause.accepted):
        click(qtbot, pause.reason_buttons["parts"])
    assert ClockEvent.select().where(ClockEvent.kind == "pause").get().reason == "parts"

    tech.tabs.setCurrentIndex(tech.TABS.index("parts"))
    assert tech.parts.select_part(lambda r: r.part_no == "FLT-OIL")
    dialog = open_dialog(qtbot, tech, tech.parts.request_parts_button, RequestPartsDialog)
    ok(qtbot, dialog)
    filter_line = JobLine.get((JobLine.order == order) & (JobLine.kind == "part"))
    assert filter_line.parts_reserved == Decimal("1.00")
    clock.set_now(at(9, 45))
    tech.tabs.setCurrentIndex(tech.TABS.index("work"))
    click(qtbot, tech.work.resume_button)

    # refused: finishing while the requested parts are not issued
    clock.set_now(at(10, 15))
    click(qtbot, tech.work.finish_button)
    assert tech.banner.kind == "error"
    assert "have not been issued yet" in tech.banner.text()
    assert JobLine.get_by_id(service_line.id).work_state == "in_progress"

    # -- the parts clerk issues, the technician signs the slip on screen
    _cw, clerk = station(make_window, "parts", order)
    assert clerk.jobs_model.rows[0].todo.startswith("Issue parts")
    issue = open_dialog(qtbot, clerk, clerk.parts.issue_parts_button, IssuePartsDialog)
    assert issue.items() == {filter_line.id: "1"}
    ok(qtbot, issue)
    part = Part.get(Part.part_no == "FLT-OIL")
    assert part.stock_qty == stock_before - 1 and part.reserved_qty == Decimal("0.00")
    slip = PartsIssueSlip.get(PartsIssueSlip.order == order)
    assert slip.technician_id == staff["tech1"].id and slip.signed_at is None
    tech.refresh()
    assert "waiting for the signature" in tech.order_info.text()
    tech.tabs.setCurrentIndex(tech.TABS.index("parts"))
    assert tech.parts.selected_slip().slip_id == slip.id
    signer = open_dialog(qtbot, tech, tech.parts.sign_slip_button, SignSlipDialog)
    click(qtbot, signer.sign_button)
    assert "Sign in the box first" in signer.error.text()
    sign(qtbot, signer.pad)
    with qtbot.waitSignal(signer.accepted):
        click(qtbot, signer.sign_button)
    assert PartsIssueSlip.get_by_id(slip.id).signature_id is not None

    tech.tabs.setCurrentIndex(tech.TABS.index("work"))
    labour(tech, "5,000 km")
    click(qtbot, tech.work.finish_button)
    assert workshop.clocked_hours(JobLine.get_by_id(service_line.id)) == Decimal("1.00")

    # -- additional work: brake pads (labour + part) and wipers, from the catalogue
    proposal = open_dialog(qtbot, tech, tech.actions.buttons["additional"], ProposeWorkDialog)
    for code in ("BRK-F", "PAD-F", "WPR-SET"):
        proposal.search_edit.clear()
        qtbot.keyClicks(proposal.search_edit, code)
        item = proposal.results.item(0)
        rect = proposal.results.visualItemRect(item)
        qtbot.mouseClick(proposal.results.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert [ln["description"] for ln in proposal.lines][0].endswith("Replace front brake pads")
    assert len(proposal.lines) == 3
    qtbot.keyClicks(proposal.reason, "front pads at 2 mm")
    ok(qtbot, proposal)
    assert reload(order).state == State.WAITING_AUTHORISATION
    request = AdditionalWorkRequest.get(AdditionalWorkRequest.order == order)
    brake, pads, wipers = list(request.lines.order_by(JobLine.id))

    # refused: starting the additional work before the customer has authorised it
    labour(tech, "front brake pads")
    click(qtbot, tech.work.start_button)
    assert tech.banner.kind == "error" and "Waiting for authorisation" in tech.banner.text()
    assert JobLine.get_by_id(brake.id).work_state == "pending"

    # -- the advisor: the notices and the authorisation panel
    aw = make_window("advisor")
    alerts = aw.show_page("alerts")
    kinds = {row[1].kind for row in alerts.model.rows}
    assert kinds == {"new_damage", "additional_work"}
    assert alerts.select_alert("new_damage")
    click(qtbot, alerts.acknowledge_button)
    assert {row[1].kind for row in alerts.model.rows} == {"additional_work"}
    assert alerts.select_alert("additional_work")
    assert not alerts.acknowledge_button.isEnabled()
    panel = alerts.panel
    assert panel.request.request_id == request.id
    assert panel.request.phone in panel.request_label.text()
    click(qtbot, panel.record_button)  # nothing decided yet
    assert "every line" in panel.banner.text()
    assert AdditionalWorkRequest.get_by_id(request.id).state == "pending"
    click(qtbot, panel.line_buttons[brake.id]["authorised"])
    alerts.refresh()  # the page refreshes itself every few seconds: the input stays
    assert panel.decisions == {brake.id: "authorised"}
    click(qtbot, panel.line_buttons[pads.id]["authorised"])
    click(qtbot, panel.line_buttons[wipers.id]["declined"])
    click(qtbot, panel.method_radios["signature"])
    assert panel.pad.isVisible()
    panel.customer_edit.clear()
    qtbot.keyClicks(panel.customer_edit, "Mr Wang")
    sign(qtbot, panel.pad)
    with qtbot.waitSignal(panel.recorded):
        click(qtbot, panel.record_button)
    decided = AdditionalWorkRequest.get_by_id(request.id)
    assert decided.state == "decided" and decided.auth_method == "signature"
    assert decided.auth_by_customer == "Mr Wang" and decided.signature_id is not None
    assert [JobLine.get_by_id(x.id).auth_state for x in (brake, pads, wipers)] == [
        "authorised",
        "authorised",
        "declined",
    ]
    assert panel.pending_model.rowCount() == 0
    assert "declined" in panel.decided_view.model().index(0, 3).data().lower()
    assert reload(order).state == State.IN_PROGRESS

    # -- the authorised brake job, with its pads drawn and signed for
    tech.refresh()
    tech.tabs.setCurrentIndex(tech.TABS.index("work"))
    labour(tech, "front brake pads")
    click(qtbot, tech.work.start_button)
    request_and_issue(qtbot, tech, clerk, "Front brake pads")
    tech.tabs.setCurrentIndex(tech.TABS.index("work"))
    labour(tech, "front brake pads")
    clock.set_now(at(11))
    click(qtbot, tech.work.finish_button)
    assert JobLine.get_by_id(brake.id).work_state == "done", tech.banner.text()

    # -- self-check, team-leader check, final inspection fails, rework, passes
    _lw, leader = station(make_window, "leader1", order)
    checks(qtbot, tech, leader, order, "Rotate the tyres at the next service")
    assert QcCheck.get(QcCheck.stage == "leader").advice == "Rotate the tyres at the next service"

    _iw, inspector = station(make_window, "inspector", order)
    qc = open_dialog(qtbot, inspector, inspector.actions.buttons["final_qc"], FinalQcDialog)
    click(qtbot, qc.fail_button)  # no reason given
    assert qc.isVisible() and "reason" in qc.error.text()
    qtbot.keyClicks(qc.reason, "brake pedal soft")
    with qtbot.waitSignal(qc.accepted):
        click(qtbot, qc.fail_button)
    failed = reload(order)
    assert failed.state == State.REWORK and failed.rework_count == 1
    assert "rework (1)" in inspector.banner.text()

    tech.refresh()
    assert tech.select_order(order.id)
    assert "Rework" in tech.order_info.text()
    labour(tech, "front brake pads")
    click(qtbot, tech.work.start_button)
    clock.set_now(at(11, 30))
    click(qtbot, tech.work.finish_button)
    checks(qtbot, tech, leader, order, "Brake fluid due in 2 years")
    inspector.refresh()
    assert inspector.select_order(order.id)
    qc = open_dialog(qtbot, inspector, inspector.actions.buttons["final_qc"], FinalQcDialog)
    ok(qtbot, qc)
    assert reload(order).state == State.WASHING
    stages = [(c.stage, c.round, c.passed) for c in workshop.qc_history(order)]
    assert stages[-1] == ("final", 2, True) and len(stages) == 6

    # -- the wash, then ready with the parking spot
    _ww, washer = station(make_window, "washer", order)
    assert washer.jobs_model.rows[0].todo == "Start the wash"
    assert washer.work.start_button.isHidden()  # no clocking for a washer
    click(qtbot, washer.actions.buttons["start_wash"])
    assert not washer.actions.buttons["start_wash"].isEnabled()
    dialog = open_dialog(qtbot, washer, washer.actions.buttons["finish_wash"], ParkingDialog)
    qtbot.keyClicks(dialog.spot, "P07")
    click(qtbot, dialog.ok_button())  # nothing ticked: the car is not finished yet
    assert dialog.isVisible() and "Engine bay wiped" in dialog.error.text()
    assert reload(order).state == State.WASHING
    dialog.ticks.all_box.click()
    assert all(dialog.ticks.checklist().values())
    ok(qtbot, dialog)
    ready = reload(order)
    assert ready.state == State.READY and ready.parking_spot == "P07"
    assert "parked at P07" in washer.banner.text()
    wash_end = [e for e in ready.events if e.kind == "wash_end"][-1]
    assert '"facing_exit": true' in wash_end.data
    alerts.refresh()
    assert {row[1].kind for row in alerts.model.rows} == {"wash_start", "wash_end"}


def test_refused_when_a_declined_line_is_started(qtbot, make_window, staff):
    order = dispatched(staff)
    workshop.accept_car(staff["tech1"], order)
    request = workshop.propose_additional_work(
        staff["tech1"],
        order,
        [{"kind": "labour", "labour_op": LabourOperation.get(code="WPR").id}],
        "worn wipers",
    )
    line = request.lines.get()
    workshop.record_authorisation(staff["advisor"], request, {line.id: "declined"}, "phone", "王")
    _w, tech = station(make_window, "tech1", order)
    labour(tech, line.description)
    assert tech.work.selected_labour().status_text == "Declined"
    click(qtbot, tech.work.start_button)
    assert "has not authorised" in tech.banner.text()
    assert not ClockEvent.select().where(ClockEvent.line == line).exists()


def test_final_inspection_refused_without_a_team_leader_check(qtbot, make_window, staff):
    order = make_order(State.FINAL_QC)
    QcCheck.delete().where((QcCheck.order == order) & (QcCheck.stage == "leader")).execute()
    _w, inspector = station(make_window, "inspector", order)
    assert inspector.tabs.currentIndex() == inspector.TABS.index("quality")
    qc = open_dialog(qtbot, inspector, inspector.actions.buttons["final_qc"], FinalQcDialog)
    click(qtbot, qc.ok_button())
    assert qc.isVisible()
    assert "no passed team-leader check" in qc.error.text()
    assert reload(order).state == State.FINAL_QC
    assert not QcCheck.select().where(QcCheck.stage == "final").exists()


def test_delay_reaches_the_advisor_at_once(qtbot, make_window, staff):
    order = dispatched(staff)
    aw = make_window("advisor")
    alerts = aw.show_page("alerts")
    assert alerts.model.rowCount() == 0
    aw.show_page("reception")  # the advisor is busy at the front desk
    nav_item = aw.nav.item(aw.visible_page_keys().index("alerts"))
    assert nav_item.text() == "Workshop notices"
    _w, tech = station(make_window, "tech1", order)
    dialog = open_dialog(qtbot, tech, tech.actions.buttons["delay"], DelayDialog)
    dialog.time_edit.setDateTime(dialog.time_edit.dateTime().addSecs(3 * 3600))
    qtbot.keyClicks(dialog.reason.lineEdit(), "gearbox oil on back order")
    # no refresh by hand: the advisor's window notices the commit by itself
    with qtbot.waitSignal(aw.notice_arrived, timeout=3000) as arrived:
        ok(qtbot, dialog)
    assert reload(order).promised_at > T0 + dt.timedelta(hours=4)
    assert arrived.args[0] == "alerts" and "gearbox oil on back order" in arrived.args[1]
    assert "gearbox oil on back order" in aw.statusBar().currentMessage()
    assert nav_item.text() == "Workshop notices (1)" and nav_item.font().bold()
    text_width = QFontMetrics(nav_item.font()).horizontalAdvance(nav_item.text())
    assert aw.nav.width() >= text_width + 28  # the count is not cut off
    alerts = aw.show_page("alerts")
    (row,) = alerts.model.rows
    assert row[1].kind == "delay" and "gearbox oil on back order" in row[1].text
    alerts.select_alert("delay")
    assert alerts.acknowledge_button.text().replace("&", "") == "Customer's answer…"
    click(qtbot, alerts.acknowledge_button)
    answer = alerts.answer_dialog
    qtbot.waitExposed(answer)
    click(qtbot, answer.ok_button())  # nothing chosen: refused in the dialog
    assert answer.isVisible() and answer.error.text()
    answer.findChild(QRadioButton, "answer_agreed").setChecked(True)
    ok(qtbot, answer)
    assert "Agreed to the new time" in alerts.banner.text()
    assert alerts.model.rowCount() == 0
    assert workshop.advisor_alerts(staff["advisor"]) == []
    qtbot.waitUntil(lambda: nav_item.text() == "Workshop notices", timeout=3000)

    # additional work comes first on the open notices page, with the number to call
    workshop.accept_car(staff["tech1"], order)
    workshop.report_delay(staff["supervisor"], order, T0 + dt.timedelta(hours=10), "bay busy")
    workshop.propose_additional_work(
        staff["tech1"],
        order,
        [{"kind": "labour", "labour_op": LabourOperation.get(code="WPR").id}],
        "wipers torn",
    )
    qtbot.waitUntil(lambda: alerts.model.rowCount() == 2, timeout=3000)  # refreshed itself
    assert [r[1].kind for r in alerts.model.rows] == ["additional_work", "delay"]
    first = alerts.proxy.index(0, 4).data()
    assert "wipers torn" in first and order.customer.phone in first
    assert nav_item.text() == "Workshop notices (2)"


def test_clock_edits_are_for_managers_only_and_marked(qtbot, make_window, staff):
    order = dispatched(staff)
    workshop.accept_car(staff["tech1"], order)
    line = JobLine.get((JobLine.order == order) & (JobLine.kind == "labour"))
    event = workshop.clock_start(staff["tech1"], line)
    clock.set_now(at(10))
    _w, tech = station(make_window, "tech1", order)
    assert not tech.work.edit_clock_button.isVisible()
    _mw, manager = station(make_window, "manager", order)
    manager.tabs.setCurrentIndex(manager.TABS.index("work"))
    assert manager.work.edit_clock_button.isVisible()
    assert not manager.work.start_button.isVisible()  # a manager does not clock on
    manager.work.clock_view.setCurrentIndex(manager.work.clock_model.index(0, 0))
    dialog = open_dialog(qtbot, manager, manager.work.edit_clock_button, ClockEditDialog)
    dialog.time_edit.setDateTime(dialog.time_edit.dateTime().addSecs(-15 * 60))
    click(qtbot, dialog.ok_button())  # the reason is required
    assert dialog.isVisible() and dialog.reason.property("invalid")
    qtbot.keyClicks(dialog.reason, "forgot to clock on")
    ok(qtbot, dialog)
    edited = ClockEvent.get_by_id(event.id)
    assert edited.at == at(8, 45) and edited.original_at == T0
    assert "Edited by" in manager.work.clock_model.rows[0].note
    assert manager.work.selected_labour().edited
    assert "corrected by a manager" in manager.work.edited_label.text()


def test_each_role_sees_its_own_jobs_and_buttons(qtbot, make_window, staff):
    mine = dispatched(staff)
    in_qc = make_order(State.FINAL_QC)
    washing = make_order(State.WASHING)
    parts_wait = dispatched(staff)
    workshop.accept_car(staff["tech1"], parts_wait)
    JobLine.update(quantity=Decimal("500")).where(
        (JobLine.order == parts_wait) & (JobLine.kind == "part")
    ).execute()
    filter_line = JobLine.get((JobLine.order == parts_wait) & (JobLine.kind == "part"))
    from shop_desk.services import parts

    parts.request_parts(staff["tech1"], filter_line, 100)
    assert reload(parts_wait).state == State.WAITING_PARTS

    def ids(login):
        _w, page = station(make_window, login)
        return page, {r.order_id for r in page.jobs_model.rows}

    page, jobs = ids("tech1")
    assert {mine.id, parts_wait.id} <= jobs and washing.id not in jobs
    assert not page.actions.buttons["final_qc"].isVisible()
    assert not page.parts.issue_parts_button.isVisible()
    page, jobs = ids("inspector")
    assert jobs == {in_qc.id}
    assert [k for k, b in page.actions.buttons.items() if not b.isHidden()] == ["final_qc"]
    assert not page.tabs.isTabVisible(page.TABS.index("work"))
    page, jobs = ids("washer")
    assert jobs == {washing.id}
    page, jobs = ids("parts")
    assert parts_wait.id in jobs and washing.id not in jobs
    assert page.select_order(parts_wait.id)
    assert page.parts.parts_arrived_button.isEnabled()
    assert "Orders waiting for it" in page.parts.stock_label.text()
    click(qtbot, page.parts.parts_arrived_button)  # still short: refused, said why
    assert "still missing" in page.banner.text()

    advisor = make_window("advisor")
    assert "station" not in advisor.visible_page_keys()
    assert "alerts" in advisor.visible_page_keys()
    assert "alerts" not in make_window("tech1").visible_page_keys()


def test_the_additional_work_draft_survives_a_closed_dialog(qtbot, make_window, staff):
    order = dispatched(staff)
    workshop.accept_car(staff["tech1"], order)
    _w, tech = station(make_window, "tech1", order)
    dialog = open_dialog(qtbot, tech, tech.actions.buttons["additional"], ProposeWorkDialog)
    qtbot.keyClicks(dialog.search_edit, "Gearbox oil change")
    qtbot.keyClick(dialog.search_edit, Qt.Key.Key_Return)  # adds the highlighted result, no OK
    assert dialog.isVisible() and len(dialog.lines) == 1
    qtbot.keyClicks(dialog.reason, "oil dark")
    dialog.reject()
    again = open_dialog(qtbot, tech, tech.actions.buttons["additional"], ProposeWorkDialog)
    assert again.restored and len(again.lines) == 1
    assert again.reason.toPlainText() == "oil dark"
    assert again.discard_button.isVisible()
    ok(qtbot, again)
    from shop_desk import drafts

    assert drafts.load(again.draft_key) is None


def test_a_change_by_another_station_offers_reload_and_keeps_the_input(qtbot, make_window, staff):
    order = dispatched(staff)
    _w, tech = station(make_window, "tech1", order)
    dialog = open_dialog(qtbot, tech, tech.actions.buttons["accept"], AcceptCarDialog)
    qtbot.keyClicks(dialog.notes, "noise confirmed on test drive")
    workshop.report_delay(staff["supervisor"], order, T0 + dt.timedelta(hours=6), "bay busy")
    click(qtbot, dialog.ok_button())
    assert dialog.isVisible() and dialog.reload_button.isVisible()
    assert reload(order).accepted_at is None
    click(qtbot, dialog.reload_button)
    assert dialog.notes.toPlainText() == "noise confirmed on test drive"
    ok(qtbot, dialog)
    assert reload(order).accepted_at is not None


def test_the_panel_for_one_order_and_a_print_preview_of_the_slip(qtbot, make_window, staff):
    order = dispatched(staff)
    other = dispatched(staff)
    wipers = LabourOperation.get(code="WPR").id
    for o in (order, other):
        workshop.accept_car(staff["tech1"], o)
        workshop.propose_additional_work(
            staff["tech1"], o, [{"kind": "labour", "labour_op": wipers}], "found"
        )
    panel = AdditionalWorkAuthorisationPanel(staff["advisor"], order_id=order.id)
    qtbot.addWidget(panel)
    assert [r.order_id for r in panel.pending_model.rows] == [order.id]
    panel.set_all("authorised")
    panel.set_method("phone")
    with qtbot.waitSignal(panel.recorded):
        panel.record()
    assert reload(order).state == State.IN_PROGRESS
    assert reload(other).state == State.WAITING_AUTHORISATION
    technician_panel = AdditionalWorkAuthorisationPanel(staff["tech1"])
    qtbot.addWidget(technician_panel)
    assert not technician_panel.record_button.isEnabled()

    from shop_desk.services import parts

    line = JobLine.get((JobLine.order == order) & (JobLine.kind == "part"))
    parts.request_parts(staff["tech1"], line, 1)
    parts.issue_parts(staff["parts"], order, {line.id: 1}, staff["tech1"])
    _w, floor = station(make_window, "supervisor", order)
    floor.tabs.setCurrentIndex(floor.TABS.index("parts"))
    click(qtbot, floor.parts.preview_slip_button)
    from shop_desk.ui.shell.print_preview import PrintPreviewDialog

    preview = floor.findChild(PrintPreviewDialog)
    assert preview is not None and preview.kind == "parts-issue"
    qtbot.waitUntil(lambda: preview.pdf is not None or bool(preview.error_text), timeout=15000)
    assert preview.pdf is not None, preview.error_text
    assert not preview.copy_mark
    preview.close()
    from shop_desk.ui.shell.print_preview import mark_printed

    mark_printed("parts-issue", order.number, staff["supervisor"])  # the slip was printed
    click(qtbot, floor.parts.preview_slip_button)  # so the station's reprint is a copy
    copies = [d for d in floor.findChildren(PrintPreviewDialog) if d.copy_mark]
    assert len(copies) == 1
    copies[0].close()


def test_authorisation_in_person_or_by_phone_records_who_and_when(qtbot, make_window, staff):
    orders = [dispatched(staff), dispatched(staff)]
    requests = []
    for order in orders:
        workshop.accept_car(staff["tech1"], order)
        requests.append(
            workshop.propose_additional_work(
                staff["tech1"],
                order,
                [{"kind": "labour", "labour_op": LabourOperation.get(code="WPR").id}],
                "wipers torn",
            )
        )
    clock.set_now(at(10, 20))
    panel = AdditionalWorkAuthorisationPanel(staff["advisor"], order_id=orders[0].id)
    qtbot.addWidget(panel)
    panel.show()
    qtbot.waitExposed(panel)
    click(qtbot, panel.method_radios["in_person"])
    assert not panel.pad.isVisible()
    click(qtbot, panel.decline_all_button)
    panel.customer_edit.clear()
    qtbot.keyClicks(panel.customer_edit, "Mrs Li at the desk")
    with qtbot.waitSignal(panel.recorded):
        click(qtbot, panel.record_button)
    decided = AdditionalWorkRequest.get_by_id(requests[0].id)
    assert (decided.auth_method, decided.auth_by_customer) == ("in_person", "Mrs Li at the desk")
    assert decided.auth_at == at(10, 20) and decided.recorded_by_id == staff["advisor"].id
    (line,) = decided.lines
    assert line.auth_state == "declined"  # stays on record as declined
    assert reload(orders[0]).state == State.IN_PROGRESS

    # the next request opens with the method used last at this desk; by phone this time
    other = AdditionalWorkAuthorisationPanel(staff["advisor"], order_id=orders[1].id)
    qtbot.addWidget(other)
    other.show()
    assert other.method_radios["in_person"].isChecked()
    click(qtbot, other.method_radios["phone"])
    click(qtbot, other.authorise_all_button)
    with qtbot.waitSignal(other.recorded):
        click(qtbot, other.record_button)
    decided = AdditionalWorkRequest.get_by_id(requests[1].id)
    assert decided.auth_method == "phone" and decided.auth_by_customer
    assert [ln.auth_state for ln in decided.lines] == ["authorised"]


def test_without_a_wash_the_pass_makes_it_ready_and_the_supervisor_parks_it(
    qtbot, make_window, staff
):
    order = make_order(State.FINAL_QC, free_wash=False)
    _w, inspector = station(make_window, "inspector", order)
    qc = open_dialog(qtbot, inspector, inspector.actions.buttons["final_qc"], FinalQcDialog)
    assert "ready for delivery (no wash)" in qc.findChild(QLabel, "dialogHeading").text()
    ok(qtbot, qc)
    assert reload(order).state == State.READY
    _sw, floor = station(make_window, "supervisor", order)
    row = next(r for r in floor.jobs_model.rows if r.order_id == order.id)
    assert row.todo == "Ready for delivery: record the parking spot"
    assert bool(floor.actions.buttons["parking"].property("primary"))
    dialog = open_dialog(qtbot, floor, floor.actions.buttons["parking"], ParkingDialog)
    qtbot.keyClicks(dialog.spot, "P12")
    ok(qtbot, dialog)
    assert reload(order).parking_spot == "P12"
    assert "parked at P12" in floor.banner.text()
    row = next(r for r in floor.jobs_model.rows if r.order_id == order.id)
    assert row.todo == "Ready for delivery, parked at P12"
    assert not floor.actions.buttons["parking"].property("primary")


def test_a_narrow_job_list_keeps_the_columns_that_matter(qtbot, make_window, staff):
    dispatched(staff)
    window, page = station(make_window, "supervisor")
    window.resize(1900, 900)
    page.splitter.setSizes([420, 1400])
    qtbot.waitUntil(lambda: page.jobs_view.isColumnHidden(7))
    assert [page.jobs_view.isColumnHidden(c) for c in range(8)] == [False] * 5 + [True] * 3
    page.splitter.setSizes([1000, 820])
    qtbot.waitUntil(lambda: not page.jobs_view.isColumnHidden(7))
    assert not any(page.jobs_view.isColumnHidden(c) for c in range(8))


def authorised_wipers(staff) -> tuple[RepairOrder, JobLine, JobLine]:
    """The service line done and its filter issued; 增项 wiper blades (fitting + part)
    authorised by the customer; the fitting finished, the blades never requested."""
    from shop_desk.services import parts

    order = dispatched(staff)
    tech = staff["tech1"]
    workshop.accept_car(tech, order)
    service_line = JobLine.get((JobLine.order == order) & (JobLine.kind == "labour"))
    oil_filter = JobLine.get((JobLine.order == order) & (JobLine.kind == "part"))
    parts.request_parts(tech, oil_filter, 1)
    slip = parts.issue_parts(staff["parts"], order, {oil_filter.id: 1}, tech)
    parts.sign_issue_slip(tech, slip, b"\x89PNG\r\n\x1a\n" + b"\x00" * 32)
    workshop.clock_start(tech, service_line)
    workshop.clock_finish(tech, service_line)
    request = workshop.propose_additional_work(
        tech,
        order,
        [
            {"kind": "labour", "labour_op": LabourOperation.get(code="WPR").id},
            {"kind": "part", "part": Part.get(part_no="WPR-SET").id, "quantity": 1},
        ],
        "wiper blades smear",
    )
    fit, blades = list(request.lines.order_by(JobLine.id))
    workshop.record_authorisation(
        staff["advisor"], request, {fit.id: "authorised", blades.id: "authorised"}, "phone", "王"
    )
    workshop.clock_start(tech, fit)
    workshop.clock_finish(tech, fit)
    return reload(order), fit, blades


def test_the_self_check_names_the_authorised_line_not_done(qtbot, make_window, staff):
    order, _fit, blades = authorised_wipers(staff)
    _tw, tech = station(make_window, "tech1", order)
    assert tech.jobs_model.rows[0].todo == "Parts not drawn yet: 1 — request them"
    assert not tech.actions.buttons["self_check"].property("primary")
    click(qtbot, tech.actions.buttons["self_check"])
    assert tech.dialog is None  # no checklist to fill in for nothing
    assert tech.banner.kind == "error"
    text = tech.banner.text()
    assert (
        "Not done yet: 雨刮片 Wiper blades (authorised additional work; part not requested" in text
    )
    assert not QcCheck.select().where(QcCheck.order == order).exists()

    # the supervisor sees the blades not requested on the parts tab
    _sw, supervisor = station(make_window, "supervisor", order)
    assert supervisor.tabs.isTabVisible(supervisor.TABS.index("parts"))
    row = next(r for r in supervisor.parts.parts_model.rows if r.line_id == blades.id)
    assert row.status_text == "Not requested"

    # the technician requests them, the parts clerk issues them, then the self-check passes
    _cw, clerk = station(make_window, "parts")
    request_and_issue(qtbot, tech, clerk, "Wiper blades")
    tech.refresh()
    assert bool(tech.actions.buttons["self_check"].property("primary"))
    dialog = open_dialog(qtbot, tech, tech.actions.buttons["self_check"], SelfCheckDialog)
    for box in dialog.boxes.values():
        box.setChecked(True)
    ok(qtbot, dialog)
    assert QcCheck.get(QcCheck.order == order).passed


def test_the_supervisor_sends_a_ready_car_with_work_not_done_back(qtbot, make_window, staff):
    """A car left ready with an authorised line not done is not a dead end."""
    order = make_order(State.READY)
    order.team = Team.get(Team.name.startswith("机修一组"))
    order.technician = staff["tech1"]
    order.accepted_at = T0
    order.save()
    JobLine.create(
        order=order,
        kind="part",
        part=Part.get(part_no="WPR-SET"),
        description="雨刮片 Wiper blades",
        quantity=Decimal("1"),
        unit_price=Decimal("150.00"),
        origin="additional",
        sort=9,
    )
    _sw, supervisor = station(make_window, "supervisor", order)
    row = next(r for r in supervisor.jobs_model.rows if r.order_id == order.id)
    assert row.todo == "Work not done: send the car back to the workshop"
    button = supervisor.actions.buttons["send_back"]
    assert bool(button.property("primary"))
    dialog = open_dialog(qtbot, supervisor, button, SendBackDialog)
    assert "雨刮片 Wiper blades" in dialog.reason.toPlainText()
    ok(qtbot, dialog)
    assert reload(order).state == State.REWORK
    _tw, tech = station(make_window, "tech1", order)  # back on the technician's list
    assert "Parts not drawn yet" in next(r.todo for r in tech.jobs_model.rows)
