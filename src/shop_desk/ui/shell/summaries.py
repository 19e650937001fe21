"""Read-only summaries of a vehicle, customer or repair order (what search opens for now).

Later screens (reception, workshop...) connect the main window's ``vehicle_opened`` /
``order_opened`` signals to their own pages; these dialogs are the shell's fallback.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from shop_desk.i18n import join_list, translate
from shop_desk.money import fmt
from shop_desk.services import search as reads
from shop_desk.ui.shell.models import Column, RowTableModel


def _value_label(text: str) -> QLabel:
    label = QLabel(text or "—")
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setWordWrap(True)
    return label


def _pay_type_label(code: str) -> str:
    return {
        "customer": translate("Summary", "Customer pays"),
        "warranty": translate("Summary", "Warranty"),
        "internal": translate("Summary", "Internal"),
        "goodwill": translate("Summary", "Goodwill"),
    }.get(code, code)


def _kind_label(code: str) -> str:
    return {"labour": translate("Summary", "Labour"), "part": translate("Summary", "Part")}.get(
        code, code
    )


class _SummaryDialog(QDialog):
    def __init__(self, title: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.layout_ = QVBoxLayout(self)
        self.heading = QLabel()
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.heading.setFont(font)
        self.layout_.addWidget(self.heading)
        self.form = QFormLayout()
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.layout_.addLayout(self.form)

    def row(self, label: str, value: str) -> None:
        self.form.addRow(label, _value_label(value))

    def table(self, title: str, model: RowTableModel) -> QTableView:
        self.layout_.addWidget(QLabel(f"<b>{title}</b>"))
        view = QTableView(self)
        view.setModel(model)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.verticalHeader().hide()
        view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 8)
        view.horizontalHeader().setStretchLastSection(True)
        view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        view.setAlternatingRowColors(True)
        self.layout_.addWidget(view, 1)
        return view

    def finish(self) -> None:
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(translate("Summary", "Close"))
        buttons.rejected.connect(self.reject)
        self.layout_.addWidget(buttons)


class VehicleSummaryDialog(_SummaryDialog):
    """Vehicle, owner and visits; double-clicking a visit asks to open that order."""

    order_requested = Signal(int)

    def __init__(self, vehicle_id: int, parent: QWidget | None = None) -> None:
        s = reads.vehicle_summary(vehicle_id)
        super().__init__(
            translate("Summary", "Vehicle {plate}").format(plate=s.plate or s.vin), parent
        )
        self.setObjectName("vehicleSummary")
        self.summary = s
        self.heading.setText(f"{s.plate or s.vin}  {s.make_model}")
        self.row(translate("Summary", "VIN"), s.vin)
        self.row(
            translate("Summary", "Year / colour"),
            " / ".join(x for x in (str(s.year or ""), s.colour) if x),
        )
        self.row(
            translate("Summary", "Owner"), " ".join(x for x in (s.owner_name, s.owner_phone) if x)
        )
        self.row(translate("Summary", "Sale date"), s.sale_date.isoformat() if s.sale_date else "")
        self.row(
            translate("Summary", "Warranty start"),
            s.warranty_start.isoformat() if s.warranty_start else "",
        )
        self.row(translate("Summary", "Odometer (km)"), f"{s.last_odometer_km:,}")
        if s.recommendations:
            self.row(
                translate("Summary", "Recommended work"), join_list(s.recommendations, clauses=True)
            )
        self.orders = RowTableModel(
            [
                Column(lambda: translate("Summary", "Order"), lambda r: r.number),
                Column(lambda: translate("Summary", "Date"), lambda r: r.date),
                Column(lambda: translate("Summary", "State"), lambda r: r.state_label),
                Column(
                    lambda: translate("Summary", "Odometer (km)"),
                    lambda r: r.odometer_km,
                    align_right=True,
                ),
                Column(lambda: translate("Summary", "Customer's complaint"), lambda r: r.complaint),
            ],
            self,
        )
        self.orders.set_rows(s.orders)
        view = self.table(translate("Summary", "Visits"), self.orders)
        view.doubleClicked.connect(
            lambda index: self.order_requested.emit(self.orders.row_at(index.row()).id)
        )
        self.finish()
        self.resize(680, 480)


class CustomerSummaryDialog(_SummaryDialog):
    vehicle_requested = Signal(int)

    def __init__(self, customer_id: int, parent: QWidget | None = None) -> None:
        s = reads.customer_summary(customer_id)
        super().__init__(translate("Summary", "Customer {name}").format(name=s.name), parent)
        self.setObjectName("customerSummary")
        self.heading.setText(s.name)
        if s.company:
            self.row(translate("Summary", "Company"), s.company)
        self.row(translate("Summary", "Phone"), " / ".join(p for p in (s.phone, s.phone2) if p))
        self.row(translate("Summary", "Address"), s.address)
        self.row(translate("Summary", "Preferred call time"), s.preferred_contact_time)
        self.vehicles = RowTableModel(
            [
                Column(lambda: translate("Summary", "Plate"), lambda r: r[1]),
                Column(lambda: translate("Summary", "Make and model"), lambda r: r[2]),
            ],
            self,
        )
        self.vehicles.set_rows(s.vehicles)
        view = self.table(translate("Summary", "Vehicles"), self.vehicles)
        view.doubleClicked.connect(
            lambda index: self.vehicle_requested.emit(self.vehicles.row_at(index.row())[0])
        )
        self.finish()
        self.resize(560, 400)


class OrderSummaryDialog(_SummaryDialog):
    def __init__(self, order_id: int, parent: QWidget | None = None) -> None:
        s = reads.order_summary(order_id)
        super().__init__(
            translate("Summary", "Repair order {number}").format(number=s.number), parent
        )
        self.setObjectName("orderSummary")
        self.heading.setText(f"{s.number}  —  {s.state_label}")
        self.row(translate("Summary", "Vehicle"), f"{s.plate or s.vin}  {s.make_model}")
        self.row(
            translate("Summary", "Customer"),
            " ".join(x for x in (s.customer_name, s.customer_phone) if x),
        )
        self.row(translate("Summary", "Service advisor"), s.advisor)
        self.row(
            translate("Summary", "Checked in"),
            s.checked_in_at.strftime("%Y-%m-%d %H:%M") if s.checked_in_at else "",
        )
        self.row(
            translate("Summary", "Promised completion time"),
            s.promised_at.strftime("%Y-%m-%d %H:%M") if s.promised_at else "",
        )
        self.row(
            translate("Summary", "Odometer (km)"),
            f"{s.odometer_km:,}" if s.odometer_km is not None else "",
        )
        self.row(translate("Summary", "Customer's complaint"), s.complaint)
        if s.team or s.technician:
            self.row(
                translate("Summary", "Team / technician"),
                " / ".join(x for x in (s.team, s.technician) if x),
            )
        if s.field_jobs:  # a car towed in: the field job it came from
            self.row(translate("Summary", "Field job"), "\n".join(j.text() for j in s.field_jobs))
        self.lines = RowTableModel(
            [
                Column(lambda: translate("Summary", "Item"), lambda r: r.description),
                Column(lambda: translate("Summary", "Kind"), lambda r: _kind_label(r.kind)),
                Column(
                    lambda: translate("Summary", "Pay type"), lambda r: _pay_type_label(r.pay_type)
                ),
                Column(
                    lambda: translate("Summary", "Amount"),
                    lambda r: r.amount,
                    display=fmt,
                    align_right=True,
                ),
            ],
            self,
        )
        self.lines.set_rows(s.lines)
        self.table(translate("Summary", "Work and parts"), self.lines)
        total = QLabel(
            translate("Summary", "Customer pays: {amount}").format(amount=fmt(s.customer_total))
        )
        total.setAlignment(Qt.AlignmentFlag.AlignRight)
        total.setStyleSheet("font-weight: bold;")
        self.layout_.addWidget(total)
        self.finish()
        self.resize(680, 520)
