"""Warranty area: warranty claims (索赔) to the manufacturer — approved with the claim number,
or rejected (the customer pays, or the shop writes the amount off with the general manager's
approval) — and the 三包 monitor: per car the days in repair and repairs of the same fault
in the statutory warranty period, the warnings with their evidence and the disclaimer.

The monitor shows evidence; it never says what is owed (:func:`sanbao.disclaimer`).
Changes go through :mod:`shop_desk.services.aftercare` and
:mod:`shop_desk.services.approvals` only.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFileDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from shop_desk import clock
from shop_desk.errors import DomainError
from shop_desk.export import write_csv
from shop_desk.i18n import join_list, translate
from shop_desk.models import Approval, JobLine, Staff
from shop_desk.money import ZERO, fmt, money
from shop_desk.services import aftercare, sanbao
from shop_desk.services.approvals import ApprovalRequired
from shop_desk.services.customers import vehicle_label, vehicle_text
from shop_desk.services.orders import line_total_of
from shop_desk.services.reports import pay_type_label
from shop_desk.services.search import search
from shop_desk.states import FROZEN_STATES, State, state_label
from shop_desk.ui.aftercare.common import (
    AMBER,
    GREEN,
    GREY,
    RED,
    ColouredModel,
    approval_state_label,
    claim_state_label,
    fit_columns,
    plate_text,
    select_where,
    selected_row,
    setup_table,
)
from shop_desk.ui.shell.background import LatestRead
from shop_desk.ui.shell.models import Column, RowTableModel, row_of
from shop_desk.ui.shell.tab_reads import TabReads
from shop_desk.ui.shell.uiload import child, load_form
from shop_desk.ui.shell.widgets import ErrorBanner, FormDialog, allowed, app_settings
from shop_desk.validation import display_plate

if TYPE_CHECKING:
    from shop_desk.ui.shell.main_window import MainWindow

#: The choices of the claims list: a claim state or None for all.
CLAIM_FILTERS = ("pending", "approved", "rejected", "written_off", None)


def claim_row(row: dict[str, Any]) -> dict[str, Any]:
    """One line of the claims list from :func:`aftercare.warranty_claim_rows`'s plain row."""
    state = row["warranty_claim_state"] or "pending"
    return {
        "id": row["id"],
        "order": row["order"],
        "order_id": row["order_id"],
        "order_state": state_label(row["order_state"]),
        "settled": State(row["order_state"]) in FROZEN_STATES,
        "date": row["checked_in_at"] or row["created_at"],
        "vehicle": vehicle_text(row["plate"], row["vin"], row["make"], row["model"]),
        "plate": display_plate(row["plate"]) if row["plate"] else row["vin"],
        "customer": row["customer"],
        "item": row["description"],
        "pay_type": pay_type_label(row["pay_type"]),
        "amount": line_total_of(
            row["kind"],
            row["hours"],
            row["rate"],
            row["quantity"],
            row["unit_price"],
            row["discount"],
        ),
        "state": state,
        "state_text": claim_state_label(state),
        "claim_no": row["warranty_claim_no"],
    }


def claim_rows(state: str | None) -> list[dict[str, Any]]:
    """The claims in ``state`` (None: all)."""
    return [claim_row(row) for row in aftercare.warranty_claim_rows(state)]


def _claim_colour(row: dict[str, Any]) -> tuple[str | None, str | None] | None:
    return {
        "pending": None,
        "approved": GREEN,
        "rejected": GREY,
        "written_off": GREY,
    }.get(row["state"])


def _filter_text(state: str | None) -> str:
    if state is None:
        return translate("AftercareUi", "All claims")
    return claim_state_label(state)


def table_columns(header: Sequence[object]) -> list[Column]:
    """Columns for a table given as rows whose first row is the header."""
    return [
        Column(lambda text=str(text): text, lambda r, i=i: r[i] if i < len(r) else None)
        for i, text in enumerate(header)
    ]


def level_colour(level: str) -> tuple[str, str]:
    return RED if level == sanbao.REACHED else AMBER


# --------------------------------------------------------------------------- dialogs


class ApproveClaimDialog(FormDialog):
    """The manufacturer accepted the claim: record its claim number."""

    def __init__(self, actor: Staff, row: dict[str, Any], parent: QWidget | None = None) -> None:
        super().__init__(
            translate("AftercareUi", "Claim approved by the manufacturer"),
            parent,
            translate("AftercareUi", "&Approve claim"),
        )
        self.setObjectName("approveClaimDialog")
        self.actor, self.row = actor, row
        what = QLabel(
            html.escape(f"{row['order']} · {row['vehicle']}")
            + "<br><b>"
            + html.escape(f"{row['item']} · {fmt(row['amount'])}")
            + "</b>"
        )
        what.setWordWrap(True)
        self.form.addRow(what)
        self.claim_edit = self.add_row(
            "claim_no", translate("AftercareUi", "Manufacturer's claim number:"), QLineEdit()
        )
        self.claim_edit.setMaxLength(60)
        self.claim_edit.setFocus()
        self.resize(480, self.sizeHint().height())

    def submit(self) -> JobLine:
        return aftercare.approve_claim(self.actor, self.row["id"], self.claim_edit.text())


class RejectClaimDialog(FormDialog):
    """The manufacturer refused: the customer pays (before settlement) or the shop writes it
    off — which needs an approved manager approval; without one it offers to request it."""

    requested = Signal(object)  # Approval

    def __init__(self, actor: Staff, row: dict[str, Any], parent: QWidget | None = None) -> None:
        from shop_desk.ui.shell.approval_bar import ApprovalRequestBar

        super().__init__(
            translate("AftercareUi", "Claim rejected by the manufacturer"),
            parent,
            translate("AftercareUi", "&Reject claim"),
        )
        self.setObjectName("rejectClaimDialog")
        self.actor, self.row = actor, row
        what = QLabel(
            html.escape(f"{row['order']} · {row['vehicle']} · {row['order_state']}")
            + "<br><b>"
            + html.escape(f"{row['item']} · {fmt(row['amount'])}")
            + "</b>"
        )
        what.setWordWrap(True)
        self.form.addRow(what)
        self.customer_pays_radio = QRadioButton(
            translate("AftercareUi", "The &customer pays (only before settlement)")
        )
        self.customer_pays_radio.setObjectName("customerPaysRadio")
        self.write_off_radio = QRadioButton(
            translate("AftercareUi", "The shop &writes it off (general manager's approval)")
        )
        self.write_off_radio.setObjectName("writeOffRadio")
        self.form.addRow(translate("AftercareUi", "Outcome:"), self.customer_pays_radio)
        self.form.addRow("", self.write_off_radio)
        settled = row["settled"]
        self.customer_pays_radio.setEnabled(not settled)
        (self.write_off_radio if settled else self.customer_pays_radio).setChecked(True)
        if settled:
            self.customer_pays_radio.setToolTip(
                translate(
                    "AftercareUi", "The order is settled: the customer can no longer be charged."
                )
            )
        self.pending_label = QLabel()
        self.pending_label.setWordWrap(True)
        self.form.addRow(self.pending_label)
        self._show_approvals()
        self.approval_bar = ApprovalRequestBar(actor, self)
        layout = self.layout()
        layout.insertWidget(layout.indexOf(self.error) + 1, self.approval_bar)
        self.approval_bar.requested.connect(self._requested)
        self.resize(540, self.sizeHint().height())

    def _approvals(self) -> list[Approval]:
        return list(
            Approval.select()
            .where(
                (Approval.order == self.row["order_id"])
                & (Approval.kind == "write_off")
                & Approval.state.in_(("pending", "approved"))
            )
            .order_by(Approval.id)
        )

    def _show_approvals(self) -> None:
        rows = self._approvals()
        if not rows:
            self.pending_label.hide()
            return
        texts = [
            translate(
                "AftercareUi", "Write-off approval {state} ({amount}, asked by {name})."
            ).format(
                state=approval_state_label(a.state),
                amount=fmt(a.amount) if a.amount is not None else "—",
                name=a.requested_by.name,
            )
            for a in rows
        ]
        self.pending_label.setText(" ".join(texts))
        self.pending_label.show()

    def outcome(self) -> str:
        return "write_off" if self.write_off_radio.isChecked() else "customer_pays"

    def submit(self) -> JobLine | None:
        try:
            return aftercare.reject_claim(self.actor, self.row["id"], self.outcome())
        except ApprovalRequired as exc:
            self.approval_bar.reason_edit.setText(
                translate("AftercareUi", "Manufacturer rejected the claim for {item}.").format(
                    item=self.row["item"]
                )
            )
            self.approval_bar.offer(
                exc, JobLine.get_by_id(self.row["id"]).order, {"line": self.row["id"]}
            )
            raise

    def _requested(self, approval: Approval) -> None:
        self._show_approvals()
        self.error.show_info(
            translate(
                "AftercareUi",
                "Write-off requested. Once the general manager approves it, reject the claim "
                "again with “write off”.",
            )
        )
        self.requested.emit(approval)


# --------------------------------------------------------------------------- the page


class WarrantyPage(QWidget):
    """Warranty claims and the 三包 monitor, as two tabs."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__()
        self.setObjectName("warrantyPage")
        self.window_ = window
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.form = load_form("aftercare_warranty", self)
        layout.addWidget(self.form)
        f = self.form
        self.tabs = child(f, QTabWidget, "tabs")
        self.state_combo = child(f, QComboBox, "stateCombo")
        self.filter_edit = child(f, QLineEdit, "filterEdit")
        self.count_label = child(f, QLabel, "countLabel")
        self.approve_button = child(f, QPushButton, "approveButton")
        self.reject_button = child(f, QPushButton, "rejectButton")
        self.order_button = child(f, QPushButton, "orderButton")
        self.table = child(f, QTableView, "claimTable")
        self.disclaimer = child(f, QLabel, "disclaimerLabel")
        self.date_edit = child(f, QDateEdit, "dateEdit")
        self.lookup_edit = child(f, QLineEdit, "lookupEdit")
        self.watch_count = child(f, QLabel, "watchCountLabel")
        self.export_button = child(f, QPushButton, "exportButton")
        self.splitter = child(f, QSplitter, "sanbaoSplitter")
        self.watch_table = child(f, QTableView, "watchTable")
        self.car_heading = child(f, QLabel, "carHeading")
        self.car_empty = child(f, QLabel, "carEmptyLabel")
        self.status_table = child(f, QTableView, "statusTable")
        self.warnings_title = child(f, QLabel, "warningsTitle")
        self.warning_list = child(f, QListWidget, "warningList")
        self.evidence_title = child(f, QLabel, "evidenceTitle")
        self.evidence_table = child(f, QTableView, "evidenceTable")
        self.banner = ErrorBanner(self)
        self.banner.setObjectName("warrantyBanner")
        child(f, QWidget, "claimsTab").layout().insertWidget(1, self.banner)
        self.sanbao_banner = ErrorBanner(self)
        self.sanbao_banner.setObjectName("sanbaoBanner")
        child(f, QWidget, "sanbaoTab").layout().insertWidget(2, self.sanbao_banner)

        for state in CLAIM_FILTERS:
            self.state_combo.addItem(_filter_text(state), state)
        self.model = ColouredModel(
            [
                Column(lambda: translate("AftercareUi", "Order"), lambda r: r["order"]),
                Column(lambda: translate("AftercareUi", "Date"), lambda r: r["date"]),
                Column(lambda: translate("AftercareUi", "Plate"), lambda r: r["plate"]),
                Column(lambda: translate("AftercareUi", "Customer"), lambda r: r["customer"]),
                Column(lambda: translate("AftercareUi", "Item"), lambda r: r["item"]),
                Column(
                    lambda: translate("AftercareUi", "Amount"),
                    lambda r: r["amount"],
                    display=fmt,
                    align_right=True,
                ),
                Column(lambda: translate("AftercareUi", "Pay type"), lambda r: r["pay_type"]),
                Column(lambda: translate("AftercareUi", "Claim"), lambda r: r["state_text"]),
                Column(lambda: translate("AftercareUi", "Claim number"), lambda r: r["claim_no"]),
                Column(lambda: translate("AftercareUi", "Order state"), lambda r: r["order_state"]),
            ],
            self,
            _claim_colour,
        )
        self.proxy = setup_table(self.table, self.model, stretch=4)

        self.disclaimer.setText(sanbao.disclaimer())
        self.watch_model = ColouredModel(
            [
                Column(lambda: translate("AftercareUi", "Plate"), lambda s: plate_text(s.vehicle)),
                Column(
                    lambda: translate("AftercareUi", "Customer"),
                    lambda s: s.vehicle.owner.name if s.vehicle.owner_id else "",
                ),
                Column(
                    lambda: translate("AftercareUi", "Days in repair"),
                    lambda s: s.cumulative_days,
                    align_right=True,
                ),
                Column(
                    lambda: translate("AftercareUi", "Level"),
                    lambda s: sanbao.level_label(_worst(s)),
                ),
                Column(
                    lambda: translate("AftercareUi", "Warnings"),
                    lambda s: join_list(
                        [sanbao.kind_label(w.kind) for w in s.warnings], clauses=True
                    ),
                ),
            ],
            self,
            lambda s: level_colour(_worst(s)),
        )
        self.watch_proxy = setup_table(
            self.watch_table, self.watch_model, stretch=4, sort_column=None
        )
        self.status_model = RowTableModel(
            [
                Column(lambda: translate("AftercareUi", "Figure"), lambda r: r[0]),
                Column(lambda: translate("AftercareUi", "Value"), lambda r: r[1]),
            ],
            self,
        )
        setup_table(self.status_table, self.status_model, stretch=1, sort_column=None)
        self.status_table.setAlternatingRowColors(True)
        self.evidence_model = RowTableModel(table_columns(sanbao.evidence_rows([])[0]), self)
        setup_table(self.evidence_table, self.evidence_model, stretch=5, sort_column=None)
        self.status: sanbao.SanbaoStatus | None = None

        settings_ = app_settings()
        self.state_combo.setCurrentIndex(
            max(0, self.state_combo.findData(settings_.value("warranty/state", "pending", str)))
        )
        self.date_edit.setDate(QDate(clock.today()))
        state = settings_.value("warranty/splitter")
        if state is not None:
            self.splitter.restoreState(state)
        else:
            self.splitter.setSizes([400, 760])
        self.splitter.splitterMoved.connect(
            lambda *_: app_settings().setValue("warranty/splitter", self.splitter.saveState())
        )

        self.can_approve = allowed(window.staff, aftercare.approve_claim)
        self.can_reject = allowed(window.staff, aftercare.reject_claim)
        self.state_combo.currentIndexChanged.connect(self._state_changed)
        self.filter_edit.textChanged.connect(self._filter)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._claim_selected())
        self.approve_button.clicked.connect(lambda: self.approve())
        self.reject_button.clicked.connect(lambda: self.reject())
        self.order_button.clicked.connect(self._show_order)
        self.date_edit.dateChanged.connect(lambda _d: self.refresh_watchlist())
        self.lookup_edit.returnPressed.connect(lambda: self.look_up())
        self.watch_table.selectionModel().currentRowChanged.connect(
            lambda *_: self._watch_selected()
        )
        self.warning_list.currentRowChanged.connect(self._warning_selected)
        self.export_button.clicked.connect(lambda: self.export_watchlist())
        # the 三包 watchlist goes through every household car of the period: read when shown
        self.tab_reads = TabReads(
            self.tabs, "warranty/tab", (self.refresh_claims, self.refresh_watchlist)
        )
        self.dialog: QWidget | None = None
        self.claims_reader = LatestRead(translate("AftercareUi", "The warranty claims"), self)
        self.claims_reader.ready.connect(self._claims_read)
        self.claims_reader.failed.connect(self.banner.show_error)
        self.watch_reader = LatestRead(translate("AftercareUi", "The 三包 watchlist"), self)
        self.watch_reader.ready.connect(self._watch_read)
        self.watch_reader.failed.connect(self._watch_failed)
        self.refresh()

    @property
    def actor(self) -> Staff:
        return self.window_.staff

    def refresh(self) -> None:
        """Read the list of the tab on show; the other tab's when it is shown."""
        self.tab_reads.refresh()

    # -- claims ------------------------------------------------------------------------------
    def refresh_claims(self) -> None:
        """Read the claims on a pool thread (ten years of them under "All claims")."""
        state = self.state_combo.currentData()
        self.tab_reads.read(0)
        self.count_label.setText(translate("AftercareUi", "Reading the claims…"))
        self.claims_reader.start(lambda _progress: claim_rows(state))

    @property
    def reading(self) -> bool:
        return self.claims_reader.busy or self.watch_reader.busy

    def _claims_read(self, rows: list[dict[str, Any]]) -> None:
        current = selected_row(self.table)
        self.model.set_rows(rows)
        fit_columns(self.table, 260)
        if current is not None:
            select_where(self.table, lambda r: r["id"] == current["id"])
        self._count()
        self._claim_selected()

    def _count(self) -> None:
        shown = [row_of(self.proxy, self.proxy.index(r, 0)) for r in range(self.proxy.rowCount())]
        total = money(sum((r["amount"] for r in shown), ZERO))
        self.count_label.setText(
            translate("AftercareUi", "{n} lines · {amount}").format(
                n=self.proxy.rowCount(), amount=fmt(total)
            )
        )

    def _state_changed(self, _index: int) -> None:
        app_settings().setValue("warranty/state", self.state_combo.currentData() or "")
        self.refresh_claims()

    def _filter(self, text: str) -> None:
        self.proxy.setFilterFixedString(text.strip())
        if not self.claims_reader.busy:
            self._count()

    def select_claim(self, line_id: int) -> bool:
        return select_where(self.table, lambda r: r["id"] == line_id)

    def _claim_selected(self) -> None:
        row = selected_row(self.table)
        pending = row is not None and row["state"] == "pending"
        self.approve_button.setEnabled(pending and self.can_approve)
        self.reject_button.setEnabled(pending and self.can_reject)
        self.order_button.setEnabled(row is not None)
        for button, ok in (
            (self.approve_button, self.can_approve),
            (self.reject_button, self.can_reject),
        ):
            if not ok:
                button.setToolTip(translate("AftercareUi", "Your roles do not allow this."))

    def approve(self) -> ApproveClaimDialog | None:
        row = selected_row(self.table)
        if row is None or row["state"] != "pending" or not self.can_approve:
            return None
        dialog = ApproveClaimDialog(self.actor, row, self)
        dialog.accepted.connect(
            lambda: self._decided(
                translate("AftercareUi", "Claim for {item} approved ({number}).").format(
                    item=row["item"], number=dialog.claim_edit.text().strip()
                )
            )
        )
        self.dialog = dialog
        dialog.open()
        return dialog

    def reject(self) -> RejectClaimDialog | None:
        row = selected_row(self.table)
        if row is None or row["state"] != "pending" or not self.can_reject:
            return None
        dialog = RejectClaimDialog(self.actor, row, self)
        dialog.accepted.connect(
            lambda: self._decided(
                translate("AftercareUi", "Claim for {item} rejected: {outcome}.").format(
                    item=row["item"],
                    outcome=claim_state_label(
                        "written_off" if dialog.outcome() == "write_off" else "rejected"
                    ),
                )
            )
        )
        self.dialog = dialog
        dialog.open()
        return dialog

    def _decided(self, text: str) -> None:
        self.refresh_claims()
        self.banner.show_info(text)
        self.window_.show_status(text)

    def _show_order(self) -> None:
        row = selected_row(self.table)
        if row is not None:
            self.window_.order_opened.emit(row["order_id"])

    # -- 三包 --------------------------------------------------------------------------------
    def on_date(self):  # noqa: ANN201 - a date
        return self.date_edit.date().toPython()

    def refresh_watchlist(self) -> None:
        """Read the 三包 watchlist on a pool thread (every household car of the period)."""
        day = self.on_date()
        self.tab_reads.read(1)
        self.watch_count.setText(translate("AftercareUi", "Reading the watchlist…"))
        self.watch_reader.start(lambda _progress: sanbao.sanbao_watchlist(day))

    def _watch_failed(self, message: str) -> None:
        """Said where the watchlist's count stands (the banner is on the claims tab), the
        whole message in its tooltip and the status bar."""
        self.watch_count.setText(translate("AftercareUi", "The watchlist could not be read."))
        self.watch_count.setToolTip(message)
        self.watch_count.setStyleSheet("color:#8a1c12; font-weight:bold;")
        self.window_.show_status(message)

    def _watch_read(self, statuses: list[sanbao.SanbaoStatus]) -> None:
        current = self.status.vehicle.id if self.status is not None else None
        self.watch_model.set_rows(statuses)
        fit_columns(self.watch_table, 260)
        reached = sum(1 for s in statuses if s.threshold_reached)
        text = translate("AftercareUi", "Cars with warnings: {n}").format(n=len(statuses))
        if reached:
            text += " · " + translate("AftercareUi", "threshold reached: {n}").format(n=reached)
        self.watch_count.setText(text)
        self.watch_count.setToolTip("")
        self.watch_count.setStyleSheet(
            "color:#8a1c12; font-weight:bold;" if reached else "color:#666;"
        )
        if current is not None and select_where(
            self.watch_table, lambda s: s.vehicle.id == current
        ):
            return
        if current is not None:
            self.show_vehicle(current)
        else:
            self.show_status(None)

    def _watch_selected(self) -> None:
        status = selected_row(self.watch_table)
        if status is not None:
            self.show_status(status)

    def look_up(self, text: str | None = None) -> sanbao.SanbaoStatus | None:
        """Show the 三包 figures of any car found by plate, VIN or customer."""
        query = self.lookup_edit.text() if text is None else text
        hits = [h for h in search(query, 10) if h.vehicle_id]
        if not hits:
            self.sanbao_banner.show_error(
                translate("AftercareUi", "No vehicle found for “{text}”.").format(
                    text=query.strip()
                )
            )
            return None
        self.sanbao_banner.clear_message()
        self.watch_table.clearSelection()
        return self.show_vehicle(hits[0].vehicle_id)

    def show_vehicle(self, vehicle_id: int) -> sanbao.SanbaoStatus | None:
        try:
            status = sanbao.sanbao_status(vehicle_id, self.on_date())
        except DomainError as exc:
            self.sanbao_banner.show_error(str(exc))
            return None
        self.show_status(status)
        return status

    def show_status(self, status: sanbao.SanbaoStatus | None) -> None:
        self.status = status
        for widget in (
            self.status_table,
            self.warnings_title,
            self.warning_list,
            self.evidence_title,
            self.evidence_table,
        ):
            widget.setVisible(status is not None)
        self.car_empty.setVisible(status is None)
        self.warning_list.clear()
        if status is None:
            self.car_heading.setText("")
            self.status_model.set_rows([])
            self.evidence_model.set_rows([])
            return
        v = status.vehicle
        owner = v.owner.name if v.owner_id else ""
        self.car_heading.setText(" · ".join(x for x in (vehicle_label(v), v.vin, owner) if x))
        self.status_model.set_rows(sanbao.status_rows(status))
        self.status_table.resizeColumnsToContents()
        if not status.warnings:
            item = QListWidgetItem(translate("AftercareUi", "No warning."))
            item.setForeground(QColor("#5f6670"))
            self.warning_list.addItem(item)
        for w in status.warnings:
            item = QListWidgetItem(f"{sanbao.level_label(w.level)}: {w.message}")
            fg, bg = level_colour(w.level)
            item.setForeground(QColor(fg))
            item.setBackground(QColor(bg))
            item.setData(Qt.ItemDataRole.UserRole, w)
            self.warning_list.addItem(item)
        self._show_evidence(status.repairs, translate("AftercareUi", "Evidence: repairs counted"))

    def _warning_selected(self, row: int) -> None:
        if self.status is None:
            return
        item = self.warning_list.item(row) if row >= 0 else None
        warning = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        if warning is None:
            self._show_evidence(
                self.status.repairs, translate("AftercareUi", "Evidence: repairs counted")
            )
        else:
            self._show_evidence(
                warning.evidence,
                translate("AftercareUi", "Evidence: {warning}").format(
                    warning=sanbao.kind_label(warning.kind)
                ),
            )

    def _show_evidence(self, repairs: Sequence[sanbao.RepairSpan], title: str) -> None:
        rows = sanbao.evidence_rows(repairs)
        self.evidence_title.setText(title)
        self.evidence_model.set_rows(rows[1:])
        fit_columns(self.evidence_table, 260)

    def export_watchlist(self, path: str | None = None) -> Path | None:
        """The watch list as CSV (for the manufacturer's or the manager's files)."""
        if path is None:
            folder = app_settings().value("export/folder", "", str)
            name = f"sanbao-{self.on_date().isoformat()}.csv"
            path, _ = QFileDialog.getSaveFileName(
                self,
                translate("AftercareUi", "Export the 三包 watch list"),
                str(Path(folder) / name) if folder else name,
                translate("AftercareUi", "CSV files (*.csv)"),
            )
        if not path:
            return None
        try:
            written = write_csv(sanbao.watchlist_rows(self.watch_model.rows), path)
        except DomainError as exc:
            self.sanbao_banner.show_error(str(exc))
            return None
        app_settings().setValue("export/folder", str(Path(path).parent))
        text = translate("AftercareUi", "Written: {path}").format(path=written)
        self.sanbao_banner.show_info(text)
        self.window_.show_status(text)
        return written

    # -- screenshots -------------------------------------------------------------------------
    def screenshot_views(self) -> list[tuple[str, Callable[[], object]]]:
        def claims() -> None:
            self.tabs.setCurrentIndex(0)
            if self.proxy.rowCount():
                self.table.selectRow(0)

        def monitor() -> None:
            self.tabs.setCurrentIndex(1)
            self.refresh_watchlist()
            if self.watch_proxy.rowCount():
                self.watch_table.selectRow(0)

        return [("claims", claims), ("sanbao", monitor)]


def _worst(status: sanbao.SanbaoStatus) -> str:
    return sanbao.REACHED if status.threshold_reached else sanbao.APPROACHING
