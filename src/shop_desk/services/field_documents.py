"""Read model of the field-service forms: the dispatch order (派遣单, the dispatch record on
paper) and the service report (售后服务报告单) with the satisfaction survey (满意度调查表).

The printing package reads only through these functions (as for the order's forms in
:mod:`shop_desk.services.documents`). A service report prints blank where nothing was
recorded yet, so a crew without a tablet fills it in on paper.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from shop_desk.field_states import kind_label, state_label
from shop_desk.models import FieldJob, FieldPart, Part, ServiceReport
from shop_desk.services.documents import (
    ShopHeader,
    SignatureImage,
    shop_header,
    signature_image,
    staff_name,
)
from shop_desk.services.documents import find_field_job as find_job
from shop_desk.services.field import closing_gaps, crew, quote_total
from shop_desk.validation import display_plate


@dataclass
class FieldHead:
    """What both field forms show at the top."""

    shop: ShopHeader
    number: str
    kind: str
    state: str
    within_warranty: bool
    customer_name: str
    customer_company: str
    customer_phone: str
    place: str
    description: str
    plate: str
    vin: str
    make: str
    model: str
    crew: list[str]
    required_arrival_at: dt.datetime
    promised_arrival_at: dt.datetime | None
    arrived_at: dt.datetime | None
    order_number: str  # the repair order of a car towed in


@dataclass
class FieldPartRow:
    no: int
    part_no: str
    name: str
    unit: str
    out: Decimal
    returned: Decimal
    used: Decimal


@dataclass
class DispatchOrderData:
    head: FieldHead
    registered_at: dt.datetime
    registered_by: str
    dispatch_due_at: dt.datetime
    dispatched_at: dt.datetime | None
    dispatched_by: str
    service_vehicle: str
    tools: str
    departed_at: dt.datetime | None
    arrived_late: bool
    late_reason: str
    late_personal: bool
    work_started_at: dt.datetime | None
    work_done: str
    work_done_at: dt.datetime | None
    towed: bool
    called_centre_at: dt.datetime | None
    left_site_at: dt.datetime | None
    left_without_call: bool
    returned_at: dt.datetime | None
    parts: list[FieldPartRow] = field(default_factory=list)
    quote_parts: Decimal | None = None
    quote_labour: Decimal | None = None
    quote_travel: Decimal | None = None
    quote_total: Decimal | None = None
    agreed_by: str = ""
    agreed_at: dt.datetime | None = None
    agreement_method: str = ""
    agreement_signature: SignatureImage | None = None


@dataclass
class ServiceReportData:
    head: FieldHead
    fault_cause: str
    solution: str
    parts_replaced: str
    customer_opinion: str
    written_by: str
    written_at: dt.datetime | None
    complete: bool
    missing: list[str]
    work_done: str
    parts: list[FieldPartRow]
    satisfaction: int | None
    survey_comments: str
    survey_signature: SignatureImage
    survey_signer: str


def _head(job: FieldJob) -> FieldHead:
    customer = job.customer
    vehicle = job.vehicle
    return FieldHead(
        shop=shop_header(),
        number=job.number,
        kind=kind_label(job.kind),
        state=state_label(job.state),
        within_warranty=job.within_warranty,
        customer_name=customer.name,
        customer_company=customer.company or "",
        customer_phone=customer.phone or "",
        place=job.place,
        description=job.description,
        plate=display_plate(vehicle.plate) if vehicle is not None and vehicle.plate else "",
        vin=vehicle.vin if vehicle is not None else "",
        make=vehicle.make if vehicle is not None else "",
        model=vehicle.model if vehicle is not None else "",
        crew=[person.name for person in crew(job)],
        required_arrival_at=job.required_arrival_at,
        promised_arrival_at=job.promised_arrival_at,
        arrived_at=job.arrived_at,
        order_number=job.order.number if job.order_id is not None else "",
    )


def _parts(job: FieldJob) -> list[FieldPartRow]:
    rows = (
        FieldPart.select(FieldPart, Part)
        .join(Part)
        .where(FieldPart.job == job)
        .order_by(FieldPart.id)
    )
    return [
        FieldPartRow(
            i,
            r.part.part_no,
            r.part.name,
            r.part.unit,
            r.quantity_out,
            r.quantity_returned,
            r.quantity_used,
        )
        for i, r in enumerate(rows, 1)
    ]


def dispatch_order_data(number: str) -> DispatchOrderData:
    """The dispatch order 派遣单: who goes, with what, the times, and what happened on the road."""
    job = find_job(number)
    return DispatchOrderData(
        head=_head(job),
        registered_at=job.registered_at,
        registered_by=staff_name(job.registered_by_id),
        dispatch_due_at=job.dispatch_due_at,
        dispatched_at=job.dispatched_at,
        dispatched_by=staff_name(job.dispatched_by_id),
        service_vehicle=job.service_vehicle,
        tools=job.tools,
        departed_at=job.departed_at,
        arrived_late=job.arrived_late,
        late_reason=job.late_reason,
        late_personal=job.late_personal,
        work_started_at=job.work_started_at,
        work_done=job.work_done,
        work_done_at=job.work_done_at,
        towed=job.towed,
        called_centre_at=job.called_centre_at,
        left_site_at=job.left_site_at,
        left_without_call=job.left_without_call,
        returned_at=job.returned_at,
        parts=_parts(job),
        quote_parts=job.quote_parts,
        quote_labour=job.quote_labour,
        quote_travel=job.quote_travel,
        quote_total=quote_total(job),
        agreed_by=job.agreed_by_customer,
        agreed_at=job.agreed_at,
        agreement_method=job.agreement_method,
        agreement_signature=signature_image(job.agreement_signature, signed_at=job.agreed_at)
        if job.agreement_signature_id is not None
        else None,
    )


def service_report_data(number: str) -> ServiceReportData:
    """The service report 售后服务报告单 and the satisfaction survey 满意度调查表 of one job."""
    job = find_job(number)
    report = ServiceReport.get_or_none(ServiceReport.job == job)
    if report is None:
        report = ServiceReport(job=job)
    return ServiceReportData(
        head=_head(job),
        fault_cause=report.fault_cause,
        solution=report.solution,
        parts_replaced=report.parts_replaced,
        customer_opinion=report.customer_opinion,
        written_by=staff_name(report.written_by_id),
        written_at=report.written_at,
        complete=bool(report.complete),
        missing=closing_gaps(job) if report.id is not None else [],
        work_done=job.work_done,
        parts=_parts(job),
        satisfaction=report.satisfaction,
        survey_comments=report.survey_comments,
        survey_signature=signature_image(
            report.survey_signature if report.survey_signature_id is not None else None,
            on_paper=report.survey_on_paper,
            signed_at=report.survey_at,
        ),
        survey_signer=report.survey_signer,
    )
