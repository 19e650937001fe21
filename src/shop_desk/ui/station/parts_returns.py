"""The parts tab's return slips (退料单): the parts clerk takes back parts issued to the order
and not used (stock goes up, the order's part lines down), the technician signs the slip where
he signs the parts issue slip, and the slip is printed like the issue slip."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from shop_desk.errors import DomainError, ValidationError
from shop_desk.i18n import translate
from shop_desk.models import RepairOrder, Staff
from shop_desk.services import parts_returns
from shop_desk.ui.shell.models import RowTableModel
from shop_desk.ui.shell.widgets import FormDialog, allowed
from shop_desk.ui.station import reads
from shop_desk.ui.station.common import (
    StationHost,
    big_button,
    current_row,
    fit_table,
    print_preview_available,
    reselect,
    set_flag,
    setup_table,
    show_print_preview,
    slip_columns,
)
from shop_desk.ui.station.dialogs import StationDialog
from shop_desk.ui.station.dialogs_parts import SignSlipDialog, technician_box
from shop_desk.ui.station.quantity_table import QuantityTable

KIND = "parts-return"


class ReturnPartsDialog(StationDialog):
    """Parts issued to the order and not used come back on one return slip (退料单)."""

    def __init__(self, actor: Staff, order: RepairOrder, parent: QWidget) -> None:
        super().__init__(
            translate("Station", "Return parts to stock for {number}").format(number=order.number),
            actor,
            order,
            parent,
            translate("Station", "Take back and print the slip"),
        )
        self.setObjectName("returnPartsDialog")
        set_flag(self.ok_button(), "primary", True)
        self.rows = [r for r in reads.part_rows(order.id) if r.part_id is not None and r.issued > 0]
        self.heading(
            translate(
                "Station",
                "Tick the parts that come back unused. The order's line keeps only what was used, "
                "so the customer pays for that.",
            )
        )
        self.table = QuantityTable(
            self,
            "returnTable",
            [
                translate("Station", "Back"),
                translate("Station", "Part"),
                translate("Station", "Issued"),
                translate("Station", "Quantity back"),
            ],
            [
                [f"{row.part_no} {row.description}", f"{row.issued.normalize():f}"]
                for row in self.rows
            ],
            ["1" if row.issued >= 1 else f"{row.issued.normalize():f}" for row in self.rows],
            ticked=[False] * len(self.rows),
            tick_on_edit=True,
        )
        self.checks, self.quantities = self.table.checks, self.table.edits
        self.form.addRow(self.table)
        self.fields["items"] = self.table
        self.technician = self.add_row(
            "technician", translate("Station", "Handed back by:"), technician_box(self, order)
        )
        self.reason = QLineEdit(self)
        self.reason.setMaxLength(200)
        self.reason.setPlaceholderText(translate("Station", "e.g. drew one too many"))
        self.add_row("reason", translate("Station", "Reason:"), self.reason)
        self.resize(720, 440)

    def items(self) -> dict[int, str]:
        return self.table.ticked([row.line_id for row in self.rows])

    def submit(self) -> Any:
        tech = self.technician.currentData()
        if tech is None:
            raise ValidationError(
                translate("Station", "Choose the technician who hands the parts back."),
                "technician",
            )
        return self.run(
            parts_returns.return_parts, self.order.id, self.items(), tech, self.reason.text()
        )


class ReturnSlipsPanel(QWidget):
    """The order's return slips with returning, signing and printing; part of the parts tab."""

    def __init__(self, host: StationHost, parent: QWidget, button_row: QHBoxLayout) -> None:
        """``button_row``: where the panel's buttons go (the issue slips' row, so the parts
        tab keeps its height on a 1280×720 screen)."""
        super().__init__(parent)
        self.setObjectName("returnSlipsPanel")
        self.host = host
        self.order: RepairOrder | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.view = QTableView(self)
        self.view.setObjectName("returnSlipsTable")
        self.model = RowTableModel(
            slip_columns(
                lambda: translate("Station", "Return slip no."),
                lambda: translate("Station", "Parts back"),
                lambda: translate("Station", "Handed back by"),
                lambda: translate("Station", "Returned"),
            ),
            self,
        )
        self.view.setModel(self.model)
        setup_table(self.view, 1, 36)
        self.view.setMaximumHeight(110)
        self.view.setMinimumHeight(40)  # the station fits a 1280×720 screen with it
        self.view.selectionModel().currentRowChanged.connect(lambda *_: self._changed())
        self.return_button = big_button(
            translate("Station", "Return parts to stock…"), self, "returnPartsButton"
        )
        self.sign_button = big_button(
            translate("Station", "Sign the return slip"), self, "signReturnButton", primary=True
        )
        self.preview_button = big_button(
            translate("Station", "Print return slip…"), self, "previewReturnButton"
        )
        for button in (self.return_button, self.sign_button, self.preview_button):
            button_row.addWidget(button)
        layout.addWidget(self.view)  # shown only when the order has return slips (its first
        # column, "Return slip no.", says what it lists: no heading, the tab fits 1280×720)
        self.return_button.clicked.connect(self.return_parts)
        self.sign_button.clicked.connect(self.sign)
        self.preview_button.clicked.connect(self.preview)
        staff = host.staff
        self.return_button.setVisible(allowed(staff, parts_returns.return_parts))
        self.sign_button.setVisible(allowed(staff, parts_returns.sign_return_slip))
        self.preview_button.setVisible(print_preview_available())

    def fill(self, order: RepairOrder, part_rows: list[reads.PartRow]) -> None:
        """Show ``order``'s return slips; ``part_rows``: its part lines as the tab read them."""
        self.order = order
        keep = self.selected()
        self.model.set_rows(reads.return_slip_rows(order.id))
        self.setVisible(self.model.rowCount() > 0)
        fit_table(self.view, 1)
        self.select(
            lambda r: (keep and r.slip_id == keep.slip_id) or (not keep and r.signed_at is None)
        )
        has_issued = any(r.issued > 0 and r.part_id for r in part_rows)
        self.return_button.setEnabled(has_issued)
        self._changed()

    def clear(self) -> None:
        self.order = None
        self.model.set_rows([])
        self.hide()
        self._changed()

    def selected(self) -> reads.SlipRow | None:
        return current_row(self.view, self.model)

    def select(self, predicate: Callable[[reads.SlipRow], Any]) -> bool:
        return reselect(self.view, self.model, predicate)

    def _changed(self) -> None:
        slip = self.selected()
        self.sign_button.setEnabled(slip is not None and slip.signed_at is None)
        self.preview_button.setEnabled(slip is not None)

    def return_parts(self) -> QDialog | None:
        order = self.host.need_order()
        if order is None:
            return None

        def done(d: ReturnPartsDialog) -> str:
            slip = d.result_value
            if self.host.auto_preview and print_preview_available():
                QTimer.singleShot(0, lambda: self._preview(slip.number))
            return translate(
                "Station",
                "Return slip {slip} made: the parts are back in stock and the order charges "
                "less; {name} signs it on the station.",
            ).format(slip=slip.number, name=slip.technician.name)

        return self.host.open_dialog(ReturnPartsDialog(self.host.staff, order, self), done)

    def sign(self) -> QDialog | None:
        slip = self.selected()
        if slip is None:
            self.host.show_error(translate("Station", "Choose a return slip first."))
            return None
        dialog = SignSlipDialog(
            self.host.staff,
            slip,
            self,
            title=translate("Station", "Sign return slip {number}").format(number=slip.number),
            statement=translate("Station", "I handed these parts back — signed {name}:"),
            sign=parts_returns.sign_return_slip,
        )
        return self.host.open_dialog(
            dialog,
            lambda d: translate("Station", "Return slip {number} signed.").format(
                number=slip.number
            ),
        )

    def preview(self) -> Any:
        slip = self.selected()
        return self._preview(slip.number) if slip is not None else None

    def _preview(self, number: str) -> Any:
        try:
            return show_print_preview(self, KIND, number)
        except DomainError as exc:
            self.host.show_error(str(exc))
            return None


class ReturnOrderDialog(FormDialog):
    """Which order the parts come back from (at the counter, without choosing the job)."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(
            translate("Station", "Return parts to stock"), parent, translate("Station", "Next")
        )
        self.setObjectName("returnOrderDialog")
        self.order = QComboBox(self)
        self.order.setMinimumHeight(40)
        for order_id, number, plate in parts_returns.returnable_orders():
            self.order.addItem(f"{number} · {plate}", order_id)
        self.add_row("order", translate("Station", "Repair order:"), self.order)
        self.setMinimumWidth(420)

    def submit(self) -> Any:
        order_id = self.order.currentData()
        if order_id is None:
            raise ValidationError(
                translate("Station", "No order in the workshop has parts issued."), "order"
            )
        return RepairOrder.get_by_id(order_id)
