"""The station's Checks tab: the order's quality checks round by round — the technician's
self-check, the team leader's check and the QC inspector's final inspection (the action bar
records them)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QTableView, QWidget

from shop_desk.i18n import translate
from shop_desk.models import RepairOrder
from shop_desk.ui.shell.models import Column, RowTableModel
from shop_desk.ui.shell.uiload import child
from shop_desk.ui.station import reads
from shop_desk.ui.station.common import StationHost, StationTab, fit_table, setup_table


class ChecksTab(StationTab):
    """The quality checks so far; see the module docstring."""

    def __init__(self, body: QWidget, host: StationHost) -> None:
        super().__init__(body, host)
        self.setObjectName("stationChecks")
        self.quality_label = child(body, QLabel, "qualityLabel")
        self.qc_view = child(body, QTableView, "qcTable")
        self.qc_model = RowTableModel(
            [
                Column(lambda: translate("Station", "Round"), lambda r: r.round),
                Column(lambda: translate("Station", "Check"), lambda r: reads.stage_label(r.stage)),
                Column(
                    lambda: translate("Station", "Result"),
                    lambda r: (
                        translate("Station", "Passed")
                        if r.passed
                        else translate("Station", "Not passed")
                    ),
                ),
                Column(lambda: translate("Station", "By"), lambda r: r.by),
                Column(lambda: translate("Station", "At"), lambda r: r.at, display=reads.when),
                Column(lambda: translate("Station", "Reason / advice"), lambda r: r.text),
            ],
            self,
        )
        self.qc_view.setModel(self.qc_model)
        setup_table(self.qc_view, 5, 34)

    def fill(self, order: RepairOrder) -> None:
        rows = reads.qc_rows(order.id)
        self.qc_model.set_rows(rows)
        fit_table(self.qc_view, 5)
        self.quality_label.setText(
            translate("Station", "Round {round}. Rework so far: {n}.").format(
                round=order.rework_count + 1, n=order.rework_count
            )
            + " "
            + translate(
                "Station",
                "Self-check by the technician → team-leader check → final inspection by the QC inspector.",
            )
        )

    def clear(self) -> None:
        self.qc_model.set_rows([])
