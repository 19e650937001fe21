"""Workshop services (PROCESS.md §4–§6): dispatch, acceptance, clocking, delays, additional
work, the three checks and the wash — allowed and refused steps, roles, and one whole path."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

from factories import make_line, make_order
from shop_desk import clock
from shop_desk.errors import NotFound, PermissionDenied, TransitionRefused, ValidationError
from shop_desk.models import (
    AdditionalWorkRequest,
    AuditLog,
    ClockEvent,
    DamageMark,
    DelayReport,
    Inspection,
    JobLine,
    LabourOperation,
    OrderEvent,
    Part,
    QcCheck,
    RepairOrder,
    Signature,
    Team,
    TeamMember,
)
from shop_desk.roles import Role
from shop_desk.services import parts, workshop
from shop_desk.services.base import REGISTRY
from shop_desk.services.orders import order_totals
from shop_desk.states import State

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
T0 = dt.datetime(2026, 11, 2, 9, 0, 0)

WASHED = dict.fromkeys(workshop.WASH_CHECK_ITEMS, True)


def at(hh: int, mm: int = 0) -> dt.datetime:
    return T0.replace(hour=hh, minute=mm)


def reload(order: RepairOrder) -> RepairOrder:
    return RepairOrder.get_by_id(order.id)


def team(prefix: str) -> Team:
    return Team.get(Team.name.startswith(prefix))


def labour_line(order: RepairOrder) -> JobLine:
    return (
        JobLine.select()
        .where((JobLine.order == order) & (JobLine.kind == "labour"))
        .order_by(JobLine.id)
        .first()
    )


def part_line(order: RepairOrder) -> JobLine:
    return (
        JobLine.select()
        .where((JobLine.order == order) & (JobLine.kind == "part"))
        .order_by(JobLine.id)
        .first()
    )


def line(row: JobLine) -> JobLine:
    return JobLine.get_by_id(row.id)


def add_labour(order: RepairOrder, code: str, **kw) -> JobLine:
    op = LabourOperation.get(LabourOperation.code == code)
    return JobLine.create(
        order=order,
        kind="labour",
        labour_op=op,
        description=op.name,
        hours=kw.pop("hours", op.standard_hours),
        rate=Decimal("180.00"),
        sort=9,
        **kw,
    )


def dispatched(staff, **kw) -> RepairOrder:
    """An order dispatched to the first mechanical team (tech1) and accepted by tech1."""
    order = make_order(State.AWAITING_DISPATCH, **kw)
    workshop.dispatch(staff["supervisor"], order, team("机修一组"), staff["tech1"])
    workshop.accept_car(staff["tech1"], order)
    return reload(order)


def draw_parts(staff, order: RepairOrder, who: str = "tech1") -> None:
    """Request, issue and sign for every authorised catalogue part not issued yet."""
    items = {}
    for row in JobLine.select().where(
        (JobLine.order == order) & (JobLine.kind == "part") & (JobLine.auth_state == "authorised")
    ):
        if row.part_id and row.parts_issued < row.quantity:
            if row.parts_requested < row.quantity:
                parts.request_parts(staff[who], row, row.quantity - row.parts_requested)
            items[row.id] = row.quantity - row.parts_issued
    if items:
        slip = parts.issue_parts(staff["parts"], order, items, staff[who])
        parts.sign_issue_slip(staff[who], slip, PNG)


def finish_labour(staff, order: RepairOrder, who: str = "tech1") -> None:
    """Finish the order's work: its parts drawn, every authorised labour line finished."""
    draw_parts(staff, order, who)
    for row in JobLine.select().where(
        (JobLine.order == order) & (JobLine.kind == "labour") & (JobLine.auth_state == "authorised")
    ):
        if row.work_state == "pending" or (
            row.work_state == "done" and reload(order).state == "rework"
        ):
            workshop.clock_start(staff[who], row)
        if line(row).work_state == "paused":
            workshop.clock_resume(staff[who], row)
        if line(row).work_state == "in_progress":
            workshop.clock_finish(staff[who], row)


def passed_team_checks(staff, order: RepairOrder) -> None:
    workshop.self_check(staff["tech1"], order, {"torque": True, "fluids": True}, True, "ok")
    workshop.leader_check(staff["leader1"], order, True, advice="Next service at 17,000 km")


# ------------------------------------------------------------------------- roles


EXPECTED_ROLES = {
    "dispatch": {Role.SUPERVISOR},
    "redispatch": {Role.SUPERVISOR},
    "accept_car": {Role.TEAM_LEADER, Role.TECHNICIAN},
    "clock_start": {Role.TECHNICIAN, Role.TEAM_LEADER},
    "clock_pause": {Role.TECHNICIAN, Role.TEAM_LEADER},
    "clock_resume": {Role.TECHNICIAN, Role.TEAM_LEADER},
    "clock_finish": {Role.TECHNICIAN, Role.TEAM_LEADER},
    "edit_clock_event": {Role.MANAGER},
    "report_delay": {Role.TECHNICIAN, Role.TEAM_LEADER, Role.SUPERVISOR},
    "acknowledge_alert": {Role.ADVISOR},
    "propose_additional_work": {Role.TECHNICIAN, Role.TEAM_LEADER, Role.SUPERVISOR},
    "record_authorisation": {Role.ADVISOR},
    "self_check": {Role.TECHNICIAN, Role.TEAM_LEADER},
    "leader_check": {Role.TEAM_LEADER},
    "final_qc": {Role.INSPECTOR},
    "start_wash": {Role.WASHER},
    "finish_wash": {Role.WASHER},
    "set_parking_spot": {Role.WASHER, Role.SUPERVISOR},
    "send_back_to_workshop": {Role.SUPERVISOR},
}


@pytest.mark.parametrize("action", sorted(EXPECTED_ROLES))
def test_each_workshop_service_is_declared_with_the_roles_of_the_role_table(action):
    info = REGISTRY[action]
    assert info.func.__module__ == "shop_desk.services.workshop"
    assert set(info.roles) == EXPECTED_ROLES[action]


def test_an_advisor_cannot_dispatch_and_nothing_changes(db, staff):
    order = make_order(State.AWAITING_DISPATCH)
    with pytest.raises(PermissionDenied):
        workshop.dispatch(staff["advisor"], order, team("机修一组"), staff["tech1"])
    fresh = reload(order)
    assert fresh.state == State.AWAITING_DISPATCH
    assert fresh.team_id is None and fresh.version == order.version


def test_a_technician_cannot_run_the_final_inspection(db, staff):
    order = make_order(State.FINAL_QC)
    with pytest.raises(PermissionDenied):
        workshop.final_qc(staff["tech1"], order, True)
    with pytest.raises(PermissionDenied):
        workshop.final_qc(staff["leader1"], order, True)
    assert reload(order).state == State.FINAL_QC
    assert (
        not QcCheck.select().where((QcCheck.order == order) & (QcCheck.stage == "final")).exists()
    )


def test_only_a_manager_edits_clock_events(db, staff):
    order = dispatched(staff)
    ev = workshop.clock_start(staff["tech1"], labour_line(order))
    clock.set_now(at(10))
    for login in ("supervisor", "tech1", "leader1", "advisor"):
        with pytest.raises(PermissionDenied):
            workshop.edit_clock_event(staff[login], ev, at(8, 45), "forgot to clock on")
    assert ClockEvent.get_by_id(ev.id).at == T0
    edited = workshop.edit_clock_event(staff["manager"], ev, at(8, 45), "forgot to clock on")
    assert edited.at == at(8, 45)


def test_a_technician_cannot_record_authorisation_nor_a_washer_accept(db, staff):
    order = dispatched(staff)
    req = workshop.propose_additional_work(
        staff["tech1"],
        order,
        [{"kind": "labour", "labour_op": LabourOperation.get(code="WPR").id}],
        "worn wipers",
    )
    decisions = {lr.id: "authorised" for lr in req.lines}
    with pytest.raises(PermissionDenied):
        workshop.record_authorisation(staff["tech1"], req, decisions, "phone", "王先生")
    fresh = make_order(State.AWAITING_DISPATCH)
    workshop.dispatch(staff["supervisor"], fresh, team("机修一组"), staff["tech1"])
    with pytest.raises(PermissionDenied):
        workshop.accept_car(staff["washer"], fresh)
    assert reload(fresh).accepted_at is None


# ------------------------------------------------------------------------- dispatch


def test_dispatch_moves_the_order_in_progress_with_team_technician_and_priority(db, staff):
    order = make_order(State.AWAITING_DISPATCH)
    result = workshop.dispatch(
        staff["supervisor"], order, team("机修一组"), staff["tech1"], priority=1
    )
    fresh = reload(order)
    assert fresh.state == State.IN_PROGRESS
    assert fresh.team_id == team("机修一组").id and fresh.technician_id == staff["tech1"].id
    assert fresh.priority == 1 and fresh.dispatched_at == T0
    assert fresh.version == order.version + 1
    assert result.warnings == []
    assert (
        OrderEvent.select()
        .where((OrderEvent.order == order) & (OrderEvent.kind == "dispatch"))
        .exists()
    )
    assert (
        AuditLog.select()
        .where((AuditLog.action == "dispatch") & (AuditLog.entity == "repair_order"))
        .exists()
    )


def test_dispatch_without_technician_is_allowed(db, staff):
    order = make_order(State.AWAITING_DISPATCH)
    workshop.dispatch(staff["supervisor"], order, team("电工组"))
    assert reload(order).technician_id is None


def test_dispatch_refused_when_the_task_order_is_not_signed_even_in_the_right_state(db, staff):
    order = make_order(State.AWAITING_DISPATCH)
    order.signed_at, order.signed_on_paper = None, False
    order.save()
    with pytest.raises(TransitionRefused, match="not signed"):
        workshop.dispatch(staff["supervisor"], order, team("机修一组"), staff["tech1"])
    assert reload(order).state == State.AWAITING_DISPATCH


def test_dispatch_accepts_a_paper_signature_alone(db, staff):
    order = make_order(State.AWAITING_DISPATCH)
    order.signed_at, order.signed_on_paper = None, True
    order.save()
    workshop.dispatch(staff["supervisor"], order, team("机修一组"), staff["tech1"])
    assert reload(order).state == State.IN_PROGRESS


def test_dispatch_refused_when_the_car_was_not_handed_over(db, staff):
    order = make_order(State.AWAITING_DISPATCH)
    order.handed_over_at = None
    order.save()
    with pytest.raises(TransitionRefused, match="handed the car over"):
        workshop.dispatch(staff["supervisor"], order, team("机修一组"), staff["tech1"])
    assert reload(order).state == State.AWAITING_DISPATCH


def test_dispatch_refused_from_a_state_other_than_awaiting_dispatch(db, staff):
    order = make_order(State.IN_PROGRESS)
    with pytest.raises(TransitionRefused):
        workshop.dispatch(staff["supervisor"], order, team("电工组"), staff["tech3"])
    assert reload(order).team_id == team("机修一组").id


def test_dispatch_refused_when_the_technician_is_not_in_the_team(db, staff):
    order = make_order(State.AWAITING_DISPATCH)
    with pytest.raises(ValidationError, match="not a member"):
        workshop.dispatch(staff["supervisor"], order, team("机修一组"), staff["tech3"])
    with pytest.raises(ValidationError):
        workshop.dispatch(staff["supervisor"], order, team("机修一组"), staff["tech1"], priority=7)
    assert reload(order).state == State.AWAITING_DISPATCH


def test_dispatch_warns_about_a_missing_skill_and_over_capacity(db, staff):
    order = make_order(State.AWAITING_DISPATCH)
    add_labour(order, "ELE-DIAG")
    result = workshop.dispatch(staff["supervisor"], order, team("机修一组"), staff["tech1"])
    assert any("electrical" in w for w in result.warnings)
    assert not any("capacity" in w for w in result.warnings)

    big = make_order(State.AWAITING_DISPATCH)
    add_labour(big, "BODY-PNT", hours=Decimal("7.50"))
    result = workshop.dispatch(staff["supervisor"], big, team("钣喷组"), staff["tech2"])
    # 1.00 (service) + 7.50 (paint) = 8.50 > 8 hours capacity; the team lacks "mechanical"
    assert any("over capacity" in w and "8.50" in w for w in result.warnings)
    assert any("mechanical" in w for w in result.warnings)


def test_dispatch_to_a_team_with_the_skill_gives_no_skill_warning(db, staff):
    order = make_order(State.AWAITING_DISPATCH)
    add_labour(order, "ELE-DIAG")
    result = workshop.dispatch(staff["supervisor"], order, team("电工组"), staff["tech3"])
    assert result.warnings == []


def test_redispatch_to_another_team_needs_a_new_acceptance(db, staff):
    order = dispatched(staff)
    assert order.accepted_at is not None
    workshop.redispatch(
        staff["supervisor"], order, team("机修一组"), staff["tech2"], reason="tech1 ill"
    )
    same = reload(order)
    assert same.technician_id == staff["tech2"].id and same.accepted_at is not None
    workshop.redispatch(staff["supervisor"], order, team("电工组"), staff["tech3"], priority=1)
    moved = reload(order)
    assert moved.team_id == team("电工组").id and moved.priority == 1
    assert moved.accepted_at is None and moved.state == State.IN_PROGRESS
    with pytest.raises(TransitionRefused):
        workshop.clock_start(staff["tech3"], labour_line(order))
    workshop.accept_car(staff["tech3"], order)
    workshop.clock_start(staff["tech3"], labour_line(order))


def test_redispatch_refused_before_the_first_dispatch(db, staff):
    order = make_order(State.AWAITING_DISPATCH)
    with pytest.raises(TransitionRefused):
        workshop.redispatch(staff["supervisor"], order, team("机修一组"), staff["tech1"])
    assert reload(order).state == State.AWAITING_DISPATCH


# ------------------------------------------------------------------------- acceptance


def test_accept_records_who_and_when_and_new_damage_tells_the_advisor(db, staff):
    order = make_order(State.AWAITING_DISPATCH)
    workshop.dispatch(staff["supervisor"], order, team("机修一组"), staff["tech1"])
    clock.set_now(at(9, 20))
    workshop.accept_car(
        staff["leader1"],
        order,
        new_damage=[{"view": "left", "x": 0.3, "y": 0.6, "kind": "scratch", "note": "rear door"}],
        notes="test drive: noise confirmed",
    )
    fresh = reload(order)
    assert fresh.accepted_at == at(9, 20) and fresh.accepted_by_id == staff["leader1"].id
    mark = DamageMark.get(DamageMark.inspection == Inspection.get(Inspection.order == order))
    assert mark.found_in_workshop and mark.kind == "scratch" and mark.view == "left"
    assert (
        OrderEvent.select()
        .where((OrderEvent.order == order) & (OrderEvent.kind == "new_damage"))
        .count()
        == 1
    )
    alerts = workshop.advisor_alerts(staff["advisor"])
    assert [a.kind for a in alerts] == ["new_damage"]
    assert alerts[0].order_number == order.number and "·" in alerts[0].plate
    assert workshop.advisor_alerts(staff["advisor2"]) == []
    workshop.acknowledge_alert(staff["advisor"], "new_damage", alerts[0].ref_id)
    assert workshop.advisor_alerts(staff["advisor"]) == []


def test_accept_without_new_damage_creates_no_notice(db, staff):
    order = dispatched(staff)
    assert order.accepted_by_id == staff["tech1"].id
    assert not DamageMark.select().where(DamageMark.found_in_workshop == True).exists()  # noqa: E712
    assert workshop.advisor_alerts(staff["advisor"]) == []


def test_accept_refusals(db, staff):
    waiting = make_order(State.AWAITING_DISPATCH)
    with pytest.raises(TransitionRefused):
        workshop.accept_car(staff["tech1"], waiting)
    order = make_order(State.AWAITING_DISPATCH)
    workshop.dispatch(staff["supervisor"], order, team("机修一组"), staff["tech1"])
    with pytest.raises(PermissionDenied, match="not a member"):
        workshop.accept_car(staff["tech3"], order)
    with pytest.raises(ValidationError):
        workshop.accept_car(
            staff["tech1"], order, new_damage=[{"view": "top", "x": 2, "y": 0.5, "kind": "dent"}]
        )
    with pytest.raises(ValidationError):
        workshop.accept_car(
            staff["tech1"], order, new_damage=[{"view": "top", "x": 0.2, "y": 0.5, "kind": "rust"}]
        )
    # in the left view's empty corner above the bonnet: beside the car, not on it
    with pytest.raises(ValidationError, match="beside the car"):
        workshop.accept_car(
            staff["tech1"],
            order,
            new_damage=[{"view": "left", "x": 0.05, "y": 0.1, "kind": "dent"}],
        )
    assert reload(order).accepted_at is None and DamageMark.select().count() == 0
    workshop.accept_car(staff["tech1"], order)
    with pytest.raises(TransitionRefused, match="already accepted"):
        workshop.accept_car(staff["tech2"], order)


# ------------------------------------------------------------------------- clocking


def test_clock_start_pause_resume_finish_follow_the_line_and_count_hours(db, staff):
    order = dispatched(staff)
    row = labour_line(order)
    workshop.clock_start(staff["tech1"], row)
    assert line(row).work_state == "in_progress" and line(row).technician_id == staff["tech1"].id
    clock.set_now(at(10))
    workshop.clock_pause(staff["tech1"], row, "break")
    assert line(row).work_state == "paused"
    clock.set_now(at(10, 30))
    assert workshop.clocked_hours(line(row)) == Decimal("1.00")
    workshop.clock_resume(staff["tech1"], row)
    assert line(row).work_state == "in_progress"
    clock.set_now(at(10, 45))
    assert workshop.clocked_hours(line(row)) == Decimal("1.25")  # running work counts to now
    clock.set_now(at(11))
    workshop.clock_finish(staff["tech1"], row)
    assert line(row).work_state == "done"
    kinds = [
        e.kind for e in ClockEvent.select().where(ClockEvent.line == row).order_by(ClockEvent.id)
    ]
    assert kinds == ["start", "pause", "resume", "finish"]
    pause = ClockEvent.get((ClockEvent.line == row) & (ClockEvent.kind == "pause"))
    assert pause.reason == "break"
    clock.set_now(at(15))
    assert workshop.clocked_hours(line(row)) == Decimal("1.50")
    assert workshop.clocked_hours(reload(order)) == Decimal("1.50")


def test_finishing_from_a_pause_does_not_count_the_pause(db, staff):
    order = dispatched(staff)
    row = labour_line(order)
    workshop.clock_start(staff["tech1"], row)
    clock.set_now(at(9, 30))
    workshop.clock_pause(staff["tech1"], row, "other")
    clock.set_now(at(12))
    workshop.clock_finish(staff["tech1"], row)
    assert workshop.clocked_hours(line(row)) == Decimal("0.50")


def test_clock_refusals_on_the_line_state(db, staff):
    order = dispatched(staff)
    row = labour_line(order)
    with pytest.raises(TransitionRefused, match="not started"):
        workshop.clock_finish(staff["tech1"], row)
    with pytest.raises(TransitionRefused, match="not paused"):
        workshop.clock_resume(staff["tech1"], row)
    with pytest.raises(TransitionRefused, match="not running"):
        workshop.clock_pause(staff["tech1"], row, "break")
    workshop.clock_start(staff["tech1"], row)
    with pytest.raises(TransitionRefused, match="already started"):
        workshop.clock_start(staff["tech2"], row)
    with pytest.raises(ValidationError):
        workshop.clock_pause(staff["tech1"], row, "lunch with friends")
    workshop.clock_pause(staff["tech1"], row, "parts")
    with pytest.raises(TransitionRefused, match="resume"):
        workshop.clock_start(staff["tech1"], row)
    workshop.clock_resume(staff["tech1"], row)
    workshop.clock_finish(staff["tech1"], row)
    with pytest.raises(TransitionRefused, match="already finished"):
        workshop.clock_start(staff["tech1"], row)
    with pytest.raises(TransitionRefused, match="already finished"):
        workshop.clock_finish(staff["tech1"], row)
    assert ClockEvent.select().where(ClockEvent.line == row).count() == 4


def test_clocking_refused_before_the_car_is_accepted_and_on_a_part_line(db, staff):
    order = make_order(State.AWAITING_DISPATCH)
    workshop.dispatch(staff["supervisor"], order, team("机修一组"), staff["tech1"])
    with pytest.raises(TransitionRefused, match="Accept the car"):
        workshop.clock_start(staff["tech1"], labour_line(order))
    workshop.accept_car(staff["tech1"], order)
    with pytest.raises(ValidationError, match="Only labour lines"):
        workshop.clock_start(staff["tech1"], part_line(order))
    assert ClockEvent.select().count() == 0


@pytest.mark.parametrize(
    "state", [State.AWAITING_DISPATCH, State.FINAL_QC, State.READY, State.WAITING_PARTS]
)
def test_clocking_refused_when_the_order_is_not_in_progress_or_rework(db, staff, state):
    order = make_order(state)
    order.accepted_at = T0
    order.save()
    row = labour_line(order)
    row.work_state = "pending"
    row.save()
    with pytest.raises(TransitionRefused, match="(?i)in progress"):
        workshop.clock_start(staff["tech1"], row)
    assert ClockEvent.select().count() == 0


def test_clock_start_refused_on_work_the_customer_has_not_authorised(db, staff):
    order = dispatched(staff)
    proposed = add_labour(order, "WPR", origin="additional", auth_state="proposed")
    with pytest.raises(TransitionRefused, match="not authorised"):
        workshop.clock_start(staff["tech1"], proposed)
    declined = add_labour(order, "BRK-R", origin="additional", auth_state="declined")
    with pytest.raises(TransitionRefused, match="not authorised"):
        workshop.clock_start(staff["tech1"], declined)
    assert ClockEvent.select().count() == 0


def test_finishing_refused_while_requested_parts_are_not_issued(db, staff):
    order = dispatched(staff)
    row = labour_line(order)
    workshop.clock_start(staff["tech1"], row)
    parts.request_parts(staff["tech1"], part_line(order), 1)
    assert reload(order).state == State.IN_PROGRESS  # in stock: reserved, no waiting
    with pytest.raises(TransitionRefused, match="not been issued"):
        workshop.clock_finish(staff["tech1"], row)
    assert line(row).work_state == "in_progress"
    parts.issue_parts(staff["parts"], order, {part_line(order).id: 1}, staff["tech1"])
    workshop.clock_finish(staff["tech1"], row)
    assert line(row).work_state == "done"


def test_edit_clock_event_keeps_the_original_time(db, staff):
    order = dispatched(staff)
    row = labour_line(order)
    start = workshop.clock_start(staff["tech1"], row)
    clock.set_now(at(11))
    finish = workshop.clock_finish(staff["tech1"], row)
    clock.set_now(at(16))
    workshop.edit_clock_event(staff["manager"], finish, at(10, 30), "forgot to clock off")
    workshop.edit_clock_event(staff["manager"], finish, at(10), "checked with the team leader")
    ev = ClockEvent.get_by_id(finish.id)
    assert ev.at == at(10) and ev.original_at == at(11)
    assert ev.edited_by_id == staff["manager"].id and ev.edited_at == at(16)
    assert ev.edit_reason == "checked with the team leader"
    assert workshop.clocked_hours(line(row)) == Decimal("1.00")
    with pytest.raises(ValidationError):
        workshop.edit_clock_event(staff["manager"], start, at(10, 30), "after the finish")
    with pytest.raises(ValidationError):
        workshop.edit_clock_event(staff["manager"], finish, at(17), "in the future")
    with pytest.raises(ValidationError):
        workshop.edit_clock_event(staff["manager"], finish, at(9, 30), "   ")
    with pytest.raises(NotFound):
        workshop.edit_clock_event(staff["manager"], 99999, at(9, 30), "no such entry")
    assert ClockEvent.get_by_id(finish.id).at == at(10)


# ------------------------------------------------------------------------- delays and notices


def test_report_delay_moves_the_promised_time_and_tells_the_advisor(db, staff):
    order = dispatched(staff)
    old = order.promised_at
    later = old + dt.timedelta(hours=3)
    report = workshop.report_delay(staff["tech1"], order, later, "gearbox oil on back-order")
    assert reload(order).promised_at == later
    row = DelayReport.get_by_id(report.id)
    assert row.old_promised_at == old and row.by_id == staff["tech1"].id and not row.seen_by_advisor
    alerts = workshop.advisor_alerts(staff["advisor"])
    assert [(a.kind, a.ref_id) for a in alerts] == [("delay", report.id)]
    assert "gearbox oil" in alerts[0].text
    with pytest.raises(PermissionDenied):
        workshop.record_delay_answer(staff["tech1"], report, "agreed")
    with pytest.raises(ValidationError, match="customer's answer"):
        workshop.acknowledge_alert(staff["advisor"], "delay", report.id)
    # not reached: the notice stays for the next call
    workshop.record_delay_answer(staff["advisor"], report, "not_reached")
    assert [a.kind for a in workshop.advisor_alerts(staff["advisor"])] == ["delay"]
    with pytest.raises(ValidationError, match="what the customer wants"):
        workshop.record_delay_answer(staff["advisor"], report, "not_agreed")
    workshop.record_delay_answer(staff["advisor"], report, "not_agreed", "明早来取 tomorrow 9:00")
    row = DelayReport.get_by_id(report.id)
    assert row.seen_by_advisor
    assert [a["answer"] for a in workshop.delay_answers(row)] == ["not_reached", "not_agreed"]
    assert workshop.advisor_alerts(staff["advisor"]) == []
    with pytest.raises(TransitionRefused, match="recorded already"):
        workshop.record_delay_answer(staff["advisor"], report, "agreed")


def test_report_delay_refusals(db, staff):
    order = dispatched(staff)
    promised = order.promised_at
    with pytest.raises(ValidationError, match="later"):
        workshop.report_delay(
            staff["supervisor"], order, promised - dt.timedelta(hours=1), "sooner"
        )
    with pytest.raises(ValidationError, match="future"):
        workshop.report_delay(staff["supervisor"], order, T0 - dt.timedelta(hours=1), "past")
    with pytest.raises(ValidationError):
        workshop.report_delay(staff["supervisor"], order, promised + dt.timedelta(hours=1), "  ")
    with pytest.raises(PermissionDenied):
        workshop.report_delay(staff["advisor"], order, promised + dt.timedelta(hours=1), "advisor")
    ready = make_order(State.READY)
    with pytest.raises(TransitionRefused):
        workshop.report_delay(
            staff["supervisor"], ready, ready.promised_at + dt.timedelta(hours=1), "late"
        )
    assert DelayReport.select().count() == 0 and reload(order).promised_at == promised


# ------------------------------------------------------------------------- additional work


def propose(staff, order, who="tech1"):
    return workshop.propose_additional_work(
        staff[who],
        order,
        [
            {"kind": "labour", "labour_op": LabourOperation.get(code="BRK-F").id},
            {"kind": "part", "part": Part.get(part_no="PAD-F").id, "quantity": 1},
            {"kind": "labour", "description": "Clean throttle body", "hours": "0.5", "rate": "200"},
        ],
        "front pads worn to 2 mm",
    )


def test_propose_additional_work_waits_for_authorisation_and_pauses_running_work(db, staff):
    order = dispatched(staff)
    row = labour_line(order)
    workshop.clock_start(staff["tech1"], row)
    clock.set_now(at(9, 40))
    req = propose(staff, order)
    fresh = reload(order)
    assert fresh.state == State.WAITING_AUTHORISATION
    lines = list(JobLine.select().where(JobLine.request == req).order_by(JobLine.id))
    assert [(lr.kind, lr.origin, lr.auth_state) for lr in lines] == [
        ("labour", "additional", "proposed"),
        ("part", "additional", "proposed"),
        ("labour", "additional", "proposed"),
    ]
    assert lines[0].hours == Decimal("1.20") and lines[0].rate == Decimal("180.00")
    assert lines[1].unit_price == Decimal("460.00")
    assert lines[2].hours == Decimal("0.50") and lines[2].rate == Decimal("200.00")
    assert line(row).work_state == "paused"
    pause = ClockEvent.get((ClockEvent.line == row) & (ClockEvent.kind == "pause"))
    assert pause.reason == "authorisation" and pause.at == at(9, 40)
    assert order_totals(fresh).proposed == Decimal("216.00") + Decimal("460.00") + Decimal("100.00")
    alerts = workshop.advisor_alerts(staff["advisor"])
    assert [a.kind for a in alerts] == ["additional_work"]
    with pytest.raises(ValidationError):
        workshop.acknowledge_alert(staff["advisor"], "additional_work", req.id)


def test_propose_additional_work_refusals(db, staff):
    order = dispatched(staff)
    op = LabourOperation.get(code="WPR").id
    with pytest.raises(ValidationError):
        workshop.propose_additional_work(staff["tech1"], order, [], "nothing")
    with pytest.raises(ValidationError):
        workshop.propose_additional_work(
            staff["tech1"], order, [{"kind": "labour", "labour_op": op}], " "
        )
    with pytest.raises(ValidationError):
        workshop.propose_additional_work(staff["tech1"], order, [{"kind": "magic"}], "x")
    with pytest.raises(ValidationError):
        workshop.propose_additional_work(
            staff["tech1"], order, [{"kind": "part", "description": "bolt"}], "x"
        )
    with pytest.raises(PermissionDenied):
        workshop.propose_additional_work(
            staff["parts"], order, [{"kind": "labour", "labour_op": op}], "x"
        )
    waiting = make_order(State.AWAITING_DISPATCH)
    with pytest.raises(TransitionRefused):
        workshop.propose_additional_work(
            staff["supervisor"], waiting, [{"kind": "labour", "labour_op": op}], "x"
        )
    assert AdditionalWorkRequest.select().count() == 0
    assert JobLine.select().where(JobLine.origin == "additional").count() == 0
    assert reload(order).state == State.IN_PROGRESS


def test_record_authorisation_with_one_line_declined(db, staff):
    order = dispatched(staff)
    req = propose(staff, order)
    brake, pads, clean = list(JobLine.select().where(JobLine.request == req).order_by(JobLine.id))
    clock.set_now(at(10, 5))
    workshop.record_authorisation(
        staff["advisor"],
        req,
        {brake.id: "authorised", str(pads.id): "authorised", clean.id: "declined"},
        "signature",
        "王先生",
        signature_png=PNG,
    )
    assert reload(order).state == State.IN_PROGRESS
    assert [line(x).auth_state for x in (brake, pads, clean)] == [
        "authorised",
        "authorised",
        "declined",
    ]
    done = AdditionalWorkRequest.get_by_id(req.id)
    assert done.state == "decided" and done.auth_method == "signature" and done.auth_at == at(10, 5)
    assert done.auth_by_customer == "王先生" and done.recorded_by_id == staff["advisor"].id
    assert Signature.get_by_id(done.signature_id).image == PNG
    totals = order_totals(reload(order))
    assert totals.declined == Decimal("100.00") and totals.proposed == Decimal("0.00")
    assert workshop.advisor_alerts(staff["advisor"]) == []
    with pytest.raises(TransitionRefused, match="already recorded"):
        workshop.record_authorisation(
            staff["advisor"], req, {clean.id: "authorised"}, "phone", "王先生"
        )
    with pytest.raises(TransitionRefused, match="not authorised"):
        workshop.clock_start(staff["tech1"], clean)
    workshop.clock_start(staff["tech1"], brake)


def test_record_authorisation_refusals(db, staff):
    order = dispatched(staff)
    req = propose(staff, order)
    ids = [lr.id for lr in JobLine.select().where(JobLine.request == req)]
    every = dict.fromkeys(ids, "authorised")
    with pytest.raises(ValidationError, match="signature"):
        workshop.record_authorisation(staff["advisor"], req, every, "signature", "王先生")
    with pytest.raises(ValidationError, match="signature"):
        workshop.record_authorisation(
            staff["advisor"], req, every, "signature", "王先生", signature_png=b""
        )
    with pytest.raises(ValidationError, match="every line"):
        workshop.record_authorisation(
            staff["advisor"], req, {ids[0]: "authorised"}, "phone", "王先生"
        )
    with pytest.raises(ValidationError):
        workshop.record_authorisation(
            staff["advisor"], req, {**every, 999999: "authorised"}, "phone", "王先生"
        )
    with pytest.raises(ValidationError):
        workshop.record_authorisation(
            staff["advisor"], req, {**every, ids[0]: "maybe"}, "phone", "王先生"
        )
    with pytest.raises(ValidationError):
        workshop.record_authorisation(staff["advisor"], req, every, "telepathy", "王先生")
    with pytest.raises(ValidationError):
        workshop.record_authorisation(staff["advisor"], req, every, "phone", "")
    assert reload(order).state == State.WAITING_AUTHORISATION
    assert AdditionalWorkRequest.get_by_id(req.id).state == "pending"
    assert {lr.auth_state for lr in JobLine.select().where(JobLine.request == req)} == {"proposed"}


def test_order_continues_only_when_every_request_is_decided(db, staff):
    order = dispatched(staff)
    first = propose(staff, order)
    second = workshop.propose_additional_work(
        staff["leader1"],
        order,
        [{"kind": "labour", "labour_op": LabourOperation.get(code="WPR").id}],
        "wipers",
    )
    assert reload(order).state == State.WAITING_AUTHORISATION
    decide = lambda req: {lr.id: "authorised" for lr in req.lines}  # noqa: E731
    workshop.record_authorisation(staff["advisor"], first, decide(first), "in_person", "王先生")
    assert reload(order).state == State.WAITING_AUTHORISATION
    workshop.record_authorisation(staff["advisor"], second, decide(second), "phone", "王太太")
    assert reload(order).state == State.IN_PROGRESS


# ------------------------------------------------------------------------- quality control


def test_self_check_needs_finished_work_and_no_pending_authorisation(db, staff):
    order = dispatched(staff)
    with pytest.raises(TransitionRefused, match="Not done yet: .*5,000 km service"):
        workshop.self_check(staff["tech1"], order, {"ok": True}, True)
    finish_labour(staff, order)
    req = propose(staff, order)
    with pytest.raises(TransitionRefused):  # state: waiting for authorisation
        workshop.self_check(staff["tech1"], order, {"ok": True}, True)
    workshop.record_authorisation(
        staff["advisor"], req, {lr.id: "declined" for lr in req.lines}, "phone", "王先生"
    )
    with pytest.raises(ValidationError, match="not ticked") as refused:
        workshop.self_check(staff["tech1"], order, {"torque": True, "no_leaks": False}, True)
    # the technician's words, not the list's codes
    assert "Fluid levels right, no leaks" in str(refused.value) and "no_leaks" not in str(
        refused.value
    )
    with pytest.raises(ValidationError):
        workshop.self_check(staff["tech1"], order, {"torque": True}, False)
    with pytest.raises(PermissionDenied):
        workshop.self_check(staff["inspector"], order, {"torque": True}, True)
    assert QcCheck.select().count() == 0
    check = workshop.self_check(staff["tech1"], order, {"torque": True}, True, "all good")
    assert check.stage == "self" and check.round == 1 and check.passed
    assert json.loads(QcCheck.get_by_id(check.id).checklist) == {"torque": True}


def test_self_check_refused_while_a_proposed_line_is_undecided(db, staff):
    order = dispatched(staff)
    finish_labour(staff, order)
    add_labour(order, "WPR", origin="additional", auth_state="proposed")
    with pytest.raises(TransitionRefused, match="authorisation"):
        workshop.self_check(staff["tech1"], order, {}, True)


def test_leader_check_needs_a_passed_self_check_and_a_pass_goes_to_final_qc(db, staff):
    order = dispatched(staff)
    finish_labour(staff, order)
    with pytest.raises(TransitionRefused, match="self-check"):
        workshop.leader_check(staff["leader1"], order, True)
    workshop.self_check(staff["tech1"], order, {}, False, "torque not rechecked")
    with pytest.raises(TransitionRefused, match="self-check"):
        workshop.leader_check(staff["leader1"], order, True)
    workshop.self_check(staff["tech1"], order, {}, True)
    with pytest.raises(PermissionDenied):
        workshop.leader_check(staff["tech1"], order, True)
    with pytest.raises(ValidationError):
        workshop.leader_check(staff["leader1"], order, False)  # a fail says why
    workshop.leader_check(
        staff["leader1"], order, True, advice="Rotate tyres at next service", notes="signed"
    )
    fresh = reload(order)
    assert fresh.state == State.FINAL_QC
    check = QcCheck.get((QcCheck.order == order) & (QcCheck.stage == "leader"))
    assert check.advice == "Rotate tyres at next service" and check.by_id == staff["leader1"].id


def test_an_unsigned_parts_issue_slip_holds_the_self_check(db, staff):
    """出库单: the technician signs for the parts he drew before his work counts as checked."""
    order = dispatched(staff)
    items = {}
    for row in JobLine.select().where((JobLine.order == order) & (JobLine.kind == "part")):
        parts.request_parts(staff["tech1"], row, row.quantity)
        items[row.id] = row.quantity
    slip = parts.issue_parts(staff["parts"], order, items, staff["tech1"])
    finish_labour(staff, order)
    with pytest.raises(TransitionRefused, match=slip.number) as held:
        workshop.self_check(staff["tech1"], order, {}, True)
    assert staff["tech1"].name in str(held.value)
    assert workshop.unsigned_slips_of(order) == [slip]
    workshop.self_check(staff["tech1"], order, {}, False, "torque not rechecked")  # a fail is kept
    parts.sign_issue_slip(staff["tech1"], slip, PNG)
    assert workshop.self_check(staff["tech1"], order, {}, True).passed


def test_the_team_leader_check_is_the_orders_own_team_leaders(db, staff):
    """班组长检验: the leader of the team the order went to, not any leader."""
    order = dispatched(staff)
    finish_labour(staff, order)
    workshop.self_check(staff["tech1"], order, {}, True)
    team = reload(order).team
    assert [p.login for p in workshop.team_leaders(team.id)] == ["leader1"]
    with pytest.raises(PermissionDenied) as other:
        workshop.leader_check(staff["leader2"], order, True)
    assert team.name in str(other.value) and staff["leader1"].name in str(other.value)
    assert reload(order).state == State.IN_PROGRESS
    RepairOrder.update(team=None).where(RepairOrder.id == order.id).execute()
    with pytest.raises(TransitionRefused, match="not dispatched to a team"):
        workshop.leader_check(staff["leader1"], order, True)
    # a team without a leader of its own is checked by another team's leader
    RepairOrder.update(team=team).where(RepairOrder.id == order.id).execute()
    TeamMember.update(is_leader=False).where(TeamMember.team == team).execute()
    workshop.leader_check(staff["leader2"], order, True)
    assert reload(order).state == State.FINAL_QC


def test_a_failed_leader_check_reopens_the_work_and_needs_a_new_self_check(db, staff):
    order = dispatched(staff)
    finish_labour(staff, order)
    row = labour_line(order)
    with pytest.raises(TransitionRefused, match="already finished"):
        workshop.clock_start(staff["tech1"], row)
    workshop.self_check(staff["tech1"], order, {}, True)
    workshop.leader_check(staff["leader1"], order, False, notes="oil level too high")
    assert reload(order).state == State.IN_PROGRESS
    with pytest.raises(TransitionRefused):
        workshop.leader_check(staff["leader1"], order, True)
    workshop.clock_start(staff["tech1"], row)  # may be reopened after the failed check
    with pytest.raises(TransitionRefused):
        workshop.self_check(staff["tech1"], order, {}, True)
    workshop.clock_finish(staff["tech1"], row)
    passed_team_checks(staff, order)
    assert reload(order).state == State.FINAL_QC


def test_final_qc_refused_without_a_passed_leader_check(db, staff):
    order = make_order(State.FINAL_QC)
    QcCheck.delete().where((QcCheck.order == order) & (QcCheck.stage == "leader")).execute()
    with pytest.raises(TransitionRefused, match="team-leader check"):
        workshop.final_qc(staff["inspector"], order, True)
    with pytest.raises(TransitionRefused, match="team-leader check"):
        workshop.final_qc(staff["inspector"], order, False, reason="scratch")
    assert reload(order).state == State.FINAL_QC
    in_progress = dispatched(staff)
    with pytest.raises(TransitionRefused):
        workshop.final_qc(staff["inspector"], in_progress, True)


def test_final_qc_fail_needs_a_reason_and_sends_to_rework_with_a_count(db, staff):
    order = make_order(State.FINAL_QC)
    with pytest.raises(ValidationError, match="reason"):
        workshop.final_qc(staff["inspector"], order, False)
    workshop.final_qc(staff["inspector"], order, False, reason="brake squeal remains")
    fresh = reload(order)
    assert fresh.state == State.REWORK and fresh.rework_count == 1
    final = QcCheck.get((QcCheck.order == order) & (QcCheck.stage == "final"))
    assert not final.passed and final.round == 1 and final.reason == "brake squeal remains"
    # round 2: the round-1 checks do not count
    with pytest.raises(TransitionRefused):
        workshop.leader_check(staff["leader1"], order, True)
    fresh.accepted_at = T0
    fresh.save()
    finish_labour(staff, fresh)
    passed_team_checks(staff, fresh)
    assert reload(order).state == State.FINAL_QC
    rounds = [(c.stage, c.round) for c in workshop.qc_history(order)]
    assert rounds[-2:] == [("self", 2), ("leader", 2)]


def test_final_qc_pass_goes_to_wash_or_straight_to_ready(db, staff):
    washed = make_order(State.FINAL_QC)
    workshop.final_qc(staff["inspector"], washed, True, advice="ok")
    assert reload(washed).state == State.WASHING and reload(washed).ready_at is None
    unwashed = make_order(State.FINAL_QC, free_wash=False)
    clock.set_now(at(15))
    workshop.final_qc(staff["inspector"], unwashed, True)
    fresh = reload(unwashed)
    assert fresh.state == State.READY and fresh.ready_at == at(15)


# ------------------------------------------------------------------------- wash


def test_wash_start_and_finish_tell_the_advisor_and_park_the_car(db, staff):
    order = make_order(State.WASHING)
    with pytest.raises(TransitionRefused, match="Start the wash"):
        workshop.finish_wash(staff["washer"], order, "A-03", WASHED)
    with pytest.raises(PermissionDenied):
        workshop.start_wash(staff["inspector"], order)
    clock.set_now(at(14))
    workshop.start_wash(staff["washer"], order)
    with pytest.raises(TransitionRefused, match="already started"):
        workshop.start_wash(staff["washer"], order)
    with pytest.raises(ValidationError):
        workshop.finish_wash(staff["washer"], order, "  ", WASHED)
    with pytest.raises(ValidationError, match="Engine bay wiped") as not_clean:
        workshop.finish_wash(staff["washer"], order, "A-03", {**WASHED, "engine_bay": False})
    assert "Boot" not in str(not_clean.value)
    with pytest.raises(ValidationError, match="facing the exit"):
        workshop.finish_wash(staff["washer"], order, "A-03")
    assert reload(order).state == State.WASHING
    clock.set_now(at(14, 40))
    workshop.finish_wash(staff["washer"], order, "A-03", WASHED)
    fresh = reload(order)
    assert (
        fresh.state == State.READY and fresh.parking_spot == "A-03" and fresh.ready_at == at(14, 40)
    )
    kinds = [
        e.kind for e in OrderEvent.select().where(OrderEvent.order == order).order_by(OrderEvent.id)
    ]
    assert kinds == ["wash_start", "wash_end"]
    alerts = workshop.advisor_alerts(staff["advisor"])
    assert [a.kind for a in alerts] == ["wash_start", "wash_end"] and "A-03" in alerts[1].text
    workshop.set_parking_spot(staff["supervisor"], order, "B-01")
    assert reload(order).parking_spot == "B-01"
    with pytest.raises(TransitionRefused):
        workshop.start_wash(staff["washer"], order)
    with pytest.raises(TransitionRefused):
        workshop.set_parking_spot(staff["washer"], dispatched(staff), "C-01")


# ------------------------------------------------------------------------- the whole workshop path


def test_workshop_path_from_dispatch_to_ready(db, staff):
    sup, tech, leader = staff["supervisor"], staff["tech1"], staff["leader1"]
    order = make_order(State.AWAITING_DISPATCH, customer_waiting=True)
    service_line, filter_line = labour_line(order), part_line(order)

    result = workshop.dispatch(sup, order, team("机修一组"), tech, priority=1)
    assert result.warnings == []
    workshop.accept_car(
        tech, order, new_damage=[{"view": "front", "x": 0.5, "y": 0.3, "kind": "chip"}]
    )

    workshop.clock_start(tech, service_line)
    clock.set_now(at(9, 30))
    workshop.clock_pause(tech, service_line, "parts")
    request = parts.request_parts(tech, filter_line, 1)
    assert request.short == 0 and reload(order).state == State.IN_PROGRESS
    slip = parts.issue_parts(staff["parts"], order, {filter_line.id: 1}, tech)
    parts.sign_issue_slip(tech, slip, PNG)
    clock.set_now(at(9, 45))
    workshop.clock_resume(tech, service_line)
    clock.set_now(at(10, 15))
    workshop.clock_finish(tech, service_line)
    assert workshop.clocked_hours(line(service_line)) == Decimal("1.00")

    req = propose(staff, order)
    assert reload(order).state == State.WAITING_AUTHORISATION
    brake, pads, clean = list(JobLine.select().where(JobLine.request == req).order_by(JobLine.id))
    workshop.record_authorisation(
        staff["advisor"],
        req,
        {brake.id: "authorised", pads.id: "authorised", clean.id: "declined"},
        "phone",
        "王先生",
    )
    assert reload(order).state == State.IN_PROGRESS
    workshop.clock_start(tech, brake)
    parts.request_parts(tech, pads, 1)
    parts.sign_issue_slip(tech, parts.issue_parts(staff["parts"], order, {pads.id: 1}, tech), PNG)
    clock.set_now(at(11, 30))
    workshop.clock_finish(tech, brake)

    passed_team_checks(staff, order)
    assert reload(order).state == State.FINAL_QC
    workshop.final_qc(staff["inspector"], order, False, reason="brake pedal soft")
    assert reload(order).state == State.REWORK and reload(order).rework_count == 1

    workshop.clock_start(tech, brake)  # rework reopens the line
    clock.set_now(at(12))
    workshop.clock_finish(tech, brake)
    workshop.self_check(tech, order, {"brake bleed": True}, True)
    workshop.leader_check(leader, order, True, advice="Brake fluid due in 2 years")
    workshop.final_qc(staff["inspector"], order, True)
    assert reload(order).state == State.WASHING

    workshop.start_wash(staff["washer"], order)
    clock.set_now(at(12, 40))
    workshop.finish_wash(staff["washer"], order, "竣工区 3", WASHED)
    final = reload(order)
    assert final.state == State.READY and final.ready_at == at(12, 40)
    assert workshop.clocked_hours(final) == Decimal(
        "2.75"
    )  # 1.00 + 1.25 (brake 10:15-11:30) + 0.50
    assert [line(x).auth_state for x in (brake, pads, clean)] == [
        "authorised",
        "authorised",
        "declined",
    ]
    assert line(pads).parts_issued == Decimal("1.00") and line(filter_line).parts_issued == Decimal(
        "1.00"
    )
    stages = [(c.stage, c.round, c.passed) for c in workshop.qc_history(order)]
    assert stages == [
        ("self", 1, True),
        ("leader", 1, True),
        ("final", 1, False),
        ("self", 2, True),
        ("leader", 2, True),
        ("final", 2, True),
    ]
    kinds = {a.kind for a in workshop.advisor_alerts(staff["advisor"])}
    assert kinds == {"new_damage", "wash_start", "wash_end"}


def test_rework_lines_can_be_reopened_after_the_order_waited_for_authorisation(db, staff):
    order = make_order(State.FINAL_QC)
    workshop.final_qc(staff["inspector"], order, False, reason="noise at 80 km/h")
    order = reload(order)
    order.accepted_at = T0
    order.save()
    req = workshop.propose_additional_work(
        staff["tech1"],
        order,
        [{"kind": "labour", "labour_op": LabourOperation.get(code="ENG-MNT").id}],
        "mount",
    )
    workshop.record_authorisation(
        staff["advisor"], req, {lr.id: "authorised" for lr in req.lines}, "phone", "王先生"
    )
    assert reload(order).state == State.IN_PROGRESS  # no longer "rework", but the failed QC counts
    workshop.clock_start(staff["tech1"], labour_line(order))
    assert line(labour_line(order)).work_state == "in_progress"


# ------------------------------------------------------------------------- work not done (issue 15)


def authorised_wipers(staff) -> tuple[RepairOrder, JobLine, JobLine]:
    """The original work done; 增项 wiper blades (labour + part) authorised by the customer."""
    order = dispatched(staff, free_wash=True)
    finish_labour(staff, order)
    req = workshop.propose_additional_work(
        staff["tech1"],
        order,
        [
            {"kind": "labour", "labour_op": LabourOperation.get(code="WPR").id},
            {"kind": "part", "part": Part.get(part_no="WPR-SET").id, "quantity": 1},
        ],
        "wiper blades smear",
    )
    fit, blades = list(req.lines.order_by(JobLine.id))
    workshop.record_authorisation(
        staff["advisor"], req, {fit.id: "authorised", blades.id: "authorised"}, "phone", "王先生"
    )
    return reload(order), fit, blades


def test_an_authorised_part_never_requested_stops_the_self_check_and_is_named(db, staff):
    from shop_desk.services import checkout

    order, fit, blades = authorised_wipers(staff)
    tech, leader = staff["tech1"], staff["leader1"]
    workshop.clock_start(tech, fit)
    workshop.clock_finish(tech, fit)  # finished without requesting the blades
    assert [w.line.id for w in workshop.work_not_done(order)] == [blades.id]
    with pytest.raises(TransitionRefused) as refused:
        workshop.self_check(tech, order, {"work_done": True}, True)
    message = str(refused.value)
    assert "Not done yet: 雨刮片 Wiper blades (authorised additional work; part not requested" in (
        message
    )
    assert "Parts tab" in message
    assert QcCheck.select().where(QcCheck.order == order).count() == 0
    assert reload(order).state == State.IN_PROGRESS  # still the technician's job

    # the technician requests the blades, the parts clerk issues them, the tech signs
    parts.request_parts(tech, blades, 1)
    with pytest.raises(TransitionRefused, match="part not issued yet"):
        workshop.self_check(tech, order, {"work_done": True}, True)
    slip = parts.issue_parts(staff["parts"], order, {blades.id: 1}, tech)
    parts.sign_issue_slip(tech, slip, PNG)
    assert workshop.work_not_done(order) == []

    workshop.self_check(tech, order, {"work_done": True}, True)
    workshop.leader_check(leader, order, True)
    workshop.final_qc(staff["inspector"], order, True)
    workshop.start_wash(staff["washer"], order)
    workshop.finish_wash(staff["washer"], order, "P01", WASHED)
    assert reload(order).state == State.READY
    checks = {k: True for k, _ in checkout.delivery_check_items(reload(order))}
    checkout.delivery_check(staff["advisor"], order, checks)
    assert checkout.delivery_check_done(order)


def test_every_check_uses_the_same_rule_for_work_not_done(db, staff):
    """Declined lines are not required; undecided additional work blocks, named as such;
    the team-leader check, a final-inspection pass and the delivery check refuse open work."""
    from shop_desk.services import checkout

    order = dispatched(staff)
    finish_labour(staff, order)
    add_labour(order, "WPR", origin="additional", auth_state="declined")
    assert workshop.work_not_done(order) == []
    proposed = add_labour(order, "BRK-F", origin="additional", auth_state="proposed")
    (open_work,) = workshop.work_not_done(order)
    assert open_work.line.id == proposed.id and open_work.awaiting_authorisation
    with pytest.raises(TransitionRefused, match="waiting for the customer's authorisation"):
        workshop.self_check(staff["tech1"], order, {}, True)
    JobLine.delete().where(JobLine.id == proposed.id).execute()

    workshop.self_check(staff["tech1"], order, {}, True)
    late = add_labour(order, "BRK-F", origin="additional")  # authorised, not started
    with pytest.raises(TransitionRefused, match="Not done yet: .*work not finished"):
        workshop.leader_check(staff["leader1"], order, True)
    JobLine.update(work_state="done").where(JobLine.id == late.id).execute()
    workshop.leader_check(staff["leader1"], order, True)
    JobLine.update(work_state="pending").where(JobLine.id == late.id).execute()
    with pytest.raises(TransitionRefused, match="pass the final inspection.*Not done yet"):
        workshop.final_qc(staff["inspector"], order, True)
    workshop.final_qc(staff["inspector"], order, False, reason="brake job not done")
    assert reload(order).state == State.REWORK  # a fail is the inspector's way back

    ready = make_order(State.READY)
    make_line(
        ready,
        "雨刮片 Wiper blades",
        kind="part",
        part=Part.get(part_no="WPR-SET"),
        origin="additional",
        work_state="pending",
    )
    with pytest.raises(ValidationError, match="work not done: 雨刮片 Wiper blades"):
        checkout.delivery_check(
            staff["advisor"], ready, {k: True for k, _ in checkout.delivery_check_items(ready)}
        )
    assert [ln.description for ln in checkout.lines_not_done(ready)] == ["雨刮片 Wiper blades"]


def test_the_supervisor_sends_a_finished_car_with_open_work_back_to_the_workshop(db, staff):
    """An order left READY with an authorised line not done (made before the check above
    existed) is not a dead end: the supervisor sends it back; the technician finishes it."""
    order = make_order(State.READY)
    order.team = team("机修一组")
    order.technician = staff["tech1"]
    order.accepted_at = T0
    order.parking_spot = "P03"
    order.save()
    blades = make_line(
        order,
        "雨刮片 Wiper blades",
        kind="part",
        part=Part.get(part_no="WPR-SET"),
        origin="additional",
        work_state="pending",
    )
    with pytest.raises(PermissionDenied):
        workshop.send_back_to_workshop(staff["advisor"], order, "blades missing")
    with pytest.raises(ValidationError):
        workshop.send_back_to_workshop(staff["supervisor"], order, " ")
    with pytest.raises(TransitionRefused):
        workshop.send_back_to_workshop(staff["supervisor"], dispatched(staff), "x")
    workshop.send_back_to_workshop(staff["supervisor"], order, "wiper blades not fitted")
    fresh = reload(order)
    assert fresh.state == State.REWORK and fresh.rework_count == 1 and fresh.parking_spot == ""
    event = OrderEvent.get((OrderEvent.order == order) & (OrderEvent.kind == "sent_back"))
    assert json.loads(event.data)["reason"] == "wiper blades not fitted"
    draw_parts(staff, fresh)
    assert line(blades).work_state == "done"
    passed_team_checks(staff, fresh)
    workshop.final_qc(staff["inspector"], fresh, True)
    assert reload(order).state == State.WASHING


def test_a_car_sent_back_after_its_wash_and_delivery_check_gets_both_again(db, staff):
    """The second round is washed and checked again: the first round's wash and delivery
    check do not count for it (the wash could not be started a second time)."""
    from shop_desk.services import checkout

    order = dispatched(staff, free_wash=True)
    finish_labour(staff, order)
    passed_team_checks(staff, order)
    workshop.final_qc(staff["inspector"], order, True)
    workshop.start_wash(staff["washer"], order)
    with pytest.raises(TransitionRefused, match="already started"):
        workshop.start_wash(staff["washer"], order)
    workshop.finish_wash(staff["washer"], order, "A1", WASHED)
    items = {key: True for key, _label in checkout.delivery_check_items(reload(order))}
    checkout.delivery_check(staff["advisor"], reload(order), items)
    assert checkout.delivery_check_done(reload(order))
    workshop.send_back_to_workshop(staff["supervisor"], order, "异响又出现 noise is back")
    assert not checkout.delivery_check_done(reload(order))
    passed_team_checks(staff, reload(order))
    workshop.final_qc(staff["inspector"], reload(order), True)
    assert reload(order).state == State.WASHING
    workshop.start_wash(staff["washer"], reload(order))  # refused before: "already started"
    workshop.finish_wash(staff["washer"], reload(order), "A2", WASHED)
    assert reload(order).state == State.READY and not checkout.delivery_check_done(reload(order))


def test_additional_work_names_a_catalogue_part(db, staff):
    order = dispatched(staff)
    with pytest.raises(ValidationError, match="catalogue"):
        workshop.propose_additional_work(
            staff["tech1"], order, [{"kind": "part", "description": "bolt", "quantity": 1}], "x"
        )
    assert reload(order).state == State.IN_PROGRESS


def test_declined_additional_work_goes_on_the_cars_record_and_comes_back_next_visit(db, staff):
    """The customer says no to the 增项: it stays on record as declined recommended work (the
    settlement slip states it) and the next reception raises it again."""
    from shop_desk.models import Recommendation
    from shop_desk.services import reception

    order = dispatched(staff)
    req = propose(staff, order)
    workshop.record_authorisation(
        staff["advisor"], req, {lr.id: "declined" for lr in req.lines}, "phone", "王先生"
    )
    rec = Recommendation.get(Recommendation.vehicle == order.vehicle_id)
    assert rec.order_id == order.id and rec.state == "declined" and rec.declined_at is not None
    assert "Replace front brake pads" in rec.description
    assert "front pads worn to 2 mm" in rec.description
    # an authorised request leaves nothing of the kind
    assert Recommendation.select().count() == 1
    # the car comes back: the advisor is shown what the customer declined last time
    RepairOrder.update(state=State.CLOSED.value).where(RepairOrder.id == order.id).execute()
    again = reception.check_in(staff["advisor"], order.vehicle_id)
    assert [r.id for r in again.declined_recommendations] == [rec.id]
