"""Staff trained before they work (issue 23, rulebook 篇一): each person's certifications per
skill with their expiry, kept by the admin or manager, and the check dispatch makes.

A person has at most one certification in force per skill: a second one for the same skill
is refused (renew the one there is). Renewing moves its dates in place, the audit log keeps
the old ones. Withdrawing keeps the row for history with who, when and why; it no longer
counts. The dates are always given (the desk passes the clock's day), never read here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from shop_desk import clock
from shop_desk.errors import DomainError, ValidationError
from shop_desk.i18n import shown_name, translate
from shop_desk.models import LabourOperation, Staff, StaffCertification, TeamSkill
from shop_desk.roles import Role
from shop_desk.services.base import (
    audit,
    get,
    is_date,
    optional_text,
    require_choice,
    require_text,
    service,
    snapshot,
)
from shop_desk.skills import skill_label

#: The skills every shop has, in this order; a shop's own skills follow.
STANDARD_SKILLS = ("mechanical", "electrical", "chassis", "body")


def known_skills() -> list[str]:
    """The skills jobs and teams use: the standard ones, then the labour catalogue's and the
    teams' own (so a certification can be recorded for any skill dispatch may ask for)."""
    found = list(STANDARD_SKILLS)
    found += [op.skill for op in LabourOperation.select(LabourOperation.skill).distinct()]
    found += [s.skill for s in TeamSkill.select(TeamSkill.skill).distinct()]
    return list(dict.fromkeys(s for s in found if s))


def certifications_of(
    staff: Staff | int, include_withdrawn: bool = True
) -> list[StaffCertification]:
    """A person's certifications, by skill (withdrawn ones last, for history)."""
    query = StaffCertification.select().where(StaffCertification.staff == staff)
    if not include_withdrawn:
        query = query.where(StaffCertification.withdrawn_at.is_null())
    rows = list(query.order_by(StaffCertification.id))
    order = {code: n for n, code in enumerate(STANDARD_SKILLS)}
    return sorted(
        rows, key=lambda r: (r.withdrawn_at is not None, order.get(r.skill, 99), r.skill, r.id)
    )


def status_text(row: StaffCertification, day: dt.date) -> str:
    """Where a certification stands on ``day``, in words for the admin's list."""
    if row.withdrawn_at is not None:
        return translate("Certifications", "Withdrawn")
    if row.certified_on > day:
        return translate("Certifications", "Not yet valid")
    if row.expires_on is not None and row.expires_on < day:
        return translate("Certifications", "Expired")
    return translate("Certifications", "Valid")


def missing_certifications(
    technician: Staff | int, skills: Iterable[str], on_date: dt.date
) -> list[str]:
    """Which of the needed ``skills`` the person has no valid certification for on
    ``on_date`` (none recorded, withdrawn, expired or not yet begun); sorted codes."""
    needed = {s for s in skills if s}
    if not needed:
        return []
    rows = StaffCertification.select().where(
        (StaffCertification.staff == technician)
        & (StaffCertification.skill.in_(sorted(needed)))
        & (StaffCertification.withdrawn_at.is_null())
    )
    have = {r.skill for r in rows if r.valid_on(on_date)}
    return sorted(needed - have)


# --------------------------------------------------------------------------- checks


def _date(value: Any, label: str, field: str) -> dt.date:
    if not is_date(value):
        raise ValidationError(
            translate("Certifications", "{field} must be a date.").format(field=label), field
        )
    return value


def _dates(certified_on: Any, expires_on: Any) -> tuple[dt.date, dt.date | None]:
    certified = _date(certified_on, translate("Certifications", "Certified on"), "certified_on")
    if expires_on is None:
        return certified, None
    expires = _date(expires_on, translate("Certifications", "Expires on"), "expires_on")
    if expires < certified:
        raise ValidationError(
            translate(
                "Certifications",
                "The certification cannot expire ({expires}) before it was given ({certified}).",
            ).format(expires=expires.isoformat(), certified=certified.isoformat()),
            "expires_on",
        )
    return certified, expires


def _in_force(row: StaffCertification, name: str) -> None:
    if row.withdrawn_at is not None:
        raise DomainError(
            translate(
                "Certifications",
                "The {skill} certification of {name} was withdrawn; record a new one instead.",
            ).format(skill=skill_label(row.skill), name=name)
        )


# --------------------------------------------------------------------------- changes


@service(Role.ADMIN, Role.MANAGER)
def record_certification(
    actor: Staff,
    staff: Staff | int,
    skill: str,
    certified_on: dt.date,
    expires_on: dt.date | None = None,
    issued_by: str = "",
    note: str = "",
) -> StaffCertification:
    """Record that a person is trained or certified for a skill from ``certified_on``
    (until ``expires_on``; None = it does not expire). The issuer (training course) or the
    note (certificate number) is required, so the desk can show what it rests on."""
    person = get(Staff, staff, translate("Certifications", "Staff member"))
    skill = require_choice(skill, known_skills(), translate("Certifications", "Skill"), "skill")
    certified, expires = _dates(certified_on, expires_on)
    issued_by = optional_text(issued_by, translate("Certifications", "Issued by"), 120, "issued_by")
    note = optional_text(
        note, translate("Certifications", "Certificate number or note"), 120, "note"
    )
    if not issued_by and not note:
        raise ValidationError(
            translate(
                "Certifications",
                "Say who issued the certification (the training course) or give its "
                "certificate number.",
            ),
            "issued_by",
        )
    existing = (
        StaffCertification.select()
        .where(
            (StaffCertification.staff == person)
            & (StaffCertification.skill == skill)
            & (StaffCertification.withdrawn_at.is_null())
        )
        .first()
    )
    if existing is not None:
        raise ValidationError(
            translate(
                "Certifications",
                "{name} already has a {skill} certification. Renew that one instead.",
            ).format(name=shown_name(person.name), skill=skill_label(skill)),
            "skill",
        )
    row = StaffCertification.create(
        staff=person,
        skill=skill,
        certified_on=certified,
        expires_on=expires,
        issued_by=issued_by,
        note=note,
        recorded_by=actor,
        recorded_at=clock.now(),
    )
    audit("staff_certification", row.id, None, snapshot(row))
    return row


@service(Role.ADMIN, Role.MANAGER)
def renew_certification(
    actor: Staff,
    certification: StaffCertification | int,
    certified_on: dt.date,
    expires_on: dt.date | None = None,
    note: str | None = None,
) -> StaffCertification:
    """The person passed the training again: the certification runs from ``certified_on``
    to ``expires_on``. A new certificate number replaces the note when given."""
    row = get(StaffCertification, certification, translate("Certifications", "Certification"))
    _in_force(row, shown_name(row.staff.name))
    certified, expires = _dates(certified_on, expires_on)
    if note is not None:
        note = optional_text(
            note, translate("Certifications", "Certificate number or note"), 120, "note"
        )
    before = snapshot(row)
    row.certified_on = certified
    row.expires_on = expires
    if note:
        row.note = note
    row.recorded_by = actor
    row.recorded_at = clock.now()
    row.save()
    audit("staff_certification", row.id, before, snapshot(row))
    return row


@service(Role.ADMIN, Role.MANAGER)
def withdraw_certification(
    actor: Staff, certification: StaffCertification | int, reason: str
) -> StaffCertification:
    """The certification no longer counts (revoked, recorded by mistake); the row stays for
    history with the reason, and dispatch treats the skill as missing from now on."""
    row = get(StaffCertification, certification, translate("Certifications", "Certification"))
    _in_force(row, shown_name(row.staff.name))
    reason = require_text(reason, translate("Certifications", "Reason"), 200, "reason")
    before = snapshot(row)
    row.withdrawn_at = clock.now()
    row.withdrawn_by = actor
    row.withdrawn_reason = reason
    row.save()
    audit("staff_certification", row.id, before, snapshot(row))
    return row
