"""Imports from a shop's old system: one batch per import (undoable as a whole) and the
column mapping the user corrected, kept per source so the next file of it is read alike."""

from __future__ import annotations

import peewee

from shop_desk.models.base import BaseModel, now_default
from shop_desk.models.staff import Staff


class ImportBatch(BaseModel):
    kind = peewee.CharField()  # customers | vehicles | history
    source = peewee.CharField(default="")  # the old system's name, or the file's
    file_name = peewee.CharField(default="")
    at = peewee.DateTimeField(default=now_default, index=True)
    staff = peewee.ForeignKeyField(Staff, null=True, on_delete="SET NULL", backref="+")
    staff_name = peewee.CharField(default="")
    state = peewee.CharField(default="applied")  # applied | undone
    counts = peewee.TextField(default="{}")  # JSON: created/merged/refused per kind
    # JSON: vehicle id -> last odometer before the batch raised it (the undo puts it back)
    odometers_before = peewee.TextField(default="{}")
    undone_at = peewee.DateTimeField(null=True)
    undone_by = peewee.CharField(default="")


class ImportMapping(BaseModel):
    source = peewee.CharField()
    kind = peewee.CharField()
    mapping = peewee.TextField(default="{}")  # JSON: file column -> field
    updated_at = peewee.DateTimeField(default=now_default)

    class Meta:
        indexes = ((("source", "kind"), True),)
