"""After-care and management areas (PROCESS.md §9 and the rules from the other parts of the
source): Follow-up, Complaints & calls, Warranty, Approvals and the Monthly report.

Importing this module registers the pages with the main window (their screenshots are staged
in :mod:`shop_desk.ui.shots.aftercare`). The pages themselves live in
:mod:`~shop_desk.ui.aftercare.followup`,
:mod:`~shop_desk.ui.aftercare.complaints`, :mod:`~shop_desk.ui.aftercare.warranty`,
:mod:`~shop_desk.ui.aftercare.approvals` and :mod:`~shop_desk.ui.aftercare.report`.
"""

from __future__ import annotations

from shop_desk.i18n import translate
from shop_desk.roles import Role
from shop_desk.ui.aftercare.approvals import ApprovalsPage, pin_alerts_badge
from shop_desk.ui.aftercare.complaints import ComplaintsPage
from shop_desk.ui.aftercare.followup import FollowUpPage
from shop_desk.ui.aftercare.report import ReportPage
from shop_desk.ui.aftercare.warranty import WarrantyPage
from shop_desk.ui.shell.main_window import register_badge, register_page

__all__ = [
    "ApprovalsPage",
    "ComplaintsPage",
    "FollowUpPage",
    "ReportPage",
    "WarrantyPage",
]


register_page(
    "follow_up",
    lambda: translate("AftercareUi", "Follow-up"),
    (Role.CRM_CLERK, Role.ADVISOR, Role.MANAGER),
    FollowUpPage,
)
register_page(
    "complaints",
    lambda: translate("AftercareUi", "Complaints & calls"),
    (Role.CRM_CLERK, Role.ADVISOR, Role.MANAGER),
    ComplaintsPage,
    order=41,
)
register_page(
    "warranty",
    lambda: translate("AftercareUi", "Warranty"),
    (Role.ADVISOR, Role.MANAGER),
    WarrantyPage,
    order=42,
)
# every signed-in person may ask for an approval and sees the answers ("My requests");
# the in-tray tab is the general manager's only
register_page(
    "approvals", lambda: translate("AftercareUi", "Approvals"), (), ApprovalsPage, order=43
)
# repeated wrong PINs alert the managers: counted on the Approvals entry
register_badge("approvals", pin_alerts_badge)
register_page(
    "reports",
    lambda: translate("ReportsUi", "Monthly report"),
    (Role.MANAGER,),
    ReportPage,
    order=44,
)
