"""The state machine of a product brought back to the accessory counter, as data.

篇五: the shop's engineer assesses the product on a test report (检测报告); a quality fault
gets a replacement within 3 days of receipt (or, within 15 days of the sale, the money back),
anything else is sent back to the customer. Giving goods or money back needs the general
manager's approval (rule 11); a case closed without it is closed at the customer's cost.
"""

from __future__ import annotations

from enum import StrEnum

from shop_desk.errors import TransitionRefused
from shop_desk.i18n import translate
from shop_desk.roles import Role
from shop_desk.states import Transition, moves_from, transition


class CaseState(StrEnum):
    RECEIVED = "received"
    FAULT_CONFIRMED = "fault_confirmed"
    NOT_COVERED = "not_covered"
    REPLACED = "replaced"
    REFUNDED = "refunded"
    SENT_BACK = "sent_back"


#: Who works at the accessory counter.
COUNTER_ROLES = (Role.PARTS_CLERK, Role.CASHIER, Role.ADVISOR, Role.MANAGER)
#: Who writes the shop's test report: the counter's staff and the workshop's technicians.
TESTER_ROLES = (Role.PARTS_CLERK, Role.TECHNICIAN, Role.TEAM_LEADER, Role.MANAGER)

S = CaseState
_t = transition
TRANSITIONS: tuple[Transition, ...] = (
    _t(
        "confirm_fault",
        {S.RECEIVED},
        S.FAULT_CONFIRMED,
        "counter_returns.record_test_report",
        *TESTER_ROLES,
    ),
    _t(
        "not_covered",
        {S.RECEIVED},
        S.NOT_COVERED,
        "counter_returns.record_test_report",
        *TESTER_ROLES,
    ),
    _t(
        "replace",
        {S.FAULT_CONFIRMED},
        S.REPLACED,
        "counter_returns.send_replacement",
        *COUNTER_ROLES,
    ),
    _t("refund", {S.FAULT_CONFIRMED}, S.REFUNDED, "counter_returns.refund_case", *COUNTER_ROLES),
    _t(
        "send_back",
        {S.NOT_COVERED, S.FAULT_CONFIRMED},
        S.SENT_BACK,
        "counter_returns.send_back",
        *COUNTER_ROLES,
    ),
)

FINAL_STATES = frozenset({S.REPLACED, S.REFUNDED, S.SENT_BACK})
#: States in which the shop still holds the product (the "sent in" list).
OPEN_STATES = (S.RECEIVED, S.FAULT_CONFIRMED, S.NOT_COVERED)
_BY_ACTION = {t.action: t for t in TRANSITIONS}


def state_label(state: CaseState | str) -> str:
    labels = {
        S.RECEIVED: translate("CounterState", "Received, waiting for the test report"),
        S.FAULT_CONFIRMED: translate("CounterState", "Quality fault confirmed"),
        S.NOT_COVERED: translate("CounterState", "Not covered: to be sent back"),
        S.REPLACED: translate("CounterState", "Replacement sent"),
        S.REFUNDED: translate("CounterState", "Refunded"),
        S.SENT_BACK: translate("CounterState", "Sent back to the customer"),
    }
    return labels[CaseState(state)]


def action_label(action: str) -> str:
    labels = {
        "confirm_fault": translate("CounterAction", "confirm a quality fault"),
        "not_covered": translate("CounterAction", "record that it is not covered"),
        "replace": translate("CounterAction", "send the replacement"),
        "refund": translate("CounterAction", "refund the product"),
        "send_back": translate("CounterAction", "send the product back"),
    }
    return labels.get(action, action)


def allowed_actions(state: CaseState | str) -> list[str]:
    return [t.action for t in moves_from(TRANSITIONS, CaseState(state))]


def target_state(state: CaseState | str, action: str) -> CaseState:
    """The state after ``action`` from ``state``, or TransitionRefused saying why not."""
    move = _BY_ACTION[action]
    current = CaseState(state)
    if current in move.sources:
        return move.target
    allowed = " / ".join(state_label(s) for s in CaseState if s in move.sources)
    raise TransitionRefused(
        translate(
            "CounterState",
            "Cannot {action}: the case is {state}; this is possible only when it is {allowed}.",
        ).format(action=action_label(action), state=state_label(current), allowed=allowed)
    )
