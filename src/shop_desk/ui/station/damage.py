"""The car diagram of the check-in sheet on the station: recorded marks, and new damage the
team finds when it accepts the car (a tap on the picture adds a mark of the chosen kind).

Marks found at reception are red, marks the workshop adds are blue (as on the printed sheet,
see :mod:`shop_desk.diagram`).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QMouseEvent, QPainter, QPaintEvent, QPen, QPolygonF
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QSizePolicy, QWidget

from shop_desk import diagram
from shop_desk.i18n import translate


@dataclass
class DiagramMark:
    """A mark as the widget draws it (view + fractions of that view, as stored)."""

    number: int
    view: str
    x: float
    y: float
    kind: str
    workshop: bool
    note: str = ""
    new: bool = False  # added in this dialog, not saved yet


def draw_symbol(painter: QPainter, kind: str, centre: QPointF, size: float, colour: QColor) -> None:
    """× ○ △ ● □ by kind, the same symbols the printed check-in sheet uses."""
    symbol = diagram.MARK_SYMBOLS.get(kind, "square")
    pen = QPen(colour, max(1.5, size / 5))
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    r = size / 2
    x, y = centre.x(), centre.y()
    if symbol == "cross":
        painter.drawLine(QPointF(x - r, y - r), QPointF(x + r, y + r))
        painter.drawLine(QPointF(x - r, y + r), QPointF(x + r, y - r))
    elif symbol == "circle":
        painter.drawEllipse(centre, r, r)
    elif symbol == "dot":
        painter.setBrush(colour)
        painter.drawEllipse(centre, r * 0.7, r * 0.7)
    elif symbol == "triangle":
        painter.drawPolygon(
            QPolygonF([QPointF(x, y - r), QPointF(x + r, y + r * 0.8), QPointF(x - r, y + r * 0.8)])
        )
    else:
        painter.drawRect(QRectF(x - r, y - r, size, size))


class DamageDiagram(QWidget):
    """The five views with numbered marks; ``editable`` lets a tap add a new mark.

    ``mark_added(view, x, y)`` fires for a tap on a view (not between views); the owner
    decides the kind and calls :meth:`set_marks` again."""

    mark_added = Signal(str, float, float)

    def __init__(self, parent: QWidget | None = None, editable: bool = False) -> None:
        super().__init__(parent)
        self.setObjectName("damageDiagram")
        self.renderer = QSvgRenderer(str(diagram.svg_path()), self)
        self.marks: list[DiagramMark] = []
        self.editable = editable
        self.setMinimumSize(400, 170)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        if editable:
            self.setCursor(Qt.CursorShape.CrossCursor)
            self.setToolTip(translate("Station", "Tap the picture where the new damage is."))
        self.setAccessibleName(translate("Station", "Car diagram"))

    def sizeHint(self) -> QSize:
        return QSize(640, 272)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return int(width * diagram.HEIGHT / diagram.WIDTH)

    def set_marks(self, marks: list[DiagramMark]) -> None:
        self.marks = list(marks)
        self.update()

    def picture_rect(self) -> QRectF:
        """Where the diagram is drawn: as large as fits, keeping its proportions, centred."""
        w, h = self.width(), self.height()
        scale = min(w / diagram.WIDTH, h / diagram.HEIGHT)
        pw, ph = diagram.WIDTH * scale, diagram.HEIGHT * scale
        return QRectF((w - pw) / 2, (h - ph) / 2, pw, ph)

    def point_for(self, view: str, x: float, y: float) -> QPointF:
        rect = self.picture_rect()
        ux, uy = diagram.mark_position(view, x, y)
        return QPointF(
            rect.x() + ux / diagram.WIDTH * rect.width(),
            rect.y() + uy / diagram.HEIGHT * rect.height(),
        )

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.fillRect(self.rect(), QColor("#ffffff"))
        rect = self.picture_rect()
        self.renderer.render(painter, rect)
        size = max(10.0, rect.width() / 50)
        font = QFont(self.font())
        font.setPointSizeF(max(7.0, font.pointSizeF() * 0.85))
        font.setBold(True)
        painter.setFont(font)
        for mark in self.marks:
            colour = QColor(diagram.WORKSHOP_MARK_COLOUR if mark.workshop else diagram.MARK_COLOUR)
            centre = self.point_for(mark.view, mark.x, mark.y)
            draw_symbol(painter, mark.kind, centre, size, colour)
            painter.setPen(colour)
            painter.drawText(centre + QPointF(size * 0.7, -size * 0.5), str(mark.number))
        painter.setPen(QPen(QColor("#b0b6bf"), 1))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5))
        painter.end()

    def tap(self, pos: QPointF) -> bool:
        """Turn a tap at ``pos`` (widget coordinates) into ``mark_added``; False between views."""
        rect = self.picture_rect()
        if rect.width() <= 0 or not rect.contains(pos):
            return False
        bx = (pos.x() - rect.x()) / rect.width()
        by = (pos.y() - rect.y()) / rect.height()
        found = diagram.mark_at(bx, by)
        if found is None:
            return False
        view, x, y = found
        self.mark_added.emit(view, x, y)
        return True

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self.editable and event.button() == Qt.MouseButton.LeftButton:
            self.tap(event.position())
            event.accept()
            return
        super().mouseReleaseEvent(event)
