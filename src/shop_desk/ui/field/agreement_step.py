"""Outside warranty, before work starts: the quote (parts, labour, travel) and the
customer's agreement to it — in person, by phone or signed on the tablet's pad (the same rule
as additional work, 增项)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QButtonGroup,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from shop_desk.i18n import translate
from shop_desk.models import FieldJob
from shop_desk.money import fmt
from shop_desk.services import field
from shop_desk.ui.field.tablet_common import TabletHost, label, touch_button
from shop_desk.ui.shell.signature_pad import SignaturePad


def method_label(method: str) -> str:
    labels = {
        "in_person": translate("FieldTablet", "In person"),
        "phone": translate("FieldTablet", "By phone"),
        "signature": translate("FieldTablet", "Signs on the tablet"),
    }
    return labels.get(method, method)


class AgreementStep(QWidget):
    """The quote and the customer's agreement; ``cannot_fix`` opens the towing step."""

    def __init__(self, host: TabletHost, cannot_fix: Callable[[], None], parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("agreementStep")
        self.host = host
        self.job: FieldJob | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        layout.addWidget(
            label(
                translate("FieldTablet", "Next: the customer agrees to the quote"),
                self,
                "heading",
            )
        )
        self.quote_label = label("", self, "subheading", "quoteLabel")
        layout.addWidget(self.quote_label)
        self.no_quote_label = label(
            translate(
                "FieldTablet",
                "This job is outside warranty and has not been quoted yet. Ask the service "
                "centre to quote it (parts, labour, travel); then the customer agrees here.",
            ),
            self,
            "alert",
            "noQuoteLabel",
        )
        layout.addWidget(self.no_quote_label)
        self.check_button = touch_button(
            translate("FieldTablet", "Check for the quote again"), self, "checkQuoteButton"
        )
        self.check_button.clicked.connect(host.reload)
        layout.addWidget(self.check_button)

        self.form = QWidget(self)
        form_layout = QVBoxLayout(self.form)
        form_layout.setContentsMargins(0, 0, 0, 0)
        methods = QHBoxLayout()
        self.methods = QButtonGroup(self)
        self.method_buttons = {}
        for method in ("in_person", "phone", "signature"):
            button = touch_button(
                method_label(method), self.form, f"method_{method}", checkable=True
            )
            self.methods.addButton(button)
            self.method_buttons[method] = button
            methods.addWidget(button)
            button.toggled.connect(self._method_changed)
        form_layout.addLayout(methods)
        rows = QFormLayout()
        self.name_edit = QLineEdit(self.form)
        self.name_edit.setObjectName("agreedByEdit")
        self.name_edit.setMaxLength(60)
        rows.addRow(translate("FieldTablet", "Who agrees"), self.name_edit)
        form_layout.addLayout(rows)
        self.pad = SignaturePad(self.form)
        self.pad.setObjectName("agreementPad")
        self.pad.setMinimumHeight(170)
        self.clear_button = touch_button(
            translate("FieldTablet", "Clear the signature"), self.form, "clearAgreementButton"
        )
        self.clear_button.clicked.connect(self.pad.clear)
        form_layout.addWidget(self.pad)
        form_layout.addWidget(self.clear_button)
        layout.addWidget(self.form)

        self.agree_button = touch_button(
            translate("FieldTablet", "The customer agrees"), self, "agreeButton", "primary"
        )
        self.agree_button.clicked.connect(self.agree)
        layout.addWidget(self.agree_button)
        self.cannot_fix_button = touch_button(
            translate("FieldTablet", "Cannot fix on site…"), self, "cannotFixButton", "danger"
        )
        self.cannot_fix_button.clicked.connect(cannot_fix)
        layout.addWidget(self.cannot_fix_button)
        layout.addStretch(1)
        self._method_changed()

    def show_job(self, job: FieldJob, fresh: bool) -> None:
        self.job = job
        total = field.quote_total(job)
        quoted = total is not None
        if quoted:
            self.quote_label.setText(
                translate(
                    "FieldTablet",
                    "Quote: parts {parts} + labour {labour} + travel {travel} = {total}",
                ).format(
                    parts=fmt(job.quote_parts),
                    labour=fmt(job.quote_labour),
                    travel=fmt(job.quote_travel),
                    total=fmt(total),
                )
            )
        self.quote_label.setVisible(quoted)
        self.no_quote_label.setVisible(not quoted)
        self.check_button.setVisible(not quoted)
        self.form.setVisible(quoted)
        self.agree_button.setVisible(quoted)
        if fresh:
            self.name_edit.setText(job.customer.name)
            self.method_buttons["signature"].setChecked(True)
            self.pad.clear()

    def method(self) -> str:
        return next((m for m, b in self.method_buttons.items() if b.isChecked()), "")

    def _method_changed(self) -> None:
        signing = self.method() == "signature"
        self.pad.setVisible(signing)
        self.clear_button.setVisible(signing)

    def agree(self) -> None:
        if self.job is None:
            return
        method = self.method()
        self.host.call(
            field.record_agreement,
            self.job.id,
            method,
            self.name_edit.text(),
            self.pad.signature_png() if method == "signature" else None,
            done=translate("FieldTablet", "The customer agreed to the quote: start the work."),
        )
