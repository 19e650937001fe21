"""The "Accident car / insurance" section of an order at reception (事故车 / 保险理赔): mark the accident
car, record the claim (insurer, 报案号, policy, accident date, who is at fault, excess and
betterment), add photos for the insurer, and record the loss assessment (定损).

The section opens from the reception page's header (:class:`InsuranceDialog`): it needs no
room on the steps. Each dialog saves through :mod:`shop_desk.services.insurance` on OK (a refusal stays in the
dialog with the input); the page's order version is re-read after each save (``saved``).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from shop_desk import clock
from shop_desk.errors import DomainError
from shop_desk.i18n import counted, translate
from shop_desk.models import ClaimPhoto, JobLine, RepairOrder, Staff
from shop_desk.models.insurance import FAULT_PARTIES
from shop_desk.money import fmt
from shop_desk.services import insurance
from shop_desk.services.orders import line_total
from shop_desk.ui.shell.widgets import ErrorBanner, FormDialog, allowed, date_edit, decimal_edit


def _date_edit(parent: QWidget, value: dt.date | None) -> QDateEdit:
    return date_edit(parent, value if value is not None else clock.today())


class ClaimDialog(FormDialog):
    """The accident car and its insurance claim."""

    def __init__(self, actor: Staff, order: RepairOrder, parent: QWidget | None = None) -> None:
        super().__init__(translate("Insurance", "Accident car / insurance"), parent)
        self.actor, self.order = actor, order
        claim = insurance.claim_of(order)
        self.accident = QCheckBox(
            translate("Insurance", "Accident car (not handed over at peak hours)")
        )
        self.accident.setChecked(bool(order.accident_car))
        self.add_row("accident", "", self.accident)
        self.insurer = QComboBox(self)
        self.insurer.addItem(translate("Insurance", "— no insurance claim —"), None)
        for company in insurance.insurers():
            self.insurer.addItem(company.name, company.id)
        if claim is not None:
            if self.insurer.findData(claim.insurer_id) < 0:  # an insurer since made inactive
                self.insurer.addItem(claim.insurer.name, claim.insurer_id)
            self.insurer.setCurrentIndex(self.insurer.findData(claim.insurer_id))
        self.add_row("insurer", translate("Insurance", "Insurer"), self.insurer)
        self.report_no = QLineEdit(claim.claim_report_no if claim else "", self)
        self.add_row(
            "claim_report_no", translate("Insurance", "Claim report number"), self.report_no
        )
        self.policy = QLineEdit(claim.policy_no if claim else "", self)
        self.add_row("policy_no", translate("Insurance", "Policy number"), self.policy)
        self.accident_date = _date_edit(self, claim.accident_date if claim else None)
        self.add_row("accident_date", translate("Insurance", "Accident date"), self.accident_date)
        self.fault = QComboBox(self)
        for code in FAULT_PARTIES:
            self.fault.addItem(insurance.fault_party_label(code), code)
        if claim is not None:
            self.fault.setCurrentIndex(self.fault.findData(claim.fault_party))
        self.add_row("fault_party", translate("Insurance", "Who is at fault"), self.fault)
        self.excess = decimal_edit(self)
        self.excess.setText(str(claim.excess) if claim else "0")
        self.add_row("excess", translate("Insurance", "Excess (customer pays)"), self.excess)
        self.betterment = decimal_edit(self)
        self.betterment.setText(str(claim.betterment) if claim else "0")
        self.add_row(
            "betterment", translate("Insurance", "Betterment (customer pays)"), self.betterment
        )
        self.setMinimumWidth(520)

    def submit(self) -> Any:
        insurer_id = self.insurer.currentData()
        if insurer_id is None:
            return insurance.mark_accident_car(self.actor, self.order.id, self.accident.isChecked())
        return insurance.record_claim(
            self.actor,
            self.order.id,
            insurer_id,
            self.report_no.text(),
            policy_no=self.policy.text(),
            accident_date=self.accident_date.date().toPython(),
            fault_party=self.fault.currentData(),
            excess=self.excess.text() or "0",
            betterment=self.betterment.text() or "0",
        )


class AssessmentDialog(FormDialog):
    """The insurer's loss assessment: a figure per line (those lines become insurance lines)
    or one total for the insurance lines."""

    def __init__(self, actor: Staff, order: RepairOrder, parent: QWidget | None = None) -> None:
        super().__init__(translate("Insurance", "Loss assessment"), parent)
        self.actor, self.order = actor, order
        claim = insurance.claim_of(order)
        self.assessor = QLineEdit(claim.assessor_name if claim else "", self)
        self.add_row("assessor_name", translate("Insurance", "Assessor"), self.assessor)
        self.assessed_on = _date_edit(self, claim.assessed_on if claim else None)
        self.add_row("assessed_on", translate("Insurance", "Assessed on"), self.assessed_on)
        self.lines = [
            ln
            for ln in JobLine.select()
            .where((JobLine.order == order) & (JobLine.auth_state != "declined"))
            .order_by(JobLine.sort, JobLine.id)
        ]
        figures = insurance.assessed_amounts(order)
        self.table = QTableWidget(len(self.lines), 3, self)
        self.table.setHorizontalHeaderLabels(
            [
                translate("Insurance", "Line"),
                translate("Insurance", "Shop price"),
                translate("Insurance", "Assessed amount"),
            ]
        )
        for row, ln in enumerate(self.lines):
            for col, text in enumerate((ln.description, fmt(line_total(ln)))):
                item = QTableWidgetItem(text)
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                self.table.setItem(row, col, item)
            amount = figures.get(ln.id)
            self.table.setItem(row, 2, QTableWidgetItem("" if amount is None else str(amount)))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setMinimumHeight(160)
        self.add_row("lines", translate("Insurance", "Per line"), self.table)
        hint = QLabel(
            translate(
                "Insurance",
                "A line with an assessed amount is paid by the insurance; leave the others empty.",
            ),
            self,
        )
        hint.setWordWrap(True)
        self.form.addRow("", hint)
        self.total = decimal_edit(self)
        if claim is not None and claim.assessed_total is not None:
            self.total.setText(str(claim.assessed_total))
        self.add_row(
            "total_amount", translate("Insurance", "Or in total (insurance lines)"), self.total
        )
        self.setMinimumWidth(640)

    def set_amount(self, line_id: int, text: str) -> None:
        row = next(i for i, ln in enumerate(self.lines) if ln.id == line_id)
        self.table.item(row, 2).setText(text)

    def submit(self) -> Any:
        amounts = {}
        for row, ln in enumerate(self.lines):
            text = self.table.item(row, 2).text().strip()
            if text:
                amounts[ln.id] = text
        return insurance.record_assessment(
            self.actor,
            self.order.id,
            self.assessor.text(),
            self.assessed_on.date().toPython(),
            amounts or None,
            self.total.text().strip() or None,
        )


class InsuranceSection(QGroupBox):
    """What the order's insurance stands at, with the buttons that change it."""

    saved = Signal()

    def __init__(self, actor: Staff, parent: QWidget | None = None) -> None:
        super().__init__(translate("Insurance", "Accident car / insurance"), parent)
        self.setObjectName("insuranceSection")
        self.actor = actor
        self.order: RepairOrder | None = None
        layout = QVBoxLayout(self)
        self.summary = QLabel(self)
        self.summary.setObjectName("insuranceSummary")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.error = ErrorBanner(self)
        layout.addWidget(self.error)
        buttons = QHBoxLayout()
        self.claim_button = QPushButton(translate("Insurance", "Accident car / claim…"), self)
        self.claim_button.setObjectName("insuranceClaimButton")
        self.assess_button = QPushButton(translate("Insurance", "Loss assessment…"), self)
        self.assess_button.setObjectName("insuranceAssessButton")
        self.photo_button = QPushButton(translate("Insurance", "Add photos…"), self)
        self.photo_button.setObjectName("insurancePhotoButton")
        for button in (self.claim_button, self.assess_button, self.photo_button):
            button.setAutoDefault(False)
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.claim_button.clicked.connect(self.open_claim)
        self.assess_button.clicked.connect(self.open_assessment)
        self.photo_button.clicked.connect(self.choose_photos)
        self.dialog: FormDialog | None = None
        self.editable = False

    def load(self, order: RepairOrder | None, editable: bool) -> None:
        self.order = RepairOrder.get_by_id(order.id) if order is not None else None
        self.editable = editable and allowed(self.actor, insurance.record_claim)
        self.error.clear_message()
        self.refresh()

    def refresh(self) -> None:
        order = self.order
        claim = insurance.claim_of(order) if order is not None else None
        if order is None or (claim is None and not order.accident_car):
            text = translate("Insurance", "Not an accident car.")
        elif claim is None:
            text = translate("Insurance", "Accident car; no insurance claim recorded.")
        else:
            n = ClaimPhoto.select().where(ClaimPhoto.claim == claim).count()
            photos = counted(
                n, translate("Insurance", "1 photo"), translate("Insurance", "{n} photos")
            )
            text = translate(
                "Insurance",
                "Accident car — {insurer}, claim report no. {report_no}, accident on {date}, "
                "at fault: {fault}; {photos}.",
            ).format(
                insurer=claim.insurer.name,
                report_no=claim.claim_report_no,
                date=claim.accident_date.isoformat() if claim.accident_date else "—",
                fault=insurance.fault_party_label(claim.fault_party),
                photos=photos,
            )
            if claim.assessed_on is not None:
                split = insurance.settlement_split(
                    order, insurance.insured_lines(order, done=False)
                )
                text += " " + translate(
                    "Insurance",
                    "Assessed by {assessor} on {date}: the insurance covers {covered}.",
                ).format(
                    assessor=claim.assessor_name,
                    date=claim.assessed_on.isoformat(),
                    covered=fmt(split.assessed),
                )
        self.summary.setText(text)
        on = order is not None and self.editable
        self.claim_button.setEnabled(on)
        self.assess_button.setEnabled(on and claim is not None)
        self.photo_button.setEnabled(on and claim is not None)

    def _open(self, dialog: FormDialog) -> FormDialog:
        self.dialog = dialog
        dialog.accepted.connect(self._saved)
        dialog.open()
        return dialog

    def open_claim(self) -> FormDialog | None:
        if self.order is None:
            return None
        return self._open(ClaimDialog(self.actor, self.order, self))

    def open_assessment(self) -> FormDialog | None:
        if self.order is None:
            return None
        return self._open(AssessmentDialog(self.actor, self.order, self))

    def choose_photos(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(
            self,
            translate("Insurance", "Photos for the insurer"),
            "",
            translate("Insurance", "Pictures (*.png *.jpg *.jpeg *.bmp *.gif *.webp)"),
        )
        if paths:
            self.add_photo_files(paths)

    def add_photo_files(self, paths: list[str | Path]) -> bool:
        """Store the pictures with the claim; a refusal is shown in the section."""
        if self.order is None:
            return False
        try:
            photos = [(Path(p).name, Path(p).read_bytes()) for p in paths]
            insurance.add_claim_photos(self.actor, self.order.id, photos)
        except OSError as exc:
            self.error.show_error(str(exc))
            return False
        except DomainError as exc:
            self.error.show_error(str(exc))
            return False
        self._saved()
        return True

    def _saved(self) -> None:
        self.error.clear_message()
        if self.order is not None:
            self.order = RepairOrder.get_by_id(self.order.id)
        self.refresh()
        self.saved.emit()


class InsuranceDialog(QDialog):
    """The section in a window of its own, over the reception page."""

    def __init__(
        self, actor: Staff, order: RepairOrder, editable: bool, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("insuranceDialog")
        self.setWindowTitle(
            translate("Insurance", "Accident car / insurance — {number}").format(
                number=order.number
            )
        )
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        layout = QVBoxLayout(self)
        self.section = InsuranceSection(actor, self)
        layout.addWidget(self.section)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(
            translate("Insurance", "Close")
        )
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.section.load(order, editable)
        self.setMinimumWidth(620)
