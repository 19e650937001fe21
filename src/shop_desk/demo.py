"""A realistic demo shop, built deterministically through the real services.

Six weeks of history (orders from appointment to closed follow-up, comebacks, complaints,
calls) and today's workshop with an order in every state. Every change goes through the
services, so the audit log explains each order and ``shop-desk check`` passes.
"""

from __future__ import annotations

import datetime as dt
import random
import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from shop_desk import clock
from shop_desk.db import close_database, open_database
from shop_desk.errors import DomainError
from shop_desk.i18n import translate
from shop_desk.models import (
    AdditionalWorkRequest,
    Customer,
    FollowUp,
    JobLine,
    LabourOperation,
    Part,
    PartsIssueSlip,
    RepairOrder,
    Staff,
    Team,
    Vehicle,
)
from shop_desk.seed import sample_shop
from shop_desk.services import (
    aftercare,
    appointments,
    checkout,
    customers,
    parts,
    reception,
    workshop,
)
from shop_desk.states import State
from shop_desk.validation import vin_check_digit

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = (
    "伟",
    "芳",
    "娜",
    "敏",
    "静",
    "强",
    "磊",
    "军",
    "洋",
    "勇",
    "艳",
    "杰",
    "娟",
    "涛",
    "明",
    "超",
    "秀英",
    "霞",
    "平",
    "刚",
    "桂英",
    "建华",
    "晓东",
    "志强",
    "丽",
)
COMPANIES = ("上海申通物流有限公司", "闵行区城市管理局", "华东电子科技有限公司", "浦江建设集团")
CARS = (
    ("大众 Volkswagen", "帕萨特 Passat", "LSVAU2A3"),
    ("大众 Volkswagen", "朗逸 Lavida", "LSVNV2187"),
    ("丰田 Toyota", "卡罗拉 Corolla", "LFMAP86C"),
    ("本田 Honda", "雅阁 Accord", "LHGCR265"),
    ("别克 Buick", "英朗 Excelle GT", "LSGKB54H"),
    ("比亚迪 BYD", "秦PLUS DM-i", "LC0CE4CB"),
    ("吉利 Geely", "星越L Monjaro", "L6T79T2E"),
    ("日产 Nissan", "轩逸 Sylphy", "LGBH52E0"),
)
COLOURS = ("白 White", "黑 Black", "银 Silver", "灰 Grey", "蓝 Blue", "红 Red")
PROVINCE_PLATES = ("沪A", "沪B", "沪C", "沪D", "苏E", "浙A")
COMPLAINTS = (
    ("5000公里保养", "MNT-5K", ["FLT-OIL", "OIL-5W30-4L"]),
    ("10000公里保养，顺便检查空调", "MNT-10K", ["FLT-OIL", "OIL-5W30-4L", "FLT-AIR", "FLT-CAB"]),
    ("刹车时有异响，踩刹车发软", "BRK-F", ["PAD-F"]),
    ("空调不制冷，出风是热的", "AC-REG", ["AC-COMP"]),
    ("发动机怠速抖动厉害", "ENG-MNT", ["MNT-ENG"]),
    ("早上打不着火，电瓶没电", "BAT", ["BAT-60AH"]),
    ("左前车窗升不上去", "WIN-REG", ["WIN-MTR"]),
    ("过减速带前面咚咚响", "SUSP-F", ["SHK-F"]),
    ("雨刮器刮不干净", "WPR", ["WPR-SET"]),
    ("方向盘跑偏", "ALN-4W", []),
    ("右后门被刮花了，需要喷漆", "BODY-PNT", []),
)


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


def make_vin(prefix: str, serial: int) -> str:
    """A VIN with a correct check digit."""
    body = (prefix + "X" * 8)[:8]
    rest = f"N{chr(ord('A') + serial % 8)}{serial:06d}"[-8:]
    vin = body + "0" + rest
    return vin[:8] + vin_check_digit(vin) + vin[9:]


# --------------------------------------------------------------------------------------


@dataclass
class Cast:
    """The sample staff by login."""

    s: dict[str, Staff]

    def __getitem__(self, login: str) -> Staff:
        return self.s[login]


class DemoBuilder:
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
                marks.append(
                    {
                        "view": self.rng.choice(("top", "left", "right", "front", "rear")),
                        "x": round(self.rng.uniform(0.15, 0.85), 3),
                        "y": round(self.rng.uniform(0.15, 0.85), 3),
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

    def book(self, vehicle: Vehicle, start: dt.datetime, complaint: str):
        """Book the first free advisor at ``start`` or a later half hour of that day."""
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
        reception.hand_over(order.advisor, order, key=True, documents=True, notes="")

    def dispatch(self, order: RepairOrder) -> None:
        self.later(10)
        skill = {ln.labour_op.skill for ln in order.lines if ln.labour_op_id}
        teams = list(Team.select().order_by(Team.id))
        team = next((t for t in teams if skill <= {s.skill for s in t.skills}), teams[0])
        techs = [m.staff for m in team.members]
        tech = self.rng.choice(techs)
        workshop.dispatch(
            self.staff["supervisor"], order, team, tech, priority=1 if order.customer_waiting else 2
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
        workshop.finish_wash(self.staff["washer"], order, f"P{self.rng.randint(1, 30):02d}")

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
            self.book(vehicle, start, complaint)
            return (
                RepairOrder.select()
                .where(RepairOrder.vehicle == vehicle)
                .order_by(RepairOrder.id.desc())
                .first()
            )
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


def _work_start(day: dt.date, rng: random.Random) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(8, 30)) + dt.timedelta(minutes=30 * rng.randint(0, 8))


def build_demo(
    path: str | Path,
    seed: int = 20261127,
    years: int | None = None,
    orders_per_day: int | None = None,
    today: dt.date | None = None,
) -> dict[str, int]:
    """Build the demo shop in a new file at ``path``; returns counts of what was made."""
    path = Path(path)
    if path.exists():
        raise DomainError(
            translate("Demo", "{path} exists already; it is never overwritten.").format(path=path)
        )
    if years:
        from shop_desk.bulkdemo import build_large

        return build_large(
            path, seed=seed, years=years, orders_per_day=orders_per_day or 80, today=today
        )
    real_today = today or dt.date.today()
    previous = clock._fixed
    try:
        open_database(path)
        b = DemoBuilder(seed, real_today)
        clock.set_now(dt.datetime.combine(real_today - dt.timedelta(days=60), dt.time(8, 0)))
        b.staff = Cast(sample_shop())
        b.make_customers(48)
        vehicles = list(b.vehicles)
        rng = b.rng
        # history: six weeks of finished work
        history_days = [real_today - dt.timedelta(days=d) for d in range(42, 2, -1)]
        v_iter = 0
        comeback_source = None
        for n, day in enumerate(history_days):
            if day.weekday() == 6:
                continue
            for k in range(2):
                vehicle = vehicles[v_iter % 24]
                v_iter += 1
                start = _work_start(day, rng)
                if start.date() != day:
                    continue
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
                if n == 20 and k == 0:
                    comeback_source = order
        # a comeback: the same car back with the same problem within the window
        if comeback_source is not None:
            day = real_today - dt.timedelta(days=2)
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
        b.at(dt.datetime.combine(real_today - dt.timedelta(days=1), dt.time(15, 20)))
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
        # today: one car in every state
        today_start = dt.datetime.combine(real_today, dt.time(8, 30))
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
                start = today_start - dt.timedelta(days=2)
            if target == State.LEFT:
                start = today_start - dt.timedelta(days=1)
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
        # cancelled, booked for later today and tomorrow
        b.at(today_start + dt.timedelta(minutes=30))
        cancelled = b.walk(fresh[16], today_start + dt.timedelta(hours=1), State.BOOKED)
        b.at(today_start + dt.timedelta(minutes=40))
        appt = cancelled.appointment
        appointments.cancel_appointment(b.staff["advisor"], appt, "顾客改期 customer rescheduled")
        for j, vehicle in enumerate(fresh[17:23]):
            day = real_today + dt.timedelta(days=1 + (j // 3))
            if day.weekday() == 6:
                day += dt.timedelta(days=1)
            slot = dt.datetime.combine(day, dt.time(9, 0)) + dt.timedelta(hours=j % 3 * 2)
            b.at(today_start + dt.timedelta(minutes=50 + j))
            b.walk(vehicle, slot, State.BOOKED)
        later_today = dt.datetime.combine(real_today, dt.time(15, 0))
        b.at(today_start + dt.timedelta(minutes=70))
        b.walk(fresh[23], later_today, State.BOOKED)
        counts = {
            "customers": Customer.select().count(),
            "vehicles": Vehicle.select().count(),
            "orders": RepairOrder.select().count(),
            "parts_slips": PartsIssueSlip.select().count(),
        }
        return counts
    finally:
        clock.set_now(previous)
        close_database()


def _complaint_index(order: RepairOrder) -> int:
    for i, (text, *_rest) in enumerate(COMPLAINTS):
        if text == order.complaint_text:
            return i
    return 0
