"""The service archive (服务档案) of a vehicle, read at preparation and reception.

Past visits with date, km and work; open complaints; declined recommendations (raised
again at the next visit); warranty status per main category from the engine; a comeback
warning when the last visit is within the comeback window; and the maintenance that is
due, from the last maintenance visit and the service interval in the settings.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from peewee import JOIN

from shop_desk import clock
from shop_desk.clock import add_months
from shop_desk.field_states import kind_label as field_kind_label
from shop_desk.field_states import state_label as field_state_label
from shop_desk.i18n import translate
from shop_desk.models import (
    Complaint,
    Customer,
    FieldJob,
    JobLine,
    Recommendation,
    RepairOrder,
    ServiceReport,
    Vehicle,
)
from shop_desk.services import warranty
from shop_desk.services.base import get
from shop_desk.services.orders import settings
from shop_desk.states import State

#: A visit counts once the car has been given back to the customer.
FINISHED_STATES = warranty.FITTED_STATES
SOON_DAYS = 30
SOON_KM = 500


@dataclass(frozen=True)
class Visit:
    order: RepairOrder
    number: str
    date: dt.datetime
    state: str
    odometer_km: int | None
    complaint_text: str
    work: list[str]
    is_comeback: bool


@dataclass(frozen=True)
class MaintenanceDue:
    last_date: dt.date | None  # the last maintenance visit (or the warranty start for the first)
    last_km: int | None
    due_date: dt.date | None
    due_km: int | None
    due: bool
    soon: bool
    text: str


@dataclass(frozen=True)
class FieldJobLink:
    """A field job as the archive shows it beside the repair orders: its number, kind,
    dates, state, the service report's state and the repair order a towed car became."""

    id: int
    number: str
    kind: str  # translated
    state: str  # translated
    registered_at: dt.datetime
    arrived_at: dt.datetime | None
    closed_at: dt.datetime | None
    report: str  # translated: not handed in / incomplete / complete (survey or not)
    order_id: int | None
    order_number: str

    def text(self) -> str:
        """One line for the archive and the order's summary."""
        dates = " – ".join(
            f"{d:%Y-%m-%d}" for d in (self.registered_at, self.closed_at) if d is not None
        )
        return translate("Archive", "{number} · {kind} · {dates} · {state} · {report}").format(
            number=self.number, kind=self.kind, dates=dates, state=self.state, report=self.report
        )


def _report_state(written: bool, complete: bool, surveyed: bool) -> str:
    if not written:
        return translate("Archive", "service report not handed in")
    if not complete:
        return translate("Archive", "service report incomplete")
    if not surveyed:
        return translate("Archive", "service report complete, survey missing")
    return translate("Archive", "service report and survey complete")


def field_job_links(
    vehicle: Vehicle | int | None = None, order: RepairOrder | int | None = None
) -> list[FieldJobLink]:
    """The field jobs of a vehicle or of one repair order (a car towed in), newest first; one
    query whatever their number."""
    query = (
        FieldJob.select(
            FieldJob.id,
            FieldJob.number,
            FieldJob.kind,
            FieldJob.state,
            FieldJob.registered_at,
            FieldJob.arrived_at,
            FieldJob.closed_at,
            FieldJob.order,
            RepairOrder.number.alias("order_number"),
            ServiceReport.written_at.alias("written_at"),
            ServiceReport.complete.alias("complete"),
            ServiceReport.satisfaction.alias("satisfaction"),
        )
        .join(RepairOrder, JOIN.LEFT_OUTER, on=(FieldJob.order == RepairOrder.id))
        .switch(FieldJob)
        .join(ServiceReport, JOIN.LEFT_OUTER, on=(ServiceReport.job == FieldJob.id))
        .order_by(FieldJob.registered_at.desc(), FieldJob.id.desc())
    )
    if vehicle is not None:
        query = query.where(FieldJob.vehicle == vehicle)
    if order is not None:
        query = query.where(FieldJob.order == order)
    return [
        FieldJobLink(
            id=r["id"],
            number=r["number"],
            kind=field_kind_label(r["kind"]),
            state=field_state_label(r["state"]),
            registered_at=r["registered_at"],
            arrived_at=r["arrived_at"],
            closed_at=r["closed_at"],
            report=_report_state(
                r["written_at"] is not None, bool(r["complete"]), r["satisfaction"] is not None
            ),
            order_id=r["order"],
            order_number=r["order_number"] or "",
        )
        for r in query.dicts()
    ]


@dataclass
class VehicleArchive:
    vehicle: Vehicle
    owner: Customer | None
    last_odometer_km: int
    visits: list[Visit] = field(default_factory=list)
    open_complaints: list[Complaint] = field(default_factory=list)
    declined_recommendations: list[Recommendation] = field(default_factory=list)
    warranty: dict[str, warranty.Decision] = field(default_factory=dict)
    recent_visit: RepairOrder | None = None
    comeback_warning: str = ""
    maintenance: MaintenanceDue | None = None
    #: Field jobs for this car (a breakdown towed in links to the repair order it became).
    field_jobs: list[FieldJob] = field(default_factory=list)
    field_links: list[FieldJobLink] = field(default_factory=list)

    def notes(self) -> list[str]:
        """Short sentences for the preparation list and the reception screen."""
        out: list[str] = []
        for rec in self.declined_recommendations:
            text = translate("Archive", "Declined earlier: {work}").format(work=rec.description)
            if rec.safety:
                text += " " + translate("Archive", "(safety-relevant)")
            out.append(text)
        for complaint in self.open_complaints:
            out.append(
                translate("Archive", "Open complaint {number}: {text}").format(
                    number=complaint.number, text=complaint.description[:80]
                )
            )
        if self.comeback_warning:
            out.append(self.comeback_warning)
        if self.maintenance is not None and (self.maintenance.due or self.maintenance.soon):
            out.append(self.maintenance.text)
        for decision in self.warranty.values():
            if decision.status == warranty.PENDING:
                out.append(decision.reason)
        return out


def _visit_date(order: RepairOrder) -> dt.datetime:
    return order.checked_in_at or order.created_at


def finished_date(order: RepairOrder) -> dt.datetime:
    return order.delivered_at or order.left_at or order.closed_at or _visit_date(order)


def visits(vehicle: Vehicle) -> list[Visit]:
    """All checked-in orders of the vehicle, newest first (bookings and cancellations left out)."""
    orders = RepairOrder.select().where(
        (RepairOrder.vehicle == vehicle)
        & (RepairOrder.state.not_in([State.BOOKED.value, State.CANCELLED.value]))
    )
    result = []
    for order in sorted(orders, key=lambda o: (_visit_date(o), o.id), reverse=True):
        work = [
            line.description
            for line in JobLine.select()
            .where((JobLine.order == order) & (JobLine.auth_state == "authorised"))
            .order_by(JobLine.sort, JobLine.id)
        ]
        result.append(
            Visit(
                order,
                order.number,
                _visit_date(order),
                order.state,
                order.odometer_km,
                order.complaint_text,
                work,
                order.is_comeback,
            )
        )
    return result


def last_finished_visit(vehicle: Vehicle, exclude: RepairOrder | None = None) -> RepairOrder | None:
    query = RepairOrder.select().where(
        (RepairOrder.vehicle == vehicle) & (RepairOrder.state.in_(FINISHED_STATES))
    )
    if exclude is not None:
        query = query.where(RepairOrder.id != exclude.id)
    orders = list(query)
    return max(orders, key=lambda o: (finished_date(o), o.id)) if orders else None


def maintenance_due(vehicle: Vehicle, on_date: dt.date | None = None) -> MaintenanceDue:
    """Next service from the last maintenance visit (or its agreed next service date/km)."""
    today = on_date or clock.today()
    s = settings()
    orders = (
        RepairOrder.select()
        .join(JobLine)
        .where(
            (RepairOrder.vehicle == vehicle)
            & (RepairOrder.state.in_(FINISHED_STATES))
            & (JobLine.category == "maintenance")
            & (JobLine.auth_state == "authorised")
        )
        .distinct()
    )
    last = max(orders, key=lambda o: (finished_date(o), o.id)) if orders else None
    if last is not None:
        last_date, last_km = finished_date(last).date(), last.odometer_km
        due_date = last.next_service_date or add_months(last_date, s.service_interval_months)
        due_km = last.next_service_km or ((last_km or 0) + s.service_interval_km)
    else:
        last_date = vehicle.warranty_start or vehicle.sale_date
        last_km = 0
        due_date = add_months(last_date, s.service_interval_months) if last_date else None
        due_km = s.service_interval_km
    km_now = vehicle.last_odometer_km or 0
    due = bool((due_date and today >= due_date) or (due_km and km_now >= due_km))
    soon = not due and bool(
        (due_date and (due_date - today).days <= SOON_DAYS)
        or (due_km and due_km - km_now <= SOON_KM)
    )
    if due_date is None:  # a car whose sale date nobody recorded: the mileage alone
        if due:
            text = translate("Archive", "Maintenance is due (at {km} km).")
        elif soon:
            text = translate("Archive", "Maintenance is due soon (at {km} km).")
        else:
            text = translate("Archive", "Next maintenance at {km} km.")
    elif due:
        text = translate("Archive", "Maintenance is due (at {km} km or on {date}).")
    elif soon:
        text = translate("Archive", "Maintenance is due soon (at {km} km or on {date}).")
    else:
        text = translate("Archive", "Next maintenance at {km} km or on {date}.")
    text = text.format(km=due_km, date=due_date.isoformat() if due_date else "")
    return MaintenanceDue(last_date, last_km, due_date, due_km, due, soon, text)


def vehicle_archive(vehicle: Vehicle | int, on_date: dt.date | None = None) -> VehicleArchive:
    """Everything the advisor should know about a vehicle before and at reception."""
    row = get(Vehicle, vehicle, translate("Archive", "Vehicle"))
    today = on_date or clock.today()
    order_ids = RepairOrder.select(RepairOrder.id).where(RepairOrder.vehicle == row)
    complaints = list(
        Complaint.select()
        .where(
            ((Complaint.vehicle == row) | (Complaint.order.in_(order_ids)))
            & (Complaint.state != "closed")
        )
        .order_by(Complaint.opened_at)
    )
    declined = list(
        Recommendation.select()
        .where((Recommendation.vehicle == row) & (Recommendation.state == "declined"))
        .order_by(Recommendation.created_at, Recommendation.id)
    )
    archive = VehicleArchive(
        vehicle=row,
        owner=row.owner if row.owner_id else None,
        last_odometer_km=row.last_odometer_km,
        visits=visits(row),
        open_complaints=complaints,
        declined_recommendations=declined,
        warranty=warranty.vehicle_status(row, today),
        maintenance=maintenance_due(row, today),
        field_jobs=list(
            FieldJob.select()
            .where(FieldJob.vehicle == row)
            .order_by(FieldJob.registered_at.desc(), FieldJob.id.desc())
        ),
        field_links=field_job_links(vehicle=row),
    )
    last = last_finished_visit(row)
    if last is not None:
        days = (today - finished_date(last).date()).days
        if days <= settings().comeback_window_days:
            archive.recent_visit = last
            archive.comeback_warning = translate(
                "Archive",
                "Last visit {number} was {days} days ago ({date}); the same problem again would be a comeback.",
            ).format(number=last.number, days=days, date=finished_date(last).date().isoformat())
    return archive
