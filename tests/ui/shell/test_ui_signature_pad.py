"""The signature pad draws with the mouse, pen or finger; the services judge the PNG."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QImage, QPointingDevice, QTabletEvent
from PySide6.QtWidgets import QApplication

from shop_desk.services.reception import analyse_signature
from shop_desk.ui.shell.signature_pad import SignatureField, SignaturePad


def _pad(qtbot, cls=SignaturePad):
    widget = cls()
    qtbot.addWidget(widget)
    widget.resize(520, 180)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _draw(qtbot, pad, points):
    left = Qt.MouseButton.LeftButton
    qtbot.mousePress(pad, left, pos=QPoint(*points[0]))
    for p in points[1:]:
        qtbot.mouseMove(pad, QPoint(*p))
    qtbot.mouseRelease(pad, left, pos=QPoint(*points[-1]))


SIGNATURE = [(60 + 12 * i, 110 + (-1) ** i * (18 + i)) for i in range(30)]


def test_drawn_signature_passes_the_service_check(qtbot):
    pad = _pad(qtbot)
    assert pad.is_empty() and pad.signature_png() is None
    with qtbot.waitSignal(pad.changed):
        _draw(qtbot, pad, SIGNATURE)
    assert not pad.is_empty()
    png = pad.signature_png()
    assert png is not None and png.startswith(b"\x89PNG")
    image = QImage.fromData(png)
    assert (image.width(), image.height()) == (pad.width(), pad.height())
    assert image.pixelColor(2, 2).name() == "#ffffff"  # white paper, no guide line
    report = analyse_signature(png)
    assert report.ok, report.message
    with qtbot.waitSignal(pad.changed):
        pad.clear()
    assert pad.is_empty() and pad.signature_png() is None


def test_a_single_click_is_refused(qtbot):
    pad = _pad(qtbot)
    qtbot.mouseClick(pad, Qt.MouseButton.LeftButton, pos=QPoint(200, 90))
    assert not pad.is_empty()
    report = analyse_signature(pad.signature_png())
    assert not report.ok
    assert "too small" in report.message


def test_pen_strokes_use_pressure(qtbot):
    pad = _pad(qtbot)
    device = QPointingDevice.primaryPointingDevice()

    def send(kind, x, y, pressure):
        pos = QPointF(x, y)
        event = QTabletEvent(
            kind, device, pos, pad.mapToGlobal(pos), pressure, 0, 0, 0, 0, 0,
            Qt.KeyboardModifier.NoModifier, Qt.MouseButton.LeftButton, Qt.MouseButton.LeftButton,
        )
        QApplication.sendEvent(pad, event)

    send(QTabletEvent.Type.TabletPress, 60, 60, 0.3)
    for i in range(1, 40):
        send(QTabletEvent.Type.TabletMove, 60 + 8 * i, 60 + (i % 7) * 9, 0.2 + i / 50)
    send(QTabletEvent.Type.TabletRelease, 380, 100, 0.0)
    assert len(pad.strokes) == 1
    pressures = [p for _x, _y, p in pad.strokes[0]]
    assert min(pressures) < 0.5 < max(pressures)
    assert analyse_signature(pad.signature_png()).ok


def test_field_shows_the_refusal_and_paper_option(qtbot):
    field = _pad(qtbot, SignatureField)
    field.resize(560, 230)
    assert not field.clear_button.isEnabled()
    qtbot.mouseClick(field.pad, Qt.MouseButton.LeftButton, pos=QPoint(100, 60))
    assert "too small" in field.message_label.text()
    assert field.problem() == field.message_label.text()
    assert field.clear_button.isEnabled()
    qtbot.mouseClick(field.clear_button, Qt.MouseButton.LeftButton)
    assert field.is_empty()
    assert "empty" in field.message_label.text()
    _draw(qtbot, field.pad, SIGNATURE)
    assert field.is_acceptable() and field.signature_png() is not None
    assert field.message_label.text() == "Signature captured."
    field.paper_box.click()
    assert field.on_paper() and not field.pad.isEnabled()
    assert field.signature_png() is None and field.problem() == ""


def test_a_finger_signs_too(qtbot):
    from PySide6.QtTest import QTest

    pad = _pad(qtbot)
    device = QTest.createTouchDevice()
    QTest.touchEvent(pad, device).press(0, QPoint(40, 60), pad).commit()
    for i in range(1, 30):
        QTest.touchEvent(pad, device).move(0, QPoint(40 + 14 * i, 60 + (i % 5) * 12), pad).commit()
    QTest.touchEvent(pad, device).release(0, QPoint(460, 100), pad).commit()
    assert len(pad.strokes) == 1 and len(pad.strokes[0]) > 20
    assert analyse_signature(pad.signature_png()).ok
