"""The penalty register (罚款 / 记大过, the rulebook's penalties list): per person, the kind,
the case it came from and the amount the shop's settings set for that kind."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from shop_desk import clock
from shop_desk.errors import DomainError, PermissionDenied, ValidationError
from shop_desk.i18n import translate
from shop_desk.models import Complaint, FieldJob, Penalty, Staff
from shop_desk.money import ZERO, money
from shop_desk.roles import Role
from shop_desk.services.aftercare import add_step
from shop_desk.services.base import (
    audit,
    get,
    require_choice,
    require_decimal,
    require_text,
    service,
    snapshot,
)
from shop_desk.services.orders import settings

KINDS = (
    "late_arrival",
    "no_call",
    "incomplete_report",
    "not_following_dispatch",
    "major_demerit",
    "false_receipt",
    "criticism",
    "bonus_deduction",
)
#: What a verified complaint about a person leads to (篇四: 查实 → 批评, 扣奖金, 记大过), or
#: that the investigation did not bear it out.
COMPLAINT_OUTCOMES = ("unfounded", "criticism", "bonus_deduction", "major_demerit")
#: Complaint causes that, once verified, are a major demerit (记大过): rudeness, asking for
#: money or gifts, delay, a repeat repair (for a personal reason).
DEMERIT_CAUSES = ("rude", "money", "late", "comeback")
#: Complaint states after the investigation: the case is verified.
VERIFIED_STATES = ("measures", "feedback", "follow_up", "closed")
#: Who sees the register.
READERS = frozenset({Role.MANAGER.value, Role.SUPERVISOR.value, Role.ADMIN.value})


def kind_label(kind: str) -> str:
    labels = {
        "late_arrival": translate("Penalties", "Late arrival on site"),
        "no_call": translate("Penalties", "Left the site without calling the service centre"),
        "incomplete_report": translate("Penalties", "Incomplete service report"),
        "not_following_dispatch": translate("Penalties", "Did not follow the dispatch"),
        "major_demerit": translate("Penalties", "Major demerit (verified complaint)"),
        "false_receipt": translate("Penalties", "False receipt in an expense claim"),
        "criticism": translate("Penalties", "Criticism (verified complaint)"),
        "bonus_deduction": translate("Penalties", "Bonus deduction (verified complaint)"),
    }
    return labels.get(kind, kind)


def amount_for(kind: str) -> Decimal:
    """The amount the shop's settings set for one case of ``kind`` (a criticism costs
    nothing; a bonus deduction's amount is the manager's, per case)."""
    return getattr(settings(), f"penalty_{kind}", Decimal("0.00"))


def outcome_label(code: str) -> str:
    return {
        "unfounded": translate("Penalties", "Not borne out by the investigation"),
        "criticism": translate("Penalties", "Criticism (批评)"),
        "bonus_deduction": translate("Penalties", "Bonus deduction (扣奖金)"),
        "major_demerit": translate("Penalties", "Major demerit (记大过)"),
    }.get(code, code)


def add_penalty(
    actor: Staff,
    person: Staff,
    kind: str,
    reason: str,
    job: FieldJob | None = None,
    complaint: Complaint | None = None,
    amount: Decimal | None = None,
) -> Penalty:
    """Enter one case (call inside a service): once per person, kind and case. ``amount``:
    the case's own amount (else the settings' amount for the kind)."""
    existing = Penalty.get_or_none(
        (Penalty.staff == person)
        & (Penalty.kind == kind)
        & (Penalty.job == job if job is not None else Penalty.job.is_null())
        & (Penalty.complaint == complaint if complaint is not None else Penalty.complaint.is_null())
    )
    if existing is not None and (job is not None or complaint is not None):
        return existing
    row = Penalty.create(
        staff=person,
        kind=kind,
        job=job,
        complaint=complaint,
        amount=amount_for(kind) if amount is None else amount,
        reason=reason,
        at=clock.now(),
        by=actor,
    )
    audit("penalty", row.id, None, snapshot(row))
    return row


@service(Role.SUPERVISOR, Role.MANAGER)
def record_not_following_dispatch(
    actor: Staff, person: Staff | int, job: FieldJob | int, reason: str
) -> Penalty:
    """A person did not follow the service centre's dispatch (不服从统一指挥)."""
    who = get(Staff, person, translate("Penalties", "Staff member"))
    field_job = get(FieldJob, job, translate("Field", "Field job"))
    text = require_text(reason, translate("Penalties", "What happened"), 2000, "reason")
    return add_penalty(actor, who, "not_following_dispatch", text, job=field_job)


def _verified_case(complaint: Complaint | int) -> Complaint:
    """A complaint past its investigation that names the person concerned."""
    case = get(Complaint, complaint, translate("Penalties", "Complaint"))
    if case.staff_concerned_id is None:
        raise ValidationError(
            translate("Penalties", "Complaint {number} names no staff member concerned.").format(
                number=case.number
            )
        )
    if case.state not in VERIFIED_STATES:
        raise DomainError(
            translate(
                "Penalties",
                "Complaint {number} is not verified yet: finish the investigation first.",
            ).format(number=case.number)
        )
    return case


def _require_demerit_cause(case: Complaint) -> None:
    if case.cause not in DEMERIT_CAUSES:
        raise DomainError(
            translate(
                "Penalties",
                "Complaint {number} is not about rudeness, money or gifts, delay or a repeat "
                "repair; it is not a major demerit.",
            ).format(number=case.number)
        )


@service(Role.MANAGER)
def demerit_from_complaint(actor: Staff, complaint: Complaint | int) -> Penalty:
    """A verified complaint about rudeness, asking for money or gifts, delay or a repeat
    repair is a major demerit (记大过) for the person it concerns."""
    case = _verified_case(complaint)
    _require_demerit_cause(case)
    return add_penalty(
        actor, case.staff_concerned, "major_demerit", case.description, complaint=case
    )


def complaint_outcome(case: Complaint) -> dict[str, Any] | None:
    """The outcome recorded for the person a complaint concerns (None: not yet)."""
    for step in reversed(json.loads(case.steps or "[]")):
        if step.get("step") == "outcome":
            return step
    return None


@service(Role.MANAGER)
def record_complaint_outcome(
    actor: Staff,
    complaint: Complaint | int,
    outcome: str,
    note: str,
    amount: Any = None,
) -> Complaint:
    """What the investigation found for the person concerned (篇四): not borne out, or
    verified with a criticism, a bonus deduction (its amount) or a major demerit. Written on
    the case and, when verified, in the penalty register; once per complaint."""
    outcome = require_choice(
        outcome, COMPLAINT_OUTCOMES, translate("Penalties", "Outcome"), "outcome"
    )
    text = require_text(note, translate("Penalties", "What the investigation found"), 2000, "note")
    case = _verified_case(complaint)
    if complaint_outcome(case) is not None:
        raise DomainError(
            translate("Penalties", "The outcome of complaint {number} is recorded already.").format(
                number=case.number
            )
        )
    before = snapshot(case)
    if outcome == "major_demerit":
        _require_demerit_cause(case)
        add_penalty(actor, case.staff_concerned, "major_demerit", text, complaint=case)
    elif outcome == "criticism":
        add_penalty(actor, case.staff_concerned, "criticism", text, complaint=case, amount=ZERO)
    elif outcome == "bonus_deduction":
        value = require_decimal(
            amount,
            translate("Penalties", "Amount deducted"),
            Decimal("0.01"),
            Decimal("100000"),
            "amount",
        )
        add_penalty(
            actor, case.staff_concerned, "bonus_deduction", text, complaint=case, amount=value
        )
    add_step(case, actor, "outcome", f"{outcome_label(outcome)}: {text}")
    case.save()
    audit("complaint", case.id, before, snapshot(case))
    return case


def penalties(
    actor: Staff,
    person: Staff | int | None = None,
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
    kind: str | None = None,
) -> list[Penalty]:
    """The register as the manager (or supervisor) sees it, newest first; others are refused."""
    if not isinstance(actor, Staff) or not (actor.role_set() & READERS):
        raise PermissionDenied(
            translate("Penalties", "Only the manager and the supervisor see the penalty register.")
        )
    query = Penalty.select()
    if person is not None:
        query = query.where(
            Penalty.staff == get(Staff, person, translate("Penalties", "Staff member"))
        )
    if kind is not None:
        query = query.where(
            Penalty.kind == require_choice(kind, KINDS, translate("Penalties", "Kind"))
        )
    if start is not None:
        query = query.where(Penalty.at >= start)
    if end is not None:
        query = query.where(Penalty.at < end)
    return list(query.order_by(Penalty.at.desc(), Penalty.id.desc()))


# --------------------------------------------------------------------------- back office reads


@dataclass(frozen=True)
class PersonTotal:
    """One person's line under the register: cases, major demerits and the amount."""

    staff_id: int
    name: str
    cases: int
    demerits: int
    amount: Decimal


def totals_by_person(entries: list[Penalty]) -> list[PersonTotal]:
    """What ``entries`` (a page of the register) add up to per person, the largest first."""
    grouped: dict[int, list[Penalty]] = {}
    for entry in entries:
        grouped.setdefault(entry.staff_id, []).append(entry)
    totals = [
        PersonTotal(
            staff_id=staff_id,
            name=rows[0].staff.name,
            cases=len(rows),
            demerits=sum(1 for r in rows if r.kind == "major_demerit"),
            amount=money(sum((r.amount for r in rows), ZERO)),
        )
        for staff_id, rows in grouped.items()
    ]
    return sorted(totals, key=lambda t: (-t.amount, -t.cases, t.name))


def case_number(entry: Penalty) -> str:
    """The case a penalty came from: the field job's or the complaint's number."""
    if entry.job_id is not None:
        return entry.job.number
    if entry.complaint_id is not None:
        return entry.complaint.number
    return ""


def demerit_candidates() -> list[Complaint]:
    """Verified complaints about rudeness, money or gifts, delay or a repeat repair that name
    a staff member and are not in the register yet: what the manager can turn into a major
    demerit."""
    recorded = Penalty.select(Penalty.complaint).where(
        (Penalty.kind == "major_demerit") & Penalty.complaint.is_null(False)
    )
    return list(
        Complaint.select()
        .where(
            Complaint.cause.in_(DEMERIT_CAUSES)
            & Complaint.state.in_(VERIFIED_STATES)
            & Complaint.staff_concerned.is_null(False)
            & Complaint.id.not_in(recorded)
        )
        .order_by(Complaint.opened_at.desc(), Complaint.id.desc())
    )


def jobs_to_cite(since: dt.datetime) -> list[FieldJob]:
    """Field jobs registered since ``since`` (not called off), newest first: the cases a
    "did not follow the dispatch" entry can come from."""
    return list(
        FieldJob.select()
        .where((FieldJob.registered_at >= since) & (FieldJob.state != "cancelled"))
        .order_by(FieldJob.registered_at.desc(), FieldJob.id.desc())
    )
