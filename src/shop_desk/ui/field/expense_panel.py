"""The expense claim (报销单) of a field job on the tablet: receipts one by one — the kind
(ticket, lodging, fuel, tool, other), what it was, the place on a ticket, the amount and a
photo of the receipt picked from a file (JPEG or PNG; on a tablet the camera roll), shown as
a thumbnail — then the claim is handed in through
:func:`shop_desk.services.expenses.submit_expense_claim`. Its refusals (a ticket whose place
is not the job's destination, a missing photo) are shown in words; the job's claims and
their state (waiting for approval, approved, rejected, paid) are listed below."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QButtonGroup,
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from shop_desk.field_states import FieldState
from shop_desk.i18n import counted, translate
from shop_desk.models import FieldJob
from shop_desk.money import ZERO, fmt, money
from shop_desk.services import expenses
from shop_desk.ui.field.tablet_common import (
    TabletHost,
    TabletPanel,
    label,
    set_role,
    touch_button,
    when,
)
from shop_desk.ui.shell.widgets import decimal_edit

THUMB = 72


def kind_label(kind: str) -> str:
    labels = {
        "ticket": translate("FieldTablet", "Ticket"),
        "lodging": translate("FieldTablet", "Lodging"),
        "fuel": translate("FieldTablet", "Fuel"),
        "tool": translate("FieldTablet", "Tool"),
        "other": translate("FieldTablet", "Other"),
    }
    return labels.get(kind, kind)


def thumbnail(data: bytes, size: int = THUMB) -> QPixmap:
    """The receipt photo small enough for a row (a null pixmap when it is no picture)."""
    image = QImage.fromData(data)
    if image.isNull():
        return QPixmap()
    return QPixmap.fromImage(
        image.scaled(
            size,
            size,
            Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )
    )


class ReceiptRow(QFrame):
    """One receipt added to the claim, with a button to take it out again."""

    def __init__(self, n: int, item: dict[str, Any], parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName(f"receiptRow{n}")
        self.setProperty("role", "box")
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 6, 8, 6)
        photo = QLabel(self)
        photo.setObjectName("receiptThumb")
        photo.setFixedSize(THUMB, THUMB)
        photo.setAlignment(Qt.AlignmentFlag.AlignCenter)
        photo.setPixmap(thumbnail(item["receipt"]))
        row.addWidget(photo)
        words = [f"{n}. {kind_label(item['kind'])}", item["description"], item["place"]]
        self.text = label(
            " · ".join(w for w in words if w) + f"\n{fmt(money(item['amount']))}", self
        )
        row.addWidget(self.text, 1)
        self.remove_button = touch_button(
            translate("FieldTablet", "Remove"), self, "removeReceiptButton"
        )
        row.addWidget(self.remove_button)


class ExpensePanel(TabletPanel):
    """See the module docstring."""

    def __init__(self, host: TabletHost, parent: QWidget | None = None) -> None:
        super().__init__(
            host,
            parent,
            "expensePanel",
            translate("FieldTablet", "Expense claim"),
            "expenseStatus",
        )
        self.items: list[dict[str, Any]] = []
        self.photo: bytes | None = None
        self.file_dialog: QFileDialog | None = None
        layout = self.outer

        form = self.make_form(8)
        kinds = QHBoxLayout()
        self.kind_group = QButtonGroup(self)
        self.kind_buttons: dict[str, QPushButton] = {}
        for kind in expenses.KINDS:
            button = touch_button(kind_label(kind), self.form, f"kind_{kind}", checkable=True)
            self.kind_group.addButton(button)
            self.kind_buttons[kind] = button
            kinds.addWidget(button)
        form.addLayout(kinds)
        rows = QFormLayout()
        self.description_edit = QLineEdit(self.form)
        self.description_edit.setObjectName("expenseDescriptionEdit")
        self.description_edit.setMaxLength(200)
        self.description_edit.setPlaceholderText(
            translate("FieldTablet", "What it was (a tool: its name)")
        )
        rows.addRow(translate("FieldTablet", "Description"), self.description_edit)
        self.place_edit = QLineEdit(self.form)
        self.place_edit.setObjectName("expensePlaceEdit")
        self.place_edit.setMaxLength(200)
        rows.addRow(translate("FieldTablet", "Place on the ticket"), self.place_edit)
        self.amount_edit = decimal_edit(self.form, 2, 6)
        self.amount_edit.setObjectName("expenseAmountEdit")
        rows.addRow(translate("FieldTablet", "Amount (¥)"), self.amount_edit)
        form.addLayout(rows)
        photo_row = QHBoxLayout()
        self.photo_button = touch_button(
            translate("FieldTablet", "Photo of the receipt…"), self.form, "receiptPhotoButton"
        )
        self.photo_button.clicked.connect(self.pick_photo)
        self.photo_label = QLabel(self.form)
        self.photo_label.setObjectName("receiptPreview")
        self.photo_label.setFixedSize(THUMB, THUMB)
        self.photo_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.photo_label.setProperty("role", "hint")
        self.photo_name = label("", self.form, "hint", "receiptPhotoName")
        photo_row.addWidget(self.photo_button)
        photo_row.addWidget(self.photo_label)
        photo_row.addWidget(self.photo_name, 1)
        form.addLayout(photo_row)
        self.add_button = touch_button(
            translate("FieldTablet", "Add the receipt"), self.form, "addReceiptButton"
        )
        self.add_button.clicked.connect(self.add_item)
        form.addWidget(self.add_button)
        self.form_message = label("", self.form, "alert", "receiptMessage")
        self.form_message.hide()
        form.addWidget(self.form_message)
        self.items_box = QWidget(self.form)
        self.items_layout = QVBoxLayout(self.items_box)
        self.items_layout.setContentsMargins(0, 0, 0, 0)
        self.items_layout.setSpacing(6)
        form.addWidget(self.items_box)
        self.total_label = label("", self.form, "subheading", "claimTotal")
        form.addWidget(self.total_label)
        self.submit_button = touch_button(
            translate("FieldTablet", "Hand in the expense claim"),
            self.form,
            "submitClaimButton",
            "primary",
        )
        self.submit_button.clicked.connect(self.submit)
        form.addWidget(self.submit_button)
        layout.addWidget(self.form)

        layout.addWidget(label(translate("FieldTablet", "Claims of this job"), self, "subheading"))
        self.claims_label = label("", self, "", "claimsList")
        layout.addWidget(self.claims_label)
        layout.addStretch(1)
        self._show_items()

    # -- showing -------------------------------------------------------------------------
    def show_job(self, job: FieldJob) -> None:
        self.job = job
        if self._loaded != job.id:
            self._loaded = job.id
            self.items = []
            self._reset_item()
            self._show_items()
        back = FieldState(job.state) in expenses.CLAIM_STATES
        self.form.setEnabled(back)
        self.place_edit.setPlaceholderText(
            translate("FieldTablet", "Must match the job's destination: {place}").format(
                place=job.place
            )
        )
        self.status_label.setText(
            translate(
                "FieldTablet",
                "A photo of every receipt; a ticket's place must match the destination; a tool "
                "bought on the road is paid once it is returned to the warehouse.",
            )
            if back
            else translate("FieldTablet", "Expenses are claimed once you are back at the shop.")
        )
        set_role(self.status_label, "hint" if back else "alert")
        claims = expenses.claims_of(job)
        lines = []
        for claim in claims:
            line = translate("FieldTablet", "{number} · {when} · {total} · {state}").format(
                number=claim.number,
                when=when(claim.submitted_at),
                total=fmt(claim.total),
                state=expenses.state_label(claim.state),
            )
            if claim.approved_total is not None and claim.approved_total != claim.total:
                line += " · " + translate("FieldTablet", "reimbursed {amount}").format(
                    amount=fmt(claim.approved_total)
                )
            if claim.decision_reason:
                line += f" · {claim.decision_reason}"
            lines.append(line)
        self.claims_label.setText(
            "\n".join(lines) if lines else translate("FieldTablet", "No claims yet.")
        )

    def _show_items(self) -> None:
        while self.items_layout.count():
            widget = self.items_layout.takeAt(0).widget()
            if widget is not None:
                widget.setParent(None)
                widget.deleteLater()
        for n, item in enumerate(self.items, start=1):
            row = ReceiptRow(n, item, self.items_box)
            row.remove_button.clicked.connect(lambda _=False, i=n - 1: self.remove_item(i))
            self.items_layout.addWidget(row)
            row.show()
        total = money(sum((money(i["amount"]) for i in self.items), ZERO))
        self.total_label.setText(
            counted(
                len(self.items),
                translate("FieldTablet", "1 receipt, total {total}"),
                translate("FieldTablet", "{n} receipts, total {total}"),
                total=fmt(total),
            )
        )
        self.submit_button.setEnabled(bool(self.items))

    def receipt_rows(self) -> list[ReceiptRow]:
        return self.items_box.findChildren(ReceiptRow)

    # -- a receipt -----------------------------------------------------------------------
    def pick_photo(self) -> QFileDialog:
        """Pick the receipt's photo (a JPEG or PNG file; on a tablet the camera roll)."""
        dialog = QFileDialog(
            self,
            translate("FieldTablet", "Photo of the receipt"),
            str(Path.home()),
            translate("FieldTablet", "Pictures (*.jpg *.jpeg *.png)"),
        )
        dialog.setObjectName("receiptFileDialog")
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.fileSelected.connect(self.load_photo)
        self.file_dialog = dialog
        dialog.open()
        return dialog

    def load_photo(self, path: str) -> bool:
        """Read the picked file into bytes and show it; words when it is no picture."""
        self.form_message.hide()
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            return self._photo_refused(
                translate("FieldTablet", "The file could not be read: {error}").format(
                    error=exc.strerror or exc
                )
            )
        if len(data) > expenses.MAX_RECEIPT_BYTES:
            return self._photo_refused(
                translate("FieldTablet", "The photo is larger than 10 MB; take a smaller one.")
            )
        preview = thumbnail(data)
        if preview.isNull():
            return self._photo_refused(
                translate("FieldTablet", "{name} is not a JPEG or PNG picture.").format(
                    name=Path(path).name
                )
            )
        self.photo = data
        self.photo_label.setPixmap(preview)
        self.photo_name.setText(Path(path).name)
        return True

    def _photo_refused(self, text: str) -> bool:
        self.photo = None
        self.photo_label.clear()
        self.photo_name.setText("")
        self.form_message.setText(text)
        self.form_message.show()
        return False

    def kind(self) -> str:
        return next((k for k, b in self.kind_buttons.items() if b.isChecked()), "")

    def add_item(self) -> None:
        """Put the receipt on the claim; what is missing is said in words (the service
        checks everything again when the claim is handed in)."""
        missing = []
        if not self.kind():
            missing.append(translate("FieldTablet", "Choose the kind of expense."))
        try:
            amount = Decimal(self.amount_edit.text())
        except InvalidOperation:
            amount = ZERO
        if amount <= 0:
            missing.append(translate("FieldTablet", "Enter the amount."))
        if self.photo is None:
            missing.append(translate("FieldTablet", "Add a photo of the receipt."))
        if missing:
            self.form_message.setText(" ".join(missing))
            self.form_message.show()
            return
        self.form_message.hide()
        self.items.append(
            {
                "kind": self.kind(),
                "description": self.description_edit.text().strip(),
                "place": self.place_edit.text().strip(),
                "amount": self.amount_edit.text(),
                "receipt": self.photo,
            }
        )
        self._reset_item()
        self._show_items()

    def remove_item(self, index: int) -> None:
        if 0 <= index < len(self.items):
            del self.items[index]
            self._show_items()

    def _reset_item(self) -> None:
        self.kind_group.setExclusive(False)
        for button in self.kind_buttons.values():
            button.setChecked(False)
        self.kind_group.setExclusive(True)
        self.description_edit.clear()
        self.place_edit.clear()
        self.amount_edit.clear()
        self.photo = None
        self.photo_label.clear()
        self.photo_label.setText(translate("FieldTablet", "No photo"))
        self.photo_name.setText("")

    # -- handing in ----------------------------------------------------------------------
    def submit(self) -> None:
        if self.job is None:
            return
        count = len(self.items)
        claim = self.host.call(
            expenses.submit_expense_claim,
            self.job.id,
            list(self.items),
        )
        if claim is not None:
            self.items = []
            self._show_items()
            self.host.show_info(
                counted(
                    count,
                    translate(
                        "FieldTablet",
                        "Expense claim {number} handed in: 1 receipt, {total}, waiting for approval.",
                    ),
                    translate(
                        "FieldTablet",
                        "Expense claim {number} handed in: {n} receipts, {total}, waiting for approval.",
                    ),
                    number=claim.number,
                    total=fmt(claim.total),
                )
            )
