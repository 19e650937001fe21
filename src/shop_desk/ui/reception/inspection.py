"""The walk-around inspection (环车检查) as one touch-friendly widget.

The car diagram (``resources/images/car_diagram.svg``, views from :mod:`shop_desk.diagram`)
takes a tap as a damage mark of the chosen kind; marks of the last visit are drawn faded so
what is new since then stands out. Fuel level, odometer, warning lights, protective set,
spare wheel and tool kit, valuables and photos (from files or dropped on the widget) complete
the vehicle check-in sheet (接车登记表). The widget only collects; the reception page saves
it with :func:`shop_desk.services.reception.record_inspection` (see :meth:`values`).
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QMimeData, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QDragEnterEvent,
    QDropEvent,
    QFont,
    QIcon,
    QImage,
    QIntValidator,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QPixmap,
    QPolygonF,
)
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QSlider,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from shop_desk import diagram
from shop_desk.i18n import translate
from shop_desk.models import DamageMark, Inspection, InspectionPhoto, OdometerReading, RepairOrder
from shop_desk.services.reception import MAX_PHOTO_BYTES, WARNING_LIGHTS
from shop_desk.ui.shell.uiload import child, load_form

OLD_MARK_COLOUR = "#8d8d8d"
THUMB = 88
#: Drafts keep photos only while they are small (a crash must not lose them, nor bloat drafts).
DRAFT_PHOTO_LIMIT = 4 * 1024 * 1024
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp", ".tif", ".tiff")


def kind_label(code: str) -> str:
    """Screen word of a damage kind (划痕 / 凹陷 / 裂纹 / 掉漆)."""
    return {
        "scratch": translate("Inspection", "Scratch"),
        "dent": translate("Inspection", "Dent"),
        "crack": translate("Inspection", "Crack"),
        "chip": translate("Inspection", "Chip"),
        "other": translate("Inspection", "Other"),
    }.get(code, code)


def view_label(code: str) -> str:
    return {
        "top": translate("Inspection", "From above"),
        "front": translate("Inspection", "Front"),
        "rear": translate("Inspection", "Rear"),
        "left": translate("Inspection", "Left side"),
        "right": translate("Inspection", "Right side"),
    }.get(code, code)


def light_label(code: str) -> str:
    return {
        "engine": translate("Inspection", "Engine"),
        "oil": translate("Inspection", "Oil pressure"),
        "battery": translate("Inspection", "Battery"),
        "brake": translate("Inspection", "Brake"),
        "abs": translate("Inspection", "ABS"),
        "airbag": translate("Inspection", "Airbag"),
        "coolant": translate("Inspection", "Coolant temperature"),
        "tpms": translate("Inspection", "Tyre pressure"),
        "esp": translate("Inspection", "Stability control"),
        "other": translate("Inspection", "Other light"),
    }.get(code, code)


# ------------------------------------------------------------------------------ read models


@dataclass
class PreviousInspection:
    """The walk-around of the vehicle's last earlier visit (its marks are shown faded)."""

    order_number: str
    recorded_at: dt.datetime
    marks: list[dict[str, Any]] = field(default_factory=list)


def _mark_dict(mark: DamageMark) -> dict[str, Any]:
    return {
        "view": mark.view,
        "x": float(mark.x),
        "y": float(mark.y),
        "kind": mark.kind,
        "note": mark.note,
    }


def previous_inspection(order_id: int) -> PreviousInspection | None:
    """The last walk-around of the same vehicle on an earlier order (None for a first visit)."""
    order = RepairOrder.get_by_id(order_id)
    row = (
        Inspection.select(Inspection, RepairOrder)
        .join(RepairOrder)
        .where((RepairOrder.vehicle == order.vehicle_id) & (RepairOrder.id != order.id))
        .where(RepairOrder.id < order.id)
        .order_by(Inspection.recorded_at.desc(), Inspection.id.desc())
        .first()
    )
    if row is None:
        return None
    marks = [_mark_dict(m) for m in DamageMark.select().where(DamageMark.inspection == row)]
    return PreviousInspection(row.order.number, row.recorded_at, marks)


def last_odometer_km(order_id: int) -> int:
    """The vehicle's last reading before this order (what a lower reading is compared with)."""
    order = RepairOrder.get_by_id(order_id)
    reading = (
        OdometerReading.select()
        .where(
            (OdometerReading.vehicle == order.vehicle_id)
            & ((OdometerReading.order_id.is_null()) | (OdometerReading.order_id != order.id))
        )
        .order_by(OdometerReading.id.desc())
        .first()
    )
    if reading is not None:
        return reading.km
    vehicle = order.vehicle
    own = (
        OdometerReading.select()
        .where((OdometerReading.vehicle == vehicle) & (OdometerReading.order_id == order.id))
        .exists()
    )
    return 0 if own else vehicle.last_odometer_km


def registered_odometer_km(order_id: int) -> int:
    """The reading the walk-around starts from: the order's own, else the one typed when the
    car was registered on the day of check-in (typed once, not asked twice); 0 otherwise."""
    order = RepairOrder.get_by_id(order_id)
    if order.odometer_km:
        return order.odometer_km
    reading = (
        OdometerReading.select()
        .where(
            (OdometerReading.vehicle == order.vehicle_id)
            & (OdometerReading.source == "registration")
            & OdometerReading.order_id.is_null()
        )
        .order_by(OdometerReading.id.desc())
        .first()
    )
    checked_in = order.checked_in_at
    if reading is None or checked_in is None or reading.read_at.date() != checked_in.date():
        return 0
    return reading.km


def saved_inspection(order_id: int) -> dict[str, Any] | None:
    """The walk-around stored on the order, in the shape :meth:`InspectionWidget.set_values` takes."""
    row = Inspection.get_or_none(Inspection.order == order_id)
    if row is None:
        return None
    marks = list(DamageMark.select().where(DamageMark.inspection == row).order_by(DamageMark.id))
    return {
        "fuel_level": row.fuel_level,
        "odometer_km": str(row.odometer_km),
        "warning_lights": json.loads(row.warning_lights or "[]"),
        "spare_wheel": row.spare_wheel,
        "tool_kit": row.tool_kit,
        "protective_set": row.protective_set,
        "valuables": row.valuables,
        "notes": row.notes,
        "marks": [_mark_dict(m) for m in marks if not m.found_in_workshop],
        "workshop_marks": [_mark_dict(m) for m in marks if m.found_in_workshop],
        "photos": [
            (p.filename, bytes(p.image))
            for p in InspectionPhoto.select()
            .where(InspectionPhoto.inspection == row)
            .order_by(InspectionPhoto.id)
        ],
    }


# ------------------------------------------------------------------------------ drawing


def draw_mark(
    painter: QPainter,
    centre: QPointF,
    kind: str,
    colour: QColor,
    size: float = 9.0,
    dashed: bool = False,
) -> None:
    """The symbol of a damage kind (the same shapes the printed check-in sheet uses)."""
    pen = QPen(colour, 3 if not dashed else 2)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    if dashed:
        pen.setStyle(Qt.PenStyle.DashLine)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    symbol = diagram.MARK_SYMBOLS.get(kind, "square")
    x, y, s = centre.x(), centre.y(), size
    if symbol == "cross":
        painter.drawLine(QPointF(x - s, y - s), QPointF(x + s, y + s))
        painter.drawLine(QPointF(x - s, y + s), QPointF(x + s, y - s))
    elif symbol == "circle":
        painter.drawEllipse(centre, s, s)
    elif symbol == "triangle":
        painter.drawPolygon(
            QPolygonF([QPointF(x, y - s), QPointF(x + s, y + s * 0.8), QPointF(x - s, y + s * 0.8)])
        )
    elif symbol == "dot":
        painter.setBrush(colour)
        painter.drawEllipse(centre, s * 0.6, s * 0.6)
    else:
        painter.drawRect(QRectF(x - s * 0.8, y - s * 0.8, s * 1.6, s * 1.6))


def kind_icon(kind: str, colour: str = diagram.MARK_COLOUR, size: int = 28) -> QIcon:
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    draw_mark(painter, QPointF(size / 2, size / 2), kind, QColor(colour), size * 0.3)
    painter.end()
    return QIcon(pixmap)


class CarDiagram(QWidget):
    """The five views of the car; a tap adds a mark of :attr:`kind` or selects a mark.

    Marks are dicts ``{view, x, y, kind, note}`` with x/y as fractions of the view's
    rectangle (what :class:`DamageMark` stores)."""

    changed = Signal()
    selection_changed = Signal(int)
    missed = Signal()  # a tap between the views

    HIT_RADIUS = 22

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("carDiagram")
        self.renderer = QSvgRenderer(str(diagram.svg_path()), self)
        self.marks: list[dict[str, Any]] = []
        self.workshop_marks: list[dict[str, Any]] = []
        self.old_marks: list[dict[str, Any]] = []
        self.kind = "scratch"
        self.selected = -1
        self.read_only = False
        self.setMinimumSize(480, 210)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName(translate("Inspection", "Car diagram"))

    # -- geometry -----------------------------------------------------------------------
    def box(self) -> QRectF:
        """Where the diagram is drawn: the widget minus a margin, same aspect as the SVG."""
        area = QRectF(self.rect()).adjusted(4, 4, -4, -4)
        scale = min(area.width() / diagram.WIDTH, area.height() / diagram.HEIGHT)
        w, h = diagram.WIDTH * scale, diagram.HEIGHT * scale
        return QRectF(area.x() + (area.width() - w) / 2, area.y() + (area.height() - h) / 2, w, h)

    def point_of(self, mark: dict[str, Any]) -> QPointF:
        box = self.box()
        ux, uy = diagram.mark_position(mark["view"], mark["x"], mark["y"])
        return QPointF(
            box.x() + ux / diagram.WIDTH * box.width(), box.y() + uy / diagram.HEIGHT * box.height()
        )

    def widget_point(self, view: str, x: float, y: float) -> QPointF:
        """Where a tap must land for a mark at (view, x, y) — used by tests and screenshots."""
        return self.point_of({"view": view, "x": x, "y": y})

    def mark_index_at(self, pos: QPointF) -> int:
        best, best_d = -1, float(self.HIT_RADIUS)
        for n, mark in enumerate(self.marks):
            p = self.point_of(mark)
            d = ((p.x() - pos.x()) ** 2 + (p.y() - pos.y()) ** 2) ** 0.5
            if d <= best_d:
                best, best_d = n, d
        return best

    # -- editing ------------------------------------------------------------------------
    def set_marks(
        self,
        marks: list[dict[str, Any]],
        old: list[dict[str, Any]] | None = None,
        workshop: list[dict[str, Any]] | None = None,
    ) -> None:
        self.marks = [dict(m) for m in marks]
        if old is not None:
            self.old_marks = [dict(m) for m in old]
        if workshop is not None:
            self.workshop_marks = [dict(m) for m in workshop]
        self.selected = -1
        self.update()
        self.selection_changed.emit(-1)

    def add_mark(
        self, view: str, x: float, y: float, kind: str | None = None, note: str = ""
    ) -> int:
        self.marks.append({"view": view, "x": x, "y": y, "kind": kind or self.kind, "note": note})
        self.select(len(self.marks) - 1)
        self.changed.emit()
        return self.selected

    def select(self, index: int) -> None:
        self.selected = index if 0 <= index < len(self.marks) else -1
        self.update()
        self.selection_changed.emit(self.selected)

    def remove_selected(self) -> None:
        if 0 <= self.selected < len(self.marks):
            del self.marks[self.selected]
            self.select(-1)
            self.changed.emit()

    def set_selected_kind(self, kind: str) -> None:
        if 0 <= self.selected < len(self.marks) and self.marks[self.selected]["kind"] != kind:
            self.marks[self.selected]["kind"] = kind
            self.update()
            self.changed.emit()

    def set_selected_note(self, note: str) -> None:
        if 0 <= self.selected < len(self.marks) and self.marks[self.selected]["note"] != note:
            self.marks[self.selected]["note"] = note
            self.changed.emit()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton or self.read_only:
            return super().mousePressEvent(event)
        pos = event.position()
        hit = self.mark_index_at(pos)
        if hit >= 0:
            self.select(hit)
            return
        box = self.box()
        if not box.contains(pos):
            self.missed.emit()
            return
        found = diagram.mark_at(
            (pos.x() - box.x()) / box.width(), (pos.y() - box.y()) / box.height()
        )
        if found is None:
            self.missed.emit()
            return
        self.add_mark(*found)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and self.selected >= 0:
            self.remove_selected()
            return
        super().keyPressEvent(event)

    # -- painting -----------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor("#ffffff"))
        box = self.box()
        self.renderer.render(painter, box)
        scale = box.width() / diagram.WIDTH
        font = QFont(self.font())
        font.setPointSizeF(max(7.0, font.pointSizeF() * 0.85))
        painter.setFont(font)
        painter.setPen(QColor("#6b6b6b"))
        for view, rect in diagram.VIEW_RECTS.items():
            painter.drawText(
                QPointF(
                    box.x() + (rect.x + 2) * scale, box.y() + rect.y * scale + font.pointSizeF()
                ),
                view_label(view),
            )
        size = max(6.0, 9.0 * min(1.6, scale * 1.3))
        old = QColor(OLD_MARK_COLOUR)
        old.setAlpha(150)
        for mark in self.old_marks:
            draw_mark(painter, self.point_of(mark), mark["kind"], old, size, dashed=True)
        for mark in self.workshop_marks:
            draw_mark(
                painter,
                self.point_of(mark),
                mark["kind"],
                QColor(diagram.WORKSHOP_MARK_COLOUR),
                size,
            )
        bold = QFont(font)
        bold.setBold(True)
        painter.setFont(bold)
        for n, mark in enumerate(self.marks):
            p = self.point_of(mark)
            if n == self.selected:
                painter.setPen(QPen(QColor("#1f5fa8"), 2))
                painter.setBrush(QColor(31, 95, 168, 40))
                painter.drawEllipse(p, size * 2, size * 2)
            draw_mark(painter, p, mark["kind"], QColor(diagram.MARK_COLOUR), size)
            painter.setPen(QColor(diagram.MARK_COLOUR))
            painter.drawText(QPointF(p.x() + size + 2, p.y() - size + 2), str(n + 1))
        painter.end()


# ------------------------------------------------------------------------------ the widget


def _image_bytes(path: Path) -> tuple[bytes | None, str]:
    """The file's bytes if it is a picture within the size limit, else a sentence why not."""
    try:
        data = path.read_bytes()
    except OSError:
        return None, translate("Inspection", "{name} cannot be read.").format(name=path.name)
    if len(data) > MAX_PHOTO_BYTES:
        return None, translate("Inspection", "{name} is larger than 10 MB.").format(name=path.name)
    if QImage.fromData(data).isNull():
        return None, translate("Inspection", "{name} is not a picture.").format(name=path.name)
    return data, ""


class InspectionWidget(QWidget):
    """Everything of the walk-around in one form (forms/reception_inspection.ui).

    ``changed`` fires on every edit (drafts); ``problem(text)`` reports a refused photo."""

    changed = Signal()
    problem = Signal(str)
    submit_requested = Signal()  # Enter in the odometer, valuables or notes field

    FUEL_STEPS = (0, 25, 50, 75, 100)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("inspectionWidget")
        self.form = load_form("reception_inspection", self)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.form)
        self.setAcceptDrops(True)
        self.last_km = 0
        self.photos: list[tuple[str, bytes]] = []
        self.previous: PreviousInspection | None = None
        self._loading = False

        self.diagram = CarDiagram(self)
        child(self.form, QWidget, "diagramHost").layout().addWidget(self.diagram)
        self.legend = child(self.form, QLabel, "legendLabel")
        self.default_legend = self.legend.text()

        # kind chooser: big exclusive buttons
        self.kind_group = QButtonGroup(self)
        self.kind_group.setExclusive(True)
        self.kind_buttons: dict[str, QPushButton] = {}
        bar = child(self.form, QWidget, "kindBarHost").layout()
        for kind in diagram.MARK_KINDS:
            button = QPushButton(kind_icon(kind), kind_label(kind), self)
            button.setObjectName(f"kind_{kind}")
            button.setCheckable(True)
            button.setMinimumHeight(48)
            button.setIconSize(QSize(24, 24))
            button.setAutoDefault(False)
            self.kind_group.addButton(button)
            self.kind_buttons[kind] = button
            bar.addWidget(button)
            button.clicked.connect(lambda _=False, k=kind: self._kind_clicked(k))
        self.kind_buttons["scratch"].setChecked(True)

        self.mark_note = child(self.form, QLineEdit, "markNoteEdit")
        self.mark_kind = child(self.form, QComboBox, "markKindCombo")
        for kind in diagram.MARK_KINDS:
            self.mark_kind.addItem(kind_icon(kind), kind_label(kind), kind)
        self.mark_kind.activated.connect(
            lambda _i: self.diagram.set_selected_kind(self.mark_kind.currentData())
        )
        self.remove_mark_button = child(self.form, QPushButton, "removeMarkButton")
        self.marks_list = child(self.form, QListWidget, "marksList")
        self.carry_over_button = child(self.form, QPushButton, "carryOverButton")
        self.mark_note.textEdited.connect(self._note_edited)
        self.remove_mark_button.clicked.connect(self.diagram.remove_selected)
        self.carry_over_button.clicked.connect(self.carry_over_old_marks)
        self.marks_list.currentRowChanged.connect(self._list_row_changed)
        self.diagram.changed.connect(self._marks_changed)
        self.diagram.selection_changed.connect(self._selection_changed)
        self.diagram.missed.connect(
            lambda: self.legend.setText(
                translate("Inspection", "Tap on one of the five views of the car.")
            )
        )

        # readings
        self.odometer = child(self.form, QLineEdit, "odometerEdit")
        self.odometer.setValidator(QIntValidator(0, 2_000_000, self.odometer))
        self.odometer.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.odometer_hint = child(self.form, QLabel, "odometerHint")
        self.odometer.textChanged.connect(self._odometer_changed)
        self.fuel = child(self.form, QSlider, "fuelSlider")
        self.fuel_value = child(self.form, QLabel, "fuelValueLabel")
        self.fuel.valueChanged.connect(self._fuel_changed)
        quick = child(self.form, QWidget, "fuelQuickHost").layout()
        self.fuel_buttons: dict[int, QPushButton] = {}
        names = {
            0: translate("Inspection", "Empty"),
            25: "1/4",
            50: "1/2",
            75: "3/4",
            100: translate("Inspection", "Full"),
        }
        for value in self.FUEL_STEPS:
            button = QPushButton(names[value], self)
            button.setObjectName(f"fuel_{value}")
            button.setMinimumHeight(40)
            button.setMinimumWidth(44)
            button.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
            button.setAutoDefault(False)
            button.clicked.connect(lambda _=False, v=value: self.fuel.setValue(v))
            quick.addWidget(button)
            self.fuel_buttons[value] = button

        # warning lights
        self.lights_group = child(self.form, QGroupBox, "lightsGroup")
        grid = self.lights_group.layout()
        assert isinstance(grid, QGridLayout)
        self.light_buttons: dict[str, QToolButton] = {}
        for n, code in enumerate(WARNING_LIGHTS):
            button = QToolButton(self)
            button.setObjectName(f"light_{code}")
            button.setText(light_label(code))
            button.setCheckable(True)
            button.setMinimumHeight(40)
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            button.setStyleSheet(
                "QToolButton { padding: 4px 6px; border: 1px solid #c8ccd0; border-radius: 6px;"
                " background: #f7f8f9; }"
                "QToolButton:checked { background: #ffb300; border-color: #c77c00; color: #000;"
                " font-weight: bold; }"
            )
            button.toggled.connect(self._emit_changed)
            grid.addWidget(button, n // 2, n % 2)
            self.light_buttons[code] = button

        # in the car
        self.protective = child(self.form, QCheckBox, "protectiveCheck")
        self.spare_wheel = child(self.form, QCheckBox, "spareWheelCheck")
        self.tool_kit = child(self.form, QCheckBox, "toolKitCheck")
        for box in (self.protective, self.spare_wheel, self.tool_kit):
            box.setStyleSheet(
                "QCheckBox { min-height: 32px; } QCheckBox::indicator { width: 24px; height: 24px; }"
            )
            box.toggled.connect(self._emit_changed)
        self.valuables = child(self.form, QLineEdit, "valuablesEdit")
        self.notes = child(self.form, QLineEdit, "notesEdit")
        for edit in (self.valuables, self.notes):
            edit.textEdited.connect(self._emit_changed)
        for edit in (self.odometer, self.valuables, self.notes):
            edit.returnPressed.connect(self.submit_requested.emit)

        # photos
        self.photo_list = QListWidget(self)
        self.photo_list.setObjectName("photoList")
        self.photo_list.setViewMode(QListView.ViewMode.IconMode)
        self.photo_list.setIconSize(QSize(THUMB, THUMB))
        self.photo_list.setResizeMode(QListView.ResizeMode.Adjust)
        self.photo_list.setMovement(QListView.Movement.Static)
        self.photo_list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.photo_list.setMinimumHeight(THUMB + 34)
        self.photo_list.setMaximumHeight(THUMB * 2 + 50)
        self.photo_list.setAcceptDrops(False)
        child(self.form, QWidget, "photoListHost").layout().addWidget(self.photo_list)
        self.add_photo_button = child(self.form, QPushButton, "addPhotoButton")
        self.remove_photo_button = child(self.form, QPushButton, "removePhotoButton")
        self.add_photo_button.clicked.connect(self.choose_photos)
        self.remove_photo_button.clicked.connect(self.remove_selected_photo)
        for button in self.findChildren(QPushButton):
            button.setAutoDefault(False)
        self.clear()

    # -- values ---------------------------------------------------------------------------
    def clear(self) -> None:
        """Defaults of a fresh walk-around (protective set fitted, spare wheel and tools there)."""
        self._loading = True
        try:
            self.diagram.set_marks([], old=[], workshop=[])
            self.previous = None
            self.odometer.clear()
            self.last_km = 0
            self.fuel.setValue(50)
            for button in self.light_buttons.values():
                button.setChecked(False)
            self.protective.setChecked(True)
            self.spare_wheel.setChecked(True)
            self.tool_kit.setChecked(True)
            self.valuables.clear()
            self.notes.clear()
            self.photos = []
            self._refresh_photos()
            self._refresh_marks_list()
            self._update_odometer_hint()
            self._update_carry_over()
        finally:
            self._loading = False

    def load(self, order_id: int) -> None:
        """Show the order's saved walk-around (or defaults) with the last visit's marks faded."""
        self.clear()
        self._loading = True
        try:
            self.previous = previous_inspection(order_id)
            self.last_km = last_odometer_km(order_id)
            saved = saved_inspection(order_id)
            if saved is not None:
                self.set_values(saved)
            else:
                km = registered_odometer_km(order_id)
                if km:
                    self.odometer.setText(str(km))
            self.diagram.old_marks = list(self.previous.marks) if self.previous else []
            self.diagram.update()
            self._update_legend()
            self._update_odometer_hint()
            self._update_carry_over()
        finally:
            self._loading = False

    def set_values(self, values: dict[str, Any]) -> None:
        """Fill the form from :func:`saved_inspection` or a draft (:meth:`state`)."""
        was = self._loading
        self._loading = True
        try:
            self.diagram.set_marks(
                list(values.get("marks", [])), workshop=list(values.get("workshop_marks", []))
            )
            self.odometer.setText(str(values.get("odometer_km", "") or ""))
            self.fuel.setValue(int(values.get("fuel_level", 50)))
            lights = set(values.get("warning_lights", []))
            for code, button in self.light_buttons.items():
                button.setChecked(code in lights)
            self.protective.setChecked(bool(values.get("protective_set", True)))
            self.spare_wheel.setChecked(bool(values.get("spare_wheel", True)))
            self.tool_kit.setChecked(bool(values.get("tool_kit", True)))
            self.valuables.setText(values.get("valuables", ""))
            self.notes.setText(values.get("notes", ""))
            if "photos" in values:
                self.photos = [(str(n), bytes(d)) for n, d in values["photos"]]
                self._refresh_photos()
            self._refresh_marks_list()
            self._update_odometer_hint()
        finally:
            self._loading = was

    def values(self) -> dict[str, Any]:
        """Keyword arguments for ``reception.record_inspection``."""
        return {
            "fuel_level": self.fuel.value(),
            "odometer_km": self.odometer.text().strip(),
            "warning_lights": [c for c, b in self.light_buttons.items() if b.isChecked()],
            "spare_wheel": self.spare_wheel.isChecked(),
            "tool_kit": self.tool_kit.isChecked(),
            "protective_set": self.protective.isChecked(),
            "valuables": self.valuables.text().strip(),
            "notes": self.notes.text().strip(),
            "marks": [dict(m) for m in self.diagram.marks],
            "photos": list(self.photos),
        }

    def state(self) -> dict[str, Any]:
        """JSON-able form state for drafts (photos only while they are small)."""
        data = self.values()
        size = sum(len(d) for _n, d in self.photos)
        data["photos"] = (
            [[n, base64.b64encode(d).decode("ascii")] for n, d in self.photos]
            if size <= DRAFT_PHOTO_LIMIT
            else None
        )
        return data

    def restore(self, data: dict[str, Any]) -> None:
        """Put a draft's :meth:`state` back (keeps the current photos if the draft has none)."""
        values = dict(data)
        photos = values.pop("photos", None)
        if photos is not None:
            with contextlib.suppress(ValueError, TypeError):
                values["photos"] = [(n, base64.b64decode(d)) for n, d in photos]
        self.set_values(values)
        self._emit_changed()

    def field_widget(self, name: str | None) -> QWidget | None:
        """The input a ValidationError's field refers to (to outline it)."""
        return {
            "fuel_level": self.fuel,
            "odometer_km": self.odometer,
            "warning_lights": self.lights_group,
            "valuables": self.valuables,
            "notes": self.notes,
            "marks": self.diagram,
            "photos": self.photo_list,
        }.get(name or "")

    def focus_first(self) -> None:
        self.odometer.setFocus(Qt.FocusReason.OtherFocusReason)
        self.odometer.selectAll()

    def lower_than_last(self) -> bool:
        text = self.odometer.text().strip()
        return bool(text.isdigit() and self.last_km and int(text) < self.last_km)

    # -- marks ----------------------------------------------------------------------------
    def carry_over_old_marks(self) -> None:
        """Mark the last visit's damage again (it is still there), skipping ones already marked."""
        if not self.previous:
            return
        have = {(m["view"], round(m["x"], 3), round(m["y"], 3)) for m in self.diagram.marks}
        added = 0
        for mark in self.previous.marks:
            key = (mark["view"], round(mark["x"], 3), round(mark["y"], 3))
            if key not in have:
                self.diagram.marks.append(dict(mark))
                added += 1
        if added:
            self.diagram.select(-1)
            self.diagram.changed.emit()

    def show_previous(self, previous: PreviousInspection | None) -> None:
        """Show ``previous`` as the last visit's walk-around (its marks faded)."""
        self.previous = previous
        self.diagram.old_marks = list(previous.marks) if previous else []
        self._update_legend()
        self._update_carry_over()

    def note_selected_mark(self, note: str) -> None:
        """Write ``note`` on the selected mark, as if typed."""
        self.mark_note.setText(note)
        self._note_edited(note)

    def _kind_clicked(self, kind: str) -> None:
        """The kind of the next mark (an existing mark is re-kinded with the combo box)."""
        self.diagram.kind = kind

    def _note_edited(self, text: str) -> None:
        self.diagram.set_selected_note(text)
        self._refresh_marks_list(keep_row=True)

    def _marks_changed(self) -> None:
        self._refresh_marks_list()
        self._emit_changed()

    def _selection_changed(self, index: int) -> None:
        has = index >= 0
        self.mark_note.setEnabled(has)
        self.mark_kind.setEnabled(has)
        self.remove_mark_button.setEnabled(has)
        if has:
            mark = self.diagram.marks[index]
            self.mark_note.setText(mark["note"])
            self.mark_kind.setCurrentIndex(max(0, self.mark_kind.findData(mark["kind"])))
            self._update_legend()
        else:
            self.mark_note.clear()
        self.marks_list.blockSignals(True)
        self.marks_list.setCurrentRow(index)
        self.marks_list.blockSignals(False)

    def _list_row_changed(self, row: int) -> None:
        self.diagram.select(row)

    def _refresh_marks_list(self, keep_row: bool = False) -> None:
        self.marks_list.blockSignals(True)
        self.marks_list.clear()
        for n, mark in enumerate(self.diagram.marks, start=1):
            text = f"{n}. {kind_label(mark['kind'])} · {view_label(mark['view'])}"
            if mark.get("note"):
                text += f" · {mark['note']}"
            item = QListWidgetItem(kind_icon(mark["kind"]), text)
            self.marks_list.addItem(item)
        if self.diagram.marks:
            self.marks_list.setCurrentRow(self.diagram.selected)
        else:
            self.marks_list.addItem(translate("Inspection", "No damage marked."))
        self.marks_list.blockSignals(False)
        self._selection_changed_buttons()

    def _selection_changed_buttons(self) -> None:
        has = self.diagram.selected >= 0
        self.mark_note.setEnabled(has)
        self.mark_kind.setEnabled(has)
        self.remove_mark_button.setEnabled(has)
        if has:
            kind = self.diagram.marks[self.diagram.selected]["kind"]
            self.mark_kind.setCurrentIndex(max(0, self.mark_kind.findData(kind)))

    def _update_legend(self) -> None:
        text = self.default_legend
        if self.previous and self.previous.marks:
            text += " " + translate(
                "Inspection", "Grey dashed marks: found at the last visit ({number}, {date})."
            ).format(
                number=self.previous.order_number, date=self.previous.recorded_at.date().isoformat()
            )
        self.legend.setText(text)

    def _update_carry_over(self) -> None:
        has = bool(self.previous and self.previous.marks)
        self.carry_over_button.setVisible(has)

    # -- readings -------------------------------------------------------------------------
    def _fuel_changed(self, value: int) -> None:
        self.fuel_value.setText(f"{value}%")
        for step, button in self.fuel_buttons.items():
            button.setStyleSheet("font-weight: bold; background: #dbe8f6;" if step == value else "")
        self._emit_changed()

    def _odometer_changed(self, _text: str) -> None:
        self._update_odometer_hint()
        self._emit_changed()

    def _update_odometer_hint(self) -> None:
        if self.lower_than_last():
            self.odometer_hint.setStyleSheet("color: #b3261e; font-weight: bold;")
            self.odometer_hint.setText(
                translate(
                    "Inspection",
                    "Lower than the last reading of {km} km. Check it again; if it is right you "
                    "will be asked for the reason.",
                ).format(km=f"{self.last_km:,}")
            )
        elif self.last_km:
            self.odometer_hint.setStyleSheet("color: #666;")
            self.odometer_hint.setText(
                translate("Inspection", "Last reading: {km} km").format(km=f"{self.last_km:,}")
            )
        else:
            self.odometer_hint.setStyleSheet("color: #666;")
            self.odometer_hint.setText(translate("Inspection", "No earlier reading on file."))

    # -- photos ---------------------------------------------------------------------------
    def choose_photos(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(
            self,
            translate("Inspection", "Add photos"),
            "",
            translate("Inspection", "Pictures (*.png *.jpg *.jpeg *.bmp *.gif *.webp)"),
        )
        if paths:
            self.add_photo_files(paths)

    def add_photo_files(self, paths: list[str | Path]) -> int:
        """Add pictures from files; refused files are reported with ``problem``. Returns added."""
        added, refused = 0, []
        for raw in paths:
            path = Path(raw)
            data, why = _image_bytes(path)
            if data is None:
                refused.append(why)
                continue
            self.photos.append((path.name, data))
            added += 1
        if added:
            self._refresh_photos()
            self._emit_changed()
        if refused:
            self.problem.emit(" ".join(refused))
        return added

    def add_photo_bytes(self, name: str, data: bytes) -> bool:
        if len(data) > MAX_PHOTO_BYTES or QImage.fromData(data).isNull():
            self.problem.emit(translate("Inspection", "{name} is not a picture.").format(name=name))
            return False
        self.photos.append((name, bytes(data)))
        self._refresh_photos()
        self._emit_changed()
        return True

    def remove_selected_photo(self) -> None:
        row = self.photo_list.currentRow()
        if 0 <= row < len(self.photos):
            del self.photos[row]
            self._refresh_photos()
            self._emit_changed()

    def _refresh_photos(self) -> None:
        self.photo_list.clear()
        for name, data in self.photos:
            pixmap = QPixmap()
            pixmap.loadFromData(data)
            thumb = pixmap.scaled(
                THUMB,
                THUMB,
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
            item = QListWidgetItem(QIcon(thumb), name)
            item.setToolTip(name)
            self.photo_list.addItem(item)
        self.remove_photo_button.setEnabled(bool(self.photos))

    @staticmethod
    def _dropped_files(mime: QMimeData) -> list[Path]:
        return [
            Path(url.toLocalFile())
            for url in mime.urls()
            if url.isLocalFile() and Path(url.toLocalFile()).suffix.lower() in IMAGE_SUFFIXES
        ]

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        mime = event.mimeData()
        if self._dropped_files(mime) or mime.hasImage():
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event) -> None:  # noqa: ANN001 - QDragMoveEvent
        event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        mime = event.mimeData()
        files = self._dropped_files(mime)
        if files:
            self.add_photo_files(files)
            event.acceptProposedAction()
            return
        if mime.hasImage():
            image = QImage(mime.imageData())
            if not image.isNull():
                from PySide6.QtCore import QBuffer, QByteArray, QIODevice

                data = QByteArray()
                buffer = QBuffer(data)
                buffer.open(QIODevice.OpenModeFlag.WriteOnly)
                image.save(buffer, "PNG")
                buffer.close()
                self.add_photo_bytes(
                    translate("Inspection", "Photo {n}.png").format(n=len(self.photos) + 1),
                    bytes(data.data()),
                )
                event.acceptProposedAction()
                return
        event.ignore()

    def _emit_changed(self, *_args: Any) -> None:
        if not self._loading:
            self.changed.emit()
