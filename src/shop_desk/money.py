"""Money: Decimal everywhere, one rounding rule (half up to the fen, 0.01), totals derived.

Prices are tax-inclusive; the tax part is computed from the gross amount.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def to_decimal(value: object) -> Decimal:
    """Parse a number a user or a file gave (Decimal, int, str); floats go through str.

    Raises ValueError for anything that is not a finite number.
    """
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, bool):
        raise ValueError("not a number")
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, float):
        result = Decimal(repr(value))
    elif isinstance(value, str):
        text = value.strip().replace(",", "").replace("¥", "").replace("￥", "")
        try:
            result = Decimal(text)
        except InvalidOperation as exc:
            raise ValueError(f"not a number: {value!r}") from exc
    else:
        raise ValueError(f"not a number: {value!r}")
    if not result.is_finite():
        raise ValueError(f"not a finite number: {value!r}")
    return result


def money(value: object) -> Decimal:
    """The one rounding rule: half up to 0.01."""
    return to_decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def quantity(value: object) -> Decimal:
    """Hours and quantities are kept to two places as well."""
    return to_decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def total(values: Iterable[Decimal]) -> Decimal:
    return money(sum((money(v) for v in values), ZERO))


def line_amount(units: Decimal, unit_price: Decimal, discount: Decimal = ZERO) -> Decimal:
    """Gross amount of one line: units × price, rounded once, less its discount."""
    return money(money(to_decimal(units) * to_decimal(unit_price)) - money(discount))


def tax_part(gross: Decimal, rate: Decimal) -> Decimal:
    """The tax contained in a tax-inclusive amount: gross − gross / (1 + rate)."""
    gross = money(gross)
    rate = to_decimal(rate)
    if rate <= 0:
        return ZERO
    return money(gross - gross / (1 + rate))


def fmt(value: Decimal, symbol: str = "¥") -> str:
    """¥1,409.50 style for screens and forms."""
    amount = money(value)
    sign = "-" if amount < 0 else ""
    return f"{sign}{symbol}{abs(amount):,.2f}"


_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_SMALL_UNITS = ["", "拾", "佰", "仟"]
_BIG_UNITS = ["", "万", "亿", "万亿"]


def _four_digits(group: int) -> str:
    """Up to four digits with 拾佰仟, zeros collapsed to one 零 inside the group."""
    out = []
    zero_pending = False
    digits = f"{group:04d}"
    started = False
    for i, ch in enumerate(digits):
        d = int(ch)
        unit = _SMALL_UNITS[3 - i]
        if d == 0:
            if started:
                zero_pending = True
            continue
        if zero_pending:
            out.append("零")
            zero_pending = False
        out.append(_DIGITS[d] + unit)
        started = True
    return "".join(out)


def amount_in_words(value: Decimal) -> str:
    """Chinese capital numerals for financial documents (大写金额).

    Follows the PBOC rules for filling in bills (正确填写票据和结算凭证的基本规定):
    ¥1,409.50 → 壹仟肆佰零玖元伍角; ¥6,007.14 → 陆仟零柒元壹角肆分;
    ¥1,680.32 → 壹仟陆佰捌拾元零叁角贰分; ¥107,000.53 → 壹拾万柒仟元零伍角叁分;
    ¥325.04 → 叁佰贰拾伍元零肆分; ¥16.00 → 壹拾陆元整; ¥0.05 → 伍分.
    整 follows only whole yuan; negative amounts get 负 in front.
    """
    amount = money(value)
    if amount == 0:
        return "零元整"
    prefix = "负" if amount < 0 else ""
    amount = abs(amount)
    cents = int((amount * 100).to_integral_value())
    yuan, rest = divmod(cents, 100)
    jiao, fen = divmod(rest, 10)
    parts: list[str] = []
    if yuan:
        groups = []
        n = yuan
        while n:
            groups.append(n % 10000)
            n //= 10000
        text = ""
        zero_between = False
        for idx in range(len(groups) - 1, -1, -1):
            g = groups[idx]
            if g == 0:
                zero_between = bool(text)
                continue
            if text and (zero_between or g < 1000):
                text += "零"
            text += _four_digits(g) + _BIG_UNITS[idx]
            zero_between = False
        parts.append(text + "元")
    if jiao == 0 and fen == 0:
        parts.append("整")
    else:
        if yuan and (yuan % 10 == 0 or not jiao):
            # 元位 is 0 with 角 not 0, or 角 is 0 with 分 not 0: the standard writes 零 after 元.
            parts.append("零")
        if jiao:
            parts.append(_DIGITS[jiao] + "角")
        if fen:
            parts.append(_DIGITS[fen] + "分")
    return prefix + "".join(parts)
