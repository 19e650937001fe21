"""Export of customer data: personal data leaves the shop only through this, for the roles
allowed to take it (manager, administrator, customer relations), and every export is audited."""

from __future__ import annotations

from pathlib import Path

import peewee

from shop_desk.errors import DomainError, ValidationError
from shop_desk.export import write_csv, write_xlsx
from shop_desk.i18n import translate
from shop_desk.models import Customer, Staff, Vehicle
from shop_desk.roles import Role
from shop_desk.services.base import audit, service, shown


def _rows() -> list[list[str]]:
    header = [
        translate("DataExport", "Customer"),
        translate("DataExport", "Company"),
        translate("DataExport", "Phone"),
        translate("DataExport", "Second phone"),
        translate("DataExport", "Preferred contact time"),
        translate("DataExport", "Plate"),
        translate("DataExport", "VIN"),
        translate("DataExport", "Make and model"),
    ]
    rows = [header]
    query = (
        Customer.select(Customer, Vehicle)
        .join(Vehicle, join_type=peewee.JOIN.LEFT_OUTER, on=(Vehicle.owner == Customer.id))
        .order_by(Customer.id, Vehicle.id)
        .objects()
    )
    for row in query:
        rows.append(
            [
                row.name,
                row.company,
                row.phone,
                row.phone2,
                row.preferred_contact_time,
                getattr(row, "plate", "") or "",
                getattr(row, "vin", "") or "",
                " ".join(x for x in (getattr(row, "make", ""), getattr(row, "model", "")) if x),
            ]
        )
    return rows


@service(Role.MANAGER, Role.ADMIN, Role.CRM_CLERK)
def export_customers(actor: Staff, path: str | Path) -> int:
    """Write customers and their vehicles to ``path`` (.csv or .xlsx); returns the row count."""
    if not isinstance(path, str | Path) or not str(path).strip():
        raise ValidationError(translate("DataExport", "Choose the file to export to."), "path")
    target = Path(path)
    rows = _rows()
    try:
        if target.suffix.lower() == ".xlsx":
            write_xlsx({translate("DataExport", "Customers"): rows}, target)
        else:
            write_csv(rows, target)
    except (OSError, ValueError) as exc:  # no such folder, no permission, a NUL in the name
        raise DomainError(
            translate("DataExport", "The file {path} could not be written: {error}").format(
                path=shown(target, 300), error=shown(getattr(exc, "strerror", None) or exc, 300)
            )
        ) from None
    audit("customer", None, None, {"export": str(target), "rows": len(rows) - 1})
    return len(rows) - 1
