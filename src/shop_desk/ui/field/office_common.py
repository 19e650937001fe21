"""Pieces the field desk's back-office tabs share (expense claims, penalties, key customers,
field parts): list set-up, the selected row, times and money as the screens show them, and
a receipt photo shown large."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from shop_desk.i18n import translate
from shop_desk.money import fmt
from shop_desk.ui.shell.fit import fit_to_screen
from shop_desk.ui.shell.models import Column, RowTableModel, row_of
from shop_desk.ui.shell.tables import select_where as select_row_where
from shop_desk.ui.shell.tables import selected_row as selected
from shop_desk.ui.shell.tables import setup_table, when  # noqa: F401 - the tabs' names


def money_text(value: Decimal | None) -> str:
    return "" if value is None else fmt(value)


def list_view(
    parent: QWidget,
    name: str,
    columns: Sequence[Column],
    stretch: int | None = None,
    model_type: type[RowTableModel] = RowTableModel,
) -> tuple[QTableView, Any, QSortFilterProxyModel]:
    """A read-only, sortable, one-row-selected list over ``columns`` (shown through a
    ``model_type``, e.g. one that colours its rows)."""
    view = QTableView(parent)
    view.setObjectName(name)
    model = model_type(columns, view)
    proxy = setup_table(view, model, stretch, sorting=True, row_padding=10)
    return view, model, proxy


def fill(view: QTableView, model: RowTableModel, rows: Sequence[Any], key: str = "id") -> None:
    """New rows for a list, the same row selected again when it is still there (else the
    first), columns fitted to their text."""
    current = selected(view)
    keep = getattr(current, key, None) if current is not None else None
    model.set_rows(rows)
    view.resizeColumnsToContents()
    header = view.horizontalHeader()
    for col in range(model.columnCount()):
        if header.sectionResizeMode(col) != QHeaderView.ResizeMode.Stretch:
            view.setColumnWidth(col, min(view.columnWidth(col), 320))
    proxy = view.model()
    target = 0
    for r in range(proxy.rowCount()):
        if keep is not None and getattr(row_of(proxy, proxy.index(r, 0)), key, None) == keep:
            target = r
            break
    if proxy.rowCount():
        view.selectRow(target)
    else:
        view.clearSelection()


def select_where(view: QTableView, key: str, value: Any) -> bool:
    """Make the row whose ``key`` attribute is ``value`` current; False if none."""
    return select_row_where(view, lambda row: getattr(row, key, None) == value)


def photo(data: bytes | None) -> QPixmap:
    """A receipt photo as a pixmap (an empty one when the bytes are not an image)."""
    pixmap = QPixmap()
    if data:
        pixmap.loadFromData(bytes(data))
    return pixmap


class ReceiptDialog(QDialog):
    """A receipt photo at full size (scaled down to the screen when larger)."""

    def __init__(self, title: str, data: bytes, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("receiptDialog")
        self.setWindowTitle(title)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        layout = QVBoxLayout(self)
        image = photo(data)
        self.image_label = QLabel(self)
        self.image_label.setObjectName("receiptImage")
        self.image_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        if image.isNull():
            self.image_label.setText(translate("FieldOffice", "The photo cannot be shown."))
        else:
            self.image_label.setPixmap(image)
        scroll = QScrollArea(self)
        scroll.setWidget(self.image_label)
        scroll.setWidgetResizable(True)
        layout.addWidget(scroll, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(
            translate("FieldOffice", "Close")
        )
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(
            max(360, min(image.width() + 40, 1300)), max(240, min(image.height() + 90, 720))
        )

    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        fit_to_screen(self)
