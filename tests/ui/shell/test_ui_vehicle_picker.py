"""The customer-and-vehicle dialog: find on file, register new, live checks, duplicates."""

from __future__ import annotations

from PySide6.QtCore import Qt

from shop_desk.models import AuditLog, Customer, Vehicle
from shop_desk.services import customers
from shop_desk.ui.shell.vehicle_picker import CustomerVehicleDialog

FREE_VIN = "LHGCR2651K8001234"  # valid check digit, not on file
WRONG_CHECK_DIGIT = "LHGCR2650K8001234"


def _dialog(qtbot, staff, login="advisor", **kw):
    dialog = CustomerVehicleDialog(staff[login], **kw)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.windowHandle().requestActivate()  # focus changes (leaving a field) need an active window
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def _type(qtbot, edit, text):
    """Type ASCII as key clicks; Chinese arrives as committed input-method text."""
    edit.setFocus()
    if text.isascii():
        qtbot.keyClicks(edit, text)
    else:
        edit.insert(text)


def test_new_customer_and_vehicle_by_keyboard(qtbot, db, staff):
    dialog = _dialog(qtbot, staff)
    _type(qtbot, dialog.search_edit, "13911112222")
    qtbot.keyClick(dialog.search_edit, Qt.Key.Key_Return)  # nothing on file: starts a new customer
    assert dialog.phone_edit.text() == "13911112222"
    assert dialog.focusWidget() is dialog.name_edit
    assert dialog.isVisible()  # Enter in the search box never presses OK
    _type(qtbot, dialog.name_edit, "李女士")
    _type(qtbot, dialog.vin_edit, FREE_VIN.lower())
    assert dialog.vin_edit.text() == FREE_VIN
    _type(qtbot, dialog.plate_edit, "沪C12345")
    _type(qtbot, dialog.make_edit, "本田 Honda")
    _type(qtbot, dialog.model_edit, "雅阁 Accord")
    _type(qtbot, dialog.odometer_edit, "23000")
    assert dialog.ok_button.text() == "&Save and use"
    with qtbot.waitSignal(dialog.accepted):
        qtbot.keyClick(dialog.odometer_edit, Qt.Key.Key_Return)
    customer, vehicle = dialog.result_customer(), dialog.result_vehicle()
    assert customer.name == "李女士" and customer.phone == "13911112222"
    assert vehicle.vin == FREE_VIN and vehicle.plate == "沪C12345" and vehicle.owner_id == customer.id
    assert vehicle.last_odometer_km == 23000
    assert AuditLog.select().where(AuditLog.action == "create_vehicle").count() == 1


def test_find_on_file_and_use_without_saving(qtbot, db, staff, shop_data):
    dialog = _dialog(qtbot, staff)
    _type(qtbot, dialog.search_edit, "88K21")
    qtbot.keyClick(dialog.search_edit, Qt.Key.Key_Return)
    assert dialog.result_vehicle().id == shop_data["passat"].id
    assert dialog.name_edit.text() == "王建国"
    assert dialog.ok_button.text() == "&Use"
    before = AuditLog.select().count()
    with qtbot.waitSignal(dialog.chosen) as signal:
        qtbot.keyClick(dialog.ok_button, Qt.Key.Key_Return)
    assert signal.args == [shop_data["wang"].id, shop_data["passat"].id]
    assert AuditLog.select().count() == before


def test_customer_with_two_vehicles_asks_which(qtbot, db, staff, shop_data):
    dialog = _dialog(qtbot, staff)
    _type(qtbot, dialog.search_edit, "顺达")
    dialog.run_search()
    row = next(
        r for r in range(dialog.results.count())
        if dialog.results.item(r).text().startswith("Customer:")
    )
    dialog.results.setCurrentRow(row)
    dialog.results.setFocus()
    qtbot.keyClick(dialog.results, Qt.Key.Key_Return)
    assert dialog.result_customer().id == shop_data["company"].id
    assert dialog.vehicle_combo.count() == 3 and dialog.result_vehicle() is None
    dialog.submit()
    assert dialog.isVisible() and "Choose one of the customer's vehicles" in dialog.banner.text()
    dialog.vehicle_combo.setCurrentIndex(dialog.vehicle_combo.findData(shop_data["transit"].id))
    assert dialog.vin_edit.text() == shop_data["transit"].vin
    assert dialog.submit() and dialog.result_vehicle().id == shop_data["transit"].id


def test_invalid_vin_plate_and_phone_are_shown(qtbot, db, staff):
    dialog = _dialog(qtbot, staff)
    _type(qtbot, dialog.phone_edit, "12345")
    assert dialog.phone_message.isHidden()  # not judged while still typing
    qtbot.keyClick(dialog.phone_edit, Qt.Key.Key_Tab)
    assert "is not a valid phone number" in dialog.phone_message.text()
    assert dialog.phone_edit.property("invalid") is True
    _type(qtbot, dialog.vin_edit, "LSVAU2A37N212345O")  # 17 characters with an O
    assert "never contains the letters I, O or Q" in dialog.vin_message.text()
    assert dialog.vin_edit.property("invalid") is True
    _type(qtbot, dialog.plate_edit, "AB12345")
    qtbot.keyClick(dialog.plate_edit, Qt.Key.Key_Tab)
    assert "is not a valid Chinese plate" in dialog.plate_message.text()
    dialog.name_edit.setText("赵先生")
    before = Customer.select().count()
    assert not dialog.submit()
    assert "is not a valid phone number" in dialog.banner.text()
    assert Customer.select().count() == before and dialog.name_edit.text() == "赵先生"


def test_check_digit_mismatch_warns_but_saves(qtbot, db, staff):
    dialog = _dialog(qtbot, staff)
    dialog.name_edit.setText("钱先生")
    dialog.phone_edit.setText("13922223333")
    _type(qtbot, dialog.vin_edit, WRONG_CHECK_DIGIT)
    assert "check digit" in dialog.vin_message.text()
    assert dialog.vin_message.property("kind") == "warning"
    assert dialog.vin_edit.property("invalid") is not True
    assert dialog.submit()
    assert dialog.result_vehicle().vin == WRONG_CHECK_DIGIT


def test_duplicate_vehicle_is_named_and_can_be_used(qtbot, db, staff, shop_data):
    dialog = _dialog(qtbot, staff)
    dialog.name_edit.setText("孙女士")
    dialog.phone_edit.setText("13933334444")
    _type(qtbot, dialog.vin_edit, shop_data["passat"].vin)
    assert "is already on file" in dialog.vin_message.text() and "王建国" in dialog.vin_message.text()
    assert dialog.use_on_file_button.isVisible()
    customers_before = Customer.select().count()
    assert not dialog.submit()  # the service refuses with the same sentence
    assert "is already on file" in dialog.banner.text()
    # customer and car are saved together or not at all: the car was refused
    assert dialog.result_customer() is None
    assert Customer.select().count() == customers_before
    assert not Customer.select().where(Customer.name == "孙女士").exists()
    assert "New customer" in dialog.customer_state.text()
    assert Vehicle.select().where(Vehicle.vin == shop_data["passat"].vin).count() == 1
    qtbot.mouseClick(dialog.use_on_file_button, Qt.MouseButton.LeftButton)
    assert dialog.result_vehicle().id == shop_data["passat"].id
    assert dialog.name_edit.text() == "王建国"


def test_duplicate_plate_and_known_phone(qtbot, db, staff, shop_data):
    dialog = _dialog(qtbot, staff)
    _type(qtbot, dialog.phone_edit, "13800138000")
    assert "belongs to 王建国" in dialog.phone_message.text()
    _type(qtbot, dialog.plate_edit, "沪B·D12345")
    assert "The plate 沪B·D12345 is already on file" in dialog.plate_message.text()
    assert "顺达物流" in dialog.plate_message.text()
    assert dialog.plate_edit.property("invalid") is True


def test_editing_a_vehicle_on_file_updates_it(qtbot, db, staff, shop_data):
    dialog = _dialog(qtbot, staff, vehicle=shop_data["han"])
    assert dialog.name_edit.text().startswith("顺达")
    dialog.model_edit.setText("汉 EV")
    assert dialog.ok_button.text() == "&Save and use"
    assert dialog.submit()
    assert Vehicle.get_by_id(shop_data["han"].id).model == "汉 EV"


def test_a_vehicle_changed_meanwhile_at_another_desk_is_not_overwritten(
    qtbot, db, staff, shop_data
):
    """Issue 17 item 6: the dialog saves with the version it loaded; the other desk's change
    stays and this desk's input stays in the form."""
    han = shop_data["han"]
    dialog = _dialog(qtbot, staff, vehicle=han)
    customers.update_vehicle(staff["advisor2"], han.id, colour="红 red")  # the other desk
    dialog.model_edit.setText("汉 EV")
    assert not dialog.submit()
    assert "after you opened it" in dialog.banner.text()
    row = Vehicle.get_by_id(han.id)
    assert (row.colour, row.model) == ("红 red", han.model)
    assert dialog.model_edit.text() == "汉 EV"


def test_crm_clerk_cannot_register_a_vehicle(qtbot, db, staff, shop_data):
    dialog = _dialog(qtbot, staff, login="crm")
    assert not dialog.vin_edit.isEnabled()
    assert "Only service advisors register vehicles" in dialog.vin_message.text()
    dialog.load_vehicle(shop_data["passat"])
    assert dialog.submit() and dialog.result_vehicle().id == shop_data["passat"].id


def test_a_stale_plate_error_is_cleared_when_the_plate_is_corrected(qtbot, db, staff, shop_data):
    dialog = _dialog(qtbot, staff)
    dialog.name_edit.setText("孙女士")
    dialog.phone_edit.setText("13933334444")
    _type(qtbot, dialog.vin_edit, FREE_VIN)
    _type(qtbot, dialog.plate_edit, "沪B·D12345")  # another car's plate
    assert not dialog.submit()
    assert "already on file" in dialog.banner.text()
    assert "already on file" in dialog.plate_message.text()
    assert not Customer.select().where(Customer.name == "孙女士").exists()
    qtbot.keyClick(dialog.plate_edit, Qt.Key.Key_Backspace)  # correcting: 沪B·D1234
    assert dialog.banner.text() == "" and dialog.plate_message.text() == ""
    assert dialog.plate_edit.property("invalid") is not True
    qtbot.keyClicks(dialog.plate_edit, "9")
    assert dialog.plate_message.text() == ""
    assert dialog.submit()
    assert dialog.result_vehicle().plate == "沪BD12349"
    assert dialog.result_customer().name == "孙女士"


def test_a_vin_fills_make_model_and_year_and_says_where_they_came_from(qtbot, db, staff):
    from factories import make_vehicle

    for n in range(3):
        make_vehicle(vin=f"LHGCR2650K800{n:04d}", make="本田 Honda", model="雅阁 Accord")
    dialog = _dialog(qtbot, staff)
    _type(qtbot, dialog.vin_edit, FREE_VIN)
    assert dialog.make_edit.text() == "本田 Honda"
    assert dialog.model_edit.text() == "雅阁 Accord"
    assert dialog.year_edit.text() == "2019"
    sources = dialog.source_label.text()
    assert "Make, Model: like 3 cars on file" in sources and "Model year: from the VIN" in sources
    # still editable: the advisor's own value stays and loses its source
    dialog.model_edit.setFocus()
    dialog.model_edit.selectAll()
    qtbot.keyClicks(dialog.model_edit, "Accord Hybrid")
    assert "Model:" not in dialog.source_label.text() and "Make:" in dialog.source_label.text()
    dialog.name_edit.setText("孙女士")
    dialog.phone_edit.setText("13933334444")
    assert dialog.submit()
    car = dialog.result_vehicle()
    assert (car.make, car.model, car.year) == ("本田 Honda", "Accord Hybrid", 2019)


def test_a_vin_new_to_the_shop_gives_the_make_from_its_first_three_characters(qtbot, db, staff):
    dialog = _dialog(qtbot, staff)
    dialog.make_edit.setText("")
    _type(qtbot, dialog.vin_edit, "LSVAU2A35N2123458")
    assert dialog.make_edit.text() == "上汽大众 SAIC Volkswagen"
    assert dialog.model_edit.text() == ""
    assert dialog.year_edit.text() == "2022"
    assert "Make, Model year: from the VIN" in dialog.source_label.text()
    assert dialog.source_label.isVisible()
