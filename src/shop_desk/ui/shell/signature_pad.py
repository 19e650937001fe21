"""Capturing the customer's signature on screen (task order, declined safety work).

:class:`SignaturePad` takes strokes from a mouse, a pen (tablet events, pressure gives the
line width) or a finger (touch events) and draws them as smooth curves in dark ink on white.
:meth:`SignaturePad.signature_png` gives the whole pad as PNG, which is what the services
check with :func:`shop_desk.services.reception.analyse_signature` (an empty pad or a single
dot is refused). :class:`SignatureField` adds a Clear button, a "Signed on paper" checkbox
and shows the service's verdict under the pad while the customer signs.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QEvent,
    QIODevice,
    QPointF,
    QRectF,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QEventPoint,
    QImage,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QResizeEvent,
    QTabletEvent,
    QTouchEvent,
)
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from shop_desk.i18n import translate

#: Ink: a dark blue-black that prints and scans well (and counts as ink for the services).
INK = QColor("#14213d")
PAPER = QColor("#ffffff")
GUIDE = QColor("#c9ced6")
HINT = QColor("#a7adb7")

_Point = tuple[float, float, float]  # x, y, pressure 0..1


def _width(pressure: float, base: float) -> float:
    """Pen pressure thickens the line; mouse and touch draw with a medium pressure."""
    return base * (0.55 + 0.9 * max(0.0, min(1.0, pressure)))


class SignaturePad(QWidget):
    """A white signing area; ``changed`` fires when a stroke ends and when it is cleared."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None, pen_width: float = 2.6) -> None:
        super().__init__(parent)
        self.setObjectName("signaturePad")
        self.pen_width = pen_width
        self.strokes: list[list[_Point]] = []
        self._current: list[_Point] | None = None
        self._touch_id: int | None = None
        self._size = QSize()
        self.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents, True)
        self.setAttribute(Qt.WidgetAttribute.WA_StaticContents, True)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, True)
        self.setMinimumSize(320, 120)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setToolTip(translate("SignaturePad", "Sign with the pen, a finger or the mouse."))
        self.setAccessibleName(translate("SignaturePad", "Signature pad"))

    def sizeHint(self) -> QSize:
        return QSize(520, 170)

    # -- the public API -----------------------------------------------------------------
    def is_empty(self) -> bool:
        return not self.strokes and not self._current

    def clear(self) -> None:
        """Wipe the pad (emits ``changed``)."""
        was_empty = self.is_empty()
        self.strokes.clear()
        self._current = None
        self._touch_id = None
        self.update()
        if not was_empty:
            self.changed.emit()

    def signature_png(self) -> bytes | None:
        """The whole pad (white, ink only, no guide line) as PNG; None when nothing is drawn."""
        if self.is_empty():
            return None
        size = self.size() if self.width() > 0 and self.height() > 0 else self.sizeHint()
        image = QImage(size, QImage.Format.Format_ARGB32)
        image.fill(PAPER)
        painter = QPainter(image)
        self._draw_ink(painter)
        painter.end()
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        image.save(buffer, "PNG")
        buffer.close()
        return bytes(data.data())

    # -- drawing --------------------------------------------------------------------------
    def _draw_ink(self, painter: QPainter) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        for stroke in [*self.strokes, *([self._current] if self._current else [])]:
            self._draw_stroke(painter, stroke)

    def _draw_stroke(self, painter: QPainter, stroke: list[_Point]) -> None:
        if len(stroke) == 1:
            x, y, p = stroke[0]
            r = max(1.2, _width(p, self.pen_width) / 2)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(INK)
            painter.drawEllipse(QPointF(x, y), r, r)
            return
        # midpoint quadratic smoothing; the width follows the pressure piece by piece
        for i in range(1, len(stroke)):
            x0, y0, p0 = stroke[i - 1]
            x1, y1, p1 = stroke[i]
            start = QPointF(x0, y0) if i == 1 else _mid(stroke[i - 2], stroke[i - 1])
            end = QPointF(x1, y1) if i == len(stroke) - 1 else _mid(stroke[i - 1], stroke[i])
            path = QPainterPath(start)
            path.quadTo(QPointF(x0, y0), end)
            pen = QPen(INK, _width((p0 + p1) / 2, self.pen_width))
            pen.setCapStyle(Qt.PenCapStyle.RoundCap)
            pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPath(path)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), PAPER)
        # the guide: a line to sign on and a cross, never part of the PNG
        base_y = self.height() * 0.72
        painter.setPen(QPen(GUIDE, 1, Qt.PenStyle.DashLine))
        painter.drawLine(QPointF(24, base_y), QPointF(self.width() - 24, base_y))
        painter.setPen(QPen(GUIDE, 1.5))
        painter.drawText(QRectF(10, base_y - 26, 20, 24), Qt.AlignmentFlag.AlignCenter, "✕")
        if self.is_empty():
            painter.setPen(HINT)
            painter.drawText(
                QRectF(0, 0, self.width(), base_y - 6),
                Qt.AlignmentFlag.AlignCenter,
                translate("SignaturePad", "Sign here"),
            )
        self._draw_ink(painter)
        if not self.isEnabled():
            painter.fillRect(self.rect(), QColor(240, 240, 240, 170))
        painter.setPen(QPen(QColor("#9aa3ad"), 1))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(self.rect().adjusted(0, 0, -1, -1))
        painter.end()

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Keep the drawing where it was relative to the pad when the dialog is resized."""
        old = event.oldSize()
        new = event.size()
        if old.isValid() and old.width() > 0 and old.height() > 0 and self.strokes:
            sx, sy = new.width() / old.width(), new.height() / old.height()
            self.strokes = [[(x * sx, y * sy, p) for x, y, p in s] for s in self.strokes]
        super().resizeEvent(event)

    # -- input ----------------------------------------------------------------------------
    def _begin(self, pos: QPointF, pressure: float) -> None:
        self._current = [(pos.x(), pos.y(), pressure)]
        self.update()

    def _extend(self, pos: QPointF, pressure: float) -> None:
        if self._current is None:
            return
        x, y, _ = self._current[-1]
        if abs(pos.x() - x) + abs(pos.y() - y) < 0.8:
            return
        self._current.append((pos.x(), pos.y(), pressure))
        self.update()

    def _end(self, pos: QPointF | None = None, pressure: float = 0.5) -> None:
        if self._current is None:
            return
        if pos is not None:
            self._extend(pos, pressure)
        self.strokes.append(self._current)
        self._current = None
        self.update()
        self.changed.emit()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.isEnabled():
            self._begin(event.position(), 0.5)
            event.accept()
        else:
            super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._current is not None and event.buttons() & Qt.MouseButton.LeftButton:
            self._extend(event.position(), 0.5)
            event.accept()
        else:
            super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self._current is not None:
            self._end(event.position(), 0.5)
            event.accept()
        else:
            super().mouseReleaseEvent(event)

    def tabletEvent(self, event: QTabletEvent) -> None:
        """A pen: accepted, so Qt does not also send the mouse events it would synthesise."""
        kind = event.type()
        pressure = event.pressure() if event.pressure() > 0 else 0.5
        if kind == QTabletEvent.Type.TabletPress:
            self._begin(event.position(), pressure)
        elif kind == QTabletEvent.Type.TabletMove:
            if event.pressure() > 0 and self._current is None:
                self._begin(event.position(), pressure)
            else:
                self._extend(event.position(), pressure)
        elif kind == QTabletEvent.Type.TabletRelease:
            self._end(event.position(), pressure)
        event.accept()

    def event(self, event: QEvent) -> bool:
        if event.type() in _TOUCH and isinstance(event, QTouchEvent):
            self._touch(event)
            return True
        return super().event(event)

    def _touch(self, event: QTouchEvent) -> None:
        """One finger signs; a second finger (a palm) is ignored."""
        if not self.isEnabled():
            event.accept()
            return
        points = event.points()
        kind = event.type()
        if kind == QEvent.Type.TouchCancel:
            self._current = None
            self._touch_id = None
            self.update()
            event.accept()
            return
        for point in points:
            pressure = point.pressure() if 0 < point.pressure() < 1 else 0.5
            state = point.state()
            if self._touch_id is None and state == QEventPoint.State.Pressed:
                self._touch_id = point.id()
                self._begin(point.position(), pressure)
            elif point.id() == self._touch_id:
                if state == QEventPoint.State.Released:
                    self._end(point.position(), pressure)
                    self._touch_id = None
                else:
                    self._extend(point.position(), pressure)
        event.accept()


_TOUCH = (
    QEvent.Type.TouchBegin,
    QEvent.Type.TouchUpdate,
    QEvent.Type.TouchEnd,
    QEvent.Type.TouchCancel,
)


def _mid(a: _Point, b: _Point) -> QPointF:
    return QPointF((a[0] + b[0]) / 2, (a[1] + b[1]) / 2)


class SignatureField(QWidget):
    """The pad with a Clear button, a "Signed on paper" checkbox and the service's verdict.

    While the customer signs, the line under the pad says what
    :func:`~shop_desk.services.reception.analyse_signature` would refuse (an empty pad, a dot);
    with "Signed on paper" ticked the pad is switched off and no image is needed."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("signatureField")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.pad = SignaturePad(self)
        outer.addWidget(self.pad, 1)
        row = QHBoxLayout()
        self.paper_box = QCheckBox(translate("SignaturePad", "Signed on paper"), self)
        self.paper_box.setObjectName("signedOnPaperBox")
        self.paper_box.setToolTip(
            translate(
                "SignaturePad",
                "The customer signed the printed task order; no on-screen signature.",
            )
        )
        self.message_label = QLabel(self)
        self.message_label.setObjectName("signatureMessage")
        self.message_label.setWordWrap(True)
        self.clear_button = QPushButton(translate("SignaturePad", "C&lear"), self)
        self.clear_button.setObjectName("clearSignatureButton")
        self.clear_button.setAutoDefault(False)
        self.clear_button.setEnabled(False)
        row.addWidget(self.paper_box)
        row.addWidget(self.message_label, 1)
        row.addWidget(self.clear_button)
        outer.addLayout(row)
        self.clear_button.clicked.connect(self.clear)
        self.pad.changed.connect(self._pad_changed)
        self.paper_box.toggled.connect(self._paper_toggled)
        self._update_message(initial=True)

    # the pad's API, so callers may treat the field as a pad
    def signature_png(self) -> bytes | None:
        """None when signed on paper or nothing is drawn."""
        return None if self.on_paper() else self.pad.signature_png()

    def is_empty(self) -> bool:
        return self.pad.is_empty()

    def clear(self) -> None:
        self.pad.clear()

    def on_paper(self) -> bool:
        return self.paper_box.isChecked()

    def set_on_paper(self, on: bool) -> None:
        self.paper_box.setChecked(on)

    def problem(self) -> str:
        """Why the services would refuse this signature now ('' when it is acceptable)."""
        if self.on_paper():
            return ""
        from shop_desk.services.reception import analyse_signature

        report = analyse_signature(self.pad.signature_png())
        return "" if report.ok else report.message

    def is_acceptable(self) -> bool:
        return not self.problem()

    def _pad_changed(self) -> None:
        self._update_message()
        self.changed.emit()

    def _paper_toggled(self, on: bool) -> None:
        self.pad.setEnabled(not on)
        self._update_message()
        self.changed.emit()

    def _update_message(self, initial: bool = False) -> None:
        self.clear_button.setEnabled(not self.pad.is_empty() and not self.on_paper())
        if self.on_paper():
            self._say(translate("SignaturePad", "Signed on the printed task order."), "ok")
            return
        if self.pad.is_empty():
            self._say(
                translate("SignaturePad", "Please ask the customer to sign in the box.")
                if initial
                else self.problem(),
                "hint" if initial else "error",
            )
            return
        text = self.problem()
        if text:
            self._say(text, "error")
        else:
            self._say(translate("SignaturePad", "Signature captured."), "ok")

    def _say(self, text: str, kind: str) -> None:
        colours = {"ok": "#1d5a2b", "error": "#8a1c12", "hint": "#5f6670"}
        self.message_label.setStyleSheet(f"color: {colours[kind]};")
        self.message_label.setText(text)
        self.message_label.setProperty("kind", kind)
