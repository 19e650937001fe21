"""The estimate editor (费用估算) of the reception: labour and parts lines, priced and reserved.

Labour operations and parts are found by typing (code or name, as you type); one click on a
standard job ("Standard 5,000 km service") adds the labour operation with its usual parts.
Part lines show stock and reservation live (:func:`reception.stock_status`); every line has a
pay type; totals with the tax they contain follow each change (:func:`orders.order_totals`).
The promised completion time is suggested from the hours and the workshop's load and can be
changed. Every change is saved at once through the reception services, with the order
version this station last saw (:class:`OrderRunner`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from PySide6.QtCore import (
    QDateTime,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QKeyEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateTimeEdit,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from shop_desk import clock
from shop_desk.errors import DomainError
from shop_desk.i18n import join_list, translate
from shop_desk.models import JobLine, LabourOperation, Part, RepairOrder, Staff
from shop_desk.models.orders import PAY_TYPES
from shop_desk.money import fmt, money
from shop_desk.services import reception
from shop_desk.services.approvals import ApprovalRequired
from shop_desk.services.orders import line_total, order_totals, settings
from shop_desk.services.warranty import COVERED, PENDING
from shop_desk.states import State
from shop_desk.ui.shell.approval_bar import ApprovalRequestBar
from shop_desk.ui.shell.models import Column, RowTableModel
from shop_desk.ui.shell.uiload import child, load_form
from shop_desk.ui.shell.widgets import ErrorBanner, allowed

ITEM_ROLE = Qt.ItemDataRole.UserRole + 11
SEARCH_ROLE = Qt.ItemDataRole.UserRole + 12

#: Standard jobs offered as one-click buttons: labour-operation code and its usual parts.
#: A shop without these codes gets none of them; parts it lacks are taken from its history.
QUICK_JOBS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    ("MNT-5K", (("FLT-OIL", "1"), ("OIL-5W30-4L", "1"))),
    ("MNT-10K", (("FLT-OIL", "1"), ("OIL-5W30-4L", "1"), ("FLT-AIR", "1"), ("FLT-CAB", "1"))),
    ("BRK-F", (("PAD-F", "1"),)),
    ("WPR", (("WPR-SET", "1"),)),
)


def quick_job_title(code: str, fallback: str) -> str:
    return {
        "MNT-5K": translate("Estimate", "Standard 5,000 km service"),
        "MNT-10K": translate("Estimate", "10,000 km service"),
        "BRK-F": translate("Estimate", "Front brake pads"),
        "WPR": translate("Estimate", "Wiper blades"),
    }.get(code, fallback)


def pay_type_label(code: str) -> str:
    return {
        "customer": translate("Estimate", "Customer pays"),
        "warranty": translate("Estimate", "Warranty claim"),
        "internal": translate("Estimate", "Internal"),
        "goodwill": translate("Estimate", "Goodwill"),
    }.get(code, code)


def kind_label(code: str) -> str:
    return {
        "labour": translate("Estimate", "Labour"),
        "part": translate("Estimate", "Part"),
    }.get(code, code)


def number_text(value: Decimal | None) -> str:
    """1.5, 2, 0.25 (hours and quantities without trailing zeros)."""
    if value is None:
        return ""
    text = f"{Decimal(value).quantize(Decimal('0.01')):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


# ------------------------------------------------------------------------------ read models


@dataclass(frozen=True)
class QuickJob:
    code: str
    title: str
    op: LabourOperation
    parts: tuple[tuple[Part, Decimal], ...]


def usual_parts(op: LabourOperation, last: int = 30) -> list[tuple[Part, Decimal]]:
    """Parts that came with this labour operation on at least half of its recent orders."""
    order_ids = [
        ln.order_id
        for ln in JobLine.select(JobLine.order)
        .where((JobLine.labour_op == op) & (JobLine.auth_state == "authorised"))
        .order_by(JobLine.id.desc())
        .limit(last)
    ]
    if len(order_ids) < 2:
        return []
    seen: Counter[int] = Counter()
    quantities: dict[int, Counter[Decimal]] = {}
    for line in JobLine.select().where(
        (JobLine.order.in_(order_ids))
        & (JobLine.kind == "part")
        & (JobLine.part.is_null(False))
        & (JobLine.auth_state == "authorised")
        & (JobLine.origin == "original")
    ):
        seen[line.part_id] += 1
        quantities.setdefault(line.part_id, Counter())[line.quantity or Decimal("1")] += 1
    out = []
    for part_id, count in seen.most_common():
        if count * 2 < len(set(order_ids)):
            continue
        part = Part.get_or_none((Part.id == part_id) & (Part.active == True))  # noqa: E712
        if part is not None:
            out.append((part, quantities[part_id].most_common(1)[0][0]))
    return out


def quick_jobs() -> list[QuickJob]:
    """The standard jobs this shop's catalogue supports, with their parts."""
    jobs = []
    for code, default_parts in QUICK_JOBS:
        op = LabourOperation.get_or_none(
            (LabourOperation.code == code) & (LabourOperation.active == True)  # noqa: E712
        )
        if op is None:
            continue
        parts = []
        for part_no, qty in default_parts:
            part = Part.get_or_none((Part.part_no == part_no) & (Part.active == True))  # noqa: E712
            if part is not None:
                parts.append((part, Decimal(qty)))
        if not parts:
            parts = usual_parts(op)
        jobs.append(QuickJob(code, quick_job_title(code, op.name), op, tuple(parts)))
    return jobs


@dataclass(frozen=True)
class CatalogueItem:
    kind: str  # labour | part
    id: int
    code: str
    name: str
    hours: Decimal | None = None
    price: Decimal | None = None
    available: Decimal | None = None
    category: str = "general"

    def text(self) -> str:
        if self.kind == "labour":
            return translate("Estimate", "{code} · {name} · {hours} h").format(
                code=self.code, name=self.name, hours=number_text(self.hours)
            )
        return translate("Estimate", "{code} · {name} · {price} · {available} available").format(
            code=self.code,
            name=self.name,
            price=fmt(self.price or Decimal("0")),
            available=number_text(self.available),
        )


def catalogue_items() -> list[CatalogueItem]:
    """Active labour operations and parts for the as-you-type search."""
    items = [
        CatalogueItem("labour", op.id, op.code, op.name, op.standard_hours, category=op.category)
        for op in LabourOperation.select()
        .where(LabourOperation.active == True)  # noqa: E712
        .order_by(LabourOperation.code)
    ]
    items += [
        CatalogueItem(
            "part",
            p.id,
            p.part_no,
            p.name,
            price=p.unit_price,
            available=p.available_qty,
            category=p.category,
        )
        for p in Part.select().where(Part.active == True).order_by(Part.part_no)  # noqa: E712
    ]
    return items


@dataclass(frozen=True)
class EstimateRow:
    line: JobLine
    amount: Decimal
    stock: reception.StockRow | None

    @property
    def code(self) -> str:
        if self.line.kind == "labour":
            return self.line.labour_op.code if self.line.labour_op_id else ""
        return self.line.part.part_no if self.line.part_id else ""


def estimate_rows(order_id: int) -> list[EstimateRow]:
    """The order's lines (declined ones left out) with amount and stock for parts."""
    stock = {row.line.id: row for row in reception.stock_status(order_id)}
    return [
        EstimateRow(line, line_total(line), stock.get(line.id))
        for line in JobLine.select()
        .where((JobLine.order == order_id) & (JobLine.auth_state != "declined"))
        .order_by(JobLine.sort, JobLine.id)
    ]


def stock_text(row: reception.StockRow | None) -> str:
    if row is None:
        return ""
    if row.short > 0:
        return translate("Estimate", "short {short} · {free} free in stock").format(
            short=number_text(row.short), free=number_text(max(row.available, Decimal("0")))
        )
    return translate("Estimate", "reserved {reserved} · {free} more free").format(
        reserved=number_text(row.reserved), free=number_text(max(row.available, Decimal("0")))
    )


def best_labour_match(text: str) -> LabourOperation | None:
    """The catalogue operation a recommendation's words describe best (None if none is close)."""
    best, best_score = None, 0.0
    for op in LabourOperation.select().where(LabourOperation.active == True):  # noqa: E712
        score = reception.text_similarity(text, op.name)
        if score > best_score:
            best, best_score = op, score
    return best if best_score >= 0.5 else None


# ------------------------------------------------------------------------------ service calls


class OrderRunner(QObject):
    """Runs reception services for one order as one person, with optimistic concurrency.

    Each call passes ``expected_version`` (the version this station last saw) and counts it
    up by one after success (every reception edit bumps the version once). A refusal is
    emitted as ``failed(exc)``; the page shows it (a ConflictError offers a reload)."""

    failed = Signal(object)
    done = Signal()

    def __init__(self, actor: Staff, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.actor = actor
        self.order_id: int | None = None
        self.version = 0

    def set_order(self, order_id: int | None) -> None:
        self.order_id = order_id
        self.reload_version()

    def reload_version(self) -> None:
        if self.order_id is not None:
            self.version = RepairOrder.get_by_id(self.order_id).version

    def order(self) -> RepairOrder:
        assert self.order_id is not None
        return RepairOrder.get_by_id(self.order_id)

    def attempt(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Run and raise DomainError to the caller (for confirmations and dialogs)."""
        kwargs["expected_version"] = self.version
        result = fn(self.actor, *args, **kwargs)
        self.version += 1
        self.done.emit()
        return result

    def call(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any | None:
        """Run; on a refusal emit ``failed`` and return None (True for a service without result)."""
        try:
            result = self.attempt(fn, *args, **kwargs)
        except DomainError as exc:
            self.failed.emit(exc)
            return None
        return True if result is None else result


# ------------------------------------------------------------------------------ table


class LinesModel(RowTableModel):
    """Estimate lines; hours/quantity, rate/price, description and pay type are editable."""

    edit_requested = Signal(int, str, object)  # line id, field, value

    DESCRIPTION, AMOUNT_COL, PAY_COL, QTY_COL, PRICE_COL, STOCK_COL = 2, 6, 5, 3, 4, 7

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(
            [
                Column(lambda: translate("Estimate", "Type"), lambda r: kind_label(r.line.kind)),
                Column(lambda: translate("Estimate", "Code"), lambda r: r.code),
                Column(lambda: translate("Estimate", "Description"), lambda r: r.line.description),
                Column(
                    lambda: translate("Estimate", "Hours / qty"),
                    lambda r: r.line.hours if r.line.kind == "labour" else r.line.quantity,
                    display=number_text,
                    align_right=True,
                ),
                Column(
                    lambda: translate("Estimate", "Rate / price"),
                    lambda r: r.line.rate if r.line.kind == "labour" else r.line.unit_price,
                    align_right=True,
                ),
                Column(
                    lambda: translate("Estimate", "Pay type"),
                    lambda r: r.line.pay_type,
                    display=pay_type_label,
                ),
                Column(
                    lambda: translate("Estimate", "Amount"),
                    lambda r: r.amount,
                    align_right=True,
                ),
                Column(lambda: translate("Estimate", "Stock"), lambda r: stock_text(r.stock)),
            ],
            parent,
        )
        self.editable = True

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        base = super().flags(index)
        if self.editable and index.column() in (
            self.DESCRIPTION,
            self.QTY_COL,
            self.PRICE_COL,
            self.PAY_COL,
        ):
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.EditRole:
            value = self.columns[index.column()].value(row)
            if index.column() == self.PAY_COL:
                return value
            if index.column() in (self.QTY_COL, self.PRICE_COL):
                return number_text(value) if index.column() == self.QTY_COL else f"{value:f}"
            return value
        if (
            role == Qt.ItemDataRole.ForegroundRole
            and index.column() == self.STOCK_COL
            and row.stock is not None
        ):
            return QColor("#b3261e") if row.stock.short > 0 else QColor("#1d6b2f")
        return super().data(index, role)

    def setData(
        self,
        index: QModelIndex | QPersistentModelIndex,
        value: Any,
        role: int = Qt.ItemDataRole.EditRole,
    ) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        row = self.rows[index.row()]
        kind = row.line.kind
        field = {
            self.DESCRIPTION: "description",
            self.QTY_COL: "hours" if kind == "labour" else "quantity",
            self.PRICE_COL: "rate" if kind == "labour" else "unit_price",
            self.PAY_COL: "pay_type",
        }.get(index.column())
        if field is None:
            return False
        current = self.data(index, Qt.ItemDataRole.EditRole)
        if str(value).strip() == str(current):
            return False
        self.edit_requested.emit(row.line.id, field, str(value).strip())
        return True


class PayTypeDelegate(QStyledItemDelegate):
    """A combo box of the pay types; the choice is saved as soon as it is made."""

    def createEditor(
        self, parent: QWidget, option: QStyleOptionViewItem, index: QModelIndex
    ) -> QWidget:
        combo = QComboBox(parent)
        combo.setObjectName("payTypeCombo")
        for code in PAY_TYPES:
            combo.addItem(pay_type_label(code), code)
        combo.activated.connect(lambda _i, c=combo: self.commitData.emit(c))
        return combo

    def setEditorData(self, editor: QWidget, index: QModelIndex) -> None:
        assert isinstance(editor, QComboBox)
        editor.setCurrentIndex(max(0, editor.findData(index.data(Qt.ItemDataRole.EditRole))))

    def setModelData(self, editor: QWidget, model: Any, index: QModelIndex) -> None:
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)


class CatalogueFilter(QSortFilterProxyModel):
    """Every typed word must appear in the code or the name (any order, any case)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.words: list[str] = []

    def set_text(self, text: str) -> None:
        self.beginFilterChange()
        self.words = text.casefold().split()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex) -> bool:
        if not self.words:
            return False
        haystack = self.sourceModel().index(source_row, 0, source_parent).data(SEARCH_ROLE) or ""
        return all(word in haystack for word in self.words)


# ------------------------------------------------------------------------------ the editor


class EstimateEditor(QWidget):
    """Lines, totals and promised time of one order (forms/reception_estimate.ui)."""

    lines_changed = Signal()  # after a line was added, changed or removed
    submit_requested = Signal()  # Enter in the empty search field: the advisor is done here
    changed = Signal()  # an unsaved input changed (the promised time): drafts
    status = Signal(str)

    def __init__(
        self, actor: Staff, runner: OrderRunner | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("estimateEditor")
        self.actor = actor
        self.runner = runner or OrderRunner(actor, self)
        self.own_banner = runner is None
        self.form = load_form("reception_estimate", self)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.banner = ErrorBanner(self)
        self.banner.setObjectName("estimateBanner")
        outer.addWidget(self.banner)
        # a price below the list beyond the discount limit: ask the manager from here
        self.approval_bar = ApprovalRequestBar(actor, self)
        outer.addWidget(self.approval_bar)
        self.approval_bar.requested.connect(self._approval_requested)
        outer.addWidget(self.form)
        if self.own_banner:
            self.runner.failed.connect(lambda exc: self.banner.show_error(str(exc)))
        self.runner.failed.connect(self._offer_approval)
        self.runner.done.connect(self.approval_bar.hide)
        self.order_id: int | None = None
        self.read_only = False
        self.promised_touched = False
        self.suggested: dt.datetime | None = None

        self.search = child(self.form, QLineEdit, "searchEdit")
        self.results = child(self.form, QListView, "resultsList")
        self.catalogue = QStandardItemModel(self)
        self.filter = CatalogueFilter(self)
        self.filter.setSourceModel(self.catalogue)
        self.results.setModel(self.filter)
        self.results.hide()
        self.search.textChanged.connect(self._search_changed)
        self.search.returnPressed.connect(self._search_enter)
        self.search.installEventFilter(self)
        self.results.clicked.connect(self._result_clicked)
        self.results.activated.connect(self._result_clicked)

        self.quick_host = child(self.form, QWidget, "quickHost")
        self.quick_buttons: dict[str, QPushButton] = {}

        self.model = LinesModel(self)
        self.model.edit_requested.connect(self._edit_line)
        self.table = child(self.form, QTableView, "linesTable")
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.table.setItemDelegateForColumn(LinesModel.PAY_COL, PayTypeDelegate(self.table))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(LinesModel.DESCRIPTION, QHeaderView.ResizeMode.Stretch)
        header.setHighlightSections(False)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 12)
        self.table.installEventFilter(self)
        self.remove_button = child(self.form, QPushButton, "removeLineButton")
        self.remove_button.clicked.connect(self.remove_selected)
        self.totals = child(self.form, QLabel, "totalsLabel")
        self.diagnosis_hint = child(self.form, QLabel, "diagnosisHint")
        self.diagnosis_hint.hide()

        self.promised = child(self.form, QDateTimeEdit, "promisedEdit")
        self.promised.dateTimeChanged.connect(self._promised_edited)
        self.suggest_button = child(self.form, QPushButton, "suggestButton")
        self.suggest_button.clicked.connect(self.use_suggestion)
        self.promised_hint = child(self.form, QLabel, "promisedHint")
        for button in self.findChildren(QPushButton):
            button.setAutoDefault(False)
        self.reload_catalogue()
        self._build_quick_buttons()

    # -- loading --------------------------------------------------------------------------

    def _offer_approval(self, exc: Exception) -> None:
        """A reduction below the list price over the limit: offer the manager's approval."""
        if isinstance(exc, ApprovalRequired) and self.order_id is not None:
            order = RepairOrder.get_by_id(self.order_id)
            self.approval_bar.offer(exc, order, {"action": "estimate"})
        else:
            self.approval_bar.hide()

    def _approval_requested(self, _approval: object) -> None:
        self.status.emit(
            translate(
                "Estimate",
                "The request waits for the general manager; once approved, make the change again.",
            )
        )

    def reload_catalogue(self) -> None:
        self.catalogue.clear()
        for item in catalogue_items():
            row = QStandardItem(item.text())
            row.setData(item, ITEM_ROLE)
            row.setData(f"{item.code} {item.name}".casefold(), SEARCH_ROLE)
            row.setEditable(False)
            if item.kind == "part" and (item.available or 0) <= 0:
                row.setForeground(QColor("#9a9a9a"))
            self.catalogue.appendRow(row)

    def _build_quick_buttons(self) -> None:
        layout = self.quick_host.layout()
        for job in quick_jobs():
            button = QPushButton(job.title, self.quick_host)
            button.setObjectName(f"quick_{job.code}")
            button.setMinimumHeight(36)
            button.setAutoDefault(False)
            parts = join_list(p.name for p, _q in job.parts)
            button.setToolTip(f"{job.op.name}" + (f" + {parts}" if parts else ""))
            button.clicked.connect(lambda _=False, j=job: self.add_quick_job(j))
            layout.addWidget(button)
            self.quick_buttons[job.code] = button
        layout.addStretch(1)

    def set_order(self, order_id: int | None) -> None:
        """Show an order's estimate (None: nothing to show)."""
        self.order_id = order_id
        if self.runner.order_id != order_id:
            self.runner.set_order(order_id)
        self.promised_touched = False
        self.banner.clear_message()
        self.reload()
        if order_id is not None:
            order = RepairOrder.get_by_id(order_id)
            if order.promised_at is not None:
                self._set_promised(order.promised_at)
                self.promised_touched = True
            else:
                self.use_suggestion(touched=False)

    def reload(self) -> None:
        """Re-read lines, stock and totals from the database."""
        if self.order_id is None:
            self.model.set_rows([])
            self.totals.clear()
            return
        order = RepairOrder.get_by_id(self.order_id)
        editable = (
            order.state in reception.RECEPTION_STATES
            and order.signed_at is None
            and allowed(self.actor, reception.add_labour_line)
        )
        self.set_read_only(not editable)
        rows = estimate_rows(self.order_id)
        self.model.set_rows(rows)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(
            LinesModel.DESCRIPTION, QHeaderView.ResizeMode.Stretch
        )
        self.remove_button.setEnabled(bool(rows) and editable)
        self.diagnosis_hint.setVisible(order.diagnosis_needed and not rows)
        self._show_totals(order)
        self._update_suggestion(order)

    def refresh_stock(self) -> bool:
        """Stock and reservations as the other desks left them, without disturbing the work
        here: no reset of the table (the selection stays), nothing while a cell is edited.
        False when nothing was re-read."""
        if self.order_id is None or self.table.state() == QAbstractItemView.State.EditingState:
            return False
        rows = estimate_rows(self.order_id)
        if [r.line.id for r in rows] != [r.line.id for r in self.model.rows]:
            return False  # the lines themselves changed: reload() shows them
        if [r.stock for r in rows] == [r.stock for r in self.model.rows]:
            return False
        self.model.rows = rows
        last = self.model.index(len(rows) - 1, self.model.columnCount() - 1)
        self.model.dataChanged.emit(self.model.index(0, 0), last)
        if not self.search.text().strip():
            self.reload_catalogue()  # sold-out parts greyed in the search list
        return True

    def set_read_only(self, read_only: bool) -> None:
        self.read_only = read_only
        self.model.editable = not read_only
        for widget in (self.search, self.promised, self.suggest_button, self.remove_button):
            widget.setEnabled(not read_only)
        for button in self.quick_buttons.values():
            button.setEnabled(not read_only)

    def _show_totals(self, order: RepairOrder) -> None:
        t = order_totals(order)
        hours = reception.estimated_hours(order)
        parts = [
            translate("Estimate", "Labour {amount}").format(amount=fmt(t.labour)),
            translate("Estimate", "Parts {amount}").format(amount=fmt(t.parts)),
        ]
        if t.warranty_claim:
            parts.append(
                translate("Estimate", "Warranty claim {amount}").format(
                    amount=fmt(t.warranty_claim)
                )
            )
        for code in ("internal", "goodwill"):
            if t.by_pay_type.get(code):
                parts.append(f"{pay_type_label(code)} {fmt(t.by_pay_type[code])}")
        parts.append(translate("Estimate", "{hours} h").format(hours=number_text(hours)))
        total = translate(
            "Estimate", "Customer pays <b>{total}</b> (incl. {rate}% tax {tax})"
        ).format(
            total=fmt(t.customer_total),
            rate=number_text(settings().tax_rate * 100),
            tax=fmt(t.tax),
        )
        self.totals.setText(" · ".join(parts) + "<br>" + total)
        self.totals.setProperty("customer_total", str(t.customer_total))

    # -- promised time ----------------------------------------------------------------------
    def _update_suggestion(self, order: RepairOrder) -> None:
        self.suggested = reception.suggested_promised_time(order)
        hours = reception.estimated_hours(order)
        self.promised_hint.setText(
            translate(
                "Estimate", "Suggested {time} from {hours} h of work and the workshop's load."
            ).format(time=self.suggested.strftime("%Y-%m-%d %H:%M"), hours=number_text(hours))
        )
        if not self.promised_touched:
            self._set_promised(self.suggested)

    def use_suggestion(self, touched: bool = False) -> None:
        if self.order_id is None:
            return
        if self.suggested is None:
            self.suggested = reception.suggested_promised_time(self.order_id)
        self._set_promised(self.suggested)
        self.promised_touched = bool(touched)
        self.changed.emit()

    def _set_promised(self, when: dt.datetime) -> None:
        self.promised.blockSignals(True)
        self.promised.setDateTime(QDateTime(when.replace(microsecond=0)))
        self.promised.blockSignals(False)

    def _promised_edited(self, _value: QDateTime) -> None:
        self.promised_touched = True
        self.changed.emit()

    def promised_value(self) -> dt.datetime:
        return self.promised.dateTime().toPython().replace(second=0, microsecond=0)

    def set_promised_value(self, when: dt.datetime, touched: bool = True) -> None:
        self._set_promised(when)
        self.promised_touched = touched

    def save_promised(self) -> bool:
        """Store the promised time if it differs from the order's; False when refused."""
        if self.order_id is None or self.read_only:
            return True
        order = RepairOrder.get_by_id(self.order_id)
        when = self.promised_value()
        if order.promised_at is not None and order.promised_at == when:
            return True
        if when <= clock.now():
            self.promised.setFocus()
        return self.runner.call(reception.set_promised_time, self.order_id, when) is not None

    # -- adding ---------------------------------------------------------------------------
    def _default_pay_type(self, category: str) -> str:
        order = RepairOrder.get_by_id(self.order_id)
        if order.warranty_decision in (COVERED, PENDING) and category not in (
            "maintenance",
            "wear",
        ):
            return "warranty"
        return "customer"

    def add_labour(
        self, op: LabourOperation | int, description: str | None = None, hours: Any = None
    ) -> JobLine | None:
        op_row = LabourOperation.get_by_id(op) if isinstance(op, int) else op
        line = self.runner.call(
            reception.add_labour_line,
            self.order_id,
            op_row,
            description=description,
            hours=hours,
            pay_type=self._default_pay_type(op_row.category),
        )
        self._after_add(line)
        return line

    def add_part(self, part: Part | int, quantity: Any = "1") -> JobLine | None:
        part_row = Part.get_by_id(part) if isinstance(part, int) else part
        line = self.runner.call(
            reception.add_part_line,
            self.order_id,
            part_row,
            quantity,
            pay_type=self._default_pay_type(part_row.category),
        )
        self._after_add(line)
        return line

    def add_quick_job(self, job: QuickJob) -> bool:
        """The labour operation and its usual parts in one go."""
        if self.order_id is None or self.read_only:
            return False
        if self.add_labour(job.op) is None:
            return False
        added = 1
        for part, qty in job.parts:
            if self.add_part(part, qty) is None:
                return False
            added += 1
        self.status.emit(
            translate("Estimate", "{job}: {n} lines added to the estimate.").format(
                job=job.title, n=added
            )
        )
        return True

    def quick_job(self, code: str) -> QuickJob | None:
        return next((j for j in quick_jobs() if j.code == code), None)

    def add_description(self, description: str) -> JobLine | None:
        """A recommended item from the archive: the matching labour operation, else a free line."""
        op = best_labour_match(description)
        if op is not None:
            return self.add_labour(op, description=description[:120])
        line = self.runner.call(
            reception.add_labour_line,
            self.order_id,
            None,
            description=description[:120],
            hours="1.00",
            pay_type="customer",
        )
        self._after_add(line)
        return line

    def _after_add(self, line: JobLine | None) -> None:
        if line is None:
            return
        if self.own_banner:
            self.banner.clear_message()
        self.reload_catalogue_stock()
        self.reload()
        self.select_line(line.id)
        self.lines_changed.emit()

    def reload_catalogue_stock(self) -> None:
        """Stock figures in the search list follow the reservations just made."""
        if self.search.text().strip():
            self.reload_catalogue()
            self.filter.set_text(self.search.text())
        else:
            self.reload_catalogue()

    def select_line(self, line_id: int) -> None:
        for r, row in enumerate(self.model.rows):
            if row.line.id == line_id:
                self.table.selectRow(r)
                self.table.scrollTo(self.model.index(r, 0))
                return

    # -- search -----------------------------------------------------------------------------
    def _search_changed(self, text: str) -> None:
        self.filter.set_text(text)
        has = bool(text.strip()) and self.filter.rowCount() > 0
        self.results.setVisible(bool(text.strip()))
        if has:
            self.results.setCurrentIndex(self.filter.index(0, 0))

    def result_items(self) -> list[CatalogueItem]:
        return [self.filter.index(r, 0).data(ITEM_ROLE) for r in range(self.filter.rowCount())]

    def _search_enter(self) -> None:
        if self.search.text().strip():
            self.add_current_result()
        else:
            self.submit_requested.emit()

    def add_current_result(self) -> bool:
        """Enter in the search field adds the highlighted match (the first one by default)."""
        if not self.search.text().strip() or self.filter.rowCount() == 0:
            return False
        index = self.results.currentIndex()
        if not index.isValid():
            index = self.filter.index(0, 0)
        return self._add_item(index.data(ITEM_ROLE))

    def _result_clicked(self, index: QModelIndex) -> None:
        if index.isValid():
            self._add_item(index.data(ITEM_ROLE))

    def _add_item(self, item: CatalogueItem | None) -> bool:
        if item is None or self.order_id is None or self.read_only:
            return False
        line = self.add_labour(item.id) if item.kind == "labour" else self.add_part(item.id)
        if line is None:
            return False
        self.search.clear()
        self.search.setFocus()
        self.status.emit(translate("Estimate", "Added {name}.").format(name=line.description))
        return True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if watched is self.search and event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Up):
                rows = self.filter.rowCount()
                if rows:
                    current = self.results.currentIndex().row()
                    step = 1 if event.key() == Qt.Key.Key_Down else -1
                    new = min(max(current + step, 0), rows - 1)
                    self.results.setCurrentIndex(self.filter.index(new, 0))
                return True
            if watched is self.search and event.key() == Qt.Key.Key_Escape and self.search.text():
                self.search.clear()
                return True
            if (
                watched is self.table
                and event.key() == Qt.Key.Key_Delete
                and self.table.state() != QAbstractItemView.State.EditingState
            ):
                self.remove_selected()
                return True
        return super().eventFilter(watched, event)

    # -- editing ------------------------------------------------------------------------------
    def _edit_line(self, line_id: int, field: str, value: str) -> None:
        result = self.runner.call(reception.update_line, line_id, **{field: value})
        if result is not None:
            if self.own_banner:
                self.banner.clear_message()
            self.reload_catalogue()
            self.reload()
            self.select_line(line_id)
            self.lines_changed.emit()

    def selected_row(self) -> EstimateRow | None:
        index = self.table.currentIndex()
        if not index.isValid() or index.row() >= len(self.model.rows):
            return None
        return self.model.rows[index.row()]

    def remove_selected(self) -> None:
        row = self.selected_row()
        if row is None or self.read_only:
            return
        if self.runner.call(reception.remove_line, row.line.id) is not None:
            self.status.emit(
                translate("Estimate", "Removed {name}.").format(name=row.line.description)
            )
            self.reload_catalogue()
            self.reload()
            self.lines_changed.emit()

    # -- drafts -------------------------------------------------------------------------------
    def state(self) -> dict[str, Any]:
        return {
            "promised": self.promised_value().isoformat() if self.promised_touched else None,
            "search": self.search.text(),
        }

    def restore(self, data: dict[str, Any]) -> None:
        if data.get("promised"):
            with contextlib.suppress(ValueError):
                self.set_promised_value(dt.datetime.fromisoformat(data["promised"]))
        if data.get("search"):
            self.search.setText(data["search"])

    def line_count(self) -> int:
        return len(self.model.rows)

    def customer_total(self) -> Decimal:
        return money(self.totals.property("customer_total") or "0")


def reception_open(order: RepairOrder) -> bool:
    """The order is still at reception (its estimate may change)."""
    return order.state == State.CHECKED_IN.value and order.signed_at is None
