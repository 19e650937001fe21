"""The state tables of purchasing, as data: the supplier order (采购单) and the supplier
quality claim (外协件/配套件 索赔, the rulebook's 篇四 rule 8). They share the repair order's
Transition rows and table helpers (states.transition, states.moves_from); a refused step says
why."""

from __future__ import annotations

from enum import StrEnum

from shop_desk.errors import TransitionRefused
from shop_desk.i18n import translate
from shop_desk.roles import Role
from shop_desk.states import Transition, moves_from, transition


class OrderState(StrEnum):
    DRAFT = "draft"
    SENT = "sent"
    PART_RECEIVED = "part_received"
    RECEIVED = "received"
    CANCELLED = "cancelled"


class ClaimState(StrEnum):
    OPEN = "open"
    SENT = "sent"
    ACCEPTED = "accepted"
    CREDITED = "credited"
    REPLACED = "replaced"
    REFUSED = "refused"


_t = transition
_P = Role.PARTS_CLERK
O = OrderState  # noqa: E741
C = ClaimState

ORDER_TRANSITIONS: tuple[Transition, ...] = (
    _t("send", {O.DRAFT}, O.SENT, "purchasing.send_supplier_order", _P),
    _t(
        "receive_part",
        {O.SENT, O.PART_RECEIVED},
        O.PART_RECEIVED,
        "purchasing.receive_supplier_order",
        _P,
    ),
    _t(
        "receive_all",
        {O.SENT, O.PART_RECEIVED},
        O.RECEIVED,
        "purchasing.receive_supplier_order",
        _P,
    ),
    _t("cancel", {O.DRAFT, O.SENT}, O.CANCELLED, "purchasing.cancel_supplier_order", _P),
)
#: A supplier order still expected: what is on it counts as on order.
OPEN_ORDER_STATES = (O.DRAFT, O.SENT, O.PART_RECEIVED)

CLAIM_TRANSITIONS: tuple[Transition, ...] = (
    _t("send", {C.OPEN}, C.SENT, "supplier_claims.send_supplier_claim", _P),
    _t("accept", {C.SENT}, C.ACCEPTED, "supplier_claims.answer_supplier_claim", _P),
    _t(
        "credit",
        {C.SENT, C.ACCEPTED},
        C.CREDITED,
        "supplier_claims.answer_supplier_claim",
        _P,
    ),
    _t(
        "replace",
        {C.SENT, C.ACCEPTED},
        C.REPLACED,
        "supplier_claims.answer_supplier_claim",
        _P,
    ),
    _t("refuse", {C.SENT}, C.REFUSED, "supplier_claims.answer_supplier_claim", _P),
)
#: The supplier's answers that end a claim.
CLOSED_CLAIM_STATES = (C.CREDITED, C.REPLACED, C.REFUSED)


def order_state_label(state: OrderState | str) -> str:
    return {
        O.DRAFT: translate("Purchasing", "Draft"),
        O.SENT: translate("Purchasing", "Sent to the supplier"),
        O.PART_RECEIVED: translate("Purchasing", "Partly received"),
        O.RECEIVED: translate("Purchasing", "Received"),
        O.CANCELLED: translate("Purchasing", "Cancelled"),
    }[OrderState(state)]


def claim_state_label(state: ClaimState | str) -> str:
    return {
        C.OPEN: translate("Purchasing", "Recorded"),
        C.SENT: translate("Purchasing", "Claimed from the supplier"),
        C.ACCEPTED: translate("Purchasing", "Accepted by the supplier"),
        C.CREDITED: translate("Purchasing", "Credited"),
        C.REPLACED: translate("Purchasing", "Replaced"),
        C.REFUSED: translate("Purchasing", "Refused"),
    }[ClaimState(state)]


def _action_label(action: str) -> str:
    return {
        "send": translate("Purchasing", "send"),
        "receive_part": translate("Purchasing", "receive"),
        "receive_all": translate("Purchasing", "receive"),
        "cancel": translate("Purchasing", "cancel"),
        "accept": translate("Purchasing", "record as accepted"),
        "credit": translate("Purchasing", "record as credited"),
        "replace": translate("Purchasing", "record as replaced"),
        "refuse": translate("Purchasing", "record as refused"),
    }.get(action, action)


def _target(
    table: tuple[Transition, ...], state: StrEnum, action: str, what: str, label
) -> StrEnum:
    for row in table:
        if row.action == action and state in row.sources:
            return row.target
    allowed = " / ".join(
        label(s) for row in table if row.action == action for s in sorted(row.sources)
    )
    raise TransitionRefused(
        translate(
            "Purchasing",
            "Cannot {action}: {what} is {state}; this is possible only when it is {allowed}.",
        ).format(action=_action_label(action), what=what, state=label(state), allowed=allowed)
    )


def order_target(state: OrderState | str, action: str, number: str) -> OrderState:
    """The supplier order's state after ``action``, or TransitionRefused saying why not."""
    what = translate("Purchasing", "supplier order {number}").format(number=number)
    return OrderState(
        _target(ORDER_TRANSITIONS, OrderState(state), action, what, order_state_label)
    )


def claim_target(state: ClaimState | str, action: str, number: str) -> ClaimState:
    """The claim's state after ``action``, or TransitionRefused saying why not."""
    what = translate("Purchasing", "claim {number}").format(number=number)
    return ClaimState(
        _target(CLAIM_TRANSITIONS, ClaimState(state), action, what, claim_state_label)
    )


def claim_actions(state: ClaimState | str) -> list[str]:
    """What can be recorded on a claim in ``state`` (for the desk's buttons)."""
    return [t.action for t in moves_from(CLAIM_TRANSITIONS, ClaimState(state))]
