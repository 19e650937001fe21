"""Monthly report (月度报表) for the general manager: a month or any range, the figures, charts
(cars per day, revenue by pay type, hours sold and clocked per technician or team), every
table of the report, and export to CSV and Excel.

The report is computed on a pool thread (:class:`LatestRead`) — a busy year must not freeze
the window — with a progress bar once it takes longer than a moment; the figures come from
:mod:`shop_desk.services.reports` only.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QPieSeries,
    QValueAxis,
)
from PySide6.QtCore import QDate, QMargins, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QPainter
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from shop_desk import clock
from shop_desk.errors import DomainError
from shop_desk.i18n import translate
from shop_desk.models.orders import PAY_TYPES
from shop_desk.money import fmt
from shop_desk.services import reports
from shop_desk.ui.aftercare.common import fit_columns, setup_table
from shop_desk.ui.shell.background import LatestRead, PoolJob
from shop_desk.ui.shell.models import Column, RowTableModel
from shop_desk.ui.shell.uiload import child, load_form
from shop_desk.ui.shell.widgets import ErrorBanner, app_settings

if TYPE_CHECKING:
    from shop_desk.ui.shell.main_window import MainWindow

log = logging.getLogger(__name__)

#: Show the progress bar when the report is not there after this many ms.
PROGRESS_DELAY_MS = 300
#: Up to this many days the car chart has one bar per day, beyond it one per month.
DAILY_BARS_MAX = 62
PAY_TYPE_COLOURS = {
    "customer": "#3c78b4",
    "warranty": "#e0a030",
    "internal": "#7d8a96",
    "goodwill": "#58a55c",
}


# --------------------------------------------------------------------------- charts


def _chart_view(name: str) -> QChartView:
    chart = QChart()
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    chart.setMargins(QMargins(4, 4, 4, 4))
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    view = QChartView(chart)
    view.setObjectName(name)
    view.setRenderHint(QPainter.RenderHint.Antialiasing)
    view.setMinimumSize(260, 220)
    return view


def _reset(view: QChartView, title: str) -> QChart:
    chart = view.chart()
    chart.removeAllSeries()
    for axis in chart.axes():
        chart.removeAxis(axis)
    chart.setTitle(title)
    return chart


def _bar_axes(chart: QChart, series: QBarSeries, categories: Sequence[str], top: float) -> None:
    x = QBarCategoryAxis()
    x.append(list(categories))
    if len(categories) > 12:
        font = QFont(x.labelsFont())
        font.setPointSizeF(max(6.0, font.pointSizeF() * 0.75))
        x.setLabelsFont(font)
    if len(categories) > 40:
        x.setLabelsAngle(-90)
    chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
    series.attachAxis(x)
    y = QValueAxis()
    y.setRange(0, max(1.0, top * 1.1))
    y.setLabelFormat("%d")
    y.applyNiceNumbers()
    chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
    series.attachAxis(y)


def _hbar_axes(
    chart: QChart, series: QHorizontalBarSeries, categories: Sequence[str], top: float
) -> None:
    y = QBarCategoryAxis()
    y.append(list(categories))
    chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
    series.attachAxis(y)
    x = QValueAxis()
    x.setRange(0, max(1.0, top * 1.1))
    x.setLabelFormat("%d")
    x.applyNiceNumbers()
    chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
    series.attachAxis(x)


def cars_chart_data(report: reports.MonthlyReport) -> tuple[list[str], list[int], bool]:
    """Categories and car counts: one per day (zero days included) up to
    :data:`DAILY_BARS_MAX` days, else one per month. The flag says "per day"."""
    days = (report.end - report.start).days + 1
    if days <= DAILY_BARS_MAX:
        counts = dict(report.cars_per_day)
        labels, values = [], []
        one_month = report.start.month == report.end.month and report.start.year == report.end.year
        for n in range(days):
            day = report.start + dt.timedelta(days=n)
            labels.append(str(day.day) if one_month else f"{day:%m-%d}")
            values.append(counts.get(day, 0))
        return labels, values, True
    return [m.month for m in report.months], [m.checked_in for m in report.months], False


def hours_chart_rows(report: reports.MonthlyReport, by: str) -> list[reports.HoursRow]:
    rows = report.teams if by == "teams" else report.technicians
    return [r for r in rows if r.sold or r.clocked]


# --------------------------------------------------------------------------- the page


class ReportPage(QWidget):
    """Period choice, figures, charts, tables and export of the monthly report."""

    computed = Signal(object)  # MonthlyReport, once shown
    failed = Signal(str)

    def __init__(self, window: MainWindow) -> None:
        super().__init__()
        self.setObjectName("reportPage")
        self.window_ = window
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.form = load_form("report_page", self)
        layout.addWidget(self.form)
        f = self.form
        self.month_radio = child(f, QRadioButton, "monthRadio")
        self.range_radio = child(f, QRadioButton, "rangeRadio")
        self.month_edit = child(f, QDateEdit, "monthEdit")
        self.start_edit = child(f, QDateEdit, "startEdit")
        self.end_edit = child(f, QDateEdit, "endEdit")
        self.show_button = child(f, QPushButton, "showButton")
        self.progress_bar = child(f, QProgressBar, "progressBar")
        self.csv_button = child(f, QPushButton, "csvButton")
        self.xlsx_button = child(f, QPushButton, "xlsxButton")
        self.title_label = child(f, QLabel, "titleLabel")
        self.splitter = child(f, QSplitter, "splitter")
        self.figures_table = child(f, QTableView, "figuresTable")
        self.view_tabs = child(f, QTabWidget, "viewTabs")
        self.table_combo = child(f, QComboBox, "tableCombo")
        self.table_view = child(f, QTableView, "tableView")
        self.status_label = child(f, QLabel, "statusLabel")
        self.banner = ErrorBanner(self)
        self.banner.setObjectName("reportBanner")
        f.layout().insertWidget(1, self.banner)
        f.layout().setStretchFactor(self.splitter, 1)

        self.figures_model = RowTableModel(
            [
                Column(lambda: translate("ReportsUi", "Figure"), lambda r: r[0]),
                Column(lambda: translate("ReportsUi", "Value"), lambda r: r[1], align_right=True),
            ],
            self,
        )
        setup_table(self.figures_table, self.figures_model, stretch=0, sort_column=None)
        self.figures_table.setAlternatingRowColors(True)
        self.table_model = RowTableModel([], self)
        setup_table(self.table_view, self.table_model, stretch=None, sort_column=None)
        self.table_view.setAlternatingRowColors(True)

        grid = child(f, QWidget, "chartsTab").layout()
        assert isinstance(grid, QGridLayout)
        self.cars_view = _chart_view("carsChart")
        self.revenue_view = _chart_view("revenueChart")
        self.hours_view = _chart_view("hoursChart")
        hours_box = QWidget(self)
        hours_layout = QVBoxLayout(hours_box)
        hours_layout.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        self.hours_combo = QComboBox(hours_box)
        self.hours_combo.setObjectName("hoursCombo")
        self.hours_combo.addItem(translate("ReportsUi", "Per technician"), "technicians")
        self.hours_combo.addItem(translate("ReportsUi", "Per team"), "teams")
        top.addStretch(1)
        top.addWidget(self.hours_combo)
        hours_layout.addLayout(top)
        hours_layout.addWidget(self.hours_view, 1)
        grid.addWidget(self.cars_view, 0, 0, 1, 2)
        grid.addWidget(self.revenue_view, 1, 0)
        grid.addWidget(hours_box, 1, 1)
        grid.setRowStretch(0, 1)
        grid.setRowStretch(1, 1)
        grid.setColumnStretch(0, 2)
        grid.setColumnStretch(1, 3)

        today = clock.today()
        settings_ = app_settings()
        self.month_edit.setDate(QDate(today.year, today.month, 1))
        first = today.replace(day=1)
        self.start_edit.setDate(QDate(first.year, 1, 1))
        self.end_edit.setDate(QDate(today))
        if settings_.value("reports/mode", "month", str) == "range":
            self.range_radio.setChecked(True)
        self.hours_combo.setCurrentIndex(
            max(0, self.hours_combo.findData(settings_.value("reports/hours", "technicians", str)))
        )
        state = settings_.value("reports/splitter")
        if state is not None:
            self.splitter.restoreState(state)
        else:
            self.splitter.setSizes([420, 780])
        self.splitter.splitterMoved.connect(
            lambda *_: app_settings().setValue("reports/splitter", self.splitter.saveState())
        )
        self.progress_bar.hide()
        self.report: reports.MonthlyReport | None = None
        self.tables: dict[str, list[Sequence[object]]] = {}
        self.reader = LatestRead(translate("ReportsUi", "The report"), self)
        self.reader.progress.connect(self._progress)
        self.reader.ready.connect(self._done)
        self.reader.failed.connect(self._failed)
        self._progress_timer = QTimer(self)
        self._progress_timer.setSingleShot(True)
        self._progress_timer.setInterval(PROGRESS_DELAY_MS)
        self._progress_timer.timeout.connect(self._show_progress)

        self.month_radio.toggled.connect(self._mode_changed)
        self.show_button.clicked.connect(lambda: self.compute())
        self.csv_button.clicked.connect(lambda: self.export("csv"))
        self.xlsx_button.clicked.connect(lambda: self.export("xlsx"))
        self.table_combo.currentIndexChanged.connect(lambda _i: self._show_table())
        self.hours_combo.currentIndexChanged.connect(self._hours_changed)
        self._mode_changed()
        self._set_exportable(False)
        self.compute()

    # -- period ------------------------------------------------------------------------------
    def _mode_changed(self, *_args: object) -> None:
        month = self.month_radio.isChecked()
        self.month_edit.setEnabled(month)
        self.start_edit.setEnabled(not month)
        self.end_edit.setEnabled(not month)
        app_settings().setValue("reports/mode", "month" if month else "range")

    def set_month(self, year: int, month: int) -> None:
        self.month_radio.setChecked(True)
        self.month_edit.setDate(QDate(year, month, 1))

    def set_range(self, start: dt.date, end: dt.date) -> None:
        self.range_radio.setChecked(True)
        self.start_edit.setDate(QDate(start))
        self.end_edit.setDate(QDate(end))

    def period(self) -> tuple[dt.date, dt.date]:
        """The first and last day chosen (a whole calendar month in month mode)."""
        if self.month_radio.isChecked():
            picked = self.month_edit.date().toPython()
            first = picked.replace(day=1)
            nxt = (first + dt.timedelta(days=32)).replace(day=1)
            return first, nxt - dt.timedelta(days=1)
        return self.start_edit.date().toPython(), self.end_edit.date().toPython()

    # -- computing ---------------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self.reader.busy

    def compute(self) -> PoolJob | None:
        """Start computing the chosen period on a pool thread (a newer request wins)."""
        start, end = self.period()
        self.banner.clear_message()
        if end < start:
            self.banner.show_error(
                translate("ReportsUi", "The last day lies before the first day; swap them.")
            )
            return None
        self.progress_bar.setRange(0, 0)
        self._progress_timer.start()
        self.status_label.setText(
            translate("ReportsUi", "Computing {start} – {end}…").format(
                start=start.isoformat(), end=end.isoformat()
            )
        )
        self.show_button.setEnabled(True)
        return self.reader.start(
            lambda progress: reports.range_report(start, end, progress=progress)
        )

    def _show_progress(self) -> None:
        if self.running:
            self.progress_bar.show()

    def _progress(self, done: int, total: int) -> None:
        self.progress_bar.setRange(0, max(1, total))
        self.progress_bar.setValue(done)

    def _finish(self) -> None:
        self._progress_timer.stop()
        self.progress_bar.hide()

    def _failed(self, message: str) -> None:
        self._finish()
        self.banner.show_error(message)
        self.status_label.setText("")
        self.failed.emit(message)

    def _done(self, report: reports.MonthlyReport) -> None:
        self._finish()
        self.show_report(report)
        self.computed.emit(report)

    # -- showing -----------------------------------------------------------------------------
    def show_report(self, report: reports.MonthlyReport) -> None:
        self.report = report
        self.title_label.setText(reports.report_title(report))
        self.figures_model.set_rows(reports.report_rows(report))
        fit_columns(self.figures_table, 420)
        self.tables = reports.report_tables(report)
        current = self.table_combo.currentText()
        self.table_combo.blockSignals(True)
        self.table_combo.clear()
        for title in self.tables:
            self.table_combo.addItem(title)
        index = self.table_combo.findText(current)
        # the summary is on the left already: start with the next table
        self.table_combo.setCurrentIndex(index if index >= 0 else min(1, len(self.tables) - 1))
        self.table_combo.blockSignals(False)
        self._show_table()
        self.draw_charts()
        self._set_exportable(True)
        self.status_label.setText(
            translate("ReportsUi", "Computed {when}.").format(
                when=report.generated_at.strftime("%Y-%m-%d %H:%M")
            )
        )

    def _show_table(self) -> None:
        rows = self.tables.get(self.table_combo.currentText(), [])
        if not rows:
            self.table_model.columns = []
            self.table_model.set_rows([])
            return
        header, body = rows[0], rows[1:]
        self.table_model.beginResetModel()
        self.table_model.columns = [
            Column(
                lambda text=str(text): text,
                lambda r, i=i: r[i] if i < len(r) else None,
                display=_cell,
                align_right=any(_numeric(r[i]) for r in body if i < len(r)),
            )
            for i, text in enumerate(header)
        ]
        self.table_model.rows = list(body)
        self.table_model.endResetModel()
        fit_columns(self.table_view, 420)

    def draw_charts(self) -> None:
        report = self.report
        if report is None:
            return
        self._draw_cars(report)
        self._draw_revenue(report)
        self._draw_hours(report)

    def _draw_cars(self, report: reports.MonthlyReport) -> None:
        labels, values, daily = cars_chart_data(report)
        chart = _reset(
            self.cars_view,
            translate("ReportsUi", "Cars checked in per day")
            if daily
            else translate("ReportsUi", "Cars checked in per month"),
        )
        bars = QBarSet(translate("ReportsUi", "Cars checked in"))
        bars.setColor(QColor("#3c78b4"))
        bars.append([float(v) for v in values])
        series = QBarSeries()
        series.append(bars)
        chart.addSeries(series)
        _bar_axes(chart, series, labels, float(max(values, default=0)))
        chart.legend().hide()

    def _draw_revenue(self, report: reports.MonthlyReport) -> None:
        chart = _reset(
            self.revenue_view,
            translate("ReportsUi", "Revenue by pay type ({total})").format(
                total=fmt(report.total_revenue)
            ),
        )
        series = QPieSeries()
        total = sum((max(report.pay_type_revenue(c), 0) for c in PAY_TYPES), 0)
        for code in PAY_TYPES:
            amount = report.pay_type_revenue(code)
            if amount <= 0:
                continue
            share = round(100 * amount / total) if total else 0
            piece = series.append(f"{reports.pay_type_label(code)} {share}%", float(amount))
            piece.setColor(QColor(PAY_TYPE_COLOURS.get(code, "#999999")))
            piece.setProperty("pay_type", code)
        series.setPieSize(0.7)
        chart.addSeries(series)
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        chart.legend().setVisible(bool(series.count()))
        if not series.count():
            chart.setTitle(chart.title() + " — " + translate("ReportsUi", "no settled orders"))

    def _draw_hours(self, report: reports.MonthlyReport) -> None:
        by = self.hours_combo.currentData() or "technicians"
        rows = hours_chart_rows(report, by)
        chart = _reset(
            self.hours_view,
            translate("ReportsUi", "Hours sold and clocked per technician")
            if by == "technicians"
            else translate("ReportsUi", "Hours sold and clocked per team"),
        )
        sold = QBarSet(translate("ReportsUi", "Hours sold"))
        sold.setColor(QColor("#3c78b4"))
        clocked = QBarSet(translate("ReportsUi", "Hours clocked"))
        clocked.setColor(QColor("#e0a030"))
        sold.append([float(r.sold) for r in rows])
        clocked.append([float(r.clocked) for r in rows])
        series = QHorizontalBarSeries()
        series.append(sold)
        series.append(clocked)
        chart.addSeries(series)
        labels = [f"{r.name} {r.efficiency}%" if r.efficiency is not None else r.name for r in rows]
        top = max([float(r.sold) for r in rows] + [float(r.clocked) for r in rows] + [0.0])
        _hbar_axes(chart, series, labels, top)
        chart.legend().setVisible(True)

    def _hours_changed(self, _index: int) -> None:
        app_settings().setValue("reports/hours", self.hours_combo.currentData())
        if self.report is not None:
            self._draw_hours(self.report)

    # -- export ------------------------------------------------------------------------------
    def _set_exportable(self, on: bool) -> None:
        self.csv_button.setEnabled(on)
        self.xlsx_button.setEnabled(on)

    def default_name(self, kind: str) -> str:
        report = self.report
        if report is None:
            return f"report.{kind}"
        last = (report.start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        if report.start.day == 1 and report.end == last - dt.timedelta(days=1):
            stem = f"report-{report.start:%Y-%m}"
        else:
            stem = f"report-{report.start.isoformat()}-{report.end.isoformat()}"
        return f"{stem}.{kind}"

    def export(self, kind: str) -> Path | None:
        """Save the report shown as CSV (all tables in one file) or Excel (a sheet each)."""
        if self.report is None:
            return None
        folder = app_settings().value("export/folder", "", str)
        name = self.default_name(kind)
        suggested = str(Path(folder) / name) if folder else name
        if kind == "csv":
            title = translate("ReportsUi", "Export the report as CSV")
            pattern = translate("ReportsUi", "CSV files (*.csv)")
        else:
            title = translate("ReportsUi", "Export the report for Excel")
            pattern = translate("ReportsUi", "Excel workbooks (*.xlsx)")
        path, _ = QFileDialog.getSaveFileName(self, title, suggested, pattern)
        if not path:
            return None
        if not path.lower().endswith(f".{kind}"):
            path += f".{kind}"
        try:
            written = reports.export_report(
                self.report,
                csv_path=path if kind == "csv" else None,
                xlsx_path=path if kind == "xlsx" else None,
            )[0]
        except DomainError as exc:
            self.banner.show_error(str(exc))
            return None
        app_settings().setValue("export/folder", str(Path(path).parent))
        text = translate("ReportsUi", "Written: {path}").format(path=written)
        self.banner.show_info(text)
        self.window_.show_status(text)
        return written

    def refresh(self) -> None:
        """F5 / showing the page again: compute the chosen period anew."""
        if not self.running:
            self.compute()

    def screenshot_views(self) -> list[tuple[str, Callable[[], object]]]:
        def tables() -> None:
            self.view_tabs.setCurrentIndex(1)

        def charts() -> None:
            self.view_tabs.setCurrentIndex(0)

        return [("tables", tables), ("charts", charts)]


def _numeric(value: Any) -> bool:
    from decimal import Decimal

    return isinstance(value, int | Decimal) and not isinstance(value, bool)


def _cell(value: Any) -> str:
    from decimal import Decimal

    from shop_desk.export import cell_text

    if isinstance(value, Decimal):
        return f"{value:,}"
    return cell_text(value)
