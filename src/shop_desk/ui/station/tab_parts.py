"""The station's Parts tab: the order's part lines with their stock, requesting and issuing
parts, goods received at the counter, and the parts issue slips the technician signs; below
them the return slips (:mod:`.parts_returns`). The counter's own work, not tied to one job
(supplier orders, supplier claims), is on the page's header (:mod:`.parts_counter`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QTableView, QWidget

from shop_desk.errors import DomainError
from shop_desk.i18n import translate
from shop_desk.models import RepairOrder
from shop_desk.services import parts as parts_service
from shop_desk.states import State
from shop_desk.ui.shell.models import Column, RowTableModel
from shop_desk.ui.shell.part_picker import stock_text
from shop_desk.ui.shell.uiload import child
from shop_desk.ui.shell.widgets import allowed
from shop_desk.ui.station import reads
from shop_desk.ui.station.common import (
    StationHost,
    StationTab,
    current_row,
    fit_table,
    print_preview_available,
    reselect,
    setup_table,
    show_print_preview,
    slip_columns,
)
from shop_desk.ui.station.dialogs_parts import (
    IssuePartsDialog,
    ReceiveStockDialog,
    RequestPartsDialog,
    SignSlipDialog,
)
from shop_desk.ui.station.parts_returns import ReturnSlipsPanel


def qty(value: Any) -> str:
    return "" if value is None else f"{value.normalize():f}"


class PartsTab(StationTab):
    """Part lines, requests, issue and slips; see the module docstring."""

    def __init__(self, body: QWidget, host: StationHost) -> None:
        super().__init__(body, host)
        self.setObjectName("stationParts")
        self.order: RepairOrder | None = None
        self.parts_view = child(body, QTableView, "partsTable")
        self.parts_model = RowTableModel(
            [
                Column(lambda: translate("Station", "Part no."), lambda r: r.part_no),
                Column(lambda: translate("Station", "Part"), lambda r: r.description),
                Column(
                    lambda: translate("Station", "Planned"),
                    lambda r: r.planned,
                    display=qty,
                    align_right=True,
                ),
                Column(
                    lambda: translate("Station", "Requested"),
                    lambda r: r.requested,
                    display=qty,
                    align_right=True,
                ),
                Column(
                    lambda: translate("Station", "Reserved"),
                    lambda r: r.reserved,
                    display=qty,
                    align_right=True,
                ),
                Column(
                    lambda: translate("Station", "Issued"),
                    lambda r: r.issued,
                    display=qty,
                    align_right=True,
                ),
                Column(
                    lambda: translate("Station", "Free in stock"),
                    lambda r: r.available,
                    display=qty,
                    align_right=True,
                ),
                Column(lambda: translate("Station", "Bin"), lambda r: r.bin_location),
                Column(lambda: translate("Station", "Status"), lambda r: r.status_text),
            ],
            self,
            is_dimmed=lambda r: r.auth_state != "authorised",
        )
        self.parts_view.setModel(self.parts_model)
        setup_table(self.parts_view, 1, 40)
        self.parts_view.selectionModel().currentRowChanged.connect(lambda *_: self._part_changed())
        self.request_parts_button = child(body, QPushButton, "requestPartsButton")
        self.issue_parts_button = child(body, QPushButton, "issuePartsButton")
        self.parts_arrived_button = child(body, QPushButton, "partsArrivedButton")
        self.receive_stock_button = child(body, QPushButton, "receiveStockButton")
        self.stock_label = child(body, QLabel, "stockLabel")
        self.request_parts_button.clicked.connect(self.request_parts)
        self.issue_parts_button.clicked.connect(self.issue_parts)
        self.parts_arrived_button.clicked.connect(self.parts_arrived)
        self.receive_stock_button.clicked.connect(self.receive_stock)
        self.slips_view = child(body, QTableView, "slipsTable")
        self.slips_model = RowTableModel(
            slip_columns(
                lambda: translate("Station", "Slip no."),
                lambda: translate("Station", "Parts"),
                lambda: translate("Station", "Handed to"),
                lambda: translate("Station", "Issued"),
            ),
            self,
        )
        self.slips_view.setModel(self.slips_model)
        setup_table(self.slips_view, 1, 36)
        self.slips_view.setMaximumHeight(180)
        self.slips_view.selectionModel().currentRowChanged.connect(lambda *_: self._slip_changed())
        self.sign_slip_button = child(body, QPushButton, "signSlipButton")
        self.preview_slip_button = child(body, QPushButton, "previewSlipButton")
        self.sign_slip_button.clicked.connect(self.sign_slip)
        self.preview_slip_button.clicked.connect(self.preview_slip)
        self.returns = ReturnSlipsPanel(host, body, child(body, QHBoxLayout, "slipButtons"))
        body.layout().addWidget(self.returns)
        self._apply_roles()

    def _apply_roles(self) -> None:
        """Hide what the signed-in person's roles cannot use (the services refuse it anyway)."""
        staff = self.host.staff
        self.request_parts_button.setVisible(allowed(staff, parts_service.request_parts))
        self.issue_parts_button.setVisible(allowed(staff, parts_service.issue_parts))
        self.parts_arrived_button.setVisible(allowed(staff, parts_service.parts_arrived))
        self.receive_stock_button.setVisible(allowed(staff, parts_service.receive_stock))
        self.sign_slip_button.setVisible(allowed(staff, parts_service.sign_issue_slip))
        self.preview_slip_button.setVisible(print_preview_available())

    # -- reading -------------------------------------------------------------------------
    def fill(self, order: RepairOrder) -> None:
        self.order = order
        keep = self.selected_part()
        self.parts_model.set_rows(reads.part_rows(order.id))
        fit_table(self.parts_view, 1)
        if not (keep and self.select_part(lambda r: r.line_id == keep.line_id)):
            self.select_part(lambda r: r.to_issue > 0) or self.select_part(lambda r: True)
        keep_slip = self.selected_slip()
        slips = reads.slip_rows(order.id)
        self.slips_model.set_rows(slips)
        fit_table(self.slips_view, 1)
        self.select_slip(
            lambda r: (
                (keep_slip and r.slip_id == keep_slip.slip_id)
                or (not keep_slip and r.signed_at is None)
            ),
        )
        self._part_changed()
        self._slip_changed()
        self.returns.fill(order, self.parts_model.rows)

    def clear(self) -> None:
        self.order = None
        self.parts_model.set_rows([])
        self.slips_model.set_rows([])
        self.returns.clear()

    def selected_part(self) -> reads.PartRow | None:
        return current_row(self.parts_view, self.parts_model)

    def selected_slip(self) -> reads.SlipRow | None:
        return current_row(self.slips_view, self.slips_model)

    def select_part(self, predicate: Callable[[reads.PartRow], bool]) -> bool:
        return reselect(self.parts_view, self.parts_model, predicate)

    def select_slip(self, predicate: Callable[[reads.SlipRow], bool]) -> bool:
        return reselect(self.slips_view, self.slips_model, predicate)

    def _part_changed(self) -> None:
        row = self.selected_part()
        self.request_parts_button.setEnabled(row is not None)
        if row is not None and row.part_id is not None:
            self.stock_label.setText(stock_text(parts_service.stock_lookup(row.part_id)))
        else:
            self.stock_label.clear()
        has_lines = any(r.auth_state == "authorised" and r.part_id for r in self.parts_model.rows)
        self.issue_parts_button.setEnabled(has_lines)
        self.parts_arrived_button.setEnabled(
            self.order is not None and State(self.order.state) == State.WAITING_PARTS
        )

    def _slip_changed(self) -> None:
        slip = self.selected_slip()
        self.sign_slip_button.setEnabled(slip is not None and slip.signed_at is None)
        self.preview_slip_button.setEnabled(slip is not None)

    # -- doing ---------------------------------------------------------------------------
    def request_parts(self) -> QDialog | None:
        row, order = self.selected_part(), self.host.need_order()
        if row is None or order is None:
            if order is not None:
                self.host.show_error(translate("Station", "Choose a part line first."))
            return None

        def done(d: RequestPartsDialog) -> str:
            result = d.result_value
            if result.short > 0:
                return translate(
                    "Station",
                    "{part}: {reserved} reserved, {short} short — the parts counter orders it.",
                ).format(
                    part=row.description, reserved=qty(result.reserved), short=qty(result.short)
                )
            return translate(
                "Station", "{part} requested and reserved; collect it at the parts counter."
            ).format(part=row.description)

        return self.host.open_dialog(RequestPartsDialog(self.host.staff, order, row, self), done)

    def issue_parts(self) -> QDialog | None:
        order = self.host.need_order()
        if order is None:
            return None

        def done(d: IssuePartsDialog) -> str:
            slip = d.result_value
            if self.host.auto_preview and print_preview_available():
                QTimer.singleShot(0, lambda: self._preview(order.number))
            return translate(
                "Station", "Parts issue slip {slip} made; {name} signs it on the station."
            ).format(slip=slip.number, name=slip.technician.name)

        return self.host.open_dialog(IssuePartsDialog(self.host.staff, order, self), done)

    def parts_arrived(self) -> None:
        order = self.host.need_order()
        if order is not None:
            self.host.call(
                parts_service.parts_arrived,
                order.id,
                done=translate(
                    "Station", "Parts reserved for {number}; the work can go on."
                ).format(number=order.number),
            )

    def receive_stock(self) -> QDialog:
        dialog = ReceiveStockDialog(self.host.staff, self)
        part = self.selected_part()
        if part is not None and part.part_id is not None:
            dialog.select_part(part.part_id)
        return self.host.open_dialog(dialog, lambda d: stock_text(d.result_value))

    def sign_slip(self) -> QDialog | None:
        slip = self.selected_slip()
        if slip is None:
            self.host.show_error(translate("Station", "Choose a parts issue slip first."))
            return None
        return self.host.open_dialog(
            SignSlipDialog(self.host.staff, slip, self),
            lambda d: translate("Station", "Parts issue slip {number} signed.").format(
                number=slip.number
            ),
        )

    def preview_slip(self) -> Any:
        if self.order is not None:
            return self._preview(self.order.number)
        return None

    def _preview(self, number: str) -> Any:
        try:
            return show_print_preview(self, "parts-issue", number)
        except DomainError as exc:
            self.host.show_error(str(exc))
            return None
