"""Qt table models over plain rows (dicts or objects), with a search-as-you-type proxy.

Pages read their rows with a read function, hand them to :class:`RowTableModel` and show
them through :func:`filter_proxy` so a filter box and header sorting work without SQL.

Sorting and filtering are done on the Python rows (a sort key and a search text per row,
computed once), not by Qt asking ``data()`` per comparison and per cell: a list of ten
thousand service reminders sorts and filters at once instead of freezing the window.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QColor

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
ROW_ROLE = Qt.ItemDataRole.UserRole + 2


@dataclass(frozen=True)
class Column:
    """One column: a translated header (called when shown) and how to get the cell."""

    header: Callable[[], str]
    value: Callable[[Any], Any]
    display: Callable[[Any], str] | None = None
    align_right: bool = False


def _display(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        from shop_desk.i18n import translate

        return translate("Models", "Yes") if value else translate("Models", "No")
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    return str(value)


def _sort_key(value: Any) -> Any:
    """Something QVariant compares correctly: Decimals as exact hundredths, dates as text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, Decimal):
        return int((value * 100).to_integral_value())
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, int):
        return value
    return str(value).casefold()


def _ordered(key: Any) -> tuple[int, Any]:
    """A :func:`_sort_key` that Python can compare with any other: empty cells first, then
    numbers, then text."""
    if key == "":
        return (0, 0)
    return (1, key) if isinstance(key, int) else (2, key)


class RowTableModel(QAbstractTableModel):
    """A read-only table of rows; ``is_dimmed(row)`` greys out e.g. inactive entries.

    Keeps its rows in the order last asked for by :meth:`sort_rows` (new rows too)."""

    def __init__(
        self,
        columns: Sequence[Column],
        parent: QObject | None = None,
        is_dimmed: Callable[[Any], bool] | None = None,
    ) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self.rows: list[Any] = []
        self.is_dimmed = is_dimmed
        self.sorted_by: tuple[int, Qt.SortOrder] | None = None
        self._texts: dict[int, str] = {}  # row position -> its cells' text, casefolded
        self.dataChanged.connect(lambda *_: self._texts.clear())

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self.rows = self._in_order(list(rows))
        self._texts.clear()
        self.endResetModel()

    def _in_order(self, rows: list[Any]) -> list[Any]:
        if self.sorted_by is None or not 0 <= self.sorted_by[0] < len(self.columns):
            return rows
        column, order = self.sorted_by
        value = self.columns[column].value
        return sorted(
            rows,
            key=lambda r: _ordered(_sort_key(value(r))),
            reverse=order == Qt.SortOrder.DescendingOrder,
        )

    def sort_rows(self, column: int, order: Qt.SortOrder) -> None:
        """Reorder the rows by ``column``; selections follow their rows."""
        self.sorted_by = (column, order)
        self.layoutAboutToBeChanged.emit()
        positions = {id(r): i for i, r in enumerate(self.rows)}
        self.rows = self._in_order(self.rows)
        moved = {positions[id(r)]: i for i, r in enumerate(self.rows)}
        old = self.persistentIndexList()
        self.changePersistentIndexList(old, [self.index(moved[i.row()], i.column()) for i in old])
        self._texts.clear()
        self.layoutChanged.emit()

    def row_text(self, row: int) -> str:
        """All cells of a row as one casefolded text, for the filter box."""
        text = self._texts.get(row)
        if text is None:
            item = self.rows[row]
            cells = []
            for column in self.columns:
                value = column.value(item)
                cells.append(column.display(value) if column.display else _display(value))
            text = self._texts[row] = _searchable("\x1f".join(cells))
        return text

    def row_at(self, row: int) -> Any:
        return self.rows[row]

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section].header()
        return None

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        column = self.columns[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            value = column.value(row)
            return column.display(value) if column.display else _display(value)
        if role == SORT_ROLE:
            return _sort_key(column.value(row))
        if role == ROW_ROLE:
            return row
        if role == Qt.ItemDataRole.TextAlignmentRole and column.align_right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and self.is_dimmed and self.is_dimmed(row):
            return QColor("#8a8a8a")
        return None


def _searchable(text: str) -> str:
    """Text as the filter box compares it: casefolded, without the plate's middle dot, so
    粤B12345 typed finds 粤B·12345 shown."""
    return text.casefold().replace("·", "")


class RowsProxy(QSortFilterProxyModel):
    """The view's model over a :class:`RowTableModel`: a header click sorts the source's rows
    (see :meth:`RowTableModel.sort_rows`) and the filter box keeps the rows whose cells
    contain the text, case-insensitive."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.needle = ""

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        source = self.sourceModel()
        if isinstance(source, RowTableModel) and column >= 0:
            source.sort_rows(column, order)

    def setFilterFixedString(self, text: str) -> None:  # noqa: N802 (Qt's name)
        self.beginFilterChange()
        self.needle = _searchable(text)
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(  # noqa: N802 (Qt's name)
        self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex
    ) -> bool:
        source = self.sourceModel()
        if not self.needle or not isinstance(source, RowTableModel):
            return True
        return self.needle in source.row_text(source_row)


def filter_proxy(model: RowTableModel, parent: QObject | None = None) -> QSortFilterProxyModel:
    """Case-insensitive substring filter over all columns; sorting by the real values."""
    proxy = RowsProxy(parent)
    proxy.setSourceModel(model)
    return proxy


def row_of(proxy: QSortFilterProxyModel, index: QModelIndex) -> Any:
    """The source row behind a proxy index (None for an invalid one)."""
    if not index.isValid():
        return None
    source = proxy.mapToSource(index)
    model = proxy.sourceModel()
    return model.row_at(source.row()) if isinstance(model, RowTableModel) else None
