"""The field job's state machine, as data (kept apart from the repair order's, states.py,
whose Transition rows and table helpers it shares).

Each transition names the service that makes the move and the roles it is declared with,
so every state has someone who moves it on; :func:`target_state` refuses a wrong step with a
sentence the user understands.
"""

from __future__ import annotations

from enum import StrEnum

from shop_desk.errors import TransitionRefused
from shop_desk.i18n import translate
from shop_desk.roles import Role
from shop_desk.states import Transition, moves_from, transition


class FieldState(StrEnum):
    REGISTERED = "registered"
    DISPATCHED = "dispatched"
    EN_ROUTE = "en_route"
    ON_SITE = "on_site"
    WORKING = "working"
    WORK_DONE = "work_done"
    RETURNING = "returning"
    RETURNED = "returned"
    CLOSED = "closed"
    CANCELLED = "cancelled"


_CREW = (Role.TECHNICIAN, Role.TEAM_LEADER)
_t = transition

S = FieldState
TRANSITIONS: tuple[Transition, ...] = (
    _t("dispatch", {S.REGISTERED}, S.DISPATCHED, "field.dispatch_field_job", Role.SUPERVISOR),
    _t("depart", {S.DISPATCHED}, S.EN_ROUTE, "field.depart", *_CREW),
    _t("arrive", {S.EN_ROUTE}, S.ON_SITE, "field.arrive", *_CREW),
    _t("start_work", {S.ON_SITE}, S.WORKING, "field.start_work", *_CREW),
    _t("finish_work", {S.WORKING}, S.WORK_DONE, "field.finish_work", *_CREW),
    _t("cannot_fix", {S.ON_SITE, S.WORKING}, S.WORK_DONE, "field.cannot_fix_on_site", *_CREW),
    _t("leave_site", {S.WORK_DONE}, S.RETURNING, "field.leave_site", *_CREW),
    _t(
        "left_without_call",
        {S.WORK_DONE},
        S.RETURNING,
        "field.record_left_without_call",
        Role.SUPERVISOR,
    ),
    _t("return", {S.RETURNING}, S.RETURNED, "field.return_to_base", *_CREW),
    _t("close", {S.RETURNED}, S.CLOSED, "field.close_field_job", Role.SUPERVISOR),
    _t(
        "cancel",
        {S.REGISTERED, S.DISPATCHED},
        S.CANCELLED,
        "field.cancel_field_job",
        Role.SUPERVISOR,
    ),
)

FINAL_STATES = frozenset({S.CLOSED, S.CANCELLED})
#: States in which people are out (the supervisor's "out now" list).
OUT_STATES = (S.DISPATCHED, S.EN_ROUTE, S.ON_SITE, S.WORKING, S.WORK_DONE, S.RETURNING)
_BY_ACTION = {t.action: t for t in TRANSITIONS}


def kind_label(kind: str) -> str:
    """The kind of field job in words (the context stays "Field", as the forms had it)."""
    labels = {
        "breakdown": translate("Field", "Breakdown on the road (rescue)"),
        "fleet_visit": translate("Field", "Fleet visit"),
        "mobile_service": translate("Field", "Mobile service visit"),
    }
    return labels.get(kind, kind)


def state_label(state: FieldState | str) -> str:
    labels = {
        S.REGISTERED: translate("FieldState", "Waiting for dispatch"),
        S.DISPATCHED: translate("FieldState", "Dispatched"),
        S.EN_ROUTE: translate("FieldState", "On the way"),
        S.ON_SITE: translate("FieldState", "On site"),
        S.WORKING: translate("FieldState", "Working on site"),
        S.WORK_DONE: translate("FieldState", "Work finished"),
        S.RETURNING: translate("FieldState", "Returning"),
        S.RETURNED: translate("FieldState", "Back at the shop"),
        S.CLOSED: translate("FieldState", "Closed"),
        S.CANCELLED: translate("FieldState", "Cancelled"),
    }
    return labels[FieldState(state)]


def action_label(action: str) -> str:
    labels = {
        "dispatch": translate("FieldAction", "dispatch"),
        "depart": translate("FieldAction", "record the departure"),
        "arrive": translate("FieldAction", "record the arrival"),
        "start_work": translate("FieldAction", "start the work"),
        "finish_work": translate("FieldAction", "finish the work"),
        "cannot_fix": translate("FieldAction", "record that the car cannot be fixed on site"),
        "leave_site": translate("FieldAction", "leave the site"),
        "left_without_call": translate("FieldAction", "record leaving without calling"),
        "return": translate("FieldAction", "record the return"),
        "close": translate("FieldAction", "close the field job"),
        "cancel": translate("FieldAction", "cancel the field job"),
    }
    return labels.get(action, action)


def allowed_actions(state: FieldState | str) -> list[str]:
    return [t.action for t in moves_from(TRANSITIONS, FieldState(state))]


def movers(state: FieldState | str) -> dict[str, frozenset[Role]]:
    """Who moves a field job on from ``state``: action → the roles that may make it."""
    return {t.action: t.roles for t in moves_from(TRANSITIONS, FieldState(state))}


def target_state(state: FieldState | str, action: str) -> FieldState:
    """The state after ``action`` from ``state``, or TransitionRefused saying why not."""
    transition = _BY_ACTION[action]
    current = FieldState(state)
    if current in transition.sources:
        return transition.target
    allowed = " / ".join(state_label(s) for s in FieldState if s in transition.sources)
    raise TransitionRefused(
        translate(
            "FieldState",
            "Cannot {action}: the field job is {state}; this is possible only when it is "
            "{allowed}.",
        ).format(action=action_label(action), state=state_label(current), allowed=allowed)
    )
