"""Quality claims against suppliers (the rulebook's 篇四 rule 8: quality problems of bought-in
parts, 外协件/配套件, are settled with the supplier through purchasing). A claim is raised from a
repair order's part line or a part on the shelf and tracked to the supplier's answer, with the
date of each step; open claims are listed with their age.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from shop_desk import clock
from shop_desk.errors import ValidationError
from shop_desk.i18n import translate
from shop_desk.models import JobLine, Part, RepairOrder, Staff, Supplier, SupplierClaim
from shop_desk.purchasing_states import (
    CLOSED_CLAIM_STATES,
    ClaimState,
    claim_target,
)
from shop_desk.roles import Role
from shop_desk.services.base import (
    audit,
    get,
    get_by_number,
    is_date,
    optional_text,
    require_choice,
    require_decimal,
    require_text,
    service,
    snapshot,
)
from shop_desk.services.orders import next_number
from shop_desk.services.parts import MAX_QTY
from shop_desk.services.purchasing import active_supplier

#: The supplier's answers a claim records (the action of the claim's state table).
ANSWERS = ("accept", "credit", "replace", "refuse")


@service(Role.PARTS_CLERK)
def open_supplier_claim(
    actor: Staff,
    supplier: Supplier | int,
    fault: str,
    part: Part | int | None = None,
    job_line: JobLine | int | None = None,
    quantity: Any = "1",
) -> SupplierClaim:
    """Record a quality problem of a bought-in part: from a repair order's part line
    (``job_line``) or a part on the shelf (``part``)."""
    supplier = active_supplier(supplier)
    fault = require_text(fault, translate("Purchasing", "Fault"), 1000, "fault")
    qty = require_decimal(
        quantity, translate("Parts", "Quantity"), Decimal("0.01"), MAX_QTY, "quantity"
    )
    line = None
    if job_line is not None:
        line = get(JobLine, job_line, translate("Parts", "Job line"))
        if line.kind != "part" or line.part_id is None:
            raise ValidationError(
                translate("Parts", "{line} is not a catalogue part line.").format(
                    line=line.description
                ),
                "job_line",
            )
        row_part = line.part
    elif part is not None:
        row_part = get(Part, part, translate("Parts", "Part"))
    else:
        raise ValidationError(
            translate("Purchasing", "Choose the part or the repair order line the claim is for."),
            "part",
        )
    claim = SupplierClaim.create(
        number=next_number(SupplierClaim, "SP"),
        supplier=supplier,
        part=row_part,
        quantity=qty,
        job_line=line,
        repair_order=line.order_id if line is not None else None,
        fault=fault,
        state=ClaimState.OPEN.value,
        opened_by=actor,
        opened_at=clock.now(),
    )
    audit("supplier_claim", claim.id, None, snapshot(claim))
    return claim


def _claim(claim: SupplierClaim | int | str) -> SupplierClaim:
    return get_by_number(SupplierClaim, claim, translate("Purchasing", "Claim"))


@service(Role.PARTS_CLERK)
def send_supplier_claim(actor: Staff, claim: SupplierClaim | int) -> SupplierClaim:
    """The claim went to the supplier (with the part or its photos)."""
    row = _claim(claim)
    before = snapshot(row)
    row.state = claim_target(row.state, "send", row.number).value
    row.sent_at = clock.now()
    row.save()
    audit("supplier_claim", row.id, before, snapshot(row))
    return row


@service(Role.PARTS_CLERK)
def answer_supplier_claim(
    actor: Staff,
    claim: SupplierClaim | int,
    answer: str,
    note: str = "",
    credit: Any = None,
) -> SupplierClaim:
    """The supplier's answer: accepted (a credit or a replacement follows), credited (the
    amount), replaced, or refused (the note says why)."""
    row = _claim(claim)
    answer = require_choice(answer, ANSWERS, translate("Purchasing", "Answer"), "answer")
    note = optional_text(note, translate("Purchasing", "Note"), 200, "note")
    before = snapshot(row)
    row.state = claim_target(row.state, answer, row.number).value
    if answer == "credit":
        row.credit = require_decimal(
            credit,
            translate("Purchasing", "Credit"),
            Decimal("0.01"),
            Decimal("10000000"),
            "credit",
        )
    if answer == "refuse" and not note:
        raise ValidationError(
            translate("Purchasing", "Write down why the supplier refused the claim."), "note"
        )
    now = clock.now()
    if answer == "accept":
        row.accepted_at = now
    else:
        row.closed_at = now
    if note:
        row.answer_note = note
    row.save()
    audit("supplier_claim", row.id, before, snapshot(row))
    return row


@dataclass(frozen=True)
class ClaimRow:
    id: int
    number: str
    supplier: str
    part: str
    quantity: Decimal
    repair_order: str
    fault: str
    state: str
    opened_at: dt.datetime
    sent_at: dt.datetime | None
    accepted_at: dt.datetime | None
    closed_at: dt.datetime | None
    answer_note: str
    credit: Decimal | None
    age_days: int  # from opening to on_date (or to the answer, once closed)


def claim_rows(on_date: dt.date, open_only: bool = True) -> list[ClaimRow]:
    """Claims with their age in days on ``on_date`` (open ones first, oldest first)."""
    if not is_date(on_date):
        raise ValidationError(translate("Purchasing", "The date is not valid."), "on_date")
    q = (
        SupplierClaim.select(SupplierClaim, Supplier, Part)
        .join(Supplier)
        .switch(SupplierClaim)
        .join(Part)
    )
    if open_only:
        q = q.where(SupplierClaim.state.not_in([s.value for s in CLOSED_CLAIM_STATES]))
    claims = list(q.order_by(SupplierClaim.opened_at, SupplierClaim.id).limit(1000))
    numbers = dict(
        RepairOrder.select(RepairOrder.id, RepairOrder.number)
        .where(RepairOrder.id.in_([c.repair_order_id for c in claims if c.repair_order_id]))
        .tuples()
    )
    rows = []
    for c in claims:
        end = c.closed_at.date() if c.closed_at else on_date
        rows.append(
            ClaimRow(
                c.id,
                c.number,
                c.supplier.name,
                f"{c.part.part_no} {c.part.name}",
                c.quantity,
                numbers.get(c.repair_order_id, ""),
                c.fault,
                c.state,
                c.opened_at,
                c.sent_at,
                c.accepted_at,
                c.closed_at,
                c.answer_note,
                c.credit,
                max(0, (end - c.opened_at.date()).days),
            )
        )
    return rows
