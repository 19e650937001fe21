"""Qt table models over plain rows (dicts or objects), with a search-as-you-type proxy.

Pages read their rows with a read function, hand them to :class:`RowTableModel` and show
them through :func:`filter_proxy` so a filter box and header sorting work without SQL.
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


class RowTableModel(QAbstractTableModel):
    """A read-only table of rows; ``is_dimmed(row)`` greys out e.g. inactive entries."""

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

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

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


def filter_proxy(model: RowTableModel, parent: QObject | None = None) -> QSortFilterProxyModel:
    """Case-insensitive substring filter over all columns; sorting by the real values."""
    proxy = QSortFilterProxyModel(parent)
    proxy.setSourceModel(model)
    proxy.setFilterKeyColumn(-1)
    proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    proxy.setSortRole(SORT_ROLE)
    return proxy


def row_of(proxy: QSortFilterProxyModel, index: QModelIndex) -> Any:
    """The source row behind a proxy index (None for an invalid one)."""
    if not index.isValid():
        return None
    source = proxy.mapToSource(index)
    model = proxy.sourceModel()
    return model.row_at(source.row()) if isinstance(model, RowTableModel) else None
