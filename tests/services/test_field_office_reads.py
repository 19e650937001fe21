"""Reads the field desk's back-office tabs use (expense claims, penalty register, key
customers, the parts counter) and naming who made a key customer's visit."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from test_field import at, dispatched, new_job, receipt, returned_job

from factories import make_customer
from shop_desk import clock
from shop_desk.errors import NotFound, ValidationError
from shop_desk.models import Complaint, ExpenseItem, Staff
from shop_desk.services import expenses, field, key_customers, penalties


def test_claims_by_state_items_tools_and_ticket_places(db, staff):
    job = returned_job(staff)
    claim = expenses.submit_expense_claim(
        staff["tech1"],
        job.id,
        [
            receipt("ticket", "45.50", place="沪宁高速 G42"),
            receipt("tool", "20.00", description="胶带 tape"),
        ],
    )
    assert expenses.claims() == [claim] and expenses.claims("submitted") == [claim]
    assert expenses.claims("paid") == []
    ticket, tape = expenses.items_of(claim.id)
    assert expenses.ticket_matches(ticket) is True and expenses.ticket_matches(tape) is None
    # a ticket written before the destination check (an old claim) is told apart
    ExpenseItem.update(place="广州 Guangzhou").where(ExpenseItem.id == ticket.id).execute()
    assert expenses.ticket_matches(ExpenseItem.get_by_id(ticket.id)) is False
    assert expenses.tools_to_return() == [tape]
    expenses.record_tool_returned(staff["parts"], tape.id)
    assert expenses.tools_to_return() == []
    assert expenses.kind_label("tool") == "Tool bought on the road"


def test_penalty_totals_case_numbers_and_demerit_candidates(db, staff):
    job = dispatched(staff)
    field.depart(staff["tech1"], job.id)
    at(6)
    field.arrive(staff["tech1"], job.id, "私事 personal errand", personal=True)
    penalties.record_not_following_dispatch(staff["supervisor"], staff["tech1"], job.id, "拒绝")
    customer = make_customer()
    verified = Complaint.create(
        number="TS-9",
        channel="phone",
        customer=customer,
        cause="rude",
        staff_concerned=staff["tech2"],
        description="态度恶劣 rude",
        state="feedback",
    )
    Complaint.create(
        number="TS-10",
        channel="phone",
        customer=customer,
        cause="price",
        staff_concerned=staff["tech2"],
        description="太贵 too dear",
        state="closed",
    )
    assert penalties.demerit_candidates() == [verified]
    demerit = penalties.demerit_from_complaint(staff["manager"], verified.id)
    assert penalties.demerit_candidates() == []
    assert penalties.case_number(demerit) == "TS-9"
    entries = penalties.penalties(staff["manager"])
    totals = {t.name: t for t in penalties.totals_by_person(entries)}
    tech1, tech2 = totals[staff["tech1"].name], totals[staff["tech2"].name]
    # tech1: late (100.00) and not following the dispatch (setting); tech2: late + demerit
    assert tech1.cases == 2 and tech1.demerits == 0
    assert tech2.cases == 2 and tech2.demerits == 1
    assert tech1.amount == Decimal("100.00") + penalties.amount_for("not_following_dispatch")
    assert {penalties.case_number(p) for p in entries} == {job.number, "TS-9"}
    assert penalties.jobs_to_cite(clock.now() - dt.timedelta(days=1)) == [job]


def test_visit_recorded_for_the_person_who_went(db, staff):
    fleet = make_customer(name="顺丰车队 SF Fleet", kind="company")
    row = key_customers.add_key_customer(staff["crm"], fleet.id, 30)
    visit = key_customers.record_key_customer_visit(
        staff["crm"], row.id, clock.today(), "每天两百公里", visited_by=staff["tech2"].id
    )
    assert visit.visited_by_id == staff["tech2"].id
    assert key_customers.last_visits() == {row.id: clock.today()}
    with pytest.raises(NotFound):
        key_customers.record_key_customer_visit(
            staff["crm"], row.id, clock.today(), "x", visited_by=999999
        )
    Staff.update(active=False).where(Staff.id == staff["tech3"].id).execute()
    with pytest.raises(ValidationError, match="no longer works here"):
        key_customers.record_key_customer_visit(
            staff["crm"], row.id, clock.today(), "x", visited_by=staff["tech3"].id
        )


def test_jobs_at_the_parts_counter(db, staff):
    waiting = new_job(staff)
    out = dispatched(staff)
    assert field.jobs_at_parts_counter() == [out]
    assert waiting not in field.jobs_at_parts_counter()
