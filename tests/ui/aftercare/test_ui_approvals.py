"""The approvals in-tray driven through its widgets: granted and refused with the PIN typed in
the dialog (a wrong PIN is said and nothing is decided); requesters see the answers."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt

from factories import make_order
from shop_desk import clock
from shop_desk.models import Approval
from shop_desk.services import approvals
from shop_desk.states import State

NOW = dt.datetime(2026, 11, 2, 9, 0)


def _open(make_window, login: str, key: str):
    """A main window signed in as ``login`` opening on page ``key``."""
    from shop_desk.ui.shell.widgets import app_settings

    app_settings().setValue("main/page", key)
    window = make_window(login)
    return window, window.show_page(key)


def _click(qtbot, widget) -> None:
    assert widget.isEnabled(), widget.objectName()
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


@pytest.fixture(autouse=True)
def _clock_pinned(db):
    clock.set_now(NOW)


@pytest.fixture
def requests(db, staff):
    order = make_order(State.SETTLED, paid=True)
    refund = approvals.request_approval(
        staff["cashier"], "refund", order, "50", "scratch found after delivery"
    )
    void = approvals.request_approval(staff["cashier"], "void", order, None, "wrong price")
    return refund, void


def test_an_approval_granted_after_a_wrong_pin(qtbot, make_window, staff, requests):
    refund, _void = requests
    window, page = _open(make_window, "manager", "approvals")
    assert page.tabs.count() == 2 and page.tabs.currentWidget() is page.inbox_tab
    assert [r["id"] for r in page.model.rows] == [refund.id, requests[1].id]
    assert "2 waiting" in page.count_label.text()
    assert page.select(refund.id)
    assert "scratch found after delivery" in page.detail_label.text()
    _click(qtbot, page.approve_button)
    dialog = page.dialog
    assert "refund" in dialog.summary_label.text() and "¥50.00" in dialog.summary_label.text()
    qtbot.keyClicks(dialog.reason_edit, "ok, goodwill")
    qtbot.keyClicks(dialog.pin_edit, "9999")
    qtbot.keyClick(dialog.pin_edit, Qt.Key.Key_Return)  # Enter = Approve
    assert dialog.isVisible()
    assert "Wrong PIN" in dialog.error.text()
    assert dialog.pin_edit.text() == "" and dialog.pin_edit.property("invalid")
    assert dialog.reason_edit.toPlainText() == "ok, goodwill"
    assert Approval.get_by_id(refund.id).state == "pending"
    qtbot.keyClicks(dialog.pin_edit, "1234")
    with qtbot.waitSignal(dialog.accepted):
        _click(qtbot, dialog.ok_button)
    row = Approval.get_by_id(refund.id)
    assert (row.state, row.decided_by_id, row.decision_reason) == (
        "approved",
        staff["manager"].id,
        "ok, goodwill",
    )
    assert "Approved" in page.banner.text()
    assert [r["id"] for r in page.model.rows] == [requests[1].id]


def test_an_approval_refused_needs_a_reason(qtbot, make_window, staff, requests):
    _refund, void = requests
    window, page = _open(make_window, "manager", "approvals")
    assert page.select(void.id)
    _click(qtbot, page.reject_button)
    dialog = page.dialog
    qtbot.keyClicks(dialog.pin_edit, "1234")
    _click(qtbot, dialog.ok_button)
    assert dialog.isVisible() and dialog.reason_edit.property("invalid")
    assert Approval.get_by_id(void.id).state == "pending"
    qtbot.keyClicks(dialog.reason_edit, "the price was right")
    with qtbot.waitSignal(dialog.accepted):
        _click(qtbot, dialog.ok_button)
    assert Approval.get_by_id(void.id).state == "rejected"
    page.show_decided_box.setChecked(True)
    assert {r["state"] for r in page.model.rows} == {"pending", "rejected"}


def test_requesters_see_the_answers_but_no_in_tray(qtbot, make_window, staff, requests):
    refund, void = requests
    approvals.approve(staff["manager"], refund, "1234", "ok")
    approvals.reject(staff["manager"], void, "1234", "the price was right")
    window, page = _open(make_window, "cashier", "approvals")
    assert page.tabs.count() == 1 and page.tabs.currentWidget() is page.mine_tab
    states = {r["id"]: (r["state_text"], r["decision_reason"]) for r in page.mine_model.rows}
    assert states == {refund.id: ("Approved", "ok"), void.id: ("Refused", "the price was right")}
    assert page.decide(True, refund.id) is None  # no decisions without the manager role
    # a technician may ask too and sees the page with only the own list
    window2, page2 = _open(make_window, "tech1", "approvals")
    assert page2.tabs.count() == 1 and page2.mine_model.rowCount() == 0


def _wrong_pins(staff, approval, times: int) -> None:
    from shop_desk.errors import PermissionDenied

    for _ in range(times):
        with pytest.raises(PermissionDenied):
            approvals.approve(staff["manager"], approval, "0000")


def test_repeated_wrong_pins_alert_the_manager_in_the_in_tray(qtbot, make_window, staff, requests):
    refund, _void = requests
    _wrong_pins(staff, refund, 5)
    window, page = _open(make_window, "manager", "approvals")
    box = page.pin_alerts_box
    assert box.isVisible()
    assert "locked out after 5 wrong PINs" in box.label.text()
    assert staff["manager"].name in box.label.text()
    assert window.badges["approvals"] == 2  # after 3 wrong PINs, and at the lock-out
    _click(qtbot, box.seen_button)
    assert not box.isVisible() and window.badges["approvals"] == 0
    assert approvals.pin_alerts() == []


def test_a_deputy_approver_decides_the_managers_own_request(qtbot, make_window, staff):
    from shop_desk.errors import PermissionDenied
    from shop_desk.services import admin

    own = approvals.request_approval(
        staff["manager"], "void", make_order(State.SETTLED, paid=True), None, "my own typo"
    )
    with pytest.raises(PermissionDenied, match="four eyes"):
        approvals.approve(staff["manager"], own, "1234")
    deputy = admin.create_staff(
        staff["admin"], "赵副 Zhao (deputy)", "deputy", "4321", ["approver"]
    )
    staff["deputy"] = deputy  # make_window signs in by login from this dict
    _window, page = _open(make_window, "deputy", "approvals")
    assert page.tabs.count() == 2 and page.select(own.id)
    _click(qtbot, page.approve_button)
    qtbot.keyClicks(page.dialog.pin_edit, "4321")
    with qtbot.waitSignal(page.dialog.accepted):
        _click(qtbot, page.dialog.ok_button)
    assert Approval.get_by_id(own.id).decided_by_id == deputy.id
