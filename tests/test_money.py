"""Money: the amount in Chinese capitals (大写金额) and the totals/rounding rules."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shop_desk.models import JobLine
from shop_desk.money import ZERO, amount_in_words, line_amount, money, tax_part
from shop_desk.services.orders import compute_totals, line_total

# The examples of the PBOC rules for filling in bills (正确填写票据和结算凭证的基本规定) and a few more.
STANDARD = [
    ("1409.50", "壹仟肆佰零玖元伍角"),  # a 0 in the middle is written 零
    ("6007.14", "陆仟零柒元壹角肆分"),  # several 0 in a row: one 零
    ("1680.32", "壹仟陆佰捌拾元零叁角贰分"),  # 元位 0, 角 not 0
    ("107000.53", "壹拾万柒仟元零伍角叁分"),
    ("16409.02", "壹万陆仟肆佰零玖元零贰分"),  # 角 0, 分 not 0: 零 after 元
    ("325.04", "叁佰贰拾伍元零肆分"),
    ("16.00", "壹拾陆元整"),  # a leading 1 is written 壹拾
    ("100000.00", "壹拾万元整"),
    ("100005.00", "壹拾万零伍元整"),
    ("1000.05", "壹仟元零伍分"),
    ("100.00", "壹佰元整"),
    ("0.50", "伍角"),
    ("0.05", "伍分"),
    ("0.00", "零元整"),
    ("10000000.00", "壹仟万元整"),
    ("20000001.00", "贰仟万零壹元整"),
    ("1010.00", "壹仟零壹拾元整"),
    ("99999999.99", "玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分"),
    ("-3.20", "负叁元贰角"),
]


@pytest.mark.parametrize(("amount", "words"), STANDARD)
def test_amount_in_words_matches_the_standard(amount, words):
    assert amount_in_words(Decimal(amount)) == words


_DIGITS = {c: i for i, c in enumerate("零壹贰叁肆伍陆柒捌玖")}
_SMALL = {"拾": 10, "佰": 100, "仟": 1000}
ALLOWED = set("零壹贰叁肆伍陆柒捌玖拾佰仟万亿元角分整")


def parse_words(words: str) -> Decimal:
    """A small reader of 大写金额, independent of the writer, for the round trip."""
    sign = -1 if words.startswith("负") else 1
    words = words.removeprefix("负")
    yuan_text, rest = words.split("元", 1) if "元" in words else ("", words)
    total = section = digit = 0
    for ch in yuan_text:
        if ch in _DIGITS:
            digit = _DIGITS[ch]
        elif ch in _SMALL:
            section += digit * _SMALL[ch]
            digit = 0
        elif ch == "万":
            total += (section + digit) * 10_000
            section = digit = 0
        elif ch == "亿":
            total = (total + section + digit) * 100_000_000
            section = digit = 0
        else:
            raise AssertionError(f"unexpected {ch!r} in {words!r}")
    cents = (total + section + digit) * 100
    rest = rest.removesuffix("整")
    for ch, unit in (("角", 10), ("分", 1)):
        if ch in rest:
            head, rest = rest.split(ch, 1)
            cents += _DIGITS[head.lstrip("零")] * unit
    assert rest.strip("零") == "", words
    return sign * Decimal(cents) / 100


amounts = st.integers(min_value=1, max_value=9_999_999_999).map(lambda c: Decimal(c) / 100)


@given(amounts)
@settings(max_examples=400, deadline=None)
def test_amount_in_words_properties(amount):
    words = amount_in_words(amount)
    assert set(words) <= ALLOWED
    has_small = amount % 1 != 0
    assert words.endswith("整") == (not has_small)
    assert ("角" in words or "分" in words) == has_small
    assert "零零" not in words
    assert not words.startswith("零") and not words.endswith("零")
    assert parse_words(words) == money(amount)


def test_parser_reads_the_standard_examples():
    for amount, words in STANDARD:
        assert parse_words(words) == Decimal(amount)


def test_negative_amounts_get_a_prefix():
    assert amount_in_words(Decimal("-1409.50")) == "负" + amount_in_words(Decimal("1409.50"))


# --------------------------------------------------------------------------- totals

prices = st.integers(min_value=0, max_value=5_000_000).map(lambda c: Decimal(c) / 100)
units = st.integers(min_value=1, max_value=5000).map(lambda c: Decimal(c) / 100)


@st.composite
def job_lines(draw):
    kind = draw(st.sampled_from(["labour", "part"]))
    count, price = draw(units), draw(prices)
    gross = money(count * price)
    discount = Decimal(draw(st.integers(min_value=0, max_value=int(gross * 100)))) / 100
    values = {
        "kind": kind,
        "discount": money(discount),
        "pay_type": draw(
            st.sampled_from(["customer", "customer", "warranty", "internal", "goodwill"])
        ),
        "auth_state": draw(st.sampled_from(["authorised", "authorised", "proposed", "declined"])),
    }
    if kind == "labour":
        values.update(hours=count, rate=price)
    else:
        values.update(quantity=count, unit_price=price)
    return JobLine(description="x", **values)


@given(st.lists(job_lines(), max_size=8), prices, st.sampled_from(["0", "0.06", "0.09", "0.13"]))
@settings(max_examples=120, deadline=None)
def test_totals_add_up_and_never_go_negative(lines, order_discount, rate):
    t = compute_totals(lines, order_discount, Decimal(rate))
    counted = [ln for ln in lines if ln.auth_state == "authorised"]
    for pay_type in ("customer", "warranty", "internal", "goodwill"):
        assert t.by_pay_type[pay_type] == sum(
            (line_total(ln) for ln in counted if ln.pay_type == pay_type), ZERO
        )
    assert t.labour + t.parts == t.by_pay_type["customer"]
    assert t.proposed == sum((line_total(ln) for ln in lines if ln.auth_state == "proposed"), ZERO)
    assert t.customer_total == max(ZERO, t.by_pay_type["customer"] - money(order_discount))
    assert t.warranty_claim == t.by_pay_type["warranty"]
    assert ZERO <= t.tax <= t.customer_total
    assert all(line_total(ln) >= 0 for ln in lines)
    for value in (t.customer_total, t.tax, t.discount_total):
        assert value == money(value)


@given(prices, st.sampled_from(["0", "0.03", "0.06", "0.09", "0.13", "0.17"]))
def test_tax_part_is_within_the_gross(gross, rate):
    tax = tax_part(gross, Decimal(rate))
    assert ZERO <= tax <= gross
    net = gross - tax
    # the net times (1 + rate) gives the gross back to within a rounding step
    assert abs(money(net * (1 + Decimal(rate))) - gross) <= Decimal("0.02")


@given(units, prices)
def test_line_amount_rounds_once_half_up(count, price):
    assert line_amount(count, price) == money(count * price)
    assert line_amount(count, price, line_amount(count, price)) == ZERO


def test_half_up_rounding_rule():
    assert money(Decimal("0.005")) == Decimal("0.01")
    assert money(Decimal("2.675")) == Decimal("2.68")
    assert money(Decimal("-0.005")) == Decimal("-0.01")
    assert tax_part(Decimal("113.00"), Decimal("0.13")) == Decimal("13.00")
