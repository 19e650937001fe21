"""Shop settings, staff with roles and PIN hashes, teams with members and skills."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import peewee

from shop_desk.models.base import BaseModel, now_default
from shop_desk.models.fields import FixedDecimalField, MoneyField


class ShopSettings(BaseModel):
    """One row: the shop's own data and the rules it runs by."""

    name = peewee.CharField(default="")
    address = peewee.CharField(default="")
    phone = peewee.CharField(default="")
    logo = peewee.BlobField(null=True)
    tax_rate = FixedDecimalField(4, default=Decimal("0.13"))
    labour_rate = MoneyField(default=Decimal("180.00"))
    service_interval_km = peewee.IntegerField(default=5000)
    service_interval_months = peewee.IntegerField(default=6)
    comeback_window_days = peewee.IntegerField(default=30)
    discount_limit_percent = FixedDecimalField(2, default=Decimal("10.00"))
    follow_up_days = peewee.IntegerField(default=3)
    follow_up_retries = peewee.IntegerField(default=3)
    workday_start = peewee.CharField(default="08:30")
    workday_end = peewee.CharField(default="18:00")
    peak_hours = peewee.CharField(default="11:30-13:30,17:00-18:00")
    idle_lock_minutes = peewee.IntegerField(default=10)
    bays = peewee.IntegerField(default=8)
    sanbao_days = peewee.IntegerField(default=730)
    sanbao_km = peewee.IntegerField(default=50000)
    # the penalty register's amounts per case (罚款; the rulebook leaves them to the shop)
    penalty_late_arrival = MoneyField(default=Decimal("100.00"))
    penalty_no_call = MoneyField(default=Decimal("50.00"))
    penalty_incomplete_report = MoneyField(default=Decimal("50.00"))
    penalty_not_following_dispatch = MoneyField(default=Decimal("100.00"))
    penalty_major_demerit = MoneyField(default=Decimal("0.00"))
    penalty_false_receipt = MoneyField(default=Decimal("0.00"))
    # the accessory counter (篇五): warranty of products and of accessories sold over the
    # counter, the exchange window and the days a replacement may take
    counter_product_warranty_days = peewee.IntegerField(default=365)
    counter_accessory_warranty_days = peewee.IntegerField(default=90)
    counter_exchange_days = peewee.IntegerField(default=15)
    counter_replacement_days = peewee.IntegerField(default=3)
    extra = peewee.TextField(default="{}")  # JSON of further settings


class Staff(BaseModel):
    name = peewee.CharField()
    login = peewee.CharField(unique=True)
    pin_hash = peewee.CharField()
    phone = peewee.CharField(default="")
    active = peewee.BooleanField(default=True)
    failed_attempts = peewee.IntegerField(default=0)
    locked_until = peewee.DateTimeField(null=True)
    created_at = peewee.DateTimeField(default=now_default)

    def role_set(self) -> set[str]:
        return {r.role for r in self.roles}

    def __str__(self) -> str:
        return self.name


class StaffRole(BaseModel):
    staff = peewee.ForeignKeyField(Staff, backref="roles", on_delete="CASCADE")
    role = peewee.CharField()

    class Meta:
        indexes = ((("staff", "role"), True),)


class Team(BaseModel):
    name = peewee.CharField(unique=True)
    capacity_hours = FixedDecimalField(2, default=Decimal("16.00"))  # per working day
    active = peewee.BooleanField(default=True)


class TeamMember(BaseModel):
    team = peewee.ForeignKeyField(Team, backref="members", on_delete="CASCADE")
    staff = peewee.ForeignKeyField(Staff, backref="team_memberships", on_delete="CASCADE")
    is_leader = peewee.BooleanField(default=False)

    class Meta:
        indexes = ((("team", "staff"), True),)


class TeamSkill(BaseModel):
    team = peewee.ForeignKeyField(Team, backref="skills", on_delete="CASCADE")
    skill = peewee.CharField()

    class Meta:
        indexes = ((("team", "skill"), True),)


class StaffCertification(BaseModel):
    """A person's training or certificate for a skill (rulebook 篇一: staff are trained before
    they work). Dispatch reads it: a technician needs a valid one for every skill of the job.

    ``expires_on`` None means it does not expire. A withdrawn certification is kept for
    history (who withdrew it, when and why) and no longer counts."""

    staff = peewee.ForeignKeyField(Staff, backref="certifications", on_delete="CASCADE")
    skill = peewee.CharField()  # the skill codes of LabourOperation.skill / TeamSkill.skill
    certified_on = peewee.DateField()
    expires_on = peewee.DateField(null=True)
    issued_by = peewee.CharField(default="")  # training course or issuing body
    note = peewee.CharField(default="")  # certificate number or other note
    recorded_by = peewee.ForeignKeyField(Staff, null=True, backref="+", on_delete="SET NULL")
    recorded_at = peewee.DateTimeField(default=now_default)
    withdrawn_at = peewee.DateTimeField(null=True)
    withdrawn_by = peewee.ForeignKeyField(Staff, null=True, backref="+", on_delete="SET NULL")
    withdrawn_reason = peewee.CharField(default="")

    class Meta:
        indexes = ((("staff", "skill"), False),)

    def valid_on(self, day: dt.date) -> bool:
        """Whether it counts on ``day``: not withdrawn, begun, and not yet expired (the
        expiry day itself is still covered)."""
        return (
            self.withdrawn_at is None
            and self.certified_on <= day
            and (self.expires_on is None or day <= self.expires_on)
        )
