"""The monthly report page: figures of a small month computed on a pool thread (with the
progress bar when it takes a while), charts, tables, and export to CSV and Excel."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from factories import make_line, make_order
from shop_desk import clock
from shop_desk.services import reports
from shop_desk.states import State
from shop_desk.ui.aftercare import report as report_page

NOW = dt.datetime(2026, 11, 2, 9, 0)


def _open(make_window, login: str = "manager"):
    from shop_desk.ui.shell.widgets import app_settings

    app_settings().setValue("main/page", "reports")
    window = make_window(login)
    return window, window.show_page("reports")


def _click(qtbot, widget) -> None:
    assert widget.isEnabled(), widget.objectName()
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def _computed(qtbot, page, start: dt.date) -> reports.MonthlyReport:
    qtbot.waitUntil(
        lambda: not page.running and page.report is not None and page.report.start == start,
        timeout=10000,
    )
    return page.report


def _figures(page) -> dict[str, str]:
    return dict(page.figures_model.rows)


@pytest.fixture
def small_month(db):
    """Two cars settled in October 2026: one on the 5th, one (with a warranty line) on the 7th."""
    clock.set_now(dt.datetime(2026, 10, 5, 10, 0))
    a = make_order(State.CLOSED, paid=True)
    clock.set_now(dt.datetime(2026, 10, 7, 10, 0))
    b = make_order(State.CLOSED, lines=False, paid=True)
    make_line(b, "Replace window regulator", hours="1.00", rate="200.00", pay_type="warranty")
    clock.set_now(NOW)
    return a, b


def test_month_figures_charts_computed_in_the_background(
    qtbot, make_window, small_month, monkeypatch
):
    threads: list[int] = []
    real = reports.range_report

    def spy(*args, **kw):
        threads.append(threading.get_ident())
        return real(*args, **kw)

    monkeypatch.setattr(report_page.reports, "range_report", spy)
    window, page = _open(make_window)
    _computed(qtbot, page, dt.date(2026, 11, 1))  # the current month comes first
    page.set_month(2026, 10)
    _click(qtbot, page.show_button)
    report = _computed(qtbot, page, dt.date(2026, 10, 1))
    assert threads and all(t != threading.get_ident() for t in threads)
    assert page.title_label.text() == "Monthly report 2026-10"
    figures = _figures(page)
    assert figures["Repair orders checked in"] == "2"
    assert figures["Settled orders"] == "2"
    assert figures["Revenue: Warranty"] == "¥200.00"
    assert figures["Total revenue (tax included)"] == reports.fmt(report.total_revenue)
    # cars per day: one bar per day of the month, one car on the 5th and on the 7th
    bars = page.cars_view.chart().series()[0].barSets()[0]
    assert bars.count() == 31 and (bars.at(4), bars.at(6), bars.at(5)) == (1, 1, 0)
    pie = page.revenue_view.chart().series()[0]
    assert sorted(s.property("pay_type") for s in pie.slices()) == ["customer", "warranty"]
    hours = page.hours_view.chart().series()[0]
    assert [s.label() for s in hours.barSets()] == ["Hours sold", "Hours clocked"]
    # every table of the report
    page.view_tabs.setCurrentIndex(1)
    page.table_combo.setCurrentIndex(page.table_combo.findText("Revenue"))
    assert page.table_model.rowCount() == 6  # four pay types, discounts, total
    assert page.csv_button.isEnabled() and page.xlsx_button.isEnabled()


def test_a_range_and_the_progress_bar_of_a_slow_report(
    qtbot, make_window, small_month, monkeypatch
):
    window, page = _open(make_window)
    _computed(qtbot, page, dt.date(2026, 11, 1))
    gate = threading.Event()
    real = reports.range_report

    def slow(start, end, progress=None):
        progress(0, 7)
        gate.wait(10)  # released by the test once the bar is seen
        return real(start, end, progress)

    monkeypatch.setattr(report_page.reports, "range_report", slow)
    page.set_range(dt.date(2026, 10, 1), dt.date(2026, 11, 30))
    page._progress_timer.setInterval(0)
    try:
        _click(qtbot, page.show_button)
        qtbot.waitUntil(page.progress_bar.isVisible, timeout=5000)
        assert page.running and "Computing" in page.status_label.text()
    finally:
        gate.set()  # never leave a pool thread waiting
    _computed(qtbot, page, dt.date(2026, 10, 1))
    assert not page.progress_bar.isVisible()
    assert page.title_label.text() == "Report 2026-10-01 – 2026-11-30"
    assert _figures(page)["Repair orders checked in"] == "2"
    # two months: the car chart has a bar per day (61 days)
    assert page.cars_view.chart().series()[0].barSets()[0].count() == 61
    # a last day before the first is refused at once
    page.set_range(dt.date(2026, 11, 30), dt.date(2026, 10, 1))
    _click(qtbot, page.show_button)
    assert "before the first day" in page.banner.text() and not page.running


def test_export_csv_and_excel(qtbot, make_window, small_month, monkeypatch, tmp_path):
    window, page = _open(make_window)
    page.set_month(2026, 10)
    page.compute()
    _computed(qtbot, page, dt.date(2026, 10, 1))
    asked: list[str] = []

    def save_as(parent, title, suggested, pattern):
        asked.append(suggested)
        name = "october" + (".csv" if "csv" in pattern.lower() else "")  # the page adds .xlsx
        return str(tmp_path / name), pattern

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(save_as))
    _click(qtbot, page.csv_button)
    csv_path = tmp_path / "october.csv"
    text = csv_path.read_text(encoding="utf-8-sig")
    assert text.startswith("Monthly report 2026-10")
    assert "Repair orders checked in,2" in text
    _click(qtbot, page.xlsx_button)
    book = load_workbook(tmp_path / "october.xlsx")
    assert "Summary" in book.sheetnames and "Cars per day" in book.sheetnames
    assert asked[0].endswith("report-2026-10.csv") and asked[1].endswith("report-2026-10.xlsx")
    assert "Written" in page.banner.text()


def test_only_the_manager_has_the_report(make_window):
    window = make_window("advisor")
    assert "reports" not in window.visible_page_keys()


def test_field_figures_and_penalties_per_person(qtbot, make_window, db, monkeypatch, tmp_path):
    """A fleet visit whose crew arrived late for a personal reason: the page's figures show
    the field rows, the table chooser has the penalties per person, Excel has the sheet."""
    from factories import make_field_job
    from shop_desk.models import Staff
    from shop_desk.services import field

    staff = {s.login: s for s in Staff.select()}
    clock.set_now(dt.datetime(2026, 10, 30, 23, 40))  # required on site 31 October 08:00
    job = make_field_job(staff, "嘉定车队停车场", 8 + 1 / 3, kind="fleet_visit")
    field.depart(staff["tech1"], job.id)
    clock.set_now(dt.datetime(2026, 10, 31, 9, 30))
    field.arrive(staff["tech1"], job.id, "睡过头 overslept", personal=True)
    clock.set_now(NOW)
    window, page = _open(make_window)
    page.set_month(2026, 10)
    page.compute()
    _computed(qtbot, page, dt.date(2026, 10, 1))
    figures = _figures(page)
    assert figures["Field jobs"] == "1" and figures["Field jobs: Fleet visit"] == "1"
    assert figures["Field: on site on time"] == "0.0% (0 of 1)"
    assert figures["Penalty cases"] == "1" and figures["Major demerits"] == "0"
    page.table_combo.setCurrentText("Penalties per person")
    model = page.table_model
    assert model.rowCount() == 1
    cells = [model.index(0, c).data() for c in range(model.columnCount())]
    assert cells[:3] == [staff["tech1"].name, "1", "0"] and "100.00" in cells[3]
    monkeypatch.setattr(
        QFileDialog,
        "getSaveFileName",
        staticmethod(lambda *a: (str(tmp_path / "october"), a[-1])),
    )
    _click(qtbot, page.xlsx_button)
    sheet = load_workbook(tmp_path / "october.xlsx")["Penalties per person"]
    assert sheet.cell(2, 1).value == staff["tech1"].name and sheet.cell(2, 2).value == 1
