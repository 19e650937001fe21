"""The station's next-step facts, read for a whole job list at once."""

from __future__ import annotations

from decimal import Decimal

from factories import make_line, make_order
from shop_desk.models import Part
from shop_desk.states import State
from shop_desk.ui.station.reads import job_facts, next_step


def test_a_half_issued_part_still_counts_as_requested(db):
    order = make_order(State.WAITING_PARTS, lines=False)
    part = Part.select().first()
    half = make_line(order, part.name, kind="part", quantity="2.00", part=part)
    half.parts_requested, half.parts_issued = Decimal("1.50"), Decimal("1.00")
    half.save()
    done = make_line(order, part.name, kind="part", quantity="1.00", part=part)
    done.parts_requested = done.parts_issued = Decimal("1.00")
    done.save()
    make_line(order, "Replace brake pads", hours="1.20")
    facts = job_facts([order])[order.id]
    assert facts.parts_requested == 1
    assert facts.open_labour == 1
    assert next_step(order, {"parts_clerk"}, facts) == "Issue parts: 1 requested"


def test_an_unsigned_slip_is_the_next_step_before_the_self_check(db):
    from shop_desk.models import PartsIssueSlip, RepairOrder, Staff

    order = make_order(State.IN_PROGRESS, lines=False)
    RepairOrder.update(accepted_at=order.created_at).where(RepairOrder.id == order.id).execute()
    order = RepairOrder.get_by_id(order.id)
    facts = job_facts([order])[order.id]
    assert next_step(order, {"technician"}, facts) == "Self-check"
    tech = Staff.get(Staff.login == "tech1")
    PartsIssueSlip.create(order=order, number="CK261102-077", technician=tech)
    facts = job_facts([order])[order.id]
    assert facts.unsigned_slips == 1
    assert next_step(order, {"technician"}, facts) == "Sign the parts issue slip"
