"""What the counter's tabs share: their tables, labels and running a service with its refusal
shown inline."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QSizePolicy,
    QTableView,
    QWidget,
)

from shop_desk.errors import DomainError
from shop_desk.printing import labels
from shop_desk.ui.shell.models import Column, RowTableModel
from shop_desk.ui.shell.tables import select_where, setup_table  # noqa: F401 - the tabs' names
from shop_desk.ui.shell.tables import selected_row as selected  # noqa: F401
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
    setup_table(view, model, stretch, resize_mode=QHeaderView.ResizeMode.ResizeToContents)
    return view, model


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
