"""三包 monitor: evidence for the statutory warranty of household cars (家用汽车三包).

Within the statutory warranty period of a household car (``settings.sanbao_days`` days,
default 730, and ``settings.sanbao_km`` km, default 50,000, from the sale date, whichever
comes first) the rules owe the customer a loaner car or transport compensation when one
repair takes more than 5 days, and make replacement or return possible when repairs add up
(35 days in repair, 5 repairs of the same fault, a serious safety fault repaired twice).
The shop has to see that coming. This module collects the evidence from the shop's own
records and warns when a count approaches or reaches a threshold; it never decides a claim —
the wording is "approaching the threshold", "evidence", and the people decide.

What is counted:

- a *repair* is an order checked in within the period whose warranty decision is not
  "not covered" (accident damage, wear, maintenance) and that is not a routine service
  visit (a service request without repair labour); cancelled orders never count;
- *days in repair* are calendar days from check-in to ready for delivery (or delivered),
  both days included, so a car in and out on the same day counts 1 day; a car still in the
  shop counts to the day looked at; overlapping orders are not counted twice;
- the *same fault*: repairs with the same (non-maintenance) labour operation, or whose
  complaint and diagnosis describe the same problem (:func:`reception.texts_match`);
- *serious safety faults* (严重安全性能故障): brakes, steering, airbags, a cracked body and fuel
  leaks, found by the keywords and labour-operation codes below in the complaint, diagnosis
  and labour operations. Two rules use them: such a fault (steering or brake failure, body
  crack, fuel leak) within the first 60 days or 3,000 km of the period (whichever comes first)
  allows a replacement or return at once; and serious safety faults repaired twice that come
  back (a third repair) allow it within the whole period.

Warning levels: a single repair "approaching" on its 5th day while the car is still in the
shop and "reached" beyond 5 days (the loaner or compensation is due); cumulative days
approaching from 25 and reached at 35; the same fault approaching from 3 repairs and reached
at 5 (one more day or repair passes the threshold); serious safety faults approaching after 2
repairs and reached at the 3rd; a serious safety fault in the first 60 days / 3,000 km is
reached at once.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from peewee import JOIN, fn

from shop_desk import clock
from shop_desk.i18n import join_list, translate
from shop_desk.models import (
    Customer,
    JobLine,
    LabourOperation,
    OdometerReading,
    RepairOrder,
    ShopSettings,
    Vehicle,
)
from shop_desk.services.base import get
from shop_desk.services.orders import settings
from shop_desk.services.reception import ROUTINE_WORDS, texts_match
from shop_desk.states import State
from shop_desk.validation import display_plate

Row = Sequence[object]

LOANER_DAYS = 5
CUMULATIVE_DAYS = 35
CUMULATIVE_APPROACH_DAYS = 25
SAME_FAULT_REPAIRS = 5
SAME_FAULT_APPROACH = 3
#: Serious safety faults repaired this often are "approaching"; one more repair reaches it.
SAFETY_REPAIRS = 2
#: The first days / km of the period in which one serious safety fault allows a replacement.
SAFETY_EARLY_DAYS = 60
SAFETY_EARLY_KM = 3000

#: Serious safety faults: words in the complaint, diagnosis or labour operation name.
SAFETY_KEYWORDS: dict[str, tuple[str, ...]] = {
    "brake": ("刹车", "制动", "brake"),
    "steering": ("转向", "方向机", "steering"),
    "airbag": ("气囊", "airbag"),
    "body_crack": ("车身开裂", "车身裂", "body crack"),
    "fuel_leak": ("燃油泄漏", "漏汽油", "fuel leak"),
}
#: The faults the 60 days / 3,000 km rule names (steering or brake failure, body crack, fuel
#: leak).
SAFETY_EARLY_SYSTEMS = ("brake", "steering", "body_crack", "fuel_leak")
#: Labour-operation code prefixes of the same systems.
SAFETY_OP_PREFIXES: dict[str, str] = {
    "BRK": "brake",
    "STR": "steering",
    "SRS": "airbag",
    "FUEL": "fuel_leak",
}

APPROACHING = "approaching"
REACHED = "reached"

_NOT_COUNTED_STATES = (State.BOOKED.value, State.CANCELLED.value)


@dataclass(frozen=True)
class RepairSpan:
    """One repair counted for the 三包 rules, with the dates that are its evidence."""

    order_id: int
    number: str
    checked_in_at: dt.datetime
    ended_at: dt.datetime | None  # ready (or delivered); None while the car is in the shop
    until: dt.date  # the last day counted
    days: int
    odometer_km: int | None
    complaint: str  # the customer's words
    text: str  # complaint and diagnosis, what "the same fault" is matched on
    operations: tuple[str, ...]
    op_ids: frozenset[int] = frozenset()
    safety: frozenset[str] = frozenset()

    @property
    def in_shop(self) -> bool:
        return self.ended_at is None


@dataclass(frozen=True)
class FaultGroup:
    """Repairs of the same fault (same labour operation or matching complaint)."""

    key: str
    label: str
    repairs: tuple[RepairSpan, ...]

    @property
    def count(self) -> int:
        return len(self.repairs)


@dataclass(frozen=True)
class SanbaoWarning:
    kind: str  # loaner | cumulative_days | same_fault | safety_repeat
    level: str  # approaching | reached
    value: int
    threshold: int
    message: str
    evidence: tuple[RepairSpan, ...]


@dataclass
class SanbaoStatus:
    vehicle: Vehicle
    on_date: dt.date
    applies: bool  # a household car with a sale date
    in_period: bool
    period_start: dt.date | None
    period_end: dt.date | None
    km_limit: int
    odometer_km: int
    note: str = ""
    repairs: list[RepairSpan] = field(default_factory=list)
    cumulative_days: int = 0
    fault_groups: list[FaultGroup] = field(default_factory=list)
    warnings: list[SanbaoWarning] = field(default_factory=list)

    @property
    def has_warning(self) -> bool:
        return bool(self.warnings)

    @property
    def threshold_reached(self) -> bool:
        return any(w.level == REACHED for w in self.warnings)


# ----------------------------------------------------------------------------- labels


def kind_label(kind: str) -> str:
    return {
        "loaner": translate("Sanbao", "Single repair over 5 days"),
        "cumulative_days": translate("Sanbao", "Cumulative days in repair"),
        "same_fault": translate("Sanbao", "Repairs of the same fault"),
        "safety_repeat": translate("Sanbao", "Serious safety fault repaired again"),
        "safety_early": translate("Sanbao", "Serious safety fault in the first 60 days"),
    }.get(kind, kind)


def level_label(level: str) -> str:
    return {
        APPROACHING: translate("Sanbao", "Approaching the threshold"),
        REACHED: translate("Sanbao", "Threshold reached"),
    }.get(level, level)


def safety_label(code: str) -> str:
    return {
        "brake": translate("Sanbao", "Brakes"),
        "steering": translate("Sanbao", "Steering"),
        "airbag": translate("Sanbao", "Airbags"),
        "body_crack": translate("Sanbao", "Body crack"),
        "fuel_leak": translate("Sanbao", "Fuel leak"),
    }.get(code, code)


def disclaimer() -> str:
    """The sentence the 三包 screens show: evidence, not a verdict."""
    return translate(
        "Sanbao",
        "Evidence from the shop's records to act on in time; whether a loaner, a replacement "
        "or a return is owed is decided under the statutory warranty rules, not by this list.",
    )


# ---------------------------------------------------------------------------- the rules


def _safety_systems(text: str, op_codes: Iterable[str]) -> frozenset[str]:
    lowered = text.lower()
    found = {code for code, words in SAFETY_KEYWORDS.items() if any(w in lowered for w in words)}
    for op_code in op_codes:
        for prefix, code in SAFETY_OP_PREFIXES.items():
            if op_code.upper().startswith(prefix):
                found.add(code)
    return frozenset(found)


def _ended(order: RepairOrder) -> dt.datetime | None:
    return (
        order.ready_at or order.delivered_at or order.settled_at or order.left_at or order.closed_at
    )


def _union_days(spans: Iterable[RepairSpan]) -> int:
    """Calendar days covered by the repairs; overlapping days count once."""
    total = 0
    current: tuple[dt.date, dt.date] | None = None
    for span in sorted(spans, key=lambda s: s.checked_in_at):
        first, last = span.checked_in_at.date(), span.until
        if current is None or first > current[1]:
            if current is not None:
                total += (current[1] - current[0]).days + 1
            current = (first, last)
        elif last > current[1]:
            current = (current[0], last)
    if current is not None:
        total += (current[1] - current[0]).days + 1
    return total


@functools.lru_cache(maxsize=16384)
def _same_problem(a: str, b: str) -> bool:
    """:func:`reception.texts_match`, remembered: a car's complaints repeat word for word."""
    return texts_match(a, b)


def _fault_groups(repairs: list[RepairSpan], op_names: dict[int, str]) -> list[FaultGroup]:
    """Groups of at least two repairs of the same fault; a group inside a bigger one is dropped."""
    candidates: list[tuple[int, str, str, tuple[RepairSpan, ...]]] = []
    by_op: dict[int, list[RepairSpan]] = {}
    for r in repairs:
        for op_id in r.op_ids:
            by_op.setdefault(op_id, []).append(r)
    for op_id, members in by_op.items():
        candidates.append((0, f"op:{op_id}", op_names.get(op_id, str(op_id)), tuple(members)))
    anchors: dict[str, RepairSpan] = {}
    for r in repairs:
        if r.text:
            anchors.setdefault(r.text, r)  # the same words anchor the same group once
    for text, anchor in anchors.items():
        members = tuple(
            r for r in repairs if r.text and (r.text == text or _same_problem(text, r.text))
        )
        label = anchor.complaint.strip() or anchor.text
        candidates.append((1, f"text:{anchor.order_id}", _short(label), members))
    kept: list[FaultGroup] = []
    sets: list[frozenset[int]] = []
    candidates.sort(key=lambda c: (-len(c[3]), c[0], min(r.checked_in_at for r in c[3]), c[1]))
    for _prio, key, label, members in candidates:
        ids = frozenset(r.order_id for r in members)
        if len(ids) < 2 or any(ids <= other for other in sets):
            continue
        sets.append(ids)
        kept.append(
            FaultGroup(
                key, label, tuple(sorted(members, key=lambda r: (r.checked_in_at, r.order_id)))
            )
        )
    return kept


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _fmt_day(value: dt.date | dt.datetime) -> str:
    return (value.date() if isinstance(value, dt.datetime) else value).isoformat()


def _warnings(status: SanbaoStatus) -> list[SanbaoWarning]:
    out: list[SanbaoWarning] = []
    for r in status.repairs:
        if r.days > LOANER_DAYS:
            end = translate("Sanbao", "still in the shop") if r.in_shop else _fmt_day(r.until)
            msg = translate(
                "Sanbao",
                "Order {number}: {days} days in repair ({start} – {end}), more than {limit} days: "
                "a loaner car or transport compensation is due.",
            ).format(
                number=r.number,
                days=r.days,
                start=_fmt_day(r.checked_in_at),
                end=end,
                limit=LOANER_DAYS,
            )
            out.append(SanbaoWarning("loaner", REACHED, r.days, LOANER_DAYS, msg, (r,)))
        elif r.in_shop and r.days == LOANER_DAYS:
            msg = translate(
                "Sanbao",
                "Order {number} has been in repair for {days} days since {start}: approaching the "
                "threshold; from tomorrow a loaner car or transport compensation is due.",
            ).format(number=r.number, days=r.days, start=_fmt_day(r.checked_in_at))
            out.append(SanbaoWarning("loaner", APPROACHING, r.days, LOANER_DAYS, msg, (r,)))
    days = status.cumulative_days
    if days >= CUMULATIVE_APPROACH_DAYS:
        level = REACHED if days >= CUMULATIVE_DAYS else APPROACHING
        if level == REACHED:
            text = translate(
                "Sanbao",
                "{days} days in repair within the statutory warranty period: the threshold of "
                "{limit} days is reached. Evidence: {orders}.",
            )
        else:
            text = translate(
                "Sanbao",
                "{days} days in repair within the statutory warranty period: approaching the "
                "threshold of {limit} days. Evidence: {orders}.",
            )
        msg = text.format(days=days, limit=CUMULATIVE_DAYS, orders=_numbers(status.repairs))
        out.append(
            SanbaoWarning(
                "cumulative_days", level, days, CUMULATIVE_DAYS, msg, tuple(status.repairs)
            )
        )
    for group in status.fault_groups:
        if group.count < SAME_FAULT_APPROACH:
            continue
        level = REACHED if group.count >= SAME_FAULT_REPAIRS else APPROACHING
        if level == REACHED:
            text = translate(
                "Sanbao",
                "{count} repairs of the same fault ({fault}): the threshold of {limit} repairs is "
                "reached. Evidence: {orders}.",
            )
        else:
            text = translate(
                "Sanbao",
                "{count} repairs of the same fault ({fault}): approaching the threshold of {limit} "
                "repairs. Evidence: {orders}.",
            )
        msg = text.format(
            count=group.count,
            fault=group.label,
            limit=SAME_FAULT_REPAIRS,
            orders=_numbers(group.repairs),
        )
        out.append(
            SanbaoWarning("same_fault", level, group.count, SAME_FAULT_REPAIRS, msg, group.repairs)
        )
    out += _safety_warnings(status)
    return out


def _safety_warnings(status: SanbaoStatus) -> list[SanbaoWarning]:
    """The two rules on serious safety faults: early in the period, and repaired again."""
    out: list[SanbaoWarning] = []
    safety = [r for r in status.repairs if r.safety]
    start = status.period_start
    early = [
        r
        for r in safety
        if start is not None
        and (r.checked_in_at.date() - start).days < SAFETY_EARLY_DAYS
        and (r.odometer_km is None or r.odometer_km <= SAFETY_EARLY_KM)
        and r.safety & set(SAFETY_EARLY_SYSTEMS)
    ]
    if early:
        faults = sorted({code for r in early for code in r.safety if code in SAFETY_EARLY_SYSTEMS})
        msg = translate(
            "Sanbao",
            "Serious safety fault ({fault}) within the first {days} days / {km} km of the "
            "statutory warranty period: the customer may choose a replacement or a return. "
            "Evidence: {orders}.",
        ).format(
            fault=join_list(safety_label(c) for c in faults),
            days=SAFETY_EARLY_DAYS,
            km=f"{SAFETY_EARLY_KM:,}",
            orders=_numbers(early),
        )
        out.append(SanbaoWarning("safety_early", REACHED, len(early), 1, msg, tuple(early)))
    if len(safety) >= SAFETY_REPAIRS:
        faults = sorted({code for r in safety for code in r.safety})
        level = REACHED if len(safety) > SAFETY_REPAIRS else APPROACHING
        if level == REACHED:
            text = translate(
                "Sanbao",
                "Serious safety faults ({fault}) came back after {limit} repairs ({count} "
                "repairs): the threshold is reached. Evidence: {orders}.",
            )
        else:
            text = translate(
                "Sanbao",
                "Serious safety faults ({fault}) repaired {count} times: approaching the "
                "threshold; if one comes back, the customer may choose a replacement or a "
                "return. Evidence: {orders}.",
            )
        msg = text.format(
            fault=join_list(safety_label(c) for c in faults),
            count=len(safety),
            limit=SAFETY_REPAIRS,
            orders=_numbers(safety),
        )
        out.append(
            SanbaoWarning(
                "safety_repeat", level, len(safety), SAFETY_REPAIRS + 1, msg, tuple(safety)
            )
        )
    return out


def _numbers(repairs: Iterable[RepairSpan]) -> str:
    return join_list(
        translate("Sanbao", "{number} ({days} d)").format(number=r.number, days=r.days)
        for r in repairs
    )


# ---------------------------------------------------------------------------- loading


@dataclass
class _Line:
    op_id: int | None
    code: str
    name: str
    category: str


def _load(
    vehicle_ids, on_date: dt.date
) -> tuple[dict[int, list[RepairOrder]], dict[int, list[_Line]], dict[int, int]]:
    """Orders (checked in by ``on_date``), their labour lines and the odometer per vehicle:
    three queries, whatever the number of vehicles."""
    day_end = dt.datetime.combine(on_date + dt.timedelta(days=1), dt.time())
    order_filter = (
        RepairOrder.vehicle.in_(vehicle_ids)
        & RepairOrder.checked_in_at.is_null(False)
        & (RepairOrder.checked_in_at < day_end)
        & RepairOrder.state.not_in(_NOT_COUNTED_STATES)
    )
    orders: dict[int, list[RepairOrder]] = {}
    columns = (
        RepairOrder.id,
        RepairOrder.number,
        RepairOrder.state,
        RepairOrder.vehicle,
        RepairOrder.checked_in_at,
        RepairOrder.odometer_km,
        RepairOrder.complaint_text,
        RepairOrder.diagnosis,
        RepairOrder.warranty_decision,
        RepairOrder.ready_at,
        RepairOrder.delivered_at,
        RepairOrder.settled_at,
        RepairOrder.left_at,
        RepairOrder.closed_at,
    )
    query = RepairOrder.select(*columns).where(order_filter)
    for order in query.order_by(RepairOrder.checked_in_at, RepairOrder.id):
        orders.setdefault(order.vehicle_id, []).append(order)
    lines: dict[int, list[_Line]] = {}
    query = (
        JobLine.select(
            JobLine.order,
            JobLine.labour_op,
            LabourOperation.code,
            LabourOperation.name,
            JobLine.description,
            JobLine.category,
        )
        .join(LabourOperation, JOIN.LEFT_OUTER)
        .switch(JobLine)
        .join(RepairOrder)
        .where(order_filter & (JobLine.kind == "labour") & (JobLine.auth_state != "declined"))
        .tuples()
    )
    for order_id, op_id, code, name, description, category in query:
        lines.setdefault(order_id, []).append(
            _Line(op_id, code or "", name or description, category)
        )
    odometer = dict(
        OdometerReading.select(OdometerReading.vehicle, fn.MAX(OdometerReading.km))
        .where(OdometerReading.vehicle.in_(vehicle_ids) & (OdometerReading.read_at < day_end))
        .group_by(OdometerReading.vehicle)
        .tuples()
    )
    return orders, lines, odometer


def _routine(order: RepairOrder, lines: list[_Line]) -> bool:
    text = order.complaint_text.lower()
    if not any(word in text for word in ROUTINE_WORDS):
        return False
    return not any(line.category != "maintenance" for line in lines)


def _status(
    vehicle: Vehicle,
    on_date: dt.date,
    orders: list[RepairOrder],
    lines: dict[int, list[_Line]],
    odometer: int | None,
    conf: ShopSettings,
) -> SanbaoStatus:
    known = [odometer or 0] + [o.odometer_km or 0 for o in orders]
    if on_date >= clock.today():
        known.append(vehicle.last_odometer_km or 0)
    km = max(known)
    sale = vehicle.sale_date
    period_end = sale + dt.timedelta(days=conf.sanbao_days) if sale else None
    status = SanbaoStatus(
        vehicle=vehicle,
        on_date=on_date,
        applies=bool(vehicle.household and sale),
        in_period=False,
        period_start=sale,
        period_end=period_end,
        km_limit=conf.sanbao_km,
        odometer_km=km,
    )
    if not vehicle.household:
        status.note = translate(
            "Sanbao", "Not a household car: the statutory warranty rules do not apply."
        )
        return status
    if sale is None:
        status.note = translate(
            "Sanbao", "The sale date is not recorded, so the statutory warranty period is unknown."
        )
        return status
    status.in_period = sale <= on_date <= period_end and km <= conf.sanbao_km
    if on_date < sale:
        status.note = translate("Sanbao", "The car was sold after this day.")
    elif on_date > period_end:
        status.note = translate("Sanbao", "The statutory warranty period ended on {date}.").format(
            date=period_end.isoformat()
        )
    elif km > conf.sanbao_km:
        status.note = translate(
            "Sanbao", "The statutory warranty period ended at {km} km (odometer {odometer} km)."
        ).format(km=f"{conf.sanbao_km:,}", odometer=f"{km:,}")
    repairs: list[RepairSpan] = []
    for order in orders:
        start = order.checked_in_at
        order_lines = lines.get(order.id, [])
        if not (sale <= start.date() <= period_end):
            continue
        if order.odometer_km is not None and order.odometer_km > conf.sanbao_km:
            continue
        if order.warranty_decision == "not_covered" or _routine(order, order_lines):
            continue
        ended = _ended(order)
        if ended is not None and ended.date() > on_date:
            ended = None
        until = ended.date() if ended is not None else on_date
        until = max(until, start.date())
        ops = tuple(dict.fromkeys(ln.name for ln in order_lines))
        repair_lines = [ln for ln in order_lines if ln.category != "maintenance"]
        op_ids = frozenset(ln.op_id for ln in repair_lines if ln.op_id)
        text = " ".join(f"{order.complaint_text} {order.diagnosis}".split())
        repairs.append(
            RepairSpan(
                order_id=order.id,
                number=order.number,
                checked_in_at=start,
                ended_at=ended,
                until=until,
                days=(until - start.date()).days + 1,
                odometer_km=order.odometer_km,
                complaint=order.complaint_text,
                text=text,
                operations=ops,
                op_ids=op_ids,
                safety=_safety_systems(
                    " ".join((text, *(ln.name for ln in repair_lines))),
                    [ln.code for ln in repair_lines],
                ),
            )
        )
    # this car's lines only: ``lines`` holds every car of a watchlist
    op_names = {ln.op_id: ln.name for o in orders for ln in lines.get(o.id, []) if ln.op_id}
    status.repairs = repairs
    status.cumulative_days = _union_days(repairs)
    status.fault_groups = _fault_groups(repairs, op_names)
    status.warnings = _warnings(status)
    return status


# ------------------------------------------------------------------------------ public API


def sanbao_status(vehicle: Vehicle | int, on_date: dt.date | None = None) -> SanbaoStatus:
    """The 三包 evidence of one car as of ``on_date`` (default today): its repairs within the
    period, the days in repair, the same-fault groups and the warnings."""
    vehicle = get(Vehicle, vehicle, translate("Sanbao", "Vehicle"))
    on_date = on_date or clock.today()
    orders, lines, odometer = _load([vehicle.id], on_date)
    return _status(
        vehicle, on_date, orders.get(vehicle.id, []), lines, odometer.get(vehicle.id), settings()
    )


_SEVERITY = {REACHED: 0, APPROACHING: 1}


def sanbao_watchlist(on_date: dt.date | None = None) -> list[SanbaoStatus]:
    """Household cars within the 三包 period on ``on_date`` that have a warning; reached
    thresholds first, then the most days in repair."""
    on_date = on_date or clock.today()
    conf = settings()
    candidates = Vehicle.select(Vehicle.id).where(
        (Vehicle.household == True)  # noqa: E712
        & Vehicle.sale_date.is_null(False)
        & (Vehicle.sale_date <= on_date)
        & (Vehicle.sale_date >= on_date - dt.timedelta(days=conf.sanbao_days))
    )
    orders, lines, odometer = _load(candidates, on_date)
    if not orders:
        return []
    with_orders = RepairOrder.select(RepairOrder.vehicle).where(
        RepairOrder.checked_in_at.is_null(False)
    )
    # the columns the rules read for every car; the whole record only for the cars listed
    vehicles = Vehicle.select(
        Vehicle.id, Vehicle.household, Vehicle.sale_date, Vehicle.last_odometer_km
    ).where(Vehicle.id.in_(candidates) & Vehicle.id.in_(with_orders))
    out = []
    for vehicle in vehicles:
        status = _status(
            vehicle, on_date, orders.get(vehicle.id, []), lines, odometer.get(vehicle.id), conf
        )
        if status.in_period and status.warnings:
            out.append(status)
    listed = {
        v.id: v
        for v in Vehicle.select(Vehicle, Customer)
        .join(Customer, JOIN.LEFT_OUTER)
        .where(Vehicle.id.in_([s.vehicle.id for s in out]))
    }
    for status in out:
        status.vehicle = listed[status.vehicle.id]
    out.sort(
        key=lambda s: (
            min(_SEVERITY[w.level] for w in s.warnings),
            -s.cumulative_days,
            s.vehicle.plate,
            s.vehicle.id,
        )
    )
    return out


# ------------------------------------------------------------------------------- tables


def evidence_rows(repairs: Iterable[RepairSpan]) -> list[Row]:
    """The evidence table: each repair with its dates, days, odometer and work."""
    rows: list[Row] = [
        (
            translate("Sanbao", "Order"),
            translate("Sanbao", "Check-in time"),
            translate("Sanbao", "Ready or delivered at"),
            translate("Sanbao", "Days in repair"),
            translate("Sanbao", "Odometer (km)"),
            translate("Sanbao", "Customer's complaint"),
            translate("Sanbao", "Labour operations"),
        )
    ]
    for r in repairs:
        rows.append(
            (
                r.number,
                r.checked_in_at,
                r.ended_at if r.ended_at else translate("Sanbao", "still in the shop"),
                r.days,
                r.odometer_km,
                r.complaint,
                "; ".join(r.operations),
            )
        )
    return rows


def status_rows(status: SanbaoStatus) -> list[tuple[str, str]]:
    """Headline figures of one car for the vehicle's 三包 panel."""
    period = "—"
    if status.period_start and status.period_end:
        period = translate("Sanbao", "{start} – {end} or {km} km").format(
            start=status.period_start.isoformat(),
            end=status.period_end.isoformat(),
            km=f"{status.km_limit:,}",
        )
    yes, no = translate("Sanbao", "Yes"), translate("Sanbao", "No")
    rows = [
        (translate("Sanbao", "Statutory warranty period"), period),
        (translate("Sanbao", "Within the period"), yes if status.in_period else no),
        (translate("Sanbao", "Odometer (km)"), f"{status.odometer_km:,}"),
        (translate("Sanbao", "Repairs counted"), str(len(status.repairs))),
        (translate("Sanbao", "Cumulative days in repair"), str(status.cumulative_days)),
        (
            translate("Sanbao", "Most repairs of the same fault"),
            str(max((g.count for g in status.fault_groups), default=1 if status.repairs else 0)),
        ),
    ]
    if status.note:
        rows.append((translate("Sanbao", "Note"), status.note))
    return rows


def watchlist_rows(statuses: Iterable[SanbaoStatus]) -> list[Row]:
    """The watch list as a table (for the screen and for export)."""
    rows: list[Row] = [
        (
            translate("Sanbao", "Plate"),
            translate("Sanbao", "VIN"),
            translate("Sanbao", "Customer"),
            translate("Sanbao", "Sale date"),
            translate("Sanbao", "Cumulative days in repair"),
            translate("Sanbao", "Level"),
            translate("Sanbao", "Warnings"),
        )
    ]
    for s in statuses:
        worst = min(
            (w.level for w in s.warnings), key=lambda lv: _SEVERITY[lv], default=APPROACHING
        )
        owner = s.vehicle.owner.name if s.vehicle.owner_id else ""
        rows.append(
            (
                display_plate(s.vehicle.plate) if s.vehicle.plate else "",
                s.vehicle.vin,
                owner,
                s.period_start,
                s.cumulative_days,
                level_label(worst),
                " ".join(w.message for w in s.warnings),
            )
        )
    return rows
