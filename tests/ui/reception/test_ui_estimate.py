"""The estimate editor: catalogue search as you type, standard jobs, stock, pay types, totals."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox

from factories import make_order, make_vehicle
from shop_desk import clock
from shop_desk.errors import ConflictError, ValidationError
from shop_desk.models import JobLine, LabourOperation, Part, RepairOrder
from shop_desk.services import approvals, reception
from shop_desk.services.orders import line_total
from shop_desk.states import State
from shop_desk.ui.reception.estimate import EstimateEditor, LinesModel, quick_jobs, usual_parts


@pytest.fixture
def order(db, staff):
    vehicle = make_vehicle(odometer=8000)
    return reception.check_in(staff["advisor"], vehicle).order


@pytest.fixture
def editor(qtbot, staff, order):
    e = EstimateEditor(staff["advisor"])
    qtbot.addWidget(e)
    e.resize(900, 600)
    e.show()
    qtbot.waitExposed(e)
    e.set_order(order.id)
    return e


def _lines(order):
    return list(JobLine.select().where(JobLine.order == order).order_by(JobLine.sort))


def test_search_as_you_type_and_enter_adds_the_highlighted_match(qtbot, editor, order):
    assert editor.results.isHidden()
    qtbot.keyClicks(editor.search, "brake pads")
    assert editor.results.isVisible()
    names = [item.name for item in editor.result_items()]
    assert any("Replace front brake pads" in n for n in names)
    assert all("brake" in n.lower() and "pads" in n.lower() for n in names)
    qtbot.keyClick(editor.search, Qt.Key.Key_Down)  # the second match
    second = editor.results.currentIndex().data(Qt.ItemDataRole.UserRole + 11)
    qtbot.keyClick(editor.search, Qt.Key.Key_Return)
    lines = _lines(order)
    assert [ln.description for ln in lines] == [second.name]
    assert editor.search.text() == "" and editor.results.isHidden()
    assert editor.model.rowCount() == 1


def test_labour_is_hours_times_rate_and_totals_follow_live(qtbot, editor, order):
    qtbot.keyClicks(editor.search, "BRK-F")
    qtbot.keyClick(editor.search, Qt.Key.Key_Return)
    line = _lines(order)[0]
    assert (line.hours, line.rate) == (Decimal("1.20"), Decimal("180.00"))
    assert editor.model.index(0, LinesModel.AMOUNT_COL).data() == "216.00"
    assert "¥216.00" in editor.totals.text() and "13% tax ¥24.85" in editor.totals.text()
    qtbot.keyClicks(editor.search, "PAD-F")
    qtbot.keyClick(editor.search, Qt.Key.Key_Return)
    assert editor.customer_total() == Decimal("676.00")
    assert "1.2 h" in editor.totals.text()


def test_standard_job_adds_labour_and_its_parts_with_reservation(qtbot, editor, order):
    before = Part.get(Part.part_no == "FLT-OIL").reserved_qty
    qtbot.mouseClick(editor.quick_buttons["MNT-5K"], Qt.MouseButton.LeftButton)
    lines = _lines(order)
    assert [
        (ln.kind, ln.labour_op.code if ln.labour_op_id else ln.part.part_no) for ln in lines
    ] == [
        ("labour", "MNT-5K"),
        ("part", "FLT-OIL"),
        ("part", "OIL-5W30-4L"),
    ]
    assert Part.get(Part.part_no == "FLT-OIL").reserved_qty == before + 1
    stock = editor.model.index(1, LinesModel.STOCK_COL).data()
    assert stock.startswith("reserved 1")
    # 1.00 h × 180 + 58 + 368
    assert editor.customer_total() == Decimal("606.00")


def test_short_stock_is_shown(qtbot, editor, order):
    part = Part.get(Part.part_no == "AC-COMP")  # one in stock
    editor.add_part(part, "3")
    text = editor.model.index(0, LinesModel.STOCK_COL).data()
    assert text.startswith("short 2")
    assert (
        editor.model.index(0, LinesModel.STOCK_COL).data(Qt.ItemDataRole.ForegroundRole).name()
        == "#b3261e"
    )


def test_edit_quantity_and_pay_type_through_the_table(qtbot, editor, order, staff):
    editor.add_part(Part.get(Part.part_no == "WPR-SET"))
    index = editor.model.index(0, LinesModel.QTY_COL)
    assert editor.model.flags(index) & Qt.ItemFlag.ItemIsEditable
    assert editor.model.setData(index, "2")
    assert _lines(order)[0].quantity == Decimal("2.00")
    assert editor.model.index(0, LinesModel.AMOUNT_COL).data() == "300.00"

    failures = []
    editor.runner.failed.connect(failures.append)
    editor.model.setData(editor.model.index(0, LinesModel.PAY_COL), "warranty")
    assert isinstance(failures[-1], ValidationError)  # no warranty decision yet
    assert "warranty" in editor.banner.text() and _lines(order)[0].pay_type == "customer"
    reception.decide_warranty(staff["advisor"], order, "covered", "within the new-car warranty")
    editor.runner.reload_version()
    editor.model.setData(editor.model.index(0, LinesModel.PAY_COL), "warranty")
    assert _lines(order)[0].pay_type == "warranty"
    assert "Warranty claim ¥300.00" in editor.totals.text()
    assert editor.customer_total() == Decimal("0.00")


def test_pay_type_combo_editor_commits_the_choice(qtbot, editor, order, staff):
    reception.decide_warranty(staff["advisor"], order, "covered", "")
    editor.runner.reload_version()
    editor.add_labour(LabourOperation.get(LabourOperation.code == "AC-REG"))
    assert _lines(order)[0].pay_type == "warranty"  # covered: the repair defaults to warranty
    index = editor.model.index(0, LinesModel.PAY_COL)
    editor.table.setCurrentIndex(index)
    editor.table.edit(index)
    combo = editor.table.findChild(QComboBox, "payTypeCombo")
    assert combo is not None
    combo.setCurrentIndex(combo.findData("customer"))
    combo.activated.emit(combo.currentIndex())
    qtbot.waitUntil(lambda: _lines(order)[0].pay_type == "customer")


def test_goodwill_over_the_limit_offers_the_managers_approval(qtbot, editor, order, staff):
    """Issue 17 item 4 at the desk: a goodwill line is a reduction; over the limit the editor
    offers the approval request, and with the approval the change goes through."""
    editor.add_labour(LabourOperation.get(LabourOperation.code == "AC-REG"))
    assert editor.approval_bar.isHidden()
    editor.model.setData(editor.model.index(0, LinesModel.PAY_COL), "goodwill")
    assert _lines(order)[0].pay_type == "customer"
    assert not editor.approval_bar.isHidden() and editor.approval_bar.kind == "discount"
    editor.approval_bar.reason_edit.setText("老客户 loyal customer")
    request = editor.approval_bar.request()
    assert request is not None and request.amount == line_total(_lines(order)[0])
    approvals.approve(staff["manager"], request, "1234")
    editor.runner.reload_version()
    editor.model.setData(editor.model.index(0, LinesModel.PAY_COL), "goodwill")
    assert _lines(order)[0].pay_type == "goodwill"
    assert editor.approval_bar.isHidden()


def test_delete_key_removes_the_line_and_releases_stock(qtbot, editor, order):
    part = Part.get(Part.part_no == "PAD-R")
    before = part.reserved_qty
    editor.add_part(part)
    assert Part.get_by_id(part.id).reserved_qty == before + 1
    editor.table.setFocus()
    editor.table.selectRow(0)
    qtbot.keyClick(editor.table, Qt.Key.Key_Delete)
    assert _lines(order) == [] and editor.model.rowCount() == 0
    assert Part.get_by_id(part.id).reserved_qty == before


def test_promised_time_is_suggested_and_saved_and_a_past_time_refused(qtbot, editor, order):
    suggestion = reception.suggested_promised_time(order)
    assert editor.promised_value() == suggestion
    editor.add_labour(LabourOperation.get(LabourOperation.code == "BODY-PNT"))  # 6 h
    later = reception.suggested_promised_time(order)
    assert later > suggestion and editor.promised_value() == later  # follows until edited
    assert editor.save_promised()
    assert RepairOrder.get_by_id(order.id).promised_at == later
    past = clock.now() - dt.timedelta(hours=1)
    editor.set_promised_value(past)
    assert not editor.save_promised()
    assert "cannot be in the past" in editor.banner.text()
    assert RepairOrder.get_by_id(order.id).promised_at == later


def test_an_edit_on_a_stale_version_is_refused_as_a_conflict(qtbot, editor, order, staff):
    reception.record_complaint(staff["advisor2"], order, "another station wrote this")
    failures = []
    editor.runner.failed.connect(failures.append)
    editor.add_labour(LabourOperation.get(LabourOperation.code == "WPR"))
    assert isinstance(failures[-1], ConflictError)
    assert _lines(order) == []
    editor.runner.reload_version()
    assert editor.add_labour(LabourOperation.get(LabourOperation.code == "WPR")) is not None


def test_signed_order_is_read_only(qtbot, staff):
    order = make_order(State.CHECKED_IN, lines=False)
    order.signed_at = clock.now()
    order.save()
    e = EstimateEditor(staff["advisor"])
    qtbot.addWidget(e)
    e.set_order(order.id)
    assert e.read_only and not e.search.isEnabled()
    assert not any(b.isEnabled() for b in e.quick_buttons.values())
    assert not e.add_quick_job(quick_jobs()[0])


def test_usual_parts_come_from_history(db, staff):
    op = LabourOperation.get(LabourOperation.code == "BAT")
    battery = Part.get(Part.part_no == "BAT-60AH")
    bulb = Part.get(Part.part_no == "BULB-H7")
    for n in range(3):
        order = make_order(State.CLOSED, lines=False)
        JobLine.create(
            order=order,
            kind="labour",
            labour_op=op,
            description=op.name,
            hours=Decimal("0.5"),
            rate=Decimal("180"),
        )
        JobLine.create(
            order=order,
            kind="part",
            part=battery,
            description=battery.name,
            quantity=Decimal("1"),
            unit_price=battery.unit_price,
        )
        if n == 0:
            JobLine.create(
                order=order,
                kind="part",
                part=bulb,
                description=bulb.name,
                quantity=Decimal("2"),
                unit_price=bulb.unit_price,
            )
    assert usual_parts(op) == [(battery, Decimal("1.00"))]
    codes = [job.code for job in quick_jobs()]
    assert codes[:2] == ["MNT-5K", "MNT-10K"]


def test_enter_on_the_empty_search_field_means_done(qtbot, editor, order):
    with qtbot.waitSignal(editor.submit_requested):
        qtbot.keyClick(editor.search, Qt.Key.Key_Return)
    assert _lines(order) == []
    qtbot.keyClicks(editor.search, "zzz-no-such-thing")
    with qtbot.assertNotEmitted(editor.submit_requested):
        qtbot.keyClick(editor.search, Qt.Key.Key_Return)
    assert _lines(order) == [] and editor.results.isVisible()
