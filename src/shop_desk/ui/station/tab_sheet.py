"""The station's Check-in sheet tab: the car's damage diagram (marks made at reception in red,
those found in the workshop in blue), the marks listed, fuel, odometer and valuables."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QTableView, QVBoxLayout, QWidget

from shop_desk.i18n import translate
from shop_desk.models import RepairOrder
from shop_desk.ui.shell.models import Column, RowTableModel
from shop_desk.ui.shell.uiload import child
from shop_desk.ui.station import reads
from shop_desk.ui.station.common import StationHost, StationTab, fit_table, setup_table
from shop_desk.ui.station.damage import DamageDiagram, DiagramMark


class SheetTab(StationTab):
    """The check-in sheet, read-only; see the module docstring."""

    def __init__(self, body: QWidget, host: StationHost) -> None:
        super().__init__(body, host)
        self.setObjectName("stationSheet")
        self.sheet_label = child(body, QLabel, "sheetLabel")
        holder = child(body, QWidget, "diagramHolder")
        lay = QVBoxLayout(holder)
        lay.setContentsMargins(0, 0, 0, 0)
        self.diagram = DamageDiagram(holder)
        lay.addWidget(self.diagram)
        self.marks_view = child(body, QTableView, "marksTable")
        self.marks_model = RowTableModel(
            [
                Column(lambda: translate("Station", "No."), lambda m: m.number),
                Column(lambda: translate("Station", "View"), lambda m: reads.view_label(m.view)),
                Column(
                    lambda: translate("Station", "Damage"),
                    lambda m: reads.damage_kind_label(m.kind),
                ),
                Column(lambda: translate("Station", "Note"), lambda m: m.note),
                Column(
                    lambda: translate("Station", "Recorded"),
                    lambda m: (
                        translate("Station", "Workshop")
                        if m.found_in_workshop
                        else translate("Station", "At reception")
                    ),
                ),
            ],
            self,
        )
        self.marks_view.setModel(self.marks_model)
        setup_table(self.marks_view, 3, 30)

    def fill(self, order: RepairOrder) -> None:
        sheet = reads.check_in_sheet(order.id)
        self.marks_model.set_rows(sheet.marks)
        fit_table(self.marks_view, 3)
        self.diagram.set_marks(
            [
                DiagramMark(m.number, m.view, m.x, m.y, m.kind, m.found_in_workshop, m.note)
                for m in sheet.marks
            ]
        )
        parts = []
        if sheet.fuel_level is not None:
            parts.append(translate("Station", "fuel {n}%").format(n=sheet.fuel_level))
        if sheet.odometer_km:
            parts.append(translate("Station", "{km} km").format(km=f"{sheet.odometer_km:,}"))
        if sheet.valuables:
            parts.append(translate("Station", "valuables: {text}").format(text=sheet.valuables))
        parts.append(reads.damage_marks_text(len(sheet.marks)))
        self.sheet_label.setText(
            " · ".join(parts)
            + "  "
            + translate("Station", "(red: at reception, blue: found in the workshop)")
        )

    def clear(self) -> None:
        self.marks_model.set_rows([])
