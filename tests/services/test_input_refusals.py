"""Input that must be refused, not stored or rounded (issue 17, item 10): names of only
invisible characters or with control/bidi characters, amounts with more than two decimals,
a NUL in the global search. (Sign-in with an unknown login: tests/services/test_pins.py.)"""

from __future__ import annotations

from decimal import Decimal

import pytest

from factories import make_order
from shop_desk.errors import ValidationError
from shop_desk.models import Approval, Customer, Payment
from shop_desk.services import approvals, checkout, customers, search
from shop_desk.states import State


def _create(staff, name: str, **kw) -> Customer:
    return customers.create_customer(staff["advisor"], name, "13800138000", **kw)


@pytest.mark.parametrize("name", ["\u200b", "\u200b\u200c\ufeff\u2060", "\u3164", "\u2800 \u200b"])
def test_a_name_of_only_invisible_characters_is_refused(db, staff, name):
    before = Customer.select().count()
    with pytest.raises(ValidationError) as refused:
        _create(staff, name)
    assert refused.value.field == "name"
    assert "Name" in str(refused.value)
    assert Customer.select().count() == before


@pytest.mark.parametrize("name", ["\u202e王先生", "王\x1b[2J", "王\u2066先生", "王\x07"])
def test_a_name_with_control_or_bidi_characters_is_refused(db, staff, name):
    before = Customer.select().count()
    with pytest.raises(ValidationError, match="control characters"):
        _create(staff, name)
    assert Customer.select().count() == before


def test_harmless_surrounding_characters_are_trimmed_and_line_breaks_kept(db, staff):
    person = _create(staff, " \u200b王先生\ufeff\u3000", notes="第一行\n第二行\t备注")
    assert person.name == "王先生"
    assert person.notes == "第一行\n第二行\t备注"


def test_an_amount_with_more_than_two_decimals_is_refused_not_rounded(db, staff):
    order = make_order(State.SETTLED, paid=True)
    with pytest.raises(ValidationError, match="2 decimal places") as refused:
        approvals.request_approval(staff["cashier"], "refund", order, "0.015", "one fen and a half")
    assert refused.value.field == "amount"
    assert Approval.select().count() == 0
    payments = Payment.select().count()
    with pytest.raises(ValidationError, match="decimal places"):
        checkout.take_payment(staff["cashier"], make_order(State.DELIVERED), "cash", "10.005")
    assert Payment.select().count() == payments
    # trailing zeros are not more precision
    ok = approvals.request_approval(staff["cashier"], "refund", order, "10.500", "scratch")
    assert ok.amount == Decimal("10.50")


@pytest.mark.parametrize("text", ["京A\x00", "\x00\x00\x00", "王\x00先生", "LSV\x00AU2A"])
def test_a_nul_in_the_global_search_finds_nothing_and_does_not_raise(db, text):
    assert isinstance(search.search(text), list)
    assert search.resolve_code(text) is None or search.resolve_code(text).kind
