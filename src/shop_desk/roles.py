"""Staff roles (PROCESS.md's role table); one person may hold several."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from shop_desk.i18n import current_language, translate


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


#: Each role code's place in the order of :class:`Role`.
_ORDER = {r.value: n for n, r in enumerate(Role)}
#: The role labels of each language, translated at their first use in it: a list of staff
#: names every role once per person (the login window, before anything else, issue 24).
_LABELS: dict[str, dict[str, str]] = {}


def role_order(codes: Iterable[str]) -> list[str]:
    """Role codes in the order of :class:`Role` (codes it does not know last)."""
    return sorted(codes, key=lambda c: _ORDER.get(c, 99))


def is_role(code: str) -> bool:
    return code in _ORDER


def _labels() -> dict[str, str]:
    language = current_language()
    labels = _LABELS.get(language)
    if labels is None:
        labels = _LABELS[language] = {
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
    return labels


def role_label(role: Role | str) -> str:
    """The role's name in the current language (ValueError for a code that is no role)."""
    label = _labels().get(role)
    return label if label is not None else _labels()[Role(role)]
