"""The field desk's read models (issue 21): which jobs are listed to close, who can be sent
out and who is out already, the jobs with their crew read together."""

from __future__ import annotations

import datetime as dt

from factories import make_customer, make_vehicle
from shop_desk import clock
from shop_desk.models import FieldJob
from shop_desk.services import field

NOW = dt.datetime(2026, 11, 2, 9, 0)


def at(minutes: int) -> None:
    clock.set_now(NOW + dt.timedelta(minutes=minutes))


def _job(staff, tech: str | None = None) -> FieldJob:
    at(0)
    customer = make_customer(name="李师傅 Li", phone="13912345678")
    job = field.register_field_job(
        staff["advisor"],
        customer.id,
        "G42 km 12",
        "engine will not start",
        NOW + dt.timedelta(hours=3),
        vehicle=make_vehicle(owner=customer).id,
        within_warranty=True,
    )
    if tech:
        field.dispatch_field_job(staff["supervisor"], job.id, [staff[tech].id], "服务车 F001")
    return FieldJob.get_by_id(job.id)


def _done_on_site(staff, tech: str, towed: bool = False) -> FieldJob:
    job = _job(staff, tech)
    at(10)
    field.depart(staff[tech], job.id)
    at(60)
    field.arrive(staff[tech], job.id)
    if towed:
        field.cannot_fix_on_site(staff[tech], job.id, "gearbox")
    else:
        field.start_work(staff[tech], job.id)
        field.finish_work(staff[tech], job.id, "battery")
    return FieldJob.get_by_id(job.id)


def test_to_close_lists_what_the_supervisor_has_to_look_at(db, staff):
    waiting = _job(staff)
    out = _job(staff, "tech3")
    no_call = _done_on_site(staff, "tech1")
    back = _done_on_site(staff, "tech2")
    field.call_centre(staff["tech2"], back.id)
    field.leave_site(staff["tech2"], back.id)
    field.return_to_base(staff["tech2"], back.id)
    towed = _done_on_site(staff, "leader1", towed=True)
    field.call_centre(staff["leader1"], towed.id)
    field.leave_site(staff["leader1"], towed.id)  # on the way back, the car still to tow in
    listed = {j.id for j in field.to_close()}
    assert listed == {no_call.id, back.id, towed.id}
    assert waiting.id not in listed and out.id not in listed
    field.tow_in(staff["advisor"], towed.id)
    assert towed.id not in {j.id for j in field.to_close()}


def test_views_read_crew_customer_car_and_gaps(db, staff):
    job = _done_on_site(staff, "tech1")
    (view,) = field.views([job], with_gaps=True)
    assert view.crew == [staff["tech1"].name] and view.customer == "李师傅 Li"
    assert view.vehicle and view.phone == "13912345678"
    assert view.gaps == field.closing_gaps(job) and "the service report" in view.gaps
    assert field.views([]) == []


def test_crew_candidates_say_who_is_out(db, staff):
    out = _job(staff, "tech2")
    candidates = {p.id: busy for p, busy in field.crew_candidates()}
    assert candidates[staff["tech2"].id] == out.number
    assert candidates[staff["tech1"].id] == ""
    assert staff["leader1"].id in candidates
    assert staff["advisor"].id not in candidates and staff["supervisor"].id not in candidates
    assert field.service_vehicles_used() == ["服务车 F001"]


def _statements(fn) -> int:  # noqa: ANN001 - any read
    """The statements ``fn`` sends, counted where peewee sends them (SQLite and PostgreSQL)."""
    from shop_desk.db import database

    db = database.obj
    seen: list[str] = []
    send = db.execute_sql

    def counted(sql, *args, **kwargs):  # noqa: ANN001, ANN202 - peewee's signature
        seen.append(sql)
        return send(sql, *args, **kwargs)

    db.execute_sql = counted
    try:
        fn()
    finally:
        del db.execute_sql
    return len(seen)


def test_out_now_reads_as_many_statements_for_six_jobs_as_for_two(db, staff):
    """The Out now tab reads again every half minute: not a query per row."""
    for tech in ("tech1", "tech2"):
        _job(staff, tech)
    two = _statements(lambda: field.views(field.out_now()))
    for tech in ("tech3", "leader1", "leader2", "tech1"):
        _job(staff, tech)
    assert len(field.out_now()) == 6
    assert _statements(lambda: field.views(field.out_now())) == two
