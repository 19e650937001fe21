"""Admin: first start, staff and roles, shop settings, teams, catalogues (with CSV import)."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

from shop_desk import clock
from shop_desk.db import write_transaction
from shop_desk.errors import DomainError, ValidationError
from shop_desk.i18n import translate
from shop_desk.models import (
    AuditLog,
    LabourOperation,
    Part,
    ShopSettings,
    Staff,
    StaffRole,
    Team,
    TeamMember,
    TeamSkill,
)
from shop_desk.roles import Role
from shop_desk.services.auth import hash_pin
from shop_desk.services.base import (
    audit,
    get,
    optional_text,
    require_decimal,
    require_int,
    require_list,
    require_text,
    service,
    shown,
    snapshot,
)
from shop_desk.services.orders import settings


def _roles(roles: Any) -> list[str]:
    try:
        values = [Role(r).value for r in roles]
    except (ValueError, TypeError):
        raise ValidationError(translate("Admin", "Unknown role."), "roles") from None
    if not values:
        raise ValidationError(
            translate("Admin", "Give the staff member at least one role."), "roles"
        )
    return sorted(set(values))


def bootstrap_admin(name: str, login: str, pin: str) -> Staff:
    """Create the very first account (administrator + manager) of an empty database."""
    with write_transaction():
        if Staff.select().exists():
            raise DomainError(
                translate("Admin", "Staff accounts exist already; sign in as an administrator.")
            )
        staff = Staff.create(
            name=require_text(name, translate("Admin", "Name"), 60),
            login=require_text(login, translate("Admin", "Login"), 30),
            pin_hash=hash_pin(pin),
        )
        for role in (Role.ADMIN, Role.MANAGER):
            StaffRole.create(staff=staff, role=role.value)
        AuditLog.create(
            at=clock.now(),
            staff=staff,
            staff_name=staff.name,
            action="bootstrap_admin",
            entity="staff",
            entity_id=staff.id,
            after=staff.login,
        )
    return staff


@service(Role.ADMIN)
def create_staff(
    actor: Staff, name: str, login: str, pin: str, roles: list[str], phone: str = ""
) -> Staff:
    login = require_text(login, translate("Admin", "Login"), 30)
    if Staff.select().where(Staff.login == login).exists():
        raise ValidationError(
            translate("Admin", "The login {login} is taken.").format(login=login), "login"
        )
    staff = Staff.create(
        name=require_text(name, translate("Admin", "Name"), 60),
        login=login,
        pin_hash=hash_pin(pin),
        phone=optional_text(phone, translate("Admin", "Phone"), 30),
    )
    for role in _roles(roles):
        StaffRole.create(staff=staff, role=role)
    audit("staff", staff.id, None, {**snapshot(staff), "pin_hash": "***", "roles": _roles(roles)})
    return staff


@service(Role.ADMIN)
def update_staff(
    actor: Staff,
    staff_id: int,
    name: str | None = None,
    roles: list[str] | None = None,
    phone: str | None = None,
    active: bool | None = None,
    pin: str | None = None,
) -> Staff:
    staff = get(Staff, staff_id, translate("Admin", "Staff member"))
    before = {**snapshot(staff), "pin_hash": "***", "roles": sorted(staff.role_set())}
    if name is not None:
        staff.name = require_text(name, translate("Admin", "Name"), 60)
    if phone is not None:
        staff.phone = optional_text(phone, translate("Admin", "Phone"), 30)
    if active is not None:
        if not active and staff.id == actor.id:
            raise ValidationError(translate("Admin", "You cannot deactivate your own account."))
        staff.active = bool(active)
    if pin is not None:
        staff.pin_hash = hash_pin(pin)
        staff.failed_attempts = 0
        staff.locked_until = None
    staff.save()
    if roles is not None:
        new_roles = _roles(roles)
        if staff.id == actor.id and Role.ADMIN.value not in new_roles:
            raise ValidationError(
                translate("Admin", "You cannot remove your own administrator role.")
            )
        StaffRole.delete().where(StaffRole.staff == staff).execute()
        for role in new_roles:
            StaffRole.create(staff=staff, role=role)
    audit(
        "staff",
        staff.id,
        before,
        {**snapshot(staff), "pin_hash": "***", "roles": sorted(staff.role_set())},
    )
    return staff


SETTING_FIELDS = {
    "name": "text",
    "address": "text",
    "phone": "text",
    "tax_rate": "rate",
    "labour_rate": "money",
    "service_interval_km": "int",
    "service_interval_months": "int",
    "comeback_window_days": "int",
    "discount_limit_percent": "percent",
    "follow_up_days": "int",
    "follow_up_retries": "int",
    "workday_start": "time",
    "workday_end": "time",
    "peak_hours": "text",
    "idle_lock_minutes": "int",
    "bays": "int",
    "sanbao_days": "int",
    "sanbao_km": "int",
    "logo": "bytes",
    "penalty_late_arrival": "money",
    "penalty_no_call": "money",
    "penalty_incomplete_report": "money",
    "penalty_not_following_dispatch": "money",
    "penalty_major_demerit": "money",
    "penalty_false_receipt": "money",
    "counter_product_warranty_days": "int",
    "counter_accessory_warranty_days": "int",
    "counter_exchange_days": "int",
    "counter_replacement_days": "int",
}


#: Whole-number settings with a narrower range than 0–10,000,000: the first follow-up call
#: comes within the rulebook's 3 days (回访 within 3 days), and a few tries are enough.
INT_RANGES: dict[str, tuple[int, int]] = {"follow_up_days": (1, 3), "follow_up_retries": (1, 10)}


def setting_label(key: str) -> str:
    """The words for a setting in a refusal."""
    labels = {
        "follow_up_days": translate("Admin", "Follow-up call within (days)"),
        "follow_up_retries": translate("Admin", "Follow-up call attempts"),
    }
    return labels.get(key, key)


@service(Role.ADMIN, Role.MANAGER)
def update_settings(actor: Staff, **changes: Any) -> ShopSettings:
    row = settings()
    before = snapshot(row)
    for key, value in changes.items():
        kind = SETTING_FIELDS.get(key)
        if kind is None:
            raise ValidationError(
                translate("Admin", "Unknown setting {key}.").format(key=shown(key)), key
            )
        if kind == "text":
            value = optional_text(value, key, 200, key)
        elif kind == "int":
            low, high = INT_RANGES.get(key, (0, 10_000_000))
            value = require_int(value, setting_label(key), low, high, key)
        elif kind == "rate":
            value = require_decimal(value, key, Decimal("0"), Decimal("1"), key, places=4)
        elif kind == "percent":
            value = require_decimal(value, key, Decimal("0"), Decimal("100"), key)
        elif kind == "money":
            value = require_decimal(value, key, Decimal("0"), Decimal("100000"), key)
        elif kind == "time":
            text = require_text(value, key, 5, key)
            try:
                hh, mm = (int(x) for x in text.split(":"))
                assert 0 <= hh < 24 and 0 <= mm < 60
            except (ValueError, AssertionError):
                raise ValidationError(translate("Admin", "Times are written HH:MM."), key) from None
            value = f"{hh:02d}:{mm:02d}"
        elif kind == "bytes" and value is not None and not isinstance(value, bytes):
            raise ValidationError(translate("Admin", "The logo must be an image file."), key)
        setattr(row, key, value)
    row.save()
    audit("shop_settings", row.id, before, snapshot(row))
    return row


@service(Role.ADMIN, Role.SUPERVISOR)
def save_team(
    actor: Staff,
    name: str,
    capacity_hours: Any = "16",
    members: list[int] | None = None,
    leader_id: int | None = None,
    skills: list[str] | None = None,
    team_id: int | None = None,
) -> Team:
    name = require_text(name, translate("Admin", "Team name"), 40)
    cap = require_decimal(
        capacity_hours, translate("Admin", "Capacity (hours per day)"), Decimal("0"), Decimal("200")
    )
    existing = get(Team, team_id, translate("Admin", "Team")) if team_id is not None else None
    clash = Team.select().where(Team.name == name)
    if existing is not None:
        clash = clash.where(Team.id != existing.id)
    if clash.exists():
        raise ValidationError(
            translate("Admin", "A team called {name} exists already.").format(name=name), "name"
        )
    staff_rows = None
    if members is not None:
        staff_rows = {
            s.id: s
            for s in (
                get(Staff, sid, translate("Admin", "Staff member"))
                for sid in require_list(members, translate("Admin", "Members"), "members")
            )
        }
    leader = (
        get(Staff, leader_id, translate("Admin", "Team leader")) if leader_id is not None else None
    )
    skill_names = None
    if skills is not None:
        label = translate("Admin", "Skill")
        skill_names = sorted(
            {require_text(s, label, 40) for s in require_list(skills, label, "skills")}
        )
    if existing is None:
        team = Team.create(name=name, capacity_hours=cap)
        before = None
    else:
        team = existing
        before = snapshot(team)
        team.name, team.capacity_hours = name, cap
        team.save()
    if staff_rows is not None:
        TeamMember.delete().where(TeamMember.team == team).execute()
        for staff in staff_rows.values():
            TeamMember.create(
                team=team, staff=staff, is_leader=leader is not None and staff.id == leader.id
            )
    if skill_names is not None:
        TeamSkill.delete().where(TeamSkill.team == team).execute()
        for skill in skill_names:
            TeamSkill.create(team=team, skill=skill)
    audit("team", team.id, before, {**snapshot(team), "members": members, "skills": skills})
    return team


@service(Role.ADMIN, Role.PARTS_CLERK, Role.MANAGER)
def save_labour_operation(
    actor: Staff,
    code: str,
    name: str,
    standard_hours: Any,
    skill: str = "mechanical",
    category: str = "general",
    active: bool = True,
) -> LabourOperation:
    code = require_text(code, translate("Admin", "Code"), 30)
    row = LabourOperation.get_or_none(LabourOperation.code == code)
    before = snapshot(row) if row else None
    values = {
        "name": require_text(name, translate("Admin", "Name"), 120),
        "standard_hours": require_decimal(
            standard_hours, translate("Admin", "Standard hours"), Decimal("0"), Decimal("500")
        ),
        "skill": require_text(skill, translate("Admin", "Skill"), 40),
        "category": require_text(category, translate("Admin", "Category"), 40),
        "active": bool(active),
    }
    if row is None:
        row = LabourOperation.create(code=code, **values)
    else:
        for k, v in values.items():
            setattr(row, k, v)
        row.save()
    audit("labour_operation", row.id, before, snapshot(row))
    return row


@service(Role.ADMIN, Role.PARTS_CLERK, Role.MANAGER)
def save_part(
    actor: Staff,
    part_no: str,
    name: str,
    unit_price: Any,
    stock_qty: Any | None = None,
    bin_location: str = "",
    category: str = "general",
    unit: str = "pc",
    active: bool = True,
) -> Part:
    part_no = require_text(part_no, translate("Admin", "Part number"), 40)
    row = Part.get_or_none(Part.part_no == part_no)
    before = snapshot(row) if row else None
    values = {
        "name": require_text(name, translate("Admin", "Name"), 120),
        "unit_price": require_decimal(
            unit_price, translate("Admin", "Unit price"), Decimal("0"), Decimal("10000000")
        ),
        "bin_location": optional_text(bin_location, translate("Admin", "Bin location"), 40),
        "category": require_text(category, translate("Admin", "Category"), 40),
        "unit": require_text(unit, translate("Admin", "Unit"), 10),
        "active": bool(active),
    }
    if stock_qty is not None:
        values["stock_qty"] = require_decimal(
            stock_qty, translate("Admin", "Stock"), Decimal("0"), Decimal("1000000")
        )
    if row is None:
        row = Part.create(part_no=part_no, **values)
    else:
        for k, v in values.items():
            setattr(row, k, v)
        row.save()
    audit("part", row.id, before, snapshot(row))
    return row


def _csv_rows(text: str, required: tuple[str, ...]) -> list[dict[str, str]]:
    if not isinstance(text, str):
        raise ValidationError(translate("Admin", "The CSV file could not be read as text."))
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    rows = []
    try:
        header = [h.strip() for h in (reader.fieldnames or [])]
        missing = [c for c in required if c not in header]
        if missing:
            raise ValidationError(
                translate("Admin", "The CSV file lacks the columns: {cols}.").format(
                    cols=", ".join(missing)
                )
            )
        for row in reader:
            if None in row:  # more cells than the header has columns
                raise ValidationError(
                    translate("Admin", "Line {n}: more values than the header has columns.").format(
                        n=reader.line_num
                    )
                )
            rows.append({(k or "").strip(): (v or "").strip() for k, v in row.items()})
    except csv.Error as exc:
        raise ValidationError(
            translate("Admin", "Line {n}: the CSV file is malformed ({error}).").format(
                n=reader.line_num, error=exc
            )
        ) from None
    return rows


@service(Role.ADMIN, Role.PARTS_CLERK, Role.MANAGER)
def import_parts_csv(actor: Staff, text: str) -> int:
    """Columns part_no,name,unit_price[,stock_qty,bin_location,category,unit]; all or nothing."""
    rows = _csv_rows(text, ("part_no", "name", "unit_price"))
    for n, row in enumerate(rows, start=2):
        try:
            save_part.__wrapped__(
                actor,
                row["part_no"],
                row["name"],
                row["unit_price"],
                row.get("stock_qty") or None,
                row.get("bin_location", ""),
                row.get("category") or "general",
                row.get("unit") or "pc",
            )
        except ValidationError as exc:
            raise ValidationError(
                translate("Admin", "Line {n}: {error}").format(n=n, error=exc.message)
            ) from None
    return len(rows)


@service(Role.ADMIN, Role.PARTS_CLERK, Role.MANAGER)
def import_labour_csv(actor: Staff, text: str) -> int:
    """Columns code,name,standard_hours[,skill,category]; all or nothing."""
    rows = _csv_rows(text, ("code", "name", "standard_hours"))
    for n, row in enumerate(rows, start=2):
        try:
            save_labour_operation.__wrapped__(
                actor,
                row["code"],
                row["name"],
                row["standard_hours"],
                row.get("skill") or "mechanical",
                row.get("category") or "general",
            )
        except ValidationError as exc:
            raise ValidationError(
                translate("Admin", "Line {n}: {error}").format(n=n, error=exc.message)
            ) from None
    return len(rows)
