"""Expense claims of field jobs (报销, the rulebook's 篇三 §12 and the penalties list §3):
claimed per job with a receipt photo for every item; a travel ticket's place must match the
job's destination; a tool bought on the road is reimbursed only once returned to the
warehouse; the supervisor approves, finance (the cashier) pays; a false receipt is a
disciplinary case in the penalty register."""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from peewee import prefetch

from shop_desk import clock
from shop_desk.errors import DomainError, TransitionRefused, ValidationError
from shop_desk.field_states import FieldState
from shop_desk.i18n import translate
from shop_desk.models import ExpenseClaim, ExpenseItem, FieldJob, Staff
from shop_desk.money import ZERO, money
from shop_desk.roles import Role
from shop_desk.services import reception
from shop_desk.services.base import (
    audit,
    get,
    optional_text,
    require_choice,
    require_decimal,
    require_list,
    require_text,
    service,
    snapshot,
)
from shop_desk.services.field import crew_job
from shop_desk.services.orders import next_number
from shop_desk.services.penalties import add_penalty

KINDS = ("ticket", "lodging", "fuel", "tool", "other")
#: Claims are made once the crew is back.
CLAIM_STATES = (FieldState.RETURNED, FieldState.CLOSED)
MAX_AMOUNT = Decimal("100000")
MAX_RECEIPT_BYTES = 10 * 1024 * 1024


def _plain(text: str) -> str:
    return re.sub(r"[\s,，。.、·\-]+", "", text).casefold()


def place_matches(ticket_place: str, destination: str) -> bool:
    """A ticket's place names the job's destination: one contains the other (ignoring spaces
    and punctuation), or the two share most of their words."""
    a, b = _plain(ticket_place), _plain(destination)
    if not a or not b:
        return False
    return a in b or b in a or reception.texts_match(ticket_place, destination)


def _item(job: FieldJob, n: int, raw: Any) -> dict[str, Any]:
    if not isinstance(raw, Mapping):
        raise ValidationError(
            translate("Expenses", "Receipt {n} is not valid.").format(n=n), "items"
        )
    kind = require_choice(raw.get("kind"), KINDS, translate("Expenses", "Kind of expense"), "items")
    amount = require_decimal(
        raw.get("amount"), translate("Expenses", "Amount"), Decimal("0.01"), MAX_AMOUNT, "items"
    )
    description = optional_text(
        raw.get("description"), translate("Expenses", "Description"), 200, "items"
    )
    place = optional_text(
        raw.get("place"), translate("Expenses", "Place on the ticket"), 200, "items"
    )
    receipt = raw.get("receipt")
    if isinstance(receipt, bytes | bytearray) and len(receipt) > MAX_RECEIPT_BYTES:
        raise ValidationError(
            translate("Expenses", "The photo of receipt {n} is larger than 10 MB.").format(n=n),
            "items",
        )
    if not reception._image_ok(receipt):
        raise ValidationError(
            translate("Expenses", "Receipt {n} needs a photo of the receipt.").format(n=n),
            "items",
        )
    if kind == "ticket" and not place_matches(place, job.place):
        raise ValidationError(
            translate(
                "Expenses",
                "The ticket of receipt {n} is for {place}, not for the job's destination "
                "{destination}; it is not reimbursed.",
            ).format(n=n, place=place or "—", destination=job.place),
            "items",
        )
    if kind == "tool" and not description:
        raise ValidationError(
            translate("Expenses", "Receipt {n}: name the tool that was bought.").format(n=n),
            "items",
        )
    return {
        "kind": kind,
        "amount": amount,
        "description": description,
        "place": place,
        "receipt": bytes(receipt),
    }


@service(Role.TECHNICIAN, Role.TEAM_LEADER)
def submit_expense_claim(actor: Staff, job: FieldJob | int, items: list[Any]) -> ExpenseClaim:
    """A member of the crew claims the job's expenses, a receipt photo for each."""
    row = crew_job(job, actor)
    if FieldState(row.state) not in CLAIM_STATES:
        raise TransitionRefused(
            translate("Expenses", "Expenses of {number} are claimed once the crew is back.").format(
                number=row.number
            )
        )
    entries = require_list(items, translate("Expenses", "Receipts"), "items")
    if not entries:
        raise ValidationError(translate("Expenses", "Add at least one receipt."), "items")
    checked = [_item(row, n, raw) for n, raw in enumerate(entries, start=1)]
    claim = ExpenseClaim.create(
        number=next_number(ExpenseClaim, "BX"),
        job=row,
        claimant=actor,
        state="submitted",
        submitted_at=clock.now(),
        total=money(sum((c["amount"] for c in checked), ZERO)),
    )
    for entry in checked:
        item = ExpenseItem.create(claim=claim, **entry)
        audit("expense_item", item.id, None, snapshot(item))
    audit("expense_claim", claim.id, None, snapshot(claim))
    return claim


@service(Role.PARTS_CLERK)
def record_tool_returned(actor: Staff, item: ExpenseItem | int) -> ExpenseItem:
    """The warehouse received a tool bought on the road (入库): now it can be reimbursed."""
    row = get(ExpenseItem, item, translate("Expenses", "Receipt"))
    if row.kind != "tool":
        raise DomainError(translate("Expenses", "This receipt is not for a tool."))
    if row.tool_returned_at is not None:
        raise DomainError(
            translate("Expenses", "{tool} was returned to the warehouse already.").format(
                tool=row.description
            )
        )
    before = snapshot(row)
    row.tool_returned_at = clock.now()
    row.tool_received_by = actor
    row.save()
    audit("expense_item", row.id, before, snapshot(row))
    return row


def _claim(claim: ExpenseClaim | int, state: str, doing: str) -> ExpenseClaim:
    row = get(ExpenseClaim, claim, translate("Expenses", "Expense claim"))
    if row.state != state:
        raise TransitionRefused(
            translate("Expenses", "Cannot {doing}: expense claim {number} is {state}.").format(
                doing=doing, number=row.number, state=state_label(row.state)
            )
        )
    return row


def reimbursable(claim: ExpenseClaim) -> Decimal:
    """What the claim pays back: every receipt but tools not returned to the warehouse."""
    return money(
        sum(
            (i.amount for i in claim.items if i.kind != "tool" or i.tool_returned_at is not None),
            ZERO,
        )
    )


@service(Role.SUPERVISOR)
def approve_expense_claim(actor: Staff, claim: ExpenseClaim | int) -> ExpenseClaim:
    """The supervisor approves; tools not returned to the warehouse are left out."""
    row = _claim(claim, "submitted", translate("Expenses", "approve the claim"))
    if row.claimant_id == actor.id:
        raise DomainError(translate("Expenses", "Nobody approves their own expense claim."))
    before = snapshot(row)
    row.approved_total = reimbursable(row)
    row.state = "approved"
    row.decided_by = actor
    row.decided_at = clock.now()
    row.save()
    audit("expense_claim", row.id, before, snapshot(row))
    return row


@service(Role.SUPERVISOR)
def reject_expense_claim(
    actor: Staff, claim: ExpenseClaim | int, reason: str, false_receipt: bool = False
) -> ExpenseClaim:
    """The supervisor rejects the claim; a false receipt is also a disciplinary case."""
    row = _claim(claim, "submitted", translate("Expenses", "reject the claim"))
    text = require_text(reason, translate("Expenses", "Reason"), 2000, "reason")
    before = snapshot(row)
    row.state = "rejected"
    row.decided_by = actor
    row.decided_at = clock.now()
    row.decision_reason = text
    row.save()
    audit("expense_claim", row.id, before, snapshot(row))
    if false_receipt is True:
        add_penalty(actor, row.claimant, "false_receipt", text, job=row.job)
    return row


@service(Role.CASHIER)
def pay_expense_claim(actor: Staff, claim: ExpenseClaim | int) -> ExpenseClaim:
    """Finance pays the approved amount."""
    row = _claim(claim, "approved", translate("Expenses", "pay the claim"))
    before = snapshot(row)
    row.state = "paid"
    row.paid_by = actor
    row.paid_at = clock.now()
    row.save()
    audit("expense_claim", row.id, before, snapshot(row))
    return row


def state_label(state: str) -> str:
    labels = {
        "submitted": translate("Expenses", "waiting for approval"),
        "approved": translate("Expenses", "approved"),
        "rejected": translate("Expenses", "rejected"),
        "paid": translate("Expenses", "paid"),
    }
    return labels.get(state, state)


def kind_label(kind: str) -> str:
    labels = {
        "ticket": translate("Expenses", "Travel ticket"),
        "lodging": translate("Expenses", "Lodging"),
        "fuel": translate("Expenses", "Fuel"),
        "tool": translate("Expenses", "Tool bought on the road"),
        "other": translate("Expenses", "Other"),
    }
    return labels.get(kind, kind)


def claims_of(job: FieldJob | int) -> list[ExpenseClaim]:
    return list(ExpenseClaim.select().where(ExpenseClaim.job == job).order_by(ExpenseClaim.id))


# --------------------------------------------------------------------------- back office reads


def claims(state: str | None = None) -> list[ExpenseClaim]:
    """The claims the back office works on (all, or those in ``state``), newest first, with
    their job, claimant and receipts' amounts loaded."""
    query = (
        ExpenseClaim.select(ExpenseClaim, FieldJob, Staff)
        .join(FieldJob, on=ExpenseClaim.job == FieldJob.id)
        .switch(ExpenseClaim)
        .join(Staff, on=ExpenseClaim.claimant == Staff.id)
    )
    if state is not None:
        query = query.where(ExpenseClaim.state == state)
    query = query.order_by(ExpenseClaim.submitted_at.desc(), ExpenseClaim.id.desc())
    # the receipts' amounts for :func:`reimbursable`, without their photos
    light = ExpenseItem.select(
        ExpenseItem.id,
        ExpenseItem.claim,
        ExpenseItem.kind,
        ExpenseItem.amount,
        ExpenseItem.tool_returned_at,
    )
    return list(prefetch(query, light))


def items_of(claim: ExpenseClaim | int) -> list[ExpenseItem]:
    """A claim's receipts in the order they were claimed."""
    return list(ExpenseItem.select().where(ExpenseItem.claim == claim).order_by(ExpenseItem.id))


def ticket_matches(item: ExpenseItem) -> bool | None:
    """Whether a ticket's place names its job's destination (None: not a ticket)."""
    if item.kind != "ticket":
        return None
    return place_matches(item.place, item.claim.job.place)


def tools_to_return() -> list[ExpenseItem]:
    """Tools bought on the road that the warehouse has not received yet (their claim not
    rejected), the oldest claim first."""
    return list(
        ExpenseItem.select(ExpenseItem, ExpenseClaim)
        .join(ExpenseClaim)
        .where(
            (ExpenseItem.kind == "tool")
            & ExpenseItem.tool_returned_at.is_null()
            & (ExpenseClaim.state != "rejected")
        )
        .order_by(ExpenseClaim.submitted_at, ExpenseItem.id)
    )
