"""The technician's tablet view of their field jobs (issue 21), driven by tapping its big
buttons: a job walked through every step, a late arrival, a car that cannot be fixed on
site, refusals in words, and each person seeing only their own jobs."""

from __future__ import annotations

import pytest
from fieldjobs import (
    NOW,
    at,
    click,
    clock_pinned,  # noqa: F401 - a fixture
    dispatched_job,
    fresh,
    open_tablet,
    settle,
    sign,
)
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QPushButton

from shop_desk.models import Penalty
from shop_desk.services import field
from shop_desk.ui.field.tablet_common import TOUCH_HEIGHT

pytestmark = pytest.mark.usefixtures("clock_pinned")


def assert_touch_sized(page) -> None:
    """Every button a finger can reach on the page is at least 56 px high."""
    settle()
    shown = [b for b in page.findChildren(QPushButton) if b.isVisible()]
    assert shown
    small = [(b.objectName(), b.height()) for b in shown if b.height() < TOUCH_HEIGHT]
    assert small == []


def open_card(qtbot, page, number: str) -> None:
    card = page.job_list.card(number)
    assert card is not None, number
    click(qtbot, card)
    assert page.stack.currentWidget() is page.job_view
    assert page.title_label.text().startswith(number)


def test_a_technician_walks_a_job_through_every_step(qtbot, make_window, staff, tmp_path):
    job = dispatched_job(staff, within_warranty=False, parts=1)
    field.record_quote(staff["supervisor"], job.id, "420.00", "180.00", "150.00")
    window, page = open_tablet(make_window)
    settle()
    window.grab().save(str(tmp_path / "list.png"))
    image = QImage(str(tmp_path / "list.png"))
    assert (image.width(), image.height()) == (1280, 800)
    assert_touch_sized(page)

    open_card(qtbot, page, job.number)
    steps = page.step_panel
    assert page.current_section() == "step"
    assert "Service vehicle: 服务车 沪A-F001" in steps.depart_info.text()
    assert "× 1" in steps.depart_info.text()  # the part taken out
    assert_touch_sized(page)
    click(qtbot, steps.depart_button)
    assert fresh(job).state == "en_route"
    assert page.banner.kind == "info"
    assert steps.current_key() == "arrive" and steps.late_box.isHidden()
    assert page.steps.lines["depart"].property("done")

    at(1)
    click(qtbot, steps.arrive_button)
    assert fresh(job).state == "on_site" and not fresh(job).arrived_late
    # outside warranty: the customer agrees to the quote first, signing on the tablet
    assert steps.current_key() == "agree"
    agreement = steps.agreement
    assert "¥750.00" in agreement.quote_label.text()
    assert agreement.name_edit.text() == job.customer.name
    assert agreement.method() == "signature"
    settle()
    window.grab().save(str(tmp_path / "agree.png"))
    click(qtbot, agreement.agree_button)  # an empty pad: refused in words
    assert page.banner.kind == "error" and page.banner.isVisible()
    assert fresh(job).agreed_at is None
    sign(qtbot, agreement.pad)
    click(qtbot, agreement.agree_button)
    row = fresh(job)
    assert row.agreement_method == "signature" and row.agreement_signature_id is not None

    assert steps.current_key() == "start_work"
    click(qtbot, steps.start_button)
    assert fresh(job).state == "working"
    click(qtbot, steps.finish_button)  # nothing written: refused in words, nothing changes
    assert page.banner.kind == "error" and "Work done" in page.banner.text()
    assert fresh(job).state == "working"
    steps.work_done_edit.setPlainText("更换蓄电池 replaced the battery")
    click(qtbot, steps.finish_button)
    assert fresh(job).state == "work_done"

    # the call to the service centre comes before leaving the site: one button at a time
    assert steps.current_key() == "call_centre" and not steps.leave_button.isVisible()
    assert_touch_sized(page)
    click(qtbot, steps.call_button)
    assert fresh(job).called_centre_at is not None
    assert steps.current_key() == "leave_site"
    click(qtbot, steps.leave_button)
    assert fresh(job).state == "returning"
    at(3)
    click(qtbot, steps.return_button)
    row = fresh(job)
    assert row.state == "returned" and row.returned_at == NOW.replace(hour=12)
    assert steps.current_key() == "done"
    assert "Still missing" in steps.done_info.text()
    done = [k for k, line in page.steps.lines.items() if line.property("done")]
    assert done == [
        "depart",
        "arrive",
        "agree",
        "start_work",
        "finish_work",
        "call_centre",
        "leave_site",
        "return",
    ]
    assert not Penalty.select().exists()

    # back to the list: the card tells what is still missing
    click(qtbot, page.back_button)
    card = page.job_list.card(job.number)
    assert "Back at the shop" in card.text_shown() and "Still missing" in card.text_shown()
    # opened again, the job starts at the report (nothing is left to do on the road)
    open_card(qtbot, page, job.number)
    assert page.current_section() == "report"


def test_a_late_arrival_asks_the_reason(qtbot, make_window, staff, tmp_path):
    job = dispatched_job(staff, crew=("tech1", "tech2"))
    field.depart(staff["tech1"], job.id)
    at(1)
    window, page = open_tablet(make_window)
    card = page.job_list.card(job.number)
    assert "On the way" in card.text_shown() and "Overdue" not in card.text_shown()
    open_card(qtbot, page, job.number)
    steps = page.step_panel
    assert steps.current_key() == "arrive" and steps.late_box.isHidden()

    at(4)  # the customer set NOW + 3 h; the page was drawn while there was still time
    click(qtbot, steps.arrive_button)
    assert page.banner.kind == "error"
    assert "reason for the late arrival" in page.banner.text()
    assert fresh(job).state == "en_route"
    assert steps.late_box.isVisible()  # now it asks
    assert "11-02 12:00" in steps.late_label.text()

    steps.late_reason_edit.setPlainText("睡过头 overslept")
    click(qtbot, steps.personal_button)
    assert steps.personal_button.isChecked()
    settle()
    window.grab().save(str(tmp_path / "late.png"))
    click(qtbot, steps.arrive_button)
    row = fresh(job)
    assert row.state == "on_site" and row.arrived_late and row.late_personal
    assert row.late_reason == "睡过头 overslept"
    # late for a personal reason: a penalty case for everyone on the crew
    cases = Penalty.select().where(Penalty.kind == "late_arrival")
    assert {p.staff_id for p in cases} == {staff["tech1"].id, staff["tech2"].id}
    assert "Arrived late" in page.arrival_label.text()
    assert "(late)" in page.steps.lines["arrive"].text()


def test_a_job_overdue_on_the_card(qtbot, make_window, staff):
    job = dispatched_job(staff, hours_to_arrive=1)
    at(2)
    _window, page = open_tablet(make_window)
    text = page.job_list.card(job.number).text_shown()
    assert "Overdue: the customer expected you on site by 11-02 10:00." in text


def test_a_car_that_cannot_be_fixed_on_site_is_towed_in(qtbot, make_window, staff):
    job = dispatched_job(staff)
    field.depart(staff["tech1"], job.id)
    at(1)
    field.arrive(staff["tech1"], job.id)
    field.start_work(staff["tech1"], job.id)
    _window, page = open_tablet(make_window)
    open_card(qtbot, page, job.number)
    steps = page.step_panel
    assert steps.current_key() == "finish_work"
    steps.work_done_edit.setPlainText("not this one")
    click(qtbot, page.findChild(QPushButton, "cannotFixFromWorkButton"))
    assert steps.current_key() == "cannot_fix"
    click(qtbot, steps.tow_button)  # nothing found written: refused, the page stays
    assert page.banner.kind == "error" and steps.current_key() == "cannot_fix"
    steps.finding_edit.setPlainText("变速箱故障 gearbox failure")
    click(qtbot, steps.tow_button)
    row = fresh(job)
    assert row.state == "work_done" and row.towed
    assert row.work_done == "变速箱故障 gearbox failure"
    assert steps.current_key() == "call_centre"
    assert "towed in" in page.steps.lines["finish_work"].text()
    assert "start_work" not in page.steps.lines


def test_the_back_button_leaves_the_towing_page(qtbot, make_window, staff):
    job = dispatched_job(staff)
    field.depart(staff["tech1"], job.id)
    field.arrive(staff["tech1"], job.id)
    _window, page = open_tablet(make_window)
    open_card(qtbot, page, job.number)
    steps = page.step_panel
    click(qtbot, page.findChild(QPushButton, "cannotFixFromStartButton"))
    assert steps.current_key() == "cannot_fix"
    click(qtbot, steps.back_button)
    assert steps.current_key() == "start_work"


def test_work_outside_warranty_waits_for_the_quote(qtbot, make_window, staff):
    job = dispatched_job(staff, within_warranty=False)
    field.depart(staff["tech1"], job.id)
    field.arrive(staff["tech1"], job.id)
    _window, page = open_tablet(make_window)
    open_card(qtbot, page, job.number)
    agreement = page.step_panel.agreement
    assert agreement.no_quote_label.isVisible() and not agreement.agree_button.isVisible()
    field.record_quote(staff["supervisor"], job.id, "100.00", "50.00", "30.00")
    click(qtbot, agreement.check_button)
    assert agreement.agree_button.isVisible()
    assert "¥180.00" in agreement.quote_label.text()
    click(qtbot, agreement.method_buttons["phone"])
    assert not agreement.pad.isVisible()
    click(qtbot, agreement.agree_button)
    assert fresh(job).agreement_method == "phone"
    assert page.step_panel.current_key() == "start_work"


def test_a_person_sees_only_their_own_jobs(qtbot, make_window, staff):
    mine = dispatched_job(staff, crew=("tech1",), customer_name="甲 Mine")
    theirs = dispatched_job(staff, crew=("tech2",), customer_name="乙 Theirs")
    shared = dispatched_job(staff, crew=("tech1", "tech2"), customer_name="丙 Shared")
    closed = dispatched_job(staff, crew=("tech1",), customer_name="丁 Cancelled")
    field.cancel_field_job(staff["supervisor"], closed.id, "客户自己修好了 fixed it himself")
    _window, page = open_tablet(make_window, "tech1")
    assert [c.number for c in page.job_list.cards] == [mine.number, shared.number]
    assert page.job_list.count_label.text() == "2 open"
    # a job of someone else is not opened (the services say why)
    window2, page2 = open_tablet(make_window, "tech2")
    assert [c.number for c in page2.job_list.cards] == [theirs.number, shared.number]
    page2.open_job(mine.id)
    assert page2.stack.currentWidget() is page2.job_list
    assert "was not dispatched" in window2.statusBar().currentMessage()


def test_nobody_out_sees_an_empty_list_and_other_roles_no_page(qtbot, make_window, staff):
    _window, page = open_tablet(make_window, "tech3")
    assert page.job_list.cards == [] and page.job_list.empty_label.isVisible()
    advisor = make_window("advisor")
    assert "field_tablet" not in advisor.visible_page_keys()
    leader = make_window("leader1")
    assert "field_tablet" in leader.visible_page_keys()


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_the_tablet_screenshots_are_staged_at_tablet_size(qapp, staff, shop_data, tmp_path, lang):
    from shop_desk import i18n
    from shop_desk.ui.shots import field_tablet
    from shop_desk.ui.shots.screenshots import ShotContext

    previous = i18n.current_language()
    i18n.install_language(lang)
    try:
        ctx = ShotContext(window=None, staff=staff["admin"], outdir=tmp_path)
        field_tablet.shots(ctx)
    finally:
        i18n.install_language(previous)
    names = [p.stem for p in ctx.saved]
    assert names == [
        "field_tablet_jobs",
        "field_tablet_arrive_late",
        "field_tablet_agreement",
        "field_tablet_finish_work",
        "field_tablet_call_centre",
        "field_tablet_report",
        "field_tablet_survey",
        "field_tablet_expenses",
    ]
    for path in ctx.saved:
        image = QImage(str(path))
        assert (image.width(), image.height()) == (1280, 800), path.name
    # staged in a transaction that was rolled back
    from shop_desk.models import FieldJob

    assert not FieldJob.select().exists()
