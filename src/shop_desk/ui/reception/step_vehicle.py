"""Step 1 of a reception: the car (find it, today's appointments, receptions in progress)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QLineEdit, QWidget

from shop_desk.i18n import translate
from shop_desk.models import Customer, Staff
from shop_desk.services import customers as customer_service
from shop_desk.ui.shell.widgets import FormDialog


class BroughtByDialog(FormDialog):
    """Who brings the car when it is not the owner: a customer on file (by phone) or a new one."""

    def __init__(self, actor: Staff, parent: QWidget | None = None) -> None:
        super().__init__(
            translate("ReceptionPage", "Brought by someone else"),
            parent,
            translate("ReceptionPage", "Use"),
        )
        self.setObjectName("broughtByDialog")
        self.actor = actor
        hint = QLabel(
            translate(
                "ReceptionPage",
                "The person who brings the car signs the task order. A phone number on file "
                "picks that customer; otherwise the person is registered.",
            )
        )
        hint.setWordWrap(True)
        self.form.addRow(hint)
        self.phone_edit = self.add_row("phone", translate("ReceptionPage", "Phone"), QLineEdit())
        self.name_edit = self.add_row("name", translate("ReceptionPage", "Name"), QLineEdit())
        self.found_label = QLabel(self)
        self.found_label.setObjectName("foundLabel")
        self.form.addRow(self.found_label)
        self.phone_edit.textChanged.connect(self._phone_changed)
        self.phone_edit.setFocus()
        self.resize(460, self.sizeHint().height())

    def _phone_changed(self, text: str) -> None:
        from shop_desk.ui.shell.vehicle_picker import customer_with_phone

        found = customer_with_phone(text)
        self.found_label.setText(
            translate("ReceptionPage", "On file: {name}").format(name=found.name) if found else ""
        )
        if found is not None and not self.name_edit.text().strip():
            self.name_edit.setText(found.name)

    def submit(self) -> Customer:
        from shop_desk.ui.shell.vehicle_picker import customer_with_phone

        found = customer_with_phone(self.phone_edit.text())
        if found is not None:
            return found
        return customer_service.create_customer(
            self.actor, self.name_edit.text(), self.phone_edit.text()
        )
