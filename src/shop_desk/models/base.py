"""The one base model every table derives from, and the database proxy it is bound to."""

from __future__ import annotations

import peewee

from shop_desk import clock

#: The database every model uses: :func:`shop_desk.db.open_database` points it at a file or
#: server (and :mod:`shop_desk.db` offers it as ``shop_desk.db.database`` too).
database = peewee.DatabaseProxy()


class BaseModel(peewee.Model):
    class Meta:
        database = database
        legacy_table_names = False


def now_default():
    return clock.now()
