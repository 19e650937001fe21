"""Backups from the app: automatic at start, the Admin tab, restore, and the start-up check."""

from __future__ import annotations

from shop_desk import backup
from shop_desk.models import Customer


def test_scheduler_backs_up_at_start(qtbot, db, db_path, tmp_path):
    from shop_desk.ui.admin.backups import BackupScheduler

    scheduler = BackupScheduler(db_path, tmp_path / "bk")
    with qtbot.waitSignal(scheduler.done, timeout=10000) as blocker:
        scheduler.start()
    assert backup.integrity_ok(blocker.args[0]) == (True, "ok")
    assert [b.path.name for b in backup.list_backups(tmp_path / "bk")] == [
        backup.list_backups(tmp_path / "bk")[0].path.name
    ]
    scheduler.run_if_due()  # the newest backup is not a day old: nothing new starts
    assert not scheduler.running


def test_admin_tab_backs_up_and_restores(qtbot, make_window, tmp_path):
    window = make_window("admin")
    page = window.show_page("admin")
    tab = page.show_tab("backups")
    tab.folder = tmp_path / "bk"
    Customer.create(name="还原前 Before", phone="13800000011")
    job = tab.backup_now()
    qtbot.waitUntil(lambda: tab.model.rowCount() == 1, timeout=10000)
    assert job is not None and tab.backup_button.isEnabled()
    assert "Last backup" in tab.last_label.text()
    Customer.create(name="还原后 After", phone="13800000012")
    tab.table.selectRow(0)
    box = tab.restore_selected()
    yes = box.findChild(type(box.defaultButton()), "yesButton")
    yes.click()
    names = {c.name for c in Customer.select()}
    assert "还原前 Before" in names and "还原后 After" not in names


def test_technician_cannot_restore(qtbot, make_window, staff):
    from shop_desk.ui.admin.backups import BackupsTab

    class W:
        pass

    w = W()
    w.staff = staff["manager"]
    tab = BackupsTab(w)
    qtbot.addWidget(tab)
    assert not tab.restore_button.isEnabled()


def test_damaged_database_is_refused_at_start(tmp_path, monkeypatch, qapp):
    from PySide6.QtWidgets import QMessageBox

    from shop_desk import app as app_module

    bad = tmp_path / "bad.db"
    bad.write_bytes(b"SQLite format 3\x00" + b"\x01" * 4000)
    shown = []
    monkeypatch.setattr(QMessageBox, "critical", lambda *a, **k: shown.append(a[2]))
    assert app_module.startup_check(str(bad)) is False
    assert shown and "integrity check" in shown[0] and "restore" in shown[0]


def test_after_a_restore_every_window_signs_out_with_a_message(qtbot, make_window, tmp_path):
    """Issue 17 item 7: the window that restored and every other window of the shop sign out,
    saying why; signing in again works on the restored file."""
    from shop_desk.ui.admin.backups import current_db_path

    window = make_window("admin")
    other = make_window("advisor")
    other.poll_notices()  # the other window is watching the file
    assert not other.locked
    tab = window.show_page("admin").show_tab("backups")
    tab.folder = tmp_path / "bk"
    made = backup.take_backup(current_db_path(), tab.folder)
    Customer.create(name="还原后 After", phone="13800000013")
    assert tab.restore(made)
    for w in (window, other):
        if w is other:
            other.poll_notices()
        assert w.locked
        assert "restored from a backup" in w.lock_screen.login.heading_label.text()
    assert "kept as" in window.lock_screen.login.heading_label.text()
    assert not Customer.select().where(Customer.phone == "13800000013").exists()
    other.poll_notices()  # the new file is watched from now on: no second sign-out
    assert other.watcher is None or not other.watcher.replaced
