"""The one base model every table derives from."""

from __future__ import annotations

import peewee

from shop_desk import clock
from shop_desk.db import database


class BaseModel(peewee.Model):
    class Meta:
        database = database
        legacy_table_names = False


def now_default():
    return clock.now()
