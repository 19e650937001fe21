"""The field-service desk (外出服务): a tab widget built from :data:`FIELD_TABS`. Each entry
names its title, the roles that see it and a factory ``(staff, parent) -> QWidget``; each
tab is a widget in its own module with a ``refresh()`` method, and a person sees only the
tabs of their roles. No tab imports the page."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QLabel, QTabWidget, QVBoxLayout, QWidget

from shop_desk.i18n import translate
from shop_desk.models import Staff
from shop_desk.roles import Role
from shop_desk.ui.field.tab_calls import CallsTab
from shop_desk.ui.field.tab_close import CloseTab
from shop_desk.ui.field.tab_expenses import ExpensesTab
from shop_desk.ui.field.tab_field_parts import FieldPartsTab
from shop_desk.ui.field.tab_key_customers import KeyCustomersTab
from shop_desk.ui.field.tab_out import OutTab
from shop_desk.ui.field.tab_penalties import PenaltiesTab
from shop_desk.ui.shell.widgets import app_settings

if TYPE_CHECKING:
    from shop_desk.ui.shell.main_window import MainWindow


@dataclass(frozen=True)
class FieldTab:
    """One tab of the desk: ``key`` (remembered, screenshots), its translated ``title``,
    the ``roles`` that see it and ``factory(staff, parent)`` that builds it."""

    key: str
    title: Callable[[], str]
    roles: frozenset[str]
    factory: Callable[[Staff, QWidget], QWidget]

    def visible_to(self, roles: Iterable[str]) -> bool:
        return bool(self.roles & set(roles))


def _roles(*roles: Role) -> frozenset[str]:
    return frozenset(r.value for r in roles)


_DESK = (Role.SUPERVISOR, Role.MANAGER, Role.ADVISOR, Role.CRM_CLERK)

#: The desk's tabs, in the order shown.
FIELD_TABS: list[FieldTab] = [
    FieldTab("calls", lambda: translate("FieldUi", "Calls"), _roles(*_DESK), CallsTab),
    FieldTab("out", lambda: translate("FieldUi", "Out now"), _roles(*_DESK), OutTab),
    FieldTab(
        "close",
        lambda: translate("FieldUi", "To close"),
        _roles(Role.SUPERVISOR, Role.MANAGER, Role.ADVISOR),
        CloseTab,
    ),
    FieldTab(
        "field_parts",
        lambda: translate("FieldUi", "Field parts"),
        _roles(Role.PARTS_CLERK, Role.SUPERVISOR),
        FieldPartsTab,
    ),
    FieldTab(
        "expenses",
        lambda: translate("FieldUi", "Expense claims"),
        _roles(Role.SUPERVISOR, Role.CASHIER, Role.MANAGER),
        ExpensesTab,
    ),
    FieldTab(
        "penalties",
        lambda: translate("FieldUi", "Penalties"),
        _roles(Role.SUPERVISOR, Role.MANAGER),
        PenaltiesTab,
    ),
    FieldTab(
        "key_customers",
        lambda: translate("FieldUi", "Key customers"),
        _roles(Role.SUPERVISOR, Role.MANAGER, Role.CRM_CLERK),
        KeyCustomersTab,
    ),
]


def tabs_for(staff: Staff) -> list[FieldTab]:
    """The tabs this person sees."""
    roles = staff.role_set()
    return [t for t in FIELD_TABS if t.visible_to(roles)]


class FieldPage(QWidget):
    """The field-service desk of the signed-in person: only the tabs of their roles."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__()
        self.setObjectName("fieldPage")
        self.window_ = window
        self.staff = window.staff
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("fieldTabs")
        self.tabs.setDocumentMode(True)
        layout.addWidget(self.tabs)
        self.specs = tabs_for(self.staff)
        self.widgets: dict[str, QWidget] = {}
        for spec in self.specs:
            widget = spec.factory(self.staff, self.tabs)
            self.widgets[spec.key] = widget
            self.tabs.addTab(widget, spec.title())
            changed = getattr(widget, "changed", None)
            if changed is not None:
                changed.connect(self._refresh_others)
        self.empty = QLabel(
            translate("FieldUi", "The field-service desk has no tab for your roles."), self
        )
        self.empty.setObjectName("emptyLabel")
        self.empty.setVisible(not self.specs)
        layout.addWidget(self.empty)
        last = app_settings().value("field/tab", "", str)
        if last in self.widgets:
            self.tabs.setCurrentWidget(self.widgets[last])
        self.tabs.currentChanged.connect(self._changed)

    def tab_keys(self) -> list[str]:
        return [s.key for s in self.specs]

    def tab(self, key: str) -> QWidget:
        return self.widgets[key]

    def show_tab(self, key: str) -> QWidget:
        widget = self.widgets[key]
        self.tabs.setCurrentWidget(widget)
        return widget

    def _changed(self, index: int) -> None:
        if 0 <= index < len(self.specs):
            key = self.specs[index].key
            app_settings().setValue("field/tab", key)
            self.widgets[key].refresh()

    def _refresh_others(self) -> None:
        """A job moved on in one tab: the others read again (it may have moved to them)."""
        sender = self.sender()
        for widget in self.widgets.values():
            if widget is not sender:
                widget.refresh()

    def refresh(self) -> None:
        widget = self.tabs.currentWidget()
        if widget is not None and hasattr(widget, "refresh"):
            widget.refresh()

    def screenshot_views(self) -> list[tuple[str, Callable[[], object]]]:
        """One screenshot per tab (see shop_desk.ui.shots.screenshots)."""
        return [(key, lambda key=key: self.show_tab(key)) for key in self.tab_keys()]
