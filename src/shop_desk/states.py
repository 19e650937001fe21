"""The repair-order state machine, as data: states, actions and the allowed transitions.

Services call :func:`target_state` before changing ``RepairOrder.state``; a refused step
raises :class:`TransitionRefused` with a sentence the user understands. Extra business
guards (signed task order, passed QC, full payment...) live in the services and are
checked in addition.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from shop_desk.errors import TransitionRefused
from shop_desk.i18n import translate
from shop_desk.roles import Role


class State(StrEnum):
    BOOKED = "booked"
    CHECKED_IN = "checked_in"
    AWAITING_DISPATCH = "awaiting_dispatch"
    IN_PROGRESS = "in_progress"
    WAITING_PARTS = "waiting_parts"
    WAITING_AUTHORISATION = "waiting_authorisation"
    FINAL_QC = "final_qc"
    REWORK = "rework"
    WASHING = "washing"
    READY = "ready"
    DELIVERED = "delivered"
    SETTLED = "settled"
    LEFT = "left"
    CLOSED = "closed"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class Transition:
    """One move of the order: from any of ``sources`` to ``target`` by ``action``.

    ``service`` is the service operation (``module.function`` under ``shop_desk.services``)
    that makes the move and ``roles`` the roles it is declared with: who moves an order on
    from each state (tests check both against the service registry).
    """

    action: str
    sources: frozenset[StrEnum]
    target: StrEnum
    service: str
    roles: frozenset[Role]


def transition(
    action: str, sources: set[StrEnum], target: StrEnum, service: str, *roles: Role
) -> Transition:
    """One row of a state table (the repair order's here, the field job's in field_states)."""
    return Transition(action, frozenset(sources), target, service, frozenset(roles))


_t = transition


def moves_from(transitions: tuple[Transition, ...], state: StrEnum) -> list[Transition]:
    """The rows of a state table that start from ``state``."""
    return [t for t in transitions if state in t.sources]


_WORKING = {State.IN_PROGRESS, State.REWORK}
_TECH = (Role.TECHNICIAN, Role.TEAM_LEADER)

TRANSITIONS: tuple[Transition, ...] = (
    _t("check_in", {State.BOOKED}, State.CHECKED_IN, "reception.check_in", Role.ADVISOR),
    _t(
        "hand_over",
        {State.CHECKED_IN},
        State.AWAITING_DISPATCH,
        "reception.hand_over",
        Role.ADVISOR,
    ),
    _t(
        "dispatch",
        {State.AWAITING_DISPATCH},
        State.IN_PROGRESS,
        "workshop.dispatch",
        Role.SUPERVISOR,
    ),
    _t(
        "redispatch",
        _WORKING | {State.WAITING_PARTS},
        State.IN_PROGRESS,
        "workshop.redispatch",
        Role.SUPERVISOR,
    ),
    _t("wait_parts", _WORKING, State.WAITING_PARTS, "parts.request_parts", *_TECH),
    _t(
        "parts_arrived",
        {State.WAITING_PARTS},
        State.IN_PROGRESS,
        "parts.parts_arrived",
        Role.PARTS_CLERK,
        Role.SUPERVISOR,
    ),
    _t(
        "supplier_delivery",
        {State.WAITING_PARTS},
        State.IN_PROGRESS,
        "purchasing.receive_supplier_order",
        Role.PARTS_CLERK,
    ),
    _t(
        "request_authorisation",
        _WORKING | {State.WAITING_PARTS},
        State.WAITING_AUTHORISATION,
        "workshop.propose_additional_work",
        *_TECH,
        Role.SUPERVISOR,
    ),
    _t(
        "authorisation_recorded",
        {State.WAITING_AUTHORISATION},
        State.IN_PROGRESS,
        "workshop.record_authorisation",
        Role.ADVISOR,
    ),
    _t(
        "submit_final_qc",
        _WORKING,
        State.FINAL_QC,
        "workshop.leader_check",
        Role.TEAM_LEADER,
    ),
    _t("qc_fail", {State.FINAL_QC}, State.REWORK, "workshop.final_qc", Role.INSPECTOR),
    _t("qc_pass_wash", {State.FINAL_QC}, State.WASHING, "workshop.final_qc", Role.INSPECTOR),
    _t("qc_pass", {State.FINAL_QC}, State.READY, "workshop.final_qc", Role.INSPECTOR),
    _t("finish_wash", {State.WASHING}, State.READY, "workshop.finish_wash", Role.WASHER),
    _t(
        "send_back",
        {State.WASHING, State.READY},
        State.REWORK,
        "workshop.send_back_to_workshop",
        Role.SUPERVISOR,
    ),
    _t("deliver", {State.READY}, State.DELIVERED, "checkout.deliver", Role.ADVISOR),
    _t(
        "settle",
        {State.DELIVERED},
        State.SETTLED,
        "checkout.settle",
        Role.CASHIER,
        Role.ADVISOR,
    ),
    _t(
        "void_settlement",
        {State.SETTLED},
        State.DELIVERED,
        "checkout.void_settlement",
        Role.CASHIER,
        Role.ADVISOR,
        Role.MANAGER,
    ),
    _t(
        "gate_exit",
        {State.SETTLED},
        State.LEFT,
        "checkout.use_gate_pass",
        Role.ADVISOR,
        Role.CASHIER,
        Role.SUPERVISOR,
        Role.ADMIN,
    ),
    _t("close", {State.LEFT}, State.CLOSED, "aftercare.record_follow_up", Role.CRM_CLERK),
    _t(
        "cancel",
        {State.BOOKED, State.CHECKED_IN, State.AWAITING_DISPATCH},
        State.CANCELLED,
        "reception.cancel_order",
        Role.ADVISOR,
        Role.MANAGER,
    ),
)

#: States an order ends in: nobody moves it on from there.
FINAL_STATES = frozenset({State.CLOSED, State.CANCELLED})

_BY_ACTION = {t.action: t for t in TRANSITIONS}

#: States in which the car is in the workshop (the board's columns).
WORKSHOP_STATES: tuple[State, ...] = (
    State.AWAITING_DISPATCH,
    State.IN_PROGRESS,
    State.WAITING_PARTS,
    State.WAITING_AUTHORISATION,
    State.FINAL_QC,
    State.REWORK,
    State.WASHING,
    State.READY,
)
#: States in which the order's content is frozen (corrections only via a manager-approved void).
FROZEN_STATES = frozenset({State.SETTLED, State.LEFT, State.CLOSED, State.CANCELLED})
#: States before the customer has left with the car, in which the order is still open.
OPEN_STATES = frozenset(State) - {State.LEFT, State.CLOSED, State.CANCELLED}


def state_label(state: State | str) -> str:
    labels = {
        State.BOOKED: translate("OrderState", "Booked"),
        State.CHECKED_IN: translate("OrderState", "Checked in"),
        State.AWAITING_DISPATCH: translate("OrderState", "Awaiting dispatch"),
        State.IN_PROGRESS: translate("OrderState", "In progress"),
        State.WAITING_PARTS: translate("OrderState", "Waiting for parts"),
        State.WAITING_AUTHORISATION: translate("OrderState", "Waiting for authorisation"),
        State.FINAL_QC: translate("OrderState", "Final inspection"),
        State.REWORK: translate("OrderState", "Rework"),
        State.WASHING: translate("OrderState", "Car wash"),
        State.READY: translate("OrderState", "Ready for delivery"),
        State.DELIVERED: translate("OrderState", "Delivered"),
        State.SETTLED: translate("OrderState", "Settled"),
        State.LEFT: translate("OrderState", "Left the shop"),
        State.CLOSED: translate("OrderState", "Closed"),
        State.CANCELLED: translate("OrderState", "Cancelled"),
    }
    return labels[State(state)]


def action_label(action: str) -> str:
    labels = {
        "check_in": translate("OrderAction", "check in"),
        "hand_over": translate("OrderAction", "hand over to the workshop"),
        "dispatch": translate("OrderAction", "dispatch"),
        "redispatch": translate("OrderAction", "reassign"),
        "wait_parts": translate("OrderAction", "wait for parts"),
        "parts_arrived": translate("OrderAction", "continue after parts arrived"),
        "supplier_delivery": translate(
            "OrderAction", "continue after the supplier's delivery was received"
        ),
        "request_authorisation": translate("OrderAction", "ask the customer for authorisation"),
        "authorisation_recorded": translate("OrderAction", "continue after authorisation"),
        "submit_final_qc": translate("OrderAction", "send to final inspection"),
        "qc_fail": translate("OrderAction", "fail final inspection"),
        "qc_pass_wash": translate("OrderAction", "pass final inspection"),
        "qc_pass": translate("OrderAction", "pass final inspection"),
        "finish_wash": translate("OrderAction", "finish the car wash"),
        "send_back": translate("OrderAction", "send the car back to the workshop"),
        "deliver": translate("OrderAction", "deliver"),
        "settle": translate("OrderAction", "settle"),
        "void_settlement": translate("OrderAction", "void the settlement"),
        "gate_exit": translate("OrderAction", "let the car out of the gate"),
        "close": translate("OrderAction", "close"),
        "cancel": translate("OrderAction", "cancel"),
    }
    return labels.get(action, action)


def allowed_actions(state: State | str) -> list[str]:
    return [t.action for t in moves_from(TRANSITIONS, State(state))]


def movers(state: State | str) -> dict[str, frozenset[Role]]:
    """Who moves an order on from ``state``: action → the roles that may make it."""
    return {t.action: t.roles for t in moves_from(TRANSITIONS, State(state))}


def can(state: State | str, action: str) -> bool:
    return State(state) in _BY_ACTION[action].sources


def target_state(state: State | str, action: str) -> State:
    """The state after ``action`` from ``state``, or TransitionRefused saying why not."""
    transition = _BY_ACTION[action]
    current = State(state)
    if current in transition.sources:
        return transition.target
    if current in FROZEN_STATES and current != State.CANCELLED:
        msg = translate(
            "OrderState",
            "The order is {state} and can no longer be changed; a correction needs a "
            "manager-approved void.",
        ).format(state=state_label(current))
    else:
        allowed = " / ".join(state_label(s) for s in State if s in transition.sources)
        msg = translate(
            "OrderState",
            "Cannot {action}: the order is {state}; this is possible only when it is {allowed}.",
        ).format(action=action_label(action), state=state_label(current), allowed=allowed)
    raise TransitionRefused(msg)
