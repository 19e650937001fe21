"""The summary of the chosen order at the top of the station's order panel (rich text)."""

from __future__ import annotations

from html import escape

from shop_desk import clock
from shop_desk.i18n import join_list, translate
from shop_desk.models import RepairOrder
from shop_desk.states import State, state_label
from shop_desk.ui.station import reads


def order_info_html(order: RepairOrder) -> str:
    """The order panel's summary under the heading: state, priority, promised time (red when
    overdue), team and technician, the customer waiting, rework, wash and parking, the
    complaint, who accepted the car and the slips still to sign."""
    bits = [f"<b>{escape(state_label(order.state))}</b>"]
    priority = {
        1: translate("Station", "Urgent"),
        2: translate("Station", "Normal"),
        3: translate("Station", "Low"),
    }.get(order.priority, "")
    bits.append(translate("Station", "Priority: {p}").format(p=priority))
    if order.promised_at:
        text = translate("Station", "Promised: {when}").format(
            when=order.promised_at.strftime("%m-%d %H:%M")
        )
        if order.promised_at < clock.now() and State(order.state) != State.READY:
            text = (
                f"<span style='color:#b3261e'><b>{escape(text)} · "
                + escape(translate("Station", "overdue"))
                + "</b></span>"
            )
        else:
            text = escape(text)
        bits.append(text)
    team = order.team.name if order.team_id else ""
    tech = order.technician.name if order.technician_id else ""
    if team or tech:
        bits.append(escape(" / ".join(x for x in (team, tech) if x)))
    if order.customer_waiting:
        bits.append(
            "<span style='color:#b3261e'>"
            + escape(translate("Station", "Customer waits in the lounge"))
            + "</span>"
        )
    if order.rework_count:
        bits.append(escape(translate("Station", "Rework: {n}").format(n=order.rework_count)))
    bits.append(
        escape(
            translate("Station", "Wash: yes")
            if order.free_wash
            else translate("Station", "Wash: no")
        )
    )
    if order.parking_spot:
        bits.append(
            escape(translate("Station", "Parked at {spot}").format(spot=order.parking_spot))
        )
    lines = [" · ".join(bits)]
    if order.complaint_text:
        lines.append(
            escape(
                translate("Station", "Customer's complaint: {text}").format(
                    text=order.complaint_text
                )
            )
        )
    if order.accepted_at:
        lines.append(
            escape(
                translate("Station", "Accepted by {name} at {time}.").format(
                    name=order.accepted_by.name if order.accepted_by_id else "",
                    time=order.accepted_at.strftime("%m-%d %H:%M"),
                )
            )
        )
    unsigned = [s.number for s in reads.slip_rows(order.id) if s.signed_at is None]
    if unsigned:
        lines.append(
            "<span style='color:#8a5a00'>"
            + escape(
                translate("Station", "Parts issue slips waiting for the signature: {slips}").format(
                    slips=join_list(unsigned)
                )
            )
            + "</span>"
        )
    return "<br>".join(lines)
