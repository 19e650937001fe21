"""Starting the front-desk GUI: application, bundled font, language, database, sign-in, window."""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from shop_desk import i18n, paths

log = logging.getLogger("shop_desk.app")

#: Family of the bundled font (WenQuanYi Micro Hei) once loaded.
_cjk_family: str | None = None


def load_bundled_font(app: QApplication) -> str | None:
    """Register the bundled CJK font and make it the fallback family of the application font.

    Latin text keeps the platform's font; Chinese characters fall back to the bundled font,
    so a PC without CJK fonts (or the offscreen platform) still renders Chinese."""
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


def startup_check(db_path: str) -> bool:
    """A quick integrity check before anyone works on the file; says what to do if it fails."""
    from shop_desk import backup

    path = Path(str(db_path).removeprefix("sqlite:///"))
    if not path.exists():
        return True
    ok, detail = backup.integrity_ok(path)
    if ok:
        return True
    last = backup.last_backup()
    hint = (
        i18n.translate("App", "The newest backup is {file} from {when}.").format(
            file=last.path, when=last.taken_at.strftime("%Y-%m-%d %H:%M")
        )
        if last
        else i18n.translate("App", "No backup was found in the user data folder.")
    )
    log.error("integrity check failed for %s: %s", path, detail)
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
    return False


def run_gui(db_path: str, lang: str | None = None) -> int:
    """Open ``db_path``, sign someone in and run the main window; the process exit code.

    An empty database first asks for the administrator account (first start)."""
    from shop_desk.db import close_database, open_database
    from shop_desk.logsetup import install_excepthook, setup_logging
    from shop_desk.models import Staff

    setup_logging()
    app = create_application(lang)
    install_excepthook(_show_unexpected)
    try:
        open_database(db_path)
    except (
        Exception
    ) as exc:  # a damaged or newer file (DomainError) or no access: say so, do not crash
        log.exception("cannot open database %s", db_path)
        QMessageBox.critical(
            None,
            i18n.translate("App", "Cannot open the database"),
            i18n.translate("App", "The database {path} cannot be opened: {error}").format(
                path=db_path, error=exc
            ),
        )
        return 2

    if not startup_check(db_path):
        close_database()
        return 3

    from shop_desk.ui.backups import BackupScheduler, current_db_path
    from shop_desk.ui.login import FirstStartDialog, LoginDialog
    from shop_desk.ui.main_window import MainWindow

    scheduler = None
    sqlite_file = current_db_path()
    if sqlite_file is not None and not os.environ.get("SHOP_DESK_BENCH_EXIT_AT_LOGIN"):
        scheduler = BackupScheduler(sqlite_file, parent=app)
        scheduler.failed.connect(lambda error: log.error("automatic backup failed: %s", error))
        scheduler.done.connect(lambda path: log.info("automatic backup saved: %s", path))
        scheduler.start()

    try:
        staff = None
        if not Staff.select().exists():
            first = FirstStartDialog()
            if first.exec() != QDialog.DialogCode.Accepted:
                return 1
            staff = first.staff
        if staff is None:
            login = LoginDialog()
            if os.environ.get("SHOP_DESK_BENCH_EXIT_AT_LOGIN"):
                # benchmarks/run.py measures the cold start up to the visible login window
                QTimer.singleShot(
                    0, lambda: (print(f"LOGIN_SHOWN {time.time():.6f}", flush=True), login.reject())
                )
            if login.exec() != QDialog.DialogCode.Accepted:
                return 0
            staff = login.staff
        window = MainWindow(staff)
        window.show()
        return int(app.exec())
    finally:
        close_database()
