"""The start path: the login window first (from the list this PC remembered, or a direct read
of the file), painted before the database and its integrity check behind it open; the list put
right from the database; nobody reaches the main window on a damaged file."""

from __future__ import annotations

import contextlib
import gc
import os
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from shop_desk import app as app_module
from shop_desk import backup, login_preview
from shop_desk.db import close_database, open_database
from shop_desk.login_preview import LoginPreview, StaffEntry
from shop_desk.ui.shell.login import (
    LoginDialog,
    active_staff,
    remember_list,
    remembered_list,
)


def test_login_preview_lists_what_the_models_list(db_path):
    preview = login_preview.read(str(db_path))
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
    assert login_preview.read(str(tmp_path / "new.db")) is None
    assert login_preview.read("postgresql://u:p@localhost/shop") is None
    (tmp_path / "junk.db").write_bytes(b"not a database at all" * 100)
    assert login_preview.read(str(tmp_path / "junk.db")) is None


def test_login_window_before_the_models_of_the_preview(qtbot, db_path):
    """The dialog built from the preview shows the same list as the one that reads itself."""
    preview = login_preview.read(str(db_path))
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
    start = app_module.StartupCheck.start

    def watch(check: app_module.StartupCheck) -> None:
        # the check begins behind the login window, shown and painted
        modal = QApplication.activeModalWidget()
        if isinstance(modal, LoginDialog) and modal.isVisible() and "login" not in seen:
            seen.append("login")
        start(check)

    monkeypatch.setattr(app_module.StartupCheck, "start", watch)
    guard = QTimer()
    guard.setSingleShot(True)
    guard.timeout.connect(lambda: QApplication.exit(9))
    guard.start(15000)
    try:
        code = app_module.run_gui(str(db_path), "en")
    finally:
        guard.stop()
    assert code == 3
    assert seen == ["login"]
    assert shown and "page 7 is never used" in shown[0] and "restore" in shown[0]


def test_startup_check_waits_for_the_thread(qapp, db_path):
    check = app_module.StartupCheck(str(db_path))
    assert check.wait() is True
    assert check.result == (True, "ok")


@contextlib.contextmanager
def _started(qtbot, db_path, monkeypatch, log: list[str]):
    """shop-desk started as ``run_gui`` starts it, up to its login window (not yet shown);
    "open" is added to ``log`` when the database opens."""
    opened = app_module._open
    monkeypatch.setattr(app_module, "_open", lambda path: (log.append("open"), opened(path))[1])
    startup = app_module.Startup(str(db_path), "en")
    try:
        dialog = startup.begin()
        assert isinstance(dialog, LoginDialog)
        qtbot.addWidget(dialog)
        yield startup, dialog
    finally:
        startup.check.wait()
        startup.close()


def _rows(dialog: LoginDialog) -> list[str]:
    return [dialog.login.model.item(r).text() for r in range(dialog.login.model.rowCount())]


def test_the_remembered_list_round_trips_and_belongs_to_one_database(qapp, db_path, tmp_path):
    preview = login_preview.read(str(db_path))
    assert preview is not None
    assert login_preview.from_lines(login_preview.to_lines(preview)) == preview
    assert login_preview.from_lines(["shop", "x\tbroken"]) is None
    assert login_preview.from_lines([]) is None
    remember_list(str(db_path), preview)
    assert remembered_list(str(db_path)) == preview
    assert remembered_list(f"sqlite:///{db_path}") == preview  # the same file
    from shop_desk.ui.shell.prefs import app_settings

    app_settings().sync()
    ini = Path(app_settings().fileName())
    written = ini.stat().st_mtime_ns
    os.utime(ini, ns=(written - 10**9, written - 10**9))  # a write now would show
    remember_list(str(db_path), preview)  # the same list at the next start: not written again
    app_settings().sync()
    assert ini.stat().st_mtime_ns == written - 10**9
    other = tmp_path / "other.db"
    other.write_bytes(db_path.read_bytes())
    assert remembered_list(str(other)) is None
    # a server's list is kept under its URL without the password
    url = "postgresql://desk:s3cret@shop-server:5432/shop"
    remember_list(url, preview)
    assert remembered_list(url) == preview
    assert "s3cret" not in str(app_settings().value("login/list_db"))
    # a list without anyone is not kept, and a file that is gone has none
    remember_list(str(db_path), preview)
    db_path.unlink()
    assert remembered_list(str(db_path)) is None
    remember_list(url, LoginPreview("shop", []))
    assert remembered_list(url) is None


def test_a_start_shows_the_remembered_list_then_the_database_s(qtbot, db_path, monkeypatch):
    """The PC remembered a list from its last start; meanwhile someone left and someone was
    added. The window shows the remembered list without reading the file, paints, and then
    puts the list right from the database; the person picked and the PIN typed stay."""
    fresh = login_preview.read(str(db_path))
    assert fresh is not None and len(fresh.staff) > 3
    gone = StaffEntry(999, "王五 Wang Wu", "wangwu", ["washer"])
    stale = LoginPreview(fresh.shop_name, [gone, *fresh.staff[1:]])
    remember_list(str(db_path), stale)
    kept = fresh.staff[2]

    def no_read(path: str) -> None:
        raise AssertionError("the file was read although the PC remembered its list")

    monkeypatch.setattr(login_preview, "read", no_read)
    order: list[str] = []
    with _started(qtbot, db_path, monkeypatch, order) as (startup, dialog):
        assert any("Wang Wu" in row for row in _rows(dialog))
        assert not any(fresh.staff[0].name in row for row in _rows(dialog))
        dialog.login.select_login(kept.login)
        dialog.login.pin_edit.setText("12")
        dialog.show()
        qtbot.waitUntil(lambda: startup.opened, timeout=10_000)
        assert order == ["open"]
        rows = _rows(dialog)
        assert not any("Wang Wu" in row for row in rows)
        assert any(fresh.staff[0].name in row for row in rows)
        assert dialog.login.selected_staff_id() == kept.id
        assert dialog.login.pin_edit.text() == "12"
        assert remembered_list(str(db_path)) == fresh


def test_the_login_window_paints_before_the_database_opens(qtbot, db_path, monkeypatch):
    """The window's first paint goes before opening the database (which loads peewee and the
    models): the login window is seen at once, not after them."""
    from PySide6.QtCore import QEvent, QObject

    seen: list[str] = []

    class Paints(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
            if event.type() == QEvent.Type.Paint and "paint" not in seen:
                seen.append("paint")
            return False

    gc.disable()  # as the desktop's start does (cli._main): on again once the window is painted
    try:
        with _started(qtbot, db_path, monkeypatch, seen) as (startup, dialog):
            paints = Paints()
            dialog.installEventFilter(paints)
            dialog.show()
            qtbot.waitUntil(lambda: startup.opened, timeout=10_000)
            assert seen == ["paint", "open"]
            assert gc.isenabled()
    finally:
        gc.enable()


def test_the_first_start_turns_the_garbage_collector_on(qapp, tmp_path):
    from shop_desk.ui.shell.login import FirstStartDialog

    gc.disable()
    try:
        startup = app_module.Startup(str(tmp_path / "new.db"), "en")
        try:
            dialog = startup.begin()
            assert isinstance(dialog, FirstStartDialog)
            assert gc.isenabled()
            dialog.deleteLater()
        finally:
            startup.close()
    finally:
        gc.enable()


def test_a_remembered_list_for_a_database_now_empty_leads_to_the_first_start(
    qtbot, tmp_path, db_path, monkeypatch
):
    """The server's database was made again, empty, under the same name: the login window
    shows what this PC remembered, closes when the database has nobody, and the first-start
    dialog asks for the administrator instead."""
    from PySide6.QtWidgets import QDialog

    from shop_desk.ui.shell.login import FirstStartDialog

    empty = tmp_path / "empty.db"
    open_database(empty)
    close_database()
    remember_list(str(empty), login_preview.read(str(db_path)))
    asked: list[QDialog] = []

    def cancel(dialog: QDialog) -> int:
        asked.append(dialog)
        return QDialog.DialogCode.Rejected

    monkeypatch.setattr(FirstStartDialog, "exec", cancel)
    with _started(qtbot, empty, monkeypatch, []) as (startup, dialog):
        assert dialog.login.model.rowCount() > 0  # the remembered list, at first
        dialog.show()
        qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10_000)
        assert startup.finish(False) == 1  # the first start, cancelled
        assert len(asked) == 1 and isinstance(asked[0], FirstStartDialog)
        assert remembered_list(str(empty)) is None
