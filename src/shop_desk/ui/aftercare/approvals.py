"""Approvals area (总经理审批): the general manager's in-tray of returns, refunds, voids,
discounts over the limit, warranty write-offs and credit — approved or refused with the PIN
typed again and a reason — and for everybody the list of their own requests with the answers.

Nothing proceeds without the approval: the step that needed it consumes it
(:func:`shop_desk.services.approvals.require_approved`).
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from shop_desk import clock
from shop_desk.errors import DomainError, PermissionDenied
from shop_desk.i18n import translate
from shop_desk.models import Approval, Staff
from shop_desk.money import fmt
from shop_desk.services import approvals
from shop_desk.services.approvals import kind_label
from shop_desk.ui.aftercare.common import (
    AMBER,
    GREEN,
    GREY,
    RED,
    ColouredModel,
    FormHostDialog,
    approval_state_label,
    fit_columns,
    plate_text,
    select_where,
    selected_row,
    setup_table,
    when,
)
from shop_desk.ui.shell.models import Column
from shop_desk.ui.shell.uiload import child, load_form
from shop_desk.ui.shell.widgets import ErrorBanner, allowed, app_settings, mark_invalid

if TYPE_CHECKING:
    from shop_desk.ui.shell.main_window import MainWindow

POLL_MS = 30_000


def approval_row(a: Approval) -> dict[str, Any]:
    order = a.order if a.order_id else None
    return {
        "id": a.id,
        "approval": a,
        "requested_at": a.requested_at,
        "kind": kind_label(a.kind),
        "order": order.number if order is not None else "",
        "order_id": a.order_id,
        "amount": a.amount,
        "reason": " ".join((a.reason or "").split()),
        "requested_by": a.requested_by.name if a.requested_by_id else "",
        "state": a.state,
        "state_text": approval_state_label(a.state),
        "decided_by": a.decided_by.name if a.decided_by_id else "",
        "decided_at": a.decided_at,
        "decision_reason": " ".join((a.decision_reason or "").split()),
    }


def inbox_rows(include_decided: bool) -> list[dict[str, Any]]:
    rows = approvals.pending_approvals()
    if include_decided:
        since = clock.now() - dt.timedelta(days=30)
        rows += list(
            Approval.select()
            .where((Approval.state != "pending") & (Approval.decided_at >= since))
            .order_by(Approval.decided_at.desc())
        )
    return [approval_row(a) for a in rows]


def _colour(row: dict[str, Any]) -> tuple[str | None, str | None] | None:
    return {"pending": AMBER, "approved": GREEN, "rejected": RED, "used": GREY}.get(row["state"])


def _money(value: Any) -> str:
    return fmt(value) if value is not None else ""


def _columns(mine: bool) -> list[Column]:
    cols = [
        Column(lambda: translate("AftercareUi", "Asked"), lambda r: r["requested_at"]),
        Column(lambda: translate("AftercareUi", "What"), lambda r: r["kind"]),
        Column(lambda: translate("AftercareUi", "Order"), lambda r: r["order"]),
        Column(
            lambda: translate("AftercareUi", "Amount"),
            lambda r: r["amount"],
            display=_money,
            align_right=True,
        ),
    ]
    if not mine:
        cols.append(
            Column(lambda: translate("AftercareUi", "Asked by"), lambda r: r["requested_by"])
        )
    cols += [
        Column(lambda: translate("AftercareUi", "State"), lambda r: r["state_text"]),
        Column(lambda: translate("AftercareUi", "Reason"), lambda r: r["reason"]),
        Column(lambda: translate("AftercareUi", "Decided by"), lambda r: r["decided_by"]),
        Column(lambda: translate("AftercareUi", "Answer"), lambda r: r["decision_reason"]),
    ]
    return cols


def summary_html(a: Approval) -> str:
    """What the manager decides on, in a few lines."""
    lines = [f"<b>{html.escape(kind_label(a.kind))}</b>"]
    if a.amount is not None:
        lines[0] += " · <b>" + html.escape(fmt(a.amount)) + "</b>"
    if a.order_id:
        order = a.order
        vehicle = order.vehicle
        lines.append(
            html.escape(
                translate("AftercareUi", "Order {number} · {plate} · {customer}").format(
                    number=order.number, plate=plate_text(vehicle), customer=order.customer.name
                )
            )
        )
    lines.append(
        html.escape(
            translate("AftercareUi", "Asked by {name} on {when}").format(
                name=a.requested_by.name if a.requested_by_id else "", when=when(a.requested_at)
            )
        )
    )
    lines.append(
        html.escape(translate("AftercareUi", "Why: {reason}").format(reason=a.reason or "—"))
    )
    return "<br>".join(lines)


# --------------------------------------------------------------------------- the dialog


class DecideDialog(FormHostDialog):
    """Approve or refuse one request: a reason (required to refuse) and the manager's PIN.

    A wrong PIN is said inline, the PIN box is emptied and the reason stays."""

    decided = Signal(object)  # Approval

    def __init__(
        self, actor: Staff, approval: Approval, approve: bool, parent: QWidget | None = None
    ) -> None:
        super().__init__(
            "aftercare_decide",
            translate("AftercareUi", "Approve the request")
            if approve
            else translate("AftercareUi", "Refuse the request"),
            translate("AftercareUi", "&Approve")
            if approve
            else translate("AftercareUi", "&Refuse"),
            parent,
        )
        self.setObjectName("approveDialog" if approve else "refuseDialog")
        self.actor, self.approval, self.approving = actor, approval, approve
        f = self.form
        self.summary_label = child(f, QLabel, "summaryLabel")
        self.reason_edit = child(f, QPlainTextEdit, "reasonEdit")
        self.pin_edit = child(f, QLineEdit, "pinEdit")
        self.summary_label.setText(summary_html(approval))
        self.reason_edit.setPlaceholderText(
            translate("AftercareUi", "Optional note for the requester")
            if approve
            else translate("AftercareUi", "Why not (the requester reads it)")
        )
        self.fields = {"reason": self.reason_edit, "pin": self.pin_edit}
        self.resize(540, self.sizeHint().height())
        (self.pin_edit if approve else self.reason_edit).setFocus()

    def submit(self) -> Approval:
        decide = approvals.approve if self.approving else approvals.reject
        try:
            row = decide(
                self.actor, self.approval.id, self.pin_edit.text(), self.reason_edit.toPlainText()
            )
        except PermissionDenied:
            self.pin_edit.clear()
            raise
        self.decided.emit(row)
        return row

    def refused(self, exc: DomainError) -> None:
        super().refused(exc)
        if isinstance(exc, PermissionDenied):
            mark_invalid(self.pin_edit)
            self.pin_edit.setFocus()


# --------------------------------------------------------------------------- PIN alerts


def pin_alerts_badge(staff: Staff) -> tuple[int, str]:
    """Wrong-PIN alerts for whoever decides approvals (count and the newest's words)."""
    if not allowed(staff, approvals.approve):
        return 0, ""
    alerts = approvals.pin_alerts()
    return len(alerts), alerts[0].text() if alerts else ""


class PinAlertsBox(QFrame):
    """Red box at the top of the in-tray: repeated wrong PINs (someone may be guessing a
    PIN), until a manager marks them as seen."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pinAlertsBox")
        self.setStyleSheet(
            "QFrame#pinAlertsBox { background:#fdecea; border:1px solid #f3b4ad; "
            "border-radius:4px; } QLabel { color:#8a1c12; }"
        )
        layout = QHBoxLayout(self)
        self.label = QLabel(self)
        self.label.setObjectName("pinAlertsLabel")
        self.label.setWordWrap(True)
        self.seen_button = QPushButton(translate("AftercareUi", "Mark as seen"), self)
        self.seen_button.setObjectName("pinAlertsSeenButton")
        layout.addWidget(self.label, 1)
        layout.addWidget(self.seen_button)
        self.newest = 0  # the id of the newest alert shown: what "Mark as seen" covers
        self.hide()

    def show_alerts(self, alerts: list) -> None:
        self.newest = alerts[0].id if alerts else 0
        if not alerts:
            self.label.clear()
            self.hide()
            return
        lines = [
            "<b>"
            + html.escape(
                translate(
                    "AftercareUi",
                    "Wrong PINs: someone may be trying to guess a PIN. Check with the person.",
                )
            )
            + "</b>"
        ]
        lines += [html.escape(a.text()) for a in alerts[:5]]
        if len(alerts) > 5:
            lines.append(
                html.escape(translate("AftercareUi", "… and {n} more.").format(n=len(alerts) - 5))
            )
        self.label.setText("<br>".join(lines))
        self.show()


# --------------------------------------------------------------------------- the page


class ApprovalsPage(QWidget):
    """The in-tray (general manager) and "My requests" (everybody)."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__()
        self.setObjectName("approvalsPage")
        self.window_ = window
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.form = load_form("aftercare_approvals", self)
        layout.addWidget(self.form)
        f = self.form
        self.tabs = child(f, QTabWidget, "tabs")
        self.inbox_tab = child(f, QWidget, "inboxTab")
        self.mine_tab = child(f, QWidget, "mineTab")
        self.show_decided_box = child(f, QCheckBox, "showDecidedBox")
        self.count_label = child(f, QLabel, "countLabel")
        self.approve_button = child(f, QPushButton, "approveButton")
        self.reject_button = child(f, QPushButton, "rejectButton")
        self.order_button = child(f, QPushButton, "orderButton")
        self.table = child(f, QTableView, "inboxTable")
        self.detail_label = child(f, QLabel, "detailLabel")
        self.mine_count = child(f, QLabel, "mineCountLabel")
        self.mine_table = child(f, QTableView, "mineTable")
        self.banner = ErrorBanner(self)
        self.banner.setObjectName("approvalsBanner")
        self.inbox_tab.layout().insertWidget(1, self.banner)

        self.model = ColouredModel(_columns(False), self, _colour)
        self.proxy = setup_table(self.table, self.model, stretch=6, sort_column=None)
        self.mine_model = ColouredModel(_columns(True), self, _colour)
        self.mine_proxy = setup_table(self.mine_table, self.mine_model, stretch=5, sort_column=None)

        # the in-tray is for whoever decides: the general manager and the deputy approver
        self.can_decide = allowed(window.staff, approvals.approve)
        self.is_manager = self.can_decide
        self.pin_alerts_box = PinAlertsBox(self)
        self.inbox_tab.layout().insertWidget(1, self.pin_alerts_box)
        self.pin_alerts_box.seen_button.clicked.connect(self.mark_pin_alerts_seen)
        if not self.is_manager:
            self.tabs.removeTab(self.tabs.indexOf(self.inbox_tab))
            self.inbox_tab.hide()
        self.show_decided_box.setChecked(app_settings().value("approvals/decided", False, bool))
        self.show_decided_box.toggled.connect(self._decided_toggled)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._selected())
        self.approve_button.clicked.connect(lambda: self.decide(True))
        self.reject_button.clicked.connect(lambda: self.decide(False))
        self.order_button.clicked.connect(self._show_order)
        self.dialog: DecideDialog | None = None
        # requests arrive from other stations: look again now and then while shown
        self.poll = QTimer(self)
        self.poll.setInterval(POLL_MS)
        self.poll.timeout.connect(self._poll)
        self.poll.start()
        self.refresh()

    @property
    def actor(self) -> Staff:
        return self.window_.staff

    def refresh(self) -> None:
        if self.is_manager:
            self.refresh_inbox()
        self.refresh_mine()

    def _poll(self) -> None:
        if self.isVisible() and (self.dialog is None or not _alive(self.dialog)):
            self.refresh()

    # -- in-tray -----------------------------------------------------------------------------
    def refresh_inbox(self) -> None:
        self.pin_alerts_box.show_alerts(approvals.pin_alerts())
        current = selected_row(self.table)
        self.model.set_rows(inbox_rows(self.show_decided_box.isChecked()))
        fit_columns(self.table, 260)
        if current is not None:
            select_where(self.table, lambda r: r["id"] == current["id"])
        waiting = sum(1 for r in self.model.rows if r["state"] == "pending")
        self.count_label.setText(translate("AftercareUi", "{n} waiting for you").format(n=waiting))
        self.count_label.setStyleSheet(
            "color:#7a4f00; font-weight:bold;" if waiting else "color:#666;"
        )
        index = self.tabs.indexOf(self.inbox_tab)
        if index >= 0:
            title = translate("AftercareUi", "In-tray")
            self.tabs.setTabText(index, f"{title} ({waiting})" if waiting else title)
        self._selected()

    def mark_pin_alerts_seen(self) -> None:
        """The manager has read the wrong-PIN alerts: they leave the in-tray and the badge."""
        try:
            approvals.pin_alerts_seen(self.actor, self.pin_alerts_box.newest)
        except DomainError as exc:
            self.banner.show_error(str(exc))
            return
        self.refresh_inbox()
        self.window_.update_badges(announce=False)

    def _decided_toggled(self, on: bool) -> None:
        app_settings().setValue("approvals/decided", on)
        self.refresh_inbox()

    def select(self, approval_id: int) -> bool:
        return select_where(self.table, lambda r: r["id"] == approval_id)

    def _selected(self) -> None:
        row = selected_row(self.table)
        pending = row is not None and row["state"] == "pending"
        self.approve_button.setEnabled(pending and self.can_decide)
        self.reject_button.setEnabled(pending and self.can_decide)
        self.order_button.setEnabled(row is not None and row["order_id"] is not None)
        self.detail_label.setText(summary_html(row["approval"]) if row else "")

    def decide(self, approve: bool, approval_id: int | None = None) -> DecideDialog | None:
        """Open the PIN dialog to approve or refuse the selected (or given) request."""
        if approval_id is None:
            row = selected_row(self.table)
            if row is None or row["state"] != "pending":
                return None
            approval_id = row["id"]
        if not self.can_decide:
            return None
        approval = Approval.get_or_none(Approval.id == approval_id)
        if approval is None:
            return None
        self.banner.clear_message()
        dialog = DecideDialog(self.actor, approval, approve, self)
        dialog.decided.connect(self._decided)
        self.dialog = dialog
        dialog.open()
        return dialog

    def _decided(self, approval: Approval) -> None:
        what = kind_label(approval.kind)
        if approval.amount is not None:
            what += f" {fmt(approval.amount)}"
        if approval.state == "approved":
            text = translate("AftercareUi", "Approved: {what} for {name}.")
        else:
            text = translate("AftercareUi", "Refused: {what} for {name}.")
        text = text.format(what=what, name=approval.requested_by.name)
        self.banner.show_info(text)
        self.window_.show_status(text)
        self.refresh()

    def _show_order(self) -> None:
        row = selected_row(self.table)
        if row is not None and row["order_id"]:
            self.window_.order_opened.emit(row["order_id"])

    # -- my requests ---------------------------------------------------------------------------
    def refresh_mine(self) -> None:
        rows = [approval_row(a) for a in approvals.approvals_for(self.actor)]
        self.mine_model.set_rows(rows)
        fit_columns(self.mine_table, 260)
        waiting = sum(1 for r in rows if r["state"] == "pending")
        self.mine_count.setText(
            translate("AftercareUi", "{n} requests, {w} still waiting").format(
                n=len(rows), w=waiting
            )
        )

    # -- screenshots -------------------------------------------------------------------------
    def screenshot_views(self) -> list[tuple[str, Callable[[], object]]]:
        def inbox() -> None:
            self.tabs.setCurrentWidget(self.inbox_tab)
            if self.proxy.rowCount():
                self.table.selectRow(0)

        views: list[tuple[str, Callable[[], object]]] = []
        if self.is_manager:
            views.append(("inbox", inbox))
        views.append(("mine", lambda: self.tabs.setCurrentWidget(self.mine_tab)))
        return views


def _alive(widget: QWidget) -> bool:
    try:
        return widget.isVisible()
    except RuntimeError:
        return False
