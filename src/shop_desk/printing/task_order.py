"""Task order 任务委托书: reception data, the estimate, the customer's choices and signatures,
printed as a customer copy (客户联) and an office copy (存根联)."""

from __future__ import annotations

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Table

from shop_desk.i18n import counted, translate
from shop_desk.money import fmt
from shop_desk.printing import labels as L
from shop_desk.printing.layout import (
    FormContext,
    Tag,
    TailTable,
    build_pdf,
    data_table,
    esc,
    gap,
    header,
    info_grid,
    make_context,
    para,
    section,
    signature_row,
    text_box,
    totals_table,
)
from shop_desk.services.documents import LineRow, TaskOrderData

#: Column widths (relative) and alignments of the lines tables (k: a code, kept whole).
_WIDTHS = (8, 21, 57, 12, 15, 19, 15, 18, 22)
_ALIGN = "lklcrrrrc"


def _lines_table(ctx: FormContext, lines: list[LineRow], empty: str = "") -> Table:
    """The estimate's (or one piece of additional work's) lines. A declined line says so and
    shows no amount: nothing of it is to be paid."""
    s = ctx.styles
    rows = []
    for ln in lines:
        note = L.line_status(ln.origin, ln.auth_state, ln.decided_by)
        desc: object = ln.description
        if note or ln.claim_no:
            extra = note
            if ln.claim_no:
                extra = (extra + "; " if extra else "") + translate(
                    "Printing", "claim no. {no}"
                ).format(no=ln.claim_no)
            desc = para(
                f"{esc(ln.description)}<br/><font size='7' color='#555555'>({esc(extra)})</font>",
                s.cell,
            )
        if ln.kind == "labour":
            qty, price = L.number(ln.hours), L.amount(ln.rate)
        else:
            qty = f"{L.number(ln.quantity)} {ln.unit}".strip()
            price = L.amount(ln.unit_price)
        declined = ln.auth_state == "declined"
        rows.append(
            [
                str(ln.no),
                ln.code,
                desc,
                L.line_kind(ln.kind),
                qty,
                price,
                L.amount(ln.discount) if ln.discount and not declined else "",
                "—" if declined else L.amount(ln.amount),
                translate("Printing", "Declined") if declined else L.pay_type(ln.pay_type),
            ]
        )
    head = [
        translate("Printing", "No."),
        translate("Printing", "Code"),
        translate("Printing", "Description"),
        translate("Printing", "Type"),
        translate("Printing", "Hours / qty"),
        translate("Printing", "Rate / unit price (¥)"),
        translate("Printing", "Discount (¥)"),
        translate("Printing", "Amount (¥)"),
        translate("Printing", "Pay type"),
    ]
    if not rows:
        rows.append(["", "", empty, "", "", "", "", "", ""])
    return data_table(ctx, head, rows, _WIDTHS, _ALIGN)


def _estimate_totals(ctx: FormContext, data: TaskOrderData) -> list[Flowable]:
    t = data.totals
    tot: list[tuple[str, str, bool]] = [
        (translate("Printing", "Labour (customer pays)"), fmt(t.labour), False),
        (translate("Printing", "Parts (customer pays)"), fmt(t.parts), False),
    ]
    if t.line_discounts:
        tot.append(
            (translate("Printing", "Line discounts (included above)"), fmt(t.line_discounts), False)
        )
    if t.order_discount:
        tot.append((translate("Printing", "Order discount"), fmt(-t.order_discount), False))
    if t.warranty_claim:
        tot.append(
            (
                translate("Printing", "Warranty claim (no charge to the customer)"),
                fmt(t.warranty_claim),
                False,
            )
        )
    for code in ("internal", "goodwill"):
        if t.by_pay_type.get(code):
            tot.append(
                (
                    translate("Printing", "{pay_type} (no charge to the customer)").format(
                        pay_type=L.pay_type(code)
                    ),
                    fmt(t.by_pay_type[code]),
                    False,
                )
            )
    tot.append(
        (translate("Printing", "Estimated total (customer pays)"), fmt(t.customer_total), True)
    )
    tot.append((translate("Printing", "of which tax"), fmt(t.tax), False))
    return [gap(1.5), totals_table(ctx, tot)]


def _agreements(ctx: FormContext, data: TaskOrderData) -> list[Flowable]:
    s = ctx.styles
    old = "    ".join(
        f"{L.tick(data.old_parts == code)} {L.old_parts(code)}" for code in ("take_home", "dispose")
    )
    wash = "    ".join(f"{L.tick(data.free_wash == v)} {L.yes_no(v)}" for v in (True, False))
    waiting = (
        translate("Printing", "Waits in the lounge")
        if data.customer_waiting
        else translate("Printing", "Leaves; we call when the car is ready")
    )
    grid = info_grid(
        ctx,
        [
            (translate("Printing", "Payment method"), L.payment_method(data.payment_method)),
            (translate("Printing", "Old parts"), old),
            (translate("Printing", "Free car wash"), wash),
            (translate("Printing", "Customer waiting"), waiting),
            (
                translate("Printing", "Delivery"),
                translate(
                    "Printing",
                    "Walk-around with the service advisor at pick-up; the car leaves with a gate pass.",
                ),
            ),
        ],
        columns=2,
        label_width=24 * mm,
        spans=(4,),
    )
    if data.authorisation_via == "in_person":
        rule = translate(
            "Printing",
            "Additional work found during the repair is done only after the customer has agreed to it and "
            "authorised it. The service advisor asks the customer in person before any additional work starts.",
        )
    else:
        rule = translate(
            "Printing",
            "Additional work found during the repair is done only after the customer has agreed to it and "
            "authorised it. The service advisor calls the customer at {phone} before any additional work "
            "starts.",
        ).format(phone=data.authorisation_phone or "—")
    out: list[Flowable] = [
        section(ctx, translate("Printing", "Agreements")),
        grid,
        gap(1.5),
        text_box(ctx, translate("Printing", "Additional work"), rule),
    ]
    out.append(gap(1.5))
    out.append(
        Paragraph(
            esc(
                translate(
                    "Printing",
                    "By signing, the customer confirms the complaint, the vehicle's condition and the estimate above "
                    "and asks the shop to carry out the work.",
                )
            ),
            s.small,
        )
    )
    return out


def _additional(ctx: FormContext, data: TaskOrderData) -> list[Flowable]:
    """Each decided piece of additional work (增项) after the signed estimate: its lines and its
    own authorisation (who, when, how, the amount), kept together on one page where it fits."""
    out: list[Flowable] = []
    for n, sec in enumerate(data.additional, 1):
        part: list[Flowable] = [
            section(
                ctx,
                translate(
                    "Printing", "Additional work {n} (not part of the signed estimate)"
                ).format(n=n),
            )
        ]
        if sec.reason:
            part.append(text_box(ctx, translate("Printing", "Reason"), sec.reason))
        part.append(_lines_table(ctx, sec.lines))
        declined = sum(1 for ln in sec.lines if ln.auth_state == "declined")
        if declined == len(sec.lines):
            decision = translate("Printing", "Declined")
        elif declined:
            decision = counted(
                declined,
                translate("Printing", "Authorised, {n} line declined"),
                translate("Printing", "Authorised, {n} lines declined"),
            )
        else:
            decision = translate("Printing", "Authorised")
        pairs = [
            (translate("Printing", "Customer's decision"), decision),
            (translate("Printing", "Authorised by"), sec.authorised_by or "—"),
            (translate("Printing", "When"), L.when(sec.authorised_at) or "—"),
            (translate("Printing", "How"), L.auth_method(sec.method)),
            (translate("Printing", "Recorded by"), sec.recorded_by or "—"),
            (translate("Printing", "Amount authorised"), fmt(sec.amount)),
        ]
        part += [gap(1), info_grid(ctx, pairs)]
        if sec.signature is not None:
            part += [
                gap(1),
                signature_row(
                    ctx,
                    [
                        (
                            translate("Printing", "Customer's authorisation"),
                            sec.signature,
                            sec.authorised_by,
                        ),
                    ],
                    height=20 * mm,
                ),
            ]
        if n == len(data.additional):  # the grand total never stands alone on a page
            part += [
                gap(1.5),
                totals_table(
                    ctx,
                    [
                        (
                            translate("Printing", "Estimate plus authorised additional work"),
                            fmt(data.agreed_total),
                            True,
                        )
                    ],
                    width=120 * mm,
                ),
            ]
        out += [gap(2), KeepTogether(part)]
    return out


def _story(ctx: FormContext, data: TaskOrderData) -> list[Flowable]:
    h = data.head
    make_model = " ".join(x for x in (h.make, h.model, str(h.year or "")) if x)
    customer = h.customer_name + (f" ({h.customer_company})" if h.customer_company else "")
    story: list[Flowable] = [Tag("order")]
    story += header(ctx, h.shop, translate("Printing", "Order no."), h.number, copy_box=True)
    story.append(
        info_grid(
            ctx,
            [
                (translate("Printing", "Customer"), customer),
                (translate("Printing", "Phone"), h.customer_phone),
                (translate("Printing", "Plate"), h.plate),
                (translate("Printing", "Make / model"), make_model),
                (translate("Printing", "Colour"), h.colour),
                (translate("Printing", "VIN"), h.vin),
                (translate("Printing", "Odometer"), L.km(h.odometer_km)),
                (translate("Printing", "Fuel level"), L.fuel(data.fuel_level)),
                (translate("Printing", "Service advisor"), h.advisor),
                (translate("Printing", "Check-in time"), L.when(h.checked_in_at or h.created_at)),
                (translate("Printing", "Promised completion"), L.when(h.promised_at)),
                (translate("Printing", "Driving licence"), data.licence_no),
                (translate("Printing", "Maintenance booklet"), data.booklet_no),
                (translate("Printing", "Address"), h.customer_address),
            ],
            spans=(13,),
        )
    )
    story.append(gap(1.5))
    story.append(text_box(ctx, translate("Printing", "Customer's complaint"), data.complaint))
    diagnosis = data.diagnosis
    if data.diagnosis_needed and not diagnosis:
        diagnosis = translate(
            "Printing", "Diagnosis needed: the price is given after the diagnosis."
        )
    story.append(text_box(ctx, translate("Printing", "Diagnosis"), diagnosis))
    warranty = L.warranty_decision(data.warranty_decision)
    if data.warranty_reason:
        warranty = f"{warranty}: {data.warranty_reason}"
    story.append(text_box(ctx, translate("Printing", "Warranty"), warranty))
    story.append(gap(1.5))
    story.append(section(ctx, translate("Printing", "Estimate")))
    table = _lines_table(ctx, data.lines, translate("Printing", "No work lines yet."))
    # what the customer signs stays on the page of the estimate's last lines
    tail = _estimate_totals(ctx, data)
    tail.append(gap(1.5))
    tail += _agreements(ctx, data)
    tail.append(gap(2))
    tail.append(
        signature_row(
            ctx,
            [
                (
                    translate("Printing", "Customer signature"),
                    data.customer_signature,
                    h.customer_name,
                ),
                (translate("Printing", "Service advisor"), data.advisor_signature, h.advisor),
            ],
        )
    )
    story.append(TailTable(ctx, table, tail))
    story += _additional(ctx, data)
    if data.leader_advice:  # given at the team leader's check, after the customer signed
        story += [
            gap(2),
            text_box(
                ctx, translate("Printing", "Team-leader advice"), "\n".join(data.leader_advice)
            ),
        ]
    return story


def render(data: TaskOrderData, copy_mark: bool = False) -> bytes:
    """Both copies: the pages are laid out once and written as 客户联, then as 存根联."""
    copies = (translate("Printing", "Customer copy"), translate("Printing", "Office copy"))
    ctx = make_context(
        data.head.shop, translate("Printing", "Task order"), data.head.number, copy_mark, A4, copies
    )
    return build_pdf(_story(ctx, data), ctx, A4)
