"""After-care: follow-up calls, complaints, call log, warranty claims, service reminders."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from factories import make_customer, make_line, make_order, make_vehicle
from shop_desk import clock
from shop_desk.errors import DomainError, PermissionDenied, TransitionRefused, ValidationError
from shop_desk.models import Appointment, Complaint, FollowUp, JobLine, OdometerReading, RepairOrder
from shop_desk.services import aftercare, approvals
from shop_desk.services.approvals import ApprovalRequired
from shop_desk.states import State

NOW = dt.datetime(2026, 11, 2, 9, 0)


def fresh(row):
    return type(row).get_by_id(row.id)


def left_order(preferred: str = "", **kw) -> tuple[RepairOrder, FollowUp]:
    """An order whose car left, with its open follow-up call (as use_gate_pass leaves it)."""
    customer = make_customer(preferred_contact_time=preferred)
    order = make_order(State.LEFT, paid=True, vehicle=make_vehicle(owner=customer), **kw)
    return order, FollowUp.get(FollowUp.order == order)


# --------------------------------------------------------------------------- follow-up


def test_retries_stay_inside_the_three_day_window(db, staff):
    """Left on Monday, called on Thursday (day 3): not reached in the morning, the next try is
    two hours later the same day; not reached at 17:00, there is no time left inside the
    window, so the call goes to Friday, and then it is not within the window."""
    order, fu = left_order()
    order.left_at = NOW  # Monday 2 November, 09:00
    order.save()
    fu.due_at = dt.datetime(2026, 11, 5, 9, 0)
    fu.save()
    with clock.frozen(dt.datetime(2026, 11, 5, 9, 5)):
        row = aftercare.record_follow_up(staff["crm"], fu, False)
    assert row.due_at == dt.datetime(2026, 11, 5, 11, 5)
    with clock.frozen(dt.datetime(2026, 11, 5, 17, 0)):
        row = aftercare.record_follow_up(staff["crm"], fu, False)
    assert row.due_at == dt.datetime(2026, 11, 6, 8, 30)  # the workday's start
    assert aftercare.follow_up_window_end(row) == dt.date(2026, 11, 5)
    with clock.frozen(dt.datetime(2026, 11, 6, 8, 40)):
        late = aftercare.record_follow_up(staff["crm"], fu, True, 4, True)
    assert late.state == "done" and not aftercare.within_window(late)
    # a first call on day 1: the retry goes to the next day, still inside the window
    order2, fu2 = left_order()
    order2.left_at = NOW
    order2.save()
    with clock.frozen(dt.datetime(2026, 11, 3, 10, 0)):
        row = aftercare.record_follow_up(staff["crm"], fu2, False)
    assert row.due_at.date() == dt.date(2026, 11, 4)
    with clock.frozen(dt.datetime(2026, 11, 4, 10, 0)):
        done = aftercare.record_follow_up(staff["crm"], fu2, True, 5, True)
    assert aftercare.within_window(done)


def test_the_follow_up_settings_keep_inside_the_rulebook(db, staff):
    from shop_desk.services import admin

    for days in (0, 4, 30):
        with pytest.raises(ValidationError, match="Follow-up call within"):
            admin.update_settings(staff["admin"], follow_up_days=days)
    with pytest.raises(ValidationError, match="attempts"):
        admin.update_settings(staff["admin"], follow_up_retries=0)
    assert admin.update_settings(staff["admin"], follow_up_days=2).follow_up_days == 2


def test_due_follow_ups_today_and_overdue_by_preferred_time(db, staff):
    _, late = left_order()
    _, early = left_order()
    _, future = left_order()
    for fu, due in (
        (late, NOW.replace(hour=18)),
        (early, NOW - dt.timedelta(days=2, hours=-1)),
        (future, NOW + dt.timedelta(days=1)),
    ):
        fu.due_at = due
        fu.save()
    assert [f.id for f in aftercare.due_follow_ups(NOW.date())] == [early.id, late.id]


def test_schedule_uses_the_customers_preferred_time(db, staff):
    order, _ = left_order("晚上 19:30 以后")
    assert aftercare.follow_up_due(order, NOW) == (
        dt.datetime(2026, 11, 5, 19, 30),
        "晚上 19:30 以后",
    )
    order.follow_up_time = "午休 12:15"
    assert aftercare.follow_up_due(order, NOW)[0].time() == dt.time(12, 15)
    order.follow_up_time = order.customer.preferred_contact_time = "any time"
    assert aftercare.follow_up_due(order, NOW)[0].time() == dt.time(8, 30)  # the workday start


def test_a_done_follow_up_closes_the_order(db, staff):
    order, fu = left_order()
    with pytest.raises(ValidationError):
        aftercare.record_follow_up(staff["crm"], fu, True, 6, True)
    with pytest.raises(PermissionDenied):
        aftercare.record_follow_up(staff["advisor"], fu, True, 5, True)
    done = aftercare.record_follow_up(staff["crm"], fu, True, 5, True, "very happy")
    assert done.state == "done" and not aftercare.is_unhappy(done)
    assert fresh(order).state == State.CLOSED and fresh(order).closed_at == NOW
    with pytest.raises(DomainError, match="finished"):
        aftercare.record_follow_up(staff["crm"], fu, True, 5, True)


def test_not_reached_retries_then_unreachable(db, staff):
    order, fu = left_order()
    for attempt in (1, 2):
        row = aftercare.record_follow_up(staff["crm"], fu, False)
        assert (row.state, row.attempts) == ("open", attempt)
        assert row.due_at.date() == NOW.date() + dt.timedelta(days=1)
        assert fresh(order).state == State.LEFT
    row = aftercare.record_follow_up(staff["crm"], fu, False, comments="no answer, voicemail full")
    assert (row.state, row.attempts) == ("unreachable", 3)
    assert fresh(order).state == State.CLOSED


def test_follow_up_to_complaint_to_closed(db, staff):
    order, fu = left_order()
    with pytest.raises(DomainError, match="answer first"):
        aftercare.complaint_from_follow_up(staff["crm"], fu, "noise")
    fu = aftercare.record_follow_up(
        staff["crm"], fu, True, 2, False, "刹车异响还在 brake noise still there"
    )
    assert aftercare.is_unhappy(fu)
    case = aftercare.complaint_from_follow_up(staff["crm"], fu)
    assert (case.cause, case.channel, case.order_id, case.follow_up_id) == (
        "quality",
        "phone",
        order.id,
        fu.id,
    )
    assert case.description == "刹车异响还在 brake noise still there" and case.number.startswith(
        "TS"
    )
    with pytest.raises(DomainError, match="already"):
        aftercare.complaint_from_follow_up(staff["crm"], fu, "again")
    with pytest.raises(DomainError, match="investigation"):
        aftercare.progress_complaint(staff["crm"], case, "measures", "skip ahead")
    with pytest.raises(DomainError, match="follow-up step"):
        aftercare.close_complaint(staff["manager"], case)
    for step in ("investigation", "investigation", "measures", "feedback", "follow_up"):
        case = aftercare.progress_complaint(staff["crm"], case, step, f"{step} note")
    with pytest.raises(DomainError, match="past"):
        aftercare.progress_complaint(staff["crm"], case, "measures", "back")
    case = aftercare.close_complaint(staff["manager"], case, "customer satisfied after rework")
    assert case.state == "closed" and case.closed_at == NOW
    steps = json.loads(fresh(case).steps)
    assert [s["step"] for s in steps] == [
        "record",
        "investigation",
        "investigation",
        "measures",
        "feedback",
        "follow_up",
        "closed",
    ]
    assert all(s["at"] and s["by"] for s in steps)
    with pytest.raises(DomainError, match="closed"):
        aftercare.progress_complaint(staff["crm"], case, "follow_up", "more")


def test_open_complaint_checks_input_and_roles(db, staff):
    customer = make_customer()
    other = make_order(State.CLOSED)
    with pytest.raises(PermissionDenied):
        aftercare.open_complaint(staff["tech1"], "phone", customer, "rude", "rude")
    with pytest.raises(ValidationError):
        aftercare.open_complaint(staff["crm"], "email", customer, "late", "late")
    with pytest.raises(ValidationError, match="another customer"):
        aftercare.open_complaint(staff["crm"], "visit", customer, "late", "late", order=other)
    case = aftercare.open_complaint(
        staff["advisor"],
        "letter",
        customer,
        "asked for a tip",
        "money",
        staff_concerned=staff["tech2"],
    )
    assert (case.state, case.staff_concerned_id) == ("open", staff["tech2"].id)


def test_complaint_for_comeback(db, staff):
    first = make_order(State.CLOSED)
    vehicle = first.vehicle
    comeback = make_order(State.IN_PROGRESS, vehicle=vehicle, is_comeback=True, comeback_of=first)
    with pytest.raises(DomainError, match="not marked as a comeback"):
        aftercare.complaint_for_comeback(staff["advisor"], first)
    case = aftercare.complaint_for_comeback(staff["advisor"], comeback)
    assert case.cause == "comeback" and case.staff_concerned_id == first.technician_id
    assert first.number in case.description and case.vehicle_id == vehicle.id
    assert aftercare.complaint_for_comeback(staff["crm"], comeback).id == case.id
    # an open complaint on the order is linked (marked as a comeback) instead of a second case
    again = make_order(State.IN_PROGRESS, vehicle=vehicle, is_comeback=True, comeback_of=first)
    earlier = aftercare.open_complaint(
        staff["crm"], "phone", again.customer, "same noise", "quality", order=again
    )
    assert aftercare.complaint_for_comeback(staff["crm"], again).id == earlier.id
    assert fresh(earlier).cause == "comeback"
    assert Complaint.select().count() == 2


def test_flagged_comebacks_open_or_link_their_complaint_cases(db, staff):
    first = make_order(State.CLOSED)
    vehicle = first.vehicle
    plain = make_order(State.IN_PROGRESS, vehicle=vehicle, is_comeback=True, comeback_of=first)
    linked = make_order(State.CHECKED_IN, vehicle=vehicle, is_comeback=True, comeback_of=first)
    earlier = aftercare.open_complaint(
        staff["crm"], "phone", linked.customer, "same noise", "quality", order=linked
    )
    make_order(State.CANCELLED, vehicle=vehicle, is_comeback=True, comeback_of=first)
    make_order(State.IN_PROGRESS, vehicle=vehicle)  # not a comeback
    assert [o.id for o in aftercare.comebacks_without_complaint()] == [plain.id, linked.id]
    with pytest.raises(PermissionDenied):
        aftercare.open_comeback_complaints(staff["tech1"])
    cases = aftercare.open_comeback_complaints(staff["crm"])
    assert [c.order_id for c in cases] == [plain.id, linked.id]
    assert cases[1].id == earlier.id and fresh(earlier).cause == "comeback"
    assert all(fresh(c).cause == "comeback" for c in cases)
    assert aftercare.comebacks_without_complaint() == []
    assert aftercare.open_comeback_complaints(staff["crm"]) == []
    assert Complaint.select().count() == 2


# --------------------------------------------------------------------------- call log


def test_call_overdue_after_24_hours(db, staff):
    call = aftercare.log_call(staff["cashier"], "王先生", "138 0013 8000", "When is my car ready?")
    assert call.answer_due_at == NOW + dt.timedelta(hours=24) and call.phone == "13800138000"
    answered = aftercare.log_call(
        staff["crm"], "李女士", "021-64001234", "Price of a 10,000 km service"
    )
    aftercare.answer_call(staff["advisor"], answered, "¥1,280 with parts")
    assert aftercare.overdue_calls(NOW + dt.timedelta(hours=23, minutes=59)) == []
    clock.set_now(NOW + dt.timedelta(hours=24, minutes=1))
    assert [c.id for c in aftercare.overdue_calls()] == [call.id]
    aftercare.answer_call(staff["crm"], call, "Ready at 17:00")
    assert aftercare.overdue_calls() == []
    with pytest.raises(DomainError, match="answered already"):
        aftercare.answer_call(staff["crm"], call, "again")


def test_urgent_call_is_due_at_once_and_listed_first(db, staff):
    normal = aftercare.log_call(staff["crm"], "A", "", "brochure")
    urgent = aftercare.log_call(
        staff["crm"], "B", "13912345678", "broke down on the highway", urgent=True
    )
    assert urgent.answer_due_at == NOW
    assert [c.id for c in aftercare.open_calls()] == [urgent.id, normal.id]
    with pytest.raises(ValidationError, match="not a valid phone"):
        aftercare.log_call(staff["crm"], "C", "12345", "x")
    with pytest.raises(PermissionDenied):
        aftercare.log_call(staff["tech1"], "C", "", "x")


# --------------------------------------------------------------------------- warranty claims


def _warranty_order(state=State.DELIVERED):
    order = make_order(state, lines=False, paid=True)
    line = make_line(order, "Replace window regulator", hours="1.50", pay_type="warranty")
    return order, line


def test_claim_approved(db, staff):
    order, line = _warranty_order()
    assert [ln.id for ln in aftercare.warranty_claims("pending")] == [line.id]
    row = aftercare.approve_claim(staff["advisor"], line, "FAW-2026-0042")
    assert (row.warranty_claim_state, row.warranty_claim_no) == ("approved", "FAW-2026-0042")
    assert aftercare.warranty_claims("pending") == []
    assert [ln.id for ln in aftercare.warranty_claims("approved")] == [line.id]
    with pytest.raises(DomainError, match="decided already"):
        aftercare.reject_claim(staff["manager"], line, "customer_pays")
    with pytest.raises(PermissionDenied):
        aftercare.approve_claim(staff["crm"], line, "X")


def test_claim_rejected_customer_pays_before_settlement(db, staff):
    order, line = _warranty_order()
    row = aftercare.reject_claim(staff["advisor"], line, "customer_pays")
    assert (row.pay_type, row.warranty_claim_state) == ("customer", "rejected")
    assert fresh(order).version > order.version
    # no longer a warranty line, still on the claims list as rejected
    assert [ln.id for ln in aftercare.warranty_claims("rejected")] == [line.id]
    assert [ln.id for ln in aftercare.warranty_claims()] == [line.id]
    assert aftercare.warranty_claims("pending") == []


def test_claim_rejected_after_settlement_needs_a_write_off(db, staff):
    order, line = _warranty_order(State.SETTLED)
    with pytest.raises(TransitionRefused, match="Write it off"):
        aftercare.reject_claim(staff["advisor"], line, "customer_pays")
    with pytest.raises(ApprovalRequired):
        aftercare.reject_claim(staff["advisor"], line, "write_off")
    req = approvals.request_approval(
        staff["advisor"], "write_off", order, "270", "manufacturer refused"
    )
    approvals.approve(staff["manager"], req, "1234")
    row = aftercare.reject_claim(staff["advisor"], line, "write_off")
    assert (row.pay_type, row.warranty_claim_state) == ("warranty", "written_off")
    assert fresh(req).state == "used"


def test_order_with_warranty_pending_lists_its_lines(db, staff):
    order = make_order(State.IN_PROGRESS, warranty_decision="pending")
    claims = aftercare.warranty_claims()
    assert {ln.order_id for ln in claims} == {order.id} and len(claims) == 2
    line = claims[0]
    row = aftercare.approve_claim(staff["manager"], line, "FAW-1")
    assert row.pay_type == "warranty"
    customer_line = make_order(State.IN_PROGRESS).lines.get()
    with pytest.raises(DomainError, match="not a warranty claim"):
        aftercare.approve_claim(staff["manager"], customer_line, "FAW-2")
    assert JobLine.get_by_id(customer_line.id).warranty_claim_state == ""


# --------------------------------------------------------------------------- service reminders


def test_service_reminders_by_date_and_by_mileage(db, staff):
    today = NOW.date()
    by_date = make_order(
        State.CLOSED, next_service_date=today + dt.timedelta(days=20), next_service_km=99000
    )
    later = make_order(
        State.CLOSED, next_service_date=today + dt.timedelta(days=90), next_service_km=99000
    )
    # a high-mileage car: 100 km a day from its odometer history reaches the next service km early
    heavy = make_order(
        State.CLOSED, next_service_date=today + dt.timedelta(days=150), next_service_km=14500
    )
    OdometerReading.create(vehicle=heavy.vehicle, km=9000, read_at=NOW - dt.timedelta(days=30))
    OdometerReading.create(vehicle=heavy.vehicle, km=12000, read_at=NOW)
    booked = make_order(
        State.CLOSED, next_service_date=today + dt.timedelta(days=5), next_service_km=99000
    )
    Appointment.create(
        customer=booked.customer, vehicle=booked.vehicle, slot_start=NOW + dt.timedelta(days=4)
    )
    in_shop = make_order(
        State.CLOSED, next_service_date=today + dt.timedelta(days=5), next_service_km=99000
    )
    make_order(State.IN_PROGRESS, vehicle=in_shop.vehicle)
    reminders = aftercare.service_reminders(today)
    assert [(r.vehicle_id, r.by) for r in reminders] == [
        (by_date.vehicle_id, "date"),
        (heavy.vehicle_id, "km"),
    ]
    assert reminders[1].due_date == today + dt.timedelta(days=25)
    assert later.vehicle_id in {r.vehicle_id for r in aftercare.service_reminders(today, weeks=13)}
    assert reminders[1].next_service_km == 14500
