"""Step 5 of a reception: the task order's options, the checklist, the signature, the handover.

The checklist spans the whole flow: it lists what :func:`reception.signing_problems` still
misses, each item leading to its step. The page decides when to sign; this step holds the
options and the signature, saves the options, signs and hands the car over
through :mod:`shop_desk.services.reception` with the page's
:class:`~shop_desk.ui.reception.estimate.OrderRunner` (a refusal goes to its ``failed``)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from shop_desk.i18n import translate
from shop_desk.models import RepairOrder
from shop_desk.models.checkout import PAYMENT_METHODS
from shop_desk.services import reception
from shop_desk.ui.reception.estimate import OrderRunner
from shop_desk.ui.reception.flow import ESTIMATE, TASK_ORDER, step_checks
from shop_desk.ui.shell.uiload import child, load_form
from shop_desk.ui.shell.widgets import app_settings, mark_invalid


def payment_label(code: str) -> str:
    return {
        "cash": translate("ReceptionPage", "Cash"),
        "card": translate("ReceptionPage", "Bank card"),
        "wechat": translate("ReceptionPage", "WeChat Pay"),
        "alipay": translate("ReceptionPage", "Alipay"),
        "transfer": translate("ReceptionPage", "Transfer"),
        "on_account": translate("ReceptionPage", "On account"),
    }.get(code, code)


class TaskOrderStep(QWidget):
    """Payment, old parts, wash, authorisation, handover items, checklist and signature."""

    changed = Signal()  # an option changed (unsaved input: drafts, the checklist)
    signature_changed = Signal()  # the checklist is out of date
    step_requested = Signal(int)  # a missing item of the checklist was clicked: go there
    print_requested = Signal(str)  # "task-order" or "check-in"

    def __init__(self, runner: OrderRunner, parent: QWidget | None = None) -> None:
        from shop_desk.ui.shell.signature_pad import SignatureField

        super().__init__(parent)
        self.setObjectName("taskOrderStep")
        self.runner = runner
        self.form = load_form("reception_task_order", self)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.form)
        f = self.form
        self.payment_combo = child(f, QComboBox, "paymentCombo")
        for code in PAYMENT_METHODS:
            self.payment_combo.addItem(payment_label(code), code)
        self.dispose_radio = child(f, QRadioButton, "disposeRadio")
        self.take_home_radio = child(f, QRadioButton, "takeHomeRadio")
        self.old_parts_group = QButtonGroup(self)
        self.old_parts_group.addButton(self.dispose_radio)
        self.old_parts_group.addButton(self.take_home_radio)
        self.free_wash = child(f, QCheckBox, "freeWashCheck")
        self.auth_phone_radio = child(f, QRadioButton, "authPhoneRadio")
        self.auth_in_person_radio = child(f, QRadioButton, "authInPersonRadio")
        self.auth_group = QButtonGroup(self)
        self.auth_group.addButton(self.auth_phone_radio)
        self.auth_group.addButton(self.auth_in_person_radio)
        self.auth_phone_edit = child(f, QLineEdit, "authPhoneEdit")
        self.waiting_check = child(f, QCheckBox, "waitingCheck")
        self.key_check = child(f, QCheckBox, "keyCheck")
        self.documents_check = child(f, QCheckBox, "documentsCheck")
        self.handover_notes = child(f, QLineEdit, "handoverNotesEdit")
        self.received_by = child(f, QComboBox, "receivedByCombo")
        self._fill_supervisors()
        self.checklist = child(f, QListWidget, "checklist")
        self.signer_edit = child(f, QLineEdit, "signerEdit")
        self.signature = SignatureField(self)
        child(f, QWidget, "signatureHost").layout().addWidget(self.signature)
        self.print_task_button = child(f, QPushButton, "printTaskOrderButton")
        self.print_check_in_button = child(f, QPushButton, "printCheckInButton")
        self.print_task_button.clicked.connect(lambda: self.print_requested.emit("task-order"))
        self.print_check_in_button.clicked.connect(lambda: self.print_requested.emit("check-in"))
        for button in (self.print_task_button, self.print_check_in_button):
            button.setAutoDefault(False)
        self.payment_combo.currentIndexChanged.connect(lambda _i: self.changed.emit())
        for box in (self.free_wash, self.waiting_check, self.key_check, self.documents_check):
            box.toggled.connect(lambda _on: self.changed.emit())
        for radio in (self.dispose_radio, self.take_home_radio, self.auth_phone_radio):
            radio.toggled.connect(lambda _on: self.changed.emit())
        for edit in (self.auth_phone_edit, self.handover_notes, self.signer_edit):
            edit.textEdited.connect(lambda _t: self.changed.emit())
        self.auth_phone_radio.toggled.connect(self.auth_phone_edit.setEnabled)
        self._signature_problem: str | None = None
        self.signature.changed.connect(self._signature_changed)
        self.checklist.itemClicked.connect(self._checklist_clicked)
        self.fields: dict[str, QWidget] = {
            "payment_method": self.payment_combo,
            "old_parts": self.dispose_radio,
            "authorisation_via": self.auth_phone_radio,
            "authorisation_phone": self.auth_phone_edit,
            "signer": self.signer_edit,
            "signature": self.signature,
            "notes": self.handover_notes,
            "key": self.key_check,
        }

    # -- filling ---------------------------------------------------------------------------
    def load(self, order: RepairOrder) -> None:
        """Show the order's options (the last payment method chosen at this PC as default)."""
        self._fill_supervisors()
        customer = order.customer
        method = order.payment_method or app_settings().value(
            "reception/payment_method", "wechat", str
        )
        model = self.payment_combo.model()
        assert isinstance(model, QStandardItemModel)
        on_account_ok = customer.kind == "company" and customer.credit_limit > 0
        for row in range(self.payment_combo.count()):
            item = model.item(row)
            if self.payment_combo.itemData(row) == "on_account":
                item.setEnabled(on_account_ok)
        if method == "on_account" and not on_account_ok:
            method = "wechat"
        self.payment_combo.setCurrentIndex(max(0, self.payment_combo.findData(method)))
        (self.take_home_radio if order.old_parts == "take_home" else self.dispose_radio).setChecked(
            True
        )
        self.free_wash.setChecked(order.free_wash)
        in_person = order.authorisation_via == "in_person"
        (self.auth_in_person_radio if in_person else self.auth_phone_radio).setChecked(True)
        self.auth_phone_edit.setText(order.authorisation_phone or customer.phone)
        self.auth_phone_edit.setEnabled(not in_person)
        self.waiting_check.setChecked(order.customer_waiting)
        self.key_check.setChecked(True)
        self.documents_check.setChecked(True)
        self.handover_notes.clear()
        self.signer_edit.setText(customer.name)
        self.signature.clear()
        self.signature.set_on_paper(False)

    def clear(self) -> None:
        self.signature.clear()
        self.signature.set_on_paper(False)
        self.handover_notes.clear()

    def set_editable(self, editable: bool, may_hand_over: bool, has_order: bool) -> None:
        """Options and signature while unsigned; handover items and printing once received."""
        for widget in (
            self.payment_combo,
            self.dispose_radio,
            self.take_home_radio,
            self.free_wash,
            self.auth_phone_radio,
            self.auth_in_person_radio,
            self.waiting_check,
            self.signer_edit,
            self.signature,
        ):
            widget.setEnabled(editable)
        self.auth_phone_edit.setEnabled(editable and self.auth_phone_radio.isChecked())
        for widget in (
            self.key_check,
            self.documents_check,
            self.handover_notes,
            self.received_by,
        ):
            widget.setEnabled(may_hand_over and has_order)
        for button in (self.print_task_button, self.print_check_in_button):
            button.setEnabled(has_order)

    def state(self) -> dict[str, Any]:
        """What is chosen and typed, for the draft."""
        return {
            **self.options_values(),
            "signer": self.signer_edit.text(),
            "notes": self.handover_notes.text(),
        }

    def restore(self, t: dict[str, Any]) -> None:
        """Put a draft's input (:meth:`state`) back."""
        self.payment_combo.setCurrentIndex(
            max(0, self.payment_combo.findData(t.get("payment_method", "")))
        )
        (
            self.take_home_radio if t.get("old_parts") == "take_home" else self.dispose_radio
        ).setChecked(True)
        self.free_wash.setChecked(bool(t.get("free_wash", True)))
        in_person = t.get("authorisation_via") == "in_person"
        (self.auth_in_person_radio if in_person else self.auth_phone_radio).setChecked(True)
        self.auth_phone_edit.setText(t.get("authorisation_phone", ""))
        self.waiting_check.setChecked(bool(t.get("customer_waiting")))
        self.signer_edit.setText(t.get("signer", ""))
        self.handover_notes.setText(t.get("notes", ""))

    def field_widget(self, field: str) -> QWidget | None:
        return self.fields.get(field)

    def clear_marks(self) -> None:
        for widget in self.fields.values():
            if widget.property("invalid"):
                mark_invalid(widget, False)

    # -- options ---------------------------------------------------------------------------
    def payment_method(self) -> str:
        return self.payment_combo.currentData() or ""

    def options_values(self) -> dict[str, Any]:
        return {
            "payment_method": self.payment_method(),
            "old_parts": "take_home" if self.take_home_radio.isChecked() else "dispose",
            "free_wash": self.free_wash.isChecked(),
            "authorisation_via": "in_person" if self.auth_in_person_radio.isChecked() else "phone",
            "authorisation_phone": self.auth_phone_edit.text().strip(),
            "customer_waiting": self.waiting_check.isChecked(),
        }

    def save_options(self) -> bool:
        """Store the options when they differ from the order's (nothing once it is signed)."""
        order = (
            RepairOrder.get_or_none(RepairOrder.id == self.runner.order_id)
            if self.runner.order_id
            else None
        )
        if order is None or order.signed_at is not None:
            return True
        values = self.options_values()
        stored = {
            "payment_method": order.payment_method,
            "old_parts": order.old_parts,
            "free_wash": order.free_wash,
            "authorisation_via": order.authorisation_via,
            "authorisation_phone": order.authorisation_phone,
            "customer_waiting": order.customer_waiting,
        }
        if values == stored:
            return True
        if values["authorisation_via"] == "in_person":
            values["authorisation_phone"] = ""
        if self.runner.call(reception.set_task_order_options, order.id, **values) is None:
            return False
        app_settings().setValue("reception/payment_method", values["payment_method"])
        return True

    # -- signature and checklist -----------------------------------------------------------
    def _signature_changed(self) -> None:
        self._signature_problem = None  # analysed again when the checklist needs it
        self.signature_changed.emit()

    def signature_problem(self) -> str:
        """What the services would refuse in the signature now (cached until it changes)."""
        if self._signature_problem is None:
            self._signature_problem = self.signature.problem()
        return self._signature_problem

    def checklist_items(self, order: RepairOrder | None) -> list[tuple[bool, str, int]]:
        """(done, text, step) for everything the signature needs, in the order of the flow."""
        if order is None:
            return []
        missing = set(reception.signing_problems(order))
        items = [(text not in missing, text, step) for text, step in step_checks()]
        late = translate("Reception", "a promised completion time that is not already past")
        if late in missing:
            items.append((False, late, ESTIMATE))
        items.append(
            (bool(self.payment_method()), translate("Reception", "the payment method"), TASK_ORDER)
        )
        problem = self.signature_problem()
        items.append(
            (
                not problem,
                translate("ReceptionPage", "the customer's signature")
                + (f" — {problem}" if problem and not self.signature.is_empty() else ""),
                TASK_ORDER,
            )
        )
        return items

    def show_checklist(self, order: RepairOrder | None) -> None:
        """What the signature still needs (clickable, to its step); a tick once signed."""
        self.checklist.clear()
        if order is not None and order.signed_at is not None:
            self.checklist.addItem(
                translate("ReceptionPage", "✔ Signed. Hand the car over to the workshop.")
            )
            return
        for done, text, step in self.checklist_items(order):
            item = QListWidgetItem(("✔  " if done else "✘  ") + text)
            item.setForeground(Qt.GlobalColor.darkGreen if done else Qt.GlobalColor.darkRed)
            item.setData(Qt.ItemDataRole.UserRole, step)
            item.setData(Qt.ItemDataRole.UserRole + 1, done)
            self.checklist.addItem(item)

    def _checklist_clicked(self, item: QListWidgetItem) -> None:
        step = item.data(Qt.ItemDataRole.UserRole)
        done = item.data(Qt.ItemDataRole.UserRole + 1)
        if step is not None and not done and step != TASK_ORDER:
            self.step_requested.emit(int(step))

    # -- signing and handing over ----------------------------------------------------------
    def sign(self) -> bool:
        """The customer signs (pad or paper); the runner shows a refusal."""
        return (
            self.runner.call(
                reception.sign_task_order,
                self.runner.order_id,
                self.signature.signature_png(),
                self.signer_edit.text(),
                on_paper=self.signature.on_paper(),
            )
            is not None
        )

    def _fill_supervisors(self) -> None:
        """The workshop supervisors who may receive the car (the last one chosen first)."""
        chosen = self.received_by.currentData()
        self.received_by.clear()
        for person in reception.workshop_supervisors():
            self.received_by.addItem(person.name, person.id)
        self.received_by.setCurrentIndex(max(0, self.received_by.findData(chosen)))

    def hand_over(self) -> bool:
        """The key, the documents and a note go with the car to the workshop supervisor
        named under "Received by"."""
        return (
            self.runner.call(
                reception.hand_over,
                self.runner.order_id,
                key=self.key_check.isChecked(),
                documents=self.documents_check.isChecked(),
                notes=self.handover_notes.text(),
                received_by=self.received_by.currentData(),
            )
            is not None
        )
