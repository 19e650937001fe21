"""Registers the field-service desk (外出服务) with the main window: the supervisor's calls,
jobs out now and jobs to close (:mod:`shop_desk.ui.field.page`); its screenshots are staged
in :mod:`shop_desk.ui.shots.field`."""

from __future__ import annotations

from shop_desk.i18n import translate
from shop_desk.roles import Role
from shop_desk.ui.field.page import FIELD_TABS, FieldPage
from shop_desk.ui.shell.main_window import register_page

__all__ = ["FIELD_TABS", "FieldPage"]

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
