"""The service advisor's side of the workshop: additional work waiting for the customer's
authorisation (顾客授权), and the workshop's notices (delays, new damage, wash, additional work).

:class:`AdditionalWorkAuthorisationPanel` is a reusable widget (reception and advisor screens
embed it, optionally for one order): pending requests at the top with the customer's phone,
a decision per line (authorise / decline), how the customer decided (in person, by phone, a
signature on screen) and who → :func:`shop_desk.services.workshop.record_authorisation`.
Declined lines stay on record as declined.

:class:`AlertsPage` is the advisor's "Workshop notices" page: every open notice from
:func:`~shop_desk.services.workshop.advisor_alerts` with Acknowledge, and the panel below.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from shop_desk.errors import DomainError
from shop_desk.i18n import counted, join_list, translate
from shop_desk.models import (
    AdditionalWorkRequest,
    Customer,
    DelayReport,
    RepairOrder,
    Staff,
    StaffRole,
)
from shop_desk.money import fmt
from shop_desk.roles import Role
from shop_desk.services import insurance, workshop
from shop_desk.ui.shell.main_window import register_badge, register_page
from shop_desk.ui.shell.models import Column, RowTableModel, filter_proxy, row_of
from shop_desk.ui.shell.uiload import child, load_form
from shop_desk.ui.shell.widgets import ErrorBanner, allowed, decimal_edit
from shop_desk.ui.station import reads
from shop_desk.ui.station.agreement import CustomerAgreement
from shop_desk.ui.station.common import fit_table, setup_table
from shop_desk.ui.station.customer_pays import CustomerPaysDeclinedDialog
from shop_desk.ui.station.delay_answer import DelayAnswerDialog

if TYPE_CHECKING:
    from shop_desk.ui.shell.main_window import MainWindow

REFRESH_MS = 20_000
_STYLE = """
QPushButton { min-height: 36px; padding: 4px 14px; }
QPushButton[decision="authorised"]:checked {
    background-color: #1d7a3a; color: white; border: 1px solid #145a2a; border-radius: 4px;
}
QPushButton[decision="declined"]:checked {
    background-color: #b3261e; color: white; border: 1px solid #8a1c12; border-radius: 4px;
}
QPushButton[primary="true"] {
    background-color: #1f5fbf; color: white; border: 1px solid #174a94; border-radius: 4px;
    font-weight: bold;
}
QPushButton[primary="true"]:disabled { background-color: #9db3d6; border-color: #9db3d6; }
QRadioButton { spacing: 8px; min-height: 30px; }
QRadioButton::indicator { width: 20px; height: 20px; }
"""


def alert_kind_label(kind: str) -> str:
    return {
        "delay": translate("Station", "Delay"),
        "new_damage": translate("Station", "New damage"),
        "additional_work": translate("Station", "Additional work"),
        "wash_start": translate("Station", "Wash started"),
        "wash_end": translate("Station", "Washed and parked"),
    }.get(kind, kind)


class AdditionalWorkAuthorisationPanel(QWidget):
    """Pending additional-work requests and the customer's decision on each line.

    ``order_id`` limits the panel to one order (e.g. inside an order screen). ``recorded``
    fires with the request id after a decision is saved."""

    recorded = Signal(int)

    def __init__(
        self, staff: Staff, parent: QWidget | None = None, order_id: int | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("authorisationPanel")
        self.setStyleSheet(_STYLE)
        self.staff = staff
        self.order_id = order_id
        self.request: reads.RequestRow | None = None
        #: Open the first waiting request by itself; off once a decision is recorded, so the
        #: form never slips to another customer's request unasked (the advisor picks it).
        self.auto_pick = True
        #: What the last recording saved, in words (the page shows it too).
        self.last_recorded = ""
        self.decisions: dict[int, str] = {}
        self.line_buttons: dict[int, dict[str, QPushButton]] = {}
        #: a supplementary assessment (追加定损): the insurer's approved amount per line
        self.approved_edits: dict[int, QLineEdit] = {}
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.form = load_form("station_authorisation", self)
        outer.addWidget(self.form)
        f = self.form
        self.title_label = child(f, QLabel, "titleLabel")
        self.pending_view = child(f, QTableView, "pendingTable")
        self.decision_group = child(f, QGroupBox, "decisionGroup")
        self.request_label = child(f, QLabel, "requestLabel")
        self.request_label.setTextFormat(Qt.TextFormat.RichText)
        self.lines_holder = child(f, QWidget, "linesHolder")
        self.lines_grid = QGridLayout(self.lines_holder)
        self.lines_grid.setContentsMargins(0, 0, 0, 0)
        self.lines_grid.setColumnStretch(0, 1)
        self.authorise_all_button = child(f, QPushButton, "authoriseAllButton")
        self.authorise_all_text = self.authorise_all_button.text()
        self.method_label = child(f, QLabel, "methodLabel")
        self.decision_title = self.decision_group.title()
        self.decline_all_button = child(f, QPushButton, "declineAllButton")
        self.total_label = child(f, QLabel, "totalLabel")
        self.method_radios = {
            "in_person": child(f, QRadioButton, "inPersonRadio"),
            "phone": child(f, QRadioButton, "phoneRadio"),
            "signature": child(f, QRadioButton, "signatureRadio"),
        }
        self.customer_edit = child(f, QLineEdit, "customerEdit")
        self.customer_label = child(f, QLabel, "customerLabel")
        self.customer_label.setBuddy(self.customer_edit)
        self.signature_holder = child(f, QWidget, "signatureHolder")
        self.record_button = child(f, QPushButton, "recordButton")
        self.decided_label = child(f, QLabel, "decidedLabel")
        self.decided_view = child(f, QTableView, "decidedTable")
        self.banner = ErrorBanner(self)
        self.banner.setObjectName("banner")
        f.layout().insertWidget(1, self.banner)
        self.agreement = CustomerAgreement(
            self.method_radios, self.customer_edit, self.signature_holder, self
        )
        self.pad = self.agreement.pad
        self.clear_pad_button = self.agreement.clear_button

        self.pending_model = RowTableModel(
            [
                Column(lambda: translate("Station", "Order"), lambda r: r.order_number),
                Column(lambda: translate("Station", "Plate"), lambda r: r.plate),
                Column(lambda: translate("Station", "Customer"), lambda r: r.customer),
                Column(lambda: translate("Station", "Phone"), lambda r: r.phone),
                Column(lambda: translate("Station", "Reason"), lambda r: r.reason),
                Column(lambda: translate("Station", "Who decides"), lambda r: r.decider_text),
                Column(lambda: translate("Station", "Amount"), lambda r: r.total, align_right=True),
                Column(
                    lambda: translate("Station", "Proposed"),
                    lambda r: r.proposed_at,
                    display=reads.when,
                ),
                Column(lambda: translate("Station", "By"), lambda r: r.proposed_by),
            ],
            self,
        )
        self.pending_proxy = filter_proxy(self.pending_model, self)
        self.pending_view.setModel(self.pending_proxy)
        self._table(self.pending_view, 4)
        self.pending_view.selectionModel().currentRowChanged.connect(self._pending_changed)
        self.decided_model = RowTableModel(
            [
                Column(lambda: translate("Station", "Order"), lambda r: r.order_number),
                Column(lambda: translate("Station", "Customer"), lambda r: r.customer),
                Column(lambda: translate("Station", "Reason"), lambda r: r.reason),
                Column(
                    lambda: translate("Station", "Lines"),
                    lambda r: join_list(
                        [
                            f"{ln.description}: {reads.auth_state_label(ln.auth_state)}"
                            for ln in r.lines
                        ],
                        clauses=True,
                    ),
                ),
                Column(
                    lambda: translate("Station", "How / who"),
                    lambda r: f"{reads.auth_method_label(r.auth_method)} · {r.auth_by_customer}",
                ),
                Column(lambda: translate("Station", "At"), lambda r: r.auth_at, display=reads.when),
                Column(lambda: translate("Station", "Recorded by"), lambda r: r.recorded_by),
            ],
            self,
        )
        self.decided_view.setModel(self.decided_model)
        self._table(self.decided_view, 3)
        self.decided_view.selectionModel().currentRowChanged.connect(
            lambda *_: self._decided_changed()
        )
        self.customer_pays_button = child(f, QPushButton, "customerPaysButton")
        self.customer_pays_button.clicked.connect(self.open_customer_pays)
        self.may_pay_declined = allowed(staff, insurance.customer_pays_declined)
        self.pays_dialog: CustomerPaysDeclinedDialog | None = None

        self.authorise_all_button.clicked.connect(lambda: self.set_all("authorised"))
        self.decline_all_button.clicked.connect(lambda: self.set_all("declined"))
        self.record_button.clicked.connect(self.record)
        self.record_button.setProperty("primary", True)
        self.may_record = allowed(staff, workshop.record_authorisation)
        if not self.may_record:
            self.record_button.setEnabled(False)
            self.record_button.setToolTip(
                translate("Station", "Only a service advisor records the customer's decision.")
            )
        self.refresh()

    @staticmethod
    def _table(view: QTableView, stretch: int) -> None:
        setup_table(view, stretch, 34)

    # -- reading -------------------------------------------------------------------------
    def refresh(self) -> None:
        """Read pending and decided requests again; keeps the chosen request and the input."""
        keep = self.request.request_id if self.request else None
        decided_keep = self.decided_request()
        pending, decided = reads.authorisation_requests(self.staff, self.order_id)
        self.pending_view.selectionModel().blockSignals(True)
        self.pending_model.set_rows(pending)
        self.pending_view.selectionModel().blockSignals(False)
        self.pending_view.resizeColumnsToContents()
        fit_table(self.pending_view, 4, 220)
        self.decided_model.set_rows(decided)
        fit_table(self.decided_view, 3, 220)
        if decided_keep is not None:
            self.select_decided(decided_keep.request_id)
        self._decided_changed()
        for view, n in ((self.pending_view, len(pending)), (self.decided_view, len(decided))):
            # as tall as the rows need (a few at most), so the decision form stays in sight
            header = view.horizontalHeader().sizeHint().height()
            view.setFixedHeight(header + 4 + 34 * min(max(n, 1), 5))
        self.title_label.setText(
            translate(
                "Station",
                "Waiting for a decision: the customer's additional work, the insurer's "
                "supplementary assessments ({n})",
            ).format(n=len(pending))
        )
        if keep is not None and self.select_request(keep, keep_input=True):
            return
        if pending and self.auto_pick:
            self.select_request(pending[0].request_id)
        else:
            self.pending_view.selectionModel().blockSignals(True)
            self.pending_view.setCurrentIndex(QModelIndex())
            self.pending_view.selectionModel().blockSignals(False)
            self.show_request(None)

    def select_request(self, request_id: int, keep_input: bool = False) -> bool:
        for r in range(self.pending_proxy.rowCount()):
            index = self.pending_proxy.index(r, 0)
            row = row_of(self.pending_proxy, index)
            if row is not None and row.request_id == request_id:
                self.pending_view.selectionModel().blockSignals(True)
                self.pending_view.setCurrentIndex(index)
                self.pending_view.selectionModel().blockSignals(False)
                if (
                    keep_input
                    and self.request is not None
                    and self.request.request_id == request_id
                ):
                    self.request = row
                else:
                    self.show_request(row)
                return True
        return False

    def decided_request(self) -> reads.RequestRow | None:
        index = self.decided_view.currentIndex()
        return self.decided_model.row_at(index.row()) if index.isValid() else None

    def select_decided(self, request_id: int) -> bool:
        for r in range(self.decided_model.rowCount()):
            if self.decided_model.row_at(r).request_id == request_id:
                self.decided_view.setCurrentIndex(self.decided_model.index(r, 0))
                return True
        return False

    def _decided_changed(self) -> None:
        """The customer may pay what the insurer declined on the chosen supplementary
        assessment, while some declined line is not offered to the customer yet."""
        row = self.decided_request()
        offer = (
            row is not None
            and row.decided_by == "insurer"
            and bool(insurance.declined_by_insurer(row.request_id))
        )
        self.customer_pays_button.setEnabled(self.may_pay_declined and offer)
        self.customer_pays_button.setToolTip(
            translate("Station", "Only a service advisor records the customer's decision.")
            if not self.may_pay_declined
            else translate(
                "Station",
                "The insurer declined lines of the chosen supplementary assessment: record "
                "that the customer agreed to pay them.",
            )
            if offer
            else translate(
                "Station",
                "Choose a supplementary assessment above whose declined lines the customer "
                "has not been asked about yet.",
            )
        )

    def open_customer_pays(self) -> CustomerPaysDeclinedDialog | None:
        row = self.decided_request()
        if row is None or not self.customer_pays_button.isEnabled():
            return None
        self.banner.clear_message()
        dialog = CustomerPaysDeclinedDialog(self.staff, row, self)
        self.pays_dialog = dialog

        def paid() -> None:
            n = len(list(dialog.result_value.lines))
            self._after_recording(
                row,
                counted(
                    n,
                    translate(
                        "Station", "The customer pays 1 line the insurer declined on {number}."
                    ),
                    translate(
                        "Station", "The customer pays {n} lines the insurer declined on {number}."
                    ),
                    number=row.order_number,
                ),
            )

        dialog.accepted.connect(paid)
        dialog.open()
        return dialog

    def _pending_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.banner.clear_message()
        self.last_recorded = ""
        self.show_request(row_of(self.pending_proxy, current))

    def show_request(self, row: reads.RequestRow | None) -> None:
        """The decision form for one request (a fresh one: no decisions, empty pad)."""
        self.request = row
        self.decisions = {}
        self.line_buttons = {}
        self.approved_edits = {}
        insurer = row is not None and row.decided_by == "insurer"
        for radio in self.method_radios.values():
            radio.setVisible(not insurer)
        self.method_label.setVisible(not insurer)  # the insurer answers in its assessment
        self.authorise_all_button.setText(
            translate("Station", "&Approve all") if insurer else self.authorise_all_text
        )
        self.decision_group.setTitle(
            translate("Station", "The insurer's answer") if insurer else self.decision_title
        )
        self.agreement.allow_signature(not insurer)
        while self.lines_grid.count():
            item = self.lines_grid.takeAt(0)
            widget = item.widget()
            if widget is not None:
                widget.hide()  # gone at once, not when the event loop deletes it
                widget.deleteLater()
        self.pad.clear()
        self.decision_group.setEnabled(row is not None)
        if row is not None:
            self.last_recorded = ""
        if row is None:
            waiting = self.pending_model.rowCount() > 0
            text = (
                translate("Station", "Choose a request in the list above.")
                if waiting
                else translate("Station", "No additional work is waiting for a decision.")
            )
            if self.last_recorded:
                text = f"<b>{escape(self.last_recorded)}</b><br>{escape(text)}"
            self.request_label.setText(text)
            self.customer_edit.clear()
            self.total_label.clear()
            return
        self.request_label.setText(
            "<b>{order}</b> · {plate} · {vehicle}<br>{customer} · "
            "<span style='font-size:14pt; font-weight:bold; color:#1f5fbf'>{phone}</span><br>"
            "{reason}<br><span style='color:#5f6670'>{proposed}</span>".format(
                order=escape(row.order_number),
                plate=escape(row.plate),
                vehicle=escape(row.vehicle),
                customer=escape(row.customer),
                phone=escape(
                    translate("Station", "Phone {phone}").format(phone=row.phone)
                    if row.phone
                    else translate("Station", "no phone number")
                ),
                reason=escape(translate("Station", "Found: {reason}").format(reason=row.reason))
                + (
                    "<br><b>"
                    + escape(
                        translate(
                            "Station",
                            "Supplementary assessment: the insurer decides. Record "
                            "the amount it approved per line, or Decline.",
                        )
                    )
                    + "</b>"
                    if insurer
                    else ""
                ),
                proposed=escape(
                    translate("Station", "Proposed by {name} at {time}").format(
                        name=row.proposed_by, time=reads.when(row.proposed_at)
                    )
                ),
            )
        )
        for n, line in enumerate(row.lines):
            desc = QLabel(
                f"{line.description}  <span style='color:#5f6670'>{escape(line.amount_basis)}</span>",
                self.lines_holder,
            )
            desc.setTextFormat(Qt.TextFormat.RichText)
            desc.setWordWrap(True)
            amount = QLabel(fmt(line.amount), self.lines_holder)
            amount.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            group = QButtonGroup(self.lines_holder)
            buttons = {}
            choices = (
                (
                    ("authorised", translate("Station", "Approve")),
                    ("declined", translate("Station", "Decline")),
                )
                if insurer
                else (
                    ("authorised", translate("Station", "Authorise")),
                    ("declined", translate("Station", "Decline")),
                )
            )
            for col, (code, text) in enumerate(choices, start=2):
                button = QPushButton(text, self.lines_holder)
                button.setObjectName(f"{code}_{line.line_id}")
                button.setCheckable(True)
                button.setAutoDefault(False)
                button.setProperty("decision", code)
                button.setMinimumHeight(40)
                button.setMinimumWidth(110)
                button.clicked.connect(
                    lambda _=False, lid=line.line_id, code=code: self.set_decision(lid, code)
                )
                group.addButton(button)
                buttons[code] = button
                self.lines_grid.addWidget(button, n, col)
            self.lines_grid.addWidget(desc, n, 0)
            self.lines_grid.addWidget(amount, n, 1)
            self.line_buttons[line.line_id] = buttons
            shown: list[QWidget] = [desc, amount, *buttons.values()]
            if insurer:
                edit = decimal_edit(self.lines_holder)
                edit.setObjectName(f"approved_{line.line_id}")
                edit.setText(str(line.amount))
                edit.setToolTip(translate("Station", "The amount the insurer approved"))
                edit.setMaximumWidth(120)
                edit.textEdited.connect(lambda _t: self._update_total())
                self.lines_grid.addWidget(edit, n, 4)
                self.approved_edits[line.line_id] = edit
                shown.append(edit)
            for widget in shown:
                widget.show()  # at once, not on the next event loop pass
        self.customer_edit.setText("" if insurer else row.customer)
        self._update_total()

    # -- input ---------------------------------------------------------------------------
    def set_decision(self, line_id: int, decision: str) -> None:
        self.decisions[line_id] = decision
        buttons = self.line_buttons.get(line_id, {})
        if decision in buttons and not buttons[decision].isChecked():
            buttons[decision].setChecked(True)
        self._update_total()

    def set_all(self, decision: str) -> None:
        for line_id in self.line_buttons:
            self.set_decision(line_id, decision)

    def set_method(self, code: str) -> None:
        self.agreement.set_method(code)

    def method(self) -> str:
        return self.agreement.method()

    def _update_total(self) -> None:
        row = self.request
        if row is None:
            return
        declined_all = bool(self.decisions) and all(
            d == "declined" for d in self.decisions.values()
        )
        self.customer_label.setText(  # nobody authorised anything when all is declined
            translate("Station", "&Insurer's assessor:")
            if row.decided_by == "insurer"
            else translate("Station", "&Who decided:")
            if declined_all
            else translate("Station", "&Who authorised:")
        )
        authorised = sum(
            (ln.amount for ln in row.lines if self.decisions.get(ln.line_id) == "authorised"),
            start=reads.ZERO,
        )
        undecided = sum(1 for ln in row.lines if ln.line_id not in self.decisions)
        text = (
            translate("Station", "Approved {amount} of {total}")
            if row.decided_by == "insurer"
            else translate("Station", "Authorised {amount} of {total}")
        ).format(amount=fmt(authorised), total=fmt(row.total))
        if undecided:
            text += " · " + translate("Station", "{n} lines undecided").format(n=undecided)
        self.total_label.setText(text)

    def record(self) -> Any:
        """Save the customer's decision; the work goes on once every request is decided."""
        row = self.request
        if row is None:
            return None
        self.banner.clear_message()
        if row.decided_by == "insurer":
            return self._record_insurer(row)
        method = self.method()
        try:
            png = self.agreement.signature_png()
            result = workshop.record_authorisation(
                self.staff,
                row.request_id,
                dict(self.decisions),
                method,
                self.customer_edit.text(),
                signature_png=png,
            )
        except DomainError as exc:
            self.banner.show_error(str(exc))
            return None
        self.agreement.remember()
        yes = sum(1 for v in self.decisions.values() if v == "authorised")
        message = translate(
            "Station",
            "Decision on {number} recorded: {yes} authorised, {no} declined.",
        ).format(number=row.order_number, yes=yes, no=len(self.decisions) - yes)
        self._after_recording(row, message)
        return result

    def _record_insurer(self, row: reads.RequestRow) -> Any:
        """Save the insurer's answer on a supplementary assessment (the same waiting rule)."""
        answers = {
            line_id: (self.approved_edits[line_id].text() if value == "authorised" else value)
            for line_id, value in self.decisions.items()
        }
        try:
            result = insurance.record_supplement_answer(
                self.staff, row.request_id, answers, self.customer_edit.text()
            )
        except DomainError as exc:
            self.banner.show_error(str(exc))
            return None
        yes = sum(1 for v in self.decisions.values() if v == "authorised")
        self._after_recording(
            row,
            translate(
                "Station",
                "The insurer's answer on {number} recorded: {yes} approved, {no} declined.",
            ).format(number=row.order_number, yes=yes, no=len(self.decisions) - yes),
        )
        self.select_decided(row.request_id)  # what it declined the customer may pay
        return result

    def _after_recording(self, row: reads.RequestRow, message: str) -> None:
        # the form is emptied with the message in it; the next request is the advisor's pick
        self.request = None
        self.auto_pick = False
        self.last_recorded = message
        self.refresh()
        self.banner.show_info(message)
        self.recorded.emit(row.request_id)


# ---------------------------------------------------------------------------------------
# the advisor's notices page


def advisors() -> list[Staff]:
    return list(
        Staff.select()
        .join(StaffRole)
        .where((StaffRole.role == Role.ADVISOR.value) & (Staff.active == True))  # noqa: E712
        .order_by(Staff.name)
    )


def alerts_for(staff: Staff) -> list[tuple[str, workshop.Alert]]:
    """(advisor name, notice): an advisor's own; a manager sees every advisor's.

    Additional work waiting for the customer's decision comes first (the customer has to
    be called), then the newest notices."""
    if Role.ADVISOR.value in staff.role_set():
        rows = [(staff.name, a) for a in workshop.advisor_alerts(staff)]
    else:
        rows = []
        for advisor in advisors():
            rows += [(advisor.name, a) for a in workshop.advisor_alerts(advisor)]
    rows.sort(key=lambda r: (r[1].kind, r[1].ref_id))
    rows.sort(key=lambda r: r[1].at, reverse=True)
    rows.sort(key=lambda r: r[1].kind != "additional_work")
    return rows


def customer_phones(order_ids: set[int]) -> dict[int, str]:
    """The phone to call per order (the customer who brought the car)."""
    if not order_ids:
        return {}
    rows = (
        RepairOrder.select(RepairOrder.id, Customer.phone)
        .join(Customer, on=(RepairOrder.customer == Customer.id))
        .where(RepairOrder.id.in_(list(order_ids)))
        .tuples()
    )
    return {order_id: phone or "" for order_id, phone in rows}


def request_phones(alerts: list[workshop.Alert]) -> dict[int, str]:
    """The customer's phone per additional-work notice (request id) the customer decides; a
    supplementary assessment is the insurer's to answer, so no customer number for it."""
    asks = [a for a in alerts if a.kind == "additional_work"]
    customer = {
        r.id
        for r in AdditionalWorkRequest.select(AdditionalWorkRequest.id).where(
            AdditionalWorkRequest.id.in_([a.ref_id for a in asks])
            & (AdditionalWorkRequest.decided_by == "customer")
        )
    }
    asks = [a for a in asks if a.ref_id in customer]
    phones = customer_phones({a.order_id for a in asks})
    return {a.ref_id: phones.get(a.order_id, "") for a in asks}


def alert_text(alert: workshop.Alert, phones: dict[int, str]) -> str:
    """What happened; the customer's additional work with the number to call (``phones``:
    per request id, from :func:`request_phones`)."""
    phone = phones.get(alert.ref_id, "") if alert.kind == "additional_work" else ""
    if phone:
        return translate("Station", "{text} Call {phone}.").format(text=alert.text, phone=phone)
    return alert.text


def alerts_badge(staff: Staff) -> tuple[int, str]:
    """Open notices for the navigation, and the newest one's words (announced at once)."""
    rows = alerts_for(staff)
    if not rows:
        return 0, ""
    newest = max((r[1] for r in rows), key=lambda a: (a.at, a.ref_id))
    return len(rows), translate("Station", "{kind} on {number} ({plate}): {text}").format(
        kind=alert_kind_label(newest.kind),
        number=newest.order_number,
        plate=newest.plate,
        text=newest.text,
    )


class AlertsPage(QWidget):
    """Workshop notices for the service advisor, with the authorisation panel below."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__()
        self.setObjectName("alertsPage")
        self.window_ = window
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.form = load_form("station_alerts", self)
        outer.addWidget(self.form)
        f = self.form
        self.count_label = child(f, QLabel, "countLabel")
        self.refresh_button = child(f, QPushButton, "refreshButton")
        self.alerts_view = child(f, QTableView, "alertsTable")
        self.acknowledge_button = child(f, QPushButton, "acknowledgeButton")
        self.acknowledge_text = self.acknowledge_button.text()
        self.open_order_button = child(f, QPushButton, "openOrderButton")
        self.splitter = child(f, QSplitter, "splitter")
        self.banner = ErrorBanner(self)
        self.banner.setObjectName("banner")
        f.layout().insertWidget(1, self.banner)
        holder = child(f, QWidget, "panelHolder")
        lay = QVBoxLayout(holder)
        lay.setContentsMargins(0, 0, 0, 0)
        self.scroll = QScrollArea(holder)
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.panel = AdditionalWorkAuthorisationPanel(self.staff)
        self.scroll.setWidget(self.panel)
        lay.addWidget(self.scroll)
        self.panel.recorded.connect(self._recorded)
        self.phones: dict[int, str] = {}
        self.model = RowTableModel(
            [
                Column(lambda: translate("Station", "Time"), lambda r: r[1].at, display=reads.when),
                Column(
                    lambda: translate("Station", "Notice"), lambda r: alert_kind_label(r[1].kind)
                ),
                Column(lambda: translate("Station", "Order"), lambda r: r[1].order_number),
                Column(lambda: translate("Station", "Plate"), lambda r: r[1].plate),
                Column(
                    lambda: translate("Station", "What happened"),
                    lambda r: alert_text(r[1], self.phones),
                ),
                Column(lambda: translate("Station", "Advisor"), lambda r: r[0]),
            ],
            self,
        )
        self.proxy = filter_proxy(self.model, self)
        self.alerts_view.setModel(self.proxy)
        setup_table(self.alerts_view, 4, 36)
        self.alerts_view.selectionModel().currentRowChanged.connect(lambda *_: self._changed())
        self.acknowledge_button.clicked.connect(self.acknowledge)
        self.open_order_button.clicked.connect(self.open_order)
        self.refresh_button.clicked.connect(self.refresh)
        self.may_acknowledge = allowed(self.staff, workshop.acknowledge_alert)
        if not self.may_acknowledge:
            self.acknowledge_button.setToolTip(
                translate("Station", "Only the service advisor of the order acknowledges notices.")
            )
        self.alerts_view.setColumnHidden(5, Role.ADVISOR.value in self.staff.role_set())
        self.splitter.setSizes([300, 500])
        self.timer = QTimer(self)
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self._auto_refresh)
        self.timer.start()
        self.refresh()

    @property
    def staff(self) -> Staff:
        return self.window_.staff

    def refresh(self) -> None:
        self.refresh_alerts()
        self.panel.refresh()

    def _recorded(self, _request_id: int) -> None:
        """Say what was recorded where the advisor looks (the panel's own line may be
        scrolled out of sight) and read the notices again."""
        self.refresh_alerts()
        self.panel.banner.clear_message()  # said once, on the page's banner that stays in view
        self.banner.show_info(self.panel.last_recorded)
        self.window_.show_status(self.panel.last_recorded)

    def _auto_refresh(self) -> None:
        if self.isVisible():
            self.refresh()

    def refresh_alerts(self) -> None:
        keep = self.selected()
        rows = alerts_for(self.staff)
        self.phones = request_phones([r[1] for r in rows])
        self.model.set_rows(rows)
        fit_table(self.alerts_view, 4, 200)
        self.count_label.setText(
            counted(
                len(rows),
                translate("Station", "1 open notice"),
                translate("Station", "{n} open notices"),
            )
        )
        if keep is not None:
            for r in range(self.proxy.rowCount()):
                row = row_of(self.proxy, self.proxy.index(r, 0))
                if (row[1].kind, row[1].ref_id) == (keep[1].kind, keep[1].ref_id):
                    self.alerts_view.setCurrentIndex(self.proxy.index(r, 0))
                    break
        self._changed()

    def selected(self) -> tuple[str, workshop.Alert] | None:
        index = self.alerts_view.currentIndex()
        return row_of(self.proxy, index) if index.isValid() else None

    def select_alert(self, kind: str, ref_id: int | None = None) -> bool:
        for r in range(self.proxy.rowCount()):
            row = row_of(self.proxy, self.proxy.index(r, 0))
            if row[1].kind == kind and (ref_id is None or row[1].ref_id == ref_id):
                self.alerts_view.setCurrentIndex(self.proxy.index(r, 0))
                return True
        return False

    def _changed(self) -> None:
        row = self.selected()
        self.open_order_button.setEnabled(row is not None)
        self.acknowledge_button.setEnabled(
            self.may_acknowledge and row is not None and row[1].kind != "additional_work"
        )
        self.acknowledge_button.setText(
            translate("Station", "Customer's &answer…")
            if row is not None and row[1].kind == "delay"
            else self.acknowledge_text
        )
        if row is not None and row[1].kind == "additional_work":
            # the same request stays as the advisor left it (decisions, signature)
            self.panel.select_request(row[1].ref_id, keep_input=True)

    def acknowledge(self) -> None:
        row = self.selected()
        if row is None:
            return
        alert = row[1]
        if alert.kind == "delay":
            self.answer_delay(alert)
            return
        try:
            workshop.acknowledge_alert(self.staff, alert.kind, alert.ref_id)
        except DomainError as exc:
            self.banner.show_error(str(exc))
            return
        message = translate("Station", "Notice on {number} acknowledged.").format(
            number=alert.order_number
        )
        self.banner.show_info(message)
        self.window_.show_status(message)
        self.refresh_alerts()

    def answer_delay(self, alert: workshop.Alert) -> DelayAnswerDialog:
        """A delay notice goes away with the customer's answer to the new time."""
        dialog = DelayAnswerDialog(self.staff, DelayReport.get_by_id(alert.ref_id), self)
        self.answer_dialog = dialog

        def recorded() -> None:
            message = translate(
                "Station", "Customer's answer on {number} recorded: {answer}."
            ).format(number=alert.order_number, answer=workshop.delay_answer_label(dialog.answer()))
            self.banner.show_info(message)
            self.window_.show_status(message)
            self.refresh_alerts()

        dialog.accepted.connect(recorded)
        dialog.open()
        return dialog

    def open_order(self) -> None:
        row = self.selected()
        if row is not None:
            self.window_.order_opened.emit(row[1].order_id)

    def screenshot_views(self) -> list[tuple[str, Any]]:
        return []


register_page(
    "alerts",
    lambda: translate("Station", "Workshop notices"),
    (Role.ADVISOR, Role.MANAGER),
    AlertsPage,
)
register_badge("alerts", alerts_badge)
