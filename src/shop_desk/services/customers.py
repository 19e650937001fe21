"""Customers and vehicles: the basic data recorded at reception (基本信息登录).

Phones, VINs and plates are checked with :mod:`shop_desk.validation`. A VIN whose check
digit does not match is accepted (some markets do not use it; the screen shows the
warning from ``validation.check_vin``). Plates are stored without the middle dot (the
plate key) and shown with it (``validation.display_plate``). The odometer never silently
goes down: a lower reading needs a reason.
"""

from __future__ import annotations

import datetime as dt
import inspect
import re
from decimal import Decimal
from typing import Any

from shop_desk import clock
from shop_desk.errors import ConfirmationRequired, ValidationError
from shop_desk.i18n import join_list, translate
from shop_desk.models import Customer, OdometerReading, Staff, Vehicle, VehicleOwnership
from shop_desk.roles import Role
from shop_desk.services.base import (
    audit,
    check_version,
    get,
    is_date,
    optional_text,
    require_choice,
    require_decimal,
    require_int,
    require_text,
    service,
    snapshot,
)
from shop_desk.validation import check_phone, check_plate, check_vin, display_plate

CUSTOMER_KINDS = ("person", "company")
MAX_KM = 2_000_000
_TIME_RANGE = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*[-–~～至到]\s*(\d{1,2}):(\d{2})\s*$")


# ---------------------------------------------------------------------------- customers


def _phone(value: Any, required: bool, field: str) -> str:
    result = check_phone(value or "", required=required)
    if not result.ok:
        raise ValidationError(result.message, field)
    return result.value


def _contact_time(value: Any) -> str:
    """Free text ('evenings') or a time range, normalised to 'HH:MM-HH:MM' and checked."""
    text = optional_text(
        value, translate("Customers", "Preferred contact time"), 60, "preferred_contact_time"
    )
    m = _TIME_RANGE.match(text)
    if not m:
        return text
    h1, m1, h2, m2 = (int(g) for g in m.groups())
    if not (h1 < 24 and h2 < 24 and m1 < 60 and m2 < 60) or (h1, m1) >= (h2, m2):
        raise ValidationError(
            translate(
                "Customers", "The preferred contact time {text} is not a valid time range."
            ).format(text=text),
            "preferred_contact_time",
        )
    return f"{h1:02d}:{m1:02d}-{h2:02d}:{m2:02d}"


def _customer_values(
    kind: str,
    name: Any,
    phone: Any,
    company: Any,
    phone2: Any,
    address: Any,
    preferred_contact_time: Any,
    credit_limit: Any,
    notes: Any,
) -> dict[str, Any]:
    kind = require_choice(kind, CUSTOMER_KINDS, translate("Customers", "Customer type"), "kind")
    values: dict[str, Any] = {
        "kind": kind,
        "name": require_text(name, translate("Customers", "Name"), 80, "name"),
        "phone": _phone(phone, True, "phone"),
        "phone2": _phone(phone2, False, "phone2"),
        "address": optional_text(address, translate("Customers", "Address"), 200, "address"),
        "preferred_contact_time": _contact_time(preferred_contact_time),
        "notes": optional_text(notes, translate("Customers", "Notes"), 2000, "notes"),
    }
    company = optional_text(company, translate("Customers", "Company"), 120, "company")
    limit = require_decimal(
        credit_limit if credit_limit is not None else "0",
        translate("Customers", "Credit limit"),
        Decimal("0"),
        Decimal("10000000"),
        "credit_limit",
    )
    if kind == "company":
        values["company"] = company or values["name"]
    else:
        values["company"] = company
        if limit > 0:
            raise ValidationError(
                translate(
                    "Customers", "Only company customers can settle on account (credit limit)."
                ),
                "credit_limit",
            )
    values["credit_limit"] = limit
    return values


@service(Role.ADVISOR, Role.CRM_CLERK, Role.MANAGER)
def create_customer(
    actor: Staff,
    name: str,
    phone: str,
    kind: str = "person",
    company: str = "",
    phone2: str = "",
    address: str = "",
    preferred_contact_time: str = "",
    credit_limit: Any = "0",
    notes: str = "",
) -> Customer:
    """A person or a company (companies may get a credit limit for settling on account)."""
    values = _customer_values(
        kind, name, phone, company, phone2, address, preferred_contact_time, credit_limit, notes
    )
    customer = Customer.create(**values, created_at=clock.now())
    audit("customer", customer.id, None, snapshot(customer))
    return customer


_UNSET: Any = object()


@service(Role.ADVISOR, Role.CRM_CLERK, Role.MANAGER)
def update_customer(
    actor: Staff,
    customer: Customer | int,
    *,
    name: Any = _UNSET,
    phone: Any = _UNSET,
    kind: Any = _UNSET,
    company: Any = _UNSET,
    phone2: Any = _UNSET,
    address: Any = _UNSET,
    preferred_contact_time: Any = _UNSET,
    credit_limit: Any = _UNSET,
    notes: Any = _UNSET,
    expected_version: int | None = None,
) -> Customer:
    """Change the given fields (the others stay); all fields are validated together.

    ``expected_version`` is the customer's version the desk loaded: when another desk saved
    the customer meanwhile the change is refused (nothing is overwritten) and says who."""
    row = get(Customer, customer, translate("Customers", "Customer"))
    check_version(row, expected_version)
    before = snapshot(row)

    def pick(value: Any, current: Any) -> Any:
        return current if value is _UNSET else value

    values = _customer_values(
        pick(kind, row.kind),
        pick(name, row.name),
        pick(phone, row.phone),
        pick(company, row.company),
        pick(phone2, row.phone2),
        pick(address, row.address),
        pick(preferred_contact_time, row.preferred_contact_time),
        pick(credit_limit, row.credit_limit),
        pick(notes, row.notes),
    )
    for key, value in values.items():
        setattr(row, key, value)
    row.version += 1
    row.save()
    audit("customer", row.id, before, snapshot(row))
    return row


# ---------------------------------------------------------------------------- vehicles


def _vin(value: Any) -> str:
    result = check_vin(value or "")
    if not result.ok:
        raise ValidationError(result.message, "vin")
    return result.value


def _plate(value: Any) -> str:
    """The plate key (no dot); empty is allowed for a new car not yet registered."""
    if value is None or not str(value).strip():
        return ""
    result = check_plate(value)
    if not result.ok:
        raise ValidationError(result.message, "plate")
    return result.value


def _date(value: Any, label: str, field: str) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value.strip())
        except ValueError:
            raise ValidationError(
                translate("Customers", "{field} must be a date (YYYY-MM-DD).").format(field=label),
                field,
            ) from None
    if not is_date(value):
        raise ValidationError(
            translate("Customers", "{field} must be a date (YYYY-MM-DD).").format(field=label),
            field,
        )
    if value > clock.today():
        raise ValidationError(
            translate("Customers", "{field} cannot be in the future.").format(field=label), field
        )
    return value


def vehicle_label(vehicle: Vehicle) -> str:
    """'沪A·12345 大众 Volkswagen 帕萨特 Passat' for messages and lists."""
    return vehicle_text(vehicle.plate, vehicle.vin, vehicle.make, vehicle.model)


def vehicle_text(plate: str, vin: str, make: str, model: str) -> str:
    """:func:`vehicle_label` from the columns (long lists read plain rows)."""
    name = " ".join(x for x in (make, model) if x)
    ident = display_plate(plate) if plate else vin
    return f"{ident} {name}".strip()


def _duplicate_check(vin: str, plate: str, exclude_id: int | None) -> None:
    """Refuse a VIN or plate that another vehicle on file already has, naming it and its owner."""
    for value, column, field in ((vin, Vehicle.vin, "vin"), (plate, Vehicle.plate, "plate")):
        if not value:
            continue
        query = Vehicle.select().where(column == value)
        if exclude_id is not None:
            query = query.where(Vehicle.id != exclude_id)
        other = query.first()
        if other is None:
            continue
        owner = other.owner.name if other.owner_id else translate("Customers", "no owner recorded")
        if field == "vin":
            msg = translate(
                "Customers", "The VIN {vin} is already on file: vehicle {vehicle}, owner {owner}."
            ).format(vin=value, vehicle=vehicle_label(other), owner=owner)
        else:
            msg = translate(
                "Customers",
                "The plate {plate} is already on file: vehicle {vehicle} (VIN {vin}), owner {owner}.",
            ).format(
                plate=display_plate(value), vehicle=vehicle_label(other), vin=other.vin, owner=owner
            )
        raise ValidationError(msg, field)


def _year(value: Any) -> int | None:
    if value is None or value == "":
        return None
    return require_int(
        value, translate("Customers", "Model year"), 1950, clock.today().year + 1, "year"
    )


@service(Role.ADVISOR, Role.MANAGER)
def create_vehicle(
    actor: Staff,
    owner: Customer | int | None,
    vin: str,
    plate: str = "",
    make: str = "",
    model: str = "",
    year: Any = None,
    colour: str = "",
    sale_date: Any = None,
    warranty_start: Any = None,
    household: bool = True,
    odometer_km: Any = 0,
    notes: str = "",
) -> Vehicle:
    """A vehicle with its owner (ownership history starts) and first odometer reading."""
    owner_row = (
        get(Customer, owner, translate("Customers", "Customer")) if owner is not None else None
    )
    vin = _vin(vin)
    plate_key = _plate(plate)
    _duplicate_check(vin, plate_key, None)
    sale = _date(sale_date, translate("Customers", "Sale date"), "sale_date")
    start = (
        _date(warranty_start, translate("Customers", "Warranty start"), "warranty_start") or sale
    )
    km = require_int(
        odometer_km or 0, translate("Customers", "Odometer (km)"), 0, MAX_KM, "odometer_km"
    )
    vehicle = Vehicle.create(
        vin=vin,
        plate=plate_key,
        make=optional_text(make, translate("Customers", "Make"), 40, "make"),
        model=optional_text(model, translate("Customers", "Model"), 60, "model"),
        year=_year(year),
        colour=optional_text(colour, translate("Customers", "Colour"), 30, "colour"),
        sale_date=sale,
        warranty_start=start,
        household=bool(household),
        owner=owner_row,
        last_odometer_km=km,
        notes=optional_text(notes, translate("Customers", "Notes"), 2000, "notes"),
        created_at=clock.now(),
    )
    if owner_row is not None:
        VehicleOwnership.create(vehicle=vehicle, customer=owner_row, since=sale or clock.today())
    if km:
        OdometerReading.create(vehicle=vehicle, km=km, read_at=clock.now(), source="registration")
    audit("vehicle", vehicle.id, None, snapshot(vehicle))
    return vehicle


@service(Role.ADVISOR, Role.MANAGER)
def update_vehicle(
    actor: Staff,
    vehicle: Vehicle | int,
    *,
    vin: Any = _UNSET,
    plate: Any = _UNSET,
    make: Any = _UNSET,
    model: Any = _UNSET,
    year: Any = _UNSET,
    colour: Any = _UNSET,
    sale_date: Any = _UNSET,
    warranty_start: Any = _UNSET,
    household: Any = _UNSET,
    notes: Any = _UNSET,
    expected_version: int | None = None,
) -> Vehicle:
    """Correct a vehicle's data (owner: :func:`change_owner`; odometer: :func:`record_odometer`).
    With ``expected_version`` (the version the desk loaded) a change made meanwhile by another
    desk is not overwritten: the save is refused."""
    row = get(Vehicle, vehicle, translate("Customers", "Vehicle"))
    check_version(row, expected_version)
    before = snapshot(row)
    new_vin = _vin(vin) if vin is not _UNSET else row.vin
    new_plate = _plate(plate) if plate is not _UNSET else row.plate
    _duplicate_check(new_vin, new_plate, row.id)
    row.vin, row.plate = new_vin, new_plate
    texts = {
        "make": (make, translate("Customers", "Make"), 40),
        "model": (model, translate("Customers", "Model"), 60),
        "colour": (colour, translate("Customers", "Colour"), 30),
        "notes": (notes, translate("Customers", "Notes"), 2000),
    }
    for key, (value, label, size) in texts.items():
        if value is not _UNSET:
            setattr(row, key, optional_text(value, label, size, key))
    if year is not _UNSET:
        row.year = _year(year)
    if sale_date is not _UNSET:
        row.sale_date = _date(sale_date, translate("Customers", "Sale date"), "sale_date")
    if warranty_start is not _UNSET:
        row.warranty_start = _date(
            warranty_start, translate("Customers", "Warranty start"), "warranty_start"
        )
    if household is not _UNSET:
        row.household = bool(household)
    row.version += 1
    row.save()
    audit("vehicle", row.id, before, snapshot(row))
    return row


@service(Role.ADVISOR, Role.MANAGER)
def change_owner(
    actor: Staff,
    vehicle: Vehicle | int,
    new_owner: Customer | int,
    since: Any = None,
    expected_version: int | None = None,
) -> VehicleOwnership:
    """The vehicle was sold: close the current ownership and open the new one (refused when
    another desk changed the vehicle after ``expected_version`` was loaded)."""
    row = get(Vehicle, vehicle, translate("Customers", "Vehicle"))
    check_version(row, expected_version)
    owner = get(Customer, new_owner, translate("Customers", "Customer"))
    if row.owner_id == owner.id:
        raise ValidationError(
            translate("Customers", "{name} already owns this vehicle.").format(name=owner.name),
            "owner",
        )
    since_date = _date(since, translate("Customers", "Owner since"), "since") or clock.today()
    current = (
        VehicleOwnership.select()
        .where((VehicleOwnership.vehicle == row) & (VehicleOwnership.until.is_null()))
        .order_by(VehicleOwnership.id.desc())
        .first()
    )
    if current is not None and since_date < current.since:
        raise ValidationError(
            translate(
                "Customers", "The new ownership cannot start before the current one ({date})."
            ).format(date=current.since.isoformat()),
            "since",
        )
    before = {"owner": row.owner_id}
    if current is not None:
        current.until = since_date
        current.save()
    ownership = VehicleOwnership.create(vehicle=row, customer=owner, since=since_date)
    row.owner = owner
    row.version += 1
    row.save()
    audit("vehicle", row.id, before, {"owner": owner.id, "since": since_date})
    return ownership


@service(Role.ADVISOR, Role.CRM_CLERK, Role.MANAGER)
def save_customer_and_vehicle(
    actor: Staff,
    customer: Customer | int | None,
    vehicle: Vehicle | int | None,
    customer_values: dict[str, Any] | None = None,
    vehicle_values: dict[str, Any] | None = None,
    customer_version: int | None = None,
    vehicle_version: int | None = None,
) -> tuple[Customer, Vehicle]:
    """The customer and the car of the reception dialog, saved together or not at all.

    ``customer``/``vehicle`` None: create them from the values; otherwise the values are the
    changes to make (empty: none), refused when another desk saved the record after the
    ``*_version`` the dialog loaded. A car on file without an owner gets this customer. Any
    refusal (a plate already on file, a bad VIN) rolls back the customer saved before it."""
    customer_values = _named_values(
        customer_values, create_customer if customer is None else update_customer, "customer"
    )
    vehicle_values = _named_values(
        vehicle_values, create_vehicle if vehicle is None else update_vehicle, "vehicle"
    )
    if customer is None:
        customer_values.setdefault("name", "")
        customer_values.setdefault("phone", "")  # refused below with the field's own words
        person = create_customer(actor, **customer_values)
    elif customer_values:
        person = update_customer(
            actor, customer, **customer_values, expected_version=customer_version
        )
    else:
        person = get(Customer, customer, translate("Customers", "Customer"))
    if vehicle is None:
        vehicle_values.setdefault("vin", "")
        car = create_vehicle(actor, person, **vehicle_values)
    elif vehicle_values:
        car = update_vehicle(actor, vehicle, **vehicle_values, expected_version=vehicle_version)
    else:
        car = get(Vehicle, vehicle, translate("Customers", "Vehicle"))
    if car.owner_id is None:
        change_owner(
            actor, car, person, expected_version=vehicle_version if not vehicle_values else None
        )
        car = Vehicle.get_by_id(car.id)
    return person, car


def _named_values(values: Any, service_fn: Any, what: str) -> dict[str, Any]:
    """The field values a dialog hands over for ``service_fn``: a mapping of its field names
    only (anything else is refused, not passed on as a surprise argument)."""
    if values is None:
        return {}
    label = (
        translate("Customers", "Customer")
        if what == "customer"
        else translate("Customers", "Vehicle")
    )
    if not isinstance(values, dict):
        raise ValidationError(
            translate("Customers", "{record}: the details are not readable.").format(record=label),
            what,
        )
    fields = set(inspect.signature(getattr(service_fn, "__wrapped__", service_fn)).parameters)
    fields -= {"actor", "customer", "vehicle", "owner", "expected_version"}
    unknown = [str(k) for k in values if not isinstance(k, str) or k not in fields]
    if unknown:
        raise ValidationError(
            translate("Customers", "{record}: unknown details {names}.").format(
                record=label, names=join_list(sorted(unknown))
            ),
            what,
        )
    return dict(values)


def _ensure_baseline(vehicle: Vehicle) -> None:
    """Vehicles entered before readings were kept get their recorded km as the first reading."""
    if (
        vehicle.last_odometer_km
        and not OdometerReading.select().where(OdometerReading.vehicle == vehicle).exists()
    ):
        OdometerReading.create(
            vehicle=vehicle,
            km=vehicle.last_odometer_km,
            read_at=vehicle.created_at,
            source="baseline",
        )


def save_odometer(
    vehicle: Vehicle,
    km: Any,
    confirm_reason: str | None = None,
    source: str = "manual",
    order_id: int | None = None,
) -> OdometerReading:
    """Record a reading inside a running service; ConfirmationRequired when it goes down.

    With ``order_id`` the order's own reading is replaced (a corrected walk-around), and the
    comparison is with the last reading before that order.
    """
    km = require_int(km, translate("Customers", "Odometer (km)"), 0, MAX_KM, "odometer_km")
    _ensure_baseline(vehicle)
    own = None
    others = OdometerReading.select().where(OdometerReading.vehicle == vehicle)
    if order_id is not None:
        own = (
            OdometerReading.select()
            .where((OdometerReading.vehicle == vehicle) & (OdometerReading.order_id == order_id))
            .order_by(OdometerReading.id.desc())
            .first()
        )
        others = others.where(
            (OdometerReading.order_id.is_null()) | (OdometerReading.order_id != order_id)
        )
    previous = others.order_by(OdometerReading.id.desc()).first()  # the latest recorded
    previous_km = previous.km if previous is not None else 0
    reason = optional_text(confirm_reason, translate("Customers", "Reason"), 2000, "confirm_reason")
    if km < previous_km and not reason:
        raise ConfirmationRequired(
            translate(
                "Customers",
                "{km} km is lower than the last reading of {last} km. Please check the odometer; if it "
                "is right (e.g. the instrument cluster was replaced), confirm with a reason.",
            ).format(km=km, last=previous_km),
            "lower_odometer",
        )
    lower_reason = reason[:200] if km < previous_km else ""
    if own is not None:
        own.km, own.read_at, own.lower_reason, own.source = km, clock.now(), lower_reason, source
        own.save()
        reading = own
    else:
        reading = OdometerReading.create(
            vehicle=vehicle,
            km=km,
            read_at=clock.now(),
            source=source,
            order_id=order_id,
            lower_reason=lower_reason,
        )
    vehicle.last_odometer_km = km
    vehicle.save()
    return reading


@service(Role.ADVISOR, Role.MANAGER)
def record_odometer(
    actor: Staff, vehicle: Vehicle | int, km: Any, confirm_reason: str | None = None
) -> OdometerReading:
    """A reading outside an order (phone, reminder call); lower than the last needs a reason."""
    row = get(Vehicle, vehicle, translate("Customers", "Vehicle"))
    before = {"last_odometer_km": row.last_odometer_km}
    reading = save_odometer(row, km, confirm_reason, "manual")
    audit(
        "vehicle",
        row.id,
        before,
        {"last_odometer_km": row.last_odometer_km, "lower_reason": reading.lower_reason},
    )
    return reading


# ---------------------------------------------------------------------------- reads


def vehicles_of(customer: Customer | int) -> list[Vehicle]:
    cust = get(Customer, customer, translate("Customers", "Customer"))
    return list(Vehicle.select().where(Vehicle.owner == cust).order_by(Vehicle.id))


def ownership_history(vehicle: Vehicle | int) -> list[VehicleOwnership]:
    row = get(Vehicle, vehicle, translate("Customers", "Vehicle"))
    return list(
        VehicleOwnership.select()
        .where(VehicleOwnership.vehicle == row)
        .order_by(VehicleOwnership.since, VehicleOwnership.id)
    )


def odometer_history(vehicle: Vehicle | int) -> list[OdometerReading]:
    row = get(Vehicle, vehicle, translate("Customers", "Vehicle"))
    return list(
        OdometerReading.select()
        .where(OdometerReading.vehicle == row)
        .order_by(OdometerReading.read_at, OdometerReading.id)
    )


def vin_warning(vin: str) -> str:
    """The check-digit warning the screen shows next to a VIN (empty when fine)."""
    return check_vin(vin).warning
