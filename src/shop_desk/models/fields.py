"""Exact decimal fields stored as scaled integers (portable, summable in SQL, no float)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import peewee

from shop_desk.money import to_decimal


class FixedDecimalField(peewee.BigIntegerField):
    """A Decimal with ``places`` decimals, stored as an integer of the smallest unit."""

    def __init__(self, places: int = 2, *args, **kwargs) -> None:
        self.places = places
        self._scale = Decimal(10) ** places
        self._quant = Decimal(1).scaleb(-places)
        super().__init__(*args, **kwargs)

    def db_value(self, value):
        if value is None:
            return None
        if isinstance(value, peewee.Node):
            return value
        d = to_decimal(value).quantize(self._quant, rounding=ROUND_HALF_UP)
        return int(d * self._scale)

    def python_value(self, value):
        if value is None:
            return None
        return (Decimal(int(value)) / self._scale).quantize(self._quant)


class MoneyField(FixedDecimalField):
    """Yuan to the fen."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("default", Decimal("0.00"))
        super().__init__(2, *args, **kwargs)
