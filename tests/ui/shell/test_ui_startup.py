"""The start path: the login window first (from a direct read of the file), the database and
its integrity check behind it; nobody reaches the main window on a damaged file."""

from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from shop_desk import app as app_module
from shop_desk import backup
from shop_desk.db import close_database, open_database
from shop_desk.ui.shell.login import LoginDialog, active_staff


def test_login_preview_lists_what_the_models_list(db_path):
    preview = app_module._login_preview(str(db_path))
    assert preview is not None
    open_database(db_path)
    try:
        expected = [(s.id, s.name, s.login, roles) for s, roles in active_staff()]
        from shop_desk.services.orders import settings

        shop = settings().name
    finally:
        close_database()
    assert [tuple(e) for e in preview.staff] == expected
    assert preview.shop_name == shop


def test_no_preview_for_a_new_file_or_a_server(tmp_path):
    assert app_module._login_preview(str(tmp_path / "new.db")) is None
    assert app_module._login_preview("postgresql://u:p@localhost/shop") is None
    (tmp_path / "junk.db").write_bytes(b"not a database at all" * 100)
    assert app_module._login_preview(str(tmp_path / "junk.db")) is None


def test_login_window_before_the_models_of_the_preview(qtbot, db_path):
    """The dialog built from the preview shows the same list as the one that reads itself."""
    preview = app_module._login_preview(str(db_path))
    early = LoginDialog(preview=preview)
    qtbot.addWidget(early)
    open_database(db_path)
    try:
        late = LoginDialog()
        qtbot.addWidget(late)
        rows = [early.login.model.item(r).text() for r in range(early.login.model.rowCount())]
        assert rows == [late.login.model.item(r).text() for r in range(late.login.model.rowCount())]
        assert early.login.shop_label.text() == late.login.shop_label.text()
    finally:
        close_database()


@pytest.fixture
def no_excepthook_leak(monkeypatch):
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # run_gui installs its own


def test_damaged_file_closes_the_login_window_and_says_what_to_do(
    qapp, db_path, monkeypatch, no_excepthook_leak
):
    """The check runs in a thread while the login window is up; when it fails the window
    closes, the message says to restore, and run_gui ends with 3 (no main window)."""
    monkeypatch.setattr(backup, "integrity_ok", lambda path: (False, "page 7 is never used"))
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda *a, **k: shown.append(a[2]))
    seen: list[str] = []

    def watch() -> None:
        modal = QApplication.activeModalWidget()
        if isinstance(modal, LoginDialog) and "login" not in seen:
            seen.append("login")

    timer = QTimer()
    timer.timeout.connect(watch)
    timer.start(10)
    guard = QTimer()
    guard.setSingleShot(True)
    guard.timeout.connect(lambda: QApplication.exit(9))
    guard.start(15000)
    try:
        code = app_module.run_gui(str(db_path), "en")
    finally:
        timer.stop()
        guard.stop()
    assert code == 3
    assert seen == ["login"]
    assert shown and "page 7 is never used" in shown[0] and "restore" in shown[0]


def test_startup_check_waits_for_the_thread(qapp, db_path):
    check = app_module.StartupCheck(str(db_path))
    assert check.wait() is True
    assert check.result == (True, "ok")
