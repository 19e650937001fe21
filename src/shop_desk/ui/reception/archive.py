"""The vehicle's service archive beside the reception flow (服务档案)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from shop_desk.i18n import join_list, translate
from shop_desk.services import archive as archive_service
from shop_desk.services import warranty
from shop_desk.states import State
from shop_desk.ui.reception.flow import escape


def category_label(code: str) -> str:
    return {
        "general": translate("ReceptionPage", "Whole vehicle"),
        "body": translate("ReceptionPage", "Body and paint"),
        "wear": translate("ReceptionPage", "Wear parts"),
        "accessory": translate("ReceptionPage", "Accessories"),
        "maintenance": translate("ReceptionPage", "Maintenance"),
        "shop_fitted": translate("ReceptionPage", "Shop-fitted parts"),
    }.get(code, code)


class ArchivePanel(QScrollArea):
    """The vehicle's service archive beside the flow (服务档案)."""

    add_requested = Signal(int)  # a declined recommendation to raise again

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("archivePanel")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.vehicle_id: int | None = None
        self.can_add = False
        self.add_buttons: dict[int, QPushButton] = {}
        self.show_vehicle(None)

    def _label(self, text: str, style: str = "", rich: bool = False) -> QLabel:
        label = QLabel(text)
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.RichText if rich else Qt.TextFormat.PlainText)
        if style:
            label.setStyleSheet(style)
        return label

    def _heading(self, text: str) -> QLabel:
        return self._label(text, "font-weight: bold; color: #2b2f33; margin-top: 6px;")

    def set_can_add(self, can: bool) -> None:
        self.can_add = can
        for button in self.add_buttons.values():
            button.setEnabled(can)

    def refresh(self) -> None:
        self.show_vehicle(self.vehicle_id)

    def show_vehicle(self, vehicle_id: int | None) -> None:
        self.vehicle_id = vehicle_id
        self.add_buttons = {}
        content = QWidget()
        content.setObjectName("archiveContent")
        layout = QVBoxLayout(content)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addWidget(
            self._label(
                translate("ReceptionPage", "Service archive"), "font-size: 12pt; font-weight: bold;"
            )
        )
        if vehicle_id is None:
            layout.addWidget(
                self._label(
                    translate("ReceptionPage", "Choose a car to see its service archive."),
                    "color: #777;",
                )
            )
            layout.addStretch(1)
            self.setWidget(content)
            return
        arch = archive_service.vehicle_archive(vehicle_id)
        self.archive = arch
        if arch.comeback_warning:
            warn = self._label(
                arch.comeback_warning,
                "background:#fdecea; color:#8a1c12; border:1px solid #f3b4ad;"
                " border-radius:4px; padding:6px;",
            )
            warn.setObjectName("comebackWarning")
            layout.addWidget(warn)
        if arch.maintenance is not None:
            m = arch.maintenance
            style = (
                "color:#8a5300; font-weight:bold;"
                if m.due
                else ("color:#8a5300;" if m.soon else "color:#555;")
            )
            label = self._label(m.text, style)
            label.setObjectName("maintenanceDue")
            layout.addWidget(label)

        layout.addWidget(self._heading(translate("ReceptionPage", "Warranty status")))
        for category, decision in arch.warranty.items():
            colour = {
                warranty.COVERED: "#1d6b2f",
                warranty.NOT_COVERED: "#666",
                warranty.PENDING: "#8a5300",
            }.get(decision.status, "#666")
            label = self._label(
                f"{category_label(category)}: {warranty.status_label(decision.status)}",
                f"color:{colour};",
            )
            label.setToolTip(decision.reason)
            layout.addWidget(label)

        if arch.declined_recommendations:
            layout.addWidget(
                self._heading(translate("ReceptionPage", "Declined earlier — raise again"))
            )
            seen: set[str] = set()
            for rec in reversed(arch.declined_recommendations):
                key = " ".join(rec.description.lower().split())
                if key in seen:
                    continue
                seen.add(key)
                row = QWidget()
                h = QHBoxLayout(row)
                h.setContentsMargins(0, 0, 0, 0)
                text = rec.description
                if rec.safety:
                    text += " " + translate("ReceptionPage", "(safety-relevant)")
                h.addWidget(self._label(text, "color:#8a1c12;" if rec.safety else ""), 1)
                button = QPushButton(translate("ReceptionPage", "Add"), row)
                button.setObjectName(f"raiseAgain_{rec.id}")
                button.setToolTip(translate("ReceptionPage", "Add it to the estimate"))
                button.setAutoDefault(False)
                button.setEnabled(self.can_add)
                button.clicked.connect(lambda _=False, rid=rec.id: self.add_requested.emit(rid))
                h.addWidget(button)
                self.add_buttons[rec.id] = button
                layout.addWidget(row)

        if arch.open_complaints:
            layout.addWidget(self._heading(translate("ReceptionPage", "Open complaints")))
            for complaint in arch.open_complaints:
                layout.addWidget(
                    self._label(
                        f"{complaint.number}: {complaint.description[:120]}", "color:#8a1c12;"
                    )
                )

        if arch.field_links:
            layout.addWidget(self._heading(translate("ReceptionPage", "Field jobs")))
            for link in arch.field_links[:6]:
                text = escape(link.text())
                if link.order_number:
                    text += "<br><span style='color:#555'>{}</span>".format(
                        escape(
                            translate("ReceptionPage", "Towed in: repair order {number}").format(
                                number=link.order_number
                            )
                        )
                    )
                label = self._label(text, rich=True)
                label.setObjectName(f"fieldJob_{link.id}")
                layout.addWidget(label)

        layout.addWidget(self._heading(translate("ReceptionPage", "Past visits")))
        visits = [v for v in arch.visits if v.state != State.CHECKED_IN.value]
        if not visits:
            layout.addWidget(
                self._label(translate("ReceptionPage", "First visit at this shop."), "color:#777;")
            )
        for visit in visits[:6]:
            km = f" · {visit.odometer_km:,} km" if visit.odometer_km else ""
            head = f"<b>{visit.date:%Y-%m-%d}</b> · {visit.number}{km}"
            if visit.is_comeback:
                head += " · <span style='color:#8a1c12'>{}</span>".format(
                    translate("ReceptionPage", "comeback")
                )
            work = join_list(visit.work[:4], clauses=True) or visit.complaint_text[:80]
            label = self._label(
                f"{head}<br><span style='color:#555'>{escape(work)}</span>", rich=True
            )
            layout.addWidget(label)
        if len(visits) > 6:
            layout.addWidget(
                self._label(
                    translate("ReceptionPage", "{n} earlier visits").format(n=len(visits) - 6),
                    "color:#777;",
                )
            )
        layout.addStretch(1)
        self.setWidget(content)
