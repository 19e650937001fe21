"""The appointment desk's print pages as HTML: the preparation list (接待准备清单) for a day
and the day's appointments, and printing HTML to A4 or a PDF file. No widgets here."""

from __future__ import annotations

import datetime as dt
import html
from pathlib import Path
from typing import Any

from PySide6.QtGui import QPageLayout, QPageSize, QTextDocument
from PySide6.QtPrintSupport import QPrinter

from shop_desk import clock
from shop_desk.i18n import counted, translate
from shop_desk.services import appointments as appt_service
from shop_desk.services.customers import vehicle_label
from shop_desk.services.orders import settings
from shop_desk.ui.appointments.common import day_title, hours_text


def _esc(text: Any) -> str:
    return html.escape(str(text or ""))


_PRINT_CSS = (
    "body{font-size:10pt;} h1{font-size:15pt;margin:0;} h2{font-size:11.5pt;margin:10px 0 2px 0;}"
    " table{border-collapse:collapse;} th{background:#e8ebef;text-align:left;}"
    " td,th{padding:2px 6px;border:1px solid #9aa3ad;} .muted{color:#555;} .short{color:#a01c12;"
    "font-weight:bold;} .note{color:#7a4b00;}"
)


def _shop_line() -> str:
    s = settings()
    return " · ".join(x for x in (s.name, s.phone) if x)


def preparation_html(day: dt.date, items: list[appt_service.PreparationItem] | None = None) -> str:
    """The preparation list (接待准备清单) for ``day`` as HTML (screen and print)."""
    if items is None:
        items = appt_service.preparation_list(day)
    title = _esc(translate("Appointments", "Preparation list"))
    out = [
        f"<html><head><style>{_PRINT_CSS}</style></head><body>",
        f"<h1>{title} · {_esc(day_title(day))}</h1>",
        f"<p class='muted'>{_esc(_shop_line())} · "
        + _esc(
            counted(
                len(items),
                translate("Appointments", "1 booked car · printed {time}"),
                translate("Appointments", "{n} booked cars · printed {time}"),
                time=clock.now().strftime("%Y-%m-%d %H:%M"),
            )
        )
        + "</p>",
    ]
    if not items:
        none = translate("Appointments", "No booked cars on this day.")
        out.append(f"<p>{_esc(none)}</p>")
    notes_label = _esc(translate("Appointments", "Notes"))
    archive_label = _esc(translate("Appointments", "From the service archive"))
    for item in items:
        appt = item.appointment
        advisor = appt.advisor.name if appt.advisor_id else translate("Appointments", "any advisor")
        out.append(
            f"<h2>{appt.slot_start:%H:%M} · {_esc(vehicle_label(item.vehicle))} · "
            f"{_esc(item.customer.name)} {_esc(item.customer.phone)}</h2>"
        )
        out.append(
            "<p>"
            + _esc(
                translate(
                    "Appointments",
                    "VIN {vin} · {km} km · service advisor: {advisor} · order {order} · {hours} h",
                ).format(
                    vin=item.vehicle.vin,
                    km=item.archive.last_odometer_km,
                    advisor=advisor,
                    order=item.order.number if item.order else "—",
                    hours=hours_text(appt.hours),
                )
            )
            + "<br><b>"
            + _esc(translate("Appointments", "Requested work"))
            + ":</b> "
            + _esc(item.requested_work)
            + (f"<br><b>{notes_label}:</b> {_esc(appt.notes)}" if appt.notes else "")
            + "</p>"
        )
        if item.parts:
            out.append(
                "<table><tr>"
                + "".join(
                    f"<th>{_esc(h)}</th>"
                    for h in (
                        translate("Appointments", "Part"),
                        translate("Appointments", "Needed"),
                        translate("Appointments", "Reserved"),
                        translate("Appointments", "In stock"),
                        translate("Appointments", "Available"),
                        translate("Appointments", "Short"),
                    )
                )
                + "</tr>"
            )
            for row in item.parts:
                short = row.short
                out.append(
                    f"<tr><td>{_esc(row.part.part_no)} {_esc(row.part.name)}</td>"
                    f"<td align='right'>{row.needed:g}</td><td align='right'>{row.reserved:g}</td>"
                    f"<td align='right'>{row.in_stock:g}</td><td align='right'>{row.available:g}</td>"
                    + (
                        f"<td align='right' class='short'>{short:g}</td>"
                        if short > 0
                        else "<td align='right'>—</td>"
                    )
                    + "</tr>"
                )
            out.append("</table>")
        else:
            hint = translate(
                "Appointments", "No parts on the order yet; check stock for the booked work."
            )
            out.append(f"<p class='muted'>{_esc(hint)}</p>")
        if item.notes:
            out.append(
                f"<p class='note'><b>{archive_label}:"
                "</b><br>" + "<br>".join("• " + _esc(n) for n in item.notes) + "</p>"
            )
    checks = (
        translate("Appointments", "Forms ready"),
        translate("Appointments", "Tools ready"),
        translate(
            "Appointments", "Protective sets (seat cover, steering-wheel cover, floor mat) ready"
        ),
    )
    out.append("<p class='muted'>" + " &nbsp; ".join(f"☐ {_esc(c)}" for c in checks) + "</p>")
    out.append("</body></html>")
    return "".join(out)


def arrivals_html(day: dt.date, rows: list[dict[str, Any]]) -> str:
    """The day's appointment list for printing."""
    title = _esc(translate("Appointments", "Appointments"))
    out = [
        f"<html><head><style>{_PRINT_CSS}</style></head><body>",
        f"<h1>{title} · {_esc(day_title(day))}</h1>",
        f"<p class='muted'>{_esc(_shop_line())}</p><table><tr>",
    ]
    heads = (
        translate("Appointments", "Time"),
        translate("Appointments", "Customer"),
        translate("Appointments", "Phone"),
        translate("Appointments", "Vehicle"),
        translate("Appointments", "Requested work"),
        translate("Appointments", "Service advisor"),
        translate("Appointments", "Status"),
    )
    out.append("".join(f"<th>{_esc(h)}</th>" for h in heads) + "</tr>")
    for r in rows:
        cells = (
            r["time"],
            r["customer"],
            r["phone"],
            r["vehicle"],
            r["work"],
            r["advisor"],
            r["status"],
        )
        out.append("<tr>" + "".join(f"<td>{_esc(c)}</td>" for c in cells) + "</tr>")
    out.append("</table></body></html>")
    return "".join(out)


def print_html_to(text: str, printer: QPrinter) -> None:
    """Lay out ``text`` (HTML) on A4 pages of ``printer``."""
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    printer.setPageOrientation(QPageLayout.Orientation.Portrait)
    doc = QTextDocument()
    doc.setHtml(text)
    doc.print_(printer)


def save_html_pdf(text: str, path: str | Path) -> None:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    print_html_to(text, printer)
