"""A realistic demo shop, built deterministically through the real services.

Six weeks of history (orders from appointment to closed follow-up, comebacks, complaints,
calls) and today's workshop with an order in every state. Every change goes through the
services, so the audit log explains each order and ``shop-desk check`` passes.

The date is given, never read here: the demo builds the same shop for the same date and seed,
on any day of the year. On a day the shop is closed (Sunday) the workshop's cars are those of
the last open day and the bookings go to the next open days, as the services allow.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import sqlite3
import struct
import tempfile
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from shop_desk import clock, diagram
from shop_desk.db import close_database, open_database
from shop_desk.demo_data import (
    CARS,
    COLOURS,
    COMPANIES,
    COMPLAINTS,
    GIVEN,
    PROVINCE_PLATES,
    SURNAMES,
    make_vin,
)
from shop_desk.demo_field import cast as field_cast
from shop_desk.demo_field import make_field_jobs
from shop_desk.errors import DomainError
from shop_desk.i18n import translate
from shop_desk.models import (
    AdditionalWorkRequest,
    Appointment,
    Customer,
    FollowUp,
    JobLine,
    LabourOperation,
    Part,
    PartsIssueSlip,
    RepairOrder,
    Staff,
    StaffCertification,
    Team,
    Vehicle,
)
from shop_desk.seed import sample_shop
from shop_desk.services import (
    aftercare,
    appointments,
    certifications,
    checkout,
    customers,
    insurance,
    parts,
    reception,
    scheduling,
    workshop,
)
from shop_desk.services.orders import settings as shop_settings
from shop_desk.states import State

# --------------------------------------------------------------------------------------
# a hand-drawn-looking signature as PNG bytes (no Qt needed)


def signature_png(seed: int, width: int = 360, height: int = 120) -> bytes:
    """A scribbled signature: a few smooth strokes on a white background, as PNG."""
    rng = random.Random(seed)
    pixels = bytearray(b"\xff" * (width * height))

    def dot(x: float, y: float) -> None:
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                xi, yi = int(x) + dx, int(y) + dy
                if 0 <= xi < width and 0 <= yi < height:
                    pixels[yi * width + xi] = 20

    x = 30.0
    for _stroke in range(rng.randint(3, 5)):
        y = height / 2 + rng.uniform(-20, 20)
        amp, freq = rng.uniform(12, 30), rng.uniform(0.05, 0.12)
        length = rng.uniform(50, 90)
        for t in range(int(length * 3)):
            px = x + t / 3
            dot(px, y + amp * __import__("math").sin(freq * t))
        x += length * 0.8
        if x > width - 60:
            break
    raw = b"".join(b"\x00" + bytes(pixels[r * width : (r + 1) * width]) for r in range(height))

    def chunk(tag: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + tag
            + data
            + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 6))
        + chunk(b"IEND", b"")
    )


# --------------------------------------------------------------------------------------


@dataclass
class Cast:
    """The sample staff by login."""

    s: dict[str, Staff]

    def __getitem__(self, login: str) -> Staff:
        return self.s[login]


class DemoBuilder:
    """Takes cars through the real services step by step, on a clock it moves itself (the
    demo and the reliability tests' busy shop both build with it)."""

    def __init__(self, seed: int, today: dt.date) -> None:
        self.rng = random.Random(seed)
        self.today = today
        self.staff: Cast
        self.vehicles: list[Vehicle] = []
        self.sig = 0

    # -- time helpers -------------------------------------------------------------------
    def at(self, when: dt.datetime) -> None:
        clock.set_now(when)

    def later(self, minutes: int) -> None:
        clock.set_now(clock.now() + dt.timedelta(minutes=minutes))

    def spot_on_car(self) -> tuple[str, float, float]:
        """A place for a damage mark: a random view and a point ON the car drawn in it (the
        desk refuses marks on the empty paper beside the car). A point beside the car is moved
        towards the middle of the car until it is on it: the random numbers drawn stay the same
        ones, so the rest of the demo (and every shop built from the same seed) is unchanged."""
        view = self.rng.choice(("top", "left", "right", "front", "rear"))
        x = round(self.rng.uniform(0.15, 0.85), 3)
        y = round(self.rng.uniform(0.15, 0.85), 3)
        while not diagram.on_car(view, x, y):
            x, y = round(x + (0.5 - x) / 4, 3), round(y + (0.6 - y) / 4, 3)
        return view, x, y

    def signature(self) -> bytes:
        self.sig += 1
        return signature_png(self.sig)

    # -- people and cars -------------------------------------------------------------------
    def make_customers(self, count: int) -> None:
        admin = self.staff["advisor"]
        used_plates: set[str] = set()
        for i in range(count):
            rng = self.rng
            company = i % 9 == 4
            name = (
                COMPANIES[(i // 9) % len(COMPANIES)]
                if company
                else rng.choice(SURNAMES) + rng.choice(GIVEN)
            )
            phone = f"1{rng.choice('3456789')}{rng.randint(0, 999999999):09d}"
            cust = customers.create_customer(
                admin,
                name,
                phone,
                kind="company" if company else "person",
                preferred_contact_time=rng.choice(
                    ("", "09:00-11:00", "14:00-17:00", "18:00-20:00")
                ),
                credit_limit=Decimal("20000") if company else Decimal("0"),
                company=name if company else "",
            )
            make, model, prefix = CARS[i % len(CARS)]
            while True:
                plate = rng.choice(PROVINCE_PLATES) + "".join(
                    rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789") for _ in range(5)
                )
                if plate not in used_plates:
                    used_plates.add(plate)
                    break
            sale = self.today - dt.timedelta(days=rng.randint(60, 2400))
            vehicle = customers.create_vehicle(
                admin,
                cust,
                make_vin(prefix, 1000 + i),
                plate,
                make=make,
                model=model,
                year=sale.year,
                colour=rng.choice(COLOURS),
                sale_date=sale,
                warranty_start=sale,
                household=not company,
                odometer_km=max(800, (self.today - sale).days * rng.randint(25, 60)),
            )
            self.vehicles.append(vehicle)

    # -- the steps of one order ------------------------------------------------------------
    def receive(
        self,
        vehicle: Vehicle,
        start: dt.datetime,
        complaint_no: int,
        booked: bool,
        waiting: bool = False,
        warranty: bool = False,
        wash: bool | None = None,
        sign: bool = True,
    ) -> RepairOrder:
        adv = self.staff[self.rng.choice(("advisor", "advisor2"))]
        complaint, op_code, part_nos = COMPLAINTS[complaint_no]
        appt = None
        if booked:
            self.at(start - dt.timedelta(days=1, hours=2))
            appt = self.book(vehicle, start, complaint)
            if appt is not None:
                adv = appt.advisor
                start = appt.slot_start
        self.at(start)
        vehicle = Vehicle.get_by_id(vehicle.id)
        km = vehicle.last_odometer_km + self.rng.randint(300, 4000)
        result = reception.check_in(
            adv, vehicle, appointment=appt, odometer_km=km, complaint_text=complaint
        )
        order = result.order
        self.later(4)
        marks = []
        if self.rng.random() < 0.6:
            for _ in range(self.rng.randint(1, 3)):
                view, x, y = self.spot_on_car()
                marks.append(
                    {
                        "view": view,
                        "x": x,
                        "y": y,
                        "kind": self.rng.choice(("scratch", "dent", "chip", "crack")),
                        "note": self.rng.choice(("", "旧伤 old", "轻微 slight", "")),
                    }
                )
        reception.record_inspection(
            adv,
            order,
            fuel_level=self.rng.choice((12, 25, 50, 75, 100)),
            odometer_km=km,
            warning_lights=["engine"] if complaint_no == 4 else [],
            spare_wheel=True,
            tool_kit=True,
            protective_set=True,
            valuables=self.rng.choice(("", "", "行车记录仪 dash camera", "太阳镜 sunglasses")),
            marks=marks,
        )
        self.later(3)
        reception.record_complaint(
            adv,
            order,
            complaint,
            diagnosis=("" if complaint_no < 2 else "经检查确认：" + complaint),
            licence_no=f"310{self.rng.randint(100000000, 999999999)}",
        )
        op = LabourOperation.get(LabourOperation.code == op_code)
        pay_type = "customer"
        if warranty:
            reception.decide_warranty(
                adv, order, "covered", "三年六万公里整车质保期内 within the new-car warranty"
            )
            pay_type = "warranty"
        elif op.category == "general" and self.rng.random() < 0.2:
            reception.decide_warranty(
                adv, order, "pending", "需上报厂家审批 referred to the manufacturer"
            )
            pay_type = "warranty"
        else:
            reception.decide_warranty(
                adv, order, "not_covered", "保养/易损件，不在质保范围 maintenance or wear item"
            )
        reception.add_labour_line(adv, order, op, pay_type=pay_type)
        for part_no in part_nos:
            part = Part.get(Part.part_no == part_no)
            qty = Decimal("1")
            reception.add_part_line(adv, order, part, qty, pay_type=pay_type)
        self.later(5)
        order = RepairOrder.get_by_id(order.id)
        reception.set_promised_time(adv, order, reception.suggested_promised_time(order))
        reception.set_task_order_options(
            adv,
            order,
            payment_method=self.rng.choice(("wechat", "alipay", "card", "cash")),
            old_parts=self.rng.choice(("dispose", "take_home")),
            free_wash=(self.rng.random() < 0.7) if wash is None else wash,
            authorisation_via="phone",
            authorisation_phone=order.customer.phone,
            customer_waiting=waiting,
        )
        self.later(3)
        if not sign:
            return RepairOrder.get_by_id(order.id)
        if self.rng.random() < 0.5:
            reception.sign_task_order(adv, order, self.signature(), signer=order.customer.name)
        else:
            reception.sign_task_order(adv, order, None, signer=order.customer.name, on_paper=True)
        return RepairOrder.get_by_id(order.id)

    def book(self, vehicle: Vehicle, start: dt.datetime, complaint: str) -> Appointment | None:
        """Book the first free advisor at ``start`` or a later half hour of that day; None
        when the day is closed or full (the car then comes as a walk-in)."""
        for shift in range(0, 16):
            slot = start + dt.timedelta(minutes=30 * shift)
            for login in ("advisor", "advisor2"):
                try:
                    return appointments.book_appointment(
                        self.staff[login],
                        vehicle.owner,
                        vehicle,
                        slot,
                        Decimal("1.00"),
                        complaint,
                        advisor=self.staff[login],
                    )
                except DomainError:
                    continue
        return None

    def hand_over(self, order: RepairOrder) -> None:
        self.later(5)
        reception.hand_over(
            order.advisor,
            order,
            key=True,
            documents=True,
            notes="",
            received_by=self.staff["supervisor"],
        )

    def dispatch(self, order: RepairOrder) -> None:
        self.later(10)
        skill = {ln.labour_op.skill for ln in order.lines if ln.labour_op_id}
        teams = list(Team.select().order_by(Team.id))
        team = next((t for t in teams if skill <= {s.skill for s in t.skills}), teams[0])
        techs = [m.staff for m in team.members]
        tech = self.rng.choice(techs)
        # a technician whose certificate ran out (stage_certifications) goes on only with the
        # supervisor's reason, kept on the order's dispatch (rulebook 篇一)
        reason = OVERRIDE_REASON if workshop.uncertified_skills(order, tech) else ""
        workshop.dispatch(
            self.staff["supervisor"],
            order,
            team,
            tech,
            priority=1 if order.customer_waiting else 2,
            override_reason=reason,
        )
        self.later(5)
        workshop.accept_car(tech, order)

    def tech(self, order: RepairOrder) -> Staff:
        return RepairOrder.get_by_id(order.id).technician

    def labour_lines(self, order: RepairOrder) -> list[JobLine]:
        return list(
            JobLine.select().where(
                (JobLine.order == order)
                & (JobLine.kind == "labour")
                & (JobLine.auth_state == "authorised")
            )
        )

    def part_lines(self, order: RepairOrder) -> list[JobLine]:
        return list(
            JobLine.select().where(
                (JobLine.order == order)
                & (JobLine.kind == "part")
                & (JobLine.auth_state == "authorised")
            )
        )

    def start_work(self, order: RepairOrder) -> None:
        tech = self.tech(order)
        for line in self.labour_lines(order):
            if line.work_state == "pending":
                self.later(3)
                workshop.clock_start(tech, line)

    def issue_parts(self, order: RepairOrder) -> None:
        tech = self.tech(order)
        items = {
            ln.id: ln.quantity - ln.parts_issued
            for ln in self.part_lines(order)
            if ln.parts_issued < ln.quantity
        }
        if not items:
            return
        for line in self.part_lines(order):
            if line.id not in items:
                continue
            part = Part.get_by_id(line.part_id)
            free = part.stock_qty - part.reserved_qty + line.parts_reserved
            if free < items[line.id]:
                parts.receive_stock(
                    self.staff["parts"], part, items[line.id] - free, "demo restock"
                )
        self.later(8)
        slip = parts.issue_parts(self.staff["parts"], order, items, tech)
        self.later(2)
        parts.sign_issue_slip(tech, slip, self.signature())

    def finish_work(self, order: RepairOrder, hours_scale: float = 1.0) -> None:
        tech = self.tech(order)
        for line in self.labour_lines(order):
            line = JobLine.get_by_id(line.id)
            if line.work_state in ("in_progress",):
                self.later(int(60 * float(line.hours) * hours_scale))
                workshop.clock_finish(tech, line)
            elif line.work_state == "paused":
                workshop.clock_resume(tech, line)
                self.later(int(30 * float(line.hours)))
                workshop.clock_finish(tech, line)
            elif line.work_state == "pending":
                workshop.clock_start(tech, line)
                self.later(int(60 * float(line.hours) * hours_scale))
                workshop.clock_finish(tech, line)

    def checks(self, order: RepairOrder) -> None:
        tech = self.tech(order)
        self.later(5)
        workshop.self_check(
            tech, order, {"work_done": True, "no_leaks": True, "tools_removed": True}, True
        )
        self.later(10)
        leader = self._leader(order)
        workshop.leader_check(leader, order, True, advice="建议下次保养时更换空调滤芯", notes="")

    def _leader(self, order: RepairOrder) -> Staff:
        order = RepairOrder.get_by_id(order.id)
        leader = next((m.staff for m in order.team.members if m.is_leader), None)
        return leader or self.staff["leader1"]

    def final_qc(self, order: RepairOrder, passed: bool = True) -> None:
        self.later(15)
        if passed:
            workshop.final_qc(self.staff["inspector"], order, True)
        else:
            workshop.final_qc(
                self.staff["inspector"],
                order,
                False,
                reason="路试仍有异响 noise still on test drive",
            )

    def wash(self, order: RepairOrder) -> None:
        order = RepairOrder.get_by_id(order.id)
        if order.state != State.WASHING.value:
            return
        self.later(10)
        workshop.start_wash(self.staff["washer"], order)
        self.later(25)
        workshop.finish_wash(
            self.staff["washer"],
            order,
            f"P{self.rng.randint(1, 30):02d}",
            dict.fromkeys(workshop.WASH_CHECK_ITEMS, True),
        )

    def deliver(self, order: RepairOrder) -> None:
        order = RepairOrder.get_by_id(order.id)
        adv = order.advisor
        self.later(10)
        items = {key: True for key, _ in checkout.delivery_check_items(order)}
        checkout.delivery_check(adv, order, items)
        self.later(5)
        checkout.notify_customer(adv, order, "phone", clock.now() + dt.timedelta(minutes=40))
        if self.rng.random() < 0.35:
            rec = checkout.add_recommendation(
                adv,
                order,
                self.rng.choice(
                    (
                        "后刹车片剩余3毫米，建议更换 rear pads at 3 mm",
                        "轮胎有裂纹 tyre sidewall cracks",
                        "雨刮片老化 wiper blades worn",
                    )
                ),
                safety=True,
            )
            if self.rng.random() < 0.5:
                checkout.decline_recommendation(adv, rec, self.signature())
            else:
                checkout.accept_recommendation(adv, rec)
        self.later(40)
        vehicle = order.vehicle
        nxt = checkout.next_service(
            vehicle, order.odometer_km or vehicle.last_odometer_km, clock.today()
        )
        walk = {key: True for key, _ in checkout.delivery_walk_items(order)}
        checkout.deliver(
            adv,
            order,
            next_service_date=nxt.date,
            next_service_km=nxt.km,
            follow_up_time=order.customer.preferred_contact_time or "10:00-11:00",
            checks=walk,
        )

    def settle(self, order: RepairOrder) -> None:
        order = RepairOrder.get_by_id(order.id)
        cashier = self.staff["cashier"]
        preview = checkout.settlement_preview(order)
        due = preview.due
        self.later(5)
        if due > 0:
            if order.customer.kind == "company":
                checkout.take_payment(cashier, order, "on_account", due)
            elif due > Decimal("1000") and self.rng.random() < 0.5:
                half = (due / 2).quantize(Decimal("1"))
                checkout.take_payment(
                    cashier, order, "card", half, reference=f"POS{self.rng.randint(10000, 99999)}"
                )
                checkout.take_payment(
                    cashier,
                    order,
                    "cash",
                    due - half,
                    tendered=((due - half) / 100).to_integral_value(rounding="ROUND_CEILING") * 100,
                )
            else:
                method = order.payment_method or "wechat"
                checkout.take_payment(
                    cashier, order, method, due, tendered=due if method == "cash" else None
                )
        checkout.settle(cashier, order)
        self.later(2)
        checkout.issue_gate_pass(cashier, order)

    def leave(self, order: RepairOrder) -> None:
        order = RepairOrder.get_by_id(order.id)
        gp = order.gate_passes.first()
        self.later(10)
        checkout.use_gate_pass(self.staff["supervisor"], gp.number)

    def follow_up(self, order: RepairOrder, happy: bool = True) -> None:
        fu = FollowUp.select().where(FollowUp.order == order).first()
        self.at(max(clock.now(), fu.due_at))
        if happy:
            aftercare.record_follow_up(
                self.staff["crm"], fu, True, self.rng.choice((4, 5, 5)), True, "满意 satisfied"
            )
        else:
            aftercare.record_follow_up(
                self.staff["crm"], fu, True, 2, False, "故障仍在 the fault is back"
            )
            fu = FollowUp.get_by_id(fu.id)
            aftercare.complaint_from_follow_up(
                self.staff["crm"], fu, "回访时顾客反映故障未排除 fault not fixed"
            )

    # -- whole walks -----------------------------------------------------------------------
    def walk(
        self,
        vehicle: Vehicle,
        start: dt.datetime,
        until: State,
        complaint_no: int | None = None,
        booked: bool | None = None,
        rework: bool = False,
        additional: bool = False,
        happy: bool = True,
        warranty: bool = False,
        waiting: bool = False,
        wash: bool | None = None,
    ) -> RepairOrder:
        """Take one car from (appointment and) check-in up to the state ``until``."""
        rng = self.rng
        complaint_no = rng.randrange(len(COMPLAINTS)) if complaint_no is None else complaint_no
        booked = rng.random() < 0.5 if booked is None else booked
        if until == State.BOOKED:
            self.at(min(clock.now(), start - dt.timedelta(hours=3)))
            complaint, *_ = COMPLAINTS[complaint_no]
            appt = self.book(vehicle, start, complaint)
            order = appointments.order_of(appt) if appt is not None else None
            if order is None:  # a refused booking must stop the build, not half-make it
                raise DomainError(
                    translate(
                        "Demo", "The demo could not book an appointment on {date} from {time}."
                    ).format(date=start.date().isoformat(), time=start.strftime("%H:%M"))
                )
            return order
        order = self.receive(
            vehicle,
            start,
            complaint_no,
            booked,
            waiting=waiting,
            warranty=warranty,
            wash=wash,
            sign=until != State.CHECKED_IN,
        )
        if until == State.CHECKED_IN:
            return order
        steps: list[tuple[State, Callable[[], None]]] = [
            (State.AWAITING_DISPATCH, lambda: self.hand_over(order)),
            (
                State.IN_PROGRESS,
                lambda: (self.dispatch(order), self.start_work(order), self.issue_parts(order)),
            ),
        ]
        if additional:
            steps.append((State.WAITING_AUTHORISATION, lambda: self.propose(order)))
            steps.append((State.IN_PROGRESS, lambda: self.authorise(order)))
        steps += [
            (
                State.FINAL_QC,
                lambda: (self.finish_work(order), self.issue_parts(order), self.checks(order)),
            ),
        ]
        if rework:
            steps.append((State.REWORK, lambda: self.final_qc(order, passed=False)))
            steps.append((State.FINAL_QC, lambda: (self.redo(order), self.checks(order))))
        steps += [
            (State.WASHING, lambda: self.final_qc(order)),
            (State.READY, lambda: self.wash(order)),
            (State.DELIVERED, lambda: self.deliver(order)),
            (State.SETTLED, lambda: self.settle(order)),
            (State.LEFT, lambda: self.leave(order)),
            (State.CLOSED, lambda: self.follow_up(order, happy)),
        ]
        for target, step in steps:
            step()
            if target == until:
                break
        return RepairOrder.get_by_id(order.id)

    def propose(self, order: RepairOrder) -> None:
        tech = self.tech(order)
        self.later(30)
        workshop.propose_additional_work(
            tech,
            order,
            [
                {
                    "kind": "labour",
                    "labour_op": LabourOperation.get(LabourOperation.code == "BRK-R").id,
                },
                {"kind": "part", "part": Part.get(Part.part_no == "PAD-R").id, "quantity": "1"},
                {
                    "kind": "labour",
                    "labour_op": LabourOperation.get(LabourOperation.code == "WPR").id,
                },
            ],
            reason="检查发现后刹车片仅剩2毫米 rear pads at 2 mm",
        )

    def authorise(self, order: RepairOrder) -> None:
        req = (
            AdditionalWorkRequest.select()
            .where(AdditionalWorkRequest.order == order)
            .order_by(AdditionalWorkRequest.id.desc())
            .first()
        )
        self.later(20)
        lines = list(req.lines.order_by(JobLine.id))
        decisions = {
            ln.id: ("declined" if ln.labour_op_id and ln.labour_op.code == "WPR" else "authorised")
            for ln in lines
        }
        workshop.record_authorisation(order.advisor, req, decisions, "phone", order.customer.name)
        self.start_work(order)

    def redo(self, order: RepairOrder) -> None:
        tech = self.tech(order)
        line = self.labour_lines(order)[0]
        self.later(10)
        workshop.clock_start(tech, line)
        self.later(40)
        workshop.clock_finish(tech, line)


#: Why the demo's supervisor lets a technician work past a lapsed certificate.
OVERRIDE_REASON = (
    "电工证复审中，组长全程监督 certificate renewal under way, the team leader supervises"
)


def stage_certifications(cast: Cast, work_day: dt.date) -> None:
    """Staff trained before they work (rulebook 篇一) as the demo shows it: the sample shop
    certified its workshop staff; Wu Hao's electrical certificate ran out ten days before the
    demo's day (the dispatch dialog warns and asks the supervisor's reason) and Chen Gang's
    body-and-paint training was withdrawn (kept for history on the admin desk)."""
    root = cast["admin"]

    def cert(login: str, skill: str) -> StaffCertification:
        return StaffCertification.get(
            (StaffCertification.staff == cast[login]) & (StaffCertification.skill == skill)
        )

    lapsed = cert("tech3", "electrical")
    certifications.renew_certification(
        root,
        lapsed.id,
        lapsed.certified_on,
        work_day - dt.timedelta(days=10),
        note="电工证 EL-2023-117",
    )
    certifications.withdraw_certification(
        root, cert("leader1", "body").id, "转岗机修，不再做钣喷 moved to mechanical work only"
    )


def _work_start(day: dt.date, rng: random.Random) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(8, 30)) + dt.timedelta(minutes=30 * rng.randint(0, 8))


#: Calendar days of finished work before the demo's day (six weeks).
HISTORY_DAYS = 42
#: How many progress lines a build of the demo shop says (the last one is "saving").
STEPS = 7
#: A half-built file left by a build that was killed is removed after this long unchanged.
STALE_BUILD = dt.timedelta(hours=1)


def open_day_on_or_before(day: dt.date) -> dt.date:
    """``day`` if the shop is open then, else the last open day before it."""
    for _ in range(366):
        if scheduling.is_working_day(day):
            return day
        day -= dt.timedelta(days=1)
    raise DomainError(translate("Demo", "The shop is not open on any day of the year."))


def open_day_after(day: dt.date) -> dt.date:
    """The first day after ``day`` the shop is open (bookings go only to open days)."""
    for _ in range(366):
        day += dt.timedelta(days=1)
        if scheduling.is_working_day(day):
            return day
    raise DomainError(translate("Demo", "The shop is not open on any day of the year."))


def demo_work_day(today: dt.date) -> dt.date:
    """The day the demo's workshop was busy: ``today`` when the shop is open, else the last
    open day (on a Sunday the cars of Saturday wait in the workshop; nobody checks in)."""
    return open_day_on_or_before(today)


def building_files(path: str | Path) -> list[Path]:
    """Files a build of ``path`` works in (hidden, never named like a demo): a temporary
    database and its SQLite journals."""
    path = Path(path)
    found = []
    for item in path.parent.glob(f".{path.name}.*.building*"):
        if item.name.endswith((".building", ".building-wal", ".building-shm", ".building-journal")):
            found.append(item)
    return sorted(found)


def _remove_database_files(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def remove_stale_builds(path: str | Path, now: float) -> list[Path]:
    """Remove what builds of ``path`` killed midway left behind (unchanged for
    :data:`STALE_BUILD`); a build running now keeps writing its file, so it is left alone.
    ``now`` is the file-system time (``time.time()``) to compare modification times with."""
    removed = []
    for item in building_files(path):
        try:
            age = now - item.stat().st_mtime
        except FileNotFoundError:
            continue
        if age > STALE_BUILD.total_seconds():
            item.unlink(missing_ok=True)
            removed.append(item)
    return removed


def _settle_journal(path: Path) -> None:
    """Fold the write-ahead log into the file: the file alone is moved into place, and a
    journal left behind under the old name would be lost (or applied to another file)."""
    wal = Path(f"{path}-wal")
    if wal.exists():
        con = sqlite3.connect(path)
        try:
            con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            con.close()
    for suffix in ("-wal", "-shm"):
        leftover = Path(f"{path}{suffix}")
        if leftover.exists() and leftover.stat().st_size == 0:
            leftover.unlink()
    if wal.exists():
        raise DomainError(
            translate("Demo", "The demo database {path} could not be completed.").format(path=path)
        )


def build_demo(
    path: str | Path,
    today: dt.date,
    *,
    seed: int = 20261127,
    years: int | None = None,
    orders_per_day: int | None = None,
    history_days: int = HISTORY_DAYS,
    progress: Callable[[str], None] | None = None,
    replace: bool = False,
) -> dict[str, int]:
    """Build the demo shop as it stands on ``today`` in a file at ``path``; returns counts of
    what was made.

    The shop is built in a hidden file beside ``path`` and moved into place only when complete,
    so a failed or interrupted build never leaves a half-built demo (``replace``: an existing
    file is swapped for the new one only then). ``today`` is given, never read from the
    machine, so the same date and seed give the same shop on any day. ``history_days``: the
    calendar days of finished work before it (fewer make a quicker build for tests).
    ``progress`` receives a line for each step."""
    path = Path(path)
    if path.exists() and not replace:
        raise DomainError(
            translate("Demo", "{path} exists already; it is never overwritten.").format(path=path)
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_builds(path, time.time())
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".building", dir=path.parent)
    os.close(fd)
    building = Path(name)
    try:
        if years:
            from shop_desk.bulkdemo import build_large

            counts = build_large(
                building,
                seed=seed,
                years=years,
                orders_per_day=orders_per_day or 80,
                today=today,
                progress=progress,
            )
        else:
            counts = _build_small(building, today, seed, history_days, progress)
        close_database()
        _say(progress, STEPS, translate("Demo", "saving"))
        _settle_journal(building)
        for suffix in ("-wal", "-shm", "-journal"):  # the old file's, if it is replaced
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        os.replace(building, path)
    except BaseException:
        close_database()
        _remove_database_files(building)
        raise
    return counts


def _say(progress: Callable[[str], None] | None, step: int, what: str) -> None:
    if progress is not None:
        progress(
            translate("Demo", "Building the demo shop: {step}/{total} {what}…").format(
                step=step, total=STEPS, what=what
            )
        )


#: The insurer catalogue of the demo shop (保险公司 and their claims lines).
DEMO_INSURERS = (
    ("中国人保 PICC", "95518"),
    ("平安保险 Ping An", "95511"),
    ("太平洋保险 CPIC", "95500"),
)


def _build_small(
    path: Path,
    today: dt.date,
    seed: int,
    history_days: int,
    progress: Callable[[str], None] | None,
) -> dict[str, int]:
    """The demo shop of a few dozen cars, every change made through the services."""
    work_day = demo_work_day(today)
    previous = clock._fixed
    try:
        _say(progress, 1, translate("Demo", "staff and catalogues"))
        open_database(path)
        b = DemoBuilder(seed, today)
        first_day = today - dt.timedelta(days=max(60, history_days + 18))
        clock.set_now(dt.datetime.combine(first_day, dt.time(8, 0)))
        b.staff = Cast(sample_shop())
        stage_certifications(b.staff, work_day)
        for name, contact in DEMO_INSURERS:  # the insurers accident cars are claimed from
            insurance.save_insurer(b.staff["admin"], name, contact)
        _say(progress, 2, translate("Demo", "customers and cars"))
        b.make_customers(48)
        vehicles = list(b.vehicles)
        rng = b.rng
        # history: finished work on the open days before the demo's day
        _say(progress, 3, translate("Demo", "{days} days of history").format(days=history_days))
        history_days_list = [work_day - dt.timedelta(days=d) for d in range(history_days, 2, -1)]
        v_iter = 0
        comeback_source = None
        for n, day in enumerate(history_days_list):
            if not scheduling.is_working_day(day):
                continue
            for k in range(2):
                vehicle = vehicles[v_iter % 24]
                v_iter += 1
                start = _work_start(day, rng)
                order = b.walk(
                    vehicle,
                    start,
                    State.CLOSED,
                    complaint_no=3 if (n == 5 and k == 0) else None,
                    rework=(n % 11 == 3 and k == 0),
                    additional=(n % 7 == 2 and k == 1),
                    happy=not (n % 13 == 5 and k == 0),
                    warranty=(n % 9 == 1 and k == 1),
                )
                if comeback_source is None and k == 0 and (work_day - day).days <= 22:
                    comeback_source = order
        # a comeback: the same car back with the same problem within the window
        _say(progress, 4, translate("Demo", "comebacks, calls and complaints"))
        if comeback_source is not None:
            day = open_day_on_or_before(work_day - dt.timedelta(days=2))
            cb = b.walk(
                comeback_source.vehicle,
                _work_start(day, rng),
                State.LEFT,
                complaint_no=_complaint_index(comeback_source),
                booked=False,
            )
            cb = RepairOrder.get_by_id(cb.id)
            if cb.is_comeback:
                aftercare.complaint_for_comeback(b.staff["crm"], cb)
        # calls and complaints
        day_before = open_day_on_or_before(work_day - dt.timedelta(days=1))
        b.at(dt.datetime.combine(day_before, dt.time(15, 20)))
        crm = b.staff["crm"]
        call = aftercare.log_call(
            crm, "赵女士", "13917654321", "询问车辆保养价格 asks for service prices"
        )
        b.later(30)
        aftercare.answer_call(crm, call, "已告知5000公里保养价格 quoted the 5,000 km service")
        aftercare.log_call(
            crm,
            "钱先生",
            "13611112222",
            "要求回电确认喷漆工期 wants a call back about paint time",
            urgent=True,
        )
        # the demo's day: one car in every state
        _say(progress, 5, translate("Demo", "today's workshop"))
        today_start = dt.datetime.combine(work_day, dt.time(8, 30))
        # the closed car left early enough for its follow-up call to be due on the demo's day
        closed_day = open_day_on_or_before(
            work_day - dt.timedelta(days=shop_settings().follow_up_days)
        )
        fresh = vehicles[24:]
        plan = [
            (State.CLOSED, {}),
            (State.LEFT, {}),
            (State.SETTLED, {}),
            (State.DELIVERED, {}),
            (State.READY, {}),
            (State.READY, {"waiting": True}),
            (State.WASHING, {"wash": True}),
            (State.FINAL_QC, {}),
            (State.REWORK, {"rework": True}),
            (State.WAITING_AUTHORISATION, {"additional": True}),
            (State.IN_PROGRESS, {"warranty": True}),
            (State.IN_PROGRESS, {"waiting": True}),
            (State.AWAITING_DISPATCH, {}),
            (State.AWAITING_DISPATCH, {}),
            (State.CHECKED_IN, {}),
        ]
        made = {}
        for i, (target, kw) in enumerate(plan):
            start = today_start + dt.timedelta(minutes=30 * (i % 8))
            if target == State.CLOSED:
                start = dt.datetime.combine(closed_day, today_start.time())
            if target == State.LEFT:
                start = dt.datetime.combine(day_before, today_start.time())
            order = b.walk(fresh[i], start, target, booked=(i % 2 == 0), **kw)
            made[order.number] = order.state
        # waiting for parts: the only A/C compressor is reserved, a second car needs one
        order = b.walk(
            fresh[15],
            today_start + dt.timedelta(minutes=210),
            State.AWAITING_DISPATCH,
            complaint_no=3,
            booked=False,
        )
        b.dispatch(order)
        b.start_work(order)
        line = JobLine.select().where((JobLine.order == order) & (JobLine.kind == "part")).first()
        if line is not None and line.parts_reserved < line.quantity:
            parts.request_parts(b.tech(order), line, line.quantity, wait_for_parts=True)
        # parts in and out at the counter: suppliers, supplier orders, claims, a return slip
        from shop_desk.demo_parts import build_parts_flow

        build_parts_flow(
            b.staff["parts"], order, today_start + dt.timedelta(minutes=240), b.signature()
        )
        # appointments: one cancelled, three on each of the next two open days and one for
        # later today (the next open day when the shop is closed today)
        _say(progress, 6, translate("Demo", "appointments"))
        b.at(today_start + dt.timedelta(minutes=30))
        cancelled = b.walk(fresh[16], today_start + dt.timedelta(hours=1), State.BOOKED)
        b.at(today_start + dt.timedelta(minutes=40))
        appointments.cancel_appointment(
            b.staff["advisor"], cancelled.appointment, "顾客改期 customer rescheduled"
        )
        next_day = open_day_after(today)
        booking_days = (next_day, open_day_after(next_day))
        for j, vehicle in enumerate(fresh[17:23]):
            slot = dt.datetime.combine(booking_days[j // 3], dt.time(9, 0)) + dt.timedelta(
                hours=j % 3 * 2
            )
            b.at(today_start + dt.timedelta(minutes=50 + j))
            b.walk(vehicle, slot, State.BOOKED)
        later_day = today if work_day == today else next_day
        b.at(today_start + dt.timedelta(minutes=70))
        b.walk(fresh[23], dt.datetime.combine(later_day, dt.time(15, 0)), State.BOOKED)
        # field service: calls waiting for dispatch, crews out, jobs back to close
        owned = [v for v in vehicles if v.owner_id is not None]
        field_jobs = make_field_jobs(
            field_cast(), owned, today_start + dt.timedelta(minutes=80), b.signature
        )
        # the accessory counter: sales of the last weeks and products brought back
        from shop_desk.demo_counter import stage_counter

        stage_counter(b.staff, work_day)
        return {
            "customers": Customer.select().count(),
            "vehicles": Vehicle.select().count(),
            "orders": RepairOrder.select().count(),
            "parts_slips": PartsIssueSlip.select().count(),
            "field_jobs": len(field_jobs),
        }
    finally:
        clock.set_now(previous)
        close_database()


def _complaint_index(order: RepairOrder) -> int:
    for i, (text, *_rest) in enumerate(COMPLAINTS):
        if text == order.complaint_text:
            return i
    return 0
