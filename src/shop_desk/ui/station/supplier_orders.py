"""The parts counter's supplier orders (采购单): the list with what came in, raising an order
for what a repair order waiting for parts lacks or for the stock below its reorder level,
sending, receiving (partial receipts too: the waiting orders go on by themselves), cancelling,
printing the order for the supplier; suppliers and reorder levels. The parts clerk works
here; a manager reads."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QTableView,
    QWidget,
)

from shop_desk.errors import ValidationError
from shop_desk.i18n import translate
from shop_desk.models import Part, RepairOrder, Staff
from shop_desk.purchasing_states import OrderState, order_state_label
from shop_desk.services import purchasing
from shop_desk.states import State
from shop_desk.ui.shell.models import Column, RowTableModel
from shop_desk.ui.shell.widgets import FormDialog, allowed, decimal_edit
from shop_desk.ui.station import reads
from shop_desk.ui.station.common import (
    TOUCH_STYLE,
    big_button,
    fit_table,
    setup_table,
)
from shop_desk.ui.station.dialogs import dec_text
from shop_desk.ui.station.list_window import ListWindow
from shop_desk.ui.station.quantity_table import QuantityTable


def qty(value: Any) -> str:
    return "" if value is None else f"{value.normalize():f}"


def supplier_box(parent: QWidget) -> QComboBox:
    box = QComboBox(parent)
    box.setMinimumHeight(40)
    for s in purchasing.suppliers():
        box.addItem(s.name + (f" · {s.contact}" if s.contact else ""), s.id)
    return box


class SupplierDialog(FormDialog):
    """A new supplier: name, the person to call and the phone."""

    def __init__(self, actor: Staff, parent: QWidget) -> None:
        super().__init__(translate("Station", "New supplier"), parent)
        self.setObjectName("supplierDialog")
        self.setStyleSheet(TOUCH_STYLE)
        self.actor = actor
        self.name = self.add_row("name", translate("Station", "Supplier:"), QLineEdit(self))
        self.contact = self.add_row("contact", translate("Station", "Contact:"), QLineEdit(self))
        self.phone = self.add_row("phone", translate("Station", "Phone:"), QLineEdit(self))
        self.setMinimumWidth(480)

    def submit(self) -> Any:
        return purchasing.save_supplier(
            self.actor, self.name.text(), self.contact.text(), self.phone.text()
        )


class RaiseOrderDialog(FormDialog):
    """A supplier order for a repair order's shortage (``order``) or for the reorder list."""

    def __init__(self, actor: Staff, parent: QWidget, order: RepairOrder | None = None) -> None:
        title = (
            translate("Station", "Order what {number} lacks").format(number=order.number)
            if order is not None
            else translate("Station", "Order stock below its reorder level")
        )
        super().__init__(title, parent, translate("Station", "Raise the supplier order"))
        self.setObjectName("raiseOrderDialog")
        self.setStyleSheet(TOUCH_STYLE)
        self.actor, self.order = actor, order
        if order is not None:
            lines = [
                translate("Station", "{part}: {short} short, {coming} on order").format(
                    part=f"{r.part_no} {r.name}", short=qty(r.short), coming=qty(r.on_order)
                )
                for r in purchasing.shortages(order)
            ]
        else:
            lines = [
                translate(
                    "Station", "{part}: {free} free, reorder level {level}, order {suggested}"
                ).format(
                    part=f"{r.part_no} {r.name}",
                    free=qty(r.available),
                    level=qty(r.reorder_level),
                    suggested=qty(r.suggested),
                )
                for r in purchasing.reorder_list()
                if r.suggested > 0
            ]
        what = QLabel("\n".join(lines) or translate("Station", "Nothing to order."), self)
        what.setObjectName("whatLabel")
        what.setWordWrap(True)
        self.form.addRow(translate("Station", "Parts:"), what)
        self.supplier = self.add_row(
            "supplier", translate("Station", "Supplier:"), supplier_box(self)
        )
        self.note = QLineEdit(self)
        self.note.setMaxLength(200)
        self.add_row("note", translate("Station", "Note:"), self.note)
        self.setMinimumWidth(560)

    def submit(self) -> Any:
        supplier = self.supplier.currentData()
        if supplier is None:
            raise ValidationError(
                translate("Station", "Add the supplier first (New supplier…)."), "supplier"
            )
        if self.order is not None:
            return purchasing.order_shortage(self.actor, self.order.id, supplier, self.note.text())
        return purchasing.order_restock(self.actor, supplier, None, self.note.text())


class ReceiveOrderDialog(FormDialog):
    """What came in of a supplier order, line by line; a part of it is fine."""

    def __init__(self, actor: Staff, row: purchasing.SupplierOrderRow, parent: QWidget) -> None:
        super().__init__(
            translate("Station", "Receive supplier order {number}").format(number=row.number),
            parent,
            translate("Station", "Book into stock"),
        )
        self.setObjectName("receiveOrderDialog")
        self.setStyleSheet(TOUCH_STYLE)
        self.actor, self.row = actor, row
        self.lines = [ln for ln in row.lines if ln[3] < ln[2]]
        self.table = QuantityTable(
            self,
            "receiveTable",
            [
                translate("Station", "Part"),
                translate("Station", "Ordered"),
                translate("Station", "Received so far"),
                translate("Station", "Quantity now"),
            ],
            [[name, qty(ordered), qty(got)] for _line_id, name, ordered, got in self.lines],
            [qty(ordered - got) for _line_id, _name, ordered, got in self.lines],
        )
        self.quantities = self.table.edits
        self.form.addRow(self.table)
        self.fields["items"] = self.table
        self.note = QLineEdit(self)
        self.note.setMaxLength(200)
        self.note.setPlaceholderText(translate("Station", "Delivery note number"))
        self.add_row("note", translate("Station", "Note:"), self.note)
        self.resize(640, 400)

    def items(self) -> dict[int, str]:
        return {
            line[0]: dec_text(edit.text())
            for line, edit in zip(self.lines, self.quantities, strict=True)
            if edit.text().strip() and dec_text(edit.text()) != "0"
        }

    def submit(self) -> Any:
        return purchasing.receive_supplier_order(
            self.actor, self.row.id, self.items(), self.note.text()
        )


class CancelOrderDialog(FormDialog):
    def __init__(self, actor: Staff, row: purchasing.SupplierOrderRow, parent: QWidget) -> None:
        super().__init__(
            translate("Station", "Cancel supplier order {number}").format(number=row.number),
            parent,
            translate("Station", "Cancel the order"),
        )
        self.setObjectName("cancelOrderDialog")
        self.actor, self.row = actor, row
        self.reason = self.add_row("reason", translate("Station", "Reason:"), QLineEdit(self))
        self.setMinimumWidth(460)

    def submit(self) -> Any:
        return purchasing.cancel_supplier_order(self.actor, self.row.id, self.reason.text())


class ReorderLevelDialog(FormDialog):
    """Below this much free stock a part is on the reorder list."""

    def __init__(self, actor: Staff, parent: QWidget) -> None:
        super().__init__(translate("Station", "Reorder level"), parent)
        self.setObjectName("reorderLevelDialog")
        self.setStyleSheet(TOUCH_STYLE)
        self.actor = actor
        self.part = QComboBox(self)
        self.part.setMinimumHeight(40)
        for p in Part.select().where(Part.active == True).order_by(Part.part_no):  # noqa: E712
            self.part.addItem(f"{p.part_no} {p.name}", (p.id, p.reorder_level))
        self.add_row("part", translate("Station", "Part:"), self.part)
        self.level = self.add_row(
            "level", translate("Station", "Reorder level:"), decimal_edit(self, 2, 6)
        )
        self.part.currentIndexChanged.connect(self._show)
        self._show()
        self.setMinimumWidth(500)

    def _show(self) -> None:
        data = self.part.currentData()
        self.level.setText(qty(data[1]) if data else "")

    def submit(self) -> Any:
        data = self.part.currentData()
        if data is None:
            raise ValidationError(translate("Station", "Choose a part."), "part")
        return purchasing.set_reorder_level(self.actor, data[0], dec_text(self.level.text()))


class SupplierOrdersDialog(ListWindow):
    """The supplier orders and the reorder list; see the module docstring."""

    def __init__(self, actor: Staff, order: RepairOrder | None, parent: QWidget) -> None:
        super().__init__(
            actor,
            order,
            parent,
            "supplierOrdersDialog",
            translate("Station", "Supplier orders"),
            translate("Station", "Open orders only"),
        )
        layout = self.layout()
        top = QHBoxLayout()
        top.addWidget(self.open_only)
        top.addStretch(1)
        layout.addLayout(top)
        self.view = QTableView(self)
        self.view.setObjectName("supplierOrdersTable")
        self.model = RowTableModel(
            [
                Column(lambda: translate("Station", "Order no."), lambda r: r.number),
                Column(
                    lambda: translate("Station", "Parts (received / ordered)"), lambda r: r.items
                ),
                Column(lambda: translate("Station", "Supplier"), lambda r: r.supplier),
                Column(lambda: translate("Station", "State"), lambda r: order_state_label(r.state)),
                Column(lambda: translate("Station", "For order"), lambda r: r.repair_order),
                Column(
                    lambda: translate("Station", "Raised"),
                    lambda r: r.raised_at,
                    display=reads.when,
                ),
                Column(
                    lambda: translate("Station", "Sent"),
                    lambda r: r.sent_at,
                    display=lambda v: reads.when(v) if v else "",
                ),
                Column(
                    lambda: translate("Station", "Last received"),
                    lambda r: r.received_at,
                    display=lambda v: reads.when(v) if v else "",
                ),
            ],
            self,
            is_dimmed=lambda r: r.state in (OrderState.RECEIVED, OrderState.CANCELLED),
        )
        self.view.setModel(self.model)
        setup_table(self.view, 1, 36)
        self.view.selectionModel().currentRowChanged.connect(lambda *_: self._changed())
        layout.addWidget(self.view, 2)
        row1, row2 = QHBoxLayout(), QHBoxLayout()
        self.shortage_button = big_button(
            translate("Station", "Order what this job lacks…"), self, "orderShortageButton", True
        )
        self.restock_button = big_button(
            translate("Station", "Order stock below reorder level…"), self, "orderRestockButton"
        )
        self.send_button = big_button(
            translate("Station", "Sent to the supplier"), self, "sendButton"
        )
        self.receive_button = big_button(
            translate("Station", "Receive…"), self, "receiveOrderButton", True
        )
        self.cancel_button = big_button(
            translate("Station", "Cancel order…"), self, "cancelOrderButton"
        )
        self.print_button = big_button(
            translate("Station", "Print supplier order"), self, "printOrderButton"
        )
        self.supplier_button = big_button(
            translate("Station", "New supplier…"), self, "newSupplierButton"
        )
        self.level_button = big_button(
            translate("Station", "Reorder level…"), self, "reorderLevelButton"
        )
        for button in (self.shortage_button, self.restock_button, self.supplier_button):
            row1.addWidget(button)
        row1.addWidget(self.level_button)
        row1.addStretch(1)
        for button in (self.send_button, self.receive_button, self.cancel_button):
            row2.addWidget(button)
        row2.addWidget(self.print_button)
        row2.addStretch(1)
        layout.addLayout(row2)
        layout.addWidget(
            QLabel("<b>" + translate("Station", "Stock below its reorder level") + "</b>", self)
        )
        self.reorder_view = QTableView(self)
        self.reorder_view.setObjectName("reorderTable")
        self.reorder_model = RowTableModel(
            [
                Column(lambda: translate("Station", "Part no."), lambda r: r.part_no),
                Column(lambda: translate("Station", "Part"), lambda r: r.name),
                Column(
                    lambda: translate("Station", "Free in stock"),
                    lambda r: r.available,
                    display=qty,
                    align_right=True,
                ),
                Column(
                    lambda: translate("Station", "Reorder level"),
                    lambda r: r.reorder_level,
                    display=qty,
                    align_right=True,
                ),
                Column(
                    lambda: translate("Station", "On order"),
                    lambda r: r.on_order,
                    display=qty,
                    align_right=True,
                ),
                Column(
                    lambda: translate("Station", "Suggested"),
                    lambda r: r.suggested,
                    display=qty,
                    align_right=True,
                ),
            ],
            self,
        )
        self.reorder_view.setModel(self.reorder_model)
        setup_table(self.reorder_view, 1, 32)
        layout.addWidget(self.reorder_view, 1)
        layout.addLayout(row1)
        self.add_close(layout)
        self.shortage_button.clicked.connect(self.order_shortage)
        self.restock_button.clicked.connect(self.order_restock)
        self.send_button.clicked.connect(self.send)
        self.receive_button.clicked.connect(self.receive)
        self.cancel_button.clicked.connect(self.cancel_order)
        self.print_button.clicked.connect(self.print_order)
        self.supplier_button.clicked.connect(
            lambda: self._open(SupplierDialog(actor, self), self._saved_supplier)
        )
        self.level_button.clicked.connect(
            lambda: self._open(
                ReorderLevelDialog(actor, self),
                lambda d: translate("Station", "Reorder level of {part} saved.").format(
                    part=d.result_value.part_no
                ),
            )
        )
        for button, service in (
            (self.shortage_button, purchasing.order_shortage),
            (self.restock_button, purchasing.order_restock),
            (self.send_button, purchasing.send_supplier_order),
            (self.receive_button, purchasing.receive_supplier_order),
            (self.cancel_button, purchasing.cancel_supplier_order),
            (self.supplier_button, purchasing.save_supplier),
            (self.level_button, purchasing.set_reorder_level),
        ):
            button.setVisible(allowed(actor, service))
        self.resize(1040, 640)
        self.refresh()

    def _saved_supplier(self, d: SupplierDialog) -> str:
        return translate("Station", "Supplier {name} added.").format(name=d.result_value.name)

    # -- reading -------------------------------------------------------------------------
    def refresh(self) -> None:
        self.show_rows(purchasing.supplier_order_rows(open_only=self.open_only.isChecked()))
        fit_table(self.view, 1, 260)
        self.reorder_model.set_rows(purchasing.reorder_list())
        fit_table(self.reorder_view, 1)
        if self.order is not None:
            self.order = RepairOrder.get_by_id(self.order.id)
        waiting = self.order is not None and State(self.order.state) == State.WAITING_PARTS
        # enabled while the job lacks something no supplier order brings yet
        self.shortage_button.setEnabled(
            waiting and any(r.to_order > 0 for r in purchasing.shortages(self.order))
        )
        if self.order is not None:
            self.shortage_button.setText(
                translate("Station", "Order what {number} lacks…").format(number=self.order.number)
            )
        self.restock_button.setEnabled(any(r.suggested > 0 for r in self.reorder_model.rows))
        self._changed()

    def _changed(self) -> None:
        row = self.selected()
        state = row.state if row is not None else ""
        self.send_button.setEnabled(state == OrderState.DRAFT)
        self.receive_button.setEnabled(state in (OrderState.SENT, OrderState.PART_RECEIVED))
        self.cancel_button.setEnabled(state in (OrderState.DRAFT, OrderState.SENT))
        self.print_button.setEnabled(row is not None)

    # -- doing ---------------------------------------------------------------------------
    def _raised(self, d: RaiseOrderDialog) -> str:
        row = d.result_value
        self.select(lambda r: r.id == row.id)
        return translate(
            "Station", "Supplier order {number} raised; mark it sent once it went to {supplier}."
        ).format(number=row.number, supplier=row.supplier.name)

    def order_shortage(self) -> FormDialog | None:
        if self.order is None:
            return None
        return self._open(RaiseOrderDialog(self.actor, self, self.order), self._raised)

    def order_restock(self) -> FormDialog:
        return self._open(RaiseOrderDialog(self.actor, self), self._raised)

    def send(self) -> None:
        self._step(
            purchasing.send_supplier_order,
            lambda row: translate("Station", "Supplier order {number} sent.").format(
                number=row.number
            ),
        )

    def receive(self) -> FormDialog | None:
        row = self.selected()
        if row is None:
            return None
        return self._open(
            ReceiveOrderDialog(self.actor, row, self),
            lambda d: purchasing.receipt_text(d.result_value),
        )

    def print_order(self) -> QDialog | None:
        """The paper for the supplier (fax or the driver); printed before, it is a copy."""
        row = self.selected()
        if row is None:
            return None
        from shop_desk.ui.shell.print_preview import show_print_preview

        self.sub = show_print_preview(self, "supplier-order", row.number)
        return self.sub

    def cancel_order(self) -> FormDialog | None:
        row = self.selected()
        if row is None:
            return None
        return self._open(
            CancelOrderDialog(self.actor, row, self),
            lambda d: translate("Station", "Supplier order {number} cancelled.").format(
                number=row.number
            ),
        )
