"""Screenshot staging for the appointments desk: the booking dialog filled in, and the shell
widgets first met there (the customer and car picker, the print preview, the signature pad).

Imported by :func:`shop_desk.ui.shots.screenshots.load_staging_modules`; the pages are
imported when a shot runs (after the main window has registered them)."""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from shop_desk import clock
from shop_desk.i18n import translate
from shop_desk.models import RepairOrder, Vehicle
from shop_desk.ui.shots.screenshots import ShotContext, _shot_dialog, register_screenshot, settle


def settle_until(done: Callable[[], bool], seconds: float = 10.0) -> None:
    """Process events until ``done()`` or ``seconds`` have passed."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        QApplication.processEvents()
        if done():
            return
        time.sleep(0.02)


def shot_book(ctx: ShotContext) -> None:
    from shop_desk.ui.appointments.booking import AppointmentDialog
    from shop_desk.ui.appointments.common import next_working_day

    day = next_working_day(clock.today())
    dialog = AppointmentDialog(ctx.staff, ctx.window, day=day)
    dialog.autosave = False
    dialog.restore_row.hide()
    vehicle = Vehicle.select().where(Vehicle.owner.is_null(False)).order_by(Vehicle.id).first()
    if vehicle is not None:
        dialog.set_vehicle(vehicle.owner, vehicle)
    dialog.work_edit.setPlainText(translate("Appointments", "5,000 km service; brakes squeak"))
    dialog.resize(680, dialog.sizeHint().height())
    _shot_dialog(ctx, "appointments_book", dialog)


def shot_picker(ctx: ShotContext) -> None:
    from shop_desk.ui.shell.vehicle_picker import CustomerVehicleDialog
    from shop_desk.validation import plate_key

    dialog = CustomerVehicleDialog(ctx.staff, ctx.window)
    vehicle = Vehicle.select().where(Vehicle.plate != "").order_by(Vehicle.id).first()
    if vehicle is not None:
        dialog.search_edit.setText(plate_key(vehicle.plate)[:3])
        hits = dialog.run_search()
        if hits:
            dialog.pick(hits[0])
    _shot_dialog(ctx, "vehicle_picker", dialog)
    new = CustomerVehicleDialog(ctx.staff, ctx.window)
    new.name_edit.setText("周先生")
    new.phone_edit.setText("1395555")
    new.check_phone_field(final=True)
    new.vin_edit.setText("LHGCR2650K8001234")
    new.check_vin_field(final=True)
    new.plate_edit.setText("沪D54321")
    new.make_edit.setText("本田 Honda")
    _shot_dialog(ctx, "vehicle_picker_new", new)


def shot_preview(ctx: ShotContext) -> None:
    from shop_desk.ui.shell import print_preview

    order = (
        RepairOrder.select()
        .where(RepairOrder.state.not_in(["booked", "cancelled"]))
        .order_by(RepairOrder.id.desc())
        .first()
    )
    if order is None:
        return
    dialog = print_preview.PrintPreviewDialog(ctx.window, "task-order", order.number)
    dialog.resize(820, 900)
    dialog.show()
    print_preview.wait_for_renders()
    settle_until(lambda: not dialog.is_busy())
    settle_until(lambda: False, 0.6)  # let the view paint the page images
    ctx.save("print_preview_task_order", dialog)
    dialog.close()
    dialog.deleteLater()


def signature_strokes(w: int, h: int) -> list[list[tuple[float, float, float]]]:
    """A plausible handwritten signature for pictures: looped letters and an underline."""
    base = h * 0.58
    strokes = []
    for start, length, loops, size in ((0.1, 0.32, 3.5, 0.2), (0.47, 0.38, 5.0, 0.16)):
        stroke = []
        for i in range(140):
            t = i / 139
            angle = t * loops * 2 * math.pi
            x = w * (start + length * t) + math.cos(angle) * w * 0.018
            y = (
                base
                - math.sin(angle) * h * size * (1.1 - 0.5 * t)
                - h * 0.1 * math.sin(t * math.pi)
            )
            stroke.append((x, y, 0.3 + 0.55 * abs(math.sin(angle / 2))))
        strokes.append(stroke)
    strokes.append(
        [
            (w * (0.12 + 0.72 * i / 39), base + h * 0.16 - i * 0.35 + (i / 39) ** 3 * 6, 0.45)
            for i in range(40)
        ]
    )
    return strokes


def shot_signature(ctx: ShotContext) -> None:
    from shop_desk.ui.shell.signature_pad import SignatureField

    field = SignatureField(ctx.window)
    field.setWindowFlag(Qt.WindowType.Window, True)
    field.setWindowTitle(translate("SignaturePad", "Signature pad"))
    field.resize(560, 240)
    field.show()
    settle()
    field.pad.strokes = signature_strokes(field.pad.width(), field.pad.height())
    field.pad.changed.emit()
    ctx.save("signature_pad", field)
    field.close()
    field.deleteLater()


register_screenshot("appointments_book", shot_book)
register_screenshot("vehicle_picker", shot_picker)
register_screenshot("print_preview_task_order", shot_preview)
register_screenshot("signature_pad", shot_signature)
