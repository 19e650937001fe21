"""The field-service forms on A4: the dispatch order 派遣单 (the dispatch record on paper) and
the service report 售后服务报告单 with the satisfaction survey 满意度调查表 at its foot."""

from __future__ import annotations

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from shop_desk.i18n import translate
from shop_desk.printing import labels as L
from shop_desk.printing.layout import (
    build_pdf,
    gap,
    header,
    info_grid,
    make_context,
    parts_table,
    section,
    signature_row,
    text_box,
)
from shop_desk.services.documents import SignatureImage
from shop_desk.services.field_documents import (
    DispatchOrderData,
    FieldHead,
    FieldPartRow,
    ServiceReportData,
)

PAGE = A4


def _warranty(within: bool) -> str:
    return (
        translate("Printing", "Within warranty (free)")
        if within
        else translate("Printing", "Outside warranty (quoted)")
    )


def _customer_grid(ctx, h: FieldHead) -> Flowable:
    customer = " / ".join(x for x in (h.customer_name, h.customer_company) if x)
    vehicle = " ".join(x for x in (h.plate, h.make, h.model) if x)
    pairs = [
        (translate("Printing", "Customer"), customer),
        (translate("Printing", "Phone"), h.customer_phone),
        (translate("Printing", "Kind of job"), h.kind),
        (translate("Printing", "Vehicle"), vehicle),
        (translate("Printing", "VIN"), h.vin),
        (translate("Printing", "Warranty"), _warranty(h.within_warranty)),
        (translate("Printing", "Place"), h.place),
    ]
    return info_grid(ctx, pairs, spans=(6,))


def _parts_table(ctx, rows: list[FieldPartRow]) -> Flowable:
    return parts_table(
        ctx,
        [
            [
                r.no,
                r.part_no,
                r.name,
                r.unit,
                L.number(r.out),
                L.number(r.returned),
                L.number(r.used),
            ]
            for r in rows
        ],
        [
            translate("Printing", "Taken out"),
            translate("Printing", "Returned"),
            translate("Printing", "Used"),
        ],
        [18, 18, 18],
        "rrr",
        name_width=70,
        empty=translate("Printing", "No parts taken out"),
    )


def render_dispatch_order(data: DispatchOrderData, copy_mark: bool | int = False) -> bytes:
    h = data.head
    ctx = make_context(h.shop, translate("Printing", "Dispatch order"), h.number, copy_mark, PAGE)
    story: list[Flowable] = header(ctx, h.shop, translate("Printing", "Field job no."), h.number)
    story.append(_customer_grid(ctx, h))
    story.append(gap(1.5))
    story.append(text_box(ctx, translate("Printing", "Customer's request"), h.description))
    story.append(section(ctx, translate("Printing", "Dispatch record")))
    story.append(
        info_grid(
            ctx,
            [
                (translate("Printing", "Call registered"), L.when(data.registered_at)),
                (translate("Printing", "Registered by"), data.registered_by),
                (translate("Printing", "Dispatch due"), L.when(data.dispatch_due_at)),
                (translate("Printing", "Dispatched"), L.when(data.dispatched_at)),
                (translate("Printing", "Dispatched by"), data.dispatched_by),
                (translate("Printing", "Service vehicle"), data.service_vehicle),
                (translate("Printing", "Crew"), L.join(h.crew)),
                (
                    translate("Printing", "Customer's required arrival"),
                    L.when(h.required_arrival_at),
                ),
                (translate("Printing", "Promised arrival"), L.when(h.promised_arrival_at)),
                (translate("Printing", "Tools"), data.tools),
            ],
            spans=(9,),
        )
    )
    story.append(section(ctx, translate("Printing", "Parts taken out")))
    story.append(_parts_table(ctx, data.parts))
    if data.quote_total is not None:
        story.append(section(ctx, translate("Printing", "Quote (outside warranty)")))
        story.append(
            info_grid(
                ctx,
                [
                    (translate("Printing", "Parts"), L.amount(data.quote_parts)),
                    (translate("Printing", "Labour"), L.amount(data.quote_labour)),
                    (translate("Printing", "Travel"), L.amount(data.quote_travel)),
                    (translate("Printing", "Total"), L.amount(data.quote_total)),
                    (translate("Printing", "Agreed by"), data.agreed_by),
                    (
                        translate("Printing", "Agreed"),
                        " ".join(
                            x
                            for x in (L.when(data.agreed_at), L.auth_method(data.agreement_method))
                            if x
                        ),
                    ),
                ],
            )
        )
    story.append(section(ctx, translate("Printing", "On the road")))
    late = ""
    if data.arrived_late:
        late = " · ".join(
            x
            for x in (
                translate("Printing", "Late"),
                data.late_reason,
                translate("Printing", "personal reason") if data.late_personal else "",
            )
            if x
        )
    called = (
        translate("Printing", "Left without calling")
        if data.left_without_call
        else L.when(data.called_centre_at)
    )
    story.append(
        info_grid(
            ctx,
            [
                (translate("Printing", "Departed"), L.when(data.departed_at)),
                (translate("Printing", "Arrived on site"), L.when(h.arrived_at)),
                (translate("Printing", "Work started"), L.when(data.work_started_at)),
                (
                    translate("Printing", "Late arrival"),
                    late or (L.yes_no(False) if h.arrived_at else ""),
                ),
                (translate("Printing", "Called the service centre"), called),
                (translate("Printing", "Left the site"), L.when(data.left_site_at)),
                (translate("Printing", "Back at the shop"), L.when(data.returned_at)),
                (
                    translate("Printing", "Towed in"),
                    L.yes_no(data.towed) if data.work_done_at else "",
                ),
                (translate("Printing", "Repair order"), h.order_number),
            ],
        )
    )
    story.append(gap(1.5))
    story.append(text_box(ctx, translate("Printing", "Work done"), data.work_done))
    story.append(gap(3))
    story.append(
        signature_row(
            ctx,
            [
                (translate("Printing", "Dispatched by (supervisor)"), None, data.dispatched_by),
                (translate("Printing", "Crew"), None, L.join(h.crew)),
                (
                    translate("Printing", "Customer (arrival and work)"),
                    data.agreement_signature,
                    data.agreed_by,
                ),
            ],
            height=22 * mm,
        )
    )
    return build_pdf(story, ctx, PAGE)


#: The survey's answers, best first (满意度: 5 very satisfied … 1 very dissatisfied).
def _levels() -> list[tuple[int, str]]:
    return [
        (5, translate("Printing", "Very satisfied")),
        (4, translate("Printing", "Satisfied")),
        (3, translate("Printing", "Neutral")),
        (2, translate("Printing", "Dissatisfied")),
        (1, translate("Printing", "Very dissatisfied")),
    ]


def render_service_report(data: ServiceReportData, copy_mark: bool | int = False) -> bytes:
    h = data.head
    ctx = make_context(h.shop, translate("Printing", "Service report"), h.number, copy_mark, PAGE)
    story: list[Flowable] = header(ctx, h.shop, translate("Printing", "Field job no."), h.number)
    story.append(_customer_grid(ctx, h))
    story.append(gap(1))
    story.append(
        info_grid(
            ctx,
            [
                (translate("Printing", "Crew"), L.join(h.crew)),
                (translate("Printing", "Arrived on site"), L.when(h.arrived_at)),
                (translate("Printing", "Repair order"), h.order_number),
            ],
        )
    )
    story.append(gap(1.5))
    for label, text in (
        (translate("Printing", "Customer's request"), h.description),
        (translate("Printing", "Fault cause"), data.fault_cause),
        (translate("Printing", "Solution"), data.solution or data.work_done),
        (translate("Printing", "Parts replaced"), data.parts_replaced),
        (translate("Printing", "Customer's opinion"), data.customer_opinion),
    ):
        story.append(text_box(ctx, label, text or " \n "))
    if data.missing:
        story.append(gap(1))
        story.append(
            section(
                ctx,
                translate("Printing", "Incomplete: {missing}").format(missing=L.join(data.missing)),
            )
        )
    story.append(section(ctx, translate("Printing", "Parts used")))
    story.append(_parts_table(ctx, data.parts))
    story.append(gap(2))
    story.append(
        signature_row(
            ctx,
            [
                (
                    translate("Printing", "Report written by"),
                    SignatureImage(signed_at=data.written_at, on_paper=True)
                    if data.written_at
                    else None,
                    data.written_by,
                )
            ],
            height=16 * mm,
        )
    )
    story.append(section(ctx, translate("Printing", "Satisfaction survey")))
    answers = "    ".join(
        f"{L.tick(data.satisfaction == score)} {text}" for score, text in _levels()
    )
    story.append(
        info_grid(
            ctx,
            [(translate("Printing", "Overall"), answers)],
            columns=1,
            label_width=26 * mm,
        )
    )
    story.append(gap(1))
    story.append(
        text_box(ctx, translate("Printing", "Customer's comments"), data.survey_comments or " \n ")
    )
    story.append(gap(2))
    story.append(
        signature_row(
            ctx,
            [
                (
                    translate("Printing", "Customer's signature"),
                    data.survey_signature,
                    data.survey_signer,
                )
            ],
            height=24 * mm,
        )
    )
    return build_pdf(story, ctx, PAGE)
