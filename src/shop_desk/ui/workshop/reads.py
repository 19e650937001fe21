"""What the workshop board reads beside the board itself (the skills an order needs, one
order's details) and how it writes hours and times."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import peewee

from shop_desk.i18n import translate
from shop_desk.models import (
    AdditionalWorkRequest,
    DelayReport,
    JobLine,
    LabourOperation,
    OrderEvent,
    RepairOrder,
    Staff,
    Vehicle,
)
from shop_desk.validation import display_plate

if TYPE_CHECKING:
    pass


def fmt_hours(value: Decimal) -> str:
    return f"{value.normalize():f}" if value == value.to_integral() else f"{value:.1f}"


def hours_text(value: Decimal) -> str:
    return translate("WorkshopBoard", "{hours} h").format(hours=fmt_hours(value))


# --- read models -------------------------------------------------------------------------


def needed_skills(order_id: int) -> list[str]:
    """Skills the job's labour lines need (declined additional work left out)."""
    rows = (
        LabourOperation.select(LabourOperation.skill)
        .join(JobLine, on=(JobLine.labour_op == LabourOperation.id))
        .where((JobLine.order == order_id) & (JobLine.auth_state != "declined"))
        .distinct()
        .tuples()
    )
    return sorted({skill for (skill,) in rows if skill})


def _received_by(handover: OrderEvent | None) -> str:
    """The supervisor named at the hand-over (older hand-overs named none)."""
    if handover is None:
        return ""
    try:
        return str(json.loads(handover.data or "{}").get("received_by_name") or "")
    except ValueError:
        return ""


def order_detail(order_id: int) -> dict[str, Any]:
    """What the supervisor needs to know about one car: handover, dispatch, work, delays.

    A handful of reads; raises peewee.DoesNotExist for an unknown order."""
    order = (
        RepairOrder.select(RepairOrder, Vehicle)
        .join(Vehicle, on=(RepairOrder.vehicle == Vehicle.id))
        .where(RepairOrder.id == order_id)
        .get()
    )
    staff_ids = {
        i for i in (order.advisor_id, order.technician_id, order.accepted_by_id) if i is not None
    }
    handover = (
        OrderEvent.select()
        .where((OrderEvent.order == order_id) & (OrderEvent.kind == "handover"))
        .order_by(OrderEvent.id.desc())
        .first()
    )
    if handover is not None and handover.by_id:
        staff_ids.add(handover.by_id)
    names = {
        s.id: s.name for s in Staff.select(Staff.id, Staff.name).where(Staff.id.in_(staff_ids))
    }
    lines = []
    job_hours = Decimal("0")
    query = (
        JobLine.select(
            JobLine,
            LabourOperation.skill.alias("op_skill"),
            AdditionalWorkRequest.decided_by.alias("decided_by"),
        )
        .join(LabourOperation, peewee.JOIN.LEFT_OUTER, on=(JobLine.labour_op == LabourOperation.id))
        .switch(JobLine)
        .join(
            AdditionalWorkRequest,
            peewee.JOIN.LEFT_OUTER,
            on=(JobLine.request == AdditionalWorkRequest.id),
        )
        .where((JobLine.order == order_id) & (JobLine.kind == "labour"))
        .order_by(JobLine.sort, JobLine.id)
        .objects()
    )
    for line in query:
        skill = line.op_skill or ""
        lines.append(
            {
                "description": line.description,
                "hours": line.hours or Decimal("0"),
                "skill": skill,
                "auth_state": line.auth_state,
                "work_state": line.work_state,
                "decided_by": line.decided_by or "customer",  # insurer: a supplement (追加定损)
            }
        )
        if line.auth_state == "authorised":
            job_hours += line.hours or Decimal("0")
    delay = (
        DelayReport.select()
        .where(DelayReport.order == order_id)
        .order_by(DelayReport.id.desc())
        .first()
    )
    team_name = order.team.name if order.team_id else ""
    return {
        "id": order.id,
        "number": order.number,
        "version": order.version,
        "state": order.state,
        "plate": display_plate(order.vehicle.plate or ""),
        "model": order.vehicle.model or "",
        "make": order.vehicle.make or "",
        "complaint": order.complaint_text or "",
        "advisor": names.get(order.advisor_id, ""),
        "promised_at": order.promised_at,
        "priority": order.priority,
        "customer_waiting": order.customer_waiting,
        "handed_over_at": order.handed_over_at,
        "handed_over_by": names.get(handover.by_id, "") if handover is not None else "",
        "received_by": _received_by(handover),
        "handover_key": order.handover_key,
        "handover_documents": order.handover_documents,
        "handover_notes": order.handover_notes or "",
        "team_id": order.team_id,
        "team": team_name,
        "technician_id": order.technician_id,
        "technician": names.get(order.technician_id, ""),
        "dispatched_at": order.dispatched_at,
        "accepted_at": order.accepted_at,
        "accepted_by": names.get(order.accepted_by_id, ""),
        "parking_spot": order.parking_spot or "",
        "lines": lines,
        "job_hours": job_hours,
        "skills": sorted(
            {ln["skill"] for ln in lines if ln["skill"] and ln["auth_state"] != "declined"}
        ),
        "last_delay": (
            {"at": delay.at, "reason": delay.reason, "new": delay.new_promised_at}
            if delay
            else None
        ),
    }


def when_text(value: dt.datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else "—"


def yes_no(value: bool) -> str:
    return translate("WorkshopBoard", "Yes") if value else translate("WorkshopBoard", "No")
