"""Admin tab "Import": moving in from the shop's old system, step by step.

Choose the kind and the file → correct the column mapping (saved per source) → check the file
(counts and the reason per row; the refused rows can be saved to correct) → import with a
progress bar and Cancel → the result, and Undo for the recent imports. Reading, checking and
importing run on a pool thread (:class:`~shop_desk.ui.shell.background.PoolJob`) so the window
stays responsive; everything goes through :mod:`shop_desk.services.importing`.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from shop_desk.errors import DomainError
from shop_desk.i18n import translate
from shop_desk.roles import Role
from shop_desk.services import importing
from shop_desk.services.import_files import FIELDS, KINDS, Table, field_label, guess_mapping
from shop_desk.ui.shell.background import PoolJob
from shop_desk.ui.shell.models import Column, RowTableModel
from shop_desk.ui.shell.widgets import ask, message


def kind_label(kind: str) -> str:
    return {
        "customers": translate("ImportTab", "Customers (with their cars)"),
        "vehicles": translate("ImportTab", "Vehicles"),
        "history": translate("ImportTab", "Service history"),
    }[kind]


def action_label(action: str) -> str:
    return {
        "create": translate("ImportTab", "Create"),
        "merge": translate("ImportTab", "Merge"),
        "refuse": translate("ImportTab", "Refused"),
    }[action]


class ImportTab(QWidget):
    """The import wizard on one page: each step's box is enabled when the one before is done."""

    def __init__(self, window: Any) -> None:
        super().__init__()
        self.window_ = window
        self.setObjectName("importTab")
        self.table_data: Table | None = None
        self.plan: importing.Plan | None = None
        self.job: PoolJob | None = None
        self.cancel_flag = threading.Event()
        self.generation = 0
        staff = getattr(window, "staff", None)
        self.allowed = staff is not None and bool(
            staff.role_set() & {Role.ADMIN.value, Role.MANAGER.value}
        )

        # 1. kind, source and file
        self.kind = QComboBox()
        for kind in KINDS:
            self.kind.addItem(kind_label(kind), kind)
        self.source = QLineEdit()
        self.source.setPlaceholderText(translate("ImportTab", "e.g. the old system's name"))
        self.file_label = QLabel(translate("ImportTab", "No file chosen."))
        self.choose_button = QPushButton(translate("ImportTab", "Choose file…"))
        self.choose_button.clicked.connect(self.choose_file)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        step1 = QGroupBox(translate("ImportTab", "1. What and from where"))
        grid = QGridLayout(step1)
        grid.addWidget(QLabel(translate("ImportTab", "Import")), 0, 0)
        grid.addWidget(self.kind, 0, 1)
        grid.addWidget(QLabel(translate("ImportTab", "Source")), 0, 2)
        grid.addWidget(self.source, 0, 3)
        grid.addWidget(self.choose_button, 1, 0)
        grid.addWidget(self.file_label, 1, 1, 1, 3)

        # 2. mapping
        self.mapping_table = QTableWidget(0, 3)
        self.mapping_table.setHorizontalHeaderLabels(
            [
                translate("ImportTab", "Column in the file"),
                translate("ImportTab", "First value"),
                translate("ImportTab", "Read as"),
            ]
        )
        self.mapping_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.mapping_table.verticalHeader().setVisible(False)
        self.mapping_table.setMinimumHeight(160)
        self.save_mapping_button = QPushButton(translate("ImportTab", "Save mapping for source"))
        self.save_mapping_button.clicked.connect(self.save_mapping)
        self.check_button = QPushButton(translate("ImportTab", "Check the file"))
        self.check_button.clicked.connect(self.check)
        step2 = QGroupBox(translate("ImportTab", "2. Columns"))
        box2 = QVBoxLayout(step2)
        box2.addWidget(self.mapping_table)
        row2 = QHBoxLayout()
        row2.addWidget(self.save_mapping_button)
        row2.addStretch(1)
        row2.addWidget(self.check_button)
        box2.addLayout(row2)

        # 3. preview
        self.counts_label = QLabel()
        self.counts_label.setWordWrap(True)
        self.counts_label.setMinimumWidth(300)
        self.verdicts = RowTableModel(
            [
                Column(lambda: translate("ImportTab", "Row"), lambda v: v.row, align_right=True),
                Column(lambda: translate("ImportTab", "Result"), lambda v: action_label(v.action)),
                Column(lambda: translate("ImportTab", "Reason"), lambda v: v.reason),
            ],
            self,
        )
        self.verdict_view = QTableView()
        self.verdict_view.setModel(self.verdicts)
        self.verdict_view.horizontalHeader().setStretchLastSection(True)
        self.verdict_view.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        self.verdict_view.verticalHeader().setVisible(False)
        self.verdict_view.setMinimumHeight(80)
        self.save_refused_button = QPushButton(translate("ImportTab", "Save refused rows…"))
        self.save_refused_button.clicked.connect(self.save_refused)
        self.import_button = QPushButton(translate("ImportTab", "Import"))
        self.import_button.clicked.connect(self.start_import)
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        self.cancel_button = QPushButton(translate("ImportTab", "Cancel"))
        self.cancel_button.setVisible(False)
        self.cancel_button.clicked.connect(self.cancel)
        step3 = QGroupBox(translate("ImportTab", "3. Check and import"))
        box3 = QVBoxLayout(step3)
        box3.addWidget(self.counts_label)
        box3.addWidget(self.verdict_view, 1)
        row3 = QHBoxLayout()
        row3.addWidget(self.save_refused_button)
        row3.addStretch(1)
        row3.addWidget(self.progress, 2)
        row3.addWidget(self.cancel_button)
        row3.addWidget(self.import_button)
        box3.addLayout(row3)
        self.result_label = QLabel()
        self.result_label.setWordWrap(True)
        box3.addWidget(self.result_label)

        # 4. recent imports, undo
        self.batches = RowTableModel(
            [
                Column(lambda: translate("ImportTab", "Batch"), lambda b: b.id, align_right=True),
                Column(
                    lambda: translate("ImportTab", "When"),
                    lambda b: b.at.strftime("%Y-%m-%d %H:%M"),
                ),
                Column(lambda: translate("ImportTab", "Who"), lambda b: b.staff_name),
                Column(lambda: translate("ImportTab", "What"), lambda b: kind_label(b.kind)),
                Column(lambda: translate("ImportTab", "File"), lambda b: b.file_name),
                Column(
                    lambda: translate("ImportTab", "State"),
                    lambda b: (
                        translate("ImportTab", "Undone")
                        if b.state == "undone"
                        else translate("ImportTab", "Imported")
                    ),
                ),
            ],
            self,
        )
        self.batch_view = QTableView()
        self.batch_view.setModel(self.batches)
        self.batch_view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.batch_view.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.batch_view.horizontalHeader().setStretchLastSection(True)
        self.batch_view.verticalHeader().setVisible(False)
        self.batch_view.setMaximumHeight(110)
        self.batch_view.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        self.undo_button = QPushButton(translate("ImportTab", "Undo the selected import…"))
        self.undo_button.clicked.connect(self.undo_selected)
        step4 = QGroupBox(translate("ImportTab", "Recent imports"))
        box4 = QVBoxLayout(step4)
        box4.addWidget(self.batch_view)
        row4 = QHBoxLayout()
        row4.addStretch(1)
        row4.addWidget(self.undo_button)
        box4.addLayout(row4)

        layout = QVBoxLayout(self)
        layout.addWidget(step1)
        middle = QHBoxLayout()  # side by side: the page fits a 1280×720 screen
        middle.addWidget(step2, 2)
        middle.addWidget(step3, 3)
        layout.addLayout(middle, 1)
        layout.addWidget(step4)
        self._update_buttons()
        self.refresh()

    # -------------------------------------------------------------------- state

    def current_kind(self) -> str:
        return str(self.kind.currentData())

    def _busy(self) -> bool:
        return self.job is not None

    def _update_buttons(self) -> None:
        busy = self._busy()
        has_file = self.table_data is not None
        self.kind.setEnabled(not busy)
        self.choose_button.setEnabled(not busy)
        self.check_button.setEnabled(has_file and not busy)
        self.save_mapping_button.setEnabled(has_file and self.allowed and not busy)
        ready = self.plan is not None and self.plan.counts()["create"] > 0
        self.import_button.setEnabled(ready and self.allowed and not busy)
        self.save_refused_button.setEnabled(self.plan is not None and bool(self.plan.refused()))
        self.undo_button.setEnabled(self.allowed and not busy)

    def refresh(self) -> None:
        self.batches.set_rows(importing.recent_batches())

    # -------------------------------------------------------------------- step 1 and 2

    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            translate("ImportTab", "Choose the file from the old system"),
            "",
            translate("ImportTab", "Spreadsheets (*.xlsx *.csv)"),
        )
        if path:
            self.load_file(Path(path))

    def load_file(self, path: Path) -> PoolJob:
        """Read the file on a pool thread; the mapping table fills when it is read."""
        self.file_label.setText(translate("ImportTab", "Reading {file}…").format(file=path.name))
        from shop_desk.services.import_files import read_table

        return self._run(lambda _progress: read_table(path), self._file_read)

    def _file_read(self, table: Table) -> None:
        self.table_data = table
        self.file_label.setText(
            translate("ImportTab", "{file}: {rows} rows, {columns} columns").format(
                file=table.name, rows=len(table.rows), columns=len(table.headers)
            )
        )
        self._fill_mapping()

    def _kind_changed(self) -> None:
        if self.table_data is not None:
            self._fill_mapping()

    def _fill_mapping(self) -> None:
        table = self.table_data
        if table is None:
            return
        kind = self.current_kind()
        source = self.source.text().strip()
        saved = importing.saved_mapping(source, kind) if source else {}
        mapping = guess_mapping(kind, table.headers, saved)
        self.mapping_table.setRowCount(len(table.headers))
        first = table.rows[0] if table.rows else [""] * len(table.headers)
        for row, header in enumerate(table.headers):
            self.mapping_table.setItem(row, 0, QTableWidgetItem(header))
            self.mapping_table.setItem(row, 1, QTableWidgetItem(first[row]))
            combo = QComboBox()
            combo.addItem(translate("ImportTab", "(not imported)"), "")
            for field in FIELDS[kind]:
                combo.addItem(field_label(field), field)
            combo.setCurrentIndex(max(0, combo.findData(mapping.get(header, ""))))
            combo.currentIndexChanged.connect(self._mapping_changed)
            self.mapping_table.setCellWidget(row, 2, combo)
        self._mapping_changed()

    def _mapping_changed(self) -> None:
        self.plan = None
        self.verdicts.set_rows([])
        self.counts_label.setText("")
        self._update_buttons()

    def mapping(self) -> dict[str, str]:
        """Column -> field as the table shows it now."""
        out = {}
        for row in range(self.mapping_table.rowCount()):
            combo = self.mapping_table.cellWidget(row, 2)
            if isinstance(combo, QComboBox) and combo.currentData():
                out[self.mapping_table.item(row, 0).text()] = str(combo.currentData())
        return out

    def set_field(self, header: str, field: str) -> None:
        """Map the column ``header`` to ``field`` ('' = not imported), as the user would."""
        for row in range(self.mapping_table.rowCount()):
            if self.mapping_table.item(row, 0).text() == header:
                combo = self.mapping_table.cellWidget(row, 2)
                combo.setCurrentIndex(combo.findData(field))

    def save_mapping(self) -> bool:
        try:
            importing.save_mapping(
                self.window_.staff, self.source.text(), self.current_kind(), self.mapping()
            )
        except DomainError as exc:
            message(self, translate("ImportTab", "Mapping"), str(exc))
            return False
        self.result_label.setText(
            translate("ImportTab", "The mapping is saved for {source}.").format(
                source=self.source.text().strip()
            )
        )
        return True

    # -------------------------------------------------------------------- step 3

    def check(self) -> PoolJob | None:
        table = self.table_data
        if table is None:
            return None
        kind, mapping = self.current_kind(), self.mapping()
        self.counts_label.setText(translate("ImportTab", "Checking every row…"))
        self.progress.setRange(0, 0)
        self.progress.setVisible(True)
        return self._run(
            lambda progress: importing.preview_import(kind, table, mapping, progress),
            self._checked,
        )

    def _checked(self, plan: importing.Plan) -> None:
        self.plan = plan
        c = plan.counts()
        self.counts_label.setText(
            translate(
                "ImportTab",
                "{rows} rows: {create} to create, {merge} already on file or repeated (merged), "
                "{refuse} refused. New: {customers} customers, {vehicles} vehicles, {orders} "
                "orders with {lines} lines.",
            ).format(
                rows=c["rows"],
                create=c["create"],
                merge=c["merge"],
                refuse=c["refuse"],
                customers=c["customers_created"],
                vehicles=c["vehicles_created"],
                orders=c["orders_created"],
                lines=c["lines_created"],
            )
        )
        shown = [v for v in plan.verdicts if v.action != "create" or v.reason]
        self.verdicts.set_rows(shown[:5000])
        self._update_buttons()

    def save_refused(self, path: Path | None = None) -> Path | None:
        if self.plan is None or self.table_data is None:
            return None
        if path is None:
            chosen, _ = QFileDialog.getSaveFileName(
                self,
                translate("ImportTab", "Save refused rows"),
                "refused.xlsx",
                translate("ImportTab", "Spreadsheets (*.xlsx *.csv)"),
            )
            if not chosen:
                return None
            path = Path(chosen)
        saved = importing.save_refused(path, self.table_data, self.plan)
        self.result_label.setText(
            translate("ImportTab", "The refused rows are saved in {path}.").format(path=saved)
        )
        return saved

    def start_import(self) -> PoolJob | None:
        table = self.table_data
        if table is None or self.plan is None:
            return None
        kind, mapping, source = self.current_kind(), self.mapping(), self.source.text()
        actor = self.window_.staff
        self.cancel_flag.clear()
        flag = self.cancel_flag
        self.progress.setRange(0, 0)
        self.progress.setVisible(True)
        self.cancel_button.setVisible(True)
        self.cancel_button.setEnabled(True)
        self.result_label.setText(translate("ImportTab", "Importing…"))

        def work(progress: Any) -> importing.ImportResult:
            return importing.apply_import(
                actor, kind, table, mapping, source, progress=progress, cancel=flag.is_set
            )

        return self._run(work, self._imported)

    def cancel(self) -> None:
        self.cancel_flag.set()
        self.cancel_button.setEnabled(False)
        self.result_label.setText(translate("ImportTab", "Cancelling…"))

    def _imported(self, result: importing.ImportResult) -> None:
        c = result.counts
        self.result_label.setText(
            translate(
                "ImportTab",
                "Imported as batch {batch}: {customers} customers, {vehicles} vehicles, "
                "{orders} orders with {lines} lines; {refuse} rows refused.",
            ).format(
                batch=result.batch_id,
                customers=c["customers_created"],
                vehicles=c["vehicles_created"],
                orders=c["orders_created"],
                lines=c["lines_created"],
                refuse=c["refuse"],
            )
        )
        self.plan = None
        self.refresh()

    # -------------------------------------------------------------------- undo

    def undo_selected(self) -> QMessageBox | None:
        index = self.batch_view.currentIndex()
        if not index.isValid():
            message(
                self,
                translate("ImportTab", "Undo"),
                translate("ImportTab", "Choose an import in the list first."),
            )
            return None
        batch = self.batches.row_at(index.row())
        return ask(
            self,
            translate("ImportTab", "Undo"),
            translate(
                "ImportTab",
                "Remove everything import {batch} brought ({file})? This is refused if the shop "
                "has recorded anything on it since.",
            ).format(batch=batch.id, file=batch.file_name),
            translate("ImportTab", "Undo the import"),
            lambda: self.undo(batch.id),
        )

    def undo(self, batch_id: int) -> PoolJob:
        """Undo on a pool thread (a batch of 60,000 cars takes a while); a refusal is shown
        where the results are."""
        actor = self.window_.staff
        self.progress.setRange(0, 0)
        self.progress.setVisible(True)
        self.result_label.setText(
            translate("ImportTab", "Undoing import {batch}…").format(batch=batch_id)
        )
        return self._run(
            lambda _progress: importing.undo_import(actor, batch_id),
            lambda _batch: self._undone(batch_id),
        )

    def _undone(self, batch_id: int) -> None:
        self.result_label.setText(
            translate("ImportTab", "Import {batch} is undone.").format(batch=batch_id)
        )
        self.refresh()

    # -------------------------------------------------------------------- jobs

    def _run(self, work: Any, on_done: Any) -> PoolJob:
        self.generation += 1
        job = PoolJob(self.generation, work, translate("ImportTab", "The import"))
        job.progress.connect(self._progress)
        job.done.connect(lambda _g, result: self._finished(on_done, result))
        job.failed.connect(lambda _g, error: self._failed(error))
        self.job = job
        self._update_buttons()
        job.start()
        return job

    def _progress(self, _generation: int, done: int, total: int) -> None:
        self.progress.setRange(0, max(1, total))
        self.progress.setValue(done)

    def _stopped(self) -> None:
        self.job = None
        self.progress.setVisible(False)
        self.cancel_button.setVisible(False)

    def _finished(self, on_done: Any, result: Any) -> None:
        self._stopped()
        on_done(result)
        self._update_buttons()

    def _failed(self, error: str) -> None:
        self._stopped()
        self.result_label.setText(error)
        self.counts_label.setText(self.counts_label.text() if self.plan else "")
        if self.table_data is None:
            self.file_label.setText(error)
        self._update_buttons()
