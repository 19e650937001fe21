"""What the station page's parts share: the page as their tabs and action bar see it
(:class:`StationHost`), the base of a detail tab, and selecting a row of a tab's table."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtWidgets import QDialog, QTableView, QVBoxLayout, QWidget

from shop_desk.models import RepairOrder, Staff
from shop_desk.ui.shell.models import RowTableModel


class StationHost(Protocol):
    """The page a tab or the action bar works for (they never import the page itself)."""

    order: RepairOrder | None
    auto_preview: bool

    @property
    def staff(self) -> Staff: ...

    def call(self, fn: Callable[..., Any], *args: Any, done: str = "", **kwargs: Any) -> Any:
        """Run a service as the signed-in person; a refusal goes to the banner."""
        ...

    def open_dialog(self, dialog: QDialog, done: Callable[[Any], str]) -> QDialog:
        """Open ``dialog``; when accepted, read everything again and say ``done(dialog)``."""
        ...

    def need_order(self) -> RepairOrder | None:
        """The chosen order read afresh, or None (and the banner says to choose one)."""
        ...

    def show_error(self, text: str) -> None:
        """A refusal or a missing choice, in the banner."""
        ...

    def status(self, text: str) -> None:
        """A line in the main window's status bar."""
        ...


class StationTab(QWidget):
    """A detail tab of the station: it takes over its page of the station form (``body``,
    laid out in ``forms/station_page.ui``) and runs its steps through ``host``."""

    def __init__(self, body: QWidget, host: StationHost) -> None:
        super().__init__()
        self.host = host
        self.body = body
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(body)
        body.show()  # hidden when the tab widget gave it up

    def fill(self, order: RepairOrder) -> None:
        """Show ``order`` (keeps the selected rows where they still exist)."""
        raise NotImplementedError

    def clear(self) -> None:
        """No order chosen: empty tables."""
        raise NotImplementedError


def reselect(view: QTableView, model: RowTableModel, predicate: Callable[[Any], Any]) -> bool:
    """Make the first row of ``model`` that fits ``predicate`` current; False when none does."""
    for r, row in enumerate(model.rows):
        if predicate(row):
            view.setCurrentIndex(model.index(r, 0))
            return True
    return False


def current_row(view: QTableView, model: RowTableModel) -> Any:
    """The row object of the view's current index, or None."""
    index = view.currentIndex()
    return model.row_at(index.row()) if index.isValid() else None
