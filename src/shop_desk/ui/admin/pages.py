"""Admin area: shop settings, staff and roles, teams, labour-operation and parts catalogues.

The page is a tab widget that composes one widget per tab, each in its own module:
:mod:`~shop_desk.ui.admin.tab_settings`, :mod:`~shop_desk.ui.admin.tab_staff`,
:mod:`~shop_desk.ui.admin.tab_teams`, :mod:`~shop_desk.ui.admin.tab_catalogues` (labour
operations and parts, with CSV import), :mod:`~shop_desk.ui.admin.tab_counter_policy` (the
accessory counter's warranty exclusions), :mod:`~shop_desk.ui.admin.tab_warranty` (the
warranty policies per item category), :mod:`~shop_desk.ui.admin.tab_import` (moving in from
an old system) and :mod:`~shop_desk.ui.admin.backups`; the table tabs
share :class:`~shop_desk.ui.admin.common.TableTab`. No tab imports the page.

Every change goes through :mod:`shop_desk.services.admin`; a refusal (DomainError) is shown
inline and the user's input stays. Buttons a role may not use are disabled (the service
would refuse anyway).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QTabWidget, QWidget

from shop_desk.i18n import translate
from shop_desk.roles import Role
from shop_desk.ui.admin.backups import BackupsTab
from shop_desk.ui.admin.tab_catalogues import LabourTab, PartsTab
from shop_desk.ui.admin.tab_counter_policy import CounterPolicyTab
from shop_desk.ui.admin.tab_import import ImportTab
from shop_desk.ui.admin.tab_insurers import InsurersTab
from shop_desk.ui.admin.tab_settings import SettingsTab
from shop_desk.ui.admin.tab_staff import StaffTab
from shop_desk.ui.admin.tab_teams import TeamsTab
from shop_desk.ui.admin.tab_warranty import WarrantyTermsTab
from shop_desk.ui.shell.main_window import register_page
from shop_desk.ui.shell.widgets import app_settings

if TYPE_CHECKING:
    from shop_desk.ui.shell.main_window import MainWindow


# --- the page ------------------------------------------------------------------------------


class AdminPage(QTabWidget):
    """The Admin area: one tab per kind of master data."""

    TABS = (
        "settings",
        "staff",
        "teams",
        "labour",
        "parts",
        "counter_policy",
        "insurers",
        "warranty_terms",
        "import",
        "backups",
    )

    def __init__(self, window: MainWindow) -> None:
        super().__init__()
        self.setObjectName("adminPage")
        self.setDocumentMode(True)
        self.tabs: dict[str, QWidget] = {
            "settings": SettingsTab(window),
            "staff": StaffTab(window),
            "teams": TeamsTab(window),
            "labour": LabourTab(window),
            "parts": PartsTab(window),
            "counter_policy": CounterPolicyTab(window),
            "insurers": InsurersTab(window),
            "warranty_terms": WarrantyTermsTab(window),
            "import": ImportTab(window),
            "backups": BackupsTab(window),
        }
        titles = {
            "settings": translate("AdminPages", "Shop settings"),
            "staff": translate("AdminPages", "Staff and roles"),
            "teams": translate("AdminPages", "Teams"),
            "labour": translate("AdminPages", "Labour operations"),
            "parts": translate("AdminPages", "Parts"),
            "counter_policy": translate("AdminPages", "Counter warranty"),
            "insurers": translate("AdminPages", "Insurers"),
            "warranty_terms": translate("AdminPages", "Warranty terms"),
            "import": translate("AdminPages", "Import"),
            "backups": translate("AdminPages", "Backups"),
        }
        for key in self.TABS:
            self.addTab(self.tabs[key], titles[key])
        last = app_settings().value("admin/tab", "", str)
        if last in self.TABS:
            self.setCurrentIndex(self.TABS.index(last))
        self.currentChanged.connect(self._changed)

    def tab(self, key: str) -> QWidget:
        return self.tabs[key]

    def screenshot_views(self) -> list[tuple[str, Callable[[], object]]]:
        """One screenshot per tab (see shop_desk.ui.shots.screenshots)."""
        return [(key, lambda key=key: self.show_tab(key)) for key in self.TABS]

    def show_tab(self, key: str) -> QWidget:
        self.setCurrentIndex(self.TABS.index(key))
        return self.tabs[key]

    def _changed(self, index: int) -> None:
        key = self.TABS[index]
        app_settings().setValue("admin/tab", key)
        widget = self.tabs[key]
        if hasattr(widget, "refresh") and not isinstance(widget, SettingsTab):
            widget.refresh()

    def refresh(self) -> None:
        widget = self.currentWidget()
        if hasattr(widget, "refresh"):
            widget.refresh()


register_page(
    "admin", lambda: translate("AdminPages", "Admin"), (Role.ADMIN, Role.MANAGER), AdminPage
)
