"""The accessory counter (配件零售): sales over the counter without a repair order, their
payments, the shop's warranty exclusions per category and the cases of products brought back
(exchange, refund or a faulty product sent in), after the rulebook's 篇五."""

from __future__ import annotations

from decimal import Decimal

import peewee

from shop_desk.models.aftercare import Approval
from shop_desk.models.base import BaseModel, now_default
from shop_desk.models.catalogue import Part
from shop_desk.models.fields import FixedDecimalField, MoneyField
from shop_desk.models.staff import Staff


class CounterSale(BaseModel):
    """One sale at the counter; its number is the receipt number (收据号). The total is the
    sum of the lines as sold (gifts at nothing), frozen like a settlement."""

    number = peewee.CharField(unique=True)
    sold_at = peewee.DateTimeField(default=now_default, index=True)
    sold_by = peewee.ForeignKeyField(Staff, null=True, on_delete="SET NULL", backref="+")
    customer_name = peewee.CharField(default="")
    customer_phone = peewee.CharField(default="", index=True)
    total = MoneyField()
    prints = peewee.IntegerField(default=0)  # receipts printed: the next one is a copy


class CounterSaleLine(BaseModel):
    """A part sold, with the category and warranty it was sold under."""

    sale = peewee.ForeignKeyField(CounterSale, backref="lines", on_delete="CASCADE")
    part = peewee.ForeignKeyField(Part, on_delete="RESTRICT", backref="+")
    description = peewee.CharField()
    category = peewee.CharField()
    quantity = FixedDecimalField(2, default=Decimal("0"))
    unit_price = MoneyField()
    amount = MoneyField()  # quantity × price; nothing for a gift
    gift = peewee.BooleanField(default=False)  # 赠品: not exchanged, not under warranty
    warranty_days = peewee.IntegerField(default=0)
    returned_qty = FixedDecimalField(2, default=Decimal("0"))  # taken back (refunded/replaced)


class CounterPayment(BaseModel):
    """Money for a counter sale; negative for a refund of a returned product."""

    sale = peewee.ForeignKeyField(CounterSale, backref="payments", on_delete="RESTRICT")
    method = peewee.CharField()
    amount = MoneyField()
    tendered = MoneyField(null=True, default=None)
    change_given = MoneyField()
    reference = peewee.CharField(default="")
    at = peewee.DateTimeField(default=now_default, index=True)
    by = peewee.ForeignKeyField(Staff, null=True, on_delete="SET NULL", backref="+")


class CounterExclusion(BaseModel):
    """A part of a product the shop's warranty does not cover, per category (the rulebook
    excludes aerial, housing and display panel for its devices). Removed rows are kept."""

    category = peewee.CharField(index=True)
    item = peewee.CharField()
    active = peewee.BooleanField(default=True)
    added_at = peewee.DateTimeField(default=now_default)
    added_by = peewee.ForeignKeyField(Staff, null=True, on_delete="SET NULL", backref="+")
    removed_at = peewee.DateTimeField(null=True)
    removed_by = peewee.ForeignKeyField(Staff, null=True, on_delete="SET NULL", backref="+")


class CounterCase(BaseModel):
    """A product brought or sent back: received, assessed on the shop's test report (检测报告),
    then replaced, refunded or sent back. The state moves by :mod:`shop_desk.counter_states`."""

    number = peewee.CharField(unique=True)
    line = peewee.ForeignKeyField(CounterSaleLine, backref="cases", on_delete="RESTRICT")
    quantity = FixedDecimalField(2, default=Decimal("1"))
    request = peewee.CharField(default="exchange")  # exchange | refund
    state = peewee.CharField(default="received", index=True)
    fault = peewee.TextField(default="")  # the customer's words
    received_at = peewee.DateTimeField(default=now_default, index=True)
    received_by = peewee.ForeignKeyField(Staff, null=True, on_delete="SET NULL", backref="+")
    due_at = peewee.DateTimeField()  # a replacement goes out by then (received + 3 days)
    # the test report (检测报告)
    report_no = peewee.CharField(default="")
    tested_at = peewee.DateTimeField(null=True)
    tested_by = peewee.ForeignKeyField(Staff, null=True, on_delete="SET NULL", backref="+")
    findings = peewee.TextField(default="")
    component = peewee.CharField(default="")  # the faulty part of the product
    quality_fault = peewee.BooleanField(null=True)
    exterior_damage = peewee.BooleanField(default=False)
    parts_missing = peewee.BooleanField(default=False)
    covered_by = peewee.CharField(default="")  # exchange | warranty | '' (not covered)
    decision = peewee.TextField(default="")  # why, in words
    approval = peewee.ForeignKeyField(Approval, null=True, on_delete="SET NULL", backref="+")
    closed_at = peewee.DateTimeField(null=True)
    closed_by = peewee.ForeignKeyField(Staff, null=True, on_delete="SET NULL", backref="+")
    customer_pays = peewee.BooleanField(default=False)  # rule 11: no approval, the customer's
    note = peewee.TextField(default="")
