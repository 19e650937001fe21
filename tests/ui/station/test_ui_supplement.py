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
from shop_desk.ui.station.customer_pays import CustomerPaysDeclinedDialog
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


def _answered_with_declines(staff) -> tuple[RepairOrder, AdditionalWorkRequest, JobLine, JobLine]:
    """An insured order at work whose supplement the insurer answered: paint declined, frame
    approved."""
    order = _insured_working(staff)
    request = insurance.propose_supplement(
        staff["tech1"],
        order,
        [
            {"kind": "labour", "description": "喷漆 Paint", "hours": "1"},
            {"kind": "labour", "description": "纵梁校正 Frame", "hours": "2"},
        ],
        "hidden damage",
    )
    paint, frame = JobLine.select().where(JobLine.request == request).order_by(JobLine.sort)
    return order, request, paint, frame


def test_the_customer_pays_what_the_insurer_declined_from_the_panel(qtbot, staff):
    order, request, paint, frame = _answered_with_declines(staff)
    panel = AdditionalWorkAuthorisationPanel(staff["advisor"], order_id=order.id)
    qtbot.addWidget(panel)
    panel.show()
    panel.set_decision(paint.id, "declined")
    panel.set_decision(frame.id, "authorised")
    panel.customer_edit.setText("李定损")
    with qtbot.waitSignal(panel.recorded):
        _click(qtbot, panel.record_button)
    # the answered supplement is chosen below, so the advisor can offer the declined line
    assert panel.decided_request().request_id == request.id
    button = panel.customer_pays_button
    assert button.isEnabled()
    _click(qtbot, button)
    dialog = panel.pays_dialog
    assert isinstance(dialog, CustomerPaysDeclinedDialog) and dialog.isVisible()
    qtbot.waitExposed(dialog)
    assert list(dialog.checks) == [paint.id]  # only what the insurer declined
    assert dialog.name_edit.text() == order.customer.name
    assert dialog.total_label.text() == "The customer pays ¥0.00"
    dialog.agreement.set_method("signature")
    _click(qtbot, dialog.ok_button())  # nothing ticked, nothing signed: refused, nothing saved
    assert dialog.isVisible() and dialog.error.kind == "error"
    assert "signature is empty" in dialog.error.text()
    dialog.agreement.set_method("phone")
    _click(qtbot, dialog.ok_button())
    assert dialog.isVisible() and "Choose the declined lines" in dialog.error.text()
    assert insurance.declined_by_insurer(request) == [paint]
    dialog.checks[paint.id].setChecked(True)
    assert dialog.total_label.text() == "The customer pays ¥180.00"
    with qtbot.waitSignal(panel.recorded):
        _click(qtbot, dialog.ok_button())
    assert panel.banner.text() == (
        f"The customer pays 1 line the insurer declined on {order.number}."
    )
    own = AdditionalWorkRequest.get(
        (AdditionalWorkRequest.order == order) & (AdditionalWorkRequest.decided_by == "customer")
    )
    assert (own.auth_method, own.auth_by_customer) == ("phone", order.customer.name)
    [paid] = list(own.lines)
    assert (paid.description, paid.pay_type, paid.auth_state) == (
        "喷漆 Paint",
        "customer",
        "authorised",
    )
    assert insurance.declined_by_insurer(request) == []
    assert panel.select_decided(request.id) and not button.isEnabled()  # asked already


def test_customer_pays_is_offered_only_where_the_insurer_declined(qtbot, staff):
    order, request, paint, frame = _answered_with_declines(staff)
    insurance.record_supplement_answer(
        staff["advisor"], request, {paint.id: "180.00", frame.id: "360.00"}, "李定损"
    )
    panel = AdditionalWorkAuthorisationPanel(staff["advisor"], order_id=order.id)
    qtbot.addWidget(panel)
    panel.show()
    assert panel.select_decided(request.id)
    assert not panel.customer_pays_button.isEnabled()  # all approved: nothing to pay
    manager = AdditionalWorkAuthorisationPanel(staff["manager"], order_id=order.id)
    qtbot.addWidget(manager)
    assert manager.open_customer_pays() is None
