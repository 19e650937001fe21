"""Manager approvals (总经理审批): refunds, voids, returns, discounts over the limit, warranty
write-offs and credit over a customer's limit.

Staff ask for an approval; the general manager decides it after re-entering the PIN (so a
station left signed in cannot approve). The step that needed the approval then consumes it
(state ``used``), so one approval covers exactly one step.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from shop_desk import clock
from shop_desk.errors import DomainError, PermissionDenied, ValidationError
from shop_desk.i18n import translate
from shop_desk.models import Approval, RepairOrder, Settlement, Staff
from shop_desk.money import fmt, money
from shop_desk.roles import Role
from shop_desk.services import pins
from shop_desk.services.base import (
    audit,
    get,
    jsonable,
    optional_text,
    require_choice,
    require_decimal,
    require_int,
    require_text,
    service,
    snapshot,
)

KINDS = ("refund", "void", "return", "discount", "write_off", "credit")


class ApprovalRequired(DomainError):
    """The step needs an approved manager approval of ``kind`` (for ``amount``) first."""

    def __init__(
        self, message: str, kind: str, order: RepairOrder | None, amount: Decimal | None
    ) -> None:
        super().__init__(message)
        self.kind = kind
        self.order = order
        self.amount = amount


def kind_label(kind: str) -> str:
    labels = {
        "refund": translate("Approvals", "refund"),
        "void": translate("Approvals", "void of a settlement"),
        "return": translate("Approvals", "return"),
        "discount": translate("Approvals", "discount over the limit"),
        "write_off": translate("Approvals", "warranty write-off"),
        "credit": translate("Approvals", "credit (on account) over the limit"),
    }
    return labels.get(kind, kind)


@service()
def request_approval(
    actor: Staff,
    kind: str,
    order: RepairOrder | int | None,
    amount: Any = None,
    reason: str = "",
    payload: dict | None = None,
) -> Approval:
    """Ask the general manager for an approval; any staff member whose step needs one may ask.

    Every kind is about money, so the request names the order and the amount: what the manager
    reads is what the step may do, and the step may do at most that (:func:`require_approved`).
    A void needs no typed amount: it is the active settlement's customer total.
    """
    kind = require_choice(kind, KINDS, translate("Approvals", "Kind of approval"), "kind")
    if order is None or order == "":
        raise ValidationError(
            translate("Approvals", "Name the repair order the {kind} is for.").format(
                kind=kind_label(kind)
            ),
            "order",
        )
    row = get(RepairOrder, order, translate("Services", "Repair order"))
    if kind == "void" and amount in (None, ""):
        value = _void_amount(row)
    elif amount is None or (isinstance(amount, str) and not amount.strip()):
        raise ValidationError(
            translate(
                "Approvals", "Give the amount of the {kind}: the approval allows at most that."
            ).format(kind=kind_label(kind)),
            "amount",
        )
    else:
        value = require_decimal(
            amount,
            translate("Approvals", "Amount"),
            Decimal("0.01"),
            Decimal("100000000"),
            "amount",
        )
    text = require_text(reason, translate("Approvals", "Reason"), 1000, "reason")
    approval = Approval.create(
        kind=kind,
        order=row,
        amount=value,
        reason=text,
        payload=json.dumps(jsonable(payload or {}), ensure_ascii=False),
        requested_by=actor,
        requested_at=clock.now(),
    )
    audit("approval", approval.id, None, snapshot(approval))
    return approval


def _void_amount(order: RepairOrder) -> Decimal:
    """What a void reopens: the customer total of the order's active settlement."""
    settlement = Settlement.get_or_none(
        (Settlement.order == order) & (Settlement.state == "active")
    )
    if settlement is None:
        raise ValidationError(
            translate("Approvals", "Order {number} has no settlement to void.").format(
                number=order.number
            ),
            "order",
        )
    return money(settlement.customer_total)


#: Who may decide approvals: the general manager, and the deputy approver a shop with one
#: manager appoints so that the manager's own requests can be decided (four eyes).
DECIDERS = (Role.MANAGER, Role.APPROVER)


def _decide(actor: Staff, approval: Approval | int, reason: str, state: str) -> Approval:
    """Record the decision; the PIN was checked by the service decorator before this runs."""
    row = get(Approval, approval, translate("Approvals", "Approval"))
    if row.state != "pending":
        raise DomainError(
            translate("Approvals", "This approval was decided already ({state}).").format(
                state=row.state
            )
        )
    if state == "approved" and row.requested_by_id == actor.id:
        raise PermissionDenied(
            translate(
                "Approvals",
                "You asked for this approval yourself, so you cannot approve it: four eyes are "
                "needed. Another manager or the deputy approver decides it.",
            )
        )
    before = snapshot(row)
    row.state = state
    row.decided_by = actor
    row.decided_at = clock.now()
    row.decision_reason = reason
    row.save()
    audit("approval", row.id, before, snapshot(row))
    return row


@service(*DECIDERS, pin="pin")
def approve(actor: Staff, approval: Approval | int, pin: str, reason: str = "") -> Approval:
    """A manager or the deputy approver approves someone else's request, re-entering the PIN
    (checked under the PIN rule: count, lock-out, audit, alert)."""
    return _decide(
        actor,
        approval,
        optional_text(reason, translate("Approvals", "Reason"), 1000),
        "approved",
    )


@service(*DECIDERS, pin="pin")
def reject(actor: Staff, approval: Approval | int, pin: str, reason: str) -> Approval:
    """A manager or the deputy approver refuses, re-entering the PIN and saying why (a
    requester may also withdraw their own request this way)."""
    text = require_text(reason, translate("Approvals", "Reason"), 1000, "reason")
    return _decide(actor, approval, text, "rejected")


@service(*DECIDERS)
def pin_alerts_seen(actor: Staff, up_to: int) -> None:
    """A manager marks the wrong-PIN alerts up to the newest they were shown (``up_to``, its
    id) as seen: an audit entry, the log stays whole; a newer alert stays."""
    newest = require_int(up_to, translate("Approvals", "Alert"), 1, None, "up_to")
    audit("pin_alert", None, None, {"up_to": newest})


def pin_alerts() -> list[pins.PinAlert]:
    """Repeated wrong PINs the managers have not marked as seen yet, newest first."""
    return pins.pin_alerts()


def pending_approvals() -> list[Approval]:
    """The manager's in-tray, oldest first."""
    return list(
        Approval.select()
        .where(Approval.state == "pending")
        .order_by(Approval.requested_at, Approval.id)
    )


def approvals_for(requester: Staff | int) -> list[Approval]:
    """What one staff member asked for, newest first (to see the manager's answers)."""
    staff_id = requester.id if isinstance(requester, Staff) else int(requester)
    return list(
        Approval.select()
        .where(Approval.requested_by == staff_id)
        .order_by(Approval.requested_at.desc(), Approval.id.desc())
    )


def _waiting_message(
    kind: str, order: RepairOrder | None, amount: Decimal | None, pending: bool
) -> str:
    what = kind_label(kind)
    if amount is not None:
        what = translate("Approvals", "{what} of {amount}").format(what=what, amount=fmt(amount))
    if order is not None:
        what = translate("Approvals", "{what} on order {number}").format(
            what=what, number=order.number
        )
    if pending:
        return translate(
            "Approvals", "The {what} waits for the general manager's approval."
        ).format(what=what)
    return translate(
        "Approvals", "The {what} needs the general manager's approval: request it first."
    ).format(what=what)


def _covers(approval: Approval, amount: Decimal | None) -> bool:
    """An approval allows at most its amount; one without an amount (made before amounts
    were required) allows nothing."""
    if approval.amount is None:
        return False
    return amount is None or money(approval.amount) >= money(amount)


def require_approved(
    kind: str | tuple[str, ...],
    order: RepairOrder | None,
    amount: Decimal | None = None,
    approval: Approval | int | None = None,
) -> Approval:
    """Consume an approved approval of ``kind`` for ``order`` covering ``amount`` (state 'used').

    Call inside a service: if the step then fails, the approval stays approved (rollback).
    With ``approval`` that one must fit; without, the oldest fitting one is used. Raises
    :class:`ApprovalRequired` saying whether it waits for the manager or must be requested.
    """
    kinds = (kind,) if isinstance(kind, str) else tuple(kind)
    order_id = order.id if order is not None else None
    value = money(amount) if amount is not None else None
    if approval is not None:
        row = get(Approval, approval, translate("Approvals", "Approval"))
        if row.kind not in kinds or (order_id is not None and row.order_id != order_id):
            raise ValidationError(
                translate("Approvals", "This approval is for something else ({kind}).").format(
                    kind=kind_label(row.kind)
                )
            )
        if row.state == "pending":
            raise ApprovalRequired(
                _waiting_message(kinds[0], order, value, True), kinds[0], order, value
            )
        if row.state != "approved":
            raise DomainError(
                translate("Approvals", "This approval cannot be used: it is {state}.").format(
                    state=row.state
                )
            )
        if not _covers(row, value):
            raise ApprovalRequired(
                translate(
                    "Approvals",
                    "The approval allows at most {approved}, not {amount}: ask the general "
                    "manager for an approval of {amount}.",
                ).format(
                    approved=fmt(row.amount) if row.amount is not None else "—",
                    amount=fmt(value),
                ),
                kinds[0],
                order,
                value,
            )
        candidates = [row]
    else:
        query = Approval.select().where(Approval.kind.in_(kinds))
        query = (
            query.where(Approval.order == order_id)
            if order_id is not None
            else query.where(Approval.order.is_null())
        )
        rows = list(query.order_by(Approval.id))
        candidates = [r for r in rows if r.state == "approved" and _covers(r, value)]
        if not candidates:
            smaller = [r for r in rows if r.state == "approved" and r.amount is not None]
            if smaller and value is not None:
                raise ApprovalRequired(
                    translate(
                        "Approvals",
                        "The approved {kind} allows at most {approved}, not {amount}: ask the "
                        "general manager for an approval of {amount}.",
                    ).format(
                        kind=kind_label(kinds[0]),
                        approved=fmt(max(money(r.amount) for r in smaller)),
                        amount=fmt(value),
                    ),
                    kinds[0],
                    order,
                    value,
                )
            pending = any(r.state == "pending" and _covers(r, value) for r in rows)
            raise ApprovalRequired(
                _waiting_message(kinds[0], order, value, pending), kinds[0], order, value
            )
    chosen = candidates[0]
    before = snapshot(chosen)
    chosen.state = "used"
    chosen.save()
    audit("approval", chosen.id, before, snapshot(chosen))
    return chosen
