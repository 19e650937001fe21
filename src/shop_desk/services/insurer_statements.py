"""Read model of the insurer's statement (保险公司对账单): what one insurer still owes the shop
as of a day, the paper the shop sends the insurer to be paid and the insurer signs back.

The printing package reads only through :func:`statement_data` (as the order's forms read
through :mod:`shop_desk.services.documents`, which also counts the statement's prints by its
number, one per insurer and day, so a reprint is a copy). The figures are those of the
receivables desk (:func:`shop_desk.services.insurer_accounts.open_receivables`): payments
received up to the statement date count, later ones do not; a reprint counts only what had
been entered when the statement was first printed, so the copy matches the original.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from shop_desk import clock
from shop_desk.errors import NotFound, ValidationError
from shop_desk.i18n import translate
from shop_desk.models import InsuranceClaim, Insurer, InsurerReceivable, RepairOrder, Vehicle
from shop_desk.money import ZERO, amount_in_words, money, total
from shop_desk.services import insurance, insurer_accounts
from shop_desk.services.base import is_date, shown
from shop_desk.services.documents import ShopHeader, first_printed_at, shop_header
from shop_desk.validation import display_plate


@dataclass(frozen=True)
class StatementRow:
    """One open receivable as the statement prints it."""

    no: int
    order_number: str
    claim_report_no: str
    plate: str
    accident_date: dt.date | None
    settled_on: dt.date
    assessed: Decimal  # what the loss assessment covers
    insurer_part: Decimal  # what the insurer owes for the order (the receivable)
    paid: Decimal  # paid on it up to the statement date
    age_days: int

    @property
    def outstanding(self) -> Decimal:
        return money(self.insurer_part - self.paid)


@dataclass
class InsurerStatementData:
    shop: ShopHeader
    number: str
    insurer: str
    contact: str
    on_date: dt.date
    rows: list[StatementRow]
    age_labels: list[str]
    #: outstanding per age bracket (the labels' order)
    by_age: list[Decimal]

    @property
    def insurer_part(self) -> Decimal:
        return total(r.insurer_part for r in self.rows)

    @property
    def assessed(self) -> Decimal:
        return total(r.assessed for r in self.rows)

    @property
    def paid(self) -> Decimal:
        return total(r.paid for r in self.rows)

    @property
    def outstanding(self) -> Decimal:
        return total(r.outstanding for r in self.rows)

    @property
    def outstanding_in_words(self) -> str:
        """The outstanding amount in Chinese capitals (the legal way to write it)."""
        return amount_in_words(self.outstanding)


def find_insurer(text: object) -> Insurer:
    """An insurer by its name or its number in the catalogue (the command line names it)."""
    key = text.strip() if isinstance(text, str) else ""
    row = Insurer.get_or_none(Insurer.name == key) if key else None
    if row is None and key.isdigit():
        row = Insurer.get_or_none(Insurer.id == int(key))
    if row is None:
        raise NotFound(
            translate("Insurance", "There is no insurer {name}.").format(name=shown(text))
        )
    return row


def statement_number_for(insurer: object, on_date: dt.date) -> str:
    """The statement number of an insurer named by name or number, as of ``on_date``."""
    _check_date(on_date)
    return insurer_accounts.statement_number(find_insurer(insurer), on_date)


def _check_date(on_date: object) -> dt.date:
    if not is_date(on_date):
        raise ValidationError(translate("Insurance", "Give the date."), "on_date")
    if on_date > clock.now().date():
        raise ValidationError(
            translate("Insurance", "A statement cannot be dated after today."), "on_date"
        )
    return on_date


def statement_data(number: str) -> InsurerStatementData:
    """The insurer's statement ``number`` (DZ…, see
    :func:`shop_desk.services.insurer_accounts.statement_number`): the insurer's open
    receivables on that day, oldest first, with the claim, the car, what the assessment
    covers, what was paid and the age."""
    parsed = insurer_accounts.parse_statement_number(number)
    company = Insurer.get_or_none(Insurer.id == parsed[0]) if parsed is not None else None
    if parsed is None or company is None:
        raise NotFound(
            translate("Printing", "There is no insurer's statement {number}.").format(
                number=shown(number)
            )
        )
    on_date = _check_date(parsed[1])
    # a reprint says what the original said: payments entered and settlements voided since
    # its first print are not on it (the copy mark says it is a reprint)
    known_at = first_printed_at("insurer-statement", number)
    receivables = insurer_accounts.open_receivables(on_date, company, known_at)
    facts = {
        rid: (order_id, plate, accident)
        for rid, order_id, plate, accident in InsurerReceivable.select(
            InsurerReceivable.id, RepairOrder.id, Vehicle.plate, InsuranceClaim.accident_date
        )
        .join(RepairOrder)
        .join(Vehicle)
        .switch(RepairOrder)
        .join(InsuranceClaim, on=(InsuranceClaim.order == RepairOrder.id))
        .where(InsurerReceivable.id.in_([r.id for r in receivables]))
        .tuples()
    }
    splits = insurance.billed_splits(order_id for order_id, _plate, _day in facts.values())
    rows = []
    for no, r in enumerate(receivables, start=1):
        order_id, plate, accident = facts[r.id]
        split = splits.get(order_id)
        rows.append(
            StatementRow(
                no=no,
                order_number=r.order_number,
                claim_report_no=r.claim_report_no,
                plate=display_plate(plate) if plate else "",
                accident_date=accident,
                settled_on=r.opened_on,
                assessed=split.assessed if split is not None else ZERO,
                insurer_part=r.amount,
                paid=r.paid,
                age_days=r.age_days,
            )
        )
    balance = insurer_accounts.InsurerBalance(company.id, company.name, receivables)
    return InsurerStatementData(
        shop=shop_header(),
        number=insurer_accounts.statement_number(company, on_date),
        insurer=company.name,
        contact=company.contact,
        on_date=on_date,
        rows=rows,
        age_labels=insurer_accounts.age_bracket_labels(),
        by_age=balance.by_age,
    )
