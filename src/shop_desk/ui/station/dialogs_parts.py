"""The station's parts dialogs: request a line's parts, issue them on a slip, the technician's
signature on the slip, and goods received at the counter."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from shop_desk.errors import DomainError, ValidationError
from shop_desk.i18n import translate
from shop_desk.models import RepairOrder, Staff, TeamMember
from shop_desk.roles import Role
from shop_desk.services import parts as parts_service
from shop_desk.ui.shell.part_picker import PartPicker
from shop_desk.ui.shell.widgets import ErrorBanner, FormDialog, decimal_edit
from shop_desk.ui.station import reads
from shop_desk.ui.station.common import (
    TOUCH_STYLE,
    set_flag,
)
from shop_desk.ui.station.dialogs import (
    StationDialog,
    dec_text,
)
from shop_desk.ui.station.quantity_table import QuantityTable

# ---------------------------------------------------------------------------------------
# parts


class RequestPartsDialog(StationDialog):
    """Ask the parts counter for a line's parts; stock is reserved at once."""

    def __init__(
        self, actor: Staff, order: RepairOrder, row: reads.PartRow, parent: QWidget
    ) -> None:
        super().__init__(
            translate("Station", "Request parts"),
            actor,
            order,
            parent,
            translate("Station", "Request"),
        )
        self.setObjectName("requestPartsDialog")
        self.row = row
        set_flag(self.ok_button(), "primary", True)
        free = row.available if row.available is not None else Decimal("0")
        self.heading(
            translate(
                "Station",
                "{part} ({code}): {planned} on the task order, {requested} requested, {free} free in "
                "stock at {bin}.",
            ).format(
                part=row.description,
                code=row.part_no,
                planned=f"{row.planned.normalize():f}",
                requested=f"{row.requested.normalize():f}",
                free=f"{free.normalize():f}",
                bin=row.bin_location or "—",
            )
        )
        left = max(Decimal("0"), row.planned - row.requested)
        self.quantity = decimal_edit(self, 2, 5)
        self.quantity.setText(f"{left.normalize():f}" if left else "")
        self.quantity.setMinimumHeight(40)
        self.add_row("quantity", translate("Station", "Quantity:"), self.quantity)
        self.wait_box = QCheckBox(
            translate("Station", "If stock is short, stop the job until the parts arrive"), self
        )
        self.wait_box.setChecked(True)
        self.form.addRow(self.wait_box)

    def submit(self) -> Any:
        return self.run(
            parts_service.request_parts,
            self.row.line_id,
            dec_text(self.quantity.text()),
            wait_for_parts=self.wait_box.isChecked(),
        )


def technician_box(parent: QWidget, order: RepairOrder) -> QComboBox:
    """A choice of :func:`technicians_of` the order: who takes or hands back the parts."""
    box = QComboBox(parent)
    box.setMinimumHeight(40)
    for person in technicians_of(order):
        box.addItem(person.name, person.id)
    return box


def technicians_of(order: RepairOrder) -> list[Staff]:
    """Who may receive the parts: the order's team members holding a technician role."""
    people: dict[int, Staff] = {}
    if order.technician_id:
        people[order.technician_id] = order.technician
    if order.team_id:
        for m in TeamMember.select().where(TeamMember.team == order.team_id):
            s = m.staff
            if s.active and s.role_set() & {Role.TECHNICIAN.value, Role.TEAM_LEADER.value}:
                people.setdefault(s.id, s)
    return list(people.values())


class IssuePartsDialog(StationDialog):
    """The parts clerk hands parts to the technician on one parts issue slip (出库单)."""

    def __init__(self, actor: Staff, order: RepairOrder, parent: QWidget) -> None:
        super().__init__(
            translate("Station", "Issue parts for {number}").format(number=order.number),
            actor,
            order,
            parent,
            translate("Station", "Issue and print the slip"),
        )
        self.setObjectName("issuePartsDialog")
        set_flag(self.ok_button(), "primary", True)
        self.rows = [
            r
            for r in reads.part_rows(order.id)
            if r.auth_state == "authorised" and r.part_id is not None and r.not_issued > 0
        ]
        self.heading(
            translate(
                "Station",
                "Tick the lines handed out now. Requested quantities come first; stock reserved for "
                "other orders cannot be taken.",
            )
        )
        self.table = QuantityTable(
            self,
            "issueTable",
            [
                translate("Station", "Issue"),
                translate("Station", "Part"),
                translate("Station", "Bin"),
                translate("Station", "Requested / planned"),
                translate("Station", "Free in stock"),
                translate("Station", "Quantity now"),
            ],
            [
                [
                    f"{row.part_no} {row.description}",
                    row.bin_location,
                    f"{row.requested.normalize():f} / {row.planned.normalize():f}",
                    f"{(row.available or Decimal('0')).normalize():f}",
                ]
                for row in self.rows
            ],
            [
                f"{(row.to_issue if row.to_issue > 0 else row.not_issued).normalize():f}"
                for row in self.rows
            ],
            ticked=[row.to_issue > 0 for row in self.rows],
            min_height=160,
        )
        self.checks, self.quantities = self.table.checks, self.table.edits
        self.form.addRow(self.table)
        self.fields["items"] = self.table
        self.technician = self.add_row(
            "technician", translate("Station", "Handed to:"), technician_box(self, order)
        )
        self.resize(780, 460)

    def items(self) -> dict[int, str]:
        return self.table.ticked([row.line_id for row in self.rows])

    def submit(self) -> Any:
        tech = self.technician.currentData()
        if tech is None:
            raise ValidationError(
                translate("Station", "Choose the technician who receives the parts."), "technician"
            )
        return self.run(parts_service.issue_parts, self.order.id, self.items(), tech)


class SignSlipDialog(QDialog):
    """The technician who drew the parts signs the parts issue slip on screen."""

    signed = Signal(int)

    def __init__(
        self,
        actor: Staff,
        slip: reads.SlipRow,
        parent: QWidget,
        title: str | None = None,
        statement: str | None = None,
        sign: Callable[[Staff, int, bytes], Any] | None = None,
    ) -> None:
        """``title``, ``statement`` and ``sign`` (the service) default to the parts issue
        slip's; the return slip passes its own."""
        from shop_desk.ui.shell.signature_pad import SignaturePad

        super().__init__(parent)
        self.setObjectName("signSlipDialog")
        self.sign_service = sign or parts_service.sign_issue_slip
        self.setWindowTitle(
            title
            or translate("Station", "Sign parts issue slip {number}").format(number=slip.number)
        )
        self.setModal(True)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setStyleSheet(TOUCH_STYLE)
        self.actor = actor
        self.slip = slip
        self.result_value: Any = None
        layout = QVBoxLayout(self)
        info = QLabel(
            translate("Station", "{number} · issued {time} by {clerk} to {name}:\n{items}").format(
                number=slip.number,
                time=slip.issued_at.strftime("%Y-%m-%d %H:%M"),
                clerk=slip.issued_by,
                name=slip.technician,
                items=slip.items,
            ),
            self,
        )
        info.setWordWrap(True)
        layout.addWidget(info)
        layout.addWidget(
            QLabel(
                (
                    statement or translate("Station", "I received these parts — signed {name}:")
                ).format(name=actor.name),
                self,
            )
        )
        self.pad = SignaturePad(self)
        self.pad.setMinimumSize(520, 180)
        layout.addWidget(self.pad, 1)
        self.error = ErrorBanner(self)
        self.error.setObjectName("errorBanner")
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox(self)
        self.sign_button = self.buttons.addButton(
            translate("Station", "Sign the slip"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.sign_button.setObjectName("signButton")
        set_flag(self.sign_button, "primary", True)
        self.sign_button.setMinimumHeight(44)
        self.clear_button = self.buttons.addButton(
            translate("Station", "Clear"), QDialogButtonBox.ButtonRole.ResetRole
        )
        self.clear_button.setObjectName("clearButton")
        cancel = self.buttons.addButton(
            translate("Widgets", "Cancel"), QDialogButtonBox.ButtonRole.RejectRole
        )
        cancel.setMinimumHeight(44)
        self.clear_button.clicked.connect(self.pad.clear)
        self.sign_button.clicked.connect(self.sign)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.resize(640, 420)

    def sign(self) -> None:
        from shop_desk.services.reception import analyse_signature

        png = self.pad.signature_png()
        if png is None:
            self.error.show_error(translate("Station", "Sign in the box first."))
            return
        report = analyse_signature(png)
        if not report.ok:
            self.error.show_error(report.message)
            return
        try:
            self.result_value = self.sign_service(self.actor, self.slip.slip_id, png)
        except DomainError as exc:
            self.error.show_error(str(exc))
            return
        self.signed.emit(self.slip.slip_id)
        self.accept()


class ReceiveStockDialog(FormDialog):
    """Goods received at the parts counter; orders waiting for the part are listed after."""

    def __init__(self, actor: Staff, parent: QWidget) -> None:
        super().__init__(
            translate("Station", "Goods received"), parent, translate("Station", "Book into stock")
        )
        self.setObjectName("receiveStockDialog")
        self.setStyleSheet(TOUCH_STYLE)
        self.actor = actor
        self.part = PartPicker(self)
        self.add_row("part", translate("Station", "Part:"), self.part)
        self.quantity = decimal_edit(self, 2, 5)
        self.quantity.setMinimumHeight(40)
        self.add_row("quantity", translate("Station", "Quantity received:"), self.quantity)
        self.note = QLineEdit(self)
        self.note.setMaxLength(200)
        self.note.setPlaceholderText(translate("Station", "Delivery note number, supplier"))
        self.add_row("note", translate("Station", "Note:"), self.note)
        self.setMinimumWidth(540)

    def select_part(self, part_id: int) -> None:
        self.part.select_part(part_id)

    def submit(self) -> Any:
        part_id = self.part.part_id()
        if part_id is None:
            raise ValidationError(translate("Station", "Choose the part that came in."), "part")
        return parts_service.receive_stock(
            self.actor, part_id, dec_text(self.quantity.text()), self.note.text()
        )
