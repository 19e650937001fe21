"""Follow-up calls, complaints, call log, warranty policies and manager approvals."""

from __future__ import annotations

import peewee

from shop_desk.models.base import BaseModel, now_default
from shop_desk.models.customers import Customer, Vehicle
from shop_desk.models.fields import MoneyField
from shop_desk.models.orders import RepairOrder
from shop_desk.models.staff import Staff


class FollowUp(BaseModel):
    order = peewee.ForeignKeyField(RepairOrder, backref="follow_ups", on_delete="CASCADE")
    customer = peewee.ForeignKeyField(Customer, backref="follow_ups", on_delete="CASCADE")
    due_at = peewee.DateTimeField(index=True)
    preferred_time = peewee.CharField(default="")
    state = peewee.CharField(default="open")  # open | done | unreachable
    attempts = peewee.IntegerField(default=0)
    reached = peewee.BooleanField(null=True)
    satisfaction = peewee.IntegerField(null=True)  # 1..5
    fault_gone = peewee.BooleanField(null=True)
    comments = peewee.TextField(default="")
    done_at = peewee.DateTimeField(null=True, index=True)  # the calls recorded today
    by = peewee.ForeignKeyField(Staff, null=True, on_delete="SET NULL", backref="+")

    class Meta:
        # the open calls due by a day (a few among every call ever made); the reports' calls
        # done in a period (state = done AND done_at in range)
        indexes = ((("state", "due_at"), False), (("state", "done_at"), False))


class Complaint(BaseModel):
    number = peewee.CharField(unique=True)
    channel = peewee.CharField()  # phone | letter | visit
    customer = peewee.ForeignKeyField(Customer, backref="complaints", on_delete="RESTRICT")
    vehicle = peewee.ForeignKeyField(Vehicle, null=True, backref="complaints", on_delete="SET NULL")
    order = peewee.ForeignKeyField(
        RepairOrder, null=True, backref="complaints", on_delete="SET NULL"
    )
    follow_up = peewee.ForeignKeyField(
        FollowUp, null=True, backref="complaints", on_delete="SET NULL"
    )
    cause = peewee.CharField(
        default="other"
    )  # rude | money | late | comeback | quality | price | other
    staff_concerned = peewee.ForeignKeyField(Staff, null=True, on_delete="SET NULL", backref="+")
    description = peewee.TextField()
    state = peewee.CharField(
        default="open"
    )  # open | investigating | measures | feedback | follow_up | closed
    opened_at = peewee.DateTimeField(default=now_default, index=True)
    opened_by = peewee.ForeignKeyField(Staff, null=True, on_delete="SET NULL", backref="+")
    steps = peewee.TextField(default="[]")  # JSON list of {step, text, at, by}
    closed_at = peewee.DateTimeField(null=True, index=True)  # the reports' complaints closed


class CallLog(BaseModel):
    received_at = peewee.DateTimeField(default=now_default, index=True)
    caller = peewee.CharField()
    phone = peewee.CharField(default="")
    customer = peewee.ForeignKeyField(Customer, null=True, backref="calls", on_delete="SET NULL")
    order = peewee.ForeignKeyField(RepairOrder, null=True, backref="calls", on_delete="SET NULL")
    subject = peewee.TextField()
    urgent = peewee.BooleanField(default=False)
    answer_due_at = peewee.DateTimeField(index=True)
    answered_at = peewee.DateTimeField(null=True)
    answer = peewee.TextField(default="")
    logged_by = peewee.ForeignKeyField(Staff, null=True, on_delete="SET NULL", backref="+")
    answered_by = peewee.ForeignKeyField(Staff, null=True, on_delete="SET NULL", backref="+")


class WarrantyPolicy(BaseModel):
    """Coverage for one item category: days and/or km from a start, or excluded."""

    name = peewee.CharField()
    category = peewee.CharField(index=True)  # general | accessory | shop_fitted | wear | ...
    basis = peewee.CharField(
        default="vehicle"
    )  # vehicle: from warranty start; fitted: from fitting
    days = peewee.IntegerField(null=True)
    km = peewee.IntegerField(null=True)
    excluded = peewee.BooleanField(default=False)
    active = peewee.BooleanField(default=True)


class WarrantyOverride(BaseModel):
    """A vehicle's own terms (extended warranty card, goodwill extension, exclusion)."""

    vehicle = peewee.ForeignKeyField(Vehicle, backref="warranty_overrides", on_delete="CASCADE")
    category = peewee.CharField()
    until_date = peewee.DateField(null=True)
    until_km = peewee.IntegerField(null=True)
    excluded = peewee.BooleanField(default=False)
    note = peewee.CharField(default="")


class Approval(BaseModel):
    """A manager approval: refund, void, return, discount over the limit, warranty write-off."""

    kind = peewee.CharField()  # refund | void | return | discount | write_off | credit
    order = peewee.ForeignKeyField(
        RepairOrder, null=True, backref="approvals", on_delete="SET NULL"
    )
    amount = MoneyField(null=True, default=None)
    reason = peewee.TextField()
    payload = peewee.TextField(default="{}")  # JSON: what to do when approved
    state = peewee.CharField(default="pending", index=True)  # pending | approved | rejected | used
    requested_by = peewee.ForeignKeyField(Staff, on_delete="RESTRICT", backref="+")
    requested_at = peewee.DateTimeField(default=now_default)
    decided_by = peewee.ForeignKeyField(Staff, null=True, on_delete="SET NULL", backref="+")
    decided_at = peewee.DateTimeField(null=True)
    decision_reason = peewee.TextField(default="")
