"""Field service (issue 21) through the real windows, by the people whose job each step is,
at one PC, in English and in Chinese:

- a breakdown fixed on site within warranty: the CRM clerk registers the call, the supervisor
  dispatches Zhao Lei, who departs, arrives on time, works, calls the service centre, leaves
  and is back at base; the service report and the survey signed on the tablet; the supervisor
  closes the job, with no penalty;
- a breakdown towed in: the car cannot be fixed on site; the advisor tows it in from the
  Field service desk and reception's repair order is linked to the field job;
- a fleet visit with a late arrival (for a personal reason) and a report handed in without the
  customer's opinion: To close says what is missing and Close is off; the penalty register
  shows both cases for Zhao Lei; the report completed, the job closes.
"""

from __future__ import annotations

import datetime as dt

import shop_field as fs
from shop_pc import CALENDAR
from shop_steps_more import KnownCar, put_on_file

from shop_desk.models import FieldJob, Penalty, RepairOrder, ServiceReport
from shop_desk.states import State

TECH = "赵磊 Zhao Lei"
SUPERVISOR = "刘强 Liu Qiang"
SERVICE_VAN = "服务车 粤B-F001"


def breakdown(day: dt.date) -> fs.Call:
    """A car sold here eight months ago will not start on the ring road (within warranty)."""
    car = KnownCar(sale_date=day - dt.timedelta(days=240))
    return fs.Call(
        car,
        "Breakdown on the road (rescue)",
        "广州环城高速 K18 northbound",
        "车无法启动 the car will not start",
        "11:00",  # later than the desk proposes (two hours on): typed
    )


def dispatched_and_on_site(shop, number: str) -> None:
    """The supervisor sends Zhao Lei; he sets off and is on site before the customer's time."""
    shop.switch_user(SUPERVISOR)
    shop.at("08:40")
    fs.dispatch(shop, number, TECH, SERVICE_VAN)
    shop.switch_user(TECH)
    shop.at("09:00")
    fs.open_job(shop, number)
    fs.depart(shop)
    shop.at("09:50")
    fs.arrive(shop)


def as_registered(job: FieldJob, call: fs.Call, day: dt.date, kind: str) -> None:
    """What the desk registered and dispatched is what was typed and chosen."""
    hours, minutes = map(int, call.required.split(":"))
    assert job.required_arrival_at == dt.datetime.combine(day, dt.time(hours, minutes))
    assert (job.kind, job.place, job.within_warranty) == (kind, call.place, call.within_warranty)
    assert job.vehicle.vin == call.car.vin and job.customer.name == call.car.customer
    assert [m.staff.name for m in job.crew] == [TECH]
    assert job.service_vehicle == SERVICE_VAN


def report_of(job: FieldJob) -> ServiceReport:
    return ServiceReport.get(ServiceReport.job == job)


# -- 1. a breakdown fixed on site ---------------------------------------------------------------
def test_breakdown_fixed_on_site(shop_factory, lang):
    shop = shop_factory(CALENDAR["tue"])
    call = breakdown(shop.day)
    put_on_file(shop, call.car)
    shop.at("08:20")
    shop.start("林芳 Lin Fang")
    number = fs.register_call(shop, call)
    dispatched_and_on_site(shop, number)
    shop.at("10:05")
    fs.work(shop, "更换蓄电池 replaced the battery")
    fs.call_leave_return(shop, "11:10")
    fs.hand_in_report(shop, fs.Report())
    fs.survey(shop, call.car.customer)

    shop.switch_user(SUPERVISOR)
    shop.at("11:30")
    fs.close(shop, number)

    job = FieldJob.get(FieldJob.number == number)
    as_registered(job, call, shop.day, "breakdown")
    assert job.registered_by.name == "林芳 Lin Fang" and job.dispatched_by.name == SUPERVISOR
    assert job.state == "closed" and job.closed_by.name == SUPERVISOR
    assert not job.arrived_late and not job.left_without_call and not job.towed
    assert job.work_done == "更换蓄电池 replaced the battery"
    report = report_of(job)
    assert report.complete and report.satisfaction == 5
    assert report.survey_signature is not None and not report.survey_on_paper
    assert not Penalty.select().where(Penalty.job == job).exists()


# -- 2. a breakdown towed in ----------------------------------------------------------------------
def test_breakdown_towed_in(shop_factory, lang):
    shop = shop_factory(CALENDAR["fri"])
    call = breakdown(shop.day)
    put_on_file(shop, call.car)
    shop.at("08:20")
    shop.start(SUPERVISOR)
    number = fs.register_call(shop, call)
    dispatched_and_on_site(shop, number)
    shop.at("10:20")
    fs.cannot_fix(shop, "变速箱故障，无法行驶 gearbox failure, the car cannot be driven")
    fs.call_leave_return(shop, "12:00")
    fs.hand_in_report(
        shop,
        fs.Report(
            cause="变速箱阀体故障 gearbox valve body failure",
            solution="拖回店内维修 towed in for repair",
            parts="无 none",
            opinion="同意拖车回店 agrees to the tow",
        ),
    )
    fs.survey(shop, call.car.customer)

    shop.switch_user("李娜 Li Na")
    shop.at("13:10")
    fs.tow_in(shop, number, str(int(call.car.odometer) + 1500))

    job = FieldJob.get(FieldJob.number == number)
    as_registered(job, call, shop.day, "breakdown")
    assert job.towed and job.order is not None
    assert job.work_done == "变速箱故障，无法行驶 gearbox failure, the car cannot be driven"
    order = RepairOrder.get_by_id(job.order_id)
    assert order.state == State.CHECKED_IN.value
    assert order.vehicle_id == job.vehicle_id
    assert order.odometer_km == int(call.car.odometer) + 1500
    assert shop.window.current_page_key() == "reception"
    assert shop.sees(order.number), shop.describe()  # reception shows the order
    assert not Penalty.select().where(Penalty.job == job).exists()


# -- 3. a fleet visit: late arrival, incomplete report --------------------------------------------
def test_fleet_visit_late_and_incomplete_report(shop_factory, lang):
    """On a Sunday: Zhao Lei arrives after the customer's time for a personal reason and hands
    the report in without the customer's opinion; Close stays off, saying why; the penalty
    register has both cases; completed, the report lets the job close."""
    shop = shop_factory(CALENDAR["sun"])
    car = KnownCar(
        customer="顺达物流 Shunda Logistics",
        phone="02064001111",
        vin="LGWEF4A59NH112233",
        plate="粤A7M203",
        make="五菱 Wuling",
        model="荣光 Rongguang",
        odometer="86000",
        sale_date=shop.day - dt.timedelta(days=500),
    )
    call = fs.Call(
        car,
        "Fleet visit",
        "白云区 顺达物流车场 Shunda depot, 机场路 88",
        "车队三台面包车例行检查 routine check of three vans",
        "10:00",  # the fleet's vans are within warranty: the visit is free
    )
    put_on_file(shop, car)
    shop.at("08:10")
    shop.start(SUPERVISOR)
    number = fs.register_call(shop, call)
    shop.at("08:40")
    fs.dispatch(shop, number, TECH, SERVICE_VAN)

    shop.switch_user(TECH)
    shop.at("09:05")
    fs.open_job(shop, number)
    fs.depart(shop)
    shop.at("10:35")  # 35 minutes after the customer's time
    fs.arrive(shop, late_reason="出门前处理私事 a personal errand before leaving", personal=True)
    fs.work(shop, "三台车检查完毕 three vans checked")
    fs.call_leave_return(shop, "13:00")
    fs.hand_in_report(
        shop,
        fs.Report(
            cause="例行检查，未发现故障 routine check, no fault found",
            solution="检查并调整胎压 tyre pressures checked and set",
            parts="无 none",
            opinion="",
            missing=["the customer's opinion"],
        ),
    )
    fs.survey(shop, car.customer)

    shop.switch_user(SUPERVISOR)
    shop.at("13:20")
    fs.desk(shop, "To close")
    shop.select_row(number)
    assert shop.sees("Still missing before closing:"), shop.describe()
    assert shop.sees("the customer's opinion"), shop.describe()
    assert shop.sees("Field job {number} cannot be closed; still missing: {missing}."), (
        shop.describe()
    )
    assert not shop.button("Close the job").isEnabled()
    fs.penalties_of(shop, TECH, ("Late arrival on site", "Incomplete service report"))

    shop.switch_user(TECH)
    shop.at("13:40")
    fs.open_job(shop, number)
    fs.hand_in_report(
        shop,
        fs.Report(
            cause="例行检查，未发现故障 routine check, no fault found",
            solution="检查并调整胎压 tyre pressures checked and set",
            parts="无 none",
            opinion="服务满意，下次请准时 satisfied; be on time next time",
        ),
    )

    shop.switch_user(SUPERVISOR)
    shop.at("14:00")
    fs.close(shop, number)

    job = FieldJob.get(FieldJob.number == number)
    as_registered(job, call, shop.day, "fleet_visit")
    assert job.state == "closed"
    assert job.arrived_late and job.late_personal
    assert job.late_reason == "出门前处理私事 a personal errand before leaving"
    assert report_of(job).complete
    kinds = sorted((p.kind, p.staff.name) for p in Penalty.select().where(Penalty.job == job))
    assert kinds == [("incomplete_report", TECH), ("late_arrival", TECH)]
