"""Counter tab "Exchanges & returns": find the sale by receipt number or phone, see in words
whether a line is within the 15-day exchange or its warranty, take the product back, and
follow its case (test report, the general manager's approval, replacement or refund)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from shop_desk.counter_states import state_label
from shop_desk.i18n import translate
from shop_desk.models import CounterCase, CounterSaleLine, Staff
from shop_desk.services import counter, counter_returns
from shop_desk.ui.counter.case_actions import CaseActions
from shop_desk.ui.counter.common import make_table, select_where, selected, text_label
from shop_desk.ui.shell.models import Column
from shop_desk.ui.shell.widgets import ErrorBanner, FormDialog, allowed, decimal_edit

if TYPE_CHECKING:
    from shop_desk.ui.shell.main_window import MainWindow


class ReceiveDialog(FormDialog):
    """A product of a sale comes back: how many, exchange or refund, the fault."""

    def __init__(self, actor: Staff, line: CounterSaleLine, parent: QWidget | None = None) -> None:
        super().__init__(
            translate("CounterUi", "Take back {part}").format(part=line.description),
            parent,
            translate("CounterUi", "Take it back"),
        )
        self.setObjectName("receiveDialog")
        self.actor, self.line = actor, line
        self.qty_edit = self.add_row(
            "quantity", translate("CounterUi", "Quantity"), decimal_edit(self)
        )
        self.qty_edit.setText("1")
        self.request_combo = self.add_row(
            "request", translate("CounterUi", "The customer asks for"), QComboBox(self)
        )
        for code in counter_returns.REQUESTS:
            self.request_combo.addItem(counter_returns.request_label(code), code)
        self.fault_edit = self.add_row(
            "fault", translate("CounterUi", "Fault in the customer's words"), QPlainTextEdit(self)
        )
        self.fault_edit.setMaximumHeight(90)

    def submit(self) -> CounterCase:
        return counter_returns.receive_product(
            self.actor,
            self.line.id,
            self.qty_edit.text(),
            self.request_combo.currentData(),
            self.fault_edit.toPlainText(),
        )


class ReturnsTab(QWidget):
    """Find a sale, check its lines, take a product back and move its case on."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__()
        self.window_ = window
        self.setObjectName("counterReturnsTab")
        layout = QVBoxLayout(self)
        find = QHBoxLayout()
        self.search_edit = QLineEdit(self)
        self.search_edit.setObjectName("searchEdit")
        self.search_edit.setPlaceholderText(
            translate("CounterUi", "Receipt number (LS…) or the customer's phone")
        )
        self.search_edit.setClearButtonEnabled(True)
        find.addWidget(self.search_edit, 1)
        self.find_button = QPushButton(translate("CounterUi", "Find the sale"), self)
        self.find_button.setObjectName("findButton")
        find.addWidget(self.find_button)
        layout.addLayout(find)
        self.banner = ErrorBanner(self)
        self.banner.setObjectName("banner")
        layout.addWidget(self.banner)

        split = QSplitter(Qt.Orientation.Horizontal, self)
        layout.addWidget(split, 1)
        self.sales_view, self.sales_model = make_table(
            split,
            "salesTable",
            [
                Column(lambda: translate("CounterUi", "Receipt no."), lambda s: s.number),
                Column(lambda: translate("CounterUi", "Sold"), lambda s: s.sold_at),
                Column(
                    lambda: translate("CounterUi", "Customer"),
                    lambda s: " ".join(x for x in (s.customer_name, s.customer_phone) if x),
                ),
                Column(lambda: translate("CounterUi", "Total"), lambda s: s.total),
            ],
            stretch=2,
        )
        split.addWidget(self.sales_view)
        middle = QWidget(split)
        mid = QVBoxLayout(middle)
        mid.setContentsMargins(0, 0, 0, 0)
        self.lines_view, self.lines_model = make_table(
            middle,
            "linesTable",
            [
                Column(lambda: translate("CounterUi", "Part"), lambda r: r.description),
                Column(lambda: translate("CounterUi", "Quantity"), lambda r: r.quantity),
                Column(lambda: translate("CounterUi", "Amount"), lambda r: r.amount),
                Column(
                    lambda: translate("CounterUi", "Gift"),
                    lambda r: translate("CounterUi", "Gift") if r.gift else "",
                ),
                Column(lambda: translate("CounterUi", "Returned"), lambda r: r.returned_qty),
            ],
            stretch=0,
        )
        mid.addWidget(self.lines_view, 1)
        self.eligibility_label = text_label(middle, "eligibilityLabel", 3)
        mid.addWidget(self.eligibility_label)
        self.receive_button = QPushButton(translate("CounterUi", "Take the product back…"), middle)
        self.receive_button.setObjectName("receiveButton")
        mid.addWidget(self.receive_button)
        split.addWidget(middle)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)

        layout.addWidget(QLabel(translate("CounterUi", "Cases of this sale"), self))
        self.cases_view, self.cases_model = make_table(
            self,
            "casesTable",
            [
                Column(lambda: translate("CounterUi", "Case"), lambda c: c.number),
                Column(lambda: translate("CounterUi", "Part"), lambda c: c.line.description),
                Column(
                    lambda: translate("CounterUi", "Request"),
                    lambda c: counter_returns.request_label(c.request),
                ),
                Column(lambda: translate("CounterUi", "State"), lambda c: state_label(c.state)),
                Column(lambda: translate("CounterUi", "Replacement due"), lambda c: c.due_at),
            ],
            stretch=3,
        )
        self.cases_view.setMaximumHeight(150)
        layout.addWidget(self.cases_view)
        self.actions = CaseActions(window, self)
        layout.addWidget(self.actions)

        self.find_button.clicked.connect(self.find)
        self.search_edit.returnPressed.connect(self.find)
        self.receive_button.clicked.connect(self.receive)
        self.sales_view.selectionModel().currentRowChanged.connect(lambda *_: self._sale_chosen())
        self.lines_view.selectionModel().currentRowChanged.connect(lambda *_: self._line_chosen())
        self.cases_view.selectionModel().currentRowChanged.connect(
            lambda *_: self.actions.show_case(selected(self.cases_view))
        )
        self.actions.changed.connect(self._cases_changed)
        self._receive_allowed = allowed(window.staff, counter_returns.receive_product)
        self._line_chosen()

    def refresh(self) -> None:
        if self.search_edit.text().strip():
            self.find(keep=True)

    def find(self, keep: bool = False) -> None:
        self.banner.clear_message()
        key = self.search_edit.text().strip()
        sales = counter.sales_for(key)
        chosen = selected(self.sales_view) if keep else None
        self.sales_model.set_rows(sales)
        if not sales:
            self.banner.show_error(
                translate(
                    "CounterUi", "No counter sale has the receipt number or phone {key}."
                ).format(key=key)
            )
        kept = chosen is not None and select_where(self.sales_view, lambda s: s.id == chosen.id)
        if sales and not kept:
            self.sales_view.selectRow(0)
        self._sale_chosen()

    def _sale_chosen(self) -> None:
        sale = selected(self.sales_view)
        line = selected(self.lines_view)
        case = selected(self.cases_view)
        self.lines_model.set_rows(counter.sale_lines(sale) if sale is not None else [])
        self.cases_model.set_rows(counter_returns.cases_of_sale(sale) if sale is not None else [])
        if line is not None:
            select_where(self.lines_view, lambda r: r.id == line.id)
        if case is not None:
            select_where(self.cases_view, lambda c: c.id == case.id)
        self._line_chosen()
        self.actions.show_case(selected(self.cases_view))

    def _line_chosen(self) -> None:
        line = selected(self.lines_view)
        if line is None:
            self.eligibility_label.setText(
                translate("CounterUi", "Choose a line of the sale to see what it allows today.")
            )
            self.receive_button.setEnabled(False)
            return
        allowed_now = counter_returns.eligibility(line.id)
        self.eligibility_label.setText(allowed_now.text)
        self.receive_button.setEnabled(self._receive_allowed and allowed_now.warranty)

    def receive(self) -> FormDialog | None:
        line = selected(self.lines_view)
        if line is None:
            return None
        dialog = ReceiveDialog(self.window_.staff, line, self)

        def received() -> None:
            case = dialog.result_value
            self._sale_chosen()
            select_where(self.cases_view, lambda c: c.id == case.id)
            self.actions.show_case(case)
            self.banner.show_info(
                translate(
                    "CounterUi", "Case {number} opened: a replacement is due by {due}."
                ).format(number=case.number, due=case.due_at.strftime("%Y-%m-%d %H:%M"))
            )

        dialog.accepted.connect(received)
        dialog.open()
        return dialog

    def _cases_changed(self) -> None:
        self._sale_chosen()
