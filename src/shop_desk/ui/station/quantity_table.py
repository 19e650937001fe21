"""The station dialogs' table of lines with a quantity typed on each (parts issued, parts
returned, a supplier order received): the lines' words read-only, a touch-sized row each,
optionally a tick box in front saying which lines count."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QHeaderView,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from shop_desk.ui.shell.widgets import decimal_edit
from shop_desk.ui.station.dialogs import dec_text


class QuantityTable(QTableWidget):
    """``texts[r]`` are line r's read-only cells and ``quantities[r]`` its quantity at first;
    with ``ticked`` a tick box leads each line (``ticked[r]`` its first state), and with
    ``tick_on_edit`` typing a quantity ticks the line. The first column of words stretches.

    ``checks`` and ``edits`` hold each line's tick box (when ticked) and quantity box."""

    def __init__(
        self,
        parent: QWidget,
        name: str,
        headers: Sequence[str],
        texts: Sequence[Sequence[str]],
        quantities: Sequence[str],
        ticked: Sequence[bool] | None = None,
        tick_on_edit: bool = False,
        min_height: int = 140,
    ) -> None:
        super().__init__(len(texts), len(headers), parent)
        self.setObjectName(name)
        self.setHorizontalHeaderLabels(list(headers))
        self.verticalHeader().hide()
        self.verticalHeader().setDefaultSectionSize(40)
        self.checks: list[QCheckBox] = []
        self.edits: list[QLineEdit] = []
        first = 0 if ticked is None else 1
        for r, (cells, quantity) in enumerate(zip(texts, quantities, strict=True)):
            box = None
            if ticked is not None:
                box = QCheckBox(self)
                box.setChecked(ticked[r])
                self.setCellWidget(r, 0, box)
                self.checks.append(box)
            for c, text in enumerate(cells, start=first):
                item = QTableWidgetItem(text)
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                self.setItem(r, c, item)
            edit = decimal_edit(self, 2, 5)
            edit.setText(quantity)
            if tick_on_edit and box is not None:
                edit.textEdited.connect(lambda _text, b=box: b.setChecked(True))
            self.setCellWidget(r, len(headers) - 1, edit)
            self.edits.append(edit)
        self.resizeColumnsToContents()
        self.horizontalHeader().setSectionResizeMode(first, QHeaderView.ResizeMode.Stretch)
        self.setMinimumHeight(min_height)

    def ticked(self, keys: Sequence[Any]) -> dict[Any, str]:
        """The quantity typed on each ticked line, by the line's key (empty: "0")."""
        return {
            key: dec_text(edit.text())
            for key, box, edit in zip(keys, self.checks, self.edits, strict=True)
            if box.isChecked()
        }
