"""Field parts at the parts counter: the jobs dispatched, parts issued to a field job (off
the shelf, never stock reserved for an order), what each job has out, unused parts returned
to stock (退料), and tools bought on the road received into the warehouse (入库) — only a
returned tool is reimbursed."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from shop_desk.errors import DomainError, ValidationError
from shop_desk.field_states import FieldState, state_label
from shop_desk.i18n import join_list, translate
from shop_desk.models import ExpenseItem, FieldJob, FieldPart, Part, Staff
from shop_desk.services import expenses, field
from shop_desk.ui.field.office_common import (
    Column,
    fill,
    list_view,
    money_text,
    select_where,
    selected,
    when,
)
from shop_desk.ui.shell.part_picker import PartPicker
from shop_desk.ui.shell.widgets import ErrorBanner, FormDialog, allowed, ask, decimal_edit


def qty(value: Decimal) -> str:
    return f"{value.normalize():f}"


def parts_summary(rows: list[FieldPart]) -> str:
    """'2 × Battery, 1 × Fuse' of what is out (taken out less returned)."""
    return join_list(f"{qty(r.quantity_used)} × {r.part.name}" for r in rows if r.quantity_used > 0)


class IssueFieldPartsDialog(FormDialog):
    """Parts taken out for a field job: pick each part and its quantity, then issue them
    all at once."""

    def __init__(self, actor: Staff, job: FieldJob, parent: QWidget) -> None:
        super().__init__(
            translate("FieldOffice", "Issue parts to field job {number}").format(number=job.number),
            parent,
            translate("FieldOffice", "Issue the parts"),
        )
        self.setObjectName("issueFieldPartsDialog")
        self.actor, self.job = actor, job
        self.picker = PartPicker(self)
        self.add_row("part", translate("FieldOffice", "Part:"), self.picker)
        row = QHBoxLayout()
        self.quantity = decimal_edit(self, 2, 5)
        self.quantity.setObjectName("quantityEdit")
        self.quantity.setText("1")
        self.quantity.setMinimumHeight(36)
        row.addWidget(self.quantity)
        self.add_button = QPushButton(translate("FieldOffice", "Add to the list"), self)
        self.add_button.setObjectName("addPartButton")
        self.add_button.setAutoDefault(False)
        self.add_button.setMinimumHeight(36)
        row.addWidget(self.add_button)
        self.remove_button = QPushButton(translate("FieldOffice", "Remove from the list"), self)
        self.remove_button.setObjectName("removePartButton")
        self.remove_button.setAutoDefault(False)
        self.remove_button.setMinimumHeight(36)
        row.addWidget(self.remove_button)
        self.form.addRow(translate("FieldOffice", "Quantity:"), row)
        self.fields["quantity"] = self.quantity
        self.list = QTableWidget(0, 2, self)
        self.list.setObjectName("issueList")
        self.list.setHorizontalHeaderLabels(
            [translate("FieldOffice", "Part"), translate("FieldOffice", "Quantity")]
        )
        self.list.verticalHeader().hide()
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.list.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.list.setMinimumHeight(140)
        self.form.addRow(self.list)
        self.fields["items"] = self.list
        self.items: dict[int, str] = {}
        self.add_button.clicked.connect(self.add_part)
        self.remove_button.clicked.connect(self.remove_part)
        self.resize(640, 440)

    def add_part(self) -> bool:
        """Put the chosen part and quantity on the list (a part listed again adds up)."""
        part_id = self.picker.part_id()
        text = self.quantity.text().strip()
        if part_id is None or not text or Decimal(text) <= 0:
            self.error.show_error(translate("FieldOffice", "Choose a part and a quantity."))
            return False
        self.error.clear_message()
        before = Decimal(self.items.get(part_id, "0"))
        self.items[part_id] = qty(before + Decimal(text))
        self._show_list()
        return True

    def remove_part(self) -> None:
        row = self.list.currentRow()
        if 0 <= row < len(self.items):
            del self.items[list(self.items)[row]]
            self._show_list()

    def _show_list(self) -> None:
        self.list.setRowCount(len(self.items))
        for r, (part_id, amount) in enumerate(self.items.items()):
            part = Part.get_by_id(part_id)
            self.list.setItem(r, 0, QTableWidgetItem(f"{part.part_no} {part.name}"))
            cell = QTableWidgetItem(amount)
            cell.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.list.setItem(r, 1, cell)

    def submit(self) -> Any:
        if not self.items:
            raise ValidationError(
                translate("FieldOffice", "Add the parts to the list first."), "items"
            )
        return field.issue_field_parts(self.actor, self.job.id, dict(self.items))


class ReturnFieldPartsDialog(FormDialog):
    """Unused parts back to stock: how many of each part out come back."""

    def __init__(self, actor: Staff, job: FieldJob, parent: QWidget) -> None:
        super().__init__(
            translate("FieldOffice", "Return unused parts of {number}").format(number=job.number),
            parent,
            translate("FieldOffice", "Return to stock"),
        )
        self.setObjectName("returnFieldPartsDialog")
        self.actor, self.job = actor, job
        self.rows = [r for r in field.parts_out(job.id) if r.quantity_used > 0]
        self.table = QTableWidget(len(self.rows), 3, self)
        self.table.setObjectName("returnTable")
        self.table.setHorizontalHeaderLabels(
            [
                translate("FieldOffice", "Part"),
                translate("FieldOffice", "Out now"),
                translate("FieldOffice", "Coming back"),
            ]
        )
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(38)
        self.edits: list[QLineEdit] = []
        for r, row in enumerate(self.rows):
            name = QTableWidgetItem(f"{row.part.part_no} {row.part.name}")
            name.setFlags(name.flags() & ~Qt.ItemFlag.ItemIsEditable)
            self.table.setItem(r, 0, name)
            out = QTableWidgetItem(qty(row.quantity_used))
            out.setFlags(out.flags() & ~Qt.ItemFlag.ItemIsEditable)
            out.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.table.setItem(r, 1, out)
            edit = decimal_edit(self.table, 2, 5)
            self.table.setCellWidget(r, 2, edit)
            self.edits.append(edit)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.setMinimumHeight(160)
        self.form.addRow(
            QLabel(translate("FieldOffice", "Type how many of each part come back unused."), self)
        )
        self.form.addRow(self.table)
        self.fields["items"] = self.table
        self.resize(600, 360)

    def set_quantity(self, part_id: int, amount: str) -> None:
        for row, edit in zip(self.rows, self.edits, strict=True):
            if row.part_id == part_id:
                edit.setText(amount)

    def submit(self) -> Any:
        items = {
            row.part_id: edit.text().strip()
            for row, edit in zip(self.rows, self.edits, strict=True)
            if edit.text().strip()
        }
        return field.return_field_parts(self.actor, self.job.id, items)


class FieldPartsTab(QWidget):
    """Jobs at the parts counter with what they have out; the tools to receive."""

    def __init__(self, staff: Staff, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("fieldPartsTab")
        self.staff = staff
        self.out: dict[int, list[FieldPart]] = {}
        self.crews: dict[int, str] = {}
        outer = QVBoxLayout(self)
        split = QSplitter(Qt.Orientation.Vertical, self)

        top = QWidget(split)
        box = QVBoxLayout(top)
        box.setContentsMargins(0, 0, 0, 0)
        bar = QHBoxLayout()
        bar.addWidget(QLabel("<b>" + translate("FieldOffice", "Field jobs out") + "</b>", top))
        bar.addStretch(1)
        self.issue_button = QPushButton(translate("FieldOffice", "Issue parts…"), top)
        self.issue_button.setObjectName("issueFieldPartsButton")
        self.return_button = QPushButton(translate("FieldOffice", "Return unused parts…"), top)
        self.return_button.setObjectName("returnFieldPartsButton")
        for button in (self.issue_button, self.return_button):
            button.setMinimumHeight(36)
            button.setVisible(allowed(staff, field.issue_field_parts))
            bar.addWidget(button)
        box.addLayout(bar)
        self.jobs, self.jobs_model, _ = list_view(
            top,
            "fieldJobsTable",
            [
                Column(lambda: translate("FieldOffice", "Field job"), lambda j: j.number),
                Column(lambda: translate("FieldOffice", "State"), lambda j: state_label(j.state)),
                Column(lambda: translate("FieldOffice", "Customer"), lambda j: j.customer.name),
                Column(lambda: translate("FieldOffice", "Destination"), lambda j: j.place),
                Column(
                    lambda: translate("FieldOffice", "Crew"),
                    lambda j: self.crews.get(j.id, ""),
                ),
                Column(
                    lambda: translate("FieldOffice", "Required arrival"),
                    lambda j: j.required_arrival_at,
                    display=when,
                ),
                Column(
                    lambda: translate("FieldOffice", "Parts out"),
                    lambda j: parts_summary(self.out.get(j.id, [])),
                ),
            ],
            stretch=6,
        )
        box.addWidget(self.jobs, 2)
        self.parts_label = QLabel(top)
        self.parts_label.setObjectName("partsOutLabel")
        box.addWidget(self.parts_label)
        self.parts, self.parts_model, _ = list_view(
            top,
            "partsOutTable",
            [
                Column(lambda: translate("FieldOffice", "Part no."), lambda r: r.part.part_no),
                Column(lambda: translate("FieldOffice", "Part"), lambda r: r.part.name),
                Column(
                    lambda: translate("FieldOffice", "Taken out"),
                    lambda r: r.quantity_out,
                    display=qty,
                    align_right=True,
                ),
                Column(
                    lambda: translate("FieldOffice", "Returned"),
                    lambda r: r.quantity_returned,
                    display=qty,
                    align_right=True,
                ),
                Column(
                    lambda: translate("FieldOffice", "Out now"),
                    lambda r: r.quantity_used,
                    display=qty,
                    align_right=True,
                ),
                Column(lambda: translate("FieldOffice", "Bin"), lambda r: r.part.bin_location),
                Column(
                    lambda: translate("FieldOffice", "Issued"),
                    lambda r: r.issued_at,
                    display=when,
                ),
                Column(
                    lambda: translate("FieldOffice", "Issued by"),
                    lambda r: r.issued_by.name if r.issued_by_id else "",
                ),
            ],
            stretch=1,
        )
        box.addWidget(self.parts, 1)
        split.addWidget(top)

        lower = QWidget(split)
        tools_box = QVBoxLayout(lower)
        tools_box.setContentsMargins(0, 4, 0, 0)
        tools_bar = QHBoxLayout()
        tools_bar.addWidget(
            QLabel(
                "<b>"
                + translate(
                    "FieldOffice",
                    "Tools bought on the road, not returned yet (not reimbursed until they are)",
                )
                + "</b>",
                lower,
            )
        )
        tools_bar.addStretch(1)
        self.tool_button = QPushButton(
            translate("FieldOffice", "Tool returned to the warehouse"), lower
        )
        self.tool_button.setObjectName("toolReturnedButton")
        self.tool_button.setMinimumHeight(36)
        self.tool_button.setVisible(allowed(staff, expenses.record_tool_returned))
        tools_bar.addWidget(self.tool_button)
        tools_box.addLayout(tools_bar)
        self.tools, self.tools_model, _ = list_view(
            lower,
            "toolsTable",
            [
                Column(lambda: translate("FieldOffice", "Tool"), lambda i: i.description),
                Column(lambda: translate("FieldOffice", "Amount"), lambda i: money_text(i.amount)),
                Column(lambda: translate("FieldOffice", "Claim no."), lambda i: i.claim.number),
                Column(lambda: translate("FieldOffice", "Field job"), lambda i: i.claim.job.number),
                Column(
                    lambda: translate("FieldOffice", "Bought by"), lambda i: i.claim.claimant.name
                ),
                Column(
                    lambda: translate("FieldOffice", "Claim state"),
                    lambda i: expenses.state_label(i.claim.state),
                ),
            ],
            stretch=0,
        )
        tools_box.addWidget(self.tools, 1)
        split.addWidget(lower)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        outer.addWidget(split, 1)
        self.banner = ErrorBanner(self)
        self.banner.setObjectName("fieldPartsBanner")
        outer.addWidget(self.banner)

        self.jobs.selectionModel().currentRowChanged.connect(lambda *_: self.show_job())
        self.tools.selectionModel().currentRowChanged.connect(lambda *_: self._tool_changed())
        self.issue_button.clicked.connect(self.issue)
        self.return_button.clicked.connect(self.return_parts)
        self.tool_button.clicked.connect(self.tool_returned)
        self.refresh()

    def refresh(self) -> None:
        jobs = field.jobs_at_parts_counter()
        self.out = {j.id: field.parts_out(j.id) for j in jobs}
        self.crews = {j.id: join_list(s.name for s in field.crew(j.id)) for j in jobs}
        fill(self.jobs, self.jobs_model, jobs)
        self.show_job()
        fill(self.tools, self.tools_model, expenses.tools_to_return())
        self._tool_changed()

    def current_job(self) -> FieldJob | None:
        return selected(self.jobs)

    def select_job(self, job_id: int) -> bool:
        found = select_where(self.jobs, "id", job_id)
        self.show_job()
        return found

    def show_job(self) -> None:
        job = self.current_job()
        rows = self.out.get(job.id, []) if job is not None else []
        fill(self.parts, self.parts_model, rows)
        can_issue = job is not None and FieldState(job.state) in field.PARTS_OUT_STATES
        self.issue_button.setEnabled(can_issue)
        self.return_button.setEnabled(any(r.quantity_used > 0 for r in rows))
        self.parts_label.setText(
            "<b>"
            + (
                translate("FieldOffice", "Parts out for {number}").format(number=job.number)
                if job is not None
                else translate("FieldOffice", "Parts out")
            )
            + "</b>"
        )

    def _tool_changed(self) -> None:
        self.tool_button.setEnabled(selected(self.tools) is not None)

    def _open(self, dialog: FormDialog, job_id: int, done: str) -> FormDialog:
        def accepted() -> None:
            self.refresh()
            self.select_job(job_id)
            self.banner.show_info(done)

        self.banner.clear_message()
        dialog.accepted.connect(accepted)
        dialog.open()
        return dialog

    def issue(self) -> IssueFieldPartsDialog | None:
        job = self.current_job()
        if job is None:
            return None
        return self._open(
            IssueFieldPartsDialog(self.staff, job, self),
            job.id,
            translate("FieldOffice", "Parts issued to {number}.").format(number=job.number),
        )

    def return_parts(self) -> ReturnFieldPartsDialog | None:
        job = self.current_job()
        if job is None:
            return None
        return self._open(
            ReturnFieldPartsDialog(self.staff, job, self),
            job.id,
            translate("FieldOffice", "Unused parts of {number} are back in stock.").format(
                number=job.number
            ),
        )

    def tool_returned(self) -> Any:
        item: ExpenseItem | None = selected(self.tools)
        if item is None:
            return None

        def yes() -> None:
            try:
                expenses.record_tool_returned(self.staff, item.id)
            except DomainError as exc:
                self.banner.show_error(str(exc))
                return
            self.refresh()
            self.banner.show_info(
                translate("FieldOffice", "{tool} is in the warehouse.").format(
                    tool=item.description
                )
            )

        return ask(
            self,
            translate("FieldOffice", "Tool returned to the warehouse"),
            translate(
                "FieldOffice",
                "{tool} ({amount}, bought by {name} for {number}) is in the warehouse?",
            ).format(
                tool=item.description,
                amount=money_text(item.amount),
                name=item.claim.claimant.name,
                number=item.claim.job.number,
            ),
            translate("FieldOffice", "Received in the warehouse"),
            yes,
        )
