"""A person's certifications on the admin desk's staff tab, driven through the widgets: the
list with its state today, add one, a refusal in words, renew and withdraw (a manager
may too)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt

from shop_desk.models import AuditLog, Staff, StaffCertification
from shop_desk.services import certifications
from shop_desk.ui.admin.certifications import (
    CertificationDialog,
    CertificationsDialog,
    RenewDialog,
    WithdrawDialog,
)

DAY = dt.date(2026, 11, 2)


def _tab(make_window, login="admin"):
    window = make_window(login)
    return window, window.show_page("admin").show_tab("staff")


def _click(qtbot, button):
    assert button.isEnabled()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _open_certs(qtbot, tab, login: str) -> CertificationsDialog:
    person = Staff.get(Staff.login == login)
    assert tab.select_where(lambda r: r["id"] == person.id)
    _click(qtbot, tab.certs_button)
    dialog = tab.certifications_dialog
    assert isinstance(dialog, CertificationsDialog) and dialog.isVisible()
    return dialog


def _visible(parent, kind):
    return next(d for d in parent.findChildren(kind) if d.isVisible())


def _select(dialog: CertificationsDialog, skill_label: str) -> None:
    for r in range(dialog.model.rowCount()):
        if dialog.model.row_at(r)["skill"] == skill_label and dialog.model.row_at(r)["in_force"]:
            dialog.table.selectRow(r)
            return
    raise AssertionError(f"no {skill_label} row")


def test_the_list_shows_a_technicians_certifications_and_their_state(qtbot, make_window, staff):
    row = StaffCertification.get(
        (StaffCertification.staff == staff["tech3"]) & (StaffCertification.skill == "body")
    )
    certifications.renew_certification(staff["admin"], row.id, row.certified_on, DAY)
    _window, tab = _tab(make_window)
    dialog = _open_certs(qtbot, tab, "tech3")
    rows = {dialog.model.row_at(r)["skill"]: dialog.model.row_at(r) for r in range(4)}
    assert dialog.model.rowCount() == 4
    assert rows["Electrical"]["state"] == "Valid" and rows["Electrical"]["expires_on"] == (
        "No expiry"
    )
    assert rows["Body and paint"]["expires_on"] == "2026-11-02"
    assert rows["Body and paint"]["state"] == "Valid"  # its last day still counts
    assert not dialog.renew_button.isEnabled()  # nothing selected yet
    _select(dialog, "Electrical")
    assert dialog.renew_button.isEnabled() and dialog.withdraw_button.isEnabled()


def test_adding_one_with_a_refusal_in_words_first(qtbot, make_window, staff):
    _window, tab = _tab(make_window)
    dialog = _open_certs(qtbot, tab, "inspector")
    assert dialog.model.rowCount() == 0
    _click(qtbot, dialog.add_button)
    add = _visible(dialog, CertificationDialog)
    add.skill_combo.setCurrentIndex(add.skill_combo.findData("electrical"))
    add.certified_edit.setDate(QDate(2026, 10, 20))
    add.expiry.date_edit.setDate(QDate(2026, 10, 1))  # before it was given
    qtbot.keyClicks(add.note_edit, "HV-2026-01")
    _click(qtbot, add.ok_button())
    assert add.isVisible()
    assert "cannot expire (2026-10-01) before it was given (2026-10-20)" in add.error.text()
    assert (
        StaffCertification.select().where(StaffCertification.staff == staff["inspector"]).count()
        == 0
    )
    add.expiry.date_edit.setDate(QDate(2028, 10, 19))
    add.issued_edit.setText("高压电工培训 HV course")
    with qtbot.waitSignal(add.accepted):
        _click(qtbot, add.ok_button())
    assert dialog.model.rowCount() == 1
    assert dialog.selected()["skill"] == "Electrical"
    assert dialog.selected()["expires_on"] == "2028-10-19"
    assert "The Electrical certification of Zheng Tao is recorded." in dialog.banner.text()
    assert certifications.missing_certifications(staff["inspector"], ["electrical"], DAY) == []


def test_a_certification_without_expiry_is_ticked_as_the_list_says_it(qtbot, make_window, staff):
    _window, tab = _tab(make_window)
    dialog = _open_certs(qtbot, tab, "inspector")
    _click(qtbot, dialog.add_button)
    add = _visible(dialog, CertificationDialog)
    assert add.expiry.no_expiry_box.text() == "No expiry"
    assert add.expiry.date_edit.isEnabled() and not add.expiry.no_expiry_box.isChecked()
    add.skill_combo.setCurrentIndex(add.skill_combo.findData("chassis"))
    add.expiry.no_expiry_box.click()
    assert not add.expiry.date_edit.isEnabled()
    add.issued_edit.setText("厂家底盘培训 chassis course")
    with qtbot.waitSignal(add.accepted):
        _click(qtbot, add.ok_button())
    assert dialog.selected()["expires_on"] == "No expiry"
    row = StaffCertification.get(
        (StaffCertification.staff == staff["inspector"]) & (StaffCertification.skill == "chassis")
    )
    assert row.expires_on is None


def test_renew_and_withdraw(qtbot, make_window, staff):
    _window, tab = _tab(make_window, "manager")
    dialog = _open_certs(qtbot, tab, "tech1")
    _select(dialog, "Chassis")
    _click(qtbot, dialog.renew_button)
    renew = _visible(dialog, RenewDialog)
    renew.certified_edit.setDate(QDate(2026, 11, 2))
    renew.expiry.date_edit.setDate(QDate(2028, 11, 1))
    renew.note_edit.setText("CH-2026-9")
    with qtbot.waitSignal(renew.accepted):
        _click(qtbot, renew.ok_button())
    assert dialog.selected()["expires_on"] == "2028-11-01"
    assert "is renewed" in dialog.banner.text()

    _click(qtbot, dialog.withdraw_button)
    withdraw = _visible(dialog, WithdrawDialog)
    _click(qtbot, withdraw.ok_button())  # no reason: refused, stays open
    assert withdraw.isVisible() and "Reason is required" in withdraw.error.text()
    withdraw.reason_edit.setText("复训未通过 failed the refresher")
    with qtbot.waitSignal(withdraw.accepted):
        _click(qtbot, withdraw.ok_button())
    assert dialog.selected()["state"] == "Withdrawn"
    assert "failed the refresher" in dialog.selected()["note"]
    assert not dialog.renew_button.isEnabled() and not dialog.withdraw_button.isEnabled()
    assert certifications.missing_certifications(staff["tech1"], ["chassis"], DAY) == ["chassis"]
    assert AuditLog.select().where(AuditLog.action == "withdraw_certification").count() == 1
    with qtbot.waitSignal(dialog.finished):
        _click(qtbot, dialog.findChild(type(dialog.add_button), "closeButton"))
