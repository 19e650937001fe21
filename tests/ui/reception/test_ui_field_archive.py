"""A car towed in from a field job (issue 21): the reception's archive panel and the order's
summary show the field job beside the repair order it became."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QLabel

from factories import make_field_job
from shop_desk import clock
from shop_desk.services import field
from shop_desk.ui.reception import page as rp
from shop_desk.ui.shell.summaries import OrderSummaryDialog

NOW = dt.datetime(2026, 11, 2, 9, 0)


def _towed_in(staff):
    clock.set_now(NOW)
    job = make_field_job(staff, "沪宁高速 G42 km 12", 3, customer_name="李师傅 Li")
    field.depart(staff["tech1"], job.id)
    clock.set_now(NOW + dt.timedelta(hours=2))
    field.arrive(staff["tech1"], job.id)
    field.cannot_fix_on_site(staff["tech1"], job.id, "变速箱故障 gearbox failure")
    order = field.tow_in(staff["advisor"], job.id, odometer_km=13000).order
    return job, order


def test_the_archive_panel_shows_the_field_job_and_its_order(qtbot, make_window, db, staff):
    rp.register()
    job, order = _towed_in(staff)
    window = make_window("advisor")
    page = window.show_page("reception")
    page.select_vehicle(job.vehicle_id)
    label = page.archive.findChild(QLabel, f"fieldJob_{job.id}")
    assert label is not None and label.isVisibleTo(page.archive)
    text = label.text()
    assert job.number in text and "Breakdown on the road (rescue)" in text
    assert "2026-11-02" in text and "service report not handed in" in text
    assert f"Towed in: repair order {order.number}" in text
    headings = [w.text() for w in page.archive.widget().findChildren(QLabel)]
    assert "Field jobs" in headings


def test_the_order_summary_names_the_field_job(qtbot, db, staff):
    job, order = _towed_in(staff)
    dialog = OrderSummaryDialog(order.id)
    qtbot.addWidget(dialog)
    values = {
        dialog.form.labelForField(dialog.form.itemAt(i).widget()).text(): (
            dialog.form.itemAt(i).widget().text()
        )
        for i in range(dialog.form.count())
        if dialog.form.itemAt(i).widget() is not None
        and dialog.form.labelForField(dialog.form.itemAt(i).widget()) is not None
    }
    shown = values["Field job"]
    assert shown.startswith(f"{job.number} · Breakdown on the road (rescue) · 2026-11-02")
    assert "On site" not in shown and "Work finished" in shown
    assert "service report not handed in" in shown
