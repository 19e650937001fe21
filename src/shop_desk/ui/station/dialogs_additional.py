"""The station's additional-work dialog (增项): lines from the catalogue or free labour, and
the reason, sent for the customer's authorisation (a draft survives a closed dialog)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from shop_desk import drafts
from shop_desk.i18n import translate
from shop_desk.models import LabourOperation, Part, RepairOrder, Staff
from shop_desk.money import fmt, line_amount, money
from shop_desk.services import insurance, workshop
from shop_desk.services.orders import settings
from shop_desk.ui.station.common import (
    set_flag,
)
from shop_desk.ui.station.dialogs import (
    StationDialog,
    dec_text,
    text_edit,
)

# ---------------------------------------------------------------------------------------
# additional work (增项)


class ProposeWorkDialog(StationDialog):
    """Lines from the catalogue (or a free labour line), hours / quantity, and the reason.

    Typing is kept in a draft until the proposal is saved."""

    COLS = 5

    def __init__(self, actor: Staff, order: RepairOrder, parent: QWidget) -> None:
        super().__init__(
            translate("Station", "Propose additional work on {number}").format(number=order.number),
            actor,
            order,
            parent,
            translate("Station", "Send for authorisation"),
        )
        self.setObjectName("proposeWorkDialog")
        set_flag(self.ok_button(), "primary", True)
        self.draft_key = f"station-additional-{order.id}"
        self.rate = settings().labour_rate
        self.lines: list[dict[str, Any]] = []
        self.heading(
            translate(
                "Station",
                "Additional work is done only after the customer has agreed: the order waits for "
                "the customer's authorisation, which the service advisor records.",
            )
        )
        search_row = QWidget(self)
        h = QHBoxLayout(search_row)
        h.setContentsMargins(0, 0, 0, 0)
        self.search_edit = QLineEdit(search_row)
        self.search_edit.setObjectName("catalogueSearch")
        self.search_edit.setPlaceholderText(
            translate("Station", "Search labour operations and parts (code or name)…")
        )
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setMinimumHeight(36)
        h.addWidget(self.search_edit, 1)
        self.free_button = QPushButton(translate("Station", "Add as free labour line"), search_row)
        self.free_button.setObjectName("freeLineButton")
        self.free_button.setAutoDefault(False)
        h.addWidget(self.free_button)
        self.form.addRow(translate("Station", "Catalogue:"), search_row)
        hint = QLabel(
            translate(
                "Station",
                "Tap a result to add it; change the hours or quantity in the table below.",
            ),
            self,
        )
        hint.setStyleSheet("color: #5f6670;")
        self.form.addRow("", hint)
        self.results = QListWidget(self)
        self.results.setObjectName("catalogueResults")
        self.results.setMinimumHeight(120)
        self.results.setMaximumHeight(170)
        self.form.addRow(self.results)
        self.table = QTableWidget(0, self.COLS, self)
        self.table.setObjectName("linesTable")
        self.table.setHorizontalHeaderLabels(
            [
                translate("Station", "Kind"),
                translate("Station", "Description"),
                translate("Station", "Hours / quantity"),
                translate("Station", "Unit price"),
                translate("Station", "Amount"),
            ]
        )
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setMinimumHeight(150)
        self.form.addRow(self.table)
        row = QWidget(self)
        h2 = QHBoxLayout(row)
        h2.setContentsMargins(0, 0, 0, 0)
        self.remove_button = QPushButton(translate("Station", "Remove the selected line"), row)
        self.remove_button.setObjectName("removeLineButton")
        self.remove_button.setAutoDefault(False)
        h2.addWidget(self.remove_button)
        h2.addStretch(1)
        self.total_label = QLabel(row)
        self.total_label.setObjectName("totalLabel")
        self.total_label.setStyleSheet("font-weight: bold;")
        h2.addWidget(self.total_label)
        self.form.addRow(row)
        self.reason = text_edit(
            self, translate("Station", "What was found, and why the work is needed"), 60
        )
        self.add_row("reason", translate("Station", "Reason:"), self.reason)
        self.supplement = QCheckBox(
            translate(
                "Station",
                "Hidden accident damage: a supplementary assessment the insurer "
                "approves, not the customer",
            ),
            self,
        )
        self.supplement.setObjectName("supplementCheck")
        self.form.addRow("", self.supplement)
        self.supplement.setVisible(insurance.claim_of(order) is not None)
        self.fields["lines"] = self.table
        self.search_edit.textChanged.connect(self.search)
        self.search_edit.installEventFilter(self)
        self.results.itemClicked.connect(lambda _item: self.add_selected())
        self.free_button.clicked.connect(self.add_free_line)
        self.remove_button.clicked.connect(self.remove_selected)
        self.table.itemChanged.connect(self._cell_changed)
        self.reason.textChanged.connect(self._changed)
        self.draft_timer = QTimer(self)
        self.draft_timer.setSingleShot(True)
        self.draft_timer.setInterval(800)
        self.draft_timer.timeout.connect(self.save_draft)
        self.search("")
        self._refresh_table()
        self.discard_button = self.buttons.addButton(
            translate("Station", "Discard the draft"), QDialogButtonBox.ButtonRole.ResetRole
        )
        self.discard_button.setObjectName("discardDraftButton")
        self.discard_button.clicked.connect(self.discard_draft)
        self.restored = self.restore_draft()
        self.discard_button.setVisible(self.restored)
        self.resize(820, 760)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """In the search box Enter adds the highlighted result (not OK), arrows move in it."""
        if watched is self.search_edit and event.type() == QEvent.Type.KeyPress:
            key = event.key()
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.add_selected()
                return True
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up) and self.results.count():
                step = 1 if key == Qt.Key.Key_Down else -1
                row = min(max(self.results.currentRow() + step, 0), self.results.count() - 1)
                self.results.setCurrentRow(row)
                return True
        return super().eventFilter(watched, event)

    # -- catalogue --------------------------------------------------------------------
    def search(self, text: str) -> None:
        text = text.strip()
        self.results.clear()
        ops = LabourOperation.select().where(LabourOperation.active == True)  # noqa: E712
        parts = Part.select().where(Part.active == True)  # noqa: E712
        if text:
            ops = ops.where(
                LabourOperation.code.contains(text) | LabourOperation.name.contains(text)
            )
            parts = parts.where(Part.part_no.contains(text) | Part.name.contains(text))
        for op in ops.order_by(LabourOperation.code).limit(30):
            item = QListWidgetItem(
                translate("Station", "Labour · {code} {name} · {hours} h").format(
                    code=op.code, name=op.name, hours=op.standard_hours
                )
            )
            item.setData(Qt.ItemDataRole.UserRole, ("labour", op.id))
            self.results.addItem(item)
        for part in parts.order_by(Part.part_no).limit(30):
            item = QListWidgetItem(
                translate("Station", "Part · {code} {name} · {price} · {free} in stock").format(
                    code=part.part_no,
                    name=part.name,
                    price=fmt(part.unit_price),
                    free=f"{part.available_qty.normalize():f}",
                )
            )
            item.setData(Qt.ItemDataRole.UserRole, ("part", part.id))
            self.results.addItem(item)
        if self.results.count():
            self.results.setCurrentRow(0)

    def add_catalogue(self, kind: str, ident: int) -> None:
        if kind == "labour":
            op = LabourOperation.get_by_id(ident)
            self.lines.append(
                {
                    "kind": "labour",
                    "labour_op": op.id,
                    "description": op.name,
                    "amount": str(op.standard_hours),
                    "price": str(self.rate),
                }
            )
        else:
            part = Part.get_by_id(ident)
            self.lines.append(
                {
                    "kind": "part",
                    "part": part.id,
                    "description": part.name,
                    "amount": "1",
                    "price": str(part.unit_price),
                }
            )
        self._refresh_table()
        self._changed()

    def add_selected(self) -> None:
        item = self.results.currentItem()
        if item is None:
            return
        kind, ident = item.data(Qt.ItemDataRole.UserRole)
        self.add_catalogue(kind, ident)

    def add_free_line(self) -> None:
        """A labour line not in the catalogue, described by what was typed in the search."""
        text = self.search_edit.text().strip()
        if not text:
            self.error.show_error(
                translate("Station", "Type the description of the free labour line first.")
            )
            self.search_edit.setFocus()
            return
        self.lines.append(
            {"kind": "labour", "description": text, "amount": "1.00", "price": str(self.rate)}
        )
        self.search_edit.clear()
        self._refresh_table()
        self._changed()

    def remove_selected(self) -> None:
        row = self.table.currentRow()
        if 0 <= row < len(self.lines):
            del self.lines[row]
            self._refresh_table()
            self._changed()

    # -- the table ----------------------------------------------------------------------
    def _refresh_table(self) -> None:
        self.table.blockSignals(True)
        self.table.setRowCount(len(self.lines))
        for r, line in enumerate(self.lines):
            kind = (
                translate("Station", "Labour")
                if line["kind"] == "labour"
                else translate("Station", "Part")
            )
            cells = [kind, line["description"], line["amount"], fmt(Decimal(line["price"])), ""]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c != 2:
                    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                if c >= 2:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.table.setItem(r, c, item)
        self.table.blockSignals(False)
        self._update_amounts()
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)

    def _cell_changed(self, item: QTableWidgetItem) -> None:
        if item.column() == 2 and 0 <= item.row() < len(self.lines):
            self.lines[item.row()]["amount"] = item.text().strip()
            self._update_amounts()
            self._changed()

    def _update_amounts(self) -> None:
        total = Decimal("0.00")
        self.table.blockSignals(True)
        for r, line in enumerate(self.lines):
            try:
                amount = line_amount(Decimal(dec_text(line["amount"])), Decimal(line["price"]))
                text = fmt(amount)
                total += amount
            except (InvalidOperation, ValueError):
                text = "?"
            cell = self.table.item(r, 4)
            if cell is not None:
                cell.setText(text)
        self.table.blockSignals(False)
        self.total_label.setText(
            translate("Station", "Lines: {n} · estimated {amount}").format(
                n=len(self.lines), amount=fmt(money(total))
            )
        )

    # -- drafts -------------------------------------------------------------------------
    def _changed(self) -> None:
        self.draft_timer.start()

    def draft_data(self) -> dict[str, Any]:
        return {"lines": self.lines, "reason": self.reason.toPlainText()}

    def save_draft(self) -> None:
        if self.lines or self.reason.toPlainText().strip():
            drafts.save(
                self.draft_key,
                translate("Station", "Additional work on {number}").format(
                    number=self.order.number
                ),
                self.draft_data(),
            )
        else:
            drafts.discard(self.draft_key)

    def restore_draft(self) -> bool:
        """Offer what was typed last time (the dialog opens with it and says so)."""
        draft = drafts.load(self.draft_key)
        if draft is None or not (draft.data.get("lines") or draft.data.get("reason")):
            return False
        self.lines = [dict(x) for x in draft.data.get("lines", []) if isinstance(x, dict)]
        self.reason.blockSignals(True)
        self.reason.setPlainText(str(draft.data.get("reason", "")))
        self.reason.blockSignals(False)
        self._refresh_table()
        self.error.show_info(
            translate(
                "Station",
                "Restored the unsaved proposal from {time}. Remove lines you do not want.",
            ).format(time=draft.saved_at.strftime("%Y-%m-%d %H:%M"))
        )
        return True

    def discard_draft(self) -> None:
        """Start afresh: the restored lines and reason go, and so does the saved draft."""
        self.discard_button.hide()
        self.draft_timer.stop()
        drafts.discard(self.draft_key)
        self.lines = []
        self.reason.clear()
        self._refresh_table()
        self.error.clear_message()

    def service_lines(self) -> list[dict[str, Any]]:
        out = []
        for line in self.lines:
            item: dict[str, Any] = {"kind": line["kind"], "description": line["description"]}
            if line["kind"] == "labour":
                if line.get("labour_op"):
                    item["labour_op"] = line["labour_op"]
                item["hours"] = line["amount"]
            else:
                item["part"] = line["part"]
                item["quantity"] = line["amount"]
            out.append(item)
        return out

    def submit(self) -> Any:
        supplement = not self.supplement.isHidden() and self.supplement.isChecked()
        request = self.run(
            insurance.propose_supplement if supplement else workshop.propose_additional_work,
            self.order.id,
            self.service_lines(),
            self.reason.toPlainText(),
            expected_version=self.expected_version,
        )
        self.draft_timer.stop()
        drafts.discard(self.draft_key)
        return request

    def reject(self) -> None:
        if self.draft_timer.isActive():
            self.draft_timer.stop()
            self.save_draft()
        super().reject()
