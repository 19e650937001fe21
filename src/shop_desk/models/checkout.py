"""Settlements, payments and gate passes."""

from __future__ import annotations

import peewee

from shop_desk.models.base import BaseModel, now_default
from shop_desk.models.fields import MoneyField
from shop_desk.models.orders import RepairOrder
from shop_desk.models.staff import Staff

PAYMENT_METHODS = ("cash", "card", "wechat", "alipay", "transfer", "on_account")


class Settlement(BaseModel):
    """A frozen snapshot of what the customer pays; voided (never deleted) for corrections."""

    order = peewee.ForeignKeyField(RepairOrder, backref="settlements", on_delete="RESTRICT")
    number = peewee.CharField(unique=True)
    state = peewee.CharField(default="active")  # active | void
    settled_at = peewee.DateTimeField(default=now_default)
    settled_by = peewee.ForeignKeyField(Staff, null=True, on_delete="SET NULL", backref="+")
    customer_total = MoneyField()  # after discounts, tax-inclusive
    discount_total = MoneyField()
    tax_total = MoneyField()
    warranty_total = MoneyField()
    internal_total = MoneyField()
    goodwill_total = MoneyField()
    insurance_total = MoneyField()  # the insurer's part (a receivable from the insurer)
    paid_total = MoneyField()  # net of refunds, also of those given after settling
    credit_total = MoneyField()  # remainder on approved credit (on account)
    refunded_total = MoneyField()  # approved refunds given back after settling (退款)
    snapshot = peewee.TextField(default="{}")  # JSON of the lines as settled
    voided_at = peewee.DateTimeField(null=True, index=True)  # the reports' voids of a period
    void_reason = peewee.TextField(default="")
    void_approval_id = peewee.IntegerField(null=True)

    class Meta:
        # the reports: the insurers' part of the settlements of a period
        indexes = ((("state", "settled_at"), False),)


class Payment(BaseModel):
    order = peewee.ForeignKeyField(RepairOrder, backref="payments", on_delete="RESTRICT")
    method = peewee.CharField()
    amount = MoneyField()  # negative for a refund
    tendered = MoneyField(null=True, default=None)  # cash handed over
    change_given = MoneyField()
    receipt_no = peewee.CharField(unique=True)
    reference = peewee.CharField(default="")  # card slip / transaction no.
    at = peewee.DateTimeField(default=now_default, index=True)  # the reports' refunds
    by = peewee.ForeignKeyField(Staff, null=True, on_delete="SET NULL", backref="+")
    void = peewee.BooleanField(default=False)


class GatePass(BaseModel):
    order = peewee.ForeignKeyField(RepairOrder, backref="gate_passes", on_delete="RESTRICT")
    number = peewee.CharField(unique=True)
    code = peewee.CharField()
    issued_at = peewee.DateTimeField(default=now_default)
    issued_by = peewee.ForeignKeyField(Staff, null=True, on_delete="SET NULL", backref="+")
    used_at = peewee.DateTimeField(null=True)
    used_by = peewee.ForeignKeyField(Staff, null=True, on_delete="SET NULL", backref="+")
    void = peewee.BooleanField(default=False)
