"""Moving in from another system: customers, vehicles and service history from the old DMS.

Every row is judged before anything is written, with the reception desk's own checks (VIN,
plate, phone, dates, an odometer that never goes back) and against the shop and the rest of
the file, so a customer or a car is merged, never doubled. :func:`preview_import` says per
row what would be created, merged or refused and why; :func:`apply_import` judges again
inside one transaction and writes one batch, all or nothing (a cancel mid-way rolls it all
back); :func:`undo_import` removes a whole batch while nothing has been built on it.
Imported orders are history: closed, with their original number beside the shop's own.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import peewee

from shop_desk import clock, search_index
from shop_desk.db import database
from shop_desk.errors import DomainError, ValidationError
from shop_desk.i18n import current_language, join_list, translate
from shop_desk.models import (
    ALL_MODELS,
    Customer,
    ImportBatch,
    ImportMapping,
    JobLine,
    OdometerReading,
    RepairOrder,
    Staff,
    Vehicle,
    VehicleOwnership,
)
from shop_desk.money import money
from shop_desk.roles import Role
from shop_desk.services.base import (
    audit,
    get,
    optional_text,
    require_decimal,
    require_int,
    require_text,
    service,
    shown,
)
from shop_desk.services.customers import (
    MAX_KM,
    _customer_values,
    _date,
    _plate,
    _vin,
    _year,
)
from shop_desk.services.import_files import (
    FIELDS,
    Table,
    check_mapping,
    check_table,
    write_table,
)
from shop_desk.states import State
from shop_desk.validation import normalise_vin, plate_key

CHUNK = 2000
Progress = Callable[[int, int], None]


class ImportCancelled(DomainError):
    """The user cancelled the import: nothing of it was written."""


@dataclass
class Verdict:
    """What happens to one row of the file (``row`` counts as in the spreadsheet: the header
    is row 1)."""

    row: int
    action: str  # create | merge | refuse
    reason: str = ""


@dataclass
class Plan:
    """The judged file: the verdicts and what would be written."""

    kind: str
    verdicts: list[Verdict] = field(default_factory=list)
    customers: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    vehicles: dict[str, dict[str, Any]] = field(default_factory=dict)
    orders: dict[str, dict[str, Any]] = field(default_factory=dict)
    merged: dict[str, int] = field(default_factory=lambda: {"customers": 0, "vehicles": 0})

    def counts(self) -> dict[str, int]:
        """How many rows and records: created, merged, refused."""
        actions = [v.action for v in self.verdicts]
        return {
            "rows": len(actions),
            "create": actions.count("create"),
            "merge": actions.count("merge"),
            "refuse": actions.count("refuse"),
            "customers_created": len(self.customers),
            "customers_merged": self.merged["customers"],
            "vehicles_created": len(self.vehicles),
            "vehicles_merged": self.merged["vehicles"],
            "orders_created": len(self.orders),
            "lines_created": sum(len(o["lines"]) for o in self.orders.values()),
        }

    def refused(self) -> list[Verdict]:
        return [v for v in self.verdicts if v.action == "refuse"]


@dataclass(frozen=True)
class ImportResult:
    batch_id: int
    counts: dict[str, int]
    refused: list[Verdict]


# ---------------------------------------------------------------------------- reading values

_LABELS: dict[tuple[str, str, str], str] = {}


def _label(context: str, text: str) -> str:
    """A field's translated name, looked up once per language (asked for on every row)."""
    key = (current_language(), context, text)
    if key not in _LABELS:
        _LABELS[key] = translate(context, text)
    return _LABELS[key]


_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T].*)?$")
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


def _parse_date(text: str, label: str, field_name: str, required: bool) -> dt.date | None:
    """Dates as old systems write them: 2023-05-01, 2023/5/1, 2023.5.1, 2023年5月1日, 20230501;
    checked like the desk's (a real date, not in the future).

    Not dateutil's parser: it does not read 年/月/日, and it guesses (``fuzzy``, day-first or
    month-first, a missing year taken from today), where an import must refuse a cell it cannot
    read for certain rather than file a wrong date."""
    text = text.strip()
    if not text:
        if required:
            raise ValidationError(
                translate("Services", "{field} is required.").format(field=label), field_name
            )
        return None
    match = _DATE.match(text) or _COMPACT_DATE.match(text)
    try:
        if not match:
            raise ValueError(text)
        value = dt.date(*(int(g) for g in match.groups()))
    except ValueError:
        raise ValidationError(
            translate("Customers", "{field} must be a date (YYYY-MM-DD).").format(field=label),
            field_name,
        ) from None
    return _date(value, label, field_name)


def _number_text(text: str) -> str:
    """'¥1,234.50' and '12,000 km' as plain numbers."""
    return re.sub(r"[¥￥,，\s]|km$|公里$|元$", "", text.strip(), flags=re.IGNORECASE)


def _km(text: str) -> int | None:
    text = _number_text(text)
    if not text:
        return None
    if re.fullmatch(r"\d+\.0+", text):
        text = text.split(".")[0]
    return require_int(text, _label("Customers", "Odometer (km)"), 0, MAX_KM, "odometer_km")


_LINE_KINDS = {
    "labour": ("工时", "人工", "维修", "labour", "labor", "l"),
    "part": ("配件", "材料", "零件", "备件", "part", "parts", "p"),
}
_PAY_TYPES = {
    "customer": ("客户", "自费", "客户付费", "现金", "customer", "c", "cash"),
    "warranty": ("保修", "索赔", "三包", "质保", "warranty", "w"),
    "internal": ("内部", "internal", "i"),
    "goodwill": ("免费", "赠送", "善意", "goodwill", "free", "g"),
}


def _choice(
    text: str, choices: dict[str, tuple[str, ...]], default: str, label: str, field_name: str
) -> str:
    key = text.strip().lower()
    if not key:
        return default
    for value, words in choices.items():
        if key in words:
            return value
    raise ValidationError(
        translate("Services", "{field}: {value} is not one of the allowed values.").format(
            field=label, value=text[:40]
        ),
        field_name,
    )


# ---------------------------------------------------------------------------- judging


@dataclass
class _Shop:
    """What the shop already has, read once per judgement."""

    customers: dict[tuple[str, str], int]
    vins: dict[str, tuple[int, str, int | None]]  # vin -> id, plate, owner id
    plates: dict[str, str]  # plate key -> vin
    imported_orders: set[str]

    @classmethod
    def read(cls, kind: str) -> _Shop:
        customers = {
            (name, phone): cid
            for cid, name, phone in Customer.select(Customer.id, Customer.name, Customer.phone)
            .tuples()
            .iterator()
        }
        vins: dict[str, tuple[int, str, int | None]] = {}
        plates: dict[str, str] = {}
        for vid, vin, plate, owner in (
            Vehicle.select(Vehicle.id, Vehicle.vin, Vehicle.plate, Vehicle.owner)
            .tuples()
            .iterator()
        ):
            vins[vin] = (vid, plate, owner)
            if plate:
                plates[plate] = vin
        orders: set[str] = set()
        if kind == "history":
            orders = {
                number
                for (number,) in RepairOrder.select(RepairOrder.original_number)
                .where(RepairOrder.original_number != "")
                .tuples()
                .iterator()
            }
        return cls(customers, vins, plates, orders)


def _values(table: Table, mapping: dict[str, str]) -> Iterable[tuple[int, dict[str, str]]]:
    columns = [(i, mapping.get(h, "")) for i, h in enumerate(table.headers)]
    columns = [(i, f) for i, f in columns if f]
    for number, row in enumerate(table.rows, start=2):
        yield number, {f: row[i].strip() for i, f in columns}


def _judge_party(
    plan: Plan, shop: _Shop, row: int, values: dict[str, str], seen: dict[str, int]
) -> Verdict:
    """A customers or vehicles row: the customer (name and phone) and/or the vehicle (VIN)."""
    kind = plan.kind
    has_customer = kind == "customers" or bool(values.get("name") or values.get("phone"))
    has_vehicle = kind == "vehicles" or bool(values.get("vin"))
    customer: dict[str, Any] | None = None
    if has_customer:
        customer = _customer_values(
            "person",
            values.get("name", ""),
            values.get("phone", ""),
            values.get("company", ""),
            values.get("phone2", ""),
            values.get("address", ""),
            "",
            "0",
            values.get("notes", "") if kind == "customers" else "",
        )
    vehicle: dict[str, Any] | None = None
    if has_vehicle:
        sale = _parse_date(
            values.get("sale_date", ""), translate("Customers", "Sale date"), "sale_date", False
        )
        year = values.get("year", "")
        vehicle = {
            "vin": _vin(values.get("vin", "")),
            "plate": _plate(values.get("plate", "")),
            "make": optional_text(
                values.get("make", ""), translate("Customers", "Make"), 40, "make"
            ),
            "model": optional_text(
                values.get("model", ""), translate("Customers", "Model"), 60, "model"
            ),
            "year": _year(year[:4] if re.fullmatch(r"\d{4}(\.0)?", year) else year),
            "colour": optional_text(
                values.get("colour", ""), translate("Customers", "Colour"), 30, "colour"
            ),
            "sale_date": sale,
            "warranty_start": sale,
            "last_odometer_km": _km(values.get("odometer_km", "")) or 0,
            "notes": optional_text(
                values.get("notes", ""), translate("Customers", "Notes"), 2000, "notes"
            )
            if kind == "vehicles"
            else "",
        }
    # duplicates: against the shop, then against the rows before
    created: list[str] = []
    merged: list[str] = []
    if vehicle is not None:
        vin, plate = vehicle["vin"], vehicle["plate"]
        if vin in shop.vins:
            merged.append(translate("Import", "vehicle {vin} is already on file").format(vin=vin))
        elif vin in plan.vehicles:
            merged.append(
                translate("Import", "same vehicle as row {row}").format(row=seen["vin:" + vin])
            )
        else:
            other = shop.plates.get(plate) if plate else None
            if other is None and plate and ("plate:" + plate) in seen:
                raise ValidationError(
                    translate(
                        "Import", "The plate {plate} is on row {row} with another VIN."
                    ).format(plate=plate, row=seen["plate:" + plate]),
                    "plate",
                )
            if other is not None:
                raise ValidationError(
                    translate(
                        "Import", "The plate {plate} is already on file with the VIN {vin}."
                    ).format(plate=plate, vin=other),
                    "plate",
                )
            created.append("vehicle")
    if customer is not None:
        key = (customer["name"], customer["phone"])
        if key in shop.customers:
            merged.append(
                translate("Import", "customer {name} is already on file").format(
                    name=customer["name"]
                )
            )
        elif key in plan.customers:
            merged.append(
                translate("Import", "same customer as row {row}").format(
                    row=plan.customers[key]["row"]
                )
            )
        else:
            created.append("customer")
    # the row is good: remember what it brings
    if customer is not None:
        key = (customer["name"], customer["phone"])
        if "customer" in created:
            plan.customers[key] = {**customer, "row": row}
        else:
            plan.merged["customers"] += 1
    if vehicle is not None:
        if "vehicle" in created:
            vehicle["owner_key"] = (
                (customer["name"], customer["phone"]) if customer is not None else None
            )
            plan.vehicles[vehicle["vin"]] = vehicle
            seen["vin:" + vehicle["vin"]] = row
            if vehicle["plate"]:
                seen["plate:" + vehicle["plate"]] = row
        else:
            plan.merged["vehicles"] += 1
    if created:
        return Verdict(row, "create", join_list(merged, clauses=True))
    return Verdict(row, "merge", join_list(merged, clauses=True))


def _history_vehicle(shop: _Shop, raw: tuple[str, str, str]) -> tuple[dt.date, int, int]:
    """The date of a past order, and its vehicle on file with the owner."""
    date = _parse_date(raw[0], _label("Import", "Repair date"), "date", True)
    vin = normalise_vin(raw[1])
    plate = plate_key(raw[2])
    found = shop.vins.get(vin) if vin else None
    if found is None and plate and plate in shop.plates:
        found = shop.vins[shop.plates[plate]]
    if found is None:
        raise ValidationError(
            translate(
                "Import",
                "The vehicle {vehicle} is not on file. Import the vehicles first.",
            ).format(vehicle=vin or plate or "?"),
            "vin",
        )
    vehicle_id, _plate_on_file, owner_id = found
    if owner_id is None:
        raise ValidationError(
            translate("Import", "The vehicle {vehicle} has no owner on file.").format(
                vehicle=vin or plate
            ),
            "vin",
        )
    assert date is not None  # required
    return date, vehicle_id, owner_id


def _judge_history_row(
    plan: Plan, shop: _Shop, row: int, values: dict[str, str], lines_seen: dict[tuple, int]
) -> Verdict:
    """One job line of a past order; the order is made from its first line."""
    number = require_text(
        values.get("order_number", ""),
        _label("Import", "Original order number"),
        40,
        "order_number",
    )
    if number in shop.imported_orders:
        raise ValidationError(
            translate("Import", "Order {number} was imported before.").format(number=number),
            "order_number",
        )
    order = plan.orders.get(number)
    raw = (values.get("date", ""), values.get("vin", ""), values.get("plate", ""))
    if order is not None and order["raw"] == raw:  # the order's next line: read already
        date, vehicle_id, owner_id = order["date"], order["vehicle"], order["customer"]
    else:
        date, vehicle_id, owner_id = _history_vehicle(shop, raw)
    km = _km(values.get("odometer_km", ""))
    item = require_text(values.get("item", ""), _label("Import", "Job item"), 200, "item")
    kind = _choice(
        values.get("line_kind", ""),
        _LINE_KINDS,
        "labour",
        _label("Import", "Labour or part"),
        "line_kind",
    )
    amount = require_decimal(
        _number_text(values.get("amount", "")), _label("Import", "Amount"), field="amount"
    )
    pay_type = _choice(
        values.get("pay_type", ""),
        _PAY_TYPES,
        "customer",
        _label("Import", "Pay type"),
        "pay_type",
    )
    line = (kind, item, amount, pay_type)
    duplicate = lines_seen.get((number, *line))
    if order is not None:
        if order["vehicle"] != vehicle_id or order["date"] != date:
            raise ValidationError(
                translate(
                    "Import", "Order {number} has another vehicle or date on row {row}."
                ).format(number=number, row=order["row"]),
                "order_number",
            )
        if km is not None and order["km"] is not None and km != order["km"]:
            raise ValidationError(
                translate(
                    "Import", "Order {number} has another odometer reading on row {row}."
                ).format(number=number, row=order["row"]),
                "odometer_km",
            )
        if duplicate is not None:
            return Verdict(
                row, "merge", translate("Import", "same line as row {row}").format(row=duplicate)
            )
        order["km"] = order["km"] if km is None else km
    else:
        order = {
            "row": row,
            "vehicle": vehicle_id,
            "customer": owner_id,
            "raw": raw,
            "date": date,
            "km": km,
            "lines": [],
            "rows": [],
        }
        plan.orders[number] = order
    order["lines"].append(line)
    order["rows"].append(len(plan.verdicts))
    lines_seen[(number, *line)] = row
    return Verdict(row, "create")


def _odometer_never_back(plan: Plan) -> None:
    """Refuse the orders whose odometer is lower than an earlier reading (on file or in the
    file) or higher than a later one on file: the odometer never goes back."""
    by_vehicle: dict[int, list[tuple[dt.date, int, str]]] = {}
    for number, order in plan.orders.items():
        if order["km"] is not None:
            by_vehicle.setdefault(order["vehicle"], []).append(
                (order["date"], order["row"], number)
            )
    if not by_vehicle:
        return
    readings: dict[int, list[tuple[dt.date, int]]] = {}
    ids = list(by_vehicle)
    for start in range(0, len(ids), 500):
        query = OdometerReading.select(
            OdometerReading.vehicle, OdometerReading.read_at, OdometerReading.km
        ).where(OdometerReading.vehicle.in_(ids[start : start + 500]))
        for vid, at, km in query.tuples().iterator():
            day = at.date() if isinstance(at, dt.datetime) else dt.date.fromisoformat(str(at)[:10])
            readings.setdefault(vid, []).append((day, km))
    refused: dict[str, str] = {}
    for vid, orders in by_vehicle.items():
        last: tuple[dt.date, int] | None = None
        on_file = readings.get(vid, [])
        for date, _row, number in sorted(orders):
            km = plan.orders[number]["km"]
            before = [(d, k) for d, k in on_file if d < date and k > km]
            after = [(d, k) for d, k in on_file if d > date and k < km]
            if last is not None and last[1] > km:
                before.append(last)
            if before or after:
                day, other = (before or after)[0]
                refused[number] = translate(
                    "Import",
                    "The odometer {km} km on {date} does not fit the reading {other} km of "
                    "{day}: the odometer never goes back.",
                ).format(km=km, date=date.isoformat(), other=other, day=day.isoformat())
                continue
            last = (date, km)
    for number, reason in refused.items():
        order = plan.orders.pop(number)
        for index in order["rows"]:
            plan.verdicts[index] = Verdict(plan.verdicts[index].row, "refuse", reason)


def _cancelled() -> ImportCancelled:
    return ImportCancelled(translate("Import", "The import was cancelled; nothing was imported."))


def _hooks(progress: object, cancel: object) -> None:
    """``progress`` and ``cancel`` are functions to call back, or nothing."""
    for hook in (progress, cancel):
        if hook is not None and not callable(hook):
            raise ValidationError(
                translate("Import", "The import's progress or cancel hook is not a function."),
                "progress",
            )


def preview_import(
    kind: str,
    table: Table,
    mapping: dict[str, str],
    progress: Progress | None = None,
    cancel: Callable[[], bool] | None = None,
) -> Plan:
    """Judge every row of ``table`` against the shop and the rows before it; writes nothing.
    ``progress(rows judged, rows)`` and ``cancel()`` are called every :data:`CHUNK` rows."""
    check_mapping(kind, mapping)
    table = check_table(table)
    _hooks(progress, cancel)
    plan = Plan(kind)
    shop = _Shop.read(kind)
    seen: dict[Any, int] = {}
    bad_orders: dict[str, int] = {}  # an order with a refused line is refused whole
    total = len(table.rows)
    for row, values in _values(table, mapping):
        if (row - 2) % CHUNK == 0 and row > 2:
            if cancel is not None and cancel():
                raise _cancelled()
            if progress is not None:
                progress(row - 2, total)
        try:
            if kind == "history":
                verdict = _judge_history_row(plan, shop, row, values, seen)
            else:
                verdict = _judge_party(plan, shop, row, values, seen)
        except ValidationError as exc:
            verdict = Verdict(row, "refuse", str(exc))
            if kind == "history":
                bad_orders.setdefault(values.get("order_number", "").strip(), row)
        plan.verdicts.append(verdict)
    if kind == "history":
        for number, row in bad_orders.items():
            order = plan.orders.pop(number, None)
            reason = translate("Import", "Another line of this order (row {row}) is refused.")
            for index in order["rows"] if order else ():
                plan.verdicts[index] = Verdict(
                    plan.verdicts[index].row, "refuse", reason.format(row=row)
                )
        _odometer_never_back(plan)
    return plan


def save_refused(path: str | Path, table: Table, plan: Plan) -> Path:
    """The refused rows with their reason in a last column, to correct and import again."""
    rows = [table.rows[v.row - 2] + [v.reason] for v in plan.refused()]
    return write_table(path, [*table.headers, translate("Import", "Reason refused")], rows)


# ---------------------------------------------------------------------------- writing


def _chunks(items: list[Any]) -> Iterable[list[Any]]:
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


def _insert_rows(model: type[peewee.Model], fields: list[peewee.Field], rows: list[tuple]) -> None:
    """INSERT many rows in one prepared statement, the other columns at their defaults.
    peewee's insert_many builds the SQL of every value, which costs more than the insert."""
    db = model._meta.database
    given = {f.name for f in fields}  # by name: a Field's == builds an SQL expression
    extra = [
        f
        for f in model._meta.sorted_fields
        if f.name not in given and not f.primary_key and f.default is not None
    ]
    tail = [f.db_value(f.default() if callable(f.default) else f.default) for f in extra]
    columns = ", ".join(f'"{f.column_name}"' for f in [*fields, *extra])
    marks = ", ".join([db.param] * (len(fields) + len(extra)))
    sql = f'INSERT INTO "{model._meta.table_name}" ({columns}) VALUES ({marks})'
    convert = [f.db_value for f in fields]
    values = [[c(v) for c, v in zip(convert, row, strict=True)] + tail for row in rows]
    db.cursor().executemany(sql, values)


@contextmanager
def _search_index_by_hand(tables: tuple[str, ...]) -> Iterator[bool]:
    """Without the search index's insert triggers on ``tables`` (they cost ten times the
    insert); the caller adds the rows' index texts made in Python (:func:`_index_rows`), as
    the bulk demo does. The triggers come back before the commit; on a failure the rollback
    brings them back. Yields whether the database has the index."""
    db = database.obj
    if not search_index.available(db):
        yield False
        return
    for table in tables:
        db.execute_sql(f"DROP TRIGGER IF EXISTS {search_index.TABLE}_{table}_ins")
    yield True
    for sql in search_index.triggers_sql():
        db.execute_sql(sql)  # CREATE TRIGGER IF NOT EXISTS


def _index_rows(kind: str, rows: Iterable[tuple[int, str]]) -> None:
    """Index texts of new rows (id, text) of one kind, in the search index's rowid range."""
    base = search_index.KIND_CODES[kind] << search_index.KIND_SHIFT
    database.obj.cursor().executemany(
        f"INSERT INTO {search_index.TABLE} (rowid, body) VALUES (?, ?)",
        [(base + rid, text) for rid, text in rows],
    )


class _Writer:
    """Inserts in chunks, reporting progress and honouring a cancel between chunks."""

    def __init__(self, total: int, progress: Progress | None, cancel: Callable[[], bool] | None):
        self.total, self.done = max(total, 1), 0
        self.progress, self.cancel = progress, cancel

    def insert(
        self,
        model: type[peewee.Model],
        fields: list[peewee.Field],
        rows: list[tuple],
        weight: bool = True,
    ) -> None:
        for chunk in _chunks(rows):
            if self.cancel is not None and self.cancel():
                raise _cancelled()
            _insert_rows(model, fields, chunk)
            if weight:
                self.done += len(chunk)
                if self.progress is not None:
                    self.progress(min(self.done, self.total), self.total)


def _write_parties(plan: Plan, batch: int, writer: _Writer, shop: _Shop, indexed: bool) -> None:
    now = clock.now()
    today = clock.today()
    fields = [
        Customer.kind,
        Customer.name,
        Customer.phone,
        Customer.phone2,
        Customer.company,
        Customer.address,
        Customer.notes,
        Customer.credit_limit,
        Customer.created_at,
        Customer.import_batch,
    ]
    writer.insert(
        Customer,
        fields,
        [
            (
                c["kind"],
                c["name"],
                c["phone"],
                c["phone2"],
                c["company"],
                c["address"],
                c["notes"],
                Decimal("0.00"),
                now,
                batch,
            )
            for c in plan.customers.values()
        ],
    )
    ids = dict(shop.customers)
    texts = []
    for cid, name, phone, company, phone2 in (
        Customer.select(
            Customer.id, Customer.name, Customer.phone, Customer.company, Customer.phone2
        )
        .where(Customer.import_batch == batch)
        .tuples()
        .iterator()
    ):
        ids[(name, phone)] = cid
        texts.append((cid, search_index.customer_text(name, company, phone, phone2)))
    if indexed:
        _index_rows("customer", texts)
    fields = [
        Vehicle.vin,
        Vehicle.plate,
        Vehicle.make,
        Vehicle.model,
        Vehicle.year,
        Vehicle.colour,
        Vehicle.sale_date,
        Vehicle.warranty_start,
        Vehicle.owner,
        Vehicle.last_odometer_km,
        Vehicle.notes,
        Vehicle.created_at,
        Vehicle.import_batch,
    ]
    writer.insert(
        Vehicle,
        fields,
        [
            (
                v["vin"],
                v["plate"],
                v["make"],
                v["model"],
                v["year"],
                v["colour"],
                v["sale_date"],
                v["warranty_start"],
                ids.get(v["owner_key"]) if v["owner_key"] else None,
                v["last_odometer_km"],
                v["notes"],
                now,
                batch,
            )
            for v in plan.vehicles.values()
        ],
    )
    vehicles = list(
        Vehicle.select(
            Vehicle.id,
            Vehicle.owner,
            Vehicle.sale_date,
            Vehicle.last_odometer_km,
            Vehicle.plate,
            Vehicle.vin,
        )
        .where(Vehicle.import_batch == batch)
        .tuples()
        .iterator()
    )
    writer.insert(
        VehicleOwnership,
        [VehicleOwnership.vehicle, VehicleOwnership.customer, VehicleOwnership.since],
        [(vid, owner, sale or today) for vid, owner, sale, _km, _p, _v in vehicles if owner],
        weight=False,
    )
    writer.insert(
        OdometerReading,
        [
            OdometerReading.vehicle,
            OdometerReading.km,
            OdometerReading.read_at,
            OdometerReading.source,
            OdometerReading.import_batch,
        ],
        [(vid, km, now, "import", batch) for vid, _o, _s, km, _p, _v in vehicles if km],
        weight=False,
    )
    if indexed:
        _index_rows("vehicle", [(v[0], search_index.vehicle_text(v[4], v[5])) for v in vehicles])


def _write_history(plan: Plan, batch: int, writer: _Writer, indexed: bool) -> dict[int, int]:
    fields = [
        RepairOrder.number,
        RepairOrder.state,
        RepairOrder.customer,
        RepairOrder.vehicle,
        RepairOrder.created_at,
        RepairOrder.checked_in_at,
        RepairOrder.odometer_km,
        RepairOrder.delivered_at,
        RepairOrder.closed_at,
        RepairOrder.updated_at,
        RepairOrder.free_wash,
        RepairOrder.original_number,
        RepairOrder.import_batch,
    ]
    rows = []
    for seq, (number, order) in enumerate(plan.orders.items(), start=1):
        at = dt.datetime.combine(order["date"], dt.time(9, 0))
        rows.append(
            (
                f"IM{batch}-{seq:06d}",
                State.CLOSED.value,
                order["customer"],
                order["vehicle"],
                at,
                at,
                order["km"],
                at,
                at,
                at,
                False,
                number,
                batch,
            )
        )
    writer.insert(RepairOrder, fields, rows)
    ids = {}
    texts = []
    for original, oid, own in (
        RepairOrder.select(RepairOrder.original_number, RepairOrder.id, RepairOrder.number)
        .where(RepairOrder.import_batch == batch)
        .tuples()
        .iterator()
    ):
        ids[original] = oid
        texts.append((oid, own + " "))  # as search_index's _SOURCES["order"] makes it
    if indexed:
        _index_rows("order", texts)
    line_fields = [
        JobLine.order,
        JobLine.kind,
        JobLine.description,
        JobLine.hours,
        JobLine.rate,
        JobLine.quantity,
        JobLine.unit_price,
        JobLine.pay_type,
        JobLine.work_state,
        JobLine.sort,
        JobLine.created_at,
    ]
    lines = []
    readings = []
    for number, order in plan.orders.items():
        oid = ids[number]
        at = dt.datetime.combine(order["date"], dt.time(9, 0))
        for sort, (kind, item, amount, pay_type) in enumerate(order["lines"]):
            amount = money(amount)
            if kind == "labour":
                lines.append(
                    (
                        oid,
                        kind,
                        item,
                        Decimal("1.00"),
                        amount,
                        None,
                        None,
                        pay_type,
                        "done",
                        sort,
                        at,
                    )
                )
            else:
                lines.append(
                    (
                        oid,
                        kind,
                        item,
                        None,
                        None,
                        Decimal("1.00"),
                        amount,
                        pay_type,
                        "done",
                        sort,
                        at,
                    )
                )
        if order["km"] is not None:
            readings.append((order["vehicle"], order["km"], at, "import", oid, batch))
    writer.insert(JobLine, line_fields, lines)
    writer.insert(
        OdometerReading,
        [
            OdometerReading.vehicle,
            OdometerReading.km,
            OdometerReading.read_at,
            OdometerReading.source,
            OdometerReading.order_id,
            OdometerReading.import_batch,
        ],
        readings,
        weight=False,
    )
    return _raise_odometers(batch)


def _set_odometers(values: dict[int, int]) -> None:
    db = Vehicle._meta.database
    sql = (
        f'UPDATE "{Vehicle._meta.table_name}" SET "last_odometer_km" = {db.param} '
        f"WHERE id = {db.param}"
    )
    db.cursor().executemany(sql, [(km, vid) for vid, km in values.items()])


def _raise_odometers(batch: int) -> dict[int, int]:
    """Raise the cars' last odometer to the batch's highest reading where that is higher (old
    visits below it leave it alone); returns the figures before, for the undo."""
    highest = dict(
        OdometerReading.select(OdometerReading.vehicle, peewee.fn.MAX(OdometerReading.km))
        .where(OdometerReading.import_batch == batch)
        .group_by(OdometerReading.vehicle)
        .tuples()
        .iterator()
    )
    before: dict[int, int] = {}
    ids = list(highest)
    for start in range(0, len(ids), 500):
        for vid, last in (
            Vehicle.select(Vehicle.id, Vehicle.last_odometer_km)
            .where(Vehicle.id.in_(ids[start : start + 500]))
            .tuples()
        ):
            if highest[vid] > last:
                before[vid] = last
    _set_odometers({vid: highest[vid] for vid in before})
    return before


@service(Role.ADMIN, Role.MANAGER)
def apply_import(
    actor: Staff,
    kind: str,
    table: Table,
    mapping: dict[str, str],
    source: str = "",
    progress: Progress | None = None,
    cancel: Callable[[], bool] | None = None,
) -> ImportResult:
    """Judge the file again and write what is good as one batch in one transaction: a cancel
    (``cancel()`` true between chunks) or any failure leaves nothing of it. ``progress``
    counts the rows judged, then the records written."""
    plan = preview_import(kind, table, mapping, progress, cancel)
    counts = plan.counts()
    if counts["create"] == 0:
        raise ValidationError(
            translate("Import", "Nothing to import: every row is refused or already on file.")
        )
    source = optional_text(source, translate("Import", "Source"), 80, "source")
    batch = ImportBatch.create(
        kind=kind,
        source=source,
        file_name=table.name[:200],
        at=clock.now(),
        staff=actor,
        staff_name=actor.name,
        counts=json.dumps(counts),
    )
    total = counts["customers_created"] + counts["vehicles_created"]
    total += counts["orders_created"] + counts["lines_created"]
    writer = _Writer(total, progress, cancel)
    with _search_index_by_hand(("customer", "vehicle", "repair_order")) as indexed:
        if kind == "history":
            before = _write_history(plan, batch.id, writer, indexed)
            batch.odometers_before = json.dumps(before)
            batch.save()
        else:
            _write_parties(plan, batch.id, writer, _Shop.read(kind), indexed)
    audit(
        "import_batch",
        batch.id,
        None,
        {"kind": kind, "file": table.name, "source": source, "counts": counts},
    )
    return ImportResult(batch.id, counts, plan.refused())


# ---------------------------------------------------------------------------- undo


def _built_on(batch: int) -> list[str]:
    """What the shop recorded on the batch's customers, vehicles and orders since."""
    customers = Customer.select(Customer.id).where(Customer.import_batch == batch)
    vehicles = Vehicle.select(Vehicle.id).where(Vehicle.import_batch == batch)
    orders = RepairOrder.select(RepairOrder.id).where(RepairOrder.import_batch == batch)
    owners = Vehicle.select(Vehicle.owner).where(
        (Vehicle.import_batch == batch) & Vehicle.owner.is_null(False)  # NOT IN and NULL
    )

    def other(column: peewee.Field) -> peewee.Expression:
        return column.is_null() | (column != batch)

    checks = [
        (
            RepairOrder.select().where(
                (RepairOrder.vehicle.in_(vehicles) | RepairOrder.customer.in_(customers))
                & other(RepairOrder.import_batch)
            ),
            translate("Import", "repair orders"),
        ),
        (
            Vehicle.select().where(Vehicle.owner.in_(customers) & other(Vehicle.import_batch)),
            translate("Import", "vehicles of its customers"),
        ),
        (
            Customer.select().where((Customer.import_batch == batch) & (Customer.version > 1)),
            translate("Import", "changes to its customers or vehicles"),
        ),
        (
            Vehicle.select().where((Vehicle.import_batch == batch) & (Vehicle.version > 1)),
            translate("Import", "changes to its customers or vehicles"),
        ),
        (
            OdometerReading.select().where(
                OdometerReading.vehicle.in_(vehicles) & other(OdometerReading.import_batch)
            ),
            translate("Import", "odometer readings"),
        ),
        (
            VehicleOwnership.select().where(
                (VehicleOwnership.customer.in_(customers) & ~VehicleOwnership.vehicle.in_(vehicles))
                | (
                    VehicleOwnership.vehicle.in_(vehicles)
                    & ~VehicleOwnership.customer.in_(customers)
                    & VehicleOwnership.customer.not_in(owners)
                )
            ),
            translate("Import", "owner changes"),
        ),
        (
            RepairOrder.select().where(RepairOrder.comeback_of.in_(orders)),
            translate("Import", "comebacks"),
        ),
    ]
    found = [label for query, label in checks if query.exists()]
    handled = {
        (JobLine, "order"),
        (OdometerReading, "vehicle"),
        (VehicleOwnership, "vehicle"),
        (VehicleOwnership, "customer"),
        (RepairOrder, "vehicle"),
        (RepairOrder, "customer"),
        (Vehicle, "owner"),
        (RepairOrder, "comeback_of"),
    }
    targets = {Customer: customers, Vehicle: vehicles, RepairOrder: orders}
    for model in ALL_MODELS:
        for fk in model._meta.refs:
            if (
                fk.rel_model in targets
                and (model, fk.name) not in handled
                and model.select().where(fk.in_(targets[fk.rel_model])).exists()
            ):
                found.append(
                    translate("Import", "other records ({table})").format(
                        table=model._meta.table_name
                    )
                )
    return found


@service(Role.ADMIN, Role.MANAGER)
def undo_import(actor: Staff, batch: ImportBatch | int) -> ImportBatch:
    """Remove everything a batch wrote, while nothing has been built on it (orders,
    appointments, readings or changes since): otherwise refused, naming what is in the way."""
    row = get(ImportBatch, batch, translate("Import", "Import"))
    if row.state != "applied":
        raise DomainError(translate("Import", "This import was already undone."))
    blockers = _built_on(row.id)
    if blockers:
        raise DomainError(
            translate(
                "Import",
                "This import cannot be undone: the shop has recorded {what} on its data since.",
            ).format(what=join_list(dict.fromkeys(blockers)))
        )
    orders = RepairOrder.select(RepairOrder.id).where(RepairOrder.import_batch == row.id)
    vehicles = Vehicle.select(Vehicle.id).where(Vehicle.import_batch == row.id)
    JobLine.delete().where(JobLine.order.in_(orders)).execute()
    OdometerReading.delete().where(
        (OdometerReading.import_batch == row.id) | OdometerReading.vehicle.in_(vehicles)
    ).execute()
    VehicleOwnership.delete().where(VehicleOwnership.vehicle.in_(vehicles)).execute()
    RepairOrder.delete().where(RepairOrder.import_batch == row.id).execute()
    Vehicle.delete().where(Vehicle.import_batch == row.id).execute()
    Customer.delete().where(Customer.import_batch == row.id).execute()
    # the odometers the batch raised go back, unless a reading kept since is higher
    before = {int(k): v for k, v in json.loads(row.odometers_before or "{}").items()}
    ids = list(before)
    for start in range(0, len(ids), 500):
        for vid, km in (
            OdometerReading.select(OdometerReading.vehicle, peewee.fn.MAX(OdometerReading.km))
            .where(OdometerReading.vehicle.in_(ids[start : start + 500]))
            .group_by(OdometerReading.vehicle)
            .tuples()
        ):
            before[vid] = max(before[vid], km)
    _set_odometers(before)
    row.state, row.undone_at, row.undone_by = "undone", clock.now(), actor.name
    row.save()
    audit("import_batch", row.id, {"state": "applied"}, {"state": "undone"})
    return row


def recent_batches(limit: int = 20) -> list[ImportBatch]:
    """The latest imports, newest first (for the admin page's undo list)."""
    return list(ImportBatch.select().order_by(ImportBatch.id.desc()).limit(limit))


# ---------------------------------------------------------------------------- mappings


def saved_mapping(source: str, kind: str) -> dict[str, str]:
    """The mapping last saved for this source and kind (empty when none)."""
    row = ImportMapping.get_or_none((ImportMapping.source == source) & (ImportMapping.kind == kind))
    return json.loads(row.mapping) if row else {}


@service(Role.ADMIN, Role.MANAGER)
def save_mapping(actor: Staff, source: str, kind: str, mapping: dict[str, str]) -> ImportMapping:
    """Keep the user's corrections so the next file from the same old system reads alike."""
    source = require_text(source, translate("Import", "Source"), 80, "source")
    check_mapping(kind, mapping)
    if kind not in FIELDS:
        raise ValidationError(
            translate("Import", "Unknown kind of import: {kind}.").format(kind=shown(kind)), "kind"
        )
    clean = {str(k): str(v) for k, v in mapping.items() if v}
    check_mapping(kind, clean)
    row = ImportMapping.get_or_none((ImportMapping.source == source) & (ImportMapping.kind == kind))
    before = json.loads(row.mapping) if row else None
    if row is None:
        row = ImportMapping(source=source, kind=kind)
    row.mapping = json.dumps(clean, ensure_ascii=False)
    row.updated_at = clock.now()
    row.save()
    audit("import_mapping", row.id, before, clean)
    return row
