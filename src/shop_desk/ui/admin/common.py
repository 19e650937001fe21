"""What the admin tabs share: the table tab (filter, buttons, inline message, sortable
table), the skills known to the shop and the roles text."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from shop_desk.i18n import translate
from shop_desk.models import LabourOperation, Staff, TeamSkill
from shop_desk.skills import skill_label
from shop_desk.ui.shell.models import Column, RowTableModel, filter_proxy, row_of
from shop_desk.ui.shell.widgets import (
    ErrorBanner,
    allowed,
)

if TYPE_CHECKING:
    from shop_desk.ui.shell.main_window import MainWindow


def skill_code(text: str) -> str:
    """The stored skill for what the user picked or typed (a label or a code)."""
    text = text.strip()
    for code in known_skills():
        if text in (code, skill_label(code)):
            return code
    return text


def known_skills() -> list[str]:
    found = {s.skill for s in TeamSkill.select(TeamSkill.skill).distinct()}
    found |= {op.skill for op in LabourOperation.select(LabourOperation.skill).distinct()}
    return sorted(found | {"mechanical", "electrical", "chassis", "body"})


# --- shared table page ---------------------------------------------------------------------


class TableTab(QWidget):
    """Filter box, buttons, inline message and a sortable table; subclasses fill the rows."""

    def __init__(
        self,
        window: MainWindow,
        columns: Sequence[Column],
        is_dimmed: Callable[[Any], bool] | None = None,
        stretch_column: int = 1,
    ) -> None:
        super().__init__()
        self.window_ = window
        self.stretch_column = stretch_column
        layout = QVBoxLayout(self)
        self.top = QHBoxLayout()
        self.filter_edit = QLineEdit(self)
        self.filter_edit.setObjectName("filterEdit")
        self.filter_edit.setPlaceholderText(translate("AdminPages", "Filter…"))
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setMaximumWidth(320)
        self.top.addWidget(self.filter_edit)
        self.count_label = QLabel(self)
        self.count_label.setStyleSheet("color: #666;")
        self.top.addWidget(self.count_label)
        self.top.addStretch(1)
        layout.addLayout(self.top)
        self.banner = ErrorBanner(self)
        self.banner.setObjectName("banner")
        layout.addWidget(self.banner)
        self.model = RowTableModel(columns, self, is_dimmed)
        self.proxy = filter_proxy(self.model, self)
        self.table = QTableView(self)
        self.table.setObjectName("table")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 8)
        self.table.horizontalHeader().setHighlightSections(False)
        self.table.horizontalHeader().setSectionResizeMode(
            stretch_column, QHeaderView.ResizeMode.Stretch
        )
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        layout.addWidget(self.table, 1)
        self.filter_edit.textChanged.connect(self._filter)
        self.table.activated.connect(lambda _index: self.edit_selected())
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self.selection_changed())
        self.setTabOrder(self.filter_edit, self.table)

    @property
    def actor(self) -> Staff:
        return self.window_.staff

    def add_button(
        self,
        text: str,
        slot: Callable[[], None],
        name: str,
        operation: Any = None,
        needs_selection: bool = False,
    ) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.setAutoDefault(False)
        button.clicked.connect(slot)
        button.setProperty("needs_selection", needs_selection)
        if operation is not None and not allowed(self.actor, operation):
            button.setEnabled(False)
            button.setProperty("forbidden", True)
            button.setToolTip(translate("AdminPages", "Your roles do not allow this."))
        self.top.addWidget(button)
        return button

    def read(self) -> list[Any]:  # pragma: no cover - overridden
        raise NotImplementedError

    def refresh(self) -> None:
        """Re-read the rows (keeps the filter, the sort order and the selected row's key)."""
        current = self.selected()
        self.model.set_rows(self.read())
        self.table.resizeColumnsToContents()
        for col in range(self.model.columnCount()):
            if col != self.stretch_column and self.table.columnWidth(col) > 360:
                self.table.setColumnWidth(col, 360)
        if current is not None:
            self.select_where(lambda row: self.key(row) == self.key(current))
        self._update_count()
        self.selection_changed()

    def key(self, row: Any) -> Any:
        return row["id"] if isinstance(row, dict) else row.id

    def select_where(self, predicate: Callable[[Any], bool]) -> bool:
        for r in range(self.proxy.rowCount()):
            index = self.proxy.index(r, 0)
            if predicate(row_of(self.proxy, index)):
                self.table.setCurrentIndex(index)
                self.table.selectRow(r)
                self.table.scrollTo(index)
                return True
        return False

    def selected(self) -> Any:
        return (
            row_of(self.proxy, self.table.currentIndex())
            if self.table.currentIndex().isValid()
            else None
        )

    def _filter(self, text: str) -> None:
        self.proxy.setFilterFixedString(text.strip())
        self._update_count()

    def _update_count(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        text = (
            translate("AdminPages", "{n} entries").format(n=total)
            if shown == total
            else translate("AdminPages", "{shown} of {n} entries").format(shown=shown, n=total)
        )
        self.count_label.setText(text)

    def selection_changed(self) -> None:
        has = self.selected() is not None
        for button in self.findChildren(QPushButton):
            if button.property("needs_selection") and not button.property("forbidden"):
                button.setEnabled(has)

    def edit_selected(self) -> None:
        pass

    def status(self, text: str) -> None:
        self.window_.show_status(text)
