"""Key customers (重点客户走访) for the supervisor, the manager and the customer-relations
clerk: the visit list with each customer's interval and next visit, the visits due on a day
(today unless another is chosen), adding and removing a key customer, recording a visit
(who went, the day, how the cars are used, the customer's opinions) and the visit history."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from shop_desk import clock
from shop_desk.errors import DomainError, ValidationError
from shop_desk.i18n import translate
from shop_desk.models import Customer, KeyCustomer, Staff
from shop_desk.services import key_customers
from shop_desk.services.search import search
from shop_desk.ui.field.office_common import Column, fill, list_view, select_where, selected, when
from shop_desk.ui.shell.models import RowTableModel
from shop_desk.ui.shell.widgets import ErrorBanner, FormDialog, allowed, ask

OVERDUE = ("#8a1c12", "#fdecea")
DUE = ("#7a4f00", "#fff8e1")


def qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def pydate(value: QDate) -> dt.date:
    return dt.date(value.year(), value.month(), value.day())


class DueModel(RowTableModel):
    """The visit list, overdue rows red and those due on the chosen day amber."""

    def __init__(self, columns: list[Column], parent: Any) -> None:
        super().__init__(columns, parent)
        self.on_date = clock.today()

    def data(self, index: Any, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if index.isValid() and role in (
            Qt.ItemDataRole.ForegroundRole,
            Qt.ItemDataRole.BackgroundRole,
        ):
            row = self.rows[index.row()]
            if row.next_visit_on <= self.on_date:
                pair = OVERDUE if row.next_visit_on < self.on_date else DUE
                return QColor(pair[0] if role == Qt.ItemDataRole.ForegroundRole else pair[1])
        return super().data(index, role)


class AddKeyCustomerDialog(FormDialog):
    """Put a customer on the visit list: find them by name, phone or plate, say how often."""

    def __init__(self, actor: Staff, parent: QWidget) -> None:
        super().__init__(
            translate("FieldOffice", "Add a key customer"),
            parent,
            translate("FieldOffice", "Add to the visit list"),
        )
        self.setObjectName("addKeyCustomerDialog")
        self.actor = actor
        self.find_edit = QLineEdit(self)
        self.find_edit.setClearButtonEnabled(True)
        self.find_edit.setPlaceholderText(
            translate("FieldOffice", "Name, phone or plate, then Enter")
        )
        self.add_row("find", translate("FieldOffice", "Find:"), self.find_edit)
        self.customer_combo = QComboBox(self)
        self.customer_combo.setMinimumContentsLength(30)
        self.add_row("customer", translate("FieldOffice", "Customer:"), self.customer_combo)
        self.interval = QSpinBox(self)
        self.interval.setRange(7, 730)
        self.interval.setValue(90)
        self.interval.setSuffix(translate("FieldOffice", " days"))
        self.add_row("interval_days", translate("FieldOffice", "Visit every:"), self.interval)
        self.note = QPlainTextEdit(self)
        self.note.setPlaceholderText(translate("FieldOffice", "Fleet size, contact person"))
        self.note.setMaximumHeight(80)
        self.add_row("note", translate("FieldOffice", "Note:"), self.note)
        self.find_edit.returnPressed.connect(self.find)
        self.resize(560, 300)

    def find(self) -> int:
        """The customers matching what was typed (a vehicle brings its owner)."""
        self.customer_combo.clear()
        seen: set[int] = set()
        for hit in search(self.find_edit.text(), 20):
            if hit.customer_id is None or hit.customer_id in seen:
                continue
            seen.add(hit.customer_id)
            customer = Customer.get_or_none(Customer.id == hit.customer_id)
            if customer is not None:
                label = " · ".join(x for x in (customer.name, customer.phone) if x)
                self.customer_combo.addItem(label, customer.id)
        if not seen:
            self.error.show_error(translate("FieldOffice", "Nothing found. Try the phone number."))
        else:
            self.error.clear_message()
        return self.customer_combo.count()

    def submit(self) -> Any:
        customer_id = self.customer_combo.currentData()
        if customer_id is None:
            raise ValidationError(
                translate("FieldOffice", "Find the customer first (type, then Enter)."), "find"
            )
        return key_customers.add_key_customer(
            self.actor, customer_id, self.interval.value(), self.note.toPlainText()
        )


class RecordVisitDialog(FormDialog):
    """A visit made to a key customer: who went, the day, how the cars are used and what
    the customer said about design, assembly and workmanship."""

    def __init__(self, actor: Staff, row: KeyCustomer, parent: QWidget) -> None:
        super().__init__(
            translate("FieldOffice", "Visit to {name}").format(name=row.customer.name),
            parent,
            translate("FieldOffice", "Record the visit"),
        )
        self.setObjectName("recordVisitDialog")
        self.actor, self.row = actor, row
        self.visitor = QComboBox(self)
        for s in Staff.select().where(Staff.active == True).order_by(Staff.name):  # noqa: E712
            self.visitor.addItem(s.name, s.id)
        self.visitor.setCurrentIndex(max(0, self.visitor.findData(actor.id)))
        self.add_row("visited_by", translate("FieldOffice", "Visited by:"), self.visitor)
        self.day = QDateEdit(self)
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("yyyy-MM-dd")
        self.day.setMaximumDate(qdate(clock.today()))
        self.day.setDate(qdate(clock.today()))
        self.add_row("visited_on", translate("FieldOffice", "Day of the visit:"), self.day)
        self.usage = QPlainTextEdit(self)
        self.usage.setPlaceholderText(
            translate("FieldOffice", "Kilometres a day, loads, roads, faults seen")
        )
        self.usage.setMinimumHeight(80)
        self.add_row("usage", translate("FieldOffice", "How the cars are used:"), self.usage)
        self.opinions = QPlainTextEdit(self)
        self.opinions.setPlaceholderText(
            translate("FieldOffice", "On design, assembly and workmanship")
        )
        self.opinions.setMinimumHeight(80)
        self.add_row("opinions", translate("FieldOffice", "Customer's opinions:"), self.opinions)
        self.resize(600, 380)

    def submit(self) -> Any:
        return key_customers.record_key_customer_visit(
            self.actor,
            self.row.id,
            pydate(self.day.date()),
            self.usage.toPlainText(),
            self.opinions.toPlainText(),
            visited_by=self.visitor.currentData(),
        )


class KeyCustomersTab(QWidget):
    """The visit list (or only the visits due by a day), its actions and the history."""

    def __init__(self, staff: Staff, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("fieldKeyCustomersTab")
        self.staff = staff
        self.last: dict[int, dt.date] = {}
        outer = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.due_box = QCheckBox(translate("FieldOffice", "Only visits due by"), self)
        self.due_box.setObjectName("onlyDueBox")
        bar.addWidget(self.due_box)
        self.date_edit = QDateEdit(self)
        self.date_edit.setObjectName("dueDateEdit")
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy-MM-dd")
        self.date_edit.setDate(qdate(clock.today()))
        bar.addWidget(self.date_edit)
        self.filter_edit = QLineEdit(self)
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setPlaceholderText(translate("FieldOffice", "Filter: customer, phone"))
        bar.addWidget(self.filter_edit, 1)
        may_organise = allowed(staff, key_customers.add_key_customer)
        self.add_button = QPushButton(translate("FieldOffice", "Add a key customer…"), self)
        self.add_button.setObjectName("addKeyCustomerButton")
        self.visit_button = QPushButton(translate("FieldOffice", "Record a visit…"), self)
        self.visit_button.setObjectName("recordVisitButton")
        self.remove_button = QPushButton(translate("FieldOffice", "Take off the list"), self)
        self.remove_button.setObjectName("removeKeyCustomerButton")
        self.add_button.setVisible(may_organise)
        self.remove_button.setVisible(may_organise)
        self.visit_button.setVisible(allowed(staff, key_customers.record_key_customer_visit))
        for button in (self.add_button, self.visit_button, self.remove_button):
            bar.addWidget(button)
        outer.addLayout(bar)

        split = QSplitter(Qt.Orientation.Vertical, self)
        columns = [
            Column(lambda: translate("FieldOffice", "Customer"), lambda k: k.customer.name),
            Column(lambda: translate("FieldOffice", "Phone"), lambda k: k.customer.phone),
            Column(
                lambda: translate("FieldOffice", "Visit every (days)"),
                lambda k: k.interval_days,
                align_right=True,
            ),
            Column(
                lambda: translate("FieldOffice", "Next visit"),
                lambda k: k.next_visit_on,
                display=when,
            ),
            Column(
                lambda: translate("FieldOffice", "Last visit"),
                lambda k: self.last.get(k.id),
                display=when,
            ),
            Column(lambda: translate("FieldOffice", "Note"), lambda k: k.note),
        ]
        self.table, self.model, self.proxy = list_view(
            split, "keyCustomersTable", columns, model_type=DueModel
        )
        self.table.setAlternatingRowColors(False)
        split.addWidget(self.table)
        lower = QWidget(split)
        box = QVBoxLayout(lower)
        box.setContentsMargins(0, 4, 0, 0)
        self.history_label = QLabel(lower)
        self.history_label.setObjectName("visitHistoryLabel")
        box.addWidget(self.history_label)
        self.history, self.history_model, _ = list_view(
            lower,
            "visitHistoryTable",
            [
                Column(
                    lambda: translate("FieldOffice", "Visited on"),
                    lambda v: v.visited_on,
                    display=when,
                ),
                Column(lambda: translate("FieldOffice", "Visited by"), lambda v: v.visited_by.name),
                Column(
                    lambda: translate("FieldOffice", "How the cars are used"), lambda v: v.usage
                ),
                Column(
                    lambda: translate("FieldOffice", "Customer's opinions"), lambda v: v.opinions
                ),
            ],
            stretch=3,
        )
        self.history.setSortingEnabled(False)
        box.addWidget(self.history, 1)
        split.addWidget(lower)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        outer.addWidget(split, 1)
        self.banner = ErrorBanner(self)
        self.banner.setObjectName("keyCustomersBanner")
        outer.addWidget(self.banner)

        self.due_box.toggled.connect(lambda _on: self.refresh())
        self.date_edit.dateChanged.connect(lambda _d: self.refresh())
        self.filter_edit.textChanged.connect(self.proxy.setFilterFixedString)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self.show_history())
        self.add_button.clicked.connect(self.add)
        self.visit_button.clicked.connect(self.record_visit)
        self.remove_button.clicked.connect(self.remove)
        self.refresh()

    def on_date(self) -> dt.date:
        return pydate(self.date_edit.date())

    def show_due(self, on_date: dt.date | None = None) -> None:
        """Only the visits due by ``on_date`` (today when None)."""
        self.date_edit.blockSignals(True)
        self.date_edit.setDate(qdate(on_date or clock.today()))
        self.date_edit.blockSignals(False)
        self.due_box.blockSignals(True)
        self.due_box.setChecked(True)
        self.due_box.blockSignals(False)
        self.refresh()

    def refresh(self) -> None:
        day = self.on_date()
        self.model.on_date = day
        self.last = key_customers.last_visits()
        rows = (
            key_customers.visits_due(day)
            if self.due_box.isChecked()
            else key_customers.key_customers()
        )
        fill(self.table, self.model, rows)
        self.show_history()

    def current(self) -> KeyCustomer | None:
        return selected(self.table)

    def show_history(self) -> None:
        row = self.current()
        self.visit_button.setEnabled(row is not None)
        self.remove_button.setEnabled(row is not None)
        if row is None:
            self.history_label.setText("<b>" + translate("FieldOffice", "Visit history") + "</b>")
            self.history_model.set_rows([])
            return
        self.history_label.setText(
            "<b>"
            + translate("FieldOffice", "Visit history of {name}").format(name=row.customer.name)
            + "</b>"
        )
        fill(self.history, self.history_model, key_customers.visits_of(row.id))

    def _open(self, dialog: FormDialog, done: Any) -> FormDialog:
        def accepted() -> None:
            result = dialog.result_value
            self.refresh()
            key = result if isinstance(result, KeyCustomer) else result.key_customer
            select_where(self.table, "id", key.id)
            self.banner.show_info(done(result))

        self.banner.clear_message()
        dialog.accepted.connect(accepted)
        dialog.open()
        return dialog

    def add(self) -> AddKeyCustomerDialog:
        return self._open(
            AddKeyCustomerDialog(self.staff, self),
            lambda k: translate(
                "FieldOffice", "{name} is on the visit list; first visit due {day}."
            ).format(name=k.customer.name, day=when(k.next_visit_on)),
        )

    def record_visit(self) -> RecordVisitDialog | None:
        row = self.current()
        if row is None:
            return None
        return self._open(
            RecordVisitDialog(self.staff, row, self),
            lambda v: translate("FieldOffice", "Visit recorded; the next one is due {day}.").format(
                day=when(KeyCustomer.get_by_id(v.key_customer_id).next_visit_on)
            ),
        )

    def remove(self) -> Any:
        row = self.current()
        if row is None:
            return None

        def yes() -> None:
            try:
                key_customers.remove_key_customer(self.staff, row.id)
            except DomainError as exc:
                self.banner.show_error(str(exc))
                return
            self.refresh()
            self.banner.show_info(
                translate("FieldOffice", "{name} is off the visit list.").format(
                    name=row.customer.name
                )
            )

        return ask(
            self,
            translate("FieldOffice", "Take off the list"),
            translate(
                "FieldOffice",
                "Take {name} off the key-customer list? Their visits stay on record.",
            ).format(name=row.customer.name),
            translate("FieldOffice", "Take off the list"),
            yes,
        )
