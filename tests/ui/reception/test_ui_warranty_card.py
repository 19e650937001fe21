"""Reception, vehicle step: the advisor records the owner's warranty card (保卡) while the car
is in front of him — it extends the car's cover at once (the archive says so), a card without
its number is refused in words, and removing it brings the shop's policy back."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QLabel, QMessageBox, QPushButton

from factories import make_vehicle
from shop_desk import clock
from shop_desk.models import AuditLog, WarrantyOverride
from shop_desk.ui.reception.page import ReceptionPage
from shop_desk.ui.reception.warranty_card import WarrantyCardDialog


def _click(qtbot, button):
    assert button.isEnabled()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _old_car():
    """Sold four years ago: past the seeded new-car warranty of three years."""
    start = clock.today() - dt.timedelta(days=4 * 365)
    return make_vehicle(sale_date=start, warranty_start=start, odometer=80000)


def _archive_lines(page) -> str:
    return "\n".join(label.text() for label in page.archive.widget().findChildren(QLabel))


def _open(qtbot, make_window, login="advisor"):
    car = _old_car()
    window = make_window(login)
    page = window.show_page("reception")
    assert isinstance(page, ReceptionPage)
    assert not page.vehicle_step.warranty_button.isEnabled()  # no car chosen yet
    page.select_vehicle(car.id)
    _click(qtbot, page.vehicle_step.warranty_button)
    dialogs = [d for d in page.findChildren(WarrantyCardDialog) if d.isVisible()]
    assert len(dialogs) == 1
    return car, page, dialogs[0]


def test_a_card_extends_the_cover_and_the_archive_shows_it(qtbot, make_window):
    car, page, dialog = _open(qtbot, make_window)
    assert "Whole vehicle: Not covered" in _archive_lines(page)
    assert dialog.model.rowCount() == 0
    assert dialog.width() <= 1366 and dialog.height() <= 700  # fits 1366×768
    dialog.category_combo.setCurrentIndex(dialog.category_combo.findData("general"))
    dialog.date_box.click()
    dialog.date_edit.setDate(QDate(clock.today()).addYears(2))
    qtbot.keyClicks(dialog.km_edit, "150000")
    qtbot.keyClicks(dialog.note_edit, "EW-2026-0815")
    _click(qtbot, dialog.add_button)
    assert "The card EW-2026-0815 is recorded for General." in dialog.banner.text()
    row = dialog.model.row_at(0)
    assert row["now"] == "Covered by warranty" and row["note"] == "EW-2026-0815"
    assert "up to 150,000 km" in row["terms"]
    assert dialog.note_edit.text() == ""  # ready for the next card
    assert "Whole vehicle: Covered by warranty" in _archive_lines(page)
    assert "Warranty card for General" in page.vehicle_step.vehicle_card.text()
    card = WarrantyOverride.get(WarrantyOverride.vehicle == car)
    assert card.until_km == 150000 and card.until_date == clock.today().replace(
        year=clock.today().year + 2
    )
    assert AuditLog.select().where(AuditLog.action == "add_override").count() == 1


def test_a_card_without_its_number_is_refused_in_words(qtbot, make_window):
    car, _page, dialog = _open(qtbot, make_window, "manager")
    dialog.excluded_box.click()
    assert not dialog.km_edit.isEnabled() and not dialog.date_box.isEnabled()
    _click(qtbot, dialog.add_button)
    assert "Card number or note is required." in dialog.banner.text()
    assert dialog.note_edit.property("invalid") is True
    assert WarrantyOverride.select().count() == 0
    dialog.excluded_box.click()  # neither a period nor an exclusion
    qtbot.keyClicks(dialog.note_edit, "EW-1")
    _click(qtbot, dialog.add_button)
    assert "last covered day, its kilometres or both" in dialog.banner.text()
    assert dialog.note_edit.text() == "EW-1"  # input kept
    assert WarrantyOverride.select().count() == 0


def test_removing_the_card_asks_first_and_the_policy_decides_again(qtbot, make_window, staff):
    from shop_desk.services import warranty_terms

    car = _old_car()
    warranty_terms.add_override(
        staff["advisor"], car, "general", "EW-9", clock.today() + dt.timedelta(days=90)
    )
    window = make_window("advisor")
    page = window.show_page("reception")
    page.select_vehicle(car.id)
    assert "Whole vehicle: Covered by warranty" in _archive_lines(page)
    dialog = page.vehicle_step.open_warranty_card()
    assert not dialog.remove_button.isEnabled()
    dialog.table.selectRow(0)
    _click(qtbot, dialog.remove_button)
    box = next(b for b in dialog.findChildren(QMessageBox, "askBox") if b.isVisible())
    assert "EW-9" in box.text()
    _click(qtbot, box.findChild(QPushButton, "yesButton"))
    qtbot.waitUntil(lambda: "the shop's policy applies" in dialog.banner.text())
    assert dialog.model.rowCount() == 0
    assert "Whole vehicle: Not covered" in _archive_lines(page)
    assert "Warranty card" not in page.vehicle_step.vehicle_card.text()
    assert AuditLog.select().where(AuditLog.action == "remove_override").count() == 1
