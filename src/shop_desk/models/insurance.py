"""Insurance repairs (机动车保险, 事故车): insurers, the claim on a repair order with its photos
and loss assessment (定损), and what the insurer owes the shop and pays.

A supplementary assessment (追加定损) is an :class:`AdditionalWorkRequest` whose decision is
the insurer's (``decided_by == "insurer"``): it waits under the same rule as additional work
the customer authorises; the insurer's figure per approved line is a :class:`AssessedLine`.
"""

from __future__ import annotations

import peewee

from shop_desk.models.base import BaseModel, now_default
from shop_desk.models.checkout import Settlement
from shop_desk.models.fields import MoneyField
from shop_desk.models.orders import AdditionalWorkRequest, JobLine, RepairOrder
from shop_desk.models.staff import Staff

#: Who caused the accident, as far as is known (事故责任).
FAULT_PARTIES = ("unknown", "own", "other", "shared")


class Insurer(BaseModel):
    """An insurance company (保险公司) of the admin catalogue."""

    name = peewee.CharField(unique=True)
    contact = peewee.CharField(default="")  # person and phone at the insurer
    active = peewee.BooleanField(default=True)


class InsuranceClaim(BaseModel):
    """The claim an accident repair is paid through; one per repair order."""

    order = peewee.ForeignKeyField(
        RepairOrder, unique=True, backref="insurance_claims", on_delete="CASCADE"
    )
    insurer = peewee.ForeignKeyField(Insurer, backref="claims", on_delete="RESTRICT")
    policy_no = peewee.CharField(default="")
    claim_report_no = peewee.CharField(default="", index=True)  # 报案号
    accident_date = peewee.DateField(null=True)
    fault_party = peewee.CharField(default="unknown")
    excess = MoneyField()  # 免赔额: the customer's part of an insured loss
    betterment = MoneyField()  # new for old (折旧): the customer's part as well
    # loss assessment (定损): per line (AssessedLine) or one total for the original lines
    assessor_name = peewee.CharField(default="")
    assessed_on = peewee.DateField(null=True)
    assessed_total = MoneyField(null=True, default=None)
    # the insurer confirmed what it pays (the car may leave once the customer paid theirs)
    confirmed_amount = MoneyField(null=True, default=None)
    confirmed_at = peewee.DateTimeField(null=True)
    confirmed_by = peewee.ForeignKeyField(Staff, null=True, on_delete="SET NULL", backref="+")
    version = peewee.IntegerField(default=1)
    created_at = peewee.DateTimeField(default=now_default)


class ClaimPhoto(BaseModel):
    claim = peewee.ForeignKeyField(InsuranceClaim, backref="photos", on_delete="CASCADE")
    filename = peewee.CharField()
    image = peewee.BlobField()
    caption = peewee.CharField(default="")
    added_at = peewee.DateTimeField(default=now_default)


class AssessedLine(BaseModel):
    """The assessor's figure for one insured job line (定损金额)."""

    claim = peewee.ForeignKeyField(InsuranceClaim, backref="assessed_lines", on_delete="CASCADE")
    line = peewee.ForeignKeyField(JobLine, unique=True, backref="+", on_delete="CASCADE")
    amount = MoneyField()
    request = peewee.ForeignKeyField(
        AdditionalWorkRequest, null=True, backref="+", on_delete="SET NULL"
    )  # set for a line of a supplementary assessment


class InsurerReceivable(BaseModel):
    """What an insurer owes for one settled order (on the insurer's statement)."""

    insurer = peewee.ForeignKeyField(Insurer, backref="receivables", on_delete="RESTRICT")
    order = peewee.ForeignKeyField(RepairOrder, backref="+", on_delete="RESTRICT")
    settlement = peewee.ForeignKeyField(Settlement, backref="+", on_delete="RESTRICT")
    amount = MoneyField()
    opened_on = peewee.DateField(index=True)
    void = peewee.BooleanField(default=False)


class InsurerPayment(BaseModel):
    """Money received from an insurer (often for several orders, or part of one)."""

    insurer = peewee.ForeignKeyField(Insurer, backref="payments", on_delete="RESTRICT")
    amount = MoneyField()
    received_on = peewee.DateField(index=True)
    reference = peewee.CharField(default="")  # bank transfer no.
    by = peewee.ForeignKeyField(Staff, null=True, on_delete="SET NULL", backref="+")
    at = peewee.DateTimeField(default=now_default)


class InsurerAllocation(BaseModel):
    """The part of an insurer payment that clears one receivable."""

    payment = peewee.ForeignKeyField(InsurerPayment, backref="allocations", on_delete="CASCADE")
    receivable = peewee.ForeignKeyField(
        InsurerReceivable, backref="allocations", on_delete="RESTRICT"
    )
    amount = MoneyField()
