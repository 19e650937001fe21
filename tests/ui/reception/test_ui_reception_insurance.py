"""The reception's "Accident car / insurance" section driven like an advisor: mark the car,
record the claim, add photos, record the loss assessment; refusals stay in the dialog."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from PySide6.QtCore import QDate, Qt

from factories import make_line, make_vehicle
from shop_desk.demo import signature_png
from shop_desk.models import AssessedLine, ClaimPhoto, JobLine, RepairOrder
from shop_desk.services import insurance, reception
from shop_desk.ui.reception import page as rp
from shop_desk.ui.reception.insurance import AssessmentDialog, ClaimDialog


@pytest.fixture(autouse=True)
def _registered():
    rp.register()


@pytest.fixture
def at_complaint(qtbot, make_window, db, staff):
    insurance.save_insurer(staff["admin"], "平安保险 Ping An", "95511")
    order = reception.check_in(staff["advisor"], make_vehicle(odometer=8000)).order
    make_line(order, "钣金修复 Panel repair", category="body")
    window = make_window("advisor")
    page = window.show_page("reception")
    page.open_order(order.id, rp.COMPLAINT)
    return page, order


def _ok(qtbot, dialog):
    qtbot.mouseClick(dialog.ok_button(), Qt.MouseButton.LeftButton)


def test_advisor_records_the_accident_car_claim_photos_and_assessment(
    qtbot, at_complaint, tmp_path
):
    page, order = at_complaint
    qtbot.mouseClick(page.insurance_button, Qt.MouseButton.LeftButton)
    section = page.insurance_dialog.section
    assert section.isVisible() and section.summary.text() == "Not an accident car."
    assert not section.assess_button.isEnabled()
    qtbot.mouseClick(section.claim_button, Qt.MouseButton.LeftButton)
    dialog = section.dialog
    assert isinstance(dialog, ClaimDialog) and dialog.isVisible()
    dialog.insurer.setCurrentIndex(dialog.insurer.findText("平安保险 Ping An"))
    _ok(qtbot, dialog)  # no claim report number: refused, the dialog stays
    assert dialog.isVisible() and "Claim report number" in dialog.error.text()
    assert dialog.report_no.property("invalid") is True
    qtbot.keyClicks(dialog.report_no, "RPAH0042")
    dialog.accident_date.setDate(QDate(2026, 10, 30))
    dialog.fault.setCurrentIndex(dialog.fault.findData("other"))
    dialog.excess.setText("300")
    with qtbot.waitSignal(section.saved):
        _ok(qtbot, dialog)
    order = RepairOrder.get_by_id(order.id)
    claim = insurance.claim_of(order)
    assert order.accident_car and claim.claim_report_no == "RPAH0042"
    assert (claim.accident_date, claim.excess) == (dt.date(2026, 10, 30), Decimal("300.00"))
    assert "RPAH0042" in section.summary.text() and "The other party" in section.summary.text()
    # the page's own saves still pass the version check after the section saved
    assert page.runner.version == order.version
    assert page.insurance_button.property("accident") is True

    photo = tmp_path / "front.png"
    photo.write_bytes(signature_png(5))
    (tmp_path / "note.txt").write_text("no picture")
    assert not section.add_photo_files([tmp_path / "note.txt"])
    assert "not a picture" in section.error.text()
    assert section.add_photo_files([photo])
    assert ClaimPhoto.select().where(ClaimPhoto.claim == claim).count() == 1
    assert "; 1 photo." in section.summary.text()

    qtbot.mouseClick(section.assess_button, Qt.MouseButton.LeftButton)
    dialog = section.dialog
    assert isinstance(dialog, AssessmentDialog)
    panel = JobLine.get((JobLine.order == order) & (JobLine.description == "钣金修复 Panel repair"))
    dialog.assessor.setText("李定损")  # typed through an input method
    dialog.set_amount(panel.id, "150.00")
    with qtbot.waitSignal(section.saved):
        _ok(qtbot, dialog)
    assert AssessedLine.get(AssessedLine.line == panel).amount == Decimal("150.00")
    assert JobLine.get_by_id(panel.id).pay_type == "insurance"
    assert "the insurance covers ¥150.00" in section.summary.text()


def test_marking_only_an_accident_car_without_a_claim(qtbot, at_complaint):
    page, order = at_complaint
    section = page.open_insurance().section
    dialog = section.open_claim()
    qtbot.mouseClick(dialog.accident, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(section.saved):
        _ok(qtbot, dialog)
    assert RepairOrder.get_by_id(order.id).accident_car
    assert section.summary.text() == "Accident car; no insurance claim recorded."


def test_a_technician_sees_the_section_read_only(qtbot, make_window, db, staff):
    from shop_desk.ui.reception.insurance import InsuranceSection

    order = reception.check_in(staff["advisor"], make_vehicle(odometer=8000)).order
    section = InsuranceSection(staff["tech1"])
    qtbot.addWidget(section)
    section.load(order, True)
    assert not section.claim_button.isEnabled()
