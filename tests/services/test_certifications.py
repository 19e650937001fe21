"""Staff trained before they work (issue 23, rulebook 篇一): certifications per person and
skill with their expiry, and the dispatch that needs one or the supervisor's reason."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

from factories import make_order
from shop_desk import clock
from shop_desk.errors import DomainError, PermissionDenied, ValidationError
from shop_desk.models import (
    AuditLog,
    JobLine,
    LabourOperation,
    OrderEvent,
    RepairOrder,
    StaffCertification,
    Team,
)
from shop_desk.roles import Role
from shop_desk.services import certifications, workshop
from shop_desk.services.base import REGISTRY
from shop_desk.states import State

DAY = dt.date(2026, 11, 2)  # the fixed clock's day (conftest.START)


def cert(staff, login: str, skill: str) -> StaffCertification:
    return StaffCertification.get(
        (StaffCertification.staff == staff[login])
        & (StaffCertification.skill == skill)
        & (StaffCertification.withdrawn_at.is_null())
    )


def team(prefix: str) -> Team:
    return Team.get(Team.name.startswith(prefix))


def electrical_order() -> RepairOrder:
    """An order waiting for dispatch with the 5,000 km service and an electrical diagnosis."""
    order = make_order(State.AWAITING_DISPATCH)
    op = LabourOperation.get(LabourOperation.code == "ELE-DIAG")
    JobLine.create(
        order=order,
        kind="labour",
        labour_op=op,
        description=op.name,
        hours=op.standard_hours,
        rate=Decimal("180.00"),
        sort=9,
    )
    return order


def counts() -> tuple[int, int]:
    return StaffCertification.select().count(), AuditLog.select().count()


@pytest.mark.parametrize(
    "action", ["record_certification", "renew_certification", "withdraw_certification"]
)
def test_only_the_admin_or_a_manager_keeps_certifications(action):
    info = REGISTRY[action]
    assert info.func.__module__ == "shop_desk.services.certifications"
    assert set(info.roles) == {Role.ADMIN, Role.MANAGER}


def test_the_sample_workshop_staff_are_certified_and_others_not(db, staff):
    assert certifications.missing_certifications(staff["tech3"], ["electrical", "body"], DAY) == []
    assert certifications.missing_certifications(staff["advisor"], ["mechanical"], DAY) == [
        "mechanical"
    ]
    assert certifications.missing_certifications(staff["advisor"], [], DAY) == []


def test_record_renew_and_withdraw_with_their_audit(db, staff):
    row = certifications.record_certification(
        staff["admin"],
        staff["inspector"],
        "electrical",
        dt.date(2026, 1, 10),
        dt.date(2027, 1, 9),
        issued_by="高压电工培训 HV course",
        note="HV-001",
    )
    assert row.recorded_by_id == staff["admin"].id and row.recorded_at == clock.now()
    assert certifications.missing_certifications(staff["inspector"], ["electrical"], DAY) == []
    entry = AuditLog.get(
        (AuditLog.action == "record_certification") & (AuditLog.entity_id == row.id)
    )
    assert json.loads(entry.after)["note"] == "HV-001" and entry.before == ""

    certifications.renew_certification(
        staff["manager"], row.id, dt.date(2027, 1, 5), dt.date(2029, 1, 4), note="HV-002"
    )
    renewed = StaffCertification.get_by_id(row.id)
    assert (renewed.certified_on, renewed.expires_on, renewed.note) == (
        dt.date(2027, 1, 5),
        dt.date(2029, 1, 4),
        "HV-002",
    )
    entry = AuditLog.get(
        (AuditLog.action == "renew_certification") & (AuditLog.entity_id == row.id)
    )
    assert json.loads(entry.before)["expires_on"] == "2027-01-09"
    assert json.loads(entry.after)["expires_on"] == "2029-01-04"
    # the renewal begins in January: on the clock's day it does not count yet
    assert certifications.missing_certifications(staff["inspector"], ["electrical"], DAY) == [
        "electrical"
    ]
    assert certifications.status_text(renewed, DAY) == "Not yet valid"

    certifications.withdraw_certification(staff["admin"], row.id, "证书作废 revoked")
    gone = StaffCertification.get_by_id(row.id)
    assert gone.withdrawn_at == clock.now() and gone.withdrawn_reason == "证书作废 revoked"
    assert certifications.status_text(gone, dt.date(2027, 6, 1)) == "Withdrawn"
    assert certifications.missing_certifications(
        staff["inspector"], ["electrical"], dt.date(2027, 6, 1)
    ) == ["electrical"]
    assert certifications.certifications_of(staff["inspector"])[-1].id == row.id
    assert certifications.certifications_of(staff["inspector"], include_withdrawn=False) == []
    with pytest.raises(DomainError, match="was withdrawn"):
        certifications.renew_certification(staff["admin"], row.id, DAY, None)
    # withdrawn, a new one for the same skill may be recorded
    certifications.record_certification(
        staff["admin"], staff["inspector"], "electrical", DAY, None, note="HV-003"
    )


def test_expiry_counts_through_its_last_day(db, staff):
    row = certifications.record_certification(
        staff["admin"], staff["washer"], "body", dt.date(2025, 11, 3), DAY, issued_by="喷漆培训"
    )
    assert certifications.missing_certifications(staff["washer"], ["body"], DAY) == []
    assert certifications.status_text(row, DAY) == "Valid"
    next_day = DAY + dt.timedelta(days=1)
    assert certifications.missing_certifications(staff["washer"], ["body"], next_day) == ["body"]
    assert certifications.status_text(row, next_day) == "Expired"
    # and from its first day, not the day before
    before = dt.date(2025, 11, 2)
    assert certifications.missing_certifications(staff["washer"], ["body"], before) == ["body"]


def test_a_technician_may_not_record_and_nothing_changes(db, staff):
    was = counts()
    with pytest.raises(PermissionDenied):
        certifications.record_certification(
            staff["tech1"], staff["tech1"], "body", DAY, None, note="self-made"
        )
    with pytest.raises(PermissionDenied):
        certifications.withdraw_certification(
            staff["tech1"], cert(staff, "tech3", "electrical").id, "不喜欢 dislike"
        )
    assert counts() == was


@pytest.mark.parametrize(
    ("args", "kwargs", "message"),
    [
        (("laser", DAY, None), {"note": "X"}, "not one of the allowed values"),
        (("body", "2026-11-02", None), {"note": "X"}, "Certified on must be a date"),
        (("body", DAY, dt.date(2026, 11, 1)), {"note": "X"}, "cannot expire"),
        (("body", DAY, None), {"issued_by": " ", "note": ""}, "Say who issued"),
        (("body", DAY, None), {"note": "x" * 121}, "too long"),
    ],
)
def test_bad_input_is_refused_with_words_and_nothing_changes(db, staff, args, kwargs, message):
    was = counts()
    with pytest.raises(ValidationError, match=message):
        certifications.record_certification(staff["admin"], staff["washer"], *args, **kwargs)
    assert counts() == was


def test_a_second_certification_for_the_same_skill_is_refused(db, staff):
    was = counts()
    with pytest.raises(ValidationError, match="already has a Electrical certification"):
        certifications.record_certification(
            staff["admin"], staff["tech3"], "electrical", DAY, None, note="again"
        )
    with pytest.raises(ValidationError, match="cannot expire"):
        certifications.renew_certification(
            staff["admin"], cert(staff, "tech3", "electrical").id, DAY, dt.date(2026, 1, 1)
        )
    with pytest.raises(ValidationError, match="Reason is required"):
        certifications.withdraw_certification(
            staff["admin"], cert(staff, "tech3", "electrical").id, "  "
        )
    assert counts() == was


# --------------------------------------------------------------------------- dispatch


def _expire(staff, login: str, skill: str, last_day: dt.date) -> None:
    row = cert(staff, login, skill)
    certifications.renew_certification(staff["admin"], row.id, row.certified_on, last_day)


def test_dispatch_to_an_uncertified_technician_needs_the_supervisors_reason(db, staff):
    order = electrical_order()
    _expire(staff, "tech3", "electrical", DAY - dt.timedelta(days=1))
    events = OrderEvent.select().count()
    with pytest.raises(ValidationError) as err:
        workshop.dispatch(staff["supervisor"], order, team("电工组"), staff["tech3"])
    assert err.value.field == "override_reason"
    assert "吴昊 Wu Hao" in str(err.value) and "Electrical" in str(err.value)
    assert "supervisor must give the reason" in str(err.value)
    assert RepairOrder.get_by_id(order.id).state == State.AWAITING_DISPATCH.value
    assert OrderEvent.select().count() == events
    with pytest.raises(ValidationError):  # a blank reason is no reason
        workshop.dispatch(
            staff["supervisor"], order, team("电工组"), staff["tech3"], override_reason="  "
        )

    result = workshop.dispatch(
        staff["supervisor"],
        order,
        team("电工组"),
        staff["tech3"],
        override_reason="证书续期中，组长全程监督 renewal under way, leader supervises",
    )
    assert RepairOrder.get_by_id(order.id).technician_id == staff["tech3"].id
    assert any("吴昊 Wu Hao" in w and "renewal under way" in w for w in result.warnings)
    event = OrderEvent.get((OrderEvent.order == order) & (OrderEvent.kind == "dispatch"))
    data = json.loads(event.data)
    assert data["uncertified_skills"] == ["electrical"]
    assert data["override_reason"].startswith("证书续期中")
    entry = AuditLog.get((AuditLog.action == "dispatch") & (AuditLog.entity == "order_event"))
    assert "renewal under way" in entry.after


def test_dispatch_on_the_expiry_day_still_goes_on(db, staff):
    order = electrical_order()
    _expire(staff, "tech3", "electrical", DAY)
    result = workshop.dispatch(staff["supervisor"], order, team("电工组"), staff["tech3"])
    assert result.warnings == []
    data = json.loads(OrderEvent.get(OrderEvent.order == order, kind="dispatch").data)
    assert "override_reason" not in data


def test_dispatch_without_a_technician_is_not_checked(db, staff):
    order = electrical_order()
    _expire(staff, "tech3", "electrical", DAY - dt.timedelta(days=1))
    result = workshop.dispatch(staff["supervisor"], order, team("电工组"))
    assert result.warnings == []
    assert workshop.uncertified_skills(order, None) == []
    assert workshop.uncertified_skills(order, staff["tech3"]) == ["electrical"]


def test_redispatch_checks_the_new_technician_too(db, staff):
    order = electrical_order()
    workshop.dispatch(staff["supervisor"], order, team("电工组"), staff["tech3"])
    certifications.withdraw_certification(
        staff["admin"], cert(staff, "leader2", "electrical").id, "未通过复训 failed the refresher"
    )
    with pytest.raises(ValidationError, match="周杰 Zhou Jie"):
        workshop.redispatch(staff["supervisor"], order, team("电工组"), staff["leader2"])
    assert RepairOrder.get_by_id(order.id).technician_id == staff["tech3"].id
    result = workshop.redispatch(
        staff["supervisor"],
        order,
        team("电工组"),
        staff["leader2"],
        reason="tech3 ill",
        override_reason="只做诊断 diagnosis only",
    )
    assert RepairOrder.get_by_id(order.id).technician_id == staff["leader2"].id
    assert any("diagnosis only" in w for w in result.warnings)
    event = OrderEvent.get((OrderEvent.order == order) & (OrderEvent.kind == "redispatch"))
    assert json.loads(event.data)["override_reason"] == "只做诊断 diagnosis only"
