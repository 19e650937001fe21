"""Lists the way every desk shows them: one read-only table set-up, rows coloured by their
state, the selected row and choosing a row again after a re-read, and times as staff read
them. The desks' own ``common`` modules pick their defaults and call these."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

from shop_desk.ui.shell.models import Column, RowTableModel, filter_proxy, row_of

#: Row colours: (foreground, background).
RED = ("#8a1c12", "#fdecea")
AMBER = ("#7a4f00", "#fff8e1")
GREEN = ("#1d5a2b", "#e8f4ea")
GREY = ("#8a8a8a", None)

Colour = tuple[str | None, str | None] | None


class ColouredModel(RowTableModel):
    """A row table whose ``colour(row)`` returns (foreground, background) or None."""

    def __init__(
        self,
        columns: Sequence[Column],
        parent: Any = None,
        colour: Callable[[Any], Colour] | None = None,
    ) -> None:
        super().__init__(columns, parent)
        self.colour = colour

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            index.isValid()
            and self.colour is not None
            and role in (Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.BackgroundRole)
        ):
            pair = self.colour(self.rows[index.row()])
            if pair is None:
                return None
            value = pair[0] if role == Qt.ItemDataRole.ForegroundRole else pair[1]
            return QColor(value) if value else None
        return super().data(index, role)

    def repaint(self) -> None:
        """Colours depend on the clock: ask the views to draw again."""
        if self.rows:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self.rows) - 1, len(self.columns) - 1)
            )


def setup_table(
    view: QTableView,
    model: RowTableModel,
    stretch: int | None = None,
    *,
    sorting: bool = False,
    alternate: bool = True,
    row_padding: int = 8,
    resize_mode: QHeaderView.ResizeMode = QHeaderView.ResizeMode.Interactive,
) -> QSortFilterProxyModel:
    """A read-only list with one row selected, filterable through the returned proxy;
    ``stretch`` is the column that takes the spare width (the last one when None)."""
    proxy = filter_proxy(model, view)
    view.setModel(proxy)
    view.setSortingEnabled(sorting)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(alternate)
    view.setWordWrap(False)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + row_padding)
    header = view.horizontalHeader()
    header.setHighlightSections(False)
    header.setSectionResizeMode(resize_mode)
    if stretch is not None:
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    else:
        header.setStretchLastSection(True)
    return proxy


def selected_row(view: QTableView) -> Any:
    """The source row of the current index of a view showing a proxy (None if nothing)."""
    proxy = view.model()
    index = view.currentIndex()
    if not index.isValid() or not isinstance(proxy, QSortFilterProxyModel):
        return None
    return row_of(proxy, index)


def select_where(view: QTableView, predicate: Callable[[Any], bool]) -> bool:
    """Make the first row for which ``predicate(row)`` holds current; False if none."""
    proxy = view.model()
    for r in range(proxy.rowCount()):
        index = proxy.index(r, 0)
        if predicate(row_of(proxy, index)):
            view.setCurrentIndex(index)
            view.selectRow(r)
            view.scrollTo(index)
            return True
    return False


def when(value: dt.datetime | dt.date | None) -> str:
    """A time as staff read it on screens ('2026-11-02 09:00', or the day alone), empty for
    None."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return value.isoformat()
