"""Counter tab "Sale": the basket (parts from stock, gifts marked), the customer if they give
a name or phone, the payment, and the receipt printed (a reprint is a copy)."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from shop_desk import clock
from shop_desk.errors import DomainError
from shop_desk.i18n import translate
from shop_desk.models import CounterSale, Part
from shop_desk.money import fmt, line_amount
from shop_desk.services import counter
from shop_desk.services.counter_policy import warranty_days, warranty_text
from shop_desk.services.documents import unit_label
from shop_desk.ui.counter.common import make_table, method_label, run, select_where, selected
from shop_desk.ui.shell.models import Column
from shop_desk.ui.shell.part_picker import PartPicker
from shop_desk.ui.shell.widgets import ErrorBanner, allowed, decimal_edit

if TYPE_CHECKING:
    from shop_desk.ui.shell.main_window import MainWindow


class SaleTab(QWidget):
    """Basket, customer, payment and the day's sales with their receipts."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__()
        self.window_ = window
        self.setObjectName("counterSaleTab")
        self.basket: list[dict[str, Any]] = []
        outer = QHBoxLayout(self)
        left = QVBoxLayout()
        outer.addLayout(left, 3)
        self.banner = ErrorBanner(self)
        self.banner.setObjectName("banner")
        left.addWidget(self.banner)

        pick = QHBoxLayout()
        picked = QVBoxLayout()
        self.picker = PartPicker(self)
        self.part_combo = self.picker.combo
        part_label = QLabel(translate("CounterUi", "Part"), self)
        part_label.setBuddy(self.part_combo)  # the list's name, read aloud and found by it
        picked.addWidget(part_label)
        self.part_combo.setMinimumWidth(280)
        picked.addWidget(self.picker)
        self.price_label = QLabel(self)
        self.price_label.setObjectName("priceLabel")
        picked.addWidget(self.price_label)
        pick.addLayout(picked, 1)
        controls = QHBoxLayout()
        column = QVBoxLayout()
        column.addLayout(controls)
        column.addStretch(1)
        pick.addLayout(column)
        self.qty_edit = decimal_edit(self, 2, 5)
        self.qty_edit.setObjectName("quantityEdit")
        self.qty_edit.setText("1")
        self.qty_edit.setMaximumWidth(70)
        qty_label = QLabel(translate("CounterUi", "Quantity"), self)
        qty_label.setBuddy(self.qty_edit)
        controls.addWidget(qty_label)
        controls.addWidget(self.qty_edit)
        self.gift_check = QCheckBox(translate("CounterUi", "Gift"), self)
        self.gift_check.setObjectName("giftCheck")
        self.gift_check.setToolTip(
            translate(
                "CounterUi", "A gift costs nothing and is neither exchanged nor under warranty."
            )
        )
        controls.addWidget(self.gift_check)
        self.add_button = QPushButton(translate("CounterUi", "Add to the basket"), self)
        self.add_button.setObjectName("addButton")
        controls.addWidget(self.add_button)
        left.addLayout(pick)

        self.basket_view, self.basket_model = make_table(
            self,
            "basketTable",
            [
                Column(lambda: translate("CounterUi", "Part no."), lambda r: r["part"].part_no),
                Column(lambda: translate("CounterUi", "Part"), lambda r: r["part"].name),
                Column(lambda: translate("CounterUi", "Quantity"), lambda r: r["quantity"]),
                Column(
                    lambda: translate("CounterUi", "Unit price"), lambda r: r["part"].unit_price
                ),
                Column(lambda: translate("CounterUi", "Amount"), lambda r: r["amount"]),
                Column(
                    lambda: translate("CounterUi", "Gift"),
                    lambda r: translate("CounterUi", "Gift") if r["gift"] else "",
                ),
                Column(lambda: translate("CounterUi", "Warranty"), lambda r: r["warranty"]),
            ],
            stretch=1,
        )
        left.addWidget(self.basket_view, 1)
        row = QHBoxLayout()
        self.remove_button = QPushButton(translate("CounterUi", "Remove the line"), self)
        self.remove_button.setObjectName("removeButton")
        row.addWidget(self.remove_button)
        row.addStretch(1)
        self.total_label = QLabel(self)
        self.total_label.setObjectName("totalLabel")
        font = self.total_label.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.3)
        self.total_label.setFont(font)
        self.total_label.setMinimumWidth(
            self.total_label.fontMetrics().horizontalAdvance("Total ¥000,000.00") + 8
        )
        row.addWidget(self.total_label)
        left.addLayout(row)

        right = QVBoxLayout()
        outer.addLayout(right, 2)
        customer = QGroupBox(translate("CounterUi", "Customer (optional)"), self)
        form = QFormLayout(customer)
        self.name_edit = QLineEdit(customer)
        self.name_edit.setObjectName("customerNameEdit")
        form.addRow(translate("CounterUi", "Name"), self.name_edit)
        self.phone_edit = QLineEdit(customer)
        self.phone_edit.setObjectName("customerPhoneEdit")
        form.addRow(translate("CounterUi", "Phone"), self.phone_edit)
        right.addWidget(customer)
        payment = QGroupBox(translate("CounterUi", "Payment"), self)
        pay = QFormLayout(payment)
        self.method_combo = QComboBox(payment)
        self.method_combo.setObjectName("methodCombo")
        for code in counter.COUNTER_METHODS:
            self.method_combo.addItem(method_label(code), code)
        pay.addRow(translate("CounterUi", "Payment method"), self.method_combo)
        self.tendered_edit = decimal_edit(payment)
        self.tendered_edit.setObjectName("tenderedEdit")
        self.tendered_edit.setPlaceholderText(translate("CounterUi", "the exact amount"))
        pay.addRow(translate("CounterUi", "Cash handed over"), self.tendered_edit)
        self.reference_edit = QLineEdit(payment)
        self.reference_edit.setObjectName("referenceEdit")
        pay.addRow(translate("CounterUi", "Reference"), self.reference_edit)
        self.sell_button = QPushButton(translate("CounterUi", "Take payment and sell"), payment)
        self.sell_button.setObjectName("sellButton")
        pay.addRow(self.sell_button)
        right.addWidget(payment)

        right.addWidget(QLabel(translate("CounterUi", "Today's sales"), self))
        self.sales_view, self.sales_model = make_table(
            self,
            "salesTable",
            [
                Column(lambda: translate("CounterUi", "Receipt no."), lambda s: s.number),
                Column(
                    lambda: translate("CounterUi", "Time"), lambda s: s.sold_at.strftime("%H:%M")
                ),
                Column(
                    lambda: translate("CounterUi", "Customer"),
                    lambda s: " ".join(x for x in (s.customer_name, s.customer_phone) if x),
                ),
                Column(lambda: translate("CounterUi", "Total"), lambda s: s.total),
            ],
            stretch=2,
        )
        right.addWidget(self.sales_view, 1)
        self.print_button = QPushButton(translate("CounterUi", "Print receipt"), self)
        self.print_button.setObjectName("printButton")
        right.addWidget(self.print_button)

        self.add_button.clicked.connect(self.add_line)
        self.remove_button.clicked.connect(self.remove_line)
        self.sell_button.clicked.connect(self.sell)
        self.print_button.clicked.connect(self.print_receipt)
        self.method_combo.currentIndexChanged.connect(self._method_changed)
        self.picker.part_changed.connect(self._show_price)
        self.sales_view.selectionModel().currentRowChanged.connect(lambda *_: self._update())
        self.basket_view.selectionModel().currentRowChanged.connect(lambda *_: self._update())
        if not allowed(window.staff, counter.sell):
            self.sell_button.setEnabled(False)
            self.sell_button.setToolTip(translate("CounterUi", "Your roles do not allow this."))
        self.refresh()

    # -- data ---------------------------------------------------------------------------
    def refresh(self) -> None:
        self.picker.show_stock()  # the stock changes with every sale
        chosen = selected(self.sales_view)
        self.sales_model.set_rows(counter.sales_on(clock.today()))
        if chosen is not None:
            select_where(self.sales_view, lambda s: s.id == chosen.id)
        self._method_changed()
        self._update()

    def basket_lines(self) -> list[dict[str, Any]]:
        """The basket as :func:`shop_desk.services.counter.sell` takes it."""
        return [
            {"part": r["part"].id, "quantity": r["quantity"], "gift": r["gift"]}
            for r in self.basket
        ]

    # -- actions ------------------------------------------------------------------------
    def add_line(self) -> None:
        self.banner.clear_message()
        part_id = self.part_combo.currentData()
        if part_id is None:
            self.banner.show_error(translate("CounterUi", "Choose a part from the list."))
            return
        part = Part.get_by_id(part_id)
        text = self.qty_edit.text().strip() or "0"
        gift = self.gift_check.isChecked()
        candidate = [*self.basket_lines(), {"part": part.id, "quantity": text, "gift": gift}]
        try:
            counter.basket_total(candidate)
        except DomainError as exc:
            if "Gifts go with a sale" not in exc.message:  # a gift may come first
                self.banner.show_error(exc.message)
                return
        quantity = Decimal(text)  # checked by the service's rule above
        self.basket.append(
            {
                "part": part,
                "quantity": quantity,
                "gift": gift,
                "amount": Decimal("0.00") if gift else line_amount(quantity, part.unit_price),
                "warranty": "" if gift else warranty_text(warranty_days(part.category)),
            }
        )
        self.basket_model.set_rows(self.basket)
        self.gift_check.setChecked(False)
        self.qty_edit.setText("1")
        self._update()

    def remove_line(self) -> None:
        row = selected(self.basket_view)
        if row is None:
            return
        self.basket = [r for r in self.basket if r is not row]
        self.basket_model.set_rows(self.basket)
        self._update()

    def sell(self) -> None:
        self.banner.clear_message()
        tendered = self.tendered_edit.text().strip() or None
        sale = run(
            self.banner,
            lambda: counter.sell(
                self.window_.staff,
                self.basket_lines(),
                self.method_combo.currentData(),
                tendered=tendered if self.method_combo.currentData() == "cash" else None,
                reference=self.reference_edit.text(),
                customer_name=self.name_edit.text(),
                customer_phone=self.phone_edit.text(),
            ),
        )
        if sale is None:
            return
        self.sold(sale)

    def sold(self, sale: CounterSale) -> None:
        """After a sale: the basket is empty, the sale selected for its receipt."""
        payment = counter.sale_payments(sale)[0]
        text = translate("CounterUi", "Sold: receipt {number}, {total}.").format(
            number=sale.number, total=fmt(sale.total)
        )
        if payment.change_given:
            text += " " + translate("CounterUi", "Change: {change}.").format(
                change=fmt(payment.change_given)
            )
        self.banner.show_info(text)
        self.basket = []
        self.basket_model.set_rows([])
        for edit in (self.name_edit, self.phone_edit, self.tendered_edit, self.reference_edit):
            edit.clear()
        self.refresh()
        select_where(self.sales_view, lambda s: s.id == sale.id)
        self._update()
        self.window_.show_status(text)

    def print_receipt(self):  # noqa: ANN201 - the preview dialog
        sale = selected(self.sales_view)
        if sale is None:
            return None
        from shop_desk.ui.shell.print_preview import show_print_preview

        return show_print_preview(self, "counter-receipt", sale.number)

    def _show_price(self, part_id: object) -> None:
        part = Part.get_or_none(Part.id == part_id) if isinstance(part_id, int) else None
        if part is None:
            self.price_label.clear()
            return
        self.price_label.setText(
            translate("CounterUi", "Price {price} per {unit}; warranty {period}.").format(
                price=fmt(part.unit_price),
                unit=unit_label(part.unit),
                period=warranty_text(warranty_days(part.category)),
            )
        )

    # -- state ----------------------------------------------------------------------------
    def _method_changed(self, *_args: object) -> None:
        cash = self.method_combo.currentData() == "cash"
        self.tendered_edit.setEnabled(cash)
        self.reference_edit.setEnabled(not cash)

    def _update(self) -> None:
        total = sum((r["amount"] for r in self.basket), Decimal("0.00"))
        self.total_label.setText(translate("CounterUi", "Total {total}").format(total=fmt(total)))
        self.remove_button.setEnabled(selected(self.basket_view) is not None)
        self.print_button.setEnabled(selected(self.sales_view) is not None)
        if allowed(self.window_.staff, counter.sell):
            self.sell_button.setEnabled(bool(self.basket))
