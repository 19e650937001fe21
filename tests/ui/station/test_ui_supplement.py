"""Hidden damage on an insured order, through the station and the advisor's panel: the
technician proposes it as a supplementary assessment (追加定损), the order waits for the
insurer exactly as for a customer's authorisation, the advisor records the insurer's answer."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from PySide6.QtCore import Qt

from factories import make_order
from shop_desk.models import AdditionalWorkRequest, AssessedLine, JobLine, RepairOrder, Team
from shop_desk.services import insurance, workshop
from shop_desk.states import State
from shop_desk.ui.station.authorisation import AdditionalWorkAuthorisationPanel
from shop_desk.ui.station.dialogs_additional import ProposeWorkDialog


def _insured_working(staff) -> RepairOrder:
    order = make_order(State.AWAITING_DISPATCH, free_wash=True)
    team = Team.get(Team.name.startswith("机修一组"))
    workshop.dispatch(staff["supervisor"], order, team, staff["tech1"], priority=1)
    workshop.accept_car(staff["tech1"], order)
    company = insurance.save_insurer(staff["admin"], "平安保险 Ping An")
    insurance.record_claim(
        staff["advisor"], order, company, "RPAH77", accident_date=dt.date(2026, 10, 30)
    )
    return RepairOrder.get_by_id(order.id)


def _click(qtbot, button) -> None:
    assert button.isVisible() and button.isEnabled(), button.objectName()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_hidden_damage_waits_for_the_insurer_and_the_advisor_records_its_answer(
    qtbot, make_window, staff
):
    order = _insured_working(staff)
    window = make_window("tech1")
    page = window.show_page("station")
    page.auto_preview = False
    assert page.select_order(order.id)
    _click(qtbot, page.actions.buttons["additional"])
    dialog = page.dialog
    assert isinstance(dialog, ProposeWorkDialog)
    qtbot.waitExposed(dialog)
    assert dialog.supplement.isVisible()
    qtbot.keyClicks(dialog.search_edit, "Frame straightening")
    _click(qtbot, dialog.free_button)
    qtbot.keyClicks(dialog.reason, "frame bent, found on strip-down")
    _click(qtbot, dialog.supplement)
    with qtbot.waitSignal(dialog.accepted, timeout=3000):
        _click(qtbot, dialog.ok_button())
    request = AdditionalWorkRequest.get(AdditionalWorkRequest.order == order)
    assert request.decided_by == "insurer"
    assert RepairOrder.get_by_id(order.id).state == State.WAITING_AUTHORISATION.value
    line = JobLine.get(JobLine.request == request)
    assert line.pay_type == "insurance"

    panel = AdditionalWorkAuthorisationPanel(staff["advisor"], order_id=order.id)
    qtbot.addWidget(panel)
    panel.show()
    assert panel.request.decided_by == "insurer"
    assert "the insurer decides" in panel.request_label.text()
    assert not panel.method_radios["phone"].isVisible()
    assert panel.customer_label.text() == "&Insurer's assessor:"
    panel.set_decision(line.id, "authorised")
    edit = panel.approved_edits[line.id]
    edit.setText("250.00")
    _click(qtbot, panel.record_button)  # no assessor named: refused on the panel
    assert panel.banner.kind == "error" and "Assessor" in panel.banner.text()
    panel.customer_edit.setText("李定损")
    with qtbot.waitSignal(panel.recorded):
        _click(qtbot, panel.record_button)
    assert "1 approved, 0 declined" in panel.banner.text()
    assert RepairOrder.get_by_id(order.id).state == State.IN_PROGRESS.value
    assert AssessedLine.get(AssessedLine.line == line).amount == Decimal("250.00")
    assert JobLine.get_by_id(line.id).auth_state == "authorised"


def test_an_uninsured_order_offers_no_supplementary_assessment(qtbot, make_window, staff):
    order = make_order(State.AWAITING_DISPATCH)
    team = Team.get(Team.name.startswith("机修一组"))
    workshop.dispatch(staff["supervisor"], order, team, staff["tech1"], priority=1)
    workshop.accept_car(staff["tech1"], order)
    dialog = ProposeWorkDialog(staff["tech1"], RepairOrder.get_by_id(order.id), None)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.supplement.isVisible()
