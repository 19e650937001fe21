"""Choosing a part at the parts counter: type part number or name (matched anywhere), see
stock, reservations and bin at once. Shared by the station's goods received and the field
desk's parts taken out for a job."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QCompleter, QLabel, QVBoxLayout, QWidget

from shop_desk.i18n import join_list, translate
from shop_desk.models import Part
from shop_desk.services import parts as parts_service


def stock_text(info: parts_service.StockInfo) -> str:
    """Stock, reservations, bin and the orders waiting for a part, in one sentence."""
    text = translate(
        "PartPicker", "Stock {stock} {unit}, reserved {reserved}, free {free}; bin {bin}."
    ).format(
        stock=f"{info.stock.normalize():f}",
        unit=info.unit,
        reserved=f"{info.reserved.normalize():f}",
        free=f"{info.available.normalize():f}",
        bin=info.bin_location or "—",
    )
    if info.waiting_orders:
        text += " " + translate("PartPicker", "Orders waiting for it: {orders}.").format(
            orders=join_list(info.waiting_orders)
        )
    return text


class PartPicker(QWidget):
    """An editable list of the active parts ("part no. name", matched anywhere as typed)
    with the chosen part's stock below it; ``part_changed`` carries the part id (or None)."""

    part_changed = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.combo = QComboBox(self)
        self.combo.setObjectName("partCombo")
        self.combo.setEditable(True)
        self.combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.combo.setMinimumHeight(40)
        for p in Part.select().where(Part.active == True).order_by(Part.part_no):  # noqa: E712
            self.combo.addItem(f"{p.part_no} {p.name}", p.id)
        self.combo.completer().setFilterMode(Qt.MatchFlag.MatchContains)
        self.combo.completer().setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        layout.addWidget(self.combo)
        self.stock_label = QLabel(self)
        self.stock_label.setObjectName("stockLabel")
        self.stock_label.setWordWrap(True)
        layout.addWidget(self.stock_label)
        self.combo.currentIndexChanged.connect(lambda _i: self.show_stock())
        self.show_stock()

    def part_id(self) -> int | None:
        return self.combo.currentData()

    def select_part(self, part_id: int) -> bool:
        """Choose the part with this id; False when it is not in the list."""
        index = self.combo.findData(part_id)
        if index >= 0:
            self.combo.setCurrentIndex(index)
        return index >= 0

    def show_stock(self) -> None:
        part_id = self.part_id()
        if part_id is None:
            self.stock_label.clear()
        else:
            self.stock_label.setText(stock_text(parts_service.stock_lookup(part_id)))
        self.part_changed.emit(part_id)
