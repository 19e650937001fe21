"""The customer's answer to a delay (延时): the advisor calls and records whether the customer
agreed to the new promised time, did not (and what they want then), or was not reached (the
notice stays for the next call)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QButtonGroup, QLineEdit, QRadioButton, QVBoxLayout, QWidget

from shop_desk.i18n import translate
from shop_desk.models import DelayReport, Staff
from shop_desk.services import workshop
from shop_desk.ui.shell.widgets import FormDialog


class DelayAnswerDialog(FormDialog):
    """One call's result for ``report``; OK records it (refusals stay in the dialog)."""

    def __init__(self, actor: Staff, report: DelayReport, parent: QWidget | None = None) -> None:
        super().__init__(
            translate("Station", "The customer's answer about {number}").format(
                number=report.order.number
            ),
            parent,
            translate("Station", "Record the answer"),
        )
        self.setObjectName("delayAnswerDialog")
        self.actor, self.report = actor, report
        self.form.addRow(
            translate("Station", "New promised time:"),
            QLineEdit(report.new_promised_at.strftime("%Y-%m-%d %H:%M"), self, readOnly=True),
        )
        host = QWidget(self)
        column = QVBoxLayout(host)
        column.setContentsMargins(0, 0, 0, 0)
        self.choices = QButtonGroup(self)
        for code in workshop.DELAY_ANSWERS:
            radio = QRadioButton(workshop.delay_answer_label(code), host)
            radio.setObjectName(f"answer_{code}")
            self.choices.addButton(radio)
            radio.setProperty("code", code)
            column.addWidget(radio)
        self.add_row("answer", translate("Station", "The customer:"), host)
        self.note = QLineEdit(self)
        self.note.setMaxLength(1000)
        self.note.setPlaceholderText(translate("Station", "e.g. will collect tomorrow morning"))
        self.add_row("note", translate("Station", "Notes:"), self.note)

    def answer(self) -> str:
        chosen = self.choices.checkedButton()
        return str(chosen.property("code")) if chosen is not None else ""

    def submit(self) -> Any:
        return workshop.record_delay_answer(
            self.actor, self.report.id, self.answer(), self.note.text()
        )
