"""What the counter's tabs share: their tables, labels and running a service with its refusal
shown inline."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QSizePolicy,
    QTableView,
    QWidget,
)

from shop_desk.errors import DomainError
from shop_desk.printing import labels
from shop_desk.ui.shell.models import Column, RowTableModel, filter_proxy, row_of
from shop_desk.ui.shell.widgets import ErrorBanner


def method_label(code: str) -> str:
    return labels.payment_method(code)


def make_table(
    parent: QWidget,
    name: str,
    columns: Sequence[Column],
    stretch: int,
    model_class: type[RowTableModel] = RowTableModel,
) -> tuple[QTableView, RowTableModel]:
    """A read-only, one-row-selected table over a row model (sortable, filterable proxy)."""
    model = model_class(columns, parent)
    view = QTableView(parent)
    view.setObjectName(name)
    view.setModel(filter_proxy(model, view))
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 8)
    header = view.horizontalHeader()
    header.setHighlightSections(False)
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return view, model


def selected(view: QTableView) -> Any:
    index = view.currentIndex()
    return row_of(view.model(), index) if index.isValid() else None


def select_where(view: QTableView, predicate: Callable[[Any], bool]) -> bool:
    model = view.model()
    for r in range(model.rowCount()):
        index = model.index(r, 0)
        if predicate(row_of(model, index)):
            view.setCurrentIndex(index)
            view.selectRow(r)
            return True
    return False


def run(banner: ErrorBanner, action: Callable[[], Any]) -> Any:
    """Run a service call; a refusal is shown in ``banner`` (and None returned)."""
    try:
        return action()
    except DomainError as exc:
        banner.show_error(exc.message)
        return None


def right_aligned(column: Column) -> Column:
    return Column(column.header, column.value, column.display, align_right=True)


def text_label(parent: QWidget, name: str, lines: int) -> QLabel:
    """A wrapped label that keeps room for ``lines`` lines of words beside stretching tables."""
    label = QLabel(parent)
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
    label.setMinimumHeight(label.fontMetrics().lineSpacing() * lines + 4)
    return label
