"""Staff roles (PROCESS.md's role table); one person may hold several."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from shop_desk.i18n import translate


class Role(StrEnum):
    ADVISOR = "advisor"
    SUPERVISOR = "supervisor"
    TEAM_LEADER = "team_leader"
    TECHNICIAN = "technician"
    INSPECTOR = "inspector"
    WASHER = "washer"
    PARTS_CLERK = "parts_clerk"
    CASHIER = "cashier"
    CRM_CLERK = "crm_clerk"
    MANAGER = "manager"
    #: Decides approvals besides the general manager (four eyes in a shop with one manager).
    APPROVER = "approver"
    ADMIN = "admin"


def role_order(codes: Iterable[str]) -> list[str]:
    """Role codes in the order of :class:`Role` (codes it does not know last)."""
    order = {r.value: n for n, r in enumerate(Role)}
    return sorted(codes, key=lambda c: order.get(c, 99))


def role_label(role: Role | str) -> str:
    labels = {
        Role.ADVISOR: translate("Roles", "Service advisor"),
        Role.SUPERVISOR: translate("Roles", "Workshop supervisor"),
        Role.TEAM_LEADER: translate("Roles", "Team leader"),
        Role.TECHNICIAN: translate("Roles", "Technician"),
        Role.INSPECTOR: translate("Roles", "QC inspector"),
        Role.WASHER: translate("Roles", "Washer"),
        Role.PARTS_CLERK: translate("Roles", "Parts clerk"),
        Role.CASHIER: translate("Roles", "Cashier"),
        Role.CRM_CLERK: translate("Roles", "Customer-relations clerk"),
        Role.MANAGER: translate("Roles", "General manager"),
        Role.APPROVER: translate("Roles", "Deputy approver"),
        Role.ADMIN: translate("Roles", "Administrator"),
    }
    return labels[Role(role)]
