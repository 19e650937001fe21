"""Starting the front-desk GUI: application, bundled font, language, database, sign-in, window."""

from __future__ import annotations

import gc
import logging
import os
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication, QDialog

from shop_desk import i18n, login_preview, paths
from shop_desk.dburl import sqlite_file

if TYPE_CHECKING:
    from PySide6.QtCore import QEventLoop

    from shop_desk.ui.shell.main_window import MainWindow

log = logging.getLogger("shop_desk.app")

#: Family of the bundled font (WenQuanYi Micro Hei) once loaded.
_cjk_family: str | None = None
#: Qt draws text with FreeType (Linux and the other Unix desktops), not DirectWrite or Core Text.
_FREETYPE = not sys.platform.startswith(("win", "darwin"))


def load_bundled_font(app: QApplication) -> str | None:
    """Register the bundled CJK font and make it the fallback family of the application font.

    Latin text keeps the platform's font; Chinese characters fall back to the bundled font,
    so a PC without CJK fonts (or the offscreen platform) still renders Chinese. Where Qt
    renders with FreeType, the application font asks for no hinting (see below)."""
    global _cjk_family
    if _cjk_family is None:
        font_id = QFontDatabase.addApplicationFont(str(paths.font_path()))
        families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
        if not families:
            log.warning("bundled font %s could not be loaded", paths.font_path())
            return None
        _cjk_family = families[0]
    font = QFont(app.font())
    base = [f for f in font.families() if f != _cjk_family] or [font.family()]
    font.setFamilies([*base, _cjk_family])
    if _FREETYPE:
        # No hinting instead of the usual "slight" hinting, which FreeType does with its
        # auto-hinter: that first goes over all 34,000 characters of the bundled font, then
        # hints every glyph drawn, 2 % of the start up to the login window (issue 24). Slight
        # hinting only nudges glyphs vertically, so the text keeps its widths and line heights
        # (every window still fits its screen) and looks the same but for slightly softer
        # horizontal strokes, as on macOS or a high-resolution screen.
        font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
    app.setFont(font)
    return _cjk_family


def create_application(lang: str | None = None) -> QApplication:
    """The QApplication (reused if one exists) with names for QSettings, font and language."""
    app = QApplication.instance()
    if app is None:
        app = QApplication([])
    assert isinstance(app, QApplication)
    QCoreApplication.setOrganizationName("shop-desk")
    QCoreApplication.setApplicationName("shop-desk")
    app.setApplicationDisplayName("shop-desk")
    load_bundled_font(app)
    i18n.install_language(lang)
    return app


def _show_unexpected(text: str, log_path: Path) -> None:
    from PySide6.QtWidgets import QMessageBox  # message boxes load when needed, not at start

    box = QMessageBox(
        QMessageBox.Icon.Critical,
        i18n.translate("App", "Unexpected error"),
        i18n.translate(
            "App",
            "Something went wrong that shop-desk did not expect. Your input is still on the screen; "
            "please try again or tell the administrator. Details are in {path}.",
        ).format(path=str(log_path)),
    )
    box.setDetailedText(text)
    box.exec()


def _integrity(db_path: str) -> tuple[bool, str]:
    """(ok, detail) of the quick integrity check (ok for a file that does not exist yet)."""
    from shop_desk import backup

    path = sqlite_file(db_path)
    if path is None or not path.exists():  # a server checks itself
        return True, "ok"
    return backup.integrity_ok(path)


def _report_damage(db_path: str, detail: str) -> None:
    """Say that the file failed its check and what to do (restore the newest backup)."""
    from shop_desk import backup

    path = sqlite_file(db_path) or db_path
    last = backup.last_backup()
    hint = (
        i18n.translate("App", "The newest backup is {file} from {when}.").format(
            file=last.path, when=last.taken_at.strftime("%Y-%m-%d %H:%M")
        )
        if last
        else i18n.translate("App", "No backup was found in the user data folder.")
    )
    log.error("integrity check failed for %s: %s", path, detail)
    from PySide6.QtWidgets import QMessageBox

    QMessageBox.critical(
        None,
        i18n.translate("App", "The database is damaged"),
        i18n.translate(
            "App",
            "The shop database {path} failed its integrity check ({detail}). Do not keep working "
            "on it. Close shop-desk on every PC, then restore the newest backup with "
            '"shop-desk restore BACKUP-FILE" or ask your IT person. {hint}',
        ).format(path=path, detail=detail, hint=hint),
    )


def startup_check(db_path: str) -> bool:
    """A quick integrity check before anyone works on the file; says what to do if it fails."""
    ok, detail = _integrity(db_path)
    if not ok:
        _report_damage(db_path, detail)
    return ok


class _CheckSignals(QObject):
    finished = Signal(bool, str)


class StartupCheck:
    """The integrity check of :func:`startup_check` on a worker thread.

    ``PRAGMA quick_check`` reads the whole file: seconds for a ten-year shop. It starts when the
    login window is up and runs while the user picks a name and types the PIN; nobody gets to
    the main window before it has passed (:meth:`wait`), and a damaged file closes the login
    window with the message of :func:`startup_check`."""

    def __init__(self, db_path: str) -> None:
        self.db_path = db_path
        self.result: tuple[bool, str] | None = None
        self.signals = _CheckSignals()
        self.signals.finished.connect(self._finished)
        self._thread: threading.Thread | None = None
        self._on_damage: list[Callable[[], object]] = []
        self._loop: QEventLoop | None = None

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="startup-check", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        try:
            ok, detail = _integrity(self.db_path)
        except Exception as exc:  # reported like a failed check, never lost in the thread
            ok, detail = False, str(exc)
        self.signals.finished.emit(ok, detail)

    def _finished(self, ok: bool, detail: str) -> None:
        self.result = (ok, detail)
        if self._loop is not None:
            self._loop.quit()
        if not ok:
            for callback in self._on_damage:
                callback()

    def on_damage(self, callback: Callable[[], object]) -> None:
        """Call ``callback`` (in the GUI thread) if the check fails."""
        self._on_damage.append(callback)

    def wait(self) -> bool:
        """Wait (the windows stay painted, a busy cursor shows) until the check is done; True
        if the file passed."""
        self.start()
        if self.result is None:
            # not before the login window: Qt's namespace (see ui/shell/prefs.py), and PySide
            # prepares every class at its first use
            from PySide6.QtCore import QEventLoop, Qt

            self._loop = QEventLoop()
            QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
            try:
                if self.result is None:  # the result arrives as an event of this loop
                    self._loop.exec()
            finally:
                QApplication.restoreOverrideCursor()
                self._loop = None
        assert self.result is not None
        return self.result[0]


def _bench_mark(name: str) -> None:
    """benchmarks/run.py's marker: wall clock, then this process's CPU time (the benchmark
    compares both with a bare window's)."""
    print(f"{name} {time.time():.6f} {time.process_time():.6f}", flush=True)


def _collector_on() -> None:
    """Python's garbage collector back on: the desktop start holds it off until the login window
    is painted and the database behind it open (see cli._main)."""
    gc.enable()


def _setup_logging() -> None:
    """The log file and the error dialog for unexpected errors (idempotent)."""
    from shop_desk.logsetup import install_excepthook, setup_logging

    setup_logging()
    install_excepthook(_show_unexpected)


def _open(db_path: str) -> bool:
    """Open (and if need be upgrade) the database; a message instead of a crash if it fails."""
    from shop_desk import station
    from shop_desk.db import open_database, redacted

    shown = redacted(db_path)  # a server's password stays out of the log and the messages
    log.info("station %r opens the database %s", station.station_name(), shown)
    try:
        open_database(db_path)
    except Exception as exc:  # a damaged or newer file (DomainError) or no access: say so
        log.exception("cannot open database %s", shown)
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.critical(
            None,
            i18n.translate("App", "Cannot open the database"),
            i18n.translate("App", "The database {path} cannot be opened: {error}").format(
                path=shown, error=exc
            ),
        )
        return False
    return True


class Startup:
    """The steps of :func:`run_gui` one at a time: the end-to-end walks start the application
    exactly as ``shop-desk`` does, and sign in at its real window instead of waiting in
    ``exec()``.

    An empty database first asks for the administrator account (first start). Otherwise the
    login window comes first, filled with the list this PC remembered from its last start with
    this database (a file or a server), or else, for an SQLite file, from a direct read of its
    staff table (:mod:`shop_desk.login_preview`); the database is opened (peewee, the models,
    the schema check) on the first turn of its event loop, the list is put right from it, and
    the integrity check runs in a thread while the user types the PIN. Nobody reaches the main
    window before both have passed."""

    def __init__(self, db_path: str, lang: str | None = None) -> None:
        self.db_path = db_path
        self.app = create_application(lang)
        # benchmarks/run.py: "1" ends the process once the login window shows, "ready" once
        # the database behind it is open too
        self.bench = os.environ.get("SHOP_DESK_BENCH_EXIT_AT_LOGIN", "")
        self.check = StartupCheck(db_path)
        from shop_desk.ui.shell.login import remembered_list

        self.preview = remembered_list(db_path) or login_preview.read(db_path)
        self.opened = self.preview is None
        self.failed: list[str] = []
        self.dialog: QDialog | None = None

    def begin(self) -> QDialog | int:
        """The window to sign in at, not yet shown: the login window, or the first-start
        dialog of an empty database; an exit code when the database cannot be used."""
        if self.opened:
            _setup_logging()
            if not _open(self.db_path):
                _collector_on()
                return 2
        from shop_desk.ui.shell.login import FirstStartDialog, LoginDialog

        if self.preview is None:
            from shop_desk.models import Staff

            if not Staff.select().exists():
                _collector_on()
                if not self.check.wait():
                    self._damaged()
                    return 3
                self.dialog = FirstStartDialog()
                return self.dialog
        login = LoginDialog(preview=self.preview, keys_later=True)
        self.dialog = login
        login.login.before_sign_in = self._open_now
        self.check.on_damage(lambda: (self.failed.append("damaged"), login.reject()))
        QTimer.singleShot(0, self._after_shown)
        return login

    def _open_now(self) -> bool:
        if not self.opened and not self.failed:
            if _open(self.db_path):
                self.opened = True
            else:
                self.failed.append("open")
                assert self.dialog is not None
                self.dialog.reject()
        return self.opened

    def _after_shown(self) -> None:
        """The login window's first turn of the event loop. Its first paint is an event still
        waiting: it goes first, so the window is seen at once. Then the keyboard, then the
        database behind the window (its list put right), then the integrity check."""
        from shop_desk.ui.shell.login import LoginDialog

        login = self.dialog
        assert isinstance(login, LoginDialog)
        QApplication.processEvents()
        if self.bench:  # benchmarks/run.py: the cold start up to the painted login window
            _bench_mark("LOGIN_SHOWN")
            if self.bench != "ready":
                login.reject()
                return
        try:
            if not login.isVisible():  # cancelled (or signed in) while it painted
                return
            login.login.listen_to_keys()
            _setup_logging()
            if self._open_now():
                self._list_from_database()
                self.check.start()
        finally:
            _collector_on()
        if self.bench:
            _bench_mark("LOGIN_READY")
            login.reject()

    def _list_from_database(self) -> None:
        """The login list as the open database has it, in the window (which showed what this PC
        remembered, or read from the file directly) and kept for the next start."""
        from shop_desk.ui.shell.login import LoginDialog, current_preview, remember_list

        fresh = current_preview()
        remember_list(self.db_path, fresh)
        if not isinstance(self.dialog, LoginDialog):
            return
        if not fresh.staff:  # a new, empty database where this PC knew one: the first start
            self.failed.append("no staff")
            self.dialog.reject()
            return
        self.dialog.login.update_staff(fresh)

    def _damaged(self) -> None:
        _report_damage(self.db_path, self.check.result[1] if self.check.result else "")

    def finish(self, accepted: bool) -> MainWindow | int:
        """After the sign-in window closed: the main window, shown, for whoever signed in;
        or the exit code (cancelled, the database could not be opened or is damaged)."""
        from shop_desk.ui.shell.login import FirstStartDialog

        _collector_on()  # on already, unless the login window closed before its first turn
        dialog = self.dialog
        assert dialog is not None
        if isinstance(dialog, FirstStartDialog):
            if not accepted:
                return 1
        else:
            if "open" in self.failed:
                return 2
            if self.failed == ["no staff"]:  # the list was remembered: the first start
                if not self.check.wait():
                    self._damaged()
                    return 3
                self.failed.clear()
                first = FirstStartDialog()
                self.dialog = first
                return self.finish(first.exec() == QDialog.DialogCode.Accepted)
            if self.bench:
                return 0
            if not accepted and not self.failed:
                return 0
            if self.failed or not self.check.wait():  # nobody works on a file that failed
                self._damaged()
                return 3
        staff = dialog.staff  # type: ignore[attr-defined]
        _start_backups(self.app)
        from shop_desk.ui.shell.main_window import MainWindow

        window = MainWindow(staff)
        window.show()
        window.focus_page()
        return window

    def close(self) -> None:
        """Close the database (if it was opened at all)."""
        db = sys.modules.get("shop_desk.db")  # not loaded if the window closed before it opened
        if db is not None:
            db.close_database()


def run_gui(db_path: str, lang: str | None = None) -> int:
    """Open ``db_path``, sign someone in and run the main window; the process exit code
    (see :class:`Startup`)."""
    startup = Startup(db_path, lang)
    try:
        dialog = startup.begin()
        if isinstance(dialog, int):
            return dialog
        window = startup.finish(dialog.exec() == QDialog.DialogCode.Accepted)
        if isinstance(window, int):
            return window
        return int(startup.app.exec())
    finally:
        startup.close()


def _start_backups(app: QApplication) -> None:
    """The automatic backup (at start, then daily) once the file has passed its check."""
    from shop_desk.ui.admin.backups import BackupScheduler, current_db_path

    sqlite_file = current_db_path()
    if sqlite_file is None:
        return
    scheduler = BackupScheduler(sqlite_file, parent=app)
    scheduler.failed.connect(lambda error: log.error("automatic backup failed: %s", error))
    scheduler.done.connect(lambda path: log.info("automatic backup saved: %s", path))
    scheduler.start()
