"""Field jobs, claims and cases for the back-office tab tests, made through the services."""

from __future__ import annotations

import datetime as dt

from factories import make_customer, make_vehicle
from shop_desk import clock
from shop_desk.demo import signature_png
from shop_desk.models import FieldJob
from shop_desk.services import field

NOW = dt.datetime(2026, 11, 2, 9, 0)
PLACE = "沪宁高速 G42 km 12"


def at(hours: float) -> dt.datetime:
    moment = NOW + dt.timedelta(hours=hours)
    clock.set_now(moment)
    return moment


def registered(staff, place: str = PLACE) -> FieldJob:
    customer = make_customer(name="李师傅 Li", phone="13912345678")
    return field.register_field_job(
        staff["advisor"],
        customer.id,
        place,
        "发动机无法启动 engine will not start",
        clock.now() + dt.timedelta(hours=3),
        vehicle=make_vehicle(owner=customer).id,
        within_warranty=True,
    )


def dispatched(staff, place: str = PLACE) -> FieldJob:
    job = registered(staff, place)
    field.dispatch_field_job(
        staff["supervisor"], job.id, [staff["tech1"].id, staff["tech2"].id], "服务车 沪A-F001"
    )
    return FieldJob.get_by_id(job.id)


def returned(staff, place: str = PLACE) -> FieldJob:
    """A job whose crew (tech1, tech2) is back: expenses can be claimed."""
    job = dispatched(staff, place)
    for step in ("depart", "arrive", "start_work"):
        getattr(field, step)(staff["tech1"], job.id)
    field.finish_work(staff["tech1"], job.id, "修好 fixed")
    field.call_centre(staff["tech1"], job.id)
    field.leave_site(staff["tech1"], job.id)
    field.return_to_base(staff["tech1"], job.id)
    return FieldJob.get_by_id(job.id)


def receipt(kind: str, amount: str, **kw) -> dict:
    return {"kind": kind, "amount": amount, "receipt": signature_png(9), **kw}
