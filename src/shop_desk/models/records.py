"""Signatures (captured images) and the append-only audit log."""

from __future__ import annotations

import peewee

from shop_desk.models.base import BaseModel, now_default
from shop_desk.models.staff import Staff


class Signature(BaseModel):
    image = peewee.BlobField()  # PNG bytes
    signer = peewee.CharField()
    document = peewee.CharField()  # task_order, parts_issue, declined_recommendation, ...
    order_id = peewee.IntegerField(null=True, index=True)
    signed_at = peewee.DateTimeField(default=now_default)
    recorded_by = peewee.ForeignKeyField(Staff, null=True, on_delete="SET NULL")


class AuditLog(BaseModel):
    """Append-only: database triggers refuse UPDATE and DELETE (see migrations)."""

    at = peewee.DateTimeField(default=now_default, index=True)
    staff = peewee.ForeignKeyField(Staff, null=True, on_delete="SET NULL")
    staff_name = peewee.CharField(default="")
    action = peewee.CharField(index=True)
    entity = peewee.CharField(default="")
    entity_id = peewee.IntegerField(null=True)
    before = peewee.TextField(default="")  # JSON
    after = peewee.TextField(default="")  # JSON

    class Meta:
        indexes = ((("entity", "entity_id"), False),)
