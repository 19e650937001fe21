"""The workshop TV display: what it shows, page rotation, the lounge variant, read-only
connection, reacting to changes and surviving a locked or vanished database file."""

from __future__ import annotations

import datetime as dt
import os
import sys

import peewee
import pytest
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from factories import make_customer, make_field_job, make_order, make_vehicle
from shop_desk import clock
from shop_desk.models import RepairOrder, ShopSettings, Staff, Team
from shop_desk.services import workshop
from shop_desk.states import State
from shop_desk.ui.workshop import display as display_mod
from shop_desk.ui.workshop.display import OVERDUE, DisplayWindow, run_display

T0 = dt.datetime(2026, 11, 2, 9, 0, 0)


@pytest.fixture
def show(qtbot, db, db_path):
    """``show(lounge=False)``: a DisplayWindow on the test database at 1920×1080."""

    def make(lounge: bool = False, **kw) -> DisplayWindow:
        window = DisplayWindow(db_path, lounge=lounge, **kw)
        qtbot.addWidget(window)
        window.resize(1920, 1080)
        window.show()
        qtbot.waitExposed(window)
        return window

    return make


def painted(window: DisplayWindow) -> list[str]:
    window.grab()  # runs paintEvent
    return window.painted_texts


def test_display_shows_cars_clock_and_the_ready_strip(show, staff):
    working = make_order(State.IN_PROGRESS)
    waiting = make_order(State.AWAITING_DISPATCH)
    ready = make_order(State.READY)
    window = show()
    texts = painted(window)
    plate = working.vehicle.plate[:2] + "·" + working.vehicle.plate[2:]
    for text in (
        plate,
        "帕萨特 Passat",
        Team.get_by_id(working.team_id).name,
        "In progress",
        "Awaiting dispatch",
        "13:00",
        "in 4 h 00 min",
        "09:00",
        "Ready for pickup",
    ):
        assert text in texts, text
    assert [c.order_id for c in window.table_cards()] == [working.id, waiting.id] or [
        c.order_id for c in window.table_cards()
    ] == [waiting.id, working.id]
    assert [c.order_id for c in window.ready_cards()] == [ready.id]
    ready_plate = ready.vehicle.plate[:2] + "·" + ready.vehicle.plate[2:]
    assert ready_plate in texts
    assert ShopSettings.get().name in texts
    assert not window.reconnecting and window.reads == 1


def test_overdue_rows_are_red(show):
    order = make_order(State.IN_PROGRESS)
    order.promised_at = T0 - dt.timedelta(minutes=30)
    order.save()
    window = show()
    texts = painted(window)
    assert "overdue 30 min" in texts and "08:30" in texts
    image = window.grab().toImage()
    geo = window._layout()
    y = int(geo["top"] + geo["row"] / 2)
    assert image.pixelColor(int(40 + 4), y) == OVERDUE  # the red accent of the row
    clock.set_now(T0 - dt.timedelta(hours=1))  # time is read at paint time
    assert "in 30 min" in painted(window)


def test_pages_rotate_when_more_cars_than_fit(qtbot, show):
    vehicles = [make_vehicle(plate=f"沪A{n:05d}") for n in range(20)]
    for v in vehicles:
        make_order(State.IN_PROGRESS, vehicle=v)
    window = show()
    per = window.rows_per_page()
    assert 6 <= per <= 10  # big rows on 1080 lines
    assert window.page_count() == -(-20 // per)
    first = [c.order_id for c in window.page_rows()]
    first_texts = painted(window)
    assert f"Page 1 / {window.page_count()}" in first_texts
    window.page_timer.setInterval(30)
    qtbot.waitUntil(lambda: window.page == 1, timeout=2000)
    window.page_timer.stop()
    second = [c.order_id for c in window.page_rows()]
    assert second and not set(first) & set(second)
    texts = painted(window)
    assert f"Page 2 / {window.page_count()}" in texts
    shown_plates = {t for t in texts if t.startswith("沪A·")}
    assert len(shown_plates) == len(second)
    assert not shown_plates & {t for t in first_texts if t.startswith("沪A·")}
    for _ in range(window.page_count() - 1):
        window.next_page()
    assert window.page == 0  # back to the start


def test_lounge_shows_plates_and_state_only(show, staff):
    customer = make_customer("王建国", "13800138000")
    order = make_order(State.REWORK, vehicle=make_vehicle(customer))
    ready = make_order(State.READY)
    window = show(lounge=True)
    texts = painted(window)
    plate = order.vehicle.plate[:2] + "·" + order.vehicle.plate[2:]
    assert plate in texts and "Being worked on" in texts  # rework is not told to customers
    assert ready.vehicle.plate[:2] + "·" + ready.vehicle.plate[2:] in texts
    joined = " ".join(texts)
    forbidden = [
        "王建国",
        "Passat",
        "Rework",
        order.number,
        *(s.name for s in Staff.select()),
        *(t.name for t in Team.select()),
        "¥",
        "Model",
        "Team",
        "Promised",
        "13:00",
    ]
    for word in forbidden:
        assert word not in joined, word


def test_display_connection_is_read_only(show):
    make_order(State.IN_PROGRESS)
    window = show()
    with pytest.raises(peewee.OperationalError, match="readonly"):
        window.link.db.execute_sql("UPDATE repair_order SET priority = 1")
    assert RepairOrder.select().where(RepairOrder.priority == 1).count() == 0


def test_reads_again_only_after_a_commit(show, staff):
    order = make_order(State.AWAITING_DISPATCH)
    window = show()
    window.poll_timer.stop()
    assert window.reads == 1
    for _ in range(5):
        window.poll()
    assert window.reads == 1  # nothing committed: nothing read
    workshop.dispatch(staff["supervisor"], order.id, Team.select().first().id)
    window.poll()
    assert window.reads == 2
    assert window.cards[0].state == "in_progress"


def test_survives_the_database_being_renamed_away_and_back(qtbot, show, staff, db_path):
    order = make_order(State.AWAITING_DISPATCH)
    window = show(poll_ms=50)
    assert window.cards and not window.reconnecting
    moved = db_path.with_name("moved-away.db")
    os.rename(db_path, moved)
    try:
        qtbot.waitUntil(lambda: window.reconnecting, timeout=2000)
        assert [c.order_id for c in window.cards] == [order.id]  # the last good state stays
        assert "● Reconnecting…" in painted(window)
        plate = order.vehicle.plate[:2] + "·" + order.vehicle.plate[2:]
        assert plate in window.painted_texts
        assert not db_path.exists()  # read-only: it never created an empty file there
        # work goes on meanwhile (the desk's open connection follows the file)
        workshop.dispatch(staff["supervisor"], order.id, Team.select().first().id)
    finally:
        os.rename(moved, db_path)
    qtbot.waitUntil(lambda: not window.reconnecting, timeout=2000)
    qtbot.waitUntil(lambda: window.cards[0].state == "in_progress", timeout=2000)
    assert "● Reconnecting…" not in painted(window)


def test_keeps_the_cards_while_the_database_is_locked(qtbot, show, staff, monkeypatch):
    order = make_order(State.AWAITING_DISPATCH)
    window = show(poll_ms=50)
    real = display_mod.board.board_cards

    def locked(now=None):
        raise peewee.OperationalError("database is locked")

    monkeypatch.setattr(display_mod.board, "board_cards", locked)
    workshop.dispatch(staff["supervisor"], order.id, Team.select().first().id)
    qtbot.waitUntil(lambda: window.reconnecting, timeout=2000)
    assert window.cards[0].state == "awaiting_dispatch"
    assert window.link.connected  # a lock is waited out on the same connection
    monkeypatch.setattr(display_mod.board, "board_cards", real)
    qtbot.waitUntil(lambda: not window.reconnecting, timeout=2000)
    assert window.cards[0].state == "in_progress"  # the pending read was not forgotten


def test_run_display_full_screen_on_the_chosen_screen(qapp, db_path, monkeypatch, capsys):
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    seen = {}

    def fake_exec():
        shown = [
            w
            for w in QApplication.topLevelWidgets()
            if isinstance(w, DisplayWindow) and w.isVisible()
        ]
        assert len(shown) == 1
        window = shown[0]
        seen.update(
            lounge=window.lounge,
            full=window.isFullScreen(),
            screen=window.screen(),
            reads=window.reads,
        )
        window.close()
        window.deleteLater()
        return 0

    monkeypatch.setattr(qapp, "exec", fake_exec)
    assert run_display(str(db_path), "en", screen=0, lounge=True) == 0
    assert seen == {
        "lounge": True,
        "full": True,
        "screen": QGuiApplication.screens()[0],
        "reads": 1,
    }
    assert run_display(f"sqlite:///{db_path}", "en", screen=7) == 0
    assert "Screen 7 does not exist" in capsys.readouterr().err
    assert run_display(str(db_path.with_name("missing.db")), "en") == 2
    assert not db_path.with_name("missing.db").exists()


def test_the_tv_display_lists_the_field_jobs_after_the_cars(show, staff):
    clock.set_now(T0)
    late = make_field_job(staff, "嘉定 Jiading", 1, ("tech1", "tech2"), "沪BF1111")
    clock.set_now(T0 + dt.timedelta(hours=1, minutes=20))
    window = show()
    assert [c.job_id for c in window.field] == [late.id]
    assert window.table_rows()[-1].job_id == late.id
    window.grab()
    texts = window.painted_texts
    assert "沪B·F1111" in texts and "嘉定 Jiading" in texts
    assert "Field: Dispatched" in texts
    assert "10:00" in texts and "overdue 20 min" in texts
    crew = window.row_texts(window.field[0])[2]
    assert staff["tech1"].name in crew and staff["tech2"].name in crew
    assert any(t.startswith(staff["tech1"].name) for t in texts)  # elided to the column
    assert window.is_overdue(window.field[0])
    lounge = show(lounge=True)
    lounge.grab()
    assert lounge.field == [] and "沪B·F1111" not in lounge.painted_texts
