"""Backups in the app: automatic at start and daily, and the Admin tab to back up and restore.

The copy runs on a worker thread (SQLite's online backup API, so other stations keep
working); the GUI only shows progress and the result.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from shop_desk import backup
from shop_desk.db import database, open_database
from shop_desk.errors import DomainError
from shop_desk.i18n import translate
from shop_desk.roles import Role
from shop_desk.ui.shell.models import Column, RowTableModel
from shop_desk.ui.shell.widgets import ask, message

CHECK_EVERY_MS = 60 * 60 * 1000  # look once an hour whether today's backup is due
DAILY = dt.timedelta(hours=24)


def current_db_path() -> Path | None:
    """The SQLite file the app works on (None for a server database)."""
    obj = database.obj
    name = getattr(obj, "database", None)
    if not name or name == ":memory:" or "://" in str(name):
        return None
    return Path(name)


class _Signals(QObject):
    progress = Signal(int, int)
    done = Signal(str)
    failed = Signal(str)


class BackupJob(QRunnable):
    """One backup on a pool thread; results arrive through ``signals`` on the GUI thread."""

    def __init__(self, db_path: Path, folder: Path | None = None) -> None:
        super().__init__()
        self.db_path, self.folder = db_path, folder
        self.signals = _Signals()

    def run(self) -> None:
        try:
            made = backup.take_backup(
                self.db_path, self.folder, progress=lambda d, t: self.signals.progress.emit(d, t)
            )
        except (OSError, DomainError, Exception) as exc:  # report any failure to the GUI
            self.signals.failed.emit(str(exc))
            return
        self.signals.done.emit(str(made))


class BackupScheduler(QObject):
    """Backs up at start and again whenever the newest backup is a day old."""

    done = Signal(str)
    failed = Signal(str)

    def __init__(
        self, db_path: Path, folder: Path | None = None, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.db_path, self.folder = db_path, folder
        self.running = False
        self.timer = QTimer(self)
        self.timer.setInterval(CHECK_EVERY_MS)
        self.timer.timeout.connect(self.run_if_due)

    def start(self) -> None:
        self.backup_now()
        self.timer.start()

    def run_if_due(self) -> None:
        last = backup.last_backup(self.folder)
        if last is None or dt.datetime.now() - last.taken_at >= DAILY:
            self.backup_now()

    def backup_now(self) -> BackupJob | None:
        if self.running:
            return None
        self.running = True
        job = BackupJob(self.db_path, self.folder)
        job.signals.done.connect(self._done)
        job.signals.failed.connect(self._failed)
        QThreadPool.globalInstance().start(job)
        return job

    def _done(self, path: str) -> None:
        self.running = False
        self.done.emit(path)

    def _failed(self, error: str) -> None:
        self.running = False
        self.failed.emit(error)


class BackupsTab(QWidget):
    """Admin tab: the last backup, the list, "Back up now" and "Restore…"."""

    def __init__(self, window: QWidget, folder: Path | None = None) -> None:
        super().__init__()
        self.window_ = window
        self.folder = folder
        self.setObjectName("backupsTab")
        self.last_label = QLabel()
        self.last_label.setWordWrap(True)
        self.model = RowTableModel(
            [
                Column(lambda: translate("Backups", "Taken at"), lambda b: b.taken_at),
                Column(
                    lambda: translate("Backups", "Size (MB)"),
                    lambda b: round(b.size / 1_048_576, 1),
                    align_right=True,
                ),
                Column(lambda: translate("Backups", "File"), lambda b: b.path.name),
            ],
            self,
        )
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        self.backup_button = QPushButton(translate("Backups", "Back up now"))
        self.restore_button = QPushButton(translate("Backups", "Restore the selected backup…"))
        self.backup_button.clicked.connect(self.backup_now)
        self.restore_button.clicked.connect(self.restore_selected)
        staff = getattr(window, "staff", None)
        is_admin = staff is not None and Role.ADMIN.value in staff.role_set()
        self.restore_button.setEnabled(is_admin)
        buttons = QHBoxLayout()
        buttons.addWidget(self.backup_button)
        buttons.addWidget(self.restore_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.last_label)
        layout.addLayout(buttons)
        layout.addWidget(self.progress)
        layout.addWidget(self.table, 1)
        note = QLabel(
            translate(
                "Backups",
                "Backups are taken automatically when shop-desk starts and every day while it runs; "
                "the newest of each of the last 14 days and 12 months are kept. Before restoring, "
                "close shop-desk on every other PC.",
            )
        )
        note.setWordWrap(True)
        layout.addWidget(note)
        self.job: BackupJob | None = None
        self.refresh()

    def backups_folder(self) -> Path:
        db_path = current_db_path()
        return backup.backup_dir(db_path or Path("."), self.folder)

    def refresh(self) -> None:
        items = backup.list_backups(self.backups_folder())
        self.model.set_rows(items)
        if items:
            self.last_label.setText(
                translate("Backups", "Last backup: {when} ({file}) in {folder}").format(
                    when=items[0].taken_at.strftime("%Y-%m-%d %H:%M"),
                    file=items[0].path.name,
                    folder=self.backups_folder(),
                )
            )
        else:
            self.last_label.setText(
                translate("Backups", "No backup yet in {folder}.").format(
                    folder=self.backups_folder()
                )
            )

    def backup_now(self) -> BackupJob | None:
        db_path = current_db_path()
        if db_path is None:
            message(
                self,
                translate("Backups", "Backups"),
                translate("Backups", "This database is backed up on the server."),
            )
            return None
        self.backup_button.setEnabled(False)
        self.progress.setVisible(True)
        self.progress.setRange(0, 0)
        self.job = BackupJob(db_path, self.folder)
        self.job.signals.progress.connect(self._progress)
        self.job.signals.done.connect(self._done)
        self.job.signals.failed.connect(self._failed)
        QThreadPool.globalInstance().start(self.job)
        return self.job

    def _progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(1, total))
        self.progress.setValue(done)

    def _done(self, path: str) -> None:
        self.progress.setVisible(False)
        self.backup_button.setEnabled(True)
        self.refresh()
        bar = getattr(self.window_, "statusBar", None)
        if callable(bar):
            bar().showMessage(translate("Backups", "Backup saved: {path}").format(path=path), 8000)

    def _failed(self, error: str) -> None:
        self.progress.setVisible(False)
        self.backup_button.setEnabled(True)
        message(self, translate("Backups", "Backup failed"), error, QMessageBox.Icon.Critical)

    def restore_selected(self) -> QMessageBox | None:
        """Ask, then restore the selected backup (see :meth:`restore`)."""
        index = self.table.currentIndex()
        if not index.isValid() or current_db_path() is None:
            message(
                self,
                translate("Backups", "Restore"),
                translate("Backups", "Choose a backup in the list first."),
            )
            return None
        item = self.model.row_at(index.row())
        question = translate(
            "Backups",
            "Replace the shop database with the backup of {when}? Everything entered after that "
            "time is taken out (the current database is kept aside as a file). Close shop-desk on "
            "every other PC first.",
        ).format(when=item.taken_at.strftime("%Y-%m-%d %H:%M"))
        return ask(
            self,
            translate("Backups", "Restore"),
            question,
            translate("Backups", "Restore"),
            lambda: self.restore(item.path),
        )

    def restore(self, backup_file: Path) -> bool:
        """Close the database, put the checked backup in its place and open it again; then
        this window signs out (it may show, or be signed in as, what the backup lacks).
        Refused, with the station names, while the shop is open anywhere else."""
        db_path = current_db_path()
        if db_path is None:
            return False
        database.obj.close()
        try:
            aside = backup.restore(backup_file, db_path)
        except DomainError as exc:
            open_database(db_path)
            message(self, translate("Backups", "Restore"), str(exc), QMessageBox.Icon.Critical)
            return False
        open_database(db_path)
        done = translate(
            "Backups", "The backup is restored. The previous database is kept as {path}."
        ).format(path=aside)
        self.refresh()
        signed_out = getattr(self.window_, "database_replaced", None)
        if callable(signed_out):  # this window signs out too; the others notice by themselves
            signed_out(done)
        else:
            message(self, translate("Backups", "Restore"), done, QMessageBox.Icon.Information)
        return True
