"""Labour operations and parts catalogues, with stock and reservations."""

from __future__ import annotations

from decimal import Decimal

import peewee

from shop_desk.models.base import BaseModel
from shop_desk.models.fields import FixedDecimalField, MoneyField

#: Item categories the warranty engine knows.
CATEGORIES = ("general", "wear", "accessory", "maintenance", "body")


class LabourOperation(BaseModel):
    code = peewee.CharField(unique=True)
    name = peewee.CharField(index=True)
    standard_hours = FixedDecimalField(2, default=Decimal("1.00"))
    skill = peewee.CharField(default="mechanical")  # team skill needed
    category = peewee.CharField(default="general")
    active = peewee.BooleanField(default=True)


class Part(BaseModel):
    part_no = peewee.CharField(unique=True)
    name = peewee.CharField(index=True)
    unit = peewee.CharField(default="pc")
    unit_price = MoneyField()
    stock_qty = FixedDecimalField(2, default=Decimal("0"))
    reserved_qty = FixedDecimalField(2, default=Decimal("0"))
    bin_location = peewee.CharField(default="")
    #: below this much free stock the part is ordered again (0: not kept in stock)
    reorder_level = FixedDecimalField(2, default=Decimal("0"))
    category = peewee.CharField(default="general")
    active = peewee.BooleanField(default=True)

    @property
    def available_qty(self) -> Decimal:
        return self.stock_qty - self.reserved_qty
