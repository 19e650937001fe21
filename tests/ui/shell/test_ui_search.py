"""Global search: the read function, the popup driven by the keyboard, and scanner bursts."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from shop_desk.services.search import resolve_code, search
from shop_desk.ui.shell.search import BurstDetector
from shop_desk.ui.shell.summaries import OrderSummaryDialog, VehicleSummaryDialog


def _kinds_ids(hits):
    return [(h.kind, h.id) for h in hits]


@pytest.mark.parametrize(
    "text",
    ["沪A·88K21", "沪A88K21", "沪a88k21", "88K2", "A·88", "123458", "LSVAU2A37N", "2a37n2123"],
)
def test_vehicle_by_plate_with_or_without_dot_and_vin_parts(shop_data, text):
    hits = search(text)
    assert hits and (hits[0].kind, hits[0].id) == ("vehicle", shop_data["passat"].id)


def test_plate_stored_without_dot_is_found_with_the_dot(shop_data):
    assert _kinds_ids(search("沪B·D12345"))[0] == ("vehicle", shop_data["han"].id)


def test_phone_finds_the_customer_and_their_vehicles(shop_data):
    hits = search("138001")
    assert ("customer", shop_data["wang"].id) in _kinds_ids(hits)
    assert ("vehicle", shop_data["passat"].id) in _kinds_ids(hits)
    assert _kinds_ids(search("6400 1111"))[0] == ("customer", shop_data["company"].id)


def test_name_substring_not_only_prefix(shop_data):
    assert ("customer", shop_data["wang"].id) in _kinds_ids(search("建国"))
    assert ("customer", shop_data["company"].id) in _kinds_ids(search("logistics"))


def test_order_number_substring_and_open_orders_of_a_vehicle(shop_data):
    hits = search("1102-00")
    assert {("order", shop_data["open_order"].id), ("order", shop_data["han_order"].id)} <= set(
        _kinds_ids(hits)
    )
    assert _kinds_ids(search("RO260615-003"))[0] == ("order", shop_data["old_order"].id)
    plate_hits = _kinds_ids(search("88K21"))
    assert ("order", shop_data["open_order"].id) in plate_hits  # still open: listed with the car
    assert ("order", shop_data["old_order"].id) not in plate_hits  # closed: only by its number


def test_nothing_for_noise_and_limit_respected(shop_data):
    assert search("") == [] and search("a") == []
    assert search("zzzz-nothing") == []
    assert len(search("沪", limit=2)) == 2


def test_resolve_code_is_exact(shop_data):
    assert resolve_code("lsvau2a37n2123458").vehicle_id == shop_data["passat"].id
    assert resolve_code("沪B7M203").vehicle_id == shop_data["transit"].id
    assert resolve_code("RO261102-002").order_id == shop_data["han_order"].id
    assert resolve_code("LSVAU2A37N212345") is None  # one character short: no guess


def test_burst_detector_tells_scanner_from_person(fake_clock):
    person = BurstDetector(clock=fake_clock(0.2))
    for _ in range(17):
        person.key()
    assert person.enter() == 0
    scanner = BurstDetector(clock=fake_clock(0.005))
    for _ in range(17):
        scanner.key()
    assert scanner.enter() == 17
    short = BurstDetector(clock=fake_clock(0.005))
    for _ in range(6):
        short.key()
    assert short.enter() == 0


def _type(qtbot, box, text, clock):
    box.burst.clock = clock
    box.setFocus()
    qtbot.keyClicks(box, text)


def test_typing_shows_hits_and_enter_opens_the_vehicle(qtbot, make_window, shop_data, fake_clock):
    window = make_window("advisor")
    window.show_page("appointments")  # away from Reception, a vehicle opens as its summary
    box = window.search_box
    _type(qtbot, box, "88K21", fake_clock(0.2))
    qtbot.waitUntil(box.popup.isVisible)
    hits = box.popup.hits()
    assert (hits[0].kind, hits[0].id) == ("vehicle", shop_data["passat"].id)
    with qtbot.waitSignal(window.vehicle_opened) as opened:
        qtbot.keyClick(box, Qt.Key.Key_Return)
    assert opened.args == [shop_data["passat"].id]
    assert not box.popup.isVisible() and box.text() == ""
    assert any(
        isinstance(d, VehicleSummaryDialog) and d.summary.vin == "LSVAU2A37N2123458"
        for d in window.open_dialogs
    )


def test_on_reception_a_found_vehicle_is_received(qtbot, make_window, shop_data, fake_clock):
    window = make_window("advisor")
    page = window.show_page("reception")
    box = window.search_box
    _type(qtbot, box, "B7M203", fake_clock(0.2))
    qtbot.waitUntil(box.popup.isVisible)
    with qtbot.waitSignal(window.vehicle_opened):
        qtbot.keyClick(box, Qt.Key.Key_Return)
    assert page.vehicle_id == shop_data["transit"].id
    assert not any(isinstance(d, VehicleSummaryDialog) for d in window.open_dialogs)


def test_down_and_enter_open_the_second_hit(qtbot, make_window, shop_data, fake_clock):
    window = make_window("advisor")
    box = window.search_box
    _type(qtbot, box, "88K21", fake_clock(0.2))
    qtbot.waitUntil(box.popup.isVisible)
    assert box.popup.hits()[1].kind == "order"
    qtbot.keyClick(box, Qt.Key.Key_Down)
    with qtbot.waitSignal(window.order_opened) as opened:
        qtbot.keyClick(box, Qt.Key.Key_Enter)
    assert opened.args == [shop_data["open_order"].id]
    assert any(isinstance(d, OrderSummaryDialog) for d in window.open_dialogs)


@pytest.mark.parametrize(
    ("text", "kind", "key"),
    [
        ("13800138000", "customer", "wang"),
        ("123458", "vehicle", "passat"),
        ("1102-002", "order", "han_order"),
    ],
)
def test_phone_vin_tail_and_order_number(
    qtbot, make_window, shop_data, fake_clock, text, kind, key
):
    window = make_window("advisor")
    box = window.search_box
    _type(qtbot, box, text, fake_clock(0.2))
    signal = {
        "customer": window.customer_opened,
        "vehicle": window.vehicle_opened,
        "order": window.order_opened,
    }[kind]
    with qtbot.waitSignal(signal) as opened:
        qtbot.keyClick(
            box, Qt.Key.Key_Return
        )  # Enter before the popup appeared: search now, open the top hit
    assert opened.args == [shop_data[key].id]


def test_escape_closes_the_popup_then_clears(qtbot, make_window, shop_data, fake_clock):
    window = make_window("advisor")
    box = window.search_box
    _type(qtbot, box, "88K", fake_clock(0.2))
    qtbot.waitUntil(box.popup.isVisible)
    qtbot.keyClick(box, Qt.Key.Key_Escape)
    assert not box.popup.isVisible() and box.text() == "88K"
    qtbot.keyClick(box, Qt.Key.Key_Escape)
    assert box.text() == ""


def test_scanner_burst_opens_the_vehicle_directly(qtbot, make_window, shop_data, fake_clock):
    window = make_window("tech1")
    box = window.search_box
    box.setText("ab")  # something typed before the scan is not part of the code
    box.setCursorPosition(2)
    _type(qtbot, box, "LSVAU2A37N2123458", fake_clock(0.004))
    with qtbot.waitSignal(window.vehicle_opened) as opened:
        qtbot.keyClick(box, Qt.Key.Key_Return)
    assert opened.args == [shop_data["passat"].id]
    assert not box.popup.isVisible()


def test_scanned_unknown_code_falls_back_to_search(qtbot, make_window, shop_data, fake_clock):
    window = make_window("advisor")
    box = window.search_box
    _type(qtbot, box, "LSVAU2A37N21234", fake_clock(0.004))  # 15 characters, no exact match
    with qtbot.assertNotEmitted(window.vehicle_opened):
        qtbot.keyClick(box, Qt.Key.Key_Return)
    assert box.popup.isVisible()
    assert "scanned code" in window.statusBar().currentMessage()
