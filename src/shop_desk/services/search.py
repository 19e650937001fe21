"""Global search (toolbar): vehicles, customers and repair orders from one text box.

Read-only functions (no @service): :func:`search` for the as-you-type list, :func:`resolve_code`
for a scanned barcode/VIN, and small summaries the shell shows until the full screens exist.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal

import peewee

from shop_desk import search_index
from shop_desk.db import database
from shop_desk.i18n import translate
from shop_desk.models import Customer, JobLine, Recommendation, RepairOrder, Staff, Vehicle
from shop_desk.services.base import get
from shop_desk.services.orders import line_total, order_totals
from shop_desk.states import OPEN_STATES, state_label
from shop_desk.validation import display_plate, normalise_phone, normalise_vin, plate_key

KINDS = ("vehicle", "order", "customer")
_KIND_RANK = {kind: n for n, kind in enumerate(KINDS)}
_PHONE_LIKE = re.compile(r"^[\d\s()+-]+$")


@dataclass(frozen=True)
class SearchHit:
    """One line of the search popup; the ids say what opens when it is chosen."""

    kind: str  # vehicle | customer | order
    title: str
    subtitle: str
    vehicle_id: int | None = None
    customer_id: int | None = None
    order_id: int | None = None

    @property
    def id(self) -> int:
        """The id of the entity the hit is about (vehicle, customer or order)."""
        value = {"vehicle": self.vehicle_id, "customer": self.customer_id, "order": self.order_id}[
            self.kind
        ]
        assert value is not None
        return value


def _plate_expr() -> peewee.Node:
    """The stored plate as a search key: upper case, no middle dot, no spaces."""
    expr = peewee.fn.UPPER(Vehicle.plate)
    for ch in ("·", "•", ".", " "):
        expr = peewee.fn.REPLACE(expr, ch, "")
    return expr


def _rank(value: str, query: str) -> int:
    """0 exact, 1 prefix (or a VIN's tail), 2 somewhere inside."""
    if value == query:
        return 0
    if value.startswith(query) or (len(value) == 17 and value.endswith(query)):
        return 1
    return 2


def _make_model(v: Vehicle) -> str:
    return " ".join(x for x in (v.make, v.model) if x)


def _vehicle_hit(v: Vehicle) -> SearchHit:
    owner = v.owner
    parts = [translate("Search", "VIN {vin}").format(vin=v.vin)]
    if _make_model(v):
        parts.append(_make_model(v))
    if owner is not None:
        parts.append(" ".join(x for x in (owner.name, owner.phone) if x))
    return SearchHit(
        "vehicle",
        display_plate(v.plate) if v.plate else v.vin,
        " · ".join(parts),
        vehicle_id=v.id,
        customer_id=owner.id if owner is not None else None,
    )


def _customer_hit(c: Customer, vehicle_count: int) -> SearchHit:
    title = c.name if not c.company or c.company == c.name else f"{c.name} ({c.company})"
    parts = [p for p in (c.phone, c.phone2) if p]
    parts.append(translate("Search", "Vehicles: {n}").format(n=vehicle_count))
    return SearchHit("customer", title, " · ".join(parts), customer_id=c.id)


def _order_hit(o: RepairOrder) -> SearchHit:
    v, c = o.vehicle, o.customer
    when = o.checked_in_at or o.created_at
    parts = [display_plate(v.plate) if v.plate else v.vin, c.name, state_label(o.state)]
    if when:
        parts.append(when.strftime("%Y-%m-%d"))
    return SearchHit(
        "order", o.number, " · ".join(parts), vehicle_id=v.id, customer_id=c.id, order_id=o.id
    )


def search(text: str, limit: int = 20) -> list[SearchHit]:
    """Vehicles, orders and customers matching ``text`` anywhere (not only at the start).

    Matches the plate with or without the middle dot, the VIN (its last 6 too), phone
    numbers, customer or company name and the order number. Exact matches come first,
    then prefixes, then the rest; a matched customer brings their vehicles, a matched
    vehicle its open orders."""
    query = (text or "").strip()
    if not query or (len(query) < 2 and query.isascii()):
        return []
    upper = query.upper()
    pkey = plate_key(query)
    vin = normalise_vin(query)
    digits = (
        normalise_phone(query).replace("-", "").replace("+", "") if _PHONE_LIKE.match(query) else ""
    )
    scored: dict[tuple[str, int], tuple[int, SearchHit]] = {}

    def add(hit: SearchHit, score: int) -> None:
        key = (hit.kind, hit.id)
        if key not in scored or scored[key][0] > score:
            scored[key] = (score, hit)

    # The trigram index answers substring queries of 3+ characters without scanning; shorter
    # terms (a two-character name) and other databases use the portable LIKE conditions.
    terms = [t for t in (pkey, vin, query.upper(), digits if len(digits) >= 3 else "") if t]
    indexed = search_index.match(database.obj, terms, limit)

    # vehicles by plate / VIN
    cond = _plate_expr().contains(pkey) if pkey else None
    if vin:
        vin_cond = peewee.fn.UPPER(Vehicle.vin).contains(vin)
        cond = vin_cond if cond is None else (cond | vin_cond)
    if indexed is not None:
        cond = Vehicle.id.in_(indexed["vehicle"]) if indexed["vehicle"] else None
    elif len(query) < search_index.MIN_TERM:
        # one or two characters (a province, a short name): the stored plate has no dot, so a
        # plain LIKE on the column is enough and much cheaper than normalising every row
        cond = Vehicle.plate.contains(upper)
    vehicles: list[Vehicle] = []
    if cond is not None:
        vehicles = list(
            Vehicle.select(Vehicle, Customer)
            .join(Customer, peewee.JOIN.LEFT_OUTER, on=(Vehicle.owner == Customer.id))
            .where(cond)
            .limit(limit)
        )
        for v in vehicles:
            score = min(
                _rank(plate_key(v.plate), pkey) if pkey and pkey in plate_key(v.plate) else 9,
                _rank(v.vin.upper(), vin) if vin and vin in v.vin.upper() else 9,
            )
            add(_vehicle_hit(v), score)

    # customers by name / company / phone
    ccond = Customer.name.contains(query) | Customer.company.contains(query)
    if len(digits) >= 3:
        ccond = ccond | Customer.phone.contains(digits) | Customer.phone2.contains(digits)
    if indexed is not None:
        ccond = Customer.id.in_(indexed["customer"] or [0])
    customers = list(Customer.select().where(ccond).limit(limit))
    vehicle_counts = dict(
        Vehicle.select(Vehicle.owner, peewee.fn.COUNT(Vehicle.id))
        .where(Vehicle.owner.in_([c.id for c in customers] or [0]))
        .group_by(Vehicle.owner)
        .tuples()
    )
    for c in customers:
        phones = [normalise_phone(p).replace("-", "") for p in (c.phone, c.phone2) if p]
        ranks = [_rank(p, digits) for p in phones if digits and digits in p]
        ranks += [
            _rank(n.casefold(), query.casefold())
            for n in (c.name, c.company)
            if n and query.casefold() in n.casefold()
        ]
        add(_customer_hit(c, vehicle_counts.get(c.id, 0)), min(ranks or [2]))
    if customers and len(customers) <= 5:
        owned = (
            Vehicle.select(Vehicle, Customer)
            .join(Customer, on=(Vehicle.owner == Customer.id))
            .where(Vehicle.owner.in_([c.id for c in customers]))
            .limit(limit)
        )
        for v in owned:
            add(_vehicle_hit(v), 3)

    # orders by number, and the open orders of the vehicles found
    orders = list(
        RepairOrder.select(RepairOrder, Vehicle, Customer)
        .join(Vehicle, on=(RepairOrder.vehicle == Vehicle.id))
        .switch(RepairOrder)
        .join(Customer, on=(RepairOrder.customer == Customer.id))
        .where(
            RepairOrder.id.in_(indexed["order"] or [0])
            if indexed is not None
            else (
                peewee.fn.UPPER(RepairOrder.number).contains(upper)
                if len(query) >= search_index.MIN_TERM
                else (RepairOrder.id == 0)  # order numbers need three characters
            )
        )
        .order_by(RepairOrder.id.desc())
        .limit(limit)
    )
    for o in orders:
        add(_order_hit(o), _rank(o.number.upper(), upper))
    if vehicles and len(vehicles) <= 5:
        open_orders = (
            RepairOrder.select(RepairOrder, Vehicle, Customer)
            .join(Vehicle, on=(RepairOrder.vehicle == Vehicle.id))
            .switch(RepairOrder)
            .join(Customer, on=(RepairOrder.customer == Customer.id))
            .where(
                RepairOrder.vehicle.in_([v.id for v in vehicles])
                & RepairOrder.state.in_([s.value for s in OPEN_STATES])
            )
            .order_by(RepairOrder.id.desc())
            .limit(limit)
        )
        for o in open_orders:
            add(_order_hit(o), 3)

    ordered = sorted(scored.values(), key=lambda sh: (sh[0], _KIND_RANK[sh[1].kind], sh[1].title))
    return [hit for _score, hit in ordered[:limit]]


def resolve_code(text: str) -> SearchHit | None:
    """What a scanned code opens: an exact VIN or plate (vehicle) or an order number."""
    code = (text or "").strip()
    if not code:
        return None
    vin = normalise_vin(code)
    vehicle = Vehicle.get_or_none(peewee.fn.UPPER(Vehicle.vin) == vin) if vin else None
    if vehicle is None and plate_key(code):
        matches = list(Vehicle.select().where(_plate_expr() == plate_key(code)).limit(2))
        vehicle = matches[0] if len(matches) == 1 else None
    if vehicle is not None:
        return _vehicle_hit(vehicle)
    order = RepairOrder.get_or_none(peewee.fn.UPPER(RepairOrder.number) == code.upper())
    if order is not None:
        return _order_hit(order)
    return None


# --- summaries for the read-only dialogs -------------------------------------------------


@dataclass(frozen=True)
class OrderRow:
    id: int
    number: str
    state: str
    state_label: str
    date: dt.datetime | None
    odometer_km: int | None
    complaint: str


@dataclass(frozen=True)
class VehicleSummary:
    id: int
    plate: str
    vin: str
    make_model: str
    year: int | None
    colour: str
    sale_date: dt.date | None
    warranty_start: dt.date | None
    last_odometer_km: int
    owner_id: int | None
    owner_name: str
    owner_phone: str
    orders: list[OrderRow] = field(default_factory=list)
    recommendations: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class CustomerSummary:
    id: int
    name: str
    company: str
    phone: str
    phone2: str
    address: str
    preferred_contact_time: str
    vehicles: list[tuple[int, str, str]] = field(default_factory=list)  # id, plate, make/model


@dataclass(frozen=True)
class LineRow:
    description: str
    kind: str
    pay_type: str
    amount: Decimal


@dataclass(frozen=True)
class OrderSummary:
    id: int
    number: str
    state_label: str
    vehicle_id: int
    plate: str
    vin: str
    make_model: str
    customer_name: str
    customer_phone: str
    advisor: str
    checked_in_at: dt.datetime | None
    promised_at: dt.datetime | None
    odometer_km: int | None
    complaint: str
    team: str
    technician: str
    lines: list[LineRow] = field(default_factory=list)
    customer_total: Decimal = Decimal("0.00")


def _order_row(o: RepairOrder) -> OrderRow:
    return OrderRow(
        o.id,
        o.number,
        o.state,
        state_label(o.state),
        o.checked_in_at or o.created_at,
        o.odometer_km,
        o.complaint_text,
    )


def vehicle_summary(vehicle_id: int) -> VehicleSummary:
    """The vehicle, its owner, its visits (newest first) and open/declined recommendations."""
    v = get(Vehicle, vehicle_id, translate("Search", "Vehicle"))
    owner = v.owner
    orders = [
        _order_row(o)
        for o in RepairOrder.select()
        .where(RepairOrder.vehicle == v)
        .order_by(
            peewee.fn.COALESCE(RepairOrder.checked_in_at, RepairOrder.created_at).desc(),
            RepairOrder.id.desc(),
        )
        .limit(50)
    ]
    recs = [
        r.description
        for r in Recommendation.select()
        .where((Recommendation.vehicle == v) & Recommendation.state.in_(["open", "declined"]))
        .order_by(Recommendation.id.desc())
    ]
    return VehicleSummary(
        v.id,
        display_plate(v.plate) if v.plate else "",
        v.vin,
        _make_model(v),
        v.year,
        v.colour,
        v.sale_date,
        v.warranty_start,
        v.last_odometer_km,
        owner.id if owner else None,
        owner.name if owner else "",
        owner.phone if owner else "",
        orders,
        recs,
    )


def customer_summary(customer_id: int) -> CustomerSummary:
    c = get(Customer, customer_id, translate("Search", "Customer"))
    vehicles = [
        (v.id, display_plate(v.plate) if v.plate else v.vin, _make_model(v))
        for v in Vehicle.select().where(Vehicle.owner == c).order_by(Vehicle.id)
    ]
    return CustomerSummary(
        c.id, c.name, c.company, c.phone, c.phone2, c.address, c.preferred_contact_time, vehicles
    )


def order_summary(order_id: int) -> OrderSummary:
    """The order's header data, its lines with amounts and what the customer pays."""
    o = get(RepairOrder, order_id, translate("Search", "Repair order"))
    v, c = o.vehicle, o.customer
    lines = [
        LineRow(line.description, line.kind, line.pay_type, line_total(line))
        for line in JobLine.select().where(JobLine.order == o).order_by(JobLine.sort, JobLine.id)
    ]
    advisor = Staff.get_or_none(Staff.id == o.advisor_id) if o.advisor_id else None
    technician = Staff.get_or_none(Staff.id == o.technician_id) if o.technician_id else None
    return OrderSummary(
        o.id,
        o.number,
        state_label(o.state),
        v.id,
        display_plate(v.plate) if v.plate else "",
        v.vin,
        _make_model(v),
        c.name,
        c.phone,
        advisor.name if advisor else "",
        o.checked_in_at,
        o.promised_at,
        o.odometer_km,
        o.complaint_text,
        o.team.name if o.team_id else "",
        technician.name if technician else "",
        lines,
        order_totals(o).customer_total,
    )
