"""The accessory counter desk (配件零售): a tab widget that composes the Sale tab
(:mod:`~shop_desk.ui.counter.tab_sale`), Exchanges & returns
(:mod:`~shop_desk.ui.counter.tab_returns`) and Sent in for repair
(:mod:`~shop_desk.ui.counter.tab_sent_in`); the case steps both of the latter show are
:mod:`~shop_desk.ui.counter.case_actions`. Importing this module registers the page;
its screenshots are staged in :mod:`shop_desk.ui.shots.counter`."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QTabWidget, QWidget

from shop_desk.counter_states import COUNTER_ROLES
from shop_desk.i18n import translate
from shop_desk.ui.counter.tab_returns import ReturnsTab
from shop_desk.ui.counter.tab_sale import SaleTab
from shop_desk.ui.counter.tab_sent_in import SentInTab
from shop_desk.ui.shell.main_window import register_page

if TYPE_CHECKING:
    from shop_desk.ui.shell.main_window import MainWindow


class CounterPage(QTabWidget):
    """The counter's three tabs."""

    TABS = ("sale", "returns", "sent_in")

    def __init__(self, window: MainWindow) -> None:
        super().__init__()
        self.setObjectName("counterPage")
        self.setDocumentMode(True)
        self.tabs: dict[str, QWidget] = {
            "sale": SaleTab(window),
            "returns": ReturnsTab(window),
            "sent_in": SentInTab(window),
        }
        titles = {
            "sale": translate("CounterUi", "Sale"),
            "returns": translate("CounterUi", "Exchanges & returns"),
            "sent_in": translate("CounterUi", "Sent in for repair"),
        }
        for key in self.TABS:
            self.addTab(self.tabs[key], titles[key].replace("&", "&&"))  # "&" is not a mnemonic
        self.currentChanged.connect(lambda _index: self.refresh())

    def show_tab(self, key: str) -> QWidget:
        self.setCurrentIndex(self.TABS.index(key))
        return self.tabs[key]

    def screenshot_views(self) -> list[tuple[str, Callable[[], object]]]:
        return [(key, lambda key=key: self.show_tab(key)) for key in self.TABS]

    def refresh(self) -> None:
        widget = self.currentWidget()
        if hasattr(widget, "refresh"):
            widget.refresh()


register_page(
    "counter",
    lambda: translate("CounterUi", "Accessory counter"),
    COUNTER_ROLES,
    CounterPage,
    order=35,
)
