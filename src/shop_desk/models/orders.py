"""Appointments, repair orders and everything recorded on them from reception to delivery."""

from __future__ import annotations

from decimal import Decimal

import peewee

from shop_desk.models.base import BaseModel, now_default
from shop_desk.models.catalogue import LabourOperation, Part
from shop_desk.models.customers import Customer, Vehicle
from shop_desk.models.fields import FixedDecimalField, MoneyField
from shop_desk.models.records import Signature
from shop_desk.models.staff import Staff, Team

PAY_TYPES = ("customer", "warranty", "internal", "goodwill", "insurance")
LINE_KINDS = ("labour", "part")
ORIGINS = ("original", "additional")
AUTH_STATES = ("proposed", "authorised", "declined")
WORK_STATES = ("pending", "in_progress", "paused", "done")
WARRANTY_DECISIONS = ("", "covered", "not_covered", "pending")


class Appointment(BaseModel):
    customer = peewee.ForeignKeyField(Customer, backref="appointments", on_delete="CASCADE")
    vehicle = peewee.ForeignKeyField(Vehicle, backref="appointments", on_delete="CASCADE")
    advisor = peewee.ForeignKeyField(Staff, null=True, on_delete="SET NULL")
    slot_start = peewee.DateTimeField(index=True)
    hours = FixedDecimalField(2, default=Decimal("1.00"))
    requested_work = peewee.TextField(default="")
    notes = peewee.TextField(default="")
    status = peewee.CharField(default="booked")  # booked | arrived | cancelled | no_show
    version = peewee.IntegerField(default=1)  # optimistic concurrency between desks
    created_at = peewee.DateTimeField(default=now_default)


class RepairOrder(BaseModel):
    number = peewee.CharField(unique=True)
    state = peewee.CharField(index=True)
    version = peewee.IntegerField(default=1)  # optimistic concurrency between stations
    customer = peewee.ForeignKeyField(Customer, backref="orders", on_delete="RESTRICT")
    vehicle = peewee.ForeignKeyField(Vehicle, backref="orders", on_delete="RESTRICT")
    advisor = peewee.ForeignKeyField(
        Staff, null=True, backref="advised_orders", on_delete="SET NULL"
    )
    appointment = peewee.ForeignKeyField(
        Appointment, null=True, backref="orders", on_delete="SET NULL"
    )
    walk_in = peewee.BooleanField(default=False)
    created_at = peewee.DateTimeField(default=now_default, index=True)
    checked_in_at = peewee.DateTimeField(null=True, index=True)
    odometer_km = peewee.IntegerField(null=True)
    # reception
    complaint_text = peewee.TextField(default="")
    diagnosis = peewee.TextField(default="")
    diagnosis_needed = peewee.BooleanField(default=False)
    # '', covered, not_covered, pending (indexed: the claims list reads the pending ones)
    warranty_decision = peewee.CharField(default="", index=True)
    warranty_reason = peewee.TextField(default="")
    licence_no = peewee.CharField(default="")  # 行驶证
    booklet_no = peewee.CharField(default="")  # 保养手册
    promised_at = peewee.DateTimeField(null=True, index=True)
    # task order
    payment_method = peewee.CharField(default="")
    old_parts = peewee.CharField(default="dispose")  # take_home | dispose
    free_wash = peewee.BooleanField(default=True)
    authorisation_via = peewee.CharField(default="phone")  # phone | in_person
    authorisation_phone = peewee.CharField(default="")
    customer_waiting = peewee.BooleanField(default=False)
    signed_at = peewee.DateTimeField(null=True)
    signed_on_paper = peewee.BooleanField(default=False)
    signature = peewee.ForeignKeyField(Signature, null=True, on_delete="SET NULL")
    # handover and dispatch
    handed_over_at = peewee.DateTimeField(null=True)
    handover_key = peewee.BooleanField(default=False)
    handover_documents = peewee.BooleanField(default=False)
    handover_notes = peewee.TextField(default="")
    priority = peewee.IntegerField(default=2)  # 1 urgent, 2 normal, 3 low
    team = peewee.ForeignKeyField(Team, null=True, backref="orders", on_delete="SET NULL")
    technician = peewee.ForeignKeyField(
        Staff, null=True, backref="tech_orders", on_delete="SET NULL"
    )
    dispatched_at = peewee.DateTimeField(null=True, index=True)  # the team loads of a day
    accepted_at = peewee.DateTimeField(null=True)
    accepted_by = peewee.ForeignKeyField(Staff, null=True, on_delete="SET NULL", backref="+")
    # quality
    rework_count = peewee.IntegerField(default=0)
    is_comeback = peewee.BooleanField(default=False, index=True)  # the few, among all orders
    accident_car = peewee.BooleanField(default=False)  # 事故车: not handed over at peak hours
    comeback_of = peewee.ForeignKeyField(
        "self", null=True, on_delete="SET NULL", backref="comebacks"
    )
    parking_spot = peewee.CharField(default="")
    # delivery and after
    ready_at = peewee.DateTimeField(null=True, index=True)  # the reports' on-time rate
    pickup_at = peewee.DateTimeField(null=True)
    delivered_at = peewee.DateTimeField(null=True, index=True)  # on time, when never ready
    next_service_date = peewee.DateField(null=True)
    next_service_km = peewee.IntegerField(null=True)
    first_service = peewee.BooleanField(default=False)
    follow_up_time = peewee.CharField(default="")
    order_discount = MoneyField()
    settled_at = peewee.DateTimeField(null=True)
    left_at = peewee.DateTimeField(null=True)
    closed_at = peewee.DateTimeField(null=True)
    cancelled_reason = peewee.TextField(default="")
    updated_at = peewee.DateTimeField(default=now_default)
    updated_by = peewee.ForeignKeyField(Staff, null=True, on_delete="SET NULL", backref="+")
    # imported history: the old system's order number and the ImportBatch id
    original_number = peewee.CharField(default="", index=True)
    import_batch = peewee.IntegerField(null=True, index=True)

    class Meta:
        # reports: settled orders of a period (state IN (...) AND settled_at in range);
        # an advisor's open orders (notices, badges) without reading the advisor's history
        indexes = ((("state", "settled_at"), False), (("advisor", "state"), False))


class Inspection(BaseModel):
    order = peewee.ForeignKeyField(
        RepairOrder, unique=True, backref="inspections", on_delete="CASCADE"
    )
    fuel_level = peewee.IntegerField(default=50)  # percent
    odometer_km = peewee.IntegerField(default=0)
    warning_lights = peewee.TextField(default="[]")  # JSON list of codes
    spare_wheel = peewee.BooleanField(default=True)
    tool_kit = peewee.BooleanField(default=True)
    protective_set = peewee.BooleanField(default=False)
    valuables = peewee.TextField(default="")
    notes = peewee.TextField(default="")
    recorded_by = peewee.ForeignKeyField(Staff, null=True, on_delete="SET NULL")
    recorded_at = peewee.DateTimeField(default=now_default)


class DamageMark(BaseModel):
    inspection = peewee.ForeignKeyField(Inspection, backref="marks", on_delete="CASCADE")
    view = peewee.CharField(default="top")  # top | front | rear | left | right
    x = peewee.FloatField()  # 0..1 on the diagram
    y = peewee.FloatField()
    kind = peewee.CharField()  # scratch | dent | crack | chip | other
    note = peewee.CharField(default="")
    found_in_workshop = peewee.BooleanField(default=False)


class InspectionPhoto(BaseModel):
    inspection = peewee.ForeignKeyField(Inspection, backref="photos", on_delete="CASCADE")
    filename = peewee.CharField()
    image = peewee.BlobField()
    caption = peewee.CharField(default="")


class AdditionalWorkRequest(BaseModel):
    order = peewee.ForeignKeyField(RepairOrder, backref="additional_requests", on_delete="CASCADE")
    proposed_by = peewee.ForeignKeyField(Staff, null=True, on_delete="SET NULL", backref="+")
    proposed_at = peewee.DateTimeField(default=now_default)
    reason = peewee.TextField(default="")
    state = peewee.CharField(default="pending")  # pending | decided
    auth_method = peewee.CharField(default="")  # in_person | phone | signature
    auth_at = peewee.DateTimeField(null=True)
    auth_by_customer = peewee.CharField(default="")  # who on the customer's (insurer's) side agreed
    # who decides: the customer (增项) or, for a supplementary assessment (追加定损), the insurer
    decided_by = peewee.CharField(default="customer")  # customer | insurer
    recorded_by = peewee.ForeignKeyField(Staff, null=True, on_delete="SET NULL", backref="+")
    signature = peewee.ForeignKeyField(Signature, null=True, on_delete="SET NULL")


class JobLine(BaseModel):
    order = peewee.ForeignKeyField(RepairOrder, backref="lines", on_delete="CASCADE")
    kind = peewee.CharField()  # labour | part
    labour_op = peewee.ForeignKeyField(LabourOperation, null=True, on_delete="SET NULL")
    part = peewee.ForeignKeyField(Part, null=True, on_delete="SET NULL")
    description = peewee.CharField()
    hours = FixedDecimalField(2, null=True)
    rate = MoneyField(null=True, default=None)
    quantity = FixedDecimalField(2, null=True)
    unit_price = MoneyField(null=True, default=None)
    discount = MoneyField()
    pay_type = peewee.CharField(default="customer", index=True)  # the claims list: warranty
    category = peewee.CharField(default="general")
    origin = peewee.CharField(default="original")
    auth_state = peewee.CharField(default="authorised")
    work_state = peewee.CharField(default="pending")
    request = peewee.ForeignKeyField(
        AdditionalWorkRequest, null=True, backref="lines", on_delete="SET NULL"
    )
    technician = peewee.ForeignKeyField(Staff, null=True, on_delete="SET NULL", backref="+")
    parts_requested = FixedDecimalField(2, default=Decimal("0"))
    parts_issued = FixedDecimalField(2, default=Decimal("0"))
    parts_reserved = FixedDecimalField(2, default=Decimal("0"))
    # '', pending, approved, rejected, written_off (indexed: the claims list reads rejected ones)
    warranty_claim_state = peewee.CharField(default="", index=True)
    warranty_claim_no = peewee.CharField(default="")
    sort = peewee.IntegerField(default=0)
    created_at = peewee.DateTimeField(default=now_default)


# the claims of a period by state (the reports): a small index of the lines that are claims,
# so neither database reads every line ever written to count them (schema v15)
JobLine.add_index(
    JobLine.index(JobLine.warranty_claim_state, JobLine.order, name="job_line_claims").where(
        JobLine.warranty_claim_state != ""
    )
)


class ClockEvent(BaseModel):
    line = peewee.ForeignKeyField(JobLine, backref="clock_events", on_delete="CASCADE")
    technician = peewee.ForeignKeyField(Staff, on_delete="RESTRICT", backref="+")
    kind = peewee.CharField()  # start | pause | resume | finish
    reason = peewee.CharField(default="")  # pause reason: parts | authorisation | break | other
    at = peewee.DateTimeField(default=now_default)
    original_at = peewee.DateTimeField(null=True)
    edited_by = peewee.ForeignKeyField(Staff, null=True, on_delete="SET NULL", backref="+")
    edited_at = peewee.DateTimeField(null=True)
    edit_reason = peewee.CharField(default="")  # why a manager corrected the time


class PartsIssueSlip(BaseModel):
    order = peewee.ForeignKeyField(RepairOrder, backref="issue_slips", on_delete="CASCADE")
    number = peewee.CharField(unique=True)
    issued_by = peewee.ForeignKeyField(Staff, null=True, on_delete="SET NULL", backref="+")
    technician = peewee.ForeignKeyField(Staff, null=True, on_delete="SET NULL", backref="+")
    issued_at = peewee.DateTimeField(default=now_default)
    signature = peewee.ForeignKeyField(Signature, null=True, on_delete="SET NULL")
    signed_at = peewee.DateTimeField(null=True)


class PartsIssueLine(BaseModel):
    slip = peewee.ForeignKeyField(PartsIssueSlip, backref="lines", on_delete="CASCADE")
    line = peewee.ForeignKeyField(JobLine, backref="issues", on_delete="CASCADE")
    part = peewee.ForeignKeyField(Part, on_delete="RESTRICT")
    quantity = FixedDecimalField(2)


class QcCheck(BaseModel):
    order = peewee.ForeignKeyField(RepairOrder, backref="qc_checks", on_delete="CASCADE")
    stage = peewee.CharField()  # self | leader | final
    round = peewee.IntegerField(default=1)  # 1 + rework count at the time
    passed = peewee.BooleanField()
    reason = peewee.TextField(default="")
    advice = peewee.TextField(default="")
    checklist = peewee.TextField(default="{}")  # JSON
    by = peewee.ForeignKeyField(Staff, on_delete="RESTRICT", backref="+")
    at = peewee.DateTimeField(default=now_default)

    class Meta:
        # reports: first-time final QC pass rate of a period (not (stage, at): without
        # statistics SQLite would take it for "this order's leader checks" too)
        indexes = ((("at",), False),)


class DelayReport(BaseModel):
    order = peewee.ForeignKeyField(RepairOrder, backref="delays", on_delete="CASCADE")
    old_promised_at = peewee.DateTimeField(null=True)
    new_promised_at = peewee.DateTimeField()
    reason = peewee.TextField()
    by = peewee.ForeignKeyField(Staff, on_delete="RESTRICT", backref="+")
    at = peewee.DateTimeField(default=now_default)
    seen_by_advisor = peewee.BooleanField(default=False)


class OrderEvent(BaseModel):
    """Wash, internal delivery check, customer notices and other dated steps of one order."""

    order = peewee.ForeignKeyField(RepairOrder, backref="events", on_delete="CASCADE")
    kind = peewee.CharField()  # wash_start | wash_end | delivery_check | notify | handover | ...
    at = peewee.DateTimeField(default=now_default)
    by = peewee.ForeignKeyField(Staff, null=True, on_delete="SET NULL", backref="+")
    data = peewee.TextField(default="{}")  # JSON details

    class Meta:
        indexes = ((("order", "kind"), False),)


class Recommendation(BaseModel):
    """Recommended work (建议维修项目); declined ones come back at the next visit."""

    vehicle = peewee.ForeignKeyField(Vehicle, backref="recommendations", on_delete="CASCADE")
    order = peewee.ForeignKeyField(RepairOrder, backref="recommendations", on_delete="CASCADE")
    description = peewee.CharField()
    safety = peewee.BooleanField(default=False)
    state = peewee.CharField(default="open")  # open | accepted | declined | done
    declined_at = peewee.DateTimeField(null=True)
    signature = peewee.ForeignKeyField(Signature, null=True, on_delete="SET NULL")
    signed_on_paper = peewee.BooleanField(default=False)
    raised_again_in = peewee.ForeignKeyField(
        RepairOrder, null=True, on_delete="SET NULL", backref="raised_recommendations"
    )
    # the additional work (or supplementary assessment) whose declined lines this records, so
    # the record follows when the customer pays a line the insurer declined after all
    request = peewee.ForeignKeyField(
        AdditionalWorkRequest, null=True, on_delete="SET NULL", backref="declined_records"
    )
    created_at = peewee.DateTimeField(default=now_default)
