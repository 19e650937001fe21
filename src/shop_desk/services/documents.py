"""Read model of the printed documents: everything a form needs, gathered in one place.

The printing package reads only through these functions, so a form never runs its own queries
and the rules "which document exists when" live here: a check-in sheet needs the walk-around
record, a parts issue slip an issued slip, a settlement slip an active settlement, a gate pass
a settled order with a pass issued. Missing ones raise a DomainError the desk can show.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple

import peewee

from shop_desk import clock
from shop_desk.db import write_transaction
from shop_desk.errors import DomainError, NotFound
from shop_desk.i18n import translate
from shop_desk.models import (
    AdditionalWorkRequest,
    AuditLog,
    CounterCase,
    CounterSale,
    Customer,
    DamageMark,
    FieldJob,
    FollowUp,
    GatePass,
    Inspection,
    InspectionPhoto,
    Insurer,
    JobLine,
    LabourOperation,
    OrderEvent,
    Part,
    PartsIssueLine,
    PartsIssueSlip,
    PartsReturnLine,
    PartsReturnSlip,
    Payment,
    QcCheck,
    Recommendation,
    RepairOrder,
    Settlement,
    ShopSettings,
    Signature,
    Staff,
    SupplierOrder,
    Vehicle,
)
from shop_desk.money import ZERO, amount_in_words, money
from shop_desk.services import insurance, insurer_accounts
from shop_desk.services.base import (
    audit,
    jsonable,
    require_choice,
    require_text,
    retry_when_busy,
    service,
    shown,
    snapshot,
)
from shop_desk.services.checkout import settlement_preview
from shop_desk.services.field import job_by_number
from shop_desk.services.orders import OrderTotals, compute_totals, line_gross, line_total, settings
from shop_desk.services.prepared import Prepared
from shop_desk.states import State
from shop_desk.validation import display_plate

#: Signature.document values this read model looks for (besides the FKs on the rows).
ADVISOR_SIGNATURE_DOC = "task_order_advisor"
CHECK_IN_SIGNATURE_DOC = "check_in_sheet"

#: States in which the order has been settled (a settlement slip and a gate pass may exist).
SETTLED_STATES = frozenset({State.SETTLED, State.LEFT, State.CLOSED})


# --------------------------------------------------------------------------- data classes


@dataclass
class ShopHeader:
    name: str
    address: str
    phone: str
    logo: bytes | None
    tax_rate: Decimal
    extra: dict


@dataclass
class SignatureImage:
    """A signature box's content: the captured image if any, else an empty box (paper)."""

    image: bytes | None = None
    signer: str = ""
    signed_at: dt.datetime | None = None
    on_paper: bool = False


@dataclass
class OrderHead:
    """What every form of one order shows at the top."""

    shop: ShopHeader
    number: str
    state: str
    created_at: dt.datetime | None
    checked_in_at: dt.datetime | None
    promised_at: dt.datetime | None
    delivered_at: dt.datetime | None
    advisor: str
    odometer_km: int | None
    customer_name: str
    customer_company: str
    customer_phone: str
    customer_address: str
    plate: str
    vin: str
    make: str
    model: str
    year: int | None
    colour: str


@dataclass
class LineRow:
    no: int
    kind: str  # labour | part
    code: str
    description: str
    hours: Decimal | None
    rate: Decimal | None
    quantity: Decimal | None
    unit: str
    unit_price: Decimal | None
    gross: Decimal
    discount: Decimal
    amount: Decimal  # after the line discount
    pay_type: str
    origin: str
    auth_state: str
    work_state: str
    claim_no: str = ""
    category: str = ""
    request_id: int | None = None  # the additional-work request (增项) it came with
    decided_by: str = ""  # who decided that request: customer | insurer (追加定损)

    @property
    def customer_amount(self) -> Decimal:
        """What the customer pays for the line: nothing for warranty, internal or goodwill,
        nor for work the customer declined."""
        if self.auth_state == "declined":
            return ZERO
        return self.amount if self.pay_type == "customer" else ZERO


@dataclass
class AdditionalSection:
    """One request for additional work (增项) as the customer decided it: the lines, and who
    authorised them, when and how. A request still awaiting the decision is not printed."""

    reason: str
    proposed_at: dt.datetime | None
    method: str  # in_person | phone | signature ('' when not recorded)
    authorised_by: str  # the customer's side
    authorised_at: dt.datetime | None
    recorded_by: str  # the service advisor who took the decision
    signature: SignatureImage | None
    lines: list[LineRow]

    @property
    def amount(self) -> Decimal:
        """What the customer agreed to pay for this additional work."""
        return money(sum((ln.customer_amount for ln in self.lines), ZERO))


@dataclass
class TaskOrderData:
    head: OrderHead
    fuel_level: int | None
    complaint: str
    diagnosis: str
    diagnosis_needed: bool
    warranty_decision: str
    warranty_reason: str
    licence_no: str
    booklet_no: str
    lines: list[LineRow]
    totals: OrderTotals
    payment_method: str
    old_parts: str
    free_wash: bool
    authorisation_via: str
    authorisation_phone: str
    customer_waiting: bool
    customer_signature: SignatureImage
    advisor_signature: SignatureImage
    leader_advice: list[str] = field(default_factory=list)
    #: Decided additional work (增项), each with its own authorisation, printed after the
    #: signed estimate; ``lines`` and ``totals`` are only what the customer signed for.
    additional: list[AdditionalSection] = field(default_factory=list)
    #: The estimate plus the authorised additional work (what the customer has agreed to).
    agreed_total: Decimal = ZERO


@dataclass
class MarkRow:
    no: int
    view: str
    x: float
    y: float
    kind: str
    note: str
    found_in_workshop: bool


@dataclass
class PhotoRow:
    filename: str
    image: bytes
    caption: str


@dataclass
class CheckInData:
    head: OrderHead
    fuel_level: int
    odometer_km: int
    warning_lights: list[str]
    spare_wheel: bool
    tool_kit: bool
    protective_set: bool
    valuables: str
    notes: str
    marks: list[MarkRow]
    photos: list[PhotoRow]
    recorded_by: str
    recorded_at: dt.datetime | None
    customer_signature: SignatureImage


@dataclass
class IssueRow:
    no: int
    part_no: str
    name: str
    unit: str
    quantity: Decimal
    bin_location: str
    pay_type: str


@dataclass
class PartsSlipData:
    head: OrderHead
    number: str
    issued_at: dt.datetime | None
    issued_by: str
    technician: str
    lines: list[IssueRow]
    signature: SignatureImage


@dataclass
class ReturnRow:
    no: int
    part_no: str
    name: str
    unit: str
    quantity: Decimal
    bin_location: str
    line_left: Decimal  # what the order's line keeps (is charged for) after the return


@dataclass
class PartsReturnData:
    """A return slip 退料单: parts issued to the order and not used, back on the shelf."""

    head: OrderHead
    number: str
    returned_at: dt.datetime | None
    received_by: str
    technician: str
    reason: str
    lines: list[ReturnRow]
    signature: SignatureImage


@dataclass
class PaymentRow:
    method: str
    amount: Decimal
    receipt_no: str
    reference: str
    at: dt.datetime | None
    by: str


@dataclass
class RecommendationRow:
    no: int
    description: str
    safety: bool
    state: str
    signature: SignatureImage


@dataclass
class InsuranceSlip:
    """The insured work on the settlement slip: who pays it (the insurer's part is billed to
    the insurer, the customer's part is in the amount due)."""

    insurer: str
    claim_report_no: str
    policy_no: str
    assessor: str
    insured: Decimal
    assessed: Decimal
    above_assessment: Decimal
    excess: Decimal
    betterment: Decimal
    insurer_part: Decimal
    customer_part: Decimal


def _insurance_slip(order: RepairOrder, lines: list[JobLine]) -> InsuranceSlip | None:
    split = insurance.settlement_split(order, lines)
    if split is None:
        return None
    claim = split.claim
    return InsuranceSlip(
        insurer=claim.insurer.name,
        claim_report_no=claim.claim_report_no,
        policy_no=claim.policy_no,
        assessor=claim.assessor_name,
        insured=split.insured,
        assessed=split.assessed,
        above_assessment=split.above_assessment,
        excess=split.excess,
        betterment=split.betterment,
        insurer_part=split.insurer_part,
        customer_part=split.customer_part,
    )


@dataclass
class SettlementData:
    head: OrderHead
    number: str
    settled_at: dt.datetime | None
    settled_by: str
    lines: list[LineRow]
    labour: Decimal
    parts: Decimal
    line_discounts: Decimal
    order_discount: Decimal
    discount_total: Decimal
    customer_total: Decimal
    tax_total: Decimal
    tax_rate: Decimal
    warranty_total: Decimal
    internal_total: Decimal
    goodwill_total: Decimal
    paid_total: Decimal
    credit_total: Decimal
    amount_in_words: str
    payments: list[PaymentRow]
    recommendations: list[RecommendationRow]
    next_service_date: dt.date | None
    next_service_km: int | None
    follow_up_time: str
    first_service: bool
    customer_signature: SignatureImage
    follow_up_days: int = 3  # the shop's setting: the call comes within this many days
    #: The first service (首保) cost the customer nothing on this slip: only then does the
    #: slip say it was free.
    first_service_free: bool = False
    leader_advice: list[str] = field(default_factory=list)
    #: Who passed the self-check, the team-leader check and the final inspection of the last
    #: round: (stage, name).
    checked_by: list[tuple[str, str]] = field(default_factory=list)
    #: A pro-forma slip (预结算单): the bill as it stands before payment, not a receipt.
    pro_forma: bool = False
    #: an insured order: the split between the insurer and the customer
    insurance: InsuranceSlip | None = None


@dataclass
class GatePassData:
    head: OrderHead
    number: str
    code: str
    issued_at: dt.datetime | None
    issued_by: str
    #: when the car left with it: a used pass prints 已使用 / USED across it
    used_at: dt.datetime | None = None
    #: voided with its settlement: prints 作废 / VOID across it (the gate refuses it)
    void: bool = False


# --------------------------------------------------------------------------- helpers


_STAFF_NAME = Prepared(
    lambda staff_id: Staff.select(Staff.name).where(Staff.id == staff_id).tuples(), int
)


def _staff_names(ids: set[int | None]) -> dict[int, str]:
    """Names of several staff members by id, in one read."""
    wanted = [i for i in ids if i is not None]
    if not wanted:
        return {}
    return dict(Staff.select(Staff.id, Staff.name).where(Staff.id.in_(wanted)).tuples())


def staff_name(staff_id: int | None) -> str:
    """A staff member's name by id ("" for none), without loading the whole row."""
    if staff_id is None:
        return ""
    row = _STAFF_NAME.first(staff_id)
    return row[0] if row else ""


def shop_header(row: ShopSettings | None = None) -> ShopHeader:
    """The printed header from the shop's settings (``row``: already read by the caller)."""
    row = row or settings()
    try:
        extra = json.loads(row.extra or "{}")
    except ValueError:
        extra = {}
    return ShopHeader(
        name=row.name,
        address=row.address,
        phone=row.phone,
        logo=bytes(row.logo) if row.logo else None,
        tax_rate=row.tax_rate,
        extra=extra if isinstance(extra, dict) else {},
    )


def signature_image(
    sig: Signature | None, on_paper: bool = False, signed_at: dt.datetime | None = None
) -> SignatureImage:
    if sig is None:
        return SignatureImage(on_paper=on_paper, signed_at=signed_at)
    return SignatureImage(
        bytes(sig.image) if sig.image else None, sig.signer, signed_at or sig.signed_at, on_paper
    )


_SIGNATURE = Prepared(lambda sig_id: Signature.select().where(Signature.id == sig_id), int)
_SIGNATURE_BY_DOC = Prepared(
    lambda order_id, document: (
        Signature.select()
        .where((Signature.order_id == order_id) & (Signature.document == document))
        .order_by(Signature.signed_at.desc(), Signature.id.desc())
        .limit(1)
    ),
    int,
    str,
)


def _order_with_people() -> peewee.ModelSelect:
    """Orders with their customer and car: every document prints both."""
    return (
        RepairOrder.select(RepairOrder, Customer, Vehicle)
        .join(Customer)
        .switch(RepairOrder)
        .join(Vehicle)
    )


_ORDER_BY_NUMBER = Prepared(
    lambda number: _order_with_people().where(RepairOrder.number == number).limit(1), str
)
_ORDER_BY_ID = Prepared(
    lambda order_id: _order_with_people().where(RepairOrder.id == order_id), int
)


def _sig_fk(row: object) -> Signature | None:
    sig_id = getattr(row, "signature_id", None)
    return None if sig_id is None else _SIGNATURE.first(sig_id)


def _sig_by_doc(order: RepairOrder, document: str) -> Signature | None:
    return _SIGNATURE_BY_DOC.first(order.id, document)


def find_order(number: str) -> RepairOrder:
    """The repair order with this number, or NotFound (the desk typed or scanned it)."""
    text = (number or "").strip()
    order = _ORDER_BY_NUMBER.first(text) if text else None
    if order is None:
        raise NotFound(
            translate("Printing", "There is no repair order {number}.").format(number=text or "?")
        )
    return order


def _head(order: RepairOrder, shop: ShopHeader | None = None) -> OrderHead:
    customer = order.customer
    vehicle = order.vehicle
    return OrderHead(
        shop=shop or shop_header(),
        number=order.number,
        state=order.state,
        created_at=order.created_at,
        checked_in_at=order.checked_in_at,
        promised_at=order.promised_at,
        delivered_at=order.delivered_at,
        advisor=staff_name(order.advisor_id),
        odometer_km=order.odometer_km,
        customer_name=customer.name,
        customer_company=customer.company,
        customer_phone=customer.phone,
        customer_address=customer.address,
        plate=display_plate(vehicle.plate) if vehicle.plate else "",
        vin=vehicle.vin,
        make=vehicle.make,
        model=vehicle.model,
        year=vehicle.year,
        colour=vehicle.colour,
    )


class PrintLine(NamedTuple):
    """One job line as the forms read it: its own columns plus its operation code or part.

    Plain values, not model objects: building 60 JobLine, LabourOperation and Part objects took
    most of a form's data read. ``compute_totals``, ``line_total`` and ``line_gross`` read the
    same attribute names."""

    id: int
    kind: str
    description: str
    hours: Decimal | None
    rate: Decimal | None
    quantity: Decimal | None
    unit_price: Decimal | None
    discount: Decimal | None
    pay_type: str
    origin: str
    auth_state: str
    work_state: str
    warranty_claim_no: str
    op_code: str | None
    part_no: str | None
    unit: str | None
    category: str
    request_id: int | None
    decided_by: str | None  # who decided its request: customer | insurer (None: no request)


_LINES = Prepared(
    lambda order_id: (
        JobLine.select(
            JobLine.id,
            JobLine.kind,
            JobLine.description,
            JobLine.hours,
            JobLine.rate,
            JobLine.quantity,
            JobLine.unit_price,
            JobLine.discount,
            JobLine.pay_type,
            JobLine.origin,
            JobLine.auth_state,
            JobLine.work_state,
            JobLine.warranty_claim_no,
            LabourOperation.code,
            Part.part_no,
            Part.unit,
            JobLine.category,
            JobLine.request,
            AdditionalWorkRequest.decided_by,
        )
        .join(LabourOperation, peewee.JOIN.LEFT_OUTER)
        .switch(JobLine)
        .join(Part, peewee.JOIN.LEFT_OUTER)
        .switch(JobLine)
        .join(
            AdditionalWorkRequest,
            peewee.JOIN.LEFT_OUTER,
            on=(JobLine.request == AdditionalWorkRequest.id),
        )
        .where(JobLine.order == order_id)
        .order_by(JobLine.sort, JobLine.id)
        .tuples()
    ),
    int,
)


def _lines(order: RepairOrder) -> list[PrintLine]:
    """The order's lines with their labour operation code and part (one query)."""
    return [PrintLine._make(row) for row in _LINES.rows(order.id)]


#: Units as the parts catalogue holds them (Chinese, or the English default) → one name each.
_UNIT_KEYS = {
    "个": "pc",
    "件": "pc",
    "只": "pc",
    "pc": "pc",
    "pcs": "pc",
    "桶": "can",
    "can": "can",
    "套": "set",
    "set": "set",
    "对": "pair",
    "副": "pair",
    "pair": "pair",
    "升": "L",
    "l": "L",
    "瓶": "bottle",
    "bottle": "bottle",
    "盒": "box",
    "box": "box",
    "米": "m",
    "m": "m",
    "千克": "kg",
    "公斤": "kg",
    "kg": "kg",
}


def unit_label(unit: str | None) -> str:
    """A part's unit in the form's language (个 → "pc" on an English form, "pc" → 个 on a
    Chinese one); a unit the shop typed that is not a known one is printed as typed."""
    text = (unit or "").strip()
    names = {
        "pc": translate("Units", "pc"),
        "can": translate("Units", "can"),
        "set": translate("Units", "set"),
        "pair": translate("Units", "pair"),
        "L": translate("Units", "L"),
        "bottle": translate("Units", "bottle"),
        "box": translate("Units", "box"),
        "m": translate("Units", "m"),
        "kg": translate("Units", "kg"),
    }
    key = _UNIT_KEYS.get(text) or _UNIT_KEYS.get(text.lower())
    return names[key] if key else text


def _line_rows(lines: list[PrintLine], first_no: int = 1) -> list[LineRow]:
    return [
        LineRow(
            no=i,
            kind=ln.kind,
            code=ln.op_code if ln.op_code is not None else ln.part_no or "",
            description=ln.description,
            hours=ln.hours,
            rate=ln.rate,
            quantity=ln.quantity,
            unit=unit_label(ln.unit),
            unit_price=ln.unit_price,
            gross=line_gross(ln),
            discount=money(ln.discount or ZERO),
            amount=line_total(ln),
            pay_type=ln.pay_type,
            origin=ln.origin,
            auth_state=ln.auth_state,
            work_state=ln.work_state,
            claim_no=ln.warranty_claim_no,
            category=ln.category,
            request_id=ln.request_id,
            decided_by=ln.decided_by or "",
        )
        for i, ln in enumerate(lines, first_no)
    ]


# --------------------------------------------------------------------------- documents


_FUEL_LEVEL = Prepared(
    lambda order_id: (
        Inspection.select(Inspection.fuel_level)
        .where(Inspection.order == order_id)
        .limit(1)
        .tuples()
    ),
    int,
)
_QC_CHECKS = Prepared(
    lambda order_id: (
        QcCheck.select(
            QcCheck.stage, QcCheck.round, QcCheck.passed, QcCheck.advice, Staff.name, QcCheck.at
        )
        .join(Staff, on=(QcCheck.by == Staff.id))
        .where(QcCheck.order == order_id)
        .order_by(QcCheck.at, QcCheck.id)
        .tuples()
    ),
    int,
)

#: The checks of the rulebook's 100 % quality control, in their order.
QC_STAGES = ("self", "leader", "final")


def _leader_advice(checks: list[tuple]) -> list[str]:
    """The team leaders' advice, each with the leader who gave it."""
    return [
        f"{name}: {advice}"
        for stage, _r, _p, advice, name, _at in checks
        if stage == "leader" and advice
    ]


def _checked_by(checks: list[tuple]) -> list[tuple[str, str]]:
    """Who passed each check of the last round: (stage, name), in the order of QC_STAGES."""
    if not checks:
        return []
    last_round = max(row[1] for row in checks)
    passed = {row[0]: row[4] for row in checks if row[1] == last_round and row[2]}
    return [(stage, passed[stage]) for stage in QC_STAGES if stage in passed]


def _additional_sections(lines: list[PrintLine], first_no: int) -> list[AdditionalSection]:
    """The decided additional work of an order, one section per request (in the order they
    were proposed), each with its authorisation. Lines still awaiting the customer's decision
    are left out: the paper shows only what the customer agreed to or declined."""
    decided = [ln for ln in lines if ln.origin == "additional" and ln.auth_state != "proposed"]
    by_request: dict[int | None, list[LineRow]] = {}
    for row, line in zip(_line_rows(decided, first_no), decided, strict=True):
        by_request.setdefault(line.request_id, []).append(row)
    requests = {
        r.id: r
        for r in AdditionalWorkRequest.select().where(
            AdditionalWorkRequest.id.in_([k for k in by_request if k is not None])
        )
    }
    names = _staff_names({r.recorded_by_id for r in requests.values()})
    sections = []
    for request_id, section_lines in by_request.items():
        request = requests.get(request_id) if request_id is not None else None
        if request is None:  # added without a recorded request: authorised, no record of how
            sections.append(AdditionalSection("", None, "", "", None, "", None, section_lines))
            continue
        sig = _sig_fk(request)
        sections.append(
            AdditionalSection(
                reason=request.reason,
                proposed_at=request.proposed_at,
                method=request.auth_method,
                authorised_by=request.auth_by_customer,
                authorised_at=request.auth_at,
                recorded_by=names.get(request.recorded_by_id, ""),
                signature=signature_image(sig, signed_at=request.auth_at)
                if sig is not None
                else None,
                lines=section_lines,
            )
        )
    return sections


def task_order_data(number: str) -> TaskOrderData:
    """The task order 任务委托书: reception data, the estimate the customer signed and the
    customer's choices; additional work follows in sections of its own, each with its
    authorisation, so a reprint shows what was signed as it was signed."""
    order = find_order(number)
    fuel = _FUEL_LEVEL.first(order.id)
    advice = _leader_advice(list(_QC_CHECKS.rows(order.id)))
    advisor_sig = _sig_by_doc(order, ADVISOR_SIGNATURE_DOC)
    all_lines = _lines(order)
    lines = [ln for ln in all_lines if ln.origin != "additional"]
    additional = _additional_sections(all_lines, len(lines) + 1)
    agreed = [ln for ln in all_lines if ln.auth_state == "authorised"]
    shop = shop_header()
    return TaskOrderData(
        head=_head(order, shop),
        fuel_level=fuel[0] if fuel else None,
        complaint=order.complaint_text,
        diagnosis=order.diagnosis,
        diagnosis_needed=order.diagnosis_needed,
        warranty_decision=order.warranty_decision,
        warranty_reason=order.warranty_reason,
        licence_no=order.licence_no,
        booklet_no=order.booklet_no,
        lines=_line_rows(lines),
        totals=compute_totals(lines, order.order_discount, shop.tax_rate),
        payment_method=order.payment_method,
        old_parts=order.old_parts,
        free_wash=order.free_wash,
        authorisation_via=order.authorisation_via,
        authorisation_phone=order.authorisation_phone or order.customer.phone,
        customer_waiting=order.customer_waiting,
        customer_signature=signature_image(_sig_fk(order), order.signed_on_paper, order.signed_at),
        advisor_signature=signature_image(advisor_sig),
        leader_advice=advice,
        additional=additional,
        agreed_total=compute_totals(agreed, order.order_discount, shop.tax_rate).customer_total,
    )


def check_in_data(number: str) -> CheckInData:
    """The vehicle check-in sheet 接车登记表 (needs the walk-around inspection)."""
    order = find_order(number)
    inspection = Inspection.get_or_none(Inspection.order == order)
    if inspection is None:
        raise DomainError(
            translate(
                "Printing",
                "Order {number} has no walk-around inspection yet, so there is no vehicle check-in "
                "sheet to print.",
            ).format(number=order.number)
        )
    try:
        lights = json.loads(inspection.warning_lights or "[]")
    except ValueError:
        lights = []
    marks = [
        MarkRow(i, m.view, m.x, m.y, m.kind, m.note, m.found_in_workshop)
        for i, m in enumerate(
            DamageMark.select().where(DamageMark.inspection == inspection).order_by(DamageMark.id),
            1,
        )
    ]
    photos = [
        PhotoRow(p.filename, bytes(p.image), p.caption)
        for p in InspectionPhoto.select()
        .where(InspectionPhoto.inspection == inspection)
        .order_by(InspectionPhoto.id)
    ]
    sheet_sig = _sig_by_doc(order, CHECK_IN_SIGNATURE_DOC)
    if sheet_sig is not None:
        signature = signature_image(sheet_sig)
    else:  # the customer signs the task order and the check-in sheet together
        signature = signature_image(_sig_fk(order), order.signed_on_paper, order.signed_at)
    return CheckInData(
        head=_head(order),
        fuel_level=inspection.fuel_level,
        odometer_km=inspection.odometer_km or order.odometer_km or 0,
        warning_lights=[str(x) for x in lights] if isinstance(lights, list) else [],
        spare_wheel=inspection.spare_wheel,
        tool_kit=inspection.tool_kit,
        protective_set=inspection.protective_set,
        valuables=inspection.valuables,
        notes=inspection.notes,
        marks=marks,
        photos=photos,
        recorded_by=staff_name(inspection.recorded_by_id),
        recorded_at=inspection.recorded_at,
        customer_signature=signature,
    )


def _slips(number: str, model: Any, made_at: Any) -> tuple[RepairOrder, list[Any]]:
    """The parts slip (``model``: issue or return slips) with this number, or all slips of
    the order with this number in the order they were made."""
    text = (number or "").strip()
    slip = model.get_or_none(model.number == text) if text else None
    if slip is not None:
        return slip.order, [slip]
    order = find_order(text)
    return order, list(model.select().where(model.order == order).order_by(made_at, model.id))


def _slip_lines(
    line_model: Any, slips: list[Any], job_column: Any, make_row: Callable[..., Any]
) -> dict[int, list[Any]]:
    """Every line of these slips in one read, numbered per slip: ``make_row(no, part_no,
    name, unit, quantity, bin_location, job_value)``, ``job_value`` being the line's
    ``job_column`` of its job line. A slip without lines is not in the answer."""
    lines_of: dict[int, list[Any]] = {}
    for slip_id, part_no, name, unit, quantity, bin_location, job_value in (
        line_model.select(
            line_model.slip,
            Part.part_no,
            Part.name,
            Part.unit,
            line_model.quantity,
            Part.bin_location,
            job_column,
        )
        .join(Part)
        .switch(line_model)
        .join(JobLine)
        .where(line_model.slip.in_([s.id for s in slips]))
        .order_by(line_model.id)
        .tuples()
    ):
        rows = lines_of.setdefault(slip_id, [])
        rows.append(
            make_row(
                len(rows) + 1, part_no, name, unit_label(unit), quantity, bin_location, job_value
            )
        )
    return lines_of


def parts_issue_data(number: str) -> list[PartsSlipData]:
    """Parts issue slips 出库单: all slips of a repair order, or the one slip with that number."""
    order, slips = _slips(number, PartsIssueSlip, PartsIssueSlip.issued_at)
    # every issued line of these slips in one read; a slip without lines prints nothing
    lines_of = _slip_lines(PartsIssueLine, slips, JobLine.pay_type, IssueRow)
    slips = [s for s in slips if s.id in lines_of]
    if not slips:
        raise DomainError(
            translate("Printing", "No parts have been issued for order {number} yet.").format(
                number=order.number
            )
        )
    head = _head(order)
    names = _staff_names({s.issued_by_id for s in slips} | {s.technician_id for s in slips})
    result = []
    for s in slips:
        result.append(
            PartsSlipData(
                head=head,
                number=s.number,
                issued_at=s.issued_at,
                issued_by=names.get(s.issued_by_id, ""),
                technician=names.get(s.technician_id, ""),
                lines=lines_of[s.id],
                signature=signature_image(_sig_fk(s), False, s.signed_at),
            )
        )
    return result


def _return_row(*cells: Any) -> ReturnRow:
    """A return slip's line; its last cell, what the order's line keeps, is 0 when empty."""
    *rest, left = cells
    return ReturnRow(*rest, left or ZERO)


def parts_return_data(number: str) -> list[PartsReturnData]:
    """Return slips 退料单: all slips of a repair order, or the one slip with that number."""
    order, slips = _slips(number, PartsReturnSlip, PartsReturnSlip.returned_at)
    lines_of = _slip_lines(PartsReturnLine, slips, JobLine.quantity, _return_row)
    slips = [s for s in slips if s.id in lines_of]
    if not slips:
        raise DomainError(
            translate(
                "Printing", "No parts have been returned to stock for order {number}."
            ).format(number=order.number)
        )
    head = _head(order)
    names = _staff_names({s.received_by_id for s in slips} | {s.technician_id for s in slips})
    return [
        PartsReturnData(
            head=head,
            number=s.number,
            returned_at=s.returned_at,
            received_by=names.get(s.received_by_id, ""),
            technician=names.get(s.technician_id, ""),
            reason=s.reason,
            lines=lines_of[s.id],
            signature=signature_image(_sig_fk(s), False, s.signed_at),
        )
        for s in slips
    ]


_ACTIVE_SETTLEMENT = Prepared(
    lambda order_id: (
        Settlement.select()
        .where((Settlement.order == order_id) & (Settlement.state == "active"))
        .order_by(Settlement.settled_at.desc(), Settlement.id.desc())
        .limit(1)
    ),
    int,
)
_SETTLEMENT_BY_NUMBER = Prepared(
    lambda number: Settlement.select().where(Settlement.number == number).limit(1), str
)
_PAYMENTS = Prepared(
    lambda order_id: (
        Payment.select(
            Payment.method,
            Payment.amount,
            Payment.receipt_no,
            Payment.reference,
            Payment.at,
            Staff.name,
        )
        .join(Staff, peewee.JOIN.LEFT_OUTER, on=(Payment.by == Staff.id))
        .where((Payment.order == order_id) & (Payment.void == False))  # noqa: E712
        .order_by(Payment.at, Payment.id)
        .tuples()
    ),
    int,
)
_RECOMMENDATIONS = Prepared(
    lambda order_id: (
        Recommendation.select(Recommendation, Signature)  # with its signature: no query each
        .join(Signature, peewee.JOIN.LEFT_OUTER, on=(Recommendation.signature == Signature.id))
        .where(Recommendation.order == order_id)
        .order_by(Recommendation.safety.desc(), Recommendation.id)
    ),
    int,
)
_FIRST_FOLLOW_UP = Prepared(
    lambda order_id: (
        FollowUp.select(FollowUp.preferred_time, FollowUp.due_at)
        .where(FollowUp.order == order_id)
        .order_by(FollowUp.id)
        .limit(1)
        .tuples()
    ),
    int,
)


def _active_settlement(order: RepairOrder) -> Settlement | None:
    return _ACTIVE_SETTLEMENT.first(order.id)


def settlement_data(number: str) -> SettlementData:
    """The settlement slip 车辆维修结算单 of a settled order (or by settlement number)."""
    text = (number or "").strip()
    settlement = _SETTLEMENT_BY_NUMBER.first(text) if text else None
    order = find_order(text) if settlement is None else _ORDER_BY_ID.first(settlement.order_id)
    if settlement is None or settlement.state != "active":
        settlement = _active_settlement(order)
    if settlement is None or State(order.state) not in SETTLED_STATES:
        raise DomainError(
            translate(
                "Printing",
                "Order {number} has not been settled yet, so there is no settlement slip to print.",
            ).format(number=order.number)
        )
    return _slip_data(order, settlement)


#: States in which a pro-forma slip makes no sense: nothing done yet, or nothing to pay.
_NO_PRO_FORMA = frozenset({State.BOOKED, State.CANCELLED})


def pro_forma_data(number: str) -> SettlementData:
    """The pro-forma settlement slip 预结算单 of an order not settled yet: the bill as it stands
    (authorised, completed work; discounts; payments so far), for a customer who asks what
    they will pay. Not a receipt; after settlement the settlement slip is the paper."""
    order = find_order(number)
    state = State(order.state)
    if state in SETTLED_STATES:
        raise DomainError(
            translate(
                "Printing",
                "Order {number} is settled: print its settlement slip instead of a pro-forma.",
            ).format(number=order.number)
        )
    if state in _NO_PRO_FORMA:
        raise DomainError(
            translate(
                "Printing",
                "Order {number} has no work to bill, so there is no pro-forma slip to print.",
            ).format(number=order.number)
        )
    return _slip_data(order, None)


def _slip_data(order: RepairOrder, settlement: Settlement | None) -> SettlementData:
    """The settlement slip's content: from the settlement when there is one, else (pro-forma)
    the bill as the checkout desk computes it right now."""
    cfg = settings()
    shop = shop_header(cfg)
    # the slip shows only authorised, completed work (as the settlement counted it)
    done = [ln for ln in _lines(order) if ln.auth_state == "authorised" and ln.work_state == "done"]
    totals = compute_totals(done, order.order_discount, shop.tax_rate)
    payments = [
        PaymentRow(method, amount, receipt_no, reference, at, by or "")
        for method, amount, receipt_no, reference, at, by in _PAYMENTS.rows(order.id)
    ]
    recs = [
        RecommendationRow(
            i,
            r.description,
            r.safety,
            r.state,
            signature_image(
                r.signature if r.signature_id is not None else None,
                r.signed_on_paper,
                r.declined_at,
            ),
        )
        for i, r in enumerate(_RECOMMENDATIONS.rows(order.id), 1)
    ]
    follow_up_time = order.follow_up_time
    if not follow_up_time:
        fu = _FIRST_FOLLOW_UP.first(order.id)
        if fu is not None:
            preferred_time, due_at = fu
            follow_up_time = preferred_time or due_at.strftime("%Y-%m-%d")
    if settlement is not None:
        amounts = {
            "discount_total": settlement.discount_total,
            "customer_total": settlement.customer_total,
            "tax_total": settlement.tax_total,
            "warranty_total": settlement.warranty_total,
            "internal_total": settlement.internal_total,
            "goodwill_total": settlement.goodwill_total,
            "paid_total": settlement.paid_total,
            "credit_total": settlement.credit_total,
        }
    else:
        bill = settlement_preview(order)  # the checkout desk's own bill, as it stands
        amounts = {
            "discount_total": bill.discount_total,
            "customer_total": bill.customer_total,
            "tax_total": bill.tax,
            "warranty_total": bill.warranty_claim,
            "internal_total": bill.internal_total,
            "goodwill_total": bill.goodwill_total,
            "paid_total": bill.paid,
            "credit_total": bill.on_account,
        }
    rows = _line_rows(done)
    maintenance = [ln for ln in rows if ln.category == "maintenance"]
    checks = list(_QC_CHECKS.rows(order.id))
    return SettlementData(
        head=_head(order, shop),
        number=settlement.number if settlement is not None else order.number,
        settled_at=settlement.settled_at if settlement is not None else None,
        settled_by=staff_name(settlement.settled_by_id) if settlement is not None else "",
        lines=rows,
        labour=totals.labour,
        parts=totals.parts,
        line_discounts=totals.line_discounts,
        order_discount=totals.order_discount,
        tax_rate=shop.tax_rate,
        amount_in_words=amount_in_words(amounts["customer_total"]),
        payments=payments,
        recommendations=recs,
        next_service_date=order.next_service_date,
        next_service_km=order.next_service_km,
        follow_up_time=follow_up_time,
        first_service=order.first_service,
        customer_signature=signature_image(_sig_by_doc(order, "settlement")),
        follow_up_days=cfg.follow_up_days,
        first_service_free=order.first_service
        and bool(maintenance)
        and all(ln.customer_amount == ZERO for ln in maintenance),
        leader_advice=_leader_advice(checks),
        checked_by=_checked_by(checks),
        pro_forma=settlement is None,
        insurance=_insurance_slip(order, done),
        **amounts,
    )


def gate_pass_data(number: str) -> GatePassData:
    """The gate pass 出门证: only after settlement, and only once one has been issued.

    By the pass's own number any pass prints, a used or voided one too (the form then says so
    across it); by the order number, the order's current pass."""
    text = (number or "").strip()
    gate = GatePass.get_or_none(GatePass.number == text) if text else None
    order = gate.order if gate is not None else find_order(text)
    own_paper = gate is not None and (gate.void or gate.used_at is not None)
    if not own_paper and State(order.state) not in SETTLED_STATES:
        raise DomainError(
            translate(
                "Printing",
                "Order {number} has not been settled yet; the gate pass is printed after settlement.",
            ).format(number=order.number)
        )
    if gate is None:
        gate = (
            GatePass.select()
            .where((GatePass.order == order) & (GatePass.void == False))  # noqa: E712
            .order_by(GatePass.issued_at.desc(), GatePass.id.desc())
            .first()
        )
    if gate is None:
        raise DomainError(
            translate("Printing", "No gate pass has been issued for order {number} yet.").format(
                number=order.number
            )
        )
    return GatePassData(
        head=_head(order),
        number=gate.number,
        code=gate.code,
        issued_at=gate.issued_at,
        issued_by=staff_name(gate.issued_by_id),
        used_at=gate.used_at,
        void=gate.void,
    )


def available_documents(number: str) -> list[str]:
    """The printable kinds of one order right now (for enabling the print buttons)."""
    order = find_order(number)
    kinds = ["task-order"]
    if Inspection.select().where(Inspection.order == order).exists():
        kinds.append("check-in")
    issued = (
        PartsIssueLine.select().join(PartsIssueSlip).where(PartsIssueSlip.order == order).exists()
    )
    if issued:
        kinds.append("parts-issue")
    returned = (
        PartsReturnLine.select()
        .join(PartsReturnSlip)
        .where(PartsReturnSlip.order == order)
        .exists()
    )
    if returned:
        kinds.append("parts-return")
    if State(order.state) in SETTLED_STATES:
        if _active_settlement(order) is not None:
            kinds.append("settlement")
        if GatePass.select().where((GatePass.order == order) & (GatePass.void == False)).exists():  # noqa: E712
            kinds.append("gate-pass")
    return kinds


# --------------------------------------------------------------------------- printing record

#: Document kinds (as shop_desk.printing.KINDS; repeated here so services need no ReportLab).
#: The field-service forms go by the field job's number (FW…) and most field jobs have no
#: repair order: their prints are kept in the audit log against the field job.
FIELD_DOCUMENT_KINDS = ("dispatch-order", "service-report")
DOCUMENT_KINDS = (
    "task-order",
    "check-in",
    "parts-issue",
    "parts-return",
    "settlement",
    "gate-pass",
    "pro-forma",
    *FIELD_DOCUMENT_KINDS,
    "counter-receipt",
    "supplier-order",
    "test-report",
    "insurer-statement",
)
#: The accessory counter's receipt goes by the sale's receipt number (LS…): a counter sale has
#: no repair order, its prints are counted on the sale.
COUNTER_RECEIPT = "counter-receipt"
#: Papers of their own records, not of a repair order: the supplier order (by its CG… number),
#: a counter case's test report (by the case's TH… or the report's number) and an insurer's
#: statement (by its DZ… number: the insurer and the day). Their prints are kept in the audit
#: log against that record, like the field forms'.
OWN_RECORD_KINDS = {
    "supplier-order": "supplier_order",
    "test-report": "counter_case",
    "insurer-statement": "insurer",
}


def order_of_document(kind: str, number: str) -> RepairOrder:
    """The repair order a document number belongs to (an order, slip, settlement or gate-pass
    number, as the print functions accept them)."""
    text = number.strip() if isinstance(number, str) else ""
    own = {
        "parts-issue": (PartsIssueSlip, PartsIssueSlip.number),
        "parts-return": (PartsReturnSlip, PartsReturnSlip.number),
        "settlement": (Settlement, Settlement.number),
        "gate-pass": (GatePass, GatePass.number),
    }.get(kind)
    if own is not None and text:
        row = own[0].get_or_none(own[1] == text)
        if row is not None:
            return row.order
    return find_order(text)


def _printed_events(order: RepairOrder) -> list[dict]:
    out = []
    for event in OrderEvent.select().where(
        (OrderEvent.order == order) & (OrderEvent.kind == "printed")
    ):
        try:
            data = json.loads(event.data or "{}")
        except ValueError:
            continue
        if isinstance(data, dict):
            out.append(data)
    return out


def find_field_job(number: str) -> FieldJob:
    """A field job by its number (FW…), or NotFound in the user's words."""
    job = job_by_number(number)
    if job is None:
        raise NotFound(
            translate("Field", "Field job {number} was not found.").format(number=shown(number))
        )
    return job


def _own_record(kind: str, number: object) -> tuple[str, int, str] | None:
    """The record a supplier order, test report or insurer's statement is printed from:
    (audit entity, id, its number as printed), or None when there is none."""
    text = number.strip() if isinstance(number, str) else ""
    if not text:
        return None
    if kind == "insurer-statement":
        parsed = insurer_accounts.parse_statement_number(text)
        if parsed is None:
            return None
        insurer_id, day = parsed
        insurer = Insurer.get_or_none(Insurer.id == insurer_id)
        if insurer is None:
            return None
        return "insurer", insurer.id, insurer_accounts.statement_number(insurer, day)
    if kind == "supplier-order":
        row = SupplierOrder.get_or_none(SupplierOrder.number == text.upper())
        return None if row is None else ("supplier_order", row.id, row.number)
    case = CounterCase.get_or_none(CounterCase.number == text.upper()) or CounterCase.get_or_none(
        CounterCase.report_no == text
    )
    return None if case is None else ("counter_case", case.id, case.number)


def _require_own_record(kind: str, number: str) -> tuple[str, int, str]:
    found = _own_record(kind, number)
    if found is None:
        raise NotFound(
            translate("Printing", "There is no {document} {number}.").format(
                document={
                    "supplier-order": translate("Printing", "supplier order"),
                    "insurer-statement": translate("Printing", "insurer's statement"),
                }.get(kind, translate("Printing", "counter case or test report")),
                number=shown(number),
            )
        )
    return found


def _field_prints(job: FieldJob, kind: str) -> int:
    """Prints of one field form: the audit log's print entries of the field job."""
    return _audit_prints("field_job", job.id, kind)


def _audit_prints(entity: str, entity_id: int, kind: str, number: str | None = None) -> int:
    """Prints of a paper kept against its own record: the audit log's print entries (only
    those of ``number`` when given: an insurer has a statement per day)."""
    return len(_audit_print_times(entity, entity_id, kind, number))


def _audit_print_times(
    entity: str, entity_id: int, kind: str, number: str | None = None
) -> list[dt.datetime]:
    """When each of those prints was made, first first."""
    times = []
    for at, after in (
        AuditLog.select(AuditLog.at, AuditLog.after)
        .where(
            (AuditLog.entity == entity)
            & (AuditLog.entity_id == entity_id)
            & (AuditLog.action == "record_printed")
        )
        .order_by(AuditLog.at, AuditLog.id)
        .tuples()
    ):
        try:
            data = json.loads(after or "{}")
        except ValueError:
            continue
        if (
            isinstance(data, dict)
            and data.get("document") == kind
            and (number is None or data.get("number") == number)
        ):
            times.append(at)
    return times


def first_printed_at(kind: str, number: str) -> dt.datetime | None:
    """When a paper of its own record (:data:`OWN_RECORD_KINDS`) was first printed; None
    before its first print. A paper whose figures move with later entries (the insurer's
    statement) reprints what was known then."""
    found = _own_record(kind, number) if kind in OWN_RECORD_KINDS else None
    if found is None:
        return None
    entity, row_id, own = found
    times = _audit_print_times(entity, row_id, kind, own)
    return times[0] if times else None


def print_count(kind: str, number: str) -> int:
    """How often this document went to the printer, at any desk or from the command line.

    A print of the whole order's document (by the order number) and a print by the document's
    own number count for each other: both are the same paper."""
    if kind in FIELD_DOCUMENT_KINDS:
        job = job_by_number(number)
        return 0 if job is None else _field_prints(job, kind)
    if kind == COUNTER_RECEIPT:
        sale = _counter_sale(number)
        return sale.prints if sale is not None else 0
    if kind in OWN_RECORD_KINDS:
        found = _own_record(kind, number)
        if found is None:
            return 0
        entity, row_id, own = found
        return _audit_prints(entity, row_id, kind, own if kind == "insurer-statement" else None)
    try:
        order = order_of_document(kind, number)
    except DomainError:
        return 0
    text = number.strip()
    if text == order.number:  # the order's document: any print of this kind of this order
        return sum(1 for d in _printed_events(order) if d.get("document") == kind)
    wanted = {text, order.number}
    return sum(
        1 for d in _printed_events(order) if d.get("document") == kind and d.get("number") in wanted
    )


def printed_before(kind: str, number: str) -> bool:
    """Was this document printed before, at any desk? Then the next print is a copy (副本)."""
    return print_count(kind, number) > 0


def next_print_no(kind: str, number: str) -> int:
    """The number the next print of this document gets: 1 is the original, 2 the first copy."""
    return print_count(kind, number) + 1


def _document(kind: object, number: object) -> tuple[str, str]:
    """The document a print names, checked before anything is looked up."""
    kind = require_choice(kind, DOCUMENT_KINDS, translate("Printing", "Document"), "kind")
    number = require_text(number, translate("Printing", "Document number"), 40, "number")
    return kind, number


def _counter_sale(number: object) -> CounterSale | None:
    text = number.strip().upper() if isinstance(number, str) else ""
    return CounterSale.get_or_none(CounterSale.number == text) if text else None


def _record_counter_receipt(number: str, print_no: int | None, where: str) -> tuple[int, dict]:
    """Count a print of a counter receipt on its sale: the sale's id and the print's details."""
    sale = _counter_sale(number)
    if sale is None:
        raise NotFound(
            translate("Printing", "There is no counter sale with receipt number {number}.").format(
                number=shown(number)
            )
        )
    data = _print_data(COUNTER_RECEIPT, sale.number, print_no, where)
    sale.prints = max(sale.prints + 1, data["print_no"])
    sale.save()
    return sale.id, {**data, "prints": sale.prints}


def _print_data(kind: str, number: str, print_no: int | None, where: str) -> dict:
    no = print_no if isinstance(print_no, int) and print_no > 0 else next_print_no(kind, number)
    return {"document": kind, "number": number, "copy": no > 1, "print_no": no, "via": where}


def _record(
    actor: Staff | None, kind: str, number: str, print_no: int | None, where: str
) -> OrderEvent:
    kind, number = _document(kind, number)
    order = order_of_document(kind, number)
    return OrderEvent.create(
        order=order,
        kind="printed",
        at=clock.now(),
        by=actor,
        data=json.dumps(jsonable(_print_data(kind, number, print_no, where)), ensure_ascii=False),
    )


@service()
def record_printed(
    actor: Staff, kind: str, number: str, copy: bool = False, print_no: int | None = None
) -> OrderEvent | dict:
    """Record that a document went to the printer (who, when, which print), so reprints
    anywhere in the shop are marked as copies with their number and the order's history shows
    the paper trail. ``print_no``: the number printed on the paper (default: the next one);
    ``copy`` is kept for callers that only know "a copy". A field form's print is kept in
    the audit log against its field job (returned as the entry's details)."""
    kind, number = _document(kind, number)
    if print_no is None and copy:
        print_no = max(2, next_print_no(kind, number))
    if kind in FIELD_DOCUMENT_KINDS:
        job = find_field_job(number)
        data = _print_data(kind, job.number, print_no, "desk")
        audit("field_job", job.id, None, data)
        return data
    if kind == COUNTER_RECEIPT:
        sale_id, data = _record_counter_receipt(number, print_no, "desk")
        audit("counter_sale", sale_id, None, data)
        return data
    if kind in OWN_RECORD_KINDS:
        entity, row_id, own = _require_own_record(kind, number)
        data = _print_data(kind, own, print_no, "desk")
        audit(entity, row_id, None, data)
        return data
    event = _record(actor, kind, number, print_no, "desk")
    audit("order_event", event.id, None, snapshot(event))
    return event


def record_command_line_print(kind: str, number: str, print_no: int) -> OrderEvent | dict:
    """Record a print made with ``shop-desk print`` (no one is signed in there): the paper
    counts like any other, so the next print anywhere is the next copy. The audit entry names
    the command line instead of a person."""

    def entry(entity: str, entity_id: int, after: dict) -> None:
        AuditLog.create(
            at=clock.now(),
            staff=None,
            staff_name=translate("Printing", "command line"),
            action="record_printed",
            entity=entity,
            entity_id=entity_id,
            after=json.dumps(jsonable(after), ensure_ascii=False),
        )

    def attempt() -> OrderEvent | dict:
        with write_transaction():
            if kind in FIELD_DOCUMENT_KINDS:
                job = find_field_job(_document(kind, number)[1])
                data = _print_data(kind, job.number, print_no, "command line")
                entry("field_job", job.id, data)
                return data
            if kind == COUNTER_RECEIPT:
                sale_id, data = _record_counter_receipt(
                    _document(kind, number)[1], print_no, "command line"
                )
                entry("counter_sale", sale_id, data)
                return data
            if kind in OWN_RECORD_KINDS:
                entity, row_id, own = _require_own_record(*_document(kind, number))
                data = _print_data(kind, own, print_no, "command line")
                entry(entity, row_id, data)
                return data
            event = _record(None, kind, number, print_no, "command line")
            entry("order_event", event.id, snapshot(event))
        return event

    return retry_when_busy(attempt)
