"""The station's Additional work tab (增项): the requests proposed for the order, where each
stands with the customer, and the lines of the chosen request with their decisions."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QTableView, QWidget

from shop_desk.i18n import translate
from shop_desk.models import RepairOrder
from shop_desk.ui.shell.models import Column, RowTableModel
from shop_desk.ui.shell.uiload import child
from shop_desk.ui.station import reads
from shop_desk.ui.station.common import (
    StationHost,
    StationTab,
    current_row,
    fit_table,
    reselect,
    setup_table,
)


class AdditionalTab(StationTab):
    """Additional-work requests, read-only here (the action bar proposes them)."""

    def __init__(self, body: QWidget, host: StationHost) -> None:
        super().__init__(body, host)
        self.setObjectName("stationAdditional")
        self.additional_label = child(body, QLabel, "additionalLabel")
        self.requests_view = child(body, QTableView, "requestsTable")
        self.requests_model = RowTableModel(
            [
                Column(
                    lambda: translate("Station", "Proposed"),
                    lambda r: r.proposed_at,
                    display=reads.when,
                ),
                Column(lambda: translate("Station", "By"), lambda r: r.proposed_by),
                Column(lambda: translate("Station", "Reason"), lambda r: r.reason),
                Column(
                    lambda: translate("Station", "Amount"),
                    lambda r: r.total,
                    align_right=True,
                ),
                Column(lambda: translate("Station", "State"), lambda r: r.state_text),
                Column(
                    lambda: translate("Station", "Customer's decision"),
                    lambda r: (
                        ""
                        if r.state == "pending"
                        else translate("Station", "{method}, {who}, {time}").format(
                            method=reads.auth_method_label(r.auth_method),
                            who=r.auth_by_customer,
                            time=reads.when(r.auth_at),
                        )
                    ),
                ),
            ],
            self,
        )
        self.requests_view.setModel(self.requests_model)
        setup_table(self.requests_view, 2, 36)
        self.requests_view.setMaximumHeight(200)
        self.requests_view.selectionModel().currentRowChanged.connect(
            lambda *_: self._request_changed()
        )
        self.request_lines_view = child(body, QTableView, "requestLinesTable")
        self.request_lines_model = RowTableModel(
            [
                Column(
                    lambda: translate("Station", "Kind"),
                    lambda r: (
                        translate("Station", "Labour")
                        if r.kind == "labour"
                        else translate("Station", "Part")
                    ),
                ),
                Column(lambda: translate("Station", "Description"), lambda r: r.description),
                Column(
                    lambda: translate("Station", "Hours / quantity"),
                    lambda r: r.amount_basis,
                    align_right=True,
                ),
                Column(
                    lambda: translate("Station", "Amount"), lambda r: r.amount, align_right=True
                ),
                Column(
                    lambda: translate("Station", "Decision"),
                    lambda r: reads.auth_state_label(r.auth_state),
                ),
            ],
            self,
            is_dimmed=lambda r: r.auth_state == "declined",
        )
        self.request_lines_view.setModel(self.request_lines_model)
        setup_table(self.request_lines_view, 1, 34)

    def fill(self, order: RepairOrder) -> None:
        keep = self.selected_request()
        rows = reads.order_requests(order.id)
        self.requests_model.set_rows(rows)
        fit_table(self.requests_view, 2)
        pending = [r for r in rows if r.state == "pending"]
        if pending and all(r.decided_by == "insurer" for r in pending):
            text = translate(
                "Station",
                "{n} supplementary assessments wait for the insurer's approval; the service "
                "advisor records the insurer's answer. Do not start that work before.",
            ).format(n=len(pending))
        elif pending:
            text = translate(
                "Station",
                "{n} requests wait for the customer's authorisation; the service advisor records it. "
                "Do not start that work before.",
            ).format(n=len(pending))
        elif rows:
            text = translate("Station", "Every request is decided; declined lines stay on record.")
        else:
            text = translate(
                "Station", "No additional work proposed. Found something? Use Additional work…"
            )
        self.additional_label.setText(text)
        if (
            not reselect(
                self.requests_view,
                self.requests_model,
                lambda r: keep and r.request_id == keep.request_id,
            )
            and rows
        ):
            self.requests_view.setCurrentIndex(self.requests_model.index(0, 0))
        self._request_changed()

    def clear(self) -> None:
        self.requests_model.set_rows([])
        self.request_lines_model.set_rows([])

    def selected_request(self) -> reads.RequestRow | None:
        return current_row(self.requests_view, self.requests_model)

    def _request_changed(self) -> None:
        req = self.selected_request()
        self.request_lines_model.set_rows(req.lines if req else [])
        fit_table(self.request_lines_view, 1)
