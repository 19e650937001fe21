"""Global search (toolbar): vehicles, customers and repair orders from one text box.

Read-only functions (no @service): :func:`search` for the as-you-type list, :func:`resolve_code`
for a scanned barcode/VIN, and small summaries the shell shows until the full screens exist.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal

import peewee

from shop_desk import search_index
from shop_desk.db import database
from shop_desk.i18n import translate
from shop_desk.models import Customer, JobLine, Recommendation, RepairOrder, Staff, Vehicle
from shop_desk.services.archive import FieldJobLink, field_job_links
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


def _day(value: object) -> str:
    """YYYY-MM-DD of a timestamp as the driver returns it (text on SQLite, datetime elsewhere)."""
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.strftime("%Y-%m-%d")
    return str(value)[:10]


def _vehicle_hit(v: Vehicle) -> SearchHit:
    owner = v.owner
    return _vehicle_row_hit(
        (
            v.id,
            v.plate,
            v.vin,
            v.make,
            v.model,
            owner.id if owner else None,
            owner.name if owner else "",
            owner.phone if owner else "",
        )
    )


def _vehicle_row_hit(row: tuple) -> SearchHit:
    vid, plate, vin, make, model, owner_id, owner_name, owner_phone = row
    parts = [translate("Search", "VIN {vin}").format(vin=vin)]
    make_model = " ".join(x for x in (make, model) if x)
    if make_model:
        parts.append(make_model)
    if owner_id is not None:
        parts.append(" ".join(x for x in (owner_name, owner_phone) if x))
    return SearchHit(
        "vehicle",
        display_plate(plate) if plate else vin,
        " · ".join(parts),
        vehicle_id=vid,
        customer_id=owner_id,
    )


def _customer_hit(row: tuple) -> SearchHit:
    cid, name, company, phone, phone2, vehicle_count = row
    title = name if not company or company == name else f"{name} ({company})"
    parts = [p for p in (phone, phone2) if p]
    parts.append(translate("Search", "Vehicles: {n}").format(n=vehicle_count))
    return SearchHit("customer", title, " · ".join(parts), customer_id=cid)


def _order_hit(o: RepairOrder) -> SearchHit:
    v, c = o.vehicle, o.customer
    return _order_row_hit(
        (o.id, o.number, o.state, o.checked_in_at or o.created_at, v.id, v.plate, v.vin)
        + (c.id, c.name)
    )


def _order_row_hit(row: tuple, labels: dict[str, str] | None = None) -> SearchHit:
    oid, number, state, when, vid, plate, vin, cid, cname = row
    if labels is None:
        labels = {}
    if state not in labels:  # state_label translates every state: once per search, not per row
        labels[state] = state_label(state)
    parts = [display_plate(plate) if plate else vin, cname, labels[state]]
    if when:
        parts.append(_day(when))
    return SearchHit(
        "order", number, " · ".join(parts), vehicle_id=vid, customer_id=cid, order_id=oid
    )


# Hits are loaded with plain SQL (standard SQL, the driver's placeholder): Peewee's query
# building costs about a millisecond per query, several times the query itself, and the list
# is asked for on every keystroke.
_VEHICLE_COLUMNS = (
    "SELECT v.id, v.plate, v.vin, v.make, v.model, c.id, c.name, c.phone FROM vehicle v "
    "LEFT JOIN customer c ON c.id = v.owner_id "
)
_ORDER_COLUMNS = (
    "SELECT o.id, o.number, o.state, COALESCE(o.checked_in_at, o.created_at), v.id, v.plate, "
    "v.vin, c.id, c.name FROM repair_order o JOIN vehicle v ON v.id = o.vehicle_id "
    "JOIN customer c ON c.id = o.customer_id "
)
_OPEN_STATE_VALUES = sorted(s.value for s in OPEN_STATES)


def _marks(db: peewee.Database, n: int) -> str:
    return ", ".join([db.param] * n)


def _by_id_and_related(
    db: peewee.Database,
    columns: str,
    id_column: str,
    ids: list[int],
    related: str,
    related_params: list,
    limit: int,
) -> tuple[list[tuple], list[tuple]]:
    """Rows of ``columns`` by id, and up to ``limit`` rows matching the ``related`` condition,
    in one statement; returned apart (by id, related)."""
    parts, params = [], []
    if ids:
        parts.append(f"{columns}WHERE {id_column} IN ({_marks(db, len(ids))})")
        params += ids
    if related_params:
        parts.append(f"SELECT * FROM ({columns}WHERE {related} LIMIT {int(limit)}) related")
        params += related_params
    if not parts:
        return [], []
    rows = db.execute_sql(" UNION ALL ".join(parts), params).fetchall()
    wanted = set(ids)
    return [r for r in rows if r[0] in wanted], [r for r in rows if r[0] not in wanted]


def _load_vehicles(
    db: peewee.Database, ids: list[int], owners: list[int], limit: int
) -> tuple[list[tuple], list[tuple]]:
    """Vehicles by id, and up to ``limit`` vehicles of ``owners``, each with its owner."""
    related = f"v.owner_id IN ({_marks(db, len(owners))}) ORDER BY v.id"
    return _by_id_and_related(db, _VEHICLE_COLUMNS, "v.id", ids, related, owners, limit)


def _load_customers(db: peewee.Database, ids: list[int]) -> list[tuple]:
    if not ids:
        return []
    return db.execute_sql(
        "SELECT c.id, c.name, c.company, c.phone, c.phone2, "
        "(SELECT COUNT(*) FROM vehicle v WHERE v.owner_id = c.id) FROM customer c "
        f"WHERE c.id IN ({_marks(db, len(ids))})",
        ids,
    ).fetchall()


def _load_orders(
    db: peewee.Database, ids: list[int], of_vehicles: list[int], limit: int
) -> tuple[list[tuple], list[tuple]]:
    """Orders by id, and up to ``limit`` open orders of ``of_vehicles`` (newest first)."""
    related = (
        f"o.vehicle_id IN ({_marks(db, len(of_vehicles))}) AND o.state IN "
        f"({_marks(db, len(_OPEN_STATE_VALUES))}) ORDER BY o.id DESC"
    )
    params = of_vehicles + _OPEN_STATE_VALUES if of_vehicles else []
    return _by_id_and_related(db, _ORDER_COLUMNS, "o.id", ids, related, params, limit)


def _like_ids(query: str, pkey: str, vin: str, digits: str, limit: int) -> dict[str, list[int]]:
    """The portable search (no trigram index: PostgreSQL, or a file without it): LIKE/ILIKE
    conditions, ids only."""
    upper = query.upper()
    cond = _plate_expr().contains(pkey) if pkey else None
    if vin:
        vin_cond = peewee.fn.UPPER(Vehicle.vin).contains(vin)
        cond = vin_cond if cond is None else (cond | vin_cond)
    if len(query) < search_index.MIN_TERM:
        # one or two characters (a province, a short name): the stored plate has no dot, so a
        # plain LIKE on the column is enough and much cheaper than normalising every row
        cond = Vehicle.plate.contains(upper)
    vehicles = (
        [v for (v,) in Vehicle.select(Vehicle.id).where(cond).limit(limit).tuples()]
        if cond is not None
        else []
    )
    ccond = Customer.name.contains(query) | Customer.company.contains(query)
    if len(digits) >= 3:
        ccond = ccond | Customer.phone.contains(digits) | Customer.phone2.contains(digits)
    customers = [c for (c,) in Customer.select(Customer.id).where(ccond).limit(limit).tuples()]
    orders = (
        [
            o
            for (o,) in RepairOrder.select(RepairOrder.id)
            .where(peewee.fn.UPPER(RepairOrder.number).contains(upper))
            .order_by(RepairOrder.id.desc())
            .limit(limit)
            .tuples()
        ]
        if len(query) >= search_index.MIN_TERM  # order numbers need three characters
        else []
    )
    return {"vehicle": vehicles, "customer": customers, "order": orders}


def _typed(text: str | None) -> str:
    """What was typed, without control characters (a NUL ends a string in SQLite's full-text
    query syntax) and broken Unicode, trimmed: such characters never match anything."""
    clean = "".join(c for c in (text or "") if unicodedata.category(c) not in ("Cc", "Cs"))
    return clean.strip()


def search(text: str, limit: int = 20) -> list[SearchHit]:
    """Vehicles, orders and customers matching ``text`` anywhere (not only at the start).

    Matches the plate with or without the middle dot, the VIN (its last 6 too), phone
    numbers, customer or company name and the order number. Exact matches come first,
    then prefixes, then the rest; a matched customer brings their vehicles, a matched
    vehicle its open orders. Words of one or two characters look at plates and names only.

    A fixed number of statements whatever the data: the trigram index (or the portable LIKE
    search) gives ids per kind, then three queries load the hits with what they show."""
    query = _typed(text)
    if not query or (len(query) < 2 and query.isascii()):
        return []
    upper = query.upper()
    pkey = plate_key(query)
    vin = normalise_vin(query)
    digits = (
        normalise_phone(query).replace("-", "").replace("+", "") if _PHONE_LIKE.match(query) else ""
    )
    db = database.obj
    terms = [t for t in (pkey, vin, upper, digits if len(digits) >= 3 else "") if t]
    if len(query) < search_index.MIN_TERM:
        terms = [t for t in (pkey, upper) if t]  # short words: plates and names only
    found = search_index.match(db, terms, limit)
    if found is None:
        found = _like_ids(query, pkey, vin, digits, limit)

    scored: dict[tuple[str, int], tuple[int, SearchHit]] = {}

    def add(hit: SearchHit, score: int) -> None:
        key = (hit.kind, hit.id)
        if key not in scored or scored[key][0] > score:
            scored[key] = (score, hit)

    customer_ids = found["customer"][:limit]
    vehicle_ids = found["vehicle"][:limit]
    vehicles, owned = _load_vehicles(
        db, vehicle_ids, customer_ids if len(customer_ids) <= 5 else [], limit
    )
    for row in vehicles:
        key, vin_upper = plate_key(row[1] or ""), (row[2] or "").upper()
        score = min(
            _rank(key, pkey) if pkey and pkey in key else 9,
            _rank(vin_upper, vin) if vin and vin in vin_upper else 9,
        )
        add(_vehicle_row_hit(row), score)
    for row in owned:
        add(_vehicle_row_hit(row), 3)

    folded = query.casefold()
    for row in _load_customers(db, customer_ids):
        phones = [normalise_phone(p).replace("-", "") for p in (row[3], row[4]) if p]
        ranks = [_rank(p, digits) for p in phones if digits and digits in p]
        ranks += [_rank(n.casefold(), folded) for n in row[1:3] if n and folded in n.casefold()]
        add(_customer_hit(row), min(ranks or [2]))

    orders, open_orders = _load_orders(
        db, found["order"][:limit], vehicle_ids if len(vehicle_ids) <= 5 else [], limit
    )
    labels: dict[str, str] = {}
    for row in orders:
        add(_order_row_hit(row, labels), _rank(row[1].upper(), upper))
    for row in open_orders:
        add(_order_row_hit(row, labels), 3)

    ordered = sorted(scored.values(), key=lambda sh: (sh[0], _KIND_RANK[sh[1].kind], sh[1].title))
    return [hit for _score, hit in ordered[:limit]]


def resolve_code(text: str) -> SearchHit | None:
    """What a scanned code opens: an exact VIN or plate (vehicle) or an order number."""
    code = _typed(text)
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
    #: The field job(s) whose towed car became this order (the archive shows both).
    field_jobs: list[FieldJobLink] = field(default_factory=list)


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
        field_job_links(order=o),
    )
