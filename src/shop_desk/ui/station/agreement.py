"""How the customer agreed to additional work (顾客授权): in person, by phone or a signature
on screen, and who. The advisor's authorisation panel and the dialog of the customer paying
what the insurer declined capture it the same way, so both go through
:class:`CustomerAgreement`."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QWidget,
)

from shop_desk.errors import ValidationError
from shop_desk.i18n import translate
from shop_desk.ui.shell.widgets import app_settings

#: the advisor's last choice, offered again next time (most customers answer by phone)
METHOD_SETTING = "station/auth_method"


class CustomerAgreement(QObject):
    """The method radios, the name and the signature pad (built into ``signature_holder``,
    shown only for a signature on screen) of one form."""

    def __init__(
        self,
        radios: dict[str, QRadioButton],
        name_edit: QLineEdit,
        signature_holder: QWidget,
        parent: QObject,
    ) -> None:
        super().__init__(parent)
        from shop_desk.ui.shell.signature_pad import SignaturePad

        self.radios = radios
        self.name_edit = name_edit
        self.signature_holder = signature_holder
        self.signature_allowed = True
        row = QHBoxLayout(signature_holder)
        row.setContentsMargins(0, 0, 0, 0)
        self.pad = SignaturePad(signature_holder)
        self.pad.setMinimumHeight(150)
        row.addWidget(self.pad, 1)
        self.clear_button = QPushButton(translate("Station", "Clear"), signature_holder)
        self.clear_button.setObjectName("clearSignatureButton")
        self.clear_button.setAutoDefault(False)
        self.clear_button.clicked.connect(self.pad.clear)
        row.addWidget(self.clear_button, 0, Qt.AlignmentFlag.AlignBottom)
        self.group = QButtonGroup(self)
        for radio in radios.values():
            self.group.addButton(radio)
            radio.toggled.connect(self._method_changed)
        last = app_settings().value(METHOD_SETTING, "phone", str)
        self.set_method(last if last in radios else "phone")
        self._method_changed()

    @classmethod
    def build(cls, parent: QWidget) -> tuple[CustomerAgreement, QWidget]:
        """The radios in a row of their own (for a dialog's form); the name edit and the
        signature holder are the agreement's ``name_edit`` and ``signature_holder``."""
        row = QWidget(parent)
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        texts = {
            "in_person": translate("Station", "In &person"),
            "phone": translate("Station", "By p&hone"),
            "signature": translate("Station", "&Signature on screen"),
        }
        radios = {}
        for code, text in texts.items():
            radios[code] = QRadioButton(text, row)
            radios[code].setObjectName(f"{code}Radio")
            layout.addWidget(radios[code])
        layout.addStretch(1)
        name = QLineEdit(parent)
        name.setObjectName("customerEdit")
        name.setMaxLength(60)
        name.setPlaceholderText(translate("Station", "Name of the person who decided"))
        holder = QWidget(parent)
        holder.setObjectName("signatureHolder")
        return cls(radios, name, holder, parent), row

    def method(self) -> str:
        return next((c for c, r in self.radios.items() if r.isChecked()), "phone")

    def set_method(self, code: str) -> None:
        self.radios[code].setChecked(True)

    def allow_signature(self, allowed: bool) -> None:
        """No pad where nobody signs (the insurer answers in its own assessment)."""
        self.signature_allowed = allowed
        self._method_changed()

    def _method_changed(self, *_: Any) -> None:
        self.signature_holder.setVisible(self.method() == "signature" and self.signature_allowed)

    def signature_png(self) -> bytes | None:
        """The signature for a signature on screen (None for another method); an empty or
        scribbled pad is refused in words before anything is saved."""
        if self.method() != "signature":
            return None
        from shop_desk.services.reception import analyse_signature

        png = self.pad.signature_png()
        report = analyse_signature(png)
        if not report.ok:
            raise ValidationError(report.message, "signature")
        return png

    def remember(self) -> None:
        app_settings().setValue(METHOD_SETTING, self.method())
