"""Insurance repairs (PROCESS.md "Insurance repairs 保险理赔"): the accident car, the claim, the
loss assessment (定损) and supplementary assessments (追加定损), and the settlement split
between the insurer and the customer.

The split is derived from the order's insurance lines (pay type "insurance") and the claim:
the insurer pays what its assessment covers, less the excess and the betterment; the customer
pays those and whatever the shop's price is above the assessment, plus the lines they pay
anyway. A supplementary assessment waits for the insurer under the very rule additional work
waits for the customer (:func:`shop_desk.services.workshop.open_request`).

What the insurer owes and pays is in :mod:`shop_desk.services.insurer_accounts`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from shop_desk import clock
from shop_desk.errors import TransitionRefused, ValidationError
from shop_desk.i18n import join_list, translate
from shop_desk.models import (
    AdditionalWorkRequest,
    AssessedLine,
    ClaimPhoto,
    InsuranceClaim,
    Insurer,
    JobLine,
    RepairOrder,
    Staff,
)
from shop_desk.models.insurance import FAULT_PARTIES
from shop_desk.money import fmt, money, total
from shop_desk.roles import Role
from shop_desk.services import workshop
from shop_desk.services.base import (
    audit,
    get,
    is_date,
    optional_text,
    require_decimal,
    require_text,
    row_id,
    service,
    shown,
    snapshot,
)
from shop_desk.services.orders import ensure_editable, line_total, load_order, touch
from shop_desk.services.reception import checked_photos

INSURED = "insurance"


# --------------------------------------------------------------------------- catalogue


def insurers(active_only: bool = True) -> list[Insurer]:
    query = Insurer.select().order_by(Insurer.name)
    if active_only:
        query = query.where(Insurer.active == True)  # noqa: E712
    return list(query)


@service(Role.ADMIN, Role.MANAGER)
def save_insurer(
    actor: Staff,
    name: str,
    contact: str = "",
    insurer: Insurer | int | None = None,
    active: bool = True,
) -> Insurer:
    """Add an insurer to the catalogue or change one (名称 must be unique)."""
    name = require_text(name, translate("Insurance", "Insurer"), 100, "name")
    contact = optional_text(contact, translate("Insurance", "Contact"), 200, "contact")
    row = get(Insurer, insurer, translate("Insurance", "Insurer")) if insurer is not None else None
    clash = Insurer.get_or_none(Insurer.name == name)
    if clash is not None and (row is None or clash.id != row.id):
        raise ValidationError(
            translate("Insurance", "An insurer named {name} exists already.").format(name=name),
            "name",
        )
    before = snapshot(row)
    if row is None:
        row = Insurer.create(name=name, contact=contact, active=bool(active))
    else:
        row.name, row.contact, row.active = name, contact, bool(active)
        row.save()
    audit("insurer", row.id, before or None, snapshot(row))
    return row


# --------------------------------------------------------------------------- the claim


def claim_of(order: RepairOrder | int) -> InsuranceClaim | None:
    order_id = order.id if isinstance(order, RepairOrder) else row_id(order)
    return InsuranceClaim.get_or_none(InsuranceClaim.order == order_id)


def _claim(order: RepairOrder) -> InsuranceClaim:
    claim = claim_of(order)
    if claim is None:
        raise TransitionRefused(
            translate(
                "Insurance",
                "Order {number} has no insurance claim: record the insurer and the claim report "
                "number at reception first.",
            ).format(number=order.number)
        )
    return claim


def fault_party_label(code: str) -> str:
    return {
        "unknown": translate("Insurance", "Not known yet"),
        "own": translate("Insurance", "Our customer"),
        "other": translate("Insurance", "The other party"),
        "shared": translate("Insurance", "Shared"),
    }.get(code, code)


def _optional_date(value: Any, label: str, name: str) -> dt.date | None:
    if value is None:
        return None
    if not is_date(value):
        raise ValidationError(
            translate("Insurance", "{field} must be a date.").format(field=label), name
        )
    return value


@service(Role.ADVISOR)
def mark_accident_car(actor: Staff, order: RepairOrder | int, accident: bool = True) -> RepairOrder:
    """Mark (or unmark) an accident car (事故车): it is then not handed over at peak hours."""
    order = load_order(order)
    ensure_editable(order)
    if not isinstance(accident, bool):
        raise ValidationError(translate("Insurance", "Say yes or no: accident car."), "accident")
    if not accident and claim_of(order) is not None:
        raise TransitionRefused(
            translate(
                "Insurance",
                "Order {number} has an insurance claim: it stays an accident car.",
            ).format(number=order.number)
        )
    before = {"accident_car": order.accident_car}
    order.accident_car = accident
    touch(order, actor)
    audit("repair_order", order.id, before, {"accident_car": accident})
    return order


@service(Role.ADVISOR)
def record_claim(
    actor: Staff,
    order: RepairOrder | int,
    insurer: Insurer | int,
    claim_report_no: str,
    policy_no: str = "",
    accident_date: dt.date | None = None,
    fault_party: str = "unknown",
    excess: Any = "0",
    betterment: Any = "0",
) -> InsuranceClaim:
    """The insurance claim of an accident car (报案号, policy, accident date, who is at fault,
    the excess and betterment the customer pays); the order becomes an accident car."""
    order = load_order(order)
    ensure_editable(order)
    company = get(Insurer, insurer, translate("Insurance", "Insurer"))
    report_no = require_text(
        claim_report_no, translate("Insurance", "Claim report number"), 60, "claim_report_no"
    )
    policy = optional_text(policy_no, translate("Insurance", "Policy number"), 60, "policy_no")
    when = _optional_date(accident_date, translate("Insurance", "Accident date"), "accident_date")
    if when is not None and when > clock.now().date():
        raise ValidationError(
            translate("Insurance", "The accident date lies in the future."), "accident_date"
        )
    if fault_party not in FAULT_PARTIES:
        raise ValidationError(
            translate("Insurance", "Who is at fault: {value} is not one of the choices.").format(
                value=shown(fault_party)
            ),
            "fault_party",
        )
    values = {
        "insurer": company,
        "claim_report_no": report_no,
        "policy_no": policy,
        "accident_date": when,
        "fault_party": fault_party,
        "excess": money(require_decimal(excess, translate("Insurance", "Excess"), field="excess")),
        "betterment": money(
            require_decimal(betterment, translate("Insurance", "Betterment"), field="betterment")
        ),
    }
    claim = claim_of(order)
    before = snapshot(claim)
    if claim is None:
        claim = InsuranceClaim.create(order=order, created_at=clock.now(), **values)
    else:
        for key, value in values.items():
            setattr(claim, key, value)
        claim.version += 1
        claim.save()
    audit("insurance_claim", claim.id, before or None, snapshot(claim))
    if not order.accident_car:
        audit("repair_order", order.id, {"accident_car": False}, {"accident_car": True})
        order.accident_car = True
    touch(order, actor)
    return claim


@service(Role.ADVISOR)
def add_claim_photos(
    actor: Staff, order: RepairOrder | int, photos: list[tuple[str, bytes]]
) -> list[ClaimPhoto]:
    """Photos of the accident damage for the insurer (kept with the claim)."""
    order = load_order(order)
    claim = _claim(order)
    rows = checked_photos(photos)
    if not rows:
        raise ValidationError(translate("Insurance", "Choose at least one photo."), "photos")
    added = []
    for name, data in rows:
        photo = ClaimPhoto.create(claim=claim, filename=name, image=data, added_at=clock.now())
        audit("claim_photo", photo.id, None, snapshot(photo))
        added.append(photo)
    return added


def _insured_line(order: RepairOrder, key: Any) -> JobLine:
    line_id = key.id if isinstance(key, JobLine) else row_id(key)
    line = JobLine.get_or_none(JobLine.id == line_id) if line_id is not None else None
    if line is None or line.order_id != order.id:
        raise ValidationError(
            translate("Insurance", "Line {line} is not a line of order {number}.").format(
                line=shown(key), number=order.number
            ),
            "lines",
        )
    if line.auth_state == "declined":
        raise ValidationError(
            translate("Insurance", "{line} was declined; it is not repaired.").format(
                line=line.description
            ),
            "lines",
        )
    return line


@service(Role.ADVISOR)
def record_assessment(
    actor: Staff,
    order: RepairOrder | int,
    assessor_name: str,
    assessed_on: dt.date,
    line_amounts: Mapping[Any, Any] | None = None,
    total_amount: Any = None,
) -> InsuranceClaim:
    """The insurer's loss assessment (定损): a figure per line (those lines become insurance
    lines) or one total for the insurance lines, with the assessor and the date. The repair
    is done against it; hidden damage needs a supplementary assessment."""
    order = load_order(order)
    ensure_editable(order)
    claim = _claim(order)
    assessor = require_text(assessor_name, translate("Insurance", "Assessor"), 60, "assessor_name")
    if not is_date(assessed_on):
        raise ValidationError(
            translate("Insurance", "Give the date of the assessment."), "assessed_on"
        )
    if line_amounts is not None and not isinstance(line_amounts, Mapping):
        raise ValidationError(
            translate("Insurance", "Give the assessed amount of each line."), "line_amounts"
        )
    figures = {}
    for key, value in dict(line_amounts or {}).items():
        line = _insured_line(order, key)
        figures[line.id] = (
            line,
            money(require_decimal(value, translate("Insurance", "Assessed amount"), field="lines")),
        )
    whole = (
        None
        if total_amount in (None, "")
        else money(
            require_decimal(
                total_amount, translate("Insurance", "Assessed total"), field="total_amount"
            )
        )
    )
    if not figures and whole is None:
        raise ValidationError(
            translate("Insurance", "Give the assessed amount per line or in total."),
            "line_amounts",
        )
    if whole is not None and not figures and not insured_lines(order, done=False):
        raise ValidationError(
            translate(
                "Insurance",
                "No line of order {number} is paid by the insurance: give the assessed amount "
                "per line (those lines become insurance lines), or set their pay type first.",
            ).format(number=order.number),
            "total_amount",
        )
    before = snapshot(claim)
    for line, amount in figures.values():
        if line.pay_type != INSURED:
            audit("job_line", line.id, {"pay_type": line.pay_type}, {"pay_type": INSURED})
            line.pay_type = INSURED
            line.save()
        row = AssessedLine.get_or_none(AssessedLine.line == line)
        if row is None:
            row = AssessedLine.create(claim=claim, line=line, amount=amount)
        else:
            row.amount = amount
            row.save()
        audit("assessed_line", row.id, None, snapshot(row))
    claim.assessor_name = assessor
    claim.assessed_on = assessed_on
    claim.assessed_total = whole
    claim.version += 1
    claim.save()
    audit("insurance_claim", claim.id, before, snapshot(claim))
    touch(order, actor)
    return claim


# --------------------------------------------------------------------------- supplements


@service(Role.TECHNICIAN, Role.TEAM_LEADER, Role.SUPERVISOR)
def propose_supplement(
    actor: Staff,
    order: RepairOrder | int,
    lines: list[dict[str, Any]],
    reason: str,
    expected_version: int | None = None,
) -> AdditionalWorkRequest:
    """Hidden damage found in the workshop on an insured order: a supplementary assessment
    (追加定损) the insurer must approve. The order waits exactly as for additional work (增项),
    with the insurer in place of the customer."""
    order = load_order(order, expected_version)
    _claim(order)
    if not isinstance(lines, list | tuple):
        lines = None  # open_request refuses it in words
    items = [
        {**item, "pay_type": INSURED} if isinstance(item, Mapping) else item
        for item in (lines or [])
    ]
    return workshop.open_request(actor, order, items, reason, expected_version, "insurer")


def _answer(value: Any) -> Decimal | None:
    """The insurer's answer on one line: an approved amount, or "declined" (None)."""
    if value == "declined":
        return None
    return money(
        require_decimal(value, translate("Insurance", "Approved amount"), field="decisions")
    )


@service(Role.ADVISOR)
def record_supplement_answer(
    actor: Staff,
    request: AdditionalWorkRequest | int,
    answers: Mapping[Any, Any],
    assessor_name: str,
) -> AdditionalWorkRequest:
    """The insurer's answer on a supplementary assessment, per line: the approved amount, or
    "declined" (the line is not done). The work resumes as after the customer's authorisation."""
    request = workshop.pending_request(
        request, "insurer", translate("Insurance", "record the insurer's answer")
    )
    assessor = require_text(assessor_name, translate("Insurance", "Assessor"), 60, "assessor_name")
    chosen = workshop.request_decisions(request, answers, _answer)
    claim = _claim(request.order)
    outcome = {}
    for line_id, amount in chosen.items():
        outcome[line_id] = "declined" if amount is None else "authorised"
        if amount is not None:
            row = AssessedLine.create(claim=claim, line=line_id, amount=amount, request=request)
            audit("assessed_line", row.id, None, snapshot(row))
    return workshop.decide_request(actor, request, outcome, "insurer", assessor)


def _customer_copy(line: JobLine) -> JobLine | None:
    """The customer's own additional line for ``line`` (declined by the insurer), if the
    customer was asked after the insurer's answer: the same work, proposed since."""
    request = line.request
    return (
        JobLine.select()
        .join(AdditionalWorkRequest, on=(JobLine.request == AdditionalWorkRequest.id))
        .where(
            (JobLine.order == line.order_id)
            & (AdditionalWorkRequest.decided_by == "customer")
            & (AdditionalWorkRequest.proposed_at >= request.auth_at)
            & (JobLine.kind == line.kind)
            & (JobLine.description == line.description)
            & (JobLine.labour_op == line.labour_op_id)
            & (JobLine.part == line.part_id)
        )
        .first()
    )


def declined_by_insurer(request: AdditionalWorkRequest | int) -> list[JobLine]:
    """Lines of a supplementary assessment the insurer declined that the customer has not
    been asked to pay yet (the advisor may still offer them to the customer)."""
    request = get(
        AdditionalWorkRequest, request, translate("Insurance", "Supplementary assessment")
    )
    if request.decided_by != "insurer" or request.state != "decided":
        return []
    lines = JobLine.select().where(
        (JobLine.request == request) & (JobLine.auth_state == "declined")
    )
    return [ln for ln in lines.order_by(JobLine.sort) if _customer_copy(ln) is None]


@service(Role.ADVISOR)
def customer_pays_declined(
    actor: Staff,
    request: AdditionalWorkRequest | int,
    lines: Iterable[Any],
    method: str,
    customer_name: str,
    signature_png: bytes | None = None,
) -> AdditionalWorkRequest:
    """The insurer declined lines of a supplementary assessment and the customer agreed to
    pay them: they become the customer's additional work (pay type customer), authorised by
    the customer through the one authorisation of additional work. The insurer's declined
    lines stay as answered; the car's record of declined work keeps only the lines the advisor
    leaves out (they stay declined)."""
    request = get(
        AdditionalWorkRequest, request, translate("Insurance", "Supplementary assessment")
    )
    open_lines = {ln.id: ln for ln in declined_by_insurer(request)}
    if not open_lines:
        raise TransitionRefused(
            translate(
                "Insurance",
                "Nothing of this supplementary assessment was declined by the insurer and is "
                "left for the customer to pay.",
            )
        )
    chosen = []
    for key in lines if isinstance(lines, list | tuple | set) else []:
        line_id = key.id if isinstance(key, JobLine) else row_id(key)
        if line_id not in open_lines:
            raise ValidationError(
                translate(
                    "Insurance",
                    "Line {line} is not a line the insurer declined on this supplementary "
                    "assessment (or the customer was asked already).",
                ).format(line=shown(key)),
                "lines",
            )
        chosen.append(open_lines[line_id])
    if not chosen:
        raise ValidationError(
            translate("Insurance", "Choose the declined lines the customer pays."), "lines"
        )
    items = [
        {
            "kind": ln.kind,
            "labour_op": ln.labour_op_id,
            "part": ln.part_id,
            "description": ln.description,
            "hours": ln.hours,
            "rate": ln.rate,
            "quantity": ln.quantity,
            "unit_price": ln.unit_price,
            "category": ln.category,
            "pay_type": "customer",
        }
        for ln in chosen
    ]
    reason = translate(
        "Insurance", "Declined by the insurer; the customer pays it: {reason}"
    ).format(reason=request.reason)
    own = workshop.open_request(actor, request.order, items, reason, decided_at_once=True)
    decisions = {ln.id: "authorised" for ln in own.lines}
    own = workshop.record_authorisation(
        actor, own, decisions, method, customer_name, signature_png=signature_png
    )
    workshop.update_declined_record(request, declined_by_insurer(request))
    return own


@dataclass(frozen=True)
class Supplement:
    """A supplementary assessment as the desks show it."""

    request: AdditionalWorkRequest
    lines: list[JobLine]
    amounts: dict[int, Decimal]  # approved figure per line id

    @property
    def state(self) -> str:
        """pending | approved | partly | declined."""
        if self.request.state == "pending":
            return "pending"
        states = {ln.auth_state for ln in self.lines}
        if states == {"authorised"}:
            return "approved"
        return "declined" if states == {"declined"} else "partly"


def supplement_state_label(code: str) -> str:
    return {
        "pending": translate("Insurance", "Waiting for the insurer"),
        "approved": translate("Insurance", "Approved"),
        "partly": translate("Insurance", "Partly approved"),
        "declined": translate("Insurance", "Declined"),
    }.get(code, code)


def supplements(order: RepairOrder | int) -> list[Supplement]:
    out = []
    for request in (
        AdditionalWorkRequest.select()
        .where(
            (AdditionalWorkRequest.order == order) & (AdditionalWorkRequest.decided_by == "insurer")
        )
        .order_by(AdditionalWorkRequest.id)
    ):
        lines = list(JobLine.select().where(JobLine.request == request).order_by(JobLine.sort))
        amounts = {
            a.line_id: a.amount
            for a in AssessedLine.select().where(AssessedLine.request == request)
        }
        out.append(Supplement(request, lines, amounts))
    return out


# --------------------------------------------------------------------------- the split


@dataclass
class InsuranceSplit:
    """Who pays the insured work (all amounts tax-inclusive): ``insured`` = ``insurer_part`` +
    ``customer_part``; the customer's part is ``above_assessment`` + ``excess`` + ``betterment``."""

    claim: InsuranceClaim
    insured: Decimal  # the shop's price of the insurance lines
    assessed: Decimal  # what the assessment covers of it
    above_assessment: Decimal  # the price above the assessment (outside it)
    excess: Decimal  # applied (never more than the assessment covers)
    betterment: Decimal
    insurer_part: Decimal
    customer_part: Decimal
    unassessed: list[str] = field(default_factory=list)  # insurance lines without a figure

    @property
    def confirmed(self) -> bool:
        """The insurer confirmed exactly this part (a change since needs confirming again)."""
        c = self.claim.confirmed_amount
        return c is not None and money(c) == self.insurer_part


def insured_lines(order: RepairOrder, done: bool = True) -> list[JobLine]:
    """The authorised insurance lines (the billed ones: done, unless ``done`` is False)."""
    query = JobLine.select().where(
        (JobLine.order == order)
        & (JobLine.pay_type == INSURED)
        & (JobLine.auth_state == "authorised")
    )
    if done:
        query = query.where(JobLine.work_state == "done")
    return list(query)


def assessed_amounts(order: RepairOrder | int) -> dict[int, Decimal]:
    """The assessment's figure per line id of ``order`` (lines without one are left out)."""
    return {
        a.line_id: a.amount
        for a in AssessedLine.select().join(JobLine).where(JobLine.order == order)
    }


def settlement_split(
    order: RepairOrder | int, lines: Iterable[JobLine] | None = None
) -> InsuranceSplit | None:
    """The split of ``lines`` (default: the billed insurance lines, authorised and done) for an
    insured order; None when the order has no claim."""
    order = load_order(order)
    claim = claim_of(order)
    if claim is None:
        return None
    insured = [
        ln
        for ln in (lines if lines is not None else insured_lines(order))
        if ln.pay_type == INSURED and ln.auth_state == "authorised"
    ]
    figures = {
        a.line_id: a.amount
        for a in AssessedLine.select().where(AssessedLine.line << [ln.id for ln in insured])
    }
    return _split(claim, insured, figures)


def billed_splits(orders: Iterable[int]) -> dict[int, InsuranceSplit]:
    """:func:`settlement_split` of many insured orders (their billed lines) in three reads:
    a statement lists an insurer's orders, a read per order would grow with them."""
    ids = list(orders)
    claims = {c.order_id: c for c in InsuranceClaim.select().where(InsuranceClaim.order << ids)}
    lines: dict[int, list[JobLine]] = {}
    for ln in (
        JobLine.select()
        .where(
            (JobLine.order << ids)
            & (JobLine.pay_type == INSURED)
            & (JobLine.auth_state == "authorised")
            & (JobLine.work_state == "done")
        )
        .order_by(JobLine.id)
    ):
        lines.setdefault(ln.order_id, []).append(ln)
    figures = {
        a.line_id: a.amount for a in AssessedLine.select().join(JobLine).where(JobLine.order << ids)
    }
    return {oid: _split(claim, lines.get(oid, []), figures) for oid, claim in claims.items()}


def _split(
    claim: InsuranceClaim, insured: list[JobLine], figures: dict[int, Decimal]
) -> InsuranceSplit:
    """The split of the authorised insurance lines ``insured`` under ``claim``, with the
    assessment's figure per line id in ``figures``."""
    per_line, pool, unassessed = [], [], []
    for ln in insured:
        if ln.id in figures:
            per_line.append(min(line_total(ln), money(figures[ln.id])))
        elif claim.assessed_total is not None and ln.request_id is None:
            pool.append(line_total(ln))
        else:
            unassessed.append(ln.description)
    covered = total(per_line)
    if pool:
        covered = money(covered + min(total(pool), money(claim.assessed_total)))
    price = total(line_total(ln) for ln in insured)
    excess = min(money(claim.excess), covered)
    betterment = min(money(claim.betterment), money(covered - excess))
    above = money(price - covered)
    return InsuranceSplit(
        claim=claim,
        insured=price,
        assessed=covered,
        above_assessment=above,
        excess=excess,
        betterment=betterment,
        insurer_part=money(covered - excess - betterment),
        customer_part=money(above + excess + betterment),
        unassessed=unassessed,
    )


def settle_refusal(split: InsuranceSplit | None) -> str | None:
    """Why an insured order cannot be settled yet (None: it can): every insurance line needs
    the assessment's figure, and the insurer must have confirmed its part."""
    if split is None:
        return None
    number = split.claim.order.number
    if split.unassessed:
        return translate(
            "Insurance",
            "The loss assessment has no figure for {lines} on order {number}: record the "
            "insurer's assessment first.",
        ).format(lines=join_list(split.unassessed), number=number)
    if split.insurer_part > 0 and not split.confirmed:
        return translate(
            "Insurance",
            "The insurer has not confirmed its part of {amount} on order {number}: record the "
            "insurer's confirmation first.",
        ).format(amount=fmt(split.insurer_part), number=number)
    return None


@service(Role.ADVISOR, Role.CASHIER)
def confirm_insurer_part(actor: Staff, order: RepairOrder | int) -> InsuranceClaim:
    """Record that the insurer confirmed what it pays on this order (the split as it stands);
    the car can leave once the customer paid their part too."""
    order = load_order(order)
    ensure_editable(order)
    claim = _claim(order)
    split = settlement_split(order)
    if split is None or split.unassessed:
        raise TransitionRefused(settle_refusal(split) or "")
    before = snapshot(claim)
    claim.confirmed_amount = split.insurer_part
    claim.confirmed_at = clock.now()
    claim.confirmed_by = actor
    claim.version += 1
    claim.save()
    audit("insurance_claim", claim.id, before, snapshot(claim))
    return claim
