"""The warranty engine (质量担保): is an item of a vehicle covered on a date at a mileage?

Rules come from :class:`WarrantyPolicy` rows per item category (seeded in ``seed.py``) and
a vehicle's own :class:`WarrantyOverride` rows, which always win.

Edge rule (both limits, whichever comes first): an item is **covered while the elapsed
days since the start are fewer than the policy's days and the kilometres used are at most
the policy's km**. With 365 days from 2025-11-02 the last covered day is 2026-11-01 and
2026-11-02 is no longer covered; with 60,000 km, 60,000 is covered and 60,001 is not.
An override's ``until_date`` and ``until_km`` are the last covered day and km (inclusive).

Start of the period: basis ``vehicle`` counts from ``vehicle.warranty_start`` (else the
sale date) and kilometres from 0; basis ``fitted`` (parts, labour and accessories the shop
fitted) counts from the fitting date and the odometer at fitting. When the fitting date is
not given the engine looks up the last earlier order line of the same part or labour
operation on this vehicle. A start that cannot be found gives ``pending`` with the reason,
so the advisor refers the case to the manufacturer (上报待批准).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from shop_desk import clock
from shop_desk.i18n import join_list, shown_name, translate
from shop_desk.models import (
    JobLine,
    LabourOperation,
    Part,
    RepairOrder,
    Vehicle,
    WarrantyOverride,
    WarrantyPolicy,
)
from shop_desk.states import State

COVERED = "covered"
NOT_COVERED = "not_covered"
PENDING = "pending"
STATUSES = (COVERED, NOT_COVERED, PENDING)

#: Orders whose work counts as fitted (the car left the workshop with it).
FITTED_STATES = (State.DELIVERED.value, State.SETTLED.value, State.LEFT.value, State.CLOSED.value)


@dataclass(frozen=True)
class Decision:
    """The engine's answer; ``reason`` is a translated sentence for the advisor and forms."""

    status: str  # covered | not_covered | pending
    reason: str
    policy: WarrantyPolicy | None = None
    override: WarrantyOverride | None = None
    start: dt.date | None = None
    last_day: dt.date | None = None  # last covered day, when limited by days
    km_limit: int | None = None  # last covered km (absolute odometer), when limited by km

    @property
    def covered(self) -> bool:
        return self.status == COVERED


def status_label(status: str) -> str:
    labels = {
        COVERED: translate("Warranty", "Covered by warranty"),
        NOT_COVERED: translate("Warranty", "Not covered"),
        PENDING: translate("Warranty", "Pending manufacturer approval"),
    }
    return labels.get(status, status)


def policy_for(category: str) -> WarrantyPolicy | None:
    """The active policy of a category (the newest if several)."""
    return (
        WarrantyPolicy.select()
        .where((WarrantyPolicy.category == category) & (WarrantyPolicy.active == True))  # noqa: E712
        .order_by(WarrantyPolicy.id.desc())
        .first()
    )


def override_for(vehicle: Vehicle, category: str) -> WarrantyOverride | None:
    return (
        WarrantyOverride.select()
        .where((WarrantyOverride.vehicle == vehicle) & (WarrantyOverride.category == category))
        .order_by(WarrantyOverride.id.desc())
        .first()
    )


def last_fitting(
    vehicle: Vehicle,
    part: Part | None = None,
    labour_op: LabourOperation | None = None,
    exclude_order: RepairOrder | None = None,
) -> tuple[dt.date, int | None] | None:
    """(date, odometer km) when the shop last fitted ``part`` / did ``labour_op`` on the vehicle."""
    if part is None and labour_op is None:
        return None
    cond = (RepairOrder.vehicle == vehicle) & (RepairOrder.state.in_(FITTED_STATES))
    cond &= JobLine.auth_state == "authorised"
    cond &= (JobLine.part == part) if part is not None else (JobLine.labour_op == labour_op)
    if exclude_order is not None:
        cond &= RepairOrder.id != exclude_order.id
    orders = RepairOrder.select().join(JobLine).where(cond).distinct()
    best: RepairOrder | None = None
    for order in orders:
        when = order.delivered_at or order.checked_in_at or order.created_at
        if best is None or when > (best.delivered_at or best.checked_in_at or best.created_at):
            best = order
    if best is None:
        return None
    when = best.delivered_at or best.checked_in_at or best.created_at
    return when.date(), best.odometer_km


def _override_decision(ov: WarrantyOverride, odometer_km: int | None, on_date: dt.date) -> Decision:
    note = f" ({ov.note})" if ov.note else ""
    if ov.excluded:
        return Decision(
            NOT_COVERED,
            translate("Warranty", "Excluded from warranty for this vehicle{note}.").format(
                note=note
            ),
            override=ov,
        )
    if ov.until_date is not None and on_date > ov.until_date:
        return Decision(
            NOT_COVERED,
            translate(
                "Warranty", "This vehicle's own warranty terms ended on {date}{note}."
            ).format(date=ov.until_date.isoformat(), note=note),
            override=ov,
            last_day=ov.until_date,
            km_limit=ov.until_km,
        )
    if ov.until_km is not None:
        if odometer_km is None:
            return Decision(
                PENDING,
                translate(
                    "Warranty", "The odometer reading is unknown; record it to decide the warranty."
                ),
                override=ov,
                last_day=ov.until_date,
                km_limit=ov.until_km,
            )
        if odometer_km > ov.until_km:
            return Decision(
                NOT_COVERED,
                translate(
                    "Warranty",
                    "{km} km is beyond this vehicle's own warranty terms ({limit} km){note}.",
                ).format(km=odometer_km, limit=ov.until_km, note=note),
                override=ov,
                last_day=ov.until_date,
                km_limit=ov.until_km,
            )
    return Decision(
        COVERED,
        translate("Warranty", "Covered by this vehicle's own warranty terms{note}.").format(
            note=note
        ),
        override=ov,
        last_day=ov.until_date,
        km_limit=ov.until_km,
    )


def decide(
    vehicle: Vehicle,
    category: str,
    odometer_km: int | None,
    on_date: dt.date | None = None,
    fitted_on: dt.date | None = None,
    *,
    fitted_km: int | None = None,
    part: Part | None = None,
    labour_op: LabourOperation | None = None,
    exclude_order: RepairOrder | None = None,
) -> Decision:
    """Decide the warranty of one item category for a vehicle on ``on_date`` at ``odometer_km``.

    ``fitted_on``/``fitted_km`` give the fitting of a shop-fitted item; without them the
    engine searches the vehicle's earlier orders for ``part`` or ``labour_op``.
    """
    on_date = on_date or clock.today()
    ov = override_for(vehicle, category)
    if ov is not None:
        return _override_decision(ov, odometer_km, on_date)
    policy = policy_for(category)
    if policy is None:
        return Decision(
            PENDING,
            translate(
                "Warranty",
                "There is no warranty policy for the category {category}; refer the case to the manufacturer.",
            ).format(category=category),
        )
    if policy.excluded:
        return Decision(
            NOT_COVERED,
            translate("Warranty", "{policy}: excluded from the warranty.").format(
                policy=shown_name(policy.name)
            ),
            policy=policy,
        )
    if policy.basis == "fitted":
        if fitted_on is None:
            found = last_fitting(vehicle, part, labour_op, exclude_order)
            if found is not None:
                fitted_on, found_km = found
                fitted_km = fitted_km if fitted_km is not None else found_km
        if fitted_on is None:
            return Decision(
                PENDING,
                translate(
                    "Warranty",
                    "There is no record of when the shop fitted this item; check the earlier invoice "
                    "or refer the case to the manufacturer.",
                ),
                policy=policy,
            )
        start, km_base = fitted_on, fitted_km
    else:
        start = vehicle.warranty_start or vehicle.sale_date
        km_base = 0
        if start is None:
            return Decision(
                PENDING,
                translate(
                    "Warranty",
                    "The warranty start date of this vehicle is unknown; record the sale date or refer "
                    "the case to the manufacturer.",
                ),
                policy=policy,
            )
    last_day = start + dt.timedelta(days=policy.days - 1) if policy.days is not None else None
    km_limit = None
    if policy.km is not None:
        if km_base is None or odometer_km is None:
            return Decision(
                PENDING,
                translate(
                    "Warranty",
                    "The odometer reading (now or at fitting) is unknown; record it to decide the warranty.",
                ),
                policy=policy,
                start=start,
                last_day=last_day,
            )
        km_limit = km_base + policy.km
    elapsed = (on_date - start).days
    if policy.days is not None and elapsed >= policy.days:
        return Decision(
            NOT_COVERED,
            translate(
                "Warranty", "{policy}: the warranty of {days} days from {start} ended on {date}."
            ).format(
                policy=shown_name(policy.name),
                days=policy.days,
                start=start.isoformat(),
                date=last_day.isoformat(),
            ),
            policy=policy,
            start=start,
            last_day=last_day,
            km_limit=km_limit,
        )
    if km_limit is not None and odometer_km > km_limit:
        return Decision(
            NOT_COVERED,
            translate("Warranty", "{policy}: {km} km is beyond the limit of {limit} km.").format(
                policy=shown_name(policy.name), km=odometer_km, limit=km_limit
            ),
            policy=policy,
            start=start,
            last_day=last_day,
            km_limit=km_limit,
        )
    parts = []
    if last_day is not None:
        parts.append(translate("Warranty", "until {date}").format(date=last_day.isoformat()))
    if km_limit is not None:
        parts.append(translate("Warranty", "up to {km} km").format(km=km_limit))
    limits = join_list(parts) if parts else translate("Warranty", "without a time or mileage limit")
    return Decision(
        COVERED,
        translate("Warranty", "{policy}: covered {limits}.").format(
            policy=shown_name(policy.name), limits=limits
        ),
        policy=policy,
        start=start,
        last_day=last_day,
        km_limit=km_limit,
    )


def main_categories(vehicle: Vehicle | None = None) -> list[str]:
    """Categories a vehicle's archive shows: active vehicle-based policies plus its overrides."""
    cats = [
        p.category
        for p in WarrantyPolicy.select()
        .where(
            (WarrantyPolicy.active == True)  # noqa: E712
            & (WarrantyPolicy.basis == "vehicle")
            & (WarrantyPolicy.excluded == False)  # noqa: E712
        )
        .order_by(WarrantyPolicy.id)
    ]
    if vehicle is not None:
        cats += [
            o.category for o in WarrantyOverride.select().where(WarrantyOverride.vehicle == vehicle)
        ]
    return list(dict.fromkeys(cats))


def vehicle_status(
    vehicle: Vehicle, on_date: dt.date | None = None, odometer_km: int | None = None
) -> dict[str, Decision]:
    """Decision per main category at the vehicle's last known odometer (or the km given)."""
    km = odometer_km if odometer_km is not None else vehicle.last_odometer_km
    return {cat: decide(vehicle, cat, km, on_date) for cat in main_categories(vehicle)}
