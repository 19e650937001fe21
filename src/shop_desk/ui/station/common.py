"""What the station page's parts and dialogs share: the page as their tabs and action bar see
it (:class:`StationHost`), the base of a detail tab, the touch style, big buttons, and the
station's tables (set up, fitted, a row selected); the print preview when it is there."""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHeaderView,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from shop_desk.i18n import translate
from shop_desk.models import RepairOrder, Staff
from shop_desk.ui.shell.models import Column, RowTableModel
from shop_desk.ui.station import reads

#: Bigger targets for a workshop tablet or a PC used with gloves on.
TOUCH_STYLE = """
QPushButton { min-height: 38px; padding: 4px 14px; }
QPushButton[primary="true"] {
    background-color: #1f5fbf; color: white; border: 1px solid #174a94;
    border-radius: 4px; font-weight: bold;
}
QPushButton[primary="true"]:disabled { background-color: #9db3d6; border-color: #9db3d6; }
QPushButton[danger="true"] {
    background-color: #fbeceb; color: #8a1c12; border: 1px solid #e3a39c; border-radius: 4px;
}
QPushButton:checked {
    background-color: #1f5fbf; color: white; border: 1px solid #174a94; border-radius: 4px;
}
QCheckBox, QRadioButton { spacing: 10px; min-height: 30px; }
QListWidget::item { min-height: 30px; }
QCheckBox::indicator, QRadioButton::indicator { width: 22px; height: 22px; }
"""


def set_flag(button: QPushButton, name: str, on: bool) -> None:
    """Set a style flag (primary / danger) and re-polish so the look follows at once."""
    if bool(button.property(name)) == on:
        return
    button.setProperty(name, on)
    button.style().unpolish(button)
    button.style().polish(button)


def big_button(text: str, parent: QWidget, name: str, primary: bool = False) -> QPushButton:
    button = QPushButton(text, parent)
    button.setObjectName(name)
    button.setAutoDefault(False)
    button.setMinimumHeight(44)
    if primary:
        set_flag(button, "primary", True)
    return button


def setup_table(view: QTableView, stretch: int, row_height: int = 36) -> None:
    """A read-only, row-selecting table with rows high enough for a finger."""
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(row_height)
    view.horizontalHeader().setHighlightSections(False)
    view.horizontalHeader().setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    view.setWordWrap(False)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)


#: Rows measured when columns fit their contents (Qt measures up to 1,000 by default).
FIT_ROWS = 60


def fit_table(view: QTableView, stretch: int, limit: int = 320) -> None:
    """Columns fit their contents (capped), the ``stretch`` column takes the rest. The
    widths are measured on the rows in view and a few more, not on every row of a long list."""
    view.horizontalHeader().setResizeContentsPrecision(FIT_ROWS)
    view.resizeColumnsToContents()
    model = view.model()
    for col in range(model.columnCount() if model else 0):
        if col != stretch and view.columnWidth(col) > limit:
            view.setColumnWidth(col, limit)
    view.horizontalHeader().setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)


def print_preview_available() -> bool:
    """The print preview is a separate module; without it the station offers no preview."""
    return importlib.util.find_spec("shop_desk.ui.shell.print_preview") is not None


def show_print_preview(parent: QWidget, kind: str, number: str) -> Any:
    from shop_desk.ui.shell import print_preview

    return print_preview.show_print_preview(parent, kind, number)


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


def slip_columns(
    number: Callable[[], str],
    items: Callable[[], str],
    person: Callable[[], str],
    made: Callable[[], str],
) -> list[Column]:
    """A list of parts slips (:class:`reads.SlipRow`, issue or return slips): the headers
    name what kind, the cells are the same."""
    return [
        Column(number, lambda r: r.number),
        Column(items, lambda r: r.items),
        Column(person, lambda r: r.technician),
        Column(made, lambda r: r.issued_at, display=reads.when),
        Column(
            lambda: translate("Station", "Signed"),
            lambda r: r.signed_at,
            display=lambda v: reads.when(v) if v else translate("Station", "not signed"),
        ),
    ]
