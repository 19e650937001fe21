"""One source of "now" so tests and the demo builder can pin time."""

from __future__ import annotations

import contextlib
import datetime as dt
from calendar import monthrange
from collections.abc import Iterator

_fixed: dt.datetime | None = None


def now() -> dt.datetime:
    """Current local time, naive, to the second (what staff see on screens and forms)."""
    if _fixed is not None:
        return _fixed
    return dt.datetime.now().replace(microsecond=0)


def today() -> dt.date:
    return now().date()


def set_now(value: dt.datetime | None) -> None:
    """Pin the clock (None releases it)."""
    global _fixed
    _fixed = value.replace(microsecond=0) if value is not None else None


@contextlib.contextmanager
def frozen(value: dt.datetime) -> Iterator[None]:
    """Run a block with the clock pinned to ``value``."""
    previous = _fixed
    set_now(value)
    try:
        yield
    finally:
        set_now(previous)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (or earlier), the month's last day when it has fewer days:
    dateutil's relativedelta rule, the reminders' and the archive's, done here in plain
    arithmetic: the reminders add months to every car of the shop."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return day.replace(year=year, month=month, day=min(day.day, monthrange(year, month)[1]))
