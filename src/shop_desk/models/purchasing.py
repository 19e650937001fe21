"""Parts in and out beyond the issue slip: parts returned to stock (退料单), suppliers, supplier
orders (采购单) with their receipts, and quality claims against suppliers for bought-in parts
(外协件/配套件, the rulebook's 篇四 rule 8)."""

from __future__ import annotations

from decimal import Decimal

import peewee

from shop_desk.models.base import BaseModel, now_default
from shop_desk.models.catalogue import Part
from shop_desk.models.fields import FixedDecimalField, MoneyField
from shop_desk.models.orders import JobLine, RepairOrder
from shop_desk.models.records import Signature
from shop_desk.models.staff import Staff


class PartsReturnSlip(BaseModel):
    """Parts drawn for a repair order and not used, back on the shelf (退料单). The technician
    who hands them back signs it; the parts clerk who takes them is named on it."""

    order = peewee.ForeignKeyField(RepairOrder, backref="return_slips", on_delete="CASCADE")
    number = peewee.CharField(unique=True)
    received_by = peewee.ForeignKeyField(Staff, null=True, on_delete="SET NULL", backref="+")
    technician = peewee.ForeignKeyField(Staff, null=True, on_delete="SET NULL", backref="+")
    returned_at = peewee.DateTimeField(default=now_default)
    reason = peewee.CharField(default="")
    signature = peewee.ForeignKeyField(Signature, null=True, on_delete="SET NULL")
    signed_at = peewee.DateTimeField(null=True)


class PartsReturnLine(BaseModel):
    slip = peewee.ForeignKeyField(PartsReturnSlip, backref="lines", on_delete="CASCADE")
    line = peewee.ForeignKeyField(JobLine, backref="returns", on_delete="CASCADE")
    part = peewee.ForeignKeyField(Part, on_delete="RESTRICT")
    quantity = FixedDecimalField(2)


class Supplier(BaseModel):
    name = peewee.CharField(unique=True)
    contact = peewee.CharField(default="")  # the person to call
    phone = peewee.CharField(default="")
    active = peewee.BooleanField(default=True)
    created_at = peewee.DateTimeField(default=now_default)


class SupplierOrder(BaseModel):
    """A supplier order (采购单): draft → sent → part_received → received (or cancelled)."""

    number = peewee.CharField(unique=True)
    supplier = peewee.ForeignKeyField(Supplier, backref="orders", on_delete="RESTRICT")
    state = peewee.CharField(default="draft", index=True)
    source = peewee.CharField(default="reorder")  # shortage (a repair order waits) | reorder
    repair_order = peewee.ForeignKeyField(
        RepairOrder, null=True, backref="supplier_orders", on_delete="SET NULL"
    )
    note = peewee.CharField(default="")
    raised_by = peewee.ForeignKeyField(Staff, null=True, on_delete="SET NULL", backref="+")
    raised_at = peewee.DateTimeField(default=now_default)
    sent_at = peewee.DateTimeField(null=True)
    received_at = peewee.DateTimeField(null=True)  # the last receipt
    cancelled_at = peewee.DateTimeField(null=True)


class SupplierOrderLine(BaseModel):
    supplier_order = peewee.ForeignKeyField(SupplierOrder, backref="lines", on_delete="CASCADE")
    part = peewee.ForeignKeyField(Part, on_delete="RESTRICT")
    quantity = FixedDecimalField(2)
    received_qty = FixedDecimalField(2, default=Decimal("0"))
    job_line = peewee.ForeignKeyField(JobLine, null=True, on_delete="SET NULL", backref="+")


class SupplierClaim(BaseModel):
    """A quality claim against a supplier for a bought-in part: open → sent → accepted →
    credited / replaced, or refused (see services/supplier_claims.py)."""

    number = peewee.CharField(unique=True)
    supplier = peewee.ForeignKeyField(Supplier, backref="claims", on_delete="RESTRICT")
    part = peewee.ForeignKeyField(Part, on_delete="RESTRICT")
    quantity = FixedDecimalField(2, default=Decimal("1"))
    job_line = peewee.ForeignKeyField(JobLine, null=True, on_delete="SET NULL", backref="+")
    repair_order = peewee.ForeignKeyField(
        RepairOrder, null=True, backref="supplier_claims", on_delete="SET NULL"
    )
    fault = peewee.TextField()
    state = peewee.CharField(default="open", index=True)
    opened_by = peewee.ForeignKeyField(Staff, null=True, on_delete="SET NULL", backref="+")
    opened_at = peewee.DateTimeField(default=now_default)
    sent_at = peewee.DateTimeField(null=True)
    accepted_at = peewee.DateTimeField(null=True)
    closed_at = peewee.DateTimeField(null=True)  # credited, replaced or refused
    answer_note = peewee.CharField(default="")
    credit = MoneyField(null=True, default=None)
