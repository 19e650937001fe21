"""The outcome of a verified complaint for the person it concerns (篇四: 查实 → 批评, 扣奖金,
记大过), recorded on the case and in the penalty register."""

from __future__ import annotations

from decimal import Decimal

import pytest

from factories import make_customer
from shop_desk.errors import DomainError, PermissionDenied, ValidationError
from shop_desk.models import Penalty
from shop_desk.services import aftercare, penalties


def case(staff, cause: str = "rude", investigated: bool = True):
    row = aftercare.open_complaint(
        staff["crm"],
        "phone",
        make_customer(),
        "接待态度差 the advisor was rude",
        cause,
        staff_concerned=staff["advisor2"],
    )
    if investigated:
        aftercare.progress_complaint(staff["crm"], row, "investigation", "查实 confirmed")
        aftercare.progress_complaint(staff["crm"], row, "measures", "培训 training")
    return row


def test_nothing_before_the_investigation_and_only_the_manager_decides(db, staff):
    early = case(staff, investigated=False)
    with pytest.raises(DomainError, match="not verified yet"):
        penalties.record_complaint_outcome(staff["manager"], early, "criticism", "talked to")
    with pytest.raises(PermissionDenied):
        penalties.record_complaint_outcome(staff["crm"], case(staff), "criticism", "talked to")
    assert Penalty.select().count() == 0


def test_each_outcome_goes_on_the_case_and_the_register(db, staff):
    criticised = penalties.record_complaint_outcome(
        staff["manager"], case(staff), "criticism", "当面批评 spoken to"
    )
    assert penalties.complaint_outcome(criticised)["text"].startswith("Criticism")
    with pytest.raises(ValidationError):  # a deduction needs its amount
        penalties.record_complaint_outcome(staff["manager"], case(staff), "bonus_deduction", "x")
    deducted = case(staff)
    penalties.record_complaint_outcome(
        staff["manager"], deducted, "bonus_deduction", "扣当月奖金 this month", "200"
    )
    with pytest.raises(DomainError, match="recorded already"):
        penalties.record_complaint_outcome(staff["manager"], deducted, "criticism", "again")
    penalties.record_complaint_outcome(staff["manager"], case(staff), "major_demerit", "查实")
    with pytest.raises(DomainError, match="not a major demerit"):
        penalties.record_complaint_outcome(
            staff["manager"], case(staff, cause="price"), "major_demerit", "查实"
        )
    unfounded = penalties.record_complaint_outcome(
        staff["manager"], case(staff), "unfounded", "录音无问题 the call recording was fine"
    )
    rows = {(p.kind, p.amount) for p in Penalty.select() if p.staff_id == staff["advisor2"].id}
    assert rows == {
        ("criticism", Decimal("0.00")),
        ("bonus_deduction", Decimal("200.00")),
        ("major_demerit", penalties.amount_for("major_demerit")),
    }
    assert penalties.complaint_outcome(unfounded)["text"].startswith("Not borne out")
