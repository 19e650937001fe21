"""Field service (外出服务): jobs that send people out, the dispatch record, the parts taken
out, the service report with the satisfaction survey, the penalty register, the expense
claims with their receipts, and the key customers' visit list."""

from __future__ import annotations

from decimal import Decimal

import peewee

from shop_desk.models.aftercare import CallLog, Complaint
from shop_desk.models.base import BaseModel, now_default
from shop_desk.models.catalogue import Part
from shop_desk.models.customers import Customer, Vehicle
from shop_desk.models.fields import FixedDecimalField, MoneyField
from shop_desk.models.orders import RepairOrder
from shop_desk.models.records import Signature
from shop_desk.models.staff import Staff


class FieldJob(BaseModel):
    """One call that needs work outside the workshop, from registration to its closing.

    The state moves by :mod:`shop_desk.field_states`; the dispatch record (派遣记录) is the
    dispatch, departure, arrival, call and return columns."""

    number = peewee.CharField(unique=True)
    kind = peewee.CharField(default="breakdown")  # breakdown | fleet_visit | mobile_service
    state = peewee.CharField(default="registered", index=True)
    call = peewee.ForeignKeyField(CallLog, null=True, backref="field_jobs", on_delete="SET NULL")
    customer = peewee.ForeignKeyField(Customer, backref="field_jobs", on_delete="RESTRICT")
    vehicle = peewee.ForeignKeyField(Vehicle, null=True, backref="field_jobs", on_delete="SET NULL")
    place = peewee.CharField()  # where to go (the destination expense tickets must match)
    description = peewee.TextField()
    within_warranty = peewee.BooleanField(default=False)
    registered_at = peewee.DateTimeField(default=now_default, index=True)
    registered_by = peewee.ForeignKeyField(Staff, null=True, on_delete="SET NULL", backref="+")
    dispatch_due_at = peewee.DateTimeField()  # registered + 24 h
    required_arrival_at = peewee.DateTimeField()  # the time the customer set
    promised_arrival_at = peewee.DateTimeField(null=True)
    # the dispatch (派遣)
    dispatched_at = peewee.DateTimeField(null=True)
    dispatched_by = peewee.ForeignKeyField(Staff, null=True, on_delete="SET NULL", backref="+")
    service_vehicle = peewee.CharField(default="")
    tools = peewee.TextField(default="")
    # outside warranty: the quote the customer agrees to before work starts
    quote_parts = MoneyField(null=True, default=None)
    quote_labour = MoneyField(null=True, default=None)
    quote_travel = MoneyField(null=True, default=None)
    quoted_at = peewee.DateTimeField(null=True)
    agreed_at = peewee.DateTimeField(null=True)
    agreed_by_customer = peewee.CharField(default="")
    agreement_method = peewee.CharField(default="")  # in_person | phone | signature
    agreement_signature = peewee.ForeignKeyField(
        Signature, null=True, on_delete="SET NULL", backref="+"
    )
    # on the road
    departed_at = peewee.DateTimeField(null=True)
    arrived_at = peewee.DateTimeField(null=True)
    arrived_late = peewee.BooleanField(default=False)
    late_reason = peewee.TextField(default="")
    late_personal = peewee.BooleanField(default=False)
    work_started_at = peewee.DateTimeField(null=True)
    work_done = peewee.TextField(default="")
    work_done_at = peewee.DateTimeField(null=True)
    towed = peewee.BooleanField(default=False)  # not fixable on site: towed to the workshop
    called_centre_at = peewee.DateTimeField(null=True)
    left_site_at = peewee.DateTimeField(null=True)
    left_without_call = peewee.BooleanField(default=False)
    returned_at = peewee.DateTimeField(null=True)
    order = peewee.ForeignKeyField(
        RepairOrder, null=True, backref="field_jobs", on_delete="SET NULL"
    )  # the repair order a towed car became
    closed_at = peewee.DateTimeField(null=True)
    closed_by = peewee.ForeignKeyField(Staff, null=True, on_delete="SET NULL", backref="+")
    cancel_reason = peewee.TextField(default="")
    version = peewee.IntegerField(default=1)


class FieldJobStaff(BaseModel):
    """Who goes out on a job (one or more)."""

    job = peewee.ForeignKeyField(FieldJob, backref="crew", on_delete="CASCADE")
    staff = peewee.ForeignKeyField(Staff, backref="field_jobs", on_delete="RESTRICT")

    class Meta:
        indexes = ((("job", "staff"), True),)


class FieldPart(BaseModel):
    """A part taken out for a job; what comes back unused returns to stock (退料)."""

    job = peewee.ForeignKeyField(FieldJob, backref="parts", on_delete="CASCADE")
    part = peewee.ForeignKeyField(Part, on_delete="RESTRICT")
    quantity_out = FixedDecimalField(2, default=Decimal("0"))
    quantity_returned = FixedDecimalField(2, default=Decimal("0"))
    issued_at = peewee.DateTimeField(default=now_default)
    issued_by = peewee.ForeignKeyField(Staff, null=True, on_delete="SET NULL", backref="+")

    @property
    def quantity_used(self) -> Decimal:
        return self.quantity_out - self.quantity_returned


class ServiceReport(BaseModel):
    """The service report (售后服务报告单) and the customer's satisfaction survey (满意度调查表)."""

    job = peewee.ForeignKeyField(FieldJob, backref="reports", unique=True, on_delete="CASCADE")
    fault_cause = peewee.TextField(default="")
    solution = peewee.TextField(default="")
    parts_replaced = peewee.TextField(default="")
    customer_opinion = peewee.TextField(default="")
    written_by = peewee.ForeignKeyField(Staff, null=True, on_delete="SET NULL", backref="+")
    written_at = peewee.DateTimeField(null=True)
    complete = peewee.BooleanField(default=False)
    satisfaction = peewee.IntegerField(null=True)  # 1..5
    survey_comments = peewee.TextField(default="")
    survey_signer = peewee.CharField(default="")
    survey_signature = peewee.ForeignKeyField(
        Signature, null=True, on_delete="SET NULL", backref="+"
    )
    survey_on_paper = peewee.BooleanField(default=False)
    survey_at = peewee.DateTimeField(null=True)


class Penalty(BaseModel):
    """One entry of the penalty register (罚款 / 记大过): a person, the kind, the case it came
    from (a field job or a verified complaint) and the amount the shop's settings set."""

    staff = peewee.ForeignKeyField(Staff, backref="penalties", on_delete="RESTRICT")
    # late_arrival | no_call | incomplete_report | not_following_dispatch | major_demerit |
    # false_receipt
    kind = peewee.CharField(index=True)
    job = peewee.ForeignKeyField(FieldJob, null=True, backref="penalties", on_delete="SET NULL")
    complaint = peewee.ForeignKeyField(
        Complaint, null=True, backref="penalties", on_delete="SET NULL"
    )
    amount = MoneyField()
    reason = peewee.TextField(default="")
    at = peewee.DateTimeField(default=now_default, index=True)
    by = peewee.ForeignKeyField(Staff, null=True, on_delete="SET NULL", backref="+")


class ExpenseClaim(BaseModel):
    """An expense claim (报销单) for one field job: submitted by a member of the crew with
    receipts, approved by the supervisor, paid by the cashier (finance)."""

    number = peewee.CharField(unique=True)
    job = peewee.ForeignKeyField(FieldJob, backref="expense_claims", on_delete="RESTRICT")
    claimant = peewee.ForeignKeyField(Staff, on_delete="RESTRICT", backref="+")
    state = peewee.CharField(default="submitted", index=True)  # submitted|approved|rejected|paid
    submitted_at = peewee.DateTimeField(default=now_default)
    total = MoneyField()  # what was claimed
    approved_total = MoneyField(null=True, default=None)  # what is reimbursed
    decided_by = peewee.ForeignKeyField(Staff, null=True, on_delete="SET NULL", backref="+")
    decided_at = peewee.DateTimeField(null=True)
    decision_reason = peewee.TextField(default="")
    paid_by = peewee.ForeignKeyField(Staff, null=True, on_delete="SET NULL", backref="+")
    paid_at = peewee.DateTimeField(null=True)


class ExpenseItem(BaseModel):
    """One receipt: a travel ticket (its place must match the job's destination), lodging,
    fuel, a tool bought on the road (reimbursed only once returned to the warehouse)."""

    claim = peewee.ForeignKeyField(ExpenseClaim, backref="items", on_delete="CASCADE")
    kind = peewee.CharField()  # ticket | lodging | fuel | tool | other
    description = peewee.CharField(default="")
    place = peewee.CharField(default="")
    amount = MoneyField()
    receipt = peewee.BlobField()  # the photo of the receipt
    tool_returned_at = peewee.DateTimeField(null=True)
    tool_received_by = peewee.ForeignKeyField(Staff, null=True, on_delete="SET NULL", backref="+")


class KeyCustomer(BaseModel):
    """A key customer on the visit list (重点客户走访) and how often they are visited."""

    customer = peewee.ForeignKeyField(
        Customer, unique=True, backref="key_customer", on_delete="CASCADE"
    )
    interval_days = peewee.IntegerField(default=90)
    next_visit_on = peewee.DateField(index=True)
    note = peewee.TextField(default="")
    active = peewee.BooleanField(default=True)
    added_at = peewee.DateTimeField(default=now_default)
    added_by = peewee.ForeignKeyField(Staff, null=True, on_delete="SET NULL", backref="+")


class KeyCustomerVisit(BaseModel):
    """One visit: how the cars are used and the customer's opinions on design, assembly and
    workmanship (§4: 了解产品的使用情况,征求用户对产品在设计,装配,工艺等方面的意见)."""

    key_customer = peewee.ForeignKeyField(KeyCustomer, backref="visits", on_delete="CASCADE")
    visited_on = peewee.DateField(index=True)
    visited_by = peewee.ForeignKeyField(Staff, on_delete="RESTRICT", backref="+")
    usage = peewee.TextField(default="")
    opinions = peewee.TextField(default="")
    recorded_at = peewee.DateTimeField(default=now_default)
