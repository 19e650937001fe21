"""The self-check at the station (issue 19): one "All checked" with exceptions, no default
"passed" with nothing ticked, and a refusal that names the points in words in both languages."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import QPoint, Qt

from factories import make_order
from shop_desk import i18n
from shop_desk.models import JobLine, QcCheck, RepairOrder, Team
from shop_desk.services import parts, workshop
from shop_desk.states import State
from shop_desk.ui.station.dialogs_checks import SelfCheckDialog
from shop_desk.ui.station.reads import SELF_CHECK_ITEMS


def finished(staff) -> RepairOrder:
    """An order whose work is done, waiting for the technician's self-check."""
    order = make_order(State.AWAITING_DISPATCH)
    team = Team.get(Team.name.startswith("机修一组"))
    workshop.dispatch(staff["supervisor"], order, team, staff["tech1"], priority=1)
    workshop.accept_car(staff["tech1"], order.id)
    for line in JobLine.select().where((JobLine.order == order) & (JobLine.kind == "part")):
        parts.request_parts(staff["tech1"], line, line.quantity)
        slip = parts.issue_parts(
            staff["parts"],
            RepairOrder.get_by_id(order.id),
            {line.id: line.quantity},
            staff["tech1"],
        )
        parts.sign_issue_slip(staff["tech1"], slip, b"\x89PNG\r\n\x1a\n" + b"\x00" * 32)
    for line in JobLine.select().where((JobLine.order == order) & (JobLine.kind == "labour")):
        workshop.clock_start(staff["tech1"], line.id)
        workshop.clock_finish(staff["tech1"], line.id)
    return RepairOrder.get_by_id(order.id)


@pytest.fixture
def dialog(qtbot, staff, make_window):
    window = make_window("tech1")
    order = finished(staff)
    dialog = SelfCheckDialog(staff["tech1"], order, window)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def test_nothing_ticked_enter_does_not_pass(qtbot, dialog):
    assert not dialog.ok_button().isDefault() and not dialog.fail_button.isDefault()
    qtbot.keyClick(dialog.all_box, Qt.Key.Key_Return)
    assert dialog.isVisible() and not QcCheck.select().exists()


def test_all_checked_ticks_everything_and_passes(qtbot, dialog):
    box = dialog.all_box
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))
    assert all(box.isChecked() for box in dialog.boxes.values())
    assert dialog.all_box.checkState() == Qt.CheckState.Checked
    assert dialog.ok_button().isDefault()
    with qtbot.waitSignal(dialog.accepted, timeout=3000):
        qtbot.keyClick(dialog.all_box, Qt.Key.Key_Return)
    check = QcCheck.get()
    assert check.passed and json.loads(check.checklist) == dict.fromkeys(SELF_CHECK_ITEMS, True)


def test_an_exception_needs_a_note_and_makes_not_passed_the_default(qtbot, dialog):
    dialog.all_box.click()
    dialog.boxes["no_leaks"].click()  # untick what was not OK
    assert dialog.all_box.checkState() == Qt.CheckState.PartiallyChecked
    assert "Fluid levels right, no leaks" in dialog.exceptions.text()
    assert dialog.fail_button.isDefault() and not dialog.ok_button().isDefault()
    dialog.fail_button.click()  # no note yet
    assert "Say what is wrong" in dialog.error.text() and not QcCheck.select().exists()
    qtbot.keyClicks(dialog.notes, "oil drip at the sump plug")
    with qtbot.waitSignal(dialog.accepted, timeout=3000):
        dialog.fail_button.click()
    check = QcCheck.get()
    assert not check.passed and check.reason == "oil drip at the sump plug"


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_the_refusal_names_the_points_in_words(qtbot, staff, make_window, lang):
    i18n.install_language(lang)
    try:
        window = make_window("tech1")
        dialog = SelfCheckDialog(staff["tech1"], finished(staff), window)
        dialog.show()
        dialog.all_box.click()
        dialog.boxes["torque"].click()
        dialog.boxes["no_leaks"].click()
        dialog.ok_button().click()  # passed, with two points not ticked
        text = dialog.error.text()
        for code in ("torque", "no_leaks"):
            assert dialog.boxes[code].text() in text
        assert "no_leaks" not in text and "torque," not in text
        assert dialog.isVisible() and not QcCheck.select().exists()
        dialog.reject()
    finally:
        i18n.install_language("en")
