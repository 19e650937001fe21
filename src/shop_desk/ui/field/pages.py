"""Registers the field-service desk (外出服务) with the main window: the supervisor's calls,
jobs out now and jobs to close (:mod:`shop_desk.ui.field.page`); its screenshots are staged
in :mod:`shop_desk.ui.shots.field`."""

from __future__ import annotations

from shop_desk.i18n import translate
from shop_desk.models import Staff
from shop_desk.roles import Role
from shop_desk.services import field
from shop_desk.ui.field.page import FIELD_TABS, FieldPage
from shop_desk.ui.shell.main_window import register_badge, register_page
from shop_desk.ui.shell.widgets import allowed

__all__ = ["FIELD_TABS", "FieldPage", "calls_badge"]


def calls_badge(staff: Staff) -> tuple[int, str]:
    """Calls waiting for dispatch, for whoever dispatches (the rulebook: a call that needs
    work goes at once to the supervisor): the count and the newest one's words."""
    if not allowed(staff, field.dispatch_field_job):
        return 0, ""
    waiting = field.waiting_for_dispatch()
    if not waiting:
        return 0, ""
    newest = max(waiting, key=lambda j: (j.registered_at, j.id))
    return len(waiting), translate(
        "FieldUi", "field job {number} waits for dispatch: {place}"
    ).format(number=newest.number, place=newest.place)


register_page(
    "field",
    lambda: translate("FieldUi", "Field service"),
    (
        Role.SUPERVISOR,
        Role.MANAGER,
        Role.ADVISOR,
        Role.CRM_CLERK,
        Role.PARTS_CLERK,
        Role.CASHIER,
    ),
    FieldPage,
    order=35,
)
# a call that needs work goes at once to the supervisor: counted on the desk's entry
register_badge("field", calls_badge)
