"""The walk-around widget: taps on the car diagram, readings, lights, photos, drafts."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QColor, QDropEvent, QImage

from factories import make_order, make_vehicle
from shop_desk.models import DamageMark, Inspection
from shop_desk.services import reception
from shop_desk.states import State
from shop_desk.ui.reception.inspection import InspectionWidget, previous_inspection


@pytest.fixture
def widget(qtbot, db):
    w = InspectionWidget()
    qtbot.addWidget(w)
    w.resize(1060, 600)
    w.show()
    qtbot.waitExposed(w)
    return w


def _tap(qtbot, w, view, x, y):
    point = w.diagram.widget_point(view, x, y).toPoint()
    qtbot.mouseClick(w.diagram, Qt.MouseButton.LeftButton, pos=point)


def _png(path, colour="#3366cc"):
    image = QImage(40, 30, QImage.Format.Format_RGB32)
    image.fill(QColor(colour))
    assert image.save(str(path))
    return path


def test_tap_puts_a_mark_of_the_chosen_kind_with_a_note(qtbot, widget):
    qtbot.mouseClick(widget.kind_buttons["dent"], Qt.MouseButton.LeftButton)
    _tap(qtbot, widget, "left", 0.3, 0.5)
    assert len(widget.diagram.marks) == 1
    mark = widget.diagram.marks[0]
    assert (mark["view"], mark["kind"]) == ("left", "dent")
    assert mark["x"] == pytest.approx(0.3, abs=0.02) and mark["y"] == pytest.approx(0.5, abs=0.02)
    qtbot.keyClicks(widget.mark_note, "10 cm")
    assert widget.diagram.marks[0]["note"] == "10 cm"
    assert "Dent · Left side · 10 cm" in widget.marks_list.item(0).text()

    # a second mark elsewhere; tapping the first again selects it instead of adding one
    qtbot.mouseClick(widget.kind_buttons["scratch"], Qt.MouseButton.LeftButton)
    _tap(qtbot, widget, "top", 0.7, 0.2)
    assert [m["kind"] for m in widget.diagram.marks] == ["dent", "scratch"]
    _tap(qtbot, widget, "left", 0.3, 0.5)
    assert len(widget.diagram.marks) == 2 and widget.diagram.selected == 0
    assert widget.mark_note.text() == "10 cm"
    assert widget.mark_kind.currentData() == "dent"
    widget.mark_kind.setCurrentIndex(widget.mark_kind.findData("crack"))
    widget.mark_kind.activated.emit(widget.mark_kind.currentIndex())  # re-kind the selected mark
    assert widget.diagram.marks[0]["kind"] == "crack"
    assert widget.diagram.kind == "scratch"  # the next tap still makes a scratch
    qtbot.mouseClick(widget.remove_mark_button, Qt.MouseButton.LeftButton)
    assert [m["kind"] for m in widget.diagram.marks] == ["scratch"]
    _tap(qtbot, widget, "top", 0.7, 0.2)
    qtbot.keyClick(widget.diagram, Qt.Key.Key_Delete)
    assert widget.diagram.marks == []


def test_tap_between_the_views_adds_nothing(qtbot, widget):
    box = widget.diagram.box()
    # between the left and the right side view (x 390..410 of 800)
    between = QPointF(box.x() + box.width() * 400 / 800, box.y() + box.height() * 80 / 340)
    with qtbot.waitSignal(widget.diagram.missed):
        qtbot.mouseClick(widget.diagram, Qt.MouseButton.LeftButton, pos=between.toPoint())
    assert widget.diagram.marks == []
    assert "five views" in widget.legend.text()


def test_tap_beside_the_car_adds_nothing(qtbot, widget):
    # inside the left view's rectangle, but on the empty paper above the bonnet
    with qtbot.waitSignal(widget.diagram.missed):
        _tap(qtbot, widget, "left", 0.05, 0.1)
    with qtbot.waitSignal(widget.diagram.missed):
        _tap(qtbot, widget, "top", 0.01, 0.02)  # the top view's corner, off the rounded body
    assert widget.diagram.marks == []
    assert "not beside it" in widget.legend.text()
    _tap(qtbot, widget, "left", 0.65, 0.5)  # the rear door
    assert [m["view"] for m in widget.diagram.marks] == ["left"]


def test_readings_lights_and_checks_make_the_service_arguments(qtbot, widget):
    qtbot.keyClicks(widget.odometer, "12a345")  # the validator keeps digits only
    qtbot.mouseClick(widget.fuel_buttons[75], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(widget.light_buttons["abs"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(widget.light_buttons["engine"], Qt.MouseButton.LeftButton)
    widget.tool_kit.click()
    qtbot.keyClicks(widget.valuables, "sunglasses")
    values = widget.values()
    assert values["odometer_km"] == "12345"
    assert values["fuel_level"] == 75 and widget.fuel_value.text() == "75%"
    assert values["warning_lights"] == ["engine", "abs"]
    assert values["tool_kit"] is False and values["spare_wheel"] is True
    assert values["protective_set"] is True and values["valuables"] == "sunglasses"


def test_lower_odometer_is_flagged_while_typing(qtbot, db, widget):
    order = make_order(State.CHECKED_IN, vehicle=make_vehicle(odometer=30000))
    Inspection.delete().where(Inspection.order == order).execute()
    widget.load(order.id)
    assert "30,000" in widget.odometer_hint.text()
    widget.odometer.clear()
    qtbot.keyClicks(widget.odometer, "29000")
    assert widget.lower_than_last()
    assert "Lower than the last reading" in widget.odometer_hint.text()


def test_photos_from_files_refusals_and_drop(qtbot, widget, tmp_path):
    good = _png(tmp_path / "door.png")
    bad = tmp_path / "notes.png"
    bad.write_text("not a picture")
    with qtbot.waitSignal(widget.problem) as problem:
        assert widget.add_photo_files([good, bad]) == 1
    assert "notes.png" in problem.args[0]
    assert widget.photo_list.count() == 1 and widget.photos[0][0] == "door.png"

    dropped = _png(tmp_path / "bumper.jpg", "#cc3333")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(dropped))])
    event = QDropEvent(
        QPointF(20, 20),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    widget.dropEvent(event)
    assert [name for name, _ in widget.photos] == ["door.png", "bumper.jpg"]
    assert not widget.photo_list.item(1).icon().isNull()
    widget.photo_list.setCurrentRow(0)
    qtbot.mouseClick(widget.remove_photo_button, Qt.MouseButton.LeftButton)
    assert [name for name, _ in widget.photos] == ["bumper.jpg"]


def test_choose_photos_uses_the_file_dialog(qtbot, widget, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    path = _png(tmp_path / "wheel.png")
    monkeypatch.setattr(
        QFileDialog, "getOpenFileNames", staticmethod(lambda *a, **k: ([str(path)], ""))
    )
    qtbot.mouseClick(widget.add_photo_button, Qt.MouseButton.LeftButton)
    assert [n for n, _ in widget.photos] == ["wheel.png"]


def test_old_marks_are_faded_and_can_be_carried_over(qtbot, db, staff, widget):
    vehicle = make_vehicle(odometer=20000)
    old = make_order(State.CLOSED, vehicle=vehicle)
    inspection = Inspection.get(Inspection.order == old)
    DamageMark.create(inspection=inspection, view="rear", x=0.4, y=0.7, kind="chip", note="old")
    new = make_order(State.CHECKED_IN, vehicle=vehicle)
    Inspection.delete().where(Inspection.order == new).execute()
    prev = previous_inspection(new.id)
    assert prev is not None and prev.order_number == old.number
    widget.load(new.id)
    assert widget.diagram.old_marks == [
        {"view": "rear", "x": 0.4, "y": 0.7, "kind": "chip", "note": "old"}
    ]
    assert widget.diagram.marks == []  # not on this visit until the advisor says so
    assert old.number in widget.legend.text()
    assert widget.carry_over_button.isVisible()
    qtbot.mouseClick(widget.carry_over_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(widget.carry_over_button, Qt.MouseButton.LeftButton)  # no duplicates
    assert [(m["view"], m["kind"]) for m in widget.diagram.marks] == [("rear", "chip")]

    # the widget's values are what the service stores; loading shows them again
    widget.odometer.setText("21000")
    reception.record_inspection(staff["advisor"], new, **widget.values())
    stored = Inspection.get(Inspection.order == new)
    assert [(m.view, m.kind, m.note) for m in stored.marks] == [("rear", "chip", "old")]
    assert json.loads(stored.warning_lights) == []
    widget.clear()
    widget.load(new.id)
    assert widget.odometer.text() == "21000" and len(widget.diagram.marks) == 1


def test_draft_state_round_trip_with_photos(qtbot, widget, tmp_path):
    widget.add_photo_files([_png(tmp_path / "a.png")])
    _tap(qtbot, widget, "front", 0.5, 0.5)
    widget.odometer.setText("4567")
    widget.light_buttons["oil"].setChecked(True)
    state = json.loads(json.dumps(widget.state()))  # drafts are JSON
    other = InspectionWidget()
    qtbot.addWidget(other)
    with qtbot.waitSignal(other.changed):
        other.restore(state)
    assert other.values()["odometer_km"] == "4567"
    assert other.values()["warning_lights"] == ["oil"]
    assert other.diagram.marks == widget.diagram.marks
    assert other.photos == widget.photos


def test_touch_sized_targets(widget):
    assert all(b.minimumHeight() >= 40 for b in widget.kind_buttons.values())
    assert all(b.minimumHeight() >= 40 for b in widget.light_buttons.values())
    assert all(b.minimumHeight() >= 40 for b in widget.fuel_buttons.values())
    assert widget.diagram.HIT_RADIUS >= 20


def test_a_finger_tap_on_a_tablet_puts_a_mark(qtbot, widget):
    from PySide6.QtTest import QTest

    device = QTest.createTouchDevice()
    qtbot.mouseClick(widget.kind_buttons["crack"], Qt.MouseButton.LeftButton)
    point = widget.diagram.widget_point("front", 0.5, 0.3).toPoint()
    QTest.touchEvent(widget.diagram, device).press(0, point, widget.diagram).commit()
    QTest.touchEvent(widget.diagram, device).release(0, point, widget.diagram).commit()
    qtbot.waitUntil(lambda: len(widget.diagram.marks) == 1, timeout=2000)
    mark = widget.diagram.marks[0]
    assert (mark["view"], mark["kind"]) == ("front", "crack")
    assert mark["x"] == pytest.approx(0.5, abs=0.03) and mark["y"] == pytest.approx(0.3, abs=0.03)


def test_photos_dragged_from_the_file_manager(qtbot, widget, tmp_path):
    from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent
    from PySide6.QtWidgets import QApplication

    def drag(paths):
        mime = QMimeData()
        mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
        pos = widget.rect().center()
        args = (
            Qt.DropAction.CopyAction,
            mime,
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier,
        )
        enter = QDragEnterEvent(pos, *args)
        QApplication.sendEvent(widget, enter)
        if not enter.isAccepted():
            return False
        QApplication.sendEvent(widget, QDragMoveEvent(pos, *args))
        drop = QDropEvent(QPointF(pos), *args)
        QApplication.sendEvent(widget, drop)
        return drop.isAccepted()

    text = tmp_path / "notes.txt"
    text.write_text("not a picture")
    assert not drag([text])  # refused at the door: the cursor shows it cannot be dropped
    assert widget.photos == []
    assert drag([_png(tmp_path / "wing.jpg"), _png(tmp_path / "door.png", "#22aa22")])
    assert [name for name, _ in widget.photos] == ["wing.jpg", "door.png"]
    assert widget.photo_list.count() == 2
