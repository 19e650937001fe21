"""The reads behind the technician's tablet view (issue 21): the crew's next step, the gaps of
a report being written, and the job's report."""

from __future__ import annotations

import datetime as dt

from factories import make_customer, make_vehicle
from shop_desk import clock
from shop_desk.demo import signature_png
from shop_desk.models import Part
from shop_desk.services import field

NOW = dt.datetime(2026, 11, 2, 9, 0)


def dispatched(staff, within_warranty=True):
    clock.set_now(NOW)
    customer = make_customer(name="李师傅 Li", phone="13912345678")
    job = field.register_field_job(
        staff["advisor"],
        customer.id,
        "沪宁高速 G42 km 12",
        "发动机无法启动 engine will not start",
        NOW + dt.timedelta(hours=3),
        vehicle=make_vehicle(owner=customer).id,
        within_warranty=within_warranty,
    )
    field.dispatch_field_job(staff["supervisor"], job.id, [staff["tech1"].id], "服务车")
    return job


def next_step(job):
    return field.crew_next_step(type(job).get_by_id(job.id))


def test_the_crew_steps_one_at_a_time_outside_warranty(db, staff):
    tech = staff["tech1"]
    job = dispatched(staff, within_warranty=False)
    assert next_step(job) == "depart"
    field.depart(tech, job.id)
    assert next_step(job) == "arrive"
    field.arrive(tech, job.id)
    assert next_step(job) == "agree"
    field.record_quote(staff["supervisor"], job.id, "100.00", "50.00", "20.00")
    assert next_step(job) == "agree"
    field.record_agreement(tech, job.id, "signature", "李师傅", signature_png(3))
    assert next_step(job) == "start_work"
    field.start_work(tech, job.id)
    assert next_step(job) == "finish_work"
    field.finish_work(tech, job.id, "修好 fixed")
    assert next_step(job) == "call_centre"
    field.call_centre(tech, job.id)
    assert next_step(job) == "leave_site"
    field.leave_site(tech, job.id)
    assert next_step(job) == "return"
    field.return_to_base(tech, job.id)
    assert next_step(job) == ""
    assert field.CREW_STEPS.index("agree") < field.CREW_STEPS.index("start_work")


def test_within_warranty_no_agreement_step_and_nothing_before_dispatch(db, staff):
    job = dispatched(staff)
    field.depart(staff["tech1"], job.id)
    field.arrive(staff["tech1"], job.id)
    assert next_step(job) == "start_work"
    waiting = field.register_field_job(
        staff["advisor"], make_customer(name="王").id, "厂区", "保养", NOW + dt.timedelta(hours=1)
    )
    assert field.crew_next_step(waiting) == ""


def test_draft_gaps_follow_the_texts_and_the_parts_taken_out(db, staff):
    job = dispatched(staff)
    assert len(field.draft_report_gaps(job, "", "", "", "")) == 3  # no parts taken out
    part = Part.select().where(Part.stock_qty >= 1).order_by(Part.id).first()
    field.issue_field_parts(staff["parts"], job.id, {part.id: "1"})
    gaps = field.draft_report_gaps(job, "原因", "  ", "", "满意")
    assert gaps == ["the solution", "the parts replaced, by name"]
    assert field.draft_report_gaps(job, "原因", "办法", part.name, "满意") == []
    assert field.service_report_of(job) is None  # a draft is never saved


def test_the_report_of_a_job(db, staff):
    job = dispatched(staff)
    tech = staff["tech1"]
    field.depart(tech, job.id)
    field.arrive(tech, job.id)
    field.start_work(tech, job.id)
    field.finish_work(tech, job.id, "修好 fixed")
    report = field.submit_report(tech, job.id, "原因", "办法", "", "满意")
    assert field.service_report_of(job.id) == report
    assert field.service_report_of(job).complete
