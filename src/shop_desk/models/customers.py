"""Customers (people or companies) and their vehicles with odometer and owner history."""

from __future__ import annotations

from decimal import Decimal

import peewee

from shop_desk.models.base import BaseModel, now_default
from shop_desk.models.fields import MoneyField


class Customer(BaseModel):
    kind = peewee.CharField(default="person")  # person | company
    version = peewee.IntegerField(default=1)  # optimistic concurrency between stations
    name = peewee.CharField(index=True)
    company = peewee.CharField(default="")
    phone = peewee.CharField(index=True, default="")
    phone2 = peewee.CharField(default="")
    address = peewee.CharField(default="")
    preferred_contact_time = peewee.CharField(default="")  # e.g. "18:00-20:00"
    credit_limit = MoneyField(default=Decimal("0.00"))  # "on account" for companies
    notes = peewee.TextField(default="")
    created_at = peewee.DateTimeField(default=now_default)
    import_batch = peewee.IntegerField(null=True, index=True)  # ImportBatch id when imported

    def __str__(self) -> str:
        return self.name


class Vehicle(BaseModel):
    vin = peewee.CharField(unique=True)
    version = peewee.IntegerField(default=1)  # optimistic concurrency between stations
    plate = peewee.CharField(index=True, default="")
    make = peewee.CharField(default="")
    model = peewee.CharField(default="")
    year = peewee.IntegerField(null=True)
    colour = peewee.CharField(default="")
    sale_date = peewee.DateField(null=True)
    warranty_start = peewee.DateField(null=True)
    household = peewee.BooleanField(default=True)  # household car: 三包 rules apply
    owner = peewee.ForeignKeyField(Customer, backref="vehicles", null=True, on_delete="SET NULL")
    last_odometer_km = peewee.IntegerField(default=0)
    notes = peewee.TextField(default="")
    created_at = peewee.DateTimeField(default=now_default)
    import_batch = peewee.IntegerField(null=True, index=True)  # ImportBatch id when imported

    def __str__(self) -> str:
        return self.plate or self.vin


class OdometerReading(BaseModel):
    vehicle = peewee.ForeignKeyField(Vehicle, backref="odometer_readings", on_delete="CASCADE")
    km = peewee.IntegerField()
    read_at = peewee.DateTimeField(default=now_default)
    source = peewee.CharField(default="check_in")
    order_id = peewee.IntegerField(null=True)
    lower_reason = peewee.CharField(default="")  # set when lower than the last reading
    import_batch = peewee.IntegerField(null=True, index=True)  # ImportBatch id when imported


class VehicleOwnership(BaseModel):
    vehicle = peewee.ForeignKeyField(Vehicle, backref="ownerships", on_delete="CASCADE")
    customer = peewee.ForeignKeyField(Customer, backref="ownerships", on_delete="CASCADE")
    since = peewee.DateField()
    until = peewee.DateField(null=True)
