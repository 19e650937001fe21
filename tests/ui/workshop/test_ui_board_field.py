"""Field jobs on the workshop board (issue 21): the jobs with people out now, with their
crew, place, the customer's required time and how late in words; read with one query; gone
once the crew is back. (The TV display's field rows: test_ui_display.py.)"""

from __future__ import annotations

import datetime as dt

from factories import make_customer, make_field_job
from shop_desk import clock
from shop_desk.services import board as board_reads
from shop_desk.services import field
from shop_desk.ui.workshop.board import WorkshopBoardPage

T0 = dt.datetime(2026, 11, 2, 9, 0, 0)


def out_job(staff, place: str, due_hours: float, crew=("tech1",), plate="沪AF1234"):
    """A breakdown dispatched at T0 with ``crew``, the customer's time T0 + ``due_hours``."""
    clock.set_now(T0)
    return make_field_job(staff, place, due_hours, crew, plate)


def board(make_window) -> WorkshopBoardPage:
    window = make_window("supervisor")
    page = window.show_page("workshop")
    assert isinstance(page, WorkshopBoardPage)
    return page


def test_field_cards_read_model(db, staff):
    late = out_job(staff, "嘉定 Jiading", 1, crew=("tech1", "tech2"), plate="沪BF1111")
    soon = out_job(staff, "浦东 Pudong", 2, crew=("tech2",), plate="沪CF2222")
    out_job(staff, "closed later", 3, plate="沪DF3333")
    waiting = field.register_field_job(
        staff["advisor"],
        make_customer(name="等派遣").id,
        "闵行",
        "抛锚",
        T0 + dt.timedelta(hours=5),
    )
    clock.set_now(T0 + dt.timedelta(hours=1, minutes=20))
    cards = board_reads.field_cards()
    assert [c.number for c in cards][:2] == [late.number, soon.number]
    assert waiting.number not in [c.number for c in cards]  # not dispatched: nobody is out
    first = cards[0]
    assert first.crew == (staff["tech1"].name, staff["tech2"].name)
    assert first.plate == "沪B·F1111" and first.place == "嘉定 Jiading"
    assert first.minutes_left == -20 and first.overdue and first.late
    assert cards[1].minutes_left == 40 and not cards[1].late
    field.depart(staff["tech1"], late.id)
    field.arrive(staff["tech1"], late.id, "堵车 traffic")
    arrived = board_reads.field_cards()[0]
    assert arrived.minutes_left is None and arrived.minutes_late == 20 and arrived.late


def test_the_board_shows_the_field_jobs_out_now(qtbot, make_window, staff):
    late = out_job(staff, "嘉定 Jiading", 1, crew=("tech1", "tech2"), plate="沪BF1111")
    soon = out_job(staff, "浦东 Pudong", 2, crew=("tech2",), plate="沪CF2222")
    clock.set_now(T0 + dt.timedelta(hours=1, minutes=20))
    page = board(make_window)
    strip = page.field_strip
    assert strip.isVisible() and "Field (out now)" in strip.header.text()
    assert "(2)" in strip.header.text()
    first, second = strip.card_texts()
    assert first == [
        f"{late.number} · 沪B·F1111",
        "Dispatched",
        f"{staff['tech1'].name}, {staff['tech2'].name}"
        if ", " in first[2]
        else first[2],  # the list's joining follows the language
        "嘉定 Jiading",
        "Required on site 10:00",
        "Late by 20 min, not on site yet",
    ]
    assert staff["tech1"].name in first[2] and staff["tech2"].name in first[2]
    assert second[-1] == "Due on site in 40 min" and second[3] == "浦东 Pudong"
    widget = strip.widgets[late.id]
    assert "#c62828" in widget.styleSheet()  # a red border: late
    assert "#c62828" not in strip.widgets[soon.id].styleSheet()
    # the minute goes on without a read: the words follow the clock
    clock.set_now(T0 + dt.timedelta(hours=2, minutes=5))
    page.now = T0
    page.poll()
    assert strip.card_texts()[1][-1] == "Late by 5 min, not on site yet"
    # the crew arrives (another station): the card says how late, then goes once back
    field.depart(staff["tech2"], soon.id)
    field.arrive(staff["tech2"], soon.id, "堵车 traffic")
    page.refresh()
    assert strip.card_texts()[1][-1] == "Arrived 5 min late"
    assert strip.widgets[late.id] is widget  # kept, not rebuilt
    for job in (late, soon):
        crew = staff["tech1"] if job is late else staff["tech2"]
        if job is late:
            field.depart(crew, job.id)
            field.arrive(crew, job.id, "堵车 traffic")
        field.cannot_fix_on_site(crew, job.id, "拖回 tow it")
        field.call_centre(crew, job.id)
        field.leave_site(crew, job.id)
        field.return_to_base(crew, job.id)
    page.refresh()
    assert strip.cards == [] and not strip.isVisible()
    page.grab()  # paints with the strip hidden


def test_the_board_reads_the_field_strip_with_one_query(make_window, staff, monkeypatch):
    out_job(staff, "嘉定", 1)
    page = board(make_window)
    calls = []
    real = board_reads.field_cards
    monkeypatch.setattr(board_reads, "field_cards", lambda now=None: calls.append(now) or real(now))
    page.refresh()
    assert len(calls) == 1 and len(page.field_strip.cards) == 1
