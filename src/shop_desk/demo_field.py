"""The demo shop's field jobs (外出服务): a handful in every state the supervisor's desk
shows, made through the real services on the clock the caller gives.

Used by the demo (:mod:`shop_desk.demo`) and by the screenshot staging of the field desk
(:mod:`shop_desk.ui.shots.field`), which makes them in a transaction it rolls back. Every
moment is at or before ``now`` (the moment the shop stands at), so nothing happens in the
future of the demo.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from shop_desk import clock
from shop_desk.models import FieldJob, Staff, StaffRole, Vehicle
from shop_desk.roles import Role
from shop_desk.services import field

#: (login, role it stands for): who works the demo's field jobs.
CAST = {
    "supervisor": Role.SUPERVISOR,
    "advisor": Role.ADVISOR,
    "crm": Role.CRM_CLERK,
    "tech1": Role.TECHNICIAN,
    "tech2": Role.TECHNICIAN,
    "tech3": Role.TECHNICIAN,
    "leader1": Role.TEAM_LEADER,
    "leader2": Role.TEAM_LEADER,
}


def cast() -> dict[str, Staff]:
    """The demo's people by login; in another shop, people with the same roles."""
    found: dict[str, Staff] = {}
    for login, role in CAST.items():
        person = Staff.get_or_none((Staff.login == login) & (Staff.active == True))  # noqa: E712
        if person is None or role.value not in person.role_set():
            taken = [p.id for p in found.values()]
            query = (
                Staff.select()
                .join(StaffRole, on=StaffRole.staff == Staff.id)
                .where((StaffRole.role == role.value) & (Staff.active == True))  # noqa: E712
                .order_by(Staff.id)
            )
            person = query.where(Staff.id.not_in(taken)).first() or query.first()
        if person is not None:
            found[login] = person
    return found


def make_field_jobs(
    people: dict[str, Staff],
    vehicles: Sequence[Vehicle],
    now: dt.datetime,
    signature: Callable[[], bytes],
) -> list[FieldJob]:
    """Seven field jobs around ``now`` (the clock is left at ``now``): closed yesterday;
    back yesterday with an incomplete report (cannot be closed); waiting for dispatch since
    yesterday (overdue) and since half an hour; on the way; on site after arriving late;
    back at base with a car to tow in."""
    if len(people) < len(CAST) or not vehicles:
        return []
    p = people
    yesterday = now.replace(hour=0, minute=0, second=0, microsecond=0) - dt.timedelta(days=1)
    made: list[FieldJob] = []

    def at(moment: dt.datetime) -> None:
        clock.set_now(moment)

    def register(
        n: int, when: dt.datetime, required: dt.datetime, place: str, what: str, **kw
    ) -> FieldJob:
        at(when)
        vehicle = vehicles[n % len(vehicles)]  # a small shop's cars serve more than once
        job = field.register_field_job(
            kw.pop("by", p["crm"]),
            vehicle.owner_id,
            place,
            what,
            required,
            vehicle=vehicle.id,
            **kw,
        )
        made.append(job)
        return job

    def send(job: FieldJob, when: dt.datetime, crew: list[str], van: str, tools: str = "") -> None:
        at(when)
        field.dispatch_field_job(p["supervisor"], job.id, [p[c].id for c in crew], van, tools)

    # closed yesterday: a breakdown fixed on the road, report and survey complete
    job = register(
        0,
        yesterday + dt.timedelta(hours=9),
        yesterday + dt.timedelta(hours=11),
        "沪宁高速 G42 K12 苏州方向 Shanghai–Nanjing expressway km 12",
        "车辆无法启动，仪表报蓄电池故障 will not start, battery warning",
        within_warranty=True,
    )
    send(
        job,
        yesterday + dt.timedelta(hours=9, minutes=10),
        ["tech1"],
        "服务车 沪A·F0001",
        "诊断仪、搭电线 tester, jump leads",
    )
    for minutes, step in ((20, "depart"), (100, "arrive"), (105, "start")):
        at(yesterday + dt.timedelta(hours=9, minutes=minutes))
        {"depart": field.depart, "arrive": field.arrive, "start": field.start_work}[step](
            p["tech1"], job.id
        )
    at(yesterday + dt.timedelta(hours=11, minutes=30))
    field.finish_work(p["tech1"], job.id, "更换蓄电池 replaced the battery")
    field.call_centre(p["tech1"], job.id)
    at(yesterday + dt.timedelta(hours=11, minutes=40))
    field.leave_site(p["tech1"], job.id)
    at(yesterday + dt.timedelta(hours=12, minutes=40))
    field.return_to_base(p["tech1"], job.id)
    field.submit_report(
        p["tech1"],
        job.id,
        "蓄电池老化亏电 worn battery, flat",
        "更换蓄电池并检测充电系统 new battery, charging system tested",
        "蓄电池 battery 12V 60Ah",
        "处理及时，满意 quick help, satisfied",
    )
    field.record_survey(p["tech1"], job.id, 5, job.customer.name, signature())
    at(yesterday + dt.timedelta(hours=13))
    field.close_field_job(p["supervisor"], job.id)

    # back yesterday, arrived late (traffic), report incomplete: it cannot be closed
    job = register(
        1,
        yesterday + dt.timedelta(hours=13, minutes=30),
        yesterday + dt.timedelta(hours=16),
        "浦东新区川沙路 88 号车队场站 fleet depot, 88 Chuansha Rd",
        "车队三台车定期保养 service of three fleet vans",
        kind="fleet_visit",
        by=p["advisor"],
    )
    at(yesterday + dt.timedelta(hours=13, minutes=40))
    field.record_quote(p["supervisor"], job.id, "0", "600", "120")
    field.record_agreement(p["supervisor"], job.id, "phone", job.customer.name)
    send(
        job,
        yesterday + dt.timedelta(hours=13, minutes=50),
        ["leader2", "tech3"],
        "服务车 沪A·F0002",
    )
    at(yesterday + dt.timedelta(hours=14, minutes=20))
    field.depart(p["leader2"], job.id)
    at(yesterday + dt.timedelta(hours=16, minutes=25))
    field.arrive(p["leader2"], job.id, late_reason="外环高速事故堵车 accident jam on the ring road")
    field.start_work(p["leader2"], job.id)
    at(yesterday + dt.timedelta(hours=17, minutes=45))
    field.finish_work(p["leader2"], job.id, "三台车更换机油机滤 oil and filter on three vans")
    field.call_centre(p["leader2"], job.id)
    field.leave_site(p["leader2"], job.id)
    at(yesterday + dt.timedelta(hours=18, minutes=40))
    field.return_to_base(p["leader2"], job.id)
    field.submit_report(
        p["leader2"], job.id, "定期保养 scheduled service", "更换机油机滤 oil and filter", "", ""
    )

    # waiting for dispatch since yesterday morning: past the 24 hours
    register(
        2,
        yesterday + dt.timedelta(hours=8, minutes=50),
        now + dt.timedelta(hours=6),
        "嘉定区安亭镇墨玉路 客户工厂 customer's factory, Moyu Rd",
        "上门更换雨刮和空调滤芯 wipers and cabin filter at the customer's",
        kind="mobile_service",
    )
    # waiting for half an hour
    register(
        3,
        now - dt.timedelta(minutes=30),
        now + dt.timedelta(hours=3),
        "中环路 真北路出口 Middle Ring Rd, Zhenbei Rd exit",
        "爆胎，备胎也没气 flat tyre, spare flat too",
        within_warranty=True,
    )
    # on the way, due on site in 40 minutes
    job = register(
        4,
        now - dt.timedelta(minutes=70),
        now + dt.timedelta(minutes=40),
        "闵行区莘庄地铁站北广场 Xinzhuang metro station, north square",
        "钥匙锁在车内 keys locked in the car",
        within_warranty=True,
    )
    send(job, now - dt.timedelta(minutes=60), ["tech2"], "服务车 沪A·F0001")
    at(now - dt.timedelta(minutes=45))
    field.depart(p["tech2"], job.id)
    # on site after arriving late, working
    job = register(
        5,
        now - dt.timedelta(minutes=150),
        now - dt.timedelta(minutes=60),
        "G15 沈海高速 K1098 服务区 Shenhai expressway services, km 1098",
        "发动机过热报警 engine overheating warning",
        within_warranty=True,
    )
    send(
        job,
        now - dt.timedelta(minutes=140),
        ["leader1"],
        "服务车 沪A·F0003",
        "冷却液、检漏仪 coolant, leak tester",
    )
    at(now - dt.timedelta(minutes=130))
    field.depart(p["leader1"], job.id)
    at(now - dt.timedelta(minutes=35))
    field.arrive(p["leader1"], job.id, late_reason="高速封路绕行 road closed, detour")
    at(now - dt.timedelta(minutes=30))
    field.start_work(p["leader1"], job.id)
    # back at base, the car could not be fixed on site: to tow in at reception
    job = register(
        6,
        now - dt.timedelta(minutes=200),
        now - dt.timedelta(minutes=120),
        "松江区九亭镇沪亭北路 Huting North Rd, Jiuting",
        "行驶中变速箱异响后无法挂挡 gearbox noise, then no gear",
        within_warranty=True,
    )
    send(job, now - dt.timedelta(minutes=190), ["tech3"], "服务车 沪A·F0002")
    at(now - dt.timedelta(minutes=185))
    field.depart(p["tech3"], job.id)
    at(now - dt.timedelta(minutes=125))
    field.arrive(p["tech3"], job.id)
    at(now - dt.timedelta(minutes=100))
    field.cannot_fix_on_site(
        p["tech3"], job.id, "变速箱内部损坏，需拖回 gearbox damaged inside, tow in"
    )
    field.call_centre(p["tech3"], job.id)
    at(now - dt.timedelta(minutes=90))
    field.leave_site(p["tech3"], job.id)
    at(now - dt.timedelta(minutes=30))
    field.return_to_base(p["tech3"], job.id)
    at(now)
    return made
