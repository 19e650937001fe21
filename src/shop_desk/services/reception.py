"""Reception (接车): check-in, walk-around, complaint, warranty, estimate, task order, handover.

An order is received while *booked* or *checked in*; everything the customer signs on the
task order (任务委托书) — check-in sheet, complaint, estimate lines, promised time and
options — can be changed only until it is signed (:func:`reopen_task_order` takes the
signature back so the customer signs again). :func:`hand_over` passes a signed order to
the workshop. Every edit accepts ``expected_version`` so a second station working on an
old copy is refused instead of overwriting (two-station safety), and every edit is refused
once the order is frozen.

Part lines reserve stock up to what is available (never more); :func:`stock_status`
reports what is still short. Comebacks (same vehicle back within the comeback window after a
delivered order with the same non-maintenance labour operation, or a similar complaint —
Chinese character bigrams / English words, see :func:`texts_match`; a routine service visit
repeated is not a comeback) are flagged at check-in and whenever the complaint or the
labour lines change; the workshop calls :func:`refresh_comeback` when it adds labour.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from shop_desk import clock, diagram
from shop_desk.errors import DomainError, TransitionRefused, ValidationError
from shop_desk.i18n import join_list, translate
from shop_desk.models import (
    Appointment,
    Customer,
    DamageMark,
    Inspection,
    InspectionPhoto,
    JobLine,
    LabourOperation,
    OrderEvent,
    Part,
    Recommendation,
    RepairOrder,
    Signature,
    Staff,
    StaffRole,
    Vehicle,
    WarrantyPolicy,
)
from shop_desk.models.catalogue import CATEGORIES
from shop_desk.models.checkout import PAYMENT_METHODS
from shop_desk.models.orders import PAY_TYPES
from shop_desk.roles import Role
from shop_desk.services import pricing, scheduling, warranty
from shop_desk.services.archive import FINISHED_STATES, finished_date
from shop_desk.services.base import (
    audit,
    get,
    is_datetime,
    optional_text,
    require_choice,
    require_decimal,
    require_int,
    require_list,
    require_text,
    row_id,
    service,
    snapshot,
)
from shop_desk.services.customers import save_odometer, vehicle_label
from shop_desk.services.orders import (
    ensure_editable,
    load_order,
    move,
    next_number,
    settings,
    touch,
)
from shop_desk.states import OPEN_STATES, State, state_label
from shop_desk.validation import check_phone

if TYPE_CHECKING:
    from PIL import Image

RECEPTION_STATES = (State.BOOKED.value, State.CHECKED_IN.value)
DAMAGE_KINDS = ("scratch", "dent", "crack", "chip", "other")
VIEWS = ("top", "front", "rear", "left", "right")
#: Warning-light codes the check-in sheet offers (free codes are accepted too).
WARNING_LIGHTS = (
    "engine",
    "oil",
    "battery",
    "brake",
    "abs",
    "airbag",
    "coolant",
    "tpms",
    "esp",
    "other",
)
OLD_PARTS = ("take_home", "dispose")
AUTHORISATION_VIA = ("phone", "in_person")
WARRANTY_CHOICES = (warranty.COVERED, warranty.NOT_COVERED, warranty.PENDING)
MAX_PHOTO_BYTES = 10 * 1024 * 1024


# ---------------------------------------------------------------------------- guards


def _load(order: RepairOrder | int, expected_version: int | None) -> RepairOrder:
    row = load_order(order, expected_version)
    ensure_editable(row)
    return row


def _ensure_state(order: RepairOrder, states: tuple[str, ...]) -> None:
    if order.state not in states:
        allowed = " / ".join(state_label(s) for s in states)
        raise TransitionRefused(
            translate(
                "Reception",
                "Order {number} is {state}; this is done at reception, while the order is {allowed}.",
            ).format(number=order.number, state=state_label(order.state), allowed=allowed)
        )


def _ensure_unsigned(order: RepairOrder) -> None:
    if order.signed_at is not None:
        raise TransitionRefused(
            translate(
                "Reception",
                "The customer signed the task order of {number} at {time}. To change it, reopen the "
                "task order; the customer then signs again.",
            ).format(number=order.number, time=order.signed_at.strftime("%H:%M"))
        )


def _reception_order(
    order: RepairOrder | int,
    expected_version: int | None,
    states: tuple[str, ...] = RECEPTION_STATES,
) -> RepairOrder:
    row = _load(order, expected_version)
    _ensure_state(row, states)
    _ensure_unsigned(row)
    return row


# ---------------------------------------------------------------------------- comebacks

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_WORD = re.compile(r"[a-z0-9]+")
_STOP_WORDS = {
    "the",
    "and",
    "when",
    "with",
    "from",
    "again",
    "some",
    "sometimes",
    "car",
    "vehicle",
    "check",
    "please",
    "problem",
    "issue",
    "there",
    "this",
    "that",
    "have",
    "has",
    "still",
}
_STOP_BIGRAMS = {
    "检查",
    "一下",
    "问题",
    "有点",
    "时候",
    "车辆",
    "汽车",
    "有时",
    "又出",
    "出现",
    "现了",
}


def text_features(text: str) -> set[str]:
    """Character bigrams of Chinese runs plus English words (simple stem), stop words removed."""
    lowered = (text or "").lower()
    feats: set[str] = set()
    for run in _CJK.findall(lowered):
        if len(run) == 1:
            feats.add(run)
        feats.update(run[i : i + 2] for i in range(len(run) - 1))
    for word in _WORD.findall(lowered):
        if len(word) < 3 or word in _STOP_WORDS:
            continue
        feats.add(word[:-1] if word.endswith("s") and len(word) > 3 else word)
    return feats - _STOP_BIGRAMS


def text_similarity(a: str, b: str) -> float:
    """Overlap coefficient of the features: shared / size of the smaller set (0..1)."""
    fa, fb = text_features(a), text_features(b)
    if not fa or not fb:
        return 0.0
    return len(fa & fb) / min(len(fa), len(fb))


def texts_match(a: str, b: str) -> bool:
    """Two complaints describe the same problem: at least two shared features and half overlap."""
    fa, fb = text_features(a), text_features(b)
    shared = fa & fb
    return len(shared) >= 2 and len(shared) / min(len(fa), len(fb)) >= 0.5


def _labour_ops(order: RepairOrder) -> set[int]:
    """Non-maintenance labour operations of an order (routine services repeat by design)."""
    return {
        line.labour_op_id
        for line in JobLine.select().where(
            (JobLine.order == order)
            & (JobLine.kind == "labour")
            & (JobLine.auth_state != "declined")
            & (JobLine.labour_op.is_null(False))
            & (JobLine.category != "maintenance")
        )
    }


#: Words of a routine-service request (a request, not a problem the customer reports).
ROUTINE_WORDS = ("保养", "首保", "service", "maintenance")


def _routine_service(order: RepairOrder) -> bool:
    """A routine service visit: it asked for a service and had no repair labour (repeats are
    not comebacks). Maintenance-category work done for a problem (e.g. alignment for a car
    pulling to one side) is not routine."""
    text = order.complaint_text.lower()
    if not any(word in text for word in ROUTINE_WORDS):
        return False
    return (
        not JobLine.select()
        .where(
            (JobLine.order == order)
            & (JobLine.kind == "labour")
            & (JobLine.auth_state != "declined")
            & (JobLine.category != "maintenance")
        )
        .exists()
    )


def detect_comeback(order: RepairOrder) -> RepairOrder | None:
    """The earlier finished order this one repeats, within the comeback window, or None."""
    window = dt.timedelta(days=settings().comeback_window_days)
    since = clock.now() - window
    ops = _labour_ops(order)
    text = f"{order.complaint_text} {order.diagnosis}".strip()
    earlier = RepairOrder.select().where(
        (RepairOrder.vehicle == order.vehicle_id)
        & (RepairOrder.id != order.id)
        & (RepairOrder.state.in_(FINISHED_STATES))
    )
    for other in sorted(earlier, key=lambda o: (finished_date(o), o.id), reverse=True):
        if finished_date(other) < since:
            continue
        if ops & _labour_ops(other):
            return other
        if (
            text
            and not _routine_service(other)
            and texts_match(text, f"{other.complaint_text} {other.diagnosis}")
        ):
            return other
    return None


def refresh_comeback(order: RepairOrder) -> RepairOrder | None:
    """Set ``is_comeback``/``comeback_of`` from :func:`detect_comeback` (the caller saves)."""
    found = detect_comeback(order)
    order.is_comeback = found is not None
    order.comeback_of = found
    return found


# ---------------------------------------------------------------------------- check-in


@dataclass
class CheckInResult:
    order: RepairOrder
    comeback_of: RepairOrder | None
    declined_recommendations: list[Recommendation]

    @property
    def is_comeback(self) -> bool:
        return self.comeback_of is not None


def todays_appointment(vehicle: Vehicle | int) -> Appointment | None:
    """The vehicle's appointment booked for today that has not been received yet, if any."""
    start = dt.datetime.combine(clock.today(), dt.time(0, 0))
    return (
        Appointment.select()
        .where(
            (Appointment.vehicle == vehicle)
            & (Appointment.status == "booked")
            & (Appointment.slot_start >= start)
            & (Appointment.slot_start < start + dt.timedelta(days=1))
        )
        .order_by(Appointment.slot_start)
        .first()
    )


def _raise_declined(vehicle: Vehicle, order: RepairOrder) -> list[Recommendation]:
    """Link the vehicle's declined recommendations to the new visit so they are raised again."""
    recs = list(
        Recommendation.select()
        .where(
            (Recommendation.vehicle == vehicle)
            & (Recommendation.state == "declined")
            & (Recommendation.order != order)
        )
        .order_by(Recommendation.created_at.desc(), Recommendation.id.desc())
    )
    shown: dict[str, Recommendation] = {}
    for rec in recs:
        rec.raised_again_in = order
        rec.save()
        shown.setdefault(" ".join(rec.description.lower().split()), rec)
    return list(reversed(list(shown.values())))


@service(Role.ADVISOR)
def check_in(
    actor: Staff,
    vehicle: Vehicle | int,
    customer: Customer | int | None = None,
    appointment: Appointment | int | None = None,
    odometer_km: Any = None,
    complaint_text: str = "",
    confirm_lower_odometer_reason: str | None = None,
) -> CheckInResult:
    """Receive a car: from its appointment (booked → checked in) or as a walk-in (new order).

    A car with an appointment today is received on that appointment even when none is
    passed. Flags a comeback and raises the declined recommendations of earlier visits.
    """
    veh = get(Vehicle, vehicle, translate("Reception", "Vehicle"))
    now = clock.now()
    appt = (
        get(Appointment, appointment, translate("Reception", "Appointment"))
        if appointment is not None
        else None
    )
    if appt is None:
        appt = todays_appointment(veh)
    elif appt.status != "booked":
        raise TransitionRefused(
            translate("Reception", "This appointment is no longer booked ({status}).").format(
                status=appt.status
            )
        )
    elif appt.vehicle_id != veh.id:
        raise ValidationError(
            translate("Reception", "The appointment is for another vehicle ({vehicle}).").format(
                vehicle=vehicle_label(appt.vehicle)
            ),
            "vehicle",
        )
    in_shop = (
        RepairOrder.select()
        .where(
            (RepairOrder.vehicle == veh)
            & (RepairOrder.state.in_([s.value for s in OPEN_STATES]))
            & (RepairOrder.state != State.BOOKED.value)
        )
        .first()
    )
    if in_shop is not None:
        raise DomainError(
            translate(
                "Reception", "{vehicle} is already in the shop on order {number} ({state})."
            ).format(
                vehicle=vehicle_label(veh), number=in_shop.number, state=state_label(in_shop.state)
            )
        )
    if customer is not None:
        cust = get(Customer, customer, translate("Reception", "Customer"))
    elif appt is not None:
        cust = appt.customer
    elif veh.owner_id:
        cust = veh.owner
    else:
        raise ValidationError(
            translate(
                "Reception", "The vehicle has no owner on file; choose the customer who brings it."
            ),
            "customer",
        )
    text = optional_text(
        complaint_text, translate("Reception", "Customer's complaint"), 4000, "complaint_text"
    )
    if appt is not None:
        order = (
            RepairOrder.select()
            .where(RepairOrder.appointment == appt)
            .order_by(RepairOrder.id)
            .first()
        )
        if order is None or order.state != State.BOOKED.value:
            raise TransitionRefused(
                translate(
                    "Reception",
                    "The order of this appointment is not booked any more; receive the car as a walk-in.",
                )
            )
        move(
            order,
            "check_in",
            actor,
            checked_in_at=now,
            customer=cust,
            advisor=order.advisor or actor,
        )
        before_appt = snapshot(appt)
        appt.status = "arrived"
        appt.save()
        audit("appointment", appt.id, before_appt, snapshot(appt))
    else:
        order = RepairOrder.create(
            number=next_number(RepairOrder, "RO"),
            state=State.CHECKED_IN.value,
            customer=cust,
            vehicle=veh,
            advisor=actor,
            walk_in=True,
            created_at=now,
            checked_in_at=now,
            updated_at=now,
            updated_by=actor,
        )
        audit("repair_order", order.id, None, snapshot(order))
    if text:
        order.complaint_text = text
    if odometer_km is not None and odometer_km != "":
        reading = save_odometer(
            veh, odometer_km, confirm_lower_odometer_reason, "check_in", order.id
        )
        order.odometer_km = reading.km
    found = refresh_comeback(order)
    order.save()
    declined = _raise_declined(veh, order)
    audit(
        "repair_order",
        order.id,
        None,
        {
            "checked_in": order.number,
            "walk_in": order.walk_in,
            "odometer_km": order.odometer_km,
            "is_comeback": order.is_comeback,
            "comeback_of": found.id if found else None,
            "raised_again": [r.id for r in declined],
        },
    )
    return CheckInResult(order, found, declined)


# ---------------------------------------------------------------------------- walk-around


#: The most memory an image may take decoded (4 bytes a pixel): Qt's image reader refuses
#: larger ones by default too, and a photo or signature never comes near it.
MAX_IMAGE_BYTES = 256 * 1024 * 1024


def _decoded(data: bytes) -> Image.Image | None:
    """The image in ``data`` (PNG, JPEG, BMP, GIF…) fully decoded, or None when it cannot be
    read: not an image, truncated, or too large to decode. (Pillow loads here, when an image
    is first checked, not at every start.)"""
    from PIL import Image

    try:
        image = Image.open(io.BytesIO(data))
        width, height = image.size
        if width <= 0 or height <= 0 or width * height * 4 > MAX_IMAGE_BYTES:
            return None
        image.load()
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        return None
    return image


def _image_ok(data: Any) -> bool:
    return (
        isinstance(data, bytes | bytearray) and len(data) > 0 and _decoded(bytes(data)) is not None
    )


def _marks(marks: Any) -> list[dict[str, Any]]:
    out = []
    items = require_list(marks, translate("Reception", "Damage marks"), "marks")
    for n, mark in enumerate(items, start=1):
        if not isinstance(mark, dict):
            raise ValidationError(
                translate("Reception", "Damage mark {n} is not valid.").format(n=n), "marks"
            )
        view = require_choice(
            mark.get("view", "top"), VIEWS, translate("Reception", "View of the car"), "marks"
        )
        kind = require_choice(
            mark.get("kind"), DAMAGE_KINDS, translate("Reception", "Kind of damage"), "marks"
        )
        try:
            x, y = float(mark.get("x")), float(mark.get("y"))
        except (TypeError, ValueError):
            x = y = -1.0
        if not (0.0 <= x <= 1.0 and 0.0 <= y <= 1.0):
            raise ValidationError(
                translate("Reception", "Damage mark {n} lies outside the car diagram.").format(n=n),
                "marks",
            )
        if not diagram.on_car(view, x, y):
            raise ValidationError(
                translate(
                    "Reception",
                    "Damage mark {n} lies beside the car: place it on the car in the drawing.",
                ).format(n=n),
                "marks",
            )
        note = optional_text(mark.get("note", ""), translate("Reception", "Note"), 200, "marks")
        out.append({"view": view, "x": x, "y": y, "kind": kind, "note": note})
    return out


def _photos(photos: Any) -> list[tuple[str, bytes]]:
    out = []
    items = require_list(photos, translate("Reception", "Photos"), "photos")
    for n, item in enumerate(items, start=1):
        try:
            filename, data = item
        except (TypeError, ValueError):
            raise ValidationError(
                translate("Reception", "Photo {n} is not valid.").format(n=n), "photos"
            ) from None
        name = require_text(filename, translate("Reception", "File name"), 200, "photos")
        if isinstance(data, bytes | bytearray) and len(data) > MAX_PHOTO_BYTES:
            raise ValidationError(
                translate("Reception", "Photo {name} is larger than 10 MB.").format(name=name),
                "photos",
            )
        if not _image_ok(data):
            raise ValidationError(
                translate("Reception", "{name} is not a picture the program can read.").format(
                    name=name
                ),
                "photos",
            )
        out.append((name, bytes(data)))
    return out


@service(Role.ADVISOR)
def record_inspection(
    actor: Staff,
    order: RepairOrder | int,
    fuel_level: Any,
    odometer_km: Any,
    warning_lights: list[str] | tuple[str, ...] = (),
    spare_wheel: bool = True,
    tool_kit: bool = True,
    protective_set: bool = True,
    valuables: str = "",
    notes: str = "",
    marks: list[dict[str, Any]] | None = None,
    photos: list[tuple[str, bytes]] | None = None,
    confirm_lower_odometer_reason: str | None = None,
    expected_version: int | None = None,
) -> Inspection:
    """Save the walk-around (环车检查) on the check-in sheet; a save replaces the previous one.

    ``marks``/``photos`` replace the earlier ones when given (None keeps them; [] clears).
    Marks found later in the workshop are kept. The odometer is recorded on the vehicle.
    """
    row = _reception_order(order, expected_version, (State.CHECKED_IN.value,))
    fuel = require_int(fuel_level, translate("Reception", "Fuel level (%)"), 0, 100, "fuel_level")
    lights = []
    for code in require_list(
        warning_lights, translate("Reception", "Warning light"), "warning_lights"
    ):
        lights.append(
            require_text(code, translate("Reception", "Warning light"), 40, "warning_lights")
        )
    lights = list(dict.fromkeys(lights))
    mark_rows = _marks(marks) if marks is not None else None
    photo_rows = _photos(photos) if photos is not None else None
    reading = save_odometer(
        row.vehicle, odometer_km, confirm_lower_odometer_reason, "check_in", row.id
    )
    inspection = Inspection.get_or_none(Inspection.order == row)
    before = snapshot(inspection) if inspection else None
    values = {
        "fuel_level": fuel,
        "odometer_km": reading.km,
        "warning_lights": json.dumps(lights, ensure_ascii=False),
        "spare_wheel": bool(spare_wheel),
        "tool_kit": bool(tool_kit),
        "protective_set": bool(protective_set),
        "valuables": optional_text(
            valuables, translate("Reception", "Valuables left in the car"), 1000, "valuables"
        ),
        "notes": optional_text(notes, translate("Reception", "Notes"), 2000, "notes"),
        "recorded_by": actor,
        "recorded_at": clock.now(),
    }
    if inspection is None:
        inspection = Inspection.create(order=row, **values)
    else:
        for key, value in values.items():
            setattr(inspection, key, value)
        inspection.save()
    if mark_rows is not None:
        DamageMark.delete().where(
            (DamageMark.inspection == inspection) & (DamageMark.found_in_workshop == False)  # noqa: E712
        ).execute()
        for mark in mark_rows:
            DamageMark.create(inspection=inspection, **mark)
    if photo_rows is not None:
        InspectionPhoto.delete().where(InspectionPhoto.inspection == inspection).execute()
        for name, data in photo_rows:
            InspectionPhoto.create(inspection=inspection, filename=name, image=data)
    row.odometer_km = reading.km
    touch(row, actor)
    audit(
        "inspection",
        inspection.id,
        before,
        {
            **snapshot(inspection),
            "marks": mark_rows,
            "photos": [n for n, _ in photo_rows or []],
            "lower_reason": reading.lower_reason,
        },
    )
    return inspection


@service(Role.ADVISOR)
def record_complaint(
    actor: Staff,
    order: RepairOrder | int,
    complaint_text: str,
    diagnosis: str = "",
    diagnosis_needed: bool = False,
    licence_no: str = "",
    booklet_no: str = "",
    expected_version: int | None = None,
) -> RepairOrder:
    """The customer's complaint in their words (现场问诊), diagnosis, licence and booklet numbers."""
    row = _reception_order(order, expected_version)
    before = snapshot(row)
    row.complaint_text = require_text(
        complaint_text, translate("Reception", "Customer's complaint"), 4000, "complaint_text"
    )
    row.diagnosis = optional_text(diagnosis, translate("Reception", "Diagnosis"), 4000, "diagnosis")
    row.diagnosis_needed = bool(diagnosis_needed)
    row.licence_no = optional_text(
        licence_no, translate("Reception", "Driving licence no."), 40, "licence_no"
    )
    row.booklet_no = optional_text(
        booklet_no, translate("Reception", "Maintenance booklet no."), 40, "booklet_no"
    )
    refresh_comeback(row)
    touch(row, actor)
    audit("repair_order", row.id, before, snapshot(row))
    return row


# ---------------------------------------------------------------------------- warranty


def suggest_warranty(order: RepairOrder | int) -> warranty.Decision:
    """The engine's view for the order's main work (first non-maintenance line, else general)."""
    row = get(RepairOrder, order, translate("Reception", "Repair order"))
    lines = list(
        JobLine.select()
        .where((JobLine.order == row) & (JobLine.auth_state != "declined"))
        .order_by(JobLine.sort, JobLine.id)
    )
    main = next(
        (ln for ln in lines if ln.category not in ("maintenance", "wear")),
        lines[0] if lines else None,
    )
    category = main.category if main is not None else "general"
    km = row.odometer_km if row.odometer_km is not None else row.vehicle.last_odometer_km
    return warranty.decide(
        row.vehicle,
        category,
        km,
        clock.today(),
        part=main.part if main is not None and main.part_id else None,
        labour_op=main.labour_op if main is not None and main.labour_op_id else None,
        exclude_order=row,
    )


@service(Role.ADVISOR)
def decide_warranty(
    actor: Staff,
    order: RepairOrder | int,
    decision: str,
    reason: str = "",
    expected_version: int | None = None,
) -> RepairOrder:
    """Fault confirmation (故障确认): covered, not covered, or pending (refer to the manufacturer)."""
    row = _load(order, expected_version)
    if row.state == State.BOOKED.value:
        raise TransitionRefused(
            translate(
                "Reception", "Check the car in before deciding the warranty of order {number}."
            ).format(number=row.number)
        )
    choice = require_choice(
        decision, WARRANTY_CHOICES, translate("Reception", "Warranty decision"), "decision"
    )
    if choice == warranty.COVERED:
        text = optional_text(reason, translate("Reception", "Reason"), 1000, "reason")
    else:
        text = require_text(reason, translate("Reception", "Reason"), 1000, "reason")
    if (
        choice == warranty.NOT_COVERED
        and JobLine.select()
        .where((JobLine.order == row) & (JobLine.pay_type == "warranty"))
        .exists()
    ):
        raise ValidationError(
            translate(
                "Reception",
                "Order {number} has lines paid by warranty; change their pay type before deciding that "
                "the work is not covered.",
            ).format(number=row.number),
            "decision",
        )
    before = {"warranty_decision": row.warranty_decision, "warranty_reason": row.warranty_reason}
    row.warranty_decision, row.warranty_reason = choice, text
    touch(row, actor)
    audit("repair_order", row.id, before, {"warranty_decision": choice, "warranty_reason": text})
    return row


# ---------------------------------------------------------------------------- estimate lines


def _categories() -> set[str]:
    return set(CATEGORIES) | {p.category for p in WarrantyPolicy.select(WarrantyPolicy.category)}


def _category(value: Any) -> str:
    return require_choice(
        value, tuple(sorted(_categories())), translate("Reception", "Category"), "category"
    )


def _pay_type(order: RepairOrder, pay_type: Any) -> str:
    value = require_choice(pay_type, PAY_TYPES, translate("Reception", "Pay type"), "pay_type")
    if value == "warranty" and order.warranty_decision not in (warranty.COVERED, warranty.PENDING):
        raise ValidationError(
            translate(
                "Reception",
                "A line can be paid by warranty only after the warranty decision is 'covered' or "
                "'pending manufacturer approval'.",
            ),
            "pay_type",
        )
    return value


def _next_sort(order: RepairOrder) -> int:
    last = (
        JobLine.select(JobLine.sort)
        .where(JobLine.order == order)
        .order_by(JobLine.sort.desc())
        .first()
    )
    return (last.sort if last else 0) + 1


def _reserve(line: JobLine) -> None:
    """Reserve stock for a part line up to what is available (fresh read under the write lock)."""
    if line.part_id is None:
        return
    part = Part.get_by_id(line.part_id)
    needed = max(
        Decimal("0"), (line.quantity or Decimal("0")) - (line.parts_issued or Decimal("0"))
    )
    current = line.parts_reserved or Decimal("0")
    free = part.available_qty + current
    new = max(Decimal("0"), min(needed, free))
    if new != current:
        part.reserved_qty = max(Decimal("0"), part.reserved_qty + new - current)
        part.save()
        line.parts_reserved = new


def release_reservation(line: JobLine) -> None:
    """Give a line's reserved quantity back to the stock (caller saves the line)."""
    if line.part_id is None or not line.parts_reserved:
        return
    part = Part.get_by_id(line.part_id)
    part.reserved_qty = max(Decimal("0"), part.reserved_qty - line.parts_reserved)
    part.save()
    line.parts_reserved = Decimal("0")


@service(Role.ADVISOR)
def add_labour_line(
    actor: Staff,
    order: RepairOrder | int,
    labour_op: LabourOperation | int | None = None,
    description: str | None = None,
    hours: Any = None,
    rate: Any = None,
    pay_type: str = "customer",
    category: str | None = None,
    expected_version: int | None = None,
) -> JobLine:
    """A labour line of the estimate (工时 × 工时单价); the rate defaults to the shop's."""
    row = _reception_order(order, expected_version)
    op = (
        get(LabourOperation, labour_op, translate("Reception", "Labour operation"))
        if labour_op is not None
        else None
    )
    if op is not None and not op.active:
        raise ValidationError(
            translate("Reception", "The labour operation {code} is no longer offered.").format(
                code=op.code
            ),
            "labour_op",
        )
    description = optional_text(
        description, translate("Reception", "Description"), 120, "description"
    )
    if op is None and not description:
        raise ValidationError(
            translate("Reception", "Choose a labour operation or describe the work."), "description"
        )
    reduced = pricing.order_reduction(row)
    line = JobLine.create(
        order=row,
        kind="labour",
        labour_op=op,
        description=require_text(
            description or op.name,
            translate("Reception", "Description"),
            120,
            "description",
        ),
        hours=require_decimal(
            hours if hours is not None else (op.standard_hours if op else None),
            translate("Reception", "Hours"),
            Decimal("0.01"),
            Decimal("500"),
            "hours",
        ),
        rate=require_decimal(
            rate if rate is not None else settings().labour_rate,
            translate("Reception", "Labour rate"),
            Decimal("0"),
            Decimal("100000"),
            "rate",
        ),
        pay_type=_pay_type(row, pay_type),
        category=_category(category or (op.category if op else "general")),
        origin="original",
        auth_state="authorised",
        sort=_next_sort(row),
        created_at=clock.now(),
    )
    pricing.require_within_limit(row, reduced)
    refresh_comeback(row)
    touch(row, actor)
    audit("job_line", line.id, None, snapshot(line))
    return line


@service(Role.ADVISOR)
def add_part_line(
    actor: Staff,
    order: RepairOrder | int,
    part: Part | int,
    quantity: Any = "1",
    unit_price: Any = None,
    pay_type: str = "customer",
    expected_version: int | None = None,
) -> JobLine:
    """A part line (备品); reserves stock up to what is available — see :func:`stock_status`."""
    row = _reception_order(order, expected_version)
    item = get(Part, part, translate("Reception", "Part"))
    if not item.active:
        raise ValidationError(
            translate("Reception", "The part {part_no} is no longer sold.").format(
                part_no=item.part_no
            ),
            "part",
        )
    reduced = pricing.order_reduction(row)
    line = JobLine.create(
        order=row,
        kind="part",
        part=item,
        description=item.name[:120],
        quantity=require_decimal(
            quantity,
            translate("Reception", "Quantity"),
            Decimal("0.01"),
            Decimal("10000"),
            "quantity",
        ),
        unit_price=require_decimal(
            unit_price if unit_price is not None else item.unit_price,
            translate("Reception", "Unit price"),
            Decimal("0"),
            Decimal("10000000"),
            "unit_price",
        ),
        pay_type=_pay_type(row, pay_type),
        category=item.category if item.category in _categories() else "general",
        origin="original",
        auth_state="authorised",
        sort=_next_sort(row),
        created_at=clock.now(),
    )
    _reserve(line)
    line.save()
    pricing.require_within_limit(row, reduced)
    touch(row, actor)
    audit("job_line", line.id, None, snapshot(line))
    return line


_UNSET: Any = object()


@service(Role.ADVISOR)
def update_line(
    actor: Staff,
    line: JobLine | int,
    *,
    description: Any = _UNSET,
    hours: Any = _UNSET,
    rate: Any = _UNSET,
    quantity: Any = _UNSET,
    unit_price: Any = _UNSET,
    pay_type: Any = _UNSET,
    category: Any = _UNSET,
    expected_version: int | None = None,
) -> JobLine:
    """Change an estimate line before the task order is signed; the reservation follows. A
    lower rate or price, or a pay type the customer does not pay (goodwill, internal), is a
    reduction below the list price: above the limit it needs the manager's approval
    (:mod:`shop_desk.services.pricing`), as do such new lines."""
    row_line = get(JobLine, line, translate("Reception", "Line"))
    order = _reception_order(row_line.order_id, expected_version)
    before = snapshot(row_line)
    reduced = pricing.order_reduction(order)
    labour_only = {"hours": hours, "rate": rate}
    part_only = {"quantity": quantity, "unit_price": unit_price}
    wrong = labour_only if row_line.kind == "part" else part_only
    if any(v is not _UNSET for v in wrong.values()):
        raise ValidationError(
            translate("Reception", "That value does not belong to this kind of line."), "line"
        )
    if description is not _UNSET:
        row_line.description = require_text(
            description, translate("Reception", "Description"), 120, "description"
        )
    if hours is not _UNSET:
        row_line.hours = require_decimal(
            hours, translate("Reception", "Hours"), Decimal("0.01"), Decimal("500"), "hours"
        )
    if rate is not _UNSET:
        row_line.rate = require_decimal(
            rate, translate("Reception", "Labour rate"), Decimal("0"), Decimal("100000"), "rate"
        )
    if quantity is not _UNSET:
        row_line.quantity = require_decimal(
            quantity,
            translate("Reception", "Quantity"),
            Decimal("0.01"),
            Decimal("10000"),
            "quantity",
        )
    if unit_price is not _UNSET:
        row_line.unit_price = require_decimal(
            unit_price,
            translate("Reception", "Unit price"),
            Decimal("0"),
            Decimal("10000000"),
            "unit_price",
        )
    if pay_type is not _UNSET:
        row_line.pay_type = _pay_type(order, pay_type)
    if category is not _UNSET:
        row_line.category = _category(category)
    _reserve(row_line)
    row_line.save()
    pricing.require_within_limit(order, reduced)
    refresh_comeback(order)
    touch(order, actor)
    audit("job_line", row_line.id, before, snapshot(row_line))
    return row_line


@service(Role.ADVISOR)
def remove_line(actor: Staff, line: JobLine | int, expected_version: int | None = None) -> None:
    """Take a line off the estimate; its reserved parts go back to the stock."""
    row_line = get(JobLine, line, translate("Reception", "Line"))
    order = _reception_order(row_line.order_id, expected_version)
    before = snapshot(row_line)
    release_reservation(row_line)
    row_line.delete_instance()
    refresh_comeback(order)
    touch(order, actor)
    audit("job_line", before["id"], before, None)


@dataclass(frozen=True)
class StockRow:
    line: JobLine
    part: Part
    needed: Decimal
    reserved: Decimal
    issued: Decimal
    in_stock: Decimal
    available: Decimal  # stock not reserved by any order

    @property
    def short(self) -> Decimal:
        return max(Decimal("0"), self.needed - self.reserved - self.issued)


def stock_status(order: RepairOrder | int) -> list[StockRow]:
    """Per part line: needed, reserved, issued, stock and what is still short (确认备品供应)."""
    row = get(RepairOrder, order, translate("Reception", "Repair order"))
    out = []
    for line in (
        JobLine.select()
        .where(
            (JobLine.order == row) & (JobLine.kind == "part") & (JobLine.auth_state != "declined")
        )
        .order_by(JobLine.sort, JobLine.id)
    ):
        if line.part_id is None:
            continue
        part = Part.get_by_id(line.part_id)
        out.append(
            StockRow(
                line,
                part,
                line.quantity or Decimal("0"),
                line.parts_reserved or Decimal("0"),
                line.parts_issued or Decimal("0"),
                part.stock_qty,
                part.available_qty,
            )
        )
    return out


def estimated_hours(order: RepairOrder | int) -> Decimal:
    row = get(RepairOrder, order, translate("Reception", "Repair order"))
    return sum(
        (
            ln.hours or Decimal("0")
            for ln in JobLine.select().where(
                (JobLine.order == row)
                & (JobLine.kind == "labour")
                & (JobLine.auth_state == "authorised")
            )
        ),
        Decimal("0"),
    )


def suggested_promised_time(order: RepairOrder | int) -> dt.datetime:
    """The promised time the workshop's load suggests for this order's estimated hours."""
    return scheduling.suggest_promised_time(estimated_hours(order))


# ---------------------------------------------------------------------------- task order


@service(Role.ADVISOR)
def set_promised_time(
    actor: Staff, order: RepairOrder | int, when: dt.datetime, expected_version: int | None = None
) -> RepairOrder:
    """The promised completion time (预计完工时间) told to the customer."""
    row = _reception_order(order, expected_version)
    if not is_datetime(when):
        raise ValidationError(
            translate("Reception", "Choose the promised completion time."), "promised_at"
        )
    if when <= clock.now():
        raise ValidationError(
            translate("Reception", "The promised completion time cannot be in the past."),
            "promised_at",
        )
    before = {"promised_at": row.promised_at}
    row.promised_at = when.replace(microsecond=0)
    touch(row, actor)
    audit("repair_order", row.id, before, {"promised_at": row.promised_at})
    return row


@service(Role.ADVISOR)
def set_task_order_options(
    actor: Staff,
    order: RepairOrder | int,
    payment_method: str,
    old_parts: str = "dispose",
    free_wash: bool = True,
    authorisation_via: str = "phone",
    authorisation_phone: str = "",
    customer_waiting: bool = False,
    expected_version: int | None = None,
) -> RepairOrder:
    """Payment method, old parts, free wash and how additional work is authorised."""
    row = _reception_order(order, expected_version)
    before = snapshot(row)
    method = require_choice(
        payment_method, PAYMENT_METHODS, translate("Reception", "Payment method"), "payment_method"
    )
    if method == "on_account":
        cust = row.customer
        if cust.kind != "company" or cust.credit_limit <= 0:
            raise ValidationError(
                translate(
                    "Reception",
                    "{name} has no credit limit; on account is only for company customers with one.",
                ).format(name=cust.name),
                "payment_method",
            )
    via = require_choice(
        authorisation_via,
        AUTHORISATION_VIA,
        translate("Reception", "Authorisation by"),
        "authorisation_via",
    )
    phone = ""
    if via == "phone":
        checked = check_phone(authorisation_phone or row.customer.phone, required=True)
        if not checked.ok:
            raise ValidationError(checked.message, "authorisation_phone")
        phone = checked.value
    row.payment_method = method
    row.old_parts = require_choice(
        old_parts, OLD_PARTS, translate("Reception", "Old parts"), "old_parts"
    )
    row.free_wash = bool(free_wash)
    row.authorisation_via = via
    row.authorisation_phone = phone
    row.customer_waiting = bool(customer_waiting)
    touch(row, actor)
    audit("repair_order", row.id, before, snapshot(row))
    return row


@dataclass(frozen=True)
class InkReport:
    """What a captured signature image contains."""

    ok: bool
    message: str
    width: int = 0
    height: int = 0
    ink_pixels: int = 0
    bbox: tuple[int, int, int, int] | None = None  # x0, y0, x1, y1 (inclusive)


MIN_INK_PIXELS = 40
MIN_SPAN_WIDTH = 0.15  # of the pad's width
MIN_SPAN_HEIGHT = 0.08  # of the pad's height
MAX_INK_SHARE = 0.6


def analyse_signature(png: bytes | None) -> InkReport:
    """Count dark, opaque pixels and their bounding box: a real signature spreads its ink."""
    empty = translate("Reception", "The signature is empty; please ask the customer to sign.")
    if png is None or isinstance(png, bytes | bytearray) and not png:
        return InkReport(False, empty)
    if not isinstance(png, bytes | bytearray):  # bytes(n) of a number would allocate n bytes
        return InkReport(False, translate("Reception", "The signature image cannot be read."))
    image = _decoded(bytes(png))
    if image is None:
        return InkReport(False, translate("Reception", "The signature image cannot be read."))
    from PIL import Image

    image = image.convert("RGBA")  # unpremultiplied, 8 bits a channel, rows without padding
    if image.width > 1200:  # nearest pixel, the height rounded as Qt's scaledToWidth does
        height = max(1, int(image.height * 1200 / image.width + 0.5))
        image = image.resize((1200, height), Image.Resampling.NEAREST)
    w, h = image.size
    bpl = 4 * w
    data = image.tobytes()
    ink = 0
    x0, y0, x1, y1 = w, h, -1, -1
    for y in range(h):
        row = data[y * bpl : y * bpl + bpl]
        cols = [
            x
            for x, (r, g, b, a) in enumerate(
                zip(row[0::4], row[1::4], row[2::4], row[3::4], strict=True)
            )
            if a >= 128 and r + g + b < 480
        ]
        if cols:
            ink += len(cols)
            x0, x1 = min(x0, cols[0]), max(x1, cols[-1])
            y0, y1 = min(y0, y), max(y1, y)
    if ink == 0:
        return InkReport(False, empty, w, h)
    bbox = (x0, y0, x1, y1)
    span_w, span_h = x1 - x0 + 1, y1 - y0 + 1
    if ink > MAX_INK_SHARE * w * h:
        return InkReport(
            False,
            translate("Reception", "That is not a signature: almost the whole pad is inked."),
            w,
            h,
            ink,
            bbox,
        )
    if (
        ink < MIN_INK_PIXELS
        or span_w < max(20, MIN_SPAN_WIDTH * w)
        or span_h < max(8, MIN_SPAN_HEIGHT * h)
    ):
        return InkReport(
            False,
            translate(
                "Reception",
                "The signature is too small (only a dot or a short stroke); please ask the customer to sign again.",
            ),
            w,
            h,
            ink,
            bbox,
        )
    return InkReport(True, "", w, h, ink, bbox)


def signing_problems(order: RepairOrder | int) -> list[str]:
    """What is still missing before the customer can sign the task order (empty = ready)."""
    row = get(RepairOrder, order, translate("Reception", "Repair order"))
    missing = []
    if not row.complaint_text.strip():
        missing.append(translate("Reception", "the customer's complaint"))
    if not Inspection.select().where(Inspection.order == row).exists():
        missing.append(translate("Reception", "the walk-around inspection"))
    has_lines = (
        JobLine.select().where((JobLine.order == row) & (JobLine.auth_state != "declined")).exists()
    )
    if not has_lines and not row.diagnosis_needed:
        missing.append(translate("Reception", "at least one estimate line (or 'diagnosis needed')"))
    if row.promised_at is None:
        missing.append(translate("Reception", "the promised completion time"))
    elif row.promised_at <= clock.now():
        missing.append(
            translate("Reception", "a promised completion time that is not already past")
        )
    if not row.payment_method:
        missing.append(translate("Reception", "the payment method"))
    return missing


@service(Role.ADVISOR)
def sign_task_order(
    actor: Staff,
    order: RepairOrder | int,
    signature_png: bytes | None,
    signer: str,
    on_paper: bool = False,
    expected_version: int | None = None,
) -> RepairOrder:
    """The customer signs the task order (on the pad, or on paper with ``on_paper``)."""
    row = _reception_order(order, expected_version, (State.CHECKED_IN.value,))
    who = require_text(signer, translate("Reception", "Signed by"), 80, "signer")
    missing = signing_problems(row)
    if missing:
        raise ValidationError(
            translate(
                "Reception", "The task order cannot be signed yet; still missing: {missing}."
            ).format(missing=join_list(missing, clauses=True))
        )
    signature = None
    if signature_png or not on_paper:
        report = analyse_signature(signature_png)
        if not report.ok:
            raise ValidationError(report.message, "signature")
        signature = Signature.create(
            image=bytes(signature_png),
            signer=who,
            document="task_order",
            order_id=row.id,
            signed_at=clock.now(),
            recorded_by=actor,
        )
    before = {
        "signed_at": row.signed_at,
        "signature": row.signature_id,
        "signed_on_paper": row.signed_on_paper,
    }
    row.signed_at = clock.now()
    row.signature = signature
    row.signed_on_paper = bool(on_paper)
    touch(row, actor)
    audit(
        "repair_order",
        row.id,
        before,
        {
            "signed_at": row.signed_at,
            "signature": signature.id if signature else None,
            "signed_on_paper": row.signed_on_paper,
            "signer": who,
        },
    )
    return row


@service(Role.ADVISOR, Role.MANAGER)
def reopen_task_order(
    actor: Staff, order: RepairOrder | int, reason: str, expected_version: int | None = None
) -> RepairOrder:
    """Take the signature back before handover (a mistake was found); the customer signs again."""
    row = _load(order, expected_version)
    _ensure_state(row, (State.CHECKED_IN.value,))
    if row.signed_at is None:
        raise TransitionRefused(
            translate("Reception", "The task order of {number} is not signed.").format(
                number=row.number
            )
        )
    text = require_text(reason, translate("Reception", "Reason"), 500, "reason")
    before = {
        "signed_at": row.signed_at,
        "signature": row.signature_id,
        "signed_on_paper": row.signed_on_paper,
    }
    row.signed_at = None
    row.signature = None
    row.signed_on_paper = False
    touch(row, actor)
    audit("repair_order", row.id, before, {"signed_at": None, "reason": text})
    return row


def workshop_supervisors() -> list[Staff]:
    """The active workshop supervisors (who receive cars at the hand-over), by name."""
    return list(
        Staff.select()
        .join(StaffRole, on=(StaffRole.staff == Staff.id))
        .where((StaffRole.role == Role.SUPERVISOR.value) & Staff.active)
        .order_by(Staff.name)
    )


def _receiving_supervisor(value: Any) -> Staff:
    """The supervisor who received the car; with one supervisor in the shop, that one."""
    supervisors = workshop_supervisors()
    if value is None and len(supervisors) == 1:
        return supervisors[0]
    if value is None:
        raise ValidationError(
            translate(
                "Reception",
                "Say which workshop supervisor received the car, the key and the documents.",
            ),
            "received_by",
        )
    wanted = value.id if isinstance(value, Staff) else row_id(value)
    found = next((s for s in supervisors if s.id == wanted), None)
    if found is None:
        raise ValidationError(
            translate(
                "Reception", "The car is handed over to a workshop supervisor: {names}."
            ).format(names=join_list(s.name for s in supervisors) or "—"),
            "received_by",
        )
    return found


@service(Role.ADVISOR)
def hand_over(
    actor: Staff,
    order: RepairOrder | int,
    key: bool = True,
    documents: bool = True,
    notes: str = "",
    expected_version: int | None = None,
    received_by: Any = None,
) -> RepairOrder:
    """Hand car, key, task order and check-in sheet to the workshop supervisor (交接), who is
    named (``received_by``; in a shop with one supervisor, that one)."""
    row = _load(order, expected_version)
    if row.state == State.CHECKED_IN.value and row.signed_at is None:
        raise TransitionRefused(
            translate(
                "Reception",
                "Order {number} cannot go to the workshop yet: the customer has not signed the task order.",
            ).format(number=row.number)
        )
    if row.state == State.CHECKED_IN.value and not (key and documents):
        raise ValidationError(
            translate(
                "Reception",
                "Hand the key, the task order and the check-in sheet to the workshop together with the car.",
            ),
            "key",
        )
    text = optional_text(notes, translate("Reception", "Handover notes"), 2000, "notes")
    receiver = _receiving_supervisor(received_by)
    now = clock.now()
    move(
        row,
        "hand_over",
        actor,
        handed_over_at=now,
        handover_key=bool(key),
        handover_documents=bool(documents),
        handover_notes=text,
    )
    OrderEvent.create(
        order=row,
        kind="handover",
        at=now,
        by=actor,
        data=json.dumps(
            {
                "key": bool(key),
                "documents": bool(documents),
                "notes": text,
                "received_by": receiver.id,
                "received_by_name": receiver.name,
                "promised_at": row.promised_at.isoformat() if row.promised_at else None,
            },
            ensure_ascii=False,
        ),
    )
    return row


def cancel_booked_order(actor: Staff, order: RepairOrder, reason: str) -> RepairOrder:
    """Cancel inside a running service: release reservations, cancel a still-booked appointment."""
    for line in JobLine.select().where(JobLine.order == order):
        if line.parts_reserved:
            release_reservation(line)
            line.save()
    move(order, "cancel", actor, cancelled_reason=reason)
    if order.appointment_id:
        appt = Appointment.get_or_none(Appointment.id == order.appointment_id)
        if appt is not None and appt.status == "booked":
            before = snapshot(appt)
            appt.status = "cancelled"
            appt.save()
            audit("appointment", appt.id, before, snapshot(appt))
    return order


@service(Role.ADVISOR, Role.MANAGER)
def cancel_order(
    actor: Staff, order: RepairOrder | int, reason: str, expected_version: int | None = None
) -> RepairOrder:
    """Cancel while booked, checked in or awaiting dispatch; reserved parts go back to stock."""
    row = load_order(order, expected_version)
    text = require_text(reason, translate("Reception", "Reason"), 1000, "reason")
    return cancel_booked_order(actor, row, text)
